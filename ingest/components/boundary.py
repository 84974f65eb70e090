"""Where a name starts, and whether a name is specific: the two questions every scanner asks.

A Chinese name has no capital letters. A name of an organisation, platform or place starts after the
nearest clause opener (a verb such as 依托/建设, an adverb, a function word), a punctuation mark, a
count phrase ("3处") or an opening quote. Conjunctions 与/及/和 may sit inside names
(…医用材料与高端医疗器械…) and are kept unless what precedes them is itself a complete name.
A programme's or an event's name holds verbs of its own (提振消费专项行动, 质量提升工程): it starts
after the verb that governs it (实施, 开展, 办好) at the head of its clause, or after the clause's
subject when one is written before that verb (成都纳入…试点).
"""

from __future__ import annotations

import functools
import re

from ingest.components.automata import WordAutomaton
from ingest.ontology import Ontology
from ingest.state import DocState, Tokens
from ingest.text import (
    CLOSE_QUOTES,
    CN_DIGITS,
    HARD_PUNCT,
    OPEN_QUOTES,
    is_numeral,
    matching_close,
    matching_open,
)

MAX_NAME = 40
SUBJECT_TYPES = ("Region", "GovAgency", "University", "ResearchInstitute", "Enterprise")


@functools.lru_cache(maxsize=4)
def head_automaton(ont: Ontology) -> WordAutomaton[str]:
    return WordAutomaton(dict(ont.head_type))


def ends_with_head(ont: Ontology, text: str) -> bool:
    return ont.ends_with(text, "heads")


@functools.lru_cache(maxsize=65536)
def is_boundary_token(ont: Ontology, t: str) -> bool:
    """A clause opener: a listed word, or a token ending in a listed verb (充分利用, 大力实施)."""
    if t in ont.boundary_words:
        return True
    return len(t) > 2 and ont.ends_with(t, "verbs")


@functools.lru_cache(maxsize=65536)
def alien(ont: Ontology, t: str) -> bool:
    """A token with a character no name holds (markup, symbols: <img …>, =, /): it ends a name."""
    return any(not (c.isalnum() or c in ont.name_chars or c in CLOSE_QUOTES or c in OPEN_QUOTES) for c in t)


def is_count_token(ont: Ontology, toks: Tokens, j: int) -> bool:
    t = toks.texts[j]
    if j + 1 < len(toks) and toks.texts[j + 1][:1] == "+" and is_numeral(t):
        return False  # 4|+|4科创工程: a formula's figure, not a count
    if is_numeral(t) and j + 2 < len(toks) and ont.date_day_re.match(toks.texts[j + 1] + toks.texts[j + 2]):
        return False  # 六五|环境日, 五四|青年节: a date's name, not a count
    if is_numeral(t) or ont.ordinal.match(t):
        return True  # counts, ordinals and years are not part of a name's core: 第四届X大会 is X大会
    if t[-1:] not in ont.classifiers:
        return False
    return is_numeral(t[:-1]) if len(t) > 1 else j > 0 and is_numeral(toks.texts[j - 1])


def _verbish(ont: Ontology, toks: Tokens, j: int) -> bool:
    t = toks.texts[j]
    if t in ont.name_verbs:
        return False
    return t in ont.verbs or t in ont.governing_verbs or (len(t) >= 2 and toks.pos[j] in ("v", "d", "p", "r"))


def trim_leading_verbs(ont: Ontology, toks: Tokens, start: int, head_start: int) -> int:
    """A name does not open with a verb: 发展天使基金 → 天使基金."""
    j = toks.at(start)
    while j < len(toks) and toks.starts[j] == start and toks.ends[j] < head_start and _verbish(ont, toks, j):
        start = toks.ends[j]
        j += 1
    return start


