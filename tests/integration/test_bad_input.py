"""The bad-input catalogue (issue 4): one table, every case with its expected outcome written in it.

A request case must end in a safe default: the status written in the table (never a 500, except
httpd's own 500 for a CGI that sends a malformed header), no optional cookie reaching the client
or the application, the decision the table says. A config case must end in a clear error:
`apache2 -t` exits non-zero with a message naming the directive. After the whole catalogue, the
instance that served it must still answer and its error log must show no crashed child.

Requests that http.client refuses to send (control bytes, invalid UTF-8, obs-fold, conflicting
framing headers) go through rawhttp.py, over a plain socket.

Kinds (the `kind` column):
  cookie     a Cookie header (bytes; a list = several Cookie headers) sent to a CGI that reports
             what it received (HTTP_COOKIE, COOKIECONSENT_DECIDED) and to a CGI that sets the five
             cookies of cc_helpers.ALL_SET. Expect: status, `app` = the cookie names the
             application sees (None: no Cookie header at all), `expired` = the names that get an
             expiry Set-Cookie (exactly), the visitor undecided.
  consent    a consent cookie value forged from a fresh valid one (accept-all). Expect: `decided`
             (None: either, see the row), `fingerprint` of /cookieconsent/state; an undecided
             visitor gets no statistical Set-Cookie from the setter CGI.
  setcookie  Set-Cookie lines written by a CGI (`via` cgi: raw header lines) or by the backend
             behind mod_proxy (`via` proxy: header values). Expect: status and `kept`, exactly the
             Set-Cookie lines that reach an undecided visitor.
  post       a consent POST (body bytes, extra headers). Expect: status, `location`, `cats` = the
             categories of the consent cookie set (None: no consent cookie; a tuple: one of).
  raw        raw request bytes. Expect: `statuses` of every response read from the connection
             (request smuggling: one request must give exactly one response); `app` when the
             request reaches the reporting CGI.
  page       a GET of a module page or an HTML page with hostile parameters. Expect: status,
             `absent` = bytes that must not appear in the body, `ret` = the hidden return field.
  config     a generated configuration. Expect: `apache2 -t` fails, the output matches every
             regex of `names` (the directive, and the problem where it says one).
"""
import base64
import json
import re
import time
import urllib.parse
from collections import namedtuple

import pytest

from backend import PAGES
from cc_helpers import KEPT_STATISTICAL, KEPT_UNDECIDED, consent_from, consent_parts, \
    parse_set_cookie, post_consent, sign, unsigned_v1
from rawhttp import build, parse_responses, raw_request, send_raw

FORM = ("Content-Type", "application/x-www-form-urlencoded")
LIFETIME = 180 * 86400

RAWSET_CGI = """#!/usr/bin/python3
import base64, json, os, sys
q = os.environ.get("QUERY_STRING", "")
lines = json.loads(base64.urlsafe_b64decode(q.encode()).decode("latin-1"))
out = sys.stdout.buffer
out.write(b"Content-Type: text/plain\\r\\n")
for l in lines:
    out.write(l.encode("latin-1") + b"\\r\\n")
out.write(b"\\r\\nrawset\\n")
"""

Case = namedtuple("Case", "id kind input expect")
CASES = []


def case(cid, kind, inp, **expect):
    CASES.append(Case(cid, kind, inp, expect))


# --------------------------------------------------------------------------------------------------
# 1. Cookie headers: malformed, huge, odd. The app must never see a refused cookie.
PK = "_pk_id.1.abcd"
_many = ["_pk_id.%d" % i for i in range(400)]
_8k, _8k_names = "", []
for n in _many:                                   # just under httpd's 8190-byte field limit
    piece = ("; " if _8k else "") + n + "=" + "x" * 20
    if len(_8k) + len(piece) > 8000:
        break
    _8k += piece
    _8k_names.append(n)
_200 = ["c%d" % i for i in range(200)]

case("cookie-8kb-of-refused-cookies", "cookie", _8k.encode(), status=200, app=None,
     expired=_8k_names)
case("cookie-8kb-necessary-value", "cookie", b"csrftoken=" + b"v" * 8000, status=200,
     app=["csrftoken"], expired=[])
case("cookie-16kb-over-httpd-limit", "cookie", b"csrftoken=" + b"v" * 16000, status=400)
case("cookie-200-cookies", "cookie",
     ("; ".join(n + "=v" for n in _200) + "; csrftoken=ok").encode(), status=200,
     app=["csrftoken"], expired=_200)
case("cookie-200-cookies-in-20-headers", "cookie",
     [("; ".join(n + "=v" for n in _200[i:i + 10])).encode() for i in range(0, 200, 10)]
     + [b"csrftoken=ok"], status=200, app=["csrftoken"], expired=_200)
case("cookie-duplicate-names", "cookie",
     b"_pk_id.1.abcd=a; _pk_id.1.abcd=b; csrftoken=1; csrftoken=2", status=200,
     app=["csrftoken", "csrftoken"], expired=[PK])
case("cookie-pairs-without-equals", "cookie", b"justaname; csrftoken=ok; _pk_id.1.abcd",
     status=200, app=["csrftoken"], expired=[])
case("cookie-empty-names", "cookie", b"=; =x; ==; csrftoken=ok", status=200, app=["csrftoken"],
     expired=[])
case("cookie-quoted-values", "cookie", b'csrftoken="abc"; _pk_id.1.abcd="x"', status=200,
     app=["csrftoken"], expired=[PK])
case("cookie-quoted-name", "cookie", b'"_pk_id.1.abcd"=x; csrftoken=1', status=200,
     app=["csrftoken"], expired=[])
case("cookie-semicolon-inside-quotes", "cookie", b'csrftoken="a;_pk_id.1.abcd=b"', status=200,
     app=["csrftoken"], expired=[PK])
case("cookie-control-byte", "cookie", b"csrftoken=a\x01b; _pk_id.1.abcd=1", status=400)
case("cookie-nul-byte", "cookie", b"csrftoken=a\x00b; _pk_id.1.abcd=1", status=400)
case("cookie-del-byte", "cookie", b"csrftoken=a\x7fb; _pk_id.1.abcd=1", status=400)
case("cookie-invalid-utf8-values", "cookie", b"csrftoken=\xc3\x28; _pk_id.1.abcd=\xff\xfe",
     status=200, app=["csrftoken"], expired=[PK])
case("cookie-invalid-utf8-name", "cookie", b"\xff\xfe=1; \xc3\x28=2; csrftoken=1", status=200,
     app=["csrftoken"], expired=[])
case("cookie-empty-header", "cookie", b"", status=200, app=None, expired=[])
case("cookie-only-separators", "cookie", b";;;; ; ,, ;", status=200, app=None, expired=[])
case("cookie-comma-separated", "cookie", b"csrftoken=a, _pk_id.1.abcd=b", status=200,
     app=["csrftoken"], expired=[PK])
case("cookie-comma-without-space", "cookie", b"csrftoken=a,_pk_id.1.abcd=b,tracker=c", status=200,
     app=["csrftoken"], expired=[PK, "tracker"])
