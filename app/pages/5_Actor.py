"""Actor page: who it is, where it is mentioned, and every relationship with its evidence sentence.

From presets: actor_profile (who, degree), neighbourhood (the network), documents_mentioning (the
mentions), evidence (the relationships, one row per evidence sentence, regrouped here).
"""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from app import data, ui, viz
from graph.schema import REL_SPECS

k = ui.setup("Actor")
actor_id = st.query_params.get("id")
found = data.rows(k, "actor_profile", actor=actor_id) if actor_id else []
if not found:
    st.title("Actor")
    if actor_id:
        st.warning("No actor with that id in this graph.")
    text = st.text_input("Search an actor by name or alias")
    matches = data.rows(k, "entity_search", q=text.strip(), kind="", limit=100) if text.strip() else []
    if text.strip() and not matches:
        st.info("No actor has that name or alias.")
    for match in matches[:30]:
        ui.actor_link(match)
    st.stop()

actor = found[0]
titles = ui.doc_titles(k)
st.title(ui.md(actor["name"]))
facts = [ui.badge(actor["label"])]
if actor["region"]:
    facts.append(f"region: {html.escape(str(actor['region']))}")
facts.append(f"id: <code>{html.escape(actor['id'])}</code>")
st.markdown(" · ".join(facts), unsafe_allow_html=True)
aliases = [a for a in actor["aliases"] or [] if a != actor["name"]]
st.markdown(
    "**Aliases:** " + (html.escape("、".join(aliases)) if aliases else "none"), unsafe_allow_html=True
)
st.metric("Degree", actor["degree"], help=ui.DEGREE)
props = {key: v for key, v in (actor["props"] or {}).items() if v not in (None, "", [], {})}
for name in ("declared", "declared_total"):
    if actor[name] is not None:
        props[name] = actor[name]
if props:
    with st.expander("Extracted properties"):
        st.json(props)

st.page_link(ui.EXPLORE_PAGE, label="Explore its neighbourhood", query_params={"id": actor_id})
if actor["label"] == "Region":
    st.page_link(
        ui.POLICY_PAGE,
        label="Its figures: targets and reported values",
        query_params={"region": actor["name"]},
    )

nodes, edges = data.neighbourhood(k, actor_id, 1)
if len(nodes) > 1:
    ui.legend({n["label"] for n in nodes.values()})
    page = viz.network_html(nodes, edges, degrees=data.degrees(k), center=actor_id, height=380)
    ui.show_network(page, 380)

st.subheader("Documents")
docs = data.rows(k, "documents_mentioning", actor=actor_id)
if not docs:
    st.caption("Nothing known: no document mentions recorded.")
for doc in docs:
    evidence = doc["evidence"] or []
    n = doc["mentions"] or len(evidence)
    label = f"{doc['title'] or doc['document']} ({doc['document']}): {n} mention(s)"
    with st.expander(ui.md(label)):
        ui.show_evidence(evidence, titles)

# One row per evidence sentence (the preset unnests them): regrouped into one entry per relationship.
relations: dict[tuple, dict] = {}
for r in data.rows(k, "evidence", actor=actor_id):
    if r["actor_id"] != actor_id:
        continue
    undirected = r["rel"] in REL_SPECS and REL_SPECS[r["rel"]].undirected
    direction = "—" if undirected else ("→" if r["direction"] == "out" else "←")
    rel = relations.setdefault(
        (r["rel"], r["direction"], r["other_id"], r["key"]),
        {
            "type": r["rel"],
            "direction": direction,
            "other": {"id": r["other_id"], "name": r["other"], "label": r["other_label"]},
            "props": {p: r[p] for p in ("role", "ord") if r[p] is not None},
            "evidence": [],
        },
    )
    if r["sentence"]:
        rel["evidence"].append(
            {
                f: r[f]
                for f in ("doc", "doc_id", "section", "sentence", "sentence_start", "start", "end", "text")
            }
        )
st.subheader(f"Relationships ({len(relations)})")
st.caption(f"{ui.DEGREE} Figures about a place are on the Policy page.")
if not relations:
    st.caption("Nothing known: no relationships to other actors or structures.")
for rel_type in sorted({rel["type"] for rel in relations.values()}):
    st.markdown(f"##### {ui.md(rel_type)}: {ui.md(REL_SPECS[rel_type].description)}")
    group = sorted(
        (rel for rel in relations.values() if rel["type"] == rel_type),
        key=lambda rel: (rel["direction"], rel["other"]["name"], rel["other"]["id"]),
    )
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
    table_rows = [
        {
            "relationship": rel["type"],
            "direction": rel["direction"],
            "other": rel["other"]["name"],
            "other type": rel["other"]["label"],
            "properties": ", ".join(f"{key}={value}" for key, value in rel["props"].items()),
            "evidence": " | ".join(e.get("sentence", "") for e in rel["evidence"]),
            "documents": " | ".join(sorted({e.get("doc", "") for e in rel["evidence"]})),
        }
        for rel in relations.values()
    ]
    with st.expander("All relationships as a table"):
        st.dataframe(pd.DataFrame(table_rows), hide_index=True, width="stretch")
        ui.download_csv(table_rows, "relationships.csv", key="dl_actor")
