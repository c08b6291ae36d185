"""`apache2 -t` on broken configurations: non-zero exit, and a message naming the directive and the
problem (docs/design.md: "Config errors stop `apachectl -t` with a message that names the directive
and the problem")."""
import re

import pytest


def row(label, body):
    return '<CookieConsentCookie "%s">\n%s\n</CookieConsentCookie>\n' % (label, body)


ONLY_OPTIONAL_DECLS = """\
<CookieConsentCategory statistical>
    Title "Statistics"
</CookieConsentCategory>
<CookieConsentCookie "Piwik">
    Category statistical
    Names _pk_id* _pk_ses*
</CookieConsentCookie>
"""


# A row of the default statistical category with the given Block/BlockInline lines (str or bytes).
def tags_row(lines):
    head, tail = ('<CookieConsentCookie "Tags">\n    Category statistical\n    Names _tags*\n',
                  "\n</CookieConsentCookie>\n")
    if isinstance(lines, bytes):
        return head.encode() + lines + tail.encode()
    return head + lines + tail


TAGS = r'CookieConsentCookie "Tags"'
AT_LINE = r"\(/\S+\.conf:\d+\)"      # file:line of the Block or BlockInline line

PROBLEM_BAD_VALUE = r"invalid|bad|illegal|not allowed|not a valid|unknown|expected|must|syntax|character"

