"""`ikg extract PATH... --out DIR`: one JSON per document, in the gold annotation shape."""

from __future__ import annotations

import argparse
import logging
from collections import Counter

log = logging.getLogger("ikg.extract")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("extract", help="extract entities and relations from documents into JSON files")
    p.add_argument("paths", nargs="*", default=["data/raw"], help="files or folders (default: data/raw)")
    p.add_argument("--out", default="data/build/extract", help="output folder (default: data/build/extract)")
    p.add_argument("--strict", action="store_true", help="exit non-zero if any document failed")
    p.set_defaults(func=run_extract)


def run_extract(args: argparse.Namespace) -> int:
    from ingest.extract import extract_paths

    results, errors = extract_paths(args.paths, args.out)
    ents: Counter[str] = Counter()
    rels: Counter[str] = Counter()
    for r in results:
        ents.update(e["type"] for e in r["entities"])
        rels.update(x["type"] for x in r["relations"])
    log.info("%d documents extracted into %s, %d failed", len(results), args.out, len(errors))
    log.info("entities: %s", ", ".join(f"{k} {v}" for k, v in ents.most_common()))
    log.info("relations: %s", ", ".join(f"{k} {v}" for k, v in rels.most_common()))
    for e in errors:
        log.error("failed: %s", e)
    return 1 if errors and (args.strict or not results) else 0
