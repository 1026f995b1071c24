"""Checks over a whole questionnaire once every part has been read: what no single field shows.

Errors: a risk no answers can raise, and scoring that a declared `risk_order` contradicts (a
riskier answer would lower a score or the tier). Warnings: questions nothing uses, risks raised
whatever the answers, scores without a reason, and risks that no controls can bring within their
category's appetite.
"""

from __future__ import annotations

import itertools
from typing import Any, Iterator, Optional

from risk_cli.catalogue.fields import Fields, Path_
from risk_cli.errors import Problem
from risk_cli.model import conditions
from risk_cli.model.conditions import Condition
from risk_cli.model.questionnaire import Control, Factor, Questionnaire


def lint(f: Fields, qn: Questionnaire) -> None:
    reachability(f, qn)
    risk_order(f, qn)
    unused_questions(f, qn)
    reasons(f, qn)
    attainable_appetite(f, qn)


def reachability(f: Fields, qn: Questionnaire) -> None:
    """A risk that no answers can raise is an error: it is dead content."""
    for i, risk in enumerate(qn.risks):
        if risk.when is not None and not _satisfiable(qn, risk.when):
            f.error(("risks", i, "when"), f"risk {risk.id} can never be raised: no answers satisfy its condition")


def _scoring_conditions(qn: Questionnaire) -> Iterator[tuple[Path_, Optional[Condition], bool, str]]:
    """Every condition that moves a score or the tier: (path, condition, raises, what it moves).
    `raises`: the condition holding makes things worse (False for a control, which makes them better)."""
    for i, rule in enumerate(qn.scoring.tier_rules):
        yield ("scoring", "tiers", "rules", i, "when"), rule.when, True, "the tier"
    for i, risk in enumerate(qn.risks):
        what = f"{risk.id}'s score"
        yield ("risks", i, "when"), risk.when, True, f"{risk.id} (it would no longer be raised)"
        for key, factor in (("likelihood", risk.likelihood), ("impact", risk.impact)):
            for kind, rules in (("add", factor.add), ("at_least", factor.at_least)):
                for j, rule in enumerate(rules):
                    yield ("risks", i, key, kind, j, "when"), rule.when, True, what
        for j, control in enumerate(risk.controls):
            yield ("risks", i, "controls", j, "when"), control.when, False, f"{risk.id}'s residual score"


def risk_order(f: Fields, qn: Questionnaire) -> None:
    """With choices ordered from least to most risky, a test that makes things worse must hold for
    every choice riskier than one it holds for; a control's test, for every choice less risky."""
    for path, cond, raising, what in _scoring_conditions(qn):
        for test, positive in conditions.polarities(cond):
            q = qn.by_id.get(test.question)
            if q is None or not q.risk_order or test.op not in ("equals", "in"):
                continue
            holds = set(test.value) if isinstance(test.value, tuple) else {test.value}
            worsens = positive == raising  # the test holding makes things worse
            order = q.risk_order
            for a, b in itertools.combinations(range(len(order)), 2):  # order[a] is less risky than order[b]
                safer, riskier = order[a], order[b]
                if (safer in holds and riskier not in holds) if worsens else (riskier in holds and safer not in holds):
                    f.error(path, f"treats {q.id} = {safer} as worse than {riskier}, which risk_order says is riskier: "
                                  f"a riskier answer would lower {what}")
                    break


def unused_questions(f: Fields, qn: Questionnaire) -> None:
    used: set[str] = set()
    conds: list[Optional[Condition]] = [s.when for s in qn.sections] + [q.when for q in qn.questions]
    conds += [b.when for b in qn.barriers] + [c.when for c in qn.checks] + [c.done_when for c in qn.checks]
    conds += [c.mandatory_when for c in qn.checks] + [t.when for t in qn.scoring.tier_rules]
    for r in qn.risks:
        conds += [r.when] + [x.when for x in r.likelihood.add + r.likelihood.at_least + r.impact.add + r.impact.at_least]
        conds += [c.when for c in r.controls] + [a.when for a in r.actions]
    for _, parts in (qn.atrs.fields if qn.atrs else ()):
        conds += [part.when for part in parts]
        used.update(q for part in parts for q in part.placeholders)
    for cond in conds:
        used.update(t.question for t in conditions.tests(cond))
    for q in qn.questions:
        if q.id not in used and q.type not in ("text", "date"):
            f.warnings.append(Problem(f.doc.file, "is not used by any condition, risk, check, barrier, tier rule or ATRS field",
                                      where=f"question {q.id}"))


