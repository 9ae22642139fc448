import sqlite3
from datetime import UTC, datetime

import numpy as np
import pytest

from storyline.models import Article, Mention
from storyline.store import Store, StoreError


def make(aid: str, story: str, day: int, lang: str = "en") -> Article:
    emb = np.zeros(512, dtype=np.float32)
    emb[day % 512] = 1.0
    return Article(
        id=aid,
        origin=f"test:{aid}",
        title=f"title {aid}",
        text=f"text of {aid}",
        published=datetime(2025, 10, day, tzinfo=UTC),
        outlet=f"outlet-{aid}",
        lang=lang,
        embedding=emb,
        terms={"tariff": 1},
        mentions=[Mention(0, 4, "text", "MISC", "misc:text")],
        story_id=story,
    )


def test_store_batch_creates_and_updates_stories(tmp_path):
    store = Store(tmp_path / "s.db")
    created, updated = store.write_batch([make("a1", "s1", 1)], {}, {"s1": "l1"})
    assert (created, updated) == (1, 0)
    created, updated = store.write_batch([make("a2", "s1", 3, "zh")], {}, {"s1": "l1"})
    assert (created, updated) == (0, 1)
    story = store.story("s1")
    assert story is not None
    assert story.article_ids == ["a1", "a2"]
    assert story.first.day == 1 and story.last.day == 3
    assert set(story.langs) == {"en", "zh"}
    assert store.storylines()[0].n_articles == 2


def test_store_failed_batch_leaves_earlier_batches(tmp_path):
    store = Store(tmp_path / "s.db")
    store.write_batch([make("a1", "s1", 1)], {}, {"s1": "l1"})
    with pytest.raises(sqlite3.IntegrityError):
        # the same id twice violates the unique key: the whole batch rolls back
        store.write_batch([make("a2", "s2", 2), make("a2", "s2", 2)], {}, {"s2": "l2"})
    assert store.counts() == {"articles": 1, "duplicates": 0, "stories": 1, "storylines": 1}


def test_store_reopen_keeps_data_and_schema(tmp_path):
    path = tmp_path / "s.db"
    Store(path).write_batch([make("a1", "s1", 1)], {}, {"s1": "l1"})
    again = Store(path)
    assert again.known_ids(["a1", "zz"]) == {"a1"}
    state = list(again.iter_cluster_state())
    assert state[0][0].terms == {"tariff": 1}
    assert state[0][0].lang == "en"
    assert state[0][0].mentions[0].key == "misc:text"
    assert state[0][1:] == ("s1", "l1")


def test_store_rejects_a_file_that_is_not_a_database(tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("these are my notes, not a database " * 100)
    with pytest.raises(StoreError, match="cannot open"):
        Store(bad)


def test_store_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        Store(tmp_path / "nope" / "s.db")


def test_store_story_prefix_lookup(tmp_path):
    store = Store(tmp_path / "s.db")
    store.write_batch([make("a1", "s1abc", 1)], {}, {"s1abc": "l1"})
    assert store.story("s1a").id == "s1abc"


def test_store_two_processes_opening_a_new_database_at_once(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "race.db"
    code = f"from storyline.store import Store; Store({str(path)!r})"
    procs = [subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE) for _ in range(4)]
    errors = [p.communicate()[1].decode() for p in procs]
    assert all(p.returncode == 0 for p in procs), errors
    assert Store(path).counts()["articles"] == 0


def test_store_read_only_open_of_a_missing_file_says_how_to_create_it(tmp_path):
    with pytest.raises(StoreError, match="storyline ingest"):
        Store(tmp_path / "typo.db", create=False)
    assert not (tmp_path / "typo.db").exists()


def test_store_second_writer_is_refused_until_the_first_is_done(tmp_path):
    first, second = Store(tmp_path / "w.db"), Store(tmp_path / "w.db")
    first.claim_writer()
    with pytest.raises(StoreError, match="another ingest is writing"):
        second.claim_writer()
    first.release_writer()
    second.claim_writer()
    first.close()
    second.close()
