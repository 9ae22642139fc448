"""English temporal-expression rules (TimeBank conventions); registered on import."""

from __future__ import annotations

import re
from datetime import date, timedelta

from .timex_rules import (
    _NUM_WORD,
    APPROX,
    MODW,
    MON,
    NOT_NUM_AFTER,
    NUM,
    ORDINALS,
    PARTS,
    SEASONS,
    UNIT,
    UNIT_WORD,
    WDAY,
    WEEKDAYS,
    YEAR,
    Context,
    Result,
    day_of_month,
    direction,
    duration,
    mod_of,
    month_of,
    number,
    prev_quarter,
    quarter_of,
    resolve_month,
    resolve_month_day,
    resolve_weekday,
    rule,
    shift,
    week,
)


@rule(r"(?<![\d/])(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?(?![\d-])", 0)
def _iso(m: re.Match[str], ctx: Context) -> Result:
    y, mo, d, hh, mm = m.groups()
    if not (1 <= int(mo) <= 12 and 1 <= int(d) <= 31):
        return None
    if hh:
        return "TIME", f"{y}-{mo}-{d}T{hh}:{mm}", None
    return "DATE", f"{y}-{mo}-{d}", None


@rule(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?![\d/])", 0)
def _slash(m: re.Match[str], ctx: Context) -> Result:
    mo, d, y = (int(g) for g in m.groups())
    if len(m.group(3)) == 2:
        y += 1900 if y > 30 else 2000
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return "DATE", f"{y:04d}-{mo:02d}-{d:02d}", None


@rule(
    rf"\b(?:(this coming|last|this|next|coming)\s+)?(?:({WDAY}),?\s+(?:the\s+)?)?"
    rf"({MON})\s+(\d{{1,2}})(?:st|nd|rd|th)?"
    rf"\b(?:,?\s+({YEAR})\b)?",
    0,
)
def _month_day(m: re.Match[str], ctx: Context) -> Result:
    _, _, mon, d, y = m.groups()
    return _calendar_date(m, ctx, mon, d, y)


