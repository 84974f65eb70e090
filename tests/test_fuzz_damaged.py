"""Fuzz: hundreds of generated damaged files of each kind through the reader, and a sample of them
through `ikg build` on top of a graph built before them.

The kinds are those users meet: GBK, UTF-16 with and without BOM, cut inside a character, random
bytes, NUL and other control bytes, one very long line, bytes flipped at random in a real report
(../shared/corpus; without it, generated Chinese text), fake PDF and DOCX, and names with spaces and
Chinese. Each file knows its outcome from how it was made:

- salvaged: read in the encoding it was written in, with exactly the repairs an independent reading
  finds (Python's strict decoder, restarted after each error; Unicode's category Cc for the control
  characters), the text that reading normalises to, and every line the damage did not touch;
- refused: a ReadError naming the file and the reason, on one line.

The reader is fast, so every file goes through it; extraction is not, so the build takes a few of
each kind (tests/test_bad_input.py's corpus baseline and build cases).
"""

# The fixtures imported from tests/test_bad_input.py are registered here too; test arguments naming
# them are ruff's F811.
# ruff: noqa: F811

from __future__ import annotations

import codecs
import io
import random
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ingest.normalize import normalize
from ingest.readers import ReadError, read_document
from ingest.records import TextDamage
from tests.test_bad_input import (  # noqa: F401  (fixtures)
    CORPUS,
    RAW,
    Baseline,
    Case,
    _with_previous_build,
    baseline,
    case,
    plan,
    plan_names,
)

REPO = Path(__file__).resolve().parents[1]
SHARED_CORPUS = REPO.parent / "shared" / "corpus"
PER_KIND = 200
BINARY = "binary or undecodable file (not text)"
NOT_PDF = ("not a valid PDF file: ", "no extractable text in PDF (a scanned image? run OCR first)")
NOT_DOCX = ("not a valid DOCX file: ",)
# Control characters that are line breaks or a tab: text keeps them. Every other one (Unicode's
# category Cc) must be removed.
KEPT_CC = frozenset("\t\n\r\x0b\x0c\x1c\x1d\x1e\x85")
# Invented plan vocabulary for generated text (all of it GB2312, so it encodes in every codec here).
WORDS = (
    "创新", "发展", "科技", "产业", "平台", "建设", "推动", "加快", "完善", "体系", "能力", "企业",
    "人才", "研发", "服务", "支持", "提升", "数字", "经济", "融合", "开放", "合作", "机制", "改革",
    "绿色", "低碳", "制造", "应用", "示范", "基地", "园区", "成果", "转化", "标准", "质量", "资源",
    "海洋", "装备", "材料", "能源", "生物", "医药", "信息", "网络", "智能", "工程", "项目", "资金",
)  # fmt: skip
HEADINGS = ("一、", "二、", "三、", "(一)", "(二)", "1.", "2.", "第一章 ", "专栏1 ")


@dataclass
class Sample:
    """A generated file and what reading it must give."""

    kind: str
    name: str
    data: bytes
    refused: tuple[str, ...] = ()  # the problem starts with one of these: the file is refused
    encoding: str = ""  # the reading's encoding (salvaged or read)
    damage: TextDamage | None = None  # exactly what the reading repairs; None: nothing
    text: str | None = None  # the stored text, exactly
    intact: list[str] = field(default_factory=list)  # lines the damage did not touch: all kept


# --- text to damage -------------------------------------------------------------------------------


def generated_text(rng: random.Random, lines: int) -> str:
    """Plan-like Chinese text: a title, headings and sentences of invented vocabulary."""
    out = ["".join(rng.choices(WORDS, k=4)) + "规划"]
    for _ in range(lines):
        if rng.random() < 0.15:
            out.append(rng.choice(HEADINGS) + "".join(rng.choices(WORDS, k=rng.randint(2, 4))))
            continue
        clauses = ["".join(rng.choices(WORDS, k=rng.randint(2, 6))) for _ in range(rng.randint(1, 5))]
        figure = f"{rng.randint(1, 2030)}" if rng.random() < 0.3 else ""
        out.append("，".join(clauses) + figure + "。")
    return "\n".join(out) + "\n"


