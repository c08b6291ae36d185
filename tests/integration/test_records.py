"""Consent records (issue 10): one JSON record per decision in a file, a piped log and SQLite
(mod_dbd), every field checked; the database down (the choice still works, the record goes to the
error log); the visitor's receipt; the DPO's export (403 unless opened with SetHandler and
Require). PostgreSQL and two servers sharing it: test_fleet.py."""
import json
import os
import re
import shutil
import sqlite3
import subprocess
import time

import pytest

from cc_helpers import consent_from, get, post_consent, request, wait_for
from conftest import SANITIZE
from records_helpers import DBD_LOAD, check_record, require_tool

UA = "Mozilla/5.0 (records test) " + "é" * 200       # 427 bytes: cut to 256 on a boundary


@pytest.fixture(scope="module")
def recdir(workdir):
    d = workdir / "records"
    d.mkdir(exist_ok=True)
    d.chmod(0o777)                # SQLite creates its file (and journal) as the User
    return d


def vhosts(recdir):
    return f"""\
<VirtualHost 127.0.0.1:@PORT@>
    ServerName file.test
    CookieConsentRecords file:{recdir}/consent.jsonl
    CookieConsentRevision "2024-05 policy"
</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName pipe.test
    CookieConsentRecords "|cat >> {recdir}/piped.jsonl"
    CookieConsentRecordsAddress full
</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName sqlite.test
    DBDriver sqlite3
    DBDParams {recdir}/consent.db
    CookieConsentRecords dbd
    CookieConsentRecordsAddress none
    <Location /cookieconsent/records>
        SetHandler cookieconsent-records
        Require ip 127.0.0.1
    </Location>
    <Location /dpo/consents>
        SetHandler cookieconsent-records
        Require ip 192.0.2.1
    </Location>
</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName down.test
    DBDriver sqlite3
    DBDParams {recdir}/no/such/dir/consent.db
    CookieConsentRecords dbd
</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName off.test
</VirtualHost>
"""


@pytest.fixture(scope="module")
def rec(start_apache, recdir):
    require_tool("sqlite3 driver", "/usr/lib/x86_64-linux-gnu/apr-util-1/apr_dbd_sqlite3-1.so")
    inst = start_apache("records", extra=DBD_LOAD, vhosts=vhosts(recdir))
    yield inst
    inst.stop()


def post(inst, host, action, cats=(), cookie=None, extra=(), ua=UA, lang=None):
    hs = [("Accept", "application/json"), ("User-Agent", ua.encode("utf-8"))]
    if lang:
        hs.append(("Accept-Language", lang))
    r = post_consent(inst.port, action, cats, ret="/", cookie=cookie, host=host, headers=hs,
                     extra_fields=extra)
    assert r.status == 200, r
    st = r.json()
    # the declarations' fingerprint, as the policy gives it
    st["declarations"] = get(inst.port, "/cookieconsent/policy?format=json", host=host).json()[
        "fingerprint"]
    return st, "cookieconsent=" + consent_from(r).value


def lines(path, n):
    assert wait_for(lambda: path.exists() and len(path.read_text().splitlines()) >= n), \
        "%s: fewer than %d lines" % (path, n)
    return [json.loads(l) for l in path.read_text().splitlines()]


def db_rows(path):
    con = sqlite3.connect(str(path))
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute("SELECT * FROM cookieconsent_records "
                                             "ORDER BY time_ms")]
    finally:
        con.close()


