"""Readers and normalisation: encodings, formats, page debris, offsets, and the real corpus."""

from __future__ import annotations

import os
import random
import shutil
import tempfile
from pathlib import Path

import pytest

from ingest.normalize import Normalized, normalize, normalize_char, strip_debris
from ingest.readers import ReadError, iter_paths, parse_date_line, read_document
from ingest.records import TextDamage

RAW_DIR = Path(__file__).resolve().parents[1] / "data" / "raw"
RAW_FILES = sorted(RAW_DIR.glob("*.txt"))

ARTICLE = (
    "青川市“十四五”科技创新规划\n"
    "一、发展基础\n"
    "青川市人民政府支持哈尔滨工业大学(青川)建设海洋工程研究院。\n"
    "山东大学、中国科学院等单位共建创新平台,推动“产学研”深度融合。\n"
)


def assert_offsets(raw: str, norm: Normalized) -> None:
    """offset_map points every stored character back at the raw character it came from."""
    assert len(norm.offset_map) == len(norm.text)
    assert all(a < b for a, b in zip(norm.offset_map, norm.offset_map[1:], strict=False))
    for i, (ch, off) in enumerate(zip(norm.text, norm.offset_map, strict=True)):
        source = normalize_char(raw[off])
        assert ch == source or (ch == " " and source == "\n"), (i, ch, raw[off])


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# --- encodings ---------------------------------------------------------------------------


def test_utf8(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path / "plan.txt", ARTICLE.encode("utf-8")))
    assert doc.text == ARTICLE.strip()
    assert doc.encoding == "utf-8"
    assert (doc.name, doc.fmt, doc.path) == ("plan.txt", "txt", str(tmp_path / "plan.txt"))
    assert doc.title == "青川市“十四五”科技创新规划"
    assert doc.doc_id and len(doc.offset_map) == len(doc.text)


def test_utf8_with_bom(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path / "bom.txt", b"\xef\xbb\xbf" + ARTICLE.encode("utf-8")))
    assert doc.text == ARTICLE.strip()
    assert not doc.text.startswith("\ufeff")
    assert doc.encoding == "utf-8"


def test_gbk_is_read_as_gb18030(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path / "gbk.txt", ARTICLE.encode("gbk")))
    assert doc.text == ARTICLE.strip()
    assert doc.encoding == "gb18030"  # the superset, so GBK-only characters decode too


def test_gb18030_only_characters(tmp_path: Path) -> None:
    text = ARTICLE + "生僻字𠀀与㐀收录于扩展区,只有GB18030能够编码。\n"
    data = text.encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("gbk")
    doc = read_document(write(tmp_path / "gb18030.txt", data))
    assert "𠀀与㐀" in doc.text
    assert doc.encoding == "gb18030"


def test_utf16_le_with_bom(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path / "utf16.txt", b"\xff\xfe" + ARTICLE.encode("utf-16-le")))
    assert doc.text == ARTICLE.strip()
    assert doc.encoding == "utf-16"


def test_markdown_and_no_suffix_are_text(tmp_path: Path) -> None:
    assert read_document(write(tmp_path / "plan.md", ARTICLE.encode())).fmt == "md"
    assert read_document(write(tmp_path / "PLAN", ARTICLE.encode())).text == ARTICLE.strip()


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n", "\u3000\n \xa0 \n".encode()])
def test_empty_or_whitespace_only(tmp_path: Path, content: bytes) -> None:
    path = write(tmp_path / "empty.txt", content)
    with pytest.raises(ReadError) as err:
        read_document(path)
    assert str(err.value) == f"{path}: empty document"
    assert err.value.path == str(path)
    assert err.value.problem == "empty document"


def test_binary_junk_named_txt(tmp_path: Path) -> None:
    rng = random.Random(7)
    data = bytes(rng.randrange(256) for _ in range(4000)) + b"\x00\x00"
    path = write(tmp_path / "junk.txt", data)
    with pytest.raises(ReadError) as err:
        read_document(path)
    assert "junk.txt" in str(err.value)
    assert err.value.problem == "binary or undecodable file (not text)"


