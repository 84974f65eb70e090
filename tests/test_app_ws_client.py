"""The load benchmark's websocket client (bench/streamlit_ws.py, bench/bench_app_load.py) against a served
app: two sessions at once go through every page, search their own actor on Explore and run their own
tagged query twice on Query, with no error and every check held; and the checks do fail on another
session's state."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from bench.app_server import served
from bench.bench_app_load import Page, StreamlitSession, Tally, WsClient, WsSession, search_plan
from tests.app_graph import AppGraph, build_app_graph


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> AppGraph:
    return build_app_graph(tmp_path_factory.mktemp("app_ws"))


async def one_round(base: str, plan: list[tuple[str, str]], tally: Tally) -> list[Page]:
    pages = await WsClient(base).pages()

    async def user(number: int) -> None:
        async with StreamlitSession.connect(base) as client:
            session = WsSession(number, client, plan[number - 1], tally, think=0)
            await session.open()
            for page in pages:
                await session.visit(page)
            await session.visit(next(p for p in pages if p.query))  # its result is still its own

    await asyncio.gather(user(1), user(2))
    return pages


def test_two_sessions_go_through_every_page_with_their_own_state(built: AppGraph, tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "IKG_"))}
    plan = search_plan(built.env, env, 2)
    tally = Tally()
    with served({**env, **built.env}, tmp_path / "server.log") as (base, _):
        pages = asyncio.run(one_round(base, plan, tally))
    assert not tally.errors, tally.errors
    assert {p.path for p in pages} >= {"", "Explore", "Query"}
    for page in pages:
        assert len(tally.times[page.title]) >= 2, f"{page.title}: every session went there"
    # per session: its search on Explore, its two runs and the result it left there
    assert tally.checks == 2 * 4
    assert len(tally.times["Explore: search"]) == 2 and len(tally.times["Query: run"]) == 4


def test_the_checks_fail_on_another_sessions_state():
    tally = Tally()
    walker = WsSession(1, None, ("某名", "某名 · 高校 · "), tally, think=0)  # type: ignore[arg-type]
    walker.check_tags("Query: run", "RETURN 'ikg-load-02-1' AS tag", "ikg-load-01-1")
    walker.check_tags("Query: run", "ikg-load-01-1 ikg-load-02-1", "ikg-load-01-1")
    walker.check_search("他名 · 高校 · 度数 3")
    assert tally.checks == 3 and len(tally.errors) == 3
    walker.check_tags("Query: run", "RETURN 'ikg-load-01-1' AS tag", "ikg-load-01-1")
    walker.check_search("某名 · 高校 · 度数 3")
    assert tally.checks == 5 and len(tally.errors) == 3