def _bracket_or_quote(text: str, toks: Tokens, j: int, floor: int) -> int | None:
    """Start of the bracket or quote that token ``j`` closes, or None."""
    t = toks.texts[j]
    if t in (")", "）"):
        open_at = matching_open(text, toks.starts[j], "(", ")")
        return open_at if open_at >= floor else None
    if t and t[-1] in CLOSE_QUOTES:
        open_ch = OPEN_QUOTES[CLOSE_QUOTES.index(t[-1])]
        open_at = matching_open(text, toks.ends[j] - 1, open_ch, t[-1])
        return open_at if open_at >= floor else None
    return None


def scan_left(
    ont: Ontology,
    st: DocState,
    head_start: int,
    typ: str,
    *,
    any_verb_before_head: bool = False,
    floor: int = 0,
) -> int:
    """Start offset of the name whose head begins at ``head_start``."""
    if typ in ont.verb_head_types:
        return _scan_governed(ont, st, head_start, floor, nominal=typ in ont.nominal_verb_head_types)
    return _scan_noun(ont, st, head_start, any_verb_before_head=any_verb_before_head, floor=floor)


def _scan_noun(
    ont: Ontology, st: DocState, head_start: int, *, any_verb_before_head: bool, floor: int
) -> int:
    text, toks = st.text, st.tokens
    k = toks.at(head_start)
    start = min(toks.starts[k], head_start)
    j = k - 1
    first = True
    while j >= 0 and toks.ends[j] > floor:
        t = toks.texts[j]
        if t in (")", "）"):
            open_at = matching_open(text, toks.starts[j], "(", ")")
            if open_at < floor or open_at == -1:
                break
            start = open_at
            j = toks.at(open_at) - 1
            first = False
            continue
        if t and t[-1] in CLOSE_QUOTES:
            opened = _bracket_or_quote(text, toks, j, floor)
            if opened is not None and opened != -1:
                start = opened
            break
        if not t or t[-1] in HARD_PUNCT or t in ("(", "（") or alien(ont, t):
            break
        if j > 0 and toks.texts[j - 1] + t in ont.boundary_words:
            break  # a verb the segmenter split in two: 做|强
        # 做|强雄安…: the end of a verb glued to the name (not in a word the dictionary knows: 以|内陆)
        glued = 0
        if j > 0 and not toks.pos[j]:
            glued = next(
                (n for n in (1, 2) if len(t) > n and toks.texts[j - 1] + t[:n] in ont.boundary_words), 0
            )
        if glued:
            start = toks.starts[j] + glued
            break
        if t in ont.date_units and j > 0 and is_numeral(toks.texts[j - 1]):
            break  # 12月23日|北京市…: a date before a name is not part of it
        if t in ont.name_joiners:  # "A暨B" is one name for one thing (…中心暨配套产业园)
            start = toks.starts[j]
            j -= 1
            first = False
            continue
        if t in ont.inner_conjunctions:
            if first:
                return head_start  # "…资源与平台": a conjunction cannot end a name's modifier
            left = toks.texts[j - 1] if j > 0 else ""
            if (
                not left
                or is_boundary_token(ont, left)
                or left[-1] in HARD_PUNCT
                or _verbish(ont, toks, j - 1)
            ):
                break
            if left in ont.bare_generic or left in ont.category_nouns:
                break  # "企业与X": a category noun is not the first half of a name
            if (
                any(text[start : start + n] in st.place_names for n in range(2, 9))
                or text.startswith(ont.compass_words, start)
                or any(m.label == "Region" and m.start == start for m in st.mentions)
            ):
                break  # 南平市和|莆田高新区, 集拼地和|西南…枢纽: the name after 和 opens with its place
            left_text = re.sub(
                r"\([^()]{1,12}\)$", "", text[max(floor, toks.starts[j] - 20) : toks.starts[j]]
            )
            if ends_with_head(ont, left_text) or (
                left_text[-1:] in ont.head_type and not ont.ends_with(left_text, "false_friends")
            ):
                break  # "市财政局和…": a complete name before the conjunction
            start = toks.starts[j]
            j -= 1
            first = False
            continue
        if not first and (t in ont.category_nouns or ont.ends_with(t, "category_nouns")):
            break  # 新央企|中国长安汽车集团: a category before a name describes it
        if t in ont.scope_words and _place_ends(st, toks.starts[j]):
            start = toks.starts[j]  # 福州|全国|…示范区: a national designation a place holds
            first = False
            j -= 1
            continue
        if j + 1 < len(toks) and t + toks.texts[j + 1] in ont.head_type:
            pass  # 重点 + 实验室: the adverb-looking word belongs to the head
        elif is_boundary_token(ont, t) or (
            toks.pos[j] in ont.boundary_pos
            and len(t) >= 2
            and t not in ont.name_verbs
            and not _place_ends(st, toks.starts[j])  # 重庆|通用|人工智能研究院: a place's word, no clause
        ):
            if not (first and any_verb_before_head and (t in ont.verbs or toks.pos[j] == "v")):
                break
        elif is_count_token(ont, toks, j):
            break
        elif len(t) > 1 and t[0] in ont.glued_prepositions and not toks.pos[j]:
            start = toks.starts[j] + 1  # a preposition glued to a word no dictionary knows (沿边 is one)
            break
        elif t[0] in ont.classifiers and j > 0 and is_numeral(toks.texts[j - 1]):
            start = toks.starts[j] + 1  # "5项省重大…": the classifier is glued to the name
            break
        start = toks.starts[j]
        first = False
        j -= 1
        if head_start - start > MAX_NAME:
            break
    return trim_leading_verbs(ont, toks, start, head_start)


