"""Actor page: who it is, where it is mentioned, every relationship with its evidence sentence, and the
curation of it (merge, rename, change type, hide; with undo; applied by a rebuild: app/curate.py).

From presets: actor_profile (who, degree), neighbourhood (the network), documents_mentioning (the
mentions), evidence (the relationships, one row per evidence sentence, regrouped here), entity_search.
"""

from __future__ import annotations

import html

import streamlit as st

from app import curate, data, i18n, nav, rendered, ui, viz
from app.i18n import tr
from graph.schema import REL_SPECS

DOCS_OPEN = 30  # documents listed with their sentences; the others in one table

k = ui.setup()
curate.show_note()
actor_id = st.query_params.get("id")
found = data.rows(k, "actor_profile", actor=actor_id) if actor_id else []
if not found:
    st.title(tr("主体档案", "Actor"))
    if actor_id:
        ui.unknown(
            tr(
                f"图谱中没有这个实体({curate.entity_text(actor_id)}):可能已被整理决定隐藏或合并,见下方。",
                f"no entity {curate.entity_text(actor_id)} in this graph: a curation decision may have "
                "hidden or "
                "merged it (below).",
            )
        )
        curate.decisions_table(actor_id)
    text = st.text_input(tr("按名称或别名搜索主体", "Search an actor by name or alias"))
    matches = data.rows(k, "entity_search", q=text.strip(), kind="", limit=100) if text.strip() else []
    if text.strip() and not matches:
        ui.unknown(tr("没有主体的名称或别名含有这几个字。", "no actor has that name or alias."))
    for match in matches[:30]:
        ui.actor_link(match)
    if not actor_id:
        with st.expander(tr("全部整理决定", "Every curation decision")):
            curate.decisions_table()
    st.stop()

actor = found[0]
titles = ui.doc_titles(k)
st.title(ui.md(actor["name"]))
facts = [ui.badge(actor["label"])]
if actor["region"]:
    facts.append(f"{tr('区域', 'region')}:{html.escape(str(actor['region']))}")
st.markdown(" · ".join(facts), unsafe_allow_html=True)
aliases = [a for a in actor["aliases"] or [] if a != actor["name"]]
st.markdown(
    f"**{tr('别名', 'Aliases')}:** " + (html.escape("、".join(aliases)) if aliases else tr("无", "none")),
    unsafe_allow_html=True,
)
st.metric(tr("度数", "Degree"), actor["degree"], help=ui.degree_note())
props = {key: v for key, v in (actor["props"] or {}).items() if v not in (None, "", [], {})}
for name in ("declared", "declared_total"):
    if actor[name] is not None:
        props[name] = actor[name]
if props:
    with st.expander(tr("抽取到的其他属性", "Extracted properties")):
        st.json(props)

st.page_link(
    ui.EXPLORE_PAGE,
    label=tr("在关系网络中展开", "Explore its neighbourhood"),
    query_params=nav.link_params(id=actor_id),
)
if actor["label"] == "Region":
    st.page_link(
        ui.POLICY_PAGE,
        label=tr("它的指标:目标与实际值", "Its figures: targets and reported values"),
        query_params=nav.link_params(region=actor["name"]),
    )
if actor["label"] == "IndustryChain":
    st.page_link(
        ui.MATRIX_PAGE,
        label=tr("支撑矩阵:环节 × 支撑主体", "Support matrix: links × actors"),
        query_params=nav.link_params(chain=actor["name"]),
    )

nodes, edges = data.neighbourhood(k, actor_id, 1)
if len(nodes) > 1:
    ui.legend({n["label"] for n in nodes.values()})
    page = rendered.network_html(nodes, edges, degrees=data.degrees(k), center=actor_id, height=380)
    clicked = ui.show_network(page, 380, key="actor_network")
    if clicked and clicked != actor_id:  # a click opens that actor's page
        st.query_params["id"] = clicked
        st.rerun()

