from __future__ import annotations

from pathlib import Path

import pytest

from storyline.models import Article, Paragraph
from storyline.nlp.entities import EntityTagger, is_title_mention, mention_source
from storyline.text.lang import tag_languages

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def tagger() -> EntityTagger:
    return EntityTagger()


def _article(paragraphs: list[str], title: str = "", aid: str = "a1") -> Article:
    text = "\n\n".join(paragraphs)
    spans, pos = [], 0
    for p in paragraphs:
        spans.append(Paragraph(pos, pos + len(p)))
        pos += len(p) + 2
    article = Article(id=aid, origin="test", title=title, text=text, paragraphs=spans)
    tag_languages(article)
    return article


def _keys(article: Article) -> set[str]:
    return {m.key for m in article.mentions}


def test_entities_mixed_page_links_languages(tagger: EntityTagger) -> None:
    article = _article(
        [
            "US President Donald Trump and Chinese President Xi Jinping met in Busan, "
            "South Korea, on the sidelines of the APEC summit.",
            "中国国家主席习近平周二同美国总统特朗普通电话。美国财政部长贝森特与中国国务院"
            "副总理何立峰在吉隆坡会谈。",
        ]
    )
    tagger.tag([article])
    by_lang: dict[str, set[str]] = {"en": set(), "zh": set()}
    split = article.paragraphs[1].start
    for m in article.mentions:
        assert article.text[m.start : m.end] == m.text
        by_lang["zh" if m.start >= split else "en"].add(m.key)
    for key in ("per:xi jinping", "per:donald trump", "loc:united states", "loc:china"):
        assert key in by_lang["en"] and key in by_lang["zh"], key
    assert {"loc:busan", "org:apec", "loc:south korea"} <= by_lang["en"]
    assert {"per:scott bessent", "per:he lifeng", "loc:kuala lumpur"} <= by_lang["zh"]
    # LAC alone reads 特朗普通电话 as 特朗 + 普通; the alias gazetteer repairs it.
    assert "特朗普" in {m.text for m in article.mentions}
    assert "特朗" not in {m.text for m in article.mentions}


def test_entities_short_names_take_the_full_name_key(tagger: EntityTagger) -> None:
    article = _article(
        [
            "Donald Trump spoke first. President Trump then left, and Trump did not return.",
            "Tokyo is unlikely to give ground, said Hannah Kowalczyk, a senior fellow "
            "at a Berlin think tank. Kowalczyk expects a long standoff.",
        ]
    )
    tagger.tag([article])
    keys = {m.text: m.key for m in article.mentions}
    assert keys["Trump"] == keys["Donald Trump"] == "per:donald trump"
    assert keys["Kowalczyk"] == keys["Hannah Kowalczyk"] == "per:hannah kowalczyk"


def test_entities_title_mentions_have_negative_spans(tagger: EntityTagger) -> None:
    title = "Trump and China’s Xi to hold talks in Busan"
    article = _article(["The talks are expected to focus on tariffs and soybeans."], title)
    tagger.tag([article])
    in_title = [m for m in article.mentions if is_title_mention(m)]
    assert {m.key for m in in_title} >= {"per:donald trump", "per:xi jinping", "loc:busan"}
    for m in in_title:
        field, s, e = mention_source(article, m)
        assert field == "title" and article.title[s:e] == m.text


def test_entities_title_repeated_in_text_is_not_tagged_twice(tagger: EntityTagger) -> None:
    title = "Trump will meet Xi in Busan"
    article = _article([title, "The talks will focus on tariffs."], title)
    tagger.tag([article])
    assert all(m.start >= 0 for m in article.mentions)
    assert [m.text for m in article.mentions if m.key == "per:donald trump"] == ["Trump"]


def test_entities_max_chars_limits_text_but_keeps_title(tagger: EntityTagger) -> None:
    first = "Xi Jinping met Donald Trump in Busan."
    article = _article([first, "Scott Bessent met He Lifeng in Kuala Lumpur."], title="Nvidia and the talks")
    tagger.tag([article], max_chars=len(first))
    keys = _keys(article)
    assert {"per:xi jinping", "per:donald trump", "org:nvidia"} <= keys
    assert "per:scott bessent" not in keys


def test_entities_chinese_country_pairs_and_junk(tagger: EntityTagger) -> None:
    article = _article(["中美两国在吉隆坡举行经贸磋商，双方同意继续沟通。"])
    tagger.tag([article])
    texts = {m.text: m.key for m in article.mentions}
    assert texts.get("中") == "loc:china" and texts.get("美") == "loc:united states"
    assert "两国" not in texts and "双方" not in texts


def test_entities_drops_junk(tagger: EntityTagger) -> None:
    article = _article(
        [
            "Trump said that fentanyl, soybeans and Taiwan would be on the agenda.",
            "Subscribe now",
            "Anna Berg | AFP | Getty Images",
        ]
    )
    tagger.tag([article])
    for m in article.mentions:
        assert len(m.text) >= 2 and any(ch.isupper() for ch in m.text)
        assert m.label in {"PER", "ORG", "LOC", "MISC"}
    assert "getty images" not in {m.text.lower() for m in article.mentions}


def test_entities_batches_many_articles(tagger: EntityTagger) -> None:
    articles = [_article([f"Trump met Xi Jinping in Busan on day {i}."], aid=str(i)) for i in range(5)] + [
        _article(["习近平同特朗普在釜山会晤。"], aid="zh")
    ]
    tagger.tag(articles)
    for article in articles:
        assert {"per:donald trump", "per:xi jinping", "loc:busan"} <= _keys(article)


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"{SEEDS} (shared seed articles) is absent")
def test_entities_seed_000_names_the_main_actors(tagger: EntityTagger) -> None:
    path = next(SEEDS.glob("000_*.txt"))
    title, _, text = path.read_text(encoding="utf-8").partition("\n")
    paragraphs, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            paragraphs.append(Paragraph(pos, pos + len(line)))
        pos += len(line) + 1
    article = Article(id="seed000", origin=str(path), title=title, text=text, paragraphs=paragraphs)
    tag_languages(article)
    tagger.tag([article], max_chars=3000)
    keys = _keys(article)
    assert {"per:donald trump", "per:xi jinping", "org:apec"} <= keys


def test_entities_batched_lac_decoding_matches_lac(tagger: EntityTagger) -> None:
    texts = [
        "习近平同特朗普通电话。",
        "日本首相高市早苗周二会见了唐纳德·特朗普，双方讨论了关税和造船合作。",
        "",
        "中",
        "美国财政部长贝森特与中国国务院副总理何立峰在吉隆坡会谈。",
    ]
    assert tagger._lac_run(texts) == [tagger.lac.run(t) for t in texts]


def test_entities_given_name_first_chinese_name_is_one_person(tagger: EntityTagger) -> None:
    article = _article(
        [
            "“Expect a cautious reset,” said Han Mei Ling, Asia director of a consultancy in Singapore.",
            "The American Joe Biden met Chinese officials in Lima.",
        ]
    )
    tagger.tag([article])
    people = {m.text: m.key for m in article.mentions if m.label == "PER"}
    assert people.get("Han Mei Ling") == "per:han mei ling"
    assert "American Joe Biden" not in people
