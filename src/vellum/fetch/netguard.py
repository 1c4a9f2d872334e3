"""Which addresses a request may reach (the SSRF policy), checked on the resolved IP.

vellum reads URLs that strangers write: feed items, redirects, ``<link rel=alternate>``,
teaser and pagination links, sitemap entries. The rules:

* link-local and cloud metadata addresses are never fetched without ``--allow-private``;
* a URL the user names (command line, list file, ``vellum.yml``, the archive's own posts)
  may be loopback or private (intranet blogs; every test runs on 127.0.0.1), and so may
  its redirects while they stay on its host;
* a redirect or a link found in fetched content never moves from a public address to a
  loopback or private one.

A request carries its ``reach`` (``public``, ``private`` or ``any``) to the transport,
which keeps one connection pool per reach (a connection opened for a trusted request
is never reused by an untrusted one). The pools' network backends resolve the host
name themselves, check every address and connect to a checked address only, so a
name that resolves differently the second time (DNS rebinding) gains nothing.
"""

from __future__ import annotations

import ipaddress
import socket
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

import anyio
import httpcore
import httpx
from httpx._utils import get_environment_proxies

Kind = Literal["public", "private", "local"]
"""``local``: link-local, cloud metadata or otherwise special: never without --allow-private."""
Reach = Literal["public", "private", "any"]
Via = Literal["user", "private", "public"]
"""Who named a URL: the user, or a page served from a private or a public address."""

REACH_EXTENSION = "vellum.reach"

Net = ipaddress.IPv4Network | ipaddress.IPv6Network
_net = ipaddress.ip_network
# Checked first: cloud metadata services, and link-local where most of them live.
LOCAL_NETWORKS: tuple[Net, ...] = (
    _net("169.254.0.0/16"),       # IPv4 link-local: AWS, GCP, Azure, OCI, DO metadata
    _net("fe80::/10"),            # IPv6 link-local
    _net("100.100.100.200/32"),   # Alibaba Cloud metadata
    _net("fd00:ec2::254/128"),    # AWS metadata over IPv6
    _net("168.63.129.16/32"),     # Azure wire server
    _net("224.0.0.0/4"), _net("ff00::/8"),       # multicast
    _net("240.0.0.0/4"),          # reserved, broadcast included
)
PRIVATE_NETWORKS: tuple[Net, ...] = (
    _net("127.0.0.0/8"), _net("::1/128"),        # loopback
    _net("0.0.0.0/8"), _net("::/128"),           # "this host": reaches loopback on Linux
    _net("10.0.0.0/8"), _net("172.16.0.0/12"), _net("192.168.0.0/16"),  # RFC 1918
    _net("100.64.0.0/10"),        # carrier-grade NAT (RFC 6598), tailnets
    _net("fc00::/7"),             # unique local (RFC 4193)
    _net("fec0::/10"),            # deprecated site-local
    _net("192.0.0.0/24"), _net("198.18.0.0/15"),  # IETF protocol assignments, benchmarking
)
# IPv6 forms that carry an IPv4 address: judged by the address inside.
NAT64 = _net("64:ff9b::/96")
SIX_TO_FOUR = _net("2002::/16")

RULES = {
    "local": "a link-local or cloud metadata address, never fetched without --allow-private",
    "private": ("a loopback or private address, which a redirect or a link found on a "
                "public address never reaches"),
}

Resolver = Callable[[str, int], list[str]]
Classifier = Callable[[str], Kind]


def address_kind(ip: str) -> Kind:
    """What kind of address ``ip`` is, IPv4 hidden in IPv6 included."""
    address = ipaddress.ip_address(ip.split("%", 1)[0])
    if isinstance(address, ipaddress.IPv6Address):
        inner = address.ipv4_mapped or address.sixtofour
        if inner is None and address in NAT64:
            inner = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if inner is not None:
            return address_kind(str(inner))
    if any(address in net for net in LOCAL_NETWORKS):
        return "local"
    if any(address in net for net in PRIVATE_NETWORKS):
        return "private"
    return "public"


def system_resolve(host: str, port: int) -> list[str]:
    """The host's addresses, in the order the system prefers them."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


@dataclass(frozen=True)
class AddressPolicy:
    """The SSRF policy of one run. ``resolver``/``classifier`` are seams for tests only
    (a loopback server playing a public host); None means the system's."""

    allow_private: bool = False
    resolver: Resolver | None = None
    classifier: Classifier | None = None

    def kind(self, ip: str) -> Kind:
        # Looked up at call time so a test can stand in for the module's classifier.
        return (self.classifier or address_kind)(ip)

    def resolve(self, host: str, port: int) -> list[str]:
        return (self.resolver or system_resolve)(host, port)

    def refusal(self, ip: str, reach: Reach) -> str | None:
        """Why ``reach`` may not connect to ``ip``, or None when it may."""
        if reach == "any" or self.allow_private:
            return None
        kind = self.kind(ip)
        if kind == "local" or (kind == "private" and reach == "public"):
            return f"{ip} is {RULES[kind]}"
        return None

    def reach(self, via: Via, *, first: bool, same_host: bool, came_private: bool) -> Reach:
        """The reach of one request: the first hop of a ``via`` URL, or a redirect hop
        (``same_host``: on the host the user named; ``came_private``: the previous hop
        was served from a non-public address)."""
        if self.allow_private:
            return "any"
        if (first and via != "public") or (via == "user" and same_host) or came_private:
            return "private"
        return "public"

    def served_privately(self, response: httpx.Response) -> bool:
        """True when ``response`` came from a non-public address (its peer, else the
        URL's IP literal; an unknown peer counts as public, the stricter choice)."""
        stream = response.extensions.get("network_stream")
        peer = stream.get_extra_info("server_addr") if stream is not None else None
        ip = str(peer[0]) if isinstance(peer, tuple) and peer else _literal(str(response.url))
        try:
            return ip is not None and self.kind(ip) != "public"
        except ValueError:
            return False

    def check_literal(self, url: str, reach: Reach) -> str | None:
        """The refusal for a URL whose host is an IP address, before any connection."""
        ip = _literal(url)
        return self.refusal(ip, reach) if ip is not None else None


