"""Conflicting claims: one slot given different values by different sources.

Four slots, each shown with its versions side by side, the sources behind each
version and the version most sources support:

- ``title``: a person's office, when two sources give offices of one kind that
  exclude each other (vice president / vice premier; treasury / commerce
  secretary). Roles that only differ in wording, casing or a country prefix,
  and roles of different kinds ("Vice-Premier" and "top trade negotiator"),
  are not conflicts.
- ``number``: one quantity (same ``what``, kind, unit, direction and time
  qualifier, in sentences about the same thing) with different values.
- ``date``: one event (same predicate, a shared person or organisation) dated
  on different days.
- ``name``: a misspelt name the story repaired, with the articles using each
  spelling.

A false conflict on a reader's page does more harm than a missed one, so each
slot errs on the side of silence: an article that contradicts itself on a slot
drops that slot (the extraction, not the source, is the likelier culprit), and
numbers or planned dates that change over the days of coverage are updates,
not conflicts.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import pairwise
from typing import Any

from ..nlp.aliases import AliasTable, load_aliases, place_words
from ..nlp.roles import role_key
from ..nlp.timex import value_range
from ..text.terms import tokens
from .material import Material, sentence_of

__all__ = ["conflicts"]

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_DIGIT = re.compile(r"\d")

# -- titles ------------------------------------------------------------------------------------

# Heads of state and government: one person holds one of these at a time.
_LEADERS = {
    "president": "president",
    "vice president": "vice president",
    "premier": "premier",
    "prime minister": "premier",
    "vice premier": "vice premier",
    "deputy premier": "vice premier",
    "deputy prime minister": "vice premier",
    "vice prime minister": "vice premier",
}
_ZH_LEADERS = {
    "总统": "president",
    "国家主席": "president",
    "副总统": "vice president",
    "国家副主席": "vice president",
    "总理": "premier",
    "首相": "premier",
    "副总理": "vice premier",
    "副首相": "vice premier",
}
# Ministries, by what countries call them: a treasury secretary and a finance
# minister hold one office, so do a secretary of state and a foreign minister.
_PORTFOLIOS = {
    "treasury": "finance",
    "finance": "finance",
    "commerce": "commerce",
    "trade": "commerce",
    "foreign": "foreign",
    "defense": "defense",
    "defence": "defense",
    "war": "defense",
    "agriculture": "agriculture",
    "energy": "energy",
    "interior": "interior",
    "health": "health",
    "education": "education",
    "justice": "justice",
    "labor": "labor",
    "labour": "labor",
    "transportation": "transport",
    "transport": "transport",
}
_ZH_MINISTERS = {
    "财政部长": "finance",
    "财长": "finance",
    "财政大臣": "finance",
    "商务部长": "commerce",
    "商务部部长": "commerce",
    "外交部长": "foreign",
    "外长": "foreign",
    "外相": "foreign",
    "外交大臣": "foreign",
    "国务卿": "foreign",
    "国防部长": "defense",
    "防长": "defense",
}
_MINISTER_HEADS = frozenset({"minister", "secretary"})
_JUNIOR = frozenset({"vice", "deputy", "assistant", "under"})
# A past, future or temporary office does not exclude the present one.
_TRANSIENT = frozenset(
    {"former", "then", "ex", "incoming", "outgoing", "elect", "presidentelect", "premierelect", "acting"}
    | {"interim", "late", "designate"}
)
_ZH_TRANSIENT = ("前", "候任", "代理", "时任")
_FILLERS = frozenset({"the", "of", "for", "country", "nation", "affairs"})


@lru_cache(maxsize=1)
def _table() -> tuple[AliasTable, frozenset[str]]:
    table = load_aliases()
    return table, place_words(table)


def _office(key: str) -> tuple[str, str] | None:
    """(kind, office) of a role key when it names an exclusive office, else None."""
    if _CJK.search(key):
        return _office_zh(key)
    places = _table()[1]
    words = [w for w in key.split() if w not in places and w not in _FILLERS]
    if not words or _TRANSIENT & set(words):
        return None
    phrase = " ".join(words)
    if phrase in _LEADERS:
        return "leader", _LEADERS[phrase]
    heads = [w for w in words if w in _MINISTER_HEADS]
    rest = [w for w in words if w not in _MINISTER_HEADS]
    if len(heads) != 1:
        return None
    junior = [w for w in rest if w in _JUNIOR]
    portfolio = {
        "foreign" if w == "state" and heads == ["secretary"] else _PORTFOLIOS.get(w, "") for w in rest
    } - {""}
    # Every word must be understood: "press secretary", "economic security minister" are other offices.
    if len(portfolio) != 1 or len(rest) != len(junior) + sum(
        1 for w in rest if w in _PORTFOLIOS or w == "state"
    ):
        return None
    return "minister", ("vice " if junior else "") + portfolio.pop()


def _office_zh(key: str) -> tuple[str, str] | None:
    rest = _strip_zh_places(key)
    if rest.startswith(_ZH_TRANSIENT):
        return None
    if rest in _ZH_LEADERS:
        return "leader", _ZH_LEADERS[rest]
    junior = "副部长" in rest
    plain = rest.replace("副部长", "部长")
    if plain in _ZH_MINISTERS:
        return "minister", ("vice " if junior else "") + _ZH_MINISTERS[plain]
    return None


def _strip_zh_places(text: str) -> str:
    """Drop leading places and the State Council: "中国国务院副总理" -> "副总理"."""
    table = _table()[0]
    moved = True
    while moved:
        moved = False
        for n in range(len(text) - 1, 0, -1):
            if any(
                t in ("loc", "adj") or k == "china state council" for t, k in table.names.get(text[:n], [])
            ):
                text, moved = text[n:], True
                break
    return text


def _bare_role(role: str) -> str:
    """The role as written, without the leading place: "Chinese Vice-Premier" -> "Vice-Premier"."""
    if _CJK.search(role):
        return _strip_zh_places(role) or role
    places = _table()[1]
    words = role.split()
    while len(words) > 1 and (role_key(words[0]) in places or re.search(r"['’]s$", words[0])):
        words.pop(0)
    return " ".join(words)


def _title_conflicts(m: Material) -> list[dict[str, Any]]:
    # (person, kind) -> office -> article -> first role row
    said: dict[tuple[str, str], dict[str, dict[str, dict[str, Any]]]] = defaultdict(lambda: defaultdict(dict))
    for aid, notes in m.notes.items():
        for r in notes["roles"]:
            found = _office(r["role_key"])
            if found is not None:
                said[(r["key"], found[0])][found[1]].setdefault(aid, r)
    out = []
    for (key, _kind), offices in sorted(said.items()):
        offices = _consistent(offices)
        if len(offices) < 2:
            continue
        versions = []
        for rows in offices.values():
            ordered = _in_time_order(m, rows)
            wordings = Counter(_bare_role(rows[aid]["role"]) for aid in ordered)
            value = max(wordings, key=lambda w: (wordings[w], not _CJK.search(w)))
            sources = [
                {**_source(m, aid, rows[aid]["start"], rows[aid]["end"]), "text": rows[aid]["role"]}
                for aid in ordered
            ]
            versions.append(_version(value, sources))
        name = m.name(key) or key
        out.append(_conflict("title", name, versions, f"{name} is given different titles"))
    return out


def _consistent(by_value: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The values with the articles that give only that value (a self-contradicting article drops out)."""
    counts = Counter(aid for rows in by_value.values() for aid in rows)
    kept = {v: {aid: r for aid, r in rows.items() if counts[aid] == 1} for v, rows in by_value.items()}
    return {v: rows for v, rows in kept.items() if rows}


