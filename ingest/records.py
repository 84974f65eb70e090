"""Typed records that flow between the stages: documents → sentences → mentions → extraction.

The JSON written by `ikg extract` is `Extraction.to_json()`: the gold annotation shape
(``doc``, ``entities``, ``relations``) plus provenance on every mention and relation.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

# The relation types the extractor states (graph/schema.py declares every type, with the ones the
# graph derives: INDICATOR_OF, TRACKS, AWARDS, CONCERNS).
RELATION_TYPES: tuple[str, ...] = (
    "MEMBER_OF",
    "LEADS",
    "PARTICIPATES_IN",
    "BASED_ON",
    "LOCATED_IN",
    "SUPPORTS",
    "PART_OF_CLUSTER",
    "HAS_LINK",
    "LACKS",
    "COOPERATES_WITH",
    "ORGANIZES",
    "RESPONSIBLE_FOR",
)


def content_hash(text: str) -> str:
    """Document id: sha256 of the stored (normalised) text, shortened for readability."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class TextDamage:
    """What was repaired to read a damaged document (all zero: nothing). Offsets count from 0."""

    encoding: str = ""
    bad_bytes: int = 0  # undecodable bytes, replaced by U+FFFD
    first_bad_byte: int | None = None
    cut_bytes: int = 0  # an incomplete last character, dropped
    controls: int = 0  # control characters (NUL, ...) removed
    first_control: int | None = None  # character offset in the decoded text

    def __bool__(self) -> bool:
        return bool(self.bad_bytes or self.cut_bytes or self.controls)

    def describe(self) -> str:
        """One line, e.g. 'damaged text salvaged (utf-8): 3 undecodable bytes replaced, the first at
        byte 120; 2 control characters removed, the first at character 40'."""
        parts = []
        if self.bad_bytes:
            bad = _count(self.bad_bytes, "undecodable byte")
            parts.append(f"{bad} replaced, the first at byte {self.first_bad_byte}")
        if self.controls:
            controls = _count(self.controls, "control character")
            parts.append(f"{controls} removed, the first at character {self.first_control}")
        if self.cut_bytes:
            parts.append(f"an incomplete last character ({_count(self.cut_bytes, 'byte')}) dropped")
        read_as = f" ({self.encoding})" if self.encoding else ""
        return f"damaged text salvaged{read_as}: " + "; ".join(parts)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


@dataclass
class Document:
    """A read document. ``text`` is the stored text every offset points into."""

    path: str
    name: str  # file name, e.g. 000_x.txt
    text: str
    doc_id: str = ""
    title: str = ""
    issuer: str = ""
    date: str = ""
    fmt: str = "txt"
    encoding: str = ""
    # offset_map[i] = offset in the raw decoded source of stored character i (may be empty
    # when the reader could not keep one, e.g. for text recovered from HTML/PDF layout).
    offset_map: list[int] = field(default_factory=list, repr=False)
    damage: TextDamage | None = None  # set when the text was read from a damaged file

    def __post_init__(self) -> None:
        if not self.doc_id:
            self.doc_id = content_hash(self.text)

    @property
    def stem(self) -> str:
        return self.name.rsplit(".", 1)[0]


@dataclass
class Evidence:
    """Where a mention or relation is stated: a verbatim span of the stored document text."""

    doc_id: str
    doc: str
    section: list[str]
    sentence_index: int
    sentence: str
    start: int  # character offsets into Document.text
    end: int
    text: str
    sentence_start: int = 0

    def window(self, width: int = 80) -> str:
        """A verbatim excerpt of at most ``width`` characters around the span."""
        a, b = self.start - self.sentence_start, self.end - self.sentence_start
        left = max(0, min(a, b - width + 10, a - 20))
        return self.sentence[left : left + width] if b - left <= width else self.text[:width]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Mention:
    """A typed span found by a pipeline component, before within-document resolution."""

    start: int
    end: int
    text: str  # surface text as it appears (doc.text[start:end])
    label: str
    name: str = ""  # normalised name (quotes dropped, half-width brackets); defaults to text
    aliases: list[str] = field(default_factory=list)  # extra surface forms (A(B), bare list items)
    source: str = ""  # component that produced it
    props: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.name:
            self.name = self.text


@dataclass
class Entity:
    id: str
    type: str
    name: str
    aliases: list[str] = field(default_factory=list)
    mentions: list[Evidence] = field(default_factory=list)
    props: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        first = self.mentions[0] if self.mentions else None
        out: dict[str, Any] = {
            "id": self.id,
            "type": self.type,
            "name": self.name,
            "aliases": sorted(set(self.aliases) - {self.name}),
            "evidence": first.window() if first else "",
            "mentions": [m.to_json() for m in self.mentions],
        }
        if self.props:
            out["props"] = self.props
        return out


@dataclass
class Relation:
    type: str
    src: str
    dst: str
    props: dict[str, Any] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        first = self.evidence[0] if self.evidence else None
        return {
            "type": self.type,
            "src": self.src,
            "dst": self.dst,
            "props": self.props,
            "evidence": first.window() if first else "",
            "provenance": [e.to_json() for e in self.evidence],
        }


@dataclass
class Extraction:
    doc: str
    doc_id: str
    title: str
    entities: list[Entity]
    relations: list[Relation]
    meta: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "doc": self.doc,
            "doc_id": self.doc_id,
            "title": self.title,
            "meta": self.meta,
            "entities": [e.to_json() for e in self.entities],
            "relations": [r.to_json() for r in self.relations],
        }
