"""Scales of other sizes than five (issue 16): a questionnaire declares its likelihood and impact
levels, its rating bands cover every score 1..L*I, and every output uses its sizes.

tests/fixtures/mini-4x4.yaml is mini.yaml on four-level scales (bands low 1-2, moderate 3-4, high
6-9, extreme 12-16; appetites 2, 6 and 9), with AI-OPS-001's likelihood starting at 3, so "the AI
decides" (+2) would take it to 5 and is held to 4.
"""

from __future__ import annotations

import json
import struct
import zipfile
from pathlib import Path

import openpyxl
import pytest

from risk_cli import safe_yaml
from risk_cli.writers import heat_map_png
from tests.conftest import FIXTURES, mini_answers, write_yaml

MINI_4X4 = FIXTURES / "mini-4x4.yaml"
LIKELIHOOD = ["Rare", "Unlikely", "Likely", "Almost certain"]
IMPACT = ["Minor", "Moderate", "Major", "Severe"]


def answers(tmp_path: Path, name: str = "a.yaml", **overrides) -> Path:
    doc = mini_answers(**overrides)
    doc["questionnaire"]["id"] = "mini-4x4"
    return write_yaml(tmp_path / name, doc)


def worst(tmp_path: Path) -> Path:
    """Answers that raise every factor: the AI decides, no DPIA, health data in volume, no skills.
    AI-DAT-001 is 4 x 4 = 16, AI-OPS-001 (3 + 2, held to) 4 x 3 = 12, AI-DEL-001 2 x 2 = 4."""
    return answers(tmp_path, "worst.yaml", profile__role="decides", data__dpia="no", data__kinds=["health"],
                   data__volume=200000, delivery__skills="no")


def questionnaire(tmp_path: Path, change) -> Path:
    data = safe_yaml.load(MINI_4X4).data
    change(data)
    return write_yaml(tmp_path / "q.yaml", data)


def errors(run, path: Path) -> list[str]:
    result = run("validate", path)
    assert result.exit_code == 2, result.output
    return [line for line in result.stderr.splitlines() if line.startswith("error:")]


# -- validate ---------------------------------------------------------------------------------

def test_validate_accepts_four_level_scales(run):
    result = run("validate", MINI_4X4)
    assert result.exit_code == 0, result.output
    assert f"{MINI_4X4}: valid" in result.stdout


def test_a_gap_in_1_to_16_is_one_line_naming_the_path(run, tmp_path):
    def gap(d):
        d["scoring"]["ratings"][1]["max"] = 3  # 4 (1 x 4, 2 x 2, 4 x 1) is in no band

    path = questionnaire(tmp_path, gap)
    lines = errors(run, path)
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {path}:")
    assert lines[0].endswith(": scoring.ratings: score 4 is in 0 rating bands; it must be in exactly one")


def test_a_score_above_1_to_16_is_refused(run, tmp_path):
    def beyond(d):
        d["scoring"]["ratings"][3]["max"] = 25  # the 5x5 top: not a score four-level scales give

    path = questionnaire(tmp_path, beyond)
    assert [line.split(": ", 2)[2] for line in errors(run, path)] == [
        "scoring.ratings[3].max: 'max' is 25; scores on a 4-level likelihood and a 4-level impact scale run from 1 to 16"]


def test_overlapping_bands_are_refused(run, tmp_path):
    def overlap(d):
        d["scoring"]["ratings"][2]["min"] = 4

    lines = errors(run, questionnaire(tmp_path, overlap))
    assert any(line.endswith("scoring.ratings[2].min: rating bands must be in increasing order without overlap")
               for line in lines)
    assert any(line.endswith("scoring.ratings: score 4 is in 2 rating bands; it must be in exactly one") for line in lines)


