"""Extraction in several processes (`--jobs`): the same output as one process, in the same order,
with the cache and the failure handling of a serial run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ikg.cli import main
from ingest.cache import ExtractionCache, ExtractOptions
from ingest.extract import extract_paths

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
# the three smallest documents: quick, and still several for the pool to share out
DOCS = sorted((p for p in RAW.iterdir() if p.is_file()), key=lambda p: p.stat().st_size)[:3]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The documents, an empty file and a binary one (two error lines), in a mixed order."""
    src = tmp_path_factory.mktemp("parallel") / "in"
    src.mkdir()
    for doc in DOCS:
        shutil.copy(doc, src / doc.name)
    (src / "010_empty.txt").write_text("", encoding="utf-8")
    (src / "011_binary.txt").write_bytes(bytes(range(256)) * 8)
    return src


def _run(folder: Path, jobs: int, cache: Path | None = None) -> tuple[list[dict], list[str], dict]:
    options = ExtractOptions(jobs=jobs, cache=ExtractionCache(cache) if cache else None)
    results, errors = extract_paths([folder], progress=False, options=options)
    return results, errors, vars(options.stats)


def test_two_processes_give_what_one_gives(folder: Path) -> None:
    serial = _run(folder, jobs=1)
    parallel = _run(folder, jobs=2)
    assert parallel == serial
    results, errors, stats = parallel
    assert [r["doc"] for r in results] == sorted(d.name for d in DOCS)
    assert len(errors) == 2 and all(line.startswith(str(folder)) for line in errors)
    assert stats["extracted"] == [r["doc"] for r in results] and len(stats["failed"]) == 2


def test_cached_documents_are_not_extracted_again_and_a_bad_copy_keeps_its_last_good(
    folder: Path, tmp_path: Path
) -> None:
    src = tmp_path / "in"
    shutil.copytree(folder, src)
    cache = tmp_path / "cache"
    first = _run(src, jobs=2, cache=cache)
    assert first[2]["extracted"] == sorted(d.name for d in DOCS)

    damaged = DOCS[0].name
    (src / damaged).write_bytes(b"")  # now fails to read
    results, errors, stats = _run(src, jobs=2, cache=cache)
    assert stats["extracted"] == [] and stats["cached"] == sorted(d.name for d in DOCS[1:])
    assert stats["kept"] == [damaged]
    assert [r["doc"] for r in results] == [r["doc"] for r in first[0]]  # same documents, same order
    at = [r["doc"] for r in results].index(damaged)
    assert results[at] == first[0][at]  # its last good extraction, in its place
    assert any(line.startswith(str(src / damaged)) and "kept its last good" in line for line in errors)


def test_ikg_build_with_two_jobs_writes_the_graph_of_one(folder: Path, tmp_path: Path) -> None:
    graphs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs{jobs}"
        argv = ["build", str(folder), "--jobs", jobs, "--no-cache", "--out", str(out)]
        assert main([*argv, "--db", str(out / "graph.lbdb"), "--cache", str(out / "cache")]) == 0
        graphs.append(json.loads((out / "graph.json").read_text(encoding="utf-8")))
    assert graphs[0] == graphs[1]
    assert len(graphs[0]["nodes"]) > 10


@pytest.mark.parametrize("bad", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_whole_number(bad: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["extract", "--jobs", bad])
    assert "--jobs" in capsys.readouterr().err
