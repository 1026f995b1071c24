"""The command line. It parses options and calls the library; the work happens elsewhere.

Heavy libraries (openpyxl, questionary, tabulate) are imported only inside the commands
that use them, so `risk-cli --help` and `--version` start quickly.
"""

from __future__ import annotations

import gc
import json
import os
import sys
from pathlib import Path
from typing import Any, Optional

import click

from risk_cli import __version__
from risk_cli.errors import ExitCode, RiskCliError, one_line

EXIT_CODES_HELP = """\b
Exit codes:
  0   success
  1   --fail-on: a residual risk reached the rating given
  2   bad input or usage; nothing was written
  3   batch, import and portfolio: some inputs were bad and skipped
  70  internal error (a bug: please report it)
  130 interrupted (Ctrl-C)"""


def warn(message: str) -> None:
    click.echo(f"warning: {one_line(message)}", err=True)


def info(message: str) -> None:
    click.echo(one_line(message), err=True)


def error(message: str) -> None:
    """One problem, on one line: a hostile file name or value never becomes a second line or a
    terminal control sequence."""
    click.echo(f"error: {one_line(message)}", err=True)


class RiskCliGroup(click.Group):
    """Turns our errors into one line each and a documented exit code, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        debug = bool(ctx.params.get("debug")) or bool(os.environ.get("RISK_CLI_DEBUG"))
        try:
            return super().invoke(ctx)
        except RiskCliError as exc:
            if debug:
                raise
            for line in exc.lines():
                click.echo(f"{exc.prefix}{one_line(line)}", err=True)  # as error(), with the error's own prefix
            ctx.exit(int(exc.exit_code))
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            click.echo("\ninterrupted", err=True)
            ctx.exit(int(ExitCode.INTERRUPTED))
        except Exception as exc:  # a bug: say so in one line unless --debug
            if debug:
                raise
            click.echo(f"internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback, and please report it)", err=True)
            ctx.exit(int(ExitCode.INTERNAL))


@click.group(cls=RiskCliGroup, epilog=EXIT_CODES_HELP)
@click.version_option(__version__, "--version", prog_name="risk-cli", message="%(prog)s %(version)s")
@click.option("--debug", is_flag=True, help="Show the full traceback when something goes wrong.")
def cli(debug: bool) -> None:
    """Self-assess the risks of an AI use case and write a scored risk register.

    \b
    Examples:
      risk-cli assess                                   # ask the questions in the terminal
      risk-cli assess --answers answers.yaml -o register.xlsx
      risk-cli assess --answers answers.yaml --format json --fail-on high
      risk-cli validate my-questionnaire.yaml
      risk-cli questionnaires
      risk-cli batch assessments/ -o registers/          # a folder of answers files at once
      risk-cli template -o questionnaire.xlsx            # a workbook to fill in without the tool
      risk-cli import returns/ -o imported/              # filled workbooks back: checked and scored
      risk-cli portfolio registers/ -o portfolio.xlsx    # one view across every use case
    """


@cli.command()
@click.option("-q", "--questionnaire", "questionnaire", metavar="ID|FILE",
              help="A bundled questionnaire id (optionally ID@VERSION) or a questionnaire YAML file. "
                   "Default: the one the answers file names (for a new interview in a terminal, its newest "
                   "bundled version), else uk-public-sector-ai.")
@click.option("--answers", "answers_path", metavar="FILE",
              help="An answers file. With --no-input (or no terminal) it is scored as it is; "
                   "in a terminal its answers are the defaults for re-assessing.")
@click.option("--resume", "resume_path", metavar="FILE", help="Continue an interrupted assessment saved in FILE.")
@click.option("--save", "save_path", metavar="FILE",
              help="Where to save answers after every question (default: risk-answers.yaml, or the --resume file).")
@click.option("--no-input", is_flag=True, help="Never prompt; score the answers file as it is.")
@click.option("-o", "--output", metavar="FILE.xlsx", help="Write the Excel risk register here.")
@click.option("--force", is_flag=True, help="Replace an existing output file.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: a summary for people; json: the full result on stdout for pipelines.")
@click.option("--fail-on", metavar="RATING",
              help="Exit with code 1 if any residual risk is rated RATING or worse (e.g. high, extreme).")
@click.option("--previous", "previous_path", metavar="REGISTER.xlsx",
              help="The use case's previous register: people's edits (owners, treatment, dates, status, notes) "
                   "carry over by risk and action id, and each risk is marked new, changed, unchanged or no "
                   "longer raised. In a terminal its answers are the defaults.")
def assess(questionnaire: Optional[str], answers_path: Optional[str], resume_path: Optional[str],
           save_path: Optional[str], no_input: bool, output: Optional[str], force: bool, fmt: str,
           fail_on: Optional[str], previous_path: Optional[str]) -> None:
    """Assess an AI use case and write its risk register.

    In a terminal it asks the questions, profile first, saving your answers after every one:
    Ctrl-C loses nothing, and --resume continues. With --answers and --no-input (or when
    stdin is not a terminal) it checks every answer, reports all problems at once, then
    scores and writes.

    \b
    Examples:
      risk-cli assess
      risk-cli assess --resume risk-answers.yaml
      risk-cli assess --answers last-year.yaml           # re-assess, old answers as defaults
      risk-cli assess --answers answers.yaml --no-input -o register.xlsx
      risk-cli assess --answers answers.yaml --no-input --format json --fail-on extreme
      risk-cli assess --answers new.yaml --previous old-register.xlsx -o new-register.xlsx
    """
    from risk_cli import assessment
    from risk_cli.fileio import check_writable

    out_path = Path(output) if output else None
    if out_path is not None:
        check_writable(out_path, force)
    if answers_path and resume_path:
        raise RiskCliError("give either --answers or --resume, not both")
    previous = assessment.read_previous(previous_path) if previous_path else None
    interactive = not no_input and assessment.stdin_is_terminal()
    if not interactive:
        source = answers_path or resume_path
        if not source:
            raise RiskCliError("no terminal to ask questions in: give --answers FILE (see risk-cli assess --help)")
        outcome = assessment.from_file(questionnaire, source)
    else:
        defaults_path = answers_path or (previous_path if not resume_path else None)
        outcome = assessment.interactive(questionnaire, defaults_path, resume_path, save_path, click.echo, previous)
        if out_path is None:
            out_path = assessment.default_register_path(outcome.register)
    if previous is not None:
        assessment.compare_previous(outcome, previous)
    for problem in outcome.warnings:
        warn(str(problem))
    register = outcome.register
    threshold = assessment.rating_id(register.questionnaire, fail_on) if fail_on else None
    if out_path is not None:
        assessment.write_register(register, out_path, force, outcome.carry)
        info(f"Risk register written to {out_path}")
    if outcome.carry is not None:
        info(outcome.carry.summary_line())
    if fmt == "json":
        from risk_cli.report import to_dict

        data = to_dict(register)
        if outcome.carry is not None:
            data["previous"] = outcome.carry.to_dict()
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        from risk_cli.report import summary_text

        click.echo(summary_text(register))
    if threshold:
        hits = assessment.reaches(register, threshold)
        if hits:
            info(f"--fail-on {fail_on}: {len(hits)} residual risk(s) at or above it: {', '.join(hits)}")
            sys.exit(int(ExitCode.FAIL_ON))


@cli.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
def validate(files: tuple[str, ...]) -> None:
    """Check questionnaire files and report every problem with its place.

    Each problem is one line: file, line and column, the path inside the file
    (such as sections[2].questions[4].choices[1]) and what is wrong.

    \b
    Examples:
      risk-cli validate questionnaires/uk-public-sector-ai.yaml
      risk-cli validate drafts/*.yaml
    """
    from risk_cli.catalogue import loader

    failed = False
    for name in files:
        errors, warnings = loader.validate(name)
        for w in warnings:
            warn(str(w))
        for e in errors:
            error(str(e))
        if errors:
            failed = True
            click.echo(f"{name}: {len(errors)} problem(s)")
        else:
            click.echo(f"{name}: valid")
    if failed:
        sys.exit(int(ExitCode.BAD_INPUT))


@cli.command("questionnaires")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def list_questionnaires(fmt: str) -> None:
    """List the questionnaires bundled with risk-cli.

    \b
    Examples:
      risk-cli questionnaires
      risk-cli questionnaires --format json
    """
    from risk_cli.catalogue import bundled
    from risk_cli.catalogue import loader

    rows = []
    for entry in bundled.catalogue():
        qn = loader.load(entry.path)
        rows.append({"id": qn.id, "version": qn.version, "title": qn.title, "questions": len(qn.questions),
                     "risks": len(qn.risks), "sha256": qn.sha256})
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    from tabulate import tabulate

    click.echo(tabulate([[r["id"], r["version"], r["title"], r["questions"], r["risks"]] for r in rows],
                        headers=["Id", "Version", "Title", "Questions", "Risks"]))


BATCH_EPILOG = """\b
Exit codes:
  0   every input assessed (and none reached --fail-on)
  1   --fail-on: some register has a residual risk at or above RATING
  2   nothing to do, bad options, or outputs already exist (no --force); nothing written
  3   some inputs were bad: reported, listed in the summary, the rest assessed
  130 interrupted (Ctrl-C): registers written so far are complete; no summary
When inputs are bad and --fail-on is also reached, the exit code is 3: the results are
incomplete, so the --fail-on verdict is too (both are non-zero, so a gate fails either way)."""


@cli.command(epilog=BATCH_EPILOG)
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("-o", "--output", "outdir", required=True, metavar="OUTDIR",
              help="Folder for the registers and batch-summary.xlsx (created if missing).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N",
              help="Processes to run in parallel. Default: the number of cores.")
@click.option("-q", "--questionnaire", "questionnaire", metavar="ID|FILE",
              help="Assess every input with this questionnaire. Default: the one each input names.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: a closing summary for people; json: one JSON object per input (JSON lines) on stdout.")
@click.option("--fail-on", metavar="RATING",
              help="Exit with code 1 if any register has a residual risk rated RATING or worse.")
@click.option("--force", is_flag=True, help="Replace registers and the summary already in OUTDIR.")
@click.option("--quiet", is_flag=True, help="No progress bar and no closing summary; problems are still reported.")
def batch(inputs: tuple[str, ...], outdir: str, jobs: Optional[int], questionnaire: Optional[str], fmt: str,
          fail_on: Optional[str], force: bool, quiet: bool) -> None:
    """Assess many inputs at once: one register each, plus a summary workbook.

    INPUT is an answers file (.yaml), a filled questionnaire template or a register
    (.xlsx), or a folder, searched recursively. Each input's register is written to
    OUTDIR/<name>-register.xlsx (names that clash gain their folder names), and
    OUTDIR/batch-summary.xlsx has one row per input: tier, residual risks by rating, the
    worst residual risk, appetite breaches and, for a bad input, why. A bad input is
    reported and skipped; the rest are still assessed. Nothing in OUTDIR is replaced
    without --force, and every clash is reported before any work starts.

    \b
    Examples:
      risk-cli batch assessments/ -o registers/
      risk-cli batch a.yaml b.yaml filled-template.xlsx -o out/ --jobs 2
      risk-cli batch assessments/ -o out/ --format json --quiet > summary.jsonl
      risk-cli batch assessments/ -o out/ --fail-on extreme --force
    """
    from risk_cli import batch as batch_mod

    options = batch_mod.Options(questionnaire=questionnaire, force=force, fail_on=fail_on)
    plan = batch_mod.prepare(inputs, outdir, options)
    done = [0]

    def count(_result: Any) -> None:
        done[0] += 1

    try:
        if not quiet and _stderr_is_terminal():
            with click.progressbar(length=plan.total, label="Assessing", file=sys.stderr, show_pos=True,
                                   show_eta=True) as bar:
                results = batch_mod.run_batch(plan, jobs, on_result=lambda r: (count(r), bar.update(1)))
        else:
            results = batch_mod.run_batch(plan, jobs, on_result=count)
    except KeyboardInterrupt:
        click.echo(f"\ninterrupted after {done[0]} of {plan.total} input(s); the registers in {plan.outdir} "
                   f"are complete files; no summary was written", err=True)
        sys.exit(int(ExitCode.INTERRUPTED))
    bad = [r for r in results if not r.ok]
    for r in bad:
        error(r.reason)
    hits = [r for r in results if r.fail_on_hits]
    if fmt == "json":
        for r in results:
            click.echo(json.dumps(r.to_json(), ensure_ascii=False))
    elif not quiet:
        click.echo(f"Assessed {len(results) - len(bad)} of {len(results)} input(s); {len(bad)} bad.")
        tiers = batch_mod.tier_counts(results)
        if tiers:
            click.echo("Tiers: " + ", ".join(f"{label}: {n}" for label, n in tiers))
        click.echo(f"Registers in {plan.outdir}; summary in {plan.summary_path}")
    if fail_on and hits:
        info(f"--fail-on {fail_on}: {len(hits)} input(s) have a residual risk at or above it: "
             + ", ".join(f"{r.file} ({', '.join(r.fail_on_hits)})" for r in hits[:10])
             + (f" and {len(hits) - 10} more" if len(hits) > 10 else ""))
    if bad:
        sys.exit(int(ExitCode.SOME_INPUTS_BAD))
    if fail_on and hits:
        sys.exit(int(ExitCode.FAIL_ON))


def _stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


@cli.command()
@click.option("-q", "--questionnaire", "questionnaire", metavar="ID|FILE",
              help="A bundled questionnaire id (optionally ID@VERSION) or a questionnaire YAML file. "
                   "Default: uk-public-sector-ai.")
@click.option("-o", "--output", required=True, metavar="FILE.xlsx", help="Where to write the template.")
@click.option("--force", is_flag=True, help="Replace an existing file.")
def template(questionnaire: Optional[str], output: str, force: bool) -> None:
    """Write a questionnaire as an Excel workbook a team can fill in without risk-cli.

    The workbook has an Instructions sheet and a Questions sheet: one row per question with
    a dropdown of the allowed answers, a note cell, and when each question applies.
    Multiple-choice questions have one tick row per choice. Question ids and text are
    protected; hidden metadata records the questionnaire version so `risk-cli import` can
    read the answers back exactly and check every one.

    \b
    Examples:
      risk-cli template -o questionnaire.xlsx
      risk-cli template -q uk-public-sector-ai@1.0.0 -o questionnaire-1.0.0.xlsx
      risk-cli template -q my-questionnaire.yaml -o my-questionnaire.xlsx --force
    """
    from risk_cli.writers import template as template_xlsx
    from risk_cli.catalogue import bundled
    from risk_cli.fileio import check_writable

    out = Path(output)
    check_writable(out, force)
    qn = bundled.resolve(questionnaire)
    template_xlsx.write(qn, out, force=force)
    info(f"Template written to {out} ({qn.label}: {len(qn.questions)} questions in {len(qn.sections)} sections)")


IMPORT_EPILOG = """\b
Exit codes:
  0   every input imported (or, with --dry-run, would be)
  2   no input could be imported, or the run itself has a problem (an output exists
      without --force, two inputs would write the same file, an output would replace
      an input); nothing was written
  3   some inputs had problems: they are reported and nothing is written for them;
      the good inputs are imported (unless --dry-run)"""


@cli.command("import", epilog=IMPORT_EPILOG)
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option("-o", "--output", "outdir", default=".", show_default=True, metavar="DIR",
              help="Folder for the answers files and registers (created if missing).")
@click.option("-q", "--questionnaire", "questionnaire", metavar="ID|FILE",
              help="Check every input against this questionnaire. Default: templates use the newest bundled "
                   "version of their questionnaire; answers files and registers the version they name.")
@click.option("--dry-run", is_flag=True, help="Check and report; write nothing.")
@click.option("--force", is_flag=True, help="Replace answers files and registers already in DIR.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: a line per input for people; json: the full report on stdout.")
def import_(files: tuple[str, ...], outdir: str, questionnaire: Optional[str], dry_run: bool, force: bool,
            fmt: str) -> None:
    """Import filled questionnaire templates, answers files and registers.

    Every input is checked first and every problem reported with its place (file,
    sheet!cell, question id, what was found and what is allowed). For each good input,
    DIR gets <name>-answers.yaml and a freshly scored <name>-register.xlsx: scores are
    always recomputed, never read from a spreadsheet. Input files are never modified. A
    template made for an older questionnaire version is matched by question id and each
    answer that no longer maps is reported. A folder is searched for .yaml and .xlsx files.

    \b
    Examples:
      risk-cli import team-a.xlsx
      risk-cli import returns/ -o imported/ --dry-run
      risk-cli import team-a.xlsx team-b.xlsx -q questionnaire.yaml -o imported/
      risk-cli import returns/ -o imported/ --force --format json
    """
    from risk_cli import importing

    report = importing.run(list(files), Path(outdir), questionnaire, dry_run=dry_run, force=force)
    for item in report.items:
        for problem in item.errors:
            error(str(problem))
        for problem in item.warnings:
            warn(str(problem))
    for problem in report.problems:
        error(str(problem))
    if fmt == "json":
        click.echo(json.dumps(importing.to_dict(report), indent=2, ensure_ascii=False))
    else:
        for item in report.items:
            click.echo(importing.item_line(item, report))
        click.echo(importing.closing_line(report))
    if report.exit_code != ExitCode.OK:
        sys.exit(int(report.exit_code))


PORTFOLIO_EPILOG = """\b
Exit codes:
  0   every input used
  2   bad options, --strict with a bad input, no usable input, or the output exists
      (no --force); nothing written
  3   some inputs were bad: each reported on one line and skipped; the workbook was
      written from the rest (and lists them on its Inputs sheet)"""


@cli.command(epilog=PORTFOLIO_EPILOG)
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("-o", "--output", metavar="FILE.xlsx", help="Write the portfolio workbook here.")
@click.option("-q", "--questionnaire", "questionnaires", multiple=True, metavar="FILE",
              help="A questionnaire file some inputs were answered against, when it is not bundled (repeatable).")
@click.option("--force", is_flag=True, help="Replace an existing output file.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: a summary for people; json: the full figures on stdout for pipelines.")
@click.option("--strict", is_flag=True, help="Fail (exit 2, nothing written) if any input is bad, instead of skipping it.")
@click.option("--escalate-tier", type=click.IntRange(min=1), metavar="N",
              help="Escalate use cases at tier N or above. Default: the top two tiers of their questionnaire.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def portfolio(inputs: tuple[str, ...], output: Optional[str], questionnaires: tuple[str, ...], force: bool, fmt: str,
              strict: bool, escalate_tier: Optional[int], quiet: bool) -> None:
    """One view across many use cases: tiers, heat maps, barriers, escalations.

    INPUT is a register risk-cli wrote, an answers file, a filled template, or a folder
    of them (searched recursively). Every use case is re-scored from its answers
    (registers from their hidden data sheet): a score typed into a spreadsheet is never
    used. The same use case given twice (same organisation and name, ignoring case and
    spacing) is reported and its newest assessment used. The workbook has the sheets
    Overview, All risks (a tidy table for pivots), Heat maps, Barriers (beside the
    NAO's 2023 survey), Escalations, Inputs and About.

    \b
    Examples:
      risk-cli portfolio registers/ -o portfolio.xlsx
      risk-cli portfolio registers/ answers/*.yaml -o portfolio.xlsx --force
      risk-cli portfolio registers/ --format json > portfolio.json
      risk-cli portfolio returns/ -o portfolio.xlsx --strict
    """
    from risk_cli.model import portfolio as portfolio_mod
    from risk_cli import portfolio_inputs
    from risk_cli.fileio import check_writable

    out_path = Path(output) if output else None
    if out_path is not None:
        check_writable(out_path, force)
    library = portfolio_inputs.Library(questionnaires)
    files, missing = portfolio_inputs.expand(inputs, out_path)
    debug = bool(click.get_current_context().find_root().params.get("debug"))
    if not quiet and fmt == "text" and len(files) > 20 and _stderr_is_terminal():
        with click.progressbar(length=len(files), label="Reading", file=sys.stderr, show_pos=True) as bar:
            gathered = portfolio_inputs.gather(files, library, tick=lambda: bar.update(1), debug=debug)
    else:
        gathered = portfolio_inputs.gather(files, library, debug=debug)
    skipped = missing + gathered.skipped
    for s in skipped:
        error(s.line() + ("" if strict else " (skipped)"))
    if strict and skipped:
        raise RiskCliError(f"--strict: {len(skipped)} bad input(s); nothing written")
    if not gathered.assessed:
        raise RiskCliError("no use case could be read from the inputs; nothing written")
    pf = portfolio_mod.build(gathered.assessed, library.newest(), escalate_tier, tuple(skipped), tuple(gathered.warnings))
    for w in pf.warnings:
        warn(str(w))
    for d in pf.duplicates[:20]:
        warn(d.line())
    if len(pf.duplicates) > 20:
        warn(f"... and {len(pf.duplicates) - 20} more use cases given more than once (all are listed on the "
             "Inputs sheet and in --format json)")
    if out_path is not None:
        from risk_cli.writers import portfolio as portfolio_xlsx

        portfolio_xlsx.write(pf, out_path, force)
        info(f"Portfolio written to {out_path}")
    if fmt == "json":
        click.echo(json.dumps(portfolio_mod.to_dict(pf), indent=2, ensure_ascii=False))
    else:
        click.echo(portfolio_mod.summary_text(pf))
    if skipped:
        sys.exit(int(ExitCode.SOME_INPUTS_BAD))


def main() -> None:
    try:
        cli(prog_name="risk-cli")
    finally:
        # The process is about to end with every output complete and in place (fileio writes
        # atomically and closes before renaming). The interpreter's last collection would still
        # walk every object the run made, about 25 ms after writing a register (measured with
        # benchmarks/targets.py); frozen objects are skipped, and the operating system frees them.
        gc.freeze()