st.subheader(tr("文件", "Documents"))
docs = data.rows(k, "documents_mentioning", actor=actor_id)
if not docs:
    ui.unknown(tr("没有记录提及它的文件。", "no document mentions recorded."))
for doc in docs[:DOCS_OPEN]:
    evidence = doc["evidence"] or []
    n = doc["mentions"] or len(evidence)
    label = f"{doc['title'] or doc['document']} ({doc['document']}): " + tr(f"提及 {n} 次", f"{n} mention(s)")
    with st.expander(ui.md(label)):
        ui.show_evidence(evidence, titles)
if len(docs) > DOCS_OPEN:
    # the rest as one table: hundreds of expanders would take the browser seconds to draw
    st.caption(tr(f"另有 {len(docs) - DOCS_OPEN} 份文件:", f"{len(docs) - DOCS_OPEN} more documents:"))
    st.dataframe(
        [
            {
                tr("文件", "document"): d["document"],
                tr("标题", "title"): d["title"] or "",
                tr("提及次数", "mentions"): d["mentions"] or len(d["evidence"] or []),
            }
            for d in docs[DOCS_OPEN:]
        ],
        hide_index=True,
    )

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
st.subheader(tr(f"关系({len(relations)})", f"Relationships ({len(relations)})"))
st.caption(
    ui.degree_note() + tr("地区的指标数据见政策与指标页。", " Figures about a place are on the Policy page.")
)
if not relations:
    ui.unknown(
        tr(
            "没有抽取到它与其他主体或结构的关系。",
            "no relationships to other actors or structures were extracted.",
        )
    )
for rel_type in sorted({rel["type"] for rel in relations.values()}):
    spec = REL_SPECS[rel_type]
    st.markdown(
        f"##### {ui.md(i18n.rel(rel_type))}" + ("" if i18n.lang() == "zh" else f": {ui.md(spec.description)}")
    )
    group = sorted(
        (rel for rel in relations.values() if rel["type"] == rel_type),
        key=lambda rel: (rel["direction"], rel["other"]["name"], rel["other"]["id"]),
    )
    for rel in group:
        other = rel["other"]
        extra = viz.props_text(rel["props"])
        this = f"<i>{html.escape(actor['name'])}</i>"
        that = f"<b>{html.escape(other['name'])}</b> {ui.badge(other['label'])}"
        kind = f"<b>{html.escape(i18n.rel(rel_type))}</b>"
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
        ui.actor_link(other, label=tr(f"打开 {other['name']}", f"Open {other['name']}"))

if relations:
    table_rows = [
        {
            "relationship": i18n.rel(rel["type"]),
            "direction": rel["direction"],
            "other": rel["other"]["name"],
            "other type": i18n.label(rel["other"]["label"]),
            "properties": viz.props_text(rel["props"]),
            "evidence": " | ".join(e.get("sentence", "") for e in rel["evidence"]),
            "documents": " | ".join(sorted({e.get("doc", "") for e in rel["evidence"]})),
        }
        for rel in relations.values()
    ]
    with st.expander(tr("全部关系(表格)", "All relationships as a table")):
        ui.show_table(
            table_rows,
            ["relationship", "direction", "other", "other type", "properties", "evidence", "documents"],
            "relationships.csv",
            key="actor",
        )

st.divider()
st.subheader(tr("整理", "Curation"))
st.caption(
    tr(
        "合并重复、改名、改类型或隐藏垃圾实体;每个决定写入整理文件(带操作人、时间和理由),每次构建都会应用,可撤销。",
        "Merge a duplicate, rename, change the type or hide a junk entity; each decision goes to the cu"
        "ration "
        "file (who, when, why), every build applies it, and it can be undone.",
    )
)
with st.expander(tr("整理这个实体", "Curate this entity")):
    curate.form(k, actor)
st.markdown(tr("**关于它的决定**", "**Decisions about it**"))
curate.decisions_table(actor_id)
