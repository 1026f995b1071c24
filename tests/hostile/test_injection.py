"""Formula and CSV injection: text that a spreadsheet program would run is written as text, in
every workbook risk-cli writes (register, template, batch summary, portfolio, import outputs and
a re-assessed register), and a formula in an input is reported with its cell, never evaluated.

Each written workbook is scanned twice: every cell of every sheet through openpyxl (no cell is
a formula, except risk-cli's own score and rating formulas in those columns of the Risk
register, built from cell references and the questionnaire's rating bands; risky text is a text
cell with Excel's quote prefix, so it stays text when edited), and the raw sheet XML (no <f>
element anywhere but those cells). risk-cli writes no CSV files.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml

from risk_cli.model import answers as answers_mod
from risk_cli.writers.xlsx import RISKY_START
from tests.conftest import MINI, mini_answers, own_formula, write_yaml
from tests.hostile.harness import invoke
from tests.template_fill import fill, make_template

RISKY = ["=1+1", '=HYPERLINK("http://example.org","click")', "=cmd|' /C calc'!A0", "+44 20 7946 0000", "-2+3",
         "@SUM(A1:A2)", "\tindented"]
FORMULA_TAG = re.compile(rb"<(?:[\w.-]+:)?f[\s/>]")


def scan(path: Path) -> set[str]:
    """Assert no formula anywhere in a workbook but risk-cli's own scores and ratings (own_formula);
    return the risky texts its cells hold."""
    tags: dict[str, int] = {}
    with zipfile.ZipFile(path) as z:
        sheets = sorted(name for name in z.namelist() if name.startswith("xl/worksheets/") and name.endswith(".xml"))
        for name in sheets:
            tags[name] = len(FORMULA_TAG.findall(z.read(name)))
    found: set[str] = set()
    wb = openpyxl.load_workbook(path)
    for n, ws in enumerate(wb.worksheets, start=1):
        own = 0
        for row in ws.iter_rows():
            for cell in row:
                where = f"{path.name}: {ws.title}!{cell.coordinate}"
                if cell.data_type == "f":
                    assert own_formula(ws, cell), f"{where} is a formula: {cell.value!r}"
                    own += 1
                    continue
                if isinstance(cell.value, str) and cell.value.startswith(RISKY_START):
                    assert cell.data_type == "s", where
                    assert cell.quotePrefix, f"{where} holds {cell.value!r} without the quote prefix"
                    found.add(cell.value)
        # the raw XML holds no formula openpyxl did not show as one of risk-cli's own
        assert tags.get(f"xl/worksheets/sheet{n}.xml", 0) == own, f"{path.name}: {ws.title} holds a formula"
    assert sum(tags.values()) == sum(1 for ws in wb.worksheets for row in ws.iter_rows() for c in row
                                     if c.data_type == "f"), f"{path.name}: a sheet part holds a formula"
    return found


def risky_answers(name: str = RISKY[0]) -> dict:
    """mini answers with risky text in every text answer and in notes."""
    data = mini_answers(profile__name=name, profile__organisation=RISKY[1], profile__owner=RISKY[3],
                        data__note=RISKY[4])
    data["answers"]["data.personal"] = {"answer": "yes", "note": RISKY[2]}
    data["answers"]["delivery.skills"] = {"answer": "yes", "note": RISKY[5]}
    data["answers"]["data.dpia"] = {"answer": "yes", "note": RISKY[6]}
    return data


def test_register(tmp_path):
    source = write_yaml(tmp_path / "answers.yaml", risky_answers())
    out = tmp_path / "register.xlsx"
    result, _ = invoke("assess", "-q", MINI, "--answers", source, "--no-input", "-o", out)
    assert result.exit_code == 0, result.output
    assert scan(out) >= set(RISKY)


def risky_questionnaire(tmp_path: Path) -> Path:
    """mini.yaml with formula-like text in its title, section, question, help, choice labels and a risk title."""
    def quoted(text: str) -> str:
        return yaml.safe_dump(text, default_style='"').strip().removesuffix("...").strip()

    text = MINI.read_text(encoding="utf-8")
    for old, new in (("title: Mini test questionnaire", f"title: {quoted(RISKY[2])}"),
                     ("    title: Profile", f"    title: {quoted(RISKY[4])}"),
                     ('text: "Name?", help: The name.', f"text: {quoted(RISKY[0])}, help: {quoted(RISKY[5])}"),
                     ("{id: alpha, label: Alpha}", f"{{id: alpha, label: {quoted(RISKY[1])}}}"),
                     ("title: Unlawful processing", f"title: {quoted(RISKY[6])}")):
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "risky.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_template_and_the_register_of_a_questionnaire_with_risky_text(tmp_path):
    questionnaire = risky_questionnaire(tmp_path)
    result, _ = invoke("validate", questionnaire)
    assert result.exit_code == 0, result.output
    template = tmp_path / "template.xlsx"
    result, _ = invoke("template", "-q", questionnaire, "-o", template)
    assert result.exit_code == 0, result.output
    assert scan(template) >= {RISKY[0], RISKY[1], RISKY[4], RISKY[5]}
    source = write_yaml(tmp_path / "answers.yaml", mini_answers())
    register = tmp_path / "register.xlsx"
    result, _ = invoke("assess", "-q", questionnaire, "--answers", source, "--no-input", "-o", register)
    assert result.exit_code == 0, result.output
    assert scan(register) >= {RISKY[1], RISKY[6]}


NAMES = ["=1+1.yaml", "+44 20.yaml", "-2+3.yaml", "@SUM(A1).yaml"]


@pytest.fixture
def risky_inputs(tmp_path) -> Path:
    """Answers files with risky file names, risky use case names and one bad input."""
    folder = tmp_path / "in"
    folder.mkdir()
    for i, name in enumerate(NAMES):
        write_yaml(folder / name, risky_answers(name=f"{RISKY[i]} {i}"))
    write_yaml(folder / "=bad().yaml", mini_answers(data__personal="=maybe()"))
    return folder


def test_batch_summary_and_registers(risky_inputs, tmp_path):
    out = tmp_path / "out"
    result, _ = invoke("batch", risky_inputs, "-q", MINI, "-o", out, "--jobs", "1", "--quiet")
    assert result.exit_code == 3, result.output  # the bad one
    found = scan(out / "batch-summary.xlsx")
    assert {f"{RISKY[i]} {i}" for i in range(len(NAMES))} <= found  # use case names
    problems = [row[1] for row in openpyxl.load_workbook(out / "batch-summary.xlsx")["Problems"].iter_rows(
        min_row=2, values_only=True)]
    assert problems == [f"{risky_inputs / '=bad().yaml'}: data.personal: '=maybe()' is not an allowed answer "
                        "(allowed: yes, no, dont_know)"]
    registers = sorted(out.glob("*-register.xlsx"))
    assert len(registers) == len(NAMES)
    for register in registers:
        scan(register)


def test_portfolio(risky_inputs, tmp_path):
    out = tmp_path / "portfolio.xlsx"
    result, _ = invoke("portfolio", risky_inputs, "-q", MINI, "-o", out)
    assert result.exit_code == 3, result.output
    found = scan(out)
    assert {f"{RISKY[i]} {i}" for i in range(len(NAMES))} <= found
    assert RISKY[1] in found  # the organisation


def test_import_outputs(tmp_path):
    source = write_yaml(tmp_path / "=answers().yaml", risky_answers())
    template = make_template(lambda *a: invoke(*a)[0], tmp_path / "template.xlsx")
    filled = fill(template, tmp_path / "@filled.xlsx", text_cells={"E6": RISKY[0], "E7": RISKY[1], "F12": RISKY[2]})
    out = tmp_path / "out"
    result, _ = invoke("import", source, filled, "-q", MINI, "-o", out)
    assert result.exit_code == 0, result.output
    assert scan(out / "=answers()-register.xlsx") >= set(RISKY)
    assert scan(out / "@filled-register.xlsx") >= {RISKY[0], RISKY[1], RISKY[2]}
    back = answers_mod.load(out / "@filled-answers.yaml")
    assert [back.values[q].value for q in ("profile.name", "profile.organisation")] == [RISKY[0], RISKY[1]]
    assert back.values["data.personal"].note == RISKY[2]


def test_a_reassessed_register_keeps_risky_edits_as_text(tmp_path):
    source = write_yaml(tmp_path / "answers.yaml", mini_answers())
    first = tmp_path / "first.xlsx"
    result, _ = invoke("assess", "-q", MINI, "--answers", source, "--no-input", "-o", first)
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(first)
    ws = wb["Risk register"]
    header = [c.value for c in ws[1]]
    for column, text in (("Notes", RISKY[0]), ("Risk owner", RISKY[5]), ("Treatment", RISKY[3])):
        cell = ws.cell(row=2, column=header.index(column) + 1, value=text)
        cell.data_type = "s"  # typed as text, as Excel stores '=1+1
    wb.save(first)
    second = tmp_path / "second.xlsx"
    result, _ = invoke("assess", "-q", MINI, "--answers", source, "--no-input", "--previous", first, "-o", second)
    assert result.exit_code == 0, result.output
    assert scan(second) >= {RISKY[0], RISKY[5], RISKY[3]}


def test_no_command_writes_csv(tmp_path, risky_inputs):
    """Every output is .xlsx or .yaml: there is no CSV to inject into."""
    out = tmp_path / "out"
    invoke("batch", risky_inputs, "-q", MINI, "-o", out / "batch", "--jobs", "1", "--quiet")
    invoke("import", risky_inputs, "-q", MINI, "-o", out / "import")
    invoke("portfolio", risky_inputs, "-q", MINI, "-o", out / "portfolio.xlsx")
    written = {p.suffix for p in out.rglob("*") if p.is_file()}
    assert written <= {".xlsx", ".yaml"}, written


FORGED_LABEL = 'High"&WEBSERVICE("http://127.0.0.1/?"&A2)&"'


def test_validate_refuses_a_rating_label_that_would_break_out_of_the_colour_rule(tmp_path):
    """A rating label goes into the register's conditional-format formula: a quote in it is refused."""
    text = MINI.read_text(encoding="utf-8")
    old = "{id: high, label: High,"
    assert old in text
    path = tmp_path / "forged.yaml"
    path.write_text(text.replace(old, "{id: high, label: " + yaml.safe_dump(FORGED_LABEL, default_style="'").strip()
                                 .removesuffix("...").strip() + ",", 1), encoding="utf-8")
    for command in (("validate", path), ("template", "-q", path, "-o", tmp_path / "t.xlsx")):
        result, _ = invoke(*command)
        assert result.exit_code == 2, result.output
        assert "rating label" in result.stderr and "double quote" in result.stderr
        assert "Traceback" not in result.output
    assert not (tmp_path / "t.xlsx").exists()


def test_a_quote_in_a_rating_label_stays_inside_the_formula_string(tmp_path):
    """Belt and braces: even a label that got past validation is one string literal in the rule."""
    from types import SimpleNamespace

    from risk_cli.writers.xlsx import rating_formats

    wb = openpyxl.Workbook()
    rating_formats(wb.active, "A1:A9", [SimpleNamespace(label=FORGED_LABEL, colour="FF0000")])
    wb.save(tmp_path / "cf.xlsx")
    rules = [rule for cf in openpyxl.load_workbook(tmp_path / "cf.xlsx").active.conditional_formatting for rule in cf.rules]
    (formula,) = rules[0].formula
    assert formula == '"' + FORGED_LABEL.replace('"', '""') + '"'
    # outside the doubled quotes nothing is left: the whole formula is one literal
    assert formula[0] == formula[-1] == '"' and '"' not in formula[1:-1].replace('""', "")
