"""The import workflow: check many filled templates, answers files and registers, then write an
answers file and a freshly scored register for each good one.

Everything is checked before anything is written, and every problem in every input is
reported. A bad input is skipped (exit 3) and the good ones are still written, because an
assurance team importing thirty workbooks should not be held up by one team's typo; the
outputs of different inputs are independent files, so a partial import is never an
inconsistent one. Problems with the run itself (an output that exists without --force, two
inputs that would write the same file, an output that would replace an input) stop the
whole import before anything is written (exit 2). Scores always come from the engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from risk_cli.model import answers as answers_mod
from risk_cli.model.answers import Answers
from risk_cli.errors import ExitCode, Problem, RiskCliError
from risk_cli.model.questionnaire import Questionnaire
from risk_cli.model.scoring import Register

if TYPE_CHECKING:
    from risk_cli.readers.inputs import Questionnaires


@dataclass
class Item:
    """One input: what it was, what was wrong with it, and what it became."""

    path: Path
    kind: str = ""  # "template", "answers" or "register"; "" when it could not be read
    questionnaire: Optional[Questionnaire] = None
    made_for: str = ""  # the questionnaire version the input was made for
    answers: Optional[Answers] = None
    register: Optional[Register] = None
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Report:
    """The outcome of an import run, from which the CLI prints each input's line and takes the exit code."""

    items: list[Item]
    problems: list[Problem]  # about the run as a whole: nothing was written
    dry_run: bool
    written: bool
    out_dir: Path

    @property
    def good(self) -> list[Item]:
        return [i for i in self.items if i.ok]

    @property
    def exit_code(self) -> ExitCode:
        if self.problems or not self.good:
            return ExitCode.BAD_INPUT
        if len(self.good) < len(self.items):
            return ExitCode.SOME_INPUTS_BAD
        return ExitCode.OK


def check_one(path: Path, questionnaires: "Questionnaires") -> Item:
    """Read, validate and score one input (as assess and batch do); problems are collected, never raised."""
    from risk_cli.readers import inputs
    from risk_cli.model import scoring

    checked = inputs.read_checked(path, questionnaires)
    item = Item(path, checked.kind, checked.questionnaire, errors=checked.errors, warnings=checked.warnings)
    if checked.raw is not None:
        item.made_for = f"{checked.raw.questionnaire_id} {checked.raw.questionnaire_version}".strip()
    if checked.ok and checked.questionnaire is not None and checked.answers is not None:
        item.answers = checked.answers
        item.register = scoring.assess(checked.questionnaire, checked.answers)
    return item


def outputs_for(path: Path, out_dir: Path) -> list[Path]:
    return [out_dir / f"{path.stem}-answers.yaml", out_dir / f"{path.stem}-register.xlsx"]


def plan(items: list[Item], out_dir: Path, force: bool) -> list[Problem]:
    """Problems with where the outputs would go; any of them stops the whole import."""
    problems: list[Problem] = []
    if out_dir.exists() and not out_dir.is_dir():
        return [Problem(str(out_dir), "is a file, not a folder; give a folder with -o")]
    inputs = {i.path.resolve(): i.path for i in items}
    claimed: dict[Path, Path] = {}
    for item in items:
        if not item.ok:
            continue
        item.outputs = outputs_for(item.path, out_dir)
        for out in item.outputs:
            key = out.resolve()
            if key in inputs:
                problems.append(Problem(str(out), f"would replace the input {inputs[key]}; inputs are never "
                                                  "modified, so choose another folder with -o"))
            elif key in claimed:
                problems.append(Problem(str(out), f"would be written for both {claimed[key]} and {item.path}; "
                                                  "import them into different folders or rename one"))
            elif out.is_dir():
                problems.append(Problem(str(out), "is a folder; cannot write a file there"))
            elif out.exists() and not force:
                problems.append(Problem(str(out), "already exists; use --force to replace it"))
            claimed.setdefault(key, item.path)
    return problems


