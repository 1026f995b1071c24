"""The portfolio workbook: one view across hundreds or thousands of assessed use cases.

Sheets: Overview (a row per use case), All risks (a tidy row per risk per use case, ready
for a pivot table or a BI tool), Heat maps, Barriers (against the NAO's 2023 survey),
Escalations, Inputs (every file and what became of it), Other models (format-2 assessments, rated or
points, when any were given: never in the heat maps or totals) and About. The workbook is written
in openpyxl's write-only mode so memory stays flat however many use cases there are; every
value that may hold a person's text goes through `xlsx.text_cell`, so none becomes a formula.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Optional

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from risk_cli import __version__
from risk_cli.model.portfolio import Portfolio
from risk_cli.writers.xlsx import (
    BOLD, DEFAULT_MARKING, HEADER_ALIGN, HEADER_FILL, HEADER_FONT, SUBTITLE, TITLE, WRAP, as_date, fill, heat_map,
    print_setup, properties, put, safe_value, save, table, text_cell, widths,
)

OVERVIEW, ALL_RISKS, HEAT_MAPS, BARRIERS, ESCALATIONS, INPUTS, ABOUT = (
    "Overview", "All risks", "Heat maps", "Barriers", "Escalations", "Inputs", "About")
OTHER_MODELS = "Other models"
PERCENT = "0%"


def write(pf: Portfolio, path: Path, force: bool = False, marking: str = DEFAULT_MARKING) -> None:
    """Build the workbook and write it atomically."""
    save(build(pf, marking), path, force)


def build(pf: Portfolio, marking: str = DEFAULT_MARKING) -> Workbook:
    """The workbook; `marking` is the protective marking printed on every page and on About."""
    wb = Workbook(write_only=True)
    subject = f"AI portfolio: {len(pf.use_cases)} use case(s)"
    sheets = [(OVERVIEW, overview_sheet), (ALL_RISKS, all_risks_sheet), (HEAT_MAPS, heat_maps_sheet),
              (BARRIERS, barriers_sheet), (ESCALATIONS, escalations_sheet), (INPUTS, inputs_sheet)]
    if pf.others:
        sheets.append((OTHER_MODELS, other_models_sheet))
    for name, fill_sheet in sheets:
        ws = wb.create_sheet(name)
        print_setup(ws, subject, marking, title_rows=None if name == HEAT_MAPS else "1:1")
        fill_sheet(ws, pf)
    about = wb.create_sheet(ABOUT)
    print_setup(about, subject, marking)
    about_sheet(about, pf, marking)
    properties(wb, subject, "Portfolio of AI use case risk assessments, re-scored by risk-cli")
    return wb


# -- write-only helpers ----------------------------------------------------------------------

def header(ws: Any, columns: list[tuple[str, float]]) -> list[str]:
    """Column widths and a styled header row; returns the header names."""
    widths(ws, [width for _, width in columns])
    cells = []
    for name, _ in columns:
        cell = text_cell(ws, name)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGN
        cells.append(cell)
    ws.append(cells)
    ws.freeze_panes = "C2"
    return [name for name, _ in columns]


def append(ws: Any, values: Iterable[Any], formats: Optional[dict[int, str]] = None) -> None:
    """One row; every value through safe_value (text stays text), numbers optionally formatted."""
    row = []
    for i, value in enumerate(values):
        if formats and i in formats and isinstance(value, (int, float)):
            cell = WriteOnlyCell(ws, value)
            cell.number_format = formats[i]
            row.append(cell)
        else:
            row.append(safe_value(ws, value))
    ws.append(row)


def add_table(ws: Any, name: str, headers: list[str], n_rows: int) -> None:
    """An Excel table (filters, banding) over the header and n_rows rows, named column by column
    (write-only); none over a header alone."""
    if n_rows == 0:
        return
    table(ws, name, 1, len(headers), n_rows, headers=headers)


class Drawing:
    """Lets put() and heat_map() draw on a write-only sheet: cells are kept, then appended in row order."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.parent = ws.parent  # the workbook: put() keys its style cache on it
        self.cells: dict[tuple[int, int], Any] = {}

    def cell(self, row: int, column: int) -> Any:
        key = (row, column)
        if key not in self.cells:
            self.cells[key] = WriteOnlyCell(self.ws)
        return self.cells[key]

    def flush(self) -> None:
        rows: dict[int, dict[int, Any]] = {}
        for (r, c), cell in self.cells.items():
            rows.setdefault(r, {})[c] = cell
        for r in range(1, max(rows, default=0) + 1):
            cols = rows.get(r, {})
            self.ws.append([cols.get(c) for c in range(1, max(cols, default=0) + 1)])


