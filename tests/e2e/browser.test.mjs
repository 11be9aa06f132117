// Browser tests of the apps the binary serves, in Debian's Chromium driven by playwright-core:
// static serving and the QR poster, login and session expiry, the residents' QR report, and the
// closed loop across three screens — a grid worker reports with a photo on a phone, the command
// center sees it live, a duty officer dispatches it, the department handler closes it, the grid
// worker checks it, and the public status page shows the progress. Screenshots of every page go
// to build/screenshots/; the command-center and grid-worker ones are copied to docs/screenshots/
// (see toDocs).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { BIN, api, startServer } from './lib.mjs';
import {
  BIG_SCREEN, LAPTOP, PHONE, assertServesThisTree, launch, login, makePhoto, openPage, shot, waitOrExplain,
} from './browser_lib.mjs';

const DOCS = new URL('../../docs/screenshots/', import.meta.url).pathname;
const PASSWORD = 'zhizhi-demo';
let srv;
let browser;

before(async () => {
  srv = await startServer();
  await assertServesThisTree(srv.base, BIN);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop({ keep: false }); // also the restarted one of the live-stream test
});

// The README's screenshots: written when missing or with UPDATE_SCREENSHOTS=1, so that a test
// run does not leave changed images in the work tree.
function toDocs(path, name) {
  const to = `${DOCS}${name}.png`;
  if (existsSync(to) && process.env.UPDATE_SCREENSHOTS !== '1') return;
  mkdirSync(DOCS, { recursive: true });
  copyFileSync(path, to);
}

async function token(username) {
  const r = await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username, password: PASSWORD } });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

// Wait until the page's app has finished its first load.
const ready = (page) => page.waitForSelector('body[data-ready=true]', { timeout: 30000 });

describe('static apps and the QR poster', () => {
  test('pages come from the binary with ETag revalidation and the CSP', async () => {
    const r = await fetch(`${srv.base}/center/`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/html; charset=utf-8/);
    assert.match(r.headers.get('content-security-policy'), /default-src 'self'/);
    assert.equal(r.headers.get('cache-control'), 'no-cache');
    const etag = r.headers.get('etag');
    // fetch asks for gzip: the gzip coding is its own representation (tests/e2e/cache.test.mjs)
    assert.match(etag, /^"[0-9a-f]{16}-gz"$/);
    assert.match(await r.text(), /指挥中心/);
    const again = await fetch(`${srv.base}/center/`, { headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304);
    const js = await fetch(`${srv.base}/static/js/center.js`);
    assert.match(js.headers.get('content-type'), /^text\/javascript/);
    const ec = await fetch(`${srv.base}/static/vendor/echarts.min.js`);
    assert.equal(ec.status, 200);
    assert.ok((await ec.arrayBuffer()).byteLength > 500000, 'ECharts is embedded');
    const bare = await fetch(`${srv.base}/grid`, { redirect: 'manual' });
    assert.equal(bare.status, 308);
    assert.equal(bare.headers.get('location'), '/grid/');
    const missing = await api(srv.base, '/center/nothing.js');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, 'no_file');
  });

  test('the QR SVG encodes the report URL bound to the grid; only grids and communities', async () => {
    const grids = await api(srv.base, '/api/v1/regions?level=grid&limit=1');
    const code = grids.body.items[0].code;
    const r = await fetch(`${srv.base}/api/v1/regions/${code}/qr.svg`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'image/svg+xml');
    assert.equal(r.headers.get('x-report-url'), `${srv.base}/report/?region=${code}`);
    const svg = await r.text();
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 (\d+) \1"/);
    const district = await api(srv.base, '/api/v1/regions/500103/qr.svg');
    assert.equal(district.status, 400);
    assert.equal(district.body.code, 'not_grid_or_community');
    assert.equal(district.body.field, 'code');
    const unknown = await api(srv.base, '/api/v1/regions/999/qr.svg');
    assert.equal(unknown.status, 404);
  });

  test('the poster page shows the place and the QR image, printable', async () => {
    const grids = await api(srv.base, '/api/v1/regions?level=grid&limit=1');
    const g = grids.body.items[0];
    const { context, page } = await openPage(browser, srv.base, LAPTOP);
    try {
      await page.goto(`${srv.base}/poster/?region=${g.code}`);
      await ready(page);
      await assert.doesNotReject(page.waitForFunction(() => {
        const img = document.querySelector('#sheet-qr');
        return img && img.complete && img.naturalWidth > 0;
      }));
      assert.match(await page.textContent('#sheet-place'), new RegExp(g.name));
      assert.match(await page.textContent('#sheet-url'), new RegExp(`/report/\\?region=${g.code}$`));
      await shot(page, 'poster');
      // Opened at 127.0.0.1, the page warns that residents' phones could not follow the QR code.
      assert.match(await page.textContent('#host-warning'), /本机地址/);
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.isVisible('#pick'), false, 'the picker does not print');
      assert.equal(await page.isVisible('#host-warning'), false, 'the warning does not print');
      assert.deepEqual(page.problems, []);
    } finally {
      await context.close();
    }
  });

  test('the home page links every app', async () => {
    const { context, page } = await openPage(browser, srv.base, LAPTOP);
    try {
      await page.goto(`${srv.base}/`);
      for (const href of ['/center/', '/grid/', '/poster/', '/report/status.html']) {
        assert.equal(await page.locator(`a[href="${href}"]`).count(), 1, href);
      }
      await shot(page, 'home');
      assert.deepEqual(page.problems, []);
    } finally {
      await context.close();
    }
  });
});

