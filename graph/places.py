"""Administrative containment: a district or county Region LOCATED_IN its city, a city in its province.

Plans rarely say "环翠区 lies in 威海市"; the national division codes do (the gazetteer of the
extractor, cpca's NBS table). A containment edge is added only between Region nodes the documents
name, and only when the child's name points at one parent among them (many counties share a name
across the country), so the gazetteer never invents a place. The edge's evidence is the child's
first mention; its ``basis`` property says where the fact comes from.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable

from graph.model import Edge, Graph, first_mentions
from graph.names import normalize

log = logging.getLogger(__name__)


def region_ids(graph: Graph) -> dict[str, str]:
    """Region node id by each of its names and aliases (normalised): how a place name finds its node."""
    index: dict[str, str] = {}
    for node in graph.nodes.values():
        if node.label == "Region":
            for form in (node.name, *node.aliases):
                index.setdefault(normalize(form), node.id)
    return index


def add_containment(graph: Graph, places: Iterable[object] | None = None) -> int:
    """Add Region→Region LOCATED_IN edges from the division codes; return how many were added."""
    if places is None:
        from ingest.ontology import load_ontology  # the same gazetteer the extractor reads

        places = load_ontology().places
    places = list(places)
    by_code = {p.adcode: p for p in places}
    regions = region_ids(graph)
    parents: dict[str, set[str]] = defaultdict(set)  # child node id → parent node ids
    for place in places:
        child = regions.get(normalize(place.name))
        parent_place = by_code.get(place.parent_code)
        if child is None or parent_place is None:
            continue
        parent = regions.get(normalize(parent_place.name))
        if parent is not None and parent != child:
            parents[child].add(parent)
    existing = {(e.src, e.dst) for e in graph.edges if e.type == "LOCATED_IN"}
    first_mention = first_mentions(graph)
    added = 0
    for child_id, found in sorted(parents.items()):
        if len(found) != 1:
            continue  # a name shared by places in several of the documents' cities: leave it
        parent_id = next(iter(found))
        if (child_id, parent_id) in existing:
            continue
        evidence = first_mention.get(child_id, [])
        props = {"basis": "national division codes (gazetteer)"}
        graph.edges.append(Edge(child_id, parent_id, "LOCATED_IN", props, evidence))
        added += 1
    log.info("places: %d regions placed in their city or province", added)
    return added
