"""Scoring: pure functions from a questionnaire and answers to a scored register.

Nothing here reads or writes files or asks questions, so the same answers and the same
questionnaire version always give the same register. Unknown answers ("don't know", or a
question left unanswered) are read cautiously: they raise risks and scores and never count
as a control.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Optional

from risk_cli.model import conditions
from risk_cli.model.answers import Answers, resolve
from risk_cli.model.conditions import Condition
from risk_cli.model.questionnaire import (
    AppetiteLevel, Band, Barrier, Check, Control, Factor, Questionnaire, Risk, TierLevel, TierRule, Wording,
)

PRIORITY_ORDER = {"must": 0, "should": 1, "could": 2}
ACTION_DAYS = {"must": 30, "should": 90, "could": 180}
Grid = dict[tuple[int, int], int]  # (likelihood, impact) -> number of risks


def raises(cond: Optional[Condition], asked: set[str], values: dict[str, Any]) -> bool:
    """For conditions that add risk: unknown counts as true."""
    return conditions.evaluate(cond, asked, values) is not False


def credits(cond: Optional[Condition], asked: set[str], values: dict[str, Any]) -> bool:
    """For conditions that take risk away (controls, checks done): unknown counts as false."""
    return cond is not None and conditions.evaluate(cond, asked, values) is True


def says(wording: Wording, asked: set[str], values: dict[str, Any]) -> str:
    """The wording for these answers: the first variant whose condition holds (unknown does not)."""
    return next((text for when, text in wording.variants if credits(when, asked, values)), wording.default)


@dataclass(frozen=True)
class ScoredRisk:
    """One raised risk scored for these answers, before and after controls and against its appetite:
    a row of the register."""

    risk: Risk
    likelihood: int
    impact: int
    rating: Band
    residual_likelihood: int
    residual_impact: int
    residual_rating: Band
    appetite: AppetiteLevel
    because: tuple[str, ...]  # why the inherent score is what it is
    controls: tuple[Control, ...]  # controls in place that lowered the residual score
    unknowns: tuple[str, ...]  # question ids that affect this risk and are not known

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def residual_score(self) -> int:
        return self.residual_likelihood * self.residual_impact

    @property
    def breach(self) -> bool:
        """Residual score above the category's risk appetite: escalate."""
        return self.residual_score > self.appetite.max_score

    @property
    def target_score(self) -> int:
        return min(self.residual_score, self.appetite.max_score)


@dataclass(frozen=True)
class RaisedAction:
    """One row of the register's actions: a risk's treatment, a prompt to find out an unknown
    answer, or an outstanding mandatory check."""

    id: str
    priority: str
    text: str
    source: str
    risks: tuple[str, ...]  # the risk ids it treats; empty for a mandatory check
    kind: str  # "risk", "find-out" or "check"
    due: str  # ISO date


@dataclass(frozen=True)
class CheckResult:
    """A check these answers make apply, whether it is mandatory for this body or recommended, and
    whether the answers show it is done; its wording is the one for these answers."""

    check: Check
    done: bool
    mandatory: bool = True
    basis: str = ""
    action: str = ""

    @property
    def status(self) -> str:
        return "Done" if self.done else ("Outstanding" if self.mandatory else "Recommended, not done")


@dataclass(frozen=True)
class BarrierResult:
    """Whether this use case reports one NAO barrier to AI adoption; the portfolio view adds these
    up across use cases."""

    barrier: Barrier
    reported: bool


@dataclass(frozen=True)
class TierReason:
    """One rule that sets the tier: why it holds for these answers, the risks that make it hold, and
    what would stop it holding, so a board sees what would move the tier down."""

    because: str
    risks: tuple[str, ...] = ()
    would_move_down: str = ""


@dataclass(frozen=True)
class Tier:
    """The assurance tier the answers put the use case in, with the reasons for it, so the tier is
    always explained."""

    level: TierLevel
    reasons: tuple[str, ...]
    explained: tuple[TierReason, ...] = ()
    approver: str = ""  # who approves, in the wording for this kind of body
    without: int = 1  # the tier these answers would reach without the reasons for this one


