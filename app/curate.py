"""Curation from an entity's page: merge it into another, rename it, change its type, hide it as junk,
each with a why; the decisions with undo; a decision applied by rebuilding from the extraction cache.

The decisions live in the curation file (graph/curation.py: YAML under data/, who/when/why, applied by
every build on both stores); IKG_CURATION names another file (app/config.py). The build is the one
place a decision takes effect: the app records it, then runs `rebuild` on the store it reads.
"""

from __future__ import annotations

import getpass
import os
from typing import Any

import streamlit as st

from app import config, data, i18n, ui
from app.i18n import tr
from graph.schema import ENTITY_LABELS

ACTIONS = ("hide", "merge", "rename", "retype")
WHO_KEY = "curation_who"


def backend() -> Any | None:
    """graph.curation, or None where this build of the project has none (the page says so)."""
    try:
        from graph import curation
    except ImportError:
        return None
    return curation


def path() -> str:
    module = backend()
    chosen = config.curation_path()
    return chosen or str(module.CURATION_FILE if module else "")


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


def decisions_of(entity: str | None = None) -> list[Any]:
    module = backend()
    if module is None:
        return []
    found = module.load_decisions(path())
    if entity is None:
        return list(found)
    return [d for d in found if d.entity == entity or (d.action == "merge" and d.value == entity)]


def _who() -> str:
    if WHO_KEY not in st.session_state:
        try:
            st.session_state[WHO_KEY] = os.environ.get("IKG_USER") or getpass.getuser()
        except (KeyError, OSError):
            st.session_state[WHO_KEY] = ""
    return st.text_input(tr("操作人", "Who"), key=WHO_KEY)


def rebuild(k: data.Key) -> None:
    """Rebuild the graph from the cache with the curation applied, into the store the app reads."""
    module = backend()
    assert module is not None
    src = data.source()
    with st.spinner(tr("正在从缓存重建图谱…", "Rebuilding the graph from the cache…")):
        try:
            if src.kind == "embedded":
                module.rebuild(graph_dir=src.graph_dir, store="embedded", db=src.location)
            else:
                module.rebuild(graph_dir=src.graph_dir, store="neo4j")
        except Exception as exc:  # a failed build changes nothing: say why, plainly
            st.session_state["curation_note"] = ("error", tr(f"重建失败:{exc}", f"The rebuild failed: {exc}"))
            return
    st.cache_data.clear()  # Neo4j answers have no file stamp to tell the new graph from the old
    st.session_state["curation_note"] = ("ok", tr("已重建:决定已生效。", "Rebuilt: the decision is applied."))


def show_note() -> None:
    note = st.session_state.pop("curation_note", None)
    if note:
        (st.success if note[0] == "ok" else st.error)(note[1])


def form(k: data.Key, actor: dict[str, Any]) -> None:
    """Record a decision about this entity, then rebuild."""
    module = backend()
    if module is None:
        st.caption(tr("此版本没有整理功能。", "Curation is not available in this version."))
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
        module.record(action, actor["id"], value, who.strip(), why, path=path())
        rebuild(k)
        st.rerun()
    if not ready:
        st.caption(tr("填写理由和操作人后才能记录。", "A why and who are needed to record a decision."))


def decisions_table(k: data.Key, entity: str | None = None) -> None:
    """The decisions (about one entity, or all), each with undo; undoing rebuilds."""
    module = backend()
    if module is None:
        return
    found = decisions_of(entity)
    if not found:
        st.caption(
            tr(f"还没有整理决定(记录在 {path()})。", f"No curation decisions yet (recorded in {path()}).")
        )
        return
    st.caption(tr(f"整理决定记录在 {path()}。", f"Decisions are recorded in {path()}."))
    for d in sorted(found, key=lambda d: str(d.when), reverse=True):
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
            module.undo(d.id, _who_value(), path=path())
            rebuild(k)
            st.rerun()


def _who_value() -> str:
    return str(st.session_state.get(WHO_KEY) or os.environ.get("IKG_USER") or "analyst")
