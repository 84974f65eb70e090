"""Layouts a reader meets: plain text wrapped at a fixed width is re-joined where sentences run on;
a copy whose lines were clipped is not; headings of any numbering style are read as sections."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from ingest.extract import extract_document
from ingest.normalize import looks_hard_wrapped
from ingest.readers import read_document
from tests.extract_helpers import RAW_DIR

FULL = RAW_DIR / "000_0b49c72c223a13de.txt"
CLIPPED = RAW_DIR / "004_c39082594c58b274.txt"  # 000 with every body line cut at 50 characters


def _wrap(text: str, width: int) -> str:
    out: list[str] = []
    for para in text.split("\n"):
        out += textwrap.wrap(para, width) or [""]
    return "\n".join(out)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def test_wrapped_text_is_recognised_and_clipped_text_is_not() -> None:
    text = FULL.read_text(encoding="utf-8")
    assert looks_hard_wrapped(_lines(_wrap(text, 36)))
    assert looks_hard_wrapped(_lines(_wrap(text, 60)))
    assert not looks_hard_wrapped(_lines(text))
    assert not looks_hard_wrapped(_lines(CLIPPED.read_text(encoding="utf-8")))


@pytest.mark.slow
def test_a_wrapped_copy_reads_as_the_original(tmp_path: Path) -> None:
    wrapped = tmp_path / FULL.name
    wrapped.write_text(_wrap(FULL.read_text(encoding="utf-8"), 36), encoding="utf-8")
    original = {(e["type"], e["name"]) for e in extract_document(read_document(FULL)).to_json()["entities"]}
    rejoined = {
        (e["type"], e["name"]) for e in extract_document(read_document(wrapped)).to_json()["entities"]
    }
    assert len(original & rejoined) >= 0.95 * len(original), sorted(original - rejoined)[:20]
    # no name is cut at a line end of the wrapped copy
    assert len(rejoined - original) <= 0.05 * len(original), sorted(rejoined - original)[:20]
