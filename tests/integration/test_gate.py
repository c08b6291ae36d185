"""Issue 8: third-party scripts, iframes and pixels wait for consent (COOKIECONSENT_GATE).

The vendors' snippets as sites paste them (Matomo with its <noscript> pixel, a chat widget, a video
embed), served static, by a CGI, through mod_proxy in 7-byte chunks (every tag split somewhere) and
compressed by mod_deflate, for undecided, rejected, partly and fully accepted visitors.
"""
import gzip
import re

import pytest

from backend import PAGES
from banner_helpers import raw_request
from conftest import DEFAULT_DECLS
from cc_helpers import obtain_consent, parse_set_cookie, post_consent, state

GATE_DECLS = DEFAULT_DECLS.replace(
    '    Retention 13mo\n    Purpose "Counts visits."\n',
    '    Retention 13mo\n    Purpose "Counts visits."\n'
    '    Block "*/matomo.js" "*/matomo.php*"\n    BlockInline "_paq"\n') + """
<CookieConsentCategory marketing>
    Title "Marketing"
    Title fr "Marketing"
    Description "Videos and chat from other sites."
</CookieConsentCategory>
<CookieConsentCookie "VideoHost">
    Category marketing
    Names VISITOR_INFO1_LIVE YSC
    Block "https://video.example/embed/*"
    Purpose "Plays embedded videos."
</CookieConsentCookie>
<CookieConsentCookie "Chat">
    Category marketing
    Names _zlcmid
    Block "*/ekr/snippet.js*"
    Purpose "Live chat."
</CookieConsentCookie>
"""

MATOMO = ('<script>\n  var _paq = window._paq = window._paq || [];\n  _paq.push([\'trackPageView\']);\n'
          '  (function() {\n    var u="//tracker.example/";\n'
          '    var d=document, g=d.createElement(\'script\'), s=d.getElementsByTagName(\'script\')[0];\n'
          '    g.async=true; g.src=u+\'matomo.js\'; s.parentNode.insertBefore(g,s);\n  })();\n'
          '</script>\n')
PIXEL = ('<noscript><p><img referrerpolicy="no-referrer-when-downgrade" '
         'src="//tracker.example/matomo.php?idsite=1&amp;rec=1" style="border:0;" alt="" />'
         '</p></noscript>\n')
CHAT = ('<script id="ze-snippet" '
        'src="https://static.chat.example/ekr/snippet.js?key=abc"> </script>\n')
VIDEO = ('<iframe width="560" height="315" src="https://video.example/embed/xyz" '
         'title="A video" allowfullscreen></iframe>\n')
OWN = '<script src="/js/app.js"></script>\n<script>var own = 1;</script>\n'
PAGE = ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>gate</title>\n'
        + MATOMO + OWN + '</head>\n<body class="gate">\n<h1>Vendors</h1>\n' + VIDEO + PIXEL
        + CHAT + '</body></html>\n').encode()

HELD_MATOMO = MATOMO.replace('<script>', '<script type="text/plain" '
                             'data-cookieconsent="statistical">', 1)
HELD_PIXEL = PIXEL.replace(
    '<img referrerpolicy="no-referrer-when-downgrade" '
    'src="//tracker.example/matomo.php?idsite=1&amp;rec=1" style="border:0;" alt="" />',
    '<img data-cookieconsent="statistical" data-cc-src="//tracker.example/matomo.php?idsite=1'
    '&amp;rec=1" referrerpolicy="no-referrer-when-downgrade" style="border:0;" alt="" />')
HELD_CHAT = ('<script type="text/plain" data-cookieconsent="marketing" '
             'data-cc-src="https://static.chat.example/ekr/snippet.js?key=abc" '
             'id="ze-snippet"> </script>\n')
HELD_VIDEO_TAG = ('<iframe data-cookieconsent="marketing" '
                  'data-cc-src="https://video.example/embed/xyz" '
                  'width="560" height="315" title="A video" allowfullscreen></iframe>')

CGI = "#!/bin/sh\nprintf 'Content-Type: text/html; charset=utf-8\\r\\n\\r\\n'\ncat <<'EOF'\n%sEOF\n"


