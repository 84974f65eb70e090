"""Curation (graph/curation.py): the analyst's decisions in a YAML file, applied by every build.

- the file: round trip, one-line errors naming the file, nothing lost on a bad write, two writers;
- each action on a small hand-made graph, through the pipeline's curate and validate stages;
- the round trip on real documents and both real stores (LadybugDB and the Neo4j test server):
  decide → rebuild → on the store; extracted again with the cache cleared → still so; undo →
  rebuild → the first build's graph again. rebuild() takes every document from the cache.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from graph import pipeline
from graph.build import BuildReport
from graph.curation import (
    CURATION_FILE,
    HEADER,
    CurationError,
    Decision,
    active,
    apply_curation,
    load_decisions,
    rebuild,
    record,
    undo,
)
from graph.merging import oriented
from graph.model import DocumentInfo, Edge, Graph, Node
from graph.pipeline import BuildError, ResolvedGraph
from graph.schema import MENTIONED_IN
from graph.stores.base import Store
from graph.stores.ladybug import LadybugStore
from graph.validate import PATTERN_NOT_ALLOWED, SELF_LOOP_AFTER_MERGE
from ikg.cli import main

REPO = Path(__file__).resolve().parents[1]
DOCS = Path(__file__).parent / "fixtures" / "docs"
DOC_NAMES = sorted(p.name for p in DOCS.glob("*.txt"))

# --- the file -----------------------------------------------------------------------------------------


def test_the_repositorys_file_is_a_valid_list() -> None:
    assert isinstance(yaml.safe_load(CURATION_FILE.read_text(encoding="utf-8")), list)
    load_decisions()  # raises on anything a build would refuse


def test_record_undo_and_load_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "curation.yaml"
    assert load_decisions(path) == []  # no file: no decisions
    made = [
        record("hide", "Platform:甲平台", None, "analyst", "a counted placeholder", path),
        record("merge", "University:乙学院", "University:乙大学", "analyst", "a campus of it", path),
        record("rename", "IndustryChain:丙链", "丙产业链", "reviewer", "the plan's full name", path),
        record("retype", "ChainLink:丁中心", "Platform", "reviewer", "a platform, not a link", path),
    ]
    assert [d.id for d in made] == ["c0001", "c0002", "c0003", "c0004"]
    assert load_decisions(path) == made

    undone = undo("c0002", "lead", path)
    assert undone.undone and undone.undone_by == "lead" and undone.id == "c0002"
    loaded = load_decisions(path)
    assert loaded[1] == undone and loaded[0] == made[0]  # the undone one stays, as history
    assert active(loaded) == [made[0], made[2], made[3]]
    assert record("hide", "Park:戊园", None, "analyst", "junk", path).id == "c0005"  # ids never reused

    text = path.read_text(encoding="utf-8")
    assert text.startswith(HEADER) and "甲平台" in text  # readable Chinese, not escapes
    raw = yaml.safe_load(text)
    assert raw[0] == {
        "id": "c0001",
        "action": "hide",
        "entity": "Platform:甲平台",
        "value": None,
        "who": "analyst",
        "when": made[0].when,
        "why": "a counted placeholder",
    }
    assert raw[1]["undone_by"] == "lead" and "undone" not in raw[0]


def test_undo_refuses_an_unknown_or_already_undone_decision(tmp_path: Path) -> None:
    path = tmp_path / "curation.yaml"
    record("hide", "Platform:甲平台", None, "analyst", "junk", path)
    with pytest.raises(CurationError, match=r"no decision c0009$"):
        undo("c0009", "lead", path)
    undo("c0001", "lead", path)
    with pytest.raises(CurationError, match="c0001 was already undone"):
        undo("c0001", "lead", path)


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (("delete", "Platform:甲", None), "unknown action 'delete'"),
        (("hide", "甲平台", None), "is not an entity id"),
        (("hide", "Spaceship:甲", None), "unknown label 'Spaceship'"),
        (("hide", "Platform:甲", "x"), "hide takes no value"),
        (("merge", "Platform:甲", None), "merge needs a value"),
        (("merge", "Platform:甲", "Platform:甲"), "cannot be merged into itself"),
        (("merge", "Platform:甲", "乙"), "merge target '乙' is not an entity id"),
        (("rename", "Platform:甲", "  "), "rename needs a value"),
        (("retype", "Platform:甲", "Spaceship"), "unknown label 'Spaceship'"),
        (("retype", "Platform:甲", "Platform"), "is already a Platform"),
    ],
)
def test_record_refuses_a_bad_decision_and_changes_nothing(tmp_path: Path, args: tuple, problem: str) -> None:
    path = tmp_path / "curation.yaml"
    record("hide", "Park:戊园", None, "analyst", "junk", path)
    before = path.read_bytes()
    with pytest.raises(CurationError) as caught:
        record(*args, "analyst", "why", path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and problem in message and "\n" not in message
    assert path.read_bytes() == before


def test_record_needs_who_and_why(tmp_path: Path) -> None:
    path = tmp_path / "curation.yaml"
    with pytest.raises(CurationError, match="needs who and why"):
        record("hide", "Platform:甲", None, " ", "", path)
    assert not path.exists()


GOOD = "- id: c0001\n  action: hide\n  entity: Platform:甲\n  value: null\n  who: a\n  when: '2025-01-02T03:04:05+08:00'\n  why: junk\n"  # noqa: E501


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("- id: c0001\n  action: [unclosed\n", "not valid YAML: line 3, column 1"),
        ("decisions: []\n", "expected a list of decisions, got a dict"),
        ("- just a string\n", "entry 1: expected a mapping"),
        (GOOD.replace("hide", "delete"), "entry 1 (c0001): unknown action 'delete'"),
        (GOOD.replace("  why: junk\n", ""), "entry 1 (c0001): missing why"),
        (GOOD + "  undo: yes\n", "entry 1 (c0001): unknown field undo"),
        (GOOD.replace("'2025-01-02T03:04:05+08:00'", "yesterday"), "when: not an ISO 8601 time"),
        (GOOD + GOOD, "entry 2: id c0001 is used twice"),
        (GOOD + "  undone: '2025-01-03T00:00:00+08:00'\n", "undone and undone_by go together"),
        (GOOD.replace("value: null", "value: Spaceship").replace("hide", "retype"), "unknown label"),
        (b"\xff\xfe\x00junk", "cannot be read"),
    ],
)
def test_a_bad_file_gives_one_line_naming_it(tmp_path: Path, text: str | bytes, problem: str) -> None:
    path = tmp_path / "curation.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    with pytest.raises(CurationError) as caught:
        load_decisions(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and problem in message and "\n" not in message
    # and a decision is not appended to it: what the file holds is not lost
    before = path.read_bytes()
    with pytest.raises(CurationError):
        record("hide", "Park:戊园", None, "analyst", "junk", path)
    assert path.read_bytes() == before


def test_a_time_yaml_reads_as_a_datetime_is_kept_as_text(tmp_path: Path) -> None:
    path = tmp_path / "curation.yaml"
    path.write_text(GOOD.replace("'2025-01-02T03:04:05+08:00'", "2025-01-02T03:04:05+08:00"), "utf-8")
    assert load_decisions(path)[0].when == "2025-01-02T03:04:05+08:00"


# Records 40 decisions in a process of its own (argv: file, who): long enough for two to overlap.
WRITER = """
import sys
from graph.curation import record
for i in range(40):
    record("hide", f"Platform:{sys.argv[2]}{i}", None, sys.argv[2], "junk", sys.argv[1])
