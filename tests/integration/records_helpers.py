"""Shared by test_records.py and test_fleet.py: the check of one consent record (every field),
the LoadModule line of mod_dbd, and missing tools (a failure under CI=true, a skip elsewhere)."""
import os
import re
import time

import pytest

DBD_LOAD = ("LoadModule dbd_module /usr/lib/apache2/modules/mod_dbd.so\n"
            "LoadModule authz_host_module /usr/lib/apache2/modules/mod_authz_host.so\n")
FIELDS = ["id", "time", "time_ms", "vhost", "action", "accepted", "refused", "source",
          "fingerprint", "texts_hash", "lang", "revision", "address", "user_agent",
          "previous_id"]


def require_tool(what, path):
    if not os.path.exists(path):
        msg = "%s missing: %s (bash scripts/install-deps.sh --test)" % (what, path)
        if os.environ.get("CI") == "true":
            pytest.fail(msg, pytrace=False)
        pytest.skip(msg)


def check_record(rec, st, t0, vhost, action, accepted, refused, source, lang, revision,
                 address, ua_prefix, previous):
    """rec: a record (dict); st: the state the consent POST returned; t0: time before it."""
    assert list(rec) == FIELDS, list(rec)
    assert rec["id"] == st["consent_id"]
    now = time.time()
    assert t0 * 1000 - 1000 <= rec["time_ms"] <= now * 1000 + 1000, (rec["time_ms"], t0)
    assert abs(rec["time_ms"] // 1000 - st["decided_at"]) <= 1, (rec, st)
    assert rec["time"] == time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(rec["time_ms"] // 1000)) \
        + ".%03dZ" % (rec["time_ms"] % 1000)
    assert rec["vhost"] == vhost
    assert rec["action"] == action
    assert rec["accepted"] == accepted and rec["accepted"] == st["accepted"]
    assert rec["refused"] == refused and rec["refused"] == st["refused"]
    assert rec["source"] == source
    assert rec["fingerprint"] == st["declarations"]
    assert re.fullmatch(r"[0-9a-f]{64}", rec["texts_hash"]), rec["texts_hash"]
    assert rec["lang"] == lang
    assert rec["revision"] == revision
    assert rec["address"] == address
    ua = rec["user_agent"]
    assert ua.startswith(ua_prefix) and len(ua.encode("utf-8")) <= 256, ua
    assert len(ua.encode("utf-8")) >= 255                  # cut on a character boundary
    assert rec["previous_id"] == previous
