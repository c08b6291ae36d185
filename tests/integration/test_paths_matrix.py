"""The paths matrix (issue 4): ONE table of every way a response can reach the client through
httpd, each checked for three visitors:

  undecided  no cookie at all: the refused statistical Set-Cookie (_pk_id.1.abcd, _pk_ses.1.abcd)
             and the undeclared one (tracker) never reach the client; the necessary ones
             (csrftoken, sessionid) do, byte-identical, in order;
  rejected   "reject-all" consent, and still holding _pk_id.1.abcd from before: the same, plus an
             expiry of the held cookie;
  accepted   "accept-all" consent: the statistical ones reach the client too (this also proves
             the path really sends them, so "removed" above means removed by the module).

Every setter below sends the five cookies of cc_helpers.ALL_SET (mod_headers `Header add`,
`Header always add`, a CGI, or the Python backend behind mod_proxy). Assertions are on the raw
Set-Cookie header lines as received (http.client for HTTP/1.1, curl's header dump for h2c), never
on a merged view. 200 text/html rows also check the banner state: the banner for the undecided
visitor, the "Privacy settings" button for the decided ones.

mod_cache rows (CacheQuickHandler On and Off, mod_cache_disk and mod_cache_socache) use a URL of
their own per test; the cache is first filled by the *other* visitors, then the visitor under test
asks twice and the second answer must be a cache hit (X-Cache). A text/plain copy has no Vary, so
the visitor is served the copy stored for another one (with that response's Set-Cookie lines, as
mod_cache stores them): the module must filter them again for this visitor. A text/html copy
carries the banner state, so it must only ever be served to a visitor in the same state (the
module adds Vary: Cookie); the hit must show this visitor's state, never the other's.

SSI: httpd never copies a subrequest's Set-Cookie into the main response (plain Apache drops the
included CGI's cookies too), so the SSI row's page sets the cookies itself with mod_headers and
includes the setter CGI; the row checks that the include ran and that exactly the allowed cookies,
once each, reach the client.
"""
import gzip
import shutil
from collections import namedtuple

import pytest

from banner_helpers import find_snippet, is_banner, is_manage
from cc_helpers import ALL_SET, KEPT_STATISTICAL, KEPT_UNDECIDED, consent_from, get, h2_request, \
    post_consent, request

MODDIR = "/usr/lib/apache2/modules"
HELD = "_pk_id.1.abcd"          # a refused cookie the "rejected" visitor still holds
VISITORS = ["undecided", "rejected", "accepted"]

HTML_PAGE = ('<!doctype html>\n<html lang="en"><head><title>paths</title></head>\n'
             '<body class="paths">\n<p>paths matrix page</p>\n</body></html>\n')
SETCOOKIES_CGI = "#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n'\n" + "".join(
    "printf 'Set-Cookie: %s\\r\\n'\n" % c for c in ALL_SET) + "printf '\\r\\n'\necho cgi-ok\n"
SETCOOKIES_HTML_CGI = SETCOOKIES_CGI.replace("text/plain", "text/html").replace(
    "echo cgi-ok\n", "cat <<'EOF'\n%sEOF\n" % HTML_PAGE)
LONG_CGI = SETCOOKIES_CGI.replace("echo cgi-ok\n", "echo cgi-ok\n" + "echo compressible\n" * 40)
BROKEN_CGI = "#!/bin/sh\necho 'not a header' >&2\nexit 1\n"


def _lines(kind):
    return "\n".join('    Header %s Set-Cookie "%s"' % (kind, c) for c in ALL_SET)


