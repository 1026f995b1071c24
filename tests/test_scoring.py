"""Scoring on the mini questionnaire, every figure worked out by hand from tests/fixtures/mini.yaml."""

from __future__ import annotations

import pytest

from risk_cli.model import answers as answers_mod
from risk_cli.catalogue import loader
from risk_cli.model import conditions
from risk_cli.model import scoring
from risk_cli.model.answers import Answer, Answers
from tests.conftest import MINI, mini_answers

QN = loader.load(MINI)


def register_for(**overrides):
    doc = mini_answers(**overrides)
    values = {**doc["profile"], **doc["answers"]}
    raw = Answers("mini", "0.1.0", "", {k: Answer(v) for k, v in values.items()}, "2026-11-27")
    clean, errors, _ = answers_mod.check(QN, raw, "a.yaml", complete=False)
    assert errors == []
    return scoring.assess(QN, clean)


def risk(register, rid):
    return next(r for r in register.risks if r.risk.id == rid)


def test_well_controlled_answers():
    reg = register_for()
    dat = risk(reg, "AI-DAT-001")
    # base L2, no "no DPIA" points; base I3, no health; volume 5000 < 100000
    assert (dat.likelihood, dat.impact, dat.score, dat.rating.id) == (2, 3, 6, "moderate")
    # DPIA done: likelihood -1
    assert (dat.residual_likelihood, dat.residual_impact, dat.residual_score, dat.residual_rating.id) == (1, 3, 3, "low")
    assert [c.text for c in dat.controls] == ["DPIA done"]
    assert not dat.breach  # legal appetite averse: up to 3
    ops = risk(reg, "AI-OPS-001")
    assert (ops.score, ops.residual_score, ops.breach) == (6, 6, False)  # cautious: up to 9
    dele = risk(reg, "AI-DEL-001")
    assert (dele.score, dele.residual_likelihood, dele.residual_impact) == (4, 1, 1)
    assert reg.tier.level.level == 1
    assert reg.tier.reasons == ("No rule for a higher tier applies to these answers.",)
    assert [(c.check.id, c.done) for c in reg.checks] == [("dpia", True)]
    assert [(b.barrier.id, b.reported) for b in reg.barriers] == [("skills", False)]
    assert [a.id for a in reg.actions] == ["AI-OPS-001-A1", "AI-DEL-001-A1", "AI-DAT-001-A2"]


def test_poorly_controlled_answers():
    reg = register_for(profile__role="decides", data__dpia="no", data__kinds=["health", "finance"],
                       data__volume=250000, delivery__skills="no")
    dat = risk(reg, "AI-DAT-001")
    # L = 2 + 2 (no DPIA) = 4; I = 3 + 1 (health) = 4, then at least 5 (volume) = 5
    assert (dat.likelihood, dat.impact, dat.score, dat.rating.id) == (4, 5, 20, "extreme")
    assert dat.because == ("Likelihood: No DPIA", "Impact: Health data", "Impact: Large volume")
    assert dat.residual_score == 20 and dat.breach and dat.target_score == 3
    ops = risk(reg, "AI-OPS-001")
    assert (ops.likelihood, ops.score, ops.residual_rating.id, ops.breach) == (4, 12, "high", True)
    assert reg.tier.level.level == 3
    assert reg.tier.reasons == ("The AI decides without a person", "A residual risk is extreme")
    assert [(c.check.id, c.done) for c in reg.checks] == [("dpia", False)]
    assert [a.id for a in reg.actions if a.priority == "must"] == ["AI-DAT-001-A1", "CHECK-dpia"]
    assert reg.barriers[0].reported is True


def test_dont_know_never_scores_as_safe():
    known_no = risk(register_for(data__dpia="no"), "AI-DAT-001")
    unknown = register_for(data__dpia="dont_know")
    dk = risk(unknown, "AI-DAT-001")
    # scored like "no" for the raising rule, and the control does not count
    assert (dk.likelihood, dk.residual_likelihood) == (known_no.likelihood, known_no.residual_likelihood)
    assert dk.controls == ()
    find = [a for a in unknown.actions if a.kind == "find-out"]
    assert [(a.id, a.priority, a.risks) for a in find] == [("FIND-data.dpia", "should", ("AI-DAT-001",))]
    assert [(c.check.id, c.done) for c in unknown.checks] == [("dpia", False)]


def test_unanswered_is_listed_and_cautious():
    reg = register_for(data__volume=None)
    assert "data.volume" in reg.unanswered
    assert risk(reg, "AI-DAT-001").impact == 5  # the volume floor applies when volume is unknown
    assert any(a.id == "FIND-data.volume" for a in reg.actions)


def test_hidden_answers_are_dropped_before_scoring():
    # data.dpia and data.kinds only apply when personal data is used
    reg = register_for(data__personal="no", data__dpia="no", data__kinds=["health"])
    assert set(reg.dropped) == {"data.dpia", "data.kinds"}
    assert "AI-DAT-001" not in [r.risk.id for r in reg.risks]
    assert reg.checks == ()
    assert "data.dpia" not in reg.values


