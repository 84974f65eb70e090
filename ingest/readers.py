"""Read .txt/.md/.html/.docx/.pdf files into `Document`s with normalised text.

Every failure a user can cause (missing file, wrong type, binary junk, corrupt DOCX/PDF, a file
over the size limit) raises `ReadError`, whose message is one line naming the file and the problem.
"""

from __future__ import annotations

import io
import logging
import re
from html.parser import HTMLParser
from pathlib import Path

from ingest.decode import Decoded, Undecodable, decode
from ingest.normalize import Normalized, normalize, strip_controls
from ingest.records import Document, TextDamage

log = logging.getLogger(__name__)

# The one place the per-document size limit is set: `ikg extract` / `ikg build --max-mb` default to
# it. A plan is tens of kilobytes to a few megabytes; a bigger file is a mistake (an archive, a
# dump), and extraction time and memory grow with the text.
DEFAULT_MAX_MB = 10.0
MB = 1 << 20  # sizes are reported in MiB, written "MB"

FORMATS: dict[str, str] = {
    "": "txt",
    ".txt": "txt",
    ".md": "md",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
    ".pdf": "pdf",
}

BINARY = "binary or undecodable file (not text)"
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)

_HEAD_LINES = 15
_TAIL_LINES = 5  # notices put the issuer and date under the text
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0}
_DATE_LINE = re.compile(
    r"^([\d〇零○一二三四五六七八九]{4})\s*年\s*([\d一二三四五六七八九十]{1,3})\s*月"
    r"\s*([\d一二三四五六七八九十]{1,3})\s*日$|^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"
)
# A standalone agency name. 局 alone would also end 布局/格局/大局, which are common headings.
_ISSUER_LINE = re.compile(
    r"^[\u4e00-\u9fff]{2,24}(?:人民政府|办公室|办公厅|委员会|管委会|[^布格大全开结当时新破棋]局)$"
)
# A 关于… title is complete when it ends with the kind of document; otherwise a short next
# line ending with a document type finishes it (关于印发某某 / 规划的通知).
_TITLE_DONE = re.compile(r"(?:通知|意见|决定|批复|报告|请示|公告|通告|函)$")
_DOC_TYPE_END = re.compile(r"(?:通知|意见|规划|方案|办法|决定|批复|报告|函|细则|纲要|计划|措施)$")
_TITLE_TAIL_MAX = 15
_TITLE_MAX = 80


