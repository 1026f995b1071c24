"""The command line: it parses options and calls one workflow function per command, then prints
the result in the format chosen and exits with the code the result carries. The work happens in
risk_cli.workflows; what is printed is decided in risk_cli.output.

Heavy libraries (openpyxl, questionary, tabulate) are imported only inside the commands that use
them, so `risk-cli --help` and `--version` start quickly.
"""

from __future__ import annotations

import gc
import os
import sys
from typing import Any, Callable, Optional

import click

from risk_cli import __version__
from risk_cli.errors import ExitCode, RiskCliError, Terminated, interrupt_code, one_line
from risk_cli.output import atrs as atrs_view
from risk_cli.output import batch as batch_view
from risk_cli.output import importing as import_view
from risk_cli.output import portfolio as portfolio_view
from risk_cli.output import questionnaires as questionnaires_view
from risk_cli.output import register as register_view
from risk_cli.output.console import Console
from risk_cli.output.formats import Formats
from risk_cli.workflows import english_only

EXIT_CODES_HELP = """\b
Exit codes:
  0   success
  1   --fail-on: a residual risk reached the rating given
  2   bad input or usage; nothing was written
  3   batch, import and portfolio: some inputs were bad and skipped
  70  internal error (a bug: please report it)
  130 interrupted (Ctrl-C, or assess: "Save and quit" at the review); answers kept
  141 stdout was closed early (| head): stopped quietly, as other tools do
  143 stopped by SIGTERM (kill, timeout): cleaned up as for Ctrl-C"""


class StdoutClosed(Exception):
    """stdout's reader went away (`| head`). Not an OSError, so click's own handling of a broken
    pipe (exit 1) lets it through to main(), which ends quietly with 141."""


class RiskCliGroup(click.Group):
    """Turns our errors into one line each and a documented exit code, never a traceback."""

    def make_context(self, info_name: Optional[str], args: list[str], parent: Optional[click.Context] = None,
                     **extra: Any) -> click.Context:
        try:  # --help and --version print while the arguments are parsed
            return super().make_context(info_name, args, parent, **extra)
        except BrokenPipeError:
            raise StdoutClosed() from None

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
        except BrokenPipeError:  # a closed stdout (| head) ends quietly in main()
            raise StdoutClosed() from None
        except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM (errors.Terminated)
            click.echo("\ninterrupted", err=True)
            ctx.exit(int(interrupt_code(exc)))
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
      risk-cli assess --answers answers.yaml --no-input -o register.xlsx
      risk-cli assess --answers answers.yaml --no-input --format json --fail-on high
      risk-cli validate my-questionnaire.yaml
      risk-cli questionnaires
      risk-cli batch assessments/ -o registers/          # a folder of answers files at once
      risk-cli template -o questionnaire.xlsx            # a workbook to fill in without the tool
      risk-cli import returns/ -o imported/              # filled workbooks back: checked and scored
      risk-cli portfolio registers/ -o portfolio.xlsx    # one view across every use case
      risk-cli atrs answers.yaml -o record.md -o record.xlsx  # a draft ATRS transparency record
      risk-cli report register.xlsx -o board-pack.html   # a board pack: Markdown, HTML or Word
    """



# -- options more than one command shares: each defined once --------------------------------

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def questionnaire_option(help: str, dest: str = "questionnaire", metavar: str = "ID|FILE",
                         multiple: bool = False) -> Decorator:
    return click.option("-q", "--questionnaire", dest, metavar=metavar, multiple=multiple, help=help)


def force_option(help: str) -> Decorator:
    return click.option("--force", is_flag=True, help=help)


def fail_on_option(help: str) -> Decorator:
    return click.option("--fail-on", metavar="RATING", help=help)


def appetite_option() -> Decorator:
    return click.option("--appetite", "appetite_path", metavar="FILE",
                        help="Your organisation's risk appetite by category (a YAML file: appetite: {legal: minimal, ...}, "
                             "source: ...), used instead of the questionnaire's and recorded in the register. "
                             "See docs/appetite.md.")


def include_security_option() -> Decorator:
    return click.option("--include-security", is_flag=True,
                        help="Include the risks a record for publication leaves out (the security category) and the "
                             "actions to find out unknown answers, for clearance with your security team.")


def _marking(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """--marking as given, once checked by the one rule (model.marking): one short line."""
    from risk_cli.workflows import marking

    return marking.check(value)


def marking_option() -> Decorator:
    """--marking: the protective marking a document carries at its top and bottom."""
    return click.option("--marking", metavar="TEXT", default="OFFICIAL", show_default=True, callback=_marking,
                        help="The protective marking printed at the top and bottom of every page and shown in "
                             "the document (UK Government Security Classifications: OFFICIAL, "
                             "OFFICIAL-SENSITIVE, SECRET, TOP SECRET; any one line of up to 50 characters).")


def lang_option() -> Decorator:
    """--lang: the language of the questionnaire's texts (docs/questionnaire-format.md)."""
    return click.option("--lang", metavar="CODE",
                        help="Show and write the questionnaire's texts in this language (a two-letter code such as "
                             "en, fr, cy) when it offers it; the tool's own words stay English. Default: the "
                             "answers file's language, else RISK_CLI_LANG if the questionnaire offers it, else the "
                             "questionnaire's first language. Format-1 questionnaires are in English only.")


