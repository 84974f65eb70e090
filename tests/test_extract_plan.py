"""A plan of a city the gazetteer does not know, written for this test in the style of a municipal
14th-FYP science plan (tests/fixtures/docs/qingchuan_plan.txt): chapter and decimal headings, a
counted platform system, clusters with their chains, links stated by position and by segment, and
what each chain lacks. Everything named in it is invented."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.extract import doc_to_extraction, extract_document
from ingest.pipeline import build_nlp
from ingest.readers import read_document
from tests.extract_helpers import Result

PLAN = Path(__file__).parent / "fixtures" / "docs" / "qingchuan_plan.txt"


@pytest.fixture(scope="module")
def plan() -> Result:
    document = read_document(PLAN)
    doc = build_nlp()(document.text)
    return Result(document.text, doc, doc_to_extraction(doc, document).to_json())


def test_headings_of_every_style_nest(plan: Result) -> None:
    titles = [(s.level, s.title) for s in plan.state.sections]
    assert (1, "第一章 发展基础") in titles
    assert (2, "1.1 创新能力") in titles
    assert (3, "(一)海洋装备产业集群") in titles


def test_the_unknown_city_is_the_home_region(plan: Result) -> None:
    home = plan.entity("青川市", "Region")
    assert "青川" in home["aliases"]
    assert plan.data["meta"]["home_region"] == "青川市"


def test_chain_links_by_position_and_by_enumeration(plan: Result) -> None:
    links = plan.rels("HAS_LINK")
    assert {("船舶配套产业链", x) for x in ("钢材", "特种涂料", "船体分段制造", "总装", "维修服务")} <= links
    assert {("碳纤维产业链", x) for x in ("原丝", "碳化", "预浸料", "复合材料制品")} <= links
    ordered = {r["props"].get("ord") for r in plan.relations if r["type"] == "HAS_LINK"}
    assert {1, 2, 3} <= ordered  # 上游 / 中游 / 下游 and the order of 含…环节


def test_chain_gaps_from_every_cue(plan: Result) -> None:
    gaps = plan.rels("LACKS")
    assert {
        ("船舶配套产业链", "船用发动机"),
        ("船舶配套产业链", "导航设备"),
        ("船舶配套产业链", "高端轴承"),
        ("碳纤维产业链", "碳纤维原丝"),
        ("碳纤维产业链", "大丝束碳纤维"),
    } <= gaps


def test_what_is_missing_is_no_platform(plan: Result) -> None:
    assert plan.find("船舶设计仿真平台", "Platform") == []
    assert plan.find("海洋装备检测平台", "Platform") == []
    assert ("船舶配套产业链", "海洋装备检测平台") in plan.rels("LACKS")


def test_platforms_support_chain_links(plan: Result) -> None:
    supports = plan.rels("SUPPORTS")
    assert ("青川新材料中试基地", "碳化") in supports
    assert ("青川海洋装备创新中心", "分段制造") in supports


def test_clusters_and_their_chains(plan: Result) -> None:
    assert {("船舶配套产业链", "海洋装备产业集群"), ("碳纤维产业链", "新材料产业集群")} <= plan.rels(
        "PART_OF_CLUSTER"
    )
    assert {e["name"] for e in plan.of_type("IndustryCluster")} >= {"海洋装备产业集群", "新材料产业集群"}


def test_the_counted_system_and_its_members(plan: Result) -> None:
    system = "1+3+N创新平台体系"
    assert plan.rel("MEMBER_OF", "青川市产业技术研究院", system)["props"] == {"role": "1"}
    for platform in ("青川海洋装备创新中心", "青川新材料中试基地", "青川智能制造公共服务平台"):
        assert plan.rel("MEMBER_OF", platform, system)["props"] == {"role": "3"}


def test_the_home_region_is_the_unwritten_subject(plan: Result) -> None:
    assert {("青川市", "青岛市"), ("青川市", "烟台市"), ("青川市", "长三角")} <= plan.rels("COOPERATES_WITH")
    assert ("青川市", "青川海洋科技创新大会") in plan.rels("ORGANIZES")
    assert ("青川大学", "青川市") in plan.rels("LOCATED_IN")


def test_extract_document_reads_the_same(plan: Result) -> None:
    data = extract_document(read_document(PLAN)).to_json()
    assert {e["name"] for e in data["entities"]} == {e["name"] for e in plan.entities}


ANNEX = Path(__file__).parent / "fixtures" / "docs" / "qingchuan_opinion_annex.txt"


def test_member_lists_of_a_working_body() -> None:
    document = read_document(ANNEX)
    doc = build_nlp()(document.text)
    res = Result(document.text, doc, doc_to_extraction(doc, document).to_json())
    members = res.rels("MEMBER_OF")
    group = "青川市科技创新工作领导小组"
    # an annex listing members by their posts, one line each after "成员："
    assert {("市科技局", group), ("市财政局", group), ("市工业和信息化局", group)} <= members
    # "成员单位由A、B和C组成"
    body = "自主创新示范区建设领导小组"
    assert {("市科技局", body), ("市财政局", body), ("青川市人民政府", body)} <= members
    assert res.find("市财政局和青川市人民政府") == []  # a conjunction after a complete name splits
