"""--fail-on: the rating a person named, checked against a questionnaire's ratings, and the risks
that reach it. One home for assess and batch, so the option means the same to both."""

from __future__ import annotations

from typing import Any

from risk_cli.errors import RiskCliError
from risk_cli.model.questionnaire import Questionnaire
from risk_cli.model.scoring import Register


def rating_id(qn: Questionnaire, text: str) -> str:
    """Accept a rating by id or label, any case."""
    for band in qn.scoring.ratings:
        if text.lower() in (band.id.lower(), band.label.lower()):
            return band.id
    allowed = ", ".join(b.id for b in qn.scoring.ratings)
    raise RiskCliError(f"--fail-on: '{text}' is not a rating of {qn.label} (ratings: {allowed})")


def reaches(register: Register, rating: str) -> list[str]:
    """Risk ids whose residual rating is `rating` or worse."""
    scoring = register.questionnaire.scoring
    floor = scoring.rank(rating)
    return [r.risk.id for r in register.risks if scoring.rank(r.residual_rating.id) >= floor]


# -- format 2 (docs/questionnaire-format.md): a rated questionnaire is judged by its own ratings, a
# points questionnaire by its impact levels; each by id or label, any case, as for format 1.

def format_2_threshold(qn: Any, text: str) -> str:
    """--fail-on for a format-2 questionnaire: the id of one of its ratings (rated model) or of
    one of its levels (points model); RiskCliError saying which it offers otherwise."""
    from risk_cli.model.text import english

    rated = hasattr(qn, "ratings")
    choices = qn.ratings if rated else qn.levels
    for choice in choices:
        if text.lower() in (choice.id.lower(), english(choice.label).lower()):
            return choice.id
    what, article = ("rating", "a") if rated else ("impact level", "an")
    allowed = ", ".join(c.id for c in choices)
    raise RiskCliError(f"--fail-on: '{text}' is not {article} {what} of {qn.label} ({qn.model} model; "
                       f"{what}s: {allowed})")


def format_2_reaches(outcome: Any, threshold: str) -> list[str]:
    """The risk ids rated `threshold` or higher (rated model; ratings are listed highest first),
    or the level reached when it is `threshold` or higher (points model; levels lowest first)."""
    qn = outcome.questionnaire
    if hasattr(qn, "ratings"):
        floor = qn.rank(threshold)
        return [r.risk.id for r in outcome.risks if qn.rank(r.rating.id) <= floor]
    order = [lv.id for lv in qn.levels]
    return [f"level {outcome.level.id}"] if order.index(outcome.level.id) >= order.index(threshold) else []
