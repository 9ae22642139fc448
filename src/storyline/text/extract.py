"""RawDocument -> Article: body text, title, publication date and outlet.

HTML goes through trafilatura (main-content extraction) with htmldate and the
page's own meta tags for the date; when trafilatura finds nothing usable on a
broken page, a plain lxml text dump is cleaned instead. Plain text (txt,
Markdown, the ``text`` field of JSON) is read with line heuristics: the title
is the first substantial line, the date and outlet come from the dateline and
byline lines where the text states them. Either way the lines then go through
``clean`` (boilerplate) and hints from the source override every guess.

Problems that drop the article come back as a fatal ``Problem``; doubts about
an article that is kept (an absurd date) go to ``Article.warnings``.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlsplit

from dateutil import parser as dateutil_parser
from lxml import etree
from lxml import html as lxml_html

from ..ids import article_id
from ..models import Article, Paragraph, Problem, RawDocument
from .clean import clean, comparison_key, normalize_line

__all__ = ["MIN_TEXT_CHARS", "extract", "parse_date"]

MIN_TEXT_CHARS = 40
"""Fewer letters (or CJK characters) than this in the cleaned body is not an article."""

EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=2)

# --------------------------------------------------------------------------- dates

_MONTH_NAMES = (
    "jan january|feb february|mar march|apr april|may|jun june|jul july|aug august"
    "|sep sept september|oct october|nov november|dec december"
)
_MONTHS = {name: i for i, names in enumerate(_MONTH_NAMES.split("|"), start=1) for name in names.split()}
_MON = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE_PATTERNS = (
    # Chinese first: its digits would otherwise half-match the ISO form.
    ("cjk", re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")),
    ("iso", re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})([-/.])(?P<m>\d{1,2})\2(?P<d>\d{1,2})(?!\d)")),
    (
        "mdy",
        re.compile(r"\b" + _MON + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})\b", re.I),
    ),
    (
        "dmy",
        re.compile(r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+" + _MON + r",?\s+(?P<y>\d{4})\b", re.I),
    ),
)
_TIME = re.compile(
    r"[\s,|·•@T-]*(?:at\s+)?(?P<h>\d{1,2})\s*[:：时]\s*(?P<mi>\d{2})(?:\s*[:：]\s*(?P<s>\d{2}))?"
    r"(?:\.\d+)?\s*分?\s*(?P<ampm>[ap]\.?\s?m\.?)?"
    r"\s*(?:(?P<tzname>UTC|GMT|UT|Z|[A-Z]{2,4}T|北京时间)\b)?\s*"
    r"(?P<off>[+\-−]\s*\d{1,2}(?::?\d{2})?)?",
    re.I,
)
_TZ_HOURS = {
    "UTC": 0, "GMT": 0, "UT": 0, "Z": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5,
    "MST": -7, "MDT": -6, "PST": -8, "PDT": -7, "BST": 1, "CET": 1, "CEST": 2, "EET": 2,
    "EEST": 3, "JST": 9, "KST": 9, "HKT": 8, "SGT": 8, "AEST": 10, "AEDT": 11, "北京时间": 8,
}  # fmt: skip
# Chinese-language outlets state Beijing time without saying so.
_CJK_DEFAULT_TZ = timezone(timedelta(hours=8))


def _match_date(text: str) -> tuple[datetime, int, int] | None:
    """The first date (with the time and zone right after it, if any) and its span."""
    best: tuple[int, str, re.Match[str]] | None = None
    for kind, rx in _DATE_PATTERNS:
        m = rx.search(text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), kind, m)
    if best is None:
        return None
    _, kind, m = best
    month = _MONTHS[m["mon"].lower()] if "mon" in m.groupdict() else int(m["m"])
    try:
        day = datetime(int(m["y"]), month, int(m["d"]))
    except ValueError:
        return None
    end = m.end()
    tz: timezone = UTC
    t = _TIME.match(text, end)
    if t:
        hour, minute, second = int(t["h"]), int(t["mi"]), int(t["s"] or 0)
        ampm = (t["ampm"] or "").lower()
        if ampm.startswith("p") and hour < 12:
            hour += 12
        elif ampm.startswith("a") and hour == 12:
            hour = 0
        if hour < 24 and minute < 60 and second < 60:
            day = day.replace(hour=hour, minute=minute, second=second)
            end = t.end()
            tz = _zone(t["tzname"], t["off"]) or (_CJK_DEFAULT_TZ if kind == "cjk" else UTC)
    return day.replace(tzinfo=tz).astimezone(UTC), m.start(), end


def _zone(name: str | None, offset: str | None) -> timezone | None:
    hours = 0.0
    known = False
    if name:
        key = name if name == "北京时间" else name.upper()
        if key in _TZ_HOURS:
            hours, known = float(_TZ_HOURS[key]), True
    if offset:
        sign = -1 if offset[0] in "-−" else 1
        digits = re.sub(r"\D", "", offset)
        if len(digits) <= 2:
            h, mi = int(digits), 0
        else:
            h, mi = int(digits[:-2]), int(digits[-2:])
        if h > 14 or mi >= 60:
            return None
        hours, known = sign * (h + mi / 60), True
    return timezone(timedelta(hours=hours)) if known else None


def parse_date(value: Any) -> datetime | None:
    """A publication date as an aware UTC datetime, or None.

    Accepts the common news formats (ISO 8601, RFC 2822, ``Oct 23, 2025 5:40
    AM GMT-04``, ``23 October 2025``, ``2025年10月23日 08:15``), epoch seconds
    or milliseconds, and whatever dateutil reads without guessing. A date
    without a time is midnight UTC; a naive time is UTC, except after a
    Chinese date where it is Beijing time.
    """
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = value / 1000 if value > 1e11 else value
        try:
            return datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str) or not value.strip():
        return None
    found = _match_date(value)
    if found:
        return found[0]
    # dateutil fills what the text leaves out from a default date; parse
    # against two defaults and keep only what the text fixes by itself, or
    # "Oct 2025" would become today's day of October.
    try:
        parsed = dateutil_parser.parse(value.strip(), fuzzy=False, default=_DEFAULT_A)
        check = dateutil_parser.parse(value.strip(), fuzzy=False, default=_DEFAULT_B)
    except (ValueError, OverflowError):
        return None
    if parsed.date() != check.date():
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


_DEFAULT_A = datetime(2000, 1, 1)
_DEFAULT_B = datetime(2001, 2, 2)


def _vet_date(when: datetime | None, now: datetime, warnings: list[str]) -> datetime | None:
    """Drop dates no news article can have, and say so."""
    if when is None:
        return None
    if when < EARLIEST:
        warnings.append(f"publication date {when.date().isoformat()} is before 1990; ignored")
        return None
    if when > now + FUTURE_SLACK:
        warnings.append(f"publication date {when.date().isoformat()} is in the future; ignored")
        return None
    return when


_PUBLISHED_LABEL = re.compile(
    r"\b(?:published|posted|first published|date|publié|veröffentlicht|publicado|pubblicato)\b|"
    r"[发發][布佈表][时時][间間]|[发發]布于|[发發]布日期|[时時][间間]\s*[:：]|日期\s*[:：]",
    re.I,
)
_UPDATED_LABEL = re.compile(
    r"\b(?:updated|last updated|modified|mis à jour|aktualisiert|actualizado)\b"
    r"|更新[时時][间間]|更新于",
    re.I,
)
_HEAD_LINES = 15
_META_LINE_MAX = 120


def _date_from_lines(lines: list[str]) -> datetime | None:
    """Where the text states its date: a 'Published' line, else 'Updated', else a bare dateline."""
    head = [line for line in lines if line][: _HEAD_LINES * 2]
    candidates: list[tuple[int, datetime]] = []
    for pos, line in enumerate(head):
        if len(line) > _META_LINE_MAX:
            continue
        found = _match_date(line)
        if not found:
            continue
        when, start, end = found
        if _PUBLISHED_LABEL.search(line):
            rank = 0
        elif _UPDATED_LABEL.search(line):
            rank = 1
        elif pos < _HEAD_LINES and _is_mostly_meta(line[:start] + " " + line[end:]):
            rank = 2
        else:
            continue
        candidates.append((rank, when))
    return min(candidates, key=lambda c: c[0])[1] if candidates else None


def _is_mostly_meta(rest: str) -> bool:
    """What is left of a dateline once the date is cut out: a few words, not a sentence."""
    words = re.findall(r"[^\W\d_]+", rest)
    cjk = sum(1 for ch in rest if "\u3400" <= ch <= "\u9fff")
    return len([w for w in words if not _is_cjk(w)]) <= 4 and cjk <= 12


def _is_cjk(word: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in word)


# --------------------------------------------------------------------------- outlet

# Chinese datelines put 来源 mid-line; an English "source:" mid-line is usually a chart note.
_SOURCE_LABEL = re.compile(
    r"(?:(?:^|[\s|])(?:[来來]源|出[处處])|^source)\s*[:：]\s*(?P<o>[^|,，。;；:：()（）]{1,40})",
    re.I,
)
_NEXT_LABEL = re.compile(
    r"\s*(?:作者|[编編][辑輯]|[记記]者|[责責]任[编編][辑輯]|[时時][间間]|[发發]布[时時][间間]|by)\b.*$",
    re.I,
)
_DOT_BYLINE = re.compile(r"^(?P<who>[^·•|.!?。]{1,40}?)\s?[·•]\s?(?P<o>[^·•|.!?。\d]{2,40})$")


def _outlet_from_lines(lines: list[str]) -> str | None:
    nonblank = [line for line in lines if line]
    for line in nonblank[:_HEAD_LINES] + nonblank[-10:]:
        if len(line) > _META_LINE_MAX:
            continue
        m = _SOURCE_LABEL.search(line)
        if m:
            outlet = _NEXT_LABEL.sub("", m["o"]).strip()
            # Chinese source names are one token; a space starts the next field.
            if _is_cjk(outlet):
                outlet = outlet.split()[0]
            if outlet:
                return outlet
        m = _DOT_BYLINE.match(line) if len(line) <= 60 else None
        if m:
            return m["o"].strip()
    return None


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    return host.removeprefix("www.") or None


# --------------------------------------------------------------------------- plain text

_MD_RULES = (
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),
    (re.compile(r"\[([^\]]+)\]\((?:[^()\s]|\([^)]*\))*(?:\s+\"[^\"]*\")?\)"), r"\1"),
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])"), r"\1"),
    (re.compile(r"`([^`\n]+)`"), r"\1"),
)
_MD_LINE_DROP = re.compile(
    r"^\s*(?:```.*|~~~.*|(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,}|={3,}|\[[^\]]+\]:\s*\S+.*)$"
)
_MD_PREFIX = re.compile(r"^\s*(?:#{1,6}\s+|>\s?)+|^\s*[-*+•▪●◦]\s+")
_MD_SUFFIX = re.compile(r"\s+#+\s*$")


def _strip_markdown(line: str) -> str:
    """Markdown markup out of one line; harmless on plain text, which rarely has any."""
    if _MD_LINE_DROP.match(line):
        return ""
    line = _MD_PREFIX.sub("", line)
    line = _MD_SUFFIX.sub("", line)
    for rx, repl in _MD_RULES:
        line = rx.sub(repl, line)
    return line


def _text_lines(body: str) -> list[str]:
    """Normalised lines, blank lines kept as ``""``, hard-wrapped paragraphs re-joined."""
    lines = [normalize_line(_strip_markdown(line)) for line in body.splitlines()]
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    inner = [line for block in blocks if len(block) > 1 for line in block[:-1]]
    # Wrapped lines have similar widths and mostly break mid-sentence; one
    # paragraph per line ends each line with a full stop.
    wrapped = (
        len(inner) >= 3
        and max(len(line) for line in lines) <= 110
        and sum(40 <= len(line) <= 100 for line in inner) >= 0.7 * len(inner)
        and sum(not _SENTENCE_END.search(line) for line in inner) >= 0.5 * len(inner)
    )
    if not wrapped:
        return lines
    out: list[str] = []
    for block in blocks:
        if block:
            out.extend([_join_wrapped(block), ""])
    return out


def _join_wrapped(block: list[str]) -> str:
    text = block[0]
    for line in block[1:]:
        # Han text has no spaces between words, so a wrap is not a word break.
        sep = "" if _is_cjk(text[-1:]) and _is_cjk(line[:1]) else " "
        text += sep + line
    return text


_SENTENCE_END = re.compile(r"[.!?。！？\"”’」』)）:：]$")
_TITLE_MAX = 200
_TITLE_MIN_LETTERS = 8
_SENTENCE = re.compile(r".+?(?:[.!?](?=\s|$)|[。！？])", re.S)


def _letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())


def _title_like(line: str) -> bool:
    if len(line) > _TITLE_MAX or _letters(line) < _TITLE_MIN_LETTERS:
        return False
    if line.endswith((".", "。")):
        return False
    found = _match_date(line)
    return not (found and _is_mostly_meta(line[: found[1]] + " " + line[found[2] :]))


def _title_from_sentence(paragraph: str) -> str:
    """No headline stated: the first sentence, shortened at a word boundary."""
    m = _SENTENCE.match(paragraph)
    sentence = (m.group(0) if m else paragraph).strip()
    if len(sentence) <= 120:
        return sentence
    cut = sentence[:120]
    if " " in cut and not _is_cjk(cut[-1]):
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:，；：") + "…"


# --------------------------------------------------------------------------- HTML

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_META_PUBLISHED = (
    "//meta[@property='article:published_time' or @name='article:published_time'"
    " or @property='og:published_time' or @itemprop='datePublished' or @name='pubdate'"
    " or @name='publishdate' or @name='parsely-pub-date' or @name='dc.date.issued'"
    " or @name='DC.date.issued' or @name='sailthru.date']/@content"
    " | //time[@itemprop='datePublished']/@datetime"
)
_LD_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"([^"]+)"')
_FALLBACK_DROP = (
    "//script|//style|//noscript|//nav|//header|//footer|//aside|//form|//template"
    "|//svg|//iframe|//button|//select"
)
_BLOCK_TAGS = {
    "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
    "section", "article", "tr", "td", "th", "dd", "dt", "figcaption", "title", "hr",
}  # fmt: skip


def _parse_html(body: str) -> Any | None:
    try:
        return lxml_html.document_fromstring(_XML_DECL.sub("", body))
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None


def _first(tree: Any, xpath: str) -> str | None:
    for value in tree.xpath(xpath):
        text = normalize_line(str(value))
        if text:
            return text
    return None


def _html_date(tree: Any, body: str, url: str | None) -> datetime | None:
    """Meta published_time first: htmldate prefers a date in the URL, which loses the time."""
    for value in tree.xpath(_META_PUBLISHED):
        when = parse_date(str(value))
        if when:
            return when
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        m = _LD_PUBLISHED.search(str(script))
        if m and (when := parse_date(m.group(1))):
            return when
    import htmldate  # heavy; only HTML pages need it

    found: str | None = None
    # htmldate walks arbitrary markup; a page it cannot read should lose its date, not the batch.
    with contextlib.suppress(Exception):
        found = htmldate.find_date(body, url=url, original_date=True, extensive_search=False)
    return parse_date(found) if found else None


def _trafilatura_lines(body: str, url: str | None, precise: bool) -> tuple[list[str], Any]:
    import trafilatura  # heavy; only HTML pages need it

    try:
        doc = trafilatura.bare_extraction(
            body,
            url=url,
            favor_precision=precise,
            favor_recall=not precise,
            include_comments=False,
            include_tables=False,
            with_metadata=True,
        )
    # trafilatura raises assorted errors on malformed trees; the lxml fallback handles those pages.
    except Exception:
        return [], None
    if doc is None or not getattr(doc, "text", None):
        return [], doc
    # trafilatura marks list items with "- ", as Markdown does.
    return [_strip_markdown(line) for line in doc.text.split("\n")], doc


def _fallback_lines(tree: Any) -> list[str]:
    """Every block of visible text, one per line, when trafilatura finds no main content."""
    for bad in tree.xpath(_FALLBACK_DROP):
        bad.drop_tree()
    for el in tree.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCK_TAGS:
            el.tail = "\n" + (el.tail or "")
    body = tree.find(".//body")
    root = body if body is not None else tree
    return root.text_content().split("\n")


def _enough(lines: list[str], title: str | None) -> bool:
    return _letters("".join(clean(lines, title=title))) >= MIN_TEXT_CHARS


def _extract_html(raw: RawDocument, now: datetime) -> Article | Problem:
    hints = raw.hints
    tree = _parse_html(raw.body)
    if tree is None:
        return Problem(raw.origin, "could not parse the HTML: no markup or text found")
    url = _str_hint(hints, "url")
    lines, doc = _trafilatura_lines(raw.body, url, precise=True)
    meta_title = normalize_line(getattr(doc, "title", None) or "") or None
    if not _enough(lines, meta_title):
        recall_lines, recall_doc = _trafilatura_lines(raw.body, url, precise=False)
        if len("".join(recall_lines)) > len("".join(lines)):
            lines, doc = recall_lines, recall_doc
    warnings: list[str] = []
    if not _enough(lines, meta_title):
        lines = _fallback_lines(_parse_html(raw.body))
        warnings.append("main content not found by trafilatura; used the page's full text")
    title = _str_hint(hints, "title") or meta_title or _first(tree, "//title/text()")
    if not url:
        canonical = _first(tree, "//link[@rel='canonical']/@href | //meta[@property='og:url']/@content")
        # A site-wide og:url (the home page) would give every page the same id,
        # and a relative one ("/news/1") the same id as another site's page.
        parts = urlsplit(canonical or "")
        if parts.scheme in ("http", "https") and parts.netloc and parts.path.strip("/"):
            url = canonical
    outlet = (
        _str_hint(hints, "source")
        or _first(tree, "//meta[@property='og:site_name']/@content")
        or normalize_line(getattr(doc, "sitename", None) or "")
        or _host(url)
    )
    published = _published(hints, lambda: _html_date(tree, raw.body, url), now, warnings)
    return _build(raw, lines, title, url, outlet, published, warnings)


# --------------------------------------------------------------------------- assembly


def _str_hint(hints: dict[str, Any], key: str) -> str | None:
    value = hints.get(key)
    if isinstance(value, str):
        value = normalize_line(value)
        return value or None
    return None


def _published(
    hints: dict[str, Any],
    guess: Callable[[], datetime | None],
    now: datetime,
    warnings: list[str],
) -> datetime | None:
    stated = hints.get("published")
    if stated not in (None, ""):
        when = parse_date(stated)
        if when is not None:
            return _vet_date(when, now, warnings)
        warnings.append(f"could not read the stated publication date {stated!r}; guessed instead")
    return _vet_date(guess(), now, warnings)


def _extract_text(raw: RawDocument, now: datetime) -> Article | Problem:
    hints = raw.hints
    lines = _text_lines(raw.body)
    warnings: list[str] = []
    title = _str_hint(hints, "title")
    url = _str_hint(hints, "url")
    outlet = _str_hint(hints, "source") or _outlet_from_lines(lines) or _host(url)
    published = _published(hints, lambda: _date_from_lines(lines), now, warnings)
    title_in_body = True
    if title is None:
        kept = clean(lines)
        first = next((line for line in kept[:3] if _letters(line) >= _TITLE_MIN_LETTERS), None)
        if first is not None and _title_like(first):
            title = first
        elif first is not None:
            title = _title_from_sentence(first)
            title_in_body = False
            warnings.append("no headline line found; title taken from the first sentence")
    return _build(raw, lines, title, url, outlet, published, warnings, title_in_body=title_in_body)


def _build(
    raw: RawDocument,
    lines: list[str],
    title: str | None,
    url: str | None,
    outlet: str | None,
    published: datetime | None,
    warnings: list[str],
    *,
    title_in_body: bool = True,
) -> Article | Problem:
    """``title_in_body`` False: the title was made from the body, so no line repeats it."""
    paragraphs = clean(lines, title=title if title_in_body else None)
    # A page's <h1> often differs from its <title> by a site suffix; still the headline.
    if title and title_in_body and paragraphs and _title_like(paragraphs[0]):
        head, key = comparison_key(paragraphs[0]), comparison_key(title)
        short, long = sorted((head, key), key=len)
        if len(short) >= 10 and long.startswith(short) and len(short) >= 0.5 * len(long):
            paragraphs = paragraphs[1:]
    if not paragraphs and title_in_body:
        # A news flash is its headline: the one line is both title and body.
        paragraphs = clean(lines)
    if not paragraphs:
        return Problem(raw.origin, "no article text left after removing boilerplate")
    text = "\n\n".join(paragraphs)
    letters = _letters(text)
    if letters < MIN_TEXT_CHARS:
        return Problem(
            raw.origin,
            f"article text too short: {letters} letters after cleaning, at least {MIN_TEXT_CHARS} needed",
        )
    spans: list[Paragraph] = []
    pos = 0
    for para in paragraphs:
        spans.append(Paragraph(pos, pos + len(para)))
        pos += len(para) + 2
    lang = _str_hint(raw.hints, "lang")
    return Article(
        id=article_id(url, text),
        origin=raw.origin,
        title=title or _title_from_sentence(paragraphs[0]),
        text=text,
        url=url,
        published=published,
        outlet=outlet,
        # "zh-TW", "en_US": the base language is what the stages key on.
        lang=lang.lower().replace("_", "-").split("-")[0] if lang else "und",
        paragraphs=spans,
        warnings=warnings,
    )


def extract(raw: RawDocument, *, now: datetime | None = None) -> Article | Problem:
    """The article in ``raw``, or the named reason there is none.

    ``now`` is the reference for "in the future" (defaults to the current time).
    Never raises for bad input: broken HTML falls back to a plain text dump,
    and nothing usable is a fatal ``Problem``.
    """
    now = now or datetime.now(UTC)
    if not raw.body or not raw.body.strip():
        return Problem(raw.origin, "empty document")
    if raw.kind == "html":
        return _extract_html(raw, now)
    return _extract_text(raw, now)
