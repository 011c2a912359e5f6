"""The fetcher against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import gzip
import shutil
import ssl
import subprocess
import threading
import time
import zlib
from email.utils import formatdate
from pathlib import Path
from typing import Any

import httpx
import pytest

from reader.config import FetchConfig
from reader.feeds.fetch import Fetcher, retry_after, user_agent
from reader.models import FetchResult
from tests.loopback import (
    Loopback,
    drip,
    endless_chunked,
    free_port,
    redirect,
    send,
    silence,
)

RSS = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'
FAST = FetchConfig(timeout=2.0, connect_timeout=1.0, max_bytes=64 * 1024)


def fetch(url: str, config: FetchConfig = FAST, **kw: Any) -> FetchResult:
    async def go() -> FetchResult:
        async with Fetcher(config) as f:
            return await f.fetch(url, **kw)

    return asyncio.run(go())


def test_ok_body_headers_and_user_agent(server: Loopback) -> None:
    url = server.serve("/f.xml", RSS, etag='"v1"', last_modified="Sat, 01 Nov 2026 10:00:00 GMT")
    got = fetch(url)
    assert (got.status, got.body, got.error) == (200, RSS, "")
    assert got.etag == '"v1"' and got.last_modified.startswith("Sat, 01 Nov 2026")
    assert got.headers["content-type"] == "application/rss+xml"
    sent = server.last_headers["/f.xml"]
    assert sent["user-agent"] == user_agent(FAST) and sent["user-agent"].startswith("tidings/")
    assert "gzip" in sent["accept-encoding"]


def test_conditional_get_sends_both_validators_and_gets_304(server: Loopback) -> None:
    lm = "Sat, 01 Nov 2026 10:00:00 GMT"
    url = server.serve("/f.xml", RSS, etag='"v1"', last_modified=lm)
    got = fetch(url, etag='"v1"', last_modified=lm)
    assert got.status == 304 and got.body == b"" and not got.error
    sent = server.last_headers["/f.xml"]
    assert sent["if-none-match"] == '"v1"' and sent["if-modified-since"] == lm


def test_gzip_is_decoded(server: Loopback) -> None:
    url = server.serve("/gz.xml", RSS * 10, gzip_it=True)
    assert fetch(url).body == RSS * 10


@pytest.mark.parametrize("wrap", [zlib.compress, lambda b: zlib.compress(b)[2:-4]])
def test_deflate_zlib_and_raw_are_decoded(server: Loopback, wrap: object) -> None:
    body = wrap(RSS)  # type: ignore[operator]
    server.route("/d", lambda h: send(h, 200, body, headers={"Content-Encoding": "deflate"}))
    assert fetch(server.url("/d")).body == RSS


def test_gzip_bomb_stops_at_the_decoded_cap(server: Loopback) -> None:
    bomb = gzip.compress(b"\0" * (50 * 1024 * 1024))  # 50 MiB of zeros in ~50 KB
    server.route("/bomb", lambda h: send(h, 200, bomb, headers={"Content-Encoding": "gzip"}))
    got = fetch(server.url("/bomb"))
    assert got.error == "body larger than 0.0625 MiB" and got.body == b""


def test_oversize_plain_body_and_lying_content_length(server: Loopback) -> None:
    big = b"x" * (FAST.max_bytes + 1)
    assert "larger than" in fetch(server.serve("/big", big)).error
    # Content-Length says little, the body is longer: the HTTP layer refuses the extra bytes
    # or the cap stops it; either way no oversized body comes back.

    def liar(h: object) -> None:
        h.send_response(200)  # type: ignore[attr-defined]
        h.send_header("Content-Length", str(10**12))  # type: ignore[attr-defined]
        h.end_headers()  # type: ignore[attr-defined]
        h.wfile.write(b"<rss>")  # type: ignore[attr-defined]

    got = fetch(server.route("/liar", liar))
    assert got.error and got.body == b""


def test_endless_chunked_body_is_cut_at_the_cap(server: Loopback) -> None:
    got = fetch(server.route("/endless", endless_chunked()))
    assert "larger than" in got.error


def test_slow_drip_cannot_dodge_the_deadline(server: Loopback) -> None:
    url = server.route(
        "/drip", drip(RSS, delay=0.2)
    )  # each byte comes fast enough for read timeouts
    started = time.monotonic()
    got = fetch(url, FetchConfig(timeout=1.0, connect_timeout=1.0))
    assert got.error == "gave up after 1 s"
    assert time.monotonic() - started < 2.5


def test_accept_then_silence_times_out(server: Loopback) -> None:
    got = fetch(server.route("/silent", silence(5)), FetchConfig(timeout=0.5))
    assert got.error == "gave up after 0.5 s"


def test_connection_refused_is_an_error_not_an_exception() -> None:
    got = fetch(f"http://127.0.0.1:{free_port()}/feed")
    assert got.status == 0 and got.error.startswith("cannot connect")


def test_permanent_redirects_report_the_new_url(server: Loopback) -> None:
    final = server.serve("/new.xml", RSS)
    server.route("/old.xml", redirect("/mid.xml", 301))
    server.route("/mid.xml", redirect(final, 308))
    got = fetch(server.url("/old.xml"))
    assert got.body == RSS and got.final_url == final and got.permanent_url == final


def test_temporary_hop_means_no_permanent_url(server: Loopback) -> None:
    final = server.serve("/new.xml", RSS)
    server.route("/old.xml", redirect("/mid.xml", 301))
    server.route("/mid.xml", redirect(final, 302))
    got = fetch(server.url("/old.xml"))
    assert got.body == RSS and got.permanent_url == ""


def test_redirect_loop_and_long_chain_stop(server: Loopback) -> None:
    server.route("/a", redirect("/b"))
    server.route("/b", redirect("/a"))
    assert fetch(server.url("/a")).error == "too many redirects"
    for i in range(25):
        server.route(f"/hop{i}", redirect(f"/hop{i + 1}", 302))
    server.serve("/hop25", RSS)
    assert fetch(server.url("/hop0")).error == "too many redirects"
    assert fetch(server.url("/hop15")).body == RSS  # ten hops are allowed


def test_redirect_to_file_is_refused(server: Loopback) -> None:
    got = fetch(server.route("/evil", redirect("file:///etc/passwd")))
    assert got.error == "redirect to a non-http URL refused" and got.body == b""


def test_non_http_url_is_refused_without_a_request() -> None:
    assert fetch("file:///etc/passwd").error == "only http and https URLs can be fetched"


@pytest.mark.parametrize("status", [404, 410, 500])
def test_error_statuses(server: Loopback, status: int) -> None:
    server.route("/s", lambda h: send(h, status, b"nope", "text/plain"))
    got = fetch(server.url("/s"))
    assert got.status == status and got.error.startswith(f"HTTP {status}") and got.body == b""


def test_429_and_503_carry_retry_after(server: Loopback) -> None:
    server.route("/busy", lambda h: send(h, 429, b"", headers={"Retry-After": "120"}))
    later = formatdate(time.time() + 3600, usegmt=True)
    server.route("/down", lambda h: send(h, 503, b"", headers={"Retry-After": later}))
    busy, down = fetch(server.url("/busy")), fetch(server.url("/down"))
    assert busy.retry_after is not None and abs(busy.retry_after - (time.time() + 120)) < 5
    assert down.retry_after is not None and abs(down.retry_after - (time.time() + 3600)) < 5


def test_retry_after_parsing_is_bounded() -> None:
    assert retry_after("60", 1000.0) == 1060
    assert retry_after("9999999999", 0.0) == 7 * 24 * 3600
    assert retry_after("not a date", 0.0) is None
    assert retry_after(None, 0.0) is None


def test_per_host_and_overall_limits_hold(server: Loopback) -> None:
    active = peak = 0
    guard = threading.Lock()  # the server is threaded

    def slow(h: object) -> None:
        nonlocal active, peak
        with guard:
            active += 1
            peak = max(peak, active)
        time.sleep(0.15)
        with guard:
            active -= 1
        send(h, 200, RSS)  # type: ignore[arg-type]

    for i in range(12):
        server.route(f"/p{i}", slow)

    async def go() -> list[FetchResult]:
        async with Fetcher(FetchConfig(concurrency=16, per_host=3, timeout=5)) as f:
            return await asyncio.gather(*(f.fetch(server.url(f"/p{i}")) for i in range(12)))

    results = asyncio.run(go())
    assert all(r.body == RSS for r in results)
    assert peak == 3


def test_mock_transport_for_a_protocol_error() -> None:
    """A case a real server cannot easily produce: the transport itself failing mid-request."""

    def boom(request: httpx.Request) -> httpx.Response:
        raise httpx.RemoteProtocolError("peer closed connection without sending complete message")

    async def go() -> FetchResult:
        async with Fetcher(FAST, transport=httpx.MockTransport(boom)) as f:
            return await f.fetch("http://feeds.invalid/x.xml")

    assert asyncio.run(go()).error.startswith("broken HTTP answer")


def _self_signed(tmp: Path) -> tuple[Path, Path] | None:
    """A self-signed certificate for 127.0.0.1 (None without the openssl command)."""
    if shutil.which("openssl") is None:
        return None
    cert, key = tmp / "cert.pem", tmp / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def test_tls_checks_certificates_with_a_bundle_read_only_when_needed(tmp_path: Path) -> None:
    """The CA bundle is read on the first TLS connection (a refresh of http feeds never pays
    for it), and certificates are checked: a self-signed one is refused."""
    pair = _self_signed(tmp_path)
    if pair is None:
        pytest.skip("no openssl command to make a certificate with")
    plain, secure = Loopback(), Loopback()
    plain.serve("/feed.xml", RSS)
    secure.serve("/feed.xml", RSS)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*pair)
    secure.httpd.socket = context.wrap_socket(secure.httpd.socket, server_side=True)

    async def go() -> tuple[FetchResult, int, FetchResult, int]:
        async with Fetcher(FAST) as f:
            got = await f.fetch(plain.url("/feed.xml"))
            cas = f.tls.cert_store_stats()["x509_ca"]
            refused = await f.fetch(secure.url("/feed.xml").replace("http:", "https:"))
            return got, cas, refused, f.tls.cert_store_stats()["x509_ca"]

    try:
        got, before, refused, after = asyncio.run(go())
    finally:
        plain.close()
        secure.close()
    assert got.body == RSS and before == 0
    assert "certificate" in refused.error.lower() and after > 50, refused.error
