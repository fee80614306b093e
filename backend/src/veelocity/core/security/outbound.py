"""Which base URLs the server may call for an admin-configured source (SSRF guard).

Checked when a URL is saved (literal addresses and well-known names) and again before each
connection (every resolved address). Cloud metadata and link-local addresses are always
refused; loopback and private networks only for hosts the operator allowlisted.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_ALWAYS_BLOCKED_NAMES = frozenset({"metadata.google.internal", "metadata", "instance-data"})
_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
_METADATA_ADDRESSES = frozenset(
    {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
)


class ForbiddenURL(ValueError):
    """The URL may not be used as an upstream base URL; the message says why."""


def _literal_address(host: str) -> IPAddress | None:
    """Parse every form an address may take in a URL, including `2130706433` and `0x7f.1`."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    try:
        # inet_aton accepts the historic shorthand forms that HTTP clients also accept.
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def _check_address(address: IPAddress, host: str, allowlisted: bool) -> None:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address in _METADATA_ADDRESSES or address.is_link_local:
        raise ForbiddenURL(f"{host} is a link-local or cloud metadata address")
    if allowlisted:
        return
    if (
        address.is_loopback
        or address.is_private
        or address.is_unspecified
        or address.is_reserved
        or address.is_multicast
    ):
        raise ForbiddenURL(
            f"{host} is on a loopback or private network; add it to OUTBOUND_HOST_ALLOWLIST "
            "to allow it"
        )


def check_base_url(url: str, allowlist: Iterable[str]) -> str:
    """Validate a base URL at save time; return it without a trailing slash."""
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"}:
        raise ForbiddenURL("only http and https URLs are allowed")
    if parts.username or parts.password:
        raise ForbiddenURL("URLs with a user name or password are not allowed")
    host = (parts.hostname or "").lower()
    if not host:
        raise ForbiddenURL("the URL has no host")
    allowlisted = host in {item.lower() for item in allowlist}
    if host in _ALWAYS_BLOCKED_NAMES:
        raise ForbiddenURL(f"{host} is a cloud metadata address")
    if host in _LOCAL_NAMES and not allowlisted:
        raise ForbiddenURL(
            f"{host} is on a loopback network; add it to OUTBOUND_HOST_ALLOWLIST to allow it"
        )
    address = _literal_address(host)
    if address is not None:
        _check_address(address, host, allowlisted)
    return url.strip().rstrip("/")


Resolver = Callable[[str], list[str]]


def system_resolver(host: str) -> list[str]:
    return sorted({str(info[4][0]) for info in socket.getaddrinfo(host, None)})


def check_resolved_host(
    host: str, allowlist: Iterable[str], resolve: Resolver = system_resolver
) -> None:
    """Before connecting: every address the name resolves to must be allowed (DNS rebinding)."""
    allowlisted = host.lower() in {item.lower() for item in allowlist}
    for value in resolve(host):
        _check_address(ipaddress.ip_address(value.split("%")[0]), host, allowlisted)
