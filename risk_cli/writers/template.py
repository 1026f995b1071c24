"""The questionnaire template: an Excel workbook a team fills in without ever running the tool.

Sheets: Instructions; Questions (a "Date completed" cell, then one row per question, grouped
by section, profile first; a multiple-choice question is followed by one tick row per
choice); and two hidden sheets: Lists (the dropdown lists, so no validation carries an
inline list) and "risk-cli template" (machine-readable metadata: questionnaire id, version,
content hash and exactly which cell holds which answer). `template_import` reads it back.

Only the Answer and Note cells (and Date completed) are unlocked; the sheets are protected
without a password, which stops accidents, not people: the importer re-checks every row.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any, Optional

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from risk_cli import __version__
from risk_cli.model.answers import MAX_TEXT
from risk_cli.model.conditions import All, AnyOf, Condition, Not, Ref, Test
from risk_cli.model.questionnaire import Question, Questionnaire
from risk_cli.writers.xlsx import (
    BOLD, DEFAULT_MARKING, GREY_FILL, SUBTITLE, TITLE, UK_DATE, WRAP, fit_rows, header_row, print_setup, properties,
    put, save, widths,
)

TEMPLATE_FORMAT = 1
INSTRUCTIONS, QUESTIONS, LISTS, META = "Instructions", "Questions", "Lists", "risk-cli template"
MARKER = "risk-cli questionnaire template (do not edit)"
DATE_ROW, HEADER_ROW = 3, 4
COLUMNS = [
    ("Question ID", 22), ("Section", 16), ("Question", 48), ("Answer only if", 26), ("Answer", 26),
    ("Note (optional)", 32), ("Allowed answers", 30), ("Required", 11), ("Help", 48), ("Sources", 26),
]
ID_COL, SECTION_COL, TEXT_COL, WHEN_COL, ANSWER_COL, NOTE_COL = 1, 2, 3, 4, 5, 6
ANSWER_LETTER, NOTE_LETTER = get_column_letter(ANSWER_COL), get_column_letter(NOTE_COL)
DATE_CELL = f"{ANSWER_LETTER}{DATE_ROW}"
TICK_YES, TICK_NO = "Yes", "No"
CHUNK = 30_000  # a cell holds at most 32,767 characters
INSTRUCTIONS_WIDTH = 76

ANSWER_FILL = PatternFill("solid", fgColor="FFF2CC")
NOTE_FILL = PatternFill("solid", fgColor="FFFBEA")
SECTION_FILL = PatternFill("solid", fgColor="D9E1F2")
UNLOCKED = Protection(locked=False)
MUTED = Font(color="595959")  # grey that still meets WCAG AA (4.5:1) on the grey cells


# -- reading conditions aloud ------------------------------------------------------------

def label_text(label: str) -> str:
    """A choice label as it appears in a list of labels: quoted if it could be misread as two."""
    if re.search(r"[,;()]| or | and | nor ", label):
        return f'"{label}"'
    return label


def _value_text(qn: Questionnaire, qid: str, value: Any) -> str:
    q = qn.by_id.get(qid)
    if q is not None and q.choices:
        c = q.choice(str(value))
        if c is not None:
            return label_text(c.label)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,g}"
    return f'"{value}"'


def _either(words: list[str], joiner: str = "or") -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {joiner} {words[-1]}"


def _test_text(qn: Questionnaire, t: Test, negate: bool) -> str:
    q = t.question
    if t.op == "answered":
        return f"{q} is {'answered' if t.value != negate else 'not answered'}"
    if t.op in ("at_least", "at_most"):
        n = _value_text(qn, "", t.value)
        if t.op == "at_least":
            return f"{q} is {'less than' if negate else 'at least'} {n}"
        return f"{q} is {'more than' if negate else 'at most'} {n}"
    values = t.value if isinstance(t.value, tuple) else (t.value,)
    words = [_value_text(qn, q, v) for v in values]
    if t.op in ("equals", "in"):
        if not negate:
            return f"{q} is {_either(words)}"
        return f"{q} is not {words[0]}" if len(words) == 1 else f"{q} is neither {_either(words, 'nor')}"
    if not negate:
        return f"{q} includes {_either(words)}"
    return f"{q} does not include {words[0]}" if len(words) == 1 else f"{q} includes none of {_either(words, 'and')}"


def describe(qn: Questionnaire, cond: Optional[Condition]) -> str:
    """A condition as a person reads it, with choice labels: 'data.personal is Yes or Don't know'."""
    if cond is None:
        return ""
    if isinstance(cond, Ref):
        return describe(qn, cond.part)
    if isinstance(cond, Test):
        return _test_text(qn, cond, negate=False)
    if isinstance(cond, Not):
        if isinstance(cond.part, Test):
            return _test_text(qn, cond.part, negate=True)
        return f"not ({describe(qn, cond.part)})"
    joiner = " and " if isinstance(cond, All) else " or "
    parts = []
    for part in cond.parts:
        text = describe(qn, part)
        while isinstance(part, Ref):
            part = part.part
        nested = isinstance(part, (All, AnyOf)) and len(part.parts) > 1
        parts.append(f"({text})" if nested else text)
    return joiner.join(parts)


