"""Bodies named after a university (山东大学威海工业技术研究院 carries 山东大学's name).

Derived on the final graph, after curation, since a merge or a rename changes names: each body of
NAMED_AFTER_LABELS gets the ids of the universities whose name or alias (two characters or more)
opens its own name. One dictionary lookup per prefix of each body's name, so the cost grows with the
graph, not with universities × bodies.
"""

from __future__ import annotations

from graph.model import Graph
from graph.schema import NAMED_AFTER, NAMED_AFTER_LABELS

MIN_FORM = 2  # a one-character alias opens too many names to mean anything


def derive_named_after(graph: Graph) -> int:
    """Set `named_after` on every body whose name opens with a university's; returns how many."""
    owners: dict[str, set[str]] = {}
    for node in graph.nodes.values():
        if node.label == "University":
            for form in (node.name, *node.aliases):
                if len(form) >= MIN_FORM:
                    owners.setdefault(form, set()).add(node.id)
    longest = max((len(f) for f in owners), default=0)
    named = 0
    for node in graph.nodes.values():
        if node.label not in NAMED_AFTER_LABELS:
            continue
        found: set[str] = set()
        for k in range(MIN_FORM, min(len(node.name), longest) + 1):
            found |= owners.get(node.name[:k], set())
        if found:
            node.props[NAMED_AFTER.name] = sorted(found)
            named += 1
        else:
            node.props.pop(NAMED_AFTER.name, None)
    return named
