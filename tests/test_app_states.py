"""What the app says it knows, on the corpus graph plus an invented city's plan (tests/fixtures/docs/
xichuan_plan.txt): a chain whose links, gaps and one supported link are stated, and a chain named with
nothing else. The chain page and the support matrix show the first with its facts and "none in the
documents" for what the documents leave out, and the second as "nothing known" — never as a chain with no
gaps. In Chinese, as a planner reads it; the matrix also on Neo4j.

The page helpers and the `env` / `store_env` fixtures come from tests/test_app_pages.py.
"""

# `env` and `store_env` imported from tests/test_app_pages.py run on this module's `built` graph.
# ruff: noqa: F811

from __future__ import annotations

import html
import io

import pandas as pd
import pytest

from app import chains, i18n, image, matrix, regions, ui
from tests.app_graph import (
    BLANK_CHAIN,
    INVENTED_CITY,
    INVENTED_CLUSTER,
    KNOWN_CHAIN,
    KNOWN_LACKS,
    KNOWN_LINKS,
    SUPPORTED_LINK,
    AppGraph,
    app_env,
    build_app_graph,
    invented_extractions,
)
from tests.test_app_pages import (  # noqa: F401  (fixtures)
    direct_runner,
    env,
    iframes,
    markdown_bodies,
    network_nodes,
    run_page,
    store_env,
)

CHAINS = "views/2_Chain_gaps.py"
MATRIX = "views/7_Matrix.py"
REGIONS = "views/8_Regions.py"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> AppGraph:
    return build_app_graph(tmp_path_factory.mktemp("app_states"), extra=invented_extractions())


def node_id(built: AppGraph, label: str, name: str) -> str:
    (found,) = [i for i, n in built.graph.nodes.items() if n.label == label and n.name == name]
    return found


def whole(kind: str) -> str:
    with i18n.using("zh"):
        return matrix.whole_name(kind)


