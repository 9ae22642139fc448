"""Per-article language processing: entities with canonical cross-lingual keys.

Nothing here loads a model at import time; ``EntityTagger`` loads spaCy and LAC
on first use.
"""

from storyline.nlp.aliases import AliasTable, canonical_key, load_aliases
from storyline.nlp.entities import EntityTagger, is_title_mention, mention_source

__all__ = [
    "AliasTable",
    "EntityTagger",
    "canonical_key",
    "is_title_mention",
    "load_aliases",
    "mention_source",
]