case("cookie-comma-inside-json-value", "cookie", b'csrftoken={"a":1,"b":2}; _pk_id.1.abcd=1',
     status=200, app=["csrftoken"], expired=[PK])
case("cookie-odd-whitespace", "cookie", b"  _pk_id.1.abcd =1 ;csrftoken= 2  ", status=200,
     app=["csrftoken"], expired=[PK])
case("cookie-tabs", "cookie", b"\t_pk_id.1.abcd=1;\tcsrftoken=2\t", status=200,
     app=["csrftoken"], expired=[PK])
case("cookie-several-headers", "cookie", [b"_pk_id.1.abcd=1", b"csrftoken=2", b"tracker=3"],
     status=200, app=["csrftoken"], expired=[PK, "tracker"])
case("cookie-glob-characters-in-names", "cookie", b"_pk_id*=1; _pk_?=2; csrftoken=1",
     status=200, app=["csrftoken"], expired=["_pk_id*"])
case("cookie-4kb-name", "cookie", b"a" * 4000 + b"=1; csrftoken=1", status=200,
     app=["csrftoken"], expired=["a" * 4000])
case("cookie-wrong-case-names", "cookie", b"CSRFTOKEN=1; _PK_ID.1.abcd=2; Cookieconsent=x",
     status=200, app=None, expired=["CSRFTOKEN", "_PK_ID.1.abcd", "Cookieconsent"])
case("cookie-consent-name-lookalike", "cookie", b"cookieconsentx=1; xcookieconsent=2", status=200,
     app=None, expired=["cookieconsentx", "xcookieconsent"])

# --------------------------------------------------------------------------------------------------
# 2. Consent values: forged, truncated, oversized. All "no decision" unless the row says otherwise.
# Each input is f(valid accept-all value, its parts, now) -> the Cookie header.
def cv(fmt):
    return lambda v, p, now: "cookieconsent=" + fmt(v, p, now)


def parts(fp=None, t=None, cid=None, cats=None, ver="2"):
    """A value with some fields replaced, signed with the harness's key (sign()): what is refused
    is refused by the parser behind the MAC."""
    return cv(lambda v, p, now: sign("%s.%s.%s.%s.%s" % (
        ver, p["fp"] if fp is None else fp(p) if callable(fp) else fp,
        p["time"] if t is None else t(now) if callable(t) else t,
        p["id"] if cid is None else cid(p) if callable(cid) else cid,
        p["cats"] if cats is None else cats)))


case("consent-valid-control-row", "consent", cv(lambda v, p, now: v), decided=True,
     fingerprint="current")
case("consent-signed-control-row", "consent", parts(), decided=True, fingerprint="current")
for cut in ("2", "2.", "fp", "time", "id", "id."):
    def _cut(v, p, now, cut=cut):
        return sign({"2": "2", "2.": "2.", "fp": "2." + p["fp"],
                     "time": "2.%s.%s" % (p["fp"], p["time"]),
                     "id": "2.%s.%s.%s" % (p["fp"], p["time"], p["id"]),
                     "id.": "2.%s.%s.%s." % (p["fp"], p["time"], p["id"])}[cut])
    case("consent-truncated-after-" + cut, "consent", cv(_cut), decided=False, fingerprint="none")
case("consent-without-its-mac", "consent", cv(lambda v, p, now: v.rsplit(".", 1)[0]),
     decided=False, fingerprint="none")
case("consent-version-3", "consent", parts(ver="3"), decided=False, fingerprint="none")
case("consent-version-1-unsigned", "consent", cv(lambda v, p, now: unsigned_v1(v)),
     decided=False, fingerprint="none")
case("consent-fingerprint-upper-case", "consent", parts(fp=lambda p: p["fp"].upper()),
     decided=False, fingerprint="none")
case("consent-fingerprint-11-digits", "consent", parts(fp=lambda p: p["fp"][:11]), decided=False,
     fingerprint="none")
case("consent-fingerprint-of-other-declarations", "consent", parts(fp="0123456789ab"),
     decided=False, fingerprint="stale")
case("consent-time-one-day-in-the-future", "consent", parts(t=lambda now: now + 86400),
     decided=False, fingerprint="none")
case("consent-time-4-minutes-ahead-is-tolerated", "consent", parts(t=lambda now: now + 240),
     decided=True, fingerprint="current")
case("consent-time-older-than-lifetime", "consent", parts(t=lambda now: now - LIFETIME - 86400),
     decided=False, fingerprint="none")
case("consent-time-zero", "consent", parts(t="0"), decided=False, fingerprint="none")
case("consent-time-13-digits", "consent", parts(t="9" * 13), decided=False, fingerprint="none")
case("consent-time-64-bit-overflow", "consent", parts(t="99999999999999999999"), decided=False,
     fingerprint="none")
case("consent-time-leading-zero", "consent", parts(t=lambda now: "0%d" % now), decided=False,
     fingerprint="none")
case("consent-time-negative", "consent", parts(t=lambda now: "-%d" % now), decided=False,
     fingerprint="none")
case("consent-time-hex", "consent", parts(t="0x7fffffff"), decided=False, fingerprint="none")
case("consent-id-21-characters", "consent", parts(cid=lambda p: p["id"][:21]), decided=False,
     fingerprint="none")
case("consent-id-23-characters", "consent", parts(cid=lambda p: p["id"] + "A"), decided=False,
     fingerprint="none")
case("consent-id-not-base64url", "consent", parts(cid="+/" * 11), decided=False,
     fingerprint="none")
case("consent-categories-required-one", "consent", parts(cats="necessary"), decided=False,
     fingerprint="none")
case("consent-categories-unknown", "consent", parts(cats="marketing"), decided=False,
     fingerprint="none")
case("consent-categories-upper-case", "consent", parts(cats="Statistical"), decided=False,
     fingerprint="none")
case("consent-categories-empty", "consent", parts(cats=""), decided=False, fingerprint="none")
case("consent-categories-trailing-plus", "consent", parts(cats="statistical+"), decided=False,
     fingerprint="none")
case("consent-categories-dash-and-name", "consent", parts(cats="-+statistical"), decided=False,
     fingerprint="none")
# the same category twice: either reading is safe (the visitor did accept it), never a crash
case("consent-categories-duplicated", "consent", parts(cats="statistical+statistical"),
     decided=None, fingerprint=None)
case("consent-600-categories", "consent", parts(cats="+".join(["statistical"] * 600)),
     decided=False, fingerprint="none")
case("consent-extra-field", "consent", cv(lambda v, p, now: v + ".x"), decided=False,
     fingerprint="none")
case("consent-7kb-value", "consent", cv(lambda v, p, now: v + "x" * 7000), decided=False,
     fingerprint="none")
case("consent-quoted-value", "consent", cv(lambda v, p, now: '"%s"' % v), decided=False,
     fingerprint="none")
case("consent-percent-encoded-dots", "consent", cv(lambda v, p, now: v.replace(".", "%2E")),
     decided=False, fingerprint="none")
case("consent-empty-value", "consent", cv(lambda v, p, now: ""), decided=False,
     fingerprint="none")
case("consent-garbage-then-valid", "consent",
     lambda v, p, now: "cookieconsent=garbage; cookieconsent=" + v, decided=True,
     fingerprint="current")
