"""Measure risk_cli's architecture from its real imports and a real run, so figures are not guessed.

    python benchmarks/architecture.py            # layers, modules per package, cycles, the assess path
    python benchmarks/architecture.py --json     # the same as JSON

Import graph: every `import risk_cli...` / `from risk_cli... import ...` in every module, at module
level or inside a function (a lazy import still makes one module depend on another), but not those
under `if TYPE_CHECKING:` (they never run). `from risk_cli.pkg import name` counts as importing
the module `risk_cli.pkg.name` when that is a module, else the package `risk_cli.pkg`.

Layers: modules that import no other risk_cli module are layer 1; every other module is one more
than the highest layer it imports. Modules in an import cycle share one layer (the cycle is
condensed). The depth is the highest layer.

The assess path: `risk-cli assess --answers A --no-input -o R` runs in this process under an audit
hook and a profiler. At each step that carries the answers file towards the register (the answers
file opened, the questionnaire file or its cache entry opened, the Register returned by scoring,
the register's file opened and renamed into place), the stack of risk_cli frames is recorded. The
union of those stacks is a call tree from the `assess` command; walking it depth first, in the
order it ran, and noting the module at each step gives the path. A hop is a change of module on
that walk (a call into another module, or a return to one); a move back up is a hop to a module in
a higher layer (mostly a return to a workflow that then calls down again).
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "risk_cli"
SAMPLE = ROOT / "sample_outputs" / "caseworker-reply-assistant-answers.yaml"


def module_files() -> dict[str, Path]:
    """Every module of the package by dotted name (packages by their __init__)."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            test = node.test
            name = test.id if isinstance(test, ast.Name) else test.attr if isinstance(test, ast.Attribute) else ""
            if name == "TYPE_CHECKING":
                for child in node.body:
                    for sub in ast.walk(child):
                        if hasattr(sub, "lineno"):
                            lines.add(sub.lineno)
    return lines


def import_graph() -> dict[str, set[str]]:
    """module -> the risk_cli modules it imports (at run time)."""
    modules = module_files()
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _type_checking_lines(tree)
        is_pkg = path.name == "__init__.py"
        for node in ast.walk(tree):
            if getattr(node, "lineno", None) in skip:
                continue
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    pkg = name.split(".") if is_pkg else name.split(".")[:-1]
                    pkg = pkg[: len(pkg) - (node.level - 1)]
                    base = ".".join(pkg + ([base] if base else []))
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    targets.append(full if full in modules else base)
            for target in targets:
                while target and target not in modules:  # import risk_cli.a.b: the deepest module named
                    target = target.rpartition(".")[0]
                if target.startswith("risk_cli") and target in modules and target != name:
                    graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10_000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def layers(graph: dict[str, set[str]]) -> dict[str, int]:
    """Each module's layer (1 = imports nothing of risk_cli); a cycle's modules share one."""
    comp_of = {m: m for m in graph}
    for comp in cycles(graph):
        for m in comp:
            comp_of[m] = comp[0]
    deps: dict[str, set[str]] = defaultdict(set)
    for m, targets in graph.items():
        for t in targets:
            if comp_of[t] != comp_of[m]:
                deps[comp_of[m]].add(comp_of[t])
    memo: dict[str, int] = {}

    def layer(c: str) -> int:
        if c not in memo:
            memo[c] = 1 + max((layer(d) for d in deps[c]), default=0)
        return memo[c]

    return {m: layer(comp_of[m]) for m in graph}


def packages(graph: dict[str, set[str]]) -> dict[str, int]:
    """Modules per package (a package's __init__ counts as one of its modules; __main__ too)."""
    counts: dict[str, int] = defaultdict(int)
    for m, path in module_files().items():
        pkg = m if path.name == "__init__.py" else m.rpartition(".")[0]
        counts[pkg] += 1
    return dict(sorted(counts.items()))


# -- the assess path ------------------------------------------------------------------------------

