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

from ingest.doc_ext import Section, ensure_extensions
from ingest.ontology import DEFAULT_ONTOLOGY_DIR, Ontology, load_ontology
from ingest.records import Mention

NUMBERED = re.compile(r"^(\d{1,3})[.．、]")
GRANT = re.compile(
    r"(?P<cap>不超过|最高|最多|最高不超过)?(?P<amounts>\d+(?:\.\d+)?万元(?:、\d+(?:\.\d+)?万元)*|"
    r"\d+(?:\.\d+)?(?:、\d+(?:\.\d+)?)*万元)(?:的)?(?P<kind>奖励|补助|资助|奖补|支持)"
)
SUBJECT = re.compile(r"对(?P<subject>[^,，。;；]{2,60})[,，]")
SUBJECT_TAIL = re.compile(r"的(?:单位|企业|机构|团队|个人|项目|平台|牵头企业|高校|科研机构)?$")
SUBJECT_HEAD = re.compile(
    r"^(?:[^的,，]{1,6}的(?=.{2,})|获批|成功创建|新认定|认定为|新获批|获得|升级为|首次)+"
)
LEVEL = re.compile(r"^(国家级|省级|市级|国家|省|市)")


class MeasureFinder:
    def __init__(self, ont: Ontology) -> None:
        self.markers = tuple(ont.list_markers)

    def __call__(self, doc: Doc) -> Doc:
        ensure_extensions()
        text = doc.text
        sections: list[Section] = doc._.ikg_sections or []
        mentions: list[Mention] = doc._.ikg_mentions or []
        numbered = [s for s in sections if s.level == 3 and s.kind == "heading" and NUMBERED.match(s.title)]
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
        doc._.ikg_mentions = mentions
        return doc

    @staticmethod
    def _block_end(text: str, sections: list[Section], sec: Section, nxt: Section | None) -> int:
        later = [s.start for s in sections if s.start > sec.start and s.level <= 3]
        end = min(later) if later else len(text)
        if nxt is not None:
            end = min(end, nxt.start)
        return end


def parse_awards(block: str) -> list[dict]:
    """Awards of one measure's text, one dict per rewarded thing and amount."""
    out: list[dict] = []
    for sentence in re.split(r"(?<=[。;；])", block):
        subject = SUBJECT.search(sentence)
        what = _subject(subject.group("subject")) if subject else ""
        items = _items(what) if what else []
        pos = subject.end() if subject else 0
        for g in GRANT.finditer(sentence, pos):
            amounts = [float(a) for a in re.findall(r"\d+(?:\.\d+)?", g.group("amounts"))]
            clause_start = max(sentence.rfind(c, 0, g.start()) for c in ",，") + 1
            clause = sentence[clause_start : g.start()]
            qualifier = (
                clause.split("的")[0] if "的" in clause and not clause.startswith(("给予", "分别")) else ""
            )
            whats = items or ([what] if what else [clause])
            if len(amounts) > 1 and len(whats) == len(amounts):
                pairs = list(zip(whats, amounts, strict=True))
            else:
                pairs = [(w, a) for w in whats for a in amounts[:1]]
            for what, amount in pairs:
                label = f"{what}({qualifier})" if qualifier else what
                out.append(
                    {
                        "for": label,
                        "amount_wan": int(amount) if amount.is_integer() else amount,
                        "kind": "补助" if g.group("kind") in ("补助", "资助") else "奖励",
                        "cap": bool(g.group("cap")),
                    }
                )
    return out


def _subject(raw: str) -> str:
    """获批全国重点实验室的单位 → 全国重点实验室; 新认定的高新技术企业 → 高新技术企业."""
    s = SUBJECT_TAIL.sub("", raw)
    return SUBJECT_HEAD.sub("", s) or s


def _items(subject: str) -> list[str]:
    """省级重点实验室、技术创新中心 → [省级重点实验室, 省级技术创新中心]."""
    s = subject
    parts = [p for p in re.split(r"、", s) if p]
    if len(parts) < 2:
        return [s] if s else []
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
