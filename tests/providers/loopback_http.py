"""A scriptable HTTP/1.1 server on 127.0.0.1 for the upstream pool's transport tests.

Each accepted connection gets a number (0, 1, ...); each request on it is read whole (head
and Content-Length body) and handed to the test's ``answer(request, writer)``, which writes
whatever bytes the case needs -- a proper response, a truncated one, nothing at all -- and
returns whether to keep reading requests on that connection. The server records what it
saw so a test can assert on connections opened, requests per connection and when a
connection was closed by the client.
"""

from __future__ import annotations

import asyncio
import ssl
import subprocess
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class SeenRequest:
    connection: int  # which accepted connection carried it
    head: str
    body: bytes
    reader: asyncio.StreamReader  # the rest of the connection (``read()`` is b"" at its end)

    def header(self, name: str) -> str | None:
        for line in self.head.split("\r\n")[1:]:
            key, _, value = line.partition(":")
            if key.strip().lower() == name:
                return value.strip()
        return None


Answer = Callable[[SeenRequest, asyncio.StreamWriter], Awaitable[bool]]


@dataclass
class LoopbackServer:
    answer: Answer
    tls: ssl.SSLContext | None = None
    connections: int = 0
    open_now: int = 0
    most_open: int = 0
    requests: list[SeenRequest] = field(default_factory=list)
    writers: list[asyncio.StreamWriter] = field(default_factory=list)
    client_closed: asyncio.Event = field(default_factory=asyncio.Event)
    _server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        port = self._server.sockets[0].getsockname()[1]
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{port}"

    async def __aenter__(self) -> LoopbackServer:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0, ssl=self.tls)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        for writer in self.writers:
            writer.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        number = self.connections
        self.connections += 1
        self.open_now += 1
        self.most_open = max(self.most_open, self.open_now)
        self.writers.append(writer)
        try:
            while True:
                head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
                seen = SeenRequest(number, head, b"", reader)
                seen.body = await reader.readexactly(int(seen.header("content-length") or 0))
                self.requests.append(seen)
                if not await self.answer(seen, writer):
                    break
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            self.client_closed.set()  # the client closed (or reset) its end
        finally:
            self.open_now -= 1
            writer.close()


def response(body: bytes, *, status: int = 200, extra: str = "") -> bytes:
    """A whole Content-Length response."""
    return f"HTTP/1.1 {status} X\r\ncontent-length: {len(body)}\r\n{extra}\r\n".encode() + body


def chunk(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


async def ok(seen: SeenRequest, writer: asyncio.StreamWriter) -> bool:
    """Answers every request with its connection's number, and keeps the connection."""
    writer.write(response(str(seen.connection).encode()))
    return True


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate and key for 127.0.0.1 (openssl), valid for a day."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
         "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key
