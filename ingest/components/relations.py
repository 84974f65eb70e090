"""Relations from cue words inside sentences, from names and from document structure.

Every rule is a plain function ``rule(ctx) -> list[RelationCandidate]`` over the annotated document;
the component runs them all and keeps the candidates (deduplicated later, per entity pair). Where a
sentence has no written subject, the document's home region is its subject (深化与X合作 →
COOPERATES_WITH(home, X); 办好X → ORGANIZES(home, X)). Cue words come from cues.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.language import Language
from spacy.tokens import Doc

from ingest.components.automata import WordAutomaton
from ingest.components.context import ACTOR_TYPES, LOCATABLE, ORG_TYPES, DocContext
from ingest.components.places import county_short_ok
from ingest.numerals import to_int
from ingest.ontology import DEFAULT_ONTOLOGY_DIR, Ontology, load_ontology, short_form
from ingest.records import Mention
from ingest.state import RelationCandidate, Sentence, state_of
from ingest.text import CN_DIGITS, alternation

Rule = Callable[[DocContext], list[RelationCandidate]]
CLAUSE_PUNCT = re.compile(r"[,，;；。:：!?！？]")
PLACE_TYPES = {"Region", "Park", "Platform", "InnovationSystem"}
PARTNER_TYPES = ORG_TYPES | {"Region", "Park"}


def _rel(typ: str, src: Mention, dst: Mention, ctx: DocContext, rule: str, **props) -> RelationCandidate:
    s = ctx.sentence_of(dst if dst.start > src.start else src)
    return RelationCandidate(
        typ, src, dst, s.index if s else -1, {k: v for k, v in props.items() if v is not None}, rule
    )


def _clause_start(text: str, start: int, pos: int) -> int:
    """Start of the clause holding ``pos`` within a sentence starting at ``start``."""
    found = [m.end() for m in CLAUSE_PUNCT.finditer(text, start, pos)]
    return found[-1] if found else start


def _clause_end(text: str, pos: int, end: int) -> int:
    m = CLAUSE_PUNCT.search(text, pos, end)
    return m.start() if m else end


# -- places -------------------------------------------------------------------------------------
def _outward(ont, name: str, abbreviations: set[str]) -> bool:
    """Whether a name sells its place elsewhere: 出海, 出境, or 出 + a province's abbreviation."""
    if any(w in name for w in ont.outward_words):
        return True
    k = name.find(ont.outward_verb, 1)
    return k != -1 and name[k + 1 : k + 2] in abbreviations


def rule_name_places(ctx: DocContext) -> list[RelationCandidate]:
    """A place in a name is where the named thing is (威海市产业技术研究院 → 威海市, 哈尔滨工业大学(威海) →
    威海, 省实验室 → the home province), unless it names an owner seated elsewhere (北京大学威海…)."""
    out = []
    # a country or a world region in a name is a partner or a brand (中国—东盟…论坛), not a seat
    admin = ("province", "city", "county")
    regions = sorted(
        (
            m
            for m in ctx.mentions
            if m.label == "Region" and m.props.get("kind") not in ctx.ont.elsewhere_kinds
        ),
        key=lambda m: (m.props.get("kind") not in admin, m.start),
    )
    by_form: dict[str, Mention] = {}
    for r in regions:
        for n in (r.name, *r.aliases):
            by_form.setdefault(n, r)
            short = short_form(n)
            # a new area is not named by its bare stem (天府 is the province's old name, not 天府新区)
            if short != n and county_short_ok(ctx.ont, short) and r.props.get("kind") != "new_area":
                by_form.setdefault(short, r)  # 青岛 names 青岛市 in 青川大学(青岛)
    home = ctx.home
    h = ctx.st.home
    abbreviations = tuple(h.abbreviations) if h else ()
    all_abbreviations = set(ctx.ont.province_abbreviations)
    forms = WordAutomaton({f: by_form[f] for f in by_form if len(f) >= 2})
    owner_heads = ctx.ont.owner_seat_heads
    orgs = {o.name for o in ctx.mentions if o.label in ORG_TYPES}
    for m in ctx.actors:
        if m.label not in LOCATABLE or (m.label == "Region" and m.source == "gazetteer"):
            continue
        name = m.name
        hits = [
            (k, e, r)
            for k, e, r in forms.all_matches(name)
            if r is not m and not (m.label == "Region" and k == 0 and e == len(name))
        ]
        found: list[tuple[int, Mention]] = []
        taken = -1
        for k, e, r in sorted(hits, key=lambda h: (h[0], h[0] - h[1])):
            if k >= taken:  # leftmost longest: 山东半岛… is in 山东半岛, not in 山东省
                found.append((k, r))
                taken = e
        # a place right after an organisation (北京大学|威海|海洋研究院, 教育部|重庆|高等研究院) is the
        # seat; else a place that opens the name (with any joined to it: 北京-雄安…); else a place
        # after a national prefix (中共北京市委); and a bracketed place (中国(北京)自贸区). A place
        # elsewhere in a name sells it rather than seats it (投资福建, 留学重庆行动)
        seated = [
            (k, r)
            for k, r in found
            if k > 0 and (name[:k].endswith(owner_heads) or (name[:k] in orgs and name[:k] != name))
        ]
        leading = [r for k, r in found if k == 0 or _joined_lead(ctx.ont, name, k)]
        bracket = [r for k, r in found if k > 0 and name[k - 1 : k] == "("]
        if seated:
            picked = [seated[0][1]]
        elif leading:
            picked = leading + bracket
        elif found and name[: found[0][0]].endswith(ctx.ont.national_prefixes):
            picked = [found[0][1], *bracket]  # a national body's local branch (国家超级智算成都中心)
        elif bracket:
            picked = bracket
        else:
            picked = []
        if (
            not picked
            and home is not None
            and abbreviations
            and name.startswith(abbreviations)
            and name[1:2] not in all_abbreviations  # 川藏走廊, 闽台…: two provinces, no seat
            and not _outward(ctx.ont, name, all_abbreviations)  # 渝企出海, 川品出川: sold elsewhere
        ):
            picked = [home]  # 闽政通, 渝超联赛: the province's abbreviation (省委, 市科技局 name no place)
        if name.endswith(ctx.ont.wide_area_heads):
            # 温州都市圈 holds 温州: an area named after its centre lies in a province at most
            picked = [r for r in picked if r.props.get("kind") == "province"]
        seen: set[int] = set()
        for r in picked:
            if id(r) in seen or r is m:
                continue
            seen.add(id(r))
            out.append(_rel("LOCATED_IN", m, r, ctx, "name-place"))
    return out


