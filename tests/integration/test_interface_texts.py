"""The interface in ten languages and the site's own strings (issue 11): Accept-Language picks each
built-in language; CookieConsentText replaces any interface string (escaped, in the banner and the
pages) and adds a language without built-in strings, which then must have every key; its mistakes
fail `apache2 -t` naming the directive, the language and the key."""
import re

import pytest

from cc_helpers import request

TEN = ["en", "fr", "de", "es", "it", "nl", "pt", "pl", "sv", "da"]
# What each language's banner and policy page say (src/cc_i18n.c), as served (HTML-escaped).
ACCEPT = {"en": "Accept all", "fr": "Tout accepter", "de": "Alle annehmen", "es": "Aceptar todo",
          "it": "Accetta tutti", "nl": "Alles accepteren", "pt": "Aceitar tudo",
          "pl": "Akceptuj wszystkie", "sv": "Godkänn alla", "da": "Tillad alle"}
POLICY = {"en": "Cookie policy", "fr": "Politique de cookies", "de": "Cookie-Richtlinie",
          "es": "Política de cookies", "it": "Informativa sui cookie", "nl": "Cookiebeleid",
          "pt": "Política de cookies", "pl": "Polityka cookies", "sv": "Kakpolicy",
          "da": "Cookiepolitik"}
BROWSER = {"en": "en-GB,en;q=0.9", "fr": "fr-CH, fr;q=0.9, en;q=0.8", "de": "de-AT,de;q=0.9",
           "es": "es-419,es;q=0.9", "it": "it-IT", "nl": "nl-BE,nl;q=0.8,en;q=0.5",
           "pt": "pt-BR,pt;q=0.9,en;q=0.8", "pl": "pl", "sv": "sv-SE,sv;q=0.9",
           "da": "nb,da;q=0.9,en;q=0.5"}

DECLS = """\
<CookieConsentCategory necessary>
    Required On
    Title "Necessary"
    Title de "Notwendig"
</CookieConsentCategory>
<CookieConsentCategory statistical>
    Title "Statistics"
    Summary "Visits and sources"
    Summary de "Besuche und Quellen"
</CookieConsentCategory>
<CookieConsentCookie "Session">
    Category necessary
    Names sessionid
    Retention session
</CookieConsentCookie>
"""

# Every key of an interface in Esperanto: the keys as cc_i18n.c names them, %s where needed.
KEYS = ["banner_title", "banner_text", "accept_all", "reject_all", "customise", "policy_link",
        "privacy_settings", "settings_intro", "always_on", "save", "close", "col_cookie",
        "col_domain", "col_purpose", "col_retention", "host_only", "policy_title", "policy_intro",
        "col_name", "col_type", "col_website", "col_explanation", "lifetime", "change", "session",
        "day", "days", "days_few", "month", "months", "months_few", "year", "years", "years_few",
        "saved", "current_choice", "not_decided", "unspecified", "back", "cookies_of",
        "placeholder", "allow_load", "withdraw_reloads", "receipt", "receipt_title",
        "receipt_intro", "receipt_id", "receipt_time", "receipt_action", "receipt_accepted",
        "receipt_refused", "receipt_declarations", "receipt_revision", "receipt_texts",
        "receipt_lang", "receipt_source", "receipt_previous", "receipt_from_cookie",
        "receipt_withdraw", "continue"]
FORMATS = {"lifetime": "Via elekto validas dum %s.", "cookies_of": "Kuketoj: %s",
           "placeholder": "Enhavo de %s (kategorio %s)."}


def esperanto(skip=()):
    lines = []
    for k in KEYS:
        if k in skip:
            continue
        text = FORMATS.get(k, {"accept_all": "Akcepti ĉiujn", "reject_all": "Rifuzi ĉiujn",
                               "policy_title": "Kuketa politiko"}.get(k, "eo " + k))
        lines.append('    CookieConsentText eo %s "%s"' % (k, text))
    return "\n".join(lines) + "\n"


