"""The assess workflow: gather answers (file or terminal), check them, score, write outputs.

The CLI parses options and calls these; they hold the order of the steps and nothing else.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional

from risk_cli.model import answers as answers_mod
from risk_cli.model.answers import Answers
from risk_cli.errors import InputProblems, Interrupted, Problem, RiskCliError
from risk_cli.model.questionnaire import Questionnaire
from risk_cli.model.scoring import Register, assess

if TYPE_CHECKING:
    from risk_cli.readers.inputs import Loaded
    from risk_cli.readers.register import Previous


@dataclass
class Outcome:
    """What the assess workflow hands the CLI, the same whether the answers came from a file or the
    terminal, so outputs are written one way."""

    register: Register
    warnings: list[Problem] = field(default_factory=list)
    carry: Any = None  # register_import.Carry when re-assessed against a previous register


def questionnaire_for(name: Optional[str], answers: Optional[Answers], newest: bool = False) -> Questionnaire:
    """The questionnaire named, else the one the answers were given to (by id, never as a
    path), else the default. `newest`: a new interview that only takes last time's answers as
    defaults asks the newest bundled version, the questions an assurance team asks today."""
    from risk_cli.readers import inputs
    from risk_cli.catalogue import bundled

    if newest and not name and answers is not None and answers.questionnaire_id:
        return bundled.by_id(answers.questionnaire_id)
    return inputs.Questionnaires(name).for_answers(answers)


def read_answers(path: str) -> Answers:
    """Answers from an answers file, a register risk-cli wrote, or a filled template."""
    from risk_cli.readers import inputs

    return inputs.load(path).answers


def checked(qn: Questionnaire, raw: Answers, file: str, complete: bool = True) -> tuple[Answers, list[Problem]]:
    """Validate answers from any input (see inputs.check_answers); every problem at once, or the
    clean answers and any warnings."""
    from risk_cli.readers import inputs

    clean, errors, warnings = inputs.check_answers(qn, raw, file, complete=complete)
    if errors:
        raise InputProblems(errors)
    return clean, warnings


def from_file(name: Optional[str], path: str) -> Outcome:
    """Non-interactive: answers (file, register or template) in, scored register out; read and
    checked exactly as batch and import do (see inputs.read_checked)."""
    from risk_cli.readers import inputs

    result = inputs.read_checked(path, inputs.Questionnaires(name))
    if result.errors:
        raise InputProblems(result.errors)
    assert result.questionnaire is not None and result.answers is not None
    return Outcome(assess(result.questionnaire, result.answers), result.warnings)


def rating_id(qn: Questionnaire, text: str) -> str:
    """Accept a rating by id or label, any case."""
    for band in qn.scoring.ratings:
        if text.lower() in (band.id.lower(), band.label.lower()):
            return band.id
    allowed = ", ".join(b.id for b in qn.scoring.ratings)
    raise RiskCliError(f"--fail-on: '{text}' is not a rating of {qn.label} (ratings: {allowed})")


def reaches(register: Register, rating: str) -> list[str]:
    """Risk ids whose residual rating is `rating` or worse."""
    scoring = register.questionnaire.scoring
    floor = scoring.rank(rating)
    return [r.risk.id for r in register.risks if scoring.rank(r.residual_rating.id) >= floor]


def default_register_path(register: Register) -> Path:
    from risk_cli.fileio import free_name

    slug = re.sub(r"[^a-z0-9]+", "-", register.profile("name").lower()).strip("-")[:60] or "use-case"
    return free_name(Path(f"{slug}-risk-register.xlsx"))


def interactive(name: Optional[str], defaults_path: Optional[str], resume_path: Optional[str],
                save_path: Optional[str], echo: Callable[[str], None],
                previous: Optional["Previous"] = None) -> Outcome:
    """Ask in the terminal, saving the answers after every one, then check and score them.

    Defaults come from `defaults_path` (last time's answers, or a register); `resume_path`
    continues an interrupted run; `previous` (register_import.Previous, for --previous) is
    checked against the questionnaire before the first question. Ctrl-C ends in
    `Interrupted`, which says where the answers are.
    """
    from risk_cli.readers import inputs
    from risk_cli.readers import terminal as prompting
    from risk_cli.fileio import free_name

    defaults = None
    if resume_path:
        raw = read_answers(resume_path)
        qn = questionnaire_for(name, raw)
        start, _ = checked(qn, raw, resume_path, complete=False)
        target = Path(save_path or resume_path)
    else:
        last = inputs.load(defaults_path) if defaults_path else None
        qn = questionnaire_for(name, last.answers if last else None, newest=True)
        if last is not None:
            defaults = _defaults(qn, last, echo)
        start = Answers.new(qn)
        target = Path(save_path) if save_path else free_name(Path("risk-answers.yaml"))
        if save_path and target.exists():
            raise RiskCliError(f"{target}: already exists; to continue it use --resume {target}")
    if previous is not None:
        from risk_cli.readers import register as register_import

        register_import.check_comparable(previous, qn.id)
    echo(f"{qn.title} ({qn.label}): {len(qn.questions)} questions in {len(qn.sections)} sections.")
    echo(f"Your answers are saved to {target} after every question. Ctrl-C stops; "
         f"continue later with: risk-cli assess --resume {target}\n")

    def save(a: Answers) -> None:
        answers_mod.save(a, qn, target)

    save(start)
    try:
        final = prompting.ask(qn, start, save, defaults=defaults, resume=bool(resume_path), echo=echo)
    except KeyboardInterrupt:
        raise Interrupted(f"Stopped. Your answers so far are saved in {target}; "
                          f"continue with: risk-cli assess --resume {target}") from None
    clean, warnings = checked(qn, final, str(target))
    save(clean)
    return Outcome(assess(qn, clean), warnings)


def _defaults(qn: Questionnaire, last: "Loaded", echo: Callable[[str], None]) -> Answers:
    """Last time's answers, checked, to offer as defaults.

    Answers given to another version of this questionnaire are offered where they still fit:
    re-assessing after the questionnaire is updated is when a person needs them most, and
    `--previous` compares registers across versions. A template maps versions itself.
    """
    previous, file = last.answers, str(last.path)
    if last.kind == "template" or previous.questionnaire_id != qn.id or previous.questionnaire_version in ("", qn.version):
        return checked(qn, previous, file, complete=False)[0]
    as_now = Answers(qn.id, qn.version, qn.sha256, previous.values, previous.assessed_on)
    fit, _, _ = answers_mod.check(qn, as_now, file, complete=False)
    lost = [qid for qid in previous.values if qid not in fit.values]
    echo(f"{file} was answered for {qn.id} {previous.questionnaire_version}; its answers are the defaults where "
         f"they still fit {qn.label}" + (f" (no longer fit: {', '.join(lost)})" if lost else "") + ".")
    return fit


def stdin_is_terminal() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def write_register(register: Register, path: Path, force: bool, carry: Any = None) -> None:
    from risk_cli.writers import register as register_xlsx

    register_xlsx.write(register, path, force=force, carry=carry)


def read_previous(path: str) -> Any:
    """A previous register, read before any question is asked so its problems show first."""
    from risk_cli.readers import register as register_import

    return register_import.read(path)


def compare_previous(outcome: Outcome, previous: Any) -> None:
    """Carry a previous register's human edits into this assessment and mark what changed."""
    from risk_cli.readers import register as register_import

    outcome.carry = register_import.carry_over(previous.path, outcome.register, previous)
    outcome.warnings.extend(outcome.carry.warnings)


