"""A register's Proximity follows the delivery phase and the kind of risk (issue 13, item 10).

Before, every risk of a register had the same proximity ("Under 3 months" on all 36 risks of a
beta or live use case). The rule (model.scoring.proximity, docs/questionnaire-format.md):
delivery risks, those the questionnaire ties to an NAO delivery barrier, are "Now" from
discovery to beta; every other risk arises with real use and is "Now" only when live; blank
when the phase is not answered. Checked on registers the real CLI writes from a sample.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import yaml

from risk_cli.catalogue.bundled import resolve
from risk_cli.model.scoring import proximity
from tests.conftest import ROOT, write_yaml
from tests.test_roundtrip import by_id

SAMPLE = ROOT / "sample_outputs" / "caseworker-reply-assistant-answers.yaml"

EXPECTED = {  # phase: (delivery risks, service risks)
    "idea": ("3-6 months", "Over 12 months"),
    "discovery": ("Now", "6-12 months"),
    "alpha": ("Now", "3-6 months"),
    "beta": ("Now", "Under 3 months"),
    "live": ("3-6 months", "Now"),
}


def register_for(run, tmp_path: Path, phase: str) -> dict[str, dict]:
    doc = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    doc["profile"]["profile.phase"] = phase
    answers = write_yaml(tmp_path / f"{phase}.yaml", doc)
    out = tmp_path / f"{phase}.xlsx"
    result = run("assess", "--answers", answers, "--no-input", "-o", out)
    assert result.exit_code == 0, result.output
    return by_id(openpyxl.load_workbook(out)["Risk register"])


@pytest.mark.parametrize("phase", list(EXPECTED))
def test_proximity_depends_on_the_phase_and_the_risk(run, tmp_path: Path, phase: str) -> None:
    rows = register_for(run, tmp_path, phase)
    qn = resolve(None)
    delivery, service = EXPECTED[phase]
    barrier = {r.id: bool(r.barrier) for r in qn.risks}
    kinds = {rid: "delivery" if barrier[rid] else "service" for rid in rows}
    assert "delivery" in kinds.values() and "service" in kinds.values()
    for rid, row in rows.items():
        assert row["Proximity"] == (delivery if kinds[rid] == "delivery" else service), rid
    assert len({row["Proximity"] for row in rows.values()}) == 2  # no longer one value for every risk


def test_no_phase_leaves_proximity_for_the_owner() -> None:
    qn = resolve(None)
    risk = qn.risks[0]
    assert proximity(risk, None) == "" and proximity(risk, "dont_know") == ""
