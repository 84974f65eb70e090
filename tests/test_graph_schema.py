"""graph/schema.py: one declaration, and what is generated from it."""

from __future__ import annotations

import ladybug

from graph import schema


def test_every_label_has_a_colour_and_a_row_in_the_markdown_table():
    table = schema.markdown_table()
    for label in schema.LABELS:
        assert schema.COLORS[label].startswith("#")
        assert f"`{label}`" in table
    for rel_type in schema.REL_TYPES:
        assert f"`{rel_type}`" in table


def test_policy_layer_is_declared_as_optional():
    assert schema.NODE_SPECS["Measure"].optional and schema.NODE_SPECS["Indicator"].optional
    assert schema.REL_SPECS["RESPONSIBLE_FOR"].allows("GovAgency", "Measure")


def test_patterns_and_undirected_relations():
    assert schema.REL_SPECS["HAS_LINK"].allows("IndustryChain", "ChainLink")
    assert not schema.REL_SPECS["HAS_LINK"].allows("ChainLink", "IndustryChain")
    assert not schema.REL_SPECS["LOCATED_IN"].allows("IndustryCluster", "Region")
    cooperates = schema.REL_SPECS["COOPERATES_WITH"]
    assert cooperates.undirected and cooperates.allows("Enterprise", "University")
    assert cooperates.allows("University", "Enterprise")
    assert schema.key_props("MEMBER_OF") == ("role",) and schema.key_props("HAS_LINK") == ("ord",)


def test_ladybug_ddl_runs_and_gives_one_table_per_label_and_type(tmp_path):
    db = ladybug.Database(str(tmp_path / "schema.lbdb"))
    conn = ladybug.Connection(db)
    try:
        for statement in schema.ladybug_ddl():
            conn.execute(statement)
        result = conn.execute("CALL show_tables() RETURN name, type")
        tables = {}
        while result.has_next():
            name, kind = result.get_next()
            tables[name] = kind
    finally:
        conn.close()
        db.close()
    assert {n for n, k in tables.items() if k == "NODE"} == set(schema.LABELS)
    assert {n for n, k in tables.items() if k == "REL"} == set(schema.REL_TYPES)


def test_neo4j_schema_has_a_unique_id_and_a_name_index_per_label():
    statements = schema.neo4j_schema()
    for label in schema.LABELS:
        assert f"FOR (n:{label}) REQUIRE n.id IS UNIQUE" in " ".join(statements)
        assert f"FOR (n:{label}) ON (n.name)" in " ".join(statements)
    assert all("IF NOT EXISTS" in s for s in statements)
