"""`risk-cli assess` on a rated questionnaire: each raised risk with its rating and its
must/should/could steps as text, or the full result as JSON."""

from __future__ import annotations

from typing import Any

from risk_cli.model.rated import PRIORITIES, Outcome
from risk_cli.model.text import in_language
from risk_cli.output import points as points_view
from risk_cli.output.formats import Formats


def summary_text(outcome: Outcome, lang: str = "en") -> str:
    qn = outcome.questionnaire
    lines = [f"{in_language(qn.title, lang)} ({qn.label}), rated model",
             f"  Overall: {in_language(outcome.overall.label, lang)}"]
    for r in outcome.risks:
        lines.append(f"  [{in_language(r.rating.label, lang)}] {r.risk.id}: {in_language(r.risk.title, lang)}")
        for priority in PRIORITIES:
            for step in r.steps:
                if step.priority == priority:
                    lines.append(f"    {priority.capitalize()}: {in_language(step.text, lang)}")
    if not outcome.risks:
        lines.append("  No risk raised")
    if outcome.not_raised:
        lines.append(f"  Not raised: {', '.join(outcome.not_raised)}")
    lines.extend(points_view.answer_gaps(outcome))
    return "\n".join(lines)


FORMATS: Formats[Any] = points_view.formats(summary_text)
