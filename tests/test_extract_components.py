"""The extraction components, one rule at a time, on sentences written for these tests.

Every organisation, park, programme and chain here is invented (青川/星港/云帆 …); only real
administrative places from the cpca gazetteer (青岛市, 崂山区 …) are used as they are.
"""

from __future__ import annotations

import itertools

import pytest
from spacy.language import Language

from ingest.pipeline import build_nlp
from tests.extract_helpers import Result, run_text


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_nlp()


@pytest.fixture(scope="module")
def run(nlp: Language):
    cache: dict[str, Result] = {}

    def _run(text: str) -> Result:
        if text not in cache:
            cache[text] = run_text(nlp, text)
        return cache[text]

    return _run


# --- structure: sections, paragraphs, sentences -------------------------------------------------

STRUCTURED = (
    "青川市科技创新规划\n"
    "一、发展基础\n"
    "青川市依托青川市海洋装备研究院建设星港新材料产业园。会议提出“创新驱动发展。”并部署任务。\n"
    "(一)平台建设。\n"
    "1.创新平台。推动建设星港深海技术创新中心\n"
    "\n"
    "专栏1 重点平台\n"
    "青川市智能传感实验室加快发展。\n"
    "(二)人才引进。\n"
    "引进高层次人才。\n"
    "二、保障措施\n"
    "加强组织领导。"
)


def _sentence(res: Result, text: str):
    found = [s for s in res.state.sentences if res.text[s.start : s.end] == text]
    assert len(found) == 1, [res.text[s.start : s.end] for s in res.state.sentences]
    return found[0]


def test_sections_levels_and_kinds(run) -> None:
    res = run(STRUCTURED)
    got = [(s.level, s.title, s.kind) for s in res.state.sections]
    assert got == [
        (1, "一、发展基础", "heading"),
        (2, "(一)平台建设", "heading"),
        (3, "1.创新平台", "heading"),
        (3, "专栏1 重点平台", "box"),
        (2, "(二)人才引进", "heading"),
        (1, "二、保障措施", "heading"),
    ]
    for s in res.state.sections:
        assert res.text[s.start : s.end] == s.title


def test_sentence_section_paths(run) -> None:
    res = run(STRUCTURED)
    assert _sentence(res, "青川市科技创新规划").path == []  # the title line is never a heading
    assert _sentence(res, "并部署任务。").path == ["一、发展基础"]
    part = ["一、发展基础", "(一)平台建设"]
    assert _sentence(res, "推动建设星港深海技术创新中心").path == [*part, "1.创新平台"]
    # a box replaces the numbered heading at level 3
    assert _sentence(res, "青川市智能传感实验室加快发展。").path == [*part, "专栏1 重点平台"]
    # a new (二) closes the box; a new 二、 closes everything below it
    assert _sentence(res, "引进高层次人才。").path == ["一、发展基础", "(二)人才引进"]
    assert _sentence(res, "加强组织领导。").path == ["二、保障措施"]


def test_sentence_offsets_and_order(run) -> None:
    res = run(STRUCTURED)
    sents = res.state.sentences
    texts = [res.text[s.start : s.end] for s in sents]
    assert texts == [
        "青川市科技创新规划",
        "一、发展基础",
        "青川市依托青川市海洋装备研究院建设星港新材料产业园。",
        "会议提出“创新驱动发展。”",  # the closing quote stays with its sentence
        "并部署任务。",
        "(一)平台建设。",
        "1.创新平台。",
        "推动建设星港深海技术创新中心",  # a line without a final 。 is still a sentence
        "专栏1 重点平台",
        "青川市智能传感实验室加快发展。",
        "(二)人才引进。",
        "引进高层次人才。",
        "二、保障措施",
        "加强组织领导。",
    ]
    assert [s.index for s in sents] == list(range(len(sents)))
    assert all(a.end <= b.start for a, b in itertools.pairwise(sents))


def test_paragraph_index_and_inline_heading(run) -> None:
    res = run(STRUCTURED)
    paras = res.state.paragraphs
    lines = [line for line in STRUCTURED.split("\n") if line.strip()]  # the blank line is no paragraph
    assert [res.text[p.start : p.end] for p in paras] == lines
    assert [p.index for p in paras] == list(range(len(lines)))
    inline = _sentence(res, "推动建设星港深海技术创新中心")
    para = paras[inline.paragraph]
    assert res.text[para.start : para.end] == "1.创新平台。推动建设星港深海技术创新中心"
    assert para.body_start == para.start + len("1.创新平台")
    assert not inline.first_in_paragraph
    assert _sentence(res, "1.创新平台。").first_in_paragraph
    box_sentence = _sentence(res, "青川市智能传感实验室加快发展。")
    assert res.text[paras[box_sentence.paragraph].start : paras[box_sentence.paragraph].end] == (
        "青川市智能传感实验室加快发展。"
    )


def test_mention_evidence_points_into_the_text(run) -> None:
    res = run(STRUCTURED)
    lab = res.entity("青川市智能传感实验室", "Lab")
    (m,) = lab["mentions"]
    assert STRUCTURED[m["start"] : m["end"]] == m["text"] == "青川市智能传感实验室"
    assert m["section"] == ["一、发展基础", "(一)平台建设", "专栏1 重点平台"]
    assert m["sentence"] == "青川市智能传感实验室加快发展。"
    assert m["sentence_index"] == _sentence(res, m["sentence"]).index
    assert STRUCTURED[m["sentence_start"] :].startswith(m["sentence"])
    assert (m["doc"], m["doc_id"]) == ("x.txt", res.data["doc_id"])


# --- names: head words and their left boundary -------------------------------------------------


def test_names_start_after_verbs_and_list_marks(run) -> None:
    res = run(
        "依托青川海洋装备研究院建设星港新材料产业园、云帆数控机床产业园和青川市深海技术创新中心。"
        "支持星港海洋研究所牵头攻关。"
    )
    assert res.summary() == [
        ("ResearchInstitute", "青川海洋装备研究院"),  # after 依托
        ("Park", "星港新材料产业园"),  # after 建设
        ("Park", "云帆数控机床产业园"),  # after 、
        ("Platform", "青川市深海技术创新中心"),  # after 和
        ("ResearchInstitute", "星港海洋研究所"),  # after 支持
    ]


def test_generic_category_is_not_a_name(run) -> None:
    res = run("推动建设国家级技术创新中心和专业化孵化器,培育省级重点实验室。")
    assert res.entities == []


def test_generic_category_next_to_a_name_stays_generic(run) -> None:
    res = run("建设星港深海技术创新中心、国家级技术创新中心。支持星港孵化器、专业化孵化器加快发展。")
    assert res.names() == {"星港深海技术创新中心", "星港孵化器"}


