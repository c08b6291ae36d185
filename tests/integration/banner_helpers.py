"""Helpers of the banner tests (issue 3): the pages of the test site, the Apache configuration of
the `banner` instance, the raw HTTP/1.1 client that checks the message framing byte for byte (from
rawhttp.py), and functions that find the injected snippet in a body.

The `banner` instance serves /banner/ as real HTML (the rest of the test site stays text/plain,
see harness/config.py). CGI scripts under /banner/cgi/ are generated here; the Python backend
serves the pages registered in backend.PAGES under /bproxy/NAME.
"""
import gzip
import re

import rawhttp

# --------------------------------------------------------------------------------------------------
# Declarations of the banner instance: the seed policy's shape, texts in English and French.
BANNER_DECLS = """\
<CookieConsentCategory necessary>
    Required On
    Title "Necessary cookies"
    Title fr "Cookies nécessaires"
    Description "These cookies are essential to the operation of the site."
    Description fr "Ces cookies sont indispensables au fonctionnement du site."
</CookieConsentCategory>
<CookieConsentCategory statistical>
    Title "Statistical cookies"
    Title fr "Cookies statistiques"
    Description "They let us count visits and traffic sources."
    Description fr "Ils permettent de compter les visites et les sources de trafic."
</CookieConsentCategory>
<CookieConsentCookie "Site language">
    Category necessary
    Names django_language
    Domain cockpit.example.test
    Retention 1y
    Purpose "Remembers the language of the site."
    Purpose fr "Mémorise la langue du site."
</CookieConsentCookie>
<CookieConsentCookie "Session ID">
    Category necessary
    Names csrftoken sessionid
    Retention session
    Purpose "Keeps your session and protects the forms."
    Purpose fr "Maintient votre session et protège les formulaires."
</CookieConsentCookie>
<CookieConsentCookie "Piwik Analytics">
    Category statistical
    Names _pk_id* _pk_ses*
    Domain marketplace.example.test shop.example.test
    Retention 25mo
    Purpose "Anonymised visit statistics."
    Purpose fr "Statistiques de visite anonymisées."
</CookieConsentCookie>
<CookieConsentCookie "Shop funnel">
    Category statistical
    Names _shop_*
    Retention 30d
    Purpose "Measures the checkout funnel."
    Purpose fr "Mesure le tunnel de commande."
</CookieConsentCookie>
"""

# Every row of BANNER_DECLS as the policy page must show it:
# (category, label, cookie names, domains, purpose en, purpose fr, retention en, retention fr)
BANNER_ROWS = [
    ("necessary", "Site language", ["django_language"], ["cockpit.example.test"],
     "Remembers the language of the site.", "Mémorise la langue du site.", "1 year", "1 an"),
    ("necessary", "Session ID", ["csrftoken", "sessionid"], [],
     "Keeps your session and protects the forms.",
     "Maintient votre session et protège les formulaires.", "Session", "Session"),
    ("statistical", "Piwik Analytics", ["_pk_id*", "_pk_ses*"],
     ["marketplace.example.test", "shop.example.test"], "Anonymised visit statistics.",
     "Statistiques de visite anonymisées.", "25 months", "25 mois"),
    ("statistical", "Shop funnel", ["_shop_*"], [], "Measures the checkout funnel.",
     "Mesure le tunnel de commande.", "30 days", "30 jours"),
]
CATEGORY_TITLES = {
    "en": {"necessary": "Necessary cookies", "statistical": "Statistical cookies"},
    "fr": {"necessary": "Cookies nécessaires", "statistical": "Cookies statistiques"},
}