VHOSTS = """\
<VirtualHost 127.0.0.1:@PORT@>
    ServerName ten.test
    CookieConsentLanguages %(ten)s
</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName own.test
    CookieConsentText en accept_all "Allow <all>"
    CookieConsentText de reject_all "Alles ablehnen"
    CookieConsentText en lifetime "Kept for %%s & then asked again."
</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName eo.test
%(eo)s</VirtualHost>
""" % {"ten": " ".join(TEN), "eo": esperanto()}


@pytest.fixture(scope="module")
def texts(start_apache):
    inst = start_apache("interface-texts", decls=DECLS, vhosts=VHOSTS)
    yield inst
    inst.stop()


def get(inst, host, path, accept=None):
    hs = [("Accept-Language", accept)] if accept else []
    r = request(inst.port, "GET", path, hs, host=host)
    assert r.status == 200, r
    return r.text()


def test_accept_language_picks_each_builtin_language(texts):
    for lang in TEN:
        body = get(texts, "ten.test", "/cookieconsent/policy", BROWSER[lang])
        assert re.search(r'<html lang="%s"' % lang, body), (lang, body[:300])
        assert "<h1 class=\"cc-title\">%s</h1>" % POLICY[lang] in body, (lang, body[:1500])
        page = get(texts, "ten.test", "/html/page.html", BROWSER[lang])
        assert 'id="cc-banner"' in page and 'lang="%s"' % lang in page, (lang, page[:1500])
        assert ">%s</button>" % ACCEPT[lang] in page, (lang, page[:3000])
    # a language that is not offered: the default
    assert 'lang="en"' in get(texts, "ten.test", "/html/page.html", "ja,ko;q=0.5")


def test_texts_in_a_builtin_language_offer_it(texts):
    # own.test: German Title/Summary and a German CookieConsentText, no CookieConsentLanguages
    page = get(texts, "own.test", "/html/page.html", "de-DE,de;q=0.9")
    assert 'lang="de"' in page, page[:2000]
    assert "<strong>Notwendig</strong> (Immer aktiv)" in page, page
    assert "<strong>Statistics</strong>: Besuche und Quellen</li>" in page, page
    assert ">Alle annehmen</button>" in page and ">Alles ablehnen</button>" in page, page


def test_site_strings_replace_the_builtin_ones(texts):
    page = get(texts, "own.test", "/html/page.html", "en")
    assert ">Allow &lt;all&gt;</button>" in page and "<all>" not in page, page
    assert ">Reject all</button>" in page, page             # the rest stays built in
    assert "<strong>Statistics</strong>: Visits and sources</li>" in page, page
    settings = get(texts, "own.test", "/cookieconsent/settings?return=/", "en")
    assert ">Allow &lt;all&gt;</button>" in settings, settings
    policy = get(texts, "own.test", "/cookieconsent/policy", "en")
    assert "Kept for 6 months &amp; then asked again." in policy, policy
    # another vhost keeps the built-in strings
    assert ">Accept all</button>" in get(texts, "ten.test", "/html/page.html", "en")


def test_a_language_without_builtin_strings(texts):
    # eo.test: every key in Esperanto, no CookieConsentLanguages: offered, chosen by the browser
    page = get(texts, "eo.test", "/html/page.html", "eo,en;q=0.5")
    assert 'lang="eo"' in page, page[:2000]
    assert ">Akcepti ĉiujn</button>" in page and ">Rifuzi ĉiujn</button>" in page, page
    policy = get(texts, "eo.test", "/cookieconsent/policy", "eo")
    assert '<html lang="eo"' in policy and "Kuketa politiko" in policy, policy[:1000]
    assert "Via elekto validas dum 6 eo months." in policy, policy
    # English stays the default and stays built in
    assert ">Accept all</button>" in get(texts, "eo.test", "/html/page.html", "fr")


