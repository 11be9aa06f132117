// 找写字楼 in Debian's Chromium (issue 16): an enterprise on a phone, without an account, finds
// buildings in 解放碑 with at least 2,000 m² free (the cards are the server's answer: vacant
// area, grade, the industries upstairs and downstairs), opens one, types its 统一社会信用代码
// with a wrong check character and is told under that field which character the code needs,
// corrects it and gets a receipt. The district duty officer then finds the inquiry in the
// command center's 入驻意向 panel and marks it 已联系, which the API confirms.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, startServer } from './lib.mjs';
import { BIG_SCREEN, PHONE, assertServesThisTree, launch, login, openPage, shot, waitOrExplain } from './browser_lib.mjs';

let srv;
let browser;

before(async () => {
  srv = await startServer(['--pwhash-cost', 'min']);
  await assertServesThisTree(srv.base, srv.bin || 'the binary');
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('an enterprise finds space on the phone and leaves a 入驻意向; the duty officer follows it up', async () => {
  const want = (await api(srv.base, '/api/v1/buildings/space?zone=jfb&min_m2=2000')).body.items;
  assert.ok(want.length > 0);
  let inquiryId;
  const phone = await openPage(browser, srv.base, PHONE);
  try {
    const { page } = phone;
    await page.goto(`${srv.base}/report/buildings.html`);
    await waitOrExplain(page, 'body[data-ready=true]', 'space-ready');
    assert.match(await page.textContent('#s-asof'), /\d{4}-12-31.*演示数据/);
    await page.selectOption('#s-zone', { label: '解放碑中央商务区' });
    await page.fill('#s-area', '2000');
    await page.click('#s-search');
    await page.waitForFunction((n) => document.querySelector('#s-count').textContent === `找到 ${n} 栋楼宇`, want.length);
    const codes = await page.$$eval('.space-result', (n) => n.map((x) => x.dataset.code));
    assert.deepEqual(codes, want.slice(0, 30).map((b) => b.code));
    if (want.length > 30) {
      await page.click('#s-more');
      assert.equal(await page.locator('.space-result').count(), want.length);
    }
    const first = page.locator('.space-result').first();
    assert.equal(await first.locator('strong').textContent(), want[0].name);
    assert.match(await first.locator('[data-k=vacant]').textContent(), new RegExp(`可租 ${Math.round(want[0].vacant_m2).toLocaleString('zh-CN')} m²`));
    assert.match(await first.locator('[data-k=mix]').textContent(), new RegExp(want[0].industries[0].name));
    // no horizontal scrolling on the phone
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1));
    await shot(page, 'building-space-results');
    await first.locator('button', { hasText: '我要入驻' }).click();
    await page.waitForSelector('#s-form:not([hidden])');
    assert.equal(await page.textContent('#s-form-title'), `入驻意向 · ${want[0].name}`);
    assert.equal(await page.inputValue('#q-area'), '2000');
    await page.fill('#q-name', '重庆示例数智科技有限公司');
    await page.fill('#q-uscc', '91440300708461136x'); // lower case and a wrong check character
    await page.selectOption('#q-industry', 'I');
    await page.fill('#q-area', '2400');
    await page.fill('#q-contact', '李女士');
    await page.fill('#q-phone', '139 1234 5678');
    await page.click('#q-submit');
    const err = page.locator('.field-error[data-for=uscc]');
    await err.waitFor();
    assert.match(await err.textContent(), /第 18 位应为 T/);
    assert.equal(await page.getAttribute('#q-uscc', 'aria-invalid'), 'true');
    await page.fill('#q-uscc', '91440300708461136T');
    await page.click('#q-submit');
    await page.waitForSelector('#q-done:not([hidden])');
    const receipt = await page.textContent('#q-receipt');
    const m = receipt.match(/编号 (\d+)/);
    assert.ok(m, receipt);
    inquiryId = Number(m[1]);
    assert.match(await page.textContent('#q-receipt-hint'), new RegExp(want[0].name));
    await shot(page, 'building-space-receipt');
    assert.deepEqual(phone.page.problems.filter((p) => !/HTTP 400 POST .*space\/inquiries/.test(p)), []);
  } finally {
    await phone.context.close();
  }

  const { context, page } = await openPage(browser, srv.base, BIG_SCREEN);
  try {
    await login(page, srv.base, 'center_yz', 'zhizhi-demo', '/center/');
    await waitOrExplain(page, 'body[data-ready=true]', 'center-ready', { timeout: 60000 });
    await page.click('#module-bar button[data-panel=building_leads]');
    const row = page.locator(`#building-leads tr[data-inquiry="${inquiryId}"]`);
    await row.waitFor();
    const text = await row.textContent();
    for (const s of [want[0].name, '重庆示例数智科技有限公司', '91440300708461136T', '信息传输', '2,400 m²', '李女士', '待联系']) {
      assert.ok(text.includes(s), `${s} in ${text}`);
    }
    assert.deepEqual(await row.locator('button').allTextContents(), ['已联系', '已签约', '未成交']);
    await row.locator('button[data-next=contacted]').click();
    await page.waitForSelector(`#building-leads tr[data-inquiry="${inquiryId}"][data-status=contacted]`);
    assert.equal(await page.textContent(`#building-leads tr[data-inquiry="${inquiryId}"] [data-k=status]`), '已联系');
    assert.deepEqual(await page.locator(`#building-leads tr[data-inquiry="${inquiryId}"] button`).allTextContents(), ['已签约', '未成交']);
    const token = (await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username: 'center_yz', password: 'zhizhi-demo' } })).body.token;
    const items = (await api(srv.base, '/api/v1/buildings/inquiries', { token })).body.items;
    assert.equal(items.find((q) => q.id === inquiryId).status, 'contacted');
    assert.deepEqual(page.problems, []);
  } finally {
    await context.close();
  }
});
