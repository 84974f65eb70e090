"""Relations from cue words inside sentences and from document structure.

Every rule is a plain function ``rule(ctx) -> list[RelationCandidate]`` over the annotated Doc;
the component runs them all and keeps the candidates (deduplicated later, per entity pair).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.language import Language
from spacy.tokens import Doc

from ingest.components.context import ACTOR_TYPES, ORG_TYPES, DocContext
from ingest.doc_ext import RelationCandidate, ensure_extensions
from ingest.ontology import DEFAULT_ONTOLOGY_DIR, Ontology, load_ontology
from ingest.records import Mention
from ingest.text import CN_DIGITS

Rule = Callable[[DocContext, Ontology], list[RelationCandidate]]
PLACE_TYPES = {"Region", "Park", "Platform", "InnovationSystem"}


def _rel(typ: str, src: Mention, dst: Mention, ctx: DocContext, rule: str, **props) -> RelationCandidate:
    s = ctx.sentence_of(dst if dst.start > src.start else src)
    return RelationCandidate(
        typ, src, dst, s.index if s else -1, {k: v for k, v in props.items() if v is not None}, rule
    )


# -- chains and clusters ----------------------------------------------------------------------
def chain_scope(ctx: DocContext, pos: int) -> Mention | None:
    s = ctx.sentence_of(pos)
    if s is None:
        return None
    in_cluster = ctx.cluster_of(s.path) is not None
    if in_cluster and ctx.in_box(s.path):
        pc = ctx.paragraph_chain(s.paragraph)
        if pc is not None:
            return pc
    chains = [c for c in ctx.in_sentence(s, {"IndustryChain"}) if c.source == "names"]
    if chains:
        after = [c for c in chains if c.start >= pos]
        return after[0] if after else chains[-1]
    if in_cluster:
        cluster = ctx.cluster_of(s.path)
        return ctx.chain_named_like(cluster) if cluster else None
    return None


def rule_part_of_cluster(ctx: DocContext, ont: Ontology) -> list[RelationCandidate]:
    out = []
    for m in ctx.actors:
        if m.label != "IndustryChain":
            continue
        s = ctx.sentence_of(m)
        cluster = ctx.cluster_of(s.path) if s else None
        if cluster is not None:
            out.append(_rel("PART_OF_CLUSTER", m, cluster, ctx, "section"))
    return out


def rule_chain_items(ctx: DocContext, ont: Ontology) -> list[RelationCandidate]:
    out = []
    for m in ctx.actors:
        if m.label != "ChainLink":
            continue
        role = m.props.get("role")
        anchor = m.props.get("anchor", m.start) if role == "link" else m.props.get("cue_start", m.start)
        chain = chain_scope(ctx, anchor)
        if chain is None:
            continue
        if role == "link":
            out.append(_rel("HAS_LINK", chain, m, ctx, "chain-list", ord=m.props.get("ord")))
        else:
            out.append(_rel("LACKS", chain, m, ctx, "lack-cue", cue=m.props.get("cue")))
    return out


def rule_supports(ctx: DocContext, ont: Ontology) -> list[RelationCandidate]:
    """Actors named in a cluster's section support that cluster, or the chain of their 专栏 item."""
    out = []
    for m in ctx.actors:
        if m.label not in ACTOR_TYPES:
            continue
        s = ctx.sentence_of(m)
        if s is None:
            continue
        cluster = ctx.cluster_of(s.path)
        if cluster is None:
            continue
        if re.search(r"与\S{0,2}$", ctx.text[max(0, m.start - 3) : m.start]):
            continue  # "推动与X合作": a partner, not a supporter
        target: Mention | None = cluster
        if ctx.in_box(s.path):
            target = ctx.paragraph_chain(s.paragraph) or cluster
        out.append(_rel("SUPPORTS", m, target, ctx, "cluster-section"))
    # "打造<园区>,…构建A、B等产业链": the place a sentence builds supports the chains it builds
    for s in ctx.sentences:
        if ctx.cluster_of(s.path) is not None:
            continue
        ms = ctx.in_sentence(s)
        chains = [c for c in ms if c.label == "IndustryChain"]
        places = [p for p in ms if p.label == "Park"]
        if chains and places and places[0].start < chains[0].start:
            for c in chains:
                out.append(_rel("SUPPORTS", places[0], c, ctx, "builds-chains"))
    return out


