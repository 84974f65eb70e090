"""Load benchmark: batched UNWIND loader vs one MERGE per row (Neo4j), and the embedded LadybugDB load.

    python bench/bench_load.py [--nodes 50000] [--rels 200000] [--naive-nodes 5000] [--naive-rels 20000]
                               [--batch N] [--no-warmup]

A synthetic graph that follows the schema (labels, allowed endpoint pairs, evidence strings) is
loaded (1) into Neo4j with graph/stores/neo4j.py (UNWIND batches in explicit transactions), (2) into
Neo4j one MERGE per row, each in its own transaction — on a subset only, because it is slow; the full
time is extrapolated from the per-row rate — and (3) into the embedded store. Prints figures, asserts
nothing. Neo4j settings: NEO4J_* environment, --env-file, else the test server's connection.env.
Warning: the Neo4j database is cleared (it is meant to be the test server).

Warm-up: the per-row path is timed after the batched one, on a server that has just loaded 250k
rows, while the first load after a server starts runs 1.5-3× slower (the JVM compiles Neo4j's
code paths as they get hot). So that both paths are timed warm, a small graph (the per-row
subset's size, another seed) is first loaded with the batched loader and cleared, untimed in the
ratio; its time is printed as the fresh server's figure. `--no-warmup` skips it, so the batched
load is timed on whatever state the server is in (cold, right after `neo4j_ctl.py up`).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.model import DocumentInfo, Edge, Graph, Node
from graph.schema import ENTITY_LABELS, MENTIONED_IN, REL_SPECS, node_props, rel_props
from graph.stores.ladybug import LadybugStore
from graph.stores.rows import node_rows, rel_rows

TEST_SERVER_ENV = Path(__file__).resolve().parent.parent / "data" / "build" / "neo4j-test" / "connection.env"


def synthetic_graph(n_nodes: int, n_rels: int, seed: int = 0, n_docs: int = 20) -> Graph:
    """Nodes spread over the entity labels; relationships drawn over allowed (source, target) pairs."""
    rng = random.Random(seed)
    graph = Graph()
    for d in range(n_docs):
        graph.documents[f"doc{d:04d}"] = DocumentInfo(
            id=f"doc{d:04d}", name=f"{d:03d}_doc.txt", title=f"规划{d}"
        )
    by_label: dict[str, list[str]] = {label: [] for label in ENTITY_LABELS}
    for i in range(n_nodes):
        label = ENTITY_LABELS[i % len(ENTITY_LABELS)]
        node_id = f"{label}:合成节点{i}"
        docs = rng.sample(sorted(graph.documents), 2)
        graph.nodes[node_id] = Node(node_id, label, f"合成节点{i}", [f"节点{i}"], {}, docs)
        by_label[label].append(node_id)
    types = [t for t in REL_SPECS if t != MENTIONED_IN]
    seen: set[tuple[str, str, str, str]] = set()
    while len(graph.edges) < n_rels:
        rel_type = MENTIONED_IN if rng.random() < 0.25 else rng.choice(types)
        spec = REL_SPECS[rel_type]
        src = rng.choice(by_label[rng.choice(sorted(spec.sources))])
        if rel_type == MENTIONED_IN:
            dst = rng.choice(sorted(graph.documents))
        else:
            dst = rng.choice(by_label[rng.choice(sorted(spec.targets))])
        if src == dst:
            continue
        props: dict[str, Any] = {"role": rng.choice("14N")} if rel_type == "MEMBER_OF" else {}
        if rel_type == "HAS_LINK":
            props = {"ord": rng.randint(1, 8)}
        doc = rng.choice(sorted(graph.documents))
        evidence = [
            {
                "doc_id": doc,
                "sentence": "依托合成节点建设创新平台。",
                "start": 0,
                "end": 4,
                "text": "合成节点",
            }
        ]
        edge = Edge(src, dst, rel_type, props, evidence)
        if edge.identity() not in seen:
            seen.add(edge.identity())
            graph.edges.append(edge)
    return graph


def neo4j_store(env_file: str | None) -> Any:
    import os

    from graph.stores.neo4j import Neo4jStore

    if not os.environ.get("NEO4J_URI") and not (env_file and Path(env_file).is_file()):
        env_file = str(TEST_SERVER_ENV)
    return Neo4jStore(env_file=env_file)


def naive_load(store: Any, graph: Graph) -> tuple[float, float]:
    """One MERGE per row, each in its own transaction: (seconds for nodes, seconds for relationships)."""
    node_sets = {
        label: ", ".join(f"n.{p.name} = $r.{p.name}" for p in node_props(label)[1:])
        for label in node_rows(graph)
    }
    start = time.perf_counter()
    with store._session() as session:
        for label, rows in node_rows(graph).items():
            statement = f"MERGE (n:{label} {{id: $r.id}}) SET {node_sets[label]}"
            for row in rows:
                session.execute_write(lambda tx, s=statement, r=row: tx.run(s, r=r).consume())
        t_nodes = time.perf_counter() - start
        start = time.perf_counter()
        for (rel_type, src, dst), rows in rel_rows(graph).items():
            sets = ", ".join(f"e.{p.name} = $r.{p.name}" for p in rel_props(rel_type) if p.name != "key")
            statement = (
                f"MATCH (a:{src} {{id: $r.src}}) MATCH (b:{dst} {{id: $r.dst}}) "
                f"MERGE (a)-[e:{rel_type} {{key: $r.key}}]->(b) SET {sets}"
            )
            for row in rows:
                session.execute_write(lambda tx, s=statement, r=row: tx.run(s, r=r).consume())
    return t_nodes, time.perf_counter() - start


def timed(fn: Any, *args: Any) -> float:
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nodes", type=int, default=50_000)
    parser.add_argument("--rels", type=int, default=200_000)
    parser.add_argument("--naive-nodes", type=int, default=5_000, help="subset size for the per-row path")
    parser.add_argument("--naive-rels", type=int, default=20_000)
    parser.add_argument("--batch", type=int, help="Neo4j rows per transaction (default: the store's)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--env-file", default=".env")
    parser.add_argument("--skip-neo4j", action="store_true", help="only the embedded store")
    parser.add_argument(
        "--no-warmup", action="store_true", help="no untimed batched load of a small graph first"
    )
    args = parser.parse_args()

    t0 = time.perf_counter()
    graph = synthetic_graph(args.nodes, args.rels, args.seed)
    n_nodes, n_rels = sum(graph.node_counts().values()), len(graph.edges)
    took = time.perf_counter() - t0
    print(f"synthetic graph: {n_nodes} nodes, {n_rels} relationships ({took:.1f} s to generate)")

    with tempfile.TemporaryDirectory() as tmp:
        embedded = LadybugStore(Path(tmp) / "bench.lbdb")
        t_embedded = timed(embedded.load, graph)
        embedded.close()
    rate = n_rels / t_embedded
    print(f"embedded (LadybugDB) full load:       {t_embedded:8.1f} s  ({rate:,.0f} rels/s incl. nodes)")

    if args.skip_neo4j:
        return 0
    store = neo4j_store(args.env_file)
    if args.batch:
        store.batch_size = args.batch
    try:
        store.clear()
        if not args.no_warmup:
            warm = synthetic_graph(args.naive_nodes, args.naive_rels, args.seed + 1)
            t_warm = timed(store.load, warm)
            store.clear()
            size = f"{sum(warm.node_counts().values())} nodes + {len(warm.edges)} rels"
            print(f"neo4j warm-up, not in the ratio: batched load of {size}: {t_warm:.1f} s")
        t_batched = timed(store.load, graph)
        print(f"neo4j batched ({store.batch_size} rows/tx) full load:   {t_batched:8.1f} s")

        small = synthetic_graph(args.naive_nodes, args.naive_rels, args.seed)  # same shape, smaller
        store.clear()
        t_nodes, t_rels = naive_load(store, small)
        small_nodes, small_rels = sum(small.node_counts().values()), len(small.edges)
        per_node, per_rel = t_nodes / small_nodes, t_rels / max(1, small_rels)
        t_naive = per_node * n_nodes + per_rel * n_rels
        print(
            f"neo4j one MERGE per row, own tx: measured on {small_nodes} nodes + {small_rels} rels "
            f"({t_nodes + t_rels:.1f} s: {per_node * 1000:.2f} ms/node, {per_rel * 1000:.2f} ms/rel)"
        )
        print(f"neo4j one MERGE per row, EXTRAPOLATED to the full graph: {t_naive:8.1f} s")
        print(f"ratio per-row / batched: {t_naive / t_batched:.1f}×")
    finally:
        store.clear()
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
