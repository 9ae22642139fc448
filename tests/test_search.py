"""Full-text and semantic search (store/search.py): Chinese segmentation, the incremental index,
filters and paging, snippets that point back into the text, the in-memory vector index."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pytest

from storyline import Storyline
from storyline.models import Article
from storyline.store import Store
from storyline.store import search as search_module
from storyline.store.search import (
    SearchError,
    SearchFilter,
    VectorIndex,
    ensure_index,
    query_terms,
    segment,
    semantic_search,
    text_search,
    unindexed,
)


def _vec(*hot: int) -> np.ndarray:
    v = np.zeros(512, dtype=np.float32)
    for i in hot:
        v[i] = 1.0
    return v / np.linalg.norm(v)


def _article(
    aid: str, title: str, text: str, lang: str = "en", dup_of: str | None = None, hot: int = 0
) -> Article:
    return Article(
        id=aid,
        origin=f"test:{aid}",
        title=title,
        text=text,
        published=datetime(2025, 10, 1, tzinfo=UTC),
        lang=lang,
        embedding=None if dup_of else _vec(hot),
        dup_of=dup_of,
        story_id="s1",
    )


ARTICLES = [
    _article("a1", "Tariff talks resume", "Negotiators met in Geneva to discuss tariff cuts.", hot=1),
    _article("a2", "Weather report", "Rain is expected; tariffs were not discussed.", hot=2),
    _article("a3", "商务部发布稀土出口管制公告", "商务部宣布对稀土实施出口管制。", "zh", hot=3),
    _article("a4", "川習會 稀土", "中方同意暫停稀土出口管制措施。", "zh", hot=4),
    _article(
        "a5", "Tariff talks resume", "Negotiators met in Geneva to discuss tariff cuts today.", dup_of="a1"
    ),
]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "search.db")
    s.write_batch(ARTICLES, {}, {"s1": "l1"})
    yield s
    s.close()


def test_segment_splits_chinese_words_and_keeps_other_text() -> None:
    seg = segment("Xi met 特朗普 in 釜山会晤 today")
    assert seg.startswith("Xi met ") and seg.rstrip().endswith("today")
    assert "釜山" in seg.split()
    # Traditional characters are indexed in their simplified form.
    assert "稀土" in segment("暫停稀土出口").split()


def test_query_terms_are_words_never_query_syntax() -> None:
    assert query_terms("稀土出口管制") == ["稀土", "出口", "管制"]
    assert query_terms('Tariff AND "cuts" OR NEAR(x*') == ["tariff", "and", "cuts", "or", "near", "x"]
    assert query_terms("習近平") == query_terms("习近平")


def test_index_is_incremental_by_seq(store: Store) -> None:
    assert unindexed(store.conn) == 5
    assert ensure_index(store.conn) == 5
    assert unindexed(store.conn) == 0
    assert ensure_index(store.conn) == 0
    store.write_batch([_article("a6", "Geneva tariff deal", "A deal on tariffs.", hot=6)], {}, {"s1": "l1"})
    assert ensure_index(store.conn, limit=10) == 1
    total, hits = text_search(store.conn, "tariff")
    assert total == 2 and {h.article_id for h in hits} == {"a1", "a6"}


def test_index_is_rebuilt_when_its_version_changes(store: Store) -> None:
    ensure_index(store.conn)
    store.conn.execute("UPDATE search_state SET value = 'old' WHERE name = 'fts_version'")
    assert ensure_index(store.conn) == 5
    assert text_search(store.conn, "Geneva")[0] == 1


def test_english_search_ranks_title_words_and_leaves_copies_out(store: Store) -> None:
    ensure_index(store.conn)
    total, hits = text_search(store.conn, "tariff")
    # a2 has "tariffs" only; a5 is a syndicated copy of a1.
    assert total == 1 and hits[0].article_id == "a1"
    hit = hits[0]
    text = ARTICLES[0].text
    assert hit.snippet == text[hit.span[0] : hit.span[1]]
    assert [hit.snippet[s:e].lower() for s, e in hit.highlights] == ["tariff"]
    assert (hit.story_id, hit.storyline_id) == ("s1", "l1")


def test_chinese_search_matches_simplified_and_traditional(store: Store) -> None:
    ensure_index(store.conn)
    total, hits = text_search(store.conn, "稀土")
    assert total == 2 and {h.article_id for h in hits} == {"a3", "a4"}
    trad = next(h for h in hits if h.article_id == "a4")
    assert [trad.snippet[s:e] for s, e in trad.highlights] == ["稀土"]
    # A sub-word of a longer segmented word is found too (cut_for_search).
    assert text_search(store.conn, "管制")[0] == 2
    assert text_search(store.conn, "出口管制", lang="zh")[0] == 2


def test_search_filters_by_language_and_pages(store: Store) -> None:
    ensure_index(store.conn)
    assert text_search(store.conn, "稀土", lang="en")[0] == 0
    total, first = text_search(store.conn, "稀土", limit=1)
    _, second = text_search(store.conn, "稀土", limit=1, offset=1)
    assert total == 2 and len(first) == len(second) == 1
    assert first[0].article_id != second[0].article_id


def test_search_without_words_is_an_error_and_unindexed_db_finds_nothing(store: Store) -> None:
    with pytest.raises(SearchError, match="no words"):
        text_search(store.conn, " ?! ")
    assert text_search(store.conn, "tariff") == (0, [])


def test_read_only_database_searches_what_is_indexed(store: Store, tmp_path: Path) -> None:
    ensure_index(store.conn)
    store.write_batch([_article("a6", "Geneva tariff deal", "A deal on tariffs.", hot=6)], {}, {"s1": "l1"})
    ro = sqlite3.connect(f"file:{tmp_path / 'search.db'}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError):
        ensure_index(ro)
    assert text_search(ro, "tariff")[0] == 1


def test_facade_text_search_indexes_what_is_new_first(store: Store, tmp_path: Path) -> None:
    store.close()
    # A reader beside a server's writer searches what the writer indexed, and never indexes.
    with Storyline.reader(tmp_path / "search.db", busy_ms=250) as reader:
        assert reader.search("tariff") == (0, [])
    with Storyline(db=tmp_path / "search.db", create=False) as sl:
        total, hits = sl.search("tariff")
        assert total == 1 and hits[0].article_id == "a1"
        assert sl.index_for_search() == 0
        with pytest.raises(ValueError, match="unknown search mode"):
            sl.search("tariff", mode="fuzzy")


def test_vector_index_appends_new_articles_and_filters_language(store: Store) -> None:
    index = VectorIndex()
    assert index.refresh(store.conn) == 4  # the copy has no embedding of its own
    assert index.refresh(store.conn) == 0
    total, found = index.nearest(_vec(3, 4), limit=2)
    assert total == 4 and {aid for aid, _ in found} == {"a3", "a4"}
    assert found[0][1] == pytest.approx(np.sqrt(0.5), abs=1e-4)
    total, found = index.nearest(_vec(3), SearchFilter(lang="en"))
    assert total == 2 and {aid for aid, _ in found} == {"a1", "a2"}
    store.write_batch([_article("a6", "t", "x", hot=3)], {}, {"s1": "l1"})
    assert index.refresh(store.conn) == 1
    assert {aid for aid, _ in index.nearest(_vec(3), limit=2)[1]} == {"a3", "a6"}


def test_filters_by_outlet_and_days_in_both_modes(tmp_path: Path) -> None:
    store = Store(tmp_path / "filters.db")
    rows = [
        replace(_article("b1", "Tariff news", "tariff cut", hot=1), outlet="Reuters"),
        replace(
            _article("b2", "Tariff news", "tariff cut", hot=1),
            outlet="AP",
            published=datetime(2025, 11, 3, tzinfo=UTC),
        ),
        replace(_article("b3", "Tariff news", "tariff cut", hot=1), outlet="reuters", published=None),
    ]
    store.write_batch(rows, {}, {"s1": "l1"})
    ensure_index(store.conn)
    index = VectorIndex()

    def both(where: SearchFilter) -> tuple[set[str], set[str]]:
        text = {h.article_id for h in text_search(store.conn, "tariff", where=where)[1]}
        meaning = {h.article_id for h in semantic_search(store.conn, "x", index=index, where=where)[1]}
        return text, meaning

    # The query's meaning is not what this is about: every article is equally close.
    search_module._QUERY_VECTORS["x"] = _vec(1)
    try:
        assert both(SearchFilter(outlet="REUTERS")) == ({"b1", "b3"},) * 2
        assert both(SearchFilter(since=date(2025, 10, 2))) == ({"b2"},) * 2
        # An undated article passes no date bound.
        assert both(SearchFilter(until=date(2025, 10, 1))) == ({"b1"},) * 2
        assert both(SearchFilter(outlet="AP", until=date(2025, 10, 31))) == (set(), set())
        with pytest.raises(SearchError, match="two languages"):
            text_search(store.conn, "tariff", lang="en", where=SearchFilter(lang="zh"))
    finally:
        del search_module._QUERY_VECTORS["x"]
        store.close()


@pytest.mark.slow
def test_demo_corpus_search_english_chinese_and_across_languages(
    demo_db: tuple[Storyline, object], tmp_path: Path
) -> None:
    sl, _ = demo_db
    copy = sqlite3.connect(tmp_path / "copy.db")
    sl.store.conn.backup(copy)
    ensure_index(copy)
    total, hits = text_search(copy, "台风", lang="zh")
    assert total >= 3 and all("台风" in h.title + h.snippet or "颱風" in h.snippet for h in hits)
    typhoon_lines = {h.storyline_id for h in hits}
    total, hits = text_search(copy, "Louvre", lang="en")
    assert total >= 3 and all(h.lang == "en" for h in hits)
    # An English query finds the Chinese reports of the same event.
    _, hits = semantic_search(copy, "super typhoon Ragasa makes landfall in Guangdong", lang="zh", limit=3)
    assert hits and hits[0].storyline_id in typhoon_lines
