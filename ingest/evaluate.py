"""Scoring extractions against gold annotations: per document, by type, and the macro over documents.

The matching follows the gold guidelines' scorer: names compared after NFKC normalisation with quotes
and whitespace removed; a predicted entity matches a gold entity when any of its names equals any
gold name, one-to-one, greedy, typed matches first; relations match on (type, matched source,
matched target), COOPERATES_WITH undirected. A prediction that matches nothing but names an item the
gold lists as ``unsure`` counts neither way, nor do the relations touching it.
"""

from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.ontology import PROJECT_ROOT

UNDIRECTED = {"COOPERATES_WITH"}
# Facts with numbers, scored elsewhere: the entity figures leave them out (and their relations).
NOT_ENTITIES = ("Measure", "Indicator")
INNOVATION_ACTORS = (
    "University",
    "ResearchInstitute",
    "Lab",
    "Platform",
    "Park",
    "Incubator",
    "Enterprise",
    "IndustryCluster",
    "IndustryChain",
)
DEFAULT_GOLD = PROJECT_ROOT.parent / "shared" / "gold"
DEFAULT_CORPORA = (PROJECT_ROOT.parent / "shared" / "corpus", PROJECT_ROOT / "data" / "raw")
_DROP = str.maketrans("", "", "“”\"'‘’「」『』《》 \t\r\n\u3000")


def norm(name: str) -> str:
    return unicodedata.normalize("NFKC", name or "").translate(_DROP)


def names(ent: dict) -> set[str]:
    out = {norm(ent.get("name", ""))}
    out.update(norm(a) for a in ent.get("aliases", []) or [])
    out.discard("")
    return out


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Tally) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def p(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.p, self.r
        return 2 * p * r / (p + r) if p + r else 0.0


def _total(by_type: dict[str, Tally], only: Iterable[str] | None = None) -> Tally:
    keep = set(only) if only is not None else None
    out = Tally()
    for t, c in by_type.items():
        if keep is None or t in keep:
            out.add(c)
    return out


@dataclass
class DocScore:
    doc: str
    entities: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    relations: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, type, text)

    @property
    def entity(self) -> Tally:
        return _total(self.entities)

    @property
    def actors(self) -> Tally:
        return _total(self.entities, INNOVATION_ACTORS)

    @property
    def relation(self) -> Tally:
        return _total(self.relations)


def _match(gold: list[dict], pred: list[dict]) -> dict[str, str]:
    """pred id → gold id, one-to-one, typed matches first."""
    index: dict[str, list[dict]] = defaultdict(list)
    for g in gold:
        for n in names(g):
            index[n].append(g)
    taken: set[str] = set()
    mapping: dict[str, str] = {}
    for typed in (True, False):
        for p in pred:
            if p["id"] in mapping:
                continue
            for n in names(p):
                for g in index.get(n, []):
                    if g["id"] in taken or (typed and g.get("type") != p.get("type")):
                        continue
                    mapping[p["id"]] = g["id"]
                    taken.add(g["id"])
                    break
                if p["id"] in mapping:
                    break
    return mapping


def _rel_key(typ: str, a: str, b: str) -> tuple[str, str, str]:
    if typ in UNDIRECTED and b < a:
        a, b = b, a
    return (typ, a, b)


