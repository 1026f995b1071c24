"""Edits in Excel keep scores in step (issue 11): a register's score cells are formulas of their
likelihood and impact, and its rating cells formulas of the score over the rating bands, so a
risk manager who changes a residual likelihood in Excel or LibreOffice sees the score, the
rating and (by the conditional formats) its colour follow. The formulas are risk-cli's own:
cell references and literals only. Readers never trust them: import, portfolio and
`assess --previous` re-score from the answers and warn about each edited likelihood or impact.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from risk_cli.writers.register import REGISTER_COLUMNS
from tests.conftest import MINI, mini_answers, write_yaml

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
HEADERS = [name for name, _ in REGISTER_COLUMNS]
BANDS = '{1,4,8,15},{"Low","Moderate","High","Extreme"}'  # mini.yaml's rating bands, lowest score first
LABELS = {"low": "Low", "moderate": "Moderate", "high": "High", "extreme": "Extreme"}


def letter(header: str) -> str:
    return openpyxl.utils.get_column_letter(HEADERS.index(header) + 1)


L, I, S, R = (letter(h) for h in ("Residual likelihood", "Residual impact", "Residual score", "Residual rating"))


def write_register(tmp_path: Path, run, name: str = "register.xlsx", **answers) -> Path:
    source = write_yaml(tmp_path / f"{Path(name).stem}.yaml", mini_answers(**answers))
    out = tmp_path / name
    result = run("assess", "-q", MINI, "--answers", source, "-o", out)
    assert result.exit_code == 0, result.output
    return out


def scored(run, source: Path) -> dict[str, dict]:
    """Each risk's scores as risk-cli computes them from the answers (assess --format json)."""
    result = run("assess", "-q", MINI, "--answers", source, "--format", "json")
    assert result.exit_code == 0, result.output
    return {r["id"]: r for r in json.loads(result.stdout)["risks"]}


def rows_by_id(ws) -> dict[str, int]:
    return {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value}


def test_score_and_rating_cells_hold_risk_clis_formulas_with_their_values_cached(tmp_path, run):
    path = write_register(tmp_path, run)
    expected = scored(run, path)
    ws = openpyxl.load_workbook(path)["Risk register"]
    rows = rows_by_id(ws)
    assert set(rows) == set(expected)
    for rid, r in rows.items():
        for lik, imp, score, rating in (("F", "G", "H", "I"), (L, I, S, R)):
            assert ws[f"{score}{r}"].value == f'=IF(AND(ISNUMBER({lik}{r}),ISNUMBER({imp}{r})),{lik}{r}*{imp}{r},"")'
            assert ws[f"{rating}{r}"].value == f'=IF(ISNUMBER({score}{r}),LOOKUP({score}{r},{BANDS}),"")'
        # likelihood and impact stay plain numbers for people to edit
        assert isinstance(ws[f"{L}{r}"].value, int) and ws[f"{L}{r}"].data_type == "n"
    # each formula's value is cached in the file: what Excel, LibreOffice and calamine show on opening
    cached = openpyxl.load_workbook(path, data_only=True)["Risk register"]
    from python_calamine import CalamineWorkbook

    calamine = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Risk register").to_python()
    for rid, r in rows.items():
        residual = expected[rid]["residual"]
        label = LABELS[residual["rating"]]
        assert (cached[f"{S}{r}"].value, cached[f"{R}{r}"].value) == (residual["score"], label)
        assert calamine[r - 1][HEADERS.index("Residual score")] == residual["score"]
        assert calamine[r - 1][HEADERS.index("Residual rating")] == label
    # the rating cells are coloured by their text, so a recalculated rating recolours
    ranges = {str(cf.sqref) for cf in ws.conditional_formatting}
    assert f"{R}2:{R}{ws.max_row}" in ranges and f"I2:I{ws.max_row}" in ranges


