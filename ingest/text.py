"""Small character-level helpers shared by the components."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

OPEN_QUOTES = "“‘「『《"
CLOSE_QUOTES = "”’」』》"
QUOTES = OPEN_QUOTES + CLOSE_QUOTES + '"'
SENTENCE_END = "。！？!?；;"
# Punctuation that always ends a name scan (brackets and the middle dot may sit inside names).
HARD_PUNCT = set("，,。、；;：:！!？?…\n\t \u3000.．") | set(QUOTES) | set("《》〈〉【】[]{}")
CN_DIGITS = "零一二三四五六七八九十百千两"
NUMERAL_RE = re.compile(rf"^[0-9{CN_DIGITS}]+$")
_DROP = str.maketrans("", "", "“”\"'‘’「」『』《》 \t\r\n\u3000")


def norm_name(name: str) -> str:
    """Comparison key of a name: NFKC, quotes and whitespace removed."""
    return unicodedata.normalize("NFKC", name or "").translate(_DROP)


_NAME_QUOTES = str.maketrans("", "", '“”‘’「」『』《》"')


def clean_name(surface: str) -> str:
    """Display name: the document's characters without quotes and outer whitespace."""
    return surface.translate(_NAME_QUOTES).strip()


def is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def is_numeral(token: str) -> bool:
    return bool(NUMERAL_RE.match(token))


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first (so the longer word wins where both fit)."""
    return _alternation(tuple(words))


@functools.lru_cache(maxsize=1024)
def _alternation(words: tuple[str, ...]) -> str:  # rules ask for the same cue lists per sentence
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def strip_bracketed(name: str) -> str:
    """国家(威海)区域创新中心 → 国家区域创新中心; a final campus qualifier stays (山东大学(威海))."""
    return re.sub(r"\([^()]{1,12}\)(?=.)", "", name)


def matching_open(text: str, close_index: int, open_ch: str, close_ch: str, limit: int = 40) -> int:
    """Index of the bracket/quote opening the one at ``close_index``, or -1."""
    depth = 0
    for i in range(close_index, max(-1, close_index - limit), -1):
        c = text[i]
        if c == close_ch:
            depth += 1
        elif c == open_ch:
            depth -= 1
            if depth == 0:
                return i
    return -1


def matching_close(text: str, open_index: int, open_ch: str, close_ch: str, limit: int = 40) -> int:
    depth = 0
    for i in range(open_index, min(len(text), open_index + limit)):
        c = text[i]
        if c == open_ch:
            depth += 1
        elif c == close_ch:
            depth -= 1
            if depth == 0:
                return i
    return -1