def test_control_characters_without_nul_are_binary(tmp_path: Path) -> None:
    path = write(tmp_path / "ctrl.txt", bytes(range(1, 32)) * 20 + "正文".encode())
    with pytest.raises(ReadError, match="binary or undecodable"):
        read_document(path)


# --- damaged text: salvaged, with what was repaired ------------------------------------------


def flip(data: bytes, at: int, value: int = 0xFF) -> bytes:
    return data[:at] + bytes([value]) + data[at + 1 :]


def undecodable(data: bytes, codec: str) -> tuple[int, int]:
    """(undecodable bytes, offset of the first) as Python's own codec sees them: the oracle."""
    with pytest.raises(UnicodeDecodeError) as err:
        data.decode(codec)
    escaped = data.decode(codec, "surrogateescape")  # one lone surrogate per undecodable byte
    return sum(1 for c in escaped if "\udc80" <= c <= "\udcff"), err.value.start


@pytest.mark.parametrize("codec", ["utf-8", "gbk"])
def test_flipped_bytes_are_replaced_and_counted(tmp_path: Path, codec: str) -> None:
    data = ARTICLE.encode(codec)
    at = data.index("哈尔滨".encode(codec)) + 1  # inside a character
    damaged = flip(data, at)
    path = write(tmp_path / "flipped.txt", damaged)
    doc = read_document(path)
    bad, first = undecodable(damaged, codec)
    assert doc.damage is not None
    assert (doc.damage.bad_bytes, doc.damage.first_bad_byte) == (bad, first)
    assert first in (at - 1, at) and bad >= 1
    assert doc.encoding == doc.damage.encoding == ("utf-8" if codec == "utf-8" else "gb18030")
    assert "\ufffd" in doc.text
    lines = doc.text.split("\n")
    assert [line for line in ARTICLE.strip().split("\n") if line not in lines] == [
        "青川市人民政府支持哈尔滨工业大学(青川)建设海洋工程研究院。"
    ]  # only the damaged line differs
    noun = "byte" if bad == 1 else "bytes"
    assert doc.damage.describe() == (
        f"damaged text salvaged ({doc.encoding}): {bad} undecodable {noun} replaced, "
        f"the first at byte {first}"
    )


@pytest.mark.parametrize(
    ("codec", "cut", "encoding"),
    [("utf-8", 1, "utf-8"), ("utf-8", 2, "utf-8"), ("gbk", 1, "gb18030"), ("utf-16-le", 1, "utf-16-le")],
)
def test_a_cut_off_last_character_is_dropped(tmp_path: Path, codec: str, cut: int, encoding: str) -> None:
    text = ARTICLE.strip()  # ends with 合。: cut inside 。
    data = text.encode(codec)
    width = len("。".encode(codec))
    doc = read_document(write(tmp_path / "cut.txt", data[:-cut]))
    assert doc.text == text[:-1]
    assert doc.encoding == encoding
    assert doc.damage is not None
    assert (doc.damage.cut_bytes, doc.damage.bad_bytes, doc.damage.controls) == (width - cut, 0, 0)
    left = width - cut
    assert doc.damage.describe() == (
        f"damaged text salvaged ({encoding}): an incomplete last character "
        f"({left} byte{'' if left == 1 else 's'}) dropped"
    )


@pytest.mark.parametrize("codec", ["utf-8", "gbk", "utf-16-le"])
def test_nul_and_control_characters_are_removed_and_counted(tmp_path: Path, codec: str) -> None:
    at = ARTICLE.index("工业大学")
    raw = ARTICLE[:at] + "\x00\x00" + ARTICLE[at:-8] + "\x1b\x7f" + ARTICLE[-8:]
    doc = read_document(write(tmp_path / "nul.txt", raw.encode(codec)))
    assert doc.text == ARTICLE.strip()  # the names joined again, nothing else changed
    assert doc.damage is not None
    assert (doc.damage.controls, doc.damage.first_control, doc.damage.bad_bytes) == (4, at, 0)
    assert doc.damage.describe() == (
        f"damaged text salvaged ({doc.encoding}): 4 control characters removed, the first at character {at}"
    )


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(tmp_path: Path, codec: str) -> None:
    doc = read_document(write(tmp_path / "utf16.txt", ARTICLE.encode(codec)))
    assert (doc.text, doc.encoding, doc.damage) == (ARTICLE.strip(), codec, None)


