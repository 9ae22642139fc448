"""`storyline serve` as a user runs it: a real process tree (web workers and the writer process)
on a real SQLite file, driven over loopback."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from storyline.demo import corpus_dir
from storyline.store import Store, StoreError

pytestmark = pytest.mark.slow

TOKEN = "serve-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def _louvre() -> list[dict[str, Any]]:
    lines = (corpus_dir() / "partB" / "louvre-heist.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _copy(demo_db: tuple[Any, object], dst: Path) -> Path:
    with closing(sqlite3.connect(demo_db[0].config.db)) as a, closing(sqlite3.connect(dst)) as b:
        a.backup(b)
    return dst


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by its parent) counts as gone.
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _wait(check: Any, timeout_s: float, what: str) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            value = check()
        except httpx.TransportError:
            value = None
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout_s:.0f}s waiting for {what}")


@contextmanager
def _serving(
    db: Path, workers: int, log: Path, token: str | None = TOKEN
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = _free_port()
    env = {**os.environ, "STORYLINE_WORKERS": "0"}
    env.pop("STORYLINE_READ_TOKEN", None)
    env.pop("STORYLINE_API_TOKEN", None)
    if token is not None:
        env["STORYLINE_API_TOKEN"] = token
    cmd = [sys.executable, "-m", "storyline", "serve", "--db", str(db), "--port", str(port)]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [*cmd, "--workers", str(workers)], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(lambda: httpx.get(f"{base}/healthz", timeout=5).status_code == 200, 120, "the server")
        yield base, proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _writer_pid(base: str) -> int:
    return int(httpx.get(f"{base}/healthz", timeout=10).json()["writer"]["pid"])


def test_two_workers_share_one_writer_and_their_metrics(demo_db: Any, tmp_path: Path) -> None:
    db = _copy(demo_db, tmp_path / "served.db")
    with _serving(db, 2, tmp_path / "server.log") as (base, proc):
        writer = _writer_pid(base)
        r = httpx.post(f"{base}/api/v1/articles", json=_louvre()[:2], headers=AUTH, timeout=300)
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["stored"] + body["unchanged"] + body["duplicates"] == 2
        ids = [item["id"] for item in body["items"]]
        # Whichever worker answers sees what the writer stored, and the same writer runs every ingest.
        for _ in range(6):
            for aid in ids:
                assert httpx.get(f"{base}/api/v1/articles/{aid}", timeout=30).status_code == 200
            assert _writer_pid(base) == writer
        posted = sum(body[k] for k in ("stored", "unchanged", "duplicates"))
        for _ in range(6):
            text = httpx.get(f"{base}/metrics", timeout=30).text
            counted = sum(
                float(line.rsplit(" ", 1)[1])
                for line in text.splitlines()
                if line.startswith('storyline_ingested_total{kind="articles"')
            )
            assert counted == posted, text
        tree = [int(p) for p in Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()]
        assert writer in tree and len(tree) >= 3
    assert proc.returncode is not None
    _wait(lambda: not any(_alive(p) for p in tree), 60, "the workers and the writer to stop")


def test_a_writer_that_dies_is_replaced_and_reads_go_on(demo_db: Any, tmp_path: Path) -> None:
    db = _copy(demo_db, tmp_path / "served.db")
    with _serving(db, 1, tmp_path / "server.log") as (base, _):
        first = _writer_pid(base)
        os.kill(first, signal.SIGKILL)
        assert httpx.get(f"{base}/api/v1/stories", timeout=30).status_code == 200
        second = _wait(
            lambda: (
                (w := httpx.get(f"{base}/healthz", timeout=10).json()["writer"]).get("pid") != first
                and w.get("pid")
            ),
            60,
            "a new writer",
        )
        r = httpx.post(f"{base}/api/v1/articles", json=_louvre()[2:3], headers=AUTH, timeout=300)
        assert r.status_code == 200, r.text
        assert _writer_pid(base) == second


def test_a_killed_server_releases_the_database(demo_db: Any, tmp_path: Path) -> None:
    db = _copy(demo_db, tmp_path / "served.db")
    with _serving(db, 1, tmp_path / "server.log") as (base, proc):
        # The writer claims the database at its first ingest.
        r = httpx.post(f"{base}/api/v1/articles", json=_louvre()[3:4], headers=AUTH, timeout=300)
        assert r.status_code == 200, r.text
        writer = _writer_pid(base)
        with pytest.raises(StoreError, match="another ingest"):
            other = Store(db)
            try:
                other.claim_writer()
            finally:
                other.close()
        proc.kill()
        proc.wait()
        _wait(lambda: not _alive(writer), 30, "the orphaned writer to stop")
    store = Store(db)
    try:
        store.claim_writer()
    finally:
        store.close()


def test_articles_another_process_ingests_become_searchable(demo_db: Any, tmp_path: Path) -> None:
    from storyline import Storyline
    from storyline.models import RawDocument

    db = _copy(demo_db, tmp_path / "served.db")
    # Writes disabled: the server's writer never claims the database, so `storyline ingest` can.
    with _serving(db, 1, tmp_path / "server.log", token=None) as (base, _):
        _wait(lambda: httpx.get(f"{base}/healthz", timeout=10).json()["writer"]["waiting"] == 0, 120, "index")
        text = (
            "Zephyrine Quillfeather, a lighthouse keeper in Tasmania, restored the oldest lens in the port."
        )
        with Storyline(db=db, create=False) as sl:
            sl.ingest_documents(
                [RawDocument(origin="cli:1", body=text, kind="text", hints={"title": "Quillfeather lens"})]
            )

        def found() -> bool:
            r = httpx.get(f"{base}/api/v1/search", params={"q": "Quillfeather"}, timeout=30).json()
            return bool(r["total"] == 1)

        _wait(found, 60, "the new article to be searchable")
