"""A draft ATRS record as a workbook laid out like the standard's template: an Info Page, then
one sheet per section in the standard's order (Tier 1's Summary Information, then Tier 2's eight),
one row per field, so each entry can be pasted into the template or the sheet sent as it is.

Every entry is written by writers.xlsx.put: text is always a text cell, never a formula.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from risk_cli.writers import xlsx
from risk_cli.writers.xlsx import BOLD, GREY_FILL, SUBTITLE, TITLE, WRAP, fill, put

if TYPE_CHECKING:
    from risk_cli.model.atrs import Record, RecordField, StandardSection

INFO = "Info Page"
HEADERS = ["Ref", "Field", "What the standard asks", "Entry", "Status", "Drawn from", "Reviewer comments"]
WIDTHS = [9, 26, 46, 70, 15, 28, 30]
FIRST_ROW = 4  # fields start here: the heading, the guidance link and a blank row above the header
MAX_CELL = 32_000  # Excel holds at most 32,767 characters in a cell
STATUS_FILL = {"Drafted": "C6EFCE", "Partly drafted": "FFEB9C", "To complete": "F2F2F2"}


def write(record: "Record", path: Path, force: bool = False, marking: str = xlsx.DEFAULT_MARKING) -> None:
    """Write the workbook atomically (never half a file; an existing one only with `force`);
    `marking` is the protective marking printed on every page."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    _info(wb.active, record, marking)
    for section in record.standard.sections:
        _section(wb.create_sheet(section.sheet), record, section)
    subject = f"Draft ATRS record: {record.use_case}"
    for ws in wb.worksheets:
        xlsx.print_setup(ws, subject, marking, title_rows=None if ws.title == INFO else f"{FIRST_ROW - 1}:{FIRST_ROW - 1}",
                         dated=f"Assessed {xlsx.uk_date(record.assessed_on)}",
                         print_area=f"A1:{get_column_letter(ws.max_column)}{ws.max_row}")
    xlsx.properties(wb, f"Draft ATRS record: {record.use_case}",
                    f"Algorithmic Transparency Recording Standard v{record.standard.version}, "
                    f"drafted by risk-cli from a self-assessment")
    xlsx.save(wb, Path(path), force)


def _info(ws: Any, record: "Record", marking: str = xlsx.DEFAULT_MARKING) -> None:
    st = record.standard
    ws.title = INFO
    xlsx.widths(ws, [34, 60, 12, 12, 12])
    put(ws, 1, 1, st.name, font=TITLE)
    put(ws, 2, 1, f"v{st.version} ({st.released})", font=SUBTITLE)
    rows = [
        ("Record", f"Draft for {record.use_case}"),
        ("Organisation", record.organisation),
        ("Protective marking", marking),
        ("Status", "DRAFT prepared by risk-cli from a self-assessment: not cleared for publication"),
        ("Clearance", "Before it goes to the ATRS team it needs written clearance by the team that runs the tool, "
                      "its senior responsible owner and the communications or press office."),
        ("Self-assessment", f"{record.assessed_on}, {record.questionnaire.label}"),
        ("Scope", f"{record.scope.label.capitalize()}: {record.scope.headline}"
                  + (f" {record.scope.basis}" if record.scope.basis else "")),
        ("Scope drawn from", ", ".join(record.scope.drawn_from)
                             + (f"; not known: {', '.join(record.scope.unknown)}" if record.scope.unknown else "")),
        ("Left out for publication", record.withheld_note or "Nothing"),
        ("Guidance", st.guidance_url),
        ("Template and records", st.hub_url),
        ("Field list", f"{st.label}, checked against the standard's guidance and change log on {st.checked}; where "
                       "the template you download differs, follow the template."),
    ]
    row = 4
    for label, value in rows:
        put(ws, row, 1, label, font=BOLD, align=WRAP)
        put(ws, row, 2, value, align=WRAP)
        row += 1
    row += 1
    put(ws, row, 1, "Navigation", font=SUBTITLE)
    row += 1
    xlsx.header_row(ws, row, ["Section", "What it covers", "Drafted", "Partly drafted", "To complete"])
    for section in record.standard.sections:
        row += 1
        fields = record.in_section(section)
        put(ws, row, 1, section.label, border=True, align=WRAP)
        put(ws, row, 2, section.covers, border=True, align=WRAP)
        for col, status in enumerate(("Drafted", "Partly drafted", "To complete"), start=3):
            put(ws, row, col, sum(1 for f in fields if f.status == status), border=True)
    xlsx.fit_rows(ws, [34, 60, 12, 12, 12], 4, row)


def _section(ws: Any, record: "Record", section: "StandardSection") -> None:
    xlsx.widths(ws, WIDTHS)
    put(ws, 1, 1, section.label, font=TITLE)
    put(ws, 1, len(HEADERS), f"Guidance: {record.standard.guidance_url}", align=WRAP)
    if section.note:
        put(ws, 2, 1, section.note, font=BOLD)
    xlsx.header_row(ws, FIRST_ROW - 1, HEADERS)
    row = FIRST_ROW
    for f in record.in_section(section):
        _field_row(ws, row, f)
        row += 1
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=1)
    xlsx.fit_rows(ws, WIDTHS, FIRST_ROW, row - 1)


def _field_row(ws: Any, row: int, f: "RecordField") -> None:
    put(ws, row, 1, f.field.ref, border=True, align=WRAP, fill_=GREY_FILL)
    put(ws, row, 2, f.field.name, border=True, align=WRAP, font=BOLD, fill_=GREY_FILL)
    put(ws, row, 3, f.field.guidance, border=True, align=WRAP)
    put(ws, row, 4, _fits(f.value), border=True, align=WRAP)
    put(ws, row, 5, f.status, border=True, align=WRAP, fill_=fill(STATUS_FILL[f.status]))
    put(ws, row, 6, ", ".join(f.drawn_from), border=True, align=WRAP)
    put(ws, row, 7, "", border=True, align=WRAP)
    if f.field.options:
        xlsx.dropdown(ws, list(f.field.options), f"D{row}", prompt=f"Choose the {f.field.name.lower()}")


def _fits(text: str) -> str:
    """An entry as a cell can hold it: the rest is in the Markdown and JSON records."""
    if len(text) <= MAX_CELL:
        return text
    return text[:MAX_CELL].rstrip() + " [... cut to fit a spreadsheet cell: the Markdown record has it all]"
