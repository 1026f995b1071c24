"""The questionnaire validator: each kind of problem, reported with its file, line and path."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from risk_cli import safe_yaml
from risk_cli.catalogue import loader
from tests.conftest import MINI, write_yaml

BASE = safe_yaml.load(MINI).data


def errors_for(tmp_path: Path, mutate) -> list[str]:
    data = copy.deepcopy(BASE)
    mutate(data)
    path = write_yaml(tmp_path / "q.yaml", data)
    errors, _ = loader.validate(path)
    return [str(e).split(": ", 1)[1] for e in errors]  # drop "file:line:col"


def test_mini_is_valid():
    qn = loader.load(MINI)
    assert (qn.id, qn.version, len(qn.questions), len(qn.risks)) == ("mini", "0.1.0", 12, 3)
    assert qn.by_id["data.dpia"].choice_ids == ("yes", "no", "dont_know")


def test_bad_yaml_reports_its_line(tmp_path):
    path = tmp_path / "q.yaml"
    path.write_text("id: x\nsections:\n  - id: a\n   title: b\n")
    errors, _ = loader.validate(path)
    assert len(errors) == 1
    assert str(errors[0]).startswith(f"{path}:4:") and "YAML syntax error" in str(errors[0])


def test_unknown_key_names_its_path_and_line(tmp_path):
    def mutate(d):
        d["sections"][1]["questions"][2]["choices"][1]["lable"] = "typo"
    data = copy.deepcopy(BASE)
    mutate(data)
    path = write_yaml(tmp_path / "q.yaml", data)
    errors, _ = loader.validate(path)
    assert len(errors) == 1
    text = str(errors[0])
    assert "sections[1].questions[2].choices[1].lable: unknown key 'lable' (allowed: id, label, help, exclusive)" in text
    assert text.startswith(f"{path}:")


@pytest.mark.parametrize("mutate, expected", [
    (lambda d: d["sections"][1]["questions"].append(dict(d["sections"][1]["questions"][0])),
     "sections[1].questions[5].id: duplicate question id 'data.personal' (first at sections[1].questions[0].id)"),
    (lambda d: d["risks"].append(dict(d["risks"][0])),
     "risks[3].id: duplicate risk id 'AI-DAT-001' (first at risks[0].id)"),
    (lambda d: d["sections"][1]["questions"][2]["choices"].append({"id": "health", "label": "Again"}),
     "sections[1].questions[2].choices[3].id: duplicate choice id 'health' (first at sections[1].questions[2].choices[0].id)"),
    (lambda d: d["risks"][0]["likelihood"]["add"][0]["when"].update(question="data.nothing"),
     "risks[0].likelihood.add[0].when: condition names unknown question 'data.nothing'"),
    (lambda d: d["risks"][0]["likelihood"]["add"][0]["when"].update(equals="perhaps"),
     "risks[0].likelihood.add[0].when: condition names unknown choice 'perhaps' of question 'data.dpia' (choices: yes, no, dont_know)"),
    (lambda d: d["sections"][1]["questions"][0].update(when={"question": "delivery.skills", "equals": "yes"}),
     "sections[1].questions[0].when: condition names question 'delivery.skills', which is asked later; a condition may only name an earlier question"),
    (lambda d: d["risks"][0]["likelihood"].update(base=7),
     "risks[0].likelihood.base: 'base' is 7; it must be from 1 to 5"),
    (lambda d: d["risks"][0]["controls"][0].update(by=3),
     "risks[0].controls[0].by: 'by' is 3; it must be from 1 to 2"),
    (lambda d: d["risks"][0]["impact"]["at_least"][0].update(value=0),
     "risks[0].impact.at_least[0].value: 'value' is 0; it must be from 1 to 5"),
    (lambda d: d["risks"][1].update(when={"all": [{"question": "profile.role", "equals": "decides"},
                                                  {"question": "profile.role", "equals": "supports"}]}),
     "risks[1].when: risk AI-OPS-001 can never be raised: no answers satisfy its condition"),
    (lambda d: d["scoring"]["ratings"][1].update(max=5),
     "scoring.ratings: score 6 is in 0 rating bands; it must be in exactly one"),
    (lambda d: d["sections"][0].update(id="start"),
     "sections[0].id: the first section must be the profile (id: profile)"),
    (lambda d: d["risks"][2].update(description="Skills are short."),
     "risks[2].description: write the description as cause, event, effect: 'Because ..., there is a risk that ..., resulting in ...'"),
    (lambda d: d["risks"][2]["actions"][0].update(source="nowhere"),
     "risks[2].actions[0].source: unknown source 'nowhere' (not in sources)"),
    (lambda d: d["sections"][1]["questions"][0].update(type="slider"),
     "sections[1].questions[0].type: unknown question type 'slider' (types: choice, multi, yesno, text, number, date)"),
    (lambda d: d["risks"][0].update(category="magic"),
     "risks[0].category: unknown category 'magic' (categories: legal, operations, project)"),
    (lambda d: d["sections"][1]["questions"][2].update(when={"question": "data.personal", "includes": "yes"}),
     "sections[1].questions[2].when: 'includes' does not apply to yesno question 'data.personal' (use equals, in, answered)"),
    (lambda d: d["risks"][0].update(when={"question": "data.personal", "equals": "dont_know"}),
     "risks[0].when: a condition cannot test for 'dont_know': unknown answers are handled by the three-valued rules"),
    (lambda d: d.update(format=2), "format: format 2 is not supported; this tool reads format 1"),
    (lambda d: d["scoring"]["tiers"]["rules"][0].update(residual_at_least="awful"),
     "scoring.tiers.rules[0].residual_at_least: unknown rating 'awful' (ratings: low, moderate, high, extreme)"),
])
def test_each_kind_of_problem(tmp_path, mutate, expected):
    assert expected in errors_for(tmp_path, mutate)


def test_every_problem_is_reported_at_once(tmp_path):
    def mutate(d):
        d["risks"][0]["likelihood"]["base"] = 9
        d["risks"][1]["category"] = "magic"
        d["sections"][1]["questions"][0]["colour"] = "red"
    assert len(errors_for(tmp_path, mutate)) == 3


def test_wrong_top_level_type(tmp_path):
    path = tmp_path / "q.yaml"
    path.write_text("- just\n- a list\n")
    errors, _ = loader.validate(path)
    assert "expected a mapping" in str(errors[0])


def test_content_hash_ignores_layout_but_not_content(tmp_path):
    a = loader.load(MINI)
    reflowed = write_yaml(tmp_path / "r.yaml", BASE)
    assert loader.load(reflowed).sha256 == a.sha256
    changed = copy.deepcopy(BASE)
    changed["risks"][0]["likelihood"]["base"] = 3
    assert loader.load(write_yaml(tmp_path / "c.yaml", changed)).sha256 != a.sha256


def test_validate_command_reports_and_exits_2(tmp_path, run):
    data = copy.deepcopy(BASE)
    data["risks"][0]["likelihood"]["base"] = 9
    path = write_yaml(tmp_path / "q.yaml", data)
    result = run("validate", path)
    assert result.exit_code == 2
    assert "risks[0].likelihood.base: 'base' is 9; it must be from 1 to 5" in result.stderr
    assert "Traceback" not in result.output
    ok = run("validate", MINI)
    assert ok.exit_code == 0 and "valid" in ok.stdout
