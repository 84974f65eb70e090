"""Head-word names: 研究院, 实验室, 产业园, 共同体, 孵化器, 行动, 试点, 博览会 … with their left boundary.

For every head word (data/ontology/heads.yaml) ending on a word boundary, the name runs left to the
nearest boundary (boundary.scan_left). A bracket right after the head is either a place qualifier
kept in the name (山东大学(威海)), another name of the same thing (A(B) → alias), or a descriptor.
Names whose text before the head is only generic modifiers (国家级技术创新中心) are categories and are
set aside. An event's or a session's ordinal stays in its name (第十五届省运会), the bare name is an
alias (省运会).
"""

from __future__ import annotations

import re
from collections import defaultdict

from spacy.language import Language
from spacy.tokens import Doc

from ingest.components.boundary import (
    greedy_cover,
    head_automaton,
    is_descriptive,
    is_generic_modifier,
    scan_left,
    specific_chars,
)
from ingest.ontology import DEFAULT_ONTOLOGY_DIR, Ontology, load_ontology
from ingest.records import Mention
from ingest.state import DocState, state_of
from ingest.text import (
    CLOSE_QUOTES,
    CN_DIGITS,
    HARD_PUNCT,
    OPEN_QUOTES,
    clean_name,
    is_numeral,
    matching_close,
)

ORDINAL_REACH = 20  # how far before a head a session's ordinal may open its name
LEVELS = ("province", "city", "county")  # administrative levels, highest first
# a quoted short name right after a name is at most this long (a brand of a few characters)
QUOTED_ALIAS_MAX = 8