"""


def test_two_writers_take_turns_and_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "curation.yaml"
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), who], cwd=REPO, stderr=subprocess.PIPE)
        for who in "甲乙"
    ]
    for writer in writers:
        _, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err.decode()
    decisions = load_decisions(path)
    assert sorted(d.id for d in decisions) == [f"c{i:04d}" for i in range(1, 81)]
    assert {d.entity for d in decisions} == {f"Platform:{w}{i}" for w in "甲乙" for i in range(40)}
    # each writer's decisions in the order it made them
    for who in "甲乙":
        assert [d.entity for d in decisions if d.who == who] == [f"Platform:{who}{i}" for i in range(40)]
    assert not list(tmp_path.glob(".*.tmp-*"))


# --- each action on a small graph -------------------------------------------------------------------


def _ev(doc: str, start: int) -> dict[str, Any]:
    return {
        "doc_id": doc,
        "doc": f"{doc}.txt",
        "start": start,
        "end": start + 3,
        "text": "xxx",
        "sentence": "s",
    }


def small_graph() -> Graph:
    """Two platforms (one with an alias) supporting a chain, cooperating, in one region; two documents."""
    graph = Graph()
    for doc in ("d1", "d2"):
        graph.documents[doc] = DocumentInfo(doc, f"{doc}.txt")
    for node in (
        Node("Platform:甲平台", "Platform", "甲平台", ["甲台"], {"level": "市级"}, ["d1"]),
        Node("Platform:乙平台", "Platform", "乙平台", [], {"level": "省级", "since": 2020}, ["d2", "d1"]),
        Node("IndustryChain:丙产业链", "IndustryChain", "丙产业链", [], {}, ["d1"]),
        Node("Region:丁市", "Region", "丁市", [], {}, ["d1"]),
    ):
        graph.nodes[node.id] = node
    a, b, chain, region = graph.nodes
    graph.edges = [
        Edge(a, chain, "SUPPORTS", {}, [_ev("d1", 0)]),
        Edge(b, chain, "SUPPORTS", {}, [_ev("d2", 5)]),
        oriented(Edge(a, b, "COOPERATES_WITH", {}, [_ev("d1", 10)])),
        Edge(a, region, "LOCATED_IN", {}, [_ev("d1", 20)]),
        Edge(b, region, "LOCATED_IN", {}, [_ev("d1", 30)]),
        Edge(a, "d1", MENTIONED_IN, {"n_mentions": 1}, [_ev("d1", 0)]),
        Edge(b, "d1", MENTIONED_IN, {"n_mentions": 1}, [_ev("d1", 5)]),
        Edge(b, "d2", MENTIONED_IN, {"n_mentions": 1}, [_ev("d2", 5)]),
        Edge(chain, "d1", MENTIONED_IN, {"n_mentions": 1}, [_ev("d1", 0)]),
        Edge(region, "d1", MENTIONED_IN, {"n_mentions": 1}, [_ev("d1", 20)]),
    ]
    return graph


def decide(*specs: tuple[str, str, str | None]) -> list[Decision]:
    when = "2025-01-02T03:04:05+08:00"
    return [
        Decision(f"c{i:04d}", action, entity, value, "analyst", when, "test")  # type: ignore[arg-type]
        for i, (action, entity, value) in enumerate(specs, 1)
    ]


def curated(graph: Graph, decisions: list[Decision]) -> tuple[Graph, BuildReport]:
    """The pipeline's curate and validate stages on a graph, as a build runs them."""
    resolved = pipeline.curate(ResolvedGraph(graph, BuildReport()), decisions)
    validated = pipeline.validate(resolved)
    return validated.graph, validated.report


