// Stored XSS (issue 11 #1), in Debian's Chromium: markup is written through the API into every
// text field a user can write — event titles, descriptions, addresses and reporter names (staff
// and public reports), remarks and action comments, display names, region, department, post,
// team-member and monitoring-station names — and every app is opened on it: the command center
// (list, detail, and the map's tooltips shown for each event and grid), the grid worker's list
// and detail, the resident's report and status pages, the QR poster. No element of the payload
// may appear in any DOM, and the payload must be visible as text where the field is shown (so the
// test sees the field at all).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, api, startServer, tmpDir } from './lib.mjs';
import { BIG_SCREEN, PHONE, assertServesThisTree, launch, login, openPage } from './browser_lib.mjs';

const ADMIN_PW = 'admin-xss-password';
// A fake login overlay, an image that would load, a meta refresh: the probe's payloads.
const MARK = '<b class="xp" style="position:fixed;inset:0">请重新登录</b><img class=xp src=/x.png><meta class=xp http-equiv=refresh content="9;url=about:blank">';
const SHORT = '<b class=xp>X</b><i class=xp>';
// For fields of at most 80 characters (titles, addresses).
const MID = '<b class="xp">请重新登录</b><meta class=xp http-equiv=refresh content=9>';
let srv;
let browser;
const tok = {};
let grid;
let street;
let tracking;
let staffCode;
let publicCode;

const call = (user, path, method, body) => api(srv.base, path, { method, body, token: tok[user] });
async function ok(user, path, method, body) {
  const r = await call(user, path, method, body);
  assert.ok(r.status >= 200 && r.status < 300, `${method} ${path}: ${r.status} ${r.text}`);
  return r.body;
}

before(async () => {
  const pw = join(tmpDir('zhizhi-pw-'), 'admin.pw');
  writeFileSync(pw, ADMIN_PW + '\n');
  srv = await startServer(['--admin-password-file', pw]);
  await assertServesThisTree(srv.base, BIN);
  for (const [u, p] of [['admin', ADMIN_PW], ['center_jfb'], ['grid_jfb']]) {
    const r = await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username: u, password: p || 'zhizhi-demo' } });
    assert.equal(r.status, 201, r.text);
    tok[u] = r.body.token;
  }
  const me = await ok('admin', '/api/v1/users/grid_jfb', 'GET');
  grid = me.grid;
  street = grid.slice(0, 9);
  // names: regions (the worker's grid and its street), display names, a department, a post,
  // a team member, a monitoring station
  await ok('admin', `/api/v1/regions/${grid}`, 'PATCH', { name: `网格${SHORT}` });
  await ok('admin', `/api/v1/regions/${street}`, 'PATCH', { name: `街道${SHORT}` });
  await ok('admin', '/api/v1/users/grid_jfb', 'PATCH', { display_name: `网格员${SHORT}` });
  await ok('admin', '/api/v1/users/center_jfb', 'PATCH', { display_name: `值班员${SHORT}` });
  await ok('admin', '/api/v1/departments/urban', 'PATCH', { name: `城管${SHORT}` });
  await ok('admin', `/api/v1/grids/${grid}/team`, 'POST', { name: `队员${SHORT}`, team_role: '志愿者' });
  const r = await ok('admin', '/api/v1/regions/' + grid, 'GET');
  const [w, s, e, n] = r.bbox;
  const lon = (w + e) / 2;
  const lat = (s + n) / 2;
  const st = await call('admin', '/api/v1/stations', 'POST', { code: 'XSS-1', name: `站点${SHORT}`, kind: 'noise', zone: '2', lon, lat });
  assert.ok([201, 409].includes(st.status), st.text);
  // a staff report and a public one, with a remark and an action comment
  const a = await ok('grid_jfb', '/api/v1/events', 'POST',
    { category: '1101', title: `标题${MID}`, description: `描述${MARK}`, address: `地址${MID}`, lon, lat });
  staffCode = a.code;
  await ok('grid_jfb', `/api/v1/events/${staffCode}/notes`, 'POST', { comment: `备注${MARK}` });
  const p = await api(srv.base, '/api/v1/public/reports', {
    method: 'POST',
    body: { grid, category: '9102', title: `群众${SHORT}`, description: `群众描述${MARK}`, address: `群众地址${MID}`, name: "<b class=xp>张</b>", phone: '13812345678' },
  });
  assert.equal(p.status, 201, p.text);
  tracking = p.body.tracking;
  const l = await ok('center_jfb', `/api/v1/events?channel=citizen_qr&limit=50`, 'GET');
  publicCode = l.items.find((x) => x.tracking === tracking).code;
  await ok('center_jfb', `/api/v1/events/${publicCode}/actions/accept`, 'POST', { comment: `受理${MARK}` });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

