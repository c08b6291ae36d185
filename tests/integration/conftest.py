"""Harness of the mod_cookieconsent integration tests.

A session-wide temporary site (static files, mod_headers directories, CGI scripts), a Python backend
behind mod_proxy, and private Apache instances started from generated configs:

  * `apache`   -- the main instance: module loaded, the default declarations below;
  * `baseline` -- the same site WITHOUT the module, proving every route really sends the cookies
                  the other tests expect to see removed;
  * `start_apache(name, extra=..., decls=..., cc_head=..., vhosts=..., tls=...)` -- any other
    configuration (`extra`: server-context lines after the declarations; `vhosts`: text with @PORT@;
    `tls=True`: HTTPS with a throw-away self-signed certificate, requests via `inst.https()`).
  * `conf_test(**same keywords)` -- runs `apache2 -t` on a generated configuration.

Instances are stopped with `apache2 -k stop`; the harness waits until every process of the
instance's process group is gone. An instance that will not stop, or whose error log shows a crashed
child, is reported at the end of the run and makes the run fail. A failing test gets the lines the
running instances logged during it (LogLevel cookieconsent:trace2) attached to its report.

Run as root (`/usr/bin/python3 -m pytest -q tests/integration` from the repository root). The module is
taken from $CC_MODULE or <repo>/.libs/mod_cookieconsent.so.
Set CC_KEEP=1 to keep the generated server roots (they are printed) for inspection.

Sanitizer mode (tests/integration/run-sanitized.sh): CC_SANITIZE=asan starts every instance as a
single process (`apache2 -X`, in the background, stopped with SIGTERM) with gcc's ASan and UBSan
runtimes preloaded (CC_MODULE then points at a module built with -fsanitize=address,undefined),
plus CC_ASAN_POOL_SHIM if set (asan_pool_shim.c: every apr_palloc its own malloc, so ASan sees
overflows of pool allocations); `apache2 -t` runs with the same preloads.
CC_SANITIZE=valgrind runs the same single process under valgrind memcheck instead (reports count
only when their stack goes through the module). Every AddressSanitizer, UBSan ("runtime error:")
or memcheck report found in an instance's stderr, error log or sanitizer log files fails the run
(like a crash), and is appended to $CC_SANITIZE_LOG when that is set.
"""
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from backend import Backend  # noqa: E402
from cc_helpers import ALL_SET  # noqa: E402

REPO = HERE.parent.parent
APACHE = "/usr/sbin/apache2"
MODDIR = "/usr/lib/apache2/modules"
BASE_MODULES = [
    ("mpm_event_module", "mod_mpm_event.so"),
    ("authz_core_module", "mod_authz_core.so"),
    ("mime_module", "mod_mime.so"),
    ("dir_module", "mod_dir.so"),
    ("alias_module", "mod_alias.so"),
    ("headers_module", "mod_headers.so"),
    ("env_module", "mod_env.so"),
    ("setenvif_module", "mod_setenvif.so"),
    ("cgid_module", "mod_cgid.so"),
    ("proxy_module", "mod_proxy.so"),
    ("proxy_http_module", "mod_proxy_http.so"),
    ("http2_module", "mod_http2.so"),
    ("rewrite_module", "mod_rewrite.so"),
    ("include_module", "mod_include.so"),
    ("filter_module", "mod_filter.so"),
    ("deflate_module", "mod_deflate.so"),
]


def module_path():
    p = os.environ.get("CC_MODULE")
    if p:
        return Path(p).resolve()
    return (HERE / ".." / ".." / ".libs" / "mod_cookieconsent.so").resolve()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# --------------------------------------------------------------------------------------------------
# Sanitizer mode (see the module docstring).
SANITIZE = os.environ.get("CC_SANITIZE", "").strip().lower()
if SANITIZE not in ("", "asan", "valgrind"):
    raise RuntimeError("CC_SANITIZE must be asan or valgrind, not %r" % SANITIZE)
