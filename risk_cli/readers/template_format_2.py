"""A filled format-2 template (writers/template_format_2) as the answers file it stands for.

The cells are read exactly as a format-1 template's are (readers.template.read: the metadata and
its checksum, rows still in place, formulas refused at their cell, choice labels matched in the
template's language, ticks), so every problem names its file, sheet, cell and question id. What
it read becomes the parsed answers file `readers.format_2_inputs.from_document` checks against the
questionnaire the template names, as for any other format-2 input.
"""

from __future__ import annotations

from risk_cli import safe_yaml
from risk_cli.errors import Problem
from risk_cli.readers.template import TemplateAnswers


def document(raw: TemplateAnswers, file: str) -> tuple[safe_yaml.Document, list[Problem]]:
    """The answers file (as parsed) and the warnings: a note is not kept in a format-2 answers
    file, so each one given is named."""
    answers: dict[str, object] = {}
    marks: dict[tuple, tuple[int, int]] = {}
    warnings = list(raw.warnings)
    for qid, answer in raw.values.items():
        if answer.value is not None:
            answers[qid] = answer.value
        if answer.note:
            cell = raw.note_cells.get(qid, "")
            warnings.append(Problem(file, f"the note to {qid} is not kept (answers to a {raw.model} questionnaire "
                                          "have no notes)", where=f"{raw.sheet}!{cell}" if cell else raw.sheet))
    data: dict[str, object] = {"questionnaire": {"id": raw.questionnaire_id, "version": raw.questionnaire_version},
                               "language": raw.language, "answers": answers}
    if raw.assessed_on:
        data["assessed_on"] = raw.assessed_on
    return safe_yaml.Document(f"{file} [{raw.sheet}]", data, marks), warnings
