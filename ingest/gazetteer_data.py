"""The place gazetteer as data: one index of Chinese divisions, countries, world and economic
regions and state-level new areas, with the suffix rules of national development zones.

Chinese divisions come from the NBS division codes shipped with ``cpca`` and the changes in
``divisions_update.tsv``; countries from ISO 3166-1 in ``pycountry`` (iso-codes' zh_CN names);
the rest from the YAML files in ``data/ontology/places/``, each with its ``source:`` note. Pure
data: no spaCy. Build the index once (``load_places`` caches per directory).
"""

from __future__ import annotations

import csv
import functools
import gettext
import importlib.util
import logging
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

import yaml

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PLACES_DIR = PROJECT_ROOT / "data" / "ontology" / "places"

PlaceKind = Literal["country", "world_region", "economic_region", "province", "city", "county", "new_area"]
PLACE_KINDS: tuple[str, ...] = get_args(PlaceKind)
# official: the official (for a country: long) name; short: the standard short name (by rule for a
# division, MOFA/ISO for a country); common: other forms in general use; former: a division's name
# before a change; variant: a spelling of another source that the curated data corrects.
FormUsage = Literal["official", "short", "common", "former", "variant"]

YAML_FILES = (
    "division_rules.yaml",
    "province_abbreviations.yaml",
    "countries.yaml",
    "world_regions.yaml",
    "china_regions.yaml",
    "new_areas.yaml",
    "zones.yaml",
)
UPDATE_FILE = "divisions_update.tsv"
CPCA_SOURCE = "cpca"
ISO_SOURCE = "pycountry"
MIN_FORM = 2  # one-character forms are abbreviations for compounds, never matched alone


class GazetteerDataError(ValueError):
    """Bad place data; the message names the file and the problem on one line."""


@dataclass(frozen=True)
class Source:
    key: str
    text: str
    licence: str
    date: str


@dataclass(frozen=True)
class Form:
    text: str
    usage: FormUsage


@dataclass(frozen=True)
class PlaceRecord:
    """One place. ``key`` is the adcode for a Chinese division, ``iso:XX`` for a country,
    ``region:NAME`` / ``new_area:NAME`` otherwise. ``parent`` is the adcode of the division it
    belongs to (a province for new areas outside one city)."""

    key: str
    name: str
    kind: PlaceKind
    forms: tuple[Form, ...]
    source: str
    parent: str | None = None
    code: str | None = None  # adcode or ISO 3166-1 alpha-2
    category: str | None = None  # e.g. city_cluster, country_group, continent
    basis: str | None = None  # the plan or decision an economic region comes from
    abbreviations: tuple[str, ...] = ()  # one-character short names (简称), compounds only
    members: tuple[str, ...] = ()  # keys of member places of a group
    year: int | None = None  # year of approval (new areas)
    current: bool = True  # False: a division abolished since, with no identified successor
    needs_parent: bool = False  # a generic name (城区) that names one place only after its parent

    @property
    def surface_forms(self) -> tuple[str, ...]:
        return tuple(f.text for f in self.forms)  # distinct: the loader adds each text once


@dataclass(frozen=True)
class ZoneRule:
    kind: str
    entity_type: str  # Park | Region, per the annotation guidelines
    suffixes: tuple[str, ...]
    abbreviations: tuple[str, ...]
    parts: tuple[str, ...] = ()
    listed_only: bool = False  # only the listed places of this kind qualify (国家级新区)

    def suffix_of(self, name: str) -> str | None:
        """The longest suffix or abbreviation of this kind that ``name`` ends in, after at least
        one character of prefix; for a sub-area (X自由贸易试验区Y片区) the part suffix."""
        for part in self.parts:
            if name.endswith(part) and self._ends_in(name[: -len(part)].rstrip(), anywhere=True):
                return part
        return self._ends_in(name)

    def _ends_in(self, name: str, anywhere: bool = False) -> str | None:
        for s in sorted((*self.suffixes, *self.abbreviations), key=len, reverse=True):
            if (s in name if anywhere else name.endswith(s)) and len(name) > len(s):
                return s
        return None


