"""Incremental `ikg build`: extraction results cached by content and extractor, stale data removed.

Every build runs the command's entry point (`ikg.cli.main`) on the embedded store in temporary
folders; what was extracted and what came from the cache is read from the build report.
"""

from __future__ import annotations

import json
import logging
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from graph.stores.ladybug import LadybugStore
from ikg.cli import main
from ingest import cache as cache_module
from ingest.cache import ExtractionCache, content_key, fingerprint
from ingest.records import RELATION_TYPES

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "raw"
CORPUS = sorted(p.name for p in RAW.iterdir() if p.is_file() and not p.name.startswith("."))
FULL = "000_0b49c72c223a13de.txt"
TRUNCATED = "004_c39082594c58b274.txt"  # 000 with every body line cut: shares most of its entities
SMALL = min(CORPUS, key=lambda name: (RAW / name).stat().st_size)  # quickest to extract

pytestmark = pytest.mark.slow


@dataclass
class Work:
    """An input folder and where its builds go (store, outputs, cache)."""

    root: Path

    @property
    def src(self) -> Path:
        return self.root / "in"

    @property
    def db(self) -> Path:
        return self.root / "graph.lbdb"

    @property
    def out(self) -> Path:
        return self.root / "out"

    @property
    def cache(self) -> Path:
        return self.root / "cache"

    def build(self, *extra: str) -> dict[str, Any]:
        """Run `ikg build`; the build report's extraction part (names extracted / cached / failed)."""
        argv = [
            "build",
            str(self.src),
            "--db",
            str(self.db),
            "--out",
            str(self.out),
            "--cache",
            str(self.cache),
        ]
        assert main([*argv, *extra]) == 0
        return self.report()["extraction"]

    def report(self) -> dict[str, Any]:
        return json.loads((self.out / "build_report.json").read_text(encoding="utf-8"))

    def graph(self) -> dict[str, Any]:
        return json.loads((self.out / "graph.json").read_text(encoding="utf-8"))


def _work(root: Path, names: list[str], warm: Work | None = None) -> Work:
    """A copy of the documents ``names``; with ``warm``, a copy of its cache too (saves extracting)."""
    work = Work(root)
    work.src.mkdir(parents=True)
    for name in names:
        shutil.copy(RAW / name, work.src / name)
    if warm is not None:
        shutil.copytree(warm.cache, work.cache)
    return work


def snapshot(work: Work) -> dict[str, Any]:
    """Everything both outputs hold, comparable with ==: graph.json and the store's contents."""
    graph = work.graph()
    nodes = {n["id"]: n for n in graph["nodes"]}
    edges = {(e["source"], e["type"], e["target"], e["key"]): e for e in graph["edges"]}
    assert len(edges) == len(graph["edges"])
    store = LadybugStore(work.db)
    try:
        _, node_rows = store.read("MATCH (n) RETURN n.id, label(n), n.name, n.docs")
        _, edge_rows = store.read("MATCH (a)-[r]->(b) RETURN a.id, label(r), b.id, r.key, r.docs, r.evidence")
    finally:
        store.close()
    stored_nodes = {row[0]: row[1:] for row in node_rows}
    # keyed as in graph.json, whose multigraph key is the type plus the key properties
    stored_edges = {(a, t, b, f"{t}|{key}" if key else t): rest for a, t, b, key, *rest in edge_rows}
    assert len(stored_nodes) == len(node_rows) and len(stored_edges) == len(edge_rows)
    return {"nodes": nodes, "edges": edges, "stored_nodes": stored_nodes, "stored_edges": stored_edges}


def assert_same_graph(a: Work, b: Work) -> None:
    sa, sb = snapshot(a), snapshot(b)
    for part in ("nodes", "edges", "stored_nodes", "stored_edges"):
        assert set(sa[part]) == set(sb[part]), f"{part}: different sets"
        assert sa[part] == sb[part], f"{part}: same keys, different properties"


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Work:
    """The whole corpus built from scratch (--no-cache), for comparison."""
    work = _work(tmp_path_factory.mktemp("scratch"), CORPUS)
    assert work.build("--no-cache") == {"extracted": CORPUS, "cached": [], "failed": []}
    return work


@pytest.fixture
def info_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO)
    return caplog


