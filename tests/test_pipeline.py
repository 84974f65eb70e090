"""graph/pipeline.py: each stage on its own, the records between them, the whole-graph validation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph import pipeline
from graph.build import build_graph, load_extractions
from graph.model import Edge, Node
from graph.pipeline import BuildError, BuildOptions
from graph.stores.ladybug import LadybugStore
from graph.validate import (
    DANGLING_ENDPOINT,
    PATTERN_NOT_ALLOWED,
    SELF_LOOP_AFTER_MERGE,
    UNKNOWN_LABEL,
    UNKNOWN_RELATION_TYPE,
)

FIXTURES = Path(__file__).parent / "fixtures" / "graph" / "extractions"


def test_each_stage_can_be_called_on_its_own(tmp_path):
    extractions = pipeline.read_extractions(FIXTURES)
    assert isinstance(extractions, pipeline.Extractions) and extractions.done is None
    resolved = pipeline.resolve(extractions, aliases=None)
    assert isinstance(resolved, pipeline.ResolvedGraph)
    validated = pipeline.validate(resolved)
    assert isinstance(validated, pipeline.ValidatedGraph)
    stored = pipeline.load(validated, "embedded", tmp_path / "graph.lbdb")
    outputs = pipeline.write(validated, tmp_path / "out")

    # the stages together give what build_graph gives
    expected, _ = build_graph(load_extractions(FIXTURES), aliases_path=None)
    assert validated.graph.node_counts() == expected.node_counts()
    assert validated.graph.edge_counts() == expected.edge_counts()
    assert {k: v for k, v in stored.counts["nodes"].items() if v} == expected.node_counts()
    assert {k: v for k, v in stored.counts["relationships"].items() if v} == expected.edge_counts()
    report = json.loads(outputs["report"].read_text(encoding="utf-8"))
    assert report["store"]["kind"] == "embedded"
    assert report["store"]["location"] == str(tmp_path / "graph.lbdb")
    assert report["relationships_by_type"] == expected.edge_counts()


def test_the_whole_graph_is_checked_before_it_reaches_a_store(tmp_path):
    resolved = pipeline.resolve(pipeline.read_extractions(FIXTURES), aliases=None)
    graph = resolved.graph
    good = len(graph.edges)
    region = next(n for n in graph.nodes.values() if n.label == "Region")
    university = next(n for n in graph.nodes.values() if n.label == "University")
    graph.nodes["Spaceship:x"] = Node("Spaceship:x", "Spaceship", "x")
    graph.edges += [
        Edge(region.id, university.id, "HAS_LINK"),  # only a chain has links
        Edge(university.id, "University:nowhere", "COOPERATES_WITH"),
        Edge(university.id, university.id, "COOPERATES_WITH"),
        Edge(university.id, region.id, "ORBITS"),
        Edge("Spaceship:x", region.id, "LOCATED_IN"),  # goes with its node
    ]
    validated = pipeline.validate(resolved)
    reasons = [(p.kind, p.reason) for p in validated.report.validation.pruned]
    for expected in (
        ("entity", UNKNOWN_LABEL),
        ("relation", PATTERN_NOT_ALLOWED),
        ("relation", SELF_LOOP_AFTER_MERGE),
        ("relation", UNKNOWN_RELATION_TYPE),
    ):
        assert expected in reasons
    assert reasons.count(("relation", DANGLING_ENDPOINT)) == 2
    assert "Spaceship:x" not in validated.graph.nodes and len(validated.graph.edges) == good
    # what is left loads: the store would have refused any of the above
    stored = pipeline.load(validated, "embedded", tmp_path / "graph.lbdb")
    assert sum(stored.counts["relationships"].values()) == good


def test_build_runs_every_stage_and_times_each(tmp_path):
    options = BuildOptions(from_json=FIXTURES, aliases=None, out=tmp_path / "out", db=tmp_path / "g.lbdb")
    result = pipeline.build(options)
    assert list(result.seconds) == ["extract", "resolve", "curate", "validate", "load", "write"]
    assert all(v >= 0 for v in result.seconds.values())
    store = LadybugStore(tmp_path / "g.lbdb")
    try:
        assert store.counts() == result.stored.counts
    finally:
        store.close()
    assert set(result.outputs) == {"graph", "report", "merge_log"}


def test_build_with_nothing_readable_changes_nothing(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "empty.txt").write_text("", encoding="utf-8")
    options = BuildOptions(paths=[tmp_path / "raw"], out=tmp_path / "out", db=tmp_path / "g.lbdb")
    with pytest.raises(BuildError, match="no documents to build from: nothing changed"):
        pipeline.build(options)
    assert not (tmp_path / "g.lbdb").exists() and not (tmp_path / "out" / "graph.json").exists()