SANITIZER_PATTERNS = [
    "ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",   # ASan, UBSan
    "Invalid read", "Invalid write", "Invalid free", "Mismatched free",    # memcheck
    "Conditional jump or move depends on uninitialised",
    "Use of uninitialised value", "Syscall param",
]


def _gcc_runtime(name):
    p = subprocess.run(["gcc", "-print-file-name=" + name], capture_output=True, text=True)
    path = p.stdout.strip()
    return path if os.path.isabs(path) and os.path.exists(path) else None


def sanitizer_env(logdir=None):
    """Environment for an apache2 process in sanitizer mode."""
    env = dict(os.environ)
    if SANITIZE == "asan":
        libs = [_gcc_runtime("libasan.so"), _gcc_runtime("libubsan.so")]
        if not libs[0]:
            raise RuntimeError("CC_SANITIZE=asan: gcc's libasan.so not found")
        # CC_ASAN_POOL_SHIM: asan_pool_shim.so, one malloc per apr_palloc (see that file)
        libs.append(os.environ.get("CC_ASAN_POOL_SHIM"))
        env["LD_PRELOAD"] = " ".join(l for l in libs if l)
        # LeakSanitizer is off: Apache frees through pools at exit (or never, for the process
        # pool), so it reports every pool allocation of httpd and APR as a leak.
        asan = ["detect_leaks=0", "halt_on_error=0", "detect_odr_violation=0",
                "allocator_may_return_null=1"]
        ubsan = ["print_stacktrace=1", "halt_on_error=0"]
        if logdir:
            asan.append("log_path=%s/asan" % logdir)
            ubsan.append("log_path=%s/ubsan" % logdir)
        env["ASAN_OPTIONS"] = ":".join(asan)
        env["UBSAN_OPTIONS"] = ":".join(ubsan)
    return env


def sanitizer_prefix(logdir):
    if SANITIZE == "valgrind":
        return ["valgrind", "--tool=memcheck", "--error-exitcode=97", "--leak-check=full",
                "--errors-for-leak-kinds=definite", "--show-leak-kinds=definite",
                "--num-callers=30", "--trace-children=no",
                "--log-file=%s/memcheck.%%p.log" % logdir]
    return []


def sanitizer_reports(text):
    """The lines of `text` that start a sanitizer report. For memcheck, only reports whose
    stack goes through the module count ("leaks attributed to the module"), and definite
    leaks through the module."""
    out = []
    if SANITIZE == "valgrind":
        for block in re.split(r"\n==\d+== \n", text):
            if "mod_cookieconsent" not in block and "/src/cc_" not in block \
                    and "/src/mod_cc_" not in block:
                continue
            if any(p in block for p in SANITIZER_PATTERNS) or "definitely lost" in block:
                out.append(block.strip()[:4000])
        return out
    lines = text.splitlines()
    seen = set()
    for i, line in enumerate(lines):
        if any(p in line for p in SANITIZER_PATTERNS[:3]):
            key = re.sub(r"^==\d+==|\[pid [^]]*\]|^\[[^]]*\]", "", line).strip()
            if key not in seen:             # the same report in stderr, log_path and error log
                seen.add(key)
                out.append("\n".join(lines[i:i + 25]))
    return out


def record_sanitizer_reports(where, reports):
    if not reports:
        return
    msg = "sanitizer report(s) in %s:\n%s" % (where, "\n----\n".join(reports))
    STOP_PROBLEMS.append(msg)
    sys.stderr.write(msg + "\n")
    log = os.environ.get("CC_SANITIZE_LOG")
    if log:
        with open(log, "a") as f:
            f.write(msg + "\n====\n")


