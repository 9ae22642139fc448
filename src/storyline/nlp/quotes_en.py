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
- ``... appears to ...``, ``is expected to ...``: content with no source;
- ``TAPPER: ...`` lines and quotations signed ``― Name``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import NamedTuple

from .quotes import Found, Region, quotation_regions, regions_within

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


# --------------------------------------------------------------------------- lexicon


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _phrases(text: str) -> frozenset[str]:
    return frozenset(" ".join(p.split()) for p in text.split("|"))


def _regular(verb: str, double: bool) -> list[str]:
    """The -s, -ed and -ing forms of a regular verb ("slam+" doubles: "slammed")."""
    if verb.endswith(("s", "sh", "ch", "x", "z", "o")):
        third = verb + "es"
    elif verb.endswith("y") and verb[-2] not in "aeiou":
        third = verb[:-1] + "ies"
    else:
        third = verb + "s"
    if double:
        return [third, verb + verb[-1] + "ed", verb + verb[-1] + "ing"]
    if verb.endswith("e"):
        return [third, verb + "d", verb[:-1] + "ing"]
    if verb.endswith("y") and verb[-2] not in "aeiou":
        return [third, verb[:-1] + "ied", verb + "ing"]
    return [third, verb + "ed", verb + "ing"]


def _inflect(spec: str) -> dict[str, str]:
    """{form: lemma} from "praise slam+ say:says:said:saying =stated" (regular, doubled, listed, single)."""
    out = {}
    for item in spec.split():
        if item.startswith("="):
            out[item[1:]] = item[1:]
            continue
        lemma = item.split(":")[0].rstrip("+")
        forms = item.split(":") if ":" in item else [lemma, *_regular(lemma, item.endswith("+"))]
        out.update(dict.fromkeys(forms, lemma))
    return out


# Verbs that report speech: they take a clause or a quotation, and the
# inverted order after one ('"...," said Jackson'). Forms are left out where
# they are mostly nouns or adjectives ("the state", "the answering machine").
_SPEECH = _inflect(
    """say:says:said:saying add write:writes:wrote:writing tell:tells:told:telling note explain argue claim
    insist acknowledge admit+ declare =stated =stating tweet warn recall concede contend assert complain
    conclude confirm reveal emphasize emphasise stress respond reply counter:countered allege predict
    promise pledge vow observe remark:remarked joke quip+ boast suggest announce report ask
    continue:continues:continued answer:answered retort exclaim shout yell testify repeat reiterate deny
    caution post lament recount:recounted muse wonder agree:agrees:agreed read:reads assure inform chant
    scream:screamed cry:cried"""
)
# Verbs of belief and finding: "X believes (that) ...", "the poll found ...".
_BELIEF = _inflect(
    """believe think:thinks:thought:thinking hope fear worry:worries:worried know:knows:knew
    expect:expects:expected doubt:doubts:doubted suspect:suspects:suspected find:finds:found
    show:shows:showed:shown:showing indicate learn:learns:learned:learnt realize:realizes:realized
    understand:understands:understood imply:implies:implied estimate:estimates:estimated"""
)
# Verbs whose object is what is attributed: "Cruz criticized the deal". Kept
# are those right at least a third of the time on PolNeAR's training data (below
# that a cue costs F1); "support", "attack" and "plan" did not make it.
_STANCE = _inflect(
    """criticize criticise praise endorse accuse defend reject blast dismiss urge blame call describe cite
    question denounce condemn slam+ mock echo order refuse decline express mention discuss challenge label
    =labelled dub+ thank applaud hail lambaste tout propose offer seek:seeks:sought:seeking oppose back
    welcome rip+ chide scold rebuke berate ridicule insult demand want:wants:wanted decide:decides:decided
    refer+ point characterize talk =voiced portray decry highlight rail =emailed plead threaten prefer+
    disclose signal =signalled quote retweet assail reference:referenced:referencing liken apologize invoke
    bemoan =commented interject:interjected deride speculate congratulate outline advocate proclaim rebuff
    remember list nominate:nominated hint attribute"""
)
# Verbs that are cues only with their particle: "pointed out", "went on".
_PARTICLE = {
    **dict.fromkeys(("point", "points", "pointed", "pointing"), ("out", "to")),
    **dict.fromkeys(("went", "goes"), ("on",)),
}
# Prepositions that belong to the cue when they follow it: "referring to", "talked about".
_PREPS = {
    item.split(":")[0]: tuple(item.split(":")[1].split(","))
    for item in _words(
        """refer:to talk:about respond:to reply:to apologize:for call:for,on rail:against advocate:for
        plead:for agree:to,with commented:on speculate:about,on warn:of,about,against complain:about
        ask:about testify:about write:about say:of boast:about joke:about worry:about hope:for
        think:about,of know:about learn:about,of express:support hint:at"""
    )
}
_LEMMA = {**_STANCE, **_BELIEF, **_SPEECH, "went": "go", "goes": "go"}
# Forms that are more often nouns ("the state", "his support", "a post").
_NOUNS = _words(
    """state states post posts support supports attack attacks back backs challenge challenges rebuke call
    calls plan plans offer offers order orders report reports claim claims question questions fear fears
    hope hopes doubt doubts thanks demand demands echo echoes knock knocks label labels dub welcome cry
    tweet tweets answer promise promises pledge pledges vow vows estimate estimates show shows find
    finds mention mentions charge counter joke jokes remark remarks note notes repeat insult ridicule
    reply comment read recount quip cite cites decline declines rip rips"""
)
# Cues that only count after a quotation ('"...," he continued').
_INVERTED_ONLY = frozenset({"continue", "read", "answer", "go", "cry", "scream"})
_TAKES_OBJECT = frozenset({"tell", "assure", "remind", "inform", "warn", "ask"})
_PARTICIPLES = frozenset(f for f in _LEMMA if f.endswith("ing"))
_PASSIVE = _words("be been being is was are were am 's ’s")