# -- places -----------------------------------------------------------------------------------
def rule_located_in(ctx: DocContext, ont: Ontology) -> list[RelationCandidate]:
    out = []
    regions = [m for m in ctx.mentions if m.label == "Region"]
    by_name: dict[str, Mention] = {}
    for r in regions:
        for n in (r.name, *r.aliases):
            by_name.setdefault(n, r)
            short = re.sub(r"(市|省|县|区)$", "", n)
            if len(short) >= 2:
                by_name.setdefault(short, r)
    home = {ctx.meta.get("home_city"), ctx.meta.get("home_short")}
    prefixes = [p for p in ctx.meta.get("_place_prefixes", []) if p not in home]
    for m in ctx.actors:
        if m.label not in ACTOR_TYPES:
            continue
        # "<区>重点依托A、B等"
        region_name = m.props.get("context_region")
        if region_name and region_name in by_name:
            out.append(_rel("LOCATED_IN", m, by_name[region_name], ctx, "region-relies-on"))
            continue
        # a district prefix in the name: 文登海洋生物医药产业园 → 文登区
        for p in prefixes:
            if m.name.startswith(p) and len(m.name) > len(p) + 2:
                r = by_name.get(p) or next(
                    (by_name[n] for n in by_name if n.startswith(p) and len(n) <= len(p) + 1), None
                )
                if r is not None:
                    out.append(_rel("LOCATED_IN", m, r, ctx, "name-prefix"))
                break
        # a campus qualifier: 山东大学(威海)
        q = re.search(r"\(([^()]{2,6})\)$", m.name)
        if m.label == "University" and q and q.group(1) in by_name:
            out.append(_rel("LOCATED_IN", m, by_name[q.group(1)], ctx, "campus"))
    # "A、B落户威海" / "支持<区>创建<园区>"
    for s in ctx.sentences:
        text = ctx.text[s.start : s.end]
        for cue in ont.cues["located_in"]:
            for k in re.finditer(cue, text):
                pos = s.start + k.start()
                after = [r for r in ctx.within(pos + len(cue), pos + len(cue) + 6, {"Region"})]
                before = [a for a in ctx.within(s.start, pos, ACTOR_TYPES)]
                if after and before:
                    for a in before:
                        out.append(_rel("LOCATED_IN", a, after[0], ctx, "cue"))
        for k in re.finditer(r"支持(\S{1,4}?)(创建|建设)", text):
            r = ctx.within(s.start + k.start(1), s.start + k.end(1), {"Region"})
            parks = [p for p in ctx.within(s.start + k.end(), s.end, {"Park"})]
            if r and parks:
                out.append(_rel("LOCATED_IN", parks[0], r[0], ctx, "supports-region-build"))
    return out


