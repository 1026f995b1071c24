"""Conditions: small, safe, data-only tests on answers, evaluated with three values.

A questionnaire never runs code. A condition is a tree of `All`, `Any`, `Not` and `Test`
built from YAML, and evaluating it can only compare answers. The result is True, False or
None (unknown: the question was asked but answered "don't know" or not answered); each
caller decides how to read unknown, always towards caution.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator, Mapping, Union

DONT_KNOW = "dont_know"

# op -> the kinds of value it takes
OPS = ("equals", "in", "includes", "includes_any", "at_least", "at_most", "answered")

Truth = Union[bool, None]


@dataclass(frozen=True)
class Test:
    """The only leaf of a condition: it compares one question's answer with a value, so a
    questionnaire can ask about answers but never run code."""

    question: str
    op: str
    value: Any


@dataclass(frozen=True)
class All:
    """The YAML `all`: holds only when every part holds, and a false part outweighs an unknown one."""

    parts: tuple["Condition", ...]


@dataclass(frozen=True)
class AnyOf:
    """The YAML `any`: holds when some part holds, and a true part outweighs an unknown one; named
    AnyOf to keep clear of `typing.Any`."""

    parts: tuple["Condition", ...]


@dataclass(frozen=True)
class Not:
    """The YAML `not`: reverses its part but keeps unknown unknown, so "don't know" is never read as
    its opposite."""

    part: "Condition"


@dataclass(frozen=True)
class Ref:
    """A named condition used by name (`{condition: solely_automated}`): the questionnaire says a
    compound idea once and every rule that needs it says the same thing."""

    name: str
    part: "Condition"


Condition = Union[Test, All, AnyOf, Not, Ref]


def parse(raw: Any, path: tuple, errors: list[tuple[tuple, str]],
          named: Mapping[str, "Condition"] | None = None) -> Condition | None:
    """Build a condition from YAML data; structural problems go to `errors` as (path, message).
    `named` holds the named conditions a `{condition: NAME}` may use."""
    if not isinstance(raw, dict):
        errors.append((path, "a condition must be a mapping such as {question: ID, equals: VALUE}"))
        return None
    if "condition" in raw:
        name = raw["condition"]
        if len(raw) != 1 or not isinstance(name, str):
            errors.append((path, "a named condition is used as {condition: NAME}, with nothing else beside it"))
            return None
        if name not in (named or {}):
            known = ", ".join(named or {}) or "none defined above this point"
            errors.append((path + ("condition",), f"unknown named condition '{name}' (named conditions: {known})"))
            return None
        return Ref(name, (named or {})[name])
    if "question" in raw:
        ops = [k for k in raw if k != "question"]
        unknown = [k for k in ops if k not in OPS]
        if unknown:
            errors.append((path, f"unknown key '{unknown[0]}' in condition (allowed: question, {', '.join(OPS)})"))
            return None
        if len(ops) != 1:
            errors.append((path, f"a condition on a question needs exactly one test ({', '.join(OPS)})"))
            return None
        op = ops[0]
        value = raw[op]
        qid = raw["question"]
        if not isinstance(qid, str):
            errors.append((path + ("question",), "question must be a question id"))
            return None
        if op in ("in", "includes_any"):
            if not isinstance(value, list) or not value:
                errors.append((path + (op,), f"'{op}' takes a non-empty list"))
                return None
            value = tuple(value)
        elif op in ("at_least", "at_most"):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                errors.append((path + (op,), f"'{op}' takes a number"))
                return None
        elif op == "answered":
            if not isinstance(value, bool):
                errors.append((path + (op,), "'answered' takes true or false"))
                return None
        elif isinstance(value, (list, dict)) or value is None:
            errors.append((path + (op,), f"'{op}' takes a single value"))
            return None
        return Test(qid, op, value)
    keys = list(raw)
    if len(keys) != 1 or keys[0] not in ("all", "any", "not"):
        errors.append((path, f"a condition is {{question: ...}}, {{all: [...]}}, {{any: [...]}}, {{not: ...}} or {{condition: NAME}}; found keys {', '.join(map(str, keys)) or 'none'}"))
        return None
    key = keys[0]
    if key == "not":
        part = parse(raw["not"], path + ("not",), errors, named)
        return Not(part) if part is not None else None
    items = raw[key]
    if not isinstance(items, list) or not items:
        errors.append((path + (key,), f"'{key}' takes a non-empty list of conditions"))
        return None
    parts = [parse(item, path + (key, i), errors, named) for i, item in enumerate(items)]
    if any(p is None for p in parts):
        return None
    return All(tuple(parts)) if key == "all" else AnyOf(tuple(parts))  # type: ignore[arg-type]


MAX_TESTS = 100  # question tests in one condition, counted through the named conditions it uses
MAX_NESTING = 10  # levels of all/any/not/named conditions inside one condition


def size_problem(cond: Condition | None, max_tests: int = MAX_TESTS, max_nesting: int = MAX_NESTING) -> str | None:
    """Why `cond` is too big to use (None if it is not): over `max_tests` tests or `max_nesting`
    levels, counting through `{condition: NAME}` as if written out. Stops as soon as either limit is
    passed, so even a named condition used many times over costs at most a few hundred steps; every
    other walk over conditions (evaluation, lint) is bounded by these limits."""
    count = 0
    stack: list[tuple[Condition, int]] = [(cond, 0)] if cond is not None else []
    while stack:
        node, depth = stack.pop()
        if depth > max_nesting:
            return f"is nested more than {max_nesting} levels deep (all, any, not and named conditions); the limit is {max_nesting}"
        if isinstance(node, Test):
            count += 1
            if count > max_tests:
                return (f"has more than {max_tests} question tests (counting those in the named conditions it uses); "
                        f"the limit is {max_tests}")
        elif isinstance(node, (Not, Ref)):
            stack.append((node.part, depth + 1))
        else:
            stack.extend((part, depth + 1) for part in node.parts)
    return None


def names_used(cond: Condition | None) -> set[str]:
    """The named conditions `cond` uses directly (not those they use in turn)."""
    found: set[str] = set()
    stack = [cond] if cond is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, Ref):
            found.add(node.name)
        elif isinstance(node, Not):
            stack.append(node.part)
        elif isinstance(node, (All, AnyOf)):
            stack.extend(node.parts)
    return found


def tests(cond: Condition | None, into_named: bool = True) -> Iterator[Test]:
    """Every question test inside a condition (`into_named`: inside the named conditions it uses too)."""
    if cond is None:
        return
    if isinstance(cond, Test):
        yield cond
    elif isinstance(cond, Not):
        yield from tests(cond.part, into_named)
    elif isinstance(cond, Ref):
        if into_named:
            yield from tests(cond.part, into_named)
    else:
        for part in cond.parts:
            yield from tests(part, into_named)


def polarities(cond: Condition | None, positive: bool = True) -> Iterator[tuple[Test, bool]]:
    """Every test with its direction: True where the test holding makes the whole condition more
    likely to hold, False under an odd number of `not`s."""
    if cond is None:
        return
    if isinstance(cond, Test):
        yield cond, positive
    elif isinstance(cond, Not):
        yield from polarities(cond.part, not positive)
    elif isinstance(cond, Ref):
        yield from polarities(cond.part, positive)
    else:
        for part in cond.parts:
            yield from polarities(part, positive)


def evaluate(cond: Condition | None, asked: Mapping[str, Any] | set, values: Mapping[str, Any]) -> Truth:
    """Evaluate against the questions that were asked and their answers.

    `asked` holds the ids of questions that applied; `values` the answers given to them.
    No condition at all holds.
    """
    if cond is None:
        return True
    if isinstance(cond, Test):
        return _test(cond, asked, values)
    if isinstance(cond, Not):
        inner = evaluate(cond.part, asked, values)
        return None if inner is None else not inner
    if isinstance(cond, Ref):
        return evaluate(cond.part, asked, values)
    # all: any False decides it, else any unknown leaves it unknown; any: the same with True.
    # The first deciding part ends the walk (scoring evaluates these millions of times in a batch).
    decides = isinstance(cond, AnyOf)
    unknown = False
    for part in cond.parts:
        result = evaluate(part, asked, values)
        if result is decides:
            return decides
        if result is None:
            unknown = True
    return None if unknown else not decides


def is_unknown(value: Any) -> bool:
    if value is None or value == DONT_KNOW:
        return True
    return isinstance(value, (list, tuple)) and DONT_KNOW in value


def _test(t: Test, asked: Mapping[str, Any] | set, values: Mapping[str, Any]) -> Truth:
    if t.question not in asked:
        return False  # the question did not apply, so nothing about it holds
    value = values.get(t.question)
    if t.op == "answered":
        has = value is not None and value != [] and value != ""
        return has == t.value
    if is_unknown(value):
        return None
    if t.op == "equals":
        return value == t.value
    if t.op == "in":
        return value in t.value
    if t.op == "includes":
        return t.value in value
    if t.op == "includes_any":
        return any(v in value for v in t.value)
    if t.op == "at_least":
        return value >= t.value
    if t.op == "at_most":
        return value <= t.value
    raise ValueError(f"unknown condition op {t.op}")  # parse() never builds one


def describe(cond: Condition | None, labels: Mapping[str, str] | None = None) -> str:
    """A short human reading, for 'answer only if ...' notes in templates."""
    if cond is None:
        return "always"
    if isinstance(cond, Test):
        q = cond.question
        show = (lambda v: (labels or {}).get(f"{q}={v}", str(v)))
        if cond.op == "equals":
            return f"{q} is {show(cond.value)}"
        if cond.op == "in":
            return f"{q} is {' or '.join(show(v) for v in cond.value)}"
        if cond.op == "includes":
            return f"{q} includes {show(cond.value)}"
        if cond.op == "includes_any":
            return f"{q} includes {' or '.join(show(v) for v in cond.value)}"
        if cond.op == "at_least":
            return f"{q} is at least {cond.value}"
        if cond.op == "at_most":
            return f"{q} is at most {cond.value}"
        return f"{q} is {'answered' if cond.value else 'not answered'}"
    if isinstance(cond, Not):
        return f"not ({describe(cond.part, labels)})"
    if isinstance(cond, Ref):
        return describe(cond.part, labels)
    joiner = " and " if isinstance(cond, All) else " or "
    return joiner.join(f"({describe(p, labels)})" if not isinstance(p, Test) else describe(p, labels) for p in cond.parts)