describe('login, logout and session expiry', () => {
  test('a wrong password is told; an app without a session goes to login and comes back', async () => {
    const { context, page } = await openPage(browser, srv.base, LAPTOP);
    try {
      await page.goto(`${srv.base}/center/`);
      await page.waitForURL(/\/login\/\?next=%2Fcenter%2F/);
      await page.fill('#username', 'center_yz');
      await page.fill('#password', 'wrong-password');
      await page.click('#login-submit');
      await page.waitForFunction(() => document.querySelector('#login-error').textContent.length > 0);
      assert.match(await page.textContent('#login-error'), /用户名或密码错误/);
      await shot(page, 'login');
      await page.fill('#password', PASSWORD);
      await page.keyboard.press('Enter'); // keyboard only
      await page.waitForURL(`${srv.base}/center/`);
      await ready(page);
      assert.match(await page.textContent('#who'), /渝中区指挥中心值班员/);
      // The session ends on the server side (cookie dropped): the next call sends us to login.
      await context.clearCookies();
      await page.click('#filters button[type=submit]');
      await page.waitForURL(/\/login\/\?next=%2Fcenter%2F&reason=expired/);
      assert.match(await page.textContent('#reason'), /登录已过期/);
      await login(page, srv.base, 'center_yz', PASSWORD);
      await ready(page);
      await page.click('#logout');
      await page.waitForURL(/\/login\/\?reason=logout/);
      assert.match(await page.textContent('#reason'), /已安全退出/);
      const after = await page.evaluate(() => fetch('/api/v1/sessions/current').then((r) => r.status));
      assert.equal(after, 401);
    } finally {
      await context.close();
    }
  });

  test('a grid worker lands on the phone app', async () => {
    const { context, page } = await openPage(browser, srv.base, PHONE);
    try {
      await login(page, srv.base, 'grid_jfb', PASSWORD);
      assert.equal(new URL(page.url()).pathname, '/grid/');
      await ready(page);
    } finally {
      await context.close();
    }
  });
});

