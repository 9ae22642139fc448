"""Brief rendering benchmark: one story of 200 articles.

The story is the demo corpus's largest story, its articles replicated with
new URLs, publication times a few hours apart and about half of the pairs of
adjacent words swapped (so they are not near-duplicates and go through every
stage). Replicas that clustering places elsewhere are counted and reported.
Prints the time to build the brief afresh (models warm, cache empty), the
time to serve it from the cache, and to render it as Markdown and HTML; the
last line is one JSON object.

    python bench/brief_bench.py [--articles 200]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from ingest_bench import _dated, _scramble
from storyline import Storyline
from storyline.demo import corpus_dir
from storyline.ingest.files import iter_raw
from storyline.models import RawDocument
from storyline.render import brief_markdown
from storyline.render_html import brief_html
from storyline.synth.brief import BriefOptions, build_brief


def _median(xs: list[float]) -> float:
    return sorted(xs)[len(xs) // 2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--db", help="build the story in this (new) file and keep it (default: a temporary one)"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp, Storyline(db=args.db or Path(tmp) / "brief.db") as sl:
        sl.ingest([corpus_dir()])
        biggest = max(sl.stories(), key=lambda s: s.n_articles)
        members = {a.origin for a in sl.articles(biggest.article_ids)}
        base = [
            _dated(d) for d in iter_raw([corpus_dir()]) if isinstance(d, RawDocument) and d.origin in members
        ]
        rng = random.Random(11)
        k = 0
        story = biggest
        # Replicas that clustering sends elsewhere do not count: add more until the story is big enough.
        while story.n_articles < args.articles and k < 10 * args.articles:
            docs = []
            for _ in range(args.articles - story.n_articles):
                doc = base[k % len(base)]
                hints = {**doc.hints, "url": f"https://bench.example/brief/{k}"}
                if "published" in hints:
                    when = datetime.fromisoformat(hints["published"]) + timedelta(hours=k % 48)
                    hints["published"] = when.isoformat()
                docs.append(
                    replace(doc, origin=f"{doc.origin}#b{k}", body=_scramble(doc.body, rng), hints=hints)
                )
                k += 1
            sl.ingest_documents(docs)
            story = max(sl.stories(), key=lambda s: s.n_articles)
        elsewhere = k - (story.n_articles - biggest.n_articles)
        options = BriefOptions(lang="en")
        build_brief(sl.store, story, options)  # warm: modules imported, pages in the OS cache
        builds = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            built = build_brief(sl.store, story, options)
            builds.append(time.perf_counter() - t)
        sl.brief(story.id)  # fills the cache
        cached = []
        for _ in range(args.repeat * 4):
            t = time.perf_counter()
            brief = sl.brief(story.id)
            cached.append(time.perf_counter() - t)
        t = time.perf_counter()
        md = brief_markdown(brief)
        md_s = time.perf_counter() - t
        t = time.perf_counter()
        page = brief_html(brief, sl.article_texts([a["id"] for a in brief["articles"]]))
        html_s = time.perf_counter() - t
    print(
        f"story of {story.n_articles} articles ({len(story.article_ids)} with copies; "
        f"{elsewhere} replicas clustered elsewhere)"
    )
    print(f"  build afresh  {_median(builds) * 1000:8.1f} ms (median of {len(builds)})")
    print(f"  from cache    {_median(cached) * 1000:8.1f} ms (median of {len(cached)})")
    print(
        f"  markdown      {md_s * 1000:8.1f} ms ({len(md)} chars);"
        f" html {html_s * 1000:.1f} ms ({len(page)} chars)"
    )
    print(
        json.dumps(
            {
                "story_articles": story.n_articles,
                "build_ms": round(_median(builds) * 1000, 1),
                "cached_ms": round(_median(cached) * 1000, 1),
                "markdown_ms": round(md_s * 1000, 1),
                "html_ms": round(html_s * 1000, 1),
                "summary_sentences": len(built["summary"]),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
