"""English temporal-expression rules (TimeBank conventions); registered on import."""

from __future__ import annotations

import re
from datetime import date, timedelta

from .timex_rules import (
    APPROX,
    MODW,
    MON,
    NOT_NUM_AFTER,
    NUM,
    ORDINALS,
    PARTS,
    SEASONS,
    SPOKEN_YEAR,
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
    year_of,
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


# What joins the two ends of a range of days: "October 24-27", "Oct. 24 to 27", "April 24 and 25".
RANGE_TO = r"\s*(?:-|–|—|\bto\b|\bthrough\b|\band\b|\buntil\b|\btill\b)\s*"
ORD = r"(?:st|nd|rd|th)?"


@rule(
    rf"\b(?:({WDAY}),?\s+(?:the\s+)?)?({MON})\s+(\d{{1,2}}){ORD}"
    # "October 24-27, 2024": the year written after the range belongs to both ends.
    rf"\b(?:,?\s+({YEAR})\b|(?={RANGE_TO}\d{{1,2}}{ORD},?\s+({YEAR})\b))?",
    0,
)
def _month_day(m: re.Match[str], ctx: Context) -> Result:
    _, mon, d, y, y_after = m.groups()
    return _calendar_date(m, ctx, mon, d, y or y_after)


@rule(rf"\b(\d{{1,2}}){ORD}\s+(?:of\s+)?({MON})(?:,?\s+({YEAR})\b)?", 0)
def _day_month(m: re.Match[str], ctx: Context) -> Result:
    d, mon, y = m.groups()
    return _calendar_date(m, ctx, mon, d, y)


# The second end of "October 24-27" is an expression of its own ("27"), valued in the first end's month;
# TimeBank annotates "April 24 and 25" the same way.
@rule(
    rf"\b(?P<first>({MON})\s+(\d{{1,2}})){ORD}{RANGE_TO}(?P<t>(\d{{1,2}}){ORD}\b"
    rf"(?!\s*(?:%|percent\b|[.,:]\d|{MON}))(?:,?\s+({YEAR})\b)?)",
    0,
)
def _range_end(m: re.Match[str], ctx: Context) -> Result:
    _, mon, d1, _, d2, y = m.groups()
    return _range_day(m, ctx, mon, int(d1), int(d2), y, "first")


# ... and the first end of "24-27 October" ("24") takes the month of the second.
@rule(
    rf"\b(?P<t>(\d{{1,2}}){ORD}){RANGE_TO}"
    rf"(?P<second>(\d{{1,2}}){ORD}\s+(?:of\s+)?({MON}))(?:,?\s+({YEAR})\b)?",
    0,
)
def _range_start(m: re.Match[str], ctx: Context) -> Result:
    _, d1, _, d2, mon, y = m.groups()
    return _range_day(m, ctx, mon, int(d2), int(d1), y, "second")


def _range_day(
    m: re.Match[str], ctx: Context, mon: str, anchor: int, day: int, y: str | None, group: str
) -> Result:
    """A day of a range, in the year and month of the other end (written at ``group``)."""
    lo, hi = sorted((anchor, day))
    if not 1 <= lo < hi <= 31:
        return None
    other = _calendar_date(m, ctx, mon, str(anchor), y, group)
    if other is None:
        return None
    value = f"{other[1][:8]}{day:02d}"
    try:
        if not value.startswith("X"):
            date.fromisoformat(value)
    except ValueError:
        return None
    return "DATE", value, None


def _calendar_date(
    m: re.Match[str], ctx: Context, mon: str, d: str, y: str | None, group: int | str = 0
) -> Result:
    """A month and day, with the year stated or the nearest one that fits the tense."""
    mo, day = month_of(mon), int(d)
    if not 1 <= day <= 31:
        return None
    if y:
        return "DATE", f"{y}-{mo:02d}-{day:02d}", None
    if ctx.dct is None:
        return "DATE", f"XXXX-{mo:02d}-{day:02d}", None
    return "DATE", resolve_month_day(ctx.dct, mo, day, direction(m, ctx, calendar=True, group=group)), None


FULL_MON = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"


@rule(
    rf"(?:\b((?i:{MODW}))[\s-]*|\b(?i:(last|this|next|coming))\s+)?"
    rf"\b({FULL_MON}|(?:Jan|Feb|Aug|Sept|Oct|Nov|Dec)\.)"
    rf"(?:,?\s+(?:of\s+)?({YEAR}|{SPOKEN_YEAR})\b|\s+((?i:this|last|next))\s+year\b|\b)"
    r"(?!\s+\d)",
    0,
    trigger=rf"(?-i:\b(?:{FULL_MON}\b|(?:Jan|Feb|Aug|Sept|Oct|Nov|Dec)\.))",
)
def _month(m: re.Match[str], ctx: Context) -> Result:
    modw, rel, mon, y, year_rel = m.groups()
    mo = month_of(mon)
    y = y and year_of(y)
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


@rule(rf"\b(?:the\s+year\s+)?({SPOKEN_YEAR})\b")
def _spoken_year(m: re.Match[str], ctx: Context) -> Result:
    y = year_of(m.group(1))
    return None if y is None else ("DATE", y, None)


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
        # "the '80s" is the last such decade that has begun by the DCT.
        cent = "19" if ctx.dct is None or int(short) * 10 + 2000 > ctx.dct.year else "20"
        dec = short
    return "DATE", f"{cent}{dec}", mod_of(modw)


PART_MOD = {"early": "START", "earlier": "START", "late": "END", "later": "END", "mid": "MID"}


@rule(
    # Capitals spelt out: scoped (?i:) groups make this frequent pattern twice as slow.
    r"\b(?:([Ll]ast|[Tt]his|[Nn]ext|[Tt]his coming|[Cc]oming|[Pp]revious)\s+"
    rf"|([Ee]arly|[Ee]arlier|[Ll]ate|[Ll]ater)\s+)?({WDAY})"
    r"(?:,?\s+(?:(morning|afternoon|evening|night)|(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\b))?",
    0,
)
def _weekday(m: re.Match[str], ctx: Context) -> Result:
    rel, modw, wd, part, _ = m.groups()
    mod = None if part else PART_MOD.get((modw or "").lower())
    if ctx.dct is None:
        return "DATE", "XXXX-WXX-" + str(WEEKDAYS[wd.lower()] + 1), mod
    wdn = WEEKDAYS[wd.lower()]
    rel = (rel or "").lower()
    if rel in ("last", "previous"):
        d = ctx.dct - timedelta(days=(ctx.dct.weekday() - wdn) % 7 or 7)
    elif rel in ("next", "coming", "this coming"):
        d = ctx.dct + timedelta(days=(wdn - ctx.dct.weekday()) % 7 or 7)
    elif rel == "this":
        d = ctx.dct + timedelta(days=wdn - ctx.dct.weekday())
    elif ctx.text.startswith(("'s", "’s"), m.end()):
        d = resolve_weekday(ctx.dct, wdn, "past")  # "Wednesday's ruling" has happened
    else:
        d = resolve_weekday(ctx.dct, wdn, direction(m, ctx))
    if part:
        return "TIME", f"{d.isoformat()}T{PARTS[part.lower()]}", None
    return "DATE", d.isoformat(), mod


DEICTIC = {"yesterday": (-1, None), "today": (0, None), "tomorrow": (1, None), "tonight": (0, "NI"),
           "last night": (-1, "NI"), "this morning": (0, "MO"), "this afternoon": (0, "AF"),
           "this evening": (0, "EV")}  # fmt: skip


@rule(
    r"\b(?:(late|early|earlier|later|mid)[\s-]*)?"
    r"(?:(morning|afternoon|evening)\s+(?=yesterday|today|tomorrow))?"
    r"(yesterday|today|tomorrow|tonight|last night|this morning|this afternoon|this evening)"
    r"(?:\s+(morning|afternoon|evening|night))?\b"
    # "by mid afternoon": a part of the DCT's day
    r"|\b(mid|early|late)[\s-]*(morning|afternoon|evening)\b",
    trigger=r"yesterday|today|tomorrow|night|morning|afternoon|evening",
)
def _deictic(m: re.Match[str], ctx: Context) -> Result:
    modw, part_before, word, part, modw2, part_alone = m.groups()
    modw, part = (modw or modw2 or "").lower(), part_before or part or part_alone
    if modw == "mid" and not part:
        return None
    mod = PART_MOD.get(modw)
    offset, code = DEICTIC[re.sub(r"\s+", " ", word.lower())] if word else (0, None)
    if ctx.dct is None:
        return "DATE", "PRESENT_REF" if offset == 0 else "XXXX-XX-XX", mod
    d = (ctx.dct + timedelta(days=offset)).isoformat()
    code = PARTS[part.lower()] if part else code
    return ("TIME", f"{d}T{code}", mod) if code else ("DATE", d, mod)


@rule(
    r"\b(?:(earlier|later|early|late)\s+)?(?:(the)\s+)?(last|this|next|past|previous|coming|current|same)\s+"
    r"(week|month|year|decade|century|weekend)\b(?!-)(\s+or\s+so\b)?",
    trigger=r"\b(?:last|this|next|past|previous|coming|current|same)\b",
)
def _relative(m: re.Match[str], ctx: Context) -> Result:
    modw, _, rel, unit, or_so = (g.lower() if g else g for g in m.groups())
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
    mod = mod or ("APPROX" if or_so else None)
    return "DATE", shift(ctx.dct, n, unit), mod


@rule(
    rf"\b(?:(about|around|nearly|almost|more than|less than|some|roughly|at least|over)\s+)?"
    rf"({NUM})[\s-]+({UNIT})(\s+or so)?\s+(ago|earlier|before|later|after|from now|hence)\b",
    trigger=r"\b(?:ago|earlier|before|later|after|from now|hence)\b",
)
def _ago(m: re.Match[str], ctx: Context) -> Result:
    approx, num, unit, or_so, rel = m.groups()
    n = number(num)
    mod = APPROX.get((approx or "").lower()) or ("APPROX" if or_so else None)
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
    rf"({NUM})(?:\s+to\s+({NUM}))?[\s-]+(?:(?:more|additional|extra)\s+)?({UNIT})"
    r"(?:-long)?\b(?!-old|\s+old|-)"
    r"(\s+and\s+a\s+half\b)?(\s+or\s+so\b)?",
    trigger=UNIT_WORD,
)
def _duration(m: re.Match[str], ctx: Context) -> Result:
    _, approx1, rel, approx2, num, upper, unit, half, or_so = m.groups()
    if upper:
        # "two to three weeks": TIMEX3 has no range value, so the quantity is left open.
        if number(num) is None or number(upper) is None:
            return None
        return "DURATION", duration(None, unit), None
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
    if half and n is not None:
        n += 0.5
    if n is None and unit.lower() == "quarters" and rel:
        # "the past several quarters": a vague stretch of reporting periods, valued as a reference.
        return "DATE", "FUTURE_REF" if rel.lower() in ("next", "coming") else "PAST_REF", None
    approx = APPROX.get((approx1 or approx2 or "").lower()) or ("APPROX" if or_so else None)
    return "DURATION", duration(n, unit), approx


