"""Batch assessment: many inputs in, one register each plus a summary workbook out.

A central team points this at a folder of a thousand answers files, filled templates or
registers. Every input is read, checked, scored and written on its own, so one bad file
never stops the rest; bad files are reported with their reasons and listed in the summary.

Work is spread over processes (`jobs`), each of which loads a questionnaire once and keeps
it, and hands back only a small `Result` record. Results are kept in input order, so the
summary and every register are the same whatever the number of processes. Every file is
written atomically, so an interrupted batch leaves only complete files behind.
"""

from __future__ import annotations

import os
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional, Sequence

if TYPE_CHECKING:
    from risk_cli.output.console import Console

from risk_cli import fileio
from risk_cli.model.answers import Appetite
from risk_cli.errors import (ExitCode, InputProblems, Interrupted, Problem, RiskCliError, exit_code,
                             interrupt_code, one_line)

SUMMARY_XLSX = "batch-summary.xlsx"
REGISTER_SUFFIX = "-register.xlsx"
MAX_CHUNK = 4  # inputs handed to a process at a time: low overhead, and the last ones finish together


@dataclass(frozen=True)
class Options:
    """What every input is assessed with; sent to each worker process once."""

    questionnaire: Optional[str] = None  # -q: a bundled id or a file; None: the one each input names
    force: bool = False
    fail_on: Optional[str] = None  # a rating id or label
    appetite: Optional[Appetite] = None  # --appetite: the organisation's own, for every input
    atrs: bool = False  # --atrs: a draft ATRS record beside each register (workflows.atrs)
    include_security: bool = False  # --include-security: for those records
    marking: str = "OFFICIAL"  # --marking: the protective marking printed on every workbook


@dataclass(frozen=True)
class Task:
    """One input handed to a worker process: plain values so it is cheap to send, and its index so
    results keep input order."""

    index: int
    source: str  # the input file
    output: str  # where its register goes


@dataclass
class Result:
    """One input's outcome: small and plain, so it is cheap to send between processes."""

    index: int
    file: str
    status: str  # "ok" or "bad"
    kind: str = ""  # answers, register or template (empty when it could not be read)
    problems: tuple[str, ...] = ()  # every problem, one line each: file, place, what
    warnings: tuple[str, ...] = ()
    register: str = ""  # the register written (empty for a bad input)
    questionnaire: str = ""  # "id version"
    use_case: str = ""
    organisation: str = ""
    tier_level: Optional[int] = None
    tier: str = ""
    ratings: tuple[tuple[str, str, str], ...] = ()  # (id, label, colour), worst first
    residual: tuple[int, ...] = ()  # residual counts, aligned with `ratings`
    risks: int = 0
    worst_id: str = ""
    worst_score: Optional[int] = None
    worst_rating: str = ""
    breaches: tuple[str, ...] = ()  # risk ids whose residual score is above appetite
    fail_on_hits: tuple[str, ...] = ()  # risk ids at or above the --fail-on rating
    records: tuple[str, ...] = ()  # --atrs: the record files written
    # a format-2 input (docs/questionnaire-format.md): its model's result instead of a tier and 5x5 counts
    model: str = ""  # "rated" or "points"; "" for a format-1 (5x5) register or a bad input
    language: str = ""  # the language its workbook is written in
    overall: tuple[str, str] = ()  # rated: the overall rating (id, label): the highest risk rating
    rated: tuple[tuple[str, str, int], ...] = ()  # rated: (rating id, label, risks at it), highest first
    highest: tuple[str, ...] = ()  # rated: the risk ids at the overall rating
    level: tuple[str, str] = ()  # points: the impact level (id, label)
    score: Optional[float] = None  # points: the score (the score total, after any discount)
    maximum: Optional[float] = None  # points: the score total's maximum
    discount: Optional[bool] = None  # points: whether an adjustment (the mitigation discount) applied
    unanswered: int = 0  # format 2: questions shown but not answered (named in `warnings`)

    @property
    def result(self) -> str:
        """What the input came to, in one cell: its tier, its overall rating, or its impact level."""
        if not self.ok:
            return ""
        if self.model == "rated":
            return (f"{self.overall[1]} overall: "
                    + ", ".join(f"{n} {label.lower()}" for _, label, n in self.rated))
        if self.model == "points":
            from risk_cli.model.points import number

            return (f"{self.level[1]}: score {number(self.score)} of {number(self.maximum)}"
                    + ("" if self.discount is None else "; discount applied" if self.discount else "; no discount"))
        return self.tier

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def reason(self) -> str:
        """The first problem, and how many more there are: one line for the terminal."""
        if not self.problems:
            return ""
        more = len(self.problems) - 1
        if not more:
            return self.problems[0]
        return f"{self.problems[0]} (and {more} more; all are on the Problems sheet of {SUMMARY_XLSX})"


