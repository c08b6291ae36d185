"""<VirtualHost> merging: categories merged by name (vhost wins), rows are the parent's followed by
the vhost's, single settings overridden per vhost."""
import pytest

from cc_helpers import ALL_SET, consent_from, consent_parts, forge, get, post_consent, state

VHOSTS = """\
<VirtualHost 127.0.0.1:@PORT@>
    ServerName a.test
</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName b.test
    CookieConsentUndeclared allow
    <CookieConsentCategory marketing>
        Title "Marketing"
    </CookieConsentCategory>
    <CookieConsentCookie "Ads">
        Category marketing
        Names _fbp
    </CookieConsentCookie>
</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName c.test
    CookieConsent Off
</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName d.test
    <CookieConsentCategory statistical>
        Required On
    </CookieConsentCategory>
</VirtualHost>
"""

Q = "/cgi-bin/setq.cgi?n=csrftoken&n=_pk_id.1.abcd&n=_fbp&n=tracker"


@pytest.fixture(scope="module")
def vh(start_apache):
    inst = start_apache("vhosts", vhosts=VHOSTS)
    yield inst
    inst.stop()


def test_vhost_inherits_server_declarations(vh):
    r = get(vh.port, Q, host="a.test")
    assert r.set_cookie_names == ["csrftoken"], r      # _fbp is undeclared there


def test_vhost_adds_category_rows_and_settings(vh):
    r = get(vh.port, Q, host="b.test")
    assert r.set_cookie_names == ["csrftoken", "tracker"], r   # undeclared allowed, _fbp refused
    s = state(vh.port, host="b.test")
    assert s["accepted"] == ["necessary"] and s["refused"] == ["statistical", "marketing"], s
    r = post_consent(vh.port, "accept-all", ret="/", host="b.test")
    v = consent_from(r).value
    assert consent_parts(v)["cats"] == "statistical+marketing"
    r = get(vh.port, Q, host="b.test", cookie="cookieconsent=" + v)
    assert r.set_cookie_names == ["csrftoken", "_pk_id.1.abcd", "_fbp", "tracker"], r


def test_vhosts_have_different_fingerprints(vh):
    va = obtain_consent_host(vh, "a.test")
    vb = obtain_consent_host(vh, "b.test")
    assert consent_parts(va)["fp"] != consent_parts(vb)["fp"]
    # issue 10: the MAC binds a value to the virtual host that wrote it, so a's value is not even
    # read as a's declarations on b: it is a bad MAC there (stale only with b's own signature)
    s = state(vh.port, host="b.test", cookie="cookieconsent=" + va)
    assert s["cookie"] == "bad-mac" and s["fingerprint"] == "none" and not s["decided"], s
    s = state(vh.port, host="b.test", cookie="cookieconsent=" + forge(va, site="b.test"))
    assert s["cookie"] == "stale" and s["fingerprint"] == "stale", s


def obtain_consent_host(vh, host):
    r = post_consent(vh.port, "accept-all", ret="/", host=host)
    assert r.status == 303, r
    return consent_from(r).value


def test_vhost_off(vh):
    r = get(vh.port, "/hdr/index.html", host="c.test")
    assert r.set_cookies == ALL_SET, r


def test_vhost_category_override_wins(vh):
    r = get(vh.port, Q, host="d.test")
    assert r.set_cookie_names == ["csrftoken", "_pk_id.1.abcd"], r
    s = state(vh.port, host="d.test")
    assert s["accepted"] == ["necessary", "statistical"] and s["refused"] == [], s
