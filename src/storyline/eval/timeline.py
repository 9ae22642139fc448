"""``storyline eval timeline``: timeline summarisation scored against reference timelines.

Two JSON Lines files in the ML-Crisis format: articles ``{"id", "lang",
"topic", "published", "text"}`` and references ``{"topic", "lang",
"timeline": [{"date", "sentences"}]}``. Each reference is one task: from the
articles of its topic and language, build a timeline with as many dates as
the reference (``k``) and, per date, about as many sentences as the reference
has per date on average (at least one). References whose topic and language
have no articles (ML-Crisis ships English references without English
articles) are listed under ``skipped`` and not scored.

Metrics, per timeline, then averaged over the timelines (macro):

- date precision / recall / F1: predicted days against reference days, exact
  day match;
- date-aligned ROUGE-1 and ROUGE-2 F1 (Martschat and Markert 2017; as used by
  Ghalandari and Ifrim 2020): a date's summary is its sentences joined; n-gram
  overlap (clipped counts) is summed over the dates present in both
  timelines only, precision divides it by all n-grams of the predicted
  timeline and recall by all n-grams of the reference, so a wrong date costs
  precision and a missed date costs recall. Tokens are lower-cased runs of
  letters and digits; no stemming or stop words.

``articles_per_second`` times the timeline building only (sentence
splitting, date tagging, selection and summaries).
"""

from __future__ import annotations

import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from ..synth.datesel import Doc, Settings, build_timeline, day_of
from .clustering import EvalError, read_jsonl

__all__ = ["EvalError", "date_prf", "evaluate", "format_report", "rouge_date_aligned", "words"]

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)

Timeline = Mapping[date, Sequence[str]]


def words(text: str) -> list[str]:
    """ROUGE tokens: lower-cased runs of letters and digits."""
    return _TOKEN.findall(text.lower())


def _prf(hits: float, n_pred: float, n_ref: float) -> tuple[float, float, float]:
    p = hits / n_pred if n_pred else 0.0
    r = hits / n_ref if n_ref else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def date_prf(predicted: Iterable[date], reference: Iterable[date]) -> tuple[float, float, float]:
    """Precision, recall and F1 of predicted days against reference days (exact match)."""
    pred, ref = set(predicted), set(reference)
    return _prf(len(pred & ref), len(pred), len(ref))


def _ngrams(sentences: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    toks = words(" ".join(sentences))
    return Counter(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))


def rouge_date_aligned(predicted: Timeline, reference: Timeline, n: int) -> tuple[float, float, float]:
    """Date-aligned ROUGE-n precision, recall and F1 (see the module notes)."""
    pred = {d: _ngrams(s, n) for d, s in predicted.items()}
    ref = {d: _ngrams(s, n) for d, s in reference.items()}
    overlap = sum(sum((pred[d] & ref[d]).values()) for d in pred.keys() & ref.keys())
    return _prf(
        overlap, sum(sum(c.values()) for c in pred.values()), sum(sum(c.values()) for c in ref.values())
    )


def _articles(path: Path) -> dict[tuple[str, str], list[Doc]]:
    groups: dict[tuple[str, str], list[Doc]] = defaultdict(list)
    for n, row in read_jsonl(path, "articles"):
        where = f"{path}:{n}"
        if not all(isinstance(row.get(key), str) for key in ("text", "topic", "lang")):
            raise EvalError(f"{where}: an article needs 'text', 'topic' and 'lang' strings")
        published = row.get("published")
        if published is not None and day_of(published) is None:
            raise EvalError(f"{where}: 'published' {published!r} is not an ISO date")
        groups[(row["topic"], row["lang"])].append(Doc(row["text"], row["lang"], published))
    return groups