# -- numbers -----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Figure:
    article_id: str
    row: dict[str, Any]
    when: str | None  # the time qualifier: the nearest date in the sentence
    context: frozenset[str]  # content words of the sentence
    keys: frozenset[str]  # people and organisations named in the sentence


def _number_conflicts(m: Material) -> list[dict[str, Any]]:
    slots: dict[tuple[Any, ...], list[_Figure]] = defaultdict(list)
    for aid, notes in m.notes.items():
        article = m.by_id.get(aid)
        if article is None:
            continue
        for f in notes["figures"]:
            what = tuple(tokens(f["what"] or ""))
            if not what or f["kind"] == "market" or f["value"] is None:
                continue  # market moves differ by the hour; an unnamed quantity is no slot
            s, e = sentence_of(article, f["start"])
            when = _nearest_date(notes["timexes"], s, e, f["start"])
            keys = frozenset(
                x["key"]
                for x in notes["mentions"]
                if s <= x["start"] < e and x["key"].startswith(("per:", "org:"))
            )
            said = frozenset(t for t in tokens(article.text[s:e]) if not _DIGIT.search(t))
            context = said - set(what) - set(tokens(f["text"]))
            slot = (what, f["kind"], f["unit"], f["change"], f["ticker"], when)
            slots[slot].append(_Figure(aid, f, when, context, keys))
    out = []
    for slot, figures in sorted(slots.items(), key=lambda kv: str(kv[0])):
        groups = _value_groups(figures)
        if (
            len(groups) < 2
            or not _same_thing(groups)
            or _is_update(m, [[f.article_id for f in g] for g in groups])
        ):
            continue
        versions = []
        for group in groups:
            ordered = _in_time_order(m, {f.article_id: f for f in group})
            firsts = {aid: next(f for f in group if f.article_id == aid) for aid in ordered}
            sources = [
                {**_source(m, aid, f.row["start"], f.row["end"]), "text": f.row["text"]}
                for aid, f in firsts.items()
            ]
            texts = Counter(f.row["text"] for f in group)
            versions.append(_version(texts.most_common(1)[0][0], sources))
        what = figures[0].row["what"]
        subject = what if slot[-1] is None else f"{what} ({slot[-1]})"
        out.append(_conflict("number", subject, versions, f"sources give different figures for {what}"))
    return out


