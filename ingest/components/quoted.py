"""Quoted names: “威海英才计划”, counted systems “1+4+N”创新平台体系 / “一核、一城…” / “315”科技创新体系,
and quoted items typed by the category noun after them (“四季…”品牌 → Program).

Plans put a name in quotes when it is a brand, a programme or a framework; a quoted formula of
counts (1+4+N, 一擎三轴多轮, 五位一体, 315) followed by a system noun (体系, 机制, 格局 …; systems.yaml)
names a counted system.
"""

from __future__ import annotations

import functools
import re

from spacy.language import Language
from spacy.tokens import Doc

from ingest.components.boundary import is_generic_modifier
from ingest.ontology import DEFAULT_ONTOLOGY_DIR, Ontology, load_ontology
from ingest.records import Mention
from ingest.state import state_of
from ingest.text import CN_DIGITS

QUOTE_RE = re.compile(r"“([^“”。\n]{2,40})”")
FORMULA_PLUS = re.compile(r"^[0-9N]+[A-Z]?(\+[0-9N]+[A-Z]?)+$")
CODE = re.compile(r"^[0-9]{3,5}[A-Z]?$")  # “315”科技创新体系, “415X”先进制造业集群


@functools.lru_cache(maxsize=4)
def _formula_res(ont: Ontology) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], str]:
    num = rf"[0-9N{CN_DIGITS}{ont.formula_numbers}]"
    segmented = re.compile(rf"^{num}[^、,，]{{1,8}}([、,，]{num}?[^、,，]{{1,8}}){{1,}}$")
    stacked = re.compile(rf"^({num}[^{CN_DIGITS}{ont.formula_numbers}0-9+]{{1,2}}){{2,}}$")
    return segmented, stacked, ont.n_in_one, num


def counted_formula(ont: Ontology, x: str) -> bool:
    segmented, stacked, n_in_one, _num = _formula_res(ont)
    return bool(FORMULA_PLUS.match(x) or n_in_one.search(x) or stacked.match(x) or segmented.match(x))


def formula_segments(ont: Ontology, x: str) -> list[str]:
    """Roles of a counted formula: 1+4+N → [1, 4, N]; 一擎三轴多轮 → [一擎, 三轴, 多轮]."""
    if "+" in x:
        return x.split("+")
    _s, _t, _n, num = _formula_res(ont)
    out: list[str] = []
    for part in re.split(r"[、,，]", x):
        out.extend(re.findall(rf"{num}[^{CN_DIGITS}{ont.formula_numbers}0-9、,，]{{1,2}}", part))
    return out


