"""The interactive questionnaire: the only module that calls questionary.

Keeping every prompt behind `ask()` and `confirm()` means the rest of the tool works on
plain `Answers`, and tests can replace these two functions with a list of answers.
questionary and prompt_toolkit are imported inside the functions, so `risk-cli --help`
and every non-interactive command start without loading them.
"""

from __future__ import annotations

import textwrap
from typing import Any, Callable, Optional

from risk_cli.model.answers import Answer, Answers, clean_text, normalise, resolve
from risk_cli.model.questionnaire import Question, Questionnaire

BACK_LABEL = "↩ Back to the previous question"
NOTE_LABEL = "✎ Add a note to this answer"
CHANGE_NOTE_LABEL = "✎ Change the note"  # once the answer has a note
SKIP_LABEL = "○ Leave unanswered"
WRITE_LABEL = "✔ Write the register"  # the review's first entry, and its default
QUIT_LABEL = "✕ Save and quit (no register)"
SECTIONS_LABEL = "↩ Back to the sections"
UNCHANGED_LABEL = "↩ Back to the review, unchanged"
GO_BACK = "<"  # typed alone in a text, number or date question
MAX_WIDTH = 78  # the longest line, even on a wide terminal: easier to read
MIN_WIDTH = 20

# Values of the extra list entries; choice ids are lower case words, so these never clash.
_BACK, _NOTE, _SKIP = "<back>", "<note>", "<skip>"
_WRITE, _QUIT = "<write>", "<quit>"

Echo = Callable[[str], None]


def ask(
    qn: Questionnaire,
    answers: Answers,
    save: Callable[[Answers], None],
    defaults: Optional[Answers] = None,
    resume: bool = False,
    echo: Echo = print,
    on_stderr: bool = False,
) -> Answers:
    """Ask every applicable question in order, saving after each answer.

    `answers` is changed in place so that Ctrl-C (KeyboardInterrupt, not caught here)
    loses nothing already saved. Which questions apply is recomputed after every answer,
    because an answer can switch later questions on or off. With `resume`, only questions
    without an answer are asked (going back still reaches answered ones). With `on_stderr` the
    prompts are drawn on stderr, because stdout is redirected and must hold only the result.
    """
    if on_stderr:
        with _prompts_on_stderr():
            return ask(qn, answers, save, defaults, resume, echo)
    asked = _applicable(qn, answers)
    if resume:
        current = next((q for q in asked if not _answered(q, answers)), None)
    else:
        current = asked[0] if asked else None
    if current is not None and current.id == asked[0].id and qn.description:
        echo(wrap(qn.description))
    while current is not None:
        asked = _applicable(qn, answers)
        ids = [q.id for q in asked]
        if current.id not in ids:  # cannot happen (conditions name earlier questions); be safe
            current = next((q for q in asked if q.number >= current.number), None)
            continue
        pos = ids.index(current.id)
        before = answers.values.get(current.id) or (defaults.values.get(current.id) if defaults else None)
        _header(qn, asked, pos, before, echo)
        result = _ask_question(current, before, first=pos == 0, echo=echo)
        if result is None:
            current = asked[pos - 1]
            continue
        answers.values[current.id] = result
        save(answers)
        later = [q for q in _applicable(qn, answers) if q.number > current.number]
        if resume:
            later = [q for q in later if not _answered(q, answers)]
        current = later[0] if later else None
    return answers


def _prompts_on_stderr() -> Any:
    """A prompt_toolkit session whose prompts are drawn on stderr; keys still come from stdin."""
    import sys

    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.output import create_output

    return create_app_session(output=create_output(stdout=sys.stderr))


def confirm(message: str, default: bool = False) -> bool:
    """A yes/no confirmation; Ctrl-C raises KeyboardInterrupt for the CLI to handle."""
    import questionary

    return bool(questionary.confirm(message, default=default).unsafe_ask())


# -- the review, before the register is written -------------------------------------------