@pytest.mark.parametrize("change, expected", [
    (lambda d: d["scoring"]["likelihood"].__delitem__(slice(1, None)),
     "scoring.likelihood: 'likelihood' must have 2 to 10 levels (it has 1)"),
    (lambda d: d["scoring"]["impact"].extend({"value": n, "label": f"L{n}"} for n in range(5, 12)),
     "scoring.impact: 'impact' must have 2 to 10 levels (it has 11)"),
    (lambda d: d["scoring"]["likelihood"][2].update(value=4),
     "scoring.likelihood[2].value: levels must be 1 to 4 in order; expected 3"),
    (lambda d: d["risks"][0]["impact"].update(base=5),
     "risks[0].impact.base: 'base' is 5; it must be from 1 to 4"),
    (lambda d: d["risks"][0]["impact"]["at_least"][0].update(value=5),
     "risks[0].impact.at_least[0].value: 'value' is 5; it must be from 1 to 4"),
    (lambda d: d["risks"][0]["likelihood"]["add"][0].update(points=4),
     "risks[0].likelihood.add[0].points: 'points' is 4; it must be from 1 to 3"),
    (lambda d: d["scoring"]["appetite_levels"][2].update(max_score=20),
     "scoring.appetite_levels[2].max_score: 'max_score' is 20; scores on a 4-level likelihood and a 4-level impact "
     "scale run from 1 to 16"),
])
def test_scale_sizes_bound_the_rest_of_the_file(run, tmp_path, change, expected):
    lines = errors(run, questionnaire(tmp_path, change))
    assert any(line.endswith(expected) for line in lines), lines


def test_three_by_four_scales_need_bands_for_its_own_scores(run, tmp_path):
    """Likelihood 3 x impact 4 gives 1, 2, 3, 4, 6, 8, 9, 12: 16 is no longer a score to cover."""
    def three_by_four(d):
        s = d["scoring"]
        del s["likelihood"][3]
        s["ratings"][3].update(min=12, max=12)
        s["appetite_levels"][2]["max_score"] = 8

    path = questionnaire(tmp_path, three_by_four)
    result = run("validate", path)
    assert result.exit_code == 0, result.output
    out = tmp_path / "r.md"
    result = run("report", "-q", path, worst(tmp_path), "-o", out)
    assert result.exit_code == 0, result.output
    md = out.read_text(encoding="utf-8")
    table = md[md.index("### Inherent risk"):].split("\n\n")[2].splitlines()
    assert table[0] == "| Likelihood / Impact | 1 Minor | 2 Moderate | 3 Major | 4 Severe |"
    assert [row.split(" | ")[0] for row in table[2:]] == ["| **3 Likely**", "| **2 Unlikely**", "| **1 Rare**"]
    assert "likelihood (1 to 3) times impact (1 to 4) gives a score from 1 to 12" in md


# -- assess: the register --------------------------------------------------------------------

@pytest.fixture
def register(run, tmp_path) -> Path:
    out = tmp_path / "register.xlsx"
    result = run("assess", "-q", MINI_4X4, "--answers", worst(tmp_path), "--no-input", "-o", out)
    assert result.exit_code == 0, result.output
    return out


def risk_rows(path: Path) -> dict[str, dict]:
    ws = openpyxl.load_workbook(path, data_only=True)["Risk register"]
    data = list(ws.iter_rows(values_only=True))
    return {r[0]: dict(zip(data[0], r)) for r in data[1:]}


def test_register_scores_on_four_levels(register):
    rows = risk_rows(register)
    got = {rid: (r["Inherent likelihood"], r["Inherent impact"], r["Inherent score"], r["Inherent rating"],
                 r["Residual score"], r["Residual rating"]) for rid, r in rows.items()}
    assert got == {"AI-DAT-001": (4, 4, 16, "Extreme", 16, "Extreme"),
                   "AI-OPS-001": (4, 3, 12, "Extreme", 12, "Extreme"),
                   "AI-DEL-001": (2, 2, 4, "Moderate", 4, "Moderate")}


def test_a_factor_above_the_top_is_held_to_four(run, tmp_path):
    """AI-OPS-001's likelihood is 3 + 2 when the AI decides: 5 is not on the scale, so it is 4."""
    result = run("assess", "-q", MINI_4X4, "--answers", worst(tmp_path), "--no-input", "--format", "json")
    assert result.exit_code == 0, result.output
    ops = next(r for r in json.loads(result.stdout)["risks"] if r["id"] == "AI-OPS-001")
    assert ops["inherent"] == {"likelihood": 4, "impact": 3, "score": 12, "rating": "extreme"}
    assert ops["because"] == ["Likelihood: No person decides"]
    assert ops["appetite"] == {"level": "cautious", "max_score": 6, "breach": True}


def test_register_formulas_are_written_for_four_level_scores(register):
    ws = openpyxl.load_workbook(register)["Risk register"]
    header = [c.value for c in ws[1]]
    score, rating = header.index("Inherent score"), header.index("Inherent rating")
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "AI-DAT-001")
    assert str(row[score].value).startswith("=IF(AND(ISNUMBER(")
    assert "LOOKUP(" in str(row[rating].value) and "{1,3,6,12}" in str(row[rating].value)


