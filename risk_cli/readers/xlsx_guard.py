"""Refuse workbooks that are not what they claim or that would exhaust memory, before parsing,
and read their sheets within fixed bounds.

openpyxl defends against XML entity expansion (with defusedxml installed) but not against
zip bombs, and its errors for a renamed CSV or an encrypted workbook are obscure. Every
workbook risk-cli reads passes `check()` first (`open_workbook()` does it), and every sheet
is read with `read_rows()`, which never reads past a row limit whatever the sheet declares.
The caps hold for any real questionnaire template or risk register with room to spare.
"""

from __future__ import annotations

import codecs
import os
import html
import posixpath
import re
import zipfile
from pathlib import Path
from typing import Any, Optional

from risk_cli import fileio
from risk_cli.errors import InputProblems, Problem

MAX_FILE_BYTES = 50_000_000  # the workbook as stored
MAX_TOTAL_UNCOMPRESSED = 200_000_000  # all parts, as declared in the zip directory
MAX_PART_UNCOMPRESSED = 100_000_000
MAX_RATIO = 200  # uncompressed / compressed, per part
MAX_PARTS = 2_000
MAX_SHEETS = 200
MAX_WORKBOOK_XML = 5_000_000  # xl/workbook.xml: the list of sheets and names (a real one is a few KB)
MAX_ROWS = 10_000  # rows read from any sheet (a register has about a hundred)
MAX_COLUMNS = 200  # columns read from any sheet (a register has 35, plus any people add)
MAX_TEXT = 5_000_000  # characters of answers or metadata read from a hidden sheet
PROLOG_BYTES = 65_536  # an XML part's root element must start within this many bytes

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and encrypted .xlsx
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")  # the stream Excel encrypts an .xlsx into
XML_SUFFIXES = (".xml", ".rels", ".vml")


def fail(name: str, message: str, where: str = "") -> InputProblems:
    return InputProblems([Problem(name, message, where=where)])