def test_bracketed_other_name_becomes_an_alias(run) -> None:
    res = run("组建青川市海洋工程研究院(青川蓝海高等技术研究院),推动成果转化。")
    ent = res.entity("青川市海洋工程研究院", "ResearchInstitute")
    assert ent["name"] == "青川市海洋工程研究院"
    assert ent["aliases"] == ["青川蓝海高等技术研究院"]


def test_place_qualifier_stays_in_the_name(run) -> None:
    res = run("支持青川大学(青岛)建设深海能源实验室,推动青岛海洋经济发展。")
    uni = res.entity("青川大学(青岛)", "University")
    assert uni["name"] == "青川大学(青岛)" and uni["aliases"] == []
    assert res.find("青川大学") == []  # not split into a bare university
    assert res.rels("LOCATED_IN") == {("青川大学(青岛)", "青岛")}  # the campus lies in its place


def test_place_qualifier_links_to_the_full_region_name(run) -> None:
    res = run("支持青川大学(青岛)建设深海能源实验室,推动青岛市海洋经济发展。")
    assert res.rels("LOCATED_IN") == {("青川大学(青岛)", "青岛市")}


def test_name_only_after_de_is_dropped(run) -> None:
    described = run("打造全国知名的星港海洋经济新区。")
    assert described.find("星港海洋经济新区") == []
    named = run("打造全国知名的星港海洋经济新区。加快建设星港海洋经济新区。")
    park = named.entity("星港海洋经济新区", "Park")
    assert len(park["mentions"]) == 2


def test_conjunction_after_a_bracket_qualifier_separates_names(run) -> None:
    res = run("支持青川大学(青岛)与星港海洋研究所开展合作。")
    assert res.names("ResearchInstitute") == {"星港海洋研究所"}
    assert res.names("University") == {"青川大学(青岛)"}


def test_glued_preposition_is_not_part_of_the_name(run) -> None:
    res = run("沿云帆科技城布局重点项目。")
    assert res.names("Park") == {"云帆科技城"}


def test_verb_like_word_inside_a_chain_name(run) -> None:
    res = run("培育深海探测装备产业链。")
    assert res.names("IndustryChain") == {"深海探测装备产业链"}


# --- quoted names ------------------------------------------------------------------------------


def test_quoted_programme(run) -> None:
    res = run("深入实施“青川启航计划”,推动人才集聚。")
    prog = res.entity("青川启航计划", "Program")
    assert prog["name"] == "青川启航计划"  # the quotes are not part of the name
    assert prog["mentions"][0]["text"] == "“青川启航计划”"


def test_quoted_items_typed_by_their_category(run) -> None:
    res = run("举办“星河之夜”系列活动,打造“青川工匠”品牌。")
    assert res.entity("星河之夜")["type"] == "Event"
    assert res.entity("青川工匠")["type"] == "Program"


def test_counted_plus_formula_system(run) -> None:
    res = run("形成“1院”引导、“3平台”支撑、“N机构”加盟的“1+3+N”创新平台体系。")
    system = res.entity("1+3+N创新平台体系", "InnovationSystem")
    assert system["aliases"] == ["1+3+N"]
    assert system["props"]["roles"] == ["1", "3", "N"]


def test_counted_segment_system(run) -> None:
    res = run("构建“一核、两带、三区”的创新发展格局。")
    system = res.entity("一核、两带、三区", "InnovationSystem")
    assert system["props"]["roles"] == ["一核", "两带", "三区"]


# --- enumerations ------------------------------------------------------------------------------


def test_counted_list_of_enterprises(run) -> None:
    res = run("星河、云帆2家企业加快发展。")
    assert res.summary() == [("Enterprise", "星河"), ("Enterprise", "云帆")]


def test_a_long_list_of_partners_before_the_cue(run) -> None:
    res = run(
        "青川市科技创新规划\n"
        "加强与星港理工大学、云帆海洋研究院等大院大所以及晴川大学、澄江大学等国内一流高校合作。"
        "加强与星港理工大学、云帆海洋研究院等单位联合攻关,推动澄江大学建设新校区并开展深度合作。"
    )
    partners = {b for a, b in res.rels("COOPERATES_WITH") if a == "青川市"}
    assert partners == {"星港理工大学", "云帆海洋研究院", "晴川大学", "澄江大学"}


def test_a_province_abbreviation_seats_a_name_but_two_provinces_do_not(run) -> None:
    res = run(
        "四川省政府工作报告\n"  # the segmenter's one word 四川省政府 still names the province
        "建设川智数据服务平台,推进川滇数字经济走廊建设。推动星港科技集团重大项目在川落地。"
        "推动国务院决策部署在川落地见效。"
    )
    located = res.rels("LOCATED_IN")
    assert ("川智数据服务平台", "四川省") in located
    assert ("星港科技集团", "四川省") in located
    assert not any(a == "川滇数字经济走廊" for a, _ in located)
    assert not any(a == "国务院" for a, _ in located)  # a body's decisions land, not the body


def test_a_session_ordinal_opens_an_event_name_past_a_verb_like_word(run) -> None:
    res = run("办好第三届星港网络视听大会。")
    event = res.entity("第三届星港网络视听大会", "Event")
    assert "星港网络视听大会" in event["aliases"]


def test_short_names_share_the_head_of_the_last(run) -> None:
    res = run("持续支持青禾、澄江、云岫湖实验室发展,推进星港、晴川示范区建设。")
    labs = [name for typ, name in res.summary() if typ == "Lab"]
    assert sorted(labs) == sorted(["青禾实验室", "澄江实验室", "云岫湖实验室"])
    assert "星港示范区" not in [name for _, name in res.summary()]  # designations do not share


def test_counted_roles_spell_out_their_holders(run) -> None:
    res = run("构建“一核、两区”创新格局。“两区”即星港示范区、产城融合示范区。")
    system = res.entity("一核、两区", "InnovationSystem")["name"]
    assert res.rel("MEMBER_OF", "星港示范区", system)["props"]["role"] == "两区"
    assert res.rel("MEMBER_OF", "产城融合示范区", system)["props"]["role"] == "两区"


def test_responsibility_marker_lists_agencies(run) -> None:
    res = run("完善人才服务机制。(责任单位:市发展改革委、市蓝色产业办)")
    assert res.summary() == [("GovAgency", "市发展改革委"), ("GovAgency", "市蓝色产业办")]


def test_shared_chain_head(run) -> None:
    res = run("培育深远海装备、先进膜材料产业链。")
    assert res.names("IndustryChain") == {"深远海装备", "先进膜材料产业链"}


# --- clusters, chain items and the relations that hang on document structure -------------------

