// Helpers for the browser tests: Debian's Chromium driven by playwright-core (no browser
// download), headless, with background networking off; screenshots under build/screenshots/;
// and every page's console errors and failed requests collected so a test can assert none.
import { mkdirSync } from 'node:fs';
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
  page.on('console', (m) => { if (m.type() === 'error') page.problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
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

// A small valid JPEG (a photo stand-in): 16×16 grey, made once.
export const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/yQALCAAQABABAREA/8wABgAQEAX/2gAIAQEAAD8A0s8g/9k=',
  'base64');