@dataclass(frozen=True)
class ShortFormRule:
    """Short form of a division's official name; see division_rules.yaml for the rule."""

    suffixes: tuple[str, ...]
    autonomy_suffixes: tuple[str, ...]
    keep_before: frozenset[str]
    min_stem: int
    peoples: frozenset[str]  # names of peoples, with and without 族

    def short_form(self, name: str) -> str | None:
        suffix = next((s for s in self.suffixes if name.endswith(s) and len(name) > len(s)), None)
        if suffix is None:
            return None
        stem = name[: -len(suffix)]
        if stem[-1] in self.keep_before and suffix in ("旗", "县"):
            return None
        if suffix in self.autonomy_suffixes:
            stem = self._strip_peoples(stem)
        return stem if len(stem) >= self.min_stem else None

    def _people_at_end(self, stem: str) -> str | None:
        # longest first: 柯尔克孜 before 尔克孜 …
        for k in range(min(len(stem), 6), 1, -1):
            if stem[-k:] in self.peoples:
                return stem[-k:]
        return None

    def _strip_peoples(self, stem: str) -> str:
        while (people := self._people_at_end(stem)) is not None:
            rest = stem[: -len(people)]
            if len(rest) < self.min_stem:
                # the people's name is the proper part (鄂温克族自治旗): keep it, without 族
                return stem.removesuffix("族") if not rest else stem
            stem = rest
        return stem


class PlaceIndex:
    """Lookups over all place records. Build it once with ``load_places``."""

    def __init__(
        self,
        records: Iterable[PlaceRecord],
        zone_rules: Iterable[ZoneRule],
        sources: dict[str, Source],
        short_rule: ShortFormRule,
        code_aliases: dict[str, str] | None = None,
    ) -> None:
        """``code_aliases`` maps other codes to record keys (ISO HK → 香港's adcode)."""
        self.records: dict[str, PlaceRecord] = {}
        for r in records:
            if r.key in self.records:
                raise GazetteerDataError(f"{r.source}: duplicate place key {r.key!r}")
            self.records[r.key] = r
        self.zone_rules = tuple(zone_rules)
        self._zone_words = {w for z in self.zone_rules for w in (*z.suffixes, *z.abbreviations, *z.parts)}
        self.sources = dict(sources)
        self.short_rule = short_rule
        by_form: dict[str, list[str]] = defaultdict(list)
        for r in self.records.values():
            for text in r.surface_forms:
                if len(text) >= MIN_FORM:
                    by_form[text].append(r.key)
        self._by_form = {k: tuple(v) for k, v in by_form.items()}
        self._province_short: dict[str, str] = {}
        self._by_code: dict[str, str] = {}
        for r in self.records.values():
            if r.code:
                self._by_code.setdefault(r.code, r.key)
            if r.kind == "province":
                for ch in r.abbreviations:
                    self._province_short[ch] = r.key
        for code, key in (code_aliases or {}).items():
            if key not in self.records:
                raise GazetteerDataError(f"code alias {code!r}: no place {key!r}")
            self._by_code.setdefault(code, key)

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self) -> Iterator[PlaceRecord]:
        return iter(self.records.values())

    def get(self, key: str) -> PlaceRecord | None:
        return self.records.get(key)

    def by_code(self, code: str) -> PlaceRecord | None:
        """The place with this adcode or ISO 3166-1 alpha-2 code (HK, MO, TW give the division)."""
        key = self._by_code.get(code)
        return self.records[key] if key else None

    def lookup(self, form: str) -> tuple[PlaceRecord, ...]:
        """Every place with this surface form: many counties share a name, all are returned."""
        return tuple(self.records[k] for k in self._by_form.get(form, ()))

    def forms(self) -> dict[str, tuple[str, ...]]:
        """Surface form → keys, for building a matcher."""
        return dict(self._by_form)

    def of_kind(self, kind: PlaceKind) -> list[PlaceRecord]:
        return [r for r in self.records.values() if r.kind == kind]

    def counts(self) -> dict[str, int]:
        c = Counter(r.kind for r in self.records.values())
        return {k: c.get(k, 0) for k in PLACE_KINDS}

    def province_of(self, place: PlaceRecord | str) -> PlaceRecord | None:
        """The province-level division a Chinese division or new area lies in (itself for a
        province); None for countries and regions."""
        rec = self.records.get(place) if isinstance(place, str) else place
        if rec is None:
            return None
        if rec.kind == "province":
            return rec
        code = rec.code if rec.kind in ("city", "county") else rec.parent
        if not code:
            return None
        return self.records.get(code[:2] + "0" * 10)

    def is_province_short(self, char: str) -> bool:
        return char in self._province_short

    def province_by_short(self, char: str) -> PlaceRecord | None:
        key = self._province_short.get(char)
        return self.records[key] if key else None

    def zone_rule(self, name: str) -> ZoneRule | None:
        """The zone kind a name's suffix gives (青岛高新区 → 国家高新技术产业开发区), longest suffix
        across kinds first; None for a kind word alone (高新区, 片区)."""
        if name in self._zone_words:
            return None
        best: tuple[int, ZoneRule] | None = None
        for rule in self.zone_rules:
            s = rule.suffix_of(name)
            if s and (best is None or len(s) > best[0]):
                best = (len(s), rule)
        return best[1] if best else None


