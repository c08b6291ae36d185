// Harness of the mod_cookieconsent browser tests: a private Apache started from a generated config
// (the approach of tests/integration/harness/), a small site (a static page with a real layout
// and a CGI page that sets a necessary and two optional cookies) and headless Chromium through
// playwright-core.
//
// Run as root from anywhere: tests/browser/run.sh. The module is taken from $CC_MODULE or
// <repo>/.libs/mod_cookieconsent.so. CC_KEEP=1 keeps the generated server root (it is printed).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(HERE, '..', '..');
export const SHOTS = path.join(REPO, 'docs', 'screenshots');
export const AXE = path.join(HERE, 'node_modules', 'axe-core', 'axe.min.js');
const APACHE = '/usr/sbin/apache2';
const CHROMIUM = process.env.CC_CHROMIUM || '/usr/bin/chromium';
// scripts/server-conf.sh renders the server's frame (conf/dev/server.conf.in); MODULES are its
// short names (mpm_event: mod_mpm_event.so)
const SERVER_CONF = path.join(REPO, 'scripts', 'server-conf.sh');
const MODULES = ['mpm_event', 'authz_core', 'mime', 'dir', 'alias', 'headers', 'env', 'filter', 'cgid'];

export const OPTIONAL = /^_pk_(id|ses)/;
export const CONSENT = 'cookieconsent';

export const DECLS = `\
CookieConsent On
CookieConsentLanguages en fr
<CookieConsentCategory necessary>
    Required On
    Title en "Necessary cookies"
    Title fr "Cookies nécessaires"
    Description en "Needed for the site to work: your session, form security and your cookie choice."
    Description fr "Indispensables au fonctionnement du site : session, sécurité des formulaires et choix en matière de cookies."
</CookieConsentCategory>
<CookieConsentCategory statistical>
    Title en "Statistical cookies"
    Title fr "Cookies statistiques"
    Description en "Count visits and traffic sources so we can measure and improve the site."
    Description fr "Comptent les visites et les sources de trafic pour mesurer et améliorer le site."
</CookieConsentCategory>
<CookieConsentCookie "Session">
    Category necessary
    Names csrftoken sessionid
    Retention session
    Purpose en "Keeps your session and protects forms against cross-site request forgery."
    Purpose fr "Maintient votre session et protège les formulaires contre la falsification de requêtes."
</CookieConsentCookie>
<CookieConsentCookie "Piwik">
    Category statistical
    Names _pk_id* _pk_ses*
    Retention 13mo
    Purpose en "Anonymous audience measurement (Piwik / Matomo)."
    Purpose fr "Mesure d'audience anonyme (Piwik / Matomo)."
</CookieConsentCookie>
`;

