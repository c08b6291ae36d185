// The banner and the JavaScript settings layer, JavaScript enabled (docs/design.md, "Banner,
// settings and policy"; /work/shared/COMPLIANCE.md).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  Apache, CONSENT, REPO, box, choosing, jar, launch, navigating, optionalIn, settled,
} from './harness.mjs';

const APP = '/cgi-bin/app.cgi';
let srv;
let br;
let page;

before(async () => {
  srv = await new Apache().start();
  br = await launch();
  page = br.page;
});

after(async () => {
  if (br) await br.close();
  if (srv) {
    const crashes = srv.crashes();
    await srv.stop();
    assert.deepEqual(crashes, [], 'apache children crashed');
  }
});

beforeEach(async () => {
  await br.context.clearCookies();
  await page.unrouteAll({ behavior: 'ignoreErrors' });
  await page.setExtraHTTPHeaders({});
  await page.setViewportSize({ width: 1280, height: 800 });
  br.setCookies.length = 0;
  br.errors.length = 0;
});

function receivedOptional() {
  return br.setCookies.filter((s) => /^_pk_(id|ses)[^=]*=[^;]/.test(s.value) && !/max-age=0/i.test(s.value));
}

async function consentValue() {
  const c = (await jar(br.context))[CONSENT];
  return c ? c.value : null;
}

async function openDialogFrom(locator) {
  await locator.click();
  const dlg = page.locator('dialog.cc-dialog[open]');
  await dlg.waitFor({ state: 'visible' });
  return dlg;
}

describe('assets', () => {
  test('the module serves assets/ as they are in the repository (rebuild after editing them)', async () => {
    for (const [name, type] of [['cookieconsent.css', /^text\/css/], ['cookieconsent.js', /javascript/]]) {
      const r = await page.request.get(srv.url('/cookieconsent/assets/' + name));
      assert.equal(r.status(), 200, name);
      assert.match(r.headers()['content-type'], type);
      assert.equal(await r.text(), fs.readFileSync(path.join(REPO, 'assets', name), 'utf8'),
        `${name} served by the .so differs from assets/${name}: run make -f Makefile.apxs`);
    }
  });
});

describe('first visit', () => {
  test('shows the banner: a labelled region, three equal buttons, no optional cookie', async () => {
    await page.goto(srv.url(APP));
    const banner = page.locator('#cc-banner');
    await banner.waitFor({ state: 'visible' });
    assert.equal(await banner.getAttribute('role'), 'region');
    assert.equal(await banner.getAttribute('data-nosnippet'), '');
    assert.equal(await page.locator('#cc-banner-title').textContent(), 'Your choice about cookies');
    assert.equal(await banner.evaluate((e) => getComputedStyle(e).position), 'fixed');

    const btns = banner.locator('.cc-btn');
    assert.equal(await btns.count(), 3);
    assert.deepEqual(await btns.allTextContents(), ['Accept all', 'Reject all', 'Customise']);
    const boxes = [];
    for (let i = 0; i < 3; i++) boxes.push(await box(btns.nth(i)));
    for (const b of boxes.slice(1)) {
      assert.ok(Math.abs(b.width - boxes[0].width) < 0.5 && Math.abs(b.height - boxes[0].height) < 0.5,
        `buttons differ in size: ${JSON.stringify(boxes)}`);
    }
    const styles = await btns.evaluateAll((els) => els.map((e) => {
      const s = getComputedStyle(e);
      return [s.backgroundColor, s.color, s.fontWeight, s.fontSize, s.borderTopColor, s.borderTopWidth].join(' ');
    }));
    assert.equal(new Set(styles).size, 1, `buttons differ in look: ${styles.join(' / ')}`);
    assert.ok(boxes[0].height >= 44, 'touch target at least 44 px high');

    const j = await jar(br.context);
    assert.deepEqual(optionalIn(j), [], 'no optional cookie before a choice');
    assert.ok(j.csrftoken, 'the necessary cookie is kept');
    assert.equal(j[CONSENT], undefined, 'no consent cookie before a choice');
    assert.deepEqual(receivedOptional(), [], 'no optional Set-Cookie reached the browser');
    assert.equal(await page.locator('.cc-manage').count(), 0);
  });

  test('the site\'s own CSS does not restyle the banner (button { background: hotpink })', async () => {
    await page.goto(srv.url('/'));
    const bg = await page.locator('#cc-banner .cc-btn').first().evaluate((e) => getComputedStyle(e).backgroundColor);
    assert.notEqual(bg, 'rgb(255, 105, 180)');
  });
});

