"""The catalogue commands: list the bundled questionnaires, validate questionnaire files, and write
a questionnaire as a fill-in template workbook."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, Sequence

from risk_cli.errors import exit_code

if TYPE_CHECKING:
    from risk_cli.output.console import Console


def listing() -> list[dict[str, Any]]:
    """Every bundled questionnaire version: id, version, title, counts, languages and hash (a format-1
    questionnaire is in English only)."""
    from risk_cli.catalogue import bundled, loader

    rows = []
    for entry in bundled.catalogue():
        qn = loader.load(entry.path)
        rows.append({"id": qn.id, "version": qn.version, "title": qn.title, "questions": len(qn.questions),
                     "risks": len(qn.risks), "languages": list(getattr(qn, "languages", ("en",))),
                     "sha256": qn.sha256, "model": "risks"})
    for e in bundled.format_2_catalogue():
        rows.append({"id": e.id, "version": e.version, "title": e.title, "questions": e.questions,
                     "risks": e.risks, "languages": list(e.languages), "sha256": e.sha256, "model": e.model})
    return rows


@dataclass
class Validation:
    """Whether every questionnaire file given was valid."""

    failed: bool

    @property
    def exit_code(self) -> int:
        return int(exit_code(stopped=self.failed))


def validate(files: Sequence[str], console: "Console") -> Validation:
    """Each file's problems on stderr, one line each, and its verdict on stdout."""
    from risk_cli.catalogue import loader

    failed = False
    for name in files:
        errors, warnings = loader.validate(name)
        for w in warnings:
            console.warn(str(w))
        for e in errors:
            console.error(str(e))
        if errors:
            failed = True
            console.out(f"{name}: {len(errors)} problem(s)")
        else:
            console.out(f"{name}: valid")
    return Validation(failed)


def write_template(questionnaire: Optional[str], output: str, force: bool, console: "Console",
                   marking: str = "OFFICIAL", lang: Optional[str] = None) -> None:
    """The questionnaire named (the default one if none) as a workbook to fill in without risk-cli;
    a format-2 one (points or rated) in the language asked for (`lang`), else its first."""
    from risk_cli.catalogue.versions import Versions
    from risk_cli.errors import RiskCliError
    from risk_cli.fileio import check_writable
    from risk_cli.writers import template as template_xlsx

    out = Path(output)
    versions = Versions(questionnaire)
    format_2 = versions.format_2_named() if questionnaire else None
    if format_2 is not None:
        if lang and lang not in format_2.languages:
            raise RiskCliError(f"--lang {lang}: {format_2.label} offers {', '.join(format_2.languages)}; not {lang}")
        from risk_cli.writers import template_format_2

        check_writable(out, force)
        chosen = lang or format_2.default_language
        template_format_2.write(format_2, out, chosen, force=force, marking=marking)
        console.info(f"Template written to {out} ({format_2.label}, {format_2.model} model, language {chosen}: "
                     f"{len(format_2.questions)} questions in {len(format_2.sections)} sections)")
        return
    if lang and lang != "en":
        raise RiskCliError(f"--lang {lang}: format-1 questionnaires offer en; not {lang}")
    check_writable(out, force)
    qn = versions.named()
    template_xlsx.write(qn, out, force=force, marking=marking)
    console.info(f"Template written to {out} ({qn.label}: {len(qn.questions)} questions in {len(qn.sections)} sections)")
