"""The segmenter's words with a part-of-speech flag each, from one segmentation pass.

The flag of a word is its tag in the segmenter's dictionary (jieba ships one with every word), a
lookup instead of a second, tagging pass over the text; a word the dictionary lacks (found by the
segmenter's model) has no flag. The boundary scanner uses the flags to see that an unlisted verb
(改变, 扩大) still opens a clause.
"""

from __future__ import annotations

import functools

from spacy.language import Language
from spacy.tokens import Doc

from ingest.state import Tokens, state_of


@functools.cache
def word_tags() -> dict[str, str]:
    """jieba's dictionary tags (word → flag), loaded once per process."""
    import logging

    logging.getLogger("jieba").setLevel(logging.WARNING)
    import jieba.posseg

    return jieba.posseg.dt.word_tag_tab


def tokens_of(doc: Doc) -> Tokens:
    tags = word_tags()
    toks = Tokens()
    for t in doc:
        # whitespace stays a token: a space or a line break ends a name like punctuation does
        text = t.text
        toks.starts.append(t.idx)
        toks.ends.append(t.idx + len(text))
        toks.texts.append(text)
        toks.pos.append(tags.get(text, ""))
        if t.whitespace_:
            end = t.idx + len(text)
            toks.starts.append(end)
            toks.ends.append(end + 1)
            toks.texts.append(t.whitespace_)
            toks.pos.append("x")
    return toks


class TokenTagger:
    def __call__(self, doc: Doc) -> Doc:
        state_of(doc).tokens = tokens_of(doc)
        return doc


@Language.factory("ikg_tokens")
def make_tokens(nlp: Language, name: str) -> TokenTagger:
    return TokenTagger()
