"""Broken and hostile YAML, as answers files and as questionnaires, fed to every command that reads one.

Answers files go to assess --answers and --resume, import (and --dry-run), batch and portfolio;
questionnaires to validate and to -q FILE of assess, template, import, batch and portfolio.
Every case is one exact line with its line and column where there is one. A byte-order mark
and Windows line endings are accepted everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import pytest

from risk_cli import safe_yaml
from tests.conftest import MINI, mini_answers, write_yaml
from tests.hostile import files as H
from tests.hostile.harness import (
    ANSWER_READERS, QUESTIONNAIRE_READERS, WORKBOOK_READERS, check_refused, ids, invoke,
)

LAUGHS = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 10))
ANSWERS_SHAPE = "an answers file is a mapping with questionnaire, profile and answers"
QUESTIONNAIRE_SHAPE = ("expected a mapping with keys format, id, version, title, sources, scoring, sections, risks, "
                       "description, barriers, checks, conditions, atrs")


@dataclass(frozen=True)
class Case:
    name: str
    content: bytes
    message: str  # after "FILE" (which it starts with ":" or " ")
    questionnaire: Optional[str] = None  # when a questionnaire reader says otherwise


CASES = [
    Case("syntax error", b"questionnaire: {id: mini, version: 0.1.0}\nprofile:\n  profile.name: [unclosed\n"
                         b"  profile.owner: x\n", ":4:16: YAML syntax error: did not find expected ',' or ']'"),
    Case("alias bomb", LAUGHS.encode(), ":1:5: YAML anchors and aliases (&name, *name) are not allowed"),
    Case("merge key", b"base: {a: 1}\nother:\n  <<: {b: 2}\n", ":3:3: YAML merge keys (<<) are not allowed"),
    Case("a list", b"- a\n- b\n", f":1:1: {ANSWERS_SHAPE}", f":1:1: {QUESTIONNAIRE_SHAPE}"),
    Case("a string", b"just some text\n", f":1:1: {ANSWERS_SHAPE}", f":1:1: {QUESTIONNAIRE_SHAPE}"),
    Case("a number", b"42\n", f":1:1: {ANSWERS_SHAPE}", f":1:1: {QUESTIONNAIRE_SHAPE}"),
    Case("empty", b"", f": {ANSWERS_SHAPE}", f": {QUESTIONNAIRE_SHAPE}"),
    Case("not UTF-8", "a: 1\nb: caf\xe9\n".encode("latin-1"), ":2: is not UTF-8 text (byte 0xe9)"),
    Case("binary", b"a: 1\n\x00\x00\x00", ": is a binary file, not YAML text"),
    Case("duplicate key", b"a: 1\nb: 2\na: 3\n", ":3:1: duplicate key 'a'"),
    Case("control character", b"a: 1\nb: x\x07y\n",
         ":2:5: contains the control character U+0007, which YAML does not allow (remove it)"),
    Case("terminal escape", b"a: 1\nb: x\x1b[2Jy\n",
         ":2:5: contains the control character U+001B, which YAML does not allow (remove it)"),
    Case("python tag", b"a: !!python/object/apply:os.system [echo hi]\n",
         ":1:4: unsupported YAML tag tag:yaml.org,2002:python/object/apply:os.system"),
    Case("deep nesting", b"x: " + b"[" * 100 + b"]" * 100 + b"\n", ":1:68: is nested more than 64 levels deep"),
    Case("too many values", b"x: [" + b"1, " * (safe_yaml.MAX_NODES + 1) + b"1]\n",
         f":1:{5 + 3 * (safe_yaml.MAX_NODES - 2)}: has more than {safe_yaml.MAX_NODES:,} values; refusing to read further"),
    Case("millions of values", b"x: [" + b"1," * 2_400_000 + b"1]\n",
         f":1:{5 + 2 * (safe_yaml.MAX_NODES - 2)}: has more than {safe_yaml.MAX_NODES:,} values; refusing to read further"),
    Case("two documents", b"a: 1\n---\nb: 2\n", ":3: holds more than one YAML document"),
    Case("over 5 MB", b"a: " + b"x" * 6_000_000 + b"\n", ": is 6,000,004 bytes; the limit is 5,000,000"),
]


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    return write_yaml(tmp_path_factory.mktemp("good") / "good.yaml", mini_answers())


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    made: dict[str, Path] = {}

    def get(case: Case) -> Path:
        if case.name not in made:
            path = tmp_path_factory.mktemp("yaml") / "bad.yaml"
            path.write_bytes(case.content)
            made[case.name] = path
        return made[case.name]
    return get


@pytest.mark.parametrize("command", ANSWER_READERS, ids=ids(ANSWER_READERS))
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_answers_file(case, command, hostile, good, tmp_path):
    path = hostile(case)
    check_refused(command, path, tmp_path, good, [f"{path}{case.message}"], existing=case.name == "alias bomb")


@pytest.mark.parametrize("command", QUESTIONNAIRE_READERS, ids=ids(QUESTIONNAIRE_READERS))
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_questionnaire(case, command, hostile, good, tmp_path):
    path = hostile(case)
    outcome = check_refused(command, path, tmp_path, good, [f"{path}{case.questionnaire or case.message}"],
                            existing=case.name == "alias bomb" and command.name != "validate")
    if command.name == "validate":
        assert outcome.result.stdout == f"{path}: 1 problem(s)\n"


@pytest.mark.parametrize("command", WORKBOOK_READERS, ids=ids(WORKBOOK_READERS))
@pytest.mark.parametrize("text, message", [
    (LAUGHS, ":1:5: YAML anchors and aliases (&name, *name) are not allowed"),
    ("questionnaire: [unclosed\n", ":2:1: YAML syntax error: did not find expected ',' or ']'"),
    ("- a list\n", f":1:1: {ANSWERS_SHAPE}"),
    ("a: x\x07y\n", None),
], ids=["alias bomb", "syntax error", "a list", "raw control character"])
def test_bad_yaml_inside_a_register(text, message, command, good, tmp_path):
    """A register keeps its answers as YAML in a hidden sheet: the same reader, the same lines,
    placed in that sheet. A raw control character cannot be in a sheet at all: the XML is damaged,
    and every command (portfolio's fast reader too) says so the same way."""
    register = tmp_path / "register.xlsx"
    result, _ = invoke("assess", "-q", MINI, "--answers", good, "--no-input", "-o", register)
    assert result.exit_code == 0, result.output
    edited = H.with_data_text(tmp_path, register, text)
    if message is None:
        xml = H.part(edited, H.REGISTER_DATA_PART)
        line = f"{edited}: is not a readable .xlsx workbook (ExpatError: {parse_error(xml)})"
    else:
        line = f"{edited} [risk-cli data]{message}"
    check_refused(command, edited, tmp_path / "w", good, [line])


def parse_error(xml: bytes) -> str:
    import xml.etree.ElementTree as ET

    try:
        ET.fromstring(xml)
    except ET.ParseError as exc:
        return str(exc)
    raise AssertionError("the XML is not damaged")


def test_a_control_character_escaped_in_an_answer_names_the_question(good, tmp_path):
    """YAML may hold any character as an escape ("\\x07"); the answers check refuses the ones a
    spreadsheet cannot hold, naming the question, in every command."""
    text = good.read_text(encoding="utf-8").replace("Reply drafter", '"Reply\\x07drafter"')
    path = tmp_path / "escaped.yaml"
    path.write_text(text, encoding="utf-8")
    line = (f"{path}: profile.name: the answer contains the control character U+0007, which spreadsheets cannot "
            "hold")
    for command in ANSWER_READERS:
        check_refused(command, path, tmp_path / command.name.replace(" ", "_"), good, [line])


# -- accepted: a byte-order mark and Windows line endings ------------------------------------

def windows(text: bytes) -> bytes:
    return b"\xef\xbb\xbf" + text.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


@pytest.mark.parametrize("command", ANSWER_READERS, ids=ids(ANSWER_READERS))
def test_bom_and_windows_line_endings_are_accepted_in_answers(command, good, tmp_path):
    path = tmp_path / "windows.yaml"
    path.write_bytes(windows(good.read_bytes()))
    result, _ = invoke(*command.argv(path, tmp_path, good))
    assert result.exit_code == 0, result.output
    assert "error" not in result.stderr
    for out in command.outputs(tmp_path, path):
        assert out.exists(), f"{command.name} did not write {out}"


@pytest.mark.parametrize("command", QUESTIONNAIRE_READERS, ids=ids(QUESTIONNAIRE_READERS))
def test_bom_and_windows_line_endings_are_accepted_in_questionnaires(command, good, tmp_path):
    path = tmp_path / "windows-mini.yaml"
    path.write_bytes(windows(MINI.read_bytes()))
    result, _ = invoke(*command.argv(path, tmp_path, good))
    assert result.exit_code == 0, result.output
    assert "error" not in result.stderr
    if command.name == "validate":
        assert result.stdout == f"{path}: valid\n"
