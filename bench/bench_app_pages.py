"""Time every app page in headless Chromium on built graphs: seconds from the request of a page until its
script run has finished (a fresh app per graph, one warm-up load first), in Chinese and in English.

    python bench/bench_app_pages.py DIR [DIR ...]     # each DIR holds graph.lbdb (`ikg build --out DIR`)

The first folder is the baseline: the other columns also print their ratio to it (same process, same
machine). The Actor page shows the best-connected actor (the hubs preset).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_scale import PAGES, page_times

from graph.stores.ladybug import LadybugStore
from queries.runner import Runner


def top_actor(db: Path) -> str:
    store = LadybugStore(db)
    try:
        return Runner(store).run("hubs", {"limit": 1}).records()[0]["id"]
    finally:
        store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="+", type=Path)
    args = parser.parse_args()
    columns: list[tuple[str, dict[str, float]]] = []
    for folder in args.dirs:
        db = folder / "graph.lbdb"
        actor = top_actor(db)
        for lang in ("zh", "en"):
            columns.append((f"{folder.name} {lang}", page_times(db, folder, actor, PAGES, lang)))
    head = "".join(f"{name:>22}" for name, _ in columns)
    print(f"{'page':14}{head}")
    base = columns[0][1]
    for page in PAGES:
        cells = []
        for _, times in columns:
            ratio = times[page] / base[page] if base[page] else 0
            cells.append(f"{times[page]:>12.2f} s ({ratio:4.2f}×)")
        print(f"{page or 'Overview':14}" + "".join(f"{c:>22}" for c in cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