def quiet_option(help: str) -> Decorator:
    return click.option("--quiet", is_flag=True, help=help)


def format_option(formats: Formats[Any]) -> Decorator:
    """--format, offering exactly the formats the command's view renders (see output.formats)."""
    return click.option("--format", "fmt", type=click.Choice(formats.names), default=formats.default,
                        show_default=True, help=formats.help())


def finish(result: Any, console: Console, formats: Optional[Formats[Any]] = None, fmt: str = "") -> None:
    """Print `result` in the format chosen, then its closing lines; exit with its code."""
    if formats is not None:
        text = formats.render(fmt, result)
        if text:
            console.out(text)
    for line in getattr(result, "closing", ()):
        console.info(line)
    code = int(result.exit_code)
    if code != ExitCode.OK:
        sys.exit(code)


@cli.command()
@questionnaire_option("A bundled questionnaire id (optionally ID@VERSION) or a questionnaire YAML file. "
                      "Default: the one the answers file names (for a new interview in a terminal, its newest "
                      "bundled version), else uk-public-sector-ai.")
@click.option("--answers", "answers_path", metavar="FILE",
              help="An answers file. With --no-input (or no terminal) it is scored as it is; "
                   "in a terminal its answers are the defaults for re-assessing.")
@click.option("--resume", "resume_path", metavar="FILE", help="Continue an interrupted assessment saved in FILE.")
@click.option("--save", "save_path", metavar="FILE",
              help="Where to save answers after every question (default: risk-answers.yaml, or the --resume file).")
@click.option("--review", is_flag=True,
              help="With --resume: when every question in FILE is answered, open on the review of the "
                   "answers (change any, then write the register) instead of writing it straight away.")
@click.option("--no-input", is_flag=True, help="Never prompt; score the answers file as it is.")
@click.option("-o", "--output", metavar="FILE.xlsx", help="Write the Excel risk register here.")
@force_option("Replace an existing output file.")
@format_option(register_view.FORMATS)
@fail_on_option("Exit with code 1 if any residual risk is rated RATING or worse (e.g. high, extreme).")
@click.option("--previous", "previous_path", metavar="REGISTER.xlsx",
              help="The use case's previous register: people's edits (owners, treatment, dates, status, notes) "
                   "carry over by risk and action id, and each risk is marked new, changed, unchanged or no "
                   "longer raised. In a terminal its answers are the defaults.")
@appetite_option()
@marking_option()
@click.option("--allow-incomplete", is_flag=True,
              help="With --answers and --no-input: score a file with required answers missing, each read "
                   "cautiously (as \"Don't know\"); the register is marked PROVISIONAL and lists them.")
