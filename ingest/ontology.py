"""Curated domain knowledge from ``data/ontology/*.yaml``, loaded once per directory.

The extractor's knowledge of the genre lives in these files, not in code: a new genre or city is a
data change. Every file carries a ``source:`` note, and every key of every file is read here (a key
this loader does not know is an error, so nothing in the files is dead).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_ONTOLOGY_DIR = PROJECT_ROOT / "data" / "ontology"


class OntologyError(ValueError):
    """A file of the ontology is malformed or holds a key no code reads."""


class StrictYaml:
    """A YAML mapping whose keys must all be read (``done`` says which were not)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with path.open(encoding="utf-8") as fh:
            self.data: dict[str, Any] = yaml.safe_load(fh) or {}
        self.read: set[str] = {"source", "usage"}
        if "source" not in self.data:
            raise OntologyError(f"{path.name}: no source note")

    def req(self, key: str) -> Any:
        if key not in self.data:
            raise OntologyError(f"{self.path.name}: missing key {key!r}")
        self.read.add(key)
        return self.data[key]

    def get(self, key: str, default: Any) -> Any:
        self.read.add(key)
        return self.data.get(key, default)

    def words(self, key: str) -> tuple[str, ...]:
        """A list of words, longest first (so alternations prefer the longer word)."""
        return tuple(sorted(dict.fromkeys(str(w) for w in self.get(key, []) or []), key=len, reverse=True))

    def done(self) -> None:
        unread = set(self.data) - self.read
        if unread:
            raise OntologyError(f"{self.path.name}: keys no code reads: {', '.join(sorted(unread))}")


# -- administrative divisions -----------------------------------------------------------------
# The place gazetteer (ingest/gazetteer_data.py over data/ontology/places/) holds every division,
# country and region with its forms; the extractor's view of a division is a Place.
@dataclass(frozen=True)
class Place:
    name: str  # official name, e.g. 荣成市
    adcode: str
    level: str  # province | city | county
    short: str = ""  # the standard short form (荣成), "" when the rule gives none

    @property
    def parent_code(self) -> str:
        if self.level == "county":
            return self.adcode[:4] + "00000000"
        if self.level == "city":
            return self.adcode[:2] + "0000000000"
        return ""

    @property
    def province_code(self) -> str:
        return self.adcode[:2] + "0000000000"


def short_form(name: str) -> str:
    """A division's short form by the gazetteer's rule (荣成市 → 荣成), or the name itself."""
    from ingest.gazetteer_data import load_places

    return load_places().short_rule.short_form(name) or name


def _load_places() -> list[Place]:
    from ingest.gazetteer_data import load_places

    out = []
    for r in load_places():
        if r.kind in ("province", "city", "county") and r.code and r.current:
            short = next((f.text for f in r.forms if f.usage == "short"), "")
            out.append(Place(r.name, r.code, r.kind, short))
    return out


# -- the files ------------------------------------------------------------------------------
@dataclass(frozen=True)
class HeadingStyle:
    style: str
    pattern: re.Pattern[str]
    kind: str = "heading"


@dataclass(frozen=True)
class StructureWords:
    headings: tuple[HeadingStyle, ...]
    item_styles: frozenset[str]
    inline_heading_end: str
    max_inline_heading: int
    plain_heading_max: int
    plain_heading_punct: str
    sentence_end: str
    sentence_closers: str
    line_terminators: str
    cut_line_min: int
    subtitle_openers: tuple[str, ...]
    byline: re.Pattern[str]
    adoption_note: re.Pattern[str]


def _structure(d: Path) -> StructureWords:
    r = StrictYaml(d / "structure.yaml")
    styles = tuple(
        HeadingStyle(h["style"], re.compile(h["pattern"]), h.get("kind", "heading"))
        for h in r.req("headings")
    )
    out = StructureWords(
        headings=styles,
        item_styles=frozenset(r.req("item_styles")),
        inline_heading_end=r.req("inline_heading_end"),
        max_inline_heading=int(r.req("max_inline_heading")),
        plain_heading_max=int(r.req("plain_heading_max")),
        plain_heading_punct=r.req("plain_heading_punct"),
        sentence_end=r.req("sentence_end"),
        sentence_closers=r.req("sentence_closers"),
        line_terminators=r.req("line_terminators"),
        cut_line_min=int(r.req("cut_line_min")),
        subtitle_openers=tuple(r.req("subtitle_openers")),
        byline=re.compile(r.req("byline")),
        adoption_note=re.compile(r.req("adoption_note")),
    )
    r.done()
    return out


