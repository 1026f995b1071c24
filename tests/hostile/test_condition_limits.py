"""Conditions too big to check quickly: a risk whose condition has tens of thousands of tests, or
named conditions built on each other so that one use expands to millions (2**n).

Validating such a questionnaire used to take tens of seconds (or forever); now a condition over
100 question tests or 10 levels of nesting (counting through named conditions, stopping as soon
as a limit is passed) is refused with one line naming where it is, and validate ends at once.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from risk_cli.model import conditions
from tests.conftest import MINI, ROOT
from tests.hostile.harness import error_lines, invoke

RISK_WHEN = "    when: {question: data.personal, equals: yes}\n    likelihood:\n      base: 2"


def questionnaire(tmp_path, when: str, named: list[str] = ()) -> tuple:
    text = MINI.read_text(encoding="utf-8")
    assert RISK_WHEN in text
    text = text.replace(RISK_WHEN, when + "\n    likelihood:\n      base: 2")
    if named:
        text = text.replace("sources:\n", "conditions:\n" + "".join(f"{line}\n" for line in named) + "sources:\n", 1)
    path = tmp_path / "huge-condition.yaml"
    path.write_text(text, encoding="utf-8")
    return path, path.read_text(encoding="utf-8").splitlines()


def timed_validate(path):
    start = time.monotonic()
    result, _ = invoke("validate", path)
    return result, time.monotonic() - start


def test_a_condition_with_tens_of_thousands_of_tests_is_refused_quickly(tmp_path):
    tests = "".join(f"        - {{question: data.volume, at_least: {i}}}\n" for i in range(20_000))
    path, lines = questionnaire(tmp_path, "    when:\n      any:\n" + tests.rstrip("\n"))
    row = lines.index("      any:") + 1
    result, seconds = timed_validate(path)
    assert result.exit_code == 2, result.output
    assert error_lines(result) == [
        f"error: {path}:{row}:7: risks[0].when: this condition has more than {conditions.MAX_TESTS} question tests "
        f"(counting those in the named conditions it uses); the limit is {conditions.MAX_TESTS}"]
    # reading the YAML of 20,000 tests takes most of it (1-5 s); before the limit, validate took 46 s or more
    assert seconds < 15, f"validate took {seconds:.1f} s"


def test_named_conditions_that_double_at_each_step_are_refused_at_once(tmp_path):
    """2**40 tests once written out: a child process with a time limit, as without the limits it never ends."""
    named = ["  c0: {any: [{question: data.volume, at_least: 1}, {question: data.volume, at_most: 0}]}"]
    named += [f"  c{i}: {{any: [{{condition: c{i - 1}}}, {{condition: c{i - 1}}}]}}" for i in range(1, 40)]
    path, lines = questionnaire(tmp_path, "    when: {condition: c39}", named)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RISK_CLI_CACHE_DIR": "off"}
    start = time.monotonic()
    try:
        done = subprocess.run([sys.executable, "-m", "risk_cli", "validate", str(path)], capture_output=True, text=True,
                              env=env, timeout=15)
    except subprocess.TimeoutExpired:
        pytest.fail("validate still running after 15 s")
    seconds = time.monotonic() - start
    assert seconds < 15, f"validate took {seconds:.1f} s"  # a child process: start-up included; without the limits it never ends
    assert done.returncode == 2, done.stderr
    [line] = [x for x in done.stderr.splitlines() if x.startswith("error: ")]  # once, where the first too big is defined: not again for each built on it
    assert line.startswith(f"error: {path}:") and ": conditions.c" in line and "this condition is nested more than 10" in line


def test_conditions_within_the_limits_are_fine(tmp_path):
    tests = "".join(f"        - {{question: data.volume, at_least: {i}}}\n" for i in range(conditions.MAX_TESTS))
    path, _ = questionnaire(tmp_path, "    when:\n      any:\n" + tests.rstrip("\n"))
    result, _ = invoke("validate", path)
    assert result.exit_code == 0, result.output
