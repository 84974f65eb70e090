"""Administrative containment from the division codes (graph/places.py), on a small graph."""

from __future__ import annotations

from graph.model import Edge, Graph, Node
from graph.places import add_containment
from ingest.ontology import Place

PLACES = [
    Place("甲省", "110000000000", "province"),
    Place("青川市", "110100000000", "city"),
    Place("东湖区", "110101000000", "county"),
    Place("城关区", "110102000000", "county"),
    Place("星港市", "110200000000", "city"),
    Place("城关区", "110201000000", "county"),  # the same district name in another city
    Place("西岭县", "110202000000", "county"),
]


def graph_of(*names: str) -> Graph:
    g = Graph()
    for name in names:
        node_id = f"Region:{name}"
        g.nodes[node_id] = Node(node_id, "Region", name)
        ev = {"doc_id": "d1", "doc": "d.txt", "sentence": f"{name}。", "start": 0, "end": len(name)}
        g.edges.append(Edge(node_id, "d1", "MENTIONED_IN", {"n_mentions": 1}, [ev]))
    return g


def located(g: Graph) -> set[tuple[str, str]]:
    return {(g.nodes[e.src].name, g.nodes[e.dst].name) for e in g.edges if e.type == "LOCATED_IN"}


def test_districts_in_their_city_and_cities_in_their_province() -> None:
    g = graph_of("甲省", "青川市", "东湖区", "星港市", "西岭县")
    assert add_containment(g, PLACES) == 4
    assert located(g) == {("东湖区", "青川市"), ("西岭县", "星港市"), ("青川市", "甲省"), ("星港市", "甲省")}
    edge = next(e for e in g.edges if e.type == "LOCATED_IN")
    assert edge.evidence and edge.props["basis"].startswith("national division codes")


def test_a_name_two_named_cities_share_is_left_alone() -> None:
    g = graph_of("青川市", "星港市", "城关区")
    add_containment(g, PLACES)
    assert located(g) == set()


def test_no_parent_named_no_edge() -> None:
    g = graph_of("东湖区")
    assert add_containment(g, PLACES) == 0
