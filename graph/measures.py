"""Measures → what they reward and whom they name: AwardKind nodes, AWARDS and CONCERNS edges.

A Measure node carries its awards as data (``awards``: for, amount_wan, kind, cap). Planners ask the
other way round — "what can a 国家级科技企业孵化器 get?" — so each rewarded kind becomes an AwardKind
node and each award an AWARDS edge (amount, cap, 奖励/补助, role such as 牵头创建). Named actors
mentioned inside a measure's text are linked with CONCERNS, with the mention as evidence.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from graph.model import Edge, Graph, Node, first_mentions
from graph.names import normalize
from graph.schema import REL_SPECS

log = logging.getLogger(__name__)

ROLE = re.compile(r"^(?P<kind>.+?)\((?P<role>[^()]+)\)$")  # 全国重点实验室(牵头创建)
# an actor named in a measure's text: what CONCERNS may point at (agencies answer for a measure with
# RESPONSIBLE_FOR, places are context)
CONCERNED_LABELS = REL_SPECS["CONCERNS"].targets


def split_role(label: str) -> tuple[str, str]:
    """全国重点实验室(牵头创建) → (全国重点实验室, 牵头创建); a bare label has no role."""
    m = ROLE.match(label.strip())
    return (m.group("kind"), m.group("role")) if m else (label.strip(), "")


def add_measure_links(
    graph: Graph, extractions: list[dict[str, Any]], node_of: dict[tuple[int, str], str]
) -> dict[str, int]:
    """Add AwardKind nodes, AWARDS and CONCERNS edges to ``graph`` (in place); return counts."""
    awards = _awards(graph)
    concerns = _concerns(graph, extractions, node_of)
    graph.edges.extend(awards + concerns)
    counts = {
        "award_kinds": sum(1 for n in graph.nodes.values() if n.label == "AwardKind"),
        "awards": len(awards),
        "concerns": len(concerns),
    }
    log.info("measures: %d award kinds, %d awards, %d named actors concerned", *counts.values())
    return counts


def _awards(graph: Graph) -> list[Edge]:
    edges: dict[tuple[str, str, str, float], Edge] = {}
    first = first_mentions(graph)
    for measure in [n for n in graph.nodes.values() if n.label == "Measure"]:
        for award in measure.props.get("awards") or []:
            kind_name, role = split_role(str(award.get("for") or ""))
            if len(kind_name) < 2:
                continue  # a grant whose text does not say what it rewards stays on the Measure only
            kind_id = f"AwardKind:{normalize(kind_name)}"
            kind = graph.nodes.get(kind_id)
            if kind is None:
                kind = Node(kind_id, "AwardKind", kind_name, [], {}, [])
                graph.nodes[kind_id] = kind
            for doc in measure.documents:
                if doc not in kind.documents:
                    kind.documents.append(doc)
            amount = float(award.get("amount_wan") or 0)
            key = (measure.id, kind_id, role, amount)
            if key in edges:
                continue
            props = {
                "amount_wan": amount,
                "cap": bool(award.get("cap")),
                "grant": str(award.get("kind") or ""),
                "role": role,
            }
            edges[key] = Edge(measure.id, kind_id, "AWARDS", props, first.get(measure.id, []))
    return list(edges.values())


def _concerns(
    graph: Graph, extractions: list[dict[str, Any]], node_of: dict[tuple[int, str], str]
) -> list[Edge]:
    edges: dict[tuple[str, str], Edge] = {}
    for doc_index, ex in enumerate(extractions):
        blocks = []
        for e in ex["entities"]:
            block = (e.get("props") or {}).get("block")
            if e["type"] == "Measure" and isinstance(block, list) and len(block) == 2:
                blocks.append((int(block[0]), int(block[1]), node_of.get((doc_index, e["id"]))))
        if not blocks:
            continue
        for e in ex["entities"]:
            if e["type"] not in CONCERNED_LABELS:
                continue
            target = node_of.get((doc_index, e["id"]))
            for mention in e.get("mentions") or []:
                start = int(mention.get("start", -1))
                for a, b, measure_id in blocks:
                    if measure_id and target and a <= start < b and (measure_id, target) not in edges:
                        edges[(measure_id, target)] = Edge(measure_id, target, "CONCERNS", {}, [mention])
    return list(edges.values())
