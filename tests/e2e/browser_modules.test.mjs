// The command center's module shell (web/static/js/shell.js), in Debian's Chromium: the duty
// officer's map carries the layers the modules' scripts draw, each with its switch, and the
// modules' panels open from the header. Here through the monitoring module: a sewer level over
// its threshold turns its station red on the 监测站点 layer and lists the alert in the 监测预警
// panel, whose event button opens the event the alert opened.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, startServer } from './lib.mjs';
import { BIG_SCREEN, assertServesThisTree, launch, login, openPage, waitOrExplain } from './browser_lib.mjs';

let srv;
let browser;
let eventCode;

before(async () => {
  srv = await startServer(['--pwhash-cost', 'min']);
  await assertServesThisTree(srv.base, 'build/zhizhi');
  const tok = {};
  for (const u of ['center_yz', 'dept_urban']) {
    const r = await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username: u, password: 'zhizhi-demo' } });
    assert.equal(r.status, 201, r.text);
    tok[u] = r.body.token;
  }
  const st = await api(srv.base, '/api/v1/stations', { method: 'POST', token: tok.center_yz,
    body: { code: 'SW-SHELL', name: '壳层测试液位计', kind: 'sewer', lon: 106.5740, lat: 29.5500, department: 'urban' } });
  assert.equal(st.status, 201, st.text);
  const ago = (n) => new Date(Date.now() - n * 1000).toISOString();
  const readings = [90, 80, 70].map((n) => ({ station: 'SW-SHELL', parameter: 'level', time: ago(n), value: '2.6' }));
  const r = await api(srv.base, '/api/v1/readings', { method: 'POST', token: tok.dept_urban, body: { readings } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.alerts_opened, 1, r.text);
  const alerts = await api(srv.base, '/api/v1/monitor/alerts?station=SW-SHELL', { token: tok.center_yz });
  eventCode = alerts.body.items[0].event;
  assert.ok(eventCode, 'the alert opened an event');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

// The map's series ids and, per module layer, its points.
const mapSeries = (page) => page.evaluate(() => {
  const c = window.echarts.getInstanceByDom(document.getElementById('map'));
  return c.getOption().series.map((s) => ({ id: s.id, data: (s.data || []).map((d) => ({ name: d.name, color: d.itemStyle?.color })) }));
});

test('module layers draw on the map with their switches, and module panels open from the header', async () => {
  const { context, page } = await openPage(browser, srv.base, BIG_SCREEN);
  try {
    await login(page, srv.base, 'center_yz', 'zhizhi-demo', '/center/');
    await waitOrExplain(page, 'body[data-ready=true]', 'center ready', { timeout: 30000 });
    const box = page.locator('#layer-switch input[data-layer=stations]');
    assert.equal(await box.isChecked(), true, 'the layer is on');
    assert.match(await page.locator('#layer-switch').textContent(), /监测站点/);
    let series = await mapSeries(page);
    assert.deepEqual(series.slice(0, 2).map((s) => s.id), ['grids', 'events'], 'the event layer keeps its place');
    const stations = series.find((s) => s.id === 'layer-stations-0');
    assert.ok(stations && stations.data.length > 1, 'stations drawn');
    const mine = stations.data.find((d) => d.name === '壳层测试液位计');
    assert.equal(mine?.color, '#ff5252', 'the alarming station is red');
    assert.ok(stations.data.some((d) => d.color !== '#ff5252'), 'quiet stations are not');

    const drawn = (on) => page.waitForFunction((want) => window.echarts.getInstanceByDom(document.getElementById('map'))
      .getOption().series.some((s) => s.id === 'layer-stations-0' && (s.data.length > 0) === want), on);
    await box.uncheck();
    await drawn(false);
    series = await mapSeries(page);
    assert.equal(series.find((s) => s.id === 'layer-stations-0').data.length, 0, 'switched off: no points');
    assert.ok(series.find((s) => s.id === 'events'), 'the event layer stays');
    await box.check();
    await drawn(true);

    // Every panel button the officer sees brings its panel into view.
    const buttons = page.locator('#module-bar button[data-panel]');
    const ids = await buttons.evaluateAll((bs) => bs.map((b) => b.dataset.panel));
    assert.ok(ids.includes('alerts'), ids.join());
    for (const id of ids) {
      await page.click(`#module-bar button[data-panel=${id}]`);
      await page.waitForFunction((pid) => {
        const r = document.getElementById(`panel-${pid}`).getBoundingClientRect();
        return r.top < innerHeight && r.bottom > 0;
      }, id);
    }
    assert.equal(await page.locator('#panel-alerts h2').textContent(), '监测预警');
    const row = page.locator('#panel-alerts tr', { hasText: '壳层测试液位计' });
    await row.waitFor();
    assert.match(await row.textContent(), /污水管网高液位/);
    await row.locator(`button[data-event="${eventCode}"]`).click();
    await page.locator('#detail').waitFor({ state: 'visible' });
    assert.match(await page.locator('#detail').textContent(), new RegExp(eventCode));
    assert.deepEqual(page.problems, []);
  } finally {
    await context.close();
  }
});

test('the switches and panel buttons are exactly the module views the server lists for the caller', async () => {
  const { context, page } = await openPage(browser, srv.base, BIG_SCREEN);
  try {
    const tok = (await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username: 'dept_eco', password: 'zhizhi-demo' } })).body.token;
    const mods = (await api(srv.base, '/api/v1/modules', { token: tok })).body.items;
    const sees = mods.flatMap((m) => (m.script ? m.layers.map((v) => v.id) : []));
    const panels = mods.flatMap((m) => (m.script ? m.panels.map((v) => v.id) : []));
    await login(page, srv.base, 'dept_eco', 'zhizhi-demo', '/center/');
    await waitOrExplain(page, 'body[data-ready=true]', 'center ready', { timeout: 30000 });
    const shown = await page.locator('#layer-switch input').evaluateAll((bs) => bs.map((b) => b.dataset.layer));
    // the switches are exactly the module layers the server listed for this caller
    assert.deepEqual(shown, sees);
    const buttons = await page.locator('#module-bar button[data-panel]').evaluateAll((bs) => bs.map((b) => b.dataset.panel));
    // a module may leave a listed panel to the center itself (the air KPI), never add one unlisted
    assert.ok(buttons.every((id) => panels.includes(id)), `${buttons} ⊆ ${panels}`);
    assert.ok(buttons.includes('alerts'));
  } finally {
    await context.close();
  }
});
