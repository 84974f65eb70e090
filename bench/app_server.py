"""The app served for a benchmark or a browser test: `python -m app.cli` (= `ikg app`) on a free
localhost port, waited for until its health check answers, stopped after (app.cli forwards the
SIGTERM to the Streamlit server it started).

    with served(env, log_path, ["--store", "embedded", "--db", db]) as (base, proc): ...
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class AppNotServing(RuntimeError):
    """The app exited, or did not answer in time; the message names its log."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(
    env: dict[str, str], log_path: Path, args: Sequence[str] = (), timeout: float = 90.0
) -> Iterator[tuple[str, subprocess.Popen]]:
    """(the base URL, the `app.cli` process) once /_stcore/health answers "ok"; AppNotServing if the
    app exits first or `timeout` seconds pass."""
    port = free_port()
    command = [sys.executable, "-m", "app.cli", "--port", str(port), *args]
    with log_path.open("w") as log:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise AppNotServing(f"the app exited ({proc.returncode}):\n{log_path.read_text()}")
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as answer:
                    if answer.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AppNotServing(f"the app did not answer in {timeout:.0f}s:\n{log_path.read_text()}")
            time.sleep(0.3)
        yield base, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
