import pytest

from storyline.models import Article
from storyline.stages import Stage, annotate, check_order


def art(aid: str, dup_of: str | None = None) -> Article:
    return Article(id=aid, origin=f"in:{aid}", title=aid, text=f"text {aid}", dup_of=dup_of)


def poison(articles: list[Article]) -> None:
    for a in articles:
        if a.id == "bad":
            raise ValueError("cannot parse this one")
        a.lang = "en"


def test_stages_poisonous_article_is_dropped_with_reason():
    arts = [art("ok1"), art("bad"), art("ok2"), art("copy", dup_of="bad")]
    out = annotate([Stage("lang", poison, ("text",), ("lang",), copies_too=False)], arts)
    assert out.failed == {"bad", "copy"}
    assert [a.lang for a in out.articles if a.id.startswith("ok")] == ["en", "en"]
    reasons = {p.origin: p.reason for p in out.problems}
    assert "lang failed: cannot parse this one" in reasons["in:bad"]
    assert "copy of bad" in reasons["in:copy"]


def test_stages_copies_skip_stages_that_only_feed_clustering():
    seen: list[str] = []
    stage = Stage("x", lambda arts: seen.extend(a.id for a in arts), ("text",), ("x",))
    annotate([stage], [art("a"), art("b", dup_of="a")])
    assert seen == ["a"]


def test_stages_order_is_checked_at_start():
    late = Stage("entities", lambda arts: None, ("lang",), ("mentions",))
    with pytest.raises(RuntimeError, match="needs \\['lang'\\]"):
        check_order([late])


def test_stages_optional_stage_failure_keeps_the_article_with_a_warning():
    arts = [art("ok1"), art("bad")]
    out = annotate([Stage("dates", poison, ("text",), ("lang",), optional=True)], arts)
    assert out.failed == set()
    assert [a.id for a in out.articles] == ["ok1", "bad"]
    (problem,) = out.problems
    assert problem.origin == "in:bad" and not problem.fatal
    assert "stored without them" in problem.reason
