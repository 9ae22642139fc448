"""Canonical entities: one key per entity within an article, then within a story.

On top of the keys ``EntityTagger`` gives (``storyline.nlp.aliases``):

``link_mentions`` (one article) gives partial forms the key of the full form
written in the same article: "Trump", "President Trump", "Mr. Trump" -> the
"Donald Trump" key; "Commerce Ministry" -> "China's Ministry of Commerce";
"USTR" -> "Office of the United States Trade Representative" (defined in
parentheses, or its letters fit); 商务部 -> 中国商务部. When a bare surname fits
two full names in the article ("Donald Trump" and "Eric Trump"), it goes to
the one named last before it (the first one after it if none came before):
writers restate the full name when they switch between two people of one
name, so the last full name is the one in play. A name the alias table knows
keeps its table key unless the article names two people it could be.

English pages sometimes spell a Chinese surname two ways ("Xi Jinping" ...
"meeting with Shi"); the model does not tag the odd form, so ``link_mentions``
adds it as a mention with its own key, and ``repair_names`` decides, on story
evidence, whether it is the same person.

``repair_names`` (one story, all its articles pooled) merges misspelt or
machine-translated names into an established entity: "Scott Besant" ->
Scott Bessent, "Carolyn Levitt" -> Karoline Leavitt. A merge needs a close
name *and* evidence: a shared role, a shared context (the same people around
it), or a role the alias table lists for the target. Spelling alone never
merges, two entities the alias table knows are never merged, and two names in
one sentence are two people.

Roles and titles (``find_roles``, ``role_key``) live in ``roles.py``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from storyline.models import Mention
from storyline.nlp.aliases import (
    AliasTable,
    canonical_key,
    load_aliases,
    normalize_name,
    place_words,
    strip_places,
    strip_titles,
)
from storyline.nlp.roles import Role, find_roles, role_key, roles_agree

__all__ = [
    "EntityEvidence",
    "Merge",
    "Role",
    "find_roles",
    "link_mentions",
    "repair_names",
    "role_key",
    "roles_agree",
]

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_ACRONYM = re.compile(r"[A-Z][A-Za-z&]{1,9}")
_CAPITALISED = re.compile(r"\b[A-Z][a-z]{1,7}\b")
_STOP = frozenset({"of", "the", "and", "for", "on", "&"})
_SENTENCE_OPENERS = frozenset(".!?:;\"“”‘'—–(\n")
_PINYIN = re.compile(
    r"(?:(?:[bpmfdtnlgkhjqxrzcsyw]|[zcs]h)?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|an|ao|ei|en|er|ia|ie|in|iu|ou|ua|ue|ui|un|uo"
    r"|a|e|i|o|u|v))+"
)
# Wade-Giles and ad-hoc renderings of pinyin initials and finals, to one form:
# Xi / Hsi / Shi, Qin / Chin, Zhou / Chou / Jou, Cai / Tsai, Zhong / Chung.
_TRANSLIT = {
    "hs": "x", "sh": "x", "zh": "j", "ch": "j", "q": "j", "tz": "z", "ts": "z", "dz": "z", "c": "z",
    "ung": "ong", "ieh": "ie",
}  # fmt: skip
_NONE: frozenset[str] = frozenset()
_PHONETIC = (("ph", "f"), ("ck", "k"), ("sch", "sk"), ("gh", "g"), ("th", "t"), ("dg", "j"))


# -- within one article ------------------------------------------------------


def link_mentions(
    text: str, mentions: list[Mention], lang: str, table: AliasTable | None = None
) -> list[Mention]:
    """The mentions (copies), partial forms keyed like their full form, plus mentions the model missed.

    The added mentions are later uses of an acronym the article defines and
    other spellings of a Chinese surname named in it. Title mentions (negative
    spans) take part through their text; ``text`` is never sliced with them.
    """
    table = table if table is not None else load_aliases()
    out = [replace(m) for m in mentions]
    _link_people(out, table)
    _link_orgs(out, table)
    if not lang.startswith("zh"):
        out.extend(_link_acronyms(text, out, table))
        out.extend(_spelling_variants(text, out, table))
    return sorted(out, key=lambda m: (m.start, m.end))


@lru_cache(maxsize=65536)
def _norm(surface: str) -> str:
    return normalize_name(surface)


def _bare(m: Mention, table: AliasTable) -> str:
    """The name without titles or places: "President Trump" -> "trump", "美国总统特朗普" -> "特朗普"."""
    norm = _norm(m.text)
    return strip_places(strip_titles(norm), table) or norm


def _pick(mentions: list[Mention], at: int, candidates: Iterable[int]) -> str | None:
    """The key of the candidate named last before position ``at`` (else the first after it)."""
    ranked = sorted(candidates, key=lambda j: (mentions[j].start, j))
    if not ranked:
        return None
    before = [j for j in ranked if mentions[j].start < at]
    return mentions[before[-1] if before else ranked[0]].key


def _link_people(mentions: list[Mention], table: AliasTable) -> None:
    people = [(j, _bare(m, table)) for j, m in enumerate(mentions) if m.label == "PER"]
    if not people:
        return
    for i, m in enumerate(mentions):
        known = m.key in table.keys
        if m.label not in ("PER", "ORG", "MISC") or (m.label != "PER" and known):
            continue  # "Apple" is not Mr Apple
        bare = _bare(m, table)
        if _CJK.search(bare):
            candidates = _fuller_zh(bare, people, i)
        else:
            candidates = _fuller_latin(bare, people, i, known)
        keys = {mentions[j].key for j in candidates}
        if not keys or keys == {m.key} or (known and m.key not in keys):
            continue
        key = _pick(mentions, m.start, candidates)
        if key is not None:
            mentions[i] = replace(m, key=key, label="PER")


def _fuller_latin(bare: str, people: list[tuple[int, str]], i: int, known: bool) -> list[int]:
    """Full names ending with a lone word ("Trump"), else starting with it (if the table does not know it)."""
    if " " in bare or len(bare) < 2:
        return []
    full = [(j, b.split()) for j, b in people if j != i and " " in b and not _CJK.search(b)]
    last = [j for j, words in full if words[-1] == bare]
    if last or known:
        return last
    return [j for j, words in full if words[0] == bare]


def _fuller_zh(bare: str, people: list[tuple[int, str]], i: int) -> list[int]:
    """Longer Chinese names that start (高市 -> 高市早苗) or end (特朗普 -> 唐纳德·特朗普) with it."""
    if len(bare) < 2:
        return []
    return [
        j
        for j, b in people
        if j != i and len(b) > len(bare) and _CJK.search(b) and (b.startswith(bare) or b.endswith(bare))
    ]


def _org_words(m: Mention) -> frozenset[str]:
    return frozenset(_norm(m.text).split())


def _link_orgs(mentions: list[Mention], table: AliasTable) -> None:
    """A shorter organisation name whose extra words in the full form are only places and stop words."""
    fillers = place_words(table) | _STOP
    orgs = [(j, _org_words(m)) for j, m in enumerate(mentions) if m.label == "ORG"]
    for i, short in orgs:
        m = mentions[i]
        if _CJK.search(m.text):
            candidates = _zh_org_candidates(mentions, i, [j for j, _ in orgs], table)
        elif short - _STOP:
            candidates = [
                j
                for j, words in orgs
                if mentions[j].key != m.key and short < words and words - short <= fillers
            ]
        else:
            continue
        key = _pick(mentions, m.start, candidates)
        if key is not None:
            mentions[i] = replace(m, key=key)


def _zh_org_candidates(mentions: list[Mention], i: int, orgs: list[int], table: AliasTable) -> list[int]:
    """中国商务部 for 商务部: the full form is a country followed by the short one."""
    short = _norm(mentions[i].text)
    out = []
    for j in orgs:
        full = _norm(mentions[j].text)
        if mentions[j].key == mentions[i].key or len(full) <= len(short) or not full.endswith(short):
            continue
        if f"loc:{_country(table, full[: -len(short)])}" in _countries(table):
            out.append(j)
    return out


def _country(table: AliasTable, name: str) -> str:
    return next((key for t, key in table.names.get(name, []) if t == "loc"), "")


@lru_cache(maxsize=8)
def _countries(table: AliasTable) -> frozenset[str]:
    """Places with a demonym in the table: countries and regions, not cities (东京自民党 is a misreading)."""
    return frozenset(f"loc:{key}" for entries in table.names.values() for t, key in entries if t == "adj")


def _link_acronyms(text: str, mentions: list[Mention], table: AliasTable) -> list[Mention]:
    """Key acronyms like the full name they stand for; returns mentions of defined acronyms the model missed.

    "Office of the United States Trade Representative (USTR)" defines USTR
    whatever the table says; otherwise the acronym's letters must fit the full
    name ("MOFCOM": MinistryOF COMmerce) and only an acronym the table does
    not know is rewritten.
    """
    fulls = [j for j, m in enumerate(mentions) if m.label == "ORG" and len(_norm(m.text).split()) >= 2]
    defined: dict[str, int] = {}
    for j in fulls:
        m = mentions[j]
        found = (
            re.match(r"\s*\(\s*([A-Z][A-Za-z&]{1,9})\s*\)", text[m.end : m.end + 16])
            if m.start >= 0
            else None
        )
        if found:
            defined.setdefault(found.group(1), j)
    for i, m in enumerate(mentions):
        if (
            m.label not in ("ORG", "MISC")
            or not _ACRONYM.fullmatch(m.text)
            or sum(c.isupper() for c in m.text) < 2
        ):
            continue
        if m.text in defined:
            full = mentions[defined[m.text]]
            if m.key in table.keys and full.key not in table.keys:
                _rekey(mentions, full.key, m.key)
            else:
                mentions[i] = replace(m, key=full.key, label="ORG")
        elif m.key not in table.keys:
            fits = [j for j in fulls if _acronym_fits(m.text.lower(), tuple(_norm(mentions[j].text).split()))]
            key = _pick(mentions, m.start, fits)
            if key is not None:
                mentions[i] = replace(m, key=key, label="ORG")
    return _missed_acronyms(text, mentions, {a: mentions[j] for a, j in defined.items()})


def _rekey(mentions: list[Mention], old: str, new: str) -> None:
    for k, m in enumerate(mentions):
        if m.key == old:
            mentions[k] = replace(m, key=new)


def _missed_acronyms(text: str, mentions: list[Mention], defined: dict[str, Mention]) -> list[Mention]:
    spans = [(m.start, m.end) for m in mentions]
    added: list[Mention] = []
    for acronym, full in sorted(defined.items()):
        key = next((m.key for m in mentions if m.text == acronym), full.key)
        for hit in re.finditer(rf"\b{re.escape(acronym)}\b", text):
            if not any(s < hit.end() and hit.start() < e for s, e in spans):
                added.append(Mention(hit.start(), hit.end(), acronym, "ORG", key))
    return added


@lru_cache(maxsize=4096)
def _acronym_fits(acronym: str, words: tuple[str, ...]) -> bool:
    """Whether the letters are prefixes of the words in order (stop words may be skipped)."""
    return len(acronym) >= 2 and _fits(acronym, words, started=False)


def _fits(acronym: str, words: tuple[str, ...], started: bool, skipped: bool = False) -> bool:
    if not acronym:
        return all(w in _STOP for w in words)
    if not words:
        return False
    word, rest = words[0], words[1:]
    if word in _STOP and _fits(acronym, rest, started, skipped):
        return True
    # One leading word may be left out ("Office of the" in USTR), and only by
    # an acronym of three letters or more: "EC" is not Asia-Pacific Economic Cooperation.
    if not (started or skipped) and len(acronym) >= 3 and _fits(acronym, rest, False, True):
        return True
    for k in range(min(len(word), len(acronym)), 0, -1):
        if acronym[:k] == word[:k] and _fits(acronym[k:], rest, True, skipped):
            return True
    return False


def _spelling_variants(text: str, mentions: list[Mention], table: AliasTable) -> list[Mention]:
    """Capitalised words that spell a Chinese surname of the article another way ("Shi" for "Xi")."""
    surnames: dict[str, str] = {}
    for m in mentions:
        parts = _norm(m.text).split() if m.label == "PER" and not _CJK.search(m.text) else []
        if len(parts) > 1 and all(_is_pinyin(p) for p in parts):
            for p in (parts[0], parts[-1]):
                surnames.setdefault(_translit(p), p)
    if not surnames:
        return []
    spans = [(m.start, m.end) for m in mentions]
    added: list[Mention] = []
    for hit in _CAPITALISED.finditer(text):
        word, start = hit.group(), hit.start()
        variant = _translit(word.lower())
        if variant not in surnames or surnames[variant] == word.lower() or word.lower() in table.names:
            continue
        gap = text[max(0, start - 40) : start]
        before = gap.rstrip()
        if not before or before[-1] in _SENTENCE_OPENERS or "\n" in gap[len(before) :]:
            continue  # a capital there says nothing
        if not any(s < hit.end() and start < e for s, e in spans):
            added.append(Mention(start, hit.end(), word, "PER", canonical_key(word, "PER", "en", table)))
    return added


# -- name similarity ---------------------------------------------------------


@lru_cache(maxsize=65536)
def _translit(word: str) -> str:
    w = word.lower()
    for a, b in _TRANSLIT.items():
        w = w.replace(a, b)
    return re.sub(r"(?<=[aeiou])h$", "", w)


@lru_cache(maxsize=65536)
def _is_pinyin(word: str) -> bool:
    return bool(_PINYIN.fullmatch(_translit(word)))


@lru_cache(maxsize=65536)
def _phonetic(word: str) -> str:
    """A rough sound key: consonant skeleton after the first letter ("Carolyn", "Karoline" -> "krln")."""
    w = re.sub(r"[^a-z]", "", word.lower())
    if not w:
        return ""
    for a, b in _PHONETIC:
        w = w.replace(a, b)
    w = re.sub(r"c(?=[eiy])", "s", w).replace("c", "k").replace("q", "k").replace("z", "s")
    head = "a" if w[0] in "aeiouy" else w[0]
    return re.sub(r"(.)\1+", r"\1", head + re.sub(r"[aeiouyhw]", "", w[1:]))


def _edit_budget(a: str, b: str) -> int:
    n = min(len(a), len(b))
    return 0 if n <= 3 else 1 if n <= 5 else 2


def _token_likeness(a: str, b: str) -> tuple[int, int] | None:
    """(rank, edits) when two name words may be one word: rank 0 same, 1 edits, 2 sound, 3 transliteration."""
    if a == b:
        return 0, 0
    edits = Levenshtein.distance(a, b, score_cutoff=3)
    if _is_pinyin(a) and _is_pinyin(b) and _translit(a) == _translit(b):
        return 3, edits
    budget = _edit_budget(a, b)
    if edits <= budget:
        return 1, edits
    if edits <= budget + 1 and _phonetic(a) == _phonetic(b):
        return 2, edits
    return None


_HOW = {1: "edits", 2: "sound", 3: "transliteration"}


def _name_likeness(a: tuple[str, ...], b: tuple[str, ...], label: str) -> tuple[int, str] | None:
    """(rank, how) source form ``a`` is like target form ``b``; a lower rank is closer."""
    if len(a) == 2 and a != b and a == b[::-1]:
        return 1, "order"  # Koizumi Shinjiro, Shinjiro Koizumi
    if len(a) == len(b):
        pairs = [_token_likeness(x, y) for x, y in zip(a, b, strict=True)]
        found = [p for p in pairs if p is not None]
        if len(found) < len(pairs) or a == b:
            return None
        rank = max(r for r, _ in found)
        return rank, _HOW[rank] if rank > 1 else _edits(sum(e for _, e in found))
    if label != "PER" or len(a) != 1:
        return None
    # A lone surname against a full name: Western order, or Chinese order for a pinyin name.
    ends = [b[-1], b[0]] if all(_is_pinyin(w) for w in b) else [b[-1]]
    found = [p for p in (_token_likeness(a[0], end) for end in ends) if p is not None]
    if not found:
        return None
    rank, edits = min(found)
    how = "surname" if rank == 0 else _HOW[rank] if rank > 1 else _edits(edits)
    return rank + 4, how


def _edits(n: int) -> str:
    return f"{n} edit{'s' if n > 1 else ''}"


# -- within one story --------------------------------------------------------


@dataclass
class EntityEvidence:
    """What a story says about one key: how it is written, how often, as what, and next to whom.

    ``roles`` holds ``role_key`` values; ``neighbours`` counts the keys named
    in the same sentences.
    """

    key: str
    label: str
    surfaces: Counter[str] = field(default_factory=Counter)
    count: int = 0
    roles: set[str] = field(default_factory=set)
    neighbours: Counter[str] = field(default_factory=Counter)


@dataclass
class Merge:
    """Read ``source_key`` as ``target_key`` within the story, for ``reason`` (said to the reader)."""

    source_key: str
    target_key: str
    reason: str


@dataclass(slots=True)
class _Candidate:
    target: EntityEvidence
    rank: int
    reason: str
    evidence: int


@dataclass
class _Pool:
    """One story's entities with what repair works out once per key."""

    story: dict[str, EntityEvidence]
    table: AliasTable
    merged: dict[str, Merge] = field(default_factory=dict)
    known_forms: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)

    def forms(self, e: EntityEvidence) -> list[tuple[str, ...]]:
        if e.key not in self.known_forms:
            self.known_forms[e.key] = _forms(e, self.table)
        return self.known_forms[e.key]

    def name(self, key: str) -> str:
        return _display(self.story[key], ()) if key in self.story else key.split(":", 1)[1]


