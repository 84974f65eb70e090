"""Reads in worker processes: a query that crashes the engine or runs away takes a worker down, never
the caller (the app serves every session from one process).

    pool = WorkerPool("embedded", {"path": "data/build/graph.lbdb"})
    pool.read(cypher, params, timeout=30, row_cap=1000)   # → (columns, rows), as Store.read
    pool.close()

A worker is `python -m graph.stores.worker`: it opens the same store (`open_store(kind, **options)`)
and answers one read at a time over a pair of pipes. What bounds a read:
- time: the caller waits `timeout` + WAIT_PAST seconds at most, a worker's start-up and a wait for a
  free one included; a worker still busy then is killed (SIGKILL) and replaced. The embedded engine's
  own timeout does not stop everything: a huge UNWIND ran 52 s past a 3 s timeout;
- memory: while it waits, the caller looks at the worker's resident memory every WATCH_EVERY seconds
  and kills it past `memory_mb` (QueryTooLarge). Not an address-space limit (RLIMIT_AS): LadybugDB
  reserves its buffer pool as address space up front and crashed on variable-length paths under one;
- answer size: at most MAX_ANSWER_BYTES (pickled) come back, so the caller's memory is bounded too;
- crash: a worker that dies (a segmentation fault in the engine) is replaced, and the caller gets one
  line naming the signal.
At most `size` workers run; a read finding all of them busy waits for one, within its deadline.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from typing import Any

from graph.stores.base import (
    GRACE,
    READ_THREAD,
    QueryTimeout,
    QueryTooLarge,
    ReadOnlyError,
    Rows,
    StoreError,
)

log = logging.getLogger(__name__)

DEFAULT_SIZE = 2  # workers at most: one per core of the machine this was measured on
DEFAULT_MEMORY_MB = 1024  # resident memory of a worker (its store included) before it is killed
WATCH_EVERY = 0.02  # seconds between two looks at a busy worker's memory
NICENESS = 10  # a runaway query yields the CPU to the caller (the app's sessions, its deadline)
MAX_ANSWER_BYTES = 32 << 20  # a pickled answer larger than this is refused
ANSWER_TOO_LARGE = f"the answer is larger than {MAX_ANSWER_BYTES >> 20} MB: lower the row cap"
# The worker's own bound (the store's timeout + GRACE) fires first: this is the kill after it.
WAIT_PAST = 2 * GRACE + 0.1
_HEADER = struct.Struct("!Q")
_ERRORS: dict[str, type[StoreError]] = {
    cls.__name__: cls for cls in (StoreError, ReadOnlyError, QueryTimeout, QueryTooLarge)
}
_PAGE = os.sysconf("SC_PAGE_SIZE")


class _Late(Exception):
    """The worker did not answer before the deadline."""


class _Died(Exception):
    """The worker's pipe closed: it exited or was killed."""


class _Oversize(Exception):
    """The worker announced an answer past MAX_ANSWER_BYTES (it checks first: this is the backstop)."""


class _Swollen(Exception):
    """The worker's resident memory passed its bound."""


# --- framing: length-prefixed pickles over pipes -------------------------------------------------------


def _write(fd: int, data: bytes, deadline: float | None = None) -> None:
    """All of `data` to a pipe; with a deadline the pipe is non-blocking and waited on with select."""
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([], [fd], [], remaining)[1]:
                raise _Late
        try:
            view = view[os.write(fd, view[: 1 << 16]) :]
        except BlockingIOError:
            continue
        except OSError as exc:  # EPIPE: the reader is gone
            raise _Died from exc


def _read_exact(fd: int, n: int, deadline: float | None) -> bytes:
    chunks, got = [], 0
    while got < n:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise _Late
        try:
            chunk = os.read(fd, min(n - got, 1 << 20))
        except BlockingIOError:
            continue
        if not chunk:
            raise _Died
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def _read(fd: int, deadline: float | None = None, limit: int | None = None) -> bytes:
    (n,) = _HEADER.unpack(_read_exact(fd, _HEADER.size, deadline))
    if limit is not None and n > limit:
        raise _Oversize
    return _read_exact(fd, n, deadline)


def resident_mb(pid: int) -> float:
    """Resident memory of a process in MB (Linux /proc; 0 where there is none)."""
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * _PAGE / (1 << 20)
    except (OSError, ValueError, IndexError):
        return 0.0


# --- the caller's side -------------------------------------------------------------------------------------


