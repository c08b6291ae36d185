"""A visitor without decision: optional and undeclared Set-Cookie removed, necessary ones kept
(byte-identical, never merged, in order) on every kind of response."""
import pytest

from cc_helpers import H2_ROUTES, KEPT_UNDECIDED, SETTER_ROUTES, conditional_requests, \
    get, h2_request, request, wait_for


@pytest.mark.parametrize("rid,method,path,status", SETTER_ROUTES, ids=[r[0] for r in SETTER_ROUTES])
def test_undecided_keeps_only_necessary(apache, rid, method, path, status):
    r = request(apache.port, method, path)
    assert r.status == status, r
    assert r.set_cookies == KEPT_UNDECIDED, r


@pytest.mark.parametrize("which", ["If-None-Match", "If-Modified-Since"])
def test_undecided_304_keeps_only_necessary(apache, which):
    cond = dict(conditional_requests(apache.port))
    r = get(apache.port, "/always/index.html", headers=[(which, cond[which])])
    assert r.status == 304, r
    assert r.set_cookies == KEPT_UNDECIDED, r


@pytest.mark.parametrize("rid,path,status", H2_ROUTES, ids=[r[0] for r in H2_ROUTES])
def test_undecided_h2c_keeps_only_necessary(apache, rid, path, status):
    r = h2_request(apache.port, path)
    assert r.version == "HTTP/2", r
    assert r.status == status, r
    assert r.set_cookies == KEPT_UNDECIDED, r


@pytest.mark.parametrize("path", ["/hdr/index.html", "/proxy/set/length"])
def test_h2c_head(apache, path):
    # (HEAD of a CGI over h2c is not used: plain Apache 2.4.71 intermittently resets that stream)
    r = h2_request(apache.port, path, method="HEAD")
    assert r.version == "HTTP/2" and r.status == 200, r
    assert r.set_cookies == KEPT_UNDECIDED, r


def test_kept_set_cookies_are_separate_headers_in_order(apache):
    """Several kept cookies arrive as separate, unmodified headers, in the order the app sent them."""
    names = ["sessionid", "tracker", "csrftoken", "_pk_id.1.zz"]
    q = "&".join("n=" + n for n in names)
    for path in ("/cgi-bin/setq.cgi?" + q, "/proxy/set/query?" + q):
        r = get(apache.port, path)
        assert r.status == 200, r
        assert r.set_cookies == ["sessionid=v; Path=/", "csrftoken=v; Path=/"], r
        for h in r.set_cookies:
            assert "," not in h, "Set-Cookie headers merged: %r" % h


def test_body_is_untouched(apache, baseline):
    for path in ("/proxy/set/chunked", "/proxy/set/length", "/hdr/index.html",
                 "/cgi-bin/setcookies.cgi", "/errdoc/missing.html"):
        assert get(apache.port, path).body == get(baseline.port, path).body, path


def test_page_without_cookies_gets_no_set_cookie(apache):
    r = get(apache.port, "/index.html")
    assert r.status == 200
    assert r.set_cookies == []


def test_necessary_only_response_is_unchanged(apache):
    r = get(apache.port, "/cgi-bin/setq.cgi?n=csrftoken&n=sessionid")
    assert r.set_cookies == ["csrftoken=v; Path=/", "sessionid=v; Path=/"]


def test_all_optional_removed_leaves_no_set_cookie(apache):
    r = get(apache.port, "/proxy/set/query?n=_pk_id.1.abcd&n=_pk_ses.1.abcd&n=tracker&n=_shop_uid")
    assert r.status == 200
    assert r.set_cookies == [], r


def test_cookie_names_are_case_sensitive(apache):
    """Globs are case-sensitive: CSRFTOKEN is not the declared csrftoken, so it is undeclared."""
    r = get(apache.port, "/cgi-bin/setq.cgi?n=CSRFTOKEN&n=csrftoken&n=_PK_ID.1.x")
    assert r.set_cookies == ["csrftoken=v; Path=/"], r


def test_glob_question_mark_and_star(start_apache):
    decls_extra = """\
<CookieConsentCookie "Globs">
    Category necessary
    Names lang_?? exact
</CookieConsentCookie>
"""
    inst = start_apache("globs", extra=decls_extra)
    try:
        r = get(inst.port, "/cgi-bin/setq.cgi?n=lang_fr&n=lang_fra&n=lang_&n=exact&n=exactly")
        assert r.set_cookies == ["lang_fr=v; Path=/", "exact=v; Path=/"], r
    finally:
        inst.stop()


def test_no_crash_in_error_log(apache):
    get(apache.port, "/hdr/index.html", cookie="=;;;,,, ;a;=b;__Host-=1; _pk_id.1=" + "x" * 4000)
    get(apache.port, "/index.html", headers=[("Cookie", "")])
    assert not apache.crashes, apache.crashes


def test_app_may_not_set_the_consent_cookie(apache):
    """Only the module's endpoint sets the consent cookie: an application (or a script behind
    it) that sets one would grant consent the visitor never gave (issue 7, item 3)."""
    start = apache.log_size()
    r = get(apache.port, "/proxy/set/query?n=cookieconsent&n=tracker&n=csrftoken")
    assert r.set_cookies == ["csrftoken=v; Path=/"], r
    log = wait_for(lambda: (lambda t: t if 'dropped Set-Cookie "cookieconsent"' in t else None)(
        apache.log_since(start)))
    assert log and "[cookieconsent:notice]" in log and "/proxy/set/query" in log, log


@pytest.mark.parametrize("hname", ["set-cookie", "SET-COOKIE"])
def test_header_name_case_does_not_matter(apache, hname):
    r = get(apache.port, "/cgi-bin/setq.cgi?h=%s&n=_pk_id.1.abcd&n=csrftoken&n=tracker" % hname)
    assert r.set_cookies == ["csrftoken=v; Path=/"], r


def test_many_kept_cookies_keep_their_order(apache):
    from cc_helpers import obtain_consent
    names = ["_pk_id.1.n%02d" % i for i in range(40)]
    names[7] = "csrftoken"
    names[20] = "tracker"
    r = get(apache.port, "/proxy/set/query?" + "&".join("n=" + n for n in names),
            cookie="cookieconsent=" + obtain_consent(apache.port))
    assert r.set_cookies == ["%s=v; Path=/" % n for n in names if n != "tracker"], r


def test_text_html_page_with_consent(apache):
    from cc_helpers import KEPT_STATISTICAL, obtain_consent
    r = get(apache.port, "/html/page.html",
            cookie="cookieconsent=%s; tracker=1" % obtain_consent(apache.port))
    assert r.status == 200 and b"A real HTML page" in r.body, r
    assert r.non_expiry_set_cookies() == KEPT_STATISTICAL, r
    assert [e.name for e in r.expiries()] == ["tracker"], r.set_cookies
