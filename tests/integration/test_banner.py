"""Banner injection (issue 3, docs/design.md "Banner, settings and policy"), on a real Apache.

The snippet (stylesheet link, deferred script, then the banner or the "Privacy settings" button)
must go right after the first real <body ...> start tag of 200 text/html (or application/xhtml+xml)
responses, whatever produced them (static file, CGI, proxy, SSI) and however the bytes were cut
(mod_bucketeer, a CGI flushing byte by byte), streamed, with exact framing; and nowhere else.
"""
import gzip
import re
import time

import pytest

from banner_helpers import (
    BIG_SIZE, BUCKETEER_CHARS, BUCKETEER_DECOY_PLAIN, BUCKETEER_TAG, DECOYS, GTATTR, GTATTR_TAG,
    NOBODY, PAGE, PAGE_TAG, SLOW_HEAD, SLOW_REST, SLOW_TAG, SNIPPET_START, SSI_EXPECTED,
    SSI_INC_EXPECTED, SSI_OPEN, SSI_TAG, STREAM_NOBODY_PART2, STREAM_PART1, STREAM_PART2,
    STREAM_PART3, STREAM_PAUSE, UPPER, UPPER_TAG, XHTML, XHTML_TAG, arrival, assert_injected_after,
    assert_untouched, big_page, bucketeer_page, decoy_page, find_snippet, injection_point,
    is_banner, is_manage, raw_request, return_value, timed_chunks)
from cc_helpers import consent_from, get, h2_request, post_consent

WEAK_CC_ETAG = re.compile(r'^W/"(?P<orig>.+)-cc(?P<state>[0-9a-f]{8})"$')


@pytest.fixture(scope="module")
def ba(banner_apache):
    return banner_apache


def vary_tokens(resp):
    out = []
    for v in resp.get_all("Vary"):
        out += [t.strip().lower() for t in v.split(",") if t.strip()]
    return out


def accepted_cookie(port, action="accept-all"):
    r = post_consent(port, action, ret="/")
    assert r.status == 303, r
    return "cookieconsent=" + consent_from(r).value


# --------------------------------------------------------------------------------------------------
# Where and what
def test_static_page_banner_right_after_body_tag(ba):
    r = raw_request(ba.port, "GET", "/banner/page.html")
    assert r.status == 200, r
    snippet = assert_injected_after(r.body, PAGE, PAGE_TAG)
    assert is_banner(snippet), snippet
    # the original had a Content-Length: the new one is exact, not chunked
    assert r.framing == "length" and int(r.header("Content-Length")) == len(r.body), r


