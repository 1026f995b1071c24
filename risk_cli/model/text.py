"""Text in a questionnaire of format 2: plain, or a mapping of language code to text with `en`
always present. One rule for choosing the language shown, shared by every model."""

from __future__ import annotations

from typing import Mapping, Union

Text = Union[str, Mapping[str, str]]

DEFAULT_LANGUAGE = "en"


def in_language(text: Text, lang: str = DEFAULT_LANGUAGE) -> str:
    """The text in `lang`, or in English where that language has none (a questionnaire may give
    some texts in one language only)."""
    if isinstance(text, str):
        return text
    return text.get(lang) or text.get(DEFAULT_LANGUAGE, "")


def english(text: Text) -> str:
    return in_language(text, DEFAULT_LANGUAGE)
