"""Bad input through the commands users run: `ikg build` (and `ikg extract` for the size limit).

Every case runs the real command on a folder holding a copy of the corpus (data/raw) plus the
file under test, and checks what the user sees and what is left behind:
- one line on stderr naming the file and the problem, and no Python traceback (unless --debug);
- the good documents built (in the build report and in the store);
- exit 0, or non-zero with --strict when anything failed;
- a build that fails changes nothing: the store, graph.json and the report are as before.

The corpus documents come from a shared extraction cache filled once, so each run only extracts
the file under test (the cache itself is tested in test_build_incremental.py).
"""

from __future__ import annotations

import codecs
import contextlib
import encodings.aliases
import io
import json
import logging
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from graph.stores.ladybug import LadybugStore
from ingest.readers import MB
from tests.test_readers import DEBRIS_WORDS, PAGE, make_pdf

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "raw"
CORPUS = sorted(p.name for p in RAW.iterdir() if p.is_file() and not p.name.startswith("."))
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
NOBODY = 65534

pytestmark = pytest.mark.slow


def plan(institute: str, park: str, extra: str = "") -> str:
    """A small plan naming three entities the extractor finds: its city 青川市 (a place the gazetteer
    does not know, recognised by its suffix), 青川市<institute>研究院 and <park>产业园."""
    return f"青川市科技创新规划\n一、发展基础\n依托青川市{institute}研究院建设{park}产业园。\n{extra}"


def plan_names(institute: str, park: str) -> set[str]:
    return {"青川市", f"青川市{institute}研究院", f"{park}产业园"}


# --- running the command ------------------------------------------------------------------------


def _command() -> list[str]:
    script = Path(sys.executable).with_name("ikg")
    return [str(script)] if script.exists() else [sys.executable, "-m", "ikg.cli"]


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float

    def lines_naming(self, name: str) -> list[str]:
        return [line for line in self.stderr.splitlines() if name in line]

    def one_line(self, path: Path, problem: str) -> str:
        """Exactly one stderr line names the file: '<level> <logger>: <path>: <problem>[; kept …]'."""
        lines = self.lines_naming(path.name)
        assert len(lines) == 1, self.stderr
        line = lines[0].removesuffix("; kept its last good extraction")
        assert line.endswith(f": {path}: {problem}"), lines[0]
        assert lines[0].startswith("ERROR "), lines[0]
        return lines[0]

    def no_traceback(self) -> None:
        assert "Traceback" not in self.stderr and "Traceback" not in self.stdout, self.stderr


def ikg(*args: str | Path, prelude: str = "") -> Run:
    """The `ikg` command in a subprocess; ``prelude``: Python run first (to inject a fault)."""
    argv = [str(a) for a in args]
    if prelude:
        cmd = [sys.executable, "-c", f"{prelude}\nimport sys\nfrom ikg.cli import main\nsys.exit(main())"]
    else:
        cmd = _command()
    start = time.monotonic()
    proc = subprocess.run([*cmd, *argv], cwd=REPO, capture_output=True, text=True, timeout=300, check=False)
    return Run(proc.returncode, proc.stdout, proc.stderr, time.monotonic() - start)


def ikg_as_nobody(*args: str | Path) -> Run:
    """`ikg` as an unprivileged user, so a chmod 000 file really is unreadable.

    Not root: the command in a subprocess. Root reads everything, and an unprivileged subprocess
    could not even start the interpreter (it lives under /root), so, as in test_readers, a forked
    child drops to nobody and runs the command's entry point on the modules already loaded here
    (the caller runs the same build first, so nothing is imported for the first time in the child).
    """
    if not IS_ROOT:
        return ikg(*args)
    from ikg.cli import main

    argv = [str(a) for a in args]
    with tempfile.TemporaryDirectory() as folder:
        out_file, err_file = Path(folder) / "stdout", Path(folder) / "stderr"
        start = time.monotonic()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child
            code = 70
            try:
                os.dup2(os.open(out_file, os.O_WRONLY | os.O_CREAT, 0o644), 1)
                os.dup2(os.open(err_file, os.O_WRONLY | os.O_CREAT, 0o644), 2)
                os.setgroups([])
                os.setgid(NOBODY)
                os.setuid(NOBODY)
                sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), line_buffering=True)
                sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), line_buffering=True)
                root = logging.getLogger()
                for handler in root.handlers[:]:  # pytest's capture: let main() log to stderr
                    root.removeHandler(handler)
                code = main(argv)
            except BaseException as exc:
                os.write(2, f"child failed: {exc!r}\n".encode())
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        seconds = time.monotonic() - start
        return Run(
            os.waitstatus_to_exitcode(status),
            out_file.read_text(encoding="utf-8"),
            err_file.read_text(encoding="utf-8"),
            seconds,
        )