def test_file_records_every_field(rec, recdir):
    t0 = time.time()
    st1, c1 = post(rec, "file.test", "accept-all", extra=[("source", "banner")])
    st2, c2 = post(rec, "file.test", "save", extra=[("source", "settings")], cookie=c1,
                   lang="fr")
    recs = lines(recdir / "consent.jsonl", 2)
    assert len(recs) == 2, recs
    check_record(recs[0], st1, t0, vhost="file.test", action="accept-all",
                 accepted=["necessary", "statistical"], refused=[], source="banner",
                 lang="en", revision="2024-05 policy", address="127.0.0.0",
                 ua_prefix="Mozilla/5.0 (records test) ", previous=None)
    # the second one refuses what the first accepted: a withdrawal, linked to the first
    check_record(recs[1], st2, t0, vhost="file.test", action="withdraw",
                 accepted=["necessary"], refused=["statistical"], source="settings", lang="fr",
                 revision="2024-05 policy", address="127.0.0.0",
                 ua_prefix="Mozilla/5.0 (records test) ", previous=st1["consent_id"])
    # the texts shown differ between English and French; the same texts hash the same
    assert recs[0]["texts_hash"] != recs[1]["texts_hash"]
    st3, _ = post(rec, "file.test", "reject-all", extra=[("source", "banner")])
    recs = lines(recdir / "consent.jsonl", 3)
    assert recs[2]["texts_hash"] == recs[0]["texts_hash"] and recs[2]["action"] == "reject-all"
    assert recs[2]["id"] == st3["consent_id"] and recs[2]["previous_id"] is None
    # the file is root's, not readable by everybody (records hold addresses)
    assert (recdir / "consent.jsonl").stat().st_mode & 0o007 == 0


# In sanitizer mode the piped program's shell inherits LD_PRELOAD (the ASan pool shim) and dies
# ("undefined symbol: apr_pool_cleanup_null"): a harness artefact, not the module's.
NO_PIPE = pytest.mark.skipif(bool(SANITIZE), reason="piped programs cannot run under the "
                                                    "sanitizer harness's LD_PRELOAD")


@NO_PIPE
def test_pipe_records_every_field(rec, recdir):
    t0 = time.time()
    st1, c1 = post(rec, "pipe.test", "save", ["statistical"], extra=[("source", "settings")])
    st2, _ = post(rec, "pipe.test", "allow", ["statistical"], cookie=c1)
    st3, _ = post(rec, "pipe.test", "reject-all")          # no source field: the JSON API
    recs = lines(recdir / "piped.jsonl", 3)
    check_record(recs[0], st1, t0, vhost="pipe.test", action="save",
                 accepted=["necessary", "statistical"], refused=[], source="settings",
                 lang="en", revision=None, address="127.0.0.1",
                 ua_prefix="Mozilla/5.0 (records test) ", previous=None)
    check_record(recs[1], st2, t0, vhost="pipe.test", action="allow",
                 accepted=["necessary", "statistical"], refused=[], source="placeholder",
                 lang="en", revision=None, address="127.0.0.1",
                 ua_prefix="Mozilla/5.0 (records test) ", previous=st1["consent_id"])
    check_record(recs[2], st3, t0, vhost="pipe.test", action="reject-all",
                 accepted=["necessary"], refused=["statistical"], source="api", lang="en",
                 revision=None, address="127.0.0.1", ua_prefix="Mozilla/5.0 (records test) ",
                 previous=None)


@pytest.mark.skipif(bool(SANITIZE), reason="apache2 -X (sanitizer mode) has no graceful restart")
def test_pipe_survives_graceful_restart(rec, recdir):
    """Records written around a graceful restart all reach the (same) piped program."""
    path = recdir / "piped.jsonl"
    before = len(path.read_text().splitlines()) if path.exists() else 0
    ids = [post(rec, "pipe.test", "accept-all")[0]["consent_id"] for _ in range(3)]
    subprocess.run(["/usr/sbin/apache2", "-f", str(rec.conf_path), "-k", "graceful"],
                   check=True, timeout=30)
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            ids.append(post(rec, "pipe.test", "accept-all")[0]["consent_id"])
            break
        except (OSError, AssertionError):
            time.sleep(0.2)
    ids += [post(rec, "pipe.test", "accept-all")[0]["consent_id"] for _ in range(3)]
    recs = lines(path, before + len(ids))
    got = [r["id"] for r in recs[before:]]
    assert sorted(got) == sorted(ids), (got, ids)


