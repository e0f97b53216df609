"""Safe YAML/JSON loading that remembers where every value came from.

PyYAML's own loaders silently keep the last of two duplicate keys, expand aliases without limit and
recurse once per nesting level. Untrusted plans and rulebooks need none of that, so documents are
built here from the event stream, iteratively, with bounds on size, depth and expanded aliases.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import stat
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, TypeVar

import yaml
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from .errors import QuycheError, ValidationError, YamlError

MAX_BYTES = 5_000_000
MAX_DEPTH = 100
MAX_NODES = 200_000  # counted after alias expansion: a "billion laughs" document stops here
# YAML 1.1 reads `1:00:00…` as a base-60 number; PyYAML converts it in quadratic time (a 5 MB one takes
# minutes), and no plan or rulebook needs a number this long. Python refuses 4,300-digit ints anyway.
MAX_NUMBER_CHARS = 1_000

_SAFE_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}

Path_ = tuple[str | int, ...]


@dataclass
class Document:
    """A parsed document and the line/column (1-based) of every mapping key and list item."""

    data: Any
    source: str
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: Path_) -> str:
        """`file:line:col` of the deepest known prefix of `path` (or just the file)."""
        for end in range(len(path), -1, -1):
            pos = self.positions.get(tuple(path[:end]))
            if pos is not None:
                return f"{self.source}:{pos[0]}:{pos[1]}"
        return self.source


def format_path(path: Path_) -> str:
    """`events[3].at` from ('events', 3, 'at')."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not part or not str(part).isprintable():
            # A key holding a line break or control character (found by fuzzing) would break the
            # one-or-two-line error message; name it as a quoted string instead.
            out += f"[{_short_repr(str(part))}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(document)"


def decode(raw: bytes, source: str) -> str:
    """UTF-8 text without a BOM, or a YamlError naming the line of the first bad byte."""
    if len(raw) > MAX_BYTES:
        raise YamlError(f"{source}: {len(raw):,} bytes is over the limit of {MAX_BYTES:,}")
    # Windows editors save "Unicode" as UTF-16 with a byte-order mark; YAML allows it, so read it
    # rather than report its first byte as "not UTF-8".
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") and raw[:4] != b"\xff\xfe\x00\x00":
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise YamlError(f"{source}: starts with a UTF-16 byte-order mark but is not UTF-16 text") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line_start = raw.rfind(b"\n", 0, e.start) + 1
        line = raw[: e.start].count(b"\n") + 1
        col = len(raw[line_start : e.start].decode("utf-8", errors="replace")) + 1
        raise YamlError(
            f"{source}:{line}: not UTF-8 (byte {raw[e.start]:#04x} at column {col}, offset {e.start}); "
            "save the file as UTF-8"
        ) from None


def read_document(path: str | Path, *, trusted: bool = False) -> Document:
    """Read and parse a plan, rulebook or calendar file: a regular file of at most MAX_BYTES."""
    return document_of(read_bytes(path), path, trusted=trusted)


def document_of(raw: bytes, path: str | Path, *, trusted: bool = False) -> Document:
    """The document in `raw`, the bytes read from `path` (which names it in errors)."""
    return parse_document(decode(raw, path_text(path)), path_text(path), trusted=trusted)


def read_stream(stream: IO[bytes] | IO[str], name: str = "<stdin>", *, trusted: bool = False) -> Document:
    """Parse a document from a stream (standard input given as `-`): at most MAX_BYTES + 1 bytes are
    read, so an endless pipe (`yes |`, /dev/zero) is refused instead of filling the memory."""
    binary = getattr(stream, "buffer", stream)  # sys.stdin is text; its buffer holds the bytes
    try:
        raw = binary.read(MAX_BYTES + 1)
    except OSError as e:
        raise YamlError(f"{name}: cannot read: {e.strerror or e}", code="cannot_read", place=name) from None
    if isinstance(raw, str):  # a text stream without a buffer (io.StringIO)
        raw = raw.encode("utf-8", "surrogatepass")
    if len(raw) > MAX_BYTES:
        raise YamlError(f"{name}: more than {MAX_BYTES:,} bytes, over the limit", code="too_large", place=name)
    return parse_document(decode(raw, name), name, trusted=trusted)


def path_text(path: str | Path) -> str:
    """A path as an error message may print it: control characters escaped, an absurd length cut."""
    text = str(path)
    if not text.isprintable() or len(text) > 300:
        text = _short_repr(text, limit=120)
    return text


