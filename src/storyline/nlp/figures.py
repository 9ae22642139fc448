"""Figures: amounts with their unit and what they quantify, in English and Chinese news.

Stage: needs ``Article.text`` and the sentence spans of one language; fills
``Article.figures``. Rules over precompiled regular expressions, like the
sentence splitter: news writes amounts in a few regular shapes, and this runs
on every article of the ingest stream.

Conventions (``tests/gold/figures.jsonl`` follows them):

- A span covers the amount with its currency and unit ("$330 million",
  "12 million metric tons", "1200万吨", "5000亿元人民币"); approximators
  ("about", "近", "超过") stay outside. English counts include the counted
  noun ("3,000 workers", "three Chinese nationals"); Chinese counts end at
  the classifier ("三名", "120多个").
- ``value`` is the amount in ``unit``: "$330 million" -> 3.3e8 USD,
  "1200万吨" -> 1.2e7 t, "100%" -> 100.0, "25 basis points" -> 25 bp,
  "-0.1%" -> -0.1.
  Fractions are percentages: "two-thirds of voters" -> 66.67 %. Market
  moves keep a positive magnitude; the direction is in ``change``.
- Ranges give one figure per endpoint. In "10-15%" or "$1-2 billion" the
  first endpoint's span is the bare number and it borrows the unit, scale
  and ``what`` of the second ("10" -> 10 %).
- ``kind`` is "percent" (unit "%", "pp" percentage points, "bp" basis
  points), "money" (ISO currency), "quantity" (t, bbl, bbl/d, bu, kg, km,
  km/h, mm, MW ...), "count" (unit: the counted noun in English, the
  classifier in Chinese; "people" for people, "shares" for 股) or "market": a
  percentage or index points moving with a change word next to a ticker, an
  index or a company's shares; ``ticker`` and ``change`` are set and ``what``
  is None.
- Not figures: bare numbers (years, dates, times, ages, scores, page, article
  and phone numbers, versions), ordinals, durations ("six years", "6个月"),
  numbers inside names ("S&P 500", "Section 301", "G-7", "YU7"), compound
  modifiers ("a 20-point plan", "45-year-old": no ages), and counts of one
  or two written as words ("two leaders", "两名", "一位分析师"), which are
  articles more often than figures.
- ``what`` is a short noun phrase, by light rules in this order: after "of"
  ("tons of soybeans"), the noun right after ("a $330 million arms sale",
  "a 10% cut in duties" -> duties), the noun before, past linking words and a
  trailing prepositional phrase ("tariffs on Chinese goods will fall from
  57%" -> tariffs), the figure it is chained to ("from 57% to 47%"), and
  last the previous figure of the same unit in the sentence ("12 million
  tons of soybeans this year and 25 million tons in 2026"). Chinese heads
  come from a small lexicon of quantified nouns ("采购1200万吨大豆" -> 大豆,
  "营收1131亿元" -> 营收), since there is no segmenter here; traditional
  characters are mapped one to one onto simplified ones first.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from storyline.text.sentences import split_text

__all__ = ["Figure", "find_figures"]


@dataclass(slots=True)
class Figure:
    """An amount with its unit, and the span of what it quantifies (offsets into the article text)."""

    start: int
    end: int
    text: str
    kind: str
    value: float
    unit: str
    what: str | None
    what_start: int | None
    what_end: int | None
    ticker: str | None = None
    change: str | None = None


@dataclass(slots=True)
class _Cand:
    """An amount found in one sentence; offsets are local to the sentence."""

    start: int
    end: int
    kind: str
    value: float
    unit: str
    sign: str | None = None
    what: tuple[int, int] | None = None
    partner: _Cand | None = None  # a range's first endpoint points at the second
    ticker: str | None = None
    change: str | None = None


@dataclass(slots=True)
class _Ticker:
    start: int
    end: int
    name: str
    explicit: bool  # a symbol in brackets beats an index named in passing


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _table(text: str) -> tuple[tuple[str, str, str], ...]:
    """Rows written as ``unit:kind:name``, separated by white space."""
    rows = []
    for entry in text.split():
        unit, kind, name = entry.split(":")
        rows.append((unit, kind, name))
    return tuple(rows)


def find_figures(text: str, lang: str, sentences: Sequence[tuple[int, int]] | None = None) -> list[Figure]:
    """Figures in ``text`` in text order, looking only inside ``sentences`` (all sentences if None).

    ``lang`` picks the rules: "zh*" Chinese, "en" or "und" English; other
    languages have no rules yet and give nothing.
    """
    zh = lang.startswith("zh")
    if not zh and lang not in ("en", "und"):
        return []
    spans = sentences if sentences is not None else split_text(text, lang)
    symbols = frozenset() if zh else _doc_symbols(text)
    figures: list[Figure] = []
    for s, e in spans:
        sent = text[s:e]
        cands = _zh_sentence(sent) if zh else _en_sentence(sent, symbols)
        figures.extend(_figure(text, s, c) for c in cands)
    return figures


def _figure(text: str, offset: int, c: _Cand) -> Figure:
    ws, we = (offset + c.what[0], offset + c.what[1]) if c.what else (None, None)
    return Figure(
        start=offset + c.start,
        end=offset + c.end,
        text=text[offset + c.start : offset + c.end],
        kind=c.kind,
        value=float(f"{c.value:.12g}"),  # 4.6 * 1e8 is 459999999.99999994 in binary
        unit=c.unit,
        what=text[ws:we] if ws is not None and we is not None else None,
        what_start=ws,
        what_end=we,
        ticker=c.ticker,
        change=c.change,
    )


# --------------------------------------------------------------------------- tickers and moves

_NOT_TICKERS = _words(
    """AFP AP CNN BBC UN EU US USA UK WHO WTO IMF NATO APEC ASEAN GDP CPI PMI AI CEO CFO PLA CCP CPC
    PBOC ECB BOJ FED SEC FTC DOJ FBI CIA UAE ICC ICJ OPEC IAEA COP EV FT WSJ NYT SCMP CCTV DPP KMT LDP
    MOFCOM NDRC SOE IPO ETF ID TV PM AM GMT UTC"""
)
_PAREN_SYMBOL = re.compile(
    r"[(（](?:(?:NYSE|NASDAQ|Nasdaq|NYSEARCA|HKEX|HKG|SEHK|SHA|SHE|SSE|SZSE|TSE|TYO|LSE|KRX)\s?[:：]\s?)?"
    r"(?P<sym>[A-Z]{1,5}(?:\.[A-Z]{1,2})?|0\d{4}(?:\.HK)?|\d{6}(?:\.S[HZ])?|\d{4,5}\.[A-Z]{2})[)）]"
)
_CAPS = re.compile(r"\$?\b[A-Z]{2,5}\b")
_INDEX_EN = re.compile(
    r"(?i)\b(?P<name>S&P 500|S&P/ASX 200|Dow Jones Industrial Average|Dow Jones|(?<=[Tt]he )Dow"
    r"|Nasdaq Composite|Nasdaq 100|Nasdaq|Hang Seng (?:China Enterprises|Tech)|Hang Seng|Nikkei 225|Nikkei"
    r"|Topix|FTSE 100|FTSE|(?:Euro )?Stoxx(?: Europe)? (?:600|50)|DAX|CAC 40|Kospi|Shanghai Composite"
    r"|CSI 300|Shenzhen Component|ChiNext|Sensex|Nifty 50|Russell 2000|Brent|WTI|VIX|bitcoin)"
    r"(?:\s(?:index|composite|crude(?: oil)?|futures))?\b"
)
_COMPANY_SHARES = re.compile(
    r"\b[Ss]hares\s+of\s+(?P<a>[A-Z][\w&.-]*(?:\s[A-Z][\w&-]*)?)"
    r"|(?P<b>\b[A-Z][\w&-]*(?:\s[A-Z][\w&-]*)?)(?:'s|’s)?\s+(?:shares|stock)\b"
)
_NOT_COMPANIES = _words(
    """The Chinese Japanese American US U.S. European Asian Korean Indian British German French Global
    Tech Bank Property Hong Kong Mainland China Its Their His Her Shares"""
)
_INDEX_ZH = re.compile(
    r"恒生科技指数|恒生国企指数|恒生指数|恒指|国企指数|科指|道琼斯工业平均指数|道琼斯指数|道琼斯|道指"
    r"|标普500指数|标普500|标普指数|纳斯达克综合指数|纳斯达克指数|纳指|上证综合指数|上证综指|上证指数|沪指"
    r"|深证成指|深成指|创业板指数?|沪深300指数|沪深300|日经225指数|日经平均指数|日经指数|日经225|韩国综合指数"
    r"|台湾加权指数|比特币|布伦特原油"
)
_COMPANY_ZH = re.compile(
    r"(?:^|(?<=[，。；：、\s“”「」]))(?P<name>[\u4e00-\u9fff]{2,5}?)(?:港股|美股|A股|H股)?的?(?:股价|股票)"
)
_UP_EN = _words(
    """up rose rise rises rising gained gain gains climbed climbs jumped jumps surged surges soared rallied
    advanced added higher increased rebounded spiked firmed gaining climbing jumping surging"""
)
_DOWN_EN = _words(
    """down fell falls fall falling dropped drops declined slid slipped lost loses shed sank tumbled plunged
    slumped lower decreased retreated dipped skidded dropping sliding losing tumbling"""
)
_CUE_EN = re.compile(r"[A-Za-z]+")
_AFTER_CUE_EN = re.compile(
    r"\s+(?P<up>gain|rise|jump|rally|advance|increase|surge|higher)\b|\s+(?P<down>drop|decline|fall|loss|"
    r"slide|slump|plunge|decrease|lower)\b"
)
_MARKET_WORDS_EN = re.compile(r"(?i)\b(?:shares|stocks?|index|indices|indexes|ETFs?|futures|benchmark)\b")
_CUE_ZH = re.compile(r"(?P<up>涨|升|攀|走高|收高|反弹|飙|扬)|(?P<down>跌|挫|走低|收低|下滑|回落|下行)")
_MARKET_WORDS_ZH = re.compile(r"股|指数|大盘|ETF")
_GAP_EN = re.compile(r"[\s,]*(?:(?:and|or|to|versus|vs\.?)\s+)?(?:(?:up|down)\s+)?\Z")
_GAP_ZH = re.compile(
    r"[\s，,、]*(?:和|及|与|或|至|到|降至|升至|增至|涨至|跌至)?[\s，,、]*(?:跌幅|涨幅)?(?:约|达|为)?\Z"
)
_GROWTH = re.compile(r"(?i)\s*(?:y/y|yoy|year[- ]on[- ]year|year[- ]over[- ]year|from a year)|同比|环比")
_BARE_TICKER = re.compile(
    r"\b([A-Z]{2,5})(?:\s*:)?\s+(?:(?:is|was|closed|ended|traded|edged|ticked|up|down|rose|fell|gained|lost|added"
    r"|shed|slipped|jumped|climbed|dropped|slid|sank|surged|soared|about|roughly|nearly)\s+){0,3}[+\-−]?\Z"
)
_RESPECTIVELY = re.compile(r"[\s,]*respectively\b")


def _doc_symbols(text: str) -> frozenset[str]:
    """Symbols the article put in brackets once ("(SPY)"), so a bare "SPY" later is a ticker too."""
    return frozenset(
        m.group("sym") for m in _PAREN_SYMBOL.finditer(text) if m.group("sym") not in _NOT_TICKERS
    )


def _en_tickers(sent: str, symbols: frozenset[str]) -> list[_Ticker]:
    found = [
        _Ticker(m.start(), m.end(), _index_name(m.group("name")), False) for m in _INDEX_EN.finditer(sent)
    ]
    found += [
        _Ticker(m.start(), m.end(), m.group("sym"), True)
        for m in _PAREN_SYMBOL.finditer(sent)
        if m.group("sym") not in _NOT_TICKERS
    ]
    found += [
        _Ticker(m.start(), m.end(), m.group().lstrip("$"), True)
        for m in _CAPS.finditer(sent)
        if m.group().lstrip("$") in symbols or (m.group()[0] == "$" and m.group()[1:] not in _NOT_TICKERS)
    ]
    for m in _COMPANY_SHARES.finditer(sent):
        name = m.group("a") or m.group("b")
        if name.split()[0] not in _NOT_COMPANIES:
            found.append(_Ticker(m.start(), m.end(), name, False))
    return _dedupe(found)


def _index_name(name: str) -> str:
    return name[:-6] if name.lower().endswith(" index") else name


def _zh_tickers(sent: str, norm: str) -> list[_Ticker]:
    found = [_Ticker(m.start(), m.end(), sent[m.start() : m.end()], False) for m in _INDEX_ZH.finditer(norm)]
    found += [
        _Ticker(m.start(), m.end(), m.group("sym"), True)
        for m in _PAREN_SYMBOL.finditer(norm)
        if m.group("sym") not in _NOT_TICKERS
    ]
    found += [
        _Ticker(m.start("name"), m.end("name"), sent[m.start("name") : m.end("name")], False)
        for m in _COMPANY_ZH.finditer(norm)
    ]
    return _dedupe(found)


def _dedupe(tickers: list[_Ticker]) -> list[_Ticker]:
    """Sorted, without tickers inside a longer one ("SPY" inside "(SPY)", "S&P 500" inside its index name)."""
    tickers.sort(key=lambda t: (t.start, -t.end))
    kept: list[_Ticker] = []
    for t in tickers:
        if kept and t.start < kept[-1].end:
            if t.explicit and not kept[-1].explicit:
                kept[-1] = t
            continue
        kept.append(t)
    return kept


def _market(sent: str, cands: list[_Cand], i: int, tickers: list[_Ticker], zh: bool) -> None:
    """Make ``cands[i]`` a market move when a change word and a ticker (or shares, an index) go with it."""
    c = cands[i]
    if c.kind not in ("percent", "points") or c.unit not in ("%", "points"):
        return
    prev = cands[i - 1] if i else None
    linked = prev is not None and prev.kind == "market" and _linked(sent, prev, c, zh)
    window = sent[max(prev.end if prev else 0, c.start - 40) : c.start]
    if _GROWTH.search(window) if zh else _GROWTH.match(sent, c.end):
        return  # "+22.3% y/y", "同比增长": a company's results, not its share price
    as_noun = None if zh else _AFTER_CUE_EN.match(sent, c.end)
    change = c.sign or _change(window, as_noun, zh) or (prev.change if linked and prev else None)
    if change is None:
        return
    ticker = _pick_ticker(sent, cands, i, tickers, zh, after=as_noun is not None)
    if ticker is None and linked and prev is not None:
        ticker = prev.ticker
    words = _MARKET_WORDS_ZH if zh else _MARKET_WORDS_EN
    if ticker is None and not words.search(window) and not linked:
        return
    c.kind, c.ticker, c.change, c.value = "market", ticker, change, abs(c.value)


def _change(window: str, as_noun: re.Match[str] | None, zh: bool) -> str | None:
    if zh:
        cues = list(_CUE_ZH.finditer(window))
        return ("up" if cues[-1].group("up") else "down") if cues else None
    for word in reversed(_CUE_EN.findall(window)[-6:]):
        low = word.lower()
        if low in _UP_EN or low in _DOWN_EN:
            return "up" if low in _UP_EN else "down"
    return ("up" if as_noun.group("up") else "down") if as_noun else None


def _linked(sent: str, a: _Cand, b: _Cand, zh: bool) -> bool:
    """Whether only a connective stands between two figures ("15% and 19%", "由20%降至10%")."""
    gap = sent[a.end : b.start]
    return len(gap) < 16 and bool((_GAP_ZH if zh else _GAP_EN).match(gap))


def _pick_ticker(
    sent: str, cands: list[_Cand], i: int, tickers: list[_Ticker], zh: bool, after: bool
) -> str | None:
    """The ticker before the move; one after it only for a move told as a noun ("a 36% gain for MCHI")."""
    c = cands[i]
    group = _group(sent, cands, i, zh)
    first, last = cands[group[0]], cands[group[-1]]
    lo = cands[group[0] - 1].end if group[0] else 0
    if len(group) > 1 and _RESPECTIVELY.match(sent, last.end):
        named = [t.name for t in tickers if lo <= t.start and t.end <= first.start]
        if len(named) != len(group) and not zh:  # bare symbols: "URA and QQQ are up 22% and 11%"
            named = [
                m.group() for m in _CAPS.finditer(sent, lo, first.start) if m.group() not in _NOT_TICKERS
            ]
        if len(named) == len(group):
            return named[group.index(i)]  # "SPY and QQQ are up 15% and 19%, respectively"
    before = [t for t in tickers if (cands[i - 1].end if i else 0) <= t.start and t.end <= c.start]
    explicit = [t for t in before if t.explicit]
    if before:
        return (explicit or before)[-1].name
    bare = None if zh else _BARE_TICKER.search(sent, max(0, c.start - 60), c.start)
    if bare and bare.group(1) not in _NOT_TICKERS:
        return bare.group(1)  # "SPY up 0.04%", "MCHI +36% year to date"
    if not after:
        return None
    hi = cands[i + 1].start if i + 1 < len(cands) else len(sent)
    later = [t for t in tickers if c.end <= t.start and t.end <= min(hi, c.end + 80)]
    explicit = [t for t in later if t.explicit]
    return (explicit or later)[0].name if later else None


def _group(sent: str, cands: list[_Cand], i: int, zh: bool) -> list[int]:
    lo = hi = i
    while lo and _linked(sent, cands[lo - 1], cands[lo], zh):
        lo -= 1
    while hi + 1 < len(cands) and _linked(sent, cands[hi], cands[hi + 1], zh):
        hi += 1
    return list(range(lo, hi + 1))


# --------------------------------------------------------------------------- English amounts

_EN_ONES = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_EN_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen"]
_EN_SMALL = {w: i for i, w in enumerate([*_EN_ONES, *_EN_TEENS, "nineteen"], start=1)}
_EN_TENS = {
    w: 10 * i
    for i, w in enumerate(["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"], 2)
}
_WORD_NUM = "|".join(
    [f"(?:{'|'.join(_EN_TENS)})(?:-(?:{'|'.join(_EN_ONES)}))?", *sorted(_EN_SMALL, key=len, reverse=True)]
)
_NUMBER_BODY = (
    rf"(?:(?P<digits>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)|(?i:(?P<words>{_WORD_NUM}))\b)"
    r"(?![.,:/]?\d)(?!-[A-Za-z])(?!(?:st|nd|rd|th)\b)"
)
_NUMBER_AT = re.compile(_NUMBER_BODY)
# Where numbers may start. Scanning for digits, and for number words only in sentences that contain
# one, is several times faster than one pattern with look-behinds and case-insensitive words.
_DIGIT_RUN = re.compile(r"\d[\d,.]*")
_WORD_START = re.compile(rf"\b(?:{_WORD_NUM})", re.IGNORECASE)
_WORD_HINTS = (
    *_EN_ONES[2:],
    *_EN_TENS,
    "ten",
    "eleven",
    "twelve",
    "teen",
    "illion",
    "thousand",
    "third",
    "quarter",
    "fifth",
)
_ISO_GLUED = ("RMB", "USD", "HKD", "EUR", "CNY")
_RANGE_GLUE = re.compile(r"\s?[-–]\s?(?=\d)")
_FRACTION = re.compile(r"(?i)(one|two|three|four)[- ](third|quarter|fifth)s?\b(?=\s+of\b)")
_FRACTIONS = {"third": 1 / 3, "quarter": 1 / 4, "fifth": 1 / 5}
_SCALE_EN = re.compile(
    r"(?i)(?:\s?(?P<w>thousand|million|billion|trillion)|\s?(?P<a>bn|mn|mln|bln|tn|trn)|(?P<s>[mbkt]))\b"
)
_SCALES = {
    **dict.fromkeys(["k", "thousand"], 1e3),
    **dict.fromkeys(["m", "mn", "mln", "million"], 1e6),
    **dict.fromkeys(["b", "bn", "bln", "billion"], 1e9),
    **dict.fromkeys(["t", "tn", "trn", "trillion"], 1e12),
}
_EN_UNITS: tuple[tuple[str, str, str], ...] = (
    (r"%|per[ -]?cent\b|pct\b", "percent", "%"),
    (r"percentage[- ]points?\b|ppts?\b|pp\b", "percent", "pp"),
    (r"basis[- ]points?\b|bps?\b", "percent", "bp"),
    (r"barrels?\s(?:per|a)\sday\b|b/d\b|bpd\b", "quantity", "bbl/d"),
    (r"(?:metric\s)?(?:tonnes|tons|tonne|ton)\b", "quantity", "t"),
    (r"barrels?\b|bbl\b", "quantity", "bbl"),
    (r"bushels?\b", "quantity", "bu"),
    (r"(?:kilogram(?:me)?s?|kg)\b", "quantity", "kg"),
    (r"km/h|kph\b|(?:kilomet(?:re|er)s|km)\s(?:per|an)\shour\b", "quantity", "km/h"),
    (r"m/s|met(?:re|er)s\sper\ssecond\b", "quantity", "m/s"),
    (r"mph\b|miles\sper\shour\b", "quantity", "mph"),
    (r"square\s(?:kilomet(?:re|er)s|km)\b|sq\skm\b|km2\b", "quantity", "km2"),
    (r"kilomet(?:re|er)s?\b|km\b", "quantity", "km"),
    (r"miles?\b", "quantity", "mi"),
    (r"millimet(?:re|er)s?\b|mm\b", "quantity", "mm"),
    (r"centimet(?:re|er)s?\b|cm\b", "quantity", "cm"),
    (r"cubic\smet(?:re|er)s?\b", "quantity", "m3"),
    (r"met(?:re|er)s?\b", "quantity", "m"),
    (r"hectares?\b", "quantity", "ha"),
    (r"acres?\b", "quantity", "acre"),
    (r"megawatts?\b|MW\b", "quantity", "MW"),
    (r"gigawatts?\b|GW\b", "quantity", "GW"),
    (r"kilowatt[- ]hours?\b|kWh\b", "quantity", "kWh"),
    (r"terawatt[- ]hours?\b|TWh\b", "quantity", "TWh"),
    (r"bcm\b", "quantity", "bcm"),
    (r"lit(?:re|er)s?\b", "quantity", "L"),
    (r"gallons?\b", "quantity", "gal"),
    (r"degrees\sCelsius\b|°C", "quantity", "°C"),
    (r"points?\b", "points", "points"),
    (r"(?:Hong\sKong|HK)\sdollars?\b", "money", "HKD"),
    (r"(?:New\s)?Taiwan\sdollars?\b", "money", "TWD"),
    (r"(?:US\s)?dollars?\b", "money", "USD"),
    (r"euros?\b", "money", "EUR"),
    (r"yuan\b|renminbi\b", "money", "CNY"),
    (r"yen\b", "money", "JPY"),
    (r"pounds?\b(?!\s+of\b)|sterling\b", "money", "GBP"),
    (r"won\b", "money", "KRW"),
    (r"rupees?\b", "money", "INR"),
    (r"ringgit\b", "money", "MYR"),
    (r"r[ou]bles?\b", "money", "RUB"),
    (r"(?:Swiss\s)?francs?\b", "money", "CHF"),
)
_UNIT_EN = re.compile(
    r"(?i)\s?(?:" + "|".join(f"(?P<u{i}>{p})" for i, (p, _, _) in enumerate(_EN_UNITS)) + ")"
)
_CURRENCY_BEFORE = re.compile(
    r"(?:(?<![A-Za-z])(?P<d>US|HK|NT|S|A|C|CA|NZ|R)?\$|(?P<sym>[€£¥₹₩])"
    r"|\b(?P<iso>USD|EUR|GBP|JPY|CNY|RMB|HKD|TWD|KRW|INR)\s?)\Z"
)
_DOLLARS = {
    **dict.fromkeys([None, "US"], "USD"),
    **dict.fromkeys(["C", "CA"], "CAD"),
    **{"HK": "HKD", "NT": "TWD", "S": "SGD", "A": "AUD", "NZ": "NZD", "R": "BRL"},
}
_SYMBOLS = {"€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW"}
_PREV_WORD = re.compile(r"([A-Za-z][\w&.'’-]*)\s+\Z")
_NEXT_WORD = re.compile(r"[ \t]+([A-Za-z][A-Za-z'’-]*)")
_YEAR = re.compile(r"(?:19|20)\d\d")

_HUMANS = _words(
    """people persons workers employees staff residents soldiers troops civilians passengers students
    children adults migrants refugees tourists visitors nationals citizens protesters demonstrators
    suspects victims survivors patients voters respondents delegates officials members farmers police
    officers journalists doctors nurses teachers lawmakers crew personnel evacuees inmates prisoners
    fighters militants hostages pilgrims athletes fans customers women men"""
)
_NOT_COUNTED = _words(
    """years months weeks days hours minutes seconds decades centuries times nights mornings evenings
    weekends percent points cents comments likes views replies reposts retweets others ones"""
)
_IRREGULAR_PLURAL = _words("people children men women police personnel staff cattle aircraft crew livestock")
_LEADING_OK = _words("about some nearly almost around over more at only just roughly approximately the")
_MONTHS = _words(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec"""
)


