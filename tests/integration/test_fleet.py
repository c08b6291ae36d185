"""Fleets (issue 10): records in a real PostgreSQL (Debian's postgresql, initdb in a temporary
directory as the postgres user, a Unix socket in it, a port from free_port()), every field checked;
PostgreSQL down (the choice still works, the record goes to the error log, records resume when it
is back); two Apache instances on two ports sharing the table: a consent given on one is honoured
on the other, and both records are in the same table."""
import glob
import json
import os
import re
import shutil
import subprocess
import time

import pytest

from cc_helpers import consent_from, get, post_consent
from conftest import free_port
from records_helpers import DBD_LOAD, check_record, require_tool

PG_DRIVER = "/usr/lib/x86_64-linux-gnu/apr-util-1/apr_dbd_pgsql-1.so"


class Postgres:
    def __init__(self, base):
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not bins:
            require_tool("PostgreSQL (Debian's postgresql package)", "/usr/lib/postgresql/*/bin")
        self.bin = os.path.dirname(bins[-1])
        self.base = base
        self.data = base / "data"
        self.sock = base / "sock"
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0      # initdb refuses to run as root
        base.mkdir()
        self.sock.mkdir()
        for d in (base, self.sock):
            d.chmod(0o755)
            if self.as_postgres:
                shutil.chown(d, "postgres", "postgres")

    def _run(self, *cmd, check=True):
        cmd = [os.path.join(self.bin, cmd[0])] + list(cmd[1:])
        if self.as_postgres:
            cmd = ["runuser", "-u", "postgres", "--"] + cmd
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=check,
                              cwd="/")

    def init(self):
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres",
                  "--no-sync", "-E", "UTF8", "--locale=C")
        self.start()
        self.psql("CREATE DATABASE cc")
        return self

    def start(self):
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.base / "log"), "-w", "-o",
                  "-p %d -k %s -c listen_addresses='' -c fsync=off" % (self.port, self.sock),
                  "start")

    def stop(self):
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)

    def psql(self, sql, db="postgres"):
        p = self._run("psql", "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", str(self.sock),
                      "-p", str(self.port), "-U", "postgres", "-d", db, "-c", sql)
        return p.stdout

    def rows(self, where="true"):
        out = self.psql("SELECT row_to_json(r) FROM (SELECT * FROM cookieconsent_records WHERE %s "
                        "ORDER BY time_ms) r" % where, db="cc")
        return [json.loads(l) for l in out.splitlines() if l.strip()]

    @property
    def dbd_params(self):
        return "host=%s port=%d dbname=cc user=postgres connect_timeout=2" % (self.sock, self.port)


@pytest.fixture(scope="module")
def pg(workdir):
    require_tool("apr-util's PostgreSQL driver (libaprutil1-dbd-pgsql)", PG_DRIVER)
    server = Postgres(workdir / "pg").init()
    yield server
    server.stop()


def fleet_conf(pg):
    return DBD_LOAD + """
DBDriver pgsql
DBDParams "%s"
DBDMin 0
DBDKeep 2
DBDMax 4
CookieConsentRecords dbd
CookieConsentRevision "fleet-1"
<Location /cookieconsent/records>
    SetHandler cookieconsent-records
    Require ip 127.0.0.1
</Location>
""" % pg.dbd_params


@pytest.fixture(scope="module")
def fleet(start_apache, pg):
    a = start_apache("fleet-a", extra=fleet_conf(pg))
    b = start_apache("fleet-b", extra=fleet_conf(pg))
    yield a, b
    a.stop()
    b.stop()


def post(inst, action, cats=(), cookie=None, extra=()):
    hs = [("Accept", "application/json"), ("User-Agent", "fleet-test/1.0 " + "x" * 300)]
    r = post_consent(inst.port, action, cats, ret="/", cookie=cookie, headers=hs,
                     extra_fields=extra)
    assert r.status == 200, r
    st = r.json()
    st["declarations"] = get(inst.port, "/cookieconsent/policy?format=json").json()["fingerprint"]
    return st, "cookieconsent=" + consent_from(r).value


