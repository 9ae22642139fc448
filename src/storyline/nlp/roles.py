"""Roles and titles of people, kept as the source wrote them.

``find_roles`` reads the words around each person mention:

- English pre-modifiers ("U.S. Trade Representative Jamieson Greer", "White
  House press secretary Karoline Leavitt", "Secretary of State Marco Rubio")
  and appositions ("He Lifeng, China's vice premier,", "X, who is the
  country's top trade negotiator");
- Chinese titles before or after the name ("美国财政部长贝森特", "习近平主席"),
  with the place or organisation mention that qualifies them ("外交部发言人").

A source's wording is kept ("Vice President He Lifeng" in one outlet,
"Vice-Premier He Lifeng" in another: the conflict is worth showing);
``role_key`` is the form to group by, and ``roles_agree`` says whether two
role keys can name the same office ("treasury secretary" and "us treasury
secretary" can, "president" and "vice president" cannot).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from storyline.models import Mention
from storyline.nlp.aliases import AliasTable, load_aliases, place_words
from storyline.text.normalize import fold, fold_aligned

__all__ = ["Role", "find_roles", "role_key", "roles_agree"]


@dataclass(slots=True)
class Role:
    """A title held by ``key``: ``role`` is the tidied title, ``surface`` the text at ``[start, end)``."""

    key: str
    role: str
    start: int
    end: int
    surface: str


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Nouns that make a phrase a title; a role needs one.
_HEADS = _words(
    """president premier secretary minister representative spokesperson spokesman spokeswoman
    ambassador adviser advisor envoy chairman chairwoman chair ceo cfo coo founder cofounder
    governor senator congressman congresswoman director chief leader negotiator counselor
    counsellor commissioner king queen chancellor mayor speaker general pope emperor empress
    prince princess lawmaker diplomat executive head czar tsar attorney judge justice treasurer
    presidentelect premierelect undersecretary"""
)
# Words that qualify a title without being one.
_MODIFIERS = _words(
    """vice deputy assistant acting former then incoming outgoing interim top senior
    prime first special presidential national security economic economy trade foreign finance
    financial treasury commerce defense defence war state homeland interior agriculture energy
    health labor labour transportation education press policy affairs intelligence staff
    supreme managing international permanent industry technology communications military
    cabinet chief principal lead high private personal"""
)
_TITLE_WORDS = _HEADS | _MODIFIERS
# Organisation words that qualify a title ("Foreign Ministry spokesperson").
_ORG_WORDS = _words(
    """ministry department office council commission committee bureau agency embassy bank board
    white house federal reserve administration government party politburo exchequer kremlin
    pentagon fed"""
)
_CONNECTORS = frozenset({"of", "to", "for"})
_ABBREVIATION = re.compile(r"(?:[A-Za-z]\.){2,}")
# A title with one of these is a different office from the title without it.
_RANK = _words("vice deputy assistant under acting former then incoming outgoing interim ex associate co")
_ZH_RANK = ("副", "前", "代理", "候任", "常务")
_HONORIFICS = _words("mr mrs ms mx dr sir dame madam")
# What may follow an apposition ("X, the treasury secretary, said").
_APPOSITION_END = _words("said says told who and will would has had is was added")

_ZH_TITLES = sorted(
    _words(
        """国家主席 主席 副主席 总统 副总统 当选总统 总理 副总理 首相 副首相 外长 外相 外交部长
    外交大臣 部长 副部长 财长 财政部长 财政大臣 商务部长 商务部部长 国防部长 防长 国务卿 发言人
    新闻发言人 大使 驻华大使 驻美大使 总书记 委员长 议长 贸易代表 新闻秘书 白宫新闻秘书 首席执行官
    执行长 董事长 创始人 创办人 行长 总裁 主任 秘书长 总干事 教宗 国王 女王 天皇 王储 总督 州长
    市长 参议员 众议员 将军 特使 顾问 安全顾问 国家安全顾问 谈判代表 首席谈判代表 国际贸易谈判代表
    国务委员 常委 局长 署长 幕僚长 领导人 最高领导人 安保室长 大臣 经济产业大臣 内阁官房长官 官房长官
    行政长官 院长 行政院长 理事 专员 高级代表 贸易专员 首席经济学家"""
    ),
    key=len,
    reverse=True,
)
_ZH_LONGEST = max(len(t) for t in _ZH_TITLES)

_TOKEN = re.compile(r"[^\s,;:()\[\]\"“”]+")
_APOS = re.compile(r"[’‘`´]")
_DOTTED = re.compile(r"\b(?:[a-z]\.){2,}")
_NON_WORD = re.compile(r"[\W_]+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")
_APPOSITION = re.compile(r"\s*,\s*(?:who\s+(?:is|was|serves\s+as)\s+)?(?:(?:the|a|an)\s+)?")
_BOUNDARY = re.compile(r"\s*(?:[,.;:)!?—–]|$)")
_EN_WINDOW = 120


def role_key(role: str) -> str:
    """The form to group roles by: folded, "U.S." -> "us", possessives, hyphens and punctuation gone.

    "Vice-Premier" and "vice premier" share a key; "Vice President" does not.
    """
    s = _APOS.sub("'", fold(role))
    s = _DOTTED.sub(lambda m: m.group().replace(".", ""), s)
    s = re.sub(r"'s\b", "", s)
    s = " ".join(_NON_WORD.sub(" ", s).split())
    s = _CJK_GAP.sub("", s)
    for article in ("the ", "a ", "an "):
        if s.startswith(article):
            return s[len(article) :]
    return s


def roles_agree(a: str, b: str) -> bool:
    """Whether two role keys can name the same office.

    Equal, or one is the other with qualifiers added ("us treasury secretary"
    and "treasury secretary", "ambassador" and "ambassador to china") as long
    as the qualifiers are not a rank ("vice president" is not "president").
    """
    if a == b:
        return True
    short, long = sorted((a, b), key=lambda r: (len(r), r))
    if not short:
        return False
    if _CJK.search(long):
        return long.endswith(short) and not any(r in long[: -len(short)] for r in _ZH_RANK)
    sw, lw = short.split(), long.split()
    if len(lw) <= len(sw):
        return False
    if lw[-len(sw) :] == sw:
        return not _RANK & set(lw[: -len(sw)])
    return lw[: len(sw)] == sw and lw[len(sw)] in _CONNECTORS


def find_roles(
    text: str, mentions: Sequence[Mention], lang: str, table: AliasTable | None = None
) -> list[Role]:
    """Roles of the person mentions (body mentions only: title mentions have negative spans)."""
    people = [m for m in mentions if m.label == "PER" and m.start >= 0]
    if not people:
        return []
    others = sorted((m.start, m.end) for m in mentions if m.label != "PER" and m.start >= 0)
    found = (
        _roles_zh(text, people, others)
        if lang.startswith("zh")
        else _roles_en(text, people, others, place_words(table or load_aliases()))
    )
    unique = {(r.key, r.start, r.end): r for r in found}
    return sorted(unique.values(), key=lambda r: (r.start, r.end, r.key))


def _role(key: str, text: str, start: int, end: int) -> Role:
    surface = text[start:end]
    return Role(key, " ".join(_APOS.sub("'", surface).split()), start, end, surface)


# -- English ---------------------------------------------------------------


def _base(token: str) -> str:
    """A token as a vocabulary word: "U.S." -> "us", "China's" -> "china", "Vice-Premier" -> "vicepremier"."""
    s = _APOS.sub("'", token.lower())
    s = re.sub(r"'s?$", "", s)
    return s.replace(".", "").replace("-", "")


def _kind(token: str, inside_other: bool, qualifiers: frozenset[str]) -> str:
    """HEAD, TITLE (a modifier), QUAL (place, organisation, possessive), CONN, or "" (not role words)."""
    base = _base(token)
    parts = [_base(p) for p in token.split("-")] if "-" in token else [base]
    if base in _HEADS or (parts[-1] in _HEADS and all(p in _TITLE_WORDS for p in parts)):
        return "HEAD"
    if base in _MODIFIERS:
        return "TITLE"
    if base in _CONNECTORS or base == "the":
        return "CONN"
    if inside_other or base in _ORG_WORDS:
        return "QUAL"
    if token[:1].isupper() and (base in qualifiers or _APOS.sub("'", token).endswith("'s")):
        return "QUAL"
    return ""


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _roles_en(
    text: str, people: list[Mention], others: list[tuple[int, int]], qualifiers: frozenset[str]
) -> list[Role]:
    ends = sorted(m.end for m in people)
    out: list[Role] = []
    for m in people:
        name_start = _name_start(m, qualifiers)
        floor = max([0, *[e for e in ends if e <= name_start]])
        before = _before_en(text, max(floor, name_start - _EN_WINDOW), name_start, others, qualifiers)
        if before:
            out.append(_role(m.key, text, *before))
        after = _after_en(text, m.end, others, qualifiers)
        if after:
            out.append(_role(m.key, text, *after))
    return out


def _name_start(m: Mention, qualifiers: frozenset[str]) -> int:
    """Where the name proper starts when the mention swallowed its title ("US President Donald Trump")."""
    offset = 0
    for tok in _TOKEN.finditer(m.text):
        kind = _kind(tok.group(), False, qualifiers)
        if not kind:
            break
        if kind in ("HEAD", "TITLE"):
            offset = tok.end()
    rest = len(m.text) - len(m.text[offset:].lstrip())
    return m.start + rest if offset and rest < len(m.text) else m.start


def _before_en(
    text: str, lo: int, hi: int, others: list[tuple[int, int]], qualifiers: frozenset[str]
) -> tuple[int, int] | None:
    """The title phrase that ends right before a name, if any."""
    window = text[lo:hi]
    if not window or not window[-1].isspace() or "\n" in window[-2:]:
        return None
    tokens = [(lo + t.start(), lo + t.end(), t.group()) for t in _TOKEN.finditer(window)]
    taken: list[tuple[int, int, str]] = []
    for s, e, tok in reversed(tokens):
        gap = text[e : taken[0][0]] if taken else text[e:hi]
        if any(ch in gap for ch in ',;:()\n"“”') or _ends_sentence(tok):
            break
        kind = _kind(tok, _inside(others, s, e), qualifiers)
        if not kind or _base(tok) in _HONORIFICS:
            break
        taken.insert(0, (s, e, kind))
    while taken and taken[0][2] == "CONN":
        taken.pop(0)
    return _valid(taken)


def _after_en(
    text: str, end: int, others: list[tuple[int, int]], qualifiers: frozenset[str]
) -> tuple[int, int] | None:
    """The apposition after a name: "He Lifeng, China's vice premier," -> "China's vice premier"."""
    lead = _APPOSITION.match(text, end)
    if not lead:
        return None
    taken: list[tuple[int, int, str]] = []
    pos = lead.end()
    for tok in _TOKEN.finditer(text, pos, min(len(text), pos + _EN_WINDOW)):
        if text[pos : tok.start()].strip() or "\n" in text[pos : tok.start()]:
            break
        final = _ends_sentence(tok.group())
        word = tok.group()[:-1] if final else tok.group()
        kind = _kind(word, _inside(others, tok.start(), tok.start() + len(word)), qualifiers)
        possessive = not kind and _APOS.sub("'", word).endswith("'s")
        if not (kind or possessive) or _base(word) in _HONORIFICS:
            break
        taken.append((tok.start(), tok.start() + len(word), kind or "QUAL"))
        pos = tok.end()
        if final:
            break
    # The longest run that ends the clause: "Sun Yun, director of the China
    # program" has no role rather than "director of the China".
    while taken:
        span = _valid(taken)
        if span and _ends_clause(text, span[1]):
            return span
        taken.pop()
    return None


def _ends_sentence(token: str) -> bool:
    """A token with the sentence's full stop ("said.", not "U.S." or "Mr.")."""
    if not token.endswith((".", "!", "?")) or _ABBREVIATION.fullmatch(token):
        return False
    return _base(token) not in _HONORIFICS


