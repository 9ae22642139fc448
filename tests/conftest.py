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


@pytest.fixture(scope="session")
def seeds_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The five seed pages ingested once per session; tests open the file themselves."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} (the seed articles) is not beside the repo")
    path = tmp_path_factory.mktemp("seeds") / "seeds.db"
    with Storyline(db=path) as sl:
        report = sl.ingest([SHARED / "seeds"])
        assert report.ingested == 5, [str(p) for p in report.problems]
    return path
