"""Global Privacy Control: `Sec-GPC: 1` (exactly) without a decision is a refusal (source gpc)."""
import pytest

from cc_helpers import KEPT_STATISTICAL, KEPT_UNDECIDED, cgi_env, get, obtain_consent, \
    state


@pytest.fixture(scope="module")
def gpc_off(start_apache):
    inst = start_apache("gpc-off", extra="CookieConsentGPC Off\n")
    yield inst
    inst.stop()


def test_gpc_without_cookie(apache):
    s = state(apache.port, headers=[("Sec-GPC", "1")])
    assert s["decided"] is False
    assert s["source"] == "gpc"
    assert s["accepted"] == ["necessary"] and s["refused"] == ["statistical"]
    r = get(apache.port, "/hdr/index.html", headers=[("Sec-GPC", "1")])
    assert r.set_cookies == KEPT_UNDECIDED, r
    e = cgi_env(apache.port, headers=[("Sec-GPC", "1")])["env"]
    assert e.get("COOKIECONSENT_SOURCE") == "gpc" and e.get("COOKIECONSENT_DECIDED") == "0", e


def test_explicit_choice_wins_over_gpc(apache):
    v = obtain_consent(apache.port)
    s = state(apache.port, cookie="cookieconsent=" + v, headers=[("Sec-GPC", "1")])
    assert s["decided"] is True and s["source"] == "banner", s
    assert s["accepted"] == ["necessary", "statistical"]
    r = get(apache.port, "/hdr/index.html", cookie="cookieconsent=" + v,
            headers=[("Sec-GPC", "1")])
    assert r.set_cookies == KEPT_STATISTICAL, r


@pytest.mark.parametrize("value", ["0", "true", "yes", "11", "1x", "01", "on"])
def test_other_values_are_not_gpc(apache, value):
    s = state(apache.port, headers=[("Sec-GPC", value)])
    assert s["source"] == "none", (value, s)
    assert s["decided"] is False


def test_do_not_track_has_no_effect(apache):
    assert state(apache.port, headers=[("DNT", "1")])["source"] == "none"


def test_gpc_off(gpc_off):
    s = state(gpc_off.port, headers=[("Sec-GPC", "1")])
    assert s["source"] == "none", s
    assert s["decided"] is False
    e = cgi_env(gpc_off.port, headers=[("Sec-GPC", "1")])["env"]
    assert e.get("COOKIECONSENT_SOURCE") == "none", e
    # still opt-in: optional cookies are refused without a decision
    assert get(gpc_off.port, "/hdr/index.html").set_cookies == KEPT_UNDECIDED


def test_gpc_setting_does_not_change_fingerprint(apache, gpc_off):
    v = obtain_consent(apache.port)
    s = state(gpc_off.port, cookie="cookieconsent=" + v)
    assert s["fingerprint"] == "current" and s["decided"] is True, s
