"""`risk-cli portfolio`: figures across use cases, checked against values worked out by hand.

The fixture (mini questionnaire), after the duplicate is resolved:
  B  "Benefit triage" (Agency B), answers file: the AI decides, personal health data for
     200,000 people, no DPIA, no skills.
       AI-DAT-001 L4 I5 = 20 Extreme, residual 20 Extreme (appetite 3: breach)
       AI-OPS-001 L4 I3 = 12 High, residual 12 High (appetite 9: breach)
       AI-DEL-001 L2 I2 = 4 Moderate, residual 4 Moderate
       Tier 3 (decides; extreme). DPIA outstanding. Skills barrier reported.
  C  "=SUM(1,2) chat" (Council C), register: no personal data, no skills.
       AI-OPS-001 6 Moderate/6 Moderate, AI-DEL-001 4 Moderate/4 Moderate. Tier 1. Skills reported.
  D  "reply  DRAFTER" (department for tests), answers file assessed 2026-12-15: personal data,
     no DPIA, skills in place. It is the newer assessment of A below, so A is not used.
       AI-DAT-001 L4 I3 = 12 High, residual 12 High (breach); AI-OPS-001 6/6 Moderate;
       AI-DEL-001 4 Moderate, residual L1 I1 = 1 Low. Tier 2 (breach). DPIA outstanding.
  A  "Reply drafter" (Department for Tests), register assessed 2026-11-27: ignored.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import MINI, mini_answers, write_yaml


def answers_doc(assessed_on: str, **overrides) -> dict:
    doc = mini_answers(**overrides)
    doc["assessed_on"] = assessed_on
    return doc


@pytest.fixture
def inputs(tmp_path, run) -> Path:
    folder = tmp_path / "in"
    (folder / "registers").mkdir(parents=True)
    a = write_yaml(tmp_path / "a.yaml", answers_doc("2026-11-27"))
    c = write_yaml(tmp_path / "c.yaml", answers_doc(
        "2026-10-01", profile__name="=SUM(1,2) chat", profile__organisation="Council C", data__personal="no",
        data__dpia=None, data__kinds=None, delivery__skills="no"))
    for src, name in ((a, "a.xlsx"), (c, "c.xlsx")):
        result = run("assess", "-q", MINI, "--answers", src, "-o", folder / "registers" / name)
        assert result.exit_code == 0, result.output
    write_yaml(folder / "b.yaml", answers_doc(
        "2026-09-01", profile__name="Benefit triage", profile__organisation="Agency B", profile__role="decides",
        data__dpia="no", data__kinds=["health"], data__volume=200000, delivery__skills="no"))
    write_yaml(folder / "d.yaml", answers_doc(
        "2026-12-15", profile__name="reply  DRAFTER", profile__organisation="department for tests", data__dpia="no"))
    return folder


def portfolio(run, *args):
    return run("portfolio", "-q", MINI, *map(str, args))


def table(ws) -> list[dict]:
    data = list(ws.iter_rows(values_only=True))
    return [dict(zip(data[0], row)) for row in data[1:] if any(v is not None for v in row)]


def grid(ws, title: str) -> dict[int, list]:
    """A heat map read back: likelihood -> counts for impact 1..5 (None for none)."""
    data = list(ws.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(data) if row[0] == title)
    return {int(data[start + 2 + n][0].split()[0]): list(data[start + 2 + n][1:6]) for n in range(5)}


def test_workbook_figures_match_hand_computed_values(tmp_path, run, inputs):
    out = tmp_path / "portfolio.xlsx"
    result = portfolio(run, inputs, "-o", out)
    assert result.exit_code == 0, result.output
    d_file, a_file = inputs / "d.yaml", inputs / "registers" / "a.xlsx"
    assert (f"warning: use case 'reply  DRAFTER' (department for tests) is given 2 times: using {d_file} "
            f"(assessed 2026-12-15); ignoring {a_file} (assessed 2026-11-27)") in result.stderr.splitlines()
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Overview", "All risks", "Heat maps", "Barriers", "Escalations", "Inputs", "About"]

    overview = table(wb["Overview"])
    assert [(r["Organisation"], r["Use case"]) for r in overview] == [
        ("Agency B", "Benefit triage"), ("Council C", "=SUM(1,2) chat"), ("department for tests", "reply  DRAFTER")]
    b, c, d = overview
    assert (b["Tier level"], b["Escalate"], b["Residual extreme"], b["Residual high"], b["Residual moderate"],
            b["Residual low"], b["Risks"], b["Above appetite"], b["Mandatory checks outstanding"]) == (
        3, "Yes", 1, 1, 1, 0, 3, 2, 1)
    assert (c["Tier level"], c["Escalate"], c["Residual moderate"], c["Risks"], c["Above appetite"]) == (1, "No", 2, 2, 0)
    assert (d["Tier level"], d["Residual high"], d["Residual moderate"], d["Residual low"], d["Above appetite"]) == (
        2, 1, 1, 1, 1)
    assert (b["Barriers reported"], c["Barriers reported"], d["Barriers reported"]) == ("Skills", "Skills", None)
    assert (d["Questionnaire"], d["Questionnaire version"], d["Older questionnaire version"]) == ("mini", "0.1.0", "No")
    assert d["Assessed on"] == dt.datetime(2026, 12, 15) and d["File"] == str(d_file)
    assert (c["Input kind"], d["Input kind"]) == ("register", "answers")

    risks = table(wb["All risks"])
    assert len(risks) == 8
    first = risks[0]
    assert (first["Use case"], first["Risk ID"], first["Category"], first["Inherent likelihood"], first["Inherent impact"],
            first["Inherent score"], first["Inherent rating"], first["Residual score"], first["Residual rating"],
            first["Risk appetite"], first["Appetite max score"], first["Above appetite"]) == (
        "Benefit triage", "AI-DAT-001", "Legal", 4, 5, 20, "Extreme", 20, "Extreme", "Averse", 3, "Yes")
    dele = next(r for r in risks if r["Use case"] == "reply  DRAFTER" and r["Risk ID"] == "AI-DEL-001")
    assert (dele["Residual likelihood"], dele["Residual impact"], dele["Controls in place"], dele["NAO barrier"]) == (
        1, 1, 1, "Skills")
    assert "AllRisks" in wb["All risks"].tables

    heat = wb["Heat maps"]
    assert grid(heat, "Inherent risk (before controls)") == {
        5: [None] * 5, 4: [None, None, 2, None, 1], 3: [None] * 5, 2: [None, 3, 2, None, None], 1: [None] * 5}
    assert grid(heat, "Residual risk (after the controls in place)") == {
        5: [None] * 5, 4: [None, None, 2, None, 1], 3: [None] * 5, 2: [None, 2, 2, None, None], 1: [1, None, None, None, None]}
    rows = list(heat.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == "Risks by rating")
    assert [r[:3] for r in rows[start + 2:start + 6]] == [
        ("Extreme", 1, 1), ("High", 2, 2), ("Moderate", 5, 4), ("Low", 0, 1)]
    start = next(i for i, row in enumerate(rows) if row[0] == "Use cases by assurance tier")
    assert [r[:2] for r in rows[start + 2:start + 5]] == [("Tier 1", 1), ("Tier 2", 1), ("Tier 3", 1)]

    barriers = table(wb["Barriers"])
    skills = barriers[0]
    assert (skills["Barrier"], skills["Use cases asked"], skills["Use cases reporting it"], skills["Organisations"],
            skills["Organisations reporting it"], skills["NAO 2023 survey: share of bodies"]) == (
        "Skills", 3, 2, 3, 2, "about 70%")
    assert skills["Share of use cases"] == pytest.approx(2 / 3)
    assert skills["NAO share as a number"] == pytest.approx(0.7)
    assert skills["Share of organisations minus NAO (points)"] == -3

    escalations = table(wb["Escalations"])
    assert [(e["Use case"], e["Tier level"], e["Above appetite"]) for e in escalations] == [
        ("Benefit triage", 3, 2), ("reply  DRAFTER", 2, 1)]
    assert escalations[0]["Reasons"] == (
        "Tier 3: The AI decides without a person; A residual risk is extreme\n"
        "2 residual risk(s) above appetite: AI-DAT-001 (residual 20, appetite up to 3), "
        "AI-OPS-001 (residual 12, appetite up to 9)")
    assert escalations[1]["Reasons"] == ("Tier 2: A residual risk is above appetite\n"
                                         "1 residual risk(s) above appetite: AI-DAT-001 (residual 12, appetite up to 3)")

    used = {r["File"]: r["Status"] for r in table(wb["Inputs"])}
    assert used == {str(a_file): "Not used: older duplicate", str(inputs / "registers" / "c.xlsx"): "Used (register)",
                    str(inputs / "b.yaml"): "Used (answers)", str(d_file): "Used (answers)"}

    for ws in openpyxl.load_workbook(out).worksheets:  # nothing a person typed became a formula
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type not in ("f", "e"), f"{ws.title}!{cell.coordinate}"
    name = next(cell for cell in wb["Overview"]["B"] if cell.value == "=SUM(1,2) chat")
    assert name.data_type == "s" and name.quotePrefix


def test_terminal_summary(run, inputs):
    result = portfolio(run, inputs)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Portfolio: 3 use case(s) from 3 organisation(s), 8 risk(s)" in out
    assert "1 given more than once (newest used)" in out
    assert "To escalate: 2 use case(s)" in out
    assert "Skills" in out and "2/3" in out and "67%" in out and "about 70%" in out


def test_json_output(run, inputs):
    result = portfolio(run, inputs, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    totals = data["totals"]
    assert (totals["use_cases"], totals["risks"], totals["escalations"], totals["duplicates"], totals["skipped"]) == (
        3, 8, 2, 1, 0)
    assert totals["residual"] == {"low": 1, "moderate": 4, "high": 2, "extreme": 1}
    assert totals["inherent"] == {"low": 0, "moderate": 5, "high": 2, "extreme": 1}
    assert totals["tiers"] == {"Tier 1": 1, "Tier 2": 1, "Tier 3": 1}
    assert {"likelihood": 2, "impact": 2, "risks": 3} in data["heat_maps"]["inherent"]
    assert {"likelihood": 1, "impact": 1, "risks": 1} in data["heat_maps"]["residual"]
    skills = data["barriers"][0]
    assert (skills["id"], skills["reporting"], skills["use_cases"], skills["nao_share_value"]) == ("skills", 2, 3, 70)
    assert skills["share"] == pytest.approx(2 / 3)
    assert [e["name"] for e in data["escalations"]] == ["Benefit triage", "reply  DRAFTER"]
    assert data["duplicates"][0]["used"].endswith("d.yaml")
    b = data["use_cases"][0]
    assert (b["name"], b["tier"]["level"], b["appetite_breaches"], b["mandatory_checks_outstanding"]) == (
        "Benefit triage", 3, 2, ["dpia"])
    assert b["residual_counts"] == {"low": 0, "moderate": 1, "high": 1, "extreme": 1}


def test_same_day_duplicates_use_the_newest_file(tmp_path, run):
    old = write_yaml(tmp_path / "old.yaml", answers_doc("2026-11-27"))
    new = write_yaml(tmp_path / "new.yaml", answers_doc("2026-11-27", data__dpia="no"))
    os.utime(old, (1_700_000_000, 1_700_000_000))
    os.utime(new, (1_600_000_000, 1_600_000_000))  # older file time: old.yaml wins the tie
    data = json.loads(portfolio(run, new, old, "--format", "json").stdout)
    assert data["duplicates"] == [{"organisation": "Department for Tests", "name": "Reply drafter",
                                   "used": str(old), "ignored": [str(new)]}]


def test_bad_inputs_are_skipped_with_exit_3(tmp_path, run, inputs):
    (inputs / "bad.yaml").write_text(
        "questionnaire: {id: mini, version: 0.1.0}\nprofile: {profile.name: X}\nanswers: {data.personal: maybe}\n")
    (inputs / "fake.xlsx").write_text("not,a,workbook\n")
    out = tmp_path / "portfolio.xlsx"
    result = portfolio(run, inputs, tmp_path / "missing", "-o", out)
    assert result.exit_code == 3
    lines = result.stderr.splitlines()
    assert (f"error: {inputs / 'bad.yaml'}: data.personal: 'maybe' is not an allowed answer (allowed: yes, no, "
            "dont_know) (and 6 more problem(s): check the file with risk-cli assess --answers FILE) (skipped)") in lines
    assert f"error: {inputs / 'fake.xlsx'}: is not an .xlsx workbook (a text or CSV file) (skipped)" in lines
    assert f"error: {tmp_path / 'missing'}: no such file or folder (skipped)" in lines
    assert "Traceback" not in result.output
    wb = openpyxl.load_workbook(out)
    assert len(table(wb["Overview"])) == 3
    statuses = {r["File"]: (r["Status"], r["Detail"]) for r in table(wb["Inputs"])}
    assert statuses[str(inputs / "fake.xlsx")] == (
        "Skipped: bad input", f"{inputs / 'fake.xlsx'}: is not an .xlsx workbook (a text or CSV file)")


def test_strict_fails_and_writes_nothing(tmp_path, run, inputs):
    (inputs / "fake.xlsx").write_text("not,a,workbook\n")
    out = tmp_path / "portfolio.xlsx"
    result = portfolio(run, inputs, "-o", out, "--strict")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"error: {inputs / 'fake.xlsx'}: is not an .xlsx workbook (a text or CSV file)",
        "error: --strict: 1 bad input(s); nothing written"]
    assert not out.exists() and result.stdout == ""


def test_nothing_usable_and_existing_output(tmp_path, run, inputs):
    bad = tmp_path / "bad.yaml"
    bad.write_text("just text\n")
    result = portfolio(run, bad, "-o", tmp_path / "p.xlsx")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "error: no use case could be read from the inputs; nothing written"
    assert not (tmp_path / "p.xlsx").exists()
    existing = tmp_path / "existing.xlsx"
    existing.write_bytes(b"keep me")
    result = portfolio(run, inputs, "-o", existing)
    assert result.exit_code == 2 and existing.read_bytes() == b"keep me"
    assert portfolio(run, inputs, "-o", existing, "--force").exit_code == 0
    assert openpyxl.load_workbook(existing).sheetnames[0] == "Overview"


def test_older_questionnaire_version_is_flagged(tmp_path, run, inputs):
    newer = tmp_path / "mini-0.2.0.yaml"
    newer.write_text(MINI.read_text(encoding="utf-8").replace("version: 0.1.0", "version: 0.2.0"), encoding="utf-8")
    out = tmp_path / "portfolio.xlsx"
    result = run("portfolio", "-q", MINI, "-q", newer, inputs, "-o", out)
    assert result.exit_code == 0, result.output
    assert "3 assessed against an older questionnaire version" in result.stdout
    rows = table(openpyxl.load_workbook(out)["Overview"])
    assert {r["Older questionnaire version"] for r in rows} == {"Yes: 0.2.0 is newer"}


def test_unknown_questionnaire_version_is_a_bad_input(tmp_path, run, inputs):
    doc = answers_doc("2026-11-27", profile__name="Old one")
    doc["questionnaire"]["version"] = "0.0.1"
    write_yaml(inputs / "old.yaml", doc)
    result = portfolio(run, inputs)
    assert result.exit_code == 3
    assert (f"error: {inputs / 'old.yaml'}: answered against questionnaire mini 0.0.1, which is not available "
            "(versions here: mini 0.1.0); give its file with -q FILE (skipped)") in result.stderr.splitlines()


def test_escalate_tier_option(run, inputs):
    data = json.loads(portfolio(run, inputs, "--format", "json", "--escalate-tier", "3").stdout)
    assert [e["name"] for e in data["escalations"]] == ["Benefit triage", "reply  DRAFTER"]  # D still breaches
    d = data["use_cases"][2]
    assert d["escalation_reasons"] == ["1 residual risk(s) above appetite: AI-DAT-001 (residual 12, appetite up to 3)"]


def test_output_inside_an_input_folder_is_not_read_back(run, inputs):
    out = inputs / "portfolio.xlsx"
    assert portfolio(run, inputs, "-o", out).exit_code == 0
    again = portfolio(run, inputs, "-o", out, "--force")
    assert again.exit_code == 0, again.output


def test_escalations_in_the_same_order_in_the_workbook_and_the_terminal(tmp_path, run):
    """Most urgent first, then by use case ignoring case and spacing: 'triage beta' before
    'Triage  Zeta', though a plain sort puts the double space first. (JSON lists them by organisation
    and name, which here is the same order.)"""
    folder = tmp_path / "in"
    folder.mkdir()
    for file, name in (("1.yaml", "Triage  Zeta"), ("2.yaml", "triage beta")):  # both tier 2, one breach
        write_yaml(folder / file, answers_doc("2026-11-27", profile__name=name, profile__organisation="Org",
                                              data__dpia="no"))
    write_yaml(folder / "3.yaml", answers_doc("2026-11-27", profile__name="Aardvark", profile__organisation="Org",
                                              profile__role="decides", data__dpia="no"))  # tier 3
    out = tmp_path / "portfolio.xlsx"
    result = portfolio(run, folder, "-o", out)
    assert result.exit_code == 0, result.output
    expected = ["Aardvark", "triage beta", "Triage  Zeta"]
    assert [e["Use case"] for e in table(openpyxl.load_workbook(out)["Escalations"])] == expected
    terminal = portfolio(run, folder).stdout
    rows = terminal[terminal.index("To escalate: 3 use case(s)"):]
    assert sorted(expected, key=rows.index) == expected
    data = json.loads(portfolio(run, folder, "--format", "json").stdout)
    assert [e["name"] for e in data["escalations"]] == ["Aardvark", "triage beta", "Triage  Zeta"]


def test_library_uses_the_bundled_questionnaire_parsed_once(tmp_path, monkeypatch):
    """A bundled questionnaire is parsed once (by the catalogue); a missing version is looked up once."""
    from risk_cli.catalogue import bundled
    from risk_cli.catalogue.versions import Versions
    from risk_cli.errors import RiskCliError

    shelf = tmp_path / "questionnaires"
    shelf.mkdir()
    (shelf / "mini.yaml").write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(bundled, "bundled_dir", lambda: shelf)
    library = Versions.library()
    qn = library.exact("mini", "0.1.0")
    assert qn is bundled.load_bundled(shelf / "mini.yaml")
    assert library.exact("mini", "0.1.0") is qn
    with pytest.raises(RiskCliError) as first:
        library.exact("mini", "0.0.1")
    assert str(first.value) == ("answered against questionnaire mini 0.0.1, which is not available "
                                "(versions here: mini 0.1.0); give its file with -q FILE")
    with pytest.raises(RiskCliError) as again:
        library.exact("mini", "0.0.1")
    assert again.value is first.value
