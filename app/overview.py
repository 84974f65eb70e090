"""The Overview page's tables, made from preset rows: pure functions, no Streamlit (tested directly)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

NO_CLUSTER = "(no cluster named)"
STRUCTURE_COLUMNS = [
    "structure",
    "declared",
    "named",
    "unnamed",
    "named / declared per role",
    "status",
    "members",
    "documents",
]


def counted_structures(
    structures: list[dict[str, Any]], members_of: Callable[[str], list[dict[str, Any]]]
) -> list[dict[str, Any]]:
    """counted_structures rows (the systems) and each one's system_members rows → one row per system."""
    out = []
    for s in structures:
        if s["kind"] != "InnovationSystem":
            continue
        roles: dict[str, dict[str, Any]] = {}
        for m in members_of(s["structure"]):
            role = roles.setdefault(
                m["role"], {"declared": m["declared"], "named": m["named"], "members": []}
            )
            if m["member"] is not None:
                role["members"].append(m["member"])
        per_role = [
            f"{name}: {r['named']}/{'?' if r['declared'] is None else r['declared']}"
            for name, r in roles.items()
        ]
        if s["declared"] is None:
            status = "no declared count"
        elif s["unnamed"] <= 0:
            status = "complete"
        else:
            status = f"{s['unnamed']} not named"
        out.append(
            {
                "structure": s["structure"],
                "declared": s["declared"],
                "named": s["named"],
                "unnamed": s["unnamed"],
                "named / declared per role": ", ".join(per_role),
                "status": status,
                "members": "、".join(name for r in roles.values() for name in r["members"]),
                "documents": s["documents"],
            }
        )
    # Systems with a declared size first, then the most populated.
    return sorted(out, key=lambda r: (r["declared"] is None, -r["named"], r["structure"]))


def clusters_with_chains(clusters: list[dict[str, Any]], gaps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """cluster_overview rows, plus a last row for the chains (chain_gaps rows) no cluster takes."""
    out = [
        {"cluster": c["cluster"], "chains": c["n_chains"], "chain names": "、".join(c["chains"])}
        for c in clusters
    ]
    loose = sorted(g["chain"] for g in gaps if g["chain_label"] == "IndustryChain" and not g["clusters"])
    if loose:
        out.append({"cluster": NO_CLUSTER, "chains": len(loose), "chain names": "、".join(loose)})
    return out