describe('residents', () => {
  test('a resident reports from the QR form and follows the public status', async () => {
    const me = await token('grid_jfb');
    const grid = me.user.grid;
    const { context, page } = await openPage(browser, srv.base, PHONE);
    try {
      await page.goto(`${srv.base}/report/?region=${grid}`);
      await page.waitForFunction(() => document.querySelectorAll('#c-group option').length > 1);
      assert.match(await page.textContent('#place'), /网格/);
      await shot(page, 'report-form');
      await page.selectOption('#c-group', { index: 1 }); // the first plain group, its first class preselected
      await page.fill('#c-description', '小区门口路灯不亮已经三天了，晚上很黑');
      await page.fill('#c-contact', '13800138000');
      await page.click('#c-submit');
      await page.waitForSelector('#tracking');
      const tracking = (await page.textContent('#tracking')).trim();
      assert.ok(tracking.length >= 6, tracking);
      await shot(page, 'report-done');
      await page.click('#status-link');
      await page.waitForSelector('#status-state');
      assert.equal((await page.textContent('#status-tracking')).trim(), tracking);
      assert.ok((await page.locator('#status-steps li').count()) >= 1);
      const text = await page.textContent('body');
      assert.ok(!text.includes('13800138000'), 'the status page shows no contact data');
      await shot(page, 'report-status');
      const bad = await openPage(browser, srv.base, PHONE);
      await bad.page.goto(`${srv.base}/report/status.html?t=NO-SUCH-CODE`);
      await bad.page.waitForSelector('#result .error-text');
      assert.match(await bad.page.textContent('#result'), /查无此查询码/);
      await bad.context.close();
      assert.deepEqual(page.problems, []);
    } finally {
      await context.close();
    }
  });
});

