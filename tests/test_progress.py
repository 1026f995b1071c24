"""The interview's progress line does not jump back as questions stop applying (issue 13, item 8).

Before, it said "question 12 of 69", then "question 13 of 67": the total shrank whenever an
answer switched questions off. Now the section is numbered among all the questionnaire's
sections (a fixed total), the question among those asked so far, and what is left is an
estimate: "Section 2 of 3: Data · question 6, about 6 to go". Driven through the real prompts.
"""

from __future__ import annotations

import re

from risk_cli.catalogue.bundled import resolve
from risk_cli.readers.terminal import progress
from tests.test_prompting import DELIVERY, DOWN, ENTER, PROFILE, Session, qn  # noqa: F401 - qn is a fixture

LINE = re.compile(r"^Section (\d+) of (\d+): (.+) · question (\d+), (?:about (\d+) to go|the last one)$")


def parsed(headers: list[str]) -> list[tuple[int, int, str, int, int]]:
    out = []
    for header in headers:
        found = LINE.match(header)
        assert found, header
        out.append((int(found[1]), int(found[2]), found[3], int(found[4]), int(found[5] or 0)))
    return out


def test_numbers_only_go_forward_when_questions_stop_applying(qn):
    s = Session(qn)
    s.run(PROFILE + DOWN + ENTER + "\r\r" + DELIVERY)  # personal data: no, so dpia and kinds drop out
    lines = parsed(s.headers)
    assert {total for _, total, _, _, _ in lines} == {3}  # the sections' total never changes
    assert [n for _, _, _, n, _ in lines] == list(range(1, 11))  # one question more each time
    assert [sec for sec, _, _, _, _ in lines] == sorted(sec for sec, _, _, _, _ in lines)
    at_personal = lines[5]
    assert s.headers[5] == "Section 2 of 3: Data · question 6, about 6 to go"
    assert at_personal[4] == 6
    # after "no", two questions no longer apply: fewer to go, never a total that went back
    assert s.headers[6] == "Section 2 of 3: Data · question 7, about 3 to go"
    assert s.headers[-1] == "Section 3 of 3: Delivery · question 10, the last one"
    assert not any(" of 12" in h or " of 10" in h for h in s.headers)


def test_the_bundled_questionnaire_counts_all_its_sections():
    questionnaire = resolve(None)
    asked = [q for q in questionnaire.questions if q.section == questionnaire.sections[0].id]
    line = progress(questionnaire, asked, 0)
    assert line == (f"Section 1 of {len(questionnaire.sections)}: {questionnaire.sections[0].title}"
                    f" · question 1, about {len(asked) - 1} to go")