def _en_amounts(sent: str) -> list[_Cand]:
    cands: list[_Cand] = []
    skip_to = 0
    for start in _number_starts(sent):
        if start < skip_to or _glued(sent, start):
            continue
        fraction = _FRACTION.match(sent, start)
        if fraction:
            cands.append(_fraction(fraction))
            continue
        m = _NUMBER_AT.match(sent, start)
        if m is None:
            continue
        glue = _RANGE_GLUE.match(sent, m.end())
        pair = _en_range(sent, m, glue.end()) if glue else None
        if pair:
            cands.extend(pair)
            skip_to = pair[1].end
            continue
        c = _en_amount(sent, m)
        if c is not None:
            cands.append(c)
    return sorted(cands, key=lambda c: c.start)


def _number_starts(sent: str) -> list[int]:
    starts = [m.start() for m in _DIGIT_RUN.finditer(sent)]
    low = sent.lower()
    if any(hint in low for hint in _WORD_HINTS):
        starts = sorted(starts + [m.start() for m in _WORD_START.finditer(sent)])
    return starts


def _glued(sent: str, start: int) -> bool:
    """Part of a word or of another number: "G-7", "YU7", "v2.1", "10:30", "#3" (but "RMB113bn" is money)."""
    prev = sent[start - 1] if start else " "
    if prev.isalnum() or prev in "_.,:/#&":
        return not (sent[max(0, start - 3) : start] in _ISO_GLUED and sent[start].isdigit())
    return prev == "-" and start > 1 and (sent[start - 2].isalnum() or sent[start - 2] == "_")