class HeadNameFinder:
    def __init__(self, ont: Ontology) -> None:
        self.ont = ont
        self.auto = head_automaton(ont)
        self._count_re = re.compile(rf"([0-9.]+|[{CN_DIGITS}]+)(.)")

    def __call__(self, doc: Doc) -> Doc:
        st = state_of(doc)
        text = st.text
        best = {he: (head, typ) for he, (_hs, head, typ) in self.auto.longest_by_end(text).items()}
        place_names = st.place_names | {m.name for m in st.mentions if m.label == "Region"}
        self.place_names = place_names
        self.by_end: dict[int, list[Mention]] = defaultdict(list)  # mentions by end offset, kept current
        for m in st.mentions:
            self.by_end[m.end].append(m)
        for he, (head, typ) in sorted(best.items()):
            m = self._name_at(st, he, head, typ)
            if m is not None:
                found = [m, *self._owner(m)]
                st.mentions.extend(found)
                for x in found:
                    self.by_end[x.end].append(x)
        return doc

    def _owner(self, m: Mention) -> list[Mention]:
        """新北洋国家级企业技术中心 → 新北洋 is an Enterprise (the owner named in the name)."""
        for h in self.ont.owner_heads:
            if m.name.endswith(h):
                owner = m.name[: -len(h)]
                for level in self.ont.owner_levels:
                    owner = owner.removesuffix(level)
                if (
                    2 <= len(owner) <= 8
                    and not is_generic_modifier(self.ont, owner)
                    and m.text.startswith(owner)
                ):
                    props = {"nested_ok": True, "owner_of": m.name}
                    return [
                        Mention(
                            m.start, m.start + len(owner), owner, "Enterprise", source="names", props=props
                        )
                    ]
                return []
        return []

    def _counted_after(self, text: str, at: int) -> bool:
        """A count with its classifier right after a head, ending the clause (…工程100处, …平台3个。);
        not one followed by what it counts (…创新港14个项目落户)."""
        m = self._count_re.match(text, at)
        return (
            m is not None
            and m.group(2) in self.ont.classifiers
            and m.group(2) not in self.ont.set_name_classifiers
            and (m.end() == len(text) or text[m.end()] in HARD_PUNCT)
        )

    def _glued_end(self, st: DocState, he: int) -> bool:
        """The head ends a word, or only a one-character function word is glued to it, or the head's
        last character opens a short word the dictionary does not know (都市|圈主|引擎: a guess of the
        segmenter's model, not a word that holds the head)."""
        nxt = st.text[he : he + 1]
        toks = st.tokens
        k = toks.at(he - 1)
        return (
            toks.is_end(he)
            or (toks.starts[k] == he - 1 and toks.ends[k] - toks.starts[k] <= 2 and not toks.pos[k])
            or st.text.startswith(self.ont.post_titles, he)  # 市科技局|局长
            or not nxt
            or nxt in HARD_PUNCT
            or nxt in "()（）"
            or nxt in self.ont.glued_after
        )

    def _name_at(self, st: DocState, he: int, head: str, typ: str) -> Mention | None:
        ont, text, toks = self.ont, st.text, st.tokens
        hs = he - len(head)
        if not self._glued_end(st, he):
            return None
        tok_text = toks.texts[toks.at(he - 1)]
        if tok_text in ont.false_friends:
            return None
        if any(text.startswith(x, he) for x in ont.not_followed_by.get(head, ())):
            return None
        if typ == "IndustryChain" and not self._clause_follows(st, he):
            return None  # "提升产业链现代化水平": the chain word modifies what follows
        before = toks.texts[toks.at(hs - 1)] if hs > 0 and toks.is_end(hs) else ""
        if before in ont.inner_conjunctions or before in ont.list_etc:
            return None  # 思想和|行动, A、B等|行动: a head after a conjunction or 等 names no one thing
        start = scan_left(ont, st, hs, typ, any_verb_before_head=head in ont.body_heads, floor=st.floor(hs))
        start = self._parallel_item_start(st, start, hs, head, typ)
        if typ in ont.owned_only_types:
            start = self._after_other_name(st, start, hs)
        if typ == "IndustryChain":
            k = toks.at(start)
            if toks.starts[k] == start and toks.texts[k] in ont.cue("supports") and toks.ends[k] < hs:
                start = toks.ends[k]  # 服务|船舶配套产业链: the cue of a relation, not the industry
        aliases: list[str] = []
        if typ in ont.ordinal_types:
            start, bare = self._with_ordinal(st, start, hs, typ)
            if bare:
                aliases.append(bare)
        if start >= hs:
            if head in ont.standalone_heads and toks.is_start(hs):
                return Mention(hs, he, head, typ, source="names", props={"head": head})
            return None
        k = toks.at(start)
        while k < len(toks) and toks.starts[k] < hs:
            if toks.texts[k] in ont.list_etc:
                return None  # “A计划”“B计划”等人才计划: what a list's 等 sums up is a kind, not a name
            k += 1
        start = self._home_run_start(st, start, hs, head)
        home_run = self._home_run(st, start, hs, head)
        if text[max(0, start - 4) : start].endswith(ont.cue("lacks_before")):
            return None  # 缺少…平台: what a text says is missing is no actor (a chain's gap at most)
        end = he
        nxt = text[he : he + 1]
        quote_span: tuple[int, int] | None = None
        if nxt in "(（":
            close = matching_close(text, he, nxt, ")" if nxt == "(" else "）", limit=20)
            if close != -1:
                inner = text[he + 1 : close]
                cue = next((c for c in ont.cue("short_form_cues") if inner.startswith(c)), "")
                if cue:
                    short = clean_name(inner[len(cue) :].strip("“”‘’《》\"' "))
                    if len(short) >= 2:
                        aliases.append(short)  # X(以下简称“Y”): Y is X's short form in this document
                    quote_span = (he, close + 1)
                elif self._is_specific_name(inner):
                    aliases.append(clean_name(inner))
                    end = close + 1
                elif len(inner) <= 12 and not any(c in inner for c in "、,，;；"):
                    end = close + 1  # a qualifier: 山东大学(威海), 检验中心(山东)
        elif nxt == "“" and end == he:
            close = text.find("”", he + 1, he + QUOTED_ALIAS_MAX + 2)
            after = text[close + 1 : close + 2] if close != -1 else ""
            inner = text[he + 1 : close] if close != -1 else ""
            if len(inner) >= 2 and (not after or after in HARD_PUNCT or after in ont.glued_after):
                aliases.append(clean_name(inner))  # 服务平台“川易贷”: the quoted short name of the same thing
                quote_span = (he, close + 1)
        phase = ont.phase_suffix.match(text, end) if typ in ont.verb_head_types and end == he else None
        if phase:
            end = phase.end()  # 古雷炼化一体化工程|二期: a project's phase is its own project
        after = end + (1 if text[end : end + 1] in CLOSE_QUOTES else 0)
        if typ in ont.verb_head_types and text.startswith(ont.award_nouns, after):
            return None  # “五个一工程”奖: the award a programme gives, not the programme
        if not text[start:end].startswith(tuple(OPEN_QUOTES)) and self._counted_after(text, after):
            return None  # 新建供水工程100处: the instances of a kind, counted, not one named thing
        surface = text[start:end]
        if any(x in surface for x in ont.reject_infixes) or ont.ends_with(surface, "false_friends"):
            return None
        parts = re.split(r"[—－-]+", surface.strip("“”"))
        if len(parts) > 1 and all(p.strip("“”") in ont.bare_generic for p in parts):
            return None  # 众创空间—孵化器—加速器—产业园: a sequence of kinds, not a name
        if "+" in surface and typ not in ont.verb_head_types:
            return None  # “A+B”园区 names a way of combining things, not one place
        quoted = surface[:1] in OPEN_QUOTES
        if quoted:
            close = surface.find("”")
            inner = surface[1:close]
            # a quote opens the name: it makes a name of what it holds and the head after it
            # (“双千”计划), not of a longer phrase that follows (“卡脖子”攻关项目库入库…项目)
            quoted = close != -1 and len(surface) - close - 1 <= len(head) + 4
            if (
                close == -1
                or len(inner) > 16
                or any(c in inner for c in "、,，")
                or ont.level_only.fullmatch(inner)
            ):
                return None  # “4”平台, “N”平台: a count is no name
        modifier = text[start:hs]
        if head in ont.strict_heads and not quoted:
            places = self._place_prefixes(modifier)
            if not places or specific_chars(ont, modifier[len(places[0]) :]) < 2:
                return None  # 重大项目, 社保卡: only a quoted or placed name is one
        if (
            head in ont.place_required_heads
            and not quoted
            and not self._place_prefixes(modifier)
            and not modifier.startswith(ont.compass_words)
            and not self._place_like(st, start, hs)
        ):
            return None  # 人均地区, 小流域: a region's name opens with a place (成都都市圈, 九龙江流域)
        if (
            head in ont.designation_heads
            and not quoted
            and not home_run
            and not self._place_prefixes(modifier)
            and not ont.innovation_re.search(modifier)
        ):
            return None  # 美丽乡村先行区, 热线平台: a designation outside innovation and industry
        if modifier.strip('“”‘’"') in ont.policy_shorthands:
            return None  # “两重”项目: the projects of a pair of national policies, no programme
        core = modifier
        if aliases and typ in ont.ordinal_types:
            m = ont.ordinal.match(core)
            core = core[m.end() :] if m else core
        numbered = typ in ont.ordinal_types and core != modifier  # 第十八届省运会: one session, one thing
        if (
            not quoted
            and not numbered
            and not home_run
            and (not self._specific(core, head, typ) or self._other_level(st, core, typ))
            and not (aliases and end > he)
        ):
            st.generic_candidates.append((start, end, typ))
            return self._named_by_quote(st, he, head, typ)
        name = clean_name(surface)
        if end > he and aliases and aliases[-1] == clean_name(text[he + 1 : end - 1]):
            name = clean_name(text[start:he])
        q_inner = surface[1 : surface.find("”")] if quoted and "”" in surface else ""
        bare_head = quoted and surface[len(q_inner) + 2 :] == head  # “四川省科创通”平台
        if len(q_inner) >= 2 and (typ in ont.verb_head_types or bare_head) and q_inner != name:
            aliases.append(q_inner)
        if typ in ont.verb_head_types:
            # 企业上市“千里马”行动 is also called “千里马”行动: the quoted core and the head
            for q in re.finditer(r"“([^“”]{2,16})”", surface):
                if len(surface) - q.end() <= len(head) + 2:
                    core_name = clean_name(q.group(1) + surface[q.end() :])
                    aliases += [a for a in (core_name, clean_name(q.group(1))) if a != name]
        if typ == "IndustryCluster":
            # a cluster is named by its industry (世界级优质白酒产业集群 → 优质白酒)
            industry = modifier
            for w in sorted(ont.list_tail_modifiers + ont.levels, key=len, reverse=True):
                industry = industry.removeprefix(w)
            if len(industry) >= 2 and industry != name:
                aliases.append(name)
                name = clean_name(industry)
        elif head in ont.place_suffix_heads and modifier in self.place_names:
            aliases.append(clean_name(modifier))  # 胶东半岛地区 is 胶东半岛
        for joiner in ont.name_joiners:
            if joiner in name and typ == "Event":
                aliases.extend(p for p in name.split(joiner) if len(p) >= 3)
        props: dict = {"head": head}
        if quote_span is not None:
            props["renames"] = quote_span
        if is_descriptive(ont, text, start, typ):
            props["descriptive"] = True
        # 川藏经济协作试验区: a zone of several provinces is an economic region
        zone = typ in ont.regional_zone_types and head in ont.regional_zone_heads
        if zone and self._regional(st, start, modifier):
            typ = ont.regional_zone_type
        return Mention(start, end, surface, typ, name=name, aliases=aliases, source="names", props=props)

    def _regional(self, st: DocState, start: int, modifier: str) -> bool:
        """Whether a zone's modifier opens with a place wider than a province's part (an economic region,
        a compass part, two provinces' abbreviations) and holds no word of a park (产业, 科创 …)."""
        ont = self.ont
        if any(w in modifier for w in ont.park_words):
            return False
        abbr = ont.province_abbreviations
        if len(modifier) >= 2 and modifier[0] in abbr and modifier[1] in abbr:
            return True
        return any(
            m.label == "Region" and m.start == start and m.props.get("kind") in ont.regional_zone_kinds
            for m in st.mentions
        )

    def _with_ordinal(self, st: DocState, start: int, hs: int, typ: str) -> tuple[int, str]:
        """Extend a name over the ordinal before it (第十五届|省运会); returns (start, bare name)."""
        text = st.text
        opening = re.match(self.ont.session_ordinal.pattern.removesuffix("$"), text[start:hs])
        if opening is not None and typ in self.ont.lasting_types and hs - start - opening.end() >= 2:
            # 第二轮|X试点: the round's ordinal opens the name; the programme goes by X试点 too
            return start, clean_name(text[start + opening.end() : hs]) + self._head_at(text, hs)
        window = text[max(0, start - 12) : start]
        m = self.ont.session_ordinal.search(window)
        if m is None:
            return self._ordinal_opens(st, start, hs)
        o_start = start - (len(window) - m.start())
        opened = min(scan_left(self.ont, st, o_start, typ), o_start)
        if start < hs:
            bare = clean_name(text[start:hs]) + self._head_at(text, hs)
        elif opened < o_start and typ in self.ont.lasting_types:
            # 北京市|第十六届|人民代表大会: a body outlasts its term, and 北京市人民代表大会 names it too
            bare = clean_name(text[opened:o_start]) + self._head_at(text, hs)
        else:
            bare = ""
        return opened, bare

    def _ordinal_opens(self, st: DocState, start: int, hs: int) -> tuple[int, str]:
        """第十二届|中国网络视听|大会: a session's ordinal opens the name even where a verb-like word
        inside it stopped the scan, when only words of the name stand between (no punctuation, no
        governing verb)."""
        text, ont = st.text, self.ont
        floor = max(st.floor(hs), hs - ORDINAL_REACH)
        found = None
        for m in re.compile(ont.session_ordinal.pattern.removesuffix("$")).finditer(text, floor, hs):
            found = m
        if found is None or found.end() >= start or found.end() == hs:
            return start, ""
        between = text[found.end() : hs]
        if re.search(r"[^\u4e00-\u9fff0-9A-Za-z]", between) or self._verb_between(st, found.end(), hs):
            return start, ""
        return found.start(), clean_name(between) + self._head_at(text, hs)

    def _verb_between(self, st: DocState, start: int, end: int) -> bool:
        """A governing verb used as a verb between start and end (建设 as a verbal noun, 数字中国建设|峰会,
        is a word of the name)."""
        toks = st.tokens
        k = toks.at(start)
        while k < len(toks) and toks.starts[k] < end:
            t = toks.texts[k]
            if (
                toks.starts[k] >= start
                and t in self.ont.governing_verbs
                and toks.pos[k] not in self.ont.noun_verb_pos
            ):
                return True
            k += 1
        return False

    def _head_at(self, text: str, hs: int) -> str:
        for head, _typ in self.ont.heads_longest_first:
            if text.startswith(head, hs):
                return head
        return ""

    def _clause_follows(self, st: DocState, he: int) -> bool:
        text, toks = st.text, st.tokens
        if he >= len(text) or text[he] in HARD_PUNCT or text[he] in "()（）":
            return True
        k = toks.at(he)
        t = toks.texts[k]
        return (
            t in self.ont.boundary_words
            or toks.pos[k] in self.ont.boundary_pos
            or t in self.ont.inner_conjunctions
            or toks.pos[k] == "c"
        )

    def _after_other_name(self, st: DocState, start: int, hs: int) -> int:
        """国家大科学装置|清华大学: a name that ends before this one's modifier (its head another's,
        not an owner's such as 大学 in 北京大学威海研究院) is a thing of its own; this name starts after."""
        toks, text = st.tokens, st.text
        k = toks.at(hs - 1)
        while k >= 0 and toks.starts[k] > start:
            end = toks.starts[k]
            before = text[start:end]
            for head, typ in self.ont.head_type.items():
                if (
                    typ in self.ont.owned_only_after
                    and len(head) >= 2
                    and before.endswith(head)
                    and not before.endswith(self.ont.owner_seat_heads)
                ):
                    return end
            k -= 1
        return start

    def _other_level(self, st: DocState, modifier: str, typ: str) -> bool:
        """区|人民政府 in a city's regulation: the bare prefix of a level below the home region's names
        the bodies of every district, a category (市|人民政府 there is the city's own, 省|政府 the
        one province it lies in)."""
        if typ != "GovAgency" or st.home is None or st.home.level not in LEVELS:
            return False
        below = LEVELS[LEVELS.index(st.home.level) + 1 :]
        prefixes = {p for level in below for p in self.ont.relative_places.get(level, ()) if len(p) == 1}
        return modifier in prefixes - set(st.home.relative)

    def _named_by_quote(self, st: DocState, he: int, head: str, typ: str) -> Mention | None:
        """科技服务平台“科创通”: a category followed by a quoted short name is the thing so named."""
        text = st.text
        if text[he : he + 1] != "“":
            return None
        close = text.find("”", he + 1, he + QUOTED_ALIAS_MAX + 2)
        inner = text[he + 1 : close] if close != -1 else ""
        after = text[close + 1 : close + 2] if close != -1 else ""
        if len(inner) < 2 or not (not after or after in HARD_PUNCT or after in self.ont.glued_after):
            return None
        if re.search(r"[^\u4e00-\u9fff0-9A-Za-z]", inner) or is_numeral(inner):
            return None
        props = {"head": head, "renames": (he, close + 1)}
        return Mention(he + 1, close, inner, typ, name=clean_name(inner), source="names", props=props)

    def _place_like(self, st: DocState, start: int, hs: int) -> bool:
        """攀西|经济区, 渝西|地区: a modifier the segmenter's dictionary tags as a place, or a province's
        one-character abbreviation and a compass direction, names a place the gazetteer lacks."""
        toks, modifier = st.tokens, st.text[start:hs]
        k = toks.at(start)
        if toks.starts[k] == start and toks.ends[k] == hs and toks.pos[k] == self.ont.place_pos:
            return True
        return (
            len(modifier) >= 2
            and modifier[0] in self.ont.province_abbreviations
            and modifier[1:] in self.ont.directions
        )

    def _home_run_start(self, st: DocState, start: int, hs: int, head: str) -> int:
        """省|低空运行管理|服务平台: a verb inside what the platform does stopped the scan; the home
        administration's prefix a few words before opens the name, when only words stand between."""
        if not head.endswith(self.ont.home_run_heads) or start >= hs:
            return start
        toks = st.tokens
        k = toks.at(start)
        floor = max(st.floor(hs), hs - 12)
        while k > 0 and toks.starts[k - 1] >= floor:
            k -= 1
            word = toks.texts[k]
            if word in self.ont.home_run_prefixes:
                between = st.text[toks.ends[k] : start]
                if re.fullmatch(r"[\u4e00-\u9fff0-9]+", between) and not any(
                    v in between for v in self.ont.governing_verbs
                ):
                    return toks.starts[k]
                return start
            if not re.fullmatch(r"[\u4e00-\u9fff0-9]+", word) or word in self.ont.governing_verbs:
                return start
        return start

    def _parallel_item_start(self, st: DocState, start: int, hs: int, head: str, typ: str) -> int:
        """光子科创城、|聚变|科创城, 锦屏深地科学中心、|电磁驱动聚变|大科学装置: an item of a list whose item
        before is a name of the same head (or of the same type, when no verb opens this one) is whole
        from the separator, though a word in it looks like a verb."""
        text, ont = st.text, self.ont
        sep = max(text.rfind(c, max(0, hs - 8), start) for c in "、")
        item = text[sep + 1 : hs]
        if sep == -1 or not re.fullmatch(r"[\u4e00-\u9fff]{2,6}", item):
            return start
        before = self.by_end.get(sep, ())
        if not before:
            return start
        same_head = any(m.text.endswith(head) and m.end - m.start > len(head) for m in before)
        opens_verb = item.startswith(ont.long_verbs)
        same_type = not opens_verb and any(m.label == typ and m.source == "names" for m in before)
        return sep + 1 if same_head or same_type else start

    def _home_run(self, st: DocState, start: int, hs: int, head: str) -> bool:
        """省|招投标交易|平台: the home administration's own platform, named by its bare prefix (a word of
        its own, not the 市 of 市场) and at least two characters of what it does."""
        if not head.endswith(self.ont.home_run_heads):
            return False
        toks = st.tokens
        k = toks.at(start)
        return (
            toks.starts[k] == start
            and toks.texts[k] in self.ont.home_run_prefixes
            and hs - (start + len(toks.texts[k])) >= 2
        )

    def _specific(self, modifier: str, head: str, typ: str) -> bool:
        ont = self.ont
        if len(modifier) < ont.min_modifier_chars.get(typ, 0):
            return False  # 环|大学创新生态圈: no university is named by one character
        joins = [c for c in ont.inner_conjunctions if c not in ont.name_joiners]
        parts = re.split("|".join(map(re.escape, joins)), modifier)
        if len(parts) > 1 and all(p in ont.admin_prefixes or p in ont.generic_modifiers for p in parts):
            return False  # 国家和地方|人民政府, 省和市|科技部门: levels joined, a category
        levels = (*ont.admin_prefixes, *ont.all_relative_places)
        if len(parts) > 1 and parts[0] in (*levels, *ont.graded_levels) and parts[1].startswith(levels):
            return False  # 国家和本市|科技重大专项: the kind at two levels, not one programme
        if (
            typ == "GovAgency"
            and not any(lv in modifier for lv in ont.graded_levels)
            and modifier.startswith(ont.admin_prefixes + tuple(self._place_prefixes(modifier)))
        ):
            return True
        if head in ont.place_only_heads and not self._place_prefixes(modifier):
            return False  # a government is named by its place: 数字政府 is a concept
        if head in ont.place_named_heads and self._place_prefixes(modifier):
            return True
        if is_generic_modifier(ont, modifier, typ):
            # 国家重点研发计划, 省重大创新工程: a level's programme named by its words alone
            return typ in ont.level_named_types and self._level_named(modifier)
        if modifier[:1] in ont.province_abbreviations and is_generic_modifier(ont, modifier[1:]):
            return False  # (在)京|国家实验室: the kind in a province, not one named thing
        if head in ont.ranked_heads and modifier in self.place_names:
            return False  # 北京市|重点实验室: a rank a place gives to many, not one lab
        if typ in ont.graded_category_types and modifier.startswith(ont.graded_levels):
            return False  # 国家级|旅游度假区: a rank of zone
        if len(modifier) <= 4 and modifier.endswith(ont.level_suffix):
            return False  # 标杆级|孵化器, 千亿级|集群: a grade, a category
        return not (head in ont.weak_heads and specific_chars(ont, modifier) < 2)

    def _level_named(self, modifier: str) -> bool:
        """A level (国家, 省, 市) and then enough generic words to make one programme's name; not
        two levels' kinds (国家省市重大专项)."""
        ont = self.ont
        level = next((p for p in ont.admin_prefixes if modifier.startswith(p)), "")
        rest = modifier[len(level) :]
        if not level or rest.startswith(ont.admin_prefixes):
            return False
        words, uncovered = greedy_cover(rest, ont.unnaming_vocab[""])
        return not uncovered and words >= ont.level_named_min_words

    def _place_prefixes(self, modifier: str) -> list[str]:
        """Places that open ``modifier``, longest first; two provinces' abbreviations (京津, 川渝) too."""
        out = [modifier[:n] for n in range(min(len(modifier), 9), 1, -1) if modifier[:n] in self.place_names]
        abbr = self.ont.province_abbreviations
        if not out and len(modifier) >= 2 and modifier[0] in abbr and modifier[1] in abbr:
            out.append(modifier[:2])
        return out

    def _is_specific_name(self, inner: str) -> bool:
        if any(c in inner for c in self.ont.list_separators) or any(c in inner for c in ",，;；"):
            return False  # a list in brackets explains, it does not rename
        for h, _typ in self.ont.heads_longest_first:
            if inner.endswith(h) and len(inner) > len(h):
                return not is_generic_modifier(self.ont, inner[: -len(h)])
        return False


@Language.factory("ikg_names", default_config={"ontology_dir": str(DEFAULT_ONTOLOGY_DIR)})
def make_names(nlp: Language, name: str, ontology_dir: str) -> HeadNameFinder:
    return HeadNameFinder(load_ontology(ontology_dir))
