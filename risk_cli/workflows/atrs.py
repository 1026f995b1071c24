"""`risk-cli atrs`: read one input (answers file, register or filled template), score it, and draft
its ATRS record in the formats asked for. Every problem is found before anything is written: a bad
input, a questionnaire without an `atrs` mapping, an output that exists or has no known format."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Optional, Sequence

from risk_cli.errors import RiskCliError, exit_code
from risk_cli.output.formats import OutputFormat

if TYPE_CHECKING:
    from risk_cli.model.atrs import Record
    from risk_cli.model.questionnaire import Questionnaire
    from risk_cli.model.scoring import Register
    from risk_cli.output.console import Console

SUFFIXES = {".md": OutputFormat.MARKDOWN, ".markdown": OutputFormat.MARKDOWN, ".json": OutputFormat.JSON,
            ".xlsx": OutputFormat.XLSX}


@dataclass(frozen=True)
class Options:
    """What `risk-cli atrs` was asked to do."""

    source: str
    outputs: tuple[str, ...] = ()  # files to write; each one's format is its suffix
    questionnaire: Optional[str] = None
    force: bool = False
    include_security: bool = False
    marking: str = "OFFICIAL"  # --marking: printed on every page of the workbook


@dataclass
class Result:
    """The record drafted, for output.atrs to print when no file was asked for."""

    record: "Record"
    written: tuple[str, ...] = ()

    @property
    def exit_code(self) -> int:
        return int(exit_code())

    @property
    def closing(self) -> list[str]:
        from risk_cli.output.atrs import summary_line

        line = summary_line(self.record)
        if self.written:
            return [f"ATRS record (draft) written to {', '.join(self.written)}", line]
        return [line]


def output_format(path: Path) -> OutputFormat:
    """The format a file name asks for, from its suffix."""
    found = SUFFIXES.get(path.suffix.lower())
    if found is None:
        raise RiskCliError(f"{path}: an ATRS record is written as .md (Markdown), .xlsx (the template's layout) "
                           f"or .json; cannot tell which from '{path.suffix or 'no extension'}'")
    return found


def run(options: Options, console: "Console") -> Result:
    """Every step of `risk-cli atrs`, in order; nothing is written unless all is well."""
    from risk_cli.catalogue.versions import Versions
    from risk_cli.fileio import check_writable
    from risk_cli.model.scoring import assess
    from risk_cli.readers import inputs
    from risk_cli.errors import InputProblems

    targets = [Path(o) for o in options.outputs]
    for path in targets:
        output_format(path)
        check_writable(path, options.force)
    if len({p.resolve() for p in targets}) < len(targets):
        raise RiskCliError("the same -o file is given twice")
    checked = inputs.read_checked(options.source, Versions(options.questionnaire))
    if checked.errors:
        raise InputProblems(checked.errors)
    if checked.format_2 is not None:
        qn = checked.format_2.questionnaire
        raise RiskCliError(f"{options.source}: answered against {qn.label}, a format-2 questionnaire ({qn.model} model); "
                           "an ATRS draft needs a 5x5 (format-1) questionnaire with an ATRS mapping (an 'atrs' "
                           "section), see docs/atrs.md")
    assert checked.questionnaire is not None and checked.answers is not None
    mapped(checked.questionnaire, options.source)
    for problem in checked.warnings:
        console.warn(str(problem))
    record = draft(assess(checked.questionnaire, checked.answers), options.include_security)
    for path in targets:
        write(record, path, options.force, options.marking)
    return Result(record, tuple(str(p) for p in targets))


def mapped(qn: "Questionnaire", source: str) -> None:
    """Refuse, in one line, a questionnaire that does not say how its answers fill a record."""
    if qn.atrs is not None:
        return
    raise RiskCliError(f"{source}: answered against {qn.label}, which has no ATRS mapping (an 'atrs' section), so "
                       "risk-cli cannot draft a record from it; assess the use case again with a version that has "
                       "one (see docs/atrs.md)")


def draft(register: "Register", include_security: bool = False) -> "Record":
    from risk_cli.catalogue import atrs_standard
    from risk_cli.model import atrs

    mapping = register.questionnaire.atrs
    assert mapping is not None, "checked by mapped()"
    return atrs.draft(register, atrs_standard.load(mapping.standard), include_security)


def write(record: "Record", path: Path, force: bool, marking: str = "OFFICIAL") -> None:
    """One file in the format its suffix names, written atomically."""
    kind = output_format(path)
    if kind is OutputFormat.XLSX:
        from risk_cli.writers import atrs_xlsx

        atrs_xlsx.write(record, path, force, marking)
        return
    from risk_cli.fileio import atomic_write_text
    from risk_cli.output import atrs as atrs_view
    from risk_cli.output.formats import json_document

    text = atrs_view.markdown(record) if kind is OutputFormat.MARKDOWN else json_document(atrs_view.to_dict(record)) + "\n"
    atomic_write_text(path, text, force)


def record_paths(register_path: Path) -> Sequence[Path]:
    """Where batch --atrs puts a register's record: beside it, as Markdown and as the template's workbook."""
    from risk_cli.writers.register_layout import ATRS_RECORD_SUFFIX

    stem = register_path.name[: -len("-register.xlsx")] if register_path.name.endswith("-register.xlsx") else register_path.stem
    return (register_path.with_name(f"{stem}-atrs.md"), register_path.with_name(f"{stem}{ATRS_RECORD_SUFFIX}"))
