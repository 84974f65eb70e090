"""Records the components attach to a spaCy ``Doc`` (via ``Doc._``) and their registration."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc

from ingest.records import Mention


@dataclass
class Section:
    level: int  # 1 = 一、  2 = (一)  3 = 1. / 专栏N
    title: str
    start: int  # span of the heading text
    end: int
    path: list[str]
    kind: str = "heading"  # heading | box


@dataclass
class Paragraph:
    index: int
    start: int
    end: int
    path: list[str]
    body_start: int  # after an inline heading such as "1.科技综合实力明显提升。"


@dataclass
class Sentence:
    index: int
    start: int
    end: int
    paragraph: int
    path: list[str]
    first_in_paragraph: bool


@dataclass
class RelationCandidate:
    type: str
    src: Mention
    dst: Mention
    sentence: int
    props: dict[str, Any] = field(default_factory=dict)
    rule: str = ""


EXTENSIONS: dict[str, Any] = {
    "ikg_sections": None,
    "ikg_paragraphs": None,
    "ikg_sentences": None,
    "ikg_mentions": None,
    "ikg_entities": None,
    "ikg_relations": None,
    "ikg_meta": None,
}


def ensure_extensions() -> None:
    for name, default in EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


def sentence_at(doc: Doc, offset: int) -> Sentence | None:
    """The sentence holding character ``offset`` (binary search over sorted sentences)."""
    sents: list[Sentence] = doc._.ikg_sentences or []
    lo, hi = 0, len(sents) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        s = sents[mid]
        if offset < s.start:
            hi = mid - 1
        elif offset >= s.end:
            lo = mid + 1
        else:
            return s
    return None
