"""Shared helpers for every workbook risk-cli writes.

The one rule that matters most: text that came from a person is written as a text cell,
never a formula, whatever it starts with. `put()` is the only way values reach a cell.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import weakref
from copy import copy
from pathlib import Path
from typing import Any, Iterable, Optional

from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet.merge import MergedCellRange

from risk_cli.fileio import atomic_write

# Leading characters that make a spreadsheet program treat typed text as a formula (OWASP).
RISKY_START = ("=", "+", "-", "@", "\t", "\r")
# Excel and python-calamine show the text _x0041_ in a cell as "A". Text a person wrote never
# holds such a sequence (answers.clean_text refuses it); text risk-cli writes itself, such as a
# file name in a batch summary, may, so its underscore is written as Excel writes it: _x005F_.
# Only the underscore is matched, so both sequences in an overlapping "_x0041_x0042_" stay as written.
_ESCAPE_LIKE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")  # the start of an answers.SPREADSHEET_ESCAPE

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=16)
SUBTITLE = Font(bold=True, size=12)
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
GREY_FILL = PatternFill("solid", fgColor="F2F2F2")
THIN = Side(style="thin", color="A6A6A6")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTRE = Alignment(horizontal="center", vertical="center")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center")
SCALE_ALIGN = Alignment(wrap_text=True, horizontal="center")
UK_DATE = "dd/mm/yyyy"


@functools.lru_cache(maxsize=None)
def fill(colour: str) -> PatternFill:
    """One fill object per colour, so put()'s style cache recognises it."""
    return PatternFill("solid", fgColor=colour)


# WCAG 2.2 AA (success criterion 1.4.3): text needs a contrast ratio of at least 4.5:1 with its background.
AA_TEXT = 4.5
BLACK, WHITE = "000000", "FFFFFF"


