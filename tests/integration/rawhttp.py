"""Raw HTTP/1.1 over a socket: the one socket-level client of the suite. For requests http.client
refuses to send (control bytes, invalid UTF-8, obs-fold, conflicting framing headers), for
counting how many responses the server really wrote on one connection (request smuggling, 1xx
interim responses, WebSocket handshakes), for checking the framing of a response byte for byte
(banner injection) and for timing when its bytes arrive.

  connect()          a connection to 127.0.0.1:port, plain or TLS
  read_head(), read_exactly(), read_all()    reading from a connected socket
  send_raw()         sends bytes, returns every byte read until the server closes
  build()            the bytes of one request
  parse_responses()  every response in a byte stream, honouring Content-Length, chunked framing
                     and "no body" statuses; each one is a cc_helpers.Response whose headers are
                     the raw header lines in order (Set-Cookie never merged)
  raw_request()      one request: the list of responses read from the connection
  framed_request()   one request (Connection: close): its one response, whose body must be
                     exactly what the framing says, with `.framing` and `.elapsed`
  timed_chunks()     one GET: the raw stream as it arrives, [(seconds, bytes)]
"""
import re
import socket
import time

from cc_helpers import Response

# What ends a read to the end of the stream, besides the server closing the connection, for
# send_raw() by default: a timeout without a byte, a reset.
LENIENT = (socket.timeout, ConnectionResetError)