def banner_extra(site, backend_port):
    htdocs = site / "htdocs"
    return f"""\
LoadModule bucketeer_module /usr/lib/apache2/modules/mod_bucketeer.so
CookieConsentLanguages en fr
CookieConsentLanguageCookie django_language
<Directory "{htdocs}/banner">
    AddType text/html .html .shtml
    AddType application/xhtml+xml .xhtml
    AddType application/json .json
    AddType image/png .png
    AddType text/plain .txt
    AddHandler cgi-script .cgi
</Directory>
<Directory "{htdocs}/banner/deflate">
    AddOutputFilterByType DEFLATE text/html
</Directory>
<Directory "{htdocs}/banner/bucketeer">
    SetOutputFilter BUCKETEER
</Directory>
<Directory "{htdocs}/banner/cspheader">
    Header set Content-Security-Policy "script-src 'self' 'nonce-hdrnonce1'"
</Directory>
<Directory "{htdocs}/banner/errdoc">
    ErrorDocument 404 /banner/errors/404.html
</Directory>
<Location /banner/bannoff>
    CookieConsentBanner Off
</Location>
<Location /banner/ccoff>
    CookieConsent Off
</Location>
ProxyPass /bproxy/ http://127.0.0.1:{backend_port}/page/
ProxyPassReverse /bproxy/ http://127.0.0.1:{backend_port}/page/
"""


# --------------------------------------------------------------------------------------------------
# Pages
PAGE = (b'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Banner test</title>'
        b'</head>\n<body class="page">\n<h1>Hello</h1>\n<p>Some content.</p>\n</body></html>\n')
PAGE_TAG = b'<body class="page">'

UPPER = b'<html><HEAD><TITLE>t</TITLE></HEAD><BODY\n\tCLASS="Upper"\n>x</BODY></html>\n'
UPPER_TAG = b'<BODY\n\tCLASS="Upper"\n>'
GTATTR = b'<html><head></head><body data-x="a>b" class="real">x</body></html>\n'
GTATTR_TAG = b'<body data-x="a>b" class="real">'
XHTML = (b'<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
         b'<head><title>x</title></head><body class="xhtml"><p>x</p></body></html>\n')
XHTML_TAG = b'<body class="xhtml">'

NOBODY = b'<!doctype html>\n<title>no body tag</title>\n<p>A document without a body tag.</p>\n'

# The real tag comes after look-alikes that must not count.
DECOYS = {
    "comment": b'<!-- <body class="decoy"> -->',
    "comment-dashes": b'<!-- a -- b <body class="decoy"> --->',
    "script": b'<script>var s = "<body class=\'decoy\'>"; if (a<b) {}</script>',
    "script-type": b'<script type="text/template"><body class="decoy"></script>',
    "style": b'<style>/* <body class="decoy"> */ p::before { content: "<body>"; }</style>',
    "title": b'<title>About <body> tags</title>',
    "textarea": b'<textarea name="t"><body class="decoy"></textarea>',
    "attr-double": b'<meta name="description" content="<body class=&quot;x&quot;> <body>">',
    "attr-single": b"<meta name='description' content='<body class=\"decoy\">'>",
    "attr-gt": b'<link rel="x" href="/a" title="a > <body>">',
    "lookalikes": b'<tbody></tbody><bodyguard class="x"></bodyguard><xbody>',
}


def decoy_page(decoy):
    return (b'<!doctype html>\n<html><head>' + decoy + b'</head>\n'
            b'<body class="real">\n<p>real content</p>\n</body></html>\n')


def big_page(size):
    """A single-line page of about `size` bytes whose <body> tag is at the very end."""
    head = b'<!doctype html><html><head><title>big</title></head>'
    tail = b'<body class="end"></body></html>'
    unit = b'<span data-x="y">0123456789abcdef</span><tbody>'
    n = (size - len(head) - len(tail)) // len(unit)
    return head + unit * n + tail


PY_CGI_HEAD = "#!/usr/bin/python3\nimport sys, time\nout = sys.stdout.buffer\n"


def py_cgi(headers, body_code):
    """A python3 CGI: headers is a list of header lines, body_code writes to `out`."""
    hs = "".join("%s\r\n" % h for h in headers) + "\r\n"
    return PY_CGI_HEAD + "out.write(%r)\nout.flush()\n%s\n" % (hs.encode(), body_code)


