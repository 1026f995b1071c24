"""Files that are not regular files: a symlink to /dev/zero, a FIFO, a process substitution.

Size limits hold only if the file is a regular one whose bytes are counted as they are read:
/dev/zero never ends, a FIFO blocks the open until someone writes to it, and /dev/fd/N (bash's
`<(...)`) is a pipe. Each is refused in one line naming it, before it is opened, by every
command that reads answers or questionnaires. These run the real CLI in a child process, with a
time limit and a memory cap, so a regression shows as a failure, not a hung or swapped machine.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import MINI, ROOT, mini_answers, write_yaml

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo") or not Path("/dev/zero").exists(),
                                reason="needs FIFOs and /dev/zero (POSIX)")

TIMEOUT = 20  # seconds: the refusal is instant; this only catches a hang
MEMORY = 1_500_000_000  # bytes of address space: reading /dev/zero whole would pass it


def _cap() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run(argv: list, cwd: Path, pass_fds: tuple = ()) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RISK_CLI_CACHE_DIR": "off"}
    try:
        return subprocess.run([sys.executable, "-m", "risk_cli", *[str(a) for a in argv]], cwd=cwd, env=env,
                              capture_output=True, text=True, timeout=TIMEOUT, preexec_fn=_cap, pass_fds=pass_fds)
    except subprocess.TimeoutExpired:
        pytest.fail(f"risk-cli {' '.join(map(str, argv))} still running after {TIMEOUT} s (blocked on the file?)")


def zero_link(d: Path, name: str) -> Path:
    path = d / name
    path.symlink_to("/dev/zero")
    return path


def fifo(d: Path, name: str) -> Path:
    path = d / name
    os.mkfifo(path)
    return path


MAKERS = {"zero": (zero_link, "a device"), "fifo": (fifo, "a pipe or FIFO")}

# (name, argv for input f in work folder w with good answers g, exit code, error suffix, trailer lines)
COMMANDS = [
    ("assess --answers", lambda f, w, g: ["assess", "-q", MINI, "--answers", f, "--no-input", "-o", w / "out.xlsx"],
     2, "", []),
    ("assess --previous", lambda f, w, g: ["assess", "-q", MINI, "--answers", g, "--no-input", "--previous", f,
                                           "-o", w / "out.xlsx"], 2, "", []),
    ("import", lambda f, w, g: ["import", f, "-q", MINI, "-o", w / "out"], 2, "", []),
    ("batch", lambda f, w, g: ["batch", f, "-q", MINI, "-o", w / "out", "--jobs", "1", "--quiet"], 3, "", []),
    ("portfolio", lambda f, w, g: ["portfolio", f, "-q", MINI, "-o", w / "out.xlsx"], 2, " (skipped)",
     ["error: no use case could be read from the inputs; nothing written"]),
]
QUESTIONNAIRE_COMMANDS = [
    ("validate", lambda f, w, g: ["validate", f], 2),
    ("assess -q", lambda f, w, g: ["assess", "-q", f, "--answers", g, "--no-input", "-o", w / "out.xlsx"], 2),
    ("template -q", lambda f, w, g: ["template", "-q", f, "-o", w / "out.xlsx"], 2),
]


def errors(proc: subprocess.CompletedProcess) -> list[str]:
    return [line for line in proc.stderr.splitlines() if line.startswith(("error: ", "internal error"))]


@pytest.mark.parametrize("suffix", [".yaml", ".xlsx"])
@pytest.mark.parametrize("maker", sorted(MAKERS))
@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_answer_readers_refuse_special_files(tmp_path, command, maker, suffix):
    name, argv, code, tail, trailer = command
    make, kind = MAKERS[maker]
    good = write_yaml(tmp_path / "good.yaml", mini_answers())
    bad = make(tmp_path, f"bad{suffix}")
    proc = run(argv(bad, tmp_path, good), tmp_path)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == code, proc.stderr
    assert errors(proc) == [f"error: {bad}: is not a regular file ({kind}); give an ordinary file{tail}", *trailer]
    assert not (tmp_path / "out.xlsx").exists()
    assert not list((tmp_path / "out").glob("*register.xlsx")) if (tmp_path / "out").exists() else True


@pytest.mark.parametrize("maker", sorted(MAKERS))
@pytest.mark.parametrize("command", QUESTIONNAIRE_COMMANDS, ids=[c[0] for c in QUESTIONNAIRE_COMMANDS])
def test_questionnaire_readers_refuse_special_files(tmp_path, command, maker):
    name, argv, code = command
    make, kind = MAKERS[maker]
    good = write_yaml(tmp_path / "good.yaml", mini_answers())
    bad = make(tmp_path, "questionnaire.yaml")
    proc = run(argv(bad, tmp_path, good), tmp_path)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == code, proc.stderr
    assert f"error: {bad}: is not a regular file ({kind}); give an ordinary file" in errors(proc), proc.stderr
    assert not (tmp_path / "out.xlsx").exists()


def test_process_substitution_is_refused_before_reading(tmp_path):
    """`risk-cli validate <(cat big.yaml)`: a pipe at /dev/fd/N, refused without reading it (the
    writer is never drained, so reading it would block it or read it all)."""
    read_end, write_end = os.pipe()
    try:
        os.set_blocking(write_end, False)
        try:
            os.write(write_end, b"x: " + b"a" * 60_000 + b"\n")  # fills the pipe's buffer
        except BlockingIOError:
            pass
        proc = run(["validate", f"/dev/fd/{read_end}"], tmp_path, pass_fds=(read_end,))
    finally:
        os.close(read_end)
        os.close(write_end)
    assert proc.returncode == 2, proc.stderr
    assert errors(proc) == [f"error: /dev/fd/{read_end}: is not a regular file (a pipe or FIFO); give an ordinary file"]


def test_folders_pass_over_special_files(tmp_path):
    """A FIFO or a link to /dev/zero inside a folder is not an input: the rest are read."""
    folder = tmp_path / "in"
    folder.mkdir()
    write_yaml(folder / "good.yaml", mini_answers())
    zero_link(folder, "zero.yaml")
    fifo(folder, "fifo.xlsx")
    proc = run(["import", folder, "-q", MINI, "-o", tmp_path / "out"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out" / "good-register.xlsx").exists()
