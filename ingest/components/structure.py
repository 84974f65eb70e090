"""Sections (一、 / (一) / 1. / 专栏N), paragraphs and sentences with character offsets.

Structure is evidence for relations later on (a chain listed in 专栏2 under 七(二) belongs to
that section's cluster), so every sentence keeps its section path.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from ingest.doc_ext import Paragraph, Section, Sentence, ensure_extensions
from ingest.text import SENTENCE_END

_CN = "一二三四五六七八九十"
HEADING_PATTERNS: list[tuple[int, str, re.Pattern[str]]] = [
    (1, "heading", re.compile(rf"^[{_CN}]+、")),
    (2, "heading", re.compile(rf"^\([{_CN}]+\)")),
    (3, "heading", re.compile(r"^\d{1,2}[.．、](?!\d)")),
    (3, "box", re.compile(r"^专栏\s*\d+")),
]
MAX_INLINE_HEADING = 40
TERMINATORS = set(SENTENCE_END + ":：”’)）》」』")


def _heading_end(line: str, marker_end: int, kind: str) -> int:
    """End of the heading text within the line: the whole line, or up to the first 。."""
    if kind == "box":
        return len(line)
    stop = next((i for i, c in enumerate(line) if c in "。"), -1)
    if stop == -1:
        return len(line)
    return stop if stop - marker_end <= MAX_INLINE_HEADING else marker_end


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    s = start
    i = start
    while i < end:
        if text[i] in SENTENCE_END:
            j = i + 1
            while j < end and text[j] in "”’)":
                j += 1
            out.append((s, j))
            s = j
            i = j
            continue
        i += 1
    if s < end and text[s:end].strip():
        out.append((s, end))
    return out


class StructureParser:
    def __call__(self, doc: Doc) -> Doc:
        ensure_extensions()
        text = doc.text
        sections: list[Section] = []
        paragraphs: list[Paragraph] = []
        sentences: list[Sentence] = []
        stack: dict[int, str] = {}
        has_markers = any(p.match(line) for line in text.split("\n") for _, _, p in HEADING_PATTERNS)
        pos = 0
        for line_no, line in enumerate(text.split("\n")):
            start, end = pos, pos + len(line)
            pos = end + 1
            if not line.strip():
                continue
            body_start = start
            if line_no > 0:
                for level, kind, pattern in HEADING_PATTERNS:
                    m = pattern.match(line)
                    if not m:
                        continue
                    h_end = _heading_end(line, m.end(), kind)
                    title = line[:h_end].strip()
                    for lv in [k for k in stack if k >= level]:
                        del stack[lv]
                    stack[level] = title
                    sections.append(Section(level, title, start, start + h_end, self._path(stack), kind))
                    body_start = start + h_end
                    break
                else:
                    if (
                        not has_markers
                        and len(line) <= 30
                        and not any(c in line for c in SENTENCE_END + ",,")
                    ):
                        stack = {2: line.strip()}
                        sections.append(Section(2, line.strip(), start, end, self._path(stack)))
            path = self._path(stack)
            para = Paragraph(len(paragraphs), start, end, path, body_start)
            paragraphs.append(para)
            for k, (s, e) in enumerate(split_sentences(text, start, end)):
                sentences.append(Sentence(len(sentences), s, e, para.index, path, k == 0))
        meta = doc._.ikg_meta or {}
        meta["_cut_ends"] = self._cut_line_ends(text, sections)
        doc._.ikg_meta = meta
        doc._.ikg_sections = sections
        doc._.ikg_paragraphs = paragraphs
        doc._.ikg_sentences = sentences
        return doc

    @staticmethod
    def _cut_line_ends(text: str, sections: list[Section]) -> list[int]:
        """Ends of body lines that stop mid-sentence (a truncated copy, a clipped export).

        A name that touches such an end may have lost its tail, so it is not trusted."""
        heading_ends = {s.end for s in sections}
        out, pos = [], 0
        for line in text.split("\n"):
            end = pos + len(line)
            if len(line) >= 20 and end not in heading_ends and line[-1] not in TERMINATORS:
                out.append(end)
            pos = end + 1
        return out

    @staticmethod
    def _path(stack: dict[int, str]) -> list[str]:
        return [stack[k] for k in sorted(stack)]


@Language.factory("ikg_structure")
def make_structure(nlp: Language, name: str) -> StructureParser:
    return StructureParser()
