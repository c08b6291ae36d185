"""Issue 7 (red-team and WordPress trial): what the application sends that the module must not let
through, and how the visitor's choice is read.

  item 3   only the module's endpoint sets the consent cookie (also test_undecided.py)
  item 4   several consent cookies in one request (host-only + a parent-domain copy)
  item 5   nameless Set-Cookie ("=_pk_id.x=1", "_pk_id.x") are refused, even with
           CookieConsentUndeclared allow
  item 6   CookieConsentClampRetention: kept cookies are shortened to their row's Retention
  item 18  report mode names the request and says each thing once per child and minute
"""
import re
import time
import uuid

import pytest

from backend import PAGES
from cc_helpers import forge, get, obtain_consent, parse_set_cookie, post_consent, request, \
    state, wait_for


def page(name, set_cookies, ctype="text/plain", body=b"page\n"):
    PAGES[name] = {"headers": [("Content-Type", ctype)] + [("Set-Cookie", v) for v in set_cookies],
                   "body": body}
    return "/proxy/page/" + name


@pytest.fixture(scope="module")
def accepted(apache):
    return "cookieconsent=" + obtain_consent(apache.port, "accept-all")


@pytest.fixture(scope="module")
def allow(start_apache):
    inst = start_apache("undeclared-allow-h", extra="CookieConsentUndeclared allow\n")
    yield inst
    inst.stop()


@pytest.fixture(scope="module")
def noclamp(start_apache):
    inst = start_apache("noclamp", extra="CookieConsentClampRetention Off\n")
    yield inst
    inst.stop()


@pytest.fixture(scope="module")
def report(start_apache):
    inst = start_apache("report-h", extra="CookieConsentMode report\n")
    yield inst
    inst.stop()


# --- item 3: forged consent -----------------------------------------------------------------------
def test_cgi_cannot_grant_consent(apache):
    """A CGI (err_headers_out) that mints a valid-looking consent value: dropped, and the
    endpoint's own cookie still goes through."""
    value = obtain_consent(apache.port, "reject-all")
    forged = forge(value, cats="statistical")
    r = get(apache.port, "/cgi-bin/setq.cgi?n=cookieconsent&n=csrftoken")
    assert [c.split("=")[0] for c in r.set_cookies] == ["csrftoken"], r
    r = get(apache.port, page("forge-consent", ["cookieconsent=%s; Path=/" % forged,
                                                 "sessionid=1; Path=/"]))
    assert r.set_cookies == ["sessionid=1; Path=/"], r
    r = post_consent(apache.port, "accept-all", ret="/")
    assert r.status == 303 and [parse_set_cookie(c).name for c in r.set_cookies] == \
        ["cookieconsent"], r


# --- item 4: duplicate consent cookies ------------------------------------------------------------
def test_agreeing_copies_are_one_decision(apache):
    a = obtain_consent(apache.port, "accept-all")
    b = obtain_consent(apache.port, "accept-all")
    s = state(apache.port, cookie="cookieconsent=%s; cookieconsent=%s" % (a, b))
    assert s["decided"] is True and s["cookie"] == "valid", s
    assert s["accepted"] == ["necessary", "statistical"], s


@pytest.mark.parametrize("order", ["valid-first", "valid-last"])
def test_a_broken_copy_does_not_undo_a_valid_one(apache, order):
    """Before: the last copy won, so a malformed parent-domain copy sent last erased the
    choice."""
    a = obtain_consent(apache.port, "accept-all")
    pair = [a, "garbage"] if order == "valid-first" else ["garbage", a]
    s = state(apache.port, cookie="cookieconsent=%s; cookieconsent=%s" % tuple(pair))
    assert s["decided"] is True and s["accepted"] == ["necessary", "statistical"], s