# --------------------------------------------------------------------------------------------------
# Declarations used by the main instance (docs/design.md vocabulary).
DEFAULT_DECLS = """\
<CookieConsentCategory necessary>
    Required On
    Title "Necessary"
    Title fr "Nécessaires"
    Description "Needed for the site to work."
</CookieConsentCategory>
<CookieConsentCategory statistical>
    Title "Statistics"
    Title pt-BR "Estatísticas"
    Description "Anonymous visit statistics."
</CookieConsentCategory>
<CookieConsentCookie "Session">
    Category necessary
    Names csrftoken sessionid
    Retention session
    Purpose "Keeps the session and protects forms."
</CookieConsentCookie>
<CookieConsentCookie "Piwik">
    Category statistical
    Names _pk_id* _pk_ses*
    Retention 13mo
    Purpose "Counts visits."
</CookieConsentCookie>
<CookieConsentCookie "Shop analytics">
    Category statistical
    Names _shop_* __Secure-shop* __Host-shop*
    Domain shop.test
    Retention 30d
    Purpose "Shop audience measurement."
</CookieConsentCookie>
<CookieConsentCookie "Cart statistics">
    Category statistical
    Names _cart_*
    Path /shop
    Retention 1y
    Purpose "Cart funnel statistics."
</CookieConsentCookie>
"""

DEFAULT_CC_HEAD = "CookieConsent On"


def _set_cookie_lines(kind):
    """mod_headers lines adding ALL_SET: kind is 'add' or 'always add'."""
    return "\n".join('    Header %s Set-Cookie "%s"' % (kind, c) for c in ALL_SET)


def build_conf(root, port, site, backend_port, modpath, module=True, cc_head=DEFAULT_CC_HEAD,
               decls=DEFAULT_DECLS, extra="", vhosts="", tls=False):
    """Return the text of an httpd.conf. `extra` (server context, after the declarations) may be
    bytes, for raw (invalid UTF-8) content."""
    htdocs = site / "htdocs"
    cgibin = site / "cgi-bin"
    loads = "\n".join("LoadModule %s %s/%s" % (n, MODDIR, f) for n, f in BASE_MODULES)
    vhosts = vhosts.replace("@PORT@", str(port))
    marker = "#@@RAW_EXTRA@@"
    raw_extra = None
    if isinstance(extra, bytes):
        raw_extra, extra = extra, marker
    listen = "Listen 127.0.0.1:%d" % port
    if tls:
        loads += "\nLoadModule ssl_module %s/mod_ssl.so" % MODDIR
        listen = ("Listen 127.0.0.1:%d https\nSSLEngine On\nSSLCertificateFile \"%s\"\n"
                  "SSLCertificateKeyFile \"%s\"" % (port, site / "tls" / "cert.pem",
                                                     site / "tls" / "key.pem"))
    if module:
        loads += "\nLoadModule cookieconsent_module %s" % modpath
        loglevel = "LogLevel notice cookieconsent:trace2"
        cc = "%s\n%s\n%s\n" % (cc_head, decls, extra)
        off = "    CookieConsent Off\n"
    else:
        loglevel = "LogLevel notice"
        cc = ""
        off = ""
    conf = f"""\
# generated by tests/integration/conftest.py
ServerRoot "{root}"
PidFile "{root}/run/httpd.pid"
DefaultRuntimeDir "{root}/run"
ErrorLog "{root}/logs/error.log"
{loads}
{loglevel}
{listen}
ServerName 127.0.0.1:{port}
User www-data
Group www-data
StartServers 1
ServerLimit 2
ThreadsPerChild 16
MaxRequestWorkers 32
Timeout 20
KeepAlive On
Protocols {"h2 http/1.1" if tls else "h2c http/1.1"}
ScriptSock "{root}/run/cgid.sock"
TypesConfig /etc/mime.types
# The test pages are served as text/plain so that the banner the module injects into text/html
# (issue 3) does not change bodies, ETags or 304s here; /html/ is the real text/html page.
AddType text/plain .html .shtml
AddOutputFilter INCLUDES .shtml
DirectoryIndex index.html
LogFormat "%r src=%{{COOKIECONSENT_SOURCE}}e dec=%{{COOKIECONSENT_DECIDED}}e cats=[%{{COOKIECONSENT_CATEGORIES}}e]" ccfmt
CustomLog "{root}/logs/access.log" ccfmt

DocumentRoot "{htdocs}"
<Directory />
    AllowOverride None
    Require all denied
</Directory>
<Directory "{htdocs}">
    Options +ExecCGI +Includes
    Require all granted
</Directory>
<Directory "{htdocs}/hdr">
{_set_cookie_lines("add")}
</Directory>
<Directory "{htdocs}/html">
    AddType text/html .html
{_set_cookie_lines("add")}
</Directory>
<Directory "{htdocs}/always">
{_set_cookie_lines("always add")}
</Directory>
<Directory "{htdocs}/errdoc">
    ErrorDocument 404 /errors/404.html
</Directory>
<Directory "{htdocs}/errors">
{_set_cookie_lines("always add")}
</Directory>
<Directory "{htdocs}/errcgi">
    ErrorDocument 404 /cgi-bin/setcookies.cgi
</Directory>
<Directory "{htdocs}/cgifail">
    AddHandler cgi-script .cgi
{_set_cookie_lines("always add")}
</Directory>
<Location /off>
{off}    AddHandler cgi-script .cgi
{_set_cookie_lines("add")}
</Location>
ScriptAlias /cgi-bin/ "{cgibin}/"
<Directory "{cgibin}">
    Require all granted
</Directory>

ProxyPass /proxy/ http://127.0.0.1:{backend_port}/
ProxyPassReverse /proxy/ http://127.0.0.1:{backend_port}/

RewriteEngine On
RewriteCond %{{HTTP_COOKIE}} _pk_id
RewriteRule ^/rw/check$ /rw/seen.txt [L]
RewriteRule ^/rw/check$ /rw/notseen.txt [L]

{cc}
{vhosts}
"""
    if raw_extra is not None:
        return conf.encode("utf-8").replace(marker.encode(), raw_extra)
    return conf


