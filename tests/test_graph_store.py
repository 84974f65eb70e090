"""graph/stores: the embedded LadybugDB store and Neo4j, through the same tests.

The neo4j parameter needs a server (tests/neo4j_support.py): skipped without one, failed under CI=true.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.build import build_graph, load_extractions
from graph.stores.base import QueryTimeout, ReadOnlyError, Store, StoreError
from graph.stores.ladybug import LadybugStore

FIXTURES = Path(__file__).parent / "fixtures" / "graph"


def _graph(*docs: str):
    extractions = [ex for ex in load_extractions(FIXTURES / "extractions") if not docs or ex["doc"] in docs]
    graph, _ = build_graph(extractions, aliases_path=None)
    return graph


@pytest.fixture(scope="module")
def full():
    return _graph()


@pytest.fixture(scope="module")
def part():
    """A subset of `full` (two of its documents): loading it after `full` only removes things."""
    return _graph("100_qingchuan_plan.txt", "102_qingchuan_measures.txt")


def _neo4j_store(request: pytest.FixtureRequest) -> Store:

    conn = request.getfixturevalue("neo4j_connection")
    return conn.store()


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    s = LadybugStore(tmp_path / "graph.lbdb") if request.param == "embedded" else _neo4j_store(request)
    s.clear()
    try:
        yield s
    finally:
        s.clear()
        s.close()


def _expected(graph) -> dict[str, dict[str, int]]:
    nodes, rels = graph.node_counts(), graph.edge_counts()
    return {
        "nodes": {k: v for k, v in nodes.items() if v},
        "relationships": {k: v for k, v in rels.items() if v},
    }


def _nonzero(counts: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    return {part: {k: v for k, v in c.items() if v} for part, c in counts.items()}


def test_load_gives_the_graphs_counts(store, full):
    store.load(full)
    assert _nonzero(store.counts()) == _expected(full)


def test_loading_twice_gives_the_same_counts(store, full):
    store.load(full)
    first = store.counts()
    store.load(full)
    assert store.counts() == first


def test_reload_with_fewer_documents_removes_what_they_alone_held(store, full, part):
    store.load(full)
    store.load(part)
    assert _nonzero(store.counts()) == _expected(part)
    _, rows = store.query("MATCH (d:Document) RETURN d.name AS name ORDER BY name")
    assert [r[0] for r in rows] == sorted(d.name for d in part.documents.values())


def test_failed_load_leaves_the_previous_graph_and_a_rerun_completes(store, full, part, monkeypatch):
    store.load(full)
    before = store.counts()
    module = importlib.import_module(type(store).__module__)
    real_batches = module.batches
    calls = {"n": 0}

    def failing(rows, size):
        calls["n"] += 1
        if calls["n"] > 5:  # midway: some labels written, relationships not yet
            raise RuntimeError("injected failure")
        return real_batches(rows, size)

    monkeypatch.setattr(module, "batches", failing)
    with pytest.raises(RuntimeError, match="injected failure"):
        store.load(part)
    assert store.counts() == before
    monkeypatch.setattr(module, "batches", real_batches)
    store.load(part)  # the rerun completes, without duplicates
    assert _nonzero(store.counts()) == _expected(part)


def test_read_only_query_refuses_writes(store, full):
    store.load(full)
    before = store.counts()
    for cypher in ("CREATE (n:Region {id: 'Region:x', name: 'x'})", "MATCH (n:Region) SET n.name = 'x'"):
        with pytest.raises(ReadOnlyError):
            store.query(cypher)
    assert store.counts() == before
    columns, rows = store.query("MATCH (n:Region {id: $id}) RETURN n.name AS name", {"id": "Region:东湖区"})
    assert (columns, rows) == (["name"], [["东湖区"]])


def test_a_query_past_its_timeout_is_stopped(store, full):
    store.load(full)
    with pytest.raises(QueryTimeout):
        store.query("MATCH (a)-[*1..12]-(b) RETURN count(*)", timeout=0.3)


def test_both_stores_implement_the_protocol(store):
    assert isinstance(store, Store)


def test_write_query_when_asked(store, full):
    store.load(full)
    store.query("MATCH (n:Region {id: $id}) SET n.name = 'renamed'", {"id": "Region:东湖区"}, read_only=False)
    _, rows = store.query("MATCH (n:Region {id: 'Region:东湖区'}) RETURN n.name")
    assert rows == [["renamed"]]


def test_declared_versus_named_members(store, full):
    store.load(full)
    _, rows = store.query(
        "MATCH (s:InnovationSystem) OPTIONAL MATCH (m)-[:MEMBER_OF]->(s) "
        "RETURN s.name AS name, s.declared_total AS declared, count(m) AS named"
    )
    assert rows == [["1+4+N创新平台体系", 17, 2]]


def test_provenance_is_queryable(store, full):
    store.load(full)
    _, rows = store.query(
        "MATCH (p:Park {id: $id})-[m:MENTIONED_IN]->(d:Document) RETURN d.name, m.n_mentions, m.evidence "
        "ORDER BY d.name",
        {"id": "Park:化工产业园@东湖区"},
    )
    assert [r[0] for r in rows] == sorted(
        ["100_qingchuan_plan.txt", "101_qingchuan_plan_notice.txt", "102_qingchuan_measures.txt"]
    )
    assert all('"化工产业园"' in r[2] for r in rows)
    _, rows = store.query("MATCH ()-[e:LOCATED_IN]->(r:Region {id: 'Region:东湖区'}) RETURN e.docs, e.key")
    assert rows and all(isinstance(docs, list) and docs for docs, _ in rows)


def test_nodes_and_relationships_come_back_as_plain_dicts(store, full):
    store.load(full)
    _, rows = store.query(
        "MATCH (c:IndustryChain)-[h:HAS_LINK]->(l:ChainLink) RETURN c, h, l ORDER BY h.ord LIMIT 1"
    )
    chain, link_rel, link = rows[0]
    assert chain["_label"] == "IndustryChain" and chain["id"] == "IndustryChain:碳纤维产业链"
    assert (link_rel["_type"], link_rel["ord"], link_rel["_src"], link_rel["_dst"]) == (
        "HAS_LINK",
        1,
        chain["id"],
        link["id"],
    )


def test_embedded_query_before_any_build_says_so(tmp_path):
    store = LadybugStore(tmp_path / "none.lbdb")
    with pytest.raises(StoreError, match="ikg build"):
        store.query("MATCH (n) RETURN n")
    with pytest.raises(StoreError, match="ikg build"):
        store.query("CREATE (n:Region {id: 'x'})", read_only=False)
    assert not store.path.exists()
    assert sum(store.counts()["nodes"].values()) == 0


def test_embedded_load_with_a_dangling_row_fails_and_keeps_the_old_file(tmp_path, full, part, monkeypatch):
    import graph.stores.ladybug as module

    store = LadybugStore(tmp_path / "graph.lbdb")
    store.load(full)
    before = store.counts()
    real_rel_rows = module.rel_rows

    def with_bad_row(graph):
        rows = real_rel_rows(graph)
        group = next(iter(rows))
        rows[group][0] = dict(rows[group][0], dst="Region:nowhere")  # an end that is not in the graph
        return rows

    monkeypatch.setattr(module, "rel_rows", with_bad_row)
    with pytest.raises(StoreError, match="Region:nowhere"):
        store.load(part)
    assert store.counts() == before
    assert [p.name for p in tmp_path.iterdir()] == ["graph.lbdb"]  # no temporary file left behind
    store.close()


@pytest.mark.neo4j
def test_embedded_and_neo4j_hold_identical_counts(request, tmp_path, full):
    embedded = LadybugStore(tmp_path / "graph.lbdb")
    neo4j = _neo4j_store(request)
    try:
        embedded.load(full)
        neo4j.clear()
        neo4j.load(full)
        assert embedded.counts() == neo4j.counts()
    finally:
        neo4j.clear()
        neo4j.close()
        embedded.close()
