"""The one cache of parsed questionnaires: in this process (`remembered`), and on disk across runs
(`lookup` and `store`), so a run need not re-read thousands of lines of YAML.

In this process: a questionnaire file is parsed once however many inputs use it (a batch resolves
the same one for every input; finding one by id reads every bundled file). Keyed by the file's
path, modification time and size, so an edited file is read again.

On disk:

Why: reading the bundled questionnaire with the hardened YAML reader is the largest cost of one
assessment that a plain script does not pay, and the file only changes when it is edited or the
tool is upgraded. Each entry is keyed by the SHA-256 of the file's bytes, the tool version, the
questionnaire format and `REVISION`, so any edit, upgrade or format change is a miss.

What is stored is the parsed data as JSON, never pickle: a cache file can hold only data, never
code, and that data is checked by the loader on every use exactly as if it had come from YAML.
Only a questionnaire that loaded with no errors is stored. The cache is an optimisation and
nothing more: a missing, unreadable, corrupt or foreign cache file is ignored (and replaced), and
a cache folder that cannot be written is ignored, so it never fails a run or changes its output.

Where (on disk): `$RISK_CLI_CACHE_DIR`, else `$XDG_CACHE_HOME/risk-cli`, else `~/.cache/risk-cli`;
`RISK_CLI_CACHE_DIR=off` turns it off. Deleting the folder at any time is safe.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional

from risk_cli import __version__

ENV = "RISK_CLI_CACHE_DIR"
OFF = "off"
KIND = "risk-cli parsed questionnaire"
# Bump when the YAML reader would give different data for the same text, so old entries miss.
REVISION = 1
MAX_ENTRIES = 32  # oldest entries beyond this are removed when a new one is written
MAX_BYTES = 50_000_000  # a larger file is not one this tool wrote from a questionnaire it accepts
PREFIX, SUFFIX = "questionnaire-", ".json"

if TYPE_CHECKING:
    from risk_cli.model.questionnaire import Questionnaire

_MEMORY: dict[tuple[str, int, int, str], "Questionnaire"] = {}


def remembered(path: Path | str, label: str, load: Callable[[], "Questionnaire"]) -> "Questionnaire":
    """The questionnaire parsed from `path` earlier in this process, else `load()` (kept when it
    succeeds). A file that cannot be looked at is simply loaded, so `load` reports what is wrong."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return load()
    key = (os.path.abspath(path), st.st_mtime_ns, st.st_size, label)
    if key not in _MEMORY:
        _MEMORY[key] = load()
    return _MEMORY[key]


def forget() -> None:
    """Drop what this process remembers (the disk cache is untouched)."""
    _MEMORY.clear()


def directory() -> Optional[Path]:
    """The cache folder, or None when the cache is turned off or there is nowhere to put it."""
    value = os.environ.get(ENV)
    if value is not None and value.strip().lower() == OFF:
        return None
    xdg = os.environ.get("XDG_CACHE_HOME")
    try:
        if value:
            return Path(value).expanduser()
        if xdg and os.path.isabs(xdg):  # the XDG spec says to ignore a relative path
            return Path(xdg) / "risk-cli"
        return Path.home() / ".cache" / "risk-cli"
    except (RuntimeError, KeyError, OSError):  # no home folder (some service accounts), or ~nobody
        return None


def _stamp(fmt: int) -> dict[str, Any]:
    return {"kind": KIND, "tool": __version__, "format": fmt, "revision": REVISION}


def entry_path(folder: Path, raw: bytes, fmt: int) -> Path:
    """The file for these questionnaire bytes under this tool version, format and revision."""
    key = hashlib.sha256(json.dumps(_stamp(fmt), sort_keys=True).encode("utf-8") + b"\n" + raw).hexdigest()
    return folder / f"{PREFIX}{key}{SUFFIX}"


def lookup(raw: bytes, fmt: int) -> Optional[Any]:
    """The parsed data stored for these questionnaire bytes, or None on any kind of miss."""
    folder = directory()
    if folder is None:
        return None
    path = entry_path(folder, raw, fmt)
    try:
        # non-blocking, so a pipe or device put in its place cannot hang the run
        with open(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as handle:
            st = os.fstat(handle.fileno())
            if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_BYTES:
                return None
            if hasattr(os, "getuid") and st.st_uid != os.getuid():
                return None  # written by someone else: not ours to trust
            entry = json.loads(handle.read())
    except (OSError, ValueError, RecursionError):  # missing, unreadable, not JSON, not UTF-8, too deep
        return None
    if not isinstance(entry, dict) or "data" not in entry:
        return None
    if any(entry.get(k) != v for k, v in _stamp(fmt).items()):
        return None
    if entry.get("source_sha256") != hashlib.sha256(raw).hexdigest():
        return None
    return entry["data"]


def store(raw: bytes, fmt: int, data: Any) -> None:
    """Remember `data` (parsed from `raw`, already validated); any failure to do so is ignored."""
    folder = directory()
    if folder is None:
        return
    entry = {**_stamp(fmt), "source_sha256": hashlib.sha256(raw).hexdigest(), "data": data}
    try:
        text = json.dumps(entry, separators=(",", ":"))
        if json.loads(text)["data"] != data:
            return  # would not come back exactly as parsed: not worth caching
    except (TypeError, ValueError, RecursionError):
        return
    from risk_cli.errors import RiskCliError
    from risk_cli.fileio import atomic_write_text

    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        atomic_write_text(entry_path(folder, raw, fmt), text, force=True)
        _prune(folder)
    except (OSError, RiskCliError, ValueError):
        pass


def _prune(folder: Path) -> None:
    """Keep the newest MAX_ENTRIES entries: an author editing a questionnaire makes a new one per edit."""
    entries = []
    for path in folder.glob(f"{PREFIX}*{SUFFIX}"):
        try:
            entries.append((path.stat().st_mtime_ns, path))
        except OSError:
            continue
    entries.sort(reverse=True)
    for _, path in entries[MAX_ENTRIES:]:
        try:
            path.unlink()
        except OSError:
            pass