def repair_names(entities: Sequence[EntityEvidence], table: AliasTable | None = None) -> list[Merge]:
    """Merges of misspelt names into established entities of the story, sorted by source key.

    Sources are person and organisation keys the alias table does not know,
    taken from the most to the least mentioned; a target is more mentioned or
    known to the table (present in the story or not), and is never itself
    merged. When two targets fit equally well the name stays as it is.
    """
    pool = _Pool({e.key: e for e in sorted(entities, key=lambda e: e.key)}, table or load_aliases())
    sources = sorted(
        (e for e in pool.story.values() if e.label in ("PER", "ORG") and e.key not in pool.table.keys),
        key=lambda e: (-e.count, e.key),
    )
    for source in sources:
        best = _best_target(source, pool)
        if best is not None:
            pool.merged[source.key] = Merge(source.key, best.target.key, best.reason)
    return sorted(pool.merged.values(), key=lambda m: m.source_key)


def _best_target(source: EntityEvidence, pool: _Pool) -> _Candidate | None:
    if not pool.forms(source):
        return None
    known = pool.table.keys
    found: list[_Candidate] = []
    for target in _targets(source, pool):
        if target.key in pool.merged or target.key == source.key or target.label != source.label:
            continue
        if not (target.key in known or target.count > source.count):
            continue
        if target.key in source.neighbours or source.key in target.neighbours:
            continue  # named in one sentence: two people
        cand = _judge(source, target, pool)
        if cand is not None:
            found.append(cand)
    found.sort(key=lambda c: (-c.evidence, c.rank, c.target.key not in known, -c.target.count, c.target.key))
    if len(found) > 1 and (found[0].evidence, found[0].rank) == (found[1].evidence, found[1].rank):
        return None
    return found[0] if found else None


