"""Explore: the ecosystem as a network. It opens on its structure (a counted system, the clusters and
their chains); an actor's neighbourhood and the shortest path between two actors are the other views.
Click a node (or pick it under "expand") to add its neighbourhood; filter by type and by document.

Presets: ecosystem_structure, counted_structures (the system shown first), hubs (degrees, the actor list),
entity_search, neighbourhood, shortest_path, document_entities (the document filter), documents,
indicators_of_region (a place's figures, on request). The filters only hide part of those answers.
"""

from __future__ import annotations

import streamlit as st

from app import cells, data, evidence, explore, i18n, overview, rendered, ui, viz
from app.i18n import tr
from graph.schema import NON_ACTOR_RELS
from queries.dialect import ACTOR_LABELS, ACTOR_RELS

EXPANDED = "explore_expanded"  # session: the nodes expanded so far, per view
HEIGHT = 720
MODES = ("structure", "actor", "path")

k = ui.setup()
st.title(tr("关系网络", "Explore the ecosystem"))

degree = data.degrees(k)
hubs = data.hubs(k)
query_id = st.query_params.get("id")
mode = st.radio(
    tr("视图", "View"),
    MODES,
    index=1 if query_id else 0,
    format_func=lambda m: {
        "structure": tr("生态骨架:计数体系、集群与产业链", "Structure: systems, clusters and chains"),
        "actor": tr("主体的关系邻域", "An actor's neighbourhood"),
        "path": tr("两个主体之间的最短路径", "Shortest path between two actors"),
    }[m],
    horizontal=True,
    key="explore_mode",
)

# --- filters (sidebar) ------------------------------------------------------------------------------------
with st.sidebar:
    st.markdown(tr("**显示什么**", "**What is shown**"))
    policy = st.toggle(
        tr("显示指标与政策措施", "Show figures and policy measures"),
        value=False,
        key="explore_policy",
        help=tr(
            "默认不显示:一个城市可能有上百个指标,会淹没生态结构。",
            "Off by default: a city's many figures would bury the structure.",
        ),
    )
    offered = [label for label in ACTOR_LABELS if policy or label not in explore.POLICY_LABELS]
    if policy:
        offered.append("Indicator")
    labels = st.multiselect(
        tr("实体类型", "Entity types shown"),
        offered,
        default=offered,
        format_func=i18n.label,
        key=f"explore_labels_{policy}",
        placeholder=tr("请选择", "Choose"),
    )
    rel_offer = [t for t in ACTOR_RELS if policy or t not in ("RESPONSIBLE_FOR",)]
    if policy:
        rel_offer.append("INDICATOR_OF")
    rel_types = st.multiselect(
        tr("关系类型", "Relationship types shown"),
        rel_offer,
        default=rel_offer,
        format_func=i18n.rel,
        key=f"explore_rels_{policy}",
        placeholder=tr("请选择", "Choose"),
    )
    docs = data.rows(k, "documents")
    doc_names = {d["document"]: d["title"] or d["document"] for d in docs}
    chosen_docs = st.multiselect(
        tr("只看这些文件提到的", "Only what these documents name"),
        list(doc_names),
        format_func=lambda d: f"{doc_names[d]} ({d})" if doc_names[d] != d else d,
        key="explore_docs",
        placeholder=tr("请选择文件", "Choose documents"),
    )
    cap = int(
        st.number_input(
            tr("节点上限", "Node cap"), min_value=10, max_value=2000, value=150, step=10, key="explore_cap"
        )
    )
    if mode == "actor":
        depth = st.slider(tr("深度(步数)", "Depth (hops)"), 1, 3, 1, key="explore_depth")


