"""The REST API over real SQLite files: reads on a copy of the demo database, writes into fresh
ones, tokens, limits, the shared error shape, /healthz, /metrics, and a real uvicorn server."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import warnings
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from storyline import Storyline
from storyline.demo import corpus_dir
from storyline.nlp.stance import MODEL_PATH as STANCE_MODEL
from storyline.store import Store
from storyline.web import create_app
from tests.e2e import wait_until_indexed

with warnings.catch_warnings():
    # Starlette asks for httpx2 when its TestClient runs on httpx; the client works the same.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

pytestmark = pytest.mark.slow

TOKEN = "write-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
DAY = date(2025, 11, 1)


def _louvre() -> list[dict[str, Any]]:
    lines = (corpus_dir() / "partB" / "louvre-heist.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _error(r: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["message"]
    if code is not None:
        assert body["error"]["code"] == code
    return body["error"]


@pytest.fixture(scope="module")
def demo(demo_db: tuple[Storyline, object], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Storyline]:
    """A copy of the session's demo database (the API writes its search index into it)."""
    sl, _ = demo_db
    path = tmp_path_factory.mktemp("api") / "demo.db"
    copy = sqlite3.connect(path)
    sl.store.conn.backup(copy)
    copy.close()
    reader = Storyline(db=path, create=False)
    yield reader
    reader.close()


@pytest.fixture(scope="module")
def client(demo: Storyline) -> Iterator[TestClient]:
    with TestClient(create_app(demo.config.db)) as c:
        wait_until_indexed(lambda: c.get("/healthz").json())
        yield c