def review(qn: Questionnaire, answers: Answers, save: Callable[[Answers], None], echo: Echo = print,
           on_stderr: bool = False) -> bool:
    """The answers by section, any question to change, then the write: True to write the register,
    False to save and quit without one.

    What is listed, and which questions a change switches on, come from `model.review`; this only
    prompts. A changed answer is saved at once, then the questions it made apply are asked (saving
    after each) before the review comes back. `answers` is changed in place, as in `ask`.
    """
    if on_stderr:
        with _prompts_on_stderr():
            return review(qn, answers, save, echo)
    from risk_cli.model import review as plan

    echo("")
    echo(wrap("Review: choose a section to see its answers and change any, then write the register "
              "(or save and quit, and write it later)."))
    while True:
        picked = _review_menu(plan.sections(qn, answers))
        if picked in (_WRITE, _QUIT):
            return picked == _WRITE
        echo("")
        echo(wrap(f"{_section_title(qn, picked)}. {plan.DONT_KNOW_MARK} marks don't know, "
                  f"{plan.NOTE_MARK} an answer with a note.", subsequent="  "))
        while True:
            qid = _section_menu(qn, plan.questions(qn, answers, picked))
            if qid is None:
                break
            q, before = qn.by_id[qid], answers.values.get(qid)
            echo("")
            echo(wrap(f"Changing: {_section_title(qn, q)}", subsequent="  "))
            _details(qn, q, before, echo)
            result = _ask_question(q, before, first=False, echo=echo, back=UNCHANGED_LABEL)
            if result is None or result == before:
                continue
            answers.values[qid] = result
            save(answers)
            _ask_new(qn, answers, save, echo, plan.still_to_ask)


def _section_title(qn: Questionnaire, where: Any) -> str:
    """"Section N of M: title", for a question or a section id, numbered as the progress line does."""
    section_id = where.section if isinstance(where, Question) else where
    ids = [s.id for s in qn.sections]
    return f"Section {ids.index(section_id) + 1} of {len(ids)}: {qn.sections[ids.index(section_id)].title}"


def _ask_new(qn: Questionnaire, answers: Answers, save: Callable[[Answers], None], echo: Echo,
             still_to_ask: Callable[[Questionnaire, Answers], list[Question]]) -> None:
    """Ask, in order, each question a changed answer made apply, until none is left."""
    pending = still_to_ask(qn, answers)
    if pending:
        echo("")
        echo(wrap(f"That answer brings in {len(pending)} more question(s)." if len(pending) > 1
                  else "That answer brings in one more question."))
    while pending:
        q = pending[0]
        echo("")
        echo(wrap(f"New question: {_section_title(qn, q)}", subsequent="  "))
        _details(qn, q, None, echo)
        answers.values[q.id] = _ask_question(q, None, first=True, echo=echo) or Answer(None)
        save(answers)
        pending = still_to_ask(qn, answers)


def _review_menu(sections: list[Any]) -> str:
    """The review's first list: write (the default), the sections with their counts, save and quit."""
    import questionary

    choices: list[Any] = [questionary.Choice(WRITE_LABEL, _WRITE), questionary.Separator()]
    choices += [questionary.Choice(_label(s.label(), 3), s.id) for s in sections]
    choices += [questionary.Separator(), questionary.Choice(QUIT_LABEL, _QUIT)]
    message = _message("Review your answers")
    return str(questionary.select(message, choices=choices, default=_WRITE).unsafe_ask())


def _section_menu(qn: Questionnaire, lines: list[Any]) -> Optional[str]:
    """A section's questions, one line each with the current answer; None goes back to the sections."""
    import questionary

    room = width() - 3  # questionary's pointer
    choices: list[Any] = [questionary.Choice(line.label(room), line.id) for line in lines]
    choices += [questionary.Separator(), questionary.Choice(SECTIONS_LABEL, _BACK)]
    message = _message("Which answer to change?")
    picked = questionary.select(message, choices=choices).unsafe_ask()
    return None if picked == _BACK else str(picked)


# -- walking the questionnaire ------------------------------------------------------------

def _applicable(qn: Questionnaire, answers: Answers) -> list[Question]:
    """The questions that apply to the answers so far, in questionnaire order."""
    visible = resolve(qn, {qid: a.value for qid, a in answers.values.items()})
    return [qn.by_id[qid] for qid in visible.asked]


def _answered(q: Question, answers: Answers) -> bool:
    """Seen already: answered, or an optional question deliberately left empty."""
    answer = answers.values.get(q.id)
    if answer is None:
        return False
    return not q.required or answer.value not in (None, "", [])


def width() -> int:
    """Columns to wrap to: the terminal's (COLUMNS, else stdout's, else stderr's, where the
    prompts are when stdout is redirected), less one so a full line never wraps by itself,
    at most MAX_WIDTH."""
    import os
    import shutil
    import sys

    columns = shutil.get_terminal_size((0, 0)).columns
    if not columns:
        try:
            columns = os.get_terminal_size(sys.__stderr__.fileno()).columns
        except (AttributeError, OSError, ValueError):
            columns = 80
    return max(MIN_WIDTH, min(columns - 1, MAX_WIDTH))


