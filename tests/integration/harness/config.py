"""Paths of the test run and the text of the generated httpd.conf: the base modules, the default
declarations of the main instance, build_conf() (the frame, conf/dev/server.conf.in, rendered by
scripts/server-conf.sh through render_server_conf())."""
import os
import subprocess
from pathlib import Path

from cc_helpers import ALL_SET, TEST_SECRET_LINE

HERE = Path(__file__).resolve().parent.parent      # tests/integration
REPO = HERE.parent.parent
APACHE = "/usr/sbin/apache2"
MODDIR = "/usr/lib/apache2/modules"
SERVER_CONF = REPO / "scripts" / "server-conf.sh"      # renders conf/dev/server.conf.in
# short names of scripts/server-conf.sh's MODULES (mpm_event: mod_mpm_event.so)
BASE_MODULES = ["mpm_event", "authz_core", "mime", "dir", "alias", "headers", "env", "setenvif",
                "cgid", "proxy", "proxy_http", "http2", "rewrite", "include", "filter", "deflate"]


def module_path():
    p = os.environ.get("CC_MODULE")
    if p:
        return Path(p).resolve()
    return (HERE / ".." / ".." / ".libs" / "mod_cookieconsent.so").resolve()


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


def write_test_secret(root):
    """The harness's secret file (cc_helpers.TEST_SECRET_KEY) in root, mode 0600: the key every
    generated configuration signs with, so that tests can sign consent values (forge(), sign())."""
    path = Path(root) / "cc-secret"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write("# written by tests/integration/harness/config.py\n%s\n" % TEST_SECRET_LINE)
    os.chmod(path, 0o600)
    return path


def render_server_conf(generator, body=b"", **keys):
    """The text of scripts/server-conf.sh (conf/dev/server.conf.in) for these keys, as bytes:
    keys are the template's (ROOT, LISTEN, MODULES as a list of words...); body (str or bytes,
    any bytes but NUL) goes through stdin, so its size is not bound by the limit on one argument."""
    args = [str(SERVER_CONF), "GENERATOR=" + generator, "BODY@-"]
    for k, v in keys.items():
        if isinstance(v, (list, tuple)):
            v = " ".join(str(w) for w in v)
        args.append("%s=%s" % (k, v))
    p = subprocess.run(["bash"] + args, input=body.encode() if isinstance(body, str) else body,
                       capture_output=True, timeout=60)
    if p.returncode != 0:
        raise RuntimeError("scripts/server-conf.sh failed (rc=%d): %s"
                           % (p.returncode, p.stderr.decode(errors="replace")))
    return p.stdout


def build_conf(root, port, site, backend_port, modpath, module=True, cc_head=DEFAULT_CC_HEAD,
               decls=DEFAULT_DECLS, extra="", vhosts="", tls=False, secret=True):
    """Return the text of an httpd.conf (bytes when `extra` is bytes). `extra` (server context,
    after the declarations) may be bytes, for raw (invalid UTF-8) content. With secret=True (the
    default) the harness's secret file is written into root and named by CookieConsentSecretFile
    before everything else (a CookieConsentSecretFile in `extra` overrides it); secret=False leaves
    the directive out (the module then generates a key under the ServerRoot)."""
    htdocs = site / "htdocs"
    cgibin = site / "cgi-bin"
    modules = list(BASE_MODULES)
    vhosts = vhosts.replace("@PORT@", str(port))
    raw = isinstance(extra, bytes)
    listen = "127.0.0.1:%d" % port
    tls_lines = ""
    if tls:
        modules.append("ssl")
        listen += " https"
        tls_lines = ('SSLEngine On\nSSLCertificateFile "%s"\nSSLCertificateKeyFile "%s"\n'
                     % (site / "tls" / "cert.pem", site / "tls" / "key.pem"))
    if module:
        modules.append("cookieconsent=%s" % modpath)
        loglevel = "notice cookieconsent:trace2"
        head = "%s\n%s\n" % (cc_head, decls)
        if secret:
            head = 'CookieConsentSecretFile "%s"\n' % write_test_secret(root) + head
        off = "    CookieConsent Off\n"
    else:
        loglevel = "notice"
        head = ""
        off = ""
    body = f"""\
{tls_lines}Timeout 20
Protocols {"h2 http/1.1" if tls else "h2c http/1.1"}
# The test pages are served as text/plain so that the banner the module injects into text/html
# (issue 3) does not change bodies, ETags or 304s here; /html/ is the real text/html page.
AddType text/plain .html .shtml
AddOutputFilter INCLUDES .shtml

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

"""
    body = body.encode("utf-8")
    if module:
        body += head.encode("utf-8") + (extra if raw else extra.encode("utf-8")) + b"\n"
    body += b"\n" + vhosts.encode("utf-8") + b"\n"
    conf = render_server_conf(
        "tests/integration/harness/config.py", body, ROOT=root, LISTEN=listen,
        SERVERNAME="127.0.0.1:%d" % port, LOGLEVEL=loglevel, MODULES=modules,
        PROCESSES="StartServers 1\nServerLimit 2\nThreadsPerChild 16\nMaxRequestWorkers 32",
        KEEPALIVE="On", DOCROOT=htdocs, DOCROOT_OPTIONS="+ExecCGI +Includes",
        ACCESSLOG='"%r src=%{COOKIECONSENT_SOURCE}e dec=%{COOKIECONSENT_DECIDED}e '
                  'cats=[%{COOKIECONSENT_CATEGORIES}e]"')
    return conf if raw else conf.decode("utf-8")
