"""risk-cli portfolio lists format-2 assessments (rated, points) on an Other models sheet, outside
the 5x5 heat maps and totals."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl

from tests.conftest import FIXTURES, ROOT, write_yaml


def test_rated_and_points_listed_apart(run, tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(ROOT / "sample_outputs" / "benefit-triage-dp-register.xlsx", d / "triage.xlsx")
    shutil.copy(ROOT / "sample_outputs" / "council-chatbot-answers.yaml", d / "chatbot.yaml")
    shutil.copy(FIXTURES / "points" / "answers-high.yaml", d / "high.yaml")
    out = tmp_path / "pf.xlsx"
    result = run("portfolio", d, "-q", FIXTURES / "points" / "mini-points.yaml", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert "2 format-2 assessment(s) listed apart" in result.stdout
    wb = openpyxl.load_workbook(out)
    rows = list(wb["Other models"].iter_rows(values_only=True))
    got = {r[0]: dict(zip(rows[0], r)) for r in rows[1:]}
    assert got["triage"]["Result"] == "High" and got["triage"]["High risks"] == 2
    assert (got["high"]["Result"], got["high"]["Score"], got["high"]["Of a maximum of"]) == ("Level IV", 10, 13)
    assert "2 format-2 assessment(s)" in wb["Heat maps"]["A2"].value
    wb.close()
    data = json.loads(run("portfolio", d, "-q", FIXTURES / "points" / "mini-points.yaml", "--format", "json").stdout)
    assert data["totals"]["use_cases"] == 1 and data["totals"]["other_models"] == 2
    assert {o["model"] for o in data["other_models"]} == {"rated", "points"}