def wrap(text: str, indent: str = "", subsequent: Optional[str] = None) -> str:
    """Wrap each paragraph to the terminal width at word boundaries (a word longer than a line,
    such as an address, is left whole), keeping blank lines between paragraphs."""
    paragraphs = [p for p in text.strip().split("\n\n") if p.strip()]
    return "\n\n".join(textwrap.fill(" ".join(p.split()), width(), initial_indent=indent,
                                     subsequent_indent=indent if subsequent is None else subsequent,
                                     break_long_words=False, break_on_hyphens=False)
                        for p in paragraphs)


def _message(text: str) -> str:
    """A question as questionary shows it, after "? ": wrapped so the terminal never breaks a word
    (the lines after the first indented under it)."""
    if len(text) + 2 <= width():
        return text
    return wrap(text, indent="  ")[2:]


def progress(qn: Questionnaire, asked: list[Question], pos: int) -> str:
    """Where the user is, in numbers that do not jump back as questions stop applying.

    The section is numbered among all the questionnaire's sections, which never changes (a
    section that does not apply is passed over, as a page is). The question is numbered among
    those asked so far, and what is left is an estimate ("about 40 to go"), since later answers
    can switch questions on or off: a count that only ever says "of 69", then "of 67", surprises.
    """
    q = asked[pos]
    ids = [s.id for s in qn.sections]
    left = len(asked) - pos - 1
    to_go = "the last one" if left == 0 else f"about {left} to go"
    return (f"Section {ids.index(q.section) + 1} of {len(ids)}: {qn.section_of[q.id].title}"
            f" · question {pos + 1}, {to_go}")


def _header(qn: Questionnaire, asked: list[Question], pos: int, before: Optional[Answer], echo: Echo) -> None:
    """Where the user is, why the question is asked, and where the question comes from."""
    q = asked[pos]
    section = qn.section_of[q.id]
    echo("")
    echo(wrap(progress(qn, asked, pos), subsequent="  "))
    if section.description and (pos == 0 or asked[pos - 1].section != q.section):
        echo(wrap(section.description))
    _details(qn, q, before, echo)


def _details(qn: Questionnaire, q: Question, before: Optional[Answer], echo: Echo) -> None:
    """Why the question is asked, where it comes from, and the note kept with its answer."""
    if q.help:
        echo(wrap(q.help, "  "))
    titles = [qn.sources[s].title if s in qn.sources else s for s in q.sources]
    if titles:
        echo(wrap(("Source: " if len(titles) == 1 else "Sources: ") + "; ".join(titles), "  "))
    if before is not None and before.note:
        echo(wrap(f"Note: {before.note}", "  "))


def _ask_question(q: Question, before: Optional[Answer], first: bool, echo: Echo = print,
                  back: str = BACK_LABEL) -> Optional[Answer]:
    """Ask one question until it is answered; None means the user wants to go back (`back` is the
    menu entry that says where to)."""
    note = before.note if before else ""
    value = _usable(q, before.value) if before else None
    while True:
        if q.type in ("choice", "yesno"):
            action, picked = _select(q, value, first, has_value=before is not None, has_note=bool(note), back=back)
        elif q.type == "multi":
            action, picked = _checkbox(q, value, first, has_note=bool(note), back=back)
        else:
            action, picked = _text(q, value, first)
        if action == "back":
            return None
        if action == "note":
            had_note, note = bool(note), _note(note)
            value = picked
            if note:
                echo(wrap(f"Note saved: {note}", "  "))
            elif had_note:
                echo("  Note removed.")
            continue
        return Answer(picked, note)


def _usable(q: Question, value: Any) -> Any:
    """A stored or previous answer in canonical form, or None if it no longer fits."""
    value, error = normalise(q, value)
    return None if error else value


def _label(text: str, lead: int) -> str:
    """A choice's label wrapped under itself: questionary draws `lead` characters before it
    (the pointer, and a tick box for multiple choice)."""
    if len(text) + lead <= width():
        return text
    return wrap(text, indent=" " * lead)[lead:]


# -- one helper per widget ----------------------------------------------------------------

