"""Command line: parse, call the library, print. No logic lives here."""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from . import config as config_mod
from .models import IngestReport, Story
from .store import StoreError
from .views import story_row

EXIT_USAGE = 2


class CliError(Exception):
    """A message for a person, printed without a traceback."""


def _since(value: str) -> datetime:
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2025-10-30") from None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _day_arg(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {value!r} (use YYYY-MM-DD)") from None


def _day(dt: datetime | None) -> str:
    return dt.date().isoformat() if dt else "?"


def _span(first: datetime | None, last: datetime | None) -> str:
    if not first:
        return "undated"
    return _day(first) if _day(first) == _day(last) else f"{_day(first)}..{_day(last)}"


def _open(args: argparse.Namespace, create: bool = False):  # type: ignore[no-untyped-def]
    from .facade import Storyline

    try:
        return Storyline(db=args.db, create=create)
    except (StoreError, ValueError) as exc:
        raise CliError(str(exc)) from None


def _progress(total: int | None, label: str) -> tuple[Callable[[int], None], Callable[[], None]]:
    from tqdm import tqdm

    bar = tqdm(total=total, unit="doc", desc=label, disable=None, file=sys.stderr, leave=False)
    return bar.update, bar.close


def _print_report(report: IngestReport, fmt: str) -> None:
    from .pipeline import summary

    if fmt == "json":
        print(json.dumps(summary(report), ensure_ascii=False, indent=2))
        return
    for problem in report.problems:
        print(str(problem), file=sys.stderr)
    rate = f" ({report.ingested / report.seconds:.1f} articles/s)" if report.seconds else ""
    print(
        f"ingested {report.ingested} articles in {report.seconds:.1f}s{rate}: "
        f"{report.duplicates} duplicates, {report.unchanged} already stored, "
        f"{len(report.skipped)} skipped, {len(report.warnings)} warnings; "
        f"stories created {report.stories_created}, updated {report.stories_updated}"
    )


def cmd_ingest(args: argparse.Namespace) -> int:
    with _open(args, create=True) as sl:
        update, close = _progress(None, "ingest")
        try:
            report = sl.ingest(args.paths, stdin=sys.stdin.buffer, progress=update)
        finally:
            close()
        _print_report(report, args.format)
    # Nothing usable at all is a failure a script should see.
    return 1 if report.skipped and not report.ingested and not report.unchanged else 0


def _print_stories(stories: Sequence[Story], indent: str = "") -> None:
    for s in stories:
        outlets = ", ".join(s.outlets[:3]) + (f" +{len(s.outlets) - 3}" if len(s.outlets) > 3 else "")
        print(
            f"{indent}{s.id}  {s.n_articles:>3} art  {'/'.join(s.langs) or '-':<6} "
            f"{_span(s.first, s.last):<22} {s.title[:70]}" + (f"  [{outlets}]" if outlets else "")
        )


def cmd_stories(args: argparse.Namespace) -> int:
    with _open(args) as sl:
        stories = sl.stories(storyline=args.storyline, lang=args.lang, since=args.since)
        if args.format == "json":
            print(json.dumps([story_row(s) for s in stories], ensure_ascii=False, indent=2))
        elif not stories:
            print("no stories match; ingest articles with `storyline ingest PATH`", file=sys.stderr)
        else:
            _print_stories(stories)
    return 0


def cmd_storylines(args: argparse.Namespace) -> int:
    with _open(args) as sl:
        print_storylines(sl, args.format)
    return 0


