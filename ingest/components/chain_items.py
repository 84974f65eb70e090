"""Chain links and missing items, as ChainLink mentions.

* LACKS items: "缺少A、B等…企业", "A、B及C等核心设备完全依赖进口", "A本地配套率低", "突破A、B等“卡脖子”技术".
* HAS_LINK items: dash segments "“A—B—C”的全产业链条" and enumerations "集A、B于一体的…全产业链条",
  "从A、B到C一体化的…产业链", "构建A、B等全产业链条" (ordered in text order).
Which chain they belong to is decided by the relation component from the section structure.
"""

from __future__ import annotations

import re

import ahocorasick
import jieba
from spacy.language import Language
from spacy.tokens import Doc

from ingest.components.automata import leftmost_longest
from ingest.doc_ext import ensure_extensions
from ingest.ontology import DEFAULT_ONTOLOGY_DIR, Ontology, load_ontology
from ingest.records import Mention

CLAUSE = re.compile(r"[,，。;；:：()（）\n]")
SPLIT = re.compile(r"、|以及|及|和|到")
DASH_LIST = re.compile(r"“?([^“”,，。、;；\s—]{1,12}(?:—[^“”,，。、;；\s—]{1,12}){2,})”?")
LINK_ENUM = re.compile(
    r"(?P<items>[^,，。;；:：]+?)(?P<conn>等|于一体的|于一体|一体化的|一体的)(?P<mod>[^,，。;；、]{0,8}?)"
    r"(?P<tail>全产业链条|全产业链|产业链条|产业链)"
)
REJECT_END = (
    "低",
    "弱",
    "小",
    "短",
    "少",
    "差",
    "难",
    "慢",
    "化",
    "能力",
    "水平",
    "优势",
    "品牌",
    "问题",
    "体系",
    "机制",
    "环境",
    "效益",
    "规模",
    "程度",
    "环节问题",
)
GENERIC_ITEMS = {"产业链", "链条", "产业", "技术", "材料", "产品", "设备", "装备", "企业", "原材料", "零部件"}
TRAILING_ADVERBS = ("主要", "完全", "本地", "仍", "均", "都", "还", "尚")


class ChainItems:
    def __init__(self, ont: Ontology) -> None:
        self.ont = ont
        cues = ont.cues
        self.before = set(cues["lacks_before"])
        auto = ahocorasick.Automaton()
        for w in cues["lacks_before"] + cues["lacks_after"]:
            auto.add_word(w, (w, w))
        auto.make_automaton()
        self.cue_auto = auto
        self.openers = sorted(cues["lacks_item_openers"], key=len, reverse=True)
        self.prefixes = sorted(cues["lacks_item_prefixes"], key=len, reverse=True)
        self.tails = sorted(cues["lacks_item_tails"], key=len, reverse=True)

    def __call__(self, doc: Doc) -> Doc:
        ensure_extensions()
        text = doc.text
        mentions: list[Mention] = doc._.ikg_mentions or []
        mentions.extend(self._lacks(text))
        mentions.extend(self._links(text))
        doc._.ikg_mentions = mentions
        return doc

    # -- LACKS ------------------------------------------------------------------------------
    def _lacks(self, text: str) -> list[Mention]:
        cues = leftmost_longest(text, self.cue_auto)
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
            for s, e in self._items(text, *region, cue_before=cue in self.before):
                out.append(
                    Mention(
                        s,
                        e,
                        text[s:e],
                        "ChainLink",
                        source="links",
                        props={"role": "lacks", "cue": cue, "cue_start": cs},
                    )
                )
        return out

    def _items(self, text: str, start: int, end: int, *, cue_before: bool) -> list[tuple[int, int]]:
        seg = text[start:end]
        if not cue_before:
            cut = max((seg.rfind(o) + len(o) for o in self.openers if seg.rfind(o) != -1), default=0)
            start += cut
            seg = text[start:end]
        spans = []
        pos = start
        for part in SPLIT.split(seg):
            s = pos
            pos += len(part)
            # the separator's length
            sep = SPLIT.match(text, pos)
            e = s + len(part)
            if "等" in part:
                e = s + part.index("等")
            s, e = self._strip(text, s, e)
            if self._valid(text[s:e]):
                spans.append((s, e))
            if sep:
                pos = sep.end()
            if cue_before and "等" in part:
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
            for a in TRAILING_ADVERBS:
                if text[s:e].endswith(a) and e - s > len(a) + 1:
                    e -= len(a)
                    changed = True
        return s, e

    def _valid(self, item: str) -> bool:
        if not (2 <= len(item) <= 12) or item in GENERIC_ITEMS:
            return False
        if any(w in item for w in ("不", "的", "产业链", "链条", "一批", "各类")):
            return False
        if item.endswith(REJECT_END):
            return False
        # a clause verb as a word of its own (推进 in 推进器 is not one)
        return not any(w in self.ont.verbs for w in jieba.lcut(item) if len(w) >= 2)

    # -- HAS_LINK ---------------------------------------------------------------------------
    def _links(self, text: str) -> list[Mention]:
        out: list[Mention] = []
        for m in DASH_LIST.finditer(text):
            after = text[m.end() : m.end() + 8]
            if "产业链" not in after:
                continue
            pos = m.start(1)
            for k, part in enumerate(m.group(1).split("—")):
                out.append(
                    Mention(
                        pos,
                        pos + len(part),
                        part,
                        "ChainLink",
                        source="links",
                        props={"role": "link", "ord": k + 1, "anchor": m.end()},
                    )
                )
                pos += len(part) + 1
        for sent in re.finditer(r"[^。;；\n]+", text):
            for m in LINK_ENUM.finditer(sent.group(0)):
                conn, tail = m.group("conn"), m.group("tail")
                if conn == "等" and tail == "产业链":
                    continue
                base = sent.start() + m.start("items")
                items_text = m.group("items")
                # the list starts after the last clause opener (涵盖/集/构建/从 …)
                cut = max(
                    (
                        items_text.rfind(o) + len(o)
                        for o in self.ont.cues["link_list_openers"]
                        if items_text.rfind(o) != -1
                    ),
                    default=0,
                )
                core = m.group("mod").replace("特色", "").replace("蓝色", "")
                parts = []
                pos = base + cut
                for part in re.split(r"(、|到)", items_text[cut:]):
                    if part in ("、", "到"):
                        pos += len(part)
                        continue
                    s, e = pos, pos + len(part)
                    pos = e
                    if core and text.startswith(core, s) and e - s > len(core) + 1:
                        s += len(core)
                    parts.append((s, e))
                if len(parts) < 2 or not all(1 <= e - s <= 10 for s, e in parts):
                    continue
                if any(re.search(r"[的是为]", text[s:e]) for s, e in parts):
                    continue
                ordered = conn != "等"
                anchor = sent.start() + m.end("tail")
                for k, (s, e) in enumerate(parts):
                    out.append(
                        Mention(
                            s,
                            e,
                            text[s:e],
                            "ChainLink",
                            source="links",
                            props={"role": "link", "ord": k + 1 if ordered else None, "anchor": anchor},
                        )
                    )
        return out


@Language.factory("ikg_chain_items", default_config={"ontology_dir": str(DEFAULT_ONTOLOGY_DIR)})
def make_chain_items(nlp: Language, name: str, ontology_dir: str) -> ChainItems:
    return ChainItems(load_ontology(ontology_dir))
