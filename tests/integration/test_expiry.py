"""Expiry of refused cookies the browser holds:
`NAME=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/[; Domain=D][; Secure]`."""
import time

import pytest

from cc_helpers import sign, KEPT_UNDECIDED, conditional_requests, get, h2_request, obtain_consent, \
    request


def check_expiry(e, path="/", domain=None, secure=False):
    assert e.value == "", e
    assert e.max_age == 0, e
    assert e.expires_ts is not None and e.expires_ts < time.time() - 86400, e
    assert e.attrs.get("path") == path, e
    assert e.domain == domain, e
    assert e.secure == secure, e


def by_domain(exps):
    return {e.domain: e for e in exps}


def test_held_optional_cookie_is_expired(apache):
    r = get(apache.port, "/index.html", cookie="_pk_id.1.abcd=v1")
    assert r.status == 200
    exps = r.expiries("_pk_id.1.abcd")
    assert len(exps) == 1, r.set_cookies
    check_expiry(exps[0])
    assert len(r.set_cookies) == 1, r.set_cookies


def test_held_undeclared_cookie_is_expired(apache):
    r = get(apache.port, "/index.html", cookie="tracker=1")
    exps = r.expiries("tracker")
    assert len(exps) == 1, r.set_cookies
    check_expiry(exps[0])


def test_every_held_refused_cookie_gets_one(apache):
    r = get(apache.port, "/index.html", cookie="_pk_id.1.abcd=1; _pk_ses.1.abcd=2; tracker=3")
    assert sorted(e.name for e in r.expiries()) == ["_pk_id.1.abcd", "_pk_ses.1.abcd", "tracker"]


def test_consent_and_necessary_cookies_never_expired(apache):
    for consent in ("garbage", sign("2.000000000000.1.AAAAAAAAAAAAAAAAAAAAAA.-"),
                    "1.000000000000.1.AAAAAAAAAAAAAAAAAAAAAA.-",
                    obtain_consent(apache.port, "reject-all")):
        r = get(apache.port, "/index.html",
                cookie="cookieconsent=%s; csrftoken=a; sessionid=b; _pk_id.1.abcd=c" % consent)
        names = [e.name for e in r.expiries()]
        assert names == ["_pk_id.1.abcd"], (consent, r.set_cookies)


def test_accepted_cookie_not_expired(apache):
    ck = "cookieconsent=%s; _pk_id.1.abcd=c" % obtain_consent(apache.port)
    r = get(apache.port, "/index.html", cookie=ck)
    assert r.expiries() == [], r.set_cookies


def test_domain_variant_for_declared_domain(apache):
    r = get(apache.port, "/index.html", cookie="_shop_uid=1", host="www.shop.test")
    exps = by_domain(r.expiries("_shop_uid"))
    assert set(exps) == {None, "shop.test"}, r.set_cookies
    check_expiry(exps[None])
    check_expiry(exps["shop.test"], domain="shop.test")


def test_domain_variant_for_the_domain_itself(apache):
    r = get(apache.port, "/index.html", cookie="_shop_uid=1", host="shop.test")
    assert set(by_domain(r.expiries("_shop_uid"))) == {None, "shop.test"}, r.set_cookies


@pytest.mark.parametrize("host", ["www.other.test", "notshop.test", "127.0.0.1"])
def test_no_domain_variant_for_other_hosts(apache, host):
    r = get(apache.port, "/index.html", cookie="_shop_uid=1", host=host)
    exps = r.expiries("_shop_uid")
    assert [e.domain for e in exps] == [None], r.set_cookies


def test_declared_path(apache):
    r = get(apache.port, "/index.html", cookie="_cart_items=3")
    exps = r.expiries("_cart_items")
    assert len(exps) == 1, r.set_cookies
    check_expiry(exps[0], path="/shop")


def test_secure_prefix_gets_secure(apache):
    r = get(apache.port, "/index.html", cookie="__Secure-x=1")
    exps = r.expiries("__Secure-x")
    assert len(exps) == 1, r.set_cookies
    check_expiry(exps[0], secure=True)