def edges(graph: Graph) -> dict[tuple[str, str, str], Edge]:
    out = {(e.src, e.type, e.dst): e for e in graph.edges}
    assert len(out) == len(graph.edges)  # one edge per identity
    return out


def spans(edge: Edge) -> list[tuple[str, int]]:
    """The edge's evidence as sorted (document, start) pairs; a repeated one would show twice."""
    return sorted((e["doc_id"], e["start"]) for e in edge.evidence)


def test_merge_moves_names_documents_evidence_and_relationships() -> None:
    graph, report = curated(small_graph(), decide(("merge", "Platform:甲平台", "Platform:乙平台")))
    assert "Platform:甲平台" not in graph.nodes
    target = graph.nodes["Platform:乙平台"]
    assert target.name == "乙平台" and target.aliases == ["甲台", "甲平台"]
    assert target.documents == ["d2", "d1"]
    assert target.props == {"level": "省级", "since": 2020}  # the target's own properties win
    got = edges(graph)
    # re-pointed, and the two SUPPORTS / LOCATED_IN collapsed into one each with both evidences
    assert spans(got[("Platform:乙平台", "SUPPORTS", "IndustryChain:丙产业链")]) == [("d1", 0), ("d2", 5)]
    assert spans(got[("Platform:乙平台", "LOCATED_IN", "Region:丁市")]) == [("d1", 20), ("d1", 30)]
    mention = got[("Platform:乙平台", MENTIONED_IN, "d1")]
    assert spans(mention) == [("d1", 0), ("d1", 5)] and mention.props["n_mentions"] == 2
    # their cooperation became a loop: pruned with its reason
    assert not [k for k in got if k[1] == "COOPERATES_WITH"]
    loops = [p for p in report.validation.pruned if p.reason == SELF_LOOP_AFTER_MERGE]
    assert [p.item for p in loops] == ["Platform:乙平台-[COOPERATES_WITH]->Platform:乙平台"]
    assert not [k for k in got if "Platform:甲平台" in k]
    # the merge log
    [merge] = [m.to_json() for m in report.merges]
    assert merge["reason"] == "curation" and merge["decision"] == "c0001" and merge["merged"]
    assert (merge["a"], merge["b"], merge["node_id"]) == ("甲平台", "乙平台", "Platform:乙平台")
    assert report.to_json()["merges_by_reason"] == {"curation": 1}
    assert report.to_json()["curation"]["applied"] == [
        {"decision": "c0001", "action": "merge", "entity": "Platform:甲平台", "value": "Platform:乙平台",
         "node": "Platform:乙平台"}
    ]  # fmt: skip


