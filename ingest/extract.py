"""Stage: Document → spaCy Doc → Extraction records (entities and relations with provenance)."""

from __future__ import annotations

import contextlib
import json
import logging
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

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
    """
    options = options or ExtractOptions()
    stats = options.stats
    files = iter_paths(list(paths))
    results: list[dict] = []
    errors: list[str] = []
    out = Path(out_dir) if out_dir else None
    if out:
        out.mkdir(parents=True, exist_ok=True)
    nlp: Language | None = None  # loaded for the first document that is not cached

    def failed(path: Path, exc: Exception) -> None:
        if isinstance(exc, ReadError):
            line = str(exc)
        else:  # one bad document must not stop the others
            line = f"{path}: extraction failed: {_one_line(exc)}"
            if options.debug:
                log.error("%s: extraction failed", path, exc_info=exc)
        stats.failed.append(path.name)
        previous = options.cache.last_good(path.name) if options.cache else None
        if previous is not None:
            line += "; kept its last good extraction"
            stats.kept.append(path.name)
            results.append(previous)
        errors.append(line)

    show = progress and len(files) >= 2 and sys.stderr.isatty()  # no bar in logs and CI output
    # Log lines (e.g. "cached") go above the progress bar instead of through it.
    with logging_redirect_tqdm() if show else contextlib.nullcontext():
        for path in tqdm(files, desc="extract", unit="doc", disable=not show):
            try:
                data = read_file(path, options.max_mb)
                key = content_key(data) if options.cache else ""
                found = options.cache.get(key, path.name) if options.cache else None
                if found is None:
                    document = read_document(path, max_mb=options.max_mb, data=data)
            except Exception as exc:
                failed(path, exc)
                continue
            if found is not None:
                log.info("%s: cached", path)
                _warn_damage(path, found)
                stats.cached.append(path.name)
                results.append(found)
                _write_json(out, path.name, found)
                continue
            if nlp is None:  # not per document: a pipeline that cannot load stops the run
                nlp = load_nlp(options.max_mb)
            try:
                extraction = doc_to_extraction(parse(nlp, document.text), document)
                # through JSON, so a fresh result and a cached one are the same values
                result = json.loads(json.dumps(extraction.to_json(), ensure_ascii=False))
            except Exception as exc:
                failed(path, exc)
                continue
            log.debug("%s: extracted", path)
            _warn_damage(path, result)
            stats.extracted.append(path.name)
            if options.cache:
                options.cache.put(key, path.name, result)
            results.append(result)
            _write_json(out, path.name, result)
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