@dataclass(frozen=True)
class Register:
    """The scored result of one assessment: what every output format writes."""

    questionnaire: Questionnaire
    answers: Answers
    asked: tuple[str, ...]
    values: dict[str, Any]
    dropped: tuple[str, ...]
    unanswered: tuple[str, ...]
    risks: tuple[ScoredRisk, ...]
    actions: tuple[RaisedAction, ...]
    checks: tuple[CheckResult, ...]  # the checks these answers make mandatory
    barriers: tuple[BarrierResult, ...]
    tier: Tier
    assessed_on: str
    notes: dict[str, str] = field(default_factory=dict)
    appetite_source: str = ""  # whose risk appetite was used: "" for the questionnaire's own

    @property
    def missing_required(self) -> tuple[str, ...]:
        """The required questions that apply and have no answer (scored cautiously, as "Don't know")."""
        return tuple(qid for qid in self.unanswered if self.questionnaire.by_id[qid].required)

    @property
    def provisional(self) -> bool:
        """True when a required answer is missing (`import --allow-incomplete`): the register is a draft
        to be finished, not a result; a strict check never lets such answers through."""
        return bool(self.missing_required)

    def says(self, wording: Wording) -> str:
        """A text that depends on the answers (such as who approves), in its wording for them."""
        return says(wording, set(self.asked), self.values)

    def escalation(self, sr: "ScoredRisk") -> str:
        """Who a risk goes to: the top rating goes highest, a breach of appetite next."""
        wording = self.questionnaire.scoring.escalation
        if sr.residual_rating.id == self.questionnaire.scoring.ratings[-1].id:
            return self.says(wording.top_rating)
        return self.says(wording.above_appetite if sr.breach else wording.within_appetite)

    def profile(self, name: str) -> str:
        """A profile answer as display text (`name`, `organisation`, `owner`, `phase`)."""
        qid = f"profile.{name}"
        value = self.values.get(qid)
        q = self.questionnaire.by_id.get(qid)
        if value is None or q is None:
            return ""
        return display(q, value)

    def counts(self, residual: bool = True) -> dict[str, int]:
        out = {b.id: 0 for b in self.questionnaire.scoring.ratings}
        for r in self.risks:
            out[(r.residual_rating if residual else r.rating).id] += 1
        return out

    def grid(self, residual: bool = True) -> Grid:
        """Risks per (likelihood, impact) cell: what a heat map shows (inherent when not `residual`)."""
        out: Grid = {}
        for r in self.risks:
            key = (r.residual_likelihood, r.residual_impact) if residual else (r.likelihood, r.impact)
            out[key] = out.get(key, 0) + 1
        return out

    def by_residual(self) -> list[ScoredRisk]:
        """Worst first; ties keep questionnaire order."""
        return sorted(self.risks, key=lambda r: (-r.residual_score, -r.score))

    def target_date(self, sr: ScoredRisk) -> str:
        """When a risk above appetite should be back within it: the latest due date of its must and
        should actions ("" for a risk within appetite)."""
        if not sr.breach:
            return ""
        dues = [a.due for a in self.actions if sr.risk.id in a.risks and a.priority in ("must", "should")]
        return max(dues) if dues else ""

    @property
    def breaches(self) -> list[ScoredRisk]:
        return [r for r in self.risks if r.breach]

    @property
    def outstanding_checks(self) -> list[CheckResult]:
        """Mandatory checks not yet done (a recommended check is not counted)."""
        return [c for c in self.checks if not c.done and c.mandatory]

    @property
    def next_review(self) -> str:
        return add_months(self.assessed_on, self.tier.level.review_months)


