"""Quoted names: “威海英才计划”, counted systems “1+4+N”创新平台体系 / “一核、一城…”, and quoted
items typed by the category noun after them (“四季…”品牌 → Program).

Plans put a name in quotes when it is a brand, a programme or a framework; a quoted formula of
counts (1+4+N, 一擎三轴多轮, 五位一体) followed by 体系/机制/格局 names a counted system.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from ingest.doc_ext import ensure_extensions
from ingest.ontology import DEFAULT_ONTOLOGY_DIR, Ontology, load_ontology
from ingest.records import Mention
from ingest.text import CN_DIGITS

QUOTE_RE = re.compile(r"“([^“”。\n]{2,40})”")
_NUM = rf"[0-9N{CN_DIGITS}多]"
FORMULA_PLUS = re.compile(r"^[0-9N]+(\+[0-9N]+)+$")
SEGMENTED = re.compile(rf"^{_NUM}[^、,，]{{1,8}}([、,，]{_NUM}?[^、,，]{{1,8}}){{1,}}$")
STACKED = re.compile(rf"^({_NUM}[^{CN_DIGITS}多0-9+]{{1,2}}){{2,}}$")
N_IN_ONE = re.compile(rf"^{_NUM}位一体$")
SYSTEM_NOUN = re.compile(r"^(?:(?!的)[\u4e00-\u9fff]){0,12}?(体系|机制)")
PLAIN_SYSTEM_NOUN = re.compile(r"^(?:(?!的)[\u4e00-\u9fff]){0,12}?体系")
SYSTEM_CONTEXT = re.compile(r"^[^,，。;；]{0,16}?(体系|机制|格局|布局|联动)")
QUOTE_CATEGORIES = {
    "品牌": "Program",
    "招聘品牌": "Program",
    "引才品牌": "Program",
    "引才模式": "Program",
    "系列活动": "Event",
    "活动": "Event",
    "赛事": "Event",
}


def counted_formula(x: str) -> bool:
    return bool(FORMULA_PLUS.match(x) or N_IN_ONE.match(x) or STACKED.match(x) or SEGMENTED.match(x))


def formula_segments(x: str) -> list[str]:
    """Roles of a counted formula: 1+4+N → [1, 4, N]; 一擎三轴多轮 → [一擎, 三轴, 多轮]."""
    if "+" in x:
        return x.split("+")
    out: list[str] = []
    for part in re.split(r"[、,，]", x):
        out.extend(re.findall(rf"{_NUM}[^{CN_DIGITS}多0-9、,，]{{1,2}}", part))
    return out


class QuotedNames:
    def __init__(self, ont: Ontology) -> None:
        self.ont = ont
        self.heads = sorted(ont.head_type.items(), key=lambda kv: -len(kv[0]))

    def __call__(self, doc: Doc) -> Doc:
        ensure_extensions()
        text = doc.text
        mentions: list[Mention] = doc._.ikg_mentions or []
        for m in QUOTE_RE.finditer(text):
            x = m.group(1)
            after = text[m.end() : m.end() + 20]
            if counted_formula(x):
                mention = self._system(m, x, after)
            else:
                mention = self._named(m, x) or self._system(m, x, after) or self._categorised(m, x, after)
            if mention is not None:
                mentions.append(mention)
        doc._.ikg_mentions = mentions
        return doc

    def _system(self, m: re.Match[str], x: str, after: str) -> Mention | None:
        text_after = after
        noun = SYSTEM_NOUN.match(text_after)
        is_formula = counted_formula(x)
        if is_formula:
            if not (noun or SYSTEM_CONTEXT.match(text_after) or "+" in x or len(formula_segments(x)) >= 3):
                return None
        elif not (PLAIN_SYSTEM_NOUN.match(text_after) and re.fullmatch(r"[\u4e00-\u9fff]{4,}", x)):
            return None  # a quoted slogan + …体系 names a system; + …机制 is a mechanism
        end = m.end() + (noun.end() if noun else 0)
        name = x + (noun.group(0) if noun else "")
        roles = formula_segments(x) if is_formula else []
        props = {"formula": x, "roles": roles}
        declared = self._declared(m, roles)
        if declared:
            props["declared"] = declared
        return Mention(
            m.start(),
            end,
            m.string[m.start() : end],
            "InnovationSystem",
            name=name,
            aliases=[x] if name != x else [],
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
        for head, typ in self.heads:
            if x.endswith(head) and len(x) > len(head) and not re.search(r"[、,，+]", x):
                # quotes make a name of it, unless nothing but a count or level precedes the head
                if re.fullmatch(r"[0-9N级省市国家]*", x[: -len(head)]):
                    return None
                return Mention(
                    m.start(), m.end(), m.group(0), typ, name=x, source="quoted", props={"head": head}
                )
        return None

    def _categorised(self, m: re.Match[str], x: str, after: str) -> Mention | None:
        for cat, typ in sorted(QUOTE_CATEGORIES.items(), key=lambda kv: -len(kv[0])):
            pos = after.find(cat)
            limit = 0 if cat == "品牌" else 4
            if 0 <= pos <= limit and not re.search(r"[,，。、“”等]", after[:pos]):
                return Mention(
                    m.start(), m.end(), m.group(0), typ, name=x, source="quoted", props={"category": cat}
                )
        return None


@Language.factory("ikg_quoted", default_config={"ontology_dir": str(DEFAULT_ONTOLOGY_DIR)})
def make_quoted(nlp: Language, name: str, ontology_dir: str) -> QuotedNames:
    return QuotedNames(load_ontology(ontology_dir))
