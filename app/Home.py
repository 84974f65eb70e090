"""The app: `ikg app` (or `streamlit run app/Home.py`) serves it; this file only routes.

It reads the language (app/nav.py: the address or the session, Chinese by default), lists the pages
with their titles in that language, puts the language switch in the sidebar and runs the page asked
for (app/views/). Every figure a page shows is a preset's answer (app/data.py).
"""

from __future__ import annotations

import streamlit as st

from app import i18n, nav

code = nav.language()
st.set_page_config(page_title=i18n.tr("创新生态知识图谱", "innovation-kg"), layout="wide")
page = st.navigation(nav.pages())
nav.language_switch(code)
page.run()
