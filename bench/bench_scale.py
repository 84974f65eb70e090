"""Scale benchmark: the build and the reads at 1×, 10×, 50× the shared corpus (or N documents).

    python bench/bench_scale.py [--sizes 1,10,50] [--docs 1000] [--jobs N] [--cache DIR]
                                [--repeats 5] [--skip-neo4j] [--skip-app] [--work DIR]

Per size, a corpus is generated (bench/scaled_corpus.py: copy 0 is the shared corpus, every other
copy has its place names replaced by invented ones) and built stage by stage through
graph/pipeline.py, each stage timed on its own: extraction (`--jobs` processes; `--cache DIR` reuses
extractions across runs, and the figure then says how many were cached), resolution, validation,
the load into the embedded store and into Neo4j (cleared first, untimed), the store size; then the
p50/p95 of every preset on both stores (bench/bench_queries.py's measure; a required parameter
gets the first value the graph offers, queries/examples.py) and the load time of each app page in
headless Chromium (from the request until Streamlit's script run has finished). The last table
divides each figure by the documents of its size, relative to the smallest size: 1.0 everywhere
is linear growth. Prints figures, asserts nothing. Neo4j: NEO4J_* environment, --env-file, else
the test server's connection.env.
Warning: the Neo4j database is cleared.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from app_server import served  # noqa: E402
from bench_load import TEST_SERVER_ENV  # noqa: E402
from bench_queries import measure  # noqa: E402
from scaled_corpus import write_corpus  # noqa: E402

from graph import pipeline  # noqa: E402
from graph.stores.ladybug import LadybugStore  # noqa: E402
from graph.stores.neo4j import read_env_file  # noqa: E402
from ingest.cache import default_jobs  # noqa: E402
from queries.catalog import presets  # noqa: E402
from queries.runner import Runner  # noqa: E402

SHARED = ROOT.parent / "shared" / "corpus"
CHROMIUM = os.environ.get("IKG_CHROMIUM", "/usr/bin/chromium")
PAGES = ("", "Explore", "Chain_gaps", "Matrix", "Regions", "Presets", "Query", "Actor", "Policy")
NEO4J_DATA = TEST_SERVER_ENV.parent / "data"


@dataclass
class Size:
    label: str
    docs: int = 0
    chars: int = 0
    nodes: int = 0
    rels: int = 0
    cached: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # stage → wall time
    store_mb: dict[str, float] = field(default_factory=dict)
    presets: dict[str, dict[str, str]] = field(default_factory=dict)  # store → preset → "p50 p95 rows"
    pages: dict[str, float] = field(default_factory=dict)  # page → seconds


def _mb(path: Path) -> float:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files) / 2**20


def _timed(size: Size, stage: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    size.seconds[stage] = time.perf_counter() - start
    print(f"  {stage}: {size.seconds[stage]:.1f} s", flush=True)
    return out


def neo4j_available(env_file: str) -> bool:
    if not os.environ.get("NEO4J_URI"):
        source = env_file if Path(env_file).is_file() else str(TEST_SERVER_ENV)
        os.environ.update({k: v for k, v in read_env_file(source).items() if k.startswith("NEO4J_")})
    if not os.environ.get("NEO4J_URI"):
        return False
    from graph.stores.neo4j import Neo4jStore

    store = Neo4jStore(env_file=None)
    try:
        store.check()
        return True
    except Exception as exc:
        print(f"neo4j: skipped, no server reachable ({exc})")
        return False
    finally:
        store.close()


def warm_up_neo4j(validated: pipeline.ValidatedGraph) -> None:
    """One untimed load first: the first load after the server starts runs slower (the JVM compiles
    Neo4j's code paths as they get hot, the schema is created); printed, not in the table."""
    from graph.stores.neo4j import Neo4jStore

    store = Neo4jStore(env_file=None)
    try:
        store.clear()
        start = time.perf_counter()
        store.load(validated.graph)
        print(f"  neo4j warm-up load (untimed in the table): {time.perf_counter() - start:.1f} s")
    finally:
        store.close()


def run_size(size: Size, files: list[Path], work: Path, args: argparse.Namespace, neo4j: bool) -> None:
    size.docs = len(files)
    size.chars = sum(len(p.read_text(encoding="utf-8")) for p in files)
    print(f"\n{size.label}: {size.docs} documents, {size.chars:,} characters", flush=True)
    extractions = _timed(
        size, "extract", pipeline.extract, files, jobs=args.jobs, cache=args.cache, progress=False
    )
    size.cached = len((extractions.done or {}).get("cached", []))
    resolved = _timed(size, "resolve", pipeline.resolve, extractions)
    validated = _timed(size, "validate", pipeline.validate, resolved)
    size.nodes = sum(validated.graph.node_counts().values())
    size.rels = len(validated.graph.edges)
    db = work / "graph.lbdb"
    _timed(size, "load embedded", pipeline.load, validated, "embedded", db)
    size.store_mb["embedded"] = sum(_mb(p) for p in work.glob("graph.lbdb*"))
    _timed(size, "write outputs", pipeline.write, validated, work)
    # The build's objects stay alive here (the Neo4j load and the page timings need them); a reading
    # process never holds them. Frozen, they are left out of the collector's full passes, which would
    # otherwise walk millions of them in the middle of a preset's timed run.
    gc.collect()
    gc.freeze()
    embedded = LadybugStore(db)
    size.presets["embedded"] = measure(Runner(embedded), {}, args.repeats, args.warmup)
    embedded.close()
    if neo4j:
        from graph.stores.neo4j import Neo4jStore

        if not args.warmed:
            warm_up_neo4j(validated)
            args.warmed = True
        store = Neo4jStore(env_file=None)
        try:
            store.clear()
            _timed(size, "load neo4j", pipeline.load, validated, "neo4j")
            if args.neo4j_data.is_dir():
                size.store_mb["neo4j"] = _mb(args.neo4j_data)
            size.presets["neo4j"] = measure(Runner(store), {}, args.repeats, args.warmup)
        finally:
            store.close()
    if not args.skip_app:
        actor = max(validated.graph.nodes, key=lambda n: len(validated.graph.nodes[n].documents))
        size.pages = page_times(db, work, actor)
        for page, seconds in size.pages.items():
            print(f"  page {page or 'Home'}: {seconds:.2f} s", flush=True)


def page_times(
    db: Path, graph_dir: Path, actor: str, pages: tuple[str, ...] = PAGES, lang: str = "zh"
) -> dict[str, float]:
    """Seconds from the request of each page until its script run has finished, in a fresh app."""
    from urllib.parse import urlencode

    from playwright.sync_api import sync_playwright

    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    args = ["--store", "embedded", "--db", str(db), "--graph-dir", str(graph_dir)]
    times: dict[str, float] = {}
    with served(env, graph_dir / "app.log", args) as (base, _):
        done = (
            "() => { const app = document.querySelector('[data-testid=\"stApp\"]');"
            " return app && app.dataset.testScriptState === 'notRunning' && !!document.querySelector('h1'); }"
        )
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True)
            page = browser.new_page(viewport={"width": 1400, "height": 1800})
            page.goto(base)  # warm-up: the first run imports the app's modules
            page.wait_for_function(done, timeout=120_000)
            for name in pages:
                query = {"id": actor, "lang": lang} if name == "Actor" else {"lang": lang}
                path = f"{name}?{urlencode(query)}"
                start = time.perf_counter()
                page.goto(f"{base}/{path}")
                page.wait_for_function(done, timeout=120_000)
                times[name] = time.perf_counter() - start
            browser.close()
    return times


