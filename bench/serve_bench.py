"""Web service benchmark: latency and throughput of ``storyline serve`` under a local load generator.

The database is the demo corpus replicated to N articles (as in
``ingest_bench.py``), built once into ``--db`` and reused while it holds at
least N articles; each run serves a fresh copy of it, so cached briefs and
posted articles do not carry over from one run to the next. The real server
(``storyline serve``, in its own process, with a write token) runs on
loopback, and ``--clients`` simulated clients keep as many requests in flight
for ``--seconds`` per phase. The load generator runs in this process on the
same CPUs as the server, so it is a plain asyncio HTTP/1.1 client, one
keep-alive connection per simulated client, that takes little of the CPU the
server needs (a general-purpose client such as httpx took milliseconds of CPU
per request here, CPU the server then did not get). The phases:

1. story page: ``/stories/{id}`` of stories whose brief is already cached
   (the largest stories and random ones, each requested once beforehand);
2. story list: ``/api/v1/stories?limit=50&offset=…``;
3. text search: ``/api/v1/search?q=…``, English and Chinese queries;
4. semantic search: the same with ``mode=semantic`` and whole sentences;
5. mixed reads (pages, list, text search) for ``--seconds`` while one writer
   posts ``--ingest`` new articles to ``/api/v1/articles`` in batches (the
   reads stop early if the ingest ends first); then the ingest is left to
   finish alone, and its duration and errors are reported.

An error is a non-2xx answer, a timeout or a connection error. Prints per
phase requests, requests/s, latency percentiles (ms) and errors, "target
missed" lines for the targets of the issue, and as its last line one JSON
object. The exit status is 0 whether or not targets are met: it measures.

    python bench/serve_bench.py [--articles 20000] [--seconds 30] [--clients 32]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import secrets
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).parent))

from ingest_bench import replicated
from storyline import Storyline
from storyline.store.search import ensure_index

# Targets from the issue (p99, ms).
PAGE_P99_MS = 150
SEARCH_P99_MS = 300

TEXT_QUERIES = [
    "typhoon Ragasa",
    "Louvre heist",
    "Nvidia H20",
    "rare earth export controls",
    "Takaichi Taiwan",
    "Shenzhou crew",
    "COP30 deal",
    "Xiaomi SU7 crash",
    "台风",
    "卢浮宫",
    "英伟达",
    "稀土",
    "高市早苗",
    "神舟",
    "小米",
    "关税",
]
SEMANTIC_QUERIES = [
    "a typhoon hits Hong Kong",
    "jewels stolen from the Louvre museum",
    "China restricts sales of Nvidia chips",
    "the US and China agree to lower tariffs",
    "Japan's new prime minister angers Beijing over Taiwan",
    "台风袭击香港",
    "神舟飞船航天员返回地球",
    "小米电动汽车事故",
]
# Mixed phase: what share of the reads goes to each kind.
MIX = {"page": 0.4, "list": 0.3, "search": 0.3}
REQUEST_TIMEOUT_S = 30.0
# An ingest batch waits for the pipeline on a busy machine: minutes, not seconds.
WRITE_TIMEOUT_S = 600.0


def build(db: Path, n: int) -> float:
    """The demo corpus replicated to ``n`` articles in ``db``; tops up a partial file. Returns seconds."""
    db.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with Storyline(db=db) as sl:
        if sl.counts()["articles"] < n:
            stored = {r[0] for r in sl.store.conn.execute("SELECT origin FROM articles")}
            todo = [d for d in replicated(n) if d.origin not in stored]
            # Committed in chunks so that an interrupted build resumes where it stopped.
            for i in range(0, len(todo), 500):
                sl.ingest_documents(todo[i : i + 500])
                done = min(i + 500, len(todo))
                rate = done / (time.perf_counter() - started)
                print(f"  built {len(stored) + done:,}/{n:,} articles ({rate:.0f}/s)", flush=True)
        # The server would otherwise index every article for search while it is being measured.
        ensure_index(sl.store.conn)
    return time.perf_counter() - started


def copy_db(src: Path, dst: Path) -> None:
    # A consistent copy even of a file with a write-ahead log beside it.
    with closing(sqlite3.connect(src)) as a, closing(sqlite3.connect(dst)) as b:
        a.backup(b)


def pick_stories(db: Path, n: int) -> list[str]:
    """Half the largest stories, half drawn at random from the rest."""
    with closing(sqlite3.connect(db)) as conn:
        ids = [
            r[0]
            for r in conn.execute(
                "SELECT story_id FROM articles WHERE story_id IS NOT NULL"
                " GROUP BY story_id ORDER BY count(*) DESC, story_id"
            )
        ]
    largest, rest = ids[: n // 2], ids[n // 2 :]
    return largest + random.Random(5).sample(rest, min(len(rest), n - len(largest)))


def new_articles(start: int, count: int, run: str) -> list[dict[str, Any]]:
    """The replicas after the first ``start`` (the stored ones), as API items; URLs unique to this run."""
    items = []
    for k, doc in enumerate(itertools.islice(replicated(start + count), start, None)):
        item: dict[str, Any] = {**doc.hints, "url": f"https://bench.example/live/{run}/{k}"}
        item["html" if doc.kind == "html" else "text"] = doc.body
        items.append(item)
    return items


# --------------------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: Path, port: int, token: str, log: Path, workers: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "STORYLINE_READ_TOKEN"}
    env["STORYLINE_API_TOKEN"] = token
    cmd = [sys.executable, "-m", "storyline", "serve", "--db", str(db), "--port", str(port)]
    cmd += ["--workers", str(workers)]
    with log.open("wb") as out:
        return subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)


def wait_ready(base: str, proc: subprocess.Popen[bytes], log: Path, timeout_s: float = 600) -> int:
    """Articles the server reports once /healthz answers and its writer has finished starting
    (its models loaded and clusters restored): what is measured is the server at rest."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            r = httpx.get(f"{base}/healthz", timeout=5)
            health = r.json() if r.status_code == 200 else {}
            if health.get("status") == "ok" and health["writer"]["waiting"] == 0:
                return int(health["articles"])
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"the server was not ready within {timeout_s:.0f}s")


