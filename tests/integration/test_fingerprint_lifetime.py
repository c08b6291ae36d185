"""Validity of the consent cookie: fingerprint of the declarations, lifetime, tampering."""
import time

import pytest

from cc_helpers import KEPT_STATISTICAL, KEPT_UNDECIDED, consent_from, \
    consent_parts, forge, get, obtain_consent, post_consent, sign, state
from conftest import DEFAULT_DECLS

DAY = 86400

EXTENDED = """\
<CookieConsentCategory marketing>
    Title "Marketing"
</CookieConsentCategory>
<CookieConsentCookie "Ads">
    Category marketing
    Names _fbp
</CookieConsentCookie>
<CookieConsentCookie "Shared visits">
    Category marketing
    Names _pk_ses.1.*
</CookieConsentCookie>
"""

# Changes of the declarations that must ask everybody again.
FP_CHANGES = {
    "added-pattern": dict(decls=DEFAULT_DECLS.replace("Names _pk_id* _pk_ses*",
                                                      "Names _pk_id* _pk_ses* _pk_ref*")),
    "added-category-and-rows": dict(extra=EXTENDED),
    "revision-bump": dict(extra="CookieConsentRevision 2\n"),
    "changed-domain": dict(decls=DEFAULT_DECLS.replace("Domain shop.test",
                                                       "Domain shop.test shop.example")),
    "changed-path": dict(decls=DEFAULT_DECLS.replace("Path /shop", "Path /basket")),
}

# Changes of texts only: the fingerprint stays.
RETITLED = (DEFAULT_DECLS.replace('Title "Statistics"', 'Title "Audience measurement"')
            .replace('Purpose "Counts visits."', 'Purpose "Measures the audience."')
            .replace("Retention 13mo", "Retention 6mo")
            .replace('Description "Anonymous visit statistics."', 'Description "Other words."'))


def assert_not_decided(port, value, name="cookieconsent"):
    ck = "%s=%s" % (name, value)
    s = state(port, cookie=ck)
    assert s["decided"] is False, (value, s)
    assert s["source"] == "none", (value, s)
    assert s["consent_id"] is None, (value, s)
    r = get(port, "/hdr/index.html", cookie=ck)
    assert r.set_cookies == KEPT_UNDECIDED, (value, r)
    return s


def assert_decided(port, value, name="cookieconsent", kept=KEPT_STATISTICAL):
    ck = "%s=%s" % (name, value)
    s = state(port, cookie=ck)
    assert s["decided"] is True and s["fingerprint"] == "current", (value, s)
    r = get(port, "/hdr/index.html", cookie=ck)
    assert r.set_cookies == kept, (value, r)
    return s


@pytest.fixture(scope="module")
def main_consent(apache):
    return obtain_consent(apache.port)


@pytest.fixture(scope="module", params=sorted(FP_CHANGES), ids=sorted(FP_CHANGES))
def changed(request, start_apache):
    inst = start_apache("fp-" + request.param, **FP_CHANGES[request.param])
    yield inst
    inst.stop()


def test_changed_declarations_make_consent_stale(apache, changed, main_consent):
    s = assert_not_decided(changed.port, main_consent)
    assert s["fingerprint"] == "stale", s
    # a choice made under the new declarations is current there, with another fingerprint
    fresh = obtain_consent(changed.port)
    assert consent_parts(fresh)["fp"] != consent_parts(main_consent)["fp"]
    assert state(changed.port, cookie="cookieconsent=" + fresh)["fingerprint"] == "current"
    # and stale on the original server
    assert state(apache.port, cookie="cookieconsent=" + fresh)["fingerprint"] == "stale"


def test_text_changes_keep_fingerprint(start_apache, apache, main_consent):
    inst = start_apache("retitled", decls=RETITLED)
    # the shorter Retention (6mo) is enforced on the kept _pk_id (CookieConsentClampRetention)
    kept = [c.replace("Max-Age=33696000", "Max-Age=15552000") for c in KEPT_STATISTICAL]
    assert kept != KEPT_STATISTICAL
    try:
        assert_decided(inst.port, main_consent, kept=kept)
    finally:
        inst.stop()


# --- lifetime -------------------------------------------------------------------------------------
def test_older_than_lifetime_is_no_decision(apache, main_consent):
    now = int(time.time())
    assert_decided(apache.port, forge(main_consent, time=now - 179 * DAY))
    assert_not_decided(apache.port, forge(main_consent, time=now - 181 * DAY))


def test_future_time(apache, main_consent):
    now = int(time.time())
    assert_decided(apache.port, forge(main_consent, time=now + 120))
    assert_not_decided(apache.port, forge(main_consent, time=now + 3600))


@pytest.fixture(scope="module")
def short(start_apache):
    inst = start_apache("short-lifetime", extra="CookieConsentChoiceCookie consent_choice 1d\n")
    yield inst
    inst.stop()


