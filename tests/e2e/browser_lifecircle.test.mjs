// A planner's task in Chromium (issue 19): the district command center opens the 15分钟生活圈
// panel, picks the 5-minute elderly day-care requirement, reads each street's coverage and the
// largest gaps, reads how many residents reach day care within 20 minutes, asks where to build
// three more (the seed's "新增3处社区养老服务驿站"), draws the walking isochrone of the first
// pick on the map, finds the CSV export and opens the printable page for elderly walkers; the
// facility layer is on the map with its switch.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { BIN, api, startServer } from './lib.mjs';
import { LAPTOP, assertServesThisTree, launch, login, openPage, shot, waitOrExplain } from './browser_lib.mjs';

let srv;
let browser;
let token;

before(async () => {
  srv = await startServer(['--pwhash-cost', 'min']);
  await assertServesThisTree(srv.base, BIN);
  browser = await launch();
  const r = await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username: 'center_yz', password: 'zhizhi-demo' } });
  token = r.body.token;
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

test('a planner finds the day-care gaps, three sites with their gains and a pick\'s isochrone', async () => {
  const { context, page } = await openPage(browser, srv.base, LAPTOP);
  await login(page, srv.base, 'center_yz', 'zhizhi-demo', '/center/');
  await waitOrExplain(page, 'body[data-ready="true"]', 'center-ready');
  assert.equal(await page.locator('#layer-switch input[data-layer=lifecircle]').isChecked(), true);
  const ids = () => page.evaluate(() => window.echarts.getInstanceByDom(document.querySelector('#map')).getOption().series.filter(Boolean).map((s) => s.id || s.type));
  assert.ok((await ids()).includes('layer-lifecircle-0'), JSON.stringify(await ids()));
  await page.click('#module-bar button[data-panel=lifecircle_gaps]'); // scrolls to the panel
  await waitOrExplain(page, '#panel-lifecircle_gaps .lc-coverage tbody tr', 'lifecircle-panel');
  assert.equal(await page.locator('#panel-lifecircle_gaps .lc-coverage tbody tr').count(), 11);
  // the requirement list comes from the server: pick 养老服务 · 5 分钟
  const req = (await api(srv.base, '/api/v1/lifecircle/requirements', { token })).body.requirements;
  const i = req.findIndex((r) => r.category === 'elderly' && r.level === 5);
  await page.selectOption('#lc-req', String(i));
  await page.waitForFunction(() => /老年人日间照料中心/.test(document.querySelector('#lc-out h4')?.textContent || ''));
  const gaps = (await api(srv.base, '/api/v1/lifecircle/gaps', { token })).body.items.filter((g) => g.category === 'elderly' && g.level === 5);
  assert.equal(await page.locator('#panel-lifecircle_gaps .lc-gaps tbody tr').count(), Math.min(10, gaps.length));
  assert.equal(await page.textContent('#panel-lifecircle_gaps .lc-gaps tbody tr >> nth=0 >> td >> nth=0'), gaps[0].name);
  // how many day-care centres residents reach in 20 minutes, as the server counts them
  await page.fill('#lc-minutes', '20');
  await page.dispatchEvent('#lc-minutes', 'change');
  await page.waitForFunction(() => /^20 分钟内/.test(document.querySelector('.lc-reach-line')?.textContent || ''));
  const rc = (await api(srv.base, '/api/v1/lifecircle/reach?category=elderly&minutes=20', { token })).body;
  assert.match(await page.textContent('.lc-reach-line'), new RegExp(`${Math.round(rc.total.reached)} 人.*居住点 ${rc.total.points_reached}/${rc.total.points} 处`));
  assert.equal(await page.locator('.lc-reach tbody tr').count(), rc.total.by_count.length);
  assert.equal(await page.textContent('.lc-reach tbody tr >> nth=0 >> td >> nth=1'), String(Math.round(rc.total.by_count[0].population)));
  assert.match(await page.getAttribute('#lc-reach-csv', 'href'), /reach\.csv\?category=elderly&minutes=20/);
  await page.click('#lc-suggest');
  await waitOrExplain(page, '#lc-picks tbody tr', 'lifecircle-picks');
  assert.equal(await page.locator('#lc-picks tbody tr').count(), 3);
  const s = (await api(srv.base, '/api/v1/lifecircle/suggest?category=elderly&level=5&k=3', { token })).body;
  assert.equal(await page.textContent('#lc-picks tbody tr >> nth=0 >> td >> nth=0'), s.picks[0].name);
  assert.equal(await page.textContent('#lc-picks tbody tr >> nth=0 >> td >> nth=1'), String(Math.round(s.picks[0].gain)));
  await shot(page, 'lifecircle-panel');
  await page.click('#lc-picks tbody tr >> nth=0 >> button');
  await page.waitForFunction(() => window.echarts.getInstanceByDom(document.querySelector('#map')).getOption().series.some((x) => x && x.id === 'layer-lifecircle-1'));
  assert.match(await page.getAttribute('#lc-csv', 'href'), /coverage\.csv/);
  await shot(page, 'lifecircle-isochrone');
  // the printable page for a leader, for elderly walkers: every street's share of every
  // required item as the server computes it, the total last, the largest gaps
  await page.selectOption('#lc-profile', 'elderly');
  await page.waitForFunction(() => /profile=elderly/.test(document.querySelector('#lc-print')?.getAttribute('href') || ''));
  const [print] = await Promise.all([context.waitForEvent('page'), page.click('#lc-print')]);
  print.problems = [];
  print.on('pageerror', (e) => print.problems.push(String(e)));
  await print.waitForSelector('body[data-ready=true]');
  const cov = (await api(srv.base, '/api/v1/lifecircle/coverage?group=street&profile=elderly', { token })).body;
  const eg = (await api(srv.base, '/api/v1/lifecircle/gaps?profile=elderly', { token })).body.items;
  assert.equal(await print.locator('#streets tbody tr').count(), cov.areas.length + 1);
  assert.equal(await print.locator('#streets thead th').count(), 2 + cov.total.cells.length);
  const j = cov.total.cells.findIndex((c) => c.category === 'elderly' && c.level === 5);
  const share = (c) => `${(100 * c.share).toFixed(1)}%`;
  assert.equal(await print.textContent(`#streets tbody tr >> nth=0 >> td >> nth=${2 + j}`), share(cov.areas[0].cells[j]));
  assert.equal(await print.textContent('#streets tbody tr.total td >> nth=0'), '全区合计');
  assert.equal(await print.textContent(`#streets tbody tr.total td >> nth=${2 + j}`), share(cov.total.cells[j]));
  // a street below half is marked for the eye, one at or above is not
  const low = await print.locator('#streets tbody td.low').count();
  const expectLow = [...cov.areas, cov.total].reduce((n, a) => n + a.cells.filter((c) => c.share < 0.5).length, 0);
  assert.equal(low, expectLow);
  assert.equal(await print.locator('#gaps tbody tr').count(), Math.min(20, eg.length));
  assert.equal(await print.textContent('#gaps tbody tr >> nth=0 >> td >> nth=1'), eg[0].name);
  assert.match(await print.textContent('#subtitle'), /老年人步行/);
  assert.match(await print.textContent('#subtitle'), /演示数据/);
  assert.match(await print.textContent('#method'), /平路 0\.8 m\/s/);
  assert.equal(await print.isVisible('#print'), true);
  await print.emulateMedia({ media: 'print' });
  assert.equal(await print.isVisible('#print'), false); // the button stays off the paper
  await shot(print, 'lifecircle-print');
  assert.deepEqual(print.problems, []);
  assert.deepEqual(page.problems, []);
  await context.close();
});
