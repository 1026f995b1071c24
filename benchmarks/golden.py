"""Run every command over the samples and record what it printed, its exit code and the files it
wrote, so two versions of risk-cli can be compared output for output (a refactor must change none).

    python benchmarks/golden.py OUT [--tree REPO]     # record, with the risk_cli of REPO (default: this one)
    python benchmarks/golden.py --compare A B         # every difference between two recordings

Each run uses a fresh folder and relative paths, and SOURCE_DATE_EPOCH, so that two recordings
of the same code are identical. Workbooks are compared part by part (the XML inside the zip),
byte for byte, except the created and modified times openpyxl stamps into docProps/core.xml.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ["caseworker-reply-assistant", "benefit-fraud-ranking", "council-chatbot"]
MINI = "tests/fixtures/mini.yaml"


def commands() -> list[list[str]]:
    """Each command, run in order in one folder (later ones read what earlier ones wrote)."""
    out: list[list[str]] = []
    for n in SAMPLES:
        a = f"in/{n}-answers.yaml"
        out += [["assess", "--answers", a, "--no-input", "-o", f"assess/{n}.xlsx"],
                ["assess", "--answers", a, "--no-input", "--format", "json"],
                ["assess", "--answers", a, "--no-input", "--fail-on", "high"],
                ["assess", "--answers", a, "--no-input", "--fail-on", "moderate", "--format", "json"]]
    out += [
        ["assess", "--answers", f"in/{SAMPLES[0]}-answers.yaml", "--no-input", "--fail-on", "nonsense"],
        ["assess", "--answers", f"in/{SAMPLES[0]}-answers.yaml", "--no-input", "-o", f"assess/{SAMPLES[0]}.xlsx"],
        ["assess", "--answers", f"in/{SAMPLES[1]}-answers.yaml", "--no-input", "--previous",
         f"assess/{SAMPLES[0]}.xlsx", "-o", "assess/previous.xlsx", "--format", "json"],
        ["assess", "--answers", f"in/{SAMPLES[0]}-answers.yaml", "--no-input", "--previous",
         f"assess/{SAMPLES[0]}.xlsx", "-o", "assess/previous-same.xlsx"],
        ["assess", "--answers", "in/bad.yaml", "--no-input"],
        ["assess", "--no-input"],
        ["questionnaires"], ["questionnaires", "--format", "json"],
        ["validate", "questionnaires/uk-public-sector-ai-1.1.0.yaml", MINI, "in/bad.yaml"],
        ["template", "-o", "template/questionnaire.xlsx"],
        ["template", "-q", MINI, "-o", "template/mini.xlsx"],
        ["template", "-o", "template/questionnaire.xlsx"],
        ["batch", "in", "-o", "batch", "--jobs", "2"],
        ["batch", "in", "-o", "batch", "--jobs", "1", "--force", "--format", "json", "--fail-on", "extreme"],
        ["batch", "in", "-o", "batch", "--fail-on", "nonsense", "--force", "-q", "uk-public-sector-ai"],
        ["batch", "in", "-o", "batch"],
        ["import", "in", "assess", "-o", "imported"],
        ["import", "in", "assess", "-o", "imported", "--dry-run", "--format", "json"],
        ["import", "template/questionnaire.xlsx", "-o", "imported-template"],
        ["portfolio", "assess", "in", "-o", "portfolio.xlsx"],
        ["portfolio", "assess", "in", "--format", "json"],
        ["portfolio", "assess", "in", "--strict"],
        ["portfolio", "nothing-here"],
    ]
    return out


def record(out: Path, tree: Path) -> None:
    work = Path(tempfile.mkdtemp(prefix="risk-golden-"))
    for folder in ("in", "assess", "template"):
        (work / folder).mkdir()
    for n in SAMPLES:
        shutil.copy(ROOT / "sample_outputs" / f"{n}-answers.yaml", work / "in")
    (work / "in" / "bad.yaml").write_text("questionnaire:\n  id: uk-public-sector-ai\n  version: 1.0.0\n"
                                         "answers:\n  data.personal: maybe\n")
    shutil.copytree(ROOT / "questionnaires", work / "questionnaires")
    (work / "tests" / "fixtures").mkdir(parents=True)
    shutil.copy(ROOT / MINI, work / MINI)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1800000000", "PYTHONPATH": str(tree),
           "RISK_CLI_CACHE_DIR": str(work / ".cache"), "COLUMNS": "100"}
    runs = []
    for i, args in enumerate(commands()):
        done = subprocess.run([sys.executable, "-m", "risk_cli", *args], cwd=work, env=env, capture_output=True,
                              text=True, stdin=subprocess.DEVNULL)
        runs.append({"n": i, "args": args, "exit": done.returncode, "stdout": done.stdout, "stderr": done.stderr})
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / "runs.json").write_text(json.dumps(runs, indent=1, ensure_ascii=False))
    files = {}
    for p in sorted(work.rglob("*")):
        rel = p.relative_to(work).as_posix()
        if p.is_dir() or rel.startswith((".cache", "questionnaires/", "tests/")):
            continue
        files[rel] = parts(p) if p.suffix == ".xlsx" else {"": p.read_text(encoding="utf-8", errors="replace")}
    (out / "files.json").write_text(json.dumps(files, indent=1, ensure_ascii=False, sort_keys=True))
    shutil.rmtree(work)
    print(f"{len(runs)} commands, {len(files)} files recorded in {out}")


_STAMP = re.compile(r"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>")


def parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        out = {}
        for name in sorted(z.namelist()):
            text = z.read(name).decode("utf-8", errors="replace")
            out[name] = _STAMP.sub(r"<dcterms:\1/>", text) if name == "docProps/core.xml" else text
        return out


def compare(a: Path, b: Path) -> int:
    diffs = 0
    for name in ("runs.json", "files.json"):
        left, right = json.loads((a / name).read_text()), json.loads((b / name).read_text())
        if name == "runs.json":
            for x, y in zip(left, right):
                for key in ("args", "exit", "stdout", "stderr"):
                    if x[key] != y[key]:
                        diffs += 1
                        print(f"run {x['n']} {' '.join(x['args'])}: {key} differs:\n  A: {x[key]!r:.400}\n  B: {y[key]!r:.400}")
            if len(left) != len(right):
                diffs += 1
                print(f"{len(left)} runs against {len(right)}")
        else:
            for f in sorted(set(left) | set(right)):
                if f not in left or f not in right:
                    diffs += 1
                    print(f"{f}: only in {'B' if f not in left else 'A'}")
                    continue
                for part in sorted(set(left[f]) | set(right[f])):
                    if left[f].get(part) != right[f].get(part):
                        diffs += 1
                        print(f"{f} {part}: differs")
    print(f"{diffs} difference(s)")
    return 1 if diffs else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path)
    parser.add_argument("--tree", type=Path, default=ROOT)
    parser.add_argument("--compare", nargs=2, type=Path)
    args = parser.parse_args()
    if args.compare:
        sys.exit(compare(*args.compare))
    record(args.out, args.tree.resolve())


if __name__ == "__main__":
    main()