CLUSTER_DOC = (
    "青川市科技创新规划\n"
    "一、总体要求\n"
    "到2025年,青川市创新能力显著提升。\n"
    "二、支撑重点产业集群创新发展\n"
    "(一)深远海装备。\n"
    "围绕深远海装备产业集群,依托青川市海洋装备研究院,支持星港深海技术创新中心开展关键技术攻关。\n"
    "专栏1 深远海装备\n"
    "极地科考船产业链。形成涵盖“船体设计—总装建造—运维服务”的全产业链条,星港海洋研究所提供技术支撑。"
    "目前缺少深海电缆、水下机器人等配套企业,声呐、推力器等核心部件依赖进口。\n"
    "(二)先进膜材料。\n"
    "加快发展先进膜材料产业。\n"
    "(三)推进产业协同发展。\n"
    "加强协作。\n"
    "三、保障措施\n"
    "(一)组织保障。\n"
    "星港孵化器加快发展。"
)


def test_cluster_from_section_and_box_is_one_entity(run) -> None:
    res = run(CLUSTER_DOC)
    assert res.names("IndustryCluster") == {"深远海装备", "先进膜材料"}
    cluster = res.entity("深远海装备", "IndustryCluster")
    # the section heading, the sentence that names it as a cluster, and the box
    assert [m["text"] for m in cluster["mentions"]] == ["深远海装备", "深远海装备产业集群", "深远海装备"]
    assert [m["section"][-1] for m in cluster["mentions"]] == ["(一)深远海装备"] * 2 + ["专栏1 深远海装备"]


def test_cluster_box_variant_becomes_alias(run) -> None:
    res = run(CLUSTER_DOC.replace("专栏1 深远海装备", "专栏1 深远海高端装备"))
    (cluster,) = res.find("深远海装备", "IndustryCluster")
    assert {cluster["name"], *cluster["aliases"]} == {"深远海装备", "深远海高端装备", "深远海装备产业集群"}


def test_no_cluster_outside_a_cluster_section_or_from_a_task_heading(run) -> None:
    res = run(CLUSTER_DOC)
    assert res.find("推进产业协同发展") == []
    assert res.find("组织保障") == []


def test_lacks_after_a_cue_before_the_items(run) -> None:
    res = run(CLUSTER_DOC)
    chain = "极地科考船产业链"
    assert res.entity("深海电缆")["type"] == "ChainLink"
    assert {(chain, "深海电缆"), (chain, "水下机器人")} <= res.rels("LACKS")
    assert res.rel("LACKS", chain, "深海电缆")["props"] == {"cue": "缺少"}
    assert res.find("配套企业") == []


def test_lacks_before_import_dependency(run) -> None:
    res = run(CLUSTER_DOC)
    chain = "极地科考船产业链"
    assert {(chain, "声呐"), (chain, "推力器")} <= res.rels("LACKS")
    assert res.rel("LACKS", chain, "声呐")["props"] == {"cue": "依赖进口"}
    assert res.find("核心部件") == []


def test_lacks_item_containing_a_verb_substring(run) -> None:
    res = run(CLUSTER_DOC.replace("声呐、推力器", "声呐、推进器"))
    assert ("极地科考船产业链", "推进器") in res.rels("LACKS")


def test_has_link_from_dash_list_in_box(run) -> None:
    res = run(CLUSTER_DOC)
    chain = "极地科考船产业链"
    links = {
        dst: res.rel("HAS_LINK", src, dst)["props"]["ord"]
        for src, dst in res.rels("HAS_LINK")
        if src == chain
    }
    assert links == {"船体设计": 1, "总装建造": 2, "运维服务": 3}
    assert all(res.entity(n)["type"] == "ChainLink" for n in links)


def test_part_of_cluster_for_chain_in_the_box(run) -> None:
    res = run(CLUSTER_DOC)
    assert res.rels("PART_OF_CLUSTER") == {("极地科考船产业链", "深远海装备")}


def test_supports_from_actors_in_the_cluster_section(run) -> None:
    res = run(CLUSTER_DOC)
    assert res.rels("SUPPORTS") == {
        ("青川市海洋装备研究院", "深远海装备"),
        ("星港深海技术创新中心", "深远海装备"),
        ("星港海洋研究所", "极地科考船产业链"),  # in the box: the box paragraph's chain
    }
    assert res.entity("星港孵化器", "Incubator")  # outside the cluster part: supports nothing


# --- relations from cue words ------------------------------------------------------------------

PLACES_DOC = (
    "青岛市科技创新规划\n"
    "一、优化区域创新布局\n"
    "青岛市统筹全市创新资源,青岛市各区协同发展,青岛市创新能力持续提升。\n"
    "崂山区重点依托星港产业园、青川海洋装备研究院等,发展深远海装备产业。"
    "黄岛区重点依托星港产业园、云帆数控机床产业园等,发展先进膜材料产业。\n"
    "加快建设崂山微藻能源产业园。\n"
    "由青川市海洋装备研究院牵头,青川大学、星港海洋研究所等单位参与,建设青川深海技术创新中心。"
)


def test_located_in_from_region_relies_on(run) -> None:
    res = run(PLACES_DOC)
    located = res.rels("LOCATED_IN")
    assert {("青川海洋装备研究院", "崂山区"), ("云帆数控机床产业园", "黄岛区")} <= located


def test_located_in_from_district_prefix(run) -> None:
    res = run(PLACES_DOC)
    assert res.data["meta"]["home_city"] == "青岛市"
    assert ("崂山微藻能源产业园", "崂山区") in res.rels("LOCATED_IN")


def test_leads_and_participates(run) -> None:
    res = run(PLACES_DOC)
    assert res.rels("LEADS") == {("青川市海洋装备研究院", "青川深海技术创新中心")}
    assert res.rels("PARTICIPATES_IN") == {
        ("青川大学", "青川深海技术创新中心"),
        ("星港海洋研究所", "青川深海技术创新中心"),
    }


LAYOUT_DOC = (
    "青川市科技创新规划\n"
    "一、优化创新布局\n"
    "构建“一核、两带、三区”的创新发展格局。\n"
    "“一核”即青川云谷科技城。以青川市海洋装备研究院为核心,建设星港深海技术创新中心。\n"
    "“两带”即青川滨海创新经济带。"
)


def test_based_on_from_core_phrase(run) -> None:
    res = run(LAYOUT_DOC)
    assert res.rels("BASED_ON") == {("青川市海洋装备研究院", "星港深海技术创新中心")}


def test_member_of_from_role_definition(run) -> None:
    res = run(LAYOUT_DOC)
    system = "一核、两带、三区"
    assert res.rel("MEMBER_OF", "青川云谷科技城", system)["props"] == {"role": "一核"}
    assert res.rel("MEMBER_OF", "青川滨海创新经济带", system)["props"] == {"role": "两带"}


def test_member_of_when_jieba_glues_the_cue(run) -> None:
    res = run(LAYOUT_DOC.replace("青川云谷科技城", "星港科技城"))
    assert res.rel("MEMBER_OF", "星港科技城", "一核、两带、三区")["props"] == {"role": "一核"}


# --- within-document resolution ----------------------------------------------------------------


