// The rectification ledger (整改台账) and supervision clues in the command center (issue 15), in
// Debian's Chromium, as the people who keep them work: the district center reads the ledger of
// today beside the ledger of 5 May (figures exactly as the API computes them), regroups it, adds
// a measure and sends a problem to a grid as an event through the forms the server describes;
// the responsible department reports its measure done with a photo; supervision approves it and
// works a clue (初核 → 立案, 信息共享); the center closes the problem (销号) and marks it reopened
// (反弹); the printable summary and the CSV links carry the same figures. A grid worker sees
// neither panel, the center no supervision clues. No console error, failed request or outside
// request anywhere.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, startServer } from './lib.mjs';
import { BIG_SCREEN, PHONE, assertServesThisTree, launch, login, makePhoto, openPage, waitOrExplain } from './browser_lib.mjs';

let srv;
let browser;
const tok = {};
let pid;
let grid;

before(async () => {
  srv = await startServer(['--pwhash-cost', 'min']);
  await assertServesThisTree(srv.base, srv.bin || 'the binary');
  for (const u of ['center_yz', 'dept_urban', 'supervisor_yz']) {
    tok[u] = (await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username: u, password: 'zhizhi-demo' } })).body.token;
  }
  // The problem this walk works on: entered today, one measure already owned by the department.
  const p = await api(srv.base, '/api/v1/ledger/problems', {
    method: 'POST', token: tok.center_yz,
    body: { title: '浏览器测试：解放碑步行街占道经营回潮', source: '巡察', category: '城市管理', department: 'urban', deadline: '2099-06-30' },
  });
  assert.equal(p.status, 201, p.text);
  pid = p.body.id;
  const m = await api(srv.base, `/api/v1/ledger/problems/${pid}/measures`, {
    method: 'POST', token: tok.center_yz, body: { title: '设置临时疏导点', owner: 'dept_urban', deadline: '2099-05-31' },
  });
  assert.equal(m.status, 201, m.text);
  grid = (await api(srv.base, '/api/v1/regions?level=grid&limit=1', { token: tok.center_yz })).body.items[0].code;
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); });

async function openLedger(page, user) {
  await login(page, srv.base, user, 'zhizhi-demo', '/center/');
  await waitOrExplain(page, 'body[data-ready=true]', `ledger-${user}-ready`, { timeout: 60000 });
  await page.click('#module-bar button[data-panel=ledger]');
  await waitOrExplain(page, '#ledger-kpis [data-k=closure_rate]', `ledger-${user}-panel`);
}

async function openProblem(page) {
  const row = page.locator(`#ledger-problems tr[data-id="${pid}"]`);
  await row.waitFor();
  await row.click();
  await page.waitForSelector(`#ledger-problem[data-id="${pid}"]`);
}

// Open the offered action's form (in `scope`), fill it and submit; wait for the redraw.
async function act(page, scope, name, fill = async () => {}) {
  await page.click(`${scope} button[data-action="${name}"]`);
  const form = page.locator(`form.action-form[data-action="${name}"]`);
  await form.waitFor();
  await fill(form);
  await form.locator('button[type=submit]').click();
  await form.waitFor({ state: 'detached' });
}

