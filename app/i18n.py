"""The app's language: Chinese first, English on request.

`tr(zh, en)` picks the text of the current language; `label`/`rel` name a schema label or relationship
type by its name in graph/schema.py (the codes are never shown in the Chinese interface); `column`
names a table column (the English header is the key). No Streamlit here: the page sets the language
of its run (`use`) once it has read it from the session or the URL (app/ui.py), so pure table builders
and their tests can use the same functions.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from graph.schema import NODE_SPECS, REL_SPECS

LANGS: dict[str, str] = {"zh": "中文", "en": "English"}
DEFAULT = "zh"
PARAM = "lang"  # ?lang=en in a link or the address bar
# Each script run (one thread per session) sets its own: no session reads another's language.
_LANG: ContextVar[str] = ContextVar("ikg_lang", default=DEFAULT)


def lang() -> str:
    return _LANG.get()


def use(code: str) -> None:
    """The language of the rest of this run (an unknown code: Chinese)."""
    _LANG.set(code if code in LANGS else DEFAULT)


@contextmanager
def using(code: str) -> Iterator[None]:
    token = _LANG.set(code if code in LANGS else DEFAULT)
    try:
        yield
    finally:
        _LANG.reset(token)


def tr(zh: str, en: str) -> str:
    return en if lang() == "en" else zh


def label(code: Any) -> str:
    """A node label by its name (高校 / university); an unknown code as it is."""
    spec = NODE_SPECS.get(str(code or ""))
    if spec is None:
        return str(code or "")
    return spec.en if lang() == "en" else spec.zh


def rel(code: Any) -> str:
    """A relationship type by its name (支撑 / supports); an unknown code as it is."""
    spec = REL_SPECS.get(str(code or ""))
    if spec is None:
        return str(code or "")
    return spec.en if lang() == "en" else spec.zh


def count(n: int, zh_unit: str, en_one: str, en_many: str | None = None) -> str:
    """ "3 个环节" / "3 links"."""
    if lang() == "en":
        return f"{n} {en_one if n == 1 else (en_many or en_one + 's')}"
    return f"{n} {zh_unit}"


def joined(items: Any) -> str:
    """A list as one cell: 、 between items in Chinese, ", " in English."""
    return ("、" if lang() == "zh" else ", ").join(str(i) for i in items if i not in (None, ""))


# Table headers, by their English text. One entry per header the app shows; `column` raises on a
# header missing here, so a new table cannot slip through untranslated.
COLUMNS: dict[str, str] = {
    "title": "标题",
    "date": "日期",
    "issuer": "发布单位",
    "file": "文件",
    "entities named": "提及实体数",
    "warning": "读取提示",
    "id": "编号",
    "type": "类型",
    "count": "数量",
    "what": "含义",
    "relationship": "关系",
    "reason": "原因",
    "structure": "体系",
    "declared": "申报数",
    "named": "点名数",
    "unnamed": "未点名",
    "named / declared per role": "各角色点名/申报",
    "status": "状态",
    "members": "成员",
    "documents": "文件",
    "cluster": "产业集群",
    "chains": "产业链数",
    "chain names": "产业链",
    "what is known": "已知情况",
    "rank": "排名",
    "chain": "产业链",
    "kind": "类别",
    "clusters": "所属集群",
    "gaps": "短板数",
    "lacks": "缺少项数",
    "links": "环节数",
    "links without support": "无支撑环节数",
    "lacked items": "缺少项",
    "unsupported links": "无支撑环节",
    "ord": "顺序",
    "link": "环节",
    "supported by": "支撑主体",
    "evidence": "原文证据",
    "item": "缺少项",
    "lacked by": "缺少它的链数",
    "chains / clusters": "产业链/集群",
    "target": "目标值",
    "step": "步骤",
    "from": "从",
    "to": "到",
    "other": "对方",
    "other type": "对方类型",
    "direction": "方向",
    "properties": "属性",
    "actor": "主体",
    "actor type": "主体类型",
    "region": "地区",
    "unsupported": "无支撑",
    "whole chain": "整条链",
    "whole cluster": "集群本身",
    "supporters": "支撑主体数",
    "decision": "决定",
    "entity": "实体",
    "value": "新值",
    "who": "操作人",
    "when": "时间",
    "why": "理由",
    "undone": "已撤销",
    # the policy page
    "indicator": "指标",
    "target year": "目标年份",
    "latest reported": "最新实际值",
    "reported year": "实际值年份",
    "gap": "差距",
    "gap unit": "差距单位",
    "key": "指标代码",
    "target documents": "目标出处",
    "reported documents": "实际值出处",
    "place": "地区",
    "targets": "目标数",
    "met": "已达标",
    "behind": "未达标",
    "no data": "无数据",
    "highest": "最高",
    "agency": "责任单位",
    "no.": "序号",
    "measure": "措施",
    "awards": "奖补",
    "responsible agencies": "全部责任单位",
    "award kind": "奖补对象",
    "role": "条件",
    "amount (万元)": "金额(万元)",
    "fixed or cap": "定额或上限",
    "grant": "奖励/补助",
    # regions
    "labs": "实验室",
    "platforms": "平台",
    "parks": "园区",
    "counted systems": "计数体系",
    "indicator targets": "指标目标",
    "industry clusters": "产业集群",
    "industry chains": "产业链",
}


def column(en: str) -> str:
    """A table header in the current language (the English text is the key)."""
    if lang() == "en":
        return en
    return COLUMNS[en]


def columns(names: list[str]) -> dict[str, str]:
    """{English header: shown header}, for DataFrame.rename; headers that are data (a place's name as a
    column) stay as they are."""
    return {name: column(name) for name in names if name in COLUMNS}


@functools.cache
def _codes() -> re.Pattern[str]:
    codes = sorted({*NODE_SPECS, *REL_SPECS}, key=len, reverse=True)
    return re.compile(r"(?<![A-Za-z_])(" + "|".join(codes) + r")(?![A-Za-z_])")


def names_in(text: Any) -> str:
    """Text with every label or relationship-type code in it replaced by its name ("Program → Region"
    → "计划项目 → 区域"): for build-report lines written with the codes."""
    return _codes().sub(
        lambda m: label(m.group(1)) if m.group(1) in NODE_SPECS else rel(m.group(1)), str(text)
    )


# Reasons in the build report (graph/resolve.py, graph/validate.py, the curation file), by their code.
REASONS: dict[str, tuple[str, str]] = {
    "same_name": ("名称相同", "same name"),
    "alias_file": ("别名文件规则", "alias file rule"),
    "shared_alias": ("共享别名", "shared alias"),
    "city_prefix": ("城市前缀", "city prefix"),
    "kept_apart_alias_only": ("仅别名相同,未合并", "kept apart: alias only"),
    "kept_apart_by_region": ("所在区域不同,未合并", "kept apart: different regions"),
    "refused_split_rule": ("拆分规则阻止合并", "refused: split rule"),
    "refused_different_regions": ("区域不同,拒绝合并", "refused: different regions"),
    "refused_place_qualifier": ("地名限定不同,拒绝合并", "refused: place qualifier"),
    "alias_rule_not_applicable": ("别名规则不适用", "alias rule not applicable"),
    "missing_document_id": ("缺少文件编号", "missing document id"),
    "duplicate_document": ("重复文件", "duplicate document"),
    "unknown_label": ("未知类型", "unknown label"),
    "missing_required_property": ("缺少必需属性", "missing required property"),
    "duplicate_entity_id": ("实体编号重复", "duplicate entity id"),
    "bad_property_type": ("属性类型错误", "bad property type"),
    "reserved_property_name": ("保留属性名", "reserved property name"),
    "unknown_relation_type": ("未知关系类型", "unknown relationship type"),
    "dangling_endpoint": ("关系端点缺失", "dangling endpoint"),
    "pattern_not_allowed": ("类型组合不允许", "pattern not allowed"),
    "self_loop": ("自环", "self loop"),
    "self_loop_after_merge": ("合并后成自环", "self loop after merge"),
    "entity": ("实体", "entity"),
    "relation": ("关系", "relation"),
}


def reason(code: Any) -> str:
    """A build-report reason by its name; "relation:pattern_not_allowed" → "关系:类型组合不允许"."""
    parts = str(code or "").split(":")
    named = [tr(*REASONS[p]) if p in REASONS else p for p in parts]
    return (":" if lang() == "zh" else ": ").join(named)


# Preset parameters by name (queries/presets/*.yaml documents each in English).
PARAMS: dict[str, str] = {
    "actor": "主体",
    "agency": "责任单位",
    "chain": "产业链",
    "cluster": "产业集群",
    "depth": "深度(步数)",
    "document": "文件",
    "from": "起点",
    "key": "指标",
    "kind": "类别",
    "limit": "最多几个",
    "max_hops": "最多几步",
    "min_chains": "至少几条链",
    "min_clusters": "至少几个集群",
    "min_documents": "至少几份文件",
    "min_gaps": "至少几个短板",
    "min_regions": "至少几个地区",
    "q": "名称包含",
    "region": "地区",
    "system": "计数体系",
    "target": "对象",
    "to": "终点",
    "type": "类型",
    "university": "高校",
}
# Choices that are words, not names: figures' kinds.
CHOICES: dict[str, tuple[str, str]] = {
    "target": ("目标值", "target"),
    "reported": ("实际值", "reported"),
    "baseline": ("基数", "baseline"),
}


def param(name: str) -> str:
    return name if lang() == "en" else PARAMS.get(name, name)


def choice(value: Any) -> str:
    """A parameter choice as shown: a label or a figure's kind by its name, "" as (any)."""
    if value in ("", None):
        return tr("(不限)", "(any)")
    if str(value) in NODE_SPECS:
        return label(value)
    if str(value) in CHOICES:
        return tr(*CHOICES[str(value)])
    return str(value)


