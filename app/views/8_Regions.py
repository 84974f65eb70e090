"""Regions side by side: the clusters, chains, labs, platforms, parks, counted systems and indicator
targets each region's documents name, a row per region; every name links to its actor page and its
evidence. A region is a document's home region: the Region it names most (regions_side_by_side says why).

Presets: regions_side_by_side (what each region's documents name, and its documents),
indicators_side_by_side (each region's latest targets, as the Policy page compares them).
app/regions.py lays the rows out.
"""

from __future__ import annotations

import streamlit as st

from app import data, nav, policy, regions, ui
from app.i18n import tr

k = ui.setup()
st.title(tr("地区对比", "Regions side by side"))
st.caption(
    tr(
        "按文件所属地区并列比较:每份文件归入它提及最多的地区(“本市”“全省”等也算作该地区),"
        "一个地区的文件提到的集群、产业链、实验室、平台、园区和计数体系都归入该地区。点击名称查看原文证据。",
        "Regions compared side by side: each document belongs to the region it names most (本市 / 全省 count "
        "for its own region), and what a region's documents name is that region's. Click a name for its"
        " evidence.",
    )
)

rows = data.rows(k, "regions_side_by_side", region="", kind="")
targets = data.rows(k, "indicators_side_by_side", kind="target", key="", min_regions=1)
every = regions.regions(rows)
if not every:
    ui.unknown(
        tr(
            "没有一份文件能确定所属地区(文件中没有抽取到地区)。",
            "no document's home region could be told (no region was extracted).",
        ),
        tr(
            "写明地区的规划或报告(标题或正文中的“××市”“全省”)。",
            "plans or reports naming their region (“××市”, 全省).",
        ),
    )
    st.stop()

chosen = st.multiselect(
    tr(f"地区(共 {len(every)} 个,文件多的在前)", f"Regions ({len(every)}, most documents first)"),
    every,
    default=every,
    key="regions_chosen",
    placeholder=tr("请选择地区", "Choose regions"),
)
if not chosen:
    st.info(tr("请至少选择一个地区。", "Choose at least one region."))
    st.stop()
if len(every) == 1:
    st.info(
        tr(
            f"图谱中只有一个地区({every[0]})的文件;加入其他地区的文件后即可并列比较。",
            f"The graph holds the documents of one region only ({every[0]}); add other regions' documen"
            "ts to compare.",
        )
    )

st.subheader(tr("数量一览", "At a glance"))
ui.found(tr(f"{len(chosen)} 个地区", f"{len(chosen)} regions"))
ui.show_table(
    regions.summary(rows, targets, chosen), regions.SUMMARY_COLUMNS, "regions_summary.csv", key="regions"
)
st.caption(
    tr(
        "“未提及”表示该地区的文件没有提到这一类(文件中为无),不等于该地区没有。指标目标只计已对应到指标词表的目标(取最新年份)。",
        "“none named” means the region's documents name none of that kind (none in the documents), not "
        "that the "
        "region has none. Indicator targets count the targets mapped to the indicator vocabulary (lates"
        "t year).",
    )
)

st.subheader(tr("并列明细", "Side by side"))
st.markdown(regions.side_by_side_html(rows, targets, chosen), unsafe_allow_html=True)

st.subheader(tr("同一指标的目标,逐地区对比", "The same indicator's targets, region by region"))
if len(chosen) >= 2:
    columns, wide = policy.side_by_side(targets, chosen)
    if wide:
        ui.show_table(wide, columns, "regions_targets.csv", key="regions_targets")
        st.caption(
            tr(
                "每个地区该指标最新的目标值及年份;“最高”按同一基本单位比较。目标的原文句子见政策与指标页。",
                "Each region's latest target for the indicator, with its year; highest compares values "
                "in one base "
                "unit. The sentences stating them are on the Policy page.",
            )
        )
    else:
        ui.none_in(
            tr(
                "所选地区没有两个以上共有的指标目标。",
                "no indicator target is shared by two or more of the chosen regions.",
            )
        )
else:
    st.caption(tr("选择两个以上地区以对比指标目标。", "Choose two or more regions to compare targets."))
with st.expander(
    tr("各地区的目标与原文句子(政策与指标页)", "Each region's targets and their sentences (Policy page)")
):
    for region in chosen:
        if any(t["region"] == region for t in targets):
            st.page_link(
                ui.POLICY_PAGE,
                label=tr(f"{region}:目标与实际值", f"{region}: targets and reported values"),
                query_params=nav.link_params(region=region),
            )
