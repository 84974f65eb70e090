"""Policy and indicators: a place's targets against the latest reported values, places side by side,
measures by responsible agency with their awards, and what a kind of platform can be awarded.

Every table comes from a preset (queries/presets/) through the runner; app/policy.py turns the rows
into the tables shown here.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from app import data, evidence, policy, ui
from app.i18n import tr

k = ui.setup()
st.title(tr("政策与指标", "Policy and indicators"))
st.caption(
    tr(
        "规划设定的目标、其他文件报告的最新数值、各责任单位负责的措施及其奖补。每个目标和实际值都附有出处句子。",
        "Targets the plans set, the latest figures other documents report, the measures each agency answers "
        "for and what they award. Each target and reported figure comes with the sentence stating it.",
    )
)
titles = ui.doc_titles(k)


def answer(preset_id: str, **params: Any) -> list[dict[str, Any]] | None:
    """A preset's rows (cached), or None once its error is shown."""
    try:
        result = data.answer(k, preset_id, tuple(sorted(params.items())))
    except Exception as exc:  # a store or parameter error: one plain message, the page goes on
        ui.show_error(exc)
        return None
    if result.truncated:
        st.warning(
            tr(
                f"已达行数上限:只显示前 {len(result.rows)} 行。",
                f"Row cap reached: showing the first {len(result.rows)} rows only.",
            )
        )
    return result.records()


def choices(preset_id: str, param: str) -> list[Any]:
    try:
        return [v for v in data.preset_values(k, preset_id, param) if v not in ("", None)]
    except Exception as exc:
        ui.show_error(exc)
        return []


# --- targets against the latest reported values -------------------------------------------------------

st.subheader(tr("目标与最新实际值", "Targets against the latest reported values"))
every = answer("indicator_targets", region="")
summary = policy.status_counts(every or [])
if not summary:
    ui.unknown(
        tr(
            "图谱中没有目标:文件中没有抽取到规划为某地设定的指标目标。",
            "no targets in this graph: the documents gave no figures a plan sets for a place.",
        ),
        tr("写明“到2025年,……达到……”等目标的规划。", "a plan stating targets (“by 2025, … reaches …”)."),
    )
else:
    places = [s["place"] for s in summary]
    requested = st.query_params.get("region")
    # The place whose targets other documents track most (then the most targets) comes first.
    busiest = max(summary, key=lambda s: (s["met"] + s["behind"], s["targets"]))["place"]
    region = st.selectbox(
        tr("地区", "Place"),
        places,
        index=places.index(requested if requested in places else busiest),
        key="policy_region",
    )
    if requested not in places:
        st.caption(
            tr(
                "默认显示被后续文件跟踪最多的地区;可改选。",
                "Opens on the place whose targets later documents track most; choose another.",
            )
        )
    counts = next(s for s in summary if s["place"] == region)
    cols = st.columns(4)
    cols[0].metric(tr("目标", "Targets"), counts["targets"])
    cols[1].metric(tr("已达标", "Met"), counts["met"])
    cols[2].metric(tr("未达标", "Behind"), counts["behind"])
    cols[3].metric(tr("无数据", "No data"), counts["no data"])
    rows = answer("indicator_targets", region=region) or []
    frame = ui.frame(policy.targets_table(rows), policy.TARGET_COLUMNS)
    st.dataframe(
        frame.style.map(policy.status_style, subset=[frame.columns[0]]),
        hide_index=True,
        width="stretch",
        key="targets_table",
    )
    if rows:
        ui.download_csv(frame, f"targets_{region}.csv", key="dl_targets")
    st.caption(
        tr(
            "✓ 已达标 · ✗ 未达标 · – 无数据:其他文件中没有它之后的数值(不是“没有差距”)。差距 = 最新实际"
            "值 − 目标,以基本单位计(百分比:百分点;金额:万元)。",
            "✓ met · ✗ behind · – no data: no later figure for it in another document. "
            "gap = latest reported − target, in the base unit (percent: percentage points; money: 万元).",
        )
    )
    if len(summary) > 1:
        with st.expander(tr(f"所有地区({len(summary)})", f"Every place ({len(summary)})")):
            ui.show_table(summary, ["place", "targets", "met", "behind", "no data"])

    st.markdown(tr("**每个数字背后的句子**", "**The sentences behind each figure**"))
    tracked = [r for r in rows if r["status"] != "no data"]
    if not tracked:
        ui.unknown(
            tr(
                "这些目标在其他文件中都没有后续数值。",
                "no later document reports a figure for these targets.",
            ),
            tr(
                "报告这些指标实际值的后续文件(如年度新闻发布会、统计公报)。",
                "a later document reporting these figures (a press conference, a statistical bulletin).",
            ),
        )
    for r in tracked:
        target = policy.figure(r["target"], r["unit"], r["qualifier"])
        reported = policy.figure(r["reported"], r["reported_unit"], r["reported_qualifier"])
        by = tr(f"(到{r['target_year']}年)", f" by {r['target_year']}") if r["target_year"] else ""
        when = tr(f"({r['reported_year']}年)", f" in {r['reported_year']}") if r["reported_year"] else ""
        label = f"{policy.mark(r['status'])} · {r['indicator']}: " + tr(
            f"目标 {target}{by}", f"target {target}{by}"
        )
        label += tr(f" · 实际 {reported}{when}", f" · reported {reported}{when}")
        with st.expander(ui.md(label)):
            left, right = st.columns(2)
            with left:
                st.markdown(tr("**目标**", "**Target**"))
                ui.show_evidence(evidence.as_list(r["target_evidence"]), titles)
            with right:
                st.markdown(tr("**最新实际值**", "**Latest reported**"))
                ui.show_evidence(evidence.as_list(r["reported_evidence"]), titles)
    untracked = [r for r in rows if r["status"] == "no data"]
    if untracked:
        with st.expander(
            tr(f"没有实际值的目标({len(untracked)})", f"Targets without a reported value ({len(untracked)})")
        ):
            for r in untracked:
                target = policy.figure(r["target"], r["unit"], r["qualifier"])
                st.markdown(f"**{ui.md(r['indicator'])}**: {ui.md(target)}")
                ui.show_evidence(evidence.as_list(r["target_evidence"]), titles)

