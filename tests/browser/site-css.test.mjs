// The site's CSS must not reach the banner (issue 7, item 13). A login page modelled on WordPress's
// wp-login.php, whose stylesheets restyle form, label, input, button, p, ul, li, a, table, th, td,
// h1, h2, div, ... with element and class+element selectors (the rules are this test's own, in the
// spirit of wp-login.css): one sheet in <head>, before the module's, and one at the end of <body>,
// after it, so that ties of specificity go to the site. The banner, the settings dialog and the
// settings button must look exactly as on the same page without those sheets.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { Apache, box, choosing, launch, settled } from './harness.mjs';

// The WordPress-like sheet: element rules, and .login + element rules of ordinary specificity.
const LOGIN_CSS = `
html, body { height: 100%; margin: 0; padding: 0; }
body { background: #f0f0f1; color: #3c434a; font: 13px/1.4 Tahoma, sans-serif; letter-spacing: .02em;
  word-spacing: 3px; text-indent: 12px; text-shadow: 0 1px 0 #fff; }
#login { width: 320px; padding: 3% 0 0; margin: auto; }
.login h1 { text-align: center; margin: 0 0 25px; }
/* the login box's own elements, by id as in wp-login.css (these do not reach the banner) */
#login h1 { font-size: 20px; margin: 0 0 16px; }
#login p, #login .user-pass-wrap { margin: 0 0 8px; padding: 0; line-height: 1.5; }
#login label { padding: 0; }
#login input[type=text], #login input[type=password] { font-size: 16px; min-height: 32px; margin-bottom: 8px; }
#login button { float: none; height: 40px; margin: 8px 0 0; font-size: 14px; line-height: 34px; }
form { margin: 30px 0; padding: 40px; border: 8px solid #c3c4c7; display: flex; flex-direction: column; }
.login form { margin-top: 20px; margin-left: 0; padding: 26px 24px 34px; font-weight: 400; overflow: hidden;
  background: #fff; border: 1px solid #c3c4c7; box-shadow: 0 1px 3px rgba(0, 0, 0, .04); }
label { display: block; padding: 10px 0; font-size: 20px; }
.login label { font-size: 14px; line-height: 1.5; display: inline-block; margin-bottom: 3px; }
p { margin: 0 0 24px; padding: 12px 0; line-height: 2; }
.login form p { margin-bottom: 6px; }
input { box-sizing: content-box; margin: 0 6px 16px 0; font-size: 24px; }
input[type=text], input[type=password] { width: 100%; padding: 3px 5px; min-height: 40px; border: 1px solid #8c8f94; }
input[type=checkbox] { -webkit-appearance: none; appearance: none; width: 30px; height: 30px; padding: 4px;
  border: 4px solid #8c8f94; border-radius: 4px; background: #fff; vertical-align: -8px; }
input[type=checkbox]:checked::before { content: "\\2713"; display: block; position: static; width: 30px;
  height: 30px; margin: -4px 0 0 -4px; font-size: 28px; background: none; transform: none; }
input[type=checkbox]:focus { outline: 2px solid transparent; box-shadow: 0 0 0 2px #2271b1; }
button { display: block; float: right; width: 100%; height: 80px; margin: 20px 0; padding: 0 30px;
  font: 700 24px/80px Tahoma, sans-serif; text-transform: uppercase; color: #fff; background: #2271b1;
  border: 3px solid #135e96; border-radius: 3px; box-shadow: 0 4px 0 #135e96; }
button:hover, button:focus { transform: translateY(-2px); }
ul { margin: 20px 0; padding: 20px 40px; list-style: square; border: 2px dashed #999; }
li { margin: 12px 0; padding: 6px 0; font-size: 18px; line-height: 2; }
a { color: #2271b1; font-size: 18px; padding: 4px; display: inline-block; }
table { width: 100%; margin: 30px 0; border: 4px double #000; border-spacing: 10px; }
th, td { padding: 20px; border: 2px solid #000; font-size: 20px; text-align: center; }
h1, h2 { font-size: 40px; margin: 40px 0; }
div { padding: 3px; }
.login div { margin: 8px 0; }
section { padding: 30px; margin: 20px; border: 1px solid; }
strong { font-size: 22px; text-decoration: underline; }
code { font-size: 20px; }
/* what does reach the banner: its custom properties (README) */
body .cc-root { --cc-accent: #0a5; }
`;