def test_rename_keeps_the_id_and_the_old_name_as_an_alias() -> None:
    graph, report = curated(small_graph(), decide(("rename", "Platform:甲平台", "甲创新平台")))
    node = graph.nodes["Platform:甲平台"]
    assert node.name == "甲创新平台" and node.aliases == ["甲台", "甲平台"]
    assert len(graph.edges) == len(small_graph().edges)
    # a later decision still finds it by the id it had
    graph, report = curated(
        small_graph(), decide(("rename", "Platform:甲平台", "甲创新平台"), ("hide", "Platform:甲平台", None))
    )
    assert "Platform:甲平台" not in graph.nodes and not report.curation.skipped


def test_retype_changes_label_and_id_and_validation_prunes_what_the_new_label_cannot_have() -> None:
    graph, report = curated(small_graph(), decide(("retype", "Platform:甲平台", "ChainLink")))
    assert "Platform:甲平台" not in graph.nodes
    node = graph.nodes["ChainLink:甲平台"]
    assert (node.label, node.name, node.documents) == ("ChainLink", "甲平台", ["d1"])
    got = edges(graph)
    assert ("ChainLink:甲平台", MENTIONED_IN, "d1") in got
    assert not [k for k in got if "ChainLink:甲平台" in k and k[1] != MENTIONED_IN]
    pruned = {p.item for p in report.validation.pruned if p.reason == PATTERN_NOT_ALLOWED}
    assert pruned == {
        "ChainLink:甲平台-[SUPPORTS]->IndustryChain:丙产业链",
        "ChainLink:甲平台-[LOCATED_IN]->Region:丁市",
        # undirected: stored in id order
        "ChainLink:甲平台-[COOPERATES_WITH]->Platform:乙平台",
    }
    assert report.curation.applied[0].node == "ChainLink:甲平台"


def test_hide_removes_the_entity_and_its_relationships_and_reports_it() -> None:
    graph, report = curated(small_graph(), decide(("hide", "Platform:甲平台", None)))
    assert "Platform:甲平台" not in graph.nodes
    assert not [e for e in graph.edges if "Platform:甲平台" in (e.src, e.dst)]
    assert len(graph.edges) == 10 - 4  # its three relationships and its mention
    assert report.to_json()["curation"]["hidden"] == [
        {
            "id": "Platform:甲平台",
            "label": "Platform",
            "name": "甲平台",
            "decision": "c0001",
            "relationships": 3,
        }
    ]
    assert report.entities_by_type == {"IndustryChain": 1, "Platform": 1, "Region": 1}


