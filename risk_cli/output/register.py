"""A register as people and pipelines see it: the terminal summary and the JSON result of assess."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from risk_cli import __version__
from risk_cli.errors import one_line
from risk_cli.output.formats import Formats, OutputFormat, Rendering, json_document

if TYPE_CHECKING:
    from risk_cli.model.scoring import Register


def to_dict(register: Register) -> dict[str, Any]:
    """The JSON result for pipelines: stable keys, ids rather than labels where both exist."""
    qn = register.questionnaire
    return {
        "tool": {"name": "risk-cli", "version": __version__},
        "questionnaire": {"id": qn.id, "version": qn.version, "sha256": qn.sha256},
        "scales": {"likelihood": qn.scoring.top_likelihood, "impact": qn.scoring.top_impact},  # 5 and 5 on the Orange Book's 5x5
        "use_case": {k: register.profile(k) for k in ("name", "organisation", "owner", "phase")},
        "assessed_on": register.assessed_on,
        "tier": {"level": register.tier.level.level, "label": register.tier.level.label,
                 "approver": register.tier.approver, "assessments": list(register.tier.level.assessments),
                 "review_months": register.tier.level.review_months, "reasons": list(register.tier.reasons),
                 "explained": [{"because": e.because, "risks": list(e.risks), "would_move_down": e.would_move_down}
                               for e in register.tier.explained],
                 "without_these_reasons": register.tier.without},
        "appetite": {"source": register.appetite_source if register.answers.appetite else "questionnaire",
                     "by_category": {c.id: qn.scoring.appetite(c.id, register.answers.appetite).id
                                     for c in qn.scoring.categories}},
        "counts": {"inherent": register.counts(residual=False), "residual": register.counts()},
        "risks": [
            {"id": r.risk.id, "category": r.risk.category, "title": r.risk.title,
             "inherent": {"likelihood": r.likelihood, "impact": r.impact, "score": r.score, "rating": r.rating.id},
             "residual": {"likelihood": r.residual_likelihood, "impact": r.residual_impact,
                          "score": r.residual_score, "rating": r.residual_rating.id},
             "appetite": {"level": r.appetite.id, "max_score": r.appetite.max_score, "breach": r.breach},
             "because": list(r.because), "controls": [c.text for c in r.controls], "unknowns": list(r.unknowns)}
            for r in register.risks
        ],
        "actions": [{"id": a.id, "priority": a.priority, "text": a.text, "risks": list(a.risks), "kind": a.kind,
                     "due": a.due} for a in register.actions],
        "checks": [{"id": c.check.id, "title": c.check.title, "done": c.done, "mandatory": c.mandatory}
                   for c in register.checks],
        "barriers": [{"id": b.barrier.id, "reported": b.reported, "nao_share": b.barrier.nao_share}
                     for b in register.barriers],
        "unanswered": list(register.unanswered),
        "provisional": register.provisional,  # a required answer is missing (--allow-incomplete)
        "missing_required": list(register.missing_required),
        "dropped": list(register.dropped),
    }


def summary_text(register: Register, top: int = 10) -> str:
    """A short terminal summary: tier, counts, worst residual risks, checks."""
    from tabulate import tabulate

    qn = register.questionnaire
    tier = register.tier.level
    lines = [provisional_line(register)] if register.provisional else []
    lines += [one_line(f"{register.profile('name')} ({register.profile('organisation')})"),
             f"Assurance tier: {tier.label} - approved by {register.tier.approver}; review every {tier.review_months} months"]
    lines += [f"  because: {reason}" for reason in register.tier.reasons]
    lines += [f"  to move down: {e.would_move_down}" for e in register.tier.explained if e.would_move_down]
    inherent, residual = register.counts(residual=False), register.counts()
    rows = [[b.label, inherent[b.id], residual[b.id]] for b in reversed(qn.scoring.ratings)]
    lines += ["", tabulate(rows, headers=["Rating", "Inherent", "Residual"], tablefmt="simple")]
    worst = register.by_residual()[:top]
    if worst:
        rows = [[r.risk.id, _short(r.risk.title, 56), f"{r.residual_score} {r.residual_rating.label}",
                 "ABOVE" if r.breach else "within"] for r in worst]
        lines += ["", f"Highest residual risks (top {len(worst)} of {len(register.risks)}):",
                  tabulate(rows, headers=["Risk", "Title", "Residual", "Appetite"], tablefmt="simple")]
    if register.checks:
        rows = [[one_line(c.check.title), "done" if c.done else ("OUTSTANDING" if c.mandatory else "recommended")]
                for c in register.checks]
        heading = "Mandatory checks:" if all(c.mandatory for c in register.checks) else "Mandatory and recommended checks:"
        lines += ["", heading, tabulate(rows, headers=["Check", "Status"], tablefmt="simple")]
    if register.unanswered:
        lines += ["", f"Not answered (scored cautiously): {', '.join(register.unanswered)}"]
    return "\n".join(lines)


def provisional_line(register: Register) -> str:
    n = len(register.missing_required)
    return (f"PROVISIONAL: {n} required question{'s' if n != 1 else ''} not answered, scored cautiously "
            "(answer them for a final register)")


def _short(text: str, width: int) -> str:
    text = one_line(text)
    return text if len(text) <= width else text[: width - 1].rstrip() + "\u2026"


def assess_json(result: Any) -> dict[str, Any]:
    """`risk-cli assess --format json`: the register, and what changed since the previous one."""
    data = to_dict(result.register)
    if result.carry is not None:
        data["previous"] = result.carry.to_dict()
    return data


FORMATS: Formats[Any] = Formats(
    Rendering("text", OutputFormat.TEXT, lambda result: summary_text(result.register), "a summary for people"),
    Rendering("json", OutputFormat.JSON, lambda result: json_document(assess_json(result)),
              "the full result on stdout for pipelines"),
)