def _nearest_date(timexes: list[dict[str, Any]], start: int, end: int, at: int) -> str | None:
    inside = [t for t in timexes if t["type"] == "DATE" and start <= t["start"] < end]
    if not inside:
        return None
    return str(min(inside, key=lambda t: (abs(t["start"] - at), t["start"]))["value"])


def _same_value(a: float, b: float) -> bool:
    """Equal, or equal once the more precise one is rounded like the other (12.5 million vs 12 million)."""
    if a == b:
        return True
    if a == 0 or b == 0:
        return False
    digits = min(_significant(a), _significant(b))
    return _round_to(a, digits) == _round_to(b, digits)


def _significant(x: float) -> int:
    mantissa = f"{abs(x):.10g}".replace(".", "").lstrip("0")
    return max(1, len(mantissa.rstrip("0")))


def _round_to(x: float, digits: int) -> float:
    return float(f"{x:.{digits}g}")


def _value_groups(figures: list[_Figure]) -> list[list[_Figure]]:
    """Figures grouped by value; empty when an article gives the slot two values."""
    groups: list[list[_Figure]] = []
    for f in figures:
        group = next((g for g in groups if _same_value(g[0].row["value"], f.row["value"])), None)
        if group is None:
            groups.append([f])
        else:
            group.append(f)
    per_article = Counter(aid for g in groups for aid in {f.article_id for f in g})
    if any(n > 1 for n in per_article.values()):
        return []
    return groups


def _same_thing(groups: list[list[_Figure]]) -> bool:
    """Whether every pair of versions is said about the same thing: shared words, no disjoint names."""
    reps = [g[0] for g in groups]
    for i, a in enumerate(reps):
        for b in reps[i + 1 :]:
            if a.keys and b.keys and not a.keys & b.keys:
                return False
            shared = a.context & b.context
            if len(shared) < 2 or len(shared) < 0.2 * len(a.context | b.context):
                return False
    return True


def _is_update(m: Material, groups: Iterable[Iterable[str]]) -> bool:
    """Whether the versions (their article ids) follow each other in time, each on later days."""
    spans = []
    for group in groups:
        days = {_day(m, aid) for aid in group}
        if None in days:
            return False
        spans.append((min(days), max(days)))
    spans.sort()
    return all(a[1] < b[0] for a, b in pairwise(spans))


def _day(m: Material, article_id: str) -> date | None:
    article = m.by_id.get(article_id)
    return article.published.date() if article is not None and article.published else None


# -- dates -------------------------------------------------------------------------------------

_PAST = frozenset({"happened", "reported"})
_MAX_GAP = timedelta(days=6)  # farther apart, two dates are more likely two events