describe('decisions with JavaScript', () => {
  test('Reject all: banner gone, settings button present, optional cookies never arrive', async () => {
    await page.goto(srv.url(APP));
    await choosing(page, () => page.getByRole('button', { name: 'Reject all' }).click());
    assert.equal(new URL(page.url()).pathname, APP, 'still on the page');
    assert.equal(await page.locator('#cc-banner').count(), 0);
    assert.ok(await page.locator('.cc-manage .cc-manage__btn').isVisible());
    assert.match(await consentValue(), /^2\.[0-9a-f]{12}\.\d+\.[A-Za-z0-9_-]{22}\.-\.[A-Za-z0-9_-]{22}$/);
    await page.goto(srv.url(APP));
    assert.deepEqual(optionalIn(await jar(br.context)), []);
    assert.deepEqual(receivedOptional(), []);
  });

  test('Accept all: optional cookies arrive', async () => {
    await page.goto(srv.url(APP));
    await choosing(page, () => page.getByRole('button', { name: 'Accept all' }).click());
    assert.match(await consentValue(), /\.statistical\.[A-Za-z0-9_-]{22}$/);
    await page.goto(srv.url(APP));
    assert.deepEqual(optionalIn(await jar(br.context)), ['_pk_id.1.abcd', '_pk_ses.1.abcd']);
    assert.equal(await page.locator('#cc-banner').count(), 0);
  });

  test('withdraw from the settings button: dialog, focus inside, statistical off, Save expires the cookies', async () => {
    await page.goto(srv.url(APP));
    await choosing(page, () => page.getByRole('button', { name: 'Accept all' }).click());
    await page.goto(srv.url(APP));
    assert.equal(optionalIn(await jar(br.context)).length, 2);

    const opener = page.locator('.cc-manage__btn');
    const dlg = await openDialogFrom(opener);
    assert.equal(new URL(page.url()).pathname, APP, 'the click did not navigate');
    assert.equal(await dlg.getAttribute('aria-labelledby'), 'cc-settings-title');
    assert.equal(await dlg.getAttribute('role'), null, 'native dialog semantics');
    assert.ok(await dlg.evaluate((d) => d.matches(':modal')), 'opened with showModal()');
    assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'cc-cat-statistical',
      'focus moves to the first enabled checkbox');
    assert.ok(await dlg.locator('#cc-cat-statistical').isChecked(), 'reflects the current consent');
    assert.ok(await dlg.locator('#cc-cat-necessary').isDisabled());
    assert.equal(await dlg.locator('.cc-dialog__close').textContent(), 'Close');
    assert.equal(await dlg.locator('input[name="return"]').inputValue(), APP);

    // three equal buttons in the second layer too
    const sizes = await dlg.locator('.cc-btn').evaluateAll((els) => els.map((e) => {
      const r = e.getBoundingClientRect();
      return `${Math.round(r.width)}x${Math.round(r.height)}`;
    }));
    assert.equal(sizes.length, 3);
    assert.equal(new Set(sizes).size, 1, `settings buttons differ: ${sizes}`);

    await dlg.locator('#cc-cat-statistical').uncheck();
    // a withdrawal: posted as the plain form, the page loads again
    await navigating(page, () => dlg.getByRole('button', { name: 'Save my choices' }).click());
    assert.equal(new URL(page.url()).pathname, APP);
    assert.match(await consentValue(), /\.-\.[A-Za-z0-9_-]{22}$/);
    assert.deepEqual(optionalIn(await jar(br.context)), [], 'the server expired the optional cookies');
    await page.goto(srv.url(APP));
    assert.deepEqual(optionalIn(await jar(br.context)), []);
  });

  test('Customise opens the dialog; Escape and Close record nothing and give focus back', async () => {
    await page.goto(srv.url('/'));
    const customise = page.locator('#cc-banner [data-cc-open-settings]');
    let dlg = await openDialogFrom(customise);
    assert.equal(await dlg.locator('#cc-cat-statistical').isChecked(), false, 'no pre-ticked box');
    assert.equal(await dlg.locator('input[name="return"]').inputValue(), '/');
    await page.keyboard.press('Escape');
    await page.locator('dialog.cc-dialog').waitFor({ state: 'detached' });
    assert.ok(await customise.evaluate((e) => e === document.activeElement), 'focus back on Customise');

    dlg = await openDialogFrom(customise);
    await dlg.locator('#cc-cat-statistical').check();       // changed but not saved
    await dlg.locator('.cc-dialog__close').click();
    await page.locator('dialog.cc-dialog').waitFor({ state: 'detached' });
    assert.ok(await customise.evaluate((e) => e === document.activeElement));

    dlg = await openDialogFrom(customise);
    await page.mouse.click(5, 5);                          // the backdrop
    await page.locator('dialog.cc-dialog').waitFor({ state: 'detached' });

    assert.equal(await consentValue(), null, 'closing records nothing');
    assert.ok(await page.locator('#cc-banner').isVisible(), 'the banner stays until a choice');
  });

  test('opting in from the dialog: tick statistical, Save', async () => {
    await page.goto(srv.url(APP));
    const dlg = await openDialogFrom(page.locator('#cc-banner [data-cc-open-settings]'));
    await dlg.locator('#cc-cat-statistical').check();
    await choosing(page, () => dlg.getByRole('button', { name: 'Save my choices' }).click());
    assert.match(await consentValue(), /\.statistical\.[A-Za-z0-9_-]{22}$/);
    await page.goto(srv.url(APP));
    assert.deepEqual(optionalIn(await jar(br.context)), ['_pk_id.1.abcd', '_pk_ses.1.abcd']);
  });

  test('a link of the site marked data-cc-open-settings opens the dialog too', async () => {
    await page.goto(srv.url(APP + '?from=footer'));
    await choosing(page, () => page.getByRole('button', { name: 'Reject all' }).click());
    const link = page.locator('#site-settings');
    const dlg = await openDialogFrom(link);
    assert.equal(new URL(page.url()).pathname, APP);
    assert.equal(await dlg.locator('input[name="return"]').inputValue(), APP + '?from=footer');
    await page.keyboard.press('Escape');
    await page.locator('dialog.cc-dialog').waitFor({ state: 'detached' });
    assert.ok(await link.evaluate((e) => e === document.activeElement), 'focus back on the link');
  });

  test('if the fragment cannot be fetched, Customise navigates to the settings page', async () => {
    await page.route((u) => u.searchParams.get('fragment') === '1', (r) => r.abort());
    await page.goto(srv.url('/?x=1'));
    await navigating(page, () => page.locator('#cc-banner [data-cc-open-settings]').click());
    const u = new URL(page.url());
    assert.equal(u.pathname, '/cookieconsent/settings');
    assert.equal(u.searchParams.get('return'), '/?x=1');
    assert.ok(await page.locator('body.cc-page form.cc-settings').isVisible());
  });
});

