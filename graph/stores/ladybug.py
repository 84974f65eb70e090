"""The embedded store: one LadybugDB file (default data/build/graph.lbdb).

Dialect notes that shape this module (shared/research/engines.md):
- the schema is strict, so the DDL comes from graph/schema.py and every UNWIND row has identical keys;
- the load is the engine's bulk path: COPY FROM an Arrow table per label and per (type, source label,
  target label), all in one transaction with automatic checkpoints off and one checkpoint at the end
  (UNWIND … CREATE, with a commit or checkpoint per statement, was 2–3× slower at 10× the corpus);
- a read-only `Database` is the write guard for reads; it is a snapshot, reopened once the file is replaced;
- threads share that `Database` but never a connection: each read borrows one of its own;
- one writer process; the file is replaced atomically, so a failed load leaves the old graph intact;
- every read ends within its timeout + GRACE for the caller (`bounded`): the engine's timeout alone is
  not a bound (it is not looked at while a query is parsed, nor inside one huge expression);
- an `isolated` read (free Cypher) runs in a worker process (graph/stores/worker.py) with its own
  read-only `Database`, killed past its timeout or its memory bound: deep nesting crashed the engine
  with a segmentation fault, and a huge UNWIND took 8.5 GB and 50 s in the caller's process.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ladybug
import pyarrow as pa

from graph.model import Graph
from graph.schema import LABELS, REL_TYPES, Prop, ladybug_ddl, node_props, rel_props
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

DEFAULT_DB = Path("data/build/graph.lbdb")
_SIDE_FILES = ("", ".wal", ".shadow", ".lock")  # what Ladybug may keep next to the main file
# Engine messages that mean "out of memory" (a failed allocation, a full buffer pool), and what the
# one-line error says of each.
_OUT_OF_MEMORY = {"bad_alloc": "out of memory", "buffer pool is full": "buffer pool full"}


# Schema types → Arrow types of the columns COPY reads.
_ARROW_TYPES = {
    "STRING": pa.string(),
    "INT64": pa.int64(),
    "DOUBLE": pa.float64(),
    "BOOL": pa.bool_(),
    "STRING[]": pa.list_(pa.string()),
}


def arrow_table(rows: list[dict[str, Any]], props: tuple[Prop, ...], ends: bool = False) -> pa.Table:
    """Rows → an Arrow table whose columns are the DDL's, in its order (`src`, `dst` first for a
    relationship: COPY reads the first two columns as the primary keys of its ends)."""
    names = (["src", "dst"] if ends else []) + [p.name for p in props]
    types = ([pa.string(), pa.string()] if ends else []) + [_ARROW_TYPES[p.type] for p in props]
    try:
        return pa.table({n: pa.array([r[n] for r in rows], t) for n, t in zip(names, types, strict=True)})
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise StoreError(f"ladybug load: a value does not fit its column: {exc}") from exc


_COPIED = re.compile(r"(\d+) tuples have been copied")


def node_copy(label: str) -> str:
    """COPY of one label's rows, from the Arrow table bound to the name `rows_table`."""
    return f"COPY {label} FROM rows_table"


def rel_copy(rel_type: str, src_label: str, dst_label: str) -> str:
    """COPY of one (type, source label, target label) group: a multi-pair REL TABLE needs the pair."""
    return f"COPY {rel_type} FROM rows_table (from='{src_label}', to='{dst_label}')"


def _remove_files(path: Path) -> None:
    for suffix in _SIDE_FILES:
        Path(f"{path}{suffix}").unlink(missing_ok=True)


