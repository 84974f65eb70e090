"""Policy measures of implementation opinions: numbered items that name their 责任单位.

"1.优化技术创新平台布局。…对获批…的单位,给予不超过500万元奖励。…(责任单位:市科技局、市财政局)"
becomes a Measure (number, title, the span of its text) with its awards as structured data:
what is rewarded, the amount in 万元, whether it is a cap (不超过/最高) and whether it is a reward
or a subsidy. The agencies in the list become RESPONSIBLE_FOR relations (relations component).
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from ingest.ontology import DEFAULT_ONTOLOGY_DIR, Ontology, load_ontology
from ingest.records import Mention
from ingest.state import Section, state_of

NUMBERED = re.compile(r"^(\d{1,3})[.．、]")
AMOUNTS = r"\d+(?:\.\d+)?万元(?:、\d+(?:\.\d+)?万元)*|\d+(?:\.\d+)?(?:、\d+(?:\.\d+)?)*万元"
# "给予不超过500万元奖励", "分别给予500万元、200万元配套奖励", "不超过50万元的财政“拨”款补助",
# "上限不超过20万元的补贴", "不超过50万元服务费用": amount, then a few words, then what it is
GRANT = re.compile(
    rf"(?P<cap>最高不超过|上限不超过|不超过|最高|最多)?(?P<amounts>{AMOUNTS})"
    r"(?:的)?(?:[^\d,，。;；、]{0,8}?)(?P<kind>奖励|补助|资助|奖补|补贴|贴息|资金支持|支持|服务费用)"
)
# a cap stated after the grant: "每家企业年度内补助资金不超过100万元", "年贴息额度最高20万元",
# "最高补贴5万元", "每家企业贴息不超过50万元", "每家每年不超过30万元"
CAP_AFTER = re.compile(
    r"(?:(?P<kind>补助资金|补助|贴息额度|贴息|补贴|奖励)[^\d,，。;；]{0,2}?(?:不超过|最高|上限不超过)"
    r"|(?:最高|上限)(?P<kind2>补贴|补助|奖励|贴息)"
    r"|每家(?:企业)?每年(?:最高)?不超过)(?P<amount>\d+(?:\.\d+)?)万元"
)
# 对… opens a clause (对接 inside a clause is no subject)
SUBJECT = re.compile(
    r"(?:^|(?<=[,，;；。]))对(?P<subject>[^,，。;；]{2,60}?)(?:[,，]|(?=(?:一次性|分别)?给予))"
)
SUBJECT_TAIL = re.compile(r"的(?:单位|企业|机构|团队|个人|项目|平台|牵头企业|高校|科研机构)?$")
SUBJECT_HEAD = re.compile(
    r"^(?:[^的,，]{1,6}的(?=.{2,})|获批|成功创建|新认定|认定为|新获批|获得|升级为|首次|入选"
    # 作为第一完成单位获得…: who receives it, then what it is for
    r"|[^的,，]{2,10}?(?:获得|获批|入选)(?=.{4,}))+"
)
LEVEL = re.compile(r"^(国家级|省级|市级|国家|省|市)")


class MeasureFinder:
    def __init__(self, ont: Ontology) -> None:
        self.markers = tuple(ont.list_markers)

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
                        "awards": parse_awards(block),
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


def parse_awards(block: str) -> list[dict]:
    """Awards of one measure's text, one dict per rewarded thing and amount."""
    out: list[dict] = []
    for sentence in re.split(r"(?<=[。;；])", block):
        subjects = list(SUBJECT.finditer(sentence))
        what, items = _what(subjects[0] if subjects else None)
        spans: list[tuple[int, int]] = []
        for g in GRANT.finditer(sentence):
            if any(sub.start() <= g.start() < sub.end() for sub in subjects):
                continue  # an amount inside the subject (实物工作量100万元以上的) is a condition
            spans.append(g.span())
            # each grant belongs to the last 对… subject before it
            own = [sub for sub in subjects if sub.end() <= g.start()]
            what, items = _what(own[-1]) if own else ("", [])
            amounts = [float(a) for a in re.findall(r"\d+(?:\.\d+)?", g.group("amounts"))]
            clause_start = max(sentence.rfind(c, 0, g.start()) for c in ",，") + 1
            clause = sentence[clause_start : g.start()]
            qualifier = (
                clause.split("的")[0].removeprefix("对")
                if "的" in clause and not clause.startswith(("给予", "分别"))
                else ""
            )
            whats = items or ([what] if what else [_bare(clause)])
            if len(amounts) > 1 and len(whats) == len(amounts):
                pairs = list(zip(whats, amounts, strict=True))
            else:
                pairs = [(w, a) for w in whats for a in amounts[:1]]
            for what_, amount in pairs:
                label = f"{what_}({qualifier})" if qualifier and what_ and qualifier not in what_ else what_
                out.append(_award(label, amount, g.group("kind"), bool(g.group("cap"))))
        for c in CAP_AFTER.finditer(sentence):
            if any(a <= c.start() < b or a < c.end() <= b for a, b in spans):
                continue  # the same words a grant above already read
            amount = float(c.group("amount"))
            kind = c.group("kind") or c.group("kind2") or "补助"
            for what_ in items or [what]:
                out.append(_award(what_, amount, kind, True))
    return out


