"""Union-find over resolution instances, carrying what the merge constraints look at."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any


class Components:
    """Each root keeps the name keys and regions of its members (checked before every union)."""

    def __init__(self, members: Iterable[tuple[int, set[str], frozenset[str]]]) -> None:
        self.parent: dict[int, int] = {}
        self.names: dict[int, set[str]] = {}
        self.regions: dict[int, set[str]] = {}
        for index, names, regions in members:
            self.parent[index] = index
            self.names[index] = set(names)
            self.regions[index] = set(regions)
        self.rules: dict[int, Any] = {}  # root → the alias-file merge rule that formed it

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> int:
        ra, rb = self.find(a), self.find(b)
        keep, gone = min(ra, rb), max(ra, rb)  # smallest index as root: deterministic
        self.parent[gone] = keep
        self.names[keep] |= self.names.pop(gone)
        self.regions[keep] |= self.regions.pop(gone)
        if gone in self.rules:
            self.rules.setdefault(keep, self.rules.pop(gone))
        return keep

    def groups(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        for x in self.parent:
            out[self.find(x)].append(x)
        return dict(out)