def check(path: Path | str, label: str | None = None) -> None:
    """Raise InputProblems with one clear line if `path` is not a safe, readable .xlsx."""
    p = Path(path)
    name = label or str(path)
    # a regular file only (symlinks followed), checked before opening: a FIFO would hang the
    # open, a device such as /dev/zero would never end
    with fileio.open_regular(p, name, directory="is a directory, not a workbook") as handle:
        try:
            size = os.fstat(handle.fileno()).st_size
            head = handle.read(8)
        except OSError as exc:
            raise fail(name, f"cannot be read ({exc.strerror or exc})") from None
    if size == 0:
        raise fail(name, "is empty (0 bytes), not a workbook")
    if size > MAX_FILE_BYTES:
        raise fail(name, f"is {size:,} bytes; workbooks over {MAX_FILE_BYTES:,} bytes are refused")
    if head.startswith(OLE_SIGNATURE):
        if _is_encrypted(p):
            raise fail(name, "is password-protected (encrypted); save it without a password as .xlsx and try again")
        raise fail(name, "is an old Excel 97-2003 (.xls) workbook, or a password-protected one; "
                         "save it unprotected as .xlsx and try again")
    if not head.startswith(b"PK"):
        kind = "a text or CSV file" if _looks_like_text(p) else "not a zip archive"
        raise fail(name, f"is not an .xlsx workbook ({kind})")
    try:
        with zipfile.ZipFile(p) as archive:
            _check_archive(name, archive)
    except zipfile.BadZipFile as exc:
        raise fail(name, f"is not a readable .xlsx workbook (damaged or truncated: {first_line(exc)})") from None
    except (OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
        raise fail(name, f"is not a readable .xlsx workbook (damaged: {first_line(exc)})") from None


def _check_archive(name: str, archive: zipfile.ZipFile) -> None:
    infos = archive.infolist()
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise fail(name, "is a zip archive but not an .xlsx workbook (no xl/workbook.xml)")
    if len(infos) > MAX_PARTS:
        raise fail(name, f"has {len(infos):,} parts; workbooks with over {MAX_PARTS:,} are refused")
    sheets = sum(1 for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml"))
    if sheets > MAX_SHEETS:
        raise fail(name, f"has {sheets:,} sheets; workbooks with over {MAX_SHEETS} are refused")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise fail(name, "has encrypted parts; save it without a password and try again")
        total += info.file_size
        if info.file_size > MAX_PART_UNCOMPRESSED:
            raise fail(name, f"part {info.filename} would expand to {info.file_size:,} bytes; refused as a possible zip bomb")
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 1_000_000:
            raise fail(name, f"part {info.filename} expands {info.file_size // info.compress_size:,} times; refused as a possible zip bomb")
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise fail(name, f"would expand to {total:,} bytes; refused as a possible zip bomb")
    # Declared sizes are checked; every read below also stops at them (zipfile never inflates
    # more than a part declares), so a part that lies about its size cannot inflate further.
    for info in infos:
        if info.filename.lower().endswith(XML_SUFFIXES) and info.file_size:
            _check_prolog(name, archive, info)
    book = archive.getinfo("xl/workbook.xml")
    if book.file_size > MAX_WORKBOOK_XML:
        raise fail(name, f"part xl/workbook.xml is {book.file_size:,} bytes; over {MAX_WORKBOOK_XML:,} is refused")
    listed = len(re.findall(rb"<(?:[\w.-]+:)?sheet[\s/>]", archive.read(book)))
    if listed > MAX_SHEETS:
        raise fail(name, f"lists {listed:,} sheets; workbooks with over {MAX_SHEETS} are refused")


def _check_prolog(name: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse a part that declares a DTD or entities (only an entity-expansion attack does), or
    that does not start its root element where XML parsers would look for a DTD."""
    with archive.open(info) as handle:
        head = handle.read(1024)  # the root element starts in the first hundred bytes of a real part
        text = _decode_head(head)
        root = re.search(r"<[^?!]", text)
        if root is None and len(head) == 1024:
            head += handle.read(PROLOG_BYTES - len(head))
            text = _decode_head(head)
            root = re.search(r"<[^?!]", text)
    prolog = text[: root.start()] if root else text
    if re.search(r"<!\s*(DOCTYPE|ENTITY)", prolog, re.IGNORECASE):
        raise fail(name, f"part {info.filename} declares XML entities (<!DOCTYPE>); refused as a possible "
                         "entity-expansion attack (no spreadsheet program writes them)")
    if root is None and len(head) >= PROLOG_BYTES:
        raise fail(name, f"part {info.filename} does not start like spreadsheet XML; refused")


def _decode_head(head: bytes) -> str:
    """The start of an XML part as text, in the encoding an XML parser would use."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="replace")
    if head[:2] in (b"<\x00", b"\x00<"):  # UTF-16 without a byte-order mark
        return head.decode("utf-16-le" if head[0:1] == b"<" else "utf-16-be", errors="replace")
    declared = re.match(rb"""(?:\xef\xbb\xbf)?<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""", head)
    encoding = "utf-8"
    if declared:
        try:
            encoding = codecs.lookup(declared.group(1).decode("ascii")).name
        except LookupError:
            encoding = "utf-8"  # an encoding no parser knows: the parser will refuse the part
    return head.decode(encoding, errors="replace")


def _is_encrypted(path: Path) -> bool:
    with fileio.open_regular(path, str(path)) as handle:
        return ENCRYPTED_PACKAGE in handle.read(MAX_FILE_BYTES)


def _looks_like_text(path: Path) -> bool:
    with fileio.open_regular(path, str(path)) as handle:
        sample = handle.read(2048)
    return bool(sample) and b"\x00" not in sample and all(b >= 9 for b in sample)


def first_line(exc: BaseException | str) -> str:
    """The first line of an exception's message (some libraries' run over several, and only the
    first says what went wrong). Not errors.one_line, which keeps every line, escaped."""
    text = str(exc).strip()
    if not text:
        return type(exc).__name__ if isinstance(exc, BaseException) else ""
    return text.splitlines()[0].strip()


# -- opening and reading --------------------------------------------------------------------

def open_workbook(path: Path | str, label: str | None = None, *, checked: bool = False) -> Any:
    """`check()` the file (unless the caller just did: `checked`), then open it read-only with
    formulas kept as formulas (never evaluated)."""
    name = label or str(path)
    if not checked:
        check(path, name)
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for damaged files
        cause = exc.__cause__ or exc.__context__ or exc
        raise fail(name, f"is not a readable .xlsx workbook ({type(cause).__name__}: {first_line(cause)})") from None


# openpyxl's warning for a date-formatted number no date can be (it then reads the cell as #VALUE!)
_DATE_OUT_OF_RANGE = re.compile(r"Cell ([A-Z]{1,3}[0-9]{1,7}) is marked as a date but the serial value (\S+) "
                                r"is outside the limits for dates")


def read_rows(file: str, ws: Any, max_row: int, *, max_col: Optional[int] = None, min_row: int = 1,
              values_only: bool = False, what: str = "",
              bad_dates: Optional[dict[str, str]] = None) -> list[tuple[Any, ...]]:
    """Rows `min_row`..`max_row` of a read-only sheet, read in one pass and never further.

    Whatever the sheet declares (a used range of a million rows, a row numbered in the
    billions), at most `max_row` + 1 rows are read: when a row exists below `max_row` the
    sheet is refused with one line naming it. Without `max_col`, each row is as wide as its
    last cell, and a cell beyond MAX_COLUMNS is refused the same way. A sheet whose XML is
    damaged (or holds values openpyxl cannot convert) is one clear line, never a traceback.
    """
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        # the library's warnings (with its file path) are never shown: what they say that matters is
        # reported as a problem in the cell; `bad_dates` gets each date cell out of range, by coordinate
        warnings.simplefilter("always")
        try:
            return _read_rows(file, ws, max_row, max_col, min_row, values_only, what)
        finally:
            if bad_dates is not None:
                for w in caught:
                    m = _DATE_OUT_OF_RANGE.search(str(w.message))
                    if m:
                        bad_dates[m.group(1)] = m.group(2)


def _read_rows(file: str, ws: Any, max_row: int, max_col: Optional[int], min_row: int, values_only: bool,
               what: str) -> list[tuple[Any, ...]]:
    sheet = ws.title
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()  # the declared used range may be wrong in either direction: read what is there
    rows: list[tuple[Any, ...]] = []
    wanted = max_row - min_row + 1
    try:
        for row in ws.iter_rows(min_row=min_row, max_row=max_row + 1, max_col=max_col, values_only=values_only):
            if len(rows) == wanted:
                kind = what or "this sheet"
                raise fail(file, f"has rows below row {max_row:,}, where {kind} has nothing; delete them and try "
                                 "again (reading stops there, so nothing below can be checked)", where=sheet)
            if max_col is None and len(row) > MAX_COLUMNS:
                raise fail(file, f"has a cell beyond column {MAX_COLUMNS} (row {min_row + len(rows)}), where "
                                 f"{what or 'this sheet'} has nothing; delete it and try again", where=sheet)
            rows.append(tuple(row))
    except InputProblems:
        raise
    except Exception as exc:  # damaged XML or a value that cannot be converted: openpyxl's own failure
        cause = exc.__cause__ or exc
        raise fail(file, f"is damaged: the sheet cannot be read ({type(cause).__name__}: {first_line(cause)})",
                   where=sheet) from None
    return rows


# -- a quick look before a fast reader ----------------------------------------------------------

_ATTR = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ROW_TAG = re.compile(rb"<(?:[\w.-]+:)?row(?=[\s/>])([^>]*)>")
_CELL_TAG = re.compile(rb"<(?:[\w.-]+:)?c(?=[\s/>])([^>]*)>")
_REF = re.compile(rb"([A-Z]{1,3})([0-9]{1,7})$")
_OOXML_ESCAPE = re.compile(rb"_x[0-9A-Fa-f]{4}_")  # answers.SPREADSHEET_ESCAPE, in raw sheet XML
_FORMULA_TAG = re.compile(rb"<(?:[\w.-]+:)?f(?=[\s/>])")
_RAW_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XML at all


def _attrs(raw: bytes) -> dict[bytes, bytes]:
    out = {}
    for m in _ATTR.finditer(raw):
        out[m.group(1).split(b":")[-1]] = m.group(2) if m.group(2) is not None else m.group(3)
    return out


def compact_sheet(path: Path | str, sheet: str, max_row: int, max_col: int, formulas: bool = False) -> bool:
    """True if `sheet` exists and every row and cell of it is numbered within `max_row` x `max_col`.

    Readers that build a sheet's whole grid in memory (python-calamine) allocate rows x
    columns cells, so a single cell at XFD1048576 asks for billions; they may only be given
    a sheet this says is compact. Anything unusual (a missing sheet, a cell without a
    reference) is False, and the caller uses the bounded openpyxl reader instead. With `formulas`,
    a sheet holding formulas, escapes or control characters may still be compact: for a caller
    that only warns from what it reads (readers.scores), never takes it as input.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            part = _sheet_part(archive, sheet)
            if part is None:
                return False
            info = archive.getinfo(part)
            if info.file_size > MAX_PART_UNCOMPRESSED:
                return False
            data = archive.read(info)
    except (KeyError, OSError, EOFError, ValueError, zipfile.BadZipFile, NotImplementedError, RuntimeError):
        return False
    if not formulas and (_OOXML_ESCAPE.search(data) or _FORMULA_TAG.search(data) or _RAW_CONTROL.search(data)):
        return False  # calamine decodes _x0041_, reads a formula's cached value and lets control
        # characters through; openpyxl does none of these: such a sheet is read the one way
    if _plain_refs_within(data, max_row, max_col):
        return True  # every tag as risk-cli and Excel write it: its reference first
    for m in _ROW_TAG.finditer(data):
        r = _attrs(m.group(1)).get(b"r")
        if r is None or not r.isdigit() or int(r) > max_row:
            return False
    for m in _CELL_TAG.finditer(data):
        ref = _REF.match(_attrs(m.group(1)).get(b"r", b""))
        if ref is None or int(ref.group(2)) > max_row or column_number(ref.group(1).decode()) > max_col:
            return False
    return True


_PREFIXED_TAG = re.compile(rb"<[\w.-]+:(?:c|row)[\s/>]")


_ANY_ROW, _ANY_CELL = re.compile(rb"<row[\s/>]"), re.compile(rb"<c[\s/>]")


_PLAIN_ROW = re.compile(rb'<row r="([0-9]{1,7})"[\s/>]')
_PLAIN_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[\s/>]')


def _plain_refs_within(data: bytes, max_row: int, max_col: int) -> bool:
    """The quick form of compact_sheet's test, for a sheet whose every row and cell tag is
    unprefixed and starts with its reference (as every program writes them): True only when
    each is within bounds. Anything else (a prefix, another attribute first, a tag matched
    here that the full test would not count) is False, and the full test decides."""
    if _PREFIXED_TAG.search(data):
        return False
    rows, cells = _PLAIN_ROW.findall(data), _PLAIN_CELL.findall(data)
    # text in sheet XML never holds a raw "<", so these are exactly the row and cell tags
    if len(rows) != len(_ANY_ROW.findall(data)) or len(cells) != len(_ANY_CELL.findall(data)):
        return False
    numbers = set(rows)
    numbers.update(r for _, r in cells)
    if numbers and max(map(int, numbers)) > max_row:
        return False
    return all(column_number(letters.decode()) <= max_col for letters in {c for c, _ in cells})


def column_number(letters: str) -> int:
    """A column's number from its letters (A is 1, Z 26, AA 27), without importing openpyxl:
    the portfolio's fast path and import's problem sorting need only this."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - ord("A") + 1
    return n


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> Optional[str]:
    """The part holding the sheet called `sheet`, found through workbook.xml and its relationships."""
    book = archive.getinfo("xl/workbook.xml")
    if book.file_size > MAX_WORKBOOK_XML:
        return None
    rid = None
    for m in re.finditer(rb"<(?:[\w.-]+:)?sheet(?=[\s/>])([^>]*)>", archive.read(book)):
        attrs = _attrs(m.group(1))
        if html.unescape(attrs.get(b"name", b"").decode("utf-8", "replace")) == sheet:
            rid = attrs.get(b"id")
            break
    if rid is None:
        return None
    rels = archive.read("xl/_rels/workbook.xml.rels")
    for m in re.finditer(rb"<(?:[\w.-]+:)?Relationship(?=[\s/>])([^>]*)>", rels):
        attrs = _attrs(m.group(1))
        if attrs.get(b"Id") == rid:
            target = html.unescape(attrs.get(b"Target", b"").decode("utf-8", "replace"))
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    return None
