"""Pytest plugin: fixtures for tests that need a real Neo4j 5 server.

Load it with ``pytest_plugins = ["tests.neo4j_support"]`` in tests/conftest.py, or ``-p tests.neo4j_support``.

Where the server is: the env vars NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD if NEO4J_URI is set, else
data/build/neo4j-test/connection.env, which ``make neo4j-up`` (tests/neo4j_server/neo4j_ctl.py) writes.
If no server answers, the tests that use these fixtures are skipped, except under CI=true, where they fail:
CI must start the server, so a missing one is an error there, not a reason to pass.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import pytest

from tests.neo4j_server.neo4j_ctl import read_env  # the reader beside the writer of connection.env

if TYPE_CHECKING:
    from neo4j import Driver

    from graph.stores.neo4j import Neo4jStore

ROOT = Path(__file__).resolve().parent.parent
CONNECTION_ENV = ROOT / "data" / "build" / "neo4j-test" / "connection.env"
HOW_TO_START = "start it with `make neo4j-up` (needs Java 17 and Maven)"


class Neo4jConnection(NamedTuple):
    uri: str
    user: str
    password: str

    def store(self) -> Neo4jStore:
        """The project's Neo4j store on this server (no .env file: these settings only)."""
        from graph.stores.neo4j import Neo4jStore

        return Neo4jStore(self.uri, self.user, self.password, env_file=None)

    def env(self) -> dict[str, str]:
        """The environment that points `ikg` and the app at this server."""
        return {"NEO4J_URI": self.uri, "NEO4J_USER": self.user, "NEO4J_PASSWORD": self.password}


class Neo4jUnavailable(Exception):
    pass


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def connection_settings() -> Neo4jConnection:
    """Where the test server is, from the environment or connection.env; raises Neo4jUnavailable."""
    if os.environ.get("NEO4J_URI"):
        values = dict(os.environ)
        source = "the NEO4J_* environment variables"
    elif CONNECTION_ENV.is_file():
        try:
            values = read_env(CONNECTION_ENV)
        except (OSError, ValueError) as exc:
            raise Neo4jUnavailable(f"cannot read {CONNECTION_ENV}: {exc}") from exc
        source = str(CONNECTION_ENV.relative_to(ROOT))
    else:
        raise Neo4jUnavailable(f"NEO4J_URI is not set and there is no {CONNECTION_ENV.relative_to(ROOT)}")
    uri = values.get("NEO4J_URI", "")
    password = values.get("NEO4J_PASSWORD", "")
    if not uri or not password:
        raise Neo4jUnavailable(f"NEO4J_URI or NEO4J_PASSWORD missing in {source}")
    return Neo4jConnection(uri, values.get("NEO4J_USER") or "neo4j", password)


def open_driver(conn: Neo4jConnection, **config) -> Driver:
    import neo4j

    config.setdefault("connection_timeout", 10.0)
    config.setdefault("connection_acquisition_timeout", 30.0)
    return neo4j.GraphDatabase.driver(conn.uri, auth=(conn.user, conn.password), **config)


def check_connection() -> Neo4jConnection:
    """The connection settings of a server that answers; raises Neo4jUnavailable with the reason."""
    try:
        import neo4j  # noqa: F401
    except ImportError as exc:
        raise Neo4jUnavailable(f"the neo4j Python driver is not installed ({exc})") from exc
    from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable

    conn = connection_settings()
    try:
        with open_driver(conn) as driver:
            driver.verify_connectivity()
    except AuthError as exc:
        raise Neo4jUnavailable(f"{conn.uri} refused the credentials of user {conn.user}: {exc}") from exc
    except (ServiceUnavailable, Neo4jError, OSError, ValueError) as exc:
        raise Neo4jUnavailable(f"cannot connect to {conn.uri}: {exc}") from exc
    return conn


@pytest.fixture(scope="session")
def neo4j_connection() -> Neo4jConnection:
    """(uri, user, password) of a reachable Neo4j test server; skips, or fails under CI=true, if none."""
    try:
        return check_connection()
    except Neo4jUnavailable as exc:
        reason = str(exc)
    # Outside the except block, so the report shows the reason, not a chained traceback.
    if _in_ci():
        pytest.fail(f"Neo4j test server not running under CI: {reason}; {HOW_TO_START}", pytrace=False)
    pytest.skip(f"Neo4j test server not running: {reason}; {HOW_TO_START}")


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_connection: Neo4jConnection) -> Iterator[Driver]:
    """A driver connected to the test server, shared by the session and closed at its end."""
    driver = open_driver(neo4j_connection)
    try:
        yield driver
    finally:
        driver.close()
