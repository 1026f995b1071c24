"""Which questionnaire version an input is scored against: the one rule, decided here only.

1. A questionnaire a person named with -q (a bundled id, ID@VERSION, or a YAML file) is used for
   every input of the run.
2. Otherwise the input names its questionnaire by id, and an id read from a file is only ever
   compared with the ids of the questionnaires available, never treated as a path: what a file
   names must not choose which file is read. An input that names none is for uk-public-sector-ai.
3. Answers files and registers are scored against exactly the version they name, so their scores
   mean what they meant when they were given.
4. A filled template, and a new interview that takes last time's answers as defaults, use the
   newest version of the questionnaire named: teams fill in templates long after they were sent
   out (a template's answers are matched to it by question id), and a new interview asks the
   questions an assurance team asks today.

The questionnaires available are the bundled ones, and for the portfolio also the files given
with its -q (which there adds questionnaires rather than overriding the inputs' own). Parsed
questionnaires are kept by catalogue.cache, so choosing one per input costs no parsing.
"""

from __future__ import annotations

from pathlib import Path

from typing import TYPE_CHECKING, Any, Callable, Iterable, Optional, TypeVar

from risk_cli.catalogue import bundled
from risk_cli.catalogue.bundled import DEFAULT_ID, NotBundled
from risk_cli.errors import RiskCliError
from risk_cli.model.answers import Answers
from risk_cli.model.questionnaire import Questionnaire, version_key

if TYPE_CHECKING:
    from risk_cli.model.points import Format2Questionnaire

T = TypeVar("T")
TEMPLATE = "template"  # the kind of input that maps onto the newest version (rule 4)


