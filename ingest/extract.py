"""Stage: Document → spaCy Doc → Extraction records (entities and relations with provenance)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from pathlib import Path

from spacy.tokens import Doc
from tqdm import tqdm

from ingest.doc_ext import RelationCandidate, sentence_at
from ingest.pipeline import build_nlp
from ingest.readers import ReadError, iter_paths, read_document
from ingest.records import Document, Entity, Evidence, Extraction, Relation

log = logging.getLogger(__name__)
UNDIRECTED = {"COOPERATES_WITH"}


def _evidence(doc: Doc, document: Document, start: int, end: int) -> Evidence:
    text = document.text  # the same string as doc.text, without spaCy rebuilding it per call
    s = sentence_at(doc, start)
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
    entities: dict[str, Entity] = {}
    for de in doc._.ikg_entities or []:
        ent = Entity(de.id, de.type, de.name, sorted(de.aliases), props=dict(de.props))
        ent.mentions = [_evidence(doc, document, m.start, m.end) for m in de.mentions]
        entities[de.id] = ent
    relations = _relations(doc, document, doc._.ikg_relations or [], entities)
    linked = {r.src for r in relations} | {r.dst for r in relations}
    # a chain link or missing item means nothing without its chain
    kept = [e for e in entities.values() if e.type != "ChainLink" or e.id in linked]
    # keys starting with "_" are working data of the components, not results
    meta = {k: v for k, v in (doc._.ikg_meta or {}).items() if not k.startswith("_")}
    return Extraction(
        document.name,
        document.doc_id,
        document.title,
        kept,
        relations,
        meta={**meta, "issuer": document.issuer, "date": document.date, "format": document.fmt},
    )


def _relations(
    doc: Doc, document: Document, cands: list[RelationCandidate], entities: dict[str, Entity]
) -> list[Relation]:
    merged: dict[tuple[str, str, str], Relation] = {}
    for c in cands:
        a, b = c.src.props.get("eid"), c.dst.props.get("eid")
        if not a or not b or a == b or a not in entities or b not in entities:
            continue
        key_a, key_b = (min(a, b), max(a, b)) if c.type in UNDIRECTED else (a, b)
        key = (c.type, key_a, key_b)
        start, end = min(c.src.start, c.dst.start), max(c.src.end, c.dst.end)
        s = sentence_at(doc, c.dst.start)
        if s is None or not (s.start <= start and end <= s.end):
            start, end = c.dst.start, c.dst.end
        ev = _evidence(doc, document, start, end)
        rel = merged.get(key)
        if rel is None:
            merged[key] = Relation(c.type, key_a, key_b, dict(c.props), [ev])
        elif all(e.start != ev.start for e in rel.evidence):
            rel.evidence.append(ev)
    return list(merged.values())


def extract_document(document: Document) -> Extraction:
    nlp = build_nlp()
    return doc_to_extraction(nlp(document.text), document)


def extract_paths(
    paths: Iterable[str | Path], out_dir: str | Path | None = None, *, progress: bool = True
) -> tuple[list[dict], list[str]]:
    """Extract every readable document under ``paths``; return (extraction dicts, error lines).

    A document that cannot be read or extracted is reported and skipped; the others go through.
    """
    files = iter_paths(list(paths))
    nlp = build_nlp()
    results: list[dict] = []
    errors: list[str] = []
    out = Path(out_dir) if out_dir else None
    if out:
        out.mkdir(parents=True, exist_ok=True)
    for path in tqdm(files, desc="extract", unit="doc", disable=not progress or len(files) < 2):
        try:
            document = read_document(path)
            extraction = doc_to_extraction(nlp(document.text), document)
        except ReadError as exc:
            errors.append(str(exc))
            log.error("%s", exc)
            continue
        except Exception as exc:  # one bad document must not stop the others
            errors.append(f"{path}: extraction failed: {exc}")
            log.exception("%s: extraction failed", path)
            continue
        data = extraction.to_json()
        results.append(data)
        if out:
            target = out / f"{document.stem}.json"
            tmp = target.with_suffix(".json.tmp")
            tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
            tmp.replace(target)  # never leave a half-written file behind
    return results, errors