@pytest.fixture(scope="module")
def gate(start_apache, site, backend):
    h = site / "htdocs" / "gate"
    for d in ("", "nb", "gz", "cgi", "err"):
        (h / d).mkdir(parents=True, exist_ok=True)
    for d in ("", "nb", "gz"):
        (h / d / "page.html").write_bytes(PAGE)
    (h / "nb" / "frag.html").write_bytes(('<div hx-swap-oob="true">' + CHAT + '</div>').encode())
    (h / "err" / "404.html").write_bytes(PAGE)
    (h / "cgi" / "page.cgi").write_text(CGI % PAGE.decode())
    (h / "cgi" / "page.cgi").chmod(0o755)
    for p in [h] + [p for p in h.rglob("*") if p.is_dir()]:
        p.chmod(0o755)
    PAGES["gate-chunked"] = {"headers": [("Content-Type", "text/html; charset=utf-8")],
                             "body": PAGE, "chunked": True, "chunk": 7}
    extra = f"""
<Directory "{h}">
    AddType text/html .html
    AddHandler cgi-script .cgi
    Options +ExecCGI
</Directory>
<Directory "{h}/nb">
    CookieConsentBanner Off
</Directory>
<Directory "{h}/gz">
    AddOutputFilterByType DEFLATE text/html
</Directory>
<Location /proxy/page/gate-chunked>
    CookieConsentBanner Off
</Location>
<Directory "{h}/err">
    ErrorDocument 404 /gate/err/404.html
    CookieConsentBanner Off
</Directory>
"""
    inst = start_apache("gate", decls=GATE_DECLS, extra=extra)
    yield inst
    inst.stop()


def visitor(inst, kind):
    if kind == "undecided":
        return None
    if kind == "rejected":
        return "cookieconsent=" + obtain_consent(inst.port, "reject-all")
    if kind == "accepted":
        return "cookieconsent=" + obtain_consent(inst.port, "accept-all")
    return "cookieconsent=" + obtain_consent(inst.port, "save", categories=[kind])


