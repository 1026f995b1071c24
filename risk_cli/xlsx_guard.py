"""Refuse workbooks that are not what they claim or that would exhaust memory, before parsing.

openpyxl defends against XML entity expansion (with defusedxml installed) but not against
zip bombs, and its errors for a renamed CSV or an encrypted workbook are obscure. Every
workbook risk-cli reads passes `check()` first; the caps hold for any real questionnaire
template or risk register with room to spare.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from risk_cli.errors import InputProblems, Problem

MAX_FILE_BYTES = 50_000_000  # the workbook as stored
MAX_TOTAL_UNCOMPRESSED = 200_000_000  # all parts, as declared in the zip directory
MAX_PART_UNCOMPRESSED = 100_000_000
MAX_RATIO = 200  # uncompressed / compressed, per part
MAX_PARTS = 2_000
MAX_SHEETS = 200

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and encrypted .xlsx


def fail(name: str, message: str) -> InputProblems:
    return InputProblems([Problem(name, message)])


def check(path: Path | str, label: str | None = None) -> None:
    """Raise InputProblems with one clear line if `path` is not a safe, readable .xlsx."""
    p = Path(path)
    name = label or str(path)
    try:
        if p.is_dir():
            raise fail(name, "is a directory, not a workbook")
        size = p.stat().st_size
        with open(p, "rb") as handle:
            head = handle.read(8)
    except FileNotFoundError:
        raise fail(name, "no such file") from None
    except PermissionError:
        raise fail(name, "cannot be read (permission denied)") from None
    except OSError as exc:
        raise fail(name, f"cannot be read ({exc.strerror or exc})") from None
    if size == 0:
        raise fail(name, "is empty (0 bytes), not a workbook")
    if size > MAX_FILE_BYTES:
        raise fail(name, f"is {size:,} bytes; workbooks over {MAX_FILE_BYTES:,} bytes are refused")
    if head.startswith(OLE_SIGNATURE):
        raise fail(name, "is password-protected (encrypted) or an old .xls workbook; save it unprotected as .xlsx and try again")
    if not head.startswith(b"PK"):
        kind = "a text or CSV file" if _looks_like_text(p) else "not a zip archive"
        raise fail(name, f"is not an .xlsx workbook ({kind})")
    try:
        with zipfile.ZipFile(p) as archive:
            infos = archive.infolist()
            names = {i.filename for i in infos}
    except zipfile.BadZipFile as exc:
        raise fail(name, f"is not a readable .xlsx workbook (damaged or truncated: {exc})") from None
    except (OSError, EOFError, ValueError) as exc:
        raise fail(name, f"is not a readable .xlsx workbook ({exc})") from None
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


def _looks_like_text(path: Path) -> bool:
    with open(path, "rb") as handle:
        sample = handle.read(2048)
    return bool(sample) and b"\x00" not in sample and all(b >= 9 for b in sample)