def test_postgres_records_every_field(fleet, pg):
    a, _ = fleet
    t0 = time.time()
    st1, c1 = post(a, "accept-all", extra=[("source", "banner")])
    st2, _ = post(a, "save", extra=[("source", "settings")], cookie=c1)
    rows = {r["id"]: r for r in pg.rows()}
    assert st1["consent_id"] in rows and st2["consent_id"] in rows, rows
    r1, r2 = rows[st1["consent_id"]], rows[st2["consent_id"]]
    assert r1["accepted"] == "necessary statistical" and r1["refused"] == ""
    assert r2["action"] == "withdraw" and r2["previous_id"] == st1["consent_id"]
    assert r1["address"] == "127.0.0.0" and r1["revision"] == "fleet-1"
    # every field, as the export renders the stored row
    exported = [json.loads(l) for l in
                get(a.port, "/cookieconsent/records?id=" + st1["consent_id"]).text().splitlines()]
    assert [e["id"] for e in exported] == [st1["consent_id"], st2["consent_id"]]
    check_record(exported[0], st1, t0, vhost="127.0.0.1", action="accept-all",
                 accepted=["necessary", "statistical"], refused=[], source="banner", lang="en",
                 revision="fleet-1", address="127.0.0.0", ua_prefix="fleet-test/1.0 x",
                 previous=None)
    check_record(exported[1], st2, t0, vhost="127.0.0.1", action="withdraw",
                 accepted=["necessary"], refused=["statistical"], source="settings", lang="en",
                 revision="fleet-1", address="127.0.0.0", ua_prefix="fleet-test/1.0 x",
                 previous=st1["consent_id"])
    assert exported[0]["time_ms"] == r1["time_ms"] and exported[0]["texts_hash"] == r1["texts_hash"]


def test_fleet_consent_on_one_honoured_on_the_other(fleet, pg):
    a, b = fleet
    st_a, cookie = post(a, "save", ["statistical"], extra=[("source", "settings")])
    # B knows nothing of A but the shared configuration: the cookie is the state
    s = get(b.port, "/cookieconsent/state", cookie=cookie).json()
    assert s["decided"] is True and s["consent_id"] == st_a["consent_id"], s
    assert s["accepted"] == ["necessary", "statistical"], s
    r = get(b.port, "/cgi-bin/setq.cgi?n=_pk_id.1.ab&n=csrftoken", cookie=cookie)
    assert r.set_cookie_names == ["_pk_id.1.ab", "csrftoken"], r
    # B's receipt finds the record A stored
    j = get(b.port, "/cookieconsent/receipt?format=json", cookie=cookie).json()
    assert j["stored"] is True and j["record"]["id"] == st_a["consent_id"], j
    # a withdrawal on B is linked to A's consent; both in the one table
    st_b, _ = post(b, "reject-all", extra=[("source", "banner")], cookie=cookie)
    rows = pg.rows("id IN ('%s', '%s')" % (st_a["consent_id"], st_b["consent_id"]))
    assert [r["id"] for r in rows] == [st_a["consent_id"], st_b["consent_id"]], rows
    assert rows[1]["previous_id"] == st_a["consent_id"] and rows[1]["action"] == "withdraw"
    # the documented "prove consent id X" query (README, conf/schema.sql)
    proof = pg.psql("SELECT id || ' ' || action FROM cookieconsent_records WHERE id = '%s' OR "
                    "previous_id = '%s' OR id = (SELECT previous_id FROM cookieconsent_records "
                    "WHERE id = '%s') ORDER BY time_ms" % ((st_a["consent_id"],) * 3), db="cc")
    assert proof.split("\n")[:2] == ["%s save" % st_a["consent_id"],
                                     "%s withdraw" % st_b["consent_id"]], proof


def test_postgres_down_choice_still_works(fleet, pg):
    a, _ = fleet
    pg.stop()
    try:
        off = a.log_size()
        t = time.time()
        r = post_consent(a.port, "accept-all", ret="/")
        took = time.time() - t
        assert r.status == 303, r
        value = consent_from(r).value
        s = get(a.port, "/cookieconsent/state", cookie="cookieconsent=" + value).json()
        assert s["decided"] is True and "statistical" in s["accepted"], s
        assert took < 2.5, took                         # CookieConsentRecordsTimeout 2s
        log = a.log_since(off)
        m = re.search(r"\[cookieconsent:error\].*consent record not stored .* record: (\{.*\})",
                      log)
        assert m, log
        assert json.loads(m.group(1))["id"] == s["consent_id"]
    finally:
        pg.start()
    # back: records resume (mod_dbd reconnects)
    st, _ = post(a, "reject-all")
    assert [r["id"] for r in pg.rows("id = '%s'" % st["consent_id"])] == [st["consent_id"]]