def pick_actor(label_text: str, key: str, default: str | None) -> dict | None:
    """An actor by search (entity_search) or from the hubs; `default` first when nothing is typed."""
    search_col, type_col = st.columns([2, 1])
    text = search_col.text_input(
        tr(f"{label_text}:按名称或别名搜索", f"{label_text}: search by name or alias"),
        placeholder=tr("输入名称的一部分,如“研究院”“产业园”", "part of a name, e.g. 研究院, 产业园"),
        key=f"{key}_q",
    )
    kinds = type_col.multiselect(
        tr("只看这些类型", "Only these types"),
        list(ACTOR_LABELS),
        format_func=i18n.label,
        key=f"{key}_types",
        placeholder=tr("全部类型", "every type"),
    )
    wanted = set(kinds or ACTOR_LABELS)
    if text.strip():
        found = data.rows(k, "entity_search", q=text.strip(), kind="", limit=1000)
        matches = [m for m in found if m["label"] in wanted][:200]
        if not matches:
            ui.unknown(tr("没有主体的名称或别名含有这几个字。", "no actor has that name or alias."))
            return None
    else:
        matches = [m for m in hubs if m["label"] in wanted][:200]
        if default and default not in {m["id"] for m in matches}:
            matches = data.rows(k, "actor_profile", actor=default)[:1] + matches
    if not matches:
        ui.unknown(tr("图谱中没有这些类型的主体。", "no actors of these types in this graph."))
        return None
    by_id = {m["id"]: m for m in matches}
    ids = list(by_id)
    chosen = st.selectbox(
        tr(
            f"{label_text}(匹配 {len(ids)} 个)",
            f"{label_text} ({len(ids)} match{'es' if len(ids) != 1 else ''})",
        ),
        ids,
        index=ids.index(default) if default in ids else 0,
        format_func=lambda i: (
            f"{by_id[i]['name']} · {i18n.label(by_id[i]['label'])} · {tr('度数', 'degree')} "
            f"{degree.get(i, 0)}"
        ),
        key=key,
    )
    return by_id[chosen]


# --- the view ---------------------------------------------------------------------------------------------
center_id: str | None = None
keep: set[str] = set()
if mode == "structure":
    systems = overview.counted_structures(
        data.rows(k, "counted_structures"), lambda name: data.rows(k, "system_members", system=name)
    )
    options = ["", *[s["structure"] for s in systems]]
    system = st.selectbox(
        tr("计数体系", "Counted system"),
        options,
        index=1 if len(options) > 1 else 0,
        format_func=lambda s: s or tr("(全部计数体系)", "(every counted system)"),
        key="explore_system",
    )
    if len(options) > 1:
        st.caption(
            tr(
                f"默认显示申报规模最大、点名成员最多的计数体系“{ui.md(options[1])}”及全部产业集群和产业链;可在上方改选。",
                f"Opens on the counted system with the largest declared size and most named members "
                f"(“{ui.md(options[1])}”) and every cluster and chain; choose another above.",
            )
        )
    else:
        ui.unknown(
            tr(
                "文件中没有以数字宣布的体系;下面只有产业集群和产业链。",
                "the documents declare no counted system; only clusters and chains are shown.",
            ),
            tr(
                "一份写明“构建‘1+N’体系”并列出成员的规划。",
                "a plan that declares a “1+N” system and names its members.",
            ),
        )
    view = explore.structure_view(*data.structure(k, system))
    view_key = f"structure:{system}"
    if system:
        same = st.toggle(
            tr(
                "只看与该体系同一批文件中的集群和产业链",
                "Only the clusters and chains of the system's documents",
            ),
            value=True,
            key="explore_same_docs",
            help=tr(
                "多地文件并存时,“它的”集群和产业链是提到这个体系的文件所提到的那些。",
                "With several regions' documents loaded, its clusters and chains are those the documents "
                "naming the system name.",
            ),
        )
        system_id = next(s["id"] for s in systems if s["structure"] == system)
        if same and not chosen_docs:
            chosen_docs = [d["document"] for d in data.rows(k, "documents_mentioning", actor=system_id)]
            st.caption(
                tr("文件:", "Documents: ") + i18n.joined(f"{doc_names.get(d, d)} ({d})" for d in chosen_docs)
            )
elif mode == "actor":
    center = pick_actor(tr("主体", "Actor"), "explore_actor", query_id)
    if center is None:
        st.stop()
    center_id = center["id"]
    st.caption(ui.degree_note())
    nodes, edges = data.neighbourhood(k, center_id, depth)
    nodes.setdefault(center_id, {"id": center_id, "label": center["label"], "name": center["name"], "hop": 0})
    view = (nodes, edges)
    keep = {center_id}
    view_key = f"actor:{center_id}:{depth}"
