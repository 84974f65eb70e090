"""Indicator facts: the component on invented sentences, then targets vs actuals on the corpus.

The unit tests use places the corpus does not talk about (潍坊市 and its 奎文区, which the
gazetteer knows) so they test the grammar, not the corpus. The corpus
tests hold what a reader finds by hand: Weihai's 14th five-year S&T plan (000) sets 2025 targets in
its 发展目标 section; the city's 2024 press conference (003) reports figures for five of them; Rizhao's
plan (002) sets targets for the same indicators.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from graph.build import build_graph
from graph.model import Graph
from ingest.pipeline import build_nlp
from tests.extract_helpers import run_text


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_nlp()


def facts(nlp: Language, text: str) -> list[dict]:
    return run_text(nlp, text).data["meta"]["indicators"]


def one(found: list[dict], key: str) -> dict:
    hits = [f for f in found if f["key"] == key]
    assert len(hits) == 1, f"expected one {key}: {[(f['key'], f['metric'], f['value']) for f in found]}"
    return hits[0]


# the home city is the prefecture-level city a document names at least three times
PLAN = (
    "潍坊市“十四五”科技创新规划\n"
    "为加快建设创新型潍坊市,推动潍坊市高质量发展,制定本规划。\n"
    "一、发展基础\n"
    "“十三五”期间,全市高新技术企业达到420家,全社会研发经费投入占GDP比重达到2.1%。\n"
    "二、发展目标\n"
    "到2025年,全社会研发经费支出占地区生产总值比重达到3.1%,高新技术企业超过900家,"
    "国家科技型中小企业入库企业突破1800家,年登记技术合同成交额达到80亿元。\n"
)


def test_plan_targets_and_base_year(nlp: Language) -> None:
    found = facts(nlp, PLAN)
    targets = [f for f in found if f["kind"] == "target"]
    assert {f["key"] for f in targets} == {
        "rd_intensity",
        "high_tech_enterprises",
        "tech_smes",
        "tech_contract_turnover",
    }
    assert all(f["year"] == 2025 and f["region"] == "潍坊市" for f in targets)
    hte = one(targets, "high_tech_enterprises")
    assert (hte["value"], hte["unit"], hte["qualifier"]) == (900, "家", "over")
    assert one(targets, "tech_smes")["qualifier"] == "over"  # 突破
    turnover = one(targets, "tech_contract_turnover")
    assert (turnover["value"], turnover["unit"], turnover["value_base"], turnover["base_unit"]) == (
        80,
        "亿元",
        800000,
        "万元",
    )
    # the 发展基础 section of a 14th five-year plan reports where the period starts: 2020
    base = [f for f in found if f["kind"] == "reported"]
    assert {(f["key"], f["value"], f["year"]) for f in base} == {
        ("high_tech_enterprises", 420, 2020),
        ("rd_intensity", 2.1, 2020),
    }


def test_evidence_is_the_figure_in_its_sentence(nlp: Language) -> None:
    result = run_text(nlp, PLAN)
    for f in result.data["meta"]["indicators"]:
        ev = f["evidence"]
        assert PLAN[ev["start"] : ev["end"]] == ev["text"]
        assert ev["text"] in ev["sentence"]
        assert str(int(f["value"])) in ev["text"] or str(f["value"]) in ev["text"]


def test_report_year_qualifiers_and_units(nlp: Language) -> None:
    text = (
        "2024年潍坊市科技工作新闻发布会\n"
        "今年以来,全市高新技术企业约1100家,科技型中小企业近2100家,"
        "全社会研发投入占GDP比重达到2.65%,技术合同成交额35.5亿元,在潍创新创业外国专家300多人。\n"
    )
    found = facts(nlp, text)
    assert all(f["kind"] == "reported" and f["year"] == 2024 for f in found)
    assert one(found, "high_tech_enterprises")["qualifier"] == "about"
    assert one(found, "tech_smes")["qualifier"] == "nearly"
    assert one(found, "rd_intensity")["value"] == 2.65
    assert one(found, "tech_contract_turnover")["value_base"] == 355000
    talent = one(found, "foreign_talent")
    assert (talent["value"], talent["qualifier"]) == (300, "over")  # 300多人


def test_from_to_gives_a_baseline_and_a_reported_value(nlp: Language) -> None:
    text = "全社会R&D经费支出占GDP比重由2016年度的1.1%提高到2020年度的2.4%,位居全省前列。\n"
    found = facts(nlp, text)
    assert [(f["kind"], f["year"], f["value"]) for f in found if f["key"] == "rd_intensity"] == [
        ("baseline", 2016, 1.1),
        ("reported", 2020, 2.4),
    ]


def test_a_bare_level_takes_the_noun_of_the_figure_before(nlp: Language) -> None:
    text = "2023年奎文区科技工作总结\n全区建有国家级创新平台12个、省级140个。\n"
    found = facts(nlp, text)
    assert one(found, "national_platforms")["value"] == 12
    provincial = [f for f in found if f["metric"] == "省级创新平台"]
    assert [f["value"] for f in provincial] == [140]


def test_chinese_numerals(nlp: Language) -> None:
    text = "2023年潍坊市科技工作总结\n全市高新技术企业达到三百二十家。\n"
    assert one(facts(nlp, text), "high_tech_enterprises")["value"] == 320


def test_the_subject_in_the_clause_before(nlp: Language) -> None:
    text = "潍坊市“十四五”科技创新规划\n力争到2025年高新技术企业数量实现倍增,达到600家。\n"
    hte = one(facts(nlp, text), "high_tech_enterprises")
    assert (hte["kind"], hte["year"], hte["value"]) == ("target", 2025, 600)


def test_grants_and_growth_rates_are_not_indicators(nlp: Language) -> None:
    text = (
        "2023年潍坊市科技工作总结\n"
        "对新认定的高新技术企业给予10万元奖励。"
        "高新技术企业数量同比增长12%。高新技术企业达到800家,是2015年的3倍。\n"
    )
    found = facts(nlp, text)
    assert [(f["key"], f["value"]) for f in found] == [("high_tech_enterprises", 800)]


def test_a_figure_of_a_district_belongs_to_the_district(nlp: Language) -> None:
    text = (
        "2023年潍坊市科技工作总结\n潍坊市科技局发布潍坊市科技工作情况。\n"
        "全市高新技术企业约900家,其中奎文区高新技术企业210家。\n"
    )
    found = [f for f in facts(nlp, text) if f["key"] == "high_tech_enterprises"]
    assert {(f["region"], f["value"]) for f in found} == {("潍坊市", 900), ("奎文区", 210)}


# --- the corpus: targets vs actuals -----------------------------------------------------------------

# Read by hand: 000 (三)发展目标 and 003. Target (2025) → value reported in 2024, status.
WEIHAI_TARGETS_VS_ACTUALS = {
    "high_tech_enterprises": (1500, "over", 1700, "met"),  # 高新技术企业超过1500家 / 约1700家
    "tech_smes": (2500, "over", 2900, "met"),  # 入库企业突破2500家 / 约2900家
    "rd_intensity": (2.8, "", 2.46, "behind"),  # 研发经费支出占GDP比重2.8% / 2.46%
    "high_tech_output_share": (64, "", 72.98, "met"),  # 高新技术产业产值占比64% / 72.98%
    "national_platforms": (30, "", 29, "behind"),  # 国家级创新平台30家 / 29个
}
# 2025 targets of 000 that 003 does not report: no data
WEIHAI_NO_DATA = {
    "provincial_plus_platforms",
    "researchers_per_10k_employed",
    "rd_active_enterprise_share",
    "incubation_carriers",
    "st_service_revenue",
    "tech_contract_turnover",
    "high_value_patents_per_10k",
}
# Both plans' 2025 targets (000 发展目标 / 002 主要目标): Weihai, Rizhao
SIDE_BY_SIDE = {
    "rd_intensity": (2.8, 3.2),
    "researchers_per_10k_employed": (85, 70),
    "high_tech_enterprises": (1500, 1000),
    "tech_smes": (2500, 1500),
    "tech_contract_turnover": (130, 125),
    "high_value_patents_per_10k": (10.2, 5.28),
}


@pytest.fixture(scope="module")
def corpus() -> Graph:
    from tests.app_graph import extractions

    graph, _ = build_graph(list(extractions()))
    return graph


def _indicators(graph: Graph, **where: object) -> list:
    return [
        n
        for n in graph.nodes.values()
        if n.label == "Indicator" and all(n.props.get(k) == v for k, v in where.items())
    ]


@pytest.mark.slow
def test_weihai_targets_against_reported_values(corpus: Graph) -> None:
    tracks = {(e.src, e.dst): e for e in corpus.edges if e.type == "TRACKS"}
    seen = {}
    for (src, dst), edge in tracks.items():
        target, actual = corpus.nodes[dst], corpus.nodes[src]
        if target.props["region"] != "威海市":
            continue
        assert target.props["kind"] == "target" and actual.props["kind"] == "reported"
        seen[target.props["key"]] = (
            target.props["value"],
            target.props["qualifier"],
            actual.props["value"],
            edge.props["status"],
        )
        assert target.props["year"] == 2025 and actual.props["year"] == 2024
        assert {ev["doc"][:3] for ev in edge.evidence} == {"000", "003"} or {
            ev["doc"][:3] for ev in edge.evidence
        } == {"004", "003"}
    assert seen == WEIHAI_TARGETS_VS_ACTUALS


@pytest.mark.slow
def test_weihai_targets_without_a_reported_value(corpus: Graph) -> None:
    tracked = {e.dst for e in corpus.edges if e.type == "TRACKS"}
    untracked = {
        n.props["key"]
        for n in _indicators(corpus, region="威海市", kind="target", year=2025)
        if n.props["key"] and n.id not in tracked
    }
    assert untracked >= WEIHAI_NO_DATA
    assert not untracked & set(WEIHAI_TARGETS_VS_ACTUALS)


@pytest.mark.slow
def test_the_same_indicator_for_two_cities(corpus: Graph) -> None:
    for key, (weihai, rizhao) in SIDE_BY_SIDE.items():
        for region, value in (("威海市", weihai), ("日照市", rizhao)):
            values = {n.props["value"] for n in _indicators(corpus, key=key, region=region, kind="target")}
            assert value in values, (key, region, values)


@pytest.mark.slow
def test_indicators_link_to_their_city_and_keep_evidence(corpus: Graph) -> None:
    of = {e.src: e.dst for e in corpus.edges if e.type == "INDICATOR_OF"}
    mentioned = {e.src for e in corpus.edges if e.type == "MENTIONED_IN"}
    for node in _indicators(corpus):
        assert node.id in mentioned
        if node.props["region"] in ("威海市", "日照市"):
            assert corpus.nodes[of[node.id]].name == node.props["region"]


@pytest.mark.slow
def test_a_repeated_figure_is_one_fact(corpus: Graph) -> None:
    # 003 states 高新技术企业约1700家 twice; 004 repeats 000's targets
    reported = _indicators(corpus, key="high_tech_enterprises", region="威海市", kind="reported", year=2024)
    assert [n.props["value"] for n in reported] == [1700]
    mentions = [e for e in corpus.edges if e.type == "MENTIONED_IN" and e.src == reported[0].id]
    assert sum(len(e.evidence) for e in mentions) == 2
