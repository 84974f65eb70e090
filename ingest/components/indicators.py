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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import rjieba
from spacy.language import Language
from spacy.tokens import Doc

from ingest.numerals import NUMERAL_CHARS, to_quantity
from ingest.ontology import DEFAULT_ONTOLOGY_DIR, OntologyError, StrictYaml
from ingest.records import Mention
from ingest.state import Sentence, state_of
from ingest.text import alternation

CLAUSE_DELIMS = "，,；;。：:！？!?()（）"
VOCAB_KEYS = frozenset({"key", "label", "unit_class", "better", "patterns"})


@dataclass(frozen=True)
class VocabEntry:
    key: str
    label: str
    unit_class: str
    better: str
    patterns: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class Grammar:
    vocab: tuple[VocabEntry, ...]
    qualifiers_before: dict[str, str]
    qualifiers_after: dict[str, str]
    qualifiers_inside: dict[str, str]
    particle: str
    baseline_words: tuple[str, ...]
    level: re.Pattern[str]
    linking_verbs: tuple[str, ...]
    predicates: tuple[str, ...]
    leading_words: tuple[str, ...]
    reject_tails: tuple[str, ...]
    reject_words: tuple[str, ...]
    reject_pos: frozenset[str]
    time: str  # the alternation of time phrases, a regex fragment
    year: re.Pattern[str]
    bare_year: re.Pattern[str]
    to_year: re.Pattern[str]
    deadline: re.Pattern[str]
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


@functools.lru_cache(maxsize=4096)
def _tag(text: str) -> list[tuple[str, str]]:
    return rjieba.tag(text)


@functools.lru_cache(maxsize=4)
def load_grammar(ontology_dir: str | Path = DEFAULT_ONTOLOGY_DIR) -> Grammar:
    r = StrictYaml(Path(ontology_dir) / "indicators.yaml")
    name = r.path.name
    vocab = []
    for i, e in enumerate(r.req("indicators")):
        try:
            unknown = set(e) - VOCAB_KEYS
            if unknown:
                raise OntologyError(f"keys no code reads: {', '.join(sorted(unknown))}")
            patterns = tuple(re.compile(p) for p in e["patterns"])
            vocab.append(
                VocabEntry(e["key"], e["label"], e["unit_class"], e.get("better", "higher"), patterns)
            )
        except (KeyError, re.error, OntologyError) as exc:
            raise OntologyError(f"{name}: indicators[{i}]: {exc}") from exc
    try:
        deadline = str(r.req("deadline"))
        grammar = Grammar(
            vocab=tuple(vocab),
            qualifiers_before=dict(r.req("qualifiers_before")),
            qualifiers_after=dict(r.req("qualifiers_after")),
            qualifiers_inside=dict(r.req("qualifiers_inside")),
            particle=str(r.req("particle")),
            baseline_words=r.words("baseline_words"),
            level=re.compile(r.req("level")),
            linking_verbs=r.words("linking_verbs"),
            predicates=r.words("predicates"),
            leading_words=r.words("leading_words"),
            reject_tails=r.words("reject_metric_tails"),
            reject_words=r.words("reject_metric_words"),
            reject_pos=frozenset(r.words("reject_metric_pos")),
            time="|".join(f"(?:{t})" for t in r.req("time_phrases")),
            year=re.compile(r.req("year")),
            bare_year=re.compile(r.req("bare_year")),
            to_year=re.compile(r.req("to_year")),
            deadline=re.compile(deadline),
            # a deadline is a target cue too
            target_cues=re.compile("|".join([deadline, *r.req("target_cues")])),
            report_cues=re.compile("|".join(r.req("report_cues"))),
            policy_cues=r.words("policy_cues"),
            target_sections=r.words("target_sections"),
            report_sections=r.words("report_sections"),
            periods={str(k): int(v) for k, v in r.req("periods").items()},
            units={str(k): (str(v[0]), float(v[1])) for k, v in r.req("units").items()},
            base_units=dict(r.req("base_units")),
        )
    except re.error as exc:
        raise OntologyError(f"{name}: {exc}") from exc
    r.done()
    return grammar


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
    target_years: dict[int, list[str]] = field(default_factory=dict)  # by sentence index, once each


