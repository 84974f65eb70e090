"""Overview: the documents, what the graph holds, the counted structures, clusters → chains, build quality.

Every figure comes from a preset (documents, graph_summary, counted_structures, system_members,
cluster_overview, chain_coverage); the build quality from the build report beside the graph.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import data, i18n, nav, overview, report, ui
from app.i18n import tr
from graph.schema import DOCUMENT, ENTITY_LABELS, MENTIONED_IN, NODE_SPECS, REL_SPECS

PRUNED_HEADERS = {"kind": "类别", "reason": "原因", "doc": "文件", "item": "条目", "detail": "详情"}

k = ui.setup()
src = data.source()

st.title(tr("创新生态总览", "Innovation ecosystem: overview"))
st.caption(
    tr(
        f"读取:{ui.md(ui.store_description(src))}。每一条事实都能追溯到它所出自的原文句子。",
        f"Reading the {ui.md(ui.store_description(src))}. Every fact links back to the sentence it came"
        " from.",
    )
)

counts = data.graph_counts(k)
nodes, rels = counts["nodes"], counts["relationships"]
docs = data.rows(k, "documents")
entity_total = sum(nodes.get(label, 0) for label in ENTITY_LABELS)
rel_total = sum(n for t, n in rels.items() if t != MENTIONED_IN)

cols = st.columns(5)
cols[0].metric(tr("文件", "Documents"), len(docs))
cols[1].metric(tr("实体", "Entities"), entity_total)
cols[2].metric(
    tr("关系", "Relationships"),
    rel_total,
    help=tr("实体之间的关系;不计“被文件提及”", "between entities; document mentions not counted"),
)
cols[3].metric(tr("产业集群", "Industry clusters"), nodes.get("IndustryCluster", 0))
cols[4].metric(tr("产业链", "Industry chains"), nodes.get("IndustryChain", 0))

st.subheader(tr("文件", "Documents"))
damaged = report.damage_notes(report.build_report(src.graph_dir))  # read from damaged files, by file name
if damaged:
    st.warning(
        tr(
            f"有 {len(damaged)} 份文件读取自受损文件,已保留完好的文字:“读取提示”一列说明替换或删除了什么。",
            f"{len(damaged)} of the documents were read from damaged files, keeping their good text: "
            "the warning column says what was replaced or removed.",
        )
    )
doc_rows = [
    {
        "title": d["title"],
        "date": d["date"],
        "issuer": d["issuer"],
        "file": d["document"],
        "entities named": d["entities"],
        "warning": damaged.get(d["document"], ""),
    }
    for d in docs
]
ui.show_table(doc_rows, ["title", "date", "issuer", "file", "entities named", "warning"], wide=("warning",))
if not docs:
    ui.unknown(
        tr("图谱中没有文件。", "the graph holds no document."),
        tr("把规划文件放进文件夹后构建。", "put plans in the folder and build."),
    )

left, right = st.columns(2)
with left:
    st.subheader(tr("各类实体", "Entities by type"))
    entity_rows = [
        {
            "type": i18n.label(label),
            "count": nodes.get(label, 0),
            "what": NODE_SPECS[label].description,
        }
        for label in (*ENTITY_LABELS, DOCUMENT)
        if nodes.get(label, 0) or not NODE_SPECS[label].optional
    ]
    ui.show_table(entity_rows, ["type", "count"] if i18n.lang() == "zh" else ["type", "count", "what"])
    ui.legend({label for label in (*ENTITY_LABELS, DOCUMENT) if nodes.get(label, 0)})
with right:
    st.subheader(tr("各类关系", "Relationships by type"))
    rel_rows = [
        {"relationship": i18n.rel(t), "count": n, "what": REL_SPECS[t].description}
        for t, n in rels.items()
        if n or not REL_SPECS[t].optional
    ]
    ui.show_table(
        rel_rows, ["relationship", "count"] if i18n.lang() == "zh" else ["relationship", "count", "what"]
    )

st.subheader(tr("计数体系:申报数与点名数", "Counted structures: declared vs named"))
st.caption(
    tr(
        "规划常以数字宣布一个体系(如“1+4+N”:1 个核心、4 个支柱、N 个平台);“点名数”是文件实际点出名字的"
        "成员数。",
        "A plan declares a structure by its counts (“1+4+N”: 1 core, 4 pillars, N platforms); "
        "*named* counts the members the documents actually name.",
    )
)
structures = overview.counted_structures(
    data.rows(k, "counted_structures"), lambda name: data.rows(k, "system_members", system=name)
)
if structures:
    ui.found(tr(f"{len(structures)} 个计数体系", f"{len(structures)} counted structures"))
    ui.show_table(structures, overview.STRUCTURE_COLUMNS, wide=("members",))
    st.page_link(
        ui.EXPLORE_PAGE,
        label=tr("在关系网络中查看体系、集群与产业链", "See the systems, clusters and chains as a network"),
        query_params=nav.link_params(),
    )
else:
    ui.unknown(
        tr(
            "文件中没有抽取到以数字宣布的体系(如“1+4+N”)。",
            "the documents declare no counted structure (such as “1+4+N”).",
        ),
        tr(
            "一份写明“构建‘1+N’创新体系”并列出成员的规划。",
            "a plan that declares a “1+N” system and names its members.",
        ),
    )

st.subheader(tr("产业集群 → 产业链", "Clusters → chains"))
cluster_rows = overview.clusters_with_chains(data.rows(k, "cluster_overview"), data.rows(k, "chain_coverage"))
if cluster_rows:
    ui.show_table(cluster_rows, overview.CLUSTER_COLUMNS)
    st.page_link(
        ui.CHAINS_PAGE,
        label=tr(
            "产业链与短板:环节、支撑主体和缺少什么", "Chain gaps: links, supporters and what each chain lacks"
        ),
        query_params=nav.link_params(),
    )
else:
    ui.unknown(
        tr("图谱中没有产业集群或产业链。", "no industry clusters or chains in this graph."),
        tr("一份写明“打造……产业集群”“培育……产业链”的规划。", "a plan naming its clusters and chains."),
    )

st.subheader(tr("构建与抽取质量", "Build and extraction quality"))
build = report.build_report(src.graph_dir)
quality = report.quality_summary(build)
if not quality:
    ui.unknown(
        tr(
            f"{ui.md(src.graph_dir)} 中没有 build\\_report.json。",
            f"no build\\_report.json in {ui.md(src.graph_dir)}.",
        ),
        tr("运行 `ikg build` 生成一份。", "run `ikg build` to get one."),
    )
else:
    q = st.columns(4)
    q[0].metric(tr("已构建文件", "Documents built"), quality["documents"])
    q[1].metric(
        tr("剔除", "Pruned"),
        quality["pruned_total"],
        help=tr("未通过模式校验而剔除的条目", "items dropped by schema validation"),
    )
    q[2].metric(
        tr("合并", "Merged"),
        quality["merged_total"],
        help=tr("跨文件合并为同一实体的提及", "mentions merged into one entity across documents"),
    )
    q[3].metric(
        tr("保持分开", "Kept apart"),
        sum(quality["kept_apart"].values()),
        help=tr("相似但有意未合并", "look-alikes deliberately not merged"),
    )
    a, b = st.columns(2)
    with a:
        st.markdown(tr("**合并原因**", "**Merges by reason**"))
        merges = {**quality["merged"], **quality["kept_apart"]}
        ui.show_table(
            [{"reason": i18n.reason(r), "count": n} for r, n in merges.items()], ["reason", "count"]
        )
    with b:
        st.markdown(tr("**剔除原因**", "**Pruned by reason**"))
        if quality["pruned"]:
            ui.show_table(
                [{"reason": i18n.reason(r), "count": n} for r, n in quality["pruned"].items()],
                ["reason", "count"],
            )
        else:
            st.caption(
                tr(
                    "✔ 没有剔除:每条抽取结果都符合模式。",
                    "✔ Nothing pruned: every extracted item fits the schema.",
                )
            )
    if quality["pruned_items"]:
        with st.expander(
            tr(
                f"被剔除的条目({len(quality['pruned_items'])})",
                f"Pruned items ({len(quality['pruned_items'])})",
            )
        ):
            pruned = pd.DataFrame(quality["pruned_items"]).map(
                lambda v: i18n.reason(v) if isinstance(v, str) and v in i18n.REASONS else i18n.names_in(v)
            )
            st.dataframe(
                pruned.rename(columns=lambda c: tr(PRUNED_HEADERS.get(c, c), c)),
                hide_index=True,
                width="stretch",
            )
    stored = quality["store"]
    if stored:
        written = (
            tr("报告对应的数据库:", "The report was written for the ")
            + f"{stored.get('kind', '?')} · {stored.get('location', '?')}"
        )
        if stored.get("storage_version"):
            written += f" ({tr('存储版本', 'storage')} {stored['storage_version']})"
        st.caption(ui.md(written))