def _tree(pid: int) -> list[int]:
    """The process and its descendants (the ingest worker runs in a child)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                todo += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
    return out


def cpu_seconds(pid: int) -> float:
    """User + system CPU of the server's process tree so far."""
    total = 0
    for p in _tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def machine_cpu_seconds() -> float:
    """Busy CPU time of the whole machine so far (all processes, all CPUs)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


@dataclass
class CpuShare:
    """CPU used during a phase, in % of one CPU: by the server, by this generator, by everything else."""

    server_pid: int
    server: float = field(init=False)
    generator: float = field(init=False)
    machine: float = field(init=False)
    started: float = field(init=False)

    def __post_init__(self) -> None:
        self.server, self.generator = cpu_seconds(self.server_pid), time.process_time()
        self.machine, self.started = machine_cpu_seconds(), time.perf_counter()

    def shares(self) -> dict[str, int]:
        elapsed = time.perf_counter() - self.started
        server = cpu_seconds(self.server_pid) - self.server
        generator = time.process_time() - self.generator
        others = machine_cpu_seconds() - self.machine - server - generator
        return {
            "server_cpu_pct": round(100 * server / elapsed),
            "generator_cpu_pct": round(100 * generator / elapsed),
            "others_cpu_pct": round(100 * max(0.0, others) / elapsed),
        }


def tree_mb(pid: int, file: str, field: str) -> float:
    """A ``Field: N kB`` line of /proc/PID/FILE summed over the process tree, in MB."""
    total = 0.0
    for p in _tree(pid):
        try:
            text = Path(f"/proc/{p}/{file}").read_text()
        except OSError:
            continue
        for line in text.splitlines():
            if line.startswith(field + ":"):
                total += int(line.split()[1]) / 1024
    return total


def pss_mb(pid: int) -> float:
    """Memory of the process tree now, each shared page divided among its sharers (PSS).

    RSS would count the memory-mapped database once per connection that maps it."""
    return tree_mb(pid, "smaps_rollup", "Pss")


def peak_rss_mb(pid: int) -> float:
    return tree_mb(pid, "status", "VmHWM")


# --------------------------------------------------------------------------- the load


@dataclass
class Tally:
    """Latencies (ms) of the successful requests and the errors, per kind of request."""

    ms: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))

    def error(self, kind: str, what: str) -> None:
        self.errors[kind][what] += 1


def percentile(sorted_ms: list[float], p: float) -> float:
    # Nearest rank: a value that was really observed.
    return sorted_ms[min(len(sorted_ms) - 1, max(0, round(p / 100 * len(sorted_ms) + 0.5) - 1))]


def summary(ms: list[float], errors: dict[str, int], seconds: float) -> dict[str, Any]:
    s = sorted(ms)
    n = len(s) + sum(errors.values())
    figures = {"requests": n, "rps": round(n / seconds, 1) if seconds else 0.0}
    for name, p in (("p50_ms", 50), ("p90_ms", 90), ("p99_ms", 99)):
        figures[name] = round(percentile(s, p), 1) if s else None
    figures["max_ms"] = round(s[-1], 1) if s else None
    figures["errors"] = sum(errors.values())
    if errors:
        figures["error_kinds"] = dict(errors)
    return figures


class RemoteProtocolError(Exception):
    """The server's answer is not HTTP/1.1 as this client reads it."""


