"""sample_outputs/ must match what the tool writes today (cell values, not bytes).

Regenerate after a deliberate change with:
    for n in caseworker-reply-assistant benefit-fraud-ranking council-chatbot; do
      risk-cli assess --answers sample_outputs/$n-answers.yaml --no-input --force -o sample_outputs/$n-register.xlsx
    done
"""

from __future__ import annotations

import openpyxl
import pytest

from tests.conftest import ROOT

SAMPLES = sorted(p.name[: -len("-answers.yaml")] for p in (ROOT / "sample_outputs").glob("*-answers.yaml"))


def values(path):
    wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                out[(ws.title, cell.coordinate)] = cell.value
    # the time of writing is the one thing allowed to differ
    about = wb["About"]
    for row in about.iter_rows():
        if row[0].value == "Generated":
            out.pop(("About", row[1].coordinate), None)
    return out


def test_there_are_at_least_three_samples():
    assert len(SAMPLES) >= 3
    for name in SAMPLES:
        assert (ROOT / "sample_outputs" / f"{name}-register.xlsx").exists(), f"{name}: no register"


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_register_matches_what_the_tool_writes(tmp_path, run, name):
    answers = ROOT / "sample_outputs" / f"{name}-answers.yaml"
    out = tmp_path / f"{name}.xlsx"
    result = run("assess", "--answers", answers, "--no-input", "-o", out)
    assert result.exit_code == 0, result.output
    expected = values(ROOT / "sample_outputs" / f"{name}-register.xlsx")
    actual = values(out)
    changed = sorted(k for k in expected.keys() | actual.keys() if expected.get(k) != actual.get(k))
    assert not changed, f"sample_outputs/{name}-register.xlsx is stale at {changed[:5]}: regenerate it (see this file's docstring)"