def assess_path() -> dict[str, Any]:
    """One assessment in a fresh process (after another has filled the questionnaire cache, so the
    run measured is an ordinary one), walked along the calls that carry the answers to the register."""
    work = Path(tempfile.mkdtemp(prefix="risk-arch-"))
    env = {**os.environ, "RISK_CLI_CACHE_DIR": str(work / "cache")}
    answers = work / "answers.yaml"
    answers.write_bytes(SAMPLE.read_bytes())
    register = work / "register.xlsx"
    command = ["assess", "--answers", str(answers), "--no-input", "-o", str(register), "--force"]
    subprocess.run([sys.executable, "-m", "risk_cli", *command], cwd=ROOT, env=env, capture_output=True, check=True)
    done = subprocess.run([sys.executable, __file__, "--trace", str(work), *command], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def trace(work: Path, command: list[str]) -> dict[str, Any]:
    """The --trace child: run `command` under the audit hook and profiler; the walk as JSON."""
    layer_of = layers(import_graph())
    sys.path.insert(0, str(ROOT))
    answers, register = Path(command[2]), Path(command[6])
    from risk_cli.cli import cli

    def run() -> None:
        try:
            cli(command, prog_name="risk-cli", standalone_mode=False)
        except SystemExit:
            pass

    import contextlib
    import io

    stacks: list[list[tuple[str, str, int]]] = []

    def frames() -> list[tuple[str, str, int]]:
        out = []
        f = sys._getframe(1)
        while f is not None:
            mod = f.f_globals.get("__name__", "")
            if mod.startswith("risk_cli") and mod in layer_of:
                out.append((mod, f.f_code.co_name, f.f_code.co_firstlineno))
            f = f.f_back
        out.reverse()
        return out

    def record() -> None:
        st = frames()
        if st:
            stacks.append(st)

    watched = (str(answers), str(work / "cache"), str(ROOT / "questionnaires"), str(work))

    def audit(event: str, args: tuple) -> None:
        if event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
            p = os.fsdecode(args[0])
            if p.startswith(watched) and (p == str(answers) or p.endswith((".yaml", ".json", ".xlsx", ".tmp"))
                                          or "register" in p):
                record()
        elif event == "os.rename" and args and os.fsdecode(args[1]) == str(register):
            record()

    def profile(frame: Any, event: str, arg: Any) -> None:
        if event == "return" and type(arg).__name__ == "Register" and type(arg).__module__.startswith("risk_cli"):
            if frame.f_globals.get("__name__", "").startswith("risk_cli"):
                st = frames()
                mod = frame.f_globals["__name__"]
                stacks.append(st + [(mod, frame.f_code.co_name, frame.f_code.co_firstlineno)])

    sys.addaudithook(audit)
    active = [True]
    sys.setprofile(lambda fr, ev, arg: profile(fr, ev, arg) if active[0] else None)
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            run()
    finally:
        active[0] = False
        sys.setprofile(None)
    # the union of the stacks, as a tree in the order the calls ran
    children: dict[tuple, list[tuple]] = defaultdict(list)
    roots: list[tuple] = []
    for st in stacks:
        for depth in range(len(st)):
            node = tuple(st[: depth + 1])
            parent = tuple(st[:depth])
            siblings = children[parent] if depth else roots
            if node not in siblings:
                siblings.append(node)
    walk: list[str] = []

    def visit(node: tuple) -> None:
        walk.append(node[-1][0])
        for child in children[node]:
            visit(child)
            walk.append(node[-1][0])

    for r in roots:
        visit(r)
    steps = [m for i, m in enumerate(walk) if i == 0 or walk[i - 1] != m]
    ups = sum(1 for a, b in zip(steps, steps[1:]) if layer_of[b] > layer_of[a])
    return {"hops": len(steps) - 1, "modules": len(set(steps)), "moves_up": ups, "walk": steps}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--trace", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.trace:
        print(json.dumps(trace(Path(args.trace[0]), args.trace[1:])))
        return
    graph = import_graph()
    layer_of = layers(graph)
    path = assess_path()
    result = {
        "modules": len(graph), "layers": max(layer_of.values()), "cycles": cycles(graph),
        "packages": packages(graph), "assess_path": path,
        "by_layer": {n: sorted(m for m, l in layer_of.items() if l == n) for n in sorted(set(layer_of.values()))},
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"modules: {result['modules']}; import layers: {result['layers']}; cycles: {len(result['cycles'])}")
    for c in result["cycles"]:
        print("  cycle: " + " <-> ".join(c))
    for n, mods in result["by_layer"].items():
        print(f"  layer {n:2}: {', '.join(m.removeprefix('risk_cli.') for m in mods)}")
    print("modules per package: " + ", ".join(f"{k}: {v}" for k, v in result["packages"].items()))
    print(f"assess -> register: {path['hops']} hops across {path['modules']} modules, "
          f"{path['moves_up']} moves back up a layer")
    print("  " + " > ".join(m.removeprefix("risk_cli.") for m in path["walk"]))


if __name__ == "__main__":
    main()
