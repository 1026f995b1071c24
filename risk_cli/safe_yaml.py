"""A hardened YAML reader for questionnaires and answers files.

It refuses what a hostile or careless file could use against us (aliases, which allow
expansion bombs; duplicate keys, which hide answers; huge or deeply nested documents) and
keeps the line and column of every value so each problem can be reported where it is.
Scalars follow the YAML 1.2 core schema: `yes`, `no`, `on` and `off` stay strings, so a
yes/no answer is never silently turned into a boolean.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from risk_cli.errors import InputProblems, Problem

MAX_BYTES = 5_000_000
MAX_NODES = 200_000
MAX_DEPTH = 64
MAX_DIGITS = 100  # digits in an unquoted whole number: no answer or setting needs more, and Python
# refuses to convert over 4,300 (ValueError), so a longer one is refused with its line instead

Path_ = tuple  # a path inside a document: keys and list indexes

_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*$")


def format_path(path: Path_) -> str:
    """`('sections', 2, 'questions', 4)` -> `sections[2].questions[4]`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _IDENT.match(str(part)):
            out += f".{part}" if out else str(part)
        else:
            out += f'["{part}"]'
    return out


@dataclass
class Document:
    """Parsed YAML plus where each value came from."""

    file: str
    data: Any
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def problem(self, path: Path_, message: str) -> Problem:
        """A problem at `path`, placed at the nearest line we know."""
        probe = tuple(path)
        while probe not in self.marks and probe:
            probe = probe[:-1]
        line, column = self.marks.get(probe, (None, None))
        return Problem(self.file, message, where=format_path(path), line=line, column=column)


def read_text(path: Path | str, label: str | None = None) -> str:
    """Read a UTF-8 text file (a byte-order mark is allowed), refusing what is not one."""
    name = label or str(path)
    return decode(read_bytes(path, name), name)


def read_bytes(path: Path | str, label: str | None = None) -> bytes:
    """A file's bytes, refusing folders, missing or unreadable files, anything that is not a
    regular file (a FIFO, a device such as /dev/zero, /dev/fd/N) and files over MAX_BYTES:
    never more than MAX_BYTES + 1 bytes are read."""
    from risk_cli import fileio

    return fileio.read_limited(path, MAX_BYTES, label or str(path))


def decode(raw: bytes, name: str) -> str:
    if b"\x00" in raw[:4096]:
        raise InputProblems([Problem(name, "is a binary file, not YAML text")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputProblems(
            [Problem(name, f"is not UTF-8 text (byte 0x{raw[exc.start]:02x})", line=line)]
        ) from None


PEEK_EVENTS = 10_000  # a header key sits near the top; past this, parse the file in full instead


class Undecided(Exception):
    """A header peek gave up (the key was not among the first PEEK_EVENTS parser events)."""


def top_level_scalar(text: str, key: str) -> str | None:
    """The plain value of one top-level key, parsing only as far as that key: a cheap look at a
    file's header (which questionnaire format it is) before the whole file is parsed and checked.
    None when the key is missing, its value is not a scalar, or the text is not a YAML mapping (the
    full parse then says what is wrong). Raises Undecided after PEEK_EVENTS events, so that a huge
    or hostile file goes to the full parse, whose size limits refuse it quickly."""
    value = _top_level(text, key)
    return value if isinstance(value, str) else None


def top_level_mapping(text: str, key: str) -> dict[str, str] | None:
    """The plain values of one top-level key's mapping (an answers file's `questionnaire: {id: ...,
    version: ...}`), parsing only as far as that mapping; None as for `top_level_scalar`, and when
    the mapping holds anything but plain keys and values. Raises Undecided likewise."""
    value = _top_level(text, key)
    return value if isinstance(value, dict) else None


def leading_scalars(text: str) -> dict[str, str]:
    """A file's header: the plain top-level keys and values before its first nested value (a
    questionnaire's format, model, id, version and title), in one short parse. Empty when the
    text is not a YAML mapping or is broken before that point (the full parse says why)."""
    import yaml

    out: dict[str, str] = {}
    key: str | None = None
    try:
        for count, event in enumerate(yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))):
            if count == 0 or isinstance(event, yaml.DocumentStartEvent):
                continue
            if count == 2 and not isinstance(event, yaml.MappingStartEvent):
                return {}
            if count == 2:
                continue
            if not isinstance(event, yaml.ScalarEvent) or count > PEEK_EVENTS:
                return out  # the first nested value (or the end): the header is over
            if key is None:
                key = event.value
            else:
                out.setdefault(key, event.value)
                key = None
    except yaml.YAMLError:
        return out
    return out


