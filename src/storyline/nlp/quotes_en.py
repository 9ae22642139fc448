"""English attribution rules: direct quotations and reported speech.

Spans follow PolNeAR, learnt from its training data: the cue is the
reporting verb ("said", "told", "according to"); the source is the noun
phrase that speaks ("he", "Mr. Trump", "a spokesman for the campaign", "who");
the content is everything attributed. Direct content is returned without its
quotation marks; a quotation that is only part of the content ("said the plan
was ''a disaster''") makes the whole content indirect.

Two passes. Quotations first, each looking for its cue:

- after it: ``"...," said Jackson`` / ``"...," he added`` / ``"...!" Trump tweeted``;
- before it: ``Trump wrote: "..."``, also across a sentence ending in ":";
- in the same sentence as an attribution just made: ``"...," he said, "..."``;
- none, but it opens the sentence right after an attributed quotation: it
  continues that one (same cue, same source), across paragraphs too.

Then every reporting verb not used yet, outside quotation marks:

- ``according to X`` before or after its content;
- participles (``..., saying ...``) take the subject of their clause;
- at the end of a sentence: ``..., officials said on Monday.``;
- in the middle: ``The plan, he said, would fail.`` (two content pieces);
- leading, with a subject before the verb: ``Clinton noted that ...``,
  ``He told reporters the talks ...``, ``Cruz criticized the deal``;
- infinitives (``used the debate to criticize the media``) take the subject of their clause;
- questions: ``(When) asked whether ...``, ``reporters asked about ...``;
- stance nouns with their preposition: ``Trump's criticism of the deal``;
- a verb outside the lexicon with a subject and a ``that`` clause:
  ``Local leaders recognize that ...``;
- ``... appears to ...``, ``is (widely) expected to ...``: content with no source;
- ``TAPPER: ...`` lines and quotations signed ``― Name``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import NamedTuple

from .quotes import Found, Region, quotation_regions, regions_within
from .quotes_lexicon import (
    ARTICLES,
    ASIDES,
    AUX,
    BELIEF,
    BOUNDARY,
    CLAUSE_BREAKS,
    CLAUSE_OPENERS,
    CUE_TAIL,
    CUE_WORDS,
    DETERMINERS,
    FINDERS,
    FINITE,
    IMPERSONAL,
    INVERTED_ONLY,
    LEMMA,
    MODIFIERS,
    NOT_COMPLEMENT,
    NOT_SPEAKERS,
    NOUN_CUES,
    NOUNS,
    OBJECTS,
    PARTICIPLES,
    PARTICLE,
    PASSIVE,
    PERSONAL,
    PLACE_PREPS,
    PLURAL_SUBJECTS,
    POSSESSIVES,
    PREPS,
    PRONOUNS,
    PUNCT,
    QUANTIFIERS,
    QUESTION_WORDS,
    ROLE_PREP,
    ROLES,
    SPEECH,
    STANCE,
    STOPS,
    TAIL_PREPS,
    TAIL_WORDS,
    TAKES_OBJECT,
    TIME_LEADS,
    TIME_WORDS,
    TITLES,
    WEEKDAYS,
)

__all__ = ["find_en"]


class _Tok(NamedTuple):
    start: int
    end: int
    text: str
    low: str


Span = tuple[int, int]  # character offsets [start, end)
Range = tuple[int, int]  # token indexes [a, b)


class _Attr(NamedTuple):
    """A cue with its source, shared by all the content pieces it governs."""

    cue_start: int
    cue_end: int
    source: Span | None


# --------------------------------------------------------------------------- tokens and regions

_WORD = re.compile(r"(?:[A-Za-z]\.){2,}|[^\W_]+(?:[’'\-.][^\W_]+)*\.?|''|[^\w\s]")
_LETTERS = re.compile(r"[A-Za-z]+")
_LINE = re.compile(r"[^\n]*[^\s][^\n]*")
_SPEAKER_LINE = re.compile(
    r"^[ \t]*((?:[A-Z][\w.’'-]*[ \t]+){0,2}[A-Z][\w.’'-]*)[ \t]*(:)[ \t]+(\S[^\n]*)$", re.M
)
_ABBREVIATION = re.compile(r"[,)]|\s+[a-z0-9]")
# A quotation signed with a dash at the end of its line: '"..." ― Jorge Falcon'.
_DASH_SOURCE = re.compile(
    r"[ \t\u00a0]*(―|—|–|--)[ \t\u00a0]*"
    r"([A-Z][\w.’'-]*(?:[ \t\u00a0]+[A-Z][\w.’'-]*){0,4})[ \t\u00a0.]*(?=\n|$)"
)


def _tokens(text: str, start: int, end: int) -> list[_Tok]:
    out = []
    for m in _WORD.finditer(text, start, end):
        s, e, w = m.start(), m.end(), m.group()
        low = w.lower()
        # A full stop belongs to a word for titles, initials and abbreviations
        # inside a sentence ("Mr.", "J.", "Ava, Mo., who").
        if w.endswith(".") and len(w) > 1 and "." not in w[:-1] and not _keeps_stop(text, w, low, e):
            out.append(_Tok(s, e - 1, w[:-1], low[:-1]))
            out.append(_Tok(e - 1, e, ".", "."))
            continue
        out.append(_Tok(s, e, w, low))
    return out


def _keeps_stop(text: str, word: str, low: str, end: int) -> bool:
    return (
        low[:-1] in TITLES or (len(word) == 2 and word[0].isupper()) or bool(_ABBREVIATION.match(text, end))
    )


def _title_case(toks: Sequence[_Tok]) -> bool:
    words = [t for t in toks if t.text[:1].isalpha() and len(t.text) > 3]
    return len(words) >= 4 and sum(t.text[0].isupper() for t in words) >= 0.8 * len(words)


def _cut_at_lines(text: str, sentences: Sequence[Span]) -> list[Span]:
    """Sentences never cross a line break here: headlines and datelines lack a full stop."""
    return sorted({(m.start(), m.end()) for s, e in sentences for m in _LINE.finditer(text, s, e)})


class _Doc:
    """The text with its sentences, tokens and quotation regions, looked up by offset."""

    def __init__(self, text: str, sentences: Sequence[Span]) -> None:
        self.text = text
        self.sents = _cut_at_lines(text, sentences)
        self.sent_starts = [s for s, _ in self.sents]
        self.regions = regions_within(quotation_regions(text), self.sents)
        self.region_opens = [r.open for r in self.regions]
        self._toks: dict[int, list[_Tok]] = {}
        self.cue_sentences = {
            self.sentence_of(m.start()) for m in _LETTERS.finditer(text) if m.group().lower() in CUE_WORDS
        }
        self.used_cues: set[int] = set()

    def toks(self, si: int) -> list[_Tok]:
        if si not in self._toks:
            toks = _tokens(self.text, *self.sents[si])
            if _title_case(toks):
                # A headline: "Trump Says He Never Pledged ..." has its verbs capitalised.
                toks = [
                    _Tok(t.start, t.end, t.low, t.low) if t.low in LEMMA and k else t
                    for k, t in enumerate(toks)
                ]
            self._toks[si] = toks
        return self._toks[si]

    def sentence_of(self, offset: int) -> int:
        return max(0, bisect_right(self.sent_starts, offset) - 1)

    def quoted(self, offset: int) -> bool:
        i = bisect_right(self.region_opens, offset) - 1
        return i >= 0 and self.regions[i].start <= offset < self.regions[i].end

    def same_line(self, a: int, b: int) -> bool:
        return "\n" not in self.text[a:b]


# --------------------------------------------------------------------------- noun phrases


def _capital(t: _Tok) -> bool:
    return t.text[:1].isupper() or t.text[:1].isdigit()


def _word(t: _Tok) -> bool:
    return t.text[:1].isalnum()


def _plural(t: _Tok) -> bool:
    """A plural noun that can be a subject on its own ("voters", "officials")."""
    return t.low in PLURAL_SUBJECTS or (t.low in ROLES and t.low.endswith("s"))


def _np_ok(toks: Sequence[_Tok]) -> bool:
    """Whether ``toks`` can be a speaker: a pronoun, a name, or a determiner phrase with a head."""
    if not toks or len(toks) > 14:
        return False
    first, last = toks[0], toks[-1]
    if len(toks) == 1 and (first.low in PRONOUNS or first.low in QUANTIFIERS or _plural(first)):
        return True
    if first.low in PRONOUNS or first.low in AUX or (first.low in LEMMA and not _capital(first)):
        return False
    if all(not _capital(t) for t in toks) and first.low not in DETERMINERS and not _plural(last):
        return False
    if last.low in DETERMINERS or not _word(last) or last.low in BOUNDARY:
        return False
    headed = _capital(first) or first.low in DETERMINERS or first.low in ROLES or any(map(_capital, toks))
    if not headed and (not _plural(last) or len(toks) > 3):  # "farm officials" is fine
        return False
    for k, t in enumerate(toks[1:], 1):
        if t.low in AUX or t.low in PRONOUNS or (t.low in LEMMA and not _capital(t) and t.low not in ROLES):
            return False
        if (t.text in PUNCT and t.text not in "()") or (t.low in BOUNDARY and not _role_prep(toks, k)):
            return False
    return True


def _role_prep(toks: Sequence[_Tok], k: int) -> bool:
    """ "for" in "a spokesman for Sanders", "of" in "Bank of America"."""
    if toks[k].low not in ROLE_PREP or k == 0 or k + 1 >= len(toks):
        return False
    return toks[k - 1].low in ROLES or (_capital(toks[k - 1]) and _capital(toks[k + 1]))


def _name_before(toks: Sequence[_Tok], comma: int, lo: int) -> int | None:
    """Start of a short name ending just before the comma at ``comma`` ("Sam Lau, the director")."""
    k = comma
    while k > lo and (_capital(toks[k - 1]) or toks[k - 1].text in ("-",)) and comma - k < 5:
        k -= 1
    if k == comma or not _capital(toks[k]):
        return None
    if k > lo and not (toks[k - 1].text in PUNCT or toks[k - 1].low in BOUNDARY):
        return None
    return k


def _source_before(toks: Sequence[_Tok], i: int, lo: int) -> Range | None:
    """Token range of the subject ending before token ``i`` (auxiliaries, asides, appositives)."""
    end = i
    while end > lo:
        t = toks[end - 1]
        if t.low in AUX or (t.low.endswith("ly") and t.text.islower()) or t.low in TIME_WORDS:
            end -= 1
        elif t.low in TIME_LEADS and end < i and toks[end].low in TIME_WORDS:
            end -= 1  # "Spicer on Thursday evening said"
        else:
            break
    if end - 1 > lo and toks[end - 1].text in "”\"''" and toks[end - 2].text == ",":
        end -= 1  # 'star of the show "The Apprentice," said': the comma sits inside the quotation
    if end > lo and toks[end - 1].text == ",":
        return _appositive(toks, end - 1, lo)
    if end > lo and toks[end - 1].text in ("-", "—", "–", "--"):
        return _dashed(toks, end - 1, lo)
    outer = end
    if end > lo and toks[end - 1].text == ")":
        # "Rep. John Mica (R-Fla.) said"
        opening = next((p for p in range(end - 2, max(lo - 1, end - 10), -1) if toks[p].text == "("), None)
        if opening is None:
            return None
        end = opening
    k = end
    while k > lo and end - k < 10:
        t = toks[k - 1]
        if t.text in PUNCT or (t.low in LEMMA and not _capital(t) and t.low not in ROLES):
            break
        if t.low in BOUNDARY and not _role_prep(toks, k - 1):
            break
        k -= 1
    while k < end and not _np_ok(toks[k:end]):
        k += 1
    if k >= end:
        return None
    # "Sam Lau, the communications director for the party, said"
    if k - 1 > lo and toks[k - 1].text == "," and toks[k].low in DETERMINERS | ROLES:
        name = _name_before(toks, k - 1, lo)
        if name is not None:
            return (name, outer)
    return (k, outer)


def _dashed(toks: Sequence[_Tok], dash: int, lo: int) -> Range | None:
    """The subject before an aside between dashes: "Trump - who once said X - said"."""
    for left in range(dash - 1, max(lo - 1, dash - 40), -1):
        if toks[left].text in STOPS:
            return None
        if toks[left].text == toks[dash].text:
            head = _source_before(toks, left, lo)
            return None if head is None else (head[0], left)
    return None


def _appositive(toks: Sequence[_Tok], comma: int, lo: int) -> Range | None:
    """The subject before an aside closed by the comma at ``comma``: "Briggs, a spokesman, said"."""
    for left in range(comma - 1, max(lo - 1, comma - 25), -1):
        t = toks[left]
        if t.text in STOPS:
            return None
        if t.text != ",":
            continue
        inner = toks[left + 1 : comma]
        text = " ".join(x.low for x in inner)
        if text in ASIDES:
            return _source_before(toks, left, lo)
        head = _source_before(toks, left, lo)
        if head is None or not inner or not _aside_ok(inner):
            return None
        # An age, a title, a relative clause or a description: "Bennett, 57,", "Kim, who was traveling,".
        return (head[0], comma)
    return None


def _aside_ok(inner: Sequence[_Tok]) -> bool:
    """Whether ``inner`` reads as an appositive or a relative clause, not as a clause of its own."""
    first = inner[0]
    if first.low in ("who", "whose", "which"):
        return True
    if not (first.low in DETERMINERS or first.low in ROLES or _capital(first) or first.low in MODIFIERS):
        return False
    return not any(
        t.low in FINITE or (t.low in LEMMA and not _capital(t) and t.low not in ROLES) for t in inner
    )


def _source_after(toks: Sequence[_Tok], i: int, hi: int) -> Range | None:
    """Token range of an inverted subject starting at token ``i`` ('said Jackson, the ...')."""
    if i >= hi:
        return None
    if toks[i].low in PERSONAL:
        return (i, i + 1)
    k = i
    while k < hi and k - i < 10:
        t = toks[k]
        if (t.text in PUNCT and t.text not in "()") or t.low in AUX or (t.low in LEMMA and not _capital(t)):
            break
        if t.low in BOUNDARY and not _role_prep(toks, k):
            break
        if k > i and _capital(toks[k - 1]) and (t.low.endswith("ed") or t.low in PASSIVE):
            break  # "said Obama failed to ..."
        k += 1
    while k > i and not _np_ok(toks[i:k]):
        k -= 1
    return (i, k) if k > i else None


def _object_end(toks: Sequence[_Tok], i: int, hi: int) -> int:
    """Token index after the object of "told"/"assured" starting at ``i`` (``i`` when there is none)."""
    if i >= hi:
        return i
    if toks[i].low in OBJECTS:
        return i + 1
    span = _source_after(toks, i, hi)
    if span is None or (not any(_capital(t) for t in toks[span[0] : span[1]]) and span[1] - span[0] > 4):
        return i
    return span[1]


# --------------------------------------------------------------------------- cues


def _is_cue(toks: Sequence[_Tok], k: int) -> bool:
    t = toks[k]
    if t.low not in LEMMA or (not t.text.islower() and k > 0):
        return False
    if t.low in PARTICLE:
        return k + 1 < len(toks) and toks[k + 1].low in PARTICLE[t.low]
    if k > 0 and toks[k - 1].low in ARTICLES:
        return False  # a noun: "the report", "a recount"
    if t.low in NOUNS and k > 0:
        # "Trump attacks", not "full-throated support": the subject must be a name or a pronoun.
        prev = toks[k - 1]
        return (
            prev.low in PRONOUNS
            or (_capital(prev) and prev.low not in DETERMINERS)
            or _plural(prev)
            or prev.low in FINDERS
        )
    return True


def _cue_span(toks: Sequence[_Tok], k: int) -> Span:
    return (toks[k].start, toks[_cue_next(toks, k) - 1].end)


def _cue_next(toks: Sequence[_Tok], k: int) -> int:
    low = toks[k].low
    if low in PARTICLE or (k + 1 < len(toks) and toks[k + 1].low in PREPS.get(LEMMA.get(low, ""), ())):
        return k + 2
    return k + 1


def _skip_tail(text: str, toks: Sequence[_Tok], j: int, hi: int) -> int:
    """Token index after time, place and medium modifiers starting at token ``j``."""
    if 0 < j < hi:
        m = CUE_TAIL.match(text, toks[j - 1].end)
        if m and m.end() > toks[j - 1].end:
            return bisect_left([t.start for t in toks], m.end(), j, hi)
    return j


def _after_cue(text: str, toks: Sequence[_Tok], k: int, hi: int) -> int:
    """Token index where content may start after the cue at ``k`` (object, modifiers and "that" found)."""
    j = _cue_next(toks, k)
    if LEMMA[toks[k].low] in TAKES_OBJECT:
        j = _object_end(toks, j, hi)
    j = _skip_tail(text, toks, j, hi)
    # "said in a recent issue of Foreign Policy magazine that ...": jump to "that".
    if j >= hi or toks[j].low not in PLACE_PREPS:
        return j
    for n in range(j, min(hi, j + 10)):
        t = toks[n]
        if t.low == "that":
            if n > j and all(x.low not in PRONOUNS and x.low not in LEMMA for x in toks[j:n]):
                return n
            break
        if t.text in PUNCT and t.text != ",":
            break
    return j


def _is_tail(toks: Sequence[_Tok], j: int, hi: int) -> bool:
    """Whether tokens ``[j, hi)`` only modify a cue: 'in Iowa on Tuesday', ', a Democrat from Ohio'."""
    rest = [t for t in toks[j:hi] if t.text not in PUNCT or t.text in ",;"]
    if not rest:
        return True
    if rest[0].text == "," and len(rest) > 1:
        # An appositive or a relative clause on the source: ", a Democrat from Ohio", ", who ...".
        nxt = rest[1]
        if (
            nxt.low in ("who", "whose", "which")
            or nxt.low in DETERMINERS
            or _capital(nxt)
            or nxt.text[0].isdigit()
        ):
            return True
        rest = rest[1:]
    if len(rest) > 22 or any(t.text == ";" or t.low in FINITE or t.low in PERSONAL for t in rest):
        return False
    if any(t.low in LEMMA and t.low not in PARTICIPLES and not _capital(t) for t in rest):
        return False
    first = rest[0]
    if first.low == "to":
        return len(rest) > 1 and (_capital(rest[1]) or rest[1].low in DETERMINERS or rest[1].low in OBJECTS)
    return first.low in TAIL_PREPS or first.low in TAIL_WORDS or first.text in WEEKDAYS


def _span(toks: Sequence[_Tok], rng: Range | None) -> Span | None:
    return None if rng is None else (toks[rng[0]].start, toks[rng[1] - 1].end)


def _piece(attr: _Attr, start: int, end: int, kind: str) -> Found:
    s, e = attr.source if attr.source else (None, None)
    return Found(start, end, kind, attr.cue_start, attr.cue_end, s, e)


def _trim(text: str, start: int, end: int) -> Span:
    """Content without surrounding spaces, the comma before a cue or a final full stop."""
    while start < end and (text[start].isspace() or text[start] in ",:;—–"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:—–-."):
        end -= 1
    return start, end


# --------------------------------------------------------------------------- direct quotations


def _post_cue(doc: _Doc, r: Region) -> _Attr | None:
    """A cue right after quotation ``r``: in its sentence, or opening the next one ('...!" Trump said.')."""
    dash = _DASH_SOURCE.match(doc.text, r.close)
    if dash:  # '"..." ― Jorge Falcon' closing a line
        return _Attr(dash.start(1), dash.end(1), dash.span(2))
    si = doc.sentence_of(r.close - 1)
    toks = doc.toks(si)
    i = bisect_left([t.start for t in toks], r.close)
    crossed = False
    if i >= len(toks) and doc.text[r.end - 1 : r.end] in "!?." and si + 1 < len(doc.sents):
        nxt = doc.sents[si + 1][0]
        if doc.same_line(r.close, nxt):
            si, toks, i, crossed = si + 1, doc.toks(si + 1), 0, True
    hi = len(toks)
    while i < hi and toks[i].text in ",—–-'’":
        i += 1
    if i >= hi or doc.quoted(toks[i].start):
        return None
    if _is_cue(toks, i) and toks[i].low in SPEECH:  # '"...," said Jackson'
        source = _source_after(toks, _cue_next(toks, i), hi)
        after = source[1] if source else _cue_next(toks, i)
        if source is None and not _is_tail(toks, _skip_tail(doc.text, toks, after, hi), hi):
            return None
        return _Attr(*_cue_span(toks, i), _span(toks, source))
    for k in range(i + 1, min(hi, i + 30)):
        t = toks[k]
        if t.text in STOPS or doc.quoted(t.start):
            return None
        if _is_cue(toks, k) and t.low in SPEECH:
            source = _source_before(toks, k, i)
            if source is None or source[0] != i:
                return None
            after = _after_cue(doc.text, toks, k, hi)
            nxt = (
                _object_end(toks, _cue_next(toks, k), hi)
                if LEMMA[t.low] in TAKES_OBJECT
                else _cue_next(toks, k)
            )
            if nxt < hi and toks[nxt].low == "that":
                return None  # '"This Week," Carson admitted that ...' is reported speech
            if crossed and (
                not _is_tail(toks, after, hi) or doc.text[toks[k].end : doc.sents[si][1]].count("“")
            ):
                return None  # '..."he loves you." She says they are ...' is a sentence of its own
            return _Attr(*_cue_span(toks, k), _span(toks, source))
    return None


def _pre_cue(doc: _Doc, r: Region) -> _Attr | None:
    """A cue ending just before quotation ``r``: 'Trump wrote, "..."', 'He said in a statement: "..."'."""
    si = doc.sentence_of(r.open)
    s = doc.sents[si][0]
    if not doc.text[s : r.open].strip(" \u00a0\u202a'‘"):
        # The quotation opens its sentence: the cue may end the one before
        # ("Breitbart News responded:", "Lau said in a statement.").
        if si == 0 or doc.text[doc.sents[si - 1][1] - 1] not in ":.":
            return None
        si -= 1
        toks = doc.toks(si)
        hi = len(toks)
        colon = doc.text[doc.sents[si][1] - 1] == ":"
    else:
        toks = doc.toks(si)
        hi = bisect_left([t.start for t in toks], r.open)
        colon = hi > 0 and toks[hi - 1].text == ":"
    if hi == 0:
        return None
    for k in range(hi - 1, max(-1, hi - 25), -1):
        t = toks[k]
        if (t.text in STOPS and k < hi - 1) or doc.quoted(t.start):
            return None
        if t.low == "according" and k + 1 < hi and toks[k + 1].low == "to":
            source = _source_after(toks, k + 2, hi)
            return _Attr(toks[k].start, toks[k + 1].end, _span(toks, source))
        if not (_is_cue(toks, k) and t.low in SPEECH):
            continue
        after = _after_cue(doc.text, toks, k, hi)
        between = [x for x in toks[after:hi] if x.text not in ",:."]
        if colon and len(between) > 14:
            return None
        # Without a colon only a comma and a few modifiers may separate cue and quotation.
        loose = not colon and (between or (after < hi and toks[hi - 1].text not in ",:."))
        if loose and not (toks[hi - 1].text == "," and _is_tail(toks, after, hi - 1) and len(between) <= 6):
            return None
        if t.low in PARTICIPLES:
            source = _subject(toks, k)
        else:
            source = _source_before(toks, k, 0)
            if source is None and (k == 0 or toks[k - 1].text in PUNCT):
                source = _source_after(toks, _cue_next(toks, k), hi)
        return _Attr(*_cue_span(toks, k), _span(toks, source))
    return None


def _chained(doc: _Doc, r: Region, attr: _Attr) -> bool:
    """Whether ``r`` follows the cue of ``attr`` in one sentence with only its source between."""
    if r.open < attr.cue_end or doc.sentence_of(r.open) != doc.sentence_of(attr.cue_start):
        return False
    between = doc.text[attr.cue_end : r.open]
    if not between.rstrip().endswith((",", ":")) or any(c in between for c in '.;!?"“”'):
        return False
    # '"...," Trump said, adding, "..."' starts a new attribution.
    return not any(w in LEMMA for w in re.findall(r"[a-z]+", between))


def _direct(doc: _Doc) -> list[Found]:
    """The first pass: every quotation with the cue it finds (see the module docstring)."""
    found: list[Found] = []
    last: _Attr | None = None
    last_si = -2
    for r in doc.regions:
        if r.end <= r.start:
            continue
        si_open = doc.sentence_of(r.open)
        s = doc.sents[si_open][0]
        opens = not doc.text[s : r.open].strip(" \u00a0\u202a'‘")
        attr = None
        if last is not None and _chained(doc, r, last):
            attr = last
        elif r.close > r.end:
            attr = _post_cue(doc, r)
        if attr is None:
            attr = _pre_cue(doc, r)
            if attr is not None and not (opens or _ends_sentence(doc, r) or _after_comma(doc, r)):
                attr = None  # 'said the plan was "a disaster" for them' is reported speech
        if attr is None and last is not None and opens and si_open - last_si <= 1 and _ends_sentence(doc, r):
            attr = last
        if attr is None:
            if opens or si_open > last_si:
                last, last_si = None, -2
            continue
        doc.used_cues.add(attr.cue_start)
        if opens or attr.cue_start < r.open or _after_comma(doc, r):
            found.append(_piece(attr, r.start, r.end, "direct"))
        else:
            found.append(_piece(attr, *_trim(doc.text, s, r.close), "indirect"))
        last = attr
        last_si = max(doc.sentence_of(max(r.start, r.end - 1)), doc.sentence_of(attr.cue_start))
    return found


def _after_comma(doc: _Doc, r: Region) -> bool:
    return doc.text[max(0, r.open - 3) : r.open].rstrip().endswith((",", ":"))


def _ends_sentence(doc: _Doc, r: Region) -> bool:
    """Whether quotation ``r`` ends its sentence, or only a cue and its source follow."""
    si = doc.sentence_of(max(r.start, r.end - 1))
    rest = doc.text[r.close : doc.sents[si][1]]
    return not rest.strip(" .!?,;:\u00a0")


# --------------------------------------------------------------------------- reported speech


def _subject(toks: Sequence[_Tok], k: int) -> Range | None:
    """The subject of the clause that token ``k`` hangs on: the subject of the nearest verb before it."""
    for j in range(k - 1, 0, -1):
        t = toks[j]
        if t.text in STOPS or t.text in "”\"''":
            break  # the clause of a participle does not reach back into a quotation
        if not t.text.islower() or not (t.low in LEMMA or t.low in FINITE or t.low.endswith("ed")):
            continue
        rng = _source_before(toks, j, 0)
        if rng is not None:
            return rng
    # "Carson took the stage and called ...": the verb before is outside the lexicon, so fall back
    # on a name opening the sentence and followed by a lower-case word.
    i = 1 if toks and toks[0].low in ("and", "but", "so", "yet") else 0
    rng = _source_after(toks, i, k)
    if rng is None or rng[1] >= k or not toks[rng[1]].text.islower() or not _capital(toks[rng[0]]):
        return None
    return rng


def _content_end(toks: Sequence[_Tok], j: int, hi: int, stance: bool = False) -> int:
    """Token index where content from ``j`` stops: at "; ", and before a new clause or attribution.

    ``stance`` content (the object of "criticized") ends at the first comma.
    """
    for k in range(j + 1, hi):
        t = toks[k]
        if t.text == ";":
            return k
        if t.text not in ",—–":
            if t.low in ("and", "but") and k + 1 < hi:
                nxt = toks[k + 1]
                if nxt.low in SPEECH:
                    return k
            continue
        n = k + 1
        while n < hi and toks[n].text in "”\"''":
            n += 1
        if n >= hi:
            break
        nxt = toks[n]
        if stance or nxt.low == "according" or (nxt.low in PARTICIPLES and nxt.low in SPEECH):
            return k
        if nxt.low in CLAUSE_BREAKS:
            return k
        if nxt.low in ("and", "but") and n + 1 < hi:
            after = toks[n + 1]
            if _verbish(after) or after.low in PRONOUNS or (after.low in DETERMINERS and after.low != "the"):
                return k
            n += 1
        for m in range(n, min(hi, n + 5)):
            if _is_cue(toks, m) and toks[m].low in SPEECH and _source_before(toks, m, n) == (n, m):
                return k
    return hi


def _verbish(t: _Tok) -> bool:
    """A lower-case word that starts a predicate: "and vowed", "and has", "but said"."""
    return t.text.islower() and (t.low in LEMMA or t.low in FINITE or t.low.endswith("ed"))


def _piece_span(text: str, toks: Sequence[_Tok], a: int, b: int) -> Span:
    return _trim(text, toks[a].start, toks[b - 1].end) if b > a else (0, 0)


def _indirect(doc: _Doc, si: int) -> list[Found]:
    """The second pass over sentence ``si``: reporting verbs the first pass left unused."""
    if si not in doc.cue_sentences:
        return []  # most sentences report nobody; skip tokenizing them
    toks = doc.toks(si)
    hi = len(toks)
    found: list[Found] = []
    clause_source: Span | None = None
    for k in range(hi):
        t = toks[k]
        if t.low in NOUN_CUES and k + 2 < hi and toks[k + 1].low == NOUN_CUES[t.low]:
            if not doc.quoted(t.start):
                found.extend(_noun_cue(doc.text, toks, k))
            continue
        if t.low not in LEMMA and t.low not in IMPERSONAL and t.low != "according":
            if k + 2 < hi and toks[k + 1].low == "that" and not doc.quoted(t.start):
                found.extend(_complement(doc.text, toks, k))
            continue
        if doc.quoted(t.start):
            continue
        if t.start in doc.used_cues:
            continue
        if t.low == "according":
            if k + 1 < hi and toks[k + 1].low == "to":
                found.extend(_according(doc.text, toks, k))
            continue
        if t.low in IMPERSONAL:
            found.extend(_impersonal(doc.text, toks, k))
            continue
        question = _question(doc.text, toks, k) if LEMMA.get(t.low) == "ask" else []
        if question:
            found.extend(question)
            continue
        if not _is_cue(toks, k) or LEMMA[t.low] in INVERTED_ONLY:
            continue
        if k > 0 and toks[k - 1].low in PASSIVE and t.low.endswith(("ed", "en", "wn", "ld", "ht")):
            continue  # "was criticized": the speaker, if any, is elsewhere
        pieces, source = _frame(doc.text, toks, k, clause_source)
        found.extend(pieces)
        clause_source = source or clause_source
    return found


def _noun_cue(text: str, toks: Sequence[_Tok], k: int) -> list[Found]:
    """ "Trump's criticism of the deal", "her support for the bill": the object is the content.

    The source is the possessive before the noun, or the subject when the word is a verb.
    """
    prev = toks[k - 1] if k > 0 else None
    source = None
    if prev is not None and (prev.low in POSSESSIVES or prev.low.endswith(("'s", "’s"))):
        source = (prev.start, prev.end - 2 if prev.low.endswith(("'s", "’s")) else prev.end)
    elif _is_cue(toks, k):
        source = _span(toks, _source_before(toks, k, 0))  # a verb after all: "Trump calls for"
    return _lead(text, toks, k + 2, _Attr(toks[k].start, toks[k + 1].end, source), stance=True)


def _complement(text: str, toks: Sequence[_Tok], k: int) -> list[Found]:
    """ "Local leaders recognize that ...": a verb outside the lexicon with a subject and a "that" clause."""
    t = toks[k]
    if not (t.text.isalpha() and t.text.islower()) or t.low in NOT_COMPLEMENT:
        return []
    if not (t.low.endswith(("ed", "s")) or (k > 0 and toks[k - 1].low in AUX)):
        return []
    nxt = toks[k + 2]
    if nxt.text in PUNCT or _verbish(nxt):
        return []  # "that" as a pronoun or a relative: "denied that.", "the plan that failed"
    source = _source_before(toks, k, 0)
    if source is None:
        return []
    return _lead(text, toks, k + 1, _Attr(t.start, t.end, _span(toks, source)))


def _question(text: str, toks: Sequence[_Tok], k: int) -> list[Found]:
    """ "(When) asked whether ...", "reporters asked about ...": the question is the content.

    Requests ("asked him to leave") are left to the rules for reported speech.
    """
    hi = len(toks)
    if k > 0 and not toks[k].text.islower():
        return []
    j = _cue_next(toks, k)
    if j < hi and toks[j].low not in QUESTION_WORDS and toks[j - 1].low != "about":
        j = _object_end(toks, j, hi)
    if j >= hi or (toks[j].low not in QUESTION_WORDS and toks[j - 1].low != "about"):
        return []
    passive = k > 0 and toks[k - 1].low in PASSIVE | {"when", "if", "after", "being"}
    source = None if passive or k == 0 else _span(toks, _source_before(toks, k, 0))
    attr = _Attr(*_cue_span(toks, k), source)
    return _lead(text, toks, j, attr, stance=True)


def _frame(
    text: str, toks: Sequence[_Tok], k: int, clause_source: Span | None
) -> tuple[list[Found], Span | None]:
    """The content pieces governed by the cue at token ``k``, and its source as a character span."""
    hi = len(toks)
    t = toks[k]
    cue = _cue_span(toks, k)
    after = _after_cue(text, toks, k, hi)
    at_end = _is_tail(toks, after, hi)
    # Participles: ", saying (that) ..." speaks for the clause's subject.
    if t.low in PARTICIPLES and _after_pause(toks, k) and not at_end:
        source = clause_source or _span(toks, _subject(toks, k))
        return _lead(text, toks, after, _Attr(*cue, source), _is_stance(t)), source
    before = _source_before(toks, k, 0)
    if t.low in SPEECH:
        if before is not None and _after_pause(toks, k):
            # ", such as X, said Dan Wang": a name after the verb outranks an aside before it.
            pieces, source = _trailing(text, toks, k, None)
            if pieces:
                return pieces, source
        pieces, source = _trailing(text, toks, k, before)
        if pieces:
            return pieces, source
    if (
        before is not None
        and before[0] == 1
        and toks[0].low == "as"
        and after < hi
        and toks[after].text == ","
    ):
        # "As Crane said, the two candidates ..."
        attr = _Attr(*cue, _span(toks, before))
        return _lead(text, toks, after + 1, attr), attr.source
    if before is None and _coordinated(toks, k):
        # "she praised Garland and said Republicans should ..."
        source = clause_source or _span(toks, _subject(toks, k))
        if source is not None and not at_end:
            return _lead(text, toks, after, _Attr(*cue, source), _is_stance(t)), source
    if before is None and k > 0 and toks[k - 1].low == "to" and LEMMA[t.low] == t.low and not at_end:
        # "used their time to criticize the media": the infinitive speaks for the clause's subject.
        source = clause_source or _span(toks, _subject(toks, k - 1))
        return _lead(text, toks, after, _Attr(*cue, source), _is_stance(t)), source
    if before is None or at_end:
        return [], None
    attr = _Attr(*cue, _span(toks, before))
    return _lead(text, toks, after, attr, _is_stance(t)), attr.source


def _coordinated(toks: Sequence[_Tok], k: int) -> bool:
    """Whether the verb at ``k`` is coordinated with an earlier one: "... and said", "but also said"."""
    j = k
    while j > 0 and toks[j - 1].low in AUX:
        j -= 1
    return j > 0 and toks[j - 1].low in ("and", "but")


def _after_pause(toks: Sequence[_Tok], k: int) -> bool:
    """Whether token ``k`` follows a comma or dash, maybe with a closing quotation mark between."""
    prev = toks[k - 1].text if k > 0 else ""
    if prev in "”\"''" and k > 1:
        prev = toks[k - 2].text
    return prev in (",", "—", "–")


def _trailing(
    text: str, toks: Sequence[_Tok], k: int, before: Range | None
) -> tuple[list[Found], Span | None]:
    """ "..., officials said." and "The plan, he said, would fail." (content around the source)."""
    hi = len(toks)
    if before is not None:
        comma, after_src = before[0] - 1, _after_cue(text, toks, k, hi)
    else:
        before = _source_after(toks, _cue_next(toks, k), hi)
        if before is None or (toks[before[0]].low in PERSONAL and not _is_tail(toks, before[1], hi)):
            return [], None  # "said he has spoken ..." is not ", said he."
        comma, after_src = k - 1, _apposition_end(toks, _skip_tail(text, toks, before[1], hi), hi)
    if comma < 3 or toks[comma].text not in ",—–":
        return [], None
    attr = _Attr(*_cue_span(toks, k), _span(toks, before))
    head = _piece(attr, *_piece_span(text, toks, 0, comma), "indirect")
    if _clause_break(toks, after_src, hi):
        return [head], attr.source
    if after_src < hi and toks[after_src].text == ",":
        end = _content_end(toks, after_src + 1, hi)
        return [head, _piece(attr, *_piece_span(text, toks, after_src + 1, end), "indirect")], attr.source
    if _is_tail(toks, after_src, hi):
        return [head], attr.source
    return [], None


def _apposition_end(toks: Sequence[_Tok], j: int, hi: int) -> int:
    """Token index after an apposition on a source at the comma ``j`` (", managing director of X")."""
    if j >= hi or toks[j].text != ",":
        return j
    n = j + 1
    while n < hi and toks[n].text not in ",;.!?" and n - j < 20:
        n += 1
    inner = toks[j + 1 : n]
    if not inner or (n < hi and toks[n].text not in ",.!?"):
        return j
    role = any(t.low in ROLES for t in inner[:4]) and not any(
        t.low in FINITE or (t.low in LEMMA and t.low not in ROLES) for t in inner
    )
    return n if role or _aside_ok(inner) else j


def _clause_break(toks: Sequence[_Tok], j: int, hi: int) -> bool:
    """Whether a new clause of the writer's own starts at the comma ``j``: ", while Washington ..."."""
    return j + 1 < hi and toks[j].text == "," and toks[j + 1].low in CLAUSE_BREAKS


