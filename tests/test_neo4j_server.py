"""The Neo4j test server works: Bolt, authentication and Unicode round trips.

Needs the fixtures of tests/neo4j_support.py and a server from `make neo4j-up`.
"""

import uuid

import pytest

from tests.neo4j_support import Neo4jConnection, open_driver

pytestmark = pytest.mark.neo4j


def test_create_read_delete_chinese_name(neo4j_driver):
    probe_id = uuid.uuid4().hex
    neo4j_driver.execute_query(
        "CREATE (:Probe {name: $name, probe_id: $probe_id})", name="测试", probe_id=probe_id
    )
    try:
        records, _, _ = neo4j_driver.execute_query(
            "MATCH (p:Probe {probe_id: $probe_id}) RETURN p.name AS name", probe_id=probe_id
        )
        assert [r["name"] for r in records] == ["测试"]
    finally:
        _, summary, _ = neo4j_driver.execute_query(
            "MATCH (p:Probe {probe_id: $probe_id}) DETACH DELETE p", probe_id=probe_id
        )
    assert summary.counters.nodes_deleted == 1
    records, _, _ = neo4j_driver.execute_query(
        "MATCH (p:Probe {probe_id: $probe_id}) RETURN count(p) AS n", probe_id=probe_id
    )
    assert records[0]["n"] == 0


def test_server_is_neo4j_5(neo4j_driver):
    info = neo4j_driver.get_server_info()
    assert info.agent.startswith("Neo4j/5."), info.agent


def test_wrong_password_is_an_auth_error(neo4j_connection):
    from neo4j.exceptions import AuthError

    wrong = Neo4jConnection(neo4j_connection.uri, neo4j_connection.user, neo4j_connection.password + "-wrong")
    with open_driver(wrong) as driver, pytest.raises(AuthError):
        driver.verify_connectivity()
