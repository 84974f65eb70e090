"""Query: free Cypher, read-only, through the runner (write guard and bounds, store read-only mode, a worker
process, timeout, row cap). The text area stops at the guard's length bound."""

from __future__ import annotations

import json
from typing import Any

import streamlit as st

from app import data, ui
from queries.guard import MAX_NESTING, MAX_PARAM_CHARS, MAX_QUERY_CHARS
from queries.runner import DEFAULT_ROW_CAP, DEFAULT_TIMEOUT

k = ui.setup("Query")
st.title("Free Cypher query")

EXAMPLE = (
    "MATCH (c:IndustryChain)-[:LACKS]->(x:ChainLink)\n"
    "RETURN c.name AS chain, x.name AS lacks, c.id AS src_id, x.id AS dst_id, 'LACKS' AS rel\n"
    "ORDER BY chain, lacks"
)
dialect = (
    "Write Neo4j 5 Cypher: for LadybugDB, `labels(n)[0]`, `type(r)`, `split(s, d)[i]` and `toInteger` / "
    "`toFloat` / `toString` are rewritten (the text that ran is shown below the result); lists are 1-based "
    "there and `(:A:B)` means A **or** B."
    if data.runner(k).dialect == "ladybug"
    else "Neo4j 5 Cypher."
)
st.caption(
    "Queries are read-only: a write is refused before it is sent, and the store runs the query in "
    f"read-only mode. {dialect} Return nodes, relationships or paths, or the columns `src_id`, `dst_id` "
    "(and `rel`), to get a network of the result. A query runs in a process of its own, stopped at its "
    f"timeout; at most {MAX_QUERY_CHARS:,} characters and {MAX_NESTING} levels of brackets."
)

text = st.text_area("Cypher", value=EXAMPLE, height=160, key="cypher", max_chars=MAX_QUERY_CHARS)
param_text = st.text_input(
    "Parameters (JSON object)", value="{}", key="cypher_params", max_chars=MAX_PARAM_CHARS
)
left, right = st.columns(2)
row_cap = int(left.number_input("Row cap", min_value=1, max_value=100_000, value=DEFAULT_ROW_CAP, step=100))
timeout = float(right.number_input("Timeout (s)", min_value=1, max_value=600, value=int(DEFAULT_TIMEOUT)))

if st.button("Run", type="primary", key="run_query"):
    outcome: Any
    try:
        params = json.loads(param_text or "{}")
        if not isinstance(params, dict):
            raise ValueError('parameters must be a JSON object, e.g. {"name": "威海市"}')
        outcome = data.run_cypher(k, text, params, row_cap, timeout)
    except json.JSONDecodeError as exc:
        outcome = ValueError(f"parameters are not valid JSON: {exc}")
    except Exception as exc:  # refusals, timeouts, syntax errors: all shown as a plain message
        outcome = exc
    st.session_state["query_outcome"] = (text, outcome)

stored = st.session_state.get("query_outcome")
if stored:
    ran, outcome = stored
    if ran != text:
        st.info("The query changed since this ran: press Run again to update.")
    if isinstance(outcome, BaseException):
        ui.show_error(outcome)
    else:
        ui.show_result(outcome, k, "query.csv", key="query")
