"""The app's pages under AppTest, on the corpus graph (plus a hostile actor) in a tmp LadybugDB, and on
Neo4j where a test says so: what a page shows is checked against what the presets return."""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from streamlit.testing.v1 import AppTest

from app import cli, data, i18n, ui, viz
from graph.schema import MENTIONED_IN, NODE_SPECS, NON_ACTOR_LABELS, NON_ACTOR_RELS
from graph.stores.base import open_store
from queries.dialect import ACTOR_LABELS, ACTOR_RELS
from queries.runner import Runner
from tests.app_graph import XSS_ALIAS, XSS_ID, XSS_NAME, AppGraph, app_env, build_app_graph

HOME = str(Path(__file__).resolve().parent.parent / "app" / "Home.py")
TIMEOUT = 60


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> AppGraph:
    return build_app_graph(tmp_path_factory.mktemp("app_pages"))


@pytest.fixture(autouse=True)
def env(built: AppGraph):
    with app_env(built.env):
        yield


def run_page(page: str | None = None, lang: str = "en", **query: str) -> AppTest:
    """A page under AppTest, in English unless asked (these tests read the English texts; the Chinese
    interface has tests of its own in tests/test_app_i18n.py)."""
    i18n.use(lang)  # AppTest calls a widget's format_func in this thread too (set_value)
    at = AppTest.from_file(HOME, default_timeout=TIMEOUT)
    if page:
        at.switch_page(page)
    at.query_params["lang"] = lang
    for name, value in query.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def iframes(at: AppTest) -> list[str]:
    """The network pages a page drew (each in the network component, app/ui.py show_network)."""
    return [json.loads(el.proto.json)["html"] for el in at.get("bidi_component")]


def network_nodes(page: str) -> list[dict[str, Any]]:
    match = re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", page, re.DOTALL)
    assert match, "no vis DataSet in the network page"
    return json.loads(match.group(1))


