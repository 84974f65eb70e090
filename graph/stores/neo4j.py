"""The Neo4j 5 store, through the official driver.

Loading is idempotent and resumable: everything is MERGEd (nodes by id, relationships by
(src, type, dst, key)), so re-running a load that failed midway creates no duplicates. Each load
stamps what it writes with a fresh `build_id`; only once the whole load has succeeded (and the
counts check out) are nodes and relationships from older builds — documents no longer present —
deleted. Settings come from NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD (environment, else `.env`).

How a load is shaped (bench/bench_load.py measures it): Neo4j plans every distinct Cypher text on
its first executions (≈8 ms warm, ≈30 ms on a fresh server), so the statements are a small fixed
set — one node MERGE per label, one endpoint lookup per label, one relationship MERGE per type —
whatever the graph, instead of one text per (type, source label, target label), of which the
schema allows 600+. A relationship batch is one transaction: its endpoints are looked up by
label + id (the uniqueness-constraint index), then matched by element id, which is only valid
inside the transaction that read it. Rows travel as lists (the driver packs map keys per row).

Reads: a transaction timeout on the server (the driver's `timeout`), no retries, and the caller's own
bound (graph.stores.base.bounded: the server does not stop a query still being parsed or planned);
the server's transaction memory limits (db.memory.transaction.max) stop a huge UNWIND or product. An
`isolated` read (free Cypher) runs in a worker process (graph/stores/worker.py) whose memory is
bounded: a 10-million-element list from the server took 600 MB in the driver's process.

Faults: the first use of a store checks that the server answers and takes the credentials, so a
server that is down or a wrong password fails at once with one line saying which (no 30 s of
retries); driver errors met later (the server stopped mid-load) become a StoreError too. A load cut
short that way can simply be run again: it resumes without duplicates.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from neo4j.exceptions import TransientError

from graph.model import Graph
from graph.schema import LABELS, REL_TYPES, neo4j_schema, node_props, rel_props
from graph.stores.base import (
    DEFAULT_TIMEOUT,
    Counts,
    QueryTimeout,
    QueryTooLarge,
    ReadOnlyError,
    Rows,
    StoreError,
    bounded,
    empty_counts,
)
from graph.stores.rows import batches, node_rows, rel_rows
from graph.stores.worker import WorkerPool

log = logging.getLogger(__name__)

# Rows per transaction: a few large ones (a 1,000-document corpus is ~10 transactions). Measured on
# the test server, 5k–20k rows load in about the same time; larger ones only cost server memory.
BATCH_SIZE = 20000
# A batch over the server's memory limit for one transaction is halved (see _commit_fitting); other
# transient errors are tried again, WRITE_ATTEMPTS times in all, pausing RETRY_PAUSE, then twice that.
MEMORY_ERROR = "Neo.TransientError.General.MemoryPoolOutOfMemoryError"
WRITE_ATTEMPTS = 4
RETRY_PAUSE = 0.5
_SWEEP_BATCH = 10000
# Every label / relationship type of the schema, and nothing else: what the store owns.
_ANY_LABEL = "|".join(LABELS)
_ANY_TYPE = "|".join(REL_TYPES)
# What to do when nothing answers at NEO4J_URI.
HOW_TO_START = (
    "start it (`docker compose up -d neo4j`, or `make neo4j-up` for the local test server) or check NEO4J_URI"
)
_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


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


def node_columns(label: str) -> list[str]:
    """Columns of a node row, in the order node_statement reads them (`id` first)."""
    return [p.name for p in node_props(label)]


def rel_columns(rel_type: str) -> list[str]:
    """Columns of a relationship row after its two element ids, in the order rel_statement reads them."""
    return [p.name for p in rel_props(rel_type)]


def node_statement(label: str, create: bool = False) -> str:
    """MERGE a batch of `label` rows (lists in node_columns order) by id; CREATE them into an empty store."""
    sets = ", ".join(f"n.{c} = r[{i}]" for i, c in enumerate(node_columns(label)) if c != "id")
    verb = "CREATE" if create else "MERGE"
    return f"UNWIND $rows AS r {verb} (n:{label} {{id: r[0]}}) SET {sets}, n.build_id = $build_id"


def lookup_statement(label: str) -> str:
    """Element ids of `label` nodes by id, through the label's uniqueness-constraint index."""
    return (
        f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) "
        "RETURN collect(i) AS ids, collect(elementId(n)) AS element_ids"
    )


