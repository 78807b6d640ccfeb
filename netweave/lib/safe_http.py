"""Fetching an address that someone typed in, without letting them reach inside our own network.

A coordinator's feed address, or a link in a resource, is fetched by the server. Left alone that is
a server-side request forgery: `http://127.0.0.1:5432/`, `http://169.254.169.254/` (cloud metadata)
or a public name whose DNS answer is `10.0.0.5`. `safe_fetch` resolves the host once, refuses the
request if ANY of its addresses is private, loopback, link-local, reserved, multicast or unspecified
(IPv4-mapped and other IPv6 forms of an IPv4 address included), and then connects to the address it
checked, so a second DNS answer cannot swap in another one (DNS rebinding). Every redirect hop is
resolved and checked again. Bodies are read up to a size limit and within one overall deadline.

urllib3 does the HTTP: we hand it the checked IP address as the host, and the real name as the
`Host` header, as the TLS server name (SNI) and as the name the certificate must match.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

import urllib3
from django.conf import settings
from urllib3.exceptions import (
    ConnectTimeoutError,
    DecodeError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)
from urllib3.exceptions import HTTPError as Urllib3Error

__all__ = [
    "USER_AGENT",
    "FetchError",
    "FetchFailed",
    "FetchRefused",
    "FetchResult",
    "address_refusal",
    "safe_fetch",
]

USER_AGENT = "NetWeave/0.1 (resource center feed and link checker; +https://netweave.org)"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024
# Characters left as they are when a path or query with spaces or non-ASCII letters is quoted.
_SAFE_PATH = "/%:@!$&'()*+,;=-._~"
_SAFE_QUERY = _SAFE_PATH + "?"
# NAT64 (RFC 6052) carries an IPv4 address in its last 32 bits.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")


class FetchError(Exception):
    """A fetch that gave no usable answer; `reason` says why in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class FetchRefused(FetchError):
    """We did not make (or finish) the request: the address or the answer is not allowed."""


class FetchFailed(FetchError):
    """We tried and the other side did not answer properly: DNS, timeout, connection, TLS."""


@dataclass(frozen=True)
class FetchResult:
    status: int
    url: str  # the final address, after redirects
    headers: urllib3.HTTPHeaderDict  # case-insensitive
    content: bytes
    truncated: bool = False


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address that an IPv6 address stands for, if it is one of the forms that carry one
    (IPv4-mapped, 6to4, Teredo, NAT64)."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64 or ip in _NAT64_LOCAL:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_refusal(address: str, *, allow_private: bool = False) -> str | None:
    """Why a connection to the IP `address` is refused, or None when it may be made.

    `allow_private` lets through private, loopback, link-local and reserved addresses (an intranet
    installation, or tests against a server on loopback); multicast and unspecified never are.
    """
    try:
        ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(
            address.split("%", 1)[0]  # an IPv6 zone ("fe80::1%eth0") is link-local anyway
        )
    except ValueError:
        return f"“{address}” is not an IP address."
    if ip.is_multicast:
        return f"The address {ip} is a multicast address."
    if ip.is_unspecified:
        return f"The address {ip} is unspecified."
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None:
            why = address_refusal(str(inner), allow_private=allow_private)
            return f"The address {ip} stands for {inner}. {why}" if why else None
        if "%" in address and not allow_private:
            return f"The address {address} is link-local."
    if allow_private:
        return None
    if ip.is_loopback:
        return f"The address {ip} is a loopback address (this server itself)."
    if ip.is_link_local:
        return f"The address {ip} is a link-local address."
    if ip.is_private:
        return f"The address {ip} is a private address."
    if ip.is_reserved:
        return f"The address {ip} is a reserved address."
    if not ip.is_global:
        return f"The address {ip} is not a public internet address."
    return None


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str  # ASCII (IDNA) host name or IP literal, without brackets
    port: int
    request_target: str  # path and query, as sent on the request line
    url: str

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


