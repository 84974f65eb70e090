"""Networks as self-contained pyvis HTML: colours from graph.schema, size by degree, names of types and
relationships in the current language (app/i18n.py), escaped tooltips, labels of 16 px.

- Nothing is fetched at render time: pyvis inlines vis-network (`cdn_resources="in_line"`) and the
  Bootstrap links its template always adds (cdn.jsdelivr.net) are removed; `network_html` refuses
  to return HTML that still points at the network.
- Tooltips are HTML built here from escaped text (`html.escape` on every name, alias and value),
  turned into DOM elements in the page; vis-network would print a plain string verbatim.
- A click on a node posts its id to the app page (`{ikg: "expand", id}`), where the network component
  (app/ui.py `show_network`) hands it to Python: the page then expands that node's neighbourhood.
- Node labels are drawn on the canvas by vis-network (text, never parsed as HTML), so they carry
  the raw name: escaping them would print `&lt;`. They reach the page inside JSON that Jinja's
  `tojson` writes with `<`, `>`, `&` and `'` as \\u escapes, so no name can close the <script>.
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections import defaultdict
from typing import Any

from jinja2 import Environment, FileSystemLoader
from pyvis.network import Network

from app import evidence, i18n
from app.i18n import tr
from graph.schema import COLORS, REL_SPECS

LABEL_MAX = 16  # characters of a name shown on the canvas; the tooltip has the full name
FONT_PX = 16  # node labels: readable at the default zoom (edge labels: EDGE_FONT_PX)
EDGE_FONT_PX = 14
CROWD = 40  # more nodes than this, zoomed out below ZOOM_IN: only the major nodes keep their names
ZOOM_IN = 0.8
MAJOR_LABELS = frozenset({"InnovationSystem", "IndustryCluster"})
MAJOR_TOP = 25  # the best-connected nodes of a view are major too
_EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)
_REMOTE_TAGS = re.compile(
    r"""<link\b[^>]*href\s*=\s*["']https?://[^>]*>|<script\b[^>]*src\s*=\s*["']https?://[^>]*>\s*</script>""",
    re.IGNORECASE | re.DOTALL,
)
_EMPTY_HEADING = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>", re.DOTALL)

# Runs after pyvis' drawGraph(): tooltips (escaped HTML strings) → elements; physics off once stable.
_AFTER_DRAW = """
<script>
(function () {
  document.body.setAttribute("data-ikg-font", "%(node_px)d");
  function element(markup) { var d = document.createElement("div"); d.className = "ikg-tip";
    d.innerHTML = markup; return d; }
  function convert(set) {
    var updates = [];
    set.forEach(function (item) {
      if (typeof item.title === "string") { updates.push({id: item.id, title: element(item.title)}); }
    });
    set.update(updates);
  }
  convert(nodes); convert(edges);
  // Labels keep their size on the screen at any zoom (a view fitted to 150 nodes is zoomed out). In a
  // crowded view zoomed out, only the major nodes (systems, clusters, the centre, the best connected) are
  // named; the others' names come back on zooming in, and every name is on hover.
  var nodeFont = %(node_px)d, edgeFont = %(edge_px)d, lastScale = 1, quiet = null;
  var minor = nodes.get({filter: function (n) { return !n.ikg_major; }}).map(function (n) { return n.id; });
  function readable() {
    var scale = network.getScale();
    if (!scale || Math.abs(scale - lastScale) < 0.02) { return; }
    lastScale = scale;
    var k = Math.max(1, 1 / scale);
    network.setOptions({nodes: {font: {size: nodeFont * k}}, edges: {font: {size: edgeFont * k}}});
    var crowded = nodes.length > %(crowd)d && scale < %(zoom_in)s;
    if (crowded !== quiet) {
      quiet = crowded;
      nodes.update(minor.map(function (id) {
        return {id: id, font: {color: crowded ? "rgba(0,0,0,0)" : "#343434"}};
      }));
    }
    document.body.setAttribute("data-ikg-font", String(nodeFont * k * scale));
  }
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({physics: false});
    readable();
  });
  network.on("zoom", readable);
  network.on("afterDrawing", function () {
    if (Math.abs(network.getScale() - lastScale) >= 0.02) { readable(); }
  });
  network.on("click", function (params) {
    if (params.nodes.length === 1 && window.parent !== window) {
      window.parent.postMessage({ikg: "expand", id: String(params.nodes[0])}, "*");
    }
  });
  document.body.setAttribute("data-ikg-nodes", String(nodes.length));
})();
</script>
<style>
  .ikg-tip { font: 14px/1.4 sans-serif; max-width: 360px; white-space: normal; }
  body { margin: 0; }
  #mynetwork { float: none !important; border: none !important; }
</style>
"""

