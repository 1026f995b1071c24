"""risk-cli batch: many inputs, one register each, a summary, bad inputs reported, same result for any --jobs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import MINI, ROOT, ctrl_c_as_in_a_terminal, mini_answers, write_yaml
from risk_cli.workflows.batch import register_names

RATINGS = ["Residual Extreme", "Residual High", "Residual Moderate", "Residual Low"]


def sheet_rows(path: Path, sheet: str) -> list[dict]:
    wb = openpyxl.load_workbook(path, data_only=True)  # a register's scores: their formulas' cached values
    rows = list(wb[sheet].iter_rows(values_only=True))
    wb.close()
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def all_values(path: Path) -> dict[str, list[tuple]]:
    wb = openpyxl.load_workbook(path)
    out = {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb}
    wb.close()
    return out


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Three good inputs (two share a stem in different folders) and two bad ones."""
    d = tmp_path / "in"
    (d / "team-b").mkdir(parents=True)
    write_yaml(d / "drafter.yaml", mini_answers())
    write_yaml(d / "team-b" / "drafter.yaml", mini_answers(profile__name="Decider", profile__role="decides",
                                                           data__dpia="no"))
    write_yaml(d / "triage.yaml", mini_answers(profile__name="Triage", data__personal="no", data__dpia=None,
                                               data__kinds=None, delivery__skills="no"))
    write_yaml(d / "broken.yaml", mini_answers(data__personal="maybe", delivery__skills=None))
    (d / "spreadsheet.xlsx").write_text("name,score\nx,1\n", encoding="utf-8")
    return d


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")


def test_folder_with_good_and_bad_inputs(run, folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("batch", folder, "-o", out, "-q", MINI, "--jobs", "1")
    assert result.exit_code == 3, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 2
    assert f"error: {folder / 'broken.yaml'}: data.personal: 'maybe' is not an allowed answer" in errors[0]
    assert "and 1 more" in errors[0]
    assert f"{folder / 'spreadsheet.xlsx'}: is not an .xlsx workbook (a text or CSV file)" in errors[1]
    assert "Assessed 3 of 5 input(s); 2 bad." in result.stdout

    rows = sheet_rows(out / "batch-summary.xlsx", "Summary")
    assert [Path(r["File"]).relative_to(folder).as_posix() for r in rows] == [
        "broken.yaml", "drafter.yaml", "spreadsheet.xlsx", "team-b/drafter.yaml", "triage.yaml"]
    assert [r["Status"] for r in rows] == ["Bad", "OK", "Bad", "OK", "OK"]
    broken, drafter, sheet, decider, triage = rows
    assert "'maybe' is not an allowed answer" in broken["Reason"] and broken["Register"] is None
    assert drafter["Use case"] == "Reply drafter" and drafter["Organisation"] == "Department for Tests"
    assert drafter["Tier"] == "Tier 1" and drafter["Questionnaire"] == "mini 0.1.0"
    # by hand: DAT 2-1=1 x 3 = 3 low; OPS 2x3 = 6 moderate; DEL (2-1)x(2-1) = 1 low
    assert [drafter[c] for c in RATINGS] == [0, 0, 1, 2]
    assert (drafter["Worst residual risk"], drafter["Worst residual score"], drafter["Worst residual rating"]) == (
        "AI-OPS-001", 6, "Moderate")
    assert drafter["Appetite breaches"] == 0
    # decides, no DPIA: DAT (2+2)x3 = 12 high, above averse (3); OPS (2+2)x3 = 12 high, above cautious (9)
    assert decider["Tier"] == "Tier 3" and [decider[c] for c in RATINGS] == [0, 2, 0, 1]
    assert decider["Appetite breaches"] == 2 and decider["Risks above appetite"] == "AI-DAT-001, AI-OPS-001"
    assert triage["Risks"] == 2 and triage["Worst residual risk"] == "AI-OPS-001"
    # the colliding stems gained their folder names
    assert {drafter["Register"], decider["Register"], triage["Register"]} == {
        "in-drafter-register.xlsx", "team-b-drafter-register.xlsx", "triage-register.xlsx"}
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["batch-summary.xlsx", "in-drafter-register.xlsx", "team-b-drafter-register.xlsx", "triage-register.xlsx"])

    for row in (drafter, decider, triage):  # every good register is written and readable
        register = sheet_rows(out / row["Register"], "Risk register")
        assert len(register) == row["Risks"]
        assert sorted(r["Residual score"] for r in register)[-1] == row["Worst residual score"]
        summary = all_values(out / row["Register"])["Summary"]
        assert summary[0][0] == f"AI use case risk register: {row['Use case']}"

    problems = sheet_rows(out / "batch-summary.xlsx", "Problems")
    assert [Path(p["File"]).name for p in problems] == ["broken.yaml", "broken.yaml", "spreadsheet.xlsx"]
    assert "delivery.skills: missing answer" in problems[1]["Problem"]
    about = dict(r[:2] for r in all_values(out / "batch-summary.xlsx")["About"] if r[0])
    assert (about["Inputs"], about["Assessed"], about["Bad inputs"]) == (5, 3, 2)