class LadybugStore:
    """The embedded store; one object serves any number of threads (see `_reading`)."""

    dialect = "ladybug"

    def __init__(
        self, path: str | Path = DEFAULT_DB, batch_size: int = 500_000, read_threads: int = 0
    ) -> None:
        """`read_threads`: the threads one read may use (0: every core)."""
        self.path = Path(path)
        self.batch_size = batch_size
        self.read_threads = read_threads
        self._lock = threading.Lock()
        self._reader: _Reader | None = None
        self._workers: WorkerPool | None = None

    # --- load ------------------------------------------------------------------------------------

    def load(self, graph: Graph) -> None:
        """Build the whole graph into a temporary file beside the target, then rename it over the target."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.tmp-{os.getpid()}")
        _remove_files(tmp)
        try:
            db = ladybug.Database(str(tmp), auto_checkpoint=False)
            conn = ladybug.Connection(db)
            try:
                for statement in ladybug_ddl():
                    conn.execute(statement)
                self._verify(self._write(conn, graph), graph)
            finally:
                conn.close()
                db.close()
            with self._lock:
                self._retire_reader()
            # A stale WAL of the old file would be replayed onto the new one: remove it first.
            for suffix in _SIDE_FILES[1:]:
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
                if Path(f"{tmp}{suffix}").exists():
                    os.replace(f"{tmp}{suffix}", f"{self.path}{suffix}")
            os.replace(tmp, self.path)
        except BaseException:
            _remove_files(tmp)
            raise
        log.info(
            "ladybug: loaded %d nodes, %d relationships into %s",
            sum(graph.node_counts().values()),
            len(graph.edges),
            self.path,
        )

    def _write(self, conn: ladybug.Connection, graph: Graph) -> Counts:
        """COPY every label and relationship group; what each COPY reports having copied, added up."""
        # One transaction and one checkpoint for the whole load: a commit (or an automatic
        # checkpoint) per statement cost more than the statements. The file is temporary anyway.
        copied = empty_counts(LABELS, REL_TYPES)
        conn.execute("BEGIN TRANSACTION")
        for label, rows in node_rows(graph).items():
            for batch in batches(rows, self.batch_size):
                n = _copy(conn, node_copy(label), arrow_table(batch, node_props(label)))
                copied["nodes"][label] += n
        for (rel_type, src, dst), rows in rel_rows(graph).items():
            for batch in batches(rows, self.batch_size):
                table = arrow_table(batch, rel_props(rel_type), ends=True)
                copied["relationships"][rel_type] += _copy(conn, rel_copy(rel_type, src, dst), table)
        conn.execute("COMMIT")
        conn.execute("CHECKPOINT")
        return copied

    @staticmethod
    def _verify(copied: Counts, graph: Graph) -> None:
        """Every row is in the store: the counts the COPY statements reported are the graph's."""
        want = empty_counts(LABELS, REL_TYPES)
        want["nodes"].update(graph.node_counts())
        want["relationships"].update(graph.edge_counts())
        if copied != want:
            diff = {
                k: (want[part][k], copied[part][k])
                for part in ("nodes", "relationships")
                for k in want[part]
                if want[part][k] != copied[part][k]
            }
            raise StoreError(f"ladybug load incomplete (expected, stored): {diff}")

    # --- read ------------------------------------------------------------------------------------

    def _stamp(self) -> tuple[int, int]:
        st = self.path.stat()
        return st.st_ino, st.st_mtime_ns

    @contextlib.contextmanager
    def _reading(self) -> Iterator[ladybug.Connection]:
        """A read-only connection of its own for this call: threads never share one (a connection
        interrupted by its timeout while another thread used it deadlocked). The read-only `Database`
        is shared and reopened when the file was replaced since it was opened."""
        with self._lock:
            if not self.path.exists():
                raise StoreError(f"no graph at {self.path}: run `ikg build` first")
            stamp = self._stamp()
            if self._reader is None or self._reader.stamp != stamp:
                self._retire_reader()
                db = ladybug.Database(str(self.path), read_only=True, max_num_threads=self.read_threads)
                self._reader = _Reader(db, stamp)
            reader = self._reader
            conn = reader.borrow()
        try:
            yield conn
        finally:
            with self._lock:
                reader.give_back(conn)

    def _retire_reader(self) -> None:
        """Stop handing out the current reader; it closes once its last connection comes back."""
        if self._reader is not None:
            self._reader.retire()
            self._reader = None

    def read(
        self,
        cypher: str,
        params: dict[str, Any] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        row_cap: int | None = None,
        isolated: bool = False,
    ) -> tuple[list[str], Rows]:
        if isolated:
            return self.workers().read(cypher, params, timeout, row_cap)
        return bounded(lambda: self._read(cypher, params, timeout, row_cap), timeout)

    def _read(
        self, cypher: str, params: dict[str, Any] | None, timeout: float, row_cap: int | None
    ) -> tuple[list[str], Rows]:
        with self._reading() as conn:
            return _run(conn, cypher, params, timeout, row_cap)

    def workers(self) -> WorkerPool:
        """The worker processes of isolated reads (each reopens the file once it is replaced, as here)."""
        with self._lock:
            if self._workers is None:
                # One thread per free query: the cores stay with the app's sessions.
                self._workers = WorkerPool("embedded", {"path": str(self.path), "read_threads": 1})
            return self._workers

    def counts(self) -> Counts:
        if not self.path.exists():
            return empty_counts(LABELS, REL_TYPES)
        with self._reading() as conn:
            return _counts(conn)

    def clear(self) -> None:
        with self._lock:
            self._retire_reader()
        _remove_files(self.path)

    def close(self) -> None:
        with self._lock:
            self._retire_reader()
            workers, self._workers = self._workers, None
        if workers is not None:
            workers.close()

    def storage_version(self) -> str:
        """`<ladybug version>/<storage format>`: record it, formats change between releases."""
        with self._reading():
            assert self._reader is not None
            db = self._reader.db
            return f"{db.get_version()}/{db.get_storage_version()}"


