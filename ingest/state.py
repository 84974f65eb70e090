"""What the pipeline components know about one document, as typed records.

Each component reads the fields earlier components filled and fills its own; the whole state is one
object on the spaCy ``Doc`` (``doc._.ikg``), so what passes between components is declared here and
nowhere else. Offsets are character offsets into ``doc.text`` (the stored document text).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc

from ingest.records import Mention


@dataclass
class Section:
    level: int  # depth in the document's heading hierarchy, 1 = top
    title: str
    start: int  # span of the heading text (marker included)
    end: int
    path: list[str]
    kind: str = "heading"  # heading | box (专栏) | article (第X条)
    style: str = ""  # the numbering style: cn_comma (一、), cn_paren ((一)), arabic_dot (1.) …
    marker_end: int = -1  # where the numbering marker ends ((三)|大力推进…): no name spans it


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
class Tokens:
    """The segmenter's words with a part-of-speech flag each (from the dictionary, "" if unknown)."""

    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    pos: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.starts)

    def at(self, offset: int) -> int:
        """Index of the token covering character ``offset`` (or the last one before it)."""
        return max(bisect.bisect_right(self.starts, offset) - 1, 0)

    def is_end(self, offset: int) -> bool:
        i = bisect.bisect_left(self.ends, offset)
        return i < len(self.ends) and self.ends[i] == offset

    def is_start(self, offset: int) -> bool:
        i = bisect.bisect_left(self.starts, offset)
        return i < len(self.starts) and self.starts[i] == offset

    def move_boundary(self, k: int, offset: int, pos: dict[str, str]) -> None:
        """Move the boundary between tokens k-1 and k to ``offset`` (inside token k): 打|造成|渝 → 打造|成渝's
        成|渝. ``pos`` gives the flags of the two reshaped words."""
        text_prev, text_k = self.texts[k - 1], self.texts[k]
        cut = offset - self.starts[k]
        self.texts[k - 1], self.texts[k] = text_prev + text_k[:cut], text_k[cut:]
        self.ends[k - 1] = self.starts[k] = offset
        self.pos[k - 1], self.pos[k] = pos.get(self.texts[k - 1], ""), pos.get(self.texts[k], "")


@dataclass
class Home:
    """The region a document speaks for: the unwritten subject of its sentences."""

    name: str  # official name, e.g. 浙江省
    short: str  # 浙江
    level: str  # province | city | county
    adcode: str
    forms: list[str] = field(default_factory=list)  # every form that names it (浙江省, 浙江, 浙, 全省 …)
    relative: list[str] = field(default_factory=list)  # 本省, 我省, 全省, 省 (as a name prefix)
    abbreviations: list[str] = field(default_factory=list)  # 浙 (inside words only: 浙BA, 川渝)


@dataclass
class RelationCandidate:
    type: str
    src: Mention
    dst: Mention
    sentence: int
    props: dict[str, Any] = field(default_factory=dict)
    rule: str = ""
    # the sentence that names both ends: its span is the evidence (defaults to the later end's)
    span: tuple[int, int] | None = None


@dataclass
class DocEntity:
    id: str
    type: str
    name: str
    aliases: set[str] = field(default_factory=set)
    mentions: list[Mention] = field(default_factory=list)
    props: dict[str, Any] = field(default_factory=dict)


@dataclass
class CountedStructure:
    """ "八大产业集群", "十条产业链": a counted set with its declared size."""

    name: str
    declared: int
    kind: str  # the schema label of its members
    start: int
    end: int


@dataclass
class DocState:
    text: str
    title: str = ""
    sections: list[Section] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    tokens: Tokens = field(default_factory=Tokens)
    home: Home | None = None
    # every place named, also inside other names; place forms usable as a name prefix
    place_names: set[str] = field(default_factory=set)
    place_prefixes: list[str] = field(default_factory=list)
    # where each heading's numbering marker ends, sorted: names start after them
    marker_ends: list[int] = field(default_factory=list)
    # ends of body lines cut mid-sentence (a truncated copy): a name touching one may lack its tail
    cut_ends: list[int] = field(default_factory=list)
    # spans after a list marker such as 责任单位: (start, end, marker)
    marker_regions: list[tuple[int, int, str]] = field(default_factory=list)
    # candidates set aside as categories (国家级技术创新中心): (start, end, type)
    generic_candidates: list[tuple[int, int, str]] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    entities: list[DocEntity] = field(default_factory=list)
    relations: list[RelationCandidate] = field(default_factory=list)
    structures: list[CountedStructure] = field(default_factory=list)
    indicators: list[dict[str, Any]] = field(default_factory=list)
    _sentence_starts: list[int] = field(default_factory=list, repr=False)

    def floor(self, offset: int) -> int:
        """The last heading marker's end at or before ``offset`` (0 if none): a name's left limit."""
        i = bisect.bisect_right(self.marker_ends, offset) - 1
        return self.marker_ends[i] if i >= 0 else 0

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence holding character ``offset`` (binary search over sorted sentences)."""
        sents = self.sentences
        if len(self._sentence_starts) != len(sents):
            self._sentence_starts = [s.start for s in sents]
        i = bisect.bisect_right(self._sentence_starts, offset) - 1
        if i >= 0 and sents[i].start <= offset < sents[i].end:
            return sents[i]
        return None


# Doc.user_data key under which the tokenizer keeps the text as given
TEXT_KEY = "ikg_text"


def ensure_extension() -> None:
    if not Doc.has_extension("ikg"):
        Doc.set_extension("ikg", default=None)


def state_of(doc: Doc) -> DocState:
    """The document's state, created on first use (the first component of the pipeline)."""
    ensure_extension()
    st = doc._.ikg
    if st is None:
        # the tokenizer keeps the text as given: spaCy would rebuild it from the tokens
        st = DocState(doc.user_data.get(TEXT_KEY) or doc.text)
        doc._.ikg = st
    return st