def connect(port, timeout=10.0, tls=None):
    """A connection to 127.0.0.1:port; wrapped by `tls` (an ssl.SSLContext) when given."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    if tls is None:
        return s
    try:
        return tls.wrap_socket(s, server_hostname="127.0.0.1")
    except BaseException:
        s.close()
        raise


def read_head(sock, buf=b""):
    """(header block including its empty line, bytes read after it)."""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            raise AssertionError("connection closed inside a header block: %r" % buf[:500])
        buf += chunk
    end = buf.index(b"\r\n\r\n") + 4
    return buf[:end], buf[end:]


def read_exactly(sock, n, buf=b""):
    """At least n bytes (fewer if the connection closes first), starting with buf."""
    while len(buf) < n:
        chunk = sock.recv(65536)
        if not chunk:
            break
        buf += chunk
    return buf


def read_all(sock, tolerate=(), t0=None):
    """Everything read from `sock` until the server closes the connection, or until recv raises
    one of the exceptions in `tolerate` (any other propagates: by default a timeout is an error).
    With t0 (a time.monotonic() value): [(seconds since t0, bytes)] as the bytes arrived."""
    out = []
    while True:
        try:
            chunk = sock.recv(65536)
        except tolerate:
            break
        if not chunk:
            break
        out.append(chunk if t0 is None else (time.monotonic() - t0, chunk))
    return out if t0 is not None else b"".join(out)


def send_raw(port, data, timeout=10.0, half_close=False, tls=None, tolerate=LENIENT):
    """Sends `data` (bytes) on a new connection and returns everything read until the server
    closes it (or `timeout` passes without a byte, or the connection is reset: `tolerate`)."""
    s = connect(port, timeout, tls)
    try:
        s.sendall(data)
        if half_close:
            s.shutdown(socket.SHUT_WR)
        return read_all(s, tolerate)
    finally:
        s.close()


def build(method, path, headers=(), body=b"", host=None, port=None, close=True):
    """The bytes of one request. `headers` are (name, value) pairs of str or bytes, sent as they
    are (no validation); no Content-Length is added."""
    def b(x):
        return x if isinstance(x, bytes) else x.encode("latin-1")
    lines = [b"%s %s HTTP/1.1" % (b(method), b(path))]
    if host is not False:
        lines.append(b"Host: " + b(host or "127.0.0.1:%d" % port))
    for k, v in headers:
        lines.append(b(k) + b": " + b(v))
    if close:
        lines.append(b"Connection: close")
    return b"\r\n".join(lines) + b"\r\n\r\n" + b(body)


def _dechunk(data, i, strict=False):
    """(body, offset after the chunked body) starting at data[i]. strict: every chunk must end
    with CRLF."""
    out = []
    while True:
        j = data.index(b"\r\n", i)
        size = int(data[i:j].split(b";")[0].strip(), 16)
        i = j + 2
        if size == 0:
            # trailers, then an empty line
            while True:
                j = data.index(b"\r\n", i)
                line = data[i:j]
                i = j + 2
                if not line:
                    return b"".join(out), i
        out.append(data[i:i + size])
        if strict:
            assert data[i + size:i + size + 2] == b"\r\n", "bad chunk framing"
        i += size + 2


def _parse_head(data, i):
    """(Response without body, offset of the body) for the response head at data[i]."""
    end = data.find(b"\r\n\r\n", i)
    if end < 0:
        raise AssertionError("truncated response head: %r" % data[i:i + 300])
    lines = data[i:end].decode("latin-1").split("\r\n")
    m = re.match(r"^(HTTP/\d\.\d) (\d{3}) ?(.*)$", lines[0])
    if not m:
        raise AssertionError("bad status line %r in %r" % (lines[0], data[:300]))
    hs = []
    for line in lines[1:]:
        k, _, v = line.partition(":")
        hs.append((k.strip(), v.strip()))
    return Response(int(m.group(2)), m.group(3), hs, b"", m.group(1)), end + 4


def parse_responses(data, head=False):
    """Every HTTP response in `data`, in order."""
    resps = []
    i = 0
    while i < len(data):
        r, i = _parse_head(data, i)
        te = (r.header("Transfer-Encoding") or "").lower()
        cl = r.header("Content-Length")
        if head or r.status in (204, 304) or 100 <= r.status < 200:
            pass
        elif te == "chunked":
            r.body, i = _dechunk(data, i)
        elif cl is not None:
            r.body = data[i:i + int(cl)]
            i += int(cl)
        else:
            r.body = data[i:]
            i = len(data)
        resps.append(r)
    return resps


def raw_request(port, method, path, headers=(), body=b"", timeout=10.0, **kw):
    """One request; returns the list of responses read from the connection."""
    data = send_raw(port, build(method, path, headers, body, port=port, **kw), timeout=timeout)
    return parse_responses(data, head=(method == "HEAD"))


def framed_response(data, method):
    """The one response `data` holds, the body exactly what the framing says (or the test
    fails), with `.framing`: "length", "chunked", "none" (HEAD, 204, 304) or "close"."""
    resp, i = _parse_head(data, 0)
    assert re.match(r"^HTTP/1\.[01]$", resp.version), "bad status line %r" % data[:200]
    rest = data[i:]
    te = resp.header("Transfer-Encoding")
    cl = resp.header("Content-Length")
    if method == "HEAD" or resp.status in (204, 304):
        assert rest == b"", "%s %d carries a body: %r" % (method, resp.status, rest[:200])
        resp.framing = "none"
    elif te:
        assert te.lower() == "chunked", resp
        assert cl is None, "both Content-Length and chunked: %r" % resp
        resp.body, end = _dechunk(rest, 0, strict=True)
        assert end == len(rest), "bytes after the last chunk: %r" % rest[end:end + 100]
        resp.framing = "chunked"
    elif cl is not None:
        assert len(rest) == int(cl), ("Content-Length %s but %d body bytes were sent"
                                      % (cl, len(rest)))
        resp.body = rest
        resp.framing = "length"
    else:
        resp.body = rest
        resp.framing = "close"
    return resp


def framed_request(port, method, path, headers=(), timeout=20):
    """One request on its own connection (Connection: close), read to the end (a timeout or a
    reset is an error). Returns framed_response() with `.elapsed` (seconds from before connecting
    to the end)."""
    t0 = time.monotonic()
    data = send_raw(port, build(method, path, [("Connection", "close")] + list(headers),
                                port=port, close=False),
                    timeout=timeout, tolerate=())
    elapsed = time.monotonic() - t0
    resp = framed_response(data, method)
    resp.elapsed = elapsed
    return resp


def timed_chunks(port, path, headers=(), timeout=20):
    """Reads a response as it arrives: [(seconds since the request, bytes)] of the raw stream."""
    s = connect(port, timeout)
    t0 = time.monotonic()
    try:
        s.sendall(build("GET", path, [("Connection", "close")] + list(headers), port=port,
                        close=False))
        return read_all(s, t0=t0)
    finally:
        s.close()