test('the district center reads the ledger as of two days, regroups it, adds a measure and sends the problem to a grid', async () => {
  const { context, page } = await openPage(browser, srv.base, BIG_SCREEN);
  try {
    await openLedger(page, 'center_yz');
    assert.equal(await page.textContent('#panel-ledger h2'), '整改台账');
    const since = await page.inputValue('#ledger-since');
    const asOf = await page.inputValue('#ledger-as-of');
    const f = (await api(srv.base, `/api/v1/ledger/figures?as_of=${asOf}&since=${since}&group_by=department`, { token: tok.center_yz })).body;
    const kpi = (k) => page.textContent(`#ledger-kpis [data-k=${k}] .v`);
    assert.equal(await kpi('problems'), String(f.problems));
    assert.equal(await kpi('measures'), String(f.measures));
    assert.equal(await kpi('closed'), String(f.closed));
    assert.equal(await kpi('closure_rate'), `${(f.closure_rate * 100).toFixed(1)}%`);
    assert.equal(await kpi('overdue_measures'), String(f.overdue_measures));
    assert.ok(f.problems > 500 && f.closure_rate > 0.85, `the demo ledger in the seed's proportions: ${f.problems}, ${f.closure_rate}`);
    assert.match(await page.textContent('#ledger-changes'), new RegExp(`新增问题 ${f.changes.problems_added} 个、措施 ${f.changes.measures_added} 项`));
    assert.equal(await page.locator('#ledger-group-table tbody tr').count(), f.items.length + 1);
    assert.ok(Number(await page.getAttribute('#ledger-trend', 'data-points')) > 10, 'the weekly trend');
    // regrouped by source: the six sources and the total
    await page.selectOption('#ledger-group', 'source');
    const bySource = (await api(srv.base, `/api/v1/ledger/figures?as_of=${asOf}&group_by=source`, { token: tok.center_yz })).body;
    await page.waitForFunction((n) => document.querySelectorAll('#ledger-group-table tbody tr').length === n, bySource.items.length + 1);
    const firstRow = await page.locator('#ledger-group-table tbody tr').first().locator('td').allTextContents();
    assert.deepEqual(firstRow.slice(0, 4), [bySource.items[0].label, String(bySource.items[0].problems), String(bySource.items[0].measures), String(bySource.items[0].closed)]);
    // the ledger as of 31 May of the campaign's year
    const may31 = `${since.slice(0, 4)}-05-31`;
    const fm = (await api(srv.base, `/api/v1/ledger/figures?as_of=${may31}`, { token: tok.center_yz })).body;
    await page.fill('#ledger-as-of', may31);
    await page.dispatchEvent('#ledger-as-of', 'change');
    await page.waitForFunction((n) => document.querySelector('#ledger-kpis [data-k=problems] .v')?.textContent === n, String(fm.problems));
    assert.equal(await kpi('closure_rate'), `${(fm.closure_rate * 100).toFixed(1)}%`);
    assert.equal(await page.getAttribute('#ledger-downloads a[download^="ledger-figures"]', 'href'), `/api/v1/ledger/figures.csv?as_of=${may31}&group_by=source`);
    const csv = await page.evaluate(async (u) => (await fetch(u)).text(), `/api/v1/ledger/problems.csv?as_of=${may31}`);
    assert.equal(csv.trim().split('\r\n').length, fm.problems + 1);
    // back to today; the new problem is first in the list
    await page.fill('#ledger-as-of', asOf);
    await page.dispatchEvent('#ledger-as-of', 'change');
    await openProblem(page);
    const names = await page.$$eval('#ledger-problem > .actions button[data-action]', (b) => b.map((x) => x.dataset.action));
    assert.deepEqual(names, ['add_measure', 'close', 'spawn_event']);
    // 销号 refused while the measure is open: the server's words in the form
    await page.click('#ledger-problem > .actions button[data-action=close]');
    await page.locator('form.action-form[data-action=close] button[type=submit]').click();
    await page.waitForFunction(() => document.querySelector('form.action-form[data-action=close] .error')?.textContent.length > 0);
    assert.match(await page.textContent('form.action-form[data-action=close] .error'), /措施/);
    await page.click('form.action-form[data-action=close] button.secondary');
    page.problems = page.problems.filter((x) => !x.startsWith(`HTTP 409 POST ${srv.base}/api/v1/ledger/problems/${pid}/close`));
    // a second measure through the server's form
    await act(page, '#ledger-problem > .actions', 'add_measure', async (form) => {
      await form.locator('[data-field=title]').fill('联合执法集中清理');
      await form.locator('[data-field=owner]').fill('dept_urban');
      await form.locator('[data-field=deadline]').fill('2099-06-15');
    });
    await page.waitForFunction(() => document.querySelectorAll('#ledger-measures tbody tr').length === 2);
    // the problem becomes work for a grid: an event, opened from the problem
    await act(page, '#ledger-problem > .actions', 'spawn_event', async (form) => {
      await form.locator('[data-field=category]').selectOption({ index: 1 });
      await form.locator('[data-field=grid]').fill(grid);
      await form.locator('[data-field=description]').fill('巡察发现占道经营回潮，请网格核实');
    });
    const evButton = page.locator('#ledger-problem button[data-event]');
    await evButton.waitFor();
    const code = await evButton.getAttribute('data-event');
    const e = (await api(srv.base, `/api/v1/events/${code}`, { token: tok.center_yz })).body;
    assert.deepEqual(e.link, { type: 'ledger', id: String(pid) });
    await evButton.click();
    await page.waitForSelector('#detail[open]');
    assert.equal(await page.textContent('#detail-title'), '浏览器测试：解放碑步行街占道经营回潮');
    await page.click('#detail-close');
    // the board's spreadsheet: a bad file is refused row by row, the good one lands
    const head = '问题,来源,类别,责任单位,整改时限,措施,措施责任人,措施时限\r\n';
    await page.setInputFiles('#ledger-import input[type=file]', { name: 'bad.csv', mimeType: 'text/csv',
      buffer: Buffer.from(`${head}浏览器导入问题,听说,城市管理,urban,2099-12-31,,,\r\n浏览器导入问题二,督查,城市管理,nosuch,2099-12-31,,,\r\n`) });
    await page.click('#ledger-import button[data-action=import]');
    await page.waitForFunction(() => document.querySelectorAll('#ledger-import-errors li').length === 3);
    assert.deepEqual((await page.$$eval('#ledger-import-errors li', (l) => l.map((x) => x.textContent))).slice(1).map((t) => t.split(' · ')[0]), ['第 2 行', '第 3 行']);
    page.problems = page.problems.filter((x) => !x.startsWith(`HTTP 400 POST ${srv.base}/api/v1/ledger/problems.csv`));
    const n0 = Number(await kpi('problems'));
    await page.setInputFiles('#ledger-import input[type=file]', { name: 'good.csv', mimeType: 'text/csv',
      buffer: Buffer.from(`\ufeff${head}浏览器导入问题,督查,城市管理,区城市管理局,2099-12-31,清理,dept_urban,2099-06-30\r\n`) });
    await page.click('#ledger-import button[data-action=import]');
    await page.waitForFunction((n) => document.querySelector('#ledger-kpis [data-k=problems] .v')?.textContent === n, String(n0 + 1));
    assert.equal(await page.locator('#ledger-problems tr', { hasText: '浏览器导入问题' }).count(), 1);
    // no supervision clues for the center
    assert.equal(await page.locator('#module-bar button[data-panel=supervision]').count(), 0);
    assert.deepEqual(page.problems, []);
  } finally {
    await context.close();
  }
});

