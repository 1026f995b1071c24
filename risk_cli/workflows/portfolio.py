"""The portfolio workflow: read and score every input (registers, answers files, templates,
folders), build the portfolio, write its workbook.

A bad input never stops the run: it becomes a `Skipped` with the reason, and the caller
decides (skip with exit code 3, or fail with --strict). Registers are scored from their
hidden data sheet only; a score in a spreadsheet is never used, and a likelihood or impact
people edited in the Risk register is a warning (readers.scores).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Optional

from risk_cli.catalogue.versions import Versions
from risk_cli.errors import InputProblems, Problem, RiskCliError, exit_code
from risk_cli.model.answers import Appetite
from risk_cli.model.marking import DEFAULT as DEFAULT_MARKING
from risk_cli.model.portfolio import Assessed, OtherModel, Portfolio, Skipped
from risk_cli.readers.inputs import checked

if TYPE_CHECKING:
    from risk_cli.output.console import Console
    from risk_cli.readers.inputs import Loaded


@dataclass
class Gathered:
    """What reading a portfolio's inputs produced, good and bad together, so one bad file never stops
    the rest and the caller decides what to do with it."""

    assessed: list[Assessed] = field(default_factory=list)
    others: list[OtherModel] = field(default_factory=list)  # format-2 assessments, listed apart
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def skipped(path: str, exc: Exception) -> Skipped:
    if isinstance(exc, InputProblems) and exc.problems:
        return Skipped(path, str(exc.problems[0]), len(exc.problems) - 1)
    return Skipped(path, f"{path}: {exc}")


def assess_one(path: Path, versions: Versions, appetite: Optional[Appetite] = None,
               warnings: Optional[list[Problem]] = None) -> tuple["Assessed | OtherModel", str]:
    """Read, check and score one input; InputProblems or RiskCliError when it is unusable.

    Also returns the questionnaire hash the answers recorded when it differs from the
    questionnaire's now (its content changed since), else "". A register's likelihoods and
    impacts that people edited away from the answers' scores are added to `warnings`.
    """
    from risk_cli.readers import inputs
    from risk_cli.readers.scores import mismatches
    from risk_cli.model.scoring import assess

    loaded = inputs.load_fast(path, format_2=bool(versions.given_format_2))
    if (loaded.answers is None and versions.given_format_2 and loaded.document is not None
            and versions.format_2_for(loaded.document.data) is None):  # not for a -q format-2 file: format 1
        loaded = inputs.from_document(loaded.path, loaded.kind, loaded.document, False, loaded.score_cells)
    if loaded.answers is None:  # answers to a format-2 questionnaire (rated or points), or its workbook
        return other_model(loaded, versions), ""
    raw = loaded.format_1()
    qn = versions.for_input(raw, loaded.kind)
    clean, _ = checked(qn, raw, str(path))  # warnings: answers to questions that did not apply
    if appetite is not None:
        clean, problems = appetite.apply(qn, clean)
        if problems:
            raise InputProblems(problems)
    changed = raw.questionnaire_sha256 if raw.questionnaire_sha256 and raw.questionnaire_sha256 != qn.sha256 else ""
    register = assess(qn, clean)
    if warnings is not None:
        warnings.extend(mismatches(str(path), loaded.score_cells, register))
    return Assessed(str(path), loaded.kind, path.stat().st_mtime, register), changed


def other_model(loaded: "Loaded", versions: Versions) -> OtherModel:
    """A format-2 input checked and scored with its own model, as the portfolio lists it; InputProblems
    when its answers are wrong."""
    from risk_cli.model.text import english
    from risk_cli.readers import inputs

    checked_ = inputs.check_loaded(loaded, versions)
    if checked_.errors or checked_.format_2 is None:
        raise InputProblems(checked_.errors or [Problem(str(loaded.path), "is not answers to a questionnaire")])
    answers = checked_.format_2
    qn, outcome = answers.questionnaire, answers.outcome()
    base = dict(path=str(loaded.path), kind=loaded.kind, use_case=loaded.path.stem, questionnaire=qn.label)
    if answers.is_rated:
        top = outcome.overall
        return OtherModel(**base, model="rated", result_id=top.id, result_label=english(top.label),
                          counts=tuple((r.id, english(r.label), sum(1 for x in outcome.risks if x.rating.id == r.id))
                                       for r in qn.ratings),
                          highest=tuple(x.risk.id for x in outcome.risks if x.rating.id == top.id))
    return OtherModel(**base, model="points", result_id=outcome.level.id, result_label=english(outcome.level.label),
                      score=outcome.score, maximum=outcome.maximums[qn.score_total],
                      discount=bool(outcome.applied) if qn.adjustments else None)


def expand(inputs: Iterable[str], output: Optional[Path] = None) -> tuple[list[Path], list[Skipped]]:
    """The files to read (folders recursively, in sorted order) and the inputs that name nothing.

    The output workbook is left out, so writing it inside an input folder and running the
    same command again works.
    """
    from risk_cli.readers import inputs as inputs_mod

    files, problems = inputs_mod.expand(inputs)
    if output is not None:
        files = [f for f in files if f.resolve() != output.resolve()]
    return files, [Skipped(p.file, str(p)) for p in problems]


def gather(files: Iterable[Path], versions: Versions, tick: Optional[Callable[[], None]] = None,
           debug: bool = False, appetite: Optional[Appetite] = None) -> Gathered:
    """Every file scored, or skipped with its reason; `tick` is called after each (progress)."""
    out = Gathered()
    changed: dict[tuple[str, str, str], list[str]] = {}
    for path in files:
        try:
            edits: list[Problem] = []
            assessed, old_hash = assess_one(path, versions, appetite, edits)
        except RiskCliError as exc:
            out.skipped.append(skipped(str(path), exc))
        except Exception as exc:  # a file that trips a bug must not stop a thousand others
            if debug:
                raise
            out.skipped.append(Skipped(str(path), f"{path}: could not be read (internal error {type(exc).__name__}: "
                                                  f"{exc}; please report it)"))
        else:
            if isinstance(assessed, OtherModel):
                out.others.append(assessed)
                if tick is not None:
                    tick()
                continue
            out.assessed.append(assessed)
            out.warnings.extend(edits)
            if old_hash:
                qn = assessed.register.questionnaire
                changed.setdefault((qn.id, qn.version, old_hash[:12]), []).append(str(path))
        if tick is not None:
            tick()
    for (qid, version, old), paths in changed.items():  # one line per content change, not per file
        shown = ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
        out.warnings.append(Problem(f"{qid} {version}", f"{len(paths)} input(s) were answered when this questionnaire "
                                    f"had different content (sha256 {old}...); they were checked and scored against "
                                    f"its current content: {shown}"))
    return out


@dataclass
class Outcome:
    """A built portfolio and the inputs skipped, for output.portfolio to print."""

    portfolio: Portfolio
    skipped: list[Skipped]

    @property
    def exit_code(self) -> int:
        return int(exit_code(some_bad=bool(self.skipped)))

    @property
    def closing(self) -> list[str]:
        return []


def run(inputs: Iterable[str], output: Optional[str], questionnaires: Iterable[str], force: bool, strict: bool,
        escalate_tier: Optional[int], progress: bool, debug: bool, console: "Console",
        appetite_path: Optional[str] = None, report: Optional[str] = None, marking: str = DEFAULT_MARKING) -> Outcome:
    """`risk-cli portfolio`: every input read and scored (a bad one reported and skipped, or the run
    stopped with --strict), the portfolio built and its workbook (and board pack, with `report`) written."""
    from risk_cli.fileio import check_writable
    from risk_cli.model import marking as marking_rule
    from risk_cli.model import portfolio as portfolio_mod
    from risk_cli.workflows import report as report_flow

    mark = marking_rule.check(marking)
    out_path = Path(output) if output else None
    if out_path is not None:
        check_writable(out_path, force)
    report_path = report_flow.check_output(report, force)
    if out_path is not None and report_path is not None and out_path.resolve() == report_path.resolve():
        raise RiskCliError("-o and --report name the same file")
    versions = Versions.library(questionnaires)
    appetite = None
    if appetite_path:
        from risk_cli.readers import appetite as appetite_reader

        appetite = appetite_reader.read(appetite_path)
    files, missing = expand(inputs, out_path)
    with console.progress(len(files), "Reading", show=progress and len(files) > 20) as tick:
        gathered = gather(files, versions, tick=tick, debug=debug, appetite=appetite)
    skipped = missing + gathered.skipped
    for s in skipped:
        console.error(s.line() + ("" if strict else " (skipped)"))
    if strict and skipped:
        raise RiskCliError(f"--strict: {len(skipped)} bad input(s); nothing written")
    if not gathered.assessed:
        if gathered.others:
            raise RiskCliError(f"only format-2 assessments ({len(gathered.others)}, rated or points model) among the "
                               "inputs: a portfolio needs at least one 5x5 register, answers file or template; "
                               "nothing written (risk-cli batch summarises format-2 inputs alone)")
        raise RiskCliError("no use case could be read from the inputs; nothing written")
    if appetite is not None and gathered.others:
        gathered.warnings.append(Problem("--appetite", f"not applied to the {len(gathered.others)} format-2 input(s) "
                                         "(rated or points model: no residual 5x5 scores to hold against it)"))
    pf = portfolio_mod.build(gathered.assessed, versions.newest_versions(), escalate_tier, tuple(skipped),
                             tuple(gathered.warnings))
    if gathered.others:
        import dataclasses

        pf = dataclasses.replace(pf, others=tuple(gathered.others))
    for w in pf.warnings:
        console.warn(str(w))
    for d in pf.duplicates[:20]:
        console.warn(d.line())
    if len(pf.duplicates) > 20:
        console.warn(f"... and {len(pf.duplicates) - 20} more use cases given more than once (all are listed on the "
                     "Inputs sheet and in --format json)")
    if out_path is not None:
        from risk_cli.writers import portfolio as portfolio_xlsx

        portfolio_xlsx.write(pf, out_path, force, mark)
        console.info(f"Portfolio written to {out_path}")
    if report_path is not None:
        from risk_cli.model.report import build_portfolio

        report_flow.write(build_portfolio(pf, mark), report_path, force)
        console.info(f"Board pack written to {report_path}")
    return Outcome(pf, skipped)
