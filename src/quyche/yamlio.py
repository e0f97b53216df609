"""Safe YAML/JSON loading that remembers where every value came from.

PyYAML's own loaders silently keep the last of two duplicate keys, expand aliases without limit and
recurse once per nesting level. Untrusted plans and rulebooks need none of that, so documents are
built here from the event stream, iteratively, with bounds on size, depth and expanded aliases.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

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
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise YamlError(f"{p}: {size:,} bytes is over the limit of {MAX_BYTES:,}")
        raw = p.read_bytes()
    except OSError as e:
        raise YamlError(f"{p}: cannot read: {e.strerror or e}") from None
    return parse_document(decode(raw, str(p)), str(p), trusted=trusted)


def parse_document(text: str, source: str = "<input>", *, trusted: bool = False) -> Document:
    """Build one document from YAML (or JSON) text; raise YamlError with file:line:col on any problem."""
    if len(text) > MAX_BYTES:
        raise YamlError(f"{source}: {len(text):,} characters is over the limit of {MAX_BYTES:,}")
    text = _json_as_yaml(text)
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
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


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


def validation_error(e: PydanticValidationError, doc: Document) -> ValidationError:
    problems = []
    errors = e.errors(include_url=False)
    for err in errors[:5]:
        loc = tuple(p for p in err["loc"] if isinstance(p, (str, int)))
        # Pydantic adds union-member and function names to locations; keep only real data keys.
        loc = _data_path(doc.data, loc)
        message = _message(err)
        if not loc:
            # A whole-model check ("rules[3] (x.y): duplicate rule id") names its place in words only;
            # point at that place's line when the words begin with a path that exists in the data.
            for part in message.split("; "):
                found = _path_in_message(doc.data, part)
                if found:
                    loc = found
                    break
        problems.append(f"{doc.locate(loc)}: {format_path(loc)}: {message}")
    # The CLI prints an error on one or two lines: the first problem, then the others on one line.
    text = problems[0]
    if len(problems) > 1:
        text += "\nalso: " + "; ".join(problems[1:])
        if len(errors) > 5:
            text += f"; … and {len(errors) - 5} more problem(s)"
    return ValidationError(text)


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


def _message(err: Any) -> str:
    msg = _one_line(str(err["msg"]), limit=400)
    if err["type"] == "extra_forbidden":
        return "unknown key (not allowed here)"
    if err["type"] == "missing":
        return "required key is missing"
    if err["type"] in ("model_type", "model_attributes_type", "dict_type"):
        # Pydantic's "a valid dictionary or instance of MeetingPlan" speaks Python, not YAML.
        got = "nothing (an empty document)" if err.get("input") is None else _got(err.get("input"))
        return f"want a mapping of keys (key: value), got {got}"
    if str(err["type"]).endswith("_type") and "input" in err:
        # "Input should be a valid integer" alone leaves the user guessing what was there.
        return f"{msg}, got {_got(err['input'])}"
    return msg.removeprefix("Value error, ")


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
    """YAML 1.1 resolution plus JSON's exponent floats: YAML 1.1 wants a dot, so `1e+100` (how JSON
    writers print large floats) would silently become a string."""


_JSON_FLOAT = re.compile(r"^[-+]?[0-9]+[eE][-+]?[0-9]+$")
_Resolver.add_implicit_resolver("tag:yaml.org,2002:float", _JSON_FLOAT, list("-+0123456789"))
# The dumper must resolve as the loader does, or it would write the string "1e5" unquoted and
# parse_document would read it back as the float 100000.0.
_Dumper.add_implicit_resolver("tag:yaml.org,2002:float", _JSON_FLOAT, list("-+0123456789"))


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
        self._resolver = _Resolver()

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
            value = self._scalar(event)
            self._add(value, 1, event)
            if event.anchor:
                self.anchors[event.anchor] = (value, 1)
        elif isinstance(event, yaml.AliasEvent):
            if event.anchor not in self.anchors:
                raise YamlError(f"{self._where(event.start_mark)}: alias *{event.anchor} has no anchor")
            value, size = self.anchors[event.anchor]
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
        if event.tag in (None, "!"):
            tag = self._resolver.resolve(yaml.ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
        else:
            tag = event.tag
        where = self._where(event.start_mark)
        if tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float") and len(event.value) > MAX_NUMBER_CHARS:
            raise YamlError(f"{where}: a number of {len(event.value):,} characters is too long (quote it if text)")
        if tag in ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"):
            # `<<` and `=` resolve to YAML 1.1 merge/value keys, which quyche does not expand.
            raise YamlError(f"{where}: {event.value!r} (a YAML merge or value key) is not supported; quote it if text")
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            value = self._constructor.construct_object(node)
        except yaml.MarkedYAMLError as e:
            raise YamlError(f"{where}: cannot read value {_short_repr(event.value)}: {e.problem}") from None
        except (ValueError, OverflowError) as e:
            raise YamlError(f"{where}: cannot read value {_short_repr(event.value)}: {_one_line(str(e))}") from None
        except Exception:
            # PyYAML's scalar constructors assume the resolver's regexes matched: an explicit tag on
            # the wrong text fails inside them (`!!int ""` IndexError, `!!bool x` KeyError, found by
            # fuzzing). Whatever they raise, it is this one value that cannot be read.
            kind = str(tag).rsplit(":", 1)[-1]
            raise YamlError(f"{where}: {_short_repr(event.value)} is not a valid {kind}") from None
        if isinstance(value, str) and _SURROGATE.search(value):
            # JSON writes 😀 as "\\ud83d\\ude00" and YAML decodes each half alone: join the pairs, or
            # the lone halves crash the first print or encode long after loading.
            try:
                value = value.encode("utf-16", "surrogatepass").decode("utf-16")
            except UnicodeDecodeError:
                raise YamlError(f"{where}: {_short_repr(event.value)} holds an unpaired \\u surrogate escape") from None
        return value

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

    def _add(self, value: Any, size: int, event: Any, start: Any = None) -> None:
        self.total += size
        if self.total > MAX_NODES:
            raise YamlError(
                f"{self._where(event.start_mark)}: document expands to more than {MAX_NODES:,} values "
                "(too large, or aliases used to multiply content)"
            )
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
