"""Extraction over the real corpus in data/raw: no errors, verbatim evidence, the truncated copy,
the quality gate against the shared gold annotations, and the `ikg extract` command."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import jieba
import pytest

from ingest.extract import extract_paths
from ingest.ontology import load_ontology
from ingest.readers import read_document
from ingest.records import Document
from ingest.text import norm_name
from tests.extract_helpers import RAW_DIR, REPO_ROOT

pytestmark = pytest.mark.slow

RAW_FILES = sorted(p for p in RAW_DIR.iterdir() if p.is_file() and not p.name.startswith("."))
FULL = "000_0b49c72c223a13de.txt"
TRUNCATED = "004_c39082594c58b274.txt"  # 000 with every body line cut at 50 characters
TRUNCATED_TITLE = "威海市“十四五”科技创新规划"  # the lines above it are the notice header
SENTENCE_END = "。！？!?；;"
PUNCT = set('，,。、；;：:！!？?“”‘’"()（）《》【】—…')


@dataclass
class Corpus:
    out: Path
    results: list[dict]
    errors: list[str]
    documents: dict[str, Document]  # file name -> the stored document
    outputs: dict[str, dict]  # file name -> the JSON written for it


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    assert RAW_FILES, f"no documents in {RAW_DIR}"
    out = tmp_path_factory.mktemp("extract")
    results, errors = extract_paths([RAW_DIR], out, progress=False)
    documents = {p.name: read_document(p) for p in RAW_FILES}
    outputs = {}
    for name, document in documents.items():
        target = out / f"{document.stem}.json"
        if target.exists():
            outputs[name] = json.loads(target.read_text(encoding="utf-8"))
    return Corpus(out, results, errors, documents, outputs)


# --- 1. everything extracts -------------------------------------------------------------------


def test_every_document_extracts(corpus: Corpus) -> None:
    assert corpus.errors == []
    assert len(corpus.results) == len(RAW_FILES)
    assert sorted(corpus.outputs) == [p.name for p in RAW_FILES], "a JSON file is missing"
    for name, data in corpus.outputs.items():
        document = corpus.documents[name]
        assert (data["doc"], data["doc_id"], data["title"]) == (name, document.doc_id, document.title)
        assert data["entities"], f"{name}: no entities"
        assert data["relations"], f"{name}: no relations"
        ids = [e["id"] for e in data["entities"]]
        assert len(ids) == len(set(ids)), f"{name}: duplicate entity ids"
        dangling = [r for r in data["relations"] if r["src"] not in ids or r["dst"] not in ids]
        assert not dangling, f"{name}: relations without their entities: {dangling[:3]}"


# --- 2. evidence is verbatim ------------------------------------------------------------------


def _evidence_problems(ev: dict, document: Document, where: str) -> list[str]:
    text = document.text
    out = []
    if ev["doc_id"] != document.doc_id or ev["doc"] != document.name:
        out.append(f"{where}: names document {ev['doc']}/{ev['doc_id']}")
    start, end, ss = ev["start"], ev["end"], ev["sentence_start"]
    if not (0 <= start <= end <= len(text)) or text[start:end] != ev["text"] or not ev["text"]:
        out.append(f"{where}: text[{start}:{end}]={text[start:end]!r} != {ev['text']!r}")
    sentence = ev["sentence"]
    if not sentence or text[ss : ss + len(sentence)] != sentence:
        out.append(f"{where}: sentence not at {ss}: {sentence!r}")
    elif not (ss <= start and end <= ss + len(sentence)):
        out.append(f"{where}: span {start}-{end} outside its sentence {ss}-{ss + len(sentence)}")
    return out


def _window_problems(window: str, document: Document, where: str) -> list[str]:
    if not window or len(window) > 80 or window not in document.text:
        return [f"{where}: evidence {window!r} is not a verbatim excerpt of <= 80 characters"]
    return []


@pytest.mark.parametrize("name", [p.name for p in RAW_FILES])
def test_evidence_is_verbatim(corpus: Corpus, name: str) -> None:
    document = corpus.documents[name]
    data = corpus.outputs[name]
    problems: list[str] = []
    checked = 0
    for ent in data["entities"]:
        where = f"{ent['type']} {ent['name']}"
        problems += _window_problems(ent["evidence"], document, where)
        if not ent["mentions"]:
            problems.append(f"{where}: no mentions")
        for m in ent["mentions"]:
            problems += _evidence_problems(m, document, where)
            checked += 1
    for rel in data["relations"]:
        where = f"{rel['type']} {rel['src']}->{rel['dst']}"
        problems += _window_problems(rel["evidence"], document, where)
        if not rel["provenance"]:
            problems.append(f"{where}: no provenance")
        for p in rel["provenance"]:
            problems += _evidence_problems(p, document, where)
            checked += 1
    assert checked > 0
    assert not problems, f"{len(problems)} problems, e.g.\n" + "\n".join(problems[:15])


# --- 3. the truncated copy --------------------------------------------------------------------


def _lines(text: str) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line), line))
        pos += len(line) + 1
    return out


def _body_lines(text: str) -> list[tuple[int, int, str]]:
    lines = _lines(text)
    title = next(i for i, (_s, _e, line) in enumerate(lines) if line.strip() == TRUNCATED_TITLE)
    return lines[title + 1 :]


def _cut_lines(corpus: Corpus) -> list[tuple[int, int, str, int]]:
    """Body lines of the truncated copy that stop mid-sentence: (start, end, line, offset of the full line
    in 000)."""
    full_lines = {}
    for s, _e, line in _lines(corpus.documents[FULL].text):
        full_lines.setdefault(line, s)
    out = []
    for s, e, line in _body_lines(corpus.documents[TRUNCATED].text):
        if not line or line in full_lines or line[-1] in SENTENCE_END:
            continue
        origin = next((off for full, off in full_lines.items() if full.startswith(line)), None)
        if origin is not None:
            out.append((s, e, line, origin))
    return out


def _final_fragment_start(line: str, start: int, boundary_words: set[str]) -> tuple[int, int]:
    """(after the last punctuation mark, after the last punctuation mark or clause-opening word)."""
    after_punct = max((i + 1 for i, c in enumerate(line) if c in PUNCT), default=0)
    after_word, pos = after_punct, 0
    for tok in jieba.lcut(line):
        pos += len(tok)
        if tok in boundary_words and pos > after_word:
            after_word = pos
    return start + after_punct, start + after_word


def test_truncated_lines_yield_no_cut_names(corpus: Corpus) -> None:
    cut = _cut_lines(corpus)
    assert len(cut) >= 50, f"expected the body lines of {TRUNCATED} to be cut, found {len(cut)}"
    boundary_words = load_ontology().boundary_words
    full_mentions = {
        (m["start"], m["text"], e["type"]) for e in corpus.outputs[FULL]["entities"] for m in e["mentions"]
    }
    fragments = [
        (s, e, line, origin, *_final_fragment_start(line, s, boundary_words)) for s, e, line, origin in cut
    ]
    problems = []
    for ent in corpus.outputs[TRUNCATED]["entities"]:
        for m in ent["mentions"]:
            for s, e, line, origin, tail_start, fragment_start in fragments:
                if not (m["start"] < e and m["end"] > s):
                    continue
                if m["end"] > fragment_start:
                    problems.append(f"{ent['type']} {m['text']!r} lies in the cut fragment of {line!r}")
                same_in_full = (origin + m["start"] - s, m["text"], ent["type"]) in full_mentions
                if m["end"] > tail_start and not same_in_full:
                    problems.append(f"{ent['type']} {m['text']!r} near the cut of {line!r} is not in {FULL}")
    assert not problems, "\n".join(problems)


def test_truncated_copy_adds_no_names(corpus: Corpus) -> None:
    body = _body_lines(corpus.documents[TRUNCATED].text)
    body_start = body[0][0]
    known = {norm_name(n) for e in corpus.outputs[FULL]["entities"] for n in (e["name"], *e["aliases"])}
    checked, new = 0, []
    for ent in corpus.outputs[TRUNCATED]["entities"]:
        if all(m["start"] >= body_start for m in ent["mentions"]):
            checked += 1
            if norm_name(ent["name"]) not in known:
                new.append(f"{ent['type']} {ent['name']}")
    assert checked > 50
    assert not new, f"names in {TRUNCATED} that {FULL} does not have: {new}"


# --- 4. quality gate: tests/test_evaluate.py scores every gold document ----------------------


# --- 5. the command line ----------------------------------------------------------------------


def _ikg(*args: str) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("ikg")
    if script.exists():
        cmd = [str(script)]
    else:  # not installed as a console script: the same entry point
        cmd = [sys.executable, "-c", "import sys; from ikg.cli import main; sys.exit(main())"]
    return subprocess.run(
        [*cmd, *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, check=False
    )


def test_cli_extracts_one_file(tmp_path: Path) -> None:
    source = min(RAW_FILES, key=lambda p: p.stat().st_size)
    proc = _ikg("extract", str(source), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    target = tmp_path / "out" / f"{source.stem}.json"
    assert target.exists(), sorted(p.name for p in tmp_path.rglob("*"))
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["doc"] == source.name and data["entities"]


GOOD_TEXT = "青川市科技创新规划\n一、发展基础\n依托青川市海洋装备研究院建设星港新材料产业园。\n"


@pytest.fixture
def mixed_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (folder / "junk.txt").write_bytes(bytes(range(256)) * 16 + b"\x00" * 512)
    return folder


@pytest.mark.parametrize(("strict", "code"), [(False, 0), (True, 1)])
def test_cli_reports_a_bad_file(mixed_folder: Path, tmp_path: Path, strict: bool, code: int) -> None:
    out = tmp_path / "out"
    proc = _ikg("extract", str(mixed_folder), "--out", str(out), *(["--strict"] if strict else []))
    assert proc.returncode == code, proc.stderr
    assert sorted(p.name for p in out.iterdir()) == ["good.json"]
    good = json.loads((out / "good.json").read_text(encoding="utf-8"))
    assert {e["name"] for e in good["entities"]} >= {"青川市海洋装备研究院", "星港新材料产业园"}
    errors = [line for line in proc.stderr.splitlines() if re.search(r"\bERROR\b", line)]
    assert errors and all("junk.txt" in line for line in errors), proc.stderr
    assert not any("good.txt" in line for line in errors)