def markdown_bodies(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def key_of(built: AppGraph) -> data.Key:
    return data.key(data.source())


def actor_edge(graph, edge) -> bool:
    """A relationship the degree counts: between actors and structures, not provenance or figures."""
    if edge.type in NON_ACTOR_RELS:
        return False
    return all(graph.label_of(end) not in NON_ACTOR_LABELS for end in (edge.src, edge.dst))


def direct_runner() -> Runner:
    """A runner of its own on the store the app reads (not the app's cached one)."""
    src = data.source()
    store = open_store("embedded", path=src.location) if src.kind == "embedded" else open_store("neo4j")
    return Runner(store, row_cap=100_000)


@pytest.fixture(scope="module", params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store_env(request: pytest.FixtureRequest, built: AppGraph) -> Iterator[dict[str, str]]:
    """The app's environment on either store holding the same graph (Neo4j loaded from it)."""

    if request.param == "embedded":
        yield built.env
        return
    conn = request.getfixturevalue("neo4j_connection")
    loader = conn.store()
    loader.clear()
    loader.load(built.graph)  # a new build: nothing cached for an earlier graph here is answered
    try:
        yield {"IKG_STORE": "neo4j", "IKG_GRAPH_DIR": str(built.folder), **conn.env()}
    finally:
        loader.clear()
        loader.close()


# --- Overview ---------------------------------------------------------------------------------------


def test_overview_shows_documents_counts_structures_and_quality(built: AppGraph):
    at = run_page()
    graph = built.graph
    assert metric(at, "Documents") == str(len(graph.documents))
    assert metric(at, "Entities") == str(len(graph.nodes))
    assert metric(at, "Relationships") == str(sum(1 for e in graph.edges if e.type != MENTIONED_IN))
    counts = Counter(n.label for n in graph.nodes.values())
    assert metric(at, "Industry clusters") == str(counts["IndustryCluster"])
    assert metric(at, "Industry chains") == str(counts["IndustryChain"])
    assert metric(at, "Merged") == str(built.report.merged)
    assert metric(at, "Pruned") == str(sum(built.report.pruned.values()))

    frames = [df.value for df in at.dataframe]
    documents = frames[0]
    assert set(documents["title"]) == {d.title for d in graph.documents.values()}
    assert set(documents["file"]) == {d.name for d in graph.documents.values()}
    by_type = dict(zip(frames[1]["type"], frames[1]["count"], strict=True))
    for label, n in counts.items():
        assert by_type[NODE_SPECS[label].en] == n  # types by their names, never the codes
    # The sidebar says which store the app reads.
    assert "embedded LadybugDB" in at.sidebar.markdown[0].value


def test_counted_structures_are_the_preset_rows(built: AppGraph):
    graph = built.graph
    declared = {n.name: n for n in graph.nodes.values() if n.label == "InnovationSystem"}
    assert any(n.props.get("declared_total") for n in declared.values()), "corpus has a declared system"
    runner = direct_runner()
    want = {
        r["structure"]: r
        for r in runner.run("counted_structures").records()
        if r["kind"] == "InnovationSystem"
    }
    at = run_page()
    table = next(df.value for df in at.dataframe if "structure" in df.value.columns)
    assert set(table["structure"]) == set(declared) == set(want)
    for row in table.to_dict("records"):
        w = want[row["structure"]]
        for column in ("declared", "named", "unnamed", "documents"):
            shown = None if row[column] == "—" else int(row[column])  # a column with a gap is text
            assert shown == w[column], (row["structure"], column)
        members = runner.run("system_members", {"system": row["structure"]}).records()
        shown = {m for m in row["members"].split(", ") if m}
        assert shown == {m["member"] for m in members if m["member"]}


def test_clusters_to_chains_cover_every_chain(built: AppGraph):
    at = run_page()
    table = next(df.value for df in at.dataframe if "chain names" in df.value.columns)
    chains = {n.name for n in built.graph.nodes.values() if n.label == "IndustryChain"}
    listed = {name for names in table["chain names"] for name in names.split(", ") if name}
    assert listed == chains
    clusters = direct_runner().run("cluster_overview").records()
    assert list(table["cluster"])[: len(clusters)] == [c["cluster"] for c in clusters]


def test_overview_without_a_graph_says_to_build(tmp_path: Path):
    with app_env({"IKG_DB": str(tmp_path / "missing.lbdb"), "IKG_GRAPH_DIR": str(tmp_path)}):
        at = AppTest.from_file(HOME, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert "ikg build" in at.error[0].value


# --- Explore ----------------------------------------------------------------------------------------


def test_explore_searches_by_alias_and_draws_the_neighbourhood(built: AppGraph):
    graph = built.graph
    node = next(
        n
        for n in sorted(graph.nodes.values(), key=lambda n: n.id)
        if n.aliases and n.label == "University" and n.aliases[0] not in n.name
    )
    at = run_page("views/1_Explore.py")
    at.radio(key="explore_mode").set_value("actor").run()
    at.text_input(key="explore_actor_q").input(node.aliases[0]).run()
    assert not at.exception
    assert at.selectbox(key="explore_actor").value == node.id  # an exact alias match comes first
    (page,) = iframes(at)
    drawn = {n["id"]: n for n in network_nodes(page)}
    neighbours = {
        e.dst if e.src == node.id else e.src
        for e in graph.edges
        if actor_edge(graph, e) and node.id in (e.src, e.dst) and e.type != "RESPONSIBLE_FOR"
    }
    assert set(drawn) == {node.id, *neighbours}
    assert drawn[node.id]["borderWidth"] == 4  # the centre stands out
    for n in drawn.values():
        assert n["color"]["background"] == viz.COLORS[n["ikg_label"]]
        assert n["font"]["size"] >= 14 if "font" in n else True
    # The select box leading to an actor page lists the nodes in view, by their types' names.
    goto = at.selectbox(key=f"goto_actor:{node.id}:1")
    assert set(goto.options) == {f"{n['ikg_name']} · {NODE_SPECS[n['ikg_label']].en}" for n in drawn.values()}
    links = {p.proto.query_string for p in at.get("page_link")}
    assert any(urlencode({"id": node.id}) in q for q in links), links


def _reach(hub: str, nodes: dict, edges: list, labels: set[str], rel_types: set[str]) -> set[str]:
    """What a filtered neighbourhood keeps: nodes of the labels joined to the hub by edges of the types."""

    def shown(end: str) -> bool:
        return end == hub or nodes.get(end, {}).get("label") in labels

    kept = [e for e in edges if e["type"] in rel_types and shown(e["src"]) and shown(e["dst"])]
    reach, frontier = {hub}, {hub}
    while frontier:
        ends = (("src", "dst"), ("dst", "src"))
        frontier = {e[b] for e in kept for a, b in ends if e[a] in frontier} - reach
        reach |= frontier
    return reach


def test_explore_depth_type_filters_and_the_cap_note(built: AppGraph):
    from app.explore import POLICY_LABELS

    k = key_of(built)
    degree = data.degrees(k)
    hub = max(degree, key=lambda i: (degree[i], i))
    at = run_page("views/1_Explore.py", id=hub)
    assert at.radio(key="explore_mode").value == "actor"  # an id in the address opens its neighbourhood
    assert at.selectbox(key="explore_actor").value == hub
    one = len(network_nodes(iframes(at)[0]))
    at.sidebar.slider(key="explore_depth").set_value(2).run()
    two = network_nodes(iframes(at)[0])
    assert len(two) > one
    answer = direct_runner().run("neighbourhood", {"actor": hub, "depth": 2})
    nodes, edges = data.subgraph_view(answer.subgraph)
    # Figures and policy measures are off by default: the rest of the answer is drawn (under the cap).
    actors = {label for label in ACTOR_LABELS if label not in POLICY_LABELS}
    rels = set(ACTOR_RELS) - {"RESPONSIBLE_FOR"}
    assert {n["id"] for n in two} == _reach(hub, nodes, edges, actors, rels)
    assert not {n["ikg_label"] for n in two} & set(POLICY_LABELS)
    # With them on, every node of the answer is there.
    at.sidebar.number_input(key="explore_cap").set_value(2000).run()
    at.sidebar.toggle(key="explore_policy").set_value(True).run()
    assert {hub, *answer.column("id")} <= {n["id"] for n in network_nodes(iframes(at)[0])}
    at.sidebar.toggle(key="explore_policy").set_value(False).run()
    at.sidebar.number_input(key="explore_cap").set_value(150).run()

    # Only LOCATED_IN relationships: what stays is joined to the hub by LOCATED_IN edges alone.
    at.sidebar.multiselect(key="explore_rels_False").set_value(["LOCATED_IN"]).run()
    located = _reach(hub, nodes, edges, actors, {"LOCATED_IN"})
    assert {n["id"] for n in network_nodes(iframes(at)[0])} == located

    # A cap below the neighbourhood's size cuts it, and the page says so.
    at.sidebar.multiselect(key="explore_rels_False").set_value(sorted(rels)).run()
    at.sidebar.number_input(key="explore_cap").set_value(10).run()
    assert len(network_nodes(iframes(at)[0])) == 10
    assert any("node cap cut this view" in w.value for w in at.warning)

    # Entity-type filter: only the centre and Region remain.
    at.sidebar.number_input(key="explore_cap").set_value(500).run()
    at.sidebar.multiselect(key="explore_labels_False").set_value(["Region"]).run()
    labels = {n["ikg_label"] for n in network_nodes(iframes(at)[0]) if n["id"] != hub}
    assert labels <= {"Region"}


def test_network_html_is_self_contained_and_escaped(built: AppGraph):
    k = key_of(built)
    nodes, edges = data.subgraph_view(
        direct_runner().run("neighbourhood", {"actor": XSS_ID, "depth": 1}).subgraph
    )
    page = viz.network_html(nodes, edges, degrees=data.degrees(k), center=XSS_ID)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "cdn.jsdelivr" not in page and "cdnjs" not in page
    # The hostile name never appears raw: JSON in the page has < and > as \u escapes.
    assert XSS_NAME not in page and XSS_ALIAS not in page
    drawn = {n["id"]: n for n in network_nodes(page)}
    hostile = drawn[XSS_ID]
    assert hostile["label"] == viz.short(XSS_NAME)  # canvas text, drawn verbatim (shortened)
    assert hostile["ikg_name"] == XSS_NAME
    assert html.escape(XSS_NAME) in hostile["title"]  # tooltip HTML: escaped
    assert "<img" not in hostile["title"]
    drawn_edges = json.loads(re.search(r"edges = new vis\.DataSet\((\[.*?\])\);", page, re.DOTALL).group(1))
    (edge,) = [e for e in drawn_edges if XSS_ID in (e["from"], e["to"])]
    assert html.escape("测试<b>粗体</b>") in edge["title"] and "<img" not in edge["title"]


# --- Chain gaps -------------------------------------------------------------------------------------


def test_chain_gaps_page_figures_are_the_preset_rows_for_every_chain(store_env: dict[str, str]):
    """On both stores: for every chain, the figures, links, lacks and supporters the page shows are the
    chain_gaps and chain_detail rows, and the ranking table is chain_gaps' rows in their order; a chain
    with no link and nothing lacked shows "—" (nothing known), never a reassuring 0."""
    with app_env(store_env):
        runner = direct_runner()
        try:
            gaps = runner.run("chain_gaps", {"min_gaps": 0}).records()
            coverage = {c["chain_id"]: c for c in runner.run("chain_coverage").records()}
            at = run_page("views/2_Chain_gaps.py")
            ranking = next(df.value for df in at.dataframe if "gaps" in df.value.columns)
            assert list(ranking["chain"]) == [g["chain"] for g in gaps]

            def blank(g: dict) -> bool:
                c = coverage[g["chain_id"]]
                return not c["n_links"] and not c["n_lacks"]

            assert list(ranking["gaps"]) == ["—" if blank(g) else str(g["gaps"]) for g in gaps]
            assert list(ranking["lacks"]) == ["—" if blank(g) else str(g["n_lacks"]) for g in gaps]
            known = [w.startswith("nothing known") for w in ranking["what is known"]]
            assert known == [blank(g) for g in gaps]
            chains = [(rank, g) for rank, g in enumerate(gaps, 1) if g["chain_label"] == "IndustryChain"]
            assert len(chains) == sum(1 for n in at.selectbox(key="chain").options)
            assert any(blank(g) for _, g in chains), "the corpus has a chain nothing is known about"
            for rank, g in chains:
                at.selectbox(key="chain").set_value(g["chain_id"]).run()
                assert not at.exception, g["chain"]
                detail = [
                    r for r in runner.run("chain_detail", {"chain": g["chain"]}).records()
                    if r["chain_id"] == g["chain_id"]
                ]  # fmt: skip
                links = [r for r in detail if r["part"] == "link"]
                lacks = [r for r in detail if r["part"] == "lacks"]
                supporters = {r["item_id"] for r in detail if r["part"] == "supporter"}
                unknown = not links and not lacks
                assert {m.label: m.value for m in at.metric} == {
                    "Gaps": "—" if unknown else str(g["gaps"]),
                    "Lacks": "—" if unknown else str(g["n_lacks"]),
                    "Links": str(len(links)) if links else "—",
                    "Links without support": str(g["n_unsupported_links"]) if links else "—",
                    "Supporting actors": str(len(supporters)),
                    "Gap rank": f"{rank} / {len(gaps)}",
                }, g["chain"]
                warnings = " ".join(w.value for w in at.warning)
                assert ("its gaps are unknown, not zero" in warnings) == unknown, g["chain"]
                assert ("Nothing known" in warnings) == (not links), g["chain"]  # the links, at least
                assert "nothing lacking" not in " ".join(m.value for m in at.markdown).lower()
                shown = next((df.value for df in at.dataframe if "ord" in df.value.columns), None)
                if links:
                    text = any(x["ord"] is None for x in links)  # a column with a gap is text
                    ords = ["—" if r["ord"] is None else str(r["ord"]) if text else r["ord"] for r in links]
                    assert list(zip(shown["ord"], shown["link"], strict=True)) == list(
                        zip(ords, [r["item"] for r in links], strict=True)
                    )
                else:
                    assert shown is None
                body = markdown_bodies(at)
                for r in detail:
                    if r["part"] == "lacks":
                        assert f"<b>{html.escape(r['item'])}</b>" in body, (g["chain"], r["item"])
                    if r["part"] == "supporter":
                        assert f"<b>{html.escape(r['item'])}</b>" in body, (g["chain"], r["item"])
                assert set(g["lacks"]) == {r["item"] for r in lacks}
        finally:
            runner.store.close()


def test_chain_gaps_shows_the_chain_as_a_network_with_evidence(built: AppGraph):
    graph = built.graph
    lacking = {e.src for e in graph.edges if e.type == "LACKS"}
    chain_id = min(e.src for e in graph.edges if e.type == "HAS_LINK" and e.src in lacking)
    at = run_page("views/2_Chain_gaps.py", chain=chain_id)
    assert at.selectbox(key="chain").value == chain_id
    (page,) = iframes(at)
    drawn = {n["id"] for n in network_nodes(page)}
    assert {chain_id, *(e.dst for e in graph.edges if e.type == "HAS_LINK" and e.src == chain_id)} <= drawn
    assert "<mark><b>" in markdown_bodies(at)  # evidence with its span highlighted
    assert [d.proto.label for d in at.get("download_button")].count("Download CSV") >= 1


def test_chain_gaps_filters_by_cluster(built: AppGraph):
    at = run_page("views/2_Chain_gaps.py")
    cluster = next(o for o in at.selectbox(key="cluster").options if not o.startswith("("))
    at.selectbox(key="cluster").set_value(cluster).run()
    gaps = direct_runner().run("chain_gaps", {"min_gaps": 0}).records()
    want = [g["chain"] for g in gaps if g["chain_label"] == "IndustryChain" and cluster in g["clusters"]]
    assert [o.split("  · ")[0] for o in at.selectbox(key="chain").options] == want


def test_the_degree_shown_is_what_hubs_returns(store_env: dict[str, str], built: AppGraph):
    """On both stores: Explore's list and the Actor page show each actor's degree as the hubs preset
    counts it, and the Actor page lists exactly that many relationships."""
    with app_env(store_env):
        runner = direct_runner()
        try:
            hubs = runner.run("hubs", {"limit": 100_000}).records()
        finally:
            runner.store.close()
        degree = {h["id"]: h["degree"] for h in hubs}
        by_name: dict[tuple[str, str], set[int]] = {}
        for h in hubs:
            by_name.setdefault((h["name"], h["label"]), set()).add(h["degree"])
        at = run_page("views/1_Explore.py")
        at.radio(key="explore_mode").set_value("actor").run()
        options = at.selectbox(key="explore_actor").options
        assert len(options) == min(200, len(hubs))
        code = {spec.en: label for label, spec in NODE_SPECS.items()}
        for option in options:
            name, label, shown = option.rsplit(" · ", 2)
            assert int(shown.removeprefix("degree ")) in by_name[(name, code[label])], option
        assert ui.degree_note() in [c.value for c in at.caption]
        # A city with many figures about it: they are not counted (nor listed).
        figures = Counter(e.dst for e in built.graph.edges if e.type == "INDICATOR_OF")
        city = max(figures, key=lambda i: (figures[i], i))
        sample = [*sorted(degree, key=lambda i: (-degree[i], i))[:5], city, XSS_ID, built.partner_id]
        for actor_id in sample:
            at = run_page("views/5_Actor.py", id=actor_id)
            want = degree.get(actor_id, 0)
            assert metric(at, "Degree") == str(want), actor_id
            assert f"Relationships ({want})" in [s.value for s in at.subheader], actor_id
            mine = sum(
                (e.src == actor_id) + (e.dst == actor_id)
                for e in built.graph.edges
                if actor_edge(built.graph, e)
            )
            assert want == mine, actor_id  # and it is what the graph holds
        assert figures[city] > 0 and degree[city] < figures[city] + degree[city]


# --- Actor page -------------------------------------------------------------------------------------


def test_actor_page_lists_every_relationship_with_highlighted_evidence(built: AppGraph):
    graph = built.graph
    node_id = built.partner_id
    rels = [e for e in graph.edges if node_id in (e.src, e.dst) and actor_edge(graph, e)]
    at = run_page("views/5_Actor.py", id=node_id)
    assert at.title[0].value == ui.md(graph.nodes[node_id].name)
    assert f"Relationships ({len(rels)})" in [s.value for s in at.subheader]
    body = markdown_bodies(at)
    for edge in rels:
        other = graph.nodes[edge.dst if edge.src == node_id else edge.src]
        assert html.escape(other.name) in body
        for ev in edge.evidence:
            assert html.escape(ev["text"]) in body
    assert body.count("<mark><b>") >= sum(len(e.evidence) for e in rels)
    mentioned = {e.dst for e in graph.edges if e.type == MENTIONED_IN and e.src == node_id}
    expanders = [e.label for e in at.expander]
    for doc_id in mentioned:
        assert any(ui.md(graph.documents[doc_id].name) in label for label in expanders)


def test_actor_page_escapes_a_hostile_name(built: AppGraph):
    at = run_page("views/5_Actor.py", id=XSS_ID)
    assert at.title[0].value == ui.md(XSS_NAME)
    body = markdown_bodies(at)
    assert XSS_NAME not in body and XSS_ALIAS not in body and "<b>粗体</b>" not in body
    assert html.escape(XSS_NAME) in body and html.escape(XSS_ALIAS) in body
    assert f"<mark><b>{html.escape(XSS_NAME)}</b></mark>" in body
    assert html.escape("<i>测试章节</i>") in body


def test_actor_page_without_id_offers_a_search(built: AppGraph):
    at = run_page("views/5_Actor.py")
    at.text_input[0].input(built.graph.nodes[built.partner_id].name).run()
    assert not at.exception
    links = {p.proto.query_string for p in at.get("page_link")}
    assert urlencode({"id": built.partner_id, "lang": "en"}) in links


# --- pure helpers -----------------------------------------------------------------------------------


def test_highlight_escapes_and_marks_the_span():
    assert ui.highlight("A<b>C", 1, 4) == "A<mark><b>&lt;b&gt;</b></mark>C"
    assert ui.highlight("甲乙丙", None, None, "乙") == "甲<mark><b>乙</b></mark>丙"
    assert ui.highlight("x<y", 5, 9) == "x&lt;y"  # offsets outside the sentence: no mark, still escaped
    assert ui.md("<img src=x>") == "\\<img src=x\\>"
    assert ui.md("- [x](javascript:1) *a* 1.5") == "\\- \\[x\\](javascript\\:1) \\*a\\* 1.5"
    assert ui.md("2. 第二") == "2\\. 第二"


def test_cap_keeps_nearest_and_highest_degree():
    nodes = {
        str(i): {"id": str(i), "name": str(i), "label": "Park", "hop": 0 if i == 0 else 1 + i // 5}
        for i in range(12)
    }
    edges = [{"src": "0", "dst": str(i), "type": "LOCATED_IN"} for i in range(1, 12)]
    kept, kept_edges, cut = viz.cap_nodes(nodes, edges, 5, {"4": 10})
    assert cut == 7 and "0" in kept and "4" in kept
    assert all(e["dst"] in kept for e in kept_edges)


def test_cli_serves_headless_on_localhost_with_absolute_paths(tmp_path: Path):
    import argparse

    parser = argparse.ArgumentParser()
    cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["app", "--port", "9999", "--db", "rel/graph.lbdb"])
    assert (args.host, args.port) == ("127.0.0.1", 9999)
    command = cli.streamlit_command(args.port, args.host)
    assert "--server.headless=true" in command and "--server.address=127.0.0.1" in command
    assert command[command.index("run") + 1].endswith("Home.py")
    env = cli.app_environment(args)
    assert Path(env["IKG_DB"]).is_absolute() and env["IKG_DB"].endswith("rel/graph.lbdb")


# --- Presets ----------------------------------------------------------------------------------------


def _runner(built: AppGraph):
    from graph.stores.ladybug import LadybugStore

    return Runner(LadybugStore(built.db))


def test_presets_page_lists_the_library_and_fills_dropdowns_from_the_graph(built: AppGraph):
    from queries.catalog import presets

    library = presets()
    at = run_page("views/3_Presets.py")
    assert at.selectbox(key="preset").options == [
        f"{p.title['en']} · {p.title['zh']}" for p in library.values()
    ]
    runner = _runner(built)
    for preset_id, preset in library.items():
        at.selectbox(key="preset").set_value(preset_id).run()
        assert not at.exception
        for spec in preset.params:
            if not (spec.values or spec.choices):
                continue
            box = at.selectbox(key=f"param_{preset_id}_{spec.name}")
            want = [i18n.choice(v) for v in runner.values(preset, spec.name) if v not in ("", None)]
            if spec.default not in ("", None) and i18n.choice(spec.default) not in want:
                want.insert(0, i18n.choice(spec.default))  # offered even when the graph lacks it
            got = [v for v in box.options if v != "(any)"]
            assert want == got


def page_params(at: AppTest, preset) -> dict[str, Any]:
    """The parameter values the Presets page would run with (its widgets' values; a choice not made
    is left out, as the page leaves it out)."""
    values: dict[str, Any] = {}
    for spec in preset.params:
        key = f"param_{preset.id}_{spec.name}"
        for kind in ("selectbox", "number_input", "text_input", "checkbox"):
            found = [w for w in at.get(kind) if getattr(w, "key", None) == key]
            if found and found[0].value is not None:
                values[spec.name] = found[0].value.strip() if kind == "text_input" else found[0].value
    return values


def fill_required(at: AppTest, preset, runner: Runner) -> dict[str, Any]:
    """Give the page the required parameters it asks for (tests/corpus_runners.py example_params), as a
    user would: a choice from the select box, or a name typed in."""
    from queries.examples import example_params

    given = example_params(runner, preset.id)
    for name, value in given.items():
        key = f"param_{preset.id}_{name}"
        boxes = [w for w in at.get("selectbox") if getattr(w, "key", None) == key]
        if boxes:
            boxes[0].set_value(value).run()
        else:
            at.text_input(key=key).input(str(value)).run()
    return given


def test_the_presets_page_asks_for_required_parameters(built: AppGraph):
    """A required parameter without a default starts empty, the page says it is needed and Run waits."""
    from queries.catalog import presets

    asked = [p for p in presets().values() if any(s.required and s.default is None for s in p.params)]
    assert asked, "the library has presets with required parameters"
    runner = _runner(built)
    at = run_page("views/3_Presets.py")
    for preset in asked:
        at.selectbox(key="preset").set_value(preset.id).run()
        needed = [s.name for s in preset.params if s.required and s.default is None]
        assert not any(page_params(at, preset).get(n) for n in needed), preset.id  # nothing guessed
        assert at.button(key="run_preset").disabled, preset.id
        asks = [i.value for i in at.info]
        assert any(all(n in text for n in needed) for text in asks), (preset.id, asks)
        fill_required(at, preset, runner)
        assert not at.button(key="run_preset").disabled, preset.id


def test_every_preset_runs_on_the_page_as_through_the_runner(built: AppGraph):
    """The page shows what the runner returns for the values given (the required parameters as a user
    fills them in, the rest as the page starts): the table (ids left out) and network, or the runner's
    error plainly."""
    from queries.catalog import presets

    runner = _runner(built)
    at = run_page("views/3_Presets.py")
    ran = 0
    for preset_id, preset in presets().items():
        at.selectbox(key="preset").set_value(preset_id).run()
        given = fill_required(at, preset, runner)
        params = page_params(at, preset)
        assert {n: params.get(n) for n in given} == given, preset_id
        at.button(key="run_preset").click().run()
        assert not at.exception, preset_id
        try:
            want = runner.run(preset_id, params)
        except Exception as exc:  # a broken preset: the page says so, in one line
            assert at.error, preset_id
            assert ui.md(str(exc).splitlines()[0]) in at.error[0].value
            continue
        ran += 1
        frame = at.dataframe[0].value
        shown = [c for c in want.columns if not i18n.is_id_column(c)] or want.columns
        assert list(frame.columns) == shown, preset_id
        assert len(frame) == len(want.rows), preset_id
        assert f"{len(want.rows)} row" in " ".join(c.value for c in at.caption)
        drawn = at.get("bidi_component")
        assert len(drawn) == (1 if want.subgraph and want.subgraph["nodes"] else 0), preset_id
        downloads = [d.proto.label for d in at.get("download_button")]
        assert ("Download CSV" in downloads) == bool(want.rows), preset_id
        for column in frame.columns:  # no raw JSON, no schema code in a cell
            for cell in frame[column]:
                text = cell if isinstance(cell, str) else ""
                assert not text.lstrip().startswith(("{", "[{")), (preset_id, column)
                assert text not in NODE_SPECS, (preset_id, column, cell)
    assert ran == len(presets()), "every preset runs with the values given on the page"


def test_preset_with_a_chosen_parameter_value_and_row_cap(built: AppGraph):
    from queries.catalog import presets

    preset_id, spec = next(
        (pid, s) for pid, p in presets().items() for s in p.params if s.values and _runs(built, pid)
    )
    runner = _runner(built)
    value = runner.values(preset_id, spec.name)[-1]
    at = run_page("views/3_Presets.py", preset=preset_id)
    assert at.selectbox(key="preset").value == preset_id
    fill_required(at, presets()[preset_id], runner)
    at.selectbox(key=f"param_{preset_id}_{spec.name}").set_value(value).run()
    at.sidebar.number_input[0].set_value(1).run()
    at.button(key="run_preset").click().run()
    want = runner.run(preset_id, {**page_params(at, presets()[preset_id]), spec.name: value})
    frame = at.dataframe[0].value
    assert len(frame) == min(1, len(want.rows))
    if len(want.rows) > 1:
        assert any("Row cap reached" in w.value for w in at.warning)


def _runs(built: AppGraph, preset_id: str) -> bool:
    from queries.examples import example_params

    runner = _runner(built)
    try:
        return bool(runner.run(preset_id, example_params(runner, preset_id)).rows)
    except Exception:
        return False


# --- Query ------------------------------------------------------------------------------------------


def test_free_query_shows_rows_network_and_csv(built: AppGraph):
    at = run_page("views/4_Query.py")
    at.button(key="run_query").click().run()
    assert not at.exception and not at.error
    lacks = [
        e for e in built.graph.edges if e.type == "LACKS" and built.graph.label_of(e.src) == "IndustryChain"
    ]
    assert len(at.dataframe[0].value) == len(lacks)
    (page,) = iframes(at)
    assert {n["id"] for n in network_nodes(page)} == {e.src for e in lacks} | {e.dst for e in lacks}
    assert "Download CSV" in [d.proto.label for d in at.get("download_button")]


@pytest.mark.parametrize(
    "cypher",
    [
        "CREATE (n:Region {id: 'x', name: 'x'})",
        "MATCH (n:Region) SET n.name = 'x' RETURN n",
        "MATCH (n) DETACH DELETE n",
        "MATCH (n) RETURN n LIMIT 1; CREATE (m:Region {id: 'y'})",
    ],
)
def test_a_write_attempt_shows_the_refusal_and_changes_nothing(built: AppGraph, cypher: str):
    store = data.runner(key_of(built)).store
    before = store.counts()
    at = run_page("views/4_Query.py")
    at.text_area(key="cypher").input(cypher).run()
    at.button(key="run_query").click().run()
    assert not at.exception
    assert at.error and at.error[0].value.lower().startswith("refused")
    assert "read-only" in at.error[0].value
    assert not at.dataframe
    assert store.counts() == before


def test_query_errors_timeouts_and_the_row_cap_are_shown_plainly(built: AppGraph):
    at = run_page("views/4_Query.py")
    at.text_area(key="cypher").input("MATCH (n:NoSuchLabel) RETURN n").run()
    at.button(key="run_query").click().run()
    assert not at.exception and at.error[0].value.startswith("Query failed:")

    at.text_area(key="cypher").input("MATCH (n:Region) RETURN n.name AS name").run()
    at.number_input[0].set_value(3).run()
    at.button(key="run_query").click().run()
    assert len(at.dataframe[0].value) == 3
    assert any("Row cap reached" in w.value for w in at.warning)

    at.text_area(key="cypher").input("MATCH (a)-[*1..8]-(b) RETURN count(*) AS paths").run()
    at.number_input[1].set_value(1).run()  # timeout, seconds
    at.button(key="run_query").click().run()
    assert at.error[0].value.startswith("Timed out")

    at.text_input(key="cypher_params").input("{not json").run()
    at.button(key="run_query").click().run()
    assert "not valid JSON" in at.error[0].value


# --- both stores ---------------------------------------------------------------------------------------


def test_every_page_renders_the_same_on_either_store(store_env: dict[str, str], built: AppGraph):
    """The pages on either store: the banner says which, the figures are the graph's, writes are refused."""
    with app_env(store_env):
        at = run_page()
        banner = at.sidebar.markdown[0].value
        assert ("Neo4j" in banner) == (store_env["IKG_STORE"] == "neo4j")
        assert metric(at, "Entities") == str(len(built.graph.nodes))
        assert metric(at, "Documents") == str(len(built.graph.documents))
        for page, query in (
            ("views/1_Explore.py", {"id": built.partner_id}),
            ("views/2_Chain_gaps.py", {}),
            ("views/3_Presets.py", {}),
            ("views/5_Actor.py", {"id": XSS_ID}),
            ("views/6_Policy.py", {}),
        ):
            at = run_page(page, **query)
            assert not at.error, (page, [e.value for e in at.error])
        assert at.title  # the Policy page rendered its title
        at = run_page("views/5_Actor.py", id=XSS_ID)
        assert at.title[0].value == ui.md(XSS_NAME)
        at = run_page("views/4_Query.py")
        at.text_area(key="cypher").input("MATCH (n) DETACH DELETE n").run()
        at.button(key="run_query").click().run()
        assert at.error[0].value.startswith("Refused")
        counts = data.runner(data.key(data.source())).store.counts()
        assert sum(counts["nodes"].values()) == len(built.graph.nodes) + len(built.graph.documents)
