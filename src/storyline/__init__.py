"""Storyline: raw multilingual news articles in, tracked and cited stories out.

from storyline import Storyline
sl = Storyline(db="news.db")
report = sl.ingest(["articles/"])
for story in sl.stories():
    print(story.title, len(story.article_ids))
"""

from .facade import Storyline
from .models import (
    Article,
    IngestReport,
    Mention,
    Paragraph,
    Problem,
    RawDocument,
    Sentence,
    Story,
)
from .models import Storyline as StorylineThread

__all__ = [
    "Article",
    "IngestReport",
    "Mention",
    "Paragraph",
    "Problem",
    "RawDocument",
    "Sentence",
    "Story",
    "Storyline",
    "StorylineThread",
]