def _joined_lead(ont: Ontology, name: str, k: int) -> bool:
    """A second place joined to the first at a name's start (北京-雄安…, 通州区与北三县…)."""
    return k <= 6 and name[k - 1 : k] in ont.place_joiners


def rule_located_cues(ctx: DocContext) -> list[RelationCandidate]:
    """ "A、B落户威海", "X在川落地", "迁入雄安"; "<区>重点依托A、B"."""
    out = []
    text = ctx.text
    after = re.compile(alternation(ctx.ont.cue("located_in")))
    landing = re.compile(
        rf"(?:{alternation(ctx.ont.cue('lands_open'))})(?P<place>[^,，。;；]{{1,8}}?)(?:{alternation(ctx.ont.cue('lands'))})"
    )
    by_name = {}
    for r in ctx.mentions:
        if r.label == "Region":
            by_name.setdefault(r.props.get("place") or r.name, r)
    for s in ctx.sentences:
        for k in after.finditer(text, s.start, s.end):
            places = ctx.within(k.end(), min(s.end, k.end() + 8), {"Region"})
            clause = _clause_start(text, s.start, k.start())
            things = ctx.within(clause, k.start(), LOCATABLE - {"Region"})
            if places and things:
                for a in things:
                    out.append(_rel("LOCATED_IN", a, places[0], ctx, "cue"))
        for k in landing.finditer(text, s.start, s.end):
            place = _place_named(ctx, k.start("place"), k.end("place"))
            clause = _clause_start(text, s.start, k.start())
            # projects, firms and platforms land somewhere; a body's decisions do (党中央决策部署在X落地)
            things = ctx.within(clause, k.start(), LOCATABLE - {"Region", "GovAgency"})
            if place is not None:
                for a in things:
                    out.append(_rel("LOCATED_IN", a, place, ctx, "lands-in"))
    for m in ctx.actors:
        region_name = m.props.get("context_region")
        if region_name and region_name in by_name:
            out.append(_rel("LOCATED_IN", m, by_name[region_name], ctx, "region-relies-on"))
    return out


def _place_named(ctx: DocContext, start: int, end: int) -> Mention | None:
    """The Region named by text[start:end]: a mention there, or the home region's abbreviation (在川)."""
    found = ctx.within(start, end, {"Region"})
    if found:
        return found[0]
    h = ctx.st.home
    part = ctx.text[start:end]
    if h is not None and ctx.home is not None and (part in h.abbreviations or part in h.relative):
        return ctx.home
    return None


# -- the home region as the unwritten subject --------------------------------------------------
def _subject(ctx: DocContext, clause: int, cue: int, types: set[str]) -> Mention | None:
    """The written subject of a clause: the last entity of ``types`` before the cue, if the clause
    opens with it (adverbs and the like may stand between)."""
    found = ctx.within(clause, cue, types)
    if not found:
        return None
    first = found[0]
    lead = ctx.text[clause : first.start]
    if len(lead) > 6 or any(v in lead for v in ctx.ont.governing_verbs if len(v) >= 2):
        return None
    if lead.endswith(ctx.ont.cue("locative_before")):
        return None  # 将在|北京与…共同举办: a place after 在 is where, not who
    return found[-1]


