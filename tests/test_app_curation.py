"""Curation from the Actor page on both stores (AppTest): a merge chosen on the page is recorded by
graph/curation.py in the build's curation file, the page's rebuild applies it to the store the app reads,
and undo on the page restores the entity there.

The graph is built by `ikg build`'s pipeline from the invented city's plan into a temporary folder (on
Neo4j: the test server), with a temporary curation file; the repository's file is never written (checked).
The same round trip with a hide, in a real browser: tests/test_app_curation_browser.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app import curate
from graph import curation
from graph.stores.ladybug import LadybugStore
from queries.runner import Runner
from tests.app_graph import SUPPORTED_LINK, app_env, curation_build
from tests.test_app_pages import run_page

WHO = "测试分析员"


@dataclass
class Curated:
    folder: Path  # the build's folder (build_report.json)
    file: Path  # its curation file
    env: dict[str, str]
    runner: Runner
    merged: str  # the entity merged on the page
    target: str  # the entity it is merged into

    def known(self, entity: str) -> bool:
        return bool(self.runner.run("actor_profile", {"actor": entity}).rows)


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def curated(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Curated]:
    conn = None
    if request.param == "embedded":
        options, result = curation_build(tmp_path)
        out = Path(options.out)
        env = {"IKG_STORE": "embedded", "IKG_DB": str(out / "graph.lbdb"), "IKG_GRAPH_DIR": str(out)}
    else:
        conn = request.getfixturevalue("neo4j_connection")
        for key, value in conn.env().items():  # where the build (and the page's rebuild) loads
            monkeypatch.setenv(key, value)
        conn.store().clear()
        options, result = curation_build(tmp_path, store="neo4j")
        out = Path(options.out)
        env = {"IKG_STORE": "neo4j", "IKG_GRAPH_DIR": str(out), **conn.env()}
    file, graph = Path(str(options.curation)), result.validated.graph
    merged = next(i for i, n in graph.nodes.items() if n.name == SUPPORTED_LINK[1])
    label = graph.nodes[merged].label
    target = sorted(i for i, n in graph.nodes.items() if n.label == label and i != merged)[0]
    store = LadybugStore(out / "graph.lbdb") if conn is None else conn.store()
    # Nothing cached is cleared: each build is a new cache key (app/data.py), which these tests rely on.
    try:
        with app_env({**env, "IKG_USER": WHO}):
            yield Curated(out, file, env, Runner(store), merged, target)
    finally:
        if conn is not None:
            store.clear()
        store.close()


def test_a_merge_on_the_page_reaches_the_store_and_undo_restores_it(curated: Curated):
    repo_file = curation.CURATION_FILE.read_bytes()
    assert curated.known(curated.merged) and curated.known(curated.target)
    target_name = curated.runner.run("actor_profile", {"actor": curated.target}).records()[0]["name"]

    at = run_page("views/5_Actor.py", lang="zh", id=curated.merged)
    at.radio(key="curation_action").set_value("merge").run()
    assert at.button(key="curation_record").disabled  # no target, no why yet
    at.text_input(key="curation_target_q").input(target_name).run()
    at.selectbox(key="curation_target").set_value(curated.target).run()
    at.text_area(key="curation_why").input("同一机构的两个名称").run()
    assert at.text_input(key=curate.WHO_KEY).value == WHO
    at.button(key="curation_record").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [s.value for s in at.success] == ["已重建:决定已生效。"]

    (decision,) = curation.load_decisions(curated.file)
    assert (decision.action, decision.entity, decision.value, decision.who) == (
        "merge",
        curated.merged,
        curated.target,
        WHO,
    )
    assert not curated.known(curated.merged) and curated.known(curated.target)  # on the store the app reads
    merged_name = SUPPORTED_LINK[1]
    aliases = curated.runner.run("actor_profile", {"actor": curated.target}).records()[0]["aliases"]
    assert merged_name in aliases
    assert at.title[0].value == "主体档案"  # the merged entity's page: gone, with the decision to undo

    at.button(key=f"curation_undo_{decision.id}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    (undone,) = curation.load_decisions(curated.file)
    assert undone.undone and undone.undone_by == WHO
    assert curated.known(curated.merged)
    assert at.title[0].value == merged_name
    assert curation.CURATION_FILE.read_bytes() == repo_file


def test_a_graph_without_a_build_report_cannot_be_curated(curated: Curated):
    (curated.folder / "build_report.json").unlink()
    at = run_page("views/5_Actor.py", lang="zh", id=curated.target)
    assert not at.exception
    assert not [b for b in at.button if b.key == "curation_record"]
    assert any("无法在此整理" in c.value for c in at.caption)
    assert curation.load_decisions(curated.file) == []
