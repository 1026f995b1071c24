"""The rated model (format 2, `model: rated`): `risk-cli validate` reads it and explains its
errors with file, line and column, one line each."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from risk_cli.cli import cli

FIXTURE = Path(__file__).parent / "fixtures" / "rated" / "mini-rated.yaml"


def _validate(path: Path):
    return CliRunner().invoke(cli, ["validate", str(path)])


def test_rated_fixture_is_valid():
    result = _validate(FIXTURE)
    assert result.exit_code == 0, result.output
    assert "valid" in result.output


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = FIXTURE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "broken.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _one_error(tmp_path, old, new, expected, line):
    result = _validate(_broken(tmp_path, old, new))
    assert result.exit_code != 0
    errors = [l for l in result.output.splitlines() if l.startswith("error:")]
    assert len(errors) == 1, result.output
    assert f"broken.yaml:{line}:" in errors[0], errors[0]
    assert expected in errors[0], errors[0]
    assert "Traceback" not in result.output


def test_unknown_question_in_a_risk_condition(tmp_path):
    _one_error(tmp_path, "{when: {question: dpia, equals: started}", "{when: {question: dpai, equals: started}",
               "'dpai', which is not a question of this questionnaire", 34)


def test_unknown_rating(tmp_path):
    _one_error(tmp_path, "equals: started}, rating: medium}", "equals: started}, rating: severe}",
               "unknown rating 'severe'", 34)


def test_last_rule_must_always_hold(tmp_path):
    _one_error(tmp_path, "      - {rating: low}\n", "",
               "the last rating rule must have no 'when'", 33)


def test_bad_step_priority(tmp_path):
    _one_error(tmp_path, "{priority: should,", "{priority: may,", "unknown priority 'may'", 38)


def test_unknown_question_in_raised_when(tmp_path):
    _one_error(tmp_path, "raised_when: {question: special,", "raised_when: {question: specail,",
               "'specail', which is not a question of this questionnaire", 41)


def test_unknown_model_is_named(tmp_path):
    result = _validate(_broken(tmp_path, "model: rated", "model: rates"))
    assert result.exit_code != 0
    assert "unknown model 'rates'" in result.output
