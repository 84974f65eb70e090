"""Chains and gaps: per chain, its links in order, which links an actor supports and which none does,
what it lacks, each with its evidence sentence; gaps ranked across chains. Every part says whether
facts were found, the documents state none, or nothing is known (app/chains.py).

Presets: chain_gaps (the ranking, gaps, lacks, unsupported links), chain_coverage (what is known of each
chain and which documents name it), chain_detail (links, supporters, lacked items with their evidence,
the network), shared_gaps (items several chains lack).
"""

from __future__ import annotations

import html

import streamlit as st

from app import chains, data, evidence, i18n, nav, rendered, ui
from app.i18n import tr

k = ui.setup()
st.title(tr("产业链与短板", "Industry chains and their gaps"))

gaps = data.rows(k, "chain_gaps", cluster="", min_gaps=0)
coverage = {c["chain_id"]: c for c in data.rows(k, "chain_coverage")}
table = chains.ranked(gaps, coverage)
rank = {r["id"]: r["rank"] for r in table}
if not chains.chains_in(gaps, chains.ALL):
    ui.unknown(
        tr("文件中没有抽取到任何产业链。", "the documents name no industry chain in this graph."),
        chains.add_hint(),
    )
    st.stop()

pick_cluster, pick_chain = st.columns([1, 2])
cluster = pick_cluster.selectbox(
    tr("产业集群", "Cluster"), chains.cluster_options(gaps), format_func=chains.cluster_option, key="cluster"
)
options = chains.chains_in(gaps, cluster)
if not options:
    ui.unknown(tr("这个集群没有点名产业链。", "this cluster names no chains."), chains.add_hint())
    st.stop()
by_id = {g["chain_id"]: g for g in options}
requested = st.query_params.get("chain")


def chain_option(chain_id: str) -> str:
    name = by_id[chain_id]["chain"]
    if chains.nothing_known(coverage.get(chain_id)):
        return f"{name}  · {tr('尚无信息', 'nothing known')}"
    return f"{name}  · {tr('短板排名', 'gap rank')} {rank[chain_id]}"


chain_id = pick_chain.selectbox(
    tr("产业链(短板多的在前)", "Chain (most gaps first)"),
    list(by_id),
    index=list(by_id).index(requested) if requested in by_id else 0,
    format_func=chain_option,
    key="chain",
)
gap = by_id[chain_id]
cov = coverage.get(chain_id) or {}
documents = list(cov.get("documents") or [])
result = data.answer(k, "chain_detail", (("chain", gap["chain"]),))
detail = chains.parts(result.records(), chain_id)
titles = ui.doc_titles(k)
blank = not detail["link"] and not detail["lacks"]

st.subheader(ui.md(gap["chain"]))
m = st.columns(6)
for col, (name, value) in zip(
    m, chains.figures(gap, detail, rank[chain_id], len(table)).items(), strict=True
):
    col.metric(chains.header(name), value)
clusters_text = i18n.joined(gap["clusters"]) or tr("未点名", "none named")
where = i18n.joined(documents) or tr("无", "none")
st.markdown(
    f"**{tr('所属集群', 'Cluster')}:** {html.escape(clusters_text)} · "
    f"**{tr('提到它的文件', 'Named in')}:** {html.escape(where)}",
    unsafe_allow_html=True,
)
st.caption(
    tr(
        "短板 = 文件写明它缺少的项 + 没有任何主体支撑的环节。",
        "Gaps = items the documents say the chain lacks + links of it no actor supports.",
    )
)
if blank:
    ui.unknown(
        tr(
            "文件中没有抽取到这条产业链的环节,也没有抽取到它缺少什么:它的短板未知,不是“没有短板”。",
            "no link and nothing lacked was extracted for this chain: its gaps are unknown, not zero.",
        ),
        chains.add_hint(),
    )

# --- links in order ---------------------------------------------------------------------------------------
st.markdown(tr("#### 环节(按顺序)", "#### Links in order"))
supporters_of = chains.link_supporters(detail)
if detail["link"]:
    ui.found(tr(f"{len(detail['link'])} 个环节", f"{len(detail['link'])} links"))
    ui.show_table(chains.links_table(detail), ["ord", "link", "supported by", "evidence"], wide=("evidence",))
    unsupported = {r["item"] for r in detail["link"] if r["item"] not in supporters_of}
    st.markdown(
        " → ".join(
            f'<span style="background:#f8d7da">{html.escape(r["item"])}</span>'
            if r["item"] in unsupported
            else f"<b>{html.escape(r['item'])}</b>"
            for r in detail["link"]
        ),
        unsafe_allow_html=True,
    )
    st.caption(
        tr(
            "粗体:有主体支撑的环节;红底:没有任何主体支撑。",
            "Bold: a link some actor supports; red: none does.",
        )
    )
    with st.expander(tr("每个环节的原文证据", "The evidence of each link")):
        for r in detail["link"]:
            st.markdown(f"**{r['ord'] if r['ord'] is not None else '·'}. {ui.md(r['item'])}**")
            ui.show_evidence(evidence.as_list(r["evidence"]), titles)
else:
    ui.unknown(
        tr("文件中没有抽取到这条产业链的环节。", "the documents name no links for this chain."),
        chains.add_hint(),
    )

