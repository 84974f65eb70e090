"""Part-of-speech flags from jieba.posseg, kept per character span.

The boundary scanner uses them to see that a word it does not list (改变, 扩大, 逐年) still opens a
clause: a verb or adverb is not part of a name unless the ontology lists it as name-internal.
"""

from __future__ import annotations

import jieba.posseg
from spacy.language import Language
from spacy.tokens import Doc

from ingest.doc_ext import ensure_extensions


class PosTagger:
    def __call__(self, doc: Doc) -> Doc:
        ensure_extensions()
        spans: dict[tuple[int, int], str] = {}
        pos = 0
        for word, flag in jieba.posseg.cut(doc.text):
            spans[(pos, pos + len(word))] = flag
            pos += len(word)
        meta = doc._.ikg_meta or {}
        meta["_pos"] = spans
        doc._.ikg_meta = meta
        return doc


@Language.factory("ikg_pos")
def make_pos(nlp: Language, name: str) -> PosTagger:
    return PosTagger()
