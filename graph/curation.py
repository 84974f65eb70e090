"""The analyst's decisions on the graph (data/curation.yaml), applied by every build.

From the app's entity page or with `ikg curate`, an analyst merges an entity into another, renames
it, changes its type or hides it as junk. Each decision is one entry of the curation file with who,
when and why; an undo marks it undone and it stays in the file as history. Every build applies the
active decisions in file order to the resolved graph, before validation and before any store (the
`curate` stage of graph/pipeline.py): both stores get the same graph, and an entity extracted again
is decided again, so a hidden one never comes back.

The alias file (data/ontology/aliases.yaml) is general knowledge about names that resolution uses in
any build; this file holds decisions about this graph's entities, by id. A merge folds the entity
into its target with the functions resolution folds instances with (graph/merging.py) and goes to
the merge log with reason "curation" and its decision id.

A decision names its entity by the id it had when decided. A later build finds it by that id,
through the decisions before it (a retype changes the label part of the id, a rename keeps it), or,
when resolution now gives it another id (a new document changed its display name), by the name in
that id among the entities of its label — when exactly one has it as name or alias.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, get_args

import yaml

from graph.files import locked, write_atomic
from graph.merging import aliases_of, fold_edges, fold_node, oriented
from graph.model import Graph, Node
from graph.names import display, normalize
from graph.resolve import MergeRecord
from graph.schema import ENTITY_LABELS, MENTIONED_IN

if TYPE_CHECKING:
    from graph.pipeline import BuildResult

log = logging.getLogger(__name__)

CURATION_FILE = Path(__file__).resolve().parent.parent / "data" / "curation.yaml"
Action = Literal["merge", "rename", "retype", "hide"]
ACTIONS: tuple[str, ...] = get_args(Action)
CURATION = "curation"  # the merge log's reason for an analyst's merge
# What each action's value is (hide has none).
VALUES: dict[str, str] = {
    "merge": "the id of the entity to merge into",
    "rename": "the new name",
    "retype": "the new label",
}
_REQUIRED = ("id", "action", "entity", "who", "when", "why")
_OPTIONAL = ("value", "undone", "undone_by")
_NUMBERED = re.compile(r"^c(\d+)$")

HEADER = """\
# Curation: the analyst's decisions on the graph, applied by every `ikg build` (graph/curation.py).
# Written by `ikg curate …` and by the app's entity page; one entry per decision, in the order made.
#   action: merge (value: the id of the entity to merge into) | rename (value: the new name)
#         | retype (value: the new label, one of graph/schema.py) | hide (no value)
#   entity: the entity's id when decided; who, when (ISO 8601) and why: always.
# An undone decision keeps its entry, with undone (when) and undone_by.
"""


class CurationError(ValueError):
    """A curation file or a decision that cannot be used; the message is one line naming the file."""


@dataclass(frozen=True)
class Decision:
    id: str  # c0001, c0002 … in the order made
    action: Action
    entity: str  # the entity id as the graph had it when decided (Platform:…)
    value: str | None  # merge: target id; rename: new name; retype: new label; hide: None
    who: str
    when: str  # ISO 8601
    why: str
    undone: str | None = None  # when it was undone (ISO 8601); it stays in the file as history
    undone_by: str | None = None

    @property
    def is_active(self) -> bool:
        return self.undone is None

    def to_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        for key in ("undone", "undone_by"):
            if data[key] is None:
                del data[key]
        return data

    def line(self) -> str:
        """One line for a listing: id, what, who, when, why (and the undo)."""
        value = f" → {self.value}" if self.value is not None else ""
        undone = f" [undone {self.undone} by {self.undone_by}]" if self.undone else ""
        return f"{self.id} {self.action} {self.entity}{value} ({self.who}, {self.when}: {self.why}){undone}"


# --- the file -------------------------------------------------------------------------------------


def load_decisions(path: Path | str = CURATION_FILE) -> list[Decision]:
    """Every decision of the file, undone ones included, in file order; no file means none.
    A file that cannot be used raises CurationError (one line: the file, the entry, the problem)."""
    path = Path(path)
    if not path.exists():
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise CurationError(f"{path}: cannot be read: {_one_line(exc)}") from exc
    except yaml.YAMLError as exc:
        raise CurationError(f"{path}: not valid YAML: {_yaml_problem(exc)}") from exc
    if data is None:
        return []
    if not isinstance(data, list):
        raise CurationError(f"{path}: expected a list of decisions, got a {type(data).__name__}")
    decisions: list[Decision] = []
    seen: set[str] = set()
    for number, entry in enumerate(data, 1):
        decision = _decision(path, number, entry)
        if decision.id in seen:
            raise CurationError(f"{path}: entry {number}: id {decision.id} is used twice")
        seen.add(decision.id)
        decisions.append(decision)
    return decisions


def record(
    action: Action | str,
    entity: str,
    value: str | None,
    who: str,
    why: str,
    path: Path | str = CURATION_FILE,
) -> Decision:
    """Check a decision and append it to the file (rewritten whole, under a lock, so two writers take
    turns and neither loses the other's). Raises CurationError, changing nothing, when the decision
    or the file is bad."""
    path = Path(path)
    entity = (entity or "").strip()
    value = _clean_value(action, value)
    problem = problem_of(action, entity, value) or _signature_problem(who, why)
    if problem:
        raise CurationError(f"{path}: {problem}")
    with locked(path):
        decisions = load_decisions(path)
        decision = Decision(_next_id(decisions), action, entity, value, who.strip(), _now(), why.strip())
        _write(path, [*decisions, decision])
    log.debug("curation: recorded %s", decision.line())
    return decision


def undo(decision_id: str, who: str, path: Path | str = CURATION_FILE) -> Decision:
    """Mark a decision undone (when, by whom); the next build no longer applies it."""
    path = Path(path)
    if not (who or "").strip():
        raise CurationError(f"{path}: an undo needs who")
    with locked(path):
        decisions = load_decisions(path)
        index = next((i for i, d in enumerate(decisions) if d.id == decision_id), None)
        if index is None:
            raise CurationError(f"{path}: no decision {decision_id}")
        old = decisions[index]
        if old.undone:
            raise CurationError(f"{path}: {decision_id} was already undone ({old.undone} by {old.undone_by})")
        decisions[index] = dataclasses.replace(old, undone=_now(), undone_by=who.strip())
        _write(path, decisions)
    log.debug("curation: undone %s", decisions[index].line())
    return decisions[index]


def active(decisions: list[Decision]) -> list[Decision]:
    """The decisions a build applies: those not undone, in order."""
    return [d for d in decisions if d.is_active]


def problem_of(action: str, entity: str, value: str | None) -> str:
    """What is wrong with a decision (empty if nothing): a known action, entity ids of schema labels,
    a value where the action needs one and none where it needs none."""
    if action not in ACTIONS:
        return f"unknown action {action!r} (one of {', '.join(ACTIONS)})"
    problem = _id_problem(entity, "entity")
    if problem:
        return problem
    if action == "hide":
        return "" if value is None else f"hide takes no value, got {value!r}"
    if not isinstance(value, str) or not value.strip():
        return f"{action} needs a value: {VALUES[action]}"
    if action == "merge":
        if value == entity:
            return f"{entity} cannot be merged into itself"
        return _id_problem(value, "merge target")
    if action == "retype":
        if value not in ENTITY_LABELS:
            return f"unknown label {value!r} (the labels of graph/schema.py: {', '.join(ENTITY_LABELS)})"
        if value == entity.partition(":")[0]:
            return f"{entity} is already a {value}"
    if action == "rename" and "\n" in value:
        return "a name is one line"
    return ""


def _id_problem(entity_id: Any, what: str) -> str:
    if not isinstance(entity_id, str) or not entity_id.strip():
        return f"no {what} id"
    label, sep, key = entity_id.partition(":")
    if not sep or not key:
        return f"{what} {entity_id!r} is not an entity id (<Label>:<name>)"
    if label not in ENTITY_LABELS:
        return f"{what} {entity_id!r}: unknown label {label!r} (not in graph/schema.py)"
    return ""


def _signature_problem(who: str, why: str) -> str:
    missing = [name for name, v in (("who", who), ("why", why)) if not isinstance(v, str) or not v.strip()]
    return f"a decision needs {' and '.join(missing)}" if missing else ""


def _clean_value(action: str, value: str | None) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip() and action == "hide"):
        return None
    if action == "rename" and isinstance(value, str):
        return display(value)  # the form every name in the graph has: brackets half-width, trimmed
    return value.strip() if isinstance(value, str) else value


def _decision(path: Path, number: int, entry: Any) -> Decision:
    where = f"{path}: entry {number}"
    if not isinstance(entry, dict):
        raise CurationError(f"{where}: expected a mapping of {', '.join(_REQUIRED)}, got {_short(entry)}")
    where += f" ({entry['id']})" if entry.get("id") else ""
    unknown = sorted(str(k) for k in entry if k not in _REQUIRED + _OPTIONAL)
    if unknown:
        raise CurationError(f"{where}: unknown field {', '.join(unknown)}")
    missing = [k for k in _REQUIRED if entry.get(k) in (None, "")]
    if missing:
        raise CurationError(f"{where}: missing {', '.join(missing)}")
    values = {k: _text(entry.get(k)) for k in _REQUIRED + _OPTIONAL}
    problem = problem_of(values["action"], values["entity"], values["value"])
    for key in ("when", "undone"):
        if not problem and values[key] is not None and not _is_time(values[key]):
            problem = f"{key}: not an ISO 8601 time: {values[key]!r}"
    if not problem and bool(values["undone"]) != bool(values["undone_by"]):
        problem = "undone and undone_by go together"
    if problem:
        raise CurationError(f"{where}: {problem}")
    return Decision(**values)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime | date):  # YAML reads an unquoted time as a datetime
        return value.isoformat()
    return str(value).strip()


def _is_time(text: str) -> bool:
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def _next_id(decisions: list[Decision]) -> str:
    numbers = [int(m.group(1)) for d in decisions if (m := _NUMBERED.match(d.id))]
    return f"c{max(numbers, default=0) + 1:04d}"


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _write(path: Path, decisions: list[Decision]) -> None:
    # One block per decision, a blank line between them: a new decision is a diff of its own lines.
    entries = [
        yaml.safe_dump([d.to_json()], allow_unicode=True, sort_keys=False, width=1000) for d in decisions
    ]
    write_atomic(path, HEADER + ("\n".join(entries) if entries else "[]\n"), sync=True)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(getattr(exc, "strerror", None) or exc).split())


def _yaml_problem(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
    return where + " ".join(str(problem).split())


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# --- applying the decisions to a graph -------------------------------------------------------------


@dataclass
class Outcome:
    """What one decision did in this build."""

    decision: str
    action: str
    entity: str
    value: str | None
    node: str = ""  # the entity's id after it (its merge target, its new id); empty once hidden
    reason: str = ""  # why it was skipped
    found_as: str = ""  # the entity's id in this graph when it is not the recorded one

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in dataclasses.asdict(self).items() if v not in ("", None) or k == "value"}


@dataclass
class HiddenEntity:
    id: str
    label: str
    name: str
    decision: str
    relationships: int = 0  # how many it had (provenance not counted), removed with it


@dataclass
class CurationReport:
    """The build report's `curation` section; the merges also go to the merge log."""

    file: str = ""
    applied: list[Outcome] = field(default_factory=list)
    skipped: list[Outcome] = field(default_factory=list)
    hidden: list[HiddenEntity] = field(default_factory=list)
    merges: list[MergeRecord] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "decisions": len(self.applied) + len(self.skipped),
            "applied": [o.to_json() for o in self.applied],
            "skipped": [o.to_json() for o in self.skipped],
            "hidden": [dataclasses.asdict(h) for h in self.hidden],
        }

    def summary_lines(self) -> list[str]:
        by_action = Counter(o.action for o in self.applied)
        done = ", ".join(f"{k} {v}" for k, v in sorted(by_action.items()))
        lines = [f"curation: {len(self.applied)} applied" + (f" ({done})" if done else "")]
        if self.skipped:
            lines.append(f"  skipped: {len(self.skipped)}")
            lines += [f"    {o.decision} {o.action} {o.entity}: {o.reason}" for o in self.skipped]
        return lines


