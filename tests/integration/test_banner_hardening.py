"""Issue 7, the banner filter: cache poisoning and validators, pages it must not break.

  item 7   the banner is decided on the final status: a Range request gets the whole page (and
           mod_cache_disk stores that, with Vary); a 206 made before us is marked private
  item 8   304s carry the Vary and validators of the 200 they stand for (also If-None-Match: *)
  item 10  only documents get the banner: fragments (admin-ajax, Quick Edit rows, htmx/Turbo
           partials, empty answers) and fragment requests are left alone
  item 11  documents that are not ASCII-compatible (UTF-16/32) are left alone
  item 12  the return path is the URI the visitor asked for, before WordPress's internal redirect
  item 20  a CSP nonce set by mod_headers' late `Header set` (%{UNIQUE_ID}e) is seen

(item 9, XHTML, is test_banner.py::test_xhtml_page_is_left_alone.)
"""
import gzip
import re
import shutil

import pytest

from backend import PAGES
from banner_helpers import find_snippet, is_banner, is_manage, raw_request, return_value
from cc_helpers import obtain_consent

MODDIR = "/usr/lib/apache2/modules"
PAGE = (b'<!doctype html>\n<html lang="en"><head><title>bh</title></head>\n'
        b'<body class="bh">\n<p>hardening page</p>\n<button>Post Comment</button>\n</body></html>\n')
FRAGMENTS = {
    "ajax.html": b"1<link rel='stylesheet' id='dashicons-css' href='/wp-includes/css/d.css' "
                 b"media='all' />\n",
    "quickedit.html": b'<tr id="post-7" class="iedit author-self"><td class="title">Hello</td>'
                      b'</tr>\n',
    "htmx.html": b'<div id="results" hx-swap-oob="true"><p>3 results</p></div>\n',
    "turbo.html": b'<turbo-frame id="messages"><p>hi</p></turbo-frame>\n',
    "empty.html": b"",
    "blank.html": b"\n\n   \n",
}
UTF16 = "<!DOCTYPE html><html><head><title>u</title></head><body><p>é</p></body></html>"
WP_CGI = """#!/bin/sh
printf 'Content-Type: text/html; charset=UTF-8\\r\\n\\r\\n'
printf '<!DOCTYPE html><html><head><title>wp</title></head><body class="wp">'
printf '<p>%s %s</p></body></html>\\n' "$REQUEST_URI" "$SCRIPT_NAME"
"""
AJAX_CGI = """#!/bin/sh
printf 'Content-Type: text/html; charset=UTF-8\\r\\n\\r\\n'
printf "1<link rel='stylesheet' href='/x.css' />"
"""


@pytest.fixture(scope="module")
def bh(start_apache, site, workdir):
    h = site / "htdocs" / "bh"
    for d in ("", "cache", "csp", "cspgz", "wp", "wp/wp-content"):
        (h / d).mkdir(parents=True, exist_ok=True)
    (h / "page.html").write_bytes(PAGE)
    (h / "cache" / "page.html").write_bytes(PAGE)
    (h / "csp" / "page.html").write_bytes(PAGE)
    (h / "cspgz" / "page.html").write_bytes(PAGE + b"<!-- compressible -->\n" * 50)
    (h / "nodoctype.html").write_bytes(b"<title>old</title>\n<body>\n<p>old page</p>\n</body>\n")
    (h / "nobody.html").write_bytes(b"<!DOCTYPE html>\n<title>t</title>\n<p>no body tag\n")
    for name, body in FRAGMENTS.items():
        (h / name).write_bytes(body)
    (h / "utf16.html").write_bytes(UTF16.encode("utf-16"))          # with a BOM
    (h / "utf16cs.html").write_bytes(UTF16.encode("utf-16-le"))     # charset in the header only
    (h / "wp" / "index.php").write_text(WP_CGI)
    (h / "wp" / "index.php").chmod(0o755)
    (h / "wp" / "admin-ajax.php").write_text(AJAX_CGI)
    (h / "wp" / "admin-ajax.php").chmod(0o755)
    for p in [h] + [p for p in h.rglob("*") if p.is_dir()]:
        p.chmod(0o755)
    cache_root = workdir / "cache-bh"
    cache_root.mkdir(exist_ok=True)
    shutil.chown(cache_root, "www-data", "www-data")
    extra = f"""
LoadModule cache_module {MODDIR}/mod_cache.so
LoadModule cache_disk_module {MODDIR}/mod_cache_disk.so
LoadModule unique_id_module {MODDIR}/mod_unique_id.so
<Directory "{h}">
    AddType text/html .html
</Directory>
<Files "utf16cs.html">
    ForceType "text/html; charset=UTF-16LE"
</Files>
CacheHeader On
CacheDetailHeader On
CacheRoot "{cache_root}"
CacheEnable disk /bh/cache/
CacheIgnoreNoLastMod On
<Directory "{h}/cache">
    Header set Cache-Control "max-age=300"
</Directory>
<Directory "{h}/csp">
    Header set Content-Security-Policy "script-src 'self' 'nonce-%{{UNIQUE_ID}}e'; style-src 'self' 'nonce-%{{UNIQUE_ID}}e'"
</Directory>
<Directory "{h}/cspgz">
    AddOutputFilterByType DEFLATE text/html
    Header set Content-Security-Policy "script-src 'nonce-%{{UNIQUE_ID}}e'"
</Directory>
# WordPress's .htaccess, as a per-directory rewrite: an internal redirect to index.php
<Directory "{h}/wp">
    Options +ExecCGI
    AddHandler cgi-script .php
    DirectoryIndex index.php
    RewriteEngine On
    RewriteBase /bh/wp/
    RewriteRule ^index\\.php$ - [L]
    RewriteCond %{{REQUEST_FILENAME}} !-f
    RewriteCond %{{REQUEST_FILENAME}} !-d
    RewriteRule . /bh/wp/index.php [L]
</Directory>
"""
    inst = start_apache("banner-hardening", extra=extra)
    yield inst
    inst.stop()


