"""A consent cookie named __Host-... or __Secure-... (issue 7, item 16): browsers drop such a cookie
without Secure, so it always gets Secure, even when Apache sees plain HTTP (a TLS-terminating proxy
in front); a server that has no TLS by the documented rule gets a startup warning."""
import re

import pytest

from cc_helpers import consent_from, consent_parts, parse_set_cookie, post_consent

FORM = [("Content-Type", "application/x-www-form-urlencoded")]
WARNING = "prefix makes browsers refuse the consent cookie unless it comes over HTTPS"

VHOSTS = """\
<VirtualHost 127.0.0.1:@PORT@>
    ServerName plain.test
</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName https://proxied.test
</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName unprefixed.test
    CookieConsentChoiceCookie cookieconsent
</VirtualHost>
"""


@pytest.fixture(scope="module")
def host_http(start_apache):
    inst = start_apache("prefix-host", extra="CookieConsentChoiceCookie __Host-cc\n",
                        vhosts=VHOSTS)
    yield inst
    inst.stop()


@pytest.fixture(scope="module")
def secure_http(start_apache):
    inst = start_apache("prefix-secure", extra="CookieConsentChoiceCookie __Secure-cc 30d\n")
    yield inst
    inst.stop()


@pytest.fixture(scope="module")
def host_tls(start_apache):
    inst = start_apache("prefix-tls", tls=True, extra="CookieConsentChoiceCookie __Host-cc\n")
    yield inst
    inst.stop()


def directive_line(inst, text):
    lines = inst.conf_path.read_text(encoding="utf-8").splitlines()
    return "%s:%d" % (inst.conf_path, lines.index(text) + 1)


def warnings(inst):
    return [l for l in inst.error_log().splitlines() if WARNING in l]


def test_host_prefix_consent_cookie_is_secure_on_plain_http(host_http):
    r = post_consent(host_http.port, "accept-all", ret="/", host="plain.test")
    assert r.status == 303, r
    c = consent_from(r, "__Host-cc")
    assert consent_parts(c.value)["cats"] == "statistical"
    assert c.secure, c
    assert c.attrs.get("path") == "/" and "domain" not in c.attrs, c
    assert c.attrs.get("samesite", "").lower() == "lax", c
    assert re.fullmatch(r"__Host-cc=[^;]+; Path=/; Max-Age=\d+; SameSite=Lax; Secure", c.raw), c


def test_secure_prefix_consent_cookie_is_secure_on_plain_http(secure_http):
    r = post_consent(secure_http.port, "reject-all", ret="/")
    assert r.status == 303, r
    c = consent_from(r, "__Secure-cc")
    assert consent_parts(c.value)["cats"] == "-"
    assert c.secure and c.max_age == 30 * 86400 and "domain" not in c.attrs, c


def test_unprefixed_consent_cookie_stays_without_secure_on_plain_http(host_http):
    # control: the override in unprefixed.test is an ordinary name, plain HTTP gives no Secure
    r = post_consent(host_http.port, "accept-all", ret="/", host="unprefixed.test")
    c = consent_from(r, "cookieconsent")
    assert not c.secure, c
    # and the prefixed one really is Secure on the same instance
    assert consent_from(post_consent(host_http.port, "accept-all", ret="/",
                                     host="plain.test"), "__Host-cc").secure


def test_startup_warning_names_server_vhost_and_directive(host_http, host_tls):
    where = directive_line(host_http, "CookieConsentChoiceCookie __Host-cc")
    vhost_line = directive_line(host_http, "<VirtualHost 127.0.0.1:%d>" % host_http.port)
    ws = warnings(host_http)
    plain = [w for w in ws if "virtual host plain.test:%d" % host_http.port in w]
    assert len(plain) == 1, ws                            # once, not once per config pass
    w = plain[0]
    assert "[cookieconsent:warn]" in w, w
    assert "CookieConsentChoiceCookie __Host-cc (%s)" % where in w, w
    assert "(%s)" % vhost_line in w, w                  # the <VirtualHost> of plain.test
    assert "no TLS" in w and "__Host-" in w, w
    main = [w for w in ws if "main server" in w]
    assert len(main) == 1, ws
    # ServerName https://... (TLS ends at a proxy) and an unprefixed name: no warning
    assert not [w for w in ws if "proxied.test" in w or "unprefixed.test" in w], ws
    assert len(ws) == 2, ws
    # the TLS instance (Listen ... https): no warning, and the cookie is Secure there too
    assert warnings(host_tls) == [], host_tls.error_log()
    body = "action=accept-all&return=/"
    r = host_tls.https("POST", "/cookieconsent/consent", FORM, body)
    c = consent_from(r, "__Host-cc")
    assert c.secure and c.attrs.get("path") == "/" and "domain" not in c.attrs, c


def test_config_test_shows_the_warning(conf_test):
    p = conf_test(extra="CookieConsentChoiceCookie __Secure-consent\n")
    out = p.stdout + p.stderr
    assert p.returncode == 0, out
    assert WARNING in out and "__Secure-consent" in out, out
    assert "CookieConsentChoiceCookie __Secure-consent (%s:" % p.conf_path in out, out
    ok = conf_test(extra="CookieConsentChoiceCookie __Secure-consent\n", tls=True)
    assert ok.returncode == 0 and WARNING not in ok.stdout + ok.stderr, ok.stderr

