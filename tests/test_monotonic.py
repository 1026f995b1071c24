"""Monotonic scoring: where a questionnaire orders a question's choices from least to most risky
(`risk_order`), a riskier answer never lowers any risk's inherent or residual score, never stops
a risk being raised, and never lowers the assurance tier.

A property test over random complete answers, for every bundled questionnaire that declares an
order and for the small test questionnaire with every format addition in use. `validate` refuses
the direct contradictions statically (tests/test_format_additions.py); this also catches what
only shows through the answers together, such as a riskier answer that shows a question whose
answer then counts as a control.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from risk_cli.catalogue import bundled, loader
from risk_cli.model.answers import Answer
from risk_cli.model.conditions import DONT_KNOW
from risk_cli.model.questionnaire import Questionnaire
from risk_cli.model.scoring import Register, assess
from tests.strategies import answers_for
from tests.test_format_additions import extended, write


def _ordered_questionnaires() -> list[Questionnaire]:
    out = [bundled.load_bundled(entry.path) for entry in bundled.catalogue()]
    return [qn for qn in out if any(q.risk_order for q in qn.questions)]


def _extended(tmp_dir: Path) -> Questionnaire:
    return loader.load(write(tmp_dir, extended()))


def riskier(qn: Questionnaire, qid: str, value: str) -> str | None:
    """The next riskier answer to an ordered question ("don't know" after the last), or None."""
    q = qn.by_id[qid]
    order = list(q.risk_order) + ([DONT_KNOW] if DONT_KNOW in q.choice_ids else [])
    if value not in order or order.index(value) == len(order) - 1:
        return None
    return order[order.index(value) + 1]


def problems(lower: Register, higher: Register, moved: str) -> list[str]:
    """Every way `higher` (one answer riskier) is better than `lower`."""
    found = []
    before = {sr.risk.id: sr for sr in lower.risks}
    after = {sr.risk.id: sr for sr in higher.risks}
    for rid, sr in before.items():
        now = after.get(rid)
        if now is None:
            found.append(f"{moved}: {rid} is no longer raised")
        elif now.score < sr.score:
            found.append(f"{moved}: {rid} inherent {sr.score} -> {now.score}")
        elif now.residual_score < sr.residual_score:
            found.append(f"{moved}: {rid} residual {sr.residual_score} -> {now.residual_score}")
    if higher.tier.level.level < lower.tier.level.level:
        found.append(f"{moved}: tier {lower.tier.level.level} -> {higher.tier.level.level}")
    return found


def check_monotonic(qn: Questionnaire, answers) -> None:
    base = assess(qn, answers)
    for q in qn.questions:
        if not q.risk_order or q.id not in base.values:
            continue
        nxt = riskier(qn, q.id, base.values[q.id])
        if nxt is None:
            continue
        values = dict(answers.values)
        values[q.id] = Answer(nxt)
        moved = assess(qn, dataclasses.replace(answers, values=values))
        found = problems(base, moved, f"{q.id} {base.values[q.id]} -> {nxt}")
        assert not found, found


@pytest.mark.parametrize("qn", _ordered_questionnaires(), ids=lambda qn: qn.label)
def test_a_riskier_answer_never_lowers_a_score_or_the_tier(qn: Questionnaire) -> None:
    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(answers_for(qn))
    def prop(answers):
        check_monotonic(qn, answers)

    prop()


def test_the_property_holds_for_the_test_questionnaire(tmp_path: Path) -> None:
    qn = _extended(tmp_path)

    @settings(max_examples=200, deadline=None)
    @given(answers_for(qn))
    def prop(answers):
        check_monotonic(qn, answers)

    prop()


def test_the_property_test_can_fail(tmp_path: Path) -> None:
    """A questionnaire whose control rewards the riskier answer (which validate refuses when the
    order is declared) is caught by the property, through the answers."""
    data = extended()
    data["sections"][2]["questions"][0].pop("risk_order")  # so that validate lets it through
    data["risks"][2]["controls"][0]["when"] = {"question": "delivery.skills", "equals": "no"}
    qn = loader.load(write(tmp_path, data))
    ordered = dataclasses.replace(qn, sections=tuple(
        dataclasses.replace(s, questions=tuple(dataclasses.replace(q, risk_order=("yes", "no")) if q.id == "delivery.skills"
                                               else q for q in s.questions)) for s in qn.sections))
    with pytest.raises(AssertionError, match="AI-DEL-001 residual"):
        @settings(max_examples=100, deadline=None, database=None, phases=[Phase.generate])  # found, not shrunk
        @given(answers_for(ordered))
        def prop(answers):
            check_monotonic(ordered, answers)

        prop()

