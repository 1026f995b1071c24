"""risk-cli batch with format-2 inputs (the rated and points models) beside format-1 ones: each
scored with its own model, its workbook named as a register would be, and a summary with no
empty 5x5 columns for a model that has none."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from risk_cli.cli import cli
from tests.conftest import ROOT

RATED_ANSWERS = ROOT / "sample_outputs" / "benefit-triage-dp-answers.yaml"
FIVE_ANSWERS = ROOT / "sample_outputs" / "council-chatbot-answers.yaml"
POINTS = ROOT / "tests" / "fixtures" / "points"
FIVE_BY_FIVE_WORDS = ("Likelihood", "Impact", "Residual", "Inherent", "Tier", "appetite")


def run(*args: str) -> "object":
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def sheets(path: Path) -> dict[str, list[tuple]]:
    wb = openpyxl.load_workbook(path)
    out = {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb}
    wb.close()
    return out


def as_dicts(rows: list[tuple]) -> list[dict]:
    return [dict(zip(rows[0], r)) for r in rows[1:]]


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(RATED_ANSWERS, d)
    shutil.copy(FIVE_ANSWERS, d)
    return d


def test_a_mixed_folder_scores_each_input_with_its_own_model(mixed: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("batch", str(mixed), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "Rated (overall rating): High: 1" in result.output
    assert "Tiers: Tier 3: high: 1" in result.output

    book = sheets(out / "batch-summary.xlsx")
    assert list(book) == ["Summary", "Orange Book 5x5", "Rated", "Problems", "About"]
    summary = {r["File"].split("/")[-1]: r for r in as_dicts(book["Summary"])}
    assert summary["benefit-triage-dp-answers.yaml"]["Model"] == "Rated"
    assert summary["benefit-triage-dp-answers.yaml"]["Result"] == "High overall: 2 high, 5 medium, 3 low"
    assert summary["council-chatbot-answers.yaml"]["Result"] == "Tier 3: high"
    # no 5x5 columns where a row could not fill them: they are on the 5x5 sheet
    assert not any(w in h for h in book["Summary"][0] for w in FIVE_BY_FIVE_WORDS)
    assert not any(w in h for h in book["Rated"][0] for w in FIVE_BY_FIVE_WORDS)
    [five] = as_dicts(book["Orange Book 5x5"])
    assert five["Tier"] == "Tier 3: high" and five["Residual Extreme"] == 1
    [rated] = as_dicts(book["Rated"])
    assert (rated["Overall rating"], rated["High risks"], rated["Medium risks"], rated["Low risks"]) == ("High", 2, 5, 3)
    assert rated["Rated highest"] == "solely-automated, unfair-outcomes"
    assert ("Assessed by model", "Rated: 1, Orange Book 5x5: 1") in book["About"]

    # the rated workbook is the one assess writes, under the register's name
    register = sheets(out / "benefit-triage-dp-answers-register.xlsx")
    assert "Risks" in register and "Rating" in register["Risks"][0]
    assert not any(h and "Likelihood" in str(h) for h in register["Risks"][0])


def test_a_folder_of_format_1_inputs_keeps_its_summary_columns(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(FIVE_ANSWERS, d)
    result = run("batch", str(d), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    book = sheets(tmp_path / "out" / "batch-summary.xlsx")
    assert list(book) == ["Summary", "Problems", "About"]
    assert "Model" not in book["Summary"][0] and "Tier" in book["Summary"][0]


def test_json_lines_carry_each_models_result_and_no_5x5_keys(mixed: Path, tmp_path: Path) -> None:
    shutil.copy(POINTS / "answers-high.yaml", mixed)
    result = run("batch", str(mixed), "-o", str(tmp_path / "out"), "--format", "json", "--quiet")
    # the points answers name a questionnaire that is not bundled: that input alone is bad
    assert result.exit_code == 3, result.output
    lines = {Path(rec["file"]).name: rec for rec in map(json.loads, result.stdout.splitlines())}
    rated = lines["benefit-triage-dp-answers.yaml"]
    assert rated["model"] == "rated" and rated["overall"] == {"id": "high", "label": "High"}
    assert rated["rating_counts"] == {"high": 2, "medium": 5, "low": 3}
    assert not {"tier", "residual_counts", "worst", "appetite_breaches"} & set(rated)
    assert "model" not in lines["council-chatbot-answers.yaml"]
    assert lines["answers-high.yaml"]["status"] == "bad"


def test_points_inputs_with_fail_on_a_level(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(POINTS / "answers-high.yaml", d)
    out = tmp_path / "out"
    result = run("batch", str(d), "-q", str(POINTS / "mini-points.yaml"), "-o", str(out), "--fail-on", "IV",
                 "--format", "json", "--quiet")
    assert result.exit_code == 1, result.output
    [line] = [json.loads(x) for x in result.stdout.splitlines()]
    assert line["model"] == "points" and line["level"]["id"] == "IV"
    assert (line["score"], line["maximum"], line["discount_applied"]) == (10, 13, True)
    assert line["fail_on_hits"] == ["level IV"]
    [points] = as_dicts(sheets(out / "batch-summary.xlsx")["Points"])
    assert (points["Impact level"], points["Score"], points["Of a maximum of"], points["Discount applied"]) == \
        ("Level IV", 10, 13, "Yes")


def test_fail_on_that_is_not_a_level_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(POINTS / "answers-high.yaml", d)
    out = tmp_path / "out"
    result = run("batch", str(d), "-q", str(POINTS / "mini-points.yaml"), "-o", str(out), "--fail-on", "extreme")
    assert result.exit_code == 2
    assert "--fail-on: 'extreme' is not an impact level of mini-points" in result.output
    assert not out.exists()


def test_atrs_and_appetite_are_refused_for_a_format_2_questionnaire(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(RATED_ANSWERS, d)
    appetite = tmp_path / "appetite.yaml"
    appetite.write_text("appetite:\n  legal: minimal\n")
    for extra in (["--atrs"], ["--appetite", str(appetite)]):
        result = run("batch", str(d), "-q", "ai-data-protection-rated", "-o", str(tmp_path / "out"), *extra)
        assert result.exit_code == 2, result.output
        assert "format-2 questionnaire (rated model)" in result.output
        assert not (tmp_path / "out").exists()


def test_workbooks_written_by_a_batch_are_read_back_to_the_same_results(mixed: Path, tmp_path: Path) -> None:
    first = run("batch", str(mixed), "-o", str(tmp_path / "out"), "--format", "json", "--quiet")
    (tmp_path / "out" / "batch-summary.xlsx").unlink()
    again = run("batch", str(tmp_path / "out"), "-o", str(tmp_path / "out2"), "--format", "json", "--quiet")
    assert again.exit_code == 0, again.output

    def results(output: str) -> dict[str, dict]:
        recs = [json.loads(x) for x in output.splitlines()]
        return {Path(r["register"]).name: {k: v for k, v in r.items() if k not in ("file", "kind", "register")}
                for r in recs}

    assert results(first.stdout) == results(again.stdout)


def test_appetite_is_not_applied_to_format_2_inputs_and_a_warning_says_so(mixed: Path, tmp_path: Path) -> None:
    appetite = tmp_path / "appetite.yaml"
    appetite.write_text("appetite:\n  legal: minimal\n")
    result = run("batch", str(mixed), "-o", str(tmp_path / "out"), "--appetite", str(appetite))
    assert result.exit_code == 0, result.output
    assert "warning: --appetite was not applied to 1 format-2 input(s)" in result.stderr
    [rated] = [r for r in as_dicts(sheets(tmp_path / "out" / "batch-summary.xlsx")["Summary"]) if r["Model"] == "Rated"]
    assert "--appetite was not applied" in rated["Warnings"]


def test_a_bad_format_2_answers_file_is_a_bad_input_the_rest_written(mixed: Path, tmp_path: Path) -> None:
    (mixed / "wrong.yaml").write_text("questionnaire: {id: ai-data-protection-rated, version: 1.0.0}\n"
                                      "answers:\n  personal-data: perhaps\n")
    out = tmp_path / "out"
    result = run("batch", str(mixed), "-o", str(out), "--jobs", "1")
    assert result.exit_code == 3, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "wrong.yaml" in errors[0] and "perhaps" in errors[0]
    book = sheets(out / "batch-summary.xlsx")
    assert [r["Status"] for r in as_dicts(book["Summary"])] == ["OK", "OK", "Bad"]
    assert not (out / "wrong-register.xlsx").exists()
