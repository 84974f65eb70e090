"""graph/validate.py: what does not fit the schema is pruned, with a reason, and counted."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from graph.build import build_graph, load_extractions
from graph.validate import validate_extraction

FIXTURES = Path(__file__).parent / "fixtures" / "graph"


def _invalid() -> dict:
    return json.loads((FIXTURES / "invalid" / "900_invalid.json").read_text(encoding="utf-8"))


def test_prunes_each_misfit_with_its_reason():
    clean, report = validate_extraction(_invalid())
    assert clean is not None
    assert report.counts() == {
        "entity:duplicate_entity_id": 1,
        "entity:missing_required_property": 1,
        "entity:unknown_label": 1,
        "property:bad_property_type": 1,
        "relation:dangling_endpoint": 2,
        "relation:pattern_not_allowed": 1,
        "relation:self_loop": 1,
        "relation:unknown_relation_type": 1,
    }
    assert {e["type"] for e in clean["entities"]} == {
        "Region",
        "IndustryCluster",
        "IndustryChain",
        "ChainLink",
    }
    # HAS_LINK survives; only its unreadable ord is dropped.
    assert [(r["type"], r["props"]) for r in clean["relations"]] == [("HAS_LINK", {})]
    by_reason = {p.reason: p for p in report.pruned}
    assert by_reason["unknown_label"].detail == "Person"
    assert by_reason["pattern_not_allowed"].detail == "IndustryCluster → Region"


def test_a_document_without_id_is_pruned_whole():
    clean, report = validate_extraction({"doc": "", "entities": [], "relations": []})
    assert clean is None
    assert report.counts() == {"document:missing_document_id": 1}


def test_values_are_coerced_to_the_schema_types():
    ex = _invalid()
    ex["relations"] = [dict(ex["relations"][-1], props={"ord": "2"})]
    ex["entities"].append(
        {"id": "e9", "type": "Measure", "name": "措施甲", "props": {"number": "3", "x": [1]}}
    )
    clean, _ = validate_extraction(ex)
    assert clean["relations"][0]["props"] == {"ord": 2}
    measure = next(e for e in clean["entities"] if e["id"] == "e9")
    assert measure["props"] == {"number": 3, "x": [1]}  # undeclared props are kept, not dropped
    assert measure["mentions"] == []


def test_build_report_counts_pruned_per_reason_and_logs_a_summary(caplog):
    extractions = [*load_extractions(FIXTURES / "extractions"), *load_extractions(FIXTURES / "invalid")]
    with caplog.at_level(logging.INFO, logger="graph"):
        _, report = build_graph(extractions, aliases_path=None)
    assert report.pruned["document:missing_document_id"] == 1
    assert report.pruned["relation:pattern_not_allowed"] == 1
    assert "validation: pruned 1 × relation:pattern_not_allowed" in caplog.text
    assert any(line.startswith("pruned: ") for line in report.summary_lines())