# a valid value followed by a malformed one (two cookies of the same name): keeping the choice or
# asking again are both safe
case("consent-valid-then-garbage", "consent",
     lambda v, p, now: "cookieconsent=%s; cookieconsent=garbage" % v, decided=None,
     fingerprint=None)
case("consent-in-a-second-cookie-header", "consent",
     lambda v, p, now: ["csrftoken=1", "cookieconsent=" + v], decided=True, fingerprint="current")

# --------------------------------------------------------------------------------------------------
# 3. Set-Cookie from the application: no name, odd whitespace, odd bytes. Undecided visitor.
SC = "Set-Cookie: "
case("setcookie-no-name", "setcookie", [SC + "=v; Path=/"], via="cgi", status=200, kept=[])
case("setcookie-no-equals", "setcookie", [SC + "justvalue"], via="cgi", status=200, kept=[])
case("setcookie-necessary-name-without-equals", "setcookie", [SC + "csrftoken"], via="cgi",
     status=200, kept=[])
case("setcookie-only-equals-and-name", "setcookie", [SC + "=csrftoken=x"], via="cgi", status=200,
     kept=[])
case("setcookie-leading-spaces", "setcookie", [SC + "   _pk_id.1.abcd=x"], via="cgi", status=200,
     kept=[])
case("setcookie-space-before-equals", "setcookie", [SC + "_pk_id.1.abcd =x"], via="cgi",
     status=200, kept=[])
case("setcookie-tab-before-name", "setcookie", [SC + "\t_pk_id.1.abcd=x"], via="cgi", status=200,
     kept=[])
case("setcookie-necessary-with-odd-spaces", "setcookie", [SC + "  csrftoken = ok  "], via="cgi",
     status=200, kept=["csrftoken = ok"])
case("setcookie-no-space-after-semicolon", "setcookie", [SC + "csrftoken=ok;Path=/;HttpOnly"],
     via="cgi", status=200, kept=["csrftoken=ok;Path=/;HttpOnly"])
case("setcookie-two-cookies-comma-joined-refused-first", "setcookie",
     [SC + "_pk_id.1.abcd=x, tracker=y"], via="cgi", status=200, kept=[])
# a browser stores ONE cookie per Set-Cookie line: this one is csrftoken (value "x, _pk_id...")
case("setcookie-two-cookies-comma-joined-necessary-first", "setcookie",
     [SC + "csrftoken=x, _pk_id.1.abcd=y"], via="cgi", status=200,
     kept=["csrftoken=x, _pk_id.1.abcd=y"])
case("setcookie-quoted-name", "setcookie", [SC + '"_pk_id.1.abcd"=x'], via="cgi", status=200,
     kept=[])
case("setcookie-upper-case-name", "setcookie", [SC + "_PK_ID.1.abcd=x", SC + "CSRFTOKEN=x"],
     via="cgi", status=200, kept=[])
case("setcookie-empty-value", "setcookie", ["Set-Cookie:", SC + ";", SC + ";csrftoken=x"],
     via="cgi", status=200, kept=[])
case("setcookie-header-name-case", "setcookie", ["set-cookie: _pk_id.1.abcd=x",
                                                 "SET-COOKIE: csrftoken=y"], via="cgi",
     status=200, kept=["csrftoken=y"])
case("setcookie-invalid-utf8", "setcookie", [SC + "_pk_id.1.abcd=\xff\xfe", SC + "\xff=1",
                                             SC + "csrftoken=\xc3\x28"], via="cgi", status=200,
     kept=["csrftoken=\xc3\x28"])
case("setcookie-control-bytes", "setcookie", [SC + "csrftoken=a\x01b", SC + "_pk_id.1.abcd=x\x0b"],
     via="cgi", status=200, kept=[])
case("setcookie-6kb-necessary-value", "setcookie", [SC + "csrftoken=" + "a" * 6000], via="cgi",
     status=200, kept=["csrftoken=" + "a" * 6000])
case("setcookie-refused-with-domain", "setcookie",
     [SC + "_pk_id.1.abcd=x; Domain=127.0.0.1; Path=/"], via="cgi", status=200, kept=[])
# only the module's endpoint may set the consent cookie (issue 7, item 3)
case("setcookie-app-sets-the-consent-cookie", "setcookie",
     [SC + "cookieconsent=whatever; Path=/", SC + "csrftoken=1"], via="cgi", status=200,
     kept=["csrftoken=1"])
case("setcookie-100-lines", "setcookie",
     [SC + ("csrftoken=%d" if i % 10 == 0 else "_pk_ses.%d=x") % i for i in range(100)],
     via="cgi", status=200, kept=["csrftoken=%d" % i for i in range(0, 100, 10)])
# httpd's own 500 ("malformed header from script"): documented, and no cookie at all
case("setcookie-obs-fold-in-cgi-output", "setcookie", [SC + "csrftoken=1", " _pk_id.1.abcd=2"],
     via="cgi", status=500, kept=[])
case("setcookie-proxy-no-name", "setcookie", ["=v; Path=/", "justvalue"], via="proxy",
     status=200, kept=[])
case("setcookie-proxy-odd-whitespace", "setcookie",
     ["   _pk_id.1.abcd=x", "_pk_id.1.abcd =x", "\t_pk_ses.1.abcd=y", "csrftoken=ok;Path=/"],
     via="proxy", status=200, kept=["csrftoken=ok;Path=/"])
case("setcookie-proxy-comma-joined", "setcookie", ["_pk_id.1.abcd=x, csrftoken=y"], via="proxy",
     status=200, kept=[])
case("setcookie-proxy-empty", "setcookie", ["", ";", " ; "], via="proxy", status=200, kept=[])
case("setcookie-proxy-latin1-bytes", "setcookie", ["_pk_id.1.abcd=\xe9", "csrftoken=\xe9"],
     via="proxy", status=200, kept=["csrftoken=\xe9"])


# --------------------------------------------------------------------------------------------------
# 4. Consent POSTs: huge, duplicate, unknown fields, bad `return`.
def form(**kw):
    return urllib.parse.urlencode(kw).encode()


def post_case(cid, body, status, location=None, cats=None, headers=None, ctype=True):
    hs = ([FORM] if ctype else []) + list(headers or [])
    case(cid, "post", (body, hs), status=status, location=location, cats=cats)


post_case("post-duplicate-action-accept-first", b"action=accept-all&action=reject-all", 303, "/",
          ("statistical", "-"))
post_case("post-duplicate-action-reject-first", b"action=reject-all&action=accept-all", 303, "/",
          ("statistical", "-"))
post_case("post-unknown-fields", b"foo=bar&action=accept-all&x=" + b"y" * 2000 + b"&=&==", 303, "/",
          "statistical")
post_case("post-unknown-category", b"action=save&category=marketing&category=", 303, "/", "-")
post_case("post-required-category", b"action=save&category=necessary", 303, "/", "-")
post_case("post-duplicate-category", b"action=save&category=statistical&category=statistical",
          303, "/", "statistical")
post_case("post-category-with-accept-all-is-ignored", b"action=reject-all&category=statistical",
          303, "/", "-")
post_case("post-63-fields", b"action=save" + b"&category=statistical" * 62, 303, "/",
          "statistical")
