"""Interim responses (issue 7, items 1 and 2): refused Set-Cookie headers are removed from the
101 Switching Protocols of a proxied WebSocket handshake and from 1xx responses (103 Early Hints,
100 Continue) forwarded from a backend, which httpd writes below COOKIECONSENT_OUT; and from the
final response of a backend that refuses the upgrade, which mod_proxy_wstunnel's own path relays
raw (below COOKIECONSENT_OUT too).

The backend is a raw-socket server in this process (no HTTP library: it writes the 1xx blocks
itself and then tunnels); the client reads the header blocks byte for byte. Two Apache instances:
`fallback` (mod_proxy_wstunnel hands ws:// to mod_proxy_http, which sends the 101 with
ap_send_interim_response) and `legacy` (ProxyWebsocketFallbackToProxyHttp Off: mod_proxy_wstunnel
copies the backend's raw 101 and the tunnel bytes in one stream).
"""
import base64
import hashlib
import socket
import ssl
import subprocess
import threading
import time

import pytest

from cc_helpers import obtain_consent
from rawhttp import connect, parse_responses, read_all, read_exactly, read_head, send_raw

WS_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
WS_KEY = b"dGhlIHNhbXBsZSBub25jZQ=="
FORGED = "cookieconsent=1.000000000000.1764380000.AAAAAAAAAAAAAAAAAAAAAA.statistical; Path=/"
# What every backend 1xx carries, in this order: necessary (kept), statistical (refused for an
# undecided visitor), the consent cookie (always dropped: only the endpoint sets it), necessary.
COOKIES = [
    "sessionid=ws1; Path=/; HttpOnly",
    "_pk_id.ws=1; Path=/; Max-Age=600",
    FORGED,
    "csrftoken=ws2; Path=/",
]
KEPT_UNDECIDED = [COOKIES[0], COOKIES[3]]
KEPT_ACCEPTED = [COOKIES[0], COOKIES[1], COOKIES[3]]
# Sent by the backend in the same write as the end of its 101 (the tunnel starts right there),
# and echoed back by it: it must cross the tunnel untouched.
SERVER_HELLO = b"hello\r\nSet-Cookie: _pk_id=1\r\n\r\nHTTP/1.1 103 x\r\nSet-Cookie: _pk_id=2\r\n\r\n"
PAYLOAD = b"\x81\x1cclient Set-Cookie: _pk_id=1\r\n\x00\xff"
# A backend refusing the upgrade (/ws/refuse/<status>): its header lines in order, each with
# whether an undecided visitor keeps it (None: dropped for everyone), then its body (which looks
# like header lines and like another response: it must pass untouched).
REFUSAL_LINES = [
    (b"Content-Type: text/plain", True),
    (b"Set-Cookie: sessionid=r1; Path=/; HttpOnly", True),
    (b"Set-Cookie: _pk_id.x=1; Path=/; Max-Age=600", False),
    (b"Set-Cookie: " + FORGED.encode(), None),
    (b"Set-Cookie: novalue", None),
    (b"set-cookie:_pk_ses.x=2", False),
    (b"Set-Cookie: csrftoken=r2;\r\n\tPath=/", True),
    (b"Set-Cookie: _pk_id.y=3;\r\n Path=/", False),
    (b"Connection: close", True),
]
REFUSAL_BODY = (b"upgrade refused\r\nSet-Cookie: _pk_id.body=1\r\n\r\n"
                b"HTTP/1.1 103 x\r\nSet-Cookie: _pk_id.body=2\r\n\r\n\x00\xff")
REFUSAL_REASONS = {403: b"Forbidden", 200: b"OK"}


def refusal_head(status, keep=lambda k: True):
    """The header block of a refusal, with the lines keep(flag) selects."""
    return (b"HTTP/1.1 %d %s\r\n" % (status, REFUSAL_REASONS[status])
            + b"".join(l + b"\r\n" for l, k in REFUSAL_LINES if keep(k))
            + b"Content-Length: %d\r\n\r\n" % len(REFUSAL_BODY))


def ws_accept(key):
    return base64.b64encode(hashlib.sha1(key + WS_GUID).digest())


def cookie_lines(cookies):
    return b"".join(b"Set-Cookie: " + c.encode() + b"\r\n" for c in cookies)


