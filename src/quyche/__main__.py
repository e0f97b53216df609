"""`python -m quyche`: the command line."""

from .cli import main

raise SystemExit(main())