def fetch(inst, path, cookie, headers=()):
    hs = list(headers) + ([("Cookie", cookie)] if cookie else [])
    r = raw_request(inst.port, "GET", path, hs)
    body = r.body
    if r.header("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return r, body.decode()


def expected(kind):
    page = PAGE.decode()
    if kind in ("undecided", "rejected", "marketing"):
        page = page.replace(MATOMO, HELD_MATOMO).replace(PIXEL, HELD_PIXEL)
    if kind in ("undecided", "rejected", "statistical"):
        page = page.replace(CHAT, HELD_CHAT)
    return page


@pytest.mark.parametrize("path", ["/gate/nb/page.html", "/gate/cgi/page.cgi",
                                  "/proxy/page/gate-chunked"])
@pytest.mark.parametrize("kind", ["undecided", "rejected", "statistical", "marketing",
                                  "accepted"])
def test_markup_for_each_visitor(gate, path, kind):
    r, body = fetch(gate, path, visitor(gate, kind))
    assert r.status == 200, r
    if path.endswith(".cgi"):
        # the banner goes in too (right after <body ...>): take it out to compare the rest
        body = re.sub(r'(<body class="gate">)<link rel="stylesheet".*?</(?:template|form)></div>'
                      r'(?!</template>)', r'\1',
                      body, flags=re.S)
    want = expected(kind)
    video_held = kind in ("undecided", "rejected", "statistical")
    if video_held:
        assert body.count('class="cc-root cc-placeholder" data-cc-placeholder="marketing"') == 1
        assert HELD_VIDEO_TAG in body, body
        body = re.sub(r'<div class="cc-root cc-placeholder".*?</div>' + re.escape(HELD_VIDEO_TAG),
                      VIDEO.strip(), body, flags=re.S)
    assert body == want, body
    if kind == "accepted":
        assert body == PAGE.decode()        # byte for byte as the application wrote it


def test_nothing_held_loads(gate):
    """No URL of a held element is left in an attribute a browser fetches."""
    _, body = fetch(gate, "/gate/nb/page.html", None)
    for tag in re.findall(r"<(?:script|img|iframe|link)\b[^>]*>", body):
        if "tracker.example" in tag or "video.example" in tag or "chat.example" in tag:
            assert not re.search(r"\s(src|href|srcset)=", tag), tag


def test_with_the_banner_and_deflate(gate):
    r, body = fetch(gate, "/gate/gz/page.html", None, [("Accept-Encoding", "gzip")])
    assert r.header("Content-Encoding") == "gzip", r
    assert HELD_MATOMO in body and HELD_CHAT in body and HELD_VIDEO_TAG in body
    assert 'id="cc-banner"' in body
    assert "Cookie" in r.header("Vary"), r
    assert r.header("ETag") is None and r.header("Last-Modified") is None, r


def test_fragments_and_error_pages_are_held_too(gate):
    _, body = fetch(gate, "/gate/nb/frag.html", None, [("HX-Request", "true")])
    assert body == '<div hx-swap-oob="true">' + HELD_CHAT + '</div>', body
    r, body = fetch(gate, "/gate/err/missing.html", None)
    assert r.status == 404 and HELD_MATOMO in body, r


def test_placeholder_allow_adds_the_category(gate):
    ck = visitor(gate, "statistical")
    _, body = fetch(gate, "/gate/nb/page.html", ck)
    m = re.search(r'<div class="cc-root cc-placeholder".*?</div>', body, re.S)
    form = m.group(0)
    assert 'name="category" value="marketing"' in form and 'value="allow"' in form, form
    assert 'name="return" value="/gate/nb/page.html"' in form, form
    r = post_consent(gate.port, "allow", categories=["marketing"], ret="/gate/nb/page.html",
                     cookie=ck)
    assert r.status == 303 and r.header("Location") == "/gate/nb/page.html", r
    new = [parse_set_cookie(c) for c in r.set_cookies if c.startswith("cookieconsent=")][0]
    s = state(gate.port, cookie="cookieconsent=" + new.value)
    assert s["accepted"] == ["necessary", "statistical", "marketing"], s
    # an undecided visitor's "allow" grants that category only
    r = post_consent(gate.port, "allow", categories=["marketing"], ret="/")
    new = [parse_set_cookie(c) for c in r.set_cookies if c.startswith("cookieconsent=")][0]
    assert state(gate.port, cookie="cookieconsent=" + new.value)["accepted"] == \
        ["necessary", "marketing"]


# --- Google Consent Mode v2 ---------------------------------------------------------------------
GCM_DECLS = GATE_DECLS.replace('    Block "*/matomo.js" "*/matomo.php*"\n    BlockInline "_paq"\n', '') \
    .replace('    Block "https://video.example/embed/*"\n', '') \
    .replace('    Block "*/ekr/snippet.js*"\n', '')
GCM_LINES = """
CookieConsentGoogleConsent statistical analytics_storage
CookieConsentGoogleConsent marketing ad_storage ad_user_data ad_personalization
"""
GTAG = ('<!-- Google tag (gtag.js) -->\n'
        '<script async src="https://www.googletagmanager.com/gtag/js?id=G-X"></script>\n'
        '<script>\n  window.dataLayer = window.dataLayer || [];\n'
        '  function gtag(){dataLayer.push(arguments);}\n  gtag(\'js\', new Date());\n'
        '  gtag(\'config\', \'G-X\');\n</script>\n')
GCM_PAGE = ('<!DOCTYPE html>\n<html><head lang="en">\n<meta charset="utf-8"><title>gcm</title>\n'
            + GTAG + '</head><body><p>page</p></body></html>\n')
NOHEAD_PAGE = '<!DOCTYPE html>\n<title>t</title>\n<p>x</p>\n' + GTAG
CSP_CGI = ("#!/bin/sh\nprintf 'Content-Type: text/html\\r\\n'\n"
           "printf \"Content-Security-Policy: script-src 'nonce-r4nd0m' 'strict-dynamic'\\r\\n\\r\\n\"\n"
           "cat <<'EOF'\n%sEOF\n")


@pytest.fixture(scope="module")
def gcm(start_apache, site):
    h = site / "htdocs" / "gcm"
    h.mkdir(parents=True, exist_ok=True)
    (h / "page.html").write_text(GCM_PAGE)
    (h / "nohead.html").write_text(NOHEAD_PAGE)
    (h / "csp.cgi").write_text(CSP_CGI % GCM_PAGE)
    (h / "csp.cgi").chmod(0o755)
    h.chmod(0o755)
    extra = GCM_LINES + f"""
<Directory "{h}">
    AddType text/html .html
    AddHandler cgi-script .cgi
    Options +ExecCGI
    CookieConsentBanner Off
</Directory>
"""
    inst = start_apache("gcm", decls=GCM_DECLS, extra=extra)
    yield inst
    inst.stop()


def gcm_values(js):
    m = re.search(r'gtag\("consent","default",(\{.*?\})\);', js)
    assert m, js
    import json
    return json.loads(m.group(1))


@pytest.mark.parametrize("kind,mask,analytics,ads", [("undecided", 0, "denied", "denied"),
                                                      ("statistical", 2, "granted", "denied"),
                                                      ("accepted", 6, "granted", "granted")])
def test_consent_default_first_in_head(gcm, kind, mask, analytics, ads):
    ck = visitor(gcm, kind)
    r, body = fetch(gcm, "/gcm/page.html", ck)
    fp = re.search(r'consent-mode\.js\?s=[0-9a-f]+&amp;v=([0-9a-f]{12})', body)
    assert fp, body
    tag = ('<script src="/cookieconsent/consent-mode.js?s=%x&amp;v=%s"></script>'
           % (mask, fp.group(1)))
    assert body == GCM_PAGE.replace('<head lang="en">', '<head lang="en">' + tag), body
    js = raw_request(gcm.port, "GET", tag.split('"')[1].replace("&amp;", "&"))
    assert js.status == 200 and js.header("Content-Type").startswith("text/javascript"), js
    assert "immutable" in js.header("Cache-Control"), js
    v = gcm_values(js.body.decode())
    assert v == {"analytics_storage": analytics, "ad_storage": ads, "ad_user_data": ads,
                 "ad_personalization": ads, "security_storage": "granted"}, v
    assert ('gtag("set","ads_data_redaction",true)' in js.body.decode()) == (ads == "denied")
    assert "wait_for_update" not in js.body.decode()


def test_consent_default_inline_with_the_csp_nonce(gcm):
    r, body = fetch(gcm, "/gcm/csp.cgi", None)
    assert body.startswith('<!DOCTYPE html>\n<html><head lang="en"><script nonce="r4nd0m">'
                           'window.dataLayer=window.dataLayer||[];'), body
    assert gcm_values(body)["analytics_storage"] == "denied"


def test_consent_default_before_the_first_script_without_head(gcm):
    _, body = fetch(gcm, "/gcm/nohead.html", None)
    i = body.index('<script src="/cookieconsent/consent-mode.js?s=0&amp;v=')
    assert i < body.index("<!-- Google tag") + 40 and i < body.index("googletagmanager"), body


def test_consent_mode_script_urls(gcm):
    fp = "0" * 12
    assert raw_request(gcm.port, "GET", "/cookieconsent/consent-mode.js?s=8&v=" + fp).status == 404
    assert raw_request(gcm.port, "GET", "/cookieconsent/consent-mode.js?s=zz").status == 404
    assert raw_request(gcm.port, "GET", "/cookieconsent/consent-mode.js").status == 404
    r = post_consent(gcm.port, "accept-all", ret="/", headers=[("Accept", "application/json")])
    assert r.json()["google_consent"] == {"analytics_storage": "granted", "ad_storage": "granted",
                                          "ad_user_data": "granted",
                                          "ad_personalization": "granted",
                                          "security_storage": "granted"}, r.json()


@pytest.mark.parametrize("line,err", [
    ("CookieConsentGoogleConsent statistics analytics_storage", 'unknown category "statistics"'),
    ("CookieConsentGoogleConsent statistical analytic_storage", 'unknown signal "analytic_storage"'),
    ("CookieConsentGoogleConsent statistical security_storage", "always granted"),
    ("CookieConsentGoogleConsent statistical", "no signal given"),
    ("CookieConsentGoogleConsent statistical analytics_storage\n"
     "CookieConsentGoogleConsent marketing analytics_storage", "already given"),
])
def test_consent_mode_config_errors(conf_test, line, err):
    p = conf_test(decls=GCM_DECLS, extra=line + "\n")
    assert p.returncode != 0, p.stdout + p.stderr
    assert err in p.stderr and "CookieConsentGoogleConsent" in p.stderr, p.stderr


# --- the per-child cache of a static file's edits -------------------------------------------------
def test_static_file_edits_are_cached_per_version_and_state(gate, site):
    path = site / "htdocs" / "gate" / "nb" / "cached.html"
    path.write_bytes(PAGE)
    path.chmod(0o644)
    start = gate.log_size()
    first = [fetch(gate, "/gate/nb/cached.html", None) for _ in range(3)]
    bodies = {b for _, b in first}
    assert len(bodies) == 1 and HELD_MATOMO in bodies.pop()
    # the first answer was scanned, the next ones replayed (the file stays a file around the
    # edits), all with the right length
    for r, b in first:
        if r.framing == "length":
            assert int(r.header("Content-Length")) == len(b.encode()), r
    log = gate.log_since(start)
    # (one child here; a second one, if the MPM started it, scans once too)
    assert log.count("from this child's cache of %s" % path) >= 1, log
    # another state is another entry: an accepted visitor gets the page as written
    ck = visitor(gate, "accepted")
    for _ in range(2):
        r, b = fetch(gate, "/gate/nb/cached.html", ck)
        assert b == PAGE.decode(), b
    # a new version of the file is scanned again
    path.write_bytes(PAGE.replace(b"<h1>Vendors</h1>", b"<h1>Vendors, v2</h1>"))
    import os
    os.utime(path, (1, 1))
    start = gate.log_size()
    r, b = fetch(gate, "/gate/nb/cached.html", None)
    assert "Vendors, v2" in b and HELD_MATOMO in b, r
    assert "from this child's cache" not in gate.log_since(start)


# --- the banner on a held static page, request after request ---------------------------------------
@pytest.mark.parametrize("kind", ["undecided", "statistical", "accepted"])
def test_banner_right_after_body_on_replayed_pages(gate, site, kind):
    """After the first answer, a child replays the gate's edits and inserts the banner at the
    place it remembers for that file in that state: every answer must have the held elements
    and the snippet right after <body ...>, and the right length; a new version of the file
    gets both at their new place."""
    import os
    path = site / "htdocs" / "gate" / "banner-cache.html"
    page = PAGE
    path.write_bytes(page)
    path.chmod(0o644)
    os.utime(path, (1_600_000_000, 1_600_000_000))
    ck = visitor(gate, kind)

    def check(page):
        want = page.decode()
        if kind == "undecided":                         # the head's Matomo is held
            want = want.replace(MATOMO, HELD_MATOMO)
        tag = '<body class="gate">'
        w_at = want.index(tag) + len(tag)
        for _ in range(5):
            r, body = fetch(gate, "/gate/banner-cache.html", ck)
            assert r.status == 200, r
            if r.framing == "length":
                assert int(r.header("Content-Length")) == len(body.encode()), r
            at = body.index(tag) + len(tag)
            # the head as the visitor's state leaves it, the snippet right after the tag
            assert body[:at] == want[:w_at], body[:at]
            assert body[at:].startswith('<link rel="stylesheet"'), body[at - 40:at + 80]
            if kind == "accepted":
                assert body.endswith(want[w_at:]), body[-300:]
    check(page)
    # a longer head: the body tag moves, the cached place must not be used
    page2 = PAGE.replace(b"</head>", b"<meta name=\"x\" content=\"" + b"y" * 300 + b"\"></head>", 1)
    assert page2 != PAGE
    path.write_bytes(page2)
    os.utime(path, (1_600_000_100, 1_600_000_100))
    check(page2)


def test_cached_edit_at_the_very_end_of_the_file(gate, site):
    """An element held at the last byte of the file: the replayed edit ends where the file
    ends, and the response still ends properly (nothing lost, nothing after)."""
    path = site / "htdocs" / "gate" / "nb" / "ends-held.html"
    img = re.search(r"<img [^>]*>", PIXEL).group(0)
    held_img = re.search(r"<img [^>]*>", HELD_PIXEL).group(0)
    page = '<!DOCTYPE html><html><head><title>t</title></head><body><p>x</p>' + img
    path.write_bytes(page.encode())
    path.chmod(0o644)
    bodies = set()
    for _ in range(4):
        r, b = fetch(gate, "/gate/nb/ends-held.html", None)
        assert r.status == 200, r
        if r.framing == "length":
            assert int(r.header("Content-Length")) == len(b.encode()), r
        bodies.add(b)
    assert len(bodies) == 1, bodies
    b = bodies.pop()
    assert b.endswith("<p>x</p>" + held_img), b[-200:]


@pytest.mark.parametrize("gaps", [[0, 1, 10, 500], [2047, 2048, 2049], [5000, 3, 70000, 1]])
def test_cached_edits_close_and_far_apart(gate, site, gaps):
    """Held elements close together share one span of the cached edits (the file's bytes between
    them are kept with the texts); far apart, they are spans of their own. Either way every
    replayed answer is the scanned one, byte for byte, with its length."""
    path = site / "htdocs" / "gate" / "nb" / ("gaps-%d.html" % sum(gaps))
    img = re.search(r"<img [^>]*>", PIXEL).group(0)
    held_img = re.search(r"<img [^>]*>", HELD_PIXEL).group(0)
    parts, want = [], []
    for i, g in enumerate(gaps):
        filler = "".join(chr(0x61 + (i * 7 + k) % 26) for k in range(g))
        parts += [img, filler]
        want += [held_img, filler]
    head = '<!DOCTYPE html><html><head><title>t</title></head><body><p>x</p>'
    path.write_bytes((head + "".join(parts) + "<p>end</p></body></html>").encode())
    path.chmod(0o644)
    expect = head + "".join(want) + "<p>end</p></body></html>"
    start = gate.log_size()
    for _ in range(4):
        r, b = fetch(gate, "/gate/nb/" + path.name, None)
        assert r.status == 200, r
        if r.framing == "length":
            assert int(r.header("Content-Length")) == len(b.encode()), r
        assert b == expect, (len(b), len(expect))
    assert "from this child's cache of %s" % path in gate.log_since(start)