@dataclass
class Plan:
    """What a batch will do, worked out and checked before any work starts."""

    outdir: Path
    options: Options
    tasks: list[Task]
    missing: list[Result] = field(default_factory=list)  # inputs named that could not be found

    @property
    def total(self) -> int:
        return len(self.tasks) + len(self.missing)

    @property
    def summary_path(self) -> Path:
        return self.outdir / SUMMARY_XLSX


# -- planning ------------------------------------------------------------------------------

def prepare(inputs: Sequence[str | Path], outdir: str | Path, options: Options = Options()) -> Plan:
    """Expand folders, name every output and refuse to overwrite, all before any work.

    Raises RiskCliError (exit 2, nothing written) when there is nothing to assess, when an
    output would replace a file without --force (every clash listed), or when OUTDIR cannot
    be used. Files inside OUTDIR found by expanding a folder are skipped, so a batch can be
    run again over a folder that holds its own outputs.
    """
    from risk_cli.readers import inputs as inputs_mod

    out = Path(outdir)
    if out.exists() and not out.is_dir():
        raise RiskCliError(f"{out}: is not a folder; -o needs a folder for the registers")
    named = {Path(p).resolve() for p in inputs}
    out_resolved = out.resolve()
    files: list[Path] = []
    order: list[tuple[str, Any]] = []  # ("file", Path) or ("missing", Problem), in input order
    seen: set[Path] = set()
    for raw in inputs:
        found, problems = inputs_mod.expand([raw])
        for problem in problems:
            order.append(("missing", problem))
        for f in found:
            key = f.resolve()
            if key in seen or (key not in named and out_resolved in key.parents):
                continue
            seen.add(key)
            files.append(f)
            order.append(("file", f))
    if not files:
        raise InputProblems([p for kind, p in order if kind == "missing"]
                            or [Problem(", ".join(map(str, inputs)) or "(none)", "no inputs to assess")])
    names = register_names(files)
    planned = [out / n for n in names + [SUMMARY_XLSX]]
    if options.atrs:
        from risk_cli.workflows.atrs import record_paths

        planned += [p for n in names for p in record_paths(out / n)]
    replaced = _inputs_replaced(planned, files)
    if replaced:  # even with --force: inputs are never modified
        raise InputProblems([Problem(str(out_path), f"would replace the input {source}; inputs are never modified, "
                                                    "so choose another folder with -o")
                             for out_path, source in replaced])
    clashes = [p for p in planned if p.exists()]
    if clashes and not options.force:
        raise InputProblems([Problem(str(c), "already exists; use --force to replace it") for c in clashes])
    _check_options(options)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RiskCliError(f"{out}: cannot create the folder ({exc.strerror or exc})") from None
    if not os.access(out, os.W_OK):
        raise RiskCliError(f"{out}: cannot write in this folder (permission denied)")
    tasks: list[Task] = []
    missing: list[Result] = []
    by_file = dict(zip(files, names))
    for index, (kind, item) in enumerate(order):
        if kind == "file":
            tasks.append(Task(index, str(item), str(out / by_file[item])))
        else:
            missing.append(Result(index, item.file, "bad", problems=(str(item),)))
    return Plan(out, options, tasks, missing)


