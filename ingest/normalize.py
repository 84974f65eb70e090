"""Text normalisation with an offset map back to the raw source.

``normalize(raw)`` folds full-width ASCII to half-width, removes control characters (counted),
strips every line, drops empty lines and web page furniture (harvesting 信息来源/发布时间 on the
way) and, for hard-wrapped text, re-joins lines broken inside a sentence. ``offset_map[i]`` is
the index in ``raw`` of stored character ``i``; the newline (or join space) between two kept
lines maps to the line break that ended the first of them.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

DEBRIS_FILE = Path(__file__).resolve().parent.parent / "data" / "ontology" / "debris.yaml"
# Furniture lines are short. A longer line matching a pattern is prose naming a counter or a
# footer word (…月访问量稳定在2000万人次…) or a whole page on one line: dropping it loses text.
_DEBRIS_MAX = 200

# Everything str.splitlines() breaks on, with \r\n as one break.
_BREAK = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# Invisible characters that would otherwise split names (e.g. 威海\u200b市) in web text.
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff")
# Control characters no text holds (NUL from a broken converter, ESC, C1 codes read in the wrong
# code page): removed and counted. Tab and the controls that break lines (above) stay.
CONTROLS = frozenset(chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))) - frozenset(
    "\t\n\r\x0b\x0c\x1c\x1d\x1e\x85"
)

# A line that ends a sentence or a heading: 。!?;: (after full-width folding) or …,
# optionally followed by closing quotes/brackets (…。” / …。)).
_TERMINATED = re.compile(r"[。!?;:…][\"'”’」』)】》〕]*$")
# A line that starts a heading or list item: 一、 (一) 1. 1、 (1) 专栏3 第二章 bullets.
_NEW_ITEM = re.compile(
    r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\(\d{1,2}\)|\d{1,2}[.、](?!\d)"
    r"|专栏\s*\d+|第[一二三四五六七八九十百\d]+[章节条部分篇]|[●■◆▲★•])"
)
# Only join when the previous line is (nearly) as wide as the text block: a short line is
# the last line of a paragraph or a heading, even when it carries no punctuation.
_FULL_LINE = 0.7
# Hard-wrapped plain text: enough lines, a page-like width, most lines running on, and a share of
# line ends that cut a dictionary word (clipped lines start new paragraphs and cut none).
_WRAP_MIN_LINES = 8
_WRAP_WIDTH = (16, 120)
_WRAP_SHARE = 0.4
_WRAP_RUN_ON = 0.25

_ISSUER_META = re.compile(r"(?:信息来源|发文机关|发布机构)[:：]\s*([^\s:：|,，]+)")
_DATE_META = re.compile(
    r"(?:成文日期|发布日期|发布时间)[:：]\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"
)


_CONTROL = re.compile(f"[{re.escape(''.join(sorted(CONTROLS)))}]")


def strip_controls(text: str) -> tuple[str, int, int | None]:
    """``text`` without its control characters: (text, how many were removed, index of the first)."""
    first = _CONTROL.search(text)
    if first is None:
        return text, 0, None
    stripped, count = _CONTROL.subn("", text)
    return stripped, count, first.start()


@dataclass
class Normalized:
    text: str
    offset_map: list[int]
    meta: dict[str, str] = field(default_factory=dict)  # optional 'issuer', 'date' (YYYY-MM-DD)
    controls: int = 0  # control characters removed
    first_control: int | None = None  # index in raw of the first


@dataclass
class _Line:
    text: str
    offsets: list[int]
    brk: int  # index in raw of the line break ending this line (len(raw) for the last line)


def normalize_char(c: str) -> str:
    """The stored form of one raw character (line breaks become ``\\n``)."""
    o = ord(c)
    if 0xFF01 <= o <= 0xFF5E:
        return chr(o - 0xFEE0)
    if c in "\u3000\xa0":
        return " "
    if _BREAK.fullmatch(c):
        return "\n"
    return c


@cache
def debris_patterns() -> tuple[re.Pattern[str], ...]:
    with DEBRIS_FILE.open(encoding="utf-8") as fh:
        spec = yaml.safe_load(fh)
    return tuple(re.compile(p) for p in spec["patterns"])


def is_debris(line: str) -> bool:
    """Page furniture: a short line matching a pattern of data/ontology/debris.yaml."""
    return len(line) <= _DEBRIS_MAX and any(p.search(line) for p in debris_patterns())


def harvest_meta(line: str, meta: dict[str, str]) -> None:
    """Record issuer/date found in a page-furniture line; the first value found wins."""
    if m := _ISSUER_META.search(line):
        meta.setdefault("issuer", m.group(1))
    if m := _DATE_META.search(line):
        year, month, day = (int(g) for g in m.groups())
        meta.setdefault("date", f"{year:04d}-{month:02d}-{day:02d}")


def strip_debris(lines: list[str]) -> tuple[list[str], dict[str, str]]:
    """Drop page-furniture lines, returning the kept lines and metadata harvested from the dropped."""
    kept: list[str] = []
    meta: dict[str, str] = {}
    footer = _footer_start(lines)
    for i, line in enumerate(lines):
        if i >= footer or is_debris(line.strip()):
            harvest_meta(line, meta)
        else:
            kept.append(line)
    return kept, meta


_FOOTER = re.compile(r"^(举报/反馈|返回顶部|相关阅读|相关推荐|责任编辑|版权所有|Produced By)")


def _footer_start(lines: list[str]) -> int:
    """Index of a page footer (举报/反馈 …) in the last third of the page: it and all after go."""
    first = len(lines) - len(lines) // 3
    for i in range(first, len(lines)):
        if _FOOTER.match(lines[i].strip()):
            return i
    return len(lines)


def _split_lines(raw: str, removed: list[int]) -> list[_Line]:
    """Split on line breaks; fold characters and strip each line, keeping raw offsets.

    The raw offsets of the control characters removed are appended to ``removed``.
    """
    lines: list[_Line] = []
    start = 0
    breaks = [(m.start(), m.end()) for m in _BREAK.finditer(raw)] + [(len(raw), len(raw))]
    for brk, next_start in breaks:
        chars: list[str] = []
        offsets: list[int] = []
        for i in range(start, brk):
            if raw[i] in CONTROLS:
                removed.append(i)
            elif raw[i] not in _INVISIBLE:
                chars.append(normalize_char(raw[i]))
                offsets.append(i)
        text = "".join(chars)
        stripped = text.strip()
        lead = len(text) - len(text.lstrip())
        lines.append(_Line(stripped, offsets[lead : lead + len(stripped)], brk))
        start = next_start
    return lines


def _block_width(lines: list[_Line]) -> int:
    """Typical width of a full line: the 90th percentile of line lengths."""
    lengths = sorted(len(line.text) for line in lines)
    return lengths[int(0.9 * len(lengths))] if lengths else 0


def _joins(prev: str, nxt: str, width: int) -> bool:
    return len(prev) >= _FULL_LINE * width and not _TERMINATED.search(prev) and not _NEW_ITEM.match(nxt)


def looks_hard_wrapped(lines: list[str]) -> bool:
    """Whether plain text was wrapped at a fixed width (a PDF's lines saved as text): most lines
    fill the width, end mid-sentence, and the word cut at a line end runs on into the next line.
    A copy whose lines were clipped (each line a paragraph cut short) looks the same at the line
    ends, but the next line starts a new paragraph, so no word runs across."""
    width = _block_width([_Line(t, [], 0) for t in lines])
    if len(lines) < _WRAP_MIN_LINES or not _WRAP_WIDTH[0] <= width <= _WRAP_WIDTH[1]:
        return False
    pairs = [
        (a, b)
        for a, b in itertools.pairwise(lines)
        if len(a) >= _FULL_LINE * width and not _TERMINATED.search(a) and b and not _NEW_ITEM.match(b)
    ]
    if len(pairs) < _WRAP_SHARE * len(lines):
        return False
    from ingest.components.tokens import word_tags  # the segmenter's dictionary

    words = word_tags()
    across = sum(1 for a, b in pairs if any(a[-i:] + b[:j] in words for i in (1, 2) for j in (1, 2)))
    return across >= _WRAP_RUN_ON * len(pairs)


def _is_ascii_word(c: str) -> bool:
    return c.isascii() and (c.isalnum() or c == "_")


def normalize(raw: str, *, join_lines: bool = False) -> Normalized:
    meta: dict[str, str] = {}
    lines: list[_Line] = []
    removed: list[int] = []
    nonempty = [line for line in _split_lines(raw, removed) if line.text]
    footer = _footer_start([line.text for line in nonempty])
    for i, line in enumerate(nonempty):
        if i >= footer or is_debris(line.text):
            harvest_meta(line.text, meta)
        else:
            lines.append(line)

    join_lines = join_lines or looks_hard_wrapped([line.text for line in lines])
    width = _block_width(lines) if join_lines else 0
    chars: list[str] = []
    offsets: list[int] = []
    for k, line in enumerate(lines):
        if k:
            prev = lines[k - 1]
            if not (join_lines and _joins(prev.text, line.text, width)):
                chars.append("\n")
                offsets.append(prev.brk)
            elif _is_ascii_word(prev.text[-1]) and _is_ascii_word(line.text[0]):
                chars.append(" ")
                offsets.append(prev.brk)
        chars.append(line.text)
        offsets.extend(line.offsets)
    return Normalized("".join(chars), offsets, meta, len(removed), removed[0] if removed else None)
