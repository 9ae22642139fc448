from storyline.models import Article, Paragraph
from storyline.text.lang import SUPPORTED, detect, tag_languages


def _article(paragraphs: list[str], title: str = "") -> Article:
    text = "\n\n".join(paragraphs)
    spans, pos = [], 0
    for p in paragraphs:
        spans.append(Paragraph(pos, pos + len(p)))
        pos += len(p) + 2
    return Article(id="a1", origin="test", title=title, text=text, paragraphs=spans)


def test_lang_detect_by_script_and_model() -> None:
    assert detect("中国国家主席习近平同美国总统特朗普通电话。") == "zh"
    assert detect("高市早苗首相は金曜日にトランプ大統領と電話で会談した。") == "ja"
    assert detect("이재명 대통령은 부산에서 정상회담을 열었다.") == "ko"
    assert detect("Президент России провёл переговоры в Москве.") == "ru"
    assert detect("The two leaders met on the sidelines of the summit in Busan.") == "en"
    assert detect("Les deux dirigeants se sont rencontrés en marge du sommet.") == "fr"
    assert detect("Los dos líderes se reunieron al margen de la cumbre en Busan.") == "es"


def test_lang_detect_too_few_letters_is_und() -> None:
    assert detect("12 · 34 !!") == "und"
    assert detect("") == "und"


def test_lang_supported_list_is_small() -> None:
    assert "en" in SUPPORTED and "zh" in SUPPORTED
    assert len(SUPPORTED) <= 15


def test_lang_mixed_english_chinese_page_gets_both() -> None:
    article = _article(
        [
            "The two presidents spoke by telephone for an hour on Tuesday about soybeans, "
            "chip exports and the tariff truce agreed last autumn.",
            "图片来源 网络",
            "两国元首周二通电话，就大豆采购、芯片出口和关税休战等问题交换了意见。双方同意保持沟通。",
            "Officials on both sides said another round of talks could follow in the spring, "
            "although no date or venue has been announced yet.",
        ],
        title="Leaders talk soybeans and chips in hour-long call",
    )
    tag_languages(article)
    langs = [p.lang for p in article.paragraphs]
    assert langs == ["en", "zh", "zh", "en"]
    assert article.lang == "en"
    assert set(article.langs) == {"en", "zh"}


def test_lang_short_latin_paragraph_follows_article() -> None:
    article = _article(
        [
            "Share",
            "Anna Berg and Tom Kessler | Pool, AFP | Getty Images",
            "The trade ministers will hold a second round of talks in Geneva next month, "
            "hoping to settle the dispute over steel quotas before the deadline.",
        ]
    )
    tag_languages(article)
    assert [p.lang for p in article.paragraphs] == ["en", "en", "en"]


def test_lang_title_counts_towards_dominant() -> None:
    article = _article(["Share"], title="中国商务部确认中美经贸磋商将在吉隆坡举行")
    tag_languages(article)
    assert article.lang == "zh"


def test_lang_source_hint_wins_for_the_article() -> None:
    article = _article(["The two leaders met in Busan on Thursday to discuss trade."])
    article.lang = "fr"
    tag_languages(article)
    assert article.lang == "fr"
    assert article.paragraphs[0].lang == "en"


def test_lang_chinese_with_latin_words_is_chinese() -> None:
    assert detect("本站使用 cookie 统计") == "zh"
    assert detect("图片 AI 生成 来源 Getty") == "zh"
    assert detect("Chinese President Xi Jinping (习近平) spoke on Monday.") == "en"