def _reference(row: dict[str, Any], where: str) -> dict[date, list[str]]:
    if not isinstance(row.get("topic"), str) or not isinstance(row.get("lang"), str):
        raise EvalError(f"{where}: a reference needs 'topic' and 'lang' strings")
    entries = row.get("timeline")
    if not isinstance(entries, list) or not entries:
        raise EvalError(f"{where}: 'timeline' must be a non-empty list of {{'date', 'sentences'}}")
    timeline: dict[date, list[str]] = {}
    for entry in entries:
        day = day_of(entry.get("date")) if isinstance(entry, dict) else None
        sentences = entry.get("sentences") if isinstance(entry, dict) else None
        if day is None or not isinstance(sentences, list) or not all(isinstance(s, str) for s in sentences):
            raise EvalError(f"{where}: each timeline entry needs an ISO 'date' and a list of 'sentences'")
        timeline.setdefault(day, []).extend(sentences)
    return timeline


def evaluate(articles_path: Path, refs_path: Path, settings: Settings | None = None) -> dict[str, Any]:
    """Scores per reference timeline and their averages (see the module notes)."""
    articles = _articles(articles_path)
    refs = read_jsonl(refs_path, "reference timelines")
    timelines: list[dict[str, Any]] = []
    skipped: list[dict[str, str]] = []
    seconds = 0.0
    n_articles = 0
    for n, row in refs:
        ref = _reference(row, f"{refs_path}:{n}")
        topic, lang = row["topic"], row["lang"]
        docs = articles.get((topic, lang))
        if not docs:
            skipped.append({"topic": topic, "lang": lang, "reason": "no articles in this topic and language"})
            continue
        k = len(ref)
        per_date = max(1, round(sum(len(s) for s in ref.values()) / k))
        started = time.perf_counter()
        predicted = build_timeline(docs, k, per_date, settings)
        seconds += time.perf_counter() - started
        n_articles += len(docs)
        pred = {entry.date: entry.sentences for entry in predicted}
        p, r, f = date_prf(pred, ref)
        timelines.append(
            {
                "topic": topic,
                "lang": lang,
                "k": k,
                "sentences_per_date": per_date,
                "n_articles": len(docs),
                "date_precision": p,
                "date_recall": r,
                "date_f1": f,
                "rouge1_f1": rouge_date_aligned(pred, ref, 1)[2],
                "rouge2_f1": rouge_date_aligned(pred, ref, 2)[2],
                "predicted": [
                    {"date": e.date.isoformat(), "score": e.score, "sentences": e.sentences}
                    for e in predicted
                ],
            }
        )
    if not timelines:
        raise EvalError(f"no reference timeline in {refs_path} has articles in {articles_path}")

    def mean(key: str) -> float:
        return sum(t[key] for t in timelines) / len(timelines)

    return {
        "date_f1": mean("date_f1"),
        "date_precision": mean("date_precision"),
        "date_recall": mean("date_recall"),
        "rouge1_f1": mean("rouge1_f1"),
        "rouge2_f1": mean("rouge2_f1"),
        "timelines": timelines,
        "skipped": skipped,
        "n_articles": n_articles,
        "seconds": seconds,
        "articles_per_second": n_articles / seconds if seconds else 0.0,
    }


def format_report(result: dict[str, Any]) -> str:
    """The scores as a few lines for people: one per timeline, then the averages."""
    lines = [
        f"{'topic':<12} {'lang':<5} {'k':>4}  {'date P':>6} {'R':>6} {'F1':>6}  {'R-1 F1':>6} {'R-2 F1':>6}"
    ]
    for t in result["timelines"]:
        lines.append(
            f"{t['topic']:<12} {t['lang']:<5} {t['k']:>4}  {t['date_precision']:6.3f} "
            f"{t['date_recall']:6.3f} {t['date_f1']:6.3f}  {t['rouge1_f1']:6.3f} {t['rouge2_f1']:6.3f}"
        )
    lines.append(
        f"{'mean':<12} {'':<5} {'':>4}  {result['date_precision']:6.3f} {result['date_recall']:6.3f} "
        f"{result['date_f1']:6.3f}  {result['rouge1_f1']:6.3f} {result['rouge2_f1']:6.3f}"
    )
    lines.append(
        f"{len(result['timelines'])} timelines from {result['n_articles']} articles "
        f"({result['articles_per_second']:.0f} articles/s)"
    )
    for s in result["skipped"]:
        lines.append(f"skipped {s['topic']}/{s['lang']}: {s['reason']}")
    return "\n".join(lines)
