// Issue 11 #3, the duty officer's side of the New Year time bomb, in Debian's Chromium: on
// 30 December (the server under libfaketime) with the 2027 notice not in, the command center
// shows the server's banner that 2027's deadlines are provisional; once `zhizhi calendar import`
// brings the notice in, a reload shows no banner.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { api, run, startServer } from './lib.mjs';
import { BIG_SCREEN, launch, login, openPage } from './browser_lib.mjs';

const LIB = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
const env = { LD_PRELOAD: LIB, FAKETIME: '@2026-12-30 02:00:00', FAKETIME_DONT_FAKE_MONOTONIC: '1', TZ: 'UTC' };
let srv;
let browser;

before(async () => {
  if (!existsSync(LIB)) return;
  srv = await startServer(['--pwhash-cost', 'min', '--timer-interval', '1'], { env });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

test('the command center warns of a provisional year until its notice is imported',
  { skip: !existsSync(LIB) && 'faketime is not installed (scripts/deps.sh)' }, async () => {
    const { context, page } = await openPage(browser, srv.base, BIG_SCREEN);
    try {
      await login(page, srv.base, 'center_jfb', 'zhizhi-demo', '/center/');
      const banner = page.locator('#calendar-banner');
      await banner.waitFor({ state: 'visible', timeout: 20000 });
      const text = await banner.textContent();
      assert.match(text, /^2027年节假日安排尚未导入/);
      assert.match(text, /暂算/);

      const file = join(srv.dataDir, 'notice-2027.csv');
      writeFileSync(file, 'date,kind,name\n2027-01-01,holiday,元旦\n2027-02-05,holiday,春节\n2027-02-20,workday,春节调休上班\n');
      const r = run(['calendar', 'import', file, '--data-dir', srv.dataDir], { env: { ...process.env, ...env } });
      assert.equal(r.status, 0, r.stderr);
      // The running server reloads the file on its timer.
      let v;
      for (let i = 0; i < 50; i++) {
        v = await api(srv.base, '/api/v1/version');
        if (!v.body.calendar.provisional) break;
        await new Promise((res) => setTimeout(res, 200));
      }
      assert.equal(v.body.calendar.provisional, false);
      assert.equal(v.body.calendar.notice, undefined);

      await page.reload();
      await page.waitForSelector('body[data-ready=true]', { timeout: 20000 });
      assert.equal(await banner.isVisible(), false, 'no banner once the notice is in');
      assert.deepEqual(page.problems, []);
    } finally {
      await context.close();
    }
  });
