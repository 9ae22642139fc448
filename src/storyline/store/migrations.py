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
    (
        "m002_understanding",
        """
        CREATE TABLE roles (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            role TEXT NOT NULL,
            role_key TEXT NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL
        );
        CREATE INDEX roles_article ON roles(article_id);
        CREATE INDEX roles_key ON roles(key);

        CREATE TABLE timexes (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,
            type TEXT NOT NULL,
            value TEXT NOT NULL,
            mod TEXT
        );
        CREATE INDEX timexes_article ON timexes(article_id);

        CREATE TABLE quotes (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            cue TEXT NOT NULL,
            cue_start INTEGER NOT NULL,
            cue_end INTEGER NOT NULL,
            source TEXT,
            source_start INTEGER,
            source_end INTEGER,
            speaker_key TEXT
        );
        CREATE INDEX quotes_article ON quotes(article_id);
        CREATE INDEX quotes_speaker ON quotes(speaker_key);

        CREATE TABLE figures (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,
            kind TEXT NOT NULL,
            value REAL NOT NULL,
            unit TEXT NOT NULL,
            what TEXT,
            what_start INTEGER,
            what_end INTEGER,
            ticker TEXT,
            change TEXT
        );
        CREATE INDEX figures_article ON figures(article_id);

        CREATE TABLE events (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            trigger TEXT NOT NULL,
            trigger_start INTEGER NOT NULL,
            trigger_end INTEGER NOT NULL,
            predicate TEXT NOT NULL,
            date TEXT NOT NULL,
            date_end TEXT,
            timex_start INTEGER NOT NULL,
            timex_end INTEGER NOT NULL,
            modality TEXT NOT NULL,
            participants TEXT NOT NULL,
            lang TEXT NOT NULL,
            -- The article is undated: dates were resolved against a publication
            -- date estimated from its story's dated coverage.
            date_inferred INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX events_article ON events(article_id);
        CREATE INDEX events_date ON events(date);

        -- Names repaired within a story: mentions keep their own key and
        -- surface; readers map source_key to target_key inside the story.
        CREATE TABLE merges (
            story_id TEXT NOT NULL REFERENCES stories(id),
            source_key TEXT NOT NULL,
            target_key TEXT NOT NULL,
            reason TEXT NOT NULL,
            PRIMARY KEY (story_id, source_key)
        );
        CREATE INDEX merges_target ON merges(target_key);
        """,
    ),
    (
        "m003_briefs_posts",
        """
        -- An event can be reported without a date the article lets us
        -- resolve ("held a phone call on Monday" on an undated page): it is
        -- kept, undated, so the timeline can say so.
        CREATE TABLE events_new (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            trigger TEXT NOT NULL,
            trigger_start INTEGER NOT NULL,
            trigger_end INTEGER NOT NULL,
            predicate TEXT NOT NULL,
            date TEXT,
            date_end TEXT,
            timex_start INTEGER,
            timex_end INTEGER,
            modality TEXT NOT NULL,
            participants TEXT NOT NULL,
            lang TEXT NOT NULL,
            date_inferred INTEGER NOT NULL DEFAULT 0
        );
        INSERT INTO events_new SELECT article_id, start, end, trigger, trigger_start, trigger_end,
            predicate, date, date_end, timex_start, timex_end, modality, participants, lang,
            date_inferred FROM events;
        DROP TABLE events;
        ALTER TABLE events_new RENAME TO events;
        CREATE INDEX events_article ON events(article_id);
        CREATE INDEX events_date ON events(date);

        -- Social posts reacting to the news; story_id is set when a post is
        -- attached to a story (by link, reply/quote chain or similarity).
        CREATE TABLE posts (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            origin TEXT NOT NULL,
            text TEXT NOT NULL,
            author TEXT,
            posted TEXT,
            url TEXT,
            lang TEXT NOT NULL,
            reply_to TEXT,
            quote_of TEXT,
            embedding BLOB,
            stance TEXT NOT NULL,
            stance_score REAL NOT NULL,
            story_id TEXT REFERENCES stories(id),
            attached_by TEXT,
            attach_score REAL,
            ingested TEXT NOT NULL
        );
        CREATE INDEX posts_story ON posts(story_id);
        CREATE INDEX posts_url ON posts(url);

        -- Rendered briefs of stories and storylines (subject is either id),
        -- rebuilt when what they were built from changes: see version.
        CREATE TABLE briefs (
            subject TEXT NOT NULL,
            variant TEXT NOT NULL,
            version TEXT NOT NULL,
            built TEXT NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (subject, variant)
        );
        """,
    ),
    (
        "m004_read_indexes",
        """
        -- A page of stories reads its stories' members from this index alone, not
        -- from the article rows (whose text comes before dup_of and published, so
        -- reaching those columns reads the text's pages too).
        CREATE INDEX articles_story_members ON articles(story_id, published, seq, id, dup_of);
        -- Stories most recent first, a page at a time, with no sort.
        CREATE INDEX stories_recent ON stories(last DESC, id);
        DROP INDEX stories_last;
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
