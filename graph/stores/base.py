"""The store interface every caller uses, and a factory choosing a store by name.

    store = open_store("embedded", path="data/build/graph.lbdb")   # or open_store("neo4j")
    store.dialect                       # "ladybug" | "neo4j": which Cypher the store speaks
    store.read(cypher, params, timeout=30, row_cap=1000)  # → (columns, rows), read-only
    store.counts()                      # {"nodes": {label: n}, "relationships": {type: n}}
    store.load(graph)                   # replace the stored graph
    store.clear(); store.close()

One store object may be shared by any number of threads (the app serves every session from one).
`read` cannot write: the engine refuses (a read-only LadybugDB database, a Neo4j READ session), so a
write that slips past the query guard still fails with ReadOnlyError. Values come back as plain
Python: nodes as {"_label", props}, relationships as {"_type", "_src", "_dst", props}, paths as
{"nodes", "rels"}, the same from both stores.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from graph.model import Graph

Rows = list[list[Any]]
Counts = dict[str, dict[str, int]]  # {"nodes": {label: n}, "relationships": {type: n}}
DIALECTS = ("ladybug", "neo4j")
DEFAULT_TIMEOUT = 30.0


class StoreError(RuntimeError):
    """A store could not do what was asked (the message says why)."""


class ReadOnlyError(StoreError):
    """A write was attempted through a read-only query."""


class QueryTimeout(StoreError):
    """A query ran longer than its timeout."""


@runtime_checkable
class Store(Protocol):
    dialect: str  # one of DIALECTS

    def read(
        self,
        cypher: str,
        params: dict[str, Any] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        row_cap: int | None = None,
    ) -> tuple[list[str], Rows]:
        """(column names, at most `row_cap` rows), read-only, stopped after `timeout` seconds."""

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
