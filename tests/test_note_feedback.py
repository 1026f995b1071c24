"""Saving a note in the interview says so, and the menu then offers to change it (issue 13, item 6).

Driven through the real questionary widgets (keys through prompt_toolkit's pipe input, as in
test_prompting), with the screen captured by a VT100 output so the menu entries can be read.
Keys are sent step by step, each once the screen shows the prompt it answers, because keys sent
ahead are handled before a menu is ever drawn.
"""

from __future__ import annotations

import io
import re
import threading
import time
from typing import Any, Callable

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.vt100 import Vt100_Output

from risk_cli.readers.terminal import ask
from tests.test_prompting import CTRL_C, DOWN, ENTER, TIMEOUT, Session, down, qn  # noqa: F401 - qn is a fixture

ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]")
NOTE_PROMPT = "Note for this answer"
NOTE_LABEL = "Add a note"  # the menu entry while the answer has no note
CHANGE_NOTE_LABEL = "Change the note"  # and once it has one


class Screen:
    """An interview running in a thread, its output captured as text."""

    def __init__(self, fn: Callable[[], Any], columns: int = 100) -> None:
        self.columns = columns
        self.buffer = io.StringIO()
        self.outcome: dict[str, Any] = {}
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, args=(fn,), daemon=True)
        self.thread.start()
        assert self.ready.wait(TIMEOUT)

    def _run(self, fn: Callable[[], Any]) -> None:
        output = Vt100_Output(self.buffer, lambda: Size(rows=40, columns=self.columns), term="xterm", enable_cpr=False)
        try:
            with create_pipe_input() as inp, create_app_session(input=inp, output=output):
                self.input = inp
                self.ready.set()
                self.outcome["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test thread
            self.outcome["error"] = exc

    @property
    def text(self) -> str:
        return ESCAPES.sub("", self.buffer.getvalue())

    def wait_until(self, shown: Callable[[str], bool], what: str) -> None:
        end = time.monotonic() + TIMEOUT
        while not shown(self.text):
            if time.monotonic() > end:
                pytest.fail(f"the screen never showed {what}; it shows: {self.text[-1500:]!r}")
            time.sleep(0.02)

    def send(self, keys: str) -> None:
        self.input.send_text(keys)

    def since_last_note(self) -> str:
        return self.text.rsplit(NOTE_PROMPT, 1)[-1]

    def end(self) -> dict[str, Any]:
        self.thread.join(TIMEOUT)
        assert not self.thread.is_alive(), "a prompt was still waiting for input"
        return self.outcome


def start(s: Session) -> Screen:
    screen = Screen(lambda: ask(s.qn, s.answers, s.save, echo=s.lines.append))
    screen.send("Proj\r" "Org\r" "\r")  # name, organisation, owner skipped; then phase (alpha, live, note, back)
    screen.wait_until(lambda t: NOTE_LABEL in t, "the phase menu with 'Add a note'")
    return screen


def test_a_saved_note_is_confirmed_and_the_menu_says_change(qn):
    s = Session(qn)
    screen = start(s)
    assert CHANGE_NOTE_LABEL not in screen.text
    screen.send(down(2) + ENTER)
    screen.wait_until(lambda t: NOTE_PROMPT in t, "the note prompt")
    screen.send("Pilot only\r")
    screen.wait_until(lambda t: CHANGE_NOTE_LABEL in screen.since_last_note(), "'Change the note' after saving it")
    assert NOTE_LABEL not in screen.since_last_note()
    assert "  Note saved: Pilot only" in s.lines  # said as soon as it was saved
    screen.send(DOWN + ENTER)  # live; then the role question, which has no note yet
    screen.wait_until(lambda t: "Role in decisions" in t and NOTE_LABEL in t.rsplit("Role in decisions", 1)[-1],
                      "'Add a note' on the next question")
    screen.send(CTRL_C)
    assert isinstance(screen.end().get("error"), KeyboardInterrupt)
    assert s.answers.values["profile.phase"].value == "live"
    assert s.answers.values["profile.phase"].note == "Pilot only"


def test_removing_the_note_says_so_and_the_menu_says_add_again(qn):
    s = Session(qn)
    screen = start(s)
    screen.send(down(2) + ENTER)
    screen.wait_until(lambda t: NOTE_PROMPT in t, "the note prompt")
    screen.send("Pilot\r")
    screen.wait_until(lambda t: CHANGE_NOTE_LABEL in screen.since_last_note(), "'Change the note'")
    screen.send(down(2) + ENTER)  # Change the note: clear it (Ctrl-U) and save the empty note
    screen.wait_until(lambda t: t.count(NOTE_PROMPT) >= 2, "the note prompt again")
    screen.send("\x15\r")
    screen.wait_until(lambda t: t.count(NOTE_PROMPT) >= 2 and NOTE_LABEL in screen.since_last_note(),
                      "'Add a note' once the note is removed")
    assert CHANGE_NOTE_LABEL not in screen.since_last_note()
    assert "  Note saved: Pilot" in s.lines and "  Note removed." in s.lines
    screen.send(DOWN + ENTER + CTRL_C)
    assert isinstance(screen.end().get("error"), KeyboardInterrupt)
    assert s.answers.values["profile.phase"].note == ""
