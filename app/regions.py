"""The Regions page's tables, made from regions_side_by_side and indicators_side_by_side rows: pure
functions, no Streamlit.

A region is a document's home region (the Region the document names most; see the preset): what a
region's documents name is attributed to it. The side-by-side table is HTML built from escaped text,
each name a link to its actor page (where the evidence sentences are).
"""

from __future__ import annotations

import html
from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

from app.i18n import PARAM, column, lang, tr

# The columns, in order: (preset label, English header).
CATEGORIES: tuple[tuple[str, str], ...] = (
    ("IndustryCluster", "industry clusters"),
    ("IndustryChain", "industry chains"),
    ("Lab", "labs"),
    ("Platform", "platforms"),
    ("Park", "parks"),
    ("InnovationSystem", "counted systems"),
)
TARGETS = "indicator targets"
SUMMARY_COLUMNS = ["region", "documents", *[h for _, h in CATEGORIES], TARGETS]


def regions(rows: list[dict[str, Any]]) -> list[str]:
    """Home regions, the one with most documents first, then by name."""
    docs: dict[str, int] = defaultdict(int)
    for r in rows:
        docs[r["region"]] += r["label"] == "Document"
    return sorted(docs, key=lambda region: (-docs[region], region))


def by_region(rows: list[dict[str, Any]]) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """region → label → rows (in the preset's order: by name)."""
    out: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        out[r["region"]][r["label"]].append(r)
    return out


def targets_by_region(targets: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """indicators_side_by_side rows (kind target, min_regions 1) by region."""
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for t in targets:
        out[t["region"]].append(t)
    return out


def summary(
    rows: list[dict[str, Any]], targets: list[dict[str, Any]], chosen: list[str]
) -> list[dict[str, Any]]:
    """One row per region: how many documents, clusters, chains, labs, platforms, parks, counted systems,
    indicator targets."""
    grouped, aims = by_region(rows), targets_by_region(targets)
    return [
        {
            "region": region,
            "documents": len(grouped[region]["Document"]),
            **{header: len(grouped[region][lab]) for lab, header in CATEGORIES},
            TARGETS: len(aims.get(region, [])),
        }
        for region in chosen
    ]


def _link(name: str, node_id: str) -> str:
    query = urlencode({"id": node_id, PARAM: lang()})
    return f'<a href="Actor?{html.escape(query)}" target="_self">{html.escape(name)}</a>'


def _target(t: dict[str, Any]) -> str:
    from app.policy import figure

    year = f" ({t['year']})" if t["year"] is not None else ""
    return html.escape(f"{t['indicator']} {figure(t['value'], t['unit'], t['qualifier'])}{year}")


def side_by_side_html(rows: list[dict[str, Any]], targets: list[dict[str, Any]], chosen: list[str]) -> str:
    """An HTML table: a row per region (its documents under its name), a column per category; every name
    links to its actor page. Escaped throughout."""
    grouped, aims = by_region(rows), targets_by_region(targets)
    heads = [column("region"), *[column(h) for _, h in CATEGORIES], column(TARGETS)]
    out = ['<div class="ikg-regions"><table><thead><tr>']
    out += [f"<th>{html.escape(h)}</th>" for h in heads]
    out.append("</tr></thead><tbody>")
    for region in chosen:
        docs = "<br>".join(html.escape(d["name"]) for d in grouped[region]["Document"])
        out.append(f'<tr><th scope="row">{html.escape(region)}<div class="ikg-docs">{docs}</div></th>')
        for lab, _ in CATEGORIES:
            items = grouped[region][lab]
            if items:
                chips = "".join(f"<li>{_link(r['name'], r['id'])}</li>" for r in items)
                out.append(f'<td><span class="ikg-n">{len(items)}</span><ul>{chips}</ul></td>')
            else:
                out.append(f'<td class="ikg-none">{html.escape(tr("未提及", "none named"))}</td>')
        aims_here = aims.get(region, [])
        if aims_here:
            chips = "".join(f"<li>{_target(t)}</li>" for t in aims_here)
            out.append(f'<td><span class="ikg-n">{len(aims_here)}</span><ul>{chips}</ul></td>')
        else:
            out.append(f'<td class="ikg-none">{html.escape(tr("未提及", "none named"))}</td>')
        out.append("</tr>")
    out.append("</tbody></table></div>")
    return STYLE + "".join(out)


STYLE = """<style>
.ikg-regions { max-height: 900px; overflow: auto; border: 1px solid #ddd; }
.ikg-regions table { border-collapse: collapse; font-size: 14px; min-width: 100%; }
.ikg-regions th, .ikg-regions td { border: 1px solid #e4e4e4; padding: 4px 6px;
  vertical-align: top; text-align: left; }
.ikg-regions thead th { position: sticky; top: 0; background: #f4f4f4; z-index: 1; }
.ikg-regions tbody th { position: sticky; left: 0; background: #fafafa; min-width: 7em; }
.ikg-regions ul { margin: 2px 0 0 0; padding-left: 1.1em; max-height: 14em; overflow: auto; }
.ikg-regions li { margin: 0; }
.ikg-regions .ikg-n { font-weight: bold; }
.ikg-regions .ikg-none { color: #999; }
.ikg-regions .ikg-docs { font-weight: normal; color: #777; font-size: 12px; }
</style>"""
