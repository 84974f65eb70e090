"""A read-only view of an annotated Doc for relation rules: mentions by sentence, scopes."""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass

from spacy.tokens import Doc

from ingest.doc_ext import Paragraph, Sentence, sentence_at
from ingest.records import Mention

ACTOR_TYPES = {"Platform", "Lab", "ResearchInstitute", "University", "Park", "Incubator", "Enterprise"}
ORG_TYPES = {"University", "ResearchInstitute", "Enterprise", "Lab", "Platform", "GovAgency"}


@dataclass(eq=False)
class DocContext:
    doc: Doc

    @functools.cached_property
    def text(self) -> str:
        return self.doc.text  # spaCy rebuilds Doc.text from the tokens on every access

    @functools.cached_property
    def mentions(self) -> list[Mention]:
        return sorted(self.doc._.ikg_mentions or [], key=lambda m: (m.start, m.end))

    @functools.cached_property
    def actors(self) -> list[Mention]:
        """Mentions that stand for themselves (not nested inside a longer name)."""
        return [m for m in self.mentions if id(m) not in self.nested]

    @functools.cached_property
    def starts(self) -> list[int]:
        return [m.start for m in self.mentions]

    @functools.cached_property
    def nested(self) -> set[int]:
        """Mentions inside another mention (中科院 in 中科院苏州…研究所): not actors of their own."""
        out = set()
        for i, m in enumerate(self.mentions):
            for n in self.mentions[max(0, i - 3) : i + 4]:
                if (
                    n is not m
                    and n.start <= m.start
                    and m.end <= n.end
                    and (n.end - n.start) > (m.end - m.start)
                ):
                    out.add(id(m))
        return out

    @functools.cached_property
    def sentences(self) -> list[Sentence]:
        return self.doc._.ikg_sentences or []

    @functools.cached_property
    def paragraphs(self) -> list[Paragraph]:
        return self.doc._.ikg_paragraphs or []

    @functools.cached_property
    def meta(self) -> dict:
        return self.doc._.ikg_meta or {}

    def within(self, start: int, end: int, types: set[str] | None = None) -> list[Mention]:
        i = bisect.bisect_left(self.starts, start)
        out = []
        while i < len(self.mentions) and self.mentions[i].start < end:
            m = self.mentions[i]
            if m.end <= end and (types is None or m.label in types) and id(m) not in self.nested:
                out.append(m)
            i += 1
        return out

    def sentence_of(self, m: Mention | int) -> Sentence | None:
        return sentence_at(self.doc, m if isinstance(m, int) else m.start)

    def in_sentence(self, s: Sentence, types: set[str] | None = None) -> list[Mention]:
        return self.within(s.start, s.end, types)

    def in_paragraph(self, p: Paragraph, types: set[str] | None = None) -> list[Mention]:
        return self.within(p.start, p.end, types)

    def paragraph_of(self, m: Mention | int) -> Paragraph | None:
        s = self.sentence_of(m)
        return self.paragraphs[s.paragraph] if s else None

    @functools.cached_property
    def clusters_by_section(self) -> dict[str, Mention]:
        out: dict[str, Mention] = {}
        for m in self.mentions:
            if m.label == "IndustryCluster" and m.source == "structure" and not m.aliases:
                out[m.props.get("section", "")] = m
        return out

    def cluster_of(self, path: list[str]) -> Mention | None:
        if len(path) >= 2:
            return self.clusters_by_section.get(path[1])
        return None

    def in_box(self, path: list[str]) -> bool:
        return len(path) >= 3 and path[2].startswith("专栏")

    @functools.cache  # noqa: B019 - one context per doc, discarded after use
    def paragraph_chain(self, p_index: int) -> Mention | None:
        """The chain a box paragraph is about: "X产业技术创新链。…" or the one chain it names."""
        p = self.paragraphs[p_index]
        first_end = self.text.find("。", p.start, p.end)
        chains = self.in_paragraph(p, {"IndustryChain"})
        if first_end != -1:
            head = [c for c in chains if c.end <= first_end + 1]
            if head and head[0].start - p.start <= 2 and first_end - head[0].end <= 1:
                return head[0]
        named = [c for c in chains if c.source == "names"]
        if len({c.props.get("eid") for c in named}) == 1:
            return named[0]
        return None

    def chain_named_like(self, cluster: Mention) -> Mention | None:
        for m in self.mentions:
            if m.label == "IndustryChain" and m.name.startswith(cluster.name) and m.source == "names":
                return m
        return None
