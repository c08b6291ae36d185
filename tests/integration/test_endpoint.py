"""The consent endpoint: POST /cookieconsent/consent and GET /cookieconsent/state."""
import time

import pytest

from cc_helpers import DEFAULT_LIFETIME, KEPT_STATISTICAL, KEPT_UNDECIDED, cgi_env, \
    consent_from, consent_parts, cookie_names, get, obtain_consent, parse_set_cookie, \
    post_consent, request, state


def test_accept_all_redirects_and_sets_consent_cookie(apache):
    t0 = int(time.time())
    r = post_consent(apache.port, "accept-all", ret="/shop/cart?step=2")
    assert r.status == 303, r
    assert r.header("Location") == "/shop/cart?step=2"
    c = consent_from(r)
    p = consent_parts(c.value)
    assert p["cats"] == "statistical"
    assert t0 - 5 <= int(p["time"]) <= time.time() + 5
    assert c.attrs.get("path") == "/"
    assert c.max_age == DEFAULT_LIFETIME
    assert c.attrs.get("samesite", "").lower() == "lax"
    assert "httponly" not in c.flags          # the site's JavaScript may read the choice
    assert "secure" not in c.flags            # plain HTTP


def test_consent_ids_are_random_and_fingerprint_stable(apache):
    a = consent_parts(obtain_consent(apache.port))
    b = consent_parts(obtain_consent(apache.port))
    assert a["id"] != b["id"]
    assert a["fp"] == b["fp"]


def test_accept_all_then_optional_cookies_pass(apache):
    ck = "cookieconsent=" + obtain_consent(apache.port)
    for path in ("/hdr/index.html", "/always/index.html", "/cgi-bin/setcookies.cgi",
                 "/proxy/set/chunked", "/proxy/set/length", "/errdoc/missing.html"):
        r = get(apache.port, path, cookie=ck)
        assert r.set_cookies == KEPT_STATISTICAL, (path, r)   # tracker is undeclared: still refused


def test_reject_all(apache):
    r = post_consent(apache.port, "reject-all", ret="/")
    assert r.status == 303, r
    v = consent_from(r).value
    assert consent_parts(v)["cats"] == "-"
    ck = "cookieconsent=" + v
    r = get(apache.port, "/hdr/index.html", cookie=ck)
    assert r.set_cookies == KEPT_UNDECIDED, r
    s = state(apache.port, cookie=ck)
    assert s["decided"] is True and s["source"] == "banner"
    assert s["accepted"] == ["necessary"] and s["refused"] == ["statistical"]


@pytest.mark.parametrize("cats,expected", [
    (["statistical"], "statistical"),
    ([], "-"),
    (["necessary"], "-"),                      # required ones are always on, not stored
    (["marketing", "statistical", "bogus"], "statistical"),   # unknown ones ignored
    (["marketing"], "-"),
    (["statistical", "statistical"], "statistical"),
])
def test_save(apache, cats, expected):
    r = post_consent(apache.port, "save", cats, ret="/")
    assert r.status == 303, r
    v = consent_from(r).value
    assert consent_parts(v)["cats"] == expected
    r = get(apache.port, "/cgi-bin/setcookies.cgi", cookie="cookieconsent=" + v)
    assert r.set_cookies == (KEPT_STATISTICAL if expected == "statistical" else KEPT_UNDECIDED)


def test_withdraw_expires_held_cookie_and_hides_it(apache):
    accepted = obtain_consent(apache.port)
    ck = "cookieconsent=%s; _pk_id.1.abcd=visitor42; csrftoken=tok" % accepted
    # with consent the application sees the statistics cookie
    assert "_pk_id.1.abcd" in cookie_names(cgi_env(apache.port, cookie=ck)["cookie"])
    r = post_consent(apache.port, "reject-all", ret="/account", cookie=ck)
    assert r.status == 303 and r.header("Location") == "/account", r
    new = consent_from(r).value
    assert consent_parts(new)["cats"] == "-"
    exp = r.expiries("_pk_id.1.abcd")
    assert exp, "no expiry for the held _pk_id cookie: %r" % r.set_cookies
    host_only = [e for e in exp if e.domain is None]
    assert len(host_only) == 1, exp
    e = host_only[0]
    assert e.value == "" and e.max_age == 0
    assert e.expires_ts is not None and e.expires_ts < time.time() - 86400
    assert e.attrs.get("path") == "/"
    # necessary cookie and consent cookie are not expired
    assert not r.expiries("csrftoken") and not r.expiries("cookieconsent"), r.set_cookies
    # the browser keeps sending it until it processes the expiry: it is hidden from the app
    ck2 = "cookieconsent=%s; _pk_id.1.abcd=visitor42; csrftoken=tok" % new
    env = cgi_env(apache.port, cookie=ck2)
    assert sorted(cookie_names(env["cookie"])) == ["cookieconsent", "csrftoken"], env
    echo = get(apache.port, "/proxy/echo", cookie=ck2).json()
    names = [n for h in echo["cookie"] for n in cookie_names(h)]
    assert "_pk_id.1.abcd" not in names and "csrftoken" in names, echo