def test_utf16_with_bom_and_a_bad_code_unit(tmp_path: Path) -> None:
    data = b"\xff\xfe" + ARTICLE.encode("utf-16-le")
    at = 2 + 2 * ARTICLE.index("海洋")
    damaged = data[:at] + b"\x00\xdc" + data[at + 2 :]  # a lone low surrogate in place of 海
    doc = read_document(write(tmp_path / "utf16.txt", damaged))
    assert doc.damage is not None
    assert (doc.encoding, doc.damage.bad_bytes, doc.damage.first_bad_byte) == ("utf-16", 2, at)
    assert "建设\ufffd洋工程研究院" in doc.text


def test_the_warning_names_every_repair() -> None:
    damage = TextDamage("gb18030", bad_bytes=3, first_bad_byte=10, cut_bytes=1, controls=2, first_control=5)
    assert damage.describe() == (
        "damaged text salvaged (gb18030): 3 undecodable bytes replaced, the first at byte 10; "
        "2 control characters removed, the first at character 5; "
        "an incomplete last character (1 byte) dropped"
    )
    assert not TextDamage("utf-8")  # nothing repaired: no warning


def test_clean_files_have_no_damage(tmp_path: Path) -> None:
    for codec in ("utf-8", "gbk", "utf-16"):
        assert read_document(write(tmp_path / f"{codec}.txt", ARTICLE.encode(codec))).damage is None


def test_too_damaged_is_binary(tmp_path: Path) -> None:
    """One byte in ten flipped (each breaking a character) is past salvage: refused as binary."""
    rng = random.Random(3)
    data = bytearray((ARTICLE * 20).encode("utf-8"))
    for at in range(0, len(data), 10):
        data[at] = rng.choice(b"\xff\xfe\xc0")
    path = write(tmp_path / "shredded.txt", bytes(data))
    with pytest.raises(ReadError) as err:
        read_document(path)
    assert err.value.problem == "binary or undecodable file (not text)"


