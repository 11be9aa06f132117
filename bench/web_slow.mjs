// A phone on a slow network (issue 13, item 6): how long the resident's report page, the grid
// worker's page and the command center take to become usable in Debian's Chromium under the
// "slow 4G" profile (1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip, Chromium's network
// emulation), cold (empty cache) and on a second visit, beside the same page unthrottled in the
// same run — the floor set by this machine and this server. "Usable" is the page's own
// body[data-ready=true] (set once its first data is drawn); the command center also reports its
// first contentful paint. Bytes are what crossed the wire (transfer sizes, compressed).
// Prints a table and writes $OUT/web-slow.txt. Bounded: every wait has a timeout. Never fails
// on time. Usage: node bench/web_slow.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { api, startServer } from '../tests/e2e/lib.mjs';
import { BIG_SCREEN, PHONE, launch } from '../tests/e2e/browser_lib.mjs';

const OUT = process.env.OUT || 'build/bench';
const SLOW = { offline: false, latency: 150, downloadThroughput: (1.6e6 / 8) * 0.9, uploadThroughput: (750e3 / 8) * 0.9 };
const ROUNDS = Number(process.env.BENCH_WEB_ROUNDS || 3);

const srv = await startServer();
const browser = await launch();
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

async function sessionCookie(username) {
  const r = await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username, password: 'zhizhi-demo' } });
  if (r.status !== 201) throw new Error(`login ${username}: ${r.text}`);
  const set = [r.headers.get('set-cookie') || ''].join(';');
  const m = set.match(/([A-Za-z_][\w-]*)=([^;]+)/);
  return m ? { name: m[1], value: m[2], url: srv.base } : null;
}

// One visit: a fresh context (cold) or a second navigation in the same context (warm).
async function measure(path, device, cookieUser, throttle) {
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...device });
  if (cookieUser) {
    const c = await sessionCookie(cookieUser);
    if (c) await context.addCookies([c]);
  }
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  if (throttle) await cdp.send('Network.emulateNetworkConditions', SLOW);
  let bytes = 0;
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
  const visit = async () => {
    bytes = 0;
    const t0 = Date.now();
    await page.goto(srv.base + path, { waitUntil: 'commit', timeout: 60000 });
    await page.waitForSelector('body[data-ready=true]', { timeout: 60000 });
    const ready = Date.now() - t0;
    const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null);
    return { ready, fcp, bytes };
  };
  const cold = await visit();
  await page.evaluate(() => { document.body.dataset.ready = ''; });
  const warm = await visit();
  await context.close();
  return { cold, warm };
}

const pages = [
  { name: '居民扫码上报 /report/', path: '/report/', device: PHONE, user: null, target: 3000 },
  { name: '网格员 /grid/', path: '/grid/', device: PHONE, user: 'grid_jfb', target: 3000 },
  { name: '指挥中心 /center/', path: '/center/', device: BIG_SCREEN, user: 'center_jfb', target: 2000, fcp: true },
];
const lines = [];
const say = (s) => { console.log(s); lines.push(s); };
say(`slow 4G: ${SLOW.latency} ms RTT, ${(SLOW.downloadThroughput * 8 / 1e6).toFixed(2)} Mbit/s down (1.6 × 0.9 as Chromium's preset); medians of ${ROUNDS} rounds`);
say('| page | slow, cold: usable (first paint) | slow, second visit | bytes cold / second | unthrottled, cold | target |');
say('| --- | --- | --- | --- | --- | --- |');
for (const p of pages) {
  const slow = [], fast = [];
  for (let i = 0; i < ROUNDS; i++) {
    slow.push(await measure(p.path, p.device, p.user, true));
    fast.push(await measure(p.path, p.device, p.user, false));
  }
  const m = (xs, f) => median(xs.map(f));
  const fcp = p.fcp ? ` (${Math.round(m(slow, (r) => r.cold.fcp ?? 0))} ms)` : '';
  say(`| ${p.name} | ${m(slow, (r) => r.cold.ready)} ms${fcp} | ${m(slow, (r) => r.warm.ready)} ms | ${m(slow, (r) => r.cold.bytes)} / ${m(slow, (r) => r.warm.bytes)} | ${m(fast, (r) => r.cold.ready)} ms | ≤ ${p.target} ms${p.fcp ? ' first paint' : ''} |`);
}
await browser.close();
await srv.stop();
mkdirSync(OUT, { recursive: true });
writeFileSync(`${OUT}/web-slow.txt`, lines.join('\n') + '\n');
