#!/usr/bin/env python3
"""Cost of a consent POST per CookieConsentRecords target (issue 10): one Apache (event MPM, the
built module) with a virtual host per target (off, file, pipe, SQLite, PostgreSQL), N POSTs in a
row on one keep-alive connection per target, wall time per POST (median and mean, ms).
    /usr/bin/python3 bench/records.py [N]        (root: PostgreSQL runs as postgres)"""
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "integration"))
from test_fleet import Postgres  # noqa: E402
from harness.apache import free_port  # noqa: E402
from harness.config import render_server_conf  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 200
work = Path(tempfile.mkdtemp(prefix="ccbench-"))
work.chmod(0o755)
(work / "rec").mkdir()
(work / "rec").chmod(0o777)
pg = Postgres(work / "pg").init()
port = free_port()
conf = work / "httpd.conf"
for d in ("run", "logs", "htdocs"):
    (work / d).mkdir()
# The frame is conf/dev/server.conf.in (scripts/server-conf.sh); BODY is this bench's own.
conf.write_bytes(render_server_conf(
    "bench/records.py", f"""\
CookieConsent On
<CookieConsentCategory necessary>
    Required On
    Title "Necessary"
</CookieConsentCategory>
<CookieConsentCategory statistical>
    Title "Statistics"
</CookieConsentCategory>
<CookieConsentCookie "Piwik">
    Category statistical
    Names _pk_id*
</CookieConsentCookie>
<VirtualHost 127.0.0.1:{port}>
    ServerName off.test
</VirtualHost>
<VirtualHost 127.0.0.1:{port}>
    ServerName file.test
    CookieConsentRecords file:{work}/rec/consent.jsonl
</VirtualHost>
<VirtualHost 127.0.0.1:{port}>
    ServerName pipe.test
    CookieConsentRecords "|cat >> {work}/rec/piped.jsonl"
</VirtualHost>
<VirtualHost 127.0.0.1:{port}>
    ServerName sqlite.test
    DBDriver sqlite3
    DBDParams {work}/rec/consent.db
    CookieConsentRecords dbd
</VirtualHost>
<VirtualHost 127.0.0.1:{port}>
    ServerName pgsql.test
    DBDriver pgsql
    DBDParams "{pg.dbd_params}"
    CookieConsentRecords dbd
</VirtualHost>
""", ROOT=work, LISTEN="127.0.0.1:%d" % port, DOCROOT=work / "htdocs",
    MODULES=["mpm_event", "authz_core", "dbd", "cookieconsent=%s" % (REPO / ".libs" / "mod_cookieconsent.so")],
    PROCESSES="StartServers 1\nServerLimit 1\nThreadsPerChild 8\nMaxRequestWorkers 8"))
subprocess.run(["/usr/sbin/apache2", "-f", str(conf), "-k", "start"], check=True)
time.sleep(1)
try:
    print("| target | POSTs | median ms/POST | mean ms/POST |")
    print("| --- | ---: | ---: | ---: |")
    for host in ("off.test", "file.test", "pipe.test", "sqlite.test", "pgsql.test"):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
        times = []
        for i in range(N + 10):
            t = time.perf_counter()
            c.request("POST", "/cookieconsent/consent", body="action=accept-all&source=banner",
                      headers={"Host": host, "Accept": "application/json",
                               "Content-Type": "application/x-www-form-urlencoded"})
            r = c.getresponse()
            r.read()
            assert r.status == 200, (host, r.status)
            if i >= 10:                     # the first ones open connections, create the table
                times.append((time.perf_counter() - t) * 1000)
        c.close()
        print("| %s | %d | %.3f | %.3f |" % (host.split(".")[0], N, statistics.median(times),
                                            statistics.mean(times)))
    errors = [l for l in open(work / "logs" / "error.log") if "not stored" in l]
    print("records not stored:", len(errors))
finally:
    subprocess.run(["/usr/sbin/apache2", "-f", str(conf), "-k", "stop"])
    time.sleep(1)
    pg.stop()