def _top_level(text: str, key: str) -> str | dict[str, str] | None:
    import yaml

    depth, expect_key, current = 0, False, None
    inner: dict[str, str] | None = None  # the mapping under `key`, while it is read
    inner_key: str | None = None
    try:
        for count, event in enumerate(yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))):
            if count > PEEK_EVENTS:
                raise Undecided(key)
            if inner is not None:  # inside the mapping under `key`: plain keys and values only
                if isinstance(event, yaml.MappingEndEvent):
                    return inner
                if not isinstance(event, yaml.ScalarEvent):
                    return None
                if inner_key is None:
                    inner_key = event.value
                else:
                    inner[inner_key], inner_key = event.value, None
                continue
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if depth == 0 and not isinstance(event, yaml.MappingStartEvent):
                    return None
                if depth == 1 and current == key and not expect_key:
                    if isinstance(event, yaml.MappingStartEvent):
                        inner = {}
                        continue
                    return None
                depth += 1
                expect_key = depth == 1
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
                if depth <= 0:
                    return None
                expect_key = depth == 1
            elif depth == 1 and isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)):
                if expect_key:
                    current = getattr(event, "value", None)
                elif current == key:
                    return getattr(event, "value", None)
                expect_key = not expect_key
    except yaml.YAMLError:
        return None
    return None


def loads(text: str, name: str) -> Document:
    """Parse YAML text into plain data, refusing aliases and duplicate keys."""
    import yaml

    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    if len(text) > MAX_NODES:  # only a text this long can hold too many values: count them first,
        _count_values(text, name, loader_cls)  # streaming, before building them all in memory
    try:
        nodes = list(yaml.compose_all(text, Loader=loader_cls))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "invalid YAML"
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise InputProblems([Problem(name, f"YAML syntax error: {what}", line=line, column=col)]) from None
    except yaml.reader.ReaderError as exc:  # a control character: YAML allows it only as an escape
        line, col = _place(text, exc.position, in_bytes=loader_cls is not yaml.SafeLoader)
        raise InputProblems([Problem(name, f"contains the control character U+{exc.character:04X}, which YAML "
                                           "does not allow (remove it)", line=line, column=col)]) from None
    except yaml.YAMLError as exc:
        raise InputProblems([Problem(name, f"YAML error: {exc}")]) from None
    if len(nodes) > 1:
        mark = nodes[1].start_mark
        raise InputProblems([Problem(name, "holds more than one YAML document", line=mark.line + 1)])
    doc = Document(name, None)
    if not nodes or nodes[0] is None:
        return doc
    builder = _Builder(doc)
    doc.data = builder.build(nodes[0], (), 0)
    if builder.problems:
        raise InputProblems(builder.problems)
    return doc


OUTSIDE, ITEM, KEY, VALUE = range(4)  # _count_values: where the next node sits


def _count_values(text: str, name: str, loader_cls: Any) -> None:
    """Refuse a text with more than MAX_NODES values (mapping keys not counted, as `_Builder`
    counts them) from the parser's event stream, in constant memory: composing a few million
    values first would take seconds and hundreds of megabytes. Syntax errors are left for
    `loads` to report. The loop is the cost of refusing a hostile file, so it tests each event's
    type once and keeps the innermost collection's state in a local."""
    import yaml

    scalar, alias = yaml.ScalarEvent, yaml.AliasEvent
    starts = {yaml.MappingStartEvent: KEY, yaml.SequenceStartEvent: ITEM}
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    count = 0
    state = OUTSIDE  # the innermost collection: a sequence (ITEM), or a mapping wanting a KEY or a VALUE
    stack: list[int] = []
    try:
        for event in yaml.parse(text, Loader=loader_cls):
            kind = type(event)
            opened = starts.get(kind)
            if opened is None and kind is not scalar and kind is not alias:
                if kind in ends:
                    state = stack.pop()
                continue
            if state == KEY:  # a mapping key: not a value
                state = VALUE
            else:
                if state == VALUE:
                    state = KEY
                count += 1
                if count > MAX_NODES:
                    mark = event.start_mark
                    raise InputProblems([Problem(name, f"has more than {MAX_NODES:,} values; refusing to read "
                                                       "further", line=mark.line + 1, column=mark.column + 1)])
            if opened is not None:
                stack.append(state)
                state = opened
    except yaml.YAMLError:
        return


