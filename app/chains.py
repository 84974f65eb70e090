"""The Chain gaps page's figures and tables, made from chain_gaps / chain_detail / shared_gaps rows: pure
functions, no Streamlit, so the tests can hold what the page shows against what the presets return."""

from __future__ import annotations

from typing import Any

NO_CLUSTER = "(no cluster named)"
ALL = "(all clusters)"
GAP_COLUMNS = [
    "rank",
    "chain",
    "kind",
    "clusters",
    "gaps",
    "lacks",
    "links without support",
    "lacked items",
    "unsupported links",
]


def ranked(gaps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """chain_gaps rows (in the preset's order: most gaps first) as the table of every chain and cluster."""
    return [
        {
            "rank": rank,
            "chain": g["chain"],
            "kind": "cluster" if g["chain_label"] == "IndustryCluster" else "chain",
            "clusters": "、".join(g["clusters"]),
            "gaps": g["gaps"],
            "lacks": g["n_lacks"],
            "links without support": g["n_unsupported_links"],
            "lacked items": "、".join(g["lacks"]),
            "unsupported links": "、".join(g["unsupported_links"]),
            "id": g["chain_id"],
        }
        for rank, g in enumerate(gaps, 1)
    ]


def chains_in(gaps: list[dict[str, Any]], cluster: str) -> list[dict[str, Any]]:
    """The chains (not clusters) of chain_gaps rows in a cluster, ALL, or NO_CLUSTER; preset order kept."""
    chains = [g for g in gaps if g["chain_label"] == "IndustryChain"]
    if cluster == ALL:
        return chains
    if cluster == NO_CLUSTER:
        return [c for c in chains if not c["clusters"]]
    return [c for c in chains if cluster in c["clusters"]]


def cluster_options(gaps: list[dict[str, Any]]) -> list[str]:
    chains = chains_in(gaps, ALL)
    names = sorted({name for c in chains for name in c["clusters"]})
    return [ALL, *names, *([NO_CLUSTER] if any(not c["clusters"] for c in chains) else [])]


def parts(detail: list[dict[str, Any]], chain_id: str) -> dict[str, list[dict[str, Any]]]:
    """chain_detail rows of one chain by part: links (in order), lacks, supporters (of it or its links)."""
    rows = [r for r in detail if r["chain_id"] == chain_id]  # a name could be another chain's alias
    return {part: [r for r in rows if r["part"] == part] for part in ("link", "lacks", "supporter")}


def figures(
    gap: dict[str, Any], detail: dict[str, list[dict[str, Any]]], rank: int, of: int
) -> dict[str, Any]:
    """The figures above a chain: its chain_gaps row, and counts of its chain_detail rows."""
    return {
        "Gaps": gap["gaps"],
        "Lacks": gap["n_lacks"],
        "Links": len(detail["link"]),
        "Links without support": gap["n_unsupported_links"],
        "Supporting actors": len({r["item_id"] for r in detail["supporter"]}),
        "Gap rank": f"{rank} / {of}",
    }


def links_table(detail: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The chain's links in order, each with the actors supporting that link."""
    supporters: dict[str, list[str]] = {}
    for r in detail["supporter"]:
        if r["via"]:
            supporters.setdefault(r["via"], []).append(r["item"])
    return [
        {
            "ord": r["ord"],
            "link": r["item"],
            "supported by": "、".join(supporters.get(r["item"], [])) or "— nobody named —",
        }
        for r in detail["link"]
    ]


def lacked_items(shared: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """shared_gaps rows (min_chains 1): each lacked item with the chains and clusters lacking it."""
    return [
        {"item": r["item"], "lacked by": r["n_chains"], "chains / clusters": "、".join(r["chains"])}
        for r in shared
    ]
