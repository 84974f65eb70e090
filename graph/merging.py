"""Two records of one thing folded into one: the evidence of a fact stated twice, the edges of one
identity, an entity into another.

Resolution folds the instances of one entity and the relationships stated in several documents;
curation (graph/curation.py) folds an entity into the one an analyst merged it into. Both use these
functions, so a merge means the same wherever it happens.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graph.model import Edge, Node
from graph.names import normalize
from graph.schema import MENTIONED_IN, REL_SPECS


def dedupe_evidence(evidence: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The evidence in order, each span of each document once."""
    seen: set[tuple[Any, ...]] = set()
    out = []
    for e in evidence:
        key = (e.get("doc_id"), e.get("start"), e.get("end"), e.get("text"), e.get("sentence"))
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


def mention_edge(node_id: str, doc_id: str, evidence: list[dict[str, Any]]) -> Edge:
    """An entity's MENTIONED_IN edge to a document, counting its distinct mentions."""
    evidence = dedupe_evidence(evidence)
    return Edge(node_id, doc_id, MENTIONED_IN, {"n_mentions": len(evidence)}, evidence)


def oriented(edge: Edge) -> Edge:
    """An undirected relationship is stored once, its endpoints in id order."""
    if REL_SPECS.get(edge.type) is not None and REL_SPECS[edge.type].undirected and edge.dst < edge.src:
        edge.src, edge.dst = edge.dst, edge.src
    return edge


def fold_edge(known: Edge, other: Edge) -> None:
    """`other` (same identity) into `known`: its properties fill gaps, its evidence is added."""
    for k, v in other.props.items():
        known.props.setdefault(k, v)
    known.evidence = dedupe_evidence(known.evidence + other.evidence)
    if known.type == MENTIONED_IN:
        known.props["n_mentions"] = len(known.evidence)


def fold_edges(edges: Iterable[Edge]) -> list[Edge]:
    """One edge per identity (src, type, dst, key properties), in order of first appearance."""
    out: dict[tuple[str, str, str, str], Edge] = {}
    for edge in edges:
        known = out.get(edge.identity())
        if known is None:
            out[edge.identity()] = edge
        else:
            fold_edge(known, edge)
    return list(out.values())


def aliases_of(name: str, forms: Iterable[str]) -> list[str]:
    """The forms that are not the name, each once (by normalised form), sorted."""
    seen = {normalize(name)}
    aliases = []
    for form in forms:
        if normalize(form) not in seen:
            seen.add(normalize(form))
            aliases.append(form)
    return sorted(aliases)


def fold_node(into: Node, other: Node) -> None:
    """`other` into `into`: its name and aliases become aliases, its properties fill gaps (the first
    record wins, as in resolution), its documents are added. Edges are the caller's: they are
    re-pointed and folded with `fold_edges`."""
    into.aliases = aliases_of(into.name, [*into.aliases, other.name, *other.aliases])
    for k, v in other.props.items():
        into.props.setdefault(k, v)
    into.documents = list(dict.fromkeys([*into.documents, *other.documents]))