def test_bracket_form_and_short_form_are_one_entity(run) -> None:
    res = run(
        "青岛市科技创新规划\n"
        "一、建设创新平台\n"
        "青岛市组建青岛市海洋装备研究院(青岛蓝海高等技术研究院),青岛市星港管理局负责推进。\n"
        "支持市海洋装备研究院建设星港深海技术创新中心。青岛蓝海高等技术研究院加快发展。"
    )
    institutes = res.of_type("ResearchInstitute")
    assert len(institutes) == 1, institutes
    (ent,) = institutes
    assert ent["name"] == "青岛市海洋装备研究院"
    assert set(ent["aliases"]) == {"市海洋装备研究院", "青岛蓝海高等技术研究院"}
    assert len(ent["mentions"]) == 3


def test_same_name_in_two_district_lists_stays_two(run) -> None:
    res = run(PLACES_DOC)
    parks = res.find("星港产业园", "Park")
    assert len(parks) == 2
    by_id = {e["id"]: e["name"] for e in res.entities}
    regions = sorted(
        tuple(by_id[r["dst"]] for r in res.relations if r["type"] == "LOCATED_IN" and r["src"] == p["id"])
        for p in parks
    )
    assert regions == [("崂山区",), ("黄岛区",)]
    # each keeps its own evidence
    assert {p["mentions"][0]["sentence"][:3] for p in parks} == {"崂山区", "黄岛区"}


def test_repeated_name_is_one_entity(run) -> None:
    res = run("依托星港产业园建设孵化载体。星港产业园加快发展。")
    (park,) = res.find("星港产业园")
    assert len(park["mentions"]) == 2


def test_a_byline_is_read_whole_and_a_congress_is_one_body(run) -> None:
    # the dash line names the congress; no sentence end, yet it is not a line cut short
    res = run(
        "2026年青川市政府工作报告\n"
        "——2026年1月20日在青岛市第十八届人民代表大会第三次会议上\n"
        "各位代表:\n"
        "现在,我代表市人民政府向大会报告工作,请市人大审议。"
    )
    (congress,) = res.find("青岛市第十八届人民代表大会", "GovAgency")
    assert res.find("市人大", "GovAgency") == [congress]  # 人大 is 人民代表大会, 市 the home city
    assert res.rel("LOCATED_IN", congress["name"], "青岛市")


def test_a_counted_programme_takes_the_programmes_listed_after_it(run) -> None:
    text = (
        "青川市政府工作报告\n"
        "一、建设美好城市\n"
        "实施星港三大焕新行动。实施云帆街区焕新行动,完成改造20处。实施海湾绿道焕新行动。"
        "实施老旧管网焕新行动。开展十大行动,实施青川英才行动。\n"
    )
    res = run(text)
    members = {r["src"] for r in res.relations if r["type"] == "MEMBER_OF"}
    by_id = {e["id"]: e["name"] for e in res.entities}
    assert {by_id[m] for m in members} == {"云帆街区焕新行动", "海湾绿道焕新行动", "老旧管网焕新行动"}
    # 十大行动: a bare head after the count does not take in every programme
    assert not res.find("青川英才行动") or all(
        r["src"] != res.find("青川英才行动")[0]["id"] for r in res.relations if r["type"] == "MEMBER_OF"
    )


def test_items_of_a_list_closed_as_events_are_events_the_home_organises(run) -> None:
    res = run(
        "青岛市政府工作报告\n"
        "一、扩大开放\n"
        "成功举办星港数字经济论坛、云帆会、海湾青年创客周等重大活动,以球会友举办足球、龙舟等体育赛事活动。"
    )
    events = res.names("Event")
    assert {"星港数字经济论坛", "云帆会", "海湾青年创客周"} <= events
    assert not {"足球", "龙舟"} & events  # sports are not named events
    for name in ("云帆会", "海湾青年创客周"):
        assert res.rel("ORGANIZES", "青岛市", name)


def test_a_quantity_before_a_category_noun_is_no_name(run) -> None:
    res = run("青川市政府工作报告\n一、乡村振兴\n星港全产业链总产值达到3500亿元、百亿元以上产业链达到15条。")
    assert not res.of_type("IndustryChain"), res.of_type("IndustryChain")


def test_items_selected_into_a_category_take_its_type(run) -> None:
    res = run(
        "青川市政府工作报告\n一、产业发展\n"
        "星港光电、云帆海工入选国家先进制造业集群。打造青川海藻、青川海参等现代农业产业集群。"
    )
    assert {"星港光电", "云帆海工", "青川海藻", "青川海参"} <= res.names("IndustryCluster")


def test_the_first_of_its_kind_is_praise_not_name(run) -> None:
    res = run(
        "青川市政府工作报告\n一、开放\n成功举办全球首个星港机器人马拉松比赛,实施全国首批云帆街区更新行动。"
    )
    assert "星港机器人马拉松比赛" in res.names("Event")
    assert "云帆街区更新行动" in res.names("Program")


def test_an_adjective_and_a_common_noun_name_no_zone(run) -> None:
    res = run("青川市政府工作报告\n一、城市更新\n建设好房子、好小区、好社区。医院新院区投用,临港区加快发展。")
    regions = res.names("Region")
    assert not {"好小区", "新院区"} & regions
    assert "临港区" in regions  # a place word before 港区 keeps the zone


def test_world_class_and_old_campus_are_categories(run) -> None:
    res = run("青川市政府工作报告\n一、教育\n支持青川大学建设世界一流大学,盘活高校老校区。")
    assert res.names("University") == {"青川大学"}


def test_kinds_of_company_are_categories(run) -> None:
    res = run("青川市政府工作报告\n一、金融\n新增境内上市公司5家,组建紧密型城市医疗集团,星港海工集团上市。")
    assert res.names("Enterprise") == {"星港海工集团"}


def test_building_something_together_is_cooperation(run) -> None:
    res = run("青岛市政府工作报告\n一、区域合作\n与烟台市共同打造海洋经济增长极。")
    assert res.rel("COOPERATES_WITH", "青岛市", "烟台市") or res.rel("COOPERATES_WITH", "烟台市", "青岛市")


def test_the_home_administrations_own_platform_is_named_by_its_prefix(run) -> None:
    res = run(
        "星港省政府工作报告\n一、营商环境\n建成省招投标交易平台,用好省大型科学仪器共享平台。"
        "建设省重点实验室,推动市场化交易平台发展。"
    )
    assert {"省招投标交易平台", "省大型科学仪器共享平台"} <= res.names("Platform")
    assert not {"省重点实验室"} & res.names("Lab")  # a category, whatever the prefix
    assert not any(n.startswith("市场") for n in res.names())  # 市 of 市场 is no prefix


def test_a_quoted_short_name_after_a_platform_is_that_platform(run) -> None:
    res = run("星港省政府工作报告\n一、金融\n开通省融资信用服务平台“星易贷”,上线科技服务平台“云帆通”。")
    [loan] = res.find("星易贷")
    assert loan["type"] == "Platform" and loan["name"] == "省融资信用服务平台"
    assert [e["type"] for e in res.find("云帆通")] == ["Platform"]  # a category named by its quote


