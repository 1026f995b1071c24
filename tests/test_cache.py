"""The questionnaire cache (risk_cli.catalogue.cache): a hit gives the very same questionnaire without
parsing YAML; anything wrong with the cache is ignored and never fails a run or changes it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from risk_cli.model import answers as answers_mod
from risk_cli import safe_yaml
from risk_cli.output import register as report
from risk_cli.catalogue import bundled
from risk_cli.catalogue import cache
from risk_cli.catalogue import loader
from risk_cli.model import scoring
from risk_cli.model.answers import Answer, Answers
from risk_cli.errors import InputProblems
from tests.conftest import MINI, ROOT, mini_answers, write_yaml
from tests.test_samples import values as register_values

BUNDLED = ROOT / "questionnaires" / "uk-public-sector-ai-1.1.0.yaml"  # the newest version
SAMPLE = ROOT / "sample_outputs" / "council-chatbot-answers.yaml"


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    """The disk cache in a folder of the test's own; the in-process layer is off, so every load
    goes to the disk cache (or the file) as it does in a new process."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV, str(folder))
    monkeypatch.setattr(cache, "remembered", lambda path, label, load: load())
    return folder


def test_a_process_parses_a_questionnaire_once_and_again_after_an_edit(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV, "off")
    monkeypatch.setattr(cache, "_MEMORY", {})
    path = tmp_path / "q.yaml"
    path.write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
    first = loader.load(path)
    refuse_yaml(monkeypatch)
    assert loader.load(path) is first  # not parsed again
    monkeypatch.undo()
    monkeypatch.setenv(cache.ENV, "off")
    path.write_text(MINI.read_text(encoding="utf-8").replace("version: 0.1.0", "version: 0.1.1"), encoding="utf-8")
    assert loader.load(path).version == "0.1.1"  # an edited file is read again


def refuse_yaml(monkeypatch, questionnaire: str = "") -> None:
    """From here on, parsing a questionnaire's YAML (any YAML, unless `questionnaire` names the
    file) fails the test: its load must come from the cache."""
    parse = safe_yaml.loads

    def loads(text: str, name: str):
        if questionnaire in name:
            pytest.fail(f"{name} was parsed: not a cache hit")
        return parse(text, name)

    monkeypatch.setattr(safe_yaml, "loads", loads)


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"{cache.PREFIX}*{cache.SUFFIX}"))


def mini_scores(qn, **overrides) -> dict:
    doc = mini_answers(**overrides)
    values = {**doc["profile"], **doc["answers"]}
    raw = Answers("mini", "0.1.0", "", {k: Answer(v) for k, v in values.items()}, "2026-11-27")
    clean, errors, _ = answers_mod.check(qn, raw, "a.yaml", complete=False)
    assert errors == []
    return report.to_dict(scoring.assess(qn, clean))


def copy_of_mini(tmp_path: Path) -> Path:
    path = tmp_path / "q.yaml"
    path.write_bytes(MINI.read_bytes())
    return path


def test_a_hit_gives_the_same_questionnaire_without_parsing_yaml(cache_dir, monkeypatch):
    parsed = loader.load(MINI)
    assert len(entries(cache_dir)) == 1
    refuse_yaml(monkeypatch)
    cached = loader.load(MINI)
    assert cached == parsed and cached.sha256 == parsed.sha256 and cached.path == parsed.path
    for overrides in ({}, {"data__personal": "dont_know"}, {"data__dpia": "no", "delivery__skills": "no"}):
        assert mini_scores(cached, **overrides) == mini_scores(parsed, **overrides)


def test_the_bundled_questionnaire_is_the_same_from_the_cache(cache_dir, monkeypatch):
    parsed = loader.load(BUNDLED)
    refuse_yaml(monkeypatch)
    cached = loader.load(BUNDLED)
    assert cached == parsed and cached.sha256 == parsed.sha256


def test_the_cli_writes_the_same_register_and_summary_from_the_cache(tmp_path, cache_dir, run, monkeypatch):
    monkeypatch.setattr(cache, "_MEMORY", {})  # no copy kept in this process: each run loads the file
    outputs = []
    for i in range(2):
        out = tmp_path / f"r{i}.xlsx"
        result = run("assess", "--answers", SAMPLE, "--no-input", "-o", out)
        assert result.exit_code == 0, result.output
        outputs.append((result.stdout, register_values(out)))
        cache.forget()
        assert len(entries(cache_dir)) == 1 < len(bundled.catalogue())  # only the version used is parsed: the others' headers tell their versions
        refuse_yaml(monkeypatch, "uk-public-sector-ai")  # the second run must hit the cache (answers are still YAML)
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize("content", [
    b"", b"not json at all", b"\xff\xfe\x00", b"[1, 2, 3]", b'{"data": {"id": "x"}}',
    b'{"kind": "risk-cli parsed questionnaire", "tool": "0.0.0", "format": 1, "revision": 1, "data": {}}',
    b"[" * 100_000 + b"]" * 100_000,
], ids=["empty", "text", "binary", "list", "no-stamp", "other-version", "deep"])
def test_a_corrupt_cache_file_is_ignored_and_replaced(cache_dir, content):
    expected = loader.load(MINI)
    [entry] = entries(cache_dir)
    entry.write_bytes(content)
    assert loader.load(MINI) == expected
    stored = json.loads(entry.read_text(encoding="utf-8"))
    assert stored["data"] == safe_yaml.load(MINI).data


