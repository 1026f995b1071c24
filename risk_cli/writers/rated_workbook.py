"""The workbook of a rated assessment (format 2, `model: rated`): "Summary" gives the overall
rating and how many risks took each rating; "Risks" each raised risk with its rating, its
must/should/could steps and the answers that set the rating (no likelihood, impact or 5x5:
this model has none); "Answers" each question, the answer and whether it was shown. Every cell
goes through writers/xlsx.py, so nothing a user typed becomes a formula."""

from __future__ import annotations

from pathlib import Path

from risk_cli.model.rated import PRIORITIES, Outcome
from risk_cli.model.text import in_language
from risk_cli.writers import xlsx
from risk_cli.writers.points_workbook import answer_label


def write(outcome: Outcome, path: Path, force: bool = False, marking: str = xlsx.DEFAULT_MARKING,
          lang: str = "en") -> None:
    from openpyxl import Workbook

    qn = outcome.questionnaire
    wb = Workbook()
    ws = wb.active
    ws.title = "Summary"
    title = in_language(qn.title, lang)
    xlsx.put(ws, 1, 1, f"{title} ({qn.label})", font=xlsx.Font(bold=True, size=14))
    xlsx.put(ws, 2, 1, f"Protective marking: {marking}")
    xlsx.put(ws, 4, 1, "Overall rating", font=xlsx.Font(bold=True))
    xlsx.put(ws, 4, 2, in_language(outcome.overall.label, lang))
    xlsx.put(ws, 5, 1, "Language", font=xlsx.Font(bold=True))
    xlsx.put(ws, 5, 2, lang)
    xlsx.header_row(ws, 7, ["Rating", "Risks raised"])
    r = 7
    for rating in qn.ratings:
        r += 1
        xlsx.put(ws, r, 1, in_language(rating.label, lang))
        xlsx.put(ws, r, 2, sum(1 for x in outcome.risks if x.rating.id == rating.id))
    r += 2
    xlsx.put(ws, r, 1, "Not raised (does not apply)", font=xlsx.Font(bold=True))
    xlsx.put(ws, r, 2, ", ".join(outcome.not_raised) or "none")
    xlsx.put(ws, r + 1, 1, "Shown but not answered", font=xlsx.Font(bold=True))
    xlsx.put(ws, r + 1, 2, ", ".join(outcome.unanswered) or "none")
    xlsx.widths(ws, [40, 60])
    xlsx.print_setup(ws, title, marking)  # landscape, as every sheet risk-cli writes prints

    wr = wb.create_sheet("Risks")
    xlsx.header_row(wr, 1, ["Risk id", "Risk", "Rating", "Must", "Should", "Could", "Why"])
    by_id = {q.id: q for q in qn.questions}
    for r, res in enumerate(outcome.risks, start=2):
        xlsx.put(wr, r, 1, res.risk.id)
        xlsx.put(wr, r, 2, in_language(res.risk.title, lang))
        xlsx.put(wr, r, 3, in_language(res.rating.label, lang))
        for c, priority in enumerate(PRIORITIES, start=4):
            xlsx.put(wr, r, c, "\n".join(in_language(s.text, lang) for s in res.steps if s.priority == priority))
        xlsx.put(wr, r, 7, "; ".join(
            f"{in_language(by_id[q].text, lang)}: {answer_label(by_id[q], outcome.values.get(q), lang) or 'not answered'}"
            for q in res.why))
    xlsx.widths(wr, [22, 40, 10, 50, 50, 50, 60])
    wr.freeze_panes = "A2"
    xlsx.print_setup(wr, title, marking, title_rows="1:1")

    wa = wb.create_sheet("Answers")
    xlsx.header_row(wa, 1, ["Section", "Question id", "Question", "Answer", "Shown"])
    sections = {s.id: in_language(s.title, lang) for s in qn.sections}
    for r, q in enumerate(qn.questions, start=2):
        value = outcome.values.get(q.id)
        xlsx.put(wa, r, 1, sections.get(q.section, q.section))
        xlsx.put(wa, r, 2, q.id)
        xlsx.put(wa, r, 3, in_language(q.text, lang))
        xlsx.put(wa, r, 4, answer_label(q, value, lang))
        xlsx.put(wa, r, 5, ("Yes" if value is not None else "Not answered") if q.id in outcome.visible else "No: not shown")
    xlsx.widths(wa, [24, 22, 70, 40, 16])
    wa.freeze_panes = "A2"
    xlsx.print_setup(wa, title, marking, title_rows="1:1")
    from risk_cli.model.points import answers_yaml
    from risk_cli.writers.register_layout import DATA

    xlsx.answers_sheet(wb.create_sheet(DATA), answers_yaml(qn, outcome.values, lang))
    xlsx.properties(wb, f"{title}: rated assessment", title)
    xlsx.save(wb, path, force)
