"""graph/resolve.py and graph/build.py: cross-document resolution, the alias file, provenance."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from graph.aliases import AliasFileError, load_aliases
from graph.build import build_graph, load_extractions, write_outputs

FIXTURES = Path(__file__).parent / "fixtures" / "graph"
PLAN, NOTICE, MEASURES = (
    "100_qingchuan_plan.txt",
    "101_qingchuan_plan_notice.txt",
    "102_qingchuan_measures.txt",
)

RULES = {
    "home_cities": [{"name": "青川市", "short": ["青川"], "why": "the fixture corpus is about 青川市"}],
    "merge": [
        {"label": "Park", "names": ["青川光谷产业园", "光谷科创园"], "why": "renamed", "source": "test"}
    ],
    "split": [
        {"label": "Enterprise", "name": "蓝湾", "not": ["蓝湾集团"], "why": "蓝湾 abbreviates the other firm"}
    ],
}


def _extractions(*docs: str) -> list[dict]:
    all_docs = load_extractions(FIXTURES / "extractions")
    return [ex for ex in all_docs if not docs or ex["doc"] in docs]


def _aliases(tmp_path: Path, rules: dict) -> Path:
    path = tmp_path / "aliases.yaml"
    path.write_text(yaml.safe_dump(rules, allow_unicode=True), encoding="utf-8")
    return path


def _ids(graph, label: str) -> set[str]:
    return {n.id for n in graph.nodes.values() if n.label == label}


def test_truncated_copy_adds_no_duplicate_nodes():
    plan_only, _ = build_graph(_extractions(PLAN), aliases_path=None)
    both, report = build_graph(_extractions(PLAN, NOTICE), aliases_path=None)
    assert set(both.nodes) == set(plan_only.nodes)
    assert len(both.documents) == 2
    # Relationships are not doubled either: one edge, evidence from both documents.
    assert both.edge_counts()["MEMBER_OF"] == plan_only.edge_counts()["MEMBER_OF"] == 2
    member = next(e for e in both.edges if e.type == "MEMBER_OF" and e.props["role"] == "1")
    assert sorted(ev["doc"] for ev in member.evidence) == [PLAN, NOTICE]
    assert len(member.docs) == 2
    assert {m.reason for m in report.merges if m.merged} == {"same_name"}


def test_bracketed_alternative_name_merges_across_documents():
    graph, report = build_graph(_extractions(PLAN, MEASURES), aliases_path=None)
    institute = graph.nodes["ResearchInstitute:青川市产业技术研究院"]
    assert "青川高等技术研究院" in institute.aliases
    assert "ResearchInstitute:青川高等技术研究院" not in graph.nodes
    assert len(institute.documents) == 2
    merge = next(m for m in report.merges if m.reason == "shared_alias" and m.label == "ResearchInstitute")
    assert (merge.key, merge.node_id) == ("青川高等技术研究院", institute.id)
    # The LEADS stated in the measures document now starts at the merged node.
    assert any(e.type == "LEADS" and e.src == institute.id for e in graph.edges)


def test_generic_park_names_in_different_regions_stay_apart():
    graph, report = build_graph(_extractions(), aliases_path=None)
    parks = {i for i in _ids(graph, "Park") if i.startswith("Park:化工产业园")}
    assert parks == {"Park:化工产业园@东湖区", "Park:化工产业园@西岭区", "Park:化工产业园@白石市"}
    # ... while the same park in the same district, named in three documents, is one node.
    donghu = graph.nodes["Park:化工产业园@东湖区"]
    assert donghu.props["region"] == "东湖区" and len(donghu.documents) == 3
    located = {(e.src, e.dst) for e in graph.edges if e.type == "LOCATED_IN" and e.src in parks}
    assert located == {
        ("Park:化工产业园@东湖区", "Region:东湖区"),
        ("Park:化工产业园@西岭区", "Region:西岭区"),
        ("Park:化工产业园@白石市", "Region:白石市"),
    }
    kept = [m for m in report.merges if m.reason == "kept_apart_by_region"]
    assert kept and not kept[0].merged


def test_relative_names_belong_to_their_documents_city():
    graph, _ = build_graph(_extractions(), aliases_path=None)
    agencies = _ids(graph, "GovAgency")
    assert {"GovAgency:青川市科技局", "GovAgency:白石市科技局"} <= agencies
    assert graph.nodes["GovAgency:青川市科技局"].name == "青川市科技局"
    assert "市科技局" in graph.nodes["GovAgency:青川市科技局"].aliases
    institutes = _ids(graph, "ResearchInstitute")
    assert institutes == {"ResearchInstitute:青川市产业技术研究院", "ResearchInstitute:白石市产业技术研究院"}


def test_a_place_qualified_name_is_a_branch_not_the_same_node():
    graph, report = build_graph(_extractions(), aliases_path=None)
    assert {"University:青川大学", "University:青川大学(南港校区)"} <= _ids(graph, "University")
    assert any(m.reason == "refused_place_qualifier" for m in report.merges)


def test_home_city_prefix_forms_merge_only_with_the_alias_file(tmp_path):
    without, _ = build_graph(_extractions(), aliases_path=None)
    assert "GovAgency:青川科技局" in without.nodes
    with_rules, report = build_graph(_extractions(), aliases_path=_aliases(tmp_path, RULES))
    assert "GovAgency:青川科技局" not in with_rules.nodes
    assert "青川科技局" in with_rules.nodes["GovAgency:青川市科技局"].aliases
    assert any(m.reason == "city_prefix" and m.node_id == "GovAgency:青川市科技局" for m in report.merges)


def test_alias_file_merge_joins_two_names(tmp_path):
    before, _ = build_graph(_extractions(), aliases_path=None)
    assert {"Park:青川光谷产业园", "Park:光谷科创园"} <= _ids(before, "Park")
    after, report = build_graph(_extractions(), aliases_path=_aliases(tmp_path, RULES))
    assert "Park:光谷科创园" not in after.nodes
    park = after.nodes["Park:青川光谷产业园"]
    assert "光谷科创园" in park.aliases and len(park.documents) == 3
    rule = next(m for m in report.merges if m.reason == "alias_file")
    assert rule.merged and rule.detail == "renamed"
    # −1 the park, −1 青川科技局 (home-city prefix), +1 蓝湾 (the split rule in the same file)
    assert len(after.nodes) == len(before.nodes) - 1


def test_two_things_sharing_only_an_alias_stay_apart():
    # 蓝湾集团 and 蓝湾新材料有限公司 are both "蓝湾" for short, in different documents.
    graph, report = build_graph(_extractions(PLAN, MEASURES), aliases_path=None)
    assert _ids(graph, "Enterprise") == {"Enterprise:蓝湾集团", "Enterprise:蓝湾新材料有限公司"}
    kept = next(m for m in report.merges if m.reason == "kept_apart_alias_only")
    assert (kept.key, kept.merged) == ("蓝湾", False)


def test_alias_file_split_keeps_two_names_apart(tmp_path):
    # A third document names a firm just 蓝湾: that name matches both aliases and joins all three.
    before, _ = build_graph(_extractions(), aliases_path=None)
    assert _ids(before, "Enterprise") == {"Enterprise:蓝湾新材料有限公司"}
    after, report = build_graph(_extractions(), aliases_path=_aliases(tmp_path, RULES))
    assert _ids(after, "Enterprise") == {"Enterprise:蓝湾集团", "Enterprise:蓝湾新材料有限公司"}
    assert "蓝湾" in after.nodes["Enterprise:蓝湾新材料有限公司"].aliases
    refused = next(m for m in report.merges if m.reason == "refused_split_rule")
    assert not refused.merged and "abbreviates the other firm" in refused.detail


def test_alias_file_entries_need_a_reason(tmp_path):
    bad = {"merge": [{"label": "Park", "names": ["甲", "乙"]}]}
    with pytest.raises(AliasFileError, match="missing why"):
        load_aliases(_aliases(tmp_path, bad))
    assert load_aliases(tmp_path / "absent.yaml").merges == ()


def test_the_projects_alias_file_loads():
    config = load_aliases()
    assert config.home_cities and all(c.why for c in config.home_cities)


def test_counted_system_keeps_its_declared_counts():
    graph, _ = build_graph(_extractions(), aliases_path=None)
    system = graph.nodes["InnovationSystem:1+4+N创新平台体系"]
    assert system.props["declared"] == {"1": 1, "4": 4, "N": 12}
    assert system.props["declared_total"] == 17
    named = [e for e in graph.edges if e.type == "MEMBER_OF" and e.dst == system.id]
    assert sorted(e.props["role"] for e in named) == ["1", "4"]  # declared 17, named 2


def test_provenance_documents_and_mentions():
    graph, _ = build_graph(_extractions(), aliases_path=None)
    plan = next(d for d in graph.documents.values() if d.name == PLAN)
    assert (plan.title, plan.issuer, plan.date, plan.fmt) == (
        "青川市“十四五”科技创新规划",
        "青川市人民政府",
        "2021-06-30",
        "txt",
    )
    assert plan.content_hash == plan.id
    mentioned = [e for e in graph.edges if e.type == "MENTIONED_IN"]
    assert {e.src for e in mentioned} == set(graph.nodes)
    for edge in mentioned:
        assert edge.dst in graph.documents and edge.props["n_mentions"] == len(edge.evidence)
        for ev in edge.evidence:
            assert ev["doc_id"] == edge.dst and ev["text"] in ev["sentence"]
    for edge in graph.edges:
        assert edge.evidence, edge


def test_undirected_relations_are_stored_once_in_id_order():
    graph, _ = build_graph(_extractions(), aliases_path=None)
    cooperates = [e for e in graph.edges if e.type == "COOPERATES_WITH"]
    assert len(cooperates) == 1 and cooperates[0].src < cooperates[0].dst


def test_ids_do_not_depend_on_document_order():
    forward, _ = build_graph(_extractions(), aliases_path=None)
    backward, _ = build_graph(list(reversed(_extractions())), aliases_path=None)
    assert set(forward.nodes) == set(backward.nodes)
    assert {e.identity() for e in forward.edges} == {e.identity() for e in backward.edges}


def test_same_text_twice_is_one_document():
    ex = _extractions(PLAN)[0]
    graph, report = build_graph([ex, dict(ex, doc="copy.txt")], aliases_path=None)
    assert len(graph.documents) == 1
    assert report.pruned == {"document:duplicate_document": 1}


def test_build_writes_graph_report_and_merge_log(tmp_path):
    graph, report = build_graph(_extractions(), aliases_path=_aliases(tmp_path, RULES))
    paths = write_outputs(graph, report, tmp_path / "build")
    lines = paths["merge_log"].read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(report.merges)
    first = json.loads(lines[0])
    assert {"label", "reason", "a", "b", "key", "docs", "merged", "detail", "node_id"} <= set(first)
    data = json.loads(paths["report"].read_text(encoding="utf-8"))
    assert data["entities_by_type"] == report.entities_by_type
    assert data["merged"] == report.merged
    assert json.loads(paths["graph"].read_text(encoding="utf-8"))["nodes"]
