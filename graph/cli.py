"""`ikg build` and `ikg export`: registered on the top-level CLI (ikg/cli.py) through `register`."""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path
from typing import Any

from graph.aliases import DEFAULT_ALIASES
from graph.build import build_graph, load_extractions, write_outputs
from graph.export import FORMATS, export
from graph.model import from_node_link
from graph.stores.base import open_store
from graph.stores.ladybug import DEFAULT_DB
from ingest.cli import add_max_mb

log = logging.getLogger(__name__)

DEFAULT_OUT = Path("data/build")


def register(subparsers: Any) -> None:
    build = subparsers.add_parser(
        "build",
        help="extract (or read extraction JSON), resolve entities, load the graph store",
        description="Documents → extraction → resolved graph → store; writes graph.json, "
        "build_report.json and merge_log.jsonl.",
    )
    build.add_argument("paths", nargs="*", default=["data/raw"], metavar="PATH", help="documents or folders")
    build.add_argument("--store", choices=("embedded", "neo4j"), default="embedded")
    build.add_argument("--db", default=str(DEFAULT_DB), help="LadybugDB file for --store embedded")
    build.add_argument(
        "--from-json", metavar="DIR", help="read extraction JSON files from DIR instead of extracting"
    )
    build.add_argument("--aliases", default=str(DEFAULT_ALIASES), help="alias file (merge/split rules)")
    build.add_argument("--out", default=str(DEFAULT_OUT), help="folder for graph.json and the reports")
    build.add_argument(
        "--cache",
        metavar="DIR",
        help="extraction cache: a document whose content is unchanged is not extracted again "
        "(default: OUT/cache)",
    )
    build.add_argument(
        "--no-cache", action="store_true", help="extract every document again (the cache is refreshed)"
    )
    add_max_mb(build)
    build.add_argument(
        "--strict",
        action="store_true",
        help="if any document fails, change nothing (store and outputs) and exit non-zero",
    )
    build.set_defaults(func=cmd_build)

    exp = subparsers.add_parser("export", help="export the built graph (graph.json) to another format")
    exp.add_argument("--format", required=True, choices=FORMATS)
    exp.add_argument("--out", required=True, help="output file (a folder for csv)")
    exp.add_argument(
        "--graph", default=str(DEFAULT_OUT / "graph.json"), help="node-link graph from `ikg build`"
    )
    exp.set_defaults(func=cmd_export)


def _extractions(
    args: argparse.Namespace,
) -> tuple[list[dict[str, Any]], list[str], dict[str, list[str]] | None]:
    """(extractions, error lines of failed documents, what was extracted / cached / failed)."""
    if args.from_json:
        return load_extractions(args.from_json), [], None
    from ingest.cache import ExtractionCache, ExtractOptions
    from ingest.extract import extract_paths  # lazy: the extractor pulls in spaCy

    cache = ExtractionCache(args.cache or Path(args.out) / "cache", read=not args.no_cache)
    options = ExtractOptions(max_mb=args.max_mb, cache=cache, debug=getattr(args, "debug", False))
    extractions, errors = extract_paths(list(args.paths), out_dir=None, options=options)
    return extractions, errors, vars(options.stats)


def cmd_build(args: argparse.Namespace) -> int:
    """Extract (cached documents are not extracted again), resolve, load the store, write the outputs.

    A build that exits non-zero leaves graph.json and the reports as they were, and the store too
    when no document could be read or, with --strict, when any document failed. When the store
    itself fails, the embedded store keeps its previous file (the new one is renamed over it only
    once fully loaded); Neo4j deletes nothing of the previous build until a load has fully succeeded
    (a failed load is resumed by the next one). Without --strict, a document that fails keeps its
    last good extraction when the cache has one and is left out otherwise; the others are built.
    """
    extractions, errors, done = _extractions(args)
    for line in errors:  # one line per failed document: "<file>: <problem>"
        log.error("%s", line)
    if not extractions:
        log.error("no documents to build from%s", ": nothing changed" if errors else "")
        return 1
    if errors and args.strict:
        log.error(
            "%d of %d documents failed: nothing changed (--strict)",
            len(errors),
            len(extractions) + len(errors),
        )
        return 1
    graph, report = build_graph(extractions, aliases_path=args.aliases)
    Path(args.out).mkdir(parents=True, exist_ok=True)  # fail here, not after the store has changed
    if done is not None:
        # "kept" (failed now, built from the last good extraction) only when it happened
        report.extraction = {**{k: v for k, v in done.items() if k != "kept" or v}, "failed": list(errors)}

    options = {"path": args.db} if args.store == "embedded" else {}
    store = open_store(args.store, **options)
    try:
        store.load(graph)
        counts = store.counts()
        # Ladybug's on-disk format changes between releases: record which one wrote the file.
        storage_version = getattr(store, "storage_version", None)
        version = {"storage_version": storage_version()} if storage_version else {}
    finally:
        store.close()
    # The report records where the graph went and what the store holds, next to what was built.
    location = args.db if args.store == "embedded" else "neo4j"
    report.store = {"kind": args.store, "location": location, **version, **counts}
    paths = write_outputs(graph, report, args.out)

    print("\n".join(report.summary_lines()))
    print(f"store: {args.store} ({location})")
    print(f"wrote: {', '.join(str(p) for p in paths.values())}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    source = Path(args.graph)
    if not source.is_file():
        log.error("%s not found: run `ikg build` first", source)
        return 1
    graph = from_node_link(json.loads(source.read_text(encoding="utf-8")))
    out = export(graph, args.format, args.out)
    n_nodes = len(graph.nodes) + len(graph.documents)
    print(f"{args.format}: {n_nodes} nodes, {len(graph.edges)} relationships → {out}")
    return 0