def score(gold: dict, pred: dict, exclude: Iterable[str] = NOT_ENTITIES) -> DocScore:
    """Score one document's prediction against its gold (both in the gold JSON shape)."""
    drop = set(exclude)
    gents = [e for e in gold.get("entities", []) if e.get("type") not in drop]
    pents = [e for e in pred.get("entities", []) if e.get("type") not in drop]
    gby = {e["id"]: e for e in gents}
    pby = {e["id"]: e for e in pents}
    out = DocScore(gold.get("doc", ""))
    mapping = _match(gents, pents)
    unsure = {norm(u.get("text", "")) for u in gold.get("unsure", []) if isinstance(u, dict)} - {""}
    ignored = {p["id"] for p in pents if p["id"] not in mapping and names(p) & unsure}
    for p in pents:
        if p["id"] in ignored:
            continue
        t = p.get("type", "?")
        g = gby.get(mapping.get(p["id"], ""))
        if g is None:
            out.entities[t].fp += 1
            out.errors.append(("entity FP", t, p.get("name", "")))
        elif g.get("type") == t:
            out.entities[t].tp += 1
        else:
            out.entities[t].fp += 1
            out.entities[g["type"]].fn += 1
            out.errors.append(("entity TYPE", f"{t}!={g['type']}", p.get("name", "")))
    matched = set(mapping.values())
    for g in gents:
        if g["id"] not in matched:
            out.entities[g["type"]].fn += 1
            out.errors.append(("entity FN", g["type"], g.get("name", "")))
    gold_rels = {
        _rel_key(r["type"], r["src"], r["dst"])
        for r in gold.get("relations", [])
        if r["src"] in gby and r["dst"] in gby
    }
    pred_rels: set[tuple[str, str, str]] = set()
    for r in pred.get("relations", []):
        if r.get("src") not in pby or r.get("dst") not in pby or {r["src"], r["dst"]} & ignored:
            continue
        a, b = mapping.get(r["src"]), mapping.get(r["dst"])
        if a is None or b is None:
            out.relations[r["type"]].fp += 1
            out.errors.append(
                ("relation FP", r["type"], f"{pby[r['src']].get('name')} -> {pby[r['dst']].get('name')}")
            )
            continue
        pred_rels.add(_rel_key(r["type"], a, b))
    for key in pred_rels:
        if key in gold_rels:
            out.relations[key[0]].tp += 1
        else:
            out.relations[key[0]].fp += 1
            out.errors.append(
                ("relation FP", key[0], f"{gby[key[1]].get('name')} -> {gby[key[2]].get('name')}")
            )
    for key in gold_rels - pred_rels:
        out.relations[key[0]].fn += 1
        out.errors.append(("relation FN", key[0], f"{gby[key[1]].get('name')} -> {gby[key[2]].get('name')}"))
    return out


# -- the evaluation run ---------------------------------------------------------------------------


@dataclass
class GoldDoc:
    stem: str
    gold_path: Path
    doc_path: Path

    def gold(self) -> dict:
        return json.loads(self.gold_path.read_text(encoding="utf-8"))


def find_gold(gold_dir: Path = DEFAULT_GOLD, corpora: Iterable[Path] = DEFAULT_CORPORA) -> list[GoldDoc]:
    """Every gold file whose document is in one of ``corpora`` (first folder holding it wins)."""
    if not gold_dir.is_dir():
        raise FileNotFoundError(f"{gold_dir}: no gold folder (pass --gold)")
    folders = [Path(c) for c in corpora if Path(c).is_dir()]
    out = []
    for g in sorted(gold_dir.glob("*.json")):
        doc_name = json.loads(g.read_text(encoding="utf-8")).get("doc") or f"{g.stem}.txt"
        for folder in folders:
            if (folder / doc_name).is_file():
                out.append(GoldDoc(g.stem, g, folder / doc_name))
                break
    return out