_PRONOUNS = _words("he she they i we it you who which")
_PERSONAL = _words("he she they i we")
_OBJECTS = _words("him her them me us you reporters supporters voters journalists")
_DETERMINERS = _words(
    """the a an his her their its our my your this these those many some most several both all other others
    few one two three four five each another any such"""
)
_TITLES = _words(
    """mr mrs ms dr sen sens rep reps gov gen lt col sgt prof rev st jr sr adm capt cmdr maj pres supt hon
    messrs"""
)
_AUX = _words(
    """has have had also later previously repeatedly recently publicly once then would will could might may
    did does do not never often always just already even still first again long earlier quickly simply
    flatly privately openly reportedly initially ultimately immediately specifically further famously
    frequently last week yesterday has’s"""
)
_TAIL_WORDS = _words(
    """later earlier too again recently then also last this yesterday today tonight publicly privately
    repeatedly flatly simply afterward afterwards"""
)
_ARTICLES = _words("the a an this that these those every another no")
# Verbs that attribute a view to nobody in particular: "the race appears closer".
_IMPERSONAL = _words("seems seemed appear appears appeared expected")
_CUE_WORDS = frozenset({*_LEMMA, "according", *_IMPERSONAL})
_CLAUSE_BREAKS = _words("while after before although though whereas with which who")
_CLAUSE_OPENERS = _words("""that because and but or while when where if although though since so as""")
_QUANTIFIERS = _words("some many most others few several both all one another each")
_MODIFIERS = _words("former longtime veteran senior top chief then fellow")
_PLURAL_SUBJECTS = _words(
    """voters polls surveys studies observers residents opponents protesters activists sources documents
    records data results advocates scientists investigators prosecutors lawmakers legislators people
    americans delegates superdelegates donors pollsters republicans democrats conservatives liberals
    progressives independents candidates organizers authorities police officials critics analysts
    experts aides advisers supporters economists leaders members reporters"""
)
_TAIL_PREPS = _words("""in at on during after before from with of via for about through amid by""")
_WEEKDAYS = _words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")
_TIME_WORDS = _words(
    """monday tuesday wednesday thursday friday saturday sunday today yesterday tonight morning afternoon
    evening night week weekend month"""
)
_TIME_LEADS = _words("on last this early late earlier later")
# Words that make a clause of what follows a cue, so it is content, not a modifier.
_FINITE = _words(
    """that is was are were be been has have had will would can could should may might must do does did am
    's ’s 're ’re 'll ’ll"""
)
_PLACE_PREPS = _words("in on at during to after before while")
# Words that close the subject on its left.
_BOUNDARY = _words(
    """that because and but or while when as after before since although though if so where whether than
    until unless how why what whom whose yet nor to of in on at for with from by about into over under
    against during without through between among amid despite like per"""
)
# Prepositions allowed inside a source after a role noun ("a spokesman for Sanders").
_ROLE_PREP = frozenset({"for", "of", "at", "with", "from", "in"})
_ROLES = _words(
    """spokesman spokeswoman spokesperson aide aides adviser advisers advisor advisors director chairman
    chairwoman chair member members official officials secretary leader leaders head president minister
    professor analyst analysts spokespeople representative representatives manager strategist
    strategists expert experts fellow researcher researchers economist economists executive executives
    founder lawyer lawyers attorney senator governor mayor reporter editor correspondent staffer
    staffers counsel ceo officer officers supporter supporters critic critics friend friends author
    authors group spokesmen"""
)
# Short asides between a subject and its verb: "Rogers, for example, said".
_ASIDES = _phrases(
    """for example|however|though|too|meanwhile|in turn|instead|for instance|also|moreover|in
    fact"""
)
_PUNCT = frozenset(",;:.!?()[]—–\"“”''«»")
_STOPS = frozenset(".!?;")

