"""The shared site of the tests: the docroot and the CGI scripts, copied from
tests/integration/site/."""
import os
import re
import shutil
import subprocess
import time

from cc_helpers import ALL_SET

from .config import HERE

# The static pages and CGI scripts of the shared site are real files under site/ (CGI scripts
# executable); build_site copies them and adds a throw-away TLS certificate.
SITE_SRC = HERE / "site"
# the scripts whose Set-Cookie lines must be exactly ALL_SET, in order
ALL_SET_SCRIPTS = ("cgi-bin/setcookies.cgi", "cgi-bin/status500.cgi")


def _check_all_set_scripts():
    """The CGI scripts repeat cc_helpers.ALL_SET: fail early if they no longer match it."""
    for rel in ALL_SET_SCRIPTS:
        text = (SITE_SRC / rel).read_text(encoding="utf-8")
        sent = re.findall(r"^printf 'Set-Cookie: (.*)\\r\\n'$", text, re.M)
        if sent != ALL_SET:
            raise RuntimeError("%s sends %r, not cc_helpers.ALL_SET %r" % (SITE_SRC / rel, sent,
                                                                          ALL_SET))


def build_site(site):
    """Copies site/ to `site` (files 0644, executables 0755, directories 0755), then writes
    tls/cert.pem and tls/key.pem."""
    _check_all_set_scripts()
    htdocs = site / "htdocs"
    # symlinks=False: a link in site/ (htdocs/off/env.cgi) becomes a copy of its target
    shutil.copytree(SITE_SRC, site, symlinks=False)
    for p in site.rglob("*"):
        if p.is_dir():
            p.chmod(0o755)
        else:
            p.chmod(0o755 if p.stat().st_mode & 0o100 else 0o644)
    site.chmod(0o755)
    tls = site / "tls"
    tls.mkdir(mode=0o700)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-keyout", str(tls / "key.pem"),
                    "-out", str(tls / "cert.pem")], check=True, capture_output=True, timeout=60)
    # old mtime so that If-Modified-Since comparisons are stable
    old = time.time() - 3600
    os.utime(htdocs / "always" / "index.html", (old, old))
    return site

