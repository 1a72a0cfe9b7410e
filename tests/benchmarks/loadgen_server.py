"""A tiny HTTP/1.1 server with the behaviours the load generator's tests need.

Run as ``python loadgen_server.py``: it listens on a free loopback port, prints the port
on its first line and serves until killed. Paths (query ``ms=N`` where it applies):

- ``/ok?ms=N``: 200 after N ms, requests answered concurrently;
- ``/serial?ms=N``: 200 after N ms, one request at a time (a slow server's queue);
- ``/fail``: 500; ``/reset``: closes the connection without answering; ``/hang``: never
  answers;
- ``/sse?ms=N``: a chunked ``text/event-stream`` of three events N ms apart;
- ``/untilclose``: a body with no length, ended by closing the connection;
- ``/arrivals``: the ``time.perf_counter()`` (CLOCK_MONOTONIC, the same clock in every
  process) of every request's arrival since the last ``/arrivals``, as JSON.

Its own asyncio loop in its own process, so it shares no GIL or loop with the generator.
"""

from __future__ import annotations

import asyncio
import json
import time
from urllib.parse import parse_qs, urlsplit

ARRIVALS: list[float] = []
SERIAL = asyncio.Lock()


def answer(status: int, body: bytes, extra: str = "") -> bytes:
    reason = {200: "OK", 500: "Internal Server Error"}[status]
    head = (
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n{extra}\r\n"
    )
    return head.encode() + body


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, ConnectionError):
                return
            arrived = time.perf_counter()
            lines = head.decode("latin-1").split("\r\n")
            target = lines[0].split(" ")[1]
            length = 0
            for line in lines[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            if length:
                await reader.readexactly(length)
            url = urlsplit(target)
            ms = float(parse_qs(url.query).get("ms", ["0"])[0])
            if url.path == "/arrivals":
                body = json.dumps(ARRIVALS).encode()
                ARRIVALS.clear()
                writer.write(answer(200, body))
                continue
            ARRIVALS.append(arrived)
            if url.path == "/ok":
                await asyncio.sleep(ms / 1000)
                writer.write(answer(200, b'{"ok": true}'))
            elif url.path == "/serial":
                async with SERIAL:
                    await asyncio.sleep(ms / 1000)
                    writer.write(answer(200, b'{"ok": true}'))
                    await writer.drain()
            elif url.path == "/fail":
                writer.write(answer(500, b'{"error": "on purpose"}'))
            elif url.path == "/reset":
                writer.transport.abort()
                return
            elif url.path == "/hang":
                await asyncio.sleep(3600)
            elif url.path == "/sse":
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                    b"Transfer-Encoding: chunked\r\n\r\n"
                )
                for event in range(3):
                    if event:
                        await asyncio.sleep(ms / 1000)
                    data = f"data: {event}\n\n".encode()
                    writer.write(b"%x\r\n%s\r\n" % (len(data), data))
                    await writer.drain()
                writer.write(b"0\r\n\r\n")
            elif url.path == "/untilclose":
                writer.write(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nthe whole body")
                await writer.drain()
                writer.close()
                return
            await writer.drain()
    finally:
        writer.close()


async def main() -> None:
    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=1024)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