def _ends_clause(text: str, pos: int) -> bool:
    if _BOUNDARY.match(text, pos):
        return True
    nxt = re.match(r"\s+(\w+)", text[pos : pos + 20])
    return bool(nxt and nxt.group(1).lower() in _APPOSITION_END)


def _valid(taken: list[tuple[int, int, str]]) -> tuple[int, int] | None:
    """Span of a title phrase: it has a title noun, and after the last one only "of/to/for <words>"."""
    heads = [i for i, (_, _, kind) in enumerate(taken) if kind == "HEAD"]
    if not heads:
        return None
    tail = [kind for _, _, kind in taken[heads[-1] + 1 :]]
    if tail and (tail[0] != "CONN" or tail[-1] == "CONN" or "CONN" in tail[2:]):
        return None
    return taken[0][0], taken[-1][1]


# -- Chinese ---------------------------------------------------------------


def _roles_zh(text: str, people: list[Mention], others: list[tuple[int, int]]) -> list[Role]:
    out: list[Role] = []
    for m in people:
        inner = _title_inside_zh(m)
        if inner:
            out.append(_role(m.key, text, *inner))
        before = _title_ending_at(text, m.start)
        if before is not None:
            out.append(_role(m.key, text, _qualified_zh(text, before, others), m.start))
        after = _title_starting_at(text, m.end)
        if after:
            out.append(_role(m.key, text, m.end, after))
    return out


