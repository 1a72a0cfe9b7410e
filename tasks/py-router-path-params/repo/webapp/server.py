"""Serve the app with http.server for local development."""

from __future__ import annotations

import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from webapp.app import build_app
from webapp.http import Request
from webapp.router import Router


def make_handler(app: Router) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            request = Request(self.command, self.path, dict(self.headers.items()), body)
            response = app.dispatch(request)
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            self.wfile.write(response.body)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle

    return Handler


def main(argv: list[str]) -> None:
    port = int(argv[1]) if len(argv) > 1 else 8080
    ThreadingHTTPServer(("127.0.0.1", port), make_handler(build_app())).serve_forever()


if __name__ == "__main__":
    main(sys.argv)