@dataclass
class Report:
    docs: list[DocScore]
    mode: str = "rules"  # how predictions were made: rules only, or leave-one-document-out

    def by_type(self, kind: str) -> dict[str, Tally]:
        out: dict[str, Tally] = defaultdict(Tally)
        for d in self.docs:
            for t, c in getattr(d, kind).items():
                out[t].add(c)
        return dict(sorted(out.items()))

    def macro(self) -> dict[str, float]:
        n = len(self.docs) or 1
        with_rel = [d for d in self.docs if d.relation.tp + d.relation.fn]
        with_act = [d for d in self.docs if d.actors.tp + d.actors.fn]
        return {
            "entity_f1": sum(d.entity.f1 for d in self.docs) / n,
            "actor_f1": sum(d.actors.f1 for d in with_act) / (len(with_act) or 1),
            "relation_f1": sum(d.relation.f1 for d in with_rel) / (len(with_rel) or 1),
            "docs": len(self.docs),
        }

    def to_json(self) -> dict:
        def t(c: Tally) -> dict:
            return {
                "tp": c.tp,
                "fp": c.fp,
                "fn": c.fn,
                "p": round(c.p, 3),
                "r": round(c.r, 3),
                "f1": round(c.f1, 3),
            }

        return {
            "mode": self.mode,
            "per_doc": {
                d.doc: {"entity": t(d.entity), "actors": t(d.actors), "relation": t(d.relation)}
                for d in self.docs
            },
            "entities_by_type": {k: t(v) for k, v in self.by_type("entities").items()},
            "relations_by_type": {k: t(v) for k, v in self.by_type("relations").items()},
            "macro": {k: round(v, 3) if isinstance(v, float) else v for k, v in self.macro().items()},
        }

    def table(self, show: int = 0) -> str:
        lines = [
            f"== per document ({self.mode}): typed-entity F1 (all types; innovation actors), relation F1"
        ]
        lines.append(f"{'document':<34}{'entities':>9}{'actors':>9}{'relations':>11}   gold sizes")
        for d in self.docs:
            n_e = d.entity.tp + d.entity.fn
            n_r = d.relation.tp + d.relation.fn
            lines.append(
                f"{d.doc:<34}{d.entity.f1:>9.3f}{d.actors.f1:>9.3f}{d.relation.f1:>11.3f}"
                f"   ({n_e} entities, {n_r} relations)"
            )
        m = self.macro()
        lines.append(
            f"{'macro over ' + str(m['docs']) + ' documents':<34}{m['entity_f1']:>9.3f}"
            f"{m['actor_f1']:>9.3f}{m['relation_f1']:>11.3f}"
        )
        for kind, title in (("entities", "entities by type"), ("relations", "relations by type")):
            rows = self.by_type(kind)
            total = _total(rows)
            lines.append(f"== {title} (summed over documents)")
            lines.append(f"{'type':<20}{'tp':>6}{'fp':>6}{'fn':>6}{'P':>8}{'R':>8}{'F1':>8}")
            for name, c in [*rows.items(), ("ALL", total)]:
                lines.append(f"{name:<20}{c.tp:>6}{c.fp:>6}{c.fn:>6}{c.p:>8.3f}{c.r:>8.3f}{c.f1:>8.3f}")
            if kind == "entities":
                a = _total(rows, INNOVATION_ACTORS)
                lines.append(
                    f"{'innovation actors':<20}{a.tp:>6}{a.fp:>6}{a.fn:>6}{a.p:>8.3f}{a.r:>8.3f}{a.f1:>8.3f}"
                )
        if show:
            groups: dict[str, list[str]] = defaultdict(list)
            for d in self.docs:
                for kind, typ, text in d.errors:
                    groups[kind].append(f"  [{d.doc}] {typ}: {text}")
            for kind, rows_ in sorted(groups.items()):
                lines.append(f"== {kind} ({len(rows_)})")
                lines.extend(rows_[:show])
        return "\n".join(lines)


Predictor = Callable[[GoldDoc, list[GoldDoc]], dict]


def evaluate(golds: list[GoldDoc], predict: Predictor, mode: str = "rules") -> Report:
    """Score ``predict(doc, others)`` on every gold document; ``others`` is what a fitted part may
    learn from when ``doc`` is scored (leave-one-document-out)."""
    scores = []
    for g in golds:
        s = score(g.gold(), predict(g, [o for o in golds if o.stem != g.stem]))
        s.doc = g.stem
        scores.append(s)
    return Report(scores, mode)
