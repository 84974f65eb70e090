"""`ikg build`, `ikg curate` and `ikg export`: registered on the top-level CLI (ikg/cli.py) through
`register`."""

from __future__ import annotations

import argparse
import getpass
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from graph import pipeline
from graph.aliases import DEFAULT_ALIASES
from graph.curation import CURATION_FILE, VALUES, CurationError, Decision, load_decisions, record, undo
from graph.export import FORMATS, export
from graph.model import from_node_link
from graph.pipeline import DEFAULT_OUT, STORES, BuildError, BuildOptions
from graph.schema import ENTITY_LABELS
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
    build.add_argument(
        "--curation",
        default=str(CURATION_FILE),
        metavar="FILE",
        help="the analyst's decisions (merge, rename, retype, hide) applied to the graph (`ikg curate`)",
    )
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

    _register_curate(subparsers)

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
        curation=args.curation,
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


# --- ikg curate ------------------------------------------------------------------------------------


def _register_curate(subparsers: Any) -> None:
    curate = subparsers.add_parser(
        "curate",
        help="record an analyst's decision on an entity (applied by every build) or undo one",
        description="Merge, rename, retype or hide an entity of the graph, by its id (as in the app or "
        "graph.json). Each decision goes to the curation file with who, when and why; `ikg build` "
        "applies the active ones on either store.",
    )
    actions = curate.add_subparsers(dest="action", required=True)

    def action(name: str, help_text: str, value: str | None = None, **value_options: Any) -> None:
        cmd = actions.add_parser(name, help=help_text)
        cmd.add_argument("entity", help="entity id, e.g. Platform:…")
        if value:
            cmd.add_argument("value", metavar=value.upper(), help=VALUES[name], **value_options)
        cmd.add_argument("--why", required=True, help="the reason, for whoever reviews it")
        _add_who_and_file(cmd)
        cmd.set_defaults(func=cmd_curate)

    action("merge", "merge the entity into another (its names, documents, relationships move)", "target")
    action("rename", "give the entity another name (the old one stays an alias)", "name")
    action("retype", "give the entity another label", "label", choices=ENTITY_LABELS)
    action("hide", "hide the entity (junk) and its relationships from the graph")

    listing = actions.add_parser("list", help="the decisions, one a line (undone ones marked)")
    listing.add_argument("--active", action="store_true", help="only those a build applies")
    listing.add_argument("--file", default=str(CURATION_FILE), help="curation file")
    listing.set_defaults(func=cmd_curate_list)

    back = actions.add_parser("undo", help="undo a decision (it stays in the file, marked undone)")
    back.add_argument("decision", help="decision id, e.g. c0007")
    _add_who_and_file(back)
    back.set_defaults(func=cmd_curate_undo)


def _add_who_and_file(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--who", help="who decides (default: the login name)")
    cmd.add_argument("--file", default=str(CURATION_FILE), help="curation file")


def cmd_curate(args: argparse.Namespace) -> int:
    value, who = getattr(args, "value", None), _who(args)
    return _decide("recorded", lambda: record(args.action, args.entity, value, who, args.why, args.file))


def cmd_curate_undo(args: argparse.Namespace) -> int:
    return _decide("undone", lambda: undo(args.decision, _who(args), args.file))


def _decide(done: str, change: Callable[[], Decision]) -> int:
    """One line: the decision recorded or undone, or what is wrong (exit 1, the file unchanged)."""
    try:
        decision = change()
    except CurationError as exc:
        log.error("%s", exc)
        return 1
    print(f"{done} {decision.line()}")
    return 0


def _who(args: argparse.Namespace) -> str:
    if args.who:
        return str(args.who)
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name (a container's bare uid): record() asks for --who
        return ""


def cmd_curate_list(args: argparse.Namespace) -> int:
    try:
        decisions = load_decisions(args.file)
    except CurationError as exc:
        log.error("%s", exc)
        return 1
    shown = [d for d in decisions if d.is_active or not args.active]
    if not shown:
        print(f"no decisions in {args.file}")
    for decision in shown:
        print(decision.line())
    return 0