def print_tables(sizes: list[Size]) -> None:
    head = "".join(f"{s.label:>16}" for s in sizes)
    print(f"\n{'':28}{head}")
    rows: list[tuple[str, Any]] = [
        ("documents", lambda s: f"{s.docs}"),
        ("characters (M)", lambda s: f"{s.chars / 1e6:.2f}"),
        ("nodes", lambda s: f"{s.nodes}"),
        ("relationships", lambda s: f"{s.rels}"),
        ("cached extractions", lambda s: f"{s.cached}"),
    ]
    stages = [k for k in sizes[0].seconds]
    rows += [(f"{k} (s)", lambda s, k=k: f"{s.seconds.get(k, float('nan')):.1f}") for k in stages]
    rows += [
        ("neo4j / embedded load", lambda s: _ratio(s.seconds.get("load neo4j"), s.seconds["load embedded"])),
        ("embedded store (MB)", lambda s: f"{s.store_mb.get('embedded', 0):.1f}"),
        ("neo4j data dir (MB)", lambda s: f"{s.store_mb['neo4j']:.1f}" if "neo4j" in s.store_mb else "-"),
    ]
    for name, cell in rows:
        print(f"{name:28}" + "".join(f"{cell(s):>16}" for s in sizes))
    for store in ("embedded", "neo4j"):
        if not all(store in s.presets for s in sizes):
            continue
        print(f"\npresets on {store}: p50 / p95 ms")
        print(f"{'':28}{head}")
        for pid in presets():
            cells = []
            for s in sizes:
                parts = s.presets[store].get(pid, "").split()
                cells.append(f"{parts[0]} / {parts[1]}" if len(parts) >= 3 else "error")
            print(f"{pid:28}" + "".join(f"{c:>16}" for c in cells))
    if all(s.pages for s in sizes):
        print("\napp pages: seconds until the page's script run has finished (embedded store)")
        print(f"{'':28}{head}")
        for page in PAGES:
            print(f"{page or 'Home':28}" + "".join(f"{s.pages[page]:>16.2f}" for s in sizes))
    base = sizes[0]
    print(f"\ngrowth: seconds per document relative to {base.label} (1.0 = linear)")
    print(f"{'':28}{head}")
    for k in stages:
        cells = [_ratio(s.seconds.get(k, 0) / s.docs, base.seconds.get(k, 0) / base.docs) for s in sizes]
        print(f"{k:28}" + "".join(f"{c:>16}" for c in cells))


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}" if a is not None and b else "-"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sizes", default="1,10,50", help="copies of the shared corpus, comma-separated ('' for none)"
    )
    parser.add_argument("--docs", type=int, action="append", help="a size of N documents (repeatable)")
    parser.add_argument("--corpus", type=Path, default=SHARED, help="the documents to copy")
    parser.add_argument("--jobs", type=int, default=default_jobs(), help="extraction processes")
    parser.add_argument("--cache", type=Path, help="extraction cache to reuse (default: none)")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per preset")
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--work", type=Path, help="folder for the corpora and stores (default: temporary)")
    parser.add_argument("--env-file", default=".env")
    parser.add_argument(
        "--neo4j-data", type=Path, default=NEO4J_DATA, help="the Neo4j server's data folder, for its size"
    )
    parser.add_argument("--skip-neo4j", action="store_true")
    parser.add_argument("--skip-app", action="store_true")
    args = parser.parse_args()
    args.warmed = False
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("jieba").setLevel(logging.WARNING)

    wanted = [("copies", int(x)) for x in args.sizes.split(",") if x]
    wanted += [("docs", n) for n in args.docs or []]
    neo4j = not args.skip_neo4j and neo4j_available(args.env_file)
    work = args.work or Path(tempfile.mkdtemp(prefix="ikg-bench-scale-"))
    sizes: list[Size] = []
    try:
        for kind, n in wanted:
            folder = work / (f"x{n}" if kind == "copies" else f"d{n}")
            shutil.rmtree(folder, ignore_errors=True)
            copies, docs = (n, None) if kind == "copies" else (1, n)
            files = write_corpus(args.corpus, folder / "raw", copies=copies, docs=docs)
            size = Size(f"{n}×" if kind == "copies" else f"{n} docs")
            run_size(size, files, folder, args, neo4j)
            sizes.append(size)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print_tables(sizes)
    runs = f"{args.repeats} runs after {args.warmup}"
    print(f"\n{os.cpu_count()} CPUs, --jobs {args.jobs}; preset figures: {runs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
