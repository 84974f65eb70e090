"""Policy measures of implementation opinions: numbered items that name their 责任单位.

"1.优化技术创新平台布局。…对获批…的单位,给予不超过500万元奖励。…(责任单位:市科技局、市财政局)"
becomes a Measure (number, title, the span of its text) with its awards as structured data:
what is rewarded, the amount in 万元, whether it is a cap (不超过/最高) and whether it is a reward
or a subsidy. The agencies in the list become RESPONSIBLE_FOR relations (relations component).
The words of awards are data/ontology/measures.yaml; the patterns below are built from them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from ingest.ontology import DEFAULT_ONTOLOGY_DIR, Ontology, OntologyError, StrictYaml, load_ontology
from ingest.records import Mention
from ingest.state import Section, state_of
from ingest.text import alternation

NUMBERED = re.compile(r"^(\d{1,3})[.．、]")
NUMBER = r"\d+(?:\.\d+)?"
# a grant may sit a few words after its amount (不超过50万元的财政“拨”款补助)
GRANT_GAP = r"[^\d,，。;；、]{0,8}?"


@dataclass(frozen=True)
class AwardGrammar:
    """The patterns of award clauses, built from measures.yaml (and the list words of categories.yaml)."""

    grant: re.Pattern[str]  # [cap] amounts [的] … kind
    cap_after: re.Pattern[str]  # a cap stated after the grant, then its amount
    subject: re.Pattern[str]  # 对X, (what is rewarded)
    subject_tail: re.Pattern[str]  # …的单位 at the end of a subject
    subject_head: re.Pattern[str]  # 获批 / 新认定的 … at its front
    bare_who: re.Pattern[str]  # 给予X不超过…: who a grant without a subject goes to
    etc: re.Pattern[str]  # A、B等X: one named category
    item_split: re.Pattern[str]
    level: re.Pattern[str]
    kind_of: dict[str, str]  # grant word → the kind it is reported as
    default_kind: str
    particle: str
    subject_opener: str
    verb_openers: tuple[str, ...]  # a clause opening with these is the grant, not a condition
    condition_joiners: tuple[str, ...]


@functools.lru_cache(maxsize=4)
def load_award_grammar(directory: str | Path = DEFAULT_ONTOLOGY_DIR) -> AwardGrammar:
    d = Path(directory)
    r = StrictYaml(d / "measures.yaml")

    def alt(key: str) -> str:
        return alternation(r.words(key))

    kinds = r.req("grant_kinds")
    if not isinstance(kinds, dict) or not all(isinstance(v, list) for v in kinds.values()):
        raise OntologyError(f"{r.path.name}: grant_kinds: expected a mapping of kind: [words]")
    kind_of = {str(w): str(kind) for kind, words in kinds.items() for w in words}
    unit = re.escape(str(r.req("amount_unit")))
    de = re.escape(str(r.req("particle")))
    opener, verb = str(r.req("subject_opener")), str(r.req("grant_verb"))
    adverbs = r.words("grant_verb_adverbs")
    amounts = rf"{NUMBER}{unit}(?:、{NUMBER}{unit})*|{NUMBER}(?:、{NUMBER})*{unit}"
    grant = (
        rf"(?P<cap>{alt('grant_caps')})?(?P<amounts>{amounts})(?:{de})?{GRANT_GAP}"
        rf"(?P<kind>{alternation(kind_of)})"
    )
    cap_after = (
        rf"(?:(?P<kind>{alt('cap_after_kinds')})[^\d,，。;；]{{0,2}}?(?:{alt('cap_after_words')})"
        rf"|(?:{alt('cap_first_words')})(?P<kind2>{alt('cap_first_kinds')})"
        rf"|{'|'.join(r.req('per_recipient_caps'))})(?P<amount>{NUMBER}){unit}"
    )
    subject = (
        rf"(?:^|(?<=[,，;；。])){re.escape(opener)}(?P<subject>[^,，。;；]{{2,60}}?)"
        rf"(?:[,，]|(?=(?:{alternation(adverbs)})?{re.escape(verb)}))"
    )
    subject_head = (
        rf"^(?:[^{de},，]{{1,6}}{de}(?=.{{2,}})|{alt('qualifying_words')}"
        # 作为第一完成单位获得…: who receives it, then what it is for
        rf"|[^{de},，]{{2,10}}?(?:{alt('receiving_verbs')})(?=.{{4,}}))+"
    )
    bare_who = rf"{re.escape(verb)}(?P<who>[^\d,，。]{{2,12}}?)(?:{alt('cap_after_words')}|\d)"
    list_etc = load_ontology(d).list_etc
    try:
        grammar = AwardGrammar(
            grant=re.compile(grant),
            cap_after=re.compile(cap_after),
            subject=re.compile(subject),
            subject_tail=re.compile(rf"{de}(?:{alt('recipient_words')})?$"),
            subject_head=re.compile(subject_head),
            bare_who=re.compile(bare_who),
            etc=re.compile(rf"(?:{alternation(list_etc)})(?!{alt('not_etc_before')})"),
            item_split=re.compile(rf"(?!{alt('not_separators')})(?:{alt('item_separators')})"),
            level=re.compile(rf"^({alt('levels')})"),
            kind_of=kind_of,
            default_kind=str(r.req("default_kind")),
            particle=str(r.req("particle")),
            subject_opener=opener,
            verb_openers=(verb, *adverbs),
            condition_joiners=r.words("condition_joiners"),
        )
    except re.error as exc:  # per_recipient_caps are patterns
        raise OntologyError(f"{r.path.name}: {exc}") from exc
    r.done()
    return grammar


class MeasureFinder:
    def __init__(self, ont: Ontology, grammar: AwardGrammar) -> None:
        self.markers = tuple(ont.list_markers)
        self.grammar = grammar

    def __call__(self, doc: Doc) -> Doc:
        st = state_of(doc)
        text = st.text
        sections: list[Section] = st.sections
        mentions: list[Mention] = st.mentions
        numbered = [s for s in sections if s.kind == "heading" and NUMBERED.match(s.title)]
        for k, sec in enumerate(numbered):
            block_end = self._block_end(
                text, sections, sec, numbered[k + 1] if k + 1 < len(numbered) else None
            )
            block = text[sec.start : block_end]
            if not any(m in block for m in self.markers):
                continue  # a numbered paragraph of a plan, not a measure with responsible units
            num = NUMBERED.match(sec.title)
            start = sec.start + num.end()
            title = text[start : sec.end].rstrip("。. ")
            mentions.append(
                Mention(
                    start,
                    start + len(title),
                    title,
                    "Measure",
                    source="structure",
                    props={
                        "number": int(num.group(1)),
                        "block": [sec.start, block_end],
                        "awards": parse_awards(block, self.grammar),
                    },
                )
            )
        return doc

    @staticmethod
    def _block_end(text: str, sections: list[Section], sec: Section, nxt: Section | None) -> int:
        later = [s.start for s in sections if s.start > sec.start and s.level <= sec.level]
        end = min(later) if later else len(text)
        if nxt is not None:
            end = min(end, nxt.start)
        return end


def parse_awards(block: str, grammar: AwardGrammar | None = None) -> list[dict]:
    """Awards of one measure's text, one dict per rewarded thing and amount."""
    g = grammar or load_award_grammar()
    out: list[dict] = []
    for sentence in re.split(r"(?<=[。;；])", block):
        subjects = list(g.subject.finditer(sentence))
        what, items = _what(g, subjects[0] if subjects else None)
        spans: list[tuple[int, int]] = []
        for m in g.grant.finditer(sentence):
            if any(sub.start() <= m.start() < sub.end() for sub in subjects):
                continue  # an amount inside the subject (实物工作量100万元以上的) is a condition
            spans.append(m.span())
            # each grant belongs to the last 对… subject before it
            own = [sub for sub in subjects if sub.end() <= m.start()]
            what, items = _what(g, own[-1]) if own else ("", [])
            amounts = [float(a) for a in re.findall(NUMBER, m.group("amounts"))]
            clause_start = max(sentence.rfind(c, 0, m.start()) for c in ",，") + 1
            clause = sentence[clause_start : m.start()]
            # 牵头创建的给予800万元: a condition of this grant, shown after what is rewarded
            qualifier = (
                clause.split(g.particle)[0].removeprefix(g.subject_opener)
                if g.particle in clause and not clause.startswith(g.verb_openers)
                else ""
            )
            whats = items or ([what] if what else [_bare(g, clause)])
            if len(amounts) > 1 and len(whats) == len(amounts):
                pairs = list(zip(whats, amounts, strict=True))
            else:
                pairs = [(w, a) for w in whats for a in amounts[:1]]
            for what_, amount in pairs:
                label = f"{what_}({qualifier})" if qualifier and what_ and qualifier not in what_ else what_
                out.append(_award(g, label, amount, m.group("kind"), bool(m.group("cap"))))
        for c in g.cap_after.finditer(sentence):
            if any(a <= c.start() < b or a < c.end() <= b for a, b in spans):
                continue  # the same words a grant above already read
            amount = float(c.group("amount"))
            kind = c.group("kind") or c.group("kind2") or ""
            for what_ in items or [what]:
                out.append(_award(g, what_, amount, kind, True))
    return out


