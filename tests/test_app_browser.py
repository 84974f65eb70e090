"""The app in a real browser: `python -m app.cli` (= `ikg app`) on a free port, driven by headless Chromium.

Needs the Python package playwright and Debian's chromium (/usr/bin/chromium; no `playwright install`).
Without them the tests skip and say why, except under CI=true, where they fail. Screenshots go to
tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest

from tests.app_graph import XSS_ALIAS, XSS_ID, XSS_NAME, AppGraph, build_app_graph

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = os.environ.get("IKG_CHROMIUM", "/usr/bin/chromium")
START_TIMEOUT = 60.0
WAIT_MS = 30_000


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def _unavailable() -> str | None:
    missing = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the Python package playwright is not installed (pip install playwright)")
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        missing.append(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        import pyvis  # noqa: F401
        import streamlit  # noqa: F401
    except ImportError as exc:
        missing.append(f"the app's dependencies are missing ({exc})")
    return "; ".join(missing) or None


@pytest.fixture(scope="module", autouse=True)
def _browser_available() -> None:
    reason = _unavailable()
    if reason is None:
        return
    if _in_ci():
        pytest.fail(f"browser tests cannot run under CI: {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> AppGraph:
    return build_app_graph(tmp_path_factory.mktemp("app_browser"))


@pytest.fixture(scope="module")
def server(built: AppGraph, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served by `python -m app.cli` on a free localhost port; stopped (with its child) after."""
    from bench.app_server import AppNotServing, served

    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(built.env)
    args = ["--store", "embedded", "--db", str(built.db), "--graph-dir", str(built.folder)]
    log_path = tmp_path_factory.mktemp("app_server") / "server.log"
    try:
        with served(env, log_path, args, timeout=START_TIMEOUT) as (base, _):
            yield base
    except AppNotServing as exc:
        pytest.fail(str(exc), pytrace=False)


class Session:
    """One browser page that records dialogs, page errors and requests leaving the app's origin."""

    def __init__(self, page: Any, base: str) -> None:
        self.page = page
        self.base = base
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.outside: list[str] = []
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("request", self._request)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _request(self, request: Any) -> None:
        url = request.url
        if not url.startswith((self.base, "data:", "about:", "blob:")):
            self.outside.append(url)

    def open(self, path: str, heading: str | None = None, lang: str = "en") -> None:
        """Open a page (in English unless asked: the Chinese interface has tests/test_app_i18n_browser.py)."""
        sep = "&" if "?" in path else "?"
        self.page.goto(f"{self.base}/{path}{sep}lang={lang}")
        h1 = self.page.locator("h1").first
        h1.wait_for(timeout=WAIT_MS)
        if heading is not None:
            from playwright.sync_api import expect

            expect(h1).to_have_text(heading, timeout=WAIT_MS)

    def network_frame(self, index: int = 0, min_nodes: int = 1, contains: str | None = None) -> Any:
        """The index-th pyvis iframe once vis-network has drawn its nodes (at least min_nodes, and the
        node `contains` when given). Polled: a rerun may replace the iframe's document meanwhile."""
        condition = f"typeof nodes !== 'undefined' && nodes.length >= {min_nodes}"
        if contains is not None:
            condition += f" && nodes.get({json.dumps(contains)}) !== null"
        deadline = time.monotonic() + WAIT_MS / 1000
        last: Exception | None = None
        while time.monotonic() < deadline:
            try:
                handle = self.page.locator("iframe").nth(index).element_handle(timeout=WAIT_MS)
                frame = handle.content_frame()
                if frame is not None and frame.evaluate(condition):
                    frame.wait_for_selector("#mynetwork canvas", timeout=WAIT_MS)
                    return frame
            except Exception as exc:  # the frame navigated while we looked: look again
                last = exc
            self.page.wait_for_timeout(200)
        raise AssertionError(f"no network with {condition} in iframe {index}: {last}")

    def settle(self) -> None:
        """Wait until Streamlit has finished the current run."""
        self.page.wait_for_timeout(300)
        self.page.locator('[data-testid="stStatusWidget"]').wait_for(state="detached", timeout=WAIT_MS)

    def shot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def session(browser: Any, server: str) -> Iterator[Session]:
    context = browser.new_context(viewport={"width": 1400, "height": 1800}, locale="zh-CN")
    page = context.new_page()
    s = Session(page, server)
    try:
        yield s
    finally:
        context.close()
    assert not s.dialogs, f"a dialog fired: {s.dialogs}"
    assert not s.outside, f"requests left the app: {s.outside[:5]}"


def _network_nodes(frame: Any) -> list[dict[str, Any]]:
    return frame.evaluate("nodes.get().map(n => ({id: n.id, name: n.ikg_name, label: n.ikg_label}))")


