"""graph/export.py: GraphML, GEXF and node-link JSON round-trip through networkx; CSV for neo4j-admin."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pytest

from graph.build import build_graph, load_extractions
from graph.export import export
from graph.model import from_node_link, node_link
from graph.schema import node_props, rel_props

FIXTURES = Path(__file__).parent / "fixtures" / "graph"


@pytest.fixture(scope="module")
def graph():
    built, _ = build_graph(load_extractions(FIXTURES / "extractions"), aliases_path=None)
    return built


def _counts(g: nx.Graph) -> tuple[int, int]:
    return g.number_of_nodes(), g.number_of_edges()


def test_to_networkx_keeps_ids_labels_and_properties(graph):
    g = graph.to_networkx()
    assert _counts(g) == (len(graph.nodes) + len(graph.documents), len(graph.edges))
    system = g.nodes["InnovationSystem:1+4+N创新平台体系"]
    assert system["label"] == "InnovationSystem" and system["declared"] == {"1": 1, "4": 4, "N": 12}
    # Parallel edges of different types between the same pair survive (multigraph keys).
    assert (
        len(g.get_edge_data("ResearchInstitute:青川市产业技术研究院", "Platform:青川海洋装备创新中心")) == 2
    )


@pytest.mark.parametrize(("fmt", "reader"), [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graphml_and_gexf_are_reread_with_the_same_counts(graph, tmp_path, fmt, reader):
    path = export(graph, fmt, tmp_path / f"graph.{fmt}")
    g = reader(path)
    assert _counts(g) == _counts(graph.to_networkx())
    node = g.nodes["Park:化工产业园@东湖区"]
    if fmt == "gexf":  # Gephi colours by the `type` attribute; `label` is the display text
        assert (node["type"], node["label"]) == ("Park", "化工产业园")
    else:
        assert (node["label"], node["name"]) == ("Park", "化工产业园")
    assert json.loads(node["docs"])  # lists travel as JSON strings in scalar-only formats


def test_node_link_json_round_trips_to_an_equal_graph(graph, tmp_path):
    path = export(graph, "json", tmp_path / "graph.json")
    again = from_node_link(json.loads(path.read_text(encoding="utf-8")))
    assert _counts(again.to_networkx()) == _counts(graph.to_networkx())
    assert again.nodes == graph.nodes and again.documents == graph.documents
    assert sorted(e.identity() for e in again.edges) == sorted(e.identity() for e in graph.edges)
    assert node_link(again) == node_link(graph)


def test_csv_layout_is_what_neo4j_admin_import_reads(graph, tmp_path):
    out = export(graph, "csv", tmp_path / "csv")
    with (out / "nodes_InnovationSystem.csv").open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][0] == "id:ID" and rows[0][-1] == ":LABEL"
    assert "declared_total:long" in rows[0] and "aliases:string[]" in rows[0]
    assert len(rows[0]) == len(node_props("InnovationSystem")) + 1
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["id:ID"], row[":LABEL"], row["declared_total:long"]) == (
        "InnovationSystem:1+4+N创新平台体系",
        "InnovationSystem",
        "17",
    )
    with (out / "rels_HAS_LINK.csv").open(encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert header[:3] == [":START_ID", ":END_ID", ":TYPE"] and "ord:long" in header
    assert len(header) == 3 + len(rel_props("HAS_LINK"))
    node_files = {p.name for p in out.glob("nodes_*.csv")}
    assert {"nodes_Document.csv", "nodes_Park.csv"} <= node_files
    rel_total = sum(len(p.read_text(encoding="utf-8").splitlines()) for p in out.glob("rels_*.csv"))
    assert rel_total >= len(graph.edges) + len(list(out.glob("rels_*.csv")))  # + headers; evidence may wrap
    assert "neo4j-admin database import full" in (out / "IMPORT.txt").read_text(encoding="utf-8")


def test_unknown_format_is_refused(graph, tmp_path):
    with pytest.raises(ValueError, match="unknown format"):
        export(graph, "dot", tmp_path / "g.dot")
