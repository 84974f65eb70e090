"""Explore: find an actor by name or alias, see its neighbourhood as an interactive network."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import data, ui, viz
from graph.schema import ENTITY_LABELS

k = ui.setup("Explore")
st.title("Explore the ecosystem")

actors = data.actors(k)
degree = data.degrees(k)
by_id = {a["id"]: a for a in actors}

query_id = st.query_params.get("id")
search_col, type_col = st.columns([2, 1])
text = search_col.text_input("Search an actor by name or alias", placeholder="e.g. 哈工大, 高区, 碳纤维")
search_types = type_col.multiselect("Only these types", ENTITY_LABELS, key="search_types")

if text.strip():
    matches = data.search_actors(actors, text, search_types or None, limit=200)
    if not matches:
        st.warning("No actor has that name or alias.")
        st.stop()
else:  # no search yet: the best-connected actors first
    pool = [a for a in actors if not search_types or a["label"] in search_types]
    matches = sorted(pool, key=lambda a: (-degree.get(a["id"], 0), a["name"]))[:200]
    if query_id in by_id and by_id[query_id] not in matches:
        matches.insert(0, by_id[query_id])
if not matches:
    st.info("No actors of these types.")
    st.stop()

ids = [a["id"] for a in matches]
start = ids.index(query_id) if query_id in ids else 0
center_id = st.selectbox(
    f"Actor ({len(matches)} match{'es' if len(matches) != 1 else ''})",
    ids,
    index=start,
    format_func=lambda i: f"{by_id[i]['name']} · {by_id[i]['label']} · {degree.get(i, 0)} rel.",
)

with st.sidebar:
    st.markdown("**Neighbourhood**")
    depth = st.slider("Depth (hops)", 1, 3, 1)
    rel_types = st.multiselect(
        "Relationship types", data.ENTITY_REL_TYPES, default=list(data.ENTITY_REL_TYPES)
    )
    labels = st.multiselect("Entity types", ENTITY_LABELS, default=list(ENTITY_LABELS))
    cap = st.number_input("Node cap", min_value=10, max_value=2000, value=150, step=10)

sub = data.neighbourhood(k, center_id, depth, tuple(rel_types), tuple(labels))
shown, cut = data.cap_subgraph(sub, int(cap), degree)
total = len(sub["nodes"])
center = by_id[center_id]

st.markdown(
    f"**{ui.md(center['name'])}** ({ui.md(center['label'])}): {len(shown['nodes'])} nodes, "
    f"{len(shown['edges'])} relationship{'s' if len(shown['edges']) != 1 else ''} "
    f"within {depth} hop{'s' if depth > 1 else ''}."
)
if cut:
    st.warning(
        f"The node cap cut this view: showing {len(shown['nodes'])} of {total} nodes "
        f"({cut} farther or less connected nodes left out). Raise the cap or filter by type to see them."
    )
if len(shown["nodes"]) == 1:
    st.info("No relationships of the selected types around this actor.")

ui.legend(data.label_counts(shown["nodes"]).keys())
height = 620
ui.show_network(
    viz.network_html(shown["nodes"], shown["edges"], degrees=degree, center=center_id, height=height), height
)
st.caption(
    "Drag to move, scroll to zoom, hover a node or edge for details. Node size: number of relationships."
)

in_view = sorted(shown["nodes"].values(), key=lambda n: (n.get("hop", 0), n["name"]))
go_col, link_col = st.columns([2, 1])
target = go_col.selectbox(
    "Go to an actor's page",
    [n["id"] for n in in_view],
    format_func=lambda i: f"{shown['nodes'][i]['name']} · {shown['nodes'][i]['label']}",
    key="goto",
)
with link_col:
    st.write("")
    ui.actor_link(shown["nodes"][target], label=f"Open {shown['nodes'][target]['name']}")

with st.expander(f"Relationships in view ({len(shown['edges'])})"):
    names = {i: n["name"] for i, n in shown["nodes"].items()}
    edge_rows = [
        {
            "source": names.get(e["src"], e["src"]),
            "relationship": viz.edge_description(e),
            "target": names.get(e["dst"], e["dst"]),
            "evidence": (e["evidence"][0].get("sentence") if e["evidence"] else ""),
        }
        for e in shown["edges"]
    ]
    st.dataframe(pd.DataFrame(edge_rows), hide_index=True, width="stretch")
    if edge_rows:
        ui.download_csv(edge_rows, "neighbourhood.csv", key="dl_neighbourhood")