def _inputs_replaced(planned: Sequence[Path], files: Sequence[Path]) -> list[tuple[Path, Path]]:
    """Each planned output that is one of the inputs (by resolved path, or the same file under
    another name: a hard link, a case-insensitive file system), with that input."""
    by_key: dict[Any, Path] = {}
    for f in files:
        by_key[f.resolve()] = f
        try:
            st = f.stat()
            by_key[(st.st_dev, st.st_ino)] = f
        except OSError:
            pass
    found: list[tuple[Path, Path]] = []
    for out_path in planned:
        source = by_key.get(out_path.resolve())
        if source is None:
            try:
                st = out_path.stat()
                source = by_key.get((st.st_dev, st.st_ino))
            except OSError:
                pass
        if source is not None:
            found.append((out_path, source))
    return found


def read_appetite(path: Optional[str]) -> Optional[Appetite]:
    """The --appetite file, read once for the whole batch (its problems are the run's: exit 2)."""
    if not path:
        return None
    from risk_cli.readers import appetite

    return appetite.read(path)


def _check_options(options: Options) -> None:
    """A -q that does not load, or a --fail-on that is not one of its ratings, is a usage error."""
    if options.questionnaire is None:
        return
    from risk_cli.catalogue.versions import Versions
    from risk_cli.workflows.fail_on import rating_id

    versions = Versions(options.questionnaire)
    format_2 = versions.format_2_named()
    if format_2 is not None:  # every input is for this points or rated questionnaire
        from risk_cli.workflows.fail_on import format_2_threshold

        if options.fail_on:
            format_2_threshold(format_2, options.fail_on)
        if options.appetite is not None:
            raise RiskCliError(f"--appetite: {format_2.label} is a format-2 questionnaire ({format_2.model} model), "
                               "which has no residual 5x5 scores to hold against a risk appetite; drop --appetite")
        if options.atrs:
            raise RiskCliError(f"--atrs: {format_2.label} is a format-2 questionnaire ({format_2.model} model), "
                               "which has no ATRS mapping; drop --atrs")
        return
    qn = versions.named()
    if options.fail_on:
        rating_id(qn, options.fail_on)


def register_names(files: Sequence[Path]) -> list[str]:
    """`<stem>-register.xlsx` per input; stems that clash gain their parent folders, then more.

    A stem already ending in `-register` is not doubled.

    Deterministic: the names depend only on the list of inputs, never on which inputs turn
    out bad. Clashes are found ignoring case, for file systems that ignore it.
    """
    absolute = [Path(os.path.abspath(f)) for f in files]
    names = [_base(f) for f in absolute]
    groups: dict[str, list[int]] = {}
    for i, name in enumerate(names):
        groups.setdefault(name.casefold(), []).append(i)
    for members in groups.values():
        if len(members) < 2:
            continue
        deepest = max(len(absolute[i].parent.parts) - 1 for i in members)
        best: dict[int, str] = {i: names[i] for i in members}
        for depth in range(1, deepest + 1):  # the fewest folders that tell the most apart
            candidates = {i: "-".join(absolute[i].parent.parts[1:][-depth:] + (_base(absolute[i]),)) for i in members}
            if len({c.casefold() for c in candidates.values()}) > len({b.casefold() for b in best.values()}):
                best = candidates
            if len({c.casefold() for c in best.values()}) == len(members):
                break
        for i in members:
            names[i] = best[i]
    taken: set[str] = set()
    for i, name in enumerate(names):
        if name.casefold() in taken:  # same folder and stem (a.yaml, a.xlsx), or a made-up name met a real one
            name = f"{name}-{absolute[i].suffix.lstrip('.').lower() or 'file'}"
            n = 2
            base = name
            while name.casefold() in taken:
                name = f"{base}-{n}"
                n += 1
        taken.add(name.casefold())
        names[i] = name
    # a name over 255 bytes cannot be made: shortened, deterministically (fileio.fit_stem)
    return [fileio.fit_name(n, REGISTER_SUFFIX) for n in names]


def _base(path: Path) -> str:
    """The stem, less a trailing '-register' (re-assessing x-register.xlsx writes x-register.xlsx)."""
    stem = path.stem
    cut = len(REGISTER_SUFFIX) - len(".xlsx")
    if stem.lower().endswith(REGISTER_SUFFIX[:-5]) and len(stem) > cut:
        return stem[:-cut]
    return stem


# -- the work, in a worker process or in this one -------------------------------------------

