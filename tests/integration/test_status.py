"""mod_status' "Cookie consent" section and the discovery report (issue 11), across several
children: an Apache with mpm_prefork whose children serve two connections each
(MaxConnectionsPerChild 2), so a known sequence of requests lands in many processes (the access
log's %P says which), then ?auto and <endpoint>/discovered are read and must add up; a graceful
restart keeps both, and a row declared on that restart takes its names out of the report."""
import re
import subprocess
import time

import pytest

from cc_helpers import get, post_consent, request
from conftest import SANITIZE, Apache
from harness.config import render_server_conf

pytestmark = pytest.mark.skipif(bool(SANITIZE), reason="several children and a graceful restart: "
                                "apache2 -X has neither")

PAGE = """<!DOCTYPE html><html><head><title>t</title>
<script src="https://tracker.example/t.js"></script>
<script src="https://cdn.thirdparty.example/lib.js?x=1"></script>
</head><body><p>hello</p>
<img src="https://pixel.example/p.gif?id=7" width="1" height="1" alt="">
<img src="https://images.example/photo.jpg" width="600" alt="a photo">
<iframe src="https://video.example/embed/1"></iframe>
<script src="/local.js"></script>
</body></html>
"""

DECLS = """
<CookieConsentCategory necessary>
    Required On
    Title "Necessary"
    Description "Needed."
</CookieConsentCategory>
<CookieConsentCategory statistical>
    Title "Statistics"
    Description "Counting."
</CookieConsentCategory>
<CookieConsentCookie "Session">
    Category necessary
    Names sessionid
    Retention session
</CookieConsentCookie>
<CookieConsentCookie "Piwik">
    Category statistical
    Names _pk_id*
    Retention 30d
    Block https://tracker.example/*
</CookieConsentCookie>
"""


PROCESSES = """\
StartServers 3
MinSpareServers 3
MaxSpareServers 8
ServerLimit 16
MaxRequestWorkers 16
MaxConnectionsPerChild 2"""


def conf_text(root, port, htdocs, modpath, extra_rows="", decls=DECLS, processes=PROCESSES):
    body = f"""\
LogFormat "%P %r" pidfmt
CookieConsent On
{decls}
{extra_rows}
<Location /set>
    Header always add Set-Cookie "_pk_id.1.ab=1; Path=/; Max-Age=99999999"
    Header always add Set-Cookie "_ga_ABC123=GA1.1; Domain=.site.test; Path=/; Max-Age=63072000; Secure; SameSite=Lax"
    Header always add Set-Cookie "_ga_XYZ789=GA1.2; Domain=.site.test; Path=/; Max-Age=1000; Secure; SameSite=Lax"
    Header always add Set-Cookie "trk_session=1; Path=/shop; HttpOnly"
</Location>
<Location /server-status>
    SetHandler server-status
    CookieConsent Off
    Require ip 127.0.0.1
</Location>
<Location /admin/discovered>
    SetHandler cookieconsent-discovered
    Require ip 127.0.0.1
</Location>
<VirtualHost 127.0.0.1:{port}>
    ServerName 127.0.0.1
</VirtualHost>
<VirtualHost 127.0.0.1:{port}>
    ServerName other.test
</VirtualHost>
"""
    return render_server_conf(
        "tests/integration/test_status.py", body, ROOT=root, LISTEN="127.0.0.1:%d" % port,
        SERVERNAME="127.0.0.1:%d" % port, LOGLEVEL="notice", PROCESSES=processes,
        KEEPALIVE="Off", DOCROOT=htdocs, ACCESSLOG="pidfmt",
        MODULES=["mpm_prefork", "authz_core", "authz_host", "mime", "headers", "status",
                 "cookieconsent=%s" % modpath]).decode("utf-8")


