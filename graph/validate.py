"""Validate one extraction (Extraction.to_json() shape) against the schema; prune what does not fit.

Nothing is dropped silently: every pruned document, entity, relation or property is recorded with a
reason, counted per reason, and logged as a summary.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.schema import (
    BOOL,
    DOUBLE,
    ENTITY_PROPS,
    INT64,
    NODE_SPECS,
    REL_PROPS,
    REL_SPECS,
    STRING,
    STRING_LIST,
    Prop,
)

log = logging.getLogger(__name__)

# Reasons, as they appear in reports.
MISSING_DOCUMENT_ID = "missing_document_id"
DUPLICATE_DOCUMENT = "duplicate_document"
UNKNOWN_LABEL = "unknown_label"
MISSING_PROPERTY = "missing_required_property"
DUPLICATE_ENTITY_ID = "duplicate_entity_id"
BAD_PROPERTY_TYPE = "bad_property_type"
RESERVED_PROPERTY = "reserved_property_name"
UNKNOWN_RELATION_TYPE = "unknown_relation_type"
DANGLING_ENDPOINT = "dangling_endpoint"
PATTERN_NOT_ALLOWED = "pattern_not_allowed"
SELF_LOOP = "self_loop"
SELF_LOOP_AFTER_MERGE = "self_loop_after_merge"

_RESERVED_ENTITY_PROPS = {p.name for p in ENTITY_PROPS}
_RESERVED_REL_PROPS = {p.name for p in REL_PROPS} | {"type", "src", "dst"}


@dataclass(frozen=True)
class Pruned:
    kind: str  # document | entity | relation | property
    reason: str
    doc: str
    item: str
    detail: str = ""


@dataclass
class ValidationReport:
    pruned: list[Pruned] = field(default_factory=list)

    def add(self, kind: str, reason: str, doc: str, item: str, detail: str = "") -> None:
        self.pruned.append(Pruned(kind, reason, doc, item, detail))

    def extend(self, other: ValidationReport) -> None:
        self.pruned.extend(other.pruned)

    def counts(self) -> dict[str, int]:
        """Pruned items per `kind:reason`, e.g. {"relation:pattern_not_allowed": 2}."""
        return dict(sorted(Counter(f"{p.kind}:{p.reason}" for p in self.pruned).items()))

    def log_summary(self, logger: logging.Logger = log) -> None:
        if not self.pruned:
            logger.info("validation: nothing pruned")
            return
        for reason, n in self.counts().items():
            logger.info("validation: pruned %d × %s", n, reason)


# --- values ----------------------------------------------------------------------------------------


class _BadValue(ValueError):
    pass


def coerce(prop: Prop, value: Any) -> Any:
    """The value in the property's type; raises _BadValue when it cannot be one without guessing."""
    if value is None:
        return None
    if prop.json:
        if isinstance(value, str):  # already serialised upstream
            try:
                return json.loads(value)
            except json.JSONDecodeError as exc:
                raise _BadValue(f"not JSON: {value!r}") from exc
        if isinstance(value, dict | list):
            return value
        raise _BadValue(f"expected a dict or list, got {type(value).__name__}")
    if prop.type == INT64:
        if isinstance(value, bool):
            raise _BadValue("bool is not an integer")
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return int(value.strip())
        raise _BadValue(f"not an integer: {value!r}")
    if prop.type == DOUBLE:
        try:
            return float(value)
        except (TypeError, ValueError) as exc:
            raise _BadValue(f"not a number: {value!r}") from exc
    if prop.type == BOOL:
        if isinstance(value, bool):
            return value
        raise _BadValue(f"not a bool: {value!r}")
    if prop.type == STRING_LIST:
        if isinstance(value, list | tuple) and all(isinstance(v, str | int | float) for v in value):
            return [str(v) for v in value]
        raise _BadValue(f"not a list of strings: {value!r}")
    if prop.type == STRING:
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return str(value)
        raise _BadValue(f"not a string: {value!r}")
    raise _BadValue(f"unknown type {prop.type}")


def _clean_props(
    props: Any, declared: tuple[Prop, ...], reserved: set[str], report: ValidationReport, doc: str, item: str
) -> dict[str, Any]:
    """Declared properties coerced to their type; undeclared ones kept as they are (stored as JSON)."""
    if not isinstance(props, dict):
        if props:
            report.add(
                "property", BAD_PROPERTY_TYPE, doc, item, f"props is {type(props).__name__}, not a dict"
            )
        return {}
    by_name = {p.name: p for p in declared}
    out: dict[str, Any] = {}
    for name, value in props.items():
        if name in reserved and name not in by_name:
            report.add("property", RESERVED_PROPERTY, doc, item, name)
            continue
        if name not in by_name:
            out[name] = value
            continue
        try:
            coerced = coerce(by_name[name], value)
        except _BadValue as exc:
            report.add("property", BAD_PROPERTY_TYPE, doc, item, f"{name}: {exc}")
            continue
        if coerced is not None:
            out[name] = coerced
    return out


# --- provenance ------------------------------------------------------------------------------------


