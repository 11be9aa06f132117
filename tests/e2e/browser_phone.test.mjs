// Issue 10 on the phones, in Debian's Chromium: the grid worker's 待我处理 and 本网格 lists (the
// server's order, paging and whose step it is; every list button clicked), the residents' form
// from the server's description (groups, 其他, the emergency notice that files nothing, photos,
// a server refusal shown under the field it names), the status page with the reporter's rating,
// and the poster's ?region= preselecting its pickers. Each test reserves its own fresh events.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { BIN, api, startServer } from './lib.mjs';
import { PHONE, assertServesThisTree, launch, login, makePhoto, openPage, shot } from './browser_lib.mjs';

let srv;
let browser;
let photo;
const tok = {};
let grid;
let center;
const ready = (page) => page.waitForSelector('body[data-ready=true]', { timeout: 30000 });
const INTERNAL = /\b(reported|verifying|registered|dispatched|handling|feedback|checking|citizen_qr|grid_patrol)\b/;

before(async () => {
  srv = await startServer();
  await assertServesThisTree(srv.base, BIN);
  for (const u of ['center_jfb', 'grid_jfb', 'dept_urban']) {
    const r = await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username: u, password: 'zhizhi-demo' } });
    assert.equal(r.status, 201, r.text);
    tok[u] = r.body.token;
  }
  grid = (await api(srv.base, '/api/v1/sessions/current', { token: tok.grid_jfb })).body.user.grid;
  center = (await api(srv.base, `/api/v1/regions/${grid}`)).body.center;
  browser = await launch();
  photo = await makePhoto(browser);
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

async function act(user, code, name, body = {}) {
  const r = await api(srv.base, `/api/v1/events/${code}/actions/${name}`, { method: 'POST', token: tok[user], body });
  assert.equal(r.status, 200, `${name}: ${r.text}`);
}
async function report(title) {
  const r = await api(srv.base, '/api/v1/events', { method: 'POST', token: tok.center_jfb,
    body: { category: '1101', title, lon: center[0], lat: center[1] } });
  assert.equal(r.status, 201, r.text);
  return r.body.code;
}

