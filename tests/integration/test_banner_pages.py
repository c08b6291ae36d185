"""The module's own pages (issue 3): settings, cookie policy (HTML and JSON), languages, escaping
of configured texts, the embedded assets, and the banner's forms working without JavaScript."""
import json
import re
import urllib.parse
from html.parser import HTMLParser

import pytest

from banner_helpers import (BANNER_ROWS, CATEGORY_TITLES, PAGE, PAGE_TAG, assert_injected_after,
                            find_snippet, is_manage, raw_request, return_value)
from cc_helpers import consent_from, post_consent
from conftest import REPO

ROW_LABELS = [r[1] for r in BANNER_ROWS]


@pytest.fixture(scope="module")
def ba(banner_apache):
    return banner_apache


def page(port, path, headers=()):
    r = raw_request(port, "GET", path, headers)
    assert r.status == 200, r
    return r


def decided_cookie(port, action):
    r = post_consent(port, action, ret="/")
    assert r.status == 303, r
    return "cookieconsent=" + consent_from(r).value


def html_lang(body):
    m = re.search(rb'<html lang="([^"]*)"', body)
    assert m, body[:300]
    return m.group(1).decode()


class Sections(HTMLParser):
    """Texts of a page by <section class="cc-category" id=...>: h2, labels, table header and rows
    (each row a list of cell texts, <br> read as a space), checkboxes with their attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.sections = {}
        self.cur = None
        self.cell = None
        self.row = None
        self.in_head = False
        self.h2 = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section" and "cc-category" in (a.get("class") or ""):
            self.cur = {"id": a.get("id"), "h2": "", "head": [], "rows": [], "inputs": [],
                        "text": ""}
            self.sections[a.get("id") or "#%d" % len(self.sections)] = self.cur
        if self.cur is None:
            return
        if tag == "h2":
            self.h2 = ""
        elif tag == "thead":
            self.in_head = True
        elif tag == "tr" and not self.in_head:
            self.row = []
        elif tag in ("td", "th"):
            self.cell = ""
        elif tag == "br" and self.cell is not None:
            self.cell += " "
        elif tag == "input":
            self.cur["inputs"].append(a)

    def handle_endtag(self, tag):
        if self.cur is None:
            return
        if tag == "section":
            self.cur = None
        elif tag == "h2" and self.h2 is not None:
            self.cur["h2"] = self.h2.strip()
            self.h2 = None
        elif tag == "thead":
            self.in_head = False
        elif tag in ("td", "th") and self.cell is not None:
            if self.in_head:
                self.cur["head"].append(self.cell.strip())
            elif self.row is not None:
                self.row.append(self.cell.strip())
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.cur["rows"].append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.cur is None:
            return
        self.cur["text"] += data
        if self.h2 is not None:
            self.h2 += data
        if self.cell is not None:
            self.cell += data


def sections(body):
    p = Sections()
    p.feed(body.decode("utf-8"))
    return p.sections


# --------------------------------------------------------------------------------------------------
# Settings
def test_settings_page(ba):
    r = page(ba.port, "/cookieconsent/settings?return=/shop/cart%3Fid%3D3")
    assert r.header("Content-Type").startswith("text/html"), r
    b = r.body
    assert html_lang(b) == "en"
    assert b'<body class="cc-page">' in b, b[:600]
    form = re.search(rb'<form class="cc-settings" method="post" action="/cookieconsent/consent"', b)
    assert form, b
    assert re.findall(rb'<input type="hidden" name="return" value="([^"]*)">', b) == \
        [b"/shop/cart?id=3"], b
    text = b.decode()
    # one section per category, in declaration order, each with its switch and its own rows
    secs = list(sections(b).values())
    assert len(secs) == 2, secs
    for sec, cat in zip(secs, ["necessary", "statistical"]):
        boxes = [i for i in sec["inputs"] if i.get("type") == "checkbox"]
        assert len(boxes) == 1 and boxes[0].get("value") == cat, sec
        assert CATEGORY_TITLES["en"][cat] in sec["text"], sec
        want = [r for r in BANNER_ROWS if r[0] == cat]
        assert len(sec["rows"]) == len(want), sec["rows"]
        for row, (_c, label, names, domains, purpose, _pfr, ret, _rfr) in zip(sec["rows"], want):
            assert row[0].split() == label.split() + names, row
            for d in domains:
                assert d in row[1], row
            assert row[1] and purpose in row and ret in row, row
    boxes = {i["value"]: i for s_ in secs for i in s_["inputs"] if i.get("type") == "checkbox"}
    # the required category is on and locked, the optional one off (undecided visitor)
    assert "checked" in boxes["necessary"] and "disabled" in boxes["necessary"], boxes
    assert "checked" not in boxes["statistical"] and "disabled" not in boxes["statistical"], boxes
    for t in ("These cookies are essential to the operation of the site.",
              "They let us count visits and traffic sources."):
        assert t in text
    buttons = re.findall(r'<button ([^>]*)>([^<]*)</button>', text)
    assert [x[1] for x in buttons] == ["Save my choices", "Accept all", "Reject all"], buttons
    assert all('type="submit" class="cc-btn"' in x[0] for x in buttons), buttons
    assert 'href="/cookieconsent/policy' in text
    # the settings page is the module's own: no banner injected into it
    assert 'id="cc-banner"' not in text and "cc-manage" not in text


@pytest.mark.parametrize("action,checked", [("accept-all", True), ("reject-all", False)])
def test_settings_reflect_the_decision(ba, action, checked):
    r = page(ba.port, "/cookieconsent/settings?return=/", [("Cookie", decided_cookie(ba.port,
                                                                                       action))])
    sw = re.search(rb'<input type="checkbox"[^>]*value="statistical"[^>]*>', r.body).group(0)
    assert (b"checked" in sw) == checked, sw


def test_settings_fragment(ba):
    r = page(ba.port, "/cookieconsent/settings?return=/x&fragment=1")
    b = r.body.strip()
    assert b.startswith(b'<form class="cc-settings"') and b.endswith(b"</form>"), b[:200]
    assert b"<html" not in b and b"<body" not in b
    assert b'name="return" value="/x"' in b


def test_settings_page_in_french(ba):
    r = page(ba.port, "/cookieconsent/settings?return=/x&lang=fr")
    text = r.body.decode()
    assert html_lang(r.body) == "fr"
    for t in ("Paramètres de confidentialité", "Tout accepter", "Tout refuser",
              "Cookies nécessaires", "Cookies statistiques", "Mémorise la langue du site.",
              "25 mois", "30 jours", "1 an"):
        assert t in text, (t, text)
    for t in ("Accept all", "Reject all", "Necessary cookies", "25 months"):
        assert t not in text, (t, text)


def test_settings_return_is_escaped(ba):
    ret = urllib.parse.quote('/x?a=1&b="><script>alert(1)</script>', safe="")
    r = page(ba.port, "/cookieconsent/settings?return=" + ret)
    assert b"<script>alert(1)" not in r.body, r.body
    vals = re.findall(rb'name="return" value="([^"]*)"', r.body)
    assert vals == [b"/x?a=1&amp;b=&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"], vals


# --------------------------------------------------------------------------------------------------
# Languages: ?lang=, then the site's language cookie, then Accept-Language, then the first offered
@pytest.mark.parametrize("query,cookie,accept,want", [
    ("", None, None, "en"),
    ("&lang=fr", None, None, "fr"),
    ("&lang=fr", "django_language=en", "en", "fr"),
    ("&lang=en", "django_language=fr", "fr", "en"),
    ("", "django_language=fr", "en-GB,en;q=0.9", "fr"),
    ("", None, "fr-CA,fr;q=0.9,en;q=0.5", "fr"),
    ("", None, "de-DE,de;q=0.9,fr;q=0.8,en;q=0.5", "fr"),
    ("", None, "de, it", "en"),
    ("&lang=de", None, "fr", "fr"),
    ("", "django_language=de", "fr", "fr"),
], ids=["default", "query", "query-beats-cookie", "query-en", "cookie-beats-accept",
        "accept", "accept-q", "none-offered", "query-not-offered", "cookie-not-offered"])
def test_language_choice(ba, query, cookie, accept, want):
    hs = []
    if cookie:
        hs.append(("Cookie", cookie))
    if accept:
        hs.append(("Accept-Language", accept))
    r = page(ba.port, "/cookieconsent/settings?return=/" + query, hs)
    assert html_lang(r.body) == want, r
    assert ("Tout accepter" in r.body.decode()) == (want == "fr")


# --------------------------------------------------------------------------------------------------
# Policy
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_policy_table_lists_every_row(ba, lang):
    r = page(ba.port, "/cookieconsent/policy" + ("?lang=fr" if lang == "fr" else ""))
    assert r.header("Content-Type").startswith("text/html"), r
    assert html_lang(r.body) == lang
    assert b'<div class="cc-policy"' in r.body
    secs = sections(r.body)
    assert list(secs) == ["necessary", "statistical"], secs.keys()
    for cat, sec in secs.items():
        assert sec["h2"] == CATEGORY_TITLES[lang][cat], sec
        if lang == "en":
            assert sec["head"] == ["Name", "Cookie", "Type", "Website", "Explanation",
                                   "Retention"], sec["head"]
        else:
            assert sec["head"][0] == "Nom" and len(sec["head"]) == 6, sec["head"]
            assert not {"Name", "Website", "Explanation", "Retention"} & set(sec["head"])
    for cat, label, names, domains, pen, pfr, ren, rfr in BANNER_ROWS:
        rows = [row for row in secs[cat]["rows"] if row and row[0] == label]
        assert len(rows) == 1, (label, secs[cat]["rows"])
        row = rows[0]
        assert len(row) == 6, row
        assert row[1].split() == names, row
        assert row[2] == CATEGORY_TITLES[lang][cat], row
        for d in domains:
            assert d in row[3], row
        assert row[3], row
        assert row[4] == (pen if lang == "en" else pfr), row
        assert row[5] == (ren if lang == "en" else rfr), row
    others = [row[0] for s in secs.values() for row in s["rows"]]
    assert sorted(others) == sorted(ROW_LABELS), others
    text = r.body.decode()
    # the consent lifetime (default 180 days) and how to change the choice
    if lang == "en":
        assert "6 months" in text or "180 days" in text, text
    else:
        assert "6 mois" in text or "180 jours" in text, text
    assert 'href="/cookieconsent/settings' in text
    assert 'id="cc-banner"' not in text and "cc-manage" not in text


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_policy_json(ba, lang):
    r = page(ba.port, "/cookieconsent/policy?format=json" + ("&lang=fr" if lang == "fr" else ""))
    assert r.header("Content-Type").startswith("application/json"), r
    data = json.loads(r.body)
    cats = data["categories"]
    assert [c["name"] for c in cats] == ["necessary", "statistical"], cats
    assert [c["required"] for c in cats] == [True, False]
    assert [c["title"] for c in cats] == [CATEGORY_TITLES[lang]["necessary"],
                                          CATEGORY_TITLES[lang]["statistical"]]
    for cat, label, names, domains, pen, pfr, ren, rfr in BANNER_ROWS:
        c = [c for c in cats if c["name"] == cat][0]
        rows = [x for x in c["cookies"] if x["name"] == label]
        assert len(rows) == 1, (label, c)
        row = rows[0]
        assert row["cookies"] == names, row
        assert row["domains"] == domains, row
        assert row["purpose"] == (pen if lang == "en" else pfr), row
        assert row["retention_text"] == (ren if lang == "en" else rfr), row
    assert sum(len(c["cookies"]) for c in cats) == len(BANNER_ROWS)


# --------------------------------------------------------------------------------------------------
# Without JavaScript: the banner's own forms do the job
def test_banner_forms_work_without_javascript(ba):
    r = page(ba.port, "/banner/page.html?from=banner")
    _, s = find_snippet(r.body)
    action = re.search(rb'<form [^>]*method="post" action="([^"]*)"', s).group(1).decode()
    ret = return_value(s).decode().replace("&amp;", "&")
    assert action == "/cookieconsent/consent"
    posted = post_consent(ba.port, "reject-all", ret=ret)
    assert posted.status == 303 and posted.header("Location") == "/banner/page.html?from=banner", \
        posted
    cookie = "cookieconsent=" + consent_from(posted).value
    back = page(ba.port, ret, [("Cookie", cookie)])
    s2 = assert_injected_after(back.body, PAGE, PAGE_TAG)
    assert is_manage(s2), s2
    # "Privacy settings" is a GET form to the settings page, with the return path
    assert re.search(rb'<form method="get" action="/cookieconsent/settings">', s2), s2
    settings = page(ba.port, "/cookieconsent/settings?return=" + urllib.parse.quote(ret, safe=""),
                    [("Cookie", cookie)])
    assert b'value="/banner/page.html?from=banner"' in settings.body


# --------------------------------------------------------------------------------------------------
# Assets
@pytest.mark.parametrize("name,ctype", [("cookieconsent.css", "text/css"),
                                        ("cookieconsent.js", "javascript"),
                                        ("cookieconsent-settings.css", "text/css"),
                                        ("cookieconsent-settings.js", "javascript")])
def test_assets(ba, name, ctype):
    r = page(ba.port, "/cookieconsent/assets/" + name)
    assert ctype in r.header("Content-Type"), r
    # served as the build minified it (scripts/minify.c): no comment left, smaller than the source
    assert r.body == (REPO / "build" / "assets" / name).read_bytes(), \
        "served asset differs from build/assets/: run make -f Makefile.apxs"
    source = (REPO / "assets" / name).read_bytes()
    assert b"/*" not in r.body and len(r.body) < 0.85 * len(source), len(r.body)
    cc = r.header("Cache-Control", "")
    assert "max-age=31536000" in cc and "public" in cc, r
    etag = r.header("ETag")
    assert etag, r
    again = raw_request(ba.port, "GET", "/cookieconsent/assets/" + name,
                        [("If-None-Match", etag)])
    assert again.status == 304 and again.body == b"", again
    # the versioned URL the snippet (or, for the settings layer, the settings page) uses serves
    # the same file
    if "settings" in name:
        s = page(ba.port, "/cookieconsent/settings?return=/").body
    else:
        _, s = find_snippet(page(ba.port, "/banner/page.html").body)
    url = re.search(rb'"(/cookieconsent/assets/' + re.escape(name.encode()) + rb'\?v=[^"]+)"',
                    s).group(1).decode()
    assert page(ba.port, url).body == r.body


# --------------------------------------------------------------------------------------------------
# Escaping of every configured text
EVIL_DECLS = r"""
<CookieConsentCategory necessary>
    Required On
    Title "Necessary"
