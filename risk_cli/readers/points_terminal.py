"""The interview for a format-2 questionnaire (points or rated model: both have the same sections
and questions): each shown question in turn, its choices numbered,
the answers saved after every one. Plain prompts (click), so it runs wherever a terminal does."""

from __future__ import annotations

from typing import Any, Callable

import click

from risk_cli.model import points
from risk_cli.model.points import PointsQuestionnaire
from risk_cli.model.text import in_language


def ask(qn: PointsQuestionnaire, start: dict[str, Any], save: Callable[[dict[str, Any]], None],
        echo: Callable[[str], None], err: bool = False, lang: str = "en") -> dict[str, Any]:
    """Ask every question shown for the answers so far (a later answer can show more); an empty
    reply leaves a question unanswered."""
    values = dict(start)
    done: set[str] = set(values)
    while True:
        pending = [qid for qid in points.visible(qn, values) if qid not in done]
        if not pending:
            return values
        q = qn.question(pending[0])
        assert q is not None
        done.add(q.id)
        echo("")
        echo(in_language(q.text, lang))
        if in_language(q.help, lang):
            echo("  " + in_language(q.help, lang))
        if q.type == "text":
            reply = click.prompt("Answer (Enter to skip)", default="", show_default=False, err=err)
            if reply.strip():
                values[q.id] = reply.strip()
        else:
            for i, c in enumerate(q.choices, 1):
                echo(f"  {i}. {in_language(c.label, lang)}")
            hint = "numbers separated by commas" if q.type == "multi" else "a number"
            while True:
                reply = click.prompt(f"Choose ({hint}; Enter to skip)", default="", show_default=False, err=err)
                picked = _pick(reply, len(q.choices), q.type == "multi")
                if picked is not None:
                    break
                echo(f"  Type {hint} from 1 to {len(q.choices)}.")
            if picked:
                ids = [q.choices[i - 1].id for i in picked]
                values[q.id] = ids if q.type == "multi" else ids[0]
        save(values)


def _pick(reply: str, n: int, many: bool) -> list[int] | None:
    parts = [p.strip() for p in reply.split(",") if p.strip()]
    if not parts:
        return []
    if not many and len(parts) > 1:
        return None
    try:
        numbers = [int(p) for p in parts]
    except ValueError:
        return None
    if any(not 1 <= x <= n for x in numbers):
        return None
    return list(dict.fromkeys(numbers))
