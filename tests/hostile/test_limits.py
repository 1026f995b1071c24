"""Values at or past the limits of what Python and a spreadsheet can hold.

Whole numbers too long for Python to convert (over 4,300 digits: ValueError) and assessment
dates whose review or action dates would fall past 9999-12-31 (OverflowError) used to end in
exit 70. Each is now one line naming the file, the line and the place, with the documented exit
code, and import goes on with the other files.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import MINI, mini_answers
from tests.hostile.harness import ANSWER_READERS, check_refused, error_lines, ids, invoke

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
