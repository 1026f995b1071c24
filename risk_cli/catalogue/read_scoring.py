"""Reading a questionnaire's `scoring` section: scales, rating bands, appetite, categories,
escalation wording and assurance tiers."""

from __future__ import annotations

from typing import Any, Optional

from risk_cli.catalogue.fields import CHOICE_ID, COLOUR, Fields, Path_
from risk_cli.model.questionnaire import (
    AppetiteLevel, Band, Category, Escalation, ScaleLevel, Scoring, TierLevel, TierRule,
)

MIN_LEVELS, MAX_LEVELS = 2, 10  # a scale's size: the Orange Book's five is the usual one
ESCALATION_KEYS = ("top_rating", "above_appetite", "within_appetite")


def read_scoring(f: Fields, raw: Any) -> Optional[Scoring]:
    path: Path_ = ("scoring",)
    m = f.mapping(raw, path, ("likelihood", "impact", "ratings", "appetite_levels", "categories", "tiers"), ("escalation",))
    if m is None:
        return None
    scales = {name: _scale(f, m, name, path) for name in ("likelihood", "impact")}
    sizes = (_size(scales["likelihood"]), _size(scales["impact"]))
    bands = _bands(f, m, path, sizes)
    appetite_levels = _appetite_levels(f, m, path, sizes)
    categories: list[Category] = []
    seen: dict[str, Path_] = {}
    for p, item in f.items(m, "categories", path):
        c = f.mapping(item, p, ("id", "label", "appetite"))
        if c is None:
            continue
        cat = Category(f.text(c, "id", p, pattern=CHOICE_ID, what="id"), f.text(c, "label", p), f.text(c, "appetite", p))
        f.unique(seen, cat.id, p + ("id",), "category")
        if cat.appetite and cat.appetite not in {a.id for a in appetite_levels}:
            f.error(p + ("appetite",), f"unknown appetite level '{cat.appetite}'")
        categories.append(cat)
    f.rating_ids = [b.id for b in bands]
    tier_levels, tier_rules = _tiers(f, m.get("tiers"), path + ("tiers",), {c.id for c in categories})
    escalation = _escalation(f, m, path) if "escalation" in m else Escalation()
    if "tiers" not in m:
        return None
    return Scoring(scales["likelihood"], scales["impact"], tuple(bands), tuple(appetite_levels),
                   tuple(categories), tuple(tier_levels), tuple(tier_rules), escalation)


def possible_scores(likelihood_levels: int, impact_levels: int) -> list[int]:
    """Every score likelihood x impact can take on scales of these sizes (1 to 25 has 14 on 5x5)."""
    return sorted({li * im for li in range(1, likelihood_levels + 1) for im in range(1, impact_levels + 1)})


def _size(levels: tuple[ScaleLevel, ...]) -> int:
    """The scale's size for checking bands and risks: its levels, held to the sizes allowed (its
    own error says so), or five when it has none to count."""
    return max(MIN_LEVELS, min(MAX_LEVELS, len(levels))) if levels else 5


def _scale(f: Fields, m: dict, name: str, path: Path_) -> tuple[ScaleLevel, ...]:
    levels = []
    entries = f.items(m, name, path)
    if entries and not MIN_LEVELS <= len(entries) <= MAX_LEVELS:
        f.error(path + (name,), f"'{name}' must have {MIN_LEVELS} to {MAX_LEVELS} levels (it has {len(entries)})")
    top = max(MIN_LEVELS, min(MAX_LEVELS, len(entries)))
    for i, (p, item) in enumerate(entries):
        s = f.mapping(item, p, ("value", "label"), ("description",))
        if s is None:
            continue
        value = f.integer(s, "value", p, 1, top)
        if value != i + 1:
            f.error(p + ("value",), f"levels must be 1 to {top} in order; expected {i + 1}")
        levels.append(ScaleLevel(value, f.text(s, "label", p), f.text(s, "description", p, default="")))
    return tuple(levels)


MAX_RATING_LABEL = 40  # a rating label is a word or two ("Very high"); it goes into a formula


def _bands(f: Fields, m: dict, path: Path_, sizes: tuple[int, int]) -> list[Band]:
    """The rating bands, each score the scales can give in exactly one."""
    bands: list[Band] = []
    seen: dict[str, Path_] = {}
    for p, item in f.items(m, "ratings", path):
        b = f.mapping(item, p, ("id", "label", "min", "max", "colour"))
        if b is None:
            continue
        band = Band(f.text(b, "id", p, pattern=CHOICE_ID, what="id"), f.text(b, "label", p),
                    _score(f, b, "min", p, sizes), _score(f, b, "max", p, sizes),
                    f.text(b, "colour", p, pattern=COLOUR, what="colour (six hex digits, e.g. FFC000)").upper())
        f.unique(seen, band.id, p + ("id",), "rating")
        if '"' in band.label or len(band.label) > MAX_RATING_LABEL:
            f.error(p + ("label",), f"a rating label is written into the register's colour rules, so it must be at most "
                                    f"{MAX_RATING_LABEL} characters with no double quote")
        if band.min > band.max:
            f.error(p, f"min {band.min} is above max {band.max}")
        if bands and band.min <= bands[-1].max:
            f.error(p + ("min",), "rating bands must be in increasing order without overlap")
        bands.append(band)
    if bands:
        for score in possible_scores(*sizes):
            holders = [b.id for b in bands if b.min <= score <= b.max]
            if len(holders) != 1:
                f.error(path + ("ratings",), f"score {score} is in {len(holders)} rating bands; it must be in exactly one")
    return bands


