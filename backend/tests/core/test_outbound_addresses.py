"""Which base URLs and resolved addresses the server may call (security checks R-01…R-04).

Pure checks: nothing here resolves a name or opens a socket."""

from __future__ import annotations

import pytest

from veelocity.core.security.outbound import ForbiddenURL, OutboundPolicy

STRICT = OutboundPolicy()
EVERYTHING_ALLOWED = OutboundPolicy.of(
    [
        "169.254.169.254",
        "169.254.169.254.",
        "fd00:ec2::254",
        "metadata.google.internal",
        "100.100.100.200",
        "ghe.internal",
    ],
    allow_private_networks=True,
)

METADATA_URLS = [
    "http://169.254.169.254/",
    "http://169.254.169.254./latest/meta-data",
    "http://[fd00:ec2::254]/",
    "http://metadata.google.internal/",
    "http://metadata.google.internal./computeMetadata/v1/",
    "http://METADATA.google.internal/",
    "http://100.100.100.200/latest/meta-data",
    "http://[::ffff:169.254.169.254]/",
    "http://[64:ff9b::a9fe:a9fe]/",  # NAT64 form of 169.254.169.254
    "http://[2002:a9fe:a9fe::1]/",  # 6to4 form of 169.254.169.254
    "http://169.254.170.2/v2/credentials",  # link-local (container credentials)
    "http://[fe80::1]/",
]

LOOPBACK_AND_PRIVATE_URLS = [
    "http://127.0.0.1:5432",
    "http://localhost",
    "http://localhost./",
    "http://[::1]",
    "http://0.0.0.0",
    "http://2130706433",
    "http://0x7f.1",
    "http://[::ffff:127.0.0.1]",
    "http://10.0.0.5/api/v3",
    "http://192.168.1.10",
    "http://100.64.0.1",  # shared address space (carrier-grade NAT)
    "http://224.0.0.1",
]


@pytest.mark.parametrize("url", METADATA_URLS)
@pytest.mark.parametrize("policy", [STRICT, EVERYTHING_ALLOWED], ids=["strict", "allowed"])
def test_metadata_and_link_local_urls_are_refused_whatever_is_allowed(
    policy: OutboundPolicy, url: str
) -> None:
    with pytest.raises(ForbiddenURL, match="metadata"):
        policy.check_base_url(url)


@pytest.mark.parametrize("url", LOOPBACK_AND_PRIVATE_URLS)
def test_loopback_and_private_urls_are_refused_by_default(url: str) -> None:
    with pytest.raises(ForbiddenURL) as refused:
        STRICT.check_base_url(url)
    assert "OUTBOUND_HOST_ALLOWLIST" in str(refused.value)
    assert "OUTBOUND_ALLOW_PRIVATE_NETWORKS" in str(refused.value)


@pytest.mark.parametrize("url", LOOPBACK_AND_PRIVATE_URLS)
def test_loopback_and_private_urls_are_accepted_when_private_networks_are_allowed(
    url: str,
) -> None:
    policy = OutboundPolicy.of([], allow_private_networks=True)
    assert policy.check_base_url(url + "/") == url.rstrip("/")


def test_an_allowlisted_host_is_accepted_and_its_neighbours_are_not() -> None:
    policy = OutboundPolicy.of(["10.0.0.5", "LocalHost"])
    assert policy.check_base_url("https://10.0.0.5/api/v3") == "https://10.0.0.5/api/v3"
    assert policy.check_base_url("http://localhost:8080") == "http://localhost:8080"
    with pytest.raises(ForbiddenURL):
        policy.check_base_url("https://10.0.0.6/api/v3")


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "gopher://example.com/", "ftp://example.com/", "javascript:alert(1)"],
)
def test_only_http_and_https_are_allowed(url: str) -> None:
    with pytest.raises(ForbiddenURL, match="only http and https"):
        EVERYTHING_ALLOWED.check_base_url(url)


def test_urls_with_credentials_are_refused() -> None:
    with pytest.raises(ForbiddenURL, match="user name or password"):
        EVERYTHING_ALLOWED.check_base_url("http://user:pass@github.example.com")


def test_a_public_url_is_accepted_without_its_trailing_slash() -> None:
    assert STRICT.check_base_url(" https://api.github.com/ ") == "https://api.github.com"


def _resolver(answers: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def resolve(host: str, _port: int) -> list[str]:
        return answers[host]

    return resolve


@pytest.mark.parametrize("address", ["10.0.0.5", "127.0.0.1", "::1", "::ffff:10.0.0.5"])
def test_a_public_name_that_resolves_to_a_private_address_is_refused(address: str) -> None:
    resolve = _resolver({"github.example.com": ["140.82.112.6", address]})
    with pytest.raises(ForbiddenURL, match="loopback or private"):
        STRICT.resolve_checked("github.example.com", 443, resolve)


def test_an_allowlisted_name_may_resolve_to_a_private_address_but_never_to_metadata() -> None:
    policy = OutboundPolicy.of(["ghe.internal"])
    private = _resolver({"ghe.internal": ["10.0.0.5"]})
    assert [str(a) for a in policy.resolve_checked("ghe.internal", 443, private)] == ["10.0.0.5"]
    metadata = _resolver({"ghe.internal": ["10.0.0.5", "169.254.169.254"]})
    with pytest.raises(ForbiddenURL, match="metadata"):
        EVERYTHING_ALLOWED.resolve_checked("ghe.internal", 443, metadata)


def test_a_literal_address_is_checked_without_asking_dns() -> None:
    def no_dns(host: str, _port: int) -> list[str]:
        raise AssertionError(f"{host} should not have been resolved")

    with pytest.raises(ForbiddenURL):
        STRICT.resolve_checked("169.254.169.254", 80, no_dns)
    assert [str(a) for a in STRICT.resolve_checked("140.82.112.6", 443, no_dns)] == ["140.82.112.6"]