@pytest.mark.parametrize("bom", [b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf"], ids=["le", "be", "utf-8"])
def test_random_bytes_after_a_bom_are_binary(tmp_path: Path, bom: bytes) -> None:
    path = write(tmp_path / "junk.txt", bom + random.Random(5).randbytes(4000))
    with pytest.raises(ReadError) as err:
        read_document(path)
    assert err.value.problem == "binary or undecodable file (not text)"


def test_too_damaged_utf8_is_not_read_as_gb18030(tmp_path: Path) -> None:
    """One byte in 25 set at random: read as UTF-8, a tenth of the bytes are undecodable; read as
    GB18030 it decodes better but into rare characters (gibberish). Refused, not read as either."""
    rng = random.Random(11)
    data = bytearray((ARTICLE * 40).encode("utf-8"))
    for at in rng.sample(range(len(data)), len(data) // 25):
        data[at] = rng.randrange(256)
    path = write(tmp_path / "shredded.txt", bytes(data))
    with pytest.raises(ReadError) as err:
        read_document(path)
    assert err.value.problem == "binary or undecodable file (not text)"


def test_html_page_with_bad_bytes_and_nul(tmp_path: Path) -> None:
    page = PAGE.format(charset="gbk").encode("gbk")
    at = page.index("师范学院".encode("gbk"))
    damaged = page[:at] + b"\x00" + page[at:].replace("深度".encode("gbk"), b"\xff\xff", 1)
    doc = read_document(write(tmp_path / "page.html", damaged))
    assert doc.damage is not None
    assert (doc.damage.controls, doc.damage.bad_bytes) == (1, 2)
    assert doc.damage.first_bad_byte == damaged.index(b"\xff\xff")
    assert "青川师范学院东校区与青川市人民政府共建海洋研究院" in doc.text


# --- HTML ----------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>青川市“十四五”科技创新发展规划_青川市人民政府</title>
<script>var hits = "浏览次数";</script></head>
<body>
<div class="nav"><a href="/">首页</a> | <a href="/zwgk">政务公开</a> | <a href="/map">网站地图</a></div>
<div class="crumb">当前位置：首页 &gt; 政务公开 &gt; 规划计划</div>
<div class="main">
<h1>青川市“十四五”科技创新发展规划</h1>
<div class="info">浏览次数：1234 信息来源：青川市人民政府 发布时间：2021-10-27 11:23
 文字大小：<a>大</a> <a>中</a> <a>小</a></div>
<div class="article">
<p>为深入实施创新兴市战略，根据《山东省“十四五”科技创新规划》，制定本规划。</p>
<p>一、发展基础</p>
<p>“十三五”期间，全市紧抓争创国家创新型城市建设机遇，青川高新区创建国家高新区工作完成评审。</p>
<p>青川师范学院东校区与青川市人民政府共建海洋研究院，镕铸校训激励师生推动产学研深度融合。</p>
</div>
<div class="tools">【打印本页】【关闭窗口】 分享到： 微信 微博</div>
<div>纠错(JST)请求出现异常!</div>
<div>举报/反馈</div>
</div>
<div class="footer">主办单位：青川市人民政府办公室 版权所有 鲁ICP备05002351号 鲁公网安备 37110202000134号
<br>Produced By 大汉网络 大汉版通发布系统</div>
</body></html>
"""
SENTENCES = (
    "为深入实施创新兴市战略,根据《山东省“十四五”科技创新规划》,制定本规划。",
    "“十三五”期间,全市紧抓争创国家创新型城市建设机遇,青川高新区创建国家高新区工作完成评审。",
    "青川师范学院东校区与青川市人民政府共建海洋研究院,镕铸校训激励师生推动产学研深度融合。",
)
DEBRIS_WORDS = ("浏览次数", "纠错", "举报", "Produced By", "打印本页", "当前位置", "ICP备", "分享到")


def check_page(doc_text: str) -> None:
    for sentence in SENTENCES:
        assert sentence in doc_text
    for word in DEBRIS_WORDS:
        assert word not in doc_text


def test_html_article_without_page_furniture(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path / "page.html", PAGE.format(charset="utf-8").encode()))
    check_page(doc.text)
    assert doc.fmt == "html"
    assert doc.title == "青川市“十四五”科技创新发展规划"  # site name after _ dropped
    assert (doc.issuer, doc.date) == ("青川市人民政府", "2021-10-27")


def test_html_declared_gb2312_read_as_gb18030(tmp_path: Path) -> None:
    page = PAGE.format(charset="gb2312")
    with pytest.raises(UnicodeEncodeError):
        page.encode("gb2312")  # 镕 is GBK-only: the declared charset understates the page
    doc = read_document(write(tmp_path / "page.htm", page.encode("gbk")))
    assert doc.encoding == "gb18030"
    check_page(doc.text)


def test_html_falls_back_to_tag_stripper(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import trafilatura

    monkeypatch.setattr(trafilatura, "extract", lambda *args, **kwargs: None)
    doc = read_document(write(tmp_path / "page.html", PAGE.format(charset="utf-8").encode()))
    check_page(doc.text)
    assert "var hits" not in doc.text
    assert "一、发展基础" in doc.text.split("\n")


# --- DOCX and PDF --------------------------------------------------------------------------


def test_docx_paragraphs_and_tables(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.core_properties.title = "青川市“十四五”科技创新规划"
    document.add_paragraph("一、发展基础")
    document.add_paragraph("\u3000\u3000青川市人民政府支持哈尔滨工业大学（青川）建设海洋工程研究院。")
    table = document.add_table(rows=3, cols=2)
    for r, row in enumerate([("平台", "依托单位"), ("山东省实验室", "山东大学")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    table.cell(2, 0).merge(table.cell(2, 1)).text = "合计：2家"  # a merged cell is read once
    document.add_paragraph("")
    document.add_paragraph("二、总体要求")
    path = tmp_path / "plan.docx"
    document.save(str(path))

    doc = read_document(path)
    assert doc.text.split("\n") == [
        "一、发展基础",
        "青川市人民政府支持哈尔滨工业大学(青川)建设海洋工程研究院。",
        "平台",
        "依托单位",
        "山东省实验室",
        "山东大学",
        "合计:2家",
        "二、总体要求",
    ]
    assert (doc.fmt, doc.title, doc.encoding) == ("docx", "青川市“十四五”科技创新规划", "")


def test_corrupt_docx(tmp_path: Path) -> None:
    path = write(tmp_path / "broken.docx", b"PK\x03\x04 this is not a zip archive")
    with pytest.raises(ReadError, match=r"broken\.docx: not a valid DOCX file"):
        read_document(path)


def make_pdf(path: Path, lines: list[str]) -> Path:
    pytest.importorskip("reportlab")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))  # built-in CID font: nothing embedded
    pdf = canvas.Canvas(str(path))
    pdf.setFont("STSong-Light", 12)
    y = 800
    for line in lines:
        pdf.drawString(72, y, line)
        y -= 18
    pdf.showPage()
    pdf.save()
    return path


def test_pdf_rejoins_wrapped_sentence(tmp_path: Path) -> None:
    path = make_pdf(
        tmp_path / "plan.pdf",
        [
            "一、发展基础",
            "青川市人民政府支持哈尔滨工业大学(青川)建设海洋",
            "工程研究院,推动“产学研”深度融合,建成一批",
            "创新平台。",
            "(一)创新平台",
            "山东大学青川校区联合中国科学院组建海洋研究所",
            "和省级重点实验室,面向深海装备开展联合攻关。",
        ],
    )
    doc = read_document(path)
    assert doc.text.split("\n") == [
        "一、发展基础",
        "青川市人民政府支持哈尔滨工业大学(青川)建设海洋工程研究院,推动“产学研”深度融合,建成一批创新平台。",
        "(一)创新平台",
        "山东大学青川校区联合中国科学院组建海洋研究所和省级重点实验室,面向深海装备开展联合攻关。",
    ]
    assert doc.fmt == "pdf"


def test_corrupt_pdf(tmp_path: Path) -> None:
    path = write(tmp_path / "broken.pdf", b"%PDF-1.4\n garbage without objects")
    with pytest.raises(ReadError, match=r"broken\.pdf: not a valid PDF file"):
        read_document(path)


# --- file system and type errors -----------------------------------------------------------


def _read_error_as_nobody(path: Path) -> str:
    """Read ``path`` in a forked child that has dropped to an unprivileged user (root reads anything)."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        try:
            os.setgid(65534)
            os.setuid(65534)
            try:
                read_document(path)
                msg = "no error"
            except ReadError as exc:
                msg = str(exc)
            os.write(w, msg.encode())
        finally:
            os._exit(0)
    os.close(w)
    data = os.read(r, 4096)
    os.close(r)
    os.waitpid(pid, 0)
    return data.decode()


def test_unreadable_file(tmp_path: Path) -> None:
    folder = Path(tempfile.mkdtemp(dir="/tmp"))
    folder.chmod(0o755)  # traversable by everyone: only the file itself is locked
    path = write(folder / "locked.txt", ARTICLE.encode())
    path.chmod(0)
    try:
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            message = _read_error_as_nobody(path)
        else:
            with pytest.raises(ReadError) as err:
                read_document(path)
            message = str(err.value)
    finally:
        path.chmod(0o644)
        shutil.rmtree(folder)
    assert message == f"{path}: cannot read file: permission denied"


@pytest.mark.parametrize("exc", [PermissionError(13, "Permission denied"), PermissionError()])
def test_permission_error_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exc: OSError) -> None:
    path = write(tmp_path / "locked.txt", ARTICLE.encode())

    def deny(self: Path) -> bytes:
        raise exc

    monkeypatch.setattr(Path, "read_bytes", deny)
    with pytest.raises(ReadError) as err:
        read_document(path)
    assert str(err.value) == f"{path}: cannot read file: permission denied"


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="cannot read file: no such file or directory"):
        read_document(tmp_path / "missing.txt")
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    with pytest.raises(ReadError, match="cannot read file: is a directory"):
        read_document(folder)


@pytest.mark.parametrize("name", ["plan.xyz", "plan.DOC"])
def test_unsupported_suffix(tmp_path: Path, name: str) -> None:
    path = write(tmp_path / name, b"whatever")
    suffix = Path(name).suffix.lower()
    with pytest.raises(ReadError) as err:
        read_document(path)
    assert str(err.value) == f"{path}: unsupported file type '{suffix}' (use .txt, .html, .docx or .pdf)"


def test_suffix_is_case_insensitive(tmp_path: Path) -> None:
    assert read_document(write(tmp_path / "PLAN.TXT", ARTICLE.encode())).fmt == "txt"


def test_iter_paths(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    for name in ("b/2.txt", "a.txt", ".hidden.txt", "~$draft.docx", ".git/config", "b/1.html"):
        (tmp_path / name).write_text("x")
    single = tmp_path / "a.txt"
    assert iter_paths([tmp_path, single]) == [tmp_path / "a.txt", tmp_path / "b/1.html", tmp_path / "b/2.txt"]
    with pytest.raises(ReadError) as err:
        iter_paths([tmp_path / "nope"])
    assert str(err.value) == f"{tmp_path / 'nope'}: no such file or directory"


# --- normalize ------------------------------------------------------------------------------

CRAFTED = [
    "",
    "\n\n",
    "单行",
    "\t 青川市人民政府 \t\r\n\r\n\u3000\u3000（一）发展基础。\r第二行\n",
    "甲\u200b乙\ufeff丙\n\xa0\xa0丁 戊\n",
    "ＡＢＣ１２３，：；！？\n\n  end",
    "浏览次数: 信息来源:青川市人民政府 发布时间: 2021-10-27 11:23 文字大小:\n正文。\nProduced By 大汉网络",
    "一、发展基础\n青川市人民政府支持哈尔滨工业大学建设海洋\n工程研究院。\nsupport deep\nlearning\n",
    "\x00甲\x01乙\n\x7f丙\x9f丁\x0c戊\x1f\x1b\n\x00",
]


@pytest.mark.parametrize("raw", CRAFTED)
@pytest.mark.parametrize("join", [False, True])
def test_offset_map_invariant(raw: str, join: bool) -> None:
    assert_offsets(raw, normalize(raw, join_lines=join))


@pytest.mark.parametrize("join", [False, True])
def test_offset_map_invariant_on_real_document(join: bool) -> None:
    raw = (RAW_DIR / "004_c39082594c58b274.txt").read_text(encoding="utf-8")
    assert_offsets(raw, normalize(raw, join_lines=join))


def test_control_characters_are_removed_and_counted() -> None:
    norm = normalize("\x00甲\x01乙\n\x7f丙\x9f丁\x0c戊\t己\x1f\x1b\n\x85庚")
    assert norm.text == "甲乙\n丙丁\n戊\t己\n庚"  # form feed and NEL break lines; tab stays
    assert (norm.controls, norm.first_control) == (6, 0)
    assert (normalize("甲乙").controls, normalize("甲乙").first_control) == (0, None)


def test_a_long_line_is_prose_even_with_a_furniture_word() -> None:
    """Furniture lines are short; a page saved as one line, or a paragraph citing a visit count,
    keeps its text."""
    prose = "推动创新平台建设,完善科技服务体系,支持企业加大研发投入。" * 8
    page = prose + "浏览次数:1234 Produced By 某某网络"
    paragraph = "线上服务平台用户突破3000万,月访问量稳定在1500万人次," + prose
    assert normalize(f"{page}\n{paragraph}").text == f"{page}\n{paragraph}"
    assert normalize(f"浏览次数:1234\n{prose}").text == prose  # a short one is still furniture


def test_full_width_forms_fold_to_half_width() -> None:
    norm = normalize("（一）ＡＩ芯片１２３，：；！？＆\u3000中\u3000间")
    assert norm.text == "(一)AI芯片123,:;!?& 中 间"


def test_chinese_punctuation_survives() -> None:
    text = "科技、人才。“双提升”《规划》——创新〔2023〕·【专栏】"
    assert normalize(text).text == text


def test_line_cleanup() -> None:
    assert normalize(" \t甲 \r\n\r\n\t乙\u3000\r丙\n\n").text == "甲\n乙\n丙"


def test_join_lines_rules() -> None:
    raw = (
        "一、发展基础\n"  # short heading: kept on its own line
        "青川市人民政府支持哈尔滨工业大学建设海洋工\n"
        "程研究院,使用deep learning和big\n"
        "data技术。\n"  # ASCII word + ASCII word: one space
        "第一章 总体要求\n"
        "坚持创新驱动发展,完善科技创新体系建设:\n"  # ends with ':': a new line follows
        "1.强化企业科技创新主体地位持续提升能力\n"
        "专栏1 重大平台\n"
    )
    assert normalize(raw, join_lines=True).text.split("\n") == [
        "一、发展基础",
        "青川市人民政府支持哈尔滨工业大学建设海洋工程研究院,使用deep learning和big data技术。",
        "第一章 总体要求",
        "坚持创新驱动发展,完善科技创新体系建设:",
        "1.强化企业科技创新主体地位持续提升能力",
        "专栏1 重大平台",
    ]
    assert normalize(raw).text == raw.strip()  # nothing joined unless asked


def test_join_lines_stops_after_closing_quote() -> None:
    raw = "全力开创“精致城市·幸福青川”建设新局面。”\n下一段落继续说明相关工作的具体安排和要求\n"
    assert normalize(raw, join_lines=True).text.count("\n") == 1


def test_strip_debris_harvests_metadata_and_keeps_prose() -> None:
    lines = [
        "浏览次数: 信息来源:青川市人民政府 发布时间: 2021-10-27 11:23 文字大小:",
        "建立容错纠错机制,畅通举报渠道,按比例分享成果转化收益。",
        "吸引国内外打印机品牌入驻。",
        "【打印】【关闭】",
        "上一篇:关于印发某某办法的通知",
        "版权所有:青川市人民政府",
        "- 3 -",
    ]
    kept, meta = strip_debris(lines)
    assert kept == lines[1:3]
    assert meta == {"issuer": "青川市人民政府", "date": "2021-10-27"}
    assert normalize("\n".join(lines)).meta == meta


def test_date_lines() -> None:
    assert parse_date_line("2022年1月27日") == "2022-01-27"
    assert parse_date_line("二〇二二年一月二十七日") == "2022-01-27"
    assert parse_date_line("2021-10-27") == "2021-10-27"
    assert parse_date_line("2022年1月27日起施行") == ""


def test_text_metadata_from_header_and_signature(tmp_path: Path) -> None:
    notice = "\n".join(
        [
            "青川市人民政府",
            "关于印发某某规划",
            "的通知",
            "(三)优化空间布局",
            "正文。",
            "青川市人民政府",
            "2022年1月27日",
        ]
    )
    doc = read_document(write(tmp_path / "notice.txt", notice.encode()))
    assert (doc.title, doc.issuer, doc.date) == ("关于印发某某规划的通知", "青川市人民政府", "2022-01-27")
    plain = read_document(write(tmp_path / "plain.txt", "(三)优化空间布局\n正文。\n".encode()))
    assert (plain.issuer, plain.date) == ("", "")


# --- the real corpus ------------------------------------------------------------------------


def test_corpus_is_present() -> None:
    assert len(RAW_FILES) >= 5


@pytest.mark.parametrize("path", RAW_FILES, ids=lambda p: p.name[:3])
def test_real_documents_read_cleanly(path: Path) -> None:
    doc = read_document(path)
    assert doc.text
    assert all(line and not line[0].isspace() and not line[-1].isspace() for line in doc.text.split("\n"))
    assert "浏览次数" not in doc.text
    assert_offsets(path.read_text(encoding="utf-8"), normalize(path.read_text(encoding="utf-8")))
    assert doc.title


def test_real_002_debris_line_becomes_metadata() -> None:
    doc = read_document(RAW_DIR / "002_c325e9ed9f6e60ac.txt")
    assert (doc.issuer, doc.date) == ("日照市人民政府", "2021-10-27")
    assert "文字大小" not in doc.text
    assert "Produced By" not in doc.text
    assert doc.title == "日照市“十四五”科技创新发展规划"


def test_real_004_tabs_and_full_width_cleaned() -> None:
    doc = read_document(RAW_DIR / "004_c39082594c58b274.txt")
    assert "\t" not in doc.text
    assert not any(ch in doc.text for ch in "，（）：")
    assert "各区市人民政府,国家级开发区管委," in doc.text
    assert "(一)发展基础。" in doc.text.split("\n")
    assert (doc.issuer, doc.date) == ("威海市人民政府", "2022-01-27")
    assert doc.title == "关于印发威海市“十四五”科技创新规划的通知"
