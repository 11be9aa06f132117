// Helpers for the browser tests: Debian's Chromium driven by playwright-core (no browser
// download), headless, with background networking off; screenshots under build/screenshots/;
// and every page's console errors and failed requests collected so a test can assert none.
import { mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const SHOTS = new URL('../../build/screenshots/', import.meta.url).pathname;

export async function launch() {
  const { chromium } = require('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export const PHONE = { viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
export const LAPTOP = { viewport: { width: 1440, height: 900 } };
export const BIG_SCREEN = { viewport: { width: 1920, height: 1080 } };

// A new context and page that records console errors, page errors and requests that left
// the server (there must be none: everything is served by zhizhi).
export async function openPage(browser, base, opts = {}) {
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...opts });
  const page = await context.newPage();
  page.problems = [];
  page.requests = []; // "METHOD path → status (ms)" of every request, for explaining a failure
  const started = new Map();
  page.on('request', (r) => started.set(r, Date.now()));
  page.on('requestfinished', async (r) => {
    const res = await r.response().catch(() => null);
    page.requests.push(`${r.method()} ${r.url().replace(base, '')} → ${res ? res.status() : '?'} (${Date.now() - (started.get(r) || Date.now())} ms)`);
  });
  page.on('requestfailed', (r) => page.requests.push(`${r.method()} ${r.url().replace(base, '')} → FAILED ${r.failure()?.errorText}`));
  page.consoleLog = [];
  page.on('console', (m) => {
    page.consoleLog.push(`${m.type()}: ${m.text()}`);
    if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) page.problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  // Chromium logs every 4xx/5xx as a console error without its URL: name the URL instead.
  page.on('response', (r) => { if (r.status() >= 400) page.problems.push(`HTTP ${r.status()} ${r.request().method()} ${r.url()}`); });
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(base) && !u.startsWith('data:') && !u.startsWith('blob:')) page.problems.push(`outside request: ${u}`);
  });
  return { context, page };
}

export async function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

export async function login(page, base, username, password = 'zhizhi-demo', next = '') {
  await page.goto(`${base}/login/${next ? `?next=${encodeURIComponent(next)}` : ''}`);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('#login-submit')]);
}

// A real JPEG photo stand-in (a street scene sketch), drawn by the browser itself.
export async function makePhoto(browser) {
  const page = await browser.newPage();
  const url = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 640; c.height = 480;
    const g = c.getContext('2d');
    const sky = g.createLinearGradient(0, 0, 0, 480);
    sky.addColorStop(0, '#8ec5ff'); sky.addColorStop(1, '#d7e3ea');
    g.fillStyle = sky; g.fillRect(0, 0, 640, 480);
    g.fillStyle = '#7d7f82'; g.fillRect(0, 300, 640, 180);
    g.fillStyle = '#3b3b3b'; g.beginPath(); g.ellipse(320, 390, 90, 35, 0, 0, 2 * Math.PI); g.fill();
    g.strokeStyle = '#c62828'; g.lineWidth = 6; g.beginPath(); g.moveTo(250, 370); g.lineTo(390, 410); g.stroke();
    return c.toDataURL('image/jpeg', 0.8);
  });
  await page.close();
  return Buffer.from(url.split(',')[1], 'base64');
}

// Wait for a selector; on a timeout, save a screenshot (failed-<name>) and add the page's last
// requests and problems to the error, so that a failure in a loaded run explains itself.
export async function waitOrExplain(page, selector, name, { explain, ...opts } = {}) {
  try {
    return await page.waitForSelector(selector, opts);
  } catch (e) {
    await shot(page, `failed-${name}`).catch(() => {});
    const state = explain ? await page.evaluate(explain).catch((x) => String(x)) : undefined;
    e.message += `\nstate: ${JSON.stringify(state)}\nrequests:\n  ${page.requests.slice(-25).join('\n  ')}`
      + `\nconsole:\n  ${page.consoleLog.slice(-15).join('\n  ')}\nproblems: ${JSON.stringify(page.problems)}`;
    throw e;
  }
}

// The apps are embedded into the binary when it is built, while the tests are read from this
// tree: a binary built before the last change of web/ serves the old pages, and a test of the
// newer behaviour then waits in vain — a 30 s timeout that looks like a flaky race (it was one:
// "grid worker 自处理" waiting for the map picker's data-ready against such a binary). Refuse
// to run against it, naming the files that differ.
export async function assertServesThisTree(base, bin) {
  const web = new URL('../../web/', import.meta.url).pathname;
  const files = readdirSync(web, { recursive: true })
    .filter((f) => !f.split('/').some((part) => part.startsWith('.')) && statSync(join(web, f)).isFile())
    .map((f) => [`/${f.replace(/(^|\/)index\.html$/, '$1')}`, join(web, f)]); // a folder's page is at its "/"
  files.push(['/static/vendor/echarts.min.js', new URL('../../node_modules/echarts/dist/echarts.min.js', import.meta.url).pathname]);
  const stale = [];
  for (const [url, file] of files) {
    const r = await fetch(`${base}${url}`);
    const served = Buffer.from(await r.arrayBuffer());
    if (r.status !== 200 || !served.equals(readFileSync(file))) stale.push(url);
  }
  if (stale.length) {
    throw new Error(`${bin} serves other files than this tree's web/ (${stale.join(', ')}): `
      + 'it was built before the last change; rebuild it (make, or make BUILD=<dir>) and run again');
  }
}