else:
    start_default, end_default = explore.default_ends(hubs)
    st.caption(
        tr(
            "默认起点为度数最高的高校,终点为度数最高的平台、实验室或研究院所;可搜索改选。",
            "Opens on the highest-degree university and the highest-degree platform, lab or institute; "
            "search to choose others.",
        )
    )
    a_col, b_col = st.columns(2)
    with a_col:
        start = pick_actor(tr("起点", "From"), "path_from", start_default)
    with b_col:
        end = pick_actor(tr("终点", "To"), "path_to", end_default)
    if start is None or end is None:
        st.stop()
    hops = st.slider(tr("最多几步", "At most this many steps"), 1, 10, 6, key="path_hops")
    if start["id"] == end["id"]:
        st.info(tr("起点和终点是同一个主体。", "The two ends are the same actor."))
        st.stop()
    try:
        paths = data.rows(k, "shortest_path", **{"from": start["id"], "to": end["id"], "max_hops": hops})
    except Exception as exc:  # a timeout on a large graph: say so plainly
        ui.show_error(exc)
        st.stop()
    if not paths:
        ui.unknown(
            tr(
                f"{hops} 步之内,{start['name']} 与 {end['name']} 之间没有已知的关系链。",
                f"no known chain of relationships joins {start['name']} and {end['name']} within {hops}"
                " steps.",
            ),
            tr(
                "写明两者之间合作、依托、位于等关系的文件。",
                "documents stating how the two cooperate, host or lie in one another.",
            ),
        )
        st.stop()
    ui.found(
        tr(
            f"{len(paths)} 条最短路径,每条 {paths[0]['hops']} 步",
            f"{len(paths)} shortest path{'s' if len(paths) != 1 else ''} of {paths[0]['hops']} steps",
        )
    )
    view = explore.path_view([p["path"] for p in paths])
    keep = {start["id"], end["id"]}
    center_id = start["id"]
    view_key = f"path:{start['id']}:{end['id']}"

# Nodes expanded in this view (a click on the network or the "expand" box), each adding its neighbourhood.
expanded: dict[str, list[str]] = st.session_state.setdefault(EXPANDED, {})
for node_id in expanded.get(view_key, []):
    view = explore.merge(view, data.neighbourhood(k, node_id, 1), hop=1)

if policy and center_id and view[0].get(center_id, {}).get("label") == "Region":
    figures = data.rows(k, "indicators_of_region", region=view[0][center_id]["name"])
    more = (
        {
            f["indicator_id"]: {
                "id": f["indicator_id"],
                "label": "Indicator",
                "name": f"{f['indicator']} {f['value']}{f['unit'] or ''}",
                "hop": 1,
            }
            for f in figures
        },
        [
            {"src": f["indicator_id"], "dst": center_id, "type": "INDICATOR_OF", "props": {}, "evidence": []}
            for f in figures
        ],
    )
    view = explore.merge(view, more, hop=1)

named = data.named_in(k, chosen_docs) if chosen_docs else None
in_view = explore.filtered(view, set(labels), set(rel_types), named, keep)
if mode == "actor" and center_id:
    # what the filters cut off from the centre goes too (a filter hides, it does not re-walk)
    in_view = viz.neighbourhood_view(
        *in_view, center_id, set(rel_types), {n["label"] for n in in_view[0].values()}
    )
shown, shown_edges, cut = viz.cap_nodes(*in_view, cap, degree)

st.markdown(
    tr(
        f"**{len(shown)} 个节点,{len(shown_edges)} 条关系**",
        f"**{len(shown)} nodes, {len(shown_edges)} relationship{'s' if len(shown_edges) != 1 else ''}**",
    )
)
if cut:
    st.warning(
        tr(
            f"超过节点上限 {cap}:只显示 {len(shown)} / {len(in_view[0])} 个节点(较远或度数较低的 {cut} "
            "个未显示)。"
            "提高上限、按类型或文件筛选即可看到。",
            f"The node cap cut this view: showing {len(shown)} of {len(in_view[0])} nodes ({cut} farther or "
            "lower-degree nodes left out). Raise the cap or filter by type or document to see them.",
        )
    )