describe('the closed loop across the three apps', () => {
  test('report with a photo on a phone → live on the center → dispatch → close → public progress', async () => {
    const me = await token('grid_jfb');
    const grid = (await api(srv.base, `/api/v1/regions/${me.user.grid}`)).body;
    const cats = (await api(srv.base, '/api/v1/categories')).body.items;
    const cat = cats.find((c) => c.department === 'urban' && c.kind !== 'sensor') || cats[0];
    const title = `井盖破损-${Date.now() % 100000}`;

    // The duty officer's big screen, open before anything happens.
    const center = await openPage(browser, srv.base, BIG_SCREEN);
    await login(center.page, srv.base, 'center_jfb', PASSWORD);
    await ready(center.page);
    await center.page.waitForFunction(() => document.querySelector('#live').textContent === '实时');
    await center.page.evaluate(() => { window.__sameDocument = true; });
    await shot(center.page, 'center');

    // The grid worker on a 375 px phone, positioned in their grid.
    const phone = await openPage(browser, srv.base, {
      ...PHONE, geolocation: { longitude: grid.center[0], latitude: grid.center[1] }, permissions: ['geolocation'],
    });
    await login(phone.page, srv.base, 'grid_jfb', PASSWORD);
    await ready(phone.page);
    toDocs(await shot(phone.page, 'grid-list'), 'grid-worker-list');
    await phone.page.click('#tab-report');
    await phone.page.waitForFunction(() => /已定位/.test(document.querySelector('#r-pos').textContent));
    await phone.page.selectOption('#r-category', cat.code);
    await phone.page.fill('#r-title', title);
    await phone.page.fill('#r-description', '人行道井盖破损，行人易绊倒');
    await phone.page.setInputFiles('#r-photo', { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: await makePhoto(browser) });
    await phone.page.waitForSelector('#r-preview img');
    toDocs(await shot(phone.page, 'grid-report'), 'grid-worker-report');
    await phone.page.click('#r-submit');
    const toast = await phone.page.waitForSelector('.toast.ok');
    const code = (await toast.textContent()).match(/编号 (\S+)/)[1];
    assert.ok(code);

    // Live on the command center, without a reload.
    await center.page.waitForSelector(`#feed li[data-code="${code}"]`, { timeout: 20000 });
    assert.equal(await center.page.evaluate(() => window.__sameDocument), true);
    await center.page.waitForSelector(`#events-body tr[data-code="${code}"]`, { timeout: 20000 });
    toDocs(await shot(center.page, 'center-live'), 'command-center');

    // The detail: photo, position and timeline; register then dispatch to the department.
    await center.page.click(`#feed li[data-code="${code}"]`);
    await center.page.waitForSelector('#detail[open] #detail-actions');
    const srcs = await center.page.$$eval('#detail-body .photos img', (imgs) => imgs.map((i) => i.complete && i.naturalWidth > 0 && i.getAttribute('src')));
    assert.equal(new Set(srcs).size, 1, 'the one photo is shown (and loads)');
    assert.ok(srcs[0], 'the photo loads');
    assert.ok(await center.page.isVisible('#detail-map canvas'), 'the position is drawn');
    assert.ok((await center.page.locator('#detail-body .timeline li').count()) >= 1);
    const act = async (p, action, fill) => {
      await p.click(`[data-action="${action}"]`);
      if (fill) await fill();
      await p.click('form.action-form button[type=submit]');
      await p.waitForSelector('.toast.ok').catch(async (e) => {
        const why = await p.locator('form.action-form .error, .toast.error').allInnerTexts().catch(() => []);
        throw new Error(`${action}: ${why.join(' / ') || e.message}\n${p.problems.join('\n')}`);
      });
      await p.evaluate(() => document.querySelectorAll('.toast').forEach((t) => t.remove()));
    };
    const ev = async () => (await api(srv.base, `/api/v1/events/${code}`, { token: me.token })).body;
    if ((await ev()).state === 'reported') await act(center.page, 'register');
    await center.page.waitForSelector('[data-action="dispatch"]');
    // Only what the role may do: a center never signs for or handles a task.
    assert.equal(await center.page.locator('[data-action="sign"], [data-action="feedback"]').count(), 0);
    await act(center.page, 'dispatch', async () => {
      // the department comes preselected from the routing table (井盖 → 城管局)
      assert.equal(await center.page.inputValue('#act-dispatch-department'), 'urban');
      const note = center.page.locator('form.action-form textarea').first();
      if (await note.count()) await note.fill('请区城市管理局处置');
    });
    assert.equal((await ev()).state, 'dispatched');
    await shot(center.page, 'center-detail');
    toDocs(`${new URL('../../build/screenshots/', import.meta.url).pathname}center-detail.png`, 'command-center-detail');

    // The department handler signs and reports it handled, with a result.
    const dept = await openPage(browser, srv.base, LAPTOP);
    await login(dept.page, srv.base, 'dept_urban', PASSWORD, `/center/?event=${code}`);
    await ready(dept.page);
    await act(dept.page, 'sign');
    await act(dept.page, 'feedback', async () => {
      await dept.page.fill('form.action-form [data-field="result"]', '已更换井盖');
      const pics = dept.page.locator('form.action-form input[type=file]');
      if (await pics.count()) await pics.setInputFiles({ name: 'after.jpg', mimeType: 'image/jpeg', buffer: await makePhoto(browser) });
    });
    assert.equal((await ev()).state, 'feedback');
    await shot(dept.page, 'center-handler');

    // The center sends it for checking; the grid worker checks on site and closes it.
    await center.page.click('#detail-close');
    await center.page.goto(`${srv.base}/center/?event=${code}`);
    await ready(center.page);
    await act(center.page, 'send_check');
    await phone.page.goto(`${srv.base}/grid/?event=${code}`);
    await ready(phone.page);
    await phone.page.waitForSelector('#view-event:not([hidden]) [data-action="check_pass"]', { timeout: 8000 })
      .catch(async (e) => { await shot(phone.page, 'failed-grid-event'); throw e; });
    toDocs(await shot(phone.page, 'grid-event'), 'grid-worker-event');
    await act(phone.page, 'check_pass');
    const closed = await ev();
    assert.equal(closed.state, 'closed');

    // The public status page: progress, and no handler names or internal notes.
    const pub = await openPage(browser, srv.base, PHONE);
    await pub.page.goto(`${srv.base}/report/status.html?t=${encodeURIComponent(closed.tracking)}`);
    await pub.page.waitForSelector('#status-state');
    assert.ok((await pub.page.locator('#status-steps li').count()) >= 3);
    const text = await pub.page.textContent('body');
    for (const secret of ['dept_urban', '区城市管理局办理人', 'grid_jfb', '解放碑网格员', '请区城市管理局处置']) {
      assert.ok(!text.includes(secret), `public page leaks ${secret}`);
    }
    await shot(pub.page, 'status-closed');

    for (const p of [center.page, phone.page, dept.page, pub.page]) assert.deepEqual(p.problems, []);
    for (const c of [center, phone, dept, pub]) await c.context.close();
  });
});