# --- reading files ---------------------------------------------------------------------------


# libyaml's parser when present: the pure-Python one takes most of the load time
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe YAML that refuses a key given twice in one mapping (PyYAML keeps the last)."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return _BaseLoader.construct_mapping(loader, node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _fail(path: Path, problem: str) -> GazetteerDataError:
    return GazetteerDataError(f"{path}: {problem}")


def read_yaml(path: Path) -> dict:
    """A places YAML file, with duplicate keys refused and its ``source:`` note checked."""
    if not path.is_file():
        raise _fail(path, "file missing")
    try:
        with path.open(encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=_StrictLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise _fail(path, f"invalid YAML{where}: {problem}") from None
    if not isinstance(data, dict):
        raise _fail(path, "not a mapping")
    _source_of(path, data.get("source"))
    return data


def _source_of(path: Path, note: Any) -> Source:
    if not isinstance(note, dict):
        raise _fail(path, "no source note (source: with text, licence, date)")
    missing = [k for k in ("text", "licence", "date") if not str(note.get(k) or "").strip()]
    if missing:
        raise _fail(path, f"source note lacks {', '.join(missing)}")
    return Source(
        path.stem, " ".join(str(note["text"]).split()), str(note["licence"]).strip(), str(note["date"])
    )


def read_update(path: Path) -> tuple[Source, list[dict[str, str]]]:
    """divisions_update.tsv: ``# source:`` / ``# licence:`` / ``# date:`` lines, then rows of
    change (added | renamed | retired), adcode, name, replaces."""
    if not path.is_file():
        raise _fail(path, "file missing")
    note: dict[str, str] = {}
    rows: list[dict[str, str]] = []
    with path.open(encoding="utf-8") as fh:
        lines = [ln.rstrip("\n") for ln in fh]
    body = []
    for ln in lines:
        if ln.startswith("#"):
            key, _, value = ln[1:].strip().partition(":")
            field_name = {"source": "text", "licence": "licence", "date": "date"}.get(key.strip())
            if field_name:
                note[field_name] = (note.get(field_name, "") + " " + value).strip()
        elif ln.strip():
            body.append(ln)
    src = _source_of(path, note or None)
    reader = csv.DictReader(body, delimiter="\t")
    if reader.fieldnames != ["change", "adcode", "name", "replaces"]:
        raise _fail(path, f"header must be change, adcode, name, replaces; got {reader.fieldnames}")
    seen: set[str] = set()
    for i, row in enumerate(reader, start=2):
        if row["change"] not in ("added", "renamed", "retired"):
            raise _fail(path, f"row {i}: unknown change {row['change']!r}")
        if not (row["adcode"].isdigit() and len(row["adcode"]) == 12) or not row["name"]:
            raise _fail(path, f"row {i}: bad adcode or empty name")
        if row["adcode"] in seen:
            raise _fail(path, f"row {i}: duplicate adcode {row['adcode']}")
        seen.add(row["adcode"])
        rows.append(row)
    return src, rows


def cpca_adcodes_path() -> Path:
    # only cpca's data files are read; importing the package would load its matcher
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise GazetteerDataError("cpca: package not installed (its adcodes.csv is the division list)")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"


def read_adcodes(path: Path | None = None) -> dict[str, str]:
    """adcode → name from a cpca-style adcodes.csv (cpca's own by default)."""
    path = path or cpca_adcodes_path()
    with path.open(encoding="utf-8") as fh:
        return {row["adcode"]: row["name"] for row in csv.DictReader(fh)}


def division_level(adcode: str) -> PlaceKind:
    if adcode.endswith("0000000000"):
        return "province"
    if adcode.endswith("00000000"):
        return "city"
    return "county"


def short_form_rule(rules: dict) -> ShortFormRule:
    nations = cpca_adcodes_path().parent / "56_nations.csv"
    with nations.open(encoding="utf-8") as fh:
        peoples = [ln.strip() for ln in fh if ln.strip()]
    # 哈萨克自治州, 蒙古自治州: the people's name also appears without 族
    names = {p for p in peoples} | {p.removesuffix("族") for p in peoples if len(p) > 2}
    return ShortFormRule(
        suffixes=tuple(rules["suffixes"]),
        autonomy_suffixes=tuple(rules["autonomy_suffixes"]),
        keep_before=frozenset(rules.get("keep_before", [])),
        min_stem=int(rules.get("min_stem", 2)),
        peoples=frozenset(names),
    )


# --- building records --------------------------------------------------------------------------


@dataclass
class _Builder:
    """Mutable record under construction."""

    key: str
    name: str
    kind: PlaceKind
    source: str
    forms: list[Form] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    _texts: set[str] = field(default_factory=set)

    def add(self, text: str | None, usage: FormUsage) -> None:
        """Add a form once; the first usage given for a text stands."""
        if text and text not in self._texts:
            self._texts.add(text)
            self.forms.append(Form(text, usage))

    def build(self) -> PlaceRecord:
        return PlaceRecord(
            key=self.key,
            name=self.name,
            kind=self.kind,
            forms=tuple(self.forms),
            source=self.source,
            **self.extra,
        )


def _divisions(
    directory: Path,
    rules: dict,
    short: ShortFormRule,
    cpca: dict[str, str],
    update: list[dict[str, str]],
    skip_codes: set[str],
) -> dict[str, _Builder]:
    placeholders = set(rules.get("placeholder_names", []))
    generic = set(rules.get("generic_names", []))
    generic_short = set(rules.get("generic_short_forms", []))
    names = dict(cpca)
    sources = dict.fromkeys(names, CPCA_SOURCE)
    current = dict.fromkeys(names, True)
    former: dict[str, list[str]] = defaultdict(list)
    for row in update:
        code, name = row["adcode"], row["name"]
        if row["change"] == "renamed":
            if code not in names:
                raise _fail(directory / UPDATE_FILE, f"renamed {code} is not in cpca's codes")
            former[code].append(names[code])
        elif row["change"] == "retired":
            if code not in names:
                raise _fail(directory / UPDATE_FILE, f"retired {code} is not in cpca's codes")
            current[code] = False
            continue
        else:
            for old in filter(None, row["replaces"].split(",")):
                if old not in names:
                    raise _fail(directory / UPDATE_FILE, f"{code} replaces unknown code {old}")
                former[code].append(names.pop(old))
        names[code] = name
        sources[code] = UPDATE_FILE.split(".")[0]
        current.setdefault(code, True)
    out: dict[str, _Builder] = {}
    for code, name in names.items():
        if name in placeholders or code in skip_codes:
            continue
        level = division_level(code)
        b = _Builder(code, name, level, sources[code])
        b.add(name, "official")
        s = short.short_form(name)
        if s and not (level != "province" and s in generic_short):
            b.add(s, "short")
        for old in former.get(code, []):
            b.add(old, "former")
            s_old = short.short_form(old)
            if s_old and s_old not in generic_short and s_old != s:
                b.add(s_old, "former")
        b.extra.update(code=code, current=current[code], needs_parent=name in generic)
        out[code] = b
    for code, b in out.items():
        if b.kind == "county" and code[:4] + "0" * 8 in out:
            b.extra["parent"] = code[:4] + "0" * 8
        elif b.kind != "province":
            b.extra["parent"] = code[:2] + "0" * 10
    return out


def _province_names(divisions: dict[str, _Builder]) -> dict[str, str]:
    return {b.name: k for k, b in divisions.items() if b.kind == "province"}


def _countries(path: Path, data: dict, divisions: dict[str, _Builder]) -> dict[str, _Builder]:
    import pycountry  # ISO 3166-1 with iso-codes' translations

    zh = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])
    overlay: dict[str, dict] = data.get("countries") or {}
    folded: dict[str, str] = {k: str(v) for k, v in (data.get("chinese_divisions") or {}).items()}
    iso_codes = {c.alpha_2 for c in pycountry.countries}
    for a2 in (*overlay, *folded):
        if a2 not in iso_codes:
            raise _fail(path, f"{a2!r} is not an ISO 3166-1 alpha-2 code")
    out: dict[str, _Builder] = {}
    for c in pycountry.countries:
        iso_name = zh.gettext(c.name)
        iso_official = zh.gettext(c.official_name) if getattr(c, "official_name", None) else None
        iso_common = zh.gettext(c.common_name) if getattr(c, "common_name", None) else None
        if c.alpha_2 in folded:
            div = divisions.get(folded[c.alpha_2])
            if div is None:
                raise _fail(path, f"{c.alpha_2}: division {folded[c.alpha_2]} unknown")
            for text in (iso_name, iso_official, iso_common):
                div.add(text, "variant")
            div.extra["iso"] = c.alpha_2
            continue
        extra = overlay.get(c.alpha_2) or {}
        name = extra.get("name") or iso_common or iso_name
        b = _Builder(f"iso:{c.alpha_2}", name, "country", ISO_SOURCE)
        official = extra.get("official") or iso_official
        # first usage given stands: the curated forms before iso-codes' (柬埔塞 is only a variant)
        b.add(name, "official" if name == official else "short")
        b.add(official, "official")
        for text in extra.get("common", []):
            b.add(text, "common")
        b.add(iso_name, "short" if not extra.get("name") else "variant")
        b.add(iso_official, "official" if not extra.get("official") else "variant")
        b.add(iso_common, "common")
        abbr = extra.get("abbreviation")
        b.extra.update(code=c.alpha_2, abbreviations=(abbr,) if abbr else ())
        if extra:
            b.source = "countries"
        out[b.key] = b
    return out


