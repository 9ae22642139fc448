"""Canonical, language-independent entity keys (``per:xi jinping``, ``loc:busan``).

The key is what links English and Chinese coverage of one event, so the same
person must get the same key however an outlet writes the name: 习近平,
習近平, "Xi Jinping", "President Xi", "China's Xi". Three sources, in order:

1. the bundled alias table ``data/aliases.tsv`` (plus an optional user file),
   matched on a normalised form of the surface (``fold`` + punctuation rules);
2. for unknown Chinese names, pinyin with the surname first, which is how
   English writes Chinese names (习近平 -> ``xi jinping``);
3. otherwise the normalised surface itself.

Alias file format: UTF-8 TSV with a header ``key<TAB>type<TAB>names``, or
``key<TAB>type<TAB>names<TAB>roles``. ``type`` is ``per``, ``org``, ``loc``,
``misc`` or ``adj`` (a demonym: "Chinese" -> the country, counted as ``loc``
only for nationality-like mentions). ``names`` are ``|``-separated surface
forms; a leading ``~`` marks a form that is only looked up, never scanned for
in running text (小米 is also millet, 高市 hides in 提高市场). The optional
``roles`` column lists, ``|``-separated, the offices a person holds (the
bundled table is a 2025 snapshot); name repair takes a role shared with a
misspelt name as evidence (``storyline.nlp.canon``). Rows in a user file add
names and roles to an existing key or add new keys; a name listed again
points to the later row.

The table lists real names and their genuine alternatives (official
romanisations, Chinese and traditional forms, common short forms), never
misspellings: those are repaired from evidence within a story.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from storyline.text.normalize import fold

__all__ = [
    "DEFAULT_ALIASES",
    "AliasTable",
    "canonical_key",
    "label_of",
    "load_aliases",
    "normalize_name",
    "pinyin_name",
    "place_words",
    "strip_places",
    "strip_titles",
]

DEFAULT_ALIASES = Path(__file__).parent / "data" / "aliases.tsv"

_PREFIX = {"PER": "per", "PERSON": "per", "ORG": "org", "LOC": "loc", "GPE": "loc", "FAC": "loc"}
_LABEL = {"per": "PER", "org": "ORG", "loc": "LOC", "misc": "MISC"}
_NATIONALITY_LABELS = frozenset({"NORP", "GPE", "LOC", "MISC"})

_DOTS = re.compile(r"[·・•‧∙⋅･]")
_APOS = re.compile(r"[’‘`´]")
_POSSESSIVE = re.compile(r"'s?(?=\s|$)")
_EDGE_PUNCT = " \t\n\"'“”‘’()[]{}<>«»「」『』《》,.;:!?，。；：！？、"
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that precede a name but are not part of it: "US President Donald
# Trump", "Secretary of State Marco Rubio", "Chinese Vice-Premier He Lifeng".
_EN_TITLES = _words(
    """president presidentelect vice premier vicepremier prime minister ministers secretary
    state treasury commerce defense defence war foreign finance trade economy home interior
    press general chancellor chairman chairwoman chair ceo cfo founder cofounder
    spokesperson spokesman spokeswoman ambassador envoy representative rep senator sen
    congressman congresswoman governor gov mayor king queen prince princess pope emperor
    empress crown mr mrs ms mx dr prof sir dame lord lady gen admiral adm col capt lt
    director head chief leader supreme deputy former then acting incoming outgoing elect
    us uk eu un of the and for to chinese american japanese korean russian ukrainian british
    french german indian taiwanese south north speaker justice judge attorney adviser advisor
    national security counselor lawmaker comrade sec commissioner trader strategist analyst
    economist governorelect secretarygeneral directorgeneral managing executive officer
    central bank party house white top senior"""
)
_ZH_TITLES = sorted(
    _words(
        """国家主席 主席 副主席 总统 副总统 当选总统 前总统 总理 副总理 首相 前首相 外长 外交部长
    部长 副部长 财长 财政部长 商务部长 国防部长 防长 国务卿 发言人 大使 总书记 委员长 议长
    先生 女士 贸易代表 新闻秘书 首席执行官 董事长 创始人 行长 总裁 主任 秘书长 总干事 教宗
    国王 女王 天皇 王储 总督 州长 市长 参议员 众议员 将军 特使 顾问 谈判代表 首席谈判代表
    白宫新闻秘书 国务委员 常委"""
    ),
    key=len,
    reverse=True,
)
_ZH_PLACE_SUFFIX = ("省", "市", "县", "自治区")

# Two-character surnames, and surnames whose usual reading differs from the
# one pypinyin picks for the character in running text.
_COMPOUND_SURNAMES = _words(
    """欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 令狐 夏侯 轩辕 端木 西门
    南宫 独孤 澹台 公冶 宗政 濮阳 太史 申屠 闻人 万俟 钟离 赫连 拓跋 呼延 百里 东郭"""
)
_SURNAME_READING = {
    "单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "区": "ou", "朴": "piao",
    "查": "zha", "缪": "miao", "翟": "zhai", "乐": "yue", "盖": "ge", "覃": "qin",
    "秘": "bi", "尉": "wei", "柏": "bai", "褚": "chu", "召": "shao", "华": "hua",
    "任": "ren", "沈": "shen", "长孙": "zhangsun", "尉迟": "yuchi", "万俟": "moqi",
    "澹台": "tantai", "重": "chong", "种": "chong", "燕": "yan", "繁": "po",
}  # fmt: skip


def normalize_name(surface: str) -> str:
    """The lookup form of a surface: folded, accents, dots, hyphens and possessives removed."""
    s = _APOS.sub("'", fold(surface)).strip(_EDGE_PUNCT)
    if _CJK.search(s):
        # 唐纳德·特朗普, 唐纳德特朗普 and 唐纳德.特朗普 are one name.
        s = _DOTS.sub("", s)
        s = re.sub(r"(?<=[\u3400-\u9fff])[\s.]+(?=[\u3400-\u9fff])", "", s)
    s = "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch))
    s = _POSSESSIVE.sub("", s)
    s = s.replace(".", "").replace("-", "").replace("‐", "").replace("–", " ")
    s = re.sub(r"\s+", " ", s).strip(_EDGE_PUNCT)
    if s.startswith("the "):
        s = s[4:]
    return s


def strip_titles(name: str) -> str:
    """Drop leading titles from a normalised name ("us president donald trump" -> "donald trump").

    Chinese titles are removed at either end ("美国总统特朗普", "特朗普总统").
    Returns ``""`` when nothing but titles is left.
    """
    if _CJK.search(name):
        s = name
        changed = True
        while changed and s:
            changed = False
            for title in _ZH_TITLES:
                i = s.find(title)
                if i >= 0 and (s.endswith(title) or i <= 4):
                    # "美国总统特朗普": a title near the start carries its country with it.
                    s = s[:i] + s[i + len(title) :] if s.endswith(title) else s[i + len(title) :]
                    changed = True
                    break
        return s.strip()
    words = name.split()
    while words and words[0] in _EN_TITLES:
        words.pop(0)
    return " ".join(words)


def pinyin_name(name: str) -> str:
    """Pinyin of a Chinese person name, surname first: 习近平 -> "xi jinping".

    Transliterated foreign names (with a middle dot or longer than four
    characters) become one word per part: 唐纳德·特朗普 -> "tangnade telangpu".
    """
    from pypinyin import lazy_pinyin

    parts = [p for p in _DOTS.split(fold(name)) if p]
    if len(parts) > 1 or len(name) > 4:
        return " ".join("".join(lazy_pinyin(p)) for p in parts)
    name = parts[0] if parts else name
    n = 2 if name[:2] in _COMPOUND_SURNAMES and len(name) > 2 else 1
    surname, given = name[:n], name[n:]
    sur = _SURNAME_READING.get(surname) or "".join(lazy_pinyin(surname))
    return f"{sur} {''.join(lazy_pinyin(given))}".strip()


# eq=False: tables are compared (and cached) by identity.
@dataclass(slots=True, eq=False)
class AliasTable:
    """Normalised surface -> (type, key); ``scan`` holds the forms safe to look for in text.

    ``forms`` and ``roles`` are by full key (``per:scott bessent``): the
    normalised names of the entity and the offices the table lists for it.
    """

    names: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    scan: dict[str, tuple[str, str]] = field(default_factory=dict)
    keys: set[str] = field(default_factory=set)
    forms: dict[str, list[str]] = field(default_factory=dict)
    roles: dict[str, list[str]] = field(default_factory=dict)

    def add_file(self, path: Path) -> None:
        with open(path, encoding="utf-8") as f:
            header = f.readline().rstrip("\n").split("\t")
            if header[:3] != ["key", "type", "names"]:
                raise ValueError(f"{path}: the header must be 'key<TAB>type<TAB>names'")
            for lineno, line in enumerate(f, start=2):
                line = line.rstrip("\n")
                if not line.strip() or line.startswith("#"):
                    continue
                cols = line.split("\t")
                if len(cols) < 3 or cols[1] not in ("per", "org", "loc", "misc", "adj"):
                    raise ValueError(f"{path}:{lineno}: expected key, type, names")
                roles = [r.strip() for r in cols[3].split("|") if r.strip()] if len(cols) > 3 else []
                self.add(cols[0].strip(), cols[1], cols[2].split("|"), roles)

    def add(self, key: str, type_: str, names: list[str], roles: list[str] | None = None) -> None:
        key = normalize_name(key) or key
        full = f"{'loc' if type_ == 'adj' else type_}:{key}"
        self.keys.add(full)
        if roles:
            held = self.roles.setdefault(full, [])
            held.extend(r for r in roles if r not in held)
        for raw in [key, *names]:
            raw = raw.strip()
            scannable = not raw.startswith("~") and raw != key
            norm = normalize_name(raw.lstrip("~"))
            if not norm:
                continue
            if type_ != "adj" and norm not in self.forms.setdefault(full, []):
                self.forms[full].append(norm)
            entries = [e for e in self.names.get(norm, []) if e[0] != type_]
            self.names[norm] = [(type_, key), *entries]
            if scannable and type_ != "adj":
                self.scan[raw] = (type_, key)

    def lookup(self, norm: str, label: str = "") -> tuple[str, str] | None:
        """(type, key) for a normalised surface, preferring the entry that fits ``label``."""
        entries = self.names.get(norm)
        if not entries:
            return None
        want = _PREFIX.get(label.upper())
        for type_, key in entries:
            if type_ == "adj":
                if label.upper() in _NATIONALITY_LABELS or len(entries) == 1:
                    return ("loc" if label.upper() in _NATIONALITY_LABELS else "misc", key)
                continue
            if want is None or type_ == want:
                return type_, key
        type_, key = entries[0]
        return ("misc" if type_ == "adj" else type_), key


@lru_cache(maxsize=8)
def _load(extra: str | None) -> AliasTable:
    table = AliasTable()
    table.add_file(DEFAULT_ALIASES)
    if extra:
        table.add_file(Path(extra))
    return table


def load_aliases(extra: Path | None = None) -> AliasTable:
    """The bundled alias table, with the rows of ``extra`` added on top (cached per path)."""
    return _load(str(extra) if extra else None)


def label_of(key: str) -> str:
    """Coarse label of a key: ``per:...`` -> ``PER`` (``MISC`` for anything else)."""
    return _LABEL.get(key.split(":", 1)[0], "MISC")


def _joined_pinyin(text: str) -> str:
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(text))


@lru_cache(maxsize=8)
def place_words(table: AliasTable) -> frozenset[str]:
    """Words of the Latin place names and demonyms in ``table`` ("south", "korea", "chinese", "us")."""
    words: set[str] = set()
    for norm, entries in table.names.items():
        if not _CJK.search(norm) and any(t in ("loc", "adj") for t, _ in entries):
            words.update(norm.split())
    return frozenset(words - {"of", "the", "and", "to", "for"})


def strip_places(name: str, table: AliasTable) -> str:
    """Drop a leading place or demonym from a normalised person name: "china xi" -> "xi"."""
    if _CJK.search(name):
        return name
    words = name.split()
    for n in (3, 2, 1):
        if len(words) > n:
            entries = table.names.get(" ".join(words[:n]), [])
            if any(t in ("loc", "adj") for t, _ in entries):
                return " ".join(words[n:])
    return name


@lru_cache(maxsize=65536)
def _canonical(surface: str, label: str, lang: str, table: AliasTable) -> str:
    norm = normalize_name(surface)
    label = label.upper()
    prefix = _PREFIX.get(label, "misc")
    hit = table.lookup(norm, label)
    if hit is None and prefix in ("per", "misc"):
        # Titles only precede people; stripping them from an organisation
        # ("Japan's Foreign Ministry") would turn it into another one.
        bare = strip_places(strip_titles(norm), table)
        if bare and bare != norm:
            hit = table.lookup(bare, label)
            norm = bare
    if hit is not None:
        return f"{hit[0]}:{hit[1]}"
    if _CJK.search(norm):
        if prefix == "per" and 2 <= len(norm) <= 8:
            return f"per:{pinyin_name(norm)}"
        if prefix == "loc":
            for suffix in _ZH_PLACE_SUFFIX:
                if norm.endswith(suffix) and len(norm) - len(suffix) >= 2:
                    hit = table.lookup(norm[: -len(suffix)], label)
                    if hit:
                        return f"{hit[0]}:{hit[1]}"
                    norm = norm[: -len(suffix)]
                    break
            # Chinese place names are romanised in English as joined pinyin
            # (深圳 -> Shenzhen), so this meets the English mention.
            return f"loc:{_joined_pinyin(norm)}"
    return f"{prefix}:{norm}"


def canonical_key(surface: str, label: str, lang: str = "und", table: AliasTable | None = None) -> str:
    """Language-independent key for an entity mention.

    ``label`` is a coarse label (PER, ORG, LOC, MISC) or a spaCy label (PERSON,
    GPE, NORP ...); it picks the prefix for names the table does not know and
    breaks ties between table entries. Demonyms ("Chinese") map to the country
    only for nationality-like labels (NORP, GPE, LOC).
    """
    return _canonical(surface, label, lang, table if table is not None else load_aliases())