_TIME = (
    r"(?:(?:on|last|this|early|late|earlier|later)\s+)?"
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday|tonight)"
    r"(?:\s+(?:morning|afternoon|evening|night))?"
    r"|(?:last|this|earlier this|later this)\s+(?:week|month|year|morning|weekend)|earlier|later|recently"
)
_MEDIUM = (
    r"(?:statement|interview|speech|tweet|email|e-mail|letter|post|op-ed|memo|release|video|analysis"
    r"|report|column|editorial|essay|message|posting|note|appearance|address|conversation)"
)
_NAME = r"[A-Z][\w.’'&-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w.’'&-]*)*"
# What may follow a cue before its content: "said Monday in a statement to CNN that".
_CUE_TAIL = re.compile(
    rf"(?:\s*,?\s*(?:{_TIME}"
    rf"|(?:in|during|on)\s+(?:a|an|his|her|their|its|the)\s+(?:[\w’'-]+\s+){{0,3}}{_MEDIUM}s?"
    rf"(?:\s+(?:with|to|on|from|for)\s+(?:the\s+)?{_NAME})?"
    rf"|on\s+(?:Twitter|Facebook|Instagram|{_NAME}(?:[’']s)?(?:\s+[“\"]?{_NAME}[”\"]?)?)"
    r"|to\s+(?:reporters|supporters|the\s+\w+|[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*)"
    r"|at\s+(?:a|an|the|his|her)\s+(?:[\w-]+\s+){0,2}(?:conference|rally|hearing|briefing|event|debate"
    r"|meeting|forum|speech|dinner|luncheon|appearance|town hall)"
    r"|publicly|privately|repeatedly|again|also|then|too|afterward|afterwards|flatly|simply|bluntly"
    r"|in\s+(?:an?\s+)?(?:court\s+)?(?:filings?|documents?|testimony|remarks)))+"
)

# --------------------------------------------------------------------------- tokens and regions

