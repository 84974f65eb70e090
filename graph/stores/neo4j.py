"""The Neo4j 5 store, through the official driver.

Loading is idempotent and resumable: everything is MERGEd (nodes by id, relationships by
(src, type, dst, key)), so re-running a load that failed midway creates no duplicates. Each load
stamps what it writes with a fresh `build_id`; only once the whole load has succeeded (and the
counts check out) are nodes and relationships from older builds — documents no longer present —
deleted. Settings come from NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD (environment, else `.env`).
"""

from __future__ import annotations

import logging
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.model import Graph
from graph.schema import LABELS, REL_TYPES, neo4j_schema, node_props, rel_props
from graph.stores.base import Counts, QueryTimeout, ReadOnlyError, Rows, StoreError, empty_counts
from graph.stores.rows import batches, node_rows, rel_rows

log = logging.getLogger(__name__)

BATCH_SIZE = 2000
_SWEEP_BATCH = 10000


# --- settings --------------------------------------------------------------------------------------


def read_env_file(path: str | Path) -> dict[str, str]:
    """KEY=VALUE lines of a .env file (`export`, comments and matching quotes allowed); no dependency."""
    values: dict[str, str] = {}
    p = Path(path)
    if not p.is_file():
        return values
    for line in p.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.removeprefix("export ").partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key.strip()] = value
    return values


@dataclass(frozen=True)
class Neo4jSettings:
    uri: str
    user: str
    password: str
    database: str | None = None

    @classmethod
    def from_env(cls, env_file: str | Path | None = ".env") -> Neo4jSettings:
        """The environment wins over the .env file; nothing is hard-coded but the default user."""
        values = read_env_file(env_file) if env_file else {}
        values.update({k: v for k, v in os.environ.items() if k.startswith("NEO4J_")})
        uri, password = values.get("NEO4J_URI", ""), values.get("NEO4J_PASSWORD", "")
        if not uri or not password:
            raise StoreError("Neo4j settings missing: set NEO4J_URI and NEO4J_PASSWORD (environment or .env)")
        return cls(uri, values.get("NEO4J_USER") or "neo4j", password, values.get("NEO4J_DATABASE") or None)


# --- statements ------------------------------------------------------------------------------------


def node_statement(label: str) -> str:
    sets = ", ".join(f"n.{p.name} = r.{p.name}" for p in node_props(label) if p.name != "id")
    return f"UNWIND $rows AS r MERGE (n:{label} {{id: r.id}}) SET {sets}, n.build_id = $build_id"


def rel_statement(rel_type: str, src_label: str, dst_label: str) -> str:
    sets = ", ".join(f"e.{p.name} = r.{p.name}" for p in rel_props(rel_type) if p.name != "key")
    # `key` (never null) identifies the edge: MERGE on a null role would fail in Neo4j.
    return (
        f"UNWIND $rows AS r MATCH (a:{src_label} {{id: r.src}}) MATCH (b:{dst_label} {{id: r.dst}}) "
        f"MERGE (a)-[e:{rel_type} {{key: r.key}}]->(b) SET {sets}, e.build_id = $build_id"
    )


