"""A table as a PNG image (matplotlib, Agg), for pasting into a report: Chinese needs a CJK font.

PNG rather than SVG or HTML: a planner's report is a Word or WPS document, and both take a PNG as it
is, where an SVG keeps its text as text and shows boxes on a machine without the font. The font is
found among those installed (Debian's fonts-wqy-microhei, which .ci/run installs, or Noto/Source Han
CJK, or the usual Windows and macOS ones); without one there is no image, and the page says why.
"""

from __future__ import annotations

import functools
import io
import textwrap

CJK_FAMILIES = (
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
)
HEAD_CHARS = 6  # characters per line in a header (actor names run long); longer ones wrap
CELL_CHARS = 12
CHAR_IN = 0.15  # inches per CJK character at 10 pt
LINE_IN = 0.24  # inches per line of text


@functools.cache
def cjk_font() -> str | None:
    """The file of an installed font that draws Chinese, or None."""
    from matplotlib import font_manager

    by_name = {f.name: f.fname for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in by_name:
            return by_name[family]
    return None


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(str(text), width)) or ""


def table_png(title: str, header: list[str], rows: list[list[str]], marked: set[int] = frozenset()) -> bytes:
    """The table as PNG bytes; rows whose index is in `marked` drawn on red. Raises LookupError without a
    CJK font (the caller says so instead of offering the image)."""
    path = cjk_font()
    if path is None:
        raise LookupError("no CJK font installed (e.g. apt-get install fonts-wqy-microhei)")
    from matplotlib import font_manager
    from matplotlib.figure import Figure  # not pyplot: its global state is not for concurrent sessions

    font = font_manager.FontProperties(fname=path, size=10)
    heads = [_wrap(h, HEAD_CHARS if i else CELL_CHARS) for i, h in enumerate(header)]
    cells = [[_wrap(c, CELL_CHARS) for c in row] for row in rows] or [[""] * len(header)]
    table_rows = [heads, *cells]
    widths = [
        CHAR_IN * max(2, *(max(len(line) for line in row[c].split("\n")) for row in table_rows)) + 0.3
        for c in range(len(header))
    ]
    heights = [LINE_IN * max(c.count("\n") + 1 for c in row) + 0.08 for row in table_rows]
    fig_w, body_h, title_h = sum(widths), sum(heights), 0.5
    fig = Figure(figsize=(max(fig_w, 4.0), body_h + title_h), dpi=150)
    ax = fig.add_axes((0, 0, min(1.0, fig_w / max(fig_w, 4.0)), body_h / (body_h + title_h)))
    ax.axis("off")
    fig.text(
        0.0,
        1 - 0.35 * title_h / (body_h + title_h),
        title,
        fontproperties=font_manager.FontProperties(fname=path, size=13),
    )
    table = ax.table(
        cellText=cells,
        colLabels=heads,
        colWidths=[w / fig_w for w in widths],
        cellLoc="center",
        bbox=(0, 0, 1, 1),
    )
    table.auto_set_font_size(False)
    for (r, c), cell in table.get_celld().items():
        cell.set_text_props(fontproperties=font, ha="left" if c == 0 else "center")
        cell.set_height(heights[r] / body_h)
        if r == 0:
            cell.set_facecolor("#eeeeee")
        elif r - 1 in marked:
            cell.set_facecolor("#f8d7da")
    out = io.BytesIO()
    fig.savefig(out, format="png", bbox_inches="tight", pad_inches=0.15)
    return out.getvalue()