def _date_conflicts(m: Material) -> list[dict[str, Any]]:
    usable = [e for e in m.events if _usable_event(m, e)]
    # Link mentions of one event: same predicate and tense, a shared actor, dates close together.
    parent = list(range(len(usable)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(usable):
        for j in range(i + 1, len(usable)):
            if _same_event(a, usable[j]):
                parent[find(i)] = find(j)
    clusters: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for i, e in enumerate(usable):
        clusters[find(i)].append(e)
    out = []
    for events in clusters.values():
        groups = _date_groups(events)
        future = events[0]["modality"] not in _PAST
        if len(groups) < 2 or (future and _is_update(m, [[e["article_id"] for e in g] for g in groups])):
            continue
        versions = []
        for group in groups:
            rows = {e["article_id"]: e for e in sorted(group, key=lambda e: e["start"])[::-1]}
            ordered = _in_time_order(m, rows)
            sources = [
                {**_source(m, aid, rows[aid]["start"], rows[aid]["end"]), "text": _timex_text(m, rows[aid])}
                for aid in ordered
            ]
            values = Counter(_date_label(e) for e in group)
            versions.append(_version(values.most_common(1)[0][0], sources))
        shared = set.intersection(*(set(_actors(e)) for e in events))
        who = ", ".join(m.name(k) or k for k in sorted(shared)) or ", ".join(
            m.name(k) or k for k in _actors(events[0])
        )
        subject = f"{events[0]['predicate']} ({who})"
        gap = _gap(groups)
        note = f"sources date the {events[0]['predicate']} of {who} differently"
        if gap == timedelta(days=1):
            note += " (one day apart: possibly a time zone)"
        out.append(_conflict("date", subject, versions, note))
    return out


def _usable_event(m: Material, e: dict[str, Any]) -> bool:
    """A day-precise date on an original article, resolved against a known date or written out."""
    article = m.by_id.get(e["article_id"])
    if article is None or article.dup_of is not None or not _actors(e):
        return False
    if not _one_day(e["date"]) or (e["date_end"] and not _one_day(e["date_end"])):
        return False
    return not e["date_inferred"] or bool(_DIGIT.search(_timex_text(m, e)))


def _one_day(value: str | None) -> bool:
    span = value_range(value) if value else None
    return span is not None and span[0] == span[1]


def _actors(e: dict[str, Any]) -> list[str]:
    return [k for k in e["participants"] if k.startswith(("per:", "org:"))]


def _range(e: dict[str, Any]) -> tuple[date, date] | None:
    first = value_range(e["date"]) if e["date"] else None
    if first is None:
        return None
    last = value_range(e["date_end"]) if e["date_end"] else None
    return first[0], (last or first)[1]


def _same_event(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a["predicate"] != b["predicate"] or (a["modality"] in _PAST) != (b["modality"] in _PAST):
        return False
    if not set(_actors(a)) & set(_actors(b)):
        return False
    ra, rb = _range(a), _range(b)
    assert ra is not None and rb is not None
    return rb[0] - ra[1] <= _MAX_GAP and ra[0] - rb[1] <= _MAX_GAP


def _date_groups(events: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Events grouped by overlapping date ranges; empty when one article falls in two groups."""
    ranked = sorted(events, key=lambda e: _range(e) or (date.min, date.min))
    groups: list[list[dict[str, Any]]] = []
    end = date.min
    for e in ranked:
        r = _range(e)
        assert r is not None
        if groups and r[0] <= end:
            groups[-1].append(e)
            end = max(end, r[1])
        else:
            groups.append([e])
            end = r[1]
    per_article = Counter(aid for g in groups for aid in {e["article_id"] for e in g})
    return [] if any(n > 1 for n in per_article.values()) else groups


def _gap(groups: list[list[dict[str, Any]]]) -> timedelta:
    ends = [max(_range(e)[1] for e in g) for g in groups]  # type: ignore[index]
    starts = [min(_range(e)[0] for e in g) for g in groups]  # type: ignore[index]
    return min(s - e for s, e in zip(starts[1:], ends[:-1], strict=True))


def _date_label(e: dict[str, Any]) -> str:
    r = _range(e)
    assert r is not None
    return r[0].isoformat() if r[0] == r[1] else f"{r[0].isoformat()}/{r[1].isoformat()}"


def _timex_text(m: Material, e: dict[str, Any]) -> str:
    start, end = e.get("timex_start"), e.get("timex_end")
    if start is None or end is None or start < 0:
        return ""
    return m.by_id[e["article_id"]].text[start:end]


# -- names -------------------------------------------------------------------------------------


def _name_conflicts(m: Material) -> list[dict[str, Any]]:
    out = []
    seen = set()
    for repair in m.repairs:
        if (repair["from"], repair["to"]) in seen:
            continue
        seen.add((repair["from"], repair["to"]))
        wrong = _repaired_surfaces(m, repair["from"], repair["to"])
        if not wrong:
            continue
        by_spelling: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        for aid, notes in m.notes.items():
            for x in notes["mentions"]:
                if x["key"] != repair["to"] or x["start"] < 0 or _CJK.search(x["text"]):
                    continue
                value = wrong[x["text"]] if x["text"] in wrong else repair["to_name"]
                by_spelling[value].setdefault(aid, x)
        if len(by_spelling) < 2 or len({aid for rows in by_spelling.values() for aid in rows}) < 2:
            continue  # one article's slip of the keyboard is no disagreement between sources
        versions = []
        for value, rows in by_spelling.items():
            ordered = _in_time_order(m, rows)
            sources = [
                {**_source(m, aid, rows[aid]["start"], rows[aid]["end"]), "text": rows[aid]["text"]}
                for aid in ordered
            ]
            versions.append(_version(value, sources))
        shown = sorted({v for v in wrong.values()})
        note = f"{' / '.join(repr(v) for v in shown)} read as '{repair['to_name']}' ({repair['reason']})"
        found = _conflict("name", repair["to_name"], versions, note)
        # The spelling the story's names were repaired to, whatever the count: the evidence decided it.
        found["resolved"] = repair["to_name"]
        out.append(found)
    return out


def _repaired_surfaces(m: Material, source: str, target: str) -> dict[str, str]:
    """Surfaces that were written for ``source`` -> how to show that spelling (the longest surface)."""
    found = [
        a["text"]
        for e in m.entities
        if e["key"] == target
        for a in e.get("aliases", [])
        if a.get("repaired_from") == source
    ]
    if not found:
        return {}
    shown = max(found, key=lambda t: (len(t), t))
    return {t: shown for t in found}


# -- shared ------------------------------------------------------------------------------------


def _in_time_order(m: Material, rows: dict[str, Any]) -> list[str]:
    def order(aid: str) -> tuple[Any, ...]:
        published = m.by_id[aid].published if aid in m.by_id else None
        return (published is None, published.isoformat() if published else "", aid)

    return sorted(rows, key=order)


def _source(m: Material, article_id: str, start: int, end: int) -> dict[str, Any]:
    article = m.by_id[article_id]
    s, e = sentence_of(article, max(start, 0))
    return {
        "article_id": article_id,
        "outlet": article.outlet,
        "published": article.published.isoformat() if article.published else None,
        "span": [start, end],
        "sentence": " ".join(article.text[s:e].split()),
    }


def _version(value: str, sources: list[dict[str, Any]]) -> dict[str, Any]:
    return {"value": value, "sources": sources, "n_sources": len(sources)}


def _conflict(slot: str, subject: str, versions: list[dict[str, Any]], lead: str) -> dict[str, Any]:
    versions = sorted(versions, key=lambda v: (-v["n_sources"], v["sources"][0]["published"] or "~"))
    top = versions[0]["n_sources"]
    majority = versions[0]["value"] if versions[1]["n_sources"] < top else None
    said = "; ".join(f"'{v['value']}' in {_who(v['sources'])}" for v in versions)
    verdict = f"most sources say '{majority}'" if majority is not None else "no majority"
    return {
        "slot": slot,
        "subject": subject,
        "versions": versions,
        "majority": majority,
        "note": f"{lead}: {said}; {verdict}.",
    }


def _who(sources: list[dict[str, Any]]) -> str:
    names = [s["outlet"] or f"article {s['article_id']}" for s in sources]
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return f"{len(sources)} source{'s' if len(sources) > 1 else ''} ({shown})"


def conflicts(material: Material) -> list[dict[str, Any]]:
    """Slots the story's sources disagree on, titles first, then numbers, dates and names.

    Each item: ``{"slot": "title" | "number" | "date" | "name", "subject", "versions":
    [{"value", "sources": [{"article_id", "outlet", "published", "span", "sentence", "text"}],
    "n_sources"}], "majority": the value most sources give or None on a tie, "note"}``; versions
    are ordered by support, sources by publication.
    """
    return [
        *_title_conflicts(material),
        *_number_conflicts(material),
        *_date_conflicts(material),
        *_name_conflicts(material),
    ]
