"""Folding for matching: one comparable form for the many ways a name is written.

``fold`` is for keys and lookups only, never for display: it applies NFKC
(full-width letters and digits become half-width), Traditional -> Simplified
Chinese and lower-casing, so that ``習近平``, ``习近平`` and ``ＡＰＥＣ`` meet
their plain forms.

``fold_aligned`` gives the same result but keeps one output character per
input character, so that offsets found in the folded text are offsets in the
original (the entity gazetteer scans folded text and reports spans).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any

__all__ = ["fold", "fold_aligned", "to_simplified"]


@lru_cache(maxsize=1)
def _converter() -> Any:
    # Imported lazily: OpenCC loads its dictionaries on construction (~30 ms).
    import opencc

    return opencc.OpenCC("t2s")


def _has_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text)


def to_simplified(text: str) -> str:
    """Traditional -> Simplified Chinese; text without Han characters is returned as is."""
    if not _has_cjk(text):
        return text
    return str(_converter().convert(text))


def fold(text: str) -> str:
    """NFKC, Traditional -> Simplified, lower-case. For matching only."""
    return to_simplified(unicodedata.normalize("NFKC", text)).lower()


class _FoldTable(dict[int, str]):
    """``str.translate`` table that folds each character the first time it is met."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        folded = fold(ch)
        # Some characters expand (ﬁ -> fi, ① -> 1) or vanish; keep them as they
        # were so that the output stays aligned with the input.
        self[code] = value = folded if len(folded) == 1 else ch
        return value


_FOLD_TABLE = _FoldTable()


def fold_aligned(text: str) -> str:
    """``fold`` with ``len(result) == len(text)``, character for character."""
    if text.isascii():
        return text.lower()
    # Not the whole-string fold even when the lengths agree: one character
    # that expands and another that vanishes would shift every offset between.
    return text.translate(_FOLD_TABLE)