def test_short_lifetime_and_custom_name(short):
    r = post_consent(short.port, "accept-all", ret="/")
    assert r.status == 303, r
    c = consent_from(r, "consent_choice")
    assert c.max_age == DAY
    assert "cookieconsent" not in r.set_cookie_names
    assert state(short.port)["lifetime"] == DAY
    now = int(time.time())
    assert_decided(short.port, forge(c.value, time=now - 3600), name="consent_choice")
    assert_not_decided(short.port, forge(c.value, time=now - 2 * DAY), name="consent_choice")
    # under the other name the value is no decision
    assert state(short.port, cookie="cookieconsent=" + c.value)["decided"] is False


def test_consent_cookie_under_custom_name_never_expired(short):
    r = get(short.port, "/index.html", cookie="consent_choice=garbage; _pk_id.1.abcd=1")
    assert [e.name for e in r.expiries()] == ["_pk_id.1.abcd"], r.set_cookies


# --- tampering ------------------------------------------------------------------------------------
def tampered(v):
    """Values the parser must refuse, signed with the harness's key (sign()), so that the MAC is
    right and what refuses them is the parser behind it; plus the unsigned and foreign ones."""
    p = consent_parts(v)
    fp, t, cid = p["fp"], p["time"], p["id"]
    return {
        "unknown-category": sign("2.%s.%s.%s.statistical+marketing" % (fp, t, cid)),
        "only-unknown-category": sign("2.%s.%s.%s.marketing" % (fp, t, cid)),
        "required-category-listed": sign("2.%s.%s.%s.necessary+statistical" % (fp, t, cid)),
        "garbage": "hello",
        "empty": "",
        "version-3": sign("3.%s.%s.%s.statistical" % (fp, t, cid)),
        "version-1": "1.%s.%s.%s.statistical" % (fp, t, cid),
        "short-id": sign("2.%s.%s.%s.statistical" % (fp, t, cid[:20])),
        "long-id": sign("2.%s.%s.%sAA.statistical" % (fp, t, cid)),
        "upper-fingerprint": sign("2.%s.%s.%s.statistical" % (fp.upper(), t, cid)
                                  if fp.upper() != fp else
                                  "2.%sX.%s.%s.statistical" % (fp[:11], t, cid)),
        "short-fingerprint": sign("2.%s.%s.%s.statistical" % (fp[:11], t, cid)),
        "non-numeric-time": sign("2.%s.%sx.%s.statistical" % (fp, t, cid)),
        "missing-field": sign("2.%s.%s.statistical" % (fp, t)),
        "extra-field": sign("2.%s.%s.%s.statistical.x" % (fp, t, cid)),
        "bad-id-chars": sign("2.%s.%s.%s.statistical" % (fp, t, "!" * 22)),
        "no-categories": sign("2.%s.%s.%s." % (fp, t, cid)),
        "unsigned-accept": "2.%s.%s.%s.statistical.%s" % (fp, t, cid, "A" * 22),
        "signed-for-another-site": forge(v, site="www.example.com", cats="statistical"),
        "signed-with-another-key": forge(v, key=b"k" * 32, cats="statistical"),
    }


TAMPER_IDS = sorted(tampered(sign("2.0123456789ab.1700000000.AAAAAAAAAAAAAAAAAAAAAA.statistical")))


@pytest.mark.parametrize("case", TAMPER_IDS)
def test_tampered_value_is_no_decision(apache, main_consent, case):
    value = tampered(main_consent)[case]
    s = assert_not_decided(apache.port, value)
    assert s["fingerprint"] != "current", s


def test_untampered_control(apache, main_consent):
    """The forging helpers keep a valid value valid (control for the tests above)."""
    assert_decided(apache.port, forge(main_consent))


# --- several categories ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def extended(start_apache):
    inst = start_apache("extended", extra=EXTENDED)
    yield inst
    inst.stop()


def test_accept_all_lists_every_optional_category(extended):
    v = obtain_consent(extended.port)
    assert consent_parts(v)["cats"] == "statistical+marketing"
    s = state(extended.port, cookie="cookieconsent=" + v)
    assert s["accepted"] == ["necessary", "statistical", "marketing"] and s["refused"] == [], s


NAMES_Q = "/cgi-bin/setq.cgi?n=_pk_id.1.abcd&n=_pk_ses.1.abcd&n=_fbp&n=csrftoken"


@pytest.mark.parametrize("cats,kept", [
    (["statistical"], ["_pk_id.1.abcd", "csrftoken"]),
    (["marketing"], ["_fbp", "csrftoken"]),
    (["statistical", "marketing"], ["_pk_id.1.abcd", "_pk_ses.1.abcd", "_fbp", "csrftoken"]),
    ([], ["csrftoken"]),
])
def test_name_of_several_categories_needs_all(extended, cats, kept):
    """_pk_ses.1.abcd matches a statistical and a marketing row: allowed only if both are."""
    v = obtain_consent(extended.port, "save", cats)
    r = get(extended.port, NAMES_Q, cookie="cookieconsent=" + v)
    assert r.set_cookie_names == kept, r
    s = state(extended.port, cookie="cookieconsent=" + v)
    assert s["accepted"] == ["necessary"] + [c for c in ("statistical", "marketing") if c in cats]
