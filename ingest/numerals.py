"""The one reader of numbers written in Chinese or Arabic digits (八大, 十条, 1.5万, 三十)."""

from __future__ import annotations

import logging

import cn2an

from ingest.text import CN_DIGITS

# cn2an logs a warning for every string it cannot read; an unreadable count is an ordinary outcome
logging.getLogger("cn2an").setLevel(logging.ERROR)

# the characters a number written in Chinese is made of: the digits of ingest.text, 〇 and 万
NUMERAL_CHARS = CN_DIGITS + "〇万"
# with 亿: the characters that may open an amount (百亿元, 3500亿元)
AMOUNT_CHARS = NUMERAL_CHARS + "亿"
# place words: a number written in Chinese digits without one is read digit by digit (一二, 二〇二五)
PLACE_WORDS = "十百千万"


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


def to_quantity(s: str) -> float | None:
    """A quantity in Arabic digits, or in Chinese with a place word (三十, 两万, 一千五百), or None:
    Chinese digits without a place word (一二, 二〇二五) are a code or a year, not a quantity."""
    s = s.strip()
    if s and not s[0].isdigit() and not any(c in PLACE_WORDS for c in s):
        return None
    return to_number(s)