@pytest.mark.parametrize("order", ["accept-first", "reject-first"])
def test_disagreeing_copies_ask_again(apache, order):
    """Before: the last copy won, so a sibling subdomain's parent-domain copy saying "accept"
    released refused cookies. Now: no decision, nothing optional, the banner asks again."""
    acc = obtain_consent(apache.port, "accept-all")
    rej = obtain_consent(apache.port, "reject-all")
    pair = (acc, rej) if order == "accept-first" else (rej, acc)
    ck = "cookieconsent=%s; cookieconsent=%s; _pk_id.1.dup=1" % pair
    s = state(apache.port, cookie=ck)
    assert s["decided"] is False and s["cookie"] == "conflict", s
    assert s["accepted"] == ["necessary"] and s["consent_id"] is None, s
    r = get(apache.port, "/hdr/index.html", cookie=ck)
    assert [c for c in r.set_cookie_names if c.startswith("_pk_")] == ["_pk_id.1.dup"], r
    assert all(parse_set_cookie(c).is_expiry for c in r.set_cookies
               if c.startswith("_pk_")), r
    body = get(apache.port, "/html/page.html", cookie=ck).body
    assert b'id="cc-banner"' in body


def test_choice_with_copies_expires_the_parent_domain_ones(apache):
    """Otherwise the copies disagree again after the new choice and the visitor is asked on
    every page."""
    acc = obtain_consent(apache.port, "accept-all")
    rej = obtain_consent(apache.port, "reject-all")
    r = post_consent(apache.port, "reject-all", ret="/", host="www.shop.test",
                     cookie="cookieconsent=%s; cookieconsent=%s" % (acc, rej))
    assert r.status == 303, r
    cs = [parse_set_cookie(c) for c in r.set_cookies if c.startswith("cookieconsent=")]
    exp = [c for c in cs if c.is_expiry]
    assert [c.domain for c in exp] == ["shop.test"], r
    new = [c for c in cs if not c.is_expiry]
    assert len(new) == 1 and new[0].domain is None, r
    # with one copy only, nothing is expired
    r = post_consent(apache.port, "reject-all", ret="/", host="www.shop.test",
                     cookie="cookieconsent=%s" % acc)
    assert [parse_set_cookie(c).is_expiry for c in r.set_cookies] == [False], r


# --- item 5: nameless cookies ---------------------------------------------------------------------
def test_nameless_set_cookie_refused_even_when_undeclared_allowed(allow):
    """Browsers store "=_pk_id.x=1" and "_pk_id.x" under the empty name and send them back as
    "_pk_id.x=1": a statistical cookie set without consent, that no expiry can delete."""
    r = get(allow.port, page("nameless", ["=_pk_id.x=1; Path=/", "_pk_id.y", "tracker=1"]))
    assert r.status == 200, r
    assert r.set_cookie_names == ["tracker"], r


# --- item 6: retention --------------------------------------------------------------------------
def test_max_age_clamped_to_retention(apache, accepted):
    r = get(apache.port, page("clamp-max-age", [
        "_pk_id.1.clamp=1; Max-Age=63072000; Path=/; SameSite=Lax",      # row Piwik: 13mo
        "_pk_ses.1.clamp=1; Path=/; Max-Age=1800",                       # within: untouched
        "_cart_a=1; max-age=99999999999; Path=/shop",                    # row Cart: 1y
    ]), cookie=accepted)
    assert r.set_cookies == [
        "_pk_id.1.clamp=1; Max-Age=33696000; Path=/; SameSite=Lax",
        "_pk_ses.1.clamp=1; Path=/; Max-Age=1800",
        "_cart_a=1; max-age=31536000; Path=/shop",
    ], r


def test_session_row_loses_max_age_and_expires(apache):
    r = get(apache.port, page("clamp-session", [
        "sessionid=s; Max-Age=86400; Path=/; Expires=Fri, 31 Dec 9999 23:59:59 GMT; HttpOnly",
        "csrftoken=t; Path=/; Max-Age=0",                                # a deletion stays
    ]))
    assert r.set_cookies == ["sessionid=s; Path=/; HttpOnly", "csrftoken=t; Path=/; Max-Age=0"], r


