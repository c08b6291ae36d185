// The fixed banner must not hide the end of the page (issue 7, item 14): on a long page whose last
// element is a button (WordPress's "Post Comment"), scrolled to the bottom, the button is above the
// banner and clickable, on a desktop and a phone, with and without JavaScript. With JavaScript the
// room is the banner's own height, follows it when the viewport changes, keeps focused elements
// above the banner, and goes when the banner goes; without it, the CSS fallback reserves the most
// the banner can cover (100vh - 3rem on a desktop, 100vh - 2.5rem on a phone).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Apache, box, choosing, launch, settled } from './harness.mjs';

const VIEWPORTS = [{ width: 1280, height: 720 }, { width: 360, height: 640 }];

const para = (i) => `<p>Paragraph ${i}. Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do
eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud
exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat.</p>`;

// `full`: the root and body are height:100% (as in wp-login.css and many themes), so the content
// overflows them, and the site has its own padding-bottom and scroll-padding-bottom on <html>.
function longPage(full) {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>A post</title>
<style>
${full ? 'html, body { height: 100%; } html { padding-bottom: 7px; scroll-padding-bottom: 5px; }' : ''}
body { margin: 0; font: 17px/1.6 Georgia, serif; color: #222; background: #fafaf7; }
main { max-width: 42rem; margin: 0 auto; padding: 1.5rem; }
textarea { display: block; width: 100%; height: 8rem; box-sizing: border-box; }
#last { font-size: 16px; padding: 10px 18px; }
</style>
</head>
<body>
<main>
<h1>A post</h1>
${Array.from({ length: 25 }, (_, i) => para(i)).join('\n')}
<p><a id="before-mid" href="#a">A link</a> and <a id="mid" href="#b">another link</a> in the text.</p>
${Array.from({ length: 8 }, (_, i) => para(25 + i)).join('\n')}
<h2>Leave a comment</h2>
<form id="commentform" action="/long/" method="get">
<p><label for="comment">Comment</label><textarea id="comment" name="comment"></textarea></p>
<p class="form-submit"><button id="last" type="submit">Post Comment</button></p>
</form>
</main>
</body>
</html>
`;
}

const PAGES = { '/long/': 'a long page', '/long-full/': 'a long page with html, body { height: 100% }' };

let srv;

before(async () => {
  srv = await new Apache().start();
  srv.addFile('long/index.html', longPage(false));
  srv.addFile('long-full/index.html', longPage(true));
});

after(async () => {
  if (srv) await srv.stop();
});

const intersects = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
// Two rendering frames (ResizeObserver callbacks run in them); without JavaScript no frame callback
// runs, and layout is brought up to date by the measurements themselves.
let scripted = true;
const frames = (page) => (scripted
  ? page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
  : page.waitForTimeout(50));

async function scrollToEnd(page) {
  await page.evaluate(() => window.scrollTo(0, document.scrollingElement.scrollHeight));
  await frames(page);
}

// What is under the centre of `sel`: its id (the element itself) or what covers it.
function hit(page, sel) {
  return page.evaluate((s) => {
    const r = document.querySelector(s).getBoundingClientRect();
    const e = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
    return e ? (e.id || e.closest('[id]')?.id || e.tagName) : null;
  }, sel);
}

async function assertAboveBanner(page, sel, what) {
  const b = await box(page.locator('#cc-banner'));
  const el = await box(page.locator(sel));
  const vh = page.viewportSize().height;
  assert.ok(el.y >= 0 && el.y + el.height <= vh, `${what}: ${sel} fully in the viewport: ${JSON.stringify(el)}`);
  assert.ok(!intersects(el, b), `${what}: ${sel} ${JSON.stringify(el)} is under the banner ${JSON.stringify(b)}`);
  assert.equal(await hit(page, sel), sel.slice(1), `${what}: ${sel} is what a click at its centre reaches`);
}

// Wait until the script has reserved the room (a padding-bottom on <html>).
async function reserved(page) {
  await page.waitForFunction(() => document.documentElement.style.paddingBottom !== '', null, { timeout: 5000 });
  await frames(page);
}

describe('with JavaScript: <html> gets a padding-bottom as tall as the banner', { timeout: 120000 }, () => {
  let br;
  let page;
  before(async () => {
    br = await launch({ reducedMotion: 'reduce' });
    page = br.page;
  });
  after(async () => { if (br) await br.close(); });

  for (const [p, name] of Object.entries(PAGES)) {
    for (const vp of VIEWPORTS) {
      test(`${name}, ${vp.width} x ${vp.height}: scrolled to the end, "Post Comment" is above the banner`, async () => {
        await br.context.clearCookies();
        await page.setViewportSize(vp);
        await page.goto(srv.url(p));
        await settled(page.locator('#cc-banner'));
        await frames(page);
        await scrollToEnd(page);
        await assertAboveBanner(page, '#last', `${p} ${vp.width}x${vp.height}`);
        await page.locator('#last').click({ trial: true });
        // no spacer of the no-script fallback on top of it
        assert.equal(await page.evaluate(() => getComputedStyle(document.body, '::after').content), 'none');
      });
    }
  }

  test('the room follows the viewport: desktop, then phone, then desktop again', async () => {
    await br.context.clearCookies();
    await page.setViewportSize(VIEWPORTS[0]);
    await page.goto(srv.url('/long/'));
    await reserved(page);
    const pad = () => page.evaluate(() => parseFloat(document.documentElement.style.paddingBottom));
    const desktop = await pad();
    for (const vp of [VIEWPORTS[1], VIEWPORTS[0]]) {
      await page.setViewportSize(vp);
      const b = await box(page.locator('#cc-banner'));
      await page.waitForFunction((h) => Math.abs(parseFloat(document.documentElement.style.paddingBottom) - h) <= 2,
        b.height + 2 * (vp.width > 640 ? 16 : 8), { timeout: 5000 });
      await scrollToEnd(page);
      await assertAboveBanner(page, '#last', `after a resize to ${vp.width}x${vp.height}`);
    }
    assert.equal(await pad(), desktop);
  });

  test('a focused element is scrolled above the banner, not left under it (scroll-padding-bottom)', async () => {
    await br.context.clearCookies();
    await page.setViewportSize(VIEWPORTS[0]);
    await page.goto(srv.url('/long/'));
    await settled(page.locator('#cc-banner'));
    await frames(page);
    // put the link in the middle of the strip the banner covers, then Tab onto it
    const b = await box(page.locator('#cc-banner'));
    await page.evaluate((y) => {
      const r = document.getElementById('mid').getBoundingClientRect();
      window.scrollBy(0, r.top + r.height / 2 - y);
      document.getElementById('before-mid').focus({ preventScroll: true });
    }, b.y + b.height / 2);
    await frames(page);
    assert.ok(intersects(await box(page.locator('#mid')), b), 'the link starts under the banner');
    await page.keyboard.press('Tab');
    await frames(page);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'mid');
    await assertAboveBanner(page, '#mid', 'focused link');
  });

  for (const [p, site] of [['/long/', '0px'], ['/long-full/', '7px']]) {
    test(`${p}: the site's own padding comes back when the banner goes`, async () => {
      await br.context.clearCookies();
      await page.setViewportSize(VIEWPORTS[0]);
      await page.goto(srv.url(p));
      await reserved(page);
      await page.evaluate(() => document.getElementById('cc-banner').remove());
      await page.waitForFunction(() => document.documentElement.style.paddingBottom === '', null, { timeout: 5000 });
      assert.deepEqual(await page.evaluate(() => {
        const s = getComputedStyle(document.documentElement);
        return [s.paddingBottom, s.scrollPaddingBottom];
      }), [site, p === '/long/' ? 'auto' : '5px']);
      // and after a choice there is no banner, so no room either
      await page.goto(srv.url(p));
      await choosing(page, () => page.locator('#cc-banner .cc-btn[value="reject-all"]').click());
      await frames(page);
      assert.equal(await page.evaluate(() => document.documentElement.getAttribute('style')), null);
      assert.deepEqual(br.errors, [], 'no script error');
    });
  }
});

