"""Explore: find an actor by name or alias, see its neighbourhood as an interactive network.

The matches come from the entity_search preset (or hubs, before any search), the degrees from hubs,
the network from neighbourhood; the sidebar's filters only hide part of that answer.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import data, ui, viz
from queries.dialect import ACTOR_LABELS, ACTOR_RELS

k = ui.setup("Explore")
st.title("Explore the ecosystem")

degree = data.degrees(k)
query_id = st.query_params.get("id")
search_col, type_col = st.columns([2, 1])
text = search_col.text_input("Search an actor by name or alias", placeholder="e.g. 哈工大, 高区, 碳纤维")
search_types = type_col.multiselect("Only these types", ACTOR_LABELS, key="search_types")
wanted = set(search_types or ACTOR_LABELS)

if text.strip():
    found = data.rows(k, "entity_search", q=text.strip(), kind="", limit=1000)
    matches = [m for m in found if m["label"] in wanted][:200]
    if not matches:
        st.warning("No actor has that name or alias.")
        st.stop()
else:  # no search yet: the hubs, highest degree first
    matches = [m for m in data.hubs(k) if m["label"] in wanted][:200]
    if query_id and query_id not in {m["id"] for m in matches}:
        matches = data.rows(k, "actor_profile", actor=query_id)[:1] + matches
if not matches:
    st.info("Nothing known: no actors of these types in this graph.")
    st.stop()

by_id = {m["id"]: m for m in matches}
ids = list(by_id)
center_id = st.selectbox(
    f"Actor ({len(ids)} match{'es' if len(ids) != 1 else ''})",
    ids,
    index=ids.index(query_id) if query_id in ids else 0,
    format_func=lambda i: f"{by_id[i]['name']} · {by_id[i]['label']} · degree {degree.get(i, 0)}",
)
st.caption(ui.DEGREE)

with st.sidebar:
    st.markdown("**Neighbourhood**")
    depth = st.slider("Depth (hops)", 1, 3, 1)
    rel_types = st.multiselect("Relationship types shown", ACTOR_RELS, default=list(ACTOR_RELS))
    labels = st.multiselect("Entity types shown", ACTOR_LABELS, default=list(ACTOR_LABELS))
    cap = st.number_input("Node cap", min_value=10, max_value=2000, value=150, step=10)

nodes, edges = data.neighbourhood(k, center_id, depth)
center = by_id[center_id]
nodes.setdefault(center_id, {"id": center_id, "label": center["label"], "name": center["name"], "hop": 0})
in_reach, in_reach_edges = viz.neighbourhood_view(nodes, edges, center_id, set(rel_types), set(labels))
shown, shown_edges, cut = viz.cap_nodes(in_reach, in_reach_edges, int(cap), degree)

st.markdown(
    f"**{ui.md(center['name'])}** ({ui.md(center['label'])}): {len(shown)} nodes, "
    f"{len(shown_edges)} relationship{'s' if len(shown_edges) != 1 else ''} "
    f"within {depth} hop{'s' if depth > 1 else ''}."
)
if cut:
    st.warning(
        f"The node cap cut this view: showing {len(shown)} of {len(in_reach)} nodes "
        f"({cut} farther or lower-degree nodes left out). Raise the cap or filter by type to see them."
    )
if len(shown) == 1:
    st.info("Nothing known: no relationships of the selected types around this actor.")

ui.legend({n["label"] for n in shown.values()})
height = 620
ui.show_network(viz.network_html(shown, shown_edges, degrees=degree, center=center_id, height=height), height)
st.caption("Drag to move, scroll to zoom, hover a node or edge for details. Node size: degree.")

in_view = sorted(shown.values(), key=lambda n: (n.get("hop", 0), n["name"]))
go_col, link_col = st.columns([2, 1])
target = go_col.selectbox(
    "Go to an actor's page",
    [n["id"] for n in in_view],
    format_func=lambda i: f"{shown[i]['name']} · {shown[i]['label']}",
    key="goto",
)
with link_col:
    st.write("")
    ui.actor_link(shown[target], label=f"Open {shown[target]['name']}")

with st.expander(f"Relationships in view ({len(shown_edges)})"):
    names = {i: n["name"] for i, n in shown.items()}
    edge_rows = [
        {
            "source": names.get(e["src"], e["src"]),
            "relationship": viz.edge_description(e),
            "target": names.get(e["dst"], e["dst"]),
            "evidence": (e["evidence"][0].get("sentence") if e["evidence"] else ""),
        }
        for e in shown_edges
    ]
    st.dataframe(pd.DataFrame(edge_rows), hide_index=True, width="stretch")
    if edge_rows:
        ui.download_csv(edge_rows, "neighbourhood.csv", key="dl_neighbourhood")