class AddressRefused(Exception):
    """Raised by the network backends; the fetch code names the URL (``BlockedError``)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _literal(url: str) -> str | None:
    host = urlsplit(url).hostname or ""
    try:
        return str(ipaddress.ip_address(host.split("%", 1)[0]))
    except ValueError:
        return None


def same_host(a: str, b: str) -> bool:
    return (urlsplit(a).hostname or "").lower() == (urlsplit(b).hostname or "").lower()


def _checked(policy: AddressPolicy, reach: Reach, host: str, addresses: Iterable[str]) -> list[str]:
    allowed: list[str] = []
    refused: list[str] = []
    for ip in addresses:
        reason = policy.refusal(ip, reach)
        (refused if reason else allowed).append(reason or ip)
    if not allowed:
        raise AddressRefused(refused[0] if refused else f"{host} has no address")
    return allowed


def _resolved(policy: AddressPolicy, host: str, port: int) -> list[str]:
    try:
        return policy.resolve(host, port)
    except (OSError, UnicodeError) as err:
        raise httpcore.ConnectError(str(err)) from err


# -- network backends: resolve, check, connect to the checked address ------------------------


class GuardedBackend(httpcore.NetworkBackend):
    def __init__(self, policy: AddressPolicy, reach: Reach,
                 inner: httpcore.NetworkBackend | None = None) -> None:
        self.policy, self.reach, self.inner = policy, reach, inner or httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: typing.Iterable[typing.Any] | None = None,
                    ) -> httpcore.NetworkStream:
        allowed = _checked(self.policy, self.reach, host, _resolved(self.policy, host, port))
        last: Exception | None = None
        for ip in allowed:
            try:
                return self.inner.connect_tcp(ip, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as err:
                last = err
        assert last is not None
        raise last

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: typing.Iterable[typing.Any] | None = None,
                            ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


class AsyncGuardedBackend(httpcore.AsyncNetworkBackend):
    def __init__(self, policy: AddressPolicy, reach: Reach,
                 inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self.policy, self.reach = policy, reach
        self.inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: typing.Iterable[typing.Any] | None = None,
                          ) -> httpcore.AsyncNetworkStream:
        found = await anyio.to_thread.run_sync(_resolved, self.policy, host, port)
        allowed = _checked(self.policy, self.reach, host, found)
        last: Exception | None = None
        for ip in allowed:
            try:
                return await self.inner.connect_tcp(ip, port, timeout, local_address,
                                                    socket_options)
            except httpcore.ConnectError as err:
                last = err
        assert last is not None
        raise last

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: typing.Iterable[typing.Any] | None = None,
                                  ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not fetched")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


# -- transports: one pool per reach -----------------------------------------------------------


class GuardedTransport(httpx.BaseTransport):
    """Routes each request to the pool of its reach (``REACH_EXTENSION``, default public)."""

    def __init__(self, policy: AddressPolicy, **options: typing.Any) -> None:
        self.policy, self.options = policy, options
        self.pools: dict[Reach, httpx.HTTPTransport] = {}

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        reach: Reach = request.extensions.get(REACH_EXTENSION, "public")
        pool = self.pools.get(reach)
        if pool is None:
            pool = self.pools[reach] = httpx.HTTPTransport(**self.options)
            # httpx takes no network backend; its pool reads this attribute per connection.
            pool._pool._network_backend = GuardedBackend(self.policy, reach)
        return pool.handle_request(request)

    def close(self) -> None:
        for pool in self.pools.values():
            pool.close()


class AsyncGuardedTransport(httpx.AsyncBaseTransport):
    def __init__(self, policy: AddressPolicy, **options: typing.Any) -> None:
        self.policy, self.options = policy, options
        self.pools: dict[Reach, httpx.AsyncHTTPTransport] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        reach: Reach = request.extensions.get(REACH_EXTENSION, "public")
        pool = self.pools.get(reach)
        if pool is None:
            pool = self.pools[reach] = httpx.AsyncHTTPTransport(**self.options)
            pool._pool._network_backend = AsyncGuardedBackend(self.policy, reach)
        return await pool.handle_async_request(request)

    async def aclose(self) -> None:
        for pool in self.pools.values():
            await pool.aclose()


def proxy_mounts(
    transport: Callable[..., httpx.BaseTransport | httpx.AsyncBaseTransport], **options: typing.Any
) -> dict[str, typing.Any]:
    """The proxies of the environment (``HTTPS_PROXY``, ``NO_PROXY``...) as client mounts.

    httpx stops reading them once a client is given its own transport, as ours are; httpx's
    own reader keeps its rules. Through a proxy the proxy resolves names, so for those
    requests only IP-literal URLs are checked (``AddressPolicy.check_literal``).
    """
    return {pattern: transport(proxy=url, **options) if url else None
            for pattern, url in get_environment_proxies().items()}