def test_only_cell_references_and_literals_can_be_written_as_a_formula():
    from risk_cli.writers.register import rating_formula, score_formula
    from risk_cli.writers.xlsx import formula_problem, put_formula

    assert formula_problem(score_formula("L5", "M5")) == ""
    assert formula_problem('=IF(ISNUMBER(N5),LOOKUP(N5,{1,4},{"A ""quoted"" HYPERLINK(x)","B"}),"")') == ""
    for bad in ('=HYPERLINK("http://example.org","x")', "=cmd|' /C calc'!A0", "=1+1", "=WEBSERVICE(A1)",
                "=Sheet2!A1", "L5*M5"):
        assert formula_problem(bad), bad
    ws = openpyxl.Workbook().active
    with pytest.raises(ValueError):
        put_formula(ws, 1, 1, '=HYPERLINK("http://example.org")', 1)
    # a band label with a quote stays inside its literal
    from types import SimpleNamespace

    forged = rating_formula("H2", [SimpleNamespace(label='High")&HYPERLINK("x', min=1)])
    assert formula_problem(forged) == "" and '"High"")&HYPERLINK(""x"' in forged


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
def test_an_edited_likelihood_is_recalculated_by_libreoffice(tmp_path, run):
    path = write_register(tmp_path, run)
    wb = openpyxl.load_workbook(path)
    ws = wb["Risk register"]
    r = rows_by_id(ws)["AI-OPS-001"]
    impact = ws[f"{I}{r}"].value
    was = ws[f"{L}{r}"].value
    assert (was, impact) == (2, 3)  # 6, Moderate
    ws[f"{L}{r}"] = 4  # the risk manager's edit: 4 x 3 = 12, High
    ws["F2"] = 5  # and an inherent one on another row
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    out = tmp_path / "recalculated"
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless", "--convert-to", "xlsx",
         "--outdir", str(out), str(edited)], capture_output=True, text=True, timeout=300)
    converted = out / "edited.xlsx"
    assert result.returncode == 0 and converted.exists(), result.stdout + result.stderr
    values = openpyxl.load_workbook(converted, data_only=True)["Risk register"]
    assert (values[f"{L}{r}"].value, values[f"{S}{r}"].value, values[f"{R}{r}"].value) == (4, 12, "High")
    assert (values["F2"].value, values["G2"].value, values["H2"].value, values["I2"].value) == (5, 3, 15, "Extreme")
    # the file LibreOffice saved keeps risk-cli's formulas, so risk-cli still reads it as a register,
    # re-scores it from its answers and says what was edited
    result = run("assess", "-q", MINI, "--answers", tmp_path / "register.yaml", "--previous", converted,
                 "-o", tmp_path / "next.xlsx")
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert (f"warning: {converted}: Risk register!{L}{r}: residual likelihood edited to 4; risk-cli scores 2 from "
            "the answers; the answers decide") in lines
    assert (f"warning: {converted}: Risk register!F2: inherent likelihood edited to 5; risk-cli scores 2 from "
            "the answers; the answers decide") in lines
    again = openpyxl.load_workbook(tmp_path / "next.xlsx", data_only=True)["Risk register"]
    r2 = rows_by_id(again)["AI-OPS-001"]
    assert (again[f"{L}{r2}"].value, again[f"{S}{r2}"].value, again[f"{R}{r2}"].value) == (2, 6, "Moderate")


@pytest.fixture
def edited(tmp_path, run) -> tuple[Path, int, Path]:
    """A register whose AI-OPS-001 residual likelihood a person changed from 2 to 4 (and another
    row's impact cleared), as openpyxl saves it: without the formulas' cached values."""
    path = write_register(tmp_path, run)
    wb = openpyxl.load_workbook(path)
    ws = wb["Risk register"]
    rows = rows_by_id(ws)
    r = rows["AI-OPS-001"]
    ws[f"{L}{r}"] = 4
    ws[f"G{rows['AI-DEL-001']}"] = None
    folder = tmp_path / "in"
    folder.mkdir()
    wb.save(folder / "edited.xlsx")
    return folder / "edited.xlsx", r, tmp_path / "register.yaml"


def warnings_in(stderr: str, path: Path, r: int, del_row: int) -> None:
    lines = stderr.splitlines()
    assert (f"warning: {path}: Risk register!{L}{r}: residual likelihood edited to 4; risk-cli scores 2 from the "
            "answers; the answers decide") in lines
    assert (f"warning: {path}: Risk register!G{del_row}: inherent impact cleared; risk-cli scores 2 from the "
            "answers; the answers decide") in lines


