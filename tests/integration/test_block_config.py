"""Block and BlockInline (issue 8): a configuration using them starts, and a row of a required
category that uses them gets one startup warning (what it matches is never held), once per row
although httpd reads the configuration twice and a server-wide row is in every virtual host."""
import pytest

from cc_helpers import get

WARNING = "it is never held: the category is required"

EXTRA = """\
<CookieConsentCookie "Piwik tags">
    Category statistical
    Names _pkt_*
    Block https://piwik.test/*.js //piwik.test/*
    BlockInline "_paq.push("
</CookieConsentCookie>
<CookieConsentCookie "Login widget">
    Category necessary
    Names login_*
    Block https://login.test/widget.js
    BlockInline "LoginWidget.init("
</CookieConsentCookie>
"""

VHOSTS = """\
<VirtualHost 127.0.0.1:@PORT@>
    ServerName one.test
</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName two.test
    <CookieConsentCookie "Chat">
        Category necessary
        Names chat_*
        BlockInline "Chat.start("
    </CookieConsentCookie>
    <CookieConsentCookie "Two stats">
        Category statistical
        Names _two_*
        Block https://stats.two.test/*
    </CookieConsentCookie>
</VirtualHost>
"""


@pytest.fixture(scope="module")
def blocked(start_apache):
    inst = start_apache("block-config", extra=EXTRA, vhosts=VHOSTS)
    yield inst
    inst.stop()


def line_of(inst, text):
    lines = inst.conf_path.read_text(encoding="utf-8").splitlines()
    return "%s:%d" % (inst.conf_path, lines.index(text) + 1)


def warnings(text):
    return [l for l in text.splitlines() if WARNING in l]


def test_config_with_block_starts_and_serves(blocked):
    for host in ("127.0.0.1", "one.test", "two.test"):
        r = get(blocked.port, "/", host=host)
        assert r.status == 200, (host, r)


def test_required_row_with_block_warns_once(blocked):
    ws = warnings(blocked.error_log())
    login = [w for w in ws if 'CookieConsentCookie "Login widget"' in w]
    assert len(login) == 1, ws          # not once per reading, not once per virtual host
    w = login[0]
    assert "[cookieconsent:warn]" in w, w
    assert "(%s)" % line_of(blocked, '<CookieConsentCookie "Login widget">') in w, w
    assert 'Block and BlockInline in category "necessary": ' + WARNING in w, w
    chat = [w for w in ws if 'CookieConsentCookie "Chat"' in w]
    assert len(chat) == 1, ws
    assert "(%s)" % line_of(blocked, '    <CookieConsentCookie "Chat">') in chat[0], chat
    assert 'BlockInline in category "necessary": ' + WARNING in chat[0], chat
    # rows of an optional category hold what they match: no warning
    assert len(ws) == 2, ws
    assert not [w for w in ws if "Piwik tags" in w or "Two stats" in w], ws


def test_config_test_shows_the_required_warning(conf_test):
    p = conf_test(extra=EXTRA)
    out = p.stdout + p.stderr
    assert p.returncode == 0 and "Syntax OK" in out, out
    ws = warnings(out)
    assert len(ws) == 1 and 'CookieConsentCookie "Login widget" (%s:' % p.conf_path in ws[0], out
    assert 'Block and BlockInline in category "necessary"' in ws[0], out