def applies_text(qn: Questionnaire, q: Question) -> str:
    """'Answer only if ...' for a question, folding in its section's condition."""
    section = qn.section_of[q.id]
    parts = [describe(qn, c) for c in (section.when, q.when) if c is not None]
    if not parts:
        return ""
    if len(parts) == 2:
        parts = [f"({p})" if (" and " in p or " or " in p) else p for p in parts]
    return "Answer only if " + " and ".join(parts)


# -- what each question accepts ----------------------------------------------------------

def _bounds(q: Question) -> str:
    if q.min is not None and q.max is not None:
        return f"from {q.min:,g} to {q.max:,g}"
    if q.min is not None:
        return f"at least {q.min:,g}"
    if q.max is not None:
        return f"at most {q.max:,g}"
    return ""


def allowed_text(q: Question) -> str:
    """What the Allowed answers column says, and what import errors quote as 'allowed: ...'."""
    if q.type in ("choice", "yesno"):
        return _either([label_text(c.label) for c in q.choices])
    if q.type == "multi":
        alone = [label_text(c.label) for c in q.choices if c.exclusive or c.unknown]
        text = f"Tick {TICK_YES} on each choice that applies (rows below)"
        if alone:
            text += f"; {_either(alone)} only on {'its' if len(alone) == 1 else 'their'} own"
        return text
    if q.type == "number":
        bounds = _bounds(q)
        return "a number" + (f", {bounds}" if bounds else "")
    if q.type == "date":
        return "a date, dd/mm/yyyy"
    return f"text, up to {MAX_TEXT:,} characters"


def required_text(qn: Questionnaire, q: Question) -> str:
    if not q.required:
        return "Optional"
    conditional = q.when is not None or qn.section_of[q.id].when is not None
    return "Required if it applies" if conditional else "Required"


# -- building the workbook ---------------------------------------------------------------

def write(qn: Questionnaire, path: Path, force: bool = False, marking: str = DEFAULT_MARKING) -> None:
    """Build the template and write it atomically (never over a file without `force`)."""
    save(build(qn, marking), Path(path), force)


