"""Who said what: quotations and reported speech with their cue and speaker.

``find_quotes`` returns one ``Quote`` per contiguous content piece; the pieces
of one attribution ("...," he said, "...") share the cue span. The language
rules live in ``quotes_en`` and ``quotes_zh``; this module ties each source to
an entity key:

- a source that overlaps an entity mention takes that mention's key (a
  person before an organisation when several overlap);
- a personal pronoun ("he", "she", "他", "她") or a role noun ("the
  spokesperson", "the minister", "发言人") takes the most recent person
  mentioned before it, outside any quoted content, since a quotation often
  names someone other than its speaker ("'Clinton is wrong,' he said");
- "it" and organisation nouns ("the ministry", "the company", "该公司") take
  the most recent organisation;
- "the authority" takes the latest mention whose name ends in that noun
  ("Transit Authority"), before the role rules below;
- "who"/"which" take the mention just before the comma ("Obama, who said");
- "they", "we", "I" and anything else without a mention stay unresolved.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from ..models import Mention
from ..text.sentences import split_text
from .aliases import canonical_key

__all__ = ["Found", "Quote", "Region", "find_quotes", "quotation_regions", "regions_within"]


@dataclass(slots=True)
class Quote:
    """One content piece ``[start, end)`` of an attribution, with its cue and source spans."""

    start: int
    end: int
    kind: str  # "direct" (inside quotation marks) or "indirect"
    cue: str
    cue_start: int
    cue_end: int
    source: str | None
    source_start: int | None
    source_end: int | None
    speaker_key: str | None = None


class Found(NamedTuple):
    """What the language rules return: one content piece with its cue and source spans."""

    start: int
    end: int
    kind: str
    cue_start: int
    cue_end: int
    source_start: int | None
    source_end: int | None


class Region(NamedTuple):
    """Quotation marks at ``open`` and ``close``; the quoted text is ``[start, end)``."""

    open: int
    start: int
    end: int
    close: int


_MARKS = re.compile(r"''|[“”\"«»「」『』]")
_PAIRED = {"「": "」", "『": "』"}
# Format characters that copy sometimes leaves before a quotation mark.
_INVISIBLE = frozenset("\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\ufeff\u00a0")


def regions_within(regions: list[Region], sentences: Sequence[tuple[int, int]]) -> list[Region]:
    """The non-empty ``regions`` that start inside one of ``sentences`` (sorted spans).

    On a mixed-language page each language's rules see only their own sentences.
    """
    starts = [s for s, _ in sentences]
    out = []
    for r in regions:
        i = bisect_left(starts, r.start + 1) - 1
        if r.end > r.start and i >= 0 and sentences[i][0] <= r.start < sentences[i][1]:
            out.append(r)
    return out


def quotation_regions(text: str) -> list[Region]:
    """Quotations line by line; one left open runs to the end of its line (the next paragraph reopens it).

    Straight marks toggle; "''" is a double mark (as some wires write it); a
    closing mark with a space before it or nothing after it opens nothing;
    「」 and 『』 nest.
    """
    out: list[Region] = []
    pos = 0
    for line in text.split("\n"):
        out.extend(_line_regions(text, pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _line_regions(text: str, start: int, end: int) -> list[Region]:
    out = []
    opened: tuple[int, int, str] | None = None
    for m in _MARKS.finditer(text, start, end):
        mark, s, e = m.group(), m.start(), m.end()
        before = text[s - 1] if s > start else " "
        after = text[e] if e < end else " "
        if opened is None:
            if (
                after.isspace()
                or mark in "»」』"
                or (mark == "”" and not (before.isspace() or before in _INVISIBLE))
            ):
                continue
            opened = (s, e, _PAIRED.get(mark, ""))
        elif opened[2]:
            if mark == opened[2]:  # only the matching bracket closes 「…『…』…」
                out.append(Region(opened[0], opened[1], s, e))
                opened = None
        elif mark in "“«" and before.isspace() and not after.isspace():
            continue  # a nested or repeated opening mark
        elif mark == "''" and before.isspace() and not after.isspace():
            continue
        else:
            out.append(Region(opened[0], opened[1], s, e))
            opened = None
    if opened is not None:
        stop = end
        while stop > opened[1] and text[stop - 1].isspace():
            stop -= 1
        out.append(Region(opened[0], opened[1], stop, stop))
    return out


_DEFINITE = re.compile(r"^(?:the|this|that)\s+(?:[\w-]+\s+){0,2}([\w-]+)$")
_PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "他", "她"})
_ORG_PRONOUNS = frozenset({"it", "its", "该公司", "该机构", "该部门"})
_RELATIVE = frozenset({"who", "which"})
_PERSON_ROLE = re.compile(
    r"^(?:the|this|that)\s+(?:[\w-]+\s+){0,3}(?:spokes(?:man|woman|person)|minister|president|senator|"
    r"governor|mayor|secretary|chancellor|premier|prime minister|ambassador|chairman|chairwoman|chair|"
    r"ceo|chief executive|director|official|envoy|leader|candidate|congressman|congresswoman|lawmaker|"
    r"judge|general|commander|king|queen|pope|actor|singer|billionaire|businessman|nominee|"
    r"front-?runner|republican|democrat|diplomat|economist|analyst|professor|lawyer|attorney)$"
    r"|^(?:发言人|部长|总统|总理|主席|大使|外长|市长|州长|首相|该官员|这位官员|这名官员)$",
    re.IGNORECASE,
)
_ORG_ROLE = re.compile(
    r"^(?:the|this|that)\s+(?:[\w-]+\s+){0,3}(?:ministry|company|firm|agency|department|government|"
    r"administration|campaign|group|bank|newspaper|network|committee|party|court|council|commission|"
    r"organi[sz]ation|institute|union|office|embassy|white house|paper|outlet|board|regulator|"
    r"carrier|airline|automaker|retailer|lender|insurer|exchange)$"
    r"|^(?:公司|该公司|外交部|商务部|该部|该院|该委员会|当局|政府)$",
    re.IGNORECASE,
)


# Two to four capitalised words (or one, matched against names seen before);
# words that name organisations, outlets and places are not people.
_PERSON_NAME = re.compile(r"^[A-Z][a-z]+(?:[-'’][A-Za-z]+)?(?: [A-Z][a-z]+(?:[-'’][A-Za-z]+)?){0,3}$")
_NOT_PERSON = re.compile(
    r"\b(?:The|Group|Journal|Times|Post|News|Agency|Ministry|Bank|Council|Office|House|Department|Party"
    r"|Government|Administration|Company|Inc|Corp|Association|Institute|University|Reuters|Xinhua"
    r"|Bloomberg|Street|City|Republic|Kingdom|States|Union|Committee|Commission|Court|Police|Army)\b"
)


def find_quotes(
    text: str,
    lang: str,
    mentions: Sequence[Mention] = (),
    sentences: Sequence[tuple[int, int]] | None = None,
) -> list[Quote]:
    """Attributions in ``text`` (``lang`` "en" or "zh"), in text order, speakers keyed by ``mentions``."""
    # The language rules build on the types above, so they are imported here rather than at the top.
    from .quotes_en import find_en
    from .quotes_zh import find_zh

    if sentences is None:
        sentences = split_text(text, lang)
    body = sorted((m for m in mentions if m.start >= 0), key=lambda m: (m.start, m.end))
    found = find_zh(text, sentences, body) if lang.startswith("zh") else find_en(text, sentences)
    found.sort(key=lambda f: (f.start, f.end))
    resolver = _Resolver(text, body, found)
    return [_quote(text, f, resolver) for f in found]


def _quote(text: str, f: Found, resolver: _Resolver) -> Quote:
    source = None if f.source_start is None else text[f.source_start : f.source_end]
    return Quote(
        start=f.start,
        end=f.end,
        kind=f.kind,
        cue=text[f.cue_start : f.cue_end],
        cue_start=f.cue_start,
        cue_end=f.cue_end,
        source=source,
        source_start=f.source_start,
        source_end=f.source_end,
        speaker_key=resolver.key(f) if source is not None else None,
    )


class _Resolver:
    """Speaker keys from mentions, with the heuristics in the module docstring."""

    def __init__(self, text: str, mentions: list[Mention], found: list[Found]) -> None:
        self.text = text
        self.mentions = mentions
        self.starts = [m.start for m in mentions]
        self.quoted = sorted((f.start, f.end) for f in found if f.kind == "direct")
        self.surnames: dict[str, str] = {}

    def key(self, f: Found) -> str | None:
        assert f.source_start is not None and f.source_end is not None
        s, e = f.source_start, f.source_end
        overlapping = [m for m in self.mentions if m.start < e and s < m.end]
        if overlapping:
            best = max(overlapping, key=lambda m: (m.label == "PER", min(e, m.end) - max(s, m.start)))
            return best.key
        word = " ".join(self.text[s:e].split()).lower()
        head = _DEFINITE.match(word)
        if head:
            # "the authority" after "Transit Authority": the last mention whose name ends with the head noun.
            named = self._before(s, ("PER", "ORG", "GPE", "LOC"), head=head.group(1))
            if named:
                return named
        if word in _PERSON_PRONOUNS or _PERSON_ROLE.match(word):
            return self._before(s, ("PER",))
        if word in _ORG_PRONOUNS or _ORG_ROLE.match(word):
            return self._before(s, ("ORG",))
        if word in _RELATIVE:
            return self._before(s, ("PER", "ORG"), within=3)
        return self._named(" ".join(self.text[s:e].split()))

    def _named(self, source: str) -> str | None:
        """A personal name the tagger did not mark (long articles are tagged only in part):
        "Gabriel Wildau" gets its own key, and a later "Wildau" the same one."""
        if not _PERSON_NAME.match(source) or _NOT_PERSON.search(source):
            return None
        words = source.split()
        if len(words) == 1:
            return self.surnames.get(source) or self._before(len(self.text), ("PER",), head=source.lower())
        key = canonical_key(source, "PER")
        self.surnames[words[-1]] = key
        return key

    def _before(
        self, offset: int, labels: tuple[str, ...], within: int | None = None, head: str | None = None
    ) -> str | None:
        """Key of the latest mention with one of ``labels`` ending before ``offset``, outside quotations.

        ``within``: the mention must end at most that many characters before; ``head``: its last word.
        """
        i = bisect_left(self.starts, offset)
        for m in reversed(self.mentions[:i]):
            if m.end > offset or m.label not in labels or self._in_quote(m.start):
                continue
            if head is not None and m.text.lower().split()[-1:] != [head]:
                continue
            if within is not None and len(self.text[m.end : offset].strip(" ,")) > within:
                return None
            return m.key
        return None

    def _in_quote(self, offset: int) -> bool:
        i = bisect_left(self.quoted, (offset + 1,)) - 1
        return i >= 0 and self.quoted[i][0] <= offset < self.quoted[i][1]