def _members(path: Path, entry: dict, resolve: dict[str, str]) -> tuple[str, ...]:
    out = []
    for m in entry.get("members", []) or []:
        key = resolve.get(str(m))
        if key is None:
            raise _fail(path, f"{entry['name']}: unknown member {m!r}")
        out.append(key)
    return tuple(out)


def _regions(
    path: Path, entries: list[dict], kind: PlaceKind, resolve: dict[str, str]
) -> dict[str, _Builder]:
    out: dict[str, _Builder] = {}
    for e in entries:
        if not isinstance(e, dict) or not e.get("name"):
            raise _fail(path, f"entry without a name: {e!r}")
        key = f"region:{e['name']}"
        if key in out:
            raise _fail(path, f"duplicate entry {e['name']!r}")
        b = _Builder(key, e["name"], kind, path.stem)
        b.add(e["name"], "official")
        for text in e.get("forms", []) or []:
            b.add(text, "common")
        b.extra.update(category=e.get("category"), basis=e.get("basis"), members=_members(path, e, resolve))
        out[key] = b
    return out


def _new_areas(path: Path, data: dict, divisions: dict[str, _Builder]) -> dict[str, _Builder]:
    provinces = _province_names(divisions)
    out: dict[str, _Builder] = {}
    for e in data.get("new_areas") or []:
        prov = provinces.get(e.get("province", ""))
        if prov is None:
            raise _fail(path, f"{e.get('name')}: unknown province {e.get('province')!r}")
        parent = prov
        if e.get("city"):
            city = next(
                (
                    k
                    for k, b in divisions.items()
                    if b.kind == "city" and b.name == e["city"] and k[:2] == prov[:2]
                ),
                None,
            )
            if city is None:
                raise _fail(path, f"{e['name']}: no city {e['city']!r} in {e['province']}")
            parent = city
        key = f"new_area:{e['name']}"
        if key in out:
            raise _fail(path, f"duplicate entry {e['name']!r}")
        b = _Builder(key, e["name"], "new_area", path.stem)
        b.add(e["name"], "official")
        for text in e.get("forms", []) or []:
            b.add(text, "official")
        for text in e.get("short", []) or []:
            b.add(text, "short")
        b.extra.update(
            parent=parent,
            code=str(e["adcode"]) if e.get("adcode") else None,
            year=int(e["approved"]),
            category="国家级新区",
        )
        out[key] = b
    return out


