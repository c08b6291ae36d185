"""pytest fixtures and hooks of the mod_cookieconsent integration tests; the harness itself (the
Apache instances, their configuration, the site, sanitizer mode) is the package harness/, whose
docstring describes it. The names tests import from here (REPO, SANITIZE, free_port,
DEFAULT_DECLS, ...) are re-exported from it."""
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from backend import Backend  # noqa: E402
from harness.apache import RUNNING, STOP_PROBLEMS, Apache, config_test, free_port  # noqa: E402
from harness.config import (APACHE, BASE_MODULES, DEFAULT_CC_HEAD, DEFAULT_DECLS,  # noqa: E402
                            MODDIR, REPO, build_conf, module_path)
from harness.sanitizer import (SANITIZE, SANITIZER_PATTERNS,  # noqa: E402
                               record_sanitizer_reports, sanitizer_env, sanitizer_prefix,
                               sanitizer_reports)
from harness.site import SITE_SRC, build_site  # noqa: E402

__all__ = ["APACHE", "BASE_MODULES", "DEFAULT_CC_HEAD", "DEFAULT_DECLS", "MODDIR", "REPO",
           "RUNNING", "SANITIZE", "SANITIZER_PATTERNS", "SITE_SRC", "STOP_PROBLEMS", "Apache",
           "build_conf", "build_site", "free_port", "module_path", "record_sanitizer_reports",
           "sanitizer_env", "sanitizer_prefix", "sanitizer_reports"]


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
        p = config_test(path)
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