def snippet_of(body):
    return find_snippet(body)[1]


def has_snippet(body):
    return b"/cookieconsent/assets/cookieconsent.css" in body


# --- item 7: Range and mod_cache ---------------------------------------------------------------
def test_range_with_a_failing_if_range_gets_the_banner(bh):
    """Range + a non-matching If-Range is a full 200: before, it went out without the banner,
    with the file's strong ETag and no Vary."""
    r = raw_request(bh.port, "GET", "/bh/page.html", [("Range", "bytes=0-1"),
                                                      ("If-Range", '"not-the-etag"')])
    assert r.status == 200, r
    assert is_banner(snippet_of(r.body)), r
    assert r.header("ETag", "").startswith("W/"), r
    assert "Cookie" in r.header("Vary", ""), r
    assert int(r.header("Content-Length")) == len(r.body), r


def test_range_request_cannot_remove_the_banner_for_everyone(bh):
    """One Range request behind mod_cache_disk must not store a copy without the banner that
    every later visitor gets."""
    path = "/bh/cache/page.html"
    r = raw_request(bh.port, "GET", path, [("Range", "bytes=0-1"), ("If-Range", '"x"')])
    assert r.status == 200 and is_banner(snippet_of(r.body)), r
    seen = []
    for _ in range(3):
        r = raw_request(bh.port, "GET", path)
        assert r.status == 200, r
        assert is_banner(snippet_of(r.body)), r
        seen.append(r.header("X-Cache", ""))
    assert any("HIT" in x for x in seen), seen           # it was really served from the cache
    # a visitor who decided never gets the undecided copy (Vary: Cookie)
    ck = "cookieconsent=" + obtain_consent(bh.port, "reject-all")
    r = raw_request(bh.port, "GET", path, [("Cookie", ck)])
    assert is_manage(snippet_of(r.body)), r


def test_a_206_made_before_the_filter_is_private(bh):
    PAGES["bh-206"] = {"status": 206, "body": PAGE[:20],
                       "headers": [("Content-Type", "text/html"),
                                   ("Content-Range", "bytes 0-19/%d" % len(PAGE))]}
    r = raw_request(bh.port, "GET", "/proxy/page/bh-206", [("Range", "bytes=0-19")])
    assert r.status == 206 and r.body == PAGE[:20], r
    assert "private" in r.header("Cache-Control", ""), r
    assert "Cookie" in r.header("Vary", ""), r


# --- item 8: 304s -------------------------------------------------------------------------------
def test_304_carries_the_vary_and_etag_of_its_200(bh):
    r200 = raw_request(bh.port, "GET", "/bh/page.html")
    etag = r200.header("ETag")
    assert etag.startswith("W/") and r200.header("Vary"), r200
    r = raw_request(bh.port, "GET", "/bh/page.html", [("If-None-Match", etag)])
    assert r.status == 304, r
    assert r.header("ETag") == etag, r
    assert r.header("Vary") == r200.header("Vary"), (r.header("Vary"), r200.header("Vary"))
    assert r.header("Last-Modified") is None, r


def test_if_none_match_star_gets_the_state_tag(bh):
    r200 = raw_request(bh.port, "GET", "/bh/page.html")
    r = raw_request(bh.port, "GET", "/bh/page.html", [("If-None-Match", "*")])
    assert r.status == 304, r
    assert r.header("ETag") == r200.header("ETag"), (r, r200)
    assert r.header("Last-Modified") is None, r
    assert r.header("Vary") == r200.header("Vary"), r


