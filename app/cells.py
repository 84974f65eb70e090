"""Preset answers as display cells: a node by its name, a relationship by its type's name, a path as its
named steps, evidence by its sentences; never JSON."""

from __future__ import annotations

from typing import Any

from app import evidence


def cell(value: Any) -> Any:
    """A result value as a readable table cell, never JSON: a node by its name, a relationship by its
    type's name, a path as its named steps, evidence by its sentences, lists joined."""
    from app import i18n  # the names of types and relationships in the current language

    if isinstance(value, dict):
        if "_label" in value:
            return value.get("name") or value.get("id")
        if "_type" in value:
            return i18n.rel(value["_type"])
        if set(value) == {"nodes", "rels"}:
            return path_text(value)
        if "sentence" in value:
            return value.get("sentence") or ""
        return "; ".join(f"{k}: {cell(v)}" for k, v in sorted(value.items()) if v not in (None, "", [], {}))
    if isinstance(value, list):
        if all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in value):
            return "、".join(str(v) for v in value)
        return " | ".join(str(cell(v)) for v in value if v not in (None, ""))
    return value


def path_text(path: dict[str, Any]) -> str:
    """A path as its named steps: A —支撑→ B ←位于— C (an arrow against the walk when the relationship
    points back)."""
    return " ".join(
        [str(s["from"]) for s in path_steps(path)[:1]]
        + [
            f"{'—' if s['forward'] else '←'}{s['rel']}{'→' if s['forward'] else '—'} {s['to']}"
            for s in path_steps(path)
        ]
    )


def path_steps(path: dict[str, Any]) -> list[dict[str, Any]]:
    """A path value ({nodes, rels}) as its steps: from, relationship (named), to, direction, evidence."""
    from app import i18n

    nodes = path.get("nodes") or []
    steps = []
    for i, r in enumerate(path.get("rels") or []):
        if i + 1 >= len(nodes):
            break
        here, there = nodes[i], nodes[i + 1]
        steps.append(
            {
                "from": here.get("name") or here.get("id"),
                "from_id": here.get("id"),
                "from_label": here.get("_label"),
                "rel": i18n.rel(r.get("_type")),
                "type": r.get("_type"),
                "forward": r.get("_src") != there.get("id"),
                "to": there.get("name") or there.get("id"),
                "to_id": there.get("id"),
                "to_label": there.get("_label"),
                "evidence": evidence.as_list(r.get("evidence")),
            }
        )
    return steps


def table(columns: list[str], values: list[list[Any]]) -> list[dict[str, Any]]:
    """Rows as records of display cells; a column of mixed types becomes text."""
    records = [{c: cell(v) for c, v in zip(columns, row, strict=True)} for row in values]
    for c in columns:
        kinds = {type(r[c]) for r in records if r[c] is not None}
        if len(kinds) > 1:
            for r in records:
                r[c] = None if r[c] is None else str(r[c])
    return records
