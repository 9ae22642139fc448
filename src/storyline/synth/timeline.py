"""A story's timeline: event mentions merged across sources into one entry per real event.

Input is rows of ``Store.events`` (one per mention, with its article, outlet,
publication date and sentence), so the same code serves a story, a storyline,
an entity or the whole store. Mentions are grouped by (date, predicate, end of
range); a vaguely dated group ("late October": 2025-10) is folded into the one
precise group of the same kind inside it that shares a participant ("October
30"). Undated mentions (the text gives a date the article does not let us
place, "on Monday" on an undated page) are grouped by predicate and
participants; one joins a dated entry only when that entry is the single
day-precise one of its kind with the same people and, for a weekday, the same
weekday. The rest come last, ``dated`` false, with a ``note`` saying so.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from ..nlp.timex import value_range

__all__ = ["date_span", "merged_timeline", "name_of", "participant_names", "report_order", "transition"]

# Final states: what a later report says happened (or was called off) outranks what an
# earlier one said was planned.
_FINAL = ("happened", "cancelled")
# Said before the event (so before any report that it happened).
FORWARD = ("scheduled", "threatened", "proposed")
# "reported" is hearsay about the event, not a new state of it.
_NO_STATE = ("reported",)
_CJK = re.compile(r"[\u3400-\u9fff]")

# predicate -> (verb with one subject, verb with several, noun when nobody is named).
# Symmetric acts take every participant as subject ("Donald Trump and Xi Jinping meet");
# the others read "Noun: who" rather than guess who did what to whom.
_SYMMETRIC: dict[str, tuple[str, str]] = {
    "meet": ("meets", "meet"),
    "call": ("holds a phone call", "hold a phone call"),
    "talk": ("holds talks", "hold talks"),
    "agree": ("reaches an agreement", "reach an agreement"),
    "sign": ("signs", "sign"),
}
_NOUNS: dict[str, str] = {
    "meet": "Meeting",
    "call": "Phone call",
    "talk": "Talks",
    "visit": "Visit",
    "impose_tariff": "Tariffs",
    "cut_tariff": "Tariff cut",
    "export_control": "Export controls",
    "agree": "Agreement",
    "sign": "Signing",
    "expire": "Expiry",
    "deadline": "Deadline",
    "announce": "Announcement",
    "investigate": "Investigation",
    "threaten": "Threat",
    "purchase": "Purchase",
    "sell": "Sale",
    "ban": "Ban",
    "sanction": "Sanctions",
    "suspend": "Suspension",
    "resume": "Resumption",
    "elect": "Election",
    "attack": "Attack",
    "die": "Death",
    "arrest": "Arrest",
    "launch": "Launch",
    "land": "Landing",
    "dock": "Docking",
    "landfall": "Landfall",
    "theft": "Theft",
    "testify": "Testimony",
    "summon": "Summons",
    "resign": "Resignation",
    "release": "Release",
}

Group = tuple[str | None, str, str | None]  # (date, predicate, date_end); date None: undated


def merged_timeline(rows: Sequence[dict[str, Any]], names: Mapping[str, str]) -> list[dict[str, Any]]:
    """One entry per event, dated entries in date order, then the undated ones.

    Each entry: ``date``, ``date_end`` (TIMEX3 values; None when undated),
    ``dated``, ``predicate``, ``label``, ``status`` (the latest report, a final
    state winning), ``modalities`` (distinct, in report order), ``transition``
    ("scheduled → happened", "threatened → carried out", None for one state),
    ``participants`` [{key, name}], ``story_ids``, ``first_reported`` (ISO or
    None), ``note`` (None unless undated) and ``sources`` [{article_id, outlet,
    published, modality, date_inferred, trigger, sentence, span, when}], in
    report order.
    """
    groups: dict[Group, list[dict[str, Any]]] = {}
    undated: dict[tuple[str, frozenset[str]], list[dict[str, Any]]] = {}
    for r in rows:
        if r["date"] is None:
            undated.setdefault((r["predicate"], frozenset(r["participants"])), []).append(r)
        else:
            groups.setdefault((r["date"], r["predicate"], r["date_end"]), []).append(r)
    _fold_vague(groups)
    left = _fold_undated(groups, undated)
    entries = [_entry(g, reports, names) for g, reports in groups.items()]
    entries.sort(key=_date_key)
    entries += sorted(
        (_entry((None, pred, None), reports, names) for (pred, _), reports in left.items()),
        key=lambda e: (e["first_reported"] or "", e["predicate"], e["label"]),
    )
    return entries


def _entry(group: Group, reports: list[dict[str, Any]], names: Mapping[str, str]) -> dict[str, Any]:
    when, predicate, date_end = group
    reports = report_order(reports, when, date_end)
    counts: Counter[str] = Counter(k for r in reports for k in r["participants"])
    participants = [{"key": k, "name": name_of(k, names)} for k, _ in counts.most_common()]
    published = sorted(r["published"] for r in reports if r["published"])
    spoken = list(dict.fromkeys(_when_text(r) for r in reports if _when_text(r)))
    return {
        "date": when,
        "date_end": date_end,
        "dated": when is not None,
        "predicate": predicate,
        "label": label(predicate, [p["name"] for p in participants]),
        "status": _status(reports),
        # In the order the coverage reported them: scheduled, then happened.
        "modalities": list(dict.fromkeys(r["modality"] for r in reports)),
        "transition": transition([r["modality"] for r in reports]),
        "participants": participants,
        "story_ids": sorted({r["story_id"] for r in reports if r.get("story_id")}),
        "first_reported": published[0] if published else None,
        "note": None if when is not None else _undated_note(spoken),
        "sources": [source(r) for r in reports],
    }


def source(r: dict[str, Any]) -> dict[str, Any]:
    """The citation of one report: its article, the sentence and the sentence's span."""
    return {
        "article_id": r["article_id"],
        "outlet": r["outlet"],
        "published": r["published"],
        "modality": r["modality"],
        # Undated article: resolved against a date estimated from its story.
        "date_inferred": bool(r["date_inferred"]),
        "trigger": r["trigger"],
        "sentence": r["sentence"],
        "span": [r["start"], r["end"]],
        "when": _when_text(r),
    }


