"""Rule-based temporal expressions: find them and give them TIMEX3 values.

Spans and values follow TimeBank / TempEval-3 conventions, learnt from the
annotated training data: leading "the" belongs to the span ("the third
quarter"), prepositions do not ("on Thursday"); weekdays on their own are
annotated; "a year ago" resolves to a calendar value, not a duration; news
written about the past means a bare weekday is usually the most recent one
(often the DCT itself). Ages ("45-year-old") and "former" are not temporal
expressions in TimeBank, so they are left alone.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from . import timex_en  # noqa: F401 - registers the English rules
from .timex_rules import RULES, Context, Timex, scan
from .timex_zh import ZH_RULES

__all__ = ["Timex", "find_timexes"]

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
        for m in scan(pattern, trigger, text):
            if m.end() <= m.start():
                continue
            result = handler(m, ctx)
            if result is not None:
                found.append((m.start(), m.end(), priority, *result))
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
