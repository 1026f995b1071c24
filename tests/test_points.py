"""Format 2, the points model (issue 16): loading and validating, scoring (maximums over every
question, totals over the shown answered ones, the adjustment, levels) and `risk-cli assess` on a
points questionnaire (answers file, interview, JSON, text and the workbook)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from risk_cli.cli import cli

HERE = Path(__file__).parent / "fixtures" / "points"
MINI = str(HERE / "mini-points.yaml")


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


def answers(tmp_path: Path, values: dict) -> str:
    path = tmp_path / "answers.yaml"
    path.write_text(json.dumps({"questionnaire": {"id": "mini-points"}, "answers": values}), encoding="utf-8")
    return str(path)


def assess_json(tmp_path: Path, values: dict) -> dict:
    result = run("assess", "-q", MINI, "--answers", answers(tmp_path, values), "--no-input", "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_validate_accepts_a_points_questionnaire():
    result = run("validate", MINI)
    assert result.exit_code == 0, result.output
    assert "valid" in result.stdout


def test_validate_explains_format_2_errors_with_line_and_column(tmp_path):
    bad = tmp_path / "bad.yaml"
    text = (HERE / "mini-points.yaml").read_text(encoding="utf-8")
    text = text.replace("{id: health, label: Health, points: 2}", "{id: health, label: Health, points: two}")
    text = text.replace("when: {question: scrutiny-1, equals: \"yes\"}", "when: {question: later-one, equals: \"yes\"}")
    text = text.replace("  - {id: mitigation, label: Mitigation, max_divisor: 2}",
                        "  - {id: mitigation, label: Mitigation, max_divisor: 2, colour: red}")
    bad.write_text(text, encoding="utf-8")
    result = run("validate", str(bad))
    assert result.exit_code == 2
    err = result.stderr
    assert "bad.yaml:" in err
    assert "sections[0].questions[1].choices[0].points: 'points' must be a whole number" in err
    assert "sections[0].questions[2].when: the condition names 'later-one'" in err
    assert "totals[1].colour: unknown key 'colour'" in err
    import re

    for line in err.strip().splitlines():
        assert re.match(r"error: .*bad\.yaml:\d+:\d+: ", line), line  # file:line:column


def test_maximums_count_hidden_questions_and_the_divisor(tmp_path):
    data = assess_json(tmp_path, {"scrutiny-1": "no"})
    # raw: 3 (best of scrutiny) + 6 (every effect) + 4 (duration, hidden here) = 13;
    # mitigation: (2 + 2) / 2 = 2
    assert data["maximums"] == {"raw": 13, "mitigation": 2}
    assert data["totals"] == {"raw": 0, "mitigation": 0}
    assert data["level"]["id"] == "I"


def test_a_hidden_question_answered_does_not_count(tmp_path):
    # duration is shown only when scrutiny-1 is yes; answered "long" (4) under "no" it adds nothing
    data = assess_json(tmp_path, {"scrutiny-1": "no", "effects": ["money"], "duration": "long"})
    assert data["totals"]["raw"] == 1
    assert data["not_counted"] == ["duration"]
    assert data["score"] == 1


def test_discount_applies_at_80_percent_of_the_halved_maximum(tmp_path):
    # raw 3 + 3 + 4 = 10; mitigation 2 of 2 (100%) -> round(0.85 x 10) = round(8.5) = 9 (half up)
    values = {"scrutiny-1": "yes", "effects": ["liberty"], "duration": "long", "design-review": "yes",
              "build-review": "no"}
    data = assess_json(tmp_path, values)
    assert data["totals"] == {"raw": 10, "mitigation": 2}
    assert data["adjustments"][0]["before"] == 10 and data["adjustments"][0]["after"] == 9
    assert data["score"] == 9
    # 9 of 13 = 69%: level III (up to 75%)
    assert data["level"]["id"] == "III"
    # mitigation 0 of 2: no discount, score 10 of 13 = 77%: level IV
    values["design-review"] = "no"
    data = assess_json(tmp_path, values)
    assert data["adjustments"] == [] and data["score"] == 10 and data["level"]["id"] == "IV"


def test_level_boundaries_are_inclusive(tmp_path):
    # 13 x 0.25 = 3.25: 3 is level I; 13 x 0.5 = 6.5: 6 is level II, 7 is level III
    assert assess_json(tmp_path, {"scrutiny-1": "yes"})["level"]["id"] == "I"
    assert assess_json(tmp_path, {"scrutiny-1": "yes", "effects": ["liberty"]})["level"]["id"] == "II"
    assert assess_json(tmp_path, {"scrutiny-1": "yes", "effects": ["liberty"], "duration": "short"})["level"]["id"] == "III"


def test_bad_answers_are_one_line_each_with_their_place(tmp_path):
    result = run("assess", "-q", MINI, "--answers", answers(tmp_path, {"scrutiny-1": "maybe", "nope": "x"}),
                 "--no-input")
    assert result.exit_code == 2
    assert "'maybe' is not a choice of scrutiny-1" in result.stderr
    assert "unknown question 'nope'" in result.stderr
    assert "Traceback" not in result.output


def test_text_summary_and_workbook(tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "result.xlsx"
    values = {"scrutiny-1": "no", "effects": ["money"], "duration": "long", "design-review": "yes"}
    result = run("assess", "-q", MINI, "--answers", answers(tmp_path, values), "--no-input", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "Raw impact: 1 of 13" in result.stdout and "Level: Level I" in result.stdout
    wb = load_workbook(out)
    assert wb.sheetnames == ["Result", "Answers", "risk-cli data"]
    assert wb["risk-cli data"].sheet_state == "hidden"  # the answers, re-read by import, batch, portfolio, report
    cells = [c for row in wb["Result"].iter_rows(values_only=True) for c in row if c is not None]
    assert "Level I" in cells and "Raw impact" in cells and 13 in cells
    rows = list(wb["Answers"].iter_rows(values_only=True))
    assert rows[0] == ("Section", "Question id", "Question", "Total", "Answer", "Points", "Counted")
    duration = next(r for r in rows if r[1] == "duration")
    assert duration[4] == "Long" and duration[6] == "No: not shown"
    headers = {c for r in wb.worksheets for c in next(r.iter_rows(values_only=True))}
    assert "Likelihood" not in headers and "Impact" not in headers


def test_interview_asks_shown_questions_and_saves(tmp_path, monkeypatch):
    import risk_cli.output.console as console

    monkeypatch.setattr(console, "interview_terminal", lambda: "stdout")
    save = tmp_path / "saved.yaml"
    # scrutiny-1: 1 (yes); effects: 1,3; duration (now shown): 2 (long); note: skip; design: 1; build: 2
    result = run("assess", "-q", MINI, "--save", str(save), "--format", "json",
                 input="1\n1,3\n2\n\n1\n2\n")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout[result.stdout.index("{\n"):])
    assert data["totals"] == {"raw": 12, "mitigation": 2}
    assert data["score"] == 10  # round(0.85 x 12) = round(10.2)
    assert "duration: long" in save.read_text(encoding="utf-8")


def test_points_options_that_need_a_register_are_refused(tmp_path):
    result = run("assess", "-q", MINI, "--answers", answers(tmp_path, {}), "--no-input", "--fail-on", "high")
    assert result.exit_code == 2
    assert "--fail-on is not available for a points questionnaire" in result.stderr
