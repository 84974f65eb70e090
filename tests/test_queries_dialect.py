"""queries/dialect.py: the rewrites from Neo4j Cypher to LadybugDB's, and the named fragments."""

from __future__ import annotations

import re

import pytest

from graph.schema import LABELS, NON_ACTOR_LABELS, NON_ACTOR_RELS, REL_TYPES
from queries.catalog import load_presets
from queries.dialect import ACTOR_LABELS, ACTOR_RELS, expand_fragments, translate


@pytest.mark.parametrize(
    ("neo4j", "ladybug"),
    [
        ("RETURN labels(n)[0] AS label", "RETURN label(n) AS label"),
        ("RETURN labels( n ) [ 0 ] AS l", "RETURN label(n) AS l"),
        ("RETURN labels(n) AS all", "RETURN labels(n) AS all"),  # only the first label is rewritten
        ("RETURN type(r) AS t, TYPE(q) AS u", "RETURN label(r) AS t, label(q) AS u"),
        ("RETURN split(s, ',')[1]", "RETURN split_part(s, ',', 2)"),
        ("RETURN split(s, ',')", "RETURN string_split(s, ',')"),
        (
            "RETURN split(split(x.p, '\"cue\": \"')[1], '\"')[0]",
            "RETURN split_part(split_part(x.p, '\"cue\": \"', 2), '\"', 1)",
        ),
        ("RETURN toInteger(x), toFloat(y)", "RETURN CAST(x AS INT64), CAST(y AS DOUBLE)"),
        (
            "RETURN toString(null) AS n, toStringList([]) AS l",
            "RETURN CAST(null AS STRING) AS n, CAST([] AS STRING[]) AS l",
        ),
        ("RETURN toInteger(split(a, ',')[0])", "RETURN CAST(split_part(a, ',', 1) AS INT64)"),
    ],
)
def test_neo4j_spellings_become_ladybug_ones(neo4j: str, ladybug: str) -> None:
    assert translate(neo4j, "ladybug") == ladybug
    assert translate(neo4j, "neo4j") == neo4j  # Neo4j gets the text as written


@pytest.mark.parametrize(
    "text",
    [
        "MATCH (n) WHERE n.name = 'type(r) and labels(n)[0]' RETURN n",  # inside a string
        'MATCH (n) WHERE n.name = "split(a, b)[1]" RETURN n',
        "MATCH (n) RETURN n // type(n) in a comment",
        "MATCH (n) RETURN n /* toInteger(x) */",
        "MATCH (k) RETURN k.type, k.type(x) AS y, `type(r)` AS z",  # property, method-like, quoted
        "CALL show_tables() WITH name, type WHERE type = 'NODE' RETURN name",
    ],
)
def test_strings_comments_properties_and_names_are_left_alone(text: str) -> None:
    assert translate(text, "ladybug") == text


def test_an_unknown_dialect_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown dialect"):
        translate("RETURN 1", "sparql")


def test_the_fragments_are_the_schemas_actor_labels_and_types() -> None:
    assert set(ACTOR_LABELS) == set(LABELS) - NON_ACTOR_LABELS
    assert set(ACTOR_RELS) == set(REL_TYPES) - NON_ACTOR_RELS
    text = expand_fragments("MATCH (a:{{ACTOR_LABELS}})-[r:{{ ACTOR_RELS }}]-() RETURN {{depth}}")
    assert text == f"MATCH (a:{'|'.join(ACTOR_LABELS)})-[r:{'|'.join(ACTOR_RELS)}]-() RETURN {{{{depth}}}}"
    assert "Indicator" not in ACTOR_LABELS and "MENTIONED_IN" not in ACTOR_RELS


def test_no_preset_spells_a_dialect_difference_the_rewrites_cover() -> None:
    """A preset with one text uses the Neo4j spellings only (a LadybugDB spelling would fail on Neo4j)."""
    ladybug_only = re.compile(
        r"\b(label|split_part|string_split|list_transform|list_filter)\s*\(|\bCAST\s*\("
    )
    for preset in load_presets().values():
        if preset.cypher:
            assert not ladybug_only.search(preset.cypher), preset.id
