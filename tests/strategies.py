"""Hypothesis strategies: any valid answers to a questionnaire."""

from __future__ import annotations

from hypothesis import strategies as st

from risk_cli.model.answers import Answer, Answers, clean_text
from risk_cli.model.questionnaire import Question, Questionnaire

# Text a person could type, formula prefixes and odd unicode included; control characters
# other than tab and newline, and spreadsheet escapes (_x0041_), are refused by the answers
# checker, so they are left out here.
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f\r\ufffe\uffff"),
    min_size=1, max_size=40,
).filter(lambda s: s.strip() != "" and clean_text(s, "")[1] is None) | st.sampled_from(["=1+1", "+44 20", "-5", "@SUM(A1)", "=HYPERLINK(\"http://x\",\"y\")", "\tindent", "#N/A", "yes", "null", "0012"])


def value_for(q: Question) -> st.SearchStrategy:
    if q.type in ("choice", "yesno"):
        return st.sampled_from(q.choice_ids)
    if q.type == "multi":
        exclusive = [c.id for c in q.choices if c.exclusive]
        plain = [c.id for c in q.choices if not c.exclusive]
        options = [st.lists(st.sampled_from(plain), min_size=1, unique=True)] if plain else []
        if exclusive:
            options.append(st.sampled_from(exclusive).map(lambda c: [c]))
        return st.one_of(options).map(lambda ids: [c for c in q.choice_ids if c in ids])
    if q.type == "number":
        low = int(q.min) if q.min is not None else 0
        high = int(q.max) if q.max is not None else 10_000_000
        return st.integers(low, high)
    if q.type == "date":
        return st.dates().map(lambda d: d.isoformat())
    return TEXT


def answers_for(qn: Questionnaire) -> st.SearchStrategy[Answers]:
    """Complete answers: every question answered (those that do not apply are dropped when scored)."""
    fields = {q.id: value_for(q) for q in qn.questions}
    return st.fixed_dictionaries(fields).map(
        lambda values: Answers(qn.id, qn.version, qn.sha256, {k: Answer(v) for k, v in values.items()}, "2026-11-27"))


# -- any text a person can enter, hostile included -------------------------------------------

RISKY_TEXT = ["=1+1", '=HYPERLINK("http://example.org","click")', "=cmd|' /C calc'!A0", "+44 20 7946 0000", "-2+3",
              "@SUM(A1:A2)", "\tindented", "\rcarriage return", "line one\r\nline two", "#N/A", "#REF!", "TRUE",
              "null", "~", "yes", "0012", "1e3", "2026-11-27", "'quoted'", '"double"', "a: b", "- item", "[1, 2]",
              "{x: 1}", "&anchor", "*alias", "!!python/object:os.system", "%YAML 1.2", "--- ", "...", "_x0041_",
              "_x005F_x0041_", "_x000d_ lower-case hex", "_X0041_ capital X", "_x41_ two digits", "caf\u00e9",
              "e\u0301", "\U0001f600 emoji", "\u202eright-to-left", "\u200bzero width", "\ufeffbom",
              "\u2028line separator", "\x85next line", "\x9bcsi", " leading and trailing ", "x" * 10_000,
              "y" * 10_001, "bell\x07", "nul\x00", "escape\x1b[2J", "delete\x7f", "\ufffe", "\uffff", "vertical\x0btab"]

# Every character but lone surrogates (no file or terminal can carry those), control characters
# included: the tools must take each as it is or refuse it with a clear error, never alter it.
USER_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40) \
    | st.sampled_from(RISKY_TEXT)
# The same without control characters (which are refused), so most round trips go all the way.
PRINTABLE_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40) \
    | st.sampled_from([t for t in RISKY_TEXT if not any(ord(c) < 32 or 127 <= ord(c) < 160 for c in t)])

# Text a person can type into a spreadsheet cell and risk-cli accepts: no C0 control characters
# but tab and line feed (openpyxl, like Excel, cannot store them), no carriage return (a cell's
# line break is a line feed), nothing the answers check refuses (spreadsheet escapes such as
# _x0041_ included: their refusal at a template's cell is tested in test_escapes.py), and not
# only spaces (that reads as a blank cell).
def _typeable(text: str) -> bool:
    return text.strip() != "" and "\r" not in text and clean_text(text, "x")[1] is None and not any(
        ord(c) < 32 and c not in "\t\n" for c in text)


CELL_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40).filter(_typeable) \
    | st.sampled_from([t for t in RISKY_TEXT if _typeable(t)])