describe('grid worker 自处理', () => {
  test('without geolocation the position is picked on the map; a minor event is closed on the spot with its photo', async () => {
    const me = await token('grid_jfb');
    const cat = (await api(srv.base, '/api/v1/categories')).body.items.find((c) => c.self_handle);
    assert.ok(cat, 'a category allows 自处理');
    const phone = await openPage(browser, srv.base, PHONE); // geolocation not permitted
    try {
      await login(phone.page, srv.base, 'grid_jfb', PASSWORD);
      await ready(phone.page);
      await phone.page.click('#tab-report');
      await waitOrExplain(phone.page, '#pick-map[data-ready=true] canvas', 'pick-map', { explain: () => {
        const m = document.querySelector('#pick-map');
        const c = m.querySelector('canvas');
        return { url: location.href, ready: m.dataset.ready, size: [m.clientWidth, m.clientHeight],
          canvas: c && [c.width, c.height], echarts: !!window.echarts, reportHidden: m.closest('section').hidden,
          pos: document.querySelector('#r-pos').textContent, status: m.dataset.status };
      } });
      await phone.page.locator('#pick-map canvas').first().click(); // the middle of the community map
      await phone.page.waitForFunction(() => /地图点选/.test(document.querySelector('#r-pos').textContent));
      await phone.page.selectOption('#r-category', cat.code);
      assert.equal(await phone.page.isVisible('#r-self'), true, 'the 自处理 box shows for a minor class');
      await phone.page.fill('#r-description', '共享单车倒伏，已扶正');
      await phone.page.check('#r-self');
      await phone.page.click('#r-submit');
      assert.match(await phone.page.textContent('#r-error'), /照片/, 'no 自处理 without a photo');
      await phone.page.setInputFiles('#r-photo', { name: 'after.jpg', mimeType: 'image/jpeg', buffer: await makePhoto(browser) });
      await phone.page.click('#r-submit');
      const toast = await phone.page.waitForSelector('.toast');
      assert.match(await toast.getAttribute('class'), /ok/, await toast.textContent());
      const code = (await toast.textContent()).match(/编号 (\S+)/)[1];
      const e = (await api(srv.base, `/api/v1/events/${code}`, { token: me.token })).body;
      assert.equal(e.state, 'closed');
      const h = (await api(srv.base, `/api/v1/events/${code}/history`, { token: me.token })).body.items;
      assert.ok(h.some((x) => x.action === 'self_handle' && x.attachments.length === 1));
      assert.deepEqual(phone.page.problems, []);
    } finally {
      await phone.context.close();
    }
  });
});

describe('the map picker', () => {
  test('a failed map load says so and offers 重试; after the list and a turned phone it still fills its box', async () => {
    const phone = await openPage(browser, srv.base, PHONE);
    try {
      let fail = true;
      await phone.page.route('**/api/v1/regions/*.geojson*', (r) => (fail
        ? r.fulfill({ status: 503, contentType: 'application/problem+json', body: JSON.stringify({ status: 503, code: 'unavailable', detail: '服务暂不可用' }) })
        : r.continue()));
      await login(phone.page, srv.base, 'grid_jfb', PASSWORD);
      await ready(phone.page);
      await phone.page.click('#tab-report');
      await phone.page.waitForSelector('#pick-map[data-status=error]');
      assert.match(await phone.page.textContent('#pick-status'), /地图加载失败/);
      fail = false;
      await phone.page.click('#pick-status button'); // 重试
      await waitOrExplain(phone.page, '#pick-map[data-ready=true] canvas', 'pick-map-retry');
      assert.equal(await phone.page.isVisible('#pick-status'), false);
      // Away to the list, the phone turned to landscape, back: the map is drawn at its new size.
      await phone.page.click('#tab-list');
      await phone.page.setViewportSize({ width: 812, height: 375 });
      await phone.page.click('#tab-report');
      await phone.page.waitForFunction(() => {
        const m = document.querySelector('#pick-map');
        const c = m.querySelector('canvas');
        return c && Math.abs(c.getBoundingClientRect().width - m.clientWidth) <= 1 && m.clientWidth > 400;
      });
      const problems = phone.page.problems.filter((p) => !/^HTTP 503 GET .*\.geojson$/.test(p));
      assert.deepEqual(problems, []);
    } finally {
      await phone.context.close();
    }
  });
});