def test_sqlite_records_every_field(rec, recdir):
    t0 = time.time()
    st1, c1 = post(rec, "sqlite.test", "accept-all", extra=[("source", "banner")])
    st2, _ = post(rec, "sqlite.test", "reject-all", extra=[("source", "settings")], cookie=c1)
    rows = [r for r in db_rows(recdir / "consent.db")
            if r["id"] in (st1["consent_id"], st2["consent_id"])]
    assert len(rows) == 2, rows
    # stored columns, as the export renders them
    r = request(rec.port, "GET", "/cookieconsent/records?id=" + st1["consent_id"],
                host="sqlite.test")
    assert r.status == 200, r
    exported = [json.loads(l) for l in r.text().splitlines()]
    assert [e["id"] for e in exported] == [st1["consent_id"], st2["consent_id"]], exported
    check_record(exported[0], st1, t0, vhost="sqlite.test", action="accept-all",
                 accepted=["necessary", "statistical"], refused=[], source="banner", lang="en",
                 revision=None, address=None, ua_prefix="Mozilla/5.0 (records test) ",
                 previous=None)
    check_record(exported[1], st2, t0, vhost="sqlite.test", action="withdraw",
                 accepted=["necessary"], refused=["statistical"], source="settings", lang="en",
                 revision=None, address=None, ua_prefix="Mozilla/5.0 (records test) ",
                 previous=st1["consent_id"])
    row = [x for x in rows if x["id"] == st2["consent_id"]][0]
    assert row["accepted"] == "necessary" and row["refused"] == "statistical"
    assert row["previous_id"] == st1["consent_id"] and row["address"] is None
    assert row["time_ms"] == exported[1]["time_ms"] and len(row["user_agent"].encode()) <= 256


def test_sqlite_purges_expired_records(start_apache, recdir):
    """Records older than CookieConsentRecordsRetention go on the next insert (once an hour)."""
    db = recdir / "purge.db"
    con = sqlite3.connect(str(db))
    con.executescript(open(os.path.join(os.path.dirname(__file__), "..", "..", "conf",
                                        "schema.sql")).read())
    old_ms = int((time.time() - 3 * 86400) * 1000)
    for i, vh in ((1, "127.0.0.1"), (2, "other.test")):
        con.execute("INSERT INTO cookieconsent_records VALUES (?, ?, ?, 'save', 'necessary', "
                    "'', 'api', 'f', 'h', 'en', NULL, NULL, NULL, NULL)",
                    ("old%d" % i, old_ms, vh))
    con.commit()
    con.close()
    db.chmod(0o666)
    inst = start_apache("records-purge", extra=DBD_LOAD + f"""
DBDriver sqlite3
DBDParams {db}
CookieConsentRecords dbd
CookieConsentRecordsRetention 2d
""")
    try:
        st, _ = post(inst, None, "accept-all")
        ids = [r["id"] for r in db_rows(db)]
        assert "old1" not in ids, ids                 # this vhost's expired record: purged
        assert "old2" in ids, ids                     # another vhost's: its own retention
        assert st["consent_id"] in ids
    finally:
        inst.stop()


def test_database_down_choice_still_works(rec):
    off = rec.log_size()
    r = post_consent(rec.port, "accept-all", ret="/", host="down.test")
    assert r.status == 303, r
    value = consent_from(r).value
    s = get(rec.port, "/cookieconsent/state", cookie="cookieconsent=" + value, host="down.test")
    st = s.json()
    assert st["decided"] is True and "statistical" in st["accepted"], st
    log = rec.log_since(off)
    m = re.search(r"\[cookieconsent:error\].*consent record not stored \((.*?)\); the visitor's "
                  r"choice takes effect; record: (\{.*\})", log)
    assert m, log
    logged = json.loads(m.group(2))
    assert logged["id"] == st["consent_id"] and logged["action"] == "accept-all"
    assert logged["vhost"] == "down.test"


def test_receipt_dbd(rec):
    st, c = post(rec, "sqlite.test", "save", ["statistical"], extra=[("source", "settings")])
    r = get(rec.port, "/cookieconsent/receipt?format=json", cookie=c, host="sqlite.test")
    assert r.status == 200 and r.header("Cache-Control") == "no-store", r
    j = r.json()
    assert j["decided"] is True and j["stored"] is True, j
    assert j["record"]["id"] == st["consent_id"] and j["record"]["action"] == "save"
    assert j["record"]["source"] == "settings" and len(j["record"]["texts_hash"]) == 64
    r = get(rec.port, "/cookieconsent/receipt", cookie=c, host="sqlite.test",
            headers={"Accept-Language": "fr"})
    assert r.status == 200 and r.header("Content-Type").startswith("text/html"), r
    html = r.text()
    assert "Reçu de consentement" in html and st["consent_id"] in html
    assert j["record"]["texts_hash"] in html and "/cookieconsent/settings" in html
    # Accept: application/json works as ?format=json
    r = get(rec.port, "/cookieconsent/receipt", cookie=c, host="sqlite.test",
            headers={"Accept": "application/json"})
    assert r.json()["record"]["id"] == st["consent_id"]