class _Reader:
    """One read-only Database of one version of the file and its idle connections (under the store's lock)."""

    def __init__(self, db: ladybug.Database, stamp: tuple[int, int]) -> None:
        self.db = db
        self.stamp = stamp
        self.idle: list[ladybug.Connection] = []
        self.busy = 0
        self.retired = False

    def borrow(self) -> ladybug.Connection:
        self.busy += 1
        return self.idle.pop() if self.idle else ladybug.Connection(self.db)

    def give_back(self, conn: ladybug.Connection) -> None:
        self.busy -= 1
        if self.retired:
            conn.close()
            self._close_if_done()
        else:
            self.idle.append(conn)

    def retire(self) -> None:
        self.retired = True
        for conn in self.idle:
            conn.close()
        self.idle.clear()
        self._close_if_done()

    def _close_if_done(self) -> None:
        if self.busy == 0:
            self.db.close()


def _copy(conn: ladybug.Connection, statement: str, rows_table: pa.Table) -> int:
    """Run a COPY … FROM rows_table (Ladybug finds the Arrow table by its name among the caller's
    locals); the number of rows it reports having copied. A row whose end is not in the graph fails
    the COPY (and the load): it is not silently left out."""
    try:
        result = conn.execute(statement)
    except RuntimeError as exc:
        raise StoreError(f"ladybug load failed ({statement.split(' FROM ')[0]}): {exc}") from exc
    assert not isinstance(result, list)  # one statement, one result
    message = str(result.get_next()[0])
    found = _COPIED.match(message)
    if found is None:
        raise StoreError(f"ladybug load: unexpected COPY result {message!r}")
    return int(found.group(1))


def _counts(conn: ladybug.Connection) -> Counts:
    counts = empty_counts(LABELS, REL_TYPES)
    for label in LABELS:
        counts["nodes"][label] = int(conn.execute(f"MATCH (n:{label}) RETURN count(n)").get_next()[0])
    for rel_type in REL_TYPES:
        result = conn.execute(f"MATCH ()-[r:{rel_type}]->() RETURN count(r)")
        counts["relationships"][rel_type] = int(result.get_next()[0])
    return counts


def _run(
    conn: ladybug.Connection,
    cypher: str,
    params: dict[str, Any] | None,
    timeout: float,
    row_cap: int | None = None,
) -> tuple[list[str], Rows]:
    conn.set_query_timeout(max(1, int(timeout * 1000)))
    try:
        return _fetch(conn, cypher, params, row_cap)
    except MemoryError:  # the binding's std::bad_alloc; raised below, once the rows held are released
        pass
    except RuntimeError as exc:
        message = str(exc)
        if "read-only" in message or "read only" in message.lower():
            raise ReadOnlyError(message) from exc
        if "Interrupted" in message:
            raise QueryTimeout(f"query exceeded {timeout}s") from exc
        for sign, reason in _OUT_OF_MEMORY.items():
            if sign in message:
                raise QueryTooLarge(f"the query needs more memory than it may use ({reason})") from exc
        raise StoreError(message) from exc
    raise QueryTooLarge("the query needs more memory than it may use (out of memory)")


def _fetch(
    conn: ladybug.Connection, cypher: str, params: dict[str, Any] | None, row_cap: int | None
) -> tuple[list[str], Rows]:
    result = conn.execute(cypher, params or {})
    if isinstance(result, list):  # several statements (the query guard refuses them): the last one's rows
        result = result[-1]
    columns = list(result.get_column_names())
    raw = []
    while result.has_next() and (row_cap is None or len(raw) < row_cap):
        raw.append(result.get_next())
    ids: dict[tuple[int, int], str] = {}
    for row in raw:
        _collect_ids(row, ids)
    return columns, [[_plain(v, ids) for v in row] for row in raw]


def _internal(value: dict[str, Any]) -> tuple[int, int]:
    return (value["table"], value["offset"])


def _collect_ids(value: Any, ids: dict[tuple[int, int], str]) -> None:
    if isinstance(value, dict):
        if "_LABEL" in value and "_ID" in value and "_SRC" not in value and "id" in value:
            ids[_internal(value["_ID"])] = value["id"]
        for v in value.values():
            _collect_ids(v, ids)
    elif isinstance(value, list):
        for v in value:
            _collect_ids(v, ids)


def _plain(value: Any, ids: dict[tuple[int, int], str]) -> Any:
    """Nodes → {"_label", props}, relationships → {"_type", "_src", "_dst", props}, as in the Neo4j store."""
    if isinstance(value, list):
        return [_plain(v, ids) for v in value]
    if not isinstance(value, dict):
        return value
    if "_NODES" in value and "_RELS" in value:
        return {"nodes": _plain(value["_NODES"], ids), "rels": _plain(value["_RELS"], ids)}
    if "_SRC" in value and "_LABEL" in value:
        out = {"_type": value["_LABEL"]}
        out["_src"] = ids.get(_internal(value["_SRC"]))
        out["_dst"] = ids.get(_internal(value["_DST"]))
        out.update({k: v for k, v in value.items() if not k.startswith("_")})
        return out
    if "_LABEL" in value and "_ID" in value:
        return {"_label": value["_LABEL"], **{k: v for k, v in value.items() if not k.startswith("_")}}
    return {k: _plain(v, ids) for k, v in value.items()}
