"""Within-document resolution: overlapping mentions → one reading, mentions → entities.

One entity per real thing, carrying every surface form as an alias: A(B) forms, abbreviations
(哈工大 → 哈尔滨工业大学), forms with and without the city or a district prefix, a chain's
产业链 / 产业技术创新链 forms, and a counted system's quoted formula.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from spacy.language import Language
from spacy.tokens import Doc

from ingest.ontology import DEFAULT_ONTOLOGY_DIR, Ontology, load_ontology
from ingest.records import Mention
from ingest.state import DocEntity, DocState, Home, state_of
from ingest.text import HARD_PUNCT, norm_name, strip_bracketed

SEAT_KINDS = ("province", "city", "county", "unknown", "new_area")
SOURCE_PRIORITY = {"structure": 6, "gazetteer": 5, "quoted": 5, "names": 4, "lists": 3, "links": 1}
# Types whose names may be shortened by dropping a place prefix.
PREFIX_DROP_TYPES = {
    "Park",
    "Platform",
    "Incubator",
    "ResearchInstitute",
    "Lab",
    "Program",
    "GovAgency",
    "Event",
}


def select_mentions(mentions: list[Mention]) -> list[Mention]:
    """Longest-first, non-overlapping; equal spans keep the higher-priority source."""
    ranked = sorted(
        mentions,
        key=lambda m: (-(m.end - m.start), -SOURCE_PRIORITY.get(m.source, 0), m.start),
    )
    taken = bytearray(max((m.end for m in mentions), default=0))  # characters already named
    chosen: list[Mention] = []
    for m in ranked:
        if m.label == "Measure":
            chosen.append(m)  # a measure's title may name other things: it blocks nothing
            continue
        if any(taken[m.start : m.end]):
            if m.props.get("nested_ok"):
                chosen.append(m)
            continue
        taken[m.start : m.end] = b"\x01" * (m.end - m.start)
        chosen.append(m)
    return sorted(chosen, key=lambda m: (m.start, m.end))


class EntityResolver:
    def __init__(self, ont: Ontology) -> None:
        self.ont = ont
        self.abbr = ont.institutions

    def __call__(self, doc: Doc) -> Doc:
        st = state_of(doc)
        # a name in the last fragment of a line cut mid-sentence may be missing its tail
        fragments = self._cut_fragments(st, st.cut_ends)
        # only what a sentence says: page furniture and titles outside sentences name nothing
        kept = [
            m
            for m in st.mentions
            if (m.source == "structure" or not any(s <= m.start and m.end <= e for s, e in fragments))
            and (m.source == "structure" or m.label == "Measure" or st.sentence_at(m.start) is not None)
        ]
        # a place that opens another name (开州|崖柏保护利用项目, 中国(|北京|)自贸区) is the seat the
        # name gives: it stays a mention of its own, so the region is known to the relations
        names = [m for m in kept if m.label != "Region" and m.source in ("names", "lists", "quoted")]
        starts = {n.start for n in names}
        for m in kept:
            seat = m.label == "Region" and m.source == "gazetteer" and m.props.get("kind") in SEAT_KINDS
            bracketed = st.text[m.start - 1 : m.start] == "(" and any(
                n.start < m.start < n.end for n in names
            )
            if seat and (m.start in starts or bracketed):
                m.props["nested_ok"] = True
        # what a text says is missing (缺少A和B平台) is a chain's gap, not an actor of that name
        gaps = {(m.start, m.end) for m in kept if m.label == "ChainLink" and m.props.get("role") == "lacks"}
        kept = [m for m in kept if m.label == "ChainLink" or (m.start, m.end) not in gaps]
        # 平台“川易贷”: the quoted short name a name gives itself is not a second thing
        renames = [(m.props["renames"], m) for m in kept if "renames" in m.props]
        kept = [
            m for m in kept if not any(s <= m.start and m.end <= e and n is not m for (s, e), n in renames)
        ]
        st.mentions = select_mentions(kept)
        st.entities = self.resolve(st.mentions, st)
        return doc

    def _cut_fragments(self, st: DocState, cut_ends: list[int]) -> list[tuple[int, int]]:
        if not cut_ends:
            return []
        toks = st.tokens
        out = []
        for end in cut_ends:
            j = toks.at(end - 1)
            start = toks.starts[j]
            while j >= 0:
                t = toks.texts[j]
                if t[-1] in HARD_PUNCT or t in self.ont.boundary_words:
                    break
                start = toks.starts[j]
                j -= 1
            out.append((start, end))
        return out

    # -- keys -------------------------------------------------------------------------------
    def variants(self, m: Mention, place_prefixes: list[str], home: Home | None = None) -> set[str]:
        """The keys a mention's names are known by: two mentions sharing one are one thing."""
        ont = self.ont
        forms = {m.name, *m.aliases}
        if m.label in ont.lasting_types:  # 市十六届人大 / 市人大: a body outlasts its term
            forms |= {b for b in (ont.term_ordinal.sub("", f) for f in forms) if len(b) >= 2}
        out: set[str] = set()
        chain_heads = ont.heads.get("IndustryChain", ())
        relative = [r for r in (home.relative if home else ()) if len(r) == 1]
        for f in list(forms):
            f = norm_name(f)
            if not f:
                continue
            out.add(f)
            out.add(strip_bracketed(f))
            for lv in ont.graded_levels:  # 国家级/省级 X: the same thing at a stated level
                if f.startswith(lv) and len(f) - len(lv) >= 4:
                    out.add(f[len(lv) :])
            for n in range(2, min(len(f), 9) + 1):
                info = self.abbr.get(f[:n])
                if info is not None and not f.startswith(info["name"]):
                    out.add(info["name"] + f[n:])
            for long, short in ont.head_synonyms.items():  # 人民政府 / 政府
                if f.endswith(long):
                    out.add(f[: -len(long)] + short)
            for party in ont.party_prefixes:  # 中共浙江省委 / 浙江省委
                if f.startswith(party) and len(f) > len(party) + 2:
                    out.add(f[len(party) :])
            for g in [f, *(o for o in out if o != f and o.endswith(f[-2:]))]:
                # 中科院海洋所 → 中国科学院海洋所 → 中国科学院海洋研究所: expansions compose
                for short, full in ont.suffix_expansions.items():
                    if g.endswith(short) and not g.endswith(full):
                        out.add(g[: -len(short)] + full)
            if m.label == "IndustryChain":
                for suf in chain_heads:
                    if f.endswith(suf):
                        out.add(f[: -len(suf)] + "#chain")
                if not f.endswith(chain_heads):
                    out.add(f + "#chain")
            if m.label in PREFIX_DROP_TYPES and home is not None and relative:
                # 浙江省委 / 省委: the home region's name and its relative form (省, 市) are one
                for form in sorted({*out}, key=len, reverse=True):
                    for h in (home.name, home.short):
                        if form.startswith(h) and len(form) > len(h) + 1:
                            out.add(relative[0] + form[len(h) :].removeprefix(relative[0]))
                    if form.startswith(relative[0]) and len(form) > 2:
                        out.add(home.name + form[1:])
        return {o for o in out if o}

    def placed_variants(self, m: Mention, place_prefixes: list[str], home: Home | None) -> dict[str, str]:
        """Keys a name has without the place that opens it (文登海洋生物医药产业园 → 海洋生物医药产业园),
        with that place: they join it to the same name without a place, but two names with two
        different places stay two things (福州…产业园, 厦门…产业园)."""
        if m.label not in PREFIX_DROP_TYPES:
            return {}
        ont = self.ont
        relative = [r for r in (home.relative if home else ()) if len(r) == 1]
        out: dict[str, str] = {}
        for f in {norm_name(n) for n in (m.name, *m.aliases)}:
            for p in place_prefixes:
                if f.startswith(p) and len(f) - len(p) >= 4:
                    rest = f[len(p) :]
                    out.setdefault(rest, p)
                    for lv in (*ont.graded_levels, *relative, *ont.admin_prefixes):
                        # 山东半岛国家自主创新示范区 → 自主创新示范区: place, then level
                        if rest.startswith(lv) and len(rest) - len(lv) >= 4:
                            out.setdefault(rest[len(lv) :], p)
        return out

    def resolve(self, mentions: list[Mention], st: DocState) -> list[DocEntity]:
        places = {m.name for m in mentions if m.label == "Region" and len(m.name) >= 2}
        places |= {p for p in st.place_names if len(p) >= 2}
        place_prefixes = sorted(set(st.place_prefixes) | places, key=len, reverse=True)
        home = st.home
        # the same short name located in two different regions stays two things
        regions_of: dict[str, set[str]] = defaultdict(set)
        for m in mentions:
            if m.props.get("context_region"):
                regions_of[norm_name(m.name)].add(m.props["context_region"])
        parent = list(range(len(mentions)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        owner: dict[str, int] = {}
        placed: dict[str, list[tuple[int, str]]] = defaultdict(list)
        # a name recurs through a document: its keys are worked out once
        memo: dict[tuple, tuple[set[str], dict[str, str]]] = {}
        for i, m in enumerate(mentions):
            fam = _family(m.label)
            region = m.props.get("context_region") if len(regions_of.get(norm_name(m.name), ())) > 1 else ""
            key_of = (m.name, tuple(m.aliases), m.label)
            if key_of not in memo:
                memo[key_of] = (
                    self.variants(m, place_prefixes, home),
                    self.placed_variants(m, place_prefixes, home),
                )
            forms, placed_forms = memo[key_of]
            forms = set(forms)
            if home is not None and m.label == "Region" and m.props.get("place") == home.name:
                forms |= set(home.forms)  # 浙江 and 浙江省 are one place
            for v in forms:
                key = f"{fam}:{v}@{region}" if region else f"{fam}:{v}"
                if key in owner:
                    parent[find(i)] = find(owner[key])
                else:
                    owner[key] = i
            for v, place in placed_forms.items():
                placed[f"{fam}:{v}@{region}" if region else f"{fam}:{v}"].append((i, place))
        for key, found in placed.items():
            if len({place for _, place in found}) > 1:
                continue  # one name in two places: two things
            members = [i for i, _ in found] + ([owner[key]] if key in owner else [])
            for i in members[1:]:
                parent[find(i)] = find(members[0])
        groups: dict[int, list[Mention]] = defaultdict(list)
        for i, m in enumerate(mentions):
            groups[find(i)].append(m)
        entities: list[DocEntity] = []
        for ms in sorted(groups.values(), key=lambda g: g[0].start):
            if all(m.props.get("descriptive") for m in ms):
                continue  # only ever "…的X" / "一批X": a description, not a name
            ent = self._entity(f"e{len(entities) + 1}", ms)
            for m in ms:
                m.props["eid"] = ent.id
            entities.append(ent)
        return entities

    def _entity(self, eid: str, ms: list[Mention]) -> DocEntity:
        votes: Counter[str] = Counter()
        for m in ms:
            votes[m.label] += SOURCE_PRIORITY.get(m.source, 1)
        typ = votes.most_common(1)[0][0]
        names = [m.name for m in ms]
        etc = self.ont.list_etc  # "A等" is no name of A
        name = max(
            names, key=lambda n: (len(strip_bracketed(n)) if not any(w in n for w in etc) else 0, len(n))
        )
        official = [
            m.props["place"]
            for m in ms
            if m.label == typ == "Region" and m.props.get("adcode") and m.props.get("place") in names
        ]
        if official:
            name = official[0]  # a division written in full goes by that name (北京市, not 北京地区)
        aliases = {a for m in ms for a in (m.name, *m.aliases)} - {name}
        props: dict = {}
        for m in ms:
            for k, v in m.props.items():
                if k not in (
                    "head",
                    "context_region",
                    "nested_ok",
                    "eid",
                    "anchor",
                    "cue_start",
                    "ord",
                    "role",
                    "cue",
                    "descriptive",
                    "category",
                    "owner_of",
                    "place",
                    "zone",
                    "section",
                    "renames",
                ):
                    props.setdefault(k, v)
        return DocEntity(eid, typ, name, aliases, ms, props)


def _family(label: str) -> str:
    # Chains and the bare forms of their names share one family so 碳纤维 (list item) and
    # 碳纤维产业链 meet; other types resolve only within their own type.
    return label


@Language.factory("ikg_entities", default_config={"ontology_dir": str(DEFAULT_ONTOLOGY_DIR)})
def make_entities(nlp: Language, name: str, ontology_dir: str) -> EntityResolver:
    return EntityResolver(load_ontology(ontology_dir))
