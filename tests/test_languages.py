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


# -- 2. --lang, 3. the language recorded in the answers, 4. the Welsh fixture -------------------

WELSH_ANSWERS = {"personal-data": "yes", "languages": ["english", "welsh"], "checked": "yes"}


def interview(monkeypatch, tmp_path: Path, *args: str):
    import risk_cli.output.console as console

    monkeypatch.setattr(console, "interview_terminal", lambda: "stdout")
    save = tmp_path / "saved.yaml"
    # personal-data: 1 (yes); languages: 1,2; notes: skip; checked: 1 (yes)
    result = run("assess", "-q", BILINGUAL, "--save", str(save), "--format", "json", *args,
                 input="1\n1,2\n\n1\n")
    return result, save


def test_interview_in_welsh_records_the_language(tmp_path, monkeypatch):
    result, save = interview(monkeypatch, tmp_path, "--lang", "cy")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "A yw'r system yn defnyddio data personol?" in out
    assert "Data personol: unrhyw wybodaeth am berson byw." in out
    assert "1. Ydy" in out and "2. Nac ydy" in out and "2. Cymraeg" in out
    assert "Does the system use personal data?" not in out
    saved = yaml.safe_load(save.read_text(encoding="utf-8"))
    assert saved["language"] == "cy"
    data = json.loads(out[out.index("{\n"):])
    assert data["language"] == "cy" and data["level"]["label"] == "Lefel 2"
    assert data["questionnaire"]["title"] == "Asesiad effaith"


def test_interview_defaults_to_the_first_language(tmp_path, monkeypatch):
    result, save = interview(monkeypatch, tmp_path)
    assert result.exit_code == 0, result.output
    assert "Does the system use personal data?" in result.stdout
    assert yaml.safe_load(save.read_text(encoding="utf-8"))["language"] == "en"


def test_a_language_not_offered_stops_before_any_question(tmp_path, monkeypatch):
    result, save = interview(monkeypatch, tmp_path, "--lang", "fr")
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: --lang fr: bilingual-points 0.1.0 offers en, cy; not fr"
    assert "personal data" not in result.stdout and not save.exists()


def test_answers_language_is_used_and_lang_overrides_it(tmp_path):
    path = answers(tmp_path, WELSH_ANSWERS, language="cy")
    out = tmp_path / "result.xlsx"
    result = run("assess", "-q", BILINGUAL, "--answers", path, "--no-input", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "Asesiad effaith" in result.stdout and "Effaith: 5 of 5" in result.stdout
    assert "Lefel 2" in result.stdout
    from openpyxl import load_workbook

    wb = load_workbook(out)
    res = [r for r in wb["Result"].iter_rows(values_only=True)]
    assert res[0][0].startswith("Asesiad effaith")
    assert ("Language", "cy") in [(r[0], r[1]) for r in res]
    assert ("Level", "Lefel 2") in [(r[0], r[1]) for r in res]
    rows = list(wb["Answers"].iter_rows(values_only=True))
    first = next(r for r in rows if r[1] == "personal-data")
    assert first[0] == "Effaith" and first[2] == "A yw'r system yn defnyddio data personol?" and first[4] == "Ydy"
    langs = next(r for r in rows if r[1] == "languages")
    assert langs[4] == "Saesneg; Cymraeg"
    result = run("assess", "-q", BILINGUAL, "--answers", path, "--no-input", "--format", "json", "--lang", "en")
    data = json.loads(result.stdout)
    assert data["language"] == "en" and data["level"]["label"] == "Level 2"


def test_answers_with_a_language_not_offered_is_one_line(tmp_path):
    path = answers(tmp_path, WELSH_ANSWERS, language="fr")
    result = run("assess", "-q", BILINGUAL, "--answers", path, "--no-input")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and path in lines[0] and "language" in lines[0] and "'fr'" in lines[0], result.stderr
    assert PLACE.search(lines[0])


def test_environment_default_when_offered(tmp_path):
    path = answers(tmp_path, WELSH_ANSWERS)
    result = run("assess", "-q", BILINGUAL, "--answers", path, "--no-input", "--format", "json",
                 env={"RISK_CLI_LANG": "cy"})
    assert json.loads(result.stdout)["language"] == "cy"
    result = run("assess", "-q", MINI, "--answers", answers(tmp_path, {}, qid="mini-points"), "--no-input",
                 "--format", "json", env={"RISK_CLI_LANG": "cy"})
    assert result.exit_code == 0 and json.loads(result.stdout)["language"] == "en"  # a preference only


def test_format_1_commands_are_english_only(tmp_path):
    ok = run("questionnaires", "--lang", "en")
    assert ok.exit_code == 0
    for args in (["questionnaires"], ["template", "-o", str(tmp_path / "t.xlsx")], ["assess", "--no-input"],
                 ["batch", str(tmp_path), "-o", str(tmp_path / "out")], ["import", str(tmp_path)],
                 ["portfolio", str(tmp_path)], ["atrs", "x.yaml"],
                 # report takes --lang for a format-2 input, so refuses it once it has read a format-1 one
                 ["report", str(HERE.parent.parent.parent / "sample_outputs" / "council-chatbot-answers.yaml")]):
        result = run(*args, "--lang", "cy")
        assert result.exit_code == 2, args
        assert result.stderr.strip() == "error: --lang cy: format-1 questionnaires offer en; not cy", args
    assert not (tmp_path / "t.xlsx").exists()


def test_resume_carries_on_in_the_recorded_language(tmp_path, monkeypatch):
    import risk_cli.output.console as console

    monkeypatch.setattr(console, "interview_terminal", lambda: "stdout")
    saved = tmp_path / "saved.yaml"
    saved.write_text(yaml.safe_dump({"questionnaire": {"id": "bilingual-points", "version": "0.1.0"},
                                     "language": "cy", "answers": {"personal-data": "no"}}), encoding="utf-8")
    result = run("assess", "-q", BILINGUAL, "--resume", str(saved), "--format", "json", input="1\n\n2\n")
    assert result.exit_code == 0, result.output
    assert "Ieithoedd y gwasanaeth" in result.stdout and "Nac oes" in result.stdout
    assert yaml.safe_load(saved.read_text(encoding="utf-8"))["language"] == "cy"
