"""Pieces every page uses: page setup with the store banner, escaping, evidence, links, CSV downloads.

Everything that reaches `st.markdown(..., unsafe_allow_html=True)` is built here from `html.escape`d
text; names in markdown (titles, link labels) go through `md` so markdown and HTML in a name show as
the characters they are.
"""

from __future__ import annotations

import html
import re
from typing import Any

import pandas as pd
import streamlit as st

from app import data
from graph.schema import COLORS
from graph.stores.base import StoreError

ACTOR_PAGE = "pages/5_Actor.py"
EXPLORE_PAGE = "pages/1_Explore.py"
POLICY_PAGE = "pages/6_Policy.py"
# What "degree" counts, wherever the app shows one (the hubs preset counts it; queries/dialect.py).
DEGREE = (
    "Degree: relationships with other actors and structures (organisations, places, parks, chains and "
    "their links, clusters, systems, events, programmes, measures). Figures (indicators), award kinds and "
    "document mentions are not counted."
)
# Characters that start markdown/HTML/Streamlit syntax anywhere in a line ([…](…) links, :red[…] and
# :emoji: directives, <tags>, emphasis, code, tables, math); list markers only matter at a line start.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]#|<>~$:])")
_MD_BULLET = re.compile(r"^(\s*)([-+=])", re.MULTILINE)
_MD_NUMBERED = re.compile(r"^(\s*)(\d+)([.)])(?=\s|$)", re.MULTILINE)


def md(text: Any) -> str:
    """Text for a markdown context (titles, labels, captions): shown as the characters it is."""
    escaped = _MD_SPECIAL.sub(r"\\\1", str(text))
    escaped = _MD_BULLET.sub(r"\1\\\2", escaped)
    return _MD_NUMBERED.sub(r"\1\2\\\3", escaped)


def setup(title: str) -> data.Key:
    """Page config, the store banner in the sidebar; stops the page with a plain error without a graph."""
    st.set_page_config(page_title=f"{title} · innovation-kg", layout="wide")
    try:
        src = data.source()
    except ValueError as exc:
        st.error(str(exc))
        st.stop()
    st.sidebar.markdown(f"**Store:** {md(src.description)}")
    k = data.key(src)
    if src.kind == "embedded" and k[2] == "missing":
        st.error(f"No graph at {src.location}: run `ikg build` (or `make run`) first.")
        st.stop()
    try:
        data.graph_counts(k)
    except StoreError as exc:
        st.error(f"The {src.kind} store cannot be read: {exc}")
        st.stop()
    except Exception as exc:  # a driver/connection error: say which store, never a traceback
        st.error(f"The {src.kind} store cannot be reached: {type(exc).__name__}: {exc}")
        st.stop()
    return k


def badge(label: str) -> str:
    """An escaped, coloured type badge (HTML)."""
    color = COLORS.get(label, "#999999")
    return (
        f'<span style="background:{color};color:#111;border-radius:4px;padding:1px 6px;'
        f'font-size:0.8em">{html.escape(label)}</span>'
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
        st.caption("no evidence sentence recorded")
        return
    st.markdown("".join(evidence_html(e, doc_titles) for e in evidence), unsafe_allow_html=True)


def doc_titles(k: data.Key) -> dict[str, str]:
    return {d["document_id"]: d["title"] or d["document"] for d in data.rows(k, "documents")}


def actor_link(actor: dict[str, Any], label: str | None = None) -> None:
    """A link to the actor page of this actor (a real link: it works in a new tab too)."""
    text = label if label is not None else f"{actor['name']} ({actor.get('label', '')})"
    st.page_link(ACTOR_PAGE, label=md(text), query_params={"id": actor["id"]})


def actor_option(actor: dict[str, Any]) -> str:
    return f"{actor['name']} · {actor['label']}"


def download_csv(rows: list[dict[str, Any]] | pd.DataFrame, file_name: str, key: str) -> None:
    """A CSV download (UTF-8 with BOM, so spreadsheet programs read the Chinese right)."""
    frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(rows)
    st.download_button(
        "Download CSV",
        frame.to_csv(index=False).encode("utf-8-sig"),
        file_name=file_name,
        mime="text/csv",
        key=key,
    )


def legend(labels: set[str] | list[str]) -> None:
    from app.viz import legend_html

    st.markdown(legend_html(set(labels)), unsafe_allow_html=True)


def show_network(html_page: str, height: int) -> None:
    """The self-contained network page in an iframe (its HTML is built from escaped data only)."""
    if hasattr(st, "iframe"):
        st.iframe(html_page, height=height + 10)
    else:  # Streamlit before st.iframe
        import streamlit.components.v1 as components

        components.html(html_page, height=height + 10, scrolling=False)


def show_error(exc: BaseException) -> None:
    """A query error as one plain message: the first lines, the rest folded away."""
    from queries.runner import PresetError, QueryRefused, QueryTimeout, ReadOnlyError

    text = str(exc).strip() or type(exc).__name__
    if isinstance(exc, ReadOnlyError):
        title = "Refused by the store (read-only)"
    elif isinstance(exc, QueryTimeout):
        title = "Timed out"
    elif isinstance(exc, PresetError):
        title = "Parameter error"
    else:
        title = "Query failed"
    lines = text.splitlines()
    if isinstance(exc, QueryRefused):  # its message already says "refused: …"
        st.error(md(lines[0][:1].upper() + lines[0][1:]))
    else:
        st.error(f"{title}: {md(lines[0])}")
    if len(lines) > 1:
        with st.expander("Full message"):
            st.code(text, language=None)


def show_result(result: Any, k: data.Key, file_name: str, key: str) -> None:
    """A runner Result: size note, table, CSV download, network of its subgraph, the Cypher that ran."""
    n = len(result.rows)
    note = f"{n} row{'s' if n != 1 else ''} in {result.elapsed_ms:.0f} ms"
    if result.truncated:
        st.warning(f"Row cap reached: showing the first {n} rows only. Raise the cap or narrow the query.")
    st.caption(note)
    records = data.table(result.columns, result.rows)
    frame = pd.DataFrame(records, columns=result.columns)
    st.dataframe(frame, hide_index=True, width="stretch")
    if records:
        download_csv(frame, file_name, key=f"dl_{key}")
    nodes, edges = data.subgraph_view(result.subgraph)
    if nodes:
        from app import viz

        st.markdown(f"**Network of the result** ({len(nodes)} nodes, {len(edges)} relationships)")
        legend({node["label"] for node in nodes.values()})
        show_network(viz.network_html(nodes, edges, degrees=data.degrees(k), height=520), 520)
        st.caption(f"Node size: degree. {DEGREE}")
    with st.expander("Cypher that ran"):
        st.code(result.cypher, language="cypher")
        if result.params:
            st.json(result.params)
