"""Context for target 2: a plain openpyxl script writing only the register's cell values.

    python benchmarks/floor_openpyxl.py CELLS.json OUT.xlsx

CELLS.json holds every non-empty cell value of a register risk-cli wrote, sheet by sheet
(`benchmarks/targets.py` dumps it). This script writes the same sheets and the same values
with plain openpyxl and nothing else: no styles, merged ranges, tables, validations or
conditional formats. That is a plainer workbook than the register, so it is not target 2's
floor (`floor_openpyxl_formatted.py` is); the table shows it to say what formatting costs.
"""

from __future__ import annotations

import datetime as dt
import json
import sys

from openpyxl import Workbook


def main(cells_path: str, out_path: str) -> None:
    with open(cells_path, encoding="utf-8") as handle:
        sheets = json.load(handle)
    wb = Workbook()
    first = True
    for title, cells in sheets.items():
        ws = wb.active if first else wb.create_sheet()
        ws.title = title
        first = False
        for row, col, value in cells:
            if isinstance(value, dict):  # dates travel as {"date": "YYYY-MM-DD"}
                value = dt.date.fromisoformat(value["date"])
            ws.cell(row=row, column=col, value=value)
    wb.save(out_path)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