def header_values(block, name):
    out = []
    for line in block.split(b"\r\n")[1:]:
        k, sep, v = line.partition(b":")
        if sep and k.strip().lower() == name.lower().encode():
            out.append(v.strip().decode("latin-1"))
    return out


# --------------------------------------------------------------------------------------------------
class RawBackend:
    """A raw-socket HTTP/1.1 backend: /ws/refuse/<status> a refused upgrade (then it closes),
    /ws/* WebSocket handshake then echo, /hints 103 + 200, /continue 100 Continue (when asked)
    + 200. One thread per connection."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.requests = []
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.sock.close()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._conn, args=(conn,), daemon=True).start()

    def _conn(self, conn):
        conn.settimeout(15)
        try:
            head, rest = read_head(conn)
            self.requests.append(head)
            line = head.split(b"\r\n", 1)[0]
            path = line.split(b" ")[1]
            if path.startswith(b"/ws/refuse/"):
                conn.sendall(refusal_head(int(path.split(b"/")[3])) + REFUSAL_BODY)
            elif path.startswith(b"/ws/"):
                self._websocket(conn, head, rest)
            elif path == b"/hints":
                self._hints(conn)
            elif path == b"/continue":
                self._continue(conn, head, rest)
            else:
                conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
        except (OSError, AssertionError):
            pass
        finally:
            conn.close()

    def _websocket(self, conn, head, rest):
        key = header_values(head, "Sec-WebSocket-Key")[0].encode()
        conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                     b"Connection: Upgrade\r\nSec-WebSocket-Accept: " + ws_accept(key) + b"\r\n"
                     + cookie_lines(COOKIES) + b"\r\n" + SERVER_HELLO)
        data = rest
        while True:
            if data:
                conn.sendall(b"echo:" + data)
            data = conn.recv(65536)
            if not data:
                return

    def _hints(self, conn):
        conn.sendall(b"HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload; as=style\r\n"
                     + cookie_lines(COOKIES) + b"\r\n")
        time.sleep(0.05)
        body = b"final body\n"
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n"
                     b"Set-Cookie: _pk_ses.final=1; Path=/\r\n\r\n%s" % (len(body), body))

    def _continue(self, conn, head, rest):
        length = int(header_values(head, "Content-Length")[0])
        if any(v.lower() == "100-continue" for v in header_values(head, "Expect")):
            conn.sendall(b"HTTP/1.1 100 Continue\r\n" + cookie_lines(COOKIES) + b"\r\n")
        body = read_exactly(conn, length, rest)
        out = b"got " + body
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n%s"
                     % (len(out), out))


READBODY_CGI = """#!/usr/bin/python3
import os, sys
body = sys.stdin.buffer.read(int(os.environ.get("CONTENT_LENGTH") or 0))
sys.stdout.write("Content-Type: text/plain\\r\\n\\r\\nread %d bytes\\n" % len(body))
"""


@pytest.fixture(scope="module")
def readbody_cgi(site):
    p = site / "cgi-bin" / "readbody.cgi"
    p.write_text(READBODY_CGI)
    p.chmod(0o755)
    return "/cgi-bin/readbody.cgi"


@pytest.fixture(scope="module")
def raw_backend():
    b = RawBackend().start()
    yield b
    b.stop()


def _extra(port, legacy):
    return ("LoadModule proxy_wstunnel_module /usr/lib/apache2/modules/mod_proxy_wstunnel.so\n"
            "%s"
            "ProxyPass /ws/ ws://127.0.0.1:{p}/ws/\n"
            # the backend closes after each answer: no pooled connection to find reset
            "ProxyPass /raw/ http://127.0.0.1:{p}/ disablereuse=On\n"
            "ProxyTimeout 10\n"
            "H2EarlyHints on\n"
            "ProxyPass /rawoff/ http://127.0.0.1:{p}/ disablereuse=On\n"
            "<Location /rawoff/>\n    CookieConsent Off\n</Location>\n"
            "<Location /gone/>\n    ErrorDocument 404 /raw/hints\n</Location>\n"
            % ("ProxyWebsocketFallbackToProxyHttp Off\n" if legacy else "")).format(p=port)


@pytest.fixture(scope="module", params=["fallback", "legacy"])
def inst(request, start_apache, raw_backend):
    legacy = request.param == "legacy"
    a = start_apache("interim-" + request.param, extra=_extra(raw_backend.port, legacy))
    a.legacy = legacy
    yield a
    a.stop()


@pytest.fixture(scope="module")
def tls_inst(start_apache, raw_backend):
    a = start_apache("interim-tls", tls=True, extra=_extra(raw_backend.port, False))
    yield a
    a.stop()


@pytest.fixture(scope="module")
def report_inst(start_apache, raw_backend):
    a = start_apache("interim-report", cc_head="CookieConsent On\nCookieConsentMode report",
                     extra=_extra(raw_backend.port, False))
    yield a
    a.stop()


@pytest.fixture(scope="module")
def report_legacy_inst(start_apache, raw_backend):
    a = start_apache("interim-report-legacy",
                     cc_head="CookieConsent On\nCookieConsentMode report",
                     extra=_extra(raw_backend.port, True))
    yield a
    a.stop()


def ws_request(port, cookie=None, path=b"/ws/chat"):
    """The bytes of a WebSocket handshake request through Apache."""
    req = (b"GET " + path + b" HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\n"
           b"Connection: Upgrade\r\nSec-WebSocket-Key: " + WS_KEY + b"\r\n"
           b"Sec-WebSocket-Version: 13\r\n") % port
    if cookie:
        req += b"Cookie: " + cookie.encode() + b"\r\n"
    return req + b"\r\n"


def ws_handshake(port, cookie=None, path=b"/ws/chat"):
    """Opens a WebSocket through Apache: (socket, the 101 block as sent, bytes after it)."""
    s = connect(port)
    s.sendall(ws_request(port, cookie, path))
    head, rest = read_head(s)
    return s, head, rest


def set_cookie_lines(block):
    """The Set-Cookie values of a header block, exactly as sent (nothing stripped but the name)."""
    out = []
    for line in block.split(b"\r\n")[1:]:
        if line[:11].lower() == b"set-cookie:":
            assert line[:12] == b"Set-Cookie: ", line
            out.append(line[12:].decode("latin-1"))
    return out


# --------------------------------------------------------------------------------------------------
def test_websocket_101_filtered_tunnel_intact(inst):
    s, head, rest = ws_handshake(inst.port)
    try:
        assert head.startswith(b"HTTP/1.1 101 "), head
        assert set_cookie_lines(head) == KEPT_UNDECIDED, head
        assert header_values(head, "Sec-WebSocket-Accept") == [ws_accept(WS_KEY).decode()], head
        assert [v.lower() for v in header_values(head, "Upgrade")] == ["websocket"], head
        # The tunnel: what the backend wrote right after its 101, then both ways.
        hello = read_exactly(s, len(SERVER_HELLO), rest)
        assert hello == SERVER_HELLO
        s.sendall(PAYLOAD)
        echo = read_exactly(s, len(PAYLOAD) + 5)
        assert echo == b"echo:" + PAYLOAD
        s.sendall(b"second")
        assert read_exactly(s, 11) == b"echo:second"
    finally:
        s.close()
    log = inst.error_log()
    assert 'Set-Cookie "_pk_id.ws" in 101 interim response, row Piwik: refused: category not ' \
           'accepted' in log
    assert 'Set-Cookie "cookieconsent" in 101 interim response: refused: the consent cookie is ' \
           'set only by the endpoint' in log


def test_websocket_accepted_visitor_keeps_statistical(inst):
    consent = obtain_consent(inst.port, "accept-all")
    s, head, rest = ws_handshake(inst.port, cookie="cookieconsent=" + consent)
    try:
        assert head.startswith(b"HTTP/1.1 101 "), head
        assert set_cookie_lines(head) == KEPT_ACCEPTED, head
        assert read_exactly(s, len(SERVER_HELLO), rest) == SERVER_HELLO
        s.sendall(PAYLOAD)
        assert read_exactly(s, len(PAYLOAD) + 5) == b"echo:" + PAYLOAD
    finally:
        s.close()


def _raw_exchange(port, data):
    return send_raw(port, data, tolerate=(socket.timeout,))


def test_early_hints_filtered(inst):
    data = _raw_exchange(inst.port, b"GET /raw/hints HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                                    b"Connection: close\r\n\r\n" % inst.port)
    head = data[:data.index(b"\r\n\r\n") + 4]
    assert head.startswith(b"HTTP/1.1 103 Early Hints\r\n"), data[:500]
    assert set_cookie_lines(head) == KEPT_UNDECIDED, head
    assert header_values(head, "Link") == ["</s.css>; rel=preload; as=style"], head
    resps = parse_responses(data)
    assert [r.status for r in resps] == [103, 200], resps
    final = resps[1]
    assert final.body == b"final body\n"
    assert final.set_cookies == [], final         # _pk_ses.final: COOKIECONSENT_OUT, as before
    assert "Set-Cookie \"_pk_id.ws\" in 103 interim response" in inst.error_log()


def test_early_hints_accepted_visitor(inst):
    consent = obtain_consent(inst.port, "accept-all")
    data = _raw_exchange(inst.port, b"GET /raw/hints HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                                    b"Cookie: cookieconsent=%s\r\nConnection: close\r\n\r\n"
                                    % (inst.port, consent.encode()))
    head = data[:data.index(b"\r\n\r\n") + 4]
    assert head.startswith(b"HTTP/1.1 103 Early Hints\r\n"), data[:500]
    assert set_cookie_lines(head) == KEPT_ACCEPTED, head
    resps = parse_responses(data)
    assert [r.status for r in resps] == [103, 200], resps
    assert resps[1].set_cookies == ["_pk_ses.final=1; Path=/"]


def test_location_off_left_alone(inst):
    """Where CookieConsent is Off the interim responses are not touched (disarmed in
    header_parser)."""
    data = _raw_exchange(inst.port, b"GET /rawoff/hints HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                                    b"Connection: close\r\n\r\n" % inst.port)
    head = data[:data.index(b"\r\n\r\n") + 4]
    assert head.startswith(b"HTTP/1.1 103 Early Hints\r\n"), data[:500]
    assert set_cookie_lines(head) == COOKIES, head
    assert [r.status for r in parse_responses(data)] == [103, 200]


def test_error_document_redirect_filtered(inst):
    """A 404 whose ErrorDocument is proxied: the 103 comes from the internal redirect."""
    data = _raw_exchange(inst.port, b"GET /gone/x HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                                    b"Connection: close\r\n\r\n" % inst.port)
    resps = parse_responses(data)
    # (mod_proxy answers with the backend's status, 200, not the 404)
    assert [r.status for r in resps] in ([103, 404], [103, 200]), resps
    assert resps[0].set_cookies == KEPT_UNDECIDED, resps[0]
    assert resps[1].set_cookies == [], resps[1]


def test_tls_early_hints_filtered(tls_inst):
    """Over HTTPS the filter sits above mod_ssl and reads the plaintext."""
    ctx = ssl._create_unverified_context()
    ctx.set_alpn_protocols(["http/1.1"])
    data = send_raw(tls_inst.port, b"GET /raw/hints HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                                   b"Connection: close\r\n\r\n" % tls_inst.port,
                    tls=ctx, tolerate=(ssl.SSLError, OSError))
    resps = parse_responses(data)
    assert [r.status for r in resps] == [103, 200], data[:600]
    assert resps[0].set_cookies == KEPT_UNDECIDED, resps[0]
    assert resps[1].body == b"final body\n"


def test_keepalive_second_request_filtered_too(inst):
    """Two requests with 103s on one connection: the filter is armed again for the second (and
    a request that is not proxied in between is not disturbed)."""
    req = b"GET /raw/hints HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % inst.port
    idx = b"GET /index.html HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % inst.port
    last = b"GET /raw/hints HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n\r\n" % inst.port
    s = connect(inst.port)
    try:
        for r in (req, idx, last):
            s.sendall(r)
            time.sleep(0.3)
        data = read_all(s)
    finally:
        s.close()
    resps = parse_responses(data)
    assert [r.status for r in resps] == [103, 200, 200, 103, 200], resps
    for r in (resps[0], resps[3]):
        assert r.set_cookies == KEPT_UNDECIDED, r
    assert b"home" in resps[2].body


def test_proxied_100_continue_filtered(inst):
    body = b"a=1&b=2"
    s = connect(inst.port)
    try:
        s.sendall(b"POST /raw/continue HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nExpect: 100-continue\r\n"
                  b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n"
                  b"Connection: close\r\n\r\n" % (inst.port, len(body)))
        head, rest = read_head(s)
        assert head.startswith(b"HTTP/1.1 100 Continue\r\n"), head
        assert set_cookie_lines(head) == KEPT_UNDECIDED, head
        s.sendall(body)
        data = rest + read_all(s)
    finally:
        s.close()
    resps = parse_responses(data)
    assert [r.status for r in resps] == [200], resps
    assert resps[0].body == b"got " + body


def test_expect_100_continue_cgi_still_works(inst, readbody_cgi):
    """httpd's own 100 Continue (no headers) on a POST to a CGI: the client waits for it."""
    body = b"x" * 100
    s = connect(inst.port)
    try:
        s.sendall(b"POST %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                  b"Expect: 100-continue\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
                  % (readbody_cgi.encode(), inst.port, len(body)))
        head, rest = read_head(s)
        assert head == b"HTTP/1.1 100 Continue\r\n\r\n", head
        s.sendall(body)
        data = rest + read_all(s)
    finally:
        s.close()
    resps = parse_responses(data)
    assert [r.status for r in resps] == [200], resps
    assert resps[0].body == b"read 100 bytes\n"