describe('without JavaScript: a spacer after the body, as tall as the most the banner can cover', { timeout: 120000 }, () => {
  let br;
  let page;
  before(async () => {
    scripted = false;
    br = await launch({ javaScriptEnabled: false, reducedMotion: 'reduce' });
    page = br.page;
  });
  after(async () => { if (br) await br.close(); });

  for (const [p, name] of Object.entries(PAGES)) {
    for (const vp of VIEWPORTS) {
      test(`${name}, ${vp.width} x ${vp.height}: "Post Comment" can be scrolled above the banner`, async () => {
        await br.context.clearCookies();
        await page.setViewportSize(vp);
        await page.goto(srv.url(p));
        assert.ok(await page.locator('#cc-banner').isVisible());
        // scrolled to the end, the end of the page is above the banner
        await scrollToEnd(page);
        const b = await box(page.locator('#cc-banner'));
        const el = await box(page.locator('#last'));
        assert.ok(el.y + el.height <= b.y, `at the end, Post Comment ${JSON.stringify(el)} is under the banner ${JSON.stringify(b)}`);
        // whatever the banner's height: the room is its max-height + its offset from the bottom
        const spacer = await page.evaluate(() => getComputedStyle(document.body, '::after').height);
        assert.equal(spacer, `${vp.height - (vp.width > 640 ? 48 : 40)}px`, 'spacer height');
        // and it can be brought fully into view just above the banner
        await page.evaluate((top) => {
          const r = document.getElementById('last').getBoundingClientRect();
          window.scrollBy(0, r.bottom - (top - 8));
        }, b.y);
        await frames(page);
        await assertAboveBanner(page, '#last', `${p} ${vp.width}x${vp.height}, no JavaScript`);
        await page.locator('#last').click({ trial: true });
      });
    }
  }
});