# More than 64 fields: the module's CC_FORM_MAX_FIELDS; a clear 400, no consent cookie.
# (Not in docs/design.md or the README: reported.)
post_case("post-700-fields-under-16kb", b"action=save" + b"&category=statistical" * 700, 400)
post_case("post-missing-action", b"return=/", 400)
post_case("post-empty-action", b"action=", 400)
post_case("post-upper-case-action", b"action=ACCEPT-ALL", 400)
post_case("post-action-with-space", b"action=accept+all", 400)
post_case("post-bad-percent-escape", b"action=accept%2-all", 400)
post_case("post-bad-percent-escape-zz", b"action=%ZZ", 400)
post_case("post-percent-nul", b"action=accept-all%00", 400)
post_case("post-raw-nul", b"action=accept-all\x00", 400)
post_case("post-field-without-equals", b"action", 400)
post_case("post-only-ampersands", b"&&&&", 400)
post_case("post-empty-body", b"", 400)
post_case("post-16kb-minus-a-little", b"action=accept-all&pad=" + b"x" * 16000, 303, "/",
          "statistical")
post_case("post-just-over-16kb", b"action=accept-all&pad=" + b"x" * 16400, 413)
post_case("post-64kb", b"action=accept-all&pad=" + b"x" * 65536, 413)
for rid, ret, loc in [
        ("protocol-relative", "//evil.test/x", "/"),
        ("backslash-host", "/\\evil.test", "/"),
        ("two-backslashes", "\\\\evil.test", "/"),
        # stays a path on this host: a browser never decodes %2F into an authority
        ("percent-encoded-slash", "/%2Fevil.test", "/%2Fevil.test"),
        ("absolute-url", "http://evil.test/", "/"),
        ("javascript-scheme", "javascript:alert(1)", "/"),
        ("crlf-header-injection", "/ok\r\nSet-Cookie: _pk_id.1.abcd=1", "/"),
        ("tab", "/\t/evil.test", "/"),
        ("relative-path", "foo/bar", "/"),
        ("empty", "", "/"),
        ("space", "/a b", "/"),
        ("10kb", "/" + "a" * 10000, "/"),
        ("same-origin-path-and-query", "/ok/path?x=1&y=%2F", "/ok/path?x=1&y=%2F")]:
    post_case("post-return-" + rid, form(action="accept-all", **{"return": ret}), 303, loc,
              "statistical")
post_case("post-return-twice-first-wins", b"action=accept-all&return=/a&return=//evil.test", 303,
          "/a", "statistical")
# raw non-ASCII bytes are allowed in a same-origin path: only where it points matters
post_case("post-return-invalid-utf8", b"action=accept-all&return=/%FF%FE", 303, "same-origin",
          "statistical")
post_case("post-no-content-type", b"action=accept-all", 303, "/", "statistical", ctype=False)
post_case("post-content-type-text-plain", b"action=accept-all", 415,
          headers=[("Content-Type", "text/plain")], ctype=False)
post_case("post-content-type-multipart", b"action=accept-all", 415,
          headers=[("Content-Type", "multipart/form-data; boundary=x")], ctype=False)
post_case("post-content-type-upper-case", b"action=accept-all", 303, "/", "statistical",
          headers=[("Content-Type", "APPLICATION/X-WWW-FORM-URLENCODED")], ctype=False)
post_case("post-json-accept-with-bad-action", b"action=bad", 400,
          headers=[("Accept", "application/json")])
post_case("post-origin-null", b"action=accept-all", 403, headers=[("Origin", "null")])
post_case("post-origin-suffix-host", b"action=accept-all", 403,
          headers=[("Origin", "http://127.0.0.1:@PORT@.evil.test")])
post_case("post-origin-userinfo", b"action=accept-all", 403,
          headers=[("Origin", "http://evil@127.0.0.1:@PORT@")])
post_case("post-origin-other-port", b"action=accept-all", 403,
          headers=[("Origin", "http://127.0.0.1:1")])
post_case("post-origin-same-then-other", b"action=accept-all", 403,
          headers=[("Origin", "http://127.0.0.1:@PORT@"), ("Origin", "http://evil.test")])
post_case("post-sec-fetch-site-cross-site", b"action=accept-all", 403,
          headers=[("Sec-Fetch-Site", "cross-site")])

# --------------------------------------------------------------------------------------------------
# 5. Request smuggling shapes and malformed framing, on the consent POST and elsewhere.
# Each input is f(port) -> bytes.
_BODY = b"action=accept-all"
_CHUNKED = b"%x\r\n%s\r\n0\r\n\r\n" % (len(_BODY), _BODY)
_SMUGGLED = b"GET /cgi-bin/setcookies.cgi HTTP/1.1\r\nHost: x\r\nCookie: _pk_id.1.abcd=1\r\n\r\n"


def post_raw(headers, body, version=b"HTTP/1.1"):
    def f(port):
        head = b"POST /cookieconsent/consent " + version + b"\r\nHost: 127.0.0.1:%d\r\n" % port
        head += b"Content-Type: application/x-www-form-urlencoded\r\n"
        return head + b"".join(h + b"\r\n" for h in headers) + b"\r\n" + body
    return f


def get_raw(path, headers, version=b"HTTP/1.1", host=True):
    def f(port):
        head = b"GET " + path + b" " + version + b"\r\n"
        if host:
            head += b"Host: 127.0.0.1:%d\r\n" % port
        return head + b"".join(h + b"\r\n" for h in headers) + b"Connection: close\r\n\r\n"
    return f


case("smuggle-content-length-and-chunked", "raw",
     post_raw([b"Content-Length: 4", b"Transfer-Encoding: chunked"], _CHUNKED + _SMUGGLED),
     statuses=[303], cats="statistical")
case("smuggle-chunked-and-content-length", "raw",
     post_raw([b"Transfer-Encoding: chunked", b"Content-Length: 100"], _CHUNKED + _SMUGGLED),
     statuses=[303], cats="statistical")
case("smuggle-two-different-content-lengths", "raw",
     post_raw([b"Content-Length: 17", b"Content-Length: 4"], _BODY + _SMUGGLED), statuses=[400])
case("smuggle-two-equal-content-lengths", "raw",
     post_raw([b"Content-Length: 17", b"Content-Length: 17", b"Connection: close"], _BODY),
     statuses=[400])
case("smuggle-content-length-list", "raw",
     post_raw([b"Content-Length: 17, 17", b"Connection: close"], _BODY), statuses=[400])
case("smuggle-content-length-negative", "raw",
     post_raw([b"Content-Length: -1", b"Connection: close"], _BODY), statuses=[400])
case("smuggle-content-length-plus-sign", "raw",
     post_raw([b"Content-Length: +17", b"Connection: close"], _BODY), statuses=[400])
case("smuggle-content-length-huge", "raw",
     post_raw([b"Content-Length: 99999999999999999999", b"Connection: close"], _BODY),
     statuses=[400])
case("smuggle-transfer-encoding-gzip-chunked", "raw",
     post_raw([b"Transfer-Encoding: gzip, chunked", b"Connection: close"], _CHUNKED),
     statuses=[501])
