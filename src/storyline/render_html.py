"""A brief as one self-contained HTML page (``storyline show --format html``).

Article text comes from the web and is untrusted: every string goes through
``html.escape`` and links keep only http(s) addresses, so nothing from an
article can run or restyle the page. Citations link to the Sources list,
which quotes the cited sentence of each article.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape
from typing import Any

__all__ = ["brief_html"]

_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC","PingFang SC",
"Microsoft YaHei",sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.6;color:#1b1b1b}
h1{line-height:1.25}h2{margin-top:2rem;border-bottom:1px solid #ddd}
:lang(zh){line-break:strict;word-break:normal}
sup a{text-decoration:none}.meta,.note{color:#555;font-size:.9rem}
.status{font-weight:600}.cite-target:target{background:#fff3b0}
table{border-collapse:collapse}td,th{padding:.2rem .6rem;border-bottom:1px solid #eee;text-align:left}
"""


# The page needs no script and loads nothing: say so to the browser too.
_CSP = "default-src 'none'; style-src 'unsafe-inline'"


class _Cites:
    def __init__(self) -> None:
        self.order: dict[str, int] = {}
        self.spans: dict[str, list[tuple[int, int]]] = {}

    def __call__(self, sources: Sequence[dict[str, Any]]) -> str:
        marks = []
        for s in sources:
            n = self.order.setdefault(s["article_id"], len(self.order) + 1)
            span = s.get("span")
            if span:
                self.spans.setdefault(s["article_id"], []).append((int(span[0]), int(span[1])))
            mark = f'<a href="#src-{n}">{n}</a>'
            if mark not in marks:
                marks.append(mark)
        return f"<sup>[{','.join(marks)}]</sup>" if marks else ""


def _e(value: Any) -> str:
    return escape("" if value is None else str(value))


def _href(url: str | None) -> str | None:
    if url and url.split(":", 1)[0].lower() in ("http", "https"):
        return escape(url, quote=True)
    return None


def _section(title: str, items: list[str], tag: str = "ul") -> list[str]:
    if not items:
        return []
    return [f"<h2>{_e(title)}</h2>", f"<{tag}>", *items, f"</{tag}>"]


