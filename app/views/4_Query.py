"""Query: free Cypher, read-only, through the runner (write guard and bounds, store read-only mode, a worker
process, timeout, row cap). The text area stops at the guard's length bound."""

from __future__ import annotations

import json
from typing import Any

import streamlit as st

from app import data, ui
from app.i18n import tr
from queries.guard import MAX_NESTING, MAX_PARAM_CHARS, MAX_QUERY_CHARS
from queries.runner import DEFAULT_ROW_CAP, DEFAULT_TIMEOUT

k = ui.setup()
st.title(tr("自由查询(Cypher)", "Free Cypher query"))

EXAMPLE = (
    "MATCH (c:IndustryChain)-[:LACKS]->(x:ChainLink)\n"
    "RETURN c.name AS chain, x.name AS lacks, c.id AS src_id, x.id AS dst_id, 'LACKS' AS rel\n"
    "ORDER BY chain, lacks"
)
dialect = (
    tr(
        "请写 Neo4j 5 Cypher:对 LadybugDB,`labels(n)[0]`、`type(r)`、`split(s, d)[i]` 和 `toInteger` / "
        "`toFloat` / `toString` 会被改写(实际运行的文本显示在结果下方);那里的列表从 1 开始计数,"
        "`(:A:B)` 表示 A **或** B。",
        "Write Neo4j 5 Cypher: for LadybugDB, `labels(n)[0]`, `type(r)`, `split(s, d)[i]` and `toInteger` / "
        "`toFloat` / `toString` are rewritten (the text that ran is shown below the result); lists are "
        "1-based "
        "there and `(:A:B)` means A **or** B.",
    )
    if data.runner(k).dialect == "ladybug"
    else "Neo4j 5 Cypher."
)
st.caption(
    tr(
        "查询是只读的:写操作在发送前即被拒绝,数据库也以只读模式运行查询。"
        f"{dialect} 返回节点、关系或路径,或返回 `src_id`、`dst_id`(及 `rel`)列,即可得到结果网络。"
        f"查询在独立进程中运行,到时即停;最多 {MAX_QUERY_CHARS:,} 个字符、{MAX_NESTING} 层括号。",
        "Queries are read-only: a write is refused before it is sent, and the store runs the query in "
        f"read-only mode. {dialect} Return nodes, relationships or paths, or the columns `src_id`, `dst_id` "
        "(and `rel`), to get a network of the result. A query runs in a process of its own, stopped at its "
        f"timeout; at most {MAX_QUERY_CHARS:,} characters and {MAX_NESTING} levels of brackets.",
    )
)

text = st.text_area("Cypher", value=EXAMPLE, height=160, key="cypher", max_chars=MAX_QUERY_CHARS)
param_text = st.text_input(
    tr("参数(JSON 对象)", "Parameters (JSON object)"),
    value="{}",
    key="cypher_params",
    max_chars=MAX_PARAM_CHARS,
)
left, right = st.columns(2)
row_cap = int(
    left.number_input(
        tr("行数上限", "Row cap"), min_value=1, max_value=100_000, value=DEFAULT_ROW_CAP, step=100
    )
)
timeout = float(
    right.number_input(tr("超时(秒)", "Timeout (s)"), min_value=1, max_value=600, value=int(DEFAULT_TIMEOUT))
)

if st.button(tr("运行", "Run"), type="primary", key="run_query"):
    outcome: Any
    try:
        params = json.loads(param_text or "{}")
        if not isinstance(params, dict):
            raise ValueError(
                tr(
                    '参数必须是 JSON 对象,例如 {"name": "某市"}',
                    'parameters must be a JSON object, e.g. {"name": "…"}',
                )
            )
        outcome = data.run_cypher(k, text, params, row_cap, timeout)
    except json.JSONDecodeError as exc:
        outcome = ValueError(tr(f"参数不是有效的 JSON:{exc}", f"parameters are not valid JSON: {exc}"))
    except Exception as exc:  # refusals, timeouts, syntax errors: all shown as a plain message
        outcome = exc
    st.session_state["query_outcome"] = (text, outcome)

stored = st.session_state.get("query_outcome")
if stored:
    ran, outcome = stored
    ui.show_outcome(outcome, k, "query.csv", key="query", stale=tr("查询", "query") if ran != text else "")
