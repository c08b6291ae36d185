"""scripts/demo.sh: the demo site and its stand-in tracker start, answer, log, and stop together.

Runs the script itself (it builds the module if needed) with a private run directory and free ports.
"""
import http.client
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from conftest import REPO, SANITIZE, free_port

pytestmark = pytest.mark.skipif(SANITIZE != "", reason="the demo runs the plain build")

DEMO = REPO / "scripts" / "demo.sh"


def run_demo(env, *args):
    return subprocess.run(["bash", str(DEMO), *args], env=env, capture_output=True, text=True,
                          timeout=300)


def fetch(port, path, host="127.0.0.1", headers=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    h = {"Host": "%s:%d" % (host, port)}
    h.update(headers or {})
    c.request("GET", path, headers=h)
    r = c.getresponse()
    body = r.read()
    c.close()
    return r, body


def port_open(port):
    try:
        http.client.HTTPConnection("127.0.0.1", port, timeout=2).connect()
        return True
    except OSError:
        return False


def processes_using(conf):
    found = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            cmd = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if str(conf) in cmd:
            found.append((d.name, cmd))
    return found


@pytest.fixture(scope="module")
def demo():
    # directly under /tmp: www-data must reach the docroot (pytest's tmp_path is private to root)
    run = Path(tempfile.mkdtemp(prefix="ccdemo-"))
    port, tracker_port = free_port(), free_port()
    env = dict(os.environ, DEMO_DIR=str(run), PORT=str(port), TRACKER_PORT=str(tracker_port))
    p = run_demo(env)
    try:
        assert p.returncode == 0, p.stdout + p.stderr
        yield {"run": run, "port": port, "tracker": tracker_port, "env": env, "out": p.stdout}
    finally:
        run_demo(env, "stop")
        shutil.rmtree(run, ignore_errors=True)


def test_site_and_vendors_page(demo):
    r, body = fetch(demo["port"], "/")
    assert r.status == 200
    assert b'href="/vendors.html"' in body
    r, body = fetch(demo["port"], "/vendors.html")
    assert r.status == 200
    page = body.decode()
    assert "@TRACKER@" not in page
    origin = "http://localhost:%d" % demo["tracker"]
    assert 'var u="%s/";' % origin in page
    # an undecided visitor: the statistical snippets are held (Block/BlockInline in the
    # example), the Zendesk widget (a necessary row in the seed policy) loads
    assert ('<script type="text/plain" data-cookieconsent="statistical" '
            'data-cc-src="%s/gtag/js?id=G-DEMO" async></script>' % origin) in page
    assert '<script id="ze-snippet" src="%s/ekr/snippet.js?key=' % origin in page
    assert 'data-cc-src="%s/matomo.php?idsite=1&amp;rec=1"' % origin in page
    assert ' src="%s/matomo.php' % origin not in page
    assert 'data-cc-src="%s/embed/' % origin in page and 'cc-placeholder' in page
    assert not re.search(r'<iframe[^>]* src="%s/embed/' % re.escape(origin), page)
    # the tracker's files are not part of the site
    r, _ = fetch(demo["port"], "/tracker/matomo.js")
    assert r.status == 404


@pytest.mark.parametrize("path,ctype", [
    ("/matomo.js", "text/javascript"),
    ("/matomo.php?idsite=1&rec=1", "image/gif"),
    ("/ekr/snippet.js?key=demo-key", "text/javascript"),
    ("/gtag/js?id=G-DEMO", "text/javascript"),
    ("/g/collect?v=2&tid=G-DEMO", "image/gif"),
    ("/embed/dQw4w9WgXcQ", "text/html"),
])
def test_tracker_answers_and_logs(demo, path, ctype):
    referer = "http://127.0.0.1:%d/vendors.html" % demo["port"]
    cookie = "probe=%d" % time.monotonic_ns()
    r, body = fetch(demo["tracker"], path, host="localhost",
                    headers={"Cookie": cookie, "Referer": referer})
    assert r.status == 200
    assert r.getheader("Content-Type", "").startswith(ctype)
    assert r.getheader("Set-Cookie") is None
    if ctype == "image/gif":
        assert body.startswith(b"GIF89a") and len(body) == 43
    log = demo["run"] / "logs" / "tracker-access.log"
    line = '"GET %s HTTP/1.1" 200' % path
    for _ in range(50):
        text = log.read_text()
        if line in text and cookie in text:
            break
        time.sleep(0.1)
    hits = [l for l in text.splitlines() if line in l and cookie in l]
    assert len(hits) == 1, text
    assert 'cookie="%s"' % cookie in hits[0]
    assert 'referer="%s"' % referer in hits[0]


def test_tracker_hits_stay_out_of_the_site_log(demo):
    fetch(demo["tracker"], "/matomo.js?site-log-check", host="localhost")
    time.sleep(0.3)
    assert "site-log-check" not in (demo["run"] / "logs" / "access.log").read_text()


def test_block_lines_kept_or_removed_with_a_message(demo):
    conf = (demo["run"] / "conf" / "outscale.conf").read_text()
    has_block = re.search(r"^\s*Block\s", conf, re.M) is not None
    said = "does not know Block and BlockInline" in demo["out"]
    assert has_block != said, demo["out"]
    # the demo-only rows were added to the copy of the example
    assert '<CookieConsentCookie "Google Analytics">' in conf
    assert '<CookieConsentCookie "YouTube">' in conf


def test_demo_records_consents_in_sqlite(demo):
    """Issue 10: the demo records each decision in SQLite, says where, and links the receipt."""
    import json
    import sqlite3
    import urllib.parse
    db = demo["run"] / "records" / "consent.db"
    assert "records: SQLite %s" % db in demo["out"], demo["out"]
    _, body = fetch(demo["port"], "/")
    assert b'href="/cookieconsent/receipt"' in body
    c = http.client.HTTPConnection("127.0.0.1", demo["port"], timeout=15)
    c.request("POST", "/cookieconsent/consent",
              body=urllib.parse.urlencode({"action": "accept-all", "source": "banner"}),
              headers={"Host": "127.0.0.1:%d" % demo["port"], "Accept": "application/json",
                       "Content-Type": "application/x-www-form-urlencoded"})
    r = c.getresponse()
    st = json.loads(r.read())
    cookie = [v for k, v in r.getheaders() if k.lower() == "set-cookie"][0].split(";")[0]
    c.close()
    con = sqlite3.connect(str(db))
    rows = con.execute("SELECT id, action, source FROM cookieconsent_records").fetchall()
    con.close()
    assert (st["consent_id"], "accept-all", "banner") in rows, rows
    r, body = fetch(demo["port"], "/cookieconsent/receipt?format=json",
                    headers={"Cookie": cookie})
    j = json.loads(body)
    assert j["stored"] is True and j["record"]["id"] == st["consent_id"], j


def test_status_then_stop_leaves_nothing(demo):
    p = run_demo(demo["env"], "status")
    assert p.returncode == 0 and "tracker on http://localhost:%d/" % demo["tracker"] in p.stdout
    conf = demo["run"] / "conf" / "httpd.conf"
    p = run_demo(demo["env"], "stop")
    assert p.returncode == 0, p.stdout + p.stderr
    for _ in range(50):
        if not processes_using(conf):
            break
        time.sleep(0.1)
    assert processes_using(conf) == []
    assert not port_open(demo["port"])
    assert not port_open(demo["tracker"])
    p = run_demo(demo["env"], "status")
    assert p.returncode == 3