@rule(
    r"\b(?:(the)\s+)?(?:(past|last|next|coming|recent|future|few|several)\s+|(?<=for |ver |hin |ing )(?=\w))"
    r"(years|months|weeks|days|decades|hours|minutes|centuries|quarters)\b(?!-)",
    trigger=UNIT_WORD,
)
def _vague_duration(m: re.Match[str], ctx: Context) -> Result:
    _, rel, unit = (g.lower() if g else g for g in m.groups())
    # TimeBank reads "recent years", "future quarters" and "coming quarters" as vague points in the past
    # or future, "recent months" and "the next few days" as stretches of time.
    if rel == "future" or (unit == "quarters" and rel in ("coming", "next")):
        return "DATE", "FUTURE_REF", None
    if rel in ("recent", "past", "last") and unit in ("quarters", "years"):
        return "DATE", "PAST_REF", None
    return "DURATION", duration(None, unit), None


QUARTER = r"(?:first|second|third|fourth|1st|2nd|3rd|4th)"


@rule(
    rf"\b(?:(the)\s+)?(?:(?:({YEAR})(?:'s)?|(this|last|next)\s+year's)\s+)?"
    rf"(?:(fiscal|latest|current|year-ago|year-earlier|comparable|previous|last|"
    rf"this|next|same|recent|just-ended|year-ago|most recent)\s+)?"
    rf"(?:(?:fiscal|comparable|year-ago|year-earlier)\s+)?"
    rf"(?:({QUARTER})[\s-]+)?(?:fiscal\s+|-)?(?:(?<=[\s-])|^)(quarter|period)"
    rf"(?:(?:\s+of|,)\s+({YEAR})\b|\s+(a year ago|"
    rf"a year earlier))?(?!s\b|ly\b|-to-)",
    trigger=r"quarter|period",
)
def _quarter(m: re.Match[str], ctx: Context) -> Result:
    the, ypre, year_rel, rel, ordinal, unit, ypost, ago = m.groups()
    rel = (rel or "").lower()
    if not (the or ypre or year_rel or rel or ordinal):
        return None
    if unit.lower() == "period" and not (ypre or year_rel):
        return None  # "the period" alone is left to the year-ago rule
    if ctx.dct is None:
        base_y, base_q = None, None
    else:
        base_y, base_q = prev_quarter(ctx.dct)
    year = ypost or ypre
    if year_rel and ctx.dct is not None:
        year = str(ctx.dct.year + {"this": 0, "last": -1, "next": 1}[year_rel.lower()])
    if ordinal:
        q = ORDINALS[ordinal.lower()]
        y = int(year) if year else (base_y if base_y is not None else None)
        if not year and ctx.dct is not None:
            y = ctx.dct.year
            # A quarter still to come is, in reporting, usually last year's.
            if q > quarter_of(ctx.dct) and direction(m, ctx) != "future" and "next" not in rel:
                y -= 1
    else:  # "the quarter" in an earnings report: the one just reported ("the 1988 quarter": that year's)
        if base_y is None:
            return "DATE", f"{year or 'XXXX'}-QX", None
        y, q = base_y, base_q
        if rel in ("current", "this"):
            y, q = ctx.dct.year, quarter_of(ctx.dct)  # type: ignore[union-attr]
        elif rel == "next":
            y, q = ctx.dct.year + (quarter_of(ctx.dct) == 4), quarter_of(ctx.dct) % 4 + 1  # type: ignore[union-attr]
        if year:
            y = int(year)
    if not year and (rel in ("year-ago", "year-earlier") or ago or "year-" in m.group(0).lower()):
        y = y - 1 if y is not None else None
    return "DATE", f"{y if y is not None else 'XXXX'}-Q{q}", None