def rule_organizes(ctx: DocContext) -> list[RelationCandidate]:
    """ "办好X", "成功举办X、Y", "X成功举办": the organiser is the clause's subject, or the home
    region."""
    out = []
    text = ctx.text
    cue = re.compile(alternation(ctx.ont.cue("organizes")))
    held = re.compile(alternation(ctx.ont.cue("organized")))
    for s in ctx.sentences:
        for k in held.finditer(text, s.start, s.end):
            clause = _clause_start(text, s.start, k.start())
            events = ctx.within(clause, k.start(), {"Event"})
            gap = text[events[-1].end : k.start()] if events else ""
            # "A、B等活动成功举办": what the list's 等 sums up stands between, no other word
            summed = gap.startswith(ctx.ont.list_etc) and len(gap) <= 5 and not CLAUSE_PUNCT.search(gap)
            if events and (len(gap) <= 2 or summed) and ctx.home is not None:
                for e in events:
                    out.append(_rel("ORGANIZES", ctx.home, e, ctx, "was-held"))
        for k in cue.finditer(text, s.start, s.end):
            end = _clause_end(text, k.end(), s.end)
            events = ctx.within(k.end(), end, {"Event"})
            if not events:
                continue
            clause = _clause_start(text, s.start, k.start())
            organiser = _subject(ctx, clause, k.start(), ORG_TYPES | {"Region"}) or ctx.home
            if organiser is None:
                continue
            for e in events:
                out.append(_rel("ORGANIZES", organiser, e, ctx, "organizes"))
    return out


def rule_cooperates(ctx: DocContext) -> list[RelationCandidate]:
    """ "深化与X、Y合作", "主动对接X", "A、B联动发展"; the subject is written or the home region."""
    out = []
    text = ctx.text
    ont = ctx.ont
    with_ = re.compile(alternation(ont.cue("cooperates_with")))
    coop = re.compile(alternation(ont.cue("cooperates")))
    joins = re.compile(alternation(ont.cue("cooperates_object")))
    linked = re.compile(alternation(ont.cue("cooperates_list")))
    for s in ctx.sentences:
        # 与X(、Y)…合作
        for k in with_.finditer(text, s.start, s.end):
            end = _clause_end(text, k.end(), s.end)
            c = coop.search(text, k.end(), end)
            if c is None or c.start() - k.end() > 2 * ont.cooperation_span:
                continue
            if c.start() - k.end() > ont.cooperation_span and _has_verb(ctx, k.end(), c.start()):
                continue  # a long stretch is one list of partners only when no verb stands in it
            partners = [p for p in ctx.within(k.end(), c.start(), PARTNER_TYPES)]
            clause = _clause_start(text, s.start, k.start())
            subject = _subject(ctx, clause, k.start(), PARTNER_TYPES) or ctx.home
            out.extend(_cooperations(ctx, subject, partners, "with-partner"))
        # 对接X / 携手X
        for k in joins.finditer(text, s.start, s.end):
            end = _clause_end(text, k.end(), s.end)
            partners = [p for p in ctx.within(k.end(), end, {"Region"})]
            if not partners or partners[0].start - k.end() > 4:
                continue
            clause = _clause_start(text, s.start, k.start())
            subject = _subject(ctx, clause, k.start(), PARTNER_TYPES) or ctx.home
            out.extend(_cooperations(ctx, subject, partners, "joins-partner"))
        # A、B联动发展
        for k in linked.finditer(text, s.start, s.end):
            clause = _clause_start(text, s.start, k.start())
            group = ctx.within(clause, k.start(), PARTNER_TYPES)
            between = text[group[-1].end : k.start()] if group else ""
            if len(group) >= 2 and len(between) <= 4:
                for i, a in enumerate(group):
                    for b in group[i + 1 :]:
                        if a.label == b.label or {a.label, b.label} <= {"Region", "Park"}:
                            out.append(_rel("COOPERATES_WITH", a, b, ctx, "linked-places"))
    return out


def _has_verb(ctx: DocContext, start: int, end: int) -> bool:
    toks = ctx.st.tokens
    k = toks.at(start)
    while k < len(toks) and toks.starts[k] < end:
        if toks.pos[k] == "v" and toks.texts[k] not in ctx.ont.name_verbs:
            return True
        k += 1
    return False


def _cooperations(
    ctx: DocContext, subject: Mention | None, partners: list[Mention], rule: str
) -> list[RelationCandidate]:
    if subject is None:
        return []
    out = []
    for p in partners:
        if p is subject or (ctx.is_home(subject) and (ctx.is_home(p) or ctx.in_home(p))):
            continue  # a region does not cooperate with itself or its own parts
        out.append(_rel("COOPERATES_WITH", subject, p, ctx, rule))
    return out