def test_undone_decisions_are_not_applied() -> None:
    [decision] = decide(("hide", "Platform:甲平台", None))
    undone = Decision(**{**decision.to_json(), "undone": "2025-01-03T00:00:00+08:00", "undone_by": "lead"})
    graph, report = curated(small_graph(), [undone])
    assert "Platform:甲平台" in graph.nodes and len(graph.edges) == 10
    assert report.curation.applied == report.curation.skipped == report.curation.hidden == []


def test_what_cannot_be_applied_is_skipped_with_its_reason() -> None:
    graph = small_graph()
    graph.nodes["ChainLink:乙平台"] = Node("ChainLink:乙平台", "ChainLink", "乙平台", [], {}, ["d2"])
    report = apply_curation(
        graph,
        decide(
            ("hide", "Park:戊园", None),
            ("merge", "Platform:甲平台", "Platform:己平台"),
            ("retype", "Platform:乙平台", "ChainLink"),
            ("merge", "Platform:甲平台", "Platform:乙平台"),
            ("rename", "Platform:甲平台", "甲新名"),
            ("merge", "Region:丁市", "Platform:甲平台"),  # the target went into 乙平台: followed there
            ("hide", "Platform:乙平台", None),
            ("merge", "IndustryChain:丙产业链", "Platform:乙平台"),
        ),
    )
    assert {o.decision: o.reason for o in report.skipped} == {
        "c0001": "entity not in graph",
        "c0002": "merge target Platform:己平台: entity not in graph",
        "c0003": "ChainLink:乙平台 is already in the graph: merge into it instead",
        "c0005": "Platform:甲平台 was merged into Platform:乙平台 by c0004",
        "c0008": "merge target Platform:乙平台: Platform:乙平台 was hidden by c0007",
    }
    assert [(o.decision, o.node) for o in report.applied] == [
        ("c0004", "Platform:乙平台"),
        ("c0006", "Platform:乙平台"),
        ("c0007", ""),
    ]
    assert set(graph.nodes) == {"IndustryChain:丙产业链", "ChainLink:乙平台"}
    assert report.hidden[0].id == "Platform:乙平台"


def test_an_entity_resolution_now_names_differently_is_found_by_the_name_in_its_id() -> None:
    """A new document can change an entity's id (its display name, a region qualifier): the decision
    still finds it when exactly one entity of its label has that name or alias."""
    graph = small_graph()
    node = graph.nodes.pop("Platform:甲平台")
    node.id, node.name, node.aliases = "Platform:甲创新平台", "甲创新平台", ["甲台", "甲平台"]
    graph.nodes[node.id] = node
    for e in graph.edges:
        e.src = node.id if e.src == "Platform:甲平台" else e.src
    report = apply_curation(graph, decide(("hide", "Platform:甲平台", None)))
    assert report.applied[0].found_as == "Platform:甲创新平台"
    assert "Platform:甲创新平台" not in graph.nodes

    # two candidates: none chosen, the reason says which
    graph = small_graph()
    for region in ("东区", "西区"):
        graph.nodes[f"Park:戊园@{region}"] = Node(
            f"Park:戊园@{region}", "Park", "戊园", [], {"region": region}
        )
    report = apply_curation(graph, decide(("hide", "Park:戊园", None), ("hide", "Park:戊园@西区", None)))
    assert report.skipped[0].reason.startswith("entity not in graph, and 2 Park entities are named 戊园")
    assert [o.found_as for o in report.applied] == [""] and "Park:戊园@东区" in graph.nodes


def test_after_a_retype_later_decisions_still_find_the_entity() -> None:
    graph, _ = curated(
        small_graph(),
        decide(
            ("retype", "Platform:甲平台", "Lab"),
            ("rename", "Lab:甲平台", "甲实验室"),
            ("rename", "Platform:甲平台", "甲重点实验室"),  # decided on a page that showed the old id
        ),
    )
    node = graph.nodes["Lab:甲平台"]
    assert node.name == "甲重点实验室" and {"甲平台", "甲实验室"} <= set(node.aliases)
    assert ("Lab:甲平台", "SUPPORTS", "IndustryChain:丙产业链") in edges(graph)


