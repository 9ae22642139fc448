"""Background document frequencies, so the first articles are weighted well.

IDF learnt from the stream alone is blind at the start: in a folder of five
articles on one topic, "trade" and "tariff" look as rare as the names that
tell the events apart. ``wordfreq`` (word frequencies for many languages,
bundled in its wheel) stands in for a large background corpus: a term with
frequency ``f`` is taken to appear in a share ``1 - exp(-f * L)`` of
documents of ``L`` words.
"""

from __future__ import annotations

import math
import re
from functools import cache

DOC_WORDS = 400
_HAN = re.compile(r"[\u3400-\u9fff]")


@cache
def _tables() -> tuple[dict[str, float], dict[str, float]]:
    from wordfreq import get_frequency_dict

    return get_frequency_dict("en"), get_frequency_dict("zh")


def _frequency(phrase: str) -> float:
    en, zh = _tables()
    table = zh if _HAN.search(phrase) else en
    words = phrase.split()
    freqs = [table.get(w, 0.0) for w in words]
    if not words or not all(freqs):
        return 0.0
    # A phrase is rarer than each of its words (wordfreq combines them so too).
    return 1.0 / sum(1.0 / f for f in freqs)


def background_share(term: str) -> float:
    """Estimated share of news documents that contain ``term`` (0 when unknown)."""
    return 1.0 - math.exp(-_frequency(term) * DOC_WORDS)