def texts(at) -> str:
    """Everything a page says in words: markdown, captions, alerts, metrics, titles."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [a.value for kind in ("info", "warning", "error", "success") for a in at.get(kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric] + [t.value for t in at.title]
    parts += [s.value for s in at.subheader]
    return "\n".join(parts)


def test_the_invented_plan_is_extracted_as_the_tests_expect(built: AppGraph):
    """The facts the page tests rely on are in the graph (else they would test nothing)."""
    graph = built.graph
    chain = node_id(built, "IndustryChain", KNOWN_CHAIN)
    links = {graph.nodes[e.dst].name for e in graph.edges if e.type == "HAS_LINK" and e.src == chain}
    lacks = {graph.nodes[e.dst].name for e in graph.edges if e.type == "LACKS" and e.src == chain}
    assert links == set(KNOWN_LINKS) and lacks == set(KNOWN_LACKS)
    link, actor = SUPPORTED_LINK
    assert any(
        e.type == "SUPPORTS" and graph.nodes[e.src].name == actor and graph.nodes[e.dst].name == link
        for e in graph.edges
    )
    blank = node_id(built, "IndustryChain", BLANK_CHAIN)
    assert not [e for e in graph.edges if e.src == blank and e.type in ("HAS_LINK", "LACKS")]


def test_a_chain_with_links_and_gaps_shows_them_with_their_evidence(built: AppGraph):
    chain = node_id(built, "IndustryChain", KNOWN_CHAIN)
    at = run_page(CHAINS, lang="zh", chain=chain)
    assert at.selectbox(key="chain").value == chain
    said = texts(at)
    assert "尚无信息" not in "\n".join(w.value for w in at.warning)
    links = next(df.value for df in at.dataframe if i18n.COLUMNS["link"] in df.value.columns)
    assert set(links[i18n.COLUMNS["link"]]) == set(KNOWN_LINKS)
    ords = [int(o) for o in links[i18n.COLUMNS["ord"]]]
    assert ords == sorted(ords)  # in the chain's order
    assert all(links[i18n.COLUMNS["evidence"]])  # each link with its sentence
    link, actor = SUPPORTED_LINK
    supported = dict(zip(links[i18n.COLUMNS["link"]], links[i18n.COLUMNS["supported by"]], strict=True))
    assert supported[link] == actor
    body = markdown_bodies(at)
    for lack in KNOWN_LACKS:
        assert f"<b>{html.escape(lack)}</b>" in body
    assert body.count("<mark><b>") >= len(KNOWN_LACKS) + 1  # the lacks' and the support's sentences
    # The links nobody supports: the documents list them and name no supporter — "none", with the document.
    nones = "\n".join(i.value for i in at.info)
    unsupported = [x for x in KNOWN_LINKS if x != link]
    assert "文件中为无" in nones and all(x in nones for x in unsupported)
    assert "xichuan_plan.txt" in nones
    assert "✔ **已找到** · 5 个环节" in said


def test_a_chain_named_without_links_is_nothing_known_not_nothing_lacking(built: AppGraph):
    chain = node_id(built, "IndustryChain", BLANK_CHAIN)
    at = run_page(CHAINS, lang="zh", chain=chain)
    assert at.selectbox(key="chain").value == chain
    warnings = "\n".join(w.value for w in at.warning)
    assert "尚无信息" in warnings and "不是“没有短板”" in warnings
    assert "可以补充" in warnings  # what the user could add
    figures = {m.label: m.value for m in at.metric}
    assert figures["短板"] == "—" and figures["缺少项"] == "—" and figures["环节"] == "—"
    assert "文件中为无" not in "\n".join(i.value for i in at.info)  # not "the documents say none"
    ranking = next(df.value for df in at.dataframe if i18n.COLUMNS["gaps"] in df.value.columns)
    row = ranking[ranking[i18n.COLUMNS["chain"]] == BLANK_CHAIN].iloc[0]
    assert row[i18n.COLUMNS["gaps"]] == "—" and row[i18n.COLUMNS["what is known"]].startswith("尚无信息")


def test_the_chain_selector_marks_what_is_unknown(built: AppGraph):
    at = run_page(CHAINS, lang="zh")
    options = at.selectbox(key="chain").options
    blank = [o for o in options if o.startswith(BLANK_CHAIN)]
    known = [o for o in options if o.startswith(KNOWN_CHAIN)]
    assert blank and blank[0].endswith("尚无信息") and known and "短板排名" in known[0]


def test_the_matrix_of_a_chain_on_both_stores(store_env: dict[str, str], built: AppGraph):
    link, actor = SUPPORTED_LINK
    with app_env(store_env):
        at = run_page(MATRIX, lang="zh", chain=KNOWN_CHAIN)
        grid = at.dataframe[0].value
        first = i18n.COLUMNS["link"]
        assert grid.columns[0] == first and grid.columns[-1] == i18n.COLUMNS["supporters"]
        rows = dict(zip(grid[first], grid.to_dict("records"), strict=True))
        assert set(rows) == {whole("chain"), *KNOWN_LINKS}
        assert rows[link][actor] == matrix.MARK
        for name in KNOWN_LINKS:
            if name != link:
                assert rows[name][i18n.COLUMNS["supporters"]] == "0" and not rows[name][actor]
        # the unsupported links are highlighted, and listed as "none in the documents"
        nones = "\n".join(i.value for i in at.info)
        assert all(x in nones for x in KNOWN_LINKS if x != link) and "文件中为无" in nones
        assert "<mark><b>" in markdown_bodies(at)  # the evidence behind the mark
        labels = [d.proto.label for d in at.get("download_button")]
        assert {"下载矩阵 CSV", "下载证据 CSV", "下载图片 (PNG)"} <= set(labels)


def test_the_matrix_of_a_cluster_on_both_stores(store_env: dict[str, str], built: AppGraph):
    link, actor = SUPPORTED_LINK
    with app_env(store_env):
        runner = direct_runner()
        try:
            want = runner.run("cluster_matrix", {"cluster": INVENTED_CLUSTER}).records()
        finally:
            runner.store.close()
        at = run_page(MATRIX, lang="zh", cluster=INVENTED_CLUSTER)
        grid = at.dataframe[0].value
        rows = dict(zip(grid[i18n.COLUMNS["chain"]], grid.to_dict("records"), strict=True))
        assert set(rows) == {whole("cluster"), KNOWN_CHAIN}
        assert rows[KNOWN_CHAIN][actor] == link  # supports the chain through that link
        cluster_supporters = {r["actor"] for r in want if r["chain"] is None}
        assert actor in cluster_supporters
        assert rows[whole("cluster")][actor] == matrix.MARK


def test_csv_has_a_bom_and_the_image_is_a_png(built: AppGraph):
    frame = pd.DataFrame([{"环节": "藻种繁育", "支撑主体数": 0}])
    data = ui.csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    assert pd.read_csv(io.BytesIO(data), encoding="utf-8-sig").iloc[0]["环节"] == "藻种繁育"
    if image.cjk_font() is None:
        with pytest.raises(LookupError):
            image.table_png("t", ["a"], [["b"]])
        return
    png = image.table_png(
        "褐藻精深加工产业链:支撑矩阵", ["环节", "汐川中心", "支撑主体数"], [["藻种繁育", "", "0"]], {0}
    )
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 2000


def test_regions_side_by_side_are_the_preset_rows(built: AppGraph):
    runner = direct_runner()
    try:
        rows = runner.run("regions_side_by_side", {}, row_cap=100_000).records()
        targets = runner.run("indicators_side_by_side", {"kind": "target", "min_regions": 1}).records()
    finally:
        runner.store.close()
    homes = regions.regions(rows)
    assert INVENTED_CITY in homes and len(homes) >= 3  # the corpus' two cities and the invented one
    at = run_page(REGIONS, lang="zh")
    summary = at.dataframe[0].value
    assert list(summary[i18n.COLUMNS["region"]]) == homes
    with i18n.using("zh"):
        want = regions.summary(rows, targets, homes)
    for shown, expected in zip(summary.to_dict("records"), want, strict=True):
        for key in regions.SUMMARY_COLUMNS[1:]:
            assert int(shown[i18n.COLUMNS[key]]) == expected[key], (expected["region"], key)
    invented = next(r for r in want if r["region"] == INVENTED_CITY)
    assert invented["industry chains"] == 2 and invented["industry clusters"] == 2
    table = next(m.value for m in at.markdown if "ikg-regions" in m.value)
    xichuan = [r for r in rows if r["region"] == INVENTED_CITY and r["label"] == "IndustryChain"]
    for r in xichuan:  # each name links to its actor page
        assert html.escape(r["name"]) in table and "Actor?id=" in table


def test_the_explore_page_opens_on_the_structure(built: AppGraph):
    at = run_page("views/1_Explore.py", lang="zh")
    assert at.radio(key="explore_mode").value == "structure"
    system = at.selectbox(key="explore_system").value
    assert system  # the first counted system, and the page says which
    assert any(system in c.value for c in at.caption)
    (page,) = iframes(at)
    drawn = network_nodes(page)
    labels = {n["ikg_label"] for n in drawn}
    assert {"IndustryCluster", "IndustryChain", "InnovationSystem"} <= labels
    assert not labels & {"Indicator", "Measure", "Document"}  # not a star of figures
    # its clusters and chains: those the documents naming the system name (not the invented city's)
    runner = direct_runner()
    try:
        docs = [d["document"] for d in runner.run("documents_mentioning", {"actor": system}).records()]
        named = {r["id"] for d in docs for r in runner.run("document_entities", {"document": d}).records()}
    finally:
        runner.store.close()
    assert {n["id"] for n in drawn} <= named
    assert not {n["ikg_name"] for n in drawn} & {KNOWN_CHAIN, BLANK_CHAIN, INVENTED_CLUSTER}
    at.toggle(key="explore_same_docs").set_value(False).run()
    drawn = network_nodes(iframes(at)[0])
    assert {n["ikg_name"] for n in drawn} >= {KNOWN_CHAIN, BLANK_CHAIN, INVENTED_CLUSTER}


def test_chain_helpers_name_the_states():
    with i18n.using("en"):
        assert chains.known(None).startswith("nothing known")
        assert chains.known({"n_links": 3, "n_lacks": 0}) == "3 links, no lack stated"
    with i18n.using("zh"):
        assert chains.known({"n_links": 0, "n_lacks": 2}) == "环节未知,缺少 2 项"