</CookieConsentCategory>
<CookieConsentCategory evil>
    Title "<script>alert(1)</script>"
    Summary "Tom & \"Jerry\" <b>bold</b> in short"
    Description "Tom & \"Jerry\" <b>bold</b> it's"
</CookieConsentCategory>
<CookieConsentCookie "<img src=x onerror=alert(2)>">
    Category evil
    Names _evil
    Retention 1y
    Purpose "</td></tr></table><script>alert(3)</script>"
</CookieConsentCookie>
"""
EVIL_TITLE = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def evil(start_apache, banner_apache, site):
    # banner_apache wrote the /banner/ pages into the site
    inst = start_apache("evil", decls=EVIL_DECLS, extra='<Directory "%s/htdocs/banner">\n'
                        '    AddType text/html .html\n</Directory>\n' % site)
    yield inst
    inst.stop()


def assert_escaped(body):
    text = body.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text, text
    for raw in ("<script>alert", "<img src=x", "<b>bold</b>", "</table><script>"):
        assert raw not in text, (raw, text)


@pytest.mark.parametrize("path", ["/banner/page.html", "/cookieconsent/settings?return=/",
                                  "/cookieconsent/policy"])
def test_configured_texts_are_escaped(evil, path):
    r = page(evil.port, path)
    if path == "/banner/page.html":
        find_snippet(r.body)
    assert_escaped(r.body)
    text = r.body.decode()
    assert "Tom &amp; " in text and "&lt;b&gt;bold&lt;/b&gt;" in text, text
    if path != "/banner/page.html":
        assert "&lt;img src=x onerror=alert(2)&gt;" in text
        assert "&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;script&gt;alert(3)" in text


def test_policy_json_keeps_texts_verbatim(evil):
    data = json.loads(page(evil.port, "/cookieconsent/policy?format=json").body)
    cat = [c for c in data["categories"] if c["name"] == "evil"][0]
    assert cat["title"] == EVIL_TITLE
    assert cat["description"] == "Tom & \"Jerry\" <b>bold</b> it's"
    assert cat["cookies"][0]["name"] == "<img src=x onerror=alert(2)>"
    assert cat["cookies"][0]["purpose"] == "</td></tr></table><script>alert(3)</script>"
