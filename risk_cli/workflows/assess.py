"""The assess workflow: gather answers (file or terminal), check them, score, carry a previous
register's edits over, write the register. `run` holds the order of the steps; the CLI parses
options and prints the result."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional, Union

from risk_cli.catalogue.versions import Versions
from risk_cli.errors import InputProblems, Interrupted, Problem, RiskCliError, exit_code, interrupt_code
from risk_cli.model import answers as answers_mod
from risk_cli.model.answers import Answers, Appetite
from risk_cli.model.questionnaire import Questionnaire
from risk_cli.model.scoring import Register, assess
from risk_cli.output.console import Console, interview_terminal
from risk_cli.readers.inputs import checked
from risk_cli.workflows import english_only
from risk_cli.workflows import fail_on as fail_on_mod

if TYPE_CHECKING:
    from risk_cli.output.formats import Formats
    from risk_cli.readers.inputs import Loaded
    from risk_cli.workflows import points as points_flow
    from risk_cli.readers.register import Previous


@dataclass(frozen=True)
class Options:
    """What `risk-cli assess` was asked to do."""

    questionnaire: Optional[str] = None
    answers_path: Optional[str] = None
    resume_path: Optional[str] = None
    save_path: Optional[str] = None
    no_input: bool = False
    output: Optional[str] = None
    force: bool = False
    fail_on: Optional[str] = None
    previous_path: Optional[str] = None
    appetite_path: Optional[str] = None  # the organisation's own risk appetite (readers.appetite)
    marking: str = "OFFICIAL"  # --marking: the protective marking printed on the register
    allow_incomplete: bool = False  # --allow-incomplete: a missing required answer in FILE is scored cautiously
    review: bool = False  # --review: with --resume, open on the review when every question is answered
    lang: Optional[str] = None  # --lang: the questionnaire's texts in this language (None: the answers' or default)


@dataclass
class Outcome:
    """The scored answers, the same whether they came from a file or the terminal, so outputs are
    written one way."""

    register: Register
    warnings: list[Problem] = field(default_factory=list)
    carry: Any = None  # readers.register.Carry when re-assessed against a previous register


@dataclass
class Result:
    """What one assessment produced, for output.register to print."""

    register: Register
    carry: Any = None
    fail_on: Optional[str] = None
    hits: list[str] = field(default_factory=list)  # risk ids at or above --fail-on

    @property
    def exit_code(self) -> int:
        return int(exit_code(fail_on=bool(self.hits)))

    @property
    def views(self) -> "Formats[Any]":
        """The register's text and JSON views."""
        from risk_cli.output import register as register_view

        return register_view.FORMATS

    @property
    def closing(self) -> list[str]:
        """Lines for stderr after the result."""
        if not self.hits:
            return []
        return [f"--fail-on {self.fail_on}: {len(self.hits)} residual risk(s) at or above it: {', '.join(self.hits)}"]


def run(options: Options, console: Console) -> Union[Result, "points_flow.Result"]:
    """Every step of `risk-cli assess`, in order. Problems with the options (an output that exists,
    a previous register that cannot be read, a --fail-on that is not a rating) are raised before
    the first question is asked. A format-2 questionnaire (points or rated model), or answers for
    one, is assessed by workflows.points."""
    from risk_cli.fileio import check_writable
    from risk_cli.workflows import points as points_flow

    o = options
    if points_flow.is_points(o.questionnaire, o.answers_path or o.resume_path):
        return points_flow.run(o, console)
    english_only(o.lang)
    out_path = Path(o.output) if o.output else None
    if out_path is not None:
        check_writable(out_path, o.force)
    if o.answers_path and o.resume_path:
        raise RiskCliError("give either --answers or --resume, not both")
    if o.review and not o.resume_path:
        raise RiskCliError("--review reviews a saved answers file: give --resume FILE with it")
    if o.review and o.no_input:
        raise RiskCliError("--review asks in the terminal: it cannot be used with --no-input")
    if o.previous_path:  # read before any question is asked, so its problems show first
        from risk_cli.readers import register as register_reader

        previous = register_reader.read(o.previous_path)
    else:
        previous = None
    appetite = read_appetite(o.appetite_path) if o.appetite_path else None
    where = None if o.no_input else interview_terminal()
    if where is None:
        source = o.answers_path or o.resume_path
        if not source:
            raise RiskCliError("no terminal to ask questions in: give --answers FILE (see risk-cli assess --help)")
        outcome = from_file(o.questionnaire, source, appetite, o.allow_incomplete)
    else:
        defaults_path = o.answers_path or (o.previous_path if not o.resume_path else None)
        console.interview_on_stderr = where == "stderr"
        outcome = interactive(o.questionnaire, defaults_path, o.resume_path, o.save_path, console.echo, previous,
                              o.fail_on, appetite, on_stderr=console.interview_on_stderr, force=o.force,
                              review=o.review)
        if out_path is None:
            out_path = default_register_path(outcome.register)
    if previous is not None:
        from risk_cli.readers import register as register_reader

        outcome.carry = register_reader.carry_over(previous.path, outcome.register, previous)
        outcome.warnings.extend(outcome.carry.warnings)
    for problem in outcome.warnings:
        console.warn(str(problem))
    register = outcome.register
    threshold = fail_on_mod.rating_id(register.questionnaire, o.fail_on) if o.fail_on else None
    if out_path is not None:
        from risk_cli.writers import register as register_xlsx

        register_xlsx.write(register, out_path, force=o.force, carry=outcome.carry, marking=o.marking)
        console.info(f"Risk register written to {out_path}")
    if outcome.carry is not None:
        console.info(outcome.carry.summary_line())
    hits = fail_on_mod.reaches(register, threshold) if threshold else []
    return Result(register, outcome.carry, o.fail_on, hits)