// A plugin's sheet printed at the end of the body (after the module's): the same kind of rules.
const PLUGIN_CSS = `
.login form p { padding: 10px 0 20px; }
.login button { min-width: 200px; letter-spacing: 2px; }
.login ul li { list-style: none; }
`;

function loginPage(hostile) {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Log In</title>
${hostile ? '<link rel="stylesheet" href="/login/login.css">' : ''}
</head>
<body class="login">
<div id="login">
<h1><a href="/">Example</a></h1>
<form name="loginform" id="loginform" action="/login/" method="post">
<p><label for="user_login">Username or Email Address</label>
<input type="text" name="log" id="user_login" class="input" size="20" autocomplete="username"></p>
<div class="user-pass-wrap"><label for="user_pass">Password</label>
<input type="password" name="pwd" id="user_pass" class="input" size="20" autocomplete="current-password"></div>
<p class="forgetmenot"><input name="rememberme" type="checkbox" id="rememberme" value="forever">
<label for="rememberme">Remember Me</label></p>
<p class="submit"><button type="submit" id="wp-submit" class="button button-primary">Log In</button></p>
</form>
<p id="nav"><a href="/login/?action=lostpassword">Lost your password?</a></p>
</div>
${hostile ? '<link rel="stylesheet" href="/login/plugin.css">' : ''}
</body>
</html>
`;
}

let srv;
let br;
let page;

before(async () => {
  srv = await new Apache().start();
  srv.addFile('login/index.html', loginPage(true));
  srv.addFile('login/login.css', LOGIN_CSS);
  srv.addFile('login/plugin.css', PLUGIN_CSS);
  srv.addFile('login-plain/index.html', loginPage(false));
  br = await launch({ reducedMotion: 'reduce', viewport: { width: 1280, height: 720 } });
  page = br.page;
});

after(async () => {
  if (br) await br.close();
  if (srv) await srv.stop();
});

beforeEach(async () => {
  await br.context.clearCookies();
  await page.setViewportSize({ width: 1280, height: 720 });
  br.errors.length = 0;
});

const intersects = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

// Boxes (x, y, width, height) of every element under `root`, keyed by a path of tag.class:index.
async function boxesUnder(selector) {
  const loc = page.locator(selector);
  await settled(loc);
  return loc.evaluate((root) => {
    const out = {};
    const walk = (el, key) => {
      const r = el.getBoundingClientRect();
      out[key] = [r.x, r.y, r.width, r.height];
      let i = 0;
      for (const c of el.children) walk(c, `${key} > ${c.tagName.toLowerCase()}${c.className ? '.' + String(c.className).split(' ')[0] : ''}:${i++}`);
    };
    walk(root, 'root');
    return out;
  });
}

function assertSameBoxes(got, want, what) {
  assert.deepEqual(Object.keys(got), Object.keys(want), `${what}: same elements`);
  const bad = [];
  for (const k of Object.keys(want)) {
    if (got[k].some((v, i) => Math.abs(v - want[k][i]) > 1)) bad.push(`${k}: ${got[k].map(Math.round)} instead of ${want[k].map(Math.round)}`);
  }
  assert.deepEqual(bad, [], `${what}: boxes differ from the page without the site's CSS\n${bad.join('\n')}`);
}

