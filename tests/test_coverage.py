"""Coverage by outlet and language, and what each outlet stresses, on hand-made material."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from storyline.models import Article, Sentence, Story
from storyline.synth import coverage as cov
from storyline.synth.material import Material


def _article(
    aid: str, text: str, outlet: str, day: int, lang: str = "en", dup_of: str | None = None
) -> Article:
    return Article(
        id=aid,
        origin=aid,
        title=aid,
        text=text,
        outlet=outlet,
        lang=lang,
        published=datetime(2025, 10, day, 9),
        sentences=[Sentence(0, len(text), lang)],
        dup_of=dup_of,
    )


def _notes(**rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    return {k: rows.get(k, []) for k in ("mentions", "roles", "timexes", "quotes", "figures", "events")}


def _mention(text: str, name: str, key: str) -> dict[str, Any]:
    start = text.index(name)
    return {"start": start, "end": start + len(name), "text": name, "label": "PER", "key": key}


def _material(articles: list[Article], notes: dict[str, dict[str, list[dict[str, Any]]]]) -> Material:
    story = Story("s1", None, "t", [a.id for a in articles], None, None, ["en"], [])
    return Material(
        story=story,
        storyline=None,
        articles=articles,
        notes={a.id: notes.get(a.id, _notes()) for a in articles if a.dup_of is None},
        events=[],
        entities=[],
        names={"per:ann lee": "Ann Lee", "per:bo chen": "Bo Chen"},
        repairs=[],
        embeddings={},
        today=date(2025, 11, 1),
    )


BASE = "The talks ended with a framework deal on tariffs and export rules. "


def _story() -> Material:
    framing = "Ann Lee said the talks were a surrender. Critics called it a capitulation, a plain surrender. "
    a = BASE * 3 + framing * 5
    b = BASE * 10 + "Officials described steady progress on tariffs."
    c = BASE * 10 + "Markets rose on the framework deal."
    articles = [
        _article("a", a, "Wire A", 21),
        _article("b", b, "Daily B", 20),
        _article("b2", b, "Mirror C", 22, dup_of="b"),
        _article("c", c, "Journal D", 23, lang="en"),
        _article("z", "谈判达成框架协议。", "新华社", 21, lang="zh"),
    ]
    quote_start = a.index("the talks were")
    notes = {
        "a": _notes(
            mentions=[
                _mention(a, "Ann Lee", "per:ann lee"),
                {
                    **_mention(a, "Ann Lee", "per:ann lee"),
                    "start": a.rindex("Ann Lee"),
                    "end": a.rindex("Ann Lee") + 7,
                },
            ],
            quotes=[
                {
                    "kind": "indirect",
                    "start": quote_start,
                    "end": quote_start + 39,
                    "speaker_key": "per:ann lee",
                    "source": "Ann Lee",
                    "cue": "said",
                    "cue_start": 0,
                    "cue_end": 0,
                    "source_start": 0,
                    "source_end": 0,
                }
            ],
            figures=[
                {
                    "text": "$12 billion",
                    "kind": "money",
                    "value": 12e9,
                    "unit": "USD",
                    "what": "purchases",
                    "ticker": None,
                    "change": None,
                    "start": 0,
                    "end": 3,
                    "what_start": None,
                    "what_end": None,
                }
            ],
        ),
        "c": _notes(
            figures=[
                {
                    "text": "1.5%",
                    "kind": "market",
                    "value": 1.5,
                    "unit": "%",
                    "what": None,
                    "ticker": "SPY",
                    "change": "up",
                    "start": 0,
                    "end": 3,
                    "what_start": None,
                    "what_end": None,
                }
            ]
        ),
    }
    return _material(articles, notes)


def test_coverage_counts_outlets_languages_and_copies() -> None:
    c = cov.coverage(_story())
    assert (c["n_articles"], c["n_copies"]) == (5, 1)
    by_outlet = {o["outlet"]: (o["articles"], o["copies"]) for o in c["outlets"]}
    assert by_outlet["Daily B"] == (1, 0) and by_outlet["Mirror C"] == (0, 1)
    assert [(x["lang"], x["articles"], x["copies"]) for x in c["langs"]] == [("en", 3, 1), ("zh", 1, 0)]
    assert (c["first"]["article_id"], c["first"]["outlet"]) == ("b", "Daily B")
    assert c["latest"]["article_id"] == "c"


def test_coverage_distinct_facts_of_an_outlet() -> None:
    c = cov.coverage(_story())
    wire = next(o for o in c["by_outlet"] if o["outlet"] == "Wire A")
    kinds = {f["kind"]: f for f in wire["facts"]}
    assert kinds["entity"]["text"] == "Ann Lee" and kinds["entity"]["mentions"] == 2
    assert kinds["quote"]["speaker"] == "Ann Lee" and kinds["quote"]["source"]["article_id"] == "a"
    assert kinds["figure"]["text"] == "$12 billion"
    # A copy is not its outlet's own reporting; a market tick is not a fact of the outlet.
    assert all(o["outlet"] != "Mirror C" for o in c["by_outlet"])
    journal = next((o for o in c["by_outlet"] if o["outlet"] == "Journal D"), {"facts": []})
    assert journal["facts"] == []


def test_coverage_framing_words_log_odds(monkeypatch: Any) -> None:
    # A toy story is a few hundred words: a lighter prior and a smaller minimum fit it.
    monkeypatch.setattr(cov, "MIN_REST", 20)
    monkeypatch.setattr(cov, "PRIOR_TOKENS", 10.0)
    c = cov.coverage(_story())
    wire = next(o for o in c["by_outlet"] if o["outlet"] == "Wire A")
    terms = [w["term"] for w in wire["framing"]]
    assert "surrender" in terms
    assert all(w["z"] >= cov.MIN_Z and w["count"] >= cov.MIN_COUNT for w in wire["framing"])
    # Shared words and names are nobody's framing; Chinese is not set against English.
    everything = [w["term"] for o in c["by_outlet"] for w in o["framing"]]
    assert not {"talk", "framework", "ann", "lee"} & set(everything)


def test_coverage_single_outlet_has_nothing_to_contrast() -> None:
    m = _material([_article("a", BASE, "Wire A", 20), _article("b", BASE, "Wire A", 21)], {})
    c = cov.coverage(m)
    assert c["by_outlet"] == [] and c["outlets"][0]["articles"] == 2
