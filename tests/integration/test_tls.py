"""Over HTTPS the consent cookie and every expiry carry Secure."""
import urllib.parse

import pytest

from cc_helpers import KEPT_UNDECIDED, consent_from, consent_parts

FORM = [("Content-Type", "application/x-www-form-urlencoded")]


@pytest.fixture(scope="module")
def tls(start_apache):
    inst = start_apache("tls", tls=True)
    yield inst
    inst.stop()


def test_tls_filters_set_cookie(tls):
    r = tls.https("GET", "/hdr/index.html")
    assert r.status == 200, r
    assert r.set_cookies == KEPT_UNDECIDED, r


def test_tls_consent_cookie_is_secure(tls):
    body = urllib.parse.urlencode({"action": "accept-all", "return": "/back"})
    r = tls.https("POST", "/cookieconsent/consent", FORM, body)
    assert r.status == 303 and r.header("Location") == "/back", r
    c = consent_from(r)
    assert consent_parts(c.value)["cats"] == "statistical"
    assert c.secure, c
    assert c.attrs.get("samesite", "").lower() == "lax" and c.attrs.get("path") == "/"


def test_tls_expiry_is_secure(tls):
    r = tls.https("GET", "/index.html", [("Cookie", "_pk_id.1.abcd=1; tracker=2")])
    exps = r.expiries()
    assert sorted(e.name for e in exps) == ["_pk_id.1.abcd", "tracker"], r.set_cookies
    assert all(e.secure for e in exps), r.set_cookies


def test_tls_same_origin_and_cross_scheme(tls):
    body = urllib.parse.urlencode({"action": "reject-all", "return": "/"})
    ok = tls.https("POST", "/cookieconsent/consent",
                   FORM + [("Origin", "https://127.0.0.1:%d" % tls.port)], body)
    assert ok.status == 303, ok
    bad = tls.https("POST", "/cookieconsent/consent",
                    FORM + [("Origin", "http://127.0.0.1:%d" % tls.port)], body)
    assert bad.status == 403, bad