def _fraction(m: re.Match[str]) -> _Cand:
    num = _EN_SMALL[m.group(1).lower()]
    return _Cand(m.start(), m.end(), "percent", 100 * num * _FRACTIONS[m.group(2).lower()], "%")


def _number(m: re.Match[str]) -> float:
    digits, words = m.group("digits"), m.group("words")
    if digits:
        return float(digits.replace(",", ""))
    tens, _, ones = words.lower().partition("-")
    return float(_EN_TENS[tens] + _EN_SMALL.get(ones, 0)) if tens in _EN_TENS else float(_EN_SMALL[tens])


def _en_amount(sent: str, m: re.Match[str], currency_hint: str | None = None) -> _Cand | None:
    value = _number(m)
    start, end = m.start(), m.end()
    cur = _CURRENCY_BEFORE.search(sent, max(0, start - 4), start) if m.group("digits") else None
    currency = _currency(cur) if cur else currency_hint
    scale = _SCALE_EN.match(sent, end)
    if scale and (scale.group("s") is None or currency):
        value *= _SCALES[scale.group(scale.lastgroup or "w").lower()]
        end = scale.end()
    unit = _UNIT_EN.match(sent, end)
    kind, unit_name = _EN_UNITS[int(unit.lastgroup[1:])][1:] if unit and unit.lastgroup else ("", "")
    if currency and kind != "money":
        kind, unit_name = "money", currency
    elif unit:
        end = unit.end()
    if unit_name == "KRW" and not scale:
        return None  # "won" is a verb far more often than a currency without "billion"
    if cur:
        start = cur.start()
    if kind:
        if m.group("words") and kind != "money" and not scale:
            return None  # "one point", "three percent": rare as figures, common as words
        return _signed(_Cand(start, end, kind, value, unit_name, sign=_sign(sent, m.start())))
    if end < len(sent) and sent[end].isalpha():
        return None  # "5G", "3D"
    return _count(sent, m, value, end, bool(scale))


