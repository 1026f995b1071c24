"""Questionnaire uk-public-sector-ai 1.1.0 (issue 10): what it must do, through the real CLI.

- 1.0.0 stays bundled and unchanged, and answers that name it are scored against it exactly;
- the Article 22B trigger: special category data in significant decisions with no meaningful
  human involvement, whether no person decides or the person's review is token;
- the ATRS record: mandatory for central government departments and public-facing arm's-length
  bodies, recommended for every other kind of body, for tools that affect the public;
- who approves each tier, and the escalation wording, for each kind of organisation;
- the decision role, which has no risk_order (answering the public or deciding replaces the
  risks of staff scrutiny rather than worsening them): a tool that recommends is never scored
  below the same tool that supports staff.

Cases are the calibration answers files (tests/calibration/cases/), changed one answer at a time.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from risk_cli.catalogue import bundled
from risk_cli.catalogue.versions import Versions
from risk_cli.model import answers as answers_mod
from risk_cli.model.answers import Answer
from risk_cli.model.scoring import assess
from tests.conftest import FIXTURES, ROOT, write_yaml
from tests.strategies import answers_for
from tests.test_monotonic import problems

CASES = ROOT / "tests" / "calibration" / "cases"
OLD = ROOT / "questionnaires" / "uk-public-sector-ai-1.0.0.yaml"
NEW = ROOT / "questionnaires" / "uk-public-sector-ai-1.1.0.yaml"
ORG_TYPES = ["central_department", "alb", "local_authority", "nhs", "police", "devolved", "other"]


def case(name: str, **changes) -> dict:
    """A calibration case's answers with some changed (`legal__dpia="done"`); None removes one."""
    doc = yaml.safe_load((CASES / name).read_text(encoding="utf-8"))
    for key, value in changes.items():
        qid = key.replace("__", ".")
        part = "profile" if qid.startswith("profile.") else "answers"
        if value is None:
            doc[part].pop(qid, None)
        else:
            doc[part][qid] = value
    return doc