def test_appetite_breach_sets_tier_two():
    reg = register_for(data__dpia="no")  # L4 I3 = 12 high; legal averse (3): breach
    assert risk(reg, "AI-DAT-001").breach
    assert reg.tier.level.level == 2
    assert reg.tier.reasons == ("A residual risk is above appetite",)


def test_same_answers_same_register():
    a = register_for(data__dpia="dont_know")
    b = register_for(data__dpia="dont_know")
    assert [(r.risk.id, r.score, r.residual_score) for r in a.risks] == [(r.risk.id, r.score, r.residual_score) for r in b.risks]
    assert a.actions == b.actions and a.tier == b.tier


@pytest.mark.parametrize("cond, asked, values, expected", [
    (conditions.Test("q", "equals", "yes"), {"q"}, {"q": "yes"}, True),
    (conditions.Test("q", "equals", "yes"), {"q"}, {"q": "dont_know"}, None),
    (conditions.Test("q", "equals", "yes"), {"q"}, {}, None),
    (conditions.Test("q", "equals", "yes"), set(), {}, False),
    (conditions.Not(conditions.Test("q", "equals", "yes")), {"q"}, {"q": "dont_know"}, None),
    (conditions.All((conditions.Test("q", "equals", "yes"), conditions.Test("r", "equals", "x"))), {"q", "r"}, {"q": "dont_know", "r": "y"}, False),
    (conditions.AnyOf((conditions.Test("q", "equals", "yes"), conditions.Test("r", "equals", "x"))), {"q", "r"}, {"q": "dont_know", "r": "x"}, True),
    (conditions.AnyOf((conditions.Test("q", "equals", "yes"), conditions.Test("r", "equals", "x"))), {"q", "r"}, {"q": "dont_know", "r": "y"}, None),
    # the walk ends at the first deciding part, so a deciding part after an unknown one still decides
    (conditions.All((conditions.Test("q", "equals", "yes"), conditions.Test("r", "equals", "x"))), {"q", "r"}, {"q": "yes", "r": "dont_know"}, None),
    (conditions.All((conditions.Test("q", "equals", "yes"), conditions.Test("r", "equals", "x"))), {"q", "r"}, {"q": "yes", "r": "x"}, True),
    (conditions.AnyOf((conditions.Test("q", "equals", "yes"), conditions.Test("r", "equals", "x"))), {"q", "r"}, {"q": "no", "r": "y"}, False),
    (conditions.AnyOf((conditions.Test("q", "equals", "yes"), conditions.Test("r", "equals", "x"))), {"q", "r"}, {"q": "no", "r": "dont_know"}, None),
    (conditions.Test("m", "includes", "a"), {"m"}, {"m": ["a", "b"]}, True),
    (conditions.Test("m", "includes_any", ("c", "d")), {"m"}, {"m": ["a", "b"]}, False),
    (conditions.Test("n", "at_least", 10), {"n"}, {"n": 10}, True),
    (conditions.Test("n", "at_most", 10), {"n"}, {"n": 11}, False),
    (conditions.Test("n", "answered", True), {"n"}, {"n": "dont_know"}, True),
    (conditions.Test("n", "answered", False), {"n"}, {}, True),
])
def test_three_valued_conditions(cond, asked, values, expected):
    assert conditions.evaluate(cond, asked, values) is expected


def test_add_months_clamps_to_month_end():
    assert scoring.add_months("2026-08-31", 6) == "2027-02-28"
    assert scoring.add_months("2026-11-27", 12) == "2027-11-27"


def test_an_action_that_is_a_mandatory_check_is_listed_once(tmp_path):
    from risk_cli import safe_yaml
    from tests.conftest import write_yaml

    data = safe_yaml.load(MINI).data
    data["risks"][0]["actions"][0] = {"check": "dpia"}
    qn = loader.load(write_yaml(tmp_path / "q.yaml", data))

    def run(**overrides):
        doc = mini_answers(**overrides)
        values = {**doc["profile"], **doc["answers"]}
        raw = Answers("mini", "0.1.0", "", {k: Answer(v) for k, v in values.items()}, "2026-11-27")
        clean, errors, _ = answers_mod.check(qn, raw, "a.yaml")
        assert errors == []
        return scoring.assess(qn, clean)

    outstanding = run(data__dpia="no")
    dpia = [a for a in outstanding.actions if "DPIA" in a.text]
    assert [(a.id, a.risks) for a in dpia] == [("CHECK-dpia", ("AI-DAT-001",))]
    done = run(data__dpia="yes")
    assert not [a for a in done.actions if "DPIA" in a.text]


def test_grid_counts_risks_by_likelihood_and_impact():
    """The heat map's cells: well-controlled answers give DAT 2x3 -> 1x3, OPS 2x3 -> 2x3, DEL 2x2 -> 1x1."""
    reg = register_for()
    assert reg.grid(residual=False) == {(2, 3): 2, (2, 2): 1}
    assert reg.grid(residual=True) == {(1, 3): 1, (2, 3): 1, (1, 1): 1}
    assert reg.grid() == reg.grid(residual=True)
