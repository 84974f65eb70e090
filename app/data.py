"""The app's way to the graph: every figure, table and network a page shows is a preset's answer.

One store object and one runner (queries/runner.py) serve every session (the stores are thread-safe);
answers are cached per graph build: a `Key` (store kind, location, build stamp) comes first in every
cached call, so a rebuilt graph is never answered from the previous build. The stamp is the LadybugDB
file's (a load replaces the file) or the build id Neo4j's nodes carry (a new one per load), read once
per page run. Answers become table cells in app/cells.py; the build report's figures are app/report.py.
Which store: app/config.py (IKG_STORE, NEO4J_URI, IKG_DB, IKG_GRAPH_DIR).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from app.config import Source, source
from graph.stores.base import open_store
from queries.runner import Result, Runner

TTL = 600  # seconds: a bound on answers read while a Neo4j load was running (see key)
MAX_ANSWERS = 4096  # answers kept per cached function (searches and parameters vary per user)
ALL_ROWS = 100_000  # row cap of the answers a page needs whole (every actor's degree)

Key = tuple[str, str, str]  # (kind, location, stamp)


def key(src: Source | None = None) -> Key:
    """The cache key of the current graph: a rebuild gets a new stamp. A StoreError (or a driver's
    error) when Neo4j cannot be read."""
    src = src or source()
    if src.kind == "embedded":
        try:
            st_ = Path(src.location).stat()
            stamp = f"{st_.st_ino}:{st_.st_mtime_ns}"
        except FileNotFoundError:
            stamp = "missing"
    else:
        stamp = _runner(src.kind, src.location).store.build_id()
    return (src.kind, src.location, stamp)


@st.cache_resource(show_spinner=False)
def _runner(kind: str, location: str) -> Runner:
    store = open_store("embedded", path=location) if kind == "embedded" else open_store("neo4j")
    return Runner(store)


def runner(k: Key) -> Runner:
    """The one runner (and store) of this graph, shared by every session and thread."""
    return _runner(k[0], k[1])


@st.cache_data(show_spinner=False, ttl=TTL, max_entries=MAX_ANSWERS)
def answer(
    k: Key,
    preset_id: str,
    params: tuple[tuple[str, Any], ...] = (),
    row_cap: int | None = None,
    subgraph: bool = True,
) -> Result:
    """A preset's Result (parameters as sorted (name, value) pairs, hashable for the cache)."""
    return runner(k).run(preset_id, dict(params), row_cap=row_cap, subgraph=subgraph)


def rows(k: Key, preset_id: str, **params: Any) -> list[dict[str, Any]]:
    """A preset's rows as records."""
    return answer(k, preset_id, tuple(sorted(params.items()))).records()


def hubs(k: Key) -> list[dict[str, Any]]:
    """Every actor with a relationship, highest degree first (the hubs preset, whole)."""
    # rows only: the relationships among every actor of the graph would be the whole graph again
    return answer(k, "hubs", (("kind", ""), ("limit", ALL_ROWS)), row_cap=ALL_ROWS, subgraph=False).records()


@st.cache_data(show_spinner=False, ttl=TTL)
def degrees(k: Key) -> dict[str, int]:
    """Every actor's degree, as the hubs preset counts it (ui.DEGREE says what it counts)."""
    return {r["id"]: int(r["degree"]) for r in hubs(k)}


@st.cache_data(show_spinner=False, ttl=TTL, max_entries=MAX_ANSWERS)
def preset_values(k: Key, preset_id: str, param: str) -> list[Any]:
    """A parameter's dropdown values (fixed choices, or the preset's values query on the graph)."""
    return runner(k).values(preset_id, param)


def run_preset(k: Key, preset_id: str, params: dict[str, Any], row_cap: int, timeout: float) -> Result:
    """A preset as the Presets page runs it: the user's row cap and timeout, not cached."""
    return runner(k).run(preset_id, params, row_cap=row_cap, timeout=timeout)


def run_cypher(k: Key, text: str, params: dict[str, Any], row_cap: int, timeout: float) -> Result:
    """Free Cypher through the runner (its guard refuses writes before the store's read-only mode)."""
    return runner(k).cypher(text, params, row_cap=row_cap, timeout=timeout)


def graph_counts(k: Key) -> dict[str, dict[str, int]]:
    """{"nodes": {label: n}, "relationships": {type: n}} from the graph_summary preset."""
    counts: dict[str, dict[str, int]] = {"nodes": {}, "relationships": {}}
    for r in rows(k, "graph_summary"):
        counts["nodes" if r["kind"] == "node" else "relationships"][r["name"]] = int(r["count"])
    return counts


# --- answers as networks ----------------------------------------------------------------------------


def neighbourhood(
    k: Key, actor_id: str, depth: int
) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """The neighbourhood preset's answer as viz input: nodes with their hop (0: the actor) and aliases."""
    result = answer(k, "neighbourhood", (("actor", actor_id), ("depth", depth)), row_cap=ALL_ROWS)
    nodes, edges = subgraph_view(result.subgraph)
    for r in result.records():
        nodes[r["id"]].update(hop=r["hops"], aliases=r["aliases"] or [])
        nodes[r["actor_id"]].update(hop=0, aliases=r["actor_aliases"] or [])
    return nodes, edges


def subgraph_view(
    sub: dict[str, list[dict[str, Any]]] | None,
) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """The runner's subgraph ({nodes: [{id, label, name}], edges: [{src, dst, type, …}]}) → viz input."""
    if not sub:
        return {}, []
    nodes = {
        str(n["id"]): {
            "id": str(n["id"]),
            "label": n.get("label") or "",
            "name": str(n.get("name") or n["id"]),
        }
        for n in sub.get("nodes") or []
    }
    edges = [
        {
            "src": str(e["src"]),
            "dst": str(e["dst"]),
            "type": str(e.get("type") or ""),
            "props": {p: e[p] for p in ("role", "ord") if e.get(p) is not None},
            "evidence": [x for x in e.get("evidence") or [] if isinstance(x, dict)],
        }
        for e in sub.get("edges") or []
    ]
    return nodes, edges


def structure(k: Key, system: str) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """The ecosystem_structure answer (one counted system, or every one with ""), as viz input."""
    result = answer(k, "ecosystem_structure", (("system", system),), row_cap=ALL_ROWS)
    return subgraph_view(result.subgraph)


def named_in(k: Key, documents: list[str]) -> set[str]:
    """The ids of the entities the given documents (file names) name: the document_entities preset."""
    ids: set[str] = set()
    for doc in documents:
        ids.update(
            r["id"] for r in answer(k, "document_entities", (("document", doc),), row_cap=ALL_ROWS).records()
        )
    return ids
