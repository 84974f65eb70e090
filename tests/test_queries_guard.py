"""queries/guard.py: the write check works on tokens, not substrings (no store needed here).

The same attempts are sent to both real stores in tests/test_queries.py, where the stores' read-only
modes are checked as the second guard.
"""

from __future__ import annotations

import pytest

from queries.catalog import load_presets
from queries.dialect import translate
from queries.examples import example_params
from queries.guard import WriteRefused, check_read_only, tokenize, write_reason

# (query, the reason the refusal names)
WRITES = [
    ("CREATE (n:Region {id: 'x', name: 'x'})", "CREATE"),
    ("create (n:Region {id: 'x'})", "CREATE"),
    ("MATCH (n) MERGE (m:Region {id: 'x'})", "MERGE"),
    ("MATCH (n:Region) DELETE n", "DELETE"),
    ("MATCH (n:Region) DETACH DELETE n", "DETACH"),
    ("MATCH (n:Region) SET n.name = 'x'", "SET"),
    ("MATCH (n:Region) set n:Park", "SET"),
    ("MATCH (n:Region) REMOVE n.name", "REMOVE"),
    ("DROP TABLE Region", "DROP"),
    ("DROP CONSTRAINT region_id", "DROP"),
    ("LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row", "LOAD CSV"),
    ("LOAD FROM '/tmp/x.csv' RETURN *", "LOAD FROM"),
    ("LOAD EXTENSION fts", "LOAD EXTENSION"),
    ("INSTALL fts", "INSTALL"),
    ("COPY Region FROM '/tmp/region.csv'", "COPY"),
    ("EXPORT DATABASE '/tmp/out'", "EXPORT"),
    ("IMPORT DATABASE '/tmp/out'", "IMPORT"),
    ("ATTACH '/tmp/other.lbdb' AS other", "ATTACH"),
    ("ALTER TABLE Region ADD extra STRING", "ALTER"),
    ("BEGIN TRANSACTION", "BEGIN"),
    ("COMMIT", "COMMIT"),
    ("CALL apoc.create.node(['Region'], {id: 'x'}) YIELD node RETURN node", "CALL apoc.create.node"),
    ("CALL db.createLabel('X')", "CALL db.createLabel"),
    ("CALL dbms.security.createUser('u', 'p', false)", "CALL dbms.security.createUser"),
    ("CALL threads=4", "CALL threads"),
    ("CALL { MATCH (n) RETURN n } IN TRANSACTIONS OF 10 ROWS RETURN 1", "CALL … IN TRANSACTIONS"),
    ("MATCH (n) FOREACH (x IN [1] | SET n.a = x)", "FOREACH"),
    ("GRANT ALL ON DATABASE * TO reader", "GRANT"),
    ("STOP DATABASE neo4j", "STOP"),
    # several statements, comment tricks, odd whitespace and case
    ("MATCH (n) RETURN n; CREATE (m:Region {id: 'x'})", "multiple statements"),
    ("MATCH (n) RETURN n ;\n\t MATCH (m) RETURN m", "multiple statements"),
    ("MATCH (n) RETURN n /* harmless */ CREATE (m:Region {id: 'x'})", "CREATE"),
    ("MATCH (n) RETURN n // just a comment\nCREATE (m:Region {id: 'x'})", "CREATE"),
    ("/* CREATE is only mentioned here */ MATCH (n) DETACH DELETE n", "DETACH"),
    ("MATCH (n)\n\tcReAtE\u3000(m:Region {id: 'x'})", "CREATE"),
    ("MATCH (n)\u00a0SET\u00a0n.name\u00a0=\u00a0'x'", "SET"),
    ("MATCH (n) WHERE n.x = 1CREATE (m:Region {id: 'x'})", "CREATE"),
    ("MATCH (n) CRE\u200bATE (m:Region {id: 'x'})", "CREATE"),
    # a write hidden after a string literal that contains a quote
    ("MATCH (n) WHERE n.name = \"it's\" CREATE (m:Region {id: 'x'})", "CREATE"),
    ("MATCH (n) WHERE n.name = 'it\\'s' SET n.name = 'x'", "SET"),
    ("MATCH (n) WHERE n.name = '\\\\' DELETE n", "DELETE"),
    ("MATCH (n) WHERE n.name = 'a\"b' MERGE (m:Region {id: 'x'})", "MERGE"),
    # what cannot be read safely is refused too
    ("MATCH (n) WHERE n.name = 'unterminated RETURN n", "unterminated string literal"),
    ("MATCH (n) RETURN n /* CREATE (m)", "unterminated comment"),
]

READS = [
    "MATCH (n) WHERE n.name = 'CREATE' RETURN n",
    'MATCH (n) WHERE n.name = "DELETE (n); SET" RETURN n.name',
    "MATCH (n) RETURN n // CREATE (m) is only in this comment",
    "MATCH (n) /* MERGE, DROP, LOAD CSV */ RETURN count(n)",
    "MATCH (n) WHERE n.name CONTAINS 'it\\'s; CREATE' RETURN n",
    "MATCH (n:Region) RETURN n.set, n.create AS created, {delete: 1} AS m",
    "MATCH (`CREATE`:Region) RETURN `CREATE`.name",
    "MATCH (n) WHERE n.name STARTS WITH $create RETURN n",
    "MATCH (n) RETURN n;",
    "MATCH (n) RETURN n; // trailing comment",
    "CALL db.labels() YIELD label RETURN label",
    "CALL show_tables() RETURN name",
    "CALL { MATCH (n) RETURN n } RETURN count(n)",
    "MATCH (a)-[:LOCATED_IN*1..4]->(r) WHERE r.name = '文登区' RETURN a.name",
    "MATCH p = (a)-[* ALL SHORTEST 1..6]-(b) RETURN p",
]


@pytest.mark.parametrize(("cypher", "reason"), WRITES, ids=[w[1] + f"-{i}" for i, w in enumerate(WRITES)])
def test_writes_are_refused_with_the_clause_named(cypher, reason):
    with pytest.raises(WriteRefused) as info:
        check_read_only(cypher)
    assert info.value.reason == reason
    assert str(info.value) == f"refused: the query writes ({reason}) — queries are read-only"


@pytest.mark.parametrize("cypher", READS)
def test_reads_pass_even_with_write_words_in_strings_comments_and_names(cypher):
    assert write_reason(cypher) is None
    check_read_only(cypher)


def test_string_literals_and_comments_do_not_leak_tokens():
    tokens = tokenize("MATCH (n) WHERE n.name = 'a \\' CREATE' /* SET */ RETURN n // DROP")
    words = [t.text for t in tokens if t.kind == "word"]
    assert words == ["MATCH", "n", "WHERE", "n", "name", "RETURN", "n"]
    assert [t.text for t in tokens if t.kind == "string"] == ["a \\' CREATE"]


def test_an_empty_query_is_an_error_not_a_read():
    with pytest.raises(ValueError, match="empty"):
        check_read_only("  \n ")


def test_every_shipped_preset_text_passes_the_check():
    for preset in load_presets().values():
        for dialect in ("ladybug", "neo4j"):
            bound = preset.bind(example_params(None, preset.id))
            text = translate(preset.render(dialect, bound)[0], dialect)  # as the store gets it
            assert write_reason(text) is None, (preset.id, dialect)
            for param in preset.params:
                values = translate(param.values, dialect) if param.values else None
                assert values is None or write_reason(values) is None, (preset.id, param.name)
