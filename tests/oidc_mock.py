"""A local OpenID Connect provider for sign-in tests: oidc-provider-mock on a free 127.0.0.1 port.

`provider()` runs it in a thread; `set_identity()` decides the claims it returns for a subject (the
browser then types that subject into the provider's form); `write_secrets()` writes the `[auth]`
section the app server reads (given to it with `--secrets.files`, never the repo's .streamlit/).
"""
from __future__ import annotations

import contextlib
import json
import secrets
import threading
import urllib.request
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

import oidc_provider_mock
import werkzeug.serving

CLIENT_ID = "cockpit-test"
CLIENT_SECRET = "cockpit-test-secret"


@contextlib.contextmanager
def provider() -> Iterator[str]:
    """Serve the mock provider until the block ends; yields its issuer URL."""
    server = werkzeug.serving.make_server("127.0.0.1", 0, oidc_provider_mock.app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()


def set_identity(issuer: str, subject: str, **claims: str) -> None:
    """The claims (email, name…) the provider returns when `subject` is authorised."""
    request = urllib.request.Request(f"{issuer}/users/{quote(subject, safe='')}", method="PUT",
                                     data=json.dumps(claims).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 204, response.status


def write_secrets(path: Path, issuer: str | None) -> Path:
    """Streamlit secrets for the app server: single sign-on against `issuer`, or none (empty file)."""
    if issuer is None:
        path.write_text("")
        return path
    path.write_text(
        "[auth]\n"
        # {port} is the app server's port, filled in by Streamlit.
        'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        f'client_id = "{CLIENT_ID}"\n'
        f'client_secret = "{CLIENT_SECRET}"\n'
        f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n')
    return path
