"""The board pack as a Word document, with python-docx (imported here only, so start-up never loads
it or lxml).

Only layout: the content is `model.report.Report`. Every text goes into a plain run, which Word
shows as typed (no field, hyperlink or formula is ever made from it). The protective marking is
in every page's header and footer and at the start and end of the text. The heat maps are
PNG pictures drawn by writers.heat_map_png (standard library only), with their scales in words
beneath and every cell's count as alternative text. The same report gives the same bytes: the core properties'
dates come from the assessment date, and every part of the package carries that date too.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Any

from risk_cli.model.report import Block, Cell, HeatMap, Items, Paragraph, Report, Subheading, Table

_HEX = re.compile(r"[0-9A-Fa-f]{6}")


def render(report: Report) -> bytes:
    """The .docx file's bytes."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(16)
    section.top_margin = section.bottom_margin = Mm(18)
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    for part in (section.header, section.footer):
        _marking(part.paragraphs[0], report.marking)
    _marking(doc.add_paragraph(), report.marking)
    doc.add_heading(level=0).add_run(report.title)
    doc.add_paragraph().add_run(report.subtitle).italic = True
    for s in report.sections:
        heading = doc.add_heading(level=1)
        heading.add_run(s.heading)
        if s.annex:
            heading.paragraph_format.page_break_before = True
        for block in s.blocks:
            _block(doc, block)
    _marking(doc.add_paragraph(), report.marking)
    _properties(doc, report)
    buffer = io.BytesIO()
    doc.save(buffer)
    return _fixed_dates(buffer.getvalue(), report.dated)


def _marking(paragraph: Any, marking: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run(marking).bold = True


def _date(iso: str) -> dt.datetime:
    try:
        day = dt.date.fromisoformat(iso)
    except ValueError:
        day = dt.date(2000, 1, 1)
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


def _properties(doc: Any, report: Report) -> None:
    """Fixed core properties, from the report itself: never the time of writing or the user's name."""
    props = doc.core_properties
    when = _date(report.dated)
    props.created = props.modified = props.last_printed = when
    props.author = props.last_modified_by = "risk-cli"
    props.title = report.title[:255]
    props.subject = report.subtitle[:255]
    props.keywords = report.marking
    props.category = "Board pack"
    props.comments = ""
    props.revision = 1


def _fixed_dates(data: bytes, iso: str) -> bytes:
    """The package again, each part dated `iso` (zip entries otherwise carry the time of writing)."""
    day = _date(iso)
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(item.filename))
    return out.getvalue()


def _block(doc: Any, block: Block) -> None:
    if isinstance(block, Paragraph):
        doc.add_paragraph().add_run(block.text).bold = block.strong
    elif isinstance(block, Subheading):
        doc.add_heading(level=2).add_run(block.text)
    elif isinstance(block, Items):
        style = "List Number" if block.ordered else "List Bullet"
        for item in block.items:
            doc.add_paragraph(style=style).add_run(item)
    elif isinstance(block, Table):
        _table(doc, block.headers, block.rows)
    elif isinstance(block, HeatMap):
        _heat_map(doc, block)
    else:
        raise TypeError(f"unknown block {type(block).__name__}")


def _table(doc: Any, headers: tuple[str, ...], rows: tuple[tuple[Cell, ...], ...]) -> Any:
    from docx.shared import Pt

    table = doc.add_table(rows=1 + len(rows), cols=len(headers))
    table.style = "Table Grid"
    # each row's cells, taken once: table.cell() and column.cells rebuild the whole table's list
    # of cells on every call, which made a 60-row table take a second
    grid = [row.cells for row in table.rows]
    for i, header in enumerate(headers):
        _put(grid[0][i], Cell(header, "F3F2F1"), bold=True)
    _repeat_header(table.rows[0])
    for r, row in enumerate(rows, start=1):
        for c, cell in enumerate(row):
            _put(grid[r][c], cell)
    for cells in grid:
        for cell in cells:
            for p in cell.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(8)
    _widths(table, grid, headers, rows)
    doc.add_paragraph()
    return table


def _widths(table: Any, grid: list[Any], headers: tuple[str, ...], rows: tuple[tuple[Cell, ...], ...]) -> None:
    """Columns as wide as their text needs within the 178 mm between the margins: every column at
    least as wide as its longest word (an id, a date), the room left shared by how much text each has."""
    from docx.shared import Mm

    per_char, pad, room = 1.55, 2.6, 178.0  # mm, for 8 pt Arial
    texts = [[h] + [r[i].text for r in rows if i < len(r)] for i, h in enumerate(headers)]
    least = [max(len(w) for t in col for w in (t.split() or [""])) * per_char + pad for col in texts]
    least = [min(x, 40.0) for x in least]
    want = [max(min(max(len(t) for t in col), 70) * per_char + pad, low) for col, low in zip(texts, least)]
    spare = room - sum(least)
    extra = [w - low for w, low in zip(want, least)]
    share = min(1.0, spare / sum(extra)) if spare > 0 and sum(extra) > 0 else 0.0
    widths = [low + e * share for low, e in zip(least, extra)]
    scale = room / sum(widths) if sum(widths) > room else 1.0
    table.autofit = False
    for i, width in enumerate(widths):
        size = Mm(width * scale)
        table.columns[i].width = size  # the grid, which LibreOffice follows
        for cells in grid:
            cells[i].width = size


def _put(cell: Any, value: Cell, bold: bool = False) -> None:
    run = cell.paragraphs[0].add_run(value.text)
    run.bold = bold
    if value.fill and _HEX.fullmatch(value.fill):
        _shade(cell, value.fill)


def _shade(cell: Any, colour: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), colour.upper())
    cell._tc.get_or_add_tcPr().append(shd)


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _heat_map(doc: Any, hm: HeatMap) -> None:
    """The heat map as a picture (writers.heat_map_png), with its scales in words beneath and the
    count in every cell as the picture's alternative text."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    from risk_cli.writers import heat_map_png

    doc.add_heading(level=3).add_run(hm.title)
    picture = doc.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.keep_with_next = True
    shape = picture.add_run().add_picture(io.BytesIO(heat_map_png.render(hm)), width=Mm(120))
    cells = [f"likelihood {hm.levels[0] - r}, impact {c + 1}: {cell.text or 0}"
             for r, row in enumerate(hm.rows) for c, cell in enumerate(row) if cell.text]
    shape._inline.docPr.set("descr", f"{hm.title}: {hm.total} risks; " + "; ".join(cells))
    shape._inline.docPr.set("title", hm.title)
    caption = doc.add_paragraph()
    caption.add_run(f"Likelihood (rows, {hm.levels[0]} at the top): " + ", ".join(
        f"{n} {label}" for n, label in enumerate(hm.likelihood, start=1)) + ". Impact (columns, 1 at the left): "
        + ", ".join(f"{n} {label}" for n, label in enumerate(hm.impact, start=1)) + ".")
    caption.add_run(" Number of risks in each cell, coloured by rating: " + ", ".join(c.text for c in hm.legend)
                    + f". {hm.total} risks in all.")
