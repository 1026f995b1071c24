"""Inputs for a format-2 questionnaire as every command reads them (readers.inputs.read_checked ->
Checked.format_2): an answers file that names a bundled format-2 questionnaire, a workbook
`assess` wrote for one (its hidden data sheet), the exact version named, and -q choosing."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from risk_cli.catalogue.versions import Versions
from risk_cli.cli import cli
from risk_cli.readers import inputs

ROOT = Path(__file__).parent.parent
RATED_ANSWERS = ROOT / "sample_outputs" / "benefit-triage-dp-answers.yaml"
FORMAT_1_ANSWERS = ROOT / "sample_outputs" / "council-chatbot-answers.yaml"


def test_an_answers_file_naming_a_bundled_rated_questionnaire_is_read_as_one():
    checked = inputs.read_checked(RATED_ANSWERS, Versions())
    assert checked.ok, checked.errors
    assert checked.questionnaire is None and checked.answers is None
    answers = checked.format_2
    assert answers is not None and answers.is_rated and answers.kind == "answers"
    assert answers.questionnaire.id == "ai-data-protection-rated"
    assert answers.values["decision-role"] == "solely"
    assert answers.outcome().overall.id == "high"


def test_a_rated_workbook_keeps_its_answers_and_is_re_scored_from_them(tmp_path):
    out = tmp_path / "rated.xlsx"
    result = CliRunner().invoke(cli, ["assess", "--answers", str(RATED_ANSWERS), "--no-input", "--lang", "en",
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    assert wb["risk-cli data"].sheet_state == "hidden"
    checked = inputs.read_checked(out, Versions())
    assert checked.ok, checked.errors
    assert checked.format_2 is not None and checked.format_2.kind == "register"
    assert checked.format_2.language == "en"
    from_file = inputs.read_checked(RATED_ANSWERS, Versions()).format_2
    assert from_file is not None
    assert checked.format_2.values == from_file.values
    assert checked.format_2.outcome().to_dict() == from_file.outcome().to_dict()


def test_assess_answers_without_q_uses_the_questionnaire_the_file_names():
    result = CliRunner().invoke(cli, ["assess", "--answers", str(RATED_ANSWERS), "--no-input", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["questionnaire"]["id"] == "ai-data-protection-rated"
    assert data["overall"]["id"] == "high"


def test_a_format_2_version_that_is_not_bundled_is_one_line(tmp_path):
    answers = tmp_path / "old.yaml"
    answers.write_text(RATED_ANSWERS.read_text().replace("version: 1.0.0", "version: 0.9.0"))
    result = CliRunner().invoke(cli, ["assess", "--answers", str(answers), "--no-input"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1] == (  # the file and the place that name it, as for format 1
        f"error: {answers}: questionnaire: questionnaire ai-data-protection-rated version 0.9.0 is not bundled with "
        "this tool (versions: 1.0.0)")
    typed = CliRunner().invoke(cli, ["assess", "-q", "ai-data-protection-rated@0.9.0", "--answers", str(answers),
                                     "--no-input"])  # typed with -q: the versions there are, not a mismatch
    assert typed.exit_code == 2
    assert typed.output.strip().splitlines()[-1] == (
        "error: questionnaire ai-data-protection-rated version 0.9.0 is not bundled with this tool (versions: 1.0.0)")
    checked = inputs.read_checked(answers, Versions())
    assert [p.where for p in checked.errors] == ["questionnaire"]
    assert "version 0.9.0 is not bundled" in checked.errors[0].message


def test_q_naming_a_rated_questionnaire_refuses_answers_to_another_in_one_problem():
    checked = inputs.read_checked(FORMAT_1_ANSWERS, Versions("ai-data-protection-rated"))
    assert len(checked.errors) == 1, checked.errors
    assert checked.errors[0].message == "these answers are for 'uk-public-sector-ai', not 'ai-data-protection-rated'"
    assert checked.errors[0].line == 5


def test_format_1_inputs_are_unchanged():
    checked = inputs.read_checked(FORMAT_1_ANSWERS, Versions())
    assert checked.ok and checked.format_2 is None
    assert checked.questionnaire is not None and checked.questionnaire.id == "uk-public-sector-ai"
    assert not inputs.names_format_2({"questionnaire": {"id": "uk-public-sector-ai", "version": "1.1.0"}})
    assert inputs.names_format_2({"questionnaire": {"id": "ai-data-protection-rated", "version": "1.0.0"}})



def test_a_format_1_q_with_format_2_answers_is_one_line_not_a_crash(tmp_path: Path) -> None:
    """-q names a 5x5 questionnaire, the answers another, format-2 one (was: exit 70)."""
    result = CliRunner().invoke(cli, ["assess", "-q", "uk-public-sector-ai", "--answers", str(RATED_ANSWERS),
                                      "--no-input", "-o", str(tmp_path / "r.xlsx")])
    assert result.exit_code == 2, result.output
    assert result.output.splitlines() == [
        f"error: {RATED_ANSWERS}: questionnaire: these answers are for 'ai-data-protection-rated' (format 2), "
        "not for uk-public-sector-ai (-q)"]
    assert not (tmp_path / "r.xlsx").exists()


def test_assess_rescores_a_rated_workbook_from_its_data_sheet(tmp_path: Path) -> None:
    """The workbook assess -o wrote is an answers file too, as a 5x5 register is (was: exit 70)."""
    first = tmp_path / "first.xlsx"
    assert CliRunner().invoke(cli, ["assess", "--answers", str(RATED_ANSWERS), "--no-input", "-o", str(first)]).exit_code == 0
    again = CliRunner().invoke(cli, ["assess", "--answers", str(first), "--no-input", "--format", "json"])
    direct = CliRunner().invoke(cli, ["assess", "--answers", str(RATED_ANSWERS), "--no-input", "--format", "json"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout) == json.loads(direct.stdout)


def test_resuming_a_rated_workbook_never_overwrites_it_with_yaml(tmp_path: Path, monkeypatch) -> None:
    import risk_cli.output.console as console

    monkeypatch.setattr(console, "interview_terminal", lambda: "stdout")
    book = tmp_path / "rated.xlsx"
    assert CliRunner().invoke(cli, ["assess", "--answers", str(RATED_ANSWERS), "--no-input", "-o", str(book)]).exit_code == 0
    before = book.read_bytes()
    result = CliRunner().invoke(cli, ["assess", "--resume", str(book)], input="\n")
    assert result.exit_code == 2, result.output
    [line] = result.output.splitlines()
    assert line.startswith(f"error: {book}: ")
    assert book.read_bytes() == before
