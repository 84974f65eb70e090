"""Curation from the Actor page in headless Chromium: a decision made on the page is recorded by
graph/curation.py in the curation file the graph was built with, the app rebuilds, the entity stays hidden
through another rebuild, and undo on the page brings it back.

The graph is built by `ikg build`'s pipeline from the invented city's plan into a temporary folder, with a
temporary copy of data/curation.yaml as its curation file (the repository's file is never written: checked).
The server, browser and session fixtures come from tests/test_app_browser.py.
"""

# ruff: noqa: F811  (fixtures imported from tests/test_app_browser.py)

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode

import pytest

from graph import curation
from tests.app_graph import SUPPORTED_LINK, AppGraph, curation_build
from tests.test_app_browser import (  # noqa: F401  (fixtures)
    WAIT_MS,
    Session,
    _browser_available,
    browser,
    server,
    session,
)

pytestmark = pytest.mark.browser

WHO = "测试分析员"
WHY = "测试:隐藏这个实体再撤销"


class CuratedGraph(AppGraph):
    @property
    def env(self) -> dict[str, str]:
        return {**super().env, "IKG_USER": WHO}  # who an undo is by, on a page opened afresh


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> AppGraph:
    options, result = curation_build(tmp_path_factory.mktemp("app_curation_browser"))
    out = Path(options.out)
    return CuratedGraph(out, out / "graph.lbdb", result.validated.graph, result.report, partner_id="")


def curation_file(built: AppGraph) -> Path:
    return built.folder.parent / "curation.yaml"


def graph_ids(built: AppGraph) -> set[str]:
    data = json.loads((built.folder / "graph.json").read_text(encoding="utf-8"))
    return {n["id"] for n in data["nodes"]}


def target(built: AppGraph) -> tuple[str, str]:
    name = SUPPORTED_LINK[1]
    found = [i for i, n in built.graph.nodes.items() if n.name == name]
    assert len(found) == 1, found
    return found[0], name


def test_hide_on_the_page_survives_a_rebuild_and_undo_brings_it_back(session: Session, built: AppGraph):
    from playwright.sync_api import expect

    repo_file = curation.CURATION_FILE.read_bytes()
    entity, name = target(built)
    assert entity in graph_ids(built)
    page = session.page
    address = f"Actor?{urlencode({'id': entity})}"
    session.open(address, name, lang="zh")

    page.get_by_text("整理这个实体").click()
    page.get_by_text("隐藏(垃圾实体)").click()
    session.settle()
    who = page.get_by_label("操作人")
    who.fill(WHO)
    who.press("Enter")
    session.settle()
    why = page.get_by_label("理由(必填)")
    why.fill(WHY)
    page.locator("h1").first.click()  # leaving the field commits it; the button is enabled after the rerun
    session.settle()
    record = page.get_by_role("button", name="记录决定并重建")
    expect(record).to_be_enabled(timeout=WAIT_MS)
    record.click()
    page.get_by_text("已重建:决定已生效。").wait_for(timeout=WAIT_MS * 4)
    session.settle()
    assert page.locator('[data-testid="stException"]').count() == 0

    # graph/curation.py wrote the decision to the build's curation file, and the rebuild applied it
    recorded = curation.load_decisions(curation_file(built))
    assert [(d.action, d.entity, d.value, d.who, d.why, d.undone) for d in recorded] == [
        ("hide", entity, None, WHO, WHY, None)
    ]
    assert entity not in graph_ids(built)
    report = json.loads((built.folder / "build_report.json").read_text(encoding="utf-8"))
    assert [h["id"] for h in report["curation"]["hidden"]] == [entity]
    expect(page.locator("h1").first).to_have_text("主体档案", timeout=WAIT_MS)  # gone, and the page says why
    expect(page.locator('[data-testid="stMain"]')).to_contain_text("图谱中没有这个实体", timeout=WAIT_MS)

    # another build (as `ikg build` after re-extraction would) keeps it hidden
    curation.rebuild(graph_dir=built.folder, store="embedded", db=built.db)
    assert entity not in graph_ids(built)
    session.open(address, "主体档案", lang="zh")
    main = page.locator('[data-testid="stMain"]')
    expect(main).to_contain_text(WHY, timeout=WAIT_MS)  # the decision listed, with its undo

    # undo on the page: recorded as undone (kept as history), rebuilt, the entity is back
    page.get_by_role("button", name="撤销").click()
    page.get_by_text("已重建:决定已生效。").wait_for(timeout=WAIT_MS * 4)
    session.settle()
    expect(page.locator("h1").first).to_have_text(name, timeout=WAIT_MS)
    (undone,) = curation.load_decisions(curation_file(built))
    assert undone.undone and undone.undone_by == WHO
    assert entity in graph_ids(built)
    expect(main).to_contain_text("已撤销", timeout=WAIT_MS)
    assert curation.CURATION_FILE.read_bytes() == repo_file  # the repository's file untouched
    assert not session.errors, session.errors
