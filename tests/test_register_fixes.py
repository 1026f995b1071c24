"""Register fixes for the board pack (issue 11, item 4): actions carry their risks' owners, the
Summary lists the worst breaches first, text on every fill meets WCAG 2.2 AA contrast, and every
workbook says who made it."""

from __future__ import annotations

import openpyxl
import pytest

from risk_cli import __version__
from tests.conftest import FIVE_BY_FIVE_SAMPLES, ROOT
from tests.test_print import SAMPLE, workbooks

SAMPLES = FIVE_BY_FIVE_SAMPLES  # what is checked here is the 5x5 register


def register(tmp_path, run, answers=SAMPLE):
    out = tmp_path / f"{answers.stem}.xlsx"
    result = run("assess", "--answers", answers, "--no-input", "-o", out)
    assert result.exit_code == 0, result.output
    return openpyxl.load_workbook(out, data_only=True)  # scores and ratings are formulas with cached values


def table(ws, header_row=1):
    rows = list(ws.iter_rows(min_row=header_row, values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:] if row[0] is not None]


@pytest.mark.parametrize("answers", SAMPLES, ids=lambda p: p.stem)
def test_each_action_is_owned_by_the_owners_of_the_risks_it_treats(tmp_path, run, answers):
    """The Actions sheet's owner column was empty on every row though the Risk register names owners."""
    wb = register(tmp_path, run, answers)
    owners = {row["Risk ID"]: row["Action owner"] for row in table(wb["Risk register"])}
    sro = next(row[1] for row in wb["Summary"].iter_rows(values_only=True) if row[0] == "Senior responsible owner")
    actions = table(wb["Actions"])
    assert actions
    for action in actions:
        treated = [rid.strip() for rid in (action["Treats risks"] or "").split(",") if rid.strip()]
        expected = "; ".join(dict.fromkeys(owners[rid] for rid in treated if owners.get(rid))) or sro
        assert action["Action owner"] == expected, action["Action ID"]
        assert action["Action owner"], action["Action ID"]
        # and its due date is no later than the target date of any risk it treats
        risks = {row["Risk ID"]: row for row in table(wb["Risk register"])}
        for rid in treated:
            target = risks[rid]["Target date"]
            if target and action["Priority"] in ("Must", "Should"):
                assert action["Due date"] <= target, (action["Action ID"], rid)


@pytest.mark.parametrize("answers", SAMPLES, ids=lambda p: p.stem)
def test_residual_risks_above_appetite_are_listed_worst_first(tmp_path, run, answers):
    wb = register(tmp_path, run, answers)
    ws = wb["Summary"]
    start = next(c.row for c in ws["A"] if c.value == "Residual risks above appetite") + 1
    rows = []
    if ws.cell(start, 1).value == "Risk ID":
        for r in range(start + 1, ws.max_row + 1):
            if not ws.cell(r, 1).value:
                break
            rows.append((ws.cell(r, 3).value, ws.cell(r, 1).value))
    breaches = [row for row in table(wb["Risk register"]) if row["Within appetite"] == "No"]
    assert len(rows) == len(breaches)
    assert rows == sorted(rows, key=lambda x: (-x[0], x[1]))


def test_a_sample_has_breaches_in_an_order_that_differs_from_ids(tmp_path, run):
    """The order test above means something: somewhere the worst breach is not the first by id."""
    orders = []
    for answers in SAMPLES:
        ws = register(tmp_path, run, answers)["Risk register"]
        breaches = [(row["Residual score"], row["Risk ID"]) for row in table(ws) if row["Within appetite"] == "No"]
        orders.append(sorted(breaches, key=lambda x: x[1]) != sorted(breaches, key=lambda x: (-x[0], x[1])))
    assert any(orders)


def test_every_workbook_names_its_title_subject_and_creator(tmp_path, run):
    for kind, path in workbooks(tmp_path, run, SAMPLE).items():
        props = openpyxl.load_workbook(path).properties
        assert props.creator == f"risk-cli {__version__}", kind
        assert props.title and props.subject, kind
    props = openpyxl.load_workbook(tmp_path / "register.xlsx").properties
    assert props.title == "AI use case risk register: Caseworker reply assistant" or "register" in props.title.lower()


# -- colour contrast (WCAG 2.2 AA: 4.5:1 for text) ----------------------------------------------