# --- fixtures -----------------------------------------------------------------------------------


@dataclass
class Baseline:
    """The good corpus built once: its extraction cache, store and outputs."""

    cache: Path
    db: Path
    out: Path


def _open_folder(prefix: str) -> Path:
    """A folder under /tmp that an unprivileged user can traverse (tmp_path's parents are 0700)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    folder.chmod(0o755)
    return folder


@pytest.fixture(scope="module")
def baseline() -> Iterator[Baseline]:
    folder = _open_folder("ikg-baseline-")
    base = Baseline(folder / "cache", folder / "graph.lbdb", folder / "out")
    run = ikg("build", RAW, "--db", base.db, "--out", base.out, "--cache", base.cache)
    assert run.code == 0, run.stderr
    for path in base.cache.rglob("*"):  # readable by the unprivileged runs
        path.chmod(0o755 if path.is_dir() else 0o644)
    yield base
    shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Case:
    """A folder of input (the corpus copied in) and where a build of it goes."""

    folder: Path
    src: Path
    db: Path
    out: Path
    cache: Path

    def add(self, name: str, data: bytes | str) -> Path:
        path = self.src / name
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
        return path

    def build(self, *extra: str | Path, paths: tuple[Path, ...] = ()) -> Run:
        return ikg(*self.argv(*extra, paths=paths))

    def argv(self, *extra: str | Path, paths: tuple[Path, ...] = ()) -> list[str | Path]:
        return [
            "build",
            *(paths or (self.src,)),
            "--db",
            self.db,
            "--out",
            self.out,
            "--cache",
            self.cache,
            *extra,
        ]

    def report(self) -> dict:
        return json.loads((self.out / "build_report.json").read_text(encoding="utf-8"))

    def documents_in_store(self) -> set[str]:
        store = LadybugStore(self.db)
        try:
            _, rows = store.read("MATCH (d:Document) RETURN d.name")
        finally:
            store.close()
        return {row[0] for row in rows}

    def mentioned_in(self, name: str) -> set[str]:
        """Names of the entities the store links to document ``name``."""
        store = LadybugStore(self.db)
        try:
            _, rows = store.read(
                "MATCH (e)-[:MENTIONED_IN]->(d:Document) WHERE d.name = $n RETURN e.name", {"n": name}
            )
        finally:
            store.close()
        return {row[0] for row in rows}

    def counts(self) -> dict:
        store = LadybugStore(self.db)
        try:
            return store.counts()
        finally:
            store.close()

    def assert_built(self, run: Run, *good: str) -> None:
        """Exit 0, no traceback, and the corpus plus ``good`` built into the report and the store."""
        assert run.code == 0, run.stderr
        run.no_traceback()
        want = set(CORPUS) | set(good)
        assert set(self.report()["documents"]) == want
        assert self.documents_in_store() == want

    def outputs(self) -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in sorted(self.out.iterdir()) if p.is_file()}


@pytest.fixture
def case(baseline: Baseline) -> Iterator[Case]:
    folder = _open_folder("ikg-case-")
    src = folder / "in"
    src.mkdir()
    for name in CORPUS:
        shutil.copy(RAW / name, src / name)
    yield Case(folder, src, folder / "graph.lbdb", folder / "out", baseline.cache)
    shutil.rmtree(folder, ignore_errors=True)


def _with_previous_build(case: Case, baseline: Baseline) -> tuple[dict, dict[str, bytes]]:
    """Put the baseline's store and outputs where the case builds: (its counts, its output files)."""
    shutil.copy(baseline.db, case.db)
    shutil.copytree(baseline.out, case.out, ignore=shutil.ignore_patterns("cache"))
    return case.counts(), case.outputs()


