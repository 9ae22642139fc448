"""The per-article language stages and how a batch goes through them.

These stages are pure (no store, no state beyond loaded models): they run in
the main process or in a worker process, and could run on a distributed
engine. Each declares what it needs and adds; the order is checked when the
stages are built. A stage that fails on a batch is retried one article at a
time, so one poisonous article is reported and dropped while the rest of the
batch goes on.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import understand
from .models import Article, Problem
from .nlp.aliases import load_aliases
from .nlp.entities import EntityTagger
from .text.lang import tag_languages
from .text.sentences import split_sentences
from .text.terms import add_terms

# Fields an Article has when it leaves extraction.
EXTRACTED = frozenset({"text", "paragraphs", "title", "published"})


@dataclass(frozen=True, slots=True)
class Stage:
    name: str
    run: Callable[[list[Article]], None]
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    # Syndicated copies are shown but never clustered: the expensive stages
    # that only feed clustering skip them.
    copies_too: bool = False
    # What an optional stage adds is extra: an article it fails on is stored
    # without it (with a warning) instead of being dropped.
    optional: bool = False


@dataclass(slots=True)
class Annotated:
    """What a batch brings back from the stages."""

    articles: list[Article]
    problems: list[Problem] = field(default_factory=list)
    failed: set[str] = field(default_factory=set)
    seconds: dict[str, float] = field(default_factory=dict)


def _each(fn: Callable[[Article], None]) -> Callable[[list[Article]], None]:
    def run(articles: list[Article]) -> None:
        for a in articles:
            fn(a)

    return run


def build_stages(entity_chars: int, aliases: str = "") -> list[Stage]:
    """The per-article stages in order; ``aliases`` is a user alias file added to the bundled one."""
    table = load_aliases(Path(aliases) if aliases else None)
    tagger = EntityTagger(table)
    stages = [
        Stage("language", _each(tag_languages), ("text", "paragraphs"), ("lang",), True),
        Stage("sentences", _each(split_sentences), ("lang",), ("sentences",), True),
        Stage(
            "entities",
            lambda arts: tagger.tag(arts, max_chars=entity_chars),
            ("lang",),
            ("mentions",),
        ),
        Stage("terms", add_terms, ("text",), ("terms",)),
        Stage(
            "names",
            _each(lambda a: understand.link_names(a, table)),
            ("sentences", "mentions"),
            ("roles",),
            optional=True,
        ),
        Stage(
            "dates", _each(understand.add_timexes), ("text", "published", "lang"), ("timexes",), optional=True
        ),
        Stage("quotes", _each(understand.add_quotes), ("sentences", "roles"), ("quotes",), optional=True),
        Stage("figures", _each(understand.add_figures), ("sentences",), ("figures",), optional=True),
        Stage("events", _each(understand.add_events), ("timexes", "roles"), ("events",), optional=True),
    ]
    check_order(stages)
    return stages


def check_order(stages: Sequence[Stage], have: frozenset[str] = EXTRACTED) -> None:
    """Fail at start-up, not mid-stream, when a stage runs before what it needs."""
    known = set(have)
    for stage in stages:
        missing = [r for r in stage.requires if r not in known]
        if missing:
            raise RuntimeError(f"stage {stage.name!r} needs {missing} before it runs")
        known.update(stage.assigns)


def annotate(stages: Sequence[Stage], articles: list[Article]) -> Annotated:
    """Run ``articles`` through ``stages``; articles a stage cannot handle are dropped."""
    out = Annotated(articles)
    for stage in stages:
        started = time.perf_counter()
        _apply(stage, out)
        out.seconds[stage.name] = time.perf_counter() - started
    return out


def _apply(stage: Stage, out: Annotated) -> None:
    todo = [a for a in out.articles if a.id not in out.failed and (stage.copies_too or a.dup_of is None)]
    try:
        stage.run(todo)
        return
    except Exception:
        pass
    for a in todo:
        try:
            stage.run([a])
        except Exception as exc:
            if stage.optional:
                out.problems.append(
                    Problem(a.origin, f"{stage.name} failed, stored without them: {exc!r}", fatal=False)
                )
                continue
            out.failed.add(a.id)
            out.problems.append(Problem(a.origin, f"{stage.name} failed: {exc}"))
    for a in out.articles:
        if a.dup_of in out.failed and a.id not in out.failed:
            out.failed.add(a.id)
            out.problems.append(Problem(a.origin, f"copy of {a.dup_of}, which failed"))
