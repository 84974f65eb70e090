"""The resolved graph in memory: nodes, edges with evidence, documents; conversion to/from networkx.

Values stay Python values here (lists, dicts); serialisation to scalars happens only where a format
needs it (graph/export.py, graph/stores/rows.py).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph.schema import DOCUMENT, MENTIONED_IN, key_props


@dataclass
class DocumentInfo:
    """A source document: the provenance anchor of every mention and relationship."""

    id: str  # content hash (Extraction.doc_id)
    name: str  # file name
    title: str = ""
    issuer: str = ""
    date: str = ""
    source: str = ""
    content_hash: str = ""
    fmt: str = ""

    def props(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "issuer": self.issuer,
            "date": self.date,
            "source": self.source,
            "content_hash": self.content_hash,
            "fmt": self.fmt,
        }


@dataclass
class Node:
    id: str
    label: str
    name: str
    aliases: list[str] = field(default_factory=list)
    # Schema-declared label properties (declared, number, region, ...) plus undeclared extras.
    props: dict[str, Any] = field(default_factory=dict)
    documents: list[str] = field(default_factory=list)  # doc ids, in first-seen order


@dataclass
class Edge:
    src: str
    dst: str
    type: str
    props: dict[str, Any] = field(default_factory=dict)
    evidence: list[dict[str, Any]] = field(default_factory=list)

    @property
    def key(self) -> str:
        """Identity within (src, type, dst): the key properties, e.g. `role=1`; empty when none."""
        parts = [
            f"{name}={self.props[name]}" for name in key_props(self.type) if self.props.get(name) is not None
        ]
        return ";".join(parts)

    @property
    def docs(self) -> list[str]:
        return list(dict.fromkeys(e.get("doc_id", "") for e in self.evidence if e.get("doc_id")))

    def identity(self) -> tuple[str, str, str, str]:
        return (self.src, self.type, self.dst, self.key)


@dataclass
class Graph:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)  # MENTIONED_IN (entity → Document) included
    documents: dict[str, DocumentInfo] = field(default_factory=dict)

    def node_counts(self) -> dict[str, int]:
        counts = Counter(n.label for n in self.nodes.values())
        if self.documents:
            counts[DOCUMENT] = len(self.documents)
        return dict(sorted(counts.items()))

    def edge_counts(self) -> dict[str, int]:
        return dict(sorted(Counter(e.type for e in self.edges).items()))

    def label_of(self, node_id: str) -> str:
        if node_id in self.documents:
            return DOCUMENT
        return self.nodes[node_id].label

    # --- networkx -------------------------------------------------------------------------------

    def to_networkx(self) -> nx.MultiDiGraph:
        """Same ids, labels and properties; list/dict values kept as Python values."""
        g = nx.MultiDiGraph()
        for doc in self.documents.values():
            g.add_node(doc.id, label=DOCUMENT, name=doc.name, **doc.props())
        for node in self.nodes.values():
            g.add_node(
                node.id,
                label=node.label,
                name=node.name,
                aliases=list(node.aliases),
                docs=list(node.documents),
                **node.props,
            )
        for edge in self.edges:
            g.add_edge(
                edge.src,
                edge.dst,
                key=_edge_key(edge),
                type=edge.type,
                evidence=list(edge.evidence),
                **edge.props,
            )
        return g

    @classmethod
    def from_networkx(cls, g: nx.MultiDiGraph) -> Graph:
        """Inverse of `to_networkx` (used to reload data/build/graph.json)."""
        graph = cls()
        reserved = {"label", "name", "aliases", "docs"}
        for node_id, data in g.nodes(data=True):
            if data.get("label") == DOCUMENT:
                fields = {
                    k: data.get(k) or "" for k in DocumentInfo.__dataclass_fields__ if k not in {"id", "name"}
                }
                graph.documents[node_id] = DocumentInfo(id=node_id, name=data.get("name", ""), **fields)
                continue
            graph.nodes[node_id] = Node(
                id=node_id,
                label=data["label"],
                name=data.get("name", ""),
                aliases=list(data.get("aliases") or []),
                props={k: v for k, v in data.items() if k not in reserved},
                documents=list(data.get("docs") or []),
            )
        for src, dst, data in g.edges(data=True):
            props = {k: v for k, v in data.items() if k not in {"type", "evidence"}}
            graph.edges.append(Edge(src, dst, data["type"], props, list(data.get("evidence") or [])))
        return graph


def first_mentions(graph: Graph) -> dict[str, list[dict[str, Any]]]:
    """Each entity's first MENTIONED_IN evidence (a one-item list): the evidence of a derived edge."""
    out: dict[str, list[dict[str, Any]]] = {}
    for e in graph.edges:
        if e.type == MENTIONED_IN and e.evidence and e.src not in out:
            out[e.src] = e.evidence[:1]
    return out


def _edge_key(edge: Edge) -> str:
    # Unique per (src, dst) pair in the MultiDiGraph: the type plus its key properties.
    return f"{edge.type}|{edge.key}" if edge.key else edge.type


def node_link(graph: Graph) -> dict[str, Any]:
    """Node-link JSON (networkx layout, edges under "edges")."""
    return nx.node_link_data(graph.to_networkx(), edges="edges")


def from_node_link(data: dict[str, Any]) -> Graph:
    g = nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
    return Graph.from_networkx(g)