def _qualified_zh(text: str, start: int, others: list[tuple[int, int]]) -> int:
    """Start of a Chinese title with its rank and qualifiers: 前 + 总统, 美国 + 财政部长, 外交部 + 发言人."""
    moved = True
    while moved:
        moved = False
        for rank in _ZH_RANK:
            if text.startswith(rank, start - len(rank)):
                start -= len(rank)
                moved = True
        for s, e in others:
            # The mention may end right there or swallow part of the title (美国财政部 + 长).
            if s < start <= e and start - s <= 10:
                start, moved = s, True
    return start


def _title_ending_at(text: str, pos: int) -> int | None:
    window = fold_aligned(text[max(0, pos - _ZH_LONGEST) : pos])
    for title in _ZH_TITLES:
        if window.endswith(title):
            return pos - len(title)
    return None


def _title_starting_at(text: str, pos: int) -> int | None:
    window = fold_aligned(text[pos : pos + _ZH_LONGEST])
    for title in _ZH_TITLES:
        if window.startswith(title):
            return pos + len(title)
    return None


def _title_inside_zh(m: Mention) -> tuple[int, int] | None:
    """A title the mention itself carries ("习主席", "国家主席习近平")."""
    if m.start < 0 or not _CJK.search(m.text):
        return None
    folded = fold_aligned(m.text)
    for title in _ZH_TITLES:
        if len(folded) > len(title) and folded.endswith(title):
            return m.end - len(title), m.end
        if len(folded) > len(title) + 1 and folded.startswith(title):
            return m.start, m.start + len(title)
    return None