def test_an_id_taken_again_does_not_take_the_relationships_of_the_one_that_had_it() -> None:
    graph = small_graph()
    graph.nodes["ChainLink:甲平台"] = Node("ChainLink:甲平台", "ChainLink", "甲平台", [], {}, ["d2"])
    graph.edges.append(Edge("ChainLink:甲平台", "d2", MENTIONED_IN, {"n_mentions": 1}, [_ev("d2", 40)]))
    graph, report = curated(
        graph, decide(("hide", "Platform:甲平台", None), ("retype", "ChainLink:甲平台", "Platform"))
    )
    assert graph.nodes["Platform:甲平台"].documents == ["d2"]
    touching = [(e.type, e.dst) for e in graph.edges if "Platform:甲平台" in (e.src, e.dst)]
    assert touching == [(MENTIONED_IN, "d2")]
    assert report.curation.hidden[0].relationships == 3


# --- the round trip on real documents and both stores --------------------------------------------------


class Work:
    """Documents, a curation file, a cache, outputs and a store: one analyst's project."""

    def __init__(self, root: Path, kind: str, connection: Any = None) -> None:
        self.root, self.kind, self.connection = root, kind, connection
        self.docs = root / "docs"
        shutil.copytree(DOCS, self.docs)
        self.file, self.cache, self.out, self.db = (
            root / "curation.yaml",
            root / "cache",
            root / "out",
            root / "g.lbdb",
        )

    def build(self) -> dict[str, Any]:
        argv = [
            "build",
            str(self.docs),
            "--store",
            self.kind,
            "--out",
            str(self.out),
            "--cache",
            str(self.cache),
        ]
        assert main([*argv, "--db", str(self.db), "--curation", str(self.file)]) == 0
        return self.report()

    def rebuild(self) -> dict[str, Any]:
        result = rebuild(self.out, self.kind, self.db if self.kind == "embedded" else None)
        assert result.stored.kind == self.kind
        return self.report()

    def curate(self, *argv: str) -> str:
        assert main(["curate", *argv, "--file", str(self.file), "--who", "analyst"]) == 0
        return load_decisions(self.file)[-1].id

    def report(self) -> dict[str, Any]:
        return json.loads((self.out / "build_report.json").read_text(encoding="utf-8"))

    def graph(self) -> dict[str, Any]:
        return json.loads((self.out / "graph.json").read_text(encoding="utf-8"))

    def merge_log(self) -> list[dict[str, Any]]:
        lines = (self.out / "merge_log.jsonl").read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines]

    def cache_files(self) -> dict[Path, tuple[int, int]]:
        return {p: (p.stat().st_mtime_ns, p.stat().st_size) for p in self.cache.rglob("*.json")}

    def store(self) -> Store:
        return LadybugStore(self.db) if self.kind == "embedded" else self.connection.store()

    def read(self, cypher: str, **params: Any) -> list[list[Any]]:
        store = self.store()
        try:
            return [list(row) for row in store.read(cypher, params)[1]]
        finally:
            store.close()

    def stored(self) -> tuple[set[tuple[str, str]], int]:
        """What the store holds: (id, name) of every entity, and the number of relationships."""
        nodes = {(r[0], r[1]) for r in self.read("MATCH (n) WHERE n.name IS NOT NULL RETURN n.id, n.name")}
        [[rels]] = self.read("MATCH (a)-[r]->(b) RETURN count(r)")
        return nodes, rels

    def node(self, entity_id: str, label: str = "") -> list[list[Any]]:
        match = f"MATCH (n:{label})" if label else "MATCH (n)"
        return self.read(f"{match} WHERE n.id = $id RETURN n.id, n.name, n.aliases", id=entity_id)

    def relationships(self, entity_id: str) -> int:
        [[n]] = self.read("MATCH (n)-[r]-(m) WHERE n.id = $id RETURN count(r)", id=entity_id)
        return n


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def work(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Work]:
    if request.param == "embedded":
        yield Work(tmp_path, "embedded")
        return
    connection = request.getfixturevalue("neo4j_connection")
    for key, value in connection.env().items():  # where `ikg build --store neo4j` loads
        monkeypatch.setenv(key, value)
    store = connection.store()
    store.clear()
    try:
        yield Work(tmp_path, "neo4j", connection)
    finally:
        store.clear()
        store.close()


