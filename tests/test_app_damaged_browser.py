"""The Overview's document list in headless Chromium: the warning of each document read from a
damaged file, and the notice above the list.

The server, browser and session fixtures come from tests/test_app_browser.py (skipped without
playwright or Chromium, failed under CI=true); the graph is tests/test_app_damaged.py's. The
screenshot goes to tests/artifacts/app_damaged_documents.png.
"""

# Fixtures imported from tests/test_app_browser.py are registered here too (`_browser_available` is
# autouse, `server` runs on this module's `built`); test arguments naming them are ruff's F811.
# ruff: noqa: F811

from __future__ import annotations

import pytest

from tests.app_graph import AppGraph
from tests.test_app_browser import (  # noqa: F401  (fixtures)
    WAIT_MS,
    Session,
    _browser_available,
    browser,
    server,
    session,
)
from tests.test_app_damaged import NOTICE, build_damaged_app_graph, warnings

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> AppGraph:
    return build_damaged_app_graph(tmp_path_factory.mktemp("app_damaged_browser"))


def test_the_document_list_shows_each_warning(session: Session, built: AppGraph):
    from playwright.sync_api import expect

    session.open("", "Innovation ecosystem: overview")
    main = session.page.locator("[data-testid='stMain']").first
    expect(main.locator('[data-testid="stAlert"]').filter(has_text=NOTICE)).to_have_count(1, timeout=WAIT_MS)
    table = session.page.locator('[data-testid="stDataFrame"]').first
    notes = warnings(built)
    assert len(notes) == 2
    for note in notes.values():  # the grid's cells are also in the DOM for assistive technology
        expect(table.locator('[role="gridcell"]').filter(has_text=note)).to_have_count(1, timeout=WAIT_MS)
    session.settle()
    session.shot("app_damaged_documents")
    assert not session.errors, session.errors
