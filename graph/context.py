"""Per-document context for resolution: which city a document is about.

Relative names (市科技局, 我市产业技术研究院) mean the document's own city, so they can only be merged
across documents once that city is known; when it is not, they stay scoped to their document.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from graph.aliases import AliasConfig
from graph.names import display, normalize

_CITY_SUFFIX = "市"


@dataclass(frozen=True)
class DocContext:
    doc_index: int
    doc_id: str
    city_key: str = ""  # normalised full city name, e.g. 青川市; "" when unknown
    city_display: str = ""
    why: str = ""


def _home_city_of(key: str, config: AliasConfig) -> str:
    """The home city a normalised form refers to (青川 → 青川市), or ""."""
    for city in config.home_cities:
        if key in city.forms():
            return normalize(city.name)
    return ""


def document_city(doc_index: int, extraction: dict[str, Any], config: AliasConfig) -> DocContext:
    """Find the document's city: metadata, then the title, then the most-mentioned city entity."""
    doc_id = extraction["doc_id"]
    meta_city = (extraction.get("meta") or {}).get("city")
    if isinstance(meta_city, str) and meta_city.strip():
        key = _home_city_of(normalize(meta_city), config) or normalize(meta_city)
        return DocContext(doc_index, doc_id, key, display(meta_city), "meta.city")

    title = normalize(extraction.get("title") or "")
    for city in config.home_cities:
        if any(form in title for form in city.forms()):
            return DocContext(
                doc_index, doc_id, normalize(city.name), display(city.name), "home city in title"
            )

    cities = [e for e in extraction.get("entities") or [] if e.get("type") == "Region"]
    in_title = [
        (title.index(normalize(e["name"])), e)
        for e in cities
        if normalize(e["name"]).endswith(_CITY_SUFFIX) and normalize(e["name"]) in title
    ]
    if in_title:
        entity = min(in_title, key=lambda pair: pair[0])[1]
        return DocContext(
            doc_index, doc_id, normalize(entity["name"]), display(entity["name"]), "city in title"
        )

    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    full_names = {normalize(c.name): display(c.name) for c in config.home_cities}
    for e in cities:
        key = normalize(e["name"])
        key = _home_city_of(key, config) or key
        if key.endswith(_CITY_SUFFIX):
            counts[key] += max(1, len(e.get("mentions") or []))
            # 威海 counts for 威海市 and is shown as 威海市: relative names are completed with it.
            shown.setdefault(key, full_names.get(key) or display(e["name"]))
    if counts:
        (key, n), *rest = [*counts.most_common(2), ("", 0)]
        # Only a clear winner: a tie means a document about several cities.
        if n >= 2 and n > rest[0][1]:
            return DocContext(doc_index, doc_id, key, shown[key], "most-mentioned city")
    return DocContext(doc_index, doc_id)
