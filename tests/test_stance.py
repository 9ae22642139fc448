"""The stance classifier: cues, negation, Chinese, and its figures on the labelled posts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from storyline.eval.stance import evaluate, format_report, score
from storyline.nlp.stance import classify

GOLD = Path(__file__).resolve().parent / "gold" / "stance.jsonl"
HELDOUT = Path(__file__).resolve().parent / "gold" / "stance_heldout.jsonl"
# The model leans on the sentence embedding, which barely registers English "not": a known weakness.
_ENGLISH_NEGATION = pytest.mark.xfail(strict=True, reason="the embedding does not carry English negation")


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("This deal is good for farmers.", "positive"),
        ("This deal is not good for farmers.", "negative"),
        pytest.param("Honestly not bad at all.", "positive", marks=_ENGLISH_NEGATION),
        ("Terrible decision, a disaster for importers.", "negative"),
        ("Sure, the truce will totally last this time 🙃", "skeptical"),
        ("I doubt the licences will ever be issued.", "skeptical"),
        ("Talks resume in Geneva on Monday.", "neutral"),
        ("Does anyone know what time the launch is?", "neutral"),
        ("关税下调，太好了！", "positive"),
        ("这不是好事，工厂要停工了", "negative"),
        ("所谓共识，又是空头支票吧？", "skeptical"),
        ("双方将于下周继续磋商", "neutral"),
        ("请问几点发射？", "neutral"),
        ("川普說台灣從未被提及，誰信啊", "skeptical"),  # traditional script
        ("Busan summit 结果不错，tariffs 降了 👍", "positive"),  # mixed languages
    ],
)
def test_classify_examples(text: str, label: str) -> None:
    assert classify(text).label == label


def test_chinese_negation_flips_polarity() -> None:
    assert classify("很满意").label == "positive"
    assert classify("不满意").label == "negative"


@_ENGLISH_NEGATION
def test_english_negation_flips_polarity() -> None:
    assert classify("The outcome was good.").label == "positive"
    assert classify("The outcome was not good.").label == "negative"


def test_a_precomputed_vector_gives_the_same_answer_and_a_wrong_shape_is_refused() -> None:
    from storyline.embed import encode

    text = "所谓共识，又是空头支票吧？"
    assert classify(text, vector=encode([text])[0]) == classify(text)
    with pytest.raises(ValueError, match="512-d"):
        classify(text, vector=np.zeros(3))


def test_scores_are_between_zero_and_one() -> None:
    for text in ("great great great!!!", "", "???", "不好不好"):
        assert 0.0 <= classify(text).score <= 1.0


def test_score_counts_and_macro_f1() -> None:
    out = score(["positive", "negative", "neutral", "neutral"], ["positive", "neutral", "neutral", "neutral"])
    assert out["accuracy"] == 0.75
    assert out["confusion"]["negative"]["neutral"] == 1
    assert out["labels"]["neutral"]["precision"] == round(2 / 3, 3)


def test_gold_file_is_split_and_bilingual() -> None:
    dev, test = evaluate(GOLD, "dev"), evaluate(GOLD, "test")
    assert dev["n"] + test["n"] >= 300 and dev["skipped"] == test["skipped"] == 0
    for part in (dev, test):
        assert set(part["by_lang"]) == {"en", "zh"}
        assert all(v["n"] >= 40 for v in part["labels"].values())


def test_figures_on_the_test_split() -> None:
    """Measured: test 1.000 / 1.000, dev 0.994 / 0.994 (accuracy / macro-F1).

    The model is trained on both splits, so these only check that it fits its own
    training data; 3x10-fold cross-validation gives macro-F1 0.899 (en 0.912, zh 0.888).
    """
    out = evaluate(GOLD, "test")
    assert out["accuracy"] >= 0.98 and out["macro_f1"] >= 0.98
    assert out["by_lang"]["en"]["macro_f1"] >= 0.98 and out["by_lang"]["zh"]["macro_f1"] >= 0.98
    assert "macro-F1" in format_report(out)


@pytest.mark.slow
def test_figures_on_independently_written_posts() -> None:
    """Measured: accuracy 0.658, macro-F1 0.651 (en 0.593, zh 0.705); the old lexicon rule 0.588 / 0.584."""
    out = evaluate(HELDOUT, "heldout")
    assert out["n"] == 240
    assert out["accuracy"] >= 0.64 and out["macro_f1"] >= 0.63
    assert out["by_lang"]["en"]["macro_f1"] >= 0.57 and out["by_lang"]["zh"]["macro_f1"] >= 0.68
