"""`risk-cli assess -q FILE` where FILE is a format-2 questionnaire: read the answers (a file, or
an interview in a terminal), score them with its model (model.points, or model.rated for
`model: rated`), write the workbook."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from risk_cli.errors import RiskCliError, exit_code

if TYPE_CHECKING:  # the models are imported when a format-2 questionnaire is assessed, not to ask
    # whether an input is for one (every assess asks)
    from risk_cli.model import points, rated
    from risk_cli.model.points import Outcome
    from risk_cli.output.console import Console
    from risk_cli.output.formats import Formats
    from risk_cli.workflows.assess import Options


def is_points(questionnaire: Optional[str], answers: Optional[str] = None) -> bool:
    """Whether -q names a format-2 questionnaire (points or rated model), or, without -q, the
    answers file given names a bundled one. A bundled format-2 id with a version not bundled
    counts too, so that `run` says which versions there are."""
    from risk_cli.catalogue import bundled, header

    if not questionnaire:
        return named_by_answers(answers) is not None
    if header.file_is_format_2(str(questionnaire)) or bundled.format_2_path(questionnaire) is not None:
        return True
    qid, at, _ = str(questionnaire).partition("@")
    return bool(at) and not Path(str(questionnaire)).exists() and any(i == qid for i, _ in bundled.format_2_refs())


def named_by_answers(path: Optional[str]) -> Optional[str]:
    """ID@VERSION of the bundled format-2 questionnaire an answers file (.yaml), or a workbook
    risk-cli wrote for one, names; else None
    (a file that cannot be read is left to the format-1 reader, which says what is wrong)."""
    from risk_cli import safe_yaml
    from risk_cli.readers.inputs import XLSX_SUFFIXES, YAML_SUFFIXES, load_fast, names_format_2

    if not path or not path.lower().endswith(YAML_SUFFIXES + XLSX_SUFFIXES):
        return None
    try:
        if path.lower().endswith(YAML_SUFFIXES):  # its header alone: the reader chosen parses it all next
            text = safe_yaml.read_text(path)
            try:
                data = {"questionnaire": safe_yaml.top_level_mapping(text, "questionnaire")}
            except safe_yaml.Undecided:
                data = safe_yaml.loads(text, path).data
        else:  # a workbook risk-cli wrote for a format-2 questionnaire keeps its answers file in a data sheet
            doc = load_fast(path, format_2=True).document  # a register: its data sheet alone, by calamine
            data = doc.data if doc is not None else None
    except RiskCliError:
        return None
    if not names_format_2(data):
        return None
    ref = data["questionnaire"]
    return f"{ref['id']}@{ref['version']}" if ref.get("version") else str(ref["id"])


def _from_workbook(path: str, questionnaire: str) -> tuple[dict, Optional[str]]:
    """The answers in a filled format-2 template or a workbook risk-cli wrote, read and checked as
    import reads them (readers.inputs.read_checked)."""
    from risk_cli.catalogue.versions import Versions
    from risk_cli.errors import InputProblems
    from risk_cli.readers import inputs

    checked = inputs.read_checked(path, Versions(questionnaire))
    if checked.errors:
        raise InputProblems(checked.errors)
    if checked.format_2 is None:
        raise RiskCliError(f"{path}: is not answers to {questionnaire}")
    return dict(checked.format_2.values), checked.format_2.language


@dataclass
class Result:
    outcome: Outcome | rated.Outcome
    lang: str = "en"  # the language its texts are shown in
    closing: tuple[str, ...] = ()

    @property
    def exit_code(self) -> int:
        return int(exit_code())

    @property
    def views(self) -> "Formats[Any]":
        """The text and JSON views of this model's result."""
        from risk_cli.model import rated
        from risk_cli.output import points as points_view, rated as rated_view

        return rated_view.FORMATS if isinstance(self.outcome, rated.Outcome) else points_view.FORMATS


UNSUPPORTED = (("previous_path", "--previous"), ("appetite_path", "--appetite"), ("fail_on", "--fail-on"))


