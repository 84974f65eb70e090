"""Query benchmark: p50/p95 latency of every preset, embedded (LadybugDB) and Neo4j, on the corpus graph
(data/raw) and on a synthetic graph (bench/bench_load.py's generator, 50k nodes by default).

    python bench/bench_queries.py [--nodes 50000] [--rels 200000] [--repeats 20] [--warmup 2]
                                  [--skip-corpus] [--skip-synthetic] [--skip-neo4j] [--env-file .env]

Each figure is the wall time of `Runner.run(preset, params)` — what the CLI and the app wait for:
parameter checks (the strict ones query the dropdown values), the dialect rewrites, the query itself,
JSON parsing and the subgraph (an `induced` subgraph costs one more query) — and its ratio to the
baseline, the bare `Store.read` of the same text in the same process. The synthetic graph has no
corpus names, so each preset gets parameters naming synthetic nodes of the right label. Prints figures,
asserts nothing. Neo4j settings: NEO4J_* environment, --env-file, else the test server's
connection.env; if no server answers, the Neo4j columns are skipped with a note. Warning: the Neo4j
database is cleared.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_load import neo4j_store, synthetic_graph  # noqa: E402  (the generator of the load benchmark)

from graph.model import Graph  # noqa: E402
from graph.stores.ladybug import LadybugStore  # noqa: E402
from queries.catalog import presets  # noqa: E402
from queries.dialect import translate  # noqa: E402
from queries.examples import example_params  # noqa: E402
from queries.runner import Runner  # noqa: E402


def corpus_graph() -> Graph:
    from graph.build import build_graph
    from ingest.extract import extract_paths

    extractions, errors = extract_paths([ROOT / "data" / "raw"], None, progress=False)
    for line in errors:
        print(f"extract: {line}")
    graph, _ = build_graph(extractions)
    return graph


def synthetic_params(graph: Graph) -> dict[str, dict[str, Any]]:
    """Per preset, parameters that name synthetic nodes (the presets' defaults name corpus entities)."""

    def name(label: str, k: int = 0) -> str:
        names = sorted(n.name for n in graph.nodes.values() if n.label == label)
        return names[k % len(names)]

    return {
        "system_members": {"system": name("InnovationSystem")},
        "cluster_overview": {"cluster": name("IndustryCluster")},
        "chain_detail": {"chain": name("IndustryChain")},
        "chain_gaps": {"cluster": name("IndustryCluster")},
        "actors_in_region": {"region": name("Region")},
        "university_links": {"university": name("University")},
        "lab_leadership": {"target": ""},
        "shortest_path": {"from": name("University", 0), "to": name("University", 1), "max_hops": 6},
        "neighbourhood": {"actor": name("Park"), "depth": 2},
        "evidence": {"actor": name("Platform")},
        "documents_mentioning": {"actor": name("Platform")},
        "actor_profile": {"actor": name("Platform")},
        "measures_by_agency": {"agency": ""},
        "entity_search": {"q": "合成节点123"},
    }


def percentile(samples: list[float], q: float) -> float:
    """Nearest-rank percentile of the samples (milliseconds)."""
    ordered = sorted(samples)
    k = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def timed(call: Any, repeats: int, warmup: int) -> tuple[list[float], Any]:
    """Milliseconds of each of `repeats` calls after `warmup` untimed ones, and the last answer."""
    for _ in range(warmup):
        call()
    samples, answer = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        answer = call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples, answer


def measure(runner: Runner, params: dict[str, dict[str, Any]], repeats: int, warmup: int) -> dict[str, str]:
    """Per preset: p50 / p95 of Runner.run, rows, and its p50 over the p50 of the bare Store.read of the
    same text (the baseline: what parameter checks, dialect rewrites, the guard and the subgraph cost)."""
    out: dict[str, str] = {}
    for pid, preset in presets().items():
        p = params.get(pid) or example_params(runner, pid)
        try:
            samples, result = timed(lambda pid=pid, p=p: runner.run(pid, p), repeats, warmup)
            text, bound = preset.render(runner.dialect, preset.bind(p))
            text = translate(text, runner.dialect)
            cap = runner.row_cap + 1
            bare, _ = timed(
                lambda t=text, b=bound, c=cap: runner.store.read(t, b, row_cap=c), repeats, warmup
            )
            p50, p95 = percentile(samples, 50), percentile(samples, 95)
            ratio = p50 / max(percentile(bare, 50), 1e-6)
            out[pid] = f"{p50:8.1f} {p95:8.1f} {len(result.rows):5d} {ratio:5.1f}×"
        except Exception as exc:  # a figure per preset; one failure must not hide the others
            out[pid] = f"{'error: ' + type(exc).__name__:>30}"
            print(f"  {pid}: {type(exc).__name__}: {exc}")
    return out


def run_graph(label: str, graph: Graph, params: dict[str, dict[str, Any]], args: argparse.Namespace) -> dict:
    n_nodes, n_rels = sum(graph.node_counts().values()), len(graph.edges)
    print(f"\n{label}: {n_nodes} nodes, {n_rels} relationships")
    columns: dict[str, dict[str, str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        store = LadybugStore(Path(tmp) / "bench.lbdb")
        start = time.perf_counter()
        store.load(graph)
        print(f"  embedded: loaded in {time.perf_counter() - start:.1f} s; measuring …")
        columns["embedded"] = measure(Runner(store, timeout=args.timeout), params, args.repeats, args.warmup)
        store.close()
    if args.skip_neo4j:
        print("  neo4j: skipped (--skip-neo4j)")
        return columns
    try:
        store = neo4j_store(args.env_file)
        store.check()
    except Exception as exc:
        print(f"  neo4j: skipped, no server reachable ({type(exc).__name__}: {exc})")
        return columns
    try:
        store.clear()
        start = time.perf_counter()
        store.load(graph)
        print(f"  neo4j: loaded in {time.perf_counter() - start:.1f} s; measuring …")
        columns["neo4j"] = measure(Runner(store, timeout=args.timeout), params, args.repeats, args.warmup)
    finally:
        store.clear()
        store.close()
    return columns


def print_table(label: str, columns: dict[str, dict[str, str]]) -> None:
    stores = [s for s in ("embedded", "neo4j") if s in columns]
    head = "".join(f"  {s + ' p50 / p95 ms, rows, ×read':>32}" for s in stores)
    print(f"\n{label}\n{'preset':24}{head}")
    for pid in presets():
        print(f"{pid:24}" + "".join(f"  {columns[s].get(pid, ''):>32}" for s in stores))
    if "neo4j" not in columns:
        print("(no Neo4j column: no server reachable, or --skip-neo4j)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nodes", type=int, default=50_000, help="synthetic graph nodes")
    parser.add_argument("--rels", type=int, default=200_000, help="synthetic graph relationships")
    parser.add_argument("--repeats", type=int, default=20, help="timed runs per preset")
    parser.add_argument("--warmup", type=int, default=2, help="untimed runs first (plan caches)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=60.0, help="per-query timeout, seconds")
    parser.add_argument("--env-file", default=".env")
    parser.add_argument("--skip-neo4j", action="store_true")
    parser.add_argument("--skip-corpus", action="store_true")
    parser.add_argument("--skip-synthetic", action="store_true")
    args = parser.parse_args()
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")

    tables = []
    if not args.skip_corpus:
        tables.append(
            ("corpus graph (data/raw, preset defaults)", run_graph("corpus", corpus_graph(), {}, args))
        )
    if not args.skip_synthetic:
        start = time.perf_counter()
        graph = synthetic_graph(args.nodes, args.rels, args.seed)
        print(f"\nsynthetic graph generated in {time.perf_counter() - start:.1f} s")
        label = f"synthetic graph ({args.nodes} nodes, {args.rels} relationships)"
        tables.append((label, run_graph("synthetic", graph, synthetic_params(graph), args)))
    for label, columns in tables:
        print_table(label, columns)
    print(f"\n{args.repeats} timed runs per preset after {args.warmup} warm-up runs; p50/p95 nearest rank")
    print("×read: Runner.run p50 over the p50 of Store.read of the same rewritten text (the baseline)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