# --------------------------------------------------------------------------------------------------
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


# --------------------------------------------------------------------------------------------------
RUNNING = []
STOP_PROBLEMS = []


class Apache:
    def __init__(self, name, workdir, site, backend_port, modpath, module=True, **conf_kw):
        self.name = name
        self.root = Path(tempfile.mkdtemp(prefix="srv-%s-" % name, dir=workdir))
        self.root.chmod(0o755)
        for d in ("logs", "run"):
            (self.root / d).mkdir()
            (self.root / d).chmod(0o755)
        self.port = free_port()
        self.tls = bool(conf_kw.get("tls"))
        self.conf_path = self.root / "httpd.conf"
        self.error_log_path = self.root / "logs" / "error.log"
        self.access_log_path = self.root / "logs" / "access.log"
        self.pid_path = self.root / "run" / "httpd.pid"
        conf = build_conf(self.root, self.port, site, backend_port, modpath, module=module,
                          **conf_kw)
        if isinstance(conf, bytes):
            self.conf_path.write_bytes(conf)
        else:
            self.conf_path.write_text(conf, encoding="utf-8")
        self.pid = None
        self.module = module
        self.proc = None                # the apache2 -X process in sanitizer mode
        self.san_dir = self.root / "san"
        if SANITIZE:
            # written after httpd drops privileges: world-writable
            self.san_dir.mkdir()
            self.san_dir.chmod(0o1777)

    # -- logs ---------------------------------------------------------------------------------
    def error_log(self):
        try:
            return self.error_log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def access_log(self):
        try:
            return self.access_log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def log_size(self):
        try:
            return self.error_log_path.stat().st_size
        except FileNotFoundError:
            return 0

    def log_since(self, offset):
        try:
            with open(self.error_log_path, "rb") as f:
                f.seek(offset)
                return f.read().decode("utf-8", "replace")
        except FileNotFoundError:
            return ""

    # -- life cycle ---------------------------------------------------------------------------
    def https(self, method, path, headers=(), body=None):
        """One request over TLS (certificate not verified: it is generated by the harness)."""
        import http.client
        import ssl
        from cc_helpers import Response
        ctx = ssl._create_unverified_context()
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=ctx, timeout=15)
        try:
            conn.putrequest(method, path, skip_accept_encoding=True)
            hs = list(headers)
            if body is not None:
                body = body.encode() if isinstance(body, str) else body
                hs.append(("Content-Length", str(len(body))))
            for k, v in hs:
                conn.putheader(k, v)
            conn.endheaders(body)
            r = conn.getresponse()
            return Response(r.status, r.reason, list(r.msg.items()), r.read())
        finally:
            conn.close()

    def _port_open(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return True
        except OSError:
            return False

    def _start_single(self):
        """Sanitizer mode: apache2 -X (one process, no detach) in its own process group."""
        out = open(self.san_dir / "stderr.log", "wb")
        cmd = sanitizer_prefix(self.san_dir) + [APACHE, "-X", "-f", str(self.conf_path)]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                                     env=sanitizer_env(self.san_dir), start_new_session=True)
        out.close()
        end = time.time() + (120 if SANITIZE == "valgrind" else 30)
        while time.time() < end:
            if self.proc.poll() is not None:
                break
            if self._port_open():
                self.pid = self.proc.pid
                RUNNING.append(self)
                self._check_runtime_loaded()
                return self
            time.sleep(0.1)
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, 9)
            self.proc.wait()
        raise RuntimeError("apache %s (-X, %s) did not start (rc=%s)\nstderr:\n%s\nerror log:\n%s"
                           % (self.name, SANITIZE, self.proc.returncode, self.sanitizer_text(),
                              self.error_log()))

    def _check_runtime_loaded(self):
        """The sanitizer run proves nothing if the runtime is not really in the process."""
        if SANITIZE != "asan":
            return
        maps = Path("/proc/%d/maps" % self.proc.pid).read_text()
        want = sanitizer_env()["LD_PRELOAD"].split()
        if self.module:
            want.append(str(module_path()))
        missing = [w for w in want if os.path.realpath(w) not in maps and w not in maps]
        if missing:
            raise RuntimeError("apache %s: not loaded in the -X process: %s" % (self.name,
                                                                                 missing))

    def sanitizer_text(self):
        """Everything a sanitizer may have written: stderr, log_path files, memcheck logs."""
        parts = []
        if self.san_dir.is_dir():
            for f in sorted(self.san_dir.iterdir()):
                parts.append(f.read_text(encoding="utf-8", errors="replace"))
        return "\n".join(parts)

    def _stop_single(self):
        problems = []
        if self.proc.poll() is not None:
            problems.append("apache %s: the -X process died during the run (rc=%s)"
                            % (self.name, self.proc.returncode))
        else:
            # apache2 -X ignores SIGWINCH (graceful stop), and an ungraceful stop (SIGTERM) of the
            # event MPM while the last connection is still being closed can crash httpd itself
            # (close_worker_sockets/apr_os_sock_get; seen without this module too, about 1 stop
            # in 10 right after a request): let the server go idle first.
            time.sleep(0.5)
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=120 if SANITIZE == "valgrind" else 30)
            except subprocess.TimeoutExpired:
                problems.append("apache %s: still running after SIGTERM; killed" % self.name)
                os.killpg(self.proc.pid, 9)
                self.proc.wait()
        # the cgid daemon and any CGI child of the process group
        end = time.time() + 10
        while time.time() < end and self._group():
            time.sleep(0.05)
        if self._group():
            try:
                os.killpg(self.proc.pid, 9)
            except ProcessLookupError:
                pass
        record_sanitizer_reports("apache %s (%s)" % (self.name, self.root),
                                 sanitizer_reports(self.sanitizer_text() + "\n"
                                                   + self.error_log()))
        return problems

    def start(self):
        if SANITIZE:
            return self._start_single()
        p = subprocess.run([APACHE, "-f", str(self.conf_path), "-k", "start"],
                           capture_output=True, text=True, timeout=60)
        if p.returncode != 0:
            raise RuntimeError("apache %s failed to start (rc=%d)\nstderr:\n%s\nerror log:\n%s"
                               % (self.name, p.returncode, p.stderr, self.error_log()))
        end = time.time() + 20
        while time.time() < end:
            if self.pid_path.exists() and self._port_open():
                self.pid = int(self.pid_path.read_text().strip())
                RUNNING.append(self)
                return self
            time.sleep(0.05)
        if self.pid_path.exists():       # started but not listening: do not leave it behind
            try:
                os.killpg(int(self.pid_path.read_text().strip()), 9)
            except (ValueError, ProcessLookupError):
                pass
        raise RuntimeError("apache %s did not open port %d\nerror log:\n%s"
                           % (self.name, self.port, self.error_log()))

    def _group(self):
        """Live processes of this Apache's process group (apache2 -k start calls setsid())."""
        pids = []
        for d in os.listdir("/proc"):
            if not d.isdigit():
                continue
            try:
                with open("/proc/%s/stat" % d) as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                if int(fields[2]) == self.pid and fields[0] != "Z":
                    pids.append(int(d))
            except (OSError, IndexError, ValueError):
                pass
        return pids

    def stop(self):
        if self not in RUNNING:
            return
        RUNNING.remove(self)
        pid = self.pid
        if SANITIZE:
            problems = self._stop_single()
            if self.crashes:
                problems.append("apache %s: crashing children:\n%s"
                                % (self.name, "\n".join(self.crashes)))
            if problems:
                tail = "\n".join(self.error_log().splitlines()[-40:])
                STOP_PROBLEMS.append("\n".join(problems) + "\nerror log tail:\n" + tail)
                sys.stderr.write(STOP_PROBLEMS[-1] + "\n")
            return
        p = subprocess.run([APACHE, "-f", str(self.conf_path), "-k", "stop"],
                           capture_output=True, text=True, timeout=60)
        problems = []
        end = time.time() + 15
        while time.time() < end and self._group():
            time.sleep(0.05)
        left = self._group()
        if left:
            problems.append("apache %s: processes %s still running 15 s after -k stop; killed"
                            % (self.name, left))
            try:
                os.killpg(pid, 9)
            except ProcessLookupError:
                pass
        if p.returncode != 0:
            problems.append("apache %s: -k stop rc=%d: %s" % (self.name, p.returncode, p.stderr))
        if self.crashes:
            problems.append("apache %s: crashing children:\n%s"
                            % (self.name, "\n".join(self.crashes)))
        if problems:
            tail = "\n".join(self.error_log().splitlines()[-40:])
            STOP_PROBLEMS.append("\n".join(problems) + "\nerror log tail:\n" + tail)
            sys.stderr.write(STOP_PROBLEMS[-1] + "\n")

    @property
    def crashes(self):
        return [l for l in self.error_log().splitlines()
                if "exit signal" in l or "Segmentation fault" in l]


