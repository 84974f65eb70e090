"""Head-word names: 研究院, 实验室, 产业园, 共同体, 孵化器, 产业技术创新链 … with their left boundary.

For every head word (data/ontology/heads.yaml) ending on a token boundary, the name runs left to
the nearest boundary (boundary.scan_left). A bracket right after the head is either a place
qualifier kept in the name (山东大学(威海)), another name of the same thing (A(B) → alias), or a
descriptor kept in the name. Names whose text before the head is only generic modifiers
(国家级技术创新中心) are categories and are dropped.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ingest.components.boundary import (
    head_automaton,
    is_descriptive,
    is_generic_modifier,
    scan_left,
    specific_chars,
)
from ingest.components.quoted import counted_formula
from ingest.components.tokens import TokenIndex
from ingest.doc_ext import ensure_extensions
from ingest.ontology import DEFAULT_ONTOLOGY_DIR, Ontology, load_ontology
from ingest.records import Mention
from ingest.text import HARD_PUNCT, OPEN_QUOTES, clean_name, matching_close

ADMIN_PREFIXES = ("市", "省", "县", "区", "国家", "中央", "国务院", "团市委")
VERB_HEAD_TYPES = {"Program", "Event"}
# bodies named after their task: …城市建设领导小组, …招商工作委员会
BODY_HEADS = {"领导小组", "委员会", "工作组", "指挥部", "办公室"}
# one-character words jieba may glue to a head's last character (科技城为核心 → 城为)
GLUED_AFTER = set("为以的和与及等在即")


class HeadNameFinder:
    def __init__(self, ont: Ontology) -> None:
        self.ont = ont
        self.auto = head_automaton(ont)
        self.place_names = {p.name for p in ont.places} | {p.short for p in ont.places}

    def __call__(self, doc: Doc) -> Doc:
        ensure_extensions()
        text = doc.text
        toks = TokenIndex.from_doc(doc)
        best: dict[int, tuple[str, str]] = {}  # head end -> longest (head, type)
        for end_idx, (head, typ) in self.auto.iter(text):
            he = end_idx + 1
            if he not in best or len(head) > len(best[he][0]):
                best[he] = (head, typ)
        mentions: list[Mention] = doc._.ikg_mentions or []
        self.rejected: list[tuple[int, int, str]] = []
        for he, (head, typ) in sorted(best.items()):
            m = self._name_at(text, toks, he, head, typ)
            if m is not None:
                mentions.append(m)
                mentions.extend(self._owner(m))
        meta = doc._.ikg_meta or {}
        meta["_generic_candidates"] = self.rejected
        doc._.ikg_meta = meta
        doc._.ikg_mentions = mentions
        return doc

    def _clause_follows(self, text: str, toks: TokenIndex, he: int) -> bool:
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

    def _owner(self, m: Mention) -> list[Mention]:
        """新北洋国家级企业技术中心 → 新北洋 is an Enterprise (the owner named in the name)."""
        for h in sorted(self.ont.owner_heads, key=len, reverse=True):
            if m.name.endswith(h):
                owner = m.name[: -len(h)]
                for level in ("国家级", "省级", "市级", "国家"):
                    owner = owner.removesuffix(level)
                if (
                    2 <= len(owner) <= 8
                    and not is_generic_modifier(self.ont, owner)
                    and m.text.startswith(owner)
                ):
                    return [
                        Mention(
                            m.start,
                            m.start + len(owner),
                            owner,
                            "Enterprise",
                            source="names",
                            props={"nested_ok": True, "owner_of": m.name},
                        )
                    ]
                return []
        return []

    def _name_at(self, text: str, toks: TokenIndex, he: int, head: str, typ: str) -> Mention | None:
        ont = self.ont
        hs = he - len(head)
        nxt = text[he : he + 1]
        if (
            not toks.is_end(he)
            and nxt
            and nxt not in HARD_PUNCT
            and nxt not in "()（）"
            and nxt not in GLUED_AFTER
        ):
            return None
        tok_text = toks.texts[toks.at(he - 1)]
        if tok_text in ont.false_friends:
            return None
        if any(text.startswith(x, he) for x in ont.not_followed_by.get(head, ())):
            return None
        if typ == "IndustryChain" and not self._clause_follows(text, toks, he):
            return None  # "提升产业链现代化水平": the chain word modifies what follows
        start = scan_left(
            ont,
            text,
            toks,
            hs,
            allow_verb_before_head=typ in VERB_HEAD_TYPES,
            any_verb_before_head=head in BODY_HEADS,
        )
        if start >= hs:
            if head in ont.standalone_heads and toks.is_start(hs):
                return Mention(hs, he, head, typ, source="names", props={"head": head})
            return None
        end = he
        aliases: list[str] = []
        # bracket right after the head
        if nxt in "(（":
            close = matching_close(text, he, nxt, ")" if nxt == "(" else "）", limit=20)
            if close != -1:
                inner = text[he + 1 : close]
                if self._is_specific_name(inner):
                    aliases.append(clean_name(inner))
                    end = close + 1
                elif len(inner) <= 12 and not any(c in inner for c in "、,，;；"):
                    end = close + 1  # a qualifier: 山东大学(威海), 检验中心(山东)
                # otherwise an explanatory note, not part of the name
        surface = text[start:end]
        if any(x in surface for x in ont.reject_infixes) or any(
            surface.endswith(f) for f in ont.false_friends
        ):
            return None
        if "+" in surface:
            return None  # “A+B”园区 names a way of combining things, not one place
        quoted = surface[:1] in OPEN_QUOTES
        if quoted:
            close = surface.find("”")
            inner = surface[1:close]
            if close == -1 or len(inner) > 10 or any(c in inner for c in "、,，") or counted_formula(inner):
                return None
        modifier = text[start:hs]
        if not quoted and not aliases and not self._specific(modifier, head, typ):
            self.rejected.append((start, end, typ))
            return None
        name = clean_name(surface)
        if aliases:
            name = clean_name(text[start:he])
        core = surface[1 : surface.find("”")] if quoted and "”" in surface else ""
        if len(core) >= 3 and typ in VERB_HEAD_TYPES and core != name:
            aliases.append(core)
        if "暨" in name and typ == "Event":
            aliases.extend(p for p in name.split("暨") if len(p) >= 3)
        props = {"head": head}
        if is_descriptive(ont, text, start):
            props["descriptive"] = True
        return Mention(start, end, surface, typ, name=name, aliases=aliases, source="names", props=props)

    def _specific(self, modifier: str, head: str, typ: str) -> bool:
        ont = self.ont
        if (
            typ == "GovAgency"
            and "级" not in modifier
            and modifier.startswith(ADMIN_PREFIXES + tuple(self._place_prefixes(modifier)))
        ):
            return True
        if typ == "GovAgency" and head in ("政府", "人民政府"):
            return False  # a government is named by its place: 数字政府 is a concept
        if is_generic_modifier(ont, modifier):
            return False
        return not (head in ont.weak_heads and specific_chars(ont, modifier) < 2)

    def _place_prefixes(self, modifier: str) -> list[str]:
        return [modifier[:n] for n in (4, 3, 2) if modifier[:n] in self.place_names]

    def _is_specific_name(self, inner: str) -> bool:
        for h, _typ in sorted(self.ont.head_type.items(), key=lambda kv: -len(kv[0])):
            if inner.endswith(h) and len(inner) > len(h):
                return not is_generic_modifier(self.ont, inner[: -len(h)])
        return False


@Language.factory("ikg_names", default_config={"ontology_dir": str(DEFAULT_ONTOLOGY_DIR)})
def make_names(nlp: Language, name: str, ontology_dir: str) -> HeadNameFinder:
    return HeadNameFinder(load_ontology(ontology_dir))