def rule_based_on(ctx: DocContext, ont: Ontology) -> list[RelationCandidate]:
    out = []
    core = "|".join(ont.cues["based_on_core"])
    pattern = re.compile(rf"以([^,，。;；]{{2,40}}?)({core})")
    for s in ctx.sentences:
        text = ctx.text[s.start : s.end]
        ms = ctx.in_sentence(s)
        subject = ms[0] if ms and ms[0].start == s.start and ctx.text.startswith("以", ms[0].end) else None
        for k in pattern.finditer(text):
            carriers = ctx.within(s.start + k.start(1), s.start + k.end(1))
            carriers = [c for c in carriers if c.label in ACTOR_TYPES | {"Region"}]
            if not carriers:
                continue
            target = subject
            if target is None:
                before = ctx.text[max(s.start, s.start + k.start() - 1) : s.start + k.start()]
                prev = [m for m in ms if m.end in (s.start + k.start(), s.start + k.start() - 1)]
                if prev and before in ("", ",", "，"):
                    target = prev[-1]
            if target is None:
                after = [m for m in ms if m.start >= s.start + k.end() and m.label in PLACE_TYPES | {"Lab"}]
                build = re.search("|".join(ont.cues["builds"]), text[k.end() :])
                if after and build:
                    target = after[0]
            if target is None or target.label in {"IndustryChain", "IndustryCluster"}:
                continue
            for c in carriers:
                if c is not target:
                    out.append(_rel("BASED_ON", c, target, ctx, "以X为核心"))
        # "依托A、B等…,…打造Y" outside cluster sections
        if ctx.cluster_of(s.path) is None:
            for k in re.finditer("依托", text):
                rest = text[k.end() :]
                clause = re.search(r"[,，]", rest)
                if not clause:
                    continue
                carriers = ctx.within(
                    s.start + k.end(), s.start + k.end() + clause.start(), ACTOR_TYPES | {"Region"}
                )
                build = re.search("|".join(ont.cues["builds"]), rest[clause.start() :])
                if not carriers or not build:
                    continue
                tpos = s.start + k.end() + clause.start() + build.end()
                targets = [m for m in ms if m.start >= tpos and m.label in {"Region", "Park", "Platform"}]
                if targets:
                    for c in carriers:
                        out.append(_rel("BASED_ON", c, targets[0], ctx, "依托X打造Y"))
    return out


# -- counted systems ----------------------------------------------------------------------------
ROLE_MARKER = re.compile(r"“([^“”]{1,6})”")


def rule_member_of(ctx: DocContext, ont: Ontology) -> list[RelationCandidate]:
    out = []
    systems = [m for m in ctx.mentions if m.label == "InnovationSystem" and m.props.get("roles")]
    role_nouns: dict[str, tuple[Mention, str]] = {}
    for s in ctx.sentences:
        text = ctx.text[s.start : s.end]
        here = [m for m in systems if s.start <= m.start < s.end]
        # "“一核”即X": the definition of a role
        for k in re.finditer(r"“([^“”]{1,6})”即", text):
            role = k.group(1)
            owner = next((m for m in systems if role in m.props["roles"]), None)
            if owner is None:
                continue
            for x in ctx.within(s.start + k.end(), s.end):
                if x.label not in {"InnovationSystem", "ChainLink"} and x is not owner:
                    out.append(_rel("MEMBER_OF", x, owner, ctx, "即", role=role))
        for sysm in here:
            roles = sysm.props["roles"]
            # role markers in the sentence: “1院”引导 / 为“引擎” / 为“轴”
            prev_end = s.start
            for k in ROLE_MARKER.finditer(text):
                ks, ke = s.start + k.start(), s.start + k.end()
                if sysm.start <= ks < sysm.end:
                    prev_end = ke
                    continue
                marker = k.group(1)
                role = _match_role(marker, roles)
                if role is None:
                    continue
                noun = marker.lstrip("0123456789" + CN_DIGITS)
                if noun:
                    role_nouns[role] = (sysm, noun)
                for x in _role_holders(ctx, s, prev_end, ks, noun):
                    out.append(_rel("MEMBER_OF", x, sysm, ctx, "role-marker", role=role))
                prev_end = ke
            # a role named by its char in a member's name: “一城三核…” and 国际海洋科技城
            for role in roles:
                char = role[-1]
                if role[0] in CN_DIGITS + "多" and len(role) == 2:
                    for x in ctx.in_sentence(s, ACTOR_TYPES):
                        if x.name.endswith(char) and x.start < sysm.start:
                            out.append(_rel("MEMBER_OF", x, sysm, ctx, "role-char", role=role))
    # "统筹A、B、C、D4大平台建设": a list whose count equals a declared role
    for role, (sysm, noun) in role_nouns.items():
        if not role.isdigit():
            continue
        for k in re.finditer(rf"(?<![0-9]){role}大{noun}", ctx.text):
            s = ctx.sentence_of(k.start())
            if s is None:
                continue
            items = [x for x in ctx.within(s.start, k.start(), ACTOR_TYPES)]
            if len(items) >= int(role):
                for x in items[-int(role) :]:
                    out.append(_rel("MEMBER_OF", x, sysm, ctx, "counted-list", role=role))
    return out


