"""The app a planner reads, in headless Chromium: every page in Chinese (the default) and in English with no
exception and no schema code in its text, the language kept across pages and reloads, the "nothing known"
state of a chain without links, the support matrix downloaded as CSV with its BOM and as PNG, a click on a
network node expanding it, labels readable at the default zoom, regions side by side.

The graph is the corpus plus an invented city's plan (tests/fixtures/docs/xichuan_plan.txt). The server,
browser and session fixtures come from tests/test_app_browser.py (skipped without playwright or Chromium,
failed under CI=true). Screenshots go to tests/artifacts/ (the README's are copied to docs/ from there);
page load times are printed.
"""

# Fixtures imported from tests/test_app_browser.py are registered here too (`_browser_available` is autouse,
# `server` runs on this module's `built`); test arguments naming them are ruff's F811.
# ruff: noqa: F811

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest

from graph import schema
from tests.app_graph import (
    BLANK_CHAIN,
    INVENTED_CITY,
    KNOWN_CHAIN,
    KNOWN_LINKS,
    SUPPORTED_LINK,
    AppGraph,
    build_app_graph,
    invented_extractions,
)
from tests.test_app_browser import (  # noqa: F401  (fixtures)
    WAIT_MS,
    Session,
    _browser_available,
    browser,
    server,
    session,
)

pytestmark = pytest.mark.browser

