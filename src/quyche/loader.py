"""Finding and loading rulebooks: bundled ids or paths to a user's own YAML."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from .errors import UnknownRulebookError

# Re-exported: `quyche.loader.lint` and `quyche.lint` (the function) are the linter of quyche/lint.py.
# Importing the submodule here, before quyche/__init__ binds the name `lint` to the function, keeps the
# package attribute the function (a first import of quyche.lint later would rebind it to the module).
from .lint import LintProblem as LintProblem
from .lint import lint as lint
from .rulebook import Rulebook
from .sources import SourceText
from .yamlio import load_model, read_document

BUNDLED_IDS: tuple[str, ...] = ("can_tho", "bac_kan", "gia_lai", "lai_chau", "trieu_son")


def rules_dir() -> Path:
    """The bundled `rules/` folder: inside the wheel, or at the repository root in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_bundled_rules", here.parents[1] / "rules"):
        if (candidate / "sources").is_dir():
            return candidate
    raise UnknownRulebookError(f"{here}: the bundled rules/ folder is missing from this installation")


def resolve(ref: str | Path) -> Path:
    """A bundled id or a path, as the path of a rulebook file."""
    ref_s = str(ref)
    if ref_s in BUNDLED_IDS:
        return rules_dir() / f"{ref_s}.yaml"
    p = Path(ref_s)
    if p.is_file():
        return p
    raise UnknownRulebookError(
        f"{ref_s}: not a bundled rulebook ({', '.join(BUNDLED_IDS)}) nor a rulebook file"
    )


def load_rulebook(ref: str | Path) -> Rulebook:
    """Load and validate a rulebook; errors name the file, line and key."""
    path = resolve(ref)
    if str(ref) in BUNDLED_IDS:
        return _load_bundled(str(ref))
    return load_model(Rulebook, read_document(path))


@cache
def _load_bundled(rulebook_id: str) -> Rulebook:
    # Bundled files never change under a running process, so parse each once.
    return load_model(Rulebook, read_document(rules_dir() / f"{rulebook_id}.yaml", trusted=True))


def source_of(rulebook: Rulebook, rulebook_path: Path) -> SourceText | None:
    path = (rulebook_path.parent / rulebook.metadata.source).resolve()
    return SourceText.read(path) if path.is_file() else None