def _target(url: str) -> _Target:
    if not isinstance(url, str) or not url.strip():
        raise FetchRefused("The address is empty.")
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise FetchRefused(f"The address “{url}” is not valid ({error}).") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        shown = scheme or "none"
        raise FetchRefused(
            f"Only http:// and https:// addresses can be fetched (this one's scheme is {shown})."
        )
    if parts.username is not None or parts.password is not None:
        raise FetchRefused("Addresses with a user name or password in them are not fetched.")
    host = (parts.hostname or "").replace("%25", "%").rstrip(".")
    if not host:
        raise FetchRefused(f"The address “{url}” has no host name.")
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise FetchRefused(f"The host name “{host}” is not valid.") from None
    path = quote(parts.path or "/", safe=_SAFE_PATH)
    query = quote(parts.query, safe=_SAFE_QUERY) if parts.query else ""
    return _Target(
        scheme=scheme,
        host=host.lower(),
        port=port or (443 if scheme == "https" else 80),
        request_target=path + ("?" + query if query else ""),
        url=url,
    )


def _resolve(target: _Target, *, allow_private: bool) -> list[str]:
    """Every address of the host, each checked; refused if any one is not allowed (a host with a
    public and a private address is how rebinding attacks hide)."""
    try:
        infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchFailed(
            f"The host name “{target.host}” could not be found (DNS: {error})."
        ) from None
    addresses: list[str] = []
    for info in infos:
        address = str(info[4][0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise FetchFailed(f"The host name “{target.host}” has no address.")
    for address in addresses:
        why = address_refusal(address, allow_private=allow_private)
        if why:
            raise FetchRefused(f"{target.host} is not fetched: {why}")
    return addresses


def _setting(value: Any, name: str) -> Any:
    return getattr(settings, name) if value is None else value


def safe_fetch(
    url: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    timeout: float | None = None,
    max_bytes: int | None = None,
    allow_private: bool | None = None,
    max_redirects: int = 5,
    truncate: bool = False,
) -> FetchResult:
    """Fetch `url` with GET or HEAD, following up to `max_redirects` redirects.

    `timeout` (seconds; default NETWEAVE_FEED_TIMEOUT_SECONDS) bounds the whole fetch, not only each
    read. A body larger than `max_bytes` (default NETWEAVE_FEED_MAX_BYTES, counted after gzip or
    deflate decoding) is refused, or with `truncate=True` cut there and returned with
    `truncated=True` (a link checker needs only the start). `allow_private` defaults to
    NETWEAVE_FEED_ALLOW_PRIVATE_ADDRESSES.

    Any status is returned as it is (304, 404, 500 included) except redirects, which are followed.
    Raises FetchRefused or FetchFailed, both FetchError, with a message for people.
    """
    method = method.upper()
    if method not in ("GET", "HEAD"):
        raise ValueError(f"safe_fetch does GET and HEAD, not {method}")
    timeout = float(_setting(timeout, "NETWEAVE_FEED_TIMEOUT_SECONDS"))
    max_bytes = int(_setting(max_bytes, "NETWEAVE_FEED_MAX_BYTES"))
    allow_private = bool(_setting(allow_private, "NETWEAVE_FEED_ALLOW_PRIVATE_ADDRESSES"))
    deadline = time.monotonic() + timeout

    base_headers = {
        "User-Agent": USER_AGENT,
        "Accept-Encoding": "gzip, deflate",
        "Accept": "*/*",
    }
    for name, value in (headers or {}).items():
        if name.lower() == "host":
            continue
        base_headers = {k: v for k, v in base_headers.items() if k.lower() != name.lower()}
        base_headers[name] = value

    url_now = url
    for hop in range(max_redirects + 1):
        target = _target(url_now)
        addresses = _resolve(target, allow_private=allow_private)
        status, response_headers, content, truncated = _request(
            target,
            addresses,
            method=method,
            headers=base_headers,
            deadline=deadline,
            timeout=timeout,
            max_bytes=max_bytes,
            truncate=truncate,
        )
        location = response_headers.get("Location")
        if status in REDIRECT_STATUSES and location:
            if hop == max_redirects:
                raise FetchRefused(
                    f"Too many redirects (more than {max_redirects}) starting at {url}."
                )
            url_now = urljoin(target.url, location.strip())
            continue
        return FetchResult(
            status=status,
            url=target.url,
            headers=response_headers,
            content=content,
            truncated=truncated,
        )
    raise AssertionError("unreachable")  # pragma: no cover


def _remaining(deadline: float, url: str) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchFailed(f"{url} took too long to answer (timed out).")
    return left


def _request(
    target: _Target,
    addresses: list[str],
    *,
    method: str,
    headers: dict[str, str],
    deadline: float,
    timeout: float,
    max_bytes: int,
    truncate: bool,
) -> tuple[int, urllib3.HTTPHeaderDict, bytes, bool]:
    """One request to the first of `addresses` that accepts a connection."""
    last_error: FetchError | None = None
    for address in addresses:
        left = _remaining(deadline, target.url)
        pool: urllib3.HTTPConnectionPool
        if target.scheme == "https":
            pool = urllib3.HTTPSConnectionPool(
                address,
                target.port,
                timeout=urllib3.Timeout(connect=left, read=left),
                retries=False,
                maxsize=1,
                cert_reqs="CERT_REQUIRED",
                server_hostname=target.host,
                assert_hostname=target.host,
            )
        else:
            pool = urllib3.HTTPConnectionPool(
                address,
                target.port,
                timeout=urllib3.Timeout(connect=left, read=left),
                retries=False,
                maxsize=1,
            )
        try:
            try:
                response = pool.urlopen(
                    method,
                    target.request_target,
                    headers={**headers, "Host": target.host_header},
                    redirect=False,
                    retries=False,
                    preload_content=False,
                    decode_content=True,
                    assert_same_host=False,
                )
            except (NewConnectionError, ConnectTimeoutError) as error:
                # Try the host's next address, as a browser would.
                last_error = _failure(error, target)
                continue
            except Urllib3Error as error:
                raise _failure(error, target) from None
            try:
                return _read(response, target, method, deadline, max_bytes, truncate)
            finally:
                response.release_conn()
        finally:
            pool.close()
    assert last_error is not None
    raise last_error


def _read(
    response: urllib3.BaseHTTPResponse,
    target: _Target,
    method: str,
    deadline: float,
    max_bytes: int,
    truncate: bool,
) -> tuple[int, urllib3.HTTPHeaderDict, bytes, bool]:
    status = response.status
    response_headers = response.headers
    if method == "HEAD" or status in REDIRECT_STATUSES or status in (204, 304):
        return status, response_headers, b"", False
    declared = response_headers.get("Content-Length", "")
    if not truncate and declared.isdigit() and int(declared) > max_bytes:
        raise FetchRefused(_too_large(target, max_bytes))
    body = bytearray()
    truncated = False
    try:
        while True:
            # Each read waits at most for what is left of the overall deadline, and read1
            # returns what has arrived: a server that sends a byte a second cannot stretch it.
            left = _remaining(deadline, target.url)
            sock = getattr(response.connection, "sock", None)
            if sock is not None:
                sock.settimeout(left)
            chunk = response.read1(_CHUNK, decode_content=True)
            if not chunk:
                break
            body += chunk
            if len(body) > max_bytes:
                if not truncate:
                    raise FetchRefused(_too_large(target, max_bytes))
                del body[max_bytes:]
                truncated = True
                break
    except DecodeError:
        raise FetchFailed(
            f"{target.url} sent a compressed answer that could not be decompressed."
        ) from None
    except Urllib3Error as error:
        raise _failure(error, target) from None
    return status, response_headers, bytes(body), truncated


def _too_large(target: _Target, max_bytes: int) -> str:
    return f"{target.url} is larger than the limit of {_human_size(max_bytes)}."


def _human_size(size: int) -> str:
    if size >= 1_000_000:
        return f"{size / 1_000_000:g} MB"
    if size >= 1_000:
        return f"{size / 1_000:g} kB"
    return f"{size} bytes"


def _failure(error: Exception, target: _Target) -> FetchError:
    # urllib3's NewConnectionError is a subclass of ConnectTimeoutError: test it first.
    if isinstance(error, NewConnectionError):
        return FetchFailed(f"Could not connect to {target.host_header} ({_inner(error)}).")
    if isinstance(error, ConnectTimeoutError | ReadTimeoutError):
        return FetchFailed(f"{target.url} took too long to answer (timed out).")
    if isinstance(error, SSLError):
        return FetchFailed(
            f"The secure connection to {target.host} failed (TLS: {_inner(error)}). "
            "Its certificate may be expired or issued for another name."
        )
    if isinstance(error, ProtocolError):
        return FetchFailed(f"The connection to {target.host_header} broke off ({_inner(error)}).")
    return FetchFailed(f"Fetching {target.url} failed ({_inner(error)}).")


def _inner(error: Exception) -> str:
    """The most telling part of urllib3's nested error messages, kept short."""
    cause: BaseException = error
    while cause.__context__ is not None and isinstance(cause.__context__, OSError):
        cause = cause.__context__
    text = str(getattr(cause, "strerror", None) or cause) or type(cause).__name__
    return text[:200]