def test_static_page_changed_in_place_gets_the_banner_at_its_new_place(ba, site):
    """Each child remembers where <body> ends in a static file (by name, inode, size and
    mtime): every request after the first must still get the snippet right after the tag, and
    a file rewritten with the same name (another head, the same size, the same inode) must get
    it at the new place."""
    import os
    f = site / "htdocs" / "banner" / "changing.html"
    first = PAGE
    # Same length, same inode, <body> 5 bytes earlier: only the mtime tells them apart.
    second = PAGE.replace(b"<title>Banner test</title>", b"<title>Banner</title>")
    second = second.replace(PAGE_TAG, PAGE_TAG + b"     ", 1)
    assert len(second) == len(first) and second.index(PAGE_TAG) != first.index(PAGE_TAG)
    f.write_bytes(first)
    os.utime(f, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    for _ in range(8):                     # several children, each past its first request
        r = raw_request(ba.port, "GET", "/banner/changing.html")
        assert r.status == 200, r
        assert_injected_after(r.body, first, PAGE_TAG)
        assert int(r.header("Content-Length")) == len(r.body), r
    ino = f.stat().st_ino
    with open(f, "r+b") as fh:             # rewritten in place: the inode stays
        fh.write(second)
    os.utime(f, ns=(1_600_000_001_000_000_000, 1_600_000_001_000_000_000))
    assert f.stat().st_ino == ino and f.stat().st_size == len(first)
    for _ in range(8):
        r = raw_request(ba.port, "GET", "/banner/changing.html")
        assert r.status == 200, r
        assert_injected_after(r.body, second, PAGE_TAG)
    # a HEAD of the cached page announces the GET's length
    g = raw_request(ba.port, "GET", "/banner/changing.html")
    h = raw_request(ba.port, "HEAD", "/banner/changing.html")
    assert h.header("Content-Length") == g.header("Content-Length"), (h, g)


def test_banner_markup_for_an_undecided_visitor(ba):
    r = raw_request(ba.port, "GET", "/banner/page.html")
    _, s = find_snippet(r.body)
    text = s.decode()
    assert re.match(r'<link rel="stylesheet" '
                    r'href="/cookieconsent/assets/cookieconsent\.css\?v=[^"]+">'
                    r'<script src="/cookieconsent/assets/cookieconsent\.js\?v=[^"]+" defer>'
                    r'</script>', text), text
    assert '<div id="cc-banner"' in text and "data-nosnippet" in text, text
    assert re.search(r'<form [^>]*method="post" action="/cookieconsent/consent"', text), text
    # the settings button the script puts in the banner's place after a choice is inert in a
    # <template>; the first layer itself has the three choices
    template = re.findall(r"<template>(.*?)</template>", text)
    assert len(template) == 1 and 'class="cc-root cc-manage"' in template[0], text
    buttons = re.findall(r'<button ([^>]*)>([^<]*)</button>', text.replace(template[0], ""))
    # three buttons of the same element type and class: accept, reject, customise
    assert [b[1] for b in buttons] == ["Accept all", "Reject all", "Customise"], buttons
    assert all('class="cc-btn"' in b[0] for b in buttons), buttons
    assert 'value="accept-all"' in buttons[0][0] and 'value="reject-all"' in buttons[1][0]
    assert 'formaction="/cookieconsent/settings"' in buttons[2][0], buttons
    assert 'href="/cookieconsent/policy' in text, text
    assert 'lang="en"' in text
    # category texts of the configuration
    assert "Necessary cookies" in text and "Statistical cookies" in text, text
    # nothing inline: a strict CSP (no 'unsafe-inline') must not block the banner
    assert "<style" not in text and " style=" not in text, text
    assert len(re.findall(r"<script", text)) == 1 and re.search(r"<script [^>]*src=", text)
    assert not re.search(r"\son[a-z]+=", text), text
    assert return_value(s) == b"/banner/page.html"


def test_return_field_holds_path_and_query_escaped(ba):
    r = raw_request(ba.port, "GET", '/banner/page.html?a=1&b="x"<y>')
    assert r.status == 200, r
    _, s = find_snippet(r.body)
    assert return_value(s) == b"/banner/page.html?a=1&amp;b=&quot;x&quot;&lt;y&gt;", s
    assert b'"x"<y>' not in s


@pytest.mark.parametrize("action", ["accept-all", "reject-all"])
def test_decided_visitor_gets_privacy_settings_button(ba, action):
    cookie = accepted_cookie(ba.port, action)
    r = raw_request(ba.port, "GET", "/banner/page.html?q=1", [("Cookie", cookie)])
    assert r.status == 200, r
    s = assert_injected_after(r.body, PAGE, PAGE_TAG)
    assert is_manage(s), s
    assert re.search(rb'<button [^>]*class="cc-manage__btn"[^>]*>Privacy settings</button>', s), s
    assert re.search(rb'<form method="get" action="/cookieconsent/settings">', s), s
    assert return_value(s) == b"/banner/page.html?q=1"
    assert s.startswith(SNIPPET_START) and b"cookieconsent.js?v=" in s
    assert int(r.header("Content-Length")) == len(r.body)


def test_gpc_visitor_gets_privacy_settings_button(ba):
    r = raw_request(ba.port, "GET", "/banner/page.html", [("Sec-GPC", "1")])
    s = assert_injected_after(r.body, PAGE, PAGE_TAG)
    assert is_manage(s), s


def test_french_banner_and_button(ba):
    r = raw_request(ba.port, "GET", "/banner/page.html",
                    [("Accept-Language", "fr-FR,fr;q=0.9,en;q=0.5")])
    s = assert_injected_after(r.body, PAGE, PAGE_TAG).decode()
    assert 'lang="fr"' in s
    for t in ("Tout accepter", "Tout refuser", "Personnaliser", "Cookies nécessaires",
              "Cookies statistiques"):
        assert t in s, (t, s)
    assert "Accept all" not in s
    cookie = accepted_cookie(ba.port)
    r = raw_request(ba.port, "GET", "/banner/page.html?lang=fr", [("Cookie", cookie)])
    s = assert_injected_after(r.body, PAGE, PAGE_TAG).decode()
    assert "Paramètres de confidentialité" in s and is_manage(s.encode()), s


def test_language_cookie_of_the_site_chooses_the_banner_language(ba):
    r = raw_request(ba.port, "GET", "/banner/page.html",
                    [("Cookie", "django_language=fr"), ("Accept-Language", "en")])
    s = assert_injected_after(r.body, PAGE, PAGE_TAG).decode()
    assert "Tout accepter" in s and 'lang="fr"' in s, s


def test_xhtml_page_is_left_alone(ba):
    """XML parsers reject the HTML snippet (valueless defer, unclosed <link>/<input>): the
    browser would show a parse error instead of the page (issue 7, item 9)."""
    r = raw_request(ba.port, "GET", "/banner/page.xhtml")
    assert r.header("Content-Type").startswith("application/xhtml+xml"), r
    assert r.body == XHTML, r


def test_h2c_static_page(ba):
    r = h2_request(ba.port, "/banner/page.html")
    assert r.version == "HTTP/2" and r.status == 200, r
    assert_injected_after(r.body, PAGE, PAGE_TAG)
    if r.header("content-length") is not None:
        assert int(r.header("content-length")) == len(r.body), r


# --------------------------------------------------------------------------------------------------
# Producers
def test_cgi_output(ba):
    r = raw_request(ba.port, "GET", "/banner/cgi/page.cgi")
    assert r.status == 200, r
    assert_injected_after(r.body, PAGE, PAGE_TAG)
    # chunked, or a length httpd counted when the whole output came in one go (timing)
    assert r.framing == "chunked" or int(r.header("Content-Length")) == len(r.body), r


def test_cgi_declaring_content_length_is_not_truncated(ba):
    # The CGI says "Content-Length: len(PAGE)"; the client must get the whole page and snippet
    # (raw_request checks any Content-Length sent against the bytes that follow).
    r = raw_request(ba.port, "GET", "/banner/cgi/length.cgi")
    assert r.status == 200, r
    assert_injected_after(r.body, PAGE, PAGE_TAG)


@pytest.mark.parametrize("name,framing", [("chunked", "chunked"), ("length", "length")])
def test_proxied_page(ba, name, framing):
    r = raw_request(ba.port, "GET", "/bproxy/" + name)
    assert r.status == 200, r
    assert_injected_after(r.body, PAGE, PAGE_TAG)
    assert r.framing == framing, r
    if framing == "length":
        assert int(r.header("Content-Length")) == len(r.body), r


def test_proxied_etag_is_weakened_with_the_state(ba):
    r = raw_request(ba.port, "GET", "/bproxy/length")
    m = WEAK_CC_ETAG.match(r.header("ETag", ""))
    assert m and m.group("orig") == "backend-v1", r


def test_ssi_page(ba):
    r = raw_request(ba.port, "GET", "/banner/ssi/index.shtml")
    assert r.status == 200, r
    # SSI processed, the included page (a subrequest) gets no banner of its own
    assert_injected_after(r.body, SSI_EXPECTED, SSI_TAG)


def test_ssi_body_tag_from_an_include(ba):
    r = raw_request(ba.port, "GET", "/banner/ssi/inc.shtml")
    assert r.status == 200, r
    assert_injected_after(r.body, SSI_INC_EXPECTED, SSI_OPEN)


@pytest.mark.parametrize("path", ["/banner/deflate/page.html", "/banner/deflate/page.cgi"])
def test_through_mod_deflate(ba, path):
    r = raw_request(ba.port, "GET", path, [("Accept-Encoding", "gzip")])
    assert r.status == 200, r
    assert r.header("Content-Encoding") == "gzip", r
    body = gzip.decompress(r.body)
    assert body.count(b'id="cc-banner"') == 1, body
    assert_injected_after(body, PAGE, PAGE_TAG)
    assert {"accept-encoding", "cookie", "accept-language"} <= set(vary_tokens(r)), r
    plain = raw_request(ba.port, "GET", path)
    assert plain.header("Content-Encoding") is None, plain
    assert plain.body == body


def test_deflated_page_revalidation_after_consent_change(ba):
    gz = [("Accept-Encoding", "gzip")]
    etag = raw_request(ba.port, "GET", "/banner/deflate/page.html", gz).header("ETag")
    assert etag and "-cc" in etag, etag
    r = raw_request(ba.port, "GET", "/banner/deflate/page.html",
                    gz + [("If-None-Match", etag), ("Cookie", accepted_cookie(ba.port))])
    assert r.status == 200 and r.header("ETag") != etag, r
    assert is_manage(find_snippet(gzip.decompress(r.body))[1])


# --------------------------------------------------------------------------------------------------
# Split tags, streaming
@pytest.mark.parametrize("kind", sorted(BUCKETEER_CHARS))
def test_bucketeer_tag_split_at_every_byte(ba, kind):
    bad = []
    for pos in range(len(BUCKETEER_TAG) + 1):
        orig = bucketeer_page(pos, b"")
        r = raw_request(ba.port, "GET", "/banner/bucketeer/%s-%02d.html" % (kind, pos))
        assert r.status == 200, r
        try:
            assert_injected_after(r.body, orig, BUCKETEER_TAG)
        except AssertionError as e:
            bad.append((pos, str(e)[:300]))
    assert not bad, "split by %s at these offsets of %r failed: %r" % (kind, BUCKETEER_TAG, bad)


def test_bucketeer_every_byte_its_own_bucket(ba):
    r = raw_request(ba.port, "GET", "/banner/bucketeer/every.html")
    assert_injected_after(r.body, PAGE, PAGE_TAG)


def test_bucketeer_every_byte_passed_alone_with_decoys(ba):
    r = raw_request(ba.port, "GET", "/banner/bucketeer/decoy.html")
    assert_injected_after(r.body, BUCKETEER_DECOY_PLAIN, b'<body class="b">')


def test_cgi_writing_the_tag_byte_by_byte(ba):
    r = raw_request(ba.port, "GET", "/banner/cgi/bytewise.cgi")
    assert r.status == 200, r
    assert_injected_after(r.body, SLOW_HEAD + SLOW_TAG + SLOW_REST, SLOW_TAG)


def test_streamed_not_buffered(ba):
    """What comes before <body> leaves while the CGI still works; so does the snippet. (The CGI
    writes part one, sleeps, writes <body> and part two, sleeps, writes the rest.)"""
    # control: where the module is off, Apache streams this CGI (part one leaves at once)
    control = timed_chunks(ba.port, "/banner/ccoff/stream.cgi")
    assert arrival(control, b"part one") < STREAM_PAUSE * 0.75, control
    chunks = timed_chunks(ba.port, "/banner/cgi/stream.cgi")
    raw = b"".join(c for _, c in chunks)
    t1 = arrival(chunks, b"part one")
    t_snip = arrival(chunks, b'id="cc-banner"')
    t2 = arrival(chunks, b"part two")
    t_end = chunks[-1][0]
    assert t1 is not None and t_snip is not None and t2 is not None, raw
    assert t_end >= 2 * STREAM_PAUSE - 0.1, chunks
    assert t1 < STREAM_PAUSE * 0.75, \
        "the bytes before <body> waited for the next write of the CGI: %.2fs" % t1
    assert t_snip < 2 * STREAM_PAUSE * 0.9, "the snippet waited for the end: %.2fs" % t_snip
    body = raw_request(ba.port, "GET", "/banner/cgi/stream.cgi").body
    assert_injected_after(body, STREAM_PART1 + STREAM_PART2 + STREAM_PART3,
                          b'<body class="streamed">')


def test_streamed_without_body_tag(ba):
    """A page without <body> is not held back until its end either (part one, pause, part two)."""
    chunks = timed_chunks(ba.port, "/banner/cgi/stream-nobody.cgi")
    t1 = arrival(chunks, b"part one")
    assert chunks[-1][0] >= STREAM_PAUSE - 0.1, chunks
    assert t1 is not None and t1 < STREAM_PAUSE * 0.75, \
        "the page waited for its end: part one after %.2fs" % t1
    body = raw_request(ba.port, "GET", "/banner/cgi/stream-nobody.cgi").body
    assert injection_point(body, STREAM_PART1 + STREAM_NOBODY_PART2) == \
        len(STREAM_PART1 + STREAM_NOBODY_PART2)


# --------------------------------------------------------------------------------------------------
# Which <body>
@pytest.mark.parametrize("decoy", sorted(DECOYS))
def test_body_lookalikes_before_the_real_tag(ba, decoy):
    r = raw_request(ba.port, "GET", "/banner/decoy-%s.html" % decoy)
    assert r.status == 200, r
    assert_injected_after(r.body, decoy_page(DECOYS[decoy]), b'<body class="real">')


def test_upper_case_body_tag_with_newlines(ba):
    r = raw_request(ba.port, "GET", "/banner/upper.html")
    assert_injected_after(r.body, UPPER, UPPER_TAG)


def test_gt_inside_a_quoted_attribute_of_body(ba):
    r = raw_request(ba.port, "GET", "/banner/gtattr.html")
    assert_injected_after(r.body, GTATTR, GTATTR_TAG)


@pytest.mark.parametrize("path", ["/banner/nobody.html", "/banner/cgi/nobody.cgi",
                                  "/bproxy/nobody"])
def test_no_body_tag_snippet_at_the_end(ba, path):
    r = raw_request(ba.port, "GET", path)
    assert r.status == 200, r
    at = injection_point(r.body, NOBODY)
    assert at == len(NOBODY), r.body
    if r.framing == "length":
        assert int(r.header("Content-Length")) == len(r.body)


@pytest.mark.parametrize("path", ["/banner/big.html", "/banner/cgi/big.cgi"])
def test_five_megabyte_single_line_page(ba, path):
    orig = big_page(BIG_SIZE)
    t0 = time.monotonic()
    r = raw_request(ba.port, "GET", path, timeout=30)
    took = time.monotonic() - t0
    assert r.status == 200, r
    assert_injected_after(r.body, orig, b'<body class="end">')
    if path.endswith(".html"):
        assert r.framing == "length" and int(r.header("Content-Length")) == len(r.body), r
    assert took < 5, "5 MB page took %.1fs" % took


# --------------------------------------------------------------------------------------------------
# Not injected
@pytest.mark.parametrize("path,ctype", [
    ("/banner/data.json", "application/json"),
    ("/banner/image.png", "image/png"),
    ("/banner/plain.txt", "text/plain"),
    ("/banner/cgi/json.cgi", "application/json"),
    ("/bproxy/json", "application/json"),
])
def test_no_injection_in_other_types(ba, site, path, ctype):
    r = raw_request(ba.port, "GET", path)
    assert r.status == 200, r
    assert r.header("Content-Type", "").startswith(ctype), r
    if path.startswith("/banner/") and not path.endswith(".cgi"):
        orig = (site / "htdocs" / path.lstrip("/")).read_bytes()
        assert_untouched(r, orig)
        assert "-cc" not in (r.header("ETag") or ""), r
        assert r.header("Last-Modified"), r
    else:
        assert SNIPPET_START not in r.body and b"cc-banner" not in r.body, r
        assert b"<body" in r.body


@pytest.mark.parametrize("path", ["/banner/page.html", "/bproxy/length"])
def test_head_has_the_headers_of_get_and_no_body(ba, path):
    g = raw_request(ba.port, "GET", path)
    h = raw_request(ba.port, "HEAD", path)
    assert h.status == 200 and h.body == b"", h
    assert int(g.header("Content-Length")) == len(g.body), g
    for name in ("Content-Length", "ETag", "Content-Type"):
        assert h.header(name) == g.header(name), (path, name, g, h)
    assert vary_tokens(h) == vary_tokens(g), (g, h)
    # ... and they are the headers of the injected page
    assert WEAK_CC_ETAG.match(h.header("ETag", "")) and "cookie" in vary_tokens(h), h


def test_range_request_gets_the_whole_page(ba):
    """A range of a page made for one visitor is refused in favour of the full 200 (RFC 9110
    lets a server ignore Range), which carries the banner and Vary (issue 7, item 7)."""
    for rng in ("bytes=0-19", "bytes=-40"):
        r = raw_request(ba.port, "GET", "/banner/page.html", [("Range", rng)])
        assert r.status == 200 and r.header("Content-Range") is None, r
        assert_injected_after(r.body, PAGE, PAGE_TAG)
        assert "Cookie" in r.header("Vary"), r


@pytest.mark.parametrize("path", ["/banner/missing.html", "/banner/errdoc/missing.html"])
def test_404_pages_get_no_banner(ba, path):
    r = raw_request(ba.port, "GET", path)
    assert r.status == 404, r
    assert SNIPPET_START not in r.body and b"cc-banner" not in r.body, r
    if path.startswith("/banner/errdoc/"):
        assert r.body == PAGE, r      # the ErrorDocument, as it is


def test_upstream_gzip_is_left_alone(ba):
    r = raw_request(ba.port, "GET", "/bproxy/gzip", [("Accept-Encoding", "gzip")])
    assert r.status == 200 and r.header("Content-Encoding") == "gzip", r
    assert r.body == gzip.compress(PAGE) or gzip.decompress(r.body) == PAGE, r
    assert gzip.decompress(r.body) == PAGE
    assert int(r.header("Content-Length")) == len(r.body)


@pytest.mark.parametrize("path", ["/banner/bannoff/page.html", "/banner/ccoff/page.html"])
def test_switched_off_locations(ba, path):
    r = raw_request(ba.port, "GET", path)
    assert r.status == 200, r
    assert_untouched(r, PAGE)
    assert int(r.header("Content-Length")) == len(PAGE)


def test_banner_off_keeps_enforcement(ba):
    # CookieConsentBanner Off hides the banner only: cookies are still refused there
    r = raw_request(ba.port, "GET", "/banner/bannoff/page.html", [("Cookie", "_pk_id.1=abc")])
    assert_untouched(r, PAGE)
    assert any(h.startswith("_pk_id.1=;") for h in r.set_cookies), r


@pytest.mark.parametrize("path", ["/cookieconsent/settings?return=/x", "/cookieconsent/policy"])
def test_module_pages_are_not_injected(ba, path):
    r = raw_request(ba.port, "GET", path)
    assert r.status == 200 and r.header("Content-Type").startswith("text/html"), r
    assert r.body.count(SNIPPET_START) == 1, r          # their own stylesheet, once
    assert b'id="cc-banner"' not in r.body and b"cc-manage" not in r.body, r


# --------------------------------------------------------------------------------------------------
# Headers: length, Vary, validators
@pytest.mark.parametrize("path", ["/bproxy/vary", "/banner/cgi/vary.cgi"])
def test_vary_merged_with_existing(ba, path):
    r = raw_request(ba.port, "GET", path)
    assert_injected_after(r.body, PAGE, PAGE_TAG)
    tokens = vary_tokens(r)
    for t in ("origin", "cookie", "accept-language"):
        assert tokens.count(t) == 1, r


def test_static_page_validators(ba):
    r = raw_request(ba.port, "GET", "/banner/page.html")
    assert WEAK_CC_ETAG.match(r.header("ETag", "")), r
    assert r.header("Last-Modified") is None, r
    assert {"cookie", "accept-language"} <= set(vary_tokens(r)), r


def test_304_while_the_state_is_unchanged_then_200_after_consent(ba):
    r = raw_request(ba.port, "GET", "/banner/page.html")
    etag = r.header("ETag")
    again = raw_request(ba.port, "GET", "/banner/page.html", [("If-None-Match", etag)])
    assert again.status == 304 and again.body == b"", again
    assert again.header("ETag") == etag, again
    # the visitor accepts: the page they hold shows the banner, they must get the new one
    cookie = accepted_cookie(ba.port)
    fresh = raw_request(ba.port, "GET", "/banner/page.html",
                        [("If-None-Match", etag), ("Cookie", cookie)])
    assert fresh.status == 200, fresh
    s = assert_injected_after(fresh.body, PAGE, PAGE_TAG)
    assert is_manage(s), s
    etag2 = fresh.header("ETag")
    assert WEAK_CC_ETAG.match(etag2) and etag2 != etag, fresh
    r = raw_request(ba.port, "GET", "/banner/page.html",
                    [("If-None-Match", etag2), ("Cookie", cookie)])
    assert r.status == 304 and r.header("ETag") == etag2, r
    # ... and if they withdraw (reject all), the button page is another state again
    other = raw_request(ba.port, "GET", "/banner/page.html",
                        [("If-None-Match", etag2),
                         ("Cookie", accepted_cookie(ba.port, "reject-all"))])
    assert other.status == 200 and other.header("ETag") != etag2, other


def test_304_becomes_200_in_another_language(ba):
    etag = raw_request(ba.port, "GET", "/banner/page.html").header("ETag")
    r = raw_request(ba.port, "GET", "/banner/page.html",
                    [("If-None-Match", etag), ("Accept-Language", "fr")])
    assert r.status == 200, r
    assert "Tout accepter" in find_snippet(r.body)[1].decode()


def test_etag_of_the_page_before_the_module_gives_no_304(ba, baseline):
    """A browser that cached the page before the banner was deployed revalidates with the file's
    own ETag: it must get the page with the banner, not a 304 keeping the old copy."""
    old = get(baseline.port, "/banner/page.html")      # same file, served without the module
    assert old.status == 200 and old.header("ETag") and "-cc" not in old.header("ETag"), old
    r = raw_request(ba.port, "GET", "/banner/page.html", [("If-None-Match", old.header("ETag"))])
    assert r.status == 200, r
    assert_injected_after(r.body, PAGE, PAGE_TAG)


def test_if_modified_since_is_ignored(ba, baseline):
    # the file's own date: without the module (baseline) it gives a 304
    lm = get(baseline.port, "/banner/page.html").header("Last-Modified")
    assert get(baseline.port, "/banner/page.html", headers=[("If-Modified-Since", lm)]).status \
        == 304
    r = raw_request(ba.port, "GET", "/banner/page.html", [("If-Modified-Since", lm)])
    assert r.status == 200, r
    assert_injected_after(r.body, PAGE, PAGE_TAG)


# --------------------------------------------------------------------------------------------------
# Content-Security-Policy nonces
@pytest.mark.parametrize("path,script,style", [
    ("/banner/cgi/csp-script.cgi", "abc", None),
    ("/banner/cgi/csp-both.cgi", "sc2", "st1"),
    ("/banner/cgi/csp-none.cgi", None, None),
    ("/bproxy/csp", "Zm9vYmFy", None),
    # A policy added by mod_headers' (late) `Header set` is read once mod_headers' filter has
    # seen the page's first bytes (issue 7, item 20).
    ("/banner/cspheader/page.html", "hdrnonce1", None),
])
def test_csp_nonce(ba, path, script, style):
    r = raw_request(ba.port, "GET", path)
    assert r.status == 200 and r.header("Content-Security-Policy"), r
    s = assert_injected_after(r.body, PAGE, PAGE_TAG).decode()
    tag = re.search(r'<script src="/cookieconsent/assets/cookieconsent\.js[^>]*>', s).group(0)
    link = re.search(r'<link rel="stylesheet"[^>]*>', s).group(0)
    if script:
        assert 'nonce="%s"' % script in tag, (r.header("Content-Security-Policy"), tag)
    else:
        assert "nonce=" not in tag, tag
    if style:
        assert 'nonce="%s"' % style in link, (r.header("Content-Security-Policy"), link)
    else:
        assert "nonce=" not in link, link
