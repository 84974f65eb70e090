"""Token-level view of a Doc used by the scanners: jieba tokens as (start, end, text)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from spacy.tokens import Doc


@dataclass
class TokenIndex:
    starts: list[int]
    ends: list[int]
    texts: list[str]
    pos: list[str]  # jieba.posseg flag where its word coincides with the token, else ""

    @classmethod
    def from_doc(cls, doc: Doc) -> TokenIndex:
        starts, ends, texts, pos = [], [], [], []
        flags = (doc._.ikg_meta or {}).get("_pos", {})
        for t in doc:
            # whitespace tokens stay: a line break ends a name like punctuation does
            starts.append(t.idx)
            ends.append(t.idx + len(t.text))
            texts.append(t.text)
            pos.append(flags.get((t.idx, t.idx + len(t.text)), ""))
        return cls(starts, ends, texts, pos)

    def __len__(self) -> int:
        return len(self.starts)

    def at(self, offset: int) -> int:
        """Index of the token covering character ``offset`` (or the next one)."""
        i = bisect.bisect_right(self.starts, offset) - 1
        return max(i, 0)

    def is_end(self, offset: int) -> bool:
        i = bisect.bisect_left(self.ends, offset)
        return i < len(self.ends) and self.ends[i] == offset

    def is_start(self, offset: int) -> bool:
        i = bisect.bisect_left(self.starts, offset)
        return i < len(self.starts) and self.starts[i] == offset