@pytest.fixture(scope="module")
def multi(workdir, site, backend, modpath):
    inst = Apache("status", workdir, site, backend.port, modpath)
    htdocs = inst.root / "htdocs"
    (htdocs / "set").mkdir(parents=True)
    (htdocs / "plain.txt").write_text("plain\n")
    (htdocs / "set" / "index.txt").write_text("set\n")
    (htdocs / "page.html").write_text(PAGE)
    subprocess.run(["chmod", "-R", "a+rX", str(inst.root)], check=True)
    inst.htdocs = htdocs
    inst.modpath = modpath
    inst.conf_path.write_text(conf_text(inst.root, inst.port, htdocs, modpath))
    inst.start()
    yield inst
    inst.stop()
    assert not inst.crashes, "\n".join(inst.crashes)


def auto(inst):
    r = get(inst.port, "/server-status?auto")
    assert r.status == 200, r
    out = {}
    for line in r.text().splitlines():
        k, sep, v = line.partition(": ")
        if sep and k.startswith("CookieConsent"):
            out[k] = int(v)
    return out


def vhost_key(inst, host="127.0.0.1"):
    return "%s_%d" % (host, inst.port)


def discovered(inst):
    r = get(inst.port, "/admin/discovered?format=json")
    assert r.status == 200, r
    assert r.header("Content-Type").startswith("application/json")
    return r.json()


def pids_of(inst, path_prefix):
    pids = set()
    for line in inst.access_log().splitlines():
        m = re.match(r"(\d+) \S+ (\S+)", line)
        if m and m.group(2).startswith(path_prefix):
            pids.add(int(m.group(1)))
    return pids