def brief_html(brief: dict[str, Any], texts: dict[str, str] | None = None) -> str:
    """The page; ``texts`` (article id → text) lets the Sources list quote the cited sentences."""
    cite = _Cites()
    lang = brief.get("lang", "en")
    head = brief["headline"]["text"] if brief.get("headline") else brief["title"]
    body = [
        f"<h1>{_e(head)}</h1>",
        f'<p class="meta">Story <code>{_e(brief["id"])}</code> · {_e(_day(brief["first"]))} – '
        f"{_e(_day(brief['last']))} · {brief['n_articles']} articles · {_e(', '.join(brief['langs']))}</p>",
    ]
    if brief.get("written"):
        w = brief["written"]
        text = " ".join(_e(s["text"]) + cite(s["citations"]) for s in w["sentences"])
        body += ["<h2>Summary</h2>", f"<p>{text}</p>"]
        body.append(
            f'<p class="note">Written by {_e(w["model"])} from the sentences below;'
            f" {len(w['dropped'])} unsupported sentences were dropped.</p>"
        )
    summary = [
        f'<p lang="{_e(s["lang"])}">{_e(s["text"])}{cite(s["citations"])}'
        + (
            f' <span class="note">(from the {_e(s["from_lang"])} coverage)</span>'
            if s.get("from_lang")
            else ""
        )
        + "</p>"
        for s in brief["summary"]
    ]
    if summary:
        body += ["<h2>" + ("Extractive summary" if brief.get("written") else "Summary") + "</h2>", *summary]
    body += _section(
        "Key points", [f"<li>{_e(p['text'])}{cite(p['citations'])}</li>" for p in brief["key_points"]]
    )
    body += _section("Timeline", [_timeline_item(e, cite) for e in brief["timeline"]])
    body += _section(
        "Commitments and deadlines",
        [
            f"<li><b>{_e(c['due'])}</b> {_e(c['what'])}: <span class=status>{_e(c['status'])}</span>"
            + (f" — {_e(c['status_reason'])}" if c.get("status_reason") else "")
            + f"{cite(c['sources'])}</li>"
            for c in brief["commitments"]
        ],
    )
    body += _section(
        "People and organisations",
        [
            f"<li><b>{_e(p['name'])}</b> ({_e(p['type'])})"
            + "".join(f"; {_e(r['role'])}{cite(r['sources'])}" for r in p["roles"])
            + "</li>"
            for p in brief["people"]
        ],
    )
    body += _section(
        "Conflicting claims",
        [
            f"<li>{_e(c['slot'])} of <b>{_e(c['subject'])}</b>: "
            + " vs ".join(f"“{_e(v['value'])}”{cite(v['sources'])}" for v in c["versions"])
            + (
                f"; read as “{_e(c['resolved'])}”"
                if c.get("resolved")
                else f"; most sources say “{_e(c['majority'])}”"
                if c.get("majority")
                else ""
            )
            + "</li>"
            for c in brief["conflicts"]
        ],
    )
    body += _section(
        "Quotes",
        [
            f"<li><b>{_e(q['speaker'] or q['source'] or 'unattributed')}</b> ({_e(q['cue'])}): "
            f'<q lang="{_e(q.get("lang", ""))}">{_e(q["text"])}</q>{cite(q["sources"])}</li>'
            for q in brief["quotes"][:20]
        ],
    )
    body += _section(
        "Figures",
        [
            f"<li><b>{_e(f['text'])}</b> {_e(f['what'] or '')} — {_e(f['sentence'])}{cite(f['sources'])}</li>"
            for f in brief["figures"][:20]
        ],
    )
    body += _coverage(brief.get("coverage") or {})
    body += _reactions(brief.get("reactions") or {})
    body += _section(
        "Related stories",
        [f"<li><code>{_e(r['id'])}</code> {_e(r['title'])} — {_e(r['line'])}</li>" for r in brief["related"]],
    )
    body += _sources(brief, cite, texts or {})
    return (
        f'<!doctype html>\n<html lang="{_e(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        f"<title>{_e(head)}</title><style>{_STYLE}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def _day(iso: str | None) -> str:
    return iso[:10] if iso else "undated"


def _timeline_item(e: dict[str, Any], cite: Callable[[Sequence[dict[str, Any]]], str]) -> str:
    when = e["date"] if e.get("date") else "date not given"
    if e.get("date_end"):
        when += f" – {e['date_end']}"
    label = e.get("label") or e["predicate"]
    history = e.get("transition") or e["status"]
    note = f' <span class="note">({_e(e["note"])})</span>' if e.get("note") else ""
    return f"<li><b>{_e(when)}</b> {_e(label)} — {_e(history)}{note}{cite(e['sources'])}</li>"


def _coverage(cov: dict[str, Any]) -> list[str]:
    if not cov.get("outlets"):
        return []
    favoured = {o["outlet"]: o for o in cov.get("by_outlet", [])}
    rows = []
    for o in cov["outlets"]:
        mine = favoured.get(o["outlet"], {})
        stress = [str(f["text"]) for f in mine.get("facts", [])][:3] + [
            w["term"] for w in mine.get("framing", [])
        ][:4]
        rows.append(
            f"<tr><td>{_e(o['outlet'] or 'unknown outlet')}</td><td>{o['articles']}</td>"
            f"<td>{_e(', '.join(o.get('langs', [])))}</td><td>{_e('; '.join(stress))}</td></tr>"
        )
    return [
        "<h2>Coverage</h2>",
        "<table><tr><th>outlet</th><th>articles</th><th>languages</th><th>only this outlet</th></tr>",
        *rows,
        "</table>",
    ]


def _reactions(r: dict[str, Any]) -> list[str]:
    if not r.get("n"):
        return []
    split = ", ".join(f"{_e(k)} {v['share']:.0%}" for k, v in r["stances"].items() if v["count"])
    items = []
    for stance, posts in r.get("representative", {}).items():
        for p in posts[:2]:
            link = _href(p.get("url"))
            who = _e(p.get("author") or "?")
            who = f'<a href="{link}" rel="nofollow noopener">{who}</a>' if link else who
            items.append(
                f'<li>{_e(stance)}: “<span lang="{_e(p.get("lang"))}">{_e(p["text"])}</span>” — {who}</li>'
            )
    return [f"<h2>Reactions ({r['n']} posts)</h2>", f"<p>{split}</p>", "<ul>", *items, "</ul>"]


def _sources(brief: dict[str, Any], cite: _Cites, texts: dict[str, str]) -> list[str]:
    by_id = {a["id"]: a for a in brief["articles"]}
    items = []
    for aid, n in cite.order.items():
        a = by_id.get(aid)
        if a is None:
            continue
        link = _href(a.get("url"))
        title = f'<a href="{link}" rel="nofollow noopener">{_e(a["title"])}</a>' if link else _e(a["title"])
        quoted = ""
        text = texts.get(aid)
        if text:
            spans = sorted(set(cite.spans.get(aid, [])))[:3]
            quoted = "".join(f"<blockquote>{_e(text[s:e])}</blockquote>" for s, e in spans)
        items.append(
            f'<li id="src-{n}" class="cite-target">{title} — {_e(a["outlet"] or "unknown outlet")},'
            f" {_e(_day(a['published']))}{quoted}</li>"
        )
    return _section("Sources", items, tag="ol")
