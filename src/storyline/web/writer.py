"""The one writer: a process of its own that runs every ingest, fed by the web workers over a socket.

Ingest is CPU-bound Python (embedding, clustering); run in the serving process
it would hold the interpreter lock for whole batches and starve the reads. So
the server starts one writer process (``WriterProcess``) beside the web
worker(s). It holds the store's writer claim, runs one job at a time in the
order they came, and runs at a lower CPU priority (``WRITER_NICE``): on a
small machine reads come first, and ingest still gets about a quarter of the
CPU when reads keep every core busy. Web workers send it jobs with
``WriterClient`` over a Unix socket that only holders of a random key can use.

A job is one of ``OPS`` (a name and picklable arguments), answered with
``("ok", result)``, ``("busy", waiting)`` or ``("raise", exception)``;
``"ping"`` is answered at once with the writer's pid and queue length.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import secrets
import shutil
import signal
import sqlite3
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Client, Connection, Listener
from typing import Any

from ..orphans import exit_with_parent
from .errors import ApiError
from .ingest import ingest_articles, ingest_posts

__all__ = ["MAX_QUEUED_WRITES", "WRITER_NICE", "WriterClient", "WriterProcess"]

log = logging.getLogger("storyline.web")

# Write requests waiting for the writer beyond this are refused, not queued.
MAX_QUEUED_WRITES = 8
# How much lower the writer's CPU priority is than the web workers' (see the module docstring).
WRITER_NICE = 5
_START_TIMEOUT_S = 120.0
# How often the writer indexes, for search, what other processes stored.
INDEX_EVERY_S = 10.0


# --------------------------------------------------------------------------- in the writer process


def _index(sl: Any) -> int:
    try:
        return int(sl.index_for_search())
    except sqlite3.OperationalError as exc:
        # Another process holds the write lock (a `storyline ingest`): the next round indexes.
        log.info("indexing for search deferred: %s", exc)
        return 0


def _prepare(sl: Any) -> None:
    # Models loaded and clusters restored now, not in the first write (minutes on a large store).
    sl.pipeline  # noqa: B018 - built on first use


OPS: dict[str, Callable[..., Any]] = {
    "articles": ingest_articles,
    "posts": ingest_posts,
    "index": _index,
    "prepare": _prepare,
}


class _Jobs:
    """Runs jobs one at a time, first come first served, on the writer facade."""

    def __init__(self, db: str) -> None:
        from ..facade import Storyline

        self.sl = Storyline(db=db)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="storyline-writer")
        self._waiting = 0
        self._lock = threading.Lock()

    def _run(self, op: str, args: tuple[Any, ...]) -> Any:
        try:
            return OPS[op](self.sl, *args)
        finally:
            with self._lock:
                self._waiting -= 1

    def answer(self, op: str, args: tuple[Any, ...]) -> tuple[str, Any]:
        if op not in OPS:
            return "raise", ValueError(f"the writer has no job {op!r}")
        with self._lock:
            if self._waiting >= MAX_QUEUED_WRITES:
                return "busy", self._waiting
            self._waiting += 1
        future = self._executor.submit(self._run, op, args)
        try:
            return "ok", future.result()
        except Exception as exc:
            log.exception("writer job %s failed", op)
            return "raise", exc

    def status(self) -> dict[str, int]:
        with self._lock:
            return {"pid": os.getpid(), "waiting": self._waiting}

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
        self.sl.close()


def _handle(conn: Connection, jobs: _Jobs) -> None:
    with conn:
        try:
            op, args = conn.recv()
        except (EOFError, OSError, ValueError, TypeError):
            return
        # Answered at once, not queued behind an ingest: /healthz asks it.
        status, value = ("ok", jobs.status()) if op == "ping" else jobs.answer(op, args)
        try:
            conn.send((status, value))
        except (OSError, EOFError):
            # The web worker gave up (timeout, shutdown); the job's work is stored all the same.
            return
        except Exception:
            # An exception that cannot be pickled still reaches the caller as its message.
            with contextlib.suppress(OSError, EOFError):
                conn.send(("raise", RuntimeError(f"{type(value).__name__}: {value}")))


def _keep_indexing(jobs: _Jobs) -> None:
    # Articles a `storyline ingest` beside the server stores become searchable within this
    # long; the server's own ingests index as they store. A queued job goes first.
    while True:
        time.sleep(INDEX_EVERY_S)
        if jobs.status()["waiting"] == 0:
            jobs.answer("index", ())


def _main(db: str, address: str, authkey: bytes, nice: int, prepare: bool, ready: Any) -> None:
    """The writer process: listen, then run jobs until SIGTERM."""
    logging.basicConfig(level=logging.INFO, format="storyline writer: %(levelname)s %(message)s")
    with contextlib.suppress(OSError):
        os.nice(nice)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    exit_with_parent()
    jobs = _Jobs(db)
    listener = Listener(address, family="AF_UNIX", authkey=authkey)
    ready.set()
    # Articles stored by `storyline ingest` since the index was last brought up to date;
    # then, if writes are expected, the pipeline (the first jobs in the queue).
    for job in ("index", "prepare") if prepare else ("index",):
        threading.Thread(target=jobs.answer, args=(job, ()), daemon=True).start()
    threading.Thread(target=_keep_indexing, args=(jobs,), daemon=True).start()
    try:
        while True:
            try:
                conn = listener.accept()
            except (OSError, EOFError) as exc:
                # A client with the wrong key, or one that hung up during the handshake.
                log.warning("refused a connection: %s", exc)
                continue
            threading.Thread(target=_handle, args=(conn, jobs), daemon=True).start()
    finally:
        listener.close()
        jobs.close()


# --------------------------------------------------------------------------- in the serving process


class WriterProcess:
    """Starts the writer process for a database, restarts it if it dies, and stops it."""

    def __init__(self, db: str, nice: int = WRITER_NICE, prepare: bool = False) -> None:
        """``prepare``: load the models and restore the clusters at start, ready for writes."""
        self.db = db
        self.nice = nice
        self.prepare = prepare
        self._dir = tempfile.mkdtemp(prefix="storyline-writer-")
        self.address = os.path.join(self._dir, "writer.sock")
        self.authkey = secrets.token_bytes(32)
        self._ctx = multiprocessing.get_context("spawn")
        self._proc: Any = None
        self._stopping = threading.Event()
        self._watch: threading.Thread | None = None

    def _spawn(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.address)
        ready = self._ctx.Event()
        proc = self._ctx.Process(
            target=_main,
            args=(self.db, self.address, self.authkey, self.nice, self.prepare, ready),
            name="storyline-writer",
            daemon=False,
        )
        proc.start()
        deadline = time.monotonic() + _START_TIMEOUT_S
        while not ready.wait(0.1):
            if not proc.is_alive() or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(
                    f"the writer process for {self.db} did not start (exit code {proc.exitcode}); "
                    "see the messages above"
                )
        self._proc = proc

    def start(self) -> WriterProcess:
        self._spawn()
        self._watch = threading.Thread(target=self._keep_alive, name="storyline-writer-watch", daemon=True)
        self._watch.start()
        return self

    def _keep_alive(self) -> None:
        while not self._stopping.is_set():
            self._proc.join(timeout=1.0)
            if self._stopping.is_set() or self._proc.is_alive():
                continue
            log.error("the writer process exited with %s; starting a new one", self._proc.exitcode)
            try:
                self._spawn()
            except RuntimeError as exc:
                log.error("%s", exc)
                self._stopping.wait(5.0)

    def folder(self, name: str) -> str:
        """A folder of this server's own, removed when the writer stops (for the workers' metrics)."""
        path = os.path.join(self._dir, name)
        os.makedirs(path, exist_ok=True)
        return path

    def client(self) -> WriterClient:
        return WriterClient(self.address, self.authkey)

    def stop(self, timeout_s: float = 30.0) -> None:
        self._stopping.set()
        if self._watch is not None:
            self._watch.join()
        if self._proc is not None and self._proc.is_alive():
            self._proc.terminate()
            self._proc.join(timeout_s)
            if self._proc.is_alive():
                self._proc.kill()
                self._proc.join()
        shutil.rmtree(self._dir, ignore_errors=True)


class WriterClient:
    """What a web worker uses to have the writer run a job."""

    def __init__(self, address: str, authkey: bytes) -> None:
        self.address = address
        self.authkey = authkey
        # Waiting for a long ingest holds a thread: enough for every write the writer would queue.
        self._threads = ThreadPoolExecutor(
            max_workers=MAX_QUEUED_WRITES + 2, thread_name_prefix="writer-client"
        )

    def call(self, op: str, *args: Any) -> Any:
        """Run ``op`` on the writer and wait for its result (blocking)."""
        try:
            conn = Client(self.address, family="AF_UNIX", authkey=self.authkey)
        except (OSError, EOFError) as exc:
            raise ApiError(
                503,
                f"the ingest process is not answering ({exc}); retry in a minute",
                code="unavailable",
                headers={"Retry-After": "30"},
            ) from None
        with conn:
            conn.send((op, args))
            try:
                status, value = conn.recv()
            except (EOFError, OSError):
                raise ApiError(
                    503,
                    "the ingest process stopped during this request; send the items again "
                    "(those already stored come back as 'unchanged')",
                    code="unavailable",
                    headers={"Retry-After": "30"},
                ) from None
        if status == "busy":
            raise ApiError(
                503,
                f"{value} writes are already waiting; retry in a minute or send larger batches",
                code="busy",
                headers={"Retry-After": "30"},
            )
        if status == "raise":
            raise value
        return value

    def ping(self) -> dict[str, int]:
        """The writer's pid and how many jobs wait for it; ApiError 503 if it is not answering."""
        status: dict[str, int] = self.call("ping")
        return status

    async def run(self, op: str, *args: Any) -> Any:
        """``call`` awaited without blocking the event loop."""
        return await asyncio.get_running_loop().run_in_executor(self._threads, lambda: self.call(op, *args))

    def close(self) -> None:
        self._threads.shutdown(wait=False, cancel_futures=True)