describe('a site stylesheet in the style of wp-login.css', () => {
  test('1280 x 720: the banner does not cover the page\'s "Log In" button', async () => {
    await page.goto(srv.url('/login/'));
    const banner = page.locator('#cc-banner');
    await settled(banner);
    const login = await box(page.locator('#wp-submit'));
    const b = await box(banner);
    assert.ok(!intersects(b, login), `banner ${JSON.stringify(b)} covers Log In ${JSON.stringify(login)}`);
    assert.equal(await page.evaluate(() => {
      const r = document.querySelector('#wp-submit').getBoundingClientRect();
      return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2).id;
    }), 'wp-submit', 'Log In is clickable');
  });

  for (const vp of [{ width: 1280, height: 720 }, { width: 360, height: 640 }]) {
    test(`${vp.width} x ${vp.height}: every element of the banner has the size and place it has without the site's CSS`, async () => {
      await page.setViewportSize(vp);
      await page.goto(srv.url('/login-plain/'));
      const want = await boxesUnder('#cc-banner');
      await page.goto(srv.url('/login/'));
      const got = await boxesUnder('#cc-banner');
      assertSameBoxes(got, want, 'banner');
    });
  }

  test('the banner\'s form and buttons keep their own look (no border, shadow, float, transform); the custom properties still theme it', async () => {
    await page.goto(srv.url('/login/'));
    const btn = page.locator('#cc-banner .cc-btn').first();
    await btn.hover();
    const s = await page.evaluate(() => {
      const f = getComputedStyle(document.querySelector('#cc-banner form'));
      const b = getComputedStyle(document.querySelector('#cc-banner .cc-btn'));
      const ul = getComputedStyle(document.querySelector('#cc-banner ul'));
      return {
        form: [f.borderTopWidth, f.boxShadow, f.backgroundColor, f.overflow, f.display].join(' '),
        button: [b.cssFloat, b.transform, b.textTransform, b.letterSpacing, b.textShadow].join(' '),
        ul: [ul.listStyleType, ul.borderTopStyle].join(' '),
      };
    });
    assert.deepEqual(s, {
      form: '0px none rgba(0, 0, 0, 0) visible flex',
      button: 'none none none normal none',
      ul: 'none none',               // the category titles side by side, without bullets
    });
    // the site's body .cc-root { --cc-accent: #0a5 } does reach it (README)
    assert.equal(await btn.evaluate((e) => getComputedStyle(e).backgroundColor), 'rgb(0, 170, 85)');
  });

  test('the settings dialog: switches, labels and cookie tables as without the site\'s CSS', async () => {
    const open = async (p) => {
      await page.goto(srv.url(p));
      await page.locator('#cc-banner [data-cc-open-settings]').click();
      await page.locator('dialog.cc-dialog[open]').waitFor();
      // a checked switch too (the site styles input[type=checkbox]:checked::before)
      await page.locator('#cc-cat-statistical').check();
      await page.evaluate(() => document.activeElement.blur());
      return boxesUnder('dialog.cc-dialog form');
    };
    const want = await open('/login-plain/');
    const knob = await page.evaluate(() => {
      const s = getComputedStyle(document.querySelector('#cc-cat-statistical'), '::before');
      return [s.content, s.width, s.height, s.transform].join(' ');
    });
    const got = await open('/login/');
    assertSameBoxes(got, want, 'settings dialog');
    assert.equal(await page.evaluate(() => {
      const s = getComputedStyle(document.querySelector('#cc-cat-statistical'), '::before');
      return [s.content, s.width, s.height, s.transform].join(' ');
    }), knob, 'the knob of a checked switch');
    // the site's input[type=checkbox]:focus { outline: 2px solid transparent } must not hide focus
    await page.locator('#cc-cat-statistical').focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('Space');
    const ring = await page.evaluate(() => {
      const e = document.activeElement;
      const s = getComputedStyle(e);
      return [e.id, e.matches(':focus-visible'), s.outlineStyle, s.outlineWidth, s.outlineColor !== 'rgba(0, 0, 0, 0)'].join(' ');
    });
    assert.equal(ring, 'cc-cat-statistical true solid 3px true', 'a visible focus ring on the switch');
  });

  test('the settings button after a choice: same size and place', async () => {
    const pill = async (p) => {
      await page.goto(srv.url(p));
      if (await page.locator('#cc-banner').count()) {
        await choosing(page, () => page.locator('#cc-banner .cc-btn[value="reject-all"]').click());
      }
      return boxesUnder('.cc-manage');
    };
    const want = await pill('/login-plain/');
    const got = await pill('/login/');
    assertSameBoxes(got, want, 'settings button');
    assert.deepEqual(br.errors, []);
  });
});
