"""Who said what: quotations and reported speech in English and Chinese, and the scorer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.eval.quotes import EvalError, evaluate, format_report
from storyline.models import Mention
from storyline.nlp.quotes import Quote, find_quotes, quotation_regions

from .conftest import SHARED, needs_shared


def one(text: str, content: str, lang: str = "en", mentions: tuple[Mention, ...] = ()) -> Quote:
    """The quote whose content is exactly ``content``."""
    found = {text[q.start : q.end]: q for q in find_quotes(text, lang, mentions)}
    assert content in found, f"{content!r} not among {sorted(found)}"
    return found[content]


def mention(text: str, surface: str, key: str, label: str = "PER", nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return Mention(start, start + len(surface), surface, label, key)


# --------------------------------------------------------------------------- English, direct


def test_quotes_direct_with_cue_after() -> None:
    text = '"We expect the talks to go well," said Maria Okafor, the trade envoy.'
    q = one(text, "We expect the talks to go well,")
    assert (q.kind, q.cue, q.source) == ("direct", "said", "Maria Okafor")


def test_quotes_direct_with_source_before_cue_and_curly_marks() -> None:
    text = "“Prices will fall by spring,” the minister told reporters on Tuesday."
    q = one(text, "Prices will fall by spring,")
    assert (q.kind, q.cue, q.source) == ("direct", "told", "the minister")


def test_quotes_direct_with_cue_before() -> None:
    text = 'The mayor wrote in a letter: "The bridge stays closed until the inspection is over."'
    q = one(text, "The bridge stays closed until the inspection is over.")
    assert (q.kind, q.cue, q.source) == ("direct", "wrote", "The mayor")


def test_quotes_interrupted_and_continued_quotation_share_the_cue() -> None:
    text = (
        '"The river is rising," she said, "and the pumps cannot keep up." "We need sandbags."\n\n'
        '"Send every truck you have."\n\nThe council met at noon.'
    )
    pieces = [q for q in find_quotes(text, "en") if q.cue == "said"]
    assert [text[q.start : q.end] for q in pieces] == [
        "The river is rising,",
        "and the pumps cannot keep up.",
        "We need sandbags.",
        "Send every truck you have.",
    ]
    assert {(q.cue_start, q.source) for q in pieces} == {(pieces[0].cue_start, "she")}


def test_quotes_added_starts_a_new_attribution() -> None:
    text = '"The plan works," Lee said. "We will see results," he added.'
    assert one(text, "We will see results,").cue == "added"


def test_quotes_partial_quotation_makes_the_content_indirect() -> None:
    text = 'Its role is "to lend when nobody else will," the governor said.'
    q = one(text, 'Its role is "to lend when nobody else will,"')
    assert (q.kind, q.cue, q.source) == ("indirect", "said", "the governor")


def test_quotes_scare_quotes_are_not_quotations() -> None:
    text = 'The company called the plan a "reset" of its strategy and moved on.'
    assert all(q.kind == "indirect" for q in find_quotes(text, "en"))


# --------------------------------------------------------------------------- English, reported


def test_quotes_reported_speech_with_that() -> None:
    text = "The agency said on Monday that exports fell for a third month."
    q = one(text, "that exports fell for a third month")
    assert (q.kind, q.cue, q.source) == ("indirect", "said", "The agency")


def test_quotes_reported_speech_without_that_and_told_object() -> None:
    text = "Okafor told reporters the deal would be signed within weeks."
    q = one(text, "the deal would be signed within weeks")
    assert (q.cue, q.source) == ("told", "Okafor")


def test_quotes_cue_at_the_end_of_the_sentence() -> None:
    text = "The harvest was the worst in a decade, farm officials said."
    q = one(text, "The harvest was the worst in a decade")
    assert (q.cue, q.source) == ("said", "farm officials")


def test_quotes_according_to_before_and_after() -> None:
    text = "According to the ministry, imports doubled. Rents rose again, according to a survey by the bank."
    assert one(text, "imports doubled").source == "the ministry"
    assert one(text, "Rents rose again").source == "a survey by the bank"


def test_quotes_beliefs_and_warnings() -> None:
    text = "Analysts believe the rate cut will come in June. The central bank warned that prices could rise."
    assert one(text, "the rate cut will come in June").cue == "believe"
    assert one(text, "that prices could rise").source == "The central bank"


def test_quotes_questions_are_content_without_a_speaker() -> None:
    text = "When asked whether the plant would close, the mayor laughed."
    q = one(text, "whether the plant would close")
    assert (q.cue, q.source) == ("asked", None)


def test_quotes_stance_noun_takes_the_possessive_as_source() -> None:
    text = "The crowd cheered Warren’s criticism of the trade deal."
    q = one(text, "the trade deal")
    assert (q.cue, q.source) == ("criticism of", "Warren")


def test_quotes_unlisted_verb_with_a_that_clause() -> None:
    text = "Local leaders recognize that the levee needs repairs."
    q = one(text, "that the levee needs repairs")
    assert (q.cue, q.source) == ("recognize", "Local leaders")


def test_quotes_infinitive_and_poll_cues() -> None:
    text = "Four candidates used their time to criticize the media for ignoring them."
    q = one(text, "the media for ignoring them")
    assert (q.cue, q.source) == ("criticize", "Four candidates")
    text = "Polls show the senator with a wide lead in Ohio."
    assert one(text, "the senator with a wide lead in Ohio").source == "Polls"


def test_quotes_participle_takes_the_subject_of_its_clause() -> None:
    text = "The senator voted against the bill, saying it would raise costs for farmers."
    q = one(text, "it would raise costs for farmers")
    assert (q.cue, q.source) == ("saying", "The senator")


def test_quotes_belief_inside_reported_speech_is_not_separate() -> None:
    text = "Okafor said she believes the border will reopen soon."
    assert [q.cue for q in find_quotes(text, "en")] == ["said"]


# --------------------------------------------------------------------------- speakers


def test_quotes_pronoun_resolves_to_the_last_person_outside_the_quote() -> None:
    text = 'Maria Okafor arrived late. "Chen Wei is wrong about this," she said.'
    mentions = (mention(text, "Maria Okafor", "per:maria okafor"), mention(text, "Chen Wei", "per:chen wei"))
    assert one(text, "Chen Wei is wrong about this,", mentions=mentions).speaker_key == "per:maria okafor"


def test_quotes_role_nouns_resolve_to_people_and_organisations() -> None:
    text = (
        "Lena Brandt chairs the Transit Authority. The spokesperson said the line would reopen. "
        "The authority said fares would not change."
    )
    mentions = (
        mention(text, "Lena Brandt", "per:lena brandt"),
        mention(text, "Transit Authority", "org:transit authority", "ORG"),
    )
    assert one(text, "the line would reopen", mentions=mentions).speaker_key == "per:lena brandt"
    assert one(text, "fares would not change", mentions=mentions).speaker_key == "org:transit authority"


def test_quotes_source_mention_gives_its_key_and_title_mentions_are_ignored() -> None:
    text = "Chen Wei said the port would stay open."
    mentions = (
        Mention(-30, -22, "Chen Wei", "PER", "per:title only"),
        mention(text, "Chen Wei", "per:chen wei"),
    )
    assert one(text, "the port would stay open", mentions=mentions).speaker_key == "per:chen wei"


# --------------------------------------------------------------------------- Chinese


def test_quotes_chinese_quotation_with_cue_after_and_pronoun() -> None:
    text = "张明昨天抵达会场。“我们愿意继续谈判。”他说。"
    mentions = (mention(text, "张明", "per:zhang ming"),)
    q = one(text, "我们愿意继续谈判。", "zh", mentions)
    assert (q.kind, q.cue, q.source, q.speaker_key) == ("direct", "说", "他", "per:zhang ming")


def test_quotes_chinese_quotation_with_cue_before() -> None:
    text = "市政府发言人周五在记者会上表示：「新线路将于年底通车。」"
    q = one(text, "新线路将于年底通车。", "zh")
    assert (q.kind, q.cue, q.source) == ("direct", "表示", "市政府发言人")


def test_quotes_chinese_reported_speech() -> None:
    text = "李华表示，双方将在下月继续磋商。据新华社报道，谈判持续了五个小时。价格还会上涨，分析人士认为。"
    assert (one(text, "双方将在下月继续磋商", "zh").source, one(text, "双方将在下月继续磋商", "zh").cue) == (
        "李华",
        "表示",
    )
    assert one(text, "谈判持续了五个小时", "zh").source == "新华社"
    assert one(text, "价格还会上涨", "zh").source == "分析人士"


def test_quotes_each_language_sees_only_its_sentences() -> None:
    english = '"We will reopen the plant," the company said.'
    text = english + "\n\n“我们将重新开放工厂。”公司表示。"
    en = [(0, len(english))]
    zh = [(len(english) + 2, len(text))]
    assert [q.cue for q in find_quotes(text, "en", sentences=en)] == ["said"]
    assert [q.cue for q in find_quotes(text, "zh", sentences=zh)] == ["表示"]


def test_quotes_regions_nest_cjk_brackets_and_leave_an_open_paragraph_open() -> None:
    text = "他說：「她回答『好』。」\n\u201cThe first paragraph runs on\n\u201cand closes here.\u201d"
    inner = [text[r.start : r.end] for r in quotation_regions(text)]
    assert inner == ["她回答『好』。", "The first paragraph runs on", "and closes here."]


# --------------------------------------------------------------------------- scorer


def _write(tmp_path: Path, rows: list[dict[str, object]]) -> Path:
    path = tmp_path / "quotes.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return path


def test_quotes_eval_matches_contents_by_token_overlap(tmp_path: Path) -> None:
    text = '"The dam will hold," the engineer said. Officials said the town was safe. The rain stopped.'
    quoted = text.index('"The dam will hold,"'), text.index(" the engineer")
    town = text.index("the town was safe"), text.index(". The rain")
    said = text.index("said"), text.index("said") + 4
    rain = text.index("The rain stopped"), len(text) - 1
    gold = [
        {"source": [[quoted[1] + 1, said[0] - 1]], "cue": [list(said)], "content": [list(quoted)]},
        {"source": [], "cue": [[town[0] - 5, town[0] - 1]], "content": [list(town)]},
        {"source": [], "cue": [[rain[0], rain[0] + 3]], "content": [list(rain)]},
    ]
    scores = evaluate(_write(tmp_path, [{"id": "a", "text": text, "attributions": gold}]))
    assert scores["n_gold"] == 3 and scores["n_predicted"] == 2
    assert scores["content_precision"] == 1.0 and scores["content_recall"] == pytest.approx(2 / 3)
    assert scores["direct_content_f1"] == 1.0
    # The town's gold has no source but the prediction names "Officials": half right.
    assert scores["source_accuracy"] == 0.5
    assert "documents" in format_report(scores)


def test_quotes_eval_rejects_malformed_spans(tmp_path: Path) -> None:
    path = _write(tmp_path, [{"id": "a", "text": "x", "attributions": [{"content": [[0]]}]}])
    with pytest.raises(EvalError, match="spans"):
        evaluate(path)


@needs_shared
def test_quotes_polnear_dev_bars() -> None:
    scores = evaluate(SHARED / "data" / "quotes" / "polnear-dev.jsonl")
    assert scores["direct_content_f1"] >= 0.90, scores
    assert scores["source_accuracy"] >= 0.85, scores
    # The target for all attributions is 0.70; rules reach 0.674 on dev (0.652 on
    # train). The floor pins that so a change cannot lose ground unnoticed.
    assert scores["content_f1"] >= 0.67, scores
    # The budget is 5 ms per 500 words (~125 of these 800-word documents a second); loose for slow machines.
    assert scores["docs_per_second"] >= 60, scores


# (sentence, cue, source, content): content put before an inverted or trailing speaker, itself holding a cue.
INVERTED = [
    (
        "The news that the ferry is running again shows that the port is keen to win back trade, "
        "for instance by cutting fees for local boats, said Mira Holt, an economist at Baltic Forecasts, "
        "while the city may lower its harbour taxes.",
        "said",
        "Mira Holt",
        "The news that the ferry is running again shows that the port is keen to win back trade, "
        "for instance by cutting fees for local boats",
    ),
    (
        "The fact that the hearing went ahead suggests that the board wants a settlement, added Omar Quist.",
        "added",
        "Omar Quist",
        "The fact that the hearing went ahead suggests that the board wants a settlement",
    ),
    (
        "The choice of venue means that both clubs expect a draw, Omar Quist told reporters.",
        "told",
        "Omar Quist",
        "The choice of venue means that both clubs expect a draw",
    ),
    (
        "The fact that the hearing went ahead suggests that the board wants a settlement, according to "
        "Omar Quist, managing director of Larch Capital, while rivals remain doubtful.",
        "according to",
        "Omar Quist",
        "The fact that the hearing went ahead suggests that the board wants a settlement",
    ),
]


@pytest.mark.parametrize(("text", "cue", "source", "content"), INVERTED)
def test_fronted_content_keeps_its_inner_cue(text: str, cue: str, source: str, content: str) -> None:
    # The inner cue belongs to what the speaker said; the tail after an apposition is the writer's own.
    quotes = find_quotes(text, "en", (mention(text, source, "per:speaker"),))
    assert [(q.cue, q.source, q.speaker_key) for q in quotes] == [(cue, source, "per:speaker")]
    assert text[quotes[0].start : quotes[0].end] == content


def test_inverted_speaker_outranks_an_aside_before_the_verb() -> None:
    text = "Prices will keep rising, such as for Spanish olive oil, said Lena Ruiz."
    q = one(text, "Prices will keep rising, such as for Spanish olive oil")
    assert (q.cue, q.source) == ("said", "Lena Ruiz")


def test_inverted_speaker_still_splits_a_sentence() -> None:
    text = "The new tax plan, said Lena Ruiz, a trader in Lyon, would fail within a year."
    assert one(text, "would fail within a year").source == "Lena Ruiz"


def test_untagged_names_get_a_speaker_and_the_surname_later_the_same_one() -> None:
    # Long articles are tagged for entities only in part; a named source past that point still has a key.
    text = (
        "The deal helps both sides, said Gabriel Wildau, managing director of a consultancy. "
        "It will matter next year, Wildau added. The Wall Street Journal reported that China gained."
    )
    speakers = {q.source: q.speaker_key for q in find_quotes(text, "en", [])}
    assert speakers["Gabriel Wildau"] == speakers["Wildau"] == "per:gabriel wildau"
    assert speakers["The Wall Street Journal"] is None
