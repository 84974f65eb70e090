"""Files replaced whole, and writers taking turns: what the build outputs and the curation file need."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def write_atomic(path: str | Path, text: str, sync: bool = False) -> None:
    """Write beside the target, then rename over it: a reader sees the old file or the new one, and a
    failure leaves the old one whole. `sync`: on disk before the rename (small files worth keeping
    through a power cut; a large output is rebuilt instead)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with tmp.open("w", encoding="utf-8") as handle:
            handle.write(text)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


@contextmanager
def locked(path: str | Path) -> Iterator[None]:
    """Hold an exclusive lock on `path` (a lock file beside it, `.<name>.lock`) until the block ends;
    another process wanting it waits. The lock file stays: removing it would race the next writer."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Opened for reading: enough for flock, and open to any user (another's build, the app's user).
    fd = os.open(path.with_name(f".{path.name}.lock"), os.O_RDONLY | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock
