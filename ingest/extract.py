"""Stage: Document → spaCy Doc → Extraction records (entities and relations with provenance)."""

from __future__ import annotations

import contextlib
import json
import logging
import multiprocessing as mp
import sys
import traceback
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tqdm import tqdm
from tqdm.contrib.logging import logging_redirect_tqdm

from ingest.cache import ExtractOptions, content_key
from ingest.readers import DEFAULT_MAX_MB, ReadError, iter_paths, max_chars, read_document, read_file
from ingest.records import Document, Entity, Evidence, Extraction, Relation, TextDamage

# spaCy and the pipeline are imported when a document is extracted: a build whose documents all
# come from the cache does without them (a second off every incremental build).
if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from ingest.state import DocState, RelationCandidate

log = logging.getLogger(__name__)
UNDIRECTED = {"COOPERATES_WITH"}


def _evidence(st: DocState, document: Document, start: int, end: int) -> Evidence:
    text = document.text  # the same string as doc.text, without spaCy rebuilding it per call
    s = st.sentence_at(start)
    if s is None:  # offsets always fall in a sentence; keep a safe fallback
        return Evidence(
            document.doc_id, document.name, [], -1, text[start:end], start, end, text[start:end], start
        )
    end = min(max(end, start), s.end)
    return Evidence(
        document.doc_id,
        document.name,
        list(s.path),
        s.index,
        text[s.start : s.end],
        start,
        end,
        text[start:end],
        s.start,
    )


def doc_to_extraction(doc: Doc, document: Document) -> Extraction:
    from ingest.state import state_of

    st = state_of(doc)
    entities: dict[str, Entity] = {}
    for de in st.entities:
        ent = Entity(de.id, de.type, de.name, sorted(de.aliases), props=dict(de.props))
        ent.mentions = [_evidence(st, document, m.start, m.end) for m in de.mentions]
        entities[de.id] = ent
    relations = _relations(st, document, st.relations, entities)
    linked = {r.src for r in relations} | {r.dst for r in relations}
    # a chain link or missing item means nothing without its chain
    kept = [e for e in entities.values() if e.type != "ChainLink" or e.id in linked]
    meta: dict = {
        "structures": [
            {"name": c.name, "declared": c.declared, "kind": c.kind, "start": c.start, "end": c.end}
            for c in st.structures
        ],
        "indicators": st.indicators,
    }
    if st.home is not None:
        meta["home_region"] = st.home.name
        if st.home.level == "city":
            meta["home_city"] = st.home.name
            meta["city"] = st.home.name  # completes relative names (市科技局) in the graph
    return Extraction(
        document.name,
        document.doc_id,
        document.title,
        kept,
        relations,
        meta={
            **meta,
            "issuer": document.issuer,
            "date": document.date,
            "format": document.fmt,
            **({"damage": document.damage.to_json()} if document.damage else {}),
        },
    )


def _relations(
    st: DocState, document: Document, cands: list[RelationCandidate], entities: dict[str, Entity]
) -> list[Relation]:
    merged: dict[tuple[str, str, str], Relation] = {}
    for c in cands:
        a, b = c.src.props.get("eid"), c.dst.props.get("eid")
        if not a or not b or a == b or a not in entities or b not in entities:
            continue
        key_a, key_b = (min(a, b), max(a, b)) if c.type in UNDIRECTED else (a, b)
        key = (c.type, key_a, key_b)
        start, end = min(c.src.start, c.dst.start), max(c.src.end, c.dst.end)
        s = st.sentence_at(c.dst.start)
        if s is None or not (s.start <= start and end <= s.end):
            start, end = c.dst.start, c.dst.end
        ev = _evidence(st, document, start, end)
        rel = merged.get(key)
        if rel is None:
            merged[key] = Relation(c.type, key_a, key_b, dict(c.props), [ev])
        elif all(e.start != ev.start for e in rel.evidence):
            rel.evidence.append(ev)
    return list(merged.values())


def parse(nlp: Language, text: str) -> Doc:
    """``nlp(text)``, with spaCy's length guard (1,000,000 characters) widened to fit ``text``.

    The guard protects memory-hungry statistical models; this pipeline is rules on jieba tokens, and
    the size limit of the readers (`--max-mb`) is what bounds a document.
    """
    if len(text) >= nlp.max_length:
        nlp.max_length = len(text) + 1
    return nlp(text)


def load_nlp(max_mb: float | None = DEFAULT_MAX_MB) -> Language:
    """The pipeline, its ``max_length`` set from the size limit so no allowed document is refused."""
    from ingest.pipeline import build_nlp

    nlp = build_nlp()
    limit = max_chars(max_mb)
    if limit is not None and nlp.max_length <= limit:
        nlp.max_length = limit + 1
    return nlp


def extract_document(document: Document) -> Extraction:
    from ingest.pipeline import build_nlp

    return doc_to_extraction(parse(build_nlp(), document.text), document)


@dataclass
class _Failure:
    """Why one document failed: its error line, and the traceback text when --debug asked for it."""

    line: str
    trace: str = ""


def _failure(path: Path, exc: BaseException, debug: bool) -> _Failure:
    if isinstance(exc, ReadError):
        return _Failure(str(exc))
    # one bad document must not stop the others; its type says what went wrong
    trace = "".join(traceback.format_exception(exc)) if debug else ""
    return _Failure(f"{path}: extraction failed: {_one_line(exc)}", trace)


class _Extractor:
    """Reads and extracts one document; the pipeline is loaded for the first one that reads."""

    def __init__(self, max_mb: float | None, debug: bool) -> None:
        self.max_mb = max_mb
        self.debug = debug
        self.nlp: Language | None = None

    def __call__(self, path: Path, data: bytes) -> dict | _Failure:
        try:
            document = read_document(path, max_mb=self.max_mb, data=data)
        except Exception as exc:
            return _failure(path, exc, self.debug)
        if self.nlp is None:  # not per document: a pipeline that cannot load stops the run
            self.nlp = load_nlp(self.max_mb)
        try:
            extraction = doc_to_extraction(parse(self.nlp, document.text), document)
            # through JSON, so a fresh result and a cached one are the same values
            return json.loads(json.dumps(extraction.to_json(), ensure_ascii=False))
        except Exception as exc:
            return _failure(path, exc, self.debug)


_WORKER: _Extractor | None = None  # one per pool process, so the pipeline loads once per process


def _init_worker(max_mb: float | None, debug: bool) -> None:
    global _WORKER
    _WORKER = _Extractor(max_mb, debug)


def _extract_in_worker(path: Path, data: bytes) -> dict | _Failure:
    assert _WORKER is not None, "the pool initializer sets the worker's extractor"
    return _WORKER(path, data)


Pending = tuple[int, Path, bytes, str]  # (position among the files, path, bytes, cache key)


def _extract_all(pending: list[Pending], options: ExtractOptions) -> Iterator[tuple[int, Any]]:
    """(position, extraction dict or _Failure) for each pending document, as each one finishes.

    With ``options.jobs`` > 1 the documents go to a pool of processes, largest first so that no long
    document starts last; each process loads the pipeline once. The results are the same values
    in any order: the caller puts them back in file order.
    """
    jobs = options.jobs
    if jobs <= 1 or len(pending) < 2:
        extractor = _Extractor(options.max_mb, options.debug)
        for index, path, data, _key in pending:
            yield index, extractor(path, data)
        return
    # fork: the workers start at once with the imports already done (forkserver/spawn re-import
    # spaCy in each: ~2 s); spawn where fork is unavailable.
    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(pending)),
        mp_context=mp.get_context(method),
        initializer=_init_worker,
        initargs=(options.max_mb, options.debug),
    ) as pool:
        futures = {
            pool.submit(_extract_in_worker, path, data): index
            for index, path, data, _key in sorted(pending, key=lambda p: -len(p[2]))
        }
        try:
            for future in as_completed(futures):
                yield futures[future], future.result()
        except BaseException:
            for future in futures:
                future.cancel()
            raise


def extract_paths(
    paths: Iterable[str | Path],
    out_dir: str | Path | None = None,
    *,
    progress: bool = True,
    options: ExtractOptions | None = None,
) -> tuple[list[dict], list[str]]:
    """Extract every readable document under ``paths``; return (extraction dicts, error lines).

    A document that cannot be read or extracted gives one error line ("<file>: <problem>") and is
    skipped; the others go through. Errors are returned, not logged: the caller reports them.
    ``options`` sets the size limit and the cache; what happened to each document is recorded in
    ``options.stats``. With a cache, a file that fails now but was extracted before keeps its last
    good extraction (its error line says so): nothing already built is lost to a bad file.
    ``options.jobs`` > 1 extracts the documents that are not cached in that many processes; the
    results, errors and stats are the same as with one process, in the same (file) order.
    """
    options = options or ExtractOptions()
    stats = options.stats
    files = iter_paths(list(paths))
    out = Path(out_dir) if out_dir else None
    if out:
        out.mkdir(parents=True, exist_ok=True)
    done: list[dict | _Failure | None] = [None] * len(files)
    kinds: list[str] = [""] * len(files)  # extracted | cached | failed, per file
    pending: list[Pending] = []
    for index, path in enumerate(files):  # cheap: read, hash, look up; the cached ones are done
        try:
            data = read_file(path, options.max_mb)
            key = content_key(data) if options.cache else ""
            found = options.cache.get(key, path.name) if options.cache else None
        except Exception as exc:
            done[index], kinds[index] = _failure(path, exc, options.debug), "failed"
            continue
        if found is None:
            pending.append((index, path, data, key))
            continue
        log.info("%s: cached", path)
        done[index], kinds[index] = found, "cached"
        _write_json(out, path.name, found)

    keys = {index: key for index, _path, _data, key in pending}
    show = progress and len(pending) >= 2 and sys.stderr.isatty()  # no bar in logs and CI output
    # Log lines (e.g. "cached") go above the progress bar instead of through it.
    with logging_redirect_tqdm() if show else contextlib.nullcontext():
        bar = tqdm(total=len(pending), desc="extract", unit="doc", disable=not show)
        with bar:
            for index, outcome in _extract_all(pending, options):
                path = files[index]
                bar.update()
                done[index] = outcome
                if isinstance(outcome, _Failure):
                    kinds[index] = "failed"
                    continue
                # kept as each one arrives: a run cut short keeps what it finished
                log.debug("%s: extracted", path)
                kinds[index] = "extracted"
                if options.cache:
                    options.cache.put(keys[index], path.name, outcome)
                _write_json(out, path.name, outcome)

    results: list[dict] = []
    errors: list[str] = []
    for path, outcome, kind in zip(files, done, kinds, strict=True):
        if isinstance(outcome, dict):
            _warn_damage(path, outcome)  # at every build, cached or not
            getattr(stats, kind).append(path.name)
            results.append(outcome)
            continue
        assert outcome is not None
        if outcome.trace:
            log.error("%s: extraction failed\n%s", path, outcome.trace.rstrip())
        stats.failed.append(path.name)
        line = outcome.line
        previous = options.cache.last_good(path.name) if options.cache else None
        if previous is not None:
            line += "; kept its last good extraction"
            stats.kept.append(path.name)
            results.append(previous)
        errors.append(line)
    return results, errors


def _warn_damage(path: Path, extraction: dict) -> None:
    """One warning line for a document read from damaged text: what was replaced, removed, dropped."""
    if damage := extraction.get("meta", {}).get("damage"):
        log.warning("%s: %s", path, TextDamage(**damage).describe())


def _one_line(exc: BaseException) -> str:
    """'RuntimeError: message' on one line: an unexpected error, so its type says what went wrong."""
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _write_json(out: Path | None, name: str, data: dict) -> None:
    if out is None:
        return
    target = out / f"{name.rsplit('.', 1)[0]}.json"
    tmp = target.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(target)  # never leave a half-written file behind