def test_report_mode_drops_nothing(report_inst):
    s, head, rest = ws_handshake(report_inst.port)
    try:
        assert head.startswith(b"HTTP/1.1 101 "), head
        assert set_cookie_lines(head) == COOKIES, head
        assert read_exactly(s, len(SERVER_HELLO), rest) == SERVER_HELLO
    finally:
        s.close()
    log = report_inst.error_log()
    assert 'report: would remove Set-Cookie "_pk_id.ws" from a 101 interim response (refused: ' \
           'category not accepted)' in log
    assert 'report: would remove Set-Cookie "cookieconsent" from a 101 interim response' in log


def test_h2c_early_hints(inst):
    """h2c (prior knowledge, H2EarlyHints on): the 103 that ap_send_interim_response writes as
    HTTP/1.1 text on the stream's secondary connection goes through our filter there, then
    mod_http2 turns it into a HEADERS frame (merging the Set-Cookie lines into one field)."""
    p = subprocess.run(["curl", "-sS", "--http2-prior-knowledge", "--max-time", "15", "-D", "-",
                        "-o", "/dev/null", "http://127.0.0.1:%d/raw/hints" % inst.port],
                       capture_output=True, timeout=30)
    assert p.returncode == 0, p.stderr
    blocks = p.stdout.decode("latin-1").split("\r\n\r\n")
    assert blocks[0].startswith("HTTP/2 103"), p.stdout
    assert blocks[1].startswith("HTTP/2 200"), p.stdout
    hints = [l.split(":", 1)[1].strip() for l in blocks[0].split("\r\n")[1:]
             if l.lower().startswith("set-cookie:")]
    assert ", ".join(hints) == ", ".join(KEPT_UNDECIDED), p.stdout
    assert "link: </s.css>; rel=preload; as=style" in blocks[0], p.stdout
    assert "set-cookie" not in blocks[1].lower(), p.stdout


