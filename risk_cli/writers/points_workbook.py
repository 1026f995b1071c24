"""The workbook of a points assessment (format 2): what this model has and nothing of the 5x5
register. "Result" gives the score, the level, each total against its maximum and the adjustment
applied; "Answers" each question with its total, the answer, its points and whether it counted
(a hidden question's answer does not)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from risk_cli.model.points import Outcome, points_of
from risk_cli.model.text import in_language
from risk_cli.writers import xlsx


def answer_label(q: Any, value: Any, lang: str = "en") -> str:
    """An answer as people read it: the text, or the labels of the chosen choices (shared with the
    rated model's workbook)."""
    if value is None:
        return ""
    if q.type == "text":
        return str(value)
    ids = value if isinstance(value, list) else [value]
    return "; ".join(in_language(c.label, lang) for c in q.choices if c.id in ids)


def write(outcome: Outcome, path: Path, force: bool = False, marking: str = xlsx.DEFAULT_MARKING,
          lang: str = "en") -> None:
    from openpyxl import Workbook

    qn = outcome.questionnaire
    wb = Workbook()
    ws = wb.active
    ws.title = "Result"
    title = in_language(qn.title, lang)
    xlsx.put(ws, 1, 1, f"{title} ({qn.label})", font=xlsx.Font(bold=True, size=14))
    xlsx.put(ws, 2, 1, f"Protective marking: {marking}")
    rows = [("Score", outcome.score), ("Of a maximum of", outcome.maximums[qn.score_total]),
            ("Level", in_language(outcome.level.label, lang)), ("Language", lang),
            ("Shown but not answered", ", ".join(outcome.unanswered) or "none")]
    r = 4
    for name, value in rows:
        xlsx.put(ws, r, 1, name, font=xlsx.Font(bold=True))
        xlsx.put(ws, r, 2, value)
        r += 1
    r += 1
    xlsx.header_row(ws, r, ["Total", "Points", "Maximum", "Share of maximum"])
    for t in qn.totals:
        r += 1
        top = outcome.maximums[t.id]
        xlsx.put(ws, r, 1, in_language(t.label, lang))
        xlsx.put(ws, r, 2, outcome.totals[t.id])
        xlsx.put(ws, r, 3, top)
        xlsx.put(ws, r, 4, round(outcome.totals[t.id] / top, 4) if top else 0)
    r += 2
    xlsx.header_row(ws, r, ["Adjustment", "Applied", "Before", "After"])
    for adj in qn.adjustments:
        r += 1
        hit = next((a for a in outcome.applied if a.adjustment == adj), None)
        xlsx.put(ws, r, 1, f"{adj.total} x {adj.multiply:g} when {adj.when_total} is at least "
                           f"{adj.at_least_share:.0%} of its maximum")
        xlsx.put(ws, r, 2, "Yes" if hit else "No")
        if hit:
            xlsx.put(ws, r, 3, hit.before)
            xlsx.put(ws, r, 4, hit.after)
    xlsx.widths(ws, [60, 14, 12, 18])
    xlsx.print_setup(ws, title, marking)  # landscape, as every sheet risk-cli writes prints

    wa = wb.create_sheet("Answers")
    headers = ["Section", "Question id", "Question", "Total", "Answer", "Points", "Counted"]
    xlsx.header_row(wa, 1, headers)
    sections = {s.id: in_language(s.title, lang) for s in qn.sections}
    r = 1
    for q in qn.questions:
        value = outcome.values.get(q.id)
        r += 1
        shown = q.id in outcome.visible
        xlsx.put(wa, r, 1, sections.get(q.section, q.section))
        xlsx.put(wa, r, 2, q.id)
        xlsx.put(wa, r, 3, in_language(q.text, lang))
        xlsx.put(wa, r, 4, q.total or "")
        xlsx.put(wa, r, 5, answer_label(q, value, lang))
        xlsx.put(wa, r, 6, points_of(q, value) if q.total else "")
        xlsx.put(wa, r, 7, ("Yes" if value is not None else "Not answered") if shown else "No: not shown")
    xlsx.widths(wa, [24, 22, 70, 12, 40, 8, 16])
    wa.freeze_panes = "A2"
    xlsx.print_setup(wa, title, marking, title_rows="1:1")
    from risk_cli.model.points import answers_yaml
    from risk_cli.writers.register_layout import DATA

    xlsx.answers_sheet(wb.create_sheet(DATA), answers_yaml(qn, outcome.values, lang))
    xlsx.properties(wb, f"{title}: points assessment", title)
    xlsx.save(wb, path, force)
