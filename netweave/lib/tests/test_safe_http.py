"""safe_fetch against a real HTTP server on loopback. Nothing here sends a packet anywhere but
127.0.0.1: the private and public addresses below are refused (or judged) before any connection."""

from __future__ import annotations

import gzip
import ipaddress
import socket

import pytest

from netweave.lib import safe_http
from netweave.lib.safe_http import (
    USER_AGENT,
    FetchError,
    FetchFailed,
    FetchRefused,
    address_refusal,
    safe_fetch,
)
from netweave.lib.tests.loopback_http import Reply, loopback_server


@pytest.fixture
def server():  # type: ignore[no-untyped-def]
    with loopback_server() as s:
        yield s


def _resolving(monkeypatch: pytest.MonkeyPatch, table: dict[str, list[str]]) -> list[str]:
    """Make getaddrinfo answer from `table` (and record the names asked), so no DNS is used."""
    asked: list[str] = []
    real = socket.getaddrinfo

    def fake(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        try:
            ipaddress.ip_address(host)
        except ValueError:
            pass
        else:  # urllib3 connecting to the checked address
            return real(host, port, *args, **kwargs)
        asked.append(host)
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            (
                socket.AF_INET6 if ":" in a else socket.AF_INET,
                socket.SOCK_STREAM,
                6,
                "",
                (a, port, 0, 0) if ":" in a else (a, port),
            )
            for a in table[host]
        ]

    monkeypatch.setattr(safe_http.socket, "getaddrinfo", fake)
    return asked