def test_the_home_provinces_own_group_is_named_and_city_owned_groups_are_a_category(run) -> None:
    res = run("星港省政府工作报告\n一、国资国企\n组建省投资控股集团,推动市属国有企业集团改革。")
    assert res.names("Enterprise") == {"省投资控股集团"}


def test_a_place_the_segmenter_glued_to_a_verb_is_cut_out_again(run) -> None:
    # 打|造成|渝: the place 成渝 starts inside the segmenter's word 造成
    res = run("四川省政府工作报告\n一、区域协同\n协同打造成渝云帆城市群,加快推进。")
    assert "成渝云帆城市群" in res.names("Region")
    assert not any(n.startswith("渝云帆") for n in res.names())


def test_the_last_item_of_a_place_list_may_join_two_places(run) -> None:
    res = run("星港省政府工作报告\n一、区域\n聚焦云帆山、星河谷北麓和青川江流域等重点区域谋划项目。")
    assert {"星河谷北麓", "青川江流域"} <= res.names("Region")
    assert "星河谷北麓和青川江流域" not in res.names()


def test_a_frequent_common_word_before_a_suffix_is_no_unknown_place(run) -> None:
    res = run("青川市政府工作报告\n一、履职\n办理市人大代表议案5项,办理市政协提案8项。")
    assert "办理市" not in res.names("Region")


def test_an_area_named_after_its_centre_city_is_not_located_in_it(run) -> None:
    res = run("星港省政府工作报告\n一、区域\n南阳市加快建设。建设南阳都市圈,推动发展。")
    assert "南阳都市圈" in res.names("Region")
    assert ("南阳都市圈", "南阳市") not in res.rels("LOCATED_IN")


def test_an_uncounted_slogan_names_an_innovation_system_only_in_its_words(run) -> None:
    res = run("星港省政府工作报告\n一、治理\n完善“山海同心”工作体系,构建“政校企研”一体化协同创新体系。")
    systems = res.names("InnovationSystem")
    assert "山海同心工作体系" not in systems
    assert "政校企研一体化协同创新体系" in systems


def test_a_programme_in_rounds_goes_by_its_name_without_the_round(run) -> None:
    res = run("青川市政府工作报告\n一、民生\n实施第三轮星河振兴行动,推进发展。")
    [program] = res.find("星河振兴行动", "Program")
    assert program["name"] == "第三轮星河振兴行动"


def test_a_counted_plural_names_no_actor_but_a_programmes_sites_keep_its_name(run) -> None:
    res = run("青川市政府工作报告\n一、科技\n星河融合等3个交叉实验平台试运行,开展首批9个城乡振兴试点。")
    assert "交叉实验平台" not in res.names("Platform")
    assert "城乡振兴试点" in res.names("Program")


def test_a_verb_after_a_coverbs_object_opens_the_programmes_name(run) -> None:
    res = run("青川市科技创新条例\n第一条 创新主体可以按照规定联合申报星河科技计划。建立“揭榜”攻关项目库。")
    assert "星河科技计划" in res.names("Program")
    assert not any(n.startswith(("规定", "联合")) for n in res.names())
    assert not any("攻关项目" in n for n in res.names("Program"))  # a library of projects is none


def test_a_function_word_glued_to_a_level_prefix_is_split(run) -> None:
    res = run("星港省科技创新条例\n第十条 省人民政府应当定期向省人民代表大会报告工作。由省科技厅负责实施。")
    agencies = res.names("GovAgency")
    assert {"省人民代表大会", "省科技厅"} <= agencies
    assert not any(n.startswith(("向", "由")) for n in agencies)


def test_a_bare_prefix_of_a_level_below_the_home_names_a_category_of_bodies(run) -> None:
    res = run(
        "青川市科技创新条例\n第十条 市人民政府统筹推进。区人民政府负责实施,县人民政府配合,省政府给予支持。"
    )
    agencies = res.names("GovAgency")
    assert {"市人民政府", "省政府"} <= agencies  # the city's own, and the one province it lies in
    assert not {"区人民政府", "县人民政府"} & agencies


def test_a_date_before_a_name_is_not_part_of_it(run) -> None:
    res = run(
        "青川市科技创新条例\n(2010年12月23日青川市第十三届人民代表大会常务委员会第二十二次会议通过)\n"
        "第一条 为了促进创新,制定本条例。"
    )
    assert not any(n.startswith("日") for n in res.names())


def test_levels_joined_by_a_conjunction_name_a_category_of_bodies(run) -> None:
    res = run("星港省科技创新条例\n第五条 国家和地方人民政府设立的专项,由省和市科技部门负责。")
    assert not any(n.startswith(("国家和", "省和")) for n in res.names("GovAgency"))


def test_a_head_after_a_conjunction_or_a_grade_names_no_one_thing(run) -> None:
    res = run(
        "星港省政府工作报告\n一、治理\n在思想和行动上保持一致,开展云帆、星河等行动,建设标杆级孵化器。"
        "省长在会上作政府工作报告。"
    )
    names = res.names()
    assert not {"思想和行动", "标杆级孵化器"} & names
    assert not any(n.endswith(("等行动", "作政府")) for n in names)


def test_a_list_item_with_a_verb_inside_is_a_clause_not_a_name(run) -> None:
    res = run("星港省政府工作报告\n一、创新\n青川、云帆入围全球百强创新集群。")
    assert not any("入围" in n for n in res.names())


def test_a_place_after_a_locative_preposition_is_not_the_subject(run) -> None:
    res = run(
        "青川市科技局新闻发布会\n一、合作\n本月17、18日,将在北京与南开大学、中科院相关院所等共同举办"
        "“星河创新大会”活动,欢迎参会。"
    )
    assert not {p for p in res.rels("COOPERATES_WITH") if "北京" in p}
    assert not {p for p in res.rels("ORGANIZES") if "北京" in p}


def test_a_facility_named_before_a_university_is_not_part_of_its_name(run) -> None:
    res = run("青川市科技局新闻发布会\n一、平台\n国家大科学装置云帆大学高通量试验堆项目即将启动。")
    assert "云帆大学" in res.names("University")
    assert not any(n.startswith("国家大科学装置") for n in res.names("University"))


def test_a_list_summed_up_by_deng_and_a_sequence_of_kinds_are_no_names(run) -> None:
    res = run(
        "青川市科技创新规划\n一、人才\n落实我市“云帆英才计划”“星河储备计划”等人才计划。"
        "完善“众创空间—孵化器—加速器—产业园”全链条孵化体系。"
    )
    assert res.names("Program") == {"云帆英才计划", "星河储备计划"}
    assert not any("—" in n for n in res.names())