def read_appetite(path: str) -> Appetite:
    """An --appetite file, read before any question is asked so its problems show first."""
    from risk_cli.readers import appetite

    return appetite.read(path)


def from_file(name: Optional[str], path: str, appetite: Optional[Appetite] = None,
              allow_incomplete: bool = False) -> Outcome:
    """Non-interactive: answers (file, register or template) in, scored register out; read and
    checked exactly as batch and import do (see readers.inputs.read_checked). `allow_incomplete`:
    a missing required answer is scored cautiously and the register is provisional."""
    from risk_cli.readers import inputs
    from risk_cli.readers.scores import mismatches

    result = inputs.read_checked(path, Versions(name), appetite, complete=not allow_incomplete)
    if result.errors:
        raise InputProblems(result.errors)
    if result.format_2 is not None:  # a workbook for a points or rated questionnaire: assessed with -q ID
        f2 = result.format_2.questionnaire
        raise RiskCliError(f"{path}: holds answers to {f2.label} (a {f2.model} questionnaire); give -q {f2.id} "
                           "to assess it")
    assert result.questionnaire is not None and result.answers is not None
    register = assess(result.questionnaire, result.answers)
    # a register given as the answers: its likelihoods and impacts people edited are named
    return Outcome(register, result.warnings + mismatches(path, result.score_cells, register))


def default_register_path(register: Register) -> Path:
    from risk_cli.fileio import free_name

    slug = re.sub(r"[^a-z0-9]+", "-", register.profile("name").lower()).strip("-")[:60] or "use-case"
    return free_name(Path(f"{slug}-risk-register.xlsx"))


