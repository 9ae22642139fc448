"""Browser tests, and the hostile article the page tests share with them."""

from __future__ import annotations

import json
import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI

from storyline import Storyline

# Everything an article from the web could try: a script in the title and the
# body, event handlers, a javascript: link and a javascript: source URL.
HOSTILE_TITLE = "<script>window.__pwned_title=1;alert('title')</script>Harbour authority <b>reopens</b> port"
HOSTILE_TEXT = (
    "The harbour authority of Port Veyra said on Monday that the container port would reopen "
    "on Friday after a week of repairs. <script>window.__pwned=1;alert('body')</script>\n\n"
    'Officials urged shippers to check <a href="javascript:alert(2)" id="injected-link">the schedule</a> '
    'before sailing. <img src="x" id="injected-img" onerror="window.__pwned=2;alert(3)"> '
    "Port director Lena Morvan said 40 ships were waiting.\n\n"
    '<svg onload="alert(4)"><circle id="injected-svg" r="9"/></svg> "We will clear the queue '
    'within ten days," Morvan said. <iframe src="javascript:alert(5)" id="injected-frame"></iframe>'
)
HOSTILE_URL = "javascript:alert('url')"

_copies: dict[str, Path] = {}


def hostile_copy(demo: Storyline, folder: Path) -> tuple[Path, str]:
    """A copy of the demo database with the hostile article added; (path, its article id).

    Made once per session and demo database: ingesting loads the models.
    """
    key = demo.store.path
    if key not in _copies:
        path = folder / "hostile.db"
        with sqlite3.connect(path) as dst:
            demo.store.conn.backup(dst)
        feed = folder / "hostile.jsonl"
        item = {
            "title": HOSTILE_TITLE,
            "text": HOSTILE_TEXT,
            "url": HOSTILE_URL,
            "published": "2025-11-03T09:00:00+00:00",
            "source": "<script>alert('outlet')</script>Veyra Gazette",
            "lang": "en",
        }
        feed.write_text(json.dumps(item) + "\n", encoding="utf-8")
        with Storyline(db=path) as sl:
            sl.ingest([feed])
        _copies[key] = path
    with Storyline(db=_copies[key], create=False) as sl:
        found = [a for a in sl.articles(_article_ids(sl)) if "Port Veyra" in a.text]
    return _copies[key], found[0].id


def _article_ids(sl: Storyline) -> list[str]:
    return [aid for s in sl.stories() for aid in s.article_ids]


def wait_until_indexed(health: Callable[[], dict[str, Any]], timeout_s: float = 120) -> None:
    """Until the writer has finished its start-up jobs (the search index): searches find everything."""
    deadline = time.monotonic() + timeout_s
    while health().get("writer", {}).get("waiting") != 0:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server's writer did not finish indexing")
        time.sleep(0.1)


@contextmanager
def running(app: FastAPI) -> Iterator[str]:
    """``app`` served by uvicorn on a free port of 127.0.0.1 in a thread; yields its base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    wait_until_indexed(lambda: httpx.get(f"{base}/healthz", timeout=30).json())
    try:
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()
