"""The build as stages with a typed record between each two:

    documents ─extract─▶ Extractions ─resolve─▶ ResolvedGraph ─curate─▶ ResolvedGraph ─validate─▶
        ValidatedGraph ─load─▶ Stored
                       └─write─▶ graph.json, reports

Each stage is a function a notebook can call on its own (`extract(["data/raw"])`, then `resolve(...)`
on its result, ...); `build` runs them all as `ikg build` does and times each one. `ikg build` only
parses its arguments into `BuildOptions` and calls `build`; `rebuild` runs the last build again
(its inputs are in its build report), which the app does after a curation decision.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.aliases import DEFAULT_ALIASES
from graph.build import BuildReport, load_extractions, resolve_graph, validate_graph, write_outputs
from graph.curation import CURATION_FILE, CurationError, Decision, apply_curation, load_decisions
from graph.files import locked
from graph.model import Graph
from graph.stores.base import Counts, open_store
from graph.stores.ladybug import DEFAULT_DB
from ingest.readers import DEFAULT_MAX_MB

log = logging.getLogger(__name__)

DEFAULT_OUT = Path("data/build")
STORES = ("embedded", "neo4j")


class BuildError(RuntimeError):
    """The build stopped before changing anything (the message says why)."""


# --- the records between the stages ---------------------------------------------------------------


@dataclass
class Extractions:
    """Documents → one extraction dict per document (`Extraction.to_json()`), in file order."""

    items: list[dict[str, Any]]
    errors: list[str] = field(default_factory=list)  # one line per failed document
    # File names extracted / cached / failed / kept (failed now, built from the last good
    # extraction); None when the extractions were read from JSON files.
    done: dict[str, list[str]] | None = None


@dataclass
class ResolvedGraph:
    """Extractions validated one by one and resolved across documents into one graph."""

    graph: Graph
    report: BuildReport


@dataclass
class ValidatedGraph:
    """The resolved graph checked as a whole against the schema: what a store accepts."""

    graph: Graph
    report: BuildReport


@dataclass
class Stored:
    """Where the graph went and what the store holds after loading it."""

    kind: str  # embedded | neo4j
    location: str
    counts: Counts
    storage_version: str = ""  # Ladybug's on-disk format changes between releases: which wrote it

    def to_json(self) -> dict[str, Any]:
        version = {"storage_version": self.storage_version} if self.storage_version else {}
        return {"kind": self.kind, "location": self.location, **version, **self.counts}


@dataclass
class BuildOptions:
    """Everything `ikg build` can be told (its options, one field each)."""

    paths: Sequence[str | Path] = ("data/raw",)
    store: str = "embedded"
    db: str | Path = DEFAULT_DB  # the LadybugDB file of the embedded store
    from_json: str | Path | None = None  # read extraction JSON files instead of extracting
    aliases: str | Path | None = DEFAULT_ALIASES
    curation: str | Path | None = CURATION_FILE  # the analyst's decisions (None: none applied)
    out: str | Path = DEFAULT_OUT
    cache: str | Path | None = None  # default: OUT/cache
    use_cache: bool = True  # False: extract everything again (the cache is refreshed)
    max_mb: float | None = DEFAULT_MAX_MB
    strict: bool = False  # any failed document: change nothing
    jobs: int = 1
    debug: bool = False
    progress: bool = True

    def inputs(self) -> dict[str, Any]:
        """What the build reads, as absolute paths (the build report keeps them for `rebuild`)."""

        def absolute(path: str | Path | None) -> str | None:
            return None if path is None else str(Path(path).resolve())

        return {
            "paths": [absolute(p) for p in self.paths],
            "from_json": absolute(self.from_json),
            "aliases": absolute(self.aliases),
            "curation": absolute(self.curation),
            "cache": absolute(self.cache or Path(self.out) / "cache"),
            "max_mb": self.max_mb,
            "strict": self.strict,
        }


@dataclass
class BuildResult:
    extractions: Extractions
    validated: ValidatedGraph
    stored: Stored
    outputs: dict[str, Path]
    seconds: dict[str, float]  # wall time per stage: extract, resolve, curate, validate, load, write

    @property
    def report(self) -> BuildReport:
        return self.validated.report


# --- the stages ---------------------------------------------------------------------------------------


def extract(
    paths: Sequence[str | Path],
    *,
    jobs: int = 1,
    cache: str | Path | None = None,
    use_cache: bool = True,
    max_mb: float | None = DEFAULT_MAX_MB,
    debug: bool = False,
    progress: bool = True,
) -> Extractions:
    """Documents → extractions. With a `cache` folder an unchanged document is not extracted again
    and a failing one keeps its last good extraction; `jobs` processes extract the others."""
    from ingest.cache import ExtractionCache, ExtractOptions
    from ingest.extract import extract_paths  # lazy: the extractor pulls in spaCy

    store = ExtractionCache(cache, read=use_cache) if cache is not None else None
    options = ExtractOptions(max_mb=max_mb, cache=store, debug=debug, jobs=jobs)
    items, errors = extract_paths(list(paths), out_dir=None, progress=progress, options=options)
    return Extractions(items, errors, vars(options.stats))


def read_extractions(folder: str | Path) -> Extractions:
    """Extraction JSON files (`ikg extract --out`) instead of documents."""
    return Extractions(load_extractions(folder))


def resolve(
    extractions: Extractions | list[dict[str, Any]], aliases: str | Path | None = DEFAULT_ALIASES
) -> ResolvedGraph:
    """Extractions → one graph: each extraction validated, entities resolved across documents (the
    alias file honoured), provenance, places, indicators and measure links attached."""
    items = extractions.items if isinstance(extractions, Extractions) else extractions
    graph, report = resolve_graph(items, aliases)
    if isinstance(extractions, Extractions) and extractions.done is not None:
        # "kept" (failed now, built from the last good extraction) only when it happened
        done = extractions.done
        report.extraction = {
            **{k: v for k, v in done.items() if k != "kept" or v},
            "failed": list(extractions.errors),
        }
    return ResolvedGraph(graph, report)


def curate(
    resolved: ResolvedGraph,
    curation: str | Path | Sequence[Decision] | None = CURATION_FILE,
    source: str | Path | None = None,
) -> ResolvedGraph:
    """The analyst's active decisions (a curation file, or decisions) applied to the resolved graph:
    merges, renames, new types, hidden entities (graph/curation.py). Before validation, so what a new
    type no longer allows is pruned with its reason, and before any store, so both get the same graph.
    The build report gets its `curation` section (`source`: the file named there when decisions are
    given); curation merges join the merge log."""
    if curation is None or isinstance(curation, str | Path):
        decisions = load_decisions(curation) if curation is not None else []
        source = curation
    else:
        decisions = list(curation)
    report = apply_curation(resolved.graph, decisions, str(source or ""))
    resolved.report.curation = report
    resolved.report.merges.extend(report.merges)
    return resolved


def validate(resolved: ResolvedGraph) -> ValidatedGraph:
    """The resolved graph against the schema; what does not fit is pruned with its reason."""
    return ValidatedGraph(*validate_graph(resolved.graph, resolved.report))


def load(validated: ValidatedGraph, store: str = "embedded", db: str | Path = DEFAULT_DB) -> Stored:
    """Replace the graph in the store: the embedded file is swapped only once fully loaded; Neo4j
    removes the previous build's leftovers only after a complete load (see graph/stores/)."""
    if store not in STORES:
        raise ValueError(f"unknown store {store!r}: {' or '.join(STORES)}")
    target = open_store(store, **({"path": db} if store == "embedded" else {}))
    try:
        target.load(validated.graph)
        counts = target.counts()
        storage_version = getattr(target, "storage_version", None)
        version = storage_version() if storage_version else ""
    finally:
        target.close()
    location = str(db) if store == "embedded" else "neo4j"
    stored = Stored(store, location, counts, version)
    validated.report.store = stored.to_json()
    return stored