def _scan_governed(ont: Ontology, st: DocState, head_start: int, floor: int, *, nominal: bool = False) -> int:
    """A programme's or an event's name: from its clause, less what opens the clause."""
    text, toks = st.text, st.tokens
    k = toks.at(head_start)
    j = k - 1
    clause = toks.starts[k] if toks.starts[k] <= head_start else head_start
    # the clause: back to a hard boundary (punctuation, an unmatched bracket) or the length limit
    while j >= 0 and toks.ends[j] > floor:
        t = toks.texts[j]
        opened = _bracket_or_quote(text, toks, j, floor)
        if opened is not None:
            clause = opened
            j = toks.at(opened) - 1
            continue
        if not t or t[-1] in HARD_PUNCT or t in ("(", "（") or alien(ont, t):
            break
        if head_start - toks.starts[j] > MAX_NAME:
            break
        clause = toks.starts[j]
        j -= 1
    # within the clause, the name starts after the last opener: a governing verb at the clause's
    # head, after only verbs and adverbs (统筹推进), after its subject (成都纳入…), or a verb that
    # never sits inside a name (实施, 入选); an adverb or function word before any noun; a count or
    # an ordinal; a conjunction after a complete name (A行动和B行动)
    start = clause
    j = toks.at(clause)
    material = False  # a noun seen since ``start``
    verbal = True  # only verbs and adverbs since ``start``
    opened = False  # a clause verb (实施, 开展) was passed: a verb after it opens the name (实施提升X行动)
    coverbed = (
        False  # what follows ``start`` is a coverb's object (按照|规定): a verb after it opens the name
    )
    while j < len(toks) and toks.starts[j] < head_start:
        t = toks.texts[j]
        s, e = toks.starts[j], toks.ends[j]
        if s < start:
            j += 1
            continue
        if t[:1] in OPEN_QUOTES:
            if j > 0 and (
                toks.texts[j - 1] in ont.inner_conjunctions
                or toks.texts[j - 1] in ont.list_separators
                or text[s - 1] in CLOSE_QUOTES
            ):
                start = s  # "A和“B”试点", “A计划”“B”行动: the quoted name after another is the name
            close = matching_close(text, s, t[0], CLOSE_QUOTES[OPEN_QUOTES.index(t[0])])
            if close == -1 or close >= head_start:
                break  # a quote inside the clause belongs to the name (实施“千万工程”)
            # a quote closed before the head: the walk goes on after it, for what may still end the
            # clause before the name ("两新"工作以及|重大工程)
            j = toks.at(close) + 1
            material, verbal = True, False
            if j < len(toks) and toks.texts[j] in ont.inner_conjunctions and toks.ends[j] < head_start:
                start, material, verbal = toks.ends[j], False, True  # “双一流”和|一流高校建设计划
                j += 1
            continue
        parts = (t,)
        if (
            j + 1 < len(toks)
            and toks.ends[j + 1] < head_start
            and t + toks.texts[j + 1] in ont.governing_verbs
        ):
            parts = (t, toks.texts[j + 1])
            j, t = j + 1, t + toks.texts[j + 1]  # 迭代|升级: one verb the segmenter split in two
            e = toks.ends[j]
        clause_verb = any(p in ont.clause_verbs for p in {t, *parts})
        governing = t in ont.governing_verbs or (len(t) > 2 and ont.ends_with(t, "governing"))
        if (
            nominal
            and not governing
            and t not in ont.name_verbs
            and t not in ont.inner_conjunctions  # 朱子学与全球文明对话大会: 与 joins two nouns
            and (t in ont.verbs or (toks.pos[j] in ("v", "p") and len(t) >= 2))
        ):
            governing = True  # an event's name holds no such verb: 提请大会, 亮相…大会 (a lone character
            # the dictionary calls a verb is as often a split word's end: 海洽|会)
        if governing and opened and not material and not clause_verb and not nominal:
            material = True  # 实施|提升农村饮水质量专项行动: the second verb is the name's
        elif governing and (
            not material or verbal or nominal or coverbed or clause_verb or _is_subject(ont, st, start, s)
        ):
            start, material, verbal = e, False, True
            opened = opened or clause_verb
            coverbed = t in ont.coverbs
        elif t in ont.first_of_kind:
            start, material, verbal = e, False, True  # 全球首个|人形机器人马拉松比赛
        elif t in ont.scope_words:
            material = True  # 全国…试点 keeps its scope
        elif (
            not material
            and len(t) > 1
            and t[0] in ont.classifiers
            and j > 0
            and is_numeral(toks.texts[j - 1])
        ):
            start = s + 1  # "5项省重大科技计划": the classifier is glued to the name
            material = True
        elif material and _counted_at(ont, toks, j):
            # 国家|102项|重大工程, 南水北调西线|6个|工程: what stands before a count is whose the
            # counted things are; a name, if any, follows the count
            start, material, verbal = _count_end(ont, toks, j), False, True
            j = toks.at(start) if start < head_start else j + 1
            continue
        elif not material and (
            t in ont.adverbs
            or t in ont.verbs
            or t in ont.function_words
            or is_count_token(ont, toks, j)
            or t in ont.descriptive_before
            or t.isspace()
        ):
            start = e
            coverbed = t in ont.coverbs
        elif (
            t in ont.inner_conjunctions
            and t not in ont.name_joiners  # 海洽会暨…大会: one event under two names, one name
            and (
                ends_with_head(ont, text[start:s])
                or any(text[e : e + n] in st.place_names for n in range(2, 9))
            )
        ):
            start, material, verbal = e, False, True  # "A行动和B计划", "国际赛事和北京马拉松": two names
        elif t in ont.function_words and t not in ont.inner_conjunctions and not t.isspace():
            start, material, verbal = e, False, True  # "…的X行动": what comes before 的 describes it
        else:
            material = True
            verbal = verbal and toks.pos[j] in ont.verbal_pos
        j += 1
    return start


