"""Dated event mentions for the timeline: what happens on which day, who takes part, how sure.

An event is a trigger from a closed vocabulary (``PREDICATES`` in ``events_rules``:
meet, call, talk, visit, impose_tariff, cut_tariff, export_control, agree, sign,
expire, deadline, announce, ...; Chinese triggers such as 会晤 map to the same names)
with a resolved calendar date attached. Only sentences holding a DATE or TIME timex
whose value is a specific day, week, month or year (``value_range`` knows its span)
are read, so undated text costs nothing.

Undated events. A date the text gives but the article does not let us place ("held a
phone call on Monday" on a page without a publication date: ``XXXX-WXX-1``) still
says the event took place at a definite time. Such an event is kept with ``date=None``
(the timex span still points at "Monday") so a timeline can list it as "date not
given", but only for a trigger in ``UNDATED_PREDICATES`` with at least one
participant: vague references ("recently", ``PAST_REF``) and weak triggers would only
add noise.

Attachment. Each date goes to the nearest trigger in its clause. English puts the date
after the verb phrase ("will meet Xi on October 30") unless the date opens the clause
("On the 9th, China announced") or premodifies a noun ("a November 1 deadline");
Chinese puts it before ("将于10月30日在釜山会晤"). A date that lands on a reporting
verb ("said on Thursday") makes no event. Nouns that only anchor a time ("during the
APEC summit", 峰会期间) are used only when nothing else is in the clause;
"announced export controls" is an export_control event rather than an announce one,
and "sign a trade deal in November" a sign event rather than an agree one. Each
trigger keeps one date, its most specific ("今年...24日...登陆" is the 24th).
Ranges ("Oct. 24 to 27", "10月24日至27日") become one event with ``date_end``.

Modality, first rule that applies:

1. cues around the trigger: a close negation ("will not meet", 不会) or "cancelled,
   called off, postponed, 取消, 推迟" give ``cancelled`` (a negated event is kept as
   cancelled, not dropped, so a timeline can show it is off); "threatened, warned,
   威胁" ``threatened``; "proposed, suggested, invited, 提议, 建议" ``proposed``; "will,
   is set to, is scheduled to, expected to, plans to, 将, 计划, 预计, 定于, 拟"
   ``scheduled``; a past-tense trigger, an auxiliary, 了 or 已 mark the past (rule 4).
   Close cues outrank the trigger's own tense, which outranks distant cues;
2. a deadline next to a penalty ("a November 1 deadline for 100% tariffs", 最后期限
   ... 关税) or a punitive predicate in a conditional sentence ("if ... would impose",
   如果) is ``threatened``;
3. hearsay with no cue of commitment ("reportedly", "according to reports", 据报道) is
   ``reported``;
4. the date against the publication date: later is ``scheduled`` (a future date beats a
   past-tense verb, which likely belongs to another clause), earlier ``happened``; a
   span holding it ("this week") is ``happened`` on a past cue, an "earlier", or when
   it is that very day, else ``scheduled``. With no publication date: ``happened``
   unless a cue says otherwise, as news mostly reports what took place.

Participants. Entity keys in the clause: agents (before the trigger, back to the clause
start or the last reporting verb) first, then co-agents ("with Xi", 与习近平), then
objects (after the trigger, up to "to discuss", "as part of" ...). Places behind "in,
at, 在" are left out, as are modifiers of a person's title ("US" in "US President
Donald Trump"). "his counterpart", "the two leaders", 双方 borrow the participants of
the previous mention of the same bilateral predicate in the text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from ..models import Mention
from ..text.sentences import split_text
from .events_en import EN
from .events_rules import (
    BILATERAL,
    GOVERNING,
    MODALITIES,
    PARTY_LABELS,
    PREDICATES,
    PUNITIVE,
    SAY,
    UNDATED_PREDICATES,
    Lexicon,
)
from .events_zh import ZH
from .timex import Timex, value_range

__all__ = ["MODALITIES", "PREDICATES", "EventMention", "find_events"]

DATED_TYPES = frozenset({"DATE", "TIME"})
# A day, weekday or month the text names but whose year or week it leaves open:
# "on Monday" (XXXX-WXX-1), "October 30" (XXXX-10-30), "yesterday" (XXXX-XX-XX) without a
# publication date.
_UNPLACED = re.compile(r"XXXX-(?:WXX-[1-7]|\d{2}(?:-\d{2})?|XX-(?:\d{2}|XX))")
# A date span that holds the publication date but is said to lie behind it.
_EARLIER = re.compile(r"\b(?:earlier|last|previous|past)\b|早些时候|早前|此前", re.IGNORECASE)
_LATER = re.compile(r"\b(?:later|end|rest|coming|remainder)\b|晚些时候|底|末|下旬", re.IGNORECASE)
_PLACE_CHAIN = re.compile(r"[\s,，、]*")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH = re.compile(r"\d{4}-\d{2}")
_DIGITS = re.compile(r"\d+")
_TIERS = ("near", "near_past", "far", "far_past")
# Within a tier the stronger cue governs: in "cancelled the summit planned for Nov. 12" the
# summit is off, though "planned" stands closer.
_STRENGTH = ("cancelled", "threatened", "proposed", "scheduled", "past")
# Lowercases ASCII only, so offsets stay those of the text (str.lower can change lengths).
_FOLD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


@dataclass(slots=True)
class EventMention:
    start: int  # the sentence span
    end: int
    trigger: str  # the word(s) in the text: "meet", "会晤", "expires", "deadline"
    trigger_start: int
    trigger_end: int
    predicate: str  # one of PREDICATES
    date: str | None  # TIMEX3 value of the attached timex; None when the text's date cannot be placed
    date_end: str | None  # last value of a range ("October 24-27"), else None
    timex_start: int | None  # the date's span in the text (None for an event found without one)
    timex_end: int | None
    modality: str  # one of MODALITIES
    participants: list[str]  # canonical entity keys, agents first
    lang: str


@dataclass(frozen=True, slots=True)
class _Trigger:
    start: int
    end: int
    predicate: str
    demoted: bool  # anchors a time ("during the summit"); used only when nothing else is there


@dataclass(frozen=True, slots=True)
class _Anchor:
    start: int
    end: int
    text: str
    value: str
    value_end: str | None

    @property
    def placed(self) -> bool:
        return value_range(self.value) is not None


def find_events(
    text: str,
    lang: str,
    dct: date | datetime | None,
    timexes: Sequence[Timex],
    mentions: Sequence[Mention] = (),
    sentences: Sequence[tuple[int, int]] | None = None,
) -> list[EventMention]:
    """Dated events in ``text``, in text order, and the undated ones whose date the text
    gives but ``dct`` cannot place; [] for languages without rules.

    ``timexes`` come from ``find_timexes`` with the same ``dct``; ``mentions`` with a
    negative start (title mentions) are ignored; ``sentences`` default to
    ``split_text(text, lang)``.
    """
    lex = _lexicon(lang)
    dated = sorted((t for t in timexes if _is_dated(t) or _is_unplaced(t)), key=lambda t: t.start)
    if lex is None or not dated:
        return []
    day = dct.date() if isinstance(dct, datetime) else dct
    reader = _Reader(text, lex, "zh" if lex is ZH else "en", day, mentions)
    starts = [t.start for t in dated]
    events: list[EventMention] = []
    for s, e in sentences if sentences is not None else split_text(text, lang):
        here = dated[bisect_left(starts, s) : bisect_left(starts, e)]
        if here:
            events.extend(reader.sentence(s, e, here))
    return events


def _lexicon(lang: str) -> Lexicon | None:
    if lang.startswith("zh"):
        return ZH
    return EN if lang.startswith("en") or lang == "und" else None


def _is_dated(t: Timex) -> bool:
    """A day, week, month, season, quarter or year; decades are too vague for a timeline."""
    span = value_range(t.value) if t.type in DATED_TYPES else None
    return span is not None and (span[1] - span[0]).days < 366


def _is_unplaced(t: Timex) -> bool:
    return t.type in DATED_TYPES and _UNPLACED.fullmatch(t.value) is not None


def _clear_undated(event: EventMention) -> bool:
    """An undated event worth listing: a strong trigger with someone taking part."""
    return event.predicate in UNDATED_PREDICATES and bool(event.participants)


def _span(anchor: _Anchor) -> tuple[date, date] | None:
    first = value_range(anchor.value)
    last = value_range(anchor.value_end) if anchor.value_end else first
    return (first[0], last[1]) if first and last else None


def _one_per_trigger(
    attached: list[tuple[_Anchor, _Trigger, tuple[int, int]]],
) -> list[tuple[_Anchor, _Trigger, tuple[int, int]]]:
    """Per trigger, its most specific date, then the nearest: "今年...24日...登陆" is dated the
    24th, and the quarter in "18日公布的第三季度财报" is what was published, not when."""
    best: dict[_Trigger, tuple[int, int, int]] = {}
    for i, (anchor, trigger, _) in enumerate(attached):
        span = _span(anchor)
        days = (span[1] - span[0]).days if span else 1 << 20
        rank = (days, min(abs(anchor.start - trigger.end), abs(trigger.start - anchor.end)), i)
        best[trigger] = min(best.get(trigger, rank), rank)
    chosen = sorted(rank[2] for rank in best.values())
    return [attached[i] for i in chosen]


class _Reader:
    """One text's events; remembers the last event per predicate for "his counterpart"."""

    def __init__(self, text: str, lex: Lexicon, lang: str, dct: date | None, mentions: Sequence[Mention]):
        self.text = text
        self.folded = text.translate(_FOLD)
        self.lex = lex
        self.lang = lang
        self.dct = dct
        self.mentions = sorted(
            (m for m in mentions if m.start >= 0 and m.label in PARTY_LABELS), key=lambda m: m.start
        )
        self.mention_starts = [m.start for m in self.mentions]
        self.last: dict[str, EventMention] = {}

    # ------------------------------------------------------------------ sentence structure

    def sentence(self, s: int, e: int, timexes: list[Timex]) -> list[EventMention]:
        clauses = self._clauses(s, e)
        triggers = self._triggers(s, e)
        attached: list[tuple[_Anchor, _Trigger, tuple[int, int]]] = []
        for anchor in self._anchors(timexes):
            if self.lex.dateline.match(self.text, anchor.end):
                continue
            found = self._attach(anchor, clauses, triggers)
            if found is not None and found[0].predicate != SAY:
                attached.append((anchor, *found))
        events = [self._event((s, e), a, t, clause, triggers) for a, t, clause in _one_per_trigger(attached)]
        return [ev for ev in events if ev.date is not None or _clear_undated(ev)]

    def _clauses(self, s: int, e: int) -> list[tuple[int, int]]:
        clauses, pos = [], s
        for m in self.lex.clause_break.finditer(self.text, s, e):
            if m.start() > pos:
                clauses.append((pos, m.start()))
            pos = max(pos, m.end())
        if e > pos:
            clauses.append((pos, e))
        return clauses

    def _triggers(self, s: int, e: int) -> list[_Trigger]:
        lex, text = self.lex, self.text
        found = []
        for m in lex.triggers.finditer(self.folded, s, e):
            demoted = (
                lex.demote_before.search(text, max(s, m.start() - 40), m.start()) is not None
                or lex.demote_after.match(text, m.end(), e) is not None
            )
            found.append(_Trigger(m.start(), m.end(), lex.trigger_names[m.lastgroup or ""], demoted))
        return found

    # ------------------------------------------------------------------ dates and ranges

    def _anchors(self, timexes: list[Timex]) -> list[_Anchor]:
        anchors: list[_Anchor] = []
        i = 0
        while i < len(timexes):
            t = timexes[i]
            nxt = timexes[i + 1] if i + 1 < len(timexes) else None
            anchor = self._range(t, nxt) or _Anchor(t.start, t.end, t.text, t.value, None)
            anchors.append(anchor)
            i += 2 if nxt is not None and (nxt.start < anchor.end or self._refines(t, nxt)) else 1
        return anchors

    def _refines(self, t: Timex, wider: Timex) -> bool:
        """In "April of this year" the second date only places the first; it is no event of its own."""
        inner, outer = value_range(t.value), value_range(wider.value)
        return (
            inner is not None
            and outer is not None
            and outer[0] <= inner[0] <= inner[1] <= outer[1]
            and self.lex.refines.fullmatch(self.text, t.end, wider.start) is not None
        )

    def _range(self, t: Timex, nxt: Timex | None) -> _Anchor | None:
        """``t`` with the end of its range, when the text gives one."""
        text, lex = self.text, self.lex
        if nxt is not None and self._joins(t, nxt):
            day = _DIGITS.search(nxt.text)
            end = f"{t.value[:8]}{int(day.group()):02d}" if day and self._day_only(t, nxt) else nxt.value
            return self._checked(t, nxt.end, end)
        m = lex.range_day.match(text, t.end)
        if m and _DAY.fullmatch(t.value) and (m.group(1).lower() != "and" or self._between(t)):
            return self._checked(t, m.end(), f"{t.value[:8]}{int(m.group(2)):02d}")
        m = lex.range_in_month.match(text, t.end)
        if m and _MONTH.fullmatch(t.value):
            first = f"{t.value}-{int(m.group(1)):02d}"
            last = f"{t.value}-{int(m.group(2)):02d}"
            return self._checked(_Anchor(t.start, m.end(), t.text, first, None), m.end(), last)
        return None

    def _joins(self, t: Timex, nxt: Timex) -> bool:
        if self.lex.range_next.fullmatch(self.text, t.end, nxt.start):
            return True
        if self.text[t.end : nxt.start].strip().lower() not in ("and", "和"):
            return False
        # "between Oct. 24 and 27", or two days in a row ("on Saturday and Sunday").
        first, second = value_range(t.value), value_range(nxt.value)
        consecutive = first and second and (second[0] - first[1]).days == 1
        return bool(consecutive) or self._between(t)

    def _between(self, t: Timex) -> bool:
        return self.lex.range_between.search(self.text, max(0, t.start - 12), t.start) is not None

    def _day_only(self, t: Timex, nxt: Timex) -> bool:
        return _DAY.fullmatch(t.value) is not None and self.lex.day_only.fullmatch(nxt.text) is not None

    def _checked(self, t: Timex | _Anchor, end: int, value_end: str) -> _Anchor | None:
        """A range anchor if ``value_end`` is a real date after the start, else None."""
        first, last = value_range(t.value), value_range(value_end)
        if first is None or last is None or last[0] <= first[0]:
            return None
        return _Anchor(t.start, end, self.text[t.start : end], t.value, value_end)

    # ------------------------------------------------------------------ attachment

    def _attach(
        self, anchor: _Anchor, clauses: list[tuple[int, int]], triggers: list[_Trigger]
    ) -> tuple[_Trigger, tuple[int, int]] | None:
        ci = next((i for i, (_, ce) in enumerate(clauses) if anchor.start < ce), len(clauses) - 1)
        cs, ce = clauses[ci]
        cands = [t for t in triggers if cs <= t.start < ce]
        if not cands and ci + 1 < len(clauses) and self.lex.trailing.fullmatch(self.text, anchor.end, ce):
            # "2月5日，习近平同特朗普通电话": the date opens the next clause.
            cs, ce = clauses[ci + 1]
            cands = [t for t in triggers if cs <= t.start < ce]
        chosen = self._choose(anchor, cands, cs)
        return (chosen, (cs, ce)) if chosen else None

    def _choose(self, anchor: _Anchor, cands: list[_Trigger], cs: int) -> _Trigger | None:
        text, lex = self.text, self.lex
        for t in cands:
            if t.start >= anchor.end and lex.premodifier.fullmatch(text, anchor.end, t.start):
                return t
            if t.end <= anchor.start and lex.postmodifier.fullmatch(text, t.end, anchor.start):
                return t
        pool = [t for t in cands if not t.demoted] or cands
        left = next((t for t in reversed(pool) if t.end <= anchor.start), None)
        right = next((t for t in pool if t.start >= anchor.end), None)
        if lex.date_first or (cs <= anchor.start and lex.fronted.fullmatch(text, cs, anchor.start)):
            chosen = right or left
        else:
            chosen = left or right
        return self._governor(chosen, cands) if chosen else None

    def _governor(self, t: _Trigger, cands: list[_Trigger]) -> _Trigger:
        """The verb acting on ``t``, if one stands right before it ("sign a trade deal")."""
        before = [c for c in cands if c.end <= t.start]
        g = before[-1] if before else None
        if (
            g
            and g.predicate in GOVERNING
            and t.predicate not in GOVERNING
            and t.start - g.end <= self.lex.promotable
        ):
            return g
        return t

    # ------------------------------------------------------------------ the event

    def _event(
        self,
        sentence: tuple[int, int],
        anchor: _Anchor,
        trigger: _Trigger,
        clause: tuple[int, int],
        triggers: list[_Trigger],
    ) -> EventMention:
        content = self._content(trigger, clause, triggers)
        participants = self._participants(trigger, clause, sentence[0], triggers)
        if content.predicate in BILATERAL and self.lex.counterpart.search(self.text, *clause):
            earlier = self.last.get(content.predicate)
            participants += [k for k in earlier.participants if k not in participants] if earlier else []
        event = EventMention(
            start=sentence[0],
            end=sentence[1],
            trigger=self.text[content.start : content.end],
            trigger_start=content.start,
            trigger_end=content.end,
            predicate=content.predicate,
            date=anchor.value if anchor.placed else None,
            date_end=anchor.value_end if anchor.placed else None,
            timex_start=anchor.start,
            timex_end=anchor.end,
            modality=self._modality(trigger, content.predicate, clause, sentence, anchor),
            participants=participants,
            lang=self.lang,
        )
        if event.date is not None or _clear_undated(event):
            self.last[content.predicate] = event
        return event

    def _content(self, trigger: _Trigger, clause: tuple[int, int], triggers: list[_Trigger]) -> _Trigger:
        """What an announcement announces, when a trigger names it ("announced export controls")."""
        if trigger.predicate != "announce":
            return trigger
        for t in triggers:
            if trigger.end <= t.start < min(clause[1], trigger.end + self.lex.promotable):
                return trigger if t.predicate in (SAY, "announce") else t
        return trigger

    # ------------------------------------------------------------------ modality

    def _modality(
        self,
        trigger: _Trigger,
        predicate: str,
        clause: tuple[int, int],
        sentence: tuple[int, int],
        anchor: _Anchor,
    ) -> str:
        cue = self._cue(trigger, clause, anchor)
        if cue in ("negated", "cancelled"):
            return "cancelled"
        if cue in ("threatened", "proposed"):
            return cue
        if cue != "past" and self._threat(predicate, clause, sentence):
            return "threatened"
        if cue == "scheduled":
            return cue
        if cue is None and self.lex.hearsay.search(self.text, *sentence):
            return "reported"
        return self._by_date(anchor, past=cue == "past")

    def _cue(self, trigger: _Trigger, clause: tuple[int, int], anchor: _Anchor) -> str | None:
        """The modality cue kind that governs ``trigger``, or None."""
        lex, text = self.lex, self.text
        # "The talks set for November 3 were called off": the verb comes after the date.
        after = anchor.end if lex.postmodifier.fullmatch(text, trigger.end, anchor.start) else trigger.end
        lo = max(clause[0], trigger.start - lex.left_window)
        hi = min(clause[1], after + lex.right_window)
        ranked: list[tuple[int, int, int, str]] = []
        if self._past_form(trigger, lo):
            ranked.append((_TIERS.index("near_past"), _STRENGTH.index("past"), 0, "past"))
        # A cue need only start inside the window ("were called off").
        for m in lex.cues.finditer(text, lo, min(clause[1], hi + 20)):
            if m.start() >= hi:
                break
            if trigger.start < m.end() and m.start() < after:
                continue  # the trigger itself ("threatened"), or its date
            kind = lex.cue_names[m.lastgroup or ""]
            before = m.end() <= trigger.start
            dist = trigger.start - m.end() if before else m.start() - after
            if kind == "negated":
                if before and dist <= lex.negation_reach:
                    return kind
                continue
            tier = ("near" if dist <= lex.near_window else "far") + ("_past" if kind == "past" else "")
            ranked.append((_TIERS.index(tier), _STRENGTH.index(kind), dist, kind))
        return min(ranked)[-1] if ranked else None

    def _past_form(self, trigger: _Trigger, lo: int) -> bool:
        word = self.text[trigger.start : trigger.end].split()[0]
        return (
            self.lex.past_form.fullmatch(word) is not None
            and self.lex.not_past.search(self.text, lo, trigger.start) is None
        )

    def _threat(self, predicate: str, clause: tuple[int, int], sentence: tuple[int, int]) -> bool:
        if predicate == "deadline":
            return self.lex.penalty.search(self.text, *clause) is not None
        return predicate in PUNITIVE and self.lex.conditional.search(self.text, *sentence) is not None

    def _by_date(self, anchor: _Anchor, past: bool) -> str:
        span = _span(anchor)
        if self.dct is None or span is None:
            return "happened"
        first, last = span
        if first > self.dct:
            return "scheduled"
        # The span holds the publication date ("this week"): news without a cue reports
        # what has been done so far, unless the date points at the rest of the span.
        if last < self.dct or past or _EARLIER.search(anchor.text) or not _LATER.search(anchor.text):
            return "happened"
        return "scheduled"

    # ------------------------------------------------------------------ participants

    def _participants(
        self, trigger: _Trigger, clause: tuple[int, int], sentence_start: int, triggers: list[_Trigger]
    ) -> list[str]:
        lex = self.lex
        cs, ce = clause
        lo = max(cs, trigger.start - lex.agent_reach, self._left_bound(trigger, cs, triggers))
        hi = min(ce, trigger.end + lex.object_reach)
        said = next((t.start for t in triggers if t.predicate == SAY and trigger.end <= t.start < hi), hi)
        stop = lex.object_stop.search(self.text, trigger.end, said)
        hi = stop.start() if stop else said
        agents: list[str] = []
        partners: list[str] = []
        objects: list[str] = []
        for m in self._parties(lo, hi, triggers):
            if m.end <= trigger.start:
                with_ = lex.comitative.search(self.text, max(lo, m.start - 6), m.start) is not None
                (partners if with_ else agents).append(m.key)
            elif m.start >= trigger.end:
                objects.append(m.key)
        if not agents and lex.pronoun.match(self.text, lo):
            agents = self._speaker(lo, sentence_start, triggers)
        return list(dict.fromkeys(agents + partners + objects))

    def _speaker(self, pos: int, sentence_start: int, triggers: list[_Trigger]) -> list[str]:
        """Who "he" is in "Trump said he will meet Xi": the party right before the reporting verb."""
        said = next((t for t in reversed(triggers) if t.predicate == SAY and t.end <= pos), None)
        if said is None or said.start < sentence_start:
            return []
        lo = max(sentence_start, said.start - self.lex.agent_reach)
        before = self._parties(lo, said.start, triggers, speakers=True)
        return [before[-1].key] if before else []

    def _left_bound(self, trigger: _Trigger, cs: int, triggers: list[_Trigger]) -> int:
        """Where the agents of ``trigger`` may start: after the last reporting verb, or after
        the previous trigger if a party stands between ("Trump met Xi and Wang signed ..."),
        but not inside a compound ("trade truce agreement") or past a time anchor."""
        edge = trigger.start
        for t in reversed(triggers):
            if t.end > edge or t.start < cs or t.demoted:
                continue
            if not self.text[t.end : edge].strip(" -"):
                edge = t.start  # the compound goes on to the left
                continue
            if t.predicate == SAY or self._parties(t.end, trigger.start, triggers):
                return t.end
        return cs

    def _parties(self, lo: int, hi: int, triggers: list[_Trigger], speakers: bool = False) -> list[Mention]:
        """Mentions in [lo, hi) that can take part: no places or modifiers, and no speakers
        ("Wildau added") unless ``speakers``."""
        text, lex = self.text, self.lex
        inside = self.mentions[bisect_left(self.mention_starts, lo) : bisect_left(self.mention_starts, hi)]
        speaking = {t.start for t in triggers if t.predicate == SAY}
        kept: list[Mention] = []
        place_end = -1
        for i, m in enumerate(inside):
            in_chain = place_end >= 0 and _PLACE_CHAIN.fullmatch(text, place_end, m.start) is not None
            if in_chain or lex.not_party.search(text, max(0, m.start - 25), m.start):
                place_end = m.end
                continue
            place_end = -1
            nxt = inside[i + 1] if i + 1 < len(inside) else None
            titled = nxt is not None and m.label != "PER" and nxt.label == "PER" and self._titles(m, nxt)
            adjective = lex.adjective.match(text, m.start)
            speaker = not speakers and any(m.end < s <= m.end + 2 for s in speaking)
            if not (titled or speaker or (adjective and adjective.end() == m.end)):
                kept.append(m)
        return kept

    def _titles(self, m: Mention, person: Mention) -> bool:
        gap = self.lex.title_gap.fullmatch(self.text, m.end, person.start) if m.end <= person.start else None
        return gap is not None
