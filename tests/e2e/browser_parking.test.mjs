// Shared parking in real Chromium (issue 20): a driver on a phone finds a free shared space near
// 解放碑, books it by plate, sees the entrance and the way on foot, and cancels; the booking is
// listed under 我的预约 with its state. A district duty officer sees the parking layer and the
// figures panel in the command center (share rate, the lots, CSV downloads).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib.mjs';
import { launch, login, openPage, shot, PHONE, BIG_SCREEN } from './browser_lib.mjs';

let srv, browser;
before(async () => {
  srv = await startServer(['--pwhash-cost', 'min']);
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('a driver finds, books and cancels a shared space near 解放碑 on the phone', async () => {
  const { context, page } = await openPage(browser, srv.base, PHONE);
  try {
    await page.goto(`${srv.base}/report/parking.html`);
    await page.waitForSelector('body[data-ready=true]');
    await page.selectOption('#p-dest', { label: '解放碑' });
    await page.selectOption('#p-hours', '2');
    await page.click('#p-search');
    await page.waitForSelector('.parking-result');
    const names = await page.$$eval('.parking-result strong', (n) => n.map((x) => x.textContent));
    assert.ok(names.length > 0);
    const hints = await page.$$eval('.parking-result .hint', (n) => n.map((x) => x.textContent));
    assert.match(hints[0], /步行约 \d+ 分钟/);
    await shot(page, 'parking-driver-results');
    const first = page.locator('.parking-result').first();
    await first.locator('button', { hasText: '预约' }).click();
    await first.locator('input').fill('渝A12');
    await first.locator('button', { hasText: '确认预约' }).click();
    // a bad plate is refused with the server's words
    await page.waitForFunction(() => document.querySelector('.parking-result .error-text')?.textContent.length > 0);
    assert.match(await first.locator('.error-text').textContent(), /车牌/);
    await first.locator('input').fill('渝a 6k2z8'); // written as people do: the server normalises it
    await first.locator('button', { hasText: '确认预约' }).click();
    await page.waitForSelector('#p-booking:not([hidden]) #p-booking-id');
    assert.equal(await page.textContent('#p-status'), '已预约');
    assert.ok((await page.textContent('#p-entrance')).length > 1);
    assert.ok(await page.$('#p-booking svg.parking-route line'));
    await page.waitForSelector('#p-mine li');
    assert.match(await page.textContent('#p-mine'), /渝A6K2Z8.*已预约/);
    await shot(page, 'parking-driver-booked');
    await page.click('#p-cancel');
    await page.waitForFunction(() => document.querySelector('#p-status').textContent === '已取消');
    await page.waitForFunction(() => /已取消/.test(document.querySelector('#p-mine').textContent));
    assert.deepEqual(page.problems.filter((p) => !/HTTP 400 POST .*parking\/bookings/.test(p)), []);
  } finally {
    await context.close();
  }
});

test('the command center shows the parking layer and the figures panel', async () => {
  const { context, page } = await openPage(browser, srv.base, BIG_SCREEN);
  try {
    await login(page, srv.base, 'center_yz', 'zhizhi-demo', '/center/');
    await page.waitForSelector('#panel-parking_figures #parking-share-rate', { timeout: 60000 });
    assert.match(await page.textContent('#parking-share-rate'), /^\d+\.\d%$/);
    const lots = Number(await page.getAttribute('body', 'data-parking-layer'));
    assert.ok(lots >= 10, `${lots} lots on the layer`);
    const rows = await page.$$eval('#panel-parking_figures tbody tr', (r) => r.length);
    assert.ok(rows >= 10);
    const links = await page.$$eval('#panel-parking_figures a', (a) => a.map((x) => x.getAttribute('href')));
    assert.ok(links.includes('/api/v1/parking/figures.csv'));
    await page.locator('#panel-parking_figures').scrollIntoViewIfNeeded();
    await shot(page, 'parking-center');
    // publishing a share plan on an owner's behalf: the server's refusal is shown, then success
    await page.selectOption('#parking-plan-lot', 'P-JFB-02');
    await page.fill('#parking-plan-windows', 'weekends 08:00-20:00');
    await page.click('#parking-plan-form button[type=submit]');
    await page.waitForFunction(() => document.querySelector('#parking-plan-result').textContent.length > 0);
    assert.match(await page.getAttribute('#parking-plan-result', 'class'), /error-text/);
    await page.fill('#parking-plan-windows', 'restday 08:00-20:00');
    await page.fill('#parking-plan-spaces', '12');
    await page.click('#parking-plan-form button[type=submit]');
    await page.waitForFunction(() => /^已发布/.test(document.querySelector('#parking-plan-result').textContent));
    const lot = await (await fetch(`${srv.base}/api/v1/parking/lots/P-JFB-02`)).json();
    assert.ok(lot.plans.some((p) => p.spaces === 12 && p.windows === 'restday 08:00-20:00'));
    assert.deepEqual(page.problems.filter((p) => !/HTTP 400 POST .*\/plans/.test(p)), []);
  } finally {
    await context.close();
  }
});
