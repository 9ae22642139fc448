"""Rule-based dates in Spanish, French, Italian, Portuguese and German.

What news in these languages uses to say *when*, with TIMEX3 values relative
to the publication date (the DCT):

- day and month, with or without a year and weekday: "el 25 de enero de 2011",
  "vendredi 11 février", "l'11 febbraio", "1º de março", "am 25. Januar";
  ranges give both ends ("del 25 al 28 de enero", "du 11 au 13 février");
- month and year ("febrero de 2011", "Januar 2011") and a month after a
  preposition ("en marzo", "im Februar"); a year after a preposition
  ("en 2011", "nel 2011");
- numeric dates, day first as these languages write them ("11/02/2011",
  "25.01.2011"), and ISO dates;
- yesterday/today/tomorrow words and their parts of day ("anoche", "ieri
  sera", "ce matin"), "N days ago" ("hace dos días", "il y a trois jours");
- weekdays: the most recent one (the DCT itself included) unless marked as
  past ("el lunes pasado": strictly before) or next ("lundi prochain").

A day and month without a year take the year that puts them closest to the
DCT. Without a DCT, relative expressions are skipped and a yearless day gets
"XXXX-MM-DD". Other languages go to the English and Chinese tagger.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from . import timex as timex_en
from .timex import Timex

__all__ = ["LANGS", "find_timexes"]


@dataclass(frozen=True, slots=True)
class _Lexicon:
    months: dict[str, int]
    abbrevs: dict[str, int]  # only trusted next to a day or a year number
    weekdays: dict[str, int]
    # word -> (days from the DCT, part of day or "")
    relative: dict[str, tuple[int, str]]
    past: tuple[str, ...]  # marks a weekday as the previous one
    next: tuple[str, ...]
    numbers: dict[str, int]
    ago: tuple[str, str]  # regex around "(?P<n>...) (?P<unit>...)": before, after
    units: dict[str, str]  # unit word -> day/week/month/year
    preps: tuple[str, ...]  # before a bare month
    year_preps: tuple[str, ...]  # before a bare year; few, as "hasta 2000 personas" is no year
    articles: tuple[str, ...]  # may stand between a weekday and its day ("jeudi le 3")
    future: str  # regex: future tense or a plan in the sentence, for a day written without its year


def _m(*names: str) -> dict[str, int]:
    """Month words in calendar order; "a|b" gives spellings of one month."""
    return {alt: n for n, name in enumerate(names, 1) for alt in name.split("|")}


def _w(*names: str) -> dict[str, int]:
    return {alt: n for n, name in enumerate(names) for alt in name.split("|")}


_LEXICONS: dict[str, _Lexicon] = {
    "es": _Lexicon(
        months=_m("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
                  "septiembre|setiembre", "octubre", "noviembre", "diciembre"),
        abbrevs=_m("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep|sept", "oct", "nov", "dic"),
        weekdays=_w(
            "lunes", "martes", "miércoles|miercoles", "jueves", "viernes", "sábado|sabado", "domingo"
        ),
        relative={
            "ayer": (-1, ""), "hoy": (0, ""), "mañana": (1, ""), "anteayer": (-2, ""),
            "antier": (-2, ""), "antes de ayer": (-2, ""), "anteanoche": (-2, "NI"),
            "pasado mañana": (2, ""), "anoche": (-1, "NI"), "esta mañana": (0, "MO"),
            "esta tarde": (0, "AF"), "esta noche": (0, "NI"), "ayer por la noche": (-1, "NI"),
        },
        past=("pasado", "pasada"), next=("próximo", "próxima", "proximo", "proxima"),
        numbers={"un": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
                 "ocho": 8, "nueve": 9, "diez": 10},
        ago=(r"hace\s+", ""),
        units={"día": "day", "días": "day", "dias": "day", "semana": "week", "semanas": "week",
               "mes": "month", "meses": "month", "año": "year", "años": "year"},
        preps=("en", "desde", "hasta", "durante", "para"),
        year_preps=("en", "desde"),
        articles=("el",),
        future=r"\b(?:\w+rán?|va[n]?\s+a|prev[ée]n?|previst[oa]s?|convocad[oa]s?)\b",
    ),
    "fr": _Lexicon(
        months=_m("janvier", "février|fevrier", "mars", "avril", "mai", "juin", "juillet", "août|aout",
                  "septembre", "octobre", "novembre", "décembre|decembre"),
        abbrevs=_m("janv", "févr|fév|fevr|fev", "", "avr", "", "", "juil", "", "sept", "oct", "nov",
                   "déc|dec"),
        weekdays=_w("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
        relative={
            "hier": (-1, ""), "aujourd'hui": (0, ""), "aujourd’hui": (0, ""), "demain": (1, ""),
            "avant-hier": (-2, ""), "après-demain": (2, ""), "hier soir": (-1, "EV"),
            "ce matin": (0, "MO"), "cet après-midi": (0, "AF"), "ce soir": (0, "EV"),
            "cette nuit": (0, "NI"),
        },
        past=("dernier", "dernière"), next=("prochain", "prochaine"),
        numbers={"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
                 "huit": 8, "neuf": 9, "dix": 10},
        ago=(r"il\s+y\s+a\s+", ""),
        units={"jour": "day", "jours": "day", "semaine": "week", "semaines": "week", "mois": "month",
               "an": "year", "ans": "year", "année": "year", "années": "year"},
        preps=("en", "depuis", "dès", "jusqu'en", "jusqu’en", "début", "fin", "mi"),
        year_preps=("en", "depuis"),
        articles=("le",),
        future=r"\b(?:\w\w+r(?:a|as|ai|ont)|doi(?:t|vent)|devrai(?:en)?t|va|vont|prévue?s?)\b",
    ),
    "it": _Lexicon(
        months=_m("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
                  "settembre", "ottobre", "novembre", "dicembre"),
        abbrevs=_m("gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set|sett", "ott", "nov", "dic"),
        weekdays=_w("lunedì|lunedi|lunedí", "martedì|martedi|martedí", "mercoledì|mercoledi|mercoledí",
                    "giovedì|giovedi|giovedí", "venerdì|venerdi|venerdí", "sabato", "domenica"),
        relative={
            "ieri": (-1, ""), "oggi": (0, ""), "domani": (1, ""), "l'altro ieri": (-2, ""),
            "l’altro ieri": (-2, ""), "altroieri": (-2, ""), "ieri l'altro": (-2, ""),
            "dopodomani": (2, ""), "ieri sera": (-1, "EV"), "ieri notte": (-1, "NI"),
            "stamattina": (0, "MO"), "stamani": (0, "MO"), "stasera": (0, "EV"), "stanotte": (0, "NI"),
            "oggi pomeriggio": (0, "AF"),
        },
        past=("scorso", "scorsa", "passato", "passata"), next=("prossimo", "prossima"),
        numbers={"un": 1, "uno": 1, "una": 1, "due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sei": 6,
                 "sette": 7, "otto": 8, "nove": 9, "dieci": 10},
        ago=("", r"\s+fa"),
        units={"giorno": "day", "giorni": "day", "settimana": "week", "settimane": "week", "mese": "month",
               "mesi": "month", "anno": "year", "anni": "year"},
        preps=("nel", "a", "dal", "fino a", "entro", "in", "di"),
        year_preps=("nel", "dal"),
        articles=("il", "lo"),
        future=r"\b(?:\w+rà|\w+ranno|dovrebbe(?:ro)?|previst[oaie])(?!\w)",
    ),
    "pt": _Lexicon(
        months=_m("janeiro", "fevereiro", "março|marco", "abril", "maio", "junho", "julho", "agosto",
                  "setembro", "outubro", "novembro", "dezembro"),
        abbrevs=_m("jan", "fev", "mar", "abr", "mai", "jun", "jul", "ago", "set", "out", "nov", "dez"),
        weekdays=_w("segunda-feira|segunda feira", "terça-feira|terça feira|terca-feira",
                    "quarta-feira|quarta feira", "quinta-feira|quinta feira", "sexta-feira|sexta feira",
                    "sábado|sabado", "domingo"),
        relative={
            "ontem": (-1, ""), "hoje": (0, ""), "amanhã": (1, ""), "amanha": (1, ""), "anteontem": (-2, ""),
            "depois de amanhã": (2, ""), "ontem à noite": (-1, "NI"), "esta manhã": (0, "MO"),
            "hoje de manhã": (0, "MO"), "esta tarde": (0, "AF"), "esta noite": (0, "NI"),
        },
        past=("passado", "passada"), next=("próximo", "próxima", "proximo", "proxima"),
        numbers={"um": 1, "uma": 1, "dois": 2, "duas": 2, "três": 3, "tres": 3, "quatro": 4, "cinco": 5,
                 "seis": 6, "sete": 7, "oito": 8, "nove": 9, "dez": 10},
        ago=(r"há\s+", r"(?:\s+atrás)?"),
        units={"dia": "day", "dias": "day", "semana": "week", "semanas": "week", "mês": "month",
               "meses": "month", "ano": "year", "anos": "year"},
        preps=("em", "desde", "até", "durante", "para"),
        year_preps=("em", "desde"),
        articles=("o", "a"),
        future=r"\b(?:\w+rá|\w+rão|vai|vão|previst[oa]s?)(?!\w)",
    ),
    "de": _Lexicon(
        months=_m("januar|jänner", "februar", "märz|maerz", "april", "mai", "juni", "juli", "august",
                  "september", "oktober", "november", "dezember"),
        abbrevs=_m("jan", "feb", "mär", "apr", "", "jun", "jul", "aug", "sep|sept", "okt", "nov", "dez"),
        weekdays=_w(
            "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag|sonnabend", "sonntag"
        ),
        relative={
            "gestern": (-1, ""), "heute": (0, ""), "morgen": (1, ""), "vorgestern": (-2, ""),
            "übermorgen": (2, ""), "gestern abend": (-1, "EV"), "heute morgen": (0, "MO"),
            "heute früh": (0, "MO"), "heute abend": (0, "EV"), "heute nacht": (0, "NI"),
            "letzte nacht": (-1, "NI"),
        },
        past=("letzten", "letzter", "vergangenen", "vergangener"),
        next=("nächsten", "nächster", "kommenden", "kommender"),
        numbers={"einem": 1, "einer": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6,
                 "sieben": 7, "acht": 8, "neun": 9, "zehn": 10},
        ago=(r"vor\s+", ""),
        units={"tag": "day", "tagen": "day", "woche": "week", "wochen": "week", "monat": "month",
               "monaten": "month", "jahr": "year", "jahren": "year"},
        preps=("im", "seit", "bis", "ab", "anfang", "ende", "mitte"),
        year_preps=("im jahr", "im jahre", "seit"),
        articles=("den",),
        future=r"\b(?:wird|werden|soll|sollen|geplant|plant|planen)\b",
    ),
}  # fmt: skip

LANGS = frozenset(_LEXICONS)


def _alt(words: object) -> str:
    """Regex alternation, longest first so "lunedì" wins over "lunedi" and phrases over their words."""
    items = sorted({w for w in words if w}, key=len, reverse=True)  # type: ignore[attr-defined]
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in items) + ")"


# "1er", "1º", "1°", "1o", German "25."; not part of a longer number or a decimal.
_DAY_NUM = r"(?<![\d.,/:])(?:[12]\d|3[01]|0?[1-9])(?:er|º|°|ª|o|\.)?"
_YEAR = r"(?:1[89]\d\d|20\d\d)(?!\d)|['’]\d\d(?!\d)"
_NUMERIC = re.compile(
    r"(?<![\d./-])(?P<d>[12]\d|3[01]|0?[1-9])(?P<sep>[./-])(?P<m>1[0-2]|0?[1-9])(?P=sep)"
    r"(?P<y>(?:19|20)\d\d|\d\d)(?![\d/-]|\.\d)"
)
_ISO = re.compile(r"(?<![\d-])(?P<y>(?:19|20)\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])(?![\d-])")
_PARTS = {"MO", "AF", "EV", "NI"}
_LETTERS = re.compile(r"[^\W\d_]+")

Handler = Callable[[re.Match[str], date | None], list[tuple[int, int, str]]]


@dataclass(frozen=True, slots=True)
class _Rules:
    lex: _Lexicon
    patterns: list[tuple[re.Pattern[str], Handler]]
    # Word -> the patterns that cannot match without one of these words nearby. They are run only
    # on the stretches around such words: a pattern opening with optional words is slow to try at
    # every position of a long text. Patterns no word triggers run on the whole text.
    triggers: dict[str, list[int]]


def _year(
    text: str | None,
    month: int,
    day: int,
    dct: date | None,
    *,
    weekday: int | None = None,
    ahead: bool | None = None,
) -> int | None:
    """The year written, else the one the context points to; None without a year or a DCT.

    A yearless day agrees with its weekday when it has one; otherwise it is the next such day
    when ``ahead`` (a plan, "el próximo 30 de junio") and, as news mostly reports what has
    happened, the last one on or before the DCT when not. ``ahead=None`` (a bare month) takes
    the closest.
    """
    if text:
        digits = text.lstrip("'’")
        if len(digits) == 2:
            # "del '43": the century that does not put the year after the DCT's.
            base = (dct.year if dct else 2000) // 100 * 100
            y = base + int(digits)
            return y - 100 if dct and y > dct.year else y
        return int(digits)
    if dct is None:
        return None
    options = []
    for y in (dct.year - 1, dct.year, dct.year + 1):
        try:
            options.append(date(y, month, day))
        except ValueError:  # 29 February
            continue
    if weekday is not None and any(d.weekday() == weekday for d in options):
        options = [d for d in options if d.weekday() == weekday]
    if ahead is None:
        chosen = min(options, key=lambda d: abs((d - dct).days), default=None)
    elif ahead:
        chosen = min((d for d in options if d >= dct), default=None)
    else:
        chosen = max((d for d in options if d <= dct), default=None)
    return chosen.year if chosen else None


def _sentence_around(text: str, start: int, end: int) -> str:
    """The stretch between the sentence ends around a match: where its tense cues are."""
    lo = max(text.rfind(c, 0, start) for c in ".!?\n")
    his = [i for i in (text.find(c, end) for c in ".!?\n") if i >= 0]
    return text[lo + 1 : min(his) if his else len(text)]


def _day_value(y: int | None, month: int, day: int) -> str | None:
    if y is None:
        return f"XXXX-{month:02d}-{day:02d}" if 1 <= day <= 31 else None
    try:
        return date(y, month, day).isoformat()
    except ValueError:
        return None


def _day_of(token: str) -> int:
    return int(re.match(r"\d+", token).group())  # type: ignore[union-attr]


@cache
def _rules(lang: str) -> _Rules:
    lex = _LEXICONS[lang]
    month_words = {**lex.months, **lex.abbrevs}
    mon_full = _alt(lex.months)
    # An abbreviation may take a full stop; a full name may not swallow one.
    mon_any = rf"(?:{mon_full}|{_alt(lex.abbrevs)}\.?)(?![^\W\d_])" if lex.abbrevs else mon_full
    wday = _alt(lex.weekdays)
    link = r"(?:\s+(?:de|del|do|of)\s+|\s*,?\s*)"  # "25 de enero", "11 février", "25. Januar"
    year_link = r"(?:\s*,?\s+(?:de|del|do)\s+|\s*,?\s*)"
    article = _alt(lex.articles)
    wd_prefix = rf"(?:(?P<wd>{wday})[,\s]+(?:{article}\s+)?)?"
    flags = re.IGNORECASE

    def month_of(word: str) -> int:
        return month_words[word.lower().rstrip(".")]

    future = re.compile(lex.future, flags)

    def ahead(m: re.Match[str]) -> bool:
        marker = (m.groupdict().get("pre") or m.groupdict().get("post") or "").lower()
        if marker in lex.next or marker in lex.past:
            return marker in lex.next
        return future.search(_sentence_around(m.string, m.start(), m.end())) is not None

    def weekday_of(m: re.Match[str]) -> int | None:
        return lex.weekdays[re.sub(r"\s+", " ", m["wd"].lower())] if m["wd"] else None

    def day_month(m: re.Match[str], dct: date | None) -> list[tuple[int, int, str]]:
        month, day = month_of(m["mon"]), _day_of(m["day"])
        y = _year(m["year"], month, day, dct, weekday=weekday_of(m), ahead=ahead(m))
        value = _day_value(y, month, day)
        return [(m.start(), m.end(), value)] if value else []

    def day_range(m: re.Match[str], dct: date | None) -> list[tuple[int, int, str]]:
        """Both ends of "del 25 al 28 de enero" and of "du 21 février au 15 décembre 1916"."""
        last_month, last = month_of(m["mon"]), _day_of(m["day2"])
        first_month, first = month_of(m["mon1"]) if m["mon1"] else last_month, _day_of(m["day"])
        y = _year(m["year"], last_month, last, dct, ahead=ahead(m))
        if y is None:
            return []
        b = _day_value(y, last_month, last)
        a = _day_value(y - (first_month > last_month), first_month, first)
        if not (a and b and a < b):
            return []
        first_end = m.end("mon1") if m["mon1"] else m.end("day")
        return [(m.start(), first_end, a), (m.start("day2"), m.end(), b)]

    def month_year(m: re.Match[str], dct: date | None) -> list[tuple[int, int, str]]:
        y = _year(m["year"], 1, 1, dct)
        return [(m.start("t"), m.end(), f"{y:04d}-{month_of(m['mon']):02d}")]

    def bare_month(m: re.Match[str], dct: date | None) -> list[tuple[int, int, str]]:
        if dct is None:
            return []
        month = month_of(m["mon"])
        y = _year(None, month, 15, dct)
        return [(m.start("t"), m.end(), f"{y:04d}-{month:02d}")]

    def bare_year(m: re.Match[str], dct: date | None) -> list[tuple[int, int, str]]:
        return [(m.start("t"), m.end(), m["year"])]

    def relative(m: re.Match[str], dct: date | None) -> list[tuple[int, int, str]]:
        if dct is None:
            return []
        offset, part = lex.relative[re.sub(r"\s+", " ", m["t"].lower())]
        value = (dct + timedelta(days=offset)).isoformat()
        return [(m.start("t"), m.end("t"), value + (f"T{part}" if part in _PARTS else ""))]

    def ago(m: re.Match[str], dct: date | None) -> list[tuple[int, int, str]]:
        if dct is None:
            return []
        word = m["n"].lower()
        n = int(word) if word.isdigit() else lex.numbers[word]
        unit = lex.units[m["unit"].lower()]
        if unit == "day":
            value = (dct - timedelta(days=n)).isoformat()
        elif unit == "week":
            y, w, _ = (dct - timedelta(weeks=n)).isocalendar()
            value = f"{y}-W{w:02d}"
        elif unit == "month":
            total = dct.year * 12 + dct.month - 1 - n
            value = f"{total // 12:04d}-{total % 12 + 1:02d}"
        else:
            value = f"{dct.year - n:04d}"
        return [(m.start(), m.end(), value)]

    def weekday(m: re.Match[str], dct: date | None) -> list[tuple[int, int, str]]:
        if dct is None:
            return []
        target = lex.weekdays[re.sub(r"\s+", " ", m["wd"].lower())]
        marker = (m["pre"] or m["post"] or "").lower()
        back = (dct.weekday() - target) % 7
        if marker in lex.next:
            delta = (target - dct.weekday()) % 7 or 7
        elif marker in lex.past:
            delta = -(back or 7)
        else:
            delta = -back
        return [(m.start(), m.end(), (dct + timedelta(days=delta)).isoformat())]

    def numeric(m: re.Match[str], dct: date | None) -> list[tuple[int, int, str]]:
        y = int(m["y"])
        if y < 100:
            y += 2000 if y <= (dct.year % 100 if dct else 30) else 1900
        value = _day_value(y, int(m["m"]), int(m["d"]))
        return [(m.start(), m.end(), value)] if value else []

    marker = _alt(lex.past + lex.next)
    pre = rf"(?:(?P<pre>{marker})\s+)?"  # "el pasado 30 de junio", "lo scorso 20 febbraio"
    post = rf"\s+(?P<post>{marker})(?![\w'’])"  # "le 11 février dernier"
    to = r"(?:-|–|al|au|a|à|y|e|et|und|bis)"
    rel_words = _alt(lex.relative)
    morning_before = r"(?<!\bla\s)(?<!\besta\s)(?<!\besa\s)(?<!\bcada\s)(?<!\buna\s)(?<!\bmisma\s)"
    patterns: list[tuple[str, Handler]] = [
        (
            rf"(?<![\w'’]){wd_prefix}{pre}(?P<day>{_DAY_NUM})(?:{link}(?P<mon1>{mon_any}))?\s*{to}\s*"
            rf"(?:{article}\s+)?(?P<day2>{_DAY_NUM}){link}(?P<mon>{mon_any})"
            rf"(?:{year_link}(?P<year>{_YEAR})|{post})?",
            day_range,
        ),
        (
            rf"(?:(?<![\w'’])|(?<=[lL]['’])){wd_prefix}{pre}(?P<day>{_DAY_NUM}){link}(?P<mon>{mon_any})"
            rf"(?:{year_link}(?P<year>{_YEAR})|{post})?",
            day_month,
        ),
        (rf"(?<![\w'’])(?P<t>(?P<mon>{mon_any}){year_link}(?P<year>{_YEAR}))", month_year),
        (rf"(?<![\w'’]){_alt(lex.preps)}\s+(?P<t>(?P<mon>{mon_full}))(?![\w'’])", bare_month),
        (rf"(?<![\w'’]){_alt(lex.year_preps)}\s+(?P<t>(?P<year>(?:19|20)\d\d))(?![\d.,]?\d)", bare_year),
        (_ISO.pattern, numeric),
        (_NUMERIC.pattern, numeric),
        (
            rf"(?<![\w'’]){lex.ago[0]}(?P<n>\d{{1,2}}|{_alt(lex.numbers)})\s+(?P<unit>{_alt(lex.units)})"
            rf"{lex.ago[1]}(?![\w])",
            ago,
        ),
        (
            rf"(?<![\w'’])(?:(?P<pre>{marker})\s+)?(?P<wd>{wday})(?:\s+(?P<post>{marker}))?(?![\w'’-])",
            weekday,
        ),
    ]
    if lang == "es":
        # "mañana" after an article or "esta" is the morning, not tomorrow.
        rel = rf"(?<![\w'’]){morning_before}(?P<t>{rel_words})(?![\w'’])"
    elif lang == "de":
        # German capitalises nouns: "Morgen" is the morning, only "morgen" is tomorrow.
        rel = rf"(?<![\w'’])(?P<t>(?-i:morgen)|{_alt(w for w in lex.relative if w != 'morgen')})(?![\w'’])"
    else:
        rel = rf"(?<![\w'’])(?P<t>{rel_words})(?![\w'’])"
    patterns.append((rel, relative))
    # Each pattern's trigger words: every match holds one (a month, a weekday, a unit, a phrase word).
    words_of = {
        day_range: month_words, day_month: month_words, month_year: month_words, bare_month: lex.months,
        bare_year: lex.year_preps, ago: lex.units, weekday: lex.weekdays, relative: lex.relative,
    }  # fmt: skip
    triggers: dict[str, list[int]] = defaultdict(list)
    for i, (_, handler) in enumerate(patterns):
        for phrase in words_of.get(handler, ()):
            for word in dict.fromkeys(_LETTERS.findall(phrase.lower())):
                triggers[word].append(i)
    return _Rules(lex, [(re.compile(p, flags), h) for p, h in patterns], dict(triggers))


_REACH = 60  # characters a date reaches either side of a trigger word ("mercoledì prossimo 3 febbraio")


def _windows(text: str, triggers: dict[str, list[int]]) -> dict[int, list[tuple[int, int]]]:
    """Per pattern, the stretches of ``text`` around its trigger words, merged."""
    windows: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for m in _LETTERS.finditer(text):
        for i in triggers.get(m.group().lower(), ()):
            lo, hi = max(0, m.start() - _REACH), min(len(text), m.end() + _REACH)
            spans = windows[i]
            if spans and lo <= spans[-1][1]:
                spans[-1] = (spans[-1][0], hi)
            else:
                spans.append((lo, hi))
    return windows


def find_timexes(text: str, dct: date | datetime | None, lang: str) -> list[Timex]:
    """Dates in ``text`` with values relative to ``dct``, in text order; other languages go to ``timex``."""
    base = lang.split("-")[0].lower()
    if base not in _LEXICONS:
        return timex_en.find_timexes(text, dct, lang)
    day = dct.date() if isinstance(dct, datetime) else dct
    rules = _rules(base)
    windows = _windows(text, rules.triggers)
    triggered = {i for ids in rules.triggers.values() for i in ids}
    found: list[tuple[int, int, int, str]] = []
    for priority, (pattern, handler) in enumerate(rules.patterns):
        # Lookbehinds still see the text before a stretch, so a match in it is as in the whole text.
        spans = windows.get(priority, []) if priority in triggered else [(0, len(text))]
        for m in (m for lo, hi in spans for m in pattern.finditer(text, lo, hi)):
            try:
                results = handler(m, day)
            except (KeyError, ValueError, OverflowError):
                continue
            found.extend((s, e, priority, v) for s, e, v in results)
    # Longest first; among equals the rule listed first. Ranges give two spans that must both survive.
    found.sort(key=lambda f: (f[0] - f[1], f[2], f[0]))
    starts: list[int] = []  # of the spans kept, which never overlap: sorted by start, so by end too
    ends: list[int] = []
    chosen: list[Timex] = []
    for start, end, _, value in found:
        at = bisect_right(starts, start)
        if (at and ends[at - 1] > start) or (at < len(starts) and starts[at] < end):
            continue
        starts.insert(at, start)
        ends.insert(at, end)
        typ = "TIME" if "T" in value[4:] else "DATE"
        chosen.append(Timex(start, end, text[start:end], typ, value))
    return sorted(chosen, key=lambda t: t.start)
