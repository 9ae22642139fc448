from pathlib import Path

import pytest

from storyline.nlp.aliases import (
    DEFAULT_ALIASES,
    canonical_key,
    label_of,
    load_aliases,
    normalize_name,
    pinyin_name,
    place_words,
    strip_places,
    strip_titles,
)


def test_aliases_table_is_large_and_well_formed() -> None:
    lines = DEFAULT_ALIASES.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "key\ttype\tnames\troles"
    rows = [line.split("\t") for line in lines[1:] if line and not line.startswith("#")]
    assert len(rows) >= 300
    assert all(len(r) in (3, 4) and r[1] in {"per", "org", "loc", "misc", "adj"} for r in rows)
    assert all(r[1] == "per" for r in rows if len(r) == 4)


@pytest.mark.parametrize(
    ("surface", "label", "lang"),
    [
        ("习近平", "PER", "zh"),
        ("習近平", "PER", "zh"),
        ("Xi Jinping", "PERSON", "en"),
        ("President Xi", "PERSON", "en"),
        ("Chinese President Xi Jinping", "PERSON", "en"),
        ("China’s Xi", "PERSON", "en"),
        ("Xi's", "PERSON", "en"),
        ("中国国家主席习近平", "PER", "zh"),
    ],
)
def test_aliases_xi_jinping_has_one_key(surface: str, label: str, lang: str) -> None:
    assert canonical_key(surface, label, lang) == "per:xi jinping"


def test_aliases_cross_lingual_pairs() -> None:
    trump = {
        canonical_key(s, "PER", lang)
        for s, lang in [
            ("特朗普", "zh"),
            ("Donald Trump", "en"),
            ("Trump", "en"),
            ("President Trump", "en"),
            ("美国总统特朗普", "zh"),
            ("唐纳德·特朗普", "zh"),
        ]
    }
    assert trump == {"per:donald trump"}
    assert canonical_key("Trump", "ORG", "en") == "per:donald trump"  # spaCy often says ORG
    assert canonical_key("釜山", "LOC", "zh") == canonical_key("Busan", "GPE", "en") == "loc:busan"
    assert canonical_key("贝森特", "PER", "zh") == "per:scott bessent"
    assert canonical_key("貝森特", "PER", "zh") == "per:scott bessent"
    assert canonical_key("US Treasury Secretary Scott Bessent", "PERSON", "en") == ("per:scott bessent")
    assert canonical_key("吉隆坡", "LOC", "zh") == canonical_key("Kuala Lumpur", "GPE", "en")
    assert canonical_key("亚太经合组织", "ORG", "zh") == canonical_key("APEC", "ORG", "en")
    assert canonical_key("the Asia-Pacific Economic Cooperation", "LOC", "en") == "org:apec"


def test_aliases_table_holds_no_misspellings() -> None:
    # Misspelt and machine-translated names are repaired from story evidence
    # (storyline.nlp.canon), not listed as answers.
    assert canonical_key("Scott Besant", "PERSON", "en") == "per:scott besant"
    assert canonical_key("Carolyn Levitt", "PERSON", "en") == "per:carolyn levitt"
    assert canonical_key("Shi Jinping", "PERSON", "en") == "per:shi jinping"
    assert canonical_key("Donald Tramp", "PERSON", "en") == "per:donald tramp"


def test_aliases_roles_and_forms_by_key() -> None:
    table = load_aliases()
    assert "Treasury Secretary" in table.roles["per:scott bessent"]
    assert "国家主席" in table.roles["per:xi jinping"]
    assert {"scott bessent", "bessent", "贝森特"} <= set(table.forms["per:scott bessent"])
    assert "per:apec" not in table.forms and "org:apec" in table.forms


def test_aliases_pinyin_fallback_for_unknown_chinese_names() -> None:
    assert canonical_key("王小明", "PER", "zh") == "per:wang xiaoming"
    assert canonical_key("Wang Xiaoming", "PERSON", "en") == "per:wang xiaoming"
    assert pinyin_name("欧阳修文") == "ouyang xiuwen"
    assert pinyin_name("曾国藩") == "zeng guofan"
    assert canonical_key("深圳", "LOC", "zh") == "loc:shenzhen"