def _is_stance(t: _Tok) -> bool:
    return t.low in STANCE and t.low not in SPEECH and t.low not in BELIEF


def _lead(text: str, toks: Sequence[_Tok], j: int, attr: _Attr, stance: bool = False) -> list[Found]:
    hi = len(toks)
    if j >= hi:
        return []
    end = _content_end(toks, j, hi, stance)
    # An object can be one name ("endorsed Cruz"); a reported clause cannot be one word.
    if sum(1 for t in toks[j:end] if _word(t)) < (1 if stance else 2):
        return []
    return [_piece(attr, *_piece_span(text, toks, j, end), "indirect")]


def _according(text: str, toks: Sequence[_Tok], k: int) -> list[Found]:
    """ "According to X, ..." and "..., according to X." """
    hi = len(toks)
    src_end = k + 2
    while src_end < hi and toks[src_end].text not in ",;.!?" and src_end - k < 16:
        src_end += 1
    source = _span(toks, (k + 2, src_end)) if src_end > k + 2 else None
    attr = _Attr(toks[k].start, toks[k + 1].end, source)
    if all(x.low in BOUNDARY or x.text in PUNCT or x.low in AUX for x in toks[:k]):
        if src_end < hi and toks[src_end].text == ",":
            return _lead(text, toks, src_end + 1, attr)
        return []
    pieces = [_piece(attr, *_piece_span(text, toks, 0, k), "indirect")]
    src_end = _apposition_end(toks, src_end, hi)
    if src_end < hi - 1 and toks[src_end].text == "," and not _clause_break(toks, src_end, hi):
        pieces.append(_piece(attr, *_piece_span(text, toks, src_end + 1, hi), "indirect"))
    return pieces