def test_same_results_whatever_the_number_of_jobs(run, folder: Path, tmp_path: Path) -> None:
    for n in range(6):  # enough inputs that two processes both get work
        write_yaml(folder / f"extra-{n}.yaml", mini_answers(profile__name=f"Use case {n}",
                                                            data__volume=n * 40_000, delivery__skills="no"))
    one, two = tmp_path / "one", tmp_path / "two"
    r1 = run("batch", folder, "-o", one, "-q", MINI, "--jobs", "1")
    r2 = run("batch", folder, "-o", two, "-q", MINI, "--jobs", "2")
    assert r1.exit_code == r2.exit_code == 3
    assert r1.stderr == r2.stderr
    assert r1.stdout.replace(str(one), "OUT") == r2.stdout.replace(str(two), "OUT")
    assert all_values(one / "batch-summary.xlsx") == all_values(two / "batch-summary.xlsx")
    names = sorted(p.name for p in one.iterdir())
    assert names == sorted(p.name for p in two.iterdir()) and len(names) == 10
    for name in names:
        assert all_values(one / name) == all_values(two / name), name


def test_no_progress_bar_without_a_terminal(run, folder: Path, tmp_path: Path) -> None:
    (folder / "broken.yaml").unlink()
    (folder / "spreadsheet.xlsx").unlink()
    result = run("batch", folder, "-o", tmp_path / "out", "-q", MINI, "--jobs", "2")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""  # no bar, not even its label
    quiet = run("batch", folder, "-o", tmp_path / "quiet", "-q", MINI, "--quiet")
    assert quiet.exit_code == 0 and quiet.stdout == "" and quiet.stderr == ""


def test_progress_bar_on_a_terminal(folder: Path, tmp_path: Path) -> None:
    """With stderr on a real (pseudo) terminal the bar is drawn; --quiet hides it."""
    import pty

    def stderr_of(*extra: str) -> str:
        leader, follower = pty.openpty()
        proc = subprocess.run([sys.executable, "-m", "risk_cli", "batch", str(folder), "-o", str(tmp_path / extra[0]),
                               "-q", str(MINI), "--jobs", "1", *extra[1:]], stderr=follower, stdout=subprocess.PIPE,
                              stdin=subprocess.DEVNULL, cwd=ROOT, timeout=60)
        os.close(follower)
        chunks = []
        while True:
            try:
                data = os.read(leader, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        os.close(leader)
        assert proc.returncode == 3
        return b"".join(chunks).decode()

    shown = stderr_of("bar")
    assert "Assessing" in shown and "5/5" in shown
    hidden = stderr_of("nobar", "--quiet")
    assert "Assessing" not in hidden and "error:" in hidden


def test_json_lines(run, folder: Path, tmp_path: Path) -> None:
    result = run("batch", folder, "-o", tmp_path / "out", "-q", MINI, "--format", "json", "--jobs", "1")
    assert result.exit_code == 3
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(x["file"]).name for x in lines] == ["broken.yaml", "drafter.yaml", "spreadsheet.xlsx",
                                                     "drafter.yaml", "triage.yaml"]
    broken, drafter = lines[0], lines[1]
    assert broken["status"] == "bad" and broken["register"] is None and len(broken["problems"]) == 2
    assert drafter["status"] == "ok" and drafter["kind"] == "answers"
    assert drafter["residual_counts"] == {"extreme": 0, "high": 0, "moderate": 1, "low": 2}
    assert drafter["worst"] == {"id": "AI-OPS-001", "score": 6, "rating": "Moderate"}
    assert drafter["tier"] == {"level": 1, "label": "Tier 1"}
    assert Path(drafter["register"]).is_file()
    assert lines[3]["breach_ids"] == ["AI-DAT-001", "AI-OPS-001"] and lines[3]["appetite_breaches"] == 2


def test_fail_on_and_its_precedence(run, folder: Path, tmp_path: Path) -> None:
    # bad inputs and a --fail-on hit: bad inputs win (3), and the hit is still reported
    both = run("batch", folder, "-o", tmp_path / "a", "-q", MINI, "--fail-on", "high")
    assert both.exit_code == 3
    assert "--fail-on high: 1 input(s)" in both.stderr and "AI-DAT-001, AI-OPS-001" in both.stderr
    (folder / "broken.yaml").unlink()
    (folder / "spreadsheet.xlsx").unlink()
    hit = run("batch", folder, "-o", tmp_path / "b", "-q", MINI, "--fail-on", "High")
    assert hit.exit_code == 1
    assert sheet_rows(tmp_path / "b" / "batch-summary.xlsx", "Summary")[1]["At or above High"] == "AI-DAT-001, AI-OPS-001"
    below = run("batch", folder, "-o", tmp_path / "c", "-q", MINI, "--fail-on", "extreme")
    assert below.exit_code == 0
    wrong = run("batch", folder, "-o", tmp_path / "d", "-q", MINI, "--fail-on", "severe")
    assert wrong.exit_code == 2 and "not a rating" in wrong.stderr
    assert not (tmp_path / "d").exists()