def heat_map(rows: list[tuple], title: str) -> list[tuple]:
    start = next(i for i, r in enumerate(rows) if r[0] == title)
    return rows[start + 1:start + 7]


def test_register_heat_maps_are_four_by_four(register):
    ws = openpyxl.load_workbook(register, data_only=True)["Summary"]
    rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
    inherent = heat_map(rows, "Inherent risk heat map (number of risks)")
    assert inherent[0][1:6] == ("1 Minor", "2 Moderate", "3 Major", "4 Severe", None)
    assert [r[0] for r in inherent[1:5]] == ["4 Almost certain", "3 Likely", "2 Unlikely", "1 Rare"]
    assert inherent[1][1:5] == (None, None, 1, 1)  # AI-OPS-001 at impact 3, AI-DAT-001 at 4
    assert inherent[3][1:5] == (None, 1, None, None)  # AI-DEL-001
    assert all(v is None for v in inherent[5])  # a blank row, then the residual heat map
    residual = heat_map(rows, "Residual risk heat map (number of risks)")
    assert [r[0] for r in residual[1:5]] == ["4 Almost certain", "3 Likely", "2 Unlikely", "1 Rare"]
    colours = {ws.cell(r + 1, c).fill.fgColor.rgb[-6:]
               for r, row in enumerate(rows) if row[0] == "4 Almost certain" for c in range(2, 6)}
    assert colours == {"FFFF00", "FFC000", "FF0000"}  # 4 moderate, 8 high, 12 and 16 extreme


def test_register_about_sheet_states_the_scales(register):
    ws = openpyxl.load_workbook(register)["About"]
    text = " ".join(str(c) for row in ws.iter_rows(values_only=True) for c in row if c)
    assert "likelihood (1-4) x impact (1-4) gives a score from 1 to 16." in text
    assert "Both are capped at 1 to 4." in text
    assert "1 to 25" not in text and "1-5" not in text


# -- report, batch, import ----------------------------------------------------------------------

def test_report_markdown_heat_map_is_four_by_four(run, tmp_path):
    out = tmp_path / "r.md"
    result = run("report", "-q", MINI_4X4, worst(tmp_path), "-o", out)
    assert result.exit_code == 0, result.output
    md = out.read_text(encoding="utf-8")
    table = md[md.index("### Inherent risk"):].split("\n\n")[2].splitlines()
    assert table == [
        "| Likelihood / Impact | 1 Minor | 2 Moderate | 3 Major | 4 Severe |",
        "| --- | --- | --- | --- | --- |",
        "| **4 Almost certain** | · | · | 1 | 1 |",
        "| **3 Likely** | · | · | · | · |",
        "| **2 Unlikely** | · | 1 | · | · |",
        "| **1 Rare** | · | · | · | · |",
    ]
    assert "likelihood (1 to 4) times impact (1 to 4) gives a score from 1 to 16" in md


def test_report_html_heat_map_is_four_by_four(run, tmp_path):
    out = tmp_path / "r.html"
    result = run("report", "-q", MINI_4X4, worst(tmp_path), "-o", out)
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert html.count("<rect") == 2 * 16  # two heat maps of 4 x 4 cells
    assert html.count('viewBox="0 0 534 228"') == 2  # 150 + 4 x 96 wide, 44 + 4 x 40 + 24 high


def test_report_word_heat_map_picture_is_four_by_four(run, tmp_path):
    out = tmp_path / "r.docx"
    result = run("report", "-q", MINI_4X4, worst(tmp_path), "-o", out)
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as z:
        pngs = [z.read(n) for n in z.namelist() if n.endswith(".png")]
        document = z.read("word/document.xml").decode("utf-8")
    assert pngs
    for png in pngs:
        width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk
        assert (width, height) == (heat_map_png.LEFT + 4 * heat_map_png.CELL_W + heat_map_png.RIGHT,
                                   heat_map_png.TOP + 4 * heat_map_png.CELL_H + heat_map_png.BOTTOM)
    assert "Likelihood (rows, 4 at the top)" in document
    assert "likelihood 4, impact 4: 1" in document