def real_reports() -> list[str]:
    """The shared corpus of real reports, or generated text when ../shared is absent.

    A report ends where its stored text ends: the page footer after it is cut where the last third
    of the lines begins, so a line break flipped before it could move it."""
    paths = sorted(SHARED_CORPUS.glob("*.txt")) if SHARED_CORPUS.is_dir() else []
    texts = [p.read_text(encoding="utf-8") for p in paths]
    return [t[: normalize(t).offset_map[-1] + 1] + "\n" for t in texts] or [
        generated_text(random.Random(n), 600) for n in range(6)
    ]


REPORTS = real_reports()


def window(rng: random.Random, text: str, chars: int) -> str:
    """About ``chars`` characters of whole lines of ``text``, from a random line on."""
    lines = text.splitlines(keepends=True)
    start = rng.randrange(max(1, len(lines) - 5))
    out, size = [], 0
    for line in lines[start:]:
        out.append(line)
        size += len(line)
        if size >= chars:
            break
    return "".join(out)


def source_text(rng: random.Random, chars: int, codec: str = "utf-8") -> str:
    """Text to damage: a window of a real report (only what ``codec`` encodes) or generated text."""
    if rng.random() < 0.5:
        text = window(rng, rng.choice(REPORTS), chars)
        return text.encode(codec, "ignore").decode(codec)
    return generated_text(rng, max(3, chars // 25))


# --- the independent reading ----------------------------------------------------------------------


def oracle(data: bytes, codec: str, skip: int = 0) -> tuple[str, TextDamage]:
    """What reading ``data[skip:]`` in ``codec`` gives: the text (one U+FFFD per undecodable run) and
    the repairs, offsets counted in ``data``. Strict decoding restarted after each error."""
    parts: list[str] = []
    bad, first, pos = 0, None, skip
    decoder = codecs.getincrementaldecoder(codec)("strict")
    while True:
        try:
            parts.append(decoder.decode(data[pos:], final=False))
            break
        except UnicodeDecodeError as err:
            parts.append(data[pos : pos + err.start].decode(codec) + "\ufffd")
            bad += err.end - err.start
            first = pos + err.start if first is None else first
            pos += err.end
            decoder.reset()
    text = "".join(parts)
    controls = [i for i, c in enumerate(text) if unicodedata.category(c) == "Cc" and c not in KEPT_CC]
    damage = TextDamage(
        encoding="",
        bad_bytes=bad,
        first_bad_byte=first,
        cut_bytes=len(decoder.getstate()[0]),
        controls=len(controls),
        first_control=controls[0] if controls else None,
    )
    return text, damage


def lines_untouched(text: str, codec: str, touched: set[int], skip: int = 0) -> list[str]:
    """Stored lines of ``text`` (normalised) whose raw line holds no touched byte offset.

    A touched byte can end its line (a line break flipped) or leave an incomplete character before
    the next one: the lines on either side of it count as touched."""
    raw_lines = text.splitlines(keepends=True)
    hit: set[int] = set()
    pos = skip
    for index, line in enumerate(raw_lines):
        end = pos + len(line.encode(codec))
        if any(pos - 2 <= t < end + 2 for t in touched):
            hit.add(index)
        pos = end
    starts = [0]
    for line in raw_lines:
        starts.append(starts[-1] + len(line))
    norm = normalize(text)
    out, offset = [], 0
    for line in norm.text.split("\n"):
        raw_index = max(i for i, s in enumerate(starts) if s <= norm.offset_map[offset]) if line else -1
        if line and raw_index not in hit:
            out.append(line)
        offset += len(line) + 1
    return out


# --- damage ---------------------------------------------------------------------------------------

# (codec for encoding, codec the reading must report, BOM written first)
UTF16 = (
    ("utf-16-le", "utf-16-le", b""),
    ("utf-16-be", "utf-16-be", b""),
    ("utf-16-le", "utf-16", codecs.BOM_UTF16_LE),
    ("utf-16-be", "utf-16", codecs.BOM_UTF16_BE),
)


def salvaged(
    kind: str, name: str, data: bytes, codec: str, reported: str, skip: int = 0, intact: list[str] = ()
) -> Sample:
    """A sample whose reading is the oracle's, keeping the ``intact`` lines. ``codec`` wrote the
    text; the oracle reads in the reported codec (GB18030 decodes damaged GBK its own way)."""
    text, damage = oracle(data, codec if reported == "utf-16" else reported, skip)
    damage.encoding = reported
    text = normalize(text).text
    return Sample(kind, name, data, encoding=reported, damage=damage or None, text=text, intact=list(intact))


def flipped(
    rng: random.Random, kind: str, name: str, text: str, codec: str, reported: str, bom: bytes = b"",
    flips: int = 0, keep: int = 0,
) -> Sample:  # fmt: skip
    """``text`` in ``codec`` with ``flips`` bytes set to random values (none in the first ``keep``)."""
    data = bytearray(bom + text.encode(codec))
    start = len(bom) + keep
    touched = set(rng.sample(range(start, len(data)), min(flips, len(data) - start)))
    for at in touched:
        data[at] = rng.randrange(256)
    intact = lines_untouched(text, codec, touched, len(bom))
    return salvaged(kind, name, bytes(data), codec, reported, len(bom), intact=intact)


def with_controls(
    rng: random.Random, kind: str, name: str, text: str, codec: str, reported: str, bom: bytes = b""
) -> Sample:
    """``text`` with NUL (and a few other control characters) inserted: removed, the text unchanged."""
    count = rng.randint(1, max(1, min(30, len(text) // 200)))
    at = sorted(rng.sample(range(len(text) + 1), count))
    pieces, last = [], 0
    for i in at:
        pieces += [text[last:i], rng.choice("\x00\x00\x00\x01\x08\x1b\x7f")]
        last = i
    raw = "".join(pieces) + text[last:]
    damage = TextDamage(reported, controls=count, first_control=at[0])
    data = bom + raw.encode(codec)
    return Sample(kind, name, data, encoding=reported, damage=damage, text=normalize(text).text)


def cut_short(
    rng: random.Random, kind: str, name: str, text: str, codec: str, reported: str, bom: bytes = b""
) -> Sample:
    """``text``, ending in a wide character, cut inside that character: dropped, the rest kept."""
    text = text.rstrip() + rng.choice("规划。院园")
    data = bom + text.encode(codec)
    width = len(text[-1].encode(codec))
    cut = rng.randint(1, width - 1)
    damage = TextDamage(reported, cut_bytes=width - cut)
    return Sample(kind, name, data[:-cut], encoding=reported, damage=damage, text=normalize(text[:-1]).text)


def any_damage(
    rng: random.Random, kind: str, name: str, text: str, codec: str, reported: str, bom: bytes = b"",
    keep: str = "",
) -> Sample:  # fmt: skip
    """One of: bytes flipped (up to about one in 300, none in ``keep``, the start of ``text``),
    control characters inserted, cut short."""
    how = rng.choice(("flip", "controls", "cut"))
    if how == "flip":
        flips = rng.randint(1, max(1, len(text.encode(codec)) // 300))
        return flipped(rng, kind, name, text, codec, reported, bom, flips, len(keep.encode(codec)))
    make = with_controls if how == "controls" else cut_short
    return make(rng, kind, name, text, codec, reported, bom)


# --- the kinds ------------------------------------------------------------------------------------
# Each makes file number n of its kind: from ``text`` when given (damage never in ``keep``, its
# start), else from a real report or generated text.


def gbk(rng: random.Random, n: int, text: str = "", keep: str = "") -> Sample:
    text = text or source_text(rng, rng.randint(300, 6000), "gbk")
    return any_damage(rng, "gbk", f"gbk_{n}.txt", text, "gbk", "gb18030", keep=keep)


def utf16(rng: random.Random, n: int, text: str = "", keep: str = "") -> Sample:
    codec, reported, bom = rng.choice(UTF16)
    text = text or source_text(rng, rng.randint(300, 6000))
    if rng.random() < 0.3:  # a code unit replaced by a lone surrogate: two undecodable bytes
        data = bytearray(bom + text.encode(codec))
        at = len(bom) + 2 * rng.randrange(len(keep), len(text))
        data[at : at + 2] = "\udc00".encode(codec, "surrogatepass")
        intact = lines_untouched(text, codec, {at, at + 1}, len(bom))
        return salvaged("utf-16", f"utf16_{n}.txt", bytes(data), codec, reported, len(bom), intact=intact)
    return any_damage(rng, "utf-16", f"utf16_{n}.txt", text, codec, reported, bom, keep)


def truncated(rng: random.Random, n: int, text: str = "", keep: str = "") -> Sample:
    codec, reported, bom = rng.choice((("utf-8", "utf-8", b""), ("gbk", "gb18030", b""), *UTF16))
    text = text or source_text(rng, rng.randint(300, 6000), "gbk" if codec == "gbk" else "utf-8")
    if rng.random() < 0.5:
        return cut_short(rng, "truncated", f"cut_{n}.txt", text, codec, reported, bom)
    data = bom + text.encode(codec)  # cut anywhere: mostly inside a character
    end = rng.randrange(max(len(data) // 2, len(bom + keep.encode(codec)) + 1), len(data))
    return salvaged("truncated", f"cut_{n}.txt", data[:end], codec, reported, len(bom))


def random_bytes(rng: random.Random, n: int) -> Sample:
    size = rng.randint(256, 16_384)
    junk = rng.randbytes(size)
    how = rng.choice(("plain", "bom", "text first", "half zeros"))
    if how == "bom":
        junk = rng.choice((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) + junk
    elif how == "text first":  # a short readable header before the binary
        junk = generated_text(rng, 1).encode(rng.choice(("utf-8", "gbk"))) + junk
    elif how == "half zeros":  # record-like binary: many NUL bytes
        junk = bytes(b if rng.random() < 0.5 else 0 for b in junk)
    return Sample("random", f"random_{n}.txt", junk, refused=(BINARY,))


def nul_bytes(rng: random.Random, n: int, text: str = "", keep: str = "") -> Sample:
    codec, reported, bom = rng.choice((("utf-8", "utf-8", b""), ("gbk", "gb18030", b""), *UTF16))
    text = text or source_text(rng, rng.randint(300, 6000), "gbk" if codec == "gbk" else "utf-8")
    return with_controls(rng, "nul", f"nul_{n}.txt", text, codec, reported, bom)  # NUL in a name: removed


def long_line(rng: random.Random, n: int, text: str = "", keep: str = "") -> Sample:
    codec, reported = rng.choice((("utf-8", "utf-8"), ("gbk", "gb18030")))
    size = 200_000 if n % 50 == 0 else rng.randint(4_000, 20_000)
    text = text or source_text(rng, size, "gbk" if codec == "gbk" else "utf-8")

    def one_line(lines: str) -> str:
        return "".join(line.strip() for line in lines.splitlines())

    return any_damage(rng, "long line", f"long_{n}.txt", one_line(text), codec, reported, keep=one_line(keep))


def flipped_report(rng: random.Random, n: int) -> Sample:
    report = rng.choice(REPORTS)
    text = report if rng.random() < 0.3 else window(rng, report, rng.randint(2000, 8000))
    flips = rng.randint(1, max(1, len(text.encode()) // 300))  # 50 in 20,000 characters is 1 in 1,200
    return flipped(rng, "flipped report", f"report_{n}.txt", text, "utf-8", "utf-8", flips=flips)


def fake_pdf(rng: random.Random, n: int) -> Sample:
    body = rng.choice(
        (
            rng.randbytes(rng.randint(16, 8000)),
            b"%PDF-1." + bytes([rng.randint(48, 55)]) + b"\n" + rng.randbytes(rng.randint(16, 8000)),
            b"%PDF-1.4\n" + generated_text(rng, 20).encode(),
            generated_text(rng, 20).encode("gbk"),
            b"<html><body><p>" + generated_text(rng, 5).encode() + b"</p></body></html>",
        )
    )
    return Sample("fake pdf", f"fake_{n}.pdf", body, refused=NOT_PDF)


def fake_docx(rng: random.Random, n: int) -> Sample:
    def zipped(members: dict[str, bytes]) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for member, content in members.items():
                archive.writestr(member, content)
        return buffer.getvalue()

    body = rng.choice(
        (
            rng.randbytes(rng.randint(16, 8000)),
            b"PK\x03\x04" + rng.randbytes(rng.randint(16, 8000)),
            zipped({"word/document.xml": rng.randbytes(500)}),
            zipped({"[Content_Types].xml": b"<Types/>", "notes.txt": generated_text(rng, 3).encode()}),
            generated_text(rng, 20).encode(),
        )
    )
    if rng.random() < 0.3:
        body = body[: rng.randint(1, len(body))]  # and cut short
    return Sample("fake docx", f"fake_{n}.docx", body, refused=NOT_DOCX)


ODD_NAMES = ("青川 规划 ", "科技创新 (副本) ", "报告 最终版 ", " 前面有空格 ", "plan draft 草稿 ", "方案#")


def odd_name(rng: random.Random, n: int) -> Sample:
    sample = rng.choice((gbk, utf16, truncated, nul_bytes, flipped_report, random_bytes))(rng, n)
    suffix = Path(sample.name).suffix
    sample.name = f"{rng.choice(ODD_NAMES)}{n}{suffix}"
    sample.kind = "odd name"
    return sample


KINDS: dict[str, Callable[[random.Random, int], Sample]] = {
    "gbk": gbk,
    "utf-16": utf16,
    "truncated": truncated,
    "random": random_bytes,
    "nul": nul_bytes,
    "long line": long_line,
    "flipped report": flipped_report,
    "fake pdf": fake_pdf,
    "fake docx": fake_docx,
    "odd name": odd_name,
}


# --- reading hundreds of each kind ----------------------------------------------------------------


def check_reading(path: Path, sample: Sample) -> str:
    """Read ``path`` and check the outcome against ``sample``; return "salvaged", "read" or "refused"."""
    try:
        doc = read_document(path)
    except ReadError as err:
        assert sample.refused, f"{sample.kind} {path.name}: refused ({err.problem}), expected a reading"
        assert str(err) == f"{path}: {err.problem}" and "\n" not in str(err)
        assert err.problem.startswith(sample.refused), (sample.kind, path.name, err.problem)
        return "refused"
    assert not sample.refused, f"{sample.kind} {path.name}: read, expected a refusal {sample.refused}"
    assert (doc.name, doc.path) == (path.name, str(path))
    assert doc.encoding == sample.encoding, (sample.kind, path.name, doc.encoding, doc.damage)
    assert doc.damage == sample.damage, (sample.kind, path.name)
    if sample.text is not None:
        assert doc.text == sample.text, (sample.kind, path.name)
    lines = set(doc.text.split("\n"))
    lost = [line for line in sample.intact if line not in lines]
    assert not lost, (sample.kind, path.name, lost[:3])
    if doc.damage is None:
        return "read"
    warning = doc.damage.describe()
    if doc.damage.bad_bytes:
        assert f"{doc.damage.bad_bytes} undecodable byte" in warning
        assert f"the first at byte {doc.damage.first_bad_byte}" in warning
    if doc.damage.controls:
        assert f"{doc.damage.controls} control character" in warning
        assert f"the first at character {doc.damage.first_control}" in warning
    return "salvaged"


@pytest.mark.parametrize("kind", KINDS)
def test_hundreds_of_damaged_files_are_salvaged_or_refused_by_name(tmp_path: Path, kind: str) -> None:
    rng = random.Random(f"fuzz-{kind}")
    outcomes: dict[str, int] = {}
    for n in range(PER_KIND):
        sample = KINDS[kind](rng, n)
        path = tmp_path / sample.name
        path.write_bytes(sample.data)
        outcome = check_reading(path, sample)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        path.unlink()
    if kind in ("random", "fake pdf", "fake docx"):
        assert outcomes == {"refused": PER_KIND}
    elif kind != "odd name":  # some damage leaves valid text (a UTF-16 byte flipped, a cut on a boundary)
        assert outcomes.get("salvaged", 0) >= PER_KIND / 2, outcomes


# --- a sample of them built on top of the corpus graph --------------------------------------------

# Invented names the extractor finds in plan(): 青川市<institute>研究院, <park>产业园.
INSTITUTES = ("海洋装备", "深海材料", "船舶动力", "海洋牧场", "精密传感", "蓝碳监测",
              "潮汐能源", "海藻育种", "极地装备", "珊瑚生态", "海工焊接", "盐湖化工")  # fmt: skip
PARKS = ("星港新材料", "蓝湾智能制造", "金滩生物医药", "银沙新能源", "翠屿数字", "白鹭光电",
         "雁栖智造", "碧岸医疗器械", "晨港信息", "鲸湾冷链", "云帆航运", "石岛装备")  # fmt: skip
BUILT_KINDS = ("gbk", "utf-16", "truncated", "nul", "long line", "odd name")  # two files of each


def build_sample(rng: random.Random) -> list[tuple[Sample, set[str]]]:
    """Two damaged plans of each salvaged kind, with the names each must contribute to the graph."""
    out = []
    for i, (institute, park) in enumerate(zip(INSTITUTES, PARKS, strict=True)):
        kind = BUILT_KINDS[i // 2]
        keep = plan(institute, park)
        make = KINDS[kind] if kind != "odd name" else rng.choice((gbk, utf16, truncated, nul_bytes))
        sample = make(rng, i, keep + window(rng, rng.choice(REPORTS), 1500), keep)
        while sample.damage is None:  # damage that left valid text: damage it again
            sample = make(rng, i, keep + window(rng, rng.choice(REPORTS), 1500), keep)
        if kind == "odd name":
            sample.name = f"{ODD_NAMES[i % len(ODD_NAMES)]}{i}.txt"
        out.append((sample, plan_names(institute, park)))
    return out


def test_a_sample_builds_on_the_graph_built_before(case: Case, baseline: Baseline) -> None:
    """The damaged plans are built with warnings and their names in the graph; random bytes and fake
    PDF/DOCX are refused by name; a corpus file overwritten with junk keeps its last good extraction;
    a damaged copy of a real report keeps most of what the report gives; the rest of the graph is as
    it was."""
    rng = random.Random("fuzz-build")
    _with_previous_build(case, baseline)
    before = {name: case.mentioned_in(name) for name in CORPUS}
    plans = build_sample(rng)
    real = (RAW / CORPUS[1]).read_text(encoding="utf-8")
    report_copy = flipped(rng, "flipped report", f"副本 {CORPUS[1]}", real, "utf-8", "utf-8", flips=25)
    refused = [random_bytes(rng, 100), fake_pdf(rng, 101), fake_docx(rng, 102)]
    for sample in [*(s for s, _ in plans), report_copy, *refused]:
        case.add(sample.name, sample.data)
    overwritten = case.add(CORPUS[2], rng.randbytes(3000))

    run = case.build()
    run.no_traceback()
    assert run.code == 0, run.stderr
    salvaged_samples = [*(s for s, _ in plans), report_copy]
    for sample in salvaged_samples:
        assert run.lines_naming(sample.name) == [warning(case, sample)]
    for sample in refused:  # one line: "ERROR <logger>: <path>: <problem>"
        [line] = run.lines_naming(sample.name)
        assert line.startswith("ERROR "), line
        problem = line.split(f"{case.src / sample.name}: ", 1)[-1]
        assert f": {case.src / sample.name}: " in line and problem.startswith(sample.refused), line
    kept = run.one_line(overwritten, BINARY)
    assert kept.endswith("; kept its last good extraction")

    report = case.report()
    assert report["damaged"] == {s.name: s.damage.to_json() for s in salvaged_samples if s.damage}
    assert f"  salvaged from damaged text: {len(salvaged_samples)}\n" in run.stdout
    case.assert_built(run, *(s.name for s in salvaged_samples))
    for sample, names in plans:
        assert case.mentioned_in(sample.name) >= names, sample.name
    copied, original = case.mentioned_in(report_copy.name), before[CORPUS[1]]
    assert len(copied & original) >= 0.8 * len(original), (len(copied & original), len(original))
    # The graph built before: every corpus document mentions as many entities as it did, by the same
    # names but where one merged with an entity of the new documents (which may then name it).
    new_names = set().union(*(case.mentioned_in(s.name) for s in salvaged_samples))
    for name in CORPUS:
        after = case.mentioned_in(name)
        assert len(after) == len(before[name]) and after - before[name] <= new_names, name

    again = case.build()  # all cached now: the same warnings, the same report
    assert again.code == 0, again.stderr
    for sample in salvaged_samples:
        warnings = [line for line in again.lines_naming(sample.name) if line.startswith("WARNING ")]
        assert warnings == [warning(case, sample)]
    assert case.report()["damaged"] == report["damaged"]


def warning(case: Case, sample: Sample) -> str:
    """The one line a salvaged file gets."""
    assert sample.damage is not None
    return f"WARNING ingest.extract: {case.src / sample.name}: {sample.damage.describe()}"