def test_aliases_unknown_english_name_is_folded() -> None:
    assert canonical_key("Hannah Kowalczyk", "PERSON", "en") == "per:hannah kowalczyk"
    assert canonical_key("The Asia Group", "ORG", "en") == "org:asia group"
    assert canonical_key("Teneo", "ORG", "en") == "org:teneo"


def test_aliases_demonyms_map_to_country_for_nationality_labels() -> None:
    assert canonical_key("Chinese", "NORP", "en") == "loc:china"
    assert canonical_key("American", "NORP", "en") == "loc:united states"
    assert canonical_key("Chinese", "ORG", "en") == "misc:china"


def test_aliases_titles_only_strip_from_people() -> None:
    assert strip_titles("us president donald trump") == "donald trump"
    assert strip_titles("secretary of state marco rubio") == "marco rubio"
    assert strip_titles("president") == ""
    assert strip_titles("特朗普总统") == "特朗普"
    # "Japan's Foreign Ministry" is not China's.
    assert canonical_key("Japan's Foreign Ministry", "ORG", "en") != (
        canonical_key("Chinese Foreign Ministry", "ORG", "en")
    )


def test_aliases_normalize_name() -> None:
    assert normalize_name("ＡＰＥＣ") == "apec"
    assert normalize_name("U.S.") == normalize_name("US") == "us"
    assert normalize_name("Volodímir Zelensky") == "volodimir zelensky"
    assert normalize_name("唐纳德 · 特朗普") == normalize_name("唐纳德特朗普")


def test_aliases_label_of() -> None:
    assert label_of("per:xi jinping") == "PER"
    assert label_of("loc:busan") == "LOC"
    assert label_of("misc:s&p 500") == "MISC"


def test_aliases_user_file_adds_names(tmp_path: Path) -> None:
    extra = tmp_path / "extra.tsv"
    extra.write_text(
        "key\ttype\tnames\nhan shen lin\tper\tHan Shen Lin|Han Shen-Lin|韩深林\nxi jinping\tper\t习大大\n",
        encoding="utf-8",
    )
    table = load_aliases(extra)
    assert table.roles["per:xi jinping"] == load_aliases().roles["per:xi jinping"]
    assert canonical_key("韩深林", "PER", "zh", table) == "per:han shen lin"
    assert canonical_key("习大大", "PER", "zh", table) == "per:xi jinping"
    assert canonical_key("习近平", "PER", "zh", table) == "per:xi jinping"
    # The bundled table is untouched.
    assert canonical_key("习大大", "PER", "zh") != "per:xi jinping"


def test_aliases_user_file_adds_roles(tmp_path: Path) -> None:
    extra = tmp_path / "extra.tsv"
    extra.write_text(
        "key\ttype\tnames\troles\nhan shen lin\tper\tHan Shen Lin\tFinance Minister|财政部长\n"
        "scott bessent\tper\tBessent\tFormer Hedge Fund Manager\n",
        encoding="utf-8",
    )
    table = load_aliases(extra)
    assert table.roles["per:han shen lin"] == ["Finance Minister", "财政部长"]
    assert table.roles["per:scott bessent"][-1] == "Former Hedge Fund Manager"
    assert "Treasury Secretary" in table.roles["per:scott bessent"]


def test_aliases_place_words_and_strip_places() -> None:
    table = load_aliases()
    assert {"china", "chinese", "south", "korea", "us"} <= place_words(table)
    assert "of" not in place_words(table)
    assert strip_places("china xi", table) == "xi"
    assert strip_places("xi jinping", table) == "xi jinping"


def test_aliases_user_file_with_bad_header_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("name\tkind\nfoo\tper\n", encoding="utf-8")
    with pytest.raises(ValueError, match="header"):
        load_aliases(bad)
