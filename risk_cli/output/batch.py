"""A batch as people and pipelines see it: the closing summary, or one JSON line per input."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

from risk_cli.errors import one_line
from risk_cli.output.formats import Formats, OutputFormat, Rendering, json_lines

if TYPE_CHECKING:
    from risk_cli.workflows.batch import Outcome, Result


def record(r: "Result") -> dict[str, Any]:
    """The JSON line for one input: stable keys, rating ids rather than labels. A format-2 input's
    line has `model` ("rated" or "points") and that model's result in place of the tier, the 5x5
    counts and the appetite (format_2_record); a format-1 line has no `model`."""
    if r.ok and r.model:
        return format_2_record(r)
    return {
        "file": r.file, "status": r.status, "kind": r.kind, "problems": list(r.problems),
        "warnings": list(r.warnings), "register": r.register or None,
        "questionnaire": r.questionnaire or None, "use_case": r.use_case, "organisation": r.organisation,
        "tier": None if r.tier_level is None else {"level": r.tier_level, "label": r.tier},
        "residual_counts": {band[0]: n for band, n in zip(r.ratings, r.residual)},
        "risks": r.risks,
        "worst": None if r.worst_score is None else {"id": r.worst_id, "score": r.worst_score, "rating": r.worst_rating},
        "appetite_breaches": len(r.breaches), "breach_ids": list(r.breaches),
        "fail_on_hits": list(r.fail_on_hits), "atrs_records": list(r.records),
    }


def format_2_record(r: "Result") -> dict[str, Any]:
    """The JSON line of a format-2 input: rated gives the overall rating, the risks at each rating
    and those at the highest; points the impact level, the score, its maximum and the discount."""
    out: dict[str, Any] = {
        "file": r.file, "status": r.status, "kind": r.kind, "model": r.model, "problems": list(r.problems),
        "warnings": list(r.warnings), "register": r.register or None, "questionnaire": r.questionnaire or None,
        "use_case": r.use_case, "language": r.language,
    }
    if r.model == "rated":
        out.update({"overall": {"id": r.overall[0], "label": r.overall[1]},
                    "rating_counts": {rid: n for rid, _, n in r.rated}, "risks": r.risks,
                    "highest": list(r.highest)})
    else:
        out.update({"level": {"id": r.level[0], "label": r.level[1]}, "score": _number(r.score),
                    "maximum": _number(r.maximum), "discount_applied": r.discount})
    out.update({"fail_on_hits": list(r.fail_on_hits), "atrs_records": list(r.records)})
    return out


def _number(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def model_counts(results: Sequence["Result"]) -> list[str]:
    """What the format-2 inputs came to, for the closing summary: overall ratings and impact levels."""
    rated: dict[str, int] = {}
    levels: dict[str, int] = {}
    for r in results:
        if r.ok and r.model == "rated":
            rated[r.overall[1]] = rated.get(r.overall[1], 0) + 1
        elif r.ok and r.model == "points":
            levels[r.level[1]] = levels.get(r.level[1], 0) + 1
    lines = []
    if rated:
        lines.append("Rated (overall rating): " + ", ".join(f"{label}: {n}" for label, n in rated.items()))
    if levels:
        lines.append("Points (impact level): " + ", ".join(f"{label}: {n}" for label, n in sorted(levels.items())))
    return lines


def tier_counts(results: Sequence["Result"]) -> list[tuple[str, int]]:
    """How many inputs landed in each tier, highest level first."""
    counts: dict[tuple[int, str], int] = {}
    for r in results:
        if r.ok and r.tier_level is not None:
            counts[(r.tier_level, r.tier)] = counts.get((r.tier_level, r.tier), 0) + 1
    return [(label, n) for (level, label), n in sorted(counts.items(), key=lambda kv: (-kv[0][0], kv[0][1]))]


def summary_text(outcome: "Outcome") -> str:
    """The closing summary for people; nothing with --quiet."""
    if outcome.quiet:
        return ""
    results = outcome.results
    lines = [f"Assessed {len(results) - len(outcome.bad)} of {len(results)} input(s); {len(outcome.bad)} bad."]
    tiers = tier_counts(results)
    if tiers:
        lines.append("Tiers: " + ", ".join(f"{label}: {n}" for label, n in tiers))
    lines += model_counts(results)
    lines.append(one_line(f"Registers{' and ATRS records' if outcome.plan.options.atrs else ''} in {outcome.plan.outdir}; "
                          f"summary in {outcome.plan.summary_path}"))
    return "\n".join(lines)


FORMATS: Formats[Any] = Formats(
    Rendering("text", OutputFormat.TEXT, summary_text, "a closing summary for people"),
    Rendering("json", OutputFormat.JSON_LINES, lambda outcome: json_lines(record(r) for r in outcome.results),
              "one JSON object per input (JSON lines) on stdout"),
)
