"""Markdown and plain-text renderings of the views in ``views.py``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["entities_table", "entity_markdown", "story_markdown", "timeline_markdown"]


def _day(iso: str | None) -> str:
    return iso[:10] if iso else "undated"


def _cell(text: str, width: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _when(entry: dict[str, Any]) -> str:
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


def story_markdown(view: dict[str, Any], limit: int = 12) -> str:
    out = [f"# {view['title']}", ""]
    out.append(f"- story: `{view['id']}`")
    out.append(f"- storyline: `{view['storyline']}` {view['storyline_title'] or ''}")
    out.append(f"- time span: {_day(view['first'])}..{_day(view['last'])}")
    out.append(f"- languages: {', '.join(view['langs'])}; outlets: {', '.join(view['outlets']) or '-'}")
    people = [e for e in view["entities"] if e["type"] in ("person", "organisation")][:limit]
    if people:
        out += ["", "## People and organisations", ""]
        for e in people:
            aliases = ", ".join(a["text"] for a in e["aliases"][:4] if a["text"] != e["name"])
            roles = _roles_text(e["roles"])
            out.append(
                f"- **{e['name']}** ({e['type']}, {e['mentions']} mentions)"
                + (f" — {roles}" if roles else "")
                + (f"; also written {aliases}" if aliases else "")
            )
    if view["repaired_names"]:
        out += ["", "## Repaired names", ""]
        for m in view["repaired_names"]:
            out.append(f"- `{m['from']}` → **{m['to_name']}**: {m['reason']}")
    if view["timeline"]:
        out += ["", "## Timeline", ""]
        out += timeline_markdown(view["timeline"])
    if view["quotes"]:
        out += ["", "## Quotes", ""]
        for q in view["quotes"][: limit * 2]:
            who = q["speaker"] or q["source"] or "unattributed"
            mark = f"“{_cell(q['text'], 200)}”" if q["kind"] == "direct" else _cell(q["text"], 200)
            out.append(f"- **{who}** ({q['cue']}): {mark} — {q['outlet'] or '?'} `{q['article_id']}`")
    if view["figures"]:
        out += ["", "## Figures", ""]
        for f in view["figures"][: limit * 2]:
            what = f" {f['what']}" if f["what"] else ""
            ticker = f" {f['ticker']}" if f["ticker"] else ""
            sentence = _cell(f["sentence"], 140)
            out.append(f"- **{f['text']}**{ticker}{what} ({f['kind']}) — {sentence} `{f['article_id']}`")
    out += ["", f"## Articles ({len(view['articles'])})", ""]
    for a in view["articles"]:
        dup = f" (copy of `{a['duplicate_of']}`)" if a["duplicate_of"] else ""
        out.append(
            f"- {_day(a['published'])} [{a['lang']}] {a['title']} — {a['outlet'] or 'unknown outlet'}{dup}"
        )
        out.append(f"  {a['url'] or a['origin']}")
    return "\n".join(out)


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