@rule(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({MON})(?:,?\s+({YEAR})\b)?", 0)
def _day_month(m: re.Match[str], ctx: Context) -> Result:
    d, mon, y = m.groups()
    return _calendar_date(m, ctx, mon, d, y)


def _calendar_date(m: re.Match[str], ctx: Context, mon: str, d: str, y: str | None) -> Result:
    """A month and day, with the year stated or the nearest one that fits the tense."""
    mo, day = month_of(mon), int(d)
    if not 1 <= day <= 31:
        return None
    if y:
        return "DATE", f"{y}-{mo:02d}-{day:02d}", None
    if ctx.dct is None:
        return "DATE", f"XXXX-{mo:02d}-{day:02d}", None
    return "DATE", resolve_month_day(ctx.dct, mo, day, direction(m, ctx, calendar=True)), None


FULL_MON = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"


@rule(
    rf"(?:\b((?i:{MODW}))[\s-]*|\b(?i:(last|this|next|coming))\s+)?"
    rf"\b({FULL_MON}|(?:Jan|Feb|Aug|Sept|Oct|Nov|Dec)\.)(?:,?\s+(?:of\s+)?({YEAR})\b|\s+((?i:this|last|next))\s+year\b|\b)"
    r"(?!\s+\d)",
    0,
    trigger=rf"\b{MON}",
)
def _month(m: re.Match[str], ctx: Context) -> Result:
    modw, rel, mon, y, year_rel = m.groups()
    mo = month_of(mon)
    if year_rel and ctx.dct is not None:
        y = str(ctx.dct.year + {"this": 0, "last": -1, "next": 1}[year_rel.lower()])
    if mon == "May" and not (modw or rel or y):
        # "May" alone is usually the verb; only take it after a preposition.
        before = ctx.text[max(0, m.start() - 8) : m.start()].lower()
        if not re.search(r"\b(?:in|since|until|of|by|during|from|through|before|after)\s+$", before):
            return None
    mod = mod_of(modw)
    if y:
        return "DATE", f"{y}-{mo:02d}", mod
    if ctx.dct is None:
        return "DATE", f"XXXX-{mo:02d}", mod
    rel = (rel or "").lower()
    if rel == "last":
        y2 = ctx.dct.year if mo < ctx.dct.month else ctx.dct.year - 1
    elif rel in ("next", "coming"):
        y2 = ctx.dct.year if mo > ctx.dct.month else ctx.dct.year + 1
    elif rel == "this":
        y2 = ctx.dct.year
    else:
        return "DATE", resolve_month(ctx.dct, mo, direction(m, ctx, calendar=True)), mod
    return "DATE", f"{y2:04d}-{mo:02d}", mod


@rule(
    rf"(?:\b((?i:{MODW}))[\s-]*)?(?:\b(?i:fiscal)\s+)?(?<![$\d.,/])(?<!\d-)\b({YEAR})\b(?!-\d){NOT_NUM_AFTER}",
    0,
    trigger=YEAR,
)
def _year(m: re.Match[str], ctx: Context) -> Result:
    return "DATE", m.group(2), mod_of(m.group(1))


@rule(rf"\b(?:the\s+year\s+)?(?:nineteen[\s-]+({_NUM_WORD})|two thousand)\b")
def _spoken_year(m: re.Match[str], ctx: Context) -> Result:
    # Broadcast transcripts spell years out: "nineteen ninety-six", "the year two thousand".
    if m.group(1) is None:
        return "DATE", "2000", None
    n = number(m.group(1))
    if n is None or not 10 <= n <= 99:
        return None
    return "DATE", f"19{int(n):02d}", None


@rule(
    r"\b(?:(around|by|before|until)\s+)?(year[\s-]end|year's end|the end of the (?:year|month|week))\b",
    trigger="end",
)
def _period_end(m: re.Match[str], ctx: Context) -> Result:
    if ctx.dct is None:
        return None
    low = m.group(2).lower()
    unit = "month" if "month" in low else "week" if "week" in low else "year"
    return "DATE", shift(ctx.dct, 0, unit), "END"


@rule(r"\b(?:the\s+)?(\d{1,2})(?:st|th|nd|rd)\s+century\b")
def _century(m: re.Match[str], ctx: Context) -> Result:
    return "DATE", f"{int(m.group(1)) - 1:02d}", None


@rule(rf"\b(?:(?i:the)\s+)?(?:((?i:{MODW}))[\s-]*)?(?:(1[89]|20)(\d)0|'(\d)0)'?s\b", 0, trigger=r"0'?s\b")
def _decade(m: re.Match[str], ctx: Context) -> Result:
    modw, cent, dec, short = m.groups()
    if short:
        cent = "19" if ctx.dct is None or int(short) * 10 + 1900 <= ctx.dct.year - 10 else "20"
        dec = short
    return "DATE", f"{cent}{dec}", mod_of(modw)


@rule(
    rf"\b(?:(last|this|next|this coming|coming|previous)\s+|(early|late)\s+)?({WDAY})"
    r"(?:,?\s+(?:(morning|afternoon|evening|night)|(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\b))?",
    0,
)
def _weekday(m: re.Match[str], ctx: Context) -> Result:
    rel, _, wd, part, _ = m.groups()
    if ctx.dct is None:
        return "DATE", "XXXX-WXX-" + str(WEEKDAYS[wd.lower()] + 1), None
    wdn = WEEKDAYS[wd.lower()]
    rel = (rel or "").lower()
    if rel in ("last", "previous"):
        d = ctx.dct - timedelta(days=(ctx.dct.weekday() - wdn) % 7 or 7)
    elif rel in ("next", "coming", "this coming"):
        d = ctx.dct + timedelta(days=(wdn - ctx.dct.weekday()) % 7 or 7)
    elif rel == "this":
        d = ctx.dct + timedelta(days=wdn - ctx.dct.weekday())
    else:
        d = resolve_weekday(ctx.dct, wdn, direction(m, ctx))
    if part:
        return "TIME", f"{d.isoformat()}T{PARTS[part.lower()]}", None
    return "DATE", d.isoformat(), None


DEICTIC = {"yesterday": (-1, None), "today": (0, None), "tomorrow": (1, None), "tonight": (0, "NI"),
           "last night": (-1, "NI"), "this morning": (0, "MO"), "this afternoon": (0, "AF"),
           "this evening": (0, "EV")}  # fmt: skip


@rule(
    r"\b(?:(late|early)\s+)?"
    r"(yesterday|today|tomorrow|tonight|last night|this morning|this afternoon|this evening)"
    r"(?:\s+(morning|afternoon|evening|night))?\b"
)
def _deictic(m: re.Match[str], ctx: Context) -> Result:
    _, word, part = m.groups()
    offset, code = DEICTIC[re.sub(r"\s+", " ", word.lower())]
    if ctx.dct is None:
        return "DATE", "PRESENT_REF" if offset == 0 else "XXXX-XX-XX", None
    d = (ctx.dct + timedelta(days=offset)).isoformat()
    code = PARTS[part.lower()] if part else code
    return ("TIME", f"{d}T{code}", None) if code else ("DATE", d, None)


@rule(
    r"\b(?:(earlier|later|early|late)\s+)?(?:(the)\s+)?(last|this|next|past|previous|coming|current|same)\s+"
    r"(week|month|year|decade|century|weekend)\b(?!-)",
    trigger=r"\b(?:last|this|next|past|previous|coming|current|same)\b",
)
def _relative(m: re.Match[str], ctx: Context) -> Result:
    modw, _, rel, unit = (g.lower() if g else g for g in m.groups())
    if ctx.dct is None:
        return "DATE", "PAST_REF" if rel in ("last", "past", "previous") else "FUTURE_REF", None
    n = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(rel, 0)
    if rel == "same":
        return None
    if unit == "weekend":
        d = ctx.dct + timedelta(days=(5 - ctx.dct.weekday()) % 7 + 7 * n - 7)
        if n == 0 and ctx.dct.weekday() >= 5:
            d = ctx.dct - timedelta(days=ctx.dct.weekday() - 5)
        return "DATE", week(d) + "-WE", None
    mod = {"earlier": "START", "early": "START", "late": "END"}.get(modw or "")
    return "DATE", shift(ctx.dct, n, unit), mod


@rule(
    rf"\b(?:(about|around|nearly|almost|more than|less than|some|roughly|at least|over)\s+)?"
    rf"({NUM})[\s-]+({UNIT})\s+(ago|earlier|before|later|after|from now|hence)\b",
    trigger=r"\b(?:ago|earlier|before|later|after|from now|hence)\b",
)
def _ago(m: re.Match[str], ctx: Context) -> Result:
    approx, num, unit, rel = m.groups()
    n = number(num)
    mod = APPROX.get((approx or "").lower())
    rel = rel.lower()
    if rel in ("before", "after"):
        return "DURATION", duration(n, unit), mod
    sign = -1 if rel in ("ago", "earlier", "before") else 1
    if n is None or ctx.dct is None:
        return "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", mod
    u = unit.lower().rstrip("s")
    if u in ("hour", "minute", "second"):
        if ctx.clock is None:
            return "TIME", "PAST_REF" if sign < 0 else "FUTURE_REF", mod
        delta = timedelta(**{u + "s": n})
        t = ctx.clock + delta * sign
        return "TIME", t.strftime("%Y-%m-%dT%H:%M"), mod
    if u == "year" and n == 1 and ctx.fiscal:
        y, q = prev_quarter(ctx.dct)
        return "DATE", f"{y - 1}-Q{q}", mod
    return "DATE", shift(ctx.dct, sign * int(n), u), mod


@rule(
    rf"\b(?:(the)\s+)?"
    rf"(?:(about|around|nearly|almost|more than|less than|some|roughly|at least|over|up to)\s+)?"
    rf"(?:(past|last|next|first|previous|coming|latest|final|following|recent|initial|further)\s+)?"
    rf"(?:(about|around|nearly|almost|more than|less than|some|roughly|at least|up to)\s+)?"
    rf"({NUM})[\s-]+(?:(?:more|additional|extra)\s+)?({UNIT})(?:-long)?\b(?!-old|\s+old|-)",
    trigger=UNIT_WORD,
)
def _duration(m: re.Match[str], ctx: Context) -> Result:
    _, approx1, rel, approx2, num, unit = m.groups()
    if num.lower() in ("a", "an"):
        before = ctx.text[max(0, m.start() - 12) : m.start()].lower()
        if re.search(r"(?:\d|%|percent|share|cents|times|once|twice|\$)\W*$", before):
            return None
        if unit.lower().endswith("s"):
            return None
    if num.lower() == "many" and not rel:
        return None
    if unit.lower().startswith("quarter") and not rel:
        return None  # "three-quarters of": a fraction
    if num.lower() in ("a", "an") and unit.lower() == "second":
        return None  # the ordinal
    n = number(num)
    return "DURATION", duration(n, unit), APPROX.get((approx1 or approx2 or "").lower())


@rule(r"\b(?:(the)\s+)?(?:(past|last|next|coming|recent|few|several)\s+|(?<=for |ver |hin |ing )(?=\w))"
      r"(years|months|weeks|days|decades|hours|minutes|centuries)\b(?!-)", trigger=UNIT_WORD)  # fmt: skip
def _vague_duration(m: re.Match[str], ctx: Context) -> Result:
    _, rel, unit = m.groups()
    if rel and rel.lower() == "coming" and unit.lower() in ("months", "weeks", "days"):
        return "DURATION", duration(None, unit), None
    return "DURATION", duration(None, unit), None


QUARTER = r"(?:first|second|third|fourth|1st|2nd|3rd|4th)"


@rule(
    rf"\b(?:(the)\s+)?(?:({YEAR})'s\s+)?(?:(fiscal|latest|current|year-ago|year-earlier|comparable|previous|last|"
    rf"this|next|same|recent|just-ended|year-ago|most recent)\s+)?"
    rf"(?:(?:fiscal|comparable|year-ago|year-earlier)\s+)?"
    rf"(?:({QUARTER})[\s-]+)?(?:fiscal\s+|-)?(?:(?<=[\s-])|^)(quarter)"
    rf"(?:(?:\s+of|,)\s+({YEAR})\b|\s+(a year ago|"
    rf"a year earlier))?(?!s)",
    trigger=r"quarter",
)
def _quarter(m: re.Match[str], ctx: Context) -> Result:
    the, ypre, rel, ordinal, _, ypost, ago = m.groups()
    rel = (rel or "").lower()
    if not (the or ypre or rel or ordinal):
        return None
    if ctx.dct is None:
        base_y, base_q = None, None
    else:
        base_y, base_q = prev_quarter(ctx.dct)
    year = ypost or ypre
    if ordinal:
        q = ORDINALS[ordinal.lower()]
        y = int(year) if year else (base_y if base_y is not None else None)
        if not year and ctx.dct is not None:
            y = ctx.dct.year
            # A quarter still to come is, in reporting, usually last year's.
            if q > quarter_of(ctx.dct) and direction(m, ctx) != "future" and "next" not in rel:
                y -= 1
    else:  # "the quarter" in an earnings report: the one just reported
        if base_y is None:
            return "DATE", "XXXX-QX", None
        y, q = base_y, base_q
        if rel in ("current", "this"):
            y, q = ctx.dct.year, quarter_of(ctx.dct)  # type: ignore[union-attr]
        elif rel == "next":
            y, q = ctx.dct.year + (quarter_of(ctx.dct) == 4), quarter_of(ctx.dct) % 4 + 1  # type: ignore[union-attr]
    if rel in ("year-ago", "year-earlier") or ago or "year-" in m.group(0).lower():
        y = y - 1 if y is not None else None
    return "DATE", f"{y if y is not None else 'XXXX'}-Q{q}", None


@rule(
    r"\b(?:(the)\s+)?(?:(comparable|year-ago|year-earlier|same|latest|recent|current)\s+)+(period|quarter)\b"
    r"|\b(year-ago|year-earlier)\b(?!\s+(?:quarter|period))",
    trigger=r"period|quarter|year-",
)
def _year_ago_period(m: re.Match[str], ctx: Context) -> Result:
    if ctx.dct is None:
        return "DATE", "PAST_REF", None
    ago = bool(re.search(r"year-|comparable|same", m.group(0), re.IGNORECASE))
    if ctx.fiscal or not ago:
        y, q = prev_quarter(ctx.dct)
        return "DATE", f"{y - ago}-Q{q}", None
    return "DATE", str(ctx.dct.year - 1), None


@rule(r"\bthe\s+(?:twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b")
def _decade_word(m: re.Match[str], ctx: Context) -> Result:
    tens = ["twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties"]
    return "DATE", f"19{tens.index(m.group(0).split()[-1].lower()) + 2}", None


@rule(r"\bthe\s+week\b(?!\s+(?:of|before|after|ago|earlier|later|that|when|in|following|ahead)\b|['’]s|-)")
def _the_week(m: re.Match[str], ctx: Context) -> Result:
    # A week named without a date in news is the current one.
    return "DATE", week(ctx.dct) if ctx.dct else "XXXX-WXX", None


@rule(r"\b(?:the|this|last|next|over the)\s+weekend\b")
def _weekend(m: re.Match[str], ctx: Context) -> Result:
    # TimeBank values "(over) the weekend" as the two days, not a calendar date.
    if m.group(0).lower().startswith(("the", "over")):
        return "DURATION", "P2D", None
    return None


@rule(rf"\b(?:(the)\s+)?(first|second|last)\s+half(?:\s+of\s+(?:({YEAR})|(this|last|next)\s+year))?\b")
def _half(m: re.Match[str], ctx: Context) -> Result:
    _, which, y, rel = m.groups()
    h = 1 if which.lower() == "first" else 2
    if y:
        return "DATE", f"{y}-H{h}", None
    if ctx.dct is None:
        return "DATE", f"XXXX-H{h}", None
    off = {"last": -1, "next": 1}.get((rel or "").lower(), 0)
    return "DATE", f"{ctx.dct.year + off}-H{h}", None


@rule(
    rf"\b(?:the\s+)(full|fiscal|calendar|current|whole|entire)?\s*year\b(?!-|\s+(?:ago|earlier|old))(?:\s+({YEAR}))?"
)
def _the_year(m: re.Match[str], ctx: Context) -> Result:
    if m.group(2):
        return "DATE", m.group(2), None
    if ctx.dct is None:
        return None
    return "DATE", str(ctx.dct.year), None


@rule(
    rf"\b(?:((?i:early|late|mid-|mid))[\s-]*)?(?:((?i:last|this|next|the))\s+)?"
    r"((?i:spring|summer|autumn|winter|fall))"
    rf"(?:\s+(?:of\s+)?({YEAR}))?\b",
    0,
    trigger=r"spring|summer|autumn|winter|fall",
)
def _season(m: re.Match[str], ctx: Context) -> Result:
    modw, rel, season, y = m.groups()
    code = SEASONS[season.lower()]
    if code == "FA" and not (modw or y or (rel or "").lower() in ("last", "this", "next")):
        return None  # "fall" is far more often the verb or noun
    mod = mod_of(modw)
    if y:
        return "DATE", f"{y}-{code}", mod
    if ctx.dct is None:
        return "DATE", f"XXXX-{code}", mod
    start = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[code]
    rel = (rel or "").lower()
    year = ctx.dct.year
    if rel == "last":
        year = year if start + 3 <= ctx.dct.month else year - 1
    elif rel == "next":
        year = year if start > ctx.dct.month else year + 1
    return "DATE", f"{year}-{code}", mod


REFS = {
    "now": "PRESENT_REF", "currently": "PRESENT_REF", "current": "PRESENT_REF", "the present": "PRESENT_REF",
    "at present": "PRESENT_REF", "nowadays": "PRESENT_REF", "these days": "PRESENT_REF",
    "recently": "PAST_REF", "recent": "PAST_REF", "the past": "PAST_REF", "lately": "PAST_REF",
    "the future": "FUTURE_REF", "the near future": "FUTURE_REF",
}  # fmt: skip


@rule(
    # "previously", "soon", bare "future" are rarely annotated in TimeBank: leaving them out pays.
    r"\b(now|currently|current|the present|nowadays|these days|recently|recent|the past|lately|"
    r"the future|the near future)\b(?!-)"
)
def _ref(m: re.Match[str], ctx: Context) -> Result:
    return "DATE", REFS[m.group(1).lower()], None


@rule(
    r"\b(\d{1,2})(?::(\d\d))?\s*(a\.m\.|p\.m\.|am\b|pm\b)(?:\s+(?:(?-i:[A-Z]{3})\b|local time))?"
    rf"(?:\s+(?:on\s+)?({WDAY}|today|yesterday|tomorrow))?"
    r"|\b(noon|midnight|midday)\b"
)
def _clock(m: re.Match[str], ctx: Context) -> Result:
    hh, mm, ampm, day, named = m.groups()
    if named:
        hour, minute = (12, 0) if named.lower() != "midnight" else (0, 0)
    else:
        hour, minute = int(hh), int(mm or 0)
        if hour > 12 or minute > 59:
            return None
        if ampm.lower().startswith("p") and hour != 12:
            hour += 12
        elif ampm.lower().startswith("a") and hour == 12:
            hour = 0
    if ctx.dct is None:
        return "TIME", f"XXXX-XX-XXT{hour:02d}:{minute:02d}", None
    d = ctx.dct
    if day:
        low = day.lower()
        if low in WEEKDAYS:
            d = resolve_weekday(ctx.dct, WEEKDAYS[low], direction(m, ctx))
        else:
            d = ctx.dct + timedelta(days={"yesterday": -1, "today": 0, "tomorrow": 1}[low])
    return "TIME", f"{d.isoformat()}T{hour:02d}:{minute:02d}", None


@rule(
    r"\b(?:(daily|weekly|monthly|yearly|nightly|hourly)|(?:every|each)\s+(day|week|month|quarter|year|night|morning)"
    r"|(once|twice|three times)\s+a\s+(day|week|month|year))\b"
)
def _set(m: re.Match[str], ctx: Context) -> Result:
    adv, every, _, per = m.groups()
    word = (adv or every or per).lower()
    value = {
        "daily": "P1D", "day": "P1D", "nightly": "P1D", "night": "P1D", "morning": "P1D", "weekly": "P1W",
        "week": "P1W", "quarter": "P3M", "monthly": "P1M", "month": "P1M", "yearly": "P1Y", "year": "P1Y",
        "hourly": "PT1H",
    }[word]  # fmt: skip
    return "SET", value, None


@rule(r"\bthe\s+(\d{1,2})(?:st|nd|rd|th)\b(?!\s+[A-Z]|\s+(?:century|anniversary|time|floor|place|of\s+\w))")
def _day_of_month(m: re.Match[str], ctx: Context) -> Result:
    day = int(m.group(1))
    if not 1 <= day <= 31:
        return None
    return "DATE", day_of_month(ctx, day, direction(m, ctx)), None


@rule(r"\b(Christmas(?: Day| Eve)?|New Year's(?: Day| Eve)|Thanksgiving(?: Day)?)\b", 0)
def _holiday(m: re.Match[str], ctx: Context) -> Result:
    name = m.group(1).lower()
    y = "XXXX" if ctx.dct is None else str(ctx.dct.year)
    if name.startswith("christmas") and ctx.dct is not None and ctx.dct.month < 7:
        y = str(ctx.dct.year - 1)
    if name.startswith("christmas"):
        return "DATE", f"{y}-12-{24 if 'eve' in name else 25}", None
    if name.startswith("new year"):
        return "DATE", f"{y}-12-31" if "eve" in name else f"{y}-01-01", None
    if ctx.dct is None:
        return "DATE", "XXXX-11-XX", None
    year = ctx.dct.year if ctx.dct.month >= 11 else ctx.dct.year - 1
    first = date(year, 11, 1)
    thursday = first + timedelta(days=(3 - first.weekday()) % 7 + 21)
    return "DATE", thursday.isoformat(), None