def reasons(f: Fields, qn: Questionnaire) -> None:
    """A person reading the register should see why each risk is raised and why it starts where it does."""
    for i, risk in enumerate(qn.risks):
        if risk.when is None:
            f.warn(("risks", i), f"{risk.id} has no 'when', so it is raised for every use case whatever the answers; "
                                 "say which answers show its cause is present")
        missing = [key for key, factor in (("likelihood", risk.likelihood), ("impact", risk.impact)) if not factor.base_because]
        if missing:
            f.warn(("risks", i, missing[0]), f"{risk.id} has no 'base_because' for its {' or '.join(missing)}: "
                                             "say why each starts where it does, so every score has a reason")


def attainable_appetite(f: Fields, qn: Questionnaire) -> None:
    """With every control a risk lists in place, and the worst that its other answers allow, its
    residual score should be within its category's appetite; if not, no team can bring it there."""
    scoring = qn.scoring
    for i, risk in enumerate(qn.risks):
        if not risk.controls:
            continue
        asked, values = _with_controls(qn, risk.controls)
        likelihood = _worst(risk.likelihood, asked, values, scoring.top_likelihood)
        impact = _worst(risk.impact, asked, values, scoring.top_impact)
        in_place = [c for c in risk.controls if conditions.evaluate(c.when, asked, values) is True]
        cut_l = sum(c.by for c in in_place if c.reduces in ("likelihood", "both"))
        cut_i = sum(c.by for c in in_place if c.reduces in ("impact", "both"))
        residual = max(1, likelihood - cut_l) * max(1, impact - cut_i)
        appetite = scoring.appetite(risk.category)
        if residual > appetite.max_score:
            f.warn(("risks", i, "controls"),
                   f"{risk.id} can never be within its {risk.category} appetite ({appetite.label}, up to "
                   f"{appetite.max_score}): at worst its residual score is {residual} even with every control in place "
                   "(add a control that lowers impact where one exists, or review the appetite)")


def _with_controls(qn: Questionnaire, controls: tuple[Control, ...]) -> tuple[set[str], dict[str, Any]]:
    """Answers under which the controls hold where they can (the safest choice that satisfies each
    test); every other question is asked and unknown, which counts against the risk."""
    asked = {q.id for q in qn.questions}
    values: dict[str, Any] = {}
    for control in controls:
        for test, positive in conditions.polarities(control.when):
            q = qn.by_id.get(test.question)
            if q is None or test.op == "answered":
                continue
            if q.type in ("choice", "yesno") and test.question not in values:
                holds = set(test.value) if isinstance(test.value, tuple) else {test.value}
                wanted = [c for c in (q.risk_order or q.choice_ids) if (c in holds) == positive and c != conditions.DONT_KNOW]
                if wanted:
                    values[test.question] = wanted[0]
            elif q.type == "multi" and positive:
                chosen = values.setdefault(test.question, [])
                for v in (test.value if isinstance(test.value, tuple) else (test.value,)):
                    if v not in chosen:
                        chosen.append(v)
            elif q.type == "number" and test.question not in values and test.op in ("at_least", "at_most", "equals"):
                values[test.question] = test.value
    return asked, values


def _worst(factor: Factor, asked: set[str], values: dict[str, Any], top: int) -> int:
    value = factor.base
    for rule in factor.add:
        if conditions.evaluate(rule.when, asked, values) is not False:
            value += rule.amount
    for rule in factor.at_least:
        if conditions.evaluate(rule.when, asked, values) is not False:
            value = max(value, rule.amount)
    return max(1, min(top, value))


def _satisfiable(qn: Questionnaire, cond: Condition, limit: int = 4096) -> bool:
    """Try the answers that matter to `cond`; unknown counts as raising, as in scoring."""
    names = sorted({t.question for t in conditions.tests(cond)})
    options: list[list[Any]] = []
    for name in names:
        q = qn.by_id[name]
        vals: list[Any] = ["__not_asked__"]
        if q.type in ("choice", "yesno"):
            vals += list(q.choice_ids)
        elif q.type == "multi":
            vals += [[c] for c in q.choice_ids] + [list(q.choice_ids)]
        else:
            targets = [t.value for t in conditions.tests(cond) if t.question == name and t.op != "answered"]
            vals += targets + [t + 1 for t in targets if isinstance(t, (int, float))] + [t - 1 for t in targets if isinstance(t, (int, float))] + ["__other__"]
        if not q.required:
            vals.append(None)
        options.append(vals)
    combos = 1
    for vals in options:
        combos *= len(vals)
    if combos > limit:
        return True  # too many to try: assume reachable
    for combo in itertools.product(*options):
        asked = {n for n, v in zip(names, combo) if v != "__not_asked__"}
        values = {n: v for n, v in zip(names, combo) if v not in ("__not_asked__",)}
        if conditions.evaluate(cond, asked, values) is not False:
            return True
    return False

