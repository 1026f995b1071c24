"""Describe a workbook's cells in full (values and formatting) as plain JSON, for the floors of
target 2 and to check that a floor really wrote the same workbook as risk-cli.

`describe(path)` lists, sheet by sheet: every cell that has a value or a style (value, font,
fill, border, alignment, number format, quote prefix), merged ranges and the styles of the
cells they cover, column widths, row heights, tables, data validations, conditional formats,
frozen panes, print settings, grid lines and whether the sheet is hidden. Two workbooks with
equal descriptions look and behave the same in a spreadsheet program. Not a test.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any


def _colour(colour: Any) -> Any:
    if colour is None:
        return None
    return colour.rgb if colour.type == "rgb" else f"{colour.type}:{getattr(colour, colour.type)}"


def style_of(cell: Any) -> dict[str, Any] | None:
    """A cell's formatting as plain data, or None when it has none."""
    if not cell.has_style:
        return None
    out: dict[str, Any] = {}
    f = cell.font
    font = {k: v for k, v in (("name", f.name), ("size", f.sz), ("bold", f.b), ("italic", f.i),
                              ("underline", f.u), ("color", _colour(f.color))) if v not in (None, False)}
    if font and cell._style.fontId != 0:  # font 0 is the workbook's default: what an unstyled cell has
        out["font"] = font
    if cell.fill is not None and cell.fill.fill_type:
        out["fill"] = {"fill_type": cell.fill.fill_type, "color": _colour(cell.fill.fgColor)}
    sides = {name: [side.style, _colour(side.color)] for name in ("left", "right", "top", "bottom")
             if (side := getattr(cell.border, name)) is not None and side.style}
    if sides:
        out["border"] = sides
    a = cell.alignment
    align = {k: v for k, v in (("horizontal", a.horizontal), ("vertical", a.vertical), ("wrap_text", a.wrap_text))
             if v is not None}
    if align:
        out["alignment"] = align
    if cell.number_format != "General":
        out["number_format"] = cell.number_format
    if cell.quotePrefix:
        out["quote_prefix"] = True
    return out


def _value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"date": value.date().isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    return value


def describe(path: Path) -> dict[str, Any]:
    """The whole workbook as plain data; the cells of a merged range other than its first are
    listed apart (a merge makes them), so a floor script need only write the first and merge."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    styles: list[dict[str, Any]] = []
    index: dict[str, int] = {}

    def style_id(style: dict[str, Any] | None) -> int | None:
        if style is None:
            return None
        key = repr(sorted(style.items()))
        if key not in index:
            index[key] = len(styles)
            styles.append(style)
        return index[key]

    sheets = []
    for ws in wb:
        covered = {(r, c) for m in ws.merged_cells.ranges for r, c in m.cells} - {
            (m.min_row, m.min_col) for m in ws.merged_cells.ranges}
        cells, merged_cells = [], []
        for row in ws.iter_rows():
            for cell in row:
                style = style_of(cell)
                if (cell.row, cell.column) in covered:
                    merged_cells.append([cell.row, cell.column, style_id(style)])
                elif cell.value is not None or style is not None:
                    cells.append([cell.row, cell.column, _value(cell.value), style_id(style)])
        ps = ws.page_setup
        sheets.append({
            "title": ws.title, "state": ws.sheet_state, "grid_lines": ws.sheet_view.showGridLines,
            "freeze": ws.freeze_panes, "cells": cells,
            "merges": sorted(str(m) for m in ws.merged_cells.ranges), "merged_cells": merged_cells,
            "widths": {k: d.width for k, d in ws.column_dimensions.items() if d.customWidth},
            "heights": {str(k): d.height for k, d in ws.row_dimensions.items() if d.height},
            "tables": [{"name": t.displayName, "ref": t.ref, "style": t.tableStyleInfo.name,
                        "row_stripes": bool(t.tableStyleInfo.showRowStripes)} for t in ws.tables.values()],
            "validations": [{"type": v.type, "formula1": v.formula1, "allow_blank": bool(v.allow_blank),
                             "show_drop_down": bool(v.showDropDown), "cells": str(v.sqref),
                             "prompt_title": v.promptTitle, "prompt": v.prompt,
                             "show_input_message": bool(v.showInputMessage)} for v in ws.data_validations.dataValidation],
            "formats": [{"cells": str(cf.sqref), "operator": rule.operator, "formula": list(rule.formula),
                         "fill": _colour(rule.dxf.fill.fgColor if rule.dxf and rule.dxf.fill else None)}
                        for cf in ws.conditional_formatting for rule in cf.rules],
            "print": {"orientation": ps.orientation, "paper_size": ps.paperSize, "fit_to_width": ps.fitToWidth,
                      "fit_to_height": ps.fitToHeight, "fit_to_page": bool(ws.sheet_properties.pageSetUpPr
                                                                           and ws.sheet_properties.pageSetUpPr.fitToPage),
                      "title_rows": ws.print_title_rows, "title_cols": ws.print_title_cols},
        })
    wb.close()
    return {"styles": styles, "sheets": sheets}