def yes(flag: bool) -> str:
    return "Yes" if flag else "No"


# -- sheets ------------------------------------------------------------------------------------

def overview_sheet(ws: Any, pf: Portfolio) -> None:
    bands = list(reversed(pf.ratings))
    columns = [("Organisation", 28), ("Use case", 34), ("Senior responsible owner", 20), ("Phase", 10),
               ("Tier level", 7), ("Tier", 18), ("Escalate", 9)]
    columns += [(f"Residual {b.label.lower()}", 10) for b in bands]
    columns += [("Risks", 7), ("Above appetite", 9), ("Mandatory checks outstanding", 11), ("Checks outstanding", 28),
                ("Barriers reported", 30), ("Assessed on", 12), ("Next review", 12), ("Questionnaire", 20),
                ("Questionnaire version", 11), ("Older questionnaire version", 16), ("File", 40), ("Input kind", 10)]
    names = header(ws, columns)
    for u in pf.use_cases:
        reg = u.register
        counts = reg.counts()
        append(ws, [u.organisation, u.name, reg.profile("owner"), reg.profile("phase"), reg.tier.level.level,
                    reg.tier.level.label, yes(u.escalate)] + [counts.get(b.id, 0) for b in bands] + [
                    len(reg.risks), len(reg.breaches), len(reg.outstanding_checks),
                    "; ".join(c.check.title for c in reg.outstanding_checks),
                    "; ".join(b.barrier.title for b in reg.barriers if b.reported), as_date(reg.assessed_on),
                    as_date(reg.next_review), reg.questionnaire.id, u.version,
                    f"Yes: {u.newest_version} is newer" if u.outdated else "No", u.source.path, u.source.kind])
    add_table(ws, "Overview", names, len(pf.use_cases))


ALL_RISK_COLUMNS = [
    ("Organisation", 28), ("Use case", 34), ("Phase", 10), ("Tier level", 7), ("Risk ID", 13), ("Category", 13),
    ("AI sub-category", 18), ("Title", 40), ("Inherent likelihood", 10), ("Inherent impact", 10),
    ("Inherent score", 9), ("Inherent rating", 10), ("Residual likelihood", 10), ("Residual impact", 10),
    ("Residual score", 9), ("Residual rating", 10), ("Risk appetite", 11), ("Appetite max score", 10),
    ("Above appetite", 9), ("Controls in place", 9), ("Unknown answers", 9), ("NAO barrier", 24),
    ("Questionnaire version", 11), ("Assessed on", 12), ("File", 40),
]


def all_risks_sheet(ws: Any, pf: Portfolio) -> None:
    """The tidy table: one row per risk per use case, values only, for pivots and BI tools."""
    names = header(ws, ALL_RISK_COLUMNS)
    n = 0
    for u in pf.use_cases:
        reg = u.register
        scoring = reg.questionnaire.scoring
        barriers = {b.id: b.title for b in reg.questionnaire.barriers}
        org, name, phase, level = u.organisation, u.name, reg.profile("phase"), reg.tier.level.level
        assessed = as_date(reg.assessed_on)
        for sr in reg.risks:
            risk = sr.risk
            append(ws, [org, name, phase, level, risk.id, scoring.category(risk.category).label, risk.subcategory,
                        risk.title, sr.likelihood, sr.impact, sr.score, sr.rating.label, sr.residual_likelihood,
                        sr.residual_impact, sr.residual_score, sr.residual_rating.label, sr.appetite.label,
                        sr.appetite.max_score, yes(sr.breach), len(sr.controls), len(sr.unknowns),
                        barriers.get(risk.barrier, ""), u.version, assessed, u.source.path])
            n += 1
    add_table(ws, "AllRisks", names, n)


