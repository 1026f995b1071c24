"""risk-cli batch on format-2 inputs (rated and points answers files and the workbooks risk-cli
writes for them), alone and mixed with format-1 ones: each model's result in the text, the JSON
lines and batch-summary.xlsx (its own sheet, no empty 5x5 columns), --fail-on by rating or level."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import FIXTURES, ROOT, write_yaml

RATED_ANSWERS = ROOT / "sample_outputs_rated" / "benefit-triage-dp-answers.yaml"
RATED_WORKBOOK = ROOT / "sample_outputs_rated" / "benefit-triage-dp-rated.xlsx"
FORMAT_1 = ROOT / "sample_outputs" / "council-chatbot-answers.yaml"
POINTS_QN = FIXTURES / "points" / "mini-points.yaml"
POINTS_HIGH = FIXTURES / "points" / "answers-high.yaml"


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")


def sheets(path: Path) -> dict[str, list[dict]]:
    wb = openpyxl.load_workbook(path, data_only=True)
    out = {}
    for ws in wb:
        rows = list(ws.iter_rows(values_only=True))
        out[ws.title] = [dict(zip(rows[0], r)) for r in rows[1:]] if rows else []
    wb.close()
    return out


def sheet_names(path: Path) -> list[str]:
    wb = openpyxl.load_workbook(path)
    names = wb.sheetnames
    wb.close()
    return names


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(RATED_ANSWERS, d / "triage-dp.yaml")
    shutil.copy(RATED_WORKBOOK, d / "triage-dp-workbook.xlsx")
    shutil.copy(FORMAT_1, d / "chatbot.yaml")
    return d


@pytest.fixture
def points_folder(tmp_path: Path) -> Path:
    d = tmp_path / "pin"
    d.mkdir()
    shutil.copy(POINTS_HIGH, d / "high.yaml")
    write_yaml(d / "low.yaml", {"questionnaire": {"id": "mini-points", "version": "0.1.0"},
                                "answers": {"scrutiny-1": "no"}})
    return d


def test_mixed_folder_rated_and_format_1(run, mixed: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("batch", mixed, "-o", out, "--jobs", "1")
    assert result.exit_code == 0, result.stderr
    assert "Assessed 3 of 3 input(s); 0 bad." in result.stdout
    assert "Rated (overall rating): High: 2" in result.stdout
    assert "Tiers: Tier 3: high: 1" in result.stdout
    for name in ("triage-dp", "triage-dp-workbook", "chatbot"):
        assert (out / f"{name}-register.xlsx").is_file()
    # the rated workbooks are rated workbooks (Summary, Risks, Answers), the format-1 one a register
    rated_sheets = sheet_names(out / "triage-dp-register.xlsx")
    assert {"Summary", "Risks", "Answers"} <= set(rated_sheets)
    risks = sheets(out / "triage-dp-register.xlsx")["Risks"]
    assert sum(1 for r in risks if r["Rating"] == "High") == 2
    assert sheets(out / "triage-dp-workbook-register.xlsx")["Risks"] == risks
    assert "Risk register" in sheet_names(out / "chatbot-register.xlsx")

    summary = out / "batch-summary.xlsx"
    assert sheet_names(summary)[:4] == ["Summary", "Orange Book 5x5", "Rated", "Problems"]
    got = sheets(summary)
    rows = {r["File"].split("/")[-1]: r for r in got["Summary"]}
    assert "Tier" not in got["Summary"][0] and "Residual High" not in got["Summary"][0]
    assert rows["chatbot.yaml"]["Model"] == "Orange Book 5x5" and rows["chatbot.yaml"]["Result"] == "Tier 3: high"
    assert rows["triage-dp.yaml"]["Model"] == "Rated"
    assert rows["triage-dp.yaml"]["Result"] == "High overall: 2 high, 5 medium, 3 low"
    assert rows["triage-dp-workbook.xlsx"]["Kind"] == "register"
    five = got["Orange Book 5x5"]
    assert len(five) == 1 and five[0]["Tier"] == "Tier 3: high" and five[0]["Residual Extreme"] == 1
    rated = got["Rated"]
    assert len(rated) == 2
    assert "Tier" not in rated[0] and "Residual High" not in rated[0]
    assert rated[0]["Overall rating"] == "High"
    assert (rated[0]["High risks"], rated[0]["Medium risks"], rated[0]["Low risks"]) == (2, 5, 3)
    assert rated[0]["Rated highest"] == "solely-automated, unfair-outcomes"
    assert {r["Register"] for r in rated} == {"triage-dp-register.xlsx", "triage-dp-workbook-register.xlsx"}
    about = {r["risk-cli batch summary"]: r[None] for r in got["About"] if r.get("risk-cli batch summary")}
    assert about["Assessed by model"] == "Orange Book 5x5: 1, Rated: 2"


def test_mixed_folder_json_lines_and_fail_on(run, mixed: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("batch", mixed, "-o", out, "--jobs", "1", "--format", "json", "--fail-on", "high")
    assert result.exit_code == 1, result.stderr
    lines = {Path(d["file"]).name: d for d in map(json.loads, result.stdout.splitlines())}
    rated = lines["triage-dp.yaml"]
    assert rated["model"] == "rated" and rated["overall"] == {"id": "high", "label": "High"}
    assert rated["rating_counts"] == {"high": 2, "medium": 5, "low": 3}
    assert rated["highest"] == ["solely-automated", "unfair-outcomes"]
    assert rated["fail_on_hits"] == ["solely-automated", "unfair-outcomes"]
    assert "tier" not in rated and "residual_counts" not in rated
    assert lines["triage-dp-workbook.xlsx"]["kind"] == "register"
    assert "model" not in lines["chatbot.yaml"] and lines["chatbot.yaml"]["tier"]["level"] == 3
    assert "--fail-on high: 3 input(s) reached it" in result.stderr
    summary = sheets(out / "batch-summary.xlsx")
    assert [r["At or above high"] for r in summary["Rated"]] == ["solely-automated, unfair-outcomes"] * 2


def test_points_batch_levels_and_fail_on_level(run, points_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("batch", points_folder, "-o", out, "-q", POINTS_QN, "--jobs", "1", "--fail-on", "III")
    assert result.exit_code == 1, result.stderr
    assert "Points (impact level): Level I: 1, Level IV: 1" in result.stdout
    assert "--fail-on III: 1 input(s) reached it" in result.stderr and "high.yaml (level IV)" in result.stderr
    for name in ("high", "low"):
        book = sheets(out / f"{name}-register.xlsx")
        assert book, name
    summary = out / "batch-summary.xlsx"
    assert "Orange Book 5x5" not in sheet_names(summary) and "Rated" not in sheet_names(summary)
    got = sheets(summary)
    pts = {r["Use case"]: r for r in got["Points"]}
    assert (pts["high"]["Impact level"], pts["high"]["Score"], pts["high"]["Of a maximum of"],
            pts["high"]["Discount applied"]) == ("Level IV", 10, 13, "Yes")
    assert (pts["low"]["Impact level"], pts["low"]["Score"], pts["low"]["Discount applied"]) == ("Level I", 0, "No")
    assert pts["high"]["At or above III"] == "level IV" and pts["low"]["At or above III"] is None
    rows = {r["Use case"]: r for r in got["Summary"]}
    assert rows["high"]["Result"] == "Level IV: score 10 of 13; discount applied"

    json_run = run("batch", points_folder, "-o", tmp_path / "out2", "-q", POINTS_QN, "--format", "json")
    assert json_run.exit_code == 0, json_run.stderr
    lines = {Path(d["file"]).name: d for d in map(json.loads, json_run.stdout.splitlines())}
    assert lines["high.yaml"]["level"] == {"id": "IV", "label": "Level IV"}
    assert (lines["high.yaml"]["score"], lines["high.yaml"]["maximum"], lines["high.yaml"]["discount_applied"]) == (
        10, 13, True)
    sheets(tmp_path / "out2" / "batch-summary.xlsx")


def test_fail_on_not_a_level_is_a_usage_error(run, points_folder: Path, tmp_path: Path) -> None:
    result = run("batch", points_folder, "-o", tmp_path / "out", "-q", POINTS_QN, "--fail-on", "extreme")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --fail-on: 'extreme' is not an impact level of mini-points 0.1.0")
    assert not (tmp_path / "out").exists()


def test_appetite_and_atrs_with_format_2(run, mixed: Path, tmp_path: Path) -> None:
    appetite = tmp_path / "appetite.yaml"
    write_yaml(appetite, {"appetite": {"legal": "minimal"}})
    out = tmp_path / "out"
    result = run("batch", mixed, "-o", out, "--jobs", "1", "--appetite", appetite)
    assert result.exit_code == 0, result.stderr
    assert "warning: --appetite was not applied to 2 format-2 input(s)" in result.stderr
    got = sheets(out / "batch-summary.xlsx")
    assert all("--appetite was not applied" in r["Warnings"] for r in got["Summary"] if r["Model"] == "Rated")

    atrs = run("batch", mixed, "-o", tmp_path / "out2", "--jobs", "1", "--atrs")
    assert atrs.exit_code == 3
    assert "has no ATRS mapping" in atrs.stderr
    got = sheets(tmp_path / "out2" / "batch-summary.xlsx")
    assert [r["Status"] for r in got["Summary"]] == ["OK", "Bad", "Bad"]
    assert not (tmp_path / "out2" / "triage-dp-register.xlsx").exists()

    usage = run("batch", mixed, "-o", tmp_path / "out3", "-q", "ai-data-protection-rated", "--atrs")
    assert usage.exit_code == 2 and "--atrs:" in usage.stderr and "no ATRS mapping" in usage.stderr


def test_bad_format_2_answers_are_bad_inputs(run, mixed: Path, tmp_path: Path) -> None:
    write_yaml(mixed / "wrong.yaml", {"questionnaire": {"id": "ai-data-protection-rated", "version": "1.0.0"},
                                      "answers": {"personal-data": "perhaps"}})
    out = tmp_path / "out"
    result = run("batch", mixed, "-o", out, "--jobs", "1")
    assert result.exit_code == 3
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "wrong.yaml" in errors[0] and "perhaps" in errors[0]
    got = sheets(out / "batch-summary.xlsx")
    assert [r["Status"] for r in got["Summary"]] == ["OK", "OK", "OK", "Bad"]
    assert got["Problems"] and "perhaps" in got["Problems"][0]["Problem"]
    assert not (out / "wrong-register.xlsx").exists()
