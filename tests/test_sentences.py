from storyline.models import Article, Paragraph
from storyline.text.sentences import split_sentences, split_text


def _sentences(text: str, lang: str = "en") -> list[str]:
    return [text[s:e] for s, e in split_text(text, lang)]


def test_sentences_english_abbreviations_do_not_split() -> None:
    text = (
        "Mr. Smith met Dr. J. Smith at 10 a.m. on Oct. 24 in Washington. "
        "The U.S. economy grew 0.04% in the third quarter, said No. 1 analyst Jane Doe. "
        "Shares of Apple Inc. rose."
    )
    assert _sentences(text) == [
        "Mr. Smith met Dr. J. Smith at 10 a.m. on Oct. 24 in Washington.",
        "The U.S. economy grew 0.04% in the third quarter, said No. 1 analyst Jane Doe.",
        "Shares of Apple Inc. rose.",
    ]


def test_sentences_english_abbreviation_can_end_a_sentence() -> None:
    text = "The talks were held in the U.S. The next round is in Malaysia."
    assert _sentences(text) == ["The talks were held in the U.S.", "The next round is in Malaysia."]


def test_sentences_english_quotes_and_ellipses() -> None:
    text = (
        '“Nothing is ruled out,” the minister said. "We will see." '
        "He paused… Then he left... and came back! Really?"
    )
    assert _sentences(text) == [
        "“Nothing is ruled out,” the minister said.",
        '"We will see."',
        "He paused…",
        "Then he left... and came back!",
        "Really?",
    ]


def test_sentences_chinese_punctuation_and_quotes() -> None:
    text = "习近平同特朗普通电话。“这是好事！”他说。另一个问题？是的；好的……结束"
    assert _sentences(text, "zh") == [
        "习近平同特朗普通电话。",
        "“这是好事！”他说。",
        "另一个问题？",
        "是的；",
        "好的……",
        "结束",
    ]


def test_sentences_other_languages() -> None:
    assert _sentences("¿Qué pasa? El Sr. García dijo que no. Luego se fue.", "es") == [
        "¿Qué pasa?",
        "El Sr. García dijo que no.",
        "Luego se fue.",
    ]
    assert _sentences("高市首相は述べた。会談は釜山で行われた。", "ja") == [
        "高市首相は述べた。",
        "会談は釜山で行われた。",
    ]


def test_sentences_blank_line_is_a_boundary() -> None:
    assert _sentences("Markets Hold Steady\n\nBond yields fell") == [
        "Markets Hold Steady",
        "Bond yields fell",
    ]


def test_sentences_never_cross_paragraphs_and_take_their_language() -> None:
    en = "Trump will meet Xi. They will talk trade"
    zh = "习近平同特朗普通电话。双方讨论了贸易问题。"
    text = f"{en}\n{zh}"
    article = Article(
        id="a1",
        origin="test",
        title="",
        text=text,
        lang="en",
        paragraphs=[Paragraph(0, len(en), "en"), Paragraph(len(en) + 1, len(text), "zh")],
    )
    split_sentences(article)
    got = [(text[s.start : s.end], s.lang) for s in article.sentences]
    assert got == [
        ("Trump will meet Xi.", "en"),
        ("They will talk trade", "en"),
        ("习近平同特朗普通电话。", "zh"),
        ("双方讨论了贸易问题。", "zh"),
    ]
    for s in article.sentences:
        assert any(p.start <= s.start and s.end <= p.end for p in article.paragraphs)


def test_sentences_without_paragraphs_split_the_whole_text() -> None:
    article = Article(id="a1", origin="t", title="", text="One. Two.", lang="en")
    split_sentences(article)
    assert [(s.start, s.end) for s in article.sentences] == [(0, 4), (5, 9)]
