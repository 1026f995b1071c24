"""Hostile and broken input files, generated at test time (no binary bomb is ever committed).

Each maker takes the folder to write in and returns the path it wrote. Workbook makers
start from a real register or filled template that the test has just produced, so every
hostile workbook is otherwise a valid risk-cli file: only the one thing under test is wrong.
"""

from __future__ import annotations

import os
import re
import struct
import zipfile
from pathlib import Path
from typing import Callable, Optional

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
REGISTER_DATA_PART = "xl/worksheets/sheet6.xml"  # the hidden 'risk-cli data' sheet of a register
TEMPLATE_QUESTIONS_PART = "xl/worksheets/sheet2.xml"  # the Questions sheet of a template


def rewrite(src: Path, dst: Path, parts: Optional[dict[str, bytes]] = None,
            extra: Optional[dict[str, bytes]] = None, drop: tuple[str, ...] = ()) -> Path:
    """Copy a workbook part by part, replacing `parts`, adding `extra`, leaving out `drop`."""
    parts = parts or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in drop:
                continue
            zout.writestr(info.filename, parts.get(info.filename, zin.read(info.filename)))
        for name, data in (extra or {}).items():
            zout.writestr(name, data)
    return dst


def part(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(name)


# -- not what they claim ------------------------------------------------------------------

def empty(d: Path, suffix: str = ".xlsx") -> Path:
    p = d / f"empty{suffix}"
    p.write_bytes(b"")
    return p


def truncated(d: Path, good: Path) -> Path:
    data = good.read_bytes()
    p = d / "truncated.xlsx"
    p.write_bytes(data[: len(data) // 2])
    return p


def csv_renamed(d: Path) -> Path:
    p = d / "answers-csv.xlsx"
    p.write_text("Question ID,Answer\nprofile.name,Reply drafter\nprofile.organisation,Department for Tests\n",
                 encoding="utf-8")
    return p


def text_renamed(d: Path) -> Path:
    p = d / "notes.xlsx"
    p.write_text("Notes from the workshop.\nWe think the risk is low.\n", encoding="utf-8")
    return p


def old_xls(d: Path) -> Path:
    """An Excel 97-2003 file: the OLE compound-file signature, then a workbook stream."""
    p = d / "old.xlsx"
    p.write_bytes(OLE + bytes(504) + "Workbook".encode("utf-16-le") + os.urandom(3000))
    return p


def encrypted(d: Path) -> Path:
    """How Excel stores a password-protected .xlsx: an OLE file with EncryptionInfo and EncryptedPackage."""
    p = d / "protected.xlsx"
    p.write_bytes(OLE + bytes(504) + "EncryptionInfo".encode("utf-16-le") + bytes(64)
                  + "EncryptedPackage".encode("utf-16-le") + os.urandom(3000))
    return p


def directory(d: Path) -> Path:
    p = d / "folder.xlsx"
    p.mkdir()
    return p


def missing(d: Path) -> Path:
    return d / "missing.xlsx"


def zip_not_xlsx(d: Path) -> Path:
    p = d / "archive.xlsx"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("readme.txt", "not a workbook")
        z.writestr("data/answers.csv", "a,b\n1,2\n")
    return p


def oversized(d: Path) -> Path:
    """A 60 MB file (sparse: nothing is really written) that starts like a zip."""
    p = d / "huge.xlsx"
    with open(p, "wb") as h:
        h.write(b"PK\x03\x04")
        h.truncate(60_000_000)
    return p


# -- hostile workbooks --------------------------------------------------------------------

def zip_bomb(d: Path, good: Path, target: str, megabytes: int = 150) -> Path:
    """A valid workbook whose `target` part is `megabytes` MB of zeros (about 1,000 times smaller
    compressed): the zip directory declares the full size, so it can be refused before inflating."""
    p = d / "bomb.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename != target:
                zout.writestr(info.filename, zin.read(info.filename))
                continue
            entry = zipfile.ZipInfo(target)
            entry.compress_type = zipfile.ZIP_DEFLATED
            with zout.open(entry, "w", force_zip64=True) as h:
                block = b"0" * 1_000_000
                for _ in range(megabytes):
                    h.write(block)
    return p


def ratio_bomb(d: Path, good: Path, target: str) -> Path:
    """Under the per-part size cap but about 1,000 times compressed: refused by the ratio check."""
    p = zip_bomb(d, good, target, megabytes=20)
    return p.rename(d / "ratio-bomb.xlsx")


def lying_sizes(d: Path, good: Path, target: str, megabytes: int = 150) -> Path:
    """A bomb whose zip headers lie: they declare a part of 1 KB that really inflates to
    `megabytes` MB. Declared sizes can't be trusted, so reading must stop at the declared size."""
    p = zip_bomb(d, good, target, megabytes)
    data = bytearray(p.read_bytes())
    name = target.encode()
    # local header: signature, version, flags, method, time, date, crc, csize, usize, name length...
    for m in re.finditer(re.escape(b"PK\x03\x04"), data):
        start = m.start()
        nlen, xlen = struct.unpack_from("<HH", data, start + 26)
        if data[start + 30:start + 30 + nlen] == name:
            struct.pack_into("<I", data, start + 22, 1024)
            extra_at = start + 30 + nlen
            _patch_zip64(data, extra_at, xlen, usize=1024)
    for m in re.finditer(re.escape(b"PK\x01\x02"), data):
        start = m.start()
        nlen, xlen = struct.unpack_from("<HH", data, start + 28)
        if data[start + 46:start + 46 + nlen] == name:
            struct.pack_into("<I", data, start + 24, 1024)
            _patch_zip64(data, start + 46 + nlen, xlen, usize=1024)
    out = d / "lying-bomb.xlsx"
    out.write_bytes(bytes(data))
    p.unlink()
    return out


def _patch_zip64(data: bytearray, at: int, length: int, usize: int) -> None:
    """Rewrite the uncompressed size in a zip64 extra field, if there is one."""
    end = at + length
    while at + 4 <= end:
        tag, size = struct.unpack_from("<HH", data, at)
        if tag == 0x0001 and size >= 8:
            struct.pack_into("<Q", data, at + 4, usize)
            return
        at += 4 + size


LAUGHS = (b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
          + b"".join(b' <!ENTITY lol%d "' % i + (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10 + b'">\n'
                     for i in range(1, 10))
          + b"]>\n")


def entity_bomb(d: Path, good: Path, target: str) -> Path:
    """Billion laughs: `target` (a sheet or sharedStrings) declares entities that expand a billion times."""
    if target == "xl/sharedStrings.xml":
        body = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
                b"<si><t>&lol9;</t></si></sst>")
        return _with_shared_strings(d, good, LAUGHS + body)
    xml = part(good, target)
    body = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", xml)
    body = body.replace(b"<sheetData>", b"<sheetData><row r=\"1000\"><c r=\"A1000\" t=\"inlineStr\"><is><t>&lol9;</t>"
                                        b"</is></c></row>", 1) if b"<sheetData>" in body else body
    return rewrite(good, d / "laughs.xlsx", parts={target: LAUGHS + body})


def _with_shared_strings(d: Path, good: Path, xml: bytes) -> Path:
    """Add (or replace) xl/sharedStrings.xml and register it, as Excel does."""
    types = part(good, "[Content_Types].xml")
    rels = part(good, "xl/_rels/workbook.xml.rels")
    kind = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    if b"sharedStrings" not in types:
        types = types.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="' + kind
                              + b'"/></Types>')
    if b"sharedStrings" not in rels:
        rels = rels.replace(b"</Relationships>", b'<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/'
                            b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                            b"</Relationships>")
    with zipfile.ZipFile(good) as z:
        names = z.namelist()
    parts = {"[Content_Types].xml": types, "xl/_rels/workbook.xml.rels": rels}
    if "xl/sharedStrings.xml" in names:
        parts["xl/sharedStrings.xml"] = xml
        return rewrite(good, d / "laughs.xlsx", parts=parts)
    return rewrite(good, d / "laughs.xlsx", parts=parts, extra={"xl/sharedStrings.xml": xml})


def million_rows(d: Path, good: Path, target: str, column: str = "E") -> Path:
    """`target` declares the whole sheet as used (A1:XFD1048576) and has a value in the last row."""
    xml = part(good, target)
    xml = re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:XFD1048576"/>', xml)
    last = (b'<row r="1048576"><c r="%s1048576" t="inlineStr"><is><t>far away</t></is></c>'
            b'<c r="XFD1048576" t="inlineStr"><is><t>and far right</t></is></c></row>') % column.encode()
    xml = xml.replace(b"</sheetData>", last + b"</sheetData>", 1)
    return rewrite(good, d / "million-rows.xlsx", parts={target: xml})


def huge_row_number(d: Path, good: Path, target: str) -> Path:
    """A row numbered far beyond Excel's last row (1,048,576): a reader that fills the gap hangs."""
    xml = part(good, target)
    xml = xml.replace(b"</sheetData>", b'<row r="999999999"><c r="A999999999" t="inlineStr"><is><t>x</t></is></c>'
                                       b"</row></sheetData>", 1)
    return rewrite(good, d / "far-row.xlsx", parts={target: xml})


def many_sheets(d: Path, good: Path, n: int = 3000) -> Path:
    """Thousands of sheets: each listed in workbook.xml, with its own small part."""
    workbook = part(good, "xl/workbook.xml")
    rels = part(good, "xl/_rels/workbook.xml.rels")
    types = part(good, "[Content_Types].xml")
    sheet = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/>'
             b"</worksheet>")
    kind = b"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    entries, links, overrides, extra = [], [], [], {}
    for i in range(n):
        entries.append(b'<sheet name="x%d" sheetId="%d" r:id="rIdX%d"/>' % (i, 1000 + i, i))
        links.append(b'<Relationship Id="rIdX%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                     b'relationships/worksheet" Target="worksheets/x%d.xml"/>' % (i, i))
        overrides.append(b'<Override PartName="/xl/worksheets/x%d.xml" ContentType="%s"/>' % (i, kind))
        extra[f"xl/worksheets/x{i}.xml"] = sheet
    workbook = workbook.replace(b"</sheets>", b"".join(entries) + b"</sheets>", 1)
    rels = rels.replace(b"</Relationships>", b"".join(links) + b"</Relationships>", 1)
    types = types.replace(b"</Types>", b"".join(overrides) + b"</Types>", 1)
    return rewrite(good, d / "many-sheets.xlsx",
                   parts={"xl/workbook.xml": workbook, "xl/_rels/workbook.xml.rels": rels,
                          "[Content_Types].xml": types}, extra=extra)


def many_sheet_entries(d: Path, good: Path, n: int = 20_000) -> Path:
    """Thousands of sheets listed in workbook.xml that all point at one part (few parts, many sheets)."""
    workbook = part(good, "xl/workbook.xml")
    rels = part(good, "xl/_rels/workbook.xml.rels")
    first = re.search(rb'<Relationship [^>]*Target="/?(?:xl/)?worksheets/sheet1.xml"[^>]*/>', rels)
    assert first is not None
    rid = re.search(rb'Id="([^"]+)"', first.group()).group(1)
    entries = b"".join(b'<sheet name="y%d" sheetId="%d" r:id="%s"/>' % (i, 5000 + i, rid) for i in range(n))
    workbook = workbook.replace(b"</sheets>", entries + b"</sheets>", 1)
    return rewrite(good, d / "many-sheet-entries.xlsx", parts={"xl/workbook.xml": workbook})


def replace_text(d: Path, good: Path, target: str, old: bytes, new: bytes, name: str) -> Path:
    """The workbook with one inline string in `target` changed (e.g. a very long answer)."""
    xml = part(good, target)
    assert old in xml, f"{old!r} not in {target}"
    return rewrite(good, d / name, parts={target: xml.replace(old, new, 1)})


WorkbookMaker = Callable[[Path], Path]


def with_data_text(d: Path, register: Path, text: str, name: str = "edited-register.xlsx") -> Path:
    """A register whose hidden data sheet holds `text` (the answers as YAML) instead of its own."""
    from xml.sax.saxutils import escape

    head = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    rows = [b'<row r="1"><c r="A1" t="inlineStr"><is><t>risk-cli answers (do not edit)</t></is></c></row>']
    for i in range(0, max(len(text), 1), 30_000):
        r = 2 + i // 30_000
        chunk = escape(text[i:i + 30_000]).encode("utf-8")
        rows.append(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t xml:space="preserve">%s</t></is></c></row>'
                    % (r, r, chunk))
    xml = head + b"".join(rows) + b"</sheetData></worksheet>"
    return rewrite(register, d / name, parts={REGISTER_DATA_PART: xml})


def data_text(register: Path) -> str:
    """The answers text a register keeps in its hidden data sheet."""
    import openpyxl

    wb = openpyxl.load_workbook(register, read_only=True)
    try:
        chunks = [row[0] for row in wb["risk-cli data"].iter_rows(min_row=2, max_col=1, values_only=True) if row[0]]
    finally:
        wb.close()
    return "".join(chunks)