@rule(
    r"\b(?:(the)\s+)?(?:(comparable|year-ago|year-earlier|same|latest|recent|current|corresponding)\s+)+"
    r"(period|quarter)\b(?:\s+(?:of\s+)?(last year|a year (?:ago|earlier)))?"
    r"|\b(year-ago|year-earlier)\b(?!\s+(?:quarter|period))",
    trigger=r"period|quarter|year-",
)
def _year_ago_period(m: re.Match[str], ctx: Context) -> Result:
    if ctx.dct is None:
        return "DATE", "PAST_REF", None
    ago = bool(re.search(r"year|comparable|same|corresponding", m.group(0), re.IGNORECASE))
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


@rule(r"\b[Tt]he\s+weekend\b", 0)
def _weekend(m: re.Match[str], ctx: Context) -> Result:
    # "(over) the weekend" in news is the one just gone, unless the verb looks ahead; on a Sunday it
    # is the one under way. "over" stays out of the span.
    if ctx.dct is None:
        return "DATE", "XXXX-WXX-WE", None
    sunday = ctx.dct.weekday() == 6
    saturday = ctx.dct - timedelta(days=1) if sunday else resolve_weekday(ctx.dct, 5, direction(m, ctx))
    return "DATE", week(saturday) + "-WE", None


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
    r"\b(?:(the)\s+)?(?:(full|current|whole|entire|latest|last|next|previous|this|coming)\s+)?"
    rf"(fiscal\s+|calendar\s+)?year\b(?!-|\s+(?:ago|earlier|old))(?:\s+({YEAR}))?",
    trigger=r"\byear\b",
)
def _the_year(m: re.Match[str], ctx: Context) -> Result:
    the, which, kind, y = (g.lower() if g else g for g in m.groups())
    if y:
        return "DATE", y, None
    if not the and not kind:
        return None  # "last year" and the like are the relative rule's
    if not the and which not in ("last", "next", "previous", "this", "coming"):
        return None
    if re.match(r"\s+(?:ended|ending|that ended|to)\b", ctx.text[m.end() : m.end() + 16]):
        # "the year ended June 30": a reporting period measured back from a date, not a calendar year.
        return "DURATION", "P1Y", None
    if ctx.dct is None:
        return None
    # A fiscal year called the latest has closed: it is usually named after the calendar year before.
    offsets = {"last": -1, "previous": -1, "latest": -1 if kind else 0, "next": 1, "coming": 1}
    offset = offsets.get(which or "", 0)
    return "DATE", str(ctx.dct.year + offset), None


