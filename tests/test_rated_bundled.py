"""The bundled rated questionnaire: reachable by id, listed with its model, valid with no
warnings; the format-1 default stays uk-public-sector-ai."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from risk_cli.cli import cli

ROOT = Path(__file__).resolve().parent.parent
FILE = ROOT / "questionnaires" / "ai-data-protection-rated-1.0.0.yaml"
ANSWERS = str(Path(__file__).parent / "fixtures" / "rated" / "ai-data-protection-answers.yaml")


def test_bundled_rated_questionnaire_is_valid_without_warnings():
    result = CliRunner().invoke(cli, ["validate", str(FILE)])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output


def test_listed_with_its_model():
    rows = json.loads(CliRunner().invoke(cli, ["questionnaires", "--format", "json"]).output)
    by_id = {r["id"]: r for r in rows}
    assert by_id["ai-data-protection-rated"]["model"] == "rated"
    assert 12 <= by_id["ai-data-protection-rated"]["questions"] <= 20
    assert 8 <= by_id["ai-data-protection-rated"]["risks"] <= 12
    assert by_id["uk-public-sector-ai"]["model"] == "risks"


def test_assess_by_bundled_id():
    result = CliRunner().invoke(cli, ["assess", "-q", "ai-data-protection-rated", "--answers", ANSWERS,
                                      "--no-input", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["questionnaire"]["id"] == "ai-data-protection-rated"
    ratings = {r["id"]: r["rating"] for r in data["risks"]}
    # safeguards lack 'contest': high; no fairness test with a possible proxy: high
    assert ratings["solely-automated"] == "high" and ratings["unfair-outcomes"] == "high"
    assert ratings["no-dpia"] == "medium" and ratings["lawful-basis"] == "low"
    assert "training-data-security" in ratings and ratings["training-data-security"] == "low"
    assert data["overall"]["id"] == "high"


def test_bundled_id_at_version():
    result = CliRunner().invoke(cli, ["assess", "-q", "ai-data-protection-rated@1.0.0", "--answers", ANSWERS,
                                      "--no-input"])
    assert result.exit_code == 0, result.output
    assert "Overall: High" in result.output
