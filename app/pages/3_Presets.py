"""Presets: pick a question from the library (queries/presets/), fill its parameters from the graph, run."""

from __future__ import annotations

from typing import Any

import streamlit as st

from app import data, ui
from queries.catalog import Preset, presets
from queries.runner import DEFAULT_ROW_CAP, DEFAULT_TIMEOUT

k = ui.setup("Presets")
st.title("Preset questions")
st.caption(
    "Each preset is a reviewed query that runs on both stores, read-only, with a timeout and a row cap."
)

try:
    library = presets()
except Exception as exc:  # a malformed preset file: say which, keep the app up
    ui.show_error(exc)
    st.stop()
if not library:
    st.info("The preset library (queries/presets/) is empty.")
    st.stop()

ids = list(library)
requested = st.query_params.get("preset")
preset_id = st.selectbox(
    "Preset",
    ids,
    index=ids.index(requested) if requested in ids else 0,
    format_func=lambda i: f"{library[i].title['en']} · {library[i].title['zh']}",
    key="preset",
)
preset: Preset = library[preset_id]
st.markdown(f"**{ui.md(preset.question['en'])}**  \n{ui.md(preset.question['zh'])}")

with st.sidebar:
    st.markdown("**Limits**")
    row_cap = int(st.number_input("Row cap", min_value=1, max_value=100_000, value=DEFAULT_ROW_CAP, step=100))
    timeout = float(st.number_input("Timeout (s)", min_value=1, max_value=600, value=int(DEFAULT_TIMEOUT)))


def any_label(value: Any) -> str:
    return "(any)" if value in ("", None) else str(value)


params: dict[str, Any] = {}
for spec in preset.params:
    label = ui.md(spec.name + (f": {spec.doc}" if spec.doc else ""))
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
            index=options.index(spec.default) if spec.default in options else 0,
            format_func=any_label,
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
        params[spec.name] = st.text_input(
            label, value="" if spec.default is None else str(spec.default), key=widget_key
        )

if st.button("Run", type="primary", key="run_preset"):
    try:
        outcome: Any = data.run_preset(k, preset_id, params, row_cap, timeout)
    except Exception as exc:  # every failure is shown as a message, never a traceback
        outcome = exc
    st.session_state["preset_outcome"] = (preset_id, dict(params), outcome)

stored = st.session_state.get("preset_outcome")
if stored and stored[0] == preset_id:
    ran_with, outcome = stored[1], stored[2]
    if ran_with != params:
        st.info("The parameters changed since this ran: press Run again to update.")
    if isinstance(outcome, BaseException):
        ui.show_error(outcome)
    else:
        ui.show_result(outcome, k, f"{preset_id}.csv", key="preset")