def _only_this_loopback_is_public(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend 127.0.0.1 (our test server) is a public address while every other address is
    judged as usual, so that redirects from it can be checked with the private switch off."""
    real = safe_http.address_refusal

    def policy(address: str, *, allow_private: bool = False) -> str | None:
        return None if address == "127.0.0.1" else real(address, allow_private=allow_private)

    monkeypatch.setattr(safe_http, "address_refusal", policy)


class AddressRefusalTests:
    @pytest.mark.parametrize(
        "address",
        [
            "127.0.0.1",
            "127.8.9.10",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",  # noqa: S104
            "224.0.0.1",
            "240.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fe80::1",
            "fc00::1",
            "fd12:3456::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "2002:7f00:1::",
            "2002:0a00:0001::1",
            "64:ff9b::10.0.0.1",
            "2001:db8::1",
        ],
    )
    def test_it_refuses_addresses_that_are_not_public(self, address):
        assert address_refusal(address) is not None

    @pytest.mark.parametrize(
        "address", ["93.184.216.34", "2606:4700:4700::1111", "::ffff:93.184.216.34"]
    )
    def test_it_allows_public_addresses(self, address):
        assert address_refusal(address) is None

    def test_the_private_switch_lets_private_addresses_through_but_never_multicast(self):
        assert address_refusal("127.0.0.1", allow_private=True) is None
        assert address_refusal("::ffff:10.0.0.1", allow_private=True) is None
        assert address_refusal("224.0.0.1", allow_private=True) is not None
        assert address_refusal("0.0.0.0", allow_private=True) is not None  # noqa: S104

    def test_the_reason_names_the_address_and_what_it_is(self):
        assert "loopback" in address_refusal("::ffff:127.0.0.1")  # type: ignore[operator]
        assert "link-local" in address_refusal("169.254.169.254")  # type: ignore[operator]


class SafeFetchRefusalTests:
    @pytest.mark.parametrize(
        "url",
        ["ftp://example.org/feed", "file:///etc/passwd", "javascript:alert(1)", "example.org"],
    )
    def test_it_refuses_schemes_other_than_http_and_https(self, url):
        with pytest.raises(FetchRefused, match="http"):
            safe_fetch(url, allow_private=False)

    def test_it_refuses_an_empty_address(self):
        with pytest.raises(FetchRefused, match="empty"):
            safe_fetch("  ")

    @pytest.mark.parametrize(
        "url",
        [
            "http://127.0.0.1/",
            "http://localhost/",
            "http://[::1]/",
            "http://[::ffff:127.0.0.1]/",
            "http://169.254.169.254/latest/meta-data/",
            "http://10.0.0.1/",
            "http://0.0.0.0/",
        ],
    )
    def test_it_refuses_private_and_loopback_hosts_before_connecting(self, url):
        with pytest.raises(FetchRefused, match="is not fetched"):
            safe_fetch(url, allow_private=False)

    def test_it_refuses_a_name_with_any_private_address_among_public_ones(self, monkeypatch):
        _resolving(monkeypatch, {"mixed.example": ["93.184.216.34", "10.0.0.7"]})
        with pytest.raises(FetchRefused, match=r"10\.0\.0\.7"):
            safe_fetch("https://mixed.example/feed", allow_private=False)

    def test_it_refuses_a_name_resolving_to_a_mapped_loopback_address(self, monkeypatch):
        _resolving(monkeypatch, {"sneaky.example": ["::ffff:127.0.0.1"]})
        with pytest.raises(FetchRefused, match=r"127\.0\.0\.1"):
            safe_fetch("http://sneaky.example/", allow_private=False)

    def test_it_refuses_an_address_with_credentials(self):
        with pytest.raises(FetchRefused, match="password"):
            safe_fetch("http://user:secret@example.org/")

    def test_the_setting_decides_when_the_caller_does_not(self, server, settings):
        server.routes["/"] = Reply(body=b"hello")
        settings.NETWEAVE_FEED_ALLOW_PRIVATE_ADDRESSES = False
        with pytest.raises(FetchRefused):
            safe_fetch(server.url("/"))
        assert server.requests == []
        settings.NETWEAVE_FEED_ALLOW_PRIVATE_ADDRESSES = True
        assert safe_fetch(server.url("/")).content == b"hello"

    def test_a_failed_name_lookup_is_a_failure_not_a_refusal(self, monkeypatch):
        _resolving(monkeypatch, {})
        with pytest.raises(FetchFailed, match="could not be found"):
            safe_fetch("http://no-such-host.example/", allow_private=False)


class SafeFetchTests:
    def test_it_returns_status_final_address_headers_and_body(self, server):
        server.routes["/feed"] = Reply(body=b"<rss/>", headers={"ETag": '"v1"'})
        result = safe_fetch(server.url("/feed"), allow_private=True)
        assert result.status == 200 and result.content == b"<rss/>"
        assert result.url == server.url("/feed") and not result.truncated
        assert result.headers["etag"] == '"v1"' and result.headers["ETAG"] == '"v1"'
        assert server.requests[0].headers["user-agent"] == USER_AGENT
        assert "NetWeave" in USER_AGENT

    def test_it_sends_the_callers_headers_and_returns_a_304_as_it_is(self, server):
        server.routes["/feed"] = lambda seen: (
            Reply(304) if seen.headers.get("if-none-match") == '"v1"' else Reply(body=b"x")
        )
        result = safe_fetch(
            server.url("/feed"), headers={"If-None-Match": '"v1"'}, allow_private=True
        )
        assert result.status == 304 and result.content == b""

    def test_it_connects_to_the_address_it_checked_and_sends_the_real_host_name(
        self, server, monkeypatch
    ):
        asked = _resolving(monkeypatch, {"feeds.example.test": ["127.0.0.1"]})
        server.routes["/feed"] = Reply(body=b"ok")
        url = f"http://feeds.example.test:{server.port}/feed"
        assert safe_fetch(url, allow_private=True).content == b"ok"
        assert asked == ["feeds.example.test"]  # one lookup: nothing to rebind
        assert server.requests[0].headers["host"] == f"feeds.example.test:{server.port}"

    def test_it_tries_the_next_address_when_one_does_not_answer(self, server, monkeypatch):
        # Nothing listens on 127.0.0.3: the server is bound to 127.0.0.1 only.
        _resolving(monkeypatch, {"two.example.test": ["127.0.0.3", "127.0.0.1"]})
        server.routes["/"] = Reply(body=b"second")
        result = safe_fetch(f"http://two.example.test:{server.port}/", allow_private=True)
        assert result.content == b"second"

    def test_it_quotes_spaces_and_letters_in_the_path(self, server):
        server.routes["/a%20b/%C3%A9t%C3%A9"] = Reply(body=b"ok")
        assert safe_fetch(server.url("/a b/été"), allow_private=True).content == b"ok"

    def test_head_reads_no_body(self, server):
        server.routes["/big"] = Reply(body=b"x" * 1000)
        result = safe_fetch(server.url("/big"), method="HEAD", allow_private=True)
        assert result.status == 200 and result.content == b""
        assert server.requests[0].method == "HEAD"

    def test_it_decodes_gzip(self, server):
        server.routes["/z"] = Reply(
            body=gzip.compress(b"<feed/>"), headers={"Content-Encoding": "gzip"}
        )
        assert safe_fetch(server.url("/z"), allow_private=True).content == b"<feed/>"

    def test_a_connection_refused_is_a_failure(self):
        with socket.socket() as unused:
            unused.bind(("127.0.0.1", 0))
            port = unused.getsockname()[1]  # bound, never listening: connections are refused
            with pytest.raises(FetchFailed, match="Could not connect"):
                safe_fetch(f"http://127.0.0.1:{port}/", allow_private=True)

    def test_errors_share_one_base_class_with_a_reason(self):
        error = FetchRefused("why")
        assert isinstance(error, FetchError) and error.reason == "why" and str(error) == "why"


class SafeFetchLimitTests:
    def test_a_server_slower_than_the_timeout_fails(self, server):
        server.routes["/slow"] = Reply(body=b"late", delay=2)
        with pytest.raises(FetchFailed, match="timed out"):
            safe_fetch(server.url("/slow"), timeout=0.3, allow_private=True)

    def test_the_timeout_bounds_the_whole_body_not_each_read(self, server):
        server.routes["/drip"] = Reply(body=b"x" * 40, dribble=0.05)
        with pytest.raises(FetchFailed, match="timed out"):
            safe_fetch(server.url("/drip"), timeout=0.5, allow_private=True)

    def test_a_declared_length_over_the_limit_is_refused(self, server):
        server.routes["/big"] = Reply(body=b"x" * 5000)
        with pytest.raises(FetchRefused, match="larger than the limit"):
            safe_fetch(server.url("/big"), max_bytes=1000, allow_private=True)

    def test_an_undeclared_length_over_the_limit_is_refused(self, server):
        server.routes["/big"] = Reply(body=b"x" * 300_000, send_length=False)
        with pytest.raises(FetchRefused, match="larger than the limit"):
            safe_fetch(server.url("/big"), max_bytes=100_000, allow_private=True)

    def test_the_limit_counts_decompressed_bytes(self, server):
        bomb = gzip.compress(b"\0" * 3_000_000)
        server.routes["/bomb"] = Reply(body=bomb, headers={"Content-Encoding": "gzip"})
        assert len(bomb) < 100_000
        with pytest.raises(FetchRefused, match="larger than the limit"):
            safe_fetch(server.url("/bomb"), max_bytes=100_000, allow_private=True)

    def test_truncate_keeps_the_start_of_a_large_body(self, server):
        server.routes["/big"] = Reply(body=b"ab" * 100_000)
        result = safe_fetch(server.url("/big"), max_bytes=1000, truncate=True, allow_private=True)
        assert result.truncated and result.content == b"ab" * 500


class SafeFetchRedirectTests:
    def test_it_follows_redirects_and_reports_the_final_address(self, server):
        server.routes["/old"] = Reply(301, headers={"Location": "/middle"})
        server.routes["/middle"] = Reply(302, headers={"Location": server.url("/new")})
        server.routes["/new"] = Reply(body=b"moved")
        result = safe_fetch(server.url("/old"), allow_private=True)
        assert result.content == b"moved" and result.url == server.url("/new")

    def test_too_many_redirects_are_refused(self, server):
        server.routes["/loop"] = Reply(302, headers={"Location": "/loop"})
        with pytest.raises(FetchRefused, match="Too many redirects"):
            safe_fetch(server.url("/loop"), max_redirects=3, allow_private=True)
        assert len(server.requests) == 4

    @pytest.mark.parametrize(
        "location",
        [
            "http://169.254.169.254/latest/meta-data/",
            "http://10.0.0.1/",
            "http://[::1]/",
            "http://[::ffff:192.168.0.1]/",
        ],
    )
    def test_each_hop_is_checked_again(self, server, monkeypatch, location):
        _only_this_loopback_is_public(monkeypatch)
        server.routes["/go"] = Reply(302, headers={"Location": location})
        with pytest.raises(FetchRefused, match="is not fetched"):
            safe_fetch(server.url("/go"), allow_private=False)
        assert [r.path for r in server.requests] == ["/go"]

    def test_a_redirect_to_another_scheme_is_refused(self, server):
        server.routes["/go"] = Reply(302, headers={"Location": "file:///etc/passwd"})
        with pytest.raises(FetchRefused, match="http"):
            safe_fetch(server.url("/go"), allow_private=True)

    def test_a_redirect_to_a_name_resolving_privately_is_refused(self, server, monkeypatch):
        _only_this_loopback_is_public(monkeypatch)
        _resolving(
            monkeypatch,
            {"public.example.test": ["127.0.0.1"], "internal.example.test": ["192.168.3.4"]},
        )
        server.routes["/a"] = Reply(302, headers={"Location": "http://internal.example.test/"})
        with pytest.raises(FetchRefused, match=r"192\.168\.3\.4"):
            safe_fetch(f"http://public.example.test:{server.port}/a", allow_private=False)