def _currency(m: re.Match[str]) -> str:
    if m.group("iso"):
        return "CNY" if m.group("iso") == "RMB" else m.group("iso")
    if m.group("sym"):
        return _SYMBOLS[m.group("sym")]
    return _DOLLARS[m.group("d")]


def _sign(sent: str, start: int) -> str | None:
    if start and sent[start - 1] in "+-−" and (start < 2 or not sent[start - 2].isalnum()):
        return "up" if sent[start - 1] == "+" else "down"
    return None


def _signed(c: _Cand) -> _Cand:
    """The sign joins the span; a negative rate stays negative ("-0.1%"), a market move turns positive."""
    if c.sign is not None:
        c.start -= 1
    if c.sign == "down":
        c.value = -c.value
    return c


def _en_range(sent: str, m: re.Match[str], pos: int) -> tuple[_Cand, _Cand] | None:
    """Both endpoints of "10-15%" or "$1-2 billion": the first borrows the second's unit and scale."""
    m2 = _NUMBER_AT.match(sent, pos)
    if not m2 or not m.group("digits") or not m2.group("digits"):
        return None
    cur = _CURRENCY_BEFORE.search(sent, max(0, m.start() - 4), m.start())
    second = _en_amount(sent, m2, _currency(cur) if cur else None)
    if second is None or second.kind == "count":
        return None
    scale = second.value / _number(m2)
    first = _Cand(cur.start() if cur else m.start(), m.end(), second.kind, _number(m) * scale, second.unit)
    first.partner = second
    return first, second


