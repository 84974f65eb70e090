"""Run presets and free Cypher read-only on either store: the CLI, the app and notebooks go through here.

Every query is (1) rewritten for the store's dialect (queries/dialect.py), (2) checked by
queries/guard.py before it is sent — a write, or a text or parameters past the bounds the engines
survive, is refused with one clear line — and (3) run through `Store.read`, the store's read-only mode
(a read-only Ladybug `Database`, a Neo4j READ session), with a timeout and a row cap. Free Cypher runs
isolated, in a worker process (graph/stores/worker.py); presets run in this process: their texts are
fixed and tested on both stores, their parameters validated (type, bounds, allowed values), and the
store bounds their time all the same. The result carries the subgraph to draw, taken from the node /
relationship / path values it returns, or from the preset's `subgraph` spec of columns.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from graph.schema import LABELS
from graph.stores.base import DIALECTS, QueryTimeout, QueryTooLarge, ReadOnlyError, Store, StoreError
from queries.catalog import Preset, PresetError, get_preset
from queries.dialect import expand_fragments, translate
from queries.guard import QueryRefused, WriteRefused, check_query, check_text

DEFAULT_ROW_CAP = 1000
DEFAULT_TIMEOUT = 30.0
STRICT_CAP = 100_000  # values fetched to check a strict parameter

# For free queries: columns by this convention draw an edge per row (see `convention_spec`).
CONVENTION_EDGE = ("src_id", "dst_id")

__all__ = [
    "DEFAULT_ROW_CAP",
    "DEFAULT_TIMEOUT",
    "PresetError",
    "QueryRefused",
    "QueryTimeout",
    "QueryTooLarge",
    "ReadOnlyError",
    "Result",
    "Runner",
    "StoreError",
    "WriteRefused",
]


@dataclass
class Result:
    columns: list[str]
    rows: list[list[Any]]
    truncated: bool = False
    subgraph: dict[str, list[dict[str, Any]]] | None = None
    elapsed_ms: float = 0.0
    cypher: str = field(default="", repr=False)
    params: dict[str, Any] = field(default_factory=dict, repr=False)

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def column(self, name: str) -> list[Any]:
        k = self.columns.index(name)
        return [row[k] for row in self.rows]

    def to_json(self) -> dict[str, Any]:
        return {"columns": self.columns, "rows": self.rows}


class Runner:
    """Read-only queries on one store. `run(preset_id, params)`, `cypher(text, params)`, `values(…)`."""

    def __init__(
        self, store: Store, row_cap: int = DEFAULT_ROW_CAP, timeout: float = DEFAULT_TIMEOUT
    ) -> None:
        if row_cap < 1:
            raise ValueError("row_cap must be at least 1")
        if not isinstance(store, Store) or getattr(store, "dialect", None) not in DIALECTS:
            raise ValueError(
                f"{type(store).__name__} is not a store: it needs read(), counts() and a dialect "
                f"({' or '.join(DIALECTS)}); graph.stores.open_store makes one"
            )
        self.store = store
        self.dialect: str = store.dialect
        self.row_cap = row_cap
        self.timeout = timeout

    # --- entry points ------------------------------------------------------------------------------

    def run(
        self,
        preset: str | Preset,
        params: dict[str, Any] | None = None,
        row_cap: int | None = None,
        timeout: float | None = None,
        subgraph: bool = True,
    ) -> Result:
        """Run a preset: parameters validated (type, bounds, allowed values), then the store's text.
        `subgraph=False`: the rows alone, without the network drawn from them (a table or a count
        over every actor needs no relationships among them)."""
        p = get_preset(preset) if isinstance(preset, str) else preset
        bound = p.bind(params)
        clock = _Clock(timeout or self.timeout)  # one timeout for every read of the run
        self._check_strict(p, bound, clock)
        text, driver_params = p.render(self.dialect, bound)
        result = self._execute(text, driver_params, row_cap, clock)
        _parse_json_columns(result, p.json_columns)
        if p.unnest:
            _unnest(result, p.unnest)
        result.subgraph = self._subgraph(result, p.subgraph, clock) if subgraph else None
        result.params = bound
        return result

    def cypher(
        self,
        text: str,
        params: dict[str, Any] | None = None,
        row_cap: int | None = None,
        timeout: float | None = None,
    ) -> Result:
        """Run a free read-only query; columns src_id/dst_id (+ rel/type, src, dst …) draw edges. It runs
        isolated (Store.read): text typed by a user can neither crash nor exhaust this process."""
        clock = _Clock(timeout or self.timeout)
        result = self._execute(text, dict(params or {}), row_cap, clock, isolated=True)
        result.subgraph = self._subgraph(result, convention_spec(result.columns), clock)
        return result

    def values(self, preset: str | Preset, param: str, row_cap: int | None = None) -> list[Any]:
        """The choices for a parameter's dropdown: fixed `choices`, or the first column of `values`."""
        return self._values(preset, param, row_cap, _Clock(self.timeout))[0]

    def _values(
        self, preset: str | Preset, param: str, row_cap: int | None, clock: _Clock
    ) -> tuple[list[Any], bool]:
        p = get_preset(preset) if isinstance(preset, str) else preset
        spec = p.param(param)
        if spec.choices:
            return list(spec.choices), False
        if not spec.values:
            return [], False
        result = self._execute(expand_fragments(spec.values), {}, row_cap, clock)
        out: list[Any] = []
        seen: set[Any] = set()
        for row in result.rows:
            value = row[0] if row else None
            key = repr(value)
            if value is not None and key not in seen:
                seen.add(key)
                out.append(value)
        return out, result.truncated

    # --- internals ---------------------------------------------------------------------------------

    def _check_strict(self, preset: Preset, bound: dict[str, Any], clock: _Clock) -> None:
        for spec in preset.params:
            value = bound.get(spec.name)
            if not spec.strict or value in (None, "") or value == spec.default:
                continue
            allowed, truncated = self._values(preset, spec.name, STRICT_CAP, clock)
            if value not in allowed and not truncated:  # a list cut short cannot refuse a value
                shown = "、".join(map(str, allowed[:12])) + (" …" if len(allowed) > 12 else "")
                raise PresetError(f"parameter {spec.name!r}: {value!r} is not in the graph; try: {shown}")

    def _execute(
        self,
        text: str,
        params: dict[str, Any],
        row_cap: int | None,
        clock: _Clock,
        isolated: bool = False,
    ) -> Result:
        check_text(text)  # before the rewrites read it
        text = translate(text, self.dialect)
        check_query(text, params)  # raises QueryRefused (WriteRefused) before anything is sent
        cap = row_cap or self.row_cap
        seconds = clock.left()
        start = time.perf_counter()
        # One row past the cap tells a cut answer from one that fits exactly.
        try:
            columns, rows = self.store.read(text, params, timeout=seconds, row_cap=cap + 1, isolated=isolated)
        except QueryTimeout:
            if seconds < clock.seconds:  # a later read of the run: say the run's timeout
                raise clock.timeout() from None
            raise
        elapsed = (time.perf_counter() - start) * 1000
        truncated = len(rows) > cap
        rows = [[_clean(v) for v in row] for row in rows[:cap]]
        return Result(columns, rows, truncated, None, elapsed, cypher=text, params=params)

    def _subgraph(self, result: Result, spec: dict[str, Any] | None, clock: _Clock) -> dict[str, list] | None:
        graph = _Subgraph()
        for row in result.rows:
            for value in row:
                graph.add_value(value)
        if spec:
            records = result.records()
            for node in spec.get("nodes") or ():
                for rec in records:
                    graph.add_spec_nodes(node, rec)
            for edge in spec.get("edges") or ():
                for rec in records:
                    graph.add_spec_edges(edge, rec)
            if spec.get("induced") and graph.nodes:
                self._add_induced(graph, clock)
        return graph.to_json() if graph.nodes or graph.edges else None

    def _add_induced(self, graph: _Subgraph, clock: _Clock) -> None:
        """The relationships among the drawn nodes (with their evidence, to show on hover), and the
        names/labels the rows left out (read-only)."""
        ids = sorted(graph.nodes)
        text = (
            "MATCH (a) WHERE a.id IN $ids MATCH (a)-[r]->(b) WHERE b.id IN $ids "
            "RETURN a.id AS src, type(r) AS type, b.id AS dst, r.key AS key, r.role AS role, r.ord AS ord, "
            "r.evidence AS evidence"
        )
        rows = self._execute(text, {"ids": ids}, 20 * self.row_cap, clock).rows
        for src, rel_type, dst, key, role, ord_, evidence in rows:
            graph.add_edge(src, dst, rel_type, key or "", role=role, ord=ord_, evidence=_json(evidence))
        missing = sorted(i for i, n in graph.nodes.items() if not (n["name"] and n["label"]))
        if missing:
            text = "MATCH (a) WHERE a.id IN $ids RETURN a.id AS id, a.name AS name, labels(a)[0] AS label"
            named = self._execute(text, {"ids": missing}, len(missing) + 1, clock).rows
            for node_id, name, label in named:
                graph.add_node(node_id, label, name)


