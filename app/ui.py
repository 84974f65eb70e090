"""Pieces every page uses: the store banner, escaping, evidence, links, tables, downloads, the three
states of an answer, networks.

Everything that reaches `st.markdown(..., unsafe_allow_html=True)` is built here from `html.escape`d
text; names in markdown (titles, link labels) go through `md` so markdown and HTML in a name show as
the characters they are. Text is Chinese first (app/i18n.py).
"""

from __future__ import annotations

import hashlib
import html
import re
from typing import Any, NoReturn

import pandas as pd
import streamlit as st

from app import cells, data, i18n, nav
from app.i18n import tr
from graph.schema import COLORS
from graph.stores.base import StoreError

ACTOR_PAGE = "views/5_Actor.py"
EXPLORE_PAGE = "views/1_Explore.py"
CHAINS_PAGE = "views/2_Chain_gaps.py"
MATRIX_PAGE = "views/7_Matrix.py"
POLICY_PAGE = "views/6_Policy.py"
# Characters that start markdown/HTML/Streamlit syntax anywhere in a line ([…](…) links, :red[…] and
# :emoji: directives, <tags>, emphasis, code, tables, math); list markers only matter at a line start.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]#|<>~$:])")
_MD_BULLET = re.compile(r"^(\s*)([-+=])", re.MULTILINE)
_MD_NUMBERED = re.compile(r"^(\s*)(\d+)([.)])(?=\s|$)", re.MULTILINE)


def degree_note() -> str:
    """What "degree" counts, wherever the app shows one (the hubs preset counts it; queries/dialect.py)."""
    return tr(
        "度数:与其他主体和结构(机构、地区、园区、产业链及其环节、集群、体系、活动、项目、措施)的关系数;"
        "指标数据、奖补对象和“被文件提及”不计。",
        "Degree: relationships with other actors and structures (organisations, places, parks, chains and "
        "their links, clusters, systems, events, programmes, measures). Figures (indicators), award kinds "
        "and document mentions are not counted.",
    )


def md(text: Any) -> str:
    """Text for a markdown context (titles, labels, captions): shown as the characters it is."""
    escaped = _MD_SPECIAL.sub(r"\\\1", str(text))
    escaped = _MD_BULLET.sub(r"\1\\\2", escaped)
    return _MD_NUMBERED.sub(r"\1\2\\\3", escaped)


def store_description(src: data.Source) -> str:
    if src.kind == "embedded":
        return tr(f"嵌入式 LadybugDB · {src.location}", f"embedded LadybugDB · {src.location}")
    return f"Neo4j · {src.location}"


def setup() -> data.Key:
    """The store banner in the sidebar; stops the page with a plain error without a graph."""
    try:
        src = data.source()
    except ValueError as exc:
        st.error(str(exc))
        st.stop()
    st.sidebar.markdown(f"**{tr('数据库', 'Store')}:** {md(store_description(src))}")
    try:
        k = data.key(src)  # Neo4j: a read (its build id)
    except Exception as exc:
        _unreadable(src, exc)
    if src.kind == "embedded" and k[2] == "missing":
        st.error(
            tr(
                f"{src.location} 处没有图谱:请先运行 `ikg build`(或 `make run`)。",
                f"No graph at {src.location}: run `ikg build` (or `make run`) first.",
            )
        )
        st.stop()
    try:
        data.graph_counts(k)
    except Exception as exc:
        _unreadable(src, exc)
    return k


def _unreadable(src: data.Source, exc: Exception) -> NoReturn:
    """The store's error in one line, and the page stops."""
    if isinstance(exc, StoreError):
        st.error(tr(f"无法读取 {src.kind} 数据库:{exc}", f"The {src.kind} store cannot be read: {exc}"))
    else:  # a driver/connection error: say which store, never a traceback
        st.error(
            tr(
                f"无法连接 {src.kind} 数据库:{type(exc).__name__}: {exc}",
                f"The {src.kind} store cannot be reached: {type(exc).__name__}: {exc}",
            )
        )
    st.stop()