def rule_membership(ctx: DocContext) -> list[RelationCandidate]:
    """ "X、Y入选/纳入Z试点" → MEMBER_OF; "支持X、Y开展Z试点", "参加Z" → PARTICIPATES_IN."""
    out = []
    text = ctx.text
    ont = ctx.ont
    join = re.compile(alternation(ont.cue("member_of")))
    take_part = re.compile(alternation(ont.cue("participates_in")))
    targets = {"Program", "InnovationSystem"}
    for s in ctx.sentences:
        for k in join.finditer(text, s.start, s.end):
            end = _clause_end(text, k.end(), s.end)
            programs = ctx.within(k.end(), end, targets)
            clause = _clause_start(text, s.start, k.start())
            members = [
                m for m in ctx.within(clause, k.start(), {"Region", "Park", "Enterprise", "University"})
            ]
            if programs and members and k.start() - members[-1].end <= 2:
                for m in members:
                    out.append(_rel("MEMBER_OF", m, programs[0], ctx, "selected-for"))
        for k in take_part.finditer(text, s.start, s.end):
            end = _clause_end(text, k.end(), s.end)
            objects = ctx.within(k.end(), end, targets | {"Event", "Park", "Platform"})
            if not objects or objects[0].start - k.end() > 8:
                continue
            clause = _clause_start(text, s.start, k.start())
            doers = [m for m in ctx.within(clause, k.start(), {"Region"}) if not ctx.is_home(m)]
            if doers and k.start() - doers[-1].end <= 2:
                for d in doers:
                    out.append(_rel("PARTICIPATES_IN", d, objects[0], ctx, "carries-out"))
            elif k.group() in ont.cue("home_participates") and ctx.home is not None:
                for o in objects:
                    out.append(_rel("PARTICIPATES_IN", ctx.home, o, ctx, "home-takes-part"))
    # "推进成都X试点": a place right before a programme's name takes part in it
    for m in ctx.actors:
        if m.label != "Program":
            continue
        before = [r for r in ctx.within(max(0, m.start - 8), m.start, {"Region"}) if r.end == m.start]
        if before and not ctx.is_home(before[0]):
            out.append(_rel("PARTICIPATES_IN", before[0], m, ctx, "place-before-programme"))
    return out


# -- counted systems ----------------------------------------------------------------------------
ROLE_MARKER = re.compile(r"“([^“”]{1,6})”")


def rule_system_members(ctx: DocContext) -> list[RelationCandidate]:
    out = []
    text = ctx.text
    defines = re.compile(rf"“([^“”]{{1,6}})”(?:{alternation(ctx.ont.cue('member_roles_open'))})")
    systems = [m for m in ctx.mentions if m.label == "InnovationSystem" and m.props.get("roles")]
    role_nouns: dict[str, tuple[Mention, str]] = {}
    for s in ctx.sentences:
        here = [m for m in systems if s.start <= m.start < s.end]
        for k in defines.finditer(text, s.start, s.end):
            role = k.group(1)
            owner = next((m for m in systems if role in m.props["roles"]), None)
            if owner is None:
                continue
            for x in ctx.within(k.end(), s.end):
                if x.label not in {"InnovationSystem", "ChainLink"} and x is not owner:
                    out.append(_rel("MEMBER_OF", x, owner, ctx, "role-defined", role=role))
        for sysm in here:
            roles = sysm.props["roles"]
            prev_end = s.start
            for k in ROLE_MARKER.finditer(text, s.start, s.end):
                ks, ke = k.start(), k.end()
                if sysm.start <= ks < sysm.end:
                    prev_end = ke
                    continue
                role = _match_role(k.group(1), roles)
                if role is None:
                    continue
                noun = k.group(1).lstrip("0123456789" + CN_DIGITS)
                if noun:
                    role_nouns[role] = (sysm, noun)
                for x in _role_holders(ctx, s, prev_end, ks, noun):
                    out.append(_rel("MEMBER_OF", x, sysm, ctx, "role-marker", role=role))
                prev_end = ke
            for role in roles:
                char = role[-1]
                if role[0] in CN_DIGITS + ctx.ont.formula_numbers and len(role) == 2:
                    for x in ctx.in_sentence(s, ACTOR_TYPES):
                        if x.name.endswith(char) and x.start < sysm.start:
                            out.append(_rel("MEMBER_OF", x, sysm, ctx, "role-char", role=role))
    # within a system's paragraph: "以X为核心" holds its first role; "统筹A、B、C 3大平台" a count role
    core = re.compile(
        rf"(?:{alternation(ctx.ont.cue('based_on_open'))})(?P<items>[^,，。;；]{{2,40}}?)(?:{alternation(ctx.ont.cue('system_core'))})"
    )
    classifiers = "".join(ctx.ont.classifiers)
    for sysm in systems:
        s = ctx.sentence_of(sysm)
        if s is None:
            continue
        p = ctx.paragraphs[s.paragraph]
        roles = sysm.props["roles"]
        for k in core.finditer(text, p.start, p.end):
            for x in ctx.within(k.start("items"), k.end("items"), ACTOR_TYPES):
                out.append(_rel("MEMBER_OF", x, sysm, ctx, "system-core", role=roles[0]))
        for role in roles:
            if not role.isdigit() or role == roles[0]:
                continue
            for k in re.finditer(rf"(?<![0-9]){role}[{classifiers}]", text[p.start : p.end]):
                pos = p.start + k.start()
                clause = _clause_start(text, p.start, pos)
                items = ctx.within(clause, pos, ACTOR_TYPES)
                if len(items) == int(role):
                    for x in items:
                        out.append(_rel("MEMBER_OF", x, sysm, ctx, "counted-list", role=role))
    # "统筹A、B、C、D4大平台建设": a list whose count equals a declared role
    for role, (sysm, noun) in role_nouns.items():
        if not role.isdigit():
            continue
        for k in re.finditer(rf"(?<![0-9]){role}[{''.join(ctx.ont.classifiers)}]{noun}", text):
            s = ctx.sentence_of(k.start())
            if s is None:
                continue
            items = ctx.within(s.start, k.start(), ACTOR_TYPES)
            if len(items) >= int(role):
                for x in items[-int(role) :]:
                    out.append(_rel("MEMBER_OF", x, sysm, ctx, "counted-list", role=role))
    return out