@dataclass
class _Clock:
    """The timeout of a run: a preset's reads (values, the query, its subgraph) share it. It starts
    with the first read, which gets all of it."""

    seconds: float
    ends: float | None = None

    def timeout(self) -> QueryTimeout:
        return QueryTimeout(f"query exceeded {self.seconds}s")

    def left(self) -> float:
        """Seconds left for the next read; QueryTimeout when none are."""
        if self.ends is None:
            self.ends = time.monotonic() + self.seconds
            return self.seconds
        left = self.ends - time.monotonic()
        if left <= 0.01:
            raise self.timeout()
        return left


def convention_spec(columns: Iterable[str]) -> dict[str, Any] | None:
    """Free-query convention: src_id + dst_id draw an edge (type from rel/type); src/dst name them."""
    cols = set(columns)
    if not set(CONVENTION_EDGE) <= cols:
        return None
    type_col = next((c for c in ("rel", "type", "rel_type") if c in cols), None)
    nodes = []
    for end in ("src", "dst"):
        node = {"id": f"{end}_id"}
        for key, candidates in (("name", (end, f"{end}_name")), ("label", (f"{end}_label",))):
            col = next((c for c in candidates if c in cols), None)
            if col:
                node[key] = col
        nodes.append(node)
    return {"nodes": nodes, "edges": [{"src": "src_id", "dst": "dst_id", "type": type_col or "=RELATED"}]}


