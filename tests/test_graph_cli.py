"""graph/cli.py: `build` and `export` subcommands, wired through `register`."""

from __future__ import annotations

import argparse
import json
import sys
import types
from pathlib import Path

import networkx as nx
import pytest

from graph import cli
from graph.build import load_extractions

FIXTURES = Path(__file__).parent / "fixtures" / "graph"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ikg")
    cli.register(parser.add_subparsers(dest="command", required=True))
    return parser


def _run(*argv: str) -> int:
    args = _parser().parse_args(list(argv))
    return args.func(args)


def test_register_adds_build_and_export_with_defaults():
    args = _parser().parse_args(["build"])
    assert (args.paths, args.store, args.from_json) == (["data/raw"], "embedded", None)
    assert args.db.endswith("graph.lbdb") and args.func is cli.cmd_build
    args = _parser().parse_args(["export", "--format", "gexf", "--out", "x.gexf"])
    assert args.graph.endswith("graph.json") and args.func is cli.cmd_export


def test_build_from_json_then_export(tmp_path, capsys):
    out, db = tmp_path / "build", tmp_path / "graph.lbdb"
    code = _run(
        "build",
        "--from-json",
        str(FIXTURES / "extractions"),
        "--db",
        str(db),
        "--out",
        str(out),
        "--aliases",
        str(tmp_path / "none.yaml"),
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "documents: 4" in printed and "pruned: 0" in printed and "merged: " in printed
    assert db.is_file()
    report = json.loads((out / "build_report.json").read_text(encoding="utf-8"))
    assert report["store"]["kind"] == "embedded"
    assert report["store"]["storage_version"].startswith("0.22")
    assert report["store"]["nodes"]["Document"] == 4
    assert (out / "merge_log.jsonl").read_text(encoding="utf-8").strip()

    graph_json = str(out / "graph.json")
    for fmt, name in (("graphml", "g.graphml"), ("gexf", "g.gexf"), ("json", "g.json"), ("csv", "csv")):
        assert _run("export", "--format", fmt, "--out", str(tmp_path / name), "--graph", graph_json) == 0
    g = nx.read_graphml(tmp_path / "g.graphml")
    assert g.number_of_nodes() == sum(report["store"]["nodes"].values())
    assert (tmp_path / "csv" / "nodes_Park.csv").is_file()


def test_build_calls_the_extractor_when_no_json_is_given(tmp_path, monkeypatch, caplog):
    calls = []

    def extract_paths(paths: list[str], out_dir: str | None = None, **_options):
        calls.append((paths, out_dir))
        return load_extractions(FIXTURES / "extractions"), ["broken.pdf: unreadable"]

    monkeypatch.setitem(sys.modules, "ingest.extract", types.SimpleNamespace(extract_paths=extract_paths))
    code = _run("build", "some/dir", "--db", str(tmp_path / "g.lbdb"), "--out", str(tmp_path / "b"))
    assert code == 0 and calls == [(["some/dir"], None)]
    assert "broken.pdf: unreadable" in caplog.text


def test_export_without_a_build_fails_clearly(tmp_path):
    assert (
        _run("export", "--format", "json", "--out", str(tmp_path / "x"), "--graph", str(tmp_path / "no")) == 1
    )


def test_build_with_nothing_to_build_fails(tmp_path, monkeypatch):
    monkeypatch.setitem(
        sys.modules,
        "ingest.extract",
        types.SimpleNamespace(extract_paths=lambda p, out_dir=None, **_options: ([], [])),
    )
    assert _run("build", "--db", str(tmp_path / "g.lbdb"), "--out", str(tmp_path / "b")) == 1


@pytest.mark.parametrize("bad", [["build", "--store", "sqlite"], ["export", "--format", "dot", "--out", "x"]])
def test_bad_choices_are_refused(bad):
    with pytest.raises(SystemExit):
        _parser().parse_args(bad)
