"""Chinese first: every page in Chinese by default and in English on request, the language kept across
pages, no schema code (IndustryChain, PART_OF_CLUSTER …) in anything the Chinese interface shows, the
names coming from the one schema (graph/schema.py), whose README table is generated from it.

Under AppTest on the corpus graph (tests/app_graph.py); the same in a real browser is in
tests/test_app_i18n_browser.py.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from app import i18n, nav
from graph import schema
from tests.app_graph import XSS_ID, AppGraph, build_app_graph
from tests.test_app_pages import _runner, env, fill_required, run_page  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parent.parent
CODES = re.compile(
    r"(?<![A-Za-z_])("
    + "|".join(sorted({*schema.NODE_SPECS, *schema.REL_SPECS}, key=len, reverse=True))
    + r")(?![A-Za-z_])"
)
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> AppGraph:
    return build_app_graph(tmp_path_factory.mktemp("app_i18n"))


class _Text(HTMLParser):
    """The text of HTML as a reader sees it (no tags, no attributes such as a link's address)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self.skip += tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def visible(markup: str) -> str:
    parser = _Text()
    parser.feed(markup)
    return " ".join(parser.parts)


def shown(at) -> list[str]:
    """Every text a page shows (both columns: main and sidebar), except code blocks (Cypher)."""
    out: list[str] = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "warning",
        "error",
        "success",
    ):
        out += [visible(str(e.value)) for e in at.get(kind)]
    out += [f"{m.label} {m.value}" for m in at.metric]
    for kind in ("selectbox", "multiselect", "radio"):
        for w in at.get(kind):
            out += [str(w.label), *map(str, w.options)]
    for kind in ("text_input", "text_area", "number_input", "checkbox", "toggle", "slider", "button"):
        out += [str(w.label) for w in at.get(kind)]
    out += [str(e.label) for e in at.get("expander")]
    out += [str(e.proto.label) for kind in ("page_link", "download_button") for e in at.get(kind)]
    for df in at.dataframe:
        frame = df.value
        out += [str(c) for c in frame.columns]
        out += [str(v) for c in frame.columns for v in frame[c] if isinstance(v, str)]
    return out


def codes_in(texts: list[str]) -> set[str]:
    return {m.group(1) for t in texts for m in CODES.finditer(t)}


def pages(built: AppGraph) -> list[tuple[str, dict[str, str]]]:
    graph = built.graph
    chain = sorted(e.src for e in graph.edges if e.type == "HAS_LINK")[0]
    lab = sorted(i for i, n in graph.nodes.items() if n.label == "Lab")[0]
    return [
        ("views/0_Overview.py", {}),
        ("views/1_Explore.py", {}),
        ("views/1_Explore.py", {"id": built.partner_id}),
        ("views/2_Chain_gaps.py", {"chain": chain}),
        ("views/7_Matrix.py", {}),
        (
            "views/7_Matrix.py",
            {"cluster": sorted(n.name for n in graph.nodes.values() if n.label == "IndustryCluster")[0]},
        ),
        ("views/8_Regions.py", {}),
        ("views/6_Policy.py", {}),
        ("views/5_Actor.py", {"id": lab}),
        ("views/5_Actor.py", {"id": XSS_ID}),
        ("views/5_Actor.py", {}),
        ("views/3_Presets.py", {}),
        ("views/4_Query.py", {}),
    ]


def test_every_page_in_chinese_shows_no_schema_code(built: AppGraph):
    seen: set[str] = set()
    for page, query in pages(built):
        at = run_page(page, lang="zh", **query)
        texts = shown(at)
        assert not codes_in(texts), (page, query, sorted(codes_in(texts)))
        if query.get("id") != XSS_ID:  # the actor page's title is the actor's name
            assert at.title and CJK.search(at.title[0].value), page
        seen.update(texts)
    # the types' Chinese names are what the pages show
    names = {spec.zh for spec in schema.NODE_SPECS.values()}
    assert {"高校", "研究院所", "实验室", "平台", "园区", "产业链", "产业集群", "创新体系"} <= names
    assert len([n for n in names if any(n in t for t in seen)]) >= 10


