"""The policy-layer presets on the graph built from data/raw, on both stores: targets against reported values,
every figure about a place, places side by side, what a kind of platform can be awarded.

The corpus graph and the store fixtures (`embedded`, `neo4j`, `runner`: each test runs on both) and the
row helpers come from tests/corpus_runners.py; the parameter cases of the both-stores test from
tests/test_queries_presets.py.
Expectations quote the documents: 000 = 威海市“十四五”科技创新规划, 001 = 实施意见 (威政发〔2023〕5号),
002 = 日照市“十四五”科技创新发展规划, 003 = the 2024 press conference (威海).
"""

from __future__ import annotations

import pytest

from tests.corpus_runners import by, one, records
from tests.test_queries_presets import CASES

POLICY_PRESETS = ("indicator_targets", "indicators_of_region", "indicators_side_by_side", "awards_by_kind")
PLAN = "000_0b49c72c223a13de.txt"
REPORT = "003_4fd6e7d7e94f3e8e.txt"
RIZHAO_PLAN = "002_c325e9ed9f6e60ac.txt"


def by_key(rows, key):
    return one(rows, "key", key)


# --- the parameter cases of the both-stores test ------------------------------------------------------


def test_the_both_stores_test_runs_every_policy_preset_with_parameters():
    ran = {pid for pid, params in CASES if params}
    assert set(POLICY_PRESETS) <= ran


@pytest.mark.parametrize(
    ("preset", "params"),
    [(p, params) for p, params in CASES if p in POLICY_PRESETS],
    ids=lambda v: v if isinstance(v, str) else ",".join(f"{k}={x}" for k, x in v.items()) or "defaults",
)
def test_every_policy_case_returns_rows(runner, preset, params):
    assert runner.run(preset, params).rows, (preset, params)


# --- targets against the latest reported values ------------------------------------------------------


def test_weihai_high_tech_enterprises_target_is_met(runner):
    rows = records(runner, "indicator_targets", region="威海市")
    row = by_key(rows, "high_tech_enterprises")
    # 000 §二(三): 高新技术企业超过1500家; 003: 全市…高新技术企业约1700家 (2024)
    assert (row["target"], row["unit"], row["qualifier"], row["target_year"]) == (1500, "家", "over", 2025)
    assert (row["reported"], row["reported_qualifier"], row["reported_year"]) == (1700, "about", 2024)
    assert (row["status"], row["gap"]) == ("met", 200)
    assert row["target_docs"] == [PLAN] and row["reported_docs"] == [REPORT]
    assert "高新技术企业超过1500家" in row["target_evidence"][0]["sentence"]
    assert "高新技术企业约1700家" in row["reported_evidence"][0]["sentence"]


def test_weihai_rd_intensity_is_behind(runner):
    row = by_key(records(runner, "indicator_targets", region="威海市"), "rd_intensity")
    # 000: 全社会研发经费支出占地区生产总值比重达到2.8%; 003: 全社会研发投入占GDP比重达到2.46%
    assert (row["target"], row["reported"], row["unit"], row["status"]) == (2.8, 2.46, "%", "behind")
    assert row["gap"] == pytest.approx(-0.34)
    assert (row["target_year"], row["reported_year"]) == (2025, 2024)
    target_ev, reported_ev = row["target_evidence"][0], row["reported_evidence"][0]
    assert "达到2.8%" in target_ev["sentence"] and target_ev["doc"] == PLAN
    assert "达到2.46%" in reported_ev["sentence"] and reported_ev["doc"] == REPORT


def test_weihai_tracked_targets(runner):
    rows = records(runner, "indicator_targets", region="威海市")
    tracked = {r["key"]: r["status"] for r in rows if r["status"] != "no data"}
    # 003 reports 2024 figures for five of the plan's 2025 targets
    assert tracked == {
        "high_tech_enterprises": "met",  # >1500 / 约1700
        "tech_smes": "met",  # >2500 / 约2900
        "high_tech_output_share": "met",  # 64% / 72.98%
        "rd_intensity": "behind",  # 2.8% / 2.46%
        "national_platforms": "behind",  # 30 / 29
    }
    # behind first, then met, then no data
    order = [r["status"] for r in rows]
    assert order == sorted(order, key=["behind", "met", "no data"].index)