def build(qn: Questionnaire, marking: str = DEFAULT_MARKING) -> Workbook:
    """The template; `marking` is the protective marking printed on every page."""
    wb = Workbook()
    instructions = wb.active
    instructions.title = INSTRUCTIONS
    questions = wb.create_sheet(QUESTIONS)
    lists = wb.create_sheet(LISTS)
    meta = wb.create_sheet(META)
    entries = questions_sheet(questions, lists, qn)
    instructions_sheet(instructions, qn, marking)
    metadata_sheet(meta, qn, entries)
    lists.sheet_state = "hidden"
    meta.sheet_state = "veryHidden"  # not even listed under Unhide in Excel
    for ws in (instructions, questions, lists, meta):
        ws.protection.sheet = True
        ws.protection.formatColumns = False  # people may widen columns and rows to read
        ws.protection.formatRows = False
    wb.security = WorkbookProtection(lockStructure=True)  # no adding, renaming or unhiding sheets
    wb.active = 0
    subject = f"{qn.title} (questionnaire {qn.version})"
    print_setup(instructions, subject, marking, print_area=f"A1:A{instructions.max_row}")
    print_setup(questions, subject, marking, title_rows=f"{HEADER_ROW}:{HEADER_ROW}",
                print_area=f"A1:{get_column_letter(len(COLUMNS))}{questions.max_row}")
    properties(wb, f"{qn.title}: questionnaire template", f"{qn.id} {qn.version}, to fill in and import with risk-cli")
    return wb