@lang_option()
def assess(questionnaire: Optional[str], answers_path: Optional[str], resume_path: Optional[str],
           save_path: Optional[str], review: bool, no_input: bool, output: Optional[str], force: bool, fmt: str,
           fail_on: Optional[str], previous_path: Optional[str], appetite_path: Optional[str], marking: str,
           allow_incomplete: bool, lang: Optional[str]) -> None:
    """Assess an AI use case and write its risk register.

    In a terminal it asks the questions, profile first, saving your answers after every one:
    Ctrl-C loses nothing, and --resume continues. After the last question a review lists the
    answers by section: change any (a question it brings in is asked), then write the register,
    or save and quit. When stdout is redirected (> out.json) the questions are shown on
    stderr, so the file holds only the result. With --answers
    and --no-input (or when there is no terminal) it checks every answer, reports all
    problems at once, then scores and writes.

    
    Examples:
      risk-cli assess
      risk-cli assess --resume risk-answers.yaml
      risk-cli assess --resume risk-answers.yaml --review
      risk-cli assess --answers last-year.yaml           # re-assess, old answers as defaults
      risk-cli assess --answers answers.yaml --no-input -o register.xlsx
      risk-cli assess --answers answers.yaml --no-input --format json --fail-on extreme
      risk-cli assess --answers new.yaml --previous old-register.xlsx -o new-register.xlsx
    """
    from risk_cli.workflows import assess as assess_flow

    console = Console()
    options = assess_flow.Options(questionnaire, answers_path, resume_path, save_path, no_input, output, force,
                                  fail_on, previous_path, appetite_path, marking, allow_incomplete, review,
                                  lang=lang)
    result = assess_flow.run(options, console)
    finish(result, console, result.views, fmt)


@cli.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
def validate(files: tuple[str, ...]) -> None:
    """Check questionnaire files and report every problem with its place.

    Each problem is one line: file, line and column, the path inside the file
    (such as sections[2].questions[4].choices[1]) and what is wrong.

    
    Examples:
      risk-cli validate questionnaires/uk-public-sector-ai-1.1.0.yaml
      risk-cli validate drafts/*.yaml
    """
    from risk_cli.workflows import questionnaires

    console = Console()
    finish(questionnaires.validate(files, console), console)


@cli.command()
@click.argument("survey", metavar="SURVEY.json")
@click.option("-o", "--output", required=True, metavar="FILE.yaml", help="Where to write the questionnaire.")
@click.option("--id", "qid", metavar="ID", help="The questionnaire's id (default: from the output file's name).")
@click.option("--version", "version", default="1.0.0", show_default=True, metavar="X.Y.Z",
              help="The questionnaire's version.")
@force_option("Replace an existing output file.")
def convert(survey: str, output: str, qid: Optional[str], version: str, force: bool) -> None:
    """Convert a SurveyJS survey into a points questionnaire (format 2).

    The survey follows the Canada Algorithmic Impact Assessment's conventions: names
    ending -RS (raw impact), -MS (mitigation) or -NS (not scored), points after a choice
    value's last hyphen (item3-2: 2 points), visibleIf conditions. Each page and panel
    becomes a section; English and French text are both kept. Every construct that cannot
    be mapped is one warning with its page and element; the result is checked before it is
    written. Exit 0 (with warnings), or 2 if nothing usable was found.

    
    Examples:
      risk-cli convert survey.json -o my-aia.yaml
      risk-cli assess -q points.yaml --answers points-answers.yaml --no-input --format json
    """
    from risk_cli.workflows import convert as convert_flow

    console = Console()
    finish(convert_flow.run(survey, output, qid, version, force, console), console)


@cli.command("questionnaires")
@format_option(questionnaires_view.FORMATS)
@lang_option()
def list_questionnaires(fmt: str, lang: Optional[str]) -> None:
    """List the questionnaires bundled with risk-cli.

    
    Examples:
      risk-cli questionnaires
      risk-cli questionnaires --format json
    """
    english_only(lang)  # the bundled questionnaires are format 1
    from risk_cli.workflows import questionnaires

    console = Console()
    console.out(questionnaires_view.FORMATS.render(fmt, questionnaires.listing()))


BATCH_EPILOG = """\b
Exit codes:
  0   every input assessed (and none reached --fail-on)
  1   --fail-on: some register has a residual risk at or above RATING (format 2:
      a rated risk at or above that rating, or an impact level at or above it)
  2   nothing to do, bad options, outputs already exist (no --force), an output
      would replace an input (even with --force), or another risk-cli is writing
      to OUTDIR; nothing written
  3   some inputs were bad: reported, listed in the summary, the rest assessed
  130 interrupted (Ctrl-C): registers written so far are complete; no summary
  143 stopped by SIGTERM (kill, timeout): as for Ctrl-C; worker processes end with it
When inputs are bad and --fail-on is also reached, the exit code is 3: the results are
incomplete, so the --fail-on verdict is too (both are non-zero, so a gate fails either way)."""



@cli.command(epilog=BATCH_EPILOG)
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("-o", "--output", "outdir", required=True, metavar="OUTDIR",
              help="Folder for the registers and batch-summary.xlsx (created if missing).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N",
              help="Processes to run in parallel. Default: the number of cores.")
