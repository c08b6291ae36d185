"""Shared helpers of the mod_cookieconsent integration tests.

Everything here talks to a real Apache over 127.0.0.1: http.client for HTTP/1.1 (so that every
Set-Cookie header is seen as sent, never merged), curl --http2-prior-knowledge for h2c.
"""
import base64
import calendar
import email.utils
import hashlib
import hmac
import http.client
import json
import os
import re
import subprocess
import tempfile
import time
import urllib.parse

# The cookies every "setter" route (mod_headers, CGI, proxy backend) sends, in this order.
# Necessary (csrftoken, sessionid), optional/statistical (_pk_id.*, _pk_ses.*), undeclared (tracker),
# interleaved so that the order of the kept ones is checked too.
ALL_SET = [
    "csrftoken=tok1; Path=/; SameSite=Lax",
    "_pk_id.1.abcd=id1; Path=/; Max-Age=33696000",
    "sessionid=sess1; Path=/; HttpOnly",
    "tracker=t1; Path=/",
    "_pk_ses.1.abcd=ses1; Path=/; Max-Age=1800",
]
# What survives for a visitor without decision (only necessary ones), in order, byte-identical.
KEPT_UNDECIDED = [ALL_SET[0], ALL_SET[2]]
# What survives for a visitor who accepted "statistical" (the undeclared tracker is still refused).
KEPT_STATISTICAL = [ALL_SET[0], ALL_SET[1], ALL_SET[2], ALL_SET[4]]

CONSENT_RE = re.compile(
    r"^2\.(?P<fp>[0-9a-f]{12})\.(?P<time>[0-9]+)\.(?P<id>[A-Za-z0-9_-]{22})\."
    r"(?P<cats>-|[a-z][a-z0-9_-]*(?:\+[a-z][a-z0-9_-]*)*)\.(?P<mac>[A-Za-z0-9_-]{22})$")

# The key of the secret file the harness writes for every generated configuration
# (harness/config.py: CookieConsentSecretFile), so that tests can sign consent values as the
# module does (sign(), forge()). The site is the ServerName's host: 127.0.0.1 for the instances.
TEST_SECRET_KEY = bytes(range(0x40, 0x60))
TEST_SECRET_LINE = TEST_SECRET_KEY.hex()
DEFAULT_SITE = "127.0.0.1"
MAC_LABEL = b"mod_cookieconsent consent v2"

DEFAULT_LIFETIME = 180 * 86400


class Response:
    def __init__(self, status, reason, headers, body, version="HTTP/1.1"):
        self.status = status
        self.reason = reason
        self.headers = headers          # list of (name, value), as received, in order
        self.body = body
        self.version = version

    def get_all(self, name):
        n = name.lower()
        return [v for k, v in self.headers if k.lower() == n]

    def header(self, name, default=None):
        vals = self.get_all(name)
        return vals[0] if vals else default

    @property
    def set_cookies(self):
        return self.get_all("Set-Cookie")

    @property
    def set_cookie_names(self):
        return [parse_set_cookie(h).name for h in self.set_cookies]

    def expiries(self, name=None):
        """Set-Cookie headers that delete a cookie (empty value, Max-Age=0)."""
        out = []
        for h in self.set_cookies:
            c = parse_set_cookie(h)
            if c.is_expiry and (name is None or c.name == name):
                out.append(c)
        return out

    def non_expiry_set_cookies(self):
        return [h for h in self.set_cookies if not parse_set_cookie(h).is_expiry]

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def text(self):
        return self.body.decode("utf-8", "replace")

    def __repr__(self):
        hs = "\n".join("  %s: %s" % kv for kv in self.headers)
        return "<%s %s %s\n%s\n  body=%r>" % (self.version, self.status, self.reason, hs,
                                             self.body[:300])


class SetCookie:
    def __init__(self, raw):
        self.raw = raw
        parts = [p.strip() for p in raw.split(";")]
        name, _, value = parts[0].partition("=")
        self.name = name.strip()
        self.value = value.strip()
        self.attrs = {}
        self.flags = set()
        for p in parts[1:]:
            if not p:
                continue
            if "=" in p:
                k, v = p.split("=", 1)
                self.attrs[k.strip().lower()] = v.strip()
            else:
                self.flags.add(p.lower())

    @property
    def max_age(self):
        v = self.attrs.get("max-age")
        return int(v) if v is not None and re.fullmatch(r"-?[0-9]+", v) else None

    @property
    def expires_ts(self):
        v = self.attrs.get("expires")
        if v is None:
            return None
        t = email.utils.parsedate(v)
        return calendar.timegm(t) if t else None

    @property
    def is_expiry(self):
        return self.value == "" and self.max_age == 0

    @property
    def domain(self):
        d = self.attrs.get("domain")
        return d.lstrip(".").lower() if d else None

    @property
    def secure(self):
        return "secure" in self.flags

    def __repr__(self):
        return "SetCookie(%r)" % self.raw