class _Worker:
    """One worker process and the caller's ends of its pipes."""

    def __init__(self, kind: str, options: dict[str, Any]) -> None:
        to_child, self._in = os.pipe()  # requests: we write self._in, the child reads to_child
        self._out, from_child = os.pipe()  # answers: the child writes from_child, we read self._out
        ends = (str(to_child), str(from_child), str(os.getpid()))
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "graph.stores.worker", *ends],
                pass_fds=(to_child, from_child),
                stdin=subprocess.DEVNULL,
                env={**os.environ, "MALLOC_ARENA_MAX": "2"},  # fewer arenas: memory goes back sooner
            )
        finally:
            os.close(to_child)
            os.close(from_child)
        os.set_blocking(self._in, False)
        os.set_blocking(self._out, False)
        self.retiring = False  # it said it exits after this answer
        # The settings (a password, maybe) go through the pipe, not the command line; a fresh pipe
        # holds them whole, so this never waits on the child.
        _write(self._in, pickle.dumps({"kind": kind, "options": options}), time.monotonic() + 5)

    def alive(self) -> bool:
        return not self.retiring and self.proc.poll() is None

    def ask(self, request: tuple[Any, ...], deadline: float, memory_mb: int) -> tuple[list[str], Rows]:
        _write(self._in, pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL), deadline)
        while True:  # until the answer starts: look at the worker's memory meanwhile
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _Late
            if select.select([self._out], [], [], min(remaining, WATCH_EVERY))[0]:
                break
            if resident_mb(self.proc.pid) > memory_mb:
                raise _Swollen
        retiring, status, *answer = pickle.loads(_read(self._out, deadline, MAX_ANSWER_BYTES))
        self.retiring = retiring
        if status == "ok":
            return answer[0], answer[1]
        raise _ERRORS.get(answer[0], StoreError)(answer[1])

    def stop(self) -> None:
        """Kill the process (a runaway query gets no grace) and close our ends of the pipes."""
        with contextlib.suppress(ProcessLookupError):
            self.proc.kill()
        self.proc.wait()
        for fd in (self._in, self._out):
            with contextlib.suppress(OSError):
                os.close(fd)

    def death(self) -> str:
        """How the process ended, for the caller's message: 'signal SIGSEGV', 'exit status 1'."""
        try:
            code = self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            return "no answer"
        if code < 0:
            with contextlib.suppress(ValueError):
                return f"signal {signal.Signals(-code).name}"
        return f"exit status {code}"


class WorkerPool:
    """Up to `size` worker processes of one store, shared by any number of threads."""

    def __init__(
        self,
        kind: str,
        options: dict[str, Any],
        size: int = DEFAULT_SIZE,
        memory_mb: int = DEFAULT_MEMORY_MB,
    ) -> None:
        """`kind` and `options` are open_store's: each worker opens the store with them."""
        self.kind = kind
        self.options = options
        self.size = size
        self.memory_mb = memory_mb
        self._cond = threading.Condition()
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._count = 0  # workers started and not yet stopped: idle + busy
        self._closed = False

    def read(
        self,
        cypher: str,
        params: dict[str, Any] | None = None,
        timeout: float = 30.0,
        row_cap: int | None = None,
    ) -> tuple[list[str], Rows]:
        started = time.monotonic()
        deadline = started + timeout + WAIT_PAST
        worker = self._borrow(deadline, timeout)
        healthy = False
        try:
            # The worker's engine gets what is left of the timeout (the monotonic clock is the
            # machine's: a start-up or a wait for a free worker counts).
            request = (cypher, params or {}, timeout, row_cap, started + timeout)
            answer = worker.ask(request, deadline, self.memory_mb)
            healthy = True
            return answer
        except StoreError:
            healthy = True  # the worker answered with an error: it lives on
            raise
        except _Late:
            log.debug("query worker %d killed: no answer %.1fs after a %ss timeout", worker.proc.pid,
                        WAIT_PAST, timeout)  # fmt: skip
            raise QueryTimeout(f"query exceeded {timeout}s") from None
        except _Swollen:
            log.debug("query worker %d killed: past %d MB", worker.proc.pid, self.memory_mb)
            raise QueryTooLarge(
                f"the query needs more memory than the {self.memory_mb} MB a query may use: stopped"
            ) from None
        except _Oversize:
            raise QueryTooLarge(ANSWER_TOO_LARGE) from None
        except _Died:
            how = worker.death()
            log.debug("query worker %d died (%s)", worker.proc.pid, how)
            raise StoreError(
                f"the query stopped the process running it ({how}); a new one was started"
            ) from None
        finally:
            self._give_back(worker, healthy)

    def _borrow(self, deadline: float, timeout: float) -> _Worker:
        stale: list[_Worker] = []
        try:
            with self._cond:
                while True:
                    if self._closed:
                        raise StoreError("the store is closed")
                    while self._idle:
                        worker = self._idle.pop()
                        if worker.alive():
                            self._busy.add(worker)
                            return worker
                        stale.append(worker)
                        self._count -= 1
                    if self._count < self.size:
                        worker = _Worker(self.kind, self.options)
                        self._count += 1
                        self._busy.add(worker)
                        return worker
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise QueryTimeout(
                            f"query exceeded {timeout}s waiting for one of the {self.size} query processes"
                        )
                    self._cond.wait(remaining)
        finally:
            for worker in stale:
                worker.stop()

    def _give_back(self, worker: _Worker, healthy: bool) -> None:
        with self._cond:
            self._busy.discard(worker)
        if healthy and worker.alive():
            with self._cond:
                if not self._closed:
                    self._idle.append(worker)
                    self._cond.notify()
                    return
        worker.stop()
        with self._cond:
            self._count -= 1
            if not self._closed:
                # Its successor starts now, while the caller reads the error, so the next read
                # does not spend its timeout on a process start-up (seconds on a busy machine).
                self._idle.append(_Worker(self.kind, self.options))
                self._count += 1
            self._cond.notify()

    def ready(self) -> list[int]:
        """The process ids of the idle workers (started, waiting for a read)."""
        with self._cond:
            return [w.proc.pid for w in self._idle]

    def busy(self) -> list[int]:
        """The process ids of the workers running a read now."""
        with self._cond:
            return [w.proc.pid for w in self._busy]

    def close(self) -> None:
        """Stop the idle workers; a busy one is stopped when its read returns."""
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            self._count -= len(idle)
            self._cond.notify_all()
        for worker in idle:
            worker.stop()


