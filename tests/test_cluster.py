"""Online clustering on small hand-made articles (no models loaded)."""

from __future__ import annotations

import zlib
from datetime import UTC, datetime, timedelta

import numpy as np

from storyline.cluster.online import ClusterParams, OnlineClusterer
from storyline.models import Article, Mention

DIM = 512
T0 = datetime(2025, 5, 10, tzinfo=UTC)


def _vec(seed: int, noise: float = 0.0, base: int | None = None) -> np.ndarray:
    rng = np.random.default_rng(seed)
    v = rng.standard_normal(DIM)
    if base is not None:
        v = np.random.default_rng(base).standard_normal(DIM) + noise * v
    return (v / np.linalg.norm(v)).astype(np.float32)


def _article(
    aid: str,
    topic: int,
    terms: dict[str, int],
    day: float | None = 0.0,
    lang: str = "en",
    keys: tuple[str, ...] = (),
) -> Article:
    a = Article(
        id=aid,
        origin=aid,
        title=aid,
        text="",
        lang=lang,
        published=None if day is None else T0 + timedelta(days=day),
        embedding=_vec(zlib.crc32(aid.encode()), noise=0.5, base=topic),
        terms=terms,
    )
    a.mentions = [Mention(0, 1, k, k.split(":")[0].upper(), k) for k in keys]
    return a


def _stream() -> list[Article]:
    """Two events (trade talks, an earthquake) with some unrelated filler."""
    talks = {"tariff": 3, "talks": 2, "geneva": 2, "bessent": 1, "trade": 2}
    quake = {"earthquake": 3, "magnitude": 2, "aftershock": 1, "rescue": 2}
    out = []
    for i in range(6):
        out.append(
            _article(
                f"t{i}",
                1,
                talks | {f"x{i}": 1},
                day=i * 0.3,
                keys=("per:scott bessent", "loc:geneva"),
            )
        )
        out.append(_article(f"q{i}", 2, quake | {f"y{i}": 1}, day=i * 0.3, keys=("loc:myanmar",)))
        out.append(_article(f"n{i}", 10 + i, {f"noise{i}": 2, f"other{i}": 1}, day=i * 0.3))
    return out


def test_events_cluster_and_noise_stays_apart() -> None:
    c = OnlineClusterer()
    got = {a.id: s.story_id for a, s in zip(_stream(), c.add_all(_stream()), strict=True)}
    assert len({got[f"t{i}"] for i in range(6)}) == 1
    assert len({got[f"q{i}"] for i in range(6)}) == 1
    assert got["t0"] != got["q0"]
    assert len({got[f"n{i}"] for i in range(6)}) == 6


def test_one_at_a_time_and_batches_agree_on_this_stream() -> None:
    one = OnlineClusterer(ClusterParams(batch_size=1)).add_all(_stream())
    many = OnlineClusterer(ClusterParams(batch_size=64)).add_all(_stream())
    assert [a.story_id for a in one] == [a.story_id for a in many]


def test_story_ids_follow_first_article_and_flags() -> None:
    c = OnlineClusterer()
    first = c.add_batch(_stream()[:3])
    assert all(a.new_story for a in first)
    later = c.add(_article("t9", 1, {"tariff": 3, "talks": 2, "geneva": 2, "trade": 2}))
    assert not later.new_story and not later.new_storyline
    assert later.story_id == first[0].story_id


def test_deterministic() -> None:
    a = OnlineClusterer().add_all(_stream())
    b = OnlineClusterer().add_all(_stream())
    assert a == b


def test_late_article_joins_its_story() -> None:
    c = OnlineClusterer()
    c.add_all(_stream())
    # Published before everything seen, arriving last.
    late = _article(
        "t-late",
        1,
        {"tariff": 2, "talks": 2, "geneva": 1, "trade": 1},
        day=-2,
        keys=("per:scott bessent",),
    )
    got = c.add(late)
    assert not got.new_story
    assert got.story_id == c.stories.clusters[0].id


def test_english_and_chinese_reports_of_one_event_join() -> None:
    c = OnlineClusterer()
    en = _article(
        "en",
        1,
        {"tariff": 3, "talks": 2, "busan": 2, "summit": 1},
        lang="en",
        keys=("per:xi jinping", "per:donald trump", "loc:busan"),
    )
    zh = _article(
        "zh",
        1,
        {"关税": 3, "会晤": 2, "釜山": 2},
        day=0.2,
        lang="zh",
        keys=("per:xi jinping", "per:donald trump", "loc:busan"),
    )
    other = _article("zh2", 3, {"地震": 3, "救援": 2}, day=0.1, lang="zh", keys=("loc:myanmar",))
    got = c.add_all([en, other, zh])
    assert got[0].story_id == got[2].story_id
    assert got[1].story_id != got[0].story_id


def test_restore_rebuilds_the_state_that_decides_the_next_article() -> None:
    stream = _stream()
    probe = _article("q-probe", 2, {"earthquake": 2, "rescue": 1, "magnitude": 1}, day=2)
    first = OnlineClusterer(ClusterParams(batch_size=4))
    done = first.add_all(stream)
    replay = OnlineClusterer()
    for a, s in zip(_stream(), done, strict=True):
        replay.restore(a, s.story_id, s.storyline_id)
    assert replay.df == first.df and replay.edf == first.edf
    for x, y in zip(first.stories.clusters, replay.stories.clusters, strict=True):
        assert x.id == y.id and x.size == y.size and x.parent == y.parent
        assert np.array_equal(x.dense_sum, y.dense_sum) and x.lexical == y.lexical
    assert first.add(probe) == replay.add(_article("q-probe", 2, probe.terms, day=2))


def test_undated_articles_cluster_without_a_window() -> None:
    c = OnlineClusterer()
    arts = [_article(f"u{i}", 1, {"flood": 3, "river": 2, "levee": 1}, day=None) for i in range(3)]
    assert len({s.story_id for s in c.add_all(arts)}) == 1


def test_undated_pair_needs_more_evidence_than_a_dated_one() -> None:
    # Two reports sharing the topic but few details: near enough when their
    # dates agree, not when nothing shows they are about the same days.
    def pair(day: float | None) -> list[Article]:
        return [
            _article(f"a{day}", 1, {"tariff": 3, "talks": 2, "geneva": 2}, day=day),
            _article(f"b{day}", 1, {"tariff": 3, "summit": 2, "busan": 2}, day=day),
        ]

    for penalty, day, together in ((0.0, None, True), (0.5, 0.0, True), (0.5, None, False)):
        params = ClusterParams(story_undated_penalty=penalty)
        got = OnlineClusterer(params).add_all(pair(day))
        assert (got[0].story_id == got[1].story_id) is together, (penalty, day)


def test_empty_batch() -> None:
    assert OnlineClusterer().add_batch([]) == []