def _counted_at(ont: Ontology, toks: Tokens, j: int) -> bool:
    """A count opens at token j: a numeral with its classifier (6个, 102|项), not a formula's figure."""
    t = toks.texts[j]
    if not is_numeral(t[:-1] if t[-1:] in ont.classifiers else t):
        return False
    if t[-1:] in ont.classifiers and len(t) > 1:
        return t[-1] not in ont.set_name_classifiers  # 城市更新六大提升行动: a set's name
    nxt = toks.texts[j + 1] if j + 1 < len(toks) else ""
    return bool(nxt) and nxt[0] in ont.classifiers and nxt[0] not in ont.set_name_classifiers


def _count_end(ont: Ontology, toks: Tokens, j: int) -> int:
    """Where the count opening at token j ends (after its classifier)."""
    t = toks.texts[j]
    if t[-1:] in ont.classifiers and len(t) > 1:
        return toks.ends[j]
    return toks.starts[j + 1] + 1


def _place_ends(st: DocState, end: int, start: int = 0) -> bool:
    """Whether a place's name (of up to 9 characters, after ``start``) ends at ``end``."""
    return any(st.text[end - n : end] in st.place_names for n in range(2, min(end - start, 9) + 1))


def _is_subject(ont: Ontology, st: DocState, start: int, end: int) -> bool:
    """Whether text[start:end] is the clause's subject: it ends with a place, a relative place
    (全省) or a body."""
    part = st.text[start:end]
    if st.home is not None and part.endswith((*st.home.forms, *st.home.relative)):
        return True
    return _place_ends(st, end, start) or any(
        m.end == end and m.start >= start for m in st.mentions if m.label in SUBJECT_TYPES
    )