# --------------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def workdir():
    d = Path(tempfile.mkdtemp(prefix="ccit-"))
    d.chmod(0o755)
    yield d
    if os.environ.get("CC_KEEP"):
        sys.stderr.write("kept %s\n" % d)
    else:
        shutil.rmtree(d, ignore_errors=True)


@pytest.fixture(scope="session")
def site(workdir):
    return build_site(workdir / "site")


@pytest.fixture(scope="session")
def backend():
    b = Backend().start()
    yield b
    b.stop()


@pytest.fixture(scope="session")
def modpath():
    p = module_path()
    if not p.exists():
        pytest.fail("module not built: %s does not exist (build it, or set CC_MODULE)" % p,
                    pytrace=False)
    return p


@pytest.fixture(scope="session")
def start_apache(workdir, site, backend):
    """start_apache(name, module=True, cc_head=..., decls=..., extra=..., vhosts=...) -> Apache"""
    started = []

    def _start(name, module=True, **conf_kw):
        mp = module_path()
        if module and not mp.exists():
            pytest.fail("module not built: %s does not exist" % mp, pytrace=False)
        inst = Apache(name, workdir, site, backend.port, mp, module=module, **conf_kw)
        inst.start()
        started.append(inst)
        return inst

    yield _start
    for inst in started:
        inst.stop()