class Worker:
    """Assesses inputs one at a time, choosing each one's questionnaire (see catalogue.versions)."""

    def __init__(self, options: Options) -> None:
        from risk_cli.catalogue.versions import Versions

        self.options = options
        self.versions = Versions(options.questionnaire)

    def fail_on(self, qn: Any) -> Optional[str]:
        """The --fail-on rating id for this questionnaire (ratings can differ between them)."""
        if not self.options.fail_on:
            return None
        from risk_cli.workflows.fail_on import rating_id

        return rating_id(qn, self.options.fail_on)

    def process(self, task: Task) -> Result:
        """Read, check, score and write one input. Never raises for a bad input."""
        from risk_cli.model import scoring
        from risk_cli.readers import inputs
        from risk_cli.workflows.fail_on import reaches
        from risk_cli.writers import register as register_xlsx

        kind = ""
        try:
            checked = inputs.read_checked(task.source, self.versions, self.options.appetite)
            kind = checked.kind
            if checked.errors:
                return Result(task.index, task.source, "bad", kind,
                              problems=_lines(task.source, [str(p) for p in checked.errors]))
            if checked.format_2 is not None:
                return self.process_format_2(task, checked.format_2, checked.warnings)
            qn = checked.questionnaire
            if self.options.atrs:
                from risk_cli.workflows import atrs

                atrs.mapped(qn, task.source)
            register = scoring.assess(qn, checked.answers)
            threshold = self.fail_on(qn)
            hits = tuple(reaches(register, threshold)) if threshold else ()
            register_xlsx.write(register, Path(task.output), force=self.options.force, marking=self.options.marking)
            records = self.records(register, Path(task.output))
        except RiskCliError as exc:
            return Result(task.index, task.source, "bad", kind, problems=_lines(task.source, exc.lines()))
        except (KeyboardInterrupt, SystemExit):
            raise
        except Exception as exc:  # a bug, or a library failing on a strange file: report it, keep going
            message = f"{task.source}: internal error: {type(exc).__name__}: {exc} (please report it)"
            return Result(task.index, task.source, "bad", kind, problems=(message,))
        from risk_cli.readers.scores import mismatches  # a register's edited likelihoods and impacts

        warnings = checked.warnings + mismatches(str(task.source), checked.score_cells, register)
        return summarise(task, kind, register, warnings, hits, records)

    def process_format_2(self, task: Task, answers: Any, warnings: list[Problem]) -> Result:
        """An input for a points or rated questionnaire: scored with its own model, its workbook
        written to the same OUTDIR/<name>-register.xlsx a format-1 register would take. Raises
        RiskCliError for what makes it a bad input (process reports it)."""
        from risk_cli.workflows import fail_on

        qn = answers.questionnaire
        model = "rated" if answers.is_rated else "points"
        if self.options.atrs:  # as a format-1 questionnaire without an ATRS mapping: the input is bad
            raise RiskCliError(f"--atrs: {qn.label} is a format-2 questionnaire ({model} model), which has no "
                               "ATRS mapping; no record can be drafted from it (run the batch without --atrs "
                               "for these inputs)")
        outcome = answers.outcome()
        hits: tuple[str, ...] = ()
        if self.options.fail_on:
            hits = tuple(fail_on.format_2_reaches(outcome, fail_on.format_2_threshold(qn, self.options.fail_on)))
        notes = [str(w) for w in warnings]
        if self.options.appetite is not None:
            notes.append(f"{one_line(task.source)}: --appetite was not applied: the {model} model has no residual "
                         "5x5 scores to hold against a risk appetite")
        if answers.is_rated:
            from risk_cli.writers import rated_workbook as workbook
        else:
            from risk_cli.writers import points_workbook as workbook  # type: ignore[no-redef]
        workbook.write(outcome, Path(task.output), force=self.options.force, marking=self.options.marking,
                       lang=answers.lang)
        return summarise_format_2(task, answers, outcome, tuple(notes), hits)

    def records(self, register: Any, register_path: Path) -> tuple[str, ...]:
        """With --atrs, the input's draft ATRS record beside its register (Markdown and workbook)."""
        if not self.options.atrs:
            return ()
        from risk_cli.workflows import atrs

        record = atrs.draft(register, self.options.include_security)
        paths = atrs.record_paths(register_path)
        for path in paths:
            atrs.write(record, path, self.options.force, self.options.marking)
        return tuple(str(p) for p in paths)