def test_a_target_without_a_reported_value_has_no_data(runner):
    rows = records(runner, "indicator_targets", region="日照市")
    # 002 sets 2025 targets (高新技术企业总数达到1000家, 科技型中小企业达到1500家); no later document reports
    for key, target in (("high_tech_enterprises", 1000), ("tech_smes", 1500), ("rd_intensity", 3.2)):
        row = by_key(rows, key)
        assert row["target"] == target
        assert row["status"] == "no data"
        assert (row["reported"], row["reported_year"], row["gap"], row["reported_id"]) == (
            None,
            None,
            None,
            None,
        )
        assert row["reported_docs"] == [] and row["reported_evidence"] is None
        assert row["target_docs"] == [RIZHAO_PLAN]
    assert {r["status"] for r in rows} == {"no data"}


def test_every_target_without_a_tracks_edge_is_no_data(runner):
    rows = records(runner, "indicator_targets")  # every place
    untracked = runner.cypher(
        "MATCH (t:Indicator)-[:INDICATOR_OF]->(:Region) WHERE t.kind = 'target' "
        "AND NOT EXISTS { MATCH (:Indicator)-[:TRACKS]->(t) } RETURN t.id AS id"
    ).column("id")
    assert sorted(r["target_id"] for r in rows if r["status"] == "no data") == sorted(untracked)
    tracks = runner.cypher("MATCH (:Indicator)-[x:TRACKS]->(:Indicator) RETURN count(x) AS n").rows[0][0]
    assert sum(1 for r in rows if r["status"] in ("met", "behind")) == tracks == 5
    assert {r["region"] for r in rows} == {"威海市", "日照市"}


def test_targets_by_alias_are_the_same(runner):
    assert records(runner, "indicator_targets", region="威海") == records(
        runner, "indicator_targets", region="威海市"
    )


# --- every figure about a place ------------------------------------------------------------------------


def test_every_rd_intensity_figure_of_weihai(runner):
    rows = records(runner, "indicators_of_region", region="威海市", key="rd_intensity")
    got = [(r["kind"], r["year"], r["value"], r["unit"]) for r in rows]
    # 000 §一: 全社会研发经费投入占比达到2.36% (2020); §二(三): 达到2.8% (2025); 003: 达到2.46% (2024)
    assert got == [("reported", 2020, 2.36, "%"), ("reported", 2024, 2.46, "%"), ("target", 2025, 2.8, "%")]
    for r in rows:
        assert f"{r['value']:g}%" in r["sentence"]
    assert one(rows, "year", 2024)["documents"] == [REPORT]


def test_figures_filtered_by_kind_with_qualifiers(runner):
    rows = records(runner, "indicators_of_region", region="威海市", kind="reported")
    assert rows and {r["kind"] for r in rows} == {"reported"}
    assert {r["region"] for r in rows} == {"威海市"}
    smes = [r for r in by(rows, "key", "tech_smes") if r["year"] == 2024]
    assert [(r["value"], r["qualifier"]) for r in smes] == [
        (2900, "about")
    ]  # 003: 国家科技型中小企业约2900家
    baselines = records(runner, "indicators_of_region", region="日照市", kind="baseline")
    # 002: 高新技术企业数量由2015年的39家提高到2020年的296家
    assert (39, 2015) in {(r["value"], r["year"]) for r in by(baselines, "key", "high_tech_enterprises")}


def test_figures_of_every_place(runner):
    rows = records(runner, "indicators_of_region")
    n = runner.cypher("MATCH (i:Indicator)-[:INDICATOR_OF]->(:Region) RETURN count(i) AS n").rows[0][0]
    assert len(rows) == n
    assert {r["kind"] for r in rows} == {"target", "reported", "baseline"}
    assert all(r["documents"] and r["sentence"] for r in rows)