@rule(
    rf"\b(?:((?i:early|late|mid-|mid))[\s-]*)?(?:((?i:last|this|next|the))\s+)?"
    r"((?i:spring|summer|autumn|winter|fall))"
    rf"(?:\s+(?:of\s+)?({YEAR}|{SPOKEN_YEAR}))?\b",
    0,
    trigger=r"spring|summer|autumn|winter|fall",
)
def _season(m: re.Match[str], ctx: Context) -> Result:
    modw, rel, season, y = m.groups()
    y = y and year_of(y)
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


DAY_WORD = rf"{WDAY}|today|yesterday|tomorrow"


@rule(
    r"\b(?:(\d{1,2})(?::(\d\d))?\s*(a\.m\.|p\.m\.|am\b|pm\b)(?:\s+(?:(?-i:[A-Z]{3})\b|local time))?"
    r"|(noon|midnight|midday))"
    rf"(?:,?\s+(?:on\s+)?(?:({DAY_WORD})|({MON})\s+(\d{{1,2}})\b))?"
    # A day named just after a bracketed conversion dates the time but is an expression of its own.
    rf"(?:(?=\s*\([^()]{{1,20}}\)\s*(?:on\s+)?({WDAY})))?"
)
def _clock(m: re.Match[str], ctx: Context) -> Result:
    hh, mm, ampm, named, day, mon, mday, later_day = m.groups()
    if named:
        before = ctx.text[max(0, m.start() - 7) : m.start()].lower()
        if not (day or mon) and not re.search(r"\b(?:at|by|before|after|until|since|from)\s+$", before):
            return None  # alone, as in "High Noon" or "midnight oil", they are figurative
        hour, minute = (12, 0) if named.lower() != "midnight" else (24, 0)
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
    if mon:
        day_value = resolve_month_day(ctx.dct, month_of(mon), int(mday), direction(m, ctx, calendar=True))
        return "TIME", f"{day_value}T{hour:02d}:{minute:02d}", None
    d = ctx.dct
    low = (day or later_day or "").lower()
    if low in WEEKDAYS:
        d = resolve_weekday(ctx.dct, WEEKDAYS[low], direction(m, ctx))
    elif low:
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
