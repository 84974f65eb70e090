"""Indicator facts → Indicator nodes, INDICATOR_OF their place, TRACKS from reported values to targets.

The extractor leaves figures in each extraction's ``meta["indicators"]``. The same fact stated twice
(a report repeating itself, a notice quoting its plan) is one node with all its evidence. A target is
tracked by the latest value of the same indicator and place reported in another document; the edge
says whether it is met or behind. Targets without such a value have no TRACKS edge (no data).
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from graph.model import Edge, Graph, Node
from graph.names import normalize
from graph.places import region_ids
from graph.schema import MENTIONED_IN

log = logging.getLogger(__name__)

KIND_WORDS = {"target": "目标", "reported": "", "baseline": "基数"}
QUALIFIER_SIGNS = {"over": ">", "at_least": "≥", "at_most": "≤", "about": "约", "nearly": "近"}
FACT_FIELDS = (
    "key",
    "metric",
    "kind",
    "value",
    "unit",
    "value_base",
    "base_unit",
    "unit_class",
    "qualifier",
    "year",
    "year_source",
    "better",
)


def fact_id(fact: dict[str, Any]) -> str:
    """Same place, quantity, kind, year and value → the same node."""
    what = fact.get("key") or normalize(str(fact.get("metric") or ""))
    parts = [
        fact.get("region") or "",
        what,
        fact.get("kind"),
        fact.get("year"),
        fact.get("value"),
        fact.get("unit"),
    ]
    digest = hashlib.sha1("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:12]
    return f"Indicator:{digest}"


def fact_name(fact: dict[str, Any]) -> str:
    """A readable name: 威海市 高新技术企业数量 2025目标 >1500家."""
    value = fact.get("value")
    number = f"{value:g}" if isinstance(value, (int, float)) else str(value)
    sign = QUALIFIER_SIGNS.get(str(fact.get("qualifier") or ""), "")
    year = fact.get("year")
    when = f"{year}" if year else ""
    kind = KIND_WORDS.get(str(fact.get("kind")), "")
    parts = [fact.get("region") or "", fact.get("label") or fact.get("metric") or "", f"{when}{kind}"]
    return " ".join(p for p in parts if p) + f" {sign}{number}{fact.get('unit') or ''}"


def _document_year(date: str) -> int | None:
    head = (date or "")[:4]
    return int(head) if head.isdigit() else None


def add_indicators(graph: Graph, extractions: list[dict[str, Any]]) -> dict[str, int]:
    """Add Indicator nodes and their edges to ``graph`` (in place); return counts for the report."""
    regions = region_ids(graph)
    evidence: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for ex in extractions:
        doc_id, doc = ex["doc_id"], ex["doc"]
        doc_year = _document_year(str(ex.get("meta", {}).get("date") or ""))
        for raw in ex.get("meta", {}).get("indicators") or []:
            fact = dict(raw)
            if fact.get("year_source") == "document" and doc_year:
                fact["year"] = doc_year  # the document's own date beats the latest year it mentions
            node_id = fact_id(fact)
            node = graph.nodes.get(node_id)
            if node is None:
                props = {k: fact.get(k) for k in FACT_FIELDS}
                props["indicator"] = fact.get("label") or fact.get("metric") or ""
                props["region"] = fact.get("region") or ""
                node = Node(node_id, "Indicator", fact_name(fact), [], props, [])
                graph.nodes[node_id] = node
            if doc_id not in node.documents:
                node.documents.append(doc_id)
            ev = {"doc_id": doc_id, "doc": doc, **(fact.get("evidence") or {})}
            evidence.setdefault(node_id, {}).setdefault(doc_id, []).append(ev)

    edges: list[Edge] = []
    for node_id, per_doc in evidence.items():
        for doc_id, evs in per_doc.items():
            edges.append(Edge(node_id, doc_id, MENTIONED_IN, {"n_mentions": len(evs)}, evs))
        region_id = regions.get(normalize(str(graph.nodes[node_id].props.get("region") or "")))
        if region_id:
            first = [e for evs in per_doc.values() for e in evs][:1]
            edges.append(Edge(node_id, region_id, "INDICATOR_OF", {}, first))
    tracks = _tracks(graph, evidence)
    graph.edges.extend(edges + tracks)
    counts = {"indicators": len(evidence), "tracked_targets": len(tracks)}
    log.info("indicators: %d facts, %d targets with a later reported value", *counts.values())
    return counts


def _tracks(graph: Graph, evidence: dict[str, dict[str, list[dict[str, Any]]]]) -> list[Edge]:
    """One TRACKS edge per target: from the latest reported value of another document."""
    facts = [graph.nodes[i] for i in evidence]
    reported: dict[tuple[str, str, str], list[Node]] = {}
    for n in facts:
        p = n.props
        if p.get("kind") == "reported" and p.get("key") and p.get("year"):
            reported.setdefault((p["key"], p.get("region") or "", p.get("unit_class") or ""), []).append(n)
    edges = []
    for target in facts:
        p = target.props
        if p.get("kind") != "target" or not p.get("key"):
            continue
        candidates = [
            r
            for r in reported.get((p["key"], p.get("region") or "", p.get("unit_class") or ""), [])
            # a plan's own figures are its starting point, not progress towards its targets
            if not set(r.documents) & set(target.documents)
        ]
        if not candidates:
            continue
        actual = max(candidates, key=lambda r: (r.props["year"], r.documents[-1]))
        gap = float(actual.props["value_base"]) - float(p["value_base"])
        higher = (p.get("better") or "higher") == "higher"
        status = "met" if (gap >= 0 if higher else gap <= 0) else "behind"
        ev = [e for evs in evidence[actual.id].values() for e in evs][:1]
        ev += [e for evs in evidence[target.id].values() for e in evs][:1]
        edges.append(Edge(actual.id, target.id, "TRACKS", {"status": status, "gap": round(gap, 6)}, ev))
    return edges
