"""Documents read from damaged files carry their warning into the app's document list (Overview).

The graph is the corpus plus two damaged plans: one with NUL bytes inside a name, one cut inside its
last character. tests/test_app_damaged_browser.py shows the same list in headless Chromium.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ingest.records import TextDamage
from tests.app_graph import AppGraph, app_env, build_app_graph
from tests.test_bad_input import plan

HOME = str(Path(__file__).resolve().parent.parent / "app" / "Home.py")
NUL_NAME = "带 NUL 的规划.txt"
CUT_NAME = "cut short.txt"
NUL_TEXT = plan("海洋装备", "星港新材料")
NOTICE = (
    "2 of the documents were read from damaged files, keeping their good text: "
    "the warning column says what was replaced or removed."
)


def build_damaged_app_graph(folder: Path) -> AppGraph:
    """The corpus and the two damaged plans, extracted and built into folder (see build_app_graph)."""
    from ingest.extract import extract_paths

    src = folder / "in"
    src.mkdir()
    (src / NUL_NAME).write_bytes(NUL_TEXT.replace("装备", "装\x00\x00备").encode())
    (src / CUT_NAME).write_bytes((plan("深海材料", "蓝湾智能制造") + "建设").encode("gbk")[:-1])
    damaged, errors = extract_paths([src], progress=False)
    assert not errors, errors
    return build_app_graph(folder, damaged)


def warnings(built: AppGraph) -> dict[str, str]:
    """File name → the warning the app must show, from the build report."""
    return {name: TextDamage(**damage).describe() for name, damage in built.report.damaged.items()}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> AppGraph:
    return build_damaged_app_graph(tmp_path_factory.mktemp("app_damaged"))


@pytest.fixture(autouse=True)
def env(built: AppGraph) -> Iterator[None]:
    with app_env(built.env):
        yield


def test_the_build_report_holds_both_repairs(built: AppGraph) -> None:
    at = NUL_TEXT.index("装备") + 1
    assert warnings(built) == {
        NUL_NAME: f"damaged text salvaged (utf-8): 2 control characters removed, the first at character {at}",
        CUT_NAME: "damaged text salvaged (gb18030): an incomplete last character (1 byte) dropped",
    }


def test_overview_lists_the_warning_beside_each_damaged_document(built: AppGraph) -> None:
    at = AppTest.from_file(HOME, default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    table = at.dataframe[0].value
    shown = dict(zip(table["file"], table["warning"], strict=True))
    assert set(shown) == {d.name for d in built.graph.documents.values()}
    assert {name: note for name, note in shown.items() if note} == warnings(built)
    assert [w.value for w in at.warning] == [NOTICE]