@pytest.fixture(scope="session")
def apache(start_apache):
    inst = start_apache("main")
    yield inst
    inst.stop()
    assert not inst.crashes, "main apache had crashing children:\n" + "\n".join(inst.crashes)


@pytest.fixture(scope="session")
def baseline(start_apache):
    inst = start_apache("baseline", module=False)
    yield inst
    inst.stop()


@pytest.fixture(scope="session")
def conf_test(workdir, site, backend):
    """conf_test(**conf_kw) -> CompletedProcess of `apache2 -t -f CONF` on a generated config."""
    root = Path(tempfile.mkdtemp(prefix="conftest-", dir=workdir))
    root.chmod(0o755)
    for d in ("logs", "run"):
        (root / d).mkdir()
    counter = [0]

    def _t(**conf_kw):
        counter[0] += 1
        conf = build_conf(root, 8, site, backend.port, module_path(), **conf_kw)
        path = root / ("t%03d.conf" % counter[0])
        if isinstance(conf, bytes):
            path.write_bytes(conf)
        else:
            path.write_text(conf, encoding="utf-8")
        if SANITIZE == "asan":
            p = subprocess.run([APACHE, "-t", "-f", str(path)], capture_output=True, timeout=60,
                               env=sanitizer_env())
        else:
            p = subprocess.run([APACHE, "-t", "-f", str(path)], capture_output=True, timeout=60)
        p.stdout = p.stdout.decode("utf-8", "replace")
        p.stderr = p.stderr.decode("utf-8", "replace")
        if SANITIZE == "asan":
            record_sanitizer_reports("apache2 -t -f %s" % path,
                                     sanitizer_reports(p.stderr + "\n" + p.stdout))
        p.conf_path = path
        return p

    return _t