# --- links with and without supporting actors ----------------------------------------------------------
st.markdown(tr("#### 有支撑与无支撑的环节", "#### Links with and without supporting actors"))
if detail["link"]:
    left, right = st.columns(2)
    with left:
        st.markdown(tr("**有支撑的环节**", "**Supported links**"))
        supported = [r for r in detail["link"] if r["item"] in supporters_of]
        if not supported:
            ui.none_in(
                tr(
                    "文件列出了这条链的环节,但没有点名支撑任何一个环节的主体。",
                    "the documents list the chain's links but name no actor supporting any of them.",
                ),
                documents,
            )
        for r in supported:
            for s in supporters_of[r["item"]]:
                st.markdown(
                    f"<b>{html.escape(r['item'])}</b> ← {ui.badge(s['item_label'])} <b>"
                    f"{html.escape(s['item'])}</b>",
                    unsafe_allow_html=True,
                )
                ui.show_evidence(evidence.as_list(s["evidence"])[:1], titles)
    with right:
        st.markdown(tr("**无支撑的环节**", "**Links no actor supports**"))
        lonely = [r["item"] for r in detail["link"] if r["item"] not in supporters_of]
        if lonely:
            ui.none_in(
                tr(
                    f"文件列出了这些环节,但没有点名支撑它们的主体:{i18n.joined(lonely)}",
                    "the documents list these links but name no actor supporting them: "
                    f"{i18n.joined(lonely)}",
                ),
                documents,
            )
        else:
            ui.found(tr("每个环节都有主体支撑", "every link has a supporting actor"))
else:
    ui.unknown(
        tr(
            "环节未知,无从判断哪些环节有支撑。",
            "the links are unknown, so which are supported is unknown too.",
        )
    )

# --- what it lacks, who supports the whole chain ------------------------------------------------------------
left, right = st.columns(2)
with left:
    st.markdown(tr("#### 缺少什么", "#### What it lacks"))
    if detail["lacks"]:
        ui.found(tr(f"缺少 {len(detail['lacks'])} 项", f"{len(detail['lacks'])} items lacked"))
    elif blank:
        ui.unknown(tr("没有抽取到它缺少什么。", "nothing it lacks was extracted."), chains.add_hint())
    else:
        ui.none_in(
            tr(
                "文件写了这条链的环节,但没有写它缺少什么。",
                "the documents describe this chain's links but state nothing it lacks.",
            ),
            documents,
        )
    for lack in detail["lacks"]:
        cue = f" ({html.escape(lack['note'])})" if lack["note"] else ""
        st.markdown(f"<b>{html.escape(lack['item'])}</b>{cue}", unsafe_allow_html=True)
        ui.show_evidence(evidence.as_list(lack["evidence"])[:1], titles)
    for g in gaps:
        if g["chain_label"] == "IndustryCluster" and g["chain"] in gap["clusters"] and g["lacks"]:
            st.markdown(
                tr(
                    f"#### 所属集群 {ui.md(g['chain'])} 缺少",
                    f"#### What its cluster {ui.md(g['chain'])} lacks",
                )
            )
            st.markdown(html.escape(i18n.joined(g["lacks"])))
with right:
    st.markdown(tr("#### 谁支撑整条链", "#### Who supports the whole chain"))
    whole = [s for s in detail["supporter"] if not s["via"]]
    if whole:
        ui.found(
            tr(f"{len({s['item_id'] for s in whole})} 个主体", f"{len({s['item_id'] for s in whole})} actors")
        )
    elif blank:
        ui.unknown(tr("没有抽取到支撑这条链的主体。", "no actor supporting this chain was extracted."))
    else:
        ui.none_in(
            tr(
                "文件没有点名支撑整条链的主体。",
                "the documents name no actor supporting the chain as a whole.",
            ),
            documents,
        )
    for s in whole:
        place = f" ({html.escape(i18n.joined(s['located_in']))})" if s["located_in"] else ""
        st.markdown(
            f"{ui.badge(s['item_label'])} <b>{html.escape(s['item'])}</b>{place}: "
            f"{html.escape(i18n.rel(s['note']))}",
            unsafe_allow_html=True,
        )
        ui.show_evidence(evidence.as_list(s["evidence"])[:1], titles)

st.page_link(
    ui.MATRIX_PAGE,
    label=tr(
        "在支撑矩阵中查看:环节 × 支撑主体(可导出)", "See the support matrix: links × actors (exportable)"
    ),
    query_params=nav.link_params(chain=gap["chain"]),
)

nodes, edges = data.subgraph_view(result.subgraph)
if len(nodes) > 1:
    for e in edges:  # a link's position on its edge
        if e["type"] == "HAS_LINK" and "ord" in e["props"]:
            e["label"] = e["props"]["ord"]
        elif e["type"] == "LACKS":
            e["label"] = i18n.rel("LACKS")
    ui.legend({n["label"] for n in nodes.values()})
    ui.show_network(
        rendered.network_html(
            nodes, edges, degrees=data.degrees(k), center=chain_id, height=460, edge_labels=True
        ),
        460,
        key="chain_network",
    )
    st.caption(tr("节点大小:度数。", "Node size: degree. ") + ui.degree_note())

st.divider()
st.subheader(tr("所有产业链的短板", "Gaps across all chains"))
st.caption(
    tr(
        "短板 = 缺少项 + 无支撑环节(chain_gaps 预设);集群本身缺少什么时也列出集群。“尚无信息”的链不计短"
        "板数:不是没有短板,而是不知道。",
        "gaps = items lacked + links no actor supports (the chain_gaps preset); clusters appear when the "
        "documents say the cluster itself lacks something. A chain with nothing known has no gap count: "
        "not no gaps, but unknown.",
    )
)
ui.show_table(
    table, chains.GAP_COLUMNS, "chain_gaps.csv", key="gaps", wide=("lacked items", "unsupported links")
)

items = chains.lacked_items(data.rows(k, "shared_gaps", min_chains=1))
if items:
    with st.expander(
        tr(
            f"缺少项,被最多产业链缺少的在前({len(items)})",
            f"Lacked items, most widely lacking first ({len(items)})",
        )
    ):
        ui.show_table(items, ["item", "lacked by", "chains / clusters"], "lacked_items.csv", key="items")
