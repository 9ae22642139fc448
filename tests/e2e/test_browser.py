"""The pages in a real browser: Debian's chromium driven by Playwright over a real uvicorn server
on the demo corpus plus one hostile article. Screenshots go to tests/e2e/screenshots/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from storyline.web.app import create_app
from tests.e2e import hostile_copy, running

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).parent / "screenshots"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"no browser at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)"
    ),
]


@pytest.fixture(scope="module")
def site(demo_db, tmp_path_factory) -> Iterator[tuple[str, str]]:
    demo, _ = demo_db
    path, hostile = hostile_copy(demo, tmp_path_factory.mktemp("browser"))
    with running(create_app(str(path))) as base:
        yield base, hostile


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser, site):  # type: ignore[no-untyped-def]
    """A fresh page whose dialogs and console errors are recorded (an alert() must never fire)."""
    context = browser.new_context(base_url=site[0], viewport={"width": 1200, "height": 900})
    pg = context.new_page()
    pg.dialogs = []
    pg.errors = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    context.close()


def _shot(pg, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_browser_home_storyline_story_and_cited_article(page):
    page.goto("/")
    _shot(page, "home")
    assert page.locator(".line-card").count() >= 9
    assert page.locator(".line-card svg.chart rect.bar").count() > 0
    page.locator(".line-card h2 a", has_text="Busan").click()
    page.wait_for_url(re.compile(r"/storylines/l"))
    assert page.locator("svg.gantt a.row").count() >= 3
    _shot(page, "storyline")
    page.locator(".story-list a", has_text="Busan").first.click()
    page.wait_for_url(re.compile(r"/stories/s"))
    assert page.locator("#timeline svg a.mark").count() > 0
    _shot(page, "story")
    cite = page.locator("#summary sup.cite a").first
    href = cite.get_attribute("href")
    start, end = (int(x) for x in re.search(r"hl=(\d+)-(\d+)", href).groups())
    cite.click()
    page.wait_for_url(re.compile(r"/articles/\w+\?hl="))
    marked = page.locator(".article-text .k-hl")
    assert marked.count() > 0 and page.locator("#hl").is_visible()
    assert page.locator("#hl").evaluate(
        "e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight }"
    )
    highlighted = "".join(marked.all_inner_texts())
    assert 0.8 * (end - start) <= len(highlighted) <= end - start + 2
    _shot(page, "article-cited")
    # The legend's keys (progressive script) hide a kind of highlight.
    page.locator(".legend .key[data-kind=entity]").click()
    assert "hide-entity" in page.locator(".article-text").get_attribute("class")
    assert page.dialogs == [] and page.errors == []


def test_browser_search_in_english_and_chinese(page):
    page.goto("/search")
    page.fill("#q", "soybeans")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"q=soybeans"))
    assert page.locator(".hit").count() > 0
    assert "soybean" in page.locator(".hit mark").first.inner_text().lower()
    _shot(page, "search-en")
    page.fill("#q", "稀土")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"q=%E7%A8%80%E5%9C%9F"))
    assert page.locator(".hit").count() > 0
    assert page.locator(".hit mark").first.inner_text() == "稀土"
    _shot(page, "search-zh")
    # Changing the mode searches again at once (progressive script); by meaning, across languages.
    page.fill("#q", "China restricts exports of rare earth metals")
    with page.expect_navigation():
        page.check("input[name=mode][value=semantic]")
    assert "mode=semantic" in page.url
    langs = page.locator(".hit .hit-title").evaluate_all("els => els.map(e => e.lang)")
    assert "zh" in langs and "en" in langs
    _shot(page, "search-semantic")
    assert page.dialogs == [] and page.errors == []


def test_browser_ui_switches_to_chinese(page):
    page.goto("/")
    page.click("#ui-zh")
    page.wait_for_url(re.compile(r"ui=zh"))
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.locator(".top nav").inner_text().split() == ["首页", "搜索"]
    _shot(page, "home-zh")
    page.goto("/search")  # no ?ui= now: the cookie remembers it
    assert page.locator("h1").inner_text() == "搜索报道和文章"
    page.click("#ui-en")
    assert page.locator("html").get_attribute("lang") == "en"


def test_browser_hostile_article_runs_nothing(page, site):
    _, hostile = site
    for url in (f"/articles/{hostile}", f"/articles/{hostile}?hl=0-60#hl", "/search?q=Veyra"):
        page.goto(url)
        page.wait_for_load_state("load")
        assert page.dialogs == [], url
        assert page.evaluate(
            "typeof window.__pwned === 'undefined' && typeof window.__pwned_title === 'undefined'"
        )
        for injected in ("#injected-img", "#injected-link", "#injected-frame", "#injected-svg"):
            assert page.locator(injected).count() == 0, (url, injected)
        scripts = page.locator("script").evaluate_all("els => els.map(e => e.getAttribute('src'))")
        assert scripts == ["/static/app.js"], url
    page.goto(f"/articles/{hostile}")
    assert "<script>" in page.locator("h1").inner_text()  # shown as text, not run
    assert page.locator("a.original").count() == 0  # its javascript: URL is no link
    _shot(page, "hostile-article")
    story = page.locator(".crumb a").get_attribute("href")
    page.goto(story)
    assert page.dialogs == [] and page.evaluate("typeof window.__pwned === 'undefined'")
    _shot(page, "hostile-story")
