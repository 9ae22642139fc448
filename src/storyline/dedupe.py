"""Exact and near-duplicate detection with MinHash LSH.

Syndicated copies (a wire story re-published with another header, byline or
footer, a sentence changed) link to the first copy seen and count once.
Shingles are word 5-grams for space-delimited scripts and character 4-grams
for Han text, where words are not delimited.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import numpy as np
from datasketch import MinHash, MinHashLSH

from .models import Article

NUM_PERM = 128
# Named explicitly: stored signatures must be read back with the scheme that
# made them (datasketch 2 refuses to guess).
SCHEME = "affine32"
_HAN = re.compile(r"[\u3400-\u9fff]")
_TOKEN = re.compile(r"\w+", re.UNICODE)


def shingles(text: str) -> set[bytes]:
    text = unicodedata.normalize("NFKC", text).lower()
    han = len(_HAN.findall(text))
    if han > len(text) * 0.3:
        chars = "".join(ch for ch in text if ch.isalnum())
        return {chars[i : i + 4].encode() for i in range(max(1, len(chars) - 3))}
    words = _TOKEN.findall(text)
    return {" ".join(words[i : i + 5]).encode() for i in range(max(1, len(words) - 4))}


def signature(article: Article) -> MinHash:
    mh = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    mh.update_batch(list(shingles(article.text)))
    return mh


def to_bytes(mh: MinHash) -> bytes:
    return np.asarray(mh.hashvalues, dtype=np.uint32).tobytes()


def from_bytes(data: bytes) -> MinHash:
    return MinHash(num_perm=NUM_PERM, hashvalues=np.frombuffer(data, dtype=np.uint32), scheme=SCHEME)


class Deduper:
    """Remembers originals; answers which earlier article a new one copies."""

    def __init__(self, threshold: float) -> None:
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._sigs: dict[str, MinHash] = {}
        self._order: dict[str, int] = {}

    def load(self, stored: Iterable[tuple[str, bytes]]) -> None:
        for article_id, data in stored:
            self.add(article_id, from_bytes(data))

    def add(self, article_id: str, mh: MinHash) -> None:
        if article_id in self._sigs:
            return
        self._lsh.insert(article_id, mh)
        self._sigs[article_id] = mh
        self._order[article_id] = len(self._order)

    def forget(self, article_id: str) -> None:
        """Drop an article that was registered but never stored."""
        if self._sigs.pop(article_id, None) is not None:
            self._lsh.remove(article_id)
            del self._order[article_id]

    def original_of(self, mh: MinHash) -> str | None:
        """The earliest stored article this signature copies, if any."""
        hits = [k for k in self._lsh.query(mh) if self._sigs[k].jaccard(mh) >= self.threshold]
        return min(hits, key=self._order.__getitem__) if hits else None