def build_paths_site(site):
    h = site / "htdocs" / "pm"
    files = {
        "deflate/page.txt": "deflated text, long enough to be worth compressing\n" * 40,
        "deflate/page.html": HTML_PAGE,
        "ssi/page.shtml": 'before\n<!--#include virtual="/cgi-bin/setcookies.cgi" -->after\n',
        "errremote/exists.txt": "exists\n",
        "errurl/exists.txt": "exists\n",
        "rwdir/exists.txt": "exists\n",
        "err500/errors/500.txt": "custom 500 page\n",
        "cache/static/page.txt": "cached text\n",
        "cache/static/page.html": HTML_PAGE,
        "sock/static/page.txt": "cached text (socache)\n",
        "sock/static/page.html": HTML_PAGE,
    }
    execs = {
        "deflatecgi/page.cgi": LONG_CGI,
        "err500/broken.cgi": BROKEN_CGI,
        "cache/cgi/page.cgi": SETCOOKIES_HTML_CGI,
    }
    for rel, text in list(files.items()) + list(execs.items()):
        p = h / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
        p.chmod(0o755 if rel in execs else 0o644)
    for d in [h] + [p for p in h.rglob("*") if p.is_dir()]:
        d.chmod(0o755)


def paths_conf(site, workdir, backend_port, quick):
    h = site / "htdocs" / "pm"
    cache_root = workdir / ("cache-disk-" + quick.lower())
    cache_root.mkdir(exist_ok=True)
    shutil.chown(cache_root, "www-data", "www-data")
    return f"""\
LoadModule cache_module {MODDIR}/mod_cache.so
LoadModule cache_disk_module {MODDIR}/mod_cache_disk.so
LoadModule cache_socache_module {MODDIR}/mod_cache_socache.so
LoadModule socache_shmcb_module {MODDIR}/mod_socache_shmcb.so

<Directory "{h}/deflate">
    AddType text/html .html
{_lines("add")}
    SetOutputFilter DEFLATE
</Directory>
<Directory "{h}/deflatecgi">
    AddHandler cgi-script .cgi
    SetOutputFilter DEFLATE
</Directory>
<Directory "{h}/ssi">
    AddType text/html .shtml
{_lines("add")}
</Directory>
# ErrorDocument "remote": a URL served by mod_proxy, and a full URL (httpd answers 302)
<Directory "{h}/errremote">
    ErrorDocument 404 /proxy/set/length
</Directory>
<Directory "{h}/errurl">
{_lines("always add")}
    ErrorDocument 404 http://127.0.0.1:@PORT@/index.html
</Directory>
<Directory "{h}/err500">
    AddHandler cgi-script .cgi
    ErrorDocument 500 /pm/err500/errors/500.txt
</Directory>
<Directory "{h}/err500/errors">
{_lines("always add")}
</Directory>
# mod_rewrite: a per-directory rule is an internal redirect; [PT] hands the URL on to ScriptAlias
<Directory "{h}/rwdir">
    RewriteEngine On
    RewriteRule ^go$ /cgi-bin/setcookies.cgi [L]
</Directory>
RewriteRule ^/pm/rw-pt$ /cgi-bin/setcookies.cgi [PT]
RewriteRule ^/pm/rw-proxy$ http://127.0.0.1:{backend_port}/set/chunked [P]

# mod_cache, CacheQuickHandler {quick}
CacheQuickHandler {quick}
CacheHeader On
CacheDetailHeader On
CacheRoot "{cache_root}"
CacheEnable disk /pm/cache/
CacheSocache shmcb
CacheEnable socache /pm/sock/
CacheIgnoreNoLastMod On
CacheDefaultExpire 300
<Directory "{h}/cache">
    AddType text/html .html
    Header set Cache-Control "max-age=300"
</Directory>
<Directory "{h}/cache/static">
{_lines("add")}
</Directory>
<Directory "{h}/cache/cgi">
    AddHandler cgi-script .cgi
</Directory>
<Directory "{h}/sock">
    AddType text/html .html
    Header set Cache-Control "max-age=300"
{_lines("add")}
</Directory>
"""


