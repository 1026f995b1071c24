"""The import workflow: check many filled templates, answers files and registers, then write an
answers file and a freshly scored register for each good one.

Everything is checked before anything is written, and every problem in every input is
reported. A bad input is skipped (exit 3) and the good ones are still written, because an
assurance team importing thirty workbooks should not be held up by one team's typo; the
outputs of different inputs are independent files, so a partial import is never an
inconsistent one. Problems with the run itself (an output that exists without --force, two
inputs that would write the same file, an output that would replace an input) stop the
whole import before anything is written (exit 2). Each input's answers file and register are
written together or not at all (fileio.atomic_write_all): a write that fails midway (a full
disk) stops the import, and Ctrl-C ends it, each saying how many inputs were written, whole.
Scores always come from the engine.

With --allow-incomplete, a required answer left blank is not a problem: it is scored cautiously,
as "Don't know" (or, for a question without that choice, at its most cautious reading), the
register is marked PROVISIONAL and lists it, and the answers file records it as `null`, so a
strict import of that file refuses it until it is answered. Every other problem still refuses
the input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from risk_cli import fileio
from risk_cli.model import answers as answers_mod
from risk_cli.model.answers import Answers, Appetite
from risk_cli.errors import ExitCode, Problem, RiskCliError, exit_code
from risk_cli.model.questionnaire import Questionnaire
from risk_cli.model.scoring import Register

if TYPE_CHECKING:
    from risk_cli.catalogue.versions import Versions
    from risk_cli.readers.format_2_inputs import Format2Answers
    from risk_cli.output.console import Console


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
    written: bool = False  # its answers file and register are both in place
    # answers to a format-2 questionnaire (points or rated model): its answers file and the model's
    # workbook are written instead of a register
    format_2: Optional["Format2Answers"] = None

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
    def written_items(self) -> list[Item]:
        return [i for i in self.items if i.written]

    @property
    def exit_code(self) -> ExitCode:
        return exit_code(stopped=bool(self.problems) or not self.good, some_bad=len(self.good) < len(self.items))

    @property
    def closing(self) -> list[str]:
        return []


def check_one(path: Path, versions: "Versions", appetite: Optional[Appetite] = None,
              allow_incomplete: bool = False) -> Item:
    """Read, validate and score one input (as assess and batch do); problems are collected, never raised.
    `allow_incomplete`: a missing required answer is no problem; it is left unanswered, scored cautiously
    (as the interview scores a question left unanswered), and the register is provisional."""
    from risk_cli.readers import inputs
    from risk_cli.readers.scores import mismatches
    from risk_cli.model import scoring

    checked = inputs.read_checked(path, versions, appetite, complete=not allow_incomplete)
    item = Item(path, checked.kind, checked.questionnaire, errors=checked.errors, warnings=checked.warnings)
    if checked.format_2 is not None:
        item.format_2 = checked.format_2
        item.made_for = checked.format_2.questionnaire.label
        return item
    if checked.raw is not None:
        item.made_for = f"{checked.raw.questionnaire_id} {checked.raw.questionnaire_version}".strip()
    if checked.ok and checked.questionnaire is not None and checked.answers is not None:
        item.answers = checked.answers
        item.register = scoring.assess(checked.questionnaire, checked.answers)
        # a likelihood or impact people edited in a register: the answers decide, and it is said
        item.warnings.extend(mismatches(str(path), checked.score_cells, item.register))
    return item


def outputs_for(path: Path, out_dir: Path) -> list[Path]:
    # a name over 255 bytes cannot be made: shortened, deterministically (fileio.fit_stem)
    return [out_dir / fileio.fit_name(path.stem, "-answers.yaml"), out_dir / fileio.fit_name(path.stem, "-register.xlsx")]


def plan(items: list[Item], out_dir: Path, force: bool) -> list[Problem]:
    """Problems with where the outputs would go; any of them stops the whole import."""
    problems: list[Problem] = []
    if fileio.long_part(out_dir):
        return [Problem(str(out_dir), fileio.long_part(out_dir) or "")]
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
        force: bool = False, appetite: Optional[Appetite] = None, marking: str = "OFFICIAL",
        allow_incomplete: bool = False) -> Report:
    """Check every input, then (unless a dry run, or the run itself has problems) write the good ones."""
    from risk_cli.catalogue.versions import Versions
    from risk_cli.readers import inputs

    versions = Versions(questionnaire)
    if questionnaire and versions.format_2_named() is None:  # a -q that does not load is the run's problem
        versions.named()
    paths, missing = inputs.expand(files)
    items = [Item(Path(p.file), errors=[p]) for p in missing]
    items += [check_one(p, versions, appetite, allow_incomplete) for p in paths]
    if dry_run or fileio.long_part(out_dir) or (out_dir.exists() and not out_dir.is_dir()) \
            or not any(i.ok for i in items):
        return Report(items, plan(items, out_dir, force), dry_run, written=False, out_dir=out_dir)
    from risk_cli.fileio import folder_lock

    with folder_lock(out_dir):  # a second run writing to DIR is refused at once, before anything is written
        problems = plan(items, out_dir, force)
        report = Report(items, problems, dry_run, written=False, out_dir=out_dir)
        if not problems:
            write(report, force, marking)
    return report


def write(report: Report, force: bool, marking: str = "OFFICIAL") -> None:
    """Write each good input's answers file and register, both or neither (fileio.atomic_write_all).

    A write that fails (a full disk) stops the import: what was written is complete and is said so.
    Ctrl-C or SIGTERM ends in Interrupted, saying how many inputs were written.
    """
    from risk_cli.errors import Interrupted, interrupt_code
    from risk_cli.fileio import atomic_write_all
    from risk_cli.writers import register as register_xlsx
    from risk_cli.writers.xlsx import write_workbook

    try:
        report.out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        report.problems.append(Problem(str(report.out_dir), f"cannot create the folder ({exc.strerror or exc})"))
        return
    good = report.good
    before = {p: _stamp(p) for item in good for p in item.outputs}
    try:
        for item in good:
            answers_path, register_path = item.outputs
            if item.format_2 is not None:
                text, write_register = _format_2_outputs(item.format_2, marking)
            else:
                unanswered = item.register.unanswered if item.register is not None and item.register.provisional else ()
                text = answers_mod.to_yaml(item.answers, item.questionnaire, unanswered=unanswered)  # type: ignore[arg-type]
                workbook = register_xlsx.build(item.register, marking=marking)  # type: ignore[arg-type]
                write_register = lambda tmp, wb=workbook: write_workbook(wb, tmp)  # noqa: E731
            try:
                atomic_write_all([
                    (answers_path, lambda tmp, text=text: tmp.write_text(text, encoding="utf-8", newline="\n")),
                    (register_path, write_register),
                ], force)
            except RiskCliError as exc:
                report.problems.extend(Problem(str(item.path), line) for line in exc.lines())
                break
            item.written = True
    except KeyboardInterrupt as exc:
        for i in good:  # also one whose files were put in place just as the interrupt came
            if not i.written and all((now := _stamp(p)) is not None and now != before[p] for p in i.outputs):
                i.written = True
        done = sum(1 for i in good if i.written)
        raise Interrupted(f"interrupted: {done} of {len(good)} input(s) written to {report.out_dir}; "
                          "nothing half-written", exit_code=interrupt_code(exc)) from None
    report.written = not report.problems


def _format_2_outputs(answers: "Format2Answers", marking: str) -> tuple[str, Any]:
    """The answers file's text, and a function writing the model's workbook (as `assess` writes
    it) to a temporary file."""
    from risk_cli.readers.format_2_inputs import answers_yaml
    from risk_cli.writers import points_workbook, rated_workbook

    outcome = answers.outcome()
    writer = rated_workbook if answers.is_rated else points_workbook

    def write_register(tmp: Path) -> None:
        writer.write(outcome, tmp, force=True, marking=marking, lang=answers.lang)  # type: ignore[arg-type]

    return answers_yaml(answers), write_register


def _stamp(path: Path) -> Optional[tuple[int, int, int]]:
    """A file's identity (device, inode, modification time), or None if there is none: a file
    renamed into place has a new one."""
    import os

    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_mtime_ns)


def run_command(files: list[str], out_dir: Path, questionnaire: Optional[str], dry_run: bool, force: bool,
                console: "Console", appetite_path: Optional[str] = None, marking: str = "OFFICIAL",
                allow_incomplete: bool = False) -> Report:
    """`risk-cli import`: the run, with every problem and warning reported as a line on stderr."""
    from risk_cli.readers import appetite as appetite_reader

    from risk_cli.errors import Interrupted, interrupt_code

    appetite = appetite_reader.read(appetite_path) if appetite_path else None
    try:
        report = run(files, out_dir, questionnaire, dry_run=dry_run, force=force, appetite=appetite, marking=marking,
                     allow_incomplete=allow_incomplete)
    except KeyboardInterrupt as exc:  # while checking the inputs (write() reports its own)
        raise Interrupted("interrupted while checking the inputs; nothing written", exit_code=interrupt_code(exc)) from None
    for item in report.items:
        for problem in item.errors:
            console.error(str(problem))
        for problem in item.warnings:
            console.warn(str(problem))
    for problem in report.problems:
        console.error(str(problem))
    return report