def display(q, value: Any) -> str:
    """An answer as a person reads it: choice labels, not ids."""
    if value is None:
        return ""
    if q.type in ("choice", "yesno"):
        c = q.choice(value)
        return c.label if c else str(value)
    if q.type == "multi":
        return "; ".join((q.choice(v).label if q.choice(v) else str(v)) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def factor(f: Factor, asked: set[str], values: dict[str, Any], top: int) -> tuple[int, list[str]]:
    """Base plus the points of every rule that holds, raised to any floor that holds, held to 1 to
    `top` (the scale's size, 5 on 5x5), with the reason for each step (the base's first, where the
    questionnaire gives one)."""
    value = f.base
    because: list[str] = [f"starts at {f.base}: {f.base_because}"] if f.base_because else []
    for rule in f.add:
        if raises(rule.when, asked, values):
            value += rule.amount
            because.append(rule.because)
    for rule in f.at_least:
        if raises(rule.when, asked, values) and rule.amount > value:
            value = rule.amount
            because.append(rule.because)
    return max(1, min(top, value)), because


def score_risk(qn: Questionnaire, risk: Risk, asked: set[str], values: dict[str, Any],
               appetite: Optional[dict[str, str]] = None) -> ScoredRisk:
    likelihood, why_l = factor(risk.likelihood, asked, values, qn.scoring.top_likelihood)
    impact, why_i = factor(risk.impact, asked, values, qn.scoring.top_impact)
    in_place = tuple(c for c in risk.controls if credits(c.when, asked, values))
    cut_l = sum(c.by for c in in_place if c.reduces in ("likelihood", "both"))
    cut_i = sum(c.by for c in in_place if c.reduces in ("impact", "both"))
    res_l, res_i = max(1, likelihood - cut_l), max(1, impact - cut_i)
    bands = qn.scoring
    because = tuple(f"Likelihood: {b}" for b in why_l) + tuple(f"Impact: {b}" for b in why_i)
    return ScoredRisk(
        risk=risk, likelihood=likelihood, impact=impact, rating=bands.band(likelihood * impact),
        residual_likelihood=res_l, residual_impact=res_i, residual_rating=bands.band(res_l * res_i),
        appetite=bands.appetite(risk.category, appetite), because=because, controls=in_place,
        unknowns=tuple(_unknowns(risk, asked, values)),
    )


def _unknowns(risk: Risk, asked: set[str], values: dict[str, Any]) -> list[str]:
    """Questions that shape this risk's score but were answered don't know or left blank."""
    return [qid for qid in _shaping(risk) if qid in asked and conditions.is_unknown(values.get(qid))]


_SHAPING: dict[int, tuple[Risk, tuple[str, ...]]] = {}  # id(risk) -> (risk, its shaping questions)


def _shaping(risk: Risk) -> tuple[str, ...]:
    """The questions this risk's conditions test (other than "answered"), first mention first.
    Worked out once per risk: a batch or a property test scores the same risks thousands of times.
    The risk itself is kept with its entry, so its id cannot be reused by another object."""
    entry = _SHAPING.get(id(risk))
    if entry is not None and entry[0] is risk:
        return entry[1]
    conds = [risk.when] + [r.when for r in risk.likelihood.add + risk.likelihood.at_least
                           + risk.impact.add + risk.impact.at_least] + [c.when for c in risk.controls]
    seen: dict[str, None] = {}
    for cond in conds:
        for test in conditions.tests(cond):
            if test.op != "answered":
                seen.setdefault(test.question)
    _SHAPING[id(risk)] = (risk, tuple(seen))
    return tuple(seen)


def derive_tier(qn: Questionnaire, risks: list[ScoredRisk], asked: set[str], values: dict[str, Any]) -> Tier:
    """The highest level of any tier rule that holds, with every reason for that level and what
    would stop each one holding."""
    scoring = qn.scoring
    holding = [rule for rule in scoring.tier_rules if _rule_holds(qn, rule, risks, asked, values)]
    level = max([rule.level for rule in holding], default=1)
    top = [rule for rule in holding if rule.level == level]
    reasons = tuple(rule.because for rule in top) or ("No rule for a higher tier applies to these answers.",)
    explained = tuple(_explain(qn, rule, risks, asked, values) for rule in top)
    without = max([rule.level for rule in holding if rule.level < level], default=1)
    tier = scoring.tier(level)
    return Tier(tier, reasons, explained, says(tier.approver, asked, values), without)


def _counted(qn: Questionnaire, rule: TierRule, risks: list[ScoredRisk]) -> list[ScoredRisk]:
    """The risks a rating or appetite rule counts: in its categories, at its rating, or in breach."""
    scoring = qn.scoring
    pool = [r for r in risks if not rule.categories or r.risk.category in rule.categories]
    if rule.residual_at_least is not None:
        floor = scoring.rank(rule.residual_at_least)
        pool = [r for r in pool if scoring.rank(r.residual_rating.id) >= floor]
    if rule.appetite_breaches_at_least is not None:
        pool = [r for r in pool if r.breach]
    return pool


def _rule_holds(qn: Questionnaire, rule: TierRule, risks: list[ScoredRisk], asked: set[str], values: dict[str, Any]) -> bool:
    if rule.when is not None and not raises(rule.when, asked, values):
        return False
    counted = _counted(qn, rule, risks)
    if rule.residual_at_least is not None and len(counted) < rule.count:
        return False
    if rule.appetite_breaches_at_least is not None and len(counted) < rule.appetite_breaches_at_least:
        return False
    return True


def _explain(qn: Questionnaire, rule: TierRule, risks: list[ScoredRisk], asked: set[str], values: dict[str, Any]) -> TierReason:
    """What makes a tier rule hold, and what would stop it holding, in words a board can act on."""
    parts: list[str] = []
    if rule.when is not None:
        facts = [qid for qid in dict.fromkeys(t.question for t in conditions.tests(rule.when)) if qid in asked]
        unknown = [qid for qid in facts if conditions.is_unknown(values.get(qid))]
        if unknown:
            parts.append("finding out the answer to " + ", ".join(unknown) + " (not known, so read cautiously) may lift it")
        known = [f"{qid}: {display(qn.by_id[qid], values[qid])}" for qid in facts if qid not in unknown]
        if known:
            parts.append("it follows from what the use case is (" + "; ".join(known) + "), so only a change to that moves it")
    if rule.residual_at_least is None and rule.appetite_breaches_at_least is None:
        return TierReason(rule.because, (), "; ".join(parts))
    counted = _counted(qn, rule, risks)
    need = rule.count if rule.residual_at_least is not None else rule.appetite_breaches_at_least or 1
    if rule.appetite_breaches_at_least is not None:
        goal, aim = (lambda sr: sr.appetite.max_score), "within appetite"
    else:
        floor = qn.scoring.ratings[qn.scoring.rank(rule.residual_at_least or "") - 1] if qn.scoring.rank(rule.residual_at_least or "") > 0 else None
        goal, aim = (lambda sr: floor.max if floor else 0), f"below {qn.scoring.ratings[qn.scoring.rank(rule.residual_at_least or '')].label}"
    fixes = [_remedy(sr, goal(sr), aim) for sr in sorted(counted, key=lambda r: (-r.residual_score, r.risk.id))]
    lift = len(counted) - need + 1
    lead = "bring it " + aim if len(counted) == 1 else f"bring {'all' if lift == len(counted) else f'at least {lift}'} of these {aim}"
    parts.append(f"{lead}: " + "; ".join(fixes))
    return TierReason(rule.because, tuple(sr.risk.id for sr in counted), "; ".join(parts))


def _remedy(sr: ScoredRisk, target: int, aim: str) -> str:
    """The controls not yet in place that would bring a risk's residual score to `target` or below
    (the strongest first), or that none would."""
    missing = sorted((c for c in sr.risk.controls if c not in sr.controls), key=lambda c: -c.by)
    cut_l = sum(c.by for c in sr.controls if c.reduces in ("likelihood", "both"))
    cut_i = sum(c.by for c in sr.controls if c.reduces in ("impact", "both"))
    chosen: list[Control] = []
    for control in missing:
        if max(1, sr.likelihood - cut_l) * max(1, sr.impact - cut_i) <= target:
            break
        chosen.append(control)
        cut_l += control.by if control.reduces in ("likelihood", "both") else 0
        cut_i += control.by if control.reduces in ("impact", "both") else 0
    head = f"{sr.risk.id} (residual {sr.residual_score}, {sr.appetite.label.lower()} appetite up to {sr.appetite.max_score})"
    if max(1, sr.likelihood - cut_l) * max(1, sr.impact - cut_i) > target:
        return (f"{head}: no control the questionnaire knows would bring it {aim}; treat it through its actions, "
                "or have the approver accept it")
    return f"{head}: " + ", ".join(_in_sentence(c.text) for c in chosen) + f" would bring it {aim}"


def _in_sentence(text: str) -> str:
    """A control's text inside a sentence: its capital dropped, unless it starts an acronym (DPIA)."""
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


# How soon a raised risk could happen, by the delivery phase (profile.phase), for the register's
# Proximity column. Two kinds of risk (docs/questionnaire-format.md, "Proximity"):
#   delivery risks, those the questionnaire ties to an NAO delivery barrier (skills, funding,
#   legacy IT, data access, ownership, process change), bite while the work is being built;
#   service risks, every other, arise once real people use the tool's outputs.
DELIVERY_PROXIMITY = {"idea": "3-6 months", "discovery": "Now", "alpha": "Now", "beta": "Now",
                      "live": "3-6 months"}
SERVICE_PROXIMITY = {"idea": "Over 12 months", "discovery": "6-12 months", "alpha": "3-6 months",
                     "beta": "Under 3 months", "live": "Now"}


def proximity(risk: Risk, phase: Any) -> str:
    """How soon `risk` could happen in `phase` (a profile.phase choice id): "Now", "Under 3
    months", "3-6 months", "6-12 months" or "Over 12 months"; "" (for the risk owner to set) when
    the phase is not answered or is not one of the five."""
    table = DELIVERY_PROXIMITY if risk.barrier else SERVICE_PROXIMITY
    return table.get(phase, "") if isinstance(phase, str) else ""


def add_months(iso: str, months: int) -> str:
    day = dt.date.fromisoformat(iso)
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d).isoformat()
        except ValueError:
            continue
    raise ValueError(iso)  # unreachable: day 28 exists in every month