class Neo4jStore:
    def __init__(
        self,
        uri: str | None = None,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        batch_size: int = BATCH_SIZE,
        env_file: str | Path | None = ".env",
    ) -> None:
        import neo4j  # lazy: the embedded store must work without the driver installed

        if uri is None or password is None:
            settings = Neo4jSettings.from_env(env_file)
            uri, user, password = uri or settings.uri, user or settings.user, password or settings.password
            database = database or settings.database
        self.settings = Neo4jSettings(uri, user or "neo4j", password, database)
        self.batch_size = batch_size
        # Notifications off: counting an unused type (no ORGANIZES yet) is normal, not a warning.
        self._driver = neo4j.GraphDatabase.driver(
            uri, auth=(self.settings.user, password), notifications_min_severity="OFF"
        )

    def _session(self, read_only: bool = False) -> Any:
        import neo4j

        mode = neo4j.READ_ACCESS if read_only else neo4j.WRITE_ACCESS
        return self._driver.session(database=self.settings.database, default_access_mode=mode)

    # --- load ------------------------------------------------------------------------------------

    def ensure_schema(self) -> None:
        with self._session() as session:
            for statement in neo4j_schema():
                session.run(statement).consume()

    def load(self, graph: Graph, build_id: str | None = None) -> None:
        build_id = build_id or uuid.uuid4().hex
        self.ensure_schema()
        with self._session() as session:
            for label, rows in node_rows(graph).items():
                self._write_batches(session, node_statement(label), rows, build_id)
            for (rel_type, src, dst), rows in rel_rows(graph).items():
                self._write_batches(session, rel_statement(rel_type, src, dst), rows, build_id)
        self._verify(graph, build_id)
        removed = self._sweep(build_id)
        log.info(
            "neo4j: loaded build %s (%d nodes, %d relationships; %d stale removed)",
            build_id,
            sum(graph.node_counts().values()),
            len(graph.edges),
            removed,
        )

    def _write_batches(self, session: Any, statement: str, rows: list[dict[str, Any]], build_id: str) -> None:
        for batch in batches(rows, self.batch_size):
            # One explicit (managed, retried on transient errors) transaction per batch.
            session.execute_write(_consume, statement, {"rows": batch, "build_id": build_id})

    def _verify(self, graph: Graph, build_id: str) -> None:
        """Everything of this build is there before anything older is deleted."""
        want = {**graph.node_counts(), **graph.edge_counts()}
        got: dict[str, int] = {}
        with self._session(read_only=True) as session:
            for label in graph.node_counts():
                got[label] = session.execute_read(
                    _single, f"MATCH (n:{label}) WHERE n.build_id = $b RETURN count(n)", {"b": build_id}
                )
            for rel_type in graph.edge_counts():
                got[rel_type] = session.execute_read(
                    _single,
                    f"MATCH ()-[e:{rel_type}]->() WHERE e.build_id = $b RETURN count(e)",
                    {"b": build_id},
                )
        if got != want:
            diff = {k: (want[k], got.get(k)) for k in want if want[k] != got.get(k)}
            raise StoreError(f"neo4j load incomplete (expected, stored): {diff}; older data kept")

    def _sweep(self, build_id: str) -> int:
        """Delete what older builds left (documents removed since); only after a complete load."""
        removed = 0
        with self._session() as session:
            for rel_type in REL_TYPES:
                removed += self._delete_loop(
                    session,
                    f"MATCH ()-[e:{rel_type}]->() WHERE e.build_id IS NULL OR e.build_id <> $b "
                    f"WITH e LIMIT {_SWEEP_BATCH} DELETE e RETURN count(*)",
                    build_id,
                )
            for label in LABELS:
                removed += self._delete_loop(
                    session,
                    f"MATCH (n:{label}) WHERE n.build_id IS NULL OR n.build_id <> $b "
                    f"WITH n LIMIT {_SWEEP_BATCH} DETACH DELETE n RETURN count(*)",
                    build_id,
                )
        return removed

    @staticmethod
    def _delete_loop(session: Any, statement: str, build_id: str | None) -> int:
        total = 0
        while True:
            n = session.execute_write(_single, statement, {"b": build_id})
            total += n
            if n < _SWEEP_BATCH:
                return total

    # --- read ------------------------------------------------------------------------------------

    def query(
        self, cypher: str, params: dict[str, Any] | None = None, read_only: bool = True, timeout: float = 30
    ) -> tuple[list[str], Rows]:
        import neo4j
        from neo4j.exceptions import ClientError, Neo4jError

        # In a managed transaction the timeout rides on unit_of_work (Query objects are for session.run).
        fetch = neo4j.unit_of_work(timeout=timeout)(_fetch)
        try:
            with self._session(read_only=read_only) as session:
                work = session.execute_read if read_only else session.execute_write
                return work(fetch, cypher, params or {})
        except ClientError as exc:
            code = exc.code or ""
            if "AccessMode" in code or "ForbiddenOnReadOnlyDatabase" in code:
                raise ReadOnlyError(exc.message or str(exc)) from exc
            if "TransactionTimedOut" in code or "Terminated" in code:
                raise QueryTimeout(f"query exceeded {timeout}s") from exc
            raise StoreError(exc.message or str(exc)) from exc
        except Neo4jError as exc:
            raise StoreError(str(exc)) from exc

    def counts(self) -> Counts:
        counts = empty_counts(LABELS, REL_TYPES)
        with self._session(read_only=True) as session:
            for label in LABELS:
                counts["nodes"][label] = session.execute_read(
                    _single, f"MATCH (n:{label}) RETURN count(n)", {}
                )
            for rel_type in REL_TYPES:
                counts["relationships"][rel_type] = session.execute_read(
                    _single, f"MATCH ()-[e:{rel_type}]->() RETURN count(e)", {}
                )
        return counts

    def clear(self) -> None:
        with self._session() as session:
            for label in LABELS:
                self._delete_loop(
                    session,
                    f"MATCH (n:{label}) WITH n LIMIT {_SWEEP_BATCH} DETACH DELETE n RETURN count(*)",
                    None,
                )

    def close(self) -> None:
        self._driver.close()


# --- transaction functions (module level: the driver may retry them) -------------------------------


def _consume(tx: Any, statement: str, params: dict[str, Any]) -> None:
    tx.run(statement, params).consume()


def _single(tx: Any, statement: str, params: dict[str, Any]) -> int:
    return int(tx.run(statement, params).single()[0])


def _fetch(tx: Any, cypher: str, params: dict[str, Any]) -> tuple[list[str], Rows]:
    result = tx.run(cypher, params)
    columns = list(result.keys())
    return columns, [[_plain(v) for v in record.values()] for record in result]


def _plain(value: Any) -> Any:
    """Driver graph objects → the dicts the Ladybug store returns: {"_label", ...}, {"_type", "_src", ...}."""
    from neo4j.graph import Node, Path, Relationship

    if isinstance(value, Node):
        return {"_label": next(iter(sorted(value.labels)), ""), **_props(value)}
    if isinstance(value, Relationship):
        start, end = value.start_node, value.end_node
        return {
            "_type": value.type,
            "_src": start.get("id") if start is not None else None,
            "_dst": end.get("id") if end is not None else None,
            **_props(value),
        }
    if isinstance(value, Path):
        return {"nodes": [_plain(n) for n in value.nodes], "rels": [_plain(r) for r in value.relationships]}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _props(entity: Any) -> dict[str, Any]:
    # build_id is load bookkeeping, not data: hidden so both stores return the same properties.
    return {k: v for k, v in entity.items() if k != "build_id"}
