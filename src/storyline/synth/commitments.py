"""What was promised, scheduled or threatened for which date, and what became of it.

Built on the merged timeline (``synth.timeline``): an entry is a commitment when a
source looked ahead to it (scheduled or threatened) or when it is a deadline or
an expiry. Its status follows the later coverage:

- ``met``: a report says it happened (a threat: carried out);
- ``superseded``: a later report gives a new date for the same event (same
  predicate and people, reported later), or a threat was called off, withdrawn
  or suspended;
- ``missed``: a report says it was called off (cancelled, postponed with no new
  date);
- ``unconfirmed``: the due date has passed and no report says what happened.
  This is not ``missed``: silence in the coverage we hold is no evidence that a
  meeting did not take place or a deadline lapsed, and calling it missed would
  be a claim no source makes;
- ``pending``: the due date has not passed.

Only reports published on or before ``today`` count (undated ones always do), so
the statuses are as of that day.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from .material import Material
from .timeline import date_span, merged_timeline, participant_names

__all__ = ["commitments", "upcoming"]

_KINDS = {
    "deadline": "deadline",
    "expire": "expiry",
    "meet": "meeting",
    "call": "call",
    "talk": "talks",
    "visit": "visit",
    "purchase": "purchase",
    "sell": "sale",
    "sign": "signing",
    "agree": "agreement",
    "elect": "election",
    "launch": "launch",
    "release": "release",
}
_MEASURES = frozenset(
    {"impose_tariff", "cut_tariff", "export_control", "ban", "sanction", "suspend", "resume", "investigate"}
)
# What a source says when it looks ahead to a commitment; "proposed" is no commitment yet.
_AHEAD = ("scheduled", "threatened")
# Due in their nature: a deadline or an expiry is ahead even when stated without a cue.
_DUE = frozenset({"deadline", "expire"})
# A threat is off when a later report suspends what it threatened: the words that name it.
_THREAT_OBJECT = re.compile(r"tariff|dut(?:y|ies)|levies|export|sanction|\bban|关税|出口|制裁|禁令", re.I)
# Longest due span listed by ``upcoming``: "in 2026" is not due within any number of days.
_UPCOMING_WIDTH = 92


def commitments(
    source: Material | Sequence[dict[str, Any]], today: date, names: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """Forward-looking items of a story (a ``Material``) or of any ``Store.events`` rows, by due date.

    Each item: ``due``, ``due_end`` (TIMEX3 values), ``what`` (a readable label),
    ``kind`` (deadline, expiry, meeting, call, talks, visit, purchase, threat,
    measure, ...), ``status`` (pending, met, missed, superseded, unconfirmed),
    ``status_reason`` (one line citing the report that set it), ``predicate``,
    ``participants`` [{key, name}], ``story_ids``, ``first_reported`` (ISO
    publication date of the first report that looked ahead, None if undated)
    and ``sources`` (the timeline's, in report order).
    """
    if isinstance(source, Material):
        rows: Sequence[dict[str, Any]] = source.events
        names = source.names if names is None else names
    else:
        rows = source
    day = today.isoformat()
    known = [r for r in rows if not r["published"] or str(r["published"])[:10] <= day]
    entries = [e for e in merged_timeline(known, names or {}) if e["dated"]]
    ahead = [e for e in entries if _looks_ahead(e)]
    return [_item(e, entries, today) for e in ahead]


def upcoming(store: Any, today: date, days: int = 30) -> list[dict[str, Any]]:
    """Pending items due within ``days`` of ``today`` across all stories (``store`` is a ``Store``).

    Each is a ``commitments`` item with ``days_left`` (0 when under way),
    ``story_id`` and ``story_title`` (the story most of its sources come from)
    and ``stories`` [{id, title}]. Items dated only by a span wider than a
    quarter ("in 2026") are left out: they are not due within any window.
    """
    rows = store.events()
    items = commitments(rows, today, participant_names(store, rows))
    out = []
    for item in items:
        span = date_span(item["due"], item["due_end"])
        if item["status"] != "pending" or span is None or (span[1] - span[0]).days > _UPCOMING_WIDTH:
            continue
        if span[1] < today or (span[0] - today).days > days:
            continue
        out.append({**item, "days_left": max(0, (span[0] - today).days)})
    ids = sorted({sid for item in out for sid in item["story_ids"]})
    titles = {s.id: s.title for s in store.stories(ids=ids)} if ids else {}
    by_article = {r["article_id"]: r["story_id"] for r in rows}
    for item in out:
        counts = Counter(by_article.get(s["article_id"]) for s in item["sources"])
        main = next((sid for sid, _ in counts.most_common() if sid), None)
        item["story_id"] = main
        item["story_title"] = titles.get(main) if main else None
        item["stories"] = [{"id": sid, "title": titles.get(sid)} for sid in item["story_ids"]]
    return out


def _looks_ahead(entry: dict[str, Any]) -> bool:
    return entry["predicate"] in _DUE or any(s["modality"] in _AHEAD for s in entry["sources"])


def _item(entry: dict[str, Any], entries: list[dict[str, Any]], today: date) -> dict[str, Any]:
    ahead = [s for s in entry["sources"] if s["modality"] in _AHEAD] or entry["sources"]
    threat = ahead[0]["modality"] == "threatened"
    status, reason = _status(entry, entries, today, threat)
    first = sorted(s["published"] for s in ahead if s["published"]) or [entry["first_reported"]]
    return {
        "due": entry["date"],
        "due_end": entry["date_end"],
        "what": entry["label"],
        "kind": _kind(entry["predicate"], threat),
        "status": status,
        "status_reason": reason,
        "predicate": entry["predicate"],
        "participants": entry["participants"],
        "story_ids": entry["story_ids"],
        "first_reported": first[0],
        "sources": entry["sources"],
    }


def _kind(predicate: str, threat: bool) -> str:
    if predicate in _DUE:
        return _KINDS[predicate]
    if threat:
        return "threat"
    return _KINDS.get(predicate, "measure" if predicate in _MEASURES else "event")


def _status(
    entry: dict[str, Any], entries: list[dict[str, Any]], today: date, threat: bool
) -> tuple[str, str | None]:
    sources = entry["sources"]
    span = date_span(entry["date"], entry["date_end"])
    # A report written before the due day cannot say it happened: that is another event.
    start = span[0].isoformat() if span else ""
    done = next(
        (s for s in sources if s["modality"] == "happened" and (s["published"] or "9999")[:10] >= start), None
    )
    if done is not None:
        verb = "carried out" if threat else "happened"
        return "met", f"reported as {verb} by {_cite(done)}"
    later = _new_date(entry, entries)
    if later is not None:
        new, s = later
        return "superseded", f"a later report gives a new date, {new['date']}: {_cite(s)}"
    off = next((s for s in sources if s["modality"] == "cancelled"), None)
    if off is not None and threat:
        return "superseded", f"reported as withdrawn by {_cite(off)}"
    if off is not None:
        return "missed", f"reported as called off by {_cite(off)}"
    if threat and (lifted := _lifted(entry, entries)) is not None:
        return "superseded", f"reported as suspended by {_cite(lifted)}"
    if span is not None and span[1] < today:
        return "unconfirmed", f"due by {span[1].isoformat()}; no later report says what happened"
    return "pending", None


def _new_date(
    entry: dict[str, Any], entries: list[dict[str, Any]]
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """A later-reported, later-dated entry for the same event: same predicate, the same people."""
    span = date_span(entry["date"], entry["date_end"])
    mine = {p["key"] for p in entry["participants"]}
    first = entry["first_reported"]
    if span is None or not mine or first is None:
        return None
    for other in entries:
        theirs = {p["key"] for p in other["participants"]}
        other_span = date_span(other["date"], other["date_end"])
        if (
            other is entry
            or other["predicate"] != entry["predicate"]
            or other_span is None
            or other_span[0] <= span[1]
            or not _same_people(mine, theirs)
        ):
            continue
        s = next(
            (s for s in other["sources"] if s["modality"] in _AHEAD and (s["published"] or "") > first), None
        )
        if s is not None:
            return other, s
    return None


def _same_people(a: set[str], b: set[str]) -> bool:
    """One side's people are all among the other's, and they share someone."""
    pa, pb = {k for k in a if k.startswith("per:")}, {k for k in b if k.startswith("per:")}
    if pa or pb:
        return bool(pa & pb) and (pa <= pb or pb <= pa)
    return bool(a & b) and (a <= b or b <= a)


def _lifted(entry: dict[str, Any], entries: list[dict[str, Any]]) -> dict[str, Any] | None:
    """A later report suspending or withdrawing what ``entry`` threatened."""
    mine = {p["key"] for p in entry["participants"]}
    first = entry["first_reported"] or ""
    for other in entries:
        if other["predicate"] != "suspend" or not mine & {p["key"] for p in other["participants"]}:
            continue
        for s in other["sources"]:
            if (s["published"] or "") > first and _THREAT_OBJECT.search(s["sentence"]):
                return s
    return None


def _cite(s: dict[str, Any]) -> str:
    when = (s["published"] or "undated")[:10]
    sentence = " ".join(s["sentence"].split())
    sentence = sentence if len(sentence) <= 140 else sentence[:139] + "…"
    return f"{s['outlet'] or 'an unnamed outlet'} ({when}, {s['article_id']}): “{sentence}”"