def add_days(iso: str, days: int) -> str:
    return (dt.date.fromisoformat(iso) + dt.timedelta(days=days)).isoformat()


def assess(qn: Questionnaire, answers: Answers) -> Register:
    """Score checked answers (see `answers.check`) into a register."""
    plain = {qid: a.value for qid, a in answers.values.items()}
    seen = resolve(qn, plain)
    asked, values = set(seen.asked), seen.values
    assessed_on = answers.assessed_on or dt.date.today().isoformat()

    appetite = answers.appetite or None
    scored = [score_risk(qn, r, asked, values, appetite) for r in qn.risks if raises(r.when, asked, values)]
    checks = [CheckResult(c, credits(c.done_when, asked, values),
                          c.mandatory_when is None or raises(c.mandatory_when, asked, values),
                          says(c.basis, asked, values), says(c.action, asked, values))
              for c in qn.checks if raises(c.when, asked, values)]
    outstanding = {cr.check.id for cr in checks if not cr.done}
    done = {cr.check.id for cr in checks if cr.done}
    treats: dict[str, list[str]] = {}  # check id -> risks whose action is that check
    actions: list[RaisedAction] = []
    for sr in scored:
        for n, action in enumerate(sr.risk.actions, start=1):
            if not raises(action.when, asked, values) or action.check in done:
                continue
            if action.check in outstanding:
                treats.setdefault(action.check, []).append(sr.risk.id)
                continue
            actions.append(RaisedAction(f"{sr.risk.id}-A{n}", action.priority, action.text, action.source,
                                        (sr.risk.id,), "risk", add_days(assessed_on, ACTION_DAYS[action.priority])))
    find_out: dict[str, list[str]] = {}
    for sr in scored:
        for qid in sr.unknowns:
            find_out.setdefault(qid, []).append(sr.risk.id)
    for qid in (q.id for q in qn.questions if q.id in find_out):
        q = qn.by_id[qid]
        state = "was answered \"Don't know\"" if values.get(qid) is not None else "was not answered"
        actions.append(RaisedAction(
            f"FIND-{qid}", "should", f"Find out and record the answer to {qid} ({state}): {q.text}",
            q.sources[0], tuple(find_out[qid]), "find-out", add_days(assessed_on, ACTION_DAYS["should"])))
    for cr in checks:
        if not cr.done:
            priority = "must" if cr.mandatory else "should"
            actions.append(RaisedAction(f"CHECK-{cr.check.id}", priority, cr.action, cr.check.source,
                                        tuple(treats.get(cr.check.id, ())), "check", add_days(assessed_on, ACTION_DAYS[priority])))
    actions.sort(key=lambda a: PRIORITY_ORDER[a.priority])  # stable: questionnaire order within a priority
    barriers = [BarrierResult(b, raises(b.when, asked, values) if b.when is not None else False) for b in qn.barriers]
    unanswered = tuple(qid for qid in seen.asked if qid not in values)
    return Register(
        questionnaire=qn, answers=answers, asked=tuple(seen.asked), values=values, dropped=tuple(seen.dropped),
        unanswered=unanswered, risks=tuple(scored), actions=tuple(actions), checks=tuple(checks),
        barriers=tuple(barriers), tier=derive_tier(qn, scored, asked, values), assessed_on=assessed_on,
        notes={qid: a.note for qid, a in answers.values.items() if a.note and qid in asked},
        appetite_source=answers.appetite_source if answers.appetite else "",
    )
