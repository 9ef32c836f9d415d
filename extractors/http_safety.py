"""SSRF guard and the address-pinning network backend of the Fetcher.

* :class:`AddressGuard` resolves a host (``loop.getaddrinfo``) and refuses it when ANY of its
  addresses is not public (private, loopback, link-local, multicast, reserved, unspecified,
  shared/CGNAT, IPv4-mapped/6to4/NAT64 wrappers of those). Results are cached per run.
* :class:`PinnedBackend` is the httpcore network backend of the Fetcher's transport: every new
  TCP connection asks the guard and connects to the CHECKED IP, never re-resolving the name,
  so a DNS answer that changes between the check and the connect (rebinding) cannot reach a
  private address. TLS still uses the host name (SNI and certificate checks are unchanged).

The ONE place that maps httpx/httpcore/OS/timeout exceptions into our error tree is
:mod:`extractors.error_map`.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
from collections.abc import Iterable
from typing import Any

import httpcore

from extractors.errors import BlockedAddress, FetchTimeout, NetworkError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def blocked_reason(ip: IPAddress) -> str | None:
    """Why ``ip`` must not be fetched from (None when it is a public unicast address)."""
    if isinstance(ip, ipaddress.IPv6Address):
        inner: ipaddress.IPv4Address | None = ip.ipv4_mapped or ip.sixtofour
        if inner is None and ip in _NAT64:
            inner = ipaddress.IPv4Address(ip.packed[-4:])
        if inner is not None:
            why = blocked_reason(inner)
            return f"wraps {inner}: {why}" if why else None
    for attr in (
        "is_unspecified",
        "is_loopback",
        "is_link_local",
        "is_multicast",
        "is_private",
        "is_reserved",
    ):
        if getattr(ip, attr):
            return attr[3:].replace("_", "-")
    if not ip.is_global:
        return "not-global"
    return None


class AddressGuard:
    """Resolve-and-check with a small per-run cache (host, port) → checked addresses."""

    def __init__(
        self,
        *,
        allow_private: bool,
        allowed_networks: Iterable[str] = (),
        resolve_timeout: float = 10.0,
        ttl: float = 300.0,
    ) -> None:
        self.allow_private = allow_private
        self.allowed = [ipaddress.ip_network(n, strict=False) for n in allowed_networks]
        self.resolve_timeout = resolve_timeout
        self.ttl = ttl
        self._cache: dict[tuple[str, int], tuple[float, list[str]]] = {}
        self.lookups = 0

    def check_ip(self, ip: IPAddress, host: str) -> None:
        if self.allow_private or any(ip in net for net in self.allowed):
            return
        why = blocked_reason(ip)
        if why:
            raise BlockedAddress(f"{host} resolves to a non-public address {ip} ({why})")

    async def addresses(self, host: str, port: int) -> list[str]:
        """The checked IP addresses of ``host`` (raises BlockedAddress / NetworkError)."""
        name = host.strip("[]").lower()
        try:
            literal = ipaddress.ip_address(name.split("%", 1)[0])
        except ValueError:
            literal = None
        if literal is not None:
            self.check_ip(literal, host)
            return [str(literal)]
        now = time.monotonic()
        hit = self._cache.get((name, port))
        if hit and hit[0] > now:
            return hit[1]
        self.lookups += 1
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(self.resolve_timeout):
                infos = await loop.getaddrinfo(name, port, type=socket.SOCK_STREAM)
        except TimeoutError as exc:
            raise FetchTimeout(f"DNS lookup of {host} timed out") from exc
        except (OSError, UnicodeError) as exc:
            raise NetworkError(f"DNS lookup of {host} failed: {exc}") from exc
        ips: list[str] = []
        for info in infos:
            addr = str(info[4][0]).split("%", 1)[0]
            if addr not in ips:
                ips.append(addr)
        if not ips:
            raise NetworkError(f"DNS lookup of {host} returned no address")
        for a in ips:  # ANY bad address refuses the host
            self.check_ip(ipaddress.ip_address(a), host)
        self._cache[(name, port)] = (now + self.ttl, ips)
        return ips


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """Connect only to addresses the guard approved (no second DNS lookup)."""

    def __init__(self, guard: AddressGuard, inner: httpcore.AsyncNetworkBackend | None = None):
        self.guard = guard
        self.inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            ips = await self.guard.addresses(host, port)
        except FetchTimeout as exc:
            raise httpcore.ConnectTimeout(str(exc)) from exc
        except NetworkError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        last: Exception | None = None
        for ip in ips[:4]:
            try:
                return await self.inner.connect_tcp(
                    ip,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not allowed")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)
