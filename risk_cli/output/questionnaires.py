"""The bundled questionnaires as a table for people or a JSON list."""

from __future__ import annotations

import json
from typing import Any

from risk_cli.output.formats import Formats, OutputFormat, Rendering


def table(rows: list[dict[str, Any]]) -> str:
    from tabulate import tabulate

    return tabulate([[r["id"], r["version"], r["title"], r["model"], r["questions"], r["risks"],
                      ", ".join(r["languages"])] for r in rows],
                    headers=["Id", "Version", "Title", "Model", "Questions", "Risks", "Languages"])


FORMATS: Formats[list[dict[str, Any]]] = Formats(
    Rendering("text", OutputFormat.TEXT, table, "a table: id, version, title, model, questions, risks and languages"),
    Rendering("json", OutputFormat.JSON, lambda rows: json.dumps(rows, indent=2),
              "a list with the same fields, for tools"),
)
