"""Presets: pick a question from the library (queries/presets/), fill its parameters from the graph, run.

A required parameter without a default (an entity's name: which chain, which region) starts empty and
the page asks for it: nothing runs on a value the user did not choose.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from app import data, i18n, ui
from app.i18n import tr
from queries.catalog import Preset, presets
from queries.runner import DEFAULT_ROW_CAP, DEFAULT_TIMEOUT

k = ui.setup()
st.title(tr("预设问题", "Preset questions"))
st.caption(
    tr(
        "每个预设都是审阅过的查询,在两种数据库上都能运行,只读,有超时和行数上限。",
        "Each preset is a reviewed query that runs on both stores, read-only, with a timeout and a row cap.",
    )
)

try:
    library = presets()
except Exception as exc:  # a malformed preset file: say which, keep the app up
    ui.show_error(exc)
    st.stop()
if not library:
    ui.unknown(tr("预设库(queries/presets/)是空的。", "the preset library (queries/presets/) is empty."))
    st.stop()

lang = i18n.lang()
other = "en" if lang == "zh" else "zh"
ids = list(library)
requested = st.query_params.get("preset")
preset_id = st.selectbox(
    tr("预设", "Preset"),
    ids,
    index=ids.index(requested) if requested in ids else 0,
    format_func=lambda i: f"{library[i].title[lang]} · {library[i].title[other]}",
    key="preset",
)
preset: Preset = library[preset_id]
st.markdown(f"**{ui.md(preset.question[lang])}**")

with st.sidebar:
    st.markdown(tr("**限制**", "**Limits**"))
    row_cap = int(
        st.number_input(
            tr("行数上限", "Row cap"), min_value=1, max_value=100_000, value=DEFAULT_ROW_CAP, step=100
        )
    )
    timeout = float(
        st.number_input(tr("超时(秒)", "Timeout (s)"), min_value=1, max_value=600, value=int(DEFAULT_TIMEOUT))
    )


params: dict[str, Any] = {}
for spec in preset.params:
    label = ui.md(i18n.param(spec.name) + (f": {spec.doc}" if spec.doc and lang == "en" else ""))
    widget_key = f"param_{preset_id}_{spec.name}"
    if spec.type == "bool":
        params[spec.name] = st.checkbox(label, value=bool(spec.default), key=widget_key)
        continue
    options: list[Any] = []
    if spec.choices or spec.values:
        try:
            options = list(data.preset_values(k, preset_id, spec.name))
        except Exception as exc:
            ui.show_error(exc)
    if options:
        if spec.default is not None and spec.default not in options:
            options.insert(0, spec.default)
        params[spec.name] = st.selectbox(
            label,
            options,
            index=options.index(spec.default) if spec.default in options else None,
            format_func=i18n.choice,
            placeholder=tr("请选择…", "Choose…"),
            key=widget_key,
        )
    elif spec.type in ("int", "float"):
        number = int if spec.type == "int" else float
        default = spec.default if spec.default is not None else (spec.min or 0)
        params[spec.name] = st.number_input(
            label,
            min_value=None if spec.min is None else number(spec.min),
            max_value=None if spec.max is None else number(spec.max),
            value=number(default),
            step=number(1),
            key=widget_key,
        )
    else:
        start = "" if spec.default is None else str(spec.default)
        params[spec.name] = st.text_input(
            label, value=start, placeholder=tr("请输入…", "Type…"), key=widget_key
        ).strip()

# A choice not made is left out (the runner's default applies); a required parameter must be given.
params = {name: value for name, value in params.items() if value is not None}
missing = [spec.name for spec in preset.params if spec.required and params.get(spec.name) in (None, "")]
if missing:
    st.info(
        tr(
            f"请先填写:{'、'.join(i18n.param(n) for n in missing)}。",
            f"Fill in first: {', '.join(i18n.param(n) for n in missing)}.",
        )
    )
if st.button(tr("运行", "Run"), type="primary", key="run_preset", disabled=bool(missing)):
    try:
        outcome: Any = data.run_preset(k, preset_id, params, row_cap, timeout)
    except Exception as exc:  # every failure is shown as a message, never a traceback
        outcome = exc
    st.session_state["preset_outcome"] = (preset_id, dict(params), outcome)

stored = st.session_state.get("preset_outcome")
if stored and stored[0] == preset_id:
    ran_with, outcome = stored[1], stored[2]
    stale = tr("参数", "parameters") if ran_with != params else ""
    ui.show_outcome(outcome, k, f"{preset_id}.csv", key="preset", stale=stale, preset=True)