@questionnaire_option("Assess every input with this questionnaire. Default: the one each input names.")
@format_option(batch_view.FORMATS)
@fail_on_option("Exit with code 1 if any register has a residual risk rated RATING or worse. For format-2 "
                "inputs: a rating of a rated questionnaire (e.g. high) or an impact level of a points one (e.g. III).")
@force_option("Replace registers and the summary already in OUTDIR.")
@quiet_option("No progress bar and no closing summary; problems are still reported.")
@appetite_option()
@click.option("--atrs", "atrs_records", is_flag=True,
              help="Also draft each input's ATRS record beside its register: OUTDIR/<name>-atrs.md and "
                   "<name>-atrs.xlsx (see risk-cli atrs). An input whose questionnaire has no ATRS mapping is bad.")
@include_security_option()
@marking_option()
@lang_option()
def batch(inputs: tuple[str, ...], outdir: str, jobs: Optional[int], questionnaire: Optional[str], fmt: str,
          fail_on: Optional[str], force: bool, quiet: bool, appetite_path: Optional[str], atrs_records: bool,
          include_security: bool, marking: str, lang: Optional[str]) -> None:
    """Assess many inputs at once: one register each, plus a summary workbook.

    INPUT is an answers file (.yaml), a filled questionnaire template or a register
    (.xlsx), or a folder, searched recursively. Each input's register is written to
    OUTDIR/<name>-register.xlsx (names that clash gain their folder names), and
    OUTDIR/batch-summary.xlsx has one row per input: tier, residual risks by rating, the
    worst residual risk, appetite breaches and, for a bad input, why. Inputs for a format-2
    questionnaire (rated or points model: answers files or the workbooks risk-cli writes
    for them) may be mixed in: each gets its model's workbook under the same name, and the
    summary its result (overall rating and risks per rating; impact level, score of its
    maximum, discount) on a sheet of its own model. --appetite is not applied to them (a
    warning says so) and with --atrs they are bad inputs; with -q naming a format-2
    questionnaire, both options are refused. A bad input is
    reported and skipped; the rest are still assessed. Nothing in OUTDIR is replaced
    without --force, an input is never replaced (even with --force), and every clash is
    reported before any work starts.

    
    Examples:
      risk-cli batch assessments/ -o registers/
      risk-cli batch a.yaml b.yaml filled-template.xlsx -o out/ --jobs 2
      risk-cli batch assessments/ -o out/ --format json --quiet > summary.jsonl
      risk-cli batch assessments/ -o out/ --fail-on extreme --force
      risk-cli batch assessments/ -o out/ --atrs         # and a draft ATRS record for each
    """
    english_only(lang)
    from risk_cli.workflows import batch as batch_flow

    console = Console()
    if include_security and not atrs_records:
        raise RiskCliError("--include-security is for the ATRS records: add --atrs")
    options = batch_flow.Options(questionnaire=questionnaire, force=force, fail_on=fail_on,
                                 appetite=batch_flow.read_appetite(appetite_path), atrs=atrs_records,
                                 include_security=include_security, marking=marking)
    finish(batch_flow.run(inputs, outdir, options, jobs, quiet, console), console, batch_view.FORMATS, fmt)


@cli.command()
@questionnaire_option("A bundled questionnaire id (optionally ID@VERSION) or a questionnaire YAML file. "
                      "Default: uk-public-sector-ai.")
@click.option("-o", "--output", required=True, metavar="FILE.xlsx", help="Where to write the template.")
@force_option("Replace an existing file.")
@marking_option()
@lang_option()
def template(questionnaire: Optional[str], output: str, force: bool, marking: str, lang: Optional[str]) -> None:
    """Write a questionnaire as an Excel workbook a team can fill in without risk-cli.

    The workbook has an Instructions sheet and a Questions sheet: one row per question with
    a dropdown of the allowed answers, a note cell, and when each question applies.
    Multiple-choice questions have one tick row per choice. Question ids and text are
    protected; hidden metadata records the questionnaire version so `risk-cli import` can
    read the answers back exactly and check every one. A format-2 questionnaire (points or
    rated model) is written in the language --lang chooses (default: its first).

    
    Examples:
      risk-cli template -o questionnaire.xlsx
      risk-cli template -q uk-public-sector-ai@1.0.0 -o questionnaire-1.0.0.xlsx
      risk-cli template -q my-questionnaire.yaml -o my-questionnaire.xlsx --force
      risk-cli template -q ai-data-protection-rated -o rated.xlsx
    """
    from risk_cli.workflows import questionnaires

    questionnaires.write_template(questionnaire, output, force, Console(), marking, lang)