def test_receipt_without_database_reads_the_cookie(rec):
    st, c = post(rec, "file.test", "accept-all")
    j = get(rec.port, "/cookieconsent/receipt?format=json", cookie=c, host="file.test").json()
    assert j["decided"] is True and j["stored"] is False, j
    assert j["record"]["id"] == st["consent_id"]
    assert j["record"]["accepted"] == ["necessary", "statistical"]
    assert j["record"]["fingerprint"] == st["declarations"]
    html = get(rec.port, "/cookieconsent/receipt", cookie=c, host="file.test").text()
    assert "read from your consent cookie" in html
    # no decision: says so
    j = get(rec.port, "/cookieconsent/receipt?format=json", host="file.test").json()
    assert j == {"decided": False}


def test_settings_links_the_receipt(rec):
    _, c = post(rec, "off.test", "accept-all")
    html = get(rec.port, "/cookieconsent/settings", cookie=c, host="off.test").text()
    assert 'href="/cookieconsent/receipt?lang=en">Your consent receipt</a>' in html
    html = get(rec.port, "/cookieconsent/settings", host="off.test").text()
    assert "/cookieconsent/receipt" not in html        # nothing to show before a choice


def test_export_closed_by_default(rec):
    for host in ("file.test", "off.test", "down.test"):
        r = request(rec.port, "GET", "/cookieconsent/records?from=0", host=host)
        assert r.status == 403, (host, r)
    # opened with SetHandler, but Apache's Require refuses this client
    r = request(rec.port, "GET", "/dpo/consents?from=0", host="sqlite.test")
    assert r.status == 403, r


def test_export_opened(rec):
    t0 = int(time.time()) - 1
    st, _ = post(rec, "sqlite.test", "accept-all")
    r = request(rec.port, "GET", "/cookieconsent/records?from=%d" % t0, host="sqlite.test")
    assert r.status == 200 and r.header("Content-Type").startswith("application/jsonl"), r
    got = [json.loads(l) for l in r.text().splitlines()]
    assert st["consent_id"] in [g["id"] for g in got]
    assert all(g["vhost"] == "sqlite.test" and g["time_ms"] >= t0 * 1000 for g in got), got
    iso = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t0 + 3600))
    r = request(rec.port, "GET", "/cookieconsent/records?from=2020-01-01&to=" + iso,
                host="sqlite.test")
    assert st["consent_id"] in [json.loads(l)["id"] for l in r.text().splitlines()]
    r = request(rec.port, "GET", "/cookieconsent/records?to=2020-01-01", host="sqlite.test")
    assert r.status == 200 and r.body == b"", r
    for bad in ("from=yesterday", "id=x&from=0", "", "to=2024-02-30"):
        r = request(rec.port, "GET", "/cookieconsent/records?" + bad, host="sqlite.test")
        assert r.status == 400, (bad, r)


def test_records_config_errors(conf_test):
    cases = [
        ("CookieConsentRecords somewhere", r"CookieConsentRecords: \"somewhere\" is not off"),
        ("CookieConsentRecordsAddress /24", r"CookieConsentRecordsAddress: \"/24\" is not none"),
        ("CookieConsentRecordsTimeout forever", r"CookieConsentRecordsTimeout: \"forever\""),
        ("CookieConsentRecordsRetention session", r"CookieConsentRecordsRetention: records "
                                                  r"cannot be kept for a session"),
        ("CookieConsentRecordsRetention 5x", r"CookieConsentRecordsRetention: \"5x\": unknown unit"),
        ("CookieConsentRecords dbd", r"CookieConsentRecords dbd \(\S+:\d+\): mod_dbd is not "
                                     r"loaded"),
    ]
    for line, want in cases:
        p = conf_test(extra=line)
        assert p.returncode != 0, line
        assert re.search(want, p.stderr + p.stdout), (line, p.stderr)
    p = conf_test(extra=DBD_LOAD + "\nCookieConsentRecords dbd\nCookieConsentRecordsTimeout "
                                   "500ms\nCookieConsentRecordsRetention 5y\n")
    assert p.returncode == 0, p.stderr
