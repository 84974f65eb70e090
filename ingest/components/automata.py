"""Aho-Corasick helpers: linear-time lookup of many words in a text."""

from __future__ import annotations

import ahocorasick


def automaton(words: dict[str, object]) -> ahocorasick.Automaton:
    auto = ahocorasick.Automaton()
    for w, v in words.items():
        auto.add_word(w, (w, v))
    auto.make_automaton()
    return auto


def leftmost_longest(text: str, auto: ahocorasick.Automaton) -> list[tuple[int, int, object]]:
    """Non-overlapping matches, leftmost first, the longest where several start together."""
    return [(end + 1 - len(w), end + 1, v) for end, (w, v) in auto.iter_long(text)]
