"""Place gazetteer benchmark: building the index from data/ontology/places/ and looking forms up.

    python bench/bench_places.py [--repeat 5]

The first build includes the imports (pycountry, PyYAML) and the file reads; later builds are
timed again ``--repeat`` times (median). Lookups go over every surface form of the index. Prints
figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5, help="index builds after the first (median reported)")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    from ingest.gazetteer_data import DEFAULT_PLACES_DIR, build_index

    index = build_index(DEFAULT_PLACES_DIR)
    first = time.perf_counter() - t0
    builds = []
    for _ in range(max(1, args.repeat)):
        t = time.perf_counter()
        build_index(DEFAULT_PLACES_DIR)
        builds.append(time.perf_counter() - t)
    forms = list(index.forms())
    t = time.perf_counter()
    hits = sum(len(index.lookup(f)) for f in forms)
    lookup = time.perf_counter() - t

    print(f"{'figure':<44}{'value':>14}")
    print(f"{'first build (imports + files)':<44}{first * 1000:>11.0f} ms")
    print(f"{'rebuild, median of ' + str(len(builds)):<44}{statistics.median(builds) * 1000:>11.0f} ms")
    print(f"{'records':<44}{len(index):>14,}")
    for kind, n in index.counts().items():
        print(f"{'  ' + kind:<44}{n:>14,}")
    print(f"{'surface forms':<44}{len(forms):>14,}")
    print(f"{'lookups/s (every form once, ' + f'{hits:,} hits)':<44}{len(forms) / lookup:>14,.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