def _undated_note(spoken: list[str]) -> str:
    if spoken:
        said = ", ".join(f'"{s}"' for s in spoken[:3])
        return f"date not given: the source says {said} without a date it can be placed at"
    return "date not given: the source gives no date"


def _when_text(r: dict[str, Any]) -> str | None:
    """The date as the sentence words it ("on Monday" -> "Monday")."""
    if r.get("timex_start") is None or r.get("timex_end") is None:
        return None
    lo, hi = r["timex_start"] - r["start"], r["timex_end"] - r["start"]
    return r["sentence"][lo:hi] if 0 <= lo < hi <= len(r["sentence"]) else None


def report_order(
    reports: Iterable[dict[str, Any]], when: str | None, date_end: str | None
) -> list[dict[str, Any]]:
    """Reports in the order they were written. An undated article's place is inferred from
    what it says: one that reports the event as done was written after it (its last day),
    one that looks ahead before any dated report; this orders, it dates nothing."""
    span = date_span(when, date_end)
    after = span[1].isoformat() if span else "9999"

    def key(r: dict[str, Any]) -> str:
        if r["published"]:
            return str(r["published"])
        return after if r["modality"] == "happened" else ""

    return sorted(reports, key=key)


def _status(reports: list[dict[str, Any]]) -> str:
    """The entry's status from its reports (in report order): the latest, a final one winning."""
    final = [r["modality"] for r in reports if r["modality"] in _FINAL]
    return final[-1] if final else reports[-1]["modality"]


def transition(modalities: Sequence[str]) -> str | None:
    """How the reports moved the event, in report order: "scheduled → happened"; for a threat
    the outcome is named as such ("threatened → carried out", "threatened → withdrawn")."""
    states: list[str] = []
    for m in modalities:
        if m not in _NO_STATE and (not states or states[-1] != m):
            states.append(m)
    if len(states) < 2:
        return None
    if states[0] == "threatened":
        rename = {"happened": "carried out", "cancelled": "withdrawn"}
        states = [states[0], *(rename.get(s, s) for s in states[1:])]
    return " → ".join(states)


def label(predicate: str, who: Sequence[str]) -> str:
    """A short readable line: "Donald Trump and Xi Jinping meet", "Deadline: Donald Trump"."""
    shown = list(who[:3]) + (["others"] if len(who) > 3 else [])
    noun = _NOUNS.get(predicate, predicate.replace("_", " ").capitalize())
    if not shown:
        return noun
    joined = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
    if predicate in _SYMMETRIC:
        one, several = _SYMMETRIC[predicate]
        return f"{joined} {one if len(shown) == 1 else several}"
    return f"{noun}: {joined}"


