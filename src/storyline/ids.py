"""Stable ids: the same input always gets the same id."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_SPACE = re.compile(r"\s+")


def _digest(*parts: str) -> str:
    h = hashlib.blake2b(digest_size=8)
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()


def article_id(url: str | None, text: str) -> str:
    """From the URL when there is one, else from the normalised body.

    Whitespace and Unicode form are folded first so that re-saving a file with
    other line endings does not make a new article.
    """
    if url:
        return "a" + _digest("url", url.strip())
    norm = _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()
    return "a" + _digest("text", norm)


def story_id(first_article_id: str) -> str:
    """A story is named after the article that opened it, so it keeps its id as it grows."""
    return "s" + _digest("story", first_article_id)[:12]


def storyline_id(first_story_id: str) -> str:
    return "l" + _digest("storyline", first_story_id)[:12]
