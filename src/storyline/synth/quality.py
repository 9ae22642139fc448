"""How usable a stored sentence is as a summary line: page furniture and machine-translation damage.

Pure heuristics over the text, no model: ``sentence_quality`` scores one
sentence, ``machine_translated`` spots a page that says it was translated by
a machine. The summary pool runs them over every sentence of a story, so the
common path (an ASCII sentence of lower-case words) is kept cheap.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from ..text.terms import _stem

__all__ = ["WORD", "garble", "junk", "machine_translated", "sentence_quality", "stem"]

_CJK = "\u3400-\u9fff\uf900-\ufaff"
_HAN = re.compile(rf"[{_CJK}]")
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_END = re.compile(r"[.!?。！？…][\"'”’」』）)\]]*\s*$")
# Lines a page carries around its story: credits, captions, share and subscribe
# prompts, breadcrumbs, tags, translation notices.
# Plain substrings of the lower-cased line (a set of ``in`` tests is ten times
# faster than one regular expression with this many alternatives).
_JUNK_TEXT = (
    "subscribe", "sign up", "newsletter", "share this", "follow us", "read more", "also read", "getty",
    "reuters/", "caption", "copyright", "©", "all rights reserved", "click here", "advertisement",
    "auto-translated", "translated automatically", "original language", "min read", "forward this",
    "contributed to this report", "reporting by", "editing by", "字号", "分享到", "责任编辑", "编辑：",
    "来源：", "图片", "图为", "资料图", "生成的图像", "订阅", "转发", "退订", "相关阅读", "扫码", "关注我们",
)  # fmt: skip
# An ASCII line cannot hold the others: testing only these halves the cost on English pages.
_JUNK_ASCII = tuple(x for x in _JUNK_TEXT if x.isascii())
_JUNK_WORD = re.compile(r"\b(?:photo|image|afp|credit)|^(?:tags?:|related (?:articles|stories|reading))")
# A line holds a ``_JUNK_WORD`` only if it holds one of these: the cheap test rules most lines out.
_JUNK_HINTS = ("photo", "image", "afp", "credit", "tag", "related ")
_MACHINE = re.compile(
    r"auto-translated|translated automatically|machine[- ]translat|机器翻译|自动翻译", re.IGNORECASE
)
# Openers that lean on a sentence the reader will not see.
_DANGLING = re.compile(
    r"^(?:he|she|it|they|this|these|that|those|but|and|so|still|instead|also|conversely|"
    r"at that time)\b|^(?:他|她|它|他们|这|此外|但|而且|对此)",
    re.IGNORECASE,
)
# Function words are never capitalised inside an English sentence; one that is
# shows a full stop lost in machine translation ("this year In 2019 During ...").
_FUNCTION = frozenset([
    "in", "on", "at", "with", "for", "during", "to", "from", "by", "of", "about", "after", "before", "into",
    "under", "over", "its", "it", "their", "his", "her", "will", "would", "can", "could", "should", "is",
    "are", "was", "were", "has", "have", "had", "and", "but", "or", "if", "while", "as", "than", "that",
    "which", "who", "a", "an", "the", "according", "this", "these", "those",
])  # fmt: skip
_MONTHS = frozenset(["march", "may", "june", "august"])  # months that are also common words
_AFTER_PUNCTUATION = frozenset(".:;!?\"“”‘’'([—–-")
# Below this wordfreq frequency a long lower-case word is a lost space or an invented word.
_RARE = 3e-8


def machine_translated(text: str) -> bool:
    """Whether a page says, near its top, that it was machine-translated."""
    return _MACHINE.search(text[:400]) is not None


def sentence_quality(
    text: str,
    lang: str,
    lowercase: set[str] | frozenset[str] = frozenset(),
    names: list[tuple[int, int]] | None = None,
) -> tuple[float, float]:
    """(junk, garble) of one sentence: 0 is clean, 1 or more is unusable.

    ``junk`` is page furniture and fragments (credits, prompts, headers,
    too-short lines); ``garble`` counts signs of machine translation in English:
    a function word capitalised mid-sentence, a common word capitalised in
    mid-sentence when the story writes it in lower case elsewhere
    (``lowercase``, stemmed), a run-together word that no dictionary knows.
    ``names`` are entity spans within ``text``, whose capitals are legitimate.
    """
    stripped = text.strip()
    words = WORD.findall(stripped)
    return junk(stripped, lang, len(words)), garble(
        stripped, words, lowercase, names or []
    ) if lang == "en" else 0.0


def junk(stripped: str, lang: str, n_words: int) -> float:
    """Page furniture and fragments in a stripped sentence of ``n_words`` ``WORD`` matches."""
    score = 0.0
    low = stripped.lower()
    ascii_ = stripped.isascii()
    if any(x in low for x in (_JUNK_ASCII if ascii_ else _JUNK_TEXT)) or (
        any(x in low for x in _JUNK_HINTS) and _JUNK_WORD.search(low)
    ):
        score += 1.0
    if "|" in stripped or stripped.count(" > ") >= 2 or stripped.startswith(("[", "•", "·")):
        score += 1.0
    if not _END.search(stripped):
        score += 0.7  # a header, a label or a cut-off line
    han = 0 if ascii_ else len(_HAN.findall(stripped))
    if lang == "zh":
        if han < 12:
            score += 0.6
        if n_words >= 3 and han >= 4:
            score += 0.5  # a bilingual label line
    else:
        if n_words < 6:
            score += 0.6
        if han >= 4:
            score += 0.5
        if stripped[:1].islower():
            score += 0.5
    if stripped.endswith(("?", "？")):
        score += 0.3
    if _DANGLING.match(stripped):
        score += 0.2
    return score


def garble(
    text: str, words: list[str], lowercase: set[str] | frozenset[str], names: list[tuple[int, int]]
) -> float:
    """Signs of machine translation in an English sentence; ``words`` are its ``WORD`` matches.

    Words come as strings, not match objects: a story has tens of thousands of
    them, and that many tracked objects keep the garbage collector busy."""
    # Only a capital past the first word, or a long lower-case word, can be a sign: the rest (most
    # words) are passed over in one comprehension, and word positions are found only when needed.
    signs = [
        i
        for i, w in enumerate(words)
        if (i and w[0].isupper()) or (w[0].islower() and len(w) > 5 and "-" not in w and _rare(w))
    ]
    flags = 0.0
    starts: list[int] | None = None
    for i in signs:
        w = words[i]
        if w[0].islower():
            flags += 1.0  # "procurementfentanyl": a lost space or an invented word
            continue
        lw = w.lower()
        if (len(w) > 1 and w.isupper()) or lw in _MONTHS:
            continue  # an acronym or a month is regular
        if starts is None:
            starts = _starts(text, words)
        if _in_names(starts[i], names):
            continue
        if not _AFTER_PUNCTUATION.isdisjoint(text[starts[i - 1] + len(words[i - 1]) : starts[i]]):
            continue  # a capital after punctuation or a quote mark is regular
        if lw in _FUNCTION:
            # "The Asia Group": a capitalised article opens a name.
            if not (lw in ("the", "a", "an") and i + 1 < len(words) and words[i + 1][0].isupper()):
                flags += 1.0
        elif (
            not words[i - 1][0].isupper()
            and stem(lw) in lowercase
            and not _before_name(words, starts, i, names)
        ):
            flags += 0.7
    return flags


def _starts(text: str, words: list[str]) -> list[int]:
    """Where each word of ``text`` starts (only non-letters lie between two: ``find`` cannot stop early)."""
    out = []
    pos = 0
    for w in words:
        pos = text.find(w, pos)
        out.append(pos)
        pos += len(w)
    return out


def _in_names(pos: int, names: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in names)


def _before_name(words: list[str], starts: list[int], i: int, names: list[tuple[int, int]]) -> bool:
    """Whether the capitalised run at word ``i`` runs into a name (a title: "Press Secretary Jane Doe")."""
    j = i
    while j + 1 < len(words) and words[j + 1][0].isupper():
        j += 1
        if _in_names(starts[j], names):
            return True
    return False


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    return _stem(word)


@lru_cache(maxsize=1 << 16)
def _rare(word: str) -> bool:
    base = word.lower().replace("’", "'").split("'")[0]
    return _english_frequencies().get(base, 0.0) < _RARE


@cache
def _english_frequencies() -> dict[str, float]:
    from wordfreq import get_frequency_dict

    return get_frequency_dict("en")