// A page with a real layout: the module injects its snippet right after <body>.
function sitePage(title, body) {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>
  body { margin: 0; font: 17px/1.6 Georgia, "Times New Roman", serif; color: #222; background: #fafaf7; }
  header { background: #243b53; color: #fff; padding: 1rem 1.5rem; }
  header a { color: #fff; margin-right: 1rem; }
  main { max-width: 42rem; margin: 0 auto; padding: 1.5rem; }
  h1 { font-size: 2rem; margin: 0 0 1rem; }
  footer { border-top: 1px solid #ccc; margin-top: 2rem; padding: 1rem 1.5rem 5rem; color: #555; }
  button { background: hotpink; border-radius: 0; font-size: 30px; }  /* the site's CSS must not leak in */
  p { margin: 0 0 1rem; }
</style>
</head>
<body>
<header><nav aria-label="Main"><a href="/">Home</a><a href="/cgi-bin/app.cgi">Application</a></nav></header>
<main>
<h1 id="page-title">${title}</h1>
${body}
</main>
<footer><p>Example Ltd, 1 Sample Street. <a href="/cookieconsent/policy">Cookie policy</a> ·
<a id="site-settings" href="/cookieconsent/settings?return=/" data-cc-open-settings>Cookie settings</a></p></footer>
</body>
</html>
`;
}

const LOREM = `<p>Welcome to the example site. This page is served by a private Apache with
mod_cookieconsent, which decides on the server which cookies may be stored.</p>
<p>Read our <a href="/cgi-bin/app.cgi">application page</a>, which sets a session cookie and two
audience-measurement cookies.</p>
<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut
labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris
nisi ut aliquip ex ea commodo consequat.</p>
<p>Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla
pariatur. Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt.</p>
<p>Sed ut perspiciatis unde omnis iste natus error sit voluptatem accusantium doloremque
laudantium, totam rem aperiam, eaque ipsa quae ab illo inventore veritatis et quasi architecto.</p>`;

const APP_CGI = `#!/bin/sh
printf 'Content-Type: text/html; charset=utf-8\\r\\n'
printf 'Set-Cookie: csrftoken=tok123; Path=/; SameSite=Lax\\r\\n'
printf 'Set-Cookie: _pk_id.1.abcd=visitor.1764380000; Path=/; Max-Age=3600; SameSite=Lax\\r\\n'
printf 'Set-Cookie: _pk_ses.1.abcd=1; Path=/; Max-Age=1800; SameSite=Lax\\r\\n'
printf '\\r\\n'
cat <<'HTML'
${sitePage('Application', LOREM)}HTML
`;

function buildSite(site) {
  const files = {
    'htdocs/index.html': sitePage('Example site', LOREM),
    'htdocs/plain/index.html': sitePage('Example site', LOREM),
    'cgi-bin/app.cgi': APP_CGI,
  };
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(site, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true, mode: 0o755 });
    fs.writeFileSync(p, text);
    fs.chmodSync(p, rel.endsWith('.cgi') ? 0o755 : 0o644);
  }
  for (const d of [site, path.join(site, 'htdocs'), path.join(site, 'htdocs', 'plain'), path.join(site, 'cgi-bin')]) {
    fs.chmodSync(d, 0o755);
  }
}

export function modulePath() {
  return path.resolve(process.env.CC_MODULE || path.join(REPO, '.libs', 'mod_cookieconsent.so'));
}

function buildConf(root, port, site, modpath, decls) {
  const body = `Timeout 20
ScriptAlias /cgi-bin/ "${site}/cgi-bin/"
<Directory "${site}/cgi-bin">
    Require all granted
</Directory>

${decls}
# the same page without the module's snippet, to measure that the banner takes no room
<Location /plain>
    CookieConsent Off
</Location>
`;
  const keys = {
    GENERATOR: 'tests/browser/harness.mjs',
    ROOT: root,
    LISTEN: `127.0.0.1:${port}`,
    SERVERNAME: `127.0.0.1:${port}`,
    LOGLEVEL: 'notice cookieconsent:trace2',
    MODULES: [...MODULES, `cookieconsent=${modpath}`].join(' '),
    PROCESSES: 'StartServers 1\nServerLimit 2\nThreadsPerChild 16\nMaxRequestWorkers 32',
    KEEPALIVE: 'On',
    ACCESSLOG: '"%r %>s"',
    DOCROOT: `${site}/htdocs`,
  };
  const args = [SERVER_CONF, 'BODY@-', ...Object.entries(keys).map(([k, v]) => `${k}=${v}`)];
  const p = spawnSync('bash', args, { input: body, encoding: 'utf8', timeout: 60000 });
  if (p.status !== 0) throw new Error(`scripts/server-conf.sh failed (rc=${p.status}): ${p.stderr}`);
  return p.stdout;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function portOpen(port) {
  return new Promise((resolve) => {
    const c = net.connect({ host: '127.0.0.1', port }, () => { c.destroy(); resolve(true); });
    c.on('error', () => resolve(false));
    c.setTimeout(500, () => { c.destroy(); resolve(false); });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function alive(pid) {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

export class Apache {
  constructor({ decls = DECLS } = {}) {
    this.decls = decls;
    this.work = fs.mkdtempSync(path.join(os.tmpdir(), 'ccbr-'));
    fs.chmodSync(this.work, 0o755);
    this.root = path.join(this.work, 'srv');
    this.site = path.join(this.work, 'site');
    for (const d of [this.root, path.join(this.root, 'logs'), path.join(this.root, 'run')]) {
      fs.mkdirSync(d, { recursive: true, mode: 0o755 });
      fs.chmodSync(d, 0o755);
    }
    buildSite(this.site);
    this.confPath = path.join(this.root, 'httpd.conf');
    this.errorLogPath = path.join(this.root, 'logs', 'error.log');
    this.pid = null;
  }

  async start() {
    const mod = modulePath();
    if (!fs.existsSync(mod)) throw new Error(`module not built: ${mod} does not exist`);
    this.port = await freePort();
    this.base = `http://127.0.0.1:${this.port}`;
    fs.writeFileSync(this.confPath, buildConf(this.root, this.port, this.site, mod, this.decls));
    const p = spawnSync(APACHE, ['-f', this.confPath, '-k', 'start'], { encoding: 'utf8', timeout: 60000 });
    if (p.status !== 0) {
      throw new Error(`apache failed to start (rc=${p.status})\n${p.stderr}\n${this.errorLog()}`);
    }
    const pidFile = path.join(this.root, 'run', 'httpd.pid');
    const end = Date.now() + 20000;
    while (Date.now() < end) {
      if (fs.existsSync(pidFile) && await portOpen(this.port)) {
        this.pid = parseInt(fs.readFileSync(pidFile, 'utf8'), 10);
        return this;
      }
      await sleep(50);
    }
    throw new Error(`apache did not open port ${this.port}\n${this.errorLog()}`);
  }

  async stop() {
    if (!this.pid) return;
    const pid = this.pid;
    this.pid = null;
    spawnSync(APACHE, ['-f', this.confPath, '-k', 'stop'], { encoding: 'utf8', timeout: 60000 });
    const end = Date.now() + 15000;
    while (Date.now() < end && alive(pid)) await sleep(50);
    if (alive(pid)) {
      try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ }
    }
    if (process.env.CC_KEEP) {
      process.stderr.write(`kept ${this.work}\n`);
    } else {
      fs.rmSync(this.work, { recursive: true, force: true });
    }
  }

  url(p) { return this.base + p; }

  // Add a page (or stylesheet) of the tests' own to the docroot: htdocs/<rel>, readable by www-data.
  addFile(rel, text) {
    const file = path.join(this.site, 'htdocs', rel);
    const dirs = [];
    for (let d = path.dirname(file); !fs.existsSync(d); d = path.dirname(d)) dirs.unshift(d);
    for (const d of dirs) {
      fs.mkdirSync(d);
      fs.chmodSync(d, 0o755);
    }
    fs.writeFileSync(file, text);
    fs.chmodSync(file, 0o644);
  }

  errorLog() {
    try { return fs.readFileSync(this.errorLogPath, 'utf8'); } catch { return ''; }
  }

  crashes() {
    return this.errorLog().split('\n').filter((l) => /exit signal|Segmentation fault/.test(l));
  }
}

export const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// One persistent Chromium context (its own profile directory); `opts` are Playwright context
// options (javaScriptEnabled, viewport, colorScheme, reducedMotion, ...).
export async function launch(opts = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccbr-profile-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: LAUNCH_ARGS,
    viewport: { width: 1280, height: 800 },
    ...opts,
  });
  const page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(10000);
  page.setDefaultNavigationTimeout(15000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    const where = (m.location() && m.location().url) || '';
    if (m.type() === 'error' && !/\/favicon\.ico$/.test(where)) errors.push(`console: ${m.text()} (${where})`);
  });
  // every Set-Cookie the browser received, to prove that some never arrived
  const setCookies = [];
  page.on('response', async (r) => {
    try {
      for (const h of await r.headersArray()) {
        if (h.name.toLowerCase() === 'set-cookie') setCookies.push({ url: r.url(), value: h.value });
      }
    } catch { /* response gone */ }
  });
  return {
    context, page, errors, setCookies,
    async close() {
      await context.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

// The cookie jar as {name: cookie}.
export async function jar(context) {
  const out = {};
  for (const c of await context.cookies()) out[c.name] = c;
  return out;
}

export function optionalIn(j) {
  return Object.keys(j).filter((n) => OPTIONAL.test(n)).sort();
}

// Click (or press) something that navigates, and wait until the new document has loaded. Works
// when the URL does not change (POST -> 303 back to the same page) and without JavaScript.
export async function navigating(page, action) {
  const nav = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: 15000 });
  await action();
  await nav;
  await page.waitForLoadState('load');
}

