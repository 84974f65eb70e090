"""Aho-Corasick lookup of many words in a text, in linear time.

Backed by ``ahocorasick_rs`` (Rust): with thousands of words whose first characters are spread over the
CJK range, its search runs an order of magnitude faster than a trie walked in C with linear child
lists, and it offers leftmost-longest matching natively.
"""

from __future__ import annotations

from typing import Generic, TypeVar

import ahocorasick_rs

V = TypeVar("V")


class WordAutomaton(Generic[V]):
    """A fixed vocabulary, each word carrying a value; offsets are character offsets."""

    def __init__(self, words: dict[str, V]) -> None:
        self.words = list(words)
        self.values = [words[w] for w in self.words]
        self._longest = (
            ahocorasick_rs.AhoCorasick(self.words, matchkind=ahocorasick_rs.MATCHKIND_LEFTMOST_LONGEST)
            if self.words
            else None
        )
        self._all: ahocorasick_rs.AhoCorasick | None = None  # built on first overlapping search

    def leftmost_longest(self, text: str) -> list[tuple[int, int, V]]:
        """Non-overlapping matches, leftmost first, the longest where several start together."""
        if self._longest is None:
            return []
        vals = self.values
        return [(s, e, vals[i]) for i, s, e in self._longest.find_matches_as_indexes(text)]

    def _overlapping(self, text: str) -> list[tuple[int, int, int]]:
        if self._all is None:
            self._all = ahocorasick_rs.AhoCorasick(self.words)
        return self._all.find_matches_as_indexes(text, overlapping=True)

    def all_matches(self, text: str) -> list[tuple[int, int, V]]:
        """Every occurrence of every word, overlapping ones included."""
        if not self.words:
            return []
        vals = self.values
        return [(s, e, vals[i]) for i, s, e in self._overlapping(text)]

    def longest_by_end(self, text: str) -> dict[int, tuple[int, str, V]]:
        """Every end offset where a word ends → (start, word, value) of the longest word ending there."""
        if not self.words:
            return {}
        best: dict[int, tuple[int, str, V]] = {}
        words, vals = self.words, self.values
        for i, s, e in self._overlapping(text):
            cur = best.get(e)
            if cur is None or s < cur[0]:
                best[e] = (s, words[i], vals[i])
        return best
