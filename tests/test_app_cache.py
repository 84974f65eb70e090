"""What the app caches across sessions is never served from an earlier graph: a rebuild on either store
gives new answers on the next page run, and a drawing cached by what it shows is the drawing made
afresh (app/data.py key, app/rendered.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app import cli, data, i18n, rendered, viz
from graph.build import build_graph
from graph.model import Graph
from graph.stores.ladybug import LadybugStore
from tests.app_graph import AppGraph, app_env, build_app_graph, extractions

HOME = str(Path(__file__).resolve().parent.parent / "app" / "Home.py")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> AppGraph:
    return build_app_graph(tmp_path_factory.mktemp("app_cache"))


@pytest.fixture(scope="module")
def smaller() -> Graph:
    """Another graph: the corpus without its last document (fewer entities than `built`)."""
    graph, _ = build_graph(list(extractions())[:-1])
    return graph


def entities_shown() -> str:
    """The Entities figure of the Overview page, in English."""
    at = AppTest.from_file(HOME, default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return next(m.value for m in at.metric if m.label == "Entities")


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest, built: AppGraph, tmp_path: Path) -> Iterator[tuple[str, dict]]:
    """(kind, the app's environment) on a store of the test's own, holding the corpus graph."""
    if request.param == "embedded":
        db = tmp_path / "graph.lbdb"
        loader = LadybugStore(db)
        env = {"IKG_STORE": "embedded", "IKG_DB": str(db), "IKG_GRAPH_DIR": str(built.folder)}
    else:
        conn = request.getfixturevalue("neo4j_connection")
        loader = conn.store()
        loader.clear()
        env = {"IKG_STORE": "neo4j", "IKG_GRAPH_DIR": str(built.folder), **conn.env()}
    try:
        loader.load(built.graph)
        with app_env(env):
            yield request.param, env
    finally:
        if request.param == "neo4j":
            loader.clear()
        loader.close()


def reload(kind: str, env: dict[str, str], graph: Graph) -> None:
    """Load `graph` into the store the app reads, as `ikg build` does (the file replaced; a new Neo4j
    build stamped over the old one, then its leftovers swept)."""
    if kind == "embedded":
        loader = LadybugStore(Path(env["IKG_DB"]))
    else:
        from graph.stores.neo4j import Neo4jStore

        loader = Neo4jStore(env["NEO4J_URI"], env["NEO4J_USER"], env["NEO4J_PASSWORD"], env_file=None)
    try:
        loader.load(graph)
    finally:
        loader.close()


def test_a_rebuild_is_never_answered_from_the_cache_of_the_previous_build(
    store: tuple[str, dict], built: AppGraph, smaller: Graph
):
    kind, env = store
    before = data.key()
    assert before[2], "the key carries the build's stamp"
    assert entities_shown() == str(len(built.graph.nodes))
    cached = data.graph_counts(before)

    reload(kind, env, smaller)
    after = data.key()
    assert after != before
    # The answer of the previous build is still cached under its key (so without the new key the page
    # would show it), and the new key reads the new graph.
    assert data.graph_counts(before) == cached
    assert sum(data.graph_counts(after)["nodes"].values()) < sum(cached["nodes"].values())
    assert entities_shown() == str(len(smaller.nodes))
    assert data.key() == after, "the same build keeps its key: its answers stay cached"


def test_a_cached_network_is_the_network_drawn_afresh(built: AppGraph):
    with app_env(built.env):
        k = data.key()
        nodes, edges = data.neighbourhood(k, built.partner_id, 1)
        degrees = data.degrees(k)
    # In Chinese whatever language an earlier test in this process left set (the language is a context
    # variable that a page run sets).
    with i18n.using(i18n.DEFAULT):
        fresh = viz.network_html(nodes, edges, degrees=degrees, center=built.partner_id, height=400)
        assert (
            rendered.network_html(nodes, edges, degrees=degrees, center=built.partner_id, height=400) == fresh
        )
        assert (
            rendered.network_html(nodes, edges, degrees=degrees, center=built.partner_id, height=400) == fresh
        )

        # Whatever the view shows is in the key: a renamed node and another language are drawn anew.
        renamed = {i: {**n, "name": f"{n['name']}-renamed"} for i, n in nodes.items()}
        drawn = rendered.network_html(renamed, edges, degrees=degrees, center=built.partner_id, height=400)
        assert drawn != fresh and "-renamed" in drawn
    with i18n.using("en"):
        english = rendered.network_html(nodes, edges, degrees=degrees, center=built.partner_id, height=400)
        assert english == viz.network_html(nodes, edges, degrees=degrees, center=built.partner_id, height=400)
    assert english != fresh


def test_the_app_server_does_not_collect_garbage_after_every_run():
    command = cli.streamlit_command(8501, "127.0.0.1")
    assert "--runner.postScriptGC=false" in command
