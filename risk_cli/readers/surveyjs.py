"""A SurveyJS survey, written to the conventions of the Canada Algorithmic Impact Assessment, read
into the data of a format-2 points questionnaire (checked afterwards by catalogue.read_points).

The conventions: an element's name (or its panel's, or its page's) ends in `-RS` (it feeds the raw
impact total), `-MS` (the mitigation total) or `-NS` (not scored); a choice's value carries its
points after its last hyphen (`item3-2`: 2 points); `visibleIf` uses `=`, `!=`, `contains`,
`notcontains`, `empty`, `notempty`, `and`, `or` and brackets; text is plain or
`{"default": ..., "fr": ...}`.

Each page becomes a section, and so does each panel (its title kept, its condition joined to the
page's); questions keep their SurveyJS names as ids, choices their values. Whatever cannot be
mapped is reported as a `Note`, one per construct, with the page and element it is in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Optional

TYPES = {"radiogroup": "choice", "dropdown": "choice", "checkbox": "multi", "text": "text", "comment": "text"}
SCORED_TYPES = ("radiogroup", "dropdown", "checkbox")
SUFFIX_TOTALS = {"-RS": "raw", "-MS": "mitigation", "-NS": None}
ELEMENT_KEYS = {"type", "name", "title", "description", "choices", "visibleIf", "elements", "help", "popupdescription"}
PAGE_KEYS = {"name", "title", "description", "elements", "visibleIf"}
TOP_KEYS = {"pages", "title", "description"}
HELP_KEYS = ("description", "help", "popupdescription")


@dataclass(frozen=True)
class Note:
    where: str  # page/element
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class _Unmappable(Exception):
    pass


def text_of(value: Any) -> Any:
    """SurveyJS text as questionnaire text: plain, or {en: ..., fr: ...}."""
    if isinstance(value, dict):
        out = {}
        for lang, t in value.items():
            code = "en" if lang == "default" else lang
            if isinstance(t, str) and t.strip() and re.match(r"[a-z]{2}$", code):
                out[code] = t.strip()
        if set(out) == {"en"}:
            return out["en"]
        return out if "en" in out else None
    return value.strip() if isinstance(value, str) and value.strip() else None


def _join(texts: list[Any]) -> Any:
    texts = [t for t in texts if t]
    if not texts:
        return None
    if all(isinstance(t, str) for t in texts):
        return "\n\n".join(texts)
    langs = sorted({lang for t in texts if isinstance(t, dict) for lang in t} | {"en"})
    return {lang: "\n\n".join((t if isinstance(t, str) else t.get(lang, t.get("en", ""))) for t in texts) for lang in langs}


def points_of_value(value: str) -> int:
    """The points a choice value carries after its last hyphen (0 when it carries none)."""
    if "-" in value:
        tail = value.rsplit("-", 1)[1]
        if re.fullmatch(r"-?[0-9]+", tail):
            return int(tail)
    return 0


def _suffix_total(name: Any) -> tuple[bool, Optional[str]]:
    for suffix, total in SUFFIX_TOTALS.items():
        if isinstance(name, str) and name.endswith(suffix):
            return True, total
    return False, None


class Converter:
    def __init__(self) -> None:
        self.notes: list[Note] = []
        self.questions: dict[str, dict] = {}  # id -> question data, in order
        self.sections: list[dict] = []
        self.conditions = 0  # visibleIf conditions translated
        self.seen_sections: set[str] = set()

    def note(self, where: str, message: str) -> None:
        self.notes.append(Note(where, message))

    # -- the survey ----------------------------------------------------------------------
    def convert(self, survey: Any, qid: str, version: str) -> dict:
        if not isinstance(survey, dict) or not isinstance(survey.get("pages"), list):
            raise _Unmappable("not a SurveyJS survey: no 'pages' list")
        for key in survey:
            if key not in TOP_KEYS:
                self.note("survey", f"survey setting '{key}' is not kept")
        for i, page in enumerate(survey["pages"]):
            self.page(page, i)
        title = text_of(survey.get("title")) or qid
        return {
            "format": 2, "model": "points", "id": qid, "version": version, "title": title,
            "totals": [{"id": "raw", "label": {"en": "Raw impact score", "fr": "Score d'impact brut"}},
                       {"id": "mitigation", "label": {"en": "Mitigation score", "fr": "Score d'atténuation"},
                        "max_divisor": 2}],
            "score": "raw",
            "adjustments": [{"when_total": "mitigation", "at_least_share": 0.8,
                             "then": {"total": "raw", "multiply": 0.85, "round": "half_up"}}],
            "levels": [{"id": "I", "label": "Level I", "up_to_share": 0.25},
                       {"id": "II", "label": "Level II", "up_to_share": 0.5},
                       {"id": "III", "label": "Level III", "up_to_share": 0.75},
                       {"id": "IV", "label": "Level IV"}],
            "sections": self.sections,
        }

    def page(self, page: Any, index: int) -> None:
        name = page.get("name") if isinstance(page, dict) else None
        where = str(name or f"page {index + 1}")
        if not isinstance(page, dict):
            self.note(where, "a page that is not an object is skipped")
            return
        for key in page:
            if key not in PAGE_KEYS:
                self.note(where, f"page property '{key}' is not kept")
        when = self.condition(page.get("visibleIf"), where)
        _, total = _suffix_total(name)
        self.group(page.get("elements") or [], where, str(name or f"page-{index + 1}"),
                   text_of(page.get("title")) or str(name or f"Page {index + 1}"), when, total)

    def group(self, elements: list, where_page: str, sid: str, title: Any, when: Optional[dict],
              total: Optional[str]) -> None:
        """One section for the questions of a page or panel, in runs between its panels."""
        run: list[dict] = []
        part = 0

        def flush() -> None:
            nonlocal run, part
            if run:
                part += 1
                self.add_section(sid if part == 1 else f"{sid}-{part}", title, when, run)
            run = []

        for element in elements:
            ename = element.get("name") if isinstance(element, dict) else None
            where = f"{where_page}/{ename or '?'}"
            if not isinstance(element, dict):
                self.note(where, "an element that is not an object is skipped")
                continue
            etype = element.get("type")
            if etype == "panel":
                flush()
                has, ptotal = _suffix_total(ename)
                pwhen = self.condition(element.get("visibleIf"), where)
                ptitle = text_of(element.get("title")) or title
                for key in element:
                    if key not in ELEMENT_KEYS:
                        self.note(where, f"panel property '{key}' is not kept")
                self.group(element.get("elements") or [], where_page, str(ename or f"{sid}-panel"), ptitle,
                           _both(when, pwhen), ptotal if has else total)
                continue
            q = self.question(element, where, total)
            if q is not None:
                run.append(q)
        flush()

    def add_section(self, sid: str, title: Any, when: Optional[dict], questions: list[dict]) -> None:
        base, n = sid, 1
        while sid in self.seen_sections:
            n += 1
            sid = f"{base}-{n}"
        self.seen_sections.add(sid)
        section: dict = {"id": sid, "title": title}
        if when is not None:
            section["when"] = when
        section["questions"] = questions
        self.sections.append(section)

    def question(self, element: dict, where: str, inherited: Optional[str]) -> Optional[dict]:
        etype, name = element.get("type"), element.get("name")
        if etype not in TYPES:
            if etype == "html":
                self.note(where, "html element (display text only) is not kept")
            else:
                self.note(where, f"element type '{etype}' is not supported; skipped")
            return None
        if not isinstance(name, str) or not re.match(r"[A-Za-z0-9][A-Za-z0-9_.-]*$", name):
            self.note(where, f"element name {name!r} cannot be a question id; skipped")
            return None
        if name in self.questions:
            self.note(where, "a second element with this name is skipped")
            return None
        for key in element:
            if key not in ELEMENT_KEYS:
                self.note(where, f"property '{key}' is not kept")
        has, own = _suffix_total(name)
        total = own if has else inherited
        q: dict = {"id": name, "type": TYPES[etype], "text": text_of(element.get("title")) or name}
        helps = _join([text_of(element.get(k)) for k in HELP_KEYS])
        if helps:
            q["help"] = helps
        if etype in SCORED_TYPES:
            choices = []
            for j, c in enumerate(element.get("choices") or []):
                value, label = (c.get("value"), c.get("text")) if isinstance(c, dict) else (c, None)
                if not isinstance(value, (str, int)) or isinstance(value, bool):
                    self.note(f"{where}/choice {j + 1}", "a choice without a usable value is skipped")
                    continue
                value = str(value)
                if not re.match(r"[A-Za-z0-9][A-Za-z0-9_.-]*$", value):
                    self.note(f"{where}/choice {j + 1}", f"choice value {value!r} cannot be a choice id; skipped")
                    continue
                choice: dict = {"id": value, "label": text_of(label) or value}
                if total is not None:
                    choice["points"] = points_of_value(value)
                choices.append(choice)
            if not choices:
                self.note(where, "a question without choices is skipped")
                return None
            q["choices"] = choices
            if total is not None:
                q["total"] = total
        elif total is not None and has:
            pass  # a text question named -RS/-MS carries no points, as in the AIA
        when = self.condition(element.get("visibleIf"), where)
        if when is not None:
            q["when"] = when
        self.questions[name] = q
        return q

    # -- visibleIf -------------------------------------------------------------------------
    def condition(self, expression: Any, where: str) -> Optional[dict]:
        if expression is None:
            return None
        try:
            if not isinstance(expression, str):
                raise _Unmappable("is not text")
            parser = _Parser(expression, self.questions)
            cond = parser.parse()
        except _Unmappable as exc:
            self.note(where, f"visibleIf {expression!r} {exc}; the condition is dropped (always shown)")
            return None
        self.conditions += 1
        return cond


def _both(a: Optional[dict], b: Optional[dict]) -> Optional[dict]:
    if a is None or b is None:
        return a or b
    return {"all": [a, b]}


TOKEN = re.compile(r"\s*(?:(\{[^}]*\})|(\"[^\"]*\"|'[^']*')|(\[)|(\])|(\()|(\))|(,)|(!=|=|<>)|"
                   r"([A-Za-z_][A-Za-z0-9_]*)|(-?[0-9]+(?:\.[0-9]+)?))")


class _Parser:
    """A small recursive-descent reader of the visibleIf expressions the conventions use."""

    def __init__(self, text: str, questions: dict[str, dict]) -> None:
        self.tokens: list[tuple[str, str]] = []
        self.questions = questions
        pos = 0
        kinds = ("name", "string", "[", "]", "(", ")", ",", "op", "word", "number")
        text = text.strip()
        while pos < len(text):
            m = TOKEN.match(text, pos)
            if not m or m.end() == pos:
                raise _Unmappable(f"has text risk-cli cannot read at {text[pos:pos + 10]!r}")
            i = next(k for k in range(len(kinds)) if m.group(k + 1) is not None)
            self.tokens.append((kinds[i], m.group(i + 1)))
            pos = m.end()
            while pos < len(text) and text[pos].isspace():
                pos += 1
        self.i = 0

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.i] if self.i < len(self.tokens) else ("end", "")

    def take(self) -> tuple[str, str]:
        token = self.peek()
        self.i += 1
        return token

    def parse(self) -> dict:
        cond = self.disjunction()
        if self.peek()[0] != "end":
            raise _Unmappable(f"has '{self.peek()[1]}' where risk-cli expected the end")
        return cond

    def _word(self, word: str) -> bool:
        kind, value = self.peek()
        if kind == "word" and value.lower() == word:
            self.take()
            return True
        return False

    def disjunction(self) -> dict:
        parts = [self.conjunction()]
        while self._word("or"):
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else {"any": parts}

    def conjunction(self) -> dict:
        parts = [self.atom()]
        while self._word("and"):
            parts.append(self.atom())
        return parts[0] if len(parts) == 1 else {"all": parts}

    def atom(self) -> dict:
        kind, value = self.peek()
        if kind == "(":
            self.take()
            cond = self.disjunction()
            if self.take()[0] != ")":
                raise _Unmappable("has an unclosed bracket")
            return cond
        if self._word("not"):
            return {"not": self.atom()}
        if kind != "name":
            raise _Unmappable(f"has '{value}' where a {{question}} was expected")
        self.take()
        qid = value[1:-1].strip()
        q = self.questions.get(qid)
        if q is None:
            raise _Unmappable(f"names {{{qid}}}, which is not a question before it")
        kind, op = self.peek()
        if kind == "op":
            self.take()
            values = self.values()
            if len(values) != 1:
                raise _Unmappable("compares with a list")
            test = self.equals(q, values[0])
            return {"not": test} if op in ("!=", "<>") else test
        if kind == "word" and op.lower() in ("contains", "notcontains", "anyof", "allof"):
            self.take()
            values = self.values()
            test = self.includes(q, values, any_=op.lower() == "anyof")
            return {"not": test} if op.lower() == "notcontains" else test
        if kind == "word" and op.lower() in ("empty", "notempty"):
            self.take()
            return {"question": qid, "answered": op.lower() == "notempty"}
        raise _Unmappable(f"uses '{op or 'nothing'}' after {{{qid}}}, which risk-cli does not map")

    def values(self) -> list[str]:
        kind, value = self.take()
        if kind == "string":
            return [value[1:-1]]
        if kind == "number":
            return [value]
        if kind == "[":
            out = []
            while True:
                k, v = self.take()
                if k == "]":
                    return out
                if k == ",":
                    continue
                if k not in ("string", "number"):
                    raise _Unmappable(f"has '{v}' inside a list")
                out.append(v[1:-1] if k == "string" else v)
        raise _Unmappable(f"has '{value}' where a value was expected")

    def _check(self, q: dict, value: str) -> None:
        if value not in {c["id"] for c in q.get("choices", [])}:
            raise _Unmappable(f"tests {q['id']} for {value!r}, which is not one of its choices")

    def equals(self, q: dict, value: str) -> dict:
        if q["type"] == "text":
            raise _Unmappable(f"compares the text answer of {q['id']}")
        if q["type"] == "multi":
            raise _Unmappable(f"compares the whole list of ticked choices of {q['id']} with one value")
        self._check(q, value)
        return {"question": q["id"], "equals": value}

    def includes(self, q: dict, values: list[str], any_: bool = False) -> dict:
        if q["type"] == "text" or not values:
            raise _Unmappable(f"tests the text answer of {q['id']} for contents")
        if q["type"] == "choice":
            # SurveyJS reads `contains` on a single answer as "its value holds this text" (a list
            # of texts joined by commas): the choices whose value holds it
            ids = [c["id"] for c in q["choices"]]
            wanted = values if any_ else [",".join(values)]
            hits = [cid for cid in ids if any(w in cid for w in wanted)]
            if not hits:
                raise _Unmappable(f"tests {q['id']} for {' or '.join(map(repr, wanted))}, which no choice's value holds")
            return {"question": q["id"], "equals": hits[0]} if len(hits) == 1 else {"question": q["id"], "in": hits}
        for v in values:
            self._check(q, v)
        if len(values) == 1:
            return {"question": q["id"], "includes": values[0]}
        if any_:
            return {"question": q["id"], "includes_any": values}
        return {"all": [{"question": q["id"], "includes": v} for v in values]}


def convert(survey: Any, qid: str, version: str = "1.0.0") -> tuple[Optional[dict], list[Note], Converter]:
    """The questionnaire data (None when nothing usable) and a note for each construct not mapped."""
    c = Converter()
    try:
        data = c.convert(survey, qid, version)
    except _Unmappable as exc:
        return None, [Note("survey", str(exc))], c
    if not c.questions:
        return None, c.notes + [Note("survey", "no question could be converted")], c
    return with_languages(data), c.notes, c


def _texts(value: Any) -> list[dict]:
    """Every text mapping in converted data (a mapping of language codes to text, `en` among them)."""
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    if not isinstance(value, dict):
        return []
    if value and "en" in value and all(isinstance(k, str) and re.match(r"[a-z]{2}$", k) and isinstance(v, str)
                                       for k, v in value.items()):
        return [value]
    return [t for v in value.values() for t in _texts(v)]


def with_languages(data: dict) -> dict:
    """`languages:` from the survey's locales (English, the default, first), placed after the title;
    the totals' labels, which the converter writes in English and French, keep only those."""
    sections = _texts(data.get("sections")) + _texts(data.get("title"))
    used = sorted({lang for t in sections for lang in t} - {"en"})
    languages = ["en"] + used
    for total in data.get("totals", []):
        label = total["label"]
        kept = {k: v for k, v in label.items() if k in languages}
        total["label"] = kept if len(kept) > 1 else kept["en"]
    out: dict = {}
    for key, value in data.items():
        out[key] = value
        if key == "title":
            out["languages"] = languages
    return out
