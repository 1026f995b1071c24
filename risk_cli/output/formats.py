"""Output formats: one enum for every format a command can produce, and one way for a command to
offer some of them (`Formats`) and render its result in the one chosen.

A command lists the formats it offers as a `Formats`: the name typed after --format, the
`OutputFormat` it is, and the function that renders the command's result in it. The CLI builds
its --format option from that list (so help, choices and rendering cannot drift apart) and
tests/test_formats.py runs every command in every format it lists. A new format (a board
report's Markdown, HTML or Word) is a new member here and a renderer in the commands that offer
it; a format written to a file rather than printed sets `binary`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, Callable, Generic, Iterable, Optional, TypeVar

R = TypeVar("R")


class OutputFormat(enum.Enum):
    """Every output format risk-cli produces."""

    TEXT = "text"  # for people: a summary on the terminal
    JSON = "json"  # one JSON document on stdout, for pipelines
    JSON_LINES = "json-lines"  # one JSON object per line, one per input: streamable
    MARKDOWN = "markdown"  # a document to read and review (an ATRS record, a board pack)
    XLSX = "xlsx"  # an Excel workbook, written to a file
    HTML = "html"  # one self-contained web page that prints to A4 (a board pack), written to a file
    DOCX = "docx"  # a Word document (a board pack), written to a file

    @property
    def binary(self) -> bool:
        """Written to a file (-o), never printed."""
        return self in (OutputFormat.XLSX, OutputFormat.HTML, OutputFormat.DOCX)


@dataclass(frozen=True)
class Rendering(Generic[R]):
    """One format a command offers: what the user types, which format it is, how to render."""

    name: str
    format: OutputFormat
    render: Callable[[R], str]  # "" prints nothing
    help: str


class Formats(Generic[R]):
    """The formats one command offers, in the order --help lists them; the first is the default."""

    def __init__(self, *renderings: Rendering[R]) -> None:
        self.renderings = {r.name: r for r in renderings}

    @property
    def names(self) -> list[str]:
        return list(self.renderings)

    @property
    def default(self) -> str:
        return self.names[0]

    def help(self) -> Optional[str]:
        """For --help: each name and what it gives (None when no rendering says)."""
        if not any(r.help for r in self.renderings.values()):
            return None
        return "; ".join(f"{r.name}: {r.help}" for r in self.renderings.values()) + "."

    def render(self, name: str, result: R) -> str:
        return self.renderings[name].render(result)


def json_document(data: Any) -> str:
    """One JSON document, indented, with text as written (not \\u escapes)."""
    import json  # here, not at start-up: --help and every command's options import this module

    return json.dumps(data, indent=2, ensure_ascii=False)


def json_lines(records: Iterable[Any]) -> str:
    """One compact JSON object per line."""
    import json

    return "\n".join(json.dumps(r, ensure_ascii=False) for r in records)