def _count(sent: str, m: re.Match[str], value: float, end: int, scaled: bool) -> _Cand | None:
    """``3,000 workers``, ``three Chinese nationals``: a number and a plural noun, maybe with modifiers."""
    if m.group("words") and value < 3 and not scaled:
        return None  # "two leaders", "one month": articles, not figures
    if m.group("digits") and _YEAR.fullmatch(m.group("digits")):
        return None
    prev = _PREV_WORD.search(sent, max(0, m.start() - 40), m.start())
    if prev and prev.group(1)[0].isupper() and prev.group(1).lower() not in _LEADING_OK:
        return None  # a name: "Fortune 500 companies", "Section 301 tariffs", "Photo 3"
    if prev and prev.group(1).lower().rstrip(".") in _MONTHS:
        return None
    pos, first = end, None
    for _ in range(3):
        w = _NEXT_WORD.match(sent, pos)
        if not w or w.group(1).lower() in _STOP:
            return None
        first = w.start(1) if first is None else first
        word = w.group(1)
        if word.isupper() and len(word) > 1:
            return None  # a model name: "737 MAX"
        if word[0].islower() and _plural(word):
            if word in _NOT_COUNTED:
                return None
            unit = "people" if word in _HUMANS or word.endswith(("ists", "ians")) else word
            return _Cand(m.start(), w.end(1), "count", value, unit, what=(first, w.end(1)))
        if word[0].islower() and not _nouny(word):
            return None
        pos = w.end()
    return None


def _plural(word: str) -> bool:
    if word in _IRREGULAR_PLURAL:
        return True
    return word.endswith("s") and not word.endswith(("ss", "us", "is", "ics")) and len(word) > 3


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


# --------------------------------------------------------------------------- English: what is quantified

_TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|[A-Za-z]+\d[\w-]*|[A-Za-z][A-Za-z'’-]*|\d[\d,.]*\d|\d|[^\sA-Za-z\d]")
_STOP = _words(
    """the a an this that these those its their his her our your my some any all each every both either
    neither no not another other such of on in at by for to from with into onto over under about against
    between among through during before after since until than as per via within without near past beyond
    toward towards and or but nor so yet if while when where which who whom whose what is are was were be
    been being am will would could can may might shall should must has have had do does did said says say
    told tell think thinks see sees saw seen expect expects want wants plan plans need needs make makes
    made take takes took taken get gets got give gives gave given go goes went gone come comes came put
    keep kept hold held find found become became begin began run ran rose fell grew jumped climbed dropped
    declined slid slipped sank surged soared rallied lost shed remain remains stood reach reaches reached
    raise raises boost boosts lift lifts reduce reduces spend spends spent pay pays paid buy buys bought
    sell sells sold invest invests impose imposes hand hands offer offers wrote written led brought left
    up down out off higher lower more less most least much many very also just only still even already
    now then there here respectively including according following excluding regarding year years month
    months week weeks day days today yesterday tomorrow tonight ago earlier later last next it they he
    she we you i them us him me buying purchasing selling making taking paying bringing adding reaching
    cutting raising imposing starting costing double triple halve year-on-year year-to-date yoy cannot
    can't won't don't"""
)
# Walked over, right to left, between an amount and the noun it belongs to.
_SKIP_BACK = _words(
    """about around nearly almost roughly approximately some just only over under more less fewer than
    least at most up down to by of from between and or a an the another additional extra further as
    exceeding above below past near close topping reaching totaling totalling worth hit hits estimated
    record now already still also currently be been being is are was were will would could can may might
    should must has have had stood stands rose fell grew jumped climbed dropped declined increased
    decreased rise rises fall falls grow grows jump jumps climb climbs drop drops gain gains gained lost
    lose slid slide slip slipped sank surged soared eased ease cut cuts raise raises lower reduce hike set
    impose halved doubled tripled double triple halve expect expects forecast forecasts projected
    amounting came comes starting beginning priced valued costing earlier ago year previously in on
    january february march april june july august september october november december monday tuesday
    wednesday thursday friday saturday sunday jumping rising falling climbing dropping sliding gaining
    losing surging soaring declining growing slipping tumbling plunging"""
)
_ED_NOUNS = _words("speed feed seed breed greed hundred")
_LY_NOUNS = _words("supply family assembly rally monopoly anomaly ally")
_ACRONYM_HEADS = _words("GDP CPI PPI PMI FDI EVs")
_PP = _words("of on for against to from with in into near")
_DETERMINERS = _words("the a an its their his her our all this that these those")
_CHANGE_NOUNS = _words("cut increase rise drop decline gain fall jump reduction hike slide surge")


def _nouny(word: str) -> bool:
    low = word.lower()
    if low in _STOP or not word[0].isalpha() or len(word) < 2:
        return False
    if low.endswith("ed") and low not in _ED_NOUNS:
        return False
    return not (low.endswith("ly") and low not in _LY_NOUNS)


def _en_sentence(sent: str, symbols: frozenset[str]) -> list[_Cand]:
    cands = _en_amounts(sent)
    if not cands:
        return []
    tickers = _en_tickers(sent, symbols)
    masked = [(t.start, t.end) for t in tickers]
    cands = [c for c in cands if not _overlaps(c.start, c.end, masked)]  # "S&P 500", "CAC 40"
    if not cands:
        return []
    toks = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(sent)]
    starts = [t[0] for t in toks]
    owner: list[int | None] = [None] * len(toks)
    for i, c in enumerate(cands):
        for j in range(bisect_left(starts, c.start), bisect_left(starts, c.end)):
            owner[j] = i
    for i, c in enumerate(cands):
        _market(sent, cands, i, tickers, zh=False)
        if c.kind != "market" and c.what is None and c.partner is None:
            c.what = _en_what(toks, starts, owner, cands, i)
    return _finish(cands)


def _finish(cands: list[_Cand]) -> list[_Cand]:
    """Ranges share their ``what``; a bare quantity takes the previous one's of the same unit."""
    for c in cands:
        if c.partner is not None and c.kind != "market":
            c.what = c.partner.what
    for i, c in enumerate(cands):
        if c.what is None and c.kind == "quantity":
            same = [p for p in cands[:i] if p.unit == c.unit and p.what is not None]
            c.what = same[-1].what if same else None
    return [c for c in cands if c.kind != "points"]


def _en_what(
    toks: list[tuple[int, int, str]], starts: list[int], owner: list[int | None], cands: list[_Cand], i: int
) -> tuple[int, int] | None:
    """What ``cands[i]`` quantifies: after "of", right after the amount, else before it."""
    c = cands[i]
    after = bisect_left(starts, c.end)
    of = after + 1 if _low(toks, after) == "worth" else after  # "$2.5 billion worth of orders"
    if _low(toks, of) == "of":
        return _np_forward(toks, of + 1)
    np = _np_forward(toks, after, direct=True)
    if np is not None:
        k = bisect_left(starts, np[1])
        if toks[k - 1][2].lower() in _CHANGE_NOUNS and _low(toks, k) in ("in", "of", "on"):
            return _np_forward(toks, k + 1) or np  # "a 10% cut in duties"
        return np
    if c.kind == "money" and _low(toks, after) in ("in", "on", "for"):
        np = _np_forward(toks, after + 1)
        if np is not None:
            return np
    return _np_backward(toks, owner, cands, bisect_left(starts, c.start) - 1)


def _low(toks: list[tuple[int, int, str]], j: int) -> str:
    return toks[j][2].lower() if 0 <= j < len(toks) else ""


def _np_forward(toks: list[tuple[int, int, str]], j: int, direct: bool = False) -> tuple[int, int] | None:
    if not direct:
        while j < len(toks) and toks[j][2].lower() in _DETERMINERS:
            j += 1
    words: list[int] = []
    while j < len(toks) and len(words) < 4 and (_nouny(toks[j][2]) or toks[j][2][0].isupper()):
        if toks[j][2].lower() in _STOP:
            break
        words.append(j)
        j += 1
    return _tail(toks, words)


