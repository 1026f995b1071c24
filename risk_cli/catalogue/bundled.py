"""Find questionnaires: the ones shipped with the tool, or a file the user names."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from risk_cli.errors import RiskCliError
from risk_cli.model.questionnaire import Questionnaire, version_key

DEFAULT_ID = "uk-public-sector-ai"


def bundled_dir() -> Path:
    """`risk_cli/questionnaires` when installed; the repository's `questionnaires/` in a checkout."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "questionnaires"
    if installed.is_dir():
        return installed
    return package.parent / "questionnaires"


@dataclass(frozen=True)
class Entry:
    """One bundled questionnaire version as `catalogue()` lists it: enough to show it, or choose it
    by id and version."""

    id: str
    version: str
    title: str
    path: Path


def load_bundled(path: Path) -> Questionnaire:
    """A bundled questionnaire (parsed once per process: see catalogue.cache)."""
    from risk_cli.catalogue import loader

    return loader.load(path, label=f"bundled questionnaire {path.name}")


@functools.lru_cache(maxsize=64)
def _header(path: Path) -> dict[str, str]:
    """A bundled file's leading plain keys (format, model, id, version, title), read once per
    process: the files are the package's own, and every input asks which versions there are and
    which are format 2. Empty when the file cannot be read."""
    from risk_cli import safe_yaml

    try:
        return safe_yaml.leading_scalars(safe_yaml.read_text(str(path)))
    except RiskCliError:
        return {}


def _format_2(path: Path) -> bool:
    head = _header(path)
    if head.get("format") == "1":
        return False
    if head.get("format") == "2" and head.get("model"):
        return True
    from risk_cli.catalogue import header  # a header that does not say plainly: the full check

    return header.file_is_format_2(str(path))


def catalogue() -> list[Entry]:
    """Every bundled format-1 questionnaire (the 5x5 register's), by id then version; format-2
    ones are `format_2_catalogue()`'s. Read from the files' headers: every input asks which
    versions there are, and choosing one must not parse all the others."""
    out = [_entry(path) for path in sorted(bundled_dir().glob("*.yaml")) if not _format_2(path)]
    return sorted(out, key=lambda e: (e.id, version_key(e.version)))


def _entry(path: Path) -> Entry:
    head = _header(path)
    if head.get("id") and head.get("version") and head.get("title"):
        return Entry(head["id"], head["version"], head["title"], path)
    qn = load_bundled(path)  # a header that is not plain values: the loader reads it, or says what is wrong
    return Entry(qn.id, qn.version, qn.title, path)


@dataclass(frozen=True)
class Format2Entry:
    id: str
    version: str
    title: str
    model: str
    questions: int
    risks: int
    sha256: str
    path: Path
    languages: tuple[str, ...] = ("en",)


def format_2_catalogue() -> list[Format2Entry]:
    """Every bundled format-2 questionnaire (points or rated model), by id then version."""
    from risk_cli.catalogue import read_rated
    from risk_cli.model.text import english

    out = []
    for path in sorted(bundled_dir().glob("*.yaml")):
        if not _format_2(path):
            continue
        qn = read_rated.load_format_2(path)
        out.append(Format2Entry(qn.id, qn.version, english(qn.title), qn.model, len(qn.questions),
                                len(getattr(qn, "risks", ())), qn.sha256, path, tuple(qn.languages)))
    return sorted(out, key=lambda e: (e.id, version_key(e.version)))


def format_2_refs() -> dict[tuple[str, str], Path]:
    """The bundled format-2 questionnaires by (id, version), read from their headers alone: every
    input an assurance team sends is asked "is this for a format-2 questionnaire?", and that must
    cost no parsing of whole questionnaires."""
    return _format_2_refs(bundled_dir())


def _format_2_refs(folder: Path) -> dict[tuple[str, str], Path]:
    refs: dict[tuple[str, str], Path] = {}
    for path in sorted(folder.glob("*.yaml")):
        head = _header(path)
        if _format_2(path) and head.get("id") and head.get("version"):
            refs[(head["id"], head["version"])] = path
    return refs


def format_2_path(name: str | None) -> Path | None:
    """The file of the bundled format-2 questionnaire -q names (ID or ID@VERSION), or None."""
    if not name or name.endswith((".yaml", ".yml")) or "/" in name or Path(name).exists():
        return None
    qid, _, version = name.partition("@")
    matches = sorted((v, path) for (i, v), path in format_2_refs().items()
                     if i == qid and (not version or v == version))
    matches.sort(key=lambda m: version_key(m[0]))
    return matches[-1][1] if matches else None


class NotBundled(RiskCliError):
    """No bundled questionnaire has this id (a version that is not bundled is a plain RiskCliError)."""


def resolve(name: str | None, version: str | None = None) -> Questionnaire:
    """What the user named with -q: a path to a YAML file, or a bundled id (ID@VERSION for a
    version other than the newest). Only for names a person typed: an id read from a file goes
    to `by_id`, so a file can never make the tool load some other file as its questionnaire."""
    from risk_cli.catalogue import loader

    name = name or DEFAULT_ID
    if "@" in name and not Path(name).exists():
        name, version = name.split("@", 1)
    if name.endswith((".yaml", ".yml")) or Path(name).is_file() or "/" in name:
        return loader.load(name)
    return by_id(name, version)


def by_id(qid: str, version: str | None = None) -> Questionnaire:
    """A bundled questionnaire by its id (the newest version unless one is asked for).

    The argument is only ever compared with the ids of the bundled questionnaires, never
    treated as a path: answers files, registers and templates name their questionnaire by
    id, and what they name must not choose which file is read.
    """
    matches = [e for e in catalogue() if e.id == qid]
    if not matches:
        known = ", ".join(sorted({e.id for e in catalogue()})) or "none"
        raise NotBundled(f"no questionnaire '{qid}' (bundled: {known}; or give a path to a YAML file)")
    if version:
        exact = [e for e in matches if e.version == version]
        if not exact:
            have = ", ".join(e.version for e in matches)
            raise RiskCliError(f"questionnaire {qid} version {version} is not bundled with this tool (versions: {have})")
        return load_bundled(exact[0].path)
    return load_bundled(matches[-1].path)