def parse_set_cookie(raw):
    return SetCookie(raw)


def _norm_headers(headers):
    if headers is None:
        return []
    if isinstance(headers, dict):
        return list(headers.items())
    return list(headers)


def request(port, method, path, headers=None, body=None, host=None, timeout=15):
    """One HTTP/1.1 request with http.client; headers may repeat (list of pairs)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", host or "127.0.0.1:%d" % port)
        hs = _norm_headers(headers)
        if body is not None:
            if isinstance(body, str):
                body = body.encode("utf-8")
            if not any(k.lower() == "content-length" for k, _ in hs):
                hs.append(("Content-Length", str(len(body))))
        for k, v in hs:
            conn.putheader(k, v)
        conn.endheaders(body)
        r = conn.getresponse()
        data = r.read()
        return Response(r.status, r.reason, list(r.msg.items()), data,
                        "HTTP/1.1" if r.version == 11 else "HTTP/1.0")
    finally:
        conn.close()


def get(port, path, cookie=None, headers=None, host=None):
    hs = _norm_headers(headers)
    if cookie is not None:
        hs.append(("Cookie", cookie))
    return request(port, "GET", path, hs, host=host)


def h2_request(port, path, method="GET", headers=None, body=None, host=None):
    """An HTTP/2 cleartext (prior knowledge) request with curl; returns a Response."""
    with tempfile.TemporaryDirectory() as td:
        hfile = os.path.join(td, "h")
        bfile = os.path.join(td, "b")
        cmd = ["curl", "-sS", "--http2-prior-knowledge", "--max-time", "15",
               "-D", hfile, "-o", bfile]
        if method == "HEAD":
            cmd.append("-I")
        elif method != "GET":
            cmd += ["-X", method]
        for k, v in _norm_headers(headers):
            cmd += ["-H", "%s: %s" % (k, v)]
        if body is not None:
            cmd += ["--data-binary", body]
        url = "http://127.0.0.1:%d%s" % (port, path)
        if host:
            cmd += ["-H", "Host: %s" % host]
        p = subprocess.run(cmd + [url], capture_output=True, timeout=30)
        assert p.returncode == 0, "curl failed: %s" % p.stderr.decode()
        raw = open(hfile, "rb").read().decode("iso-8859-1")
        data = open(bfile, "rb").read() if os.path.exists(bfile) else b""
    lines = [l for l in raw.split("\r\n")]
    status_line = lines[0]
    m = re.match(r"^(HTTP/\S+)\s+(\d{3})\s*(.*)$", status_line)
    assert m, "bad status line %r" % status_line
    hs = []
    for l in lines[1:]:
        if not l:
            break
        k, _, v = l.partition(":")
        hs.append((k.strip(), v.strip()))
    return Response(int(m.group(2)), m.group(3), hs, data, m.group(1))


def post_consent(port, action=None, categories=(), ret=None, cookie=None, headers=None,
                 extra_fields=(), endpoint="/cookieconsent", host=None):
    fields = []
    if action is not None:
        fields.append(("action", action))
    for c in categories:
        fields.append(("category", c))
    if ret is not None:
        fields.append(("return", ret))
    fields += list(extra_fields)
    body = urllib.parse.urlencode(fields)
    hs = [("Content-Type", "application/x-www-form-urlencoded")]
    hs += _norm_headers(headers)
    if cookie is not None:
        hs.append(("Cookie", cookie))
    return request(port, "POST", endpoint + "/consent", hs, body=body, host=host)


def consent_from(resp, name="cookieconsent"):
    """The consent Set-Cookie of a response (SetCookie), asserting there is exactly one."""
    cs = [parse_set_cookie(h) for h in resp.set_cookies]
    cs = [c for c in cs if c.name == name]
    assert len(cs) == 1, "expected one %s Set-Cookie, got %r" % (name, resp.set_cookies)
    return cs[0]


def consent_parts(value):
    m = CONSENT_RE.match(value)
    assert m, "consent cookie value %r does not match 2.<fp>.<time>.<id>.<cats>.<mac>" % value
    return m.groupdict()


def consent_mac(body, site=DEFAULT_SITE, key=TEST_SECRET_KEY):
    """The MAC the module puts after body (docs/architecture.md: HMAC-SHA-256 over the label,
    the site name and the value, 128 bits, base64url)."""
    msg = MAC_LABEL + b"\n" + site.encode() + b"\n" + body.encode()
    mac = hmac.new(key, msg, hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def sign(body, site=DEFAULT_SITE, key=TEST_SECRET_KEY):
    """body + "." + its MAC: any text signed as the module signs (with the harness's key)."""
    return "%s.%s" % (body, consent_mac(body, site, key))


def obtain_consent(port, action="accept-all", categories=(), name="cookieconsent"):
    """POST the endpoint and return the consent cookie value."""
    r = post_consent(port, action, categories, ret="/")
    assert r.status == 303, r
    return consent_from(r, name).value


def forge(value, site=DEFAULT_SITE, key=TEST_SECRET_KEY, **repl):
    """Rebuild a consent value with some fields replaced (fp, time, id, cats), signed again with
    the harness's key for site: what the module would have written."""
    p = consent_parts(value)
    p.update({k: str(v) for k, v in repl.items()})
    return sign("2.%s.%s.%s.%s" % (p["fp"], p["time"], p["id"], p["cats"]), site, key)


def unsigned_v1(value):
    """The same decision in the format of before signing (version 1, no MAC)."""
    p = consent_parts(value)
    return "1.%s.%s.%s.%s" % (p["fp"], p["time"], p["id"], p["cats"])


def state(port, cookie=None, headers=None, host=None):
    r = get(port, "/cookieconsent/state", cookie=cookie, headers=headers, host=host)
    assert r.status == 200, r
    return r.json()


def cgi_env(port, cookie=None, headers=None, path="/cgi-bin/env.cgi", host=None):
    r = request(port, "GET", path, _norm_headers(headers) +
                ([("Cookie", cookie)] if cookie is not None else []), host=host)
    assert r.status == 200, r
    return r.json()


def cookie_names(header_value):
    """Names of the cookies in a Cookie header value (lenient: ; or , separated)."""
    if header_value is None:
        return []
    out = []
    for part in re.split(r"[;,]", header_value):
        part = part.strip()
        if part:
            out.append(part.split("=", 1)[0].strip())
    return out


def wait_for(pred, timeout=3.0, interval=0.05):
    end = time.time() + timeout
    while True:
        v = pred()
        if v or time.time() > end:
            return v
        time.sleep(interval)


# Routes of the test site that send ALL_SET (id, method, path, status). The baseline instance
# (no module) proves each of them really sends all five cookies.
SETTER_ROUTES = [
    ("static-headers", "GET", "/hdr/index.html", 200),
    ("static-header-always", "GET", "/always/index.html", 200),
    ("static-text-html", "GET", "/html/page.html", 200),
    ("cgi", "GET", "/cgi-bin/setcookies.cgi", 200),
    ("cgi-status-500", "GET", "/cgi-bin/status500.cgi", 500),
    ("cgi-broken-500", "GET", "/cgifail/broken.cgi", 500),
    ("proxy-chunked", "GET", "/proxy/set/chunked", 200),
    ("proxy-content-length", "GET", "/proxy/set/length", 200),
    ("proxy-404", "GET", "/proxy/set/notfound", 404),
    ("errordocument-file", "GET", "/errdoc/missing.html", 404),
    ("errordocument-cgi", "GET", "/errcgi/missing.html", 404),
    ("local-404", "GET", "/always/missing.html", 404),
    ("head-static", "HEAD", "/hdr/index.html", 200),
    ("head-cgi", "HEAD", "/cgi-bin/setcookies.cgi", 200),
    ("head-proxy", "HEAD", "/proxy/set/length", 200),
]
H2_ROUTES = [
    ("static-headers", "/hdr/index.html", 200),
    ("static-header-always", "/always/index.html", 200),
    ("static-text-html", "/html/page.html", 200),
    ("cgi", "/cgi-bin/setcookies.cgi", 200),
    ("proxy-chunked", "/proxy/set/chunked", 200),
    ("proxy-content-length", "/proxy/set/length", 200),
    ("errordocument-file", "/errdoc/missing.html", 404),
    ("local-404", "/always/missing.html", 404),
]


def conditional_requests(port, path="/always/index.html"):
    """Validators of a static file: [(header, value)] for If-None-Match and If-Modified-Since."""
    r = get(port, path)
    assert r.status == 200, r
    etag, lm = r.header("ETag"), r.header("Last-Modified")
    assert etag and lm, r
    return [("If-None-Match", etag), ("If-Modified-Since", lm)]