_OPTIONS = {
    "nodes": {"shape": "dot", "font": {"size": FONT_PX, "face": "sans-serif"}, "borderWidth": 1},
    "edges": {
        "smooth": False,
        "color": {"inherit": False},
        "font": {"size": EDGE_FONT_PX, "align": "middle"},
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
    },
    "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False},
    "physics": {
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 110, "avoidOverlap": 0.4},
        "stabilization": {"enabled": True, "iterations": 250, "fit": True},
    },
}


def short(name: str, limit: int = LABEL_MAX) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def node_tooltip(node: dict[str, Any], degree: int | None = None) -> str:
    """Escaped HTML: name, type, aliases, region, degree."""
    parts = [f"<b>{html.escape(node['name'])}</b>", html.escape(i18n.label(node.get("label") or ""))]
    aliases = [a for a in node.get("aliases") or [] if a != node["name"]]
    if aliases:
        parts.append(tr("别名:", "aliases: ") + html.escape("、".join(aliases)))
    if node.get("region"):
        parts.append(tr("区域:", "region: ") + html.escape(str(node["region"])))
    if degree is not None:
        parts.append(tr(f"度数:{int(degree)}", f"degree: {int(degree)}"))
    parts.append(tr("点击:展开它的关系", "click: expand its relationships"))
    return "<br>".join(parts)


def props_text(props: dict[str, Any]) -> str:
    """A relationship's role in a counted system, its position in a chain, other properties."""
    extra = []
    if props.get("role") is not None:
        extra.append(tr(f"角色 {props['role']}", f"role {props['role']}"))
    if props.get("ord") is not None:
        extra.append(tr(f"第 {props['ord']} 环", f"position {props['ord']}"))
    extra += [f"{k}={v}" for k, v in sorted(props.items()) if k not in ("role", "ord")]
    return ", ".join(extra)


def edge_description(edge: dict[str, Any]) -> str:
    """The relationship's name, with its role or position."""
    extra = props_text(edge.get("props") or {})
    name = i18n.rel(edge["type"])
    return f"{name} ({extra})" if extra else name


def _first_sentence(edge: dict[str, Any], limit: int = 80) -> str:
    """`<br>` + the edge's first evidence sentence, escaped and shortened; empty without evidence."""
    sentence = evidence.first_sentence(edge.get("evidence"))
    return "<br>" + html.escape(short(sentence, limit)) if sentence else ""


def network_html(
    nodes: dict[str, dict[str, Any]],
    edges: list[dict[str, Any]],
    *,
    degrees: dict[str, int] | None = None,
    center: str | None = None,
    height: int = 600,
    edge_labels: bool = False,
) -> str:
    """A self-contained HTML page drawing the nodes (id → node_info) and edges (rel_info)."""
    degrees = degrees or {}
    top = set(sorted(nodes, key=lambda i: (-degrees.get(i, 0), i))[:MAJOR_TOP])
    joined = {e["src"] for e in edges} | {e["dst"] for e in edges}  # a lone cluster is no landmark
    net = Network(
        height=f"{height}px", width="100%", directed=True, cdn_resources="in_line", bgcolor="#ffffff"
    )
    net.templateEnv = _templates(net.template_dir)
    for node_id, node in nodes.items():
        degree = degrees.get(node_id, 0)
        color = COLORS.get(node.get("label") or "", "#000000")
        options: dict[str, Any] = {
            "label": short(node["name"]),
            "title": node_tooltip(node, degree),
            "color": {"background": color, "border": "#333333" if node_id == center else color},
            "size": round(10 + 5 * degree**0.5, 1),
            # Not drawn: the full name and type, for whoever reads the node data (tests, debugging).
            "ikg_name": node["name"],
            "ikg_label": node.get("label") or "",
            "ikg_major": node_id == center
            or node_id in top
            or (node.get("label") in MAJOR_LABELS and node_id in joined),
        }
        if node_id == center:
            options.update(borderWidth=4)
        net.add_node(node_id, **options)

    # One drawn edge per ordered pair; several relationships between the same ends share it.
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for edge in edges:
        if edge["src"] in nodes and edge["dst"] in nodes:
            grouped[(edge["src"], edge["dst"])].append(edge)
    for (src, dst), group in grouped.items():
        types = sorted({e["type"] for e in group})
        known = [t for t in types if t in REL_SPECS]
        undirected = bool(known) and all(REL_SPECS[t].undirected for t in known)
        descriptions = [f"<b>{html.escape(edge_description(e))}</b>{_first_sentence(e)}" for e in group]
        options = {
            "title": "<br>".join(descriptions),
            "color": "#d62728" if types == ["LACKS"] else ("#333333" if highlighted(group) else "#9a9a9a"),
            "dashes": types == ["LACKS"],
            "width": 4 if highlighted(group) else 1 + min(len(group), 4) * 0.5,
        }
        if undirected:
            options["arrows"] = {"to": {"enabled": False}}
        if edge_labels:  # an edge's own "label" wins (HAS_LINK: its position), else its type
            text = " / ".join(str(e["label"]) if "label" in e else edge_description(e) for e in group)
            if text.strip(" /"):
                options["label"] = text
        net.edges.append({"from": src, "to": dst, **options})

    net.set_options(json.dumps(_OPTIONS))
    return self_contained(net.generate_html(notebook=False))