def write(validated: ValidatedGraph, out: str | Path = DEFAULT_OUT) -> dict[str, Path]:
    """graph.json (node-link), build_report.json and merge_log.jsonl, each replaced whole."""
    return write_outputs(validated.graph, validated.report, out)


# --- all of them -------------------------------------------------------------------------------------


def build(options: BuildOptions) -> BuildResult:
    """Every stage in turn, as `ikg build` runs them; two builds into one output folder take turns.

    Raises BuildError, with nothing changed (store and outputs), when no document could be built,
    when the curation file cannot be used or, with `strict`, when any document failed. Otherwise a
    failed document is logged (one line) and keeps its last good extraction when the cache has one;
    the others are built. graph.json and the reports are written only after the store succeeded.
    """
    with locked(Path(options.out) / "build"):
        return _build(options)


def _build(options: BuildOptions) -> BuildResult:
    try:  # read first: a bad curation file stops the build before anything is done
        decisions = load_decisions(options.curation) if options.curation is not None else []
    except CurationError as exc:
        raise BuildError(f"{exc}: nothing changed") from exc
    seconds: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[stage] = now - clock
        clock = now

    if options.from_json:
        extractions = read_extractions(options.from_json)
    else:
        extractions = extract(
            options.paths,
            jobs=options.jobs,
            cache=options.cache or Path(options.out) / "cache",
            use_cache=options.use_cache,
            max_mb=options.max_mb,
            debug=options.debug,
            progress=options.progress,
        )
    lap("extract")
    for line in extractions.errors:  # one line per failed document: "<file>: <problem>"
        log.error("%s", line)
    if not extractions.items:
        raise BuildError("no documents to build from" + (": nothing changed" if extractions.errors else ""))
    if extractions.errors and options.strict:
        total = len(extractions.items) + len(extractions.errors)
        raise BuildError(f"{len(extractions.errors)} of {total} documents failed: nothing changed (--strict)")

    resolved = resolve(extractions, options.aliases)
    lap("resolve")
    curated = curate(resolved, decisions, source=options.curation)
    curated.report.inputs = options.inputs()
    lap("curate")
    validated = validate(curated)
    lap("validate")
    Path(options.out).mkdir(parents=True, exist_ok=True)  # fail here, not after the store has changed
    stored = load(validated, options.store, options.db)
    lap("load")
    outputs = write(validated, options.out)
    lap("write")
    log.info("build stages (s): %s", ", ".join(f"{k} {v:.2f}" for k, v in seconds.items()))
    return BuildResult(extractions, validated, stored, outputs, seconds)


def rebuild(
    graph_dir: str | Path = DEFAULT_OUT, store: str = "embedded", db: str | Path | None = None
) -> BuildResult:
    """The build that wrote `graph_dir` run again on the same inputs (its build report lists them),
    taking every unchanged document from the extraction cache: after a curation decision, only
    resolution onwards runs. `db` defaults to the embedded file the last build loaded."""
    path = Path(graph_dir) / "build_report.json"
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise BuildError(f"{path}: cannot be read ({reason}): run `ikg build` first") from exc
    inputs = report.get("inputs") if isinstance(report, dict) else None
    if not isinstance(inputs, dict):
        raise BuildError(f"{path}: no record of the last build's inputs: run `ikg build` first")
    last = report.get("store") or {}
    if db is None:
        db = last["location"] if last.get("kind") == "embedded" == store else DEFAULT_DB
    options = BuildOptions(
        paths=inputs["paths"],
        store=store,
        db=db,
        from_json=inputs["from_json"],
        aliases=inputs["aliases"],
        curation=inputs["curation"],
        out=graph_dir,
        cache=inputs["cache"],
        use_cache=True,
        max_mb=inputs["max_mb"],
        strict=inputs["strict"],
        progress=False,
    )
    return build(options)