def rule_counted_followers(ctx: DocContext) -> list[RelationCandidate]:
    """What a count announces and the text then lists, one by one, after it.

    "实施城市更新六大提升行动。…实施A提升行动…实施B提升行动": a counted programme's members are the
    programmes after it in its section whose names end with the words after its count, when at least
    two and no more than the count stand there. "“三城一区”联动…A科学城…B科学城…C科学城": a system's
    role of N things named by one character (三城) gets the actors after it in its sentence that end
    with that character, when exactly N do (one 区 among two candidates is not told apart)."""
    out = []
    classifiers = "".join(ctx.ont.count_classifiers)
    counted = re.compile(rf"(?P<n>[0-9]+|[{CN_DIGITS}]+)[{classifiers}](?P<tail>[\u4e00-\u9fff]{{2,8}})$")
    for m in ctx.mentions:
        if m.label != "Program" or (k := counted.search(m.name)) is None:
            continue
        n = to_int(k.group("n"))
        here = ctx.sentence_of(m)
        if n is None or n < 2 or here is None:
            continue
        tail = k.group("tail")
        if tail in ctx.ont.heads.get(m.label, ()):
            continue  # 十大行动: a bare head after the count would take in every programme
        members: dict[str, Mention] = {}
        for x in ctx.mentions:
            s = ctx.sentence_of(x)
            if (
                x.label == m.label
                and x.start >= m.end
                and s is not None
                and s.path == here.path
                and x.name.endswith(tail)
                and len(x.name) > len(tail)
                and counted.search(x.name) is None
            ):
                members.setdefault(x.name, x)
        if 2 <= len(members) <= n:
            out.extend(_rel("MEMBER_OF", x, m, ctx, "counted-followers") for x in members.values())
    for sysm in ctx.mentions:
        here = ctx.sentence_of(sysm)
        if sysm.label != "InnovationSystem" or here is None:
            continue
        for role in sysm.props.get("roles") or []:
            if len(role) != 2 or role[0] not in CN_DIGITS or (n := to_int(role[0])) is None:
                continue
            holders: dict[str, Mention] = {}
            for x in ctx.within(sysm.end, here.end, ACTOR_TYPES):
                if x.name.endswith(role[1]) and len(x.name) > 2:
                    holders.setdefault(x.name, x)
            if len(holders) == n:
                out.extend(
                    _rel("MEMBER_OF", x, sysm, ctx, "role-char-after", role=role) for x in holders.values()
                )
    return out


def _role_holders(ctx: DocContext, s: Sentence, start: int, marker_start: int, noun: str) -> list[Mention]:
    actors = ACTOR_TYPES | {"GovAgency"}
    if noun:
        named = [x for x in ctx.within(s.start, marker_start, actors) if x.name.endswith(noun)]
        if named:
            return named
    clause = _clause_start(ctx.text, start, marker_start)
    return ctx.within(max(clause, start), marker_start, actors)


