// The same decisions with JavaScript disabled: every button works through plain forms (POST to the
// consent endpoint, GET of the settings page).
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { Apache, CONSENT, jar, launch, navigating, optionalIn } from './harness.mjs';

const APP = '/cgi-bin/app.cgi';
let srv;
let br;
let page;

before(async () => {
  srv = await new Apache().start();
  br = await launch({ javaScriptEnabled: false });
  page = br.page;
});

after(async () => {
  if (br) await br.close();
  if (srv) await srv.stop();
});

beforeEach(async () => {
  await br.context.clearCookies();
});

async function consentValue() {
  const c = (await jar(br.context))[CONSENT];
  return c ? c.value : null;
}

describe('without JavaScript', () => {
  test('first visit: banner, no optional cookie', async () => {
    await page.goto(srv.url(APP));
    assert.ok(await page.locator('#cc-banner').isVisible());
    assert.deepEqual(optionalIn(await jar(br.context)), []);
  });

  test('Reject all: back on the page, settings button, optional cookies never arrive', async () => {
    await page.goto(srv.url(APP));
    await navigating(page, () => page.getByRole('button', { name: 'Reject all' }).click());
    assert.equal(new URL(page.url()).pathname, APP);
    assert.equal(await page.locator('#cc-banner').count(), 0);
    assert.ok(await page.locator('.cc-manage__btn').isVisible());
    assert.match(await consentValue(), /\.-\.[A-Za-z0-9_-]{22}$/);
    await page.goto(srv.url(APP));
    assert.deepEqual(optionalIn(await jar(br.context)), []);
  });

  test('Accept all: optional cookies arrive', async () => {
    await page.goto(srv.url(APP));
    await navigating(page, () => page.getByRole('button', { name: 'Accept all' }).click());
    assert.match(await consentValue(), /\.statistical\.[A-Za-z0-9_-]{22}$/);
    await page.goto(srv.url(APP));
    assert.deepEqual(optionalIn(await jar(br.context)), ['_pk_id.1.abcd', '_pk_ses.1.abcd']);
  });

  test('Customise navigates to the settings page, whose form saves the choice and returns', async () => {
    await page.goto(srv.url(APP + '?q=1'));
    await navigating(page, () => page.getByRole('button', { name: 'Customise' }).click());
    const u = new URL(page.url());
    assert.equal(u.pathname, '/cookieconsent/settings');
    assert.equal(u.searchParams.get('return'), APP + '?q=1');
    assert.ok(await page.locator('body.cc-page main.cc-page__main form.cc-settings').isVisible());
    assert.equal(await page.locator('#cc-cat-statistical').isChecked(), false, 'no pre-ticked box');
    assert.ok(await page.locator('#cc-cat-necessary').isChecked());
    assert.ok(await page.locator('#cc-cat-necessary').isDisabled());
    await page.locator('#cc-cat-statistical').check();
    await navigating(page, () => page.getByRole('button', { name: 'Save my choices' }).click());
    assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, APP + '?q=1');
    assert.match(await consentValue(), /\.statistical\.[A-Za-z0-9_-]{22}$/);
    assert.deepEqual(optionalIn(await jar(br.context)), ['_pk_id.1.abcd', '_pk_ses.1.abcd']);
  });

  test('withdraw: Privacy settings -> settings page -> switch off -> Save expires the cookies', async () => {
    await page.goto(srv.url(APP));
    await navigating(page, () => page.getByRole('button', { name: 'Accept all' }).click());
    await page.goto(srv.url(APP));
    assert.equal(optionalIn(await jar(br.context)).length, 2);
    await navigating(page, () => page.locator('.cc-manage__btn').click());
    assert.equal(new URL(page.url()).pathname, '/cookieconsent/settings');
    assert.ok(await page.locator('#cc-cat-statistical').isChecked(), 'reflects the consent');
    await page.locator('#cc-cat-statistical').uncheck();
    await navigating(page, () => page.getByRole('button', { name: 'Save my choices' }).click());
    assert.equal(new URL(page.url()).pathname, APP);
    assert.match(await consentValue(), /\.-\.[A-Za-z0-9_-]{22}$/);
    assert.deepEqual(optionalIn(await jar(br.context)), [], 'the server expired them');
    await page.goto(srv.url(APP));
    assert.deepEqual(optionalIn(await jar(br.context)), []);
  });

  test('withdraw with Reject all on the settings page', async () => {
    await page.goto(srv.url(APP));
    await navigating(page, () => page.getByRole('button', { name: 'Accept all' }).click());
    await navigating(page, () => page.locator('.cc-manage__btn').click());
    await navigating(page, () => page.getByRole('button', { name: 'Reject all' }).click());
    assert.deepEqual(optionalIn(await jar(br.context)), []);
  });

  test('French (?lang=fr): Personnaliser leads to the French settings page', async () => {
    await page.goto(srv.url('/?lang=fr'));
    assert.ok(await page.getByRole('button', { name: 'Tout refuser' }).isVisible());
    await navigating(page, () => page.getByRole('button', { name: 'Personnaliser' }).click());
    assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
    assert.ok(await page.getByRole('button', { name: 'Enregistrer mes choix' }).isVisible());
  });
});