case("smuggle-transfer-encoding-chunked-twice", "raw",
     post_raw([b"Transfer-Encoding: chunked, chunked", b"Connection: close"], _CHUNKED),
     statuses=[501])
case("smuggle-transfer-encoding-space-before-colon", "raw",
     post_raw([b"Transfer-Encoding : chunked", b"Connection: close"], _CHUNKED), statuses=[400])
case("smuggle-transfer-encoding-xchunked", "raw",
     post_raw([b"Transfer-Encoding: xchunked", b"Connection: close"], _CHUNKED), statuses=[400])
case("smuggle-bad-chunk-size", "raw",
     post_raw([b"Transfer-Encoding: chunked", b"Connection: close"],
              b"zz\r\n" + _BODY + b"\r\n0\r\n\r\n"), statuses=[400])
case("smuggle-chunked-body-over-16kb", "raw",
     post_raw([b"Transfer-Encoding: chunked", b"Connection: close"],
              b"".join(b"1000\r\n" + b"&" * 4096 + b"\r\n" for _ in range(5)) + b"0\r\n\r\n"),
     statuses=[413])
case("smuggle-chunked-on-http-1.0", "raw",
     post_raw([b"Transfer-Encoding: chunked"], _CHUNKED, version=b"HTTP/1.0"), statuses=[303],
     cats="statistical")
case("post-expect-100-continue", "raw",
     post_raw([b"Expect: 100-continue", b"Content-Length: 17", b"Connection: close"], _BODY),
     statuses=[100, 303], cats="statistical")
case("obs-fold-in-origin", "raw",
     post_raw([b"Origin: http://evil.test", b" http://127.0.0.1", b"Content-Length: 17",
               b"Connection: close"], _BODY), statuses=[403])
case("obs-fold-in-cookie", "raw",
     get_raw(b"/cgi-bin/env.cgi", [b"Cookie: csrftoken=1;", b" _pk_id.1.abcd=2"]),
     statuses=[200], app=["csrftoken"])
case("obs-fold-before-the-first-header", "raw",
     lambda port: b"GET /cgi-bin/env.cgi HTTP/1.1\r\n Cookie: _pk_id.1.abcd=2\r\n"
                  b"Host: 127.0.0.1:%d\r\nConnection: close\r\n\r\n" % port, statuses=[400])
# The decision of a request does not carry over to the next one on the connection.
case("pipelined-consent-then-page-without-cookie", "raw",
     lambda port: post_raw([b"Content-Length: 17"], _BODY)(port)
     + b"GET /cgi-bin/setcookies.cgi HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
       b"Connection: close\r\n\r\n" % port, statuses=[303, 200], cats="statistical",
     second=KEPT_UNDECIDED)
case("lf-only-line-ends", "raw",
     lambda port: b"GET /cgi-bin/env.cgi HTTP/1.1\nHost: 127.0.0.1:%d\nCookie: _pk_id.1.abcd=2\n"
                  b"Connection: close\n\n" % port, statuses=[400])
case("space-before-colon-in-cookie", "raw",
     get_raw(b"/cgi-bin/env.cgi", [b"Cookie : _pk_id.1.abcd=2"]), statuses=[400])
case("bare-cr-inside-cookie", "raw",
     get_raw(b"/cgi-bin/env.cgi", [b"Cookie: csrftoken=1\r_pk_id.1.abcd=2"]), statuses=[400])
case("101-header-fields", "raw",
     get_raw(b"/cgi-bin/setcookies.cgi", [b"X-H%d: v" % i for i in range(101)]), statuses=[400])
case("http-1.1-without-host", "raw", get_raw(b"/cgi-bin/setcookies.cgi", [], host=False),
     statuses=[400])
case("absolute-form-request-target", "raw",
     lambda port: get_raw(b"http://127.0.0.1:%d/cgi-bin/setcookies.cgi" % port,
                          [b"Cookie: _pk_id.1.abcd=1"])(port), statuses=[200])
# HTTP/0.9 (httpd's default Allow0.9): a body and no header at all, so no cookie either
case("http-0.9-request", "raw", lambda port: b"GET /cgi-bin/setcookies.cgi\r\n",
     statuses="http/0.9")

# --------------------------------------------------------------------------------------------------
# 6. The module's pages and the banner with hostile parameters.
case("page-settings-return-protocol-relative", "page",
     (b"/cookieconsent/settings?return=//evil.test", []), status=200, ret=b"/")
case("page-settings-return-script", "page",
     (b"/cookieconsent/settings?return=%22%3E%3Cscript%3Ealert(1)%3C/script%3E", []), status=200,
     absent=[b"<script>alert"], ret=b"/")
case("page-settings-return-nul", "page", (b"/cookieconsent/settings?return=/%00x", []),
     status=200, ret=b"/")
case("page-settings-return-6kb", "page", (b"/cookieconsent/settings?return=" + b"/a" * 3000, []),
     status=200)
case("page-settings-lang-script", "page", (b"/cookieconsent/settings?lang=%3Cscript%3E", []),
     status=200, absent=[b"<script>"])
case("page-settings-lang-path", "page", (b"/cookieconsent/settings?lang=../../etc/passwd", []),
     status=200, absent=[b"etc/passwd"])
case("page-settings-duplicate-parameters", "page",
     (b"/cookieconsent/settings?fragment=1&fragment=0&return=/x&return=//y", []), status=200,
     ret=b"/x")
case("page-policy-unknown-format", "page", (b"/cookieconsent/policy?format=xml", []), status=200)
case("page-policy-json-unknown-language", "page",
     (b"/cookieconsent/policy?format=json&lang=zz", []), status=200, json_lang="en")
case("page-state-6kb-query", "page", (b"/cookieconsent/state?x=" + b"a" * 6000, []), status=200)
case("page-state-garbage-accept-language", "page",
     (b"/cookieconsent/settings", [b"Accept-Language: fr;q=abc, " + b"x-" * 2000]), status=200)
case("page-settings-accept-language-odd-q", "page",
     (b"/cookieconsent/settings", [b"Accept-Language: *;q=1, fr;q=0.5, en;q=2, de;q=-1"]),
     status=200)
case("page-assets-dot-dot", "page", (b"/cookieconsent/assets/../../etc/passwd", []), status=404,
     absent=[b"root:"])
case("page-assets-encoded-dot-dot", "page", (b"/cookieconsent/assets/%2e%2e/%2e%2e/etc/passwd", []),
     status=404, absent=[b"root:"])
case("page-assets-encoded-nul", "page", (b"/cookieconsent/assets/cookieconsent.js%00.html", []),
     status=404)
case("page-assets-path-info", "page", (b"/cookieconsent/assets/cookieconsent.css/extra", []),
     status=404)
case("page-endpoint-bad-escape", "page", (b"/cookieconsent/%ZZ", []), status=400)
case("page-endpoint-encoded-slash", "page", (b"/cookieconsent/..%2fhdr/index.html", []),
     status=404)
case("page-endpoint-trailing-slash", "page", (b"/cookieconsent/state/", []), status=404)
case("page-endpoint-upper-case", "page", (b"/COOKIECONSENT/state", []), status=404)
case("page-banner-path-with-markup", "page", (b'/html/page.html?"><script>x</script>', []),
     status=200, absent=[b'"><script>x'],
     ret=b"/html/page.html?&quot;&gt;&lt;script&gt;x&lt;/script&gt;")