class IndicatorFinder:
    def __init__(self, grammar: Grammar) -> None:
        self.g = grammar
        number = rf"\d+(?:\.\d+)?|[{NUMERAL_CHARS}]{{2,}}"
        self.figure = re.compile(
            rf"(?P<qb>{alternation(grammar.qualifiers_before)})?"
            rf"(?P<num>{number})(?P<more>{alternation(grammar.qualifiers_inside)})?"
            rf"(?P<unit>{alternation(grammar.units)})"
            rf"(?P<qa>{alternation(grammar.qualifiers_after)})?"
        )
        time, de = grammar.time, re.escape(grammar.particle)
        baseline = alternation(grammar.baseline_words)
        self.leading = re.compile(rf"^(?:(?:{time})|{alternation(grammar.leading_words)}|[{de},，、\s])+")
        self.trailing = re.compile(
            rf"(?:{alternation(grammar.linking_verbs)}|(?:{baseline})?(?:{time})?(?:{de})?|[{de},，\s])+$"
        )
        self.year = grammar.year
        self.any_year = grammar.bare_year
        self.target_year = grammar.deadline
        self.baseline = re.compile(rf"(?:{baseline})(?:{time})?(?:{de})?$")
        self.level = grammar.level
        self._lookups: dict[str, VocabEntry | None] = {}
        self.policy = re.compile(alternation(grammar.policy_cues))
        self.aside = re.compile(r"\([^()]{1,12}\)")  # 研发(R&D)经费: a short parenthesis is no clause break

    def _lookup(self, metric: str) -> VocabEntry | None:
        # a subject recurs through a document and across documents: each is looked up once
        if metric not in self._lookups:
            if len(self._lookups) >= 50_000:
                self._lookups.clear()  # bounded over a long run
            self._lookups[metric] = self.g.lookup(metric)
        return self._lookups[metric]

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
        if self.policy.search(s_text):
            return out
        masked = ""  # a copy with short parentheses blanked out (same offsets) to cut clauses on
        # the subject of the figure before, within a paragraph (国家级平台29个、省级472个)
        prev_metric: str = carry["metric"]
        clause_metric = ""  # the subject shared by several figures of one clause (由X提高到Y)
        clause_start = 0
        clause_cut = -2
        for m in self.figure.finditer(s_text):
            value = to_quantity(m.group("num"))
            if value is None:
                continue
            if not masked:
                masked = self.aside.sub(lambda a: " " * len(a.group()), s_text)
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
            entry = self._lookup(metric)
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

    def _metric(self, raw: str) -> str:
        metric = self.aside.sub("", raw).strip()
        for _ in range(3):  # leading and trailing words alternate: 到2025年,全市…达到
            before = metric
            metric = self.trailing.sub("", self.leading.sub("", metric))
            if metric == before:
                break
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
        if self._lookup(metric):
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
        reached_to = set(self.g.to_year.findall(before))
        years = [int(y) for y in self.year.findall(raw)] or [
            int(y) for y in self.year.findall(before) if y not in reached_to
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
        for i in range(sent.index - 1, -1, -1):
            s = frame.sentences[i]
            if s.path != sent.path:
                break
            if i not in frame.target_years:
                frame.target_years[i] = self.target_year.findall(frame.text[s.start : s.end])
            if frame.target_years[i]:
                return int(frame.target_years[i][-1])
        return None


@Language.factory("ikg_indicators", default_config={"ontology_dir": str(DEFAULT_ONTOLOGY_DIR)})
def make_indicators(nlp: Language, name: str, ontology_dir: str) -> IndicatorFinder:
    return IndicatorFinder(load_grammar(ontology_dir))
