"""Format-2 questions shown but left unanswered. No format-2 question is required (the AIA counts
an unanswered question as no points), so the result is still given, but it must say what it
leaves out: a rated risk whose deciding question is blank falls to its catch-all rating, and an
empty answers file would otherwise read "Overall: Low" with nothing to warn the board.

Each output says so: the text summary, a warning on stderr (assess) or in the input's warnings
(import, batch), the JSON, the workbook's first sheet and the board pack's decisions."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from risk_cli.cli import cli

FIXTURES = Path(__file__).parent / "fixtures"
RATED = str(FIXTURES / "rated" / "mini-rated.yaml")
POINTS = str(FIXTURES / "points" / "mini-points.yaml")
NOTE = "1 question shown but not answered, scored as if not asked: dpia"


def answers(tmp_path: Path, text: str, name: str = "a.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def sheet_rows(path: Path, sheet: str) -> dict:
    ws = load_workbook(path)[sheet]
    return {row[0]: row[1] for row in ws.iter_rows(values_only=True) if row and row[0]}


def test_a_blank_deciding_question_is_named_in_text_warning_json_and_workbook(tmp_path):
    blank_dpia = answers(tmp_path, 'answers: {personal-data: "yes", special: []}\n')
    out = tmp_path / "r.xlsx"
    result = invoke("assess", "-q", RATED, "--no-input", "--answers", blank_dpia, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "[Low] no-dpia" in result.stdout  # the catch-all rating: why the board must be told
    assert f"  {NOTE}" in result.stdout.splitlines()
    assert result.stderr.splitlines()[0] == f"warning: {NOTE}"
    assert sheet_rows(out, "Summary")["Shown but not answered"] == "dpia"

    data = json.loads(invoke("assess", "-q", RATED, "--no-input", "--answers", blank_dpia, "--format", "json").stdout)
    assert data["unanswered"] == ["dpia"]  # `special`, a multi left empty, is an answer: none apply


def test_complete_answers_say_none_and_warn_of_nothing(tmp_path):
    complete = answers(tmp_path, 'answers: {personal-data: "yes", special: [health], dpia: started}\n')
    out = tmp_path / "r.xlsx"
    result = invoke("assess", "-q", RATED, "--no-input", "--answers", complete, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "not answered" not in result.output
    assert sheet_rows(out, "Summary")["Shown but not answered"] == "none"


def test_a_hidden_question_is_not_unanswered(tmp_path):
    no_personal_data = answers(tmp_path, 'answers: {personal-data: "no"}\n')
    data = json.loads(invoke("assess", "-q", RATED, "--no-input", "--answers", no_personal_data,
                             "--format", "json").stdout)
    assert data["unanswered"] == []


def test_points_model_lists_them_in_order_and_counts_them_as_no_points(tmp_path):
    partial = answers(tmp_path, "questionnaire: {id: mini-points, version: 0.1.0}\n"
                                'answers: {scrutiny-1: "yes", effects: [health]}\n')
    out = tmp_path / "p.xlsx"
    result = invoke("assess", "-q", POINTS, "--no-input", "--answers", partial, "-o", str(out))
    assert result.exit_code == 0, result.output
    note = "3 questions shown but not answered, scored as if not asked: duration, design-review, build-review"
    assert f"  {note}" in result.stdout.splitlines()  # `note`, a text question, scores nothing
    assert f"warning: {note}" in result.stderr
    assert sheet_rows(out, "Result")["Shown but not answered"] == "duration, design-review, build-review"
    data = json.loads(invoke("assess", "-q", POINTS, "--no-input", "--answers", partial, "--format", "json").stdout)
    assert data["unanswered"] == ["duration", "design-review", "build-review"]
    assert data["totals"] == {"raw": 5, "mitigation": 0}


def test_a_long_list_is_cut_after_ten(tmp_path):
    from risk_cli.model.points import unanswered_note

    ids = tuple(f"q{n}" for n in range(1, 13))
    assert unanswered_note(ids) == ("12 questions shown but not answered, scored as if not asked: "
                                    "q1, q2, q3, q4, q5, q6, q7, q8, q9, q10 and 2 more")


def test_import_and_batch_carry_the_warning_with_the_file_name(tmp_path):
    blank = answers(tmp_path, "questionnaire: {id: mini-rated, version: 0.1.0}\n"
                              'answers: {personal-data: "yes", special: [health]}\n', "team-a.yaml")
    imported = invoke("import", blank, "-q", RATED, "-o", str(tmp_path / "imported"))
    assert imported.exit_code == 0, imported.output
    assert f"warning: {blank}: {NOTE}" in imported.stderr

    batch = invoke("batch", blank, "-q", RATED, "-o", str(tmp_path / "batch"), "--format", "json", "--quiet")
    assert batch.exit_code == 0, batch.output
    row = json.loads(batch.stdout.splitlines()[0])
    assert row["warnings"] == [f"{blank}: {NOTE}"]

    text = invoke("batch", blank, "-q", RATED, "-o", str(tmp_path / "batch-text"))  # the summary is not enough
    assert text.exit_code == 0, text.output
    assert text.stderr.splitlines()[-1] == (
        "warning: 1 format-2 input(s) leave questions shown but not answered, scored as if not asked (each is named "
        f"in the warnings of batch-summary.xlsx): {blank} (1)")


def test_the_board_is_asked_for_the_answers_first(tmp_path):
    blank = answers(tmp_path, "questionnaire: {id: mini-rated, version: 0.1.0}\n"
                              'answers: {personal-data: "yes", special: [health]}\n')
    pack = tmp_path / "pack.md"
    result = invoke("report", blank, "-q", RATED, "-o", str(pack))
    assert result.exit_code == 0, result.output
    text = pack.read_text(encoding="utf-8")
    decisions = text.split("## Decisions for the board")[1].split("##")[0]
    first = next(line for line in decisions.splitlines() if line.startswith("1. "))
    assert first == ("1. Ask for an answer to the question shown but not answered (dpia) before accepting the "
                     "rating: the rating counts it as not asked, so it may be too low.")
    assert "Shown but not answered, so scored as if not asked (1): dpia." in text