case("page-banner-path-invalid-utf8", "page", (b"/html/page.html?\xff\xfe%FF%22", []), status=200,
     ret_re=rb'^/html/page\.html\?[^"<>]*$')
case("page-gpc-not-exactly-1", "page", (b"/cookieconsent/state", [b"Sec-GPC: 01"]), status=200,
     json_source="none")
case("page-gpc-two-headers", "page", (b"/cookieconsent/state", [b"Sec-GPC: 0", b"Sec-GPC: 1"]),
     status=200, json_source="none")
case("page-gpc-true", "page", (b"/cookieconsent/state", [b"Sec-GPC: true"]), status=200,
     json_source="none")


# --------------------------------------------------------------------------------------------------
# 7. Configuration files with each kind of error: `apache2 -t` fails and names the directive.
def crow(label, body):
    return '<CookieConsentCookie "%s">\n%s\n</CookieConsentCookie>\n' % (label, body)


def ccat(name, body):
    return "<CookieConsentCategory %s>\n%s\n</CookieConsentCategory>\n" % (name, body)


def row_with(line):
    return crow("Bad", "    Category statistical\n    Names _bad*\n" + line)


BAD_VALUE = r"(must|not|invalid|unknown|bad|needs|takes|contains|too|greater|expected|requires?)"
for cid, kw, names in [
    ("flag-CookieConsent", dict(cc_head="CookieConsent maybe"), [r"CookieConsent\b", r"On or Off"]),
    ("flag-GPC", dict(extra="CookieConsentGPC yes\n"), [r"CookieConsentGPC", r"On or Off"]),
    ("flag-FilterRequest", dict(extra="CookieConsentFilterRequest 2\n"),
     [r"CookieConsentFilterRequest", r"On or Off"]),
    ("flag-Banner", dict(extra="CookieConsentBanner sometimes\n"),
     [r"CookieConsentBanner", r"On or Off"]),
    ("enum-Undeclared", dict(extra="CookieConsentUndeclared maybe\n"),
     [r"CookieConsentUndeclared", r"block|allow"]),
    ("enum-Undeclared-missing", dict(extra="CookieConsentUndeclared\n"),
     [r"CookieConsentUndeclared", BAD_VALUE]),
    ("enum-Mode", dict(extra="CookieConsentMode audit\n"),
     [r"CookieConsentMode", r"enforce|report"]),
    ("choice-name-with-space", dict(extra='CookieConsentChoiceCookie "bad name"\n'),
     [r"CookieConsentChoiceCookie", r"bad name", BAD_VALUE]),
    ("choice-name-with-semicolon", dict(extra="CookieConsentChoiceCookie a;b\n"),
     [r"CookieConsentChoiceCookie", r"a;b"]),
    ("choice-no-arguments", dict(extra="CookieConsentChoiceCookie\n"),
     [r"CookieConsentChoiceCookie", BAD_VALUE]),
    ("choice-three-arguments", dict(extra="CookieConsentChoiceCookie cc 10d extra\n"),
     [r"CookieConsentChoiceCookie", BAD_VALUE]),
    ("choice-lifetime-zero", dict(extra="CookieConsentChoiceCookie cc 0d\n"),
     [r"CookieConsentChoiceCookie", r"0d"]),
    ("choice-lifetime-negative", dict(extra="CookieConsentChoiceCookie cc -5d\n"),
     [r"CookieConsentChoiceCookie", r"-5d"]),
    ("choice-lifetime-words", dict(extra="CookieConsentChoiceCookie cc abc\n"),
     [r"CookieConsentChoiceCookie", r"abc"]),
    ("choice-lifetime-overflow", dict(extra="CookieConsentChoiceCookie cc 99999999999999999999d\n"),
     [r"CookieConsentChoiceCookie", r"too large|too long|395|exceed"]),
    ("choice-lifetime-over-13-months", dict(extra="CookieConsentChoiceCookie cc 400d\n"),
     [r"CookieConsentChoiceCookie", r"395|13 ?mo|too long|exceed|maximum|at most"]),
    ("revision-empty", dict(extra='CookieConsentRevision ""\n'), [r"CookieConsentRevision"]),
    ("endpoint-root", dict(extra="CookieConsentEndpoint /\n"), [r"CookieConsentEndpoint"]),
    ("endpoint-relative", dict(extra="CookieConsentEndpoint cc\n"), [r"CookieConsentEndpoint"]),
    ("endpoint-with-space", dict(extra='CookieConsentEndpoint "/a b"\n'),
     [r"CookieConsentEndpoint"]),
    ("endpoint-with-query", dict(extra="CookieConsentEndpoint /cc?x=1\n"),
     [r"CookieConsentEndpoint"]),
    ("endpoint-control-character", dict(extra='CookieConsentEndpoint "/cc\x01"\n'),
     [r"CookieConsentEndpoint"]),
    ("languages-bad-tag", dict(extra="CookieConsentLanguages en_US\n"),
     [r"CookieConsentLanguages", r"en_US"]),
    ("languages-none", dict(extra="CookieConsentLanguages\n"), [r"CookieConsentLanguages"]),
    ("languages-100-letters", dict(extra="CookieConsentLanguages " + "a" * 100 + "\n"),
     [r"CookieConsentLanguages"]),
    ("language-cookie-bad-name", dict(extra='CookieConsentLanguageCookie "a=b"\n'),
     [r"CookieConsentLanguageCookie", r"a=b"]),
    ("category-without-name", dict(extra="<CookieConsentCategory>\n</CookieConsentCategory>\n"),
     [r"CookieConsentCategory"]),
    ("category-not-closed", dict(extra='<CookieConsentCategory mk>\n    Title "x"\n'),
     [r"CookieConsentCategory", r"clos"]),
    ("category-name-starts-with-digit", dict(extra=ccat("1mk", '    Title "x"')),
     [r"CookieConsentCategory", r"1mk"]),
    ("category-name-upper-case", dict(extra=ccat("Marketing", '    Title "x"')),
     [r"CookieConsentCategory", r"Marketing"]),
    ("category-name-300-letters", dict(extra=ccat("a" * 300, "")), [r"CookieConsentCategory"]),
    ("category-declared-twice", dict(extra=ccat("statistical", '    Title "Again"')),
     [r"CookieConsentCategory", r"statistical"]),
    ("category-inside-location", dict(extra="<Location /x>\n" + ccat("mk", "") + "</Location>\n"),
     [r"CookieConsentCategory", r"not allowed"]),
    ("category-nested", dict(extra="<CookieConsentCategory mk>\n" + ccat("mk2", "")
                             + "</CookieConsentCategory>\n"), [r"CookieConsentCategory"]),
    ("category-required-not-a-flag", dict(extra=ccat("mk", "    Required maybe")),
     [r"Required", r"On or Off"]),
    ("category-title-no-text", dict(extra=ccat("mk", "    Title")), [r"\bTitle\b"]),
    ("category-title-three-arguments", dict(extra=ccat("mk", '    Title fr "a" "b"')),
     [r"\bTitle\b"]),
    ("category-title-bad-language-tag", dict(extra=ccat("mk", '    Title xx_YY "a"')),
     [r"\bTitle\b", r"xx_YY"]),
    ("category-title-control-character", dict(extra=ccat("mk", '    Title "a\x07b"')),
     [r"\bTitle\b", r"control"]),
    ("category-description-invalid-utf8",
     dict(extra=ccat("mk", '    Description "caf\xff"').encode("latin-1")),
     [r"\bDescription\b", r"UTF-?8"]),
    ("no-required-category", dict(decls=ccat("statistical", '    Title "S"')
                                  + crow("P", "    Category statistical\n    Names _p*")),
     [r"CookieConsent", r"required"]),
    ("mode-inside-location", dict(extra="<Location /x>\nCookieConsentMode report\n</Location>\n"),
     [r"CookieConsentMode", r"not allowed"]),
    ("title-outside-a-container", dict(extra='Title "x"\n'), [r"\bTitle\b"]),
    ("row-without-label", dict(extra=crow("", "    Category statistical\n    Names _e*")),
     [r"CookieConsentCookie"]),
    ("row-label-invalid-utf8",
     dict(extra=crow("B\xffd", "    Category statistical\n    Names _e*").encode("latin-1")),
     [r"CookieConsentCookie", r"UTF-?8"]),
    ("row-not-closed", dict(extra='<CookieConsentCookie "U">\n    Category statistical\n'),
     [r"CookieConsentCookie", r"clos"]),
    ("row-unknown-category", dict(extra=crow("U", "    Category statistics\n    Names _u*")),
     [r"\bCategory\b|CookieConsentCookie", r"statistics"]),
    ("row-without-category", dict(extra=crow("U", "    Names _u*")), [r"\bCategory\b"]),
    ("row-without-names", dict(extra=crow("U", "    Category statistical")), [r"\bNames\b"]),
    ("row-names-empty", dict(extra=row_with("    Names")), [r"\bNames\b"]),
    ("row-names-with-space", dict(extra=row_with('    Names "_a b"')), [r"\bNames\b", r"_a b"]),
    ("row-names-with-semicolon", dict(extra=row_with("    Names _a;b")), [r"\bNames\b", r"_a;b"]),
    ("row-names-with-bracket", dict(extra=row_with("    Names _a[b")), [r"\bNames\b", r"_a\[b"]),
    ("row-names-control-character", dict(extra=row_with('    Names "_e\x01*"')), [r"\bNames\b"]),
    ("row-domain-url", dict(extra=row_with("    Domain http://x.test")),
     [r"\bDomain\b", r"http://x\.test"]),
    ("row-domain-with-space", dict(extra=row_with('    Domain "a b.test"')), [r"\bDomain\b"]),
    ("row-domain-empty", dict(extra=row_with('    Domain ""')), [r"\bDomain\b"]),
    ("row-domain-dot", dict(extra=row_with("    Domain .")), [r"\bDomain\b"]),
    ("row-domain-with-semicolon", dict(extra=row_with('    Domain "a.test;x=1"')),
     [r"\bDomain\b"]),
    ("row-domain-control-character", dict(extra=row_with('    Domain "a\x01.test"')),
     [r"\bDomain\b"]),
    ("row-retention-zero", dict(extra=row_with("    Retention 0d")), [r"\bRetention\b", r"0d"]),
    ("row-retention-negative", dict(extra=row_with("    Retention -1d")),
     [r"\bRetention\b", r"-1d"]),
    ("row-retention-overflow", dict(extra=row_with("    Retention 99999999999999999999y")),
     [r"\bRetention\b"]),
    ("row-retention-minutes", dict(extra=row_with("    Retention 5m")), [r"\bRetention\b", r"5m"]),
    ("row-retention-two-values", dict(extra=row_with("    Retention 5d 6d")), [r"\bRetention\b"]),
    ("row-path-relative", dict(extra=row_with("    Path shop")), [r"\bPath\b"]),
    ("row-path-with-semicolon", dict(extra=row_with('    Path "/a;b"')), [r"\bPath\b"]),
    # A Path the module later writes into expiry Set-Cookie headers: a control character there
    # makes httpd refuse the response (AH02430, a 500), so it must be refused here.
    ("row-path-control-character", dict(extra=row_with('    Path "/a\x01"')), [r"\bPath\b"]),
    ("row-path-carriage-return", dict(extra=row_with('    Path "/a\rb"')), [r"\bPath\b"]),
    ("row-path-with-space", dict(extra=row_with('    Path "/a b"')), [r"\bPath\b"]),
    ("row-label-control-character",
     dict(extra=crow("B\x01d", "    Category statistical\n    Names _e*")),
     [r"CookieConsentCookie", r"control"]),
    ("row-purpose-no-text", dict(extra=row_with("    Purpose")), [r"\bPurpose\b"]),
    ("row-purpose-control-character", dict(extra=row_with('    Purpose "a\x1bb"')),
     [r"\bPurpose\b", r"control"]),
    ("row-unknown-directive", dict(extra=row_with("    Colour red")), [r"Colour"]),
]:
    case("config-" + cid, "config", kw, names=names)


