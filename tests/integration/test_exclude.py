"""Issue 7, item 15: excluding WordPress pretty URLs (CookieConsentExclude).

WordPress's .htaccess sends every URL that is not a file or a directory to index.php with an
internal redirect, so `<Location /wp/2026>` is matched against /wp/index.php and never applies.
Here a real mod_rewrite does that: /wp/ has WordPress's .htaccess (AllowOverride FileInfo) and an
index.php that is a CGI script (#!/bin/sh), which sets three cookies and prints the URI and the
Cookie header it was given in an HTML page.

CookieConsentExclude matches the path the visitor asked for (decoded and normalized by httpd,
without the query string). Against the original module, which has no such directive, the
instance falls back to what the issue's reporter wrote (<Location> blocks), so there the tests
reproduce the bug (banner and enforcement on the "excluded" pretty URLs) instead of failing to
start.
"""
import pytest

from banner_helpers import SNIPPET_START, find_snippet, is_banner
from cc_helpers import cookie_names, get, parse_set_cookie, post_consent, request, state

HTACCESS = r"""# BEGIN WordPress
<IfModule mod_rewrite.c>
RewriteEngine On
RewriteRule .* - [E=HTTP_AUTHORIZATION:%{HTTP:Authorization}]
RewriteBase /wp/
RewriteRule ^index\.php$ - [L]
RewriteCond %{REQUEST_FILENAME} !-f
RewriteCond %{REQUEST_FILENAME} !-d
RewriteRule . /wp/index.php [L]
</IfModule>
# END WordPress
"""

# What WordPress's front controller does here: set a statistical, an undeclared and a necessary
# cookie, and show which URL it is rendering and which cookies it was given.
INDEX_PHP = r"""#!/bin/sh
printf 'Content-Type: text/html; charset=utf-8\r\n'
printf 'Set-Cookie: _pk_id.1.wp=id1; Path=/\r\n'
printf 'Set-Cookie: wp_tracker=t1; Path=/\r\n'
printf 'Set-Cookie: sessionid=s1; Path=/; HttpOnly\r\n'
printf '\r\n'
printf '<!doctype html>\n<html><head><title>WordPress</title></head>\n<body class="wp">\n'
printf '<p id="script">%s</p>\n<p id="uri">%s</p>\n' "$SCRIPT_NAME" "$REQUEST_URI"
printf '<p id="cookie">%s</p>\n</body></html>\n' "$HTTP_COOKIE"
"""
SET = ["_pk_id.1.wp", "wp_tracker", "sessionid"]
HELD = "sessionid=s0; _pk_id.1.held=1; wp_tracker=2"


def wp_extra(htdocs):
    return f"""\
<Directory "{htdocs}/wp">
    AllowOverride FileInfo
    Options +ExecCGI
    AddHandler cgi-script .php
    DirectoryIndex index.php
    # a real file: not rewritten, so <Files> (or <Location>, <Directory>) works for it
    <Files wp-login.php>
        CookieConsentBanner Off
    </Files>
</Directory>
<IfDirective CookieConsentExclude>
    CookieConsentExclude banner /wp/2026/*
    CookieConsentExclude all /wp/checkout /wp/checkout/*
    # never applies to the module's own URLs
    CookieConsentExclude all /cookieconsent/*
</IfDirective>
<IfDirective !CookieConsentExclude>
    # the original module: what the issue's reporter wrote
    <Location /wp/2026>
        CookieConsentBanner Off
    </Location>
    <Location /wp/checkout>
        CookieConsent Off
    </Location>
</IfDirective>
# matched against /wp/index.php for pretty URLs: never applies to them
<Location /wp/2025>
    CookieConsentBanner Off
</Location>
# the request line is copied to the internal redirect: this works (on the raw request line)
<If "%{{THE_REQUEST}} =~ m#^GET /wp/wp-admin/#">
    CookieConsentBanner Off
</If>
# REQUEST_URI is the redirected request's own: /wp/index.php
<If "%{{REQUEST_URI}} =~ m#^/wp/2024/#">
    CookieConsentBanner Off
</If>
# the README's form: any method
<If "%{{THE_REQUEST}} =~ m#^\\S+ /wp/my-account/#">
    CookieConsentBanner Off
</If>
"""

