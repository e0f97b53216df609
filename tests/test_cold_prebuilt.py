"""The pre-built models of the shipped YAML files (yamlio.load_trusted, issue 16): the same as the YAML's."""

from __future__ import annotations

import json
import pickle
import shutil
from pathlib import Path

import pytest

from quyche import yamlio
from quyche.errors import ValidationError
from quyche.institutions import Registry
from quyche.loader import BUNDLED_IDS, prebuilt_files, rules_dir
from quyche.rulebook import Rulebook
from quyche.yamlio import PREBUILT_DIR, PREBUILT_SUFFIX, load_model, load_trusted, read_document

SHIPPED = [(Rulebook, f"{rid}.yaml") for rid in BUNDLED_IDS] + [(Registry, "institutions.yaml")]
_SHIPPED_BY_PREBUILT: dict[str, tuple[type[Rulebook] | type[Registry], Path]] = {
    f"{Path(name).stem}{PREBUILT_SUFFIX}": (model, rules_dir() / name) for model, name in SHIPPED}


def _same(a: Rulebook | Registry, b: Rulebook | Registry) -> None:
    assert type(a) is type(b)
    assert a == b
    assert a.model_dump_json() == b.model_dump_json()
    # Every model, nested ones too, with the same fields set (== does not compare them; readings use them).
    assert a.model_dump_json(exclude_unset=True) == b.model_dump_json(exclude_unset=True)


# What a pre-built file was built with rather than from: CI installs whatever pydantic>=2.7,<3 (and Python)
# it is given, for which the shipped files are simply not used (yamlio.load_trusted parses the YAML).
_BUILT_WITH = ("python", "pydantic", "pydantic_core")


def test_shipped_files_are_current() -> None:
    # Fails after an edit of rules/*.yaml or of the model code until quyche.loader.write_prebuilt() runs;
    # with the Python and pydantic they were built with, also after a change of what they unpickle to.
    fresh = prebuilt_files()
    assert sorted(fresh) == sorted(p.name for p in PREBUILT_DIR.iterdir())
    for name, data in fresh.items():
        shipped = (PREBUILT_DIR / name).read_bytes()
        shipped_header, want_header = (json.loads(b.partition(b"\n")[0]) for b in (shipped, data))
        if all(shipped_header.get(k) == want_header[k] for k in _BUILT_WITH):
            assert shipped.partition(b"\n")[0] == data.partition(b"\n")[0], name
            _same(pickle.loads(shipped.partition(b"\n")[2]), pickle.loads(data.partition(b"\n")[2]))
            continue
        # Built with another Python or pydantic: the same YAML bytes and model code all the same (so the
        # file is current where it is used), and here it is not used: load_trusted gives the YAML's model.
        assert set(shipped_header) == set(want_header), name
        assert {k: v for k, v in shipped_header.items() if k not in _BUILT_WITH} == {
            k: v for k, v in want_header.items() if k not in _BUILT_WITH}, name
        model, path = _SHIPPED_BY_PREBUILT[name]
        got, unpickled = _load_trusted_counting(model, path)
        assert unpickled == 0, f"{name}: built with {[shipped_header[k] for k in _BUILT_WITH]}, yet unpickled"
        _same(got, load_model(model, read_document(path, trusted=True)))


def _load_trusted_counting(model: type[Rulebook] | type[Registry], path: Path) -> tuple[Rulebook | Registry, int]:
    """load_trusted(model, path) and how many times it unpickled (load_trusted swallows unpickling errors,
    so a refusing stub would only send it to the YAML)."""
    calls: list[bytes] = []
    real = pickle.loads

    def counting(body: bytes) -> object:
        calls.append(body)
        return real(body)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pickle, "loads", counting)
        got = load_trusted(model, path)
    return got, len(calls)


@pytest.mark.parametrize(("model", "name"), SHIPPED)
def test_prebuilt_model_equals_the_yaml(model: type[Rulebook] | type[Registry], name: str) -> None:
    path = rules_dir() / name
    from_yaml = load_model(model, read_document(path, trusted=True))
    _same(load_trusted(model, path), from_yaml)