# --------------------------------------------------------------------------------------------------
# On a failing test, attach what the running Apaches logged during it.
@pytest.fixture(autouse=True)
def _log_marks(request):
    request.node._cc_log_marks = {id(i): i.log_size() for i in RUNNING}
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if rep.when == "call" and rep.failed:
        marks = getattr(item, "_cc_log_marks", {})
        for inst in RUNNING:
            text = inst.log_since(marks.get(id(inst), 0))
            lines = text.splitlines()[-60:]
            if lines:
                rep.sections.append(("error log of apache %s (during the test)" % inst.name,
                                     "\n".join(lines)))


def pytest_terminal_summary(terminalreporter):
    for msg in STOP_PROBLEMS:
        terminalreporter.write_sep("=", "apache shutdown problem", red=True)
        terminalreporter.write_line(msg)


def pytest_sessionfinish(session, exitstatus):
    # an Apache that crashed or would not stop is a failure even if every request looked right
    for inst in list(RUNNING):
        inst.stop()
    if STOP_PROBLEMS and session.exitstatus == 0:
        session.exitstatus = 1


# --------------------------------------------------------------------------------------------------
# The banner instance (issue 3): /banner/ is real HTML there; see banner_helpers.py.
@pytest.fixture(scope="session")
def banner_apache(start_apache, site, backend):
    from backend import PAGES
    from banner_helpers import BANNER_DECLS, banner_extra, build_banner_site, \
        register_backend_pages
    build_banner_site(site)
    register_backend_pages(PAGES)
    inst = start_apache("banner", decls=BANNER_DECLS, extra=banner_extra(site, backend.port))
    yield inst
    inst.stop()
    assert not inst.crashes, "banner apache had crashing children:\n" + "\n".join(inst.crashes)
