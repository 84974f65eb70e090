"""The build report (data/build/build_report.json, a file beside the graph, not a query) as the figures
the Overview shows: documents, pruned and merged counts, damaged files' warnings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import streamlit as st

from ingest.records import TextDamage

TTL = 600  # seconds: the report is re-read when its file changes (the stamp) or after this


@st.cache_data(show_spinner=False, ttl=TTL)
def _read_report(path: str, stamp: float) -> dict[str, Any] | None:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def build_report(graph_dir: str) -> dict[str, Any] | None:
    """data/build/build_report.json of the last build, or None when there is none."""
    path = Path(graph_dir) / "build_report.json"
    if not path.is_file():
        return None
    return _read_report(str(path), path.stat().st_mtime)


def damage_notes(report: dict[str, Any] | None) -> dict[str, str]:
    """File name → warning, for each document the last build read from damaged text."""
    notes: dict[str, str] = {}
    for name, damage in ((report or {}).get("damaged") or {}).items():
        try:
            notes[name] = TextDamage(**damage).describe()
        except TypeError:  # a report written by another version
            notes[name] = "damaged text salvaged"
    return notes


def quality_summary(report: dict[str, Any] | None) -> dict[str, Any]:
    """Pruned and merged figures of a build report, flattened for display."""
    if not report:
        return {}
    pruned = report.get("pruned") or {}
    merges = report.get("merges_by_reason") or {}
    kept_apart = {k: v for k, v in merges.items() if k.startswith("kept_apart")}
    merged = {k: v for k, v in merges.items() if not k.startswith("kept_apart")}
    return {
        "documents": len(report.get("documents") or []),
        "pruned_total": sum(pruned.values()),
        "pruned": pruned,
        "pruned_items": report.get("pruned_items") or [],
        "merged_total": report.get("merged", sum(merged.values())),
        "merged": merged,
        "kept_apart": kept_apart,
        "store": report.get("store") or {},
    }
