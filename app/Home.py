"""Overview: the documents, what the graph holds, the counted structures, clusters → chains, build quality.

Run with `ikg app` (or `streamlit run app/Home.py`); the other pages are in app/pages/. Every figure
comes from a preset (documents, graph_summary, counted_structures, system_members, cluster_overview,
chain_gaps); the build quality from the build report beside the graph.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import data, overview, ui
from graph.schema import DOCUMENT, ENTITY_LABELS, MENTIONED_IN, NODE_SPECS, REL_SPECS

k = ui.setup("Overview")
src = data.source()

st.title("Innovation ecosystem: overview")
st.caption(f"Reading the {ui.md(src.description)}. Every fact links back to the sentence it came from.")

counts = data.graph_counts(k)
nodes, rels = counts["nodes"], counts["relationships"]
docs = data.rows(k, "documents")
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
                "file": d["document"],
                "entities named": d["entities"],
                "warning": damaged.get(d["document"], ""),
                "id": d["document_id"],
            }
            for d in docs
        ],
        columns=["title", "date", "issuer", "file", "entities named", "warning", "id"],
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
structures = overview.counted_structures(
    data.rows(k, "counted_structures"), lambda name: data.rows(k, "system_members", system=name)
)
if structures:
    st.dataframe(
        pd.DataFrame(structures, columns=overview.STRUCTURE_COLUMNS),
        hide_index=True,
        width="stretch",
        column_config={"members": st.column_config.TextColumn(width="large")},
    )
else:
    st.info("Nothing known: the documents declare no counted structure (such as “1+4+N”) in this graph.")

st.subheader("Clusters → chains")
cluster_rows = overview.clusters_with_chains(
    data.rows(k, "cluster_overview"), data.rows(k, "chain_gaps", min_gaps=0)
)
if cluster_rows:
    st.dataframe(pd.DataFrame(cluster_rows), hide_index=True, width="stretch")
    st.page_link("pages/2_Chain_gaps.py", label="Chain gaps: links, supporters and what each chain lacks")
else:
    st.info("Nothing known: no industry clusters or chains in this graph.")

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
