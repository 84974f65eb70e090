"""Policy measures of implementation opinions: numbered items with 责任单位, and their awards."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.components.measures import parse_awards
from ingest.extract import extract_document
from ingest.readers import read_document
from ingest.records import Document

OPINION = """青川市人民政府关于加快星港科技创新的实施意见
一、重点任务
(一)建设创新平台
1.壮大青川海洋装备研究院。支持青川海洋装备研究院建设中试基地。对获批省级重点实验室、技术创新中心的单位,给予不超过100万元奖励。(责任单位:市科技局、市财政局)
2.培育科技企业。对新认定的高新技术企业,给予10万元补助。(责任单位:市科技局、市税务局、市财政局)
二、保障措施
1.加强组织领导。各级各部门要把实施意见落到实处。
"""


@pytest.fixture(scope="module")
def opinion() -> dict:
    doc = Document(path="op.txt", name="op.txt", text=OPINION)
    return extract_document(doc).to_json()


def _measures(data: dict) -> dict[int, dict]:
    return {e["props"]["number"]: e for e in data["entities"] if e["type"] == "Measure"}


def test_numbered_items_with_responsible_units_are_measures(opinion: dict) -> None:
    measures = _measures(opinion)
    assert sorted(measures) == [1, 2]  # the 保障措施 item has no 责任单位: not a measure
    assert measures[1]["name"] == "壮大青川海洋装备研究院"
    assert measures[2]["name"] == "培育科技企业"


def test_responsible_units_point_at_their_measure(opinion: dict) -> None:
    names = {e["id"]: e["name"] for e in opinion["entities"]}
    pairs = {
        (names[r["src"]], names[r["dst"]]) for r in opinion["relations"] if r["type"] == "RESPONSIBLE_FOR"
    }
    assert pairs == {
        ("市科技局", "壮大青川海洋装备研究院"),
        ("市财政局", "壮大青川海洋装备研究院"),
        ("市科技局", "培育科技企业"),
        ("市税务局", "培育科技企业"),
        ("市财政局", "培育科技企业"),
    }
    agency = next(e for e in opinion["entities"] if e["name"] == "市科技局")
    assert agency["type"] == "GovAgency"


def test_awards_are_structured(opinion: dict) -> None:
    awards = _measures(opinion)[1]["props"]["awards"]
    assert awards == [
        {"for": "省级重点实验室", "amount_wan": 100, "kind": "奖励", "cap": True},
        {"for": "省级技术创新中心", "amount_wan": 100, "kind": "奖励", "cap": True},
    ]
    assert _measures(opinion)[2]["props"]["awards"] == [
        {"for": "高新技术企业", "amount_wan": 10, "kind": "补助", "cap": False}
    ]


def test_respectively_pairs_items_with_amounts() -> None:
    awards = parse_awards("对成功创建国家级、省级星港创新中心的牵头企业,分别给予不超过300万元、200万元奖励。")
    assert [(a["for"], a["amount_wan"], a["cap"]) for a in awards] == [
        ("国家级星港创新中心", 300, True),
        ("省级星港创新中心", 200, True),
    ]


def test_two_grants_in_one_sentence() -> None:
    awards = parse_awards("对获批星港重点实验室的单位,牵头创建的给予800万元奖励,参与创建的给予400万元奖励。")
    assert [(a["amount_wan"], a["for"]) for a in awards] == [
        (800, "星港重点实验室(牵头创建)"),
        (400, "星港重点实验室(参与创建)"),
    ]


RAW = Path(__file__).resolve().parents[1] / "data" / "raw" / "001_0a828b3e6958d3ec.txt"


@pytest.mark.slow
def test_implementation_opinion_has_its_32_measures_and_award_amounts() -> None:
    data = extract_document(read_document(RAW)).to_json()
    measures = _measures(data)
    assert sorted(measures) == list(range(1, 33))
    # Every awarded measure's amounts in 万元, read by hand off the text of the 32 measures: grants
    # (奖励/补助/补贴/贴息/资金支持/服务费用) and caps stated after them (每家每年不超过30万元,
    # 最高补贴5万元). Not awards: conditions (实物工作量100万元以上), loan and cover limits (贷款不超过
    # 2000万元, 总保额不低于1000万元), shares without an amount (按20%给予资金补助).
    by_hand = {
        1: [50, 50, 50, 100, 100, 100, 300, 500, 500, 500, 500, 500, 1000],
        4: [50, 50, 50],  # 市级新型研发机构; 市外研发机构、“人才飞地”
        5: [100, 500],
        7: [200],
        9: [100, 100],  # 国家高新技术企业 and 国家科技型中小企业, each capped at 100
        11: [50],
        13: [100],
        14: [10, 30],
        15: [50],
        16: [10],
        17: [5, 50],
        18: [10, 200],
        19: [50],
        21: [20, 20],
        22: [100, 200, 200, 300, 500],
        23: [50],
        24: [20, 50],
        25: [2, 5, 20],
        29: [5, 10, 50, 100, 100, 100],
        31: [50],
        32: [10],
    }
    amounts = {n: sorted(a["amount_wan"] for a in m["props"]["awards"]) for n, m in measures.items()}
    assert {n: a for n, a in amounts.items() if a} == by_hand
    caps = {(n, a["for"]): a["cap"] for n, m in measures.items() for a in m["props"]["awards"]}
    assert caps[(1, "全国重点实验室(牵头创建)")] is False and caps[(1, "省级创新创业共同体")] is True
    kinds = {a["kind"] for a in measures[1]["props"]["awards"]}
    assert kinds == {"奖励", "补助"}  # 市级 labs get a 补助 by performance, the others a 奖励
    responsible = [r for r in data["relations"] if r["type"] == "RESPONSIBLE_FOR"]
    assert len(responsible) >= 75
    assert all(len(r["provenance"]) >= 1 for r in responsible)


def test_grades_of_one_prize_share_its_name() -> None:
    awards = parse_awards(
        "对作为第一完成单位获得星港科学技术奖特等奖、一等奖、二等奖的,分别给予300万元、200万元、100万元配套奖励。"
    )
    assert [(a["for"], a["amount_wan"]) for a in awards] == [
        ("星港科学技术奖特等奖", 300),
        ("星港科学技术奖一等奖", 200),
        ("星港科学技术奖二等奖", 100),
    ]


def test_caps_stated_after_the_grant() -> None:
    awards = parse_awards("对云帆孵化器按实际发生额的30%予以补贴,最高补贴5万元;每家每年不超过30万元。")
    assert [(a["amount_wan"], a["cap"]) for a in awards] == [(5, True), (30, True)]
