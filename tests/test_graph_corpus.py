"""The real corpus (data/raw) through the whole graph stage and into both stores, checked by Cypher.

The graph is built once per module (extraction + resolution) and loaded into the embedded store (a
temporary file) and into Neo4j. Neo4j goes through the fixtures of tests/neo4j_support.py: skipped
without a server, failed under CI=true.

The named cases come from reading the documents: 000 is Weihai's 14th five-year S&T plan, 004 a copy
of it with every body line cut at 50 characters, 001 and 003 a later implementation opinion and a
press conference that name the same institute, system, test field and lab again, partly in
relative form (市产业技术研究院, 市科技局). 000 also names two different 化工产业园, one under 文登区
and one under 南海新区.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from graph.build import build_graph
from graph.model import Graph
from graph.stores.base import Store
from graph.stores.ladybug import LadybugStore
from ingest.extract import extract_paths
from tests.extract_helpers import RAW_DIR, REPO_ROOT

pytestmark = pytest.mark.slow


class Case(NamedTuple):
    label: str
    forms: tuple[str, ...]  # names or aliases that must all lead to one and the same node
    docs: frozenset[str]  # file-name prefixes of documents that node must be MENTIONED_IN


CASES = {
    # 000 and 004 write it in full with its second name in brackets; 001 writes 市产业技术研究院 and
    # (郭永怀高等技术研究院) without the city.
    "industry technology institute": Case(
        "ResearchInstitute",
        ("威海市产业技术研究院", "市产业技术研究院", "威海郭永怀高等技术研究院", "郭永怀高等技术研究院"),
        frozenset({"000", "001", "004"}),
    ),
    "the 1+4+N system": Case(
        "InnovationSystem", ("1+4+N创新平台体系", "1+4+N"), frozenset({"000", "001", "003", "004"})
    ),
    "national ocean test field": Case("Platform", ("国家海洋综合试验场",), frozenset({"000", "003", "004"})),
    # 003 drops the leading 威海.
    "provincial medical-materials lab": Case(
        "Lab",
        ("威海先进医用材料与高端医疗器械山东省实验室", "先进医用材料与高端医疗器械山东省实验室"),
        frozenset({"000", "001", "003"}),
    ),
    "international ocean science city": Case("Park", ("国际海洋科技城",), frozenset({"000", "004"})),
    "blue carbon valley": Case("Park", ("南海新区蓝色碳谷", "蓝色碳谷"), frozenset({"000", "004"})),
    # 001 and 003 both write the relative form 市科技局.
    "city science and technology bureau": Case(
        "GovAgency", ("威海市科技局", "市科技局"), frozenset({"001", "003"})
    ),
}


@pytest.fixture(scope="module")
def corpus() -> Graph:
    extractions, errors = extract_paths([RAW_DIR], None, progress=False)
    assert errors == []
    graph, _ = build_graph(extractions)
    assert len(graph.documents) == 5 and graph.edges
    return graph


@pytest.fixture(scope="module")
def embedded(corpus: Graph, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LadybugStore]:
    store = LadybugStore(tmp_path_factory.mktemp("corpus") / "graph.lbdb")
    store.load(corpus)
    try:
        yield store
    finally:
        store.close()


@pytest.fixture(scope="module")
def neo4j(corpus: Graph, neo4j_connection) -> Iterator[Store]:

    conn = neo4j_connection
    store = conn.store()
    try:
        store.clear()
        store.load(corpus)
        yield store
    finally:
        store.clear()
        store.close()


@pytest.fixture(scope="module", params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest) -> Store:
    return request.getfixturevalue(request.param)


def _nonzero(counts: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    return {part: {k: v for k, v in c.items() if v} for part, c in counts.items()}


def _expected(graph: Graph) -> dict[str, dict[str, int]]:
    return {"nodes": graph.node_counts(), "relationships": graph.edge_counts()}


def _rows(store: Store, cypher: str, **params: Any) -> list[list[Any]]:
    return store.read(cypher, params)[1]


def _ids(store: Store, form: str) -> set[str]:
    """Ids of the nodes, of any label, whose name or one of whose aliases is exactly `form`."""
    rows = _rows(
        store, "MATCH (n) WHERE n.name = $form OR $form IN n.aliases RETURN DISTINCT n.id", form=form
    )
    return {r[0] for r in rows}


# --- counts ----------------------------------------------------------------------------------------


def test_the_store_holds_the_graphs_counts_per_label_and_type(store: Store, corpus: Graph) -> None:
    assert _nonzero(store.counts()) == _expected(corpus)


@pytest.mark.neo4j
def test_embedded_and_neo4j_hold_identical_counts(embedded: LadybugStore, neo4j: Store) -> None:
    assert embedded.counts() == neo4j.counts()


def test_loading_the_corpus_again_changes_no_count(store: Store, corpus: Graph) -> None:
    before = store.counts()
    store.load(corpus)
    assert store.counts() == before
    assert _nonzero(before) == _expected(corpus)


# --- one node per thing, across documents -------------------------------------------------------------


@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_one_node_for_the_same_thing_across_documents(store: Store, case: Case) -> None:
    found = {form: _ids(store, form) for form in case.forms}
    ids = set().union(*found.values())
    assert len(ids) == 1, f"expected one node, found {found}"
    assert all(found.values()), f"a form leads to no node: {found}"
    node_id = next(iter(ids))
    rows = _rows(
        store,
        f"MATCH (n:{case.label} {{id: $id}})-[:MENTIONED_IN]->(d:Document) RETURN d.name",
        id=node_id,
    )
    docs = {r[0][:3] for r in rows}
    assert case.docs <= docs, f"{node_id} is mentioned in {sorted(docs)}"


def test_the_two_chemical_parks_stay_two_nodes_in_their_districts(store: Store) -> None:
    assert len(_ids(store, "化工产业园")) == 2
    rows = _rows(
        store,
        "MATCH (p:Park)-[:LOCATED_IN]->(r:Region) WHERE p.name = $name RETURN p.id, p.region, r.name "
        "ORDER BY p.id",
        name="化工产业园",
    )
    assert len({r[0] for r in rows}) == 2
    assert sorted((region, located) for _, region, located in rows) == [
        ("南海新区", "南海新区"),
        ("文登区", "文登区"),
    ]
    docs = _rows(
        store,
        "MATCH (p:Park)-[:MENTIONED_IN]->(d:Document) WHERE p.name = $name RETURN DISTINCT d.name",
        name="化工产业园",
    )
    assert [r[0][:3] for r in docs] == ["000"]


# --- the command -------------------------------------------------------------------------------------


def _ikg() -> list[str]:
    script = Path(sys.executable).with_name("ikg")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "ikg.cli"]


def test_ikg_build_into_the_embedded_store_prints_the_summary(tmp_path: Path, corpus: Graph) -> None:
    db, out = tmp_path / "graph.lbdb", tmp_path / "build"
    proc = subprocess.run(
        [*_ikg(), "build", str(RAW_DIR), "--store", "embedded", "--db", str(db), "--out", str(out)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = proc.stdout.splitlines()
    for expected in (
        "documents: 5",
        f"entities: {len(corpus.nodes)}",
        f"relationships: {len(corpus.edges)}",
        f"store: embedded ({db})",
    ):
        assert expected in lines, proc.stdout
    for part in ("pruned: ", "merged: ", "kept apart: "):
        assert any(line.startswith(part) for line in lines), proc.stdout
    assert db.is_file()
    report = json.loads((out / "build_report.json").read_text(encoding="utf-8"))
    assert _nonzero({k: report["store"][k] for k in ("nodes", "relationships")}) == _expected(corpus)
