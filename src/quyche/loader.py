"""Finding and loading rulebooks: bundled ids or paths to a user's own YAML."""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING

from .errors import InputError, QuycheError, UnknownRulebookError, ValidationError

# Re-exported: `quyche.loader.lint` and `quyche.lint` (the function) are the linter of quyche/lint.py.
# Importing the submodule here, before quyche/__init__ binds the name `lint` to the function, keeps the
# package attribute the function (a first import of quyche.lint later would rebind it to the module).
from .lint import LintProblem as LintProblem
from .lint import lint as lint
from .rulebook import Rulebook
from .yamlio import (
    PREBUILT_DIR,
    PREBUILT_SUFFIX,
    decode,
    load_model,
    load_trusted,
    parse_document,
    path_text,
    prebuilt_bytes,
    read_bytes,
    read_document,
)

if TYPE_CHECKING:
    from .sources import SourceText

BUNDLED_IDS: tuple[str, ...] = ("can_tho", "bac_kan", "gia_lai", "lai_chau", "trieu_son")
RULEBOOK_SUFFIXES = (".yaml", ".yml")


def rules_dir() -> Path:
    """The bundled `rules/` folder: inside the wheel, or at the repository root in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_bundled_rules", here.parents[1] / "rules"):
        if (candidate / "sources").is_dir():
            return candidate
    raise UnknownRulebookError(f"{here}: the bundled rules/ folder is missing from this installation")


def resolve(ref: str | Path) -> Path:
    """A bundled id or a path, as the path of a rulebook file. Any file a person names may be given
    (`--rulebook PATH`); reading it (read_document) refuses what is not a regular file."""
    ref_s = str(ref)
    if ref_s in BUNDLED_IDS:
        return rules_dir() / f"{ref_s}.yaml"
    if "\0" in ref_s:
        raise InputError(f"{path_text(ref_s)}: a file name cannot hold a NUL character", code="cannot_read",
                         place=path_text(ref_s))
    try:
        os.stat(ref_s)
    except (FileNotFoundError, NotADirectoryError):
        raise UnknownRulebookError(
            f"{path_text(ref_s)}: not a bundled rulebook ({', '.join(BUNDLED_IDS)}) nor a rulebook file"
        ) from None
    except OSError as e:  # a name too long for the file system (ENAMETOOLONG), a loop, no permission
        raise InputError(f"{path_text(ref_s)}: cannot read: {e.strerror or e}", code="cannot_read",
                         place=path_text(ref_s)) from None
    return Path(ref_s)


def load_rulebook(ref: str | Path) -> Rulebook:
    """Load and validate a rulebook; errors name the file, line and key."""
    if str(ref) in BUNDLED_IDS:
        return _load_bundled(str(ref))
    return load_model(Rulebook, read_document(resolve(ref)))


def plan_rulebook_path(ref: str, plan_path: Path | None) -> Path:
    """Where a plan's `rulebook: PATH` points (contract section 3), or InputError: a relative path to
    a .yaml/.yml file inside the plan's own folder tree, resolved from that folder, symlinks included.
    A plan comes from elsewhere; it must not make quyche read /etc/passwd or ../secret.yaml."""
    plan = path_text(plan_path) if plan_path is not None else "<plan>"

    def refuse(why: str) -> InputError:
        return InputError(f"{plan}: rulebook: {path_text(ref)} {why}", code="rulebook_path_refused",
                          place=f"{plan}: rulebook", params={"why": why})

    if "\0" in ref:
        raise refuse("holds a NUL character")
    if not ref.strip():
        raise refuse("is blank")
    if PurePosixPath(ref).is_absolute() or PureWindowsPath(ref).drive or ref.startswith(("~", "\\")):
        raise refuse("is an absolute path: a plan names a bundled rulebook "
                     f"({', '.join(BUNDLED_IDS)}) or a .yaml file in its own folder, by a relative path")
    if Path(ref).suffix.lower() not in RULEBOOK_SUFFIXES:
        raise refuse(f"is neither a bundled rulebook ({', '.join(BUNDLED_IDS)}) nor the path of a .yaml "
                     "or .yml file")
    if plan_path is None:
        raise refuse("is a path, and a plan that is not a file has no folder to find it in; pass --rulebook")
    try:
        base = Path(plan_path).parent.resolve()
        target = (base / ref).resolve()
    except (OSError, RuntimeError):  # a symlink loop (RuntimeError before Python 3.13)
        raise refuse("cannot be followed (a symlink loop?)") from None
    if not target.is_relative_to(base):
        raise refuse("leads out of the plan's folder: a plan may name only files in its own folder tree")
    if target.suffix.lower() not in RULEBOOK_SUFFIXES:
        raise refuse("leads (through a symlink) to a file that is not .yaml or .yml")
    return target


def load_plan_rulebook(ref: str, plan_path: Path | None) -> Rulebook:
    """The rulebook a plan's own `rulebook` key names: a bundled id, or a file by the path policy of
    plan_rulebook_path. The file may be anything a plan's author put there, so no message quotes
    its content: a file that does not read as a rulebook is reported as "is not a rulebook" with
    the place of the first problem (`quyche lint FILE` or `--rulebook FILE`, a person's explicit
    choice, show the problem itself)."""
    if ref in BUNDLED_IDS:
        return _load_bundled(ref)
    target = plan_rulebook_path(ref, plan_path)
    assert plan_path is not None  # plan_rulebook_path refuses a path without a plan file
    shown = path_text(Path(plan_path).parent / ref)
    try:
        raw = read_bytes(target)  # its errors name the file and the reason only: no content
    except QuycheError as e:
        raise InputError(f"{path_text(plan_path)}: rulebook: {e}", code=e.code,
                         place=f"{path_text(plan_path)}: rulebook") from None
    try:
        return load_model(Rulebook, parse_document(decode(raw, shown), shown))
    except QuycheError as e:
        place = _place(str(e), shown)
        raise ValidationError(
            f"{place}: is not a rulebook (the plan {path_text(plan_path)} names it; `quyche lint {shown}` "
            "shows why)", code="not_a_rulebook", place=place, params={"plan": path_text(plan_path)}
        ) from None


_LINE_COL = re.compile(r":\d+(?::\d+)?")


def _place(message: str, source: str) -> str:
    """`file:line:col` at the start of a message about `source` (only the place, none of the rest)."""
    if not message.startswith(source):
        return source
    m = _LINE_COL.match(message, len(source))
    return source + m.group() if m else source


@cache
def _load_bundled(rulebook_id: str) -> Rulebook:
    # Bundled files never change under a running process, so parse each once.
    return load_trusted(Rulebook, rules_dir() / f"{rulebook_id}.yaml")


def prebuilt_files() -> dict[str, bytes]:
    """The pre-built file of every shipped YAML file (yamlio.load_trusted), by file name, fresh from YAML."""
    from .institutions import Registry

    out = {f"{rid}{PREBUILT_SUFFIX}": prebuilt_bytes(Rulebook, rules_dir() / f"{rid}.yaml") for rid in BUNDLED_IDS}
    out[f"institutions{PREBUILT_SUFFIX}"] = prebuilt_bytes(Registry, rules_dir() / "institutions.yaml")
    return out


def write_prebuilt(dest: Path = PREBUILT_DIR) -> list[Path]:
    """Rewrite the pre-built files after editing rules/*.yaml or upgrading pydantic (tests/test_cold_prebuilt.py
    says when): `python -c "from quyche.loader import write_prebuilt; write_prebuilt()"`. Pre-built files
    of another name or format there are removed."""
    dest.mkdir(exist_ok=True)
    files = prebuilt_files()
    for old in [*dest.glob("*.json"), *dest.glob(f"*{PREBUILT_SUFFIX}")]:
        if old.name not in files:
            old.unlink()
    written = []
    for name, data in files.items():
        (dest / name).write_bytes(data)
        written.append(dest / name)
    return written


def source_of(rulebook: Rulebook, rulebook_path: Path) -> SourceText | None:
    """The rulebook's source text (`metadata.source`, relative to the rulebook file), None if absent.
    sources.find_source reads it bounded and refuses FIFOs, devices and non-UTF-8 as InputError."""
    from .sources import find_source  # only the commands that read a source text pay for quyche.sources

    if "\0" in rulebook.metadata.source:
        return None
    return find_source(rulebook_path, rulebook.metadata.source)