def read_bytes(path: str | Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, or a YamlError naming the file.

    FIFOs, devices and folders are refused by type before opening: a FIFO blocks the reader forever
    and /dev/zero never ends. The size is checked by `stat` (a 50 MB file is refused without reading)
    and again while reading, at most `limit` + 1 bytes, because /proc files and files that grow
    after `stat` have a size that does not say what a read returns. A name too long for the file
    system, or holding a NUL, is bad input like any other, never an OSError.
    """
    where = path_text(path)
    try:
        st = os.stat(path)
        _check_regular(st.st_mode, where)
        if st.st_size > limit:
            raise YamlError(f"{where}: {st.st_size:,} bytes is over the limit of {limit:,}", code="too_large",
                            place=where)
        # O_NONBLOCK: should the file have been swapped for a FIFO since `stat`, open does not wait for
        # a writer; fstat then tells the open file's type for sure.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
                     | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as f:
            _check_regular(os.fstat(f.fileno()).st_mode, where)
            raw = f.read(limit + 1)
    except OSError as e:
        raise YamlError(f"{where}: cannot read: {e.strerror or e}", code="cannot_read", place=where) from None
    except ValueError:  # os.stat: "embedded null byte"
        raise YamlError(f"{where}: a file name cannot hold a NUL character", code="cannot_read",
                        place=where) from None
    if len(raw) > limit:
        raise YamlError(f"{where}: more than {limit:,} bytes, over the limit (the file grows or never ends)",
                        code="too_large", place=where)
    return raw


def _check_regular(mode: int, where: str) -> None:
    if stat.S_ISREG(mode):
        return
    kind = ("a folder" if stat.S_ISDIR(mode) else "a FIFO (named pipe)" if stat.S_ISFIFO(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
    raise YamlError(f"{where}: is {kind}, not a file; give a YAML or JSON file", code="not_a_file", place=where)


def parse_document(text: str, source: str = "<input>", *, trusted: bool = False) -> Document:
    """Build one document from YAML (or JSON) text; raise YamlError with file:line:col on any problem."""
    if len(text) > MAX_BYTES:
        raise YamlError(f"{source}: {len(text):,} characters is over the limit of {MAX_BYTES:,}")
    text = _json_as_yaml(text)
    if not trusted:
        _refuse_too_many_values(text, source)
    builder = _Builder(source)
    loader: yaml.SafeLoader | yaml.CSafeLoader | None = None
    try:
        # Only its reader, scanner and parser are used: events, never objects. Its reader already
        # checks for control characters here, so this line sits inside the try.
        # `trusted`: the files shipped with quyche. libyaml's C parser reads them 20× faster (it keeps
        # `quyche check` from spending its time parsing the rulebook); user input keeps the pure-Python
        # parser whose every failure mode the hostile-input tests pin.
        fast = trusted and getattr(yaml, "__with_libyaml__", False)
        loader = yaml.CSafeLoader(text) if fast else yaml.SafeLoader(text)
        while loader.check_event():
            builder.feed(loader.get_event())
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"{source}:{mark.line + 1}:{mark.column + 1}" if mark else source
        key = _long_key(text, mark) if mark else None
        if key is not None:
            # PyYAML finds a key's ':' only within 1,024 characters and reports a syntax error.
            line, col, length = key
            raise YamlError(f"{source}:{line}:{col}: a key of {length:,} characters is too long "
                            f"(at most {MAX_KEY_CHARS:,})", code="key_too_long",
                            place=f"{source}:{line}:{col}") from None
        raise YamlError(f"{where}: YAML syntax: {e.problem or e.context}") from None
    except yaml.reader.ReaderError as e:
        # A control character (NUL, a lone surrogate…): PyYAML gives only an offset; name line:col.
        line = text.count("\n", 0, e.position) + 1
        col = e.position - (text.rfind("\n", 0, e.position) + 1) + 1
        ch = f"U+{e.character:04X}" if isinstance(e.character, int) else repr(e.character)
        raise YamlError(f"{source}:{line}:{col}: character {ch} is not allowed in YAML") from None
    except yaml.YAMLError as e:
        raise YamlError(f"{source}: YAML: {_one_line(str(e))}") from None
    except QuycheError:
        raise
    except Exception as e:
        # PyYAML's scanner has a few unguarded spots: "\U00110000" in double quotes raises
        # ValueError from chr() (found by fuzzing). Name the place the scanner had reached.
        problem = f"{type(e).__name__}: {_one_line(str(e))}"
        mark = loader.get_mark() if isinstance(loader, yaml.SafeLoader) else None
        where = f"{source}:{mark.line + 1}:{mark.column + 1}" if mark is not None else source
        raise YamlError(f"{where}: YAML syntax: cannot read this ({problem})") from None
    finally:
        if loader is not None:
            loader.dispose()
    return Document(builder.result, source, builder.positions)


MAX_KEY_CHARS = 1_024  # PyYAML's limit for a key on one line (YAML 1.2 says the same, 1,024)


def _long_key(text: str, mark: Any) -> tuple[int, int, int] | None:
    """(line, column, length) of a key, if the error sits at a ':' ending a key of more than
    MAX_KEY_CHARS characters on its line; else None."""
    at = getattr(mark, "index", -1)
    if not (0 <= at < len(text)) or text[at] != ":" or mark.column <= MAX_KEY_CHARS:
        return None
    head = text[at - mark.column : at]
    # The key begins after the last flow indicator, or after the indentation and any "- " / "? ".
    begin = max(head.rfind(c) for c in "{[,") + 1
    stripped = re.match(r"(?:[ \t]*(?:[-?][ \t]+)?)*", head[begin:])
    begin += stripped.end() if stripped else 0
    if len(head) - begin <= MAX_KEY_CHARS or re.search(r":[ \t]", head[begin:]):
        return None  # short, or a value holding ": " (`a: b: c`), which is a plain syntax error
    return mark.line + 1, begin + 1, len(head) - begin


def _refuse_too_many_values(text: str, source: str) -> None:
    """Refuse a document over MAX_NODES values before the slow parse, by counting them as the builder
    does with libyaml's C parser (about 20× faster): 200,001 values are refused in a fraction of a
    second instead of after 3 s of pure-Python parsing. Only a text long enough to hold that many
    values (2 characters each at least, `[a,a,…]`) or holding an alias is counted. Whatever the C
    parser cannot read is left to the Python parser, whose messages the user sees."""
    if not getattr(yaml, "__with_libyaml__", False) or (len(text) <= 2 * MAX_NODES and "*" not in text):
        return
    loader = yaml.CSafeLoader(text)
    total = 0
    stack: list[list[Any]] = []  # [size so far, anchor] of each open mapping or list
    anchors: dict[str, int] = {}
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                size, anchor = stack.pop()
                if anchor:
                    anchors[anchor] = size
                if stack:
                    stack[-1][0] += size
                continue
            if isinstance(event, yaml.AliasEvent):
                if event.anchor not in anchors:
                    return  # undefined or recursive: the Python parser names it
                size = anchors[event.anchor]
            elif isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                size = 1
            else:
                continue
            total += size
            if total > MAX_NODES:
                mark = event.start_mark
                where = f"{source}:{mark.line + 1}:{mark.column + 1}" if mark is not None else source
                raise YamlError(
                    f"{where}: document expands to more than {MAX_NODES:,} "
                    "values (too large, or aliases used to multiply content)", code="too_many_values",
                    place=where,
                )
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                stack.append([1, event.anchor])
                continue
            if stack:
                stack[-1][0] += size
            if isinstance(event, yaml.ScalarEvent) and event.anchor:
                anchors[event.anchor] = 1
    except yaml.YAMLError:
        return
    finally:
        loader.dispose()


# Characters valid raw in a JSON string that YAML 1.1 refuses (DEL, C1 controls, U+FFFE/U+FFFF) or
# misreads (U+0085 NEL is a YAML line break: "a\x85b" would load as "a b"; U+2028/U+2029 are line
# breaks too, which a key may not hold).
_JSON_ONLY = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")


def _json_as_yaml(text: str) -> str:
    """Valid JSON that YAML would refuse or misread, rewritten so that YAML reads the same data.

    Tab-indented JSON (json.dumps(indent="\\t"), many editors) is valid JSON, but YAML refuses tabs
    before tokens. JSON strings cannot hold a raw tab, so in a text that parses as JSON every tab is
    whitespace: it becomes a space (same offsets, line:col stay right). The characters of _JSON_ONLY
    can only sit inside strings there, so each becomes its \\u escape (columns after it on that line
    shift; such lines are rare). Anything that is not JSON is left for YAML to judge.
    """
    if "\t" not in text and not _JSON_ONLY.search(text):
        return text
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return text
    text = text.replace("\t", " ")
    return _JSON_ONLY.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def dump_yaml(data: Any) -> str:
    """YAML text that `parse_document` reads back to equal data (a model is dumped as its JSON form).

    Block style, keys in their order, Vietnamese kept readable, no anchors or aliases.
    """
    if isinstance(data, BaseModel):
        data = data.model_dump(mode="json")
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # a shared list or mapping is written out twice, never as &anchor/*alias


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # PyYAML writes U+0085 (NEL) raw inside single quotes, where it reads back as a line break
    # folded to a space; double quotes escape it as \\N.
    style = '"' if "\x85" in value else None
    if style is None and _not_plain_text(value):
        style = "'"  # `0o17`, `1.5e3`: text to PyYAML's YAML 1.1 dumper, not to quyche's reader
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _not_plain_text(value: str) -> bool:
    """Whether `parse_document` would read `value`, written plain, as anything but this text."""
    try:
        return _plain(value)[0] != _STR
    except _Refused:
        return True


_Dumper.add_representer(str, _represent_str)


def _one_line(text: str, limit: int = 160) -> str:
    """The first line of a library message, shortened: a CLI error stays on one line."""
    first = text.strip().splitlines()[0] if text.strip() else text
    return first if len(first) <= limit else first[: limit - 1] + "…"


def _short_repr(value: str, limit: int = 40) -> str:
    return repr(value) if len(value) <= limit else repr(value[:limit]) + f"… ({len(value):,} characters)"


M = TypeVar("M", bound=BaseModel)


def load_model(model: type[M], doc: Document, context: Mapping[str, Any] | None = None) -> M:
    """Validate `doc` as `model`; the error names file:line:col and the field path of each problem."""
    try:
        return model.model_validate(doc.data, context=dict(context or {}))
    except PydanticValidationError as e:
        raise validation_error(e, doc) from None


# The files shipped with quyche (bundled rulebooks, the institution registry), as their validated models,
# pickled: a cold `quyche check` then neither builds the YAML document in Python nor builds and runs the
# Rulebook validator (about half its time after the imports, before this). Each file is part of the
# installed package, as trusted as its modules, and is used only for a file of the bundled rules folder
# whose exact bytes (SHA-256), model and parsing code, Python and pydantic versions its first line
# records; anything else (a user's rulebook anywhere else, an edited file, another pydantic, a damaged
# pre-built file) is parsed from the YAML as before. tests/test_cold_prebuilt.py checks them against a
# fresh build; regenerate after editing rules/*.yaml, the model modules or upgrading pydantic with
# `python -c "from quyche.loader import write_prebuilt; write_prebuilt()"`.
PREBUILT_DIR = Path(__file__).with_name("_prebuilt")
PREBUILT_FORMAT = 2
PREBUILT_SUFFIX = ".pickle"
# The modules whose code decides what a shipped file validates to (this parser, the models and their
# validators): a pre-built file records their hash too, so that a changed model never meets a stale pickle.
_MODEL_MODULES = ("yamlio.py", "rulebook.py", "institutions.py", "text.py", "vocabulary.py")


@functools.cache
def _models_hash() -> str:
    here = Path(__file__).parent
    h = hashlib.sha256()
    for name in _MODEL_MODULES:
        try:
            h.update((here / name).read_bytes())
        except OSError:  # an installation without sources: no pre-built file can be trusted
            h.update(b"\0missing " + name.encode())
    return h.hexdigest()


def prebuilt_header(path: Path, raw: bytes) -> bytes:
    """The first line of `path`'s pre-built file: what it was built from and with."""
    from pydantic import VERSION as pydantic_version
    from pydantic_core import __version__ as core_version

    return json.dumps({
        "format": PREBUILT_FORMAT, "source": path.name, "sha256": hashlib.sha256(raw).hexdigest(),
        "models": _models_hash(), "python": "{}.{}".format(*sys.version_info[:2]), "pydantic": pydantic_version,
        "pydantic_core": core_version,
    }).encode("ascii")


def prebuilt_bytes(model: type[BaseModel], path: Path) -> bytes:
    """The pre-built file of the shipped YAML file `path`: the header line, then the validated model pickled."""
    import pickle

    raw = read_bytes(path)
    value = load_model(model, document_of(raw, path, trusted=True))
    return prebuilt_header(path, raw) + b"\n" + pickle.dumps(value, protocol=5)


def load_trusted(model: type[M], path: Path) -> M:
    """A YAML file shipped with quyche, validated as `model`: its pre-built model when `path` is in the
    bundled rules folder and the pre-built file (PREBUILT_DIR/STEM.pickle) was built from these very bytes
    with this code, else parsed like any file (errors name file:line)."""
    import pickle

    from .loader import rules_dir

    raw = read_bytes(path)
    prebuilt = b""
    if path.resolve().parent == rules_dir().resolve():  # never a file outside the bundle, whatever its bytes
        try:
            prebuilt = (PREBUILT_DIR / f"{path.stem}{PREBUILT_SUFFIX}").read_bytes()
        except OSError:
            prebuilt = b""
    header, _, body = prebuilt.partition(b"\n")
    if header and header == prebuilt_header(path, raw):
        try:
            value = pickle.loads(body)
        except Exception:  # a damaged file (any unpickling error): the YAML is the truth
            value = None
        if isinstance(value, model):
            return value
    return load_model(model, document_of(raw, path, trusted=True))


def validation_error(e: PydanticValidationError, doc: Document) -> ValidationError:
    """One ValidationError for pydantic's list: the first five problems in words and in data
    (code, place, params; render/errors.py words them in Vietnamese)."""
    errors = e.errors(include_url=False)
    problems = [_problem(err, doc) for err in errors[:5]]
    texts = [f"{p['params']['at']}: {p['params']['field']}: {p['message']}" for p in problems]
    # str(e): the first problem, then the others on a second line (the CLI prints them as one line).
    text = texts[0]
    first = problems[0]
    params = dict(first["params"])
    if len(problems) > 1:
        text += "\nalso: " + "; ".join(texts[1:])
        params["also"] = problems[1:]
        if len(errors) > 5:
            text += f"; … and {len(errors) - 5} more problem(s)"
            params["more"] = len(errors) - 5
    return ValidationError(text, code=first["code"], place=first["place"], params=params)


def _problem(err: Any, doc: Document) -> dict[str, Any]:
    """{code, place, message, params} of one pydantic problem; params hold `at` (file:line:col, or the
    file when no line is known) and `field` (`endpoints[2].technicians`)."""
    loc = tuple(p for p in err["loc"] if isinstance(p, (str, int)))
    code, message, params = _message(err)
    if err["type"] == "invalid_key":
        # Pydantic names a null or date key by its Python repr ('None', 'datetime.date(…)'): find
        # the key itself, whose line the builder kept.
        parent = _data_path(doc.data, loc[:-1])
        key = err.get("input")
        at = doc.locate((*parent, key))
        field = (format_path(parent) + "." if parent else "") + _key_text(key)
        params["key"] = _key_text(key)
        return {"code": code, "place": at if at != doc.source else field, "message": message,
                "params": {"at": at, "field": field, **params}}
    # Pydantic adds union-member and function names to locations; keep only real data keys.
    loc = _data_path(doc.data, loc)
    if not loc:
        # A whole-model check ("rules[3] (x.y): duplicate rule id") names its place in words only;
        # point at that place's line when the words begin with a path that exists in the data.
        for part in message.split("; "):
            found = _path_in_message(doc.data, part)
            if found:
                loc = found
                break
    at, field = doc.locate(loc), format_path(loc)
    return {"code": code, "place": at if at != doc.source else field, "message": message,
            "params": {"at": at, "field": field, **params}}


def _key_text(key: Any) -> str:
    """A non-text mapping key as it reads in YAML: null, true, 2026-01-01, 5."""
    if key is None or isinstance(key, bool):
        return _got(key)
    if isinstance(key, (date, datetime)):
        return key.isoformat()
    return _short_repr(str(key)) if isinstance(key, str) else str(key)[:40]


def _got(value: Any) -> str:
    """What a user wrote, in YAML words: '2', 2.0, true, null, a list, a mapping."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _short_repr(value)
    if isinstance(value, (int, float)):
        text = repr(value)
        return text if len(text) <= 40 else "a number"
    if isinstance(value, dict):
        return "a mapping"
    return "a list" if isinstance(value, list) else type(value).__name__


# Pydantic's "wrong type" error types, as quyche's stable codes.
_TYPE_CODES = {
    "string_type": "want_text", "int_type": "want_integer", "int_parsing": "want_integer",
    "int_from_float": "want_integer", "bool_type": "want_boolean", "bool_parsing": "want_boolean",
    "list_type": "want_list", "float_type": "want_number", "float_parsing": "want_number",
    "datetime_type": "want_datetime", "datetime_parsing": "want_datetime",
    "datetime_from_date_parsing": "want_datetime", "date_type": "want_date", "date_parsing": "want_date",
    "date_from_datetime_parsing": "want_date", "date_from_datetime_inexact": "want_date",
}
_HOUR_24 = re.compile(r"[Tt ]24:00")
_LEAP_SECOND = re.compile(r"\d:[0-5]\d:60")
_CHOICE = re.compile(r"'((?:[^'\\]|\\.)*)'")


def _message(err: Any) -> tuple[str, str, dict[str, Any]]:
    """(code, English message, params) of one pydantic problem."""
    kind = str(err["type"])
    msg = _one_line(str(err["msg"]), limit=400)
    ctx = err.get("ctx") or {}
    value = err.get("input")
    if kind == "extra_forbidden":
        return "unknown_key", "unknown key (not allowed here)", {}
    if kind == "missing":
        return "missing_key", "required key is missing", {}
    if kind == "invalid_key":
        return ("key_not_text", f"key {_key_text(value)} is not text: a key is a name "
                "(put it in quotes to keep it as written)", {})
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        # Pydantic's "a valid dictionary or instance of MeetingPlan" speaks Python, not YAML.
        got = "nothing (an empty document)" if value is None else _got(value)
        return "want_mapping", f"want a mapping of keys (key: value), got {got}", {"got": got}
    code = _TYPE_CODES.get(kind)
    if code in ("want_datetime", "want_date") and isinstance(value, str):
        # D31: Python and pydantic have no 24:00 and no leap second; say so instead of "extra characters".
        if _HOUR_24.search(value):
            return ("hour_24", f"{_got(value)}: 24:00 is not a time of day; write 00:00 of the next day",
                    {"got": _got(value)})
        if _LEAP_SECOND.search(value):
            return ("leap_second", f"{_got(value)}: second 60 (a leap second) cannot be counted; write :59",
                    {"got": _got(value)})
    if code is not None:
        # "Input should be a valid integer" alone leaves the user guessing what was there.
        return code, f"{msg}, got {_got(value)}" if kind.endswith("_type") and "input" in err else msg, {
            "got": _got(value)}
    if kind in ("literal_error", "enum"):
        return "not_one_of", msg, {"choices": _CHOICE.findall(str(ctx.get("expected", ""))), "got": _got(value)}
    if kind in ("string_too_short", "too_short"):
        code = "text_too_short" if kind == "string_too_short" else "list_too_short"
        return code, msg, {"min_length": ctx.get("min_length")}
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = next(iter(ctx.values()), None)
        return kind, msg, {"limit": bound if isinstance(bound, (int, float)) else str(bound), "got": _got(value)}
    if kind in ("value_error", "assertion_error"):
        return "invalid_value", msg.removeprefix("Value error, ").removeprefix("Assertion failed, "), {}
    if kind.endswith("_type") and "input" in err:
        return "wrong_type", f"{msg}, got {_got(value)}", {"got": _got(value)}
    # A PydanticCustomError's type is its code and its context its params.
    return kind, msg.removeprefix("Value error, "), {
        k: v if isinstance(v, (str, int, float, bool)) or v is None else str(v) for k, v in ctx.items()}


_MESSAGE_PATH = re.compile(r"^([A-Za-z_][\w]*(?:\[\d+\]|\.[A-Za-z_]\w*)*)")


def _path_in_message(data: Any, message: str) -> Path_:
    """('rules', 3) for a message starting "rules[3] …", if that path exists in `data`; else ()."""
    m = _MESSAGE_PATH.match(message)
    if m is None:
        return ()
    parts: list[str | int] = [
        int(tok[1:-1]) if tok.startswith("[") else tok for tok in re.findall(r"\[\d+\]|[^.\[\]]+", m.group(1))
    ]
    node = data
    for part in parts:
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            return ()
    return tuple(parts)


def _data_path(data: Any, loc: tuple[str | int, ...]) -> Path_:
    out: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
            out.append(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            out.append(part)
        elif isinstance(node, dict) and isinstance(part, str) and out[-1:] != [part]:
            # a missing or extra key: name it, then stop descending
            if part.isidentifier() or "_" in part:
                out.append(part)
            break
        else:
            continue
    return tuple(out)


_SURROGATE = re.compile("[\ud800-\udfff]")


class _Resolver(yaml.resolver.Resolver):
    """YAML 1.1 resolution plus JSON's exponent floats (YAML 1.1 wants a dot, so `1e+100` would be a
    string). Plain scalars are read as YAML 1.2 (`_plain`); this one tells where YAML 1.1 would read
    them differently, and finds timestamps, which quyche reads as YAML 1.1 did."""


_JSON_FLOAT = re.compile(r"^[-+]?[0-9]+[eE][-+]?[0-9]+$")
_Resolver.add_implicit_resolver("tag:yaml.org,2002:float", _JSON_FLOAT, list("-+0123456789"))
# The dumper must resolve as the loader does, or it would write the string "1e5" unquoted and
# parse_document would read it back as the float 100000.0.
_Dumper.add_implicit_resolver("tag:yaml.org,2002:float", _JSON_FLOAT, list("-+0123456789"))


_STR, _INT_TAG, _FLOAT_TAG, _BOOL_TAG, _NULL_TAG, _TIMESTAMP = (
    f"tag:yaml.org,2002:{k}" for k in ("str", "int", "float", "bool", "null", "timestamp"))
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)")
_NAN = frozenset((".nan", ".NaN", ".NAN"))
# Where YAML 1.1 (PyYAML) and 1.2 read a number differently: refused, never guessed.
_LEADING_ZERO = re.compile(r"[-+]?0[0-9_]+")  # 1.1: 010 is octal 8; 1.2: 10
_OTHER_BASE = re.compile(r"[-+]?0(?:x[0-9a-fA-F_]+|o[0-7_]+|b[01_]+)")  # 0x1F, 0o17, 0b101
# 1.1: 1:30 is 90 (and 1:30.5 is 90.5); 1.2: text. `0:30` and `08:30` are text in both.
_BASE60 = re.compile(r"[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*")
_NUMBER_START = frozenset("-+.0123456789")
_RESOLVER_11 = _Resolver()


class _Refused(Exception):
    """A plain scalar quyche will not read (the message, without the place)."""


def _decimal(text: str) -> str:
    """The value of a 0x/0o/0b/leading-zero/base-60 number in decimal digits, for the message."""
    sign = -1 if text.startswith("-") else 1
    body = text.lstrip("+-").replace("_", "")
    if ":" in body:
        whole, _, frac = body.partition(".")
        n = 0
        for part in whole.split(":"):
            n = n * 60 + int(part)
        return f"{sign * n}" + (f".{frac}" if frac else "")
    if body[1:2] in ("x", "o", "b"):
        return str(sign * int(body, 0))
    return str(sign * int(body))


def _plain(text: str) -> tuple[str, Any]:
    """(tag, value) of a plain (unquoted, untagged) scalar, read as YAML 1.2's core schema: booleans
    are only true/false (`yes`, `off` are text), numbers are decimal. Where YAML 1.1 would read a
    number differently (`010` octal, `0x1F`, `1:30` base 60, `1_000`), _Refused says how to write it.
    Timestamps (2026-11-26T08:00) are read as before: plans and rulebooks are full of them."""
    if text in _NULLS:
        return _NULL_TAG, None
    if text in _BOOLS:
        return _BOOL_TAG, _BOOLS[text]
    if text in ("<<", "="):
        # YAML 1.1 merge and value keys, which quyche does not expand.
        raise _Refused(f"{text!r} (a YAML merge or value key) is not supported; quote it if text")
    if text[0] not in _NUMBER_START:
        return _STR, text
    long = len(text) > MAX_NUMBER_CHARS
    if _INT.fullmatch(text):
        if long:
            raise _Refused(f"a number of {len(text):,} characters is too long (quote it if text)")
        return _INT_TAG, int(text)
    if text in _NAN or _INF.fullmatch(text):
        return _FLOAT_TAG, float(text.replace(".", "", 1))
    for pattern, why in ((_LEADING_ZERO, "leading zeros are not allowed"),
                         (_OTHER_BASE, "only decimal numbers are read"),
                         (_BASE60, "YAML 1.1 reads it as a base-60 number")):
        if pattern.fullmatch(text):
            if long:
                # Converting a long base-60 number takes quadratic time: no value in the message.
                raise _Refused(f"a number of {len(text):,} characters is too long (quote it if text)")
            return _refuse_number(text, why)
    if _FLOAT.fullmatch(text):
        if long:
            raise _Refused(f"a number of {len(text):,} characters is too long (quote it if text)")
        return _FLOAT_TAG, float(text)
    tag = _RESOLVER_11.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    if tag == _TIMESTAMP:
        return _TIMESTAMP, None  # built by PyYAML's constructor
    if tag in (_INT_TAG, _FLOAT_TAG):  # 1_000, 1_0.5: a number in YAML 1.1, text in YAML 1.2
        if long:
            raise _Refused(f"a number of {len(text):,} characters is too long (quote it if text)")
        raise _Refused(f"{text}: YAML 1.1 and 1.2 read this differently; write the number without _, or "
                       "quote it if it is text")
    return _STR, text


def _refuse_number(text: str, why: str) -> tuple[str, Any]:
    if ":" in text:  # a time of day, more likely than a number
        raise _Refused(f"{text}: YAML 1.1 reads this as the base-60 number {_decimal(text)}, YAML 1.2 as text; "
                       f"quote it (\"{text}\") if it is text")
    raise _Refused(f"{text}: write {_decimal(text)} ({why}); quote it if it is text")


def _tagged(tag: str, text: str) -> tuple[bool, Any]:
    """(ok, value) of a scalar with an explicit !!int, !!float, !!bool or !!null tag, by the same
    YAML 1.2 rules as a plain one (`!!int 010` is refused like `010`)."""
    if tag == _STR:
        return True, text
    if tag == _NULL_TAG:
        return text in _NULLS, None
    if tag == _BOOL_TAG:
        return text in _BOOLS, _BOOLS.get(text)
    if len(text) > MAX_NUMBER_CHARS:
        raise _Refused(f"a number of {len(text):,} characters is too long (quote it if text)")
    if tag == _INT_TAG:
        if _INT.fullmatch(text):
            return True, int(text)
        if _LEADING_ZERO.fullmatch(text) or _OTHER_BASE.fullmatch(text):
            _refuse_number(text, "only plain decimal numbers are read")
        return False, None
    if text in _NAN or _INF.fullmatch(text):
        return True, float(text.replace(".", "", 1))
    if _FLOAT.fullmatch(text):
        return True, float(text)
    return False, None


class _Frame:
    __slots__ = ("anchor", "container", "is_map", "key", "key_mark", "mark", "size")

    def __init__(self, container: Any, is_map: bool, anchor: str | None, mark: Any) -> None:
        self.mark = mark
        self.container = container
        self.is_map = is_map
        self.anchor = anchor
        self.key: Any = _NO_KEY
        self.key_mark: tuple[int, int] = (0, 0)
        self.size = 1


_NO_KEY = object()


class _Builder:
    """Turns PyYAML parser events into plain Python data, iteratively (no recursion limit)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.stack: list[_Frame] = []
        self.paths: list[Path_] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.positions: dict[Path_, tuple[int, int]] = {}
        self.total = 0
        self.documents = 0
        self.result: Any = None
        self._constructor = yaml.SafeLoader("")  # only its scalar constructors are used

    def _where(self, mark: Any) -> str:
        return f"{self.source}:{mark.line + 1}:{mark.column + 1}"

    def _check_tag(self, tag: str | None, mark: Any) -> None:
        if tag and tag not in ("!", "?") and tag not in _SAFE_TAGS:
            raise YamlError(f"{self._where(mark)}: tag {tag!r} is not allowed (quyche reads plain data only)")

    def feed(self, event: Any) -> None:
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise YamlError(f"{self._where(event.start_mark)}: more than one YAML document in one file")
        elif isinstance(event, yaml.ScalarEvent):
            self._check_tag(event.tag, event.start_mark)
            self._count(1, event)
            value = self._scalar(event)
            self._add(value, 1, event)
            if event.anchor:
                self.anchors[event.anchor] = (value, 1)
        elif isinstance(event, yaml.AliasEvent):
            if event.anchor not in self.anchors:
                raise YamlError(f"{self._where(event.start_mark)}: alias *{event.anchor} has no anchor")
            value, size = self.anchors[event.anchor]
            self._count(size, event)  # an alias costs the values it expands to
            self._add(value, size, event)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self._check_tag(event.tag, event.start_mark)
            want = "tag:yaml.org,2002:map" if isinstance(event, yaml.MappingStartEvent) else "tag:yaml.org,2002:seq"
            if event.tag not in (None, "!", want):
                # `!!map [1]` would silently be a list; a tag that contradicts its node is a mistake.
                raise YamlError(f"{self._where(event.start_mark)}: tag {event.tag!r} does not fit a "
                                f"{'mapping' if want.endswith('map') else 'list'}")
            if len(self.stack) >= MAX_DEPTH:
                raise YamlError(f"{self._where(event.start_mark)}: nested deeper than {MAX_DEPTH} levels")
            self._count(1, event)
            is_map = isinstance(event, yaml.MappingStartEvent)
            frame = _Frame({} if is_map else [], is_map, event.anchor, event.start_mark)
            path = self._child_path(event)
            self.stack.append(frame)
            self.paths.append(path)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            frame = self.stack.pop()
            self.paths.pop()
            if frame.anchor:
                self.anchors[frame.anchor] = (frame.container, frame.size)
            self._add(frame.container, frame.size, event, start=frame.mark)

    def _scalar(self, event: Any) -> Any:
        where = self._where(event.start_mark)
        try:
            if event.tag is None or event.tag == "!":
                # Plain: YAML 1.2 core schema; quoted, or with the non-specific tag `! 010`: text.
                plain = event.tag is None and event.implicit[0]
                tag, value = _plain(event.value) if plain else (_STR, event.value)
            else:
                tag = event.tag
                ok, value = (True, None) if tag == _TIMESTAMP else _tagged(tag, event.value)
                if not ok:
                    kind = tag.rsplit(":", 1)[-1]
                    raise YamlError(f"{where}: {_short_repr(event.value)} is not a valid {kind}")
        except _Refused as e:
            raise YamlError(f"{where}: {e}") from None
        if tag == _TIMESTAMP:
            value = self._timestamp(event, where)
        if isinstance(value, str) and _SURROGATE.search(value):
            # JSON writes 😀 as "\\ud83d\\ude00" and YAML decodes each half alone: join the pairs, or
            # the lone halves crash the first print or encode long after loading.
            try:
                value = value.encode("utf-16", "surrogatepass").decode("utf-16")
            except UnicodeDecodeError:
                raise YamlError(f"{where}: {_short_repr(event.value)} holds an unpaired \\u surrogate escape") from None
        return value

    def _timestamp(self, event: Any, where: str) -> Any:
        node = yaml.ScalarNode(_TIMESTAMP, event.value, event.start_mark, event.end_mark, event.style)
        try:
            return self._constructor.construct_object(node)
        except yaml.MarkedYAMLError as e:
            raise YamlError(f"{where}: cannot read value {_short_repr(event.value)}: {e.problem}") from None
        except (ValueError, OverflowError) as e:
            raise YamlError(f"{where}: cannot read value {_short_repr(event.value)}: {_one_line(str(e))}") from None
        except Exception:
            # PyYAML's constructor assumes the resolver's regex matched: `!!timestamp soon` fails
            # inside it (AttributeError, found by fuzzing).
            raise YamlError(f"{where}: {_short_repr(event.value)} is not a valid timestamp") from None

    def _child_path(self, event: Any) -> Path_:
        if not self.stack:
            return ()
        parent = self.stack[-1]
        base = self.paths[-1]
        if parent.is_map:
            if parent.key is _NO_KEY:
                raise YamlError(f"{self._where(event.start_mark)}: a mapping or list cannot be a key")
            return (*base, parent.key)
        return (*base, len(parent.container))

    def _count(self, size: int, event: Any) -> None:
        """Each value once, when it arrives (a container at its start, an alias as all it expands
        to), so a document is refused at the first value past the bound."""
        self.total += size
        if self.total > MAX_NODES:
            raise YamlError(
                f"{self._where(event.start_mark)}: document expands to more than {MAX_NODES:,} values "
                "(too large, or aliases used to multiply content)", code="too_many_values",
                place=self._where(event.start_mark),
            )

    def _add(self, value: Any, size: int, event: Any, start: Any = None) -> None:
        # `size` (the values below `value`, itself included) feeds the parent's size, which an anchor
        # on the parent remembers; the document's total was counted as they arrived (_count).
        start = start or event.start_mark
        mark = (start.line + 1, start.column + 1)
        if not self.stack:
            self.result = value
            return
        parent = self.stack[-1]
        parent.size += size
        base = self.paths[-1]
        if not parent.is_map:
            self.positions[(*base, len(parent.container))] = mark
            parent.container.append(value)
            return
        if parent.key is _NO_KEY:
            if isinstance(value, (dict, list)):
                raise YamlError(f"{self._where(event.start_mark)}: a mapping or list cannot be a key")
            if value in parent.container:
                raise YamlError(
                    f"{self._where(event.start_mark)}: duplicate key {value!r} in {format_path(base)} "
                    "(a second value would silently replace the first)"
                )
            parent.key = value
            parent.key_mark = mark
            return
        self.positions[(*base, parent.key)] = parent.key_mark
        parent.container[parent.key] = value
        parent.key = _NO_KEY