# --------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def bad(start_apache, site):
    p = site / "cgi-bin" / "rawset.cgi"
    p.write_text(RAWSET_CGI, encoding="utf-8")
    p.chmod(0o755)
    inst = start_apache("badinput")
    yield inst
    inst.stop()


@pytest.fixture(scope="module")
def valid_consent(bad):
    r = post_consent(bad.port, "accept-all", ret="/")
    assert r.status == 303, r
    return consent_from(r).value


def optional_leaks(resp):
    """Non-expiry Set-Cookie lines of optional or undeclared cookies."""
    out = []
    for h in resp.set_cookies:
        c = parse_set_cookie(h)
        if not c.is_expiry and c.name not in ("cookieconsent", "csrftoken", "sessionid"):
            out.append(h)
    return out


def one(port, method, path, headers=(), body=b""):
    rs = raw_request(port, method, path, headers, body)
    assert len(rs) == 1, "expected one response, got %d: %r" % (len(rs), rs)
    return rs[0]


def cookie_headers(value):
    return [("Cookie", v) for v in (value if isinstance(value, list) else [value])]


def names_seen(env):
    ck = env["cookie"]
    if ck is None:
        return None
    return [p.split("=", 1)[0].strip() for p in re.split(r";", ck) if p.strip()]


def run_cookie(c, port):
    e = c.expect
    hs = cookie_headers(c.input)
    r = one(port, "GET", "/cgi-bin/env.cgi", hs)
    assert r.status == e["status"], r
    s = one(port, "GET", "/cgi-bin/setcookies.cgi", hs)
    assert s.status == e["status"], s
    if e["status"] != 200:
        assert s.set_cookies == [] and r.set_cookies == [], s
        return
    env = json.loads(r.body.decode("utf-8", "surrogateescape"))
    assert names_seen(env) == e["app"], "the application saw %r" % env["cookie"]
    assert env["env"]["COOKIECONSENT_DECIDED"] == "0", env
    assert s.non_expiry_set_cookies() == KEPT_UNDECIDED, s
    assert sorted(x.name for x in s.expiries()) == sorted(e["expired"]), s