test('the department reports done with a photo, supervision approves and works a clue, the center closes and reopens', async () => {
  const photo = await makePhoto(browser);
  let { context, page } = await openPage(browser, srv.base, BIG_SCREEN);
  try {
    await openLedger(page, 'dept_urban');
    await openProblem(page);
    assert.equal(await page.locator('#ledger-problem > .actions button[data-action]').count(), 0, 'a department adds nothing');
    assert.equal(await page.locator('#ledger-measures tbody tr').count(), 2);
    for (let i = 0; i < 2; i++) {
      await act(page, `#ledger-measures tbody tr:nth-child(${i + 1})`, 'done', async (form) => {
        await form.locator('[data-field=evidence]').fill(`现场整改记录 ${i + 1}`);
        await form.locator('[data-field=attachments]').setInputFiles({ name: `evidence-${i}.jpg`, mimeType: 'image/jpeg', buffer: photo });
      });
    }
    await page.waitForFunction(() => document.querySelectorAll('#ledger-measures a[href*="/files/"]').length === 2);
    const href = await page.getAttribute('#ledger-measures a[href*="/files/"]', 'href');
    assert.equal(await page.evaluate(async (u) => (await fetch(u)).status, href), 200);
    assert.equal(await page.locator('#ledger-measures button[data-action=approve]').count(), 0, 'the owner never approves');
    assert.deepEqual(page.problems, []);
  } finally {
    await context.close();
  }

  ({ context, page } = await openPage(browser, srv.base, BIG_SCREEN));
  try {
    await openLedger(page, 'supervisor_yz');
    await openProblem(page);
    for (let i = 0; i < 2; i++) {
      await act(page, '#ledger-measures', 'approve');
      await page.waitForFunction((n) => document.querySelectorAll('#ledger-measures button[data-action=approve]').length === n, 1 - i);
    }
    // the clues: figures as the API counts them; a clue in 初核 is filed as a case, then shared
    await page.click('#module-bar button[data-panel=supervision]');
    await waitOrExplain(page, '#supervision-kpis [data-k=cases]', 'supervision-panel');
    const sf = (await api(srv.base, '/api/v1/supervision/figures', { token: tok.supervisor_yz })).body;
    assert.equal(await page.textContent('#supervision-kpis [data-k=cases] .v'), `${sf.cases}（在办 ${sf.cases_open}）`);
    assert.equal(await page.textContent('#supervision-kpis [data-k=shares] .v'), String(sf.shares));
    await page.click('#supervision-clues tr[data-status="初核"]');
    await page.waitForSelector('#supervision-clue[data-status="初核"]');
    const id = await page.getAttribute('#supervision-clue', 'data-id');
    await act(page, '#supervision-clue', 'decide', async (form) => {
      await form.locator('[data-field=decision]').selectOption('立案');
      await form.locator('[data-field=reason]').fill('初核属实');
    });
    await page.waitForSelector(`#supervision-clue[data-id="${id}"][data-status="立案"]`);
    await page.waitForFunction((n) => document.querySelector('#supervision-kpis [data-k=cases] .v')?.textContent.startsWith(`${n}（`), sf.cases + 1);
    await act(page, '#supervision-clue', 'share', async (form) => {
      await form.locator('[data-field=mechanism]').fill('区审计局'); // no note: it is optional
    });
    await page.waitForFunction((n) => document.querySelector('#supervision-kpis [data-k=shares] .v')?.textContent === n, String(sf.shares + 1));
    const names = await page.$$eval('#supervision-clue button[data-action]', (b) => b.map((x) => x.dataset.action));
    assert.deepEqual(names, ['conclude', 'rectify', 'share']);
    // the case's finding goes on the rectification ledger through the server's form
    const ledgerBefore = (await api(srv.base, '/api/v1/ledger/figures', { token: tok.supervisor_yz })).body.problems;
    await act(page, '#supervision-clue', 'rectify', async (form) => {
      await form.locator('[data-field=title]').fill('个别干部违规接受宴请');
      assert.equal(await form.locator('[data-field=source]').inputValue(), '督查');
      await form.locator('[data-field=category]').fill('作风');
      await form.locator('[data-field=department]').selectOption({ index: 1 });
      await form.locator('[data-field=deadline]').fill('2099-03-31');
    });
    await page.waitForSelector('#supervision-problems');
    const ledgerAfter = (await api(srv.base, '/api/v1/ledger/figures', { token: tok.supervisor_yz })).body.problems;
    assert.equal(ledgerAfter, ledgerBefore + 1);
    assert.deepEqual(page.problems, []);
  } finally {
    await context.close();
  }

  ({ context, page } = await openPage(browser, srv.base, BIG_SCREEN));
  try {
    await openLedger(page, 'center_yz');
    const before = (await api(srv.base, '/api/v1/ledger/figures', { token: tok.center_yz })).body;
    await openProblem(page);
    await act(page, '#ledger-problem > .actions', 'close');
    await page.waitForSelector(`#ledger-problem[data-id="${pid}"][data-status=closed]`);
    await page.waitForFunction((n) => document.querySelector('#ledger-kpis [data-k=closed] .v')?.textContent === n, String(before.closed + 1));
    assert.deepEqual(await page.$$eval('#ledger-problem > .actions button[data-action]', (b) => b.map((x) => x.dataset.action)), ['reopen']);
    await act(page, '#ledger-problem > .actions', 'reopen', async (form) => {
      await form.locator('[data-field=reason]').fill('回头看发现占道经营再次出现');
    });
    await page.waitForSelector(`#ledger-problem[data-id="${pid}"][data-status=open]`);
    assert.match(await page.textContent('#ledger-problem .timeline'), /反弹：回头看发现占道经营再次出现/);
    // the printable summary carries the panel's figures
    const after = (await api(srv.base, '/api/v1/ledger/figures', { token: tok.center_yz })).body;
    const [print] = await Promise.all([context.waitForEvent('page'), page.click('#ledger-print')]);
    await print.waitForSelector('body[data-ready=true]');
    assert.match(await print.textContent('#figures'), new RegExp(`问题：${after.problems} 个`));
    assert.match(await print.textContent('#figures'), new RegExp(`销号率：${(after.closure_rate * 100).toFixed(1)}%`));
    assert.match(await print.textContent('#changes'), /与 .* 相比/);
    const open = (await api(srv.base, '/api/v1/ledger/problems?status=open', { token: tok.center_yz })).body.items;
    assert.ok(open.some((p) => p.id === pid), 'the reopened problem is open again');
    assert.equal(await print.locator('#open tbody tr').count(), Math.min(25, open.length));
    assert.deepEqual(page.problems, []);
  } finally {
    await context.close();
  }
});