def _segmentable(word: str, vocab: frozenset[str] | set[str]) -> bool:
    """True when ``word`` splits entirely into words of ``vocab`` (or numerals)."""
    n = len(word)
    ok = [False] * (n + 1)
    ok[0] = True
    for i in range(n):
        if not ok[i]:
            continue
        for j in range(i + 1, min(n, i + 8) + 1):
            piece = word[i:j]
            if piece in vocab or is_numeral(piece):
                ok[j] = True
    return ok[n]


@functools.lru_cache(maxsize=65536)
def is_generic_modifier(ont: Ontology, modifier: str, typ: str = "") -> bool:
    """Whether ``modifier`` is only words that name nothing (levels, qualities, kinds; for a zone, also
    the words of a designation: 新兴产业发展|示范基地)."""
    if re.search(r"\([^()]{2,}\)", modifier):
        return False  # a qualifier such as (威海) makes it one particular thing
    m = re.sub(r"\([^()]?\)?", "", modifier)  # a one-character note says nothing: 省级(含)以上
    m = m.translate(str.maketrans("", "", "“”‘’()（）·—-"))
    vocab = ont.unnaming_vocab.get(typ) or ont.unnaming_vocab[""]
    return not m or _segmentable(m, vocab)


@functools.lru_cache(maxsize=65536)
def specific_chars(ont: Ontology, modifier: str) -> int:
    """How many characters of ``modifier`` are not covered by generic words (greedy, longest first)."""
    return greedy_cover(modifier, ont.generic_modifiers)[1]


def greedy_cover(text: str, vocab: frozenset[str] | set[str]) -> tuple[int, int]:
    """(words of ``vocab`` covering ``text``, characters left uncovered), longest word first."""
    i, n, words, uncovered = 0, len(text), 0, 0
    while i < n:
        for j in range(min(n, i + 8), i, -1):
            if text[i:j] in vocab:
                words += 1
                i = j
                break
        else:
            uncovered += 1
            i += 1
    return words, uncovered


def is_descriptive(ont: Ontology, text: str, start: int, typ: str = "") -> bool:
    """A name right after 的 / 一批 … describes rather than names (打造全国知名的海洋经济新区)."""
    before = text[max(0, start - 3) : start]
    if any(before.endswith(w) for w in ont.descriptive_before):
        return True
    # 3个|交叉研究平台: a counted plural of a kind (9个|城乡融合试点 are the sites of one programme)
    return bool(
        typ not in ont.verb_head_types
        and len(before) >= 2
        and before[-1] in ont.plural_classifiers
        and (before[-2].isdigit() or before[-2] in CN_DIGITS)
    )