def _match_role(marker: str, roles: list[str]) -> str | None:
    for role in roles:
        num = re.match(rf"^([0-9N]+|[{CN_DIGITS}]+)", marker)
        if num and num.group(1) == role:
            return role
        if not role[0].isdigit() and len(role) >= 2 and role[-1] in marker and not num:
            return role
    return None


# -- actors -------------------------------------------------------------------------------------
def rule_based_on(ctx: DocContext) -> list[RelationCandidate]:
    """ "以A、B为核心/依托/主要平台…建设Y", "依托A、B…打造Y", "在X试点探索基础上"."""
    out = []
    text = ctx.text
    ont = ctx.ont
    core = re.compile(
        rf"(?:{alternation(ont.cue('based_on_open'))})(?P<items>[^,，。;；]{{2,80}}?)(?:{alternation(ont.cue('based_on_core'))})"
    )
    builds = re.compile(alternation(ont.cue("builds")))
    relies = re.compile(alternation(ont.cue("based_on_verbs")))
    basis = re.compile(
        rf"(?:{alternation(ont.cue('lands_open'))})(?P<items>[^,，。;；]{{2,40}}?)(?:{alternation(ont.cue('based_on_basis'))})"
    )
    carriers_t = ACTOR_TYPES | {"Region", "Program"}
    for s in ctx.sentences:
        ms = ctx.in_sentence(s)
        for k in core.finditer(text, s.start, s.end):
            carriers = [c for c in ctx.within(k.start("items"), k.end("items")) if c.label in carriers_t]
            if not carriers:
                continue
            target = _topic_before(ctx, s, k.start(), ms)
            if target is None:
                after = [m for m in ms if m.start >= k.end() and m.label in PLACE_TYPES | {"Lab"}]
                if after and builds.search(text, k.end(), s.end):
                    target = after[0]
            if target is None or target.label in {"IndustryChain", "IndustryCluster"}:
                continue
            for c in carriers:
                if c is not target:
                    out.append(_rel("BASED_ON", c, target, ctx, "core-carrier"))
        for k in relies.finditer(text, s.start, s.end):
            clause_end = _clause_end(text, k.end(), s.end)
            carriers = ctx.within(k.end(), clause_end, ACTOR_TYPES | {"Region"})
            build = builds.search(text, clause_end, s.end)
            if not carriers or not build or ctx.cluster_of(s.path) is not None:
                continue
            targets = [
                m for m in ms if m.start >= build.end() and m.label in {"Region", "Park", "Platform", "Lab"}
            ]
            if targets:
                for c in carriers:
                    out.append(_rel("BASED_ON", c, targets[0], ctx, "relies-on"))
        for k in basis.finditer(text, s.start, s.end):
            carriers = ctx.within(k.start("items"), k.end("items"), carriers_t)
            target = _topic_before(ctx, s, k.start(), ms) or next(
                (m for m in ctx.within(s.start, s.start + 20) if m.label in carriers_t and m not in carriers),
                None,
            )
            if target is None and s.first_in_paragraph is False:
                prev = ctx.sentences[s.index - 1] if s.index else None
                target = (
                    ctx.in_sentence(prev, carriers_t)[0]
                    if prev and ctx.in_sentence(prev, carriers_t)
                    else None
                )
            for c in carriers:
                if target is not None and c is not target:
                    out.append(_rel("BASED_ON", c, target, ctx, "on-the-basis-of"))
    return out


def _topic_before(ctx: DocContext, s: Sentence, pos: int, ms: list[Mention]) -> Mention | None:
    """What a sentence is about when it opens with a name right before 以/在 (X建设以…为…)."""
    before = [m for m in ms if m.end <= pos and m.label not in {"ChainLink"}]
    if not before:
        return None
    first = before[0]
    # an article's marker (第十三条) opens the sentence's line but says nothing about its topic
    lead = ctx.text[max(s.start, ctx.st.floor(first.start)) : first.start].strip()
    gap = ctx.text[first.end : pos]
    if len(lead) <= 2 and len(gap) <= 6 and not CLAUSE_PUNCT.search(gap):
        return first
    prev = before[-1]
    if ctx.text[prev.end : pos] in ("", ",", "，"):
        return prev
    return None