describe('keyboard only', () => {
  test('the banner is first in tab order; Tab and Enter reject; the settings button reopens the choice', async () => {
    await page.goto(srv.url(APP));
    await page.keyboard.press('Tab');
    assert.ok(await page.evaluate(() => !!document.activeElement.closest('#cc-banner')),
      'the first Tab lands in the banner');
    let name = '';
    for (let i = 0; i < 6 && name !== 'Reject all'; i++) {
      if (i) await page.keyboard.press('Tab');
      name = await page.evaluate(() => document.activeElement.textContent);
    }
    assert.equal(name, 'Reject all');
    const outline = await page.evaluate(() => {
      const s = getComputedStyle(document.activeElement);
      return document.activeElement.matches(':focus-visible') && s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
    });
    assert.ok(outline, 'a visible focus outline');
    await choosing(page, () => page.keyboard.press('Enter'));
    assert.match(await consentValue(), /\.-\.[A-Za-z0-9_-]{22}$/);

    assert.ok(await page.evaluate(() => document.activeElement.matches('.cc-manage__btn')),
      'the focus is on the settings button that took the banner\'s place');
    await page.keyboard.press('Enter');
    await page.locator('dialog.cc-dialog[open]').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.id), 'cc-cat-statistical');
    await page.keyboard.press('Space');
    for (let i = 0; i < 10; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement.value === 'save')) break;
    }
    await choosing(page, () => page.keyboard.press('Enter'));
    assert.match(await consentValue(), /\.statistical\.[A-Za-z0-9_-]{22}$/);
    await page.goto(srv.url(APP));
    assert.equal(optionalIn(await jar(br.context)).length, 2);
  });
});

