"""Hypothesis strategies: any valid answers to a questionnaire."""

from __future__ import annotations

from hypothesis import strategies as st

from risk_cli.answers import Answer, Answers
from risk_cli.questionnaire import Question, Questionnaire

# Text a person could type, formula prefixes and odd unicode included; control characters
# other than tab and newline are refused by the answers checker, so they are left out here.
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f\r\ufffe\uffff"),
    min_size=1, max_size=40,
).filter(lambda s: s.strip() != "") | st.sampled_from(["=1+1", "+44 20", "-5", "@SUM(A1)", "=HYPERLINK(\"http://x\",\"y\")", "\tindent", "#N/A", "yes", "null", "0012"])


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
