"""Shared vocabulary, calendar arithmetic and the rule registry for ``timex``."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta


@dataclass(frozen=True, slots=True)
class Timex:
    start: int
    end: int
    text: str
    type: str
    value: str
    mod: str | None = None


# --------------------------------------------------------------------------- vocabulary

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "a hundred": 100, "a couple of": 2, "a couple": 2, "couple of": 2,
}  # fmt: skip
VAGUE = ("several", "a few", "few", "many", "some")
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
# Unit -> (ISO letter, needs the "T" time designator)
UNITS = {
    "year": ("Y", False), "month": ("M", False), "week": ("W", False), "day": ("D", False),
    "hour": ("H", True), "minute": ("M", True), "second": ("S", True), "decade": ("DE", False),
    "century": ("CE", False), "quarter": ("Q", False),
}  # fmt: skip
MOD_WORDS = {
    "early": "START", "earlier": "START", "late": "END", "later": "END", "mid": "MID", "the end of": "END",
    "the beginning of": "START", "the start of": "START", "the middle of": "MID", "end of": "END",
}  # fmt: skip
APPROX = {
    "about": "APPROX", "around": "APPROX", "nearly": "EQUAL_OR_LESS", "almost": "EQUAL_OR_LESS",
    "more than": "MORE_THAN", "over": "MORE_THAN", "less than": "LESS_THAN", "at least": "EQUAL_OR_MORE",
    "some": "APPROX", "roughly": "APPROX", "up to": "EQUAL_OR_LESS",
}  # fmt: skip

_NUM_WORD = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    r"(?:[-\s](?:one|two|three|four|five|six|seven|eight|nine)\b)?"
    r"|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen"
    r"|eighteen|nineteen|a hundred|hundred|a couple of|couple of)"
)
NUM = rf"(?:\d+(?:\.\d+)?(?: 1/2)?|{_NUM_WORD}|an?|several|a few|few|many)"
MON = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept\.?|Sep\.?|Oct\.?|Nov\.?|Dec\.?)"
)
WDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
UNIT = r"(?:year|month|week|day|hour|minute|second|decade|centur(?:y|ie)|quarter)s?"
YEAR = r"(?:1[89]\d\d|20\d\d)"
# Broadcast transcripts spell years out: "nineteen ninety-six", "the year two thousand".
SPOKEN_YEAR = rf"(?i:nineteen[\s-]+{_NUM_WORD}|two thousand)"


def number(word: str) -> float | None:
    """Numeric value of a quantity word; None when vague ("several")."""
    w = word.lower().strip()
    if w in VAGUE:
        return None
    if w.endswith(" 1/2"):
        base = number(w[:-4])
        return None if base is None else base + 0.5
    try:
        return float(w)
    except ValueError:
        pass
    if w in NUMBERS:
        return NUMBERS[w]
    tens, _, ones = w.replace("-", " ").partition(" ")
    if tens in NUMBERS and ones in NUMBERS:
        return NUMBERS[tens] + NUMBERS[ones]
    return None


def year_of(word: str) -> str | None:
    """The year written in digits ("1994") or spelt out ("nineteen ninety-four"); None if it is none."""
    if word.isdigit():
        return word
    low = re.sub(r"\s+", " ", word.lower())
    if low == "two thousand":
        return "2000"
    n = number(low.removeprefix("nineteen").strip(" -"))
    return f"19{int(n):02d}" if n is not None and 10 <= n <= 99 else None


def duration(n: float | None, unit: str) -> str:
    unit = unit.lower().rstrip("s")
    unit = "century" if unit.startswith("centur") else unit
    letter, timed = UNITS[unit]
    if n is None:
        qty = "X"
    elif n != int(n) and n * 2 == int(n * 2) and unit in ("year", "hour", "minute"):
        # TimeBank writes halves in the next unit down: "2 1/2 years" is P2Y6M.
        half = {"year": "6M", "hour": "30M", "minute": "30S"}[unit]
        return f"PT{int(n)}{letter}{half}" if timed else f"P{int(n)}Y{half}"
    elif n != int(n):
        qty = f"{n:g}"
    else:
        qty = str(int(n))
    if letter == "DE":
        return f"P{qty}0Y" if qty != "X" else "PXDE"
    if letter == "CE":
        return f"P{qty}00Y" if qty != "X" else "PXCE"
    if letter == "Q":
        return f"P{qty}Q"
    return f"PT{qty}{letter}" if timed else f"P{qty}{letter}"


# --------------------------------------------------------------------------- calendar helpers


def week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def add_months(y: int, m: int, k: int) -> tuple[int, int]:
    total = y * 12 + (m - 1) + k
    return total // 12, total % 12 + 1


def shift(d: date, n: int, unit: str) -> str:
    """Calendar value n units from d, at the granularity of the unit."""
    unit = unit.lower().rstrip("s")
    if unit == "year":
        return f"{d.year + n:04d}"
    if unit == "month":
        y, m = add_months(d.year, d.month, n)
        return f"{y:04d}-{m:02d}"
    if unit == "week":
        return week(d + timedelta(weeks=n))
    if unit == "day":
        return (d + timedelta(days=n)).isoformat()
    if unit == "decade":
        return f"{(d.year + 10 * n) // 10:03d}"
    if unit.startswith("centur"):
        return f"{(d.year + 100 * n) // 100:02d}"
    if unit == "quarter":
        q = (d.month - 1) // 3 + n
        return f"{d.year + q // 4:04d}-Q{q % 4 + 1}"
    return "PAST_REF" if n < 0 else "FUTURE_REF"


FUTURE_CUE = re.compile(
    r"\b(?:will|won't|'ll|shall|going to|next(?!\s+to\b)|(?<!had been )scheduled|plans? to|planned to|"
    r"upcoming|hopes? to|would|intends? to|is to|are to|as soon as|as early as|set to|planning to|will be|"
    r"expects? to|(?<!had been )expected to|(until|till)|"
    # An infinitive of intent looks ahead: "accepted an invitation to visit Beijing in April".
    r"(?:invitation|agreed|promised|pledged|vowed|aims?|seeks?|offered|due) to)\b"
    r"|将|即将|计划|预计|下周|下个|明年|明天",
    re.IGNORECASE,
)
# Irregular past forms are listed: "met on Thursday" has no "-ed" to go by. A participle after "be" or
# an article is passive or an adjective ("would be paid", "a still unspecified date"), not a past verb.
PAST_CUE = re.compile(
    r"\b(?<!\bbe )(?<!\ba )(?<!\ban )(?<!\bthe )(?<!still )"
    # "were planning to", "was scheduled to": the plan is in the past, the date usually is not.
    r"(?:(?:was|were|had)(?!\s+(?:planning|scheduled|expected|set|due|going|to)\b)|did|said|ago|last|"
    r"earlier|since|been|met|told|went|came|took|made|gave|began|left|held|saw|found|got|won|lost|fell|"
    r"rose|sold|bought|brought|struck|spoke|wrote|ran|led|fled|sent|spent|built|paid|kept|became|broke|"
    r"stood|drove|flew|thought|knew|caught|fought|shot|taught|chose|"
    r"(?!(?:succe|proce|exce|ne|fe|spe|inde|hundr|sh|r|b|w)ed\b)(?-i:[a-z]\w*ed))\b"
    r"|了|曾|已|上周|去年|昨天",
    re.IGNORECASE,
)
# A full stop ends a sentence after two lower-case letters, digits or quotes and before a capital:
# "Daniel P. Davison" and "on Jan. 2" stay one sentence ("Mr. Smith" is caught by ABBREV_END).
SENTENCE_END = re.compile(
    r"(?<=[a-z0-9\"')][a-z0-9\"')])\.[\"'`]*(?:\s+(?=[A-Z\"'`(])|$)|[!?。！？；;\n][\"'`]*\s*"
)
ABBREV_END = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|Gov|Lt|Col|Capt|Sgt|Jr|Sr|Inc|Corp|Co|Ltd|Bros|vs)$"
)


def _clause_start(text: str, lo: int, start: int) -> int:
    """Where the sentence holding ``start`` begins, looking back no further than ``lo``."""
    cut = lo
    for b in SENTENCE_END.finditer(text, lo, start):
        if b.group(0).startswith(".") and ABBREV_END.search(text, max(lo, b.start() - 5), b.start()):
            continue
        cut = b.end()
    return cut


def _cues(chunk: str) -> list[tuple[int, int, int, str]]:
    """(start, end, penalty, direction) of the tense cues in a piece of text."""
    cues = [(m.start(), m.end(), 15 * bool(m.group(1)), "future") for m in FUTURE_CUE.finditer(chunk)]
    cues += [
        (m.start(), m.end(), 0, "past")
        for m in PAST_CUE.finditer(chunk)
        if not any(s < m.end() and m.start() < e for s, e, _, _ in cues)
    ]
    return cues


def tense(text: str, start: int, end: int) -> str | None:
    """'future' or 'past' from the nearest tense cue in the same clause, roughly.

    The nearest cue decides: in "said Monday that it intends to bid" the day goes with "said".
    "until" usually looks ahead ("gave them until Tuesday") but loses to any verb close by.
    """
    left = text[_clause_start(text, max(0, start - 80), start) : start]
    # Only the words right after the span: further on they belong to another clause,
    # unless the span opens the sentence ("On Tuesday, the group will...").
    right = re.split(r"[.;!?\n。！？；,，]", text[end : end + 30])[0]
    if not right.strip() and len(left) < 12:
        right = re.split(r"[.;!?\n。！？；]", text[end : end + 60])[0]
    best: tuple[int, int, str] | None = None
    for _, e, penalty, which in _cues(left):
        key = (len(left) - e + penalty, which == "past", which)
        best = key if best is None or key < best else best
    for s, _, penalty, which in _cues(right):
        # Words after the span count for a little less: the verb usually comes first.
        key = (s + 5 + penalty, which == "past", which)
        best = key if best is None or key < best else best
    return best[2] if best else None


def resolve_weekday(dct: date, wd: int, direction: str | None) -> date:
    if direction == "future":
        return dct + timedelta(days=(wd - dct.weekday()) % 7 or 7) if wd != dct.weekday() else dct
    # News reports mostly what happened: the most recent such day, DCT included.
    return dct - timedelta(days=(dct.weekday() - wd) % 7)


def resolve_month_day(dct: date, m: int, d: int, direction: str | None) -> str:
    y = dct.year
    try:
        cand = date(y, m, min(d, 28) if m == 2 and d == 29 else d)
    except ValueError:
        return f"XXXX-{m:02d}-{d:02d}"
    # A tense cue only overrides the nearest reading for dates well on the other side:
    # "Oct. 26" said on Oct. 25 is still this year's, whatever the verb.
    if direction == "future" and (dct - cand).days > 30:
        y += 1
    elif direction == "past" and (cand - dct).days > 90:
        y -= 1
    elif direction is None:
        # No tense cue: the nearest such date.
        if (cand - dct).days > 183:
            y -= 1
        elif (dct - cand).days > 183:
            y += 1
    return f"{y:04d}-{m:02d}-{d:02d}"


def resolve_month(dct: date, m: int, direction: str | None) -> str:
    y = dct.year
    if direction == "future" and m < dct.month - 1:
        y += 1
    elif direction == "past" and m > dct.month + 1:
        y -= 1
    elif direction is None and abs(m - dct.month) > 6:
        # No cue: the nearest such month.
        y += 1 if m < dct.month else -1
    return f"{y:04d}-{m:02d}"


def month_of(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]


def quarter_of(d: date) -> int:
    return (d.month - 1) // 3 + 1


def prev_quarter(d: date) -> tuple[int, int]:
    q = quarter_of(d) - 1
    return (d.year, q) if q else (d.year - 1, 4)


# --------------------------------------------------------------------------- rules


@dataclass(slots=True)
class Context:
    text: str
    dct: date | None
    clock: datetime | None
    fiscal: bool  # earnings reports: "a year ago" means the year-ago quarter


Result = tuple[str, str, str | None] | None
Handler = Callable[[re.Match[str], Context], Result]
RULES: list[tuple[re.Pattern[str], Handler, re.Pattern[str] | None]] = []
UNIT_WORD = r"\b(?:year|month|week|day|hour|minute|second|decade|centur(?:y|ie)|quarter)s?\b"


def rule(
    pattern: str, flags: int = re.IGNORECASE, trigger: str | None = None
) -> Callable[[Handler], Handler]:
    """Register a rule; ``trigger`` is a cheap regex every match must overlap.

    Patterns that open with optional words are slow to scan with: with a
    trigger, the full pattern only runs in a window around each trigger hit.
    """

    def register(fn: Handler) -> Handler:
        RULES.append(
            (re.compile(pattern, flags), fn, re.compile(trigger, re.IGNORECASE) if trigger else None)
        )
        return fn

    return register


def scan(pattern: re.Pattern[str], trigger: re.Pattern[str] | None, text: str) -> list[re.Match[str]]:
    if trigger is None:
        return list(pattern.finditer(text))
    seen: dict[tuple[int, int], re.Match[str]] = {}
    for t in trigger.finditer(text):
        for m in pattern.finditer(text, max(0, t.start() - 80), min(len(text), t.end() + 60)):
            if m.start() < t.end() and t.start() < m.end():
                seen.setdefault(m.span(), m)
            if m.start() >= t.end():
                break
    return list(seen.values())


# Words that put a calendar date (not a weekday) ahead: "payable Jan. 2", "by February".
DATE_FUTURE = re.compile(
    r"\b(?:payable|effective|by|until|till|expected to|due)\s+(?:\w+\s+)?$", re.IGNORECASE
)


def direction(m: re.Match[str], ctx: Context, calendar: bool = False, group: int | str = 0) -> str | None:
    """Tense around the match (or one of its groups); ``calendar`` dates also look for "payable", "by"."""
    start, end = m.span(group)
    if calendar and DATE_FUTURE.search(ctx.text[max(0, start - 30) : start]):
        return "future"
    return tense(ctx.text, start, end)


def mod_of(word: str | None) -> str | None:
    if not word:
        return None
    w = word.lower().strip().rstrip("-")
    return MOD_WORDS.get(w) or APPROX.get(w)


MODW = r"(?:early|late|mid-|mid|the end of|the beginning of|the start of|the middle of|end of)"
NOT_NUM_AFTER = r"(?![\d,.]\d|\s*(?:%|percent\b|-year-old|-old))"


def day_of_month(ctx: Context, day: int, tense_dir: str | None) -> str:
    """The date of "the 9th" or "9日": in the DCT's month, or the month before if still to come."""
    if ctx.dct is None:
        return f"XXXX-XX-{day:02d}"
    y, mo = ctx.dct.year, ctx.dct.month
    if day > ctx.dct.day and tense_dir != "future":
        y, mo = add_months(y, mo, -1)
    return f"{y:04d}-{mo:02d}-{day:02d}"
