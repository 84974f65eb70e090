"""Sections, paragraphs and sentences with character offsets, for any common heading style.

Structure is evidence for relations later on (a chain listed in a cluster's section belongs to that
cluster), so every sentence keeps its section path. Heading styles (一、 / (一) / 1. / 1.1 / 第X章 /
专栏 / # …) are data (structure.yaml); their levels come from the order a document nests them in.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ingest.ontology import DEFAULT_ONTOLOGY_DIR, Ontology, StructureWords, load_ontology
from ingest.state import Paragraph, Section, Sentence, state_of


def split_sentences(text: str, start: int, end: int, words: StructureWords) -> list[tuple[int, int]]:
    out = []
    s = i = start
    while i < end:
        if text[i] in words.sentence_end:
            j = i + 1
            while j < end and text[j] in words.sentence_closers:
                j += 1
            out.append((s, j))
            s = i = j
            continue
        i += 1
    if s < end and text[s:end].strip():
        out.append((s, end))
    return out


class StructureParser:
    def __init__(self, ont: Ontology) -> None:
        self.w = ont.structure

    def heading(self, line: str) -> tuple[str, str, int, int] | None:
        """(style, kind, marker end, heading end) of a heading line, or None."""
        for style in self.w.headings:
            m = style.pattern.match(line)
            if not m:
                continue
            key = style.style
            if key == "markdown":
                key = f"markdown{m.end()}"  # one level per number of #
            if style.kind == "article":
                return key, style.kind, m.end(), m.end()
            if style.kind == "box":
                return key, style.kind, m.end(), len(line)
            stop = line.find(self.w.inline_heading_end)
            if stop == -1:
                return key, style.kind, m.end(), len(line)
            end = stop if stop - m.end() <= self.w.max_inline_heading else m.end()
            return key, style.kind, m.end(), end
        return None

    def __call__(self, doc: Doc) -> Doc:
        st = state_of(doc)
        text = st.text
        w = self.w
        lines = text.split("\n")
        has_markers = any(self.heading(line) for line in lines[1:])
        stack: list[tuple[str, str]] = []  # (style, title) from the top level down
        pos = 0
        for line_no, line in enumerate(lines):
            start, end = pos, pos + len(line)
            pos = end + 1
            if not line.strip() or w.adoption_note.match(line):
                continue  # an adoption note is a record of the text, not part of what it says
            body_start = start
            found = self.heading(line) if line_no > 0 else None
            if found is not None:
                style, kind, marker_end, h_end = found
                title = line[:h_end].strip()
                if kind == "box":  # a box belongs to the section, not to its last numbered item
                    while stack and (stack[-1][0] in w.item_styles or stack[-1][0] == style):
                        stack.pop()
                styles = [s for s, _ in stack]
                if style in styles:
                    del stack[styles.index(style) :]
                stack.append((style, title))
                path = [t for _, t in stack]
                st.sections.append(
                    Section(len(stack), title, start, start + h_end, path, kind, style, start + marker_end)
                )
                st.marker_ends.append(start + marker_end)
                body_start = start + h_end
            elif (
                line_no > 0
                and not has_markers
                and len(line) <= w.plain_heading_max
                and not any(c in line for c in w.plain_heading_punct)
            ):
                stack = [("plain", line.strip())]
                st.sections.append(Section(1, line.strip(), start, end, [line.strip()], "heading", "plain"))
            elif line_no == 0:
                st.title = line.strip()
            path = [t for _, t in stack]
            para = Paragraph(len(st.paragraphs), start, end, path, body_start)
            st.paragraphs.append(para)
            for k, (s, e) in enumerate(split_sentences(text, start, end, w)):
                st.sentences.append(Sentence(len(st.sentences), s, e, para.index, path, k == 0))
        st.cut_ends = self._cut_line_ends(text, st.sections)
        return doc

    def _cut_line_ends(self, text: str, sections: list[Section]) -> list[int]:
        """Ends of body lines that stop mid-sentence (a truncated copy, a clipped export)."""
        heading_ends = {s.end for s in sections}
        out, pos = [], 0
        for line in text.split("\n"):
            end = pos + len(line)
            if (
                len(line) >= self.w.cut_line_min
                and end not in heading_ends
                and line[-1] not in self.w.line_terminators
                and not line.startswith(self.w.subtitle_openers)
                and not self.w.byline.match(line)
            ):
                out.append(end)
            pos = end + 1
        return out


@Language.factory("ikg_structure", default_config={"ontology_dir": str(DEFAULT_ONTOLOGY_DIR)})
def make_structure(nlp: Language, name: str, ontology_dir: str) -> StructureParser:
    return StructureParser(load_ontology(ontology_dir))