def test_import_of_an_edited_register_warns_and_keeps_the_answers_scores(edited, tmp_path, run):
    path, r, answers = edited
    del_row = rows_by_id(openpyxl.load_workbook(path)["Risk register"])["AI-DEL-001"]
    result = run("import", path, "-q", MINI, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    warnings_in(result.stderr, path, r, del_row)
    out = openpyxl.load_workbook(tmp_path / "out" / "edited-register.xlsx", data_only=True)["Risk register"]
    r2 = rows_by_id(out)["AI-OPS-001"]
    assert (out[f"{L}{r2}"].value, out[f"{S}{r2}"].value, out[f"{R}{r2}"].value) == (2, 6, "Moderate")


def test_portfolio_of_an_edited_register_warns_and_counts_the_answers_scores(edited, tmp_path, run):
    path, r, answers = edited
    del_row = rows_by_id(openpyxl.load_workbook(path)["Risk register"])["AI-DEL-001"]
    result = run("portfolio", "-q", MINI, path.parent, "--format", "json")
    assert result.exit_code == 0, result.output
    warnings_in(result.stderr, path, r, del_row)
    data = json.loads(result.stdout)
    expected = scored(run, answers)
    residual = {rating: 0 for rating in LABELS}
    for risk in expected.values():
        residual[risk["residual"]["rating"]] += 1
    assert data["totals"]["residual"] == residual  # from the answers, not the edited likelihood


def test_assess_previous_of_an_edited_register_warns(edited, tmp_path, run):
    path, r, answers = edited
    del_row = rows_by_id(openpyxl.load_workbook(path)["Risk register"])["AI-DEL-001"]
    result = run("assess", "-q", MINI, "--answers", answers, "--previous", path, "-o", tmp_path / "next.xlsx")
    assert result.exit_code == 0, result.output
    warnings_in(result.stderr, path, r, del_row)


def test_an_unedited_register_gives_no_warning(tmp_path, run):
    path = write_register(tmp_path, run)
    for args in (("import", path, "-q", MINI, "-o", tmp_path / "out"), ("portfolio", "-q", MINI, path)):
        result = run(*args)
        assert result.exit_code == 0, result.output
        assert "edited to" not in result.stderr and "cleared" not in result.stderr, result.stderr


@pytest.mark.parametrize("formula", [
    "=3*4",  # not risk-cli's formula
    '=IF(AND(ISNUMBER(L{other}),ISNUMBER(M{other})),L{other}*M{other},"")',  # risk-cli's, of another row
    '=IF(AND(ISNUMBER(L{r}),ISNUMBER(M{r})),L{r}*M{r},"")&HYPERLINK("http://example.org")',
])
def test_any_other_formula_in_a_score_cell_is_refused_with_its_cell(tmp_path, run, formula):
    path = write_register(tmp_path, run)
    wb = openpyxl.load_workbook(path)
    ws = wb["Risk register"]
    r = rows_by_id(ws)["AI-OPS-001"]
    ws[f"{S}{r}"] = formula.format(r=r, other=r + 1)
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    result = run("assess", "-q", MINI, "--answers", tmp_path / "register.yaml", "--previous", bad,
                 "-o", tmp_path / "next.xlsx")
    assert result.exit_code == 2, result.output
    assert f"error: {bad}: Risk register!{S}{r}: holds a formula" in result.stderr
    assert "that is not the one risk-cli writes there" in result.stderr
    assert "Traceback" not in result.output and not (tmp_path / "next.xlsx").exists()


@pytest.mark.parametrize("far", [
    b'<c r="XFD1048576"><v>1</v></c>',  # plain, but out of bounds
    b'<c s="0" r="ZZ900000"><v>1</v></c>',  # its reference not first: the full test decides
    b'<x:c r="A900000" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:v>1</x:v></x:c>',
])
def test_the_risk_register_read_for_warnings_is_bounded_like_every_sheet(tmp_path, run, far):
    """The portfolio now reads the Risk register with calamine (to warn about edits), so that
    sheet passes compact_sheet first; its quick test for plain sheets agrees with the full one."""
    import zipfile

    from risk_cli.readers import xlsx_guard

    path = write_register(tmp_path, run)
    bad = tmp_path / "far.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet2.xml":
                data = data.replace(b"</row></sheetData>", b"</row><row r=\"900000\">" + far + b"</row></sheetData>")
            dst.writestr(info, data)
    assert xlsx_guard.compact_sheet(path, "Risk register", xlsx_guard.MAX_ROWS, xlsx_guard.MAX_COLUMNS, formulas=True)
    assert not xlsx_guard.compact_sheet(bad, "Risk register", xlsx_guard.MAX_ROWS, xlsx_guard.MAX_COLUMNS,
                                        formulas=True)
    result = run("portfolio", "-q", MINI, bad, "--format", "json")  # still read, from its answers
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["totals"]["use_cases"] == 1


def test_assess_and_batch_of_an_edited_register_warn_too(edited, tmp_path, run):
    """An input means the same to every command: a register given to assess or batch is scored
    from its answers, and its edited cells are named the same way."""
    path, r, answers = edited
    del_row = rows_by_id(openpyxl.load_workbook(path)["Risk register"])["AI-DEL-001"]
    result = run("assess", "-q", MINI, "--answers", path, "-o", tmp_path / "again.xlsx")
    assert result.exit_code == 0, result.output
    warnings_in(result.stderr, path, r, del_row)
    result = run("batch", "-q", MINI, path, "-o", tmp_path / "batch", "--jobs", "1", "--format", "json")
    assert result.exit_code == 0, result.output
    text = result.stdout + result.stderr
    assert (f"Risk register!{L}{r}: residual likelihood edited to 4; risk-cli scores 2 from the answers; "
            "the answers decide") in text