class _Lists:
    """The hidden sheet of dropdown lists: one column per distinct list, shared by questions."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.validations: dict[tuple[str, ...], DataValidation] = {}  # by the values listed

    def validation(self, title: str, values: tuple[str, ...]) -> DataValidation:
        dv = self.validations.get(values)
        if dv is None:
            col = len(self.validations) + 1
            put(self.ws, 1, col, title, font=BOLD)
            for i, value in enumerate(values, start=2):
                put(self.ws, i, col, value)
            letter = get_column_letter(col)
            self.ws.column_dimensions[letter].width = 30
            dv = DataValidation(type="list", formula1=f"'{LISTS}'!${letter}$2:${letter}${len(values) + 1}",
                                allow_blank=True, showErrorMessage=True, errorTitle="Not in the list",
                                error="Choose an answer from the list: click the cell, then its arrow.")
            self.validations[values] = dv
        return dv


def questions_sheet(ws: Any, lists_ws: Any, qn: Questionnaire) -> list[dict[str, Any]]:
    """The Questions sheet; returns where each answer went, which becomes the metadata the
    importer trusts (and checks)."""
    sizes = [w for _, w in COLUMNS]
    sizes[ID_COL - 1] = min(40, max(sizes[ID_COL - 1], max(len(q.id) for q in qn.questions) + 4))  # ids never wrap
    widths(ws, sizes)
    put(ws, 1, 1, f"{qn.title}: questionnaire ({qn.id} {qn.version})", font=TITLE)
    put(ws, 2, 1, "Answer in the yellow cells: column E (Answer) and column F (Note). "
                  "Read the Instructions sheet first. Grey cells are protected.")
    put(ws, DATE_ROW, WHEN_COL, "Date completed (dd/mm/yyyy)", font=BOLD, align=Alignment(horizontal="right"))
    date_cell = put(ws, DATE_ROW, ANSWER_COL, None, fill_=ANSWER_FILL, border=True)
    date_cell.number_format = UK_DATE
    date_cell.protection = UNLOCKED
    header_row(ws, HEADER_ROW, [name for name, _ in COLUMNS])
    ws.freeze_panes = f"A{HEADER_ROW + 1}"

    lists = _Lists(lists_ws)
    text_dv = DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(MAX_TEXT), allow_blank=True,
                             showErrorMessage=True, errorTitle="Too long", error=f"At most {MAX_TEXT:,} characters.")
    number_dvs: dict[tuple, DataValidation] = {}
    entries: list[dict[str, Any]] = []
    r = HEADER_ROW
    for n, section in enumerate(qn.sections, start=1):
        r += 1
        banner = f"{n}. {section.title}"
        if section.description:
            banner += f": {section.description}"
        if section.when is not None:
            banner += f" (Answer this section only if {describe(qn, section.when)}.)"
        put(ws, r, 1, banner, font=SUBTITLE, fill_=SECTION_FILL, align=WRAP)
        for col in range(2, len(COLUMNS) + 1):
            put(ws, r, col, None, fill_=SECTION_FILL)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(COLUMNS))
        ws.row_dimensions[r].height = 21  # room for the larger font; fit_rows makes a long banner taller
        for q in section.questions:
            r += 1
            entry = _question_row(ws, r, qn, q, lists, text_dv, number_dvs)
            if q.type == "multi":
                entry["choices"] = []
                for c in q.choices:
                    r += 1
                    entry["choices"].append(_choice_row(ws, r, q, section.title, c, lists))
            entries.append(entry)
    for dv in [*lists.validations.values(), text_dv, *number_dvs.values()]:
        if dv.sqref:
            ws.add_data_validation(dv)
    fit_rows(ws, sizes, HEADER_ROW + 1, r)
    return entries


def _question_row(ws: Any, r: int, qn: Questionnaire, q: Question, lists: _Lists, text_dv: DataValidation,
                  number_dvs: dict[tuple, DataValidation]) -> dict[str, Any]:
    section = qn.section_of[q.id]
    help_text = q.help
    if q.type == "choice" and any(c.help for c in q.choices):
        help_text += "".join(f"\n{c.label}: {c.help}" for c in q.choices if c.help)
    sources = "; ".join(qn.sources[s].title if s in qn.sources else s for s in q.sources)
    cells = [q.id, section.title, q.text, applies_text(qn, q), None, None, allowed_text(q), required_text(qn, q),
             help_text, sources]
    for col, value in enumerate(cells, start=1):
        put(ws, r, col, value, align=WRAP, border=True, fill_=None if col in (ANSWER_COL, NOTE_COL) else GREY_FILL,
            font=BOLD if col == ID_COL else None)
    answer = ws.cell(row=r, column=ANSWER_COL)
    note = ws.cell(row=r, column=NOTE_COL)
    note.fill, note.protection, note.number_format = NOTE_FILL, UNLOCKED, "@"
    text_dv.add(note.coordinate)
    entry: dict[str, Any] = {"id": q.id, "type": q.type, "row": r, "answer": answer.coordinate,
                             "note": note.coordinate, "required": q.required}
    if q.type == "multi":
        answer.fill = GREY_FILL  # answered on the tick rows below; stays locked
    else:
        answer.fill, answer.protection = ANSWER_FILL, UNLOCKED
        if q.type in ("choice", "yesno"):
            answer.number_format = "@"
            lists.validation(q.id if q.type == "choice" else "Yes / No / Don't know",
                             tuple(c.label for c in q.choices)).add(answer.coordinate)
            entry["choices"] = [{"id": c.id, "label": c.label} for c in q.choices]
        elif q.type == "number":
            if q.min is not None or q.max is not None:
                entry["min"], entry["max"] = q.min, q.max
            _number_validation(number_dvs, q).add(answer.coordinate)
        elif q.type == "date":
            answer.number_format = UK_DATE
        else:
            answer.number_format = "@"
            text_dv.add(answer.coordinate)
    return entry


def _choice_row(ws: Any, r: int, q: Question, section_title: str, c: Any, lists: _Lists) -> dict[str, Any]:
    alone = c.exclusive or c.unknown
    allowed = f"{TICK_YES} if it applies" + (" (only on its own)" if alone else "")
    cells = [q.id, section_title, c.label, None, None, None, allowed, None, c.help, None]
    for col, value in enumerate(cells, start=1):
        put(ws, r, col, value, align=WRAP, border=True, fill_=None if col == ANSWER_COL else GREY_FILL,
            font=MUTED if col in (ID_COL, SECTION_COL) else None)
    ws.cell(row=r, column=TEXT_COL).alignment = Alignment(wrap_text=True, vertical="top", indent=2)
    tick = ws.cell(row=r, column=ANSWER_COL)
    tick.fill, tick.protection, tick.number_format = ANSWER_FILL, UNLOCKED, "@"
    lists.validation("Tick", (TICK_YES, TICK_NO)).add(tick.coordinate)
    return {"id": c.id, "label": c.label, "exclusive": alone, "row": r, "cell": tick.coordinate}


def _number_validation(dvs: dict[tuple, DataValidation], q: Question) -> DataValidation:
    key = (q.min, q.max)
    dv = dvs.get(key)
    if dv is None:
        if q.min is not None and q.max is not None:
            dv = DataValidation(type="decimal", operator="between", formula1=f"{q.min:g}", formula2=f"{q.max:g}")
        elif q.min is not None:
            dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1=f"{q.min:g}")
        elif q.max is not None:
            dv = DataValidation(type="decimal", operator="lessThanOrEqual", formula1=f"{q.max:g}")
        else:
            dv = DataValidation(type="decimal", operator="between", formula1="-1E+300", formula2="1E+300")
        dv.allow_blank, dv.showErrorMessage = True, True
        dv.errorTitle, dv.error = "Not a number", f"Type a number ({allowed_text(q)}), without units."
        dvs[key] = dv
    return dv


# -- instructions -------------------------------------------------------------------------

def instructions_sheet(ws: Any, qn: Questionnaire, marking: str = DEFAULT_MARKING) -> None:
    widths(ws, [INSTRUCTIONS_WIDTH])
    ws.sheet_view.showGridLines = False
    blocks: list[tuple[str, list[str]]] = [
        ("What this is", [
            f"This workbook is the questionnaire \"{qn.title}\" (version {qn.version}). Your answers describe an AI use "
            "case; the assurance team imports the workbook with risk-cli, which checks every answer, scores the risks "
            "and writes the risk register. You never type or calculate a score here: scores are always worked out by "
            "the tool from your answers.",
        ]),
        ("How to fill it in", [
            "1. Go to the Questions sheet. Fill in \"Date completed\" at the top (dd/mm/yyyy).",
            "2. Answer each question in its yellow Answer cell (column E). Use the Note cell (column F) for anything "
            "that explains your answer: evidence, who you asked, what is planned.",
            "3. For questions with a list, click the Answer cell and choose from its arrow. You can also type the answer "
            "exactly as it appears in the Allowed answers column (capital letters do not matter).",
            "4. Numbers: type a plain number without units (5000, not \"5,000 records\"). Dates: dd/mm/yyyy.",
            "5. \"Answer only if\": some questions apply only after certain earlier answers, for example \"Answer only "
            "if data.personal is Yes\" (data.personal is the id in column A of the earlier question). If the earlier "
            "answer was \"Don't know\" or left blank, answer this question too: the tool cannot rule it out. If the "
            "condition does not hold, leave the question blank; an answer there is kept but not scored.",
            "6. Questions marked Required must be answered when they apply. If you do not know, choose \"Don't know\" "
            "rather than leaving the answer blank or guessing.",
        ]),
        ("Questions with several answers (\"Tick Yes on each choice that applies\")", [
            "A multiple-choice question is followed by one row per choice, each with its own yellow cell. Choose "
            f"\"{TICK_YES}\" in the cell of every choice that applies and leave the others blank (or \"{TICK_NO}\"). "
            "Do not type the choices into the question's own row. A choice marked \"only on its own\" (such as \"None "
            "of these\" or \"Don't know\") cannot be ticked together with other choices.",
        ]),
        ("What \"Don't know\" means", [
            "\"Don't know\" is an honest answer and better than a guess. It is scored cautiously: the tool assumes the "
            "less safe answer, so a risk may be raised or scored higher than it would be with a definite answer, and "
            "the register gets an action to find out the answer. A required question left blank is treated the same "
            "way when scored, but the import reports it so that it can be filled in (an import with --allow-incomplete "
            "scores it anyway and marks the register PROVISIONAL, listing every question not answered).",
        ]),
        ("What you cannot change", [
            "Question ids, question text and every grey cell are protected so that each answer can be matched to its "
            "question. Please do not unprotect the sheets, insert, delete, sort or move rows, or add or rename sheets. "
            "The protection has no password: it prevents accidents. If rows have been moved or protected cells "
            "changed, the import says so and names the cell.",
            "Do not enter formulas (anything starting with =). The import treats a formula in an answer or note as an "
            "error and names the cell; it never calculates it. Text that starts with =, +, - or @ is fine when it is "
            "typed as text (the Answer and Note cells are formatted as text).",
        ]),
        ("Sending it back", [
            "Save the workbook as an Excel workbook (.xlsx), without a password, and send it to your assurance team. "
            "Do not save it as .xls, .ods or CSV. Keep the hidden sheets: they tell the tool which questionnaire "
            "version you answered.",
            "The assurance team runs: risk-cli import your-file.xlsx -o imported/   This writes an answers file "
            "(your-file-answers.yaml) and a freshly scored risk register (your-file-register.xlsx). Anything wrong "
            "is listed with its cell, for example:",
            "your-file.xlsx: Questions!E14: \"Maybe\" is not an allowed answer to data.personal (allowed: Yes, No or "
            "Don't know)",
            "Nothing is imported from a workbook with problems until they are fixed; the other workbooks in the same "
            "import are not held up.",
        ]),
        ("About this template", [
            f"Questionnaire: {qn.title}",
            f"Questionnaire id and version: {qn.id} {qn.version}",
            f"Questionnaire content SHA-256: {qn.sha256}",
            f"Protective marking: {marking}",
            f"Template format {TEMPLATE_FORMAT}, made by risk-cli {__version__}. "
            f"{len(qn.questions)} questions in {len(qn.sections)} sections.",
        ]),
    ]
    r = instruction_blocks(ws, f"{qn.title}: instructions", blocks) + 2
    put(ws, r, 1, "Sources cited by the questions", font=SUBTITLE)
    for src in qn.sources.values():
        r += 1
        text = f"{src.title}: {src.url}" if src.url else src.title
        put(ws, r, 1, text, align=WRAP)
    fit_rows(ws, [INSTRUCTIONS_WIDTH], 1, r)


# -- metadata -----------------------------------------------------------------------------

def metadata(qn: Questionnaire, entries: list[dict[str, Any]]) -> dict[str, Any]:
    """Everything the importer needs to read answers back without guessing."""
    return {
        "template_format": TEMPLATE_FORMAT,
        "tool": f"risk-cli {__version__}",
        "questionnaire": {"id": qn.id, "version": qn.version, "sha256": qn.sha256, "title": qn.title},
        "sheet": QUESTIONS,
        "date_cell": DATE_CELL,
        "header_row": HEADER_ROW,
        "id_column": get_column_letter(ID_COL),
        "text_column": get_column_letter(TEXT_COL),
        "answer_column": ANSWER_LETTER,
        "note_column": NOTE_LETTER,
        "tick": {"yes": TICK_YES, "no": TICK_NO},
        "questions": entries,
    }


def metadata_text(meta: dict[str, Any]) -> str:
    return json.dumps(meta, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def metadata_sheet(ws: Any, qn: Questionnaire, entries: list[dict[str, Any]]) -> None:
    """A1 marker, B1 format; A2 'sha256', B2 the checksum of the JSON; the JSON from A3 in chunks."""
    text = metadata_text(metadata(qn, entries))
    put(ws, 1, 1, MARKER)
    put(ws, 1, 2, TEMPLATE_FORMAT)
    put(ws, 2, 1, "sha256")
    put(ws, 2, 2, checksum(text))
    for i in range(0, len(text), CHUNK):
        put(ws, 3 + i // CHUNK, 1, text[i:i + CHUNK])


def instruction_blocks(ws: Any, title: str, blocks: list[tuple[str, list[str]]]) -> int:
    """The Instructions sheet's title, then each block's heading and its paragraphs (an empty
    paragraph, such as text a language lacks, takes no row). Both template formats lay them out
    so; returns the last row written."""
    put(ws, 1, 1, title, font=TITLE)
    r = 2
    for heading, paragraphs in blocks:
        r += 1
        put(ws, r, 1, heading, font=SUBTITLE)
        for text in paragraphs:
            if text:
                r += 1
                put(ws, r, 1, text, align=WRAP)
    return r
