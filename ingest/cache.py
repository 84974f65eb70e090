"""The extraction cache of incremental builds, and the options of one extraction run.

A cache entry is one document's extraction (``Extraction.to_json()``), stored at

    <cache dir>/<extractor fingerprint>/<sha256 of the file's bytes>-<hash of its file name>.json

- the content hash is of the bytes on disk, so a hit costs one read and one hash: no decoding,
  HTML/PDF parsing or spaCy (the model is not even loaded when every document is cached);
- the file name is part of the key because the extraction records it (``doc`` and every
  evidence's ``doc``): a renamed copy is extracted again rather than carrying the old name;
- the fingerprint hashes everything extraction depends on: the ingest code, ``ingest/config.cfg``,
  ``data/ontology/*.yaml`` and the versions of the libraries that segment, read and gazetteer
  (spaCy, jieba, cpca, the readers). Changing any of them starts a new, empty folder; the folders
  of other fingerprints are deleted on the first write, so the cache holds one extractor's results.

Entries are written atomically (temporary file, then rename); an unreadable or damaged entry is a
miss and is rewritten. The cache never makes a build fail: a write error is logged once.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import os
import re
import shutil
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from ingest.readers import DEFAULT_MAX_MB

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parents[1]
INGEST_DIR = PROJECT_ROOT / "ingest"
ONTOLOGY_DIR = PROJECT_ROOT / "data" / "ontology"
# Libraries whose version can change what is extracted (segmentation, gazetteer, readers).
LIBRARIES = ("spacy", "jieba", "cpca", "trafilatura", "pdfplumber", "python-docx", "charset-normalizer")
_FINGERPRINT_DIR = re.compile(r"^[0-9a-f]{16}$")


def fingerprint(ingest_dir: Path = INGEST_DIR, ontology_dir: Path = ONTOLOGY_DIR) -> str:
    """16 hex digits that change whenever the extractor could give a different result."""
    h = hashlib.sha256()
    code = [*sorted(ingest_dir.rglob("*.py")), ingest_dir / "config.cfg"]
    for root, paths in (("ingest", code), ("ontology", sorted(ontology_dir.glob("*.yaml")))):
        base = ingest_dir if root == "ingest" else ontology_dir
        for path in paths:
            if path.is_file():
                h.update(f"{root}/{path.relative_to(base).as_posix()}\0".encode())
                h.update(hashlib.sha256(path.read_bytes()).digest())
    for name in LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        h.update(f"{name}={version}\0".encode())
    return h.hexdigest()[:16]


@functools.lru_cache(maxsize=1)
def current_fingerprint() -> str:
    return fingerprint()


def content_key(data: bytes) -> str:
    """The cache key of a file's bytes (sha256, hex)."""
    return hashlib.sha256(data).hexdigest()


class ExtractionCache:
    def __init__(self, root: str | Path, extractor: str | None = None, *, read: bool = True) -> None:
        self.root = Path(root)
        self.extractor = extractor or current_fingerprint()
        self.read = read  # False: every lookup misses, results are still written (--no-cache)
        self.folder = self.root / self.extractor
        self._pruned = False
        self._write_failed = False

    def entry(self, key: str, name: str) -> Path:
        name_hash = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
        return self.folder / f"{key}-{name_hash}.json"

    def get(self, key: str, name: str) -> dict[str, Any] | None:
        """The cached extraction of file ``name`` with content ``key``, or None."""
        if not self.read:
            return None
        path = self.entry(key, name)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            log.debug("cache: ignoring damaged entry %s: %s", path, exc)
            return None
        if not isinstance(data, dict) or data.get("doc") != name:
            log.debug("cache: ignoring entry %s: not an extraction of %s", path, name)
            return None
        return data

    def last_good(self, name: str) -> dict[str, Any] | None:
        """The newest cached extraction of file ``name`` whatever its content, or None.

        A file that fails to read now (overwritten with junk, half-copied) keeps what it last
        contributed, so a bad file never takes loaded content out of the graph by accident.
        """
        name_hash = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
        entries = sorted(self.folder.glob(f"*-{name_hash}.json"), key=lambda p: p.stat().st_mtime)
        for path in reversed(entries):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(data, dict) and data.get("doc") == name:
                return data
        return None

    def put(self, key: str, name: str, extraction: dict[str, Any]) -> None:
        path = self.entry(key, name)
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        try:
            self._prune_other_extractors()
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(extraction, ensure_ascii=False), encoding="utf-8")
            tmp.replace(path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
            if not self._write_failed:  # once per run: the build goes on without the cache
                log.warning("cache: cannot write to %s: %s", self.folder, exc.strerror or exc)
                self._write_failed = True

    def _prune_other_extractors(self) -> None:
        if self._pruned:
            return
        self._pruned = True
        if not self.root.is_dir():
            return
        for child in self.root.iterdir():
            if child.is_dir() and child.name != self.extractor and _FINGERPRINT_DIR.match(child.name):
                log.debug("cache: removing results of another extractor version: %s", child)
                shutil.rmtree(child, ignore_errors=True)


# --- the options of an extraction run ------------------------------------------------------------


@dataclass
class ExtractStats:
    """What a run did with each document (file names), filled in by `extract_paths`."""

    extracted: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # failed now, built from their last good extraction


def default_jobs() -> int:
    """The CPUs this process may use (its affinity mask, not only the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


@dataclass
class ExtractOptions:
    """Size limit, cache, error detail and processes of an extraction run (`extract_paths(options=...)`)."""

    max_mb: float | None = DEFAULT_MAX_MB
    cache: ExtractionCache | None = None
    debug: bool = False  # log each unexpected extraction error with its traceback
    jobs: int = 1  # processes extracting the documents that are not cached
    stats: ExtractStats = field(default_factory=ExtractStats)