def _judge(source: EntityEvidence, target: EntityEvidence, pool: _Pool) -> _Candidate | None:
    likeness = _likeness(pool.forms(source), pool.forms(target), target.label)
    if likeness is None:
        return None
    rank, how, form = likeness
    reasons = _evidence(source, target, pool)
    if not reasons:
        return None
    shown = _display(target, form)
    closeness = {
        "sound": f"sounds like '{shown}'",
        "transliteration": f"another transliteration of '{shown}'",
        "surname": f"the surname of '{shown}'",
        "order": f"'{shown}' in the other order",
    }.get(how, f"{how} from '{shown}'")
    return _Candidate(target, rank, f"{closeness} and {' and '.join(reasons)}", len(reasons))


def _likeness(
    forms: list[tuple[str, ...]], targets: list[tuple[str, ...]], label: str
) -> tuple[int, str, tuple[str, ...]] | None:
    best: tuple[int, str, tuple[str, ...]] | None = None
    for a in forms:
        for b in targets:
            found = _name_likeness(a, b, label)
            if found is not None and (
                best is None or (found[0], -len(b), b) < (best[0], -len(best[2]), best[2])
            ):
                best = (found[0], found[1], b)
    return best


def _evidence(source: EntityEvidence, target: EntityEvidence, pool: _Pool) -> list[str]:
    """Why the two could be one: a role both hold, and the people and organisations both appear with."""
    reasons = []
    listed = _listed_roles(pool.table, target.key)
    pairs = sorted(
        ((s, t) for s in source.roles for t in target.roles | listed if roles_agree(s, t)),
        key=lambda p: (p[1] not in target.roles, p),
    )
    if pairs:
        s, t = pairs[0]
        where = " (as the alias table lists it)" if t not in target.roles else ""
        reasons.append(f"same role '{min(s, t, key=len)}'{where}")
    around = {k for k in source.neighbours if k.startswith(("per:", "org:"))} - {target.key}
    shared = sorted(k for k in around if k in target.neighbours)
    if shared and 2 * len(shared) >= len(around):
        reasons.append(f"both appear with {', '.join(pool.name(k) for k in shared[:3])}")
    return reasons


