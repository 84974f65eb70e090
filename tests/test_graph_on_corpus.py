"""The graph built from the real corpus (data/raw), loaded into both stores.

The neo4j parameter needs the test server (tests/neo4j_support.py): skipped without one, failed
under CI=true.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.build import build_graph
from graph.stores.base import Store
from graph.stores.ladybug import LadybugStore
from ingest.extract import extract_paths

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def corpus_graph():
    extractions, errors = extract_paths([ROOT / "data" / "raw"], None, progress=False)
    assert not errors
    graph, _report = build_graph(extractions, aliases_path=ROOT / "data" / "ontology" / "aliases.yaml")
    return graph


def _neo4j(request: pytest.FixtureRequest) -> Store:
    from graph.stores.neo4j import Neo4jStore

    conn = request.getfixturevalue("neo4j_connection")
    return Neo4jStore(conn.uri, conn.user, conn.password, env_file=None)


@pytest.fixture(scope="module", params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def loaded(request: pytest.FixtureRequest, corpus_graph, tmp_path_factory) -> Iterator[Store]:
    if request.param == "embedded":
        store: Store = LadybugStore(tmp_path_factory.mktemp("corpus") / "graph.lbdb")
    else:
        store = _neo4j(request)
    store.clear()
    store.load(corpus_graph)
    try:
        yield store
    finally:
        store.clear()
        store.close()


def _expected(graph) -> dict[str, dict[str, int]]:
    return {
        "nodes": {k: v for k, v in graph.node_counts().items() if v},
        "relationships": {k: v for k, v in graph.edge_counts().items() if v},
    }


def _counts(store: Store) -> dict[str, dict[str, int]]:
    c = store.counts()
    return {part: {k: v for k, v in c[part].items() if v} for part in ("nodes", "relationships")}


def test_each_store_holds_the_graphs_counts_and_loading_twice_changes_nothing(loaded, corpus_graph):
    expected = _expected(corpus_graph)
    assert _counts(loaded) == expected
    assert expected["nodes"]["Document"] == 5
    loaded.load(corpus_graph)
    assert _counts(loaded) == expected


def _names(store: Store, label: str, text: str) -> list[str]:
    """Ids of `label` nodes whose name or one of whose aliases is exactly `text`."""
    _, rows = store.query(f"MATCH (n:{label}) RETURN n.id, n.name, n.aliases")
    out = []
    for node_id, name, aliases in rows:
        forms = {name, *(aliases or [])}
        if text in forms:
            out.append(node_id)
    return out


@pytest.mark.parametrize(
    ("label", "name"),
    [
        # named in 000 and again in its truncated copy 004, in 001 and 003
        ("ResearchInstitute", "威海市产业技术研究院"),
        ("ResearchInstitute", "市产业技术研究院"),  # 001's relative form of the same institute
        ("InnovationSystem", "1+4+N创新平台体系"),
        ("Platform", "国家海洋综合试验场"),
        ("Lab", "威海先进医用材料与高端医疗器械山东省实验室"),
        ("Park", "威海(荣成)海洋高新技术产业园"),
        ("Event", "中日科技创新合作大会"),
        ("GovAgency", "市科技局"),
    ],
)
def test_one_node_for_one_thing_across_documents(loaded, label, name):
    ids = _names(loaded, label, name)
    assert len(ids) == 1, ids


def test_two_chemical_parks_in_two_districts_stay_two(loaded):
    _, rows = loaded.query(
        "MATCH (p:Park)-[:LOCATED_IN]->(r:Region) WHERE p.name = '化工产业园' RETURN p.id, r.name"
    )
    assert len({pid for pid, _ in rows}) == 2
    assert {region for _, region in rows} == {"文登区", "南海新区"}


def test_ikg_build_over_the_corpus_prints_its_summary(tmp_path):
    db = tmp_path / "graph.lbdb"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "ikg.cli",
            "build",
            str(ROOT / "data" / "raw"),
            "--store",
            "embedded",
            "--db",
            str(db),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = proc.stdout + proc.stderr
    assert "documents" in out and "relationships" in out and "pruned" in out
    assert db.exists()