# --------------------------------------------------------------------------------------------------
# The table.
#   id       path (one word)
#   via      h1 (http.client) or h2 (curl --http2-prior-knowledge, h2c)
#   method, path, headers (a list, or a function of the instance returning one)
#   status   expected status
#   proof    what shows the request really took that path: ("body", bytes) in the (decoded) body,
#            ("header", name, value-substring), or None
#   html     a 200 text/html body: check the injected banner / settings button
#   inst     "on" = the instance with CacheQuickHandler On (every row), "off" = Off (cache rows)
#   cache    a mod_cache row (see the module docstring)
Row = namedtuple("Row", "id via method path headers status proof html inst cache")


def row(rid, path, method="GET", via="h1", headers=(), status=200, proof=None, html=False,
        inst="on", cache=False):
    return Row(rid, via, method, path, headers, status, proof, html, inst, cache)


def if_none_match(inst):
    r = get(inst.port, "/always/index.html")
    assert r.status == 200 and r.header("ETag"), r
    return [("If-None-Match", r.header("ETag"))]


def if_modified_since(inst):
    r = get(inst.port, "/always/index.html")
    assert r.status == 200 and r.header("Last-Modified"), r
    return [("If-Modified-Since", r.header("Last-Modified"))]


GZIP = [("Accept-Encoding", "gzip")]
RANGE = [("Range", "bytes=0-3")]
CACHE_HIT = ("header", "X-Cache", "HIT")

