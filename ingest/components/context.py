"""A read-only view of an annotated document for relation rules: mentions by sentence, scopes."""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass, field

from ingest.ontology import Ontology
from ingest.records import Mention
from ingest.state import DocState, Paragraph, Sentence

ACTOR_TYPES = {"Platform", "Lab", "ResearchInstitute", "University", "Park", "Incubator", "Enterprise"}
ORG_TYPES = {"University", "ResearchInstitute", "Enterprise", "Lab", "Platform", "GovAgency"}
# What may lie in a place: everything but places' own structures and the chain items.
LOCATABLE = ACTOR_TYPES | {"GovAgency", "Program", "Event", "Region", "InnovationSystem", "IndustryCluster"}


@dataclass(eq=False)
class DocContext:
    st: DocState
    ont: Ontology
    # each sentence's mentions, gathered once: every rule walks every sentence
    _by_sentence: dict[tuple[int, int], list[Mention]] = field(default_factory=dict, init=False, repr=False)

    @property
    def text(self) -> str:
        return self.st.text

    @functools.cached_property
    def mentions(self) -> list[Mention]:
        return sorted(self.st.mentions, key=lambda m: (m.start, m.end))

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

    @property
    def sentences(self) -> list[Sentence]:
        return self.st.sentences

    @property
    def paragraphs(self) -> list[Paragraph]:
        return self.st.paragraphs

    def within(self, start: int, end: int, types: set[str] | None = None) -> list[Mention]:
        ms, nested = self.mentions, self.nested
        i, n = bisect.bisect_left(self.starts, start), len(ms)
        out = []
        while i < n:
            m = ms[i]
            if m.start >= end:
                break
            if m.end <= end and (types is None or m.label in types) and id(m) not in nested:
                out.append(m)
            i += 1
        return out

    def sentence_of(self, m: Mention | int) -> Sentence | None:
        return self.st.sentence_at(m if isinstance(m, int) else m.start)

    def in_sentence(self, s: Sentence, types: set[str] | None = None) -> list[Mention]:
        key = (s.start, s.end)
        found = self._by_sentence.get(key)
        if found is None:
            found = self._by_sentence[key] = self.within(s.start, s.end)
        return list(found) if types is None else [m for m in found if m.label in types]

    def in_paragraph(self, p: Paragraph, types: set[str] | None = None) -> list[Mention]:
        return self.within(p.start, p.end, types)

    # -- the home region -------------------------------------------------------------------------
    @functools.cached_property
    def home(self) -> Mention | None:
        """The home region's mention (its first), or a mention made for it when the text only says
        我省/全省: the unwritten subject still needs an entity to stand for it."""
        h = self.st.home
        if h is None:
            return None
        for m in self.mentions:
            if m.label == "Region" and (m.props.get("place") == h.name or m.name in h.forms):
                return m
        return None

    def is_home(self, m: Mention) -> bool:
        h = self.st.home
        return h is not None and m.label == "Region" and (m.props.get("place") == h.name or m.name in h.forms)

    def in_home(self, m: Mention) -> bool:
        """A place inside the home region (a county of the home province, …): not a partner of it."""
        h = self.st.home
        code = m.props.get("adcode", "")
        if h is None or not code:
            return False
        if h.level == "province":
            return code[:2] == h.adcode[:2]
        if h.level == "city":
            return code[:4] == h.adcode[:4]
        return code == h.adcode

    # -- clusters and chains -------------------------------------------------------------------
    @functools.cached_property
    def clusters_by_section(self) -> dict[str, Mention]:
        out: dict[str, Mention] = {}
        for m in self.mentions:
            if m.label == "IndustryCluster" and m.source == "structure" and not m.aliases:
                out[m.props.get("section", "")] = m
        return out

    def cluster_of(self, path: list[str]) -> Mention | None:
        for title in reversed(path):
            if title in self.clusters_by_section:
                return self.clusters_by_section[title]
        return None

    def in_box(self, path: list[str]) -> bool:
        return any(t in self.box_titles for t in path)

    @functools.cached_property
    def box_titles(self) -> set[str]:
        return {s.title for s in self.st.sections if s.kind == "box"}

    @functools.cache  # noqa: B019 - one context per doc, discarded after use
    def paragraph_chain(self, p_index: int) -> Mention | None:
        """The chain a paragraph is about: "X产业技术创新链。…" or the one chain it names."""
        p = self.paragraphs[p_index]
        first_end = self.text.find("。", p.start, p.end)
        chains = self.in_paragraph(p, {"IndustryChain"})
        if first_end != -1:
            head = [c for c in chains if c.end <= first_end + 1]
            if head and head[0].start - p.start <= 2 and first_end - head[0].end <= 1:
                return head[0]
        named = [c for c in chains if c.source in ("names", "quoted")]
        if len({c.props.get("eid") or c.name for c in named}) == 1:
            return named[0]
        return None

    @functools.cache  # noqa: B019
    def section_chain(self, title: str) -> Mention | None:
        """The chain a section's heading names ("(三)碳纤维产业链")."""
        for sec in self.st.sections:
            if sec.title == title:
                found = self.within(sec.start, sec.end, {"IndustryChain"})
                return found[0] if found else None
        return None

    def chain_named_like(self, cluster: Mention) -> Mention | None:
        for m in self.mentions:
            if m.label == "IndustryChain" and m.name.startswith(cluster.name) and m.source == "names":
                return m
        return None