def rule_leads(ctx: DocContext) -> list[RelationCandidate]:
    out = []
    text = ctx.text
    ont = ctx.ont
    builds = alternation(ont.cue("builds"))
    targets_t = {"Lab", "Platform", "ResearchInstitute", "Incubator", "Park"}
    led = re.compile(
        rf"(?:{alternation(ont.cue('led_by_open'))})(?P<lead>.{{2,40}}?)(?:{alternation(ont.cue('leads'))})(?P<part>.+?)(?:{builds})"
    )
    head = re.compile(
        rf"(?:{alternation(ont.cue('based_on_open'))})(?P<lead>.{{2,40}}?)(?:{alternation(ont.cue('leads_head_link'))})"
        rf"[^,，。]{{0,16}}(?:{alternation(ont.cue('leads_head'))})"
    )
    participates = re.compile(alternation(ont.cue("participates")))
    for s in ctx.sentences:
        ms = ctx.in_sentence(s)
        k = led.search(text, s.start, s.end)
        if k:
            leaders = ctx.within(k.start("lead"), k.end("lead"), ORG_TYPES)
            parts = ctx.within(k.start("part"), k.end("part"), ORG_TYPES)
            target = next((m for m in ms if m.start >= k.end() and m.label in targets_t), None)
            if leaders and target:
                out.append(_rel("LEADS", leaders[0], target, ctx, "led-by"))
                for p in parts:
                    out.append(_rel("PARTICIPATES_IN", p, target, ctx, "takes-part"))
        for k in participates.finditer(text[s.start : s.end]):
            pos = s.start + k.start()
            before = [m for m in ms if m.end <= pos and m.label in ORG_TYPES]
            after = [m for m in ms if m.start >= s.start + k.end() and m.label in targets_t]
            if before and after and pos - before[-1].end <= 2:
                out.append(_rel("PARTICIPATES_IN", before[-1], after[0], ctx, "builds-with"))
        for k in head.finditer(text, s.start, s.end):
            leaders = ctx.within(k.start("lead"), k.end("lead"), ORG_TYPES)
            topic = _topic_before(ctx, s, k.start(), ms) or _section_topic(ctx, s)
            if topic is None:
                continue
            for leader in leaders:
                if leader is not topic:
                    out.append(_rel("LEADS", leader, topic, ctx, "leader-of"))
    return out


def _section_topic(ctx: DocContext, s: Sentence) -> Mention | None:
    for sec in reversed(ctx.st.sections):
        if sec.start <= s.start and sec.title in s.path:
            found = ctx.within(
                sec.start, sec.end, {"Platform", "Park", "Lab", "ResearchInstitute", "IndustryCluster"}
            )
            return found[0] if found else None
    return None


# -- chains and clusters --------------------------------------------------------------------------
def chain_scope(ctx: DocContext, pos: int) -> Mention | None:
    """The chain a position is about: named in its sentence (the nearest after, else before), the
    chain its paragraph or its section heading names, or the chain named after its cluster."""
    s = ctx.sentence_of(pos)
    if s is None:
        return None
    if ctx.in_box(s.path):
        pc = ctx.paragraph_chain(s.paragraph)
        if pc is not None:
            return pc
    chains = [c for c in ctx.in_sentence(s, {"IndustryChain"}) if c.source in ("names", "quoted", "lists")]
    if chains:
        after = [c for c in chains if c.start >= pos]
        return after[0] if after else chains[-1]
    pc = ctx.paragraph_chain(s.paragraph)
    if pc is not None:
        return pc
    for title in reversed(s.path):
        sc = ctx.section_chain(title)
        if sc is not None:
            return sc
    cluster = ctx.cluster_of(s.path)
    return ctx.chain_named_like(cluster) if cluster else None


def rule_part_of_cluster(ctx: DocContext) -> list[RelationCandidate]:
    out = []
    for m in ctx.actors:
        if m.label != "IndustryChain":
            continue
        s = ctx.sentence_of(m)
        cluster = ctx.cluster_of(s.path) if s else None
        if cluster is not None:
            out.append(_rel("PART_OF_CLUSTER", m, cluster, ctx, "section"))
    return out


def rule_chain_items(ctx: DocContext) -> list[RelationCandidate]:
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


def rule_supports(ctx: DocContext) -> list[RelationCandidate]:
    """Actors named in a cluster's section support that cluster (or their box's chain); an actor a
    sentence builds "围绕/服务/支撑" a chain or cluster supports it; a park that builds chains supports
    them."""
    out = []
    text = ctx.text
    ont = ctx.ont
    partner = re.compile(rf"(?:{alternation(ont.cue('cooperates_with'))})\S{{0,2}}$")
    serve = re.compile(alternation(ont.cue("supports")))
    for m in ctx.actors:
        if m.label not in ACTOR_TYPES:
            continue
        s = ctx.sentence_of(m)
        if s is None:
            continue
        cluster = ctx.cluster_of(s.path)
        if cluster is None:
            continue
        if partner.search(text[max(0, m.start - 3) : m.start]):
            continue  # "推动与X合作": a partner, not a supporter
        target: Mention | None = cluster
        if ctx.in_box(s.path):
            target = ctx.paragraph_chain(s.paragraph) or cluster
        out.append(_rel("SUPPORTS", m, target, ctx, "cluster-section"))
    structures = {"IndustryChain", "IndustryCluster", "ChainLink"}
    for s in ctx.sentences:
        ms = ctx.in_sentence(s)
        chains = [c for c in ms if c.label in structures and c.props.get("role") != "lacks"]
        if not chains:
            continue
        if ctx.cluster_of(s.path) is not None:
            chains = [c for c in chains if c.label == "ChainLink"]  # the section gives the rest
        places = [p for p in ms if p.label == "Park"]
        if places and chains and places[0].start < chains[0].start:
            for c in chains:
                if c.label != "ChainLink":
                    out.append(_rel("SUPPORTS", places[0], c, ctx, "builds-chains"))
        # "P服务/支撑/围绕X": the actors of the clause serve the structures it names, a chain's
        # links included ("支撑碳化环节和预浸料环节")
        for k in serve.finditer(text, s.start, s.end):
            clause = _clause_start(text, s.start, k.start())
            end = _clause_end(text, k.end(), s.end)
            served = [c for c in chains if k.end() <= c.start < end]
            actors = [a for a in ctx.within(clause, end, ACTOR_TYPES | {"Program"}) if a not in served]
            for a in actors:
                for c in served:
                    out.append(_rel("SUPPORTS", a, c, ctx, "serves"))
    return out


