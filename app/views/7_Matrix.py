"""The planner's support matrix: for a chain, its links × the actors that support them; for a cluster, its
chains × the actors supporting them. Rows nobody supports are highlighted; the evidence of every mark is
listed below; the grid exports as CSV (UTF-8 with BOM) and as a PNG image (app/image.py says why PNG).

Presets: chain_coverage (the chains and what is known of each), chain_detail (a chain's links and
supporters with their evidence), cluster_overview (the clusters), cluster_matrix (a cluster's chains and
their supporters with their evidence). app/matrix.py lays the rows out.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import chains, data, i18n, matrix, rendered, ui
from app.i18n import tr

k = ui.setup()
st.title(tr("支撑矩阵", "Support matrix"))
st.caption(
    tr(
        "规划者的第一个问题:这条产业链的哪些环节没有任何平台、实验室、院所、园区或企业支撑?"
        "行是环节(或集群的产业链),列是支撑主体,✓ 表示文件写明该主体支撑它;红底的行没有任何支撑主体。",
        "A planner's first question: which links of this chain does no platform, lab, institute, park or "
        "enterprise support? Rows are links (or a cluster's chains), columns the supporting actors; ✓ means "
        "a document says the actor supports it; red rows have no supporting actor.",
    )
)

by = st.radio(
    tr("矩阵", "Matrix of"),
    ["chain", "cluster"],
    format_func=lambda v: (
        tr("一条产业链:环节 × 支撑主体", "a chain: links × actors")
        if v == "chain"
        else tr("一个产业集群:产业链 × 支撑主体", "a cluster: chains × actors")
    ),
    index=1 if st.query_params.get("cluster") and not st.query_params.get("chain") else 0,
    horizontal=True,
    key="matrix_by",
)
titles = ui.doc_titles(k)
coverage = [c for c in data.rows(k, "chain_coverage") if c["chain_label"] == "IndustryChain"]

if by == "chain":
    if not coverage:
        ui.unknown(
            tr("文件中没有抽取到任何产业链。", "the documents name no industry chain."), chains.add_hint()
        )
        st.stop()
    # The chain with the most links named comes first, then the most supported links.
    ordered = sorted(
        coverage, key=lambda c: (-c["n_links"], -c["n_supported_links"], c["chain"], c["chain_id"])
    )
    ids = [c["chain_id"] for c in ordered]
    by_id = {c["chain_id"]: c for c in ordered}
    requested = st.query_params.get("chain")
    by_name = {c["chain"]: c["chain_id"] for c in ordered}
    start = by_name.get(requested or "", requested if requested in by_id else ids[0])
    chain_id = st.selectbox(
        tr("产业链", "Chain"),
        ids,
        index=ids.index(start),
        format_func=lambda i: (
            f"{by_id[i]['chain']} · "
            + (
                tr("尚无信息", "nothing known")
                if chains.nothing_known(by_id[i])
                else tr(f"{by_id[i]['n_links']} 个环节", f"{by_id[i]['n_links']} links")
            )
        ),
        key="matrix_chain",
    )
    if not requested:
        st.caption(
            tr(
                "默认显示文件列出环节最多的产业链;可在上方改选。",
                "Opens on the chain whose links the documents name most fully; choose another above.",
            )
        )
    cov = by_id[chain_id]
    detail = chains.parts(data.answer(k, "chain_detail", (("chain", cov["chain"]),)).records(), chain_id)
    m = matrix.chain_matrix(cov["chain"], detail)
    documents = list(cov["documents"] or [])
    if not detail["link"]:
        ui.unknown(
            tr(
                "文件中没有抽取到这条产业链的环节,矩阵只有“整条链”一行。",
                "no link was extracted for this chain: the matrix has only the whole-chain row.",
            ),
            chains.add_hint(),
        )
else:
    clusters = data.rows(k, "cluster_overview")
    if not clusters:
        ui.unknown(
            tr("文件中没有抽取到产业集群。", "the documents name no industry cluster."),
            tr(
                "一份写明“打造……产业集群”并列出其产业链的规划。",
                "a plan naming its clusters and their chains.",
            ),
        )
        st.stop()
    names = [c["cluster"] for c in clusters]  # the preset's order: most chains first
    requested = st.query_params.get("cluster")
    cluster = st.selectbox(
        tr("产业集群", "Cluster"),
        names,
        index=names.index(requested) if requested in names else 0,
        format_func=lambda n: (
            f"{n} · {tr('产业链', 'chains')} {next(c['n_chains'] for c in clusters if c['cluster'] == n)}"
        ),
        key="matrix_cluster",
    )
    if requested not in names:
        st.caption(
            tr(
                "默认显示产业链最多的集群;可在上方改选。",
                "Opens on the cluster with the most chains; choose another above.",
            )
        )
    rows = data.rows(k, "cluster_matrix", cluster=cluster)
    m = matrix.cluster_matrix(cluster, rows)
    documents = sorted({d for c in coverage if cluster in c["clusters"] for d in c["documents"] or []})
    if not m.parts:
        ui.unknown(
            tr("这个集群没有点名产业链。", "this cluster names no chains."),
            tr("写明该集群包括哪些产业链的文件。", "a document naming the chains of this cluster."),
        )

# --- the grid --------------------------------------------------------------------------------------------
header = m.headers()
shown_header = [i18n.column(header[0]), *header[1:-1], i18n.column(header[-1])]
grid = pd.DataFrame(m.grid(), columns=shown_header)
unsupported = m.unsupported()
st.subheader(ui.md(m.subject))
if not m.actors:
    if m.parts:
        ui.none_in(
            tr(
                "文件写到了这些" + ("环节" if m.kind == "chain" else "产业链") + ",但没有点名任何支撑主体。",
                f"the documents name these {'links' if m.kind == 'chain' else 'chains'} but no actor su"
                "pporting any of them.",
            ),
            documents,
        )
    else:
        ui.unknown(tr("没有抽取到支撑主体。", "no supporting actor was extracted."))
else:
    ui.found(
        tr(
            f"{len(m.actors)} 个支撑主体,{len(m.parts) - len(unsupported)}/{len(m.parts)} "
            + ("个环节" if m.kind == "chain" else "条产业链")
            + "有支撑",
            f"{len(m.actors)} supporting actors; {len(m.parts) - len(unsupported)} of {len(m.parts)} "
            f"{'links' if m.kind == 'chain' else 'chains'} supported",
        )
    )
marked = {i for i, r in enumerate(m.rows) if not r.whole and not r.support}


def red(row: pd.Series) -> list[str]:
    return ["background-color: #f8d7da; color: #111" if row.name in marked else "" for _ in row]


st.dataframe(grid.style.apply(red, axis=1), hide_index=True, width="stretch", key="matrix_grid")
if unsupported:
    ui.none_in(
        tr(
            ("没有任何主体支撑的环节:" if m.kind == "chain" else "没有任何主体支撑的产业链:")
            + i18n.joined(unsupported),
            f"{'links' if m.kind == 'chain' else 'chains'} no actor supports: {i18n.joined(unsupported)}",
        ),
        documents,
    )

evidence = m.evidence_rows()
base = f"matrix_{m.kind}_{m.subject}"
c1, c2, c3 = st.columns(3)
with c1:
    ui.download_csv(
        grid, f"{base}.csv", key="dl_matrix", label=tr("下载矩阵 CSV", "Download the matrix (CSV)")
    )
with c2:
    if evidence:
        ui.download_csv(
            ui.frame([{c: v for c, v in r.items() if c != "_evidence"} for r in evidence]),
            f"{base}_evidence.csv",
            key="dl_matrix_evidence",
            label=tr("下载证据 CSV", "Download the evidence (CSV)"),
        )
with c3:
    try:
        png = rendered.table_png(
            tr(f"{m.subject}:支撑矩阵", f"{m.subject}: support matrix"), shown_header, m.grid(), marked
        )
    except LookupError as exc:
        st.caption(tr(f"无法导出图片:{exc}", f"No image export: {exc}"))
    else:
        st.download_button(
            tr("下载图片 (PNG)", "Download image (PNG)"),
            png,
            file_name=f"{base}.png",
            mime="image/png",
            key="dl_png",
        )

st.markdown(tr("#### 每个格子的原文证据", "#### The evidence behind each mark"))
if not evidence:
    st.caption(tr("没有格子,也就没有证据。", "No marks, so no evidence."))
for r in evidence:
    row_name = r[m.row_header()]
    st.markdown(
        f"**{ui.md(row_name)}** ← {ui.md(r['actor'])} ({ui.md(r['actor type'])}) · {ui.md(r['relationship'])}"
    )
    ui.show_evidence(r["_evidence"][:2], titles)