def cgi_page(body, headers=("Content-Type: text/html; charset=utf-8",)):
    return py_cgi(list(headers), "out.write(%r)\nout.flush()" % body)


SLOW_HEAD = b'<!doctype html><html><head><title>slow</title></head>\n'
SLOW_TAG = b'<body class="slow">'
SLOW_REST = b'\n<p>after</p></body></html>\n'

# Head first; then the tag one byte at a time, each byte flushed on its own.
BYTEWISE_CGI = py_cgi(
    ["Content-Type: text/html"],
    "out.write(%r)\nout.flush()\n"
    "for i in range(len(%r)):\n"
    "    out.write(%r[i:i + 1])\n"
    "    out.flush()\n"
    "    time.sleep(0.03)\n"
    "out.write(%r)\nout.flush()" % (SLOW_HEAD, SLOW_TAG, SLOW_TAG, SLOW_REST))

STREAM_PART1 = b'<!doctype html><html><head><title>stream</title></head>\n<!-- part one -->\n'
STREAM_PART2 = b'<body class="streamed">\n<p>part two</p>\n'
STREAM_PART3 = b'<p>part three</p></body></html>\n'
STREAM_PAUSE = 0.8
STREAM_CGI = py_cgi(
    ["Content-Type: text/html"],
    "out.write(%r)\nout.flush()\ntime.sleep(%r)\nout.write(%r)\nout.flush()\ntime.sleep(%r)\n"
    "out.write(%r)\nout.flush()" % (STREAM_PART1, STREAM_PAUSE, STREAM_PART2, STREAM_PAUSE,
                                    STREAM_PART3))

STREAM_NOBODY_PART2 = b'<p>part two, still no body tag</p>\n'
STREAM_NOBODY_CGI = py_cgi(
    ["Content-Type: text/html"],
    "out.write(%r)\nout.flush()\ntime.sleep(%r)\nout.write(%r)\nout.flush()"
    % (STREAM_PART1, STREAM_PAUSE, STREAM_NOBODY_PART2))

BIG_SIZE = 5 * 1024 * 1024

SSI_MAIN = (b'<!doctype html><html><head><title>ssi</title></head>\n'
            b'<body class="ssi">\n<p>decided=<!--#echo var="COOKIECONSENT_DECIDED" --></p>\n'
            b'<!--#include virtual="/banner/ssi/part.html" -->\n</body></html>\n')
SSI_PART = (b'<!doctype html><html><head><title>part</title></head><body class="part">part</body>'
            b'</html>')
SSI_EXPECTED = (b'<!doctype html><html><head><title>ssi</title></head>\n'
                b'<body class="ssi">\n<p>decided=0</p>\n' + SSI_PART + b'\n</body></html>\n')
SSI_TAG = b'<body class="ssi">'

# A body tag produced by the include: the snippet goes where the browser sees <body>.
SSI_INC_MAIN = (b'<!doctype html><html><head><title>ssi2</title></head>\n'
                b'<!--#include virtual="/banner/ssi/open.txt" -->\n<p>x</p></body></html>\n')
SSI_OPEN = b'<body class="from-include">'
SSI_INC_EXPECTED = (b'<!doctype html><html><head><title>ssi2</title></head>\n' + SSI_OPEN +
                    b'\n<p>x</p></body></html>\n')

BUCKETEER_TAG = b'<body class="b">'
BUCKETEER_HEAD = b'<!doctype html><html><head><title>bk</title></head>\n'
BUCKETEER_REST = b'\n<p>split</p></body></html>\n'
BUCKETEER_CHARS = {"bucket": b"\x02", "flush": b"\x06", "pass": b"\x10"}


def bucketeer_page(pos, ctl):
    tag = BUCKETEER_TAG[:pos] + ctl + BUCKETEER_TAG[pos:]
    return BUCKETEER_HEAD + tag + BUCKETEER_REST


# A decoy comment and the real tag, every byte in its own bucket, passed down one at a time.
BUCKETEER_DECOY_PLAIN = (b'<html><head><!-- <body class="decoy"> --><script>"<body>"</script>'
                         b'</head>'
                         b'<body class="b">\n<p>x</p></body></html>\n')


