"""queries/runner.py, queries/catalog.py and `ikg query` on both stores (graph built from data/raw).

Writes are refused before they are sent (the guard) and, with the guard bypassed, by the stores'
read-only modes; the counts do not move either way. The Neo4j half needs the test server
(tests/neo4j_support.py: skipped without one, failed under CI=true).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from graph.stores.base import QueryTimeout, ReadOnlyError, StoreError
from graph.stores.ladybug import LadybugStore
from queries import cli
from queries.catalog import MAX_VARIANTS, PRESET_DIR, PresetError, load_presets, parse_preset
from queries.examples import example_params
from queries.guard import WriteRefused
from queries.runner import Result, Runner, convention_spec
from tests.test_queries_guard import WRITES

# What each store refuses on its own once the guard is out of the way: its read-only mode stops the
# writes. (Not everything: Neo4j runs LOAD CSV in READ access mode and reads server files — only the
# guard stops that; Ladybug has no REMOVE and fails to parse it.)
ENGINE_WRITES = [
    "CREATE (n:Region {id: 'Region:x', name: 'x'})",
    "MATCH (n:Region {id: 'Region:威海市'}) SET n.name = 'x'",
    "MERGE (n:Region {id: 'Region:x', name: 'x'})",
    "MATCH (n:Region {id: 'Region:威海市'}) DETACH DELETE n",
    "MATCH (n) WHERE n.name = 'CREATE' CREATE (m:Region {id: 'Region:y', name: 'y'})",
]


# The corpus graph in both stores (fixtures `embedded`, `neo4j`, `runner`): tests/corpus_runners.py.


# --- read-only -----------------------------------------------------------------------------------------


def test_write_attempts_are_refused_before_the_store_and_nothing_changes(runner):
    before = runner.store.counts()
    for cypher, reason in WRITES:
        with pytest.raises(WriteRefused) as info:
            runner.cypher(cypher)
        assert info.value.reason == reason, cypher
    assert runner.store.counts() == before


def test_the_store_refuses_writes_itself_when_the_guard_is_bypassed(runner):
    before = runner.store.counts()
    for cypher in ENGINE_WRITES:
        with pytest.raises(ReadOnlyError):
            runner.store.read(cypher, {}, timeout=10, row_cap=10)  # the store itself, without the check
    for cypher in (
        "MATCH (n:Region) RETURN count(n); CREATE (m:Region {id: 'Region:x', name: 'x'})",
        "MATCH (n:Region {id: 'Region:威海市'}) REMOVE n.region",
    ):
        with pytest.raises(StoreError):  # read-only refusal, or not even a statement this store runs
            runner.store.read(cypher, {}, timeout=10, row_cap=10)
    assert runner.store.counts() == before


def test_a_write_word_inside_a_string_literal_is_a_read(runner):
    result = runner.cypher("MATCH (n) WHERE n.name = 'CREATE' RETURN n")
    assert (result.columns, result.rows) == (["n"], [])
    result = runner.cypher("RETURN 'DELETE (n); SET x' AS s, \"it's MERGE\" AS t")
    assert result.rows == [["DELETE (n); SET x", "it's MERGE"]]


def test_presets_with_a_writing_text_are_refused_too(runner, tmp_path):
    bad = parse_preset(
        {
            "id": "sneaky",
            "title": {"zh": "坏", "en": "bad"},
            "question": {"zh": "?", "en": "?"},
            "cypher": "MATCH (n:Region) WHERE n.name = 'x\\'' SET n.name = 'y' RETURN n",
        }
    )
    before = runner.store.counts()
    with pytest.raises(WriteRefused, match=r"\(SET\)"):
        runner.run(bad)
    assert runner.store.counts() == before


# --- caps, timeouts, parameters ------------------------------------------------------------------------


def test_row_cap_truncates_and_says_so(runner):
    n = runner.cypher("MATCH (d:Document) RETURN count(d) AS n").rows[0][0]
    capped = runner.cypher("MATCH (d:Document) RETURN d.name AS name ORDER BY name", row_cap=2)
    assert len(capped.rows) == 2 and capped.truncated
    exact = runner.cypher("MATCH (d:Document) RETURN d.name AS name ORDER BY name", row_cap=n)
    assert len(exact.rows) == n and not exact.truncated
    assert exact.rows[:2] == capped.rows
    preset = runner.run("hubs", {"limit": 50}, row_cap=3)
    assert len(preset.rows) == 3 and preset.truncated


def test_a_query_past_its_timeout_is_stopped(runner):
    with pytest.raises(QueryTimeout):
        runner.cypher("MATCH (a)-[*1..12]-(b) RETURN count(*)", timeout=0.3)


def test_parameters_are_checked_before_anything_runs(runner):
    cases = [
        ({"nope": 1}, "no parameter 'nope'"),
        ({"limit": "many"}, "must be int"),
        ({"limit": 0}, "≥ 1"),
        ({"limit": 1_000_000}, "≤ 100000"),
        ({"limit": 2.5}, "must be int"),
        ({"kind": "Spaceship"}, "must be one of"),
    ]
    for params, message in cases:
        with pytest.raises(PresetError, match=message):
            runner.run("hubs", params)
    with pytest.raises(PresetError, match="is not in the graph"):
        runner.run("chain_detail", {"chain": "不存在的产业链"})
    with pytest.raises(PresetError, match="required"):
        runner.run("entity_search", {"q": ""})
    with pytest.raises(PresetError, match="no preset"):
        runner.run("no_such_preset")


def test_cli_strings_are_coerced_and_inline_ints_are_written_into_the_text(runner):
    institute = (
        "中科院沈阳自动化研究所"  # 000 §五(二): … 牵头 …、中科院沈阳自动化研究所、… 建设 …山东省实验室
    )
    result = runner.run("neighbourhood", {"actor": institute, "depth": "1"})
    assert result.params == {"actor": institute, "depth": 1}
    assert "1..1]" in result.cypher and "{{" not in result.cypher
    assert result.records() == [
        {
            "neighbour": "威海先进医用材料与高端医疗器械山东省实验室",
            "label": "Lab",
            "hops": 1,
            "id": "Lab:威海先进医用材料与高端医疗器械山东省实验室",
            "actor": institute,
            "actor_id": f"ResearchInstitute:{institute}",
            "aliases": ["先进医用材料与高端医疗器械山东省实验室"],
            "actor_aliases": [],
        }
    ]


def test_values_fill_the_dropdowns(runner):
    chains = runner.values("chain_detail", "chain")
    assert "碳纤维及复合材料产业技术创新链" in chains and chains == sorted(chains)
    assert "1+4+N" in runner.values("system_members", "system")  # aliases are accepted, so offered
    assert runner.values("hubs", "kind")[:2] == ["", "University"]  # fixed choices
    assert runner.values("hubs", "limit") == []


# --- results and subgraphs -----------------------------------------------------------------------------


def test_result_is_a_dataclass_with_rows_subgraph_and_timing(runner):
    lab = "威海先进医用材料与高端医疗器械山东省实验室"
    result = runner.run("lab_leadership", {"target": lab})
    assert isinstance(result, Result)
    assert result.columns[:5] == ["target", "target_label", "role", "actor", "actor_label"]
    rows = sorted(tuple(r[:5]) for r in result.rows)
    assert ("威海先进医用材料与高端医疗器械山东省实验室", "Lab", "leads", "中科院苏州医学工程技术研究所",
            "ResearchInstitute") in rows  # fmt: skip
    assert (lab, "Lab", "joins", "山东大学", "University") in rows
    assert result.truncated is False and result.elapsed_ms > 0
    nodes = {n["id"]: (n["label"], n["name"]) for n in result.subgraph["nodes"]}
    assert nodes[f"Lab:{lab}"] == ("Lab", lab) and nodes["University:山东大学"] == ("University", "山东大学")
    edges = {(e["src"], e["type"], e["dst"]) for e in result.subgraph["edges"]}
    assert ("University:山东大学", "PARTICIPATES_IN", f"Lab:{lab}") in edges
    assert ("ResearchInstitute:中科院苏州医学工程技术研究所", "LEADS", f"Lab:{lab}") in edges
    assert len(nodes) == len(rows) + 1 and len(edges) >= len(rows)
    assert result.to_json() == {"columns": result.columns, "rows": result.rows}


def test_graph_values_come_back_the_same_from_both_stores_and_make_the_subgraph(runner):
    result = runner.cypher(
        "MATCH (u:University {name: '山东大学'})-[r:PARTICIPATES_IN]->(l:Lab) RETURN u, r, l"
    )
    u, r, lab = result.rows[0]
    assert u == {
        "_label": "University",
        "id": "University:山东大学",
        "name": "山东大学",
        "aliases": [],
        "region": "山东省",  # the province its name opens with
        "docs": u["docs"],
    }
    assert (r["_type"], r["_src"], r["_dst"]) == ("PARTICIPATES_IN", u["id"], lab["id"])
    assert json.loads(r["evidence"])[0]["doc"].startswith("000")
    assert {n["id"] for n in result.subgraph["nodes"]} == {u["id"], lab["id"]}
    assert result.subgraph["edges"] == [{"src": u["id"], "dst": lab["id"], "type": "PARTICIPATES_IN"}]


def test_paths_make_the_subgraph(runner):
    result = runner.run("shortest_path", {"from": "山东大学", "to": "哈尔滨工业大学"})
    graph = result.subgraph
    assert len(graph["nodes"]) == 3 and len(graph["edges"]) == 2
    assert {e["type"] for e in graph["edges"]} == {"PARTICIPATES_IN"}
    assert cli.render(result.rows[0][-1]) == (
        "山东大学 -[PARTICIPATES_IN]→ 威海先进医用材料与高端医疗器械山东省实验室 "
        "←[PARTICIPATES_IN]- 哈尔滨工业大学"
    )


def test_free_queries_draw_edges_by_column_convention(runner):
    result = runner.cypher(
        "MATCH (a:Park)-[:LOCATED_IN]->(b:Region {name: '临港区'}) "
        "RETURN a.id AS src_id, a.name AS src, 'LOCATED_IN' AS rel, b.id AS dst_id, b.name AS dst"
    )
    graph = result.subgraph
    assert {(e["src"], e["type"], e["dst"]) for e in graph["edges"]} >= {
        ("Park:临港区碳纤维产业园", "LOCATED_IN", "Region:临港区")
    }
    labels = {n["id"]: n["label"] for n in graph["nodes"]}
    assert labels["Region:临港区"] == "Region"  # from the id, no label column was returned
    assert convention_spec(["a", "b"]) is None
    assert runner.cypher("MATCH (d:Document) RETURN d.name").subgraph is None


def test_induced_subgraphs_add_the_relationships_among_the_answer(runner):
    result = runner.run("actors_in_region", {"region": "文登区"})
    edges = {(e["src"], e["type"], e["dst"]) for e in result.subgraph["edges"]}
    assert ("Park:光通信产业园", "LOCATED_IN", "Region:文登区") in edges


def test_evidence_rows_are_unnested_from_the_json(runner):
    result = runner.run("evidence", {"actor": "中科院沈阳自动化研究所"})
    assert result.columns == [
        "actor", "rel", "direction", "other", "other_label", "role", "ord", "doc", "section", "sentence",
        "text", "doc_id", "sentence_start", "start", "end", "actor_id", "other_id", "key",
    ]  # fmt: skip
    row = result.records()[0]
    assert row["section"][0] == "五、全面提升综合科技创新实力" and row["text"] in row["sentence"]


def test_an_embedded_store_without_a_graph_says_so(tmp_path):
    runner = Runner(LadybugStore(tmp_path / "none.lbdb"))
    with pytest.raises(StoreError, match="ikg build"):
        runner.run("hubs")


# --- the catalogue -------------------------------------------------------------------------------------


def test_every_preset_file_is_complete():
    library = load_presets()
    assert len(library) == len(list(PRESET_DIR.glob("*.yaml"))) >= 18
    for preset in library.values():
        assert preset.title["zh"] and preset.title["en"] and preset.question["zh"] and preset.question["en"]
        assert bool(preset.cypher) != bool(preset.variants), preset.id  # one text, or a text per dialect
        if preset.variants:
            assert set(preset.variants) == {"ladybug", "neo4j"} and len(preset.variants_why) > 40, preset.id
        preset.bind(example_params(None, preset.id))  # every default passes its own checks


def test_one_text_per_preset_but_for_at_most_three_with_a_reason():
    with_variants = {p.id: p.variants_why for p in load_presets().values() if p.variants}
    assert len(with_variants) <= MAX_VARIANTS == 3, with_variants
    for path in PRESET_DIR.glob("*.yaml"):  # the reason is written in the file itself
        text = path.read_text(encoding="utf-8")
        assert ("variants:" in text) == (path.stem in with_variants), path.name
        if path.stem in with_variants:
            assert "why:" in text, path.name


def test_a_fourth_preset_with_variants_is_refused(tmp_path):
    for i in range(4):
        (tmp_path / f"p{i}.yaml").write_text(
            f"id: p{i}\ntitle: {{zh: 甲, en: a}}\nquestion: {{zh: 乙, en: b}}\n"
            "variants: {why: no rewrite serves both, ladybug: RETURN 1 AS x, neo4j: RETURN 1 AS x}\n",
            encoding="utf-8",
        )
    with pytest.raises(PresetError, match="4 presets keep a text per dialect"):
        load_presets(tmp_path)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": {"zh": "只有中文"}}, "needs zh and en"),
        ({"colour": "red"}, "unknown fields"),
        ({"cypher": None}, "no Cypher"),
        ({"cypher": None, "variants": {"ladybug": "RETURN 1", "neo4j": "RETURN 1"}}, "say why"),
        ({"cypher": None, "variants": {"why": "x", "neo4j": "RETURN 1"}}, "no query for ladybug"),
        ({"variants": {"why": "x", "ladybug": "RETURN 1", "neo4j": "RETURN 1"}}, "not both"),
        ({"cypher": "MATCH (n:{{NO_SUCH}}) RETURN n"}, "not an inline parameter or a fragment"),
        ({"cypher": "MATCH (n) RETURN n LIMIT {{k}}"}, "not an inline parameter"),
        ({"params": [{"name": "k", "type": "int", "inline": True}]}, "needs min and max"),
        ({"params": [{"name": "k", "type": "str", "inline": True, "min": 1, "max": 2}]}, "only int"),
        ({"params": [{"name": "k", "type": "date"}]}, "type must be one of"),
        ({"params": [{"name": "k", "type": "int", "default": 0, "min": 1}]}, "≥ 1"),
        ({"params": [{"name": "k"}, {"name": "k"}]}, "duplicate"),
    ],
)
def test_malformed_presets_are_rejected(change, message):
    data = {
        "id": "x",
        "title": {"zh": "甲", "en": "a"},
        "question": {"zh": "乙", "en": "b"},
        "cypher": "MATCH (n) RETURN n",
        **change,
    }
    with pytest.raises(PresetError, match=message):
        parse_preset(data)


def test_the_file_name_is_the_id(tmp_path):
    path = tmp_path / "one.yaml"
    path.write_text(
        "id: two\ntitle: {zh: 甲, en: a}\nquestion: {zh: 乙, en: b}\ncypher: MATCH (n) RETURN n\n",
        encoding="utf-8",
    )
    with pytest.raises(PresetError, match="differs from the file name"):
        load_presets(tmp_path)


# --- the CLI -------------------------------------------------------------------------------------------


def _cli(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="ikg")
    cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    return args.func(args)


def test_cli_lists_the_presets_as_json(capsys):
    assert _cli("query", "--list", "--format", "json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert [p["id"] for p in listed] == list(load_presets())
    for item in listed:
        assert set(item) == {"id", "title", "question", "params"}
        assert set(item["title"]) == {"zh", "en"}
    hubs = next(p for p in listed if p["id"] == "hubs")
    assert [(p["name"], p["type"], p["default"]) for p in hubs["params"]] == [
        ("kind", "str", ""),
        ("limit", "int", 20),
    ]
    assert _cli("query", "--list") == 0
    assert "chain_gaps" in capsys.readouterr().out


def test_cli_runs_a_preset_on_the_embedded_store(embedded, capsys):
    db = str(embedded.store.path)
    code = _cli(
        "query", "chain_detail", "--db", db, "--format", "json", "-p", "chain=碳纤维及复合材料产业技术创新链"
    )
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"columns", "rows"}
    links = [row[3] for row in out["rows"] if row[1] == "link"]
    assert links[:3] == ["装备制造", "原丝", "碳纤维"]

    assert _cli("query", "shared_gaps", "--db", db, "--format", "csv", "-p", "min_chains=2") == 0
    table = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert table[0] == ["item", "n_chains", "chains", "item_id", "chain_ids"]
    assert any(row[0] == "发动机" and "专用汽车产业技术创新链" in row[2] for row in table[1:])

    assert _cli("query", "system_members", "--db", db, "-p", "system=1+4+N") == 0
    printed = capsys.readouterr().out
    assert "1+4+N创新平台体系" in printed and "rows," in printed

    assert _cli("query", "chain_detail", "--db", db, "--values", "chain") == 0
    assert "钓具产业技术创新链" in capsys.readouterr().out.splitlines()


def test_cli_refuses_a_write_with_one_line_and_a_nonzero_exit(embedded, capsys):
    before = embedded.store.counts()
    code = _cli("query", "--db", str(embedded.store.path), "--cypher", "MATCH (n) detach\n DELETE n")
    captured = capsys.readouterr()
    assert code == cli.EXIT_REFUSED != 0
    assert captured.out == ""
    assert captured.err == "refused: the query writes (DETACH) — queries are read-only\n"
    assert embedded.store.counts() == before


def test_cli_free_query_parameters_and_errors(embedded, capsys):
    db = str(embedded.store.path)
    code = _cli(
        "query", "--db", db, "--format", "json", "--cypher",
        "MATCH (r:Region) WHERE r.name = $name RETURN r.name AS name", "-p", "name=临港区",
    )  # fmt: skip
    assert code == 0
    assert json.loads(capsys.readouterr().out) == {"columns": ["name"], "rows": [["临港区"]]}
    assert _cli("query", "hubs", "--db", db, "-p", "limit=lots") == cli.EXIT_USAGE
    assert "must be int" in capsys.readouterr().err
    assert _cli("query", "--db", db) == cli.EXIT_USAGE  # neither a preset nor --cypher
    assert _cli("query", "nope", "--db", db) == cli.EXIT_USAGE
    assert "no preset 'nope'" in capsys.readouterr().err
    missing = str(Path(db).with_name("missing.lbdb"))
    assert _cli("query", "hubs", "--db", missing) == 1
    assert "ikg build" in capsys.readouterr().err


@pytest.mark.neo4j
def test_cli_runs_on_neo4j_with_the_same_answer(embedded, neo4j, request, monkeypatch, capsys):
    conn = request.getfixturevalue("neo4j_connection")
    monkeypatch.setenv("NEO4J_URI", conn.uri)
    monkeypatch.setenv("NEO4J_USER", conn.user)
    monkeypatch.setenv("NEO4J_PASSWORD", conn.password)
    answers: dict[str, Any] = {}
    for store in ("embedded", "neo4j"):
        code = _cli(
            "query", "chain_gaps", "--store", store, "--db", str(embedded.store.path), "--format", "json"
        )
        assert code == 0
        answers[store] = json.loads(capsys.readouterr().out)
    assert answers["neo4j"]["columns"] == answers["embedded"]["columns"]
    assert [r[0] for r in answers["neo4j"]["rows"]][:1] == [r[0] for r in answers["embedded"]["rows"]][:1]
    code = _cli("query", "--store", "neo4j", "--cypher", "MERGE (n:Region {id: 'x'}) RETURN n")
    assert code == cli.EXIT_REFUSED
    assert capsys.readouterr().err.startswith("refused: the query writes (MERGE)")


class _PlainStore:
    """A store with only the public interface (graph.stores.base.Store), and no graph behind it."""

    dialect = "ladybug"

    def __init__(self) -> None:
        self.calls: list[tuple[str, float, int | None]] = []

    def read(self, cypher, params=None, timeout=30, row_cap=None, isolated=False):
        self.calls.append((cypher, timeout, row_cap, isolated))
        return ["n"], [[i] for i in range(10)][:row_cap]

    def load(self, graph):
        raise AssertionError("the runner never loads")

    def counts(self):
        return {"nodes": {}, "relationships": {}}

    def clear(self):
        raise AssertionError("the runner never clears")

    def close(self):
        pass


def test_the_runner_uses_only_the_store_interface():
    store = _PlainStore()
    result = Runner(store, row_cap=4, timeout=3).cypher("MATCH (n) RETURN type(n) AS n")
    assert (result.rows, result.truncated) == ([[0], [1], [2], [3]], True)
    # Rewritten for the store's dialect, asked for one row past the cap, with the timeout, isolated.
    assert store.calls == [("MATCH (n) RETURN label(n) AS n", 3, 5, True)]
    with pytest.raises(WriteRefused):
        Runner(store).cypher("CREATE (n)")
    assert len(store.calls) == 1
    with pytest.raises(ValueError, match="is not a store"):
        Runner(object())