IMPORT_EPILOG = """\b
Exit codes:
  0   every input imported (or, with --dry-run, would be)
  2   no input could be imported, or the run itself has a problem (an output exists
      without --force, two inputs would write the same file, an output would replace
      an input, another risk-cli is writing to DIR); nothing was written. A write that fails midway (a full disk) also
      exits 2: the closing line says how many inputs were written, each whole
  3   some inputs had problems: they are reported and nothing is written for them;
      the good inputs are imported (unless --dry-run)"""



@cli.command("import", epilog=IMPORT_EPILOG)
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option("-o", "--output", "outdir", default=".", show_default=True, metavar="DIR",
              help="Folder for the answers files and registers (created if missing).")
@questionnaire_option("Check every input against this questionnaire. Default: templates use the newest bundled "
                      "version of their questionnaire; answers files and registers the version they name.")
@click.option("--dry-run", is_flag=True, help="Check and report; write nothing.")
@force_option("Replace answers files and registers already in DIR.")
@format_option(import_view.FORMATS)
@appetite_option()
@marking_option()
@click.option("--allow-incomplete", is_flag=True,
              help="A provisional import: a required answer left blank is not a problem but is scored "
                   "cautiously (as \"Don't know\"); the register is marked PROVISIONAL and lists every "
                   "question not answered, and the answers file records them. Every other problem still "
                   "refuses the input. Default: strict, a blank required answer is a problem.")
@lang_option()
def import_(files: tuple[str, ...], outdir: str, questionnaire: Optional[str], dry_run: bool, force: bool,
            fmt: str, appetite_path: Optional[str], marking: str, allow_incomplete: bool, lang: Optional[str]) -> None:
    """Import filled questionnaire templates, answers files and registers.

    Every input is checked first and every problem reported with its place (file,
    sheet!cell, question id, what was found and what is allowed). For each good input,
    DIR gets <name>-answers.yaml and a freshly scored <name>-register.xlsx: scores are
    always recomputed, never read from a spreadsheet. Input files are never modified. A
    template made for an older questionnaire version is matched by question id and each
    answer that no longer maps is reported. A folder is searched for .yaml and .xlsx files.

    
    Examples:
      risk-cli import team-a.xlsx
      risk-cli import returns/ -o imported/ --dry-run
      risk-cli import team-a.xlsx team-b.xlsx -q questionnaire.yaml -o imported/
      risk-cli import returns/ -o imported/ --force --format json
      risk-cli import returns/ -o drafts/ --allow-incomplete   # blanks scored cautiously, marked provisional
    """
    english_only(lang)
    from pathlib import Path

    from risk_cli.workflows import importing

    console = Console()
    report = importing.run_command(list(files), Path(outdir), questionnaire, dry_run, force, console, appetite_path,
                                    marking, allow_incomplete)
    finish(report, console, import_view.FORMATS, fmt)


PORTFOLIO_EPILOG = """\b
Exit codes:
  0   every input used
  2   bad options, --strict with a bad input, no usable input, or an output exists
      (no --force) or --report has no known suffix; nothing written
  3   some inputs were bad: each reported on one line and skipped; the workbook was
      written from the rest (and lists them on its Inputs sheet)"""



@cli.command(epilog=PORTFOLIO_EPILOG)
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("-o", "--output", metavar="FILE.xlsx", help="Write the portfolio workbook here.")
@click.option("--report", "report_path", metavar="OUT",
              help="Also write a board pack for the assurance board, escalations first; the suffix says how: "
                   ".md (Markdown), .html (a page that prints to A4) or .docx (Word). See risk-cli report.")
@questionnaire_option("A questionnaire file some inputs were answered against, when it is not bundled (repeatable).",
                      dest="questionnaires", metavar="FILE", multiple=True)
@force_option("Replace an existing output file.")
@format_option(portfolio_view.FORMATS)
@click.option("--strict", is_flag=True, help="Fail (exit 2, nothing written) if any input is bad, instead of skipping it.")
@click.option("--escalate-tier", type=click.IntRange(min=1), metavar="N",
              help="Escalate use cases at tier N or above. Default: the top two tiers of their questionnaire.")