def _role_holders(ctx: DocContext, s, start: int, marker_start: int, noun: str) -> list[Mention]:
    """Who a role marker names: “1院” → the 院 named before it in the sentence; “轴” or “4” → the
    actors of the clause that ends at the marker ("…党委、…党委为“轴”")."""
    actors = ACTOR_TYPES | {"GovAgency"}
    if noun:
        named = [x for x in ctx.within(s.start, marker_start, actors) if x.name.endswith(noun)]
        if named:
            return named
    text = ctx.text
    clause = max(text.rfind(c, start, marker_start) for c in ",，;；") + 1
    return ctx.within(max(clause, start), marker_start, actors)


def _match_role(marker: str, roles: list[str]) -> str | None:
    for role in roles:
        num = re.match(rf"^([0-9N]+|[{CN_DIGITS}多]+)", marker)
        if num and num.group(1) == role:
            return role
        if not role[0].isdigit() and len(role) >= 2 and role[-1] in marker and not num:
            return role
    return None


# -- actors -----------------------------------------------------------------------------------
def rule_leads_participates(ctx: DocContext, ont: Ontology) -> list[RelationCandidate]:
    out = []
    builds = "|".join(ont.cues["builds"])
    targets_t = {"Lab", "Platform", "ResearchInstitute", "Incubator", "Park"}
    for s in ctx.sentences:
        text = ctx.text[s.start : s.end]
        ms = ctx.in_sentence(s)
        # 由A牵头B、C等…建设E
        k = re.search(r"由(.{2,40}?)牵头(.+?)(" + builds + ")", text)
        if k:
            leaders = ctx.within(s.start + k.start(1), s.start + k.end(1), ORG_TYPES)
            parts = ctx.within(s.start + k.start(2), s.start + k.end(2), ORG_TYPES)
            target = next((m for m in ms if m.start >= s.start + k.end() and m.label in targets_t), None)
            if leaders and target:
                out.append(_rel("LEADS", leaders[0], target, ctx, "由A牵头"))
                for p in parts:
                    out.append(_rel("PARTICIPATES_IN", p, target, ctx, "牵头…参与"))
        # 与A协同建设B / A共建B
        for k in re.finditer(r"(协同建设|联合建设|共同建设|共建|参与建设)", text):
            pos = s.start + k.start()
            before = [m for m in ms if m.end <= pos and m.label in ORG_TYPES]
            after = [m for m in ms if m.start >= s.start + k.end() and m.label in targets_t]
            if before and after and pos - before[-1].end <= 2:
                out.append(_rel("PARTICIPATES_IN", before[-1], after[0], ctx, "共建"))
        # 以A为…龙头 → A leads the topic of the paragraph or section
        for k in re.finditer(r"以(.{2,40}?)为[^,，。]{0,16}龙头", text):
            leaders = ctx.within(s.start + k.start(1), s.start + k.end(1), ORG_TYPES)
            topic = _topic(ctx, s)
            if leaders and topic is not None and topic is not leaders[0]:
                out.append(_rel("LEADS", leaders[0], topic, ctx, "为龙头"))
    return out


def _topic(ctx: DocContext, s) -> Mention | None:
    if s.index > 0:
        prev = ctx.sentences[s.index - 1]
        if prev.paragraph == s.paragraph:
            t = ctx.text[prev.start : prev.end]
            k = re.search(r"”即", t)
            if k:
                after = ctx.within(prev.start + k.end(), prev.end)
                if after:
                    return after[0]
    for sec in reversed(ctx.doc._.ikg_sections or []):
        if sec.start <= s.start and sec.title in s.path:
            found = ctx.within(sec.start, sec.end, {"Platform", "Park", "Lab", "ResearchInstitute"})
            return found[0] if found else None
    return None


