"""The core (ingest, extraction, storage, queries, filters, charts) never imports Streamlit."""

import subprocess
import sys

CORE = [
    "dashboard.cli",
    "dashboard.readers",
    "dashboard.ingest",
    "dashboard.storage",
    "dashboard.extract",
    "dashboard.tone",
    "dashboard.evaluate",
    "dashboard.filters",
    "dashboard.queries",
    "dashboard.charts",
]


def test_importing_the_core_leaves_streamlit_out():
    code = (
        "import importlib, sys\n"
        f"for name in {CORE!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m == 'streamlit' or m.startswith('streamlit.')))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
