"""Enumerations: items typed by the noun that closes the list, and lists after a marker.

"迪尚、威高2家企业" → two Enterprises; "A、B等海洋院所" → ResearchInstitutes; "“A”“B”系列活动"
→ Events; "(责任单位:A、B)" → GovAgencies; "培育A、B产业链" → the chain head is shared by
every item. Also records "<region>重点依托A、B等" so that A and B carry their region.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from ingest.components.boundary import is_generic_modifier, scan_left, trim_leading_verbs
from ingest.components.tokens import TokenIndex
from ingest.doc_ext import ensure_extensions
from ingest.ontology import DEFAULT_ONTOLOGY_DIR, Ontology, load_ontology
from ingest.records import Mention
from ingest.text import CN_DIGITS, clean_name

TAIL_RE = re.compile(
    rf"(?:(等)(?:“[^”]{{1,6}}”)?)?(?:([0-9{CN_DIGITS}]+(?:家|个|处|所|大|条|项))[\u4e00-\u9fff]{{0,10}}?)?"
    r"((?:国家级|省级|市级|重点|优势|特色|新兴|专业化|高端|国内|重要)*)$"
)
CLAUSE_STOP = re.compile(r"[,，。;；:：!?！？()（）\n]")
ITEM_SPLIT = re.compile(r"、|”“|”、“")
MAX_ITEMS_SPAN = 160


class Enumerations:
    def __init__(self, ont: Ontology) -> None:
        self.ont = ont
        self.nouns = sorted(ont.category_nouns.items(), key=lambda kv: -len(kv[0]))
        self.noun_re = re.compile("|".join(re.escape(n) for n, _ in self.nouns))

    def __call__(self, doc: Doc) -> Doc:
        ensure_extensions()
        text = doc.text
        toks = TokenIndex.from_doc(doc)
        mentions: list[Mention] = doc._.ikg_mentions or []
        new: list[Mention] = []
        seen: set[tuple[int, int]] = set()
        self._named = [m for m in mentions if m.source in ("names", "quoted")]
        self._all = list(mentions)
        for m in self.noun_re.finditer(text):
            noun = m.group(0)
            typ = self.ont.category_nouns[noun]
            new.extend(self._typed_list(text, toks, m.start(), typ, noun, seen))
        new.extend(self._marker_lists(text, seen))
        meta = doc._.ikg_meta or {}
        meta["_marker_regions"] = self.marker_regions
        doc._.ikg_meta = meta
        new.extend(self._list_neighbours(text, mentions, doc._.ikg_meta or {}))
        new.extend(self._shared_chain_heads(text, toks, mentions, seen))
        mentions.extend(new)
        self._region_context(text, mentions)
        doc._.ikg_mentions = mentions
        return doc

    # -- "A、B等N家企业" -------------------------------------------------------------------
    def _typed_list(self, text, toks, noun_start, typ, noun, seen) -> list[Mention]:
        window_start = max(0, noun_start - MAX_ITEMS_SPAN)
        before = text[window_start:noun_start]
        stop = max((x.end() for x in CLAUSE_STOP.finditer(before)), default=0)
        clause = before[stop:]
        tail = TAIL_RE.search(clause)
        if tail is None:
            return []
        items_end = window_start + stop + tail.start()
        has_marker = bool(tail.group(1) or tail.group(2))
        region_start = window_start + stop
        all_quoted = text[items_end - 1 : items_end] == "”" and text[region_start:items_end].count("“") >= 2
        if not (has_marker or all_quoted):
            return []
        spans = self._split_items(text, toks, region_start, items_end)
        if not spans:
            return []
        out = []
        for s, e in spans:
            if (s, e) in seen or any(m.start <= s and e <= m.end for m in self._named):
                continue
            if any(s < m.end and m.start < e and not (s <= m.start and m.end <= e) for m in self._all):
                continue  # crosses another name's boundary
            if self._has_clause_word(toks, s, e):
                continue
            seen.add((s, e))
            out.append(
                Mention(
                    s, e, text[s:e], typ, name=clean_name(text[s:e]), source="lists", props={"category": noun}
                )
            )
        return out

    def _split_items(self, text, toks, start, end) -> list[tuple[int, int]]:
        segment = text[start:end]
        if not segment or ("、" not in segment and "”“" not in segment and len(segment) > 25):
            # a single item: it still needs its left boundary
            pass
        bounds = [start]
        for m in ITEM_SPLIT.finditer(segment):
            bounds.append(start + m.start())
            bounds.append(start + m.end())
        bounds.append(end)
        spans = []
        for i in range(0, len(bounds), 2):
            s, e = bounds[i], bounds[i + 1]
            if i == 0:
                last_tok = toks.at(max(s, e - 1))
                s = scan_left(self.ont, text, toks, toks.starts[last_tok], floor=s)
            s, e = self._trim(text, s, e)
            item = text[s:e]
            if not self._valid_item(item):
                return []  # one part is not a name: this is not a list of names
            spans.append((s, e))
        return spans

    def _has_clause_word(self, toks: TokenIndex, s: int, e: int) -> bool:
        ont = self.ont
        k = toks.at(s)
        if trim_leading_verbs(ont, toks, s, e) != s:
            return True
        if toks.starts[k] == s and toks.ends[k] == e and toks.pos[k] in ont.boundary_pos:
            return True  # a single verb or adverb is no item
        while k < len(toks) and toks.starts[k] < e:
            t = toks.texts[k]
            if t in ont.adverbs or t in ont.function_words - ont.inner_conjunctions:
                return True
            if any(c.isdigit() for c in t) or "—" in t:
                return True
            k += 1
        return False

    @staticmethod
    def _trim(text: str, s: int, e: int) -> tuple[int, int]:
        while s < e and text[s] in "“”\"' 、":
            s += 1
        while e > s and text[e - 1] in "“”\"' 、":
            e -= 1
        return s, e

    def _valid_item(self, item: str) -> bool:
        if not (2 <= len(item) <= 25):
            return False
        if re.search(r"[,，。;；:：等的不较]", item) or item in self.ont.boundary_words:
            return False
        return not is_generic_modifier(self.ont, item)

    def _head_type(self, item: str) -> str:
        """市产业技术研究院 in a 责任单位 list is still a research institute."""
        for head, typ in sorted(self.ont.head_type.items(), key=lambda kv: -len(kv[0])):
            if item.endswith(head) and len(head) >= 2 and typ != "GovAgency":
                return typ
        return ""

    # -- "A、B、C" where B was set aside as generic but A and C are names of its type ------------
    def _list_neighbours(self, text, mentions, meta) -> list[Mention]:
        out = []
        by_end = {m.end: m for m in mentions if m.source == "names"}
        by_start = {m.start: m for m in mentions if m.source == "names"}
        for s, e, typ in meta.get("_generic_candidates", []):
            left = by_end.get(s - 1) if text[s - 1 : s] in "、和及" else None
            right = by_start.get(e + 1) if text[e : e + 1] in "、和及" else None
            modifier = text[s:e]
            if any(lv in modifier for lv in self.ont.levels):
                continue  # 国家级技术创新中心 stays a category beside a named centre
            if any(n is not None and n.label == typ for n in (left, right)):
                out.append(Mention(s, e, text[s:e], typ, source="lists", props={"category": "neighbours"}))
        return out

    # -- "(责任单位:A、B)" ------------------------------------------------------------------
    def _marker_lists(self, text, seen) -> list[Mention]:
        out = []
        self.marker_regions = []
        for marker, typ in self.ont.list_markers.items():
            for m in re.finditer(re.escape(marker) + r"[:：]", text):
                end_m = re.compile(r"[)）。\n;；]").search(text, m.end())
                end = end_m.start() if end_m else len(text)
                self.marker_regions.append((m.end(), end, marker))
                pos = m.end()
                for part in re.split(r"([、,，])", text[m.end() : end]):
                    if (
                        part
                        and part not in "、,，"
                        and 2 <= len(part.strip()) <= 20
                        and (pos, pos + len(part)) not in seen
                    ):
                        seen.add((pos, pos + len(part)))
                        out.append(
                            Mention(
                                pos,
                                pos + len(part),
                                part,
                                self._head_type(part) or typ,
                                name=clean_name(part),
                                source="lists",
                                props={"category": marker},
                            )
                        )
                    pos += len(part)
        return out

    # -- "培育航空航天、大飞机配套产业链" ---------------------------------------------------------
    def _shared_chain_heads(self, text, toks, mentions, seen) -> list[Mention]:
        out = []
        for m in mentions:
            if m.label != "IndustryChain" or m.source != "names" or text[m.start - 1 : m.start] != "、":
                continue
            window_start = max(0, m.start - MAX_ITEMS_SPAN)
            before = text[window_start : m.start - 1]
            stop = max((x.end() for x in CLAUSE_STOP.finditer(before)), default=0)
            for s, e in self._split_items(text, toks, window_start + stop, m.start - 1):
                if (s, e) not in seen:
                    seen.add((s, e))
                    out.append(
                        Mention(
                            s,
                            e,
                            text[s:e],
                            "IndustryChain",
                            name=clean_name(text[s:e]),
                            source="lists",
                            props={"category": "产业链"},
                        )
                    )
        return out

    # -- "<region>重点依托A、B等" -------------------------------------------------------------
    def _region_context(self, text: str, mentions: list[Mention]) -> None:
        regions = [m for m in mentions if m.label == "Region"]
        for r in regions:
            m = re.match(r"(重点)?依托", text[r.end : r.end + 4])
            if not m:
                continue
            clause_end = re.compile(r"[,，。;；:：\n]").search(text, r.end)  # brackets stay inside
            end = clause_end.start() if clause_end else len(text)
            for x in mentions:
                if r.end < x.start and x.end <= end and x.label != "Region":
                    x.props.setdefault("context_region", r.props.get("place") or r.name)


@Language.factory("ikg_lists", default_config={"ontology_dir": str(DEFAULT_ONTOLOGY_DIR)})
def make_lists(nlp: Language, name: str, ontology_dir: str) -> Enumerations:
    return Enumerations(load_ontology(ontology_dir))
