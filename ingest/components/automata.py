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
    hits = [(end + 1 - len(w), end + 1, v) for end, (w, v) in auto.iter(text)]
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    out, last = [], -1
    for s, e, v in hits:
        if s >= last:
            out.append((s, e, v))
            last = e
    return out