class Versions:
    """The questionnaires a run's inputs can be scored against, and the rule that chooses one."""

    def __init__(self, name: Optional[str] = None) -> None:
        self.name = name  # -q: used for every input (rule 1)
        self.given: list[Questionnaire] = []  # the portfolio's -q files: available besides the bundled ones
        self.given_format_2: list["Format2Questionnaire"] = []  # those of them that are format 2 (points, rated)
        self._library = False
        # The choices this run made, errors too: a thousand inputs naming one version cost one
        # lookup, or raise the same error. (Parsed questionnaires are kept by catalogue.cache.)
        self._chosen: dict[Any, tuple[bool, Any]] = {}

    def _once(self, key: Any, choose: Callable[[], T]) -> T:
        if key not in self._chosen:
            try:
                self._chosen[key] = (True, choose())
            except RiskCliError as exc:
                self._chosen[key] = (False, exc)
        ok, value = self._chosen[key]
        if not ok:
            raise value
        return value

    @classmethod
    def library(cls, files: Iterable[str] = ()) -> "Versions":
        """The portfolio's: the files given with -q are available alongside the bundled ones."""
        from risk_cli.catalogue import header, loader, read_rated

        versions = cls()
        files = list(files)
        format_2 = [f for f in files if str(f).endswith((".yaml", ".yml")) and header.file_is_format_2(str(f))]
        versions.given = [loader.load(f) for f in files if f not in format_2]
        versions.given_format_2 = [read_rated.load_format_2(Path(f)) for f in format_2]
        versions._library = True
        return versions

    def named(self) -> Questionnaire:
        """The -q questionnaire; RiskCliError (a usage error) if it cannot be loaded."""
        return self._once(("named", self.name), lambda: bundled.resolve(self.name))

    def for_input(self, raw: Optional[Answers], kind: str = "answers") -> Questionnaire:
        """The questionnaire answers read from an input of `kind` are checked and scored against."""
        if self.name:
            return self.named()
        qid = raw.questionnaire_id if raw is not None and raw.questionnaire_id else DEFAULT_ID
        if kind == TEMPLATE:
            return self.newest(qid, f"the template is for questionnaire '{qid}', which is not bundled with "
                                    "risk-cli; give its YAML file with -q FILE")
        return self.exact(qid, raw.questionnaire_version if raw is not None else "")

    def for_new_interview(self, last: Optional[Answers]) -> Questionnaire:
        """A new interview in a terminal, `last` time's answers (if any) offered as defaults."""
        if not self.name and last is not None and last.questionnaire_id:
            return bundled.by_id(last.questionnaire_id)
        return self.for_input(last)

    def exact(self, qid: str, version: str) -> Questionnaire:
        """Exactly this version (the newest when an answers file gives none)."""
        return self._once(("exact", qid, version), lambda: self._exact(qid, version))

    def _exact(self, qid: str, version: str) -> Questionnaire:
        for qn in self.given:
            if qn.id == qid and qn.version == version:
                return qn
        if not self._library:
            return bundled.by_id(qid, version or None)
        entries = [e for e in bundled.catalogue() if e.id == qid]
        entry = next((e for e in entries if e.version == version), None)
        if entry is None:
            have = sorted({f"{qn.id} {qn.version}" for qn in self.given} | {f"{e.id} {e.version}" for e in entries})
            known = f"versions here: {', '.join(have)}" if have else "no version of it is bundled"
            raise RiskCliError(f"answered against questionnaire {qid} {version}, which is not available "
                               f"({known}); give its file with -q FILE")
        return bundled.load_bundled(entry.path)

    def newest(self, qid: str, missing: str) -> Questionnaire:
        """The newest version of `qid` available; RiskCliError(`missing`) when there is none."""
        return self._once(("newest", qid), lambda: self._newest(qid, missing))

    def _newest(self, qid: str, missing: str) -> Questionnaire:
        given = [qn for qn in self.given if qn.id == qid]
        try:
            found: Optional[Questionnaire] = bundled.by_id(qid)
        except NotBundled:
            found = None
        candidates = given + ([found] if found is not None else [])
        if not candidates:
            raise RiskCliError(missing)
        return max(candidates, key=lambda qn: version_key(qn.version))

    # -- format 2 (points and rated models): an input is for one when it names a bundled one by id,
    # or when -q names one. The same rules apply: -q wins, and an input's exact version is used.

    def format_2_named(self) -> Optional["Format2Questionnaire"]:
        """The -q questionnaire when it is a format-2 one, else None."""
        if not self.name:
            return None
        return self._once(("format-2 named", self.name), lambda: _format_2_named(self.name or ""))

    def format_2_for(self, data: Any) -> Optional["Format2Questionnaire"]:
        """The format-2 questionnaire an input's parsed answers (`data`) are for, or None when they
        are for a format-1 one. RiskCliError when they name a format-2 version that is not bundled."""
        named = self.format_2_named()
        if named is not None:
            return named
        ref = data.get("questionnaire") if isinstance(data, dict) else None
        if not isinstance(ref, dict) or not isinstance(ref.get("id"), str):
            return None
        qid, version = ref["id"], str(ref.get("version") or "")
        for given in self.given_format_2:  # a portfolio's -q format-2 file: the version it is, or any
            if given.id == qid and (not version or given.version == version):
                return given
        refs = bundled.format_2_refs()
        versions = sorted((v for (i, v) in refs if i == qid), key=version_key)
        if not versions:
            return None
        return self._once(("format-2", qid, version), lambda: _format_2_bundled(qid, version, versions, refs))

    def newest_versions(self) -> dict[str, str]:
        """Each questionnaire id available, with its newest version."""
        out: dict[str, str] = {}
        pairs = [(q.id, q.version) for q in self.given] + [(e.id, e.version) for e in bundled.catalogue()]
        for qid, version in pairs:
            if version_key(version) > version_key(out.get(qid, "0")):
                out[qid] = version
        return out


def _format_2_named(name: str) -> Optional["Format2Questionnaire"]:
    from pathlib import Path

    from risk_cli.catalogue import header

    found = bundled.format_2_path(name)
    if found is None and name.endswith((".yaml", ".yml")) and header.file_is_format_2(name):
        found = Path(name)
    if found is None:
        return None
    from risk_cli.catalogue import read_rated

    return read_rated.load_format_2(found)


def _format_2_bundled(qid: str, version: str, versions: list[str],
                      refs: dict[tuple[str, str], Any]) -> "Format2Questionnaire":
    from risk_cli.catalogue import read_rated

    version = version or versions[-1]
    if (qid, version) not in refs:
        raise RiskCliError(f"questionnaire {qid} version {version} is not bundled with this tool "
                           f"(versions: {', '.join(versions)})")
    return read_rated.load_format_2(refs[(qid, version)])
