"""Indicator facts: figures about a place in plans and reports.

"高新技术企业超过1500家" in a plan's goals → target 1500 家 (qualifier over, year 2025);
"全市高新技术企业约1700家" in a work report → reported 1700 家 (about, the report's year).
Each fact names what is measured (the clause's subject, mapped to the indicator vocabulary of
data/ontology/indicators.yaml when a pattern matches), value, unit, qualifier, target or reported,
year, place and the evidence span. Facts go to ``meta["indicators"]``: they are statements with
numbers, not named entities, and become Indicator nodes in the graph.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cn2an
import rjieba
import yaml
from spacy.language import Language
from spacy.tokens import Doc

from ingest.ontology import DEFAULT_ONTOLOGY_DIR
from ingest.records import Mention
from ingest.state import Sentence, state_of

CLAUSE_DELIMS = "，,；;。：:！？!?()（）"
CN_DIGITS = "零〇一二两三四五六七八九十百千万"
TIME = (
    r"(?:到|至|截至|截止)?(?:20\d\d|19\d\d)(?:—20\d\d|-20\d\d)?年(?:度|底|末|初)?(?:以来|前|上半年|前三季度)?"
    r"|“?十[一二三四五六]五”?(?:期间|末|以来|时期)?|今年(?:以来)?|去年|近[一二三四五两\d]年(?:来)?|前三季度|上半年"
)


@dataclass(frozen=True)
class VocabEntry:
    key: str
    label: str
    unit_class: str
    better: str
    patterns: tuple[re.Pattern[str], ...]


@dataclass
class Grammar:
    vocab: tuple[VocabEntry, ...]
    qualifiers_before: dict[str, str]
    qualifiers_after: dict[str, str]
    linking_verbs: tuple[str, ...]
    predicates: tuple[str, ...]
    leading_words: tuple[str, ...]
    reject_tails: tuple[str, ...]
    reject_words: tuple[str, ...]
    reject_pos: frozenset[str]
    target_cues: re.Pattern[str]
    report_cues: re.Pattern[str]
    policy_cues: tuple[str, ...]
    target_sections: tuple[str, ...]
    report_sections: tuple[str, ...]
    periods: dict[str, int]
    units: dict[str, tuple[str, float]]
    base_units: dict[str, str]

    def lookup(self, metric: str) -> VocabEntry | None:
        for entry in self.vocab:
            if any(p.fullmatch(metric) for p in entry.patterns):
                return entry
        return None


def _alternation(words: list[str] | set[str] | tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@functools.lru_cache(maxsize=4096)
def _tag(text: str) -> list[tuple[str, str]]:
    return rjieba.tag(text)


def load_grammar(ontology_dir: str | Path = DEFAULT_ONTOLOGY_DIR) -> Grammar:
    path = Path(ontology_dir) / "indicators.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    vocab = []
    for i, e in enumerate(data.get("indicators") or []):
        try:
            patterns = tuple(re.compile(p) for p in e["patterns"])
            vocab.append(
                VocabEntry(e["key"], e["label"], e["unit_class"], e.get("better", "higher"), patterns)
            )
        except (KeyError, re.error) as exc:
            raise ValueError(f"{path}: indicators[{i}]: {exc}") from exc
    return Grammar(
        vocab=tuple(vocab),
        qualifiers_before=dict(data["qualifiers_before"]),
        qualifiers_after=dict(data["qualifiers_after"]),
        linking_verbs=tuple(sorted(data["linking_verbs"], key=len, reverse=True)),
        predicates=tuple(sorted(data["predicates"], key=len, reverse=True)),
        leading_words=tuple(sorted(data["leading_words"], key=len, reverse=True)),
        reject_tails=tuple(data["reject_metric_tails"]),
        reject_words=tuple(data["reject_metric_words"]),
        reject_pos=frozenset(data.get("reject_metric_pos") or ()),
        target_cues=re.compile("|".join(data["target_cues"])),
        report_cues=re.compile("|".join(data["report_cues"])),
        policy_cues=tuple(data.get("policy_cues") or ()),
        target_sections=tuple(data["target_sections"]),
        report_sections=tuple(data["report_sections"]),
        periods={str(k): int(v) for k, v in data["periods"].items()},
        units={str(k): (str(v[0]), float(v[1])) for k, v in data["units"].items()},
        base_units=dict(data["base_units"]),
    )


@dataclass
class DocFrame:
    """One document as the finder reads it: its text (read once: spaCy rebuilds ``doc.text`` from
    the tokens on every access), sentences, home city, place mentions and time frame."""

    text: str
    sentences: list[Sentence]
    home: str
    regions: list[Mention]
    period_end: int | None  # the plan period's end year (十四五 → 2025), if the title names one
    latest: int | None  # the latest year the document states that is not a target


class IndicatorFinder:
    def __init__(self, grammar: Grammar) -> None:
        self.g = grammar
        number = rf"\d+(?:\.\d+)?|[{CN_DIGITS}]{{2,}}"
        self.figure = re.compile(
            rf"(?P<qb>{_alternation(grammar.qualifiers_before)})?"
            rf"(?P<num>{number})(?P<more>多|余)?(?P<unit>{_alternation(grammar.units)})"
            rf"(?P<qa>{_alternation(grammar.qualifiers_after)})?"
        )
        self.time = re.compile(rf"(?:{TIME})")
        self.leading = re.compile(rf"^(?:(?:{TIME})|{_alternation(grammar.leading_words)}|[的,，、\s])+")
        self.trailing = re.compile(
            rf"(?:{_alternation(grammar.linking_verbs)}|(?:由|从)?(?:{TIME})?的?|[的,，\s])+$"
        )
        self.year = re.compile(r"(20\d\d|19\d\d)年")
        # a year also stands bare before a name (2024中欧…大会), never before a unit or digit
        self.any_year = re.compile(r"(?<![\d.])(19[5-9]\d|20[0-4]\d)(?=年|[^\d.%万亿元家个项件人名位多余])")
        # 到2025年 is a deadline; 提高到2019年度的2.83% is not
        self.target_year = re.compile(r"(?<![高长加升降])到(20\d\d)年")
        self.baseline = re.compile(rf"(?:由|从)(?:{TIME})?的?$")
        self.level = re.compile(r"^(国家级|省级|市级|县级|区级|国家|省|市)(?:及|\(含\))?(?:以上)?")
        self.aside = re.compile(r"\([^()]{1,12}\)")  # 研发(R&D)经费: a short parenthesis is no clause break

    # -- the document's time frame --------------------------------------------------------------
    def _frame(self, text: str) -> tuple[int | None, int | None]:
        """(the plan period's end year, the document's latest stated year that is not a target)."""
        period_end = None
        head = text[:300]
        for name, end in self.g.periods.items():
            if name in head:
                period_end = end
        targets = {int(y) for y in self.target_year.findall(text)}
        stated = [int(y) for y in self.any_year.findall(text) if int(y) not in targets]
        return period_end, (max(stated) if stated else None)

    def __call__(self, doc: Doc) -> Doc:
        st = state_of(doc)
        text = st.text
        frame = DocFrame(
            text,
            st.sentences,
            st.home.name if st.home else "",
            [m for m in st.mentions if m.label == "Region"],
            *self._frame(text),
        )
        facts: list[dict[str, Any]] = []
        carry: dict[str, Any] = {"paragraph": -1, "metric": ""}
        for sent in frame.sentences:
            if sent.paragraph != carry["paragraph"]:
                carry = {"paragraph": sent.paragraph, "metric": ""}
            facts.extend(self._sentence(frame, sent, carry))
        st.indicators = facts
        return doc

    # -- one sentence ----------------------------------------------------------------------------
    def _sentence(self, frame: DocFrame, sent: Sentence, carry: dict[str, Any]) -> list[dict[str, Any]]:
        text = frame.text
        s_text = text[sent.start : sent.end]
        out: list[dict[str, Any]] = []
        if any(c in s_text for c in self.g.policy_cues):
            return out
        # cut clauses on a copy with short parentheses blanked out (same offsets)
        masked = self.aside.sub(lambda a: " " * len(a.group()), s_text)
        # the subject of the figure before, within a paragraph (国家级平台29个、省级472个)
        prev_metric: str = carry["metric"]
        clause_metric = ""  # the subject shared by several figures of one clause (由X提高到Y)
        clause_start = 0
        clause_cut = -2
        for m in self.figure.finditer(s_text):
            value = self._value(m.group("num"))
            if value is None:
                continue
            # the clause the figure closes: back to the last delimiter (、 only between figures)
            cut = max(masked.rfind(d, 0, m.start()) for d in CLAUSE_DELIMS + "、")
            if cut != clause_cut or not clause_metric:
                clause_cut = cut
                clause_start = cut + 1
                raw = s_text[clause_start : m.start()]
                metric = self._metric(raw)
                if not metric and cut >= 0 and s_text[cut] in ",，":
                    # 高新技术企业数量实现倍增,达到1000家: the subject is in the clause before
                    before = s_text[max(masked.rfind(d, 0, cut) for d in CLAUSE_DELIMS) + 1 : cut]
                    metric = self._metric(self._drop_predicate(before))
                if metric and self.level.fullmatch(metric) and prev_metric:
                    metric = self.level.sub(metric, prev_metric, count=1)  # 省级 → 省级创新平台
                clause_metric = metric
            else:  # a second figure of the same clause: same subject
                raw = s_text[clause_start : m.start()]
                metric = clause_metric
            clause_start = m.end()
            if not metric or not self._plausible(metric):
                continue
            prev_metric = carry["metric"] = metric
            region, metric = self._region(frame, metric, sent.start + m.start(), sent)
            if not metric:
                continue
            entry = self.g.lookup(metric)
            unit_class, factor = self.g.units[m.group("unit")]
            if entry and entry.unit_class != unit_class:
                entry = None  # 高新技术企业…3.8倍 / a share stated in 家: not this indicator
            kind, year, year_source = self._time(frame, sent, s_text, m.start(), raw)
            if self.baseline.search(raw):  # 由1.23%提高到2.83% / 从4.35件增长到13.4件: the start value
                kind, year, year_source = "baseline", self._explicit_year(raw), "sentence"

            qualifier = self.g.qualifiers_before.get(m.group("qb") or "", "") or (
                self.g.qualifiers_after.get(m.group("qa") or "", "")
                or self.g.qualifiers_after.get(m.group("more") or "", "")
            )
            start, end = sent.start + m.start(), sent.start + m.end()
            out.append(
                {
                    "id": f"ind{start}",
                    "key": entry.key if entry else "",
                    "label": entry.label if entry else metric,
                    "metric": metric,
                    "value": value,
                    "unit": m.group("unit"),
                    "unit_class": unit_class,
                    "value_base": round(value * factor, 6),
                    "base_unit": self.g.base_units.get(unit_class, m.group("unit")),
                    "qualifier": qualifier,
                    "kind": kind,
                    "year": year,
                    "year_source": year_source,
                    "region": region,
                    "better": entry.better if entry else "",
                    "evidence": {
                        "section": list(sent.path),
                        "sentence_index": sent.index,
                        "sentence": s_text,
                        "start": start,
                        "end": end,
                        "text": text[start:end],
                        "sentence_start": sent.start,
                    },
                }
            )
        return out

    @staticmethod
    def _value(num: str) -> float | None:
        if num[0].isdigit():
            return float(num)
        if not any(c in num for c in "十百千万"):
            return None  # 一二 … without a place word is not a number here
        try:
            return float(cn2an.cn2an(num, "smart"))
        except ValueError:
            return None

    def _metric(self, raw: str) -> str:
        metric = self.aside.sub("", raw).strip()
        for _ in range(3):  # leading and trailing words alternate: 到2025年,全市…达到
            metric = self.leading.sub("", metric)
            metric = self.trailing.sub("", metric)
        return metric

    def _drop_predicate(self, clause: str) -> str:
        for p in self.g.predicates:
            if clause.endswith(p):
                return clause[: -len(p)]
        return ""

    def _plausible(self, metric: str) -> bool:
        if not 2 <= len(metric) <= 40 or any(c.isdigit() for c in metric):
            return False
        if metric.endswith(self.g.reject_tails) or any(w in metric for w in self.g.reject_words):
            return False
        if any(q in metric for q in '“”"'):
            return False
        if self.g.lookup(metric):
            return True
        words = _tag(metric)  # (word, flag): the same tagger as the tokenizer's
        if len(words) == 1 and words[0][1].startswith("v"):
            return False  # 建设 5家: the counted thing follows the number
        return bool(words) and words[-1][1] not in self.g.reject_pos

    def _region(self, frame: DocFrame, metric: str, offset: int, sent: Sentence) -> tuple[str, str]:
        """The place a figure is about: a region named at the front of its subject, else the home city."""
        for r in frame.regions:
            if sent.start <= r.start < offset and metric.startswith(r.text):
                return r.name, self._metric(metric[len(r.text) :])
        return frame.home, metric

    def _time(
        self,
        frame: DocFrame,
        sent: Sentence,
        s_text: str,
        at: int,
        raw: str,
    ) -> tuple[str, int | None, str]:
        """(target|reported, year, where the year came from)."""
        path = "".join(sent.path)
        in_report = any(w in path for w in self.g.report_sections)
        in_target = any(w in path for w in self.g.target_sections)
        before = s_text[:at]
        explicit_target = bool(self.target_year.search(s_text))
        reported_cue = bool(self.g.report_cues.search(s_text))
        is_target = explicit_target or (
            not in_report
            and not reported_cue
            # a plan's goals and tasks state targets; a report's sentences state results
            and (bool(self.g.target_cues.search(s_text)) or in_target or frame.period_end is not None)
        )
        if is_target:
            found = self.target_year.findall(before) or self.target_year.findall(s_text)
            if found:
                return "target", int(found[-1]), "sentence"
            context = self._section_target_year(frame, sent)
            if context:
                return "target", context, "section"
            for name, end in self.g.periods.items():
                if name in s_text:
                    return "target", end, "period"
            return "target", frame.period_end, "plan period"
        years = [int(y) for y in self.year.findall(raw)] or [
            int(y) for y in self.year.findall(before) if f"到{y}年" not in before
        ]
        if years:
            return "reported", years[-1], "sentence"
        for name, end in self.g.periods.items():
            if name in before:
                return "reported", end, "period"
        if in_report and frame.period_end:  # a plan reports where its period starts
            return "reported", frame.period_end - 5, "plan base year"
        return "reported", frame.latest, "document"

    def _explicit_year(self, raw: str) -> int | None:
        found = self.year.findall(raw)
        return int(found[-1]) if found else None

    def _section_target_year(self, frame: DocFrame, sent: Sentence) -> int | None:
        """到2025年 said earlier in the same section (the goals paragraph opens with it)."""
        for s in reversed(frame.sentences[: sent.index]):
            if s.path != sent.path:
                break
            found = self.target_year.findall(frame.text[s.start : s.end])
            if found:
                return int(found[-1])
        return None


@Language.factory("ikg_indicators", default_config={"ontology_dir": str(DEFAULT_ONTOLOGY_DIR)})
def make_indicators(nlp: Language, name: str, ontology_dir: str) -> IndicatorFinder:
    return IndicatorFinder(load_grammar(ontology_dir))