class QuotedNames:
    def __init__(self, ont: Ontology) -> None:
        self.ont = ont
        self.longest_head = max(map(len, ont.head_type))
        self.clause_verbs = tuple(ont.clause_verbs)
        nouns = "|".join(ont.system_nouns)
        plain = "|".join(ont.plain_system_nouns)
        # a quoted formula or slogan and the noun that makes it a system: “1+4+N”创新平台体系
        self.system_noun = re.compile(rf"^(?:(?!{ont.system_noun_stop})[\u4e00-\u9fff]){{0,12}}?({nouns})")
        self.plain_system_noun = re.compile(
            rf"^(?:(?!{ont.system_noun_stop})[\u4e00-\u9fff]){{0,12}}?({plain})"
        )
        self.system_context = re.compile(rf"^[^,，。;；]{{0,16}}?({'|'.join(ont.system_context)})")
        self.categories = sorted(ont.quote_categories.items(), key=lambda kv: -len(kv[0]))

    def __call__(self, doc: Doc) -> Doc:
        st = state_of(doc)
        text = st.text
        for m in QUOTE_RE.finditer(text):
            x = m.group(1)
            after = text[m.end() : m.end() + 20]
            if counted_formula(self.ont, x) or CODE.match(x):
                mention = self._system(m, x, after)
            else:
                mention = self._named(m, x) or self._system(m, x, after) or self._categorised(m, x, after)
            if mention is not None:
                st.mentions.append(mention)
        return doc

    def _system(self, m: re.Match[str], x: str, after: str) -> Mention | None:
        if after.startswith(self.ont.national_layout_nouns):
            return None  # “五位一体”总体布局: the nation's political layout, no region's system
        noun = self.system_noun.match(after)
        is_formula = counted_formula(self.ont, x)
        if CODE.match(x):
            if not noun:
                return None  # a bare number in quotes is a figure, not a system
        elif is_formula:
            if not (
                noun
                or self.system_context.match(after)
                or "+" in x
                or len(formula_segments(self.ont, x)) >= 3
            ):
                return None
        elif not (self.plain_system_noun.match(after) and re.fullmatch(r"[\u4e00-\u9fff]{4,}", x)):
            return None  # a quoted slogan + …体系 names a system; + …机制 is a mechanism
        elif not self.ont.innovation_re.search(x + after[: self.plain_system_noun.match(after).end()]):
            return None  # an uncounted slogan names an innovation system only in its words (…协同创新体系)
        end = m.end() + (noun.end() if noun else 0)
        name = x + (m.string[m.end() : end] if noun else "")
        roles = formula_segments(self.ont, x) if is_formula else []
        props = {"formula": x, "roles": roles}
        declared = self._declared(m, roles)
        if declared:
            props["declared"] = declared
        aliases = [x] if name != x else []
        return Mention(
            m.start(),
            end,
            m.string[m.start() : end],
            "InnovationSystem",
            name=name,
            aliases=aliases,
            source="quoted",
            props=props,
        )

    @staticmethod
    def _declared(m: re.Match[str], roles: list[str]) -> dict[str, int]:
        """“1院”引导、“4平台”支撑、“12机构”加盟的“1+4+N”…: N is declared as 12."""
        text = m.string
        sent_start = max(text.rfind(c, 0, m.start()) for c in "。\n;；") + 1
        markers = re.findall(r"“(\d+)[\u4e00-\u9fff]{1,3}”", text[sent_start : m.start()])
        if len(roles) < 2 or len(markers) != len(roles):
            return {}
        out = {}
        for role, count in zip(roles, markers, strict=True):
            if role.isdigit() and role != count:
                return {}  # the markers do not line up with the formula
            out[role] = int(count)
        return out

    def _named(self, m: re.Match[str], x: str) -> Mention | None:
        for n in range(min(len(x) - 1, self.longest_head), 0, -1):
            head = x[-n:]
            typ = self.ont.head_type.get(head)
            if typ is not None and not re.search(r"[、,，+]", x):
                if x.startswith(self.clause_verbs):
                    return None  # “开展…试点”: a quoted task, the name is read where it stands
                if typ != "Event" and any(w in x for w in self.ont.descriptive_before if len(w) == 1):
                    return None  # “最不适宜人类居住的地区”: a description in quotes, not a name
                if m.string.startswith(self.ont.award_nouns, m.end()):
                    return None  # “五个一工程”奖: the award, not the programme
                # quotes make a name of it, unless nothing but a count or level precedes the head
                if self.ont.level_only.fullmatch(x[: -len(head)]):
                    return None
                parts = re.split(r"[—－-]+", x)
                if len(parts) > 1 and all(p in self.ont.bare_generic for p in parts):
                    return None  # “众创空间—孵化器—加速器”: a sequence of kinds, not a name
                modifier = x[: -len(head)]
                if (
                    head in self.ont.bare_generic
                    and not re.search(rf"[0-9{CN_DIGITS}]", modifier)  # “百千工程” counts: a name
                    and is_generic_modifier(self.ont, modifier)
                ):
                    return None  # “飞地园区”: a kind in quotes, a concept, not a name
                return Mention(
                    m.start(), m.end(), m.group(0), typ, name=x, source="quoted", props={"head": head}
                )
        return None

    def _categorised(self, m: re.Match[str], x: str, after: str) -> Mention | None:
        for cat, typ in self.categories:
            pos = after.find(cat)
            limit = 0 if cat in self.ont.quote_brand_nouns else 4
            if (
                0 <= pos <= limit
                and not re.search(r"[,，。、“”]", after[:pos])
                and not any(w in after[:pos] for w in self.ont.function_words if len(w) == 1)
            ):
                return Mention(
                    m.start(), m.end(), m.group(0), typ, name=x, source="quoted", props={"category": cat}
                )
        return None


@Language.factory("ikg_quoted", default_config={"ontology_dir": str(DEFAULT_ONTOLOGY_DIR)})
def make_quoted(nlp: Language, name: str, ontology_dir: str) -> QuotedNames:
    return QuotedNames(load_ontology(ontology_dir))