def rule_cooperates(ctx: DocContext, ont: Ontology) -> list[RelationCandidate]:
    out = []
    home_names = {ctx.meta.get("home_city"), ctx.meta.get("home_short")}
    home = next(
        (
            m
            for m in ctx.mentions
            if m.label == "Region" and (m.name in home_names or set(m.aliases) & home_names)
        ),
        None,
    )
    for s in ctx.sentences:
        text = ctx.text[s.start : s.end]
        ms = ctx.in_sentence(s)
        for k in re.finditer(r"(?<![参给赋授])与(我市|我省)?", text):
            if not re.search(r"(合作|对接|共建)", text[k.end() : k.end() + 30]):
                continue
            pos = s.start + k.start()
            partner = (
                home
                if k.group(1) == "我市"
                else next((m for m in ms if m.start == s.start + k.end() and m.label in ORG_TYPES), None)
            )
            if partner is None:
                continue
            before = [
                m for m in ms if m.end <= pos and m.label in {"University", "ResearchInstitute", "Enterprise"}
            ]
            for a in before[-5:]:
                if a is not partner:
                    out.append(_rel("COOPERATES_WITH", a, partner, ctx, "与X合作"))
    # "A—B研究发展计划": a programme named after two partners
    entities_by_name = {}
    for m in ctx.mentions:
        if m.label in ORG_TYPES | {"Region"}:
            entities_by_name.setdefault(m.name, m)
            for a in m.aliases:
                entities_by_name.setdefault(a, m)
    for m in ctx.mentions:
        if m.label != "Program" or "—" not in m.name:
            continue
        left, right = m.name.split("—", 1)
        a = entities_by_name.get(left)
        b = next(
            (
                entities_by_name[n]
                for n in sorted(entities_by_name, key=len, reverse=True)
                if right.startswith(n) and len(n) >= 2
            ),
            None,
        )
        if a is not None and b is not None and a is not b:
            out.append(_rel("COOPERATES_WITH", a, b, ctx, "A—B计划"))
    return out


def rule_organizes(ctx: DocContext, ont: Ontology) -> list[RelationCandidate]:
    out = []
    cue = "|".join(ont.cues["organizes"])
    for s in ctx.sentences:
        text = ctx.text[s.start : s.end]
        for k in re.finditer(cue, text):
            pos = s.start + k.start()
            clause_start = max((x.end() for x in re.finditer(r"[,，;；]", text[: k.start()])), default=0)
            orgs = ctx.within(s.start + clause_start, pos, ORG_TYPES)
            clause_end = re.search(r"[,，;；。]", text[k.end() :])
            end = s.start + k.end() + (clause_end.start() if clause_end else len(text))
            events = ctx.within(s.start + k.end(), end, {"Event"})
            if orgs:
                for e in events:
                    out.append(_rel("ORGANIZES", orgs[-1], e, ctx, "举办"))
    return out


def rule_responsible_for(ctx: DocContext, ont: Ontology) -> list[RelationCandidate]:
    """Every unit in a measure's (责任单位:…) list is responsible for that measure."""
    out = []
    regions = ctx.meta.get("_marker_regions", [])
    for m in ctx.mentions:
        if m.label != "Measure":
            continue
        b0, b1 = m.props.get("block", (m.start, m.end))
        for r0, r1, _marker in regions:
            if b0 <= r0 < b1:
                for unit in ctx.within(r0, r1, ORG_TYPES | {"Region"}):
                    out.append(_rel("RESPONSIBLE_FOR", unit, m, ctx, "责任单位"))
    return out


RULES: list[Rule] = [
    rule_responsible_for,
    rule_part_of_cluster,
    rule_chain_items,
    rule_supports,
    rule_located_in,
    rule_based_on,
    rule_member_of,
    rule_leads_participates,
    rule_cooperates,
    rule_organizes,
]


class RelationFinder:
    def __init__(self, ont: Ontology) -> None:
        self.ont = ont

    def __call__(self, doc: Doc) -> Doc:
        ensure_extensions()
        ctx = DocContext(doc)
        found: list[RelationCandidate] = []
        for rule in RULES:
            found.extend(rule(ctx, self.ont))
        doc._.ikg_relations = found
        return doc


@Language.factory("ikg_relations", default_config={"ontology_dir": str(DEFAULT_ONTOLOGY_DIR)})
def make_relations(nlp: Language, name: str, ontology_dir: str) -> RelationFinder:
    return RelationFinder(load_ontology(ontology_dir))
