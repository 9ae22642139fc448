from storyline.text.normalize import fold, fold_aligned, to_simplified


def test_normalize_fold_traditional_to_simplified() -> None:
    assert fold("習近平") == fold("习近平") == "习近平"
    assert fold("臺灣") == fold("台湾")
    assert fold("特朗普與美國財政部長貝森特") == "特朗普与美国财政部长贝森特"


def test_normalize_fold_full_width_and_case() -> None:
    assert fold("ＡＰＥＣ") == "apec"
    assert fold("Ｘｉ　Ｊｉｎｐｉｎｇ") == "xi jinping"
    assert fold("１００％") == "100%"


def test_normalize_fold_leaves_plain_text_alone() -> None:
    assert fold("Busan") == "busan"
    assert to_simplified("no Chinese here") == "no Chinese here"


def test_normalize_fold_aligned_keeps_offsets() -> None:
    for text in ("習近平在ＡＰＥＣ會議", "ﬁnance ① 國際", "plain"):
        folded = fold_aligned(text)
        assert len(folded) == len(text)
    assert fold_aligned("習近平在ＡＰＥＣ") == "习近平在apec"


def test_normalize_fold_aligned_keeps_offsets_when_lengths_cancel_out() -> None:
    text = "ﬁ 习近平 e\u0301"  # a ligature that expands, then a combining accent
    folded = fold_aligned(text)
    start = folded.index("习近平")
    assert text[start : start + 3] == "习近平"