# --- the three states of an answer ---------------------------------------------------------------------


def found(text: str) -> None:
    """State 1: facts found (a caption above them)."""
    st.caption(f"✔ **{tr('已找到', 'Found')}** · {text}")


def none_in(text: str, documents: list[str] | tuple[str, ...] = ()) -> None:
    """State 2: the documents cover the subject and state no such fact (which documents)."""
    where = ""
    if documents:
        where = tr("(文件:", " (documents: ") + i18n.joined(documents) + tr(")", ")")
    st.info(f"∅ **{tr('文件中为无', 'None in the documents')}** · {text}{where}")


def unknown(text: str, hint: str = "") -> None:
    """State 3: nothing extracted for it: say so, and what the user could add."""
    more = f"  \n{tr('可以补充', 'To learn more')}:{hint}" if hint else ""
    st.warning(f"? **{tr('尚无信息', 'Nothing known')}** · {text}{more}")


# --- names, badges, evidence -----------------------------------------------------------------------------


def badge(label: str) -> str:
    """An escaped, coloured type badge (HTML) with the type's name, never its code."""
    color = COLORS.get(label, "#999999")
    return (
        f'<span style="background:{color};color:#111;border-radius:4px;padding:1px 6px;'
        f'font-size:0.8em">{html.escape(i18n.label(label))}</span>'
    )


def highlight(sentence: str, start: int | None, end: int | None, text: str | None = None) -> str:
    """The sentence as escaped HTML with the span [start, end) in <mark><b>…</b></mark>."""
    sentence = sentence or ""
    if start is None or end is None or not (0 <= start < end <= len(sentence)):
        start = end = None
    if start is not None and text and sentence[start:end] != text:
        start = end = None
    if start is None and text and text in sentence:
        start = sentence.index(text)
        end = start + len(text)
    if start is None or end is None:
        return html.escape(sentence)
    return (
        html.escape(sentence[:start])
        + "<mark><b>"
        + html.escape(sentence[start:end])
        + "</b></mark>"
        + html.escape(sentence[end:])
    )


def evidence_html(evidence: dict[str, Any], doc_titles: dict[str, str] | None = None) -> str:
    """One evidence object: the highlighted sentence, then the document and the section path."""
    offset = evidence.get("sentence_start")
    start = end = None
    if offset is not None and evidence.get("start") is not None and evidence.get("end") is not None:
        start, end = evidence["start"] - offset, evidence["end"] - offset
    sentence = highlight(evidence.get("sentence") or "", start, end, evidence.get("text"))
    doc = evidence.get("doc") or evidence.get("doc_id") or ""
    title = (doc_titles or {}).get(evidence.get("doc_id") or "", "")
    where = html.escape(f"{title} ({doc})" if title else doc)
    section = " › ".join(str(s) for s in evidence.get("section") or [])
    where_line = where + (f" › {html.escape(section)}" if section else "")
    return (
        '<div class="ikg-evidence" style="border-left:3px solid #ddd;padding:2px 10px;margin:4px 0 8px 0">'
        f'<div>{sentence}</div><div style="color:#777;font-size:0.85em">{where_line}</div></div>'
    )


def show_evidence(evidence: list[dict[str, Any]], doc_titles: dict[str, str] | None = None) -> None:
    if not evidence:
        st.caption(tr("没有记录原文句子", "no evidence sentence recorded"))
        return
    st.markdown("".join(evidence_html(e, doc_titles) for e in evidence), unsafe_allow_html=True)


def doc_titles(k: data.Key) -> dict[str, str]:
    return {d["document_id"]: d["title"] or d["document"] for d in data.rows(k, "documents")}


def actor_link(actor: dict[str, Any], label: str | None = None) -> None:
    """A link to the actor page of this actor (a real link: it works in a new tab too)."""
    text = label if label is not None else f"{actor['name']} ({i18n.label(actor.get('label', ''))})"
    st.page_link(ACTOR_PAGE, label=md(text), query_params=nav.link_params(id=actor["id"]))