def test_h2c_upgrade_still_works(inst):
    """HTTP/1.1 Upgrade: h2c: the 101 that httpd's core writes goes through the armed filter,
    which stops after it; the h2 stream that follows is filtered on its own connection."""
    p = subprocess.run(["curl", "-sS", "--http2", "--max-time", "15", "-D", "-",
                        "http://127.0.0.1:%d/raw/hints" % inst.port],
                       capture_output=True, timeout=30)
    assert p.returncode == 0, p.stderr
    out = p.stdout.decode("latin-1")
    blocks = out.split("\r\n\r\n")
    assert blocks[0].startswith("HTTP/1.1 101 "), out
    assert blocks[1].startswith("HTTP/2 103"), out
    assert blocks[2].startswith("HTTP/2 200"), out
    assert "_pk_id.ws" not in out and "cookieconsent=" not in out, out
    assert blocks[3] == "final body\n", out


def test_tls_h2_early_hints(tls_inst):
    """h2 over TLS (ALPN): the filter on the TLS connection is never armed (no HTTP/1 request
    there) and passes the h2 frames; the stream's own connection filters the 103."""
    p = subprocess.run(["curl", "-sSk", "--http2", "--max-time", "15", "-D", "-",
                        "https://127.0.0.1:%d/raw/hints" % tls_inst.port],
                       capture_output=True, timeout=30)
    assert p.returncode == 0, p.stderr
    out = p.stdout.decode("latin-1")
    blocks = out.split("\r\n\r\n")
    assert blocks[0].startswith("HTTP/2 103"), out
    assert blocks[1].startswith("HTTP/2 200"), out
    assert "sessionid=ws1" in blocks[0], out
    assert "_pk_id.ws" not in out and "cookieconsent=" not in out, out
    assert blocks[2] == "final body\n", out


