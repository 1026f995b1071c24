"""`risk-cli assess` without prompts: answers file in, register and summary out."""

from __future__ import annotations

import json

import openpyxl

from tests.conftest import MINI, mini_answers, write_yaml


def test_scores_and_writes_register(tmp_path, run):
    answers = write_yaml(tmp_path / "a.yaml", mini_answers())
    out = tmp_path / "register.xlsx"
    result = run("assess", "-q", MINI, "--answers", answers, "--no-input", "-o", out)
    assert result.exit_code == 0, result.output
    assert "Assurance tier: Tier 1" in result.stdout
    assert f"Risk register written to {out}" in result.stderr
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Summary", "Risk register", "Actions", "Responses", "About", "risk-cli data"]


def test_json_output_for_pipelines(tmp_path, run):
    answers = write_yaml(tmp_path / "a.yaml", mini_answers(data__dpia="no"))
    result = run("assess", "-q", MINI, "--answers", answers, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["questionnaire"]["id"] == "mini"
    assert data["tier"]["level"] == 2
    dat = next(r for r in data["risks"] if r["id"] == "AI-DAT-001")
    assert dat["inherent"] == {"likelihood": 4, "impact": 3, "score": 12, "rating": "high"}
    assert dat["appetite"] == {"level": "averse", "max_score": 3, "breach": True}
    assert data["counts"]["residual"] == {"low": 1, "moderate": 1, "high": 1, "extreme": 0}


def test_fail_on_exit_code(tmp_path, run):
    answers = write_yaml(tmp_path / "a.yaml", mini_answers(data__dpia="no"))
    hit = run("assess", "-q", MINI, "--answers", answers, "--fail-on", "high")
    assert hit.exit_code == 1
    assert "--fail-on high: 1 residual risk(s) at or above it: AI-DAT-001" in hit.stderr
    miss = run("assess", "-q", MINI, "--answers", answers, "--fail-on", "Extreme")
    assert miss.exit_code == 0
    bad = run("assess", "-q", MINI, "--answers", answers, "--fail-on", "awful")
    assert bad.exit_code == 2
    assert bad.stderr == "error: --fail-on: 'awful' is not a rating of mini 0.1.0 (ratings: low, moderate, high, extreme)\n"


def test_every_bad_answer_reported_at_once(tmp_path, run):
    doc = mini_answers(data__personal="maybe", delivery__skills=None, data__volume="lots")
    doc["answers"]["data.colour"] = "red"
    answers = write_yaml(tmp_path / "a.yaml", doc)
    out = tmp_path / "register.xlsx"
    result = run("assess", "-q", MINI, "--answers", answers, "-o", out)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert f"error: {answers}: data.personal: 'maybe' is not an allowed answer (allowed: yes, no, dont_know)" in lines
    assert f"error: {answers}: data.volume: 'lots' is not a number" in lines
    assert f"error: {answers}: data.colour: unknown question id" in lines
    assert f"error: {answers}: delivery.skills: missing answer (required): Have the skills?" in lines
    assert "Traceback" not in result.output
    assert not out.exists()


def test_wrong_types_and_exclusive_choices(tmp_path, run):
    doc = mini_answers(data__kinds=["health", "none"], delivery__date="31/01/2027", profile__phase=True)
    answers = write_yaml(tmp_path / "a.yaml", doc)
    result = run("assess", "-q", MINI, "--answers", answers)
    assert result.exit_code == 2
    assert f"{answers}: data.kinds: 'none' cannot be combined with other choices" in result.stderr
    assert f"{answers}: delivery.date: '31/01/2027' is not a date (YYYY-MM-DD)" in result.stderr
    assert f"{answers}: profile.phase: true/false is not an allowed answer (allowed: alpha, live)" in result.stderr


def test_hidden_answers_are_dropped_with_a_warning(tmp_path, run):
    answers = write_yaml(tmp_path / "a.yaml", mini_answers(data__personal="no"))
    result = run("assess", "-q", MINI, "--answers", answers, "--format", "json")
    assert result.exit_code == 0
    assert "data.dpia: answered, but the question does not apply" in result.stderr
    assert set(json.loads(result.stdout)["dropped"]) == {"data.dpia", "data.kinds"}


def test_existing_output_is_never_overwritten_without_force(tmp_path, run):
    answers = write_yaml(tmp_path / "a.yaml", mini_answers())
    out = tmp_path / "register.xlsx"
    out.write_bytes(b"last month's register")
    result = run("assess", "-q", MINI, "--answers", answers, "-o", out)
    assert result.exit_code == 2
    assert result.stderr == f"error: {out}: already exists; use --force to replace it\n"
    assert out.read_bytes() == b"last month's register"
    forced = run("assess", "-q", MINI, "--answers", answers, "-o", out, "--force")
    assert forced.exit_code == 0
    assert openpyxl.load_workbook(out).sheetnames[0] == "Summary"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_output_folder_missing(tmp_path, run):
    answers = write_yaml(tmp_path / "a.yaml", mini_answers())
    result = run("assess", "-q", MINI, "--answers", answers, "-o", tmp_path / "no" / "r.xlsx")
    assert result.exit_code == 2
    assert "the folder" in result.stderr and "does not exist" in result.stderr


def test_no_terminal_and_no_answers_says_which_flag(run):
    result = run("assess")
    assert result.exit_code == 2
    assert result.stderr == "error: no terminal to ask questions in: give --answers FILE (see risk-cli assess --help)\n"


def test_questionnaire_taken_from_answers_file(tmp_path, run):
    doc = mini_answers()
    doc["questionnaire"] = {"id": "no-such-questionnaire", "version": "1.0.0"}
    answers = write_yaml(tmp_path / "a.yaml", doc)
    result = run("assess", "--answers", answers)
    assert result.exit_code == 2
    assert "no questionnaire 'no-such-questionnaire'" in result.stderr


def test_version_mismatch_is_reported(tmp_path, run):
    doc = mini_answers()
    doc["questionnaire"]["version"] = "0.0.9"
    answers = write_yaml(tmp_path / "a.yaml", doc)
    result = run("assess", "-q", MINI, "--answers", answers)
    assert result.exit_code == 2
    assert "answers are for mini version 0.0.9; this questionnaire is version 0.1.0" in result.stderr


def test_missing_answers_file(tmp_path, run):
    result = run("assess", "--answers", tmp_path / "nope.yaml")
    assert result.exit_code == 2
    assert result.stderr == f"error: {tmp_path / 'nope.yaml'}: no such file\n"


def test_version_and_help_show_examples(run):
    assert run("--version").stdout.startswith("risk-cli 0.")
    for command in ([], ["assess"], ["validate"], ["questionnaires"]):
        text = run(*command, "--help").stdout
        assert "Examples:" in text
