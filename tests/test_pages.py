"""The server-rendered pages over the demo corpus (plus one hostile article), through the real app."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from html import unescape
from html.parser import HTMLParser

import httpx
import pytest

from storyline import Storyline
from storyline.web.app import create_app
from storyline.web.charts import Mark, Row, bar_chart, gantt, time_axis
from storyline.web.i18n import pick, translator
from storyline.web.pages import CSP
from tests.e2e import HOSTILE_TEXT, hostile_copy, running

pytestmark = pytest.mark.slow

CITE = re.compile(r'href="(/articles/(\w+)\?hl=(\d+)-(\d+)#hl)"')


@pytest.fixture(scope="module")
def site(demo_db, tmp_path_factory) -> Iterator[tuple[httpx.Client, Storyline, str]]:
    demo, _ = demo_db
    path, hostile = hostile_copy(demo, tmp_path_factory.mktemp("pages"))
    with (
        running(create_app(str(path))) as base,
        httpx.Client(base_url=base, timeout=60) as client,
        Storyline(db=path, create=False) as sl,
    ):
        yield client, sl, hostile


class _Marked(HTMLParser):
    """The text inside elements whose class names ``k-hl``, and whether an ``id="hl"`` exists."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.text: list[str] = []
        self.anchor = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.anchor = self.anchor or a.get("id") == "hl"
        if self.depth or "k-hl" in (a.get("class") or "").split():
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text.append(data)


def _ok(client: httpx.Client, url: str) -> str:
    r = client.get(url)
    assert r.status_code == 200, (url, r.status_code, r.text[:300])
    assert r.headers["content-security-policy"] == CSP
    assert r.headers["content-type"].startswith("text/html")
    return r.text


def test_pages_every_page_renders_on_the_demo_corpus(site):
    client, sl, _ = site
    home = _ok(client, "/?today=2025-10-20")
    lines = sl.storylines()
    assert all(f'href="/storylines/{x.id}"' in home for x in lines)
    assert "<svg" in home and 'class="upcoming"' in home
    for line in lines:
        page = _ok(client, f"/storylines/{line.id}")
        assert 'class="chart gantt"' in page
    for story in sl.stories():
        page = _ok(client, f"/stories/{story.id}")
        assert f'href="/storylines/{story.storyline_id}"' in page
    busan = _ok(client, f"/stories/{_story_with(sl, 'Busan').id}")
    for section in (
        "summary",
        "key-points",
        "timeline",
        "people",
        "quotes",
        "figures",
        "coverage",
        "sources",
    ):
        assert f'id="{section}"' in busan, section
    assert 'class="chart axis-chart"' in busan
    entity = _ok(client, "/entities/贝森特")
    assert "Scott Bessent" in entity and "Treasury Secretary" in entity and 'class="chart bars"' in entity
    story = _story_with(sl, "Busan")
    for aid in story.article_ids:
        _ok(client, f"/articles/{aid}")


def test_pages_summary_citations_lead_to_the_cited_sentence_highlighted(site):
    client, sl, _ = site
    story = _story_with(sl, "Busan")
    cites = CITE.findall(_ok(client, f"/stories/{story.id}"))
    assert len(cites) >= 5
    texts = {a.id: a.text for a in sl.articles(story.article_ids)}
    for href, aid, start, end in {c for c in cites if c[1] in texts}:
        marked = _Marked()
        marked.feed(_ok(client, unescape(href)).split('class="article-text"', 1)[1])
        assert marked.anchor, href
        cited = texts[aid][int(start) : int(end)]
        assert "".join("".join(marked.text).split()) == "".join(cited.split()), href


def test_pages_search_in_english_and_chinese(site):
    client, _, _ = site
    en = _ok(client, "/search?q=soybeans")
    assert int(re.search(r'id="result-count">(\d+)', en).group(1)) > 0
    assert "<mark>soybeans</mark>" in en.lower() or "<mark>Soybeans</mark>" in en
    zh = _ok(client, "/search?q=稀土")
    assert int(re.search(r'id="result-count">(\d+)', zh).group(1)) > 0
    assert "<mark>稀土</mark>" in zh
    only_zh = _ok(client, "/search?q=tariff&lang=zh")
    assert 'lang="en"' not in only_zh.split('class="hits"')[1].split("</ol>")[0]
    semantic = _ok(client, "/search?q=China+restricts+rare+earth+exports&mode=semantic&lang=zh")
    assert semantic.count('class="hit"') > 0
    assert "the query" in _ok(client, "/search?q=%21%21%21")  # no words: the library's message


