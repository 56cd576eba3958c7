"""Serve the cockpit: `python -m cockpit.serve [STREAMLIT OPTIONS]`, the options of `streamlit run`.

It serves `cockpit.web:app`, Streamlit's ASGI app for dashboard.py with the sign-in cookie routes,
the way `streamlit run` serves a script that defines an `st.App` (uvicorn); config.toml and
secrets.toml are found beside dashboard.py as with `streamlit run dashboard.py`.

Streamlit treats a `pages/` folder beside the entry as its legacy folder-based multipage mode until
the first `st.navigation` call, so the first visitor of a deep link (…/disputes) after a start got a
"Page not found" dialog. The entry always uses `st.navigation`; legacy mode is switched off before
the server starts.
"""
from __future__ import annotations

import sys
from pathlib import Path

from streamlit import config
from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import bootstrap, cli

ENTRY = Path(__file__).resolve().parent.parent / "dashboard.py"
# Imported by uvicorn once the options are loaded (its routes read server.baseUrlPath).
APP = "cockpit.web:app"


def main(options: list[str]) -> None:
    PagesManager.uses_pages_directory = False
    # The options of `streamlit run`, parsed by its own command, then what `streamlit run` does for
    # a script defining an ASGI app, with our app's import string.
    with cli.main_run.make_context("run", [str(ENTRY), *options]) as ctx:
        flags = {k: v for k, v in ctx.params.items() if k not in ("target", "args")}
    config._main_script_path = str(ENTRY)
    bootstrap.load_config_options(flag_options=flags)
    bootstrap.run_asgi_app(str(ENTRY), APP, list(ctx.params["args"]), flags)


if __name__ == "__main__":
    main(sys.argv[1:])
