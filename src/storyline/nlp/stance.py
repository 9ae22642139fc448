"""Stance of a social post towards the news it reacts to: positive, skeptical, negative or neutral.

A softmax regression over two kinds of evidence, English and Chinese in one
pass (posts mix languages), with nothing to download:

* the post's multilingual sentence embedding (``storyline.embed``), which
  carries stance expressed in words no list anticipates;
* the scores of a cue lexicon (``data/stance_*.tsv``): ``pos``/``neg`` terms
  carry polarity, ``doubt`` terms mark skepticism (doubt words, sarcasm
  formulas, irony emoji), ``negate`` and ``boost`` modify the polar term that
  follows them, ``info`` marks a genuine request for information (so a
  question stays neutral). Questions without an ``info`` cue and short
  scare-quoted phrases count as doubt: on social media a question about a
  claim is usually a challenge to it.

The weights (``data/stance_model.npz``) are fitted by ``bench/train_stance.py``
on ``tests/gold/stance.jsonl``. That file was written by the lexicon's author,
so most of its posts contain a cue added for that very post; the trainer drops
those post-specific cues from each post's lexicon scores, or the model would
learn to trust the lexicon far more than it deserves on posts written by
anyone else. Figures are in ``storyline.eval.stance``.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from ..embed import DIM
from ..text.normalize import to_simplified

__all__ = ["LABELS", "LEXICON_FEATURES", "MODEL_PATH", "Stance", "classify", "cue_terms", "lexicon_features"]

LABELS: tuple[str, ...] = ("positive", "skeptical", "negative", "neutral")

_DATA = Path(__file__).resolve().parent / "data"
MODEL_PATH = _DATA / "stance_model.npz"
_FILES = ("stance_en.tsv", "stance_zh.tsv", "stance_emoji.tsv")
_KINDS = ("pos", "neg", "doubt", "negate", "boost", "info")

# A modifier reaches the polar term after it across this many characters of
# other words (about three English words, or two Chinese characters), never
# across clause punctuation.
_REACH_LATIN = 16
_REACH_HAN = 2
_CLAUSE_BREAK = re.compile(r"[,.;:!?，。；：！？、\n]")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_QUESTION = re.compile(r"[?？]")
_SCARE_QUOTE = re.compile(r"[\"“「『]([^\"”」』]{1,24})[\"”」』]")

# Flipped polarity is weaker than stated polarity: "not bad" is faint praise,
# "not good" nearly as plain as "bad".
_FLIP = {"pos": 0.9, "neg": 0.6}
_QUESTION_DOUBT = 0.9
_SCARE_QUOTE_DOUBT = 0.7
_EXCLAIM_BOOST = 1.2


# The lexicon's evidence as the model sees it, in this order.
LEXICON_FEATURES: tuple[str, ...] = ("pos", "neg", "doubt", "question", "info", "exclaim", "scare_quote")


@dataclass(frozen=True, slots=True)
class Stance:
    label: str
    score: float  # the model's probability of the label, 0..1


@dataclass(frozen=True, slots=True)
class _Hit:
    term: str
    start: int
    end: int
    kind: str
    weight: float


@cache
def _lexicon() -> tuple[re.Pattern[str], dict[str, tuple[str, float]]]:
    entries: dict[str, tuple[str, float]] = {}
    for name in _FILES:
        for line in (_DATA / name).read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            kind, weight, term = line.split("\t")
            if kind not in _KINDS:
                raise ValueError(f"{name}: unknown kind {kind!r} in {line!r}")
            entries[to_simplified(term.lower())] = (kind, float(weight))
    # Longest first, so "not convinced" wins over "not" and 不错 over 不.
    alternatives = [_bounded(t) for t in sorted(entries, key=len, reverse=True)]
    return re.compile("|".join(alternatives)), entries


def _bounded(term: str) -> str:
    """Latin words match whole words only; Han and emoji match anywhere."""
    pattern = re.escape(term)
    if term[0].isascii() and term[0].isalnum():
        pattern = r"(?<![a-z0-9'])" + pattern
    if term[-1].isascii() and term[-1].isalnum():
        pattern += r"(?![a-z0-9])"
    return pattern


def _normalise(text: str) -> str:
    # Curly apostrophes are common on phones; the lexicon uses straight ones.
    return to_simplified(text.lower().replace("’", "'"))


def _hits(text: str, without: Collection[str]) -> list[_Hit]:
    pattern, entries = _lexicon()
    return [
        _Hit(m.group(), m.start(), m.end(), *entries[m.group()])
        for m in pattern.finditer(text)
        if m.group() not in without
    ]


def cue_terms(text: str) -> frozenset[str]:
    """The lexicon entries found in ``text``, as spelled in the lexicon (lower case, simplified)."""
    return frozenset(h.term for h in _hits(_normalise(text), ()))


def _reaches(text: str, modifier: _Hit, target: _Hit) -> bool:
    gap = text[modifier.end : target.start]
    if _CLAUSE_BREAK.search(gap):
        return False
    reach = _REACH_HAN if _HAN.search(text[modifier.start : modifier.end]) else _REACH_LATIN
    return len(gap.strip()) <= reach


def lexicon_features(text: str, without: Collection[str] = ()) -> np.ndarray:
    """The lexicon's evidence for ``text`` in ``LEXICON_FEATURES`` order, ignoring the cues in ``without``.

    Scores are log-damped so that a pile of cues counts for a little more than
    one, not for many times more.
    """
    norm = _normalise(text)
    hits = _hits(norm, without)
    scores = _scores(norm, hits)
    asks = bool(_QUESTION.search(norm)) and not any(h.kind == "info" for h in hits)
    return np.array(
        [
            np.log1p(scores["pos"]),
            np.log1p(scores["neg"]),
            np.log1p(scores["doubt"]),
            float(asks),
            float(any(h.kind == "info" for h in hits)),
            float("!" in norm or "！" in norm),
            float(bool(_SCARE_QUOTE.search(norm))),
        ],
        dtype=np.float32,
    )


def _scores(text: str, hits: list[_Hit]) -> dict[str, float]:
    scores = {"pos": 0.0, "neg": 0.0, "doubt": 0.0}
    for i, hit in enumerate(hits):
        if hit.kind not in scores:
            continue
        weight, kind = hit.weight, hit.kind
        # Modifiers are read right to left: "not very good" is boosted, then negated.
        for prev in reversed(hits[max(0, i - 3) : i]):
            if prev.kind not in ("negate", "boost") or not _reaches(text, prev, hit):
                break
            if prev.kind == "boost":
                weight *= prev.weight
            elif kind in _FLIP:
                # Doubt cues are phrases that carry their own negation.
                kind = "neg" if kind == "pos" else "pos"
                weight *= _FLIP[hit.kind]
        scores[kind] += weight
    has_info = any(h.kind == "info" for h in hits)
    if _QUESTION.search(text) and not has_info:
        scores["doubt"] += _QUESTION_DOUBT
    if _SCARE_QUOTE.search(text):
        scores["doubt"] += _SCARE_QUOTE_DOUBT
    if "!" in text or "！" in text:
        polar = max(("pos", "neg"), key=lambda k: scores[k])
        scores[polar] *= _EXCLAIM_BOOST
    return scores


@cache
def _model() -> tuple[np.ndarray, np.ndarray]:
    try:
        with np.load(MODEL_PATH) as data:
            weights, bias = data["weights"], data["bias"]
            labels, features = tuple(data["labels"].tolist()), tuple(data["lexicon_features"].tolist())
    except (OSError, KeyError, ValueError) as exc:
        raise RuntimeError(
            f"cannot load the stance model {MODEL_PATH}: {exc}. It ships with storyline: "
            "reinstall the package, or rebuild it with bench/train_stance.py"
        ) from exc
    if (
        labels != LABELS
        or features != LEXICON_FEATURES
        or weights.shape != (len(LABELS), DIM + len(features))
    ):
        raise RuntimeError(
            f"the stance model {MODEL_PATH} does not match this code (labels {labels}, features "
            f"{features}, weights {weights.shape}): rebuild it with bench/train_stance.py"
        )
    return weights.astype(np.float64), bias.astype(np.float64)


def classify(text: str, vector: np.ndarray | None = None) -> Stance:
    """The stance of one post; English, Chinese or both. Deterministic.

    ``vector`` is the post's embedding from ``storyline.embed.encode`` when the
    caller already has it; without it the post is embedded here, which costs
    far more than the rest of the classification.
    """
    weights, bias = _model()
    if vector is None:
        from ..embed import encode

        vector = encode([text])[0]
    vec = np.asarray(vector, dtype=np.float64).ravel()
    if vec.shape != (DIM,):
        raise ValueError(f"expected a {DIM}-d embedding, got shape {np.shape(vector)}")
    logits = weights @ np.concatenate([vec, lexicon_features(text)]) + bias
    probs = np.exp(logits - logits.max())
    probs /= probs.sum()
    best = int(np.argmax(probs))
    return Stance(LABELS[best], round(float(probs[best]), 3))
