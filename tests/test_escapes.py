"""Spreadsheet escapes (_x0041_) never reach a spreadsheet from a person.

OOXML writes a character a cell cannot hold as _xHHHH_; Excel and python-calamine turn every
such sequence in a cell into its character ("A"), openpyxl reads most as written. So text a
person wrote that holds one would read differently in each program: it is refused with one
line naming its place, wherever a person's text enters risk-cli (answers file, prompt, filled
template, a previous register's carried cells, questionnaire files). The same refusal for a
register's hidden data sheet, across every command, is in tests/hostile/test_hostile_workbooks.py.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import openpyxl
import pytest

from risk_cli import safe_yaml
from risk_cli.model.answers import Answer, Answers
from risk_cli.catalogue.loader import load
from risk_cli.readers.terminal import ask
from tests.conftest import MINI, mini_answers, write_yaml
from tests.hostile import files as H
from tests.hostile.harness import escape_refused, invoke
from tests.template_fill import MINI_FILLED, fill, locate, make_template
from tests.test_prompting import DOWN, ENTER, drive
from tests.test_roundtrip import add_row, assess, edit, find_row, first, header_index, second

CLEAR = "\x15"  # Ctrl-U clears what was typed at a prompt


refusal = escape_refused  # one wording, shared with the hostile suite


def letter(ws, column: str) -> str:
    return openpyxl.utils.get_column_letter(header_index(ws)[column])


# -- answers files and the prompt -------------------------------------------------------------

def test_an_answers_file_is_refused_naming_each_question(tmp_path, run):
    doc = mini_answers(profile__name="Reply _x0041_ drafter")
    doc["answers"]["data.personal"] = {"answer": "yes", "note": "pasted text_x000D_"}
    doc["answers"]["data.note"] = "_X0041_ and _x41_ are not escapes"  # kept as they are
    answers = write_yaml(tmp_path / "answers.yaml", doc)
    out = tmp_path / "register.xlsx"
    result = run("assess", "-q", MINI, "--answers", answers, "--no-input", "-o", out)
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [
        f"error: {answers}: profile.name: {refusal('the answer', '_x0041_')}",
        f"error: {answers}: data.personal: {refusal('the note', '_x000D_', control='000D')}",
    ]
    assert "Traceback" not in result.output
    assert not out.exists()


def test_the_same_text_written_another_way_goes_through_unchanged(tmp_path, run):
    """The advice in the message works: with a space after the underscore it is ordinary text."""
    doc = mini_answers(profile__name="Reply _ x0041_ drafter", data__note="_X0041_ and _x41_ are not escapes")
    answers = write_yaml(tmp_path / "answers.yaml", doc)
    out = tmp_path / "register.xlsx"
    assert run("assess", "-q", MINI, "--answers", answers, "--no-input", "-o", out).exit_code == 0
    result = run("import", out, "-q", MINI, "-o", tmp_path / "back")
    assert result.exit_code == 0, result.output
    back = safe_yaml.load(tmp_path / "back" / "register-answers.yaml").data
    assert back["profile"]["profile.name"] == "Reply _ x0041_ drafter"
    assert back["answers"]["data.note"] == "_X0041_ and _x41_ are not escapes"


def test_the_prompt_refuses_it_and_asks_again():
    """Typed at the prompt (an answer, then a note), it is refused where it is typed and the
    question stays open: nothing holding it is ever saved, and what is typed instead is kept."""
    qn = load(MINI)
    answers = Answers.new(qn)
    saves: list[dict[str, Answer]] = []

    def save(a: Answers) -> None:
        saves.append({k: Answer(v.value, v.note) for k, v in a.values.items()})

    keys = "Proj _x0041_\r" + CLEAR + "Proj\r" "Org\r" "\r"  # name (refused, then typed again), organisation, owner
    keys += DOWN * 2 + ENTER + "see _x000D_\r" + CLEAR + "see minutes\r"  # phase: a note (refused, then again)
    keys += DOWN + ENTER  # phase asked again: live
    keys += "\x03"  # stop at the next question

    def session() -> None:
        with pytest.raises(KeyboardInterrupt):
            ask(qn, answers, save, echo=lambda line: None)

    drive(keys, session)
    assert answers.values["profile.name"] == Answer("Proj")
    assert answers.values["profile.phase"] == Answer("live", "see minutes")
    assert all("_x" not in f"{a.value} {a.note}" for s in saves for a in s.values())


# -- filled templates -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return make_template(lambda *a: invoke(*a)[0], tmp_path_factory.mktemp("template") / "template.xlsx")


def test_a_filled_template_is_refused_at_each_cell(template, tmp_path, run):
    filled = fill(template, tmp_path / "team.xlsx", answers={**MINI_FILLED, "profile.organisation": "Dept_x0041_"},
                  notes={"data.personal": "line one_x000D_\nline two"})
    rows, _ = locate(openpyxl.load_workbook(filled)["Questions"])
    out = tmp_path / "out"
    result = run("import", filled, "-q", MINI, "-o", out)
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [
        f"error: {filled}: Questions!E{rows['profile.organisation']}: "
        + refusal("the answer to profile.organisation", "_x0041_"),
        f"error: {filled}: Questions!F{rows['data.personal']}: "
        + refusal("the note to data.personal", "_x000D_", control="000D"),
    ]
    assert not out.exists()


def test_what_excel_stores_for_a_typed_escape_is_refused_too(template, tmp_path, run):
    """Excel keeps typed text in its shared strings and stores a typed _x0041_ as _x005F_x0041_;
    openpyxl reads that back as _x0041_ (and python-calamine too), so it is refused as that."""
    filled = fill(template, tmp_path / "team.xlsx", answers={**MINI_FILLED, "profile.organisation": "placeholder"})
    rows, _ = locate(openpyxl.load_workbook(filled)["Questions"])
    cell = f"E{rows['profile.organisation']}".encode()
    sheet = H.part(filled, H.TEMPLATE_QUESTIONS_PART)
    inline = re.search(rb'<c r="' + cell + rb'"([^>]*) t="inlineStr"><is><t>placeholder</t></is></c>', sheet)
    assert inline is not None
    sheet = sheet.replace(inline.group(), b'<c r="' + cell + b'"' + inline.group(1) + b' t="s"><v>0</v></c>')
    strings = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
               b"<si><t>Dept_x005F_x0041_</t></si></sst>")
    with_strings = H._with_shared_strings(tmp_path, filled, strings)
    excel = H.rewrite(with_strings, tmp_path / "excel.xlsx", parts={H.TEMPLATE_QUESTIONS_PART: sheet})
    result = run("import", excel, "-q", MINI, "-o", tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [
        f"error: {excel}: Questions!{cell.decode()}: " + refusal("the answer to profile.organisation", "_x0041_")]


# -- a previous register's carried cells (assess --previous) ----------------------------------

@pytest.fixture
def register(tmp_path, run) -> Path:
    assess(run, tmp_path, first(tmp_path), "r1.xlsx")
    return tmp_path / "r1.xlsx"


def reassess(run, tmp_path: Path, previous: Path):
    out = tmp_path / "r2.xlsx"
    result = run("assess", "-q", MINI, "--answers", second(tmp_path), "--no-input", "--previous", previous, "-o", out)
    return result, out


def test_carried_cells_holding_an_escape_are_refused_at_their_cell(register, tmp_path, run):
    """Every kind of cell that carries over: a column people fill, a row added by hand, a risk no
    longer raised (its own columns are kept as people left them, and its status goes into the
    change text), an action's note."""
    wb = openpyxl.load_workbook(register)
    ws, wa = wb["Risk register"], wb["Actions"]
    edit(ws, "AI-OPS-001", "Notes", "Board_x0041_")
    edit(ws, "AI-DAT-001", "Title", "Personal data_x0020_risk")  # AI-DAT-001 is not raised by the second answers
    edit(ws, "AI-DAT-001", "Status", "Accepted_x0009_")
    add_row(ws, {"Risk ID": "LOCAL-001", "Title": "Our own _x0041_ risk"})
    edit(wa, "AI-OPS-001-A1", "Notes", "Reviewer_x0041_")
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    result, out = reassess(run, tmp_path, edited)
    assert result.exit_code == 2, result.output
    ops, dat, local = find_row(ws, "AI-OPS-001"), find_row(ws, "AI-DAT-001"), find_row(ws, "LOCAL-001")
    action = find_row(wa, "AI-OPS-001-A1")
    assert result.stderr.splitlines() == [
        f"error: {edited}: Risk register!{letter(ws, 'Notes')}{ops}: {cell_refusal('Notes', '_x0041_')}",
        f"error: {edited}: Risk register!{letter(ws, 'Title')}{dat}: {cell_refusal('Title', '_x0020_')}",
        f"error: {edited}: Risk register!{letter(ws, 'Status')}{dat}: {cell_refusal('Status', '_x0009_', '0009')}",
        f"error: {edited}: Risk register!{letter(ws, 'Title')}{local}: {cell_refusal('Title', '_x0041_')}",
        f"error: {edited}: Actions!{letter(wa, 'Notes')}{action}: {cell_refusal('Notes', '_x0041_')}",
    ]
    assert "Traceback" not in result.output
    assert not out.exists()


