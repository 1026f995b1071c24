"""`risk-cli report`: read one input (answers file, register or filled template), score it, and
write its board pack in the format OUT's suffix names (Markdown, HTML or Word), or print it as
Markdown. `risk-cli portfolio --report` writes the same for an assurance board (`write`). Every
problem (the marking, the input, the output) is found before anything is written."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from risk_cli.errors import InputProblems, RiskCliError, exit_code
from risk_cli.model.marking import DEFAULT as DEFAULT_MARKING
from risk_cli.output.formats import OutputFormat

if TYPE_CHECKING:
    from risk_cli.model.report import Report
    from risk_cli.output.console import Console

SUFFIXES = {".md": OutputFormat.MARKDOWN, ".markdown": OutputFormat.MARKDOWN, ".html": OutputFormat.HTML,
            ".htm": OutputFormat.HTML, ".docx": OutputFormat.DOCX}


@dataclass(frozen=True)
class Options:
    """What `risk-cli report` was asked to do."""

    source: str
    output: Optional[str] = None  # the file to write, its format by its suffix; None prints Markdown
    questionnaire: Optional[str] = None
    force: bool = False
    appetite_path: Optional[str] = None
    marking: str = DEFAULT_MARKING
    lang: Optional[str] = None  # --lang: a format-2 questionnaire's texts in this language


@dataclass
class Result:
    """The board pack built, for output.report to print when no file was asked for."""

    report: "Report"
    written: str = ""

    @property
    def exit_code(self) -> int:
        return int(exit_code())

    @property
    def closing(self) -> list[str]:
        return [f"Board pack written to {self.written}"] if self.written else []


def output_format(path: Path) -> OutputFormat:
    """The format a file name asks for, from its suffix."""
    found = SUFFIXES.get(path.suffix.lower())
    if found is None:
        raise RiskCliError(f"{path}: a board pack is written as .md (Markdown), .html (a web page that prints to A4) "
                           f"or .docx (Word); cannot tell which from '{path.suffix or 'no extension'}'")
    return found


def check_output(output: Optional[str], force: bool) -> Optional[Path]:
    """The output path, refused now (before any reading) if its suffix is unknown or it must not be written."""
    from risk_cli.fileio import check_writable

    if output is None:
        return None
    path = Path(output)
    output_format(path)
    check_writable(path, force)
    return path


def run(options: Options, console: "Console") -> Result:
    """Every step of `risk-cli report`, in order; nothing is written unless all is well."""
    from risk_cli.catalogue.versions import Versions
    from risk_cli.model import marking, report
    from risk_cli.model.scoring import assess
    from risk_cli.readers import inputs

    mark = marking.check(options.marking)
    target = check_output(options.output, options.force)
    appetite = None
    if options.appetite_path:
        from risk_cli.readers import appetite as appetite_reader

        appetite = appetite_reader.read(options.appetite_path)
    checked = inputs.read_checked(options.source, Versions(options.questionnaire), appetite)
    if checked.errors:
        raise InputProblems(checked.errors)
    if checked.format_2 is not None:
        pack = format_2_pack(checked.format_2, options, appetite is not None)
        for problem in checked.warnings:
            console.warn(str(problem))
        if target is not None:
            write(pack, target, options.force)
        return Result(pack, str(target) if target else "")
    if options.lang and options.lang != "en":
        raise RiskCliError(f"--lang {options.lang}: format-1 questionnaires offer en; not {options.lang}")
    assert checked.questionnaire is not None and checked.answers is not None
    for problem in checked.warnings:
        console.warn(str(problem))
    pack = report.build(assess(checked.questionnaire, checked.answers), mark)
    if target is not None:
        write(pack, target, options.force)
    return Result(pack, str(target) if target else "")


def format_2_pack(answers: Any, options: Options, has_appetite: bool) -> "Report":
    """The pack for a points or rated input (model.report_format_2), in --lang, else the answers' language."""
    from risk_cli.model import report_format_2
    from risk_cli.workflows.points import language

    qn = answers.questionnaire
    if has_appetite:
        raise RiskCliError(f"--appetite: {qn.label} is a format-2 questionnaire ({qn.model} model), which has no "
                           "risk appetite; leave --appetite out")
    lang = language(qn, options.lang, answers.language)
    return report_format_2.build(answers.outcome(), lang, answers.assessed_on, options.marking)


def write(pack: "Report", path: Path, force: bool) -> None:
    """One file in the format its suffix names, written atomically."""
    from risk_cli.fileio import atomic_write_bytes, atomic_write_text

    kind = output_format(path)
    if kind is OutputFormat.DOCX:
        from risk_cli.writers import report_docx

        atomic_write_bytes(path, report_docx.render(pack), force)
    elif kind is OutputFormat.HTML:
        from risk_cli.writers import report_html

        atomic_write_text(path, report_html.render(pack), force)
    else:
        from risk_cli.output.report import markdown

        atomic_write_text(path, markdown(pack), force)
