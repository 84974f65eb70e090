"""Read-only, cached access to the graph store for the app.

Which store: see app/config.py (IKG_STORE, NEO4J_URI, IKG_DB, IKG_GRAPH_DIR).

Every query here runs read-only on both stores, so it keeps to the Cypher both understand (see
shared/research/engines.md): no type()/labels() (relationship types come back as `_type`, node labels
as `_label` from the stores' result conversion), no multi-label patterns, no list indexing, no
APOC. Anything fancier (ranking, merging, string search) happens in Python on small results.

The cached functions take a `Key` (store kind, location, file stamp) first: a rebuilt LadybugDB file
has a new stamp, so the app never serves rows from the previous build.
"""

from __future__ import annotations

import json
import queue
import threading
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import streamlit as st

from app.config import Source, source
from graph.schema import ENTITY_LABELS, MENTIONED_IN, REL_SPECS, REL_TYPES
from graph.stores.base import Store, open_store
from ingest.records import TextDamage

TIMEOUT = 30.0
TTL = 600  # seconds: Neo4j has no file stamp, so its reads are refreshed this often

# The relationship types between entities (provenance edges to Document nodes excluded).
ENTITY_REL_TYPES: tuple[str, ...] = tuple(t for t in REL_TYPES if t != MENTIONED_IN)

Key = tuple[str, str, str]  # (kind, location, stamp)


def key(src: Source | None = None) -> Key:
    """The cache key of the current graph: a rebuilt file gets a new stamp."""
    src = src or source()
    stamp = ""
    if src.kind == "embedded":
        try:
            st_ = Path(src.location).stat()
            stamp = f"{st_.st_ino}:{st_.st_mtime_ns}"
        except FileNotFoundError:
            stamp = "missing"
    return (src.kind, src.location, stamp)


class StorePool:
    """Store handles for concurrent sessions: one LadybugDB handle per query in flight.

    Streamlit runs every session (and every rerun) in its own thread. A LadybugStore keeps one read
    connection, and sharing it between threads deadlocks when one query is interrupted by its
    timeout while another runs (seen 5 times in 6 under load). So each query borrows a handle of its
    own, returned afterwards for reuse. The Neo4j driver is thread-safe: one store is shared.
    """

    def __init__(self, kind: str, location: str) -> None:
        self.kind = kind
        self.location = location
        self._free: queue.SimpleQueue[Store] = queue.SimpleQueue()
        self._shared: Store | None = None
        self._lock = threading.Lock()

    def _new(self) -> Store:
        if self.kind == "embedded":
            return open_store("embedded", path=self.location)
        return open_store("neo4j")

    @contextmanager
    def borrow(self) -> Iterator[Store]:
        if self.kind != "embedded":
            with self._lock:
                if self._shared is None:
                    self._shared = self._new()
            yield self._shared
            return
        try:
            handle = self._free.get_nowait()
        except queue.Empty:
            handle = self._new()
        try:
            yield handle
        finally:
            self._free.put(handle)


@st.cache_resource(show_spinner=False)
def _pool(kind: str, location: str) -> StorePool:
    return StorePool(kind, location)


@contextmanager
def borrowed(k: Key) -> Iterator[Store]:
    """A store handle for this thread's query (see StorePool)."""
    with _pool(k[0], k[1]).borrow() as handle:
        yield handle


def run(k: Key, cypher: str, params: dict[str, Any] | None = None) -> tuple[list[str], list[list[Any]]]:
    """One read-only query on the store behind the key."""
    with borrowed(k) as handle:
        return handle.query(cypher, params or {}, read_only=True, timeout=TIMEOUT)


