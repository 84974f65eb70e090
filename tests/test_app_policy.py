"""The Policy page (app/views/6_Policy.py) under AppTest: its tables show what the presets return.

The graph is the app tests' corpus graph (tests/app_graph.py) plus a hostile policy layer: a tracked target
and an award kind whose names, unit, role and evidence are HTML. The page helpers (`run_page`, the `env`
fixture pointing the app at the graph, `_runner`) come from tests/test_app_pages.py.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from app import data, policy, ui
from graph.model import Edge, Graph, Node
from graph.stores.ladybug import LadybugStore
from tests.app_graph import XSS_ALIAS, XSS_NAME, AppGraph, app_env, build_app_graph, hostile_evidence

# `env` is autouse there and, imported, here too: it points the app at this module's `built` graph.
from tests.test_app_pages import _runner, env, markdown_bodies, metric, run_page  # noqa: F401

PAGE = "views/6_Policy.py"
HOSTILE_TARGET = "Indicator:hostile-target"
HOSTILE_REPORTED = "Indicator:hostile-reported"
HOSTILE_KIND = f"AwardKind:{XSS_NAME}"
HOSTILE_UNIT = "<i>家</i>"


# --- the graph: the corpus plus a hostile policy layer ------------------------------------------------


def add_hostile_policy(graph: Graph) -> str:
    """A target and a later reported value named XSS_NAME (met: the report tracks it) about a place the
    documents give no figure for, and an award kind named XSS_NAME with role XSS_ALIAS. Returns the place."""
    with_figures = {e.dst for e in graph.edges if e.type == "INDICATOR_OF"}
    region_id = sorted(i for i, n in graph.nodes.items() if n.label == "Region" and i not in with_figures)[0]
    region = graph.nodes[region_id].name
    ev = hostile_evidence(graph)
    for node_id, kind, value, year in (
        (HOSTILE_TARGET, "target", 1.0, 2099),
        (HOSTILE_REPORTED, "reported", 2.0, 2098),
    ):
        props = {
            "key": "",
            "indicator": XSS_NAME,
            "metric": XSS_NAME,
            "kind": kind,
            "value": value,
            "unit": HOSTILE_UNIT,
            "value_base": value,
            "base_unit": "个",
            "unit_class": "count",
            "qualifier": "",
            "year": year,
            "year_source": "sentence",
            "better": "higher",
            "region": region,
        }
        graph.nodes[node_id] = Node(node_id, "Indicator", XSS_NAME, [], props, [ev["doc_id"]])
        graph.edges.append(Edge(node_id, region_id, "INDICATOR_OF", {}, [ev]))
        graph.edges.append(Edge(node_id, ev["doc_id"], "MENTIONED_IN", {"n_mentions": 1}, [ev]))
    graph.edges.append(Edge(HOSTILE_REPORTED, HOSTILE_TARGET, "TRACKS", {"status": "met", "gap": 1.0}, [ev]))
    measure = min((n for n in graph.nodes.values() if n.label == "Measure"), key=lambda n: n.props["number"])
    graph.nodes[HOSTILE_KIND] = Node(HOSTILE_KIND, "AwardKind", XSS_NAME, [], {}, [ev["doc_id"]])
    props = {"amount_wan": 1.0, "cap": False, "grant": "奖励", "role": XSS_ALIAS}
    graph.edges.append(Edge(measure.id, HOSTILE_KIND, "AWARDS", props, [ev]))
    return region


def build_policy_app_graph(folder: Path) -> AppGraph:
    """The app tests' graph (tests/app_graph.py) plus the hostile policy layer, in folder/graph.lbdb."""
    built = build_app_graph(folder)
    add_hostile_policy(built.graph)
    store = LadybugStore(built.db)
    try:
        store.load(built.graph)  # replaces the file
    finally:
        store.close()
    return built


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> AppGraph:
    return build_policy_app_graph(tmp_path_factory.mktemp("app_policy"))


# --- helpers ------------------------------------------------------------------------------------------