@pytest.fixture(scope="module")
def writer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A server that accepts writes, on an empty database; the language stages run inline."""
    path = tmp_path_factory.mktemp("api-write") / "w.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STORYLINE_WORKERS", "0")
        with TestClient(create_app(str(path), api_token=TOKEN)) as c:
            yield c


# --------------------------------------------------------------------------- reads


def test_stories_filters_and_pagination(client: TestClient, demo: Storyline) -> None:
    everything = client.get("/api/v1/stories", params={"limit": 500}).json()
    assert everything["total"] == len(demo.stories()) > 20
    ids = [s["id"] for s in everything["items"]]
    page = client.get("/api/v1/stories", params={"offset": 5, "limit": 5}).json()
    assert [s["id"] for s in page["items"]] == ids[5:10] and page["total"] == len(ids)

    zh = client.get("/api/v1/stories", params={"lang": "zh", "limit": 500}).json()["items"]
    assert zh and all("zh" in s["langs"] for s in zh) and len(zh) < len(ids)
    xinhua = client.get("/api/v1/stories", params={"outlet": "新华社", "limit": 500}).json()["items"]
    assert xinhua and all("新华社" in s["outlets"] for s in xinhua)

    line = demo.storylines()[0]
    of_line = client.get("/api/v1/stories", params={"storyline": line.id, "limit": 500}).json()["items"]
    assert {s["id"] for s in of_line} == set(line.story_ids)

    bessent = client.get("/api/v1/stories", params={"entity": "贝森特"}).json()["items"]
    assert bessent and {s["id"] for s in bessent} <= set(ids) and len(bessent) < len(ids)

    window = {"since": "2025-10-20", "until": "2025-10-31", "limit": 500}
    for s in client.get("/api/v1/stories", params=window).json()["items"]:
        assert s["last"][:10] >= "2025-10-20" and s["first"][:10] <= "2025-10-31"
    _error(client.get("/api/v1/stories", params={"since": "2025-11-01", "until": "2025-10-01"}), 422)
    _error(client.get("/api/v1/stories", params={"since": "last week"}), 422, "invalid_parameter")


def test_storylines_and_one_storyline(client: TestClient, demo: Storyline) -> None:
    lines = client.get("/api/v1/storylines").json()
    assert lines["total"] == len(demo.storylines())
    first = lines["items"][0]
    one = client.get(f"/api/v1/storylines/{first['id']}").json()
    assert [s["id"] for s in one["stories"]] == first["stories"]
    _error(client.get("/api/v1/storylines/lnothing"), 404, "not_found")


def test_brief_is_the_facades_brief(client: TestClient, demo: Storyline) -> None:
    story = max(demo.stories(), key=lambda s: s.n_articles)
    r = client.get(f"/api/v1/stories/{story.id}/brief", params={"today": DAY.isoformat()})
    assert r.status_code == 200
    expected = demo.brief(story.id, today=DAY)
    assert r.json() == json.loads(json.dumps(expected))
    zh = client.get(f"/api/v1/stories/{story.id[:8]}/brief", params={"lang": "zh", "today": "2025-11-01"})
    assert zh.status_code == 200 and zh.json()["lang"] == "zh"
    line_brief = client.get(f"/api/v1/storylines/{story.storyline_id}/brief").json()
    assert line_brief["id"] == story.storyline_id
    _error(client.get(f"/api/v1/stories/{story.id}/brief", params={"lang": "fr"}), 422)
    _error(client.get("/api/v1/stories/snothing/brief"), 404)
    view = client.get(f"/api/v1/stories/{story.id}").json()
    assert view["id"] == story.id and view["articles"]


def test_article_text_spans_and_duplicates(client: TestClient, demo: Storyline) -> None:
    story = next(s for s in demo.stories() if s.copies)
    copy = next(a for a in demo.articles(story.article_ids) if a.dup_of)
    original = client.get(f"/api/v1/articles/{copy.dup_of}").json()
    assert copy.id in [d["id"] for d in original["duplicates"]]
    assert original["story_id"] == story.id and original["storyline_id"] == story.storyline_id
    text = original["text"]
    notes = original["annotations"]
    assert notes["mentions"] and set(notes) >= {"mentions", "quotes", "figures", "timexes", "events", "roles"}
    for item in notes["figures"] + notes["timexes"] + [m for m in notes["mentions"] if m["start"] >= 0]:
        assert text[item["start"] : item["end"]] == item["text"]
    assert client.get(f"/api/v1/articles/{copy.id}").json()["duplicate_of"] == copy.dup_of
    _error(client.get("/api/v1/articles/anothing"), 404)


def test_entities_timeline_and_upcoming(client: TestClient, demo: Storyline) -> None:
    people = client.get("/api/v1/entities", params={"type": "person", "limit": 5}).json()["items"]
    assert len(people) == 5 and all(p["type"] == "person" for p in people)
    second = client.get("/api/v1/entities", params={"type": "person", "limit": 1, "offset": 1}).json()
    assert second["items"][0]["key"] == people[1]["key"]
    bessent = client.get("/api/v1/entities/贝森特").json()
    assert bessent["key"] == "per:scott bessent" and bessent == client.get("/api/v1/entities/Bessent").json()
    _error(client.get("/api/v1/entities/Nobody Atall"), 404)

    line = demo.storylines()[0]
    timeline = client.get("/api/v1/timeline", params={"storyline": line.id}).json()
    assert timeline["items"] == json.loads(json.dumps(demo.timeline(storyline_id=line.id)))
    _error(client.get("/api/v1/timeline", params={"story": "snothing"}), 404)
    due = client.get("/api/v1/upcoming", params={"days": 60, "today": "2025-10-26"}).json()
    assert due["items"] == json.loads(json.dumps(demo.upcoming(60, date(2025, 10, 26))))


def test_full_text_search_english_and_chinese(client: TestClient) -> None:
    r = client.get("/api/v1/search", params={"q": "Louvre jewels"}).json()
    assert r["mode"] == "text" and r["total"] >= 2 and r["unindexed"] == 0
    assert all(h["lang"] == "en" and h["story_id"] for h in r["items"])
    zh = client.get("/api/v1/search", params={"q": "卢浮宫", "limit": 2}).json()
    assert zh["total"] >= 3 and len(zh["items"]) == 2
    hit = zh["items"][0]
    assert hit["lang"] == "zh" and next(hit["snippet"][s:e] for s, e in hit["highlights"]) == "卢浮宫"
    article = client.get(f"/api/v1/articles/{hit['article_id']}").json()
    assert article["text"][hit["span"][0] : hit["span"][1]] == hit["snippet"]
    assert client.get("/api/v1/search", params={"q": "卢浮宫", "lang": "en"}).json()["total"] == 0
    _error(client.get("/api/v1/search", params={"q": "?!"}), 422)
    _error(client.get("/api/v1/search"), 422, "invalid_parameter")


def test_semantic_search_across_languages(client: TestClient) -> None:
    texts = client.get("/api/v1/search", params={"q": "Louvre"}).json()["items"]
    louvre_lines = {h["storyline_id"] for h in texts}
    q = {"q": "thieves steal crown jewels from a Paris museum", "mode": "semantic", "lang": "zh", "limit": 3}
    r = client.get("/api/v1/search", params=q).json()
    assert r["mode"] == "semantic" and r["items"]
    assert r["items"][0]["lang"] == "zh" and r["items"][0]["storyline_id"] in louvre_lines


def test_errors_have_one_shape(client: TestClient) -> None:
    assert "openapi.json" in _error(client.get("/api/v1/nothing"), 404, "not_found")["message"]
    _error(client.get("/no/such/page"), 404, "not_found")
    _error(client.delete("/api/v1/stories"), 405, "method_not_allowed")
    problem = _error(client.get("/api/v1/stories", params={"limit": 0}), 422, "invalid_parameter")
    assert problem["details"][0]["where"] == "query.limit"


def test_healthz_metrics_and_openapi(client: TestClient) -> None:
    health = client.get("/healthz").json()
    assert health["status"] == "ok" and health["articles"] == 104
    assert health["writer"]["pid"] > 0 and health["writer"]["waiting"] >= 0
    client.get("/api/v1/stories")
    r = client.get("/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    text = r.text
    assert 'storyline_stored{kind="articles"} 104' in text
    assert 'storyline_stored{kind="storylines"}' in text and 'storyline_stored{kind="posts"}' in text
    assert 'storyline_http_requests_total{method="GET",route="/api/v1/stories",status="200"}' in text
    assert (
        'storyline_http_request_duration_seconds_bucket{method="GET",route="/api/v1/stories",le="+Inf"}'
        in text
    )
    assert "# TYPE storyline_http_request_duration_seconds histogram" in text
    spec = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/stories", "/api/v1/search", "/api/v1/articles"} <= set(spec["paths"])
    assert "requestBody" in spec["paths"]["/api/v1/articles"]["post"]


def test_read_token_guards_reads_but_not_healthz(demo: Storyline) -> None:
    app = create_app(demo.config.db, api_token=TOKEN, read_token="read-token")
    with TestClient(app) as c:
        _error(c.get("/api/v1/stories"), 401, "unauthorized")
        _error(c.get("/api/v1/stories", headers={"Authorization": "Bearer wrong"}), 401)
        assert c.get("/api/v1/stories", headers={"Authorization": "Bearer read-token"}).status_code == 200
        assert c.get("/api/v1/stories", headers=AUTH).status_code == 200
        _error(c.get("/metrics"), 401)
        assert c.get("/healthz").status_code == 200
        _error(
            c.post("/api/v1/articles", json={"text": "x"}, headers={"Authorization": "Bearer read-token"}),
            401,
        )
        # A browser signs in once; the cookie opens pages and reads, never writes.
        assert c.post("/login", content="token=wrong").status_code == 401
        signed = c.post("/login", content="token=read-token", follow_redirects=False)
        assert signed.status_code == 303 and "storyline_token" in signed.headers["set-cookie"]
        assert c.get("/").status_code == 200
        assert c.get("/api/v1/stories").status_code == 200
        _error(c.post("/api/v1/articles", json={"text": "x"}), 401)


# --------------------------------------------------------------------------- writes


def test_writes_are_refused_without_a_configured_token(client: TestClient) -> None:
    _error(client.post("/api/v1/articles", json=_louvre()[:1], headers=AUTH), 403, "writes_disabled")
    _error(client.post("/api/v1/posts", json={"text": "hello"}), 403, "writes_disabled")


def test_writes_need_the_right_token(writer: TestClient) -> None:
    r = _error(writer.post("/api/v1/articles", json=_louvre()[:1]), 401, "unauthorized")
    assert "Bearer" in r["message"]
    _error(writer.post("/api/v1/articles", json=_louvre()[:1], headers={"Authorization": "Bearer no"}), 401)


def test_batch_stores_good_items_and_reports_broken_ones(writer: TestClient) -> None:
    good = _louvre()[:3]
    broken = [{"title": "no body"}, 7, {"text": "fine", "published": 2025}, {"text": " "}]
    r = writer.post("/api/v1/articles", json=[*good, *broken, {**good[0], "extra": 1}], headers=AUTH)
    assert r.status_code == 200, r.text
    body = r.json()
    statuses = [i["status"] for i in body["items"]]
    assert statuses[3:7] == ["rejected"] * 4 and statuses[7] == "unchanged"
    assert set(statuses[:3]) <= {"stored", "duplicate"} and body["stored"] >= 2
    reasons = [i["reasons"][0] for i in body["items"][3:7]]
    assert reasons == [
        "no 'text' or 'html' field",
        "expected a JSON object, found int",
        "'published' must be a string, found int",
        "'text'/'html' field is empty or not a string",
    ]
    assert "unknown field 'extra' ignored" in body["items"][7]["warnings"]
    first = body["items"][0]
    assert (
        first["story_id"]
        and writer.get(f"/api/v1/articles/{first['id']}").json()["title"] == good[0]["title"]
    )
    # What was just stored is searchable at once.
    found = writer.get("/api/v1/search", params={"q": "Louvre"}).json()["items"]
    assert first["id"] in [h["article_id"] for h in found]
    assert writer.get("/api/v1/search", params={"q": "卢浮宫"}).json()["total"] >= 1

    again = writer.post("/api/v1/articles", json={"articles": good[:1]}, headers=AUTH).json()
    assert again["items"][0]["status"] == "unchanged" and again["items"][0]["id"] == first["id"]
    lines = "\n".join(json.dumps(x) for x in _louvre()[3:4]) + "\n{broken\n"
    nd = writer.post(
        "/api/v1/articles", content=lines.encode(), headers={**AUTH, "content-type": "application/x-ndjson"}
    ).json()
    assert [i["status"] for i in nd["items"]] == ["stored", "rejected"]
    assert nd["items"][1]["reasons"][0].startswith("line 2: invalid JSON")
    metrics = writer.get("/metrics").text
    assert 'storyline_ingested_total{kind="articles",result="rejected"} 5' in metrics


def test_nothing_usable_is_422_and_bad_json_400(writer: TestClient) -> None:
    err = _error(writer.post("/api/v1/articles", json=[1, {"html": ""}], headers=AUTH), 422)
    assert [i["status"] for i in err["details"]] == ["rejected", "rejected"]
    _error(writer.post("/api/v1/articles", content=b"{oops", headers=AUTH), 400, "invalid_json")
    _error(writer.post("/api/v1/articles", json=[], headers=AUTH), 400)
    _error(
        writer.post("/api/v1/articles", content=b"<p>", headers={**AUTH, "content-type": "text/html"}), 415
    )


def test_body_and_batch_limits_answer_413(writer: TestClient) -> None:
    big = b'{"text": "' + b"x" * 10_000_001 + b'"}'
    err = _error(writer.post("/api/v1/articles", content=big, headers=AUTH), 413, "too_large")
    assert err["details"]["limit_bytes"] == 10_000_000

    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(11):
            yield b"x" * 1_000_000
        yield b'"}'

    # No Content-Length: the limit is enforced as the body streams in.
    _error(writer.post("/api/v1/articles", content=chunks(), headers=AUTH), 413, "too_large")
    many = [{"text": f"article {i}"} for i in range(1001)]
    assert "1000" in _error(writer.post("/api/v1/articles", json=many, headers=AUTH), 413)["message"]


@pytest.mark.skipif(not STANCE_MODEL.exists(), reason=f"{STANCE_MODEL} (the stance model) is not built yet")
def test_posts_are_stored_attached_and_broken_ones_reported(writer: TestClient) -> None:
    article = _louvre()[0]
    posts = [
        {
            "text": "Unbelievable heist at the Louvre " + article["url"],
            "author": "a",
            "posted": "2025-10-19T12:00:00Z",
        },
        {"text": 3},
        {"text": "agreed", "posted": "yesterday"},
    ]
    writer.post("/api/v1/articles", json=[article], headers=AUTH)
    r = writer.post("/api/v1/posts", json=posts, headers=AUTH)
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert items[0]["status"] == "stored" and items[0]["attached_by"] == "link" and items[0]["story_id"]
    assert [i["status"] for i in items[1:]] == ["rejected", "rejected"]
    assert "ISO 8601" in items[2]["reasons"][0]
    again = writer.post("/api/v1/posts", json=posts[:1], headers=AUTH).json()
    assert again["items"][0]["status"] == "unchanged"


def test_another_writer_on_the_database_is_409(tmp_path: Path) -> None:
    path = tmp_path / "claimed.db"
    other = Store(path)
    other.claim_writer()
    try:
        with TestClient(create_app(str(path), api_token=TOKEN)) as c:
            err = _error(c.post("/api/v1/articles", json=_louvre()[:1], headers=AUTH), 409, "writer_busy")
            assert "another ingest" in err["message"]
    finally:
        other.close()


def test_real_server_answers_reads_while_it_ingests(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORYLINE_WORKERS", "0")
    app = create_app(str(tmp_path / "served.db"), api_token=TOKEN)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        port = server.servers[0].sockets[0].getsockname()[1]
        base = f"http://127.0.0.1:{port}"
        posted: dict[str, httpx.Response] = {}

        def post() -> None:
            posted["r"] = httpx.post(
                f"{base}/api/v1/articles", json=_louvre()[4:7], headers=AUTH, timeout=300
            )

        writing = threading.Thread(target=post)
        writing.start()
        time.sleep(0.2)
        reads = [
            httpx.get(f"{base}{p}", timeout=30) for p in ("/healthz", "/api/v1/stories", "/api/v1/storylines")
        ]
        read_during_write = writing.is_alive()
        writing.join()
        assert all(r.status_code == 200 for r in reads)
        assert read_during_write, "the reads should have been answered while the ingest ran"
        assert posted["r"].status_code == 200 and posted["r"].json()["stored"] == 3
        assert httpx.get(f"{base}/api/v1/stories").json()["total"] >= 1
        assert httpx.get(f"{base}/nothing").json()["error"]["code"] == "not_found"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