def test_an_edited_yaml_file_is_parsed(tmp_path: Path) -> None:
    text = (rules_dir() / "gia_lai.yaml").read_text(encoding="utf-8")
    edited = tmp_path / "gia_lai.yaml"  # same name, other bytes: the pre-built file is not for it
    edited.write_text(text.replace("Gia Lai", "Gia Lai (sửa)"), encoding="utf-8")
    got = load_trusted(Rulebook, edited)
    _same(got, load_model(Rulebook, read_document(edited)))
    assert got != load_trusted(Rulebook, rules_dir() / "gia_lai.yaml")
    broken = tmp_path / "broken" / "gia_lai.yaml"
    broken.parent.mkdir()
    broken.write_text(text.replace("rules:", "rulez:", 1), encoding="utf-8")
    with pytest.raises(ValidationError):
        load_trusted(Rulebook, broken)


@pytest.mark.parametrize("body", [b"", b"not a pickle", pickle.dumps({"id": "lai_chau"}), pickle.dumps(3)[:-1]])
def test_a_damaged_prebuilt_file_falls_back_to_the_yaml(body: bytes, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    path = rules_dir() / "lai_chau.yaml"
    header = yamlio.prebuilt_header(path, path.read_bytes())
    (tmp_path / f"lai_chau{PREBUILT_SUFFIX}").write_bytes(header + b"\n" + body)
    monkeypatch.setattr(yamlio, "PREBUILT_DIR", tmp_path)
    _same(load_trusted(Rulebook, path), load_model(Rulebook, read_document(path, trusted=True)))


def test_another_version_falls_back_to_the_yaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = rules_dir() / "lai_chau.yaml"
    shipped = (PREBUILT_DIR / f"lai_chau{PREBUILT_SUFFIX}").read_bytes()
    header, _, body = shipped.partition(b"\n")
    poisoned = pickle.dumps(load_model(Rulebook, read_document(rules_dir() / "gia_lai.yaml", trusted=True)))
    (tmp_path / f"lai_chau{PREBUILT_SUFFIX}").write_bytes(header.replace(b'"pydantic": "', b'"pydantic": "0') + b"\n"
                                                           + poisoned)
    monkeypatch.setattr(yamlio, "PREBUILT_DIR", tmp_path)
    assert load_trusted(Rulebook, path).id == "lai_chau"
    assert body  # the shipped file holds a model


def test_a_copy_outside_the_bundle_is_parsed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Same name, same bytes, a matching header: still parsed from its YAML, since it is not a bundled file.
    copy = tmp_path / "rules" / "lai_chau.yaml"
    copy.parent.mkdir()
    shutil.copyfile(rules_dir() / "lai_chau.yaml", copy)
    poisoned = pickle.dumps(load_model(Rulebook, read_document(rules_dir() / "gia_lai.yaml", trusted=True)))
    prebuilt = tmp_path / "prebuilt"
    prebuilt.mkdir()
    (prebuilt / f"lai_chau{PREBUILT_SUFFIX}").write_bytes(yamlio.prebuilt_header(copy, copy.read_bytes()) + b"\n"
                                                          + poisoned)
    monkeypatch.setattr(yamlio, "PREBUILT_DIR", prebuilt)
    got, unpickled = _load_trusted_counting(Rulebook, copy)
    assert unpickled == 0
    assert isinstance(got, Rulebook) and got.id == "lai_chau"
    _same(got, load_model(Rulebook, read_document(copy, trusted=True)))
    # The same pre-built file is used for the bundled path: only the place decides.
    assert load_trusted(Rulebook, rules_dir() / "lai_chau.yaml").id == "gia_lai"


def test_files_built_with_another_pydantic_are_checked_for_what_they_hold(monkeypatch: pytest.MonkeyPatch) -> None:
    # As on a CI runner given another pydantic: test_shipped_files_are_current still holds, by its other branch.
    header = yamlio.prebuilt_header

    def other(path: Path, raw: bytes) -> bytes:
        data = json.loads(header(path, raw))
        data["pydantic_core"] = "0." + data["pydantic_core"]
        return json.dumps(data).encode("ascii")

    monkeypatch.setattr(yamlio, "prebuilt_header", other)  # what prebuilt_bytes and load_trusted call
    test_shipped_files_are_current()