PATHS = [
    # static files, mod_headers
    row("static+mod_headers", "/hdr/index.html", proof=("body", b"mod_headers page")),
    row("static+Header-always", "/always/index.html", proof=("body", b"Header always page")),
    row("static-text/html+banner", "/html/page.html", html=True),
    # CGI
    row("cgi", "/cgi-bin/setcookies.cgi", proof=("body", b"cgi-ok")),
    row("cgi-Status-500", "/cgi-bin/status500.cgi", status=500, proof=("body", b"failed")),
    # mod_proxy
    row("proxy-chunked", "/proxy/set/chunked", proof=("body", b"chunked body from the backend")),
    row("proxy-content-length", "/proxy/set/length",
        proof=("body", b"length body from the backend")),
    row("proxy-404", "/proxy/set/notfound", status=404, proof=("body", b"not here")),
    # ErrorDocument, local and remote
    row("errordocument-local-file", "/errdoc/missing.html", status=404,
        proof=("body", b"custom not found page")),
    row("errordocument-local-cgi", "/errcgi/missing.html", status=404, proof=("body", b"cgi-ok")),
    # (httpd gives the proxied error document's own status, 200, as plain Apache does)
    row("errordocument-remote-proxied", "/pm/errremote/missing", status=200,
        proof=("body", b"length body from the backend")),
    row("errordocument-remote-full-url", "/pm/errurl/missing", status=302,
        proof=("header", "Location", "/index.html")),
    # local 404 and 500
    row("local-404", "/always/missing.html", status=404),
    row("local-500-broken-cgi", "/cgifail/broken.cgi", status=500),
    row("local-500-errordocument", "/pm/err500/broken.cgi", status=500,
        proof=("body", b"custom 500 page")),
    # 304
    row("304-if-none-match", "/always/index.html", headers=if_none_match, status=304),
    row("304-if-modified-since", "/always/index.html", headers=if_modified_since, status=304),
    # HEAD
    row("head-static", "/hdr/index.html", method="HEAD"),
    row("head-cgi", "/cgi-bin/setcookies.cgi", method="HEAD"),
    row("head-proxy", "/proxy/set/length", method="HEAD"),
    row("head-text/html", "/html/page.html", method="HEAD"),
    # Range
    row("range-static", "/hdr/index.html", headers=RANGE, status=206,
        proof=("header", "Content-Range", "bytes 0-3/")),
    # a page with the banner is answered whole (issue 7, item 7)
    row("range-text/html", "/html/page.html", headers=RANGE, html=True),
    # HTTP/2 (h2c, prior knowledge)
    row("h2c-static+mod_headers", "/hdr/index.html", via="h2",
        proof=("body", b"mod_headers page")),
    row("h2c-Header-always-404", "/always/missing.html", via="h2", status=404),
    row("h2c-text/html+banner", "/html/page.html", via="h2", html=True),
    row("h2c-cgi", "/cgi-bin/setcookies.cgi", via="h2", proof=("body", b"cgi-ok")),
    row("h2c-proxy-chunked", "/proxy/set/chunked", via="h2",
        proof=("body", b"chunked body from the backend")),
    row("h2c-proxy-content-length", "/proxy/set/length", via="h2",
        proof=("body", b"length body from the backend")),
    row("h2c-errordocument-file", "/errdoc/missing.html", via="h2", status=404,
        proof=("body", b"custom not found page")),
    row("h2c-head-static", "/hdr/index.html", via="h2", method="HEAD"),
    row("h2c-304", "/always/index.html", via="h2", headers=if_none_match, status=304),
    row("h2c-deflate", "/pm/deflate/page.txt", via="h2", headers=GZIP,
        proof=("header", "Content-Encoding", "gzip")),
    # mod_deflate
    row("deflate-static", "/pm/deflate/page.txt", headers=GZIP,
        proof=("header", "Content-Encoding", "gzip")),
    row("deflate-text/html+banner", "/pm/deflate/page.html", headers=GZIP, html=True,
        proof=("header", "Content-Encoding", "gzip")),
    row("deflate-cgi", "/pm/deflatecgi/page.cgi", headers=GZIP,
        proof=("header", "Content-Encoding", "gzip")),
    # SSI subrequest of a CGI that sets cookies
    row("ssi-include-virtual-cgi", "/pm/ssi/page.shtml", proof=("body", b"before\ncgi-ok\nafter")),
    # mod_rewrite
    row("rewrite-PT-to-cgi", "/pm/rw-pt", proof=("body", b"cgi-ok")),
    row("rewrite-perdir-internal-redirect-to-cgi", "/pm/rwdir/go", proof=("body", b"cgi-ok")),
    row("rewrite-P-to-backend", "/pm/rw-proxy", proof=("body", b"chunked body from the backend")),
    # mod_cache: disk and socache, CacheQuickHandler On and Off
    row("cache-disk-quick-on-static", "/pm/cache/static/page.txt", cache=True, proof=CACHE_HIT),
    row("cache-disk-quick-on-text/html", "/pm/cache/static/page.html", cache=True, html=True,
        proof=CACHE_HIT),
    row("cache-disk-quick-on-cgi-text/html", "/pm/cache/cgi/page.cgi", cache=True, html=True,
        proof=CACHE_HIT),
    row("cache-socache-quick-on-static", "/pm/sock/static/page.txt", cache=True,
        proof=CACHE_HIT),
    row("cache-socache-quick-on-text/html", "/pm/sock/static/page.html", cache=True, html=True,
        proof=CACHE_HIT),
    row("cache-disk-quick-off-static", "/pm/cache/static/page.txt", cache=True, inst="off",
        proof=CACHE_HIT),
    row("cache-disk-quick-off-text/html", "/pm/cache/static/page.html", cache=True, html=True,
        inst="off", proof=CACHE_HIT),
    row("cache-disk-quick-off-cgi-text/html", "/pm/cache/cgi/page.cgi", cache=True, html=True,
        inst="off", proof=CACHE_HIT),
    row("cache-socache-quick-off-text/html", "/pm/sock/static/page.html", cache=True, html=True,
        inst="off", proof=CACHE_HIT),
]


# --------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def paths_instances(start_apache, site, workdir, backend):
    build_paths_site(site)
    out = {}
    for key, quick in (("on", "On"), ("off", "Off")):
        out[key] = start_apache("paths-quick-" + key,
                                extra=paths_conf(site, workdir, backend.port, quick))
    yield out
    for inst in out.values():
        inst.stop()
        assert not inst.crashes, "%s had crashing children:\n%s" % (inst.name,
                                                                  "\n".join(inst.crashes))