def test_places_the_gazetteer_lacks_by_dictionary_tag_or_abbreviation_and_direction(run) -> None:
    res = run("福建省政府工作报告\n一、区域\n加快闽北地区建设。南阳都市圈主引擎地位更加凸显。")
    assert {"闽北地区", "南阳都市圈"} <= res.names("Region")


def test_an_article_marker_does_not_hide_the_topic_a_clause_is_based_on(run) -> None:
    res = run(
        "青川市科技创新中心建设条例\n## 第二章 建设布局\n"
        "第十三条 青川科技创新中心建设以云帆科学城、星河科学城为主要平台，坚持与青川自由贸易试验区建设联动。"
    )
    based = res.rels("BASED_ON")
    assert ("云帆科学城", "青川市科技创新中心") in based  # the short form joins the title's
    assert not {p for p in based if p[1] == "青川自由贸易试验区"}


def test_an_event_after_its_session_ordinal_may_hold_a_verbal_noun(run) -> None:
    res = run(
        "星港省政府工作报告\n一、开放\n成功举办第八届云帆数字建设峰会、星河航海装备大会等活动成功举办。"
    )
    assert "第八届云帆数字建设峰会" in res.names("Event")


def test_events_summed_up_by_deng_before_was_held_are_the_homes(run) -> None:
    res = run("福建省政府工作报告\n一、开放\n星河航海装备大会、云帆侨商发展大会等活动成功举办。")
    assert ("福建省", "星河航海装备大会") in res.rels("ORGANIZES")
    assert ("福建省", "云帆侨商发展大会") in res.rels("ORGANIZES")


def test_a_quote_closed_before_the_head_does_not_carry_the_name_across_a_conjunction(run) -> None:
    res = run("星港省政府工作报告\n一、投资\n支持企业参与“云帆”建设、“星河”工作以及青川港扩建工程。")
    assert not any("以及" in n for n in res.names())
    assert "青川港扩建工程" in res.names("Program")


def test_the_projects_of_a_national_policy_shorthand_are_no_programme(run) -> None:
    res = run("星港省政府工作报告\n一、投资\n加快“两重”项目建设，实施“云帆”行动。")
    assert "两重项目" not in res.names()
    assert "云帆行动" in res.names("Program")


def test_a_token_ending_with_a_category_noun_is_not_part_of_the_name_after_it(run) -> None:
    res = run("星港省政府工作报告\n一、产业\n新央企中国星河航空集团落户星港。")
    assert "中国星河航空集团" in res.names("Enterprise")
    assert not any(n.startswith("新央企") for n in res.names())


def test_a_list_item_after_one_with_the_same_head_is_whole_from_the_separator(run) -> None:
    res = run("星港省政府工作报告\n一、平台\n加快星河科创城、聚变科创城等产业平台建设。")
    assert {"星河科创城", "聚变科创城"} <= res.names("Park")


def test_a_list_closed_by_a_qualified_chain_noun_names_no_chains(run) -> None:
    key = run("星港省政府工作报告\n一、产业\n壮大高山茶、冷水鱼等重点产业链。")
    assert not key.names("IndustryChain")
    plain = run("星港省政府工作报告\n一、产业\n构建高山茶、冷水鱼等产业链。")
    assert {"高山茶", "冷水鱼"} <= plain.names("IndustryChain")


def test_a_park_opening_with_a_graded_level_is_a_rank_of_zone(run) -> None:
    res = run("星港省政府工作报告\n一、园区\n新增国家级冰雪旅游度假区2家，建设云帆冰雪旅游度假区。")
    assert "国家级冰雪旅游度假区" not in res.names()
    assert "云帆冰雪旅游度假区" in res.names("Park")


def test_a_clause_joined_by_bing_or_a_reporting_verb_is_no_part_of_a_name(run) -> None:
    res = run(
        "星港市科技创新条例\n第十条 市人民政府应当向市人民代表大会常务委员会报告云帆科技创新中心建设情况。"
        "支持星港数据交易所设立云帆板并试点注册制。"
    )
    assert not any("报告" in n for n in res.names())
    assert not any("并" in n for n in res.names("Program"))


def test_a_bracketed_short_form_formula_gives_an_alias_not_part_of_the_name(run) -> None:
    res = run("星港市科技创新条例\n第三条 云帆国家自主创新示范区（以下简称“示范区”）由甲园、乙园组成。")
    assert "云帆国家自主创新示范区" in res.names("Park")
    assert not any("简称" in n for n in res.names())


def test_two_levels_joined_name_a_kind_of_programme_and_no_zone(run) -> None:
    res = run(
        "星港市科技创新条例\n第八条 企业可以承担国家和本市云帆重大专项。"
        "第九条 市和区人民政府应当支持企业在证券公司挂牌，与其他国家或者地区科技园区合作。"
    )
    assert not any(n.startswith("国家和本市") for n in res.names())
    assert "市和区" not in res.names("Region")
    assert not {"证券公司", "地区科技园区"} & res.names()


def test_the_place_where_something_lies_is_no_part_of_a_bodys_name(run) -> None:
    res = run("山东省科技创新条例\n第五条 云帆示范区所在地潍坊市人民政府应当支持示范区建设。")
    assert "潍坊市人民政府" in res.names("GovAgency")
    assert not any("所在地" in n for n in res.names())


def test_a_kind_in_quotes_is_a_concept_and_a_formula_figure_is_no_count(run) -> None:
    res = run("星港省政府工作报告\n一、园区\n打造“飞地园区”示范样板，“4+4云帆工程”取得成果，实施“百千工程”。")
    assert "飞地园区" not in res.names()
    assert {"4+4云帆工程", "百千工程"} <= res.names("Program")


def test_a_verb_of_enrichment_opens_no_name(run) -> None:
    res = run("星港省政府工作报告\n一、创新\n丰富云帆国家自主创新示范区内涵。")
    assert "云帆国家自主创新示范区" in res.names("Park")


def test_qualities_of_a_kind_make_no_name(run) -> None:
    res = run("星港省政府工作报告\n一、教育\n建设中国特色世界一流大学，打造科创平台。")
    assert not res.names("University") and not res.names("Platform")


def test_quoted_items_before_a_head_share_it_and_a_slogan_going_out_has_no_seat(run) -> None:
    res = run("重庆市政府工作报告\n一、开放\n推进“云帆启航”“渝企出海”行动计划，实施“星河计划”“雁阵”行动。")
    assert {"云帆启航行动计划", "渝企出海行动计划", "星河计划", "雁阵行动"} <= res.names("Program")
    assert not any("星河计划雁阵" in n for n in res.names())
    assert not {p for p in res.rels("LOCATED_IN") if p[0] == "渝企出海行动计划"}


