"""`risk-cli assess -q FILE` on a rated questionnaire (format 2, `model: rated`): answers file,
text and JSON output, the workbook (Summary, Risks, Answers; no 5x5 columns; nothing a user typed
becomes a formula), and the 5x5 options refused in one line."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from risk_cli.cli import cli

HERE = Path(__file__).parent / "fixtures" / "rated"
QN = str(HERE / "mini-rated.yaml")
ANSWERS = str(HERE / "answers.yaml")


def _assess(*args: str):
    return CliRunner().invoke(cli, ["assess", "-q", QN, "--no-input", *args])


def test_text_lists_each_raised_risk_with_rating_and_steps():
    result = _assess("--answers", ANSWERS)
    assert result.exit_code == 0, result.output
    assert "rated model" in result.output
    assert "Overall: Medium" in result.output
    assert "[Medium] no-dpia: Processing without a DPIA" in result.output
    assert "Must: Complete a DPIA before processing starts." in result.output
    assert "Could: Consider whether less sensitive data would do." in result.output


def test_json_is_the_full_result_and_deterministic():
    first = _assess("--answers", ANSWERS, "--format", "json")
    second = _assess("--answers", ANSWERS, "--format", "json")
    assert first.exit_code == 0, first.output
    assert first.output == second.output
    data = json.loads(first.output)
    assert data["questionnaire"]["model"] == "rated"
    assert data["overall"]["id"] == "medium"
    assert [(r["id"], r["rating"]) for r in data["risks"]] == [("no-dpia", "medium"), ("special-category", "medium")]
    assert data["risks"][0]["why"] == {"dpia": "started"}


def test_risk_not_raised_when_it_does_not_apply(tmp_path):
    answers = tmp_path / "a.yaml"
    answers.write_text('answers: {personal-data: "no"}\n', encoding="utf-8")
    data = json.loads(_assess("--answers", str(answers), "--format", "json").output)
    assert data["risks"] == []
    assert data["not_raised"] == ["no-dpia", "special-category"]
    assert data["overall"]["id"] == "low"


def test_workbook_has_rated_columns_and_no_formulas(tmp_path):
    answers = tmp_path / "a.yaml"
    answers.write_text('answers: {personal-data: "yes", dpia: "no", special: [biometric]}\n', encoding="utf-8")
    out = tmp_path / "r.xlsx"
    result = _assess("--answers", str(answers), "-o", str(out))
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    assert wb.sheetnames == ["Summary", "Risks", "Answers", "risk-cli data"]
    ws = wb["Risks"]
    headers = [c.value for c in ws[1]]
    assert headers == ["Risk id", "Risk", "Rating", "Must", "Should", "Could", "Why"]
    assert not any("ikelihood" in str(h) or "mpact" in str(h) for h in headers)
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert [r[:3] for r in rows] == [["no-dpia", "Processing without a DPIA", "High"],
                                     ["special-category", "Special category data without a condition", "High"]]
    assert "Is a DPIA done?: No" in rows[0][6]
    assert wb["Summary"]["B4"].value == "High"
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)


def test_text_answer_that_looks_like_a_formula_stays_text(tmp_path):
    qn = tmp_path / "q.yaml"
    qn.write_text(Path(QN).read_text(encoding="utf-8").replace(
        "risks:", "  - id: notes\n    title: Notes\n    questions:\n      - {id: note, type: text, text: Notes}\nrisks:"),
        encoding="utf-8")
    answers = tmp_path / "a.yaml"
    answers.write_text('answers: {personal-data: "no", note: "=HYPERLINK(\\"http://x\\")"}\n', encoding="utf-8")
    out = tmp_path / "r.xlsx"
    result = CliRunner().invoke(cli, ["assess", "-q", str(qn), "--no-input", "--answers", str(answers), "-o", str(out)])
    assert result.exit_code == 0, result.output
    ws = load_workbook(out)["Answers"]
    cells = [c for row in ws.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    assert any(str(c.value).endswith('=HYPERLINK("http://x")') for c in cells)


def test_existing_workbook_is_not_overwritten_without_force(tmp_path):
    out = tmp_path / "r.xlsx"
    out.write_bytes(b"keep")
    result = _assess("--answers", ANSWERS, "-o", str(out))
    assert result.exit_code != 0
    assert out.read_bytes() == b"keep"
    assert _assess("--answers", ANSWERS, "-o", str(out), "--force").exit_code == 0
    assert load_workbook(out).sheetnames[0] == "Summary"


def test_5x5_options_refused_in_one_line():
    result = _assess("--answers", ANSWERS, "--fail-on", "high")
    assert result.exit_code != 0
    assert "--fail-on is not available for a rated questionnaire" in result.output
    assert "Traceback" not in result.output


def test_docs_worked_example_ratings_hand_worked():
    # hand-worked (docs/questionnaire-format.md, Format 2: rated model): dpia 'started' fails the
    # 'no' rule and meets the 'started' rule -> medium; special [health] does not include
    # biometric -> catch-all medium; overall = highest raised = medium.
    data = json.loads(_assess("--answers", ANSWERS, "--format", "json").output)
    assert {r["id"]: r["rating"] for r in data["risks"]} == {"no-dpia": "medium", "special-category": "medium"}
    assert data["overall"]["id"] == "medium"
    docs = (Path(__file__).resolve().parent.parent / "docs" / "questionnaire-format.md").read_text(encoding="utf-8")
    assert "## Format 2: rated model" in docs
    assert HERE.joinpath("mini-rated.yaml").read_text(encoding="utf-8") in docs
    assert _assess("--answers", ANSWERS).output.strip() in docs


def test_interview_asks_shown_questions_and_saves(tmp_path, monkeypatch):
    import risk_cli.output.console as console

    monkeypatch.setattr(console, "interview_terminal", lambda: "stdout")
    save = tmp_path / "saved.yaml"
    # personal-data: 1 (yes); special (now shown): 2 (biometric); dpia: 3 (no)
    result = CliRunner().invoke(cli, ["assess", "-q", QN, "--save", str(save), "--format", "json"],
                                input="1\n2\n3\n")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout[result.stdout.index("{\n"):])
    assert {r["id"]: r["rating"] for r in data["risks"]} == {"no-dpia": "high", "special-category": "high"}
    saved = save.read_text(encoding="utf-8")
    assert "dpia: 'no'" in saved or 'dpia: "no"' in saved or "dpia: no" in saved