@pytest.fixture(scope="module")
def visitor_cookies(paths_instances):
    """instance key -> visitor -> Cookie header value (None: no Cookie header)."""
    out = {}
    for key, inst in paths_instances.items():
        v = {}
        for visitor, action in (("accepted", "accept-all"), ("rejected", "reject-all")):
            r = post_consent(inst.port, action, ret="/")
            assert r.status == 303, r
            v[visitor] = "cookieconsent=" + consent_from(r).value
        v["rejected"] += "; %s=held-from-before; csrftoken=tok0" % HELD
        v["undecided"] = None
        out[key] = v
    return out


def fetch(inst, rw, cookie, path):
    hs = rw.headers(inst) if callable(rw.headers) else list(rw.headers)
    if cookie is not None:
        hs.append(("Cookie", cookie))
    if rw.via == "h2":
        r = h2_request(inst.port, path, method=rw.method, headers=hs)
        assert r.version == "HTTP/2", r
    else:
        r = request(inst.port, rw.method, path, hs)
    return r


def body_of(r):
    if (r.header("Content-Encoding") or "").lower() == "gzip" and r.body:
        return gzip.decompress(r.body)
    return r.body


def check(rw, visitor, r):
    where = "%s, visitor %s" % (rw.id, visitor)
    assert r.status == rw.status, "%s: status %d, expected %d\n%r" % (where, r.status,
                                                                    rw.status, r)
    raw = r.set_cookies             # every Set-Cookie line as received, in order
    for h in raw:
        assert "\n" not in h, "%s: folded Set-Cookie %r" % (where, h)
    if visitor == "accepted":
        assert raw == KEPT_STATISTICAL, (
            "%s: expected exactly the necessary and statistical Set-Cookie lines\n%r"
            % (where, r))
    else:
        kept = [h for h in raw if not h.startswith(HELD + "=;")]
        assert kept == KEPT_UNDECIDED, (
            "%s: a refused Set-Cookie reached the client, or a necessary one did not\n%r"
            % (where, r))
        if visitor == "rejected":
            assert [c.name for c in r.expiries()] == [HELD], (
                "%s: the held refused cookie %s was not expired (exactly once)\n%r"
                % (where, HELD, r))
    if rw.proof:
        if rw.proof[0] == "body":
            assert rw.proof[1] in body_of(r), "%s: not the expected body\n%r" % (where, r)
        else:
            _, name, sub = rw.proof
            assert sub in (r.header(name) or ""), "%s: %s is %r, expected %r in it\n%r" % (
                where, name, r.header(name), sub, r)
    if rw.html and rw.method == "GET" and r.status == 200:
        _, snippet = find_snippet(body_of(r))
        if visitor == "undecided":
            assert is_banner(snippet), "%s: expected the banner: %r" % (where, snippet)
        else:
            assert is_manage(snippet), "%s: expected the settings button: %r" % (where, snippet)


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("rw", PATHS, ids=[p.id for p in PATHS])
def test_path(paths_instances, visitor_cookies, rw, visitor):
    inst = paths_instances[rw.inst]
    cookies = visitor_cookies[rw.inst]
    if not rw.cache:
        check(rw, visitor, fetch(inst, rw, cookies[visitor], rw.path))
        return
    # a URL of its own, filled first by the other visitors, then asked twice by this one
    path = "%s?matrix=%s" % (rw.path, visitor)
    for other in VISITORS:
        if other != visitor:
            for _ in range(2):
                check(rw._replace(proof=None), other, fetch(inst, rw, cookies[other], path))
    first = fetch(inst, rw, cookies[visitor], path)
    check(rw._replace(proof=None), visitor, first)
    second = fetch(inst, rw, cookies[visitor], path)
    check(rw, visitor, second)
