"""The one reader of numbers written in Chinese or Arabic digits (八大, 十条, 1.5万, 三十)."""

from __future__ import annotations

import logging

import cn2an

# cn2an logs a warning for every string it cannot read; an unreadable count is an ordinary outcome
logging.getLogger("cn2an").setLevel(logging.ERROR)


def to_number(s: str) -> float | None:
    """The value of ``s`` (Arabic or Chinese digits, with place words), or None."""
    s = s.strip()
    if not s:
        return None
    try:
        return float(s)
    except ValueError:
        pass
    try:
        return float(cn2an.cn2an(s, "smart"))
    except (ValueError, KeyError, TypeError):
        return None


def to_int(s: str) -> int | None:
    """A whole count (八 → 8, 十二 → 12, 两 → 2), or None."""
    v = to_number(s.replace("两", "二"))
    return int(v) if v is not None and v == int(v) else None