test('grid worker: 待我处理 holds my own steps with my countdown; 本网格 says whose step the others are', async () => {
  const mine = await report('待我核实（浏览器）');
  await act('center_jfb', mine, 'accept'); // verifying: the grid worker's step
  const theirs = await report('等待中心受理（浏览器）'); // reported: the center's step
  const { context, page } = await openPage(browser, srv.base, PHONE);
  try {
    await login(page, srv.base, 'grid_jfb', 'zhizhi-demo', '/grid/');
    await ready(page);
    assert.equal(await page.getAttribute('#list-mine', 'aria-pressed'), 'true');
    const card = page.locator(`#my-events .ev-card[data-code="${mine}"]`);
    await card.waitFor({ timeout: 10000 });
    assert.equal(await card.getAttribute('data-mine'), 'true');
    assert.match(await card.innerText(), /我的期限/);
    assert.equal(await page.locator(`#my-events .ev-card[data-code="${theirs}"]`).count(), 0);
    for (const c of await page.locator('#my-events .ev-card').all()) assert.equal(await c.getAttribute('data-mine'), 'true');
    await shot(page, 'grid-mine');

    // 本网格: the server's order (特急 first), the filter, paging.
    await page.click('#list-grid');
    await page.waitForFunction(() => document.querySelector('#list-grid').getAttribute('aria-pressed') === 'true');
    assert.equal(await page.isVisible('#list-filter'), true);
    await page.selectOption('#list-filter', '');
    await page.waitForSelector('#my-events .ev-card');
    const before = await page.locator('#my-events .ev-card').count();
    if (await page.isVisible('#list-more')) {
      await page.click('#list-more');
      await page.waitForFunction((n) => document.querySelectorAll('#my-events .ev-card').length > n, before);
    }
    await page.selectOption('#list-filter', 'open');
    await page.waitForSelector(`#my-events .ev-card[data-code="${theirs}"]`, { timeout: 10000 }).catch(async () => {
      // not on the first page of 30: page on until it shows
      while (await page.isVisible('#list-more') && !(await page.locator(`#my-events .ev-card[data-code="${theirs}"]`).count())) {
        const n = await page.locator('#my-events .ev-card').count();
        await page.click('#list-more');
        await page.waitForFunction((k) => document.querySelectorAll('#my-events .ev-card').length > k, n);
      }
    });
    const other = page.locator(`#my-events .ev-card[data-code="${theirs}"]`);
    assert.equal(await other.getAttribute('data-mine'), 'false');
    assert.match(await other.innerText(), /等待指挥中心处理/);
    assert.doesNotMatch(await other.innerText(), /我的期限/);
    const text = await page.evaluate(() => document.body.innerText);
    assert.doesNotMatch(text, INTERNAL);

    // Back to 待我处理, open my step: the detail offers 核实 and shows my deadline.
    await page.click('#list-mine');
    await card.waitFor();
    await card.click();
    await page.waitForSelector('#view-event:not([hidden]) [data-action="verify"]');
    assert.match(await page.textContent('#ev-body'), /我的期限/);
    await page.click('#ev-back');
    await page.click('#tab-report');
    await page.waitForSelector('#view-report:not([hidden])');
    await page.click('#tab-list');
    await page.waitForSelector('#view-list:not([hidden])');
    assert.deepEqual(page.problems, []);
    await page.click('#logout');
    await page.waitForURL(/\/login\//);
  } finally {
    await context.close();
  }
});

test('resident: groups from the server, the emergency notice files nothing, photos, errors under the field the server names', async () => {
  const { context, page } = await openPage(browser, srv.base, PHONE);
  try {
    await page.goto(`${srv.base}/report/?region=${grid}`);
    await ready(page);
    const form = (await api(srv.base, '/api/v1/public/report-form')).body;
    // the emergency box lists 119 / 110 / 120 as tel: links
    const tels = await page.locator('#em-list a.tel').evaluateAll((a) => a.map((x) => x.getAttribute('href')));
    for (const p of ['tel:119', 'tel:110', 'tel:120']) assert.ok(tels.includes(p), p);
    const options = await page.locator('#c-group option').evaluateAll((o) => o.map((x) => x.value).filter(Boolean));
    assert.equal(options.length, form.groups.length + 1 + form.emergencies.length);
    // Every emergency: the notice with its number, nothing to fill, nothing to submit.
    for (const e of form.emergencies) {
      await page.selectOption('#c-group', 'e:' + e.key);
      assert.equal(await page.isVisible('#c-emergency'), true);
      assert.match(await page.textContent('#c-emergency'), new RegExp(e.phone));
      assert.equal(await page.getAttribute('#c-emergency a.tel', 'href'), `tel:${e.phone}`);
      assert.equal(await page.isVisible('#c-submit'), false);
      assert.equal(await page.isVisible('#c-description'), false);
    }
    await shot(page, 'report-emergency');
    // Every plain group: its classes, the first preselected; 其他 has none to pick.
    for (const g of form.groups) {
      await page.selectOption('#c-group', 'g:' + g.key);
      assert.equal(await page.isVisible('#c-submit'), true);
      if (g.categories.length > 1) assert.equal(await page.inputValue('#c-category'), g.categories[0].code);
    }
    await page.selectOption('#c-group', 'other');
    assert.equal(await page.isVisible('#c-category-box'), false);
    // Empty description: the message sits under the description.
    await page.click('#c-submit');
    await page.waitForSelector('.field-error[data-for="description"]');
    // A refusal by the server is shown under the field it names (address: at most 80 characters).
    await page.fill('#c-description', '楼道里堆满杂物，堵住了消防通道');
    await page.evaluate(() => document.querySelector('#c-address').removeAttribute('maxlength'));
    await page.fill('#c-address', '长'.repeat(120));
    await page.click('#c-submit');
    await page.waitForSelector('.field-error[data-for="address"]', { timeout: 10000 });
    assert.equal(await page.getAttribute('#c-address', 'aria-invalid'), 'true');
    await page.fill('#c-address', '3 栋 2 单元');
    await page.selectOption('#c-group', 'g:garbage');
    await page.setInputFiles('#c-photo', { name: 'p.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.waitForSelector('#c-preview img');
    await page.click('#c-submit');
    await page.waitForSelector('#tracking', { timeout: 15000 });
    const tracking = (await page.textContent('#tracking')).trim();
    const code = (await api(srv.base, `/api/v1/events?q=${encodeURIComponent('堵住了消防通道')}`, { token: tok.center_jfb })).body.items[0].code;
    const ev = (await api(srv.base, `/api/v1/events/${code}/history`, { token: tok.center_jfb })).body.items;
    assert.ok(ev.some((h) => h.action === 'report' && h.attachments.length === 1), 'the photo came with the report');
    const e = (await api(srv.base, `/api/v1/events/${code}`, { token: tok.center_jfb })).body;
    assert.equal(e.category, form.groups.find((g) => g.key === 'garbage').categories[0].code);

    // The status page: state and unit; closed, it asks for the rating and takes it.
    await page.click('#status-link');
    await page.waitForSelector('#status-state');
    assert.equal(await page.locator('#rate').count(), 0);
    for (const [u, a, body] of [['center_jfb', 'accept'], ['grid_jfb', 'verify'], ['center_jfb', 'dispatch'], ['dept_urban', 'sign']]) await act(u, code, a, body);
    const fb = (await api(srv.base, `/api/v1/events/${code}`, { token: tok.dept_urban })).body.actions.find((a) => a.name === 'feedback');
    const fbody = { result: '已清理' };
    if (fb.fields.some((f) => f.name === 'attachments' && f.required)) {
      const up = await fetch(srv.base + '/api/v1/attachments', { method: 'POST', body: photo, headers: { Authorization: `Bearer ${tok.dept_urban}`, 'Content-Type': 'image/jpeg' } });
      fbody.attachments = [(await up.json()).sha256];
    }
    await act('dept_urban', code, 'feedback', fbody);
    await act('center_jfb', code, 'send_check');
    await act('grid_jfb', code, 'check_pass');
    await page.reload();
    await page.waitForSelector('#rate');
    await shot(page, 'status-rate');
    await page.click('#rate-submit');
    assert.match(await page.textContent('#rate-error'), /请选择/);
    await page.check('#rate input[value="satisfied"]');
    await page.fill('#rate-comment', '处理及时');
    await page.click('#rate-submit');
    await page.waitForSelector('#status-rated');
    assert.match(await page.textContent('#status-rated'), /满意/);
    const pub = (await api(srv.base, `/api/v1/public/reports/${tracking}`)).body;
    assert.equal(pub.satisfaction, 'satisfied');
    assert.doesNotMatch(await page.evaluate(() => document.body.innerText), INTERNAL);
    // the address error was the server's (400), everything else succeeded
    assert.deepEqual(page.problems.filter((p) => !/^HTTP 400 POST .*\/public\/reports$/.test(p)), []);
  } finally {
    await context.close();
  }
});

test('the poster: ?region= preselects street, community and grid', async () => {
  const { context, page } = await openPage(browser, srv.base, PHONE);
  try {
    await page.goto(`${srv.base}/poster/?region=${grid}`);
    await ready(page);
    assert.equal(await page.inputValue('#p-street'), grid.slice(0, 9));
    assert.equal(await page.inputValue('#p-community'), grid.slice(0, 12));
    assert.equal(await page.inputValue('#p-grid'), grid);
    assert.match(await page.textContent('#sheet-url'), new RegExp(`region=${grid}`));
    assert.deepEqual(page.problems, []);
  } finally {
    await context.close();
  }
});
