"""Interview text is wrapped at word boundaries to the terminal's width (issue 13, item 7).

Before, every line was filled to 78 columns whatever the terminal, so a narrower one broke
words in two ("section\\ns.", "manipul\\nated"). The real CLI runs in-process on a 40-column
terminal (COLUMNS=40; the prompts drawn on a captured 40-column VT100 screen) with a copy of
the mini questionnaire given long texts: a description of two paragraphs, a long question,
long help and a long choice label.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from risk_cli.cli import cli
from risk_cli.workflows import assess as assessment
from tests.conftest import MINI
from tests.test_note_feedback import ESCAPES, Screen
from tests.test_prompting import CTRL_C

COLUMNS = 40
DESCRIPTION = ("This questionnaire helps a team assess the risks of one use case, section by section.\n\n"
               "Your answers raise risks that can be manipulated or misunderstood, so read each one.")
QUESTION = "What is the name of the use case, as the register and any published record will know it?"
HELP = "Use the name your team, your risk manager and any published transparency record will know it by."
LABEL = "Alpha: a working prototype tested with a small number of real users and caseworkers"


@pytest.fixture
def long_mini(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    text = MINI.read_text(encoding="utf-8")  # edited as text: a YAML round trip would turn yes into true
    for before, after in [
        ('title: Mini test questionnaire\n', f'title: Mini test questionnaire\ndescription: {json.dumps(DESCRIPTION)}\n'),
        ('text: "Name?", help: The name.', f'text: {json.dumps(QUESTION)}, help: {json.dumps(HELP)}'),
        ('{id: alpha, label: Alpha}', f'{{id: alpha, label: {json.dumps(LABEL)}}}'),
    ]:
        assert before in text
        text = text.replace(before, after)
    path = tmp_path / "long-mini.yaml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", str(COLUMNS))
    monkeypatch.setattr(assessment, "interview_terminal", lambda: "stdout")
    return path


def words(text: str) -> str:
    return " ".join(text.split())


def test_lines_fit_the_terminal_and_words_stay_whole(long_mini: Path) -> None:
    result: dict = {}
    screen = Screen(lambda: result.setdefault("r", CliRunner().invoke(cli, ["assess", "-q", str(long_mini)])),
                    columns=COLUMNS)
    screen.send("Proj\r" "Org\r" "\r")  # then the phase menu, with the long label
    screen.wait_until(lambda t: "Phase?" in t, "the phase question")
    screen.wait_until(lambda t: "Add a note" in t.rsplit("Phase?", 1)[-1], "the phase menu")
    screen.send(CTRL_C)
    screen.end()
    printed = result["r"].stdout  # the interview; the closing "Stopped." line on stderr is one line, as errors are
    assert result["r"].exit_code == 130, printed
    lines = printed.splitlines()
    too_long = [line for line in lines if len(line) > COLUMNS - 1]
    assert not too_long, too_long
    paragraphs = [words(p) for p in printed.split("\n\n")]
    for paragraph in DESCRIPTION.split("\n\n"):  # paragraphs kept, every word whole
        assert words(paragraph) in paragraphs
    assert words(HELP) in words(printed) and "Ctrl-C stops; continue later with:" in words(printed)
    # the question and the choice label, as drawn by questionary on the 40-column screen: broken
    # only between words (a word the screen broke in two has a line break or a cursor movement in it)
    drawn = ESCAPES.sub("\x00", screen.buffer.getvalue())
    for text in (QUESTION, LABEL):
        pattern = r"[\s\x00]+".join(re.escape(p) for p in text.split())
        assert re.search(pattern, drawn), f"{text!r} was not drawn with whole words: {drawn[-2000:]!r}"
