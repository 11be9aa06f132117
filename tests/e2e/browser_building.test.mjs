// The building economy in the command center (issue 16), in Debian's Chromium: the duty officer
// opens the center, the 楼均论英雄 panel shows the district figures exactly as the API computes
// them, the map carries the buildings layer (switchable, coloured by tier or vacancy), a ranking
// row opens its score's parts, another year reloads the figures, the CSV link and the printable
// page give the same ranking. A street officer sees only their street's buildings; a grid worker
// (no building.read) gets no panel. No console error, failed request or request leaving the server.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, startServer } from './lib.mjs';
import { BIG_SCREEN, assertServesThisTree, launch, login, openPage, waitOrExplain } from './browser_lib.mjs';

let srv;
let browser;
const tok = {};

before(async () => {
  srv = await startServer(['--pwhash-cost', 'min']);
  await assertServesThisTree(srv.base, srv.bin || 'the binary');
  for (const u of ['center_yz', 'center_jfb']) {
    tok[u] = (await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username: u, password: 'zhizhi-demo' } })).body.token;
  }
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); });

const layerPoints = (page) => page.evaluate(() => {
  const c = window.echarts.getInstanceByDom(document.getElementById('map'));
  const s = c.getOption().series.find((x) => x.id === 'layer-buildings-0');
  return s ? s.data.length : -1;
});

test('the duty officer reads the 楼均论英雄 panel, a score\'s parts, another year, the CSV and the printable page', async () => {
  const { context, page } = await openPage(browser, srv.base, BIG_SCREEN);
  try {
    await login(page, srv.base, 'center_yz', 'zhizhi-demo', '/center/');
    await waitOrExplain(page, 'body[data-ready=true]', 'center-ready', { timeout: 60000 });
    // the map layer is on from the start; the header's button takes the officer to the panel
    assert.equal(await page.textContent('#module-bar button[data-panel=building_economy]'), '楼均论英雄');
    await page.click('#module-bar button[data-panel=building_economy]');
    await waitOrExplain(page, '#building-panel [data-k=at_least_10e8]', 'building-panel');
    const f = (await api(srv.base, '/api/v1/buildings/figures', { token: tok.center_yz })).body;
    const kpi = (k) => page.textContent(`#building-panel [data-k=${k}] .v`);
    assert.equal(await kpi('at_least_10e8'), `${f.at_least_10e8} 栋`);
    assert.equal(await kpi('band_10e7'), `${f.band_10e7} 栋`);
    assert.equal(await kpi('tax_per_m2'), `${Math.round(f.tax_per_m2).toLocaleString('zh-CN')} 元/m²`);
    assert.equal(await kpi('vacancy_rate'), `${(f.vacancy_rate * 100).toFixed(1)}%`);
    assert.equal(await page.textContent('#panel-building_economy h2'), '楼均论英雄');
    // the map layer: every building, off and on again with its switch
    assert.equal(await layerPoints(page), f.buildings);
    await page.selectOption('#building-colour', 'vacancy');
    // a ranking row opens its parts, which add up to the score
    const r = (await api(srv.base, '/api/v1/buildings/ranking', { token: tok.center_yz })).body;
    const first = r.items[0];
    const row = page.locator(`#building-ranking tr[data-code="${first.code}"]`);
    assert.equal(await row.locator('td').nth(2).textContent(), first.name);
    assert.equal(await row.locator('td').nth(1).textContent(), String(first.street_rank));
    await row.click();
    const parts = page.locator(`#building-ranking tr[data-parts="${first.code}"]`);
    await parts.waitFor({ state: 'visible' });
    const text = await parts.textContent();
    for (const p of first.parts) assert.ok(text.includes(p.name), p.name);
    assert.match(text, new RegExp(`区内第 1 · 功能区内第 ${first.zone_rank}`));
    // another year: the panel follows the server's figures for it
    const f24 = (await api(srv.base, '/api/v1/buildings/figures?year=2024', { token: tok.center_yz })).body;
    await page.selectOption('#building-year', '2024');
    await page.waitForSelector('#building-panel[data-year="2024"]');
    assert.equal(await kpi('at_least_10e8'), `${f24.at_least_10e8} 栋`);
    assert.equal(await kpi('landing_rate'), `${(f24.landing_rate * 100).toFixed(1)}%`);
    // the CSV the link names is the ranking of that year
    const href = await page.getAttribute('#building-csv', 'href');
    assert.equal(href, '/api/v1/buildings/ranking.csv?year=2024');
    const csv = await page.evaluate(async (u) => (await fetch(u)).text(), href);
    assert.equal(csv.trim().split('\r\n').length, f24.buildings + 1);
    // the printable page
    const [print] = await Promise.all([context.waitForEvent('page'), page.click('#building-print')]);
    await print.waitForSelector('body[data-ready=true]');
    assert.match(await print.textContent('#title'), /2024 年/);
    assert.equal(await print.locator('#ranking tbody tr').count(), f24.buildings);
    assert.match(await print.textContent('#figures'), new RegExp(`亿元级楼宇：${f24.at_least_10e8} 栋`));
    // the layer's switch takes it off the map and back
    const points = (n) => page.waitForFunction((want) => window.echarts.getInstanceByDom(document.getElementById('map'))
      .getOption().series.find((x) => x.id === 'layer-buildings-0').data.length === want, n);
    await page.uncheck('#layer-switch input[data-layer=buildings]');
    await points(0);
    await page.check('#layer-switch input[data-layer=buildings]');
    await points(f24.buildings);
    assert.deepEqual(page.problems, []);
  } finally {
    await context.close();
  }
});

test('a street officer sees their street\'s buildings; a grid worker gets no panel', async () => {
  const { context, page } = await openPage(browser, srv.base, BIG_SCREEN);
  try {
    await login(page, srv.base, 'center_jfb', 'zhizhi-demo', '/center/');
    await waitOrExplain(page, 'body[data-ready=true]', 'center-jfb-ready', { timeout: 60000 });
    const mine = (await api(srv.base, '/api/v1/buildings', { token: tok.center_jfb })).body.items;
    assert.equal(await layerPoints(page), mine.length);
    await page.click('#module-bar button[data-panel=building_economy]');
    await waitOrExplain(page, '#building-panel [data-k=at_least_10e8]', 'building-panel-jfb');
    if (mine.length > 15) await page.click('#building-all');
    assert.equal(await page.locator('#building-ranking tbody tr[data-code]').count(), mine.length);
    // their buildings are ranked 1, 2, 3 … within the street, not by the district's gaps
    const streetRanks = await page.$$eval('#building-ranking tbody tr[data-code] td:nth-child(2)', (tds) => tds.map((t) => Number(t.textContent)));
    assert.deepEqual(streetRanks, mine.map((_, i) => i + 1));
    assert.ok(mine.some((b) => b.rank !== b.street_rank), 'the district rank differs somewhere');
    assert.deepEqual(page.problems, []);
  } finally {
    await context.close();
  }
  const grid = await openPage(browser, srv.base, BIG_SCREEN);
  try {
    await login(grid.page, srv.base, 'grid_jfb', 'zhizhi-demo', '/center/');
    await waitOrExplain(grid.page, 'body[data-ready=true]', 'center-grid-ready', { timeout: 60000 });
    assert.equal(await grid.page.locator('#module-bar button[data-panel=building_economy]').count(), 0);
    assert.equal(await grid.page.locator('#layer-switch input[data-layer=buildings]').count(), 0);
  } finally {
    await grid.context.close();
  }
});
