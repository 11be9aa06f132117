// Shared parking in real Chromium (issue 20), the owner's side: a street duty officer gives a lot
// owner a key from the command center; the owner opens the link on a phone, publishes a share
// plan (a bad window first: the server's words are shown), edits it (a bad edit first), and
// withdraws it; every step is what the API then says. The printable report a leader is handed
// carries the same figures as the API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib.mjs';
import { launch, login, openPage, shot, PHONE, LAPTOP, BIG_SCREEN } from './browser_lib.mjs';

let srv, browser;
before(async () => {
  srv = await startServer(['--pwhash-cost', 'min']);
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); });

const lotPlans = async (code) => (await (await fetch(`${srv.base}/api/v1/parking/lots/${code}`)).json()).plans;

test('the center gives an owner a key; the owner publishes, edits and withdraws a plan on the phone', async () => {
  let link;
  {
    const { context, page } = await openPage(browser, srv.base, BIG_SCREEN);
    try {
      await login(page, srv.base, 'center_jfb', 'zhizhi-demo', '/center/');
      await page.waitForSelector('#parking-owner-key-go', { timeout: 60000 });
      await page.selectOption('#parking-plan-lot', 'P-JFB-02');
      await page.click('#parking-owner-key-go');
      await page.waitForSelector('#parking-owner-key a');
      assert.match(await page.textContent('#parking-owner-key code'), /^zpo_[A-Za-z0-9_-]{43}$/);
      link = await page.getAttribute('#parking-owner-key a', 'href');
      assert.match(link, /\/report\/parking-owner\.html#key=zpo_/);
      assert.deepEqual(page.problems, []);
    } finally {
      await context.close();
    }
  }
  const before = (await lotPlans('P-JFB-02')).map((p) => p.id);
  const { context, page } = await openPage(browser, srv.base, PHONE);
  page.on('dialog', (d) => d.accept());
  try {
    await page.goto(link);
    await page.waitForSelector('body[data-ready=true]');
    assert.equal(await page.isVisible('#o-lot'), true);
    assert.ok(!page.url().includes('key='), 'the key is taken off the address');
    assert.match(await page.textContent('#o-lot-name'), /\S/);
    // publish: an unknown day kind is refused with the server's words
    await page.fill('#o-spaces', '2');
    await page.selectOption('#o-preset', '');
    await page.fill('#o-windows', 'weekends 08:00-20:00');
    await page.click('#o-publish-go');
    await page.waitForFunction(() => document.querySelector('#o-publish-error').textContent.length > 0);
    await page.selectOption('#o-preset', 'daily 20:00-07:00');
    await page.click('#o-publish-go');
    await page.waitForSelector('#o-note');
    assert.match(await page.textContent('#o-note'), /已发布：2 个车位，每天 20:00–次日 07:00/);
    const mine = (await lotPlans('P-JFB-02')).find((p) => !before.includes(p.id));
    assert.equal(mine.windows, 'daily 20:00-07:00');
    await shot(page, 'parking-owner-published');
    // edit: a bad window first, then three spaces, 21:00 to 07:00 at 3 元
    const card = page.locator(`.o-plan[data-plan="${mine.id}"]`);
    await card.locator('.o-edit-go').click();
    await card.locator('input[aria-label=共享时段]').fill('daily 25:00-26:00');
    await card.locator('.o-save').click();
    await page.waitForFunction((id) => document.querySelector(`.o-plan[data-plan="${id}"] .error-text`).textContent.length > 0, mine.id);
    await card.locator('input[aria-label=共享时段]').fill('daily 21:00-07:00');
    await card.locator('input[aria-label=共享车位数]').fill('3');
    await card.locator('input[aria-label="每小时价格（元）"]').fill('3');
    await card.locator('.o-save').click();
    await page.waitForFunction(() => document.querySelector('#o-note')?.textContent === '已保存修改');
    const edited = (await lotPlans('P-JFB-02')).find((p) => p.id === mine.id);
    assert.deepEqual([edited.spaces, edited.windows, edited.price_fen], [3, 'daily 21:00-07:00', 300]);
    assert.match(await page.locator(`.o-plan[data-plan="${mine.id}"]`).textContent(), /3 个车位.*每天 21:00–次日 07:00.*3 元\/小时/);
    // withdraw: gone from the lot's plans, the page says the bookings made stand
    await page.locator(`.o-plan[data-plan="${mine.id}"] .o-withdraw`).click();
    await page.waitForFunction(() => /^已撤回/.test(document.querySelector('#o-note')?.textContent || ''));
    assert.equal(await page.locator(`.o-plan[data-plan="${mine.id}"]`).count(), 0);
    assert.ok(!(await lotPlans('P-JFB-02')).some((p) => p.id === mine.id));
    // leaving forgets the key; a wrong key is refused
    await page.click('#o-leave');
    await page.fill('#o-key', 'zpo_wrong');
    await page.click('#o-enter-go');
    await page.waitForFunction(() => document.querySelector('#o-enter-error').textContent.length > 0);
    assert.equal(await page.isVisible('#o-lot'), false);
    assert.deepEqual(page.problems.filter((p) => !/HTTP 40[01] (POST|PATCH|GET) .*parking\/owner/.test(p)), []);
  } finally {
    await context.close();
  }
});

test('the printable report: the figures of the last 30 days as the API gives them', async () => {
  const { context, page } = await openPage(browser, srv.base, LAPTOP);
  try {
    await login(page, srv.base, 'center_yz', 'zhizhi-demo', '/center/');
    await page.waitForSelector('#parking-print', { timeout: 60000 });
    assert.equal(await page.getAttribute('#parking-print', 'href'), '/center/parking-print.html');
    await page.goto(`${srv.base}/center/parking-print.html`);
    await page.waitForSelector('body[data-ready=true]');
    const f = await page.evaluate(async () => (await fetch('/api/v1/parking/figures')).json());
    assert.equal(await page.textContent('#pp-share-rate'), `共享利用率：${(f.share_rate * 100).toFixed(1)}%`);
    assert.equal(await page.$$eval('#lots tbody tr', (r) => r.length), f.lots.length);
    assert.ok(f.lots.length >= 10);
    assert.equal(await page.$$eval('#hours tbody tr:nth-child(2) td', (c) => c.length), 24);
    assert.equal(await page.$$eval('#demand tbody tr', (r) => r.length), Math.max(1, f.unmet_demand.length));
    assert.ok(f.unmet_demand.length > 0, 'the demo has searches that found nothing');
    assert.match(await page.textContent('#title'), /共享停车运行情况（\d{4}-\d\d-\d\d 至 \d{4}-\d\d-\d\d）/);
    assert.ok(await page.$$eval('#alerts tbody tr', (r) => r.length) >= 1);
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.isVisible('#print'), false);
    await shot(page, 'parking-print');
    assert.deepEqual(page.problems, []);
  } finally {
    await context.close();
  }
});
