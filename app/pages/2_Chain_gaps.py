"""Chain gaps: a chain's links in order, who supports which link, what it lacks; gaps ranked across chains."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from app import data, ui, viz

k = ui.setup("Chain gaps")
st.title("Industry chains and their gaps")

all_chains = data.chains(k)
gaps = data.gap_table(k)
if not all_chains:
    st.info("No industry chains in this graph.")
    st.stop()

NO_CLUSTER = "(no cluster named)"
ALL = "(all clusters)"
cluster_names = sorted({name for c in all_chains for _, name in c["clusters"]})
if any(not c["clusters"] for c in all_chains):
    cluster_names.append(NO_CLUSTER)
rank = {g["id"]: g["rank"] for g in gaps}

pick_cluster, pick_chain = st.columns([1, 2])
cluster = pick_cluster.selectbox("Cluster", [ALL, *cluster_names], key="cluster")


def in_cluster(chain: dict) -> bool:
    if cluster == ALL:
        return True
    if cluster == NO_CLUSTER:
        return not chain["clusters"]
    return cluster in {name for _, name in chain["clusters"]}


options = sorted(
    (c for c in all_chains if in_cluster(c)), key=lambda c: (rank.get(c["id"], 10**6), c["name"])
)
if not options:
    st.info("This cluster names no chains.")
    st.stop()
names = {c["id"]: c["name"] for c in options}
requested = st.query_params.get("chain")
chain_id = pick_chain.selectbox(
    "Chain (most gaps first)",
    list(names),
    index=list(names).index(requested) if requested in names else 0,
    format_func=lambda i: f"{names[i]}  · gap rank {rank.get(i, '–')}",
    key="chain",
)

detail = data.chain_detail(k, chain_id)
chain = detail["chain"]
row = next((g for g in gaps if g["id"] == chain_id), None)
titles = ui.doc_titles(k)

st.subheader(ui.md(chain["name"]))
clusters_text = "、".join(name for _, name in chain["clusters"]) or "none named"
if row:
    m = st.columns(5)
    m[0].metric("Links", row["links"])
    m[1].metric("Links without support", row["links without support"])
    m[2].metric("Lacks", row["lacks"])
    m[3].metric("Supporting actors", row["supporters"])
    m[4].metric("Gap rank", f"{row['rank']} / {len(gaps)}")
st.markdown(f"**Cluster:** {html.escape(clusters_text)}", unsafe_allow_html=True)

supporters_of: dict[str, list[str]] = {}
for s in detail["supports"]:
    supporters_of.setdefault(s["target"]["id"], []).append(s["supporter"]["name"])

st.markdown("#### Links in order")
if detail["links"]:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "ord": link["ord"],
                    "link": link["name"],
                    "supported by": "、".join(supporters_of.get(link["id"], [])) or "— nobody named —",
                }
                for link in detail["links"]
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    st.markdown(
        " → ".join(
            (f"<b>{html.escape(link['name'])}</b>" if link["supported"] else html.escape(link["name"]))
            for link in detail["links"]
        ),
        unsafe_allow_html=True,
    )
    st.caption("Bold: a link some actor supports.")
else:
    st.caption("The documents name no ordered links for this chain.")

# The chain as a network: links (with their position), lacked items (red, dashed), supporters, clusters.
nodes: dict[str, dict] = {
    chain_id: {"id": chain_id, "label": "IndustryChain", "name": chain["name"], "aliases": []}
}
edges: list[dict] = []
for cluster_id, cluster_name in chain["clusters"]:
    nodes[cluster_id] = {"id": cluster_id, "label": "IndustryCluster", "name": cluster_name, "aliases": []}
    edges.append({"src": chain_id, "dst": cluster_id, "type": "PART_OF_CLUSTER", "props": {}, "label": ""})
for link in detail["links"]:
    nodes[link["id"]] = {"id": link["id"], "label": "ChainLink", "name": link["name"], "aliases": []}
    edges.append(
        {
            "src": chain_id,
            "dst": link["id"],
            "type": "HAS_LINK",
            "props": {"ord": link["ord"]},
            "label": link["ord"],
        }
    )
for lack in detail["lacks"]:
    nodes[lack["id"]] = {"id": lack["id"], "label": "ChainLink", "name": lack["name"], "aliases": []}
    edges.append({"src": chain_id, "dst": lack["id"], "type": "LACKS", "props": {}, "label": "lacks"})
for s in detail["supports"]:
    nodes[s["supporter"]["id"]] = s["supporter"]
    nodes.setdefault(s["target"]["id"], s["target"])
    edges.append(
        {"src": s["supporter"]["id"], "dst": s["target"]["id"], "type": "SUPPORTS", "props": {}, "label": ""}
    )
ui.legend({n["label"] for n in nodes.values()})
ui.show_network(
    viz.network_html(nodes, edges, degrees=data.degrees(k), center=chain_id, height=460, edge_labels=True),
    460,
)

left, right = st.columns(2)
with left:
    st.markdown("#### Who supports it")
    if not detail["supports"]:
        st.warning("No actor is named as supporting this chain, its links or its cluster.")
    for s in detail["supports"]:
        st.markdown(
            f"{ui.badge(s['supporter']['label'])} <b>{html.escape(s['supporter']['name'])}</b> supports "
            f"the {html.escape(s['scope'])} <b>{html.escape(s['target']['name'])}</b>",
            unsafe_allow_html=True,
        )
        ui.show_evidence(s["evidence"][:1], titles)
with right:
    st.markdown("#### What it lacks")
    if not detail["lacks"]:
        st.success("The documents name nothing this chain lacks.")
    for lack in detail["lacks"]:
        st.markdown(f"<b>{html.escape(lack['name'])}</b>", unsafe_allow_html=True)
        ui.show_evidence(lack["evidence"][:1], titles)
    if detail["cluster_lacks"]:
        st.markdown("#### What its cluster lacks")
        for lack in detail["cluster_lacks"]:
            st.markdown(
                f"<b>{html.escape(lack['name'])}</b> ({html.escape(lack['owner_name'])})",
                unsafe_allow_html=True,
            )
            ui.show_evidence(lack["evidence"][:1], titles)

st.divider()
st.subheader("Gaps across all chains")
st.caption(
    "score = items lacked + links no actor supports + 1 when no actor supports the chain at all; "
    "clusters appear when the documents say the cluster itself lacks something."
)
columns = [
    "rank",
    "kind",
    "name",
    "cluster",
    "score",
    "lacks",
    "links",
    "links without support",
    "supporters",
    "lacked items",
    "unsupported links",
]
gap_frame = pd.DataFrame(gaps)[columns] if gaps else pd.DataFrame(columns=columns)
st.dataframe(gap_frame, hide_index=True, width="stretch")
ui.download_csv(gap_frame, "chain_gaps.csv", key="dl_gaps")

items = data.lacked_items(k)
if items:
    with st.expander(f"Lacked items, most widely lacking first ({len(items)})"):
        st.dataframe(pd.DataFrame(items), hide_index=True, width="stretch")
        ui.download_csv(items, "lacked_items.csv", key="dl_items")