def name_of(key: str, names: Mapping[str, str]) -> str:
    """The display name of ``key``; a readable form of the key when ``names`` lacks it."""
    if key in names:
        return names[key]
    bare = key.split(":", 1)[-1]
    return bare if _CJK.search(bare) else bare.title()


def participant_names(store: Any, rows: Sequence[dict[str, Any]]) -> dict[str, str]:
    """Display names of every participant in ``rows``, from the stored surfaces (``store`` is a
    ``Store``; typed loosely so this module stays free of the store)."""
    from ..views import display_name

    keys = sorted({k for r in rows for k in r["participants"]})
    surfaces: dict[str, Counter[str]] = {}
    for key, _tagged, _label, text, _lang, _story, n, _n_articles in store.entity_surfaces(keys=keys):
        surfaces.setdefault(key, Counter())[text] += n
    return {k: display_name(k, surfaces.get(k, Counter())) for k in keys}


# --------------------------------------------------------------------------- merging


def date_span(when: str | None, date_end: str | None) -> tuple[date, date] | None:
    """First and last day of a TIMEX3 value or range; None for what no calendar holds."""
    first = value_range(when) if when else None
    last = value_range(date_end) if date_end else first
    return (first[0], last[1]) if first and last else None


def _width(span: tuple[date, date] | None) -> int:
    return (span[1] - span[0]).days if span else 1 << 30


def _date_key(e: dict[str, Any]) -> tuple[str, int, str, str]:
    span = date_span(e["date"], e["date_end"])
    start = span[0].isoformat() if span else str(e["date"])
    return (start, _width(span), e["predicate"], e["label"])


def _fold_vague(groups: dict[Group, list[dict[str, Any]]]) -> None:
    """Fold a vaguely dated entry ("late October": 2025-10) into the one precisely dated entry
    of the same kind inside it that shares a participant ("October 30": 2025-10-30)."""
    spans = {g: date_span(g[0], None) for g in groups}
    people = {g: {k for r in reports for k in r["participants"]} for g, reports in groups.items()}
    for vague in sorted(groups, key=lambda g: _width(spans[g]), reverse=True):
        outer = spans[vague]
        if outer is None or vague[2] is not None:
            continue
        inside = [
            g
            for g in groups
            if g is not vague
            and g[1] == vague[1]
            and (inner := spans[g]) is not None
            and outer[0] <= inner[0]
            and inner[1] <= outer[1]
            and _width(inner) < _width(outer)
            and (people[g] & people[vague] or not people[vague])
            and not _told_before(groups[vague], inner[0])
        ]
        if len(inside) == 1:
            groups[inside[0]].extend(groups.pop(vague))


def _told_before(reports: list[dict[str, Any]], day: date) -> bool:
    """A report published before ``day`` that says its event happened is about another one
    ("have met four times this year", written before the meeting of October 30)."""
    return any(
        r["modality"] == "happened" and r["published"] and str(r["published"])[:10] < day.isoformat()
        for r in reports
    )


def _fold_undated(
    groups: dict[Group, list[dict[str, Any]]],
    undated: dict[tuple[str, frozenset[str]], list[dict[str, Any]]],
) -> dict[tuple[str, frozenset[str]], list[dict[str, Any]]]:
    """Join each undated group to the one dated, day-precise entry of its kind with all its
    participants (and its weekday, when the text named one); return those left undated."""
    left = {}
    for (predicate, who), reports in undated.items():
        weekdays = {d for r in reports if (d := _weekday(r)) is not None}
        fits = [
            g
            for g, dated in groups.items()
            if g[1] == predicate
            and g[2] is None
            and (span := date_span(g[0], None)) is not None
            and span[0] == span[1]
            and who <= {k for r in dated for k in r["participants"]}
            and all(span[0].isoweekday() == d for d in weekdays)
        ]
        if len(fits) == 1:
            groups[fits[0]].extend(reports)
        else:
            left[(predicate, who)] = reports
    return left


def _weekday(r: dict[str, Any]) -> int | None:
    """The weekday an undated report names (1 = Monday), read from its words: the row keeps
    no value for a date it could not place."""
    text = (_when_text(r) or "").lower()
    return next((i for i, names in enumerate(_WEEKDAY_NAMES, start=1) if any(n in text for n in names)), None)


_WEEKDAY_NAMES = (
    ("monday", "周一", "星期一"),
    ("tuesday", "周二", "星期二"),
    ("wednesday", "周三", "星期三"),
    ("thursday", "周四", "星期四"),
    ("friday", "周五", "星期五"),
    ("saturday", "周六", "星期六"),
    ("sunday", "周日", "星期日", "星期天"),
)
