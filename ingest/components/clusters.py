"""Industry clusters from document structure, and counted structures with their declared counts.

A plan lists its clusters as the sub-headings of a section about 产业集群 ("七、…支撑重点产业集群…"
→ "(一)新一代信息技术。"); the 专栏 box under each sub-heading repeats the cluster's name, often in
a variant form (时尚与休闲运动产品 / 时尚创意与休闲运动产品), which becomes an alias.
Counted structures ("八大产业集群", "十条优势产业链", "“1+4+N”") keep their declared count in
``doc._.ikg_meta["structures"]``.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from ingest.doc_ext import Section, ensure_extensions
from ingest.records import Mention
from ingest.text import CN_DIGITS

CLUSTER_SECTION = re.compile(r"产业集群")
MARKER = re.compile(r"^(\([一二三四五六七八九十]+\)|专栏\s*\d+\s*)")
COUNTED = re.compile(
    rf"([0-9{CN_DIGITS}]+)(大|条|个|项)?(优势|重点|特色|新兴|主导|战略性新兴)?"
    r"(产业集群|产业链条|产业链|创新平台|平台|科创走廊)"
)
# a sub-heading that starts like a task ("推进…", "聚焦…") names an action, not a cluster
VERBISH = re.compile(
    r"^(推进|推动|聚焦|加快|加强|促进|围绕|实施|提升|强化|深化|完善|打造|建设|构建|培育|发展|优化)"
)
_CN_VALUE = {c: i for i, c in enumerate("零一二三四五六七八九")}


def cn_number(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    if s == "十":
        return 10
    if len(s) == 2 and s[0] == "十":
        return 10 + _CN_VALUE.get(s[1], 0)
    if len(s) == 2 and s[1] == "十":
        return _CN_VALUE.get(s[0], 0) * 10
    if len(s) == 3 and s[1] == "十":
        return _CN_VALUE.get(s[0], 0) * 10 + _CN_VALUE.get(s[2], 0)
    if len(s) == 1 and s in _CN_VALUE:
        return _CN_VALUE[s]
    if s == "两":
        return 2
    return None


class ClusterFinder:
    def __call__(self, doc: Doc) -> Doc:
        ensure_extensions()
        text = doc.text
        sections: list[Section] = doc._.ikg_sections or []
        mentions: list[Mention] = doc._.ikg_mentions or []
        current_cluster: Mention | None = None
        in_cluster_part = False
        for sec in sections:
            if sec.level == 1:
                in_cluster_part = bool(CLUSTER_SECTION.search(sec.title))
                current_cluster = None
                continue
            if not in_cluster_part:
                continue
            m = MARKER.match(sec.title)
            start = sec.start + (m.end() if m else 0)
            title = text[start : sec.end].rstrip("。. ")
            if not title or len(title) > 16 or re.match(VERBISH, title):
                continue
            end = start + len(title)
            if sec.level == 2:
                current_cluster = Mention(
                    start, end, title, "IndustryCluster", source="structure", props={"section": sec.title}
                )
                mentions.append(current_cluster)
            elif sec.kind == "box" and current_cluster is not None:
                mentions.append(
                    Mention(
                        start,
                        end,
                        title,
                        "IndustryCluster",
                        source="structure",
                        aliases=[current_cluster.name],
                        props={"section": sec.title},
                    )
                )
        meta = doc._.ikg_meta or {}
        meta["structures"] = self._counted(text)
        doc._.ikg_meta = meta
        doc._.ikg_mentions = mentions
        return doc

    @staticmethod
    def _counted(text: str) -> list[dict]:
        out = []
        seen = set()
        for m in COUNTED.finditer(text):
            n = cn_number(m.group(1))
            if n is None or n < 2 or m.group(0) in seen:
                continue
            # "10个产业链条" and "十条优势产业链" both declare a number of chains
            if not (m.group(2) or m.group(3)):
                continue
            seen.add(m.group(0))
            kind = (
                "IndustryCluster"
                if "集群" in m.group(4)
                else ("IndustryChain" if "链" in m.group(4) else "Platform")
            )
            out.append({"name": m.group(0), "declared": n, "kind": kind, "start": m.start(), "end": m.end()})
        return out


@Language.factory("ikg_clusters")
def make_clusters(nlp: Language, name: str) -> ClusterFinder:
    return ClusterFinder()