def _assert_unchanged(case: Case, counts: dict, outputs: dict[str, bytes]) -> None:
    assert case.counts() == counts
    assert case.documents_in_store() == set(CORPUS)
    assert case.outputs() == outputs, "graph.json or a report was rewritten"


# --- files that cannot be built -----------------------------------------------------------------

# Random bytes (and two NULs): no encoding reads them as text.
BINARY = random.Random(7).randbytes(4000) + b"\x00\x00"


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("empty.txt", b"", "empty document"),
        ("blank.txt", "\u3000\n \xa0 \n".encode(), "empty document"),
        ("junk.txt", BINARY, "binary or undecodable file (not text)"),
        ("broken.docx", b"PK\x03\x04 this is not a zip archive", None),
        ("broken.pdf", b"%PDF-1.4\n garbage without objects", None),
    ],
    ids=["empty", "whitespace", "binary-as-txt", "corrupt-docx", "corrupt-pdf"],
)
@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
def test_a_bad_file_is_one_line_and_the_rest_builds(
    case: Case, baseline: Baseline, name: str, data: bytes, problem: str | None, strict: bool
) -> None:
    if strict:
        counts, outputs = _with_previous_build(case, baseline)
    bad = case.add(name, data)
    run = case.build(*(["--strict"] if strict else []))
    if problem:
        run.one_line(bad, problem)
    else:  # the parser's own words follow: only the start is ours
        lines = run.lines_naming(name)
        assert len(lines) == 1 and f": {bad}: not a valid " in lines[0], run.stderr
    run.no_traceback()
    if strict:
        assert run.code == 1
        assert "1 of 6 documents failed: nothing changed (--strict)" in run.stderr
        _assert_unchanged(case, counts, outputs)
    else:
        case.assert_built(run)
        assert len(case.report()["extraction"]["failed"]) == 1
        assert "\n  failed: 1 (listed above)\n" in run.stdout


