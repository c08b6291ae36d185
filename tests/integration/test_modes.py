"""Report mode, CookieConsentUndeclared allow, CookieConsentFilterRequest Off, CookieConsent Off in a
<Location>, trace logging."""
import re

import pytest

from cc_helpers import ALL_SET, KEPT_UNDECIDED, SETTER_ROUTES, cgi_env, cookie_names, get, \
    request, wait_for


@pytest.fixture(scope="module")
def report(start_apache):
    inst = start_apache("report", extra="CookieConsentMode report\n")
    yield inst
    inst.stop()


@pytest.fixture(scope="module")
def undeclared_allow(start_apache):
    inst = start_apache("undeclared-allow", extra="CookieConsentUndeclared allow\n")
    yield inst
    inst.stop()


@pytest.fixture(scope="module")
def filter_off(start_apache):
    inst = start_apache("filter-off", extra="CookieConsentFilterRequest Off\n")
    yield inst
    inst.stop()


# --- report mode ----------------------------------------------------------------------------------
@pytest.mark.parametrize("rid,method,path,status", SETTER_ROUTES, ids=[r[0] for r in SETTER_ROUTES])
def test_report_mode_removes_nothing(report, rid, method, path, status):
    r = request(report.port, method, path)
    assert r.status == status, r
    assert r.set_cookies == ALL_SET, r


def test_report_mode_logs_would_remove(report):
    start = report.log_size()
    r = get(report.port, "/cgi-bin/setq.cgi?n=_pk_id.1.report&n=csrftoken&n=tracker_report")
    assert r.set_cookie_names == ["_pk_id.1.report", "csrftoken", "tracker_report"]
    pat_pk = re.compile(r"\[cookieconsent:notice\].*cookieconsent: report: would remove "
                        r"Set-Cookie \"_pk_id\.1\.report\"")
    pat_tr = re.compile(r"\[cookieconsent:notice\].*would remove Set-Cookie \"tracker_report\"")
    log = wait_for(lambda: (lambda t: t if pat_pk.search(t) and pat_tr.search(t) else None)(
        report.log_since(start)))
    assert log, report.log_since(start)
    assert not re.search(r"would remove Set-Cookie \"csrftoken\"", log), log
    assert len(pat_pk.findall(log)) == 1, log


def test_report_mode_expires_nothing_and_hides_nothing(report):
    start = report.log_size()
    r = get(report.port, "/index.html", cookie="_pk_id.1.held=1; csrftoken=a")
    assert r.set_cookies == [], r
    env = cgi_env(report.port, cookie="_pk_id.1.held=1; csrftoken=a")
    assert sorted(cookie_names(env["cookie"])) == ["_pk_id.1.held", "csrftoken"], env
    # the would-be expiry is reported
    log = wait_for(lambda: (lambda t: t if re.search(r"\[cookieconsent:notice\].*_pk_id\.1\.held", t)
                            else None)(report.log_since(start)))
    assert log, report.log_since(start)


def test_report_mode_still_sets_env_and_serves_endpoint(report):
    e = cgi_env(report.port)["env"]
    assert e.get("COOKIECONSENT_SOURCE") == "none" and e.get("COOKIECONSENT_DECIDED") == "0", e
    assert get(report.port, "/cookieconsent/state").json()["decided"] is False


def test_enforce_mode_logs_no_report_notice(apache):
    start = apache.log_size()
    get(apache.port, "/hdr/index.html")
    wait_for(lambda: False, timeout=0.3)
    assert "would remove" not in apache.log_since(start)


# --- trace logging --------------------------------------------------------------------------------
def test_trace2_logs_each_decision(apache):
    start = apache.log_size()
    get(apache.port, "/cgi-bin/setq.cgi?n=_pk_id.1.traceme&n=csrftoken")
    log = wait_for(lambda: (lambda t: t if ("_pk_id.1.traceme" in t) else None)(
        apache.log_since(start)))
    assert log, apache.log_since(start)
    lines = [l for l in log.splitlines() if "_pk_id.1.traceme" in l]
    assert any("[cookieconsent:trace" in l for l in lines), lines


# --- undeclared allow -----------------------------------------------------------------------------
def test_undeclared_allow(undeclared_allow):
    r = get(undeclared_allow.port, "/hdr/index.html")
    assert r.set_cookies == [ALL_SET[0], ALL_SET[2], ALL_SET[3]], r   # tracker kept, _pk_* not
    r = get(undeclared_allow.port, "/index.html", cookie="tracker=1; _pk_id.1.abcd=2")
    assert [e.name for e in r.expiries()] == ["_pk_id.1.abcd"], r.set_cookies
    env = cgi_env(undeclared_allow.port, cookie="tracker=1; _pk_id.1.abcd=2")
    assert cookie_names(env["cookie"]) == ["tracker"], env


def test_undeclared_block_is_default(apache):
    r = get(apache.port, "/cgi-bin/setq.cgi?n=somethingelse&n=csrftoken")
    assert r.set_cookie_names == ["csrftoken"], r


# --- FilterRequest Off ----------------------------------------------------------------------------
def test_filter_request_off(filter_off):
    ck = "csrftoken=abc; _pk_id.1.x=1"
    env = cgi_env(filter_off.port, cookie=ck)
    assert cookie_names(env["cookie"]) == ["csrftoken", "_pk_id.1.x"], env
    assert env["env"].get("COOKIECONSENT_SOURCE") == "none", env
    assert env["env"].get("COOKIECONSENT_CATEGORIES") == "necessary", env
    echo = get(filter_off.port, "/proxy/echo", cookie=ck).json()
    assert [n for h in echo["cookie"] for n in cookie_names(h)] == ["csrftoken", "_pk_id.1.x"]
    # the response side is unchanged
    assert get(filter_off.port, "/hdr/index.html").set_cookies == KEPT_UNDECIDED


def test_filter_request_off_several_headers(filter_off):
    env = cgi_env(filter_off.port, headers=[("Cookie", "_pk_id.1.x=1"), ("Cookie", "csrftoken=a")])
    assert sorted(cookie_names(env["cookie"])) == ["_pk_id.1.x", "csrftoken"], env


# --- CookieConsent Off in a <Location> -----------------------------------------------------------
def test_location_off_lets_cookies_pass(apache):
    r = get(apache.port, "/off/index.html")
    assert r.status == 200
    assert r.set_cookies == ALL_SET, r


def test_location_off_expires_nothing(apache):
    r = get(apache.port, "/off/index.html", cookie="_pk_id.1.abcd=1; tracker=2")
    assert r.expiries() == [], r.set_cookies


def test_location_off_hides_nothing(apache):
    r = get(apache.port, "/off/env.cgi", cookie="csrftoken=abc; _pk_id.1.x=1")
    assert r.status == 200, r
    assert cookie_names(r.json()["cookie"]) == ["csrftoken", "_pk_id.1.x"], r


def test_location_off_does_not_leak_elsewhere(apache):
    assert get(apache.port, "/hdr/index.html").set_cookies == KEPT_UNDECIDED
