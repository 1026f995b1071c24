"""The optional questionnaire keys for calibrated verdicts: named conditions, risk_order, wordings
that depend on the answers, recommended checks, escalation wording, base reasons, tier-rule
categories, tier explanations and the organisation's own risk appetite. Each is driven through
the real CLI on a small questionnaire built from tests/fixtures/mini.yaml."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Callable

import pytest
from openpyxl import load_workbook

from risk_cli import safe_yaml
from risk_cli.catalogue import loader
from tests.conftest import MINI, mini_answers, write_yaml

BASE = safe_yaml.load(MINI).data


def extended() -> dict[str, Any]:
    """mini.yaml with every new key in use."""
    data = copy.deepcopy(BASE)
    data["conditions"] = {"automated": {"question": "profile.role", "equals": "decides"},
                          "council": {"question": "profile.org_type", "equals": "council"}}
    profile = data["sections"][0]["questions"]
    profile.insert(2, {"id": "profile.org_type", "type": "choice", "text": "Kind of body?", "help": "Body.",
                       "sources": ["src"], "choices": [{"id": "central", "label": "Central government"},
                                                       {"id": "council", "label": "Local authority"}]})
    role = next(q for q in profile if q["id"] == "profile.role")
    role["risk_order"] = ["supports", "decides"]
    data_qs = data["sections"][1]["questions"]
    data_qs[0]["risk_order"] = ["no", "yes"]  # data.personal
    data_qs[1]["risk_order"] = ["yes", "no"]  # data.dpia
    data["sections"][2]["questions"][0]["risk_order"] = ["yes", "no"]  # delivery.skills
    tiers = data["scoring"]["tiers"]
    tiers["levels"][2]["approver"] = [{"when": {"condition": "council"}, "text": "Chief executive"},
                                      {"text": "Permanent secretary"}]
    tiers["rules"][0]["when"] = {"condition": "automated"}
    tiers["rules"][2]["categories"] = ["legal"]
    data["scoring"]["escalation"] = {
        "top_rating": [{"when": {"condition": "council"}, "text": "Chief executive"}, {"text": "Department"}],
        "above_appetite": "Directorate", "within_appetite": "Project"}
    check = data["checks"][0]
    check["mandatory_when"] = {"question": "profile.org_type", "equals": "central"}
    check["basis"] = [{"when": {"condition": "council"}, "text": "UK GDPR article 35 (a council's duty)"},
                      {"text": "UK GDPR article 35"}]
    data["risks"][0]["likelihood"]["base_because"] = "Personal data is easy to misuse in a new tool"
    return data


def write(tmp_path: Path, data: dict[str, Any], name: str = "ext.yaml") -> Path:
    return write_yaml(tmp_path / name, data)


def answers_file(tmp_path: Path, qn_path: Path, name: str = "a.yaml", extra: dict | None = None, **overrides: Any) -> Path:
    doc = mini_answers(**{"profile__org_type": "central", **overrides})
    doc["questionnaire"] = {"id": "mini", "version": "0.1.0"}
    doc.update(extra or {})
    return write_yaml(tmp_path / name, doc)


def assess_json(run: Callable, qn: Path, answers: Path, *more: str) -> dict[str, Any]:
    result = run("assess", "-q", qn, "--answers", answers, "--no-input", "--format", "json", *more)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def problems(tmp_path: Path, mutate: Callable[[dict], None]) -> list[str]:
    data = extended()
    mutate(data)
    errors, _ = loader.validate(write(tmp_path, data))
    return [str(e).split(": ", 1)[1] for e in errors]


def test_the_extended_questionnaire_is_valid(tmp_path):
    errors, _ = loader.validate(write(tmp_path, extended()))
    assert errors == []


# -- risk_order ------------------------------------------------------------------------------

def test_a_control_that_counts_for_the_riskier_answer_is_refused(tmp_path):
    def mutate(d):
        d["risks"][2]["controls"][0]["when"] = {"question": "delivery.skills", "equals": "no"}
    found = problems(tmp_path, mutate)
    assert any(p.startswith("risks[2].controls[0].when: treats delivery.skills = yes as worse than no")
               and "AI-DEL-001's residual score" in p for p in found), found


def test_a_rule_that_raises_a_score_for_the_safer_answer_is_refused(tmp_path):
    def mutate(d):
        d["risks"][0]["likelihood"]["add"][0]["when"] = {"not": {"question": "data.dpia", "equals": "no"}}
    found = problems(tmp_path, mutate)
    assert any(p.startswith("risks[0].likelihood.add[0].when: treats data.dpia = yes as worse than no") for p in found), found


def test_a_tier_rule_through_a_named_condition_is_checked_too(tmp_path):
    def mutate(d):
        d["conditions"]["automated"] = {"question": "profile.role", "equals": "supports"}
    found = problems(tmp_path, mutate)
    assert any("scoring.tiers.rules[0].when: treats profile.role = supports as worse than decides" in p
               and "the tier" in p for p in found), found


@pytest.mark.parametrize("order, expected", [
    (["yes"], "'risk_order' lists every choice once"),
    (["no", "yes", "dont_know"], "'risk_order' lists every choice once"),
    (["no", "no"], "'risk_order' lists every choice once"),
])
def test_risk_order_must_list_the_choices(tmp_path, order, expected):
    found = problems(tmp_path, lambda d: d["sections"][1]["questions"][0].__setitem__("risk_order", order))
    assert any(expected in p for p in found), found


def test_risk_order_is_only_for_choices(tmp_path):
    found = problems(tmp_path, lambda d: d["sections"][0]["questions"][0].__setitem__("risk_order", ["a", "b"]))
    assert any("'risk_order' applies to choice and yesno questions" in p for p in found), found


# -- named conditions ------------------------------------------------------------------------

def test_an_unknown_named_condition_is_reported_where_it_is_used(tmp_path):
    found = problems(tmp_path, lambda d: d["risks"][1].__setitem__("when", {"condition": "nope"}))
    assert any(p.startswith("risks[1].when.condition: unknown named condition 'nope'") for p in found), found


def test_a_named_condition_may_use_only_names_defined_above_it(tmp_path):
    def mutate(d):
        d["conditions"] = {"first": {"condition": "second"}, "second": {"question": "profile.role", "equals": "decides"}}
    found = problems(tmp_path, mutate)
    assert any(p.startswith("conditions.first.condition: unknown named condition 'second'") for p in found), found


def test_a_named_condition_on_an_unknown_question_is_reported_once_at_its_definition(tmp_path):
    found = problems(tmp_path, lambda d: d["conditions"].__setitem__("automated", {"question": "nope.q", "equals": "x"}))
    unknown = [p for p in found if "unknown question 'nope.q'" in p]
    assert unknown == ["conditions.automated: condition names unknown question 'nope.q'"], found


def test_a_question_may_not_depend_through_a_name_on_a_later_question(tmp_path):
    def mutate(d):
        d["conditions"]["skills_gap"] = {"question": "delivery.skills", "equals": "no"}
        d["sections"][1]["questions"][4]["when"] = {"condition": "skills_gap"}
    found = problems(tmp_path, mutate)
    assert any("named condition on question 'delivery.skills', which is not asked before" in p for p in found), found


# -- wordings, recommended checks, escalation ------------------------------------------------

def test_wording_needs_a_default_last(tmp_path):
    def mutate(d):
        d["scoring"]["tiers"]["levels"][2]["approver"] = [{"when": {"condition": "council"}, "text": "CEO"}]
    assert any("the last wording is the default: it has no 'when'" in p for p in problems(tmp_path, mutate))

    def mutate2(d):
        d["scoring"]["tiers"]["levels"][2]["approver"] = [{"text": "CEO"}, {"text": "PS"}]
    assert any("every wording but the last needs a 'when'" in p for p in problems(tmp_path, mutate2))


@pytest.mark.parametrize("org, approver, status, priority, escalate", [
    ("central", "Permanent secretary", "Outstanding", "must", "Department"),
    ("council", "Chief executive", "Recommended, not done", "should", "Chief executive"),
])
def test_the_kind_of_body_sets_the_approver_the_check_and_the_escalation(tmp_path, run, org, approver, status,
                                                                         priority, escalate):
    qn = write(tmp_path, extended())
    # decides -> tier 3; no DPIA -> the check is outstanding; health data at scale -> an extreme legal risk
    answers = answers_file(tmp_path, qn, profile__org_type=org, profile__role="decides", data__dpia="no",
                           data__kinds=["health"], data__volume=200000)
    out = assess_json(run, qn, answers, "-o", tmp_path / "r.xlsx")
    assert out["tier"]["level"] == 3 and out["tier"]["approver"] == approver
    check = out["checks"][0]
    assert check["done"] is False and check["mandatory"] is (status == "Outstanding")
    assert next(a for a in out["actions"] if a["id"] == "CHECK-dpia")["priority"] == priority
    wb = load_workbook(tmp_path / "r.xlsx")
    summary = [[c.value for c in row] for row in wb["Summary"].iter_rows()]
    assert any(row[:2] == ["Who approves", approver] for row in summary)
    assert any(row[0] == "DPIA" and row[1] == status for row in summary)
    register = wb["Risk register"]
    header = [c.value for c in register[1]]
    dat = next(row for row in register.iter_rows(min_row=2, values_only=True) if row[0] == "AI-DAT-001")
    assert dat[header.index("Escalation level")] == escalate


# -- reasons, categories, explanations -------------------------------------------------------

def test_the_base_reason_comes_first_among_a_score_s_reasons(tmp_path, run):
    qn = write(tmp_path, extended())
    out = assess_json(run, qn, answers_file(tmp_path, qn, data__dpia="no"))
    dat = next(r for r in out["risks"] if r["id"] == "AI-DAT-001")
    assert dat["because"][:2] == ["Likelihood: starts at 2: Personal data is easy to misuse in a new tool",
                                  "Likelihood: No DPIA"]


def test_a_tier_rule_with_categories_counts_only_their_risks(tmp_path, run):
    data = extended()
    data["scoring"]["categories"][2]["appetite"] = "averse"  # project: AI-DEL-001 (2x2) now breaches
    qn = write(tmp_path, data)
    out = assess_json(run, qn, answers_file(tmp_path, qn, delivery__skills="no", data__personal="no",
                                            data__dpia=None, data__kinds=None))
    breaching = [r["id"] for r in out["risks"] if r["appetite"]["breach"]]
    assert breaching == ["AI-DEL-001"]
    assert out["tier"]["level"] == 1  # the breach rule counts legal risks only


def test_a_breach_reason_says_which_controls_would_bring_it_within_appetite(tmp_path, run):
    qn = write(tmp_path, extended())
    out = assess_json(run, qn, answers_file(tmp_path, qn, data__dpia="no", data__kinds=["finance"]))
    assert out["tier"]["level"] == 2
    [reason] = out["tier"]["explained"]
    assert reason["because"] == "A residual risk is above appetite" and reason["risks"] == ["AI-DAT-001"]
    assert reason["would_move_down"].startswith("bring it within appetite: AI-DAT-001 (residual 12, averse appetite up to 3)")
    assert "no control the questionnaire knows would bring it within appetite" in reason["would_move_down"]


def test_a_reason_set_by_the_use_case_itself_says_so(tmp_path, run):
    qn = write(tmp_path, extended())
    out = assess_json(run, qn, answers_file(tmp_path, qn, profile__role="decides", data__personal="no",
                                            data__dpia=None, data__kinds=None))
    [reason] = out["tier"]["explained"]
    assert reason["would_move_down"] == ("it follows from what the use case is (profile.role: Decides), "
                                         "so only a change to that moves it")
    assert out["tier"]["without_these_reasons"] == 1


def test_the_register_shows_what_would_move_the_tier_down(tmp_path, run):
    qn = write(tmp_path, extended())
    answers = answers_file(tmp_path, qn, data__dpia="no")
    assert run("assess", "-q", qn, "--answers", answers, "--no-input", "-o", tmp_path / "r.xlsx").exit_code == 0
    rows = [[c.value for c in row] for row in load_workbook(tmp_path / "r.xlsx")["Summary"].iter_rows()]
    moved = next(row for row in rows if row[0] == "What would move it down")
    assert moved[1].startswith("Bring it within appetite: AI-DAT-001")


# -- the organisation's own appetite -----------------------------------------------------------

def test_an_answers_file_can_carry_its_organisation_s_appetite(tmp_path, run):
    qn = write(tmp_path, extended())
    extra = {"appetite": {"legal": "open"}, "appetite_source": "Our appetite statement, 2026"}
    out = assess_json(run, qn, answers_file(tmp_path, qn, extra=extra, data__dpia="no"), "-o", tmp_path / "r.xlsx")
    dat = next(r for r in out["risks"] if r["id"] == "AI-DAT-001")
    assert dat["appetite"] == {"level": "open", "max_score": 12, "breach": False}
    assert out["appetite"]["source"] == "Our appetite statement, 2026"
    assert out["appetite"]["by_category"]["legal"] == "open"
    wb = load_workbook(tmp_path / "r.xlsx")
    rows = [[c.value for c in row] for row in wb["Summary"].iter_rows()]
    assert ["Risk appetite", "Our appetite statement, 2026 (see About)"] == [v for v in
            next(row for row in rows if row[0] == "Risk appetite") if v is not None]


def test_an_appetite_naming_an_unknown_category_is_a_problem_at_its_place(tmp_path, run):
    qn = write(tmp_path, extended())
    answers = answers_file(tmp_path, qn, extra={"appetite": {"legall": "open"}})
    result = run("assess", "-q", qn, "--answers", answers, "--no-input")
    assert result.exit_code == 2
    assert "appetite.legall: 'legall' is not a risk category of mini 0.1.0" in result.stderr


def appetite_file(tmp_path: Path, levels: dict, source: str | None = "Board appetite 2026") -> Path:
    data: dict[str, Any] = {"appetite": levels}
    if source:
        data["source"] = source
    return write_yaml(tmp_path / "appetite.yaml", data)


def test_the_appetite_option_replaces_the_questionnaire_s_and_stays_with_the_answers(tmp_path, run):
    qn = write(tmp_path, extended())
    answers = answers_file(tmp_path, qn, data__dpia="no")
    out = assess_json(run, qn, answers, "--appetite", appetite_file(tmp_path, {"legal": "open"}), "-o", tmp_path / "r.xlsx")
    assert not any(r["appetite"]["breach"] for r in out["risks"])
    assert out["tier"]["level"] == 1 and out["appetite"]["source"] == "Board appetite 2026"
    # the register keeps the appetite with its answers, so re-reading it scores the same
    again = assess_json(run, qn, tmp_path / "r.xlsx")
    assert again["appetite"] == out["appetite"] and again["tier"] == out["tier"]


def test_batch_import_and_portfolio_take_the_appetite_too(tmp_path, run):
    qn = write(tmp_path, extended())
    answers = answers_file(tmp_path, qn, data__dpia="no")
    appetite = appetite_file(tmp_path, {"legal": "open"}, source=None)
    result = run("batch", answers, "-o", tmp_path / "b", "-q", qn, "--appetite", appetite, "--format", "json", "--jobs", "1")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[0])["appetite_breaches"] == 0
    result = run("import", answers, "-o", tmp_path / "i", "-q", qn, "--appetite", appetite)
    assert result.exit_code == 0, result.stderr
    saved = safe_yaml.load(tmp_path / "i" / "a-answers.yaml").data
    assert saved["appetite"] == {"legal": "open"} and saved["appetite_source"] == "the risk appetite in appetite.yaml"
    result = run("portfolio", answers, "-q", qn, "--appetite", appetite, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["use_cases"][0]["appetite_breaches"] == 0


@pytest.mark.parametrize("content, message", [
    ("appetite: legal\n", "'appetite' maps risk categories to appetite levels"),
    ("appetite: {}\n", "names no category"),
    ("apetite: {legal: open}\n", "an appetite file is a mapping with 'appetite'"),
    ("appetite: {legal: open}\nowner: me\n", "unknown key 'owner' (allowed: appetite, source)"),
])
def test_a_bad_appetite_file_is_one_line_and_exit_2(tmp_path, run, content, message):
    qn = write(tmp_path, extended())
    (tmp_path / "appetite.yaml").write_text(content, encoding="utf-8")
    result = run("assess", "-q", qn, "--answers", answers_file(tmp_path, qn), "--no-input",
                 "--appetite", tmp_path / "appetite.yaml", "-o", tmp_path / "r.xlsx")
    assert result.exit_code == 2 and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "r.xlsx").exists()


def test_an_appetite_level_the_questionnaire_lacks_is_refused(tmp_path, run):
    qn = write(tmp_path, extended())
    result = run("assess", "-q", qn, "--answers", answers_file(tmp_path, qn), "--no-input",
                 "--appetite", appetite_file(tmp_path, {"legal": "reckless"}))
    assert result.exit_code == 2
    assert "appetite.legal: 'reckless' is not an appetite level (levels: averse, cautious, open)" in result.stderr


# -- warnings for a questionnaire's author ----------------------------------------------------

def test_validate_warns_of_risks_raised_whatever_the_answers_and_scores_without_reasons(tmp_path):
    _, warnings = loader.validate(write(tmp_path, extended()))
    text = [str(w).split(": ", 1)[1] for w in warnings]
    assert any(t.startswith("risks[1]: AI-OPS-001 has no 'when', so it is raised for every use case") for t in text), text
    assert any("AI-DAT-001 has no 'base_because' for its impact" in t for t in text), text
    assert any("AI-OPS-001 has no 'base_because' for its likelihood or impact" in t for t in text), text


def test_validate_warns_when_no_control_can_bring_a_risk_within_appetite(tmp_path):
    _, warnings = loader.validate(write(tmp_path, extended()))
    text = [str(w).split(": ", 1)[1] for w in warnings]
    assert any(t.startswith("risks[0].controls: AI-DAT-001 can never be within its legal appetite (Averse, up to 3): "
                            "at worst its residual score is 5") for t in text), text
    data = extended()
    data["risks"][0]["controls"].append({"when": {"question": "data.dpia", "equals": "yes"},
                                         "text": "Redress route", "reduces": "impact", "by": 2})
    data["risks"][0]["controls"][0]["by"] = 2
    _, warnings = loader.validate(write(tmp_path, data, "fixed.yaml"))
    assert not any("AI-DAT-001 can never be within" in str(w) for w in warnings)