# --- the worker's side -------------------------------------------------------------------------------------


def _watch_parent(parent: int) -> None:
    """Exit when the caller is gone (its process; not the thread that started us, which may be a
    Streamlit script thread long finished): a runaway query never outlives the app."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def _runaway() -> bool:
    """A read given up on at its timeout is still running in its thread (graph.stores.base.bounded)."""
    return any(t.name == READ_THREAD and t.is_alive() for t in threading.enumerate())


def _answer(store: Any, request: tuple[Any, ...]) -> tuple[bool, bytes]:
    """(retiring, the pickled answer): (retiring, "ok", columns, rows) or (retiring, "error", class
    name, message); `retiring`: this worker exits after it, a runaway read would compete with the next."""
    cypher, params, timeout, row_cap, ends = request
    error: tuple[str, str] | None = None
    try:
        left = max(ends - time.monotonic(), 0.01)
        columns, rows = store.read(cypher, params, timeout=left, row_cap=row_cap)
        retiring = _runaway()
        payload = pickle.dumps((retiring, "ok", columns, rows), protocol=pickle.HIGHEST_PROTOCOL)
        if len(payload) > MAX_ANSWER_BYTES:
            error = ("QueryTooLarge", ANSWER_TOO_LARGE)
    except MemoryError:
        error = ("QueryTooLarge", "the query needs more memory than there is")
    except QueryTimeout:
        error = ("QueryTimeout", f"query exceeded {timeout}s")
    except StoreError as exc:
        error = (type(exc).__name__, " ".join(str(exc).split()))
    except Exception as exc:  # anything else: one line for the caller, the worker lives on
        error = ("StoreError", f"{type(exc).__name__}: {' '.join(str(exc).split())}")
    # Outside the except blocks: the exception, its frames and what they held are released by now.
    if error is None:
        return retiring, payload
    retiring = _runaway()
    return retiring, pickle.dumps((retiring, "error", *error))


def serve(inp: int, out: int) -> None:
    """Answer reads until the caller closes the request pipe."""
    from graph.stores.base import open_store

    spec = pickle.loads(_read(inp))
    store = open_store(spec["kind"], **spec["options"])
    while True:
        try:
            request = pickle.loads(_read(inp))
        except _Died:
            break
        retiring, answer = _answer(store, request)
        _write(out, answer)
        if retiring:
            os._exit(0)  # the pool starts a fresh worker in its place
    store.close()


def main(argv: list[str]) -> None:
    inp, out, parent = (int(a) for a in argv)
    _watch_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C in a terminal is for the caller, who stops us
    os.nice(NICENESS)
    serve(inp, out)


if __name__ == "__main__":
    main(sys.argv[1:])
