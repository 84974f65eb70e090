"""Evidence as the presets and the stores give it (a JSON string, one object or a list): pure helpers."""

from __future__ import annotations

import json
from typing import Any


def as_list(value: Any) -> list[dict[str, Any]]:
    """A relationship's evidence as a list of evidence objects (JSON text parsed; anything else dropped)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    if isinstance(value, dict):
        return [value]
    return [e for e in value or [] if isinstance(e, dict)] if isinstance(value, list) else []


def first_sentence(value: Any) -> str:
    """The first evidence sentence ("" without one): a table cell."""
    return next((str(e["sentence"]) for e in as_list(value) if e.get("sentence")), "")