def _actor_edge(graph: Any, edge: Any) -> bool:
    """A relationship the degree counts (and the neighbourhood walks): not provenance, not a figure."""
    from graph.schema import NON_ACTOR_LABELS, NON_ACTOR_RELS

    if edge.type in NON_ACTOR_RELS:
        return False
    return all(graph.label_of(end) not in NON_ACTOR_LABELS for end in (edge.src, edge.dst))


def _pick(page: Any, label: str, option: str) -> None:
    """Choose an option in a Streamlit select box by typing it."""
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label).first
    box.click()
    page.keyboard.type(option)
    page.get_by_role("option").filter(has_text=option).first.click()


# --- the pages --------------------------------------------------------------------------------------


def test_overview_shows_the_counts_fast(session: Session, built: AppGraph):
    from playwright.sync_api import expect

    started = time.perf_counter()
    session.open("", "Innovation ecosystem: overview")
    metrics = session.page.locator('[data-testid="stMetric"]')
    expect(metrics.filter(has_text="Entities").first).to_contain_text(str(len(built.graph.nodes)))
    elapsed = time.perf_counter() - started
    expect(metrics.filter(has_text="Documents").first).to_contain_text(str(len(built.graph.documents)))
    main = session.page.locator("[data-testid='stMain']").first
    for heading in ("Documents", "Entities by type", "Counted structures", "Clusters → chains", "Build and"):
        expect(main).to_contain_text(heading, timeout=WAIT_MS)
    expect(metrics.filter(has_text="Merged").first).to_contain_text(str(built.report.merged))
    assert "embedded LadybugDB" in session.page.locator('[data-testid="stSidebar"]').inner_text()
    session.settle()
    session.shot("app_home")
    assert elapsed < 15, f"overview took {elapsed:.1f}s"
    print(f"overview rendered in {elapsed:.2f}s")


def test_explore_draws_the_neighbourhood(session: Session, built: AppGraph):
    graph = built.graph
    from graph.schema import NODE_SPECS

    def shown(e: Any) -> bool:  # policy measures are off by default
        return _actor_edge(graph, e) and e.type != "RESPONSIBLE_FOR"

    degree: dict[str, int] = {}
    for e in graph.edges:
        if shown(e):  # an ecosystem hub, not a policy one
            for end in (e.src, e.dst):
                degree[end] = degree.get(end, 0) + 1
    center = max(sorted(degree), key=lambda i: degree[i] if degree[i] <= 40 else 0)  # a hub, still legible
    session.open(f"Explore?{urlencode({'id': center})}", "Explore the ecosystem")
    neighbours = {
        e.dst if e.src == center else e.src for e in graph.edges if shown(e) and center in (e.src, e.dst)
    }
    frame = session.network_frame(min_nodes=len(neighbours) + 1, contains=center)
    drawn = {n["id"] for n in _network_nodes(frame)}
    assert drawn == {center, *neighbours}
    canvas = frame.locator("#mynetwork canvas").bounding_box()
    assert canvas and canvas["width"] > 300 and canvas["height"] > 300
    legend = session.page.locator(".ikg-legend").first.inner_text()
    assert NODE_SPECS[graph.nodes[center].label].en in legend  # the type's name, not its code
    session.settle()
    session.shot("app_explore")


def test_chain_gap_view(session: Session, built: AppGraph):
    from playwright.sync_api import expect

    graph = built.graph
    chain_id = sorted({e.src for e in graph.edges if e.type == "HAS_LINK"})[-1]
    name = graph.nodes[chain_id].name
    session.open("Chain_gaps", "Industry chains and their gaps")
    _pick(session.page, "Chain (most gaps first)", name)
    expect(session.page.locator("h2, h3").filter(has_text=name).first).to_be_visible(timeout=WAIT_MS)
    links = [
        graph.nodes[e.dst].name
        for e in sorted(
            (e for e in graph.edges if e.type == "HAS_LINK" and e.src == chain_id),
            key=lambda e: e.props["ord"],
        )
    ]
    main = session.page.locator("[data-testid='stMain']").first
    expect(main).to_contain_text(" → ".join(links), timeout=WAIT_MS)
    frame = session.network_frame(min_nodes=len(links) + 1, contains=chain_id)
    drawn = {n["id"] for n in _network_nodes(frame)}
    assert chain_id in drawn
    expect(main).to_contain_text("Gaps across all chains")
    expect(session.page.get_by_role("button", name="Download CSV").first).to_be_visible()
    session.settle()
    session.shot("app_chain_gaps")