def rows(k: Key, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    columns, values = run(k, cypher, params)
    return [dict(zip(columns, row, strict=True)) for row in values]


# --- helpers ---------------------------------------------------------------------------------------


def parse_json(value: Any, default: Any = None) -> Any:
    """Stores keep dicts/lists of objects as JSON strings; tolerate both forms."""
    if value is None or value == "":
        return default
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return default
    return value


def node_info(node: dict[str, Any]) -> dict[str, Any]:
    """A store node (dict with `_label` and properties) → the fields the app shows."""
    return {
        "id": node.get("id"),
        "label": node.get("_label") or "",
        "name": node.get("name") or node.get("id") or "",
        "aliases": list(node.get("aliases") or []),
        "region": node.get("region"),
        "docs": list(node.get("docs") or []),
    }


def rel_info(rel: dict[str, Any]) -> dict[str, Any]:
    """A store relationship (dict with `_type`, `_src`, `_dst`) → type, ends, key props, evidence."""
    rel_type = rel.get("_type") or ""
    declared = {p.name for p in REL_SPECS[rel_type].props} if rel_type in REL_SPECS else set()
    return {
        "type": rel_type,
        "src": rel.get("_src"),
        "dst": rel.get("_dst"),
        "key": rel.get("key") or "",
        "props": {p: rel.get(p) for p in sorted(declared) if rel.get(p) is not None},
        "evidence": parse_json(rel.get("evidence"), []),
    }


def edge_id(edge: dict[str, Any]) -> tuple[str, str, str, str]:
    return (edge["src"], edge["type"], edge["dst"], edge.get("key") or "")


def _node(var: str, node_id: str) -> str:
    """`(var:Label {id: $id})` when the id names its label (`Label:…`), else `(var {id: $id})`.

    The label lets Neo4j use its per-label index instead of scanning every node.
    """
    label = node_id.split(":", 1)[0] if ":" in node_id else ""
    return f"({var}:{label} {{id: $id}})" if label in ENTITY_LABELS else f"({var} {{id: $id}})"


def _rel_pattern(types: tuple[str, ...] | list[str]) -> str:
    unknown = set(types) - set(REL_TYPES)
    if unknown:
        raise ValueError(f"unknown relationship types: {sorted(unknown)}")
    return "|".join(types)


# --- overview --------------------------------------------------------------------------------------


@st.cache_data(show_spinner=False, ttl=TTL)
def documents(k: Key) -> list[dict[str, Any]]:
    return rows(
        k,
        "MATCH (d:Document) RETURN d.id AS id, d.name AS name, d.title AS title, d.issuer AS issuer, "
        "d.date AS date ORDER BY d.name",
    )


@st.cache_data(show_spinner=False, ttl=TTL)
def counts(k: Key) -> dict[str, dict[str, int]]:
    with borrowed(k) as handle:
        return handle.counts()


@st.cache_data(show_spinner=False, ttl=TTL)
def _read_report(path: str, stamp: float) -> dict[str, Any] | None:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def build_report(graph_dir: str) -> dict[str, Any] | None:
    """data/build/build_report.json of the last build, or None when there is none."""
    path = Path(graph_dir) / "build_report.json"
    if not path.is_file():
        return None
    return _read_report(str(path), path.stat().st_mtime)


def damage_notes(report: dict[str, Any] | None) -> dict[str, str]:
    """File name → warning, for each document the last build read from damaged text."""
    notes: dict[str, str] = {}
    for name, damage in ((report or {}).get("damaged") or {}).items():
        try:
            notes[name] = TextDamage(**damage).describe()
        except TypeError:  # a report written by another version
            notes[name] = "damaged text salvaged"
    return notes


def quality_summary(report: dict[str, Any] | None) -> dict[str, Any]:
    """Pruned and merged figures of a build report, flattened for display."""
    if not report:
        return {}
    pruned = report.get("pruned") or {}
    merges = report.get("merges_by_reason") or {}
    kept_apart = {k: v for k, v in merges.items() if k.startswith("kept_apart")}
    merged = {k: v for k, v in merges.items() if not k.startswith("kept_apart")}
    return {
        "documents": len(report.get("documents") or []),
        "pruned_total": sum(pruned.values()),
        "pruned": pruned,
        "pruned_items": report.get("pruned_items") or [],
        "merged_total": report.get("merged", sum(merged.values())),
        "merged": merged,
        "kept_apart": kept_apart,
        "store": report.get("store") or {},
    }


@st.cache_data(show_spinner=False, ttl=TTL)
def counted_structures(k: Key) -> list[dict[str, Any]]:
    """Counted systems (1+4+N): declared counts per role against the members the documents name."""
    result = rows(
        k,
        "MATCH (s:InnovationSystem) OPTIONAL MATCH (m)-[r:MEMBER_OF]->(s) "
        "RETURN s.id AS id, s.name AS name, s.declared AS declared, s.declared_total AS declared_total, "
        "s.props AS props, r.role AS role, m.name AS member",
    )
    systems: dict[str, dict[str, Any]] = {}
    for row in result:
        item = systems.setdefault(
            row["id"],
            {
                "id": row["id"],
                "name": row["name"],
                "formula": (parse_json(row["props"], {}) or {}).get("formula") or "",
                "roles": list((parse_json(row["props"], {}) or {}).get("roles") or []),
                "declared": parse_json(row["declared"], {}) or {},
                "declared_total": row["declared_total"],
                "members": defaultdict(list),
            },
        )
        if row["member"] is not None:
            item["members"][row["role"] or ""].append(row["member"])
    out = []
    for item in systems.values():
        declared = item["declared"]
        # Roles in the order the plan gives them (declared counts, then the formula), then the rest.
        order = list(dict.fromkeys([*declared, *item["roles"], *sorted(item["members"])]))
        members = {role: sorted(set(item["members"][role])) for role in order if item["members"].get(role)}
        named = sum(len(v) for v in members.values())
        per_role = [
            f"{role}: {len(members.get(role, []))}/{declared.get(role, '?')}"
            for role in order
            if role in declared or role in members
        ]
        total = item["declared_total"]
        if total is None:
            status = "no declared count"
        elif named >= total:
            status = "complete"
        else:
            status = f"{total - named} not named"
        out.append(
            {
                "structure": item["name"],
                "formula": item["formula"],
                "declared": total,
                "named": named,
                "named / declared per role": ", ".join(per_role),
                "status": status,
                "members": "、".join(n for names in members.values() for n in names),
                "id": item["id"],
            }
        )
    # Systems with a declared size first, then the most populated.
    return sorted(out, key=lambda r: (r["declared"] is None, -r["named"], r["structure"]))


@st.cache_data(show_spinner=False, ttl=TTL)
def chains(k: Key) -> list[dict[str, Any]]:
    """Every industry chain with its cluster (None when the documents name none)."""
    result = rows(
        k,
        "MATCH (c:IndustryChain) OPTIONAL MATCH (c)-[:PART_OF_CLUSTER]->(k:IndustryCluster) "
        "RETURN c.id AS id, c.name AS name, k.id AS cluster_id, k.name AS cluster",
    )
    by_id: dict[str, dict[str, Any]] = {}
    for row in result:  # a chain in two clusters keeps both
        item = by_id.setdefault(row["id"], {"id": row["id"], "name": row["name"], "clusters": []})
        if row["cluster_id"]:
            item["clusters"].append((row["cluster_id"], row["cluster"]))
    for item in by_id.values():
        item["clusters"].sort()
    return sorted(by_id.values(), key=lambda c: (c["name"], c["id"]))


@st.cache_data(show_spinner=False, ttl=TTL)
def clusters(k: Key) -> list[dict[str, Any]]:
    return rows(k, "MATCH (k:IndustryCluster) RETURN k.id AS id, k.name AS name ORDER BY k.name")


def clusters_with_chains(k: Key) -> list[dict[str, Any]]:
    """Clusters → their chains, plus a last row for chains without a cluster."""
    members: dict[str, list[str]] = defaultdict(list)
    loose = []
    for chain in chains(k):
        for cluster_id, _ in chain["clusters"]:
            members[cluster_id].append(chain["name"])
        if not chain["clusters"]:
            loose.append(chain["name"])
    out = [
        {"cluster": c["name"], "chains": len(members[c["id"]]), "chain names": "、".join(members[c["id"]])}
        for c in clusters(k)
    ]
    if loose:
        out.append({"cluster": "(no cluster named)", "chains": len(loose), "chain names": "、".join(loose)})
    return out


# --- actors and neighbourhoods -------------------------------------------------------------------


@st.cache_data(show_spinner=False, ttl=TTL)
def actors(k: Key) -> list[dict[str, Any]]:
    """Every entity: id, label, name, aliases (one small query per label: no label() needed)."""
    out = []
    for label in ENTITY_LABELS:
        for row in rows(k, f"MATCH (n:{label}) RETURN n.id AS id, n.name AS name, n.aliases AS aliases"):
            out.append(
                {"id": row["id"], "label": label, "name": row["name"], "aliases": row["aliases"] or []}
            )
    return sorted(out, key=lambda a: (a["name"], a["label"]))


def search_actors(
    all_actors: list[dict[str, Any]], text: str, labels: list[str] | None = None, limit: int = 50
) -> list[dict[str, Any]]:
    """Actors whose name or an alias contains the text; exact, then prefix, then shorter names first."""
    needle = text.strip().casefold()
    found = []
    for actor in all_actors:
        if labels and actor["label"] not in labels:
            continue
        names = [actor["name"], *actor["aliases"]]
        folded = [n.casefold() for n in names if n]
        if needle and not any(needle in n for n in folded):
            continue
        rank = 2
        if needle in folded:
            rank = 0
        elif any(n.startswith(needle) for n in folded):
            rank = 1
        found.append((rank, len(actor["name"]), actor["name"], actor))
    found.sort(key=lambda t: t[:3])
    return [t[3] for t in found[:limit]]


@st.cache_data(show_spinner=False, ttl=TTL)
def degrees(k: Key) -> dict[str, int]:
    """Relationships per entity (provenance edges excluded): the node size in the networks."""
    result = rows(
        k,
        f"MATCH (a)-[r:{_rel_pattern(ENTITY_REL_TYPES)}]-() RETURN a.id AS id, count(r) AS degree",
    )
    return {row["id"]: int(row["degree"]) for row in result}


@st.cache_data(show_spinner=False, ttl=TTL)
def neighbourhood(
    k: Key,
    center: str,
    depth: int = 1,
    rel_types: tuple[str, ...] = ENTITY_REL_TYPES,
    labels: tuple[str, ...] = ENTITY_LABELS,
) -> dict[str, Any]:
    """Nodes within `depth` hops of `center` along `rel_types`, through nodes of `labels` only.

    Returns {"nodes": {id: node_info + hop}, "edges": [rel_info]}: one query per hop, so it needs no
    variable-length pattern (whose filters the two stores spell differently).
    """
    depth = max(1, min(int(depth), 3))
    nodes: dict[str, dict[str, Any]] = {}
    edges: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    first = rows(k, f"MATCH {_node('n', center)} RETURN n", {"id": center})
    if not first:
        return {"nodes": {}, "edges": []}
    nodes[center] = {**node_info(first[0]["n"]), "hop": 0}
    if not rel_types:
        return {"nodes": nodes, "edges": []}
    pattern = _rel_pattern(rel_types)
    frontier = [center]
    allowed = set(labels)
    for hop in range(1, depth + 1):
        if not frontier:
            break
        result = rows(k, f"MATCH (a)-[r:{pattern}]-(b) WHERE a.id IN $ids RETURN a, r, b", {"ids": frontier})
        next_frontier = []
        for row in result:
            b = node_info(row["b"])
            if b["label"] not in allowed and b["id"] != center:
                continue
            if b["id"] not in nodes:
                nodes[b["id"]] = {**b, "hop": hop}
                next_frontier.append(b["id"])
            edge = rel_info(row["r"])
            edges.setdefault(edge_id(edge), edge)
        frontier = next_frontier
    return {"nodes": nodes, "edges": list(edges.values())}


def cap_subgraph(
    sub: dict[str, Any], cap: int, degree: dict[str, int] | None = None
) -> tuple[dict[str, Any], int]:
    """Keep at most `cap` nodes: nearest hops first, then the best connected. Returns (subgraph, cut)."""
    nodes = sub["nodes"]
    if len(nodes) <= cap:
        return sub, 0
    degree = degree or {}
    order = sorted(nodes.values(), key=lambda n: (n.get("hop", 0), -degree.get(n["id"], 0), n["name"]))
    keep = {n["id"] for n in order[:cap]}
    kept = {
        "nodes": {i: n for i, n in nodes.items() if i in keep},
        "edges": [e for e in sub["edges"] if e["src"] in keep and e["dst"] in keep],
    }
    return kept, len(nodes) - len(keep)


# --- one actor -------------------------------------------------------------------------------------


@st.cache_data(show_spinner=False, ttl=TTL)
def actor(k: Key, actor_id: str) -> dict[str, Any] | None:
    result = rows(k, f"MATCH {_node('n', actor_id)} RETURN n", {"id": actor_id})
    if not result:
        return None
    node = result[0]["n"]
    info = node_info(node)
    info["props"] = parse_json(node.get("props"), {}) or {}
    for name in ("declared", "declared_total"):
        if node.get(name) is not None:
            info["props"][name] = parse_json(node.get(name), node.get(name))
    return info


@st.cache_data(show_spinner=False, ttl=TTL)
def actor_relations(k: Key, actor_id: str) -> list[dict[str, Any]]:
    """Every relationship of the actor (provenance excluded), each with the other end and evidence."""
    result = rows(
        k,
        f"MATCH {_node('a', actor_id)}-[r:{_rel_pattern(ENTITY_REL_TYPES)}]-(b) RETURN a, r, b",
        {"id": actor_id},
    )
    out = []
    seen = set()
    for row in result:
        rel = rel_info(row["r"])
        if edge_id(rel) in seen:
            continue
        seen.add(edge_id(rel))
        other = node_info(row["b"])
        direction = "→" if rel["src"] == actor_id else "←"
        if REL_SPECS[rel["type"]].undirected:
            direction = "—"
        out.append({**rel, "direction": direction, "other": other})
    return sorted(
        out, key=lambda r: (r["type"], r["direction"], r["other"]["name"], r["other"]["id"], r["key"])
    )


@st.cache_data(show_spinner=False, ttl=TTL)
def actor_documents(k: Key, actor_id: str) -> list[dict[str, Any]]:
    """The documents mentioning the actor, with the mention count and the mentions themselves."""
    result = rows(
        k,
        f"MATCH {_node('a', actor_id)}-[r:{MENTIONED_IN}]->(d:Document) "
        "RETURN d.id AS id, d.name AS name, d.title AS title, r.n_mentions AS n, r.evidence AS evidence",
        {"id": actor_id},
    )
    for row in result:
        row["evidence"] = parse_json(row["evidence"], [])
    return sorted(result, key=lambda r: r["name"])


# --- chains and gaps -------------------------------------------------------------------------------


@st.cache_data(show_spinner=False, ttl=TTL)
def chain_facts(k: Key) -> dict[str, Any]:
    """All HAS_LINK, LACKS and SUPPORTS relationships (chain-side), with their evidence."""
    links = rows(
        k,
        "MATCH (c:IndustryChain)-[h:HAS_LINK]->(l:ChainLink) "
        "RETURN c.id AS chain, h.ord AS ord, l.id AS id, l.name AS name, h.evidence AS evidence",
    )
    lacks = rows(
        k,
        "MATCH (c)-[r:LACKS]->(l:ChainLink) "
        "RETURN c.id AS owner, c.name AS owner_name, l.id AS id, l.name AS name, r.evidence AS evidence",
    )
    supports = rows(k, "MATCH (s)-[r:SUPPORTS]->(t) RETURN s, r, t")
    for row in links + lacks:
        row["evidence"] = parse_json(row["evidence"], [])
    support_rows = []
    for row in supports:
        rel = rel_info(row["r"])
        support_rows.append(
            {"supporter": node_info(row["s"]), "target": node_info(row["t"]), "evidence": rel["evidence"]}
        )
    return {"links": links, "lacks": lacks, "supports": support_rows}


def chain_detail(k: Key, chain_id: str) -> dict[str, Any]:
    """One chain: its links in order, what it lacks, who supports the chain, its links, its clusters."""
    facts = chain_facts(k)
    chain = next((c for c in chains(k) if c["id"] == chain_id), None)
    if chain is None:
        return {}
    links = sorted(
        (r for r in facts["links"] if r["chain"] == chain_id),
        key=lambda r: (r["ord"] is None, r["ord"] or 0, r["name"]),
    )
    cluster_ids = {cid for cid, _ in chain["clusters"]}
    link_ids = {r["id"] for r in links}
    supports = []
    for s in facts["supports"]:
        target = s["target"]
        if target["id"] == chain_id:
            scope = "chain"
        elif target["id"] in link_ids:
            scope = "link"
        elif target["id"] in cluster_ids:
            scope = "cluster"
        else:
            continue
        supports.append({**s, "scope": scope})
    supported_links = {s["target"]["id"] for s in supports if s["scope"] == "link"}
    lacks = sorted((r for r in facts["lacks"] if r["owner"] == chain_id), key=lambda r: (r["name"], r["id"]))
    cluster_lacks = sorted(
        (r for r in facts["lacks"] if r["owner"] in cluster_ids), key=lambda r: (r["owner_name"], r["name"])
    )
    return {
        "chain": chain,
        "links": [{**r, "supported": r["id"] in supported_links} for r in links],
        "lacks": lacks,
        "cluster_lacks": cluster_lacks,
        "supports": sorted(supports, key=lambda s: (s["scope"], s["target"]["name"], s["supporter"]["name"])),
    }


def gap_table(k: Key) -> list[dict[str, Any]]:
    """Every chain (and every cluster that lacks something) ranked by how much it lacks.

    score = items it lacks + links no actor supports + 1 when no actor supports it at all.
    """
    facts = chain_facts(k)
    links_of: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for r in facts["links"]:
        links_of[r["chain"]].add((r["id"], r["name"]))
    lacks_of: dict[str, list[str]] = defaultdict(list)
    owner_names: dict[str, str] = {}
    for r in facts["lacks"]:
        lacks_of[r["owner"]].append(r["name"])
        owner_names[r["owner"]] = r["owner_name"]
    supporters_of: dict[str, set[str]] = defaultdict(set)
    for s in facts["supports"]:
        supporters_of[s["target"]["id"]].add(s["supporter"]["name"])

    out = []
    for chain in chains(k):
        cid = chain["id"]
        link_ids = {i for i, _ in links_of[cid]}
        unsupported = sorted(name for i, name in links_of[cid] if not supporters_of[i])
        supporters = set(supporters_of[cid])
        for i in link_ids:
            supporters |= supporters_of[i]
        lacked = sorted(set(lacks_of[cid]))
        out.append(
            {
                "kind": "chain",
                "name": chain["name"],
                "cluster": "、".join(name for _, name in chain["clusters"]),
                "links": len(link_ids),
                "links without support": len(unsupported),
                "lacks": len(lacked),
                "lacked items": "、".join(lacked),
                "unsupported links": "、".join(unsupported),
                "supporters": len(supporters),
                "score": len(lacked) + len(unsupported) + (0 if supporters else 1),
                "id": cid,
            }
        )
    chain_ids = {c["id"] for c in chains(k)}
    for owner, items in lacks_of.items():
        if owner in chain_ids:
            continue
        lacked = sorted(set(items))
        supporters = supporters_of[owner]
        out.append(
            {
                "kind": "cluster",
                "name": owner_names[owner],
                "cluster": owner_names[owner],
                "links": 0,
                "links without support": 0,
                "lacks": len(lacked),
                "lacked items": "、".join(lacked),
                "unsupported links": "",
                "supporters": len(supporters),
                "score": len(lacked) + (0 if supporters else 1),
                "id": owner,
            }
        )
    out.sort(key=lambda r: (-r["score"], -r["lacks"], r["supporters"], r["name"], r["kind"], r["id"]))
    for rank, row in enumerate(out, 1):
        row["rank"] = rank
    return out


def lacked_items(k: Key) -> list[dict[str, Any]]:
    """Each lacked item with how many chains/clusters lack it (the most widely missing first)."""
    owners: dict[str, set[str]] = defaultdict(set)
    for r in chain_facts(k)["lacks"]:
        owners[r["name"]].add(r["owner_name"])
    out = [
        {"item": item, "lacked by": len(o), "chains / clusters": "、".join(sorted(o))}
        for item, o in owners.items()
    ]
    return sorted(out, key=lambda r: (-r["lacked by"], r["item"]))


def label_counts(nodes: dict[str, dict[str, Any]]) -> Counter[str]:
    return Counter(n["label"] for n in nodes.values())


# --- presets and free queries (queries/runner.py) --------------------------------------------------


def _runner(handle: Store, kind: str) -> Any:
    from queries.runner import Runner  # the read-only guard, timeout and row cap live there

    return Runner(handle, kind=kind)


def run_preset(k: Key, preset_id: str, params: dict[str, Any], row_cap: int, timeout: float) -> Any:
    """A preset through the runner: parameters validated, read-only, timeout, row cap; a Result."""
    with borrowed(k) as handle:
        return _runner(handle, k[0]).run(preset_id, params, row_cap=row_cap, timeout=timeout)


@st.cache_data(show_spinner=False, ttl=TTL)
def preset_result(k: Key, preset_id: str, params: tuple[tuple[str, Any], ...] = ()) -> Any:
    """A preset's Result with the runner's default row cap and timeout, cached: for pages built on presets.

    `params` is a tuple of (name, value) pairs (hashable, so the cache can key on it).
    """
    with borrowed(k) as handle:
        return _runner(handle, k[0]).run(preset_id, dict(params))


def run_cypher(k: Key, text: str, params: dict[str, Any], row_cap: int, timeout: float) -> Any:
    """Free Cypher through the runner (its guard refuses writes before the store's read-only mode)."""
    with borrowed(k) as handle:
        return _runner(handle, k[0]).cypher(text, params, row_cap=row_cap, timeout=timeout)


@st.cache_data(show_spinner=False, ttl=TTL)
def preset_values(k: Key, preset_id: str, param: str) -> list[Any]:
    """A parameter's dropdown values (fixed choices, or the preset's values query on the graph)."""
    with borrowed(k) as handle:
        return _runner(handle, k[0]).values(preset_id, param)


def cell(value: Any) -> Any:
    """A result value as a table cell: nodes/relationships by name/type, lists joined, maps as JSON."""
    if isinstance(value, dict):
        if "_label" in value:
            return value.get("name") or value.get("id")
        if "_type" in value:
            return value["_type"]
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, list):
        if all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in value):
            return "、".join(str(v) for v in value)
        return json.dumps([cell(v) for v in value], ensure_ascii=False)
    return value


