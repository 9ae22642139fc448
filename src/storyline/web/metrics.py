"""Counters for ``/metrics``, in the Prometheus text format (version 0.0.4).

Request counts and latencies are labelled by route template (``/api/v1/stories/{story_id}``),
never by the raw path, so that the number of series stays bounded whatever clients ask for.
Store sizes are read from the database at scrape time.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["Metrics", "MetricsMiddleware", "SharedMetrics"]

_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


def _labels(**labels: str) -> str:
    parts = []
    for k, v in labels.items():
        escaped = v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        parts.append(f'{k}="{escaped}"')
    return "{" + ",".join(parts) + "}"


class _Histogram:
    __slots__ = ("buckets", "count", "total")

    def __init__(self) -> None:
        self.buckets = [0] * len(_BUCKETS)
        self.count = 0
        self.total = 0.0

    def observe(self, value: float) -> None:
        self.count += 1
        self.total += value
        for i, bound in enumerate(_BUCKETS):
            if value <= bound:
                self.buckets[i] += 1


class Metrics:
    """What the server has done since it started; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.started = time.time()
        self._requests: Counter[tuple[str, str, str]] = Counter()
        self._latency: dict[tuple[str, str], _Histogram] = {}
        self._ingested: Counter[tuple[str, str]] = Counter()  # (kind, result) -> items
        self._ingest_seconds: Counter[str] = Counter()
        self._ingest_runs: Counter[str] = Counter()
        self._last_rate: dict[str, tuple[float, float]] = {}  # kind -> (items/s, when)
        self._errors: Counter[str] = Counter()

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        with self._lock:
            self._requests[(method, route, str(status))] += 1
            self._latency.setdefault((method, route), _Histogram()).observe(seconds)
            if status >= 500:
                self._errors["server"] += 1

    def observe_ingest(self, kind: str, results: Mapping[str, int], seconds: float) -> None:
        """One ingest run of ``kind`` (articles, posts): items by result, and how long it took."""
        with self._lock:
            for result, n in results.items():
                self._ingested[(kind, result)] += n
            self._ingest_seconds[kind] += seconds
            self._ingest_runs[kind] += 1
            stored = results.get("stored", 0)
            if seconds > 0:
                self._last_rate[kind] = (stored / seconds, time.time())

    def observe_error(self, kind: str) -> None:
        with self._lock:
            self._errors[kind] += 1

    def snapshot(self) -> dict[str, Any]:
        """Everything counted so far, as JSON-ready data (see ``merged``)."""
        with self._lock:
            return {
                "started": self.started,
                "requests": [[*k, n] for k, n in self._requests.items()],
                "latency": [[*k, h.buckets, h.count, h.total] for k, h in self._latency.items()],
                "ingested": [[*k, n] for k, n in self._ingested.items()],
                "ingest_seconds": dict(self._ingest_seconds),
                "ingest_runs": dict(self._ingest_runs),
                "last_rate": {k: list(v) for k, v in self._last_rate.items()},
                "errors": dict(self._errors),
            }

    @classmethod
    def merged(cls, snapshots: Iterable[Mapping[str, Any]]) -> Metrics:
        """The sum of several processes' ``snapshot``s: one server's figures when it runs workers."""
        out = cls()
        for snap in snapshots:
            out.started = min(out.started, snap["started"])
            for m, r, status, n in snap["requests"]:
                out._requests[(m, r, status)] += n
            for m, r, buckets, count, total in snap["latency"]:
                h = out._latency.setdefault((m, r), _Histogram())
                h.buckets = [a + b for a, b in zip(h.buckets, buckets, strict=True)]
                h.count += count
                h.total += total
            for k, r, n in snap["ingested"]:
                out._ingested[(k, r)] += n
            out._ingest_seconds.update(snap["ingest_seconds"])
            out._ingest_runs.update(snap["ingest_runs"])
            out._errors.update(snap["errors"])
            for k, (rate, when) in snap["last_rate"].items():
                if k not in out._last_rate or when > out._last_rate[k][1]:
                    out._last_rate[k] = (rate, when)
        return out

    def render(self, store_counts: Mapping[str, int]) -> str:
        """The exposition text; ``store_counts`` are the sizes of the store right now."""
        out: list[str] = []

        def family(name: str, kind: str, help_: str, samples: list[tuple[str, Any]]) -> None:
            out.append(f"# HELP {name} {help_}")
            out.append(f"# TYPE {name} {kind}")
            out.extend(f"{name}{labels} {value}" for labels, value in samples)

        with self._lock:
            family(
                "storyline_stored",
                "gauge",
                "Rows in the store, by kind (articles, duplicates, stories, storylines, posts).",
                [(_labels(kind=k), v) for k, v in sorted(store_counts.items())],
            )
            family(
                "storyline_ingested_total",
                "counter",
                "Items posted to this server, by kind and result (stored, duplicate, unchanged, rejected).",
                [(_labels(kind=k, result=r), n) for (k, r), n in sorted(self._ingested.items())],
            )
            family(
                "storyline_ingest_seconds_total",
                "counter",
                "Time spent ingesting posted items, by kind.",
                [(_labels(kind=k), round(v, 6)) for k, v in sorted(self._ingest_seconds.items())],
            )
            family(
                "storyline_ingest_runs_total",
                "counter",
                "Ingest requests completed, by kind.",
                [(_labels(kind=k), n) for k, n in sorted(self._ingest_runs.items())],
            )
            family(
                "storyline_ingest_last_rate",
                "gauge",
                "Items stored per second by the last ingest, by kind.",
                [(_labels(kind=k), round(v, 3)) for k, (v, _) in sorted(self._last_rate.items())],
            )
            family(
                "storyline_errors_total",
                "counter",
                "Errors, by kind: server (5xx answers), ingest (ingest requests that failed).",
                [(_labels(kind=k), n) for k, n in sorted(self._errors.items())],
            )
            family(
                "storyline_http_requests_total",
                "counter",
                "HTTP requests answered, by method, route template and status.",
                [
                    (_labels(method=m, route=r, status=s), n)
                    for (m, r, s), n in sorted(self._requests.items())
                ],
            )
            out.append("# HELP storyline_http_request_duration_seconds Time to answer, by method and route.")
            out.append("# TYPE storyline_http_request_duration_seconds histogram")
            for (method, route), h in sorted(self._latency.items()):
                for bound, n in zip(_BUCKETS, h.buckets, strict=True):
                    le = _labels(method=method, route=route, le=f"{bound:g}")
                    out.append(f"storyline_http_request_duration_seconds_bucket{le} {n}")
                inf = _labels(method=method, route=route, le="+Inf")
                out.append(f"storyline_http_request_duration_seconds_bucket{inf} {h.count}")
                labels = _labels(method=method, route=route)
                out.append(f"storyline_http_request_duration_seconds_sum{labels} {round(h.total, 6)}")
                out.append(f"storyline_http_request_duration_seconds_count{labels} {h.count}")
            family(
                "storyline_uptime_seconds",
                "gauge",
                "Seconds since the server started.",
                [("", round(time.time() - self.started, 3))],
            )
        return "\n".join(out) + "\n"


class MetricsMiddleware:
    """Times every HTTP request and counts it under its route template."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or "(unmatched)"
            self.metrics.observe_request(scope["method"], template, status, time.perf_counter() - started)


class SharedMetrics:
    """The figures of a server that runs several worker processes: each worker writes its own
    ``Metrics`` to one folder now and then, and a scrape, whichever worker answers it, sums them."""

    def __init__(self, folder: str, metrics: Metrics) -> None:
        self.folder = Path(folder)
        self.metrics = metrics
        self.folder.mkdir(parents=True, exist_ok=True)

    def save(self) -> None:
        path = self.folder / f"{os.getpid()}.json"
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.metrics.snapshot()))
        # Renamed into place: a scrape never reads half a file.
        tmp.replace(path)

    def combined(self) -> Metrics:
        """All workers' figures; a worker that has stopped still counts (counters never go down)."""
        self.save()
        snapshots = []
        for path in self.folder.glob("*.json"):
            try:
                snapshots.append(json.loads(path.read_text()))
            except (OSError, ValueError):
                continue
        return Metrics.merged(snapshots)

    async def keep_saving(self, every_s: float = 2.0) -> None:
        while True:
            await asyncio.sleep(every_s)
            self.save()
