"""Incremental builds: `ikg build` of the corpus into a fresh embedded store, with an empty cache,
with every document cached, and with one document added to a cached corpus.

    python bench/bench_build.py [--repeat 3]

Each build runs as its own `ikg` process (imports and store included), as a user runs it.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
IKG = [sys.executable, "-m", "ikg.cli"]


def build(src: Path, work: Path, *extra: str) -> float:
    args = ["build", str(src), "--db", str(work / "graph.lbdb"), "--out", str(work / "out")]
    args += ["--cache", str(work / "cache"), *extra]
    started = time.perf_counter()
    subprocess.run([*IKG, *args], check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    files = sorted(p for p in RAW.iterdir() if p.is_file())
    times: dict[str, list[float]] = {"cold (nothing cached)": [], "warm (all cached)": [], "one added": []}
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory(prefix="ikg-bench-build-") as tmp:
            work = Path(tmp)
            src = work / "raw"
            src.mkdir()
            for f in files[:-1]:
                shutil.copy(f, src / f.name)
            times["cold (nothing cached)"].append(build(src, work, "--no-cache"))
            times["warm (all cached)"].append(build(src, work))
            shutil.copy(files[-1], src / files[-1].name)
            times["one added"].append(build(src, work))
    chars = sum(len(f.read_text(encoding="utf-8")) for f in files[:-1])
    print(f"corpus: {len(files) - 1} documents ({chars:,} characters), then {files[-1].name} added")
    print(f"repeat: {args.repeat} (median wall time of a whole `ikg build` process)")
    for name, values in times.items():
        print(f"  {name:<24} {statistics.median(values):7.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
