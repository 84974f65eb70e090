"""The Policy page's tables, made from preset rows (queries/presets/): pure functions, no Streamlit.

The page (app/views/6_Policy.py) and its tests share them, so what the page shows can be checked
against what the presets return. Figures are written the way the documents state them: the
qualifier's sign, the number, the unit (">100家", "约75%").
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from app.i18n import tr
from graph.indicators import QUALIFIER_SIGNS

STATUSES = ("met", "behind", "no data")
STATUS_MARKS = {
    "met": ("✓ 已达标", "✓ met"),
    "behind": ("✗ 未达标", "✗ behind"),
    "no data": ("– 无数据", "– no data"),
}
STATUS_COLOURS = {"met": "#d4edda", "behind": "#f8d7da", "no data": "#eeeeee"}
TARGET_COLUMNS = [
    "status",
    "indicator",
    "target",
    "target year",
    "latest reported",
    "reported year",
    "gap",
    "gap unit",
    "key",
    "target documents",
    "reported documents",
]
MEASURE_COLUMNS = ["agency", "no.", "measure", "awards", "responsible agencies"]
AWARD_COLUMNS = [
    "award kind",
    "role",
    "amount (万元)",
    "fixed or cap",
    "grant",
    "no.",
    "measure",
    "responsible agencies",
]


def number(value: Any) -> str:
    """12.0 → "12", 2.46 → "2.46", 1300000.0 → "1300000" (no exponent); None → ""."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if float(value).is_integer():
        return str(int(value))
    return f"{round(float(value), 6):f}".rstrip("0").rstrip(".")


def figure(value: Any, unit: Any = "", qualifier: Any = "") -> str:
    """A figure as stated: the qualifier's sign, the number, the unit; "" when there is no value."""
    if value is None:
        return ""
    return f"{QUALIFIER_SIGNS.get(str(qualifier or ''), '')}{number(value)}{unit or ''}"


def signed(value: Any) -> str:
    """A gap with its sign: +200, -0.34; "" for none."""
    if value is None:
        return ""
    text = number(value)
    return text if text.startswith("-") or float(value) == 0 else f"+{text}"


def year(value: Any) -> str:
    """A year as text ("" when there is none: a table cell, not a gap)."""
    return "" if value is None else str(value)


def mark(status: str) -> str:
    return tr(*STATUS_MARKS[status]) if status in STATUS_MARKS else status


def status_of(cell: str) -> str:
    """The status behind a marked cell ("✓ met" → "met")."""
    for status, marked in STATUS_MARKS.items():
        if cell in marked:
            return status
    return cell


def status_style(cell: Any) -> str:
    """CSS for a status cell: green met, red behind, grey no data."""
    colour = STATUS_COLOURS.get(status_of(str(cell)))
    return f"background-color: {colour}; color: #111" if colour else ""


def status_counts(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """indicator_targets rows (every place) → per place: targets, met, behind, no data."""
    per_region: dict[str, Counter[str]] = defaultdict(Counter)
    for r in records:
        per_region[r["region"]][r["status"]] += 1
    return [
        {"place": region, "targets": sum(c.values()), **{s: c.get(s, 0) for s in STATUSES}}
        for region, c in sorted(per_region.items())
    ]


def targets_table(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """indicator_targets rows → the targets table: status marked, figures as stated, documents joined."""
    return [
        {
            "status": mark(r["status"]),
            "indicator": r["indicator"],
            "target": figure(r["target"], r["unit"], r["qualifier"]),
            "target year": year(r["target_year"]),
            "latest reported": figure(r["reported"], r["reported_unit"], r["reported_qualifier"]),
            "reported year": year(r["reported_year"]),
            "gap": signed(r["gap"]),
            "gap unit": r["gap_unit"] if r["gap"] is not None else "",
            "key": r["key"],
            "target documents": "、".join(sorted(r["target_docs"] or [])),
            "reported documents": "、".join(sorted(r["reported_docs"] or [])),
        }
        for r in records
    ]


def side_by_side(
    records: list[dict[str, Any]], regions: list[str] | None = None
) -> tuple[list[str], list[dict[str, Any]]]:
    """indicators_side_by_side rows (long form) → one row per indicator, one column per place.

    A cell is the figure as stated with its year ("2.8% (2025)"); two figures of one place in that year
    are joined. With two or more places chosen, only indicators two or more of them have are kept.
    `highest` names the place with the largest value in the base unit (the same for every place).
    """
    places = list(regions) if regions is not None else sorted({r["region"] for r in records})
    cells: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    best: dict[str, dict[str, float]] = defaultdict(dict)
    label: dict[str, str] = {}
    for r in records:
        if r["region"] not in places:
            continue
        key = r["key"]
        label.setdefault(key, r["indicator"])
        text = figure(r["value"], r["unit"], r["qualifier"])
        if r["year"] is not None:
            text += f" ({r['year']})"
        cells[key][r["region"]].append(text)
        if r["value_base"] is not None:
            best[key][r["region"]] = max(best[key].get(r["region"], float("-inf")), float(r["value_base"]))
    need = 2 if len(places) >= 2 else 1
    rows = []
    for key in sorted(cells):
        if len(cells[key]) < need:
            continue
        row: dict[str, Any] = {"indicator": label[key], "key": key}
        for place in places:
            row[place] = "、".join(cells[key].get(place, []))
        values = best[key]
        top = max(values.values()) if values else None
        row["highest"] = "、".join(p for p in places if values.get(p) == top) if len(values) >= 2 else ""
        rows.append(row)
    return ["indicator", "key", *places, "highest"], rows


def award_text(award: dict[str, Any]) -> str:
    """One award of a Measure's `awards` JSON: 'what: [最高]N万元 奖励/补助'."""
    amount = award.get("amount_wan")
    money = f"{'最高' if award.get('cap') else ''}{number(amount)}万元" if amount is not None else ""
    what = str(award.get("for") or "").strip()
    text = " ".join(p for p in (money, str(award.get("kind") or "")) if p)
    return f"{what}: {text}" if what else text


def measures_table(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """measures_by_agency rows → agency, measure number and title, its awards, every responsible agency."""
    return [
        {
            "agency": r["agency"],
            "no.": r["number"],
            "measure": r["measure"],
            "awards": "; ".join(award_text(a) for a in r["awards"] or [] if isinstance(a, dict)),
            "responsible agencies": "、".join(sorted(r["agencies"] or [])),
        }
        for r in records
    ]


def awards_table(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """awards_by_kind rows → kind, measure, amount (万元), fixed or up to, 奖励/补助, role, agencies."""
    return [
        {
            "award kind": r["award_kind"],
            "role": r["role"] or "",
            "amount (万元)": r["amount_wan"],
            "fixed or cap": tr("最高(上限)", "up to (最高)") if r["cap"] else tr("定额", "fixed"),
            "grant": r["grant"],
            "no.": r["number"],
            "measure": r["measure"],
            "responsible agencies": "、".join(sorted(r["agencies"] or [])),
        }
        for r in records
    ]