def interactive(name: Optional[str], defaults_path: Optional[str], resume_path: Optional[str],
                save_path: Optional[str], echo: Callable[[str], None],
                previous: Optional["Previous"] = None, fail_on: Optional[str] = None,
                appetite: Optional[Appetite] = None, on_stderr: bool = False,
                force: bool = False, review: bool = False) -> Outcome:
    """Ask in the terminal (the prompts on stderr when `on_stderr`: stdout is redirected), saving the answers after every one, then check and score them.

    Defaults come from `defaults_path` (last time's answers, or a register); `resume_path`
    continues an interrupted run (with `review`, a complete one opens on the review); `previous`
    (readers.register.Previous, for --previous) and
    `fail_on` are checked against the questionnaire before the first question. Ctrl-C ends in
    `Interrupted`, which says where the answers are; so does "Save and quit" at the review, which
    follows the last question and ends in writing the register or not.
    """
    from risk_cli.fileio import free_name
    from risk_cli.readers import inputs
    from risk_cli.readers import terminal as prompting

    versions = Versions(name)
    defaults = None
    if resume_path:
        resumed = inputs.load(resume_path)
        if resumed.kind != "answers":
            raise RiskCliError(f"{resume_path}: is a {_KIND_NAMES.get(resumed.kind, resumed.kind)}, not a risk-cli "
                               f"answers file; --resume would replace it with answers. To start from its answers "
                               f"use --answers {resume_path}")
        raw = resumed.format_1()
        qn = versions.for_input(raw)
        start, _ = checked(qn, raw, resume_path, complete=False)
        target = Path(save_path or resume_path)
        if save_path:
            check_save_target(target, force, resumed=Path(resume_path))
    else:
        last = inputs.load(defaults_path) if defaults_path else None
        qn = versions.for_new_interview(last.format_1() if last else None)
        if last is not None:
            defaults = _defaults(qn, last, echo)
        start = Answers.new(qn)
        target = Path(save_path) if save_path else free_name(Path("risk-answers.yaml"))
        if save_path and target.exists() and not force:
            raise RiskCliError(f"{target}: already exists; to continue it use --resume {target} "
                               f"(or --force to replace it)")
        if save_path:
            check_save_target(target, force)
    if previous is not None:
        from risk_cli.readers import register as register_reader

        register_reader.check_comparable(previous, qn.id)
    if fail_on:
        fail_on_mod.rating_id(qn, fail_on)  # a usage error: say so before the first question
    if appetite is not None:  # likewise: an appetite that does not fit the questionnaire
        start, problems = appetite.apply(qn, start)
        if problems:
            raise InputProblems(problems)
    elif defaults is not None and defaults.appetite:  # last time's own appetite carries over
        start = dataclasses.replace(start, appetite=dict(defaults.appetite), appetite_source=defaults.appetite_source)
    from risk_cli.model import review as review_plan

    # The review follows the last question; a resumed file with nothing left to ask is written
    # straight away, as before, unless --review asks to see it first.
    nothing_to_ask = bool(resume_path) and review_plan.complete(qn, start)
    straight_to_review = review and nothing_to_ask
    echo(prompting.wrap(f"{qn.title} ({qn.label}): {len(qn.questions)} questions in {len(qn.sections)} sections."))
    if straight_to_review:
        echo(prompting.wrap(f"Every question in {target} is answered: review them, change any, then write the "
                            f"register. Changes are saved to {target} at once; Ctrl-C stops.") + "\n")
    else:
        echo(prompting.wrap(f"Your answers are saved to {target} after every question. Ctrl-C stops; "
                            f"continue later with: risk-cli assess --resume {target}") + "\n")

    def save(a: Answers) -> None:
        answers_mod.save(a, qn, target)

    def stopped(exc: Optional[BaseException] = None) -> Interrupted:
        """What Ctrl-C, SIGTERM and "Save and quit" at the review say: where the answers are and how
        to go on (once every question is answered, back to the review)."""
        again = f"--resume {target}" + (" --review" if review_plan.complete(qn, start) else "")
        return Interrupted(f"Stopped. Your answers so far are saved in {target}; continue with: risk-cli assess {again}",
                           exit_code=interrupt_code(exc) if exc is not None else None)

    save(start)
    try:
        final = start if straight_to_review else prompting.ask(
            qn, start, save, defaults=defaults, resume=bool(resume_path), echo=echo, on_stderr=on_stderr)
        write = (nothing_to_ask and not review) or prompting.review(qn, final, save, echo=echo, on_stderr=on_stderr)
    except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM
        raise stopped(exc) from None
    if not write:  # "Save and quit": as Ctrl-C, the answers kept and no register
        raise stopped()
    clean, warnings = checked(qn, final, str(target))
    save(clean)
    return Outcome(assess(qn, clean), warnings)


_KIND_NAMES = {"register": "risk register", "template": "questionnaire template"}


def check_save_target(target: Path, force: bool, resumed: Optional[Path] = None) -> None:
    """Refuse, before anything is written, a --save file that saving answers would destroy.

    Answers are saved as YAML after every question, so the target must be named .yaml or .yml
    and, if it exists, must be a risk-cli answers file (a register or template there would be
    replaced by YAML). An existing file other than the one resumed is replaced only with --force.
    """
    import os

    from risk_cli.readers import inputs

    if target.suffix.lower() not in inputs.YAML_SUFFIXES:
        raise RiskCliError(f"{target}: --save writes an answers file; give it a .yaml name")
    if target.is_dir():
        raise RiskCliError(f"{target}: is a directory; give --save a file name")
    if not target.exists():
        return
    same = False
    if resumed is not None:
        try:
            same = os.path.samefile(target, resumed)
        except OSError:
            same = False
    if same:
        return
    if not force:
        raise RiskCliError(f"{target}: already exists and is not the file resumed; use --force to replace it")
    try:
        inputs.load(target)
    except RiskCliError:
        raise RiskCliError(f"{target}: exists and is not a risk-cli answers file; --save will not replace it") from None


def _defaults(qn: Questionnaire, last: "Loaded", echo: Callable[[str], None]) -> Answers:
    """Last time's answers, checked, to offer as defaults.

    Answers given to another version of this questionnaire are offered where they still fit:
    re-assessing after the questionnaire is updated is when a person needs them most, and
    `--previous` compares registers across versions. A template maps versions itself.
    """
    previous, file = last.answers, str(last.path)
    if last.kind == "template" or previous.questionnaire_id != qn.id or previous.questionnaire_version in ("", qn.version):
        return checked(qn, previous, file, complete=False)[0]
    as_now = Answers(qn.id, qn.version, qn.sha256, previous.values, previous.assessed_on, previous.appetite,
                     previous.appetite_source)
    fit, _, _ = answers_mod.check(qn, as_now, file, complete=False)
    lost = [qid for qid in previous.values if qid not in fit.values]
    echo(f"{file} was answered for {qn.id} {previous.questionnaire_version}; its answers are the defaults where "
         f"they still fit {qn.label}" + (f" (no longer fit: {', '.join(lost)})" if lost else "") + ".")
    return fit
