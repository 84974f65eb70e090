"""Curation from an entity's page: merge it into another, rename it, change its type, hide it as junk,
each with a why; the decisions with undo; a decision applied by rebuilding from the extraction cache.

The decisions are graph/curation.py's: recorded and undone there, in the curation file the graph in
view was built with (its build report names it, so the rebuild applies what the page records), and
applied by every build on both stores. The page writes nothing itself.
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import Any

import streamlit as st

from app import data, i18n, report, ui
from app.i18n import tr
from graph import curation
from graph.schema import ENTITY_LABELS

ACTIONS = curation.ACTIONS
WHO_KEY = "curation_who"


def path() -> Path | None:
    """The curation file the last build of this graph applied (its build report's inputs), or None
    when the graph was not built by `ikg build` or was built without one: then nothing can be rebuilt."""
    build = report.build_report(data.source().graph_dir) or {}
    inputs = build.get("inputs") if isinstance(build, dict) else None
    chosen = inputs.get("curation") if isinstance(inputs, dict) else None
    return Path(chosen) if chosen else None


def unavailable() -> str:
    return tr(
        "这个图谱没有构建记录中的整理文件(不是由 `ikg build` 构建,或构建时未指定整理文件),无法在此整理。",
        "This graph's build report names no curation file (it was not built by `ikg build`, or without "
        "one): curation is not possible here.",
    )


def action_name(action: str) -> str:
    return {
        "hide": tr("隐藏(垃圾实体)", "hide as junk"),
        "merge": tr("合并到另一个实体", "merge into another entity"),
        "rename": tr("改名", "rename"),
        "retype": tr("改类型", "change type"),
    }.get(action, action)


def entity_text(entity_id: str) -> str:
    """An entity id ("Lab:甲实验室@乙市") as its name and type's name, never the code."""
    code, _, rest = str(entity_id).partition(":")
    return f"{rest} ({i18n.label(code)})" if rest else str(entity_id)


def value_text(d: Any) -> str:
    if d.action == "retype":
        return i18n.label(d.value)
    if d.action == "merge":
        return entity_text(d.value)
    return "" if d.value is None else str(d.value)


def decisions_of(file: Path, entity: str | None = None) -> list[curation.Decision]:
    """The decisions about this entity (it, or merged into it), or all; undone ones too."""
    found = curation.load_decisions(file)
    if entity is None:
        return list(found)
    return [d for d in found if d.entity == entity or (d.action == "merge" and d.value == entity)]


def _default_who() -> str:
    """IKG_USER, else the account the app runs as ("" when neither is known: the form asks)."""
    try:
        return os.environ.get("IKG_USER") or getpass.getuser()
    except (KeyError, OSError):
        return ""


def _who() -> str:
    if WHO_KEY not in st.session_state:
        st.session_state[WHO_KEY] = _default_who()
    return st.text_input(tr("操作人", "Who"), key=WHO_KEY)


def rebuild() -> None:
    """Rebuild the graph from the cache with the curation applied, into the store the app reads
    (graph/curation.py's rebuild: the last build's inputs again). What the build skipped is said."""
    src = data.source()
    with st.spinner(tr("正在从缓存重建图谱…", "Rebuilding the graph from the cache…")):
        try:
            db = src.location if src.kind == "embedded" else None
            result = curation.rebuild(graph_dir=src.graph_dir, store=src.kind, db=db)
        except Exception as exc:  # a failed build changes nothing: say why, plainly
            st.session_state["curation_note"] = ("error", tr(f"重建失败:{exc}", f"The rebuild failed: {exc}"))
            return
    # Nothing to clear: answers are cached per build (app/data.py key), and this is a new build.
    skipped = result.report.curation.skipped if result.report.curation else []
    if skipped:
        reasons = "; ".join(f"{o.decision} {action_name(o.action)}: {o.reason}" for o in skipped)
        st.session_state["curation_note"] = (
            "warning",
            tr(
                f"已重建,但有决定未能应用:{reasons}",
                f"Rebuilt, but some decisions were not applied: {reasons}",
            ),
        )
        return
    st.session_state["curation_note"] = ("ok", tr("已重建:决定已生效。", "Rebuilt: the decision is applied."))


def show_note() -> None:
    note = st.session_state.pop("curation_note", None)
    if note:
        {"ok": st.success, "warning": st.warning}.get(note[0], st.error)(note[1])


def _attempt(change: Any, *args: Any, **kwargs: Any) -> bool:
    """Record or undo through graph/curation.py; a refusal (bad decision, bad file) is shown, one line."""
    try:
        change(*args, **kwargs)
    except curation.CurationError as exc:
        st.session_state["curation_note"] = ("error", str(exc))
        return False
    return True


def form(k: data.Key, actor: dict[str, Any]) -> None:
    """Record a decision about this entity, then rebuild."""
    file = path()
    if file is None:
        st.caption(unavailable())
        return
    action = st.radio(
        tr("决定", "Decision"), ACTIONS, format_func=action_name, horizontal=True, key="curation_action"
    )
    value: str | None = None
    if action == "merge":
        text = st.text_input(
            tr("合并到:搜索目标实体", "Merge into: search the target"), key="curation_target_q"
        )
        found = data.rows(k, "entity_search", q=text.strip(), kind="", limit=50) if text.strip() else []
        targets = [f for f in found if f["id"] != actor["id"]]
        if targets:
            by_id = {t["id"]: t for t in targets}
            value = st.selectbox(
                tr("目标实体", "Target entity"),
                list(by_id),
                format_func=lambda i: ui.actor_option(by_id[i]),
                key="curation_target",
            )
        elif text.strip():
            st.caption(tr("没有匹配的实体。", "No entity matches."))
    elif action == "rename":
        value = (
            st.text_input(tr("新名称", "New name"), value=actor["name"], key="curation_name").strip() or None
        )
    elif action == "retype":
        value = st.selectbox(
            tr("新类型", "New type"),
            [label for label in ENTITY_LABELS if label != actor["label"]],
            format_func=i18n.label,
            key="curation_label",
        )
    who = _who()
    why = st.text_area(tr("理由(必填)", "Why (required)"), key="curation_why").strip()
    ready = bool(why) and bool(who.strip()) and (action == "hide" or bool(value))
    if st.button(
        tr("记录决定并重建", "Record the decision and rebuild"), disabled=not ready, key="curation_record"
    ):
        if _attempt(curation.record, action, actor["id"], value, who.strip(), why, path=file):
            rebuild()
        st.rerun()
    if not ready:
        st.caption(
            tr(
                "填写理由、操作人(以及目标或新值)后才能记录。",
                "A why, a who (and a target or new value) are needed.",
            )
        )


def decisions_table(entity: str | None = None) -> None:
    """The decisions (about one entity, or all), newest first, each with undo; undoing rebuilds."""
    file = path()
    if file is None:
        st.caption(unavailable())
        return
    try:
        found = decisions_of(file, entity)
    except curation.CurationError as exc:
        st.error(str(exc))
        return
    if not found:
        st.caption(tr(f"还没有整理决定(记录在 {file})。", f"No curation decisions yet (recorded in {file})."))
        return
    st.caption(tr(f"整理决定记录在 {file}。", f"Decisions are recorded in {file}."))
    for d in reversed(found):  # the file keeps them in the order made
        text = (
            f"**{ui.md(action_name(d.action))}** · {ui.md(entity_text(d.entity))}"
            + (f" → {ui.md(value_text(d))}" if value_text(d) else "")
            + f" · {ui.md(d.who)} · {ui.md(d.when)}  \n{tr('理由', 'why')}:{ui.md(d.why)}"
        )
        left, right = st.columns([5, 1])
        if d.undone:
            left.markdown(
                f"~~{text}~~  \n*{tr('已撤销', 'undone')}:{ui.md(d.undone_by or '')} · {ui.md(d.undone)}*"
            )
            continue
        left.markdown(text)
        if right.button(tr("撤销", "Undo"), key=f"curation_undo_{d.id}"):
            if _attempt(curation.undo, d.id, _who_value(), path=file):
                rebuild()
            st.rerun()


def _who_value() -> str:
    return str(st.session_state.get(WHO_KEY) or _default_who())
