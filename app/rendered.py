"""What pages draw at a cost, made once and shared by every session: network pages (app/viz.py, 0.1-0.2 s
of CPU each) and table images (app/image.py, ~0.2 s). Streamlit runs every session's page scripts under
one GIL, so work redone on every run is work every other session waits for.

A drawing is a function of what it shows and of the language alone, so it is cached under a digest of
both: whatever a rebuilt graph changes in a view changes the digest, and nothing else is needed to keep
a drawing from going stale. (Preset answers are cached per graph build in app/data.py.)
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import streamlit as st

from app import i18n, image, viz

MAX_ENTRIES = 256  # drawings kept (a network page is ~1 MB)


def digest(*parts: Any) -> str:
    """A digest of JSON-like values (dict keys sorted; anything else by its text)."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def network_html(
    nodes: dict[str, dict[str, Any]],
    edges: list[dict[str, Any]],
    *,
    degrees: dict[str, int] | None = None,
    **options: Any,
) -> str:
    """viz.network_html (the same options: center, height, edge_labels), drawn once per view and
    language."""
    degrees = {i: (degrees or {}).get(i, 0) for i in nodes}  # only the drawn nodes' degrees count
    key = digest(i18n.lang(), nodes, edges, degrees, options)
    return _network(key, nodes, edges, degrees, options)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _network(
    key: str,
    _nodes: dict[str, dict[str, Any]],
    _edges: list[dict[str, Any]],
    _degrees: dict[str, int],
    _options: dict[str, Any],
) -> str:
    # Only `key` is hashed by the cache (the others start with "_"): it is the digest of all of them.
    return viz.network_html(_nodes, _edges, degrees=_degrees, **_options)


def table_png(title: str, header: list[str], rows: list[list[str]], marked: set[int] = frozenset()) -> bytes:
    """image.table_png, drawn once per table (LookupError without a CJK font, as there)."""
    return _png(digest(title, header, rows, sorted(marked)), title, header, rows, frozenset(marked))


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _png(key: str, _title: str, _header: list[str], _rows: list[list[str]], _marked: frozenset[int]) -> bytes:
    return image.table_png(_title, _header, _rows, set(_marked))
