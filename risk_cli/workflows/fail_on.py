"""--fail-on: the rating a person named, checked against a questionnaire's ratings, and the risks
that reach it. One home for assess and batch, so the option means the same to both."""

from __future__ import annotations

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
