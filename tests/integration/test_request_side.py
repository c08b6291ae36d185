"""Request side: refused cookies hidden from CGI, proxy backends and mod_rewrite; COOKIECONSENT_*
environment variables for CGI, SSI and logs."""
import http.client
import json

from cc_helpers import cgi_env, consent_parts, cookie_names, get, h2_request, obtain_consent, \
    request, wait_for


def echo_names(port, cookie=None, headers=None):
    r = request(port, "GET", "/proxy/echo",
                list(headers or []) + ([("Cookie", cookie)] if cookie is not None else []))
    assert r.status == 200, r
    return [n for h in r.json()["cookie"] for n in cookie_names(h)]


def test_cgi_sees_only_allowed_cookies(apache):
    env = cgi_env(apache.port, cookie="csrftoken=abc; _pk_id.1.x=1")
    assert cookie_names(env["cookie"]) == ["csrftoken"], env
    assert "abc" in env["cookie"]


def test_backend_sees_only_allowed_cookies(apache):
    names = echo_names(apache.port, cookie="_pk_ses.1.x=2; sessionid=s; tracker=9; csrftoken=abc")
    assert names == ["sessionid", "csrftoken"]


def test_cookie_header_with_only_refused_cookies_is_removed(apache):
    env = cgi_env(apache.port, cookie="_pk_id.1.x=1; tracker=2")
    assert env["cookie"] is None, env
    r = request(apache.port, "GET", "/proxy/echo", [("Cookie", "_pk_id.1.x=1")])
    assert r.json()["cookie"] == [], r


def test_several_cookie_headers(apache):
    hs = [("Cookie", "csrftoken=abc; _pk_id.1.x=1"), ("Cookie", "tracker=t"),
          ("Cookie", "sessionid=s")]
    env = cgi_env(apache.port, headers=hs)
    assert sorted(cookie_names(env["cookie"])) == ["csrftoken", "sessionid"], env
    assert sorted(echo_names(apache.port, headers=hs)) == ["csrftoken", "sessionid"]


def test_several_cookie_headers_raw_http_client(apache):
    """Two Cookie headers put with http.client.putheader."""
    conn = http.client.HTTPConnection("127.0.0.1", apache.port, timeout=10)
    conn.putrequest("GET", "/cgi-bin/env.cgi")
    conn.putheader("Cookie", "_pk_id.1.x=1")
    conn.putheader("Cookie", "csrftoken=abc")
    conn.endheaders()
    r = conn.getresponse()
    env = json.loads(r.read())
    conn.close()
    assert cookie_names(env["cookie"]) == ["csrftoken"], env


def test_lenient_parsing_keeps_necessary(apache):
    env = cgi_env(apache.port, cookie=";;  csrftoken=abc ;garbage; _pk_id.1.x=1;=x;sessionid=s")
    names = cookie_names(env["cookie"])
    assert "csrftoken" in names and "sessionid" in names, env
    assert "_pk_id.1.x" not in names, env


def test_h2c_cookie_crumbs_are_filtered(apache):
    r = h2_request(apache.port, "/cgi-bin/env.cgi",
                   headers=[("Cookie", "csrftoken=abc; _pk_id.1.x=1; sessionid=s")])
    assert r.version == "HTTP/2" and r.status == 200, r
    assert sorted(cookie_names(r.json()["cookie"])) == ["csrftoken", "sessionid"], r


def test_rewrite_does_not_see_refused_cookie(apache):
    """A server-level RewriteCond on %{HTTP_COOKIE} runs after the filter."""
    assert get(apache.port, "/rw/check", cookie="_pk_id.1.abcd=1").body == b"notseen\n"
    ck = "cookieconsent=%s; _pk_id.1.abcd=1" % obtain_consent(apache.port)
    assert get(apache.port, "/rw/check", cookie=ck).body == b"seen\n"


def test_accepted_cookies_reach_the_app(apache):
    v = obtain_consent(apache.port)
    ck = "cookieconsent=%s; csrftoken=abc; _pk_id.1.x=1; tracker=2" % v
    env = cgi_env(apache.port, cookie=ck)
    assert sorted(cookie_names(env["cookie"])) == ["_pk_id.1.x", "cookieconsent", "csrftoken"], env
    assert sorted(echo_names(apache.port, cookie=ck)) == \
        ["_pk_id.1.x", "cookieconsent", "csrftoken"]


def test_env_undecided(apache):
    e = cgi_env(apache.port)["env"]
    assert e.get("COOKIECONSENT_DECIDED") == "0", e
    assert e.get("COOKIECONSENT_SOURCE") == "none", e
    assert e.get("COOKIECONSENT_CATEGORIES") == "necessary", e
    assert e.get("COOKIECONSENT_REFUSED") == "statistical", e
    assert "COOKIECONSENT_ID" not in e, e


def test_env_accept_all(apache):
    v = obtain_consent(apache.port)
    e = cgi_env(apache.port, cookie="cookieconsent=" + v)["env"]
    assert e.get("COOKIECONSENT_DECIDED") == "1", e
    assert e.get("COOKIECONSENT_SOURCE") == "banner", e
    assert e.get("COOKIECONSENT_CATEGORIES") == "necessary statistical", e
    assert e.get("COOKIECONSENT_REFUSED", "") == "", e
    assert e.get("COOKIECONSENT_ID") == consent_parts(v)["id"], e


def test_env_reject_all(apache):
    v = obtain_consent(apache.port, "reject-all")
    e = cgi_env(apache.port, cookie="cookieconsent=" + v)["env"]
    assert e.get("COOKIECONSENT_DECIDED") == "1", e
    assert e.get("COOKIECONSENT_SOURCE") == "banner", e
    assert e.get("COOKIECONSENT_CATEGORIES") == "necessary", e
    assert e.get("COOKIECONSENT_REFUSED") == "statistical", e
    assert e.get("COOKIECONSENT_ID") == consent_parts(v)["id"], e


def test_env_in_ssi(apache):
    r = get(apache.port, "/ssi/index.shtml", headers=[("Sec-GPC", "1")])
    assert r.status == 200, r
    assert r.text().strip() == "source=gpc;decided=0;categories=necessary;", r
    v = obtain_consent(apache.port)
    r = get(apache.port, "/ssi/index.shtml", cookie="cookieconsent=" + v)
    assert r.text().strip() == "source=banner;decided=1;categories=necessary statistical;", r


def test_env_in_access_log(apache):
    marker = "/index.html?logmark=8731"
    get(apache.port, marker, headers=[("Sec-GPC", "1")])
    line = wait_for(lambda: [l for l in apache.access_log().splitlines() if marker in l])
    assert line, apache.access_log()[-2000:]
    assert "src=gpc dec=0 cats=[necessary]" in line[0], line