def table(columns: list[str], rows: list[list[Any]]) -> list[dict[str, Any]]:
    """Rows as records of display cells; a column of mixed types becomes text."""
    records = [{c: cell(v) for c, v in zip(columns, row, strict=True)} for row in rows]
    for c in columns:
        kinds = {type(r[c]) for r in records if r[c] is not None}
        if len(kinds) > 1:
            for r in records:
                r[c] = None if r[c] is None else str(r[c])
    return records


def subgraph_view(
    sub: dict[str, list[dict[str, Any]]] | None,
) -> tuple[dict[str, dict[str, Any]], list[dict]]:
    """The runner's subgraph ({nodes: [{id, label, name}], edges: [{src, dst, type, …}]}) → viz input."""
    if not sub:
        return {}, []
    nodes = {
        str(n["id"]): {
            "id": str(n["id"]),
            "label": n.get("label") or "",
            "name": str(n.get("name") or n["id"]),
            "aliases": [],
        }
        for n in sub.get("nodes") or []
    }
    edges = []
    for e in sub.get("edges") or []:
        props = {k: v for k, v in e.items() if k not in {"src", "dst", "type"} and v is not None}
        edges.append(
            {"src": str(e["src"]), "dst": str(e["dst"]), "type": str(e.get("type") or ""), "props": props}
        )
    return nodes, edges
