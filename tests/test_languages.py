"""Text in several languages (issue 16): `languages:` in a points questionnaire, `--lang` on the
commands that show or write questionnaire text, and the language recorded in the answers."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from click.testing import CliRunner

from risk_cli.cli import cli

HERE = Path(__file__).parent / "fixtures" / "points"
BILINGUAL = str(HERE / "bilingual-points.yaml")
MINI = str(HERE / "mini-points.yaml")
PLACE = re.compile(r":\d+:\d+")


def run(*args: str, input: str | None = None, env: dict | None = None):
    return CliRunner().invoke(cli, list(args), input=input, env=env)


def variant(tmp_path: Path, old: str, new: str, name: str = "q.yaml") -> str:
    text = Path(BILINGUAL).read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return str(path)


# -- 1. languages: in the questionnaire -------------------------------------------------------

def test_validate_accepts_the_bilingual_fixture():
    result = run("validate", BILINGUAL)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_validate_reports_a_text_in_an_undeclared_language(tmp_path):
    path = variant(tmp_path, "cy: Nodiadau}", "cy: Nodiadau, fr: Remarques}")
    result = run("validate", path)
    assert result.exit_code == 2
    lines = [l for l in result.stderr.splitlines() if "'fr' is not one of" in l]
    assert len(lines) == 1 and PLACE.search(lines[0]) and "text.fr" in lines[0], result.stderr
    assert "(en, cy)" in lines[0]


def test_validate_warns_of_a_declared_language_missing_from_a_translated_text(tmp_path):
    path = variant(tmp_path, "languages: [en, cy]", "languages: [en, cy, fr]")
    result = run("validate", path)
    assert result.exit_code == 0, result.output  # partial translation: warnings, each naming its text
    warnings = [l for l in result.stderr.splitlines() if "no fr text" in l]
    assert warnings and all(l.startswith("warning: ") and PLACE.search(l) for l in warnings)
    assert any("title" in l for l in warnings)


def test_validate_reports_bad_language_codes_and_a_missing_en(tmp_path):
    result = run("validate", variant(tmp_path, "languages: [en, cy]", "languages: [en, Welsh, cy, cy]"))
    assert result.exit_code == 2
    assert re.search(r":\d+:\d+: languages\[1\]: 'Welsh' is not a two-letter language code", result.stderr), result.stderr
    assert re.search(r"languages\[3\]: 'cy' is given twice", result.stderr)
    result = run("validate", variant(tmp_path, "languages: [en, cy]", "languages: [cy]", "q2.yaml"))
    assert result.exit_code == 2
    assert "'languages' must include en" in result.stderr


def test_languages_default_to_those_the_texts_use(tmp_path):
    path = variant(tmp_path, "languages: [en, cy]\n", "")
    assert run("validate", path).exit_code == 0


def test_convert_writes_languages_from_the_survey_locales(tmp_path):
    out = tmp_path / "converted.yaml"
    result = run("convert", str(HERE / "small-survey.json"), "-o", str(out))
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["languages"] == ["en", "fr"]
    assert run("validate", str(out)).exit_code == 0


def test_convert_of_an_english_survey_declares_english_only(tmp_path):
    survey = {"title": "English only", "pages": [{"name": "impact-RS", "elements": [
        {"type": "radiogroup", "name": "q1-RS", "title": "Is it used?",
         "choices": [{"value": "item1-3", "text": "Yes"}, {"value": "item2-0", "text": "No"}]}]}]}
    src = tmp_path / "survey.json"
    src.write_text(json.dumps(survey), encoding="utf-8")
    out = tmp_path / "english.yaml"
    result = run("convert", str(src), "-o", str(out))
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["languages"] == ["en"]
    assert all(isinstance(t["label"], str) for t in data["totals"])


def test_questionnaires_lists_languages():
    result = run("questionnaires")
    assert result.exit_code == 0
    assert "Languages" in result.stdout.splitlines()[0]
    data = json.loads(run("questionnaires", "--format", "json").stdout)
    assert all(row["languages"] == ["en"] for row in data)


def answers(tmp_path: Path, values: dict, language: str | None = None, qid: str = "bilingual-points") -> str:
    data: dict = {"questionnaire": {"id": qid, "version": "0.1.0"}, "answers": values}
    if language is not None:
        data["language"] = language
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return str(path)
