"""Languages offered without CookieConsentLanguages (issue 7, item 17): English, plus each language
with built-in interface strings (ten of them, issue 11) that at least one declared Title, Description or Purpose
is tagged with; English is the default unless no text is untagged or tagged en. An explicit
CookieConsentLanguages (in the vhost or inherited from the server) keeps its meaning."""
import re

import pytest

from cc_helpers import request

# Server-wide: untagged titles only, rows without Purpose (so a vhost can replace every text).
DECLS = """\
<CookieConsentCategory necessary>
    Required On
    Title "Necessary"
</CookieConsentCategory>
<CookieConsentCategory statistical>
    Title "Statistics"
</CookieConsentCategory>
<CookieConsentCookie "Session">
    Category necessary
    Names sessionid
    Retention session
</CookieConsentCookie>
"""

FR_TEXTS = """\
    <CookieConsentCategory necessary>
        Required On
        Title "Necessary"
        Title fr "Nécessaires"
        Description "Needed for the site to work."
        Description fr "Indispensables au site."
    </CookieConsentCategory>
    <CookieConsentCookie "Matomo">
        Category statistical
        Names _pk_id*
        Purpose "Counts visits."
        Purpose fr "Compte les visites."
    </CookieConsentCookie>
"""

ONLY_FR_TEXTS = """\
    <CookieConsentCategory necessary>
        Required On
        Title fr "Nécessaires"
    </CookieConsentCategory>
    <CookieConsentCategory statistical>
        Title fr "Statistiques"
        Description fr "Mesure d'audience."
    </CookieConsentCategory>
"""

VHOSTS = """\
<VirtualHost 127.0.0.1:@PORT@>
    ServerName en.test
</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName fr.test
%(fr)s</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName onlyfr.test
%(onlyfr)s</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName explicit.test
    CookieConsentLanguages en
%(fr)s</VirtualHost>
""" % {"fr": FR_TEXTS, "onlyfr": ONLY_FR_TEXTS}

# The server says en explicitly: a vhost with French texts and no directive inherits that.
SERVER_EXPLICIT_VHOSTS = """\
<VirtualHost 127.0.0.1:@PORT@>
    ServerName fr.test
%s</VirtualHost>
""" % FR_TEXTS


@pytest.fixture(scope="module")
def langs(start_apache):
    inst = start_apache("languages", decls=DECLS, vhosts=VHOSTS)
    yield inst
    inst.stop()


@pytest.fixture(scope="module")
def server_explicit(start_apache):
    inst = start_apache("languages-server-explicit", decls=DECLS,
                        extra="CookieConsentLanguages en\n", vhosts=SERVER_EXPLICIT_VHOSTS)
    yield inst
    inst.stop()


def policy(inst, host, query="", accept=None):
    hs = [("Accept-Language", accept)] if accept else []
    r = request(inst.port, "GET", "/cookieconsent/policy" + query, hs, host=host)
    assert r.status == 200, r
    m = re.search(rb'<html lang="([^"]*)"', r.body)
    assert m, r.body[:300]
    lang = m.group(1).decode()
    assert r.header("Content-Language") == lang, r
    return lang, r.body.decode("utf-8")


def test_french_texts_offer_french_without_the_directive(langs):
    for query, accept in (("?lang=fr", None), ("", "fr"), ("", "fr-FR,fr;q=0.9,en;q=0.5")):
        lang, body = policy(langs, "fr.test", query, accept)
        assert lang == "fr", (query, accept, body[:300])
        assert "Politique de cookies" in body, body
        assert "<h2>Nécessaires</h2>" in body and "Indispensables au site." in body, body
        assert "Compte les visites." in body, body
    # English stays the default, and is still there when asked for
    for query, accept in (("", None), ("?lang=en", "fr"), ("", "de")):
        lang, body = policy(langs, "fr.test", query, accept)
        assert lang == "en", (query, accept)
        assert "<h2>Necessary</h2>" in body and "Counts visits." in body, body
    # the JSON policy and the settings page follow
    r = request(langs.port, "GET", "/cookieconsent/policy?format=json",
                [("Accept-Language", "fr")], host="fr.test")
    assert r.json()["lang"] == "fr", r
    r = request(langs.port, "GET", "/cookieconsent/settings?return=/",
                [("Accept-Language", "fr")], host="fr.test")
    assert 'lang="fr"' in r.text() and "Tout accepter" in r.text(), r


def test_untagged_texts_stay_english(langs):
    # fr.test (French texts) answers in French, en.test (only untagged texts) in English
    assert policy(langs, "fr.test", accept="fr")[0] == "fr"
    for query, accept in (("", "fr"), ("?lang=fr", None), ("", "fr-CA,fr;q=0.9")):
        lang, body = policy(langs, "en.test", query, accept)
        assert lang == "en", (query, accept)
        assert "Cookie policy" in body and "<h2>Necessary</h2>" in body, body


def test_only_french_texts_make_french_the_default(langs):
    lang, body = policy(langs, "onlyfr.test")
    assert lang == "fr", body[:300]
    assert "<h2>Nécessaires</h2>" in body and "Mesure d&#39;audience." in body, body
    assert policy(langs, "onlyfr.test", accept="en-GB,en;q=0.9")[0] == "en"
    assert policy(langs, "onlyfr.test", "?lang=en")[0] == "en"
    assert policy(langs, "onlyfr.test", accept="de")[0] == "fr"


def test_banner_follows_the_offered_languages(langs):
    # /html/ is text/html: the banner (pre-rendered per offered language) goes in
    r = request(langs.port, "GET", "/html/page.html", [("Accept-Language", "fr")], host="fr.test")
    assert r.status == 200 and "Tout accepter" in r.text(), r.text()[:2000]
    r = request(langs.port, "GET", "/html/page.html", [("Accept-Language", "fr")], host="en.test")
    assert r.status == 200 and "Accept all" in r.text() and "Tout accepter" not in r.text(), r


def test_explicit_languages_keep_their_meaning(langs, server_explicit):
    # the same French texts: without the directive French is offered...
    assert policy(langs, "fr.test", "?lang=fr")[0] == "fr"
    # ...with CookieConsentLanguages en in the vhost, or inherited from the server, it is not
    for inst in (langs, server_explicit):
        host = "explicit.test" if inst is langs else "fr.test"
        for query, accept in (("?lang=fr", None), ("", "fr")):
            lang, body = policy(inst, host, query, accept)
            assert lang == "en", (inst.name, query, accept)
            assert "<h2>Necessary</h2>" in body, body

