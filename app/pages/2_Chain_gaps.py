"""Chain gaps: a chain's links in order, who supports which link, what it lacks; gaps ranked across chains.

Every figure is a preset's: chain_gaps (the ranking, gaps, lacks, unsupported links), chain_detail (links,
supporters, lacked items with their evidence, the network), shared_gaps (items several chains lack);
app/chains.py lays the rows out.
"""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from app import chains, data, ui, viz

k = ui.setup("Chain gaps")
st.title("Industry chains and their gaps")

gaps = data.rows(k, "chain_gaps", cluster="", min_gaps=0)
table = chains.ranked(gaps)
rank = {r["id"]: r["rank"] for r in table}
if not chains.chains_in(gaps, chains.ALL):
    st.info("Nothing known: the documents name no industry chains in this graph.")
    st.stop()

pick_cluster, pick_chain = st.columns([1, 2])
cluster = pick_cluster.selectbox("Cluster", chains.cluster_options(gaps), key="cluster")
options = chains.chains_in(gaps, cluster)
if not options:
    st.info("Nothing known: this cluster names no chains.")
    st.stop()
by_id = {g["chain_id"]: g for g in options}
requested = st.query_params.get("chain")
chain_id = pick_chain.selectbox(
    "Chain (most gaps first)",
    list(by_id),
    index=list(by_id).index(requested) if requested in by_id else 0,
    format_func=lambda i: f"{by_id[i]['chain']}  · gap rank {rank[i]}",
    key="chain",
)
gap = by_id[chain_id]
result = data.answer(k, "chain_detail", (("chain", gap["chain"]),))
detail = chains.parts(result.records(), chain_id)
titles = ui.doc_titles(k)

st.subheader(ui.md(gap["chain"]))
m = st.columns(6)
for col, (label, value) in zip(
    m, chains.figures(gap, detail, rank[chain_id], len(table)).items(), strict=True
):
    col.metric(label, value)
clusters_text = "、".join(gap["clusters"]) or "none named"
st.markdown(f"**Cluster:** {html.escape(clusters_text)}", unsafe_allow_html=True)
st.caption("Gaps = items the documents say the chain lacks + links of it no actor supports.")

st.markdown("#### Links in order")
if detail["link"]:
    st.dataframe(pd.DataFrame(chains.links_table(detail)), hide_index=True, width="stretch")
    unsupported = set(gap["unsupported_links"])
    st.markdown(
        " → ".join(
            html.escape(r["item"]) if r["item"] in unsupported else f"<b>{html.escape(r['item'])}</b>"
            for r in detail["link"]
        ),
        unsafe_allow_html=True,
    )
    st.caption("Bold: a link some actor supports.")
else:
    st.caption("Nothing known: the documents name no ordered links for this chain.")

nodes, edges = data.subgraph_view(result.subgraph)
for e in edges:  # a link's position on its edge
    if e["type"] == "HAS_LINK" and "ord" in e["props"]:
        e["label"] = e["props"]["ord"]
    elif e["type"] == "LACKS":
        e["label"] = "lacks"
ui.legend({n["label"] for n in nodes.values()})
ui.show_network(
    viz.network_html(nodes, edges, degrees=data.degrees(k), center=chain_id, height=460, edge_labels=True),
    460,
)
st.caption(f"Node size: degree. {ui.DEGREE}")

left, right = st.columns(2)
with left:
    st.markdown("#### Who supports it")
    if not detail["supporter"]:
        st.warning("Nothing known: no actor is named as supporting this chain or its links.")
    for s in detail["supporter"]:
        where = f" ({html.escape('、'.join(s['located_in']))})" if s["located_in"] else ""
        st.markdown(
            f"{ui.badge(s['item_label'])} <b>{html.escape(s['item'])}</b>{where}: "
            + html.escape(s["note"] or ""),
            unsafe_allow_html=True,
        )
        ui.show_evidence((s["evidence"] or [])[:1], titles)
with right:
    st.markdown("#### What it lacks")
    if not detail["lacks"]:
        st.info("Nothing known: the documents name nothing this chain lacks.")
    for lack in detail["lacks"]:
        cue = f" ({html.escape(lack['note'])})" if lack["note"] else ""
        st.markdown(f"<b>{html.escape(lack['item'])}</b>{cue}", unsafe_allow_html=True)
        ui.show_evidence((lack["evidence"] or [])[:1], titles)
    cluster_lacks = [
        g for g in gaps if g["chain_label"] == "IndustryCluster" and g["chain"] in gap["clusters"]
    ]
    for g in cluster_lacks:
        if g["lacks"]:
            st.markdown(f"#### What its cluster {ui.md(g['chain'])} lacks")
            st.markdown(html.escape("、".join(g["lacks"])))

st.divider()
st.subheader("Gaps across all chains")
st.caption(
    "gaps = items lacked + links no actor supports (the chain_gaps preset); clusters appear when the "
    "documents say the cluster itself lacks something."
)
gap_frame = pd.DataFrame(table, columns=[*chains.GAP_COLUMNS, "id"])[chains.GAP_COLUMNS]
st.dataframe(gap_frame, hide_index=True, width="stretch")
ui.download_csv(gap_frame, "chain_gaps.csv", key="dl_gaps")

items = chains.lacked_items(data.rows(k, "shared_gaps", min_chains=1))
if items:
    with st.expander(f"Lacked items, most widely lacking first ({len(items)})"):
        st.dataframe(pd.DataFrame(items), hide_index=True, width="stretch")
        ui.download_csv(items, "lacked_items.csv", key="dl_items")