def rel_statement(rel_type: str, create: bool = False) -> str:
    """MERGE a batch of relationships of one type (CREATE into an empty store); rows are
    [src element id, dst element id, *rel_columns]."""
    columns = rel_columns(rel_type)
    at = {c: i + 2 for i, c in enumerate(columns)}
    sets = ", ".join(f"e.{c} = r[{at[c]}]" for c in columns if c != "key")
    # `key` (never null) identifies the edge: MERGE on a null role would fail in Neo4j.
    return (
        "UNWIND $rows AS r MATCH (a) WHERE elementId(a) = r[0] MATCH (b) WHERE elementId(b) = r[1] "
        f"{'CREATE' if create else 'MERGE'} (a)-[e:{rel_type} {{key: r[{at['key']}]}}]->(b) "
        f"SET {sets}, e.build_id = $build_id"
    )


class Neo4jStore:
    """The Neo4j store; the driver is thread-safe, so one object serves any number of threads."""

    dialect = "neo4j"

    def __init__(
        self,
        uri: str | None = None,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        batch_size: int = BATCH_SIZE,
        env_file: str | Path | None = ".env",
        **driver_config: Any,
    ) -> None:
        """`driver_config` goes to the driver as is (e.g. max_transaction_retry_time, connection_timeout)."""
        import neo4j  # lazy: the embedded store must work without the driver installed

        if uri is None or password is None:
            settings = Neo4jSettings.from_env(env_file)
            uri, user, password = uri or settings.uri, user or settings.user, password or settings.password
            database = database or settings.database
        self.settings = Neo4jSettings(uri, user or "neo4j", password, database)
        self.batch_size = batch_size
        if uri.partition("://")[0] not in _SCHEMES:
            raise StoreError(
                f"NEO4J_URI {uri!r} is not a Bolt URI: use bolt://HOST:PORT (or neo4j://HOST:PORT)"
            )
        # Notifications off: counting an unused type (no ORGANIZES yet) is normal, not a warning.
        driver_config.setdefault("notifications_min_severity", "OFF")
        try:
            self._driver = neo4j.GraphDatabase.driver(
                uri, auth=(self.settings.user, password), **driver_config
            )
        except (neo4j.exceptions.ConfigurationError, ValueError) as exc:
            raise StoreError(f"NEO4J_URI {uri!r} cannot be used: {' '.join(str(exc).split())}") from exc
        self._checked = False
        self._workers: WorkerPool | None = None
        self._workers_lock = threading.Lock()

    def check(self) -> None:
        """Raise StoreError (one line: not reachable, or authentication failed) unless the server answers
        and accepts the credentials. Done once, on the first use of the store; call it to fail early."""
        from neo4j.exceptions import DriverError, Neo4jError

        try:
            self._driver.verify_connectivity()
        except (DriverError, Neo4jError) as exc:
            raise store_error(exc, settings=self.settings) from exc
        except ValueError as exc:  # an address the driver cannot resolve: bolt://host:notaport
            raise StoreError(f"NEO4J_URI {self.settings.uri!r} cannot be used: {exc}") from exc
        self._checked = True

    def _session(self, read_only: bool = False) -> Any:
        import neo4j

        if not self._checked:
            self.check()
        mode = neo4j.READ_ACCESS if read_only else neo4j.WRITE_ACCESS
        return self._driver.session(database=self.settings.database, default_access_mode=mode)

    @contextlib.contextmanager
    def _translated(self, timeout: float | None = None) -> Iterator[None]:
        """Driver errors → StoreError with a message naming the server; other errors pass unchanged."""
        from neo4j.exceptions import DriverError, Neo4jError

        try:
            yield
        except (DriverError, Neo4jError) as exc:
            raise store_error(exc, timeout, settings=self.settings, connected=self._checked) from exc

    # --- load ------------------------------------------------------------------------------------

    def ensure_schema(self) -> None:
        """Create the constraints and indexes that are missing (two SHOW queries when none is)."""
        with self._session() as session:
            existing = {
                record["name"]
                for show in ("SHOW CONSTRAINTS YIELD name", "SHOW INDEXES YIELD name")
                for record in session.run(show)
            }
            missing = [s for s in neo4j_schema() if s.split()[2] not in existing]  # CREATE … <name> …
            if missing:  # in one transaction: one schema change for the plans to be made again after
                with session.begin_transaction() as tx:
                    for statement in missing:
                        tx.run(statement).consume()
                    tx.commit()

    def load(self, graph: Graph, build_id: str | None = None) -> None:
        with self._translated():
            self._load(graph, build_id or uuid.uuid4().hex)

    def _load(self, graph: Graph, build_id: str) -> None:
        self.ensure_schema()
        by_type: dict[str, list[tuple[str, str, dict[str, Any]]]] = defaultdict(list)
        for (rel_type, src, dst), rows in rel_rows(graph).items():
            by_type[rel_type].extend((src, dst, row) for row in rows)
        with self._session() as session:
            # Into an empty store CREATE is enough and cheaper than MERGE; a load cut short leaves
            # nodes behind, so the next one MERGEs: nothing is ever duplicated.
            empty = f"MATCH (n:{_ANY_LABEL}) WITH n LIMIT 1 RETURN count(n)"
            create = session.execute_read(_single, empty, {}) == 0
            for label, rows in node_rows(graph).items():
                columns = node_columns(label)
                statement = node_statement(label, create)
                for batch in batches(rows, self.batch_size):
                    rows_out = [[row[c] for c in columns] for row in batch]
                    _commit_fitting(
                        session, lambda tx, b, st=statement: _write(tx, st, b, build_id), rows_out
                    )
            for rel_type, rows in by_type.items():
                for batch in batches(rows, self.batch_size):
                    _commit_fitting(
                        session,
                        lambda tx, b, t=rel_type: _write_relationships(tx, t, b, build_id, create),
                        batch,
                    )
        self._verify(graph, build_id)
        removed = self._sweep(build_id)
        log.info(
            "neo4j: loaded build %s (%d nodes, %d relationships; %d stale removed)",
            build_id,
            sum(graph.node_counts().values()),
            len(graph.edges),
            removed,
        )

    def _verify(self, graph: Graph, build_id: str) -> None:
        """Everything of this build is there before anything older is deleted."""
        want = {**graph.node_counts(), **graph.edge_counts()}
        got: dict[str, int] = {}
        with self._session(read_only=True) as session:
            for statement in (
                f"MATCH (n:{_ANY_LABEL}) WHERE n.build_id = $b UNWIND labels(n) AS k RETURN k, count(*)",
                f"MATCH ()-[e:{_ANY_TYPE}]->() WHERE e.build_id = $b RETURN type(e) AS k, count(*)",
            ):
                got.update(session.execute_read(_pairs, statement, {"b": build_id}))
        got = {k: v for k, v in got.items() if k in LABELS or k in REL_TYPES}
        if got != want:
            diff = {
                k: (want.get(k, 0), got.get(k, 0))
                for k in want.keys() | got.keys()
                if want.get(k) != got.get(k)
            }
            raise StoreError(f"neo4j load incomplete (expected, stored): {diff}; older data kept")

    def _sweep(self, build_id: str) -> int:
        """Delete what older builds left (documents removed since); only after a complete load."""
        stale = "WHERE {v}.build_id IS NULL OR {v}.build_id <> $b WITH {v} LIMIT {{limit}}"
        with self._session() as session:
            removed = self._delete_loop(
                session,
                f"MATCH ()-[e:{_ANY_TYPE}]->() {stale.format(v='e')} DELETE e RETURN count(*)",
                build_id,
            )
            removed += self._delete_loop(
                session,
                f"MATCH (n:{_ANY_LABEL}) {stale.format(v='n')} DETACH DELETE n RETURN count(*)",
                build_id,
            )
        return removed

    @staticmethod
    def _delete_loop(session: Any, statement: str, build_id: str | None) -> int:
        """`statement` (its LIMIT written `{limit}`) until it deletes less than its limit; a limit over
        the server's memory for one transaction is halved."""
        total, limit = 0, _SWEEP_BATCH
        while True:
            text = statement.format(limit=limit)
            try:
                n = _in_transaction(session, lambda tx, t=text: _single(tx, t, {"b": build_id}))
            except TransientError as exc:
                if not _over_memory(exc) or limit == 1:
                    raise
                limit //= 2
                continue
            total += n
            if n < limit:
                return total

    # --- read ------------------------------------------------------------------------------------

    def read(
        self,
        cypher: str,
        params: dict[str, Any] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        row_cap: int | None = None,
        isolated: bool = False,
    ) -> tuple[list[str], Rows]:
        """A READ session (the server refuses writes), a transaction timeout, a cursor stopped at the cap."""
        if isolated:
            return self.workers().read(cypher, params, timeout, row_cap)
        return bounded(lambda: self._read(cypher, params or {}, timeout, row_cap), timeout)

    def _read(
        self, cypher: str, params: dict[str, Any], timeout: float, row_cap: int | None
    ) -> tuple[list[str], Rows]:
        # An explicit transaction: a managed one would retry a transient error (the server's "out of
        # memory" is one) for 30 s, where a read should fail at once.
        from neo4j.exceptions import DriverError, Neo4jError, ServiceUnavailable, SessionExpired

        with self._translated(timeout):
            session = self._session(read_only=True)
            try:
                tx = session.begin_transaction(timeout=timeout)
                answer = _fetch(tx, cypher, params, row_cap)
            except (ServiceUnavailable, SessionExpired) as exc:
                _close_quietly(session)
                if self._answers():
                    # The server is up but closed this read's connection: it does that when it
                    # cannot even send the error of a query it had to give up (a stack overflow,
                    # its heap exhausted by paths it was writing).
                    raise QueryTooLarge(
                        "Neo4j closed the connection while answering this query and is up again: "
                        "the server stopped it (usually for more memory or depth than it allows)"
                    ) from exc
                raise
            except BaseException:
                _close_quietly(session)
                raise
        # The answer is complete. Closing rolls the read back after discarding the rest of a capped
        # stream; a server that drops the connection meanwhile takes nothing from the answer.
        try:
            tx.close()
        except (DriverError, Neo4jError) as exc:
            log.debug("closing a complete read: %s", exc)
        _close_quietly(session)
        return answer

    def _answers(self) -> bool:
        """Whether the server answers a trivial read on a fresh connection, within a few seconds."""
        from neo4j.exceptions import DriverError, Neo4jError

        try:
            with self._session(read_only=True) as session:
                return session.run("RETURN 1").single(strict=True)[0] == 1
        except (DriverError, Neo4jError, ValueError):
            return False

    def workers(self) -> WorkerPool:
        with self._workers_lock:
            if self._workers is None:
                s = self.settings
                options = {"uri": s.uri, "user": s.user, "password": s.password, "database": s.database}
                self._workers = WorkerPool("neo4j", {**options, "env_file": None})
            return self._workers

    def counts(self) -> Counts:
        counts = empty_counts(LABELS, REL_TYPES)
        with self._translated(), self._session(read_only=True) as session:
            for label in LABELS:
                counts["nodes"][label] = session.execute_read(
                    _single, f"MATCH (n:{label}) RETURN count(n)", {}
                )
            for rel_type in REL_TYPES:
                counts["relationships"][rel_type] = session.execute_read(
                    _single, f"MATCH ()-[e:{rel_type}]->() RETURN count(e)", {}
                )
        return counts

    def build_id(self) -> str:
        """The load the stored graph comes from: every node of a complete load carries its id, a new one
        per load, so what is cached under it is never served from another build ("" when empty). While a
        load runs, nodes carry the old id or the new one, and this may return either."""
        statement = f"MATCH (n:{_ANY_LABEL}) WHERE n.build_id IS NOT NULL RETURN n.build_id LIMIT 1"
        with self._translated(), self._session(read_only=True) as session:
            record = session.execute_read(lambda tx: tx.run(statement).single())
        return str(record[0]) if record else ""

    def clear(self) -> None:
        # Relationships first: DETACH DELETE of a batch of nodes would take all their relationships
        # (a Document has thousands) into one transaction.
        limit = "LIMIT {limit}"
        with self._translated(), self._session() as session:
            self._delete_loop(
                session, f"MATCH ()-[e:{_ANY_TYPE}]->() WITH e {limit} DELETE e RETURN count(*)", None
            )
            self._delete_loop(
                session, f"MATCH (n:{_ANY_LABEL}) WITH n {limit} DETACH DELETE n RETURN count(*)", None
            )

    def close(self) -> None:
        with self._workers_lock:
            workers, self._workers = self._workers, None
        if workers is not None:
            workers.close()
        try:
            self._driver.close()
        except Exception as exc:
            # A read past its timeout may still be running in its thread on one of the connections
            # (bounded() gave up waiting for it); the driver is not safe to close under it. The
            # sockets go with the process either way.
            log.debug("closing the Neo4j driver: %s: %s", type(exc).__name__, exc)