if not shown:
    ui.unknown(tr("所选类型和文件下没有可显示的节点。", "nothing of the chosen types and documents to show."))
    st.stop()
if len(shown) == 1 and center_id:
    ui.unknown(
        tr("这个主体周围没有所选类型的关系。", "no relationships of the selected types around this actor.")
    )

ui.legend({n["label"] for n in shown.values()})
clicked = ui.show_network(
    rendered.network_html(
        shown, shown_edges, degrees=degree, center=center_id, height=HEIGHT, edge_labels=mode == "path"
    ),
    HEIGHT,
    key=f"explore_net_{mode}",
)
st.caption(
    tr(
        "拖动移动,滚轮缩放,悬停看详情;点击节点展开它的关系。节点大小:度数。"
        "节点多时,缩小视图只标出主要节点(体系、集群、中心和度数最高者)的名称,放大即可看到其余名称。",
        "Drag to move, scroll to zoom, hover for details; click a node to expand its relationships. Node "
        "size: degree. In a crowded view zoomed out only the major nodes (systems, clusters, the centre, the "
        "best connected) are named; zoom in for the others.",
    )
)
ordered = sorted(shown.values(), key=lambda n: (n.get("hop", 0), n["name"]))
expand_col, clear_col = st.columns([3, 1])
pick = expand_col.selectbox(
    tr("展开节点(与点击节点相同)", "Expand a node (as a click does)"),
    ["", *[n["id"] for n in ordered]],
    format_func=lambda i: (
        shown[i]["name"] + " · " + i18n.label(shown[i]["label"])
        if i
        else tr("(选择一个节点)", "(choose a node)")
    ),
    key=f"explore_expand_{view_key}",
)
for node_id in (clicked, pick):
    if node_id and node_id in shown and node_id not in expanded.get(view_key, []):
        expanded.setdefault(view_key, []).append(node_id)
        st.rerun()
if expanded.get(view_key):
    clear_col.write("")
    if clear_col.button(tr("收起展开的节点", "Collapse the expanded nodes"), key="explore_collapse"):
        expanded.pop(view_key, None)
        st.rerun()
    st.caption(
        tr("已展开:", "Expanded: ")
        + i18n.joined(view[0][i]["name"] for i in expanded[view_key] if i in view[0])
    )

if mode == "path":
    st.markdown(tr("#### 路径的每一步及其原文证据", "#### Each step of the path, with its evidence"))
    titles = ui.doc_titles(k)
    for n, p in enumerate(paths, 1):
        st.markdown(f"**{tr('路径', 'Path')} {n}:** {ui.md(cells.path_text(p['path']))}")
        for i, step in enumerate(cells.path_steps(p["path"]), 1):
            arrow = f"—{step['rel']}→" if step["forward"] else f"←{step['rel']}—"
            st.markdown(f"{i}. {ui.md(step['from'])} {ui.md(arrow)} {ui.md(step['to'])}")
            ui.show_evidence(step["evidence"][:1], titles)

go_col, link_col = st.columns([2, 1])
target = go_col.selectbox(
    tr("打开主体档案", "Go to an actor's page"),
    [n["id"] for n in ordered],
    format_func=lambda i: ui.actor_option(shown[i]),
    key=f"goto_{view_key}",
)
with link_col:
    st.write("")
    ui.actor_link(shown[target], label=tr(f"打开 {shown[target]['name']}", f"Open {shown[target]['name']}"))

with st.expander(tr(f"视图中的关系({len(shown_edges)})", f"Relationships in view ({len(shown_edges)})")):
    names = {i: n["name"] for i, n in shown.items()}
    edge_rows = [
        {
            "from": names.get(e["src"], e["src"]),
            "relationship": viz.edge_description(e),
            "to": names.get(e["dst"], e["dst"]),
            "evidence": evidence.first_sentence(e["evidence"]),
        }
        for e in shown_edges
        if e["type"] not in NON_ACTOR_RELS or policy
    ]
    ui.show_table(
        edge_rows,
        ["from", "relationship", "to", "evidence"],
        "network.csv",
        key="network",
        wide=("evidence",),
    )
