"""The Overview page's tables, made from preset rows: pure functions, no Streamlit (tested directly).
Rows are keyed by their English headers (app/i18n.py names them)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app import chains
from app.i18n import joined, tr

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
CLUSTER_COLUMNS = ["cluster", "chains", "chain names", "what is known"]


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
            status = tr("未申报数量", "no declared count")
        elif s["unnamed"] <= 0:
            status = tr("已全部点名", "complete")
        else:
            status = tr(f"{s['unnamed']} 个未点名", f"{s['unnamed']} not named")
        out.append(
            {
                "structure": s["structure"],
                "declared": s["declared"],
                "named": s["named"],
                "unnamed": s["unnamed"],
                "named / declared per role": ", ".join(per_role),
                "status": status,
                "members": joined(name for r in roles.values() for name in r["members"]),
                "documents": s["documents"],
                "id": s["structure_id"],
            }
        )
    # Systems with a declared size first, then the most populated.
    return sorted(out, key=lambda r: (r["declared"] is None, -r["named"], r["structure"]))


def clusters_with_chains(
    clusters: list[dict[str, Any]], coverage: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """cluster_overview rows, plus a last row for the chains (chain_coverage rows) no cluster takes; what is
    known of each cluster's chains: how many have links or gaps extracted, how many nothing."""
    chains_of = {c["chain_id"]: c for c in coverage if c["chain_label"] == "IndustryChain"}

    def known(ids: list[str]) -> str:
        blank = sum(chains.nothing_known(chains_of.get(i)) for i in ids)
        if not ids:
            return tr("尚无信息:未点名产业链", "nothing known: no chain named")
        if not blank:
            return tr("各链均有环节或短板信息", "links or gaps known for every chain")
        return tr(f"{blank}/{len(ids)} 条链尚无信息", f"nothing known for {blank} of {len(ids)} chains")

    out = [
        {
            "cluster": c["cluster"],
            "chains": c["n_chains"],
            "chain names": joined(c["chains"]),
            "what is known": known(c["chain_ids"]),
        }
        for c in clusters
    ]
    loose = sorted((c for c in chains_of.values() if not c["clusters"]), key=lambda c: c["chain"])
    if loose:
        out.append(
            {
                "cluster": chains.cluster_option(chains.NO_CLUSTER),
                "chains": len(loose),
                "chain names": joined(c["chain"] for c in loose),
                "what is known": known([c["chain_id"] for c in loose]),
            }
        )
    return out
