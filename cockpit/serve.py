"""Serve the cockpit: `python -m cockpit.serve [STREAMLIT OPTIONS]` = `streamlit run dashboard.py ...`.

Streamlit treats a `pages/` folder beside the entry as its legacy folder-based multipage mode until
the first `st.navigation` call, so the first visitor of a deep link (…/disputes) after a start got a
"Page not found" dialog. The entry always uses `st.navigation`; legacy mode is switched off before
the server starts.
"""
from __future__ import annotations

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

ENTRY = Path(__file__).resolve().parent.parent / "dashboard.py"


def main(options: list[str]) -> None:
    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(ENTRY), *options]
    cli.main()


if __name__ == "__main__":
    main(sys.argv[1:])
