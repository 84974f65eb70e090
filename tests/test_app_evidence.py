"""The one evidence-cell parser the pages share (app/evidence.py)."""

from __future__ import annotations

import json

from app import evidence


def test_evidence_from_json_text_one_object_or_a_list():
    one = {"sentence": "甲支撑乙。", "doc": "d1"}
    assert evidence.as_list(json.dumps(one, ensure_ascii=False)) == [one]
    assert evidence.as_list(json.dumps([one, 3, "x"], ensure_ascii=False)) == [one]
    assert evidence.as_list(one) == [one]
    assert evidence.as_list([one, None]) == [one]


def test_unparseable_or_missing_evidence_is_empty():
    assert evidence.as_list("{not json") == []
    assert evidence.as_list(None) == []
    assert evidence.as_list(7) == []
    assert evidence.first_sentence(None) == ""


def test_first_sentence_skips_objects_without_one():
    cell = [{"doc": "d1"}, {"sentence": "第二句。"}, {"sentence": "第三句。"}]
    assert evidence.first_sentence(cell) == "第二句。"
    assert evidence.first_sentence(json.dumps(cell, ensure_ascii=False)) == "第二句。"