def _lines(source: str, lines: list[str]) -> tuple[str, ...]:
    """Every problem line names its file; prefix the input's name where a line does not."""
    shown = one_line(source)  # as the problem lines show it: a name may hold a line break
    return tuple(line if line.startswith(shown) else f"{shown}: {line}" for line in lines)


def summarise(task: Task, kind: str, register: Any, warnings: list[Problem], hits: tuple[str, ...],
              records: tuple[str, ...] = ()) -> Result:
    """The summary row of one register."""
    qn = register.questionnaire
    bands = tuple(reversed(qn.scoring.ratings))
    counts = register.counts()
    worst = register.by_residual()[:1]
    return Result(
        index=task.index, file=task.source, status="ok", kind=kind, warnings=tuple(str(w) for w in warnings),
        register=task.output, questionnaire=qn.label, use_case=register.profile("name"),
        organisation=register.profile("organisation"), tier_level=register.tier.level.level,
        tier=register.tier.level.label, ratings=tuple((b.id, b.label, b.colour) for b in bands),
        residual=tuple(counts[b.id] for b in bands), risks=len(register.risks),
        worst_id=worst[0].risk.id if worst else "", worst_score=worst[0].residual_score if worst else None,
        worst_rating=worst[0].residual_rating.label if worst else "",
        breaches=tuple(r.risk.id for r in register.breaches), fail_on_hits=hits, records=records,
    )


def summarise_format_2(task: Task, answers: Any, outcome: Any, warnings: tuple[str, ...],
                       hits: tuple[str, ...]) -> Result:
    """The summary row of a format-2 input: its model's result. Format-2 answers hold no name, so
    the use case is the name its workbook takes (the same for the answers and for that workbook)."""
    from risk_cli.model.text import english

    qn = answers.questionnaire
    base = dict(index=task.index, file=task.source, status="ok", kind=answers.kind, warnings=warnings,
                register=task.output, questionnaire=qn.label, use_case=Path(task.output).name.removesuffix(REGISTER_SUFFIX),
                fail_on_hits=hits, language=answers.lang, unanswered=len(outcome.unanswered))
    if answers.is_rated:
        top = outcome.overall
        return Result(**base, model="rated", risks=len(outcome.risks), overall=(top.id, english(top.label)),
                      rated=tuple((r.id, english(r.label), sum(1 for x in outcome.risks if x.rating.id == r.id))
                                  for r in qn.ratings),
                      highest=tuple(x.risk.id for x in outcome.risks if x.rating.id == top.id))
    return Result(**base, model="points", level=(outcome.level.id, english(outcome.level.label)),
                  score=outcome.score, maximum=outcome.maximums[qn.score_total],
                  discount=bool(outcome.applied) if qn.adjustments else None)


_WORKER: Optional[Worker] = None
_PARENT = 0  # the batch's process id, as the worker saw it when it started
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _init_worker(options: Options, parent: int = 0) -> None:
    """Runs once per process: Ctrl-C is the parent's to handle, heavy imports happen once, and the
    process ends when its parent does.

    A worker whose batch ended (SIGTERM, kill -9) used to stay behind with PPID 1, blocked on
    its queue until killed by hand. Now, on Linux, the kernel sends it SIGTERM when the parent
    dies (prctl PR_SET_PDEATHSIG); elsewhere, and in case the parent died before that was set, a
    thread checks os.getppid() every second. On SIGTERM after its parent is gone a worker removes
    the temporary file it is writing, if any (a register already renamed into place is complete
    and stays), and exits.
    """
    global _WORKER, _PARENT
    _PARENT = parent or os.getppid()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_sigterm)
    _die_with_parent()
    from risk_cli.writers import register as register_xlsx  # noqa: F401  (openpyxl, once per process)

    _WORKER = Worker(options)


