from storyline.dedupe import Deduper, from_bytes, signature, to_bytes
from storyline.models import Article

WIRE = (
    "Negotiators from both countries met for two days in the capital and agreed on a framework "
    "that would pause the planned tariff increase, officials said on Sunday. The framework still "
    "needs approval from both leaders, who are expected to meet later this week on the sidelines "
    "of a regional summit. Markets rose on the news, with soybean futures up two percent."
)


def art(aid: str, text: str) -> Article:
    return Article(id=aid, origin=aid, title="t", text=text)


def test_dedupe_syndicated_copy_links_to_first():
    d = Deduper(0.8)
    d.add("a1", signature(art("a1", WIRE)))
    copy = "By Staff Writer | Regional Times\n" + WIRE + "\nSubscribe for more."
    assert d.original_of(signature(art("a2", copy))) == "a1"


def test_dedupe_different_article_is_not_a_copy():
    d = Deduper(0.8)
    d.add("a1", signature(art("a1", WIRE)))
    other = "The museum reopened on Wednesday after a robbery in which thieves took jewels " * 3
    assert d.original_of(signature(art("a2", other))) is None


def test_dedupe_chinese_uses_character_shingles():
    text = "中美双方在吉隆坡举行经贸磋商，就延长关税休战、出口管制和农产品采购等问题达成初步共识。"
    d = Deduper(0.8)
    d.add("z1", signature(art("z1", text * 2)))
    assert d.original_of(signature(art("z2", text * 2 + "责任编辑：王"))) == "z1"


def test_dedupe_signature_survives_storage():
    mh = signature(art("a1", WIRE))
    assert from_bytes(to_bytes(mh)).jaccard(mh) == 1.0


def test_dedupe_forgotten_article_is_no_longer_an_original():
    d = Deduper(0.8)
    mh = signature(art("a1", WIRE))
    d.add("a1", mh)
    d.forget("a1")
    assert d.original_of(mh) is None
