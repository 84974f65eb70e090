"""Policy and indicators: a place's targets against the latest reported values, places side by side,
measures by responsible agency with their awards, and what a kind of platform can be awarded.

Every table comes from a preset (queries/presets/) through the runner; app/policy.py turns the rows
into the tables shown here.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from app import data, policy, ui

k = ui.setup("Policy")
st.title("Policy and indicators · 政策与指标")
st.caption(
    "Targets the plans set, the latest figures other documents report, the measures each agency answers "
    "for and what they award. Each target and reported figure comes with the sentence stating it."
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
        st.warning(f"Row cap reached: showing the first {len(result.rows)} rows only.")
    return result.records()


def choices(preset_id: str, param: str) -> list[Any]:
    try:
        return [v for v in data.preset_values(k, preset_id, param) if v not in ("", None)]
    except Exception as exc:
        ui.show_error(exc)
        return []


def show_table(
    rows: list[dict[str, Any]], columns: list[str], file_name: str, key: str, wide: tuple[str, ...] = ()
) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns)
    config = {c: st.column_config.TextColumn(width="large") for c in wide}
    st.dataframe(frame, hide_index=True, width="stretch", column_config=config)
    if rows:
        ui.download_csv(frame, file_name, key=f"dl_{key}")
    return frame


# --- targets against the latest reported values -------------------------------------------------------

st.subheader("Targets against the latest reported values")
every = answer("indicator_targets", region="")
summary = policy.status_counts(every or [])
if not summary:
    st.info("No targets in this graph: the documents gave no figures a plan sets for a place.")
else:
    places = [s["place"] for s in summary]
    requested = st.query_params.get("region")
    # The place whose targets other documents track most (then the most targets) comes first.
    busiest = max(summary, key=lambda s: (s["met"] + s["behind"], s["targets"]))["place"]
    region = st.selectbox(
        "Place",
        places,
        index=places.index(requested if requested in places else busiest),
        key="policy_region",
    )
    counts = next(s for s in summary if s["place"] == region)
    cols = st.columns(4)
    cols[0].metric("Targets", counts["targets"])
    cols[1].metric("Met", counts["met"])
    cols[2].metric("Behind", counts["behind"])
    cols[3].metric("No data", counts["no data"])
    rows = answer("indicator_targets", region=region) or []
    frame = pd.DataFrame(policy.targets_table(rows), columns=policy.TARGET_COLUMNS)
    st.dataframe(
        frame.style.map(policy.status_style, subset=["status"]),
        hide_index=True,
        width="stretch",
        key="targets_table",
    )
    if rows:
        ui.download_csv(frame, f"targets_{region}.csv", key="dl_targets")
    st.caption(
        "✓ met · ✗ behind · – no data: no later figure for it in another document. "
        "gap = latest reported − target, in the base unit (percent: percentage points; money: 万元)."
    )
    if len(summary) > 1:
        with st.expander(f"Every place ({len(summary)})"):
            st.dataframe(pd.DataFrame(summary), hide_index=True, width="stretch")

    st.markdown("**The sentences behind each figure**")
    tracked = [r for r in rows if r["status"] != "no data"]
    for r in tracked:
        target = policy.figure(r["target"], r["unit"], r["qualifier"])
        reported = policy.figure(r["reported"], r["reported_unit"], r["reported_qualifier"])
        by = f" by {r['target_year']}" if r["target_year"] else ""
        when = f" in {r['reported_year']}" if r["reported_year"] else ""
        label = f"{policy.mark(r['status'])} · {r['indicator']}: target {target}{by}"
        label += f" · reported {reported}{when}"
        with st.expander(ui.md(label)):
            left, right = st.columns(2)
            with left:
                st.markdown("**Target**")
                ui.show_evidence(policy.evidence_list(r["target_evidence"]), titles)
            with right:
                st.markdown("**Latest reported**")
                ui.show_evidence(policy.evidence_list(r["reported_evidence"]), titles)
    untracked = [r for r in rows if r["status"] == "no data"]
    if untracked:
        with st.expander(f"Targets without a reported value ({len(untracked)})"):
            for r in untracked:
                target = policy.figure(r["target"], r["unit"], r["qualifier"])
                st.markdown(f"**{ui.md(r['indicator'])}**: {ui.md(target)}")
                ui.show_evidence(policy.evidence_list(r["target_evidence"]), titles)

# --- the same indicator, place by place ------------------------------------------------------------------

st.divider()
st.subheader("The same indicator, place by place")
KINDS = {"target": "targets", "reported": "latest reported values", "baseline": "baselines"}
pick_kind, pick_places = st.columns([1, 3])
kind = pick_kind.selectbox("Compare", list(KINDS), format_func=KINDS.get, key="compare_kind")
long_rows = answer("indicators_side_by_side", kind=kind, min_regions=2) or []
compared = sorted({r["region"] for r in long_rows})
if len(compared) < 2:
    st.info(f"No indicator has {KINDS[kind]} for two or more places in this graph.")
else:
    chosen = pick_places.multiselect("Places", compared, default=compared, key="compare_places")
    if len(chosen) < 2:
        st.info("Choose two or more places.")
    else:
        columns, wide = policy.side_by_side(long_rows, chosen)
        show_table(wide, columns, f"side_by_side_{kind}.csv", key="side")
        st.caption(
            "Each place's latest figure of that kind, as stated, with its year; `highest` compares the "
            "values in one base unit."
        )

# --- measures by responsible agency ---------------------------------------------------------------------

st.divider()
st.subheader("Measures by responsible agency, with their awards")
agencies = choices("measures_by_agency", "agency")
if not agencies:
    st.info("No numbered policy measures with responsible agencies in this graph.")
else:
    agency = st.selectbox(
        "Agency", ["", *agencies], format_func=lambda a: a or "(every agency)", key="policy_agency"
    )
    measures = answer("measures_by_agency", agency=agency) or []
    show_table(
        policy.measures_table(measures),
        policy.MEASURE_COLUMNS,
        "measures_by_agency.csv",
        key="measures",
        wide=("awards",),
    )

# --- what a kind of platform can be awarded -------------------------------------------------------------

st.divider()
st.subheader("What a kind of platform can be awarded")
award_kinds = choices("awards_by_kind", "kind")
if not award_kinds:
    st.info("No awards by kind in this graph.")
else:
    text = st.text_input(
        f"Kind name contains (empty: all {len(award_kinds)} kinds)", key="award_kind"
    ).strip()
    awards = answer("awards_by_kind", kind=text) or []
    if text and not awards:
        st.info("No rewarded kind's name contains that text.")
    else:
        show_table(
            policy.awards_table(awards),
            policy.AWARD_COLUMNS,
            "awards_by_kind.csv",
            key="awards",
        )
