"""Numbered schema migrations, applied in order and recorded in ``migrations``.

Each is applied in its own transaction; a database is never left half
migrated. Add new ones at the end; never edit one that has shipped.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

MIGRATIONS: tuple[tuple[str, str], ...] = (
    (
        "m001_initial",
        """
        CREATE TABLE articles (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            origin TEXT NOT NULL,
            url TEXT,
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            published TEXT,
            outlet TEXT,
            lang TEXT NOT NULL,
            langs TEXT NOT NULL,
            paragraphs TEXT NOT NULL,
            sentences TEXT NOT NULL,
            terms TEXT NOT NULL,
            embedding BLOB,
            minhash BLOB,
            dup_of TEXT REFERENCES articles(id),
            story_id TEXT REFERENCES stories(id),
            warnings TEXT NOT NULL DEFAULT '[]',
            ingested TEXT NOT NULL
        );
        CREATE INDEX articles_story ON articles(story_id);
        CREATE INDEX articles_published ON articles(published);
        CREATE INDEX articles_dup ON articles(dup_of);

        CREATE TABLE mentions (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,
            label TEXT NOT NULL,
            key TEXT NOT NULL
        );
        CREATE INDEX mentions_article ON mentions(article_id);
        CREATE INDEX mentions_key ON mentions(key);

        CREATE TABLE storylines (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            first TEXT,
            last TEXT,
            n_stories INTEGER NOT NULL DEFAULT 0,
            n_articles INTEGER NOT NULL DEFAULT 0,
            langs TEXT NOT NULL DEFAULT '[]',
            created TEXT NOT NULL,
            updated TEXT NOT NULL
        );

        CREATE TABLE stories (
            id TEXT PRIMARY KEY,
            storyline_id TEXT NOT NULL REFERENCES storylines(id),
            title TEXT NOT NULL,
            first TEXT,
            last TEXT,
            n_articles INTEGER NOT NULL DEFAULT 0,
            langs TEXT NOT NULL DEFAULT '[]',
            outlets TEXT NOT NULL DEFAULT '[]',
            created TEXT NOT NULL,
            updated TEXT NOT NULL
        );
        CREATE INDEX stories_storyline ON stories(storyline_id);
        CREATE INDEX stories_last ON stories(last);

        CREATE TABLE ingest_runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            started TEXT NOT NULL,
            finished TEXT,
            report TEXT
        );
        """,
    ),
)


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply the migrations this database lacks; return their names."""
    conn.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied TEXT NOT NULL)")
    applied = []
    for name, sql in MIGRATIONS:
        if _done(conn, name):
            continue
        # executescript commits implicitly, so the script carries its own
        # transaction; IMMEDIATE makes a second process opening the same new
        # database wait for the first instead of racing it.
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        try:
            conn.executescript(
                f"BEGIN IMMEDIATE;\n{sql}\nINSERT INTO migrations VALUES ('{name}', '{stamp}');\nCOMMIT;"
            )
        except sqlite3.Error:
            if conn.in_transaction:
                conn.rollback()
            if _done(conn, name):  # another process applied it meanwhile
                continue
            raise
        applied.append(name)
    return applied


def _done(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM migrations WHERE name = ?", (name,)).fetchone() is not None