// The page needs no horizontal scrolling, and the element the keyboard reaches shows a focus ring.
async function assertFits(page, what) {
  const { sw, cw } = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth }));
  assert.ok(sw <= cw, `${what}: ${sw} px wide in a ${cw} px window (horizontal scrolling)`);
}
async function assertFocusVisible(page, what, { tabs = 10, until } = {}) {
  let seen = 0;
  for (let i = 0; i < tabs; i++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(() => {
      const a = document.activeElement;
      if (!a || a === document.body) return null;
      const cs = getComputedStyle(a);
      return { tag: a.tagName, id: a.id, outline: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2,
        shadow: cs.boxShadow !== 'none', row: a.tagName === 'TR' };
    });
    if (!f) continue;
    seen++;
    assert.ok(f.outline || f.shadow, `${what}: no visible focus on ${f.tag}#${f.id}`);
    if (until && f[until]) return;
  }
  assert.ok(seen > 0 && !until, `${what}: the keyboard reached ${seen} elements${until ? `, none a ${until}` : ''}`);
}

describe('every page on a phone and on the big screen', () => {
  test('375 px and 1920×1080 without horizontal scrolling; keyboard focus is visible', async () => {
    const grid = (await api(srv.base, '/api/v1/regions?level=grid&limit=1')).body.items[0].code;
    const pages = [
      ['home', null, '/', 'a[href="/center/"]'],
      ['login', null, '/login/', '#login-submit'],
      ['poster', null, `/poster/?region=${grid}`, 'body[data-ready=true]'],
      ['report', null, `/report/?region=${grid}`, '#c-group option:nth-child(2)'],
      ['status', null, '/report/status.html', 'body'],
      ['center', 'center_yz', '/center/', 'body[data-ready=true]'],
      ['grid', 'grid_jfb', '/grid/', 'body[data-ready=true]'],
    ];
    for (const [size, opts] of [['375', PHONE], ['1920', BIG_SCREEN]]) {
      for (const [name, user, path, sel] of pages) {
        const what = `${name} at ${size}`;
        const { context, page } = await openPage(browser, srv.base, opts);
        try {
          if (user) await login(page, srv.base, user, PASSWORD, path);
          else await page.goto(`${srv.base}${path}`);
          await page.waitForSelector(sel, { state: 'attached' });
          await assertFits(page, what);
          await assertFocusVisible(page, what, name === 'center' ? { tabs: 40, until: 'row' } : {});
          if (name === 'grid') {
            await page.click('#tab-report');
            await page.waitForSelector('#pick-map[data-ready=true] canvas');
            await assertFits(page, `${what}, report`);
          }
          if (name === 'center') {
            await page.keyboard.press('Enter'); // the focused row opens its detail
            await page.waitForSelector('#detail[open] #detail-actions');
            await assertFits(page, `${what}, detail`);
            // Closed with the keyboard, its map hidden, the window resized: nothing breaks.
            await page.keyboard.press('Escape');
            await page.waitForSelector('#detail:not([open])', { state: 'attached' });
            await page.setViewportSize({ width: 1024, height: 700 });
            await page.setViewportSize(opts.viewport);
            // Resize observers run before the next frames are drawn.
            await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
            await assertFits(page, `${what}, resized`);
          }
          if (size === '375') await shot(page, `fit-375-${name}`);
          assert.deepEqual(page.problems, [], what);
        } finally {
          await context.close();
        }
      }
    }
  });
});

