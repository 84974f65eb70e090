"""The app's pages and its language switch (run by app/Home.py before every page).

The language lives in the session (it survives moving between pages) and in the address (`?lang=en`,
so a link or a reload keeps it); the address wins when it names one, the session otherwise, Chinese
when neither does. Page titles in the navigation follow the language.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from app import i18n

SESSION_KEY = "ikg_lang"
SWITCH_KEY = "ikg_lang_switch"
APP_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class PageSpec:
    path: str  # relative to app/
    url: str  # the address of the page ("" for the overview)
    zh: str
    en: str


PAGES: tuple[PageSpec, ...] = (
    PageSpec("views/0_Overview.py", "", "总览", "Overview"),
    PageSpec("views/1_Explore.py", "Explore", "关系网络", "Explore"),
    PageSpec("views/2_Chain_gaps.py", "Chain_gaps", "产业链与短板", "Chains and gaps"),
    PageSpec("views/7_Matrix.py", "Matrix", "支撑矩阵", "Support matrix"),
    PageSpec("views/8_Regions.py", "Regions", "地区对比", "Regions side by side"),
    PageSpec("views/6_Policy.py", "Policy", "政策与指标", "Policy and indicators"),
    PageSpec("views/5_Actor.py", "Actor", "主体档案", "Actor"),
    PageSpec("views/3_Presets.py", "Presets", "预设问题", "Preset questions"),
    PageSpec("views/4_Query.py", "Query", "自由查询", "Free query"),
)


def language() -> str:
    """This run's language, from the address or the session; kept in both, and set for i18n."""
    wanted = st.query_params.get(i18n.PARAM)
    if wanted in i18n.LANGS:
        st.session_state[SESSION_KEY] = wanted
    code = st.session_state.get(SESSION_KEY, i18n.DEFAULT)
    if code not in i18n.LANGS:
        code = i18n.DEFAULT
    st.session_state[SESSION_KEY] = code
    if st.query_params.get(i18n.PARAM) != code:
        st.query_params[i18n.PARAM] = code
    i18n.use(code)
    return code


def _switched() -> None:
    code = st.session_state[SWITCH_KEY]
    st.session_state[SESSION_KEY] = code
    st.query_params[i18n.PARAM] = code


def language_switch(code: str) -> None:
    """中文 | English in the sidebar."""
    st.session_state[SWITCH_KEY] = code
    st.sidebar.radio(
        "语言 · Language",
        list(i18n.LANGS),
        format_func=i18n.LANGS.get,
        key=SWITCH_KEY,
        on_change=_switched,
        horizontal=True,
    )


def pages() -> list[st.Page]:
    code = i18n.lang()
    return [
        st.Page(
            str(APP_DIR / p.path),
            title=p.en if code == "en" else p.zh,
            url_path=p.url or None,
            default=not p.url,
        )
        for p in PAGES
    ]


def link_params(**params: str) -> dict[str, str]:
    """Query parameters of a link to another page: the language goes along."""
    return {**params, i18n.PARAM: i18n.lang()}