def test_a_column_header_people_added_is_refused(register, tmp_path, run):
    """A column people added is carried over, header and all."""
    wb = openpyxl.load_workbook(register)
    ws = wb["Risk register"]
    ws.cell(1, ws.max_column + 1, "Board_x0041_comments")
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    result, out = reassess(run, tmp_path, edited)
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [
        f"error: {edited}: Risk register!{openpyxl.utils.get_column_letter(ws.max_column)}1: "
        + refusal("the column header", "_x0041_")]
    assert not out.exists()


def test_a_cell_that_is_not_carried_over_is_no_problem(register, tmp_path, run):
    """A risk-cli column of a risk still raised is recomputed, not carried: what a person typed
    there is replaced, so it is not refused (and never reaches the next register)."""
    wb = openpyxl.load_workbook(register)
    ws = wb["Risk register"]
    title = ws.cell(find_row(ws, "AI-OPS-001"), header_index(ws)["Title"]).value
    edit(ws, "AI-OPS-001", "Title", "Retitled_x0041_")
    edit(ws, "AI-OPS-001", "Notes", "Board _ x0041_")  # written another way: carried as it is
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    result, out = reassess(run, tmp_path, edited)
    assert result.exit_code == 0, result.output
    new = openpyxl.load_workbook(out)["Risk register"]
    row, cols = find_row(new, "AI-OPS-001"), header_index(new)
    assert (new.cell(row, cols["Title"]).value, new.cell(row, cols["Notes"]).value) == (title, "Board _ x0041_")