@functools.cache
def _templates(folder: str) -> Environment:
    """One Jinja environment for every network: pyvis makes one per network, and so parses its template
    (with vis-network inlined, ~0.1 s) every time; an environment keeps what it parsed."""
    return Environment(loader=FileSystemLoader(folder))


def self_contained(page: str) -> str:
    """Remove pyvis' remote links and empty heading; add the tooltip/physics script."""
    page = _REMOTE_TAGS.sub("", page)
    page = _EMPTY_HEADING.sub("", page)
    after = _AFTER_DRAW % {"node_px": FONT_PX, "edge_px": EDGE_FONT_PX, "crowd": CROWD, "zoom_in": ZOOM_IN}
    page = page.replace("</body>", after + "</body>", 1)
    if _EXTERNAL.search(page):
        raise ValueError("network HTML still references a remote resource")
    return page


def neighbourhood_view(
    nodes: dict[str, dict[str, Any]],
    edges: list[dict[str, Any]],
    center: str,
    rel_types: set[str],
    labels: set[str],
) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """What to draw of a neighbourhood: edges of the chosen types between nodes of the chosen labels,
    and the nodes still joined to the centre through them (a filter hides, it does not re-walk)."""
    kept = {i for i, n in nodes.items() if i == center or n.get("label") in labels}
    shown_edges = [e for e in edges if e["type"] in rel_types and e["src"] in kept and e["dst"] in kept]
    links: dict[str, set[str]] = defaultdict(set)
    for e in shown_edges:
        links[e["src"]].add(e["dst"])
        links[e["dst"]].add(e["src"])
    reached, frontier = {center}, [center]
    while frontier:
        frontier = [n for f in frontier for n in links[f] if n not in reached]
        reached.update(frontier)
    shown = {i: n for i, n in nodes.items() if i in reached}
    return shown, [e for e in shown_edges if e["src"] in reached and e["dst"] in reached]


def cap_nodes(
    nodes: dict[str, dict[str, Any]], edges: list[dict[str, Any]], cap: int, degrees: dict[str, int]
) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]], int]:
    """At most `cap` nodes: nearest hops first, then the highest degree. (nodes, edges, how many cut)."""
    if len(nodes) <= cap:
        return nodes, edges, 0
    order = sorted(nodes.values(), key=lambda n: (n.get("hop", 0), -degrees.get(n["id"], 0), n["name"]))
    keep = {n["id"] for n in order[:cap]}
    kept_edges = [e for e in edges if e["src"] in keep and e["dst"] in keep]
    return {i: n for i, n in nodes.items() if i in keep}, kept_edges, len(nodes) - cap


def legend_html(labels: list[str] | set[str]) -> str:
    """Colour chips for the given labels, in schema order (COLORS is trusted; labels are escaped)."""
    chips = []
    for label in COLORS:
        if label not in labels:
            continue
        chips.append(
            '<span style="display:inline-block;margin:0 12px 4px 0;white-space:nowrap">'
            f'<span style="display:inline-block;width:12px;height:12px;border-radius:6px;'
            f'background:{COLORS[label]};margin-right:4px;vertical-align:middle"></span>'
            f"{html.escape(i18n.label(label))}</span>"
        )
    return '<div class="ikg-legend">' + "".join(chips) + "</div>"


def highlighted(group: list[dict[str, Any]]) -> bool:
    """An edge drawn bold: a step of a path the page shows."""
    return any(e.get("highlight") for e in group)