describe('language', () => {
  test('Accept-Language: fr gives the French banner and dialog', async () => {
    await page.setExtraHTTPHeaders({ 'Accept-Language': 'fr-FR,fr;q=0.9' });
    await page.goto(srv.url('/'));
    const banner = page.locator('#cc-banner');
    assert.equal(await banner.getAttribute('lang'), 'fr');
    assert.deepEqual(await banner.locator('.cc-btn').allTextContents(), ['Tout accepter', 'Tout refuser', 'Personnaliser']);
    assert.ok(await page.getByRole('button', { name: 'Tout refuser' }).isVisible());
    const dlg = await openDialogFrom(banner.locator('[data-cc-open-settings]'));
    assert.equal(await dlg.getAttribute('lang'), 'fr');
    assert.equal(await dlg.locator('.cc-dialog__close').textContent(), 'Fermer');
    assert.equal(await dlg.locator('#cc-settings-title').textContent(), 'Paramètres de confidentialité');
    assert.match(await dlg.locator('label[for="cc-cat-statistical"]').textContent(), /Cookies statistiques/);
    await dlg.locator('.cc-dialog__close').click();
  });

  test('?lang=fr wins over an English Accept-Language', async () => {
    await page.setExtraHTTPHeaders({ 'Accept-Language': 'en' });
    await page.goto(srv.url('/?lang=fr'));
    assert.ok(await page.getByRole('button', { name: 'Tout refuser' }).isVisible());
  });
});

describe('Global Privacy Control', () => {
  test('Sec-GPC: 1 is a refusal: no banner, the settings button, no optional cookie', async () => {
    await page.setExtraHTTPHeaders({ 'Sec-GPC': '1' });
    await page.goto(srv.url(APP));
    assert.equal(await page.locator('#cc-banner').count(), 0);
    assert.ok(await page.locator('.cc-manage__btn').isVisible());
    assert.deepEqual(optionalIn(await jar(br.context)), []);
    const dlg = await openDialogFrom(page.locator('.cc-manage__btn'));
    assert.equal(await dlg.locator('#cc-cat-statistical').isChecked(), false);
  });
});

