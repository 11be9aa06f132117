// Urban renewal in real Chromium (issue 18): a district officer opens the 城市更新 panel in the
// command center, sees which demo projects balance, opens the 大坪 old-estate project's financing
// test (NPV, the sensitivity tornado, the verdicts), and prints the notice of the elevator vote.
// A grid worker records paper ballots of an elevator vote on the phone, one owner of two flats
// once, and sees the vote pass when the last needed ballot comes in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api } from './lib.mjs';
import { launch, login, openPage, shot, PHONE, BIG_SCREEN } from './browser_lib.mjs';

let srv, browser;
before(async () => {
  srv = await startServer(['--pwhash-cost', 'min']);
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('the command center: projects, a balance that does not hold, the vote notice', async () => {
  const { context, page } = await openPage(browser, srv.base, BIG_SCREEN);
  try {
    await login(page, srv.base, 'center_yz', 'zhizhi-demo', '/center/');
    await page.waitForSelector('#panel-renewal_figures #renewal-table tbody tr', { timeout: 60000 });
    assert.ok(Number(await page.textContent('#renewal-projects')) >= 6);
    const verdicts = await page.$$eval('#renewal-table tbody tr td:nth-child(7)', (t) => t.map((x) => x.textContent));
    assert.ok(verdicts.includes('可平衡') && verdicts.includes('不平衡'), verdicts.join());
    assert.equal(await page.getAttribute('body', 'data-renewal'), String(verdicts.length));
    await page.click('#renewal-table tr[data-code=YZ-RN-005] button');
    await page.waitForSelector('#renewal-balance[data-code=YZ-RN-005]');
    assert.match(await page.textContent('#renewal-balance'), /远期成本不能平衡/);
    assert.match(await page.textContent('#renewal-npv'), /-[\d,.]+ 万元/);
    assert.equal(await page.$$eval('.renewal-tornado tbody tr', (r) => r.length), 4);
    await page.locator('#renewal-balance').scrollIntoViewIfNeeded();
    await shot(page, 'renewal-center-balance');
    const notice = await page.getAttribute('#renewal-votes tbody tr:first-child a', 'href');
    assert.match(notice, /^\/center\/renewal-vote-print\.html\?id=\d+$/);
    await page.goto(srv.base + notice);
    await page.waitForSelector('body[data-ready=true]');
    assert.match(await page.textContent('#title'), /业主共同决定结果公告/);
    assert.match(await page.textContent('#rule'), /第二百七十八条/);
    assert.ok(['true', 'false'].includes(await page.getAttribute('#result', 'data-passed')));
    assert.ok(await page.$$eval('#ballots tbody tr', (r) => r.length) >= 12);
    await shot(page, 'renewal-vote-notice');
    assert.deepEqual(page.problems, []);
  } finally {
    await context.close();
  }
});

test('a grid worker records paper ballots on the phone and the vote passes at the last one needed', async () => {
  // a project in grid_jfb's own grid, and an elevator vote of 4 flats (owner 丙 holds two)
  const grid = (await api(srv.base, '/api/v1/regions/500103003013001')).body;
  const s = await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username: 'center_jfb', password: 'zhizhi-demo' } });
  const token = s.body.token;
  const p = await api(srv.base, '/api/v1/renewal/projects', { method: 'POST', token,
    body: { code: 'B-MS-1', name: '民生路小区加装电梯', type: 'old_estate', model: 'government', lon: grid.center[0], lat: grid.center[1] } });
  assert.equal(p.status, 201, p.text);
  const v = await api(srv.base, '/api/v1/renewal/projects/B-MS-1/votes', { method: 'POST', token,
    body: { title: '民生路5号加装电梯', matter: 'major', building_area: 400,
      units: [{ unit: '5-1', owner: '甲', area: 90 }, { unit: '5-2', owner: '乙', area: 90 },
        { unit: '5-3', owner: '丙', area: 90 }, { unit: '5-4', owner: '丙', area: 90 }] } });
  assert.equal(v.status, 201, v.text);
  const { context, page } = await openPage(browser, srv.base, PHONE);
  try {
    await login(page, srv.base, 'grid_jfb', 'zhizhi-demo', `/grid/renewal-vote.html?id=${v.body.id}`);
    await page.waitForSelector('body[data-ready=true]');
    assert.equal(await page.$$eval('#unit option', (o) => o.length), 4);
    const record = async (unit, label) => {
      await page.selectOption('#unit', unit);
      await page.check(`#choices label:has-text("${label}") input`);
      await page.click('#submit');
      await page.waitForFunction((u) => document.querySelector('#result').textContent.includes(u), unit);
    };
    await record('5-3', '同意'); // 丙: both flats, one person
    assert.match(await page.textContent('#unit option[value="5-4"]'), /同意/);
    assert.equal(await page.getAttribute('#tally', 'data-passed'), 'false'); // 1 of 3 persons took part
    await record('5-1', '同意');
    // 2 of 3 persons (exactly 2/3) with 270 of 360 m² take part and all approve — passes
    await page.waitForFunction(() => document.querySelector('#tally').dataset.passed === 'true');
    assert.match(await page.textContent('#tally'), /结果：通过/);
    await shot(page, 'renewal-phone-ballot');
    await record('5-2', '反对'); // now 2 of 3 persons approve: below 3/4 by headcount
    await page.waitForFunction(() => document.querySelector('#tally').dataset.passed === 'false');
    assert.deepEqual(page.problems, []);
  } finally {
    await context.close();
  }
});