def run(options: "Options", console: "Console") -> Result:
    from risk_cli.catalogue import bundled, read_rated
    from risk_cli.fileio import check_writable, free_name
    from risk_cli.model import points, rated
    from risk_cli.output.console import interview_terminal
    from risk_cli.readers import points_answers

    o = options
    named_in = ""  # the answers file that names the questionnaire, when -q does not
    if not o.questionnaire:  # the answers file names a bundled format-2 questionnaire (is_points)
        named_in = f"{o.answers_path or o.resume_path}: questionnaire: "
        o = replace(o, questionnaire=named_by_answers(o.answers_path or o.resume_path))
    found = bundled.format_2_path(o.questionnaire)  # -q ID of a bundled format-2 questionnaire
    if found is not None:
        o = replace(o, questionnaire=str(found))
    elif "@" in str(o.questionnaire) and not Path(str(o.questionnaire)).exists():
        qid, _, version = str(o.questionnaire).partition("@")
        have = sorted(v for (i, v) in bundled.format_2_refs() if i == qid)
        if have:
            raise RiskCliError(f"{named_in}questionnaire {qid} version {version} is not bundled with this tool "
                               f"(versions: {', '.join(have)})")
    qn = read_rated.load_format_2(str(o.questionnaire))
    is_rated = isinstance(qn, rated.RatedQuestionnaire)
    for attr, flag in UNSUPPORTED:
        if getattr(o, attr):
            raise RiskCliError(f"{flag} is not available for a {'rated' if is_rated else 'points'} questionnaire ({o.questionnaire})")
    out_path = Path(o.output) if o.output else None
    if out_path is not None:
        check_writable(out_path, o.force)
    if o.answers_path and o.resume_path:
        raise RiskCliError("give either --answers or --resume, not both")
    source = o.answers_path or o.resume_path
    lang = language(qn, o.lang, None)  # a language not offered stops here, before any question
    if source and o.answers_path and Path(source).suffix.lower() in (".xlsx", ".xlsm"):
        start, recorded = _from_workbook(source, str(o.questionnaire))  # a filled template or a workbook
    else:
        start, recorded = points_answers.read_with_language(source, qn) if source else ({}, None)
    lang = language(qn, o.lang, recorded)
    where = None if o.no_input else interview_terminal()
    if where is None:
        if not source:
            raise RiskCliError("no terminal to ask questions in: give --answers FILE (see risk-cli assess --help)")
        values = start
    else:
        from risk_cli.readers import points_terminal
        from risk_cli.readers.inputs import YAML_SUFFIXES

        target = Path(o.save_path or o.resume_path or free_name(Path("risk-answers.yaml")))
        if not str(target).lower().endswith(YAML_SUFFIXES):  # saving YAML there would destroy a workbook
            raise RiskCliError(f"{target}: answers are saved as YAML after every question; give --save a .yaml "
                               "name (a workbook is read with --answers)")
        console.interview_on_stderr = where == "stderr"
        console.echo(f"{points.in_language(qn.title, lang)} ({qn.label}): {len(qn.questions)} questions. "
                     f"Your answers are saved to {target} after every question.")
        values = points_terminal.ask(qn, start, lambda v: points_answers.save(target, qn, v, lang),
                                     console.echo, err=where == "stderr", lang=lang)
        points_answers.save(target, qn, values, lang)
    outcome = rated.assess(qn, values) if is_rated else points.score(qn, values)
    if outcome.not_counted:
        console.warn(f"answered but not shown, so not counted: {', '.join(outcome.not_counted)}")
    if outcome.unanswered:
        console.warn(points.unanswered_note(outcome.unanswered))
    if out_path is not None:
        if is_rated:
            from risk_cli.writers import rated_workbook

            rated_workbook.write(outcome, out_path, force=o.force, marking=o.marking, lang=lang)
            console.info(f"Rated assessment written to {out_path}")
        else:
            from risk_cli.writers import points_workbook

            points_workbook.write(outcome, out_path, force=o.force, marking=o.marking, lang=lang)
            console.info(f"Points assessment written to {out_path}")
    return Result(outcome, lang)


LANG_ENV = "RISK_CLI_LANG"


def language(qn: "points.PointsQuestionnaire | rated.RatedQuestionnaire", asked: Optional[str],
             recorded: Optional[str]) -> str:
    """--lang, else the answers' language, else RISK_CLI_LANG when the questionnaire offers it, else
    its default; a --lang it does not offer is one line, exit 2."""
    import os

    from risk_cli.model import text

    try:
        return text.choose(qn.languages, asked, recorded, os.environ.get(LANG_ENV))
    except ValueError as exc:
        raise RiskCliError(f"--lang {asked}: {qn.label} {exc}") from None
