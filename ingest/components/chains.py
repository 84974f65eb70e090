"""Clusters, chain links and what chains lack, wherever a document states them.

* Clusters: the sub-headings of a section about clusters ("…重点产业集群" → "(一)新一代信息技术");
  counted sets keep their declared size ("八大产业集群", "十条产业链" → ``state.structures``).
* Links (HAS_LINK items): dash sequences "“A—B—C”的全产业链条", positions "上游A、B，中游C，下游D",
  enumerations of segments "产业链(含A、B等环节)", "集A、B于一体的…产业链", "从A、B到C…产业链".
* Gaps (LACKS items): "缺少A、B", "A、B依赖进口", "A本地配套率低", "突破A、B等“卡脖子”技术".
Which chain a link or a gap belongs to is decided by the relation component (the chain its sentence,
paragraph or section is about). All words come from cues.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.language import Language
from spacy.tokens import Doc

from ingest.components.automata import WordAutomaton
from ingest.components.boundary import scan_left
from ingest.numerals import to_int
from ingest.ontology import DEFAULT_ONTOLOGY_DIR, Ontology, load_ontology
from ingest.records import Mention
from ingest.state import CountedStructure, DocState, state_of
from ingest.text import CN_DIGITS, alternation

CLAUSE = re.compile(r"[,，。;；:：()（）\n]")


class ChainFinder:
    def __init__(self, ont: Ontology) -> None:
        self.ont = ont
        c = ont.cues
        self.before = set(c["lacks_before"])
        self.cue_auto = WordAutomaton({w: w for w in c["lacks_before"] + c["lacks_after"]})
        self.openers = c["lacks_item_openers"]
        self.prefixes = c["lacks_item_prefixes"]
        self.tails = c["lacks_item_tails"]
        self.reject = c["lacks_item_reject"]
        self.reject_end = c["lacks_item_reject_end"]
        self.generic_items = set(c["generic_items"])
        self.split = re.compile(alternation(c["item_separators"]))
        dashes = "".join(re.escape(d) for d in c["link_dashes"])
        self.dash_list = re.compile(
            rf"“?([^“”,，。、;；\s{dashes}]{{1,12}}(?:[{dashes}][^“”,，。、;；\s{dashes}]{{1,12}}){{2,}})”?"
        )
        self.dash_split = re.compile(rf"[{dashes}]")
        # a dashed list lies inside one run of characters that are no punctuation or space
        self.dash_run = re.compile(r"[^“”,，。、;；\s]+")
        tails = alternation(c["link_list_tails"])
        self.chain_word = re.compile(tails)
        self.link_enum = re.compile(
            rf"(?P<items>[^,，。;；:：]+?)(?P<conn>{alternation(c['link_list_connectors'])})(?P<mod>[^,，。;；、]{{0,8}}?)"
            rf"(?P<tail>{tails})"
        )
        self.enclosure = re.compile(
            rf"(?:{alternation(c['link_enclosures'])})(?P<items>[^()（）。;；]{{2,80}}?)(?:{alternation(ont.list_etc)})?"
            rf"(?:{alternation(c['link_nouns'])})"
        )
        # the word 环节 after a segment's name (its start found like any name's)
        self.segment = re.compile(rf"(?<=[\u4e00-\u9fff])(?:{alternation(c['link_nouns'])})")
        self.position = re.compile(
            rf"(?P<pos>{alternation(c['link_positions'])})(?:{alternation(c['link_position_verbs'])})?"
        )
        self.counted = re.compile(
            rf"([0-9{CN_DIGITS}]+)({alternation(c['counted_classifiers'])})?({alternation(c['counted_qualities'])})?"
            rf"({alternation(tuple(ont.counted_kinds))})"
        )
        self.counted_kind = dict(ont.counted_kinds)

    def __call__(self, doc: Doc) -> Doc:
        st = state_of(doc)
        self._clusters_from_sections(st)
        st.structures.extend(self._counted(st.text))
        st.mentions.extend(self._lacks(st))
        st.mentions.extend(self._links(st))
        return doc

    # -- clusters -----------------------------------------------------------------------------
    def _clusters_from_sections(self, st: DocState) -> None:
        ont, text = self.ont, st.text
        cue = re.compile(alternation(ont.cue("cluster_section")))
        level: int | None = None
        current = None
        for sec in st.sections:
            if level is not None and sec.level <= level:
                level = None
            if level is None:
                if cue.search(sec.title) and sec.kind == "heading":
                    level, current = sec.level, None
                continue
            marker = next(
                (h.pattern.match(sec.title) for h in ont.structure.headings if h.pattern.match(sec.title)),
                None,
            )
            start = sec.start + (marker.end() if marker else 0)
            title = text[start : sec.end].rstrip("。. ").strip()
            start = text.find(title, start) if title else start
            if not title or len(title) > 16 or self._verbish(title):
                continue
            end = start + len(title)
            if sec.level == level + 1 and sec.kind != "box":
                current = Mention(
                    start, end, title, "IndustryCluster", source="structure", props={"section": sec.title}
                )
                st.mentions.append(current)
            elif sec.kind == "box" and current is not None:
                props = {"section": sec.title}
                st.mentions.append(
                    Mention(
                        start,
                        end,
                        title,
                        "IndustryCluster",
                        source="structure",
                        aliases=[current.name],
                        props=props,
                    )
                )

    def _verbish(self, title: str) -> bool:
        ont = self.ont
        return any(title.startswith(v) for v in ont.governing_verbs | ont.verbs if len(v) >= 2)

    def _counted(self, text: str) -> list[CountedStructure]:
        out = []
        seen = set()
        for m in self.counted.finditer(text):
            n = to_int(m.group(1))
            if n is None or n < 2 or m.group(0) in seen:
                continue
            if not (m.group(2) or m.group(3)):
                continue  # "10个产业链条" and "十条优势产业链" declare a number; "3产业链" does not
            seen.add(m.group(0))
            out.append(CountedStructure(m.group(0), n, self.counted_kind[m.group(4)], m.start(), m.end()))
        return out

    # -- LACKS ----------------------------------------------------------------------------------
    def _lacks(self, st: DocState) -> list[Mention]:
        text = st.text
        cues = self.cue_auto.leftmost_longest(text)
        out: list[Mention] = []
        for i, (cs, ce, cue) in enumerate(cues):
            if cue in self.before:
                m = CLAUSE.search(text, ce)
                end = m.start() if m else len(text)
                if i + 1 < len(cues) and cues[i + 1][0] < end:
                    end = cues[i + 1][0]
                region = (ce, end)
            else:
                left = max(
                    (x.end() for x in CLAUSE.finditer(text, max(0, cs - 80), cs)), default=max(0, cs - 80)
                )
                if i > 0 and cues[i - 1][1] > left:
                    left = cues[i - 1][1]
                region = (left, cs)
            for s, e in self._items(st, *region, cue_before=cue in self.before):
                props = {"role": "lacks", "cue": cue, "cue_start": cs}
                out.append(Mention(s, e, text[s:e], "ChainLink", source="links", props=props))
        return out

    def _items(
        self, st: DocState, start: int, end: int, *, cue_before: bool, links: bool = False
    ) -> list[tuple[int, int]]:
        text = st.text
        etc = self.ont.list_etc
        seg = text[start:end]
        if not cue_before:
            cut = max((seg.rfind(o) + len(o) for o in self.openers if seg.rfind(o) != -1), default=0)
            start += cut
            seg = text[start:end]
        spans = []
        pos = start
        for part in self.split.split(seg):
            s = pos
            pos += len(part)
            sep = self.split.match(text, pos)
            e = s + len(part)
            stop = min((part.index(w) for w in etc if w in part), default=-1)
            if stop != -1:
                e = s + stop
            s, e = self._strip(text, s, e)
            if self._valid(st, s, e, links=links):
                spans.append((s, e))
            if sep:
                pos = sep.end()
            if cue_before and stop != -1:
                break
        return spans

    def _strip(self, text: str, s: int, e: int) -> tuple[int, int]:
        changed = True
        while changed and s < e:
            changed = False
            while s < e and text[s] in "“”\"' ":
                s += 1
            while e > s and text[e - 1] in "“”\"' ":
                e -= 1
            for p in self.prefixes:
                if text.startswith(p, s) and e - s > len(p) + 1:
                    s += len(p)
                    changed = True
            for t in self.tails:
                if text[s:e].endswith(t) and e - s > len(t) + 1:
                    e -= len(t)
                    changed = True
        return s, e

    def _valid(self, st: DocState, s: int, e: int, *, links: bool = False) -> bool:
        item = st.text[s:e]
        if not (2 <= len(item) <= 12) or item in self.generic_items or item in self.prefixes:
            return False  # (下游, 末端: a position on the chain, not a thing it lacks or holds)
        if any(w in item for w in self.reject) or (not links and item.endswith(self.reject_end)):
            return False  # a segment may end as a process does (碳化); a missing thing may not
        # a clause verb as a word of its own (推进 in 推进器 is not one)
        toks = st.tokens
        k = toks.at(s)
        while k < len(toks) and toks.starts[k] < e:
            t = toks.texts[k]
            if len(t) >= 2 and (t in self.ont.verbs or t in self.ont.governing_verbs) and toks.ends[k] <= e:
                return False
            k += 1
        return True

    # -- HAS_LINK -------------------------------------------------------------------------------
    def _links(self, st: DocState) -> list[Mention]:
        text = st.text
        out: list[Mention] = []
        for m in self._dashed_lists(text):
            if not self.chain_word.search(text[m.end() : m.end() + 8]):
                continue
            pos = m.start(1)
            for k, part in enumerate(self.dash_split.split(m.group(1))):
                props = {"role": "link", "ord": k + 1, "anchor": m.end()}
                out.append(Mention(pos, pos + len(part), part, "ChainLink", source="links", props=props))
                pos += len(part) + 1
        for sent in st.sentences:
            s_text = text[sent.start : sent.end]
            if self.chain_word.search(s_text):  # the lazy list pattern is costly; it needs a chain word
                out.extend(self._enumerated(st, sent.start, s_text))
            out.extend(self._enclosed(st, sent.start, s_text))
            out.extend(self._positions(st, sent.start, s_text))
            out.extend(self._segments(st, sent.start, s_text))
        return out

    def _dashed_lists(self, text: str) -> Iterator[re.Match[str]]:
        """The dashed lists' matches, searched only in the runs holding two dashes or more (the
        pattern backtracks at every character, and most text has no dash)."""
        for run in self.dash_run.finditer(text):
            if len(self.dash_split.findall(run.group())) >= 2:
                yield from self.dash_list.finditer(text, max(0, run.start() - 1), run.end() + 1)

    def _segments(self, st: DocState, base: int, s_text: str) -> list[Mention]:
        """ "…服务分段制造环节", "支撑碳化环节和预浸料环节": a segment named by the word 环节."""
        text = st.text
        out = []
        for m in self.segment.finditer(s_text):
            e = base + m.start()
            s = scan_left(self.ont, st, e, "ChainLink", floor=base)
            cut = self.split.search(text, s, e)  # "碳化环节和预浸料环节": the last item only
            while cut:
                s = cut.end()
                cut = self.split.search(text, s, e)
            s, e = self._strip(text, s, e)
            if self._valid(st, s, e, links=True) and not self._enumeration_follows(s_text, m.end()):
                out.append(self._link(s, e, text, None, s))
        return out

    @staticmethod
    def _enumeration_follows(s_text: str, end: int) -> bool:
        return s_text[end : end + 1] in ")）"  # "(含A、B等环节)" is read as a list

    def _link(self, s: int, e: int, text: str, ord_: int | None, anchor: int) -> Mention:
        return Mention(
            s,
            e,
            text[s:e],
            "ChainLink",
            source="links",
            props={"role": "link", "ord": ord_, "anchor": anchor},
        )

    def _enumerated(self, st: DocState, base: int, s_text: str) -> list[Mention]:
        """ "集A、B于一体的…全产业链条", "从A、B到C一体化的…产业链"."""
        text, c = st.text, self.ont.cues
        out = []
        for m in self.link_enum.finditer(s_text):
            conn, tail = m.group("conn"), m.group("tail")
            if conn in self.ont.list_etc and tail in c["link_list_plain_tails"]:
                continue  # "A、B等产业链" lists chains, not links
            start = base + m.start("items")
            items_text = m.group("items")
            cut = max(
                (items_text.rfind(o) + len(o) for o in c["link_list_openers"] if items_text.rfind(o) != -1),
                default=0,
            )
            core = m.group("mod")
            for q in c["link_core_qualities"]:
                core = core.replace(q, "")
            parts = []
            pos = start + cut
            for part in re.split(rf"({alternation(c['link_item_separators'])})", items_text[cut:]):
                if part in c["link_item_separators"]:
                    pos += len(part)
                    continue
                s, e = pos, pos + len(part)
                pos = e
                if core and text.startswith(core, s) and e - s > len(core) + 1:
                    s += len(core)
                parts.append((s, e))
            if len(parts) < 2 or not all(1 <= e - s <= 10 for s, e in parts):
                continue
            if any(any(w in text[s:e] for w in c["link_item_reject"]) for s, e in parts):
                continue
            ordered = conn not in self.ont.list_etc
            anchor = base + m.end("tail")
            out.extend(
                self._link(s, e, text, k + 1 if ordered else None, anchor) for k, (s, e) in enumerate(parts)
            )
        return out

    def _enclosed(self, st: DocState, base: int, s_text: str) -> list[Mention]:
        """ "…产业链(含A、B、C等环节)", "涵盖A、B、C等环节"."""
        text = st.text
        out = []
        for m in self.enclosure.finditer(s_text):
            spans = self._items(
                st, base + m.start("items"), base + m.end("items"), cue_before=True, links=True
            )
            if len(spans) >= 2:
                out.extend(self._link(s, e, text, k + 1, base + m.end()) for k, (s, e) in enumerate(spans))
        return out

    def _positions(self, st: DocState, base: int, s_text: str) -> list[Mention]:
        """ "上游A、B，中游C，下游D": each position's items, in the order of the chain."""
        text, c = st.text, self.ont.cues
        hits = list(self.position.finditer(s_text))
        if len({h.group("pos") for h in hits}) < 2:
            return []  # one position alone ("产业链上游") lists no segments
        order = {p: i for i, p in enumerate(c["link_positions"])}
        out = []
        for i, h in enumerate(hits):
            end = hits[i + 1].start() if i + 1 < len(hits) else len(s_text)
            clause = CLAUSE.search(s_text, h.end())
            if clause and clause.start() < end and clause.group() not in ",，":
                end = clause.start()
            stop = re.search(r"[,，;；。]", s_text[h.end() : end])
            seg_end = h.end() + stop.start() if stop else end
            for s, e in self._items(st, base + h.end(), base + seg_end, cue_before=True, links=True):
                out.append(self._link(s, e, text, order.get(h.group("pos"), 0) + 1, base + h.start()))
        return out


@Language.factory("ikg_chains", default_config={"ontology_dir": str(DEFAULT_ONTOLOGY_DIR)})
def make_chains(nlp: Language, name: str, ontology_dir: str) -> ChainFinder:
    return ChainFinder(load_ontology(ontology_dir))
