"""Cross-document entity resolution: deterministic ids, merges with reasons, the alias file honoured.

Every (document, local entity) is an *instance*. Instances of one label are merged (union-find) when
they share a normalised name, when one's name is the other's alias (two that share only an alias
stay apart), on a city-prefix form (青川科技局 = 青川市科技局 when the
alias file names 青川市 a home city; 市科技局 = 青川市科技局 in a document about 青川市), or an alias
file `merge:` group. Merges are refused when an alias file `split:` forbids them, when the two sides
lie in different regions (two 化工产业园 in two districts), or when one name is the other plus a
place qualifier (大学(青川) is a campus, not 大学). Every merge and refusal goes to the merge log.

Node ids are `<Label>:<normalised name>`; a name that two nodes share gets `@<region>` appended.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from itertools import pairwise
from typing import Any

from graph.aliases import AliasConfig, MergeRule
from graph.context import DocContext, document_city
from graph.merging import aliases_of
from graph.model import Node
from graph.names import display, normalize, strip_suffix_qualifier
from graph.regions import RegionHierarchy
from graph.schema import ENTITY_LABELS, NODE_SPECS
from graph.unionfind import Components

log = logging.getLogger(__name__)

# Link kinds in the order they are tried: exact names first, so an alias never decides against a name.
SAME_NAME = "same_name"
ALIAS_FILE = "alias_file"
SHARED_ALIAS = "shared_alias"
CITY_PREFIX = "city_prefix"
# Two things that only share an alias (1+N for two different 1+N systems, 蓝湾 for two firms) are not
# merged: an alias merges only when the other side uses it as its name. Logged for review.
ALIAS_ONLY = "kept_apart_alias_only"
_PRIORITY = {SAME_NAME: 0, ALIAS_FILE: 1, SHARED_ALIAS: 2, CITY_PREFIX: 3, ALIAS_ONLY: 4}
_NAMED = {"name", "city_name"}  # key kinds that come from an entity's own name

REFUSED_SPLIT = "refused_split_rule"
REFUSED_REGION = "refused_different_regions"
REFUSED_QUALIFIER = "refused_place_qualifier"
KEPT_APART = "kept_apart_by_region"
RULE_UNUSED = "alias_rule_not_applicable"

_BRANCH_SUFFIXES = ("校区", "分校", "分院", "院区")


# Bodies a plan names relative to its own city: 市科技局, 市产业技术研究院.
RELATIVE_TYPES = frozenset({"GovAgency", "ResearchInstitute", "Lab", "Platform"})


@dataclass
class MergeRecord:
    """One line of data/build/merge_log.jsonl."""

    label: str
    reason: str
    a: str
    b: str = ""
    key: str = ""
    docs: list[str] = field(default_factory=list)
    merged: bool = True
    detail: str = ""
    node_id: str = ""
    decision: str = ""  # the curation decision (data/curation.yaml) behind a merge reasoned "curation"

    def to_json(self) -> dict[str, Any]:
        record = asdict(self)
        if not self.decision:  # only curation merges have one
            del record["decision"]
        return record


@dataclass
class Instance:
    index: int
    ctx: DocContext
    local_id: str
    label: str
    name: str  # display form of the document's name
    shown: str  # name with a relative prefix completed (市科技局 → 青川市科技局)
    relative: bool
    aliases: list[str]
    props: dict[str, Any]
    mentions: list[dict[str, Any]]
    name_keys: set[str] = field(default_factory=set)
    keys: dict[str, str] = field(default_factory=dict)  # key → name | alias | city_name | city_alias
    regions: frozenset[str] = frozenset()


@dataclass
class Resolution:
    node_of: dict[tuple[int, str], str]  # (document index, local entity id) → node id
    nodes: dict[str, Node]
    mentions: dict[str, dict[str, list[dict[str, Any]]]]  # node id → doc id → mention evidence
    merges: list[MergeRecord]
    contexts: list[DocContext]


class Resolver:
    def __init__(self, extractions: list[dict[str, Any]], config: AliasConfig) -> None:
        self.extractions = extractions
        self.config = config
        self.contexts = [document_city(i, ex, config) for i, ex in enumerate(extractions)]
        self.instances: dict[str, list[Instance]] = defaultdict(list)
        # (doc index, local id) → Region-typed LOCATED_IN targets (local ids), and local id → type.
        self.located_in: dict[tuple[int, str], list[str]] = defaultdict(list)
        self.types: dict[tuple[int, str], str] = {}
        self.merges: list[MergeRecord] = []
        self.node_of: dict[tuple[int, str], str] = {}
        self.nodes: dict[str, Node] = {}
        self.mentions: dict[str, dict[str, list[dict[str, Any]]]] = {}
        self.hierarchy = RegionHierarchy()
        self.names: dict[tuple[int, str], str] = {}  # (doc index, local id) → entity name
        self._region_key_index: dict[str, str] = {}  # normalised Region name/alias → Region node id
        self._pending: list[tuple[MergeRecord, Instance]] = []  # records waiting for their node id
        self._refused: set[tuple[str, int, int, str]] = set()
        self.places: set[str] = set()  # normalised region names: what counts as a place qualifier
        # (full name, its prefixes longest first, bare) per home city: worked out once, not per key
        self._home_forms = [(normalize(c.name), c.forms(), c.bare) for c in config.home_cities]
        self._collect()

    # --- instances and their keys -----------------------------------------------------------------

    def _collect(self) -> None:
        index = 0
        for ctx, ex in zip(self.contexts, self.extractions, strict=True):
            for e in ex["entities"]:
                self.types[(ctx.doc_index, e["id"])] = e["type"]
                self.names[(ctx.doc_index, e["id"])] = e["name"]
                if e["type"] == "Region":
                    key = normalize(e["name"])
                    self.places |= {key, key.removesuffix("市").removesuffix("区").removesuffix("县")}
            for r in ex["relations"]:
                if r["type"] == "LOCATED_IN" and self.types.get((ctx.doc_index, r["dst"])) == "Region":
                    self.located_in[(ctx.doc_index, r["src"])].append(r["dst"])
            for e in ex["entities"]:
                self.instances[e["type"]].append(self._instance(index, ctx, e))
                index += 1

    def _instance(self, index: int, ctx: DocContext, e: dict[str, Any]) -> Instance:
        shown, relative = self._complete_relative(display(e["name"]), ctx, e["type"])
        inst = Instance(
            index,
            ctx,
            e["id"],
            e["type"],
            display(e["name"]),
            shown,
            relative,
            [display(a) for a in e["aliases"]],
            e["props"],
            e["mentions"],
        )
        forms = [(e["name"], "name")] + [(a, "alias") for a in e["aliases"]]
        for form, kind in forms:
            key = self._key(normalize(form), ctx, e["type"])
            if not key:
                continue
            inst.keys.setdefault(key, kind)
            city = self._city_form(key, ctx)
            if kind == "name":
                inst.name_keys.add(key)
            if city and city != key:
                inst.keys.setdefault(city, f"city_{kind}")
                if kind == "name":
                    inst.name_keys.add(city)
        return inst

    def _relative_prefix(self, key: str, typ: str) -> str:
        if typ not in RELATIVE_TYPES:
            return ""  # 市场销售 is a market, not something of the city
        for prefix in self.config.relative_prefixes:
            if key.startswith(prefix) and len(key) - len(prefix) >= 2:
                return prefix
        return ""

    def _key(self, key: str, ctx: DocContext, typ: str) -> str:
        """Matching key; a relative name is completed with the document's city or scoped to it."""
        prefix = self._relative_prefix(key, typ)
        if not prefix:
            return key
        rest = key[len(prefix) :]
        return ctx.city_key + rest if ctx.city_key else f"{key}#{ctx.doc_id}"

    def _complete_relative(self, name: str, ctx: DocContext, typ: str) -> tuple[str, bool]:
        prefix = self._relative_prefix(normalize(name), typ)
        if not prefix:
            return name, False
        if not ctx.city_key or not name.startswith(prefix):
            return name, True
        return ctx.city_display + name[len(prefix) :], True

    def _city_form(self, key: str, ctx: DocContext) -> str:
        """青川科技局 → 青川市科技局 for a home city 青川市 (and 科技局 too when the file says `bare`)."""
        for full, forms, bare in self._home_forms:
            if key.startswith(full):
                return key
            for form in forms:
                if form != full and key.startswith(form):
                    return full + key[len(form) :]
            if bare and ctx.city_key == full and not self._starts_with_place(key):
                return full + key
        return ""

    def _starts_with_place(self, key: str) -> bool:
        # Each prefix of the key looked up, not each known place tried: places grow with the corpus.
        return any(key[:n] in self.places for n in range(len(key) + 1))

    # --- regions ------------------------------------------------------------------------------------

    def _instance_regions(self, inst: Instance, phase_region: bool) -> frozenset[str]:
        """Regions an instance lies in: Region keys in the Region phase, Region node ids afterwards."""
        out = set()
        for target in self.located_in.get((inst.ctx.doc_index, inst.local_id), []):
            if phase_region:
                out.add(self._key(normalize(self.names[(inst.ctx.doc_index, target)]), inst.ctx, "Region"))
            elif (inst.ctx.doc_index, target) in self.node_of:
                out.add(self.node_of[(inst.ctx.doc_index, target)])
        city = self._city_region(inst.ctx, phase_region)
        if city and len(out) > 1:  # the document's own city is the least specific of several
            out.discard(city)
        return frozenset(out)

    def _city_region(self, ctx: DocContext, phase_region: bool) -> str:
        if not ctx.city_key:
            return ""
        if phase_region:
            return ctx.city_key
        return self._region_key_index.get(ctx.city_key, "")

    def _build_region_hierarchy(self) -> None:
        """Parents of each Region node: LOCATED_IN between regions, and each document's city."""
        for node in self.nodes.values():
            if node.label == "Region":
                for form in [node.name, *node.aliases]:
                    self._region_key_index.setdefault(normalize(form), node.id)
        for (doc_index, src), targets in self.located_in.items():
            src_id = self.node_of.get((doc_index, src))
            if self.types.get((doc_index, src)) != "Region" or src_id is None:
                continue
            for t in targets:
                if (doc_index, t) in self.node_of:
                    self.hierarchy.add(src_id, self.node_of[(doc_index, t)])
        for ctx in self.contexts:
            city = self._region_key_index.get(ctx.city_key)
            if not city:
                continue
            for e in self.extractions[ctx.doc_index]["entities"]:
                node_id = self.node_of.get((ctx.doc_index, e["id"]))
                if e["type"] == "Region" and node_id:
                    self.hierarchy.add(node_id, city)

    # --- resolution per label -----------------------------------------------------------------------

    def run(self) -> Resolution:
        self._resolve_label("Region", phase_region=True)
        self._build_region_hierarchy()
        for label in ENTITY_LABELS:
            if label != "Region":
                self._resolve_label(label, phase_region=False)
        return Resolution(self.node_of, self.nodes, self.mentions, self.merges, self.contexts)

    def _resolve_label(self, label: str, phase_region: bool) -> None:
        instances = self.instances.get(label, [])
        if not instances:
            for rule in self.config.merges:
                if rule.label == label:
                    self.merges.append(
                        MergeRecord(label, RULE_UNUSED, rule.names[0], merged=False, detail=rule.why)
                    )
            return
        if NODE_SPECS[label].region_scoped:
            for inst in instances:
                inst.regions = self._instance_regions(inst, phase_region)
            self._qualify_ambiguous(label, instances)
        comps = Components((i.index, i.name_keys, i.regions) for i in instances)
        by_index = {i.index: i for i in instances}
        for kind, key, a, b in self._links(instances):
            self._try_union(comps, by_index[a], by_index[b], kind, key)
        self._apply_rules(label, instances, comps)
        self._make_nodes(label, comps, by_index)

    def _qualify_ambiguous(self, label: str, instances: list[Instance]) -> None:
        """A key used in several specific regions becomes one key per region (化工产业园@东湖区)."""
        holders: dict[str, list[Instance]] = defaultdict(list)
        for inst in instances:
            for key in inst.keys:
                holders[key].append(inst)
        for key, group in sorted(holders.items()):
            regions = self.hierarchy.specific(set().union(*(i.regions for i in group)))
            if len(regions) < 2:
                continue
            self.merges.append(
                MergeRecord(
                    label,
                    KEPT_APART,
                    group[0].name,
                    key=key,
                    merged=False,
                    docs=sorted({i.ctx.doc_id for i in group}),
                    detail="lies in " + ", ".join(sorted(self._region_name(r) for r in regions)),
                )
            )
            for inst in group:
                own = self.hierarchy.specific(inst.regions)
                if len(own) == 1:
                    qualified = f"{key}@{next(iter(own))}"
                    inst.keys[qualified] = inst.keys.pop(key)
                    if key in inst.name_keys:
                        inst.name_keys.discard(key)
                        inst.name_keys.add(qualified)

    def _region_name(self, region: str) -> str:
        node = self.nodes.get(region)
        return node.name if node else region

    def _links(self, instances: list[Instance]) -> list[tuple[str, str, int, int]]:
        holders: dict[str, list[Instance]] = defaultdict(list)
        for inst in instances:
            for key in inst.keys:
                holders[key].append(inst)
        links = []
        for key, group in holders.items():
            # Each member to the first and to its predecessor: one refused pair must not strand the rest.
            kind_of = {m.index: m.keys[key] for m in group}
            order = [m.index for m in group]
            pairs = {(order[0], m) for m in order[1:]} | set(pairwise(order))
            for x, y in pairs:
                links.append((_link_kind(kind_of[x], kind_of[y]), key, x, y))
        links.sort(key=lambda link: (_PRIORITY[link[0]], link[1], link[2], link[3]))
        return links

    def _try_union(
        self, comps: Components, a: Instance, b: Instance, kind: str, key: str, why: str = ""
    ) -> bool:
        ra, rb = comps.find(a.index), comps.find(b.index)
        if ra == rb:
            return True
        if kind == ALIAS_ONLY:
            refusal: tuple[str, str] | None = (ALIAS_ONLY, f"both use {key} only as an alias")
        else:
            refusal = self._refusal(comps, ra, rb, a.label, forced=kind == ALIAS_FILE)
        if refusal:
            seen = (a.label, min(ra, rb), max(ra, rb), refusal[0])
            if seen in self._refused:  # the same two components, met again through another key
                return False
            self._refused.add(seen)
        record = MergeRecord(
            a.label, kind, a.shown, b.shown, key=key, docs=sorted({a.ctx.doc_id, b.ctx.doc_id}), detail=why
        )
        self.merges.append(record)
        self._pending.append((record, a))
        if refusal:
            detail = refusal[1] if kind == ALIAS_ONLY else f"{kind}: {refusal[1]}"
            record.reason, record.detail, record.merged = refusal[0], detail, False
            return False
        comps.union(ra, rb)
        return True

    def _refusal(
        self, comps: Components, ra: int, rb: int, label: str, forced: bool
    ) -> tuple[str, str] | None:
        names_a, names_b = comps.names[ra], comps.names[rb]
        for rule in self.config.splits:
            if rule.label != label:
                continue
            one = normalize(rule.name)
            others = {normalize(o) for o in rule.others}
            if (one in names_a and names_b & others) or (one in names_b and names_a & others):
                return REFUSED_SPLIT, rule.why
        if forced:  # an analyst's merge overrides the heuristics below, not a split
            return None
        if NODE_SPECS[label].region_scoped and comps.regions[ra] and comps.regions[rb]:
            joint = self.hierarchy.specific(comps.regions[ra] | comps.regions[rb])
            if len(joint) > 1:
                return REFUSED_REGION, "lies in " + ", ".join(sorted(self._region_name(r) for r in joint))
        for x, y in ((names_a, names_b), (names_b, names_a)):
            for name in x:
                head = strip_suffix_qualifier(name)
                if head and head in y and self._is_place_qualifier(name[len(head) + 1 : -1]):
                    return REFUSED_QUALIFIER, f"{name} is a branch of {head}"
        return None

    def _is_place_qualifier(self, inner: str) -> bool:
        return inner in self.places or inner.endswith(_BRANCH_SUFFIXES)

    def _apply_rules(self, label: str, instances: list[Instance], comps: Components) -> None:
        for rule in self.config.merges:
            if rule.label != label:
                continue
            wanted = {normalize(n) for n in rule.names}
            found = [i for i in instances if wanted & set(i.keys)]
            if not found:
                self.merges.append(
                    MergeRecord(label, RULE_UNUSED, rule.names[0], merged=False, detail=rule.why)
                )
                continue
            for inst in found[1:]:
                self._try_union(comps, found[0], inst, ALIAS_FILE, "|".join(rule.names), why=rule.why)
            comps.rules[comps.find(found[0].index)] = rule

    # --- nodes -----------------------------------------------------------------------------------------

    def _make_nodes(self, label: str, comps: Components, by_index: dict[int, Instance]) -> None:
        drafts = []
        for root, members in sorted(comps.groups().items()):
            group = [by_index[m] for m in sorted(members)]
            name = self._display_name(group, comps.rules.get(root))
            regions = self.hierarchy.specific(comps.regions.get(root, set()))
            region = next(iter(regions)) if len(regions) == 1 else ""
            drafts.append((f"{label}:{normalize(name)}", name, region, group))
        base_count: dict[str, int] = defaultdict(int)
        for base, *_ in drafts:
            base_count[base] += 1
        used: set[str] = set()
        for base, name, region, group in drafts:
            node_id = base
            if base_count[base] > 1 and region:
                node_id = f"{base}@{normalize(self._region_name(region))}"
            n = 2
            while node_id in used:  # still shared (e.g. two region-less nodes kept apart by a split)
                node_id, n = f"{base}#{n}", n + 1
            used.add(node_id)
            self._add_node(node_id, label, name, region, group)
        for record, inst in self._pending:
            record.node_id = self.node_of[(inst.ctx.doc_index, inst.local_id)]
        self._pending.clear()

    def _display_name(self, group: list[Instance], rule: MergeRule | None) -> str:
        if rule is not None:
            return display(rule.names[0])
        counts: dict[str, int] = defaultdict(int)
        for inst in group:
            counts[inst.shown] += 1
        relative = {inst.shown for inst in group if inst.relative}
        # Most documents first, then a name written out in full, then the fullest (longest) form.
        return min(counts, key=lambda s: (-counts[s], s in relative, -len(s), s))

    def _add_node(self, node_id: str, label: str, name: str, region: str, group: list[Instance]) -> None:
        props: dict[str, Any] = {}
        for inst in group:  # first document wins; later ones only fill gaps
            for k, v in inst.props.items():
                props.setdefault(k, v)
        if label == "InnovationSystem":
            _derive_declared_total(props)
        if region:
            props["region"] = self._region_name(region)
        aliases = aliases_of(name, [form for i in group for form in [i.name, i.shown, *i.aliases]])
        docs = list(dict.fromkeys(inst.ctx.doc_id for inst in group))
        self.nodes[node_id] = Node(node_id, label, name, aliases, props, docs)
        mentions: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for inst in group:
            self.node_of[(inst.ctx.doc_index, inst.local_id)] = node_id
            mentions[inst.ctx.doc_id].extend(inst.mentions)
        self.mentions[node_id] = dict(mentions)


def _link_kind(x: str, y: str) -> str:
    if x not in _NAMED and y not in _NAMED:
        return ALIAS_ONLY
    if x == y == "name":
        return SAME_NAME
    return CITY_PREFIX if x.startswith("city") or y.startswith("city") else SHARED_ALIAS


def _derive_declared_total(props: dict[str, Any]) -> None:
    """declared_total: given, or the sum of the declared per-role counts ("declared 17, named 4")."""
    declared = props.get("declared")
    if "declared_total" not in props and isinstance(declared, dict):
        counts = [v for v in declared.values() if isinstance(v, int) and not isinstance(v, bool)]
        if counts:
            props["declared_total"] = sum(counts)


def resolve(extractions: list[dict[str, Any]], config: AliasConfig) -> Resolution:
    """Resolve validated extractions (graph/validate.py output) into nodes; see the module docstring."""
    resolution = Resolver(extractions, config).run()
    merged = sum(1 for m in resolution.merges if m.merged)
    log.info(
        "resolution: %d nodes, %d merges, %d kept apart",
        len(resolution.nodes),
        merged,
        len(resolution.merges) - merged,
    )
    return resolution
