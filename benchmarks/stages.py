"""Where one assessment's time goes: target 2's command split into stages.

Usage:
    python benchmarks/stages.py [--runs 12] [--answers FILE]

Each run is a fresh interpreter that does what `risk-cli assess --answers A --no-input -o R
--force` does, stage by stage, timing each with a monotonic clock, then ends the way
`risk_cli.cli.main` does. The parent times the whole process from outside, so starting
Python and ending the process are measured too. Prints the median of each stage as a
markdown table. Inputs: a generated answers file (benchmarks/generate.py, seed 4) unless
--answers is given; the questionnaire cache is filled first, as after a user's first run.
Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.machine import describe  # noqa: E402

PROBE = r"""
import time
start = time.perf_counter()
import gc, json, sys
from pathlib import Path
marks = []
def mark(name):
    marks.append((name, time.perf_counter()))
import risk_cli.cli, risk_cli.workflows.assess, risk_cli.readers.inputs, risk_cli.catalogue.loader, risk_cli.model.scoring
mark("import click, PyYAML and risk_cli's modules")
outcome = risk_cli.workflows.assess.from_file(None, sys.argv[1])
mark("read and check the answers, load the questionnaire, score")
from risk_cli.writers import register as register_xlsx
from risk_cli.writers import xlsx
mark("import openpyxl")
wb = register_xlsx.build(outcome.register)
mark("build the formatted workbook")
xlsx.save(wb, Path(sys.argv[2]), True)
mark("save it (atomically, with fsync)")
from risk_cli.output.register import summary_text
text = summary_text(outcome.register)
mark("terminal summary (import tabulate, format)")
previous, out = start, {}
for name, t in marks:
    out[name] = (t - previous) * 1000
    previous = t
sys.stderr.write(json.dumps({"stages": out, "ended_at": time.time()}) + "\n")
gc.freeze()  # as risk_cli.cli.main does
"""


def one_run(answers: Path, register: Path, env: dict[str, str]) -> dict[str, float]:
    began = time.time()
    proc = subprocess.run([sys.executable, "-c", PROBE, str(answers), str(register)], capture_output=True,
                          text=True, env=env, cwd=ROOT)
    finished = time.time()
    if proc.returncode != 0:
        raise SystemExit(proc.stderr[-2000:])
    report = json.loads(proc.stderr.strip().splitlines()[-1])
    stages = report["stages"]
    total = (finished - began) * 1000
    stages["end the process"] = (finished - report["ended_at"]) * 1000
    stages["start Python"] = total - sum(stages.values())
    stages["total"] = total
    return stages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=12)
    parser.add_argument("--answers", type=Path, help="an answers file (default: one generated answers file)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="risk-cli-stages-") as tmp:
        work = Path(tmp)
        env = {**os.environ, "RISK_CLI_CACHE_DIR": str(work / "cache")}
        answers = args.answers
        if answers is None:
            from benchmarks.generate import generate
            from risk_cli.catalogue import bundled

            generate(bundled.resolve("uk-public-sector-ai"), 1, work / "answers", seed=4)
            answers = sorted((work / "answers").glob("*.yaml"))[0]
        runs = [one_run(answers, work / "register.xlsx", env) for _ in range(args.runs + 2)][2:]
    order = ["start Python"] + [k for k in runs[0] if k not in ("start Python", "end the process", "total")]
    order += ["end the process", "total"]
    print(f"Measured by `python benchmarks/stages.py` on {describe()}; median of {args.runs} fresh processes.\n")
    print("| stage | ms |\n| --- | ---: |")
    for name in order:
        print(f"| {name} | {statistics.median(r[name] for r in runs):.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
