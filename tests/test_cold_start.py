"""What the cold start of the command line (issue 16) changed besides the pre-built models: the `holidays`
version read from its METADATA text, and the collector settings of the process's own command line."""

from __future__ import annotations

import gc
import io
import sys
from contextlib import redirect_stdout
from importlib import metadata

import pytest

from quyche import calendar_index
from quyche.cli import _GC_THRESHOLD, main


def test_holidays_version_is_the_metadata_version() -> None:
    assert calendar_index.installed_holidays_version() == metadata.version("holidays")


def test_holidays_version_without_a_version_header(monkeypatch: pytest.MonkeyPatch) -> None:
    dist = metadata.distribution("holidays")

    class Headless:
        version = dist.version

        def read_text(self, name: str) -> str | None:
            return "Metadata-Version: 2.1\nName: holidays\n\nVersion: 9.9 (in the body, not a header)\n"

    monkeypatch.setattr(metadata, "distribution", lambda name: Headless())
    assert calendar_index.installed_holidays_version() == dist.version


def test_main_with_arguments_leaves_the_collector_alone() -> None:
    threshold, frozen = gc.get_threshold(), gc.get_freeze_count()
    with redirect_stdout(io.StringIO()) as out:
        assert main(["rulebooks"]) == 0
    assert out.getvalue()
    assert (gc.get_threshold(), gc.get_freeze_count()) == (threshold, frozen)


def test_main_as_the_command_line_restores_the_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[int, ...]] = []
    import quyche.cli as cli

    real = cli._main

    def spy(argv: list[str]) -> int:
        seen.append(gc.get_threshold())
        return real(argv)

    monkeypatch.setattr(cli, "_main", spy)
    monkeypatch.setattr(sys, "argv", ["quyche", "rulebooks"])
    threshold = gc.get_threshold()
    try:
        with redirect_stdout(io.StringIO()) as out:
            assert main() == 0
        assert out.getvalue()
        assert seen == [_GC_THRESHOLD]
        assert gc.get_threshold() == threshold
        assert gc.get_freeze_count() > 0  # what was alive at the end is left out of later collections
    finally:
        gc.unfreeze()