def test_cached_data_that_fails_the_checks_is_read_again_from_the_file(cache_dir):
    expected = loader.load(MINI)
    [entry] = entries(cache_dir)
    stored = json.loads(entry.read_text(encoding="utf-8"))
    stored["data"]["version"] = "not a version"
    entry.write_text(json.dumps(stored), encoding="utf-8")
    assert loader.load(MINI) == expected  # the file is the truth, not the cache


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="no file owners to compare")
def test_a_cache_file_owned_by_someone_else_is_not_trusted(cache_dir, monkeypatch):
    loader.load(MINI)
    raw = MINI.read_bytes()
    assert cache.lookup(raw, loader.FORMAT) is not None
    monkeypatch.setattr(cache.os, "getuid", lambda: os.stat(cache_dir).st_uid + 1)
    assert cache.lookup(raw, loader.FORMAT) is None


def test_the_cache_is_keyed_by_content(tmp_path, cache_dir):
    path = copy_of_mini(tmp_path)
    before = loader.load(path)
    data = safe_yaml.load(path).data
    data["title"] = "Edited title"
    write_yaml(path, data)
    after = loader.load(path)
    assert (before.title, after.title) == ("Mini test questionnaire", "Edited title")
    assert after.sha256 != before.sha256
    assert len(entries(cache_dir)) == 2
    assert loader.load(path) == after


def test_the_tool_version_is_part_of_the_key(cache_dir, monkeypatch):
    loader.load(MINI)
    monkeypatch.setattr(cache, "__version__", "99.0.0")
    assert cache.lookup(MINI.read_bytes(), loader.FORMAT) is None
    loader.load(MINI)
    assert len(entries(cache_dir)) == 2


def test_a_questionnaire_with_errors_is_never_cached(tmp_path, cache_dir):
    path = copy_of_mini(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("version: 0.1.0", "version: one"), encoding="utf-8")
    for _ in range(2):  # reported the same way each time, with its line, from the file
        with pytest.raises(InputProblems) as info:
            loader.load(path)
        [problem] = info.value.problems
        assert "is not a valid version" in str(problem) and problem.line == 4
    assert entries(cache_dir) == []


@pytest.mark.parametrize("where", ["under-a-file", "is-a-file"])
def test_an_unwritable_cache_folder_is_harmless(tmp_path, monkeypatch, run, where):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")
    monkeypatch.setenv(cache.ENV, str(blocker / "cache" if where == "under-a-file" else blocker))
    assert loader.load(MINI) == loader.load(MINI)
    answers = write_yaml(tmp_path / "a.yaml", mini_answers())
    out = tmp_path / "r.xlsx"
    result = run("assess", "-q", MINI, "--answers", answers, "--no-input", "-o", out)
    assert result.exit_code == 0, result.output
    assert out.exists() and "warning" not in result.stderr
    assert blocker.read_text() == "a file, not a folder"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root may write anywhere")
def test_a_read_only_cache_folder_is_harmless(tmp_path, monkeypatch):
    folder = tmp_path / "ro"
    folder.mkdir(mode=0o500)
    monkeypatch.setenv(cache.ENV, str(folder))
    try:
        assert loader.load(MINI) == loader.load(MINI)
        assert entries(folder) == []
    finally:
        folder.chmod(0o700)


def test_off_turns_the_cache_off(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV, "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.directory() is None
    loader.load(MINI)
    assert list(tmp_path.iterdir()) == []


def test_where_the_cache_lives(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV, str(tmp_path / "mine"))
    assert cache.directory() == tmp_path / "mine"
    monkeypatch.delenv(cache.ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.directory() == tmp_path / "xdg" / "risk-cli"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # the XDG spec says to ignore it
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.directory() == tmp_path / "home" / ".cache" / "risk-cli"
    monkeypatch.setenv(cache.ENV, "~no-such-user-here/cache")
    assert cache.directory() is None
    assert loader.load(MINI).id == "mini"  # and loading works all the same


def test_old_entries_are_pruned(cache_dir):
    cache_dir.mkdir()
    for i in range(cache.MAX_ENTRIES + 5):
        old = cache_dir / f"{cache.PREFIX}{i:064x}{cache.SUFFIX}"
        old.write_text("{}")
        os.utime(old, (1_000_000 + i, 1_000_000 + i))
    other = cache_dir / "not-ours.txt"
    other.write_text("keep")
    loader.load(MINI)
    assert len(entries(cache_dir)) == cache.MAX_ENTRIES
    assert cache.entry_path(cache_dir, MINI.read_bytes(), loader.FORMAT) in entries(cache_dir)
    assert other.read_text() == "keep"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_pipe_in_place_of_an_entry_does_not_hang_the_run(cache_dir):
    cache_dir.mkdir()
    os.mkfifo(cache.entry_path(cache_dir, MINI.read_bytes(), loader.FORMAT))
    assert loader.load(MINI).id == "mini"
