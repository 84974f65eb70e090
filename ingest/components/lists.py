"""Enumerations: items typed by the noun that closes the list, and lists after a marker.

"迪尚、威高2家企业" → two Enterprises; "A、B等海洋院所" → ResearchInstitutes; "打造A、B、C等万亿级产业
集群" → three IndustryClusters; "金凤、嘉陵江、明月湖3个重庆实验室" → three Labs named with the shared
head (金凤实验室 …); "(责任单位:A、B)" → GovAgencies; "培育A、B产业链" → the chain head is shared by
every item. Also records "<region>重点依托A、B等" so that A and B carry their region.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from ingest.components.automata import WordAutomaton
from ingest.components.boundary import is_boundary_token, is_generic_modifier, scan_left, trim_leading_verbs
from ingest.numerals import AMOUNT_CHARS, to_int
from ingest.ontology import DEFAULT_ONTOLOGY_DIR, Ontology, load_ontology
from ingest.records import Mention
from ingest.state import DocState, state_of
from ingest.text import CN_DIGITS, clean_name, matching_open

CLAUSE_STOP = re.compile(r"[,，。;；:：!?！？()（）\n]")
MAX_ITEMS_SPAN = 160
SHARED_MODIFIER_MAX = 4  # 甲、乙实验室: longer items are phrases, not names sharing a head


class Enumerations:
    def __init__(self, ont: Ontology) -> None:
        self.ont = ont
        self.noun_auto = WordAutomaton(dict(ont.category_nouns))
        etc = "|".join(ont.list_etc)
        cls = "".join(ont.classifiers)
        levels = "|".join(ont.levels + ont.list_tail_modifiers)
        chosen = "|".join(ont.list_selection_verbs)
        # what stands between the last item and the category noun: 等 / 3个 / 等3个 / a verb of
        # selection (入选) / level words
        self.tail = re.compile(
            rf"(?:(?P<etc>{etc})(?:“[^”]{{1,6}}”)?)?"
            rf"(?:(?P<count>[0-9{CN_DIGITS}]+[{cls}]))?"
            rf"(?:(?P<chosen>{chosen}))?"
            rf"(?P<mod>(?:{levels})*)$"
        )
        self.splitter = re.compile("|".join(re.escape(s) for s in ont.list_separators))

    def __call__(self, doc: Doc) -> Doc:
        st = state_of(doc)
        text = st.text
        named = [m for m in st.mentions if m.source in ("names", "quoted", "gazetteer")]
        seen: set[tuple[int, int]] = set()
        new: list[Mention] = []
        # the longest noun ending at a position wins (特色产业链 over 产业链)
        best = self.noun_auto.longest_by_end(text)
        for s, noun, typ in sorted(best.values(), key=lambda h: (h[0], len(h[1]))):
            new.extend(self._typed_list(st, s, typ, noun, seen, named))
        new.extend(self._marker_lists(st, seen))
        new.extend(self._list_neighbours(st))
        new.extend(self._shared_chain_heads(st, seen))
        new.extend(self._shared_heads(st, seen))
        new.extend(self._shared_quoted_heads(st, seen))
        new.extend(self._shared_place_names(st))
        new.extend(self._award_winners(st))
        new.extend(self._role_lists(st, seen))
        st.mentions.extend(new)
        self._region_context(st)
        return doc

    # -- "A、B等N家企业" -------------------------------------------------------------------
    def _typed_list(self, st: DocState, noun_start: int, typ: str, noun: str, seen, named) -> list[Mention]:
        text = st.text
        window_start = max(0, noun_start - MAX_ITEMS_SPAN)
        before = text[window_start:noun_start]
        stop = max((x.end() for x in CLAUSE_STOP.finditer(before)), default=0)
        clause = before[stop:]
        tail = self.tail.search(clause)
        if tail is None:
            return []
        items_end = window_start + stop + tail.start()
        region_start = window_start + stop
        has_marker = bool(tail.group("etc") or tail.group("count") or tail.group("chosen"))
        all_quoted = text[items_end - 1 : items_end] == "”" and text[region_start:items_end].count("“") >= 2
        listed = bool(self.splitter.search(text[region_start:items_end]))
        if not (has_marker or all_quoted or (listed and typ in self.ont.list_types_without_marker)):
            return []
        if typ in self.ont.qualified_list_types and tail.group("etc") and tail.group("mod"):
            return []  # A、B等重点产业链: industries with key chains, not chains named as such
        spans = self._split_items(st, region_start, items_end)
        if not spans:
            return []
        if typ in self.ont.conjoined_item_types:
            spans = spans[:-1] + self._split_conjoined(st, *spans[-1])
        declared = to_int(tail.group("count")[:-1]) if tail.group("count") else None
        if declared is not None and declared > 1 and len(spans) < 2:
            return []  # "八大产业集群和十条产业链": one phrase before a count is no list of names
        shared = noun if noun in self.ont.head_type and typ in self.ont.shared_head_types else ""
        out = []
        for s, e in spans:
            if (s, e) in seen or any(m.start <= s and e <= m.end for m in named):
                continue
            if any(s < m.end and m.start < e and not (s <= m.start and m.end <= e) for m in st.mentions):
                continue  # crosses another name's boundary
            if self._has_clause_word(st, s, e):
                continue
            if self._is_kind(text[s:e]):
                continue  # 新增2个国家先进制造业集群、…产业集群: an item that is a kind names none
            seen.add((s, e))
            item = clean_name(text[s:e])
            name = item + shared if shared and not item.endswith(shared) else item
            aliases = []
            if not shared and typ in self.ont.canonical_heads:
                aliases = [item + noun, item + self.ont.canonical_heads[typ]]
            props = {"category": noun}
            if shared:
                props["shared_head"] = noun
            out.append(Mention(s, e, text[s:e], typ, name=name, aliases=aliases, source="lists", props=props))
        return out

    def _split_items(self, st: DocState, start: int, end: int) -> list[tuple[int, int]]:
        text, toks = st.text, st.tokens
        segment = text[start:end]
        bounds = [start]
        for m in self.splitter.finditer(segment):
            bounds.append(start + m.start())
            bounds.append(start + m.end())
        bounds.append(end)
        spans = []
        for i in range(0, len(bounds), 2):
            s, e = bounds[i], bounds[i + 1]
            if i == 0:
                last_tok = toks.at(max(s, e - 1))
                s = max(s, scan_left(self.ont, st, toks.starts[last_tok], "", floor=s))
            s, e = self._trim(text, s, e)
            if not self._valid_item(text[s:e]) or self._quantity(text, s, e):
                return []  # one part is not a name: this is not a list of names
            spans.append((s, e))
        return spans

    def _split_conjoined(self, st: DocState, s: int, e: int) -> list[tuple[int, int]]:
        """A、B南麓和C流域: the last item joins two names with a conjunction word of its own."""
        toks = st.tokens
        k = toks.at(s)
        while k < len(toks) and toks.ends[k] < e:
            t = toks.texts[k]
            if t in self.ont.inner_conjunctions and toks.starts[k] > s:
                left, right = (s, toks.starts[k]), (toks.ends[k], e)
                if all(self._valid_item(st.text[a:b]) for a, b in (left, right)):
                    return [left, right]
            k += 1
        return [(s, e)]

    def _has_clause_word(self, st: DocState, s: int, e: int) -> bool:
        ont, toks = self.ont, st.tokens
        k = toks.at(s)
        if trim_leading_verbs(ont, toks, s, e) != s:
            return True
        if toks.starts[k] == s and toks.ends[k] == e and toks.pos[k] in ont.boundary_pos:
            return True  # a single verb or adverb is no item
        while k < len(toks) and toks.starts[k] < e:
            t = toks.texts[k]
            if t in ont.adverbs or t in ont.function_words - ont.inner_conjunctions:
                return True
            if t in ont.verbs and toks.starts[k] > s:
                return True  # 宁德|入围|全球百强创新(集群): a verb inside makes a clause, not an item
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

    def _quantity(self, text: str, s: int, e: int) -> bool:
        """3500亿元 (cut to 亿元 after the digits), 百亿元: a number and its unit, not a name."""
        if s > 0 and text[s - 1].isdigit():
            return True
        return text[s:e].lstrip(AMOUNT_CHARS) in self.ont.quantity_units

    def _valid_item(self, item: str) -> bool:
        if not (2 <= len(item) <= 25) or item[-1] in "".join(self.ont.inner_conjunctions):
            return False
        if re.search(r"[,，。;；:：]", item) or any(w in item for w in self.ont.list_item_reject):
            return False
        if item in self.ont.boundary_words:
            return False
        return not is_generic_modifier(self.ont, item)

    def _is_kind(self, item: str) -> bool:
        """An item that ends with a head after generic words only (国家先进制造业集群) is a kind."""
        for head, _typ in self.ont.heads_longest_first:
            if item.endswith(head) and len(head) >= 2:
                return is_generic_modifier(self.ont, item[: -len(head)])
        return False

    def _head_type(self, item: str) -> str:
        """市产业技术研究院 in a 责任单位 list is still a research institute."""
        for head, typ in self.ont.heads_longest_first:
            if item.endswith(head) and len(head) >= 2 and typ != "GovAgency":
                return typ
        return ""

    # -- "A、B、C" where B was set aside as generic but A and C are names of its type ------------
    def _list_neighbours(self, st: DocState) -> list[Mention]:
        text = st.text
        out = []
        by_end = {m.end: m for m in st.mentions if m.source == "names"}
        by_start = {m.start: m for m in st.mentions if m.source == "names"}
        seps = self.ont.list_separators
        for s, e, typ in st.generic_candidates:
            left = by_end.get(s - 1) if text[s - 1 : s] in seps else None
            right = by_start.get(e + 1) if text[e : e + 1] in seps else None
            if any(lv in text[s:e] for lv in self.ont.levels):
                continue  # 国家级技术创新中心 stays a category beside a named centre
            if any(n is not None and n.label == typ for n in (left, right)):
                out.append(Mention(s, e, text[s:e], typ, source="lists", props={"category": "neighbours"}))
        return out

    # -- "(责任单位:A、B)" ------------------------------------------------------------------
    def _marker_lists(self, st: DocState, seen) -> list[Mention]:
        text = st.text
        out = []
        for marker, typ in self.ont.list_markers.items():
            for m in re.finditer(re.escape(marker) + r"[:：]", text):
                end_m = re.compile(r"[)）。\n;；]").search(text, m.end())
                end = end_m.start() if end_m else len(text)
                st.marker_regions.append((m.end(), end, marker))
                pos = m.end()
                for part in re.split(r"([、,，])", text[m.end() : end]):
                    if (
                        part
                        and part not in "、,，"
                        and 2 <= len(part.strip()) <= 20
                        and (pos, pos + len(part)) not in seen
                    ):
                        seen.add((pos, pos + len(part)))
                        props = {"category": marker}
                        typ_ = self._head_type(part) or typ
                        out.append(
                            Mention(
                                pos,
                                pos + len(part),
                                part,
                                typ_,
                                name=clean_name(part),
                                source="lists",
                                props=props,
                            )
                        )
                    pos += len(part)
        return out

    # -- "“五区”即A、B、C": a counted role spells out its holders, each a name by being counted --------
    def _role_lists(self, st: DocState, seen) -> list[Mention]:
        text = st.text
        opens = "|".join(re.escape(c) for c in self.ont.cue("member_roles_open"))
        out = []
        taken = {(m.start, m.end) for m in st.mentions}
        for m in re.finditer(rf"“[^“”]{{1,6}}”(?:{opens})", text):
            end_m = re.compile(r"[。\n;；,，]").search(text, m.end())
            end = end_m.start() if end_m else len(text)
            pos = m.end()
            for part in re.split(r"(、)", text[m.end() : end]):
                span = (pos, pos + len(part))
                pos += len(part)
                typ = self._head_type(part) if part != "、" else ""
                if typ and self._valid_item(part) and span not in seen and span not in taken:
                    seen.add(span)
                    out.append(
                        Mention(
                            *span,
                            part,
                            typ,
                            name=clean_name(part),
                            source="lists",
                            props={"category": "role"},
                        )
                    )
        return out

    # -- "培育航空航天、大飞机配套产业链" ---------------------------------------------------------
    def _shared_chain_heads(self, st: DocState, seen) -> list[Mention]:
        text = st.text
        out = []
        for m in list(st.mentions):
            if (
                m.label != "IndustryChain"
                or m.source != "names"
                or text[m.start - 1 : m.start] not in self.ont.list_separators
            ):
                continue
            window_start = max(0, m.start - MAX_ITEMS_SPAN)
            before = text[window_start : m.start - 1]
            stop = max((x.end() for x in CLAUSE_STOP.finditer(before)), default=0)
            for s, e in self._split_items(st, window_start + stop, m.start - 1):
                if (s, e) not in seen:
                    seen.add((s, e))
                    props = {"category": m.props.get("head", "")}
                    out.append(
                        Mention(
                            s,
                            e,
                            text[s:e],
                            "IndustryChain",
                            name=clean_name(text[s:e]),
                            source="lists",
                            props=props,
                        )
                    )
        return out

    # -- "甲、乙、丙实验室": short names sharing the head of the last one ------------------------------
    def _shared_heads(self, st: DocState, seen) -> list[Mention]:
        text = st.text
        out = []
        for m in list(st.mentions):
            head = m.props.get("head", "")
            modifier = m.text[: len(m.text) - len(head)] if head and m.text.endswith(head) else ""
            if (
                m.label not in self.ont.shared_head_types
                or m.text.endswith(tuple(self.ont.designation_heads))  # 甲、乙示范区 are designations
                or m.source != "names"
                or not 2 <= len(modifier) <= SHARED_MODIFIER_MAX
                or text[m.start - 1 : m.start] != "、"
            ):
                continue
            items = []
            end = m.start - 1
            while True:
                s = self._short_name_before(st, end)
                if s is None:
                    break
                item = text[s:end]
                if not self._valid_item(item) or item in self.ont.bare_generic or self._head_type(item):
                    break
                items.append((s, end))
                if text[s - 1 : s] != "、":
                    break
                end = s - 1
            # the list opens after a clause boundary or a verb: "支持甲、乙、丙实验室"
            if not items or (items and text[items[-1][0] - 1 : items[-1][0]] == "、"):
                continue
            for s, e in items:
                if (s, e) not in seen:
                    seen.add((s, e))
                    name = text[s:e] + head
                    out.append(
                        Mention(s, e, text[s:e], m.label, name=name, source="lists", props={"head": head})
                    )
        return out

    def _shared_quoted_heads(self, st: DocState, seen) -> list[Mention]:
        """“A”“B”“C”行动计划: each quoted item before the one the head follows is named with that head
        too (A行动计划, B行动计划)."""
        text = st.text
        out = []
        for m in list(st.mentions):
            head = m.props.get("head", "")
            if (
                not head
                or head in self.ont.weak_heads
                or not m.text.startswith("“")
                or m.text[-len(head) - 1 :] != "”" + head
            ):
                continue
            pos = m.start
            while True:
                if text[pos - 1 : pos] == "、":
                    pos -= 1
                if text[pos - 1 : pos] != "”":
                    break
                opened = matching_open(text, pos - 1, "“", "”", limit=16)
                inner = text[opened + 1 : pos - 1] if opened != -1 else ""
                if not re.fullmatch(r"[\u4e00-\u9fff0-9A-Za-z·]{2,12}", inner) or (opened, pos) in seen:
                    break
                seen.add((opened, pos))
                name = clean_name(inner + head)
                out.append(
                    Mention(
                        opened,
                        pos,
                        text[opened:pos],
                        m.label,
                        name=name,
                        source="lists",
                        props={"head": head},
                    )
                )
                pos = opened
        return out

    def _short_name_before(self, st: DocState, end: int) -> int | None:
        """Start of the whole words of at most SHARED_MODIFIER_MAX characters that end at ``end``,
        after a separator, punctuation or a verb; None when no such short name stands there."""
        toks = st.tokens
        k = toks.at(end - 1)
        if toks.ends[k] != end:
            return None
        start = end
        while k >= 0:
            t = toks.texts[k]
            if not re.fullmatch(r"[\u4e00-\u9fff]+", t) or end - toks.starts[k] > SHARED_MODIFIER_MAX:
                break
            if toks.pos[k] in self.ont.boundary_pos or is_boundary_token(self.ont, t):
                break
            start = toks.starts[k]
            k -= 1
        return start if end - start >= 2 else None

    # -- "福州、厦门全国海洋经济发展示范区": one name for each listed place ---------------------------
    def _shared_place_names(self, st: DocState) -> list[Mention]:
        text = st.text
        places = {m.start: m for m in st.mentions if m.label == "Region"}
        out = []
        spans = {(p.start, p.end) for p in places.values()}
        for m in list(st.mentions):
            if m.source != "names" or m.label not in self.ont.shared_place_types or (m.start, m.end) in spans:
                continue
            first = places.get(m.start)
            if first is None or not m.name.startswith(first.text):
                continue
            rest = m.name[len(first.text) :]
            pos = m.start
            while text[pos - 1 : pos] in self.ont.list_separators:
                prev = next((p for p in places.values() if p.end == pos - 1), None)
                if prev is None:
                    break
                props = {"shared_name": m.name, "nested_ok": True}
                out.append(
                    Mention(
                        prev.start,
                        prev.end,
                        prev.text,
                        m.label,
                        name=prev.text + rest,
                        source="lists",
                        props=props,
                    )
                )
                pos = prev.start
        return out

    # -- "宁德时代获“中国工业大奖”": who wins an award at the head of a clause is a firm -------------
    def _award_winners(self, st: DocState) -> list[Mention]:
        def _opens(m: Mention, s: int, e: int) -> bool:
            # a place that opens a firm's name (宁德|时代) is no clause of its own
            return m.label == "Region" and m.source == "gazetteer" and m.start == s and m.end < e

        ont, text, toks = self.ont, st.text, st.tokens
        wins = "|".join(ont.cue("award_wins"))
        prizes = "|".join(ont.cue("award_nouns"))
        pattern = re.compile(
            rf"(?:^|(?<=[,，。;；\n]))([\u4e00-\u9fff]{{2,6}}?)(?:{wins})[^,，。;；]{{0,24}}?(?:{prizes})"
        )
        home = set(st.home.forms + st.home.relative) if st.home else set()
        out = []
        for m in pattern.finditer(text):
            s, e = m.span(1)
            name = m.group(1)
            if (
                name in home
                or name in st.place_names
                or any(m2.start < e and s < m2.end and not _opens(m2, s, e) for m2 in st.mentions)
            ):
                continue
            k = toks.at(s)
            if not (toks.is_start(s) and toks.is_end(e)):
                continue
            words = [j for j in range(k, len(toks)) if toks.starts[j] < e]
            if any(
                toks.pos[j] in ont.short_form_reject_pos or toks.texts[j] in ont.boundary_words for j in words
            ):
                continue  # a clause (今年获…), not a name
            out.append(Mention(s, e, name, "Enterprise", source="lists", props={"category": "award"}))
        return out

    # -- "<region>重点依托A、B等" -------------------------------------------------------------
    def _region_context(self, st: DocState) -> None:
        text = st.text
        cue = re.compile("|".join(self.ont.cue("region_relies_on")))
        for r in [m for m in st.mentions if m.label == "Region"]:
            if not cue.match(text, r.end):
                continue
            clause_end = re.compile(r"[,，。;；:：\n]").search(text, r.end)  # brackets stay inside
            end = clause_end.start() if clause_end else len(text)
            for x in st.mentions:
                if r.end < x.start and x.end <= end and x.label != "Region":
                    x.props.setdefault("context_region", r.props.get("place") or r.name)


@Language.factory("ikg_lists", default_config={"ontology_dir": str(DEFAULT_ONTOLOGY_DIR)})
def make_lists(nlp: Language, name: str, ontology_dir: str) -> Enumerations:
    return Enumerations(load_ontology(ontology_dir))
