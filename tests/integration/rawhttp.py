"""Raw HTTP/1.1 over a socket, for requests http.client refuses to send (control bytes, invalid
UTF-8, obs-fold, conflicting framing headers) and for counting how many responses the server
really wrote on one connection (request smuggling).

parse_responses() reads every response in the byte stream, honouring Content-Length, chunked
framing and "no body" statuses; each one is a cc_helpers.Response whose headers are the raw
header lines in order (Set-Cookie never merged).
"""
import re
import socket

from cc_helpers import Response


def send_raw(port, data, timeout=10.0, half_close=False):
    """Sends `data` (bytes) on a new connection and returns everything read until the server
    closes it (or `timeout` passes without a byte)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    out = []
    try:
        s.sendall(data)
        if half_close:
            s.shutdown(socket.SHUT_WR)
        while True:
            try:
                chunk = s.recv(1 << 16)
            except socket.timeout:
                break
            except ConnectionResetError:
                break
            if not chunk:
                break
            out.append(chunk)
    finally:
        s.close()
    return b"".join(out)


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


def _dechunk(data, i):
    """(body, offset after the chunked body) starting at data[i]."""
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
        i += size + 2


def parse_responses(data, head=False):
    """Every HTTP response in `data`, in order."""
    resps = []
    i = 0
    while i < len(data):
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
        r = Response(int(m.group(2)), m.group(3), hs, b"", m.group(1))
        i = end + 4
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