def _pick(graph: dict[str, Any]) -> dict[str, str]:
    """Entities of the first build to decide on, chosen by shape, not by name: the two platforms with
    the most relationships (merge), the best-connected other organisation (hide), a chain (rename), a
    chain link (retype)."""
    degree: dict[str, int] = {}
    for e in graph["edges"]:
        if e["type"] != MENTIONED_IN:
            for end in (e["source"], e["target"]):
                degree[end] = degree.get(end, 0) + 1
    by_label: dict[str, list[str]] = {}
    for n in sorted(graph["nodes"], key=lambda n: (-degree.get(n["id"], 0), n["id"])):
        by_label.setdefault(n["label"], []).append(n["id"])
    platforms = by_label["Platform"]
    hide = next(i for label in ("University", "ResearchInstitute", "Park") for i in by_label.get(label, []))
    assert len(platforms) >= 2 and degree[platforms[0]] and degree[platforms[1]] and degree[hide]
    return {
        "target": platforms[0],
        "merged": platforms[1],
        "hide": hide,
        "rename": by_label["IndustryChain"][0],
        "retype": by_label["ChainLink"][-1],
    }


@pytest.mark.slow
def test_decisions_survive_rebuilds_and_re_extraction_and_undo_restores_the_graph(work: Work) -> None:
    first = work.build()
    assert first["extraction"]["extracted"] == DOC_NAMES
    assert first["curation"] == {
        "file": str(work.file),
        "decisions": 0,
        "applied": [],
        "skipped": [],
        "hidden": [],
    }
    graph, original = work.graph(), work.stored()
    names = {n["id"]: n.get("name") for n in graph["nodes"]}
    pick = _pick(graph)
    hidden_rels = work.relationships(pick["hide"])
    assert hidden_rels > 1 and work.node(pick["hide"])

    made = [
        work.curate("hide", pick["hide"], "--why", "junk"),
        work.curate("merge", pick["merged"], pick["target"], "--why", "one platform under two names"),
        work.curate("rename", pick["rename"], "改过的产业链", "--why", "the plan's full name"),
        work.curate("retype", pick["retype"], "Platform", "--why", "a platform, not a link"),
    ]
    cache = work.cache_files()
    retyped = "Platform:" + pick["retype"].partition(":")[2]

    def check_decided(report: dict[str, Any]) -> None:
        assert [o["decision"] for o in report["curation"]["applied"]] == made
        assert report["curation"]["skipped"] == []
        assert [h["id"] for h in report["curation"]["hidden"]] == [pick["hide"]]
        # on the store
        assert work.node(pick["hide"]) == [] and work.relationships(pick["hide"]) == 0
        assert work.node(pick["merged"]) == []
        [[_, name, aliases]] = work.node(pick["target"])
        assert name == names[pick["target"]] and names[pick["merged"]] in aliases
        [[_, name, aliases]] = work.node(pick["rename"])
        assert name == "改过的产业链" and names[pick["rename"]] in aliases
        assert work.node(pick["retype"]) == [] and work.node(retyped, "Platform")
        # in the merge log, with the decision
        [merge] = [m for m in work.merge_log() if m["reason"] == "curation"]
        assert (merge["decision"], merge["node_id"], merge["merged"]) == (made[1], pick["target"], True)

    after = work.rebuild()
    check_decided(after)
    # nothing extracted again: every document from the cache, which is as it was
    assert after["extraction"] == {"extracted": [], "cached": DOC_NAMES, "failed": []}
    assert work.cache_files() == cache

    # extracted again from scratch: the same entities come back, and the decisions apply to them again
    shutil.rmtree(work.cache)
    assert work.build()["extraction"]["extracted"] == DOC_NAMES
    check_decided(work.report())

    for decision in made:
        assert main(["curate", "undo", decision, "--file", str(work.file), "--who", "lead"]) == 0
    back = work.rebuild()
    assert back["curation"]["applied"] == [] and back["extraction"]["extracted"] == []
    assert work.stored() == original
    assert work.relationships(pick["hide"]) == hidden_rels
    assert work.graph() == graph
    assert not [m for m in work.merge_log() if m["reason"] == "curation"]