# --- adding, removing, changing a document ------------------------------------------------------


def test_adding_a_document_extracts_only_it(
    tmp_path: Path, scratch: Work, info_logs: pytest.LogCaptureFixture, capsys
) -> None:
    rest = [n for n in CORPUS if n != TRUNCATED]
    work = _work(tmp_path, rest)
    assert work.build() == {"extracted": rest, "cached": [], "failed": []}
    assert "documents: 4\n  extracted: 4\n  cached: 0\n" in capsys.readouterr().out

    shutil.copy(RAW / TRUNCATED, work.src / TRUNCATED)
    info_logs.clear()
    assert work.build() == {"extracted": [TRUNCATED], "cached": rest, "failed": []}
    assert "documents: 5\n  extracted: 1\n  cached: 4\n" in capsys.readouterr().out
    cached = {r.getMessage() for r in info_logs.records if r.getMessage().endswith(": cached")}
    assert cached == {f"{work.src / name}: cached" for name in rest}

    assert_same_graph(work, scratch)


def test_removing_a_document_removes_what_only_it_supported(tmp_path: Path, scratch: Work) -> None:
    work = _work(tmp_path / "work", CORPUS, warm=scratch)
    assert work.build()["cached"] == CORPUS
    before = snapshot(work)
    gone = next(n["id"] for n in before["nodes"].values() if n.get("name") == FULL)

    (work.src / FULL).unlink()
    assert work.build() == {"extracted": [], "cached": [n for n in CORPUS if n != FULL], "failed": []}
    after = snapshot(work)

    # The document and every entity only it mentioned are gone, from graph.json and the store.
    entities = {k: n for k, n in before["nodes"].items() if n["label"] != "Document"}
    only = {k for k, n in entities.items() if n["docs"] == [gone]}
    shared = {k for k, n in entities.items() if gone in n["docs"] and len(n["docs"]) > 1}
    assert only and shared
    for part in ("nodes", "stored_nodes"):
        assert gone in before[part] and gone not in after[part]
        assert not only & set(after[part])
    assert not [k for k in after["edges"] if k[2] == gone]  # no MENTIONED_IN to it

    # Entities it shared with other documents stay, with that document dropped from their docs and
    # their mentions. Resolution is global, so a few change name: 中国科学院 becomes 中科院 when the
    # document that spelt it out is gone. Their mentions in the other documents are still there.
    def mentions(snap: dict[str, Any]) -> dict[tuple[str, int, int], str]:
        return {
            (ev["doc_id"], ev["start"], ev["end"]): k[0]
            for k, e in snap["edges"].items()
            if k[1] == "MENTIONED_IN"
            for ev in e["evidence"]
        }

    mentions_before, mentions_after = mentions(before), mentions(after)
    kept = shared & set(after["nodes"])
    assert len(kept) > len(shared) / 2
    for k in kept:
        expected = [d for d in before["nodes"][k]["docs"] if d != gone]
        if set(after["nodes"][k]["aliases"]) == set(before["nodes"][k]["aliases"]):
            assert after["nodes"][k]["docs"] == expected, k
        else:  # an alias only the removed document gave no longer joins another document's mention
            assert set(after["nodes"][k]["docs"]) <= set(expected), k
        assert after["stored_nodes"][k][2] == after["nodes"][k]["docs"]
    for span, k in mentions_before.items():
        if k in shared and span[0] != gone:
            assert span in mentions_after, (k, span)
            lost_alias = k in kept and set(after["nodes"][k]["aliases"]) != set(before["nodes"][k]["aliases"])
            assert mentions_after[span] == k or k not in kept or lost_alias

    # Relationships: gone when all their evidence was in it, kept with the rest of it otherwise.
    def evidence_docs(edge: dict[str, Any]) -> set[str]:
        return {ev["doc_id"] for ev in edge["evidence"]}

    only_rels = {k for k, e in before["edges"].items() if evidence_docs(e) == {gone}}
    shared_rels = {
        k for k, e in before["edges"].items() if gone in evidence_docs(e) and len(evidence_docs(e)) > 1
    }
    assert only_rels and shared_rels
    removed = only_rels - set(after["edges"])
    assert removed and not removed & set(after["stored_edges"])
    assert any(k[1] != "MENTIONED_IN" for k in removed)
    # A fact that another document states too but that the graph records once, with the evidence of
    # the first document (an indicator in 000 and in its truncated copy 004), is recorded with the
    # other document's evidence: nothing of the removed document is left anywhere.
    for k in only_rels - removed:
        assert evidence_docs(after["edges"][k]) and gone not in evidence_docs(after["edges"][k])
    assert not [k for k, e in after["edges"].items() if gone in evidence_docs(e)]
    assert not [k for k, row in after["stored_edges"].items() if gone in row[0] or gone in row[1]]
    assert not [k for k, n in after["nodes"].items() if gone in (n.get("docs") or [])]
    evidence_after = {
        (k[1], ev["doc_id"], ev["start"], ev["end"])
        for k, e in after["edges"].items()
        for ev in e["evidence"]
    }
    kept_rels = shared_rels & set(after["edges"])
    assert len(kept_rels) > len(shared_rels) / 2
    for k in shared_rels:
        rest = [ev for ev in before["edges"][k]["evidence"] if ev["doc_id"] != gone]
        if k[1] in RELATION_TYPES:  # stated in one sentence; a derived one (TRACKS) may need both
            assert {(k[1], ev["doc_id"], ev["start"], ev["end"]) for ev in rest} <= evidence_after
        if k in kept_rels:
            assert after["edges"][k]["evidence"] == rest
            docs, evidence = after["stored_edges"][k]
            assert gone not in docs and json.loads(evidence) == rest

    # And the result is exactly a build of the remaining documents.
    fresh = _work(tmp_path / "fresh", [n for n in CORPUS if n != FULL], warm=scratch)
    fresh.build()
    assert_same_graph(work, fresh)

    # Putting it back restores the whole graph, from the cache.
    shutil.copy(RAW / FULL, work.src / FULL)
    assert work.build() == {"extracted": [], "cached": CORPUS, "failed": []}
    assert_same_graph(work, scratch)


