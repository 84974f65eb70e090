"""Extractions → Graph: validate each document, resolve entities across documents, attach provenance,
then check the whole graph against the schema.

`resolve_graph` and `validate_graph` are two stages of graph/pipeline.py; `build_graph` runs both. None
of them cares who produced the extraction dicts (the extractor, fixtures, gold files).
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.aliases import DEFAULT_ALIASES, load_aliases
from graph.curation import CurationReport
from graph.files import write_atomic
from graph.indicators import add_indicators
from graph.measures import add_measure_links
from graph.merging import fold_edges, mention_edge, oriented
from graph.model import DocumentInfo, Edge, Graph, node_link
from graph.places import add_containment
from graph.resolve import MergeRecord, resolve
from graph.schema import DOCUMENT, ENTITY_LABELS, REL_SPECS
from graph.validate import (
    DANGLING_ENDPOINT,
    DUPLICATE_DOCUMENT,
    PATTERN_NOT_ALLOWED,
    SELF_LOOP_AFTER_MERGE,
    UNKNOWN_LABEL,
    UNKNOWN_RELATION_TYPE,
    ValidationReport,
    document_id,
    validate_extraction,
)

log = logging.getLogger(__name__)


@dataclass
class BuildReport:
    documents: list[str] = field(default_factory=list)  # file names
    entities_by_type: dict[str, int] = field(default_factory=dict)
    relationships_by_type: dict[str, int] = field(default_factory=dict)
    validation: ValidationReport = field(default_factory=ValidationReport)
    merges: list[MergeRecord] = field(default_factory=list)
    indicators: dict[str, int] = field(default_factory=dict)
    measures: dict[str, int] = field(default_factory=dict)
    # Documents read from damaged text: file name → what was repaired (ingest.records.TextDamage).
    damaged: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Set by `ikg build`: file names extracted / taken from the cache, error lines of failed files.
    extraction: dict[str, list[str]] | None = None
    store: dict[str, Any] | None = None  # where the graph went and what the store holds
    curation: CurationReport | None = None  # the analyst's decisions applied (graph/curation.py)
    # Set by `ikg build`: what it was run on (paths, alias and curation files, cache), for `rebuild`.
    inputs: dict[str, Any] | None = None

    @property
    def pruned(self) -> dict[str, int]:
        return self.validation.counts()

    @property
    def merged(self) -> int:
        return sum(1 for m in self.merges if m.merged)

    def merges_by_reason(self) -> dict[str, int]:
        return dict(sorted(Counter(m.reason for m in self.merges).items()))

    def to_json(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "entities_by_type": self.entities_by_type,
            "relationships_by_type": self.relationships_by_type,
            "pruned": self.pruned,
            "pruned_items": [vars(p) for p in self.validation.pruned],
            "merged": self.merged,
            "merges_by_reason": self.merges_by_reason(),
            "indicators": self.indicators,
            "measures": self.measures,
            "damaged": self.damaged,
            **({"extraction": self.extraction} if self.extraction is not None else {}),
            **({"store": self.store} if self.store is not None else {}),
            **({"curation": self.curation.to_json()} if self.curation is not None else {}),
            **({"inputs": self.inputs} if self.inputs is not None else {}),
        }

    def summary_lines(self) -> list[str]:
        lines = [f"documents: {len(self.documents)}"]
        if self.extraction is not None:  # how each document was obtained, and the ones that failed
            done = self.extraction
            lines.append(f"  extracted: {len(done['extracted'])}")
            lines.append(f"  cached: {len(done['cached'])}")
            if done["failed"]:
                lines.append(f"  failed: {len(done['failed'])} (listed above)")
            if done.get("kept"):
                lines.append(f"  kept from their last good extraction: {len(done['kept'])}")
        if self.damaged:
            lines.append(f"  salvaged from damaged text: {len(self.damaged)}")
        lines.append(f"entities: {sum(self.entities_by_type.values())}")
        lines += [f"  {k}: {v}" for k, v in self.entities_by_type.items()]
        lines.append(f"relationships: {sum(self.relationships_by_type.values())}")
        lines += [f"  {k}: {v}" for k, v in self.relationships_by_type.items()]
        lines.append(f"pruned: {sum(self.pruned.values())}")
        lines += [f"  {k}: {v}" for k, v in self.pruned.items()]
        merged = Counter(m.reason for m in self.merges if m.merged)
        apart = Counter(m.reason for m in self.merges if not m.merged)
        lines.append(f"merged: {self.merged}")
        lines += [f"  {k}: {v}" for k, v in sorted(merged.items())]
        lines.append(f"kept apart: {sum(apart.values())}")
        lines += [f"  {k}: {v}" for k, v in sorted(apart.items())]
        if self.curation is not None:
            lines += self.curation.summary_lines()
        return lines


def load_extractions(folder: str | Path) -> list[dict[str, Any]]:
    """Every *.json in a folder (sorted by name), each one Extraction.to_json() of a document."""
    paths = sorted(Path(folder).glob("*.json"))
    if not paths:
        raise FileNotFoundError(f"no extraction *.json in {folder}")
    return [json.loads(p.read_text(encoding="utf-8")) for p in paths]


def build_graph(
    extractions: list[dict[str, Any]], aliases_path: str | Path | None = DEFAULT_ALIASES
) -> tuple[Graph, BuildReport]:
    """validate each extraction → resolve → Graph with provenance → the graph checked against the schema."""
    return validate_graph(*resolve_graph(extractions, aliases_path))


def resolve_graph(
    extractions: list[dict[str, Any]], aliases_path: str | Path | None = DEFAULT_ALIASES
) -> tuple[Graph, BuildReport]:
    """Each extraction validated (what does not fit the schema pruned, with reasons), entities
    resolved across documents, Document nodes, MENTIONED_IN provenance, merged evidence, places,
    indicators and measure links."""
    report = BuildReport()
    clean = _validated(extractions, report.validation)
    resolution = resolve(clean, load_aliases(aliases_path))
    graph = Graph(nodes=resolution.nodes)
    for ex in clean:
        graph.documents[ex["doc_id"]] = _document(ex)
    graph.edges = _mention_edges(resolution.mentions) + _relation_edges(
        clean, resolution.node_of, report.validation
    )
    add_containment(graph)
    report.indicators = add_indicators(graph, clean)
    report.measures = add_measure_links(graph, clean, resolution.node_of)
    report.merges = resolution.merges
    report.damaged = {ex["doc"]: ex["meta"]["damage"] for ex in clean if ex["meta"].get("damage")}
    return graph, report


def validate_graph(graph: Graph, report: BuildReport) -> tuple[Graph, BuildReport]:
    """The whole graph against the schema before it goes to a store: every node of a schema label,
    every relationship of a schema type between two nodes that exist, in a pattern its type allows,
    not a loop. What fails is pruned with its reason (a node takes its relationships along); the
    report gets the final counts. Both stores refuse what this lets through, so nothing fails later.
    """
    pruned = report.validation
    for node_id, node in list(graph.nodes.items()):
        if node.label not in ENTITY_LABELS:
            pruned.add("entity", UNKNOWN_LABEL, _first_doc(node.documents), node_id, node.label)
            del graph.nodes[node_id]
    kept = []
    for edge in graph.edges:
        reason = _edge_problem(graph, edge)
        if reason:
            item = f"{edge.src}-[{edge.type}]->{edge.dst}"
            pruned.add("relation", reason, _first_doc(edge.docs), item)
        else:
            kept.append(edge)
    graph.edges = kept
    report.documents = [d.name for d in graph.documents.values()]
    report.entities_by_type = dict(sorted(Counter(n.label for n in graph.nodes.values()).items()))
    report.relationships_by_type = graph.edge_counts()
    pruned.log_summary(log)
    return graph, report


def _edge_problem(graph: Graph, edge: Edge) -> str:
    spec = REL_SPECS.get(edge.type)
    if spec is None:
        return UNKNOWN_RELATION_TYPE
    src, dst = (_label(graph, n) for n in (edge.src, edge.dst))
    if not src or not dst:
        return DANGLING_ENDPOINT
    if edge.src == edge.dst:
        return SELF_LOOP_AFTER_MERGE
    if not spec.allows(src, dst):
        return PATTERN_NOT_ALLOWED
    return ""


def _label(graph: Graph, node_id: str) -> str:
    node = graph.nodes.get(node_id)
    if node is not None:
        return node.label
    return DOCUMENT if node_id in graph.documents else ""


def _first_doc(doc_ids: list[str]) -> str:
    return doc_ids[0] if doc_ids else ""


def _validated(extractions: list[dict[str, Any]], report: ValidationReport) -> list[dict[str, Any]]:
    clean: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    for ex in extractions:
        doc_id = document_id(ex)
        if doc_id and doc_id in seen:  # the same text under another file name: one document
            report.add(
                "document",
                DUPLICATE_DOCUMENT,
                str(ex.get("doc") or ""),
                doc_id,
                f"same text as {seen[doc_id]}",
            )
            continue
        result, pruned = validate_extraction(ex)
        report.extend(pruned)
        if result is not None:
            seen[result["doc_id"]] = result["doc"]
            clean.append(result)
    return clean


def _document(ex: dict[str, Any]) -> DocumentInfo:
    meta = ex["meta"]
    return DocumentInfo(
        id=ex["doc_id"],
        name=ex["doc"],
        title=ex["title"] or str(meta.get("title") or ""),
        issuer=str(meta.get("issuer") or ""),
        date=str(meta.get("date") or ""),
        source=str(meta.get("path") or meta.get("source") or ex["doc"]),
        content_hash=str(meta.get("content_hash") or ex["doc_id"]),
        fmt=str(meta.get("fmt") or Path(ex["doc"]).suffix.lstrip(".")),
    )


def _mention_edges(mentions: dict[str, dict[str, list[dict[str, Any]]]]) -> list[Edge]:
    edges = [
        mention_edge(node_id, doc_id, evidence)
        for node_id, per_doc in mentions.items()
        for doc_id, evidence in per_doc.items()
    ]
    return sorted(edges, key=lambda e: (e.src, e.dst))


def _relation_edges(
    clean: list[dict[str, Any]], node_of: dict[tuple[int, str], str], report: ValidationReport
) -> list[Edge]:
    """Relations on resolved ids; one edge per (src, type, dst, key props) with all its evidence."""
    edges = []
    for doc_index, ex in enumerate(clean):
        for r in ex["relations"]:
            src, dst = node_of[(doc_index, r["src"])], node_of[(doc_index, r["dst"])]
            if src == dst:
                report.add("relation", SELF_LOOP_AFTER_MERGE, ex["doc"], f"{src}-[{r['type']}]->{dst}")
                continue
            edges.append(oriented(Edge(src, dst, r["type"], dict(r["props"]), list(r["provenance"]))))
    return sorted(fold_edges(edges), key=lambda e: (e.type, e.src, e.dst, e.key))


def write_outputs(graph: Graph, report: BuildReport, out_dir: str | Path = "data/build") -> dict[str, Path]:
    """graph.json (node-link), build_report.json and merge_log.jsonl under out_dir.

    Each file is written beside its target and renamed over it: a failure leaves the old one whole.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "graph": out / "graph.json",
        "report": out / "build_report.json",
        "merge_log": out / "merge_log.jsonl",
    }
    merge_log = "".join(json.dumps(r.to_json(), ensure_ascii=False) + "\n" for r in report.merges)
    texts = {
        "graph": json.dumps(node_link(graph), ensure_ascii=False),
        "report": json.dumps(report.to_json(), ensure_ascii=False, indent=2),
        "merge_log": merge_log,
    }
    for key, path in paths.items():
        write_atomic(path, texts[key])
    return paths