# --- the command line -----------------------------------------------------------------------------------


def test_each_command_prints_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = str(tmp_path / "curation.yaml")
    commands = [
        ["hide", "Platform:甲平台", "--why", "counted placeholder"],
        ["merge", "Platform:乙平台", "Platform:丙平台", "--why", "same"],
        ["rename", "Platform:丙平台", "丙创新平台", "--why", "full name"],
        ["retype", "ChainLink:丁中心", "Platform", "--why", "a platform"],
    ]
    for argv in commands:
        assert main(["curate", *argv, "--who", "analyst", "--file", file]) == 0
        out = capsys.readouterr().out
        assert out.count("\n") == 1 and out.startswith("recorded c000") and argv[1] in out
    assert main(["curate", "undo", "c0002", "--who", "lead", "--file", file]) == 0
    assert capsys.readouterr().out.startswith("undone c0002 merge Platform:乙平台 → Platform:丙平台")
    assert main(["curate", "list", "--file", file]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4 and "[undone" in lines[1] and "(analyst, " in lines[0]
    assert main(["curate", "list", "--active", "--file", file]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 3
    assert [d.who for d in load_decisions(file)] == ["analyst"] * 4


def test_a_bad_command_or_file_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    file = tmp_path / "curation.yaml"
    assert main(["curate", "hide", "nolabel", "--why", "x", "--file", str(file)]) == 1
    assert main(["curate", "undo", "c0001", "--file", str(file)]) == 1
    file.write_text("- [broken\n", encoding="utf-8")
    assert main(["curate", "list", "--file", str(file)]) == 1
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 3 and all(m.startswith(f"{file}: ") and "\n" not in m for m in errors)
    assert "is not an entity id" in errors[0] and "no decision c0001" in errors[1]
    assert "not valid YAML" in errors[2]
    assert capsys.readouterr().out == ""


def test_build_with_a_bad_curation_file_changes_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    extractions = Path(__file__).parent / "fixtures" / "graph" / "extractions"
    out, db, file = tmp_path / "out", tmp_path / "g.lbdb", tmp_path / "curation.yaml"
    argv = ["build", "--from-json", str(extractions), "--out", str(out), "--db", str(db)]
    assert main([*argv, "--curation", str(file)]) == 0  # no file yet: no decisions
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    file.write_text("- id: c0001\n  action: delete\n", encoding="utf-8")
    assert main([*argv, "--curation", str(file)]) == 1
    [error] = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert error.startswith(f"{file}: entry 1 (c0001): missing ") and error.endswith("nothing changed")
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def test_rebuild_without_a_recorded_build_says_so(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match=r"build_report.json: cannot be read .*run `ikg build` first"):
        rebuild(tmp_path)
    (tmp_path / "build_report.json").write_text('{"documents": []}', encoding="utf-8")
    with pytest.raises(BuildError, match="no record of the last build's inputs"):
        rebuild(tmp_path)


def test_a_from_json_build_is_rebuilt_from_the_same_folder(tmp_path: Path) -> None:
    extractions = Path(__file__).parent / "fixtures" / "graph" / "extractions"
    out, db, file = tmp_path / "out", tmp_path / "g.lbdb", tmp_path / "curation.yaml"
    argv = [
        "build",
        "--from-json",
        str(extractions),
        "--out",
        str(out),
        "--db",
        str(db),
        "--curation",
        str(file),
    ]
    assert main(argv) == 0
    graph = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    target = next(n["id"] for n in graph["nodes"] if n["label"] == "Platform")
    record("hide", target, None, "analyst", "junk", file)
    result = rebuild(out)  # the embedded file of the last build
    assert result.stored.location == str(db)
    assert target not in {
        n["id"] for n in json.loads((out / "graph.json").read_text(encoding="utf-8"))["nodes"]
    }
    store = LadybugStore(db)
    try:
        assert store.read("MATCH (n) WHERE n.id = $id RETURN n.id", {"id": target})[1] == []
    finally:
        store.close()
