"""Shared fixtures: the small hand-checkable questionnaire and helpers to run the real CLI."""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from risk_cli.cli import cli

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini.yaml"
ROOT = Path(__file__).parent.parent


def _sample_answers(five_by_five: bool) -> list[Path]:
    """sample_outputs/ holds answers to the 5x5 questionnaire and to the rated one, each with what
    the tool writes from them; tests of 5x5-only outputs (ATRS records, 5x5 registers) take the first."""
    out = []
    for path in sorted((ROOT / "sample_outputs").glob("*-answers.yaml")):
        named = yaml.safe_load(path.read_text(encoding="utf-8")).get("questionnaire", {})
        if (named.get("id") == "uk-public-sector-ai") == five_by_five:
            out.append(path)
    return out


FIVE_BY_FIVE_SAMPLES = _sample_answers(True)  # answers to uk-public-sector-ai (the Orange Book 5x5)
RATED_SAMPLES = _sample_answers(False)  # answers to ai-data-protection-rated (the rated model)


def mini_answers(**overrides: Any) -> dict:
    """A complete, valid answers document for mini.yaml; keyword overrides replace answers."""
    answers = {
        "profile.name": "Reply drafter",
        "profile.organisation": "Department for Tests",
        "profile.owner": "Jo Bloggs",
        "profile.phase": "alpha",
        "profile.role": "supports",
        "data.personal": "yes",
        "data.dpia": "yes",
        "data.kinds": ["finance"],
        "data.volume": 5000,
        "data.note": "nothing else",
        "delivery.skills": "yes",
        "delivery.date": "2027-01-31",
    }
    return answers_document("mini", "0.1.0", "2026-11-27", answers, overrides)


def answers_document(qid: str, version: str, assessed_on: str, answers: dict, overrides: dict) -> dict:
    """An answers document: `answers` with `overrides` applied (`a__b=value` replaces answer a.b,
    None drops it), profile answers apart from the rest."""
    answers = dict(answers)
    for key, value in overrides.items():
        name = key.replace("__", ".")
        if value is None:
            answers.pop(name, None)
        else:
            answers[name] = value
    profile = {k: v for k, v in answers.items() if k.startswith("profile.")}
    rest = {k: v for k, v in answers.items() if not k.startswith("profile.")}
    return {"questionnaire": {"id": qid, "version": version}, "assessed_on": assessed_on,
            "profile": profile, "answers": rest}


class _NoAliasDumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def ctrl_c_as_in_a_terminal() -> None:
    """A `preexec_fn` for a risk-cli subprocess that a test interrupts: a shell starts background jobs
    with SIGINT ignored, and Python then keeps ignoring it (as under nohup), so the process under test
    gets Ctrl-C as it would in a terminal, wherever pytest runs."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def write_yaml(path: Path, data: Any) -> Path:
    """Write test data as YAML (never with aliases, which risk-cli refuses)."""
    path.write_text(yaml.dump(data, Dumper=_NoAliasDumper, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


_CACHE_ENV = "RISK_CLI_CACHE_DIR"
_CACHE_KEY = pytest.StashKey[str]()


_PYCACHE_KEY = pytest.StashKey[str]()


def pytest_configure(config: pytest.Config) -> None:
    """Some test modules load questionnaires at collection, before any fixture runs: point the
    questionnaire cache (risk_cli.catalogue.cache) away from the real home from the very start.

    Where PYTHONDONTWRITEBYTECODE is set, each of the suite's few hundred risk-cli subprocesses
    would compile risk_cli afresh: they share compiled bytecode in a temporary folder instead
    (PYTHONPYCACHEPREFIX), still out of the source tree. The workers inherit it."""
    config.stash[_CACHE_KEY] = tempfile.mkdtemp(prefix="risk-cli-test-cache-")
    os.environ[_CACHE_ENV] = config.stash[_CACHE_KEY]
    if os.environ.get("PYTHONDONTWRITEBYTECODE") and not os.environ.get("PYTHONPYCACHEPREFIX"):
        config.stash[_PYCACHE_KEY] = tempfile.mkdtemp(prefix="risk-cli-test-pycache-")
        del os.environ["PYTHONDONTWRITEBYTECODE"]
        os.environ["PYTHONPYCACHEPREFIX"] = config.stash[_PYCACHE_KEY]


def pytest_unconfigure(config: pytest.Config) -> None:
    for key in (_CACHE_KEY, _PYCACHE_KEY):
        shutil.rmtree(config.stash.get(key, ""), ignore_errors=True)


@pytest.fixture(autouse=True)
def _isolated_questionnaire_cache(monkeypatch: pytest.MonkeyPatch, pytestconfig: pytest.Config) -> None:
    """Tests never read or write the real user's cache; they share one temporary cache, so most
    loads in the suite are cache hits, as they are for users. A test may change it freely."""
    monkeypatch.setenv(_CACHE_ENV, pytestconfig.stash[_CACHE_KEY])


@pytest.fixture
def run():
    """Run the real CLI in-process; returns the click Result (stdout and stderr kept apart)."""
    def _run(*args: str, input: str | None = None):
        runner = CliRunner()
        return runner.invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)
    return _run


def own_formula(ws, cell) -> bool:
    """Whether `cell` is in a score or rating column of the Risk register and holds exactly the
    formula risk-cli writes there, from that row's own cells."""
    from risk_cli.writers.register import SCORED_COLUMNS, is_own_formula

    if ws.title != "Risk register":
        return False
    headers = {c.value: c.column_letter for c in ws[1] if c.value}
    header = ws.cell(1, cell.column).value
    for likelihood, impact, score, rating in SCORED_COLUMNS:
        if header in (score, rating):
            li, im, sc = (f"{headers[h]}{cell.row}" for h in (likelihood, impact, score))
            return is_own_formula(cell.value, li, im, sc, rating=header == rating)
    return False