def _close_quietly(closable: Any) -> None:
    from neo4j.exceptions import DriverError, Neo4jError

    try:
        closable.close()
    except (DriverError, Neo4jError) as exc:
        log.debug("closing a session after a read: %s", exc)


# --- transaction functions (module level: the driver may retry them) -------------------------------


def _in_transaction(session: Any, work: Callable[[Any], Any]) -> Any:
    """`work(tx)` in a transaction of its own, committed; its answer. A busy or switching server
    (a transient error) gets it again after a pause; a refusal for memory is the caller's to handle
    (it only makes sense to retry smaller)."""
    for attempt in range(WRITE_ATTEMPTS):
        try:
            with session.begin_transaction() as tx:
                answer = work(tx)
                tx.commit()
                return answer
        except TransientError as exc:
            if _over_memory(exc) or attempt + 1 >= WRITE_ATTEMPTS:
                raise
            time.sleep(RETRY_PAUSE * 2**attempt)
    return None  # unreachable: the last attempt returns or raises


def _over_memory(exc: TransientError) -> bool:
    """The server's memory limit for one transaction (db.memory.transaction.max) refused it."""
    return exc.code == MEMORY_ERROR


def _commit_fitting(session: Any, work: Callable[[Any, list[Any]], None], rows: list[Any]) -> None:
    """`work(tx, rows)` in one transaction; a batch the memory limit refuses is split in halves, each
    committed on its own."""
    try:
        _in_transaction(session, lambda tx: work(tx, rows))
    except TransientError as exc:
        if not _over_memory(exc) or len(rows) == 1:
            raise
        half = len(rows) // 2
        log.info("neo4j: a batch of %d rows is over the transaction memory limit: halved", len(rows))
        _commit_fitting(session, work, rows[:half])
        _commit_fitting(session, work, rows[half:])


