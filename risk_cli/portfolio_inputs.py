"""Read and score every input of a portfolio: registers, answers files, templates, folders.

A bad input never stops the run: it becomes a `Skipped` with the reason, and the caller
decides (skip with exit code 3, or fail with --strict). Registers are read from their
hidden data sheet only and re-scored; a score in a spreadsheet is never used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional

from risk_cli.catalogue import bundled as bundled_mod
from risk_cli.assessment import checked
from risk_cli.errors import InputProblems, Memo, Problem, RiskCliError
from risk_cli.model.portfolio import Assessed, Skipped, version_key
from risk_cli.model.questionnaire import Questionnaire


class Library:
    """The questionnaires inputs can be scored against: files given with -q, then the bundled ones."""

    def __init__(self, files: Iterable[str] = ()) -> None:
        from risk_cli.catalogue import loader

        self.given: list[Questionnaire] = [loader.load(f) for f in files]
        self._bundled: Optional[list[bundled_mod.Entry]] = None
        self._found = Memo()  # a thousand inputs naming one version: one lookup (or one error)

    def bundled(self) -> list[bundled_mod.Entry]:
        if self._bundled is None:
            self._bundled = bundled_mod.catalogue()
        return self._bundled

    def get(self, qid: str, version: str) -> Questionnaire:
        """The exact version the answers were given to; RiskCliError saying what is available if none."""
        for qn in self.given:
            if qn.id == qid and qn.version == version:
                return qn
        return self._found.get((qid, version), lambda: self._bundled_version(qid, version))

    def _bundled_version(self, qid: str, version: str) -> Questionnaire:
        entry = next((e for e in self.bundled() if e.id == qid and e.version == version), None)
        if entry is None:
            have = sorted({f"{qn.id} {qn.version}" for qn in self.given}
                          | {f"{e.id} {e.version}" for e in self.bundled() if e.id == qid})
            known = f"versions here: {', '.join(have)}" if have else "no version of it is bundled"
            raise RiskCliError(f"answered against questionnaire {qid} {version}, which is not available "
                               f"({known}); give its file with -q FILE")
        return bundled_mod.load_bundled(entry.path)  # parsed once already, by catalogue()

    def newest(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for qid, version in [(q.id, q.version) for q in self.given] + [(e.id, e.version) for e in self.bundled()]:
            if version_key(version) > version_key(out.get(qid, "0")):
                out[qid] = version
        return out


@dataclass
class Gathered:
    """What reading a portfolio's inputs produced, good and bad together, so one bad file never stops
    the rest and the caller decides what to do with it."""

    assessed: list[Assessed] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def skipped(path: str, exc: Exception) -> Skipped:
    if isinstance(exc, InputProblems) and exc.problems:
        return Skipped(path, str(exc.problems[0]), len(exc.problems) - 1)
    return Skipped(path, f"{path}: {exc}")


def assess_one(path: Path, library: Library) -> tuple[Assessed, str]:
    """Read, check and score one input; InputProblems or RiskCliError when it is unusable.

    Also returns the questionnaire hash the answers recorded when it differs from the
    questionnaire's now (its content changed since), else "".
    """
    from risk_cli.readers import inputs
    from risk_cli.model.scoring import assess

    loaded = inputs.load_fast(path)
    raw = loaded.answers
    qn = library.get(raw.questionnaire_id, raw.questionnaire_version)
    clean, _ = checked(qn, raw, str(path))  # warnings: answers to questions that did not apply
    changed = raw.questionnaire_sha256 if raw.questionnaire_sha256 and raw.questionnaire_sha256 != qn.sha256 else ""
    return Assessed(str(path), loaded.kind, path.stat().st_mtime, assess(qn, clean)), changed


def expand(inputs: Iterable[str], output: Optional[Path] = None) -> tuple[list[Path], list[Skipped]]:
    """The files to read (folders recursively, in sorted order) and the inputs that name nothing.

    The output workbook is left out, so writing it inside an input folder and running the
    same command again works.
    """
    from risk_cli.readers import inputs as inputs_mod

    files, problems = inputs_mod.expand(inputs)
    if output is not None:
        files = [f for f in files if f.resolve() != output.resolve()]
    return files, [Skipped(p.file, str(p)) for p in problems]


def gather(files: Iterable[Path], library: Library, tick: Optional[Callable[[], None]] = None,
           debug: bool = False) -> Gathered:
    """Every file scored, or skipped with its reason; `tick` is called after each (progress)."""
    out = Gathered()
    changed: dict[tuple[str, str, str], list[str]] = {}
    for path in files:
        try:
            assessed, old_hash = assess_one(path, library)
        except RiskCliError as exc:
            out.skipped.append(skipped(str(path), exc))
        except Exception as exc:  # a file that trips a bug must not stop a thousand others
            if debug:
                raise
            out.skipped.append(Skipped(str(path), f"{path}: could not be read (internal error {type(exc).__name__}: "
                                                  f"{exc}; please report it)"))
        else:
            out.assessed.append(assessed)
            if old_hash:
                qn = assessed.register.questionnaire
                changed.setdefault((qn.id, qn.version, old_hash[:12]), []).append(str(path))
        if tick is not None:
            tick()
    for (qid, version, old), paths in changed.items():  # one line per content change, not per file
        shown = ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
        out.warnings.append(Problem(f"{qid} {version}", f"{len(paths)} input(s) were answered when this questionnaire "
                                    f"had different content (sha256 {old}...); they were checked and scored against "
                                    f"its current content: {shown}"))
    return out