def _die_with_parent() -> None:
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != _PARENT:  # the parent died before the death signal was asked for
        os._exit(int(ExitCode.TERMINATED))
    import threading

    def watch() -> None:
        import time

        while True:
            time.sleep(1.0)
            if os.getppid() != _PARENT:
                os.kill(os.getpid(), signal.SIGTERM)
                return

    threading.Thread(target=watch, name="risk-cli-parent-watch", daemon=True).start()


def _worker_sigterm(signum: int, frame: Any) -> None:
    """While the batch is alive, SIGTERM is the batch's to handle, as Ctrl-C is (`kill -TERM -PGID`
    reaches every process; the batch stops its workers, each finishing the file in hand; a worker
    dying under it would break the pool mid-shutdown). Once the batch is gone: remove this
    worker's temporary files and leave at once. Never raises (an exception raised in a signal
    handler can land in a callback that drops it)."""
    from risk_cli.fileio import remove_pending

    if os.getppid() == _PARENT:
        return

    remove_pending()
    os._exit(int(ExitCode.TERMINATED))


def _process(task: Task) -> Result:
    assert _WORKER is not None, "worker not initialised"
    if os.getppid() != _PARENT:
        os._exit(int(ExitCode.TERMINATED))
    return _WORKER.process(task)


# -- running -----------------------------------------------------------------------------

def default_jobs() -> int:
    """The cores this process may use (fewer than the machine's in a container or under taskset)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def run_batch(plan: Plan, jobs: Optional[int] = None,
              on_result: Optional[Callable[[Result], None]] = None) -> list[Result]:
    """Assess every input of `plan`, write the summary workbook; results in input order.

    `on_result` is called once per input as it finishes (for a progress bar). Ctrl-C
    (KeyboardInterrupt) stops the work: processes finish the file in hand, nothing is
    half-written, no summary is written, and the KeyboardInterrupt is raised again.
    """
    results: list[Result] = list(plan.missing)
    for r in plan.missing:
        if on_result:
            on_result(r)
    tasks = plan.tasks
    jobs = max(1, min(jobs or default_jobs(), len(tasks)))
    if jobs == 1:
        worker = Worker(plan.options)
        for task in tasks:
            result = worker.process(task)
            results.append(result)
            if on_result:
                on_result(result)
    else:
        results.extend(_in_processes(plan, jobs, on_result))
    results.sort(key=lambda r: r.index)
    from risk_cli.writers.batch_summary import write_summary

    write_summary(plan, results)
    return results


def _in_processes(plan: Plan, jobs: int, on_result: Optional[Callable[[Result], None]]) -> list[Result]:
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, min(MAX_CHUNK, len(plan.tasks) // (jobs * 16)))
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=_context(), initializer=_init_worker,
                               initargs=(plan.options, os.getpid()))
    out: list[Result] = []
    try:
        for result in pool.map(_process, plan.tasks, chunksize=chunk):
            out.append(result)
            if on_result:
                on_result(result)
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown(wait=True)
    return out


def _stop(pool: Any) -> None:
    """Cancel what has not started and let each process finish its file (no half-written files)."""
    while True:
        try:
            pool.shutdown(wait=True, cancel_futures=True)
            return
        except KeyboardInterrupt:  # a second Ctrl-C while waiting: keep waiting, quietly
            continue


def _context() -> Any:
    """fork on Linux: workers start in milliseconds with the modules already imported."""
    import multiprocessing

    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


@dataclass
class Outcome:
    """A finished batch: every input's result in input order, for output.batch to print."""

    plan: Plan
    results: list[Result]
    quiet: bool = False

    @property
    def bad(self) -> list[Result]:
        return [r for r in self.results if not r.ok]

    @property
    def hits(self) -> list[Result]:
        return [r for r in self.results if r.fail_on_hits] if self.plan.options.fail_on else []

    @property
    def exit_code(self) -> int:
        return int(exit_code(some_bad=bool(self.bad), fail_on=bool(self.hits)))

    @property
    def closing(self) -> list[str]:
        """Lines for stderr after the result: --appetite left unapplied to format-2 inputs, the
        format-2 inputs with questions left unanswered, then the inputs that reached --fail-on."""
        lines = []
        unapplied = [r for r in self.results if r.ok and r.model] if self.plan.options.appetite is not None else []
        if unapplied:
            lines.append(f"warning: --appetite was not applied to {len(unapplied)} format-2 input(s) (rated or "
                         "points model: no residual 5x5 scores to hold against it): "
                         + ", ".join(one_line(r.file) for r in unapplied[:10])
                         + (f" and {len(unapplied) - 10} more" if len(unapplied) > 10 else ""))
        gaps = [r for r in self.results if r.ok and r.unanswered]
        if gaps:  # named one by one in the summary's warnings; a board should not miss them
            lines.append(f"warning: {len(gaps)} format-2 input(s) leave questions shown but not answered, scored as if "
                         "not asked (each is named in the warnings of batch-summary.xlsx): "
                         + ", ".join(f"{one_line(r.file)} ({r.unanswered})" for r in gaps[:10])
                         + (f" and {len(gaps) - 10} more" if len(gaps) > 10 else ""))
        hits = self.hits
        if not hits:
            return lines
        what = ("have a residual risk at or above it" if not any(r.model for r in hits)
                else "reached it (a residual risk, a rated risk or an impact level at or above it)")
        return lines + [f"--fail-on {self.plan.options.fail_on}: {len(hits)} input(s) {what}: "
                        + ", ".join(f"{r.file} ({', '.join(r.fail_on_hits)})" for r in hits[:10])
                        + (f" and {len(hits) - 10} more" if len(hits) > 10 else "")]