@lru_cache(maxsize=4096)
def _listed_roles(table: AliasTable, key: str) -> frozenset[str]:
    return frozenset(role_key(r) for r in table.roles.get(key, []))


def _forms(e: EntityEvidence, table: AliasTable) -> list[tuple[str, ...]]:
    """Latin name forms of an entity, as word tuples: its key, its surfaces, and the table's names."""
    names = [e.key.split(":", 1)[1], *e.surfaces, *table.forms.get(e.key, [])]
    out = set()
    for raw in names:
        norm = _norm(raw)
        if e.label == "PER":
            norm = strip_places(strip_titles(norm), table) or norm
        if norm and not _CJK.search(norm):
            out.add(tuple(norm.split()))
    return sorted(out)


def _display(e: EntityEvidence, form: tuple[str, ...]) -> str:
    """How to show an entity: its most used surface that reads as ``form`` (any surface if no form)."""
    ranked = [text for text, _ in sorted(e.surfaces.items(), key=lambda kv: (-kv[1], kv[0]))]
    wanted = " ".join(form)
    fitting = [text for text in ranked if not wanted or strip_titles(_norm(text)) == wanted]
    if fitting:
        return fitting[0]
    return (wanted or e.key.split(":", 1)[1]).title()


def _targets(source: EntityEvidence, pool: _Pool) -> list[EntityEvidence]:
    """Story entities, and the table entities whose name words sound like the source's."""
    out = dict(pool.story)
    index = _table_index(pool.table)
    kind = source.key.split(":", 1)[0]
    for form in pool.forms(source):
        for word in form:
            for key in index.get(_phonetic(word), _NONE) | index.get(_translit(word), _NONE):
                if key not in out and key.split(":", 1)[0] == kind:
                    out[key] = EntityEvidence(key, source.label)
    return [out[k] for k in sorted(out)]


@lru_cache(maxsize=8)
def _table_index(table: AliasTable) -> dict[str, frozenset[str]]:
    """Sound and transliteration keys of the words of person and organisation names -> table keys."""
    index: dict[str, set[str]] = {}
    for key, names in table.forms.items():
        if not key.startswith(("per:", "org:")):
            continue
        for name in names:
            for word in name.split():
                if not _CJK.search(word):
                    index.setdefault(_phonetic(word), set()).add(key)
                    index.setdefault(_translit(word), set()).add(key)
    return {k: frozenset(v) for k, v in index.items()}