# --- the same indicator, place by place ------------------------------------------------------------------

st.divider()
st.subheader(tr("同一指标,逐地区对比", "The same indicator, place by place"))
KINDS = {
    "target": tr("目标值", "targets"),
    "reported": tr("最新实际值", "latest reported values"),
    "baseline": tr("基数", "baselines"),
}
pick_kind, pick_places = st.columns([1, 3])
kind = pick_kind.selectbox(tr("比较", "Compare"), list(KINDS), format_func=KINDS.get, key="compare_kind")
long_rows = answer("indicators_side_by_side", kind=kind, min_regions=2) or []
compared = sorted({r["region"] for r in long_rows})
if len(compared) < 2:
    ui.unknown(
        tr(
            f"没有哪个指标在两个以上地区都有{KINDS[kind]}。",
            f"no indicator has {KINDS[kind]} for two or more places in this graph.",
        )
    )
else:
    chosen = pick_places.multiselect(
        tr("地区", "Places"),
        compared,
        placeholder=tr("请选择", "Choose"),
        default=compared,
        key="compare_places",
    )
    if len(chosen) < 2:
        st.info(tr("请选择两个以上地区。", "Choose two or more places."))
    else:
        columns, wide = policy.side_by_side(long_rows, chosen)
        ui.show_table(wide, columns, f"side_by_side_{kind}.csv", key="side")
        st.caption(
            tr(
                "每个地区该类最新的数值(按原文写法)及年份;“最高”按同一基本单位比较。",
                "Each place's latest figure of that kind, as stated, with its year; `highest` compares the "
                "values in one base unit.",
            )
        )

# --- measures by responsible agency ---------------------------------------------------------------------

st.divider()
st.subheader(tr("按责任单位列出措施及奖补", "Measures by responsible agency, with their awards"))
agencies = choices("measures_by_agency", "agency")
if not agencies:
    ui.unknown(
        tr(
            "图谱中没有列明责任单位的编号政策措施。",
            "no numbered policy measures with responsible agencies in this graph.",
        ),
        tr("列明“责任单位:……”的实施意见。", "an implementation opinion naming each measure's 责任单位."),
    )
else:
    agency = st.selectbox(
        tr("责任单位", "Agency"),
        ["", *agencies],
        format_func=lambda a: a or tr("(全部责任单位)", "(every agency)"),
        key="policy_agency",
    )
    measures = answer("measures_by_agency", agency=agency) or []
    ui.show_table(
        policy.measures_table(measures),
        policy.MEASURE_COLUMNS,
        "measures_by_agency.csv",
        key="measures",
        wide=("awards",),
    )

# --- what a kind of platform can be awarded -------------------------------------------------------------

st.divider()
st.subheader(tr("某类平台可获得哪些奖补", "What a kind of platform can be awarded"))
award_kinds = choices("awards_by_kind", "kind")
if not award_kinds:
    ui.unknown(tr("图谱中没有按对象列出的奖补。", "no awards by kind in this graph."))
else:
    text = st.text_input(
        tr(
            f"奖补对象名称包含(留空:全部 {len(award_kinds)} 类)",
            f"Kind name contains (empty: all {len(award_kinds)} kinds)",
        ),
        key="award_kind",
    ).strip()
    awards = answer("awards_by_kind", kind=text) or []
    if text and not awards:
        ui.none_in(tr("没有奖补对象的名称含有这几个字。", "no rewarded kind's name contains that text."))
    else:
        ui.show_table(
            policy.awards_table(awards),
            policy.AWARD_COLUMNS,
            "awards_by_kind.csv",
            key="awards",
        )
