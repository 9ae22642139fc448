"""Canonical entities: within-article linking, roles, and story-level name repair."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

from storyline.models import Article, Mention, RawDocument
from storyline.nlp.aliases import canonical_key, label_of, load_aliases
from storyline.nlp.canon import (
    EntityEvidence,
    Merge,
    find_roles,
    link_mentions,
    repair_names,
    role_key,
    roles_agree,
)

from .conftest import SHARED, needs_shared


def _tag(text: str, names: list[tuple[str, str]], lang: str = "en") -> list[Mention]:
    """Mentions of ``(surface, label)`` in order of appearance, keyed as the tagger keys them."""
    out, pos = [], 0
    for surface, label in names:
        start = text.index(surface, pos)
        key = canonical_key(surface, label, lang)
        out.append(Mention(start, start + len(surface), surface, label_of(key), key))
        pos = start + len(surface)
    return out


def _keys(mentions: list[Mention]) -> list[tuple[str, str]]:
    return [(m.text, m.key) for m in mentions]


# -- link_mentions: English people -----------------------------------------------------------


def test_canon_link_surname_and_titled_forms_take_the_full_key() -> None:
    text = "Hannah Kowalczyk arrived. Ms. Kowalczyk spoke first, and Dr. Kowalczyk left. Kowalczyk smiled."
    names = [("Hannah Kowalczyk", "PER"), ("Ms. Kowalczyk", "PER"), ("Dr. Kowalczyk", "PER")]
    # The model sometimes calls a lone surname an organisation.
    names.append(("Kowalczyk", "ORG"))
    mentions = _tag(text, names)
    linked = link_mentions(text, mentions, "en")
    assert [(m.key, m.label) for m in linked] == [("per:hannah kowalczyk", "PER")] * 4
    assert mentions[-1].key == "org:kowalczyk"  # the input is left alone


def test_canon_link_first_name_of_an_unknown_person() -> None:
    text = "Wang Xiaoming heads the fund. Wang said returns were weak."
    linked = link_mentions(text, _tag(text, [("Wang Xiaoming", "PER"), ("Wang", "PER")]), "en")
    assert _keys(linked) == [("Wang Xiaoming", "per:wang xiaoming"), ("Wang", "per:wang xiaoming")]


def test_canon_link_two_people_with_one_surname_are_never_merged() -> None:
    text = (
        "Donald Trump met donors. Trump spoke first. Eric Trump, his son, followed. "
        "Trump told the crowd the company would grow."
    )
    names = [("Donald Trump", "PER"), ("Trump", "PER"), ("Eric Trump", "PER"), ("Trump", "PER")]
    linked = link_mentions(text, _tag(text, names), "en")
    # Full names keep their keys; a bare surname goes to the full name named last before it.
    assert _keys(linked) == [
        ("Donald Trump", "per:donald trump"),
        ("Trump", "per:donald trump"),
        ("Eric Trump", "per:eric trump"),
        ("Trump", "per:eric trump"),
    ]


def test_canon_link_known_surname_keeps_table_key_without_a_rival_full_name() -> None:
    text = "Eric Trump said President Trump would attend."
    linked = link_mentions(text, _tag(text, [("Eric Trump", "PER"), ("President Trump", "PER")]), "en")
    assert _keys(linked)[1] == ("President Trump", "per:donald trump")


# -- link_mentions: organisations and acronyms ------------------------------------------------


def test_canon_link_organisation_short_forms() -> None:
    text = (
        "Brazil's Ministry of Agriculture issued rules. The Agriculture Ministry said more would follow. "
        "Japan's Foreign Ministry protested, and the Foreign Ministry summoned the envoy."
    )
    names = [
        ("Brazil's Ministry of Agriculture", "ORG"),
        ("Agriculture Ministry", "ORG"),
        ("Japan's Foreign Ministry", "ORG"),
        ("Foreign Ministry", "ORG"),
    ]
    linked = link_mentions(text, _tag(text, names), "en")
    keys = [k for _, k in _keys(linked)]
    assert keys[1] == keys[0] == "org:brazil ministry of agriculture"
    # The table reads a bare "Foreign Ministry" as China's; this article says Japan's.
    assert canonical_key("Foreign Ministry", "ORG") == "org:china foreign ministry"
    assert keys[3] == keys[2] == "org:japan foreign ministry"


def test_canon_link_organisations_differing_in_more_than_place_stay_apart() -> None:
    text = "The Bank of Ruritania raised rates; the Bank of Thailand did not. The Bank held firm."
    names = [("Bank of Ruritania", "ORG"), ("Bank of Thailand", "ORG"), ("Bank", "ORG")]
    linked = link_mentions(text, _tag(text, names), "en")
    # The two banks stay apart; a bare "Bank" can only be the one whose other words are a known place.
    assert [k for _, k in _keys(linked)] == [
        "org:bank of ruritania",
        "org:bank of thailand",
        "org:bank of thailand",
    ]


def test_canon_link_acronyms_defined_or_fitting() -> None:
    text = (
        "The Semiconductor Industry Association (SIA) welcomed the Ministry of Economy, Trade and Industry "
        "plan. METI will consult SIA members and the Office of the Ruritanian Trade Representative; "
        "RTR declined to comment. AP reported it."
    )
    names = [
        ("Semiconductor Industry Association", "ORG"),
        ("Ministry of Economy, Trade and Industry", "ORG"),
        ("METI", "ORG"),
        ("Office of the Ruritanian Trade Representative", "ORG"),
        ("RTR", "ORG"),
        ("AP", "ORG"),
    ]
    linked = link_mentions(text, _tag(text, names), "en")
    by_text: dict[str, set[str]] = {}
    for m in linked:
        by_text.setdefault(m.text, set()).add(m.key)
    # SIA was never tagged: the definition finds both of its occurrences.
    assert by_text["SIA"] == {"org:semiconductor industry association"}
    assert [m.start for m in linked if m.text == "SIA"] == [text.index("SIA"), text.rindex("SIA")]
    assert by_text["METI"] == {"org:ministry of economy, trade and industry"}
    assert by_text["RTR"] == {"org:office of the ruritanian trade representative"}
    assert by_text["AP"] == {"org:associated press"}  # known to the table, letters alone do not move it


def test_canon_link_short_acronyms_must_use_every_word() -> None:
    text = "The Ruritanian Economic Council met; EC officials and REC staff watched."
    names = [("Ruritanian Economic Council", "ORG"), ("EC", "ORG"), ("REC", "ORG")]
    linked = link_mentions(text, _tag(text, names), "en")
    assert [m.key for m in linked] == [
        "org:ruritanian economic council",
        "org:ec",
        "org:ruritanian economic council",
    ]


def test_canon_link_chinese_short_forms() -> None:
    text = "日本经济产业省周二发表声明。经济产业省表示将加强管理。东京自民党总部召开会议，自民党表示支持。"
    names = [("日本经济产业省", "ORG"), ("经济产业省", "ORG"), ("东京自民党", "ORG"), ("自民党", "ORG")]
    linked = link_mentions(text, _tag(text, names, "zh"), "zh")
    keys = [k for _, k in _keys(linked)]
    assert keys[1] == keys[0]
    # Tokyo is a city, not the party's country: "at the LDP headquarters in Tokyo".
    assert keys[3] != keys[2]


def test_canon_link_chinese_people() -> None:
    text = "德国外长阿尔特·维尔纳周二访华。维尔纳表示，双方应加强合作。"
    linked = link_mentions(text, _tag(text, [("阿尔特·维尔纳", "PER"), ("维尔纳", "PER")], "zh"), "zh")
    assert linked[0].key == linked[1].key == canonical_key("阿尔特·维尔纳", "PER", "zh")


def test_canon_link_finds_another_spelling_of_a_chinese_surname() -> None:
    text = "Xi Jinping spoke with Trump. Trump later praised the meeting With Shi. Shi Wei, a banker, agreed."
    mentions = _tag(text, [("Xi Jinping", "PER"), ("Trump", "PER"), ("Trump", "PER")])
    linked = link_mentions(text, mentions, "en")
    added = [m for m in linked if m.text == "Shi"]
    # The odd spelling becomes a mention with its own key; story repair decides what it is.
    assert [(m.start, m.key) for m in added] == [(text.index("Shi"), "per:shi")]


# -- roles -----------------------------------------------------------------------------------


def _roles(text: str, names: list[tuple[str, str]], lang: str = "en") -> list[tuple[str, str]]:
    mentions = _tag(text, names, lang)
    roles = find_roles(text, mentions, lang)
    for r in roles:
        assert text[r.start : r.end] == r.surface
    return [(r.key, r.role) for r in roles]


def test_canon_roles_before_english_names() -> None:
    text = (
        "Treasury Secretary Scott Bessent and U.S. Trade Representative Jamieson Greer met Chinese "
        "Vice-Premier He Lifeng. White House press secretary Karoline Leavitt said Secretary of State "
        "Marco Rubio and US Ambassador to China David Perdue would join. On Thursday President Trump spoke."
    )
    names = [
        ("Scott Bessent", "PER"),
        ("Jamieson Greer", "PER"),
        ("He Lifeng", "PER"),
        ("White House", "ORG"),
        ("Karoline Leavitt", "PER"),
        ("Marco Rubio", "PER"),
        ("David Perdue", "PER"),
        ("Trump", "PER"),
    ]
    assert _roles(text, names) == [
        ("per:scott bessent", "Treasury Secretary"),
        ("per:jamieson greer", "U.S. Trade Representative"),
        ("per:he lifeng", "Chinese Vice-Premier"),
        ("per:karoline leavitt", "White House press secretary"),
        ("per:marco rubio", "Secretary of State"),
        ("per:david perdue", "US Ambassador to China"),
        ("per:donald trump", "President"),
    ]


def test_canon_roles_inside_a_mention_that_swallowed_them() -> None:
    text = "Yesterday US Treasury Secretary Scott Bessent and China Daily met."
    mentions = [
        Mention(10, 45, "US Treasury Secretary Scott Bessent", "PER", "per:scott bessent"),
        Mention(50, 61, "China Daily", "ORG", "org:china daily"),
    ]
    (role,) = find_roles(text, mentions, "en")
    assert (role.role, role.start, role.end) == ("US Treasury Secretary", 10, 31)


def test_canon_roles_in_appositions() -> None:
    text = (
        "Scott Bessent, the Treasury Secretary, said talks went well. He Lifeng, China’s vice premier, "
        "agreed. Li Chenggang, who is the country’s top trade negotiator, will follow. "
        "Sun Yun, director of the China program at the Stimson Center, was doubtful."
    )
    names = [("Scott Bessent", "PER"), ("He Lifeng", "PER"), ("Li Chenggang", "PER"), ("Sun Yun", "PER")]
    assert _roles(text, names) == [
        ("per:scott bessent", "Treasury Secretary"),
        ("per:he lifeng", "China's vice premier"),
        ("per:li chenggang", "country's top trade negotiator"),
    ]


def test_canon_roles_are_not_taken_from_lists_or_the_next_name() -> None:
    text = "Trump, Xi and Putin met. Xi, President Trump said, is tough. Analysts met Mr. Xi on Monday."
    names = [("Trump", "PER"), ("Xi", "PER"), ("Putin", "PER"), ("Xi", "PER"), ("President Trump", "PER")]
    names.append(("Mr. Xi", "PER"))
    assert _roles(text, names) == [("per:donald trump", "President")]


def test_canon_roles_keep_rank_words() -> None:
    text = "Former President Joe Biden and deputy prime minister Ana Lopes spoke."
    roles = _roles(text, [("Joe Biden", "PER"), ("Ana Lopes", "PER")])
    assert roles == [("per:joe biden", "Former President"), ("per:ana lopes", "deputy prime minister")]


def test_canon_roles_around_chinese_names() -> None:
    text = (
        "中国国家主席习近平会见了美国财政部长贝森特。习近平主席表示欢迎。"
        "外交部发言人林剑说，前总统拜登也曾访华。"
    )
    names = [
        ("中国", "LOC"),
        ("习近平", "PER"),
        ("美国财政部", "ORG"),
        ("贝森特", "PER"),
        ("习近平", "PER"),
        ("外交部", "ORG"),
        ("林剑", "PER"),
        ("拜登", "PER"),
    ]
    assert _roles(text, names, "zh") == [
        ("per:xi jinping", "中国国家主席"),
        ("per:scott bessent", "美国财政部长"),
        ("per:xi jinping", "主席"),
        ("per:lin jian", "外交部发言人"),
        ("per:joe biden", "前总统"),
    ]


def test_canon_role_key_groups_spellings() -> None:
    assert role_key("Vice-Premier") == role_key("vice premier") == "vice premier"
    assert role_key("U.S. Trade Representative") == "us trade representative"
    assert role_key("China’s vice premier") == "china vice premier"
    assert role_key("國家主席") == role_key("国家主席") == "国家主席"
    assert role_key("the Treasury Secretary") == "treasury secretary"


def test_canon_roles_agree_only_without_rank_changes() -> None:
    assert roles_agree("treasury secretary", "us treasury secretary")
    assert roles_agree("press secretary", "white house press secretary")
    assert roles_agree("ambassador", "ambassador to china")
    assert roles_agree("财政部长", "美国财政部长")
    assert not roles_agree("president", "vice president")
    assert not roles_agree("premier", "former premier")
    assert not roles_agree("总理", "副总理")
    assert not roles_agree("treasury secretary", "commerce secretary")


# -- repair_names ----------------------------------------------------------------------------


def _entity(
    key: str, count: int, roles: set[str] | None = None, near: list[str] | None = None
) -> EntityEvidence:
    surface = key.split(":", 1)[1].title()
    return EntityEvidence(
        key, label_of(key), Counter({surface: count}), count, roles or set(), Counter(near or [])
    )


def _merges(entities: list[EntityEvidence]) -> dict[str, str]:
    return {m.source_key: m.target_key for m in repair_names(entities)}


def test_canon_repair_misspelling_with_a_shared_role() -> None:
    merges = repair_names(
        [
            _entity("per:scott bessent", 6, {"treasury secretary"}),
            _entity("per:scott besant", 2, {"us treasury secretary"}),
        ]
    )
    assert [(m.source_key, m.target_key) for m in merges] == [("per:scott besant", "per:scott bessent")]
    assert "2 edits from 'Scott Bessent'" in merges[0].reason
    assert "same role 'treasury secretary'" in merges[0].reason


def test_canon_repair_with_the_roles_the_table_lists() -> None:
    # Karoline Leavitt is not named in the story at all: the table knows her and her office.
    story = [
        _entity("per:carolyn levitt", 1, {"white house press secretary"}),
        _entity("per:donald trump", 9),
    ]
    merges = repair_names(story)
    assert [(m.source_key, m.target_key) for m in merges] == [("per:carolyn levitt", "per:karoline leavitt")]
    assert "sounds like 'Karoline Leavitt'" in merges[0].reason and "alias table" in merges[0].reason
    # Spelling alone is not enough.
    assert repair_names([_entity("per:carolyn levitt", 1), _entity("per:donald trump", 9)]) == []


def test_canon_repair_transliteration_with_shared_context() -> None:
    story = [
        _entity("per:xi jinping", 12, {"chinese president"}, ["per:donald trump", "loc:busan"]),
        _entity("per:donald trump", 20, {"us president"}, ["per:xi jinping", "per:shi"]),
        _entity("per:shi", 1, set(), ["per:donald trump"]),
    ]
    story[0].surfaces["Xi"] = 5
    merges = repair_names(story)
    assert [(m.source_key, m.target_key) for m in merges] == [("per:shi", "per:xi jinping")]
    assert "another transliteration of 'Xi'" in merges[0].reason
    assert "both appear with Donald Trump" in merges[0].reason


def test_canon_repair_keeps_different_people_apart() -> None:
    eric = _entity("per:eric trump", 2, {"us president"}, ["per:melania trump"])
    donald = _entity("per:donald trump", 20, {"us president"}, ["per:melania trump"])
    assert _merges([eric, donald]) == {}
    # John Smith and Jon Smyth: close names, nothing else in common.
    smith = _entity("per:john smith", 5, {"analyst"}, ["org:acme"])
    smyth = _entity("per:jon smyth", 1, {"senator"}, ["org:globex"])
    assert _merges([smith, smyth]) == {}
    # The same two with a shared context are one person misspelt...
    smyth_near = _entity("per:jon smyth", 1, set(), ["org:acme"])
    assert _merges([smith, smyth_near]) == {"per:jon smyth": "per:john smith"}
    # ... unless they are named in one sentence: then they are two.
    smith_with = _entity("per:john smith", 5, {"analyst"}, ["org:acme", "per:jon smyth"])
    assert _merges([smith_with, smyth_near]) == {}


def test_canon_repair_never_merges_two_table_entities(tmp_path: Path) -> None:
    extra = tmp_path / "extra.tsv"
    extra.write_text(
        "key\ttype\tnames\troles\njohn smith\tper\tJohn Smith\tSenator\njon smyth\tper\tJon Smyth\tSenator\n",
        encoding="utf-8",
    )
    table = load_aliases(extra)
    story = [
        _entity("per:john smith", 5, {"senator"}, ["org:acme"]),
        _entity("per:jon smyth", 1, {"senator"}, ["org:acme"]),
    ]
    assert repair_names(story, table) == []


def test_canon_repair_leaves_a_name_between_two_equal_targets() -> None:
    story = [
        _entity("per:john berg", 4, {"senator"}),
        _entity("per:joan berg", 4, {"senator"}),
        _entity("per:jon berg", 1, {"senator"}),
    ]
    assert _merges(story) == {}


def test_canon_repair_is_deterministic_and_never_chains() -> None:
    story = [
        _entity("per:scott bessent", 6, {"treasury secretary"}),
        _entity("per:scott besant", 3, {"treasury secretary"}),
        _entity("per:scot besant", 1, {"treasury secretary"}),
        _entity("per:sanae takaich", 1, {"prime minister"}, ["org:ldp"]),
        _entity("per:sanae takaichi", 7, {"japanese prime minister"}, ["org:ldp"]),
    ]
    first = repair_names(story)
    for seed in range(5):
        shuffled = story[:]
        random.Random(seed).shuffle(shuffled)
        assert repair_names(shuffled) == first
    targets = {m.target_key for m in first}
    assert not targets & {m.source_key for m in first}
    assert {(m.source_key, m.target_key) for m in first} == {
        ("per:scott besant", "per:scott bessent"),
        ("per:scot besant", "per:scott bessent"),
        ("per:sanae takaich", "per:sanae takaichi"),
    }


def test_canon_repair_names_in_the_other_order() -> None:
    story = [
        _entity("per:shinjiro koizumi", 5, {"agriculture minister"}),
        _entity("per:koizumi shinjiro", 1, {"agriculture minister"}),
    ]
    (merge,) = repair_names(story)
    assert merge == Merge(
        "per:koizumi shinjiro",
        "per:shinjiro koizumi",
        "'Shinjiro Koizumi' in the other order and same role 'agriculture minister'",
    )


# -- the seeds: five scraped pages about the 2025 US-China talks, pooled as one story -----------


def _seed_articles() -> list[Article]:
    from storyline.nlp.entities import EntityTagger
    from storyline.text.extract import extract
    from storyline.text.lang import tag_languages
    from storyline.text.sentences import split_sentences

    articles = []
    for path in sorted((SHARED / "seeds").glob("*.txt")):
        article = extract(RawDocument(origin=str(path), body=path.read_text(encoding="utf-8")))
        assert isinstance(article, Article), article
        tag_languages(article)
        split_sentences(article)
        articles.append(article)
    EntityTagger().tag(articles, max_chars=3000)
    return articles


def _story_evidence(articles: list[Article]) -> tuple[list[EntityEvidence], dict[str, set[str]]]:
    surfaces: dict[str, Counter[str]] = {}
    labels: dict[str, str] = {}
    neighbours: dict[str, Counter[str]] = {}
    roles: dict[str, set[str]] = {}
    for a in articles:
        body = [m for m in a.mentions if m.start >= 0]
        linked = link_mentions(a.text, body, a.lang)
        for r in find_roles(a.text, linked, a.lang):
            roles.setdefault(r.key, set()).add(r.role)
        for m in linked:
            surfaces.setdefault(m.key, Counter())[m.text] += 1
            labels.setdefault(m.key, m.label)
        for s in a.sentences:
            keys = {m.key for m in linked if s.start <= m.start < s.end}
            for k in keys:
                neighbours.setdefault(k, Counter()).update(keys - {k})
    evidence = [
        EntityEvidence(
            key,
            labels[key],
            counts,
            sum(counts.values()),
            {role_key(r) for r in roles.get(key, set())},
            neighbours.get(key, Counter()),
        )
        for key, counts in sorted(surfaces.items())
    ]
    return evidence, roles


@pytest.mark.slow
@needs_shared
def test_canon_seeds_misspelt_names_are_repaired_and_nothing_else() -> None:
    evidence, roles = _story_evidence(_seed_articles())
    merges = repair_names(evidence)
    assert {(m.source_key, m.target_key) for m in merges} == {
        ("per:scott besant", "per:scott bessent"),
        ("per:carolyn levitt", "per:karoline leavitt"),
        ("per:shi", "per:xi jinping"),
    }
    assert all(" and " in m.reason for m in merges)
    # The sources disagree on He Lifeng's title; both wordings are kept.
    assert {"Chinese Vice President", "Chinese Vice-Premier", "Chinese Vice Premier"} <= roles[
        "per:he lifeng"
    ]
    assert "White House Press Secretary" in roles["per:carolyn levitt"]