describe('the command center when things fail', () => {
  test('a KPI the role may not see says 无权限 (no permission, or a 403), and the rest of the screen works', async () => {
    // An event in the volunteer's grid, for the list to show.
    const me = await token('grid_jfb');
    const grid = (await api(srv.base, `/api/v1/regions/${me.user.grid}`)).body;
    const cat = (await api(srv.base, '/api/v1/categories')).body.items.find((c) => c.kind !== 'sensor');
    const made = await api(srv.base, '/api/v1/events', { method: 'POST', token: me.token, body: {
      channel: 'grid_patrol', category: cat.code, title: '志愿者可见的事件', lon: grid.center[0], lat: grid.center[1],
    } });
    assert.equal(made.status, 201, made.text);
    const code = (made.body.event || made.body).code;
    const { context, page } = await openPage(browser, srv.base, BIG_SCREEN);
    try {
      // A volunteer may read events but not indicators; the AQI API answers 403 as if the
      // role had lost monitor.read since login.
      await page.route('**/api/v1/monitor/aqi/hourly', (r) => r.fulfill({
        status: 403, contentType: 'application/problem+json',
        body: JSON.stringify({ type: 'about:blank', title: 'Forbidden', status: 403, code: 'forbidden', detail: '无权执行此操作' }),
      }));
      await login(page, srv.base, 'volunteer_jfb', PASSWORD, '/center/');
      await ready(page);
      for (const id of ['#kpi-close-rate', '#kpi-ontime-rate', '#kpi-aqi']) {
        assert.equal((await page.textContent(id)).trim(), '无权限', id);
      }
      assert.match(await page.textContent('#kpi-today'), /^\d+$/);
      await page.waitForSelector(`#events-body tr[data-code="${code}"]`); // the event list still works
      assert.ok(await page.isVisible('#map canvas'), 'the map still shows');
      assert.equal(await page.locator('.toast.error').count(), 0, 'no error message');
      await shot(page, 'center-no-permission');
      const calls = page.problems.filter((p) => !/^HTTP 403 GET .*\/api\/v1\/monitor\/aqi\/hourly$/.test(p));
      assert.deepEqual(calls, [], 'no call the role may not make');
    } finally {
      await context.close();
    }
  });

  test('the live stream drops: 连接中断，正在重连; back, it reconnects by itself and shows new events', async () => {
    const me = await token('grid_jfb');
    const grid = (await api(srv.base, `/api/v1/regions/${me.user.grid}`)).body;
    const cat = (await api(srv.base, '/api/v1/categories')).body.items.find((c) => c.kind !== 'sensor');
    const { context, page } = await openPage(browser, srv.base, LAPTOP);
    try {
      await login(page, srv.base, 'center_yz', PASSWORD, '/center/');
      await ready(page);
      await page.waitForSelector('#live[data-state=open]');
      await page.evaluate(() => { window.__sameDocument = true; });
      // The server goes away (as in a restart) and comes back on the same address and data.
      const { dataDir } = srv;
      const port = new URL(srv.base).port;
      await srv.stop({ keep: true });
      await page.waitForSelector('#live[data-state=broken]');
      assert.equal((await page.textContent('#live')).trim(), '连接中断，正在重连');
      await shot(page, 'center-stream-broken');
      srv = await startServer(['--listen', `127.0.0.1:${port}`], { dataDir });
      await page.waitForSelector('#live[data-state=open]', { timeout: 30000 });
      const r = await api(srv.base, '/api/v1/events', { method: 'POST', token: me.token, body: {
        channel: 'grid_patrol', category: cat.code, title: `重连后上报-${Date.now() % 100000}`,
        lon: grid.center[0], lat: grid.center[1],
      } });
      assert.equal(r.status, 201, r.text);
      const code = (r.body.event || r.body).code;
      await page.waitForSelector(`#feed li[data-code="${code}"]`);
      assert.equal(await page.evaluate(() => window.__sameDocument), true, 'no reload');
      assert.deepEqual(page.problems.filter((p) => p.startsWith('pageerror')), []);
    } finally {
      await context.close();
    }
  });
});