def _impersonal(text: str, toks: Sequence[_Tok], k: int) -> list[Found]:
    """ "Enthusiasm for Clinton appears to have plummeted": subject and rest are content, no source."""
    hi = len(toks)
    t = toks[k]
    nxt = toks[k + 1] if k + 1 < hi else None
    if nxt is None or nxt.low in TAIL_PREPS or nxt.text in PUNCT:
        return []  # "appeared on television", "as it seems."
    cue_first = k
    if t.low == "expected":
        # "is expected to", "is widely expected to", "are not expected to"
        cue_first = k - 1
        if cue_first > 0 and (toks[cue_first].low == "not" or toks[cue_first].low.endswith("ly")):
            cue_first -= 1
        if cue_first < 0 or toks[cue_first].low not in PASSIVE or nxt.low != "to":
            return []
    start = cue_first
    while start > 0 and cue_first - start < 15:
        prev = toks[start - 1]
        if prev.text in ",;:()—–\"“”''" or prev.low in CLAUSE_OPENERS:
            break
        start -= 1
    if start == cue_first:
        return []
    attr = _Attr(toks[cue_first].start, t.end, None)
    end = _content_end(toks, k + 1, hi)
    return [
        _piece(attr, *_piece_span(text, toks, start, cue_first), "indirect"),
        _piece(attr, *_piece_span(text, toks, k + 1, end), "indirect"),
    ]