class ReadError(Exception):
    """A file that cannot be read, with a message a user can act on."""

    def __init__(self, path: str | Path, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


def iter_paths(paths: list[str | Path]) -> list[Path]:
    """Files named in ``paths``, with folders expanded recursively (sorted, hidden files skipped)."""
    out: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                rel = found.relative_to(path).parts
                if found.is_file() and not any(p.startswith((".", "~$")) for p in rel):
                    out.append(found)
        elif path.is_file():
            out.append(path)
        else:
            raise ReadError(path, "no such file or directory")
    return list(dict.fromkeys(out))


def file_format(path: str | Path) -> str:
    """The reader for ``path`` by its suffix ("txt", "html", ...), or ReadError for another type."""
    path = Path(path)
    suffix = path.suffix.lower()
    fmt = FORMATS.get(suffix)
    if fmt is None:
        raise ReadError(path, f"unsupported file type '{suffix}' (use .txt, .html, .docx or .pdf)")
    return fmt


def read_file(path: str | Path, max_mb: float | None = DEFAULT_MAX_MB) -> bytes:
    """The bytes of a supported file no larger than ``max_mb`` (None: no limit).

    A file over the limit is refused from its size alone, before anything is read.
    """
    path = Path(path)
    file_format(path)
    limit = None if max_mb is None else int(max_mb * MB)
    try:
        if limit is not None and (size := path.stat().st_size) > limit:
            raise ReadError(path, _over_limit(size, max_mb))
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(path, f"cannot read file: {_os_reason(exc)}") from exc
    if limit is not None and len(data) > limit:  # grew since stat
        raise ReadError(path, _over_limit(len(data), max_mb))
    return data


def _over_limit(size: int, max_mb: float | None) -> str:
    amount = f"{size / MB:.1f} MB" if size >= MB // 10 else f"{size / 1024:.1f} KB"
    return f"{amount} is over the {max_mb:g} MB limit (raise it with --max-mb)"


def max_chars(max_mb: float | None) -> int | None:
    """The longest stored text allowed with a size limit: as many characters as the limit has bytes."""
    return None if max_mb is None else int(max_mb * MB)


def read_document(
    path: str | Path, *, max_mb: float | None = DEFAULT_MAX_MB, data: bytes | None = None
) -> Document:
    """Read and normalise one file. ``data``: its bytes when already read (by `read_file`).

    The size limit applies to the file and to the text read from it: a compressed format
    (.docx, .pdf) can hold far more text than its size suggests.
    """
    path = Path(path)
    fmt = file_format(path)
    if data is None:
        data = read_file(path, max_mb)
    decoded: Decoded | None = None  # for the formats read as text: how their bytes decoded
    page_controls: tuple[int, int | None] = (0, None)  # removed from an HTML page before parsing
    title = ""
    meta: dict[str, str] = {}
    if fmt in ("txt", "md"):
        decoded = decode_bytes(path, data)
        raw = decoded.text
    elif fmt == "html":
        declared = _META_CHARSET.search(data[:4096])
        decoded = decode_bytes(path, data, declared.group(1).decode("ascii") if declared else None)
        page, removed, first = strip_controls(decoded.text)  # the HTML parsers would drop them unseen
        page_controls = (removed, first)
        raw, title, meta = _html_text(path, page)
    elif fmt == "docx":
        raw, title = _docx_text(path, data)
    else:
        raw = _pdf_text(path, data)

    limit = max_chars(max_mb)
    if limit is not None and len(raw) > limit:
        raise ReadError(
            path, f"{len(raw):,} characters of text is over the {max_mb:g} MB limit (raise it with --max-mb)"
        )
    norm = normalize(raw, join_lines=fmt == "pdf")
    if not norm.text:
        raise ReadError(path, "empty document")
    meta = norm.meta | meta
    lines = norm.text.split("\n")
    guessed = guess_meta(lines)
    encoding = decoded.encoding if decoded else ""
    doc = Document(
        path=str(path),
        name=path.name,
        text=norm.text,
        title=title or guess_title(lines),
        issuer=meta.get("issuer") or guessed.get("issuer", ""),
        date=meta.get("date") or guessed.get("date", ""),
        fmt=fmt,
        encoding=encoding,
        offset_map=norm.offset_map,
        damage=_damage(decoded, norm, page_controls),
    )
    log.debug("read %s: %s, %s, %d chars", path, fmt, encoding or "-", len(doc.text))
    return doc


def _damage(
    decoded: Decoded | None, norm: Normalized, page_controls: tuple[int, int | None]
) -> TextDamage | None:
    """What reading the document repaired, or None when nothing was."""
    removed, first = page_controls
    damage = TextDamage(
        encoding=decoded.encoding if decoded else "",
        bad_bytes=decoded.bad_bytes if decoded else 0,
        first_bad_byte=decoded.first_bad if decoded else None,
        cut_bytes=decoded.cut_bytes if decoded else 0,
        controls=removed + norm.controls,
        first_control=first if removed else norm.first_control,
    )
    return damage or None


def _os_reason(exc: OSError) -> str:
    if exc.strerror:
        return exc.strerror[0].lower() + exc.strerror[1:]
    for kind, reason in (
        (PermissionError, "permission denied"),
        (FileNotFoundError, "no such file or directory"),
        (IsADirectoryError, "is a directory"),
    ):
        if isinstance(exc, kind):
            return reason
    return str(exc) or type(exc).__name__


# --- plain text --------------------------------------------------------------------------


def decode_bytes(path: str | Path, data: bytes, declared: str | None = None) -> Decoded:
    """The text in file bytes, damaged bytes replaced (see ingest/decode.py); ReadError when binary."""
    if not data.strip():
        raise ReadError(path, "empty document")
    try:
        return decode(data, declared)
    except Undecodable:
        raise ReadError(path, BINARY) from None


# --- HTML ---------------------------------------------------------------------------------


class _TextParser(HTMLParser):
    """Visible text of a page, one block element per line; also the <title> and first <h1>."""

    BLOCKS = frozenset(
        {
            "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
            "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
            "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
        }
    )  # fmt: skip
    HIDDEN = frozenset({"script", "style", "noscript", "template", "head"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self.h1 = ""
        self._hidden = 0
        self._in: str | None = None  # "title" or "h1" while inside one

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self._hidden += 1
        if tag == "title" or (tag == "h1" and not self.h1):
            self._in = tag
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        if tag == self._in:
            self._in = None
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title += data
        elif self._in == "h1":
            self.h1 += data
        if not self._hidden:
            self.parts.append(data)

    def text(self) -> str:
        return "".join(self.parts)


def _html_text(path: Path, html: str) -> tuple[str, str, dict[str, str]]:
    """(article text, title, metadata harvested from the whole page)."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    page_text = parser.text()
    # The info bar (信息来源/发布时间) is usually outside what trafilatura keeps, so harvest
    # metadata from the whole page.
    meta = normalize(page_text).meta

    import trafilatura  # slow to import; only needed for HTML

    article = trafilatura.extract(html, include_comments=False, include_tables=True, favor_recall=True)
    if not article or not article.strip():
        log.debug("%s: trafilatura found no article, using all page text", path)
        article = page_text
    title = _clean_title(parser.title) or " ".join(parser.h1.split())
    return article, title, meta


def _clean_title(title: str) -> str:
    """Drop the site name government pages append: 某某规划_青川市人民政府 → 某某规划."""
    title = " ".join(title.split())
    head = re.split(r"\s*(?:_|\||｜| - | — )\s*", title)[0]
    return head if len(head) >= 4 else title


# --- DOCX and PDF --------------------------------------------------------------------------


def _docx_text(path: Path, data: bytes) -> tuple[str, str]:
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises zip, XML and package errors alike
        raise ReadError(path, f"not a valid DOCX file: {exc}") from exc
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            seen: set[object] = set()  # holding the elements keeps their lxml proxies stable
            for row in block.rows:
                for cell in row.cells:
                    if cell._tc not in seen:  # a merged cell is returned once per grid column
                        seen.add(cell._tc)
                        lines.append(cell.text)
        else:
            lines.append(block.text)
    return "\n".join(lines), (document.core_properties.title or "").strip()


def _pdf_text(path: Path, data: bytes) -> str:
    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [page.extract_text() or "" for page in pdf.pages]
    except Exception as exc:  # pdfminer raises many unrelated types for damaged files
        raise ReadError(path, f"not a valid PDF file: {exc or type(exc).__name__}") from exc
    if not any(p.strip() for p in pages):
        raise ReadError(path, "no extractable text in PDF (a scanned image? run OCR first)")
    return "\n".join(pages)


# --- metadata from the text itself ---------------------------------------------------------


def guess_meta(lines: list[str]) -> dict[str, str]:
    """Issuer and date from a standalone agency line / date line near the top or bottom."""
    meta: dict[str, str] = {}
    for line in lines[:_HEAD_LINES] + lines[-_TAIL_LINES:]:
        if "issuer" not in meta and _ISSUER_LINE.match(line):
            meta["issuer"] = line
        elif "date" not in meta and (date := parse_date_line(line)):
            meta["date"] = date
    return meta


def parse_date_line(line: str) -> str:
    """'2022年1月27日' / '二〇二二年一月二十七日' / '2022-01-27' → '2022-01-27'; else ''."""
    m = _DATE_LINE.match(line.strip())
    if not m:
        return ""
    year, month, day = m.groups()[:3] if m.group(1) else m.groups()[3:]
    try:
        y, mo, d = int("".join(str(_CN_DIGITS.get(c, c)) for c in year)), _cn_int(month), _cn_int(day)
    except (KeyError, ValueError):
        return ""
    return f"{y:04d}-{mo:02d}-{d:02d}" if 1 <= mo <= 12 and 1 <= d <= 31 else ""


def _cn_int(s: str) -> int:
    """'27' / '二十七' / '十二' / '十' → int."""
    if s.isdigit():
        return int(s)
    if "十" not in s:
        return _CN_DIGITS[s]
    tens, _, ones = s.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def guess_title(lines: list[str]) -> str:
    """First line, skipping an issuer/date header and re-joining a 关于… title wrapped in two."""
    rest = [line for line in lines[:_HEAD_LINES] if line]
    while len(rest) > 1 and (_ISSUER_LINE.match(rest[0]) or parse_date_line(rest[0])):
        rest = rest[1:]
    if not rest:
        return ""
    title = rest[0].lstrip("#").strip()  # a markdown copy's heading marker is no part of it
    if (
        len(rest) > 1
        and title.startswith("关于")
        and not _TITLE_DONE.search(title)
        and len(rest[1]) <= _TITLE_TAIL_MAX
        and _DOC_TYPE_END.search(rest[1])
    ):
        title += rest[1]
    return title if len(title) <= _TITLE_MAX else title[: _TITLE_MAX - 1] + "…"
