"""Reading what answers can raise: `barriers`, `checks` and `risks` (with their scoring rules,
controls and actions)."""

from __future__ import annotations

from typing import Optional

from risk_cli.catalogue.fields import CHOICE_ID, RISK_ID, Fields, Path_
from risk_cli.model.questionnaire import (
    PRIORITIES, REDUCES, Action, Barrier, Check, Control, Factor, Risk, ScoreRule, Scoring,
)


def read_barriers(f: Fields, top: dict) -> list[Barrier]:
    out = []
    seen: dict[str, Path_] = {}
    for p, item in f.items(top, "barriers", (), required=False):
        b = f.mapping(item, p, ("id", "title", "nao_share", "source"), ("nao_share_value", "when"))
        if b is None:
            continue
        barrier = Barrier(f.text(b, "id", p, pattern=CHOICE_ID, what="barrier id"), f.text(b, "title", p),
                          f.text(b, "nao_share", p), f.text(b, "source", p), f.condition(b, "when", p),
                          f.number(b, "nao_share_value", p))
        f.unique(seen, barrier.id, p + ("id",), "barrier")
        f.source_ref(barrier.source, p + ("source",))
        if barrier.nao_share_value is not None and not 0 <= barrier.nao_share_value <= 100:
            f.error(p + ("nao_share_value",), "nao_share_value is a percentage from 0 to 100")
        out.append(barrier)
    return out


def read_checks(f: Fields, top: dict) -> list[Check]:
    out = []
    seen: dict[str, Path_] = {}
    for p, item in f.items(top, "checks", (), required=False):
        c = f.mapping(item, p, ("id", "title", "basis", "source", "action"), ("when", "done_when", "mandatory_when"))
        if c is None:
            continue
        check = Check(f.text(c, "id", p, pattern=CHOICE_ID, what="check id"), f.text(c, "title", p),
                      f.wording(c, "basis", p), f.text(c, "source", p), f.wording(c, "action", p),
                      f.condition(c, "when", p), f.condition(c, "done_when", p), f.condition(c, "mandatory_when", p))
        f.unique(seen, check.id, p + ("id",), "check")
        f.source_ref(check.source, p + ("source",))
        out.append(check)
    return out


def read_risks(f: Fields, top: dict, scoring: Optional[Scoring], barrier_ids: set[str], checks: list[Check]) -> list[Risk]:
    out = []
    seen: dict[str, Path_] = {}
    category_ids = {c.id for c in scoring.categories} if scoring else set()
    tops = (scoring.top_likelihood or 5, scoring.top_impact or 5) if scoring else (5, 5)
    for p, item in f.items(top, "risks", ()):
        r = f.mapping(item, p, ("id", "category", "subcategory", "title", "description", "likelihood", "impact", "actions"),
                      ("owner", "barrier", "references", "when", "controls"))
        if r is None:
            continue
        rid = f.text(r, "id", p, pattern=RISK_ID, what="risk id (such as AI-DAT-001)")
        f.unique(seen, rid, p + ("id",), "risk")
        category = f.text(r, "category", p)
        if scoring and category and category not in category_ids:
            f.error(p + ("category",), f"unknown category '{category}' (categories: {', '.join(sorted(category_ids))})")
        description = f.text(r, "description", p)
        low = " ".join(description.lower().split())
        if description and not (low.startswith("because") and "there is a risk that" in low and "resulting in" in low):
            f.error(p + ("description",), "write the description as cause, event, effect: 'Because ..., there is a risk that ..., resulting in ...'")
        barrier = f.text(r, "barrier", p, default="")
        if barrier and barrier not in barrier_ids:
            f.error(p + ("barrier",), f"unknown barrier '{barrier}'")
        out.append(Risk(
            id=rid, category=category, subcategory=f.text(r, "subcategory", p), title=f.text(r, "title", p),
            description=description, likelihood=_factor(f, r, "likelihood", p, tops[0]), impact=_factor(f, r, "impact", p, tops[1]),
            actions=_actions(f, r, p, checks), controls=_controls(f, r, p), when=f.condition(r, "when", p),
            owner=f.text(r, "owner", p, default=""), barrier=barrier, references=f.strings(r, "references", p),
        ))
    return out


def _factor(f: Fields, raw: dict, key: str, path: Path_, top: int) -> Factor:
    """A likelihood or impact rule set on a scale of `top` levels: base and floors on the scale,
    points up to one less than its size (1 to 4 on five levels)."""
    p = path + (key,)
    m = f.mapping(raw.get(key), p, ("base",), ("add", "at_least", "base_because")) if key in raw else None
    if m is None:
        return Factor(1)
    add = []
    for rp, r in f.items(m, "add", p, required=False):
        rule = f.mapping(r, rp, ("when", "points", "because"))
        if rule is not None:
            add.append(ScoreRule(f.condition(rule, "when", rp), f.integer(rule, "points", rp, 1, top - 1), f.text(rule, "because", rp)))
    floors = []
    for rp, r in f.items(m, "at_least", p, required=False):
        rule = f.mapping(r, rp, ("when", "value", "because"))
        if rule is not None:
            floors.append(ScoreRule(f.condition(rule, "when", rp), f.integer(rule, "value", rp, 1, top), f.text(rule, "because", rp)))
    return Factor(f.integer(m, "base", p, 1, top), tuple(add), tuple(floors), f.text(m, "base_because", p, default=""))


def _controls(f: Fields, r: dict, path: Path_) -> tuple[Control, ...]:
    controls = []
    for cp, c in f.items(r, "controls", path, required=False):
        m = f.mapping(c, cp, ("when", "text", "reduces", "by"))
        if m is None:
            continue
        reduces = f.text(m, "reduces", cp)
        if reduces and reduces not in REDUCES:
            f.error(cp + ("reduces",), f"'reduces' is one of {', '.join(REDUCES)}")
        when = f.condition(m, "when", cp)
        controls.append(Control(when, f.text(m, "text", cp), reduces, f.integer(m, "by", cp, 1, 2)))  # type: ignore[arg-type]
    return tuple(controls)


def _actions(f: Fields, r: dict, path: Path_, checks: list[Check]) -> tuple[Action, ...]:
    actions = []
    for ap, a in f.items(r, "actions", path):
        if isinstance(a, dict) and "check" in a:
            m = f.mapping(a, ap, ("check",), ("when",))
            check = f.text(m, "check", ap) if m is not None else ""
            found = next((c for c in checks if c.id == check), None)
            if check and found is None:
                f.error(ap + ("check",), f"unknown check '{check}'")
            elif found is not None and m is not None:
                actions.append(Action("must", found.action.default, found.source, f.condition(m, "when", ap), check))
            continue
        m = f.mapping(a, ap, ("priority", "text", "source"), ("when",))
        if m is None:
            continue
        priority = f.text(m, "priority", ap)
        if priority and priority not in PRIORITIES:
            f.error(ap + ("priority",), f"priority is one of {', '.join(PRIORITIES)}")
        source = f.text(m, "source", ap)
        f.source_ref(source, ap + ("source",))
        actions.append(Action(priority, f.text(m, "text", ap), source, f.condition(m, "when", ap)))
    return tuple(actions)