def test_batch_scores_on_four_levels(run, tmp_path):
    out = tmp_path / "out"
    result = run("batch", "-q", MINI_4X4, answers(tmp_path), worst(tmp_path), "-o", out, "--format", "json")
    assert result.exit_code == 0, result.output
    lines = {Path(d["file"]).name: d for d in map(json.loads, result.stdout.splitlines())}
    assert lines["worst.yaml"]["worst"] == {"id": "AI-DAT-001", "score": 16, "rating": "Extreme"}
    assert lines["worst.yaml"]["residual_counts"] == {"extreme": 2, "high": 0, "moderate": 1, "low": 0}
    # the usual answers: AI-DAT-001 2 x 3 = 6, less the DPIA: 3; AI-OPS-001 3 x 3 = 9; AI-DEL-001 1 x 1
    assert lines["a.yaml"]["worst"] == {"id": "AI-OPS-001", "score": 9, "rating": "High"}
    assert lines["a.yaml"]["residual_counts"] == {"extreme": 0, "high": 1, "moderate": 1, "low": 1}
    rows = risk_rows(Path(lines["worst.yaml"]["register"]))
    assert rows["AI-OPS-001"]["Inherent likelihood"] == 4


def test_import_of_a_four_level_register(run, register, tmp_path):
    out = tmp_path / "back"
    result = run("import", register, "-q", MINI_4X4, "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stderr.count("warning:") == 0, result.stderr  # every 4-level score is risk-cli's own
    assert risk_rows(out / "register-register.xlsx") == risk_rows(register)  # same rows, same scores


def test_an_edit_beyond_the_scale_is_named_and_the_answers_decide(run, register, tmp_path):
    wb = openpyxl.load_workbook(register)
    ws = wb["Risk register"]
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "AI-DEL-001")
    cell = row[header.index("Residual likelihood")]
    cell.value = 5
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    result = run("import", edited, "-q", MINI_4X4, "-o", tmp_path / "back")
    assert result.exit_code == 0, result.output
    assert (f"warning: {edited}: Risk register!{cell.coordinate}: residual likelihood edited to 5; risk-cli scores 2 "
            "from the answers; the answers decide") in result.stderr.splitlines()
    assert risk_rows(tmp_path / "back" / "edited-register.xlsx")["AI-DEL-001"]["Residual likelihood"] == 2


def test_reassessing_with_the_previous_register_keeps_four_level_formulas(run, register, tmp_path):
    out = tmp_path / "next.xlsx"
    result = run("assess", "-q", MINI_4X4, "--answers", answers(tmp_path), "--no-input", "--previous", register,
                 "-o", out)
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(out)["Risk register"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        assert str(row[header.index("Residual score")].value).startswith("=IF(")
    assert risk_rows(out)["AI-OPS-001"]["Residual score"] == 9


def test_portfolio_leaves_other_scale_sizes_out_of_its_heat_maps(run, tmp_path):
    """A 4 on a four-level scale is its top, on a five-level one it is not: the 4x4 use case is in
    the totals but not in the 5x5 heat maps, and a warning says so."""
    five = tmp_path / "five.yaml"
    write_yaml(five, mini_answers(profile__name="Five"))
    result = run("portfolio", "-q", MINI_4X4, "-q", FIXTURES / "mini.yaml", five, worst(tmp_path), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["totals"]["use_cases"] == 2 and data["totals"]["risks"] == 6
    assert sum(c["risks"] for c in data["heat_maps"]["inherent"]) == 3  # the 5x5 use case's alone
    assert [line for line in result.stderr.splitlines() if "scale" in line] == [
        f"warning: {tmp_path / 'worst.yaml'}: scored on 4x4 scales (mini-4x4 0.1.0), so its risks are not in the heat "
        "maps, which are 5x5 (mini 0.1.0); every other figure counts them"]


def test_the_json_result_names_the_scale_sizes(tmp_path, run):
    """A pipeline reading a score of 16 must know whether it is the top (4x4) or not (5x5)."""
    from tests.conftest import FIVE_BY_FIVE_SAMPLES

    four = run("assess", "-q", MINI_4X4, "--answers", worst(tmp_path), "--no-input", "--format", "json")
    assert four.exit_code == 0, four.output
    assert json.loads(four.stdout)["scales"] == {"likelihood": 4, "impact": 4}
    five = run("assess", "--answers", FIVE_BY_FIVE_SAMPLES[0], "--no-input", "--format", "json")
    assert json.loads(five.stdout)["scales"] == {"likelihood": 5, "impact": 5}
