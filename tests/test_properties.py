"""Properties of scoring that must hold for any answers (hypothesis)."""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from risk_cli.model import answers as answers_mod
from risk_cli.output import register as report
from risk_cli.catalogue import bundled
from risk_cli.catalogue import loader
from risk_cli.model import scoring
from risk_cli.model.answers import Answer
from tests.conftest import MINI
from tests.strategies import answers_for

QUESTIONNAIRES = [loader.load(MINI), bundled.resolve("uk-public-sector-ai")]
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def scored(qn, answers):
    clean, errors, _ = answers_mod.check(qn, answers, "generated.yaml", complete=False)
    assert errors == []
    return scoring.assess(qn, clean)


@FAST
@given(st.data())
def test_same_answers_always_give_the_same_register(data):
    for qn in QUESTIONNAIRES:
        answers = data.draw(answers_for(qn))
        first = report.to_dict(scored(qn, answers))
        second = report.to_dict(scored(qn, copy.deepcopy(answers)))
        assert first == second


@FAST
@given(st.data())
def test_dont_know_is_never_safer_than_a_known_answer(data):
    """Replacing any answer with "don't know" never lowers a score, removes a risk or lowers the tier."""
    for qn in QUESTIONNAIRES:
        answers = data.draw(answers_for(qn))
        # As a person fills it in: only the questions that apply are answered. (An answer kept
        # for a question that did not apply may be a control, and "don't know" upstream can
        # bring that question back into play: that is the answer counting, not a safer score.)
        applicable = set(answers_mod.resolve(qn, answers.plain()).asked)
        answers.values = {k: v for k, v in answers.values.items() if k in applicable}
        unknowable = [q for q in qn.questions if "dont_know" in q.choice_ids and q.id in applicable]
        q = data.draw(st.sampled_from(unknowable))
        before = scored(qn, answers)
        riskier = copy.deepcopy(answers)
        riskier.values[q.id] = Answer(["dont_know"] if q.type == "multi" else "dont_know")
        after = scored(qn, riskier)
        old = {r.risk.id: r for r in before.risks}
        new = {r.risk.id: r for r in after.risks}
        assert set(old) <= set(new), f"{q.id}: don't know removed risks {set(old) - set(new)}"
        for rid, r in old.items():
            assert new[rid].score >= r.score, f"{q.id}: {rid} inherent fell"
            assert new[rid].residual_score >= r.residual_score, f"{q.id}: {rid} residual fell"
        assert after.tier.level.level >= before.tier.level.level


@FAST
@given(st.data())
def test_scores_stay_in_range_and_residual_never_exceeds_inherent(data):
    for qn in QUESTIONNAIRES:
        reg = scored(qn, data.draw(answers_for(qn)))
        for r in reg.risks:
            assert 1 <= r.likelihood <= 5 and 1 <= r.impact <= 5
            assert 1 <= r.residual_likelihood <= r.likelihood and 1 <= r.residual_impact <= r.impact
            assert r.rating.min <= r.score <= r.rating.max
        assert 1 <= reg.tier.level.level <= len(qn.scoring.tier_levels)
