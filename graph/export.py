"""Export a Graph as GraphML, GEXF, node-link JSON, or CSV for `neo4j-admin database import`.

GraphML and GEXF hold scalars only, so list/dict values become JSON strings there (and None is left
out); node-link JSON keeps them as they are.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import networkx as nx

from graph.model import Graph, node_link
from graph.schema import BOOL, DOUBLE, INT64, STRING_LIST, color, node_props, rel_props
from graph.stores.rows import node_rows, rel_rows

FORMATS = ("graphml", "gexf", "json", "csv")
ARRAY_DELIMITER = "|"  # not ';': Chinese names and JSON evidence contain semicolons more often than bars


def export(graph: Graph, fmt: str, path: str | Path) -> Path:
    """Write `graph` as `fmt` to `path` (a directory for csv); returns the path written."""
    out = Path(path)
    if fmt == "csv":
        out.mkdir(parents=True, exist_ok=True)
        _write_csv(graph, out)
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "json":
        out.write_text(json.dumps(node_link(graph), ensure_ascii=False, indent=1), encoding="utf-8")
    elif fmt == "graphml":
        nx.write_graphml(_scalar_graph(graph.to_networkx()), out)
    elif fmt == "gexf":
        nx.write_gexf(_gexf_graph(graph.to_networkx()), out)
    else:
        raise ValueError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
    return out


def _scalar(value: Any) -> Any:
    if isinstance(value, list | dict | tuple):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def _scalar_graph(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    out = nx.MultiDiGraph()
    for n, data in g.nodes(data=True):
        out.add_node(n, **{k: _scalar(v) for k, v in data.items() if v is not None})
    for u, v, k, data in g.edges(keys=True, data=True):
        out.add_edge(u, v, key=k, **{a: _scalar(b) for a, b in data.items() if b is not None})
    return out


def _gexf_graph(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """GEXF reserves `label` (display text) and an edge's `type` (directed/undirected)."""
    out = nx.MultiDiGraph()
    for n, data in _scalar_graph(g).nodes(data=True):
        attrs = {k: v for k, v in data.items() if k not in {"label", "name"}}
        hex_color = color(data["label"]).lstrip("#")
        rgb = dict(zip("rgb", (int(hex_color[i : i + 2], 16) for i in (0, 2, 4)), strict=True))
        # `type` is the attribute Gephi partitions/colours by; viz colour matches the app legend.
        out.add_node(
            n, label=data.get("name", n), type=data["label"], viz={"color": {**rgb, "a": 1.0}}, **attrs
        )
    for u, v, k, data in _scalar_graph(g).edges(keys=True, data=True):
        attrs = {a: b for a, b in data.items() if a != "type"}
        out.add_edge(u, v, key=k, label=data["type"], rel_type=data["type"], **attrs)
    return out


# --- neo4j-admin CSV ---------------------------------------------------------------------------------

_CSV_TYPES = {INT64: "long", DOUBLE: "double", BOOL: "boolean", STRING_LIST: "string[]"}


def _header(prop: Any) -> str:
    kind = _CSV_TYPES.get(prop.type)
    return f"{prop.name}:{kind}" if kind else prop.name


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        return ARRAY_DELIMITER.join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _write_csv(graph: Graph, out: Path) -> None:
    """nodes_<Label>.csv (`id:ID`, typed columns, `:LABEL`), rels_<TYPE>.csv (`:START_ID`/`:END_ID`/`:TYPE`).

    Ids are globally unique (they start with the label), so one ID space serves every file.
    """
    files = []
    for label, rows in sorted(node_rows(graph).items()):
        props = node_props(label)
        header = ["id:ID", *(_header(p) for p in props[1:]), ":LABEL"]
        path = out / f"nodes_{label}.csv"
        _write_rows(path, header, ([r["id"], *(_cell(r[p.name]) for p in props[1:]), label] for r in rows))
        files.append(f"--nodes={path.name}")
    by_type: dict[str, list[dict[str, Any]]] = {}
    for (rel_type, _, _), rows in rel_rows(graph).items():
        by_type.setdefault(rel_type, []).extend(rows)
    for rel_type, rows in sorted(by_type.items()):
        props = rel_props(rel_type)
        header = [":START_ID", ":END_ID", ":TYPE", *(_header(p) for p in props)]
        path = out / f"rels_{rel_type}.csv"
        _write_rows(
            path, header, ([r["src"], r["dst"], rel_type, *(_cell(r[p.name]) for p in props)] for r in rows)
        )
        files.append(f"--relationships={path.name}")
    command = (
        "neo4j-admin database import full neo4j --overwrite-destination "
        f"--array-delimiter='{ARRAY_DELIMITER}' --multiline-fields=true " + " ".join(files)
    )
    (out / "IMPORT.txt").write_text(
        f"# run in this directory, with the database stopped\n{command}\n", encoding="utf-8"
    )


def _write_rows(path: Path, header: list[str], rows: Any) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
