"""Text in a questionnaire of format 2: plain, or a mapping of language code to text with `en`
always present. One rule for choosing the language shown, shared by every model."""

from __future__ import annotations

from typing import Mapping, Optional, Union

Text = Union[str, Mapping[str, str]]

DEFAULT_LANGUAGE = "en"


def in_language(text: Text, lang: str = DEFAULT_LANGUAGE) -> str:
    """The text in `lang`, or in English where that language has none (a questionnaire may give
    some texts in one language only)."""
    if isinstance(text, str):
        return text
    return text.get(lang) or text.get(DEFAULT_LANGUAGE, "")


def choose(offered: tuple[str, ...], asked: Optional[str], recorded: Optional[str],
           preferred: Optional[str]) -> str:
    """The language to show: --lang (asked), else the answers' (recorded), else the environment's
    preference when offered, else the questionnaire's default (the first offered). Raises
    ValueError for an asked language not offered."""
    if asked:
        if asked not in offered:
            raise ValueError(f"offers {', '.join(offered)}; not {asked}")
        return asked
    if recorded:
        return recorded
    if preferred and preferred in offered:
        return preferred
    return offered[0]


def english(text: Text) -> str:
    return in_language(text, DEFAULT_LANGUAGE)
