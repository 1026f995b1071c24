"""`risk-cli convert SURVEY.json -o questionnaire.yaml`: a SurveyJS survey following the AIA's
conventions (readers.surveyjs) written as a format-2 points questionnaire, checked by
catalogue.read_points before anything is written; every construct not mapped is one warning."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from risk_cli.errors import InputProblems, RiskCliError, exit_code

if TYPE_CHECKING:
    from risk_cli.output.console import Console

MAX_BYTES = 20 * 1024 * 1024


@dataclass
class Converted:
    questions: int = 0
    conditions: int = 0
    maximums: dict = field(default_factory=dict)
    notes: int = 0
    closing: tuple[str, ...] = ()

    @property
    def exit_code(self) -> int:
        return int(exit_code())


def default_id(output: Path) -> str:
    stem = re.sub(r"[^a-z0-9]+", "-", output.stem.lower()).strip("-")
    return stem if stem and stem[0].isalnum() else "converted-survey"


def run(survey_path: str, output: str, qid: Optional[str], version: str, force: bool, console: "Console") -> Converted:
    from risk_cli import safe_yaml
    from risk_cli.catalogue import read_points
    from risk_cli.fileio import atomic_write_text, check_writable
    from risk_cli.model import points
    from risk_cli.model.answers import dump_yaml
    from risk_cli.readers import surveyjs

    out = Path(output)
    check_writable(out, force)
    try:
        raw = Path(survey_path).read_bytes()
    except OSError as exc:
        raise RiskCliError(f"{survey_path}: cannot read ({exc.strerror or exc})") from None
    if len(raw) > MAX_BYTES:
        raise RiskCliError(f"{survey_path}: larger than {MAX_BYTES // (1024 * 1024)} MB; not a survey")
    try:
        survey = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise RiskCliError(f"{survey_path}: not a JSON survey ({exc})") from None
    name = qid or default_id(out)
    if not read_points.ID.match(name) or not re.match(r"[a-z0-9][a-z0-9-]*$", name):
        raise RiskCliError(f"--id {name!r}: a questionnaire id is lower case letters, digits and -")
    data, notes, converter = surveyjs.convert(survey, name, version)
    for note in notes:
        console.warn(f"{survey_path}: {note}")
    if data is None:
        raise RiskCliError(f"{survey_path}: nothing in it could be converted to a questionnaire")
    text = (f"# Converted by risk-cli convert from {Path(survey_path).name} (SurveyJS). Check the warnings\n"
            f"# it printed: they list what was not carried over.\n"
            + dump_yaml(data))
    doc = safe_yaml.loads(text, str(out))
    errors, _ = read_points.validate(doc)
    if errors:
        raise InputProblems(errors)
    qn = read_points.load_document(doc)
    atomic_write_text(out, text, force)
    maxima = points.maximums(qn)
    uncounted = points.uncounted_maximums(qn)
    console.info(f"{out}: {len(qn.questions)} questions ({sum(1 for q in qn.questions if q.total)} scored), "
                 f"{converter.conditions} conditions; maximums: "
                 + ", ".join(f"{t} {uncounted[t]}" + (f" -> {maxima[t]:g}" if maxima[t] != uncounted[t] else "")
                             for t in maxima)
                 + (f"; {len(notes)} construct(s) not mapped (warnings above)" if notes else ""))
    return Converted(len(qn.questions), converter.conditions, maxima, len(notes))
