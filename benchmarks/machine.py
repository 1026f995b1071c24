"""One line describing the machine a benchmark ran on, for the recorded tables."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def describe(libraries: tuple[str, ...] = ()) -> str:
    """CPU model, cores, OS, Python, and the versions of `libraries` (distribution names)."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    parts = [cpu, f"{os.cpu_count()} cores", f"{platform.system()} {platform.release()}",
             f"Python {platform.python_version()}"]
    if libraries:
        import importlib.metadata as md

        for name in libraries:
            try:
                parts.append(f"{name} {md.version(name)}")
            except md.PackageNotFoundError:
                parts.append(f"{name} (not installed)")
    return ", ".join(parts)
