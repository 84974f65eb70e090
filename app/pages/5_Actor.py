"""Actor page: who it is, where it is mentioned, and every relationship with its evidence sentence."""

from __future__ import annotations

import html
from collections import defaultdict

import pandas as pd
import streamlit as st

from app import data, ui, viz
from graph.schema import REL_SPECS

k = ui.setup("Actor")
actors = data.actors(k)
by_id = {a["id"]: a for a in actors}

actor_id = st.query_params.get("id")
if not actor_id or actor_id not in by_id:
    st.title("Actor")
    if actor_id:
        st.warning("No actor with that id in this graph.")
    text = st.text_input("Search an actor by name or alias")
    matches = data.search_actors(actors, text, limit=100) if text.strip() else []
    if text.strip() and not matches:
        st.info("No actor has that name or alias.")
    for match in matches[:30]:
        ui.actor_link(match)
    st.stop()

actor = data.actor(k, actor_id)
if actor is None:
    st.error("This actor is no longer in the graph.")
    st.stop()
titles = ui.doc_titles(k)

st.title(ui.md(actor["name"]))
facts = [ui.badge(actor["label"])]
if actor["region"]:
    facts.append(f"region: {html.escape(str(actor['region']))}")
facts.append(f"id: <code>{html.escape(actor['id'])}</code>")
st.markdown(" · ".join(facts), unsafe_allow_html=True)
aliases = [a for a in actor["aliases"] if a != actor["name"]]
st.markdown(
    "**Aliases:** " + (html.escape("、".join(aliases)) if aliases else "none"), unsafe_allow_html=True
)
props = {key: value for key, value in actor["props"].items() if value not in (None, "", [], {})}
if props:
    with st.expander("Extracted properties"):
        st.json(props)

st.page_link(ui.EXPLORE_PAGE, label="Explore its neighbourhood", query_params={"id": actor_id})

sub = data.neighbourhood(k, actor_id, 1)
if len(sub["nodes"]) > 1:
    ui.legend(data.label_counts(sub["nodes"]).keys())
    page = viz.network_html(sub["nodes"], sub["edges"], degrees=data.degrees(k), center=actor_id, height=380)
    ui.show_network(page, 380)

st.subheader("Documents")
docs = data.actor_documents(k, actor_id)
if not docs:
    st.caption("No document mentions recorded.")
for doc in docs:
    label = f"{doc['title'] or doc['name']} ({doc['name']}): {doc['n'] or len(doc['evidence'])} mention(s)"
    with st.expander(ui.md(label)):
        ui.show_evidence(doc["evidence"], titles)

relations = data.actor_relations(k, actor_id)
st.subheader(f"Relationships ({len(relations)})")
if not relations:
    st.caption("No relationships to other entities.")
by_type: dict[str, list[dict]] = defaultdict(list)
for rel in relations:
    by_type[rel["type"]].append(rel)
for rel_type, group in by_type.items():
    st.markdown(f"##### {ui.md(rel_type)}: {ui.md(REL_SPECS[rel_type].description)}")
    for rel in group:
        other = rel["other"]
        extra = ", ".join(f"{key}={value}" for key, value in rel["props"].items())
        this = f"<i>{html.escape(actor['name'])}</i>"
        that = f"<b>{html.escape(other['name'])}</b> {ui.badge(other['label'])}"
        kind = f"<b>{html.escape(rel_type)}</b>"
        if rel["direction"] == "←":
            head = f"{that} —{kind}→ {this}"
        elif rel["direction"] == "—":
            head = f"{this} —{kind}— {that}"
        else:
            head = f"{this} —{kind}→ {that}"
        if extra:
            head += f" <span style='color:#777'>({html.escape(extra)})</span>"
        st.markdown(f"<div>{head}</div>", unsafe_allow_html=True)
        ui.show_evidence(rel["evidence"], titles)
        ui.actor_link(other, label=f"Open {other['name']}")

if relations:
    rows = [
        {
            "relationship": rel["type"],
            "direction": rel["direction"],
            "other": rel["other"]["name"],
            "other type": rel["other"]["label"],
            "properties": ", ".join(f"{key}={value}" for key, value in rel["props"].items()),
            "evidence": " | ".join(e.get("sentence", "") for e in rel["evidence"]),
            "documents": " | ".join(sorted({e.get("doc", "") for e in rel["evidence"]})),
        }
        for rel in relations
    ]
    with st.expander("All relationships as a table"):
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
        ui.download_csv(rows, "relationships.csv", key="dl_actor")