# The first one is the default for 127.0.0.1; shop.test adds an exclusion to the server's.
VHOSTS = """\
<VirtualHost 127.0.0.1:@PORT@>
    ServerName 127.0.0.1
</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName shop.test
    <IfDirective CookieConsentExclude>
        CookieConsentExclude banner /wp/shop/*
    </IfDirective>
</VirtualHost>
"""


@pytest.fixture(scope="module")
def wp(start_apache, site):
    htdocs = site / "htdocs"
    d = htdocs / "wp"
    d.mkdir(exist_ok=True)
    (d / ".htaccess").write_text(HTACCESS)
    for name in ("index.php", "wp-login.php"):
        (d / name).write_text(INDEX_PHP)
        (d / name).chmod(0o755)
    for p in [d] + list(d.iterdir()):
        p.chmod(0o755 if p.is_dir() or p.suffix == ".php" else 0o644)
    inst = start_apache("wordpress", extra=wp_extra(htdocs), vhosts=VHOSTS)
    yield inst
    inst.stop()
    assert not inst.crashes, "\n".join(inst.crashes)


def page(wp, path, cookie=HELD, method="GET", host=None):
    r = request(wp.port, method, path, [("Cookie", cookie)] if cookie else [], host=host)
    assert r.status == 200, r
    return r


def app_saw(r):
    """The script WordPress ran, the URI it rendered and the cookies it was given."""
    body = r.text()

    def field(name):
        start = body.index('<p id="%s">' % name) + len('<p id="%s">' % name)
        return body[start:body.index("</p>", start)]
    return field("script"), field("uri"), cookie_names(field("cookie"))


def set_names(r):
    return [c.name for c in map(parse_set_cookie, r.set_cookies) if not c.is_expiry]


def expired(r):
    return sorted(c.name for c in r.expiries())


def assert_banner_and_enforcement(r):
    assert is_banner(find_snippet(r.body)[1]), r
    assert set_names(r) == ["sessionid"], r.set_cookies
    assert expired(r) == ["_pk_id.1.held", "wp_tracker"], r.set_cookies
    assert app_saw(r)[2] == ["sessionid"], r.text()


def assert_no_banner(r):
    assert SNIPPET_START not in r.body and b"cc-banner" not in r.body, r


# --- the setting: WordPress's rewrite really is an internal redirect to /wp/index.php ------------
@pytest.mark.parametrize("path", ["/wp/shop/", "/wp/2026/12/hello/", "/wp/checkout/",
                                  "/wp/wp-admin/edit.php"])
def test_pretty_urls_are_rendered_by_index_php(wp, path):
    script, uri, _ = app_saw(page(wp, path))
    assert (script, uri) == ("/wp/index.php", path)


def test_other_pretty_urls_get_the_banner_and_enforcement(wp):
    assert_banner_and_enforcement(page(wp, "/wp/shop/"))
    assert_banner_and_enforcement(page(wp, "/wp/2026"))     # /wp/2026/* needs the slash


# --- CookieConsentExclude banner ---------------------------------------------------------------
@pytest.mark.parametrize("path", ["/wp/2026/12/hello/", "/wp/2026/12/hello/?replytocom=3"])
def test_exclude_banner_removes_the_banner_only(wp, path):
    """Before: <Location /wp/2026> CookieConsentBanner Off never matched, the banner was there."""
    r = page(wp, path)
    assert_no_banner(r)
    # enforcement stays
    assert set_names(r) == ["sessionid"], r.set_cookies
    assert expired(r) == ["_pk_id.1.held", "wp_tracker"], r.set_cookies
    assert app_saw(r)[2] == ["sessionid"], r.text()


def injected_headers(r):
    """A page that gets the banner varies on Cookie (a HEAD too: it gets the GET's headers; the
    Content-Length of a CGI page depends on how its output arrives, so it is no signal)."""
    return "Cookie" in (r.header("Vary") or "")


def test_exclude_banner_head_agrees_with_get(wp):
    g = page(wp, "/wp/2026/12/hello/")
    h = page(wp, "/wp/2026/12/hello/", method="HEAD")
    assert not injected_headers(g) and not injected_headers(h), (g, h)
    assert injected_headers(page(wp, "/wp/shop/", method="HEAD"))


