"""A real kill: SIGKILL an ingest process mid-run, re-run it, compare with a clean run."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

from storyline import Storyline
from storyline.demo import corpus_dir


def _cmd(db):
    return [sys.executable, "-m", "storyline", "ingest", str(corpus_dir()), "--db", str(db)]


def _ingest(db, env):
    done = subprocess.run(_cmd(db), env=env, capture_output=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr.decode()


def _committed(db):
    try:
        with sqlite3.connect(db) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def _partition(db):
    with Storyline(db=db) as sl:
        return {a: (s.id, s.storyline_id) for s in sl.stories() for a in s.article_ids}


def test_kill_mid_ingest_then_rerun_matches_clean_run(tmp_path):
    env = {**os.environ, "STORYLINE_BATCH_SIZE": "16", "STORYLINE_WORKERS": "0"}
    _ingest(tmp_path / "clean.db", env)

    killed = tmp_path / "killed.db"
    proc = subprocess.Popen(_cmd(killed), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while _committed(killed) < 16 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    stored = _committed(killed)
    assert 16 <= stored < 104, f"the kill came too late to test anything ({stored} stored)"
    assert stored % 16 == 0, "a batch was half written"

    _ingest(killed, env)
    assert _partition(killed) == _partition(tmp_path / "clean.db")
