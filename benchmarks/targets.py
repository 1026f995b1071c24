"""Measure issue 4's four targets in one run on this machine and print the results table.

Usage:
    python benchmarks/targets.py [--only startup,assess,batch,memory] [--count 1000] [--small 100]
                                 [--runs 30] [--batch-runs 2] [--seed 4] [--questionnaire ID|FILE]
                                 [--workdir DIR] [--record]

1. start-up: `risk-cli --help` against benchmarks/minimal_click.py --help (target <= 1.5x).
2. one assessment, answers file to written register, against benchmarks/floor_openpyxl_formatted.py:
   a plain openpyxl script writing the same cells, values and formatting, as the register
   (target <= 1.5x). For context, also against benchmarks/floor_openpyxl.py writing the values
   alone with no formatting, and with the questionnaire cache turned off (every run parses the
   questionnaire's YAML).
3. `risk-cli batch` over --count generated answers files: --jobs 1 / --jobs 2 wall time
   (target >= 1.7x), and the per-file cost against the floor of 2 (target <= 1.5x).
4. peak memory of the whole process tree (parent and workers, sampled from /proc) for
   --count files against --small files (target <= 1.2x).

Every figure is a ratio of two things measured in this one run, so a busy or slow machine
moves both sides. Commands run as fresh processes; paired commands alternate, and each
figure is the median of its runs. Inputs come from benchmarks/generate.py (varied answers,
fixed seed). risk_cli is byte-compiled first, as an installed package is. --record writes
the table into benchmarks/README.md between this script's markers. Not a test.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Sequence

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.machine import describe  # noqa: E402

START, END = "<!-- targets.py:start -->", "<!-- targets.py:end -->"


def tool() -> list[str]:
    """The installed `risk-cli` entry point beside this Python, else the module."""
    script = Path(sys.executable).parent / "risk-cli"
    return [str(script)] if script.exists() else [sys.executable, "-m", "risk_cli"]


def run_once(cmd: Sequence[str], cwd: Path = ROOT, env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    proc = subprocess.run(list(cmd), cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          env=None if env is None else {**os.environ, **env})
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0,):
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr.decode()[-2000:]}")
    return elapsed


def alternate(cmds: Sequence[tuple[Sequence[str], dict[str, str] | None]], runs: int, warmup: int = 3) -> list[float]:
    """Median seconds of each (command, extra environment), run in turn so drift hits all alike."""
    times: list[list[float]] = [[] for _ in cmds]
    for i in range(warmup + runs):
        for (cmd, env), ts in zip(cmds, times):
            t = run_once(cmd, env=env)
            if i >= warmup:
                ts.append(t)
    return [statistics.median(ts) for ts in times]


def paired(a: Sequence[str], b: Sequence[str], runs: int, warmup: int = 3) -> tuple[float, float]:
    """Median seconds of `a` and of `b`, run alternately so drift hits both alike."""
    ta, tb = alternate([(a, None), (b, None)], runs, warmup)
    return ta, tb


# -- 1. start-up ----------------------------------------------------------------------------

def startup(runs: int) -> dict[str, Any]:
    ours, base = paired(tool() + ["--help"], [sys.executable, str(HERE / "minimal_click.py"), "--help"], runs)
    version, _ = paired(tool() + ["--version"], [sys.executable, str(HERE / "minimal_click.py"), "--version"], runs)
    return {"risk_cli_help_s": ours, "minimal_click_help_s": base, "risk_cli_version_s": version,
            "ratio": ours / base, "target": 1.5, "met": ours / base <= 1.5}


# -- 2. one assessment against the openpyxl floor --------------------------------------------

def dump_cells(register: Path, out: Path) -> int:
    """Every non-empty cell value of a register, sheet by sheet, for the floor script."""
    from openpyxl import load_workbook

    wb = load_workbook(register)
    sheets: dict[str, list[list[Any]]] = {}
    n = 0
    for ws in wb:
        cells = []
        for row in ws.iter_rows():
            for c in row:
                v = c.value
                if v is None:
                    continue
                if isinstance(v, dt.datetime):
                    v = {"date": v.date().isoformat()}
                elif isinstance(v, dt.date):
                    v = {"date": v.isoformat()}
                cells.append([c.row, c.column, v])
        sheets[ws.title] = cells
        n += len(cells)
    wb.close()
    out.write_text(json.dumps(sheets), encoding="utf-8")
    return n


def formatted_floor(work: Path, register: Path) -> tuple[list[str], dict[str, int]]:
    """The command for the formatting floor, after checking that it writes the same workbook."""
    from benchmarks.workbook_dump import describe

    described = describe(register)
    (work / "workbook.json").write_text(json.dumps(described), encoding="utf-8")
    cmd = [sys.executable, str(HERE / "floor_openpyxl_formatted.py"), str(work / "workbook.json"),
           str(work / "floor-formatted.xlsx")]
    run_once(cmd)
    if describe(work / "floor-formatted.xlsx") != described:
        raise SystemExit("floor_openpyxl_formatted.py did not write the same cells and formatting as risk-cli")
    sheets = described["sheets"]
    return cmd, {"cells": sum(len(s["cells"]) for s in sheets), "styles": len(described["styles"]),
                 "merges": sum(len(s["merges"]) for s in sheets), "tables": sum(len(s["tables"]) for s in sheets),
                 "validations": sum(len(s["validations"]) for s in sheets),
                 "formats": sum(len(s["formats"]) for s in sheets)}


def assess_one(work: Path, answers: Path, runs: int) -> dict[str, Any]:
    register = work / "one-register.xlsx"
    cmd = tool() + ["assess", "--answers", str(answers), "--no-input", "-o", str(register), "--force"]
    run_once(cmd)  # also fills the questionnaire cache, as a user's first run does
    cells = dump_cells(register, work / "cells.json")
    values_cmd = [sys.executable, str(HERE / "floor_openpyxl.py"), str(work / "cells.json"), str(work / "floor.xlsx")]
    formatted_cmd, formatted = formatted_floor(work, register)
    ours, values, floor, cold = alternate(
        [(cmd, None), (values_cmd, None), (formatted_cmd, None), (cmd, {"RISK_CLI_CACHE_DIR": "off"})], runs)
    return {"risk_cli_assess_s": ours, "floor_s": floor, "floor": formatted, "ratio": ours / floor, "target": 1.5,
            "met": ours / floor <= 1.5, "values_floor_s": values, "values_cells": cells,
            "ratio_values": ours / values, "risk_cli_assess_cache_off_s": cold, "ratio_cache_off": cold / floor}


# -- 3. batch scaling -------------------------------------------------------------------------

def batch_cmd(inputs: Path, out: Path, jobs: int | None) -> list[str]:
    cmd = tool() + ["batch", str(inputs), "-o", str(out), "--quiet"]
    return cmd + (["--jobs", str(jobs)] if jobs else [])


def batch(work: Path, inputs: Path, count: int, runs: int, floor_s: float | None) -> dict[str, Any]:
    t1: list[float] = []
    t2: list[float] = []
    for i in range(runs):
        for jobs, times in ((1, t1), (2, t2)):
            out = work / f"batch-j{jobs}-{i}"
            times.append(run_once(batch_cmd(inputs, out, jobs)))
            shutil.rmtree(out)
    one, two = min(t1), min(t2)
    per_file = one / count
    result: dict[str, Any] = {"files": count, "jobs1_s": one, "jobs2_s": two, "speedup": one / two,
                              "speedup_target": 1.7, "speedup_met": one / two >= 1.7,
                              "per_file_jobs1_ms": per_file * 1000, "per_file_jobs2_ms": two / count * 1000}
    if floor_s:
        result.update({"floor_ms": floor_s * 1000, "per_file_ratio": per_file / floor_s, "per_file_target": 1.5,
                       "per_file_met": per_file / floor_s <= 1.5})
    return result


# -- 4. memory ------------------------------------------------------------------------------

def tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    total = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
                    break
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def peak_memory(cmd: Sequence[str]) -> dict[str, float]:
    """Peak RSS of the process tree (sampled every 10 ms) and of its largest single process."""
    wrapper = ("import resource, subprocess, sys; rc = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL); "
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(rc)")
    proc = subprocess.Popen([sys.executable, "-c", wrapper, *cmd], cwd=ROOT, stdout=subprocess.PIPE)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_rss_kb(proc.pid))
            time.sleep(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    stop.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}")
    return {"tree_peak_mb": peak / 1024, "largest_process_mb": int(out.decode().strip()) / 1024}


def memory(work: Path, small_inputs: Path, big_inputs: Path, small: int, big: int) -> dict[str, Any]:
    results = {}
    for label, inputs in (("small", small_inputs), ("big", big_inputs)):
        out = work / f"mem-{label}"
        results[label] = peak_memory(batch_cmd(inputs, out, None))
        shutil.rmtree(out)
    ratio = results["big"]["tree_peak_mb"] / results["small"]["tree_peak_mb"]
    single = results["big"]["largest_process_mb"] / results["small"]["largest_process_mb"]
    return {"small_files": small, "big_files": big, **{f"{k}_{m}": v for k, r in results.items() for m, v in r.items()},
            "ratio": ratio, "largest_process_ratio": single, "target": 1.2, "met": ratio <= 1.2}


# -- the table ----------------------------------------------------------------------------

def table(r: dict[str, Any], args: argparse.Namespace) -> str:
    def ok(met: bool) -> str:
        return "met" if met else "**not met**"

    lines = [f"Measured {dt.date.today().isoformat()} by `python benchmarks/targets.py` on {describe()}; "
             f"questionnaire {r.get('questionnaire', '?')}; {args.runs} alternating runs per start-up and "
             f"assessment figure (median), best of {args.batch_runs} per batch figure.", "",
             "| # | target | measured | ratio | goal | result |", "| --- | --- | --- | --- | --- | --- |"]
    if "startup" in r:
        s = r["startup"]
        lines.append(f"| 1 | `risk-cli --help` vs a minimal click app's `--help` | {s['risk_cli_help_s'] * 1000:.0f} ms vs "
                     f"{s['minimal_click_help_s'] * 1000:.0f} ms (`--version`: {s['risk_cli_version_s'] * 1000:.0f} ms) | "
                     f"{s['ratio']:.2f}x | <= 1.5x | {ok(s['met'])} |")
    if "assess" in r:
        a = r["assess"]
        f = a["floor"]
        lines.append(f"| 2 | one assessment, answers file to written register, vs a plain openpyxl script writing the "
                     f"same cells: the same values with the same formatting ({f['cells']:,} cells, {f['styles']} "
                     f"styles, {f['merges']} merged ranges, {f['tables']} tables, {f['validations']} validations, "
                     f"{f['formats']} conditional formats) | {a['risk_cli_assess_s'] * 1000:.0f} ms vs "
                     f"{a['floor_s'] * 1000:.0f} ms | {a['ratio']:.2f}x | <= 1.5x | {ok(a['met'])} |")
        lines.append(f"| 2, context | the same assessment vs plain openpyxl writing only the {a['values_cells']:,} cell "
                     f"values, no formatting (a plainer workbook than the register) | "
                     f"{a['risk_cli_assess_s'] * 1000:.0f} ms vs {a['values_floor_s'] * 1000:.0f} ms | "
                     f"{a['ratio_values']:.2f}x | (context) | - |")
        lines.append(f"| 2, context | the same assessment with the questionnaire cache off (`RISK_CLI_CACHE_DIR=off`: "
                     f"the YAML is parsed, as on a first run) vs target 2's floor | "
                     f"{a['risk_cli_assess_cache_off_s'] * 1000:.0f} ms vs {a['floor_s'] * 1000:.0f} ms | "
                     f"{a['ratio_cache_off']:.2f}x | (context) | - |")
    if "batch" in r:
        b = r["batch"]
        lines.append(f"| 3a | `risk-cli batch`, {b['files']:,} answers files: `--jobs 1` vs `--jobs 2` | "
                     f"{b['jobs1_s']:.1f} s vs {b['jobs2_s']:.1f} s | {b['speedup']:.2f}x faster | >= 1.7x | "
                     f"{ok(b['speedup_met'])} |")
        if "per_file_ratio" in b:
            lines.append(f"| 3b | per-file cost in batch (`--jobs 1` time / files) vs target 2's floor | "
                         f"{b['per_file_jobs1_ms']:.0f} ms vs {b['floor_ms']:.0f} ms "
                         f"(`--jobs 2`: {b['per_file_jobs2_ms']:.0f} ms) | {b['per_file_ratio']:.2f}x | <= 1.5x | "
                         f"{ok(b['per_file_met'])} |")
    if "memory" in r:
        m = r["memory"]
        lines.append(f"| 4 | peak memory (whole process tree, default `--jobs`), {m['big_files']:,} vs {m['small_files']:,} "
                     f"files | {m['big_tree_peak_mb']:.0f} MB vs {m['small_tree_peak_mb']:.0f} MB (largest single "
                     f"process: {m['big_largest_process_mb']:.0f} vs {m['small_largest_process_mb']:.0f} MB) | "
                     f"{m['ratio']:.2f}x | <= 1.2x | {ok(m['met'])} |")
    return "\n".join(lines)


def record(text: str) -> None:
    readme = HERE / "README.md"
    current = readme.read_text(encoding="utf-8") if readme.exists() else "# Benchmarks\n"
    block = f"{START}\n{text}\n{END}"
    if START in current and END in current:
        head, rest = current.split(START, 1)
        _, tail = rest.split(END, 1)
        current = head + block + tail
    else:
        current = current.rstrip("\n") + "\n\n" + block + "\n"
    readme.write_text(current, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="startup,assess,batch,memory")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--runs", type=int, default=30, help="runs per start-up and assessment figure")
    parser.add_argument("--batch-runs", type=int, default=2, help="runs per batch figure (best is kept)")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--questionnaire", default="uk-public-sector-ai")
    parser.add_argument("--workdir", type=Path, help="keep generated inputs here (default: a temporary folder)")
    parser.add_argument("--record", action="store_true", help="write the table into benchmarks/README.md")
    args = parser.parse_args(argv)
    only = set(args.only.split(","))

    compileall.compile_dir(str(ROOT / "risk_cli"), quiet=1)
    from benchmarks.generate import generate
    from risk_cli.catalogue import bundled

    work = args.workdir or Path(tempfile.mkdtemp(prefix="risk-cli-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    # the questionnaire cache as a user has it (filled by the first run), but not in the real home
    os.environ["RISK_CLI_CACHE_DIR"] = str(work / "questionnaire-cache")
    qn = bundled.resolve(args.questionnaire)
    big = work / f"answers-{args.count}"
    if not big.is_dir() or len(list(big.glob("*.yaml"))) != args.count:
        shutil.rmtree(big, ignore_errors=True)
        generate(qn, args.count, big, seed=args.seed)
    files = sorted(big.glob("*.yaml"))
    small = work / f"answers-{args.small}"
    if not small.is_dir():
        small.mkdir()
        for f in files[: args.small]:
            shutil.copy(f, small / f.name)

    results: dict[str, Any] = {"questionnaire": qn.label}
    if "startup" in only:
        results["startup"] = startup(args.runs)
        print(json.dumps({"startup": results["startup"]}), file=sys.stderr)
    if "assess" in only or "batch" in only:
        results["assess"] = assess_one(work, files[0], args.runs)
        print(json.dumps({"assess": results["assess"]}), file=sys.stderr)
    if "batch" in only:
        results["batch"] = batch(work, big, args.count, args.batch_runs, results["assess"]["floor_s"])
        print(json.dumps({"batch": results["batch"]}), file=sys.stderr)
    if "memory" in only:
        results["memory"] = memory(work, small, big, args.small, args.count)
        print(json.dumps({"memory": results["memory"]}), file=sys.stderr)
    if "assess" not in only:
        results.pop("assess", None)
    text = table(results, args)
    print(text)
    if args.record:
        record(text)
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