test('a resident reports on the phone (码上监督), keeps the tracking code and reads the progress; only supervision sees the report', async () => {
  const { context, page } = await openPage(browser, srv.base, PHONE);
  try {
    await page.goto(`${srv.base}/report/supervision.html?region=500103001`);
    await page.waitForSelector('body[data-ready=true]');
    // a named report with a wrong phone is refused with the field focused, nothing kept
    await page.fill('#sv-summary', '某窗口工作人员办事推诿、索要好处（浏览器测试）');
    await page.check('#sv-named');
    await page.fill('#sv-name', '李某');
    await page.fill('#sv-phone', '12345');
    await page.click('#sv-submit');
    await page.waitForFunction(() => document.querySelector('#sv-error').textContent.length > 0);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'sv-phone');
    page.problems = page.problems.filter((x) => !x.startsWith(`HTTP 400 POST ${srv.base}/api/v1/public/supervision-reports`));
    // anonymous then: the code is shown and its progress read back
    await page.uncheck('#sv-named');
    await page.click('#sv-submit');
    await page.waitForSelector('#sv-done:not([hidden])');
    const code = await page.textContent('#sv-code');
    assert.match(code, /^[2-9A-HJ-NP-Z]{10}$/);
    await page.click('#sv-lookup button[type=submit]');
    await page.waitForSelector('#sv-status');
    assert.match(await page.textContent('#sv-status'), /已受理，正在初核/);
    const noScroll = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    assert.ok(noScroll, 'fits 375 px');
    assert.deepEqual(page.problems, []);
  } finally {
    await context.close();
  }
  const clues = (await api(srv.base, '/api/v1/supervision/clues', { token: tok.supervisor_yz })).body.items;
  const mine = clues.find((c) => c.summary.includes('浏览器测试'));
  assert.ok(mine && mine.anonymous && mine.channel === '码上举报' && mine.region === '500103001', JSON.stringify(mine));
  assert.equal((await api(srv.base, '/api/v1/supervision/clues', { token: tok.center_yz })).status, 404);
});

test('a grid worker sees neither the ledger nor the clues', async () => {
  const { context, page } = await openPage(browser, srv.base, BIG_SCREEN);
  try {
    await login(page, srv.base, 'grid_jfb', 'zhizhi-demo', '/center/');
    await waitOrExplain(page, 'body[data-ready=true]', 'ledger-grid-ready', { timeout: 60000 });
    assert.equal(await page.locator('#module-bar button[data-panel=ledger]').count(), 0);
    assert.equal(await page.locator('#module-bar button[data-panel=supervision]').count(), 0);
  } finally {
    await context.close();
  }
});
