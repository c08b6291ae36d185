// Held third-party elements, activated in the page without a reload (issue 8, browser side).
//
// A page with the manual markup (the markup the server will also write when it holds elements
// itself): scripts `type="text/plain" data-cookieconsent="statistical" data-cc-src=...`, an
// inline one, a defer one, an async one, a module; an iframe preceded by its placeholder (written
// by hand here, as the server will write it), an img and a stylesheet link. They point at a
// stand-in "tracker" on a second origin (a node http server on another port of 127.0.0.1) that
// counts every hit; its first script sets `_pk_id.test`, a cookie of the declared "Piwik" row.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  Apache, CONSENT, DECLS, axe, box, formatViolations, jar, launch, navigating,
} from './harness.mjs';

const NONCE = 'gating0nce42';
let tracker;
let srv;

// ---------------------------------------------------------------------------------------------
// The tracker: another origin, every hit counted by path.
const GIF = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');
const push = (name) => `(window.__order = window.__order || []).push(${JSON.stringify(name)});`;
const T2 = push('t2');
const TRACKER = {
  // slow, so that running the scripts as they arrive would put it after the others
  '/t1.js': { type: 'text/javascript', delay: 400, body: `${push('t1')}\ndocument.cookie = "_pk_id.test=1; path=/";` },
  '/t2.js': { type: 'text/javascript', body: T2 },
  '/defer.js': { type: 'text/javascript', body: push('defer') },
  '/module.js': { type: 'text/javascript', body: `${push('module')}\nexport {};` },
  '/async.js': { type: 'text/javascript', body: 'window.__async = (window.__async || 0) + 1;' },
  '/frame.html': { type: 'text/html', body: '<!DOCTYPE html><title>Tracker video</title><p id="in-frame">the tracker\'s frame</p>' },
  '/map.html': { type: 'text/html', body: '<!DOCTYPE html><title>Tracker map</title><p>the tracker\'s map</p>' },
  '/pixel.gif': { type: 'image/gif', body: GIF },
  '/style.css': { type: 'text/css', body: '#after { color: rgb(1, 2, 3); }' },
};
const PATHS = Object.keys(TRACKER);
const SRI = 'sha384-' + crypto.createHash('sha384').update(T2).digest('base64');

