"""Sentence spans, per paragraph, by punctuation rules per language.

Stage: needs ``Article.text``, ``Article.paragraphs`` (with languages from
``text.lang``); fills ``Article.sentences``. Sentences never cross a paragraph
boundary and take the paragraph's language.

Rules rather than a model: news prose is regular, rules are fast and
predictable, and the hard cases are known (abbreviations, initials, decimals,
quotes closing after the full stop, ellipses; Chinese full-width punctuation
with no space after it).
"""

from __future__ import annotations

import re

from storyline.models import Article, Sentence

__all__ = ["split_sentences", "split_text"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_CLOSERS = "\"'”’»」』）)]】〕》"
_OPENERS = "\"'“‘«「『（([【〔《¿¡"

# Never end a sentence: titles and words that always precede something.
_TITLES = _words(
    """mr mrs ms mx dr prof sen rep gov gen lt col capt cmdr adm maj sgt cpl pvt st mt ft
    hon rev fr pres supt insp det atty messrs mme mlle sr sra srta dña hr hrn frau nr no nos
    vol fig art sec ch pp p para approx est dept univ ave blvd rd vs v cf"""
)
# Usually inside a sentence but may end one ("... of Apple Inc. The company"):
# split only when a typical sentence opener follows.
_SOFT = _words(
    """inc corp ltd co plc llc bros etc jr esq jan feb mar apr jun jul aug sep sept oct nov dec
    mon tue tues wed thu thur thurs fri sat sun al ph"""
)
_STARTERS = _words(
    """the a an he she it they we i you his her its their our this that these those there
    but and so yet in on at for as if when while after before since however meanwhile
    still also according what why how who where"""
)
# Words that stop a sentence only before a number ("No. 1", "Art. 5").
_BEFORE_NUMBER = frozenset({"no", "nos", "art", "vol", "fig", "p", "pp", "sec", "ch", "nr"})

_LATIN_END = re.compile(r"(?:\.{3,}|…+|[.!?]+)[" + re.escape(_CLOSERS) + r"]*(?=\s|$)")
_CJK_END = re.compile(r"(?:[。！？；]|…+|\.{3,}|[!?]+)[" + re.escape(_CLOSERS) + r"]*")
_ARABIC_END = re.compile(r"[.!?؟]+[" + re.escape(_CLOSERS) + r"]*(?=\s|$)")
_DOTTED = re.compile(r"^(?:[^\W\d_]\.)+[^\W\d_]$")  # U.S, a.m, e.g
_WORD_BEFORE = re.compile(r"([^\s" + re.escape(_OPENERS) + r"]*)$")
_NEXT_WORD = re.compile(r"\s*([" + re.escape(_OPENERS) + r"]*)(\S*)")
_SPEECH_TAG = re.compile(
    r"^[^“「『\"]{0,6}(?:说|說|表示|称|稱|说道|說道|问道|問道|指出|强调|強調|回应|回應)[。！？；…]*\s*$"
)
_HARD_BREAK = re.compile(r"\n\s*\n")
_SPACE_LANGS = frozenset({"en", "es", "fr", "de", "it", "pt", "ru", "und"})


def _latin_boundary(text: str, m: re.Match[str], end: int) -> bool:
    """Whether the punctuation matched by ``m`` ends a sentence (``text`` read up to ``end``)."""
    punct = m.group()
    nxt = _NEXT_WORD.match(text, m.end(), end)
    opener, word = (nxt.group(1), nxt.group(2)) if nxt else ("", "")
    if not word and not opener:
        return True  # end of text
    first = word[:1]
    if first and first.islower():
        # "... said Dr. smith" never happens in news; a lower-case continuation
        # means the stop was an abbreviation or an ellipsis inside a sentence.
        return False
    if punct[0] in "!?…" or punct.startswith(".."):
        return True
    # A bounded look back: searching from 0 at every stop is quadratic on a
    # long paragraph.
    before = _WORD_BEFORE.search(text, max(0, m.start() - 64), m.start())
    token = before.group(1) if before else ""
    low = token.lower().rstrip(".")
    if not low:
        return True
    if low in _BEFORE_NUMBER:
        return not first.isdigit()
    if low in _TITLES:
        return False
    if len(token) == 1 and token.isalpha() and token.isupper():
        return False  # an initial: "J. Smith"
    bare = word.strip(_CLOSERS + ",;:").lower()
    if low in _SOFT or _DOTTED.match(token.rstrip(".")):
        # "U.S. officials" continues; "in the U.S. The talks" ends.
        return bare in _STARTERS or bool(opener)
    return True


def _split_latin(text: str, start: int, end: int, pattern: re.Pattern[str]) -> list[int]:
    cuts = []
    for m in pattern.finditer(text, start, end):
        if pattern is _ARABIC_END or _latin_boundary(text, m, end):
            cuts.append(m.end())
    return cuts


def _split_cjk(text: str, start: int, end: int) -> list[int]:
    cuts = [m.end() for m in _CJK_END.finditer(text, start, end)]
    # English sentences quoted inside Chinese text still end at ". X".
    cuts += [
        m.end()
        for m in _LATIN_END.finditer(text, start, end)
        if m.group()[0] == "." and not m.group().startswith("..") and _latin_boundary(text, m, end)
    ]
    cuts = sorted(set(cuts))
    # "“这是好事！”他说。" is one sentence: keep a short speech tag with its quote.
    kept = []
    for i, cut in enumerate(cuts):
        nxt = cuts[i + 1] if i + 1 < len(cuts) else end
        tail = text[cut:nxt]
        if text[cut - 1] in _CLOSERS and len(tail) <= 12 and _SPEECH_TAG.search(tail):
            continue
        kept.append(cut)
    return kept


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _split_block(text: str, start: int, end: int, lang: str) -> list[tuple[int, int]]:
    if lang in ("zh", "ja"):
        cuts = _split_cjk(text, start, end)
    elif lang == "ar":
        cuts = _split_latin(text, start, end, _ARABIC_END)
    elif lang == "ko" or lang in _SPACE_LANGS:
        cuts = _split_latin(text, start, end, _LATIN_END)
    else:
        cuts = _split_cjk(text, start, end) if _looks_cjk(text[start:end]) else []
        cuts = cuts or _split_latin(text, start, end, _LATIN_END)
    spans = []
    prev = start
    for cut in [*cuts, end]:
        span = _trimmed(text, prev, cut)
        if span:
            spans.append(span)
        prev = cut
    return spans


def _looks_cjk(text: str) -> bool:
    return sum(1 for ch in text[:200] if "\u3000" <= ch <= "\u9fff") > 10


def split_text(text: str, lang: str) -> list[tuple[int, int]]:
    """Sentence spans ``[start, end)`` in ``text``, trimmed of surrounding whitespace.

    A blank line always ends a sentence; a single line break does not (hard
    wrapped plain text is common).
    """
    spans: list[tuple[int, int]] = []
    prev = 0
    for m in [*_HARD_BREAK.finditer(text), None]:
        cut = m.start() if m else len(text)
        spans.extend(_split_block(text, prev, cut, lang))
        prev = m.end() if m else len(text)
    return spans


def split_sentences(article: Article) -> None:
    """Fill ``article.sentences`` paragraph by paragraph (the whole text if there are none)."""
    text = article.text
    paragraphs = article.paragraphs or []
    sentences: list[Sentence] = []
    if not paragraphs:
        for s, e in split_text(text, article.lang):
            sentences.append(Sentence(s, e, article.lang))
    for p in paragraphs:
        lang = p.lang if p.lang != "und" else article.lang
        for s, e in split_text(text[p.start : p.end], lang):
            sentences.append(Sentence(p.start + s, p.start + e, p.lang))
    article.sentences = sentences
