"""Issue 10, signed consent cookie: a value the module did not sign for this virtual host grants
nothing (forged, tampered, replayed from another virtual host, planted for the parent domain by a
sibling site), CookieConsentSecretFile (errors at apachectl -t, rotation), the key generated under
the ServerRoot (kept across restarts)."""
import os
import re
import stat
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from cc_helpers import KEPT_UNDECIDED, KEPT_STATISTICAL, TEST_SECRET_KEY, cgi_env, \
    consent_from, consent_mac, consent_parts, cookie_names, forge, get, obtain_consent, \
    post_consent, sign, state, unsigned_v1, wait_for
from conftest import APACHE, SANITIZE
from harness.apache import config_test

SETTER = "/cgi-bin/setcookies.cgi"
KEY_A = bytes(range(0xa0, 0xc0))
KEY_B = bytes(range(0xc0, 0xe0))
BAD_MAC_LINE = re.compile(r"\[cookieconsent:info\].*\[client 127\.0\.0\.1:\d+\] cookieconsent: "
                          r"consent cookie with a bad MAC from 127\.0\.0\.1 ignored")


def write_secret(path, *keys, mode=0o600):
    """A secret file with one hex key a line (the first signs)."""
    path = Path(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write("".join(k.hex() + "\n" if isinstance(k, bytes) else k for k in keys))
    os.chmod(path, mode)
    return path


def restart(inst, how="graceful"):
    """apache2 -k graceful|restart, then wait until the new generation serves. In sanitizer mode
    (one apache2 -X process, which does not restart) a stop and a start: the keys are read by the
    same check_config either way."""
    if SANITIZE:
        inst.stop()
        inst.start()
        return
    before = inst.error_log().count("resuming normal operations")
    p = subprocess.run([APACHE, "-f", str(inst.conf_path), "-k", how], capture_output=True,
                       text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert wait_for(lambda: inst.error_log().count("resuming normal operations") > before,
                    timeout=20), inst.error_log()[-3000:]
    assert wait_for(lambda: get(inst.port, "/cookieconsent/state").status == 200, timeout=10)


def bad_mac_lines(inst, offset):
    return [l for l in inst.log_since(offset).splitlines() if BAD_MAC_LINE.search(l)]


def assert_grants_nothing(port, value, host=None):
    """value as the consent cookie: nothing optional is set, kept or seen by the application."""
    ck = "cookieconsent=%s; _pk_id.1.abcd=seen; csrftoken=c" % value
    r = get(port, SETTER, cookie=ck, host=host)
    assert r.non_expiry_set_cookies() == KEPT_UNDECIDED, r
    assert "_pk_id.1.abcd" in [e.name for e in r.expiries()], r
    got = cgi_env(port, cookie=ck, host=host)
    assert cookie_names(got["cookie"]) == ["cookieconsent", "csrftoken"], got
    assert got["env"]["COOKIECONSENT_DECIDED"] == "0", got
    assert got["env"]["COOKIECONSENT_CATEGORIES"] == "necessary", got
    s = state(port, cookie="cookieconsent=" + value, host=host)
    assert s["decided"] is False and s["accepted"] == ["necessary"], s
    return s


# --- the endpoint signs what it sets ------------------------------------------------------------
def test_endpoint_signs_with_the_first_key_for_the_server_name(apache):
    v = obtain_consent(apache.port, "accept-all")
    p = consent_parts(v)
    body = v.rsplit(".", 1)[0]
    # HMAC-SHA-256 over the label, the ServerName's host (127.0.0.1) and the value, 128 bits
    assert p["mac"] == consent_mac(body, "127.0.0.1", TEST_SECRET_KEY)
    assert p["mac"] != consent_mac(body, "localhost", TEST_SECRET_KEY)
    assert state(apache.port, cookie="cookieconsent=" + v)["decided"] is True
    # the control of the tests below: what the module accepts, forge() writes the same way
    assert forge(v) == v


# --- forged, tampered, replayed -----------------------------------------------------------------
@pytest.mark.parametrize("case", ["no-mac", "zero-mac", "other-key", "v1", "cats-changed",
                                  "id-changed", "time-changed", "fp-changed", "mac-of-reject"])
def test_forged_or_tampered_value_grants_nothing(apache, case):
    reject = obtain_consent(apache.port, "reject-all")
    p = consent_parts(reject)
    accept_body = "2.%s.%s.%s.statistical" % (p["fp"], p["time"], p["id"])
    value = {
        "no-mac": accept_body,
        "zero-mac": accept_body + "." + "A" * 22,
        "other-key": forge(reject, key=b"\x01" * 32, cats="statistical"),
        "v1": unsigned_v1(forge(reject, cats="statistical")),
        # a real signed value with one field changed and its MAC kept
        "cats-changed": "%s.%s" % (accept_body, p["mac"]),
        "id-changed": "2.%s.%s.%s.-.%s" % (p["fp"], p["time"], "B" * 22, p["mac"]),
        "time-changed": "2.%s.%d.%s.-.%s" % (p["fp"], int(p["time"]) + 1, p["id"], p["mac"]),
        "fp-changed": "2.%s.%s.%s.-.%s" % ("0" * 12, p["time"], p["id"], p["mac"]),
        # the MAC of the visitor's real refusal under the acceptance
        "mac-of-reject": accept_body + "." + p["mac"],
    }[case]
    off = apache.log_size()
    s = assert_grants_nothing(apache.port, value)
    assert s["cookie"] == ("unsigned" if case == "v1" else "malformed" if case == "no-mac"
                           else "bad-mac"), s
    if s["cookie"] == "bad-mac":
        # logged at INFO with the client address, once per request (3 requests above)
        assert wait_for(lambda: len(bad_mac_lines(apache, off)) == 3), apache.log_since(off)
    else:
        assert bad_mac_lines(apache, off) == []


def test_bad_mac_logged_once_per_request(apache):
    forged = forge(obtain_consent(apache.port), key=b"\x02" * 32)
    off = apache.log_size()
    # three forged copies in one request, one in the next
    r = get(apache.port, "/index.html",
            cookie="cookieconsent=%s; cookieconsent=%s; cookieconsent=%s" % (forged, forged,
                                                                              forged))
    assert r.status == 200
    r = get(apache.port, "/index.html", cookie="cookieconsent=" + forged)
    assert r.status == 200
    assert wait_for(lambda: len(bad_mac_lines(apache, off)) == 2), apache.log_since(off)
    time.sleep(0.2)
    assert len(bad_mac_lines(apache, off)) == 2, apache.log_since(off)


TWO_SITES = """\
<VirtualHost 127.0.0.1:@PORT@>
    ServerName www.a.test
    ServerAlias a.test
</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName shop.a.test
</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName www.b.test
</VirtualHost>
"""


@pytest.fixture(scope="module")
def sites(start_apache):
    """Three virtual hosts with the same declarations (the server's) and the same key."""
    inst = start_apache("signed-sites", vhosts=TWO_SITES)
    yield inst
    inst.stop()


def consent_on(inst, host, action="accept-all"):
    r = post_consent(inst.port, action, ret="/", host=host)
    assert r.status == 303, r
    return consent_from(r).value


def test_value_replayed_on_another_vhost_grants_nothing(sites):
    va = consent_on(sites, "www.a.test")
    vb = consent_on(sites, "www.b.test")
    # same declarations, same key: only the site name in the MAC tells them apart
    assert consent_parts(va)["fp"] == consent_parts(vb)["fp"]
    assert state(sites.port, host="www.a.test", cookie="cookieconsent=" + va)["decided"] is True
    r = get(sites.port, SETTER, host="www.a.test", cookie="cookieconsent=" + va)
    assert r.set_cookies == KEPT_STATISTICAL, r
    off = sites.log_size()
    for host in ("www.b.test", "shop.a.test"):
        s = assert_grants_nothing(sites.port, va, host=host)
        assert s["cookie"] == "bad-mac", s
    assert wait_for(lambda: len(bad_mac_lines(sites, off)) == 6), sites.log_since(off)
    # an alias is the same virtual host: the same site
    assert state(sites.port, host="a.test", cookie="cookieconsent=" + va)["decided"] is True
    # and b's own value works on b
    assert state(sites.port, host="www.b.test", cookie="cookieconsent=" + vb)["decided"] is True


def test_sibling_domain_forgery_is_refused(sites):
    """shop.a.test (or a script on it) sets `cookieconsent=...; Domain=a.test`: the browser sends
    www.a.test both that copy and the visitor's own. A copy without www.a.test's signature is
    ignored: the visitor's own refusal stands, no conflict, and nothing optional is granted."""
    own = consent_on(sites, "www.a.test", "reject-all")
    p = consent_parts(own)
    planted = {
        "forged": "2.%s.%s.%s.statistical.%s" % (p["fp"], int(time.time()), "C" * 22, "D" * 22),
        "signed-by-the-sibling": consent_on(sites, "shop.a.test", "accept-all"),
        "other-key": forge(own, site="www.a.test", key=b"\x03" * 32, cats="statistical"),
    }
    for name, bad in planted.items():
        for ck in ("cookieconsent=%s; cookieconsent=%s" % (own, bad),
                   "cookieconsent=%s; cookieconsent=%s" % (bad, own)):
            off = sites.log_size()
            s = state(sites.port, host="www.a.test", cookie=ck)
            assert s["decided"] is True and s["cookie"] == "valid", (name, s)
            assert s["accepted"] == ["necessary"] and s["consent_id"] == p["id"], (name, s)
            r = get(sites.port, SETTER, host="www.a.test",
                    cookie=ck + "; _pk_id.1.abcd=x")
            assert r.non_expiry_set_cookies() == KEPT_UNDECIDED, (name, r)
            assert wait_for(lambda: len(bad_mac_lines(sites, off)) == 2), (name,
                                                                           sites.log_since(off))
        # alone (a first visit), the planted copy is no decision: the banner asks
        s = assert_grants_nothing(sites.port, bad, host="www.a.test")
        assert s["cookie"] == "bad-mac", (name, s)


def test_sibling_value_signed_for_this_site_is_a_conflict(sites):
    """What a MAC cannot tell: a genuine value of this site (the attacker's own, say) planted for
    the parent domain beside the visitor's. The copies disagree: no decision (nothing optional),
    the banner asks, and the next choice expires the parent-domain copy (unchanged behaviour)."""
    own = consent_on(sites, "www.a.test", "reject-all")
    genuine = consent_on(sites, "www.a.test", "accept-all")
    ck = "cookieconsent=%s; cookieconsent=%s" % (own, genuine)
    s = state(sites.port, host="www.a.test", cookie=ck)
    assert s["decided"] is False and s["cookie"] == "conflict", s
    r = post_consent(sites.port, "reject-all", ret="/", cookie=ck, host="www.a.test")
    assert [e.domain for e in r.expiries("cookieconsent")] == ["a.test"], r.set_cookies


# --- CookieConsentSecretFile errors at apachectl -t ---------------------------------------------
@pytest.fixture(scope="module")
def secrets(workdir):
    d = Path(tempfile.mkdtemp(prefix="secrets-", dir=workdir))
    d.chmod(0o700)
    return d


SECRET_CASES = {
    # id -> (how to make the file, regexes for stderr)
    "missing": (lambda p: None, [r"cannot be opened", r"No such file", r"openssl rand -hex 32"]),
    "directory": (lambda p: p.mkdir(mode=0o700), [r"not a regular file"]),
    "empty": (lambda p: write_secret(p), [r"no key in the file"]),
    "comments-only": (lambda p: write_secret(p, "# a comment\n\n"), [r"no key in the file"]),
    "too-short": (lambda p: write_secret(p, bytes(16)),
                  [r":1: the key is 16 bytes, fewer than 32"]),
    "too-short-second-line": (lambda p: write_secret(p, KEY_A, "c2hvcnQ=\n"),
                              [r":2: the key is 5 bytes, fewer than 32"]),
    "malformed": (lambda p: write_secret(p, KEY_A, "secret = hunter2\n"),
                  [r":2: ' ' is neither hex nor base64"]),
    "world-readable": (lambda p: write_secret(p, KEY_A, mode=0o644),
                       [r"group or by others \(mode 0644\)", r"forge consent", r"chmod 600"]),
    "group-readable": (lambda p: write_secret(p, KEY_A, mode=0o640),
                       [r"group or by others \(mode 0640\)", r"chmod 600"]),
    "not-owned-by-root": (lambda p: (write_secret(p, KEY_A), os.chown(p, 65534, 65534)),
                          [r"owned by uid 65534, not by root", r"chown root"]),
}


@pytest.mark.parametrize("case", sorted(SECRET_CASES))
def test_secret_file_error_fails_config_test(conf_test, secrets, case):
    make, wants = SECRET_CASES[case]
    path = secrets / case
    make(path)
    p = conf_test(extra='CookieConsentSecretFile "%s"\n' % path)
    out = p.stderr + p.stdout
    assert p.returncode != 0, out
    # the directive, its file:line, the secret file, the problem
    line = [i for i, l in enumerate(p.conf_path.read_text().splitlines(), 1)
            if l.startswith("CookieConsentSecretFile") and str(path) in l][0]
    assert re.search(r"CookieConsentSecretFile \(%s:%d\): %s" % (re.escape(str(p.conf_path)),
                                                                 line, re.escape(str(path))),
                     out), out
    for w in wants:
        assert re.search(w, out), (w, out)


def test_good_secret_files_pass_config_test(conf_test, secrets):
    import base64
    cases = {
        "hex": KEY_A.hex() + "\n",
        "base64": base64.b64encode(KEY_A).decode() + "\n",
        "base64url-rotation": "# new\n%s\n# old\n%s\n" % (
            base64.urlsafe_b64encode(KEY_B).decode().rstrip("="), KEY_A.hex()),
        "read-only": KEY_A.hex(),
    }
    for name, text in cases.items():
        path = write_secret(secrets / ("good-" + name), text, mode=0o400 if name == "read-only"
                            else 0o600)
        p = conf_test(extra='CookieConsentSecretFile "%s"\n' % path)
        assert p.returncode == 0, (name, p.stderr)


def test_secret_file_in_a_vhost(conf_test, secrets):
    good = write_secret(secrets / "vhost-good", KEY_A)
    bad = write_secret(secrets / "vhost-bad", KEY_A, mode=0o604)
    vh = ("<VirtualHost 127.0.0.1:@PORT@>\n    ServerName v.test\n"
          '    CookieConsentSecretFile "%s"\n</VirtualHost>\n')
    assert conf_test(vhosts=vh % good).returncode == 0
    p = conf_test(vhosts=vh % bad)
    assert p.returncode != 0 and "mode 0604" in p.stderr, p.stderr


def test_config_test_does_not_generate_a_key(conf_test):
    p = conf_test(secret=False)
    assert p.returncode == 0, p.stderr
    assert "will be generated in" in p.stderr, p.stderr
    assert not (p.conf_path.parent / "cookieconsent").exists()


# --- rotation -----------------------------------------------------------------------------------
def test_rotation_keeps_old_consents_valid(start_apache, secrets):
    path = write_secret(secrets / "rotating", KEY_A)
    inst = start_apache("rotation", extra='CookieConsentSecretFile "%s"\n' % path)
    try:
        old = obtain_consent(inst.port, "accept-all")
        assert consent_parts(old)["mac"] == consent_mac(old.rsplit(".", 1)[0], key=KEY_A)

        # a new first line signs; the old key, second, still verifies (graceful restart)
        write_secret(path, KEY_B, KEY_A)
        restart(inst, "graceful")
        s = state(inst.port, cookie="cookieconsent=" + old)
        assert s["decided"] is True and s["consent_id"] == consent_parts(old)["id"], s
        r = get(inst.port, SETTER, cookie="cookieconsent=" + old)
        assert r.set_cookies == KEPT_STATISTICAL, r
        new = obtain_consent(inst.port, "accept-all")
        assert consent_parts(new)["mac"] == consent_mac(new.rsplit(".", 1)[0], key=KEY_B)
        assert state(inst.port, cookie="cookieconsent=" + new)["decided"] is True

        # once every old consent has expired, the old key goes: its values are no decision
        write_secret(path, KEY_B)
        restart(inst, "graceful")
        s = assert_grants_nothing(inst.port, old)
        assert s["cookie"] == "bad-mac", s
        assert state(inst.port, cookie="cookieconsent=" + new)["decided"] is True

        # a broken file at restart: httpd refuses the new configuration
        write_secret(path, KEY_B, mode=0o644)
        p = config_test(inst.conf_path)
        assert p.returncode != 0 and "mode 0644" in p.stderr, p.stderr
        os.chmod(path, 0o600)
    finally:
        inst.stop()


# --- the generated key --------------------------------------------------------------------------
def test_generated_key_persists_across_restarts(start_apache):
    inst = start_apache("genkey", secret=False)
    try:
        key = inst.root / "cookieconsent" / "secret"
        st = key.stat()
        assert stat.S_IMODE(st.st_mode) == 0o600 and st.st_uid == 0, oct(st.st_mode)
        assert stat.S_IMODE((inst.root / "cookieconsent").stat().st_mode) == 0o700
        text = key.read_text()
        assert re.fullmatch(r"[0-9a-f]{64}\n", text), text
        assert [f.name for f in (inst.root / "cookieconsent").iterdir()] == ["secret"]
        assert "generated a consent key in %s" % key in inst.error_log()

        v = obtain_consent(inst.port, "accept-all")
        body = v.rsplit(".", 1)[0]
        assert consent_parts(v)["mac"] == consent_mac(body, key=bytes.fromhex(text.strip()))
        # the harness's key is not this server's
        assert state(inst.port, cookie="cookieconsent=" + sign(body))["cookie"] == "bad-mac"

        for how in ("restart", "graceful"):
            restart(inst, how)
            assert key.read_text() == text
            s = state(inst.port, cookie="cookieconsent=" + v)
            assert s["decided"] is True and s["consent_id"] == consent_parts(v)["id"], (how, s)
        inst.stop()
        inst.start()
        assert key.read_text() == text
        assert state(inst.port, cookie="cookieconsent=" + v)["decided"] is True
        assert inst.error_log().count("generated a consent key") == 1, inst.error_log()
    finally:
        inst.stop()


def test_generated_key_that_others_can_read_fails_config_test(conf_test):
    p = conf_test(secret=False)
    d = p.conf_path.parent / "cookieconsent"
    d.mkdir(mode=0o700)
    write_secret(d / "secret", KEY_A, mode=0o644)
    try:
        p = conf_test(secret=False)
        assert p.returncode != 0, p.stderr
        assert re.search(r"the generated consent key \(no CookieConsentSecretFile\): \S+/secret "
                         r"can be read or written by its group or by others \(mode 0644\)",
                         p.stderr), p.stderr
    finally:
        (d / "secret").unlink()
        d.rmdir()
