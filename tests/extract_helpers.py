"""Helpers shared by the extraction tests: run a text through the pipeline, look results up by name,
and find the shared evaluation folder (../shared beside the repository, as CI has it)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from ingest.extract import doc_to_extraction
from ingest.records import Document
from ingest.text import norm_name

REPO_ROOT = Path(__file__).resolve().parents[1]
RAW_DIR = REPO_ROOT / "data" / "raw"
SHARED_DIR = Path(__file__).resolve().parents[2] / "shared"


def under_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def require_shared(*parts: str) -> Path:
    """A path inside the shared folder; skip when it is missing, except under CI=true (fail)."""
    path = SHARED_DIR.joinpath(*parts)
    if not path.exists():
        reason = f"{path} not found (the shared evaluation folder belongs at ../shared beside the repo)"
        if under_ci():
            pytest.fail(f"{reason}; CI must provide it", pytrace=False)
        pytest.skip(reason)
    return path


@dataclass
class Result:
    """One text through the pipeline: the annotated Doc and the JSON-shaped extraction."""

    text: str
    doc: Doc
    data: dict

    @property
    def entities(self) -> list[dict]:
        return self.data["entities"]

    @property
    def relations(self) -> list[dict]:
        return self.data["relations"]

    def of_type(self, typ: str) -> list[dict]:
        return [e for e in self.entities if e["type"] == typ]

    def names(self, typ: str | None = None) -> set[str]:
        return {e["name"] for e in self.entities if typ is None or e["type"] == typ}

    def find(self, name: str, typ: str | None = None) -> list[dict]:
        """Entities called ``name`` (as name or alias, compared like the scorer does)."""
        key = norm_name(name)
        return [
            e
            for e in self.entities
            if (typ is None or e["type"] == typ) and key in {norm_name(n) for n in (e["name"], *e["aliases"])}
        ]

    def entity(self, name: str, typ: str | None = None) -> dict:
        found = self.find(name, typ)
        assert len(found) == 1, f"expected one entity {name!r} ({typ}), got {found}; all: {self.summary()}"
        return found[0]

    def rels(self, typ: str) -> set[tuple[str, str]]:
        """(src name, dst name) of the relations of one type."""
        by_id = {e["id"]: e["name"] for e in self.entities}
        return {(by_id[r["src"]], by_id[r["dst"]]) for r in self.relations if r["type"] == typ}

    def rel(self, typ: str, src: str, dst: str) -> dict:
        by_id = {e["id"]: e["name"] for e in self.entities}
        found = [
            r
            for r in self.relations
            if r["type"] == typ and by_id[r["src"]] == src and by_id[r["dst"]] == dst
        ]
        assert len(found) == 1, f"expected one {typ} {src} -> {dst}; have {sorted(self.rels(typ))}"
        return found[0]

    @property
    def state(self):
        """The pipeline's state of the document (sections, sentences, mentions …)."""
        from ingest.state import state_of

        return state_of(self.doc)

    def summary(self) -> list[tuple[str, str]]:
        return [(e["type"], e["name"]) for e in self.entities]


def run_text(nlp: Language, text: str, name: str = "x.txt") -> Result:
    document = Document(path=name, name=name, text=text)
    doc = nlp(text)
    return Result(text, doc, doc_to_extraction(doc, document).to_json())
