"""Control group: the same site without mod_cookieconsent. Every route used by the filtering tests
really emits all five cookies (so "removed" in the other tests means removed by the module)."""
import pytest

from cc_helpers import ALL_SET, H2_ROUTES, SETTER_ROUTES, conditional_requests, get, h2_request, \
    request


@pytest.mark.parametrize("rid,method,path,status", SETTER_ROUTES, ids=[r[0] for r in SETTER_ROUTES])
def test_baseline_route_sends_every_cookie(baseline, rid, method, path, status):
    r = request(baseline.port, method, path)
    assert r.status == status, r
    assert r.set_cookies == ALL_SET, r


@pytest.mark.parametrize("which", ["If-None-Match", "If-Modified-Since"])
def test_baseline_304_sends_every_cookie(baseline, which):
    cond = dict(conditional_requests(baseline.port))
    r = get(baseline.port, "/always/index.html", headers=[(which, cond[which])])
    assert r.status == 304, r
    assert r.set_cookies == ALL_SET, r


@pytest.mark.parametrize("rid,path,status", H2_ROUTES, ids=[r[0] for r in H2_ROUTES])
def test_baseline_h2c_route_sends_every_cookie(baseline, rid, path, status):
    r = h2_request(baseline.port, path)
    assert r.version == "HTTP/2", r
    assert r.status == status, r
    assert r.set_cookies == ALL_SET, r


@pytest.mark.parametrize("path", ["/hdr/index.html", "/proxy/set/length"])
def test_baseline_h2c_head(baseline, path):
    r = h2_request(baseline.port, path, method="HEAD")
    assert r.version == "HTTP/2" and r.status == 200, r
    assert r.set_cookies == ALL_SET, r


def test_baseline_off_location_and_rewrite(baseline):
    assert get(baseline.port, "/off/index.html").set_cookies == ALL_SET
    assert get(baseline.port, "/rw/check", cookie="_pk_id.1.abcd=1").body == b"seen\n"
    assert get(baseline.port, "/rw/check", cookie="csrftoken=1").body == b"notseen\n"