// No element of the payload in the page (all frames' documents), and no navigation away.
async function assertInert(page, where) {
  const found = await page.evaluate(() => [...document.querySelectorAll('.xp, meta[http-equiv], img[src="/x.png"]')]
    .map((n) => n.outerHTML.slice(0, 80)));
  assert.deepEqual(found, [], `${where}: markup from user text became elements`);
  assert.ok(!page.url().startsWith('about:'), `${where}: the page was sent away`);
  assert.deepEqual(page.problems.filter((p) => /x\.png/.test(p)), [], `${where}: the payload's image was requested`);
}
const shows = async (page, text, where) => {
  const body = await page.evaluate(() => document.body.innerText);
  assert.ok(body.includes(text), `${where}: expected to show ${text} as text`);
};

test('the command center shows markup from every field as text, tooltips included', async () => {
  const { context, page } = await openPage(browser, srv.base, BIG_SCREEN);
  try {
    await login(page, srv.base, 'center_jfb', 'zhizhi-demo', '/center/');
    await page.waitForSelector('body[data-ready=true]', { timeout: 30000 });
    await page.waitForFunction((c) => document.querySelector('#events-body')?.innerText.includes('标题'), staffCode, { timeout: 15000 });
    await assertInert(page, 'center list');
    await shows(page, '标题<b class="xp"', 'center list');
    // every tooltip of the map: each event marker and each grid
    const tips = await page.evaluate(async () => {
      const c = window.echarts.getInstanceByDom(document.getElementById('map'));
      const opt = c.getOption();
      const markers = opt.series[1].data.length;
      const html = [];
      let elems = 0;
      for (let i = 0; i < markers; i++) {
        c.dispatchAction({ type: 'showTip', seriesIndex: 1, dataIndex: i });
        await new Promise((r) => setTimeout(r, 20));
        html.push(document.querySelector('#map')?.innerText || '');
        elems += document.querySelectorAll('.xp, meta[http-equiv]').length;
      }
      for (let i = 0; i < Math.min(opt.series[0].data.length, 400); i++) {
        c.dispatchAction({ type: 'showTip', seriesIndex: 0, dataIndex: i });
        if (i % 50 === 0) await new Promise((r) => setTimeout(r, 10));
      }
      c.dispatchAction({ type: 'showTip', geoIndex: 0, name: opt.series[0].data[0]?.name });
      return { markers, elems, seen: html.filter((t) => t.includes('<b class="xp"')).length };
    });
    assert.ok(tips.markers > 0, 'the map has event markers');
    assert.equal(tips.elems, 0, 'a marker tooltip turned a title into elements');
    assert.ok(tips.seen > 0, 'a marker tooltip showed the title as text');
    await assertInert(page, 'center map tooltips');
    for (const code of [staffCode, publicCode]) {
      await page.click(`#events-body tr:has-text("${code}")`);
      await page.waitForFunction((c) => document.querySelector('#detail')?.open && document.querySelector('#detail-body').innerText.includes(c), code, { timeout: 15000 });
      await page.waitForTimeout(300);
      await assertInert(page, `center detail ${code}`);
      await page.keyboard.press('Escape');
    }
    await shows(page, '值班员<b class=xp>', 'center header');
  } finally {
    await context.close();
  }
});

test('the grid worker sees markup as text in the list, the detail and the grid name', async () => {
  const { context, page } = await openPage(browser, srv.base, PHONE);
  try {
    await login(page, srv.base, 'grid_jfb', 'zhizhi-demo', `/grid/?event=${staffCode}`);
    await page.waitForSelector('body[data-ready=true]', { timeout: 30000 });
    await page.waitForTimeout(500);
    await assertInert(page, 'grid detail');
    await shows(page, '描述<b class="xp"', 'grid detail');
    await page.goto(`${srv.base}/grid/`);
    await page.waitForSelector('body[data-ready=true]', { timeout: 30000 });
    await page.waitForTimeout(500);
    await assertInert(page, 'grid list');
  } finally {
    await context.close();
  }
});

test('the resident pages and the poster show markup as text', async () => {
  const { context, page } = await openPage(browser, srv.base, PHONE);
  try {
    for (const path of [`/report/?region=${grid}`, `/report/status.html?t=${encodeURIComponent(tracking)}`,
`/poster/?region=${grid}`, '/login/']) {
      await page.goto(`${srv.base}${path}`);
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(300);
      await assertInert(page, path);
    }
  } finally {
    await context.close();
  }
});