def _extras(q: Question, first: bool, has_skip: bool, has_note: bool = False, back: str = BACK_LABEL) -> list[Any]:
    """The entries after a list's real choices: skip, note (add, or change once there is one) and back."""
    import questionary

    extras: list[Any] = [questionary.Separator()]
    if has_skip:
        extras.append(questionary.Choice(SKIP_LABEL, _SKIP))
    extras.append(questionary.Choice(CHANGE_NOTE_LABEL if has_note else NOTE_LABEL, _NOTE))
    if not first:
        extras.append(questionary.Choice(back, _BACK))
    return extras


def _select(q: Question, value: Any, first: bool, has_value: bool, has_note: bool = False,
            back: str = BACK_LABEL) -> tuple[str, Any]:
    """`choice` and `yesno`: one choice id, with skip (if optional), note and back entries."""
    import questionary

    choices = [questionary.Choice(_label(c.label, 3), c.id, description=c.help or None) for c in q.choices]
    choices += _extras(q, first, has_skip=not q.required, has_note=has_note, back=back)
    default = value if value in q.choice_ids else (_SKIP if has_value and not q.required else None)
    picked = questionary.select(_message(q.text), choices=choices, default=default).unsafe_ask()
    if picked == _BACK:
        return "back", None
    if picked == _NOTE:
        return "note", value
    return "answer", None if picked == _SKIP else picked


def _checkbox(q: Question, value: Any, first: bool, has_note: bool = False, back: str = BACK_LABEL) -> tuple[str, Any]:
    """`multi`: a list of choice ids; an exclusive choice (such as don't know) stands alone."""
    import questionary

    ticked = set(value or ())
    choices = [questionary.Choice(_label(c.label, 5), c.id, checked=c.id in ticked, description=c.help or None)
               for c in q.choices]
    choices += _extras(q, first, has_skip=False, has_note=has_note, back=back)

    def validate(ids: list[str]) -> bool | str:
        if _BACK in ids or _NOTE in ids:
            return True
        alone = [c for c in q.choices if c.exclusive and c.id in ids]
        if alone and len(ids) > 1:
            return f"'{alone[0].label}' cannot be combined with other choices"
        if not ids and q.required:
            return "Tick at least one choice (Space ticks, Enter confirms)"
        return True

    instruction = "(Space ticks, Enter confirms" + (")" if q.required else "; none ticked skips it)")
    ids = questionary.checkbox(_message(q.text), choices=choices, validate=validate,
                               instruction=instruction).unsafe_ask()
    if _BACK in ids:
        return "back", None
    real = [c for c in q.choice_ids if c in ids]  # questionnaire order
    if _NOTE in ids:
        return "note", real
    return "answer", real or None


def _text(q: Question, value: Any, first: bool) -> tuple[str, Any]:
    """`text`, `number` and `date`: typed, checked by the same `normalise()` as files."""
    import questionary

    def validate(typed: str) -> bool | str:
        if typed.strip() == GO_BACK:
            return True if not first else "This is the first question: there is nothing to go back to"
        checked, error = normalise(q, typed.strip())
        if error:
            return error
        if checked is None and q.required:
            return "An answer is needed"
        return True

    instruction = _text_instruction(q, first)
    default = "" if value is None else str(value)
    typed = questionary.text(_message(q.text), default=default, validate=validate,
                             instruction=instruction).unsafe_ask()
    if typed.strip() == GO_BACK:
        return "back", None
    return "answer", normalise(q, typed.strip())[0]


def _text_instruction(q: Question, first: bool) -> str:
    """Say what is expected and how to skip or go back, in a few words."""
    parts = {"number": ["a number"], "date": ["YYYY-MM-DD"]}.get(q.type, [])
    if q.type == "number" and q.min is not None:
        parts.append(f"at least {q.min:g}")
    if q.type == "number" and q.max is not None:
        parts.append(f"at most {q.max:g}")
    if not q.required:
        parts.append("Enter alone skips")
    if not first:
        parts.append(f"{GO_BACK} alone goes back")
    return f"({'; '.join(parts)})" if parts else ""


def _note(note: str) -> str:
    """Ask for the note kept with an answer; an empty note removes it."""
    import questionary

    def validate(typed: str) -> bool | str:
        return clean_text(typed, "the note")[1] or True

    typed = questionary.text("Note for this answer:", default=note, validate=validate,
                             instruction="(Enter saves; empty removes the note)").unsafe_ask()
    return clean_text(typed.strip(), "the note")[0]