describe('layout', () => {
  test('no layout shift: the page content sits where it sits without the module', async () => {
    await page.goto(srv.url('/plain/'));
    const plain = await box(page.locator('#page-title'));
    await page.goto(srv.url('/'));
    await page.locator('#cc-banner').waitFor();
    const withBanner = await box(page.locator('#page-title'));
    assert.deepEqual(withBanner, plain, 'the banner takes no room in the flow');
    const shift = await page.evaluate(() => new Promise((resolve) => {
      let sum = 0;
      new PerformanceObserver((l) => { for (const e of l.getEntries()) sum += e.value; })
        .observe({ type: 'layout-shift', buffered: true });
      setTimeout(() => resolve(sum), 500);
    }));
    assert.equal(shift, 0, 'cumulative layout shift');
    await choosing(page, () => page.getByRole('button', { name: 'Reject all' }).click());
    assert.deepEqual(await box(page.locator('#page-title')), plain, 'nor does the settings button');
    const pill = await box(page.locator('.cc-manage__btn'));
    assert.ok(pill.x < 40 && pill.y + pill.height > 800 - 40 && pill.height < 60, `bottom-left pill: ${JSON.stringify(pill)}`);
  });

  test('desktop: one row of equal buttons, the banner is centred and leaves the page visible', async () => {
    await page.goto(srv.url('/'));
    await settled(page.locator('#cc-banner'));
    const b = await box(page.locator('#cc-banner'));
    assert.ok(b.width <= 60 * 16 + 1, `max-width 60rem (${b.width})`);
    assert.ok(Math.abs(b.x + b.width / 2 - 640) <= 1, 'centred');
    assert.ok(b.y + b.height <= 800 && b.height < 800 * 0.6, `banner ${JSON.stringify(b)}`);
    const ys = await page.locator('#cc-banner .cc-btn').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().top));
    assert.equal(new Set(ys).size, 1, 'one row');
  });

  test('phone (360 x 740): stacked full-width equal buttons, no horizontal scroll, banner fits', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(srv.url('/'));
    const banner = page.locator('#cc-banner');
    await settled(banner);
    const b = await box(banner);
    assert.ok(b.y >= 0 && b.y + b.height <= 740, `banner inside the viewport: ${JSON.stringify(b)}`);
    assert.ok(b.height < 740 - 40, 'never covers the whole viewport');
    const rects = await banner.locator('.cc-btn').evaluateAll((els) => els.map((e) => {
      const r = e.getBoundingClientRect();
      return { x: r.x, y: r.y, w: r.width, h: r.height };
    }));
    assert.equal(new Set(rects.map((r) => r.x)).size, 1, 'stacked');
    assert.equal(new Set(rects.map((r) => r.y)).size, 3, 'stacked');
    assert.equal(new Set(rects.map((r) => `${r.w}x${r.h}`)).size, 1, `equal: ${JSON.stringify(rects)}`);
    assert.ok(rects[0].w > 360 * 0.75, 'full width');
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), 'no horizontal overflow');
    // every button reachable: the banner scrolls inside itself if it must
    await banner.locator('.cc-btn').last().scrollIntoViewIfNeeded();
    assert.ok(await banner.locator('.cc-btn').last().isVisible());
  });

  test('prefers-reduced-motion: no animation', async () => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(srv.url('/'));
    assert.equal(await page.locator('#cc-banner').evaluate((e) => getComputedStyle(e).animationName), 'none');
    await page.emulateMedia({ reducedMotion: 'no-preference' });
    await page.goto(srv.url('/'));
    assert.notEqual(await page.locator('#cc-banner').evaluate((e) => getComputedStyle(e).animationName), 'none');
  });
});

describe('script hygiene', () => {
  test('no script error on any page, and the script itself touches no cookie', async () => {
    for (const p of ['/', APP, '/cookieconsent/settings?return=/', '/cookieconsent/policy']) {
      await page.goto(srv.url(p));
    }
    const src = fs.readFileSync(path.join(REPO, 'assets', 'cookieconsent.js'), 'utf8');
    assert.doesNotMatch(src, /document\s*\.\s*cookie|cookieStore/);
    assert.deepEqual(br.errors, []);
  });

  test('the script does not throw on a page without any of its elements', async () => {
    const errors = [];
    const h = (e) => errors.push(String(e));
    page.on('pageerror', h);
    await page.goto(srv.url('/plain/'));
    await page.addScriptTag({ url: srv.url('/cookieconsent/assets/cookieconsent.js') });
    await page.locator('h1').click();
    page.off('pageerror', h);
    assert.deepEqual(errors, []);
  });
});
