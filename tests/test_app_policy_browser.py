"""The Policy page in headless Chromium: the targets table with its statuses, the evidence on expand, the
hostile policy layer shown as text; no JS error, no dialog, no request leaving the app.

The server, browser and session fixtures come from tests/test_app_browser.py (skipped without playwright
or Chromium, failed under CI=true); the graph is the Policy AppTest graph (tests/test_app_policy.py): the
corpus plus a hostile policy layer. The screenshot goes to tests/artifacts/app_policy.png.
"""

# Fixtures imported from tests/test_app_browser.py are registered here too (`_browser_available` is autouse,
# `server` runs on this module's `built`); test arguments naming them are ruff's F811.
# ruff: noqa: F811

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from app import i18n, policy
from tests.app_graph import XSS_NAME, AppGraph
from tests.test_app_browser import (  # noqa: F401  (fixtures)
    WAIT_MS,
    Session,
    _browser_available,
    browser,
    server,
    session,
)
from tests.test_app_policy import HOSTILE_TARGET, build_policy_app_graph

pytestmark = pytest.mark.browser

TITLE = "Policy and indicators"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> AppGraph:
    return build_policy_app_graph(tmp_path_factory.mktemp("app_policy_browser"))


def _targets(built: AppGraph, region: str) -> list[dict]:
    from graph.stores.base import open_store
    from queries.runner import Runner

    store = open_store("embedded", path=str(built.db))
    try:
        return Runner(store).run("indicator_targets", {"region": region}).records()
    finally:
        store.close()


def _table(session: Session, index: int = 0):
    return session.page.locator('[data-testid="stDataFrame"]').nth(index)


def test_targets_table_shows_met_and_behind(session: Session, built: AppGraph):
    from playwright.sync_api import expect

    session.open("Policy", TITLE)
    page = session.page
    main = page.locator("[data-testid='stMain']").first
    expect(main).to_contain_text("Targets against the latest reported values", timeout=WAIT_MS)
    # the place a later report tracks comes first
    expect(page.get_by_role("combobox", name="Place", exact=True)).to_have_value("威海市", timeout=WAIT_MS)
    rows = _targets(built, "威海市")
    statuses = [r["status"] for r in rows]
    assert {"met", "behind", "no data"} <= set(statuses)

    # The table (a canvas grid; its cells are also in the DOM for assistive technology).
    table = _table(session)
    expect(table).to_be_visible(timeout=WAIT_MS)
    for status in ("met", "behind"):
        want = statuses.count(status)
        with i18n.using("en"):
            marked = policy.mark(status)
        cells = table.locator('[role="gridcell"]').filter(has_text=marked)
        expect(cells).to_have_count(want, timeout=WAIT_MS)
    expect(table.locator('[role="gridcell"]').filter(has_text=">1500家").first).to_be_attached()
    expect(table.locator('[role="gridcell"]').filter(has_text="约1700家").first).to_be_attached()
    metrics = page.locator('[data-testid="stMetric"]')
    expect(metrics.filter(has_text="Met").first).to_contain_text(str(statuses.count("met")))
    expect(metrics.filter(has_text="Behind").first).to_contain_text(str(statuses.count("behind")))
    expect(page.get_by_role("button", name="Download CSV").first).to_be_visible()

    # Expand one tracked target: both sentences, their figures highlighted.
    rd = next(r for r in rows if r["key"] == "rd_intensity")
    expander = page.locator('[data-testid="stExpander"]').filter(has_text=f"{rd['indicator']}:").first
    expander.locator("summary").click()
    for side in ("target_evidence", "reported_evidence"):
        ev = rd[side][0]
        mark = expander.locator("mark").filter(has_text=ev["text"]).first
        expect(mark).to_be_visible(timeout=WAIT_MS)
    expect(main).to_contain_text("The same indicator, place by place")
    session.settle()
    page.evaluate(
        "() => { window.scrollTo(0, 0); document.querySelector('[data-testid=stMain]')?.scrollTo(0, 0); }"
    )
    session.shot("app_policy")
    assert not session.errors, session.errors


def test_hostile_policy_layer_renders_as_text(session: Session, built: AppGraph):
    from playwright.sync_api import expect

    region = built.graph.nodes[HOSTILE_TARGET].props["region"]
    session.open(f"Policy?{urlencode({'region': region})}", TITLE)
    page = session.page
    expander = page.locator('[data-testid="stExpander"]').filter(has_text=XSS_NAME).first
    expect(expander).to_be_visible(timeout=WAIT_MS)
    expander.locator("summary").click()
    expect(expander.locator("mark").filter(has_text=XSS_NAME).first).to_be_visible(timeout=WAIT_MS)
    expect(expander).to_contain_text("测试<b>粗体</b>")
    field = page.locator('[data-testid="stTextInput"] input').first
    field.fill(XSS_NAME)
    field.press("Enter")
    session.settle()
    page.wait_for_timeout(800)  # time for an onerror handler to fire, were there an <img>
    for frame in page.frames:
        assert frame.locator("img[src='x']").count() == 0
        assert frame.locator("script:text('alert(2)')").count() == 0
    assert not session.errors, session.errors
