"""`ikg query`: the planner's questions (presets) and free read-only Cypher, on either store.

    ikg query --list [--format json]
    ikg query ID [-p name=value …] [--store embedded|neo4j] [--db FILE] [--format table|csv|json]
    ikg query ID --values PARAM            the choices of a parameter (what a dropdown shows)
    ikg query --cypher "MATCH … RETURN …"  [same options]

Registered on the top-level CLI (ikg/cli.py) through `register`. A query that writes is refused with
one line on stderr and exit status 2, and so is one past the bounds the engines survive (nesting,
length, parameters: queries/guard.py); neither reaches the store.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import unicodedata
from typing import Any, TextIO

from graph.stores.base import QueryTimeout, StoreError, open_store
from graph.stores.ladybug import DEFAULT_DB
from queries.catalog import PresetError, get_preset, presets
from queries.guard import QueryRefused
from queries.runner import DEFAULT_ROW_CAP, DEFAULT_TIMEOUT, Result, Runner, is_node, is_path, is_rel

FORMATS = ("table", "csv", "json")
EXIT_REFUSED = 2
EXIT_USAGE = 2
CELL_WIDTH = 60  # display columns a table cell may take before it is cut (csv and json are never cut)


def register(subparsers: Any) -> None:
    query = subparsers.add_parser(
        "query",
        help="answer a planner's question (a preset) or run read-only Cypher",
        description="Run a named, parameterised preset (`--list` shows them) or free read-only Cypher "
        "against the embedded store or Neo4j. Queries that write are refused.",
    )
    query.add_argument("preset", nargs="?", metavar="ID", help="preset id (see --list)")
    query.add_argument("--list", action="store_true", help="list the presets")
    query.add_argument("--cypher", metavar="TEXT", help="run this read-only Cypher instead of a preset")
    query.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a parameter (repeat for several); --cypher takes them as $NAME (strings)",
    )
    query.add_argument(
        "--values", metavar="PARAM", help="print the choices of one of the preset's parameters"
    )
    query.add_argument("--store", choices=("embedded", "neo4j"), default="embedded")
    query.add_argument("--db", default=str(DEFAULT_DB), help="LadybugDB file for --store embedded")
    query.add_argument("--format", choices=FORMATS, default="table")
    query.add_argument("--limit", type=int, default=DEFAULT_ROW_CAP, help="row cap (default %(default)s)")
    query.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds before the query is stopped"
    )
    query.set_defaults(func=cmd_query)


def _params(pairs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise PresetError(f"-p takes NAME=VALUE, got {pair!r}")
        out[name.strip()] = value
    return out


def cmd_query(args: argparse.Namespace) -> int:
    out = sys.stdout
    try:
        if args.list:
            print_list(args.format, out)
            return 0
        if bool(args.preset) == bool(args.cypher):
            print("error: give a preset ID or --cypher TEXT (or --list)", file=sys.stderr)
            return EXIT_USAGE
        params = _params(args.param)
        if args.preset:
            get_preset(args.preset)  # unknown ids fail before a store is opened
        if args.limit < 1:
            raise PresetError("--limit must be at least 1")
        store = open_store(args.store, **({"path": args.db} if args.store == "embedded" else {}))
        try:
            runner = Runner(store, row_cap=args.limit, timeout=args.timeout)
            if args.values:
                for value in runner.values(args.preset, args.values):
                    print(value, file=out)
                return 0
            result = runner.run(args.preset, params) if args.preset else runner.cypher(args.cypher, params)
        finally:
            store.close()
    except QueryRefused as exc:  # a write, or past the bounds (queries/guard.py)
        print(exc, file=sys.stderr)
        return EXIT_REFUSED
    except PresetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except QueryTimeout as exc:
        print(f"error: {exc} (raise --timeout, or narrow the question)", file=sys.stderr)
        return 1
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print_result(result, args.format, out)
    if result.truncated:
        print(f"note: only the first {len(result.rows)} rows (raise --limit for more)", file=sys.stderr)
    return 0


# --- output ------------------------------------------------------------------------------------------


def print_list(fmt: str, out: TextIO) -> None:
    library = presets()
    if fmt == "json":
        json.dump([p.to_json() for p in library.values()], out, ensure_ascii=False, indent=2)
        out.write("\n")
        return
    rows = []
    for p in library.values():
        params = ", ".join(
            f"{q.name}={q.default!r}" if q.default not in (None, "") else q.name for q in p.params
        )
        rows.append([p.id, p.title["zh"], p.title["en"], params])
    if fmt == "csv":
        _write_csv(["id", "title_zh", "title_en", "params"], rows, out)
    else:
        _write_table(["id", "title_zh", "title_en", "params"], rows, out, cut=False)


def print_result(result: Result, fmt: str, out: TextIO) -> None:
    if fmt == "json":
        json.dump(result.to_json(), out, ensure_ascii=False, default=str)
        out.write("\n")
    elif fmt == "csv":
        _write_csv(result.columns, [[render(v) for v in row] for row in result.rows], out)
    else:
        _write_table(result.columns, [[render(v) for v in row] for row in result.rows], out)
        print(f"({len(result.rows)} rows, {result.elapsed_ms:.0f} ms)", file=out)


def render(value: Any) -> str:
    """A cell as text: nodes by name, relationships by type, paths as a chain, lists joined with 、."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if is_path(value):
        parts = [render(value["nodes"][0])] if value["nodes"] else []
        for rel, node in zip(value["rels"], value["nodes"][1:], strict=False):
            forward = rel.get("_dst") == node.get("id")
            arrow = f" -[{rel['_type']}]→ " if forward else f" ←[{rel['_type']}]- "
            parts += [arrow, render(node)]
        return "".join(parts)
    if is_node(value):
        return str(value.get("name") or value.get("id") or value["_label"])
    if is_rel(value):
        return str(value["_type"])
    if isinstance(value, list):
        return "、".join(render(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    if _width(text) <= width:
        return text
    out, used = [], 0
    for c in text:
        w = _width(c)
        if used + w > width - 1:
            break
        out.append(c)
        used += w
    return "".join(out) + "…"


def _write_table(columns: list[str], rows: list[list[str]], out: TextIO, cut: bool = True) -> None:
    cells = [[_cut(c, CELL_WIDTH) if cut else " ".join(c.split()) for c in row] for row in rows]
    widths = [_width(c) for c in columns]
    for row in cells:
        widths = [max(w, _width(c)) for w, c in zip(widths, row, strict=True)]

    def line(values: list[str]) -> str:
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths, strict=True)).rstrip()

    print(line(columns), file=out)
    print(line(["-" * w for w in widths]), file=out)
    for row in cells:
        print(line(row), file=out)


def _write_csv(columns: list[str], rows: list[list[str]], out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
