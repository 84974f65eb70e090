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

from ingest.ontology import DEFAULT_ONTOLOGY_DIR, Ontology, load_ontology
from ingest.state import Tokens, state_of


@functools.cache
def word_tags() -> dict[str, str]:
    """jieba's dictionary tags (word → flag), loaded once per process."""
    import logging

    logging.getLogger("jieba").setLevel(logging.WARNING)
    import jieba.posseg

    return jieba.posseg.dt.word_tag_tab


def tokens_of(doc: Doc, glue_split: str = "", glued_words: frozenset[str] = frozenset()) -> Tokens:
    tags = word_tags()
    toks = Tokens()
    for t in doc:
        # whitespace stays a token: a space or a line break ends a name like punctuation does
        text = t.text
        tag = tags.get(text, "")
        if (not tag and len(text) >= 3 and text[0] in glue_split) or text in glued_words:
            # a function word the model glued to an unknown word (及雄安): two words
            toks.starts.append(t.idx)
            toks.ends.append(t.idx + 1)
            toks.texts.append(text[0])
            toks.pos.append(tags.get(text[0], ""))
            toks.starts.append(t.idx + 1)
            toks.ends.append(t.idx + len(text))
            toks.texts.append(text[1:])
            toks.pos.append(tags.get(text[1:], ""))
        else:
            toks.starts.append(t.idx)
            toks.ends.append(t.idx + len(text))
            toks.texts.append(text)
            toks.pos.append(tag)
        if t.whitespace_:
            end = t.idx + len(text)
            toks.starts.append(end)
            toks.ends.append(end + 1)
            toks.texts.append(t.whitespace_)
            toks.pos.append("x")
    return toks


class TokenTagger:
    def __init__(self, ont: Ontology) -> None:
        self.glue_split = ont.glue_split
        self.glued_words = ont.glued_words

    def __call__(self, doc: Doc) -> Doc:
        state_of(doc).tokens = tokens_of(doc, self.glue_split, self.glued_words)
        return doc


@Language.factory("ikg_tokens", default_config={"ontology_dir": str(DEFAULT_ONTOLOGY_DIR)})
def make_tokens(nlp: Language, name: str, ontology_dir: str) -> TokenTagger:
    return TokenTagger(load_ontology(ontology_dir))
