"""Inputs for a format-2 questionnaire (the points and rated models), as batch, import,
portfolio and report receive them: an answers file, or a workbook risk-cli wrote for one (its
hidden data sheet holds the answers file). `readers.inputs.read_checked` hands them back as
`Checked.format_2`, so every command reads them one way.

Which questionnaire they are for is `catalogue.versions.Versions.format_2_for`'s choice: the one
-q names, else the bundled one whose id and exact version the answers give.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Union

from risk_cli import safe_yaml
from risk_cli.model import points, rated
from risk_cli.model.points import PointsQuestionnaire
from risk_cli.model.rated import RatedQuestionnaire

Format2 = Union[PointsQuestionnaire, RatedQuestionnaire]


@dataclass(frozen=True)
class Format2Answers:
    """Checked answers to a format-2 questionnaire."""

    path: Path
    kind: str  # "answers", "register" (a workbook risk-cli wrote) or "template"
    questionnaire: Format2
    values: dict[str, Any]
    language: Optional[str] = None  # the language they were given in, when recorded
    assessed_on: str = ""

    @property
    def is_rated(self) -> bool:
        return isinstance(self.questionnaire, RatedQuestionnaire)

    @property
    def lang(self) -> str:
        """The language to show its texts in when the user asks for none."""
        return self.language or self.questionnaire.default_language

    def unanswered(self) -> tuple[str, ...]:
        """The shown single-choice questions these answers leave blank (model.points.unanswered)."""
        return points.unanswered(self.questionnaire, self.values, points.visible(self.questionnaire, self.values))  # type: ignore[arg-type]

    def outcome(self) -> "points.Outcome | rated.Outcome":
        """Scored with the questionnaire's own model."""
        if isinstance(self.questionnaire, RatedQuestionnaire):
            return rated.assess(self.questionnaire, self.values)
        return points.score(self.questionnaire, self.values)


def from_document(doc: safe_yaml.Document, qn: Format2, path: Path, kind: str = "answers") -> Format2Answers:
    """The answers in a parsed answers file, checked against `qn`; InputProblems with every problem."""
    from risk_cli.readers import points_answers

    values, language = points_answers.from_document(doc, qn)  # type: ignore[arg-type]
    data = doc.data if isinstance(doc.data, dict) else {}
    return Format2Answers(path, kind, qn, values, language, str(data.get("assessed_on") or ""))


def answers_yaml(answers: Format2Answers) -> str:
    """The answers file for these answers: what `risk-cli assess -q ID --answers FILE` reads."""
    from risk_cli.readers import points_answers

    return points_answers.to_yaml(answers.questionnaire, answers.values, answers.language, answers.assessed_on)