def print_storylines(sl: Any, fmt: str = "table") -> None:
    lines = sl.storylines()
    stories = {s.id: s for s in sl.stories()}
    if fmt == "json":
        print(
            json.dumps(
                [
                    {
                        "id": line.id,
                        "title": line.title,
                        "articles": line.n_articles,
                        "langs": line.langs,
                        "first": line.first.isoformat() if line.first else None,
                        "last": line.last.isoformat() if line.last else None,
                        "stories": [story_row(stories[i]) for i in line.story_ids],
                    }
                    for line in lines
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    for line in lines:
        print(
            f"\n{line.id}  {line.title[:80]}\n"
            f"  {len(line.story_ids)} stories, {line.n_articles} articles, "
            f"{'/'.join(line.langs)}, {_span(line.first, line.last)}"
        )
        _print_stories([stories[i] for i in line.story_ids], indent="  ")


def cmd_show(args: argparse.Namespace) -> int:
    from .synth.writer import WriterError

    with _open(args) as sl:
        try:
            brief = sl.brief(args.story_id, lang=args.lang, writer=args.writer, today=args.today)
        except WriterError as exc:
            raise CliError(str(exc)) from None
        if brief is None:
            raise CliError(
                f"no story or storyline {args.story_id!r}; list them with `storyline stories` or `storylines`"
            )
        if args.format == "json":
            print(json.dumps(brief, ensure_ascii=False, indent=2))
        elif args.format == "html":
            from .render_html import brief_html

            print(brief_html(brief, sl.article_texts([a["id"] for a in brief["articles"]])), end="")
        else:
            from .render import brief_markdown

            print(brief_markdown(brief))
    return 0


def cmd_upcoming(args: argparse.Namespace) -> int:
    from .render import upcoming_markdown

    with _open(args) as sl:
        items = sl.upcoming(days=args.days, today=args.today)
        if args.format == "json":
            print(json.dumps(items, ensure_ascii=False, indent=2))
        else:
            print(upcoming_markdown(items) if items else f"nothing due in the next {args.days} days")
    return 0


def cmd_ingest_posts(args: argparse.Namespace) -> int:
    with _open(args, create=True) as sl:
        report = sl.ingest_posts([Path(p) for p in args.paths])
        for problem in report.problems:
            print(problem, file=sys.stderr)
        attached = ", ".join(f"{n} by {how}" for how, n in sorted(report.attached.items())) or "none"
        if args.format == "json":
            row = {k: getattr(report, k) for k in ("seen", "stored", "duplicates", "attached", "unattached")}
            print(json.dumps({**row, "problems": [str(p) for p in report.problems]}, indent=2))
        else:
            print(
                f"read {report.seen} posts: {report.stored} stored, {report.duplicates} already stored,"
                f" {len(report.problems)} skipped; attached {attached};"
                f" {report.unattached} without a story yet"
            )
    return 0


def cmd_entities(args: argparse.Namespace) -> int:
    from .render import entities_table

    with _open(args) as sl:
        if args.story and sl.story(args.story) is None:
            raise CliError(f"no story {args.story!r}; list them with `storyline stories`")
        rows = sl.entities(type_=args.type, story_id=args.story, limit=args.limit)
        if args.format == "json":
            print(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            print(entities_table(rows) if rows else "no entities")
    return 0


def cmd_entity(args: argparse.Namespace) -> int:
    from .render import entity_markdown

    with _open(args) as sl:
        view = sl.entity(args.name)
        if view is None:
            raise CliError(f"no entity matches {args.name!r}; list them with `storyline entities`")
        print(
            json.dumps(view, ensure_ascii=False, indent=2) if args.format == "json" else entity_markdown(view)
        )
    return 0


def cmd_timeline(args: argparse.Namespace) -> int:
    from .render import timeline_markdown

    with _open(args) as sl:
        if args.story and sl.story(args.story) is None:
            raise CliError(f"no story {args.story!r}; list them with `storyline stories`")
        if args.storyline and sl.storyline(args.storyline) is None:
            raise CliError(f"no storyline {args.storyline!r}; list them with `storyline storylines`")
        entries = sl.timeline(story_id=args.story, storyline_id=args.storyline, entity=args.entity)
        if args.format == "json":
            print(json.dumps(entries, ensure_ascii=False, indent=2))
        else:
            print(
                "\n".join(timeline_markdown(entries, sources=args.sources)) if entries else "no dated events"
            )
    return 0


def _at_least_one(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {value!r}")
    return int(value)


def cmd_serve(args: argparse.Namespace) -> int:
    from .web.app import serve

    cfg = config_mod.load(db=args.db)
    serve(
        cfg.db,
        host=args.host,
        port=args.port,
        api_token=cfg.api_token or None,
        read_token=cfg.read_token or None,
        workers=args.workers,
    )
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import corpus_dir

    with _open(args, create=True) as sl:
        update, close = _progress(None, "demo")
        try:
            report = sl.ingest([corpus_dir()], progress=update)
        finally:
            close()
        _print_report(report, "table")
        print_storylines(sl)
        print()
        scores = sl.demo_scores()
        print(
            f"demo corpus vs its gold labels: story B-cubed F1 {scores['event']['b3_f1']:.3f}, "
            f"storyline B-cubed F1 {scores['storyline']['b3_f1']:.3f}, "
            f"bilingual stories joined {scores['bilingual_joined']}/{scores['bilingual_total']}"
        )
        print(f"\nstored in {sl.config.db}; try `storyline stories --db {sl.config.db}`")
    if args.serve:
        from .web.app import serve

        cfg = sl.config
        serve(
            cfg.db,
            host=args.host,
            port=args.port,
            api_token=cfg.api_token or None,
            read_token=cfg.read_token or None,
        )
    else:
        print(
            f"read it in a browser: `storyline demo --serve --db {sl.config.db}`, then open http://127.0.0.1:8000/"
        )
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from .eval.clustering import EvalError, evaluate

    try:
        update, close = _progress(None, "eval")
        try:
            result = evaluate(Path(args.file), level=args.level, progress=update)
        finally:
            close()
    except EvalError as exc:
        raise CliError(str(exc)) from None
    if args.format == "json":
        print(json.dumps(result, indent=2))
    else:
        print(
            f"{result['file']} ({result['level']} level, {result['n_articles']} articles, "
            f"{result['seconds']}s): B-cubed P {result['b3_precision']:.3f} "
            f"R {result['b3_recall']:.3f} F1 {result['b3_f1']:.3f}; "
            f"pairwise F1 {result['pairwise_f1']:.3f}; "
            f"{result['n_predicted_clusters']} clusters for {result['n_gold_clusters']} gold"
        )
    return 0


def cmd_eval_timex(args: argparse.Namespace) -> int:
    from .eval.timex import EvalError, evaluate

    try:
        result = evaluate(Path(args.file))
    except EvalError as exc:
        raise CliError(str(exc)) from None
    if args.format == "json":
        print(json.dumps(result, indent=2))
    else:
        print(
            f"{args.file} ({result['n_docs']} documents, {result['n_gold']} expressions, "
            f"{result['seconds']:.1f}s): relaxed F1 {result['relaxed_f1']:.3f}, "
            f"strict F1 {result['strict_f1']:.3f}, value accuracy {result['value_accuracy']:.3f}, "
            f"value F1 {result['value_f1']:.3f}"
        )
    return 0


def cmd_eval_quotes(args: argparse.Namespace) -> int:
    from .eval.quotes import EvalError, evaluate, format_report

    try:
        result = evaluate(Path(args.file))
    except EvalError as exc:
        raise CliError(str(exc)) from None
    print(json.dumps(result, indent=2) if args.format == "json" else f"{args.file}: {format_report(result)}")
    return 0


def cmd_eval_timeline(args: argparse.Namespace) -> int:
    from .eval.timeline import EvalError, evaluate, format_report

    try:
        result = evaluate(Path(args.articles), Path(args.refs))
    except EvalError as exc:
        raise CliError(str(exc)) from None
    print(json.dumps(result, indent=2) if args.format == "json" else format_report(result))
    return 0


def cmd_eval_stance(args: argparse.Namespace) -> int:
    from .eval.stance import EvalError, evaluate, format_report

    try:
        result = evaluate(Path(args.file), split=args.split)
    except EvalError as exc:
        raise CliError(str(exc)) from None
    print(json.dumps(result, indent=2) if args.format == "json" else format_report(result))
    return 0


def cmd_settings(args: argparse.Namespace) -> int:
    for s in config_mod.SETTINGS:
        print(f"STORYLINE_{s.name.upper():<20} default {s.default!r:<16} {s.help}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    db_help = "SQLite file (default: $STORYLINE_DB, else storyline.db)"
    parser = argparse.ArgumentParser(
        prog="storyline", description="Turn raw multilingual news articles into tracked stories."
    )
    parser.add_argument(
        "--traceback", action="store_true", help="show the full traceback of an unexpected error"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, fn: Callable[[argparse.Namespace], int], help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(func=fn)
        return p

    p = add("demo", cmd_demo, "Ingest the bundled demo corpus and print what was found.")
    p.add_argument("--db", default="storyline-demo.db", help="SQLite file (default: %(default)s)")
    p.add_argument("--serve", action="store_true", help="then serve it on the web (see `storyline serve`)")
    p.add_argument(
        "--host", default="127.0.0.1", help="with --serve: address to listen on (default %(default)s)"
    )
    p.add_argument("--port", type=int, default=8000, help="with --serve: port (default %(default)s)")

    p = add("serve", cmd_serve, "Serve the web pages and the REST API (/api/v1) on a database.")
    p.add_argument("--db", help=db_help)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default %(default)s)")
    p.add_argument("--port", type=int, default=8000, help="port (default %(default)s)")
    p.add_argument(
        "--workers",
        type=_at_least_one,
        default=1,
        help="processes answering requests (default %(default)s); ingest always runs in one more",
    )

    p = add("ingest", cmd_ingest, "Ingest files and folders (.txt .md .html .json .jsonl, - for stdin).")
    p.add_argument("paths", nargs="+", help="files, folders, or - for standard input")
    p.add_argument("--db", help=db_help)
    p.add_argument("--format", choices=["table", "json"], default="table")

    p = add("stories", cmd_stories, "List stories, most recent first.")
    p.add_argument("--db", help=db_help)
    p.add_argument("--storyline", help="only stories of this storyline id")
    p.add_argument("--lang", help="only stories with articles in this language (en, zh, ...)")
    p.add_argument("--since", type=_since, help="only stories active on or after this date")
    p.add_argument("--format", choices=["table", "json"], default="table")

    p = add("storylines", cmd_storylines, "List storylines with their stories.")
    p.add_argument("--db", help=db_help)
    p.add_argument("--format", choices=["table", "json"], default="table")

    p = add(
        "show",
        cmd_show,
        "The brief of a story or storyline: cited summary, key points, timeline, people, quotes,"
        " figures, coverage, conflicting claims, commitments, reactions, related stories.",
    )
    p.add_argument("story_id", help="a story or storyline id, or an unambiguous prefix of one")
    p.add_argument("--db", help=db_help)
    p.add_argument("--format", choices=["md", "html", "json"], default="md")
    p.add_argument("--lang", choices=["en", "zh"], default="en", help="the reader's language")
    p.add_argument(
        "--writer",
        choices=["extractive", "llm"],
        default="extractive",
        help="llm: also rewrite the summary with the model at $STORYLINE_LLM_URL (checked against sources)",
    )
    p.add_argument("--today", type=_day_arg, help="judge deadlines as of this day (default: today)")

    p = add("upcoming", cmd_upcoming, "Deadlines, expiries, meetings and pledges due soon, in all stories.")
    p.add_argument("--days", type=int, default=30, help="due within this many days (default %(default)s)")
    p.add_argument("--today", type=_day_arg, help="count from this day (default: today)")
    p.add_argument("--db", help=db_help)
    p.add_argument("--format", choices=["md", "json"], default="md")

    p = add("ingest-posts", cmd_ingest_posts, "Ingest social posts (JSON Lines) and attach them to stories.")
    p.add_argument(
        "paths", nargs="+", help="JSON Lines files: text, author, posted, url, lang, reply_to, quote_of"
    )
    p.add_argument("--db", help=db_help)
    p.add_argument("--format", choices=["table", "json"], default="table")

    p = add("entities", cmd_entities, "List people, organisations and places, most mentioned first.")
    p.add_argument("--db", help=db_help)
    p.add_argument("--type", choices=["person", "organisation", "place", "other"])
    p.add_argument("--story", help="only entities of this story (id or prefix)")
    p.add_argument("--limit", type=int, default=50, help="at most this many (0: all; default %(default)s)")
    p.add_argument("--format", choices=["table", "json"], default="table")

    p = add("entity", cmd_entity, "One entity: its names in each language, roles with sources, stories.")
    p.add_argument("name", help="a name in any language or spelling seen (Bessent, 习近平) or a key")
    p.add_argument("--db", help=db_help)
    p.add_argument("--format", choices=["md", "json"], default="md")

    p = add("timeline", cmd_timeline, "Dated events merged across sources, in date order.")
    p.add_argument("story", nargs="?", help="a story id or prefix (default: everything)")
    p.add_argument("--storyline", help="all stories of this storyline")
    p.add_argument("--entity", help="only events this entity takes part in")
    p.add_argument("--sources", type=int, default=2, help="source sentences shown per entry")
    p.add_argument("--db", help=db_help)
    p.add_argument("--format", choices=["md", "json"], default="md")

    p = add("eval", cmd_eval, "Score Storyline on labelled data.")
    esub = p.add_subparsers(dest="task", required=True, metavar="TASK")
    pc = esub.add_parser("cluster", help="B-cubed and pairwise F1 of stories or storylines")
    pc.set_defaults(func=cmd_eval)
    pc.add_argument("file", help="JSON Lines in the format of ../shared/data/clustering")
    pc.add_argument("--level", choices=["event", "storyline"], help="default: event if labelled")
    pc.add_argument("--format", choices=["table", "json"], default="table")

    pt = esub.add_parser("timex", help="TempEval-3 span and value scores of temporal expressions")
    pt.set_defaults(func=cmd_eval_timex)
    pt.add_argument("file", help="JSON Lines in the format of ../shared/data/timex")
    pt.add_argument("--format", choices=["table", "json"], default="table")

    pq = esub.add_parser("quotes", help="PolNeAR-style content, cue and source scores of quotations")
    pq.set_defaults(func=cmd_eval_quotes)
    pq.add_argument("file", help="JSON Lines in the format of ../shared/data/quotes")
    pq.add_argument("--format", choices=["table", "json"], default="table")

    pl = esub.add_parser("timeline", help="date F1 and ROUGE of timelines built from articles (ML-Crisis)")
    pl.set_defaults(func=cmd_eval_timeline)
    pl.add_argument("articles", help="articles, JSON Lines in the format of ../shared/data/timelines")
    pl.add_argument("refs", help="reference timelines, JSON Lines")
    pl.add_argument("--format", choices=["table", "json"], default="table")

    ps = esub.add_parser("stance", help="accuracy and macro-F1 of the reaction (stance) classifier")
    ps.set_defaults(func=cmd_eval_stance)
    ps.add_argument("file", help="labelled posts, JSON Lines (text, lang, label[, split])")
    ps.add_argument("--split", help="only posts of this split (dev, test)")
    ps.add_argument("--format", choices=["table", "json"], default="table")

    add("settings", cmd_settings, "List every setting with its default and environment variable.")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except CliError as exc:
        print(f"storyline: error: {exc}", file=sys.stderr)
        return 1
    except (sqlite3.Error, StoreError) as exc:
        print(
            f"storyline: database error: {exc}; every batch committed before it is kept",
            file=sys.stderr,
        )
        return 1
    except BrokenPipeError:
        # The reader went away (`storyline stories | head`): not an error.
        # Point stdout at /dev/null so the interpreter's final flush is quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        print(f"storyline: error: {exc.strerror or exc} ({exc.filename or 'no file'})", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("storyline: interrupted; committed batches are kept, re-run to finish", file=sys.stderr)
        return 130
    except Exception as exc:
        if args.traceback:
            raise
        print(
            f"storyline: unexpected error: {type(exc).__name__}: {exc}; committed batches are "
            "kept (run again with --traceback to see where it happened, and report it)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
