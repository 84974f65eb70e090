"""Pytest plugin: the corpus graph loaded into both stores, each behind a query Runner.

Fixtures `embedded` and `neo4j` (module scope: one load per test module), and `runner`, which runs a
test on both (the Neo4j half skips without a server and fails under CI=true, tests/neo4j_support.py).
A module that needs other stores under the same names defines its own fixtures, which win. Plus the
row helpers the preset tests share. Registered in tests/conftest.py.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

import pytest

from graph.build import build_graph
from graph.model import Graph
from graph.stores.ladybug import LadybugStore
from queries.runner import Runner


@functools.cache
def corpus_graph() -> Graph:
    """The graph built from data/raw, once per process (the extraction is shared with the app tests)."""
    from tests.app_graph import extractions

    graph, _ = build_graph(list(extractions()))
    return graph


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runner]:
    store = LadybugStore(tmp_path_factory.mktemp("queries") / "graph.lbdb")
    store.load(corpus_graph())
    try:
        yield Runner(store)
    finally:
        store.close()


@pytest.fixture(scope="module")
def neo4j(request: pytest.FixtureRequest) -> Iterator[Runner]:

    conn = request.getfixturevalue("neo4j_connection")  # skips without a server (fails under CI=true)
    store = conn.store()
    store.clear()
    store.load(corpus_graph())
    try:
        yield Runner(store)
    finally:
        store.clear()
        store.close()


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def runner(request: pytest.FixtureRequest) -> Runner:
    return request.getfixturevalue(request.param)


def records(runner: Runner, preset: str, **params: Any) -> list[dict[str, Any]]:
    return runner.run(preset, params).records()


def by(rows: list[dict[str, Any]], key: str, value: Any) -> list[dict[str, Any]]:
    return [r for r in rows if r[key] == value]


def one(rows: list[dict[str, Any]], key: str, value: Any) -> dict[str, Any]:
    found = by(rows, key, value)
    assert len(found) == 1, (key, value, found)
    return found[0]
