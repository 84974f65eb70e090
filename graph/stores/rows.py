"""Graph → rows with identical keys per label / relationship type, values in the schema's types.

Both stores get the same rows: Ladybug needs identical keys in every UNWIND row (no `SET n += map`),
and neither store holds maps, so dicts and lists of objects travel as JSON strings.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from graph.model import Edge, Graph, Node
from graph.schema import DOCUMENT, Prop, node_props, rel_props

RelGroup = tuple[str, str, str]  # (type, source label, target label)


def to_json(value: Any) -> str | None:
    if value is None or value == {} or value == []:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _entity_row(node: Node) -> dict[str, Any]:
    declared = {p.name: p for p in node_props(node.label)}
    row: dict[str, Any] = {
        "id": node.id,
        "name": node.name,
        "aliases": list(node.aliases),
        "docs": list(node.documents),
    }
    extras = {k: v for k, v in node.props.items() if k not in declared}
    row["props"] = to_json(extras)
    for name, prop in declared.items():
        if name in row:
            continue
        value = node.props.get(name)
        row[name] = to_json(value) if prop.json else value
    return row


def node_rows(graph: Graph) -> dict[str, list[dict[str, Any]]]:
    """label → rows; every row of a label has the label's columns, in schema order."""
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for doc in graph.documents.values():
        row = {"id": doc.id, "name": doc.name, **doc.props()}
        rows[DOCUMENT].append({p.name: row.get(p.name) for p in node_props(DOCUMENT)})
    for node in graph.nodes.values():
        row = _entity_row(node)
        rows[node.label].append({p.name: row.get(p.name) for p in node_props(node.label)})
    return dict(rows)


def _edge_row(edge: Edge, declared: dict[str, Prop]) -> dict[str, Any]:
    """One row; `declared` is rel_props(edge.type) by name, looked up once per type by the caller."""
    props = edge.props
    row: dict[str, Any] = {
        "src": edge.src,
        "dst": edge.dst,
        "key": edge.key if props else "",  # no properties, no key properties
        "evidence": to_json(edge.evidence),
        "docs": edge.docs,
        "props": to_json({k: v for k, v in props.items() if k not in declared}) if props else None,
    }
    for name, prop in declared.items():
        if name not in row:
            value = props.get(name)
            row[name] = to_json(value) if prop.json else value
    return row


def rel_rows(graph: Graph) -> dict[RelGroup, list[dict[str, Any]]]:
    """(type, source label, target label) → rows with src, dst and the type's columns."""
    rows: dict[RelGroup, list[dict[str, Any]]] = defaultdict(list)
    labels = {node_id: node.label for node_id, node in graph.nodes.items()}
    labels.update(dict.fromkeys(graph.documents, DOCUMENT))
    declared: dict[str, dict[str, Prop]] = {}
    for edge in graph.edges:
        if edge.type not in declared:
            declared[edge.type] = {p.name: p for p in rel_props(edge.type)}
        group = (edge.type, labels[edge.src], labels[edge.dst])
        rows[group].append(_edge_row(edge, declared[edge.type]))
    return dict(rows)


def batches(rows: list[dict[str, Any]], size: int) -> list[list[dict[str, Any]]]:
    return [rows[i : i + size] for i in range(0, len(rows), size)]