CODES = re.compile(
    r"(?<![A-Za-z_])("
    + "|".join(sorted({*schema.NODE_SPECS, *schema.REL_SPECS}, key=len, reverse=True))
    + r")(?![A-Za-z_])"
)
CJK = re.compile(r"[\u4e00-\u9fff]")
# The text of the main column and the sidebar, hidden parts (folded expanders, the grid's cells) included;
# code blocks and the Cypher editor left out (Cypher names labels by their codes).
TEXT_JS = """() => ['[data-testid=stMain]', '[data-testid=stSidebar]'].map(sel => {
  const el = document.querySelector(sel); if (!el) { return ''; }
  const copy = el.cloneNode(true);
  copy.querySelectorAll('textarea, pre, code, style, script').forEach(e => e.remove());
  return copy.textContent;
}).join('\\n')"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> AppGraph:
    return build_app_graph(tmp_path_factory.mktemp("app_i18n_browser"), extra=invented_extractions())


def chain_id(built: AppGraph, name: str) -> str:
    return next(i for i, n in built.graph.nodes.items() if n.label == "IndustryChain" and n.name == name)


def pages(built: AppGraph) -> list[tuple[str, str, str]]:
    """(address, Chinese heading, English heading)."""
    lab = sorted(i for i, n in built.graph.nodes.items() if n.label == "Lab")[0]
    name = built.graph.nodes[lab].name
    return [
        ("", "创新生态总览", "Innovation ecosystem: overview"),
        ("Explore", "关系网络", "Explore the ecosystem"),
        (f"Explore?{urlencode({'id': built.partner_id})}", "关系网络", "Explore the ecosystem"),
        (
            f"Chain_gaps?{urlencode({'chain': chain_id(built, KNOWN_CHAIN)})}",
            "产业链与短板",
            "Industry chains and their gaps",
        ),
        ("Matrix", "支撑矩阵", "Support matrix"),
        ("Regions", "地区对比", "Regions side by side"),
        ("Policy", "政策与指标", "Policy and indicators"),
        (f"Actor?{urlencode({'id': lab})}", name, name),
        ("Presets", "预设问题", "Preset questions"),
        ("Query", "自由查询(Cypher)", "Free Cypher query"),
    ]


def page_text(session: Session) -> str:
    session.settle()
    return session.page.evaluate(TEXT_JS)


def test_every_page_in_chinese_and_in_english(session: Session, built: AppGraph):
    timings = []
    for path, zh, en in pages(built):
        for lang, heading in (("zh", zh), ("en", en)):
            started = time.perf_counter()
            session.open(path, heading, lang=lang)
            session.settle()
            timings.append((lang, path.split("?")[0] or "Overview", time.perf_counter() - started))
            assert session.page.locator('[data-testid="stException"]').count() == 0, (lang, path)
            text = page_text(session)
            if lang == "zh":
                codes = sorted({m.group(1) for m in CODES.finditer(text)})
                assert not codes, (path, codes)
                assert CJK.search(text), path
    assert not session.errors, session.errors
    for lang, page, seconds in timings:
        print(f"{lang} {page}: {seconds:.2f}s")


def test_chinese_labels_in_the_legend_and_the_tables(session: Session, built: AppGraph):
    session.open("", "创新生态总览", lang="zh")
    legend = session.page.locator(".ikg-legend").first.inner_text()
    for label in ("University", "IndustryChain", "IndustryCluster", "Region"):
        assert schema.NODE_SPECS[label].zh in legend
    grid = session.page.locator('[data-testid="stDataFrame"]').nth(1)
    from playwright.sync_api import expect

    expect(grid.locator('[role="gridcell"]').filter(has_text="高校").first).to_be_attached(timeout=WAIT_MS)
    session.shot("app_overview_zh")


def test_the_language_is_kept_across_pages_and_reloads(session: Session, built: AppGraph):
    from playwright.sync_api import expect

    page = session.page
    page.goto(session.base + "/")  # no language asked: Chinese
    expect(page.locator("h1").first).to_have_text("创新生态总览", timeout=WAIT_MS)
    session.settle()
    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    expect(page.locator("h1").first).to_have_text("Innovation ecosystem: overview", timeout=WAIT_MS)
    session.settle()
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Chains and gaps", exact=True).click()
    expect(page.locator("h1").first).to_have_text("Industry chains and their gaps", timeout=WAIT_MS)
    session.settle()
    assert "lang=en" in page.url
    page.reload()
    expect(page.locator("h1").first).to_have_text("Industry chains and their gaps", timeout=WAIT_MS)
    session.settle()
    page.locator('[data-testid="stSidebar"]').get_by_text("中文", exact=True).click()
    expect(page.locator("h1").first).to_have_text("产业链与短板", timeout=WAIT_MS)
    session.settle()
    page.locator('[data-testid="stSidebarNav"]').get_by_text("总览", exact=True).click()
    expect(page.locator("h1").first).to_have_text("创新生态总览", timeout=WAIT_MS)
    assert not session.errors, session.errors


def test_a_chain_without_links_says_nothing_known(session: Session, built: AppGraph):
    from playwright.sync_api import expect

    session.open(
        f"Chain_gaps?{urlencode({'chain': chain_id(built, BLANK_CHAIN)})}", "产业链与短板", lang="zh"
    )
    main = session.page.locator("[data-testid='stMain']").first
    alert = session.page.locator('[data-testid="stAlert"]').filter(has_text="尚无信息").first
    expect(alert).to_contain_text("不是“没有短板”", timeout=WAIT_MS)
    expect(alert).to_contain_text("可以补充")
    metrics = session.page.locator('[data-testid="stMetric"]')
    expect(metrics.filter(has_text="短板").first).to_contain_text("—")
    assert "没有缺少" not in main.inner_text() and "无短板" not in main.inner_text()

    session.open(
        f"Chain_gaps?{urlencode({'chain': chain_id(built, KNOWN_CHAIN)})}", "产业链与短板", lang="zh"
    )
    expect(main).to_contain_text(" → ".join(KNOWN_LINKS[:2]), timeout=WAIT_MS)
    expect(
        session.page.locator('[data-testid="stAlert"]').filter(has_text="文件中为无").first
    ).to_be_visible()
    session.settle()
    session.shot("app_chains")
    assert not session.errors, session.errors


def test_the_matrix_downloads_as_csv_with_a_bom_and_as_png(session: Session, built: AppGraph):
    from playwright.sync_api import expect

    link, actor = SUPPORTED_LINK
    session.open(f"Matrix?chain={quote(KNOWN_CHAIN)}", "支撑矩阵", lang="zh")
    page = session.page
    expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible(timeout=WAIT_MS)
    session.settle()
    with page.expect_download(timeout=WAIT_MS) as info:
        page.get_by_role("button", name="下载矩阵 CSV").click()
    data = Path(info.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), data[:10]
    lines = data.decode("utf-8-sig").splitlines()
    header = lines[0].split(",")
    assert header[0] == "环节" and actor in header and header[-1] == "支撑主体数"
    row = next(r.split(",") for r in lines if r.startswith(link + ","))
    assert row[header.index(actor)] == "✓"
    with page.expect_download(timeout=WAIT_MS) as info:
        page.get_by_role("button", name="下载图片 (PNG)").click()
    assert Path(info.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    session.shot("app_matrix")
    assert not session.errors, session.errors


def test_a_click_on_a_node_expands_it_and_labels_are_readable(session: Session, built: AppGraph):
    from playwright.sync_api import expect

    session.open("Explore", "关系网络", lang="zh")
    frame = session.network_frame(min_nodes=5)
    page = session.page
    page.wait_for_timeout(1500)  # the layout settles, the labels take their size
    assert float(frame.evaluate("document.body.getAttribute('data-ikg-font')")) >= 14
    before = frame.evaluate("nodes.length")
    cluster = frame.evaluate("nodes.get().filter(n => n.ikg_label === 'IndustryCluster').map(n => n.id)[0]")
    session.shot("app_explore")
    pos = frame.evaluate("(id) => network.canvasToDOM(network.getPositions([id])[id])", cluster)
    box = page.locator("iframe").first.bounding_box()
    page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    expect(page.locator("[data-testid='stMain']").first).to_contain_text("已展开", timeout=WAIT_MS)
    frame = session.network_frame(min_nodes=before)
    assert frame.evaluate("nodes.length") >= before
    assert not session.errors, session.errors


def test_regions_side_by_side_link_to_the_evidence(session: Session, built: AppGraph):
    from playwright.sync_api import expect

    started = time.perf_counter()
    session.open("Regions", "地区对比", lang="zh")
    table = session.page.locator(".ikg-regions").first
    expect(table).to_contain_text(INVENTED_CITY, timeout=WAIT_MS)
    print(f"regions page: {time.perf_counter() - started:.2f}s")
    session.settle()
    session.shot("app_regions")
    table.get_by_role("link", name=KNOWN_CHAIN, exact=True).first.click()
    expect(session.page.locator("h1").first).to_have_text(KNOWN_CHAIN, timeout=WAIT_MS)
    expect(session.page.locator("[data-testid='stMain']").first).to_contain_text("关系")
    assert not session.errors, session.errors