def test_refuses_to_overwrite_without_force(run, folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("batch", folder, "-o", out, "-q", MINI).exit_code == 3
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    again = run("batch", folder, "-o", out, "-q", MINI)
    assert again.exit_code == 2
    clashes = again.stderr.splitlines()
    assert len(clashes) == 4 and all(line.endswith("already exists; use --force to replace it") for line in clashes)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # nothing touched
    forced = run("batch", folder, "-o", out, "-q", MINI, "--force")
    assert forced.exit_code == 3
    assert sorted(p.name for p in out.iterdir()) == sorted(before)


def test_outputs_inside_the_input_folder_are_not_inputs(run, folder: Path) -> None:
    out = folder / "registers"
    assert run("batch", folder, "-o", out, "-q", MINI).exit_code == 3
    again = run("batch", folder, "-o", out, "-q", MINI, "--force", "--format", "json")
    assert len(again.stdout.splitlines()) == 5  # its own registers and summary are not read back in


def test_registers_are_inputs_too(run, folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run("batch", folder, "-o", out, "-q", MINI)
    again = run("batch", out / "triage-register.xlsx", out / "batch-summary.xlsx", "-o", tmp_path / "again",
                "-q", MINI, "--format", "json")
    assert again.exit_code == 3
    register, summary = [json.loads(line) for line in again.stdout.splitlines()]
    assert register["kind"] == "register" and register["use_case"] == "Triage"
    assert summary["status"] == "bad"
    assert all_values(out / "triage-register.xlsx")["Risk register"] == \
        all_values(tmp_path / "again" / "triage-register.xlsx")["Risk register"]


def test_filled_templates_are_inputs(run, tmp_path: Path) -> None:
    from tests.template_fill import fill, make_template

    d = tmp_path / "returns"
    d.mkdir()
    template = make_template(run, tmp_path / "blank.xlsx")
    fill(template, d / "reply-drafter.xlsx")
    write_yaml(d / "triage.yaml", mini_answers(profile__name="Triage"))
    result = run("batch", d, "-o", tmp_path / "out", "-q", MINI, "--format", "json")
    assert result.exit_code == 0, result.stderr
    filled, answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert filled["kind"] == "template" and filled["use_case"] == "Reply drafter"
    assert filled["residual_counts"] == {"extreme": 0, "high": 0, "moderate": 1, "low": 2}  # as mini_answers()
    assert answers["kind"] == "answers"
    assert sheet_rows(tmp_path / "out" / "reply-drafter-register.xlsx", "Risk register")[0]["Risk ID"] == "AI-DAT-001"


def test_nothing_to_assess(run, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run("batch", tmp_path / "empty", tmp_path / "missing.yaml", "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert "folder holds no answers files" in result.stderr and "missing.yaml: no such file" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_missing_input_is_reported_and_the_rest_assessed(run, folder: Path, tmp_path: Path) -> None:
    result = run("batch", folder / "drafter.yaml", tmp_path / "nope.yaml", "-o", tmp_path / "out", "-q", MINI)
    assert result.exit_code == 3
    assert f"error: {tmp_path / 'nope.yaml'}: no such file or folder" in result.stderr
    assert (tmp_path / "out" / "drafter-register.xlsx").is_file()


def test_register_names_are_unique_and_deterministic() -> None:
    files = [Path("/x/a/answers.yaml"), Path("/x/b/answers.yaml"), Path("/x/b/Answers.xlsx"),
             Path("/x/c/one.yaml"), Path("/y/c/one.yaml"), Path("/x/b-answers.yaml")]
    names = register_names(files)
    assert len({n.casefold() for n in names}) == len(names)
    assert names[0] == "a-answers-register.xlsx" and names[3] == "x-c-one-register.xlsx"
    assert names == register_names(files)
    assert register_names([Path("/only/one.yaml")]) == ["one-register.xlsx"]


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="needs process groups")
def test_ctrl_c_stops_cleanly(tmp_path: Path) -> None:
    """SIGINT to the whole process group (what Ctrl-C does): exit 130, no traceback, only whole files."""
    d = tmp_path / "in"
    d.mkdir()
    total = 1000  # far more than can be assessed before the interrupt lands, so it always lands mid-batch
    for n in range(total):
        write_yaml(d / f"case-{n:04}.yaml", mini_answers(profile__name=f"Case {n}"))
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "risk_cli", "batch", str(d), "-o", str(out), "-q", str(MINI),
                             "--jobs", "2"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True, preexec_fn=ctrl_c_as_in_a_terminal)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (out.is_dir() and any(out.glob("*-register.xlsx"))):
        time.sleep(0.02)
    assert proc.poll() is None, "the batch finished before the interrupt was sent"
    os.killpg(proc.pid, signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    text = stderr.decode()
    assert proc.returncode == 130, text
    assert "Traceback" not in text and "interrupted after" in text
    assert not (out / "batch-summary.xlsx").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary files left
    written = sorted(out.glob("*-register.xlsx"))
    assert 0 < len(written) < total
    for p in written[-3:]:
        openpyxl.load_workbook(p).close()  # complete, readable workbooks
