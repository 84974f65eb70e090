"""`ikg build` and `ikg export`: registered on the top-level CLI (ikg/cli.py) through `register`."""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path
from typing import Any

from graph import pipeline
from graph.aliases import DEFAULT_ALIASES
from graph.export import FORMATS, export
from graph.model import from_node_link
from graph.pipeline import DEFAULT_OUT, STORES, BuildError, BuildOptions
from graph.stores.ladybug import DEFAULT_DB
from ingest.cli import add_jobs, add_max_mb

log = logging.getLogger(__name__)


def register(subparsers: Any) -> None:
    build = subparsers.add_parser(
        "build",
        help="extract (or read extraction JSON), resolve entities, load the graph store",
        description="Documents → extraction → resolved graph → store; writes graph.json, "
        "build_report.json and merge_log.jsonl.",
    )
    build.add_argument("paths", nargs="*", default=["data/raw"], metavar="PATH", help="documents or folders")
    build.add_argument("--store", choices=STORES, default="embedded")
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
    add_jobs(build)
    build.add_argument(
        "--strict",
        action="store_true",
        help="if any document fails, change nothing (store and outputs) and exit non-zero",
    )
    build.set_defaults(func=cmd_build)  # graph/pipeline.py does the work

    exp = subparsers.add_parser("export", help="export the built graph (graph.json) to another format")
    exp.add_argument("--format", required=True, choices=FORMATS)
    exp.add_argument("--out", required=True, help="output file (a folder for csv)")
    exp.add_argument(
        "--graph", default=str(DEFAULT_OUT / "graph.json"), help="node-link graph from `ikg build`"
    )
    exp.set_defaults(func=cmd_export)


def cmd_build(args: argparse.Namespace) -> int:
    """`ikg build`: the options into BuildOptions, then graph/pipeline.py's `build`; see its docstring."""
    options = BuildOptions(
        paths=list(args.paths),
        store=args.store,
        db=args.db,
        from_json=args.from_json,
        aliases=args.aliases,
        out=args.out,
        cache=args.cache,
        use_cache=not args.no_cache,
        max_mb=args.max_mb,
        strict=args.strict,
        jobs=args.jobs,
        debug=getattr(args, "debug", False),
    )
    try:
        result = pipeline.build(options)
    except BuildError as exc:
        log.error("%s", exc)
        return 1
    print("\n".join(result.report.summary_lines()))
    print(f"store: {result.stored.kind} ({result.stored.location})")
    print(f"wrote: {', '.join(str(p) for p in result.outputs.values())}")
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