// Click (or press) a choice that the script records without leaving the page (Accept all, Reject
// all, a Save that withdraws nothing: posted with fetch), and wait until the settings button has
// taken the banner's place and the settings dialog, if open, has closed. Throws if the page was
// loaded again.
export async function choosing(page, action) {
  await page.evaluate(() => { window.__ccSameDocument = true; });
  const dialog = await page.locator('dialog.cc-dialog[open]').count();
  await action();
  await page.locator('#cc-banner').waitFor({ state: 'detached' });
  await page.locator('.cc-manage__btn').waitFor();
  if (dialog) await page.locator('dialog.cc-dialog').waitFor({ state: 'detached' });
  if (!(await page.evaluate(() => window.__ccSameDocument === true))) {
    throw new Error('the choice loaded the page again');
  }
}

// Wait until the element's CSS animations are over (bounding boxes include transforms).
export async function settled(locator) {
  await locator.evaluate((e) => Promise.all(e.getAnimations({ subtree: true }).map((a) => a.finished)));
}

export async function box(locator) {
  const b = await locator.boundingBox();
  if (!b) throw new Error('element not rendered: ' + locator);
  return b;
}

// Run axe-core with the WCAG 2.0/2.1 A and AA rules; returns the violations, summarised.
export async function axe(page, context = null) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.addScriptTag({ path: AXE });
  }
  const res = await page.evaluate(async (ctx) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(ctx || document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    }));
  }, context);
  return res;
}

export function formatViolations(v) {
  return v.map((x) => `${x.id} (${x.impact}): ${x.help}\n` +
    x.nodes.map((n) => `    ${n.target}: ${String(n.summary).replace(/\n/g, ' | ')}`).join('\n')).join('\n');
}