def luminance(colour: str) -> float:
    """The relative luminance of an RGB colour given as hex (RRGGBB, or AARRGGBB as openpyxl keeps it)."""
    rgb = colour[-6:]

    def channel(part: str) -> float:
        c = int(part, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(rgb[i:i + 2]) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two colours, from 1 (the same) to 21 (black and white)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour(background: str) -> str:
    """Black or white, whichever contrasts more with `background` (always at least 4.58:1).
    Every fill a questionnaire or risk-cli chooses gets its text colour here (see put())."""
    return BLACK if contrast(BLACK, background) >= contrast(WHITE, background) else WHITE


_READABLE: dict[tuple[int, str], tuple[Optional[Font], Font]] = {}


def readable(font: Optional[Font], fill_: PatternFill) -> Optional[Font]:
    """`font` for text on `fill_`: as it is when its colour meets AA_TEXT on that fill, else the
    same font in text_colour(fill). One Font object per combination, so put()'s cache keeps working."""
    background = fill_.fgColor.rgb if isinstance(fill_.fgColor.rgb, str) else WHITE
    key = (id(font), background)
    known = _READABLE.get(key)
    if known is not None:
        return known[1]
    colour = font.color.rgb if font is not None and font.color is not None and isinstance(font.color.rgb, str) else None
    if colour is not None and contrast(colour, background) >= AA_TEXT:
        result = font
    else:
        result = copy(font) if font is not None else Font()
        result.color = text_colour(background)
    _READABLE[key] = (font, result)
    return result


# Per workbook: the cell style each combination of put() arguments produced, and the style
# objects themselves (held so their ids, the cache key, stay unique). Setting a style the
# usual way hashes the whole style object on every cell; copying the finished style is the
# same result at a fraction of the cost, which matters when a batch writes thousands.
_STYLES: "weakref.WeakKeyDictionary[Any, dict[tuple, tuple]]" = weakref.WeakKeyDictionary()


def _set_text(cell: Any, value: str) -> bool:
    """Make `cell` a text cell holding `value`; True when it needs Excel's quote prefix."""
    if "_x" in value:
        value = _ESCAPE_LIKE.sub("_x005F_", value)
    try:
        cell.value = value
    except IllegalCharacterError:  # a control character (in a file name, say): shown, never a crash
        value = printable(value)
        cell.value = value
    cell.data_type = "s"  # never a formula, never an error code such as #N/A
    return value.startswith(RISKY_START)  # Excel keeps it text even when the cell is edited


def put(ws: Any, row: int, col: int, value: Any, *, font: Optional[Font] = None,
        fill_: Optional[PatternFill] = None, align: Optional[Alignment] = None, border: bool = False) -> Any:
    """Write one value safely: strings are always text cells, ISO dates become real dates."""
    cell = ws.cell(row=row, column=col)
    if fill_ is not None:
        font = readable(font, fill_)
    quote = is_date = False
    if isinstance(value, str):
        quote = _set_text(cell, value)
    elif isinstance(value, dt.date):
        cell.value = value
        is_date = True
    else:
        cell.value = value
    if not (quote or is_date or border) and font is None and fill_ is None and align is None:
        return cell
    key = (id(font), id(fill_), id(align), border, quote, is_date)
    cache = _STYLES.get(ws.parent)
    if cache is None:
        cache = _STYLES[ws.parent] = {}
    fresh = not cell.has_style  # a cell styled before keeps what this call does not set: no shortcut
    known = cache.get(key) if fresh else None
    if known is not None:
        cell._style = StyleArray(known[0])
        return cell
    if quote:
        cell.quotePrefix = True
    if is_date:
        cell.number_format = UK_DATE
    if font is not None:
        cell.font = font
    if fill_ is not None:
        cell.fill = fill_
    if align is not None:
        cell.alignment = align
    if border:
        cell.border = BOX
    if fresh:
        cache[key] = (copy(cell._style), (font, fill_, align))
    return cell


# Per workbook: the cells one merge left behind, by what it started from (see merge()).
_MERGES: "weakref.WeakKeyDictionary[Any, dict[tuple, tuple]]" = weakref.WeakKeyDictionary()


def merge(ws: Any, row: int, first_col: int, last_col: int) -> None:
    """Merge columns `first_col`..`last_col` of one row: the same cells, styles and merged range
    as `ws.merge_cells`, which builds and hashes a new border for every edge cell of every merge.
    A register merges ranges of the same shape and style many times, so after the first, the
    finished cells are copied. What a merge leaves depends only on the first cell's style, the
    last cell's (when it exists) and the width, which together are the key."""
    cells = ws._cells
    start, end = cells.get((row, first_col)), cells.get((row, last_col))
    if start is None or isinstance(start, MergedCell) or isinstance(end, MergedCell) or last_col <= first_col:
        ws.merge_cells(start_row=row, start_column=first_col, end_row=row, end_column=last_col)
        return
    key = (_style_key(start), None if end is None else _style_key(end), last_col - first_col)
    done = _MERGES.get(ws.parent)
    if done is None:
        done = _MERGES[ws.parent] = {}
    known = done.get(key)
    if known is None:
        ws.merge_cells(start_row=row, start_column=first_col, end_row=row, end_column=last_col)
        done[key] = tuple(_style_key(cells[(row, col)]) for col in range(first_col, last_col + 1))
        return
    coord = f"{get_column_letter(first_col)}{row}:{get_column_letter(last_col)}{row}"
    ws.merged_cells.add(MergedCellRange(ws, coord))
    for offset, style in enumerate(known):
        col = first_col + offset
        cell = start if offset == 0 else MergedCell(ws, row=row, column=col)
        cell._style = None if style is None else StyleArray(style)
        cells[(row, col)] = cell


def _style_key(cell: Any) -> Optional[tuple[int, ...]]:
    return None if cell._style is None else tuple(cell._style)


def as_date(iso: str) -> Any:
    """An ISO date string as a date for the spreadsheet, or '' when there is none."""
    return dt.date.fromisoformat(iso) if iso else ""


def uk_date(iso: str) -> str:
    """An ISO date as text, dd/mm/yyyy, as the sheets show dates; '' when there is none."""
    return dt.date.fromisoformat(iso).strftime("%d/%m/%Y") if iso else ""


def answers_sheet(ws: Any, text: str) -> None:
    """The answers file a workbook was scored from, hidden, so import, batch, portfolio and report
    re-read exactly what was answered (readers.inputs reads column A from row 2)."""
    put(ws, 1, 1, "risk-cli answers (do not edit)")
    put(ws, 1, 2, "format")
    put(ws, 1, 3, 1)
    chunk = 30_000
    for i in range(0, max(len(text), 1), chunk):
        put(ws, 2 + i // chunk, 1, text[i:i + chunk])
    ws.sheet_state = "hidden"


def header_row(ws: Any, row: int, headers: Iterable[str], col: int = 1) -> None:
    for i, text in enumerate(headers):
        put(ws, row, col + i, text, font=HEADER_FONT, fill_=HEADER_FILL, align=HEADER_ALIGN, border=True)


def widths(ws: Any, sizes: Iterable[float]) -> None:
    for i, size in enumerate(sizes, start=1):
        ws.column_dimensions[get_column_letter(i)].width = size


# The UK Government Security Classifications marking printed on every page unless --marking says otherwise.
DEFAULT_MARKING = "OFFICIAL"
SUBJECT_LIMIT = 60  # characters of a use case name in a page header: room for the marking in Excel's 255
_HEADER_LIMIT = 255  # Excel's limit on a header (or a footer): its three sections together
_NOT_PRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def header_text(text: str, limit: int = SUBJECT_LIMIT) -> str:
    """A person's text as it may stand in a page header or footer: one line, at most `limit`
    characters (cut with an ellipsis), and each '&' doubled, so 'R&D' prints as written instead of
    'R' and the date (&D), and no text can become a header code (page numbers, fonts, pictures)."""
    text = " ".join(_NOT_PRINTABLE.sub(" ", text).split())
    if len(text) > limit:
        text = text[:limit - 1].rstrip() + "\u2026"
    return text.replace("&", "&&")


def print_setup(ws: Any, subject: str, marking: str = DEFAULT_MARKING, *, landscape: bool = True,
                title_rows: Optional[str] = None, print_area: Optional[str] = None, dated: str = "") -> None:
    """How every sheet risk-cli writes prints: A4, one page wide and as many pages down as it takes
    (a sheet printed for a meeting is read down the page, never across several), the header row
    repeated on every page (`title_rows`, such as "1:1"), and on every page a header with the
    subject (the use case, say), the protective marking and the sheet's name, and a footer with
    "Page n of m", the marking again and the date (`dated`, such as "Assessed 27/11/2026"; by
    default the day the workbook was written). The date is text, dd/mm/yyyy: a spreadsheet
    program prints its own date code (&D) in its locale's order, so 03/12 could read as 12 March.
    The subject and marking are escaped and kept short (header_text)."""
    setup = ws.page_setup
    setup.orientation = "landscape" if landscape else "portrait"
    setup.paperSize = "9"  # A4 (Worksheet.PAPERSIZE_A4; a write-only sheet lacks the name)
    setup.fitToWidth = 1
    setup.fitToHeight = 0  # as many pages tall as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.25
    if title_rows:
        ws.print_title_rows = title_rows
    if print_area:
        ws.print_area = print_area
    mark = "&B" + header_text(marking) + "&B"
    when = header_text(dated or f"Written {written_on()}", 40)
    room = _HEADER_LIMIT - len(f"&L&C{mark}&R&A")
    ws.oddHeader.left.text = header_text(subject, min(SUBJECT_LIMIT, room // 2))
    ws.oddHeader.center.text = mark
    ws.oddHeader.right.text = "&A"  # the sheet's name
    ws.oddFooter.left.text = "Page &P of &N"
    ws.oddFooter.center.text = mark
    ws.oddFooter.right.text = when


def written_on() -> str:
    """Today as dd/mm/yyyy (UTC), or the day SOURCE_DATE_EPOCH names, for reproducible builds."""
    import os

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = (dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch and epoch.isdigit()
            else dt.datetime.now(dt.timezone.utc))
    return when.strftime("%d/%m/%Y")


def properties(wb: Any, title: str, subject: str) -> None:
    """The workbook's document properties (File > Info): its title and subject, and risk-cli as
    its creator rather than the library that wrote it."""
    from risk_cli import __version__

    wb.properties.title = " ".join(_NOT_PRINTABLE.sub(" ", title).split())[:250]
    wb.properties.subject = " ".join(_NOT_PRINTABLE.sub(" ", subject).split())[:250]
    wb.properties.creator = f"risk-cli {__version__}"
    wb.properties.lastModifiedBy = f"risk-cli {__version__}"


def table(ws: Any, name: str, first_row: int, n_cols: int, n_rows: int, style: str = "TableStyleLight9",
          headers: Optional[list[str]] = None) -> None:
    """Mark a tidy block (header plus rows) as an Excel table: filters and banding.

    A write-only sheet cannot read its header row back, so it passes the column names as
    `headers`; a normal sheet leaves openpyxl to read them when it saves.
    """
    import warnings

    from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

    last_row = first_row + max(n_rows, 1)
    ref = f"A{first_row}:{get_column_letter(n_cols)}{last_row}"
    t = Table(displayName=name, ref=ref)
    t.tableStyleInfo = TableStyleInfo(name=style, showRowStripes=True)
    if headers is None:
        ws.add_table(t)
        return
    t.tableColumns = [TableColumn(id=i, name=h) for i, h in enumerate(headers, start=1)]
    with warnings.catch_warnings():  # openpyxl warns in write-only mode even when the columns are named
        warnings.filterwarnings("ignore", message="In write-only mode you must add table columns manually")
        ws.add_table(t)


def dropdown(ws: Any, values: list[str], cells: str, prompt: str = "") -> None:
    """A list validation; inline lists stay short (Excel repairs files over 255 characters)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    for value in values:
        if '"' in value or "," in value:
            raise ValueError(f"a drop-down choice cannot hold a quote or a comma: {value!r}")
    formula = '"' + ",".join(values) + '"'
    if len(formula) > 255:
        raise ValueError("long lists must point at a range on a hidden sheet")
    dv = DataValidation(type="list", formula1=formula, allow_blank=True, showDropDown=False)
    if prompt:
        dv.promptTitle, dv.prompt, dv.showInputMessage = "Choose", prompt, True
    dv.add(cells)
    ws.add_data_validation(dv)


def formula_text(text: str) -> str:
    """Text as a string literal inside a formula risk-cli builds itself (a conditional format).

    The text comes from a questionnaire, so a quote in it must not end the literal: doubled, it
    stays part of the text, and `High"&WEBSERVICE(...)&"` compares against those characters
    instead of calling anything. Excel caps a literal at 255 characters.
    """
    if len(text) > 255 or any(ord(c) < 32 for c in text):
        raise ValueError(f"text cannot be written into a formula: {text[:40]!r}")
    return '"' + text.replace('"', '""') + '"'


# The formulas risk-cli builds itself (a register's scores and ratings) are made of these tokens
# only: cell references on the same sheet, a few functions, numbers, string literals (quoted by
# formula_text), commas, brackets and multiplication. No text a person wrote is ever one of them.
FORMULA_FUNCTIONS = ("IF", "AND", "ISNUMBER", "LOOKUP")
_FORMULA_TOKEN = re.compile(r'\s*(?:(?P<ref>\$?[A-Z]{1,3}\$?[0-9]{1,7}(?![A-Z0-9(]))|(?P<fn>[A-Z]+)\(|'
                            r'(?P<num>[0-9]+(?:\.[0-9]+)?)|(?P<text>"(?:[^"]|"")*")|(?P<op>[*,(){};]))')


def formula_problem(formula: str) -> str:
    """Why `formula` is not one risk-cli may write (see FORMULA_FUNCTIONS), or "" when it is."""
    if not formula.startswith("="):
        return "does not start with ="
    pos, body = 0, formula[1:]
    while pos < len(body):
        m = _FORMULA_TOKEN.match(body, pos)
        if m is None or m.end() == pos:
            return f"holds something other than cell references and literals at {body[pos:pos + 20]!r}"
        if m.group("fn") and m.group("fn") not in FORMULA_FUNCTIONS:
            return f"calls {m.group('fn')}, which risk-cli never writes"
        if m.group("text") and any(ord(c) < 32 for c in m.group("text")):
            return "holds a control character"
        pos = m.end()
    return ""


# Per workbook: sheet title -> {coordinate: the value a formula computes when written}, for save().
_CACHED: "weakref.WeakKeyDictionary[Any, dict[str, dict[str, Any]]]" = weakref.WeakKeyDictionary()


def put_formula(ws: Any, row: int, col: int, formula: str, cached: Any, *, font: Optional[Font] = None,
                align: Optional[Alignment] = None, border: bool = False) -> Any:
    """Write a formula risk-cli built itself from cell references and literals (never a person's
    text: put() writes that, always as text). `formula` is checked token by token (formula_problem)
    and refused otherwise. `cached` is the value it computes as written: openpyxl cannot store a
    formula's cached value, so save() adds it to the file, and Excel, LibreOffice and
    python-calamine show the right value before they recalculate."""
    problem = formula_problem(formula)
    if problem:
        raise ValueError(f"not a formula risk-cli writes ({problem}): {formula[:60]!r}")
    cell = put(ws, row, col, None, font=font, align=align, border=border)
    cell.value = formula
    cell.data_type = "f"
    _CACHED.setdefault(ws.parent, {}).setdefault(ws.title, {})[cell.coordinate] = cached
    return cell


def _store_cached(wb: Any, path: Path) -> None:
    """Put each put_formula cell's cached value into the saved workbook at `path` (see put_formula)."""
    import html
    import io
    import zipfile

    sheets = _CACHED.get(wb)
    if not sheets:
        return
    parts = {f"xl/worksheets/sheet{wb.sheetnames.index(title) + 1}.xml": cells
             for title, cells in sheets.items() if title in wb.sheetnames}
    rebuilt = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            cells = parts.get(info.filename)
            if cells:
                def cached(m: "re.Match[bytes]") -> bytes:
                    value = cells.get(m.group(2).decode())
                    if value is None or value == "":
                        return m.group(0)
                    kind = b"" if isinstance(value, (int, float)) else b' t="str"'
                    text = html.escape(str(value), quote=False).encode()
                    return m.group(1) + kind + b">" + m.group(3) + b"<v>" + text + b"</v></c>"
                data = re.sub(rb'(<c r="([A-Z]+[0-9]+)"[^>]*?)>(<f>[^<]*</f>)(?:<v\s*/>|<v></v>)?</c>', cached, data)
            dst.writestr(info, data)
    path.write_bytes(rebuilt.getvalue())


def rating_formats(ws: Any, cells: str, bands: Iterable[Any]) -> None:
    """Colour rating cells by conditional format, so a person's edit recolours them too."""
    from openpyxl.formatting.rule import CellIsRule

    for band in bands:
        ws.conditional_formatting.add(cells, CellIsRule(operator="equal", formula=[formula_text(band.label)],
                                                        fill=fill(band.colour), font=Font(color=text_colour(band.colour))))


def heat_map(ws: Any, row: int, col: int, title: str, counts: dict[tuple[int, int], int], scoring: Any) -> int:
    """A likelihood x impact grid of risk counts (5x5, or the questionnaire's scale sizes), coloured
    by rating, the highest likelihood at the top. Returns the next free row."""
    put(ws, row, col, title, font=SUBTITLE)
    put(ws, row + 1, col, "Likelihood \u2193 / Impact \u2192", font=BOLD, align=WRAP)
    for i, level in enumerate(scoring.impact, start=1):
        put(ws, row + 1, col + i, f"{i} {level.label}", font=BOLD, align=SCALE_ALIGN, border=True)
    for n, likelihood in enumerate(range(scoring.top_likelihood, 0, -1)):
        r = row + 2 + n
        put(ws, r, col, f"{likelihood} {scoring.likelihood[likelihood - 1].label}", font=BOLD, border=True)
        for impact in range(1, scoring.top_impact + 1):
            count = counts.get((likelihood, impact), 0)
            band = scoring.band(likelihood * impact)
            put(ws, r, col + impact, count if count else None, fill_=fill(band.colour), align=CENTRE, border=True,
                font=BOLD if count else None)
    return row + 3 + scoring.top_likelihood


def save(wb: Any, path: Path, force: bool) -> None:
    atomic_write(Path(path), lambda tmp: write_workbook(wb, tmp), force)


def write_workbook(wb: Any, tmp: Path) -> None:
    """`wb.save(tmp)`, but a failure (a full disk) is raised once and leaves nothing open.

    openpyxl leaves its ZipFile open when a write fails; the interpreter closed it later, which
    wrote to the full disk again and printed "Exception ignored in: ZipFile.__del__ ... OSError"
    after the error line. Here the archive and the file are closed on the error path, and what
    closing them raises is dropped: the first error is the one that is reported, and the
    temporary file is removed by fileio.atomic_write.
    """
    import datetime as dt
    import zipfile

    from openpyxl.writer.excel import ExcelWriter

    if wb.write_only and not wb.worksheets:
        wb.create_sheet()
    handle = open(tmp, "wb")
    archive = None
    try:
        archive = zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        wb.properties.modified = dt.datetime.now(tz=dt.timezone.utc).replace(tzinfo=None)
        ExcelWriter(wb, archive).save()  # writes every part, then closes the archive
        handle.close()
    except BaseException:
        _discard(archive, handle)
        raise
    _store_cached(wb, Path(tmp))  # the values of risk-cli's own formulas, shown before recalculation


def _discard(archive: Any, handle: Any) -> None:
    """Close a failed archive and its file, quietly: neither may try again when collected."""
    if archive is not None:
        try:
            archive.close()
        except Exception:  # noqa: BLE001 - the write already failed; that error is reported
            pass
        archive.fp = None  # ZipFile.__del__ has nothing left to close
    try:
        handle.close()
    except OSError:
        pass


def fit_rows(ws: Any, sizes: list[float], first_row: int, last_row: int) -> None:
    """Set row heights for wrapped text, which spreadsheet programs do not always do on open."""
    merged = {(m.min_row, m.min_col): sum(sizes[c - 1] for c in range(m.min_col, min(m.max_col, len(sizes)) + 1))
              for m in ws.merged_cells.ranges}
    for row in ws.iter_rows(min_row=first_row, max_row=last_row, max_col=len(sizes)):
        lines = 1
        for cell, width in zip(row, sizes):
            width = merged.get((cell.row, cell.column), width)
            value = cell.value
            # the cheap test first: looking up a cell's alignment costs more than all the rest
            if isinstance(value, str) and (len(value) > width or "\n" in value) and cell.alignment.wrap_text:
                per_line = max(1.0, width * 1.1)
                lines = max(lines, sum(max(1, -(-len(part) // int(per_line))) for part in value.split("\n")))
        if lines > 1:
            ws.row_dimensions[row[0].row].height = min(409, 12.75 * lines + 3)


def printable(text: str) -> str:
    """Text with the control characters no spreadsheet can hold shown as \\xNN (answers never
    hold them: they are refused on input; this is for file names and the like)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def text_cell(ws: Any, value: Any) -> Any:
    """A cell for write-only sheets (`ws.append`) with put()'s guarantee: text stays text.

    In write-only mode a plain string starting with `=` would be written as a formula, so
    every value for `ws.append` that may hold a person's text goes through here.
    """
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws)
    if isinstance(value, str):
        if _set_text(cell, value):
            cell.quotePrefix = True
    elif isinstance(value, dt.date):
        cell.value = value
        cell.number_format = UK_DATE
    else:
        cell.value = value
    return cell


def safe_value(ws: Any, value: Any) -> Any:
    """A value for `ws.append` on a write-only sheet: as it is when openpyxl keeps it plain text
    or a number (the fast path), else `text_cell` (risky text, error codes such as #N/A, dates)."""
    from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        if (value.startswith(RISKY_START) or value in ERROR_CODES or ILLEGAL_CHARACTERS_RE.search(value)
                or "_x" in value):
            return text_cell(ws, value)
        return value
    if isinstance(value, dt.date):
        return text_cell(ws, value)
    return value