# id -> (conf keyword arguments, [regexes that must all be found in stderr, case-insensitive])
CASES = {
    "unknown-category": (
        dict(extra=row("Piwik2", "    Category statistics\n    Names _p2*")),
        [r"\bCategory\b|CookieConsentCookie", r'"?statistics"?',
         r"unknown|undeclared|not declared|no such|not defined"]),
    "cookie-without-names": (
        dict(extra=row("Nameless", "    Category statistical\n    Retention 30d")),
        [r"CookieConsentCookie|Nameless", r"\bNames\b",
         r"missing|\bno\b|without|requires?|must|at least|empty|needs"]),
    "cookie-without-category": (
        dict(extra=row("Homeless", "    Names _home*")),
        [r"CookieConsentCookie|Homeless", r"\bCategory\b",
         r"missing|\bno\b|without|requires?|must|needs"]),
    "glob-with-bracket": (
        dict(extra=row("Brackets", "    Category statistical\n    Names _pk[id")),
        [r"\bNames\b|CookieConsentCookie", re.escape("_pk[id"), PROBLEM_BAD_VALUE + r"|glob|pattern"]),
    "glob-with-equals": (
        dict(extra=row("Equals", "    Category statistical\n    Names a=b")),
        [r"\bNames\b|CookieConsentCookie", re.escape("a=b"), PROBLEM_BAD_VALUE + r"|glob|pattern"]),
    "bad-retention": (
        dict(extra=row("Weeks", "    Category statistical\n    Names _wk*\n    Retention 12w")),
        [r"\bRetention\b", r"12w", PROBLEM_BAD_VALUE + r"|duration"]),
    "lifetime-14mo": (
        dict(extra="CookieConsentChoiceCookie cookieconsent 14mo\n"),
        [r"CookieConsentChoiceCookie", r"395|13 ?mo|13 months|too long|exceed|maximum|at most|longer"]),
    "lifetime-2y": (
        dict(extra="CookieConsentChoiceCookie cookieconsent 2y\n"),
        [r"CookieConsentChoiceCookie", r"395|13 ?mo|13 months|too long|exceed|maximum|at most|longer"]),
    "endpoint-relative": (
        dict(extra="CookieConsentEndpoint cookieconsent\n"),
        [r"CookieConsentEndpoint", r"absolute|must (start|begin)|start(s)? with|begin(s)? with|leading"]),
    "endpoint-url": (
        dict(extra="CookieConsentEndpoint http://example.test/cc\n"),
        [r"CookieConsentEndpoint", r"absolute|must (start|begin)|start(s)? with|begin(s)? with|leading"]),
    "duplicate-category": (
        dict(extra="<CookieConsentCategory statistical>\n    Title \"Again\"\n"
                   "</CookieConsentCategory>\n"),
        [r"CookieConsentCategory", r"statistical",
         r"duplicate|already|twice|more than once|redefin|unique"]),
    "no-required-category": (
        dict(decls=ONLY_OPTIONAL_DECLS),
        [r"CookieConsent", r"required"]),
    "same-pattern-two-categories": (
        dict(extra=row("Stolen", "    Category necessary\n    Names _pk_id*")),
        [r"\bNames\b|CookieConsentCookie|Stolen", re.escape("_pk_id*"),
         r"necessary|statistical|categor"]),
    "invalid-utf8-text": (
        dict(extra=b'<CookieConsentCookie "Utf">\n    Category statistical\n    Names _u*\n'
                   b'    Purpose "caf\xff au lait"\n</CookieConsentCookie>\n'),
        [r"\bPurpose\b|CookieConsentCookie", r"UTF-?8"]),
    "invalid-utf8-title": (
        dict(extra=b'<CookieConsentCategory marketing>\n    Title "Mark\xc3\x28ting"\n'
                   b'</CookieConsentCategory>\n'),
        [r"\bTitle\b|CookieConsentCategory", r"UTF-?8"]),
    "unknown-directive-in-container": (
        dict(extra=row("Odd", "    Category statistical\n    Names _odd*\n    Colour red")),
        [r"Colour", r"invalid|unknown|not allowed|not recognized|misspelled|not supported|not valid"]),
    "bad-language-tag": (
        dict(extra=row("Lang", "    Category statistical\n    Names _lang*\n"
                               "    Purpose en_US \"Counts\"")),
        [r"\bPurpose\b|CookieConsentCookie", r"en_US", r"lang|tag|locale"]),
    "bad-category-name": (
        dict(extra="<CookieConsentCategory Stats>\n    Title \"Stats\"\n</CookieConsentCategory>\n"),
        [r"CookieConsentCategory", r"Stats", r"name|lower|invalid|character|must"]),
    "bad-undeclared-value": (
        dict(extra="CookieConsentUndeclared maybe\n"),
        [r"CookieConsentUndeclared", r"block|allow|maybe"]),
    "bad-mode-value": (
        dict(extra="CookieConsentMode audit\n"),
        [r"CookieConsentMode", r"enforce|report|audit"]),
    "row-path-not-absolute": (
        dict(extra=row("Rel", "    Category statistical\n    Names _rel*\n    Path shop")),
        [r"\bPath\b", r"absolute|must (start|begin)|start(s)? with|begin(s)? with|leading|invalid"]),
    # CookieConsentExclude (issue 7, item 15)
    "exclude-no-scope": (
        dict(extra="CookieConsentExclude /wp/checkout/*\n"),
        [r"CookieConsentExclude", r"banner", r"\ball\b", re.escape('"/wp/checkout/*"')]),
    "exclude-bad-scope": (
        dict(extra="CookieConsentExclude enforcement /wp/checkout/*\n"),
        [r"CookieConsentExclude", r"banner", r"\ball\b", r'"enforcement"']),
    "exclude-no-pattern": (
        dict(extra="CookieConsentExclude banner\n"),
        [r"CookieConsentExclude banner", r"no URL path pattern"]),
    "exclude-empty-pattern": (
        dict(extra='CookieConsentExclude all /wp/x/* ""\n'),
        [r"CookieConsentExclude all", r'pattern ""', r"empty"]),
    "exclude-relative-pattern": (
        dict(extra="CookieConsentExclude banner wp-admin/*\n"),
        [r"CookieConsentExclude banner", re.escape('"wp-admin/*"'), r"absolute", r"start"]),
    "exclude-trailing-comment": (
        dict(extra="CookieConsentExclude banner /wp/x/* # the shop\n"),
        [r"CookieConsentExclude banner", r'pattern "#"', r"comment"]),
    "exclude-url-pattern": (
        dict(extra="CookieConsentExclude banner https://example.test/wp/*\n"),
        [r"CookieConsentExclude banner", r"absolute"]),
    "exclude-escaped-pattern": (
        dict(extra="CookieConsentExclude banner /caf%C3%A9/*\n"),
        [r"CookieConsentExclude banner", re.escape("/caf%C3%A9/*"), r"decoded"]),
    "exclude-bracket-pattern": (
        dict(extra="CookieConsentExclude all /wp/20[0-9][0-9]/*\n"),
        [r"CookieConsentExclude all", r"wildcard"]),
    "exclude-in-location": (
        dict(extra="<Location /wp>\n    CookieConsentExclude banner /wp/x/*\n</Location>\n"),
        [r"CookieConsentExclude", r"not allowed"]),
    # Block and BlockInline in a cookie row (issue 8): the row, the Block line, the glob or text
    "block-no-argument": (
        dict(extra=tags_row("    Block")),
        [TAGS, AT_LINE + r": Block needs at least one URL glob"]),
    "block-empty-glob": (
        dict(extra=tags_row('    Block https://tags.test/* ""')),
        [TAGS, AT_LINE + r': Block "": an empty glob']),
    "block-space-in-glob": (
        dict(extra=tags_row('    Block "https://tags.test/a b.js"')),
        [TAGS, AT_LINE + r': Block "https://tags\.test/a b\.js": ', r"white space"]),
    "block-tab-in-glob": (
        dict(extra=tags_row('    Block "https://tags.test/a\tb.js"')),
        [TAGS, AT_LINE + r': Block "https://tags\.test/a\\tb\.js": ', r"white space"]),
    "block-control-in-glob": (
        dict(extra=tags_row(b'    Block https://tags.test/\x01.js')),
        [TAGS, AT_LINE + r': Block "https://tags\.test/\\x01\.js": ', r"control character"]),
    "block-only-star": (
        dict(extra=tags_row("    Block https://tags.test/* *")),
        [TAGS, AT_LINE + r': Block "\*": ', r"only \*", r"every URL",
         r"hold every script, iframe, image and stylesheet of the site"]),
    "block-only-stars": (
        dict(extra=tags_row('    Block "***"')),
        [TAGS, AT_LINE + r': Block "\*\*\*": ', r"every URL"]),
    "block-inline-no-argument": (
        dict(extra=tags_row("    BlockInline")),
        [TAGS, AT_LINE + r": BlockInline needs at least one text"]),
    "block-inline-too-short": (
        dict(extra=tags_row('    BlockInline "gtag(" ga')),
        [TAGS, AT_LINE + r': BlockInline "ga": ', r"too short \(2 bytes, at least 3\)"]),
    "block-inline-empty": (
        dict(extra=tags_row('    BlockInline ""')),
        [TAGS, AT_LINE + r': BlockInline "": ', r"too short \(0 bytes, at least 3\)"]),
    "block-inline-control": (
        dict(extra=tags_row(b'    BlockInline "gtag(\x7f"')),
        [TAGS, AT_LINE + r': BlockInline "gtag\(\\x7f": ', r"control character"]),
    "block-inline-invalid-utf8": (
        dict(extra=tags_row(b'    BlockInline "caf\xe9("')),
        [TAGS, AT_LINE + r': BlockInline "caf\\xe9\(": ', r"not valid UTF-8"]),
    "block-in-unknown-directive-list": (
        dict(extra=tags_row("    Blocks https://tags.test/*")),
        [TAGS, r'unknown directive "Blocks"', r"\bBlock, BlockInline\b"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_config_error_is_reported(conf_test, modpath, case):
    kw, patterns = CASES[case]
    p = conf_test(**kw)
    out = p.stderr + p.stdout
    assert p.returncode != 0, "apache2 -t accepted %s:\n%s" % (p.conf_path, out)
    assert "Syntax OK" not in out
    # The failure must come from the module's checks, not from a missing module.
    assert "Cannot load" not in out, out
    assert "Invalid command 'CookieConsent" not in out, out
    for pat in patterns:
        assert re.search(pat, out, re.I), "stderr does not match %r:\n%s" % (pat, out)


def test_valid_config_passes(conf_test, modpath):
    p = conf_test()
    assert p.returncode == 0, p.stderr
    assert "Syntax OK" in p.stderr + p.stdout


def test_valid_config_with_every_directive_passes(conf_test, modpath):
    extra = """\
CookieConsentUndeclared allow
CookieConsentMode report
CookieConsentGPC Off
CookieConsentChoiceCookie my_choice 395d
CookieConsentEndpoint /privacy/consent-api
CookieConsentFilterRequest Off
CookieConsentRevision "2024-policy-v2"
CookieConsentExclude banner /wp/2026/* /wp/?/feed/ "/a page/*"
CookieConsentExclude all /wp/checkout /wp/checkout/*
<VirtualHost 127.0.0.1:8>
    ServerName vh.test
    CookieConsentExclude ALL /shop/*
</VirtualHost>
<CookieConsentCategory marketing>
    Title "Marketing"
    Title de "Werbung"
    Description en "Ads"
</CookieConsentCategory>
<CookieConsentCookie "Ads">
    Category marketing
    Names _fbp _gcl_? ad*
    Domain shop.test example.test
    Path /
    Retention 90d
    Purpose "Advertising"
    Purpose fr "Publicité"
</CookieConsentCookie>
"""
    p = conf_test(extra=extra)
    assert p.returncode == 0, p.stderr
    assert "Syntax OK" in p.stderr + p.stdout


def test_13_months_lifetime_is_the_ceiling(conf_test, modpath):
    for ok in ("395d", "13mo", "1y"):
        p = conf_test(extra="CookieConsentChoiceCookie cookieconsent %s\n" % ok)
        assert p.returncode == 0, (ok, p.stderr)
    p = conf_test(extra="CookieConsentChoiceCookie cookieconsent 396d\n")
    assert p.returncode != 0, p.stderr


def test_block_error_names_the_block_line(conf_test, modpath):
    # the file:line is the Block line itself, not the <CookieConsentCookie> that holds it
    p = conf_test(extra=tags_row("    Block https://tags.test/*\n    Block https://x.test/* **"))
    out = p.stderr + p.stdout
    assert p.returncode != 0, out
    lines = p.conf_path.read_text(encoding="utf-8").splitlines()
    where = "%s:%d" % (p.conf_path, lines.index("    Block https://x.test/* **") + 1)
    assert 'CookieConsentCookie "Tags" (%s): Block "**": ' % where in out, out


BLOCK_ROWS = """\
<CookieConsentCategory marketing>
    Title "Marketing"
</CookieConsentCategory>
<CookieConsentCookie "Tag manager">
    Category marketing
    Names _gcl_*
    Block https://www.googletagmanager.com/* //www.googletagmanager.com/*
    Block "https://*.doubleclick.net/*" "https://ads.test/pixel?.gif"
    BlockInline "gtag(" "googletagmanager.com/gtm.js"
    BlockInline "fbq('init'"
</CookieConsentCookie>
<CookieConsentCookie "Video">
    Category marketing
    Names _yt_*
    Block https://www.youtube.com/embed/* https://café.test/*
    Block /local/ads/*.js
</CookieConsentCookie>
"""


def test_valid_config_with_block_passes(conf_test, modpath):
    p = conf_test(extra=BLOCK_ROWS)
    out = p.stderr + p.stdout
    assert p.returncode == 0, out
    assert "Syntax OK" in out
    # the startup debug line counts them (rows: the default table's, then these)
    assert re.search(r"cookieconsent: server \S+: 3 categories, 6 cookie rows, "
                     r"7 Block globs, 3 BlockInline texts, fingerprint", out), out
    assert "never held" not in out, out                 # optional category: no warning
