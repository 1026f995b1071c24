"""Values at or past the limits of what Python and a spreadsheet can hold.

Whole numbers too long for Python to convert (over 4,300 digits: ValueError) and assessment
dates whose review or action dates would fall past 9999-12-31 (OverflowError) used to end in
exit 70. Each is now one line naming the file, the line and the place, with the documented exit
code, and import goes on with the other files.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from tests.conftest import MINI, mini_answers
from tests.hostile.harness import ANSWER_READERS, check_refused, error_lines, ids, invoke
from tests.template_fill import MINI_FILLED, fill, make_template

DIGITS = 5_000  # over Python's 4,300
HUGE = "9" * DIGITS
MARK = "HUGE_NUMBER_HERE"
TOO_LONG = f"a number of {DIGITS:,} digits; the limit is 100 (put it in quotes to give it as text)"


def answers_text(doc: dict) -> str:
    return yaml.safe_dump(doc, width=10**9, sort_keys=False).replace(MARK, HUGE)


def _key(doc: dict) -> dict:
    doc["answers"][MARK] = "x"
    return doc


def _version(doc: dict) -> dict:
    doc["questionnaire"]["version"] = MARK
    return doc


def _assessed(doc: dict) -> dict:
    doc["assessed_on"] = MARK
    return doc


# (name, answers document with MARK where the number goes, the place the line names)
HUGE_CASES = [
    ("answer", lambda d: {**d, "answers": {**d["answers"], "data.volume": MARK}}, 'answers["data.volume"]'),
    ("note", lambda d: {**d, "answers": {**d["answers"], "data.note": {"answer": "x", "note": MARK}}},
     'answers["data.note"].note'),
    ("text answer", lambda d: {**d, "answers": {**d["answers"], "data.note": MARK}}, 'answers["data.note"]'),
    ("list item", lambda d: {**d, "answers": {**d["answers"], "data.kinds": [MARK]}}, 'answers["data.kinds"][0]'),
    ("profile", lambda d: {**d, "profile": {**d["profile"], "profile.name": MARK}}, 'profile["profile.name"]'),
    ("key", _key, "answers"),
    ("version", _version, "questionnaire.version"),
    ("assessed_on", _assessed, "assessed_on"),
]


def huge_file(folder: Path, case: tuple) -> tuple[Path, str]:
    name, edit, where = case
    text = answers_text(edit(mini_answers()))
    if name == "key":  # a plain key is at most 1024 characters in YAML: an explicit one (? key) is not
        text = text.replace(f"  {HUGE}: x", f"  ? {HUGE}\n  : x")
    path = folder / f"huge-{name.replace(' ', '-')}.yaml"
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    row = next(i for i, line in enumerate(lines, 1) if HUGE in line)
    column = lines[row - 1].index(HUGE) + 1
    return path, f"{path}:{row}:{column}: {where}: {TOO_LONG}"


@pytest.fixture
def good(tmp_path) -> Path:
    path = tmp_path / "good.yaml"
    path.write_text(yaml.safe_dump(mini_answers(), sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ANSWER_READERS, ids=ids(ANSWER_READERS))
@pytest.mark.parametrize("case", HUGE_CASES, ids=[c[0] for c in HUGE_CASES])
def test_a_huge_whole_number_in_an_answers_file_is_one_line(case, command, good, tmp_path):
    path, line = huge_file(tmp_path, case)
    check_refused(command, path, tmp_path / "work", good, [line])


def test_a_huge_number_quoted_is_text(tmp_path):
    """Quoted, the same digits are text: a note may hold them."""
    doc = mini_answers(data__note=MARK)
    path = tmp_path / "quoted.yaml"
    path.write_text(answers_text(doc).replace(HUGE, f"'{HUGE}'"), encoding="utf-8")
    result, _ = invoke("assess", "-q", MINI, "--answers", path, "--no-input", "-o", tmp_path / "r.xlsx")
    assert result.exit_code == 0, result.output


def test_a_huge_number_in_a_questionnaire_is_one_line(tmp_path):
    text = MINI.read_text(encoding="utf-8")
    assert "\nversion: 0.1.0\n" in text
    path = tmp_path / "huge.yaml"
    path.write_text(text.replace("\nversion: 0.1.0\n", f"\nversion: {HUGE}\n"), encoding="utf-8")
    row = path.read_text(encoding="utf-8").splitlines().index(f"version: {HUGE}") + 1
    result, _ = invoke("validate", path)
    assert result.exit_code == 2, result.output
    assert error_lines(result) == [f"error: {path}:{row}:10: version: {TOO_LONG}"]


def test_import_goes_on_past_files_with_huge_numbers(good, tmp_path):
    mix = tmp_path / "mix"
    mix.mkdir()
    (mix / "good.yaml").write_bytes(good.read_bytes())
    expected = [huge_file(mix, case)[1] for case in HUGE_CASES]
    result, _ = invoke("import", mix, "-q", MINI, "-o", tmp_path / "out")
    assert result.exit_code == 3, result.output
    assert sorted(error_lines(result)) == sorted(f"error: {line}" for line in expected)
    assert (tmp_path / "out" / "good-register.xlsx").exists()
    assert "Traceback" not in result.output


# -- dates -----------------------------------------------------------------------------------

OUT_OF_RANGE = "is out of range: the date of an assessment must be from 1900-01-01 to 9000-12-31"


@pytest.mark.parametrize("command", ANSWER_READERS, ids=ids(ANSWER_READERS))
@pytest.mark.parametrize("day", ["9999-12-31", "9001-01-01", "1899-12-31", "0001-01-01"])
def test_an_assessment_date_out_of_range_is_one_line(day, command, good, tmp_path):
    doc = mini_answers()
    doc["assessed_on"] = day
    path = tmp_path / "late.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    row = path.read_text(encoding="utf-8").splitlines().index(f"assessed_on: '{day}'") + 1
    check_refused(command, path, tmp_path / "work", good, [f"{path}:{row}:14: assessed_on: '{day}' {OUT_OF_RANGE}"])


@pytest.mark.parametrize("day", ["1900-01-01", "9000-12-31"])
def test_the_ends_of_the_range_are_accepted(day, tmp_path):
    doc = mini_answers()
    doc["assessed_on"] = day
    path = tmp_path / "edge.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    out = tmp_path / "edge.xlsx"
    result, _ = invoke("assess", "-q", MINI, "--answers", path, "--no-input", "-o", out)
    assert result.exit_code == 0, result.output
    result, _ = invoke("portfolio", out, "-q", MINI, "-o", tmp_path / "p.xlsx")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("completed", [dt.date(9999, 12, 31), "31/12/9999"], ids=["date cell", "text"])
def test_a_template_completed_in_9999_is_one_line_and_import_goes_on(completed, run, good, tmp_path):
    template = make_template(run, tmp_path / "template.xlsx")
    (tmp_path / "in").mkdir()
    filled = fill(template, tmp_path / "in" / "late.xlsx", MINI_FILLED, completed=completed)
    (tmp_path / "in" / "good.yaml").write_bytes(good.read_bytes())
    result, _ = invoke("import", tmp_path / "in", "-q", MINI, "-o", tmp_path / "out")
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output
    assert result.exit_code == 3, result.output
    shown = "the date 31/12/9999" if isinstance(completed, dt.date) else '"31/12/9999"'
    line = (f'error: {filled}: Questions!E3: {shown} is out of range for "Date completed" (allowed: a date from '
            '01/01/1900 to 31/12/9000)')
    assert error_lines(result) == [line], result.output
    assert (tmp_path / "out" / "good-register.xlsx").exists()
    result, _ = invoke("assess", "-q", MINI, "--answers", filled, "--no-input", "-o", tmp_path / "r.xlsx")
    assert result.exit_code == 2 and error_lines(result) == [line], result.output


# -- non-finite numbers in a questionnaire ---------------------------------------------------

VOLUME = "sources: [src], min: 0, required: false}"


@pytest.mark.parametrize("number", ["1e999", "-1e999", ".inf", ".nan"])
def test_an_infinite_maximum_in_a_questionnaire_is_one_line(number, tmp_path):
    text = MINI.read_text(encoding="utf-8")
    assert text.count(VOLUME) == 1
    path = tmp_path / "inf.yaml"
    path.write_text(text.replace(VOLUME, f"sources: [src], min: 0, max: {number}, required: false}}"),
                    encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    row = next(i for i, line in enumerate(lines, 1) if f"max: {number}" in line)
    result, _ = invoke("validate", path)
    if number == ".nan" or number == ".inf":  # YAML 1.2 core schema here: .inf is text, refused as not a number
        assert result.exit_code == 2 and error_lines(result)[0].startswith(f"error: {path}:{row}:"), result.output
        return
    shown = "inf" if number == "1e999" else "-inf"
    assert result.exit_code == 2, result.output
    assert error_lines(result) == [f"error: {path}:{row}:{lines[row - 1].index('max:') + 6}: "
                                   f"sections[1].questions[3].max: 'max' must be a finite number (it reads as {shown})"]
    result, _ = invoke("template", "-q", path, "-o", tmp_path / "t.xlsx")
    assert result.exit_code == 2 and not (tmp_path / "t.xlsx").exists(), result.output


def test_an_infinite_number_in_a_condition_is_one_line(tmp_path):
    text = MINI.read_text(encoding="utf-8")
    path = tmp_path / "inf.yaml"
    path.write_text(text.replace("at_least: 100000}", "at_least: 1e999}"), encoding="utf-8")
    result, _ = invoke("validate", path)
    assert result.exit_code == 2, result.output
    [line] = error_lines(result)
    assert line.startswith(f"error: {path}:125:") and "question 'data.volume' takes numbers; 'inf' is not one" in line


# -- a date cell no date can be ----------------------------------------------------------------

@pytest.mark.parametrize("where", ["answer", "completed"])
def test_a_date_cell_out_of_range_is_one_line_without_the_library_warning(where, run, good, tmp_path):
    """A date-formatted 10000000000 is past 9999-12-31: openpyxl warned (with its own file path)
    and read the cell as #VALUE!, which nobody typed. Now: one line naming the sheet and cell."""
    import openpyxl

    from tests.template_fill import locate

    template = make_template(run, tmp_path / "template.xlsx")
    (tmp_path / "in").mkdir()
    filled = fill(template, tmp_path / "in" / "far.xlsx", MINI_FILLED)
    wb = openpyxl.load_workbook(filled)
    ws = wb["Questions"]
    questions, _ = locate(ws)
    cell = ws.cell(row=questions["delivery.date"], column=5) if where == "answer" else ws["E3"]
    cell.value = 10_000_000_000
    cell.number_format = "dd/mm/yyyy"
    wb.save(filled)
    what = "the answer to delivery.date" if where == "answer" else "Date completed"
    line = (f"error: {filled}: Questions!{cell.coordinate}: the date is out of range (the cell is formatted as a "
            f"date, but 10000000000 is no date a spreadsheet can show) in {what}; type the date itself")
    (tmp_path / "in" / "good.yaml").write_bytes(good.read_bytes())
    for argv, code in [(["assess", "-q", MINI, "--answers", filled, "--no-input", "-o", tmp_path / "r.xlsx"], 2),
                       (["import", tmp_path / "in", "-q", MINI, "-o", tmp_path / "out"], 3)]:
        result, _ = invoke(*argv)
        assert "UserWarning" not in result.stderr and "openpyxl" not in result.stderr, result.stderr
        assert "#VALUE!" not in result.stderr, result.stderr
        assert result.exit_code == code, result.output
        assert error_lines(result) == [line], result.output