_WORD = re.compile(r"(?:[A-Za-z]\.){2,}|[^\W_]+(?:[’'\-.][^\W_]+)*\.?|''|[^\w\s]")
_LETTERS = re.compile(r"[A-Za-z]+")
_LINE = re.compile(r"[^\n]*[^\s][^\n]*")
_SPEAKER_LINE = re.compile(
    r"^[ \t]*((?:[A-Z][\w.’'-]*[ \t]+){0,2}[A-Z][\w.’'-]*)[ \t]*(:)[ \t]+(\S[^\n]*)$", re.M
)
# Line labels that are not speakers: "UPDATE: ...", "Editor's note: ...".
_NOT_SPEAKERS = _phrases(
    """update|updated|breaking|the latest|contributing|twitter|revealed|byline|wow|editor’s note|
    editor's note|name|note|related|watch|read more|photo|photos|source|sources|correction|exclusive|
    analysis|opinion|video|listen|warning|see also|delegate update|pledged|q|a"""
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
        low[:-1] in _TITLES or (len(word) == 2 and word[0].isupper()) or bool(_ABBREVIATION.match(text, end))
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
            self.sentence_of(m.start()) for m in _LETTERS.finditer(text) if m.group().lower() in _CUE_WORDS
        }
        self.used_cues: set[int] = set()

    def toks(self, si: int) -> list[_Tok]:
        if si not in self._toks:
            toks = _tokens(self.text, *self.sents[si])
            if _title_case(toks):
                # A headline: "Trump Says He Never Pledged ..." has its verbs capitalised.
                toks = [
                    _Tok(t.start, t.end, t.low, t.low) if t.low in _LEMMA and k else t
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
    return t.low in _PLURAL_SUBJECTS or (t.low in _ROLES and t.low.endswith("s"))


def _np_ok(toks: Sequence[_Tok]) -> bool:
    """Whether ``toks`` can be a speaker: a pronoun, a name, or a determiner phrase with a head."""
    if not toks or len(toks) > 14:
        return False
    first, last = toks[0], toks[-1]
    if len(toks) == 1 and (first.low in _PRONOUNS or first.low in _QUANTIFIERS or _plural(first)):
        return True
    if first.low in _PRONOUNS or first.low in _AUX or (first.low in _LEMMA and not _capital(first)):
        return False
    if all(not _capital(t) for t in toks) and first.low not in _DETERMINERS and not _plural(last):
        return False
    if last.low in _DETERMINERS or not _word(last) or last.low in _BOUNDARY:
        return False
    headed = _capital(first) or first.low in _DETERMINERS or first.low in _ROLES or any(map(_capital, toks))
    if not headed and (not _plural(last) or len(toks) > 3):  # "farm officials" is fine
        return False
    for k, t in enumerate(toks[1:], 1):
        if (
            t.low in _AUX
            or t.low in _PRONOUNS
            or (t.low in _LEMMA and not _capital(t) and t.low not in _ROLES)
        ):
            return False
        if (t.text in _PUNCT and t.text not in "()") or (t.low in _BOUNDARY and not _role_prep(toks, k)):
            return False
    return True


def _role_prep(toks: Sequence[_Tok], k: int) -> bool:
    """ "for" in "a spokesman for Sanders", "of" in "Bank of America"."""
    if toks[k].low not in _ROLE_PREP or k == 0 or k + 1 >= len(toks):
        return False
    return toks[k - 1].low in _ROLES or (_capital(toks[k - 1]) and _capital(toks[k + 1]))


def _name_before(toks: Sequence[_Tok], comma: int, lo: int) -> int | None:
    """Start of a short name ending just before the comma at ``comma`` ("Sam Lau, the director")."""
    k = comma
    while k > lo and (_capital(toks[k - 1]) or toks[k - 1].text in ("-",)) and comma - k < 5:
        k -= 1
    if k == comma or not _capital(toks[k]):
        return None
    if k > lo and not (toks[k - 1].text in _PUNCT or toks[k - 1].low in _BOUNDARY):
        return None
    return k


def _source_before(toks: Sequence[_Tok], i: int, lo: int) -> Range | None:
    """Token range of the subject ending before token ``i`` (auxiliaries, asides, appositives)."""
    end = i
    while end > lo:
        t = toks[end - 1]
        if t.low in _AUX or (t.low.endswith("ly") and t.text.islower()) or t.low in _TIME_WORDS:
            end -= 1
        elif t.low in _TIME_LEADS and end < i and toks[end].low in _TIME_WORDS:
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
        if t.text in _PUNCT or (t.low in _LEMMA and not _capital(t) and t.low not in _ROLES):
            break
        if t.low in _BOUNDARY and not _role_prep(toks, k - 1):
            break
        k -= 1
    while k < end and not _np_ok(toks[k:end]):
        k += 1
    if k >= end:
        return None
    # "Sam Lau, the communications director for the party, said"
    if k - 1 > lo and toks[k - 1].text == "," and toks[k].low in _DETERMINERS | _ROLES:
        name = _name_before(toks, k - 1, lo)
        if name is not None:
            return (name, outer)
    return (k, outer)


def _dashed(toks: Sequence[_Tok], dash: int, lo: int) -> Range | None:
    """The subject before an aside between dashes: "Trump - who once said X - said"."""
    for left in range(dash - 1, max(lo - 1, dash - 40), -1):
        if toks[left].text in _STOPS:
            return None
        if toks[left].text == toks[dash].text:
            head = _source_before(toks, left, lo)
            return None if head is None else (head[0], left)
    return None


def _appositive(toks: Sequence[_Tok], comma: int, lo: int) -> Range | None:
    """The subject before an aside closed by the comma at ``comma``: "Briggs, a spokesman, said"."""
    for left in range(comma - 1, max(lo - 1, comma - 25), -1):
        t = toks[left]
        if t.text in _STOPS:
            return None
        if t.text != ",":
            continue
        inner = toks[left + 1 : comma]
        text = " ".join(x.low for x in inner)
        if text in _ASIDES:
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
    if not (first.low in _DETERMINERS or first.low in _ROLES or _capital(first) or first.low in _MODIFIERS):
        return False
    return not any(
        t.low in _FINITE or (t.low in _LEMMA and not _capital(t) and t.low not in _ROLES) for t in inner
    )


def _source_after(toks: Sequence[_Tok], i: int, hi: int) -> Range | None:
    """Token range of an inverted subject starting at token ``i`` ('said Jackson, the ...')."""
    if i >= hi:
        return None
    if toks[i].low in _PERSONAL:
        return (i, i + 1)
    k = i
    while k < hi and k - i < 10:
        t = toks[k]
        if (
            (t.text in _PUNCT and t.text not in "()")
            or t.low in _AUX
            or (t.low in _LEMMA and not _capital(t))
        ):
            break
        if t.low in _BOUNDARY and not _role_prep(toks, k):
            break
        if k > i and _capital(toks[k - 1]) and (t.low.endswith("ed") or t.low in _PASSIVE):
            break  # "said Obama failed to ..."
        k += 1
    while k > i and not _np_ok(toks[i:k]):
        k -= 1
    return (i, k) if k > i else None


def _object_end(toks: Sequence[_Tok], i: int, hi: int) -> int:
    """Token index after the object of "told"/"assured" starting at ``i`` (``i`` when there is none)."""
    if i >= hi:
        return i
    if toks[i].low in _OBJECTS:
        return i + 1
    span = _source_after(toks, i, hi)
    if span is None or (not any(_capital(t) for t in toks[span[0] : span[1]]) and span[1] - span[0] > 4):
        return i
    return span[1]


# --------------------------------------------------------------------------- cues


def _is_cue(toks: Sequence[_Tok], k: int) -> bool:
    t = toks[k]
    if t.low not in _LEMMA or (not t.text.islower() and k > 0):
        return False
    if t.low in _PARTICLE:
        return k + 1 < len(toks) and toks[k + 1].low in _PARTICLE[t.low]
    if k > 0 and toks[k - 1].low in _ARTICLES:
        return False  # a noun: "the report", "a recount"
    if t.low in _NOUNS and k > 0:
        # "Trump attacks", not "full-throated support": the subject must be a name or a pronoun.
        prev = toks[k - 1]
        return prev.low in _PRONOUNS or (_capital(prev) and prev.low not in _DETERMINERS)
    return True


def _cue_span(toks: Sequence[_Tok], k: int) -> Span:
    return (toks[k].start, toks[_cue_next(toks, k) - 1].end)


def _cue_next(toks: Sequence[_Tok], k: int) -> int:
    low = toks[k].low
    if low in _PARTICLE or (k + 1 < len(toks) and toks[k + 1].low in _PREPS.get(_LEMMA.get(low, ""), ())):
        return k + 2
    return k + 1


def _skip_tail(text: str, toks: Sequence[_Tok], j: int, hi: int) -> int:
    """Token index after time, place and medium modifiers starting at token ``j``."""
    if 0 < j < hi:
        m = _CUE_TAIL.match(text, toks[j - 1].end)
        if m and m.end() > toks[j - 1].end:
            return bisect_left([t.start for t in toks], m.end(), j, hi)
    return j


def _after_cue(text: str, toks: Sequence[_Tok], k: int, hi: int) -> int:
    """Token index where content may start after the cue at ``k`` (object, modifiers and "that" found)."""
    j = _cue_next(toks, k)
    if _LEMMA[toks[k].low] in _TAKES_OBJECT:
        j = _object_end(toks, j, hi)
    j = _skip_tail(text, toks, j, hi)
    # "said in a recent issue of Foreign Policy magazine that ...": jump to "that".
    if j >= hi or toks[j].low not in _PLACE_PREPS:
        return j
    for n in range(j, min(hi, j + 10)):
        t = toks[n]
        if t.low == "that":
            if n > j and all(x.low not in _PRONOUNS and x.low not in _LEMMA for x in toks[j:n]):
                return n
            break
        if t.text in _PUNCT and t.text != ",":
            break
    return j


def _is_tail(toks: Sequence[_Tok], j: int, hi: int) -> bool:
    """Whether tokens ``[j, hi)`` only modify a cue: 'in Iowa on Tuesday', ', a Democrat from Ohio'."""
    rest = [t for t in toks[j:hi] if t.text not in _PUNCT or t.text in ",;"]
    if not rest:
        return True
    if rest[0].text == "," and len(rest) > 1:
        # An appositive or a relative clause on the source: ", a Democrat from Ohio", ", who ...".
        nxt = rest[1]
        if (
            nxt.low in ("who", "whose", "which")
            or nxt.low in _DETERMINERS
            or _capital(nxt)
            or nxt.text[0].isdigit()
        ):
            return True
        rest = rest[1:]
    if len(rest) > 22 or any(t.text == ";" or t.low in _FINITE or t.low in _PERSONAL for t in rest):
        return False
    if any(t.low in _LEMMA and t.low not in _PARTICIPLES and not _capital(t) for t in rest):
        return False
    first = rest[0]
    if first.low == "to":
        return len(rest) > 1 and (_capital(rest[1]) or rest[1].low in _DETERMINERS or rest[1].low in _OBJECTS)
    return first.low in _TAIL_PREPS or first.low in _TAIL_WORDS or first.text in _WEEKDAYS


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
    if _is_cue(toks, i) and toks[i].low in _SPEECH:  # '"...," said Jackson'
        source = _source_after(toks, _cue_next(toks, i), hi)
        after = source[1] if source else _cue_next(toks, i)
        if source is None and not _is_tail(toks, _skip_tail(doc.text, toks, after, hi), hi):
            return None
        return _Attr(*_cue_span(toks, i), _span(toks, source))
    for k in range(i + 1, min(hi, i + 30)):
        t = toks[k]
        if t.text in _STOPS or doc.quoted(t.start):
            return None
        if _is_cue(toks, k) and t.low in _SPEECH:
            source = _source_before(toks, k, i)
            if source is None or source[0] != i:
                return None
            after = _after_cue(doc.text, toks, k, hi)
            nxt = (
                _object_end(toks, _cue_next(toks, k), hi)
                if _LEMMA[t.low] in _TAKES_OBJECT
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
        if (t.text in _STOPS and k < hi - 1) or doc.quoted(t.start):
            return None
        if t.low == "according" and k + 1 < hi and toks[k + 1].low == "to":
            source = _source_after(toks, k + 2, hi)
            return _Attr(toks[k].start, toks[k + 1].end, _span(toks, source))
        if not (_is_cue(toks, k) and t.low in _SPEECH):
            continue
        after = _after_cue(doc.text, toks, k, hi)
        between = [x for x in toks[after:hi] if x.text not in ",:."]
        if colon and len(between) > 14:
            return None
        # Without a colon only a comma and a few modifiers may separate cue and quotation.
        loose = not colon and (between or (after < hi and toks[hi - 1].text not in ",:."))
        if loose and not (toks[hi - 1].text == "," and _is_tail(toks, after, hi - 1) and len(between) <= 6):
            return None
        if t.low in _PARTICIPLES:
            source = _subject(toks, k)
        else:
            source = _source_before(toks, k, 0)
            if source is None and (k == 0 or toks[k - 1].text in _PUNCT):
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
    return not any(w in _LEMMA for w in re.findall(r"[a-z]+", between))


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
        if t.text in _STOPS or t.text in "”\"''":
            break  # the clause of a participle does not reach back into a quotation
        if not t.text.islower() or not (t.low in _LEMMA or t.low in _FINITE or t.low.endswith("ed")):
            continue
        rng = _source_before(toks, j, 0)
        if rng is not None:
            return rng
    return None


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
                if nxt.low in _SPEECH:
                    return k
            continue
        n = k + 1
        while n < hi and toks[n].text in "”\"''":
            n += 1
        if n >= hi:
            break
        nxt = toks[n]
        if stance or nxt.low == "according" or (nxt.low in _PARTICIPLES and nxt.low in _SPEECH):
            return k
        if nxt.low in _CLAUSE_BREAKS:
            return k
        if nxt.low in ("and", "but") and n + 1 < hi:
            after = toks[n + 1]
            if (
                _verbish(after)
                or after.low in _PRONOUNS
                or (after.low in _DETERMINERS and after.low != "the")
            ):
                return k
            n += 1
        for m in range(n, min(hi, n + 5)):
            if _is_cue(toks, m) and toks[m].low in _SPEECH and _source_before(toks, m, n) == (n, m):
                return k
    return hi


def _verbish(t: _Tok) -> bool:
    """A lower-case word that starts a predicate: "and vowed", "and has", "but said"."""
    return t.text.islower() and (t.low in _LEMMA or t.low in _FINITE or t.low.endswith("ed"))


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
        if (t.low not in _LEMMA and t.low not in _IMPERSONAL and t.low != "according") or doc.quoted(t.start):
            continue
        if t.start in doc.used_cues:
            continue
        if t.low == "according":
            if k + 1 < hi and toks[k + 1].low == "to":
                found.extend(_according(doc.text, toks, k))
            continue
        if t.low in _IMPERSONAL:
            found.extend(_impersonal(doc.text, toks, k))
            continue
        if not _is_cue(toks, k) or _LEMMA[t.low] in _INVERTED_ONLY:
            continue
        if k > 0 and toks[k - 1].low in _PASSIVE and t.low.endswith(("ed", "en", "wn", "ld", "ht")):
            continue  # "was criticized": the speaker, if any, is elsewhere
        pieces, source = _frame(doc.text, toks, k, clause_source)
        found.extend(pieces)
        clause_source = source or clause_source
    return found


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
    if t.low in _PARTICIPLES and _after_pause(toks, k) and not at_end:
        source = clause_source or _span(toks, _subject(toks, k))
        return _lead(text, toks, after, _Attr(*cue, source), _is_stance(t)), source
    before = _source_before(toks, k, 0)
    if t.low in _SPEECH:
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
    if before is None or at_end:
        return [], None
    attr = _Attr(*cue, _span(toks, before))
    return _lead(text, toks, after, attr, _is_stance(t)), attr.source


def _coordinated(toks: Sequence[_Tok], k: int) -> bool:
    """Whether the verb at ``k`` is coordinated with an earlier one: "... and said", "but also said"."""
    j = k
    while j > 0 and toks[j - 1].low in _AUX:
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
        if before is None or (toks[before[0]].low in _PERSONAL and not _is_tail(toks, before[1], hi)):
            return [], None  # "said he has spoken ..." is not ", said he."
        comma, after_src = k - 1, _skip_tail(text, toks, before[1], hi)
    if comma < 3 or toks[comma].text not in ",—–":
        return [], None
    attr = _Attr(*_cue_span(toks, k), _span(toks, before))
    head = _piece(attr, *_piece_span(text, toks, 0, comma), "indirect")
    if after_src < hi and toks[after_src].text == ",":
        end = _content_end(toks, after_src + 1, hi)
        return [head, _piece(attr, *_piece_span(text, toks, after_src + 1, end), "indirect")], attr.source
    if _is_tail(toks, after_src, hi):
        return [head], attr.source
    return [], None


def _is_stance(t: _Tok) -> bool:
    return t.low in _STANCE and t.low not in _SPEECH and t.low not in _BELIEF


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
    if all(x.low in _BOUNDARY or x.text in _PUNCT or x.low in _AUX for x in toks[:k]):
        if src_end < hi and toks[src_end].text == ",":
            return _lead(text, toks, src_end + 1, attr)
        return []
    pieces = [_piece(attr, *_piece_span(text, toks, 0, k), "indirect")]
    if src_end < hi - 1 and toks[src_end].text == ",":
        pieces.append(_piece(attr, *_piece_span(text, toks, src_end + 1, hi), "indirect"))
    return pieces


def _impersonal(text: str, toks: Sequence[_Tok], k: int) -> list[Found]:
    """ "Enthusiasm for Clinton appears to have plummeted": subject and rest are content, no source."""
    hi = len(toks)
    t = toks[k]
    nxt = toks[k + 1] if k + 1 < hi else None
    if nxt is None or nxt.low in _TAIL_PREPS or nxt.text in _PUNCT:
        return []  # "appeared on television", "as it seems."
    if t.low == "expected" and not (k > 0 and toks[k - 1].low in _PASSIVE and nxt.low == "to"):
        return []
    cue_first = k - 1 if t.low == "expected" else k
    start = cue_first
    while start > 0 and cue_first - start < 15:
        prev = toks[start - 1]
        if prev.text in ",;:()—–\"“”''" or prev.low in _CLAUSE_OPENERS:
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
        if name.lower() in _NOT_SPEAKERS or len(name) < 3:
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
    what Smith said, not an attribution of its own.
    """
    spans = sorted((f.start, f.end, f.cue_start) for f in found if f.kind == "indirect")
    starts = [s for s, _, _ in spans]

    def embedded(f: Found) -> bool:
        if f.kind != "indirect":
            return False
        cue = text[f.cue_start : f.cue_end].split()[0].lower()
        if cue in _SPEECH or cue == "according":
            return False
        i = bisect_right(starts, f.cue_start)
        return any(s <= f.cue_start < e and c != f.cue_start for s, e, c in spans[max(0, i - 8) : i])

    return [f for f in found if not embedded(f)]
