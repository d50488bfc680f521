"""Silver Lining's dashboard: page setup and navigation only.

Started by `silverlining run` (which serves it through serve.py); see README. Served on
anything but a loopback address, every session enters the password first (gate.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script too

from dashboard import gate, state  # noqa: E402

st.set_page_config(page_title="Silver Lining", page_icon="🌤️", layout="wide",
                   initial_sidebar_state="expanded")

gate.require_password()  # before anything that reads data: listening beyond 127.0.0.1 only
state.choose_client()  # a coach's workspace only: which client's database

pages = [
    st.Page("views/overview.py", title="Overview", icon="📊", default=True),
    st.Page("views/stages.py", title="Rejection stages", icon="🪜"),
    st.Page("views/themes.py", title="Feedback themes", icon="💬"),
    st.Page("views/scope.py", title="Scope fit", icon="🎯"),
    st.Page("views/preparation.py", title="Preparation", icon="🧰"),
    st.Page("views/plan.py", title="Development plan", icon="📋"),
    st.Page("views/review.py", title="Coach review", icon="🗓️"),
    st.Page("views/applications.py", title="Applications", icon="🗂️"),
    st.Page("views/import_data.py", title="Import", icon="📥"),
]
with state.session_database():  # open for this run; free for other programs when idle
    state.ensure_first_run_demo()
    state.tidy_uploads()
    state.keep_filters()
    st.navigation(pages).run()