def test_expires_clamped_to_retention(apache, accepted):
    before = int(time.time())
    r = get(apache.port, page("clamp-expires", [
        "_shop_x=1; Path=/; Expires=Wed, 21-Oct-2099 07:28:00 GMT; Secure",   # row Shop: 30d
        "_pk_id.1.past=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT",      # deletion
    ]), cookie=accepted)
    after = int(time.time())
    assert len(r.set_cookies) == 2, r
    shop = parse_set_cookie(r.set_cookies[0])
    assert re.fullmatch(r"_shop_x=1; Path=/; Expires=[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} "
                        r"\d\d:\d\d:\d\d GMT; Secure", shop.raw), shop
    assert before + 30 * 86400 <= shop.expires_ts <= after + 30 * 86400, shop
    assert r.set_cookies[1] == "_pk_id.1.past=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT"


def test_clamp_is_traced(apache, accepted):
    start = apache.log_size()
    get(apache.port, page("clamp-trace", ["_pk_id.1.tr=1; Max-Age=63072000"]), cookie=accepted)
    log = wait_for(lambda: (lambda t: t if "clamped" in t else None)(apache.log_since(start)))
    assert log and re.search(r'\[cookieconsent:trace2\].*Set-Cookie "_pk_id\.1\.tr" clamped to '
                             r'the Retention 13mo of row Piwik', log), log


def test_clamp_off_keeps_the_header(noclamp):
    value = obtain_consent(noclamp.port, "accept-all")
    sc = ["_pk_id.1.off=1; Max-Age=63072000; Path=/", "sessionid=s; Max-Age=86400"]
    r = get(noclamp.port, page("clamp-off", sc), cookie="cookieconsent=" + value)
    assert r.set_cookies == sc, r


def test_clamp_in_report_mode_is_only_reported(report):
    value = obtain_consent(report.port, "accept-all")
    sc = ["_pk_id.1.rep=1; Max-Age=63072000; Path=/"]
    start = report.log_size()
    r = get(report.port, page("clamp-report", sc), cookie="cookieconsent=" + value)
    assert r.set_cookies == sc, r
    log = wait_for(lambda: (lambda t: t if "would shorten" in t else None)(
        report.log_since(start)))
    assert log and re.search(r'\[cookieconsent:notice\].*report: would shorten Set-Cookie '
                             r'"_pk_id\.1\.rep" to its row\'s Retention \(13mo\) on GET '
                             r'/proxy/page/clamp-report', log), log


# --- item 18: report lines a sysadmin can act on --------------------------------------------------
def test_report_lines_name_the_request_and_do_not_repeat(report):
    name = "undeclared_%s" % uuid.uuid4().hex[:8]
    start = report.log_size()
    for i in range(5):
        r = get(report.port, "/index.html?visit=%d" % i, cookie="%s=1" % name)
        assert r.status == 200, r
    pat = re.compile(r'\[cookieconsent:(\w+)\].*report: would hide cookie "%s" from the '
                     r'application \(refused: undeclared cookie\) on GET (\S+)' % name)
    log = wait_for(lambda: (lambda t: t if len(pat.findall(t)) >= 5 else None)(
        report.log_since(start)))
    hits = pat.findall(log or report.log_since(start))
    # ServerLimit 2: at most one NOTICE per child, the rest at TRACE1
    notices = [h for h in hits if h[0] == "notice"]
    assert 1 <= len(notices) <= 2, hits
    assert notices[0][1] == "/index.html?visit=0", hits
    assert len([h for h in hits if h[0] == "trace1"]) == 5 - len(notices), hits
    # another name is reported at once
    other = name + "_b"
    get(report.port, "/index.html", cookie="%s=1" % other)
    assert wait_for(lambda: re.search(r'\[cookieconsent:notice\].*would hide cookie "%s"' % other,
                                      report.log_since(start))), report.log_since(start)