def test_a_preset_runs(session: Session, built: AppGraph):
    from playwright.sync_api import expect

    from graph.stores.base import open_store
    from queries.catalog import presets
    from queries.runner import Runner

    store = open_store("embedded", path=str(built.db))
    try:
        runner = Runner(store)
        preset_id, result = next(
            (pid, r) for pid in _preferred(presets()) if (r := _try(runner, pid)) is not None and r.rows
        )
    finally:
        store.close()
    session.open(f"Presets?preset={quote(preset_id)}", "Preset questions")
    session.settle()
    session.page.get_by_role("button", name="Run").click()
    main = session.page.locator("[data-testid='stMain']").first
    expect(main).to_contain_text(f"{len(result.rows)} row", timeout=WAIT_MS)
    expect(session.page.locator('[data-testid="stDataFrame"]').first).to_be_visible()
    if result.subgraph and result.subgraph["nodes"]:
        frame = session.network_frame(min_nodes=len(result.subgraph["nodes"]))
        assert len(_network_nodes(frame)) == len(result.subgraph["nodes"])
    session.settle()
    session.shot("app_presets")


def _preferred(library: dict[str, Any]) -> list[str]:
    first = [p for p in ("chain_gaps", "system_members", "cluster_overview") if p in library]
    return first + [p for p in library if p not in first]


def _try(runner: Any, preset_id: str) -> Any:
    try:
        return runner.run(preset_id, {})
    except Exception:
        return None


def test_query_page_runs_and_refuses_writes(session: Session, built: AppGraph):
    from playwright.sync_api import expect

    session.open("Query", "Free Cypher query")
    session.settle()
    session.page.get_by_role("button", name="Run").click()
    main = session.page.locator("[data-testid='stMain']").first
    expect(main).to_contain_text(" rows in ", timeout=WAIT_MS)
    session.network_frame(min_nodes=2)

    area = session.page.locator("textarea").first
    area.fill("CREATE (n:Region {id: 'x', name: 'x'}) RETURN n")
    area.press("Control+Enter")  # apply the text area's value
    session.settle()
    session.page.get_by_role("button", name="Run").click()
    alert = session.page.locator('[data-testid="stAlert"]').filter(has_text="Refused")
    expect(alert.first).to_contain_text("read-only", timeout=WAIT_MS)
    session.settle()
    session.shot("app_query_refused")


def test_hostile_actor_renders_as_text(session: Session, built: AppGraph):
    from playwright.sync_api import expect

    session.open(f"Actor?{urlencode({'id': XSS_ID})}")
    page = session.page
    expect(page.locator("h1").first).to_have_text(XSS_NAME, timeout=WAIT_MS)
    main = page.locator("[data-testid='stMain']").first
    expect(main).to_contain_text(XSS_ALIAS)
    mark = main.locator("mark:visible").filter(has_text=XSS_NAME).first
    expect(mark).to_be_visible()
    expect(main).to_contain_text("<i>测试章节</i>")
    expect(main).to_contain_text("测试<b>粗体</b>")

    frame = session.network_frame(min_nodes=2, contains=XSS_ID)
    names = {n["name"] for n in _network_nodes(frame)}
    assert XSS_NAME in names
    # Hover the hostile node: its tooltip shows the name as text, builds no <img>.
    pos = frame.evaluate(
        "(id) => { const p = network.getPositions([id])[id]; return network.canvasToDOM(p); }", XSS_ID
    )
    box = page.locator("iframe").first.bounding_box()
    page.mouse.move(box["x"] + pos["x"], box["y"] + pos["y"])
    tooltip = frame.locator("div.vis-tooltip")
    expect(tooltip).to_be_visible(timeout=WAIT_MS)
    assert XSS_NAME in tooltip.inner_text() and XSS_ALIAS in tooltip.inner_text()
    page.wait_for_timeout(800)  # time for an onerror handler to fire, were there an <img>
    for f in page.frames:
        assert f.locator("img[src='x']").count() == 0
        assert f.locator("script:text('alert(2)')").count() == 0
    session.shot("app_actor_hostile")

    session.open(f"Explore?{urlencode({'id': XSS_ID})}", "Explore the ecosystem")
    frame = session.network_frame(min_nodes=2, contains=XSS_ID)
    assert XSS_NAME in {n["name"] for n in _network_nodes(frame)}
    page.wait_for_timeout(500)
    session.shot("app_explore_hostile")


def test_every_page_loads_without_errors(session: Session, built: AppGraph):
    for path, heading in (
        ("", "Innovation ecosystem: overview"),
        ("Explore", "Explore the ecosystem"),
        ("Chain_gaps", "Industry chains and their gaps"),
        ("Matrix", "Support matrix"),
        ("Regions", "Regions side by side"),
        ("Presets", "Preset questions"),
        ("Query", "Free Cypher query"),
        ("Policy", "Policy and indicators"),
        (f"Actor?{urlencode({'id': built.partner_id})}", built.graph.nodes[built.partner_id].name),
    ):
        session.open(path, heading)
        session.settle()
        assert session.page.locator('[data-testid="stException"]').count() == 0, path
    assert not session.errors, session.errors
