"""The server-rendered pages: home, story, storyline, entity, search and article.

Each route reads what it shows from the ``Storyline`` facade and hands plain
data to a Jinja2 template; the only work done here is arranging that data
for reading (citation numbers, chart marks, highlighted text segments).

Article text comes from the web and is untrusted. Templates autoescape
everything, links to the outside keep only http(s) addresses, and every page
carries a Content-Security-Policy that allows scripts from this server's
static files only, so nothing an article contains can run.
"""

from __future__ import annotations

import re
import threading
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from jinja2 import ChainableUndefined, Environment, FileSystemLoader
from starlette.concurrency import run_in_threadpool

from ..facade import Storyline
from ..models import Article
from ..store.search import SearchError, SearchHit
from ..synth.timeline import date_span
from .charts import Mark, Row, bar_chart, gantt, time_axis
from .deps import AppState, get_reader, state_of
from .i18n import LANG_NAMES, LANGS, UI_COOKIE, pick, translator

__all__ = ["CSP", "error_page", "router"]

router = APIRouter(include_in_schema=False)
Reader = Annotated[Storyline, Depends(get_reader)]
State = Annotated[AppState, Depends(state_of)]

_HERE = Path(__file__).parent
_STATIC = _HERE / "static"
_ENV = Environment(
    loader=FileSystemLoader(_HERE / "templates"),
    autoescape=True,
    # Brief sections come and go as synthesis grows: a missing one renders as nothing.
    undefined=ChainableUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)

# Scripts and styles only from this server's static files: an inline
# <script>, an on*= attribute or a javascript: URL that slipped through would
# still not run.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    # Article links leave for other sites: do not tell them what was being read.
    "Referrer-Policy": "no-referrer",
}
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_LANG_PARAM = r"^[a-z]{2,3}$"
# A date known only to a quarter or wider ("in 2026") would stretch a time axis
# over months it says nothing about; it stays in the list beside the chart.
_AXIS_WIDEST = timedelta(days=92)
_HOME_STORIES = 3
_UPCOMING_DAYS = 30
_PAGE_SIZE = 20


# --------------------------------------------------------------------------- helpers for templates


def _text_lang(text: str | None) -> str:
    """ "zh" for text mostly in Chinese characters, "" when the text gives no sign (no attribute then)."""
    if not text:
        return ""
    cjk = len(_CJK.findall(text))
    return "zh" if cjk and cjk * 3 >= len(text.replace(" ", "")) else ""


def _day(iso: str | None) -> str:
    return iso[:10] if iso else ""


def _safe_url(url: str | None) -> str | None:
    """Only web addresses become links: never javascript:, data: or the like."""
    if url and url.split(":", 1)[0].strip().lower() in ("http", "https"):
        return url
    return None


def article_href(article_id: str, span: Sequence[int] | None = None) -> str:
    """The article page, with the span highlighted and scrolled to when one is given."""
    path = f"/articles/{quote(article_id, safe='')}"
    if span and len(span) == 2:
        return f"{path}?hl={int(span[0])}-{int(span[1])}#hl"
    return path


def entity_href(key: str) -> str:
    return f"/entities/{quote(key, safe=':')}"


_ENV.filters.update(text_lang=_text_lang, day=_day, safe_url=_safe_url)
_ENV.globals.update(article_href=article_href, entity_href=entity_href, lang_names=LANG_NAMES)