def _what(g: AwardGrammar, subject: re.Match[str] | None) -> tuple[str, list[str]]:
    what = _subject(g, subject.group("subject")) if subject else ""
    return what, (_items(g, what) if what else [])


def _award(g: AwardGrammar, what: str, amount: float, word: str, cap: bool) -> dict:
    return {
        "for": what,
        "amount_wan": int(amount) if amount.is_integer() else amount,
        "kind": g.kind_of.get(word, g.default_kind),
        "cap": cap,
    }


def _bare(g: AwardGrammar, clause: str) -> str:
    """A grant without an 对… subject: nothing to name unless the clause says who (给予项目承担单位)."""
    m = g.bare_who.search(clause + "0")
    return m.group("who") if m else ""


def _subject(g: AwardGrammar, raw: str) -> str:
    """获批全国重点实验室的单位 → 全国重点实验室; 新认定的高新技术企业 → 高新技术企业."""
    s = g.subject_tail.sub("", raw)
    return g.subject_head.sub("", s) or s


def _items(g: AwardGrammar, subject: str) -> list[str]:
    """省级重点实验室、技术创新中心 → [省级重点实验室, 省级技术创新中心]."""
    s = subject
    # A、B等X names X; 联合建设、独立运营且… is one condition; 承办、协办单位 is one party
    if g.etc.search(s) or any(w in s for w in g.condition_joiners):
        return [s]
    parts = [p for p in g.item_split.split(s) if p]
    if len(parts) < 2:
        return [s] if s else []
    if any(len(p) <= 2 and not g.level.fullmatch(p) for p in parts) or any(len(p) > 16 for p in parts[1:]):
        return [s]
    # 国家科学技术奖特等奖、一等奖、二等奖: later items of one length share the first one's stem
    k = len(parts[1])
    if k <= 4 and all(len(p) == k for p in parts[1:]) and len(parts[0]) > k and parts[0][-1] == parts[1][-1]:
        parts = [parts[0]] + [parts[0][:-k] + p for p in parts[1:]]
    tail = g.level.sub("", parts[-1])
    # 国家级、省级制造业创新中心: a bare level shares the noun of the last item
    parts = [p + tail if g.level.fullmatch(p) else p for p in parts]
    level = g.level.match(parts[0])
    out = [parts[0]]
    for p in parts[1:]:
        out.append(p if g.level.match(p) or not level else level.group(1) + p)
    return out


@Language.factory("ikg_measures", default_config={"ontology_dir": str(DEFAULT_ONTOLOGY_DIR)})
def make_measures(nlp: Language, name: str, ontology_dir: str) -> MeasureFinder:
    return MeasureFinder(load_ontology(ontology_dir), load_award_grammar(ontology_dir))