def heat_maps_sheet(ws: Any, pf: Portfolio) -> None:
    ws.column_dimensions["A"].width = 26
    for col in "BCDEFG":
        ws.column_dimensions[col].width = 14
    d = Drawing(ws)
    put(d, 1, 1, "Portfolio heat maps", font=TITLE)
    put(d, 2, 1, f"Number of risks across {len(pf.use_cases)} use case(s) ({pf.risk_count} risks), "
                 "by likelihood and impact."
                 + (f" {len(pf.others)} format-2 assessment(s) (rated or points model) are not counted here: see "
                    f"{OTHER_MODELS}." if pf.others else "")
                 + (f" {len(pf.off_scale)} use case(s) scored on other scale sizes are not counted here: see the "
                    f"warnings on the {ABOUT} sheet." if pf.off_scale else ""))
    r = heat_map(d, 4, 1, "Inherent risk (before controls)", pf.inherent, pf.scoring)
    r = heat_map(d, r, 1, "Residual risk (after the controls in place)", pf.residual, pf.scoring)
    put(d, r, 1, "Risks by rating", font=SUBTITLE)
    for c, text in enumerate(["Rating", "Inherent", "Residual"], start=1):
        put(d, r + 1, c, text, font=HEADER_FONT, fill_=HEADER_FILL, border=True)
    inherent, residual = pf.totals(residual=False), pf.totals(residual=True)
    r += 2
    for band in reversed(pf.ratings):
        put(d, r, 1, band.label, fill_=fill(band.colour), border=True)
        put(d, r, 2, inherent.get(band.id, 0), border=True)
        put(d, r, 3, residual.get(band.id, 0), border=True)
        r += 1
    r += 1
    put(d, r, 1, "Use cases by assurance tier", font=SUBTITLE)
    for c, text in enumerate(["Tier", "Use cases"], start=1):
        put(d, r + 1, c, text, font=HEADER_FONT, fill_=HEADER_FILL, border=True)
    r += 2
    for label, count in pf.tiers():
        put(d, r, 1, label, border=True)
        put(d, r, 2, count, border=True)
        r += 1
    d.flush()


def barriers_sheet(ws: Any, pf: Portfolio) -> None:
    columns = [("Barrier", 44), ("Use cases asked", 10), ("Use cases reporting it", 11), ("Share of use cases", 10),
               ("Organisations", 12), ("Organisations reporting it", 13), ("Share of organisations", 12),
               ("NAO 2023 survey: share of bodies", 16), ("NAO share as a number", 11),
               ("Share of organisations minus NAO (points)", 14)]
    names = header(ws, columns)
    ws.freeze_panes = "B2"
    for b in pf.barriers:
        nao = b.nao_value / 100 if b.nao_value is not None else None
        diff = round((b.organisation_share - nao) * 100) if nao is not None and b.organisation_share is not None else None
        append(ws, [b.title, b.use_cases, b.reporting, b.share, b.organisations, b.organisations_reporting,
                    b.organisation_share, b.nao_share, nao, diff], formats={3: PERCENT, 6: PERCENT, 8: PERCENT})
    add_table(ws, "Barriers", names, len(pf.barriers))
    ws.append([])
    ws.append([text_cell(ws, "The NAO surveyed 87 government bodies in autumn 2023 (National Audit Office, Use of "
                             "artificial intelligence in government, HC 612, March 2024); its shares are of bodies, "
                             "so compare them with the share of organisations.")])


def escalations_sheet(ws: Any, pf: Portfolio) -> None:
    columns = [("Organisation", 28), ("Use case", 34), ("Tier level", 7), ("Tier", 18), ("Approver", 30),
               ("Above appetite", 9), ("Worst residual", 14), ("Mandatory checks outstanding", 11), ("Reasons", 80),
               ("File", 40)]
    names = header(ws, columns)
    rows = pf.escalations_by_urgency()
    for u in rows:
        reg = u.register
        worst = u.worst_residual
        append(ws, [u.organisation, u.name, reg.tier.level.level, reg.tier.level.label, reg.tier.approver,
                    len(reg.breaches), f"{worst.residual_score} {worst.residual_rating.label}" if worst else "",
                    len(reg.outstanding_checks), "\n".join(u.reasons), u.source.path])
    if rows:
        add_table(ws, "Escalations", names, len(rows))
    else:
        append(ws, ["None: no use case is at the top tiers or has a residual risk above appetite."])