def test_pages_search_filters_by_outlet_and_days_and_pages_keep_them(site):
    client, sl, _ = site
    everything = _ok(client, "/search?q=Louvre")
    outlets = re.findall(r'<p class="meta">\s*([^<·]+?) ·', everything.split('class="hits"')[1])
    outlet = outlets[0].strip()
    only = _ok(client, f"/search?q=Louvre&outlet={outlet.upper()}&lang=&since=&until=")
    kept = re.findall(r'<p class="meta">\s*([^<·]+?) ·', only.split('class="hits"')[1])
    assert kept and {k.strip() for k in kept} == {outlet}
    assert f'name="outlet" value="{outlet.upper()}"' in only
    dates = sorted(h.published for h in sl.search("Louvre", limit=100)[1] if h.published)
    since = dates[len(dates) // 2][:10]
    later = _ok(client, f"/search?q=Louvre&since={since}")
    count = int(re.search(r'id="result-count">(\d+)', later).group(1))
    assert 0 < count < int(re.search(r'id="result-count">(\d+)', everything).group(1))
    assert f'name="since" value="{since}"' in later
    none = _ok(client, "/search?q=Louvre&until=1999-01-01&mode=semantic")
    assert 'id="result-count">0' in none


def test_pages_ui_switches_to_chinese_and_remembers_it(site):
    client, _, _ = site
    zh = client.get("/?ui=zh")
    assert '<html lang="zh-Hans">' in zh.text and ">故事线<" in zh.text and ">搜索<" in zh.text
    assert "ui=zh" in zh.headers["set-cookie"]
    again = client.get("/search")
    assert '<html lang="zh-Hans">' in again.text and "搜索报道和文章" in again.text
    en = client.get("/?ui=en")
    assert '<html lang="en">' in en.text and ">Storylines<" in en.text
    assert translator("zh")("in {n} days", n=3) == "还有 3 天"
    assert pick("fr", "zh") == "zh" and pick(None, "xx") == "en"


def test_pages_escape_the_hostile_article_everywhere(site):
    client, sl, hostile = site
    story = sl.story(sl.articles([hostile])[0].story_id)
    pages = [
        _ok(client, f"/articles/{hostile}"),
        _ok(client, f"/articles/{hostile}?hl=0-40"),
        _ok(client, f"/stories/{story.id}"),
        _ok(client, f"/storylines/{story.storyline_id}"),
        _ok(client, "/search?q=Veyra"),
        _ok(client, "/"),
    ]
    for page in pages:
        scripts = re.findall(r"<script[^>]*>", page, re.I)
        assert scripts == ['<script src="/static/app.js" defer>'], scripts
        for raw in ("<img", "<iframe", "<svg onload", "<b>reopens", 'href="javascript:', 'onerror="'):
            assert raw not in page, raw
        assert "style=" not in page
    article = pages[0]
    assert "&lt;script&gt;window.__pwned=1" in article
    assert "Original" not in article  # the javascript: URL is no link
    assert "Port Veyra" in HOSTILE_TEXT and "Port Veyra" in article


def test_pages_not_found_and_static_files(site):
    client, _, _ = site
    for url in (
        "/stories/nosuchstory",
        "/storylines/nosuchline",
        "/entities/Nobody%20Atall",
        "/articles/nope",
    ):
        r = client.get(url)
        assert r.status_code == 404 and "Not found" in r.text, url
    # A browser gets errors as pages, with a way home; programs get the JSON shape.
    page = client.get("/stories/x?today=someday", headers={"accept": "text/html"})
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")
    assert "Invalid request" in page.text and "today" in page.text and 'href="/"' in page.text
    assert page.headers["content-security-policy"] == CSP
    assert (
        client.get("/no/such/page", headers={"accept": "text/html"})
        .headers["content-type"]
        .startswith("text/html")
    )
    api = client.get("/api/v1/stories?limit=0", headers={"accept": "text/html"})
    assert api.status_code == 422 and api.json()["error"]["code"] == "invalid_parameter"
    assert client.get("/stories/x?today=someday").json()["error"]["code"] == "invalid_parameter"
    css = client.get("/static/style.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "Noto Sans CJK SC" in css.text
    assert client.get("/static/..%2Fpages.py").status_code == 404
    assert client.get("/static/.hidden").status_code == 404


def test_charts_draw_escaped_svg_by_date():
    bars = bar_chart({"2025-10-01": 2, "2025-10-03": 5}, "<b>label</b>")
    assert bars.count("<rect") == 2 and "&lt;b&gt;" in bars and "<b>" not in bars
    assert bar_chart({}, "x") == ""
    day, later = date(2025, 10, 1), date(2025, 10, 2)
    axis = time_axis(
        [Mark(day, day, "a <script>", "#t-1", "happened", 1), Mark(day, later, "b", "#t-2", "", 2)], "T"
    )
    # Two marks on the same day do not overlap: the second goes a lane up.
    ys = re.findall(
        r'<a href="#t-\d"[^>]*><title>[^<]*</title><(?:circle cx="[\d.]+" cy|rect x="[\d.]+" y)="([\d.]+)"',
        axis,
    )
    assert len(set(ys)) == 2 and "&lt;script&gt;" in axis and 'href="#t-2"' in axis
    rows = gantt([Row(day, later, "故事", "/stories/s1", "zh")], "G")
    assert 'lang="zh"' in rows and 'href="/stories/s1"' in rows


def _story_with(sl: Storyline, word: str):
    return next(s for s in sl.stories() if word in s.title and len(s.article_ids) > 2)
