"""Content terms for lexical similarity, in any script.

Han runs are segmented with jieba and folded to Simplified Chinese; other
scripts are split on word boundaries, lower-cased, stop words dropped and a
light plural stemming applied. Title terms count extra: a headline names the
event.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from functools import cache

from ..models import Article
from .normalize import to_simplified

_HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[^\W\d_][\w'’-]*[\w]|[^\W\d_]", re.UNICODE)
TITLE_WEIGHT = 3


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Function words and newsroom filler; content words that merely recur in news
# ("said", "reported") are left to IDF.
_EN_STOP = _words(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your yours
    yourself yourselves said says say told according would could may might must shall also
    one two three new first last year years week weeks day days time mr mrs ms via per its
    s t don didn doesn isn wasn weren won wouldn couldn shouldn hasn haven hadn get got
    like just even still well much many make made including since around within without
    http https www com html htm"""
)
_ZH_STOP = _words(
    """的 了 和 是 在 也 有 就 都 而 及 与 着 或 一个 没有 我们 你们 他们 她们 它们 这 那 这个
    那个 这些 那些 之 为 对 以 于 将 把 被 让 从 向 到 由 上 下 中 其 该 并 等 但 又 更 还 很
    所 如果 因为 所以 可以 已经 表示 认为 进行 相关 目前 此前 今天 昨天 记者 报道 新闻 消息
    称 说 据 日 月 年 时 后 前 个 名 位 次 方面 问题 情况 工作 通过 同时 以及 一些 这样
    其中 不 人 会 要 能 地 得 我 你 他 她 它"""
)


@cache
def _jieba():  # type: ignore[no-untyped-def]
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def _stem(word: str) -> str:
    # Plural and possessive endings only: enough to join "tariffs"/"tariff"
    # without the damage a full stemmer does to names.
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """Content tokens of ``text``, in order."""
    out: list[str] = []
    pos = 0
    for m in _HAN_RUN.finditer(text):
        out.extend(_latin_tokens(text[pos : m.start()]))
        run = to_simplified(m.group())
        out.extend(w for w in _jieba().lcut(run) if len(w) > 1 and w not in _ZH_STOP)
        pos = m.end()
    out.extend(_latin_tokens(text[pos:]))
    return out


def _latin_tokens(text: str) -> list[str]:
    words = (w.lower() for w in _WORD.findall(text))
    return [_stem(w) for w in words if len(w) > 1 and w not in _EN_STOP]


def article_terms(article: Article, max_chars: int = 4000) -> dict[str, int]:
    """Term counts of the title (weighted) and the first ``max_chars`` of the body."""
    counts: Counter[str] = Counter(tokens(article.text[:max_chars]))
    for term in tokens(article.title):
        counts[term] += TITLE_WEIGHT
    return dict(counts)


def add_terms(articles: list[Article], max_chars: int = 4000) -> None:
    for article in articles:
        article.terms = article_terms(article, max_chars)
