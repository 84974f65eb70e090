"""Helpers for the app tests: the corpus graph, plus one hostile actor, in a temporary LadybugDB.

The corpus is extracted once per test session (`extractions`); each test module builds its own
copy of the graph into its own folder (`build_app_graph`) and points the app at it through the
environment (`app_env`), exactly as `ikg app --db` does.
"""

from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.build import BuildReport, build_graph, write_outputs
from graph.model import Edge, Graph, Node
from graph.pipeline import BuildOptions, BuildResult
from graph.stores.ladybug import LadybugStore

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"

# An actor whose name, alias and evidence are HTML: the app must show them as text, never run them.
XSS_NAME = "<img src=x onerror=alert(1)>"
XSS_ALIAS = "<script>alert(2)</script>"
XSS_ID = f"Enterprise:{XSS_NAME}"
XSS_SENTENCE = "测试<b>粗体</b>:" + XSS_NAME + "与合作伙伴开展合作。"


@functools.lru_cache(maxsize=1)
def extractions() -> tuple[dict[str, Any], ...]:
    from ingest.extract import extract_paths  # lazy: spaCy loads only when a test needs the corpus

    found, errors = extract_paths([str(RAW)], None, progress=False)
    assert not errors, errors
    return tuple(found)


# An invented city's plan (no name from the corpus): a chain whose links, gaps and one supported link are
# stated, and a chain named with nothing else (the "nothing known" state).
INVENTED_PLAN = ROOT / "tests" / "fixtures" / "docs" / "xichuan_plan.txt"
KNOWN_CHAIN = "褐藻精深加工产业链"
KNOWN_LINKS = ("藻种繁育", "褐藻养殖", "褐藻胶提取", "岩藻多糖制剂", "藻基肥料")
KNOWN_LACKS = ("藻种检测平台", "高纯岩藻多糖提纯设备")
SUPPORTED_LINK = ("藻基肥料", "汐川褐藻工程技术研究中心")
BLANK_CHAIN = "智能浮标产业链"
INVENTED_CLUSTER = "海洋生物制品产业集群"
INVENTED_CITY = "汐川市"


@functools.lru_cache(maxsize=1)
def invented_extractions() -> tuple[dict[str, Any], ...]:
    from ingest.extract import extract_paths

    found, errors = extract_paths([str(INVENTED_PLAN)], None, progress=False)
    assert not errors, errors
    return tuple(found)


@dataclass
class AppGraph:
    folder: Path
    db: Path
    graph: Graph
    report: BuildReport
    partner_id: str  # the actor the hostile one cooperates with

    @property
    def env(self) -> dict[str, str]:
        return {"IKG_STORE": "embedded", "IKG_DB": str(self.db), "IKG_GRAPH_DIR": str(self.folder)}


def hostile_evidence(graph: Graph) -> dict[str, Any]:
    """Evidence in the first document: XSS_NAME in XSS_SENTENCE, under a section title holding HTML."""
    doc_id = sorted(graph.documents)[0]
    start = XSS_SENTENCE.index(XSS_NAME)
    return {
        "doc_id": doc_id,
        "doc": graph.documents[doc_id].name,
        "section": ["<i>测试章节</i>"],
        "sentence_index": 0,
        "sentence": XSS_SENTENCE,
        "sentence_start": 0,
        "start": start,
        "end": start + len(XSS_NAME),
        "text": XSS_NAME,
    }


def add_hostile_actor(graph: Graph) -> str:
    """Add XSS_NAME as an Enterprise cooperating with a university, mentioned in the first document."""
    partner = sorted(n.id for n in graph.nodes.values() if n.label == "University")[0]
    evidence = hostile_evidence(graph)
    doc_id = evidence["doc_id"]
    graph.nodes[XSS_ID] = Node(XSS_ID, "Enterprise", XSS_NAME, aliases=[XSS_ALIAS], documents=[doc_id])
    src, dst = sorted([XSS_ID, partner])  # undirected: stored in id order
    graph.edges.append(Edge(src, dst, "COOPERATES_WITH", {}, [evidence]))
    graph.edges.append(Edge(XSS_ID, doc_id, "MENTIONED_IN", {"n_mentions": 1}, [evidence]))
    return partner


def build_app_graph(folder: Path, extra: Sequence[dict[str, Any]] = ()) -> AppGraph:
    """Corpus graph (+ the ``extra`` extractions) + hostile actor → folder/graph.lbdb, with
    build_report.json beside it."""
    graph, report = build_graph([*extractions(), *extra])
    partner = add_hostile_actor(graph)
    write_outputs(graph, report, folder)
    db = folder / "graph.lbdb"
    store = LadybugStore(db)
    try:
        store.load(graph)
    finally:
        store.close()
    return AppGraph(folder, db, graph, report, partner)


def curation_build(folder: Path, store: str = "embedded") -> tuple[BuildOptions, BuildResult]:
    """`ikg build` (the pipeline) of the invented plan into folder/build, on the store, with a temporary
    copy of data/curation.yaml as its curation file (folder/curation.yaml): what the app curates."""
    from graph.curation import CURATION_FILE
    from graph.pipeline import build

    docs = folder / "docs"
    docs.mkdir()
    shutil.copy(INVENTED_PLAN, docs / INVENTED_PLAN.name)
    shutil.copy(CURATION_FILE, folder / "curation.yaml")
    out = folder / "build"
    decisions = folder / "curation.yaml"
    options = BuildOptions(
        paths=[docs], store=store, db=out / "graph.lbdb", curation=decisions, out=out, progress=False
    )
    return options, build(options)


@contextmanager
def app_env(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for the duration (NEO4J_URI cleared unless given)."""
    keys = {*values, "NEO4J_URI"}
    saved = {k: os.environ.get(k) for k in keys}
    os.environ.pop("NEO4J_URI", None)
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
