"""The portfolio as people and pipelines see it: a terminal summary and the JSON document."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from risk_cli.errors import one_line
from risk_cli.output.formats import Formats, OutputFormat, Rendering, json_document

if TYPE_CHECKING:
    from risk_cli.model.portfolio import OtherModel, Portfolio, UseCase
    from risk_cli.model.scoring import Grid

def to_dict(pf: Portfolio) -> dict[str, Any]:
    """The JSON result: stable keys, ids rather than labels where both exist."""
    from risk_cli import __version__

    def use_case(u: UseCase) -> dict[str, Any]:
        reg = u.register
        qn = reg.questionnaire
        return {
            "file": u.source.path, "kind": u.source.kind, "organisation": u.organisation, "name": u.name,
            "owner": reg.profile("owner"), "phase": reg.values.get("profile.phase"), "assessed_on": reg.assessed_on,
            "questionnaire": {"id": qn.id, "version": qn.version, "newest_version": u.newest_version,
                              "outdated": u.outdated},
            "tier": {"level": reg.tier.level.level, "label": reg.tier.level.label, "reasons": list(reg.tier.reasons)},
            "residual_counts": reg.counts(), "appetite_breaches": len(reg.breaches),
            "mandatory_checks_outstanding": [c.check.id for c in reg.outstanding_checks],
            "barriers_reported": [b.barrier.id for b in reg.barriers if b.reported],
            "escalate": u.escalate, "escalation_reasons": list(u.reasons),
            "risks": [{"id": sr.risk.id, "category": sr.risk.category, "inherent_score": sr.score,
                       "residual_score": sr.residual_score, "residual_rating": sr.residual_rating.id,
                       "breach": sr.breach} for sr in reg.risks],
        }

    def grid(g: Grid) -> list[dict[str, int]]:
        return [{"likelihood": l, "impact": i, "risks": n} for (l, i), n in sorted(g.items())]

    return {
        "tool": {"name": "risk-cli", "version": __version__},
        "totals": {"use_cases": len(pf.use_cases), "risks": pf.risk_count, "escalations": len(pf.escalations),
                   "outdated": sum(1 for u in pf.use_cases if u.outdated), "duplicates": len(pf.duplicates),
                   "skipped": len(pf.skipped), "residual": pf.totals(residual=True), "inherent": pf.totals(residual=False),
                   "tiers": dict(pf.tiers()), "other_models": len(pf.others)},
        "heat_maps": {"inherent": grid(pf.inherent), "residual": grid(pf.residual)},
        "barriers": [{"id": b.id, "title": b.title, "use_cases": b.use_cases, "reporting": b.reporting,
                      "share": b.share, "organisations": b.organisations,
                      "organisations_reporting": b.organisations_reporting, "organisation_share": b.organisation_share,
                      "nao_share": b.nao_share, "nao_share_value": b.nao_value} for b in pf.barriers],
        "escalations": [{"file": u.source.path, "organisation": u.organisation, "name": u.name,
                         "tier": u.register.tier.level.level, "reasons": list(u.reasons)} for u in pf.escalations],
        "duplicates": [{"organisation": d.organisation, "name": d.name, "used": d.used.path,
                        "ignored": [a.path for a in d.ignored]} for d in pf.duplicates],
        "skipped": [{"file": s.path, "reason": s.reason, "more_problems": s.more} for s in pf.skipped],
        "use_cases": [use_case(u) for u in pf.use_cases],
        "other_models": [other_model(o) for o in pf.others],
    }


def other_model(o: "OtherModel") -> dict[str, Any]:
    """A format-2 assessment in the JSON: listed apart, outside the heat maps and totals."""
    out: dict[str, Any] = {"file": o.path, "kind": o.kind, "use_case": o.use_case, "questionnaire": o.questionnaire,
                           "model": o.model}
    if o.model == "rated":
        out.update({"overall": {"id": o.result_id, "label": o.result_label},
                    "rating_counts": {rid: n for rid, _, n in o.counts}, "highest": list(o.highest)})
    else:
        plain = (lambda v: int(v) if isinstance(v, float) and v.is_integer() else v)
        out.update({"level": {"id": o.result_id, "label": o.result_label}, "score": plain(o.score),
                    "maximum": plain(o.maximum), "discount_applied": o.discount})
    return out


def _percent(value: Optional[float]) -> str:
    return "" if value is None else f"{round(value * 100)}%"


def summary_text(pf: Portfolio, top: int = 10) -> str:
    """The terminal summary: totals, tiers, ratings, barriers against the NAO, what to escalate."""
    from tabulate import tabulate

    outdated = sum(1 for u in pf.use_cases if u.outdated)
    from risk_cli.model.portfolio import use_case_key

    orgs = len({use_case_key(u.register)[0] for u in pf.use_cases})
    lines = [f"Portfolio: {len(pf.use_cases)} use case(s) from {orgs} organisation(s), {pf.risk_count} risk(s)"]
    notes = []
    if pf.duplicates:
        notes.append(f"{len(pf.duplicates)} given more than once (newest used)")
    if pf.skipped:
        notes.append(f"{len(pf.skipped)} input(s) skipped")
    if outdated:
        notes.append(f"{outdated} assessed against an older questionnaire version")
    if pf.others:
        notes.append(f"{len(pf.others)} format-2 assessment(s) listed apart, not in the tiers, ratings or heat maps")
    if notes:
        lines.append("  " + "; ".join(notes))
    lines += ["", tabulate([[label, n] for label, n in pf.tiers()], headers=["Tier", "Use cases"], tablefmt="simple")]
    inherent, residual = pf.totals(residual=False), pf.totals(residual=True)
    rows = [[b.label, inherent.get(b.id, 0), residual.get(b.id, 0)] for b in reversed(pf.ratings)]
    lines += ["", tabulate(rows, headers=["Rating", "Inherent risks", "Residual risks"], tablefmt="simple")]
    if pf.barriers:
        rows = [[b.title[:50], f"{b.reporting}/{b.use_cases}", _percent(b.share), _percent(b.organisation_share),
                 b.nao_share] for b in pf.barriers]
        lines += ["", tabulate(rows, headers=["Barrier", "Use cases", "Share", "Organisations", "NAO 2023 survey"],
                               tablefmt="simple")]
    esc = pf.escalations
    lines += ["", f"To escalate: {len(esc)} use case(s)"]
    if esc:
        shown = pf.escalations_by_urgency()
        rows = [[one_line(u.organisation)[:30], one_line(u.name)[:40], u.register.tier.level.label, len(u.register.breaches)]
                for u in shown[:top]]
        lines.append(tabulate(rows, headers=["Organisation", "Use case", "Tier", "Above appetite"], tablefmt="simple"))
        if len(esc) > top:
            lines.append(f"... and {len(esc) - top} more (see the Escalations sheet or --format json)")
    if pf.others:
        rows = [[one_line(o.use_case)[:40], o.questionnaire, o.model, o.result] for o in pf.others[:top]]
        lines += ["", f"Other models (format 2): {len(pf.others)} assessment(s)",
                  tabulate(rows, headers=["Use case", "Questionnaire", "Model", "Result"], tablefmt="simple")]
        if len(pf.others) > top:
            lines.append(f"... and {len(pf.others) - top} more (see the Other models sheet or --format json)")
    return "\n".join(lines)


FORMATS: Formats[Any] = Formats(
    Rendering("text", OutputFormat.TEXT, lambda result: summary_text(result.portfolio), "a summary for people"),
    Rendering("json", OutputFormat.JSON, lambda result: json_document(to_dict(result.portfolio)),
              "the full figures on stdout for pipelines"),
)
