"""The local server: serves frontend/ at / and forwards /api/* to the Lambda handler as
API Gateway HTTP API (payload 2.0) events, exactly as production would deliver them."""

from __future__ import annotations

import base64
import logging
import mimetypes
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from .. import dispatch
from ..http import MAX_BODY_BYTES

log = logging.getLogger(__name__)
# Scripts and style sheets only from the dashboard's own files. Inline style *attributes* are
# allowed because a report's email HTML (all inline styles, as email clients need) is previewed
# in a sandboxed srcdoc iframe, and such a frame inherits this policy. index.html repeats it.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
STATIC_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


def api_event(method: str, target: str, headers: dict[str, str], body: bytes, source_ip: str) -> dict:
    """Return the API Gateway HTTP API payload 2.0 event for one HTTP request."""
    parts = urlsplit(target)
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": parts.path,
        "rawQueryString": parts.query,
        "headers": {name.lower(): value for name, value in headers.items()},
        "requestContext": {
            "http": {"method": method, "path": parts.path, "protocol": "HTTP/1.1", "sourceIp": source_ip},
            "requestId": str(uuid.uuid4()),
            "stage": "$default",
        },
        "body": base64.b64encode(body).decode() if body else "",
        "isBase64Encoded": bool(body),
    }


def make_server(*, host: str, port: int, frontend: Path) -> ThreadingHTTPServer:
    """Build (not start) the server; set `server.app` before serving. Binding first lets port 0
    pick a free port that APP_BASE_URL can then name."""
    root = frontend.resolve()

    class Handler(BaseHTTPRequestHandler):
        server_version = "ShipCaptainCrew"
        sys_version = ""

        def do_GET(self):
            self._route()

        do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = do_GET

        def _route(self):
            if urlsplit(self.path).path.startswith("/api/") or urlsplit(self.path).path == "/api":
                self._api()
            elif self.command in {"GET", "HEAD"}:
                self._static()
            else:
                self._send(405, b"method not allowed", {"Content-Type": "text/plain"})

        def _api(self):
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                length = -1
            if not 0 <= length <= MAX_BODY_BYTES:
                self._send(
                    413,
                    b'{"error":{"code":"payload_too_large","message":"body too large"}}',
                    {"Content-Type": "application/json"},
                )
                return
            body = self.rfile.read(length) if length else b""
            event = api_event(self.command, self.path, dict(self.headers), body, self.client_address[0])
            answer = dispatch.handle(event, self.server.app)
            payload = answer.get("body", "")
            data = base64.b64decode(payload) if answer.get("isBase64Encoded") else payload.encode()
            self._send(answer["statusCode"], data, answer.get("headers", {}))

        def _static(self):
            relative = urlsplit(self.path).path.lstrip("/") or "index.html"
            target = (root / relative).resolve()
            if not target.is_relative_to(root) or not target.is_file():
                target = root / "index.html"  # the dashboard routes inside the page
            content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if content_type.startswith("text/") or content_type.endswith("javascript"):
                content_type += "; charset=utf-8"
            self._send(200, target.read_bytes(), {"Content-Type": content_type, **STATIC_HEADERS})

        def _send(self, status: int, data: bytes, headers: dict):
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def log_message(self, format, *args):  # noqa: A002 - the base class's name
            log.debug("http %s", format % args)

    server = _Server((host, port), Handler)
    server.app = None
    return server


class _Server(ThreadingHTTPServer):
    """A thread per request; a listen backlog of 64, not socketserver's 5, so a burst of
    concurrent clients (the dashboard's parallel calls, the load test's 16) is queued, not reset."""

    daemon_threads = True
    request_queue_size = 64
