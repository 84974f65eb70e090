"""Curated domain data from ``data/ontology/*.yaml``, loaded once per directory.

The extractor's knowledge of the genre lives in these files, not in code: a new genre or city
is a data change. Every file carries a ``source:`` note.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass, field
from pathlib import Path

import yaml

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_ONTOLOGY_DIR = PROJECT_ROOT / "data" / "ontology"

# cpca ships the NBS division-code gazetteer; we only read its CSV.
_ADMIN_SUFFIXES = (
    "特别行政区",
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "自治区",
    "自治州",
    "自治县",
    "地区",
    "盟",
    "省",
    "市",
    "县",
    "区",
    "旗",
)


@dataclass(frozen=True)
class Place:
    name: str  # official name, e.g. 荣成市
    adcode: str
    level: str  # province | city | county

    @property
    def short(self) -> str:
        for suffix in _ADMIN_SUFFIXES:
            if self.name.endswith(suffix) and len(self.name) - len(suffix) >= 2:
                return self.name[: -len(suffix)]
        return self.name

    @property
    def parent_code(self) -> str:
        if self.level == "county":
            return self.adcode[:4] + "00000000"
        if self.level == "city":
            return self.adcode[:2] + "0000000000"
        return ""


@dataclass(eq=False)  # hashed by identity: one instance per directory
class Ontology:
    heads: dict[str, list[str]]  # type -> head words
    weak_heads: set[str]
    false_friends: set[str]
    not_followed_by: dict[str, list[str]]
    reject_infixes: list[str]
    standalone_heads: set[str]
    owner_heads: list[str]
    name_verbs: set[str]
    boundary_pos: set[str]
    glued_prepositions: set[str]
    descriptive_before: list[str]
    verbs: set[str]
    adverbs: set[str]
    function_words: set[str]
    inner_conjunctions: set[str]
    classifiers: set[str]
    name_chars: str
    generic_modifiers: set[str]
    bare_generic: set[str]
    levels: set[str]
    macro_regions: list[str]
    place_suffixes: list[str]
    zone_suffixes: list[str]
    zone_stopwords: set[str]
    institutions: dict[str, dict[str, str]]
    suffix_expansions: dict[str, str]
    category_nouns: dict[str, str]
    list_markers: dict[str, str]
    cues: dict[str, list[str]]
    places: list[Place] = field(default_factory=list)

    @functools.cached_property
    def head_type(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for typ, words in self.heads.items():
            for w in words:
                out.setdefault(w, typ)
        return out

    @functools.cached_property
    def boundary_words(self) -> set[str]:
        return self.verbs | self.adverbs | self.function_words

    @functools.cached_property
    def places_by_code(self) -> dict[str, Place]:
        return {p.adcode: p for p in self.places}


def _load_yaml(path: Path) -> dict:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


def _load_places() -> list[Place]:
    import cpca  # local import: only the CSV is needed

    csv_path = Path(cpca.__file__).parent / "resources" / "adcodes.csv"
    out: list[Place] = []
    with csv_path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code = row["adcode"]
            if code.endswith("0000000000"):
                level = "province"
            elif code.endswith("00000000"):
                level = "city"
            else:
                level = "county"
            out.append(Place(row["name"], code, level))
    return out


@functools.lru_cache(maxsize=4)
def load_ontology(directory: str | Path = DEFAULT_ONTOLOGY_DIR) -> Ontology:
    d = Path(directory)
    heads = _load_yaml(d / "heads.yaml")
    bounds = _load_yaml(d / "boundaries.yaml")
    generic = _load_yaml(d / "generic.yaml")
    regions = _load_yaml(d / "regions.yaml")
    abbr = _load_yaml(d / "abbreviations.yaml")
    cats = _load_yaml(d / "categories.yaml")
    cues = _load_yaml(d / "cues.yaml")
    return Ontology(
        heads=heads["types"],
        weak_heads=set(heads.get("weak_heads", [])),
        false_friends=set(heads.get("false_friends", [])),
        not_followed_by=dict(heads.get("not_followed_by", {})),
        reject_infixes=list(heads.get("reject_infixes", [])),
        standalone_heads=set(heads.get("standalone", [])),
        owner_heads=list(heads.get("owner_heads", [])),
        name_verbs=set(bounds.get("name_verbs", [])),
        boundary_pos=set(bounds.get("boundary_pos", [])),
        glued_prepositions=set(bounds.get("glued_prepositions", [])),
        descriptive_before=list(bounds.get("descriptive_before", [])),
        verbs=set(bounds["verbs"]),
        adverbs=set(bounds["adverbs"]),
        function_words=set(bounds["function_words"]),
        inner_conjunctions=set(bounds["inner_conjunctions"]),
        classifiers=set(bounds["classifiers"]),
        name_chars=bounds["name_chars"],
        generic_modifiers=set(generic["modifiers"]),
        bare_generic=set(generic["bare_generic"]),
        levels=set(generic.get("levels", [])),
        macro_regions=list(regions["macro_regions"]),
        place_suffixes=list(regions["place_suffixes"]),
        zone_suffixes=list(regions["zone_suffixes"]),
        zone_stopwords=set(regions["zone_stopwords"]),
        institutions=dict(abbr["institutions"]),
        suffix_expansions=dict(abbr.get("suffix_expansions", {})),
        category_nouns=dict(cats["nouns"]),
        list_markers=dict(cats.get("list_markers", {})),
        cues={k: list(v) for k, v in cues.items() if k != "source"},
        places=_load_places(),
    )