def _write(tx: Any, statement: str, rows: list[list[Any]], build_id: str) -> None:
    tx.run(statement, {"rows": rows, "build_id": build_id}).consume()


def _write_relationships(
    tx: Any, rel_type: str, batch: list[tuple[str, str, dict[str, Any]]], build_id: str, create: bool = False
) -> None:
    """One batch of one type, (source label, target label, row) each: look the ends up, then MERGE.

    A row whose end is missing is left out; _verify then finds the load short and keeps the old data.
    """
    wanted: dict[str, set[str]] = defaultdict(set)
    for src_label, dst_label, row in batch:
        wanted[src_label].add(row["src"])
        wanted[dst_label].add(row["dst"])
    element_ids: dict[str, dict[str, str]] = {}
    for label, ids in wanted.items():
        record = tx.run(lookup_statement(label), {"ids": list(ids)}).single()
        element_ids[label] = dict(zip(record["ids"], record["element_ids"], strict=True))
    columns = rel_columns(rel_type)
    rows = []
    for src_label, dst_label, row in batch:
        a = element_ids[src_label].get(row["src"])
        b = element_ids[dst_label].get(row["dst"])
        if a is not None and b is not None:
            rows.append([a, b, *(row[c] for c in columns)])
    tx.run(rel_statement(rel_type, create), {"rows": rows, "build_id": build_id}).consume()