# --------------------------------------------------------------------------------------------------
# A refused upgrade relayed raw (ProxyWebsocketFallbackToProxyHttp Off): the backend's final
# response never goes through COOKIECONSENT_OUT; the connection filter, still armed, filters its
# header block and lets the body through.

legacy_only = pytest.mark.parametrize("inst", ["legacy"], indirect=True)


def _refusal(port, status, cookie=None):
    """The bytes the client reads for a handshake the backend refuses with `status`."""
    data = _raw_exchange(port, ws_request(port, cookie, b"/ws/refuse/%d" % status))
    assert data.startswith(b"HTTP/1.1 %d " % status), data[:500]
    return data


@legacy_only
@pytest.mark.parametrize("status", [403, 200])
def test_refused_upgrade_relayed_raw_filtered(inst, status):
    data = _refusal(inst.port, status)
    head = refusal_head(status, lambda k: k is True)
    # Refused, consent and nameless cookies gone; the rest byte for byte, in order.
    assert data[:len(head)] == head, data[:1000]
    # The body, which reads like header lines and a 103, untouched; nothing after it.
    assert data[len(head):] == REFUSAL_BODY, data
    assert '"_pk_id.x" in %d response relayed raw, row Piwik: refused: category not accepted' \
        % status in inst.error_log()