ERRORS = {
    "missing-keys": (esperanto(skip=("close", "back", "years_few")),
                     [r"CookieConsentText eo \(/\S+\.conf:\d+\)", r"no built-in interface strings",
                      r"3 missing: close years_few back"]),
    "unknown-key": ('CookieConsentText de accept "Annehmen"\n',
                    [r"CookieConsentText de: unknown key \"accept\"", r"accept_all reject_all"]),
    "bad-format": ('CookieConsentText de lifetime "Gespeichert."\n',
                   [r"CookieConsentText de: lifetime needs exactly 1 %s",
                    r"the text has 0"]),
    "other-conversion": ('CookieConsentText fr cookies_of "%d cookies: %s"\n',
                         [r"CookieConsentText fr: cookies_of: \"%d\" is not allowed"]),
    "bad-tag": ('CookieConsentText "de DE" save "Speichern"\n',
                [r'CookieConsentText: "de DE" is not a language tag']),
    "twice": ('CookieConsentText de save "A"\nCookieConsentText DE Save "B"\n',
              [r"CookieConsentText DE save given twice \(first at /\S+\.conf:\d+\)"]),
    # httpd's own check: an empty "" is no argument
    "empty": ('CookieConsentText de save ""\n', [r"CookieConsentText takes three arguments"]),
    "no-text": ("CookieConsentText de save\n", [r"CookieConsentText takes three arguments"]),
    "summary-twice": ("<CookieConsentCategory extra>\n    Summary \"A\"\n    Summary \"B\"\n"
                      "</CookieConsentCategory>\n",
                      [r'CookieConsentCategory "extra": Summary given twice for language '
                       r'"\(default\)"']),
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_config_errors(conf_test, case):
    extra, patterns = ERRORS[case]
    p = conf_test(extra=extra)
    out = p.stderr + p.stdout
    assert p.returncode != 0, "apache2 -t accepted %s:\n%s" % (p.conf_path, out)
    for pat in patterns:
        assert re.search(pat, out, re.I), "output does not match %r:\n%s" % (pat, out)


def test_complete_language_and_overrides_pass(conf_test):
    p = conf_test(extra=esperanto() + 'CookieConsentText de save "Speichern"\n'
                  'CookieConsentText pt-BR policy_link "Política de cookies do site"\n')
    assert p.returncode == 0 and "Syntax OK" in p.stderr + p.stdout, p.stderr + p.stdout


def test_saved_page_of_a_post_without_javascript_is_in_the_visitors_language(texts):
    """A consent POST from a plain form answers 303; the body a browser may show is in the
    visitor's language, like the banner it came from."""
    continue_word = {"en": "Continue", "fr": "Continuer", "de": "Weiter", "es": "Continuar",
                     "it": "Continua", "nl": "Doorgaan", "pt": "Continuar", "pl": "Dalej",
                     "sv": "Fortsätt", "da": "Fortsæt"}
    for lang in TEN:
        r = request(texts.port, "POST", "/cookieconsent/consent",
                    [("Accept-Language", BROWSER[lang]),
                     ("Content-Type", "application/x-www-form-urlencoded")],
                    body="action=reject-all&return=/html/page.html", host="ten.test")
        assert r.status == 303, r
        body = r.text()
        assert '<html lang="%s">' % lang in body, (lang, body)
        assert '<a href="/html/page.html">%s</a>' % continue_word[lang] in body, (lang, body)


def test_the_page_etag_follows_the_interface_texts(texts):
    """An injected page's ETag carries a hash of the snippet's own bytes: the same file under
    other interface texts (here another virtual host; the same one after a restart with a changed
    CookieConsentText) has another ETag, so a browser revalidating its copy with the old ETag
    gets the new wording instead of a 304."""
    hs = [("Accept-Language", "en")]
    ten = request(texts.port, "GET", "/html/page.html", hs, host="ten.test")
    own = request(texts.port, "GET", "/html/page.html", hs, host="own.test")
    assert ten.status == own.status == 200, (ten, own)
    assert ten.header("ETag") and own.header("ETag"), (ten, own)
    assert ten.header("ETag") != own.header("ETag"), (ten.header("ETag"), own.header("ETag"))
    r = request(texts.port, "GET", "/html/page.html", hs + [("If-None-Match", ten.header("ETag"))],
                host="own.test")
    assert r.status == 200 and ">Allow &lt;all&gt;</button>" in r.text(), r
    r = request(texts.port, "GET", "/html/page.html", hs + [("If-None-Match", own.header("ETag"))],
                host="own.test")
    assert r.status == 304, r