def test_secure_prefix_with_domain(apache):
    r = get(apache.port, "/index.html", cookie="__Secure-shopid=1", host="www.shop.test")
    exps = by_domain(r.expiries("__Secure-shopid"))
    assert set(exps) == {None, "shop.test"}, r.set_cookies
    check_expiry(exps[None], secure=True)
    check_expiry(exps["shop.test"], domain="shop.test", secure=True)


def test_host_prefix_secure_and_no_domain(apache):
    r = get(apache.port, "/index.html", cookie="__Host-shopid=1", host="www.shop.test")
    exps = r.expiries("__Host-shopid")
    assert len(exps) == 1, r.set_cookies
    check_expiry(exps[0], secure=True)


@pytest.mark.parametrize("path,status", [
    ("/nonexistent.html", 404), ("/proxy/set/length", 200), ("/proxy/set/chunked", 200),
    ("/proxy/set/notfound", 404), ("/cgi-bin/setcookies.cgi", 200),
    ("/cgi-bin/status500.cgi", 500), ("/cgifail/broken.cgi", 500),
    ("/errdoc/missing.html", 404), ("/errcgi/missing.html", 404), ("/hdr/index.html", 200),
], ids=["local-404", "proxy-length", "proxy-chunked", "proxy-404", "cgi", "cgi-status-500",
        "cgi-broken-500", "errordocument-file", "errordocument-cgi", "static-headers"])
def test_expiry_on_every_kind_of_response(apache, path, status):
    r = get(apache.port, path, cookie="_pk_id.1.abcd=1")
    assert r.status == status, r
    exps = r.expiries("_pk_id.1.abcd")
    assert len(exps) == 1, r.set_cookies
    check_expiry(exps[0])


def test_expiry_replaces_app_cookie_of_same_name(apache):
    """The app sets _pk_id.1.abcd and the browser holds it: the app's value never goes out."""
    r = get(apache.port, "/cgi-bin/setcookies.cgi", cookie="_pk_id.1.abcd=old")
    assert r.non_expiry_set_cookies() == KEPT_UNDECIDED, r.set_cookies
    assert len(r.expiries("_pk_id.1.abcd")) == 1, r.set_cookies


def test_expiry_on_304(apache):
    cond = conditional_requests(apache.port)
    r = get(apache.port, "/always/index.html", cookie="_pk_id.1.abcd=1", headers=cond[:1])
    assert r.status == 304, r
    assert len(r.expiries("_pk_id.1.abcd")) == 1, r.set_cookies


def test_expiry_on_head_and_h2c(apache):
    r = request(apache.port, "HEAD", "/index.html", [("Cookie", "_pk_id.1.abcd=1")])
    assert len(r.expiries("_pk_id.1.abcd")) == 1, r.set_cookies
    r = h2_request(apache.port, "/index.html", headers=[("Cookie", "_pk_id.1.abcd=1")])
    assert r.version == "HTTP/2"
    assert len(r.expiries("_pk_id.1.abcd")) == 1, r.set_cookies


def test_expiry_held_cookie_sent_in_several_headers(apache):
    r = request(apache.port, "GET", "/index.html",
                [("Cookie", "csrftoken=1"), ("Cookie", "_pk_id.1.abcd=1"), ("Cookie", "tracker=2")])
    assert sorted(e.name for e in r.expiries()) == ["_pk_id.1.abcd", "tracker"], r.set_cookies


@pytest.mark.parametrize("others", [0, 3, 40])
def test_a_name_held_twice_is_expired_once(apache, others):
    """A browser can hold a name twice (host-only and for the parent domain, or two paths): one
    expiry header per variant, not one per copy; with a few cookies or with many."""
    names = ["other%d" % i for i in range(others)]
    pairs = ["_pk_id.1.abcd=a", "sessionid=s"] + ["%s=%d" % (n, i) for i, n in enumerate(names)]
    pairs += ["_pk_id.1.abcd=b", "tracker=1", "tracker=2"]
    r = get(apache.port, "/index.html", cookie="; ".join(pairs))
    assert r.status == 200, r
    for name in ["_pk_id.1.abcd", "tracker"] + names:
        exps = r.expiries(name)
        assert len(exps) == 1, (name, r.set_cookies)
        check_expiry(exps[0])
    assert not r.expiries("sessionid"), r.set_cookies
    assert len(r.set_cookies) == 2 + others, r.set_cookies