def run(files: list[str], out_dir: Path, questionnaire: Optional[str] = None, dry_run: bool = False,
        force: bool = False) -> Report:
    """Check every input, then (unless a dry run, or the run itself has problems) write the good ones."""
    from risk_cli.readers import inputs

    questionnaires = inputs.Questionnaires(questionnaire)
    if questionnaire:  # a -q that does not load is a problem with the run, not with each input
        questionnaires.named()
    paths, missing = inputs.expand(files)
    items = [Item(Path(p.file), errors=[p]) for p in missing]
    items += [check_one(p, questionnaires) for p in paths]
    problems = plan(items, out_dir, force)
    report = Report(items, problems, dry_run, written=False, out_dir=out_dir)
    if dry_run or problems or not report.good:
        return report
    write(report, force)
    return report


def write(report: Report, force: bool) -> None:
    """Write each good input's answers file and register, each atomically."""
    from risk_cli.writers import register as register_xlsx
    from risk_cli.fileio import atomic_write_text

    try:
        report.out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        report.problems.append(Problem(str(report.out_dir), f"cannot create the folder ({exc.strerror or exc})"))
        return
    for item in report.good:
        answers_path, register_path = item.outputs
        try:
            atomic_write_text(answers_path, answers_mod.to_yaml(item.answers, item.questionnaire), force)  # type: ignore[arg-type]
            register_xlsx.write(item.register, register_path, force=force)  # type: ignore[arg-type]
        except RiskCliError as exc:
            report.problems.extend(Problem(str(item.path), line) for line in exc.lines())
    report.written = not report.problems


# -- what the user sees ---------------------------------------------------------------------

def summary(item: Item) -> dict[str, Any]:
    reg = item.register
    data: dict[str, Any] = {
        "file": str(item.path), "kind": item.kind or None, "ok": item.ok, "made_for": item.made_for or None,
        "questionnaire": ({"id": item.questionnaire.id, "version": item.questionnaire.version}
                          if item.questionnaire else None),
        "errors": [str(p) for p in item.errors], "warnings": [str(p) for p in item.warnings],
        "outputs": [str(p) for p in item.outputs] if item.ok else [],
    }
    if reg is not None:
        data.update({
            "use_case": reg.profile("name"), "organisation": reg.profile("organisation"),
            "tier": reg.tier.level.level, "risks": len(reg.risks), "above_appetite": len(reg.breaches),
            "residual": reg.counts(),
        })
    return data


def to_dict(report: Report) -> dict[str, Any]:
    return {
        "dry_run": report.dry_run, "written": report.written, "exit_code": int(report.exit_code),
        "output_folder": str(report.out_dir),
        "imported": len(report.good) if report.written else 0, "inputs": len(report.items),
        "problems": [str(p) for p in report.problems],
        "items": [summary(i) for i in report.items],
    }


def item_line(item: Item, report: Report) -> str:
    from risk_cli.errors import one_line

    return one_line(_item_line(item, report))  # a file found in a folder may have any name


def _item_line(item: Item, report: Report) -> str:
    if not item.ok:
        n = len(item.errors)
        return f"{item.path}: {n} problem{'s' if n != 1 else ''}; nothing written for it"
    reg = item.register
    assert reg is not None and item.questionnaire is not None
    verb = "written" if report.written else "would write" if report.dry_run and not report.problems else "not written"
    return (f"{item.path}: ok ({item.kind}, {item.questionnaire.label}): {len(reg.risks)} risks, "
            f"{reg.tier.level.label}, {len(reg.breaches)} above appetite; {verb}: "
            f"{', '.join(str(p) for p in item.outputs)}")


def closing_line(report: Report) -> str:
    good, total = len(report.good), len(report.items)
    bad = total - good
    inputs = f"{total} input{'s' if total != 1 else ''}"
    tail = f"; {bad} had problems (see the errors above)" if bad else ""
    if report.problems:
        return f"Nothing written: fix the problems above{'' if report.dry_run else ' and run the import again'}."
    if report.dry_run:
        return f"Dry run: {good} of {inputs} would be imported into {report.out_dir}{tail}. Nothing was written."
    if not good:
        return f"Nothing imported: {'the input has' if total == 1 else f'all {total} inputs have'} problems."
    return f"Imported {good} of {inputs} into {report.out_dir}{tail}."