def test_changed_content_is_extracted_again(tmp_path: Path, scratch: Work) -> None:
    work = _work(tmp_path, CORPUS, warm=scratch)
    assert work.build()["cached"] == CORPUS
    target = work.src / CORPUS[1]
    original = target.read_bytes()
    target.write_bytes(original + "\n依托青川市深海材料研究院建设蓝湾智能制造产业园。\n".encode())
    assert work.build() == {"extracted": [CORPUS[1]], "cached": CORPUS[:1] + CORPUS[2:], "failed": []}
    names = {n.get("name") for n in work.graph()["nodes"]}
    assert {"青川市深海材料研究院", "蓝湾智能制造产业园"} <= names

    target.write_bytes(original)  # back to what it was: that extraction is still cached
    assert work.build() == {"extracted": [], "cached": CORPUS, "failed": []}
    assert_same_graph(work, scratch)


def test_a_renamed_copy_is_extracted_under_its_new_name(tmp_path: Path) -> None:
    """The extraction records the file name, so the name is part of the key."""
    work = _work(tmp_path, [SMALL])
    work.build()
    (work.src / SMALL).rename(work.src / "renamed.txt")
    assert work.build() == {"extracted": ["renamed.txt"], "cached": [], "failed": []}
    assert work.report()["documents"] == ["renamed.txt"]
    assert {ev["doc"] for e in work.graph()["edges"] for ev in e["evidence"]} == {"renamed.txt"}


# --- the cache itself ---------------------------------------------------------------------------


def _entry(work: Work, name: str) -> Path:
    """The cache file of document ``name`` as it is now."""
    data = (work.src / name).read_bytes()
    return ExtractionCache(work.cache).entry(content_key(data), name)


def test_no_cache_extracts_everything_and_refreshes_the_cache(tmp_path: Path, scratch: Work) -> None:
    work = _work(tmp_path, CORPUS[:2], warm=scratch)
    for name in CORPUS[:2]:
        _entry(work, name).write_text("{}", encoding="utf-8")  # not an extraction of it: a miss
    assert work.build("--no-cache") == {"extracted": CORPUS[:2], "cached": [], "failed": []}
    assert json.loads(_entry(work, CORPUS[0]).read_text(encoding="utf-8"))["doc"] == CORPUS[0]
    assert work.build() == {"extracted": [], "cached": CORPUS[:2], "failed": []}