class Connection:
    """One persistent HTTP/1.1 connection to the server, as one simulated client holds it.

    Deliberately minimal (no redirects, cookies, compression or pooling): the generator shares the
    machine's CPUs with the server, and what it spends per request is taken from the server. It is
    opened on first use and dropped after a timeout, a connection error or ``Connection: close``; the
    next request opens a new one.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def request(
        self, method: str, target: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        """Status and body of the answer; ``target`` is the path with its query, already percent-encoded."""
        head = f"{method} {target} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nConnection: keep-alive\r\n"
        for name, value in (headers or {}).items():
            head += f"{name}: {value}\r\n"
        if body or method == "POST":
            head += f"Content-Length: {len(body)}\r\n"
        message = (head + "\r\n").encode("ascii") + body
        try:
            # Not reused once the server has closed its end (e.g. idle past its keep-alive timeout).
            if self.reader is None or self.writer is None or self.reader.at_eof():
                self.close()
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            self.writer.write(message)
            await self.writer.drain()
            status, content, keep = await self._answer(self.reader)
        except BaseException:
            # Also on a timeout (cancellation): the answer may still come, so the connection is unusable.
            self.close()
            raise
        if not keep:
            self.close()
        return status, content

    @staticmethod
    async def _answer(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
        """Status, body and whether the connection may be reused."""
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head[:-4].decode("latin-1").split("\r\n")
        version, _, rest = lines[0].partition(" ")
        try:
            status = int(rest[:3])
        except ValueError:
            raise RemoteProtocolError(f"bad status line {lines[0]!r}") from None
        if 100 <= status < 200:
            # An interim answer (none is expected: no Expect header is sent); the real one follows.
            return await Connection._answer(reader)
        fields: dict[str, str] = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            fields[name.strip().lower()] = value.strip().lower()
        connection = fields.get("connection", "")
        keep = "keep-alive" in connection if version == "HTTP/1.0" else "close" not in connection
        if "chunked" in fields.get("transfer-encoding", ""):
            # Transfer-Encoding wins over a Content-Length (RFC 9112, 6.3).
            return status, await Connection._chunked(reader), keep
        if "content-length" in fields:
            try:
                length = int(fields["content-length"])
            except ValueError:
                raise RemoteProtocolError(f"bad Content-Length {fields['content-length']!r}") from None
            return status, await reader.readexactly(length), keep
        if status in (204, 304):
            return status, b"", keep
        # Neither: the body ends where the server closes the connection.
        return status, await reader.read(), False

    @staticmethod
    async def _chunked(reader: asyncio.StreamReader) -> bytes:
        parts = []
        while True:
            line = await reader.readuntil(b"\r\n")
            try:
                size = int(line.split(b";", 1)[0], 16)
            except ValueError:
                raise RemoteProtocolError(f"bad chunk size {line!r}") from None
            if size == 0:
                break
            parts.append((await reader.readexactly(size + 2))[:-2])
        # Trailer fields, if any, up to the empty line.
        while await reader.readuntil(b"\r\n") != b"\r\n":
            pass
        return b"".join(parts)


async def timed(
    conn: Connection,
    tally: Tally,
    kind: str,
    method: str,
    target: str,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    timeout: float = REQUEST_TIMEOUT_S,
) -> tuple[int, bytes] | None:
    """Status and body of the answer, tallied; None after a timeout or a connection error."""
    t = time.perf_counter()
    try:
        status, content = await asyncio.wait_for(conn.request(method, target, body, headers), timeout)
    except TimeoutError:  # before OSError, of which it is a subclass
        tally.error(kind, "timeout")
        return None
    except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, RemoteProtocolError) as exc:
        tally.error(kind, type(exc).__name__)
        return None
    ms = 1000 * (time.perf_counter() - t)
    if 200 <= status < 300:
        tally.ms[kind].append(ms)
    else:
        tally.error(kind, f"HTTP {status}")
    return status, content


Request = Callable[[random.Random], tuple[str, str]]


async def load(
    address: tuple[str, int], pick: Request, clients: int, until: Callable[[], bool], tally: Tally
) -> None:
    async def one_client(seed: int) -> None:
        rng = random.Random(seed)
        # One connection per simulated client for the phase: a phase starts from fresh connections
        # rather than ones the server may have dropped while idle between phases.
        conn = Connection(*address)
        try:
            while not until():
                kind, target = pick(rng)
                await timed(conn, tally, kind, "GET", target)
        finally:
            conn.close()

    await asyncio.gather(*(one_client(i) for i in range(clients)))


async def write_all(
    conn: Connection, items: list[dict[str, Any]], batch: int, token: str, tally: Tally
) -> dict[str, Any]:
    """Post the articles batch after batch, as one writer would; what the server said about them."""
    outcome: dict[str, Any] = defaultdict(int)
    started = time.perf_counter()
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    for i in range(0, len(items), batch):
        body = json.dumps(items[i : i + batch], ensure_ascii=False).encode()
        answer = await timed(
            conn, tally, "write", "POST", "/api/v1/articles", body, headers, timeout=WRITE_TIMEOUT_S
        )
        if answer is not None and 200 <= answer[0] < 300:
            said = json.loads(answer[1])
            for k in ("stored", "duplicates", "unchanged", "rejected"):
                outcome[k] += said.get(k, 0)
    outcome["seconds"] = round(time.perf_counter() - started, 1)
    return dict(outcome)


def pickers(stories: list[str], total_stories: int) -> dict[str, Request]:
    # The queries hold spaces, apostrophes and Chinese: percent-encoded (UTF-8) as a browser would.
    text_queries = [urllib.parse.quote(q) for q in TEXT_QUERIES]
    semantic_queries = [urllib.parse.quote(q) for q in SEMANTIC_QUERIES]

    def page(rng: random.Random) -> tuple[str, str]:
        return "page", f"/stories/{rng.choice(stories)}"

    def listing(rng: random.Random) -> tuple[str, str]:
        offset = rng.randrange(0, max(1, total_stories - 50) + 1)
        return "list", f"/api/v1/stories?limit=50&offset={offset}"

    def text(rng: random.Random) -> tuple[str, str]:
        return "search", f"/api/v1/search?q={rng.choice(text_queries)}"

    def semantic(rng: random.Random) -> tuple[str, str]:
        return "semantic", f"/api/v1/search?mode=semantic&q={rng.choice(semantic_queries)}"

    kinds = {"page": page, "list": listing, "search": text}

    def mixed(rng: random.Random) -> tuple[str, str]:
        return kinds[rng.choices(list(MIX), weights=list(MIX.values()))[0]](rng)

    return {"page": page, "list": listing, "search": text, "semantic": semantic, "mixed": mixed}


async def measure(
    args: argparse.Namespace, base: str, server: int, stories: list[str], stored: int
) -> dict[str, Any]:
    url = urllib.parse.urlsplit(base)
    assert url.hostname is not None and url.port is not None
    address = (url.hostname, url.port)
    results: dict[str, Any] = {}
    conn = Connection(*address)
    warm = Tally()
    t = time.perf_counter()
    for sid in stories:
        await timed(conn, warm, "page", "GET", f"/stories/{sid}")
    results["warm-up (first view of each page)"] = summary(
        warm.ms["page"], warm.errors["page"], time.perf_counter() - t
    )
    print(line("warm-up (first view of each page)", results["warm-up (first view of each page)"]))
    answer = await timed(conn, warm, "list", "GET", "/api/v1/stories?limit=1")
    if answer is None or answer[0] != 200:
        raise SystemExit(f"/api/v1/stories?limit=1 failed: {answer[0] if answer else dict(warm.errors)}")
    total = json.loads(answer[1])["total"]
    pick = pickers(stories, total)
    # The embedding model loads and the vector matrix fills on the first semantic query.
    first = urllib.parse.quote(SEMANTIC_QUERIES[0])
    await timed(conn, warm, "semantic", "GET", f"/api/v1/search?mode=semantic&q={first}")
    conn.close()

    for phase, kind in (
        ("story page (cached)", "page"),
        ("story list API", "list"),
        ("search API, text", "search"),
        ("search API, semantic", "semantic"),
    ):
        tally = Tally()
        end = time.monotonic() + args.seconds
        cpu, t = CpuShare(server), time.perf_counter()
        await load(address, pick[kind], args.clients, lambda end=end: time.monotonic() >= end, tally)
        elapsed = time.perf_counter() - t
        results[phase] = summary(tally.ms[kind], tally.errors[kind], elapsed)
        results[phase].update(cpu.shares())
        print(line(phase, results[phase]), flush=True)

    tally = Tally()
    items = new_articles(stored, args.ingest, secrets.token_hex(4))
    writer_conn = Connection(*address)
    cpu, t = CpuShare(server), time.perf_counter()
    end = time.monotonic() + args.seconds
    writer = asyncio.create_task(write_all(writer_conn, items, args.batch, args.token, tally))
    # The reads are measured while the ingest runs; then the ingest is left to finish alone.
    await load(address, pick["mixed"], args.clients, lambda: writer.done() or time.monotonic() >= end, tally)
    elapsed = time.perf_counter() - t
    shares = cpu.shares()
    ingest = await writer
    writer_conn.close()
    reads = [x for k in MIX for x in tally.ms[k]]
    read_errors: dict[str, int] = defaultdict(int)
    for k in MIX:
        for what, count in tally.errors[k].items():
            read_errors[what] += count
    mixed = summary(reads, read_errors, elapsed)
    mixed.update(shares)
    mixed["by_kind"] = {k: summary(tally.ms[k], tally.errors[k], elapsed) for k in MIX}
    writes = summary(tally.ms["write"], tally.errors["write"], ingest["seconds"])
    writes.update(ingest)
    writes["articles_per_s"] = round(ingest.get("stored", 0) / ingest["seconds"], 1)
    mixed["writes"] = writes
    results["mixed reads during ingest"] = mixed
    print(line("mixed reads during ingest", mixed))
    for k in MIX:
        print(line(f"  of which {k}", mixed["by_kind"][k]))
    print(line(f"  writes ({args.batch}/request)", writes))
    print(
        f"  ingest: {len(items)} articles posted in {ingest['seconds']}s, {writes['articles_per_s']} "
        f"stored/s (stored {ingest.get('stored', 0)}, duplicates {ingest.get('duplicates', 0)}, "
        f"unchanged {ingest.get('unchanged', 0)}, rejected {ingest.get('rejected', 0)})"
    )
    return results


def line(name: str, f: dict[str, Any]) -> str:
    def ms(v: float | None) -> str:
        return f"{v:8.1f}" if v is not None else "       -"

    cpu = ""
    if "server_cpu_pct" in f:
        # What the generator and other jobs took is CPU the server did not get.
        cpu = (
            f"  CPU: server {f['server_cpu_pct']}%, generator {f['generator_cpu_pct']}%, "
            f"others {f['others_cpu_pct']}%"
        )
    kinds = f" {f['error_kinds']}" if f.get("error_kinds") else ""
    return (
        f"{name:<36} {f['requests']:8d} {f['rps']:8.1f} {ms(f['p50_ms'])} {ms(f['p90_ms'])} "
        f"{ms(f['p99_ms'])} {ms(f['max_ms'])} {f['errors']:8d}{kinds}{cpu}"
    )


def missed(results: dict[str, Any]) -> list[str]:
    out = []
    mixed = results["mixed reads during ingest"]
    checks = [
        ("story page (cached)", results["story page (cached)"]["p99_ms"], PAGE_P99_MS),
        ("story page (cached) during ingest", mixed["by_kind"]["page"]["p99_ms"], PAGE_P99_MS),
        ("search API, text", results["search API, text"]["p99_ms"], SEARCH_P99_MS),
        ("search API, semantic", results["search API, semantic"]["p99_ms"], SEARCH_P99_MS),
        ("search API, text during ingest", mixed["by_kind"]["search"]["p99_ms"], SEARCH_P99_MS),
    ]
    for name, p99, target in checks:
        if p99 is None or p99 >= target:
            out.append(f"target missed: {name} p99 {p99} ms, target < {target} ms")
    for name, errors in (("reads", mixed["errors"]), ("writes", mixed["writes"]["errors"])):
        if errors:
            out.append(f"target missed: {errors} errors in {name} during ingest, target 0")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000, help="articles in the database")
    parser.add_argument(
        "--db",
        type=Path,
        default=Path(__file__).parent / "out" / "serve.db",
        help="the database, built here unless it holds --articles already (default %(default)s)",
    )
    parser.add_argument("--seconds", type=float, default=30, help="duration of each phase")
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients")
    parser.add_argument("--stories", type=int, default=50, help="story pages to warm and request")
    parser.add_argument("--ingest", type=int, default=2000, help="articles posted during the mixed phase")
    parser.add_argument("--batch", type=int, default=50, help="articles per POST")
    parser.add_argument("--workers", type=int, default=2, help="the server's web worker processes")
    args = parser.parse_args()
    args.token = secrets.token_hex(16)

    print(f"database {args.db} with {args.articles:,} articles", flush=True)
    built_s = build(args.db, args.articles)
    with tempfile.TemporaryDirectory(dir=args.db.parent, prefix="serve-run-") as tmp:
        run_db = Path(tmp) / "serve.db"
        copy_db(args.db, run_db)
        stories = pick_stories(run_db, args.stories)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        # Kept after the run: it says why a request failed.
        log = args.db.parent / "serve-server.log"
        proc = start_server(run_db, port, args.token, log, args.workers)
        try:
            articles = wait_ready(base, proc, log)
            print(
                f"serving a copy ({articles:,} articles) at {base} with {args.workers} web worker(s); "
                f"{args.clients} clients, {args.seconds:g}s per phase; {os.cpu_count()} CPUs shared by "
                "the server, its writer process and this load generator"
            )
            heads = ("requests", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "errors")
            print(f"{'phase':<36} " + " ".join(f"{h:>8}" for h in heads))
            results = asyncio.run(measure(args, base, proc.pid, stories, articles))
            server_mb, server_pss = peak_rss_mb(proc.pid), pss_mb(proc.pid)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    print(
        f"server memory at the end: PSS {server_pss:.0f} MB with its workers and writer (peak RSS "
        f"{server_mb:.0f} MB counts the memory-mapped database once per connection); its log: {log}"
    )
    failures = missed(results)
    print("\n".join(failures) or "all targets met")
    print(
        json.dumps(
            {
                "articles": articles,
                "build_seconds": round(built_s, 1),
                "clients": args.clients,
                "workers": args.workers,
                "seconds_per_phase": args.seconds,
                "cpus": os.cpu_count(),
                "server_peak_rss_mb": round(server_mb, 1),
                "server_pss_mb": round(server_pss, 1),
                "phases": results,
                "targets_missed": failures,
            },
            ensure_ascii=False,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
