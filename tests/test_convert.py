"""`risk-cli convert`: a SurveyJS survey following the Canada AIA's conventions becomes a format-2
points questionnaire (issue 16). The surveys here are small ones written for these tests."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from risk_cli.cli import cli

SMALL = str(Path(__file__).parent / "fixtures" / "points" / "small-survey.json")


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def convert(tmp_path: Path, survey: str = SMALL):
    out = tmp_path / "small.yaml"
    return run("convert", survey, "-o", str(out)), out


def test_convert_writes_a_valid_points_questionnaire_with_french_kept(tmp_path):
    result, out = convert(tmp_path)
    assert result.exit_code == 0, result.output
    assert run("validate", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "fr: Sert-il le public?" in text and "en: Does it serve the public?" in text
    assert "9 questions (6 scored), 4 conditions; maximums: raw 17, mitigation 4 -> 2" in result.stderr


def test_every_construct_not_mapped_is_one_warning_with_its_place(tmp_path):
    result, _ = convert(tmp_path)
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    expected = [
        "survey: survey setting 'showProgressBar' is not kept",
        "intro/welcome: html element (display text only) is not kept",
        "impact/grid1: element type 'matrix' is not supported; skipped",
        "impact/notes: visibleIf '{nowhere} = \"x\"' names {nowhere}, which is not a question before it; "
        "the condition is dropped (always shown)",
        "designMitigation/review1-MS: property 'isRequired' is not kept",
    ]
    assert len(warnings) == len(expected)
    for line, want in zip(warnings, expected):
        assert line.endswith(want), line


def assess(tmp_path: Path, qn: Path, values: dict) -> dict:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"answers": values}), encoding="utf-8")
    result = run("assess", "-q", str(qn), "--answers", str(answers), "--no-input", "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_converted_conditions_and_points_score_as_the_survey_would(tmp_path):
    _, qn = convert(tmp_path)
    # public1 yes (3) shows effects1; health + liberty (2 + 4) shows length1 through `contains`;
    # long (5); kind-NS "learning" (item2-0) shows learning-RS through contains ["item2"]: yes (2).
    # raw = 3 + 6 + 5 + 2 = 16 of 17; mitigation 2 + 2 = 4 >= 0.8 x 2, so round(0.85 x 16) = round(13.6) = 14;
    # 14 > 0.75 x 17 = 12.75: level IV
    data = assess(tmp_path, qn, {"public1": "item1-3", "effects1": ["item1-2", "item3-4"], "length1": "long-5",
                                 "kind-NS": "item2-0", "learning-RS": "item1-2", "review1-MS": "item1-2",
                                 "review2-MS": "item1-2"})
    assert data["totals"] == {"raw": 16, "mitigation": 4}
    assert data["maximums"] == {"raw": 17, "mitigation": 2}
    assert data["score"] == 14 and data["level"]["id"] == "IV"
    # public1 no (0) hides effects1; the bracketed `and` shows length1 only with effects1 answered,
    # which a hidden question is not, so length1 and effects1 do not count; kind "rules" hides learning-RS
    data = assess(tmp_path, qn, {"public1": "item2-0", "effects1": ["item1-2"], "length1": "long-5",
                                 "kind-NS": "item1-0", "learning-RS": "item1-2"})
    assert data["totals"] == {"raw": 0, "mitigation": 0}
    assert sorted(data["not_counted"]) == ["effects1", "learning-RS", "length1"]


def test_nothing_usable_exits_2_and_writes_nothing(tmp_path):
    empty = tmp_path / "empty.json"
    empty.write_text(json.dumps({"pages": [{"name": "p1", "elements": [{"type": "html", "name": "h"}]}]}))
    result, out = convert(tmp_path, str(empty))
    assert result.exit_code == 2
    assert "nothing in it could be converted" in result.stderr
    assert not out.exists()


def test_a_file_that_is_not_json_is_one_line(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    result, out = convert(tmp_path, str(bad))
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "not a JSON survey" in result.stderr
    assert not out.exists()


def test_an_existing_output_is_not_overwritten(tmp_path):
    out = tmp_path / "small.yaml"
    out.write_text("keep")
    result = run("convert", SMALL, "-o", str(out))
    assert result.exit_code == 2 and out.read_text() == "keep"
