"""Language of each paragraph and of the article.

Stage: needs ``Article.text`` and ``Article.paragraphs``; sets
``Paragraph.lang`` and ``Article.lang``.

Scripts that only one supported language writes (Han without kana, kana,
hangul, Cyrillic, Arabic) are decided by counting characters, which is exact
and much faster than a model; only Latin-script text goes to lingua, built once
for ``SUPPORTED`` (all 75 languages would cost 1.3 GB).
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from storyline.models import Article

if TYPE_CHECKING:
    from lingua import LanguageDetector

__all__ = ["MIN_LETTERS", "SUPPORTED", "detect", "tag_languages"]

SUPPORTED: tuple[str, ...] = ("en", "zh", "ja", "ko", "es", "fr", "de", "it", "pt", "ru", "ar")

# Fewer letters than this and no language is claimed ("und"), except for
# CJK, where two characters already carry a word.
MIN_LETTERS = 3
# Latin paragraphs shorter than this ("Share", "Read More:") are too short for
# lingua to be reliable; they take the article's dominant Latin language.
SHORT_LATIN = 25
# Up to this many letters, a paragraph full of names (a photo credit such as
# "Anna Berg and Tom Kessler | Pool, AFP") can look German to lingua; it keeps the dominant
# language unless lingua is confident that it is another one.
MEDIUM_LATIN = 200
_KEEP_DOMINANT = 0.15
# lingua is linear in length and a paragraph's opening is enough.
_SAMPLE = 400


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, code.upper()) for code in SUPPORTED]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()


def _script_counts(text: str) -> tuple[int, int, int, int, int, int, int]:
    """Letters by script: han, kana, hangul, latin, cyrillic, arabic, total."""
    han = kana = hangul = latin = cyr = arab = total = 0
    for ch in text:
        if not ch.isalpha():
            continue
        total += 1
        o = ord(ch)
        if o < 0x250:
            latin += 1
        elif 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF:
            han += 1
        elif 0x3040 <= o <= 0x30FF or 0x31F0 <= o <= 0x31FF or 0xFF66 <= o <= 0xFF9F:
            kana += 1
        elif 0xAC00 <= o <= 0xD7AF or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F:
            hangul += 1
        elif 0x0400 <= o <= 0x04FF:
            cyr += 1
        elif 0x0600 <= o <= 0x06FF or 0x0750 <= o <= 0x077F:
            arab += 1
        elif 0x1E00 <= o <= 0x1EFF or 0xFF21 <= o <= 0xFF5A:
            latin += 1
    return han, kana, hangul, latin, cyr, arab, total


def _by_script(text: str) -> tuple[str | None, int, int]:
    """(language decided by script or None for Latin/unknown, letters, latin letters)."""
    han, kana, hangul, latin, cyr, arab, total = _script_counts(text)
    cjk = han + kana + hangul
    # One Han character carries about as much as a short Latin word, so CJK
    # wins with a quarter of the letters ("本站使用 cookie").
    if cjk >= 2 and cjk * 4 >= total:
        # Japanese writes kana in nearly every sentence and Korean is mostly
        # hangul; a few stray kana in Chinese (or Hanja in Korean) do not count.
        if hangul * 10 >= cjk * 3:
            return "ko", total, latin
        if kana * 10 >= cjk:
            return "ja", total, latin
        return "zh", total, latin
    if total < MIN_LETTERS:
        return "und", total, latin
    if cyr * 2 > total:
        return "ru", total, latin
    if arab * 2 > total:
        return "ar", total, latin
    return None, total, latin


def _lingua(text: str) -> str:
    lang = _detector().detect_language_of(text[:_SAMPLE])
    if lang is None:
        return "und"
    return lang.iso_code_639_1.name.lower()


def _short_latin(text: str, dominant: str | None) -> str:
    """Language of a short Latin-script paragraph, leaning to the article's language."""
    if dominant is None:
        return _lingua(text)
    _, _, _, latin, _, _, _ = _script_counts(text)
    if latin < SHORT_LATIN:
        return dominant
    for value in _detector().compute_language_confidence_values(text[:_SAMPLE]):
        if value.language.iso_code_639_1.name.lower() == dominant:
            if value.value >= _KEEP_DOMINANT:
                return dominant
            break
    return _lingua(text)


def detect(text: str) -> str:
    """ISO 639-1 code of ``text`` among ``SUPPORTED``, ``"und"`` when it cannot tell."""
    lang, _, _ = _by_script(text)
    return lang if lang is not None else _lingua(text)


def tag_languages(article: Article) -> None:
    """Set each paragraph's language and the article's dominant one (by characters).

    An ``Article.lang`` already set (from a source hint) is kept; paragraphs
    are detected regardless, since a page in one language often quotes another.

    The title counts towards the dominant language. Short Latin-script
    paragraphs inherit the dominant Latin-script language when there is one,
    since lingua guesses wildly on two or three words.
    """
    text = article.text
    weights: dict[str, int] = {}
    pending: list[tuple[int, str]] = []  # (paragraph index, text) of short Latin ones
    chunks = [(i, text[p.start : p.end]) for i, p in enumerate(article.paragraphs)]
    if article.title:
        chunks.append((-1, article.title))
    if not article.paragraphs and text.strip():
        chunks.append((-2, text))
    for i, chunk in chunks:
        lang, _, latin = _by_script(chunk)
        if lang is None:
            if latin < MEDIUM_LATIN:
                pending.append((i, chunk))
                continue
            lang = _lingua(chunk)
        if i >= 0:
            article.paragraphs[i].lang = lang
        if lang != "und":
            weights[lang] = weights.get(lang, 0) + len(chunk)
    latin_langs = {"en", "es", "fr", "de", "it", "pt"}
    fallback = max(
        (lang for lang in weights if lang in latin_langs),
        key=lambda lang: (weights[lang], lang),
        default=None,
    )
    if fallback is None and pending:
        # No long Latin paragraph to lean on: all the short ones together make
        # a sample long enough for lingua.
        joined = _lingua(" ".join(chunk for _, chunk in pending))
        fallback = joined if joined in latin_langs else None
    for i, chunk in pending:
        lang = _short_latin(chunk, fallback)
        if i >= 0:
            article.paragraphs[i].lang = lang
        if lang != "und":
            weights[lang] = weights.get(lang, 0) + len(chunk)
    if article.lang != "und":
        return  # stated by the source (a hint), which wins over a guess
    article.lang = max(weights, key=lambda lang: (weights[lang], lang)) if weights else "und"
