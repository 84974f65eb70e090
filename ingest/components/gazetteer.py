"""Places: administrative divisions (cpca's NBS gazetteer), economic regions, development-zone
abbreviations (高区, 综保区 …) and abbreviations of national institutions (中科院 → 中国科学院).

The document's home city is the prefecture-level city it names most; district short forms of
that city (荣成, 文登 …) are then recognised too, and kept in ``doc._.ikg_meta`` so later
components can read a district prefix off a name (文登海洋生物医药产业园 lies in 文登区).
"""

from __future__ import annotations

import re
from collections import Counter

from spacy.language import Language
from spacy.tokens import Doc

from ingest.components.automata import automaton, leftmost_longest
from ingest.components.tokens import TokenIndex
from ingest.doc_ext import ensure_extensions
from ingest.ontology import DEFAULT_ONTOLOGY_DIR, Ontology, Place, load_ontology
from ingest.records import Mention
from ingest.text import HARD_PUNCT

ZONE_RE = re.compile(r"^[\u4e00-\u9fff]{1,3}(新区|区)$")
EXCLUDED_PLACES = {"中国"}


class Gazetteer:
    def __init__(self, ont: Ontology) -> None:
        self.ont = ont
        self.cities = [p for p in ont.places if p.level == "city"]
        city_forms: dict[str, object] = {}
        for p in self.cities:
            city_forms[p.name] = p
            if len(p.short) >= 2:
                city_forms[p.short] = p
        self.city_auto = automaton(city_forms)
        base: dict[str, object] = {}
        for p in ont.places:
            if p.level in ("province", "city"):
                base[p.name] = p
                if len(p.short) >= 2:
                    base.setdefault(p.short, p)
            # counties only in the home province (see __call__): elsewhere names such as 合作市
            # are ordinary words
        for name in ont.macro_regions:
            base[name] = name
        for name in EXCLUDED_PLACES:
            base.pop(name, None)
        self.base_forms = base
        self.inst_auto = automaton({k: v for k, v in ont.institutions.items()})

    def home_city(self, text: str) -> Place | None:
        counts: Counter[str] = Counter()
        by_code: dict[str, Place] = {}
        for _s, _e, p in leftmost_longest(text, self.city_auto):
            counts[p.adcode] += 1
            by_code[p.adcode] = p
        if not counts:
            return None
        code, n = counts.most_common(1)[0]
        return by_code[code] if n >= 3 else None

    def __call__(self, doc: Doc) -> Doc:
        ensure_extensions()
        text = doc.text
        toks = TokenIndex.from_doc(doc)
        meta = doc._.ikg_meta or {}
        home = self.home_city(text)
        forms = dict(self.base_forms)
        prefixes: set[str] = set()
        if home is not None:
            meta["home_city"] = home.name
            meta["home_short"] = home.short
            prefixes |= {home.name, home.short}
            province = home.parent_code
            for p in self.ont.places:
                if p.level == "county" and p.adcode[:2] == province[:2] and len(p.name) >= 3:
                    forms.setdefault(p.name, p)
                if p.level == "county" and p.parent_code == home.adcode:
                    forms[p.name] = p
                    prefixes.add(p.name)
                    if len(p.short) >= 2:
                        forms[p.short] = p
                        prefixes.add(p.short)
        mentions: list[Mention] = doc._.ikg_mentions or []
        place_names: set[str] = set()
        for s, e, v in leftmost_longest(text, automaton(forms)):
            if not (toks.is_start(s) or toks.is_end(e)) or e - s < 2:
                continue
            official = v.name if isinstance(v, Place) else str(v)
            surface = text[s:e]
            aliases = [official] if official != surface else []
            mentions.append(
                Mention(
                    s, e, surface, "Region", aliases=aliases, source="gazetteer", props={"place": official}
                )
            )
            place_names.add(surface)
        zones = self._zones(text, toks)
        for s, e in zones:
            prefixes.add(text[s:e])
            mentions.append(Mention(s, e, text[s:e], "Region", source="gazetteer", props={"zone": True}))
        for s, e, info in leftmost_longest(text, self.inst_auto):
            if toks.is_start(s) and (toks.is_end(e) or text[e : e + 1] in HARD_PUNCT | {"(", "所"}):
                q = re.match(r"\(([^()]{2,6})\)", text[e : e + 10])
                if q and q.group(1) in forms:  # a campus: 哈工大(威海) is its own institution
                    mentions.append(
                        Mention(s, e + q.end(), text[s : e + q.end()], info["type"], source="gazetteer")
                    )
                    continue
                mentions.append(
                    Mention(
                        s,
                        e,
                        text[s:e],
                        info["type"],
                        aliases=[info["name"]],
                        source="gazetteer",
                        props={"nested_ok": True},
                    )
                )
        meta["_place_names"] = sorted(place_names)  # every place named, also inside other names
        meta["_place_prefixes"] = sorted(prefixes, key=len, reverse=True)
        doc._.ikg_meta = meta
        doc._.ikg_mentions = mentions
        return doc

    def _zones(self, text: str, toks: TokenIndex) -> list[tuple[int, int]]:
        """Stand-alone development-zone abbreviations: 高区, 经区, 临港区, 南海新区 …"""
        ont = self.ont
        out = []
        for k, t in enumerate(toks.texts):
            if not t.endswith("区"):
                continue
            end = toks.ends[k]
            after = text[end : end + 2]
            nxt = toks.texts[k + 1] if k + 1 < len(toks) else ""
            if not (
                not nxt or nxt[0] in HARD_PUNCT or nxt in ont.boundary_words or after in ("管委", "重点")
            ):
                continue
            for n_prev in (0, 1, 2):
                j = k - n_prev
                if j < 0:
                    break
                s = toks.starts[j]
                cand = text[s:end]
                prev = toks.texts[j - 1] if j > 0 else ""
                if cand[0] in ont.glued_prepositions and len(cand) >= 3:
                    s, cand, prev = s + 1, cand[1:], cand[0]
                left_ok = not prev or prev[-1] in HARD_PUNCT or prev in ont.boundary_words
                if (
                    ZONE_RE.match(cand)
                    and left_ok
                    and cand not in ont.zone_stopwords
                    and not any(cand.endswith(w) for w in ont.zone_stopwords if len(w) >= 2)
                    and cand not in self.base_forms
                ):
                    out.append((s, end))
                    break
        return out


@Language.factory("ikg_gazetteer", default_config={"ontology_dir": str(DEFAULT_ONTOLOGY_DIR)})
def make_gazetteer(nlp: Language, name: str, ontology_dir: str) -> Gazetteer:
    return Gazetteer(load_ontology(ontology_dir))
