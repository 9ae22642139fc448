"""Child processes that stop when their parent is gone.

A parent killed with SIGKILL cannot stop its children; a child left behind
would hold the database's writer claim, or memory and a CPU, for nothing.
"""

from __future__ import annotations

import os
import signal
import threading
import time

__all__ = ["exit_with_parent"]


def _watch(parent: int, every_s: float) -> None:
    while os.getppid() == parent:
        time.sleep(every_s)
    # SIGTERM rather than os._exit: the process's own handler gets to close what it holds.
    os.kill(os.getpid(), signal.SIGTERM)


def exit_with_parent(every_s: float = 1.0) -> None:
    """From now on, this process ends (SIGTERM to itself) within ``every_s`` of its parent's death."""
    threading.Thread(
        target=_watch, args=(os.getppid(), every_s), daemon=True, name="exit-with-parent"
    ).start()