# --- values: the same shapes from both stores ---------------------------------------------------------


def _clean(value: Any) -> Any:
    """Graph values without null properties (Ladybug lists every column, Neo4j only the set ones)."""
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if v is not None or k in ("_src", "_dst")}
    return value


def is_node(value: Any) -> bool:
    return isinstance(value, dict) and "_label" in value


def is_rel(value: Any) -> bool:
    return isinstance(value, dict) and "_type" in value


def is_path(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"nodes", "rels"}


def _json(value: Any) -> Any:
    """A JSON string as its value; anything else (or text that is not JSON) as it is."""
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return json.loads(value)
    return value


def _parse_json_columns(result: Result, names: Iterable[str]) -> None:
    for name in names:
        if name not in result.columns:
            continue
        k = result.columns.index(name)
        for row in result.rows:
            if isinstance(row[k], str):
                with contextlib.suppress(ValueError):
                    row[k] = json.loads(row[k])


def _unnest(result: Result, spec: dict[str, Any]) -> None:
    """One row per item of a list column; dict items spread into `fields` columns (in its place)."""
    name = spec["column"]
    if name not in result.columns:
        return
    k = result.columns.index(name)
    fields = list(spec.get("fields") or ())
    rows = []
    for row in result.rows:
        items = row[k]
        if isinstance(items, str):
            try:
                items = json.loads(items)
            except ValueError:
                items = [items]
        for item in items if isinstance(items, list) and items else [None]:
            if fields:
                spread = [item.get(f) if isinstance(item, dict) else None for f in fields]
                rows.append(row[:k] + spread + row[k + 1 :])
            else:
                rows.append([*row[:k], item, *row[k + 1 :]])
    result.columns = result.columns[:k] + (fields or [name]) + result.columns[k + 1 :]
    result.rows = rows


