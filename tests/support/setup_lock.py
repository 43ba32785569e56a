"""One-time set-up that test workers share (the R4 validator's environment, npm packages):
made by one worker while the others wait, under a lock keyed by what is made."""

import fcntl
import hashlib
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def made_by_one_worker(target: Path) -> Iterator[None]:
    """Hold an exclusive lock for ``target`` during the block. pytest-xdist's workers are
    processes: each checking for ``target`` and making it when missing raced on a fresh clone
    (two workers clearing and creating one virtual environment at once)."""
    key = hashlib.sha256(str(target.resolve()).encode()).hexdigest()[:16]
    lock_file = Path(tempfile.gettempdir()) / f"hip-pelvic-screener-setup-{key}.lock"
    with lock_file.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