def _np_backward(
    toks: list[tuple[int, int, str]], owner: list[int | None], cands: list[_Cand], j: int
) -> tuple[int, int] | None:
    for _ in range(6):
        if j < 0:
            return None
        low = toks[j][2].lower()
        if owner[j] is not None:
            return cands[owner[j]].what  # chained: "from 57% to 47%"
        if low == ":":
            j -= 1
            continue  # "Revenue: RMB113.1bn"
        if low in (",", "(") and j and owner[j - 1] is not None:
            return cands[owner[j - 1]].what  # "..., up 80.9%", "5 trillion yen ($33 billion)"
        if low in _SKIP_BACK or (low.endswith(("ed", "ly")) and not _nouny(low)) or _as_high_as(toks, j):
            j -= 1
            continue
        break
    words = _collect_back(toks, j)
    k = words[0] - 1 if words else -1
    while k > 0 and toks[k][2].lower() in _DETERMINERS:
        k -= 1
    if k >= 1 and toks[k][2].lower() in _PP:
        earlier = _collect_back(toks, k - 1)
        if _tail(toks, earlier) is not None:
            words = earlier  # the head of "tariffs on Chinese goods" is "tariffs"
    return _tail(toks, words)


def _as_high_as(toks: list[tuple[int, int, str]], j: int) -> bool:
    return toks[j][2].lower() in ("high", "low", "much", "many") and j > 0 and toks[j - 1][2].lower() == "as"


def _collect_back(toks: list[tuple[int, int, str]], j: int) -> list[int]:
    words: list[int] = []
    while j >= 0 and len(words) < 3 and toks[j][2][0].isalpha() and toks[j][2].lower() not in _STOP:
        if not (_nouny(toks[j][2]) or toks[j][2][0].isupper()):
            break
        words.insert(0, j)
        j -= 1
    return words


def _tail(toks: list[tuple[int, int, str]], words: list[int]) -> tuple[int, int] | None:
    """The common-noun end of a phrase, at most two words: "U.S. soybeans" -> soybeans."""
    kept: list[int] = []
    for j in reversed(words):
        w = toks[j][2]
        initial = j == 0 and not w.endswith(("'s", "’s"))
        if len(kept) == 2 or not (w[0].islower() or w in _ACRONYM_HEADS or initial):
            break
        kept.insert(0, j)
    if not kept or (words and kept[-1] != words[-1]):
        return None
    return toks[kept[0]][0], toks[kept[-1]][1]


# --------------------------------------------------------------------------- Chinese

# One-to-one traditional -> simplified for the characters the rules read; offsets stay valid.
_T2S = str.maketrans(
    "關稅軍進營淨潤額價貿幣噸萬億個點輛將為達漲東資總銷產貸債預業務數員國門檻險糧種際場並與從對於歐鎊韓圓"
    "臺灣盧區錢虧損運們這徵條項鐘時週歲號單隻頭間標準經濟廠車長減調約僅兩畝訂鎖導艦機飛彈補貼匯購買賣財擊"
    "傷災難戶統計權參議選舉黨銀證滬創恆納瓊綜領華僑眾觀遊學師醫護兒隊殺雙邊貨農魚礦氣電動簽協紀錄漁費級歷"
    "裡釐陸續規劃設倫專",
    "关税军进营净润额价贸币吨万亿个点辆将为达涨东资总销产贷债预业务数员国门槛险粮种际场并与从对于欧镑韩圆"
    "台湾卢区钱亏损运们这征条项钟时周岁号单只头间标准经济厂车长减调约仅两亩订锁导舰机飞弹补贴汇购买卖财击"
    "伤灾难户统计权参议选举党银证沪创恒纳琼综领华侨众观游学师医护儿队杀双边货农鱼矿气电动签协纪录渔费级历"
    "里厘陆续规划设伦专",
)
# Longest first: the alternation takes the first that fits ("个百分点" before "个", "元人民币" before "元").
_ZH_UNITS = _table(
    """个百分点:percent:pp 个基点:percent:bp 基点:percent:bp %:percent:% ％:percent:%
    元人民币:money:CNY 人民币:money:CNY 美元:money:USD 美金:money:USD 日元:money:JPY 日圆:money:JPY
    欧元:money:EUR 英镑:money:GBP 港元:money:HKD 港币:money:HKD 韩元:money:KRW 新台币:money:TWD
    台币:money:TWD 卢布:money:RUB 澳元:money:AUD 加元:money:CAD 卢比:money:INR 元:money:CNY
    吨:quantity:t 桶:quantity:bbl 蒲式耳:quantity:bu 公斤:quantity:kg 千克:quantity:kg
    立方米:quantity:m3 平方公里:quantity:km2 公里:quantity:km 千米:quantity:km 毫米:quantity:mm
    厘米:quantity:cm 米/秒:quantity:m/s 米:quantity:m 兆瓦:quantity:MW 吉瓦:quantity:GW
    千瓦时:quantity:kWh 千瓦:quantity:kW 公顷:quantity:ha 亩:quantity:mu 人次:count:people
    名:count:people 人:count:people 位:count:people 股:count:shares 点:points:points"""
) + tuple((cl, "count", cl) for cl in "艘架辆台枚家座所头只部件个款项起")
_ZH_UNIT_OF = {u: (k, n) for u, k, n in _ZH_UNITS}
_ZH_NUMERAL = "零〇一二两三四五六七八九十百千"
_NUMBER_ZH = re.compile(
    rf"百分之(?P<pct>\d+(?:\.\d+)?|[{_ZH_NUMERAL}]+(?:点[零〇一二三四五六七八九]+)?)"
    rf"|(?<![A-Za-z0-9.第])(?P<num>\d+(?:,\d{{3}})*(?:\.\d+)?|[{_ZH_NUMERAL}]+(?:点[零〇一二三四五六七八九]+)?)"
    r"(?P<scale>[十百千万亿]*)(?:多|余)?"
    rf"(?P<unit>{'|'.join(re.escape(u) for u, _, _ in _ZH_UNITS)})"
    r"(?!月|小时|钟|星期|季度|年|天|周|岁|世纪|工作日|数|倍)"
)
_ZH_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_ZH_MULT = {"十": 10, "百": 100, "千": 1000, "万": 1e4, "亿": 1e8}
# Classifiers that count things when the number is written in characters; "三个方面" is rhetoric.
_ZH_CONCRETE = frozenset("名人位艘架辆台枚家座所")
_ZH_LEXICON = _words(
    """关税 税率 关税税率 反补贴税 反倾销税 大豆 玉米 小麦 猪肉 牛肉 原油 石油 天然气 稀土 芯片 粮食 水产品
    收入 营收 营业收入 利润 净利润 毛利 毛利率 出口 进口 出口额 进口额 贸易额 顺差 逆差 投资 外资 融资 贷款
    债务 赤字 预算 支出 军费 军售 援助 罚款 补贴 订单 锁单 大定 销量 交付量 产量 日产量 产能 市值 股价 价格
    售价 房价 油价 金价 利率 汇率 收益率 失业率 通胀率 增长率 增速 人口 人数 伤亡 死亡人数 降雨量 雨量 风速
    金额 总额 规模 资金 基金 门槛 比例 占比 份额 准备金率 工人 员工 公民 居民 民众 游客 乘客 学生 儿童 士兵
    军人 代表 国家 企业 公司 航班 船只 渔船 军舰 战机 飞机 导弹 车辆 汽车 新车 房屋 裁员 受访者 岗位 人员
    调查人员 嫌疑人 航天员 宇航员 太空人 大学生 省份 城市 议席 席位 交付 交付目标 目标 收益 经营收益 估值 价值
    费用 成本 销售额 成交额 营业额 里程 续航里程 风暴潮 珠宝 文物 票 选票 进口量 出口量 总投资 外汇储备 媒体
    机构 银行 车企"""
)
_ZH_LINKS = sorted(
    _words(
        """分别为 分别是 分别 约为 约合 大约 高达 达到 超过 突破 不足 接近 将近 同比 环比 增长 下降 上涨 下跌
    减少 增加 提高 降低 下调 上调 提升 降至 升至 增至 减至 跌至 涨至 调至 提高到 共计 总计 合计 累计 最高
    最低 仅 约 为 达 逾 超 近 至 到 由 从 是 了 共 已 将 占 较 比 有 的 额外 加征 征收 再 每年 每日 今年
    去年 全年 采购 购买 多 即 可达 实现 每小时 时速 最高达 最 名义 实际"""
    ),
    key=len,
    reverse=True,
)
_ZH_CLAUSE = re.compile(r"[，,。；;：:！？!?、“”「」（）()\s]")
_ZH_RUN_STOP = re.compile(r"[\d的和与及、，,。；;：:！？!?并或而但在将从给以于是了也都就还又被把让使用\s]")
_ZH_COUNTRIES = ("美国", "中国", "日本", "韩国", "欧盟", "欧洲", "俄罗斯", "英国", "德国", "法国")
_ASCII_TAIL = re.compile(r"[A-Za-z]+\Z")