def test_a_damaged_cache_entry_is_a_miss(tmp_path: Path, scratch: Work) -> None:
    work = _work(tmp_path, CORPUS[:2], warm=scratch)
    entry = _entry(work, CORPUS[1])
    entry.write_text('{"doc": "truncated', encoding="utf-8")
    assert work.build() == {"extracted": CORPUS[1:2], "cached": CORPUS[:1], "failed": []}
    assert json.loads(entry.read_text(encoding="utf-8"))["doc"] == CORPUS[1]  # rewritten whole


def test_the_default_cache_is_under_out(tmp_path: Path) -> None:
    work = _work(tmp_path, [SMALL])
    argv = ["build", str(work.src), "--db", str(work.db), "--out", str(work.out)]
    assert main(argv) == 0
    assert main(argv) == 0
    assert work.report()["extraction"]["cached"] == [SMALL]
    assert [p.parent.parent for p in work.out.rglob("*.json") if "cache" in p.parts] == [work.out / "cache"]


def test_another_extractor_version_does_not_use_the_cache(tmp_path: Path, scratch: Work, monkeypatch) -> None:
    work = _work(tmp_path, CORPUS[:2], warm=scratch)
    work.build()
    old = {p.parent.name for p in work.cache.rglob("*.json")}
    assert len(old) == 1
    monkeypatch.setattr(cache_module, "current_fingerprint", lambda: "0123456789abcdef")
    assert work.build() == {"extracted": CORPUS[:2], "cached": [], "failed": []}
    # the previous version's results are removed: the cache holds one extractor's results
    assert {p.parent.name for p in work.cache.rglob("*.json")} == {"0123456789abcdef"}


def test_fingerprint_covers_code_config_and_ontology(tmp_path: Path) -> None:
    ingest, ontology = tmp_path / "ingest", tmp_path / "ontology"
    shutil.copytree(REPO / "ingest", ingest, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "data" / "ontology", ontology)
    seen = {fingerprint(ingest, ontology)}
    assert fingerprint(ingest, ontology) in seen  # stable

    (ingest / "__pycache__").mkdir()
    (ingest / "__pycache__" / "extract.cpython-311.pyc").write_bytes(b"compiled")
    (ontology / "README.md").write_text("notes", encoding="utf-8")
    assert fingerprint(ingest, ontology) in seen  # neither compiled files nor notes count

    for path, change in (
        (ingest / "components" / "names.py", b"\n# a changed rule\n"),
        (ingest / "readers.py", b"\n"),
        (ingest / "config.cfg", b"\n"),
        (ontology / "heads.yaml", b"\n# another head\n"),
    ):
        path.write_bytes(path.read_bytes() + change)
        new = fingerprint(ingest, ontology)
        assert new not in seen, path
        seen.add(new)
    (ontology / "new.yaml").write_text("x: 1\n", encoding="utf-8")
    assert fingerprint(ingest, ontology) not in seen


def test_cache_entries_are_keyed_by_content_name_and_extractor(tmp_path: Path) -> None:
    one = ExtractionCache(tmp_path, extractor="aaaaaaaaaaaaaaaa")
    one.put("k1", "a.txt", {"doc": "a.txt", "entities": []})
    assert one.get("k1", "a.txt") == {"doc": "a.txt", "entities": []}
    assert one.get("k2", "a.txt") is None  # other content
    assert one.get("k1", "b.txt") is None  # other name
    assert ExtractionCache(tmp_path, extractor="bbbbbbbbbbbbbbbb").get("k1", "a.txt") is None
    assert ExtractionCache(tmp_path, extractor="aaaaaaaaaaaaaaaa", read=False).get("k1", "a.txt") is None


def test_an_unwritable_cache_does_not_fail_the_build(tmp_path: Path, caplog) -> None:
    work = _work(tmp_path, [SMALL])
    work.root.joinpath("cache").write_text("a file where the cache folder should be", encoding="utf-8")
    assert work.build() == {"extracted": [SMALL], "cached": [], "failed": []}
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and warnings[0].startswith("cache: cannot write to ")