def graceful(inst):
    before = inst.error_log().count("resuming normal operations")
    p = subprocess.run(["/usr/sbin/apache2", "-f", str(inst.conf_path), "-k", "graceful"],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    end = time.time() + 20
    while time.time() < end and inst.error_log().count("resuming normal operations") <= before:
        time.sleep(0.1)
    assert inst.error_log().count("resuming normal operations") > before, inst.error_log()
    time.sleep(0.5)


SEQ = {}


def test_counters_add_up_across_children(multi):
    """A known sequence over many children: every counter of the virtual host says what
    happened, the other virtual host counts only its own requests, the totals are the sums."""
    port = multi.port
    for _ in range(4):
        assert get(port, "/plain.txt").status == 200
    for _ in range(3):
        assert get(port, "/plain.txt", headers=[("Sec-GPC", "1")]).status == 200
    r = post_consent(port, "accept-all", ret="/")
    assert r.status == 303
    accept = [c for c in r.set_cookies if c.startswith("cookieconsent=")][0].split(";")[0]
    r = post_consent(port, "reject-all", ret="/")
    assert r.status == 303
    reject = [c for c in r.set_cookies if c.startswith("cookieconsent=")][0].split(";")[0]
    for _ in range(5):
        r = get(port, "/set/index.txt", cookie=accept)
        assert r.status == 200
        names = r.set_cookie_names
        assert "_pk_id.1.ab" in names and "_ga_ABC123" not in names
    for _ in range(2):
        r = get(port, "/set/index.txt", cookie=reject + "; _pk_id.1.ab=x; jsonly_pref=dark")
        assert r.status == 200
        assert "_pk_id.1.ab" in [c.name for c in r.expiries()]
    for _ in range(2):
        r = get(port, "/page.html")
        assert r.status == 200
        assert b'data-cc-src="https://tracker.example/t.js"' in r.body
    for _ in range(2):
        assert get(port, "/plain.txt", host="other.test").status == 200
    # a consent cookie whose MAC was tampered with: no decision, counted as a bad signature
    forged = accept[:-1] + ("A" if accept[-1] != "A" else "B")
    for _ in range(3):
        assert get(port, "/plain.txt", cookie=forged).status == 200

    pids = pids_of(multi, "/")
    assert len(pids) >= 4, "the requests should have been served by several children: %s" % pids

    a = auto(multi)
    k = vhost_key(multi)
    o = vhost_key(multi, "other.test")
    expect = {
        # 4 plain + 2 consent POSTs (undecided when they arrive) + 2 pages + 3 forged
        "RequestsUndecided": 11, "RequestsGPC": 3, "RequestsDecided": 7,
        "ChoicesAcceptAll": 1, "ChoicesRejectAll": 1, "ChoicesSave": 0, "ChoicesAllow": 0,
        # _ga_ABC123, _ga_XYZ789 and trk_session on 7 responses, _pk_id.1.ab on 2
        "SetCookieRemoved": 7 * 3 + 2,
        "RetentionClamped": 5,            # _pk_id.1.ab's Max-Age above 30d, accepted
        "HeldCookiesExpired": 4,          # _pk_id.1.ab (refused), jsonly_pref (undeclared)
        "ElementsHeld": 2,                # tracker.example/t.js on each page
        "UndeclaredSeen": 7 * 3 + 2,      # the Set-Cookies above, jsonly_pref twice
        "BadSignature": 3,                # the tampered consent cookie
    }
    for name, want in expect.items():
        assert a["CookieConsent%s@%s" % (name, k)] == want, (name, a)
    assert a["CookieConsentRequestsUndecided@%s" % o] == 2
    assert a["CookieConsentRequestsDecided@%s" % o] == 0
    for name in expect:
        total = sum(v for key, v in a.items() if key.startswith("CookieConsent%s@" % name))
        assert a["CookieConsent%s" % name] == total, name
    assert a["CookieConsentSince@%s" % k] <= time.time() + 1
    # _ga_*, trk_session, jsonly_pref; cdn.thirdparty.example, pixel.example, video.example
    assert a["CookieConsentDiscoveredNames@%s" % k] == 3
    assert a["CookieConsentDiscoveredHosts@%s" % k] == 3
    SEQ["auto"] = a


def test_status_html_section(multi):
    r = get(multi.port, "/server-status")
    assert r.status == 200
    text = r.text()
    assert "<h2>Cookie consent</h2>" in text
    assert "Set-Cookie headers removed" in text
    assert "other.test:%d" % multi.port in text


def test_discovery_report_across_children(multi):
    rep = discovered(multi)
    assert rep["vhost"] == "127.0.0.1:%d" % multi.port
    cookies = {c["glob"]: c for c in rep["cookies"]}
    assert set(cookies) == {"_ga_*", "trk_session", "jsonly_pref"}, cookies
    ga = cookies["_ga_*"]
    assert ga["count"] == 14 and ga["example"] in ("_ga_ABC123", "_ga_XYZ789")
    assert ga["source"] == "set-cookie" and ga["domain"] == "site.test" and ga["path"] == "/"
    assert ga["max_age"] == 63072000 and ga["retention"] == "2y"
    assert ga["secure"] is True and ga["httponly"] is False and ga["samesite"] == ["Lax"]
    assert ga["uri"] == "/set/index.txt"
    assert "Names _ga_*\n" in ga["block"] and "Domain site.test\n" in ga["block"]
    assert "Retention 2y\n" in ga["block"] and "Category CHOOSE\n" in ga["block"]
    assert "necessary statistical" in ga["block"]
    trk = cookies["trk_session"]
    assert trk["count"] == 7 and trk["session"] is True and trk["httponly"] is True
    assert trk["path"] == "/shop" and "Path /shop\n" in trk["block"]
    assert "Retention session\n" in trk["block"]
    js = cookies["jsonly_pref"]
    assert js["source"] == "javascript" and js["in_requests"] is True and js["count"] == 2
    hosts = {h["host"]: h for h in rep["third_parties"]}
    assert set(hosts) == {"cdn.thirdparty.example", "pixel.example", "video.example"}, hosts
    assert hosts["cdn.thirdparty.example"]["kinds"] == ["script"]
    assert hosts["pixel.example"]["kinds"] == ["pixel"]
    assert hosts["video.example"]["kinds"] == ["iframe"]
    assert hosts["cdn.thirdparty.example"]["page"] == "/page.html"
    # pages read: the second request of page.html is from the gate's cache when the same child
    # serves it (README: counts are pages read, not page views)
    assert hosts["cdn.thirdparty.example"]["count"] in (1, 2)
    assert hosts["video.example"]["block"] == "Block *//video.example/*"
    # HTML too
    r = get(multi.port, "/admin/discovered")
    assert r.status == 200 and r.header("Content-Type").startswith("text/html")
    assert "&lt;CookieConsentCookie &quot;_ga_*&quot;&gt;" in r.text()


def test_discovery_closed_by_default(multi):
    r = get(multi.port, "/cookieconsent/discovered")
    assert r.status == 403
    r = get(multi.port, "/cookieconsent/discovered?format=json")
    assert r.status == 403
    assert "_ga_" not in r.text()


def test_graceful_restart_keeps_counters_and_discovery(multi):
    """A graceful restart that declares trk_session: the counters go on from where they were,
    the discoveries stay, and the name now declared leaves the report."""
    before = auto(multi)
    row = """<CookieConsentCookie "Tracker session">
    Category statistical
    Names trk_session
    Retention session
</CookieConsentCookie>"""
    multi.conf_path.write_text(conf_text(multi.root, multi.port, multi.htdocs, multi.modpath,
                                         extra_rows=row))
    graceful(multi)
    a = auto(multi)
    k = vhost_key(multi)
    for key, v in before.items():
        assert a[key] == v or "Discovered" in key, (key, v, a[key])
    assert get(multi.port, "/plain.txt").status == 200
    a = auto(multi)
    assert a["CookieConsentRequestsUndecided@%s" % k] == before["CookieConsentRequestsUndecided@%s" % k] + 1
    rep = discovered(multi)
    globs = {c["glob"] for c in rep["cookies"]}
    assert globs == {"_ga_*", "jsonly_pref"}, globs
    assert {h["host"] for h in rep["third_parties"]} == {"cdn.thirdparty.example",
                                                         "pixel.example", "video.example"}
    assert not multi.crashes


NOBLOCK_DECLS = DECLS.replace("    Block https://tracker.example/*\n", "")


@pytest.fixture(scope="module")
def sampled(workdir, site, backend, modpath):
    """One child, no Block rule: the gate reads nothing, discovery samples pages."""
    inst = Apache("status-sample", workdir, site, backend.port, modpath)
    htdocs = inst.root / "htdocs"
    htdocs.mkdir(parents=True)
    (htdocs / "page.html").write_text(PAGE)
    (htdocs / "other.html").write_text(PAGE.replace("cdn.thirdparty.example", "late.example"))
    subprocess.run(["chmod", "-R", "a+rX", str(inst.root)], check=True)
    one_child = ("StartServers 1\nMinSpareServers 1\nMaxSpareServers 8\nServerLimit 16\n"
                 "MaxRequestWorkers 1\nMaxConnectionsPerChild 0")
    conf = conf_text(inst.root, inst.port, htdocs, modpath, decls=NOBLOCK_DECLS,
                     processes=one_child)
    inst.conf_path.write_text(conf)
    inst.start()
    yield inst
    inst.stop()
    assert not inst.crashes, "\n".join(inst.crashes)


def test_discovery_samples_pages_without_block_rules(sampled):
    """Without Block rules the first HTML page a child serves is read for third parties, as it
    passes (unchanged); the next one within 10 seconds is not read."""
    r = get(sampled.port, "/page.html")
    assert r.status == 200
    assert b'<script src="https://tracker.example/t.js"></script>' in r.body   # not held
    assert b'<script src="https://cdn.thirdparty.example/lib.js?x=1"></script>' in r.body
    r = get(sampled.port, "/other.html")
    assert r.status == 200
    rep = discovered(sampled)
    hosts = {h["host"] for h in rep["third_parties"]}
    assert hosts == {"tracker.example", "cdn.thirdparty.example", "pixel.example",
                     "video.example"}, hosts
    assert len(pids_of(sampled, "/")) == 1