def _place(text: str, position: int, in_bytes: bool) -> tuple[int, int]:
    """Line and column (from 1) of an offset into `text`; libyaml counts UTF-8 bytes."""
    before = text.encode("utf-8")[:position].decode("utf-8", "ignore") if in_bytes else text[:position]
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def load(path: Path | str, label: str | None = None) -> Document:
    name = label or str(path)
    return loads(read_text(path, name), name)


class _Builder:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.problems: list[Problem] = []
        self.seen: set[int] = set()
        self.count = 0

    def fail(self, node: Any, message: str, where: str = "") -> None:
        mark = node.start_mark
        self.problems.append(Problem(self.doc.file, message, where=where, line=mark.line + 1, column=mark.column + 1))

    def build(self, node: Any, path: Path_, depth: int) -> Any:
        import yaml

        self.count += 1
        if self.count > MAX_NODES:
            self.fail(node, f"has more than {MAX_NODES:,} values; refusing to read further")
            raise InputProblems(self.problems)
        if depth > MAX_DEPTH:
            self.fail(node, f"is nested more than {MAX_DEPTH} levels deep")
            raise InputProblems(self.problems)
        self.doc.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        if id(node) in self.seen:
            self.fail(node, "YAML anchors and aliases (&name, *name) are not allowed")
            raise InputProblems(self.problems)
        self.seen.add(id(node))
        if node.tag not in ("tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"):
            self.fail(node, f"unsupported YAML tag {node.tag}")
            return None
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail(key_node, "mapping keys must be plain values")
                continue
            key = self.scalar(key_node, path)
            if key_node.tag == "tag:yaml.org,2002:merge" or key == "<<":
                self.fail(key_node, "YAML merge keys (<<) are not allowed")
                continue
            if isinstance(key, (int, float, bool)) or key is None:
                key = "" if key is None else str(key).lower() if isinstance(key, bool) else str(key)
            if key in result:
                self.fail(key_node, f"duplicate key '{key}'")
                continue
            result[key] = self.build(value_node, path + (key,), depth + 1)
        return result

    def scalar(self, node: Any, path: Path_) -> Any:
        if _long_number(node):
            digits = sum(ch.isdigit() for ch in node.value)
            self.fail(node, f"a number of {digits:,} digits; the limit is {MAX_DIGITS} "
                            "(put it in quotes to give it as text)", where=format_path(path))
            return None
        return _scalar(node)


def _long_number(node: Any) -> bool:
    """An unquoted whole number too long to read (see MAX_DIGITS)."""
    return (node.style in (None, "") and node.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:str")
            and _too_long_int(node.value))


def _too_long_int(value: str) -> bool:
    return len(value) > MAX_DIGITS and bool(_INT.match(value)) and len(value.lstrip("+-")) > MAX_DIGITS


def _scalar(node: Any) -> Any:
    """YAML 1.2 core schema for plain scalars; quoted scalars are always strings."""
    value = node.value
    if node.tag not in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                        "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp",
                        "tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"):
        return value  # an explicit unknown tag: keep the text, never construct an object
    if node.style is not None and node.style != "":
        return value  # quoted or block scalar
    return plain_value(value)


def plain_text(value: str) -> bool:
    """True if `value` written unquoted reads back as this same text. Writers quote it otherwise:
    PyYAML's writer follows YAML 1.1 and leaves 1e3 or +.5 unquoted, which YAML 1.2 reads as numbers."""
    if _too_long_int(value):
        return False  # read back, it would be refused as too long a number
    return plain_value(value) == value and isinstance(plain_value(value), str)


def plain_value(value: str) -> Any:
    """What an unquoted scalar means (YAML 1.2 core schema)."""
    if value in ("", "~", "null", "Null", "NULL"):
        return None
    if value in ("true", "True", "TRUE"):
        return True
    if value in ("false", "False", "FALSE"):
        return False
    if _INT.match(value):
        if _too_long_int(value):
            return value  # too long to be a number (the reader refuses it unquoted): text
        return int(value)
    if _FLOAT.match(value) and any(ch.isdigit() for ch in value):
        return float(value)
    return value
