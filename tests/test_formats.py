"""Every command offers --format from its view's list (output.formats.Formats), and renders its
result in every format it lists: JSON parses, JSON lines parse line by line, text is for people."""

from __future__ import annotations

import json

import click
import pytest

from risk_cli.cli import cli
from risk_cli.output import atrs, batch, importing, portfolio, questionnaires, register
from risk_cli.output.formats import OutputFormat
from tests.conftest import MINI, ROOT, mini_answers, write_yaml

SAMPLE = ROOT / "sample_outputs" / "council-chatbot-answers.yaml"

VIEWS = {"assess": register.FORMATS, "batch": batch.FORMATS, "import": importing.FORMATS,
         "portfolio": portfolio.FORMATS, "questionnaires": questionnaires.FORMATS, "atrs": atrs.FORMATS}
DEFAULTS = {"atrs": "markdown"}  # a record is a document to read; every other command prints text
ATRS_QN = ROOT / "tests" / "fixtures" / "atrs-mini.yaml"


def arguments(command: str, tmp_path, name: str) -> list:
    answers = write_yaml(tmp_path / "a.yaml", mini_answers())
    return {
        "assess": ["assess", "--answers", SAMPLE, "--no-input"],
        "batch": ["batch", answers, "-o", tmp_path / f"out-{name}", "-q", MINI, "--jobs", "1"],
        "import": ["import", answers, "-o", tmp_path / "imported", "-q", MINI, "--dry-run"],
        "portfolio": ["portfolio", SAMPLE],
        "questionnaires": ["questionnaires"],
        "atrs": ["atrs", ROOT / "tests" / "fixtures" / "atrs-answers.yaml", "-q", ATRS_QN],
    }[command]


def test_every_command_with_a_format_option_is_listed_here():
    with_format = {name for name, command in cli.commands.items()
                   if any(p.name == "fmt" for p in command.params)}
    assert with_format == set(VIEWS)


@pytest.mark.parametrize("command", sorted(VIEWS))
def test_the_option_offers_exactly_the_formats_the_view_renders(command):
    option = next(p for p in cli.commands[command].params if p.name == "fmt")
    assert isinstance(option.type, click.Choice)
    assert list(option.type.choices) == VIEWS[command].names
    assert VIEWS[command].default == DEFAULTS.get(command, "text")
    assert option.default in (VIEWS[command].default, None)  # None: atrs prints its default only without -o


@pytest.mark.parametrize("command,name", [(c, n) for c in sorted(VIEWS) for n in VIEWS[c].names])
def test_every_command_renders_every_format_it_lists(command, name, tmp_path, run):
    result = run(*arguments(command, tmp_path, name), "--format", name)
    assert result.exit_code == 0, result.output
    kind = VIEWS[command].renderings[name].format
    if kind is OutputFormat.JSON:
        assert isinstance(json.loads(result.stdout), (dict, list))
    elif kind is OutputFormat.JSON_LINES:
        lines = result.stdout.splitlines()
        assert lines and all(isinstance(json.loads(line), dict) for line in lines)
    else:
        assert kind in (OutputFormat.TEXT, OutputFormat.MARKDOWN) and result.stdout.strip()
        with pytest.raises(ValueError):
            json.loads(result.stdout)