def actor_option(actor: dict[str, Any]) -> str:
    return f"{actor['name']} · {i18n.label(actor['label'])}"


# --- tables and downloads --------------------------------------------------------------------------------


def frame(rows: list[dict[str, Any]] | pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """Records as a DataFrame with its headers in the current language (English headers are the keys)."""
    table = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(rows, columns=columns)
    if columns is not None and isinstance(rows, pd.DataFrame):
        table = table[columns]
    for name in table.columns:  # a missing value shows as "—", never as "None"; the column becomes text
        column = table[name]
        if column.isna().any():
            whole = [int(v) if isinstance(v, float) and v.is_integer() else v for v in column]
            cells = ["—" if pd.isna(v) else str(v) for v in whole]  # one type per column (Arrow)
            table[name] = pd.Series(cells, index=table.index, dtype=object)
    return table.rename(columns=i18n.columns(list(table.columns)))


def csv_bytes(table: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with a BOM, so spreadsheet programs read the Chinese right."""
    return table.to_csv(index=False).encode("utf-8-sig")


def download_csv(
    rows: list[dict[str, Any]] | pd.DataFrame, file_name: str, key: str, label: str | None = None
) -> None:
    """A CSV download of a table (headers translated when they are English keys)."""
    table = rows if isinstance(rows, pd.DataFrame) else frame(rows)
    text = label or tr("下载 CSV", "Download CSV")
    st.download_button(text, csv_bytes(table), file_name=file_name, mime="text/csv", key=key)


def show_table(
    rows: list[dict[str, Any]],
    columns: list[str],
    file_name: str | None = None,
    key: str = "",
    wide: tuple[str, ...] = (),
) -> pd.DataFrame:
    """A translated table, with a CSV download when it has rows and a file name."""
    table = frame(rows, columns)
    config = {i18n.column(c): st.column_config.TextColumn(width="large") for c in wide}
    st.dataframe(table, hide_index=True, width="stretch", column_config=config)
    if rows and file_name:
        download_csv(table, file_name, key=f"dl_{key}")
    return table


# --- networks ----------------------------------------------------------------------------------------------


def legend(labels: set[str] | list[str]) -> None:
    from app.viz import legend_html

    st.markdown(legend_html(set(labels)), unsafe_allow_html=True)


# The network page (app/viz.py) runs in an iframe this component creates; a click on a node posts its id
# to the app page, and the component hands it to Python (`expand`), which reruns the page with it.
_NETWORK_JS = """
export default function (component) {
  const { parentElement, data, setTriggerValue } = component;
  let frame = parentElement.querySelector("iframe");
  if (!frame) {
    frame = document.createElement("iframe");
    frame.style.border = "0";
    frame.style.width = "100%";
    frame.setAttribute("title", data.title || "network");
    parentElement.appendChild(frame);
  }
  frame.style.height = data.height + "px";
  if (frame.ikgVersion !== data.version) {
    frame.ikgVersion = data.version;
    frame.srcdoc = data.html;
  }
  if (frame.ikgListener) { window.removeEventListener("message", frame.ikgListener); }
  frame.ikgListener = function (event) {
    if (event.source !== frame.contentWindow) { return; }
    const message = event.data || {};
    if (message.ikg === "expand" && typeof message.id === "string") {
      setTriggerValue("expand", message.id);
    }
  };
  window.addEventListener("message", frame.ikgListener);
  return function () { window.removeEventListener("message", frame.ikgListener); };
}
"""
_network = st.components.v2.component("ikg_network", js=_NETWORK_JS)


def show_network(page: str, height: int, key: str = "network") -> str | None:
    """The self-contained network page (HTML built from escaped data only); the id of the node the user
    clicked in this run, if any."""
    version = hashlib.sha1(page.encode("utf-8")).hexdigest()
    result = _network(
        key=key,
        data={"html": page, "height": height, "version": version, "title": tr("关系网络", "network")},
        height=height + 10,
        on_expand_change=lambda: None,
    )
    clicked = getattr(result, "expand", None)
    return clicked if isinstance(clicked, str) else None


# --- errors and results ------------------------------------------------------------------------------------


def show_error(exc: BaseException) -> None:
    """A query error as one plain message: the first lines, the rest folded away."""
    from queries.runner import PresetError, QueryRefused, QueryTimeout, ReadOnlyError

    text = str(exc).strip() or type(exc).__name__
    if isinstance(exc, ReadOnlyError):
        title = tr("数据库拒绝(只读)", "Refused by the store (read-only)")
    elif isinstance(exc, QueryTimeout):
        title = tr("超时", "Timed out")
    elif isinstance(exc, PresetError):
        title = tr("参数错误", "Parameter error")
    else:
        title = tr("查询失败", "Query failed")
    lines = text.splitlines()
    if isinstance(exc, QueryRefused):  # its message already says "refused: …"
        st.error(tr("已拒绝:", "") + md(lines[0][:1].upper() + lines[0][1:]))
    else:
        st.error(f"{title}: {md(lines[0])}")
    if len(lines) > 1:
        with st.expander(tr("完整信息", "Full message")):
            st.code(text, language=None)


def show_outcome(
    outcome: Any, k: data.Key, file_name: str, key: str, stale: str = "", preset: bool = False
) -> None:
    """What the last run gave, kept across reruns: its result, or its failure as a plain message; with
    `stale` (what changed since it ran) a note asking to run again."""
    if stale:
        st.info(
            tr(
                f"{stale}已改动:请再按“运行”更新结果。",
                f"The {stale} changed since this ran: press Run again to update.",
            )
        )
    if isinstance(outcome, BaseException):
        show_error(outcome)
    else:
        show_result(outcome, k, file_name, key=key, preset=preset)


def show_result(result: Any, k: data.Key, file_name: str, key: str, preset: bool = False) -> None:
    """A runner Result: size note, table, CSV download, network of its subgraph, the Cypher that ran. A
    preset's columns are named in the current language and its id columns (codes) left out."""
    n = len(result.rows)
    note = tr(
        f"{n} 行,用时 {result.elapsed_ms:.0f} 毫秒",
        f"{n} row{'s' if n != 1 else ''} in {result.elapsed_ms:.0f} ms",
    )
    if result.truncated:
        st.warning(
            tr(
                f"已达行数上限:只显示前 {n} 行。请提高上限或缩小查询范围。",
                f"Row cap reached: showing the first {n} rows only. Raise the cap or narrow the query.",
            )
        )
    st.caption(note)
    records = [{c: i18n.value(v) for c, v in r.items()} for r in cells.table(result.columns, result.rows)]
    columns = list(result.columns)
    if preset:
        columns = [c for c in columns if not i18n.is_id_column(c)] or columns
    table = pd.DataFrame(records, columns=result.columns)[columns]
    if preset:
        names = [i18n.result_column(c) for c in columns]
        # two columns one name: the second keeps its own word beside it
        names = [n if names.count(n) == 1 else f"{n} ({c})" for n, c in zip(names, columns, strict=True)]
        table = table.set_axis(names, axis=1)
    st.dataframe(table, hide_index=True, width="stretch")
    if records:
        download_csv(table, file_name, key=f"dl_{key}")
    nodes, edges = data.subgraph_view(result.subgraph)
    if nodes:
        from app import rendered

        st.markdown(
            tr(
                f"**结果网络**({len(nodes)} 个节点,{len(edges)} 条关系)",
                f"**Network of the result** ({len(nodes)} nodes, {len(edges)} relationships)",
            )
        )
        legend({node["label"] for node in nodes.values()})
        show_network(
            rendered.network_html(nodes, edges, degrees=data.degrees(k), height=520), 520, key=f"net_{key}"
        )
        st.caption(tr("节点大小:度数。", "Node size: degree. ") + degree_note())
    with st.expander(tr("实际运行的 Cypher", "Cypher that ran")):
        st.code(result.cypher, language="cypher")
        if result.params:
            st.json(result.params)