def _score(f: Fields, raw: dict, key: str, path: Path_, sizes: tuple[int, int]) -> int:
    """A score in a band or an appetite level: 1 to the highest the scales give (25 on 5x5)."""
    top = sizes[0] * sizes[1]
    value = raw.get(key)
    if type(value) is int and value > top:
        f.error(path + (key,), f"'{key}' is {value}; scores on a {sizes[0]}-level likelihood and a {sizes[1]}-level "
                               f"impact scale run from 1 to {top}")
        return top
    return f.integer(raw, key, path, 1, top)


def _appetite_levels(f: Fields, m: dict, path: Path_, sizes: tuple[int, int]) -> list[AppetiteLevel]:
    levels: list[AppetiteLevel] = []
    seen: dict[str, Path_] = {}
    for p, item in f.items(m, "appetite_levels", path):
        a = f.mapping(item, p, ("id", "label", "max_score"))
        if a is None:
            continue
        level = AppetiteLevel(f.text(a, "id", p, pattern=CHOICE_ID, what="id"), f.text(a, "label", p),
                              _score(f, a, "max_score", p, sizes))
        f.unique(seen, level.id, p + ("id",), "appetite level")
        if levels and level.max_score <= levels[-1].max_score:
            f.error(p + ("max_score",), "appetite levels must be in increasing order of max_score")
        levels.append(level)
    return levels


def _escalation(f: Fields, m: dict, path: Path_) -> Escalation:
    p = path + ("escalation",)
    e = f.mapping(m["escalation"], p, ESCALATION_KEYS)
    if e is None:
        return Escalation()
    return Escalation(*(f.wording(e, key, p) for key in ESCALATION_KEYS))


def _tiers(f: Fields, raw: Any, path: Path_, category_ids: set[str]) -> tuple[list[TierLevel], list[TierRule]]:
    m = f.mapping(raw, path, ("levels", "rules"))
    levels: list[TierLevel] = []
    rules: list[TierRule] = []
    if m is None:
        return levels, rules
    for i, (p, item) in enumerate(f.items(m, "levels", path)):
        t = f.mapping(item, p, ("level", "label", "approver", "assessments", "review_months"))
        if t is None:
            continue
        level = f.integer(t, "level", p, 1, 9)
        if level != i + 1:
            f.error(p + ("level",), f"tier levels must be consecutive from 1; expected {i + 1}")
        levels.append(TierLevel(level, f.text(t, "label", p), f.wording(t, "approver", p),
                                f.strings(t, "assessments", p, required=True), f.integer(t, "review_months", p, 1, 60)))
    for p, item in f.items(m, "rules", path, required=False):
        r = f.mapping(item, p, ("level", "because"),
                      ("when", "residual_at_least", "count", "appetite_breaches_at_least", "categories"))
        if r is None:
            continue
        categories = f.strings(r, "categories", p)
        for j, cid in enumerate(categories):
            if cid not in category_ids:
                f.error(p + ("categories", j), f"unknown category '{cid}' (categories: {', '.join(sorted(category_ids))})")
        rule = TierRule(
            level=f.integer(r, "level", p, 1, max(1, len(levels))),
            because=f.text(r, "because", p),
            when=f.condition(r, "when", p),
            residual_at_least=f.text(r, "residual_at_least", p) or None if "residual_at_least" in r else None,
            count=f.integer(r, "count", p, 1, 1000, default=1),
            appetite_breaches_at_least=f.integer(r, "appetite_breaches_at_least", p, 1, 1000) if "appetite_breaches_at_least" in r else None,
            categories=categories,
        )
        if rule.residual_at_least and rule.residual_at_least not in f.rating_ids:
            f.error(p + ("residual_at_least",), f"unknown rating '{rule.residual_at_least}' (ratings: {', '.join(f.rating_ids)})")
        if "count" in r and "residual_at_least" not in r:
            f.error(p + ("count",), "'count' goes with 'residual_at_least'")
        if "categories" in r and not any(k in r for k in ("residual_at_least", "appetite_breaches_at_least")):
            f.error(p + ("categories",), "'categories' goes with 'residual_at_least' or 'appetite_breaches_at_least'")
        if not any(k in r for k in ("when", "residual_at_least", "appetite_breaches_at_least")):
            f.error(p, "a tier rule needs at least one of when, residual_at_least, appetite_breaches_at_least")
        rules.append(rule)
    return levels, rules
