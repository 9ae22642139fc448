"""Shared fixtures. The demo corpus is ingested once per session: it loads the
real models (spaCy, LAC, USE), which is what these tests are about."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from storyline import Storyline
from storyline.demo import corpus_dir

SHARED = Path(__file__).resolve().parents[2] / "shared"

needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"{SHARED} (the labelled data and seeds) is not beside the repo"
)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Storyline, object]]:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    sl = Storyline(db=path)
    report = sl.ingest([corpus_dir()])
    yield sl, report
    sl.close()