# How a decision ended an id: hidden, merged into another, or retyped to another id.
_HIDE, _MERGE, _RETYPE = "hidden", "merged", "retyped"


@dataclass(frozen=True)
class _Fate:
    how: str
    then: str  # the id it went to (merge target, new id); empty when hidden
    decision: str


class _Curator:
    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.report = CurationReport()
        # By id, for finding what a decision names: an id no longer in the graph → what became of it.
        self.fates: dict[str, _Fate] = {}
        # By node, for the relationships: an id can be taken again (retyped onto a hidden one's id),
        # so their ends are followed as the nodes they were when resolved.
        self.resolved: dict[str, Node] = dict(graph.nodes)
        self.merged_into: dict[int, Node] = {}  # id(node) → the node it went into
        self.hidden: set[int] = set()  # id(node) of the hidden ones
        # (label, normalised name or alias) → entities; built when a decision's id is not found,
        # dropped when a decision changes the graph
        self._named: dict[tuple[str, str], list[Node]] | None = None

    def apply(self, d: Decision) -> None:
        node, found = self._find(d.entity, follow_merges=False)
        if node is None:
            return self._skip(d, found)
        reason = getattr(self, f"_{d.action}")(d, node)
        if reason:
            return self._skip(d, reason)
        self._named = None
        end, hidden = self._final(node)
        found_as = found if found != d.entity else ""
        self.report.applied.append(
            Outcome(d.id, d.action, d.entity, d.value, node="" if hidden else end.id, found_as=found_as)
        )
        return None

    def _skip(self, d: Decision, reason: str) -> None:
        log.warning("curation: %s %s %s skipped: %s", d.id, d.action, d.entity, reason)
        self.report.skipped.append(Outcome(d.id, d.action, d.entity, d.value, reason=reason))

    # --- the actions: each returns why it cannot be applied, or "" ---------------------------------

    def _merge(self, d: Decision, node: Node) -> str:
        target, found = self._find(str(d.value), follow_merges=True)
        if target is None:
            return f"merge target {d.value}: {found}"
        if target is node:
            return f"already one entity ({target.id})"
        fold_node(target, node)
        self._remove(node, _Fate(_MERGE, target.id, d.id))
        self.merged_into[id(node)] = target
        self.report.merges.append(
            MergeRecord(
                target.label,
                CURATION,
                node.name,
                target.name,
                key=node.id,
                docs=sorted(target.documents),
                detail=d.why,
                node_id=target.id,
                decision=d.id,
            )
        )
        return ""

    def _rename(self, d: Decision, node: Node) -> str:
        new = str(d.value)
        node.aliases = aliases_of(new, [node.name, *node.aliases])  # the old name stays findable
        node.name = new
        return ""

    def _retype(self, d: Decision, node: Node) -> str:
        label = str(d.value)
        if node.label == label:
            return f"{node.id} is already a {label}"
        new_id = f"{label}:{node.id.partition(':')[2]}"
        if new_id in self.graph.nodes:
            return f"{new_id} is already in the graph: merge into it instead"
        self._remove(node, _Fate(_RETYPE, new_id, d.id))
        node.id, node.label = new_id, label
        self.graph.nodes[new_id] = node
        return ""

    def _hide(self, d: Decision, node: Node) -> str:
        self._remove(node, _Fate(_HIDE, "", d.id))
        self.hidden.add(id(node))
        self.report.hidden.append(HiddenEntity(node.id, node.label, node.name, d.id))
        return ""

    def _remove(self, node: Node, fate: _Fate) -> None:
        del self.graph.nodes[node.id]
        self.fates[node.id] = fate

    # --- finding an entity -------------------------------------------------------------------------

    def _find(self, entity_id: str, follow_merges: bool) -> tuple[Node | None, str]:
        """The node a decision means and the id it was found under; (None, why) when there is none.
        An entity merged away is followed to its target only as a merge target: hiding or renaming
        something already merged into another would act on the other one."""
        seen: set[str] = set()
        current = entity_id
        while current not in self.graph.nodes and current in self.fates and current not in seen:
            seen.add(current)
            fate = self.fates[current]
            if fate.how == _HIDE or (fate.how == _MERGE and not follow_merges):
                target = f" into {fate.then}" if fate.then else ""
                return None, f"{current} was {fate.how}{target} by {fate.decision}"
            current = fate.then
        node = self.graph.nodes.get(current)
        if node is not None:
            return node, current
        return self._by_name(entity_id)

    def _by_name(self, entity_id: str) -> tuple[Node | None, str]:
        """The one entity of the id's label named (or aliased) as the id says, in its region if any."""
        label, _, rest = entity_id.partition(":")
        key, _, region = rest.split("#")[0].partition("@")
        if self._named is None:
            self._named = defaultdict(list)
            for n in self.graph.nodes.values():
                for form in {normalize(n.name), *(normalize(a) for a in n.aliases)}:
                    self._named[(n.label, form)].append(n)
        matches = [
            n
            for n in self._named.get((label, key), [])
            if not region or normalize(str(n.props.get("region") or "")) == region
        ]
        if len(matches) == 1:
            return matches[0], matches[0].id
        if not matches:
            return None, "entity not in graph"
        ids = ", ".join(sorted(n.id for n in matches)[:5])
        return None, f"entity not in graph, and {len(matches)} {label} entities are named {key} ({ids})"

    def _final(self, node: Node) -> tuple[Node, bool]:
        """Where a node is now: itself or what it was merged into (in turn), and whether hidden."""
        while id(node) in self.merged_into:
            node = self.merged_into[id(node)]
        return node, id(node) in self.hidden

    # --- the relationships, once every decision is applied -----------------------------------------

    def finish(self) -> None:
        """Relationships re-pointed to where their ends went and folded (one per identity); those of a
        hidden entity removed and counted. A relationship between two entities merged into one
        becomes a loop, which validation prunes with its reason."""
        if not self.fates:
            return
        hidden = {h.id: h for h in self.report.hidden}
        kept = []
        for edge in self.graph.edges:
            ends = [self._end(edge.src), self._end(edge.dst)]
            gone = [node_id for node_id, is_hidden in ends if is_hidden]
            if gone:
                if edge.type != MENTIONED_IN:
                    for node_id in dict.fromkeys(gone):
                        hidden[node_id].relationships += 1
                continue
            (src, _), (dst, _) = ends
            if (src, dst) != (edge.src, edge.dst):
                edge.src, edge.dst = src, dst
                oriented(edge)
            kept.append(edge)
        self.graph.edges = fold_edges(kept)

    def _end(self, node_id: str) -> tuple[str, bool]:
        """A relationship's end after the decisions: (its id now, hidden?); a document stays."""
        node = self.resolved.get(node_id)
        if node is None:
            return node_id, False
        end, hidden = self._final(node)
        return end.id, hidden


def apply_curation(graph: Graph, decisions: list[Decision], source: str = "") -> CurationReport:
    """The active decisions applied to the graph in order (changed in place): what each did, what was
    skipped and why (its entity is not in this graph …), the hidden entities, the merge records."""
    curator = _Curator(graph)
    for decision in active(decisions):
        curator.apply(decision)
    curator.finish()
    report = curator.report
    report.file = source
    if report.applied or report.skipped:
        log.info(
            "curation: %d applied, %d skipped, %d hidden",
            len(report.applied),
            len(report.skipped),
            len(report.hidden),
        )
    return report


def rebuild(
    graph_dir: Path | str = "data/build", store: str = "embedded", db: Path | str | None = None
) -> BuildResult:
    """The last build (its inputs recorded in `graph_dir`/build_report.json) run again with the
    current curation; its documents come from the extraction cache, so nothing is extracted again
    unless a document changed. What the app calls after a decision or an undo. `db`: the embedded
    store's file (default: the one the last build loaded, if it was embedded)."""
    from graph.pipeline import rebuild as run_again  # the pipeline applies this module's decisions

    return run_again(graph_dir, store, db)
