"""One segmentation pass: the words of the text with a part-of-speech flag each.

The tokenizer segments in a single pass (jieba's dictionary and model, in the compiled `rjieba`
implementation: the same words as jieba, an order of magnitude faster) and keeps the words on the
Doc; ``ikg_tokens`` turns them into the token table the scanners read, each word with its flag in
jieba's dictionary (a lookup, no tagging pass). The boundary scanner uses the flags to see that an
unlisted verb (改变, 扩大) still opens a clause.
"""

from __future__ import annotations

import functools
import logging
from itertools import accumulate, repeat

import rjieba
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

from ingest.ontology import DEFAULT_ONTOLOGY_DIR, Ontology, load_ontology
from ingest.state import TEXT_KEY, Tokens, state_of

WORDS = "ikg_words"  # Doc.user_data key: the text's words, in order


@functools.cache
def word_tags() -> dict[str, str]:
    """jieba's dictionary (word → flag), loaded once per process: what a word is when known."""
    logging.getLogger("jieba").setLevel(logging.WARNING)
    import jieba.posseg

    return jieba.posseg.dt.word_tag_tab


@functools.cache
def word_freq() -> dict[str, int]:
    """jieba's dictionary (word → frequency): how common a known word is."""
    logging.getLogger("jieba").setLevel(logging.WARNING)
    import jieba

    jieba.dt.check_initialized()
    return jieba.dt.FREQ


class TaggingTokenizer:
    """Text → Doc holding the text as one token; the words ride along in user_data.

    The scanners work on the word table (``Tokens``), not on spaCy's tokens, so the Doc is kept
    cheap: building a spaCy token per word costs more than the segmentation itself, and even a token
    per line costs twice the segmentation on text the vocabulary has not seen."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        doc = Doc(self.vocab, words=[text] if text else [], spaces=[False] if text else [])
        doc.user_data[WORDS] = rjieba.cut(text)
        doc.user_data[TEXT_KEY] = text
        return doc


@registry.tokenizers("ikg.tagging_tokenizer")
def make_tagging_tokenizer():
    def create(nlp: Language) -> TaggingTokenizer:
        return TaggingTokenizer(nlp.vocab)

    return create


def tokens_of(
    words: list[str],
    glue_split: str = "",
    glued_words: frozenset[str] = frozenset(),
    glued_levels: str = "",
) -> Tokens:
    known = word_tags()
    texts = list(words)
    ends = list(accumulate(map(len, texts)))
    starts = [0, *ends[:-1]] if texts else []  # the words tile the text
    # the dictionary's flag; a word the model found has none (its guessed flag is no evidence)
    pos = list(map(known.get, texts, repeat("")))

    def glued(w: str) -> bool:
        # a function word the model glued to the next word (及雄安, 等国): two words
        return (
            w in glued_words
            or (len(w) >= 3 and w[0] in glue_split and w not in known)
            or (len(w) == 2 and w[0] in glue_split and w[1] in glued_levels and w not in known)  # 向|市
        )

    opens = frozenset(glue_split)
    split = [k for k, w in enumerate(texts) if (w[0] in opens or w in glued_words) and glued(w)]
    for k in reversed(split):  # rare: from the end, so the indices stay right
        w, s = texts[k], starts[k]
        texts[k : k + 1] = [w[0], w[1:]]
        starts[k : k + 1] = [s, s + 1]
        ends[k : k + 1] = [s + 1, s + len(w)]
        pos[k : k + 1] = [known.get(w[0], ""), known.get(w[1:], "")]
    return Tokens(starts, ends, texts, pos)


class TokenTagger:
    def __init__(self, ont: Ontology) -> None:
        self.glue_split = ont.glue_split
        self.glued_words = ont.glued_words
        # an administrative level's one-character prefix (市, 省, 区, 县) the segmenter glued to a
        # function word before it: 由市|人民政府, 向省|科技厅
        self.glued_levels = "".join(p for p in ont.admin_prefixes if len(p) == 1)

    def __call__(self, doc: Doc) -> Doc:
        words = doc.user_data.get(WORDS)
        if words is None:  # a Doc made by another tokenizer: segment its text here
            words = rjieba.cut(state_of(doc).text)
        state_of(doc).tokens = tokens_of(words, self.glue_split, self.glued_words, self.glued_levels)
        return doc


@Language.factory("ikg_tokens", default_config={"ontology_dir": str(DEFAULT_ONTOLOGY_DIR)})
def make_tokens(nlp: Language, name: str, ontology_dir: str) -> TokenTagger:
    return TokenTagger(load_ontology(ontology_dir))
