"""Dated event mentions: triggers, date attachment, ranges, modality, participants; the seeds."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from storyline.models import Article, Mention, RawDocument
from storyline.nlp.entities import EntityTagger
from storyline.nlp.events import MODALITIES, PREDICATES, EventMention, find_events
from storyline.nlp.events_en import EN
from storyline.nlp.events_rules import SAY
from storyline.nlp.events_zh import ZH
from storyline.nlp.timex import Timex, find_timexes, value_range
from storyline.text.extract import extract
from storyline.text.lang import tag_languages
from storyline.text.sentences import split_sentences

from .conftest import SHARED, needs_shared

DCT = date(2025, 10, 23)  # a Thursday

# Surface -> (label, key), as the tagger and the linker would give them.
NAMES = {
    "Donald Trump": ("PER", "per:donald trump"),
    "Trump": ("PER", "per:donald trump"),
    "Xi Jinping": ("PER", "per:xi jinping"),
    "Xi": ("PER", "per:xi jinping"),
    "Scott Bessent": ("PER", "per:scott bessent"),
    "Bessent": ("PER", "per:scott bessent"),
    "He Lifeng": ("PER", "per:he lifeng"),
    "Karoline Leavitt": ("PER", "per:karoline leavitt"),
    "Chinese": ("LOC", "loc:china"),
    "China": ("LOC", "loc:china"),
    "Beijing": ("LOC", "loc:beijing"),
    "Washington": ("LOC", "loc:washington"),
    "US": ("LOC", "loc:united states"),
    "Busan": ("LOC", "loc:busan"),
    "South Korea": ("LOC", "loc:south korea"),
    "Geneva": ("LOC", "loc:geneva"),
    "Kuala Lumpur": ("LOC", "loc:kuala lumpur"),
    "Louvre": ("FAC", "fac:louvre"),
    "特朗普": ("PER", "per:donald trump"),
    "习近平": ("PER", "per:xi jinping"),
    "何立峰": ("PER", "per:he lifeng"),
    "贝森特": ("PER", "per:scott bessent"),
    "中国": ("LOC", "loc:china"),
    "美国": ("LOC", "loc:united states"),
    "釜山": ("LOC", "loc:busan"),
    "吉隆坡": ("LOC", "loc:kuala lumpur"),
    "日内瓦": ("LOC", "loc:geneva"),
    "商务部": ("ORG", "org:china commerce ministry"),
}
_NAME = re.compile("|".join(re.escape(n) for n in sorted(NAMES, key=len, reverse=True)))


def _mentions(text: str) -> list[Mention]:
    found = []
    for m in _NAME.finditer(text):
        if text[m.start() - 1 : m.start()].isalpha() and m.group().isascii():
            continue  # "US" inside "USA"
        label, key = NAMES[m.group()]
        found.append(Mention(m.start(), m.end(), m.group(), label, key))
    return found


def _events(text: str, dct: date | None = DCT, lang: str | None = None) -> list[EventMention]:
    lang = lang or ("zh" if re.search(r"[\u4e00-\u9fff]", text) else "en")
    return find_events(text, lang, dct, find_timexes(text, dct, lang), _mentions(text))


def _one(text: str, dct: date | None = DCT) -> EventMention:
    events = _events(text, dct)
    assert len(events) == 1, (text, events)
    return events[0]


# -- the shape of an event ----------------------------------------------------------------------


def test_events_scheduled_meeting_english() -> None:
    text = "Markets were calm. US President Donald Trump will meet Chinese President Xi Jinping on Oct. 30."
    e = _one(text)
    assert (e.predicate, e.date, e.date_end, e.modality, e.lang) == (
        "meet",
        "2025-10-30",
        None,
        "scheduled",
        "en",
    )
    assert text[e.start : e.end] == text[text.index("US") :]
    assert (e.trigger, text[e.trigger_start : e.trigger_end]) == ("meet", "meet")
    assert text[e.timex_start : e.timex_end] == "Oct. 30"
    # "US" and "Chinese" qualify a title: they do not take part.
    assert e.participants == ["per:donald trump", "per:xi jinping"]


def test_events_scheduled_meeting_chinese() -> None:
    e = _one("特朗普将于10月30日在釜山与习近平会晤。")
    assert (e.predicate, e.trigger, e.date, e.modality, e.lang) == (
        "meet",
        "会晤",
        "2025-10-30",
        "scheduled",
        "zh",
    )
    assert e.participants == ["per:donald trump", "per:xi jinping"]


def test_events_titles_modifiers_in_chinese_are_not_participants() -> None:
    e = _one("美国财政部长贝森特将于10月25日在吉隆坡与中国国务院副总理何立峰举行会谈。")
    assert (e.predicate, e.modality) == ("talk", "scheduled")
    assert e.participants == ["per:scott bessent", "per:he lifeng"]


# -- modality -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "dct", "predicate", "modality"),
    [
        # Past tense (or 了/已) and a date on or before publication.
        ("Trump and Xi met in Busan on Thursday.", date(2025, 10, 31), "meet", "happened"),
        ("10月30日，习近平同特朗普在釜山举行了会晤。", date(2025, 10, 31), "meet", "happened"),
        ("双方已于10月26日结束磋商。", date(2025, 10, 27), "talk", "happened"),
        # A future date with no cue at all is what is planned.
        ("The tariff truce expires on November 10.", DCT, "expire", "scheduled"),
        ("中美关税休战安排11月10日到期。", DCT, "expire", "scheduled"),
        ("Trump is set to visit Tokyo on October 27.", DCT, "visit", "scheduled"),
        ("特朗普计划10月27日访问东京。", DCT, "visit", "scheduled"),
        ("The two leaders are expected to sign a trade deal in early November.", DCT, "sign", "scheduled"),
        # Threats: a deadline with a penalty, the word, or a punitive "if ... would".
        ("Trump set a November 1 deadline for additional 100% tariffs.", DCT, "deadline", "threatened"),
        ("Trump threatened to impose 100% tariffs on Chinese goods from November 1.", DCT, "impose_tariff",
         "threatened"),
        ("If talks fail, Washington would impose sanctions on November 1.", DCT, "sanction", "threatened"),
        ("特朗普威胁自11月1日起对中国商品加征100%关税。", DCT, "impose_tariff", "threatened"),
        ("如果谈判破裂，美方将于11月1日实施新的出口管制。", DCT, "export_control", "threatened"),
        # Proposals.
        ("Beijing proposed holding talks in Geneva on November 5.", DCT, "talk", "proposed"),
        ("中方提议11月5日在日内瓦举行磋商。", DCT, "talk", "proposed"),
        # Cancellations, including negation (kept, as cancelled, not dropped).
        ("The White House cancelled the summit planned for November 12.", DCT, "meet", "cancelled"),
        ("The talks set for November 3 were called off.", DCT, "talk", "cancelled"),
        ("Trump will not meet Xi on October 30.", DCT, "meet", "cancelled"),
        ("双方决定推迟原定于11月12日举行的会谈。", DCT, "talk", "cancelled"),
        ("特朗普10月30日不会与习近平会面。", DCT, "meet", "cancelled"),
        # Hearsay without a commitment of its own.
        ("The probe could be announced as soon as Friday, according to media reports.", DCT, "announce",
         "reported"),
        ("据报道，双方10月20日在日内瓦会谈。", DCT, "talk", "reported"),
    ],
)  # fmt: skip
def test_events_modality(text: str, dct: date, predicate: str, modality: str) -> None:
    e = _one(text, dct)
    assert (e.predicate, e.modality) == (predicate, modality), text


def test_events_modality_of_a_span_holding_the_publication_date() -> None:
    assert _one("China and the US have held talks four times this year.").modality == "happened"
    assert _one("Washington approved an arms sale to Taiwan earlier this month.").modality == "happened"
    assert _one("The talks in Geneva will resume this week.").modality == "scheduled"


# -- predicates ---------------------------------------------------------------------------------

EN_PREDICATES = [
    ("Trump and Xi met in Busan on Thursday.", "meet"),
    ("Xi and Trump spoke by phone on Monday.", "call"),
    ("Bessent held talks with He Lifeng on Saturday.", "talk"),
    ("Trump will travel to Seoul on October 29.", "visit"),
    ("Washington raised tariffs on steel on Monday.", "impose_tariff"),
    ("The US will cut tariffs on Chinese goods on November 10.", "cut_tariff"),
    ("China widened export controls on rare earths on October 9.", "export_control"),
    ("The two sides agreed on a framework on Sunday.", "agree"),
    ("The leaders will sign the agreement on October 30.", "sign"),
    ("The deadline falls on November 1.", "deadline"),
    ("China announced the measures on October 9.", "announce"),
    ("Trump threatened Beijing on Friday.", "threaten"),
    ("China bought US soybeans on Tuesday.", "purchase"),
    ("The company sold its stake on Monday.", "sell"),
    ("Washington sanctioned two refiners on Monday.", "sanction"),
    ("Beijing suspended the rules on November 10.", "suspend"),
    ("The museum reopened on Wednesday.", "resume"),
    ("Takaichi was elected prime minister on October 21.", "elect"),
    ("Rebels attacked the base on Sunday.", "attack"),
    ("The former minister died on Monday.", "die"),
    ("Police arrested two men on Saturday.", "arrest"),
    ("China launched three astronauts on October 31.", "launch"),
    ("The capsule touched down on November 14.", "land"),
    ("The spacecraft docked with the station on November 1.", "dock"),
    ("The typhoon made landfall on Wednesday.", "landfall"),
    ("Thieves stole eight jewels on Sunday.", "theft"),
    ("The director testified before the Senate on Wednesday.", "testify"),
    ("The regulator summoned Nvidia on July 31.", "summon"),
    ("The prime minister resigned on September 7.", "resign"),
    ("The party released its plan on Thursday.", "release"),
    ("Regulators opened an investigation on Monday.", "investigate"),
    ("China imposed a ban on seafood imports in August.", "ban"),
]
ZH_PREDICATES = [
    ("10月20日，习近平同特朗普通电话。", "call"),
    ("双方10月25日在吉隆坡举行磋商。", "talk"),
    ("特朗普10月27日抵达东京。", "visit"),
    ("美方10月14日起加征港口费和关税。", "impose_tariff"),
    ("美方11月10日起下调相关关税。", "cut_tariff"),
    ("商务部10月9日发布出口管制公告。", "export_control"),
    ("双方10月26日达成初步共识。", "agree"),
    ("两国10月30日签署协议。", "sign"),
    ("休战安排11月10日到期。", "expire"),
    ("美方设定的最后期限是11月1日。", "deadline"),
    ("外交部10月9日宣布有关措施。", "announce"),
    ("美方10月10日威胁中方。", "threaten"),
    ("中方10月30日采购美国大豆。", "purchase"),
    ("美国10月20日批准对台军售。", "sell"),
    ("美方10月8日制裁两家炼油厂。", "sanction"),
    ("中方11月10日起暂停实施有关措施。", "suspend"),
    ("卢浮宫10月22日恢复开放。", "resume"),
    ("高市早苗10月21日当选首相。", "elect"),
    ("武装分子10月19日袭击基地。", "attack"),
    ("前部长10月20日去世。", "die"),
    ("警方10月25日逮捕两名男子。", "arrest"),
    ("神舟飞船10月31日发射升空。", "launch"),
    ("返回舱11月14日平稳着陆。", "land"),
    ("飞船11月1日与空间站对接。", "dock"),
    ("台风9月24日在广东登陆。", "landfall"),
    ("卢浮宫10月19日发生盗窃案。", "theft"),
    ("馆长10月22日出席听证会。", "testify"),
    ("网信办7月31日约谈英伟达。", "summon"),
    ("首相9月7日宣布辞职。", "resign"),
    ("监管总局9月公布调查结果。", "investigate"),
    ("中方2023年8月实施进口禁令。", "ban"),
]


@pytest.mark.parametrize(("text", "predicate"), EN_PREDICATES + ZH_PREDICATES)
def test_events_predicates(text: str, predicate: str) -> None:
    assert _one(text).predicate == predicate, text


def test_events_predicate_vocabulary_is_closed_and_covered() -> None:
    for lex in (EN, ZH):
        assert set(lex.trigger_names.values()) <= set(PREDICATES) | {SAY}
    tested = {p for _, p in EN_PREDICATES} | {p for _, p in ZH_PREDICATES}
    assert tested == set(PREDICATES)
    assert set(MODALITIES) == {"happened", "scheduled", "threatened", "proposed", "cancelled", "reported"}


# -- attachment ---------------------------------------------------------------------------------


def test_events_reporting_verbs_take_their_date_but_make_no_event() -> None:
    e = _one("White House spokeswoman Karoline Leavitt said on Thursday Trump will meet Xi on October 30.")
    assert (e.predicate, e.date) == ("meet", "2025-10-30")
    assert e.participants == ["per:donald trump", "per:xi jinping"]
    assert _events("Trump told reporters on Thursday that he was optimistic.") == []


def test_events_fronted_and_premodifying_dates_attach_forwards() -> None:
    e = _one("On the 9th, China announced export controls on rare earths.", date(2025, 10, 15))
    # An announcement of export controls is an export_control event.
    assert (e.predicate, e.trigger, e.date, e.modality) == (
        "export_control",
        "export controls",
        "2025-10-09",
        "happened",
    )
    assert e.participants == ["loc:china"]
    e = _one("Washington confirmed the October 30 meeting between Trump and Xi.")
    assert (e.predicate, e.trigger) == ("meet", "meeting")
    assert e.participants == ["per:donald trump", "per:xi jinping"]  # Washington only confirmed it


def test_events_time_anchoring_nouns_yield_to_the_event() -> None:
    e = _one("Trump will meet Xi on the sidelines of the APEC summit on October 30.")
    assert (e.predicate, e.trigger, e.participants) == (
        "meet",
        "meet",
        ["per:donald trump", "per:xi jinping"],
    )


def test_events_chinese_date_opening_a_clause_belongs_to_the_next() -> None:
    e = _one("10月20日，习近平同特朗普通电话。")
    assert (e.predicate, e.trigger, e.date, e.modality) == ("call", "通电话", "2025-10-20", "happened")
    assert e.participants == ["per:xi jinping", "per:donald trump"]


def test_events_one_date_per_trigger_the_most_specific() -> None:
    e = _one("今年第十次会谈于10月25日在吉隆坡举行。")
    assert e.date == "2025-10-25"


def test_events_datelines_are_not_event_dates() -> None:
    e = _one(
        "PARIS, Oct 20 (Meridian Wire) - Thieves stole eight jewels from the Louvre on Sunday.",
        date(2025, 10, 20),
    )
    assert (e.predicate, e.date) == ("theft", "2025-10-19")
    e = _one("新华社东京10月21日电 日本国会20日举行首相指名选举。", date(2025, 10, 21))
    assert (e.predicate, e.date) == ("elect", "2025-10-20")


def test_events_only_specific_resolved_dates() -> None:
    assert _events("Trump will meet Xi soon, and the two have talked for three years.") == []
    assert _events("双方近期将举行会谈。") == []
    # With no publication date an explicit year still resolves; without a cue it happened.
    e = _one("Trump met Xi in Busan on October 30, 2025.", dct=None)
    assert (e.date, e.modality) == ("2025-10-30", "happened")


# -- undated events ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "predicate", "modality", "when"),
    [
        ("Trump and Xi Jinping held a phone call on Monday to discuss trade.", "call", "happened", "Monday"),
        ("Trump will meet Xi on October 30.", "meet", "scheduled", "October 30"),  # no year: XXXX-10-30
        ("Bessent met He Lifeng yesterday in Geneva.", "meet", "happened", "yesterday"),
        ("特朗普周一与习近平通电话。", "call", "happened", "周一"),
    ],
)
def test_events_undated_when_the_date_cannot_be_placed(
    text: str, predicate: str, modality: str, when: str
) -> None:
    e = _one(text, dct=None)
    assert (e.predicate, e.modality, e.date, e.date_end) == (predicate, modality, None, None)
    assert e.timex_start is not None and text[e.timex_start : e.timex_end] == when
    assert e.participants[:2] in (
        ["per:donald trump", "per:xi jinping"],
        ["per:scott bessent", "per:he lifeng"],
    )


def test_events_undated_only_for_clear_triggers_with_participants() -> None:
    assert _events("The report was released on Monday.", dct=None) == []  # weak trigger
    assert _events("A phone call was held on Monday.", dct=None) == []  # nobody takes part
    assert _events("Trump and Xi met recently.", dct=None) == []  # vague, no date given
    assert _events("Trump and Xi met recently.") == []
    # Placed dates win: the same text with a publication date is dated as before.
    assert _one("Trump and Xi Jinping held a phone call on Monday.").date == "2025-10-20"


def test_events_other_languages_have_no_rules() -> None:
    text = "Trump rencontrera Xi le 30 octobre."
    assert find_events(text, "fr", DCT, [Timex(22, 32, "30 octobre", "DATE", "2025-10-30")]) == []


# -- ranges -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Talks will be held in Kuala Lumpur from Oct. 24 to 27.", "Oct. 24 to 27"),
        ("Talks will be held in Kuala Lumpur on October 24-27.", "October 24-27"),
        ("Talks will be held from October 24 to October 27.", "October 24 to October 27"),
        ("Talks will be held between October 24 and 27.", "October 24 and 27"),
        ("双方将于10月24日至27日在吉隆坡举行经贸磋商。", "10月24日至27日"),
        ("双方将于10月24至27日在吉隆坡举行经贸磋商。", "10月24至27日"),
    ],
)
def test_events_ranges(text: str, span: str) -> None:
    e = _one(text)
    assert (e.predicate, e.date, e.date_end, e.modality) == ("talk", "2025-10-24", "2025-10-27", "scheduled")
    assert text[e.timex_start : e.timex_end] == span


def test_events_two_days_in_a_row_are_one_range() -> None:
    e = _one("Bessent met He Lifeng in Kuala Lumpur on Saturday and Sunday.", date(2025, 10, 27))
    assert (e.date, e.date_end, e.modality) == ("2025-10-25", "2025-10-26", "happened")
    assert e.participants == ["per:scott bessent", "per:he lifeng"]


def test_events_a_month_placed_in_its_year_is_one_date() -> None:
    e = _one("Trump announced reciprocal tariffs in April of this year.")
    assert (e.predicate, e.date, e.modality) == ("impose_tariff", "2025-04", "happened")


# -- participants -------------------------------------------------------------------------------


def test_events_counterparts_borrow_the_previous_participants() -> None:
    events = _events(
        "Trump will meet Xi Jinping next week. He will meet his Chinese counterpart on October 30."
    )
    assert [e.date for e in events] == ["2025-W44", "2025-10-30"]
    assert events[1].participants == ["per:donald trump", "per:xi jinping"]


def test_events_the_speaker_is_he() -> None:
    e = _one("Trump said he would visit Beijing in April.")
    assert (e.predicate, e.date, e.modality) == ("visit", "2026-04", "scheduled")
    assert e.participants == ["per:donald trump", "loc:beijing"]


def test_events_places_speakers_and_title_mentions_do_not_take_part() -> None:
    text = "Bessent will meet He Lifeng in Kuala Lumpur, Malaysia on October 25, Trump said."
    mentions = [*_mentions(text), Mention(-10, -5, "Trump", "PER", "per:donald trump")]
    (e,) = find_events(text, "en", DCT, find_timexes(text, DCT, "en"), mentions)
    assert e.participants == ["per:scott bessent", "per:he lifeng"]


def test_events_given_sentences_bound_the_events() -> None:
    text = "Trump will meet Xi on October 30. 特朗普将于10月30日在釜山与习近平会晤。"
    zh_start = text.index("特")
    en = find_events(text, "en", DCT, find_timexes(text, DCT, "en"), _mentions(text), [(0, zh_start - 1)])
    zh = find_events(text, "zh", DCT, find_timexes(text, DCT, "zh"), _mentions(text), [(zh_start, len(text))])
    assert [(e.lang, e.start, e.trigger) for e in en + zh] == [("en", 0, "meet"), ("zh", zh_start, "会晤")]


# -- the seeds: five real pages about the 2025 US-China talks ------------------------------------

# Only seed 003 carries a dateline. The others are dated by what they report as just
# done: the Thursday briefing (000), the Monday phone call (001), the meeting in South
# Korea (002) and the Wall Street Journal report "on the 15th" (004).
SEED_DAYS = {
    "000": datetime(2025, 10, 23),
    "001": datetime(2025, 11, 25),
    "002": datetime(2025, 10, 31),
    "004": datetime(2025, 10, 16),
}


@pytest.fixture(scope="module")
def seed_events() -> dict[str, list[EventMention]]:
    articles: dict[str, Article] = {}
    for path in sorted((SHARED / "seeds").glob("*.txt")):
        article = extract(RawDocument(str(path), path.read_text(encoding="utf-8")))
        assert isinstance(article, Article), article
        article.published = article.published or SEED_DAYS[path.name[:3]]
        tag_languages(article)
        split_sentences(article)
        articles[path.name[:3]] = article
    EntityTagger().tag(list(articles.values()))
    found = {}
    for prefix, a in articles.items():
        sentences = [(s.start, s.end) for s in a.sentences if not s.lang.startswith("zh")]
        timexes = find_timexes(a.text, a.published, a.lang)
        found[prefix] = find_events(a.text, "en", a.published, timexes, a.mentions, sentences)
        for e in found[prefix]:
            who = ",".join(k.split(":")[1] for k in e.participants)
            print(f"{prefix} {e.date or '-':10} {e.date_end or '':10} {e.predicate:14} {e.modality:10} {who}")
    return found


def _covers(e: EventMention, day: date) -> bool:
    span = value_range(e.date)
    return span is not None and span[0] <= day <= span[1]


@needs_shared
@pytest.mark.slow
def test_events_seeds_busan_meeting_scheduled_then_happened(
    seed_events: dict[str, list[EventMention]],
) -> None:
    pair = {"per:donald trump", "per:xi jinping"}
    busan = date(2025, 10, 30)
    before = [e for e in seed_events["000"] if e.predicate == "meet" and e.date == "2025-10-30"]
    assert before and before[0].modality == "scheduled" and pair <= set(before[0].participants)
    # The later pages date it by its month ("their late October summit", "the end of this month").
    after = [e for e in seed_events["001"] if e.predicate == "meet" and _covers(e, busan)]
    assert after and after[0].modality == "happened" and pair <= set(after[0].participants)
    ahead = [e for e in seed_events["004"] if e.predicate == "meet" and _covers(e, busan)]
    assert ahead and ahead[0].modality == "scheduled" and pair <= set(ahead[0].participants)


@needs_shared
@pytest.mark.slow
def test_events_seeds_malaysia_talks_and_deadlines(seed_events: dict[str, list[EventMention]]) -> None:
    talks = [e for e in seed_events["003"] if (e.date, e.date_end) == ("2025-10-24", "2025-10-27")]
    assert talks and (talks[0].predicate, talks[0].modality) == ("talk", "scheduled")
    by_date = {e.date: e for e in seed_events["000"]}
    assert (by_date["2025-11-01"].predicate, by_date["2025-11-01"].modality) == ("deadline", "threatened")
    assert (by_date["2025-11-10"].predicate, by_date["2025-11-10"].modality) == ("expire", "scheduled")
    assert seed_events["002"] == []  # the page gives no dates
