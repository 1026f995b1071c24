"""The rated model (questionnaire format 2, `model: rated`): each risk takes a rating (high,
medium, low, or whatever ratings the file lists, highest first) from the first of its rules that
holds for the answers, and lists practical steps labelled must, should or could. This is how the
ICO's AI and data protection risk toolkit works.

Pure data and functions. Questions and sections are the points model's (`PointsQuestion`,
`PointsSection`: choice, multi or text, with `when`); they carry no points here.

- `visible(qn, values)`: the questions shown for these answers (as the points model).
- `assess(qn, values)`: each raised risk with its rating, the rule that set it, its steps that
  apply, and the overall rating (the highest risk rating; the lowest rating when none is raised).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Optional

from risk_cli.model import conditions, points
from risk_cli.model.conditions import Condition
from risk_cli.model.points import PointsQuestion, PointsSection, _answered
from risk_cli.model.text import Text, in_language

PRIORITIES = ("must", "should", "could")


@dataclass(frozen=True)
class Rating:
    id: str
    label: Text


@dataclass(frozen=True)
class RatingRule:
    rating: str
    when: Optional[Condition] = None  # None: always holds


@dataclass(frozen=True)
class Step:
    priority: str  # must, should or could
    text: Text
    when: Optional[Condition] = None


@dataclass(frozen=True)
class RatedRisk:
    id: str
    title: Text
    description: Text
    rules: tuple[RatingRule, ...]
    steps: tuple[Step, ...] = ()
    raised_when: Optional[Condition] = None  # None: always raised


@dataclass(frozen=True)
class RatedQuestionnaire(points.Format2Questionnaire):
    id: str
    version: str
    title: Text
    ratings: tuple[Rating, ...]  # highest first
    sections: tuple[PointsSection, ...]
    questions: tuple[PointsQuestion, ...]
    risks: tuple[RatedRisk, ...]
    description: Text = ""
    sha256: str = ""
    path: str = ""
    model: str = "rated"
    languages: tuple[str, ...] = ("en",)  # the languages it offers, its default first

    def rating(self, rid: str) -> Rating:
        return next(r for r in self.ratings if r.id == rid)

    def rank(self, rid: str) -> int:
        """0 for the highest rating."""
        return [r.id for r in self.ratings].index(rid)


def visible(qn: RatedQuestionnaire, values: Mapping[str, Any]) -> list[str]:
    return points.visible(qn, values)  # type: ignore[arg-type] - it reads sections and questions only


@dataclass(frozen=True)
class RatedResult:
    risk: RatedRisk
    rating: Rating
    rule: RatingRule
    steps: tuple[Step, ...]
    why: tuple[str, ...]  # the questions the deciding rule names


@dataclass(frozen=True)
class Outcome:
    questionnaire: RatedQuestionnaire
    values: Mapping[str, Any]
    visible: tuple[str, ...]
    risks: tuple[RatedResult, ...]
    not_raised: tuple[str, ...]
    overall: Rating
    not_counted: tuple[str, ...] = ()

    @property
    def unanswered(self) -> tuple[str, ...]:
        return points.unanswered(self.questionnaire, self.values, self.visible)

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        qn = self.questionnaire
        return {
            "questionnaire": {"id": qn.id, "version": qn.version, "sha256": qn.sha256, "model": qn.model,
                              "title": in_language(qn.title, lang)},
            "language": lang,
            "overall": {"id": self.overall.id, "label": in_language(self.overall.label, lang)},
            "risks": [
                {"id": r.risk.id, "title": in_language(r.risk.title, lang), "rating": r.rating.id,
                 "why": {q: self.values.get(q) for q in r.why},
                 "steps": {p: [in_language(s.text, lang) for s in r.steps if s.priority == p] for p in PRIORITIES}}
                for r in self.risks],
            "not_raised": list(self.not_raised),
            "not_counted": list(self.not_counted),
            "unanswered": list(self.unanswered),
            "answers": [{"question": q.id, "answer": self.values.get(q.id), "counted": q.id in self.visible}
                        for q in qn.questions if _answered(self.values.get(q.id))],
        }


def assess(qn: RatedQuestionnaire, values: Mapping[str, Any]) -> Outcome:
    shown = visible(qn, values)
    asked = set(shown)
    known = {qid: v for qid, v in values.items() if qid in asked and _answered(v)}
    results: list[RatedResult] = []
    not_raised: list[str] = []
    for risk in qn.risks:
        if conditions.evaluate(risk.raised_when, asked, known) is not True:
            not_raised.append(risk.id)
            continue
        # the reader makes the last rule one that always holds
        rule = next(r for r in risk.rules if conditions.evaluate(r.when, asked, known) is True)
        steps = tuple(s for s in risk.steps if conditions.evaluate(s.when, asked, known) is True)
        # the questions of the rule that set the rating, or (a catch-all rule) those that raised it
        why = tuple(dict.fromkeys(t.question for t in conditions.tests(rule.when or risk.raised_when)))
        results.append(RatedResult(risk, qn.rating(rule.rating), rule, steps, why))
    results.sort(key=lambda r: qn.rank(r.rating.id))  # stable: file order within a rating
    overall = results[0].rating if results else qn.ratings[-1]
    hidden = tuple(qid for qid, v in values.items() if _answered(v) and qid not in asked)
    return Outcome(qn, dict(values), tuple(shown), tuple(results), tuple(not_raised), overall, hidden)
