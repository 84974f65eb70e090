"""Every preset on the graph built from data/raw: the same rows on both stores, and the facts a planner
would check against the documents themselves.

The graph is extracted and built once per process and loaded once per module into a temporary Ladybug
file and into the Neo4j test server (skipped without one, failed under CI=true; tests/neo4j_support.py).
Assertions quote the documents: 000 = 威海市“十四五”科技创新规划, 001 = 实施意见 (威政发〔2023〕5号),
002 = 日照市规划, 003 = 2024 press conference, 004 = the 000 plan as re-issued with its notice.
Where the extraction misses a fact, the test asserts the fact and is marked xfail(strict=True) with the
reason, so it turns into a failure the day the extractor gets it right (and the mark must go).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from queries.catalog import load_presets
from queries.examples import example_params
from queries.runner import Runner
from tests.corpus_runners import by, one, records

ROOT = Path(__file__).resolve().parent.parent
PRESETS = load_presets()

CARBON_CHAIN = "碳纤维及复合材料产业技术创新链"
SHIP_CHAIN = "高端船舶与海工装备产业技术创新链"
PRINTER_CHAIN = "打印设备及智能服务终端产业链"
LAB = "威海先进医用材料与高端医疗器械山东省实验室"
FOUR_PLATFORMS = {  # 000 §四(一): 统筹…4大平台建设
    "工信部威海电子信息技术综合研究中心",
    "山东大学威海工业技术研究院",
    "哈工大威海创新创业园",
    "高端医疗器械创新中心",
}


# The corpus graph in both stores (fixtures `embedded`, `neo4j`, `runner`): tests/corpus_runners.py.


def has_measures(runner: Runner) -> bool:
    return runner.cypher("MATCH (m:Measure) RETURN count(m) AS n").rows[0][0] > 0


# --- the same rows on both stores ------------------------------------------------------------------

# A value for each required parameter without a default (no preset defaults to a name from the documents).
REQUIRED: dict[str, dict[str, Any]] = {
    "actor_profile": {"actor": "哈尔滨工业大学"},
    "actors_in_region": {"region": "文登区"},
    "chain_detail": {"chain": CARBON_CHAIN},
    "documents_mentioning": {"actor": LAB},
    "entity_search": {"q": "哈工大"},
    "evidence": {"actor": "中科院沈阳自动化研究所"},
    "neighbourhood": {"actor": "威海(荣成)海洋高新技术产业园"},
    "shortest_path": {"from": "山东大学", "to": "哈尔滨工业大学"},
    "system_members": {"system": "1+4+N创新平台体系"},
    "cluster_matrix": {"cluster": "先进装备与智能制造"},
    "document_entities": {"document": "000_0b49c72c223a13de.txt"},
}
# Defaults, plus parameter values that take other paths through the Cypher (aliases, filters, depth).
CASES: list[tuple[str, dict[str, Any]]] = [(pid, REQUIRED.get(pid, {})) for pid in PRESETS] + [
    ("system_members", {"system": "一核、一城、一带、一廊、五区"}),
    ("system_members", {"system": "1+4+N"}),
    ("cluster_overview", {"cluster": "时尚与休闲运动产品"}),
    ("chain_detail", {"chain": "钓具产业技术创新链"}),
    ("chain_detail", {"chain": "海洋生物医药与生物制品产业技术创新链"}),
    ("chain_gaps", {"cluster": "先进装备与智能制造", "min_gaps": 0}),
    ("unsupported_structures", {"kind": "IndustryCluster"}),
    ("actors_in_region", {"region": "荣成"}),
    ("actors_in_region", {"region": "威海市", "type": "University"}),
    ("university_links", {"university": "山东大学"}),
    ("lab_leadership", {"target": LAB}),
    ("shortest_path", {"from": "山东大学", "to": "哈工大威海创新创业园", "max_hops": 5}),
    ("neighbourhood", {"actor": "威海市", "depth": 3}),
    ("hubs", {"kind": "IndustryCluster", "limit": 3}),
    ("cluster_bridges", {"min_clusters": 1}),
    ("evidence", {"actor": "哈工大威海创新创业园"}),
    ("multi_document_actors", {"min_documents": 3, "kind": "Event"}),
    ("measures_by_agency", {"agency": "市科技局"}),
    ("entity_search", {"q": "研究院", "kind": "ResearchInstitute"}),
    ("shared_gaps", {"min_chains": 1}),
    # the policy layer (contents checked in tests/test_policy_presets.py)
    ("indicator_targets", {"region": "威海"}),
    ("indicator_targets", {"region": "日照市"}),
    ("indicators_of_region", {"region": "日照市", "kind": "target"}),
    ("indicators_of_region", {"key": "rd_intensity"}),
    ("indicators_side_by_side", {"kind": "reported"}),
    ("indicators_side_by_side", {"kind": "baseline", "key": "rd_intensity", "min_regions": 1}),
    ("awards_by_kind", {"kind": "全国重点实验室"}),
    ("awards_by_kind", {"kind": "孵化器"}),
    # the app's views (chain states, matrices, the structure, the document filter, regions)
    ("chain_coverage", {"cluster": "先进装备与智能制造"}),
    ("cluster_matrix", {"cluster": "新一代信息技术"}),
    ("ecosystem_structure", {"system": "1+4+N"}),
    ("document_entities", {"document": "002_c325e9ed9f6e60ac.txt"}),
    ("regions_side_by_side", {"kind": "Park"}),
    ("regions_side_by_side", {"region": "日照市", "kind": "Document"}),
]


def _norm(value: Any) -> Any:
    """Order-normalised: rows as a sorted multiset, list cells (collect()) as sorted lists."""
    if isinstance(value, list):
        return sorted((_norm(v) for v in value), key=repr)
    if isinstance(value, dict):
        return {k: _norm(v) for k, v in value.items()}
    return value


@pytest.mark.neo4j
@pytest.mark.parametrize(("preset", "params"), CASES, ids=[f"{p}-{i}" for i, (p, _) in enumerate(CASES)])
def test_both_stores_return_the_same_rows(embedded, neo4j, preset, params):
    a, b = embedded.run(preset, params), neo4j.run(preset, params)
    assert a.columns == b.columns
    assert not a.truncated and not b.truncated
    assert sorted(map(_norm, a.rows), key=repr) == sorted(map(_norm, b.rows), key=repr)
    assert (a.subgraph is None) == (b.subgraph is None)
    if a.subgraph:
        for part, key in (("nodes", "id"), ("edges", "src")):
            assert sorted(map(_norm, a.subgraph[part]), key=repr) == sorted(
                map(_norm, b.subgraph[part]), key=repr
            ), (part, key)


def test_every_required_parameter_has_an_example_here():
    required = {pid for pid, p in PRESETS.items() if any(x.required and x.default is None for x in p.params)}
    assert required <= set(REQUIRED)


def test_every_preset_answers_with_its_defaults_and_the_first_value_the_graph_offers(runner):
    empty_ok = {"measures_by_agency"}  # the policy layer may not be extracted yet
    for pid in PRESETS:
        params = example_params(runner, pid)
        result = runner.run(pid, params)
        assert result.columns, pid
        # with only defaults there is an answer; the first of a dropdown may have none (a region
        # where nothing is located)
        assert result.rows or params or pid in empty_ok, pid


# --- counted systems ---------------------------------------------------------------------------------


def test_the_1_of_1_plus_4_plus_n_is_the_city_industrial_technology_research_institute(runner):
    rows = records(runner, "system_members", system="1+4+N创新平台体系")
    one_row = one(rows, "role", "1")
    assert (one_row["declared"], one_row["named"]) == (1, 1)
    # 000 §一(一)3: 组建威海市产业技术研究院(威海郭永怀高等技术研究院),形成“1院”引导 …
    aliases = runner.cypher("MATCH (n {id: $id}) RETURN n.aliases", {"id": one_row["member_id"]}).rows[0][0]
    names = {one_row["member"], *aliases}
    assert {"威海市产业技术研究院", "威海郭永怀高等技术研究院"} <= names
    assert one_row["member_label"] == "ResearchInstitute"


def test_the_1_is_named_exactly(runner):
    assert (
        one(records(runner, "system_members", system="1+4+N创新平台体系"), "role", "1")["member"]
        == "威海市产业技术研究院"
    )


def test_the_4_are_declared_four(runner):
    fours = by(records(runner, "system_members", system="1+4+N创新平台体系"), "role", "4")
    assert {r["declared"] for r in fours} == {4}  # “4平台”支撑
    assert {r["named"] for r in fours} == {len(fours)}
    # three of the four platforms of 000 §四(一) come out right …
    assert FOUR_PLATFORMS - {"工信部威海电子信息技术综合研究中心"} <= {r["member"] for r in fours}


def test_the_4_are_exactly_the_four_platforms(runner):
    fours = by(records(runner, "system_members", system="1+4+N创新平台体系"), "role", "4")
    assert {r["member"] for r in fours} == FOUR_PLATFORMS
    assert {r["named"] for r in fours} == {4}


def test_n_is_declared_twelve_and_none_is_named(runner):
    n = one(records(runner, "system_members", system="1+4+N"), "role", "N")  # by alias
    assert (n["declared"], n["named"], n["member"]) == (12, 0, None)  # “12机构”加盟, none listed


def test_the_five_zones_of_one_core_one_city(runner):
    rows = records(runner, "system_members", system="一核、一城、一带、一廊、五区")
    five = {r["member"] for r in by(rows, "role", "五区")}
    # 000 §三(一): “五区”即自主创新示范区、产城融合示范区、海洋经济发展示范区、蓝色经济新区、中韩自贸区…
    assert five == {
        "山东半岛国家自主创新示范区",  # written 自主创新示范区 here: the same zone
        "产城融合示范区",
        "海洋经济发展示范区",
        "蓝色经济新区",
        "中韩自贸区地方经济合作示范区",
    }
    assert one(rows, "role", "一城")["member"] == "国际海洋科技城"
    assert one(rows, "role", "一核")["member"] == "国家(威海)区域创新中心"


def test_counted_structures_declared_versus_named(runner):
    rows = records(runner, "counted_structures")
    s = one(rows, "structure", "1+4+N创新平台体系")
    assert s["declared"] == 17  # “1院”引导、“4平台”支撑、“12机构”加盟
    assert s["unnamed"] == s["declared"] - s["named"]
    assert s["documents"] >= 3  # 000, 001, 003 (and 004) speak of it
    # 000 §七 has eight cluster sections; 001 and 003 speak of 八大产业集群
    assert one(rows, "kind", "IndustryCluster")["named"] == 8


def test_counted_structures_name_five_of_seventeen(runner):
    s = one(records(runner, "counted_structures"), "structure", "1+4+N创新平台体系")
    assert (s["named"], s["unnamed"]) == (5, 12)  # the 1 and the 4 are named, the 12 are not


@pytest.mark.xfail(
    strict=True, reason="八大产业集群/十条优势产业链 stay in extraction meta, not in the graph"
)
def test_counted_structures_carry_the_declared_cluster_count(runner):
    assert one(records(runner, "counted_structures"), "kind", "IndustryCluster")["declared"] == 8


# --- clusters and chains ---------------------------------------------------------------------------


def test_clusters_with_their_chains_and_supporters(runner):
    rows = records(runner, "cluster_overview")
    assert len(rows) == 8
    ict = one(rows, "cluster", "新一代信息技术")
    # 000 专栏1 names four 产业技术创新链; §七(一) names the national platforms it builds on
    assert {
        "智能办公自动化产业技术创新链",
        "智能服务终端产业技术创新链",
        "光电子及通信传输产业技术创新链",
        "集成电路及电子信息元器件产业技术创新链",
    } <= set(ict["chains"])
    assert {
        "工信部威海电子信息技术综合研究中心",
        "新北洋国家级企业技术中心",
        "新北洋国家地方联合工程实验室",
    } <= set(ict["supporters"])
    carbon = one(rows, "cluster", "碳纤维等复合材料")
    assert {CARBON_CHAIN, "先进高分子材料产业技术创新链"} <= set(carbon["chains"])  # 专栏2
    assert "临港区碳纤维产业园" in carbon["supporters"]  # 依托临港区碳纤维产业园等高端园区建设
    fashion = records(
        runner, "cluster_overview", cluster="时尚与休闲运动产品"
    )  # the §七(六) heading, an alias
    assert [r["cluster"] for r in fashion] == ["时尚创意与休闲运动产品"]
    assert "时尚创意集成创新平台" in fashion[0]["chain_supporters"]


def test_the_carbon_fibre_chain_in_document_order(runner):
    rows = records(runner, "chain_detail", chain=CARBON_CHAIN)
    links = [r["item"] for r in rows if r["part"] == "link"]
    # 000 专栏2: “装备制造—原丝—碳纤维—织物—预浸料—碳纤维制品—碳纤维回收利用—检测分析”的全产业链条
    assert links == [
        "装备制造",
        "原丝",
        "碳纤维",
        "织物",
        "预浸料",
        "碳纤维制品",
        "碳纤维回收利用",
        "检测分析",
    ]
    assert [r["ord"] for r in rows if r["part"] == "link"] == list(range(1, 9))
    lacks = {r["item"]: r["note"] for r in rows if r["part"] == "lacks"}
    assert lacks == {
        "原丝生产装备": "卡脖子",
        "碳化工艺": "卡脖子",
    }  # 突破原丝生产装备、碳化工艺等“卡脖子”技术
    park = one([r for r in rows if r["part"] == "supporter"], "item", "临港区碳纤维产业园")
    assert park["located_in"] == ["临港区"]  # 临港区重点依托碳纤维产业园


def test_the_fishing_tackle_chain_in_document_order(runner):
    rows = records(runner, "chain_detail", chain="钓具产业技术创新链")
    # 000 专栏6: 打造集装备、预浸料、渔竿、渔饵、渔轮、导眼于一体的钓具全产业链条
    assert [r["item"] for r in rows if r["part"] == "link"] == [
        "装备",
        "预浸料",
        "渔竿",
        "渔饵",
        "渔轮",
        "导眼",
    ]
    # … 高端钓轮钓线本地配套率不高、精密制造装备仍需进口
    assert {r["item"] for r in rows if r["part"] == "lacks"} == {"高端钓轮钓线", "精密制造装备"}


def test_supporters_of_a_chain_and_where_they_are(runner):
    rows = records(runner, "chain_detail", chain="海洋生物医药与生物制品产业技术创新链")
    where = {r["item"]: r["located_in"] for r in rows if r["part"] == "supporter"}
    # 000 专栏4: 加快威海(荣成)海洋高新技术产业园、南海新区海洋生物产业园、文登海洋生物医药产业园、
    # 乳山生物科技产业园建设
    assert {
        "威海(荣成)海洋高新技术产业园",
        "南海新区海洋生物产业园",
        "文登海洋生物医药产业园",
        "乳山生物科技产业园",
    } <= set(where)
    assert where["南海新区海洋生物产业园"] == ["南海新区"]
    assert where["文登海洋生物医药产业园"] == ["文登区"]
    # 深化与中国海洋大学、中科院海洋所等海洋院所对接: the short form of 中国科学院海洋研究所, one node
    assert "中国科学院海洋研究所" in where
    assert "中科院海洋所" not in where


def test_chain_gaps_list_what_the_documents_say_is_missing(runner):
    rows = records(runner, "chain_gaps")
    gaps = [r["gaps"] for r in rows]
    assert gaps == sorted(gaps, reverse=True) and min(gaps) >= 1
    printer = one(rows, "chain", PRINTER_CHAIN)
    assert {"精密马达", "感光鼓"} <= set(
        printer["lacks"]
    )  # 000 §七(一): 缺少精密马达、感光鼓等领域核心零部件企业
    ship = one(rows, "chain", SHIP_CHAIN)
    # 000 专栏3: 缺少发动机、关键电机等核心配套企业,主机、侧推、滚装设备及控制系统等核心设备完全依赖进口
    assert {"发动机", "关键电机", "主机", "侧推", "滚装设备", "控制系统"} <= set(ship["lacks"])
    carbon = one(rows, "chain", CARBON_CHAIN)
    assert len(carbon["unsupported_links"]) == 8  # no actor is named for any single link
    assert carbon["gaps"] == carbon["n_lacks"] + carbon["n_unsupported_links"]


def test_chain_gaps_of_one_cluster(runner):
    rows = records(runner, "chain_gaps", cluster="先进装备与智能制造")
    chains = {r["chain"] for r in rows}
    assert {SHIP_CHAIN, "专用汽车产业技术创新链", "轮胎产业技术创新链", "电机产业技术创新链"} <= chains
    assert all("先进装备与智能制造" in r["clusters"] for r in rows)
    motor = one(rows, "chain", "电机产业技术创新链")
    assert set(motor["lacks"]) == {"铝锭铸件", "漆包线", "矽钢"}  # 铝锭铸件、漆包线、矽钢等原材料主要依赖外购


def test_items_several_chains_lack(runner):
    rows = records(runner, "shared_gaps")
    # 000 专栏3: the ship chain lacks 发动机 and imports 控制系统;
    # special vehicles: 发动机、电子电器及控制系统本地配套率低
    for item in ("发动机", "控制系统"):
        assert {SHIP_CHAIN, "专用汽车产业技术创新链"} <= set(one(rows, "item", item)["chains"])
    assert all(r["n_chains"] >= 2 for r in rows)


def test_structures_no_platform_lab_or_institute_supports(runner):
    rows = records(runner, "unsupported_structures")
    names = {r["name"] for r in rows}
    # 000 §七(二) leans on parks only (依托临港区碳纤维产业园); §七(一) names national platforms and a lab
    assert "碳纤维等复合材料" in names
    assert "新一代信息技术" not in names
    assert SHIP_CHAIN in names  # 专栏3 names a 产业基地 and companies, no platform
    assert "纺织服装产业技术创新链" not in names  # 依托时尚创意集成创新平台、毛衫纱线资源共享平台
    carbon = one(rows, "name", "碳纤维等复合材料")
    assert "临港区碳纤维产业园" in carbon["other_supporters"]


def test_bridges_between_clusters(runner):
    rows = records(runner, "cluster_bridges")
    park = one(rows, "actor", "威海(荣成)海洋高新技术产业园")
    # 000 专栏4 (marine biology chains) and §七(八) (支持威海(荣成)海洋高新技术产业园创建国家农高区)
    assert set(park["clusters"]) >= {"海洋生物与健康食品", "现代农业"}
    assert all(r["n_clusters"] >= 2 for r in rows)


# --- places, organisations, paths ------------------------------------------------------------------


def test_actors_in_a_district(runner):
    rows = records(runner, "actors_in_region", region="文登区", type="Park")
    # 000 §三(四): 文登区重点依托国际物流多式联运中心暨配套产业园、光通信产业园和新一代信息技术产业园、
    # 智能制造产业园、化工产业园等; 专栏4/§七(五): 文登海洋生物医药产业园, 文登生物医药产业园
    assert {
        "国际物流多式联运中心暨配套产业园",
        "光通信产业园",
        "新一代信息技术产业园",
        "文登智能制造产业园",
        "化工产业园",
        "文登海洋生物医药产业园",
        "文登生物医药产业园",
    } <= {r["actor"] for r in rows}
    assert {r["label"] for r in rows} == {"Park"}
    chem = [r for r in rows if r["actor"] == "化工产业园"]
    assert [r["id"] for r in chem] == ["Park:化工产业园@文登区"]  # not the 南海新区 one


def test_a_region_includes_its_sub_regions_and_named_places(runner):
    rows = records(runner, "actors_in_region", region="荣成")  # an alias of 荣成市
    found = {r["actor"]: r["how"] for r in rows}
    assert found["荣成房车产业园"] == "LOCATED_IN"
    assert found["荣成市区"] in ("name", "LOCATED_IN")  # a sub-region
    assert found["威海(荣成)海洋高新技术产业园"] in ("name", "LOCATED_IN")  # (荣成) and 荣成市重点依托…
    assert {r["region"] for r in rows} == {"荣成市"}


def test_rongcheng_parks_listed_by_its_district_sentence(runner):
    rows = records(runner, "actors_in_region", region="荣成市", type="Park")
    assert {"核电配套产业园", "歌尔信息产业园"} <= {r["actor"] for r in rows}


def test_the_city_includes_its_districts(runner):  # the division codes place them (graph/places.py)
    rows = records(runner, "actors_in_region", region="威海市", type="Region")
    assert {"环翠区", "文登区", "荣成市", "乳山市"} <= {r["actor"] for r in rows}


def test_universities_and_what_they_lead_join_or_host(runner):
    rows = records(runner, "university_links")
    links = {(r["university"], r["relation"], r["other"]) for r in rows}
    assert ("山东大学", "joins", LAB) in links  # 000 §五(二): …牵头…山东大学、哈尔滨工业大学等优势科研单位
    assert ("哈尔滨工业大学", "joins", LAB) in links
    assert ("山东大学", "named after", "山东大学威海工业技术研究院") in links
    assert ("哈尔滨工业大学", "named after", "哈工大威海创新创业园") in links  # by its alias 哈工大
    # 001 第11条: 北京大学威海海洋研究院、…天津大学威海激光与光电子信息技术研究院
    assert ("北京大学", "named after", "北京大学威海海洋研究院") in links
    assert ("天津大学", "named after", "天津大学威海激光与光电子信息技术研究院") in links


def test_jilin_university_institute(runner):  # 001 第11条: 吉林大学威海仿生研究院
    links = {
        (r["university"], r["other"]) for r in records(runner, "university_links", university="吉林大学")
    }
    assert ("吉林大学", "吉林大学威海仿生研究院") in links


def test_who_joins_the_provincial_lab(runner):
    rows = records(runner, "lab_leadership", target=LAB)
    joins = {r["actor"] for r in rows if r["role"] == "joins"}
    # 000 §五(二): 由中科院苏州医学工程技术研究所牵头中科院长春应用化学研究所、中科院沈阳自动化研究所、
    # 山东大学、哈尔滨工业大学等优势科研单位 … 建设威海先进医用材料与高端医疗器械山东省实验室
    assert {"中科院长春应用化学研究所", "中科院沈阳自动化研究所", "山东大学", "哈尔滨工业大学"} <= joins


@pytest.mark.xfail(
    strict=True, reason="a brand name + 平台 (柠檬豆平台) has no place or industry word to name it"
)
def test_who_joins_the_technology_market(runner):
    market = records(runner, "lab_leadership", target="威海市高新技术市场")
    assert [(r["role"], r["actor"]) for r in market] == [("joins", "柠檬豆平台")]  # 引进柠檬豆平台共建


def test_who_leads_the_provincial_lab(runner):
    rows = records(runner, "lab_leadership", target=LAB)
    assert {r["actor"] for r in rows if r["role"] == "leads"} == {"中科院苏州医学工程技术研究所"}


def test_shortest_path_between_two_universities(runner):
    rows = records(runner, "shortest_path", **{"from": "山东大学", "to": "哈尔滨工业大学"})
    assert [(r["hops"], r["names"], r["rels"]) for r in rows] == [
        (2, ["山东大学", LAB, "哈尔滨工业大学"], ["PARTICIPATES_IN", "PARTICIPATES_IN"])
    ]
    path = rows[0]["path"]
    assert [n["name"] for n in path["nodes"]] == rows[0]["names"]
    assert [r["_dst"] for r in path["rels"]] == [f"Lab:{LAB}"] * 2


def test_shortest_path_respects_max_hops(runner):
    assert (
        records(runner, "shortest_path", **{"from": "山东大学", "to": "哈尔滨工业大学", "max_hops": 1}) == []
    )


def test_neighbourhood_by_depth(runner):
    near = records(runner, "neighbourhood", actor="威海(荣成)海洋高新技术产业园", depth=1)
    assert {r["hops"] for r in near} == {1}
    # 000 §三(一)/§四(二): 以威海(荣成)海洋高新技术产业园为核心,打造海洋生物创新中心,建设海洋生物产业引领区
    assert {"海洋生物产业引领区", "海洋生物创新中心", "海洋健康食品产业技术创新链", "现代农业"} <= {
        r["neighbour"] for r in near
    }
    far = records(runner, "neighbourhood", actor="威海(荣成)海洋高新技术产业园", depth=2)
    assert {r["neighbour"] for r in near} < {r["neighbour"] for r in far}
    hops = {r["neighbour"]: r["hops"] for r in far}
    assert hops["海洋生物创新中心"] == 1 and hops["海洋生物与健康食品"] == 2


def test_hubs(runner):
    rows = records(runner, "hubs", limit=50)
    degrees = [r["degree"] for r in rows]
    assert degrees == sorted(degrees, reverse=True)
    # 000 §七(三)/专栏3: the equipment cluster carries the most chains of any cluster
    assert [r["name"] for r in records(runner, "hubs", kind="IndustryCluster", limit=1)] == [
        "先进装备与智能制造"
    ]
    if has_measures(runner):  # 001: 市科技局 is a 责任单位 of 29 of the 32 measures
        assert one(rows, "name", "威海市科技局")["degree"] >= 29


# --- provenance --------------------------------------------------------------------------------------


def test_evidence_sentences_behind_relationships(runner):
    rows = records(runner, "evidence", actor="中科院苏州医学工程技术研究所")
    row = one(rows, "other", LAB)
    assert (row["rel"], row["direction"], row["doc"]) == ("LEADS", "out", "000_0b49c72c223a13de.txt")
    assert "由中科院苏州医学工程技术研究所牵头" in row["sentence"]
    for r in records(runner, "evidence", actor="哈工大威海创新创业园"):
        assert r["doc"] and r["text"] and r["text"] in r["sentence"]


def test_documents_mentioning_the_provincial_lab(runner):
    rows = records(runner, "documents_mentioning", actor=LAB)
    # 000 §五(二), 001 第2条, 003 (加快推进威海先进医用材料与高端医疗器械山东省实验室…建设); 004 cuts the line
    assert sorted(r["document"][:3] for r in rows) == ["000", "001", "003"]
    assert all(r["mentions"] >= 1 and r["title"] for r in rows)


def test_actors_named_in_several_documents(runner):
    rows = records(runner, "multi_document_actors")
    found = {r["actor"]: r for r in rows}
    # 中韩创新大赛 / 中日科技创新合作大会 / 中欧膜产业技术创新合作大会: 000 §四(四), 001 第13条, 003
    for event in ("中韩创新大赛", "中日科技创新合作大会", "中欧膜产业技术创新合作大会", LAB):
        assert found[event]["n_documents"] >= 3
    assert all(r["n_documents"] == len(r["documents"]) >= 2 for r in rows)


def test_measures_by_agency(runner):
    result = runner.run("measures_by_agency", {"agency": ""})
    assert result.columns[:4] == ["agency", "number", "measure", "awards"]
    if not has_measures(runner):
        assert result.rows == []  # the policy layer is declared but not extracted
        return
    rows = result.records()
    tech = by(rows, "agency", "威海市科技局")
    # 001: 市科技局 is a 责任单位 of every measure but 25 (市市场监管局) and 26, 27 (市地方金融监管局 …)
    assert {r["number"] for r in tech} == set(range(1, 33)) - {25, 26, 27}
    first = one(tech, "number", 1)
    assert set(first["agencies"]) == {"威海市科技局", "威海市工业和信息化局", "威海市财政局"}
    # 第1条: 牵头创建的给予1000万元奖励
    assert {"amount_wan": 1000, "cap": False, "for": "全国重点实验室(牵头创建)", "kind": "奖励"} in first[
        "awards"
    ]
    ip = records(runner, "measures_by_agency", agency="市市场监管局")  # by alias
    assert [(r["number"], set(r["agencies"])) for r in ip] == [(25, {"威海市市场监管局", "威海市财政局"})]


def test_entity_search_by_name_or_alias(runner):
    rows = records(runner, "entity_search", q="哈工大")
    names = [r["name"] for r in rows]
    assert {"哈工大(威海)", "哈工大威海创新创业园", "哈尔滨工业大学"} <= set(names)  # the last by its alias
    assert names[0] == "哈尔滨工业大学"  # an exact alias ranks first, with exact names
    assert records(runner, "entity_search", q="山东大学")[0]["name"] == "山东大学"  # exact match first
    carbon = {r["label"] for r in records(runner, "entity_search", q="碳纤维")}
    assert {"IndustryChain", "IndustryCluster", "Park", "ChainLink"} <= carbon
    assert records(runner, "entity_search", q="不存在的机构") == []


def test_graph_summary_matches_the_store_counts(runner):
    rows = records(runner, "graph_summary")
    counts = runner.store.counts()
    want = {(k, v) for k, v in counts["nodes"].items() if v} | {
        (k, v) for k, v in counts["relationships"].items() if v
    }
    assert {(r["name"], r["count"]) for r in rows} == want
    assert one(rows, "name", "Document")["count"] == 5
