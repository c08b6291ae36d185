"""Sanitizer mode (CC_SANITIZE=asan or valgrind, see the package docstring): the environment and
command prefix of an apache2 process, finding reports in its output, recording them."""
import os
import re
import subprocess
import sys

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


def record_sanitizer_reports(where, reports, problems):
    """Appends the reports found in `where` to `problems` (apache.STOP_PROBLEMS: they fail the
    run), to stderr and to $CC_SANITIZE_LOG."""
    if not reports:
        return
    msg = "sanitizer report(s) in %s:\n%s" % (where, "\n----\n".join(reports))
    problems.append(msg)
    sys.stderr.write(msg + "\n")
    log = os.environ.get("CC_SANITIZE_LOG")
    if log:
        with open(log, "a") as f:
            f.write(msg + "\n====\n")