# --- places side by side -------------------------------------------------------------------------------


def test_rd_intensity_targets_side_by_side(runner):
    rows = records(runner, "indicators_side_by_side")  # default: targets
    rd = by(rows, "key", "rd_intensity")
    # 000: …比重达到2.8%; 002: …比重达3.2%
    assert [(r["region"], r["value"], r["unit"], r["year"]) for r in rd] == [
        ("威海市", 2.8, "%", 2025),
        ("日照市", 3.2, "%", 2025),
    ]
    assert {r["key"] for r in rows} >= {
        "rd_intensity",
        "high_tech_enterprises",
        "tech_smes",
        "researchers_per_10k_employed",
        "tech_contract_turnover",
        "high_value_patents_per_10k",
    }
    assert [(r["key"], r["region"]) for r in rows] == sorted((r["key"], r["region"]) for r in rows)
    assert all(r["n_regions"] >= 2 and r["kind"] == "target" for r in rows)
    researchers = {r["region"]: r["value"] for r in by(rows, "key", "researchers_per_10k_employed")}
    assert researchers == {"威海市": 85, "日照市": 70}  # 每万名就业人员中研发人员 85 / 70人年


def test_latest_reported_values_side_by_side(runner):
    rows = records(runner, "indicators_side_by_side", kind="reported", key="high_tech_enterprises")
    # 003: 高新技术企业约1700家 (2024, not 000's 2020 figure); 002: 2020年的296家
    assert [(r["region"], r["year"], r["value"]) for r in rows] == [
        ("威海市", 2024, 1700),
        ("日照市", 2020, 296),
    ]


def test_one_place_only_with_min_regions_one(runner):
    rows = records(runner, "indicators_side_by_side", kind="baseline", key="rd_intensity", min_regions=1)
    assert [(r["region"], r["year"], r["value"], r["n_regions"]) for r in rows] == [("日照市", 2015, 1.23, 1)]
    assert records(runner, "indicators_side_by_side", kind="baseline", key="rd_intensity") == []


# --- what a kind of platform can be awarded ---------------------------------------------------------------


def test_national_key_laboratory_awards(runner):
    rows = records(runner, "awards_by_kind", kind="全国重点实验室")
    # 001 第1条: 对获批全国重点实验室的单位,牵头创建的给予1000万元奖励,参与创建的给予500万元奖励
    assert [(r["amount_wan"], r["role"], r["grant"], r["cap"]) for r in rows] == [
        (1000, "牵头创建", "奖励", False),
        (500, "参与创建", "奖励", False),
    ]
    assert {(r["number"], r["measure"]) for r in rows} == {(1, "优化技术创新平台布局")}
    assert "威海市科技局" in rows[0]["agencies"]


def test_incubator_awards_are_capped(runner):
    rows = records(runner, "awards_by_kind", kind="孵化器")
    national = one(rows, "award_kind", "国家级科技企业孵化器")
    # 001 第29条: 对新获批国家级科技企业孵化器…给予不超过100万元奖励; 入选山东省品牌科技企业孵化器…10万元
    assert (national["amount_wan"], national["cap"], national["number"]) == (100, True, 29)
    assert all("孵化器" in r["award_kind"] for r in rows)
    brand = [r for r in rows if "品牌科技企业孵化器" in r["award_kind"]]
    assert [(r["amount_wan"], r["cap"]) for r in brand] == [(10, False)]


def test_every_award_is_listed_without_a_filter(runner):
    rows = records(runner, "awards_by_kind")
    n = runner.cypher("MATCH (:Measure)-[w:AWARDS]->(:AwardKind) RETURN count(w) AS n").rows[0][0]
    assert len(rows) == n > 0
    assert {r["grant"] for r in rows} <= {"奖励", "补助"}