def _stamp(path: str) -> Optional[tuple[int, int, int]]:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_mtime_ns)


def outputs_now(plan: Plan) -> dict[str, Optional[tuple[int, int, int]]]:
    """Each planned register's identity (device, inode, mtime), or None where there is none."""
    return {task.output: _stamp(task.output) for task in plan.tasks}


def written_since(plan: Plan, before: dict[str, Optional[tuple[int, int, int]]]) -> int:
    """The registers of `plan` put in place since `before` was taken (what an interrupted batch
    wrote, including any whose result had not come back from its worker yet). Each is renamed
    into place whole, so a new identity means a new, complete file."""
    return sum(1 for task in plan.tasks if (now := _stamp(task.output)) is not None and now != before.get(task.output))


def run(inputs: Sequence[str | Path], outdir: str | Path, options: Options, jobs: Optional[int], quiet: bool,
        console: "Console") -> Outcome:
    """`risk-cli batch`: plan, assess every input (a progress bar unless `quiet`), report the bad ones.

    Ctrl-C ends in Interrupted: the registers written so far are complete files; no summary.
    """
    from risk_cli.fileio import folder_lock, long_part

    out = Path(outdir)
    if long_part(out):
        raise RiskCliError(f"{out}: {long_part(out)}")
    if out.exists() and not out.is_dir():
        raise RiskCliError(f"{out}: is not a folder; -o needs a folder for the registers")
    with folder_lock(out):  # a second batch into OUTDIR is refused at once, before anything is written
        return _run_locked(inputs, out, options, jobs, quiet, console)


def _run_locked(inputs: Sequence[str | Path], outdir: Path, options: Options, jobs: Optional[int], quiet: bool,
                console: "Console") -> Outcome:
    plan = prepare(inputs, outdir, options)
    done = [0]
    before = outputs_now(plan)

    def count(_result: Result) -> None:
        done[0] += 1

    try:
        with console.progress(plan.total, "Assessing", show=not quiet, eta=True) as tick:
            results = run_batch(plan, jobs, on_result=lambda r: (count(r), tick()))
    except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM (Terminated)
        written = written_since(plan, before)
        raise Interrupted(f"interrupted after {done[0]} of {plan.total} input(s): {written} register(s) written to "
                          f"{plan.outdir}, each a complete file (nothing half-written); no summary was written",
                          exit_code=interrupt_code(exc)) from None
    except RiskCliError as exc:  # the summary could not be written (a full disk): say what was
        written = written_since(plan, before)
        raise RiskCliError(f"{exc}; {written} register(s) were written to {plan.outdir}, each a complete file; "
                           "no summary was written") from None
    outcome = Outcome(plan, results, quiet)
    for r in outcome.bad:
        console.error(r.reason)
    return outcome


__all__ = ["Options", "Outcome", "Plan", "Result", "Task", "prepare", "register_names", "run", "run_batch"]
