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
    _, rows = store.read("MATCH (d:Document) RETURN d.name AS name ORDER BY name")
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
            store.read(cypher)
    assert store.counts() == before
    columns, rows = store.read("MATCH (n:Region {id: $id}) RETURN n.name AS name", {"id": "Region:东湖区"})
    assert (columns, rows) == (["name"], [["东湖区"]])


def test_a_query_past_its_timeout_is_stopped(store, full):
    store.load(full)
    with pytest.raises(QueryTimeout):
        store.read("MATCH (a)-[*1..12]-(b) RETURN count(*)", timeout=0.3)


def test_both_stores_implement_the_protocol(store, request):
    assert isinstance(store, Store)
    assert store.dialect == {"embedded": "ladybug", "neo4j": "neo4j"}[request.node.callspec.params["store"]]


def test_read_stops_at_the_row_cap(store, full):
    store.load(full)
    columns, rows = store.read("MATCH (n:Region) RETURN n.id AS id ORDER BY id", row_cap=3)
    _, every = store.read("MATCH (n:Region) RETURN n.id AS id ORDER BY id")
    assert columns == ["id"] and len(every) > 3 and rows == every[:3]


def test_one_store_serves_many_threads_while_a_query_times_out(store, full):
    """One store object is shared by every thread (the app's sessions): reads run side by side, and a
    read stopped by its timeout neither hangs the others nor spoils the store for later reads."""
    import threading

    store.load(full)
    regions = full.node_counts()["Region"]
    outcomes: list[str] = []
    lock = threading.Lock()

    def slow() -> None:
        for _ in range(2):
            try:
                store.read("MATCH (a)-[*1..12]-(b) RETURN count(*)", timeout=0.5)
                outcome = "finished"
            except QueryTimeout:
                outcome = "QueryTimeout"
            with lock:
                outcomes.append(outcome)

    def fast() -> None:
        for _ in range(5):
            _, rows = store.read("MATCH (n:Region) RETURN n.id")
            with lock:
                outcomes.append(str(len(rows)))

    threads = [threading.Thread(target=slow, daemon=True)]
    threads += [threading.Thread(target=fast, daemon=True) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a read hung"
    assert outcomes.count(str(regions)) == 25
    assert outcomes.count("QueryTimeout") + outcomes.count("finished") == 2
    assert len(store.read("MATCH (n:Region) RETURN n.id")[1]) == regions


def test_a_replaced_file_is_read_at_its_new_version(tmp_path, full, part):
    """The embedded store notices a file replaced under it (a build from another process) and reads it."""
    reader = LadybugStore(tmp_path / "graph.lbdb")
    writer = LadybugStore(tmp_path / "graph.lbdb")
    try:
        writer.load(full)
        assert reader.counts()["nodes"] == writer.counts()["nodes"]
        writer.load(part)
        assert reader.counts()["nodes"]["Document"] == len(part.documents)
    finally:
        reader.close()
        writer.close()


def test_declared_versus_named_members(store, full):
    store.load(full)
    _, rows = store.read(
        "MATCH (s:InnovationSystem) OPTIONAL MATCH (m)-[:MEMBER_OF]->(s) "
        "RETURN s.name AS name, s.declared_total AS declared, count(m) AS named"
    )
    assert rows == [["1+4+N创新平台体系", 17, 2]]


def test_provenance_is_queryable(store, full):
    store.load(full)
    _, rows = store.read(
        "MATCH (p:Park {id: $id})-[m:MENTIONED_IN]->(d:Document) RETURN d.name, m.n_mentions, m.evidence "
        "ORDER BY d.name",
        {"id": "Park:化工产业园@东湖区"},
    )
    assert [r[0] for r in rows] == sorted(
        ["100_qingchuan_plan.txt", "101_qingchuan_plan_notice.txt", "102_qingchuan_measures.txt"]
    )
    assert all('"化工产业园"' in r[2] for r in rows)
    _, rows = store.read("MATCH ()-[e:LOCATED_IN]->(r:Region {id: 'Region:东湖区'}) RETURN e.docs, e.key")
    assert rows and all(isinstance(docs, list) and docs for docs, _ in rows)


def test_nodes_and_relationships_come_back_as_plain_dicts(store, full):
    store.load(full)
    _, rows = store.read(
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
        store.read("MATCH (n) RETURN n")
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


@pytest.mark.neo4j
def test_a_batch_over_the_servers_transaction_memory_is_halved_until_it_fits(request, caplog):
    """The test server allows a transaction 128 MiB (tests/neo4j_server): 2,000 nodes of 40 KB each in
    one batch are over it, so the loader halves the batch; everything arrives, counted."""
    import logging

    from graph.model import Graph, Node

    conn = request.getfixturevalue("neo4j_connection")
    s = conn.store()
    s.clear()
    try:
        graph = Graph(
            nodes={
                f"Program:p{i}": Node(f"Program:p{i}", "Program", f"p{i}", aliases=[f"{i}-" + "x" * 40000])
                for i in range(2000)
            }
        )
        with caplog.at_level(logging.INFO, logger="graph.stores.neo4j"):
            s.load(graph)
        assert s.counts()["nodes"]["Program"] == 2000
        assert any("over the transaction memory limit" in r.getMessage() for r in caplog.records)
    finally:
        s.clear()
        s.close()