@legacy_only
def test_refused_upgrade_accepted_visitor(inst):
    consent = obtain_consent(inst.port, "accept-all")
    data = _refusal(inst.port, 403, cookie="cookieconsent=" + consent)
    head = refusal_head(403, lambda k: k is not None)
    assert data == head + REFUSAL_BODY, data


def test_refused_upgrade_report_mode(report_legacy_inst):
    inst = report_legacy_inst
    data = _refusal(inst.port, 403)
    assert data == refusal_head(403) + REFUSAL_BODY, data
    log = inst.error_log()
    assert 'report: would remove Set-Cookie "_pk_id.x" from a 403 response relayed raw ' \
           '(refused: category not accepted)' in log
    assert 'report: would remove Set-Cookie "cookieconsent" from a 403 response relayed raw' in log


@legacy_only
def test_pipelined_normal_responses_then_refused_upgrade(inst):
    """Pipelined on one connection (one write): responses built by httpd go through
    COOKIECONSENT_OUT, which disarms the connection filter before their first byte: the expiry
    it adds for a held refused cookie and the consent cookie of the endpoint (both of which the
    connection filter would drop) arrive; the 103 of the next request is filtered again; the
    refused upgrade at the end, relayed raw, is filtered by the connection filter."""
    port = inst.port
    host = b"Host: 127.0.0.1:%d\r\n" % port
    form = b"action=accept-all&return=/"
    data = _raw_exchange(port, (
        b"GET /index.html HTTP/1.1\r\n" + host + b"Cookie: _pk_id.old=1\r\n\r\n"
        b"POST /cookieconsent/consent HTTP/1.1\r\n" + host
        + b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n"
        % len(form) + form
        + b"GET /raw/hints HTTP/1.1\r\n" + host + b"\r\n"
        + ws_request(port, path=b"/ws/refuse/403")))
    head = refusal_head(403, lambda k: k is True)
    tail = head + REFUSAL_BODY
    assert data.endswith(tail), data[-1500:]
    resps = parse_responses(data[:-len(tail)])
    assert [r.status for r in resps] == [200, 303, 103, 200], resps
    assert b"home" in resps[0].body
    assert [c for c in resps[0].set_cookies if c.startswith("_pk_id.old=;")], resps[0]
    assert [c for c in resps[1].set_cookies if c.startswith("cookieconsent=2.")], resps[1]
    assert resps[2].set_cookies == KEPT_UNDECIDED, resps[2]
    assert resps[3].set_cookies == [] and resps[3].body == b"final body\n", resps[3]