def _zone_rules(path: Path, data: dict) -> list[ZoneRule]:
    rules = []
    for z in data.get("zone_kinds") or []:
        if z.get("entity_type") not in ("Park", "Region"):
            raise _fail(path, f"{z.get('kind')}: entity_type must be Park or Region")
        rules.append(
            ZoneRule(
                kind=z["kind"],
                entity_type=z["entity_type"],
                suffixes=tuple(z["suffixes"]),
                abbreviations=tuple(z.get("abbreviations") or ()),
                parts=tuple(z.get("parts") or ()),
                listed_only=bool(z.get("listed_only", False)),
            )
        )
    return rules


def build_index(directory: Path) -> PlaceIndex:
    files = {name: read_yaml(directory / name) for name in YAML_FILES}
    update_source, update = read_update(directory / UPDATE_FILE)
    sources = {Path(n).stem: _source_of(directory / n, d["source"]) for n, d in files.items()}
    sources[update_source.key] = update_source
    rules = files["division_rules.yaml"]
    short = short_form_rule(rules)
    new_area_codes = {
        str(e["adcode"]) for e in files["new_areas.yaml"].get("new_areas", []) if e.get("adcode")
    }
    # a new area with a code of its own is a new-area record, not a division as well; districts
    # that are also new areas (浦东新区) stay divisions
    cpca = read_adcodes()
    divisions = _divisions(directory, rules, short, cpca, update, new_area_codes - cpca.keys())

    abbr_path = directory / "province_abbreviations.yaml"
    provinces = _province_names(divisions)
    for section in ("abbreviations", "historical"):
        for name, chars in (files["province_abbreviations.yaml"].get(section) or {}).items():
            if name not in provinces:
                raise _fail(abbr_path, f"{name!r} is not a province-level division")
            b = divisions[provinces[name]]
            b.extra["abbreviations"] = (*b.extra.get("abbreviations", ()), *chars)

    countries = _countries(directory / "countries.yaml", files["countries.yaml"], divisions)
    iso_keys = {b.extra["code"]: k for k, b in countries.items()}
    iso_keys.update({b.extra["iso"]: k for k, b in divisions.items() if "iso" in b.extra})
    world = _regions(
        directory / "world_regions.yaml",
        files["world_regions.yaml"].get("regions") or [],
        "world_region",
        iso_keys,
    )
    china = _regions(
        directory / "china_regions.yaml",
        files["china_regions.yaml"].get("regions") or [],
        "economic_region",
        provinces,
    )
    clash = world.keys() & china.keys()
    if clash:
        raise _fail(directory / "china_regions.yaml", f"also in world_regions.yaml: {sorted(clash)}")
    new_areas = _new_areas(directory / "new_areas.yaml", files["new_areas.yaml"], divisions)

    iso_divisions = {b.extra.pop("iso"): k for k, b in divisions.items() if "iso" in b.extra}
    builders = [
        *divisions.values(),
        *countries.values(),
        *world.values(),
        *china.values(),
        *new_areas.values(),
    ]
    sources[CPCA_SOURCE] = Source(
        CPCA_SOURCE,
        "NBS division codes in cpca/resources/adcodes.csv",
        "MIT (cpca 0.5.5)",
        "cpca 0.5.5 release, 2021-02",
    )
    sources[ISO_SOURCE] = Source(
        ISO_SOURCE,
        "ISO 3166-1 and iso-codes zh_CN names via pycountry",
        "LGPL-2.1-only (pycountry)",
        "pycountry 26.2.16",
    )
    records = [b.build() for b in builders]
    zones = _zone_rules(directory / "zones.yaml", files["zones.yaml"])
    return PlaceIndex(records, zones, sources, short, code_aliases=iso_divisions)


@functools.lru_cache(maxsize=4)
def load_places(directory: str | Path = DEFAULT_PLACES_DIR) -> PlaceIndex:
    """The place index of a data directory, built once per directory."""
    t0 = time.perf_counter()
    index = build_index(Path(directory))
    log.info(
        "place index: %d records in %.0f ms (%s)",
        len(index),
        (time.perf_counter() - t0) * 1000,
        ", ".join(f"{k} {n}" for k, n in index.counts().items()),
    )
    return index


__all__ = [
    "PLACE_KINDS",
    "Form",
    "GazetteerDataError",
    "PlaceIndex",
    "PlaceKind",
    "PlaceRecord",
    "ShortFormRule",
    "Source",
    "ZoneRule",
    "division_level",
    "load_places",
    "read_adcodes",
]
