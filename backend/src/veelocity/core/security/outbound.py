"""Which hosts and addresses the server may call (SSRF guard).

Checked when a URL is saved (its scheme, its name or literal address) and again at every
connection, on every address the name resolves to (`core.security.outbound_client` connects to
the address it checked, so DNS rebinding between the check and the connection is impossible).

- Cloud metadata and link-local addresses are always refused.
- Loopback, private and other non-public addresses only for hosts in OUTBOUND_HOST_ALLOWLIST,
  or for any host when OUTBOUND_ALLOW_PRIVATE_NETWORKS is true (self-hosted upstreams).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from veelocity.core.config import Settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_ALWAYS_BLOCKED_NAMES = frozenset({"metadata.google.internal", "metadata", "instance-data"})
_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
_METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(value)
    for value in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean
        "fd00:ec2::254",  # AWS over IPv6
        "100.100.100.200",  # Alibaba Cloud
        "168.63.129.16",  # Azure's host agent (a public address)
    )
)
#: NAT64's well-known prefix: the last 32 bits are an IPv4 address (RFC 6052)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class ForbiddenURL(ValueError):
    """The URL or address may not be called; the message says why."""


def normalise_host(host: str) -> str:
    """Lower-cased, without IPv6 brackets or the trailing dot of a fully qualified name."""
    return host.strip("[]").rstrip(".").lower()


def _literal_address(host: str) -> IPAddress | None:
    """Parse every form an address may take in a URL, including `2130706433` and `0x7f.1`."""
    try:
        return ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        pass
    try:
        # inet_aton accepts the historic shorthand forms that HTTP clients also accept.
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def _embedded_ipv4(address: IPAddress) -> IPAddress:
    """The IPv4 address an IPv6 one stands for (mapped, NAT64, 6to4, Teredo), else itself."""
    if isinstance(address, ipaddress.IPv4Address):
        return address
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    return address


@dataclass(frozen=True)
class OutboundPolicy:
    """The operator's choices: hosts allowed on private networks, or all of them."""

    allowlist: frozenset[str] = frozenset()
    allow_private_networks: bool = False

    @classmethod
    def of(
        cls, allowlist: Iterable[str], *, allow_private_networks: bool = False
    ) -> OutboundPolicy:
        return cls(frozenset(normalise_host(h) for h in allowlist), allow_private_networks)

    @classmethod
    def from_settings(cls, settings: Settings) -> OutboundPolicy:
        return cls.of(
            settings.outbound_host_allowlist,
            allow_private_networks=settings.outbound_allow_private_networks,
        )

    def _private_allowed(self, host: str) -> bool:
        return self.allow_private_networks or normalise_host(host) in self.allowlist

    def check_host_name(self, host: str) -> IPAddress | None:
        """Refuse names that are never allowed; return the address when `host` is a literal."""
        name = normalise_host(host)
        if not name:
            raise ForbiddenURL("the URL has no host")
        if name in _ALWAYS_BLOCKED_NAMES:
            raise ForbiddenURL(f"{name} is a cloud metadata address")
        if name in _LOCAL_NAMES and not self._private_allowed(name):
            raise ForbiddenURL(f"{name} is on a loopback network; {_HOW_TO_ALLOW}")
        address = _literal_address(name)
        if address is not None:
            self.check_address(name, address)
        return address

    def check_address(self, host: str, address: IPAddress) -> None:
        """Refuse an address `host` stands for, unless the policy allows it."""
        name = normalise_host(host)
        embedded = _embedded_ipv4(address)
        for candidate in {address, embedded}:
            if candidate in _METADATA_ADDRESSES or candidate.is_link_local:
                raise ForbiddenURL(f"{name} is a link-local or cloud metadata address")
        if self._private_allowed(name):
            return
        if not (address.is_global and embedded.is_global) or embedded.is_multicast:
            raise ForbiddenURL(f"{name} is on a loopback or private network; {_HOW_TO_ALLOW}")

    def check_base_url(self, url: str) -> str:
        """Validate a base URL at save time; return it without a trailing slash."""
        parts = urlsplit(url.strip())
        if parts.scheme not in {"http", "https"}:
            raise ForbiddenURL("only http and https URLs are allowed")
        if parts.username or parts.password:
            raise ForbiddenURL("URLs with a user name or password are not allowed")
        self.check_host_name(parts.hostname or "")
        return url.strip().rstrip("/")

    def resolve_checked(self, host: str, port: int, resolve: Resolver) -> list[IPAddress]:
        """Every address `host` stands for, each one checked; refuses if any is forbidden."""
        literal = self.check_host_name(host)
        if literal is not None:
            return [literal]
        addresses = [ipaddress.ip_address(value.split("%")[0]) for value in resolve(host, port)]
        for address in addresses:
            self.check_address(host, address)
        return addresses


_HOW_TO_ALLOW = (
    "add the host to OUTBOUND_HOST_ALLOWLIST (or set OUTBOUND_ALLOW_PRIVATE_NETWORKS=true) "
    "to allow it"
)

#: Name, port → the addresses to connect to (strings, as getaddrinfo gives them).
Resolver = Callable[[str, int], list[str]]


def system_resolver(host: str, port: int) -> list[str]:
    """Every A and AAAA record of `host`, in the order the system prefers."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))
