"""Connection reuse across many hosts (extractors.http.PerHostTransport) against a real local
keep-alive server: every host keeps its connection between polite, interleaved requests, and
the number of hosts with open idle connections stays bounded."""

from __future__ import annotations

import asyncio

from extractors.http import Fetcher, FetchPolicy, PerHostTransport

PAGE = (
    b"<html><head><title>Nota</title></head><body><p>"
    + b"Texto de la nota. " * 40
    + b"</p></body></html>"
)
POLICY = FetchPolicy(
    user_agent="borderwatch-test/0.1",
    per_host_delay=0.0,
    global_concurrency=8,
    retries=0,
    allow_private=True,
)


class KeepAliveServer:
    """HTTP/1.1 keep-alive on ``n`` ports of 127.0.0.1 (each port is its own origin)."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.ports: list[int] = []
        self.accepted = 0
        self.open = 0
        self.requests = 0
        self._servers: list[asyncio.Server] = []

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        self.open += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                if not head:
                    break
                self.requests += 1
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                    b"Content-Length: %d\r\nConnection: keep-alive\r\n\r\n" % len(PAGE) + PAGE
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            self.open -= 1
            writer.close()

    async def __aenter__(self) -> KeepAliveServer:
        for _ in range(self.n):
            s = await asyncio.start_server(self._handle, "127.0.0.1", 0)
            self._servers.append(s)
            self.ports.append(s.sockets[0].getsockname()[1])
        return self

    async def __aexit__(self, *exc: object) -> None:
        for s in self._servers:
            s.close()

    def url(self, i: int, path: str) -> str:
        return f"http://127.0.0.1:{self.ports[i]}{path}"


def test_each_host_keeps_its_connection_across_interleaved_requests() -> None:
    async def main() -> tuple[int, int]:
        async with KeepAliveServer(40) as srv, Fetcher(POLICY) as f:
            for rnd in range(3):  # round-robin over 40 hosts, as interleaved polls do
                urls = [srv.url(i, f"/nota-{rnd}-{i}") for i in range(40)]
                results = await asyncio.gather(*(f.fetch(u, kind="article") for u in urls))
                assert all(r.content == PAGE for r in results)
            return srv.requests, srv.accepted

    requests, accepted = asyncio.run(main())
    assert requests == 120
    # one connection per host (a shared pool capped near the concurrency, 8 here, would have
    # opened a new connection for nearly every request)
    assert accepted == 40


def test_idle_connections_of_least_recent_hosts_are_closed() -> None:
    async def main() -> tuple[int, int, int]:
        async with KeepAliveServer(30) as srv:
            f = Fetcher(POLICY)
            assert isinstance(f._client._transport, PerHostTransport)
            f._client._transport._max_hosts = 5
            async with f:
                for i in range(30):  # one host after another
                    r = await f.fetch(srv.url(i, "/a"), kind="article")
                    assert r.content == PAGE
                await asyncio.sleep(0.2)  # let the server see the closed sockets
                open_now = srv.open
                # a host seen again after its pool was closed still works (new connection)
                again = await f.fetch(srv.url(0, "/b"), kind="article")
                assert again.content == PAGE
            return open_now, srv.accepted, srv.requests

    open_now, accepted, requests = asyncio.run(main())
    assert requests == 31
    assert open_now <= 6, f"{open_now} connections left open (bound: 5 hosts + the newest)"
    assert accepted == 31
