"""Safe YAML/JSON loading that remembers where every value came from.

PyYAML's own loaders silently keep the last of two duplicate keys, expand aliases without limit and
recurse once per nesting level. Untrusted plans and rulebooks need none of that, so documents are
built here from the event stream, iteratively, with bounds on size, depth and expanded aliases.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from .errors import ValidationError, YamlError

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
            f"{source}:{line}:{col}: not UTF-8 (byte {raw[e.start]:#04x} at offset {e.start}); "
            "save the file as UTF-8"
        ) from None


def read_document(path: str | Path) -> Document:
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise YamlError(f"{p}: {size:,} bytes is over the limit of {MAX_BYTES:,}")
        raw = p.read_bytes()
    except OSError as e:
        raise YamlError(f"{p}: cannot read: {e.strerror or e}") from None
    return parse_document(decode(raw, str(p)), str(p))


def parse_document(text: str, source: str = "<input>") -> Document:
    """Build one document from YAML (or JSON) text; raise YamlError with file:line:col on any problem."""
    if len(text) > MAX_BYTES:
        raise YamlError(f"{source}: {len(text):,} characters is over the limit of {MAX_BYTES:,}")
    builder = _Builder(source)
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            builder.feed(event)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"{source}:{mark.line + 1}:{mark.column + 1}" if mark else source
        raise YamlError(f"{where}: YAML syntax: {e.problem or e.context}") from None
    except yaml.reader.ReaderError as e:
        # A control character (NUL, a lone surrogate…): PyYAML gives only an offset; name line:col.
        line = text.count("\n", 0, e.position) + 1
        col = e.position - (text.rfind("\n", 0, e.position) + 1) + 1
        raise YamlError(f"{source}:{line}:{col}: character {e.character!r} is not allowed in YAML") from None
    except yaml.YAMLError as e:
        raise YamlError(f"{source}: YAML: {_one_line(str(e))}") from None
    return Document(builder.result, source, builder.positions)


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
        problems.append(f"{doc.locate(loc)}: {format_path(loc)}: {_message(err)}")
    # The CLI prints an error on one or two lines: the first problem, then the others on one line.
    text = problems[0]
    if len(problems) > 1:
        text += "\nalso: " + "; ".join(problems[1:])
        if len(errors) > 5:
            text += f"; … and {len(errors) - 5} more problem(s)"
    return ValidationError(text)


_TYPE_NAMES = {dict: "a mapping", list: "a list", str: "a string", bool: "true/false", int: "a number",
               float: "a number", type(None): "nothing (null or an empty document)"}


def _message(err: Any) -> str:
    msg = _one_line(str(err["msg"]))
    if err["type"] == "extra_forbidden":
        return "unknown key (not allowed here)"
    if err["type"] == "missing":
        return "required key is missing"
    if err["type"] in ("model_type", "model_attributes_type", "dict_type"):
        # Pydantic's "a valid dictionary or instance of MeetingPlan" speaks Python, not YAML.
        got = _TYPE_NAMES.get(type(err.get("input")), type(err.get("input")).__name__)
        return f"want a mapping of keys (key: value), got {got}"
    return msg.removeprefix("Value error, ")


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
        self._resolver = yaml.resolver.Resolver()

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
            return self._constructor.construct_object(node)
        except yaml.MarkedYAMLError as e:
            raise YamlError(f"{where}: cannot read value {_short_repr(event.value)}: {e.problem}") from None
        except (yaml.YAMLError, ValueError, OverflowError) as e:
            raise YamlError(f"{where}: cannot read value {_short_repr(event.value)}: {_one_line(str(e))}") from None

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