def frame_with(at: Any, *columns: str) -> pd.DataFrame:
    """The page's table holding these columns."""
    return next(df.value for df in at.dataframe if set(columns) <= set(df.value.columns))


def cells(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows with pandas' missing values as None (NaN, <NA>)."""
    return [{k: (None if pd.isna(v) else v) for k, v in row.items()} for row in frame.to_dict("records")]


def want(built: AppGraph, preset: str, **params: Any) -> list[dict[str, Any]]:
    return _runner(built).run(preset, params).records()


def hostile_region(built: AppGraph) -> str:
    return built.graph.nodes[HOSTILE_TARGET].props["region"]


# --- targets against reported values ------------------------------------------------------------------


def test_targets_table_is_the_preset_answer(built: AppGraph):
    at = run_page(PAGE)
    region = at.selectbox(key="policy_region").value
    assert region == "威海市"  # the place whose targets a later report tracks
    rows = want(built, "indicator_targets", region=region)
    frame = frame_with(at, *policy.TARGET_COLUMNS)
    assert list(frame.columns) == policy.TARGET_COLUMNS
    assert cells(frame) == policy.targets_table(rows)
    statuses = [r["status"] for r in rows]
    assert metric(at, "Targets") == str(len(rows))
    for label, status in (("Met", "met"), ("Behind", "behind"), ("No data", "no data")):
        assert metric(at, label) == str(statuses.count(status))
    shown = {r["indicator"]: r for r in cells(frame)}
    # 000: 高新技术企业超过1500家 (2025); 003: 高新技术企业约1700家 (2024)
    hte = shown["高新技术企业数量"]
    assert (hte["status"], hte["target"], hte["latest reported"], hte["gap"]) == (
        "✓ met",
        ">1500家",
        "约1700家",
        "+200",
    )
    assert (hte["target year"], hte["reported year"]) == ("2025", "2024")
    rd = shown["全社会研发经费投入强度(占GDP比重)"]
    assert (rd["status"], rd["target"], rd["latest reported"], rd["gap"]) == (
        "✗ behind",
        "2.8%",
        "2.46%",
        "-0.34",
    )
    assert {"✓ met", "✗ behind", "– no data"} <= set(frame["status"])
    assert "Download CSV" in [d.proto.label for d in at.get("download_button")]


def test_statuses_are_coloured():
    assert "#d4edda" in policy.status_style("✓ met")
    assert "#f8d7da" in policy.status_style("✗ behind")
    assert "#eeeeee" in policy.status_style("– no data")
    assert policy.status_style("other") == ""


def test_each_tracked_target_shows_both_sentences_on_expand(built: AppGraph):
    at = run_page(PAGE)
    rows = want(built, "indicator_targets", region=at.selectbox(key="policy_region").value)
    tracked = [r for r in rows if r["status"] != "no data"]
    assert len(tracked) == 5
    expanders = {e.label: e for e in at.expander}
    for r in tracked:
        (label,) = [
            k for k in expanders if ui.md(r["indicator"]) + "\\:" in k and policy.mark(r["status"]) in k
        ]
        body = "\n".join(m.value for m in expanders[label].markdown)
        for side in ("target_evidence", "reported_evidence"):
            ev = r[side][0]
            assert f"<mark><b>{html.escape(ev['text'])}</b></mark>" in body, (r["key"], side)
            assert html.escape(ev["doc"]) in body
    untracked = [r for r in rows if r["status"] == "no data"]
    (label,) = [k for k in expanders if k.startswith("Targets without a reported value")]
    body = "\n".join(m.value for m in expanders[label].markdown)
    for r in untracked:
        assert html.escape(r["target_evidence"][0]["text"]) in body


def test_a_place_without_reports_has_only_no_data(built: AppGraph):
    at = run_page(PAGE, region="日照市")
    assert at.selectbox(key="policy_region").value == "日照市"
    frame = frame_with(at, *policy.TARGET_COLUMNS)
    assert set(frame["status"]) == {"– no data"}
    assert cells(frame) == policy.targets_table(want(built, "indicator_targets", region="日照市"))
    # 002: 全社会研发(R&D)经费支出占地区生产总值比重达3.2%
    assert "3.2%" in set(frame[frame["key"] == "rd_intensity"]["target"])
    at.selectbox(key="policy_region").set_value("威海市").run()
    assert "✓ met" in set(frame_with(at, *policy.TARGET_COLUMNS)["status"])


def test_hostile_names_units_and_sentences_are_escaped(built: AppGraph):
    at = run_page(PAGE, region=hostile_region(built))
    body = markdown_bodies(at)
    labels = " ".join(e.label for e in at.expander)
    for raw in (XSS_NAME, XSS_ALIAS, HOSTILE_UNIT, "<b>粗体</b>", "<i>测试章节</i>"):
        assert raw not in body and raw not in labels
    assert f"<mark><b>{html.escape(XSS_NAME)}</b></mark>" in body
    assert html.escape("<i>测试章节</i>") in body
    assert ui.md(XSS_NAME) in labels
    frame = frame_with(at, *policy.TARGET_COLUMNS)
    hostile = frame[frame["indicator"] == XSS_NAME]  # a table cell is text, shown as is
    assert list(hostile["status"]) == ["✓ met"] and list(hostile["target"]) == [f"1{HOSTILE_UNIT}"]
    at.text_input(key="award_kind").input(XSS_NAME).run()
    assert not at.exception
    awards = frame_with(at, *policy.AWARD_COLUMNS)
    assert list(awards["award kind"]) == [XSS_NAME] and list(awards["role"]) == [XSS_ALIAS]
    assert XSS_NAME not in markdown_bodies(at)


# --- places side by side ----------------------------------------------------------------------------------


def test_side_by_side_is_the_preset_pivoted(built: AppGraph):
    at = run_page(PAGE)
    assert at.selectbox(key="compare_kind").value == "target"
    places = at.multiselect(key="compare_places").value
    rows = want(built, "indicators_side_by_side", kind="target", min_regions=2)
    assert sorted(places) == sorted({r["region"] for r in rows}) == ["威海市", "日照市"]
    columns, wide = policy.side_by_side(rows, places)
    frame = frame_with(at, "indicator", "key", "highest", *places)
    assert list(frame.columns) == columns
    assert cells(frame) == wide
    rd = one_row(frame, "rd_intensity")
    # 000: …比重达到2.8%; 002: …比重达3.2%
    assert (rd["威海市"], rd["日照市"], rd["highest"]) == ("2.8% (2025)", "3.2% (2025)", "日照市")
    hte = one_row(frame, "high_tech_enterprises")
    assert (hte["威海市"], hte["日照市"]) == (">1500家 (2025)", "1000家 (2025)")

    at.selectbox(key="compare_kind").set_value("reported").run()
    hte = one_row(frame_with(at, "indicator", "key", "highest"), "high_tech_enterprises")
    assert (hte["威海市"], hte["日照市"]) == ("约1700家 (2024)", "296家 (2020)")  # each place's latest

    at.multiselect(key="compare_places").set_value(["威海市"]).run()
    assert any("two or more places" in i.value for i in at.info)


def one_row(frame: pd.DataFrame, key: str) -> dict[str, Any]:
    (row,) = cells(frame[frame["key"] == key])
    return row


# --- measures and awards --------------------------------------------------------------------------------


def test_measures_by_agency_with_their_awards(built: AppGraph):
    at = run_page(PAGE)
    frame = frame_with(at, *policy.MEASURE_COLUMNS)
    assert cells(frame) == policy.measures_table(want(built, "measures_by_agency"))
    agency = "威海市科技局"  # 001: 市科技局 answers for most of the 32 measures
    at.selectbox(key="policy_agency").set_value(agency).run()
    rows = want(built, "measures_by_agency", agency=agency)
    frame = frame_with(at, *policy.MEASURE_COLUMNS)
    assert cells(frame) == policy.measures_table(rows)
    assert set(frame["agency"]) == {agency}
    first = one_row_by(frame, "no.", 1)
    # 001 第1条: 对获批全国重点实验室的单位,牵头创建的给予1000万元奖励,参与创建的给予500万元奖励
    assert "全国重点实验室(牵头创建): 1000万元 奖励" in first["awards"]
    assert "全国重点实验室(参与创建): 500万元 奖励" in first["awards"]


def one_row_by(frame: pd.DataFrame, column: str, value: Any) -> dict[str, Any]:
    (row,) = cells(frame[frame[column] == value])
    return row


def test_what_a_national_key_laboratory_can_be_awarded(built: AppGraph):
    at = run_page(PAGE)
    everything = frame_with(at, *policy.AWARD_COLUMNS)
    assert len(everything) == len(want(built, "awards_by_kind"))
    at.text_input(key="award_kind").input("全国重点实验室").run()
    frame = frame_with(at, *policy.AWARD_COLUMNS)
    rows = want(built, "awards_by_kind", kind="全国重点实验室")
    assert cells(frame) == policy.awards_table(rows)
    got = [(r["role"], r["amount (万元)"], r["fixed or cap"], r["grant"], r["no."]) for r in cells(frame)]
    assert got == [("牵头创建", 1000, "fixed", "奖励", 1), ("参与创建", 500, "fixed", "奖励", 1)]
    at.text_input(key="award_kind").input("孵化器").run()
    incubator = one_row_by(frame_with(at, *policy.AWARD_COLUMNS), "award kind", "国家级科技企业孵化器")
    assert (incubator["amount (万元)"], incubator["fixed or cap"]) == (100, "up to (最高)")  # 不超过100万元
    at.text_input(key="award_kind").input("没有这一类").run()
    assert any("no rewarded kind" in i.value for i in at.info)  # none in the documents
    assert len(at.get("download_button")) >= 3


# --- without a policy layer, and on Neo4j -------------------------------------------------------------------

POLICY_LABELS = {"Indicator", "Measure", "AwardKind"}


def test_a_graph_without_the_policy_layer_says_so(built: AppGraph, tmp_path: Path):
    nodes = {i: n for i, n in built.graph.nodes.items() if n.label not in POLICY_LABELS}
    kept = set(nodes) | set(built.graph.documents)
    edges = [e for e in built.graph.edges if e.src in kept and e.dst in kept]
    graph = Graph(nodes, edges, dict(built.graph.documents))
    store = LadybugStore(tmp_path / "graph.lbdb")
    try:
        store.load(graph)
    finally:
        store.close()
    with app_env({**built.env, "IKG_DB": str(tmp_path / "graph.lbdb"), "IKG_GRAPH_DIR": str(tmp_path)}):
        at = run_page(PAGE)
    assert not at.error
    notes = " ".join(w.value for w in at.warning)  # nothing known: nothing was extracted for them
    assert "no targets" in notes and "no numbered policy measures" in notes and "no awards" in notes
    assert notes.count("Nothing known") >= 3
    assert not at.dataframe


@pytest.mark.neo4j
def test_the_page_shows_the_same_tables_on_neo4j(built: AppGraph, request: pytest.FixtureRequest):

    embedded = run_page(PAGE)
    conn = request.getfixturevalue("neo4j_connection")
    loader = conn.store()
    try:
        loader.clear()
        loader.load(built.graph)
        env_neo4j = {"IKG_STORE": "neo4j", **conn.env()}
        with app_env(env_neo4j):
            assert data.source().kind == "neo4j"
            on_neo4j = run_page(PAGE)
            assert "Neo4j" in on_neo4j.sidebar.markdown[0].value
            assert [cells(df.value) for df in on_neo4j.dataframe] == [
                cells(df.value) for df in embedded.dataframe
            ]
            assert [m.value for m in on_neo4j.metric] == [m.value for m in embedded.metric]
            assert [e.label for e in on_neo4j.expander] == [e.label for e in embedded.expander]
    finally:
        loader.clear()
        loader.close()