@quiet_option("No progress bar.")
@appetite_option()
@marking_option()
@lang_option()
def portfolio(inputs: tuple[str, ...], output: Optional[str], report_path: Optional[str], questionnaires: tuple[str, ...],
              force: bool, fmt: str, strict: bool, escalate_tier: Optional[int], quiet: bool,
              appetite_path: Optional[str], marking: str, lang: Optional[str]) -> None:
    """One view across many use cases: tiers, heat maps, barriers, escalations.

    INPUT is a register risk-cli wrote, an answers file, a filled template, or a folder
    of them (searched recursively). Every use case is re-scored from its answers
    (registers from their hidden data sheet): a score typed into a spreadsheet is never
    used. The same use case given twice (same organisation and name, ignoring case and
    spacing) is reported and its newest assessment used. The workbook has the sheets
    Overview, All risks (a tidy table for pivots), Heat maps, Barriers (beside the
    NAO's 2023 survey), Escalations, Inputs and About. Assessments for a format-2
    questionnaire (rated or points model) are listed on an Other models sheet with
    their result, outside the 5x5 heat maps and totals.

    
    Examples:
      risk-cli portfolio registers/ -o portfolio.xlsx
      risk-cli portfolio registers/ answers/*.yaml -o portfolio.xlsx --force
      risk-cli portfolio registers/ --format json > portfolio.json
      risk-cli portfolio returns/ -o portfolio.xlsx --strict
      risk-cli portfolio registers/ --report board-pack.html
    """
    english_only(lang)
    from risk_cli.workflows import portfolio as portfolio_flow

    console = Console()
    debug = bool(click.get_current_context().find_root().params.get("debug"))
    outcome = portfolio_flow.run(inputs, output, questionnaires, force, strict, escalate_tier,
                                 progress=not quiet and fmt == "text", debug=debug, console=console,
                                 appetite_path=appetite_path, report=report_path, marking=marking)
    finish(outcome, console, portfolio_view.FORMATS, fmt)


ATRS_EPILOG = """\b
Exit codes:
  0   the record was drafted (and written, with -o)
  2   bad input or usage: the input has problems, its questionnaire has no ATRS
      mapping, or an output exists (no --force) or has no known suffix; nothing written"""


@cli.command(epilog=ATRS_EPILOG)
@click.argument("source", metavar="INPUT")
@click.option("-o", "--output", "outputs", multiple=True, metavar="FILE",
              help="Write the record here; the suffix says how: .md (Markdown, to read and review), .xlsx (the "
                   "standard's template layout, to paste or submit) or .json (for tools). Repeatable. "
                   "Without -o the record is printed.")
@click.option("--format", "fmt", type=click.Choice(atrs_view.FORMATS.names), default=None,
              help=f"What to print when there is no -o (default: {atrs_view.FORMATS.default}). {atrs_view.FORMATS.help()}")
@questionnaire_option("Score the input with this questionnaire (a bundled id, ID@VERSION or a YAML file). "
                      "Default: the one the input names.")
@force_option("Replace output files that exist.")
@include_security_option()
@marking_option()
@lang_option()
def atrs(source: str, outputs: tuple[str, ...], fmt: Optional[str], questionnaire: Optional[str], force: bool,
         include_security: bool, marking: str, lang: Optional[str]) -> None:
    """Draft an Algorithmic Transparency Recording Standard (ATRS) record.

    INPUT is an answers file, a register risk-cli wrote or a filled template. The record
    follows the standard (ATRS v4.0) field by field, Tier 1 then Tier 2, with its own
    headings. Each field the answers or the register support is drafted in plain words and
    says which answers it came from; every other field is marked To complete, with what
    the standard asks for. Risks come from the register's highest residual risks with
    their mitigations; impact assessments from the mandatory checks (DPIA, equality
    impact assessment) and their status. The top of the record says whether the standard
    is mandatory for the organisation the answers describe, or recommended.

    The record is for publication, so risks in the security category and the actions to
    find out unknown answers are left out (and the record says so) unless
    --include-security. Which answer fills which field is set by the questionnaire's
    `atrs` section (docs/atrs.md).

    \b
    Examples:
      risk-cli atrs answers.yaml                        # print the record as Markdown
      risk-cli atrs answers.yaml -o record.md -o record.xlsx
      risk-cli atrs register.xlsx -o record.json --force
      risk-cli atrs answers.yaml --format json
    """
    english_only(lang)
    from risk_cli.workflows import atrs as atrs_flow

    console = Console()
    if outputs and fmt:
        raise RiskCliError("--format chooses what is printed without -o; with -o each file's suffix says its format")
    result = atrs_flow.run(atrs_flow.Options(source, outputs, questionnaire, force, include_security, marking), console)
    finish(result, console, None if outputs else atrs_view.FORMATS, fmt or atrs_view.FORMATS.default)


