// Accessibility (axe-core, WCAG 2.0/2.1 A + AA) of the banner, the settings page, the policy page
// and the open settings dialog, in the light and dark schemes, on a desktop and a phone; and the
// screenshots of docs/screenshots/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Apache, SHOTS, axe, formatViolations, choosing, launch, settled } from './harness.mjs';

const VIEWPORTS = { desktop: { width: 1280, height: 800 }, mobile: { width: 360, height: 740 } };
let srv;
let br;
let page;

before(async () => {
  srv = await new Apache().start();
  br = await launch({ reducedMotion: 'reduce' });
  page = br.page;
});

after(async () => {
  if (br) await br.close();
  if (srv) await srv.stop();
});

async function openDialog() {
  await page.goto(srv.url('/'));
  await page.locator('#cc-banner [data-cc-open-settings]').click();
  await page.locator('dialog.cc-dialog[open]').waitFor();
}

const VIEWS = {
  banner: async () => {
    await page.goto(srv.url('/'));
    await page.locator('#cc-banner').waitFor();
  },
  'settings page': async () => {
    await page.goto(srv.url('/cookieconsent/settings?return=/'));
  },
  'policy page': async () => {
    await page.goto(srv.url('/cookieconsent/policy'));
  },
  'settings dialog': openDialog,
  'settings button (after a choice)': async () => {
    await page.goto(srv.url('/'));
    await choosing(page, () => page.locator('#cc-banner .cc-btn[value="reject-all"]').click());
    await page.locator('.cc-manage__btn').waitFor();
  },
  'French banner': async () => {
    await page.goto(srv.url('/?lang=fr'));
    await page.locator('#cc-banner').waitFor();
  },
};

for (const scheme of ['light', 'dark']) {
  for (const [vpName, vp] of Object.entries(VIEWPORTS)) {
    describe(`axe, ${scheme} scheme, ${vpName}`, () => {
      for (const [name, show] of Object.entries(VIEWS)) {
        test(`no WCAG 2.1 A/AA violation: ${name}`, async () => {
          await br.context.clearCookies();
          await page.setViewportSize(vp);
          await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
          await show();
          const v = await axe(page);
          assert.equal(v.length, 0, `${name} (${scheme}, ${vpName}):\n${formatViolations(v)}`);
        });
      }
    });
  }
}

describe('screenshots (docs/screenshots/)', () => {
  const shoot = async (name, vpName, full = false) => {
    fs.mkdirSync(SHOTS, { recursive: true });
    const file = path.join(SHOTS, `${name}-${vpName}.png`);
    await page.screenshot({ path: file, fullPage: full, animations: 'disabled' });
    assert.ok(fs.statSync(file).size > 1000);
  };
  for (const [vpName, vp] of Object.entries(VIEWPORTS)) {
    test(`banner, settings dialog and policy page, ${vpName}`, async () => {
      await br.context.clearCookies();
      await page.setViewportSize(vp);
      await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
      await page.goto(srv.url('/'));
      await settled(page.locator('#cc-banner'));
      await shoot('banner', vpName);
      await openDialog();
      await page.evaluate(() => document.activeElement && document.activeElement.blur());
      await shoot('settings', vpName);
      await page.goto(srv.url('/cookieconsent/policy'));
      await shoot('policy', vpName, true);
    });
  }
});