# The columns presets return (queries/presets/*.yaml), by their words: "n_links" → 环节数,
# "member_label" → 成员类型. Ids are not shown (they spell the label codes).
RESULT_WORDS: dict[str, str] = {
    "actor": "主体",
    "agency": "责任单位",
    "agencies": "全部责任单位",
    "aliases": "别名",
    "amount_wan": "金额(万元)",
    "award_kind": "奖补对象",
    "awards": "奖补",
    "base_unit": "基本单位",
    "better": "达标方向",
    "cap": "上限",
    "chain": "产业链",
    "chains": "产业链",
    "chain_supporters": "支撑产业链的主体",
    "cluster": "产业集群",
    "clusters": "产业集群",
    "concerns": "涉及",
    "count": "数量",
    "date": "日期",
    "declared": "申报数",
    "declared_total": "申报总数",
    "degree": "度数",
    "direction": "方向",
    "doc": "文件",
    "document": "文件",
    "documents": "文件",
    "dst": "终点",
    "end": "结束位置",
    "entities": "实体数",
    "evidence": "原文证据",
    "gap": "差距",
    "gap_unit": "差距单位",
    "gaps": "短板数",
    "grant": "奖励/补助",
    "hops": "步数",
    "how": "方式",
    "indicator": "指标",
    "issuer": "发布单位",
    "item": "条目",
    "key": "指标代码",
    "kind": "类别",
    "label": "类型",
    "lacks": "缺少项",
    "located_in": "所在地",
    "measure": "措施",
    "member": "成员",
    "mentions": "提及次数",
    "name": "名称",
    "named": "点名数",
    "names": "名称",
    "neighbour": "邻近主体",
    "note": "说明",
    "number": "序号",
    "ord": "顺序",
    "other": "对方",
    "other_supporters": "其他支撑主体",
    "part": "部分",
    "path": "路径",
    "props": "属性",
    "qualifier": "限定词",
    "rank": "排名",
    "region": "地区",
    "rel": "关系",
    "rel_type": "关系类型",
    "relation": "关系",
    "rels": "关系",
    "reported": "实际值",
    "reported_docs": "实际值出处",
    "reported_evidence": "实际值证据",
    "reported_qualifier": "实际值限定词",
    "reported_unit": "实际值单位",
    "reported_year": "实际值年份",
    "role": "角色",
    "section": "章节",
    "sentence": "句子",
    "sentence_start": "句子位置",
    "src": "起点",
    "start": "开始位置",
    "status": "状态",
    "structure": "体系",
    "supporters": "支撑主体",
    "system": "计数体系",
    "target": "目标",
    "target_docs": "目标出处",
    "target_evidence": "目标证据",
    "target_year": "目标年份",
    "text": "文本",
    "title": "标题",
    "unit": "单位",
    "university": "高校",
    "unnamed": "未点名",
    "unsupported_links": "无支撑环节",
    "value": "数值",
    "value_base": "基本单位数值",
    "via": "经由环节",
    "year": "年份",
    "year_source": "年份来源",
    "regions": "地区",
    "supported_links": "有支撑环节",
    "links": "环节",
    "link_supporters": "支撑环节的主体",
    "chain_supporters_n": "支撑链的主体",
}
# Words in preset answers that are vocabulary, not names.
VALUE_WORDS: dict[str, str] = {
    "node": "节点", "relationship": "关系", "link": "环节", "supporter": "支撑主体", "met": "已达标",
    "behind": "未达标", "no data": "无数据", "target": "目标值", "reported": "实际值", "baseline": "基数",
    "in": "入", "out": "出", "higher": "越高越好", "lower": "越低越好",
}  # fmt: skip


def is_id_column(name: str) -> bool:
    return name == "id" or name.endswith(("_id", "_ids"))


def result_column(name: str) -> str:
    """A preset's column by its words in the current language ("n_links" → 环节数)."""
    if lang() == "en":
        return name
    if name in RESULT_WORDS:
        return RESULT_WORDS[name]
    if name.startswith("n_"):
        return result_column(name[2:]).removesuffix("数") + "数"
    for suffix, word in (("_label", "类型"), ("_aliases", "别名")):
        if name.endswith(suffix):
            return result_column(name[: -len(suffix)]) + word
    return name


def value(cell: Any) -> Any:
    """A cell of an answer: a label or relationship-type code, or a vocabulary word, by its name."""
    if isinstance(cell, str):
        if cell in NODE_SPECS:
            return label(cell)
        if cell in REL_SPECS:
            return rel(cell)
        if lang() == "zh" and cell in VALUE_WORDS:
            return VALUE_WORDS[cell]
        if "、" in cell and all(part in REL_SPECS or part in NODE_SPECS for part in cell.split("、")):
            return "、".join(str(value(part)) for part in cell.split("、"))
    return cell