def scored(run, tmp_path, doc: dict, name: str = "answers.yaml") -> dict:
    result = run("assess", "--answers", write_yaml(tmp_path / name, doc), "--no-input", "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def check(result: dict, cid: str) -> dict | None:
    return next((c for c in result["checks"] if c["id"] == cid), None)


def risk(result: dict, rid: str) -> dict | None:
    return next((r for r in result["risks"] if r["id"] == rid), None)


def org(org_type: str) -> dict:
    """The answers that say what kind of body it is (an arm's-length body that serves the public)."""
    out = {"profile__org_type": org_type}
    if org_type == "alb":
        out["profile__alb_public"] = "yes"
    return out


# -- both versions --------------------------------------------------------------------------

def test_both_versions_are_bundled_and_1_0_0_is_unchanged(run):
    assert hashlib.sha256(OLD.read_bytes()).hexdigest() == "1d6139c236aa824c538860c67dc8104e26eec65c11dbe07a11b63e11675c3aad"
    versions = [(e.id, e.version) for e in bundled.catalogue()]
    assert ("uk-public-sector-ai", "1.0.0") in versions and ("uk-public-sector-ai", "1.1.0") in versions
    assert bundled.by_id("uk-public-sector-ai").version == "1.1.0"
    listed = run("questionnaires")
    assert listed.exit_code == 0 and "1.0.0" in listed.stdout and "1.1.0" in listed.stdout


def test_answers_naming_1_0_0_are_scored_against_1_0_0_and_an_interview_asks_1_1_0(run):
    answers_file = FIXTURES / "uk-1.0.0-council-chatbot-answers.yaml"
    result = run("assess", "--answers", answers_file, "--no-input", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["questionnaire"] == {"id": "uk-public-sector-ai", "version": "1.0.0",
                                     "sha256": bundled.by_id("uk-public-sector-ai", "1.0.0").sha256}
    assert data["tier"]["level"] == 4 and data["tier"]["approver"] == (
        "Accounting officer or permanent secretary, or the departmental board, after external review")
    assert "profile.org_type" not in json.dumps(data)  # 1.0.0 does not ask it
    last = answers_mod.load(answers_file)
    assert Versions().for_input(last).version == "1.0.0"
    assert Versions().for_new_interview(last).version == "1.1.0"  # a re-assessment offers them as defaults


# -- Article 22B ------------------------------------------------------------------------------

def test_article_22b_check_and_risk_follow_the_condition(run, tmp_path):
    """Case 22: refusals taken by a model on health data, no Article 22B condition."""
    none = scored(run, tmp_path, case("22-blue-badge-automated-refusal.yaml"), "none.yaml")
    assert check(none, "art22b") == {"id": "art22b", "title": check(none, "art22b")["title"], "done": False, "mandatory": True}
    leg5 = risk(none, "AI-LEG-005")
    assert leg5["residual"]["rating"] == "extreme" and leg5["appetite"]["breach"]
    assert any(a["id"].startswith("AI-LEG-005") and a["priority"] == "must" and a["text"].startswith("Stop taking these decisions")
               for a in none["actions"])
    assert any(a["id"] == "CHECK-art22b" and a["priority"] == "must" for a in none["actions"])
    lawful = scored(run, tmp_path, case("22-blue-badge-automated-refusal.yaml", legal__adm_special_basis="law_and_spi"), "law.yaml")
    assert check(lawful, "art22b")["done"] is True
    assert risk(lawful, "AI-LEG-005")["residual"]["score"] < leg5["residual"]["score"]
    assert not any(a["id"] == "CHECK-art22b" for a in lawful["actions"])
    # the 22C safeguards do not make up for a missing 22B condition
    safeguarded = scored(run, tmp_path, case("22-blue-badge-automated-refusal.yaml", legal__adm_safeguards=[
        "inform", "representations", "human_intervention", "contest"]), "22c.yaml")
    assert check(safeguarded, "automated_decisions")["done"] is True
    assert check(safeguarded, "art22b")["done"] is False
    assert risk(safeguarded, "AI-LEG-005")["appetite"]["breach"]


def test_article_22b_applies_where_human_review_is_token_and_not_where_it_is_meaningful(run, tmp_path):
    """Case 14: an assessor approves each claim in 90 seconds and changes 0.4%: in law the
    decisions are solely automated (UK GDPR Art. 22A), so Articles 22B and 22C apply."""
    token = scored(run, tmp_path, case("14-council-tax-reduction-rubber-stamp.yaml"), "token.yaml")
    assert check(token, "art22b")["mandatory"] is True and check(token, "art22b")["done"] is False
    assert check(token, "automated_decisions")["done"] is False  # people are not told
    assert risk(token, "AI-LEG-005") is not None and risk(token, "AI-HUM-003") is not None
    assert token["tier"]["level"] == 4
    meaningful = scored(run, tmp_path, case("14-council-tax-reduction-rubber-stamp.yaml", legal__human_involvement="meaningful"),
                        "meaningful.yaml")
    assert check(meaningful, "art22b") is None and check(meaningful, "automated_decisions") is None
    assert risk(meaningful, "AI-LEG-005") is None and risk(meaningful, "AI-LEG-003") is None
    no_special = scored(run, tmp_path, case("14-council-tax-reduction-rubber-stamp.yaml", legal__special_category="no",
                                            legal__adm_special_basis=None), "no-special.yaml")
    assert check(no_special, "art22b") is None and check(no_special, "automated_decisions") is not None
    assert risk(no_special, "AI-LEG-005") is None


def test_law_enforcement_decisions_use_the_dpa_2018_part_3_check(run, tmp_path):
    policing = scored(run, tmp_path, case("22-blue-badge-automated-refusal.yaml", legal__law_enforcement="yes"), "le.yaml")
    assert check(policing, "automated_decisions_le")["mandatory"] is True
    assert check(policing, "art22b") is None and check(policing, "automated_decisions") is None


# -- ATRS scope -------------------------------------------------------------------------------

@pytest.mark.parametrize("org_type", ORG_TYPES)
def test_atrs_is_mandatory_or_recommended_by_organisation_type(run, tmp_path, org_type):
    """Case 13 (replies to the public drafted for caseworkers) and case 01 (staff only, no
    personal data), as each kind of body."""
    public = scored(run, tmp_path, case("13-caseworker-reply-assistant.yaml", **org(org_type)), "public.yaml")
    atrs = check(public, "atrs")
    mandatory = org_type in ("central_department", "alb")
    assert atrs is not None and atrs["mandatory"] is mandatory and atrs["done"] is False
    action = next(a for a in public["actions"] if a["id"] == "CHECK-atrs")
    assert action["priority"] == ("must" if mandatory else "should")
    internal = scored(run, tmp_path, case("01-policy-drafting-assistant.yaml", **org(org_type)), "internal.yaml")
    assert check(internal, "atrs") is None  # out of scope: no public effect


def test_atrs_is_recommended_for_an_arms_length_body_that_does_not_serve_the_public(run, tmp_path):
    data = scored(run, tmp_path, case("13-caseworker-reply-assistant.yaml", profile__org_type="alb",
                                      profile__alb_public="no"))
    assert check(data, "atrs")["mandatory"] is False


def test_a_published_record_is_done_for_a_recommended_body_too(run, tmp_path):
    data = scored(run, tmp_path, case("17-live-facial-recognition.yaml"))  # a police force, record published
    assert check(data, "atrs") == {"id": "atrs", "title": check(data, "atrs")["title"], "done": True, "mandatory": False}


# -- who approves, and escalation -------------------------------------------------------------

APPROVER = {  # tier -> org type -> words the approver must contain
    1: {"local_authority": "accountable head of service"},
    2: {"local_authority": "senior information risk owner", "nhs": "Caldicott Guardian"},
    3: {"central_department": "Departmental AI, ethics or assurance board", "alb": "audit and risk committee",
        "local_authority": "section 151 officer", "nhs": "clinical safety committee", "police": "led by a chief officer",
        "devolved": "board of the directorate or department", "other": "senior leadership team"},
    4: {"central_department": "permanent secretary", "alb": "sponsor department", "local_authority": "cabinet member",
        "nhs": "trust or health board", "police": "police and crime commissioner", "devolved": "principal accountable officer",
        "other": "of the organisation (its accounting or accountable officer"},
}
TIER_CASES = {1: "01-policy-drafting-assistant.yaml", 2: "03-meeting-summariser-alpha.yaml",
              3: "16-promotion-sift-summariser.yaml", 4: "21-carer-payment-automated-eligibility.yaml"}


@pytest.mark.parametrize("level", sorted(TIER_CASES))
def test_each_tier_names_the_approver_for_each_kind_of_organisation(run, tmp_path, level):
    approvers = {}
    for org_type in ORG_TYPES:
        data = scored(run, tmp_path, case(TIER_CASES[level], **org(org_type)), f"{org_type}.yaml")
        assert data["tier"]["level"] == level, (org_type, data["tier"]["reasons"])
        approvers[org_type] = data["tier"]["approver"]
        words = APPROVER[level].get(org_type)
        if words:
            assert words in approvers[org_type], (org_type, approvers[org_type])
    if level >= 3:
        assert len(set(approvers.values())) == len(ORG_TYPES), approvers  # every body has its own wording
    else:
        assert all(a.startswith("Senior responsible owner") for a in approvers.values()), approvers


ESCALATION = {"central_department": {"Department", "Directorate", "Project"},
              "local_authority": {"Corporate leadership team and cabinet member", "Directorate management team", "Service or project"},
              "police": {"Chief officer team and PCC", "Force executive board", "Department or project"},
              "nhs": {"Board", "Executive committee", "Directorate or project"}}


@pytest.mark.parametrize("org_type", sorted(ESCALATION))
def test_the_register_escalates_in_the_organisations_own_words(run, tmp_path, org_type):
    """Case 06 has risks in every escalation band (an extreme one, breaches and risks within appetite)."""
    out = tmp_path / "register.xlsx"
    result = run("assess", "--answers", write_yaml(tmp_path / "a.yaml", case("06-council-chatbot.yaml", **org(org_type))),
                 "--no-input", "-o", out)
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(out)["Risk register"]
    header = next(row for row in ws.iter_rows(values_only=True) if "Escalation level" in row)
    column = header.index("Escalation level")
    rows = [row for row in ws.iter_rows(values_only=True) if row[0] and str(row[0]).startswith("AI-")]
    assert {row[column] for row in rows} == ESCALATION[org_type]


# -- the decision role ------------------------------------------------------------------------

QN = bundled.by_id("uk-public-sector-ai", "1.1.0")


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(answers_for(QN))
def test_recommending_is_never_scored_below_supporting(answers):
    """The decision role is nominal in risk_order terms, so validate and tests/test_monotonic.py
    do not cover it; from "supports" to "recommends" everything must still get no better."""
    values = dict(answers.values)
    values["profile.decision_role"] = Answer("supports")
    lower = assess(QN, dataclasses.replace(answers, values=values))
    values["profile.decision_role"] = Answer("recommends")
    higher = assess(QN, dataclasses.replace(answers, values=values))
    assert not problems(lower, higher, "profile.decision_role supports -> recommends")


def test_answering_the_public_replaces_staff_scrutiny_with_no_person_in_the_loop(run, tmp_path):
    """Case 05 answers residents directly; the same tool drafting for staff to check is scored
    for staff scrutiny instead."""
    direct = scored(run, tmp_path, case("05-district-council-faq-bot.yaml"), "direct.yaml")
    assert risk(direct, "AI-HUM-004") is not None and risk(direct, "AI-HUM-001") is None
    assert risk(direct, "AI-LEG-008") is not None
    drafting = scored(run, tmp_path, case("05-district-council-faq-bot.yaml", profile__decision_role="supports",
                                          legal__human_involvement="meaningful", oversight__reviewer_capacity="yes",
                                          oversight__override_rate="credible", oversight__override="yes",
                                          oversight__training="yes", oversight__human_review="all",
                                          transparency__public_facing="no"), "drafting.yaml")
    assert risk(drafting, "AI-HUM-001") is not None and risk(drafting, "AI-HUM-004") is None
    assert drafting["tier"]["level"] <= direct["tier"]["level"]
