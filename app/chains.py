"""The chain page's figures and tables, made from chain_gaps / chain_coverage / chain_detail / shared_gaps
rows: pure functions, no Streamlit, so the tests can hold what the page shows against the presets.

What the documents say about a chain is in one of three states (app/ui.py shows them):
- found: links named (in order), items lacked, supporters;
- none in the documents: the documents describe the chain (its links) but state no such fact — no
  item it lacks, no actor for a link;
- nothing known: no link and nothing lacked was extracted for it, so "no gap" would be a guess.
"""

from __future__ import annotations

from typing import Any

from app import evidence
from app.i18n import joined, label, lang, tr

ALL = "\x00all"  # select-box values that are not cluster names
NO_CLUSTER = "\x00none"
GAP_COLUMNS = [
    "rank",
    "chain",
    "kind",
    "clusters",
    "what is known",
    "gaps",
    "lacks",
    "links",
    "links without support",
    "lacked items",
    "unsupported links",
]


def nothing_known(coverage: dict[str, Any] | None) -> bool:
    """No link and nothing lacked extracted: the chain's gaps are unknown, not zero."""
    return not coverage or (not coverage["n_links"] and not coverage["n_lacks"])


def known(coverage: dict[str, Any] | None) -> str:
    """What the documents say about a chain, in a few words."""
    if nothing_known(coverage):
        return tr("尚无信息(未抽取到环节或短板)", "nothing known (no links or gaps extracted)")
    assert coverage is not None
    parts = []
    if coverage["n_links"]:
        parts.append(tr(f"{coverage['n_links']} 个环节", f"{coverage['n_links']} links"))
    else:
        parts.append(tr("环节未知", "links unknown"))
    if coverage["n_lacks"]:
        parts.append(tr(f"缺少 {coverage['n_lacks']} 项", f"{coverage['n_lacks']} lacked"))
    else:
        parts.append(tr("未写缺少什么", "no lack stated"))
    return ("," if lang() == "zh" else ", ").join(parts)


def ranked(gaps: list[dict[str, Any]], coverage: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """chain_gaps rows (in the preset's order: most gaps first) as the table of every chain and cluster;
    a chain with nothing known shows no gap count (None), not 0."""
    out = []
    for rank, g in enumerate(gaps, 1):
        cov = coverage.get(g["chain_id"])
        blank = nothing_known(cov)
        links_known = bool(cov and cov["n_links"])
        out.append(
            {
                "rank": rank,
                "chain": g["chain"],
                "kind": label(g["chain_label"]),
                "clusters": joined(g["clusters"]),
                "what is known": known(cov),
                "gaps": None if blank else g["gaps"],
                "lacks": None if blank else g["n_lacks"],
                "links": cov["n_links"] if cov else None,
                "links without support": g["n_unsupported_links"] if links_known else None,
                "lacked items": joined(g["lacks"]),
                "unsupported links": joined(g["unsupported_links"]),
                "id": g["chain_id"],
            }
        )
    return out


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


def cluster_option(value: str) -> str:
    if value == ALL:
        return tr("(全部集群)", "(all clusters)")
    if value == NO_CLUSTER:
        return tr("(未归入集群)", "(no cluster named)")
    return value


def parts(detail: list[dict[str, Any]], chain_id: str) -> dict[str, list[dict[str, Any]]]:
    """chain_detail rows of one chain by part: links (in order), lacks, supporters (of it or its links)."""
    rows = [r for r in detail if r["chain_id"] == chain_id]  # a name could be another chain's alias
    return {part: [r for r in rows if r["part"] == part] for part in ("link", "lacks", "supporter")}


def figures(
    gap: dict[str, Any], detail: dict[str, list[dict[str, Any]]], rank: int, of: int
) -> dict[str, Any]:
    """The figures above a chain (English keys; the page names them): its chain_gaps row and counts of its
    chain_detail rows; "—" where nothing is known, never a reassuring 0."""
    blank = not detail["link"] and not detail["lacks"]
    return {
        "Gaps": "—" if blank else gap["gaps"],
        "Lacks": "—" if blank else gap["n_lacks"],
        "Links": len(detail["link"]) if detail["link"] else "—",
        "Links without support": gap["n_unsupported_links"] if detail["link"] else "—",
        "Supporting actors": len({r["item_id"] for r in detail["supporter"]}),
        "Gap rank": f"{rank} / {of}",
    }


FIGURE_NAMES = {
    "Gaps": "短板",
    "Lacks": "缺少项",
    "Links": "环节",
    "Links without support": "无支撑环节",
    "Supporting actors": "支撑主体",
    "Gap rank": "短板排名",
}


def link_supporters(detail: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Link name → the supporter rows naming it (`via`)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for r in detail["supporter"]:
        if r["via"]:
            out.setdefault(r["via"], []).append(r)
    return out


def links_table(detail: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The chain's links in order, each with the actors supporting that link ("" when none is named)."""
    supporters = link_supporters(detail)
    return [
        {
            "ord": r["ord"],
            "link": r["item"],
            "supported by": joined(s["item"] for s in supporters.get(r["item"], [])),
            "evidence": evidence.first_sentence(r["evidence"]),
        }
        for r in detail["link"]
    ]


def lacked_items(shared: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """shared_gaps rows (min_chains 1): each lacked item with the chains and clusters lacking it."""
    return [
        {"item": r["item"], "lacked by": r["n_chains"], "chains / clusters": joined(r["chains"])}
        for r in shared
    ]


def add_hint() -> str:
    """What a user could add when nothing is known about a chain."""
    return tr(
        "一份写明这条链环节的文件(如“上游为……,中游为……,下游为……”或“含A、B等环节”),"
        "以及它缺少什么(如“缺少……”“……依赖进口”);放进文件夹后重新构建。",
        'a document naming the chain\'s links ("upstream …, midstream …, downstream …" or "including A, B '
        'and other links") and what it lacks ("lacks …", "… imported"); put it in the folder and rebuild.',
    )


def header(name: str) -> str:
    """A figure's name in the current language."""
    return tr(FIGURE_NAMES[name], name)