def _single(tx: Any, statement: str, params: dict[str, Any]) -> int:
    return int(tx.run(statement, params).single()[0])


def _pairs(tx: Any, statement: str, params: dict[str, Any]) -> dict[str, int]:
    return {record[0]: int(record[1]) for record in tx.run(statement, params)}


def _fetch(tx: Any, cypher: str, params: dict[str, Any], row_cap: int | None) -> tuple[list[str], Rows]:
    result = tx.run(cypher, params)
    columns = list(result.keys())
    rows: Rows = []
    for record in result:
        if row_cap is not None and len(rows) >= row_cap:
            break  # the rest is discarded by the driver, not fetched
        rows.append([_plain(v) for v in record.values()])
    return columns, rows


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


def store_error(
    exc: Exception,
    timeout: float | None = None,
    settings: Neo4jSettings | None = None,
    connected: bool = False,
) -> StoreError:
    """The store's error for a driver error, in one line: authentication failed, server not reachable
    (or, once `connected`, connection lost), read-only refusal, timeout, or anything else.
    `settings` name the server and user in the message when given."""
    from neo4j.exceptions import AuthError, ClientError, Neo4jError, ServiceUnavailable, SessionExpired

    at = f" at {settings.uri}" if settings else ""
    if isinstance(exc, AuthError):
        user = f" for user {settings.user}" if settings else ""
        return StoreError(f"Neo4j authentication failed{user}{at}; check NEO4J_PASSWORD (and NEO4J_USER)")
    if isinstance(exc, ServiceUnavailable | SessionExpired):
        reason = _os_reason(exc)
        if connected:
            return StoreError(
                f"lost the connection to Neo4j{at}{reason}: is it still running? "
                "A load cut short can be run again (it resumes without duplicates)"
            )
        return StoreError(f"Neo4j is not reachable{at}{reason}: {HOW_TO_START}")
    if isinstance(exc, Neo4jError) and "Memory" in (exc.code or ""):
        # MemoryPoolOutOfMemoryError (db.memory.transaction.max and the like), OutOfMemoryError
        return QueryTooLarge(f"the query needs more memory than the server allows it ({exc.code})")
    if isinstance(exc, ClientError):
        code = exc.code or ""
        if "AccessMode" in code or "ForbiddenOnReadOnlyDatabase" in code:
            return ReadOnlyError(exc.message or str(exc))
        if "TransactionTimedOut" in code or "Terminated" in code:
            return QueryTimeout(f"query exceeded {timeout}s" if timeout else "transaction timed out")
        return StoreError(exc.message or str(exc))
    return StoreError(" ".join(str(exc).split()) or type(exc).__name__)


def _os_reason(exc: BaseException) -> str:
    """ " (connection refused)" from the OSError behind a driver error, else ""."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, OSError) and cause.strerror:
            return f" ({cause.strerror.lower()})"
        cause = cause.__cause__ or cause.__context__
    return ""
