// The first layer leaves the page visible (issue 11): with the example configuration
// (conf/examples/outscale.conf, the seed's texts) the banner covers at most 40% of a 360 x 740
// phone and 25% of a 1280 x 800 screen, in every built-in language, with and without JavaScript;
// its three buttons keep one size and one look. The policy page of every built-in language has
// no horizontal overflow at 360 px (the cookie tables scroll inside their own box).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Apache, REPO, box, launch, settled } from './harness.mjs';

const LANGS = ['en', 'fr', 'de', 'es', 'it', 'nl', 'pt', 'pl', 'sv', 'da'];
const LIMITS = [
  { width: 360, height: 740, share: 0.40 },
  { width: 1280, height: 800, share: 0.25 },
];

// The example virtual host's directives, as they are, offering the ten languages.
function exampleDecls() {
  const conf = fs.readFileSync(path.join(REPO, 'conf', 'examples', 'outscale.conf'), 'utf8');
  const inner = conf.slice(conf.indexOf('<VirtualHost'), conf.indexOf('</VirtualHost>')).split('\n').slice(1);
  const kept = inner.filter((l) => !/^\s*(ServerName|ServerAlias|DocumentRoot|ScriptAlias)\b/.test(l));
  assert.ok(kept.some((l) => /^\s*CookieConsentLanguages\s/.test(l)), 'the example names its languages');
  return kept.map((l) => (/^\s*CookieConsentLanguages\s/.test(l) ? `CookieConsentLanguages ${LANGS.join(' ')}` : l))
    .join('\n') + '\n';
}

let srv;

before(async () => {
  srv = await new Apache({ decls: exampleDecls() }).start();
});

after(async () => {
  if (srv) await srv.stop();
});

for (const scripted of [true, false]) {
  describe(`the first layer's height ${scripted ? 'with' : 'without'} JavaScript`, { timeout: 180000 }, () => {
    let br;
    before(async () => {
      br = await launch({ javaScriptEnabled: scripted, reducedMotion: 'reduce' });
    });
    after(async () => { if (br) await br.close(); });

    for (const vp of LIMITS) {
      test(`${vp.width} x ${vp.height}: at most ${vp.share * 100}% of the screen in every language`, async () => {
        const page = br.page;
        await page.setViewportSize({ width: vp.width, height: vp.height });
        const heights = {};
        for (const lang of LANGS) {
          await br.context.clearCookies();
          await page.goto(srv.url(`/?lang=${lang}`));
          const banner = page.locator('#cc-banner');
          await banner.waitFor({ state: 'visible' });
          await settled(banner);
          assert.equal(await banner.getAttribute('lang'), lang);
          const b = await box(banner);
          heights[lang] = Math.round(b.height);
          assert.ok(b.height <= vp.height * vp.share,
            `${lang}: the banner is ${b.height} px high, more than ${vp.share * 100}% of ${vp.height} px`);
          assert.ok(b.y >= 0 && b.y + b.height <= vp.height, `${lang}: inside the viewport`);
          // the three choices on the first layer, one size, one look, all visible
          const btns = banner.locator('.cc-actions .cc-btn');
          assert.equal(await btns.count(), 3, lang);
          const rects = await btns.evaluateAll((els) => els.map((e) => {
            const r = e.getBoundingClientRect();
            const s = getComputedStyle(e);
            return { w: Math.round(r.width * 10) / 10, h: Math.round(r.height * 10) / 10, top: r.top, bottom: r.bottom,
              look: [s.backgroundColor, s.color, s.fontSize, s.fontWeight, s.borderTopWidth].join(' ') };
          }));
          assert.equal(new Set(rects.map((r) => `${r.w}x${r.h}`)).size, 1, `${lang}: sizes ${JSON.stringify(rects)}`);
          assert.equal(new Set(rects.map((r) => r.look)).size, 1, `${lang}: looks ${JSON.stringify(rects)}`);
          assert.ok(rects.every((r) => r.h >= 44), `${lang}: touch targets of 44 px`);
          assert.ok(rects.every((r) => r.top >= b.y && r.bottom <= b.y + b.height + 0.5), `${lang}: buttons inside the banner`);
          // no description on the first layer: those are in the settings layer
          assert.equal(await banner.locator('.cc-category__desc, table').count(), 0, lang);
          assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${lang}: no horizontal overflow`);
        }
        process.stdout.write(`# banner heights ${scripted ? 'js' : 'nojs'} ${vp.width}x${vp.height}: ${JSON.stringify(heights)}\n`);
      });
    }
  });
}

describe('the policy page of every language at 360 px', { timeout: 180000 }, () => {
  let br;
  before(async () => {
    br = await launch({ viewport: { width: 360, height: 740 }, reducedMotion: 'reduce' });
  });
  after(async () => { if (br) await br.close(); });

  test('no horizontal overflow; the tables scroll in their own box, reachable by keyboard', async () => {
    const page = br.page;
    const widths = {};
    for (const lang of LANGS) {
      await page.goto(srv.url(`/cookieconsent/policy?lang=${lang}`));
      assert.equal(await page.getAttribute('html', 'lang'), lang);
      const w = await page.evaluate(() => document.documentElement.scrollWidth);
      widths[lang] = w;
      assert.ok(w <= 360, `${lang}: the policy page is ${w} px wide at 360 px`);
      const wraps = page.locator('.cc-table-wrap');
      assert.ok(await wraps.count() >= 2, lang);
      for (const i of [0, 1]) {
        const wrap = wraps.nth(i);
        const b = await box(wrap);
        assert.ok(b.x >= 0 && b.x + b.width <= 360, `${lang}: table box ${JSON.stringify(b)}`);
        const scrolls = await wrap.evaluate((e) => e.scrollWidth > e.clientWidth);
        if (scrolls) assert.equal(await wrap.getAttribute('tabindex'), '0', `${lang}: a scrolling table is focusable`);
      }
      // every heading and paragraph wraps inside the page
      const wide = await page.evaluate(() => [...document.querySelectorAll('h1, h2, p')]
        .filter((e) => e.getBoundingClientRect().right > 360.5).map((e) => e.textContent.slice(0, 40)));
      assert.deepEqual(wide, [], lang);
    }
    process.stdout.write(`# policy page widths at 360 px: ${JSON.stringify(widths)}\n`);
  });
});
