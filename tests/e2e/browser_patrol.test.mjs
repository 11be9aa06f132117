// The patroller's task in Chromium (issue 21): a volunteer of a grid on the Yangtze bank opens
// the 巡河 phone page, starts a patrol, walks the bank (Chromium's geolocation moved along the
// segment with context.setGeolocation, so watchPosition records the track), notes a problem at
// the current position and stops; the page shows the coverage and the event the problem became,
// the event sits in the grid where it was noted, and the segment's week counts as patrolled. A
// patrol stopped without signal waits in the page's outbox and goes up when the network returns;
// the points go up in batches while walking. A patrol walked with another app is imported as GPX.
// The command center shows the river layer and the compliance panel; the checklist page renders.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { BIN, api, startServer } from './lib.mjs';
import { LAPTOP, PHONE, assertServesThisTree, launch, login, openPage, shot, waitOrExplain } from './browser_lib.mjs';

let srv;
let browser;
const tok = {};
const ctx = {};

async function token(username, password = 'zhizhi-demo') {
  const r = await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username, password } });
  assert.equal(r.status, 201, r.text);
  return r.body.token;
}

before(async () => {
  srv = await startServer(['--pwhash-cost', 'min']);
  await assertServesThisTree(srv.base, BIN);
  browser = await launch();
  const m = srv.log().match(/first administrator: admin, password: (\S+)/);
  tok.admin = await token('admin', m[1]);
  tok.center = await token('center_yz');
  const seg = await api(srv.base, '/api/v1/patrol/segments/CJ-YZ', { token: tok.center });
  ctx.line = seg.body.segment.geometry.coordinates;
  ctx.grid = seg.body.grids[Math.floor(seg.body.grids.length / 2)];
  const u = await api(srv.base, '/api/v1/users', {
    method: 'POST', token: tok.admin,
    body: { username: 'vol_browser', display_name: '护河志愿者', role: 'volunteer', grid: ctx.grid, password: 'river-volunteer-2' },
  });
  assert.equal(u.status, 201, u.text);
  const g = await api(srv.base, `/api/v1/regions/${ctx.grid}`);
  ctx.inside = g.body.center; // a point on land inside the volunteer's grid, near the bank
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

// Points every ~100 m along the bank line (the segment's own vertices, densified).
function walkPoints(line) {
  const out = [];
  for (let i = 1; i < line.length; i++) {
    const [a, b] = [line[i - 1], line[i]];
    const n = Math.max(1, Math.ceil(Math.hypot((b[0] - a[0]) * 97000, (b[1] - a[1]) * 111000) / 100));
    for (let k = 0; k < n; k++) out.push([a[0] + (b[0] - a[0]) * k / n, a[1] + (b[1] - a[1]) * k / n]);
  }
  out.push(line[line.length - 1]);
  return out;
}

async function moveTo(context, page, [lon, lat], want) {
  await context.setGeolocation({ longitude: lon, latitude: lat, accuracy: 8 });
  await page.waitForFunction((n) => Number(document.querySelector('#run-points').textContent) >= n, want, { timeout: 10000 });
}

test('a volunteer walks the bank, notes a problem and stops: coverage, the event in the grid, the week counted', async () => {
  const { context, page } = await openPage(browser, srv.base, { ...PHONE, permissions: ['geolocation'], geolocation: { longitude: ctx.line[0][0], latitude: ctx.line[0][1] } });
  await login(page, srv.base, 'vol_browser', 'river-volunteer-2', '/grid/patrol.html');
  await waitOrExplain(page, 'body[data-ready="true"]', 'patrol-phone-ready');
  const before_ = (await api(srv.base, '/api/v1/patrol/segments/CJ-YZ', { token: tok.center })).body;
  assert.equal(await page.locator('#segment option').count(), (await api(srv.base, '/api/v1/patrol/segments', { token: await token('vol_browser', 'river-volunteer-2') })).body.items.length);
  await page.selectOption('#segment', 'CJ-YZ');
  await shot(page, 'patrol-phone-start');
  await page.click('#start');
  await waitOrExplain(page, '#view-run:not([hidden])', 'patrol-run');
  const pts = walkPoints(ctx.line);
  let n = 0;
  for (const p of pts) await moveTo(context, page, p, ++n);
  // the problem is noted on land, inside the volunteer's grid, just off the path
  await moveTo(context, page, ctx.inside, ++n);
  await page.selectOption('#f-title', '岸边堆放垃圾');
  await page.fill('#f-desc', '步道下方一堆建筑垃圾');
  await page.click('#f-add');
  await page.waitForFunction(() => document.querySelectorAll('#findings li').length === 1);
  await moveTo(context, page, pts[pts.length - 1], ++n);
  assert.ok(Number(await page.textContent('#run-km')) > 5, 'the walked distance is shown');
  // the points went up in batches while walking: the server holds the run before the stop
  await page.waitForFunction(() => Number(document.querySelector('#run-sent').textContent) >= 20, null, { timeout: 10000 });
  const key = await page.evaluate(() => JSON.parse(localStorage.getItem('zhizhi.patrol.run')).key);
  const vol = await token('vol_browser', 'river-volunteer-2');
  const running = await api(srv.base, `/api/v1/patrol/runs/${key}`, { token: vol });
  assert.equal(running.status, 200, running.text);
  assert.equal(running.body.finished, false);
  assert.ok(running.body.points >= 20 && running.body.points <= n, `${running.body.points} of ${n} points on the server while walking`);
  await shot(page, 'patrol-phone-run');
  await page.click('#stop');
  await waitOrExplain(page, '#view-done:not([hidden]) #coverage', 'patrol-done');
  const cov = await page.textContent('#coverage');
  assert.ok(Number(cov.replace('%', '')) >= 95, `coverage ${cov}`);
  assert.match(await page.textContent('#counts'), /计入巡河频次/);
  const done = await api(srv.base, `/api/v1/patrol/runs/${key}`, { token: vol });
  assert.equal(done.body.finished, true);
  assert.equal(done.body.points, n, 'every point of the walk is in the patrol');
  const code = (await page.textContent('.finding a')).trim();
  assert.match(code, /^500103-\d{8}-\d{5}$/);
  await shot(page, 'patrol-phone-done');

  const e = await api(srv.base, `/api/v1/events/${code}`, { token: tok.center });
  assert.equal(e.status, 200, e.text);
  assert.equal(e.body.category_name, '河湖问题');
  const loc = await api(srv.base, `/api/v1/locate?lon=${ctx.inside[0]}&lat=${ctx.inside[1]}`);
  assert.equal(e.body.grid, loc.body.grid.code);
  const after_ = (await api(srv.base, '/api/v1/patrol/segments/CJ-YZ', { token: tok.center })).body;
  assert.equal(after_.counting_patrols, before_.counting_patrols + 1);
  assert.equal(after_.overall.current_met, true);
  assert.equal(await page.evaluate(() => JSON.parse(localStorage.getItem('zhizhi.patrol.outbox') || '[]').length), 0);
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('the signal dies mid-walk: the points wait on the phone, the stopped patrol in the outbox, and all go up when the network returns', async () => {
  const { context, page } = await openPage(browser, srv.base, { ...PHONE, permissions: ['geolocation'], geolocation: { longitude: ctx.line[0][0], latitude: ctx.line[0][1] } });
  await login(page, srv.base, 'vol_browser', 'river-volunteer-2', '/grid/patrol.html');
  await waitOrExplain(page, 'body[data-ready="true"]', 'patrol-outbox-ready');
  const before_ = (await api(srv.base, '/api/v1/patrol/segments/CJ-YZ', { token: tok.center })).body.patrols;
  await page.selectOption('#segment', 'CJ-YZ');
  await page.click('#start');
  const pts = walkPoints(ctx.line).slice(0, 60);
  let n = 0;
  for (const p of pts.slice(0, 25)) await moveTo(context, page, p, ++n);
  await page.waitForFunction(() => Number(document.querySelector('#run-sent').textContent) >= 20, null, { timeout: 10000 });
  const key = await page.evaluate(() => JSON.parse(localStorage.getItem('zhizhi.patrol.run')).key);
  const vol = await token('vol_browser', 'river-volunteer-2');
  await context.setOffline(true);
  for (const p of pts.slice(25)) await moveTo(context, page, p, ++n);
  const onServer = (await api(srv.base, `/api/v1/patrol/runs/${key}`, { token: vol })).body.points;
  assert.ok(onServer >= 20 && onServer < n, `${onServer} of ${n} points reached the server before the signal died`);
  await page.click('#stop');
  await page.waitForFunction(() => /待上传/.test(document.querySelector('#outbox-note').textContent));
  assert.equal(await page.evaluate(() => JSON.parse(localStorage.getItem('zhizhi.patrol.outbox')).length), 1);
  await context.setOffline(false);
  await page.waitForFunction(() => JSON.parse(localStorage.getItem('zhizhi.patrol.outbox') || '[]').length === 0, null, { timeout: 40000 });
  const after_ = (await api(srv.base, '/api/v1/patrol/segments/CJ-YZ', { token: tok.center })).body.patrols;
  assert.equal(after_, before_ + 1);
  const done = (await api(srv.base, `/api/v1/patrol/runs/${key}`, { token: vol })).body;
  assert.equal(done.finished, true);
  assert.equal(done.points, n, 'the points taken without signal are in the patrol too');
  assert.deepEqual(page.problems.filter((p) => !/ERR_INTERNET_DISCONNECTED|网络连接失败/.test(p)), []);
  await context.close();
});

test('a patrol walked with another app: the volunteer imports its GPX file and sees it counted', async () => {
  const { context, page } = await openPage(browser, srv.base, PHONE);
  await login(page, srv.base, 'vol_browser', 'river-volunteer-2', '/grid/patrol.html');
  await waitOrExplain(page, 'body[data-ready="true"]', 'patrol-gpx-ready');
  const before_ = (await api(srv.base, '/api/v1/patrol/segments/CJ-YZ', { token: tok.center })).body.patrols;
  await page.selectOption('#segment', 'CJ-YZ');
  let t = Date.now() - 4 * 3600e3;
  const pts = ctx.line.map(([lon, lat]) => `<trkpt lat="${lat}" lon="${lon}"><time>${new Date((t += 60e3)).toISOString()}</time></trkpt>`);
  const gpx = `<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="两步路" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>\n${pts.join('\n')}\n</trkseg></trk></gpx>\n`;
  // a broken file first: the server's reason (the line at fault) is shown, nothing recorded
  await page.setInputFiles('#gpx-file', { name: 'bad.gpx', mimeType: 'application/gpx+xml', buffer: Buffer.from(gpx.replace(/lat="[^"]+"/, 'lat="north"')) });
  await page.click('#gpx-send');
  await page.waitForFunction(() => /第 \d+ 行/.test(document.body.textContent));
  assert.equal((await api(srv.base, '/api/v1/patrol/segments/CJ-YZ', { token: tok.center })).body.patrols, before_);
  await page.setInputFiles('#gpx-file', { name: '巡河.gpx', mimeType: 'application/gpx+xml', buffer: Buffer.from(gpx) });
  await shot(page, 'patrol-gpx');
  await page.click('#gpx-send');
  await waitOrExplain(page, '#view-done:not([hidden]) #coverage', 'patrol-gpx-done');
  assert.ok(Number((await page.textContent('#coverage')).replace('%', '')) >= 95);
  assert.match(await page.textContent('#counts'), /计入巡河频次/);
  assert.equal((await api(srv.base, '/api/v1/patrol/segments/CJ-YZ', { token: tok.center })).body.patrols, before_ + 1);
  assert.deepEqual(page.problems.filter((p) => !/HTTP 400 POST .*\/api\/v1\/patrol\/patrols$/.test(p)), []);
  await context.close();
});

test('the command center shows the river layer and the compliance panel; the checklist page renders', async () => {
  const { context, page } = await openPage(browser, srv.base, LAPTOP);
  await login(page, srv.base, 'center_yz', 'zhizhi-demo', '/center/');
  await waitOrExplain(page, 'body[data-ready="true"]', 'center-ready');
  await waitOrExplain(page, '#panel-patrol_compliance tbody tr', 'patrol-panel');
  assert.equal(await page.locator('#panel-patrol_compliance tbody tr').count(), 2);
  // the module shell (web/static/js/shell.js) gives the layer its switch
  assert.equal(await page.locator('#layer-switch input[data-layer=patrol]').isChecked(), true);
  const series = await page.evaluate(() => window.echarts.getInstanceByDom(document.querySelector('#map')).getOption().series.map((s) => s.id || s.type));
  assert.ok(series.includes('layer-patrol-0'), JSON.stringify(series));
  await shot(page, 'patrol-center');
  await Promise.all([page.waitForURL(/river\.html/), page.click('#panel-patrol_compliance a >> nth=0')]);
  await waitOrExplain(page, 'body[data-ready="true"]', 'river-ready');
  assert.equal(await page.locator('#checklist li').count(), 4);
  assert.ok((await page.locator('#chiefs tbody tr').count()) >= 3);
  assert.match(await page.textContent('#synthetic'), /示例数据/);
  await shot(page, 'patrol-checklist');
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('the district center keeps the list in the panel: changes a segment, appoints and relieves a chief, adds a segment', async () => {
  const { context, page } = await openPage(browser, srv.base, LAPTOP);
  page.on('dialog', (d) => d.accept());
  await login(page, srv.base, 'center_yz', 'zhizhi-demo', '/center/');
  await waitOrExplain(page, '#panel-patrol_compliance tbody tr', 'patrol-manage-panel');
  await page.click('#panel-patrol_compliance tr[data-code="JLJ-YZ"] .patrol-edit');
  await waitOrExplain(page, '#patrol-seg-form', 'patrol-editor');
  await page.selectOption('#pe-class', '3');
  await page.fill('#pe-works', '嘉陵江滨江步道\n化龙桥护岸');
  await page.click('#pe-save');
  await page.waitForFunction(() => document.querySelector('#pe-works')?.value === '嘉陵江滨江步道\n化龙桥护岸' && !document.querySelector('#pe-save').disabled);
  const rep = async () => (await api(srv.base, '/api/v1/patrol/segments/JLJ-YZ', { token: tok.center })).body;
  let r = await rep();
  assert.equal(r.segment.target_class, 3);
  assert.deepEqual(r.segment.works, ['嘉陵江滨江步道', '化龙桥护岸']);
  const n0 = r.chiefs.length;

  await page.click('#pc-new summary');
  await page.selectOption('#pn-level', 'street');
  await page.fill('#pn-name', '测试河长');
  await page.fill('#pn-title', '街道办事处副主任');
  await page.fill('#pn-user', 'vol_browser');
  await page.click('#pn-add');
  await page.waitForFunction((n) => document.querySelectorAll('#patrol-chiefs li[data-chief]').length === n + 1, n0);
  r = await rep();
  const c = r.chiefs.find((x) => x.name === '测试河长');
  assert.ok(c, JSON.stringify(r.chiefs.map((x) => x.name)));
  assert.equal(c.level, 'street');
  assert.equal(c.username, 'vol_browser');
  // change the new chief's title, then relieve them
  await page.click(`#patrol-chiefs li[data-chief="${c.id}"] .pc-edit`);
  await page.fill(`#pc${c.id}-title`, '街道办事处主任');
  await page.click(`#patrol-chiefs li[data-chief="${c.id}"] .pc-save`);
  await page.waitForFunction((id) => /街道办事处主任/.test(document.querySelector(`#patrol-chiefs li[data-chief="${id}"]`)?.textContent || ''), c.id);
  assert.equal((await rep()).chiefs.find((x) => x.id === c.id).title, '街道办事处主任');
  await page.locator('#patrol-seg-form').scrollIntoViewIfNeeded();
  await shot(page, 'patrol-editor');
  await page.click(`#patrol-chiefs li[data-chief="${c.id}"] .pc-end`);
  await page.waitForFunction((id) => !document.querySelector(`#patrol-chiefs li[data-chief="${id}"]`), c.id);
  assert.equal((await rep()).chiefs.some((x) => x.id === c.id), false);

  // a new segment from its line: the panel shows it
  await page.click('#patrol-new');
  await page.fill('#pn-code', 'CJ-NEW');
  await page.fill('#pn-rcode', 'CJ');
  await page.fill('#pn-rname', '长江');
  await page.fill('#pn-sname', '长江新增段');
  await page.fill('#pn-geom', JSON.stringify({ type: 'LineString', coordinates: ctx.line.slice(0, 6) }));
  await page.click('#pn-save');
  await page.waitForSelector('#panel-patrol_compliance tr[data-code="CJ-NEW"]');
  const s = await api(srv.base, '/api/v1/patrol/segments/CJ-NEW', { token: tok.center });
  assert.equal(s.status, 200, s.text);
  assert.ok(s.body.grids.length >= 1);
  assert.deepEqual(page.problems, []);
  await context.close();

  // an auditor reads the panel without the editor
  const a = await openPage(browser, srv.base, LAPTOP);
  await login(a.page, srv.base, 'auditor_yz', 'zhizhi-demo', '/center/');
  await waitOrExplain(a.page, '#panel-patrol_compliance tbody tr', 'patrol-auditor-panel');
  assert.equal(await a.page.locator('.patrol-edit, #patrol-new').count(), 0);
  await a.context.close();
});