def test_json_answer(apache):
    r = post_consent(apache.port, "accept-all", ret="/x",
                     headers=[("Accept", "application/json")])
    assert r.status == 200, r
    assert r.header("Content-Type", "").startswith("application/json"), r
    c = consent_from(r)
    p = consent_parts(c.value)
    j = r.json()
    assert j["decided"] is True
    assert j["source"] == "banner"
    assert j["accepted"] == ["necessary", "statistical"]
    assert j["refused"] == []
    assert j["fingerprint"] == "current"
    assert j["consent_id"] == p["id"]
    assert j["decided_at"] == int(p["time"])
    assert j["lifetime"] == DEFAULT_LIFETIME


def test_state_undecided(apache):
    r = get(apache.port, "/cookieconsent/state")
    assert r.status == 200, r
    assert r.header("Content-Type", "").startswith("application/json")
    assert "no-store" in r.header("Cache-Control", "")
    j = r.json()
    assert j["decided"] is False
    assert j["source"] == "none"
    assert j["accepted"] == ["necessary"]
    assert j["refused"] == ["statistical"]
    assert j["fingerprint"] == "none"
    assert j["consent_id"] is None and j["decided_at"] is None
    assert j["lifetime"] == DEFAULT_LIFETIME


def test_state_decided(apache):
    v = obtain_consent(apache.port, "save", ["statistical"])
    p = consent_parts(v)
    j = state(apache.port, cookie="cookieconsent=" + v)
    expected = {"decided": True, "source": "banner", "accepted": ["necessary", "statistical"],
                "refused": [], "fingerprint": "current", "consent_id": p["id"],
                "decided_at": int(p["time"]), "lifetime": DEFAULT_LIFETIME}
    for k, want in expected.items():
        assert j.get(k) == want, (k, j)


def test_state_head(apache):
    r = request(apache.port, "HEAD", "/cookieconsent/state")
    assert r.status == 200, r
    assert r.body == b""
    assert r.header("Content-Type", "").startswith("application/json")
    assert "no-store" in r.header("Cache-Control", "")


@pytest.mark.parametrize("ret", ["//evil.test", "//evil.test/path", "https://evil.test",
                                 "http://evil.test/", "/\\evil.test", "\\\\evil.test",
                                 "javascript:alert(1)", "", "evil.test", "/ok\r\nX-Evil: 1",
                                 "/tab\there", "HTTP://EVIL.TEST"])
def test_open_redirect_falls_back_to_root(apache, ret):
    r = post_consent(apache.port, "accept-all", ret=ret)
    assert r.status == 303, r
    assert r.header("Location") == "/", (ret, r)
    assert r.header("X-Evil") is None


def test_missing_return_goes_to_root(apache):
    r = post_consent(apache.port, "reject-all")
    assert r.status == 303 and r.header("Location") == "/", r


@pytest.mark.parametrize("hdrs", [
    [("Origin", "http://evil.test")],
    [("Origin", "null")],
    [("Sec-Fetch-Site", "cross-site")],
    [("Origin", "https://127.0.0.1:{port}")],       # other scheme
    [("Origin", "http://127.0.0.1:1")],             # other port
    [("Origin", "http://localhost:{port}")],        # other host
], ids=["evil-origin", "null-origin", "sec-fetch-cross-site", "other-scheme", "other-port",
        "other-host"])
def test_cross_site_post_is_forbidden(apache, hdrs):
    hs = [(k, v.format(port=apache.port)) for k, v in hdrs]
    r = post_consent(apache.port, "accept-all", ret="/", headers=hs)
    assert r.status == 403, r
    assert not [c for c in r.set_cookie_names if c == "cookieconsent"], r


@pytest.mark.parametrize("hdrs", [
    [("Origin", "http://127.0.0.1:{port}")],
    [("Sec-Fetch-Site", "same-origin")],
    [("Origin", "http://127.0.0.1:{port}"), ("Sec-Fetch-Site", "same-origin")],
    [],
], ids=["same-origin", "sec-fetch-same-origin", "both", "none"])
def test_same_origin_post_is_accepted(apache, hdrs):
    hs = [(k, v.format(port=apache.port)) for k, v in hdrs]
    r = post_consent(apache.port, "accept-all", ret="/back", headers=hs)
    assert r.status == 303, r
    assert r.header("Location") == "/back"
    consent_from(r)


def test_get_on_consent_is_405(apache):
    r = get(apache.port, "/cookieconsent/consent")
    assert r.status == 405, r
    assert "POST" in r.header("Allow", ""), r
    r = request(apache.port, "PUT", "/cookieconsent/consent", body="action=accept-all",
                headers=[("Content-Type", "application/x-www-form-urlencoded")])
    assert r.status == 405, r
    assert "cookieconsent" not in r.set_cookie_names


