"""Which store the app reads, from the environment (no Streamlit import: `ikg app` uses it too).

`IKG_STORE` (embedded | neo4j) when set, else Neo4j when `NEO4J_URI` is set, else the LadybugDB file
`IKG_DB` (default data/build/graph.lbdb). `IKG_GRAPH_DIR` is the folder holding build_report.json
(default: the folder of the LadybugDB file, or data/build for Neo4j).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from graph.stores.ladybug import DEFAULT_DB

ENV_STORE = "IKG_STORE"
ENV_DB = "IKG_DB"
ENV_GRAPH_DIR = "IKG_GRAPH_DIR"
KINDS = ("embedded", "neo4j")


@dataclass(frozen=True)
class Source:
    kind: str  # embedded | neo4j
    location: str  # LadybugDB file (absolute) or Neo4j URI
    graph_dir: str  # folder with build_report.json

    @property
    def description(self) -> str:
        if self.kind == "embedded":
            return f"embedded LadybugDB · {self.location}"
        return f"Neo4j · {self.location}"


def source(env: Mapping[str, str] | None = None) -> Source:
    """The store the app reads; raises ValueError on an unknown IKG_STORE."""
    env = os.environ if env is None else env
    kind = (env.get(ENV_STORE) or "").strip().lower()
    if not kind:
        kind = "neo4j" if env.get("NEO4J_URI") else "embedded"
    if kind not in KINDS:
        raise ValueError(f"{ENV_STORE}={kind!r}: embedded or neo4j")
    if kind == "embedded":
        location = str(Path(env.get(ENV_DB) or DEFAULT_DB).resolve())
        default_dir = str(Path(location).parent)
    else:
        location = env.get("NEO4J_URI") or "NEO4J_URI from .env"
        default_dir = str(Path("data/build").resolve())
    graph_dir = env.get(ENV_GRAPH_DIR)
    return Source(kind, location, str(Path(graph_dir).resolve()) if graph_dir else default_dir)