def test_a_common_noun_zone_word_after_a_word_is_no_zone_and_field_words_name_nothing(run) -> None:
    res = run(
        "星港市政府工作报告\n一、城市\n改造180个城镇老旧小区，强化经济大区引领带动。"
        "支持新材料等领域国家制造业创新中心、上下游产业链和传统产业集群发展，争建国家云帆技术创新中心。"
    )
    assert not {"老旧小区", "经济大区"} & res.names("Region")
    assert not any(n.startswith(("领域", "上下游", "传统", "争建")) for n in res.names())
    assert "国家云帆技术创新中心" in res.names("Platform")


def test_a_region_name_holds_no_conjunction_and_a_genre_verb_is_no_county(run) -> None:
    res = run(
        "江西省政府工作报告\n一、区域\n南昌、九江两地联席会议及南昌都市圈结对机制常态化运行。新建和改造高标准农田81万亩。"
    )
    assert "南昌都市圈" in res.names("Region")
    assert not any("会议" in n for n in res.names("Region"))
    assert "新建" not in res.names("Region")


def test_a_group_of_countries_by_membership_is_no_region(run) -> None:
    res = run("星港省政府工作报告\n一、开放\n深化与共建“一带一路”国家、金砖国家和东盟合作。")
    assert not {"共建“一带一路”国家", "金砖国家"} & res.names("Region")
    assert "东盟" in res.names("Region")


def test_the_end_of_a_verb_glued_to_a_name_is_cut_off(run) -> None:
    res = run("河北省政府工作报告\n一、平台\n做大做强雄安云帆科技园等平台。")
    assert "雄安云帆科技园" in res.names("Park")
    assert not any(n.startswith("做强") for n in res.names())


def test_a_zone_kind_and_its_standard_short_form_are_one_zone(run) -> None:
    res = run(
        "星港省政府工作报告\n一、开放\n深入实施自由贸易试验区提升战略，自贸试验区120项改革任务全面完成。"
    )
    zones = res.of_type("Park")
    assert len(zones) == 1
    assert {zones[0]["name"], *zones[0]["aliases"]} >= {"自由贸易试验区", "自贸试验区"}


def test_a_tech_type_or_brand_incubator_is_a_kind(run) -> None:
    res = run("星港省政府工作报告\n一、创新\n新增科技型企业孵化器12家，建设品牌众创空间。")
    assert not res.names("Incubator")


def test_a_place_glued_to_its_peoples_noun_is_still_a_place(run) -> None:
    res = run("星港省政府工作报告\n结束语\n向港澳同胞、台湾同胞和海外侨胞致以崇高的敬意。")
    assert {"港澳", "台湾"} <= res.names("Region")


def test_a_negated_predicate_between_a_place_and_a_facility_word_leaves_the_place(run) -> None:
    res = run("四川省政府工作报告\n一、交通\n改变川西北不通铁路的历史。建成密云水库。")
    assert "川西北" in res.names("Region")


def test_a_zone_of_several_provinces_is_an_economic_region_and_a_tech_corridor_a_park(run) -> None:
    res = run(
        "四川省政府工作报告\n一、区域\n推进川藏经济协作试验区和长三角生态绿色示范区建设，打造成渝中线科创走廊。"
    )
    assert {"川藏经济协作试验区", "长三角生态绿色示范区"} <= res.names("Region")
    assert "成渝中线科创走廊" in res.names("Park")


def test_the_nations_political_layout_is_no_regional_system(run) -> None:
    res = run("星港省政府工作报告\n一、总体\n统筹推进“五位一体”总体布局，构建“一核两翼”区域发展格局。")
    assert not any("五位一体" in n for n in res.names())
    assert any(n.startswith("一核两翼") for n in res.names("InnovationSystem"))


def test_what_stands_before_a_count_owns_the_counted_things(run) -> None:
    res = run(
        "星港省政府工作报告\n一、项目\n推进国家36项重大工程，开工云帆西线6个工程，实施城市更新六大提升行动。"
        "加强医保基金监管。在思想上政治上行动上保持一致。"
    )
    names = res.names("Program")
    assert not any(n.startswith(("国家36项", "云帆西线")) for n in names)
    assert "城市更新六大提升行动" in names
    assert not {"医保基金"} & names
    assert not any(n.endswith("上行动") for n in names)


def test_a_conjunction_after_a_quoted_item_opens_the_next_name(run) -> None:
    res = run("星港省政府工作报告\n一、教育\n实施“云帆”和星河高校建设计划。")
    assert "星河高校建设计划" in res.names("Program")


def test_a_rank_a_place_gives_and_a_kind_in_a_province_name_no_lab(run) -> None:
    res = run("北京市科技创新条例\n第九条 支持在京国家实验室建设，布局北京市重点实验室，建设云帆实验室。")
    assert res.names("Lab") == {"云帆实验室"}


def test_a_bodys_term_without_di_still_names_the_body(run) -> None:
    res = run(
        "潍坊市政府工作报告\n——2026年1月12日在潍坊市第十六届人民代表大会第四次会议上\n"
        "一、回顾\n完成了市十六届人大三次会议确定的目标任务。市人大常委会依法监督。"
    )
    congress = [e for e in res.of_type("GovAgency") if "人民代表大会" in e["name"]]
    assert len(congress) == 1
    assert "市十六届人大" in {congress[0]["name"], *congress[0]["aliases"]}


def test_words_the_dictionary_knows_are_not_cut_and_a_name_after_he_opens_with_its_place(run) -> None:
    res = run(
        "星港省政府工作报告\n一、开放\n全面建成以内陆开放型经济试验区为重点的开放体系，打造沿边产业园区升级版，"
        "建设云帆中转集拼地和西南云帆物流枢纽。"
    )
    parks = res.names("Park")
    assert {"内陆开放型经济试验区", "沿边产业园"} <= parks
    assert not any("和" in n for n in parks)


def test_a_zone_designation_of_development_is_a_kind_but_a_programme_keeps_its_words(run) -> None:
    res = run("星港省政府工作报告\n一、产业\n争创新兴产业发展示范基地，实施新兴产业创新发展行动。")
    assert not res.names("Park")
    assert "新兴产业创新发展行动" in res.names("Program")


def test_an_events_name_keeps_a_joined_noun_and_a_dates_numeral(run) -> None:
    res = run("星港省政府工作报告\n一、开放\n成功举办云帆学与全球文明对话大会，承办六五环境日国家主场活动。")
    assert {"云帆学与全球文明对话大会", "六五环境日国家主场活动"} <= res.names("Event")


def test_no_university_is_named_by_one_character(run) -> None:
    res = run(
        "星港省政府工作报告\n一、创新\n推动大学城、科学城深度融合，探索环大学创新创业生态圈“多校一园”模式，云帆大学加快建设。"
    )
    assert res.names("University") == {"云帆大学"}


def test_a_programmes_award_is_not_the_programme_and_a_projects_phase_is_its_name(run) -> None:
    res = run("星港省政府工作报告\n一、文化\n一批作品获“云帆工程”奖。加快星河炼化一体化工程二期建设。")
    names = res.names("Program")
    assert "云帆工程" not in names
    assert "星河炼化一体化工程二期" in names


