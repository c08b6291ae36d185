"""Harness of the mod_cookieconsent integration tests.

conftest.py holds the pytest fixtures and hooks; this package the rest:
  * config.py    -- paths, the base modules, DEFAULT_DECLS and build_conf() (the httpd.conf text,
                    its frame rendered by scripts/server-conf.sh: render_server_conf());
  * site.py      -- build_site(): the shared docroot and CGI scripts, copied from
                    tests/integration/site/, and a TLS certificate;
  * apache.py    -- class Apache (start/stop, logs, crash detection, the single-process mode of
                    the sanitizer runs), config_test() (apache2 -t), RUNNING, STOP_PROBLEMS;
  * sanitizer.py -- CC_SANITIZE: environment, command prefix, finding and recording reports.
Raw HTTP over a socket is tests/integration/rawhttp.py.

A session-wide temporary site (static files, mod_headers directories, CGI scripts), a Python backend
behind mod_proxy, and private Apache instances started from generated configs:

  * `apache`   -- the main instance: module loaded, the default declarations (DEFAULT_DECLS);
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