def test_over_the_size_limit_is_refused_from_its_size(case: Case) -> None:
    big = case.src / "dump.txt"
    line = plan("海洋装备", "星港新材料").encode("utf-8")
    with big.open("wb") as fh:  # 20 MB of perfectly good text: only the size is wrong
        for _ in range(20 * MB // len(line)):
            fh.write(line)
        fh.write(b"x" * (20 * MB - fh.tell()))
    assert big.stat().st_size == 20 * MB
    run = case.build()
    run.one_line(big, "20.0 MB is over the 10 MB limit (raise it with --max-mb)")
    case.assert_built(run)
    # Refused before reading: spaCy over 20 MB would take minutes (the corpus alone takes seconds).
    assert run.seconds < 60, run.seconds
    strict = case.build("--strict")
    assert strict.code == 1 and len(strict.lines_naming("dump.txt")) == 1
    strict.no_traceback()


def test_max_mb_sets_the_limit_for_extract(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    good = src / "good.txt"
    good.write_text(plan("深海材料", "蓝湾智能制造"), encoding="utf-8")
    large = src / "large.txt"
    filler = "坚持创新驱动发展,完善科技创新体系,提升自主创新能力。\n"
    large.write_text(plan("船舶动力", "金滩生物医药", filler * 330), encoding="utf-8")
    assert 25 * 1024 < large.stat().st_size < 26 * 1024

    run = ikg("extract", src, "--out", out, "--max-mb", "0.02")
    assert run.code == 0, run.stderr
    run.one_line(large, "25.3 KB is over the 0.02 MB limit (raise it with --max-mb)")
    run.no_traceback()
    assert sorted(p.name for p in out.iterdir()) == ["good.json"]
    assert ikg("extract", src, "--out", out, "--max-mb", "0.02", "--strict").code == 1

    raised = ikg("extract", src, "--out", out, "--max-mb", "0.05")
    assert raised.code == 0 and "large.txt" not in raised.stderr, raised.stderr
    assert sorted(p.name for p in out.iterdir()) == ["good.json", "large.json"]

    refused = ikg("extract", src, "--out", out, "--max-mb", "0")
    assert refused.code == 2 and "--max-mb: must be a positive number of MB" in refused.stderr


def test_a_compressed_file_whose_text_is_over_the_limit(tmp_path: Path) -> None:
    """A .docx is a zip: 40 KB on disk can hold far more text. The limit applies to the text too."""
    import docx

    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    document = docx.Document()
    for _ in range(5000):
        document.add_paragraph("坚持创新驱动发展,完善科技创新体系,提升自主创新能力。")
    path = src / "long.docx"
    document.save(str(path))
    assert path.stat().st_size < 0.05 * MB
    run = ikg("extract", src, "--out", out, "--max-mb", "0.1")
    assert run.code == 1  # nothing extracted
    run.one_line(path, "139,999 characters of text is over the 0.1 MB limit (raise it with --max-mb)")
    run.no_traceback()


def test_an_allowed_document_longer_than_spacy_max_length(tmp_path: Path, monkeypatch) -> None:
    """spaCy refuses texts over nlp.max_length (1,000,000 characters), below the 10 MB limit: the
    extractor raises it from the limit (and to fit any text when there is no limit)."""
    from ingest.cache import ExtractOptions
    from ingest.extract import extract_paths, load_nlp

    nlp = load_nlp()
    path = tmp_path / "plan.txt"
    path.write_text(plan("海洋装备", "星港新材料"), encoding="utf-8")
    for max_mb in (10.0, None):
        monkeypatch.setattr(nlp, "max_length", 20)  # shorter than the document, like 1M vs 10 MB
        results, errors = extract_paths([path], progress=False, options=ExtractOptions(max_mb=max_mb))
        assert errors == [] and {e["name"] for e in results[0]["entities"]} == plan_names(
            "海洋装备", "星港新材料"
        )
        assert nlp.max_length > (10 * MB if max_mb else 20)


def test_unreadable_file(case: Case) -> None:
    locked = case.add("locked.txt", plan("海洋装备", "星港新材料"))
    locked.chmod(0)
    case.folder.chmod(0o777)  # the unprivileged build writes its store and outputs here
    try:
        warm_up(case)
        run = ikg_as_nobody(*case.argv())
        strict = ikg_as_nobody(*case.argv("--strict"))
    finally:
        locked.chmod(0o644)
    run.one_line(locked, "cannot read file: permission denied")
    case.assert_built(run)
    assert strict.code == 1 and len(strict.lines_naming("locked.txt")) == 1, strict.stderr
    strict.no_traceback()


def warm_up(case: Case) -> None:
    """As root, run the same build in this process first (elsewhere), importing all it uses."""
    if not IS_ROOT:
        return
    from ikg.cli import main

    warm = case.folder / "warm"
    # its own copy of the cache: root reads the locked file, and a cached extraction of it would
    # be kept by the unprivileged build as the file's last good version
    warm_cache = case.folder / "warm-cache"
    shutil.copytree(case.cache, warm_cache, dirs_exist_ok=True)
    argv = ["build", case.src, "--db", warm / "graph.lbdb", "--out", warm, "--cache", warm_cache]
    assert main([str(a) for a in argv]) == 0
    # the build decodes in worker processes; the child, which cannot import, may decode itself
    for name in set(encodings.aliases.aliases.values()):
        with contextlib.suppress(LookupError):
            codecs.lookup(name)


# --- files that are good and must build ---------------------------------------------------------

GB18030_ONLY = "生僻字𠀀与㐀收录于扩展区,只有GB18030能够编码。\n"


@pytest.mark.parametrize(
    ("name", "encode"),
    [
        ("gbk.txt", lambda text: text.encode("gbk")),
        ("gb18030.txt", lambda text: (text + GB18030_ONLY).encode("gb18030")),
        ("utf16.txt", lambda text: b"\xff\xfe" + text.encode("utf-16-le")),
        ("utf16be.txt", lambda text: b"\xfe\xff" + text.encode("utf-16-be")),
    ],
    ids=["gbk", "gb18030", "utf-16-le-bom", "utf-16-be-bom"],
)
def test_other_encodings_build(case: Case, name: str, encode) -> None:
    data = encode(plan("海洋装备", "星港新材料"))
    if name == "gb18030.txt":
        with pytest.raises(UnicodeDecodeError):
            data.decode("gbk")
    case.add(name, data)
    run = case.build("--strict")  # nothing failed: --strict passes too
    assert not run.lines_naming(name), run.stderr
    case.assert_built(run, name)
    assert case.mentioned_in(name) >= plan_names("海洋装备", "星港新材料")


def test_html_page_builds_without_its_debris(case: Case) -> None:
    case.add("page.html", PAGE.format(charset="utf-8"))
    run = case.build("--strict")
    assert not run.lines_naming("page.html"), run.stderr
    case.assert_built(run, "page.html")
    assert case.mentioned_in("page.html") >= {"青川师范学院东校区", "海洋研究院"}
    graph = json.loads((case.out / "graph.json").read_text(encoding="utf-8"))
    document = next(n for n in graph["nodes"] if n.get("name") == "page.html")
    # the info bar became metadata; the site name left the title
    assert (document["title"], document["issuer"], document["date"]) == (
        "青川市“十四五”科技创新发展规划",
        "青川市人民政府",
        "2021-10-27",
    )
    sentences = [
        ev["sentence"] for e in graph["edges"] for ev in e["evidence"] if ev["doc_id"] == document["id"]
    ]
    assert sentences and not [s for s in sentences for w in DEBRIS_WORDS if w in s]


def test_pdf_with_line_breaks_inside_sentences_builds(case: Case) -> None:
    make_pdf(
        case.src / "plan.pdf",
        [
            "一、发展基础",
            "青川市人民政府支持哈尔滨工业大学(青川)建设海洋",
            "工程研究院,推动“产学研”深度融合,建成一批",
            "创新平台。",
        ],
    )
    run = case.build("--strict")
    case.assert_built(run, "plan.pdf")
    assert case.mentioned_in("plan.pdf") >= {"哈尔滨工业大学(青川)", "海洋工程研究院"}  # across the break
    graph = json.loads((case.out / "graph.json").read_text(encoding="utf-8"))
    sentences = {ev["sentence"] for e in graph["edges"] for ev in e["evidence"] if ev["doc"] == "plan.pdf"}
    assert (
        "青川市人民政府支持哈尔滨工业大学(青川)建设海洋工程研究院,推动“产学研”深度融合,建成一批创新平台。"
        in sentences
    )


def test_docx_builds(case: Case) -> None:
    import docx

    document = docx.Document()
    document.core_properties.title = "青川市科技创新规划"
    document.add_paragraph("一、发展基础")
    document.add_paragraph("依托青川市深海材料研究院建设蓝湾智能制造产业园。")
    document.save(str(case.src / "plan.docx"))
    run = case.build("--strict")
    case.assert_built(run, "plan.docx")
    # the title is the file's property, not its text: 青川市 is named only inside the institute's name
    assert case.mentioned_in("plan.docx") >= {"青川市深海材料研究院", "蓝湾智能制造产业园"}


def test_damaged_text_is_salvaged_with_one_warning_line(tmp_path: Path) -> None:
    """`ikg extract`: a file with a NUL byte inside a name and one cut inside its last character are
    read, each with one warning line naming what was repaired; nothing failed, so --strict passes;
    the repairs are in the extraction's meta."""
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    text = plan("海洋装备", "星港新材料")
    nul = src / "带 NUL 的规划.txt"
    nul.write_bytes(text.replace("装备", "装\x00备").encode())
    cut = src / "cut.txt"
    cut.write_bytes((text + "建设").encode()[:-1])  # two of the three bytes of 设
    run = ikg("extract", src, "--out", out, "--strict")
    assert run.code == 0, run.stderr
    run.no_traceback()
    at = text.index("装备") + 1
    assert run.lines_naming(nul.name) == [
        f"WARNING ingest.extract: {nul}: damaged text salvaged (utf-8): "
        f"1 control character removed, the first at character {at}"
    ]
    assert run.lines_naming(cut.name) == [
        f"WARNING ingest.extract: {cut}: damaged text salvaged (utf-8): "
        "an incomplete last character (2 bytes) dropped"
    ]
    for path in (nul, cut):
        extraction = json.loads((out / f"{path.stem}.json").read_text(encoding="utf-8"))
        assert {e["name"] for e in extraction["entities"]} >= plan_names("海洋装备", "星港新材料")
    damage = json.loads((out / "cut.json").read_text(encoding="utf-8"))["meta"]["damage"]
    assert damage == {
        "encoding": "utf-8",
        "bad_bytes": 0,
        "first_bad_byte": None,
        "cut_bytes": 2,
        "controls": 0,
        "first_control": None,
    }


# --- a folder of good and bad files together ----------------------------------------------------


def test_mixed_folder(case: Case, baseline: Baseline) -> None:
    bad = {
        case.add("empty.txt", b""): "empty document",
        case.add("junk.txt", BINARY): "binary or undecodable file (not text)",
        case.add("notes.xyz", b"whatever"): "unsupported file type '.xyz' (use .txt, .html, .docx or .pdf)",
    }
    big = case.add("big.txt", b"a" * (11 * MB))
    bad[big] = "11.0 MB is over the 10 MB limit (raise it with --max-mb)"
    locked = case.add("locked.txt", plan("海洋牧场", "银沙新能源"))
    bad[locked] = "cannot read file: permission denied"
    good = {
        "gbk.txt": ("gbk", ("海洋装备", "星港新材料")),
        "utf16.txt": ("utf-16", ("深海材料", "蓝湾智能制造")),
        "gb18030.txt": ("gb18030", ("船舶动力", "金滩生物医药")),
    }
    for name, (codec, names) in good.items():
        case.add(name, plan(*names).encode(codec))
    locked.chmod(0)
    case.folder.chmod(0o777)
    try:
        warm_up(case)
        run = ikg_as_nobody(*case.argv())
        counts = case.counts()
        strict = ikg_as_nobody(*case.argv("--strict"))
    finally:
        locked.chmod(0o644)
    for path, problem in bad.items():
        run.one_line(path, problem)
        assert len(strict.lines_naming(path.name)) == 1, strict.stderr
    case.assert_built(run, *good)
    for name, (_, names) in good.items():
        assert case.mentioned_in(name) >= plan_names(*names)
    failed = case.report()["extraction"]["failed"]
    assert sorted(failed) == sorted(f"{path}: {problem}" for path, problem in bad.items())
    assert f"\n  failed: {len(bad)} (listed above)\n" in run.stdout
    assert strict.code == 1
    strict.no_traceback()
    assert case.counts() == counts  # the strict build left the store as the first one made it


# --- a failed build changes nothing -------------------------------------------------------------


def test_when_every_document_fails_nothing_changes(case: Case, baseline: Baseline) -> None:
    counts, outputs = _with_previous_build(case, baseline)
    only_bad = case.folder / "bad"
    only_bad.mkdir()
    (only_bad / "empty.txt").write_bytes(b"")
    (only_bad / "junk.txt").write_bytes(BINARY)
    run = case.build(paths=(only_bad,))
    assert run.code == 1
    run.one_line(only_bad / "empty.txt", "empty document")
    run.one_line(only_bad / "junk.txt", "binary or undecodable file (not text)")
    assert "no documents to build from: nothing changed" in run.stderr
    run.no_traceback()
    _assert_unchanged(case, counts, outputs)


def test_when_some_documents_fail_the_others_replace_the_graph(case: Case, baseline: Baseline) -> None:
    """Without --strict the graph is that of the documents that were read: the corpus here, so the
    store holds what it held; a bad file adds nothing and removes nothing."""
    counts, _ = _with_previous_build(case, baseline)
    case.add("empty.txt", b"")
    run = case.build()
    case.assert_built(run)
    assert case.counts() == counts


def test_a_document_that_fails_now_keeps_its_last_good_extraction(case: Case, baseline: Baseline) -> None:
    """A document that built before but fails now (overwritten with nothing) keeps what it
    contributed, and its line says so; with --strict the build stops and changes nothing. Once its
    last extraction is gone from the cache too, it is left out."""
    counts, outputs = _with_previous_build(case, baseline)
    damaged = case.src / CORPUS[1]
    damaged.write_bytes(b"")
    strict = case.build("--strict")
    assert strict.code == 1
    strict.one_line(damaged, "empty document")
    _assert_unchanged(case, counts, outputs)

    run = case.build()
    line = run.one_line(damaged, "empty document")
    assert "kept its last good extraction" in line, line
    case.assert_built(run)
    assert case.counts() == counts

    fresh_cache = case.folder / "empty-cache"
    run = case.build("--cache", str(fresh_cache))
    run.one_line(damaged, "empty document")
    assert run.code == 0
    rest = set(CORPUS) - {CORPUS[1]}
    assert set(case.report()["documents"]) == rest and case.documents_in_store() == rest


FAIL_STORE = """
import graph.stores.ladybug as ladybug
ladybug.rel_copy = lambda *args: "THIS IS NOT CYPHER"  # fails after the nodes are written
"""


@pytest.mark.parametrize("debug", [False, True], ids=["default", "debug"])
def test_when_the_store_fails_nothing_changes(case: Case, baseline: Baseline, debug: bool) -> None:
    counts, outputs = _with_previous_build(case, baseline)
    (case.src / CORPUS[0]).unlink()  # a build that succeeded would change the store
    case.add("gbk.txt", plan("海洋装备", "星港新材料").encode("gbk"))
    args = ["--debug", *case.argv()] if debug else case.argv()
    run = ikg(*args, prelude=FAIL_STORE)
    assert run.code == 1
    if debug:
        assert "Traceback" in run.stderr
    else:
        run.no_traceback()
        errors = [line for line in run.stderr.splitlines() if line.startswith("ERROR")]
        assert len(errors) == 1, run.stderr
    _assert_unchanged(case, counts, outputs)
    assert not [p for p in case.folder.iterdir() if ".tmp-" in p.name], "a temporary store was left"


FAIL_EXTRACTION = """
import ingest.extract as extract
real = extract.doc_to_extraction
def doc_to_extraction(doc, document):
    if document.name == "crash.txt":
        raise RuntimeError("simulated extractor bug")
    return real(doc, document)
extract.doc_to_extraction = doc_to_extraction
"""


@pytest.mark.parametrize("debug", [False, True], ids=["default", "debug"])
def test_an_extractor_bug_in_one_document(case: Case, debug: bool) -> None:
    crash = case.add("crash.txt", plan("海洋装备", "星港新材料"))
    run = ikg(*(["--debug"] if debug else []), *case.argv(), prelude=FAIL_EXTRACTION)
    assert run.code == 0, run.stderr
    assert set(case.report()["documents"]) == set(CORPUS)
    if debug:  # the line, and the traceback it came from
        assert "Traceback" in run.stderr and "RuntimeError: simulated extractor bug" in run.stderr
    else:
        run.one_line(crash, "extraction failed: RuntimeError: simulated extractor bug")
        run.no_traceback()


# --- the command line itself ----------------------------------------------------------------------


def test_a_path_that_does_not_exist_is_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder"
    run = ikg("build", missing, "--db", tmp_path / "g.lbdb", "--out", tmp_path / "out")
    assert run.code == 1
    assert run.stderr.strip().splitlines()[-1] == f"ERROR ikg: {missing}: no such file or directory"
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "g.lbdb").exists()


def test_output_cut_short_by_the_reader_is_not_an_error() -> None:
    """`ikg query --list | head -1`: the pipe closes early; no error line, exit 0."""
    proc = subprocess.run(
        f"{' '.join(_command())} query --list | head -1",
        shell=True,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0
    assert len(proc.stdout.splitlines()) == 1
    assert "BrokenPipe" not in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
