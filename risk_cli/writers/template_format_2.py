"""The questionnaire template for a format-2 questionnaire (the points and rated models): the
format-1 template's look and sheets (writers/template.py, whose helpers it uses), in one of the
questionnaire's languages.

Sheets: Instructions (what to fill in, what the model does with the answers, the marking);
Questions (one row per question: id, section, question, when it applies, the answer cell, a
note; a single-choice question has a dropdown of its choice labels, a multi-choice question one
tick row per choice); the hidden Lists; and the very hidden "risk-cli template" metadata, as for
format 1, which also records the model and the language (`readers/template_format_2` reads it
back, matching labels in that language). Every cell goes through writers/xlsx.put, so nothing
from a questionnaire becomes a formula.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any, Optional

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from risk_cli import __version__
from risk_cli.model.answers import MAX_TEXT
from risk_cli.model.text import in_language
from risk_cli.writers import template as t1
from risk_cli.writers.xlsx import (
    BOLD, DEFAULT_MARKING, GREY_FILL, SUBTITLE, TITLE, UK_DATE, WRAP, fit_rows, header_row, print_setup, properties, put,
    save, widths,
)

COLUMNS = [("Question ID", 22), ("Section", 16), ("Question", 48), ("Answer only if", 26), ("Answer", 26),
           ("Note (optional)", 32), ("Allowed answers", 30), ("Required", 11), ("Help", 48)]
MODELS = {
    "rated": "This questionnaire uses the rated model: the tool rates each risk (for example high, medium or low) "
             "from your answers, and lists the steps it calls for, each marked must, should or could.",
    "points": "This questionnaire uses the points model: each answer is worth points, the points add up into "
              "totals, and the score (a total, adjusted as the questionnaire says) sets the impact level.",
}


class _Labels:
    """The questionnaire as writers.template.describe reads it, with its labels in one language."""

    def __init__(self, qn: Any, lang: str) -> None:
        self.by_id = {q.id: _LabelledQuestion(q, lang) for q in qn.questions}


class _LabelledQuestion:
    def __init__(self, q: Any, lang: str) -> None:
        self.choices = tuple(SimpleNamespace(id=c.id, label=in_language(c.label, lang)) for c in q.choices)

    def choice(self, cid: str) -> Any:
        return next((c for c in self.choices if c.id == cid), None)


def applies_text(qn: Any, q: Any, lang: str) -> str:
    """'Answer only if ...': the question's section's condition and its own, in words."""
    labels = _Labels(qn, lang)
    section = next((s for s in qn.sections if q.id in s.question_ids), None)
    parts = [t1.describe(labels, c) for c in ((section.when if section else None), q.when) if c is not None]
    if not parts:
        return ""
    if len(parts) == 2:
        parts = [f"({p})" if (" and " in p or " or " in p) else p for p in parts]
    return "Answer only if " + " and ".join(parts)


def allowed_text(q: Any, lang: str) -> str:
    if q.type == "choice":
        return t1._either([t1.label_text(in_language(c.label, lang)) for c in q.choices])
    if q.type == "multi":
        return f"Tick {t1.TICK_YES} on each choice that applies (rows below)"
    return f"text, up to {MAX_TEXT:,} characters"


def write(qn: Any, path: Path, lang: Optional[str] = None, force: bool = False,
          marking: str = DEFAULT_MARKING) -> None:
    save(build(qn, lang, marking), Path(path), force)


def build(qn: Any, lang: Optional[str] = None, marking: str = DEFAULT_MARKING) -> Workbook:
    lang = lang or qn.default_language
    title = in_language(qn.title, lang)
    wb = Workbook()
    instructions = wb.active
    instructions.title = t1.INSTRUCTIONS
    questions = wb.create_sheet(t1.QUESTIONS)
    lists = wb.create_sheet(t1.LISTS)
    meta = wb.create_sheet(t1.META)
    entries = questions_sheet(questions, lists, qn, lang)
    instructions_sheet(instructions, qn, lang, marking)
    text = t1.metadata_text(metadata(qn, lang, entries))
    put(meta, 1, 1, t1.MARKER)
    put(meta, 1, 2, t1.TEMPLATE_FORMAT)
    put(meta, 2, 1, "sha256")
    put(meta, 2, 2, t1.checksum(text))
    for i in range(0, len(text), t1.CHUNK):
        put(meta, 3 + i // t1.CHUNK, 1, text[i:i + t1.CHUNK])
    lists.sheet_state = "hidden"
    meta.sheet_state = "veryHidden"
    for ws in (instructions, questions, lists, meta):
        ws.protection.sheet = True
        ws.protection.formatColumns = False
        ws.protection.formatRows = False
    wb.security = WorkbookProtection(lockStructure=True)
    wb.active = 0
    subject = f"{title} (questionnaire {qn.version})"
    print_setup(instructions, subject, marking, print_area=f"A1:A{instructions.max_row}")
    print_setup(questions, subject, marking, title_rows=f"{t1.HEADER_ROW}:{t1.HEADER_ROW}",
                print_area=f"A1:{get_column_letter(len(COLUMNS))}{questions.max_row}")
    properties(wb, f"{title}: questionnaire template", f"{qn.label} ({qn.model} model, {lang}), to fill in and "
                                                         "import with risk-cli")
    return wb


def questions_sheet(ws: Any, lists_ws: Any, qn: Any, lang: str) -> list[dict[str, Any]]:
    sizes = [w for _, w in COLUMNS]
    sizes[0] = min(40, max(sizes[0], max(len(q.id) for q in qn.questions) + 4))
    widths(ws, sizes)
    put(ws, 1, 1, f"{in_language(qn.title, lang)}: questionnaire ({qn.label}, {qn.model} model)", font=TITLE)
    put(ws, 2, 1, "Answer in the yellow cells: column E (Answer) and column F (Note). "
                  "Read the Instructions sheet first. Grey cells are protected.")
    put(ws, t1.DATE_ROW, t1.WHEN_COL, "Date completed (dd/mm/yyyy)", font=BOLD,
        align=Alignment(horizontal="right"))
    date_cell = put(ws, t1.DATE_ROW, t1.ANSWER_COL, None, fill_=t1.ANSWER_FILL, border=True)
    date_cell.number_format = UK_DATE
    date_cell.protection = t1.UNLOCKED
    header_row(ws, t1.HEADER_ROW, [name for name, _ in COLUMNS])
    ws.freeze_panes = f"A{t1.HEADER_ROW + 1}"
    lists = t1._Lists(lists_ws)
    text_dv = DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(MAX_TEXT), allow_blank=True,
                             showErrorMessage=True, errorTitle="Too long", error=f"At most {MAX_TEXT:,} characters.")
    by_id = {q.id: q for q in qn.questions}
    entries: list[dict[str, Any]] = []
    r = t1.HEADER_ROW
    for n, section in enumerate(qn.sections, start=1):
        r += 1
        section_title = in_language(section.title, lang)
        banner = f"{n}. {section_title}"
        if section.when is not None:
            banner += f" (Answer this section only if {t1.describe(_Labels(qn, lang), section.when)}.)"
        put(ws, r, 1, banner, font=SUBTITLE, fill_=t1.SECTION_FILL, align=WRAP)
        for col in range(2, len(COLUMNS) + 1):
            put(ws, r, col, None, fill_=t1.SECTION_FILL)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(COLUMNS))
        ws.row_dimensions[r].height = 21
        for qid in section.question_ids:
            q = by_id[qid]
            r += 1
            entry = _question_row(ws, r, qn, q, section_title, lang, lists, text_dv)
            if q.type == "multi":
                entry["choices"] = []
                for c in q.choices:
                    r += 1
                    entry["choices"].append(_choice_row(ws, r, q, section_title, c, lang, lists))
            entries.append(entry)
    for dv in [*lists.validations.values(), text_dv]:
        if dv.sqref:
            ws.add_data_validation(dv)
    fit_rows(ws, sizes, t1.HEADER_ROW + 1, r)
    return entries


def _question_row(ws: Any, r: int, qn: Any, q: Any, section_title: str, lang: str, lists: Any,
                  text_dv: DataValidation) -> dict[str, Any]:
    help_text = in_language(q.help, lang)
    cells = [q.id, section_title, in_language(q.text, lang), applies_text(qn, q, lang), None, None,
             allowed_text(q, lang), "Optional", help_text]
    for col, value in enumerate(cells, start=1):
        put(ws, r, col, value, align=WRAP, border=True,
            fill_=None if col in (t1.ANSWER_COL, t1.NOTE_COL) else GREY_FILL, font=BOLD if col == 1 else None)
    answer = ws.cell(row=r, column=t1.ANSWER_COL)
    note = ws.cell(row=r, column=t1.NOTE_COL)
    note.fill, note.protection, note.number_format = t1.NOTE_FILL, t1.UNLOCKED, "@"
    text_dv.add(note.coordinate)
    entry: dict[str, Any] = {"id": q.id, "type": q.type, "row": r, "answer": answer.coordinate,
                             "note": note.coordinate, "required": False}
    if q.type == "multi":
        answer.fill = GREY_FILL
        return entry
    answer.fill, answer.protection, answer.number_format = t1.ANSWER_FILL, t1.UNLOCKED, "@"
    if q.type == "choice":
        labels = tuple(in_language(c.label, lang) for c in q.choices)
        lists.validation(q.id, labels).add(answer.coordinate)
        entry["choices"] = [{"id": c.id, "label": label} for c, label in zip(q.choices, labels)]
    else:
        text_dv.add(answer.coordinate)
    return entry


def _choice_row(ws: Any, r: int, q: Any, section_title: str, c: Any, lang: str, lists: Any) -> dict[str, Any]:
    label = in_language(c.label, lang)
    cells = [q.id, section_title, label, None, None, None, f"{t1.TICK_YES} if it applies", None, None]
    for col, value in enumerate(cells, start=1):
        put(ws, r, col, value, align=WRAP, border=True, fill_=None if col == t1.ANSWER_COL else GREY_FILL,
            font=t1.MUTED if col in (1, 2) else None)
    tick = ws.cell(row=r, column=t1.ANSWER_COL)
    tick.fill, tick.protection, tick.number_format = t1.ANSWER_FILL, t1.UNLOCKED, "@"
    lists.validation("Tick", (t1.TICK_YES, t1.TICK_NO)).add(tick.coordinate)
    return {"id": c.id, "label": label, "exclusive": False, "row": r, "cell": tick.coordinate}


def instructions_sheet(ws: Any, qn: Any, lang: str, marking: str) -> None:
    title = in_language(qn.title, lang)
    widths(ws, [t1.INSTRUCTIONS_WIDTH])
    ws.sheet_view.showGridLines = False
    blocks: list[tuple[str, list[str]]] = [
        ("What this is", [
            f"This workbook is the questionnaire \"{title}\" ({qn.label}), in language '{lang}'. Your answers "
            "describe an AI use case; the assurance team imports the workbook with risk-cli, which checks every "
            "answer and works out the result. You never type or calculate a result here.",
            MODELS.get(qn.model, ""),
        ]),
        ("How to fill it in", [
            "1. Go to the Questions sheet. Fill in \"Date completed\" at the top (dd/mm/yyyy), then answer each question in its yellow Answer cell (column E). Use the "
            "Note cell (column F) for anything that explains your answer.",
            "2. For a question with a list, click the Answer cell and choose from its arrow, or type the answer "
            "exactly as it appears in the Allowed answers column (capital letters do not matter).",
            f"3. A question with several answers is followed by one row per choice: choose \"{t1.TICK_YES}\" in the "
            f"cell of every choice that applies and leave the others blank (or \"{t1.TICK_NO}\").",
            "4. \"Answer only if\": some questions apply only after certain earlier answers (the id in column A "
            "names the earlier question). If the condition does not hold, leave the question blank; an answer "
            "there is kept but does not count.",
        ]),
        ("What you cannot change", [
            "Question ids, question text and every grey cell are protected so that each answer can be matched to "
            "its question. Do not unprotect the sheets, move, insert or delete rows, or add or rename sheets.",
            "Do not enter formulas (anything starting with =). The import treats a formula in an answer or note "
            "as an error and names the cell; it never calculates it.",
        ]),
        ("Sending it back", [
            "Save the workbook as an Excel workbook (.xlsx), without a password, and send it to your assurance "
            "team. Keep the hidden sheets: they tell the tool which questionnaire version and language you used.",
            "The assurance team runs: risk-cli import your-file.xlsx -o imported/   This writes an answers file "
            "(your-file-answers.yaml) and the assessment workbook (your-file-register.xlsx). Anything wrong is "
            "listed with its cell.",
        ]),
        ("About this template", [
            f"Questionnaire id and version: {qn.label}",
            f"Model: {qn.model}. Language: {lang} (offers {', '.join(qn.languages)})",
            f"Questionnaire content SHA-256: {qn.sha256}",
            f"Protective marking: {marking}",
            f"Template format {t1.TEMPLATE_FORMAT}, made by risk-cli {__version__}. "
            f"{len(qn.questions)} questions in {len(qn.sections)} sections.",
        ]),
    ]
    r = t1.instruction_blocks(ws, f"{title}: instructions", blocks)
    fit_rows(ws, [t1.INSTRUCTIONS_WIDTH], 1, r)


def metadata(qn: Any, lang: str, entries: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "template_format": t1.TEMPLATE_FORMAT,
        "tool": f"risk-cli {__version__}",
        "questionnaire": {"id": qn.id, "version": qn.version, "sha256": qn.sha256,
                          "title": in_language(qn.title, lang)},
        "model": qn.model,
        "language": lang,
        "sheet": t1.QUESTIONS,
        "date_cell": t1.DATE_CELL,
        "header_row": t1.HEADER_ROW,
        "id_column": get_column_letter(1),
        "text_column": get_column_letter(t1.TEXT_COL),
        "answer_column": t1.ANSWER_LETTER,
        "note_column": t1.NOTE_LETTER,
        "tick": {"yes": t1.TICK_YES, "no": t1.TICK_NO},
        "questions": entries,
    }
