"""Issue 7, item 19: the "cookie" field of GET /cookieconsent/state, for every value a visitor can
produce (cc_consent_status_name): valid, absent, malformed, stale, expired, future, conflict, and
(issue 10) bad-mac and unsigned (version 1)."""
import time

import pytest

from cc_helpers import DEFAULT_LIFETIME, consent_parts, forge, obtain_consent, sign, state, \
    unsigned_v1


def consent_cookies(apache, case):
    """The Cookie header of each case; None for no header at all."""
    now = int(time.time())
    v = obtain_consent(apache.port, "accept-all")
    fp = consent_parts(v)["fp"]
    other_fp = "0123456789ab" if fp != "0123456789ab" else "ba9876543210"
    return {
        "valid": "cookieconsent=" + v,
        "absent": None,
        "absent-empty-value": "cookieconsent=; csrftoken=x",
        "absent-other-cookies-only": "csrftoken=x; _pk_id.1.abcd=1",
        "malformed": "cookieconsent=garbage",
        "malformed-version": "cookieconsent=" + sign("3" + v[1:].rsplit(".", 1)[0]),
        "malformed-unknown-category": "cookieconsent=" + forge(v, cats="marketing"),
        "malformed-required-category": "cookieconsent=" + forge(v, cats="necessary"),
        "stale": "cookieconsent=" + forge(v, fp=other_fp),
        "expired": "cookieconsent=" + forge(v, time=now - DEFAULT_LIFETIME - 600),
        "future": "cookieconsent=" + forge(v, time=now + 3600),
        "conflict": "cookieconsent=%s; cookieconsent=%s"
                    % (v, obtain_consent(apache.port, "reject-all")),
        "bad-mac": "cookieconsent=" + forge(v, key=b"x" * 32),
        "bad-mac-other-site": "cookieconsent=" + forge(v, site="other.test"),
        "unsigned": "cookieconsent=" + unsigned_v1(v),
    }[case]


CASES = ["valid", "absent", "absent-empty-value", "absent-other-cookies-only", "malformed",
         "malformed-version", "malformed-unknown-category", "malformed-required-category",
         "stale", "expired", "future", "conflict", "bad-mac", "bad-mac-other-site", "unsigned"]


@pytest.mark.parametrize("case", CASES)
def test_state_cookie_field(apache, case):
    s = state(apache.port, cookie=consent_cookies(apache, case))
    want = "bad-mac" if case.startswith("bad-mac") else case.split("-")[0]
    assert s["cookie"] == want, s
    if want == "valid":
        assert s["decided"] is True and s["fingerprint"] == "current", s
        assert s["accepted"] == ["necessary", "statistical"] and s["consent_id"], s
        return
    # every other value is no decision: opt-in, nothing optional accepted
    assert s["decided"] is False and s["source"] == "none", s
    assert s["accepted"] == ["necessary"] and s["refused"] == ["statistical"], s
    assert s["consent_id"] is None and s["decided_at"] is None, s
    assert s["fingerprint"] == ("stale" if want == "stale" else "none"), s


def test_state_cookie_several_invalid_copies_give_the_last_ones_status(apache):
    v = obtain_consent(apache.port, "accept-all")
    stale = forge(v, fp="0123456789ab" if consent_parts(v)["fp"] != "0123456789ab"
                  else "ba9876543210")
    s = state(apache.port, cookie="cookieconsent=garbage; cookieconsent=" + stale)
    assert s["cookie"] == "stale" and s["decided"] is False, s
    s = state(apache.port, cookie="cookieconsent=%s; cookieconsent=garbage" % stale)
    assert s["cookie"] == "malformed", s
    # a valid copy wins over invalid ones
    s = state(apache.port, cookie="cookieconsent=garbage; cookieconsent=%s; cookieconsent=%s"
              % (v, stale))
    assert s["cookie"] == "valid" and s["decided"] is True, s
