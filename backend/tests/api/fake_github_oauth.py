"""A small local stand-in for GitHub's OAuth token endpoint, served over real HTTP on
loopback: it issues codes, checks the client id, secret and redirect URI, and trades each
code once for a token, answering as GitHub does (200 with an `error` field on failure)."""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


@dataclass
class FakeGitHubOAuth:
    client_id: str
    client_secret: str
    base_url: str = ""
    codes: dict[str, str] = field(default_factory=dict)  # code → redirect_uri
    exchanges: list[dict[str, str]] = field(default_factory=list)
    issued_tokens: list[str] = field(default_factory=list)

    def authorize(self, redirect_uri: str) -> str:
        """What github.com does when the user approves: a one-time code for that URI."""
        code = secrets.token_hex(10)
        self.codes[code] = redirect_uri
        return code

    def exchange(self, form: dict[str, str]) -> dict[str, str]:
        self.exchanges.append(form)
        if (
            form.get("client_id") != self.client_id
            or form.get("client_secret") != self.client_secret
        ):
            return {"error": "incorrect_client_credentials"}
        expected_uri = self.codes.pop(form.get("code", ""), None)
        if expected_uri is None or expected_uri != form.get("redirect_uri"):
            return {"error": "bad_verification_code"}
        token = "gho_" + secrets.token_hex(18)
        self.issued_tokens.append(token)
        return {"access_token": token, "token_type": "bearer", "scope": "repo,read:org"}


@contextmanager
def running_fake(client_id: str, client_secret: str) -> Iterator[FakeGitHubOAuth]:
    fake = FakeGitHubOAuth(client_id, client_secret)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            if self.path != "/login/oauth/access_token":
                self.send_error(404)
                return
            length = int(self.headers.get("Content-Length", "0"))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            body = json.dumps(fake.exchange(form)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
