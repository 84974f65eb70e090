"""`ikg extract PATH... --out DIR`: one JSON per document, in the gold annotation shape."""

from __future__ import annotations

import argparse
import json
import logging
from collections import Counter
from pathlib import Path

from ingest.readers import DEFAULT_MAX_MB

log = logging.getLogger("ikg.extract")


def max_mb_option(value: str) -> float:
    """`--max-mb`: a positive number of megabytes (MiB)."""
    try:
        mb = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not mb > 0 or mb == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of MB, not {value}")
    return mb


def add_max_mb(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--max-mb",
        type=max_mb_option,
        default=DEFAULT_MAX_MB,
        metavar="MB",
        help=f"refuse documents larger than this (default: {DEFAULT_MAX_MB:g} MB)",
    )


def jobs_option(value: str) -> int:
    """`--jobs`: a whole number of processes, at least 1."""
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return jobs


def add_jobs(parser: argparse.ArgumentParser) -> None:
    from ingest.cache import default_jobs

    parser.add_argument(
        "--jobs",
        "-j",
        type=jobs_option,
        default=default_jobs(),
        metavar="N",
        help="extract in N processes (default: the number of CPUs, here %(default)s)",
    )


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("extract", help="extract entities and relations from documents into JSON files")
    p.add_argument("paths", nargs="*", default=["data/raw"], help="files or folders (default: data/raw)")
    p.add_argument("--out", default="data/build/extract", help="output folder (default: data/build/extract)")
    p.add_argument("--strict", action="store_true", help="exit non-zero if any document failed")
    add_max_mb(p)
    add_jobs(p)
    p.set_defaults(func=run_extract)

    e = sub.add_parser(
        "eval",
        help="score extraction against the gold annotations (per document, by type, macro)",
    )
    e.add_argument("--gold", type=Path, default=None, help="gold folder (default: ../shared/gold)")
    e.add_argument(
        "--corpus",
        type=Path,
        action="append",
        default=None,
        help="folder holding the documents (repeatable; default: ../shared/corpus and data/raw)",
    )
    e.add_argument("--show", type=int, default=0, metavar="N", help="list up to N errors of each kind")
    e.add_argument("--json", type=Path, default=None, metavar="FILE", help="also write the figures as JSON")
    e.set_defaults(func=run_eval)


def run_extract(args: argparse.Namespace) -> int:
    from ingest.cache import ExtractOptions
    from ingest.extract import extract_paths

    options = ExtractOptions(max_mb=args.max_mb, debug=getattr(args, "debug", False), jobs=args.jobs)
    results, errors = extract_paths(args.paths, args.out, options=options)
    for line in errors:  # one line per failed document: "<file>: <problem>"
        log.error("%s", line)
    ents: Counter[str] = Counter()
    rels: Counter[str] = Counter()
    for r in results:
        ents.update(e["type"] for e in r["entities"])
        rels.update(x["type"] for x in r["relations"])
    log.info("%d documents extracted into %s, %d failed", len(results), args.out, len(errors))
    log.info("entities: %s", ", ".join(f"{k} {v}" for k, v in ents.most_common()))
    log.info("relations: %s", ", ".join(f"{k} {v}" for k, v in rels.most_common()))
    return 1 if errors and (args.strict or not results) else 0


def run_eval(args: argparse.Namespace) -> int:
    from ingest.evaluate import DEFAULT_CORPORA, DEFAULT_GOLD, evaluate, find_gold
    from ingest.extract import extract_document
    from ingest.readers import read_document

    golds = find_gold(args.gold or DEFAULT_GOLD, args.corpus or DEFAULT_CORPORA)
    if not golds:
        log.error("no gold file has its document in %s", ", ".join(map(str, args.corpus or DEFAULT_CORPORA)))
        return 1

    def predict(doc, _others):  # rules only: nothing here is fitted to the gold
        return extract_document(read_document(doc.doc_path)).to_json()

    report = evaluate(golds, predict)
    print(report.table(args.show))
    if args.json:
        args.json.write_text(json.dumps(report.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
    return 0