def test_a_reports_byline_without_a_dash_is_whole_and_an_institution_keeps_a_glued_word(run) -> None:
    res = run(
        "2026年潍坊市人民政府工作报告\n2026年2月3日在潍坊市第十六届人民代表大会第五次会议上\n"
        "各位代表：\n一、回顾\n去年初，自然资源部将潍坊确定为试点城市。"
    )
    gov = res.names("GovAgency")
    assert "潍坊市第十六届人民代表大会" in gov
    assert "自然资源部" in gov


def test_a_list_item_after_a_name_of_its_type_is_whole_unless_a_verb_opens_it(run) -> None:
    res = run("星港省政府工作报告\n一、平台\n星河深地科学中心、电磁驱动聚变大科学装置获批建设。")
    assert {"星河深地科学中心", "电磁驱动聚变大科学装置"} <= res.names("Platform")


def test_a_locative_or_kind_word_before_a_zone_head_names_no_zone(run) -> None:
    res = run(
        "星港市科技创新规划\n一、园区\n实现农业科技园区县级全覆盖后开发区创建工作，在境外建立前端研发基地，推动园区开发区整合。"
    )
    assert not {"后开发区", "前端研发基地", "园区开发区"} & res.names()


def test_a_science_popularisation_contest_is_a_kind(run) -> None:
    res = run("星港市科技创新规划\n一、科普\n组织开展科普竞赛、科普宣传等活动，举办云帆机器人大赛。")
    assert "科普竞赛" not in res.names()
    assert "云帆机器人大赛" in res.names("Event")


def test_a_position_on_a_chain_is_no_missing_item(run) -> None:
    res = run(
        "星港市科技创新规划\n一、产业链\n## 云帆轮胎产业技术创新链\n"
        "围绕产业上游天然橡胶、炭黑等原材料主要来自外地,下游与市内房车、专用车生产企业配套率不高等问题,推动企业合作。"
    )
    lacked = {d for s, d in res.rels("LACKS")}
    assert "天然橡胶" in lacked
    assert not {"下游", "末端", "上游"} & lacked


def test_both_ends_of_a_route_are_places_though_a_facility_word_follows(run) -> None:
    res = run("浙江省政府工作报告\n一、交通\n建成诸暨至嵊州高速公路，加快密云水库建设。")
    assert {"诸暨", "嵊州"} <= res.names("Region")
    assert "密云" not in res.names("Region")


def test_a_verb_led_zone_word_and_a_quoted_description_name_no_region(run) -> None:
    res = run(
        "星港省政府工作报告\n一、区域\n做强大区支撑。云帆实现了从“最不适宜人类居住的地区”到减贫样板的转变。"
    )
    assert not {"做强大区", "最不适宜人类居住的地区"} & res.names()


def test_a_list_item_that_is_a_kind_names_none(run) -> None:
    res = run("星港省政府工作报告\n一、产业\n新增2个国家先进制造业集群、19个云帆特色产业集群。")
    assert "国家先进制造业集群" not in res.names()


def test_a_platform_opening_with_a_graded_level_is_a_rank(run) -> None:
    res = run("星港省政府工作报告\n一、平台\n培育国家级工业互联网平台3个，建设云帆工业互联网平台。")
    assert "国家级工业互联网平台" not in res.names()
    assert "云帆工业互联网平台" in res.names("Platform")


def test_an_institutes_short_forms_compose(run) -> None:
    res = run(
        "星港市科技创新规划\n一、合作\n深化与中国科学院星河研究所合作。深化与云帆大学、中科院星河所等院所对接。"
    )
    institute = [e for e in res.of_type("ResearchInstitute") if "星河" in e["name"]]
    assert len(institute) == 1
    assert {"中国科学院星河研究所", "中科院星河所"} <= {institute[0]["name"], *institute[0]["aliases"]}


def test_a_national_designation_a_place_holds_keeps_its_scope_word(run) -> None:
    res = run(
        "广西壮族自治区政府工作报告\n一、开放\n高质量建设南宁、柳州全国乡村振兴示范区，推动全国领先的创新平台建设。"
    )
    assert {"南宁全国乡村振兴示范区", "柳州全国乡村振兴示范区"} <= res.names("Park")
    assert "乡村振兴示范区" not in res.names()


def test_a_head_counted_right_after_names_a_kind(run) -> None:
    res = run(
        "星港市政府工作报告\n一、民生\n新建改造乡村净水工程100处，星河研究所创新港14个项目落户，实施云帆工程。"
    )
    assert not {"乡村净水工程", "改造乡村净水工程"} & res.names()
    assert "云帆工程" in res.names("Program")


def test_an_award_winner_whose_name_opens_with_a_place_is_a_firm(run) -> None:
    res = run(
        "广西壮族自治区政府工作报告\n一、产业\n全年新增企业1万家。柳州云帆获“中国工业大奖”，实现零的突破。"
    )
    assert "柳州云帆" in res.names("Enterprise")


def test_a_laws_adoption_note_is_a_record_not_a_sentence(run) -> None:
    res = run(
        "星港市科技创新条例\n2025年3月1日 星港市第九届人民代表大会第二次会议通过\n"
        "第一条 为了推进星港科学城建设，制定本条例。"
    )
    assert not any("人民代表大会" in n for n in res.names())
    assert "星港科学城" in res.names("Park")


def test_a_governing_verb_the_segmenter_split_opens_a_programme(run) -> None:
    res = run(
        "星港市政府工作报告\n一、文化\n建强研究基地，迭代升级星河文化创新工程，深入实施优化云帆环境行动。"
    )
    assert "星河文化创新工程" in res.names("Program")
    assert "优化云帆环境行动" in res.names("Program")  # 实施|优化…: the second verb is the name's


def test_an_unlisted_verb_right_after_a_place_is_part_of_the_name(run) -> None:
    res = run("重庆市政府工作报告\n一、科技\n支持重庆通用机器人研究院建设。")
    assert "重庆通用机器人研究院" in res.names("ResearchInstitute")


def test_a_levels_programme_is_named_by_its_words_alone(run) -> None:
    res = run(
        "星港市科技创新规划\n一、项目\n推荐申报省重点研发专项、市重点工程，争取国家省市重大科技专项支持，"
        "承担省重点研发计划项目。"
    )
    programmes = res.names("Program")
    assert "省重点研发专项" in programmes
    assert not {"市重点工程", "国家省市重大科技专项", "省重点研发计划"} & programmes


def test_two_names_of_one_event_joined_by_ji_are_one_name(run) -> None:
    res = run("星港市科技创新规划\n一、活动\n成功举办星洽会暨中国星港·国际人才创新创业大会等活动。")
    assert "星洽会暨中国星港·国际人才创新创业大会" in res.names("Event")
    assert not any(n.startswith("暨") for n in res.names())