def cell_refusal(column: str, escape: str, control: str = "") -> str:
    return refusal(f"the '{column}' cell", escape, control)


# -- questionnaires ---------------------------------------------------------------------------

def test_a_questionnaire_holding_one_is_invalid_at_its_line(tmp_path, run):
    """Questionnaire text is written into templates and registers: validate (and every command
    that loads the questionnaire) names each text holding an escape, by its line and path."""
    data = copy.deepcopy(safe_yaml.load(MINI).data)
    data["sections"][1]["questions"][0]["text"] = "Personal _x0041_ data?"
    data["sections"][1]["questions"][2]["choices"][1]["label"] = "Fin_x000a_ance"
    data["risks"][0]["actions"][0]["text"] = "Do_x0020_it"
    path = write_yaml(tmp_path / "q.yaml", data)
    result = run("validate", path)
    assert result.exit_code == 2, result.output
    lines = [line.split(": ", 3)[2:] for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert lines == [
        ["sections[1].questions[0].text", refusal("the text", "_x0041_")],
        ["sections[1].questions[2].choices[1].label", refusal("the text", "_x000a_", "000A")],
        ["risks[0].actions[0].text", refusal("the text", "_x0020_")],
    ]
    assert all(line.startswith(f"error: {path}:") for line in result.stderr.splitlines() if line.startswith("error: "))
    result = run("template", "-q", path, "-o", tmp_path / "template.xlsx")
    assert result.exit_code == 2 and not (tmp_path / "template.xlsx").exists()


def test_text_risk_cli_writes_itself_reads_as_written_in_excel(tmp_path, run):
    """A file name is not a person's answer and is not refused: its underscore is written as
    Excel writes it (_x005F_), so Excel, and python-calamine which decodes the same way, show
    the name exactly. Checked on the batch summary and the portfolio, both listing inputs."""
    calamine = pytest.importorskip("python_calamine")
    folder = tmp_path / "in"
    folder.mkdir()
    name = "team_x0041_.yaml"
    write_yaml(folder / name, mini_answers())
    out = tmp_path / "out"
    assert run("batch", "-q", MINI, folder, "-o", out, "--quiet").exit_code == 0
    portfolio = tmp_path / "portfolio.xlsx"
    registers = [p for p in out.iterdir() if p.name != "batch-summary.xlsx"]
    assert len(registers) == 1 and "_x0041_" in registers[0].name
    assert run("portfolio", "-q", MINI, registers[0], "-o", portfolio, "--quiet").exit_code == 0

    def shown(path: Path) -> list[str]:
        book = calamine.CalamineWorkbook.from_path(str(path))
        return [str(v) for sheet in book.sheet_names for row in book.get_sheet_by_name(sheet).to_python()
                for v in row if isinstance(v, str)]

    summary = shown(out / "batch-summary.xlsx")
    assert any(name in v for v in summary), summary
    assert not any("teamA" in v for v in summary)
    listed = shown(portfolio)
    assert any("team_x0041_" in v for v in listed), listed
    assert not any("teamA" in v for v in listed)
