"""The command line. It parses options and calls the library; the work happens elsewhere.

Heavy libraries (openpyxl, questionary, tabulate) are imported only inside the commands
that use them, so `risk-cli --help` and `--version` start quickly.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, Optional

import click

from risk_cli import __version__
from risk_cli.errors import ExitCode, RiskCliError

EXIT_CODES_HELP = """\b
Exit codes:
  0   success
  1   --fail-on: a residual risk reached the rating given
  2   bad input or usage; nothing was written
  3   batch and portfolio: some inputs were bad and skipped
  70  internal error (a bug: please report it)
  130 interrupted (Ctrl-C)"""


def warn(message: str) -> None:
    click.echo(f"warning: {message}", err=True)


def info(message: str) -> None:
    click.echo(message, err=True)


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
                click.echo(f"error: {line}", err=True)
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
    """


@cli.command()
@click.option("-q", "--questionnaire", "questionnaire", metavar="ID|FILE",
              help="A bundled questionnaire id (optionally ID@VERSION) or a questionnaire YAML file. "
                   "Default: the one the answers file names, else uk-public-sector-ai.")
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
def assess(questionnaire: Optional[str], answers_path: Optional[str], resume_path: Optional[str],
           save_path: Optional[str], no_input: bool, output: Optional[str], force: bool, fmt: str,
           fail_on: Optional[str]) -> None:
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
    """
    from risk_cli import assessment
    from risk_cli.fileio import check_writable

    out_path = Path(output) if output else None
    if out_path is not None:
        check_writable(out_path, force)
    if answers_path and resume_path:
        raise RiskCliError("give either --answers or --resume, not both")
    interactive = not no_input and assessment.stdin_is_terminal()
    if not interactive:
        source = answers_path or resume_path
        if not source:
            raise RiskCliError("no terminal to ask questions in: give --answers FILE (see risk-cli assess --help)")
        outcome = assessment.from_file(questionnaire, source)
    else:
        outcome = _interactive(assessment, questionnaire, answers_path, resume_path, save_path)
        if out_path is None:
            out_path = assessment.default_register_path(outcome.register)
    for problem in outcome.warnings:
        warn(str(problem))
    register = outcome.register
    threshold = assessment.rating_id(register.questionnaire, fail_on) if fail_on else None
    if out_path is not None:
        assessment.write_register(register, out_path, force)
        info(f"Risk register written to {out_path}")
    if fmt == "json":
        from risk_cli.report import to_dict

        click.echo(json.dumps(to_dict(register), indent=2, ensure_ascii=False))
    else:
        from risk_cli.report import summary_text

        click.echo(summary_text(register))
    if threshold:
        hits = assessment.reaches(register, threshold)
        if hits:
            info(f"--fail-on {fail_on}: {len(hits)} residual risk(s) at or above it: {', '.join(hits)}")
            sys.exit(int(ExitCode.FAIL_ON))


def _interactive(assessment: Any, questionnaire: Optional[str], answers_path: Optional[str],
                 resume_path: Optional[str], save_path: Optional[str]) -> Any:
    from risk_cli import answers as answers_mod
    from risk_cli.answers import Answers
    from risk_cli.fileio import free_name

    defaults = None
    if resume_path:
        start_raw = assessment.read_answers(resume_path)
        qn = assessment.questionnaire_for(questionnaire, start_raw)
        start, _ = assessment.checked(qn, start_raw, resume_path, complete=False)
        target = Path(save_path or resume_path)
    else:
        previous = assessment.read_answers(answers_path) if answers_path else None
        qn = assessment.questionnaire_for(questionnaire, previous)
        if previous is not None:
            defaults, _ = assessment.checked(qn, previous, answers_path, complete=False)
        start = Answers.new(qn)
        if save_path:
            target = Path(save_path)
            if target.exists():
                raise RiskCliError(f"{target}: already exists; to continue it use --resume {target}")
        else:
            target = free_name(Path("risk-answers.yaml"))
    click.echo(f"{qn.title} ({qn.label}): {len(qn.questions)} questions in {len(qn.sections)} sections.")
    click.echo(f"Your answers are saved to {target} after every question. Ctrl-C stops; "
               f"continue later with: risk-cli assess --resume {target}\n")
    try:
        final = assessment.interactive(qn, target, start, defaults, bool(resume_path), click.echo)
    except KeyboardInterrupt:
        click.echo(f"\nStopped. Your answers so far are saved in {target}; continue with: risk-cli assess --resume {target}", err=True)
        sys.exit(int(ExitCode.INTERRUPTED))
    clean, warnings = assessment.checked(qn, final, str(target))
    answers_mod.save(clean, qn, target)
    return assessment.Outcome(assessment.assess(qn, clean), warnings)


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
    from risk_cli import loader

    failed = False
    for name in files:
        errors, warnings = loader.validate(name)
        for w in warnings:
            warn(str(w))
        for e in errors:
            click.echo(f"error: {e}", err=True)
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
    from risk_cli import bundled, loader

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


def main() -> None:
    cli(prog_name="risk-cli")