def _zh_sentence(sent: str) -> list[_Cand]:
    norm = sent.translate(_T2S)
    tickers = _zh_tickers(sent, norm)
    masked = [(t.start, t.end) for t in tickers if not t.explicit]
    cands = [c for m in _NUMBER_ZH.finditer(norm) if (c := _zh_amount(norm, m, masked)) is not None]
    for i, c in enumerate(cands):
        _market(norm, cands, i, tickers, zh=True)
        if c.kind != "market":
            c.what = _zh_what(norm, cands, i)
    return _finish(cands)


def _zh_amount(norm: str, m: re.Match[str], masked: list[tuple[int, int]]) -> _Cand | None:
    if _overlaps(m.start(), m.end(), masked):
        return None
    if m.group("pct"):
        return _Cand(m.start(), m.end(), "percent", _zh_number(m.group("pct")), "%")
    num, unit = m.group("num"), m.group("unit")
    kind, unit_name = _ZH_UNIT_OF[unit]
    value = _zh_number(num)
    for ch in m.group("scale"):
        value *= _ZH_MULT[ch]
    if kind == "count" and not num[0].isdigit() and (value < 3 or num in "百千" or unit not in _ZH_CONCRETE):
        return None  # "一位分析师", "两名", "百家争鸣", "三个方面": like "two leaders" in English
    if unit_name == "km" and norm[max(0, m.start() - 3) : m.start()].endswith(("时速", "每小时")):
        unit_name = "km/h"
    start = m.start() - 3 if norm[max(0, m.start() - 3) : m.start()] == "人民币" else m.start()
    return _signed(_Cand(start, m.end(), kind, value, unit_name, sign=_sign(norm, m.start())))


def _zh_number(num: str) -> float:
    if num[0].isdigit():
        return float(num.replace(",", ""))
    whole, _, decimals = num.partition("点")
    total, digit = 0.0, 0
    for ch in whole:
        if ch in _ZH_DIGITS:
            digit = _ZH_DIGITS[ch]
        else:
            total += (digit or 1) * _ZH_MULT[ch]
            digit = 0
    total += digit
    return total + (float("0." + "".join(str(_ZH_DIGITS[d]) for d in decimals)) if decimals else 0.0)


def _zh_what(norm: str, cands: list[_Cand], i: int) -> tuple[int, int] | None:
    """The noun after the amount ("1200万吨大豆", "100%的关税"), else the noun before it."""
    c = cands[i]
    pos = c.end
    for skip in ("以上", "以下", "左右", "的"):
        pos += len(skip) if norm.startswith(skip, pos) else 0
    run = norm[pos : pos + 8]
    stop = _ZH_RUN_STOP.search(run)
    run = run[: stop.start()] if stop else run
    for country in _ZH_COUNTRIES:
        if run.startswith(country) and len(run) > len(country) + 1:
            pos, run = pos + len(country), run[len(country) :]
    for size in range(min(len(run), 6), 1, -1):
        if any(run[size - k : size] in _ZH_LEXICON for k in range(2, size + 1)):
            return pos, pos + size  # "对台军售" ends with a known head, "军售"
    return _zh_before(norm, cands, i)


def _zh_before(norm: str, cands: list[_Cand], i: int) -> tuple[int, int] | None:
    c = cands[i]
    lo = cands[i - 1].end if i else 0
    tail = _strip_links(norm[lo : c.start])
    if i and not tail.strip("，,、和及与或 "):
        return cands[i - 1].what  # "由20%降至10%", "25.35万元、27.99万元"
    cut = max((m.end() for m in _ZH_CLAUSE.finditer(tail)), default=0)
    tail = _strip_links(tail[cut:])
    end = lo + cut + len(tail)
    ascii_word = _ASCII_TAIL.search(tail)
    if ascii_word:
        return end - len(ascii_word.group()), end  # "GDP增长5.2%"
    for size in range(min(len(tail), 6), 1, -1):
        if tail[-size:] in _ZH_LEXICON:
            return end - size, end
    return None


def _strip_links(tail: str) -> str:
    changed = True
    while changed and tail:
        changed = False
        for link in _ZH_LINKS:
            if tail.endswith(link):
                tail, changed = tail[: -len(link)], True
                break
    return tail
