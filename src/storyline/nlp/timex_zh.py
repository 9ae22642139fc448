"""Chinese temporal-expression rules."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from .timex_rules import (
    Context,
    Handler,
    Result,
    day_of_month,
    direction,
    duration,
    resolve_month,
    resolve_month_day,
    resolve_weekday,
    shift,
    week,
)

# --------------------------------------------------------------------------- Chinese

ZH_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8,
             "九": 9}  # fmt: skip
ZH_NUM = r"(?:\d{1,2}|[一二两三四五六七八九十]{1,3})"
ZH_WD = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
ZH_RULES: list[tuple[re.Pattern[str], Handler]] = []
ZH_PART_MOD = {"上旬": "START", "初": "START", "中旬": "MID", "下旬": "END", "底": "END", "末": "END"}
ZH_UNITS = {"年": "year", "个月": "month", "周": "week", "星期": "week", "天": "day", "小时": "hour",
            "分钟": "minute"}  # fmt: skip


def zh_number(s: str) -> int:
    if s.isdigit():
        return int(s)
    if len(s) == 4 and all(c in ZH_DIGITS for c in s):  # 二〇二五
        return int("".join(str(ZH_DIGITS[c]) for c in s))
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (ZH_DIGITS[tens] if tens else 1) * 10 + (ZH_DIGITS[ones] if ones else 0)
    if len(s) == 2 and all(c in ZH_DIGITS for c in s):
        # 三四天, 两三个月: "three or four"; the larger bound.
        return max(ZH_DIGITS[c] for c in s)
    return ZH_DIGITS[s]


def zh_rule(pattern: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        ZH_RULES.append((re.compile(pattern), fn))
        return fn

    return register


ZH_YEAR_REL = {"今年": 0, "去年": -1, "明年": 1, "前年": -2, "后年": 2, "本年": 0}
ZH_YEAR = r"(?:(\d{4}|[〇零一二三四五六七八九]{4})年|(今年|去年|明年|前年|后年|本年))"
ZH_RANGE_TO = r"\s*(?:至|到|-|–|—|~|～)\s*"


# "10月24日至27日": both ends are expressions, the second ("27日") in the month of the first.
# These come before the general date rule so that they win the tie on "27日" and on "10月24日".
@zh_rule(rf"(?P<first>{ZH_YEAR}?({ZH_NUM})月({ZH_NUM})[日号]?){ZH_RANGE_TO}(?P<t>({ZH_NUM})[日号])")
def _zh_range_end(m: re.Match[str], ctx: Context) -> Result:
    _, y_abs, y_rel, mo_s, d1_s, _, d2_s = m.groups()
    if zh_number(d2_s) <= zh_number(d1_s):
        return None
    return _zh_range_day(m, ctx, y_abs, y_rel, mo_s, d1_s, d2_s, "first")


@zh_rule(rf"(?P<t>{ZH_YEAR}?({ZH_NUM})月({ZH_NUM})[日号]?){ZH_RANGE_TO}({ZH_NUM})[日号]")
def _zh_range_start(m: re.Match[str], ctx: Context) -> Result:
    _, y_abs, y_rel, mo_s, d1_s, d2_s = m.groups()
    if zh_number(d2_s) <= zh_number(d1_s):
        return None
    return _zh_range_day(m, ctx, y_abs, y_rel, mo_s, d1_s, d1_s, "t")


def _zh_range_day(
    m: re.Match[str],
    ctx: Context,
    y_abs: str | None,
    y_rel: str | None,
    mo_s: str,
    d1_s: str,
    day_s: str,
    first: str,
) -> Result:
    """``day_s`` of the month in a range whose first end (``d1_s``, at group ``first``) names the month."""
    mo, d1, day = zh_number(mo_s), zh_number(d1_s), zh_number(day_s)
    if not (1 <= mo <= 12 and 1 <= d1 <= day <= 31):
        return None
    if y_abs:
        year = f"{zh_number(y_abs):04d}"
    elif y_rel and ctx.dct:
        year = f"{ctx.dct.year + ZH_YEAR_REL[y_rel]:04d}"
    elif ctx.dct:
        year = resolve_month_day(ctx.dct, mo, d1, direction(m, ctx, group=first))[:4]
    else:
        year = "XXXX"
    value = f"{year}-{mo:02d}-{day:02d}"
    try:
        if year != "XXXX":
            date.fromisoformat(value)
    except ValueError:
        return None
    return "DATE", value, None


@zh_rule(rf"{ZH_YEAR}?(?:({ZH_NUM})月(?:份)?)?(?:({ZH_NUM})[日号])?(?:[年月]?(上旬|中旬|下旬|初|底|末))?")
def _zh_date(m: re.Match[str], ctx: Context) -> Result:
    y_abs, y_rel, mo_s, d_s, part = m.groups()
    if not (y_abs or y_rel or mo_s or d_s):
        return None
    if d_s and not mo_s and (y_abs or y_rel):
        return None
    mod = ZH_PART_MOD.get(part or "")
    mo = zh_number(mo_s) if mo_s else None
    day = zh_number(d_s) if d_s else None
    if (mo is not None and not 1 <= mo <= 12) or (day is not None and not 1 <= day <= 31):
        return None
    if y_abs:
        y: int | None = zh_number(y_abs)
    elif y_rel:
        y = ctx.dct.year + ZH_YEAR_REL[y_rel] if ctx.dct else None
    else:
        y = None
    if mo is None and day is None:
        return "DATE", f"{y:04d}" if y is not None else "XXXX", mod
    if mo is None and day is not None:
        # "3日": the 3rd of the DCT's month, or of the previous month if still to come.
        return "DATE", day_of_month(ctx, day, direction(m, ctx)), None
    assert mo is not None
    if y is None:
        if ctx.dct is None:
            return "DATE", f"XXXX-{mo:02d}" + (f"-{day:02d}" if day else ""), mod
        if day:
            return "DATE", resolve_month_day(ctx.dct, mo, day, direction(m, ctx)), mod
        return "DATE", resolve_month(ctx.dct, mo, direction(m, ctx)), mod
    return "DATE", f"{y:04d}-{mo:02d}" + (f"-{day:02d}" if day else ""), mod


@zh_rule(r"(上|下|本|这|这个|上个|下个)?(?:周|星期|礼拜)([一二三四五六日天])")
def _zh_weekday(m: re.Match[str], ctx: Context) -> Result:
    rel, wd = m.groups()
    if ctx.dct is None:
        return "DATE", f"XXXX-WXX-{ZH_WD[wd] + 1}", None
    wdn = ZH_WD[wd]
    monday = ctx.dct - timedelta(days=ctx.dct.weekday())
    if rel:
        off = -7 if rel.startswith("上") else 7 if rel.startswith("下") else 0
        return "DATE", (monday + timedelta(days=off + wdn)).isoformat(), None
    return "DATE", resolve_weekday(ctx.dct, wdn, direction(m, ctx)).isoformat(), None


@zh_rule(r"(上|下|本|这|这个|上个|下个)(周|星期|礼拜|月|季度)(上旬|中旬|下旬|初|底|末)?|(周末)")
def _zh_relative(m: re.Match[str], ctx: Context) -> Result:
    rel, unit, part, weekend = m.groups()
    if ctx.dct is None:
        return None
    if weekend:
        # A bare 周末, like "the weekend": the one just gone unless the verb looks ahead.
        return "DATE", week(resolve_weekday(ctx.dct, 5, direction(m, ctx))) + "-WE", None
    n = -1 if rel.startswith("上") else 1 if rel.startswith("下") else 0
    u = {"月": "month", "季度": "quarter"}.get(unit, "week")
    if u == "week" and part == "末":
        return "DATE", shift(ctx.dct, n, u) + "-WE", None  # 周末 is the weekend, not the end of a week
    return "DATE", shift(ctx.dct, n, u), ZH_PART_MOD.get(part or "")


@zh_rule(r"(前天|昨天|昨日|今天|今日|明天|明日|后天|今晨|昨晚|今晚)")
def _zh_deictic(m: re.Match[str], ctx: Context) -> Result:
    w = m.group(1)
    if ctx.dct is None:
        return "DATE", "PRESENT_REF", None
    off = {"前": -2, "昨": -1, "今": 0, "明": 1, "后": 2}[w[0]]
    d = (ctx.dct + timedelta(days=off)).isoformat()
    if w[1] in "晨晚":
        return "TIME", f"{d}T{'MO' if w[1] == '晨' else 'NI'}", None
    return "DATE", d, None


@zh_rule(r"(现在|目前|当前|如今|最近|近期|近来|将来|未来|不久前|此前)")
def _zh_ref(m: re.Match[str], ctx: Context) -> Result:
    w = m.group(1)
    ref = "PRESENT_REF" if w in "现在目前当前如今" else "FUTURE_REF" if w in ("将来", "未来") else "PAST_REF"
    return "DATE", ref, None


@zh_rule(rf"({ZH_NUM}|几|数|半)(?:个)?(年|个月|周|星期|天|小时|分钟)(前|后|以来|来)?")
def _zh_duration(m: re.Match[str], ctx: Context) -> Result:
    num, unit, rel = m.groups()
    if unit == "年" and "个" in m.group(0):
        return None
    u = ZH_UNITS[unit]
    n = None if num in ("几", "数") else 0.5 if num == "半" else zh_number(num)
    if rel in ("前", "后") and n is not None and ctx.dct is not None and u not in ("hour", "minute"):
        return "DATE", shift(ctx.dct, int(n) * (-1 if rel == "前" else 1), u), None
    return "DURATION", duration(n, u), None


@zh_rule(r"(?:(\d{4})年)?(?:第)?([一二三四1-4])季度")
def _zh_quarter(m: re.Match[str], ctx: Context) -> Result:
    y, q = m.groups()
    year = y or (str(ctx.dct.year) if ctx.dct else "XXXX")
    return "DATE", f"{year}-Q{zh_number(q)}", None
