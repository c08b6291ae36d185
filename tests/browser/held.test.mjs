// Elements the SERVER holds (Block/BlockInline, issue 8), with Google Consent Mode v2: the page
// carries vendors' snippets as they publish them, pointing at a stand-in tracker on a second
// origin that counts every hit and whose scripts set the cookies the real ones set.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, beforeEach, describe, test } from 'node:test';
import { Apache, DECLS, axe, choosing, formatViolations, launch } from './harness.mjs';

let tracker;
let srv;
let br;
let hits = [];

const TRACKER = {
  '/matomo.js': 'document.cookie = "_pk_id.1.abcd=1; path=/"; (window.__order = window.__order || []).push("matomo");',
  '/gtag.js': '(window.__order = window.__order || []).push("gtag:" + JSON.stringify(window.dataLayer.filter((a) => a[0] === "consent").map((a) => [a[1], a[2].analytics_storage])));',
};

function startTracker() {
  return new Promise((resolve) => {
    const s = http.createServer((req, res) => {
      const path = req.url.split('?')[0];
      hits.push(path);
      const body = TRACKER[path];
      if (body) {
        res.writeHead(200, { 'Content-Type': 'text/javascript', 'Cache-Control': 'no-store' });
        res.end(body);
      } else if (path === '/matomo.php') {
        res.writeHead(200, { 'Content-Type': 'image/gif', 'Cache-Control': 'no-store' });
        res.end(Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64'));
      } else if (path === '/embed/v') {
        res.writeHead(200, { 'Content-Type': 'text/html' });
        res.end('<!DOCTYPE html><title>video</title><p>video</p>');
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    s.listen(0, '127.0.0.1', () => resolve({ origin: `http://127.0.0.1:${s.address().port}`, close: () => new Promise((r) => s.close(r)) }));
  });
}

function vendorsPage(t) {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Vendors</title>
<script>
  var _paq = window._paq = window._paq || [];
  _paq.push(['trackPageView']);
  (function() {
    var u="${t}/";
    var d=document, g=d.createElement('script'), s=d.getElementsByTagName('script')[0];
    g.async=true; g.src=u+'matomo.js'; s.parentNode.insertBefore(g,s);
  })();
</script>
<script async src="${t}/gtag.js?id=G-X"></script>
</head>
<body>
<h1>Vendors</h1>
<noscript><p><img src="${t}/matomo.php?idsite=1&amp;rec=1" alt=""></p></noscript>
<iframe id="video" width="320" height="180" src="${t}/embed/v" title="A video"></iframe>
<p id="last">The end.</p>
</body></html>
`;
}

before(async () => {
  tracker = await startTracker();
  const t = tracker.origin;
  srv = await new Apache({
    decls: DECLS.replace('    Retention 13mo\n', `    Retention 13mo\n    Block "${t}/matomo.js" "*/matomo.php*" "${t}/gtag.js*" "${t}/embed/*"\n    BlockInline "_paq"\n`)
      + 'CookieConsentGoogleConsent statistical analytics_storage\n',
  }).start();
  srv.addFile('vendors/index.html', vendorsPage(t));
  br = await launch({ reducedMotion: 'reduce' });
});

after(async () => {
  if (br) await br.close();
  if (tracker) await tracker.close();
  if (srv) {
    const crashes = srv.crashes();
    await srv.stop();
    assert.deepEqual(crashes, []);
  }
});

beforeEach(async () => {
  await br.context.clearCookies();
  hits = [];
});

const consentEntries = (page) => page.evaluate(() => (window.dataLayer || [])
  .filter((a) => a && a[0] === 'consent').map((a) => [a[1], a[2]]));

describe('elements held by the server', () => {
  test('an undecided visitor: zero requests to the tracker, no tracker cookie, the default denied', async () => {
    const page = br.page;
    await page.goto(srv.url('/vendors/'));
    await page.waitForLoadState('load');
    await page.waitForTimeout(300);
    assert.deepEqual(hits, [], 'nothing reaches the tracker');
    assert.ok(!(await page.evaluate(() => document.cookie)).includes('_pk_'), 'no _pk_ cookie');
    const entries = await consentEntries(page);
    assert.deepEqual(entries, [['default', { analytics_storage: 'denied', security_storage: 'granted' }]]);
    assert.equal(await page.locator('.cc-placeholder[data-cc-placeholder="statistical"]').count(), 1);
    assert.equal(await page.locator('#video').isVisible(), false, 'the held frame stands behind its placeholder');
    const v = await axe(page);
    assert.deepEqual(v, [], formatViolations(v));
  });

  test('"Accept all" without a reload: the update first, then the tags, once each; the cookie appears', async () => {
    const page = br.page;
    await page.goto(srv.url('/vendors/'));
    await choosing(page, () => page.locator('#cc-banner button[value="accept-all"]').click());
    await page.waitForFunction(() => (window.__order || []).length >= 2 && document.cookie.includes('_pk_id'));
    await page.locator('#video').waitFor({ state: 'visible' });
    await page.waitForTimeout(300);
    const entries = await consentEntries(page);
    assert.deepEqual(entries.map((e) => [e[0], e[1].analytics_storage]), [['default', 'denied'], ['update', 'granted']]);
    const order = await page.evaluate(() => window.__order);
    assert.ok(order.includes('gtag:[["default","denied"],["update","granted"]]'), `gtag ran after the update: ${order}`);
    assert.deepEqual([...hits].sort(), ['/embed/v', '/gtag.js', '/matomo.js'], `each loaded once: ${hits}`);
  });

  test('a visitor who accepted: the page comes as written, without the banner script doing anything', async () => {
    const page = br.page;
    await page.goto(srv.url('/vendors/'));
    await choosing(page, () => page.locator('#cc-banner button[value="accept-all"]').click());
    const nojs = await launch({ javaScriptEnabled: false });
    await nojs.context.addCookies((await br.context.cookies()).filter((c) => c.name === 'cookieconsent'));
    hits = [];
    const p2 = nojs.page;
    const res = await p2.goto(srv.url('/vendors/'));
    const html = await res.text();
    assert.ok(html.includes(`<iframe id="video" width="320" height="180" src="${tracker.origin}/embed/v"`), html);
    assert.ok(!html.includes('data-cc-src'), 'nothing held');
    await p2.waitForTimeout(300);
    assert.ok(hits.includes('/embed/v'), `the frame loads without JavaScript: ${hits}`);
    await nojs.close();
  });

  test('"Reject all": never loaded', async () => {
    const page = br.page;
    await page.goto(srv.url('/vendors/'));
    await choosing(page, () => page.locator('#cc-banner button[value="reject-all"]').click());
    await page.waitForTimeout(400);
    assert.deepEqual(hits, []);
    assert.deepEqual((await consentEntries(page)).map((e) => e[0]), ['default', 'update']);
  });
});