class _Subgraph:
    """Nodes by id, edges by (src, type, dst, key): what an app needs to draw the answer."""

    def __init__(self) -> None:
        self.nodes: dict[str, dict[str, Any]] = {}
        self.edges: dict[tuple[str, str, str, str], dict[str, Any]] = {}

    def add_node(self, node_id: Any, label: Any = None, name: Any = None) -> None:
        if node_id is None:
            return
        node = self.nodes.setdefault(str(node_id), {"id": str(node_id), "label": None, "name": None})
        if label and not node["label"]:
            node["label"] = label
        if name and not node["name"]:
            node["name"] = name

    def add_edge(self, src: Any, dst: Any, rel_type: Any, key: str = "", **props: Any) -> None:
        if src is None or dst is None:
            return
        self.add_node(src)
        self.add_node(dst)
        ident = (str(src), str(rel_type or ""), str(dst), key or "")
        edge = self.edges.setdefault(ident, {"src": str(src), "dst": str(dst), "type": rel_type})
        edge.update({k: v for k, v in props.items() if v is not None})

    def add_value(self, value: Any) -> None:
        if is_path(value):
            for n in value["nodes"]:
                self.add_value(n)
            for r in value["rels"]:
                self.add_value(r)
        elif is_node(value):
            self.add_node(value.get("id"), value.get("_label"), value.get("name"))
        elif is_rel(value):
            props = {k: value[k] for k in ("role", "ord") if k in value}
            self.add_edge(
                value.get("_src"), value.get("_dst"), value["_type"], value.get("key") or "", **props
            )
        elif isinstance(value, list):
            for v in value:
                self.add_value(v)

    @staticmethod
    def _get(rec: dict[str, Any], ref: Any) -> Any:
        if isinstance(ref, str) and ref.startswith("="):
            return ref[1:]
        return rec.get(ref) if ref else None

    def _zipped(self, spec: dict[str, Any], rec: dict[str, Any], keys: tuple[str, ...]) -> list[tuple]:
        """Spec fields → values; list columns (parallel collect()s) expand element by element."""
        values = [self._get(rec, spec.get(k)) for k in keys]
        lengths = {len(v) for v in values if isinstance(v, list)}
        if not lengths:
            return [tuple(values)]
        n = min(lengths)
        return [tuple(v[i] if isinstance(v, list) else v for v in values) for i in range(n)]

    def add_spec_nodes(self, spec: dict[str, Any], rec: dict[str, Any]) -> None:
        for node_id, name, label in self._zipped(spec, rec, ("id", "name", "label")):
            self.add_node(node_id, label, name)

    def add_spec_edges(self, spec: dict[str, Any], rec: dict[str, Any]) -> None:
        for src, dst, rel_type in self._zipped(spec, rec, ("src", "dst", "type")):
            self.add_edge(src, dst, rel_type)

    def to_json(self) -> dict[str, list[dict[str, Any]]]:
        for node in self.nodes.values():  # ids are `<Label>:name`: a label the rows left out
            prefix = node["id"].split(":", 1)[0]
            if not node["label"] and ":" in node["id"] and prefix in LABELS:
                node["label"] = prefix
        return {"nodes": list(self.nodes.values()), "edges": list(self.edges.values())}
