"""End-to-end ingest benchmark on the demo corpus replicated to N articles.

Each replica gets new ids (a new URL), dates moved 90 days earlier per replica
(dates stated in the page are moved into the hints first)
(beyond any story window, so replicas form their own stories, as a longer
stream would) and about half of the pairs of adjacent words or Han characters
swapped at random, so replicas are not near-duplicates of each other or of
the original and go through every stage. Prints per-stage shares of time and, as its last line, one JSON
object with ``articles_per_s`` and ``peak_rss_mb``.

    python bench/ingest_bench.py [--articles 5000]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from storyline import Storyline
from storyline.demo import corpus_dir
from storyline.ingest.files import iter_raw
from storyline.models import Article, RawDocument
from storyline.text.extract import extract

_TOKEN = re.compile(r"[\u3400-\u9fff]|[^\s\u3400-\u9fff]+|\s+")


def _scramble(text: str, rng: random.Random) -> str:
    parts = _TOKEN.findall(text)
    words = [i for i, p in enumerate(parts) if not p.isspace()]
    for j in range(0, len(words) - 1, 2):
        if rng.random() < 0.5:
            a, b = words[j], words[j + 1]
            parts[a], parts[b] = parts[b], parts[a]
    return "".join(parts)


def _dated(doc: RawDocument) -> RawDocument:
    """The document with the publication date its page states put in its hints."""
    article = extract(doc)
    if isinstance(article, Article) and article.published and "published" not in doc.hints:
        return replace(doc, hints={**doc.hints, "published": article.published.isoformat()})
    return doc


def replicated(n: int) -> Iterator[RawDocument]:
    base = [_dated(d) for d in iter_raw([corpus_dir()]) if isinstance(d, RawDocument)]
    rng = random.Random(7)
    for k in range(n):
        doc = base[k % len(base)]
        replica = k // len(base)
        if replica == 0:
            yield doc
            continue
        hints = dict(doc.hints)
        hints["url"] = f"https://bench.example/{replica}/{k}"
        if "published" in hints:
            shifted = datetime.fromisoformat(hints["published"]) + timedelta(days=-90 * replica)
            hints["published"] = shifted.isoformat()
        yield replace(
            doc,
            origin=f"{doc.origin}#r{replica}",
            body=_scramble(doc.body, rng),
            hints=hints,
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    args = parser.parse_args()

    docs = list(replicated(args.articles))
    with tempfile.TemporaryDirectory() as tmp, Storyline(db=Path(tmp) / "bench.db") as sl:
        t = time.perf_counter()
        sl.ingest_documents(docs[:8])  # load the models outside the timed run
        load_s = time.perf_counter() - t
        report = sl.ingest_documents(docs[8:])
        counts = sl.counts()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # The worker process that runs the language stages has exited by now.
    worker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    total = sum(report.stage_seconds.values()) or 1.0
    print(f"{report.ingested} articles in {report.seconds:.1f}s (+{load_s:.1f}s warm-up)")
    for stage, secs in sorted(report.stage_seconds.items(), key=lambda kv: -kv[1]):
        print(f"  {stage:<10} {secs:8.1f}s  {100 * secs / total:5.1f}%")
    print(f"stored: {counts}; peak RSS {peak_mb:.0f} MB + worker {worker_mb:.0f} MB")
    result = {
        "articles": report.ingested,
        "seconds": round(report.seconds, 2),
        "warmup_seconds": round(load_s, 2),
        "articles_per_s": round(report.ingested / report.seconds, 2),
        "peak_rss_mb": round(peak_mb, 1),
        "worker_peak_rss_mb": round(worker_mb, 1),
        "total_peak_rss_mb": round(peak_mb + worker_mb, 1),
        "stage_share": {k: round(v / total, 3) for k, v in report.stage_seconds.items()},
        "stories": counts["stories"],
        "duplicates": report.duplicates,
        "skipped": len(report.skipped),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
