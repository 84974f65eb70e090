"""What the Explore page draws, assembled from preset answers: pure functions, no Streamlit.

Views are (nodes by id, edges) as app/data.py `subgraph_view` gives them. The structure view orders its
nodes so a cap keeps the systems and clusters first; expanding a node merges its neighbourhood in;
filters hide node types, relationship types and what the chosen documents do not name; a path's edges
are marked to be drawn bold.
"""

from __future__ import annotations

from typing import Any

from app import evidence
from graph.schema import NODE_SPECS

Nodes = dict[str, dict[str, Any]]
Edges = list[dict[str, Any]]
# Off unless asked for: figures and policy measures crowd a view of the ecosystem (a city with 80 figures
# is a star of figures, not a structure).
POLICY_LABELS = ("Measure", "Indicator", "AwardKind")
# Hops of the structure view: what a node cap keeps first.
STRUCTURE_RANK = {"InnovationSystem": 0, "IndustryCluster": 0, "IndustryChain": 1}


def structure_view(nodes: Nodes, edges: Edges) -> tuple[Nodes, Edges]:
    """The ecosystem_structure answer, ranked for the cap: systems and clusters, chains, then members."""
    for node in nodes.values():
        node["hop"] = STRUCTURE_RANK.get(node.get("label") or "", 2)
    return nodes, [e for e in edges if e["type"]]


def merge(view: tuple[Nodes, Edges], more: tuple[Nodes, Edges], hop: int) -> tuple[Nodes, Edges]:
    """`more` added to `view` (an expanded node's neighbourhood); new nodes get `hop`."""
    nodes, edges = dict(view[0]), list(view[1])
    for node_id, node in more[0].items():
        if node_id not in nodes:
            nodes[node_id] = {**node, "hop": hop}
    seen = {(e["src"], e["type"], e["dst"]) for e in edges}
    for e in more[1]:
        if (e["src"], e["type"], e["dst"]) not in seen:
            seen.add((e["src"], e["type"], e["dst"]))
            edges.append(e)
    return nodes, edges


def filtered(
    view: tuple[Nodes, Edges],
    labels: set[str],
    rel_types: set[str],
    named_in: set[str] | None = None,
    keep: set[str] = frozenset(),
) -> tuple[Nodes, Edges]:
    """Nodes of the chosen types (and, with `named_in`, named in the chosen documents); edges of the chosen
    types between them. Nodes in `keep` (the centre, a path's ends) always stay."""
    nodes, edges = view
    shown = {
        i: n
        for i, n in nodes.items()
        if i in keep or (n.get("label") in labels and (named_in is None or i in named_in))
    }
    return shown, [e for e in edges if e["type"] in rel_types and e["src"] in shown and e["dst"] in shown]


def path_view(paths: list[dict[str, Any]]) -> tuple[Nodes, Edges]:
    """shortest_path rows' `path` values → the nodes and edges of every path, edges marked to be bold."""
    nodes: Nodes = {}
    edges: Edges = []
    seen: set[tuple[str, str, str]] = set()
    for path in paths:
        for n in path.get("nodes") or []:
            nodes.setdefault(
                n["id"],
                {"id": n["id"], "label": n.get("_label") or "", "name": n.get("name") or n["id"], "hop": 0},
            )
        for r in path.get("rels") or []:
            ident = (r["_src"], r["_type"], r["_dst"])
            if ident in seen:
                continue
            seen.add(ident)
            edges.append(
                {
                    "src": r["_src"],
                    "dst": r["_dst"],
                    "type": r["_type"],
                    "props": {p: r[p] for p in ("role", "ord") if r.get(p) is not None},
                    "evidence": evidence.as_list(r.get("evidence")),
                    "highlight": True,
                }
            )
    return nodes, edges


def default_ends(hubs: list[dict[str, Any]]) -> tuple[str | None, str | None]:
    """The ends a path view opens on: the highest-degree university (else the top hub) and the
    highest-degree platform, lab or institute that is not it (else the next hub)."""

    def first(kinds: tuple[str, ...], other: str | None = None) -> str | None:
        return next((h["id"] for h in hubs if h["label"] in kinds and h["id"] != other), None)

    start = first(("University",)) or (hubs[0]["id"] if hubs else None)
    end = first(("Platform", "Lab", "ResearchInstitute"), start)
    if end is None:
        end = next((h["id"] for h in hubs if h["id"] != start), None)
    return start, end


def labels_in_order(labels: set[str]) -> list[str]:
    """Labels in the schema's order (the legend's and the filters')."""
    return [label for label in NODE_SPECS if label in labels]