def test_a_vhost_adds_its_exclusions_to_the_servers(wp):
    assert_no_banner(page(wp, "/wp/shop/", host="shop.test"))
    assert_no_banner(page(wp, "/wp/2026/12/hello/", host="shop.test"))
    assert set_names(page(wp, "/wp/checkout/", host="shop.test")) == SET
    assert_banner_and_enforcement(page(wp, "/wp/2025/x/", host="shop.test"))
    assert_banner_and_enforcement(page(wp, "/wp/shop/"))


# --- CookieConsentExclude all ------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/wp/checkout", "/wp/checkout/", "/wp/checkout/pay/?step=2"])
def test_exclude_all_switches_the_module_off(wp, path):
    """Before: <Location /wp/checkout> CookieConsent Off never matched: cookies were removed."""
    r = page(wp, path)
    assert_no_banner(r)
    assert set_names(r) == SET, r.set_cookies
    assert r.expiries() == [], r.set_cookies
    assert app_saw(r)[2] == ["sessionid", "_pk_id.1.held", "wp_tracker"], r.text()


@pytest.mark.parametrize("path", ["/wp/shop/../checkout/", "/wp/%63heckout/", "/wp//checkout/",
                                  "/wp/./checkout/"])
def test_exclude_matches_the_normalized_path(wp, path):
    """httpd decodes and normalizes the path before anything else sees it; so do the patterns."""
    r = page(wp, path)
    assert set_names(r) == SET, r.set_cookies


@pytest.mark.parametrize("path", ["/wp/checkout/../shop/", "/wp/shop/?next=/wp/checkout/",
                                  "/wp/checkout-old/", "/wp/shop/wp/checkout/"])
def test_exclude_is_not_fooled(wp, path):
    """A link cannot switch enforcement off for a page outside the patterns: dot segments are
    resolved first, the query string is not part of the path, patterns match the whole path."""
    assert_banner_and_enforcement(page(wp, path))


def test_exclude_never_applies_to_the_endpoint(wp):
    """CookieConsentExclude all /cookieconsent/* is ignored: a withdrawal still expires the
    cookies it refuses, and the state is served."""
    r = post_consent(wp.port, "reject-all", ret="/wp/", cookie="_pk_id.1.held=1")
    assert r.status == 303, r
    assert [c.name for c in r.expiries()] == ["_pk_id.1.held"], r.set_cookies
    assert state(wp.port)["decided"] is False


# --- the other forms the README documents ------------------------------------------------------
def test_location_does_not_match_pretty_urls(wp):
    """<Location /wp/2025> is matched against /wp/index.php: the banner stays (README)."""
    assert_banner_and_enforcement(page(wp, "/wp/2025/01/old-post/"))


def test_if_request_uri_does_not_match_pretty_urls(wp):
    """%{REQUEST_URI} in the redirected request is /wp/index.php (README)."""
    assert_banner_and_enforcement(page(wp, "/wp/2024/05/older/"))


def test_if_the_request_matches_pretty_urls(wp):
    """<If "%{THE_REQUEST} =~ m#^GET /wp/wp-admin/#"> sees the request line the visitor sent,
    also in the redirected request: no banner, enforcement stays."""
    r = page(wp, "/wp/wp-admin/edit.php")
    assert_no_banner(r)
    assert set_names(r) == ["sessionid"], r.set_cookies


def test_if_the_request_any_method(wp):
    """The README's form, m#^\\S+ /wp/my-account/#: HEAD gets the headers of the GET."""
    g = page(wp, "/wp/my-account/orders/")
    assert_no_banner(g)
    h = page(wp, "/wp/my-account/orders/", method="HEAD")
    assert not injected_headers(g) and not injected_headers(h), (g, h)


def test_if_the_request_sees_the_raw_request_line(wp):
    """...but the raw line: not HEAD or POST with that regex, and a dot segment fools it."""
    g = page(wp, "/wp/wp-admin/edit.php")
    h = page(wp, "/wp/wp-admin/edit.php", method="HEAD")
    assert not injected_headers(g) and injected_headers(h), (g, h)
    r = page(wp, "/wp/wp-admin/../shop/")
    assert app_saw(r)[1] == "/wp/wp-admin/../shop/"
    assert_no_banner(r)


def test_files_works_for_real_files(wp):
    r = page(wp, "/wp/wp-login.php")
    assert app_saw(r)[:2] == ("/wp/wp-login.php", "/wp/wp-login.php")
    assert_no_banner(r)
    assert set_names(r) == ["sessionid"], r.set_cookies