def run_consent(c, port, valid):
    e = c.expect
    value = c.input(valid, consent_parts(valid), int(time.time()))
    hs = cookie_headers(value)
    st = one(port, "GET", "/cookieconsent/state", hs)
    assert st.status == 200, st
    j = st.json()
    if e["decided"] is not None:
        assert j["decided"] is e["decided"], j
        assert j["fingerprint"] == e["fingerprint"], j
    if j["decided"]:
        assert j["accepted"] == ["necessary", "statistical"], j
    else:
        assert j["accepted"] == ["necessary"], j
    s = one(port, "GET", "/cgi-bin/setcookies.cgi", hs)
    assert s.status == 200, s
    kept = [h for h in s.set_cookies if not parse_set_cookie(h).is_expiry]
    assert kept == (KEPT_STATISTICAL if j["decided"] else KEPT_UNDECIDED), s


def run_setcookie(c, port):
    e = c.expect
    if e["via"] == "cgi":
        q = base64.urlsafe_b64encode(json.dumps(c.input).encode("latin-1")).decode()
        r = one(port, "GET", "/cgi-bin/rawset.cgi?" + q)
    else:
        name = "bad-" + c.id
        PAGES[name] = {"headers": [("Content-Type", "text/plain")]
                       + [("Set-Cookie", v) for v in c.input], "body": b"proxied\n"}
        r = one(port, "GET", "/proxy/page/" + name)
    assert r.status == e["status"], r
    assert r.set_cookies == e["kept"], "Set-Cookie lines that reached the client: %r" % r


def run_post(c, port):
    e = c.expect
    body, hs = c.input
    hs = [(k, v.replace("@PORT@", str(port))) for k, v in hs]
    hs.append(("Content-Length", str(len(body))))
    r = one(port, "POST", "/cookieconsent/consent", hs, body)
    assert r.status == e["status"], r
    assert optional_leaks(r) == [], r
    consents = [parse_set_cookie(h) for h in r.set_cookies]
    consents = [x for x in consents if x.name == "cookieconsent"]
    if e["cats"] is None:
        assert consents == [], r
    else:
        assert len(consents) == 1, r
        cats = consent_parts(consents[0].value)["cats"]
        allowed = e["cats"] if isinstance(e["cats"], tuple) else (e["cats"],)
        assert cats in allowed, r
    loc = r.header("Location")
    if e["location"] == "same-origin":
        assert loc and loc.startswith("/") and loc[1:2] not in ("/", "\\"), r
        assert not re.search(r"[\x00-\x1f\x7f]", loc), r
    else:
        assert loc == e["location"], r


def run_raw(c, port):
    e = c.expect
    data = send_raw(port, c.input(port))
    if e["statuses"] == "http/0.9":
        assert data and not data.startswith(b"HTTP/"), data[:200]
        assert b"Set-Cookie" not in data and b"cgi-ok" in data, data[:200]
        return
    rs = parse_responses(data)
    assert [r.status for r in rs] == e["statuses"], rs
    for r in rs:
        assert optional_leaks(r) == [], r
    final = [r for r in rs if r.status >= 200]
    if "cats" in e:
        consents = [parse_set_cookie(h) for h in final[0].set_cookies]
        consents = [x for x in consents if x.name == "cookieconsent"]
        assert len(consents) == 1 and consent_parts(consents[0].value)["cats"] == e["cats"], rs
    if "app" in e:
        env = json.loads(final[0].body.decode("utf-8", "surrogateescape"))
        assert names_seen(env) == e["app"], env
    if "second" in e:
        assert final[1].set_cookies == e["second"], final[1]


def run_page(c, port):
    e = c.expect
    path, hs = c.input
    data = send_raw(port, build(b"GET", path, [h.split(b": ", 1) for h in hs], port=port))
    rs = parse_responses(data)
    assert len(rs) == 1, rs
    r = rs[0]
    assert r.status == e["status"], r
    assert optional_leaks(r) == [], r
    for needle in e.get("absent", []):
        assert needle not in r.body, (needle, r.body[:3000])
    if "ret" in e:
        m = re.findall(rb'<input type="hidden" name="return" value="([^"]*)">', r.body)
        assert m and m[0] == e["ret"], (m, r.body[:3000])
    if "ret_re" in e:
        m = re.findall(rb'<input type="hidden" name="return" value="([^"]*)">', r.body)
        assert len(m) == 1 and re.match(e["ret_re"], m[0]), (m, r.body[:3000])
    if "json_lang" in e:
        assert r.json()["lang"] == e["json_lang"], r
    if "json_source" in e:
        assert r.json()["source"] == e["json_source"], r


def run_config(c, conf_test):
    p = conf_test(**c.input)
    out = p.stderr + p.stdout
    assert p.returncode != 0, "apache2 -t accepted %s:\n%s" % (p.conf_path, out)
    assert "Syntax OK" not in out, out
    assert "Segmentation fault" not in out and "AddressSanitizer" not in out, out
    for pat in c.expect["names"]:
        assert re.search(pat, out), "output does not match %r:\n%s" % (pat, out)


def of_kind(kind):
    """The catalogue's cases of one kind, as pytest parameters named by their ids."""
    cases = [c for c in CASES if c.kind == kind]
    return pytest.mark.parametrize("c", cases, ids=[c.id for c in cases])


@of_kind("cookie")
def test_bad_cookie_header(c, bad):
    run_cookie(c, bad.port)


@of_kind("consent")
def test_bad_consent_value(c, bad, valid_consent):
    run_consent(c, bad.port, valid_consent)


@of_kind("setcookie")
def test_bad_set_cookie(c, bad):
    run_setcookie(c, bad.port)


@of_kind("post")
def test_bad_consent_post(c, bad):
    run_post(c, bad.port)


@of_kind("raw")
def test_bad_raw_request(c, bad):
    run_raw(c, bad.port)


@of_kind("page")
def test_bad_page_parameters(c, bad):
    run_page(c, bad.port)


@of_kind("config")
def test_bad_configuration(c, conf_test):
    run_config(c, conf_test)


def test_catalogue_has_at_least_40_cases_of_every_family():
    kinds = {}
    for c in CASES:
        kinds[c.kind] = kinds.get(c.kind, 0) + 1
    assert len(CASES) >= 40 and set(kinds) == {"cookie", "consent", "setcookie", "post", "raw",
                                              "page", "config"}, kinds
    assert len({c.id for c in CASES}) == len(CASES), "duplicate case ids"


def test_no_crash_after_the_whole_catalogue(bad):
    """Runs after the table (same module, defined after it): the instance still answers and its
    error log shows no crashed child and no response httpd had to refuse."""
    r = one(bad.port, "GET", "/cookieconsent/state")
    assert r.status == 200, r
    log = bad.error_log()
    for bad_line in ("exit signal", "Segmentation fault", "AH00052", "AH02430",
                     "AddressSanitizer", "runtime error:"):
        hits = [l for l in log.splitlines() if bad_line in l]
        assert not hits, "error log of the catalogue's instance:\n%s" % "\n".join(hits[:20])
