"""Renderers: turn reports and rulebooks into text, markdown or JSON. They compute no law."""