def test_the_answers_of_every_preset_in_chinese_show_no_code_and_no_raw_json(built: AppGraph):
    from queries.catalog import presets

    runner = _runner(built)
    at = run_page("views/3_Presets.py", lang="zh")
    for preset_id, preset in presets().items():
        at.selectbox(key="preset").set_value(preset_id).run()
        fill_required(at, preset, runner)
        at.button(key="run_preset").click().run()
        assert not at.exception, preset_id
        texts = shown(at)
        assert not codes_in(texts), (preset_id, sorted(codes_in(texts)))
        for df in at.dataframe:
            assert all(CJK.search(str(c)) for c in df.value.columns), (preset_id, list(df.value.columns))


def test_the_query_page_answer_in_chinese_names_its_relationships(built: AppGraph):
    at = run_page("views/4_Query.py", lang="zh")
    at.button(key="run_query").click().run()
    frame = at.dataframe[0].value
    assert set(frame["rel"]) == {"缺少"}  # the example query returns 'LACKS' AS rel


def test_every_page_in_english(built: AppGraph):
    for page, query in pages(built):
        at = run_page(page, lang="en", **query)
        assert (at.title and not CJK.search(at.title[0].value)) or page.endswith("5_Actor.py"), page
        labels = [m.label for m in at.metric]
        assert not any(CJK.search(label) for label in labels), (page, labels)


def test_the_language_is_kept_across_pages_and_switched_from_the_sidebar(built: AppGraph):
    at = run_page(lang="zh")
    assert at.title[0].value == "创新生态总览"
    at.sidebar.radio(key=nav.SWITCH_KEY).set_value("en").run()
    i18n.use("en")  # AppTest formats the widgets' values in this thread too
    assert at.title[0].value == "Innovation ecosystem: overview"
    assert at.query_params["lang"] in ("en", ["en"])
    at.switch_page("views/2_Chain_gaps.py")
    at.query_params.pop("lang", None)  # a page reached from the navigation: the session keeps it
    at.run()
    assert at.title[0].value == "Industry chains and their gaps"
    at.sidebar.radio(key=nav.SWITCH_KEY).set_value("zh").run()
    i18n.use("zh")
    assert at.title[0].value == "产业链与短板"


def test_schema_names_every_label_and_type_in_both_languages():
    for spec in schema.NODE_SPECS.values():
        assert CJK.search(spec.zh) and spec.en and not CJK.search(spec.en), spec.label
    for spec in schema.REL_SPECS.values():
        assert CJK.search(spec.zh) and spec.en and not CJK.search(spec.en), spec.type
    assert schema.NODE_SPECS["IndustryChain"].zh == "产业链" and schema.REL_SPECS["SUPPORTS"].zh == "支撑"
    assert schema.REL_SPECS["LACKS"].zh == "缺少" and schema.NODE_SPECS["University"].zh == "高校"
    with i18n.using("zh"):
        assert i18n.label("Park") == "园区" and i18n.rel("PART_OF_CLUSTER") == "属于集群"
        assert i18n.names_in("Program → Region") == "计划项目 → 区域"
        assert i18n.reason("relation:pattern_not_allowed") == "关系:类型组合不允许"
        assert i18n.result_column("n_unsupported_links") == "无支撑环节数"
        assert i18n.result_column("member_label") == "成员类型"
    with i18n.using("en"):
        assert i18n.label("Park") == "park" and i18n.rel("PART_OF_CLUSTER") == "part of cluster"


def test_the_readme_schema_table_is_the_generated_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert schema.markdown_table() in readme


def test_every_table_header_has_a_chinese_name():
    for english, chinese in i18n.COLUMNS.items():
        assert CJK.search(chinese), english
    with i18n.using("zh"), pytest.raises(KeyError):
        i18n.column("a header nobody named")
