"""The planner's support matrix, made from preset rows: pure functions, no Streamlit.

For a chain (chain_detail rows): its links in order × the actors that support them, a first row for the
chain as a whole. For a cluster (cluster_matrix rows): its chains × the actors supporting each chain or
one of its links, a first row for the cluster itself. A row no actor supports is a gap the planner
looks for; every mark has the evidence of its relationship behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app import evidence
from app.i18n import joined, label, rel, tr

MARK = "✓"


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    label: str


@dataclass
class Row:
    key: str  # link or chain id; "" for the whole chain / cluster
    name: str
    whole: bool = False
    # actor id → what it supports in this row: (relationship type, link name or None, evidence list)
    support: dict[str, list[tuple[str, str | None, list[dict[str, Any]]]]] = field(default_factory=dict)


@dataclass
class Matrix:
    subject: str  # the chain's or the cluster's name
    kind: str  # "chain" | "cluster"
    rows: list[Row]
    actors: list[Actor]

    @property
    def parts(self) -> list[Row]:
        """The rows that are links (of a chain) or chains (of a cluster): not the whole-subject row."""
        return [r for r in self.rows if not r.whole]

    def unsupported(self) -> list[str]:
        return [r.name for r in self.parts if not r.support]

    def row_header(self) -> str:
        return "link" if self.kind == "chain" else "chain"

    def headers(self) -> list[str]:
        """Column headers of the grid: the row's name, one per actor (name · type), the count."""
        names = [a.name for a in self.actors]
        return [
            self.row_header(),
            *[f"{a.name} · {label(a.label)}" if names.count(a.name) > 1 else a.name for a in self.actors],
            "supporters",
        ]

    def grid(self) -> list[list[str]]:
        """One list per row: its name, a mark (or the links supported) per actor, how many support it."""
        out = []
        for r in self.rows:
            cells = []
            for a in self.actors:
                entries = r.support.get(a.id, [])
                if self.kind == "chain":  # the row is the link itself
                    cells.append(MARK if entries else "")
                    continue
                vias = [v for _, v, _ in entries if v]  # a cluster's chain: the links supported, or ✓
                direct = any(v is None for _, v, _ in entries)
                cells.append(joined(([MARK] if direct else []) + vias))
            name = whole_name(self.kind) if r.whole else r.name
            out.append([name, *cells, str(len(r.support))])
        return out

    def evidence_rows(self) -> list[dict[str, Any]]:
        """Every mark with its relationship and evidence sentence(s): the table behind the grid."""
        names = {a.id: a for a in self.actors}
        out = []
        for r in self.rows:
            for actor_id, entries in r.support.items():
                actor = names[actor_id]
                for rel_type, via, found in entries:
                    sentences = [e for e in found if isinstance(e, dict) and e.get("sentence")]
                    out.append(
                        {
                            self.row_header(): whole_name(self.kind) if r.whole else r.name,
                            "actor": actor.name,
                            "actor type": label(actor.label),
                            "relationship": rel(rel_type)
                            + (f" → {via}" if via and self.kind == "cluster" else ""),
                            "evidence": " | ".join(str(e["sentence"]) for e in sentences),
                            "documents": joined(sorted({str(e.get("doc") or "") for e in sentences})),
                            "_evidence": sentences,
                        }
                    )
        return out


def whole_name(kind: str) -> str:
    """The name of the first row: the chain as a whole, or the cluster itself."""
    return (
        tr("(整条链)", "(the whole chain)") if kind == "chain" else tr("(集群本身)", "(the cluster itself)")
    )


def _actors(rows: list[Row], found: dict[str, Actor]) -> list[Actor]:
    """Actors by how many rows they support (most first), then by name."""
    reach = {a: sum(a in r.support for r in rows) for a in found}
    return sorted(found.values(), key=lambda a: (-reach[a.id], a.name, a.id))


def chain_matrix(name: str, detail: dict[str, list[dict[str, Any]]]) -> Matrix:
    """chain_detail rows of one chain (app/chains.py `parts`) → links × supporting actors."""
    whole = Row("", name, whole=True)
    links = [Row(r["item_id"], r["item"]) for r in detail["link"]]
    by_name = {r.name: r for r in links}
    found: dict[str, Actor] = {}
    for s in detail["supporter"]:
        found.setdefault(s["item_id"], Actor(s["item_id"], s["item"], s["item_label"]))
        if s["via"]:
            row = by_name.get(s["via"])
            if row is None:  # a supported link the chain's ordered links do not list: still shown
                row = by_name.setdefault(s["via"], Row(s["via"], s["via"]))
                links.append(row)
            row.support.setdefault(s["item_id"], []).append(("SUPPORTS", s["via"], s["evidence"] or []))
        else:
            whole.support.setdefault(s["item_id"], []).append((s["note"], None, s["evidence"] or []))
    rows = [whole, *links]
    return Matrix(name, "chain", rows, _actors(rows, found))


def cluster_matrix(name: str, records: list[dict[str, Any]]) -> Matrix:
    """cluster_matrix rows → the cluster's chains × the actors supporting them (or one of their links)."""
    whole = Row("", name, whole=True)
    chains: dict[str, Row] = {}
    found: dict[str, Actor] = {}
    for r in records:
        row = (
            whole
            if r["chain_id"] is None
            else chains.setdefault(r["chain_id"], Row(r["chain_id"], r["chain"]))
        )
        if r["actor_id"] is None:
            continue
        found.setdefault(r["actor_id"], Actor(r["actor_id"], r["actor"], r["actor_label"]))
        row.support.setdefault(r["actor_id"], []).append(
            (r["rel"], r["via"], evidence.as_list(r["evidence"]))
        )
    rows = [whole, *sorted(chains.values(), key=lambda c: (c.name, c.key))]
    return Matrix(name, "cluster", rows, _actors(rows, found))