def build_banner_site(site):
    """Writes the /banner/ tree into the shared test site."""
    b = site / "htdocs" / "banner"
    files = {
        "page.html": PAGE,
        "nobody.html": NOBODY,
        "upper.html": UPPER,
        "gtattr.html": GTATTR,
        "page.xhtml": XHTML,
        "data.json": b'{"html": "<body class=\\"json\\">"}\n',
        "image.png": b'\x89PNG\r\n\x1a\n<body class="png">' + bytes(range(256)),
        "plain.txt": b'<html><body class="txt">plain text</body></html>\n',
        "big.html": big_page(BIG_SIZE),
        "deflate/page.html": PAGE,
        "cspheader/page.html": PAGE,
        "bannoff/page.html": PAGE,
        "ccoff/page.html": PAGE,
        "errors/404.html": PAGE,
        "errdoc/exists.html": PAGE,
        "ssi/index.shtml": SSI_MAIN,
        "ssi/part.html": SSI_PART,
        "ssi/inc.shtml": SSI_INC_MAIN,
        "ssi/open.txt": SSI_OPEN,
        "bucketeer/decoy.html": b"\x10".join(bytes([c]) for c in BUCKETEER_DECOY_PLAIN),
        "bucketeer/every.html": b"\x02".join(bytes([c]) for c in PAGE),
    }
    for name, decoy in DECOYS.items():
        files["decoy-%s.html" % name] = decoy_page(decoy)
    for kind, ctl in BUCKETEER_CHARS.items():
        for pos in range(len(BUCKETEER_TAG) + 1):
            files["bucketeer/%s-%02d.html" % (kind, pos)] = bucketeer_page(pos, ctl)
    execs = {
        "cgi/page.cgi": cgi_page(PAGE),
        "cgi/length.cgi": cgi_page(PAGE, ["Content-Type: text/html",
                                          "Content-Length: %d" % len(PAGE)]),
        "cgi/nobody.cgi": cgi_page(NOBODY),
        "cgi/vary.cgi": cgi_page(PAGE, ["Content-Type: text/html", "Vary: Origin"]),
        "cgi/bytewise.cgi": BYTEWISE_CGI,
        "cgi/stream.cgi": STREAM_CGI,
        "ccoff/stream.cgi": STREAM_CGI,
        "cgi/stream-nobody.cgi": STREAM_NOBODY_CGI,
        "cgi/big.cgi": cgi_page(big_page(BIG_SIZE)),
        "cgi/json.cgi": cgi_page(b'{"a": "<body>"}', ["Content-Type: application/json"]),
        "cgi/csp-script.cgi": cgi_page(PAGE, ["Content-Type: text/html",
                                              "Content-Security-Policy: script-src 'nonce-abc'"]),
        "cgi/csp-both.cgi": cgi_page(PAGE, [
            "Content-Type: text/html",
            "Content-Security-Policy: default-src 'self'; style-src 'self' 'nonce-st1'; "
            "script-src 'self' 'nonce-sc2' 'strict-dynamic'"]),
        "cgi/csp-none.cgi": cgi_page(PAGE, ["Content-Type: text/html",
                                            "Content-Security-Policy: default-src 'self'"]),
        "deflate/page.cgi": cgi_page(PAGE),
    }
    for rel, data in files.items():
        p = b / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
        p.chmod(0o644)
    for rel, text in execs.items():
        p = b / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
        p.chmod(0o755)
    for d in [b] + [p for p in b.rglob("*") if p.is_dir()]:
        d.chmod(0o755)
    return b


