"""What ``silverlining run`` serves: app.py behind the password gate's middleware
(dashboard/gate.py), which does nothing on 127.0.0.1. ``streamlit run dashboard/serve.py``
serves this ``st.App``; app.py alone stays runnable (and testable with AppTest), its
pages still gated by the script's password form."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script too

from dashboard.gate import GateMiddleware  # noqa: E402

app = st.App("app.py", middleware=[Middleware(GateMiddleware)])