def inputs_sheet(ws: Any, pf: Portfolio) -> None:
    """Every input and what became of it, so nothing is dropped without a trace."""
    names = header(ws, [("File", 50), ("Status", 24), ("Organisation", 28), ("Use case", 34), ("Assessed on", 12),
                        ("Detail", 80)])
    ws.freeze_panes = "B2"
    rows: list[list[Any]] = []
    for u in pf.use_cases:
        rows.append([u.source.path, f"Used ({u.source.kind})", u.organisation, u.name, as_date(u.register.assessed_on), ""])
    for d in pf.duplicates:
        for a in d.ignored:
            rows.append([a.path, "Not used: older duplicate", d.organisation, d.name, as_date(a.register.assessed_on),
                         f"The newer assessment in {d.used.path} is used"])
    for s in pf.skipped:
        rows.append([s.path, "Skipped: bad input", "", "", "", s.line()])
    for o in pf.others:
        rows.append([o.path, f"Listed on {OTHER_MODELS} ({o.kind})", "", o.use_case, "",
                     f"{o.model} model: {o.result}"])
    rows.sort(key=lambda row: row[0])
    for row in rows:
        append(ws, row)
    add_table(ws, "Inputs", names, len(rows))


def other_models_sheet(ws: Any, pf: Portfolio) -> None:
    """Format-2 assessments, outside the 5x5 heat maps and totals: each with its own model's result and
    counts (rated: risks per rating; points: the score of its maximum and the discount). A model's
    columns appear only when an assessment with that model is listed."""
    labels: dict[str, None] = {}
    for o in pf.others:
        for _, label, _ in o.counts:
            labels.setdefault(label)
    rated = any(o.model == "rated" for o in pf.others)
    points = any(o.model == "points" for o in pf.others)
    columns = [("Use case", 34), ("File", 50), ("Questionnaire", 30), ("Model", 10), ("Result", 16)]
    if rated:
        columns += [(f"{label} risks", 12) for label in labels] + [("Rated highest", 30)]
    if points:
        columns += [("Score", 10), ("Of a maximum of", 12), ("Discount applied", 12)]
    names = header(ws, columns + [("Summary", 44)])

    def plain(v: Any) -> Any:
        return "" if v is None else int(v) if float(v).is_integer() else v

    for o in pf.others:
        counts = {label: n for _, label, n in o.counts}
        row: list[Any] = [o.use_case, o.path, o.questionnaire, o.model, o.result_label]
        if rated:
            row += [counts.get(label, "") for label in labels] + [", ".join(o.highest)]
        if points:
            row += [plain(o.score), plain(o.maximum), "" if o.discount is None else yes(o.discount)]
        append(ws, row + [o.result])
    add_table(ws, "OtherModels", names, len(pf.others))


def about_sheet(ws: Any, pf: Portfolio, marking: str = DEFAULT_MARKING) -> None:
    from risk_cli.writers.register import generated_at

    ws.column_dimensions["A"].width = 120
    lines = [
        ("About this portfolio", TITLE),
        (f"Generated by risk-cli {__version__} on {generated_at()}.", None),
        (f"Protective marking: {marking}", BOLD),
        ("", None),
        ("Every score is recomputed by risk-cli from each use case's answers (registers are re-read from their hidden "
         "data sheet); a score typed into a spreadsheet is never used.", None),
        ("The same use case (same organisation and name, ignoring case and spacing) given more than once is counted "
         "once: the newest assessment is used (assessment date, then the file's modification time). See Inputs.", None),
        ("Escalate: the use case is at one of the top two tiers of its questionnaire (or the tier given with "
         "--escalate-tier), or has a residual risk above the risk appetite for its category.", None),
        ("Older questionnaire version: assessed against an older version than the newest this run knows; "
         "re-assess it with the current questionnaire.", None),
        ("All risks is a tidy table (one header row, one row per risk per use case) for pivot tables and BI tools.",
         None),
    ]
    for text, font in lines:
        cell = text_cell(ws, text)
        cell.alignment = WRAP
        if font is not None:
            cell.font = font
        ws.append([cell])
    if pf.warnings:
        ws.append([])
        head = text_cell(ws, "Warnings")
        head.font = BOLD
        ws.append([head])
        for w in pf.warnings:
            ws.append([text_cell(ws, str(w))])
