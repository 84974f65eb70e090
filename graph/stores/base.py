"""The store interface every caller uses, and a factory choosing a store by name.

    store = open_store("embedded", path="data/build/graph.lbdb")   # or open_store("neo4j")
    store.dialect                       # "ladybug" | "neo4j": which Cypher the store speaks
    store.read(cypher, params, timeout=30, row_cap=1000)  # → (columns, rows), read-only
    store.read(text, isolated=True)     # the same in a worker process (free Cypher: graph/stores/worker.py)
    store.counts()                      # {"nodes": {label: n}, "relationships": {type: n}}
    store.load(graph)                   # replace the stored graph
    store.clear(); store.close()

One store object may be shared by any number of threads (the app serves every session from one).
`read` cannot write: the engine refuses (a read-only LadybugDB database, a Neo4j READ session), so a
write that slips past the query guard still fails with ReadOnlyError. Values come back as plain
Python: nodes as {"_label", props}, relationships as {"_type", "_src", "_dst", props}, paths as
{"nodes", "rels"}, the same from both stores.

Every read ends within `timeout` + GRACE seconds whatever the engine does: the caller stops waiting
then (`bounded`), and an isolated read's worker process is killed. Errors are one line: StoreError,
ReadOnlyError, QueryTimeout, or QueryTooLarge (past a memory or answer-size bound).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Protocol, TypeVar, runtime_checkable

from graph.model import Graph

Rows = list[list[Any]]
Counts = dict[str, dict[str, int]]  # {"nodes": {label: n}, "relationships": {type: n}}
DIALECTS = ("ladybug", "neo4j")
DEFAULT_TIMEOUT = 30.0
# Seconds a caller waits past a read's timeout for the engine to notice it before giving up on it.
GRACE = 0.25
READ_THREAD = "store-read"  # the name of `bounded`'s threads
T = TypeVar("T")


class StoreError(RuntimeError):
    """A store could not do what was asked (the message says why)."""


class ReadOnlyError(StoreError):
    """A write was attempted through a read-only query."""


class QueryTimeout(StoreError):
    """A query ran longer than its timeout."""


class QueryTooLarge(StoreError):
    """A query needed more memory, or returned more data, than a read may."""


@runtime_checkable
class Store(Protocol):
    dialect: str  # one of DIALECTS

    def read(
        self,
        cypher: str,
        params: dict[str, Any] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        row_cap: int | None = None,
        isolated: bool = False,
    ) -> tuple[list[str], Rows]:
        """(column names, at most `row_cap` rows), read-only, stopped after `timeout` seconds.
        `isolated`: run it in a worker process with a memory limit, killed past the timeout (for text
        typed by a user: nothing it does can crash or exhaust the caller)."""

    def load(self, graph: Graph) -> None:
        """Replace the stored graph with this one (all-or-nothing, or resumable: see each store)."""

    def counts(self) -> Counts:
        """Nodes per label and relationships per type, every schema label/type listed (0 included)."""

    def clear(self) -> None:
        """Remove the stored graph."""

    def close(self) -> None:
        """Release handles and connections."""


def open_store(kind: str, **options: Any) -> Store:
    """`embedded` (LadybugDB file; option `path`) or `neo4j` (options uri/user/password/database)."""
    if kind == "embedded":
        from graph.stores.ladybug import LadybugStore

        return LadybugStore(**options)
    if kind == "neo4j":
        from graph.stores.neo4j import Neo4jStore

        return Neo4jStore(**options)
    raise ValueError(f"unknown store {kind!r}: embedded or neo4j")


def empty_counts(labels: tuple[str, ...], rel_types: tuple[str, ...]) -> Counts:
    return {"nodes": dict.fromkeys(labels, 0), "relationships": dict.fromkeys(rel_types, 0)}


def bounded(call: Callable[[], T], timeout: float) -> T:
    """`call()`'s answer, or QueryTimeout once `timeout` + GRACE seconds have passed. The call runs in
    a daemon thread: an engine that does not notice its own timeout (a query still being parsed or
    planned) no longer holds the caller, and finishes or fails later on its own."""
    outcome: list[Any] = []
    done = threading.Event()

    def run() -> None:
        try:
            outcome.append((True, call()))
        except BaseException as exc:  # handed to the caller
            outcome.append((False, exc))
        done.set()

    threading.Thread(target=run, name=READ_THREAD, daemon=True).start()
    if not done.wait(timeout + GRACE):
        raise QueryTimeout(f"query exceeded {timeout}s")
    ok, value = outcome[0]
    if not ok:
        raise value
    return value