def register_backend_pages(pages):
    gz = gzip.compress(PAGE)
    pages.update({
        "chunked": {"headers": [("Content-Type", "text/html; charset=utf-8")], "body": PAGE,
                    "chunked": True, "chunk": 5},
        "length": {"headers": [("Content-Type", "text/html; charset=utf-8"),
                               ("ETag", '"backend-v1"')], "body": PAGE},
        "vary": {"headers": [("Content-Type", "text/html"), ("Vary", "Origin")], "body": PAGE},
        "gzip": {"headers": [("Content-Type", "text/html"), ("Content-Encoding", "gzip"),
                             ("Vary", "Accept-Encoding")], "body": gz},
        "json": {"headers": [("Content-Type", "application/json")],
                 "body": b'{"html": "<body class=\\"json\\">"}'},
        "nobody": {"headers": [("Content-Type", "text/html")], "body": NOBODY},
        "csp": {"headers": [("Content-Type", "text/html"),
                            ("Content-Security-Policy", "script-src 'nonce-Zm9vYmFy'")],
                "body": PAGE},
    })


# --------------------------------------------------------------------------------------------------
# The raw HTTP/1.1 client is rawhttp's: raw_request(port, method, path, headers=(), timeout=20)
# returns the one response, whose body is exactly what the framing says or the test fails, with
# `.framing` ("length", "chunked", "none" or "close") and `.elapsed` (seconds to the end);
# timed_chunks(port, path, headers=(), timeout=20) the raw stream as it arrives.
raw_request = rawhttp.framed_request
timed_chunks = rawhttp.timed_chunks


def arrival(chunks, needle):
    """Seconds after which the raw stream contained needle (None if never)."""
    acc = b""
    for t, c in chunks:
        acc += c
        if needle in acc:
            return t
    return None


# --------------------------------------------------------------------------------------------------
# The snippet
SNIPPET_START = b'<link rel="stylesheet" href="/cookieconsent/assets/cookieconsent.css'
# The banner ends with the <template> of the settings button it gives way to; the button alone
# with its form.
BANNER_END = b"</template></div>"
SNIPPET_END = b"</form></div>"


def find_snippet(body):
    """(start, snippet) of the one injected snippet; fails unless there is exactly one."""
    n = body.count(SNIPPET_START)
    assert n == 1, "expected the snippet exactly once, found it %d times in %r" % (n, body[:3000])
    start = body.index(SNIPPET_START)
    root = body.find(b"</script>", start) + len(b"</script>")
    banner = body.startswith(b'<div id="cc-banner"', root)
    end_mark = BANNER_END if banner else SNIPPET_END
    end = body.find(end_mark, start)
    assert end > 0, "snippet does not end with %r: %r" % (end_mark, body[start:start + 3000])
    return start, body[start:end + len(end_mark)]


def injection_point(body, orig):
    """Offset in orig where the snippet was inserted; asserts that body is orig plus the snippet
    and nothing else changed."""
    start, snippet = find_snippet(body)
    rebuilt = body[:start] + body[start + len(snippet):]
    assert rebuilt == orig, ("the page around the snippet was altered:\nexpected %r\ngot      %r"
                             % (orig[:2000], rebuilt[:2000]))
    return start


def after(orig, tag):
    return orig.index(tag) + len(tag)


def assert_injected_after(body, orig, tag):
    at = injection_point(body, orig)
    want = after(orig, tag)
    assert at == want, ("snippet at offset %d, expected right after %r (offset %d): %r"
                        % (at, tag, want, body[max(0, at - 80):at + 80]))
    return find_snippet(body)[1]


def assert_untouched(resp, orig):
    assert SNIPPET_START not in resp.body and b"cc-banner" not in resp.body, resp
    assert resp.body == orig, resp


def is_banner(snippet):
    """The banner: the settings button only in its <template> (for after a choice in the page)."""
    outside = re.sub(rb"<template>.*?</template>", b"", snippet, flags=re.S)
    return b'<div id="cc-banner"' in snippet and b"cc-manage" not in outside


def is_manage(snippet):
    return b'class="cc-root cc-manage"' in snippet and b'id="cc-banner"' not in snippet


def return_value(snippet):
    m = re.findall(rb'<input type="hidden" name="return" value="([^"]*)">', snippet)
    assert len(m) == 1, snippet
    return m[0]