def fills_used():
    """Every fill colour risk-cli paints: the bundled questionnaires' rating bands, and its own."""
    import yaml

    from risk_cli.writers import atrs_xlsx, register as register_xlsx, template, xlsx

    colours = set()
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # read at collection, in every test process: the fast one
    for path in (ROOT / "questionnaires").glob("*.yaml"):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
        colours |= {band["colour"] for band in data.get("scoring", {}).get("ratings", [])}
    colours |= set(register_xlsx.CHECK_FILLS.values()) | set(atrs_xlsx.STATUS_FILL.values())
    colours |= {"FFEB9C", "FFC7CE"}
    for f in (xlsx.HEADER_FILL, xlsx.GREY_FILL, template.ANSWER_FILL, template.NOTE_FILL, template.SECTION_FILL):
        colours.add(f.fgColor.rgb[-6:])
    return sorted(colours)


def test_contrast_ratio_matches_wcag():
    from risk_cli.writers.xlsx import contrast

    assert round(contrast("000000", "FFFFFF"), 2) == 21.0
    assert round(contrast("FFFFFF", "FFFFFF"), 2) == 1.0
    assert round(contrast("FF0000", "FFFFFF"), 2) == 4.0  # pure red: white text fails AA
    assert round(contrast("000000", "FF0000"), 2) == 5.25  # black passes it
    assert round(contrast("777777", "FFFFFF"), 2) == 4.48


@pytest.mark.parametrize("colour", fills_used())
def test_text_colour_meets_aa_on_every_fill_used(colour):
    from risk_cli.writers.xlsx import AA_TEXT, BLACK, WHITE, contrast, text_colour

    chosen = text_colour(colour)
    assert chosen in (BLACK, WHITE)
    assert contrast(chosen, colour) >= AA_TEXT, colour
    assert contrast(chosen, colour) >= contrast(WHITE if chosen == BLACK else BLACK, colour)


def font_colour(font):
    rgb = font.color.rgb if font is not None and font.color is not None else None
    return rgb[-6:] if isinstance(rgb, str) else "000000"  # no colour: the default, black


def test_every_filled_cell_and_rating_format_in_every_workbook_meets_aa(tmp_path, run):
    from risk_cli.writers.xlsx import AA_TEXT, contrast

    checked = 0
    for kind, path in workbooks(tmp_path, run, SAMPLE).items():
        wb = openpyxl.load_workbook(path)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if cell.fill is None or cell.fill.fill_type != "solid":
                        continue
                    background = cell.fill.fgColor.rgb[-6:]
                    text = font_colour(cell.font)
                    assert contrast(text, background) >= AA_TEXT, (kind, ws.title, cell.coordinate, text, background)
                    checked += 1
            for rng in ws.conditional_formatting:
                for rule in rng.rules:
                    if rule.dxf is None or rule.dxf.fill is None:
                        continue
                    background = (rule.dxf.fill.fgColor.rgb or rule.dxf.fill.bgColor.rgb)[-6:]
                    text = font_colour(rule.dxf.font)
                    assert contrast(text, background) >= AA_TEXT, (kind, ws.title, rng.sqref, text, background)
                    checked += 1
    assert checked > 100


def test_previous_register_without_owners_gets_them_but_a_cleared_owner_stays_cleared(tmp_path, run):
    """A register written before actions named owners has every owner cell empty: re-assessed
    with --previous, the owners are filled in. One cell a person cleared stays cleared."""
    old = tmp_path / "old.xlsx"
    assert run("assess", "--answers", SAMPLE, "--no-input", "-o", old).exit_code == 0
    wb = openpyxl.load_workbook(old)
    ws = wb["Actions"]
    col = [c.value for c in ws[1]].index("Action owner") + 1
    for r in range(2, ws.max_row + 1):
        ws.cell(r, col).value = None
    before = tmp_path / "before-owners.xlsx"
    wb.save(before)
    new = tmp_path / "new.xlsx"
    result = run("assess", "--answers", SAMPLE, "--no-input", "--previous", before, "-o", new)
    assert result.exit_code == 0, result.output
    assert all(row["Action owner"] for row in table(openpyxl.load_workbook(new)["Actions"]))

    wb = openpyxl.load_workbook(old)
    ws = wb["Actions"]
    ws.cell(2, col).value = None  # one person cleared one owner
    cleared = tmp_path / "cleared.xlsx"
    wb.save(cleared)
    new = tmp_path / "new2.xlsx"
    assert run("assess", "--answers", SAMPLE, "--no-input", "--previous", cleared, "-o", new).exit_code == 0
    rows = table(openpyxl.load_workbook(new)["Actions"])
    assert not rows[0]["Action owner"] and all(row["Action owner"] for row in rows[1:])
