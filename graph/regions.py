"""Which regions contain which: decides whether two regions tell two same-named things apart.

化工产业园 in 东湖区 and 化工产业园 in 青川市 may be one park (东湖区 lies in 青川市); in 东湖区 and
in 西岭区 they are two. Parents come from Region→Region LOCATED_IN and from each document's city.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable


class RegionHierarchy:
    def __init__(self) -> None:
        self.parents: dict[str, set[str]] = defaultdict(set)

    def add(self, child: str, parent: str) -> None:
        if child != parent:
            self.parents[child].add(parent)

    def ancestors(self, region: str) -> set[str]:
        seen: set[str] = set()
        stack = list(self.parents.get(region, ()))
        while stack:
            r = stack.pop()
            if r not in seen:
                seen.add(r)
                stack.extend(self.parents.get(r, ()))
        return seen

    def specific(self, regions: Iterable[str]) -> set[str]:
        """Drop regions that contain another one in the set (青川市 when 东湖区 is there too)."""
        regions = set(regions)
        covered = set().union(*(self.ancestors(r) for r in regions)) if regions else set()
        return regions - covered