class Citations:
    """Numbers the articles a page cites, in the order first cited, for its Sources list."""

    def __init__(self, articles: Iterable[dict[str, Any]]) -> None:
        self.articles = {a["id"]: a for a in articles}
        self.order: dict[str, int] = {}

    def __call__(self, sources: Iterable[dict[str, Any]] | None) -> list[dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for s in sources or []:
            aid = s.get("article_id")
            if not aid or aid in out:
                continue
            n = self.order.setdefault(aid, len(self.order) + 1)
            where = ", ".join(x for x in (s.get("outlet"), _day(s.get("published"))) if x)
            out[aid] = {"n": n, "href": article_href(aid, s.get("span")), "title": where}
        return list(out.values())

    def listed(self) -> list[dict[str, Any]]:
        return [
            {"n": n, "id": aid, **self.articles.get(aid, {"title": aid})} for aid, n in self.order.items()
        ]


def _ui(request: Request) -> str:
    return pick(request.query_params.get("ui"), request.cookies.get(UI_COOKIE))


def _switch(request: Request, ui: str) -> list[dict[str, str]]:
    """Links to this same page in each chrome language."""
    params = dict(request.query_params)
    out = []
    for lang in LANGS:
        params["ui"] = lang
        out.append(
            {"lang": lang, "name": LANG_NAMES[lang], "href": f"{request.url.path}?{urlencode(params)}"}
        )
    return out


def _page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    ui = _ui(request)
    html = _ENV.get_template(template).render(
        request=request, ui=ui, t=translator(ui), switch=_switch(request, ui), **context
    )
    return _respond(request, html, status)


def _respond(request: Request, html: str, status: int = 200) -> HTMLResponse:
    response = HTMLResponse(html, status_code=status, headers=_HEADERS)
    if request.query_params.get("ui") in LANGS:
        # Remembered so that the links on the page need not carry ?ui= along.
        response.set_cookie(UI_COOKIE, _ui(request), max_age=365 * 86400, samesite="lax", httponly=True)
    return response


_ERROR_HEADINGS = {401: "Sign in needed", 403: "Not allowed", 422: "Invalid request"}


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    """An error as a page, for browsers (programs get the JSON shape; see ``errors.py``)."""
    if status == 404:
        return _not_found(request, request.url.path)
    heading = _ERROR_HEADINGS.get(status, "Something went wrong" if status >= 500 else "Invalid request")
    return _page(request, "error.html", status=status, heading=heading, message=message)


def _not_found(request: Request, what: str = "") -> HTMLResponse:
    return _page(request, "not_found.html", status=404, what=what)


def _marks(entries: Sequence[dict[str, Any]], prefix: str) -> list[Mark]:
    marks = []
    for i, e in enumerate(entries, 1):
        span = date_span(e.get("date"), e.get("date_end"))
        if span and span[1] - span[0] <= _AXIS_WIDEST:
            label = e.get("label") or e.get("predicate") or ""
            marks.append(Mark(span[0], span[1], label, f"#{prefix}-{i}", e.get("status") or "", i))
    return marks


class _Rendered:
    """Story pages as rendered, with what their brief was built from (its stamp) and the
    database version they were checked at.

    While nothing has been committed to the database since (same version, same day) a page
    is served without touching the store; after a commit its stamp is checked again, and a
    page whose brief has not changed is served without parsing the brief or rendering again.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._pages: OrderedDict[tuple[Any, ...], tuple[str, int, date, str]] = OrderedDict()
        self._lock = threading.Lock()

    def fresh(self, key: tuple[Any, ...], version: int, day: date) -> str | None:
        """The page, if the database has not changed since it was checked."""
        with self._lock:
            entry = self._pages.get(key)
            if entry is None or entry[1] != version or entry[2] != day:
                return None
            self._pages.move_to_end(key)
            return entry[3]

    def checked(self, key: tuple[Any, ...], stamp: str, version: int, day: date) -> str | None:
        """The page, if its brief is still the one it was rendered from; now known fresh at ``version``."""
        with self._lock:
            entry = self._pages.get(key)
            if entry is None or entry[0] != stamp:
                return None
            self._pages[key] = (stamp, version, day, entry[3])
            self._pages.move_to_end(key)
            return entry[3]

    def put(self, key: tuple[Any, ...], stamp: str, version: int, day: date, html: str) -> None:
        with self._lock:
            self._pages[key] = (stamp, version, day, html)
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)


_RENDERED = _Rendered(512)
# A day as the date inputs send it, or nothing.
_DAY_PARAM = r"^(\d{4}-\d{2}-\d{2})?$"


# --------------------------------------------------------------------------- routes


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request,
    sl: Reader,
    today: Annotated[date | None, Query(description="the day 'upcoming' counts from")] = None,
) -> HTMLResponse:
    t = translator(_ui(request))
    stories_by_line: dict[str | None, list[Any]] = defaultdict(list)
    for s in sl.stories():
        stories_by_line[s.storyline_id].append(s)
    volume = sl.volume_by_day()
    lines = []
    for line in sorted(
        sl.storylines(), key=lambda x: (x.last is None, -(x.last.timestamp() if x.last else 0))
    ):
        stories = stories_by_line.get(line.id, [])
        per_day = Counter(volume.get(line.id, {}))
        outlets = Counter(o for s in stories for o in s.outlets)
        lines.append(
            {
                "line": line,
                "stories": stories[:_HOME_STORIES],
                "more": max(0, len(stories) - _HOME_STORIES),
                "outlets": [o for o, _ in outlets.most_common(6)],
                "chart": bar_chart(per_day, t("Articles per day")),
            }
        )
    upcoming = sl.upcoming(days=_UPCOMING_DAYS, today=today)
    return _page(
        request, "home.html", lines=lines, upcoming=upcoming, days=_UPCOMING_DAYS, counts=sl.counts()
    )


@router.get("/stories/{story_id}", response_class=HTMLResponse)
async def story_page(
    request: Request,
    story_id: str,
    state: State,
    lang: Annotated[str | None, Query(pattern=_LANG_PARAM, description="the reader's language")] = None,
    today: Annotated[date | None, Query(description="the day statuses are judged on")] = None,
) -> Response:
    # A coroutine so that a page that has not changed is answered on the event loop,
    # without a hand-off to a worker thread or a read of the store.
    ui = _ui(request)
    key = (state.db, ui, request.url.path, request.url.query)
    version, day = state.changes.version(), today or date.today()
    html = _RENDERED.fresh(key, version, day)
    if html is not None:
        return _respond(request, html)
    return await run_in_threadpool(_story_page, request, state, story_id, lang or ui, today, key, version)


def _story_page(
    request: Request, state: AppState, story_id: str, lang: str, today: date | None, key: Any, version: int
) -> Response:
    day = today or date.today()
    with state.readers.reading() as sl:
        stamp = sl.brief_stamp(story_id, lang=lang, today=today)
        if stamp is not None and (html := _RENDERED.checked(key, stamp, version, day)) is not None:
            return _respond(request, html)
        brief = sl.brief(story_id, lang=lang, today=today)
    if brief is None:
        return _not_found(request, story_id)
    if brief.get("kind") == "storyline":
        return RedirectResponse(f"/storylines/{quote(brief['id'], safe='')}", status_code=307)
    timeline = brief.get("timeline") or []
    chart = time_axis(_marks(timeline, "t"), translator(_ui(request))("Timeline"))
    response = _page(
        request, "story.html", brief=brief, cites=Citations(brief.get("articles") or []), chart=chart
    )
    if stamp is not None:
        _RENDERED.put(key, stamp, version, day, bytes(response.body).decode("utf-8"))
    return response


@router.get("/storylines/{line_id}", response_class=HTMLResponse)
def storyline_page(
    request: Request,
    line_id: str,
    sl: Reader,
    lang: Annotated[str | None, Query(pattern=_LANG_PARAM)] = None,
    today: Annotated[date | None, Query()] = None,
) -> Response:
    ui = _ui(request)
    t = translator(ui)
    brief = sl.brief(line_id, lang=lang or ui, today=today)
    if brief is None:
        return _not_found(request, line_id)
    if brief.get("kind") != "storyline":
        return RedirectResponse(f"/stories/{quote(brief['id'], safe='')}", status_code=307)
    rows = []
    for s in brief.get("stories") or []:
        if s.get("first"):
            first = date.fromisoformat(s["first"][:10])
            last = date.fromisoformat((s.get("last") or s["first"])[:10])
            rows.append(
                Row(first, last, s["title"], f"/stories/{quote(s['id'], safe='')}", _text_lang(s["title"]))
            )
    timeline = sl.timeline(storyline_id=brief["id"])
    return _page(
        request,
        "storyline.html",
        brief=brief,
        cites=Citations(brief.get("articles") or []),
        stories_chart=gantt(rows, t("Stories over time")),
        timeline=timeline,
        chart=time_axis(_marks(timeline, "t"), t("Merged timeline")),
    )


@router.get("/entities/{name:path}", response_class=HTMLResponse)
def entity_page(request: Request, name: str, sl: Reader) -> HTMLResponse:
    entity = sl.entity(name)
    if entity is None:
        return _not_found(request, name)
    t = translator(_ui(request))
    aliases: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for a in entity.get("aliases") or []:
        aliases[a.get("lang") or "und"].append(a)
    chart = bar_chart(entity.get("mentions_by_day") or {}, t("Mentions over time"))
    return _page(request, "entity.html", entity=entity, aliases=dict(aliases), chart=chart)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(
    request: Request,
    article_id: str,
    sl: Reader,
    hl: Annotated[
        str | None, Query(pattern=r"^\d+-\d+$", description="START-END of the span to highlight")
    ] = None,
) -> HTMLResponse:
    found = sl.articles([article_id])
    if not found:
        return _not_found(request, article_id)
    a = found[0]
    notes = sl.annotations(a.id)
    span = tuple(int(x) for x in hl.split("-")) if hl else None
    story = sl.story(a.story_id) if a.story_id else None
    others = [x for x in sl.articles(story.article_ids) if x.id != a.id] if story else []
    return _page(
        request,
        "article.html",
        article=a,
        url=_safe_url(a.url),
        paragraphs=_paragraphs(a, notes, span),
        story=story,
        original=next((x for x in others if x.id == a.dup_of), None),
        copies=[x for x in others if x.dup_of == a.id],
    )


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    sl: Reader,
    state: State,
    q: Annotated[str, Query(max_length=500)] = "",
    mode: Annotated[str, Query(pattern="^(text|semantic)$")] = "text",
    lang: Annotated[str | None, Query(pattern=r"^([a-z]{2,3})?$")] = None,
    outlet: Annotated[str | None, Query(max_length=200)] = None,
    since: Annotated[str | None, Query(pattern=_DAY_PARAM)] = None,
    until: Annotated[str | None, Query(pattern=_DAY_PARAM)] = None,
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
) -> HTMLResponse:
    # The form sends empty fields as "": they mean "any".
    filters = {"lang": lang or "", "outlet": outlet or "", "since": since or "", "until": until or ""}
    context: dict[str, Any] = {"q": q, "mode": mode, "page": page, "hits": [], "total": 0, **filters}
    context["langs"] = sorted({code for line in sl.storylines() for code in line.langs})
    context["query"] = {"q": q, "mode": mode, **{k: v for k, v in filters.items() if v}}
    if q.strip():
        try:
            total, hits = sl.search(
                q,
                mode=mode,
                lang=lang or None,
                outlet=outlet or None,
                since=date.fromisoformat(since) if since else None,
                until=date.fromisoformat(until) if until else None,
                limit=_PAGE_SIZE,
                offset=(page - 1) * _PAGE_SIZE,
                index=state.vectors,
            )
        except (SearchError, ValueError) as exc:
            context["error"] = str(exc)
        else:
            context.update(total=total, hits=[_hit(h) for h in hits], pages=-(-total // _PAGE_SIZE))
            context["unindexed"] = sl.unindexed() if mode == "text" else 0
    return _page(request, "search.html", **context)


def _hit(h: SearchHit) -> dict[str, Any]:
    """A hit with its snippet cut into plain and matched runs, linked to the first match."""
    runs, pos = [], 0
    for lo, hi in h.highlights:
        if lo < pos:
            continue
        runs += [{"text": h.snippet[pos:lo], "match": False}, {"text": h.snippet[lo:hi], "match": True}]
        pos = hi
    runs.append({"text": h.snippet[pos:], "match": False})
    first = h.highlights[0] if h.highlights else [0, 0]
    span = [h.span[0] + first[0], h.span[0] + first[1]] if h.highlights else None
    return {"hit": h, "runs": [r for r in runs if r["text"]], "href": article_href(h.article_id, span)}


@router.get("/static/{name}")
def static_file(name: str) -> Response:
    path = _STATIC / name
    # Only the files shipped in static/, by plain name: no way out of the folder.
    if "/" in name or name.startswith(".") or not path.is_file():
        return Response(status_code=404)
    return FileResponse(path, headers={"Cache-Control": "public, max-age=3600", **_HEADERS})


# --------------------------------------------------------------------------- article text


_KINDS = ("mentions", "timexes", "quotes", "figures")
_CLASS = {"mentions": "entity", "timexes": "date", "quotes": "quote", "figures": "figure"}


def _span_title(kind: str, row: dict[str, Any]) -> str:
    if kind == "mentions":
        return f"{row.get('label', '')} · {row.get('key', '')}"
    if kind == "timexes":
        return f"{row.get('type', '')} {row.get('value') or ''}".strip()
    if kind == "quotes":
        who = row.get("speaker_key") or row.get("source") or ""
        return f"{row.get('kind', '')} quote · {who} ({row.get('cue') or ''})"
    what = row.get("what") or ""
    return f"{row.get('text', '')} · {what}".strip(" ·")


def _paragraphs(
    a: Article, notes: dict[str, list[dict[str, Any]]], hl: tuple[int, ...] | None
) -> list[dict[str, Any]]:
    """The text cut into paragraphs and each paragraph into runs that share the same highlights.

    Spans nest and overlap (a name inside a quote), so the text is cut at every
    span edge and each run lists all spans covering it.
    """
    spans = [
        (int(r["start"]), int(r["end"]), kind, r)
        for kind in _KINDS
        for r in notes.get(kind, [])
        if r.get("start") is not None and r.get("end") is not None and r["start"] < r["end"]
    ]
    if hl and hl[0] < hl[1]:
        spans.append((hl[0], hl[1], "hl", {}))
    paras = [(p.start, p.end, p.lang) for p in a.paragraphs] or [(0, len(a.text), a.lang)]
    out = []
    seen_hl = False
    for p_start, p_end, p_lang in paras:
        inside = [s for s in spans if s[0] < p_end and s[1] > p_start]
        cuts = sorted(
            {p_start, p_end, *(max(p_start, s[0]) for s in inside), *(min(p_end, s[1]) for s in inside)}
        )
        runs = []
        for lo, hi in pairwise(cuts):
            cover = [s for s in inside if s[0] <= lo and s[1] >= hi]
            kinds = sorted({_CLASS.get(s[2], s[2]) for s in cover})
            entity = next((s[3].get("key") for s in cover if s[2] == "mentions" and s[3].get("key")), None)
            first_hl = "hl" in kinds and not seen_hl
            seen_hl = seen_hl or first_hl
            runs.append(
                {
                    "text": a.text[lo:hi],
                    "kinds": kinds,
                    "title": "; ".join(_span_title(s[2], s[3]) for s in cover if s[2] != "hl"),
                    "entity": entity,
                    "anchor": first_hl,
                }
            )
        out.append({"lang": p_lang if p_lang and p_lang != "und" else "", "runs": runs})
    return out
