"""The loaders of the indicator and award grammars (indicators.yaml, measures.yaml) and the numeral
reader they use: bad data is a one-line error naming the file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.components.indicators import load_grammar
from ingest.components.measures import load_award_grammar, parse_awards
from ingest.numerals import to_quantity
from ingest.ontology import DEFAULT_ONTOLOGY_DIR, OntologyError


@pytest.mark.parametrize(
    ("text", "value"),
    [("1500", 1500.0), ("2.83", 2.83), ("三十", 30.0), ("两万", 20000.0), ("一千五百", 1500.0)],
)
def test_quantities(text: str, value: float) -> None:
    assert to_quantity(text) == value


@pytest.mark.parametrize("text", ["一二", "二〇二五", "", "十x"])
def test_digit_strings_and_garbage_are_no_quantity(text: str) -> None:
    assert to_quantity(text) is None


def _edit(tmp_path: Path, name: str, old: str, new: str) -> Path:
    folder = tmp_path / "ontology"
    shutil.copytree(DEFAULT_ONTOLOGY_DIR, folder)
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def test_a_broken_award_pattern_names_the_file(tmp_path: Path) -> None:
    folder = _edit(tmp_path, "measures.yaml", "per_recipient_caps: ['每家(?:", "per_recipient_caps: ['每家((")
    with pytest.raises(OntologyError, match=r"^measures\.yaml: "):
        load_award_grammar(folder)


def test_grant_kinds_must_map_kinds_to_words(tmp_path: Path) -> None:
    folder = _edit(tmp_path, "measures.yaml", "grant_kinds:\n", "grant_kinds: [奖励]\nold_grant_kinds:\n")
    with pytest.raises(OntologyError, match=r"^measures\.yaml: grant_kinds"):
        load_award_grammar(folder)


def test_a_missing_award_key_names_the_file(tmp_path: Path) -> None:
    folder = _edit(tmp_path, "measures.yaml", "default_kind:", "fallback_kind:")
    with pytest.raises(OntologyError, match=r"^measures\.yaml: missing key 'default_kind'"):
        load_award_grammar(folder)


def test_an_unread_key_of_an_indicator_names_its_entry(tmp_path: Path) -> None:
    entry = "  - key: rd_intensity\n"
    folder = _edit(tmp_path, "indicators.yaml", entry, entry + "    note: x\n")
    with pytest.raises(OntologyError, match=r"^indicators\.yaml: indicators\[0\]: keys no code reads: note"):
        load_grammar(folder)


def test_a_broken_time_pattern_names_the_file(tmp_path: Path) -> None:
    folder = _edit(tmp_path, "indicators.yaml", "year: '(20", "year: '((20")
    with pytest.raises(OntologyError, match=r"^indicators\.yaml: "):
        load_grammar(folder)


def test_an_edited_award_word_changes_what_is_read(tmp_path: Path) -> None:
    """The words are data: a cap word added to measures.yaml is read as a cap."""
    sentence = "对新认定的星港创新中心,给予封顶50万元奖励。"
    assert [a["cap"] for a in parse_awards(sentence)] == [False]
    folder = _edit(tmp_path, "measures.yaml", "grant_caps: [", "grant_caps: [封顶, ")
    assert [(a["for"], a["cap"]) for a in parse_awards(sentence, load_award_grammar(folder))] == [
        ("星港创新中心", True)
    ]
