"""The store interface both backends implement, and a factory choosing one by name."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from graph.model import Graph

Rows = list[list[Any]]
Counts = dict[str, dict[str, int]]  # {"nodes": {label: n}, "relationships": {type: n}}


class StoreError(RuntimeError):
    """A store could not do what was asked (the message says why)."""


class ReadOnlyError(StoreError):
    """A write was attempted through a read-only query."""


class QueryTimeout(StoreError):
    """A query ran longer than its timeout."""


@runtime_checkable
class Store(Protocol):
    def load(self, graph: Graph) -> None:
        """Replace the stored graph with this one (all-or-nothing, or resumable: see each store)."""

    def query(
        self, cypher: str, params: dict[str, Any] | None = None, read_only: bool = True, timeout: float = 30
    ) -> tuple[list[str], Rows]:
        """(column names, rows). Read-only queries cannot write: the store refuses, not a regex."""

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
