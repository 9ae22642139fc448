import json
from pathlib import Path

import pytest

from storyline import Storyline
from storyline.demo import corpus_dir, gold, score
from storyline.ingest.files import iter_raw
from storyline.models import RawDocument

from .conftest import needs_shared


def test_pipeline_demo_corpus_meets_its_bars(demo_db):
    sl, report = demo_db
    assert not report.skipped, [str(p) for p in report.skipped]
    scores = score(sl.store)
    assert scores["event"]["n_articles"] == len(gold())
    assert scores["event"]["b3_f1"] >= 0.95, scores
    assert scores["bilingual_total"] >= 3
    assert scores["bilingual_joined"] == scores["bilingual_total"], scores


def test_pipeline_syndicated_copies_count_once(demo_db):
    sl, report = demo_db
    copies = [r for r in gold() if r.get("dup_of")]
    assert copies and report.duplicates >= len(copies) - 1
    stored = sl.store.conn.execute("SELECT origin, dup_of FROM articles").fetchall()
    dup_origins = {o.split("/corpus/")[-1] for o, d in stored if d}
    found = sum(1 for r in copies if r["origin"] in dup_origins)
    assert found >= len(copies) - 1, (found, len(copies))


def test_pipeline_reingest_changes_nothing(demo_db):
    sl, _ = demo_db
    before = sl.counts()
    stories_before = {s.id: s.article_ids for s in sl.stories()}
    report = sl.ingest([corpus_dir()])
    assert report.ingested == 0
    assert report.unchanged == before["articles"]
    assert sl.counts() == before
    assert {s.id: s.article_ids for s in sl.stories()} == stories_before


class Crash(Exception):
    pass


def _crashing(docs, after):
    for i, d in enumerate(docs):
        if i == after:
            raise Crash("killed")
        yield d


def _partition(sl):
    return {a: (s.id, s.storyline_id) for s in sl.stories() for a in s.article_ids}


def test_pipeline_crash_and_rerun_ends_like_an_uninterrupted_run(tmp_path):
    docs = [d for d in iter_raw([corpus_dir() / "partA"]) if isinstance(d, RawDocument)][:24]
    with Storyline(db=tmp_path / "whole.db", batch_size=8) as whole:
        whole.ingest_documents(docs)
        expected = _partition(whole)
    with Storyline(db=tmp_path / "crash.db", batch_size=8) as sl:
        with pytest.raises(Crash):
            sl.ingest_documents(_crashing(docs, 13))
        assert sl.counts()["articles"] == 8  # the first batch was committed, the second was not
    with Storyline(db=tmp_path / "crash.db", batch_size=8) as sl:
        report = sl.ingest_documents(docs)
        assert report.unchanged == 8
        assert _partition(sl) == expected


def test_pipeline_bad_files_are_reported_and_the_rest_stored(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    good = {
        "title": "Typhoon forces mass evacuation on the southern coast",
        "text": "Authorities evacuated more than a million residents on Tuesday as the typhoon "
        "approached the coast, closing schools and suspending ferries and flights. Forecasters "
        "said the storm would make landfall overnight with winds above 200 km/h.",
        "published": "2025-09-23T10:00:00+08:00",
        "source": "Coast Daily",
    }
    (folder / "good.jsonl").write_text(
        json.dumps(good) + "\n{not json\n" + json.dumps({**good, "published": "2099-01-01"}) + "\n",
        encoding="utf-8",
    )
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.html").write_bytes(bytes(range(256)) * 20)
    with Storyline(db=tmp_path / "s.db") as sl:
        report = sl.ingest([folder])
        reasons = [str(p) for p in report.problems]
        assert report.ingested == 1, reasons  # the 2099 copy has the same text: one article
        assert any("good.jsonl:2" in r for r in reasons)
        assert any("empty.txt" in r for r in reasons)
        assert any("binary.html" in r for r in reasons)
        assert sl.counts()["articles"] == 1


@needs_shared
def test_pipeline_seeds_make_one_storyline_of_several_stories(seeds_db):
    with Storyline(db=seeds_db, create=False) as sl:
        stories = sl.stories()
        assert len({s.storyline_id for s in stories}) == 1
        assert len(stories) > 1


def test_pipeline_demo_paths_are_relative_to_corpus():
    assert all(not Path(r["origin"]).is_absolute() for r in gold())


def test_pipeline_repeat_in_the_next_batch_is_stored_once(tmp_path):
    text = (
        "Rescue teams reached the flooded villages on Thursday after the river burst its banks, "
        "officials said, and more than two thousand people spent the night in schools."
    )
    docs = [
        RawDocument(origin=f"feed:{i}", body=text, hints={"title": "Floods cut off villages"})
        for i in range(3)
    ]
    with Storyline(db=tmp_path / "s.db", batch_size=1) as sl:
        report = sl.ingest_documents(docs)
        assert (report.ingested, report.unchanged) == (1, 2)


def test_pipeline_failed_run_leaves_no_phantom_state(tmp_path):
    docs = [d for d in iter_raw([corpus_dir() / "partB"]) if isinstance(d, RawDocument)][:12]
    with Storyline(db=tmp_path / "s.db", batch_size=4) as sl:
        with pytest.raises(Crash):
            sl.ingest_documents(_crashing(docs, 6))
        stored = sl.counts()["articles"]
        # the same object ingests again: nothing is mistaken for a copy of itself
        report = sl.ingest_documents(docs)
        assert report.unchanged == stored
        assert report.ingested == 12 - stored
        assert not [p for p in report.problems if "was not stored" in p.reason]
