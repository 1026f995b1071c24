"""xlsx.merge() copies the outcome of an earlier merge instead of asking openpyxl to redo it;
the workbook it writes must be exactly what openpyxl's own merge_cells writes."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
from openpyxl import Workbook

from risk_cli.writers import xlsx
from risk_cli.writers.xlsx import BOLD, BOX, WRAP, fill, put


def sheet(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def build(path: Path, merge) -> None:
    wb = Workbook()
    ws = wb.active
    styles = [dict(border=True, align=WRAP), dict(align=WRAP), {}, dict(font=BOLD, fill_=fill("FFEB9C"), border=True)]
    r = 0
    for repeat in range(3):
        for style in styles:
            for first, last in ((3, 7), (1, 4), (2, 3)):
                r += 1
                put(ws, r, first, f"text {r}", **style)
                put(ws, r, first + 1, "replaced by the merge")
                if repeat == 2:
                    ws.cell(r, last).border = BOX  # an existing last cell whose border the merge keeps
                merge(ws, r, first, last)
    ws.cell(r + 1, 1).border = BOX  # a first cell with a border but no value
    merge(ws, r + 1, 1, 3)
    merge(ws, r + 2, 1, 3)  # no first cell at all
    wb.save(path)


def test_merge_writes_what_openpyxl_writes(tmp_path):
    def plain(ws, row, first, last):
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)

    build(tmp_path / "plain.xlsx", plain)
    build(tmp_path / "fast.xlsx", xlsx.merge)
    assert sheet(tmp_path / "fast.xlsx") == sheet(tmp_path / "plain.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "fast.xlsx").active
    assert len(ws.merged_cells.ranges) == 3 * 4 * 3 + 2

