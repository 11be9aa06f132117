// Enterprise services in real Chromium (issue 17): a bank clerk handed a community certificate
// scans its QR code on a phone and reads 有效 without logging in; after the community revokes it
// the same code reads 已撤销, and a paper with an altered code reads 伪造. A district duty officer
// opens the 助企兴业 panel, runs a 免申即享 policy and reads who qualifies with the reasons, and
// reads the 欠薪隐患 board with the seed's 184 workers and 327 万元.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api } from './lib.mjs';
import { launch, login, openPage, shot, PHONE, BIG_SCREEN } from './browser_lib.mjs';

let srv, browser, officer;
before(async () => {
  srv = await startServer(['--pwhash-cost', 'min']);
  browser = await launch();
  officer = (await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username: 'post_jfb_qy', password: 'zhizhi-demo' } })).body.token;
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('a certificate\'s QR code opens the public verification page: valid, forged, revoked', async () => {
  const issued = await api(srv.base, '/api/v1/enterprise/certificates', { method: 'POST', token: officer,
    body: { type_code: 'ZM02', community: '500103003013', holder_name: '赵小明', purpose: '助学金申请' } });
  assert.equal(issued.status, 201, issued.text);
  const { serial } = issued.body;

  // the community prints it: the QR code and the address it encodes are on the paper
  const desk = await openPage(browser, srv.base, BIG_SCREEN);
  let url;
  try {
    await login(desk.page, srv.base, 'post_jfb_qy', 'zhizhi-demo', '/center/');
    await desk.page.goto(`${srv.base}/api/v1/enterprise/certificates/${serial}/print`);
    await desk.page.waitForSelector('.qr svg');
    assert.equal(await desk.page.textContent('h1'), '家庭经济困难证明');
    assert.ok(!(await desk.page.textContent('body')).includes('赵小明'));
    url = (await desk.page.textContent('#verify-url')).trim();
    assert.ok(url.startsWith(`${srv.base}/verify/${serial}?s=`));
    await shot(desk.page, 'enterprise-certificate-print');
  } finally {
    await desk.context.close();
  }

  // the clerk's phone, no login
  const phone = await openPage(browser, srv.base, PHONE);
  try {
    await phone.page.goto(url);
    assert.equal(await phone.page.textContent('#status'), '有效');
    assert.match(await phone.page.textContent('dl'), /家庭经济困难证明[\s\S]*赵\*\*/);
    await shot(phone.page, 'enterprise-verify-valid');
    const sig = new URL(url).searchParams.get('s');
    await phone.page.goto(`${srv.base}/verify/${serial}?s=${sig.slice(0, 127)}${sig.at(-1) === 'a' ? 'b' : 'a'}`);
    assert.equal(await phone.page.getAttribute('#status', 'data-status'), 'forged');

    const r = await api(srv.base, `/api/v1/enterprise/certificates/${serial}/revoke`, { method: 'POST', token: officer, body: { reason: '已重新开具' } });
    assert.equal(r.status, 200, r.text);
    await phone.page.goto(url);
    assert.equal(await phone.page.textContent('#status'), '已撤销');
    assert.match(await phone.page.textContent('dl'), /已重新开具/);
    await shot(phone.page, 'enterprise-verify-revoked');
    assert.deepEqual(phone.page.problems, []);
  } finally {
    await phone.context.close();
  }
});

test('the duty officer runs a 免申即享 policy and reads the wage-arrears board', async () => {
  const { context, page } = await openPage(browser, srv.base, BIG_SCREEN);
  try {
    await login(page, srv.base, 'center_yz', 'zhizhi-demo', '/center/');
    await page.waitForSelector('#panel-enterprise #enterprise-received', { timeout: 60000 });
    const received = Number(await page.textContent('#enterprise-received'));
    assert.ok(received > 0);
    assert.equal(await page.textContent('#enterprise-reduction'), '72.7%');
    await page.selectOption('#enterprise-policy', 'MSJX-2026-01');
    await page.click('#enterprise-policy-form button[type=submit]');
    await page.waitForSelector('#enterprise-policy-summary');
    const summary = await page.textContent('#enterprise-policy-summary');
    const m = summary.match(/(\d+) 家企业中 (\d+) 家符合/);
    assert.ok(m && Number(m[2]) > 0 && Number(m[2]) < Number(m[1]), summary);
    assert.match(await page.textContent('#enterprise-policy-result table'), /从业人数 \d+ ≥ 10：符合/);
    await shot(page, 'enterprise-policy-run');

    await page.waitForSelector('#panel-wage_warnings #wage-resolved');
    assert.equal(await page.textContent('#wage-resolved'), '11');
    assert.equal(await page.textContent('#wage-workers'), '184 名');
    assert.equal(await page.textContent('#wage-recovered'), '3270000.00 元');
    const rows = await page.$$eval('#wage-warnings tbody tr', (r) => r.map((x) => x.textContent));
    assert.equal(rows.filter((t) => t.includes('待化解')).length, 2);
    assert.ok(rows.some((t) => t.includes('工程进度款未付')));
    await shot(page, 'enterprise-wage-board');
    assert.deepEqual(page.problems, []);
  } finally {
    await context.close();
  }
});
