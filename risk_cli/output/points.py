"""`risk-cli assess` on a points questionnaire: a short text summary, or the result as JSON."""

from __future__ import annotations

from typing import Any, Callable

from risk_cli.model.points import Outcome, in_language, unanswered_note
from risk_cli.output.formats import Formats, OutputFormat, Rendering, json_document


def _n(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def summary_text(outcome: Outcome, lang: str = "en") -> str:
    qn = outcome.questionnaire
    lines = [f"{in_language(qn.title, lang)} ({qn.label}), points model"]
    for t in qn.totals:
        lines.append(f"  {in_language(t.label, lang)}: {outcome.totals[t.id]} of {_n(outcome.maximums[t.id])}")
    for a in outcome.applied:
        adj = a.adjustment
        lines.append(f"  Adjustment: {adj.when_total} reached {a.share:.0%} of its maximum (at least "
                     f"{adj.at_least_share:.0%}), so {adj.total} x {adj.multiply:g}: {_n(a.before)} -> {_n(a.after)}")
    if not outcome.applied and qn.adjustments:
        lines.append("  Adjustment: none applied")
    lines.append(f"  Score: {_n(outcome.score)} of {_n(outcome.maximums[qn.score_total])}")
    lines.append(f"  Level: {in_language(outcome.level.label, lang)}")
    lines.extend(answer_gaps(outcome))
    return "\n".join(lines)


def answer_gaps(outcome: Any) -> list[str]:
    """The summary lines, in either model, for answers not counted and questions not answered."""
    lines = []
    if outcome.not_counted:
        lines.append(f"  Not counted (answered but not shown): {', '.join(outcome.not_counted)}")
    if outcome.unanswered:
        lines.append(f"  {unanswered_note(outcome.unanswered)}")
    return lines


def result_json(outcome: Any, lang: str = "en") -> str:
    """The outcome's `to_dict(lang)` as JSON (any format-2 model's outcome)."""
    return json_document(outcome.to_dict(lang))


def formats(summary: Callable[[Any, str], str]) -> Formats[Any]:
    """text (`summary` of the outcome, in the result's language) and json: the renderings of a
    format-2 model's result."""
    return Formats(
        Rendering("text", OutputFormat.TEXT, lambda result: summary(result.outcome, result.lang), "a summary for people"),
        Rendering("json", OutputFormat.JSON, lambda result: result_json(result.outcome, result.lang),
                  "the full result on stdout for pipelines"),
    )


FORMATS: Formats[Any] = formats(summary_text)
