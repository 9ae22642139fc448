"""Rule-based temporal expressions: find them and give them TIMEX3 values.

Spans and values follow TimeBank / TempEval-3 conventions, learnt from the
annotated training data: leading "the" belongs to the span ("the third
quarter"), prepositions do not ("on Thursday"); weekdays on their own are
annotated; "a year ago" resolves to a calendar value, not a duration; news
written about the past means a bare weekday is usually the most recent one
(often the DCT itself). Ages ("45-year-old") and "former" are not temporal
expressions in TimeBank, so they are left alone.

Month names, weekdays and "the 9th" without a year take their reading from the
nearest tense cue in the sentence ("will meet on Thursday" is the coming one,
"met on Thursday" the last one). A range of days gives two expressions, as
TimeBank annotates "April 24 and 25": in "October 24-27" and "10月24日至27日"
the first end is "October 24" / "10月24日" and the second is the bare day
("27" / "27日") with the full date of the first end's month and year
(2025-10-27), so both ends are found and valued; "24-27 October" works the
other way round.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

from . import timex_en  # noqa: F401 - registers the English rules
from .timex_rules import RULES, Context, Timex, scan
from .timex_zh import ZH_RULES

__all__ = ["Timex", "find_timexes", "value_range"]

# --------------------------------------------------------------------------- entry point

CJK = re.compile(r"[\u4e00-\u9fff]")
FISCAL = re.compile(r"\bquarter|\bfiscal\b|\bnet income\b|\bper share\b", re.IGNORECASE)


def is_fiscal(text: str) -> bool:
    """Earnings-report language, more than one passing mention of "quarter"."""
    hits = FISCAL.finditer(text)
    return next(hits, None) is not None and next(hits, None) is not None


def find_timexes(text: str, dct: date | datetime | None, lang: str = "en") -> list[Timex]:
    """Temporal expressions in ``text`` with values relative to ``dct``, in text order."""
    clock = dct if isinstance(dct, datetime) else None
    day = dct.date() if isinstance(dct, datetime) else dct
    ctx = Context(text, day, clock, fiscal=is_fiscal(text))
    zh = [(p, h, None) for p, h in ZH_RULES] if lang.startswith("zh") or CJK.search(text) else []
    found: list[tuple[int, int, int, str, str, str | None]] = []
    for priority, (pattern, handler, trigger) in enumerate(RULES + zh):
        # A group named "t" is the expression; the rest of the match is context it needs.
        has_t = "t" in pattern.groupindex
        for m in scan(pattern, trigger, text):
            if m.end() <= m.start():
                continue
            try:
                result = handler(m, ctx)
            except (KeyError, ValueError, OverflowError):
                # A rule matched something it cannot normalise (an odd numeral,
                # 31 February): not a temporal expression we can use.
                continue
            if result is not None:
                start, end = m.span("t") if has_t else m.span()
                found.append((start, end, priority, *result))
    # Longest match wins; among equals, the rule listed first (more specific).
    found.sort(key=lambda f: (f[0] - f[1], f[2], f[0]))
    taken: list[tuple[int, int]] = []
    chosen = []
    for start, end, _, typ, value, mod in found:
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        chosen.append(Timex(start, end, text[start:end], typ, value, mod))
    return sorted(chosen, key=lambda t: t.start)


# --------------------------------------------------------------------------- values as calendar spans

_DAY = re.compile(r"(\d{4})-(\d\d)-(\d\d)(?:T.*)?")
_WEEK = re.compile(r"(\d{4})-W(\d\d)(-WE)?")
_MONTH = re.compile(r"(\d{4})-(\d\d)")
_PART = re.compile(r"(\d{4})-(Q[1-4]|H[12]|SP|SU|FA|WI)")
_PERIOD = re.compile(r"\d{2,4}")
# First month and length in months of the parts of a year; seasons are the meteorological ones,
# so winter runs from the December of the year named into the next year.
_PART_MONTHS = {
    "Q1": (1, 3), "Q2": (4, 3), "Q3": (7, 3), "Q4": (10, 3), "H1": (1, 6), "H2": (7, 6),
    "SP": (3, 3), "SU": (6, 3), "FA": (9, 3), "WI": (12, 3),
}  # fmt: skip


def _months(year: int, month: int, count: int) -> tuple[date, date]:
    end_year, end_month = divmod(year * 12 + month - 1 + count - 1, 12)
    end_month += 1
    return date(year, month, 1), date(end_year, end_month, calendar.monthrange(end_year, end_month)[1])


def value_range(value: str) -> tuple[date, date] | None:
    """First and last calendar day a TIMEX3 date value covers, or None when it is no calendar span.

    "2025-10-30" and "2025-10-30T14:00" are that day, "2025-W44" Monday to Sunday ("-WE" the
    weekend), "2026-04" the month, "2026-Q1", "2026-H2" and "2026-SU" their months, "2026" the
    year, "202" the decade and "20" the century. Durations, PRESENT_REF and the like, and values with
    unknown parts (XXXX-10-30) have no span.
    """
    try:
        if m := _DAY.fullmatch(value):
            d = date(int(m[1]), int(m[2]), int(m[3]))
            return d, d
        if m := _WEEK.fullmatch(value):
            monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            first = monday + timedelta(days=5) if m[3] else monday
            return first, monday + timedelta(days=6)
        if m := _MONTH.fullmatch(value):
            return _months(int(m[1]), int(m[2]), 1)
        if m := _PART.fullmatch(value):
            return _months(int(m[1]), *_PART_MONTHS[m[2]])
        if _PERIOD.fullmatch(value):
            span = 10 ** (4 - len(value))  # "2026": one year, "202": ten, "20": a hundred
            first = int(value) * span
            return date(first, 1, 1), date(first + span - 1, 12, 31)
    except ValueError:  # a month 13, a week 54, a year 0
        return None
    return None
