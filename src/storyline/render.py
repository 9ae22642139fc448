"""Markdown and plain-text renderings of the views in ``views.py``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = [
    "Citations",
    "brief_markdown",
    "entities_table",
    "entity_markdown",
    "timeline_markdown",
    "upcoming_markdown",
]


def _day(iso: str | None) -> str:
    return iso[:10] if iso else "undated"


def _cell(text: str, width: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _when(entry: dict[str, Any]) -> str:
    if not entry.get("date"):
        return "date not given"
    return f"{entry['date']}..{entry['date_end']}" if entry.get("date_end") else entry["date"]


def timeline_markdown(entries: Sequence[dict[str, Any]], sources: int = 2) -> list[str]:
    lines = []
    for e in entries:
        who = ", ".join(p["name"] for p in e["participants"][:4])
        history = " → ".join(e["modalities"]) if len(e["modalities"]) > 1 else e["status"]
        status = e["status"] if history == e["status"] else f"{e['status']} ({history})"
        n = len(e["sources"])
        lines.append(
            f"- **{_when(e)}** {e['predicate']} — {status}" + (f"; {who}" if who else "") + f" [{n}]"
        )
        for s in e["sources"][:sources]:
            lines.append(
                f"  - {_day(s['published'])} {s['outlet'] or '?'} `{s['article_id']}`: {_cell(s['sentence'])}"
            )
    return lines


def _roles_text(roles: Sequence[dict[str, Any]], limit: int = 3) -> str:
    parts = []
    for r in roles[:limit]:
        spellings = r["spellings"]
        other = [s for s in spellings if s != r["role"]]
        parts.append(
            r["role"] + (f" (also: {', '.join(other[:2])})" if other else "") + f" [{len(r['sources'])}]"
        )
    return "; ".join(parts)


class Citations:
    """Numbers the articles a brief cites, in order of first citation."""

    def __init__(self) -> None:
        self.order: dict[str, int] = {}

    def mark(self, sources: Sequence[dict[str, Any]]) -> str:
        nums = []
        for s in sources:
            n = self.order.setdefault(s["article_id"], len(self.order) + 1)
            if n not in nums:
                nums.append(n)
        return "".join(f"[{n}]" for n in nums)


def brief_markdown(brief: dict[str, Any], limit: int = 12) -> str:
    """The brief as Markdown: every sentence carries [n] marks that resolve under Sources."""
    cite = Citations()
    head = brief["headline"]["text"] if brief.get("headline") else brief["title"]
    out = [f"# {head}", ""]
    out.append(
        f"Story `{brief['id']}` · storyline `{brief['storyline']}`"
        f" · {_day(brief['first'])}..{_day(brief['last'])} · {brief['n_articles']} articles"
        f" · {', '.join(brief['langs'])}"
    )
    if brief.get("written"):
        w = brief["written"]
        out += ["", "## Summary (written by a language model, checked against its sources)", ""]
        out += [" ".join(s["text"] + " " + cite.mark(s["citations"]) for s in w["sentences"])]
        if w["dropped"]:
            out += [
                "",
                f"_{len(w['dropped'])} generated sentences were dropped as unsupported by the sources._",
            ]
    if brief["summary"]:
        title = "Extractive summary" if brief.get("written") else "Summary"
        out += ["", f"## {title}", ""]
        for s in brief["summary"]:
            other = f" _(from the {s['from_lang']} coverage)_" if s.get("from_lang") else ""
            out.append(f"{s['text']} {cite.mark(s['citations'])}{other}")
    if brief["key_points"]:
        out += ["", "## Key points", ""]
        out += [f"- {p['text']} {cite.mark(p['citations'])}" for p in brief["key_points"]]
    dated = [e for e in brief["timeline"] if e.get("date")]
    undated = [e for e in brief["timeline"] if not e.get("date")]
    if dated or undated:
        out += ["", "## Timeline", ""]
        for e in dated:
            out.append(f"- **{_when(e)}** {_event_label(e)} — {_history(e)} {cite.mark(e['sources'])}")
        for e in undated:
            note = e.get("note") or "the sources give no date"
            out.append(
                f"- **date not given** {_event_label(e)} — {_history(e)} ({note}) {cite.mark(e['sources'])}"
            )
    if brief["commitments"]:
        out += ["", "## Commitments and deadlines", ""]
        for c in brief["commitments"]:
            why = f" — {c['status_reason']}" if c.get("status_reason") else ""
            out.append(f"- **{c['due']}** {c['what']}: **{c['status']}**{why} {cite.mark(c['sources'])}")
    if brief["people"]:
        out += ["", "## People and organisations", ""]
        for p in brief["people"][:limit]:
            roles = "; ".join(f"{r['role']} [{r['n_sources']}]" for r in p["roles"])
            out.append(f"- **{p['name']}** ({p['type']})" + (f" — {roles}" if roles else ""))
    if brief["repaired_names"]:
        out += ["", "## Repaired names", ""]
        for m in brief["repaired_names"]:
            out.append(f"- `{m['from']}` → **{m['to_name']}**: {m['reason']}")
    if brief["conflicts"]:
        out += ["", "## Conflicting claims", ""]
        for c in brief["conflicts"]:
            versions = " vs ".join(f"“{v['value']}” {cite.mark(v['sources'])}" for v in c["versions"])
            if c.get("resolved"):
                most = f"; read as “{c['resolved']}”"
            else:
                most = f"; most sources: “{c['majority']}”" if c.get("majority") else ""
            out.append(f"- {c['slot']} of **{c['subject']}**: {versions}{most}")
    if brief["quotes"]:
        out += ["", "## Quotes", ""]
        for q in brief["quotes"][:limit]:
            who = q["speaker"] or q["source"] or "unattributed"
            words = f"“{_cell(q['text'], 220)}”" if q["kind"] == "direct" else _cell(q["text"], 220)
            out.append(f"- **{who}** ({q['cue']}): {words} {cite.mark(q['sources'])}")
    if brief["figures"]:
        out += ["", "## Figures", ""]
        for f in brief["figures"][:limit]:
            what = f" {f['what']}" if f["what"] else ""
            ticker = f" {f['ticker']}" if f["ticker"] else ""
            out.append(
                f"- **{f['text']}**{ticker}{what} — {_cell(f['sentence'], 140)} {cite.mark(f['sources'])}"
            )
    out += _coverage_markdown(brief["coverage"])
    out += _reactions_markdown(brief["reactions"])
    if brief["related"]:
        out += ["", "## Related stories", ""]
        out += [f"- `{r['id']}` {r['title']} — {r['line']}" for r in brief["related"]]
    by_id = {a["id"]: a for a in brief["articles"]}
    out += ["", "## Sources", ""]
    for aid, n in cite.order.items():
        a = by_id.get(aid)
        if a:
            where = a["url"] or a["origin"]
            out.append(
                f"{n}. {a['title']} — {a['outlet'] or 'unknown outlet'}, {_day(a['published'])}, {where}"
            )
    return "\n".join(out)


def _event_label(e: dict[str, Any]) -> str:
    if e.get("label"):
        return str(e["label"])
    who = ", ".join(p["name"] for p in e["participants"][:3])
    return e["predicate"] + (f" ({who})" if who else "")


def _history(e: dict[str, Any]) -> str:
    if e.get("transition"):
        return str(e["transition"])
    return " → ".join(e["modalities"]) if len(e["modalities"]) > 1 else e["status"]


def _coverage_markdown(cov: dict[str, Any]) -> list[str]:
    if not cov or not cov.get("outlets"):
        return []
    out = ["", "## Coverage", ""]
    outlets = ", ".join(
        f"{o['outlet'] or 'unknown outlet'} ({o['articles']}"
        + (f" + {o['copies']} copies)" if o["copies"] else ")")
        for o in cov["outlets"]
    )
    langs = ", ".join(f"{x['lang']} ({x['articles']})" for x in cov.get("langs", []))
    out.append(f"- outlets: {outlets}; languages: {langs or '-'}")
    for label in ("first", "latest"):
        r = cov.get(label)
        if r:
            out.append(
                f"- {label} report: {_day(r.get('published'))} {r.get('outlet') or '?'} `{r['article_id']}`"
            )
    for o in cov.get("by_outlet", []):
        facts = [_cell(str(f["text"]), 80) for f in o.get("facts", [])][:3]
        words = [w["term"] for w in o.get("framing", [])][:5]
        if facts or words:
            out.append(
                f"- only {o['outlet']}: "
                + "; ".join(facts)
                + (f" (words it favours: {', '.join(words)})" if words else "")
            )
    return out


def _reactions_markdown(r: dict[str, Any]) -> list[str]:
    if not r or not r.get("n"):
        return []
    out = ["", f"## Reactions ({r['n']} posts)", ""]
    split = ", ".join(f"{k} {v['share']:.0%}" for k, v in r["stances"].items() if v["count"])
    out.append(f"- split: {split}")
    for stance, posts in r.get("representative", {}).items():
        for p in posts[:2]:
            out.append(
                f"  - {stance}: “{_cell(p['text'], 160)}” — {p.get('author') or '?'} {p.get('url') or ''}"
            )
    return out


def upcoming_markdown(items: Sequence[dict[str, Any]]) -> str:
    lines = []
    for c in items:
        left = c.get("days_left")
        when = f"{c['due']}" + (f" (in {left} days)" if left is not None else "")
        lines.append(f"- **{when}** {c['what']} — {c['status']}; story `{c['story_id']}` {c['story_title']}")
    return "\n".join(lines)


def entities_table(rows: Sequence[dict[str, Any]]) -> str:
    lines = []
    for e in rows:
        aliases = ", ".join(a["text"] for a in e["aliases"][:4] if a["text"] != e["name"])
        roles = _roles_text(e["roles"], 2)
        lines.append(
            f"{e['mentions']:>6}  {e['type']:<12} {e['name']}"
            + (f"  [{aliases}]" if aliases else "")
            + (f"  — {roles}" if roles else "")
        )
    return "\n".join(lines)


def entity_markdown(view: dict[str, Any]) -> str:
    out = [f"# {view['name']}", "", f"- key: `{view['key']}` ({view['type']})"]
    out.append(
        f"- {view['mentions']} mentions in {view['articles']} articles; languages: {', '.join(view['langs'])}"
    )
    out += ["", "## Names", ""]
    for a in view["aliases"]:
        note = f" — repaired from `{a['repaired_from']}`: {a['reason']}" if "repaired_from" in a else ""
        out.append(f"- {a['text']} [{a['lang']}] ×{a['mentions']}{note}")
    if view["roles"]:
        out += ["", "## Roles", ""]
        for r in view["roles"]:
            out.append(f"- **{r['role']}** [{len(r['sources'])} sources]")
            for s in r["sources"][:3]:
                out.append(
                    f"  - “{s['role']}” — {_day(s['published'])} {s['outlet'] or '?'} `{s['article_id']}`"
                )
    out += ["", "## Stories", ""]
    for s in view["stories"]:
        out.append(f"- `{s['id']}` {s['title']} ({s['mentions']} mentions, last {_day(s['last'])})")
    return "\n".join(out)
