"""Ingest reads its words from the ontology: component code holds no Chinese literal, and every key of
every file in data/ontology is read by code."""

from __future__ import annotations

import ast
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from graph import aliases
from ingest import normalize
from ingest.components.indicators import load_grammar
from ingest.components.measures import load_award_grammar
from ingest.ontology import DEFAULT_ONTOLOGY_DIR, OntologyError, load_ontology

REPO_ROOT = Path(__file__).resolve().parents[1]
COMPONENTS = REPO_ROOT / "ingest" / "components"
# CJK ideographs: the unified blocks, extension A, the compatibility block, 〇 and the supplementary
# planes (extensions B and later)
CJK = re.compile("[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def cjk_literals(source: str) -> list[tuple[int, str]]:
    """(line, value) of every string constant holding a CJK ideograph; docstrings do not count."""
    tree = ast.parse(source)
    docstrings: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return sorted(
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and CJK.search(node.value)
    )


def _scan() -> dict[str, list[tuple[int, str]]]:
    return {p.name: cjk_literals(p.read_text(encoding="utf-8")) for p in sorted(COMPONENTS.glob("*.py"))}


def test_the_scan_sees_literals_and_skips_docstrings_and_comments() -> None:
    source = '''"""模块说明."""
# 注释: 等
def f(x: str) -> bool:
    """函数说明."""
    return x.endswith(f"{x}中心") or x == "ok"

class C:
    """类说明."""
    WORDS = ("a", "牵头")
'''
    assert cjk_literals(source) == [(5, "中心"), (9, "牵头")]


def test_components_hold_no_chinese_literals() -> None:
    found = _scan()
    assert len(found) >= 10, f"no component modules found under {COMPONENTS}"
    unexpected = [
        f"ingest/components/{name}:{line}: {value!r}" for name, hits in found.items() for line, value in hits
    ]
    assert not unexpected, "Chinese words belong in data/ontology/*.yaml:\n" + "\n".join(unexpected)


# -- every key of every ontology file is read ----------------------------------------------------
# The strict loaders raise OntologyError on a key they do not read (ingest.ontology.StrictYaml).
STRICT: dict[str, Callable[[Path], object]] = {
    **dict.fromkeys(
        (
            "abbreviations.yaml",
            "boundaries.yaml",
            "categories.yaml",
            "generic.yaml",
            "heads.yaml",
            "regions.yaml",
            "structure.yaml",
            "systems.yaml",
        ),
        load_ontology,
    ),
    "indicators.yaml": load_grammar,
    "measures.yaml": load_award_grammar,
}
# cues.yaml: every key is a list of cue words, looked up by name (``ont.cue("leads")``)
NAMED = "cues.yaml"
# loaders that read a fixed file without a strictness check: the test records the keys they read
RECORDED: dict[str, Callable[[], object]] = {
    "debris.yaml": lambda: (normalize.debris_patterns.cache_clear(), normalize.debris_patterns()),
    "aliases.yaml": lambda: aliases.load_aliases(aliases.DEFAULT_ALIASES),
}
NOTES = {"source", "usage"}  # notes for the reader, not read by code


def _yaml(name: str) -> dict[str, Any]:
    return yaml.safe_load((DEFAULT_ONTOLOGY_DIR / name).read_text(encoding="utf-8"))


def test_every_ontology_file_has_a_loader_and_a_source_note() -> None:
    files = sorted(p.name for p in DEFAULT_ONTOLOGY_DIR.glob("*.yaml"))
    assert files == sorted([*STRICT, NAMED, *RECORDED])
    assert [f for f in files if "source" not in _yaml(f)] == []


def test_strict_loaders_read_every_key() -> None:
    for loader in set(STRICT.values()):
        loader(DEFAULT_ONTOLOGY_DIR)  # raises OntologyError naming an unread key


@pytest.mark.parametrize("name", sorted(STRICT))
def test_strict_loaders_refuse_a_key_no_code_reads(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "ontology"
    shutil.copytree(DEFAULT_ONTOLOGY_DIR, folder)
    with (folder / name).open("a", encoding="utf-8") as fh:
        fh.write("\nnot_read_by_code: [x]\n")
    with pytest.raises(OntologyError, match=rf"{re.escape(name)}: keys no code reads: not_read_by_code"):
        STRICT[name](folder)


def test_every_cue_key_is_named_by_the_code() -> None:
    named: set[str] = set()
    for path in (REPO_ROOT / "ingest").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        named |= {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    keys = set(_yaml(NAMED)) - NOTES
    assert keys, f"{NAMED} holds no cues"
    assert sorted(keys - named) == []


class _Recording(dict):
    """A parsed YAML mapping that notes which keys are looked at."""

    def __init__(self, data: dict[str, Any], seen: set[str]) -> None:
        super().__init__(data)
        self.seen = seen

    def __getitem__(self, key: str) -> Any:
        self.seen.add(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        self.seen.add(str(key))
        return super().__contains__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self.seen.add(key)
        return super().get(key, default)


@pytest.mark.parametrize("name", sorted(RECORDED))
def test_other_loaders_read_every_key(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    seen: set[str] = set()
    parsed: list[_Recording] = []
    safe_load = yaml.safe_load

    def recording(stream: Any) -> Any:
        data = safe_load(stream)
        if isinstance(data, dict):
            data = _Recording(data, seen)
            parsed.append(data)
        return data

    monkeypatch.setattr(yaml, "safe_load", recording)
    try:
        RECORDED[name]()
    finally:
        normalize.debris_patterns.cache_clear()
    assert len(parsed) == 1, f"the loader of {name} parsed {len(parsed)} YAML mappings"
    assert set(parsed[0]) == set(_yaml(name)), f"the loader read another file than {name}"
    assert sorted(set(parsed[0]) - NOTES - seen) == []