def _what(subject: re.Match[str] | None) -> tuple[str, list[str]]:
    what = _subject(subject.group("subject")) if subject else ""
    return what, (_items(what) if what else [])


def _award(what: str, amount: float, kind: str, cap: bool) -> dict:
    return {
        "for": what,
        "amount_wan": int(amount) if amount.is_integer() else amount,
        "kind": "奖励" if kind in ("奖励", "奖补") else "补助",
        "cap": cap,
    }


def _bare(clause: str) -> str:
    """A grant without an 对… subject: nothing to name unless the clause says who (给予项目承担单位)."""
    m = re.search(r"给予(?P<who>[^\d,，。]{2,12}?)(?:不超过|最高|\d)", clause + "0")
    return m.group("who") if m else ""


def _subject(raw: str) -> str:
    """获批全国重点实验室的单位 → 全国重点实验室; 新认定的高新技术企业 → 高新技术企业."""
    s = SUBJECT_TAIL.sub("", raw)
    return SUBJECT_HEAD.sub("", s) or s


def _items(subject: str) -> list[str]:
    """省级重点实验室、技术创新中心 → [省级重点实验室, 省级技术创新中心]."""
    s = subject
    # A、B等X names X; 联合建设、独立运营且… is one condition; 承办、协办单位 is one party
    if re.search(r"等(?![奖级次])", s) or "且" in s:
        return [s]
    parts = [p for p in re.split(r"、|和|及(?!以上)", s) if p]
    if len(parts) < 2:
        return [s] if s else []
    if any(len(p) <= 2 and not LEVEL.fullmatch(p) for p in parts) or any(len(p) > 16 for p in parts[1:]):
        return [s]
    # 国家科学技术奖特等奖、一等奖、二等奖: later items of one length share the first one's stem
    k = len(parts[1])
    if k <= 4 and all(len(p) == k for p in parts[1:]) and len(parts[0]) > k and parts[0][-1] == parts[1][-1]:
        parts = [parts[0]] + [parts[0][:-k] + p for p in parts[1:]]
    tail = LEVEL.sub("", parts[-1])
    # 国家级、省级制造业创新中心: a bare level shares the noun of the last item
    parts = [p + tail if LEVEL.fullmatch(p) else p for p in parts]
    level = LEVEL.match(parts[0])
    out = [parts[0]]
    for p in parts[1:]:
        out.append(p if LEVEL.match(p) or not level else level.group(1) + p)
    return out


@Language.factory("ikg_measures", default_config={"ontology_dir": str(DEFAULT_ONTOLOGY_DIR)})
def make_measures(nlp: Language, name: str, ontology_dir: str) -> MeasureFinder:
    return MeasureFinder(load_ontology(ontology_dir))