REPORT_EPILOG = """\b
Exit codes:
  0   the board pack was written (or printed)
  2   bad input or usage: the input has problems, the marking is not one short line,
      or OUT exists (no --force) or has no known suffix; nothing written"""


@cli.command(epilog=REPORT_EPILOG)
@click.argument("source", metavar="INPUT")
@click.option("-o", "--output", metavar="OUT",
              help="Write the board pack here; the suffix says how: .md (Markdown), .html (one self-contained page "
                   "that prints to A4) or .docx (Word). Without -o it is printed as Markdown.")
@questionnaire_option("Score the input with this questionnaire (a bundled id, ID@VERSION or a YAML file). "
                      "Default: the one the input names.")
@appetite_option()
@force_option("Replace OUT if it exists.")
@marking_option()
@lang_option()
def report(source: str, output: Optional[str], questionnaire: Optional[str], appetite_path: Optional[str],
           force: bool, marking: str, lang: Optional[str]) -> None:
    """Write a board pack for one AI use case: Markdown, HTML or Word.

    INPUT is an answers file, a register risk-cli wrote or a filled template; it is scored
    again, as every command does. The pack has, in order: a one-paragraph summary; the
    assurance tier, why, and what would move it down; the decisions the board is asked
    to take (approval at this tier, each risk above appetite, each outstanding mandatory
    check); the top 10 residual risks with owners, treatment and target dates; inherent
    and residual heat maps; the mandatory checks; the NAO delivery barriers; the actions
    by priority; and a method annex (scales, bands, the appetite used, the questionnaire
    and its content hash). The protective marking is at the top and the bottom. The same
    input always gives the same document.

    For a format-2 input (rated or points model) the pack is in that model's words: rated,
    the overall rating, the decisions on each highest-rated risk, each risk worst first with
    why and its must/should/could steps; points, the impact level, the totals and their
    maximums, the discount and why, the level bands and the answers that scored most. Each
    has a method annex; --lang picks the language of the questionnaire's texts.

    \b
    Examples:
      risk-cli report answers.yaml                      # print the pack as Markdown
      risk-cli report register.xlsx -o board-pack.html  # open in a browser, print to PDF
      risk-cli report answers.yaml -o board-pack.docx --marking OFFICIAL-SENSITIVE
    """
    from risk_cli.output import report as report_view
    from risk_cli.workflows import report as report_flow

    console = Console()
    result = report_flow.run(report_flow.Options(source, output, questionnaire, force, appetite_path, marking, lang),
                             console)
    if not output:
        console.out(report_view.markdown(result.report).rstrip("\n"))
    finish(result, console)


def on_sigterm(signum: int, frame: Any) -> None:
    """SIGTERM (kill, timeout, a cancelled CI job) is handled as Ctrl-C is: the run unwinds, removing
    its temporary files and stopping its worker processes, says what was written and exits 143.
    A second SIGTERM ends the process at once."""
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    raise Terminated()


def main() -> None:
    import signal

    try:
        signal.signal(signal.SIGTERM, on_sigterm)
    except (ValueError, OSError):  # not the main thread, or no such signal here
        pass
    try:
        cli(prog_name="risk-cli")
    except (StdoutClosed, BrokenPipeError):
        # Whoever read stdout has gone (`| head -c 300`): stop without a message, as other Unix
        # tools do. stdout is pointed at the null device so flushing it at exit cannot fail again.
        _quiet_stdout()
        sys.exit(int(ExitCode.BROKEN_PIPE))
    finally:
        # The process is about to end with every output complete and in place (fileio writes
        # atomically and closes before renaming). The interpreter's last collection would still
        # walk every object the run made, about 25 ms after writing a register (measured with
        # benchmarks/targets.py); frozen objects are skipped, and the operating system frees them.
        gc.freeze()


def _quiet_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass
