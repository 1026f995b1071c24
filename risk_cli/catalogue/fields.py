"""Reading one questionnaire document: typed fields, conditions, and every problem with its place.

The section readers (`read_scoring`, `read_sections`, `read_risks`) share one `Fields`: it holds
the document, collects problems and warnings instead of stopping at the first, and knows the
questions read so far, so a condition can be checked against them where it is written.
"""

from __future__ import annotations

import math
import re
from typing import Any, Mapping, Optional

from risk_cli import safe_yaml
from risk_cli.errors import Problem
from risk_cli.model import conditions
from risk_cli.model.conditions import DONT_KNOW, Condition
from risk_cli.model.questionnaire import CHOICE_TYPES, Question, Wording

Path_ = tuple

ID = re.compile(r"[a-z0-9][a-z0-9-]*$")
QUESTION_ID = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")
CHOICE_ID = re.compile(r"[a-z0-9][a-z0-9_]*$")
RISK_ID = re.compile(r"[A-Z][A-Z0-9]*(-[A-Z0-9]+)*-[0-9]{3}$")
VERSION = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
COLOUR = re.compile(r"[0-9A-Fa-f]{6}$")

# the tests each kind of question can take
OPS_BY_TYPE = {
    "choice": ("equals", "in"), "yesno": ("equals", "in"),
    "multi": ("includes", "includes_any"),
    "number": ("equals", "at_least", "at_most"),
    "text": ("equals",), "date": ("equals",),
}


class Fields:
    """One document being read: typed getters that report what is wrong and carry on."""

    def __init__(self, doc: safe_yaml.Document) -> None:
        self.doc = doc
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.questions: dict[str, Question] = {}  # read so far, in order
        self.all_question_ids: set[str] = set()  # every id the file gives, read or not
        self.source_ids: set[str] = set()
        self.rating_ids: list[str] = []
        self.named: dict[str, Condition] = {}  # named conditions, in the order defined
        self.too_big: set[str] = set()  # named conditions refused as too big (reported once, where defined)

    # -- problems ------------------------------------------------------------------------
    def error(self, path: Path_, message: str) -> None:
        self.problems.append(self.doc.problem(path, message))

    def warn(self, path: Path_, message: str) -> None:
        self.warnings.append(self.doc.problem(path, message))

    # -- typed values --------------------------------------------------------------------
    def mapping(self, raw: Any, path: Path_, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> Optional[dict]:
        if not isinstance(raw, dict):
            self.error(path, f"expected a mapping with keys {', '.join(required + optional)}")
            return None
        allowed = required + optional
        for key in raw:
            if key not in allowed:
                self.error(path + (key,), f"unknown key '{key}' (allowed: {', '.join(allowed)})")
        for key in required:
            if key not in raw:
                self.error(path, f"missing required key '{key}'")
        return raw

    def text(self, raw: dict, key: str, path: Path_, default: Optional[str] = None, pattern: Optional[re.Pattern] = None,
             what: str = "") -> str:
        if key not in raw:
            return default if default is not None else ""
        value = raw[key]
        if isinstance(value, (int, float)) and not isinstance(value, bool) and pattern is None:
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            self.error(path + (key,), f"'{key}' must be non-empty text")
            return ""
        if pattern is not None and not pattern.match(value):
            self.error(path + (key,), f"'{value}' is not a valid {what or key}")
        return value

    def integer(self, raw: dict, key: str, path: Path_, low: int, high: int, default: Optional[int] = None) -> int:
        if key not in raw:
            return default if default is not None else low
        value = raw[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(path + (key,), f"'{key}' must be a whole number from {low} to {high}")
            return low
        if not low <= value <= high:
            self.error(path + (key,), f"'{key}' is {value}; it must be from {low} to {high}")
            return max(low, min(high, value))
        return value

    def number(self, raw: dict, key: str, path: Path_) -> Optional[float]:
        if key not in raw:
            return None
        value = raw[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.error(path + (key,), f"'{key}' must be a number")
            return None
        if not math.isfinite(value):  # 1e999 reads as infinity: no answer, check or cell can use it
            self.error(path + (key,), f"'{key}' must be a finite number (it reads as {value})")
            return None
        return value

    def flag(self, raw: dict, key: str, path: Path_, default: bool) -> bool:
        value = raw.get(key, default)
        if not isinstance(value, bool):
            self.error(path + (key,), f"'{key}' must be true or false")
            return default
        return value

    def items(self, raw: Any, key: str, path: Path_, required: bool = True) -> list[tuple[Path_, Any]]:
        value = raw.get(key) if isinstance(raw, dict) else None
        if value is None:
            if required and isinstance(raw, dict) and key in raw:
                self.error(path + (key,), f"'{key}' must be a non-empty list")
            return []
        if not isinstance(value, list) or (required and not value):
            self.error(path + (key,), f"'{key}' must be a{' non-empty' if required else ''} list")
            return []
        return [(path + (key, i), item) for i, item in enumerate(value)]

    def strings(self, raw: dict, key: str, path: Path_, required: bool = False) -> tuple[str, ...]:
        out = []
        for p, item in self.items(raw, key, path, required=required):
            if not isinstance(item, str) or not item.strip():
                self.error(p, "must be non-empty text")
            else:
                out.append(item)
        return tuple(out)

    def unique(self, seen: dict[str, Path_], value: str, path: Path_, kind: str) -> None:
        if not value:
            return
        if value in seen:
            self.error(path, f"duplicate {kind} id '{value}' (first at {safe_yaml.format_path(seen[value])})")
        else:
            seen[value] = path

    def source_ref(self, value: str, path: Path_) -> None:
        if value and value not in self.source_ids:
            self.error(path, f"unknown source '{value}' (not in sources)")

    def wording(self, raw: dict, key: str, path: Path_, default: Optional[str] = None) -> Wording:
        """Text, or text that depends on the answers: a list of {when, text}, the last without `when`
        (used when no other holds)."""
        value = raw.get(key) if isinstance(raw, dict) else None
        if not isinstance(value, list):
            return Wording(self.text(raw, key, path, default=default))
        p = path + (key,)
        variants: list[tuple[Condition, str]] = []
        fallback = ""
        entries = self.items(raw, key, path)
        for i, (vp, item) in enumerate(entries):
            last = i == len(entries) - 1
            m = self.mapping(item, vp, ("text",), ("when",))
            if m is None:
                continue
            text = self.text(m, "text", vp)
            if last:
                if "when" in m:
                    self.error(vp + ("when",), "the last wording is the default: it has no 'when'")
                fallback = text
                continue
            when = self.condition(m, "when", vp)
            if "when" not in m:
                self.error(vp, "every wording but the last needs a 'when' (the last, without one, is the default)")
            elif when is not None:
                variants.append((when, text))
        if not entries:
            self.error(p, f"'{key}' must be text or a non-empty list of {{when, text}}")
        return Wording(fallback, tuple(variants))

    # -- conditions ----------------------------------------------------------------------
    def condition(self, raw: dict, key: str, path: Path_, earlier_only: bool = False) -> Optional[Condition]:
        """The condition at `raw[key]`, with each test checked against the questions; `earlier_only`
        (a question's or section's own condition): it may name only questions asked before it."""
        if key not in raw:
            return None
        return self.parse_condition(raw[key], path + (key,), earlier_only)

    def parse_condition(self, raw: Any, path: Path_, earlier_only: bool = False, named: Optional[Mapping[str, Condition]] = None) -> Optional[Condition]:
        errors: list[tuple[Path_, str]] = []
        cond = conditions.parse(raw, path, errors, self.named if named is None else named)
        for p, message in errors:
            self.error(p, message)
        if cond is None:
            return None
        if self.refuse_if_too_big(cond, path):  # refused before any check or analysis walks it
            return None
        direct = set(conditions.tests(cond, into_named=False))
        for test in direct:  # a named condition's own tests are checked where it is defined
            self.check_test(test, path, earlier_only)
        if earlier_only:
            for test in set(conditions.tests(cond)) - direct:
                if test.question not in self.questions:
                    self.error(path, f"uses a named condition on question '{test.question}', which is not asked before "
                                     "this point; a question's condition may only depend on earlier questions")
        return cond

    def refuse_if_too_big(self, cond: Condition, path: Path_) -> bool:
        """True (and one problem at `path`) if `cond` is over the limits of conditions.size_problem;
        one built on a named condition already refused as too big is refused without a second line."""
        too_big = conditions.size_problem(cond)
        if too_big and not conditions.names_used(cond) & self.too_big:
            self.error(path, f"this condition {too_big}")
        return too_big is not None

    def check_test(self, test: conditions.Test, path: Path_, earlier_only: bool) -> None:
        q = self.questions.get(test.question)
        if q is None:
            where = "an earlier question" if earlier_only else "a question"
            if earlier_only and test.question in self.all_question_ids:
                self.error(path, f"condition names question '{test.question}', which is asked later; a condition may only name {where}")
            else:
                self.error(path, f"condition names unknown question '{test.question}'")
            return
        op, value = test.op, test.value
        if op == "answered":
            return
        kind = q.type
        allowed_ops = OPS_BY_TYPE.get(kind)
        if allowed_ops is None:
            return  # the question's own type is reported where it is defined
        if op not in allowed_ops:
            self.error(path, f"'{op}' does not apply to {kind} question '{q.id}' (use {', '.join(allowed_ops + ('answered',))})")
            return
        if kind in CHOICE_TYPES:
            for v in (value if isinstance(value, tuple) else (value,)):
                if v not in q.choice_ids:
                    self.error(path, f"condition names unknown choice '{v}' of question '{q.id}' (choices: {', '.join(q.choice_ids)})")
                elif v == DONT_KNOW:
                    self.error(path, f"a condition cannot test for '{DONT_KNOW}': unknown answers are handled by the three-valued rules")
        elif kind == "number" and (isinstance(value, bool) or not isinstance(value, (int, float))
                                   or not math.isfinite(value)):
            self.error(path, f"question '{q.id}' takes numbers; '{value}' is not one")