# --------------------------------------------------------------------------- entry point


def find_en(text: str, sentences: Sequence[Span]) -> list[Found]:
    """Attributions in English ``text``, one ``Found`` per content piece, with spans into it."""
    doc = _Doc(text, sentences)
    found = _direct(doc)
    for si in range(len(doc.sents)):
        found.extend(_indirect(doc, si))
    found.extend(_speaker_lines(doc))
    return _drop_embedded(text, [f for f in found if f.end > f.start])


def _speaker_lines(doc: _Doc) -> list[Found]:
    """ "TAPPER: Why not debate?" and "Ted Cruz: 'It is a fireable offense'": a name, a colon, its words."""
    found = []
    for m in _SPEAKER_LINE.finditer(doc.text):
        name = m.group(1)
        if name.lower() in NOT_SPEAKERS or len(name) < 3:
            continue
        start, end = _trim(doc.text, m.start(3), m.end(3))
        region = next((r for r in doc.regions if r.open == start and r.close >= end - 1), None)
        kind = "indirect"
        if region is not None:
            start, end, kind = region.start, region.end, "direct"
        found.append(Found(start, end, kind, m.start(2), m.end(2), m.start(1), m.end(1)))
    return found


def _drop_embedded(text: str, found: list[Found]) -> list[Found]:
    """Drop beliefs and stances reported inside someone's reported speech.

    In "Smith said he believes the plan will fail" the belief is part of
    what Smith said, not an attribution of its own. Content put before its
    cue ("The vote shows that X, said Smith") swallows even speech verbs:
    PolNeAR annotates only the outer attribution there.
    """
    spans = sorted((f.start, f.end, f.cue_start, f.end <= f.cue_start) for f in found if f.kind == "indirect")
    starts = [s for s, _, _, _ in spans]

    def embedded(f: Found) -> bool:
        if f.kind != "indirect":
            return False
        cue = text[f.cue_start : f.cue_end].split()[0].lower()
        speech = cue in SPEECH or cue == "according"
        i = bisect_right(starts, f.cue_start)
        return any(
            s <= f.cue_start < e and c != f.cue_start and (fronted or not speech)
            for s, e, c, fronted in spans[max(0, i - 8) : i]
        )

    return [f for f in found if not embedded(f)]