def test_post_on_state_is_405(apache):
    r = request(apache.port, "POST", "/cookieconsent/state", body="x=1",
                headers=[("Content-Type", "application/x-www-form-urlencoded")])
    assert r.status == 405, r
    assert r.header("Allow"), r


@pytest.mark.parametrize("action", ["accept", "delete", "", None])
def test_bad_action_is_400(apache, action):
    r = post_consent(apache.port, action, ret="/")
    assert r.status == 400, r
    assert "cookieconsent" not in r.set_cookie_names


def test_body_over_16k_is_413(apache):
    r = post_consent(apache.port, "accept-all", ret="/",
                     extra_fields=[("padding", "x" * (17 * 1024))])
    assert r.status == 413, r
    assert "cookieconsent" not in r.set_cookie_names


def test_other_path_under_endpoint_is_404(apache):
    for path in ("/cookieconsent/nope", "/cookieconsent/state/x", "/cookieconsent/consentx"):
        assert get(apache.port, path).status == 404, path


def test_endpoint_response_filters_app_cookies_too(apache):
    """The endpoint answer never carries refused cookies either (only consent + expiries)."""
    r = post_consent(apache.port, "reject-all", ret="/", cookie="tracker=1")
    for h in r.set_cookies:
        c = parse_set_cookie(h)
        assert c.name == "cookieconsent" or c.is_expiry, h
    assert r.expiries("tracker"), r


def test_consent_cookie_is_visible_to_app_and_not_filtered(apache):
    v = obtain_consent(apache.port)
    env = cgi_env(apache.port, cookie="cookieconsent=" + v)
    assert env["cookie"] == "cookieconsent=" + v


def test_custom_endpoint(start_apache):
    inst = start_apache("endpoint", extra="CookieConsentEndpoint /privacy/api\n")
    try:
        r = post_consent(inst.port, "accept-all", ret="/z", endpoint="/privacy/api")
        assert r.status == 303 and r.header("Location") == "/z", r
        consent_from(r)
        r = get(inst.port, "/privacy/api/state")
        assert r.status == 200 and r.json()["decided"] is False, r
        assert get(inst.port, "/cookieconsent/state").status == 404
    finally:
        inst.stop()


def test_form_with_charset_parameter(apache):
    r = request(apache.port, "POST", "/cookieconsent/consent",
                [("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")],
                body="action=save&category=statistical&return=%2Fok")
    assert r.status == 303 and r.header("Location") == "/ok", r
    assert consent_parts(consent_from(r).value)["cats"] == "statistical"


def test_json_answer_reflects_the_new_choice_and_expires(apache):
    old = obtain_consent(apache.port)
    r = post_consent(apache.port, "reject-all", ret="/",
                     cookie="cookieconsent=%s; _pk_ses.1.abcd=s" % old,
                     headers=[("Accept", "application/json")])
    assert r.status == 200, r
    j = r.json()
    new = consent_parts(consent_from(r).value)
    assert j["decided"] is True and j["source"] == "banner"
    assert j["accepted"] == ["necessary"] and j["refused"] == ["statistical"]
    assert j["consent_id"] == new["id"]
    assert len(r.expiries("_pk_ses.1.abcd")) == 1, r.set_cookies


def test_keep_alive_connection_does_not_leak_decisions(apache):
    """Requests on one persistent connection are decided one by one."""
    import http.client
    v = obtain_consent(apache.port)
    conn = http.client.HTTPConnection("127.0.0.1", apache.port, timeout=10)
    try:
        seen = []
        for cookie in ("cookieconsent=" + v, None, "cookieconsent=" + v, None):
            conn.putrequest("GET", "/hdr/index.html")
            if cookie:
                conn.putheader("Cookie", cookie)
            conn.endheaders()
            r = conn.getresponse()
            r.read()
            seen.append(r.msg.get_all("Set-Cookie"))
        assert seen == [KEPT_STATISTICAL, KEPT_UNDECIDED, KEPT_STATISTICAL, KEPT_UNDECIDED]
    finally:
        conn.close()


def test_consent_post_over_h2c(apache):
    from cc_helpers import h2_request
    r = h2_request(apache.port, "/cookieconsent/consent", method="POST",
                   headers=[("Content-Type", "application/x-www-form-urlencoded")],
                   body="action=accept-all&return=%2Fh2")
    assert r.version == "HTTP/2" and r.status == 303, r
    assert r.header("location") == "/h2"
    v = consent_from(r).value
    r = h2_request(apache.port, "/cgi-bin/setcookies.cgi", headers=[("Cookie", "cookieconsent=" + v)])
    assert r.set_cookies == KEPT_STATISTICAL, r