function startTracker() {
  const hits = {};
  const server = http.createServer((req, res) => {
    const p = new URL(req.url, 'http://x').pathname;
    hits[p] = (hits[p] || 0) + 1;
    const f = TRACKER[p];
    const send = () => {
      if (!f) { res.writeHead(404); res.end(); return; }
      res.writeHead(200, { 'Content-Type': f.type, 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'no-store' });
      res.end(f.body);
    };
    if (f && f.delay) setTimeout(send, f.delay); else send();
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const origin = `http://127.0.0.1:${server.address().port}`;
      resolve({
        origin, hits,
        total: () => Object.values(hits).reduce((a, b) => a + b, 0),
        reset() { for (const k of Object.keys(hits)) delete hits[k]; },
        close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }),
      });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The page. `nonce`: the held scripts carry the response's CSP nonce (the /csp/ copy).
function gatedPage(t, page, nonce = '') {
  const n = nonce ? ` nonce="${nonce}"` : '';
  const held = (attrs, text = '') => `<script type="text/plain" data-cookieconsent="statistical"${n} ${attrs}>${text}</script>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>A page with a video</title>
${held(`id="s-defer" data-cc-src="${t}/defer.js" defer`)}
<style${n}>
  body { margin: 0; font: 17px/1.6 Georgia, serif; color: #222; background: #fafaf7; }
  main { max-width: 42rem; margin: 0 auto; padding: 1.5rem; }
  .map iframe { display: block; width: 100%; height: 240px; border: 0; margin: 1.5rem 0; }
</style>
</head>
<body>
<main>
<h1>A page with a video</h1>
<p>Some text before the video.</p>
${held(`id="s-t1" data-cc-src="${t}/t1.js" crossorigin="anonymous" data-extra="kept"`)}
${held('id="s-inline"', push('inline'))}
${held(`id="s-t2" data-cc-src="${t}/t2.js" integrity="${SRI}" crossorigin="anonymous"`)}
${held(`id="s-async" data-cc-src="${t}/async.js" async`)}
${held(`id="s-module" data-cc-src="${t}/module.js" data-cc-type="module"`)}
<script type="text/plain" data-cookieconsent="necessary"${n} id="s-necessary">window.__necessary = (window.__necessary || 0) + 1;</script>
<div class="cc-root cc-placeholder" data-cc-placeholder="statistical"><p>This video is served by
Tracker, which sets statistical cookies.</p><form method="post" action="/cookieconsent/consent"><input type="hidden" name="category" value="statistical"><input type="hidden" name="return" value="${page}"><button class="cc-btn" name="action" value="allow">Allow and load</button></form><a href="/cookieconsent/policy">Cookie policy</a></div>
<iframe id="frame" data-cookieconsent="statistical" data-cc-src="${t}/frame.html" width="560" height="315" title="Tracker video" allow="fullscreen"></iframe>
<p id="after">Some text after the video.</p>
<div class="map"><div class="cc-root cc-placeholder" data-cc-placeholder="statistical"><p>This map is served by
Tracker.</p><form method="post" action="/cookieconsent/consent"><input type="hidden" name="category" value="statistical"><input type="hidden" name="return" value="${page}"><button class="cc-btn" name="action" value="allow">Allow and load</button></form><a href="/cookieconsent/policy">Cookie policy</a></div>
<iframe id="map" data-cookieconsent="statistical" data-cc-src="${t}/map.html" title="Tracker map"></iframe></div>
<p id="after-map">Some text after the map.</p>
<p><img id="pixel" data-cookieconsent="statistical" data-cc-src="${t}/pixel.gif" width="1" height="1" alt=""></p>
<link id="css" data-cookieconsent="statistical" data-cc-href="${t}/style.css" rel="stylesheet">
</main>
</body>
</html>
`;
}

const PAGE = '/gated/';
const ORDER = ['t1', 'inline', 't2', 'defer', 'module'];
// what the tracker gets once the statistical elements are activated
const ALL_HITS = Object.fromEntries(PATHS.map((p) => [p, 1]));

let br;
let page;
let trackerRequests = [];

before(async () => {
  tracker = await startTracker();
  srv = await new Apache({
    decls: `${DECLS}
<Location /csp/>
    Header set Content-Security-Policy "script-src 'nonce-${NONCE}'; object-src 'none'; base-uri 'none'"
</Location>
`,
  }).start();
  srv.addFile('gated/index.html', gatedPage(tracker.origin, '/gated/'));
  srv.addFile('csp/index.html', gatedPage(tracker.origin, '/csp/', NONCE));
  br = await launch({ reducedMotion: 'reduce' });
  page = br.page;
  page.on('request', (r) => { if (r.url().startsWith(tracker.origin)) trackerRequests.push(r.url()); });
});

after(async () => {
  if (br) await br.close();
  if (tracker) await tracker.close();
  if (srv) {
    const crashes = srv.crashes();
    await srv.stop();
    assert.deepEqual(crashes, [], 'apache children crashed');
  }
});

beforeEach(async () => {
  await br.context.clearCookies();
  await page.unrouteAll({ behavior: 'ignoreErrors' });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  tracker.reset();
  trackerRequests = [];
  br.errors.length = 0;
});

const pause = (ms = 600) => new Promise((r) => setTimeout(r, ms));

async function consentValue() {
  const c = (await jar(br.context))[CONSENT];
  return c ? c.value : null;
}

// A mark on the page's window: gone once the page has been loaded again.
async function mark() {
  await page.evaluate(() => { window.__mark = 'same document'; });
}
async function sameDocument() {
  return page.evaluate(() => window.__mark === 'same document');
}

async function open(p = PAGE) {
  await page.goto(srv.url(p));
  await page.locator('.cc-placeholder').first().waitFor();
  await mark();
}

async function waitOrder(n = ORDER.length) {
  await page.waitForFunction((k) => (window.__order || []).length >= k, n, { timeout: 8000 });
}

async function waitHits(expected) {
  const end = Date.now() + 8000;
  while (Date.now() < end && JSON.stringify(tracker.hits) !== JSON.stringify({ ...tracker.hits, ...expected })) await pause(50);
}

// The statistical elements are all active, each loaded once, the scripts in document order.
async function assertActivated(what) {
  await waitOrder();
  await waitHits(ALL_HITS);
  await page.waitForFunction(() => {
    const i = document.getElementById('pixel');
    return i.complete && i.naturalWidth === 1 && getComputedStyle(document.getElementById('after')).color === 'rgb(1, 2, 3)';
  });
  await pause(300);                       // anything running twice would show by now
  assert.deepEqual(await page.evaluate(() => window.__order), ORDER, `${what}: scripts in document order`);
  assert.equal(await page.evaluate(() => window.__async), 1, `${what}: the async script ran once`);
  for (const p of PATHS) assert.equal(tracker.hits[p], 1, `${what}: ${p} loaded once: ${JSON.stringify(tracker.hits)}`);
  assert.equal((await jar(br.context))['_pk_id.test']?.value, '1', `${what}: the tracker's cookie is set`);
  assert.equal(await page.locator('.cc-placeholder').count(), 0, `${what}: the placeholder is gone`);
  const frame = page.frames().find((f) => f.url() === `${tracker.origin}/frame.html`);
  assert.ok(frame, `${what}: the iframe loaded`);
  assert.equal(await frame.locator('#in-frame').textContent(), 'the tracker\'s frame');
  assert.equal(await page.locator('#frame').getAttribute('src'), `${tracker.origin}/frame.html`);
  assert.equal(await page.locator('#frame').getAttribute('data-cc-src'), null);
  assert.ok(await page.locator('#frame').isVisible());
  assert.equal(await page.locator('#pixel').getAttribute('src'), `${tracker.origin}/pixel.gif`);
  assert.equal(await page.locator('#css').getAttribute('href'), `${tracker.origin}/style.css`);
  assert.equal(await page.evaluate(() => window.__necessary), 1, 'the necessary script ran once');
}

// Nothing of the statistical category reached the tracker.
async function assertHeld(what) {
  await pause();
  assert.equal(tracker.total(), 0, `${what}: tracker hits ${JSON.stringify(tracker.hits)}`);
  assert.deepEqual(trackerRequests, [], `${what}: requests to the tracker`);
  assert.deepEqual(Object.keys(await jar(br.context)).filter((n) => n.startsWith('_pk_')), [], `${what}: no _pk_ cookie`);
  assert.equal(await page.evaluate(() => window.__order), undefined, `${what}: no held script ran`);
  assert.equal(await page.locator('#frame').getAttribute('src'), null);
  assert.equal(await page.locator('script[type="text/plain"][data-cookieconsent="statistical"]').count(), 6);
}

// The server's `allow` action adds the category to the visitor's current choice: the POSTs are
// recorded on their way to the real endpoint. Returns them.
async function routeAllow() {
  const posts = [];
  await page.route((u) => u.pathname === '/cookieconsent/consent', async (route) => {
    const r = route.request();
    if (new URLSearchParams(r.postData() || '').get('action') !== 'allow') return route.continue();
    posts.push({ method: r.method(), headers: r.headers(), body: r.postData() });
    return route.continue();
  });
  return posts;
}

async function openSettings() {
  await page.locator('.cc-manage__btn').click();
  const dlg = page.locator('dialog.cc-dialog[open]');
  await dlg.waitFor();
  return dlg;
}

describe('held elements', { timeout: 180000 }, () => {
  test('undecided visitor: nothing reaches the tracker; the necessary script runs; the placeholder has the iframe\'s box', async () => {
    await open();
    // the script did look at the page: the script of a required category is activated
    await page.waitForFunction(() => window.__necessary === 1, null, { timeout: 5000 });
    assert.ok(await page.locator('#cc-banner').isVisible());
    await assertHeld('undecided');
    assert.equal(await page.locator('#frame').isVisible(), false, 'the held iframe is hidden behind its placeholder');
    // 560 x 315 and the iframe's 2 px borders
    const ph = await box(page.locator('.cc-placeholder').first());
    assert.deepEqual([ph.width, ph.height], [564, 319], JSON.stringify(ph));
    assert.deepEqual(br.errors, []);
  });

  test('Accept all: no reload, the banner gives way to the settings button, every element loads once, in order', async () => {
    await open();
    const placeholder = await box(page.locator('.cc-placeholder').first());
    const mapPlaceholder = await box(page.locator('.map .cc-placeholder'));
    const afterY = (await box(page.locator('#after'))).y;
    const afterMapY = (await box(page.locator('#after-map'))).y;
    await page.locator('#cc-banner').getByRole('button', { name: 'Accept all' }).click();
    await assertActivated('after Accept all');
    assert.ok(await sameDocument(), 'no reload');
    assert.match(await consentValue(), /\.statistical\.[A-Za-z0-9_-]{22}$/, 'the choice is recorded');
    assert.equal(await page.locator('#cc-banner').count(), 0);
    assert.ok(await page.locator('.cc-manage__btn').isVisible());
    assert.ok(await page.evaluate(() => document.activeElement.matches('.cc-manage__btn')), 'focus on the settings button');
    assert.equal(await page.evaluate(() => document.documentElement.getAttribute('style')), null, 'no room kept for a banner');

    // nothing moved: the iframe is where its placeholder was, the text after it stays
    const frame = await box(page.locator('#frame'));
    assert.deepEqual(frame, placeholder, 'the iframe takes the placeholder\'s box');
    assert.equal((await box(page.locator('#after'))).y, afterY, 'no layout shift');
    // a block iframe the site sizes itself (width: 100%, its own margins)
    assert.deepEqual(await box(page.locator('#map')), mapPlaceholder, 'the map takes its placeholder\'s box');
    assert.equal((await box(page.locator('#after-map'))).y, afterMapY, 'no layout shift after the map');

    // the new scripts: the original attributes, the type and src back
    const attrs = await page.evaluate(() => Object.fromEntries(['s-t1', 's-t2', 's-inline', 's-async', 's-module', 's-defer']
      .map((id) => {
        const s = document.getElementById(id);
        return [id, {
          type: s.getAttribute('type'), src: s.getAttribute('src'), async: s.async, defer: s.defer,
          cat: s.getAttribute('data-cookieconsent'), ccsrc: s.getAttribute('data-cc-src'),
          extra: s.getAttribute('data-extra'), co: s.getAttribute('crossorigin'), sri: s.getAttribute('integrity'),
        }];
      })));
    const t = tracker.origin;
    assert.deepEqual(attrs['s-t1'], { type: null, src: `${t}/t1.js`, async: false, defer: false, cat: 'statistical', ccsrc: null, extra: 'kept', co: 'anonymous', sri: null });
    assert.deepEqual(attrs['s-t2'], { type: null, src: `${t}/t2.js`, async: false, defer: false, cat: 'statistical', ccsrc: null, extra: null, co: 'anonymous', sri: SRI });
    assert.equal(attrs['s-inline'].src, null);
    assert.equal(attrs['s-async'].async, true, 'async kept');
    assert.equal(attrs['s-module'].type, 'module');
    assert.equal(attrs['s-defer'].defer, true);

    // the settings button is the one the server renders for a visitor who has decided
    const mine = await page.locator('.cc-manage').evaluate((e) => e.outerHTML);
    await page.reload();
    assert.equal(await page.locator('.cc-manage').evaluate((e) => e.outerHTML), mine);
    assert.deepEqual(br.errors, []);
  });

  test('each element is activated once: a second consent and a new page', async () => {
    await open();
    await page.locator('#cc-banner').getByRole('button', { name: 'Accept all' }).click();
    await assertActivated('Accept all');
    // the same consent again, from the settings layer: nothing loads twice
    const dlg = await openSettings();
    assert.ok(await dlg.locator('#cc-cat-statistical').isChecked());
    await dlg.getByRole('button', { name: 'Save my choices' }).click();
    await page.locator('dialog.cc-dialog').waitFor({ state: 'detached' });
    await pause();
    assert.ok(await sameDocument(), 'no reload');
    await assertActivated('Save again');
    // a new page, consent given: activated as the page loads
    tracker.reset();
    await page.goto(srv.url(PAGE));
    await assertActivated('next page');
    assert.deepEqual(br.errors, []);
  });

  test('Reject all: no reload, the settings button, nothing ever loads', async () => {
    await open();
    await page.locator('#cc-banner').getByRole('button', { name: 'Reject all' }).click();
    await page.locator('.cc-manage__btn').waitFor();
    assert.ok(await sameDocument(), 'no reload');
    assert.match(await consentValue(), /\.-\.[A-Za-z0-9_-]{22}$/);
    await assertHeld('after Reject all');
    assert.equal(await page.locator('.cc-placeholder:visible').count(), 2, 'the placeholders stay');
    await page.goto(srv.url(PAGE));
    await page.waitForFunction(() => window.__necessary === 1);
    await assertHeld('next page');
    assert.deepEqual(br.errors, []);
  });

  test('a placeholder\'s "Allow and load" POSTs action=allow and loads what the answer accepts', async () => {
    const posts = await routeAllow();
    await open();
    await page.locator('.cc-placeholder').first().getByRole('button', { name: 'Allow and load' }).click();
    await assertActivated('after Allow and load');
    assert.ok(await sameDocument(), 'no reload');
    assert.equal(posts.length, 1);
    assert.equal(posts[0].method, 'POST');
    assert.match(posts[0].headers.accept, /application\/json/);
    assert.match(posts[0].headers['content-type'], /^application\/x-www-form-urlencoded/);
    assert.deepEqual([...new URLSearchParams(posts[0].body)].sort(),
      [['action', 'allow'], ['category', 'statistical'], ['return', PAGE]]);
    assert.ok(await page.evaluate(() => document.activeElement.id === 'frame'), 'focus on the iframe in the placeholder\'s place');
    assert.equal(await page.locator('#cc-banner').count(), 0, 'the visitor has decided');
    assert.ok(await page.locator('.cc-manage__btn').isVisible());
  });

  for (const action of ['Save my choices', 'Reject all']) {
    test(`withdrawal reloads the page: "${action}" in the settings layer after an Accept all`, async () => {
      await open();
      await page.locator('#cc-banner').getByRole('button', { name: 'Accept all' }).click();
      await assertActivated('Accept all');
      const dlg = await openSettings();
      assert.equal(await dlg.locator('.cc-note').textContent(), 'Withdrawing a consent reloads the page.');
      if (action === 'Save my choices') await dlg.locator('#cc-cat-statistical').uncheck();
      tracker.reset();
      await navigating(page, () => dlg.getByRole('button', { name: action }).click());
      assert.equal(await sameDocument(), false, 'the page was loaded again');
      assert.equal(new URL(page.url()).pathname, PAGE);
      assert.match(await consentValue(), /\.-\.[A-Za-z0-9_-]{22}$/);
      await page.waitForFunction(() => window.__necessary === 1);
      trackerRequests = [];
      await assertHeld('after the withdrawal');     // the server expired _pk_id.test too
      assert.equal(await page.locator('.cc-placeholder:visible').count(), 2);
    });
  }

  test('the held scripts keep the CSP nonce (copied through the property)', async () => {
    const violations = [];
    page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
    await open('/csp/');
    const r = await page.request.get(srv.url('/csp/'));
    assert.match(r.headers()['content-security-policy'], new RegExp(`'nonce-${NONCE}'`));
    await page.locator('#cc-banner').getByRole('button', { name: 'Accept all' }).click();
    await assertActivated('under a nonce CSP');
    assert.deepEqual(violations, []);
  });

  test('if the fetch fails, or fetch is missing, the plain form round trip records the choice', async () => {
    // fetch POSTs (Accept: application/json) fail; the form's own POST goes through
    await page.route((u) => u.pathname === '/cookieconsent/consent', (route) => (
      /application\/json/.test(route.request().headers().accept || '') ? route.abort() : route.continue()));
    await open();
    await navigating(page, () => page.locator('#cc-banner').getByRole('button', { name: 'Accept all' }).click());
    assert.equal(await sameDocument(), false);
    assert.match(await consentValue(), /\.statistical\.[A-Za-z0-9_-]{22}$/);
    await assertActivated('after the round trip');       // as the page loads, from /state

    // a browser without fetch (a page of its own: init scripts stay with their page)
    await br.context.clearCookies();
    const bare = await br.context.newPage();
    try {
      await bare.addInitScript(() => { delete window.fetch; });
      tracker.reset();
      await bare.goto(srv.url(PAGE));
      await navigating(bare, () => bare.locator('#cc-banner').getByRole('button', { name: 'Reject all' }).click());
      assert.match(await consentValue(), /\.-\.[A-Za-z0-9_-]{22}$/);
      assert.ok(await bare.locator('.cc-manage__btn').isVisible());
      assert.equal(tracker.total(), 0);
    } finally {
      await bare.close();
    }
  });

  test('French: the settings button rendered in the page is the server\'s', async () => {
    await open(`${PAGE}?lang=fr`);
    await page.locator('#cc-banner').getByRole('button', { name: 'Tout accepter' }).click();
    await assertActivated('Tout accepter');
    assert.ok(await sameDocument());
    const mine = await page.locator('.cc-manage').evaluate((e) => e.outerHTML);
    assert.match(mine, /Paramètres de confidentialité/);
    await page.reload();
    assert.equal(await page.locator('.cc-manage').evaluate((e) => e.outerHTML), mine);
    const dlg = await openSettings();
    assert.equal(await dlg.locator('.cc-note').textContent(), 'Retirer un consentement recharge la page.');
  });
});

describe('the placeholder', { timeout: 180000 }, () => {
  for (const scheme of ['light', 'dark']) {
    for (const vp of [{ width: 1280, height: 800 }, { width: 360, height: 740 }]) {
      test(`axe clean, readable, the iframe's size: ${scheme}, ${vp.width} px`, async () => {
        await page.setViewportSize(vp);
        await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
        await routeAllow();
        await open();
        const ph = page.locator('.cc-placeholder').first();
        const b = await box(ph);
        const main = await box(page.locator('main h1'));
        assert.equal(b.width, Math.min(564, main.width), `as wide as the iframe, at most the column: ${JSON.stringify(b)}`);
        assert.ok(b.height >= 319, `as tall as the iframe at least: ${JSON.stringify(b)}`);
        const s = await ph.evaluate((e) => {
          const c = getComputedStyle(e);
          return { bg: c.backgroundColor, fg: c.color, size: parseFloat(c.fontSize), border: c.borderTopStyle };
        });
        assert.equal(s.bg, scheme === 'dark' ? 'rgb(30, 32, 36)' : 'rgb(255, 255, 255)');
        assert.ok(s.size >= 16 && s.border === 'dashed', JSON.stringify(s));
        let v = await axe(page);
        assert.equal(v.length, 0, `with the banner:\n${formatViolations(v)}`);
        await page.locator('#cc-banner .cc-btn[value="reject-all"]').click();
        await page.locator('.cc-manage__btn').waitFor();
        v = await axe(page);
        assert.equal(v.length, 0, `after Reject all:\n${formatViolations(v)}`);
        // on a phone the iframe is wider than the column: the text after it still does not move
        const afterY = (await box(page.locator('#after'))).y;
        const mapPlaceholder = await box(page.locator('.map .cc-placeholder'));
        const afterMapY = (await box(page.locator('#after-map'))).y;
        await page.locator('.cc-placeholder .cc-btn').first().evaluate((e) => e.closest('form').requestSubmit(e));
        await page.waitForFunction(() => !document.querySelector('.cc-placeholder'));
        assert.equal((await box(page.locator('#after'))).y, afterY, 'no layout shift');
        assert.deepEqual(await box(page.locator('#map')), mapPlaceholder, 'the map takes its placeholder\'s box');
        assert.equal((await box(page.locator('#after-map'))).y, afterMapY, 'no layout shift after the map');
      });
    }
  }
});

describe('the placeholder follows its iframe', { timeout: 60000 }, () => {
  test('when the viewport changes, the placeholder of a width: 100% iframe is refitted', async () => {
    await open();
    const column = async () => (await box(page.locator('main h1'))).width;
    const ph = page.locator('.map .cc-placeholder');
    assert.deepEqual([(await box(ph)).width, (await box(ph)).height], [await column(), 240]);
    await page.setViewportSize({ width: 360, height: 740 });
    const w = await column();
    await page.waitForFunction((x) => document.querySelector('.map .cc-placeholder').getBoundingClientRect().width === x, w, { timeout: 3000 });
    assert.equal((await box(ph)).height, 240);
  });
});

describe('without JavaScript', { timeout: 60000 }, () => {
  let nojs;
  before(async () => { nojs = await launch({ javaScriptEnabled: false }); });
  after(async () => { if (nojs) await nojs.close(); });

  test('the placeholder stands in for the hidden iframe; the forms still work; nothing loads', async () => {
    const p = nojs.page;
    tracker.reset();
    await p.goto(srv.url(PAGE));
    const ph = p.locator('.cc-placeholder').first();
    assert.ok(await ph.isVisible());
    assert.equal(await p.locator('#frame').isVisible(), false);
    const b = await box(ph);
    assert.ok(b.height >= 150, `a min-height without the script: ${JSON.stringify(b)}`);
    assert.equal(await ph.evaluate((e) => getComputedStyle(e).borderTopStyle), 'dashed');
    await navigating(p, () => p.locator('#cc-banner .cc-btn[value="accept-all"]').click());
    assert.match((await jar(nojs.context))[CONSENT].value, /\.statistical\.[A-Za-z0-9_-]{22}$/);
    assert.equal(tracker.total(), 0);
  });
});
