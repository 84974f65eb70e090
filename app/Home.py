"""Overview: the documents, what the graph holds, the counted structures, clusters → chains, build quality.

Run with `ikg app` (or `streamlit run app/Home.py`); the other pages are in app/pages/.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import data, ui
from graph.schema import DOCUMENT, ENTITY_LABELS, MENTIONED_IN, NODE_SPECS, REL_SPECS

k = ui.setup("Overview")
src = data.source()

st.title("Innovation ecosystem: overview")
st.caption(f"Reading the {ui.md(src.description)}. Every fact links back to the sentence it came from.")

counts = data.counts(k)
nodes, rels = counts["nodes"], counts["relationships"]
docs = data.documents(k)
entity_total = sum(nodes.get(label, 0) for label in ENTITY_LABELS)
rel_total = sum(n for t, n in rels.items() if t != MENTIONED_IN)

cols = st.columns(5)
cols[0].metric("Documents", len(docs))
cols[1].metric("Entities", entity_total)
cols[2].metric("Relationships", rel_total, help="between entities; provenance (MENTIONED_IN) not counted")
cols[3].metric("Industry clusters", nodes.get("IndustryCluster", 0))
cols[4].metric("Industry chains", nodes.get("IndustryChain", 0))

st.subheader("Documents")
damaged = data.damage_notes(data.build_report(src.graph_dir))  # read from damaged files, by file name
if damaged:
    st.warning(
        f"{len(damaged)} of the documents were read from damaged files, keeping their good text: "
        "the warning column says what was replaced or removed."
    )
st.dataframe(
    pd.DataFrame(
        [
            {
                "title": d["title"],
                "date": d["date"],
                "issuer": d["issuer"],
                "file": d["name"],
                "warning": damaged.get(d["name"], ""),
                "id": d["id"],
            }
            for d in docs
        ]
    ),
    hide_index=True,
    width="stretch",
    column_config={"warning": st.column_config.TextColumn(width="large")},
)

left, right = st.columns(2)
with left:
    st.subheader("Entities by type")
    entity_rows = [
        {"type": label, "count": nodes.get(label, 0), "what": NODE_SPECS[label].description}
        for label in (*ENTITY_LABELS, DOCUMENT)
        if nodes.get(label, 0) or not NODE_SPECS[label].optional
    ]
    st.dataframe(pd.DataFrame(entity_rows), hide_index=True, width="stretch")
    ui.legend({r["type"] for r in entity_rows if r["count"]})
with right:
    st.subheader("Relationships by type")
    rel_rows = [
        {"type": t, "count": n, "what": REL_SPECS[t].description}
        for t, n in rels.items()
        if n or not REL_SPECS[t].optional
    ]
    st.dataframe(pd.DataFrame(rel_rows), hide_index=True, width="stretch")

st.subheader("Counted structures: declared vs named")
st.caption(
    "A plan declares a structure by its counts (“1+4+N”: 1 core, 4 pillars, N platforms); "
    "*named* counts the members the documents actually name (MEMBER_OF)."
)
structures = data.counted_structures(k)
if structures:
    st.dataframe(
        pd.DataFrame(structures).drop(columns=["id"]),
        hide_index=True,
        width="stretch",
        column_config={"members": st.column_config.TextColumn(width="large")},
    )
else:
    st.info("No counted structures in this graph.")

st.subheader("Clusters → chains")
cluster_rows = data.clusters_with_chains(k)
if cluster_rows:
    st.dataframe(pd.DataFrame(cluster_rows), hide_index=True, width="stretch")
    st.page_link("pages/2_Chain_gaps.py", label="Chain gaps: links, supporters and what each chain lacks")
else:
    st.info("No industry clusters in this graph.")

st.subheader("Build and extraction quality")
report = data.build_report(src.graph_dir)
quality = data.quality_summary(report)
if not quality:
    st.info(f"No build\\_report.json in {ui.md(src.graph_dir)}: run `ikg build` to get one.")
else:
    q = st.columns(4)
    q[0].metric("Documents built", quality["documents"])
    q[1].metric("Pruned", quality["pruned_total"], help="items dropped by schema validation")
    q[2].metric("Merged", quality["merged_total"], help="mentions merged into one entity across documents")
    q[3].metric("Kept apart", sum(quality["kept_apart"].values()), help="look-alikes deliberately not merged")
    a, b = st.columns(2)
    with a:
        st.markdown("**Merges by reason**")
        merges = {**quality["merged"], **quality["kept_apart"]}
        st.dataframe(
            pd.DataFrame([{"reason": r, "count": n} for r, n in merges.items()]),
            hide_index=True,
            width="stretch",
        )
    with b:
        st.markdown("**Pruned by reason**")
        if quality["pruned"]:
            st.dataframe(
                pd.DataFrame([{"reason": r, "count": n} for r, n in quality["pruned"].items()]),
                hide_index=True,
                width="stretch",
            )
        else:
            st.success("Nothing pruned: every extracted item fits the schema.")
    if quality["pruned_items"]:
        with st.expander(f"Pruned items ({len(quality['pruned_items'])})"):
            st.dataframe(pd.DataFrame(quality["pruned_items"]), hide_index=True, width="stretch")
    stored = quality["store"]
    if stored:
        written = (
            f"The report was written for the {stored.get('kind', '?')} store at {stored.get('location', '?')}"
        )
        if stored.get("storage_version"):
            written += f" (storage {stored['storage_version']})"
        st.caption(ui.md(written) + ".")