@dataclass(eq=False)  # hashed by identity: one instance per directory
class Ontology:
    directory: Path
    structure: StructureWords
    # heads.yaml
    heads: dict[str, tuple[str, ...]]  # type -> head words
    weak_heads: frozenset[str]
    false_friends: frozenset[str]
    not_followed_by: dict[str, tuple[str, ...]]
    reject_infixes: tuple[str, ...]
    standalone_heads: frozenset[str]
    owner_heads: tuple[str, ...]
    owner_levels: tuple[str, ...]
    verb_head_types: frozenset[str]
    nominal_verb_head_types: frozenset[str]
    body_heads: frozenset[str]
    glued_after: str
    ordinal_types: frozenset[str]
    lasting_types: frozenset[str]
    admin_prefixes: tuple[str, ...]
    level_named_types: frozenset[str]  # Program: 国家重点研发计划 is named by its level and words
    level_named_min_words: int
    place_named_heads: frozenset[str]
    place_only_heads: frozenset[str]
    owned_only_types: frozenset[str]
    owned_only_after: frozenset[str]
    owner_seat_heads: tuple[str, ...]
    strict_heads: frozenset[str]
    home_run_heads: tuple[str, ...]
    home_run_prefixes: frozenset[str]
    place_suffix_heads: frozenset[str]
    place_required_heads: frozenset[str]
    post_titles: tuple[str, ...]
    national_prefixes: tuple[str, ...]
    party_prefixes: tuple[str, ...]
    head_synonyms: dict[str, str]
    min_modifier_chars: dict[str, int]  # University: 2 (环|大学 names none)
    award_nouns: tuple[str, ...]  # “五个一工程”奖: an award
    phase_suffix: re.Pattern[str]  # 工程|二期
    designation_heads: frozenset[str]
    innovation_words: tuple[str, ...]
    name_joiners: tuple[str, ...]
    # boundaries.yaml
    governing_verbs: frozenset[str]
    clause_verbs: frozenset[str]
    verbal_pos: frozenset[str]
    noun_verb_pos: frozenset[str]
    verbs: frozenset[str]
    adverbs: frozenset[str]
    function_words: frozenset[str]
    negations: tuple[str, ...]  # 不, 未: a word opening with one is a predicate
    date_day_re: re.Pattern[str]  # 六五|环境日: a numeral that is a date
    set_name_classifiers: frozenset[str]  # 六大: a set's name, not a count
    inner_conjunctions: frozenset[str]
    classifiers: frozenset[str]
    count_classifiers: tuple[str, ...]
    name_chars: str
    name_verbs: frozenset[str]
    boundary_pos: frozenset[str]
    glued_prepositions: frozenset[str]
    glue_split: str
    glued_words: frozenset[str]
    descriptive_before: tuple[str, ...]
    coverbs: frozenset[str]
    date_units: frozenset[str]
    plural_classifiers: str
    ordinal: re.Pattern[str]
    cooperation_span: int
    place_joiners: str
    member_list_span: int
    member_line_max: int
    session_ordinal: re.Pattern[str]
    term_ordinal: re.Pattern[str]  # 十六届: a body outlasts its term
    scope_words: frozenset[str]
    first_of_kind: frozenset[str]
    # generic.yaml
    generic_modifiers: frozenset[str]
    policy_shorthands: frozenset[str]  # 两重: policies, not programmes of their own
    bare_generic: frozenset[str]
    levels: tuple[str, ...]
    level_suffix: str
    graded_category_types: frozenset[str]  # 国家级X区: a rank of zone
    ranked_heads: frozenset[str]  # 北京市重点实验室: a rank, not a lab
    designation_generic: dict[str, frozenset[str]]  # Park: 发展 (新兴产业发展示范基地)
    # regions.yaml
    place_suffixes: tuple[str, ...]
    zone_suffixes: tuple[str, ...]
    zone_stopwords: frozenset[str]
    home_min_mentions: int
    home_lines: int
    relative_places: dict[str, tuple[str, ...]]  # level -> relative forms (本市, 我市, 全市 …)
    short_form_reject_pos: frozenset[str]
    compass_words: tuple[str, ...]
    elsewhere_kinds: frozenset[str]
    not_place_categories: frozenset[str]  # member_group: 金砖国家 is no region
    place_people_nouns: frozenset[str]  # 台湾|同胞: the place is named
    route_joiners: tuple[str, ...]  # 奉节至建始高速: both ends are places
    regional_zone_heads: tuple[str, ...]  # 川藏经济协作试验区 is an economic region
    regional_zone_types: frozenset[str]
    regional_zone_type: str
    regional_zone_kinds: frozenset[str]
    park_words: tuple[str, ...]
    unmarked_places: frozenset[str]
    facility_heads: tuple[str, ...]
    wide_area_heads: tuple[str, ...]
    outward_words: tuple[str, ...]  # 出海: a slogan that sells its place elsewhere
    outward_verb: str
    unknown_place_suffixes: dict[str, str]
    unknown_place_stem: tuple[int, int]
    unknown_place_reject_tails: str
    facility_window: int
    directions: tuple[str, ...]
    place_pos: str
    common_noun_pos: frozenset[str]
    common_word_freq: int
    adjective_pos: frozenset[str]
    # abbreviations.yaml
    institutions: dict[str, dict[str, str]]
    suffix_expansions: dict[str, str]
    # categories.yaml
    category_nouns: dict[str, str]
    qualified_list_types: frozenset[str]  # 等重点产业链: no items named as chains
    list_markers: dict[str, str]
    list_etc: tuple[str, ...]
    conjoined_item_types: frozenset[str]
    list_selection_verbs: tuple[str, ...]
    list_tail_modifiers: tuple[str, ...]
    list_separators: tuple[str, ...]
    list_types_without_marker: frozenset[str]
    shared_head_types: frozenset[str]
    shared_place_types: frozenset[str]
    list_item_reject: tuple[str, ...]
    quantity_units: tuple[str, ...]
    counted_kinds: dict[str, str]
    canonical_heads: dict[str, str]
    # systems.yaml
    system_nouns: tuple[str, ...]
    national_layout_nouns: tuple[str, ...]  # “五位一体”总体布局: the nation's layout
    plain_system_nouns: tuple[str, ...]
    system_context: tuple[str, ...]
    system_noun_stop: str
    formula_numbers: str
    n_in_one: re.Pattern[str]
    level_only: re.Pattern[str]
    quote_categories: dict[str, str]
    quote_brand_nouns: frozenset[str]
    # cues.yaml
    cues: dict[str, tuple[str, ...]]
    places: list[Place] = field(default_factory=list)

    @functools.cached_property
    def head_type(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for typ, words in self.heads.items():
            for w in words:
                out.setdefault(w, typ)
        return out

    @functools.cached_property
    def boundary_words(self) -> frozenset[str]:
        """Words that open a clause before an organisation's or a place's name."""
        return self.verbs | self.adverbs | self.function_words

    @functools.cached_property
    def suffix_sets(self) -> dict[str, tuple[frozenset[str], range]]:
        """Word lists by name, for "does this end with one of them" in a few set lookups."""

        def of(words) -> tuple[frozenset[str], range]:
            ws = frozenset(w for w in words if len(w) >= 2)
            lengths = sorted({len(w) for w in ws}) or [2]
            return ws, range(lengths[0], lengths[-1] + 1)

        return {
            "heads": of(self.head_type),
            "verbs": of(self.verbs),
            "governing": of(self.governing_verbs),
            "zone_stopwords": of(self.zone_stopwords),
            "false_friends": of(self.false_friends),
            "category_nouns": of(self.category_nouns),
        }

    def ends_with(self, text: str, which: str) -> bool:
        """Whether ``text`` ends with a word (of two characters or more) of the named list."""
        words, lengths = self.suffix_sets[which]
        return any(text[-n:] in words for n in lengths if n <= len(text))

    @functools.cached_property
    def innovation_re(self) -> re.Pattern[str]:
        return re.compile("|".join(re.escape(w) for w in self.innovation_words))

    @functools.cached_property
    def heads_longest_first(self) -> tuple[tuple[str, str], ...]:
        """(head, type) pairs, the longest head first: the first that ends a name is its head."""
        return tuple(sorted(self.head_type.items(), key=lambda kv: -len(kv[0])))

    @functools.cached_property
    def all_relative_places(self) -> tuple[str, ...]:
        """Every relative form of every level (本市, 全省, 我区 …)."""
        return tuple(dict.fromkeys(f for forms in self.relative_places.values() for f in forms))

    @functools.cached_property
    def unnaming_vocab(self) -> dict[str, frozenset[str]]:
        """Words that name nothing before a head (generic modifiers and verbs), per type: a type with
        designation words of its own (Park: 发展) has them added; "" is every other type."""
        base = self.generic_modifiers | self.verbs | self.governing_verbs
        return {"": base, **{t: base | words for t, words in self.designation_generic.items()}}

    @functools.cached_property
    def long_verbs(self) -> tuple[str, ...]:
        """Verbs of two characters or more (governing ones too), for "does it open with a verb"."""
        return tuple(v for v in {*self.verbs, *self.governing_verbs} if len(v) >= 2)

    @functools.cached_property
    def graded_levels(self) -> tuple[str, ...]:
        """Level words with a grade (国家级, 省级): a body so qualified is a category."""
        return tuple(lv for lv in self.levels if len(lv) > 1 and lv.endswith(self.level_suffix))

    @functools.cached_property
    def province_abbreviations(self) -> dict[str, str]:
        """One-character abbreviations (简称) → the province's official name (浙 → 浙江省), from the
        place gazetteer; they name a province only inside a word (川渝, 闽政通)."""
        from ingest.gazetteer_data import load_places

        out: dict[str, str] = {}
        for r in load_places():
            if r.kind == "province":
                for a in r.abbreviations:
                    out.setdefault(a, r.name)
        return out

    @functools.cached_property
    def places_by_code(self) -> dict[str, Place]:
        return {p.adcode: p for p in self.places}

    def cue(self, key: str) -> tuple[str, ...]:
        return self.cues[key]


@functools.lru_cache(maxsize=4)
def load_ontology(directory: str | Path = DEFAULT_ONTOLOGY_DIR) -> Ontology:
    d = Path(directory)
    heads = StrictYaml(d / "heads.yaml")
    bounds = StrictYaml(d / "boundaries.yaml")
    generic = StrictYaml(d / "generic.yaml")
    regions = StrictYaml(d / "regions.yaml")
    abbr = StrictYaml(d / "abbreviations.yaml")
    cats = StrictYaml(d / "categories.yaml")
    cues = StrictYaml(d / "cues.yaml")
    systems = StrictYaml(d / "systems.yaml")
    ont = Ontology(
        directory=d,
        structure=_structure(d),
        heads={t: tuple(ws) for t, ws in heads.req("types").items()},
        weak_heads=frozenset(heads.words("weak_heads")),
        false_friends=frozenset(heads.words("false_friends")),
        not_followed_by={k: tuple(v) for k, v in heads.get("not_followed_by", {}).items()},
        reject_infixes=heads.words("reject_infixes"),
        standalone_heads=frozenset(heads.words("standalone")),
        owner_heads=heads.words("owner_heads"),
        owner_levels=heads.words("owner_levels"),
        verb_head_types=frozenset(heads.req("verb_head_types")),
        nominal_verb_head_types=frozenset(heads.req("nominal_verb_head_types")),
        body_heads=frozenset(heads.words("body_heads")),
        glued_after=heads.req("glued_after"),
        ordinal_types=frozenset(heads.req("ordinal_types")),
        lasting_types=frozenset(heads.req("lasting_types")),
        admin_prefixes=heads.words("admin_prefixes"),
        level_named_types=frozenset(heads.words("level_named_types")),
        level_named_min_words=int(heads.req("level_named_min_words")),
        place_named_heads=frozenset(heads.words("place_named_heads")),
        place_only_heads=frozenset(heads.words("place_only_heads")),
        owned_only_types=frozenset(heads.words("owned_only_types")),
        owned_only_after=frozenset(heads.words("owned_only_after")),
        owner_seat_heads=heads.words("owner_seat_heads"),
        strict_heads=frozenset(heads.words("strict_heads")),
        home_run_heads=heads.words("home_run_heads"),
        home_run_prefixes=frozenset(heads.words("home_run_prefixes")),
        place_suffix_heads=frozenset(heads.words("place_suffix_heads")),
        place_required_heads=frozenset(heads.words("place_required_heads")),
        post_titles=heads.words("post_titles"),
        national_prefixes=heads.words("national_prefixes"),
        party_prefixes=heads.words("party_prefixes"),
        head_synonyms=dict(heads.req("head_synonyms")),
        min_modifier_chars={k: int(v) for k, v in heads.req("min_modifier_chars").items()},
        award_nouns=heads.words("award_nouns"),
        phase_suffix=re.compile(heads.req("phase_suffix")),
        designation_heads=frozenset(heads.words("designation_heads")),
        innovation_words=heads.words("innovation_words"),
        name_joiners=heads.words("name_joiners"),
        governing_verbs=frozenset(bounds.words("governing_verbs") + bounds.words("clause_verbs")),
        clause_verbs=frozenset(bounds.words("clause_verbs")),
        verbal_pos=frozenset(bounds.req("verbal_pos")),
        noun_verb_pos=frozenset(bounds.words("noun_verb_pos")),
        verbs=frozenset(bounds.words("verbs")),
        adverbs=frozenset(bounds.words("adverbs")),
        function_words=frozenset(bounds.words("function_words")),
        negations=bounds.words("negations"),
        date_day_re=re.compile(bounds.req("date_day")),
        set_name_classifiers=frozenset(bounds.words("set_name_classifiers")),
        inner_conjunctions=frozenset(bounds.words("inner_conjunctions")),
        classifiers=frozenset(bounds.words("classifiers")),
        count_classifiers=tuple(bounds.words("count_classifiers")),
        name_chars=bounds.req("name_chars"),
        name_verbs=frozenset(bounds.words("name_verbs")),
        boundary_pos=frozenset(bounds.req("boundary_pos")),
        glued_prepositions=frozenset(bounds.words("glued_prepositions")),
        glue_split=bounds.req("glue_split"),
        glued_words=frozenset(bounds.words("glued_words")),
        descriptive_before=bounds.words("descriptive_before"),
        coverbs=frozenset(bounds.words("coverbs")),
        date_units=frozenset(bounds.words("date_units")),
        plural_classifiers="".join(bounds.words("plural_classifiers")),
        ordinal=re.compile(bounds.req("ordinal")),
        cooperation_span=int(bounds.req("cooperation_span")),
        place_joiners=bounds.req("place_joiners"),
        member_list_span=int(bounds.req("member_list_span")),
        member_line_max=int(bounds.req("member_line_max")),
        session_ordinal=re.compile(bounds.req("session_ordinal")),
        term_ordinal=re.compile(bounds.req("term_ordinal")),
        scope_words=frozenset(bounds.words("scope_words")),
        first_of_kind=frozenset(bounds.words("first_of_kind")),
        generic_modifiers=frozenset(generic.words("modifiers")),
        policy_shorthands=frozenset(generic.words("policy_shorthands")),
        bare_generic=frozenset(generic.words("bare_generic")),
        levels=generic.words("levels"),
        level_suffix=generic.req("level_suffix"),
        graded_category_types=frozenset(generic.words("graded_category_types")),
        ranked_heads=frozenset(generic.words("ranked_heads")),
        designation_generic={k: frozenset(v) for k, v in generic.req("designation_generic").items()},
        place_suffixes=regions.words("place_suffixes"),
        zone_suffixes=regions.words("zone_suffixes"),
        zone_stopwords=frozenset(regions.words("zone_stopwords")),
        home_min_mentions=int(regions.req("home_min_mentions")),
        home_lines=int(regions.req("home_lines")),
        relative_places={k: tuple(v) for k, v in regions.req("relative_places").items()},
        short_form_reject_pos=frozenset(regions.req("short_form_reject_pos")),
        compass_words=regions.words("compass_words"),
        elsewhere_kinds=frozenset(regions.req("elsewhere_kinds")),
        not_place_categories=frozenset(regions.words("not_place_categories")),
        place_people_nouns=frozenset(regions.words("place_people_nouns")),
        route_joiners=regions.words("route_joiners"),
        regional_zone_heads=regions.words("regional_zone_heads"),
        regional_zone_types=frozenset(regions.words("regional_zone_types")),
        regional_zone_type=regions.req("regional_zone_type"),
        regional_zone_kinds=frozenset(regions.words("regional_zone_kinds")),
        park_words=regions.words("park_words"),
        unmarked_places=frozenset(regions.words("unmarked_places")),
        facility_heads=regions.words("facility_heads"),
        wide_area_heads=regions.words("wide_area_heads"),
        outward_words=regions.words("outward_words"),
        outward_verb=regions.req("outward_verb"),
        unknown_place_suffixes=dict(regions.req("unknown_place_suffixes")),
        unknown_place_stem=tuple(regions.req("unknown_place_stem")),
        unknown_place_reject_tails="".join(regions.req("unknown_place_reject_tails")),
        facility_window=int(regions.req("facility_window")),
        directions=regions.words("directions"),
        place_pos=regions.req("place_pos"),
        common_noun_pos=frozenset(regions.words("common_noun_pos")),
        common_word_freq=int(regions.req("common_word_freq")),
        adjective_pos=frozenset(regions.words("adjective_pos")),
        institutions=dict(abbr.req("institutions")),
        suffix_expansions=dict(abbr.get("suffix_expansions", {})),
        category_nouns=dict(cats.req("nouns")),
        qualified_list_types=frozenset(cats.words("qualified_list_types")),
        list_markers=dict(cats.get("list_markers", {})),
        list_etc=cats.words("list_etc"),
        conjoined_item_types=frozenset(cats.words("conjoined_item_types")),
        list_selection_verbs=cats.words("list_selection_verbs"),
        list_tail_modifiers=cats.words("list_tail_modifiers"),
        list_separators=cats.words("list_separators"),
        list_types_without_marker=frozenset(cats.req("list_types_without_marker")),
        shared_head_types=frozenset(cats.req("shared_head_types")),
        shared_place_types=frozenset(cats.req("shared_place_types")),
        list_item_reject=cats.words("list_item_reject"),
        quantity_units=cats.words("quantity_units"),
        counted_kinds=dict(cats.req("counted_kinds")),
        canonical_heads=dict(cats.req("canonical_heads")),
        system_nouns=systems.words("system_nouns"),
        national_layout_nouns=systems.words("national_layout_nouns"),
        plain_system_nouns=systems.words("plain_system_nouns"),
        system_context=systems.words("system_context"),
        system_noun_stop=systems.req("system_noun_stop"),
        formula_numbers=systems.req("formula_numbers"),
        n_in_one=re.compile(systems.req("n_in_one")),
        level_only=re.compile(systems.req("level_only")),
        quote_categories=dict(systems.req("quote_categories")),
        quote_brand_nouns=frozenset(systems.words("quote_brand_nouns")),
        cues={k: cues.words(k) for k in cues.data if k not in ("source", "usage")},
        places=_load_places(),
    )
    for r in (heads, bounds, generic, regions, abbr, cats, cues, systems):
        r.done()
    return ont