# --- item 10: documents only --------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(FRAGMENTS))
def test_fragments_are_left_alone(bh, name):
    r = raw_request(bh.port, "GET", "/bh/" + name)
    assert r.status == 200, r
    assert r.body == FRAGMENTS[name], r
    if r.framing == "length":
        assert int(r.header("Content-Length")) == len(FRAGMENTS[name]), r


def test_admin_ajax_answer_from_a_cgi_is_left_alone(bh):
    r = raw_request(bh.port, "GET", "/bh/wp/admin-ajax.php?action=logged-in")
    assert r.status == 200 and r.body == b"1<link rel='stylesheet' href='/x.css' />", r


@pytest.mark.parametrize("name,where", [("nodoctype.html", b"<title>old</title>\n<body>"),
                                        ("nobody.html", None)])
def test_documents_still_get_it(bh, name, where):
    r = raw_request(bh.port, "GET", "/bh/" + name)
    start, snip = find_snippet(r.body)
    if where:
        assert r.body[:start].endswith(where), r
    else:
        assert r.body.endswith(snip), r                 # the end of a document without <body>
    assert int(r.header("Content-Length")) == len(r.body), r


@pytest.mark.parametrize("hdr,value,banner", [
    ("Sec-Fetch-Dest", "empty", False),                # fetch()/XHR
    ("Sec-Fetch-Dest", "script", False),
    ("Sec-Fetch-Dest", "document", True),
    ("Sec-Fetch-Dest", "iframe", True),
    ("X-Requested-With", "XMLHttpRequest", False),     # jQuery, WordPress admin-ajax
    ("HX-Request", "true", False),                     # htmx
    ("Turbo-Frame", "messages", False),                # Hotwire Turbo
])
def test_fragment_requests(bh, hdr, value, banner):
    r = raw_request(bh.port, "GET", "/bh/page.html", [(hdr, value)])
    assert r.status == 200, r
    if banner:
        assert is_banner(snippet_of(r.body)), r
    else:
        assert r.body == PAGE, r
    # either answer names what it depends on, for caches
    assert hdr.lower() in r.header("Vary", "").lower(), r


# --- item 11: not ASCII-compatible ----------------------------------------------------------------
@pytest.mark.parametrize("name,body", [("utf16.html", UTF16.encode("utf-16")),
                                       ("utf16cs.html", UTF16.encode("utf-16-le"))])
def test_utf16_documents_are_left_alone(bh, name, body):
    r = raw_request(bh.port, "GET", "/bh/" + name)
    assert r.status == 200, r
    assert r.body == body, r


# --- item 12: return path after WordPress's rewrite --------------------------------------------
@pytest.mark.parametrize("uri", ["/bh/wp/2026/12/hello-world/", "/bh/wp/shop/?p=12&lang=fr",
                                 "/bh/wp/?s=cookies"])
def test_return_path_is_the_pretty_url(bh, uri):
    r = raw_request(bh.port, "GET", uri)
    assert r.status == 200 and b"/bh/wp/index.php" in r.body, r   # the rewrite really happened
    snip = snippet_of(r.body)
    want = uri.replace("&", "&amp;").encode()
    assert return_value(snip) == want, snip


# --- item 20: late mod_headers CSP ------------------------------------------------------------------
def nonce_of(csp, directive):
    m = re.search(directive + r"[^;]*'nonce-([^']+)'", csp)
    return m.group(1) if m else None


def test_late_header_set_nonce_is_used(bh):
    nonces = set()
    for _ in range(2):
        r = raw_request(bh.port, "GET", "/bh/csp/page.html")
        csp = r.header("Content-Security-Policy")
        n = nonce_of(csp, "script-src")
        assert n and n == nonce_of(csp, "style-src"), csp
        snip = snippet_of(r.body).decode()
        assert re.search(r'<script src="/cookieconsent/assets/cookieconsent\.js[^>]*nonce="%s"'
                         % re.escape(n), snip), (csp, snip[:400])
        assert re.search(r'<link rel="stylesheet"[^>]*nonce="%s"' % re.escape(n), snip), snip
        # the length is still exact (the headers wait for the nonce)
        assert r.framing == "length" and int(r.header("Content-Length")) == len(r.body), r
        nonces.add(n)
    assert len(nonces) == 2                              # one per response


def test_late_nonce_with_deflate(bh):
    r = raw_request(bh.port, "GET", "/bh/cspgz/page.html", [("Accept-Encoding", "gzip")])
    assert r.header("Content-Encoding") == "gzip", r
    body = gzip.decompress(r.body)
    n = nonce_of(r.header("Content-Security-Policy"), "script-src")
    assert n and ('nonce="%s"' % n).encode() in snippet_of(body), body[:600]
