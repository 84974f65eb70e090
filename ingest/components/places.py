"""Places: administrative divisions (the NBS division codes), economic and world regions,
development-zone abbreviations (高区, 综保区 …), abbreviations of national institutions (中科院), and
the document's home region.

The home region is the province, city or county the document speaks for: the first one named in
its first lines (title, issuer, the meeting a report was given at), else the one it names most.
Its counties and districts are recognised by their short forms too (荣成, 文登); elsewhere only full
names are, since many short forms are ordinary words (合作, 江山).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from ingest.components.automata import WordAutomaton
from ingest.components.tokens import word_freq, word_tags
from ingest.ontology import DEFAULT_ONTOLOGY_DIR, Ontology, Place, load_ontology
from ingest.records import Mention
from ingest.state import DocState, Home, Tokens, state_of
from ingest.text import HARD_PUNCT


@dataclass(frozen=True)
class PlaceForm:
    """One way of writing a place: the place it names (or a macro region's name) and its kind."""

    official: str
    kind: str  # province | city | county | macro
    place: Place | None = None


@functools.lru_cache(maxsize=4)
def base_forms(ont: Ontology) -> dict[str, PlaceForm]:
    """Forms recognised in every document: provinces and prefecture cities (full and short), county
    names with their suffix, countries, world and economic regions, state-level new areas."""
    from ingest.gazetteer_data import load_places

    forms: dict[str, PlaceForm] = {}
    for p in ont.places:
        f = PlaceForm(p.name, p.level, p)
        if p.level in ("province", "city"):
            forms.setdefault(p.name, f)
            if len(p.short) >= 2:
                forms.setdefault(p.short, f)
    for p in ont.places:
        # a county's full name is a place anywhere (永嘉县, 江山市; not 合作市: 合作 is a word)
        if (
            p.level == "county"
            and len(p.name) >= 3
            and p.name not in ont.zone_stopwords
            and county_short_ok(ont, p.short or p.name[:-1])
        ):
            forms.setdefault(p.name, PlaceForm(p.name, "county", p))
    for r in load_places():
        if r.kind in ("country", "world_region", "economic_region", "new_area") and (
            r.category not in ont.not_place_categories
        ):
            for form in r.forms:
                if len(form.text) >= 2 and form.usage != "variant":
                    forms.setdefault(form.text, PlaceForm(r.name, r.kind))
    tags = word_tags()
    for abbr in ont.province_abbreviations:
        for d in ont.directions:
            form = abbr + d  # 闽西北, 渝东北; 川西, 闽南 where the dictionary knows them as places
            if len(d) > 1 or tags.get(form) == ont.place_pos:
                forms.setdefault(form, PlaceForm(form, "macro"))
    for name in ont.unmarked_places:
        forms.pop(name, None)
    return forms


def _leftmost_longest_of(hits: list[tuple[int, int, PlaceForm]]) -> list[tuple[int, int, PlaceForm]]:
    """Non-overlapping hits of two automata, leftmost first, the longer where two start together."""
    out: list[tuple[int, int, PlaceForm]] = []
    last = -1
    for s, e, v in sorted(hits, key=lambda h: (h[0], h[0] - h[1])):
        if s >= last:
            out.append((s, e, v))
            last = e
    return out


def county_short_ok(ont: Ontology, short: str) -> bool:
    """A division's short form names it unless the dictionary knows it as another kind of word, or it
    is a verb of the genre (新建: 新建区's short form, and the verb of every plan)."""
    return (
        len(short) >= 2
        and word_tags().get(short, "") not in ont.short_form_reject_pos
        and short not in ont.verbs
        and short not in ont.governing_verbs
    )


class Gazetteer:
    def __init__(self, ont: Ontology) -> None:
        self.ont = ont
        self.forms = base_forms(ont)
        self.base_auto = WordAutomaton(self.forms)
        self.inst_auto = WordAutomaton({k: v for k, v in ont.institutions.items()})
        self.by_code = ont.places_by_code
        self._county_cache: dict[tuple[str, str], tuple[dict, dict, set[str]]] = {}
        self.head_words = tuple(h for h in ont.head_type if len(h) >= 2)
        zone = "|".join(ont.zone_suffixes)
        self.zone_re = re.compile(rf"^[\u4e00-\u9fff]{{1,3}}({zone})$")
        lo, hi = ont.unknown_place_stem
        suffixes = "".join(ont.unknown_place_suffixes)
        self._unknown_re = re.compile(rf"([\u4e00-\u9fff]{{{lo},{hi}}}?)[{suffixes}]")

    # -- the home region --------------------------------------------------------------------
    def home(self, st: DocState, unknown: dict[str, PlaceForm]) -> Home | None:
        text = st.text
        lines = text.split("\n")[: self.ont.home_lines]
        head = "\n".join(lines)
        known = [
            (s, f)
            for s, _e, f in self.base_auto.leftmost_longest(head)
            if f.place is not None and f.kind in ("province", "city", "county")
        ]
        guessed = [
            (m.start(), unknown[m.group()]) for m in self._unknown_re.finditer(head) if m.group() in unknown
        ]
        first = min(known + guessed, key=lambda sf: sf[0], default=None)
        if first is not None:
            return self._home(first[1].place) if first[1].place is not None else self._unknown_home(first[1])
        counts: Counter[str] = Counter()
        for _s, _e, f in self.base_auto.leftmost_longest(text):
            if f.place is not None and f.kind in ("province", "city"):
                counts[f.place.adcode] += 1
        if not counts:
            return None
        code, n = counts.most_common(1)[0]
        return self._home(self.by_code[code]) if n >= self.ont.home_min_mentions else None

    def _unknown_home(self, f: PlaceForm) -> Home:
        level = self.ont.unknown_place_suffixes[f.official[-1]]
        short = f.official[:-1]
        return Home(
            f.official,
            short,
            level,
            "",
            forms=[f.official, short],
            relative=list(self.ont.relative_places.get(level, ())),
        )

    def unknown_places(self, st: DocState) -> dict[str, PlaceForm]:
        """Places the gazetteer lacks, by their suffix: named in the first lines or twice."""
        ont, text, toks = self.ont, st.text, st.tokens
        tags = word_tags()
        head_end = sum(len(line) + 1 for line in text.split("\n")[: ont.home_lines])
        seen: Counter[str] = Counter()
        first: dict[str, int] = {}
        for m in self._unknown_re.finditer(text):
            s, e = m.span()
            form, stem = m.group(), m.group(1)
            if (
                form in self.forms
                or not (toks.is_start(s) or text[s - 1 : s] in HARD_PUNCT)
                or not toks.is_end(e)
            ):
                continue
            if form in tags or stem in ont.zone_stopwords or stem in ont.generic_modifiers:
                continue
            if ont.ends_with(form, "zone_stopwords") or form.endswith(self.head_words):
                continue  # 产业园区, 示范区: a kind of zone, not a division
            if tags.get(stem, "") in ont.short_form_reject_pos or any(c in ont.glue_split for c in stem):
                continue
            if tags.get(stem, "") in ont.common_noun_pos and word_freq().get(stem, 0) >= ont.common_word_freq:
                continue  # 办理|市: a frequent common word is no place's stem
            if stem[-1] in ont.unknown_place_reject_tails:
                continue  # 经济大省, 海洋强省: a rank, not a division
            last = toks.texts[toks.at(e - 1)]
            if len(last) > 1 and last in tags:
                continue  # the suffix is the end of a word (精致城市, 带动全市): no division
            k = toks.at(s)
            if any(
                toks.pos[j] in ont.short_form_reject_pos
                for j in range(k, toks.at(e - 1))
                if toks.starts[j] >= s
            ):
                continue  # a verb or an adverb inside (升级为省)
            seen[form] += 1
            first.setdefault(form, s)
        return {f: PlaceForm(f, "unknown") for f, n in seen.items() if n >= 2 or first[f] < head_end}

    def _home(self, p: Place) -> Home:
        forms = [p.name]
        if len(p.short) >= 2:
            forms.append(p.short)
        abbr = [a for a, full in self.ont.province_abbreviations.items() if full == p.name]
        return Home(
            p.name,
            p.short,
            p.level,
            p.adcode,
            forms=forms,
            # a municipality speaks of itself as a city (本市), whatever its rank
            relative=list(
                self.ont.relative_places.get(self.ont.unknown_place_suffixes.get(p.name[-1], p.level), ())
            ),
            abbreviations=abbr,
        )

    def _counties(
        self, adcode: str, level: str
    ) -> tuple[dict[str, PlaceForm], dict[str, PlaceForm], set[str]]:
        """The home's counties (a province's all, a city's own) by their forms, and the names that
        open a name as the home's part: the same for every document of one home, worked out once."""
        key = (adcode, level)
        if key not in self._county_cache:
            forms: dict[str, PlaceForm] = {}
            short: dict[str, PlaceForm] = {}
            prefixes: set[str] = set()
            province = adcode[:2]
            for p in self.ont.places:
                if p.level != "county" or p.adcode[:2] != province:
                    continue
                if level == "province" or p.parent_code == adcode or p.adcode == adcode:
                    forms[p.name] = PlaceForm(p.name, "county", p)
                    if county_short_ok(self.ont, p.short) and p.short not in self.forms:
                        short.setdefault(p.short, PlaceForm(p.name, "county", p))
                    if p.parent_code == adcode:
                        prefixes.add(p.name)
                        if len(p.short) >= 2:
                            prefixes.add(p.short)
            self._county_cache[key] = (forms, short, prefixes)
        return self._county_cache[key]

    # -- mentions ---------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        st = state_of(doc)
        text = st.text
        toks = st.tokens
        unknown = self.unknown_places(st)
        st.home = home = self.home(st, unknown)
        # the forms every document shares sit in one automaton built once; this document's own
        # (its home's counties, places the gazetteer lacks) in a small one built for it
        forms: dict[str, PlaceForm] = dict(unknown)
        prefixes: set[str] = set()
        if home is not None:
            prefixes |= set(home.forms)
            if not home.adcode and len(home.short) >= 2:
                forms.setdefault(home.short, PlaceForm(home.name, "unknown"))  # 青川 for 青川市
        if home is not None and home.adcode:
            full, short, county_prefixes = self._counties(home.adcode, home.level)
            forms.update(full)
            for form, place in short.items():
                forms.setdefault(form, place)
            prefixes |= county_prefixes
        own = {k: v for k, v in forms.items() if self.forms.get(k) != v}
        hits = self.base_auto.leftmost_longest(text) + (
            WordAutomaton(own).leftmost_longest(text) if own else []
        )
        for s, e, f in _leftmost_longest_of(hits):
            if e - s < 2 or not (toks.is_start(s) or self._resegmented(toks, s, e)):
                continue
            if not toks.is_end(e):
                rest = text[e : toks.ends[toks.at(e - 1)]]
                if self.ont.head_type.get(rest) != "GovAgency" and rest not in self.ont.place_people_nouns:
                    continue  # a place is a word of its own (滨海城市 holds no 海城市) …
                # … or opens the segmenter's word for its government (四川省政府) or for its people
                # (台湾同胞); 北京大学 names an institution, not the place
            surface = text[s:e]
            joiners = self.ont.route_joiners
            route_end = text[s - 1 : s] in joiners or text[e : e + 1] in joiners
            if self._opens_facility(st, e) and not route_end:
                continue  # 密云水库, 宣武医院房山院区: the site of a facility, not a region spoken of
                # (but 奉节至建始高速 joins two places: both are spoken of)
            aliases = [f.official] if f.official != surface else []
            props: dict = {"place": f.official, "kind": f.kind}
            if f.kind == "unknown":
                props["unknown"] = True  # recognised by its suffix, not found in the gazetteer
            if f.place is not None:
                props["adcode"] = f.place.adcode
            st.mentions.append(
                Mention(s, e, surface, "Region", aliases=aliases, source="gazetteer", props=props)
            )
            st.place_names.add(surface)
        if home is not None:
            # 本市, 全省: the home region named without its name (a regulation may never write it)
            own_forms = {f for f in home.relative if len(f) >= 2}
            for k, t in enumerate(toks.texts):
                if t in own_forms:
                    s, e = toks.starts[k], toks.ends[k]
                    props = {"place": home.name, "kind": home.level, "relative": True}
                    if home.adcode:
                        props["adcode"] = home.adcode
                    st.mentions.append(
                        Mention(
                            s,
                            e,
                            t,
                            "Region",
                            name=home.name,
                            aliases=[home.short],
                            source="gazetteer",
                            props=props,
                        )
                    )
        for s, e in self._zones(st):
            prefixes.add(text[s:e])
            st.mentions.append(Mention(s, e, text[s:e], "Region", source="gazetteer", props={"zone": True}))
        self._institutions(st, {**self.forms, **forms})
        st.place_prefixes = sorted(prefixes, key=len, reverse=True)
        return doc

    @staticmethod
    def _resegmented(toks: Tokens, s: int, e: int) -> bool:
        """打|造成|渝: a place that starts inside a word, where the word's head joins the word before it
        into one the dictionary knows (打造), was cut wrong by the segmenter: cut it again."""
        k = toks.at(s)
        if k == 0 or toks.starts[k] >= s or toks.ends[k] > e or not toks.is_end(e):
            return False
        tags = word_tags()
        joined = toks.texts[k - 1] + toks.texts[k][: s - toks.starts[k]]
        if joined not in tags:
            return False
        toks.move_boundary(k, s, tags)
        return True

    def _opens_facility(self, st: DocState, end: int) -> bool:
        """Whether a facility's head follows within the window, with no boundary in between."""
        ont, toks = self.ont, st.tokens
        k = toks.at(end)
        if k < len(toks) and toks.starts[k] < end:
            k += 1
        stop = end + ont.facility_window
        while k < len(toks) and toks.starts[k] < stop:
            t = toks.texts[k]
            if (
                t[-1] in HARD_PUNCT
                or t in ont.boundary_words
                or t in ont.governing_verbs
                or t in ont.inner_conjunctions
                or (len(t) >= 2 and (toks.pos[k] in ont.boundary_pos or t.startswith(ont.negations)))
            ):
                return False  # 川西北|不通|铁路: a predicate, not a facility's name
            if t.endswith(ont.facility_heads):
                return True
            k += 1
        return False

    def _institutions(self, st: DocState, forms: dict[str, PlaceForm]) -> None:
        ont, text, toks = self.ont, st.text, st.tokens
        for s, e, info in self.inst_auto.leftmost_longest(text):
            nxt = text[e : e + 1]
            if not (
                toks.is_start(s)
                and (
                    toks.is_end(e)
                    or nxt in HARD_PUNCT
                    or nxt == "("
                    or nxt in ont.suffix_expansions
                    or nxt in ont.glued_after  # 自然资源部|将: a function word glued to the name's end
                )
            ):
                continue
            q = re.match(r"\(([^()]{2,6})\)", text[e : e + 10])
            if q and q.group(1) in forms:  # a campus: 哈工大(威海) is its own institution
                st.mentions.append(
                    Mention(s, e + q.end(), text[s : e + q.end()], info["type"], source="gazetteer")
                )
                continue
            st.mentions.append(
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

    def _zones(self, st: DocState) -> list[tuple[int, int]]:
        """Stand-alone development-zone abbreviations: 高区, 经区, 临港区, 南海新区 …"""
        ont, text, toks = self.ont, st.text, st.tokens
        out = []
        tags = word_tags()
        for k, t in enumerate(toks.texts):
            if not t.endswith(ont.zone_suffixes):
                continue
            before = toks.texts[k - 1] if k > 0 else ""
            if (
                len(t) >= 2
                and tags.get(t, "") in ont.common_noun_pos
                and (len(before) >= 2 or tags.get(before, "") in ont.adjective_pos)
            ):
                continue  # 老旧|小区, 做强|大区, 新|院区: a word before a common noun, no zone's name
            end = toks.ends[k]
            nxt = toks.texts[k + 1] if k + 1 < len(toks) else ""
            if not (not nxt or nxt[0] in HARD_PUNCT or nxt in ont.boundary_words):
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
                stem = next((cand[: -len(x)] for x in ont.zone_suffixes if cand.endswith(x)), cand)
                verb_led = stem.startswith(ont.long_verbs)  # 做强|大区
                if (
                    (len(stem) >= 2 and stem in ont.verbs)
                    or verb_led
                    or any(c in stem for c in ont.inner_conjunctions)
                ):
                    break  # 拟建|区, 市和区: a verb or two levels, not a zone's name
                if (
                    self.zone_re.match(cand)
                    and left_ok
                    and cand not in tags
                    and cand not in ont.zone_stopwords
                    and not ont.ends_with(cand, "zone_stopwords")
                    and cand not in self.forms
                ):
                    out.append((s, end))
                    break
        return out


@Language.factory("ikg_places", default_config={"ontology_dir": str(DEFAULT_ONTOLOGY_DIR)})
def make_places(nlp: Language, name: str, ontology_dir: str) -> Gazetteer:
    return Gazetteer(load_ontology(ontology_dir))