def rule_member_lists(ctx: DocContext) -> list[RelationCandidate]:
    """Member lists of a working body: an annex "…领导小组成员名单" whose lines name 组长/成员 by
    their post (市科技局局长 → 市科技局), and "成员单位由A、B组成" → each a MEMBER_OF the body."""
    out = []
    text = ctx.text
    ont = ctx.ont
    roles = re.compile(rf"^\s*(?:{alternation(ont.cue('member_roles'))})\s*[:：]")
    units = re.compile(rf"(?:{alternation(ont.cue('member_units'))})")
    bodies = [m for m in ctx.mentions if m.label == "GovAgency" and m.props.get("head") in ont.body_heads]
    agencies = {"GovAgency", "Region"}
    body: Mention | None = None
    for p in ctx.paragraphs:
        line = text[p.body_start : p.end]
        if roles.match(line):
            body = next(
                (b for b in reversed(bodies) if b.end <= p.start and p.start - b.end < ont.member_list_span),
                None,
            )
        elif (
            body is None
            or len(line) > ont.member_line_max
            or any(c in line for c in ont.structure.sentence_end)
        ):
            body = None  # a list goes on over short lines without a sentence's end ("赵某 市财政局局长")
            continue
        if body is None:
            continue
        for m in ctx.within(p.body_start, p.end, agencies):
            if m is not body and m.props.get("head") not in ont.body_heads:
                out.append(_rel("MEMBER_OF", m, body, ctx, "member-list"))
    for s in ctx.sentences:
        for k in units.finditer(text, s.start, s.end):
            body = next((b for b in reversed(bodies) if b.end <= k.start() and b.start >= s.start), None)
            if body is None:
                body = next(
                    (b for b in reversed(bodies) if b.end <= k.start() and k.start() - b.end < 200), None
                )
            if body is None:
                continue
            end = _clause_end(text, k.end(), s.end)
            for m in ctx.within(k.end(), end, agencies | ORG_TYPES):
                if m is not body:
                    out.append(_rel("MEMBER_OF", m, body, ctx, "member-units"))
    return out


def rule_responsible_for(ctx: DocContext) -> list[RelationCandidate]:
    """Every unit in a measure's (责任单位:…) list is responsible for that measure."""
    out = []
    for m in ctx.mentions:
        if m.label != "Measure":
            continue
        b0, b1 = m.props.get("block", (m.start, m.end))
        for r0, r1, _marker in ctx.st.marker_regions:
            if b0 <= r0 < b1:
                for unit in ctx.within(r0, r1, ORG_TYPES | {"Region"}):
                    out.append(_rel("RESPONSIBLE_FOR", unit, m, ctx, "responsible-units"))
    return out


RULES: list[Rule] = [
    rule_responsible_for,
    rule_part_of_cluster,
    rule_chain_items,
    rule_supports,
    rule_name_places,
    rule_located_cues,
    rule_based_on,
    rule_system_members,
    rule_counted_followers,
    rule_membership,
    rule_leads,
    rule_cooperates,
    rule_organizes,
    rule_member_lists,
]


class RelationFinder:
    def __init__(self, ont: Ontology) -> None:
        self.ont = ont

    def __call__(self, doc: Doc) -> Doc:
        st = state_of(doc)
        ctx = DocContext(st, self.ont)
        found: list[RelationCandidate] = []
        for rule in RULES:
            found.extend(rule(ctx))
        st.relations = found
        return doc


@Language.factory("ikg_relations", default_config={"ontology_dir": str(DEFAULT_ONTOLOGY_DIR)})
def make_relations(nlp: Language, name: str, ontology_dir: str) -> RelationFinder:
    return RelationFinder(load_ontology(ontology_dir))