def _evidence_list(items: Any, fallback_text: str, doc_id: str, doc: str) -> list[dict[str, Any]]:
    """Evidence objects; a bare evidence string (gold files) becomes one object without offsets."""
    out = [dict(e) for e in items or [] if isinstance(e, dict)]
    for e in out:
        e.setdefault("doc_id", doc_id)
        e.setdefault("doc", doc)
    if not out and fallback_text:
        out.append({"doc_id": doc_id, "doc": doc, "sentence": fallback_text, "text": fallback_text})
    return out


# --- the extraction --------------------------------------------------------------------------------


def document_id(extraction: dict[str, Any]) -> str:
    """Extraction doc_id; gold files have none, so fall back to the file stem (it ends in the hash)."""
    doc_id = str(extraction.get("doc_id") or "")
    if not doc_id and extraction.get("doc"):
        doc_id = Path(str(extraction["doc"])).stem
    return doc_id


def validate_extraction(extraction: dict[str, Any]) -> tuple[dict[str, Any] | None, ValidationReport]:
    """A cleaned copy of the extraction (None when the whole document is unusable) and what was pruned."""
    report = ValidationReport()
    doc = str(extraction.get("doc") or "")
    doc_id = document_id(extraction)
    if not doc_id:
        report.add("document", MISSING_DOCUMENT_ID, doc or "?", doc or "?")
        return None, report

    entities: list[dict[str, Any]] = []
    types: dict[str, str] = {}
    for raw in extraction.get("entities") or []:
        entity = _validate_entity(raw, types, report, doc, doc_id)
        if entity is not None:
            types[entity["id"]] = entity["type"]
            entities.append(entity)

    relations = []
    for raw in extraction.get("relations") or []:
        relation = _validate_relation(raw, types, report, doc, doc_id)
        if relation is not None:
            relations.append(relation)

    clean = {
        "doc": doc,
        "doc_id": doc_id,
        "title": str(extraction.get("title") or ""),
        "meta": dict(extraction.get("meta") or {}),
        "entities": entities,
        "relations": relations,
    }
    return clean, report


def _validate_entity(
    raw: Any, seen: dict[str, str], report: ValidationReport, doc: str, doc_id: str
) -> dict[str, Any] | None:
    if not isinstance(raw, dict):
        report.add("entity", MISSING_PROPERTY, doc, repr(raw)[:60], "not an object")
        return None
    local_id = str(raw.get("id") or "")
    name = str(raw.get("name") or "").strip()
    label = str(raw.get("type") or "")
    item = f"{local_id}:{name}"
    if label not in NODE_SPECS or label == "Document":
        report.add("entity", UNKNOWN_LABEL, doc, item, label)
        return None
    for key, value in (("id", local_id), ("name", name)):
        if not value:
            report.add("entity", MISSING_PROPERTY, doc, item, key)
            return None
    if local_id in seen:
        report.add("entity", DUPLICATE_ENTITY_ID, doc, item)
        return None
    props = raw.get("props") if isinstance(raw.get("props"), dict) else {}
    for prop in NODE_SPECS[label].props:
        if prop.required and props.get(prop.name) is None:
            report.add("entity", MISSING_PROPERTY, doc, item, prop.name)
            return None
    aliases = raw.get("aliases") or []
    if not isinstance(aliases, list):
        report.add("property", BAD_PROPERTY_TYPE, doc, item, "aliases is not a list")
        aliases = []
    return {
        "id": local_id,
        "type": label,
        "name": name,
        "aliases": [str(a).strip() for a in aliases if str(a).strip()],
        "mentions": _evidence_list(raw.get("mentions"), str(raw.get("evidence") or ""), doc_id, doc),
        "props": _clean_props(
            raw.get("props"), NODE_SPECS[label].props, _RESERVED_ENTITY_PROPS, report, doc, item
        ),
    }


def _validate_relation(
    raw: Any, types: dict[str, str], report: ValidationReport, doc: str, doc_id: str
) -> dict[str, Any] | None:
    if not isinstance(raw, dict):
        report.add("relation", MISSING_PROPERTY, doc, repr(raw)[:60], "not an object")
        return None
    rel_type = str(raw.get("type") or "")
    src, dst = str(raw.get("src") or ""), str(raw.get("dst") or "")
    item = f"{src}-[{rel_type}]->{dst}"
    spec = REL_SPECS.get(rel_type)
    if spec is None or rel_type == "MENTIONED_IN":
        report.add("relation", UNKNOWN_RELATION_TYPE, doc, item, rel_type)
        return None
    if not src or not dst:
        report.add("relation", MISSING_PROPERTY, doc, item, "src" if not src else "dst")
        return None
    missing = [end for end in (src, dst) if end not in types]
    if missing:
        report.add("relation", DANGLING_ENDPOINT, doc, item, ", ".join(missing))
        return None
    if src == dst:
        report.add("relation", SELF_LOOP, doc, item)
        return None
    if not spec.allows(types[src], types[dst]):
        report.add("relation", PATTERN_NOT_ALLOWED, doc, item, f"{types[src]} → {types[dst]}")
        return None
    return {
        "type": rel_type,
        "src": src,
        "dst": dst,
        "props": _clean_props(raw.get("props"), spec.props, _RESERVED_REL_PROPS, report, doc, item),
        "provenance": _evidence_list(raw.get("provenance"), str(raw.get("evidence") or ""), doc_id, doc),
    }
