"""The points model (questionnaire format 2): choices carry points, questions feed named totals,
adjustments change a total when another reaches a share of its maximum, and levels are shares of
a total's maximum. This is how the Canada Algorithmic Impact Assessment scores.

Everything here is data and pure functions:

- `maximums(qn)`: each total's maximum, over every question (hidden ones included): a choice
  question's best choice, a multi question's choices added up; then divided by the total's
  `max_divisor`, or replaced by its explicit `max`.
- `visible(qn, values)`: the questions shown for these answers (a section's and a question's
  `when` must hold; an unanswered question never makes a condition hold, as in SurveyJS).
- `totals(qn, values)`: each total's points over the visible, answered questions only.
- `score(qn, values)`: the totals, the adjustments that applied, the score and its level.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Optional

from risk_cli.model import conditions
from risk_cli.model.conditions import Condition
from risk_cli.model.text import Text, english, in_language  # noqa: F401 (re-exported for the points views)


@dataclass(frozen=True)
class PointsChoice:
    id: str
    label: Text
    points: int


@dataclass(frozen=True)
class PointsQuestion:
    id: str
    type: str  # choice, multi or text
    text: Text
    section: str
    help: Text = ""
    total: Optional[str] = None  # the total its points feed (None: not scored)
    when: Optional[Condition] = None
    choices: tuple[PointsChoice, ...] = ()

    def choice(self, cid: str) -> Optional[PointsChoice]:
        return next((c for c in self.choices if c.id == cid), None)

    @property
    def best(self) -> int:
        """The most points an answer can add: the best choice, or every choice of a multi."""
        if not self.choices:
            return 0
        if self.type == "multi":
            return sum(c.points for c in self.choices)
        return max(c.points for c in self.choices)


@dataclass(frozen=True)
class PointsSection:
    id: str
    title: Text
    when: Optional[Condition] = None
    question_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Total:
    id: str
    label: Text
    max_divisor: Optional[float] = None
    max: Optional[float] = None  # explicit maximum: replaces the computed one


@dataclass(frozen=True)
class Adjustment:
    """When `when_total` reaches `at_least_share` of its maximum, multiply `total` by `multiply`
    and round it (`half_up`: as JavaScript's Math.round; `none`: keep the fraction)."""

    when_total: str
    at_least_share: float
    total: str
    multiply: float
    round: str = "half_up"


@dataclass(frozen=True)
class Level:
    id: str
    label: Text
    up_to_share: Optional[float]  # None: everything above the level before


class Format2Questionnaire:
    """What every format-2 model's questionnaire offers (points and rated share sections and
    questions): its label, a question by id, and its default language."""

    id: str
    version: str
    questions: tuple[PointsQuestion, ...]
    languages: tuple[str, ...]

    @property
    def default_language(self) -> str:
        return self.languages[0]

    @property
    def label(self) -> str:
        return f"{self.id} {self.version}"

    def question(self, qid: str) -> Optional[PointsQuestion]:
        return next((q for q in self.questions if q.id == qid), None)


@dataclass(frozen=True)
class PointsQuestionnaire(Format2Questionnaire):
    id: str
    version: str
    title: Text
    totals: tuple[Total, ...]
    score_total: str  # the total that, adjusted, is the score; levels are shares of its maximum
    adjustments: tuple[Adjustment, ...]
    levels: tuple[Level, ...]
    sections: tuple[PointsSection, ...]
    questions: tuple[PointsQuestion, ...]
    description: Text = ""
    sha256: str = ""
    path: str = ""
    model: str = "points"
    languages: tuple[str, ...] = ("en",)  # the languages it offers, its default first


def points_of(question: PointsQuestion, value: Any) -> int:
    """The points an answer adds (0 for an unknown choice or no answer)."""
    if question.total is None or value is None:
        return 0
    if question.type == "multi":
        ids = value if isinstance(value, (list, tuple)) else [value]
        return sum(c.points for c in question.choices if c.id in ids)
    chosen = question.choice(value) if isinstance(value, str) else None
    return chosen.points if chosen else 0


def maximums(qn: PointsQuestionnaire) -> dict[str, float]:
    """Each total's maximum, counted over every question, shown or not."""
    raw = {t.id: 0 for t in qn.totals}
    for q in qn.questions:
        if q.total is not None:
            raw[q.total] += q.best
    out: dict[str, float] = {}
    for t in qn.totals:
        if t.max is not None:
            out[t.id] = t.max
        elif t.max_divisor:
            out[t.id] = raw[t.id] / t.max_divisor
        else:
            out[t.id] = raw[t.id]
    return out


def uncounted_maximums(qn: PointsQuestionnaire) -> dict[str, int]:
    """Each total's maximum before any divisor or explicit maximum."""
    raw = {t.id: 0 for t in qn.totals}
    for q in qn.questions:
        if q.total is not None:
            raw[q.total] += q.best
    return raw


def _answered(value: Any) -> bool:
    return value is not None and value != [] and value != ""


def unanswered(qn: Format2Questionnaire, values: Mapping[str, Any], shown: Iterable[str]) -> tuple[str, ...]:
    """The shown single-choice questions with no answer, in order. Either model scores them as
    if they had not been asked (no points; no rating rule holds on them), so the result can look
    safer than the answers would make it; a multi-choice question left empty is an answer (none
    apply), and a text question scores nothing."""
    by_id = {q.id: q for q in qn.questions}
    return tuple(qid for qid in shown if by_id[qid].type == "choice" and not _answered(values.get(qid)))


def unanswered_note(ids: tuple[str, ...], shown: int = 10) -> str:
    """One line for people: how many shown questions have no answer, and the first few."""
    listed = ", ".join(ids[:shown]) + (f" and {len(ids) - shown} more" if len(ids) > shown else "")
    return (f"{len(ids)} question{'' if len(ids) == 1 else 's'} shown but not answered, scored as if not asked: "
            f"{listed}")


def visible(qn: PointsQuestionnaire, values: Mapping[str, Any]) -> list[str]:
    """The ids of the questions shown for these answers, in order. A condition only names
    questions before it (the loader checks), so one pass decides."""
    shown: list[str] = []
    asked: set[str] = set()
    known = {qid: v for qid, v in values.items() if _answered(v)}
    by_id = {q.id: q for q in qn.questions}
    for section in qn.sections:
        open_ = conditions.evaluate(section.when, asked, known) is True
        for qid in section.question_ids:
            q = by_id[qid]
            if open_ and conditions.evaluate(q.when, asked, known) is True:
                shown.append(qid)
                asked.add(qid)
    return shown


def totals(qn: PointsQuestionnaire, values: Mapping[str, Any]) -> dict[str, int]:
    """Each total's points over the visible, answered questions; a hidden question's answer does
    not count."""
    out = {t.id: 0 for t in qn.totals}
    shown = set(visible(qn, values))
    for q in qn.questions:
        if q.total is not None and q.id in shown:
            out[q.total] += points_of(q, values.get(q.id))
    return out


def round_half_up(value: float) -> int:
    """JavaScript's Math.round: halves go up (2.5 -> 3, -2.5 -> -2)."""
    return int(math.floor(value + 0.5))


@dataclass(frozen=True)
class Applied:
    adjustment: Adjustment
    share: float  # the share of its maximum that `when_total` reached
    before: float
    after: float


@dataclass(frozen=True)
class Outcome:
    """A points assessment: what the tool reports."""

    questionnaire: PointsQuestionnaire
    values: Mapping[str, Any]
    visible: tuple[str, ...]
    totals: Mapping[str, int]
    maximums: Mapping[str, float]
    applied: tuple[Applied, ...]
    score: float
    level: Level
    not_counted: tuple[str, ...] = field(default=())  # answered but hidden questions

    @property
    def unanswered(self) -> tuple[str, ...]:
        return unanswered(self.questionnaire, self.values, self.visible)

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        qn = self.questionnaire
        return {
            "questionnaire": {"id": qn.id, "version": qn.version, "sha256": qn.sha256, "model": qn.model,
                              "title": in_language(qn.title, lang)},
            "language": lang,
            "totals": dict(self.totals),
            "maximums": {k: number(v) for k, v in self.maximums.items()},
            "adjustments": [
                {"when_total": a.adjustment.when_total, "at_least_share": a.adjustment.at_least_share,
                 "share_reached": round(a.share, 4), "total": a.adjustment.total,
                 "multiply": a.adjustment.multiply, "before": number(a.before), "after": number(a.after)}
                for a in self.applied],
            "score": number(self.score),
            "score_total": qn.score_total,
            "level": {"id": self.level.id, "label": in_language(self.level.label, lang)},
            "not_counted": list(self.not_counted),
            "unanswered": list(self.unanswered),
            "answers": [
                {"question": q.id, "total": q.total, "answer": self.values.get(q.id),
                 "points": points_of(q, self.values.get(q.id)), "counted": q.id in self.visible}
                for q in qn.questions if _answered(self.values.get(q.id))],
        }


def number(value: float) -> float | int:
    """A score as people read it: 9, not 9.0."""
    return int(value) if float(value).is_integer() else value


def level(qn: PointsQuestionnaire, score_value: float, maxima: Mapping[str, float]) -> Level:
    """The first level whose share of the score total's maximum the score is within."""
    top = maxima[qn.score_total]
    for lv in qn.levels:
        if lv.up_to_share is None or score_value <= lv.up_to_share * top:
            return lv
    return qn.levels[-1]


def score(qn: PointsQuestionnaire, values: Mapping[str, Any]) -> Outcome:
    """Totals, adjustments in order, the score (the adjusted score total) and its level."""
    maxima = maximums(qn)
    counted = totals(qn, values)
    adjusted: dict[str, float] = dict(counted)
    applied: list[Applied] = []
    for adj in qn.adjustments:
        top = maxima[adj.when_total]
        share = counted[adj.when_total] / top if top else 0.0
        if top and counted[adj.when_total] >= adj.at_least_share * top:
            before = adjusted[adj.total]
            after = before * adj.multiply
            after = round_half_up(after) if adj.round == "half_up" else after
            adjusted[adj.total] = after
            applied.append(Applied(adj, share, before, after))
    shown = visible(qn, values)
    hidden = tuple(qid for qid, v in values.items() if _answered(v) and qid not in shown)
    final = adjusted[qn.score_total]
    return Outcome(qn, dict(values), tuple(shown), counted, maxima, tuple(applied), final,
                   level(qn, final, maxima), hidden)


def answers_yaml(qn: Format2Questionnaire, values: Mapping[str, Any], lang: Optional[str] = None,
                 assessed_on: str = "") -> str:
    """An answers file for a format-2 questionnaire (either model): `questionnaire: {id, version}`,
    the language the questions were asked in, and `answers:`. Workbooks keep it in a hidden sheet."""
    from risk_cli.model.answers import dump_yaml

    data: dict[str, Any] = {"questionnaire": {"id": qn.id, "version": qn.version}}
    if lang is not None:
        data["language"] = lang
    if assessed_on:
        data["assessed_on"] = assessed_on
    data["answers"] = dict(values)
    return dump_yaml(data)
