// Issue 11, the New Year time bomb: the real server run under libfaketime (Debian's faketime)
// on 30 December and 2 January of a year whose State Council holiday notice is not in the
// calendar (2027 with data ending in 2026). It must start on a new database, take a resident's
// Open311 report, approve an extension into the new year, and say the deadlines and the year
// are provisional.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, api, run } from './lib.mjs';

const LIB = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';

function fakeEnv(utc) {
  // FAKETIME "@…" starts the clock at that instant and lets it run; monotonic time stays real
  // so the server's timers and condition waits behave.
  return { LD_PRELOAD: LIB, FAKETIME: `@${utc}`, FAKETIME_DONT_FAKE_MONOTONIC: '1', TZ: 'UTC' };
}

async function login(base, u) {
  const r = await api(base, '/api/v1/sessions', { method: 'POST', body: { username: u, password: 'zhizhi-demo' } });
  assert.equal(r.status, 201, `login ${u}: ${r.text}`);
  return r.body.token;
}

for (const [label, utc, today] of [
  ['30 December', '2026-12-30 02:00:00', '2026-12-30'],
  ['2 January', '2027-01-02 02:00:00', '2027-01-02'],
]) {
  test(`on ${label} without next year's notice the server starts, takes reports and extensions`,
    { skip: !existsSync(LIB) && 'faketime is not installed (scripts/deps.sh)' }, async () => {
      const srv = await startServer(['--pwhash-cost', 'min'], { env: fakeEnv(utc) });
      try {
        const v = await api(srv.base, '/api/v1/version');
        assert.equal(v.status, 200);
        assert.ok(v.body.now.startsWith(today), `faked clock: ${v.body.now}`);
        // The banner flag: 2027 is provisional (its notice is not in).
        assert.deepEqual(v.body.calendar, { next_year: 2027, provisional: true, official_last_year: 2026,
          notice: '2027年节假日安排尚未导入：涉及2027年的办理期限按法定节假日暂算（不含调休），导入国务院办公厅通知后自动重算。' });

        const grid = (await api(srv.base, '/api/v1/sessions/current', { token: await login(srv.base, 'grid_jfb') })).body.user.grid;
        const [lon, lat] = (await api(srv.base, `/api/v1/regions/${grid}`)).body.center;
        // A resident's Open311 report is accepted.
        const r = await fetch(`${srv.base}/open311/v2/requests.json`, {
          method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ service_code: '1101', lat: String(lat), long: String(lon),
            description: '新年前后路灯不亮', phone: '13800138000' }).toString(),
        });
        const text = await r.text();
        assert.ok(r.status === 200 || r.status === 201, `Open311 POST: ${r.status} ${text}`);
        const id = JSON.parse(text)[0].service_request_id;
        assert.match(id, /^500103-\d{8}-\d{5}$/);

        // The staff's loop through to an approved extension into 2027.
        const center = await login(srv.base, 'center_jfb');
        const dept = await login(srv.base, 'dept_urban');
        const grid_tok = await login(srv.base, 'grid_jfb');
        const created = await api(srv.base, '/api/v1/events', {
          method: 'POST', token: grid_tok,
          body: { category: '1101', title: '跨年垃圾清运', description: '步行街东侧', lon, lat },
        });
        assert.equal(created.status, 201, created.text);
        const act = async (tok, a, body = {}) => {
          const res = await api(srv.base, `/api/v1/events/${created.body.code}/actions/${a}`, { method: 'POST', token: tok, body });
          assert.equal(res.status, 200, `${a}: ${res.text}`);
          return res.body;
        };
        await act(center, 'register');
        const d = await act(center, 'dispatch');
        // On 30 December the handling deadline (working hours) is still in 2026: not provisional.
        assert.equal(d.provisional, d.handle_due_at.startsWith('2027-'), d.handle_due_at);
        await act(dept, 'sign');
        await act(dept, 'request_extension', { hours: 40, reason: '跨年需协调车辆' });
        const ext = await act(center, 'approve_extension');
        assert.ok(Date.parse(ext.handle_due_at) > Date.parse(d.handle_due_at));
        assert.ok(ext.handle_due_at.startsWith('2027-01'), ext.handle_due_at);
        assert.equal(ext.provisional, true);
      } finally {
        await srv.stop();
      }
    });
}

test('today, with this year\'s notice in, deadlines inside it are not provisional', async () => {
  const srv = await startServer(['--pwhash-cost', 'min'], { env: fakeEnv('2026-06-02 02:00:00') });
  try {
    const v = await api(srv.base, '/api/v1/version');
    assert.deepEqual(v.body.calendar, { next_year: 2027, provisional: false, official_last_year: 2026 });
    const tok = await login(srv.base, 'grid_jfb');
    const grid = (await api(srv.base, '/api/v1/sessions/current', { token: tok })).body.user.grid;
    const [lon, lat] = (await api(srv.base, `/api/v1/regions/${grid}`)).body.center;
    const e = await api(srv.base, '/api/v1/events', {
      method: 'POST', token: tok, body: { category: '1101', title: '夏季垃圾', description: '步行街', lon, lat },
    });
    assert.equal(e.status, 201, e.text);
    assert.equal(e.body.provisional, false);
  } finally {
    await srv.stop();
  }
});

test('importing the 2027 notice recounts the open deadlines, audits and tells the handlers',
  { skip: !existsSync(LIB) && 'faketime is not installed (scripts/deps.sh)' }, async () => {
    const env = fakeEnv('2026-12-30 02:00:00');
    const srv = await startServer(['--pwhash-cost', 'min', '--timer-interval', '1'], { env });
    try {
      const center = await login(srv.base, 'center_jfb');
      const dept = await login(srv.base, 'dept_urban');
      const gridTok = await login(srv.base, 'grid_jfb');
      const grid = (await api(srv.base, '/api/v1/sessions/current', { token: gridTok })).body.user.grid;
      const [lon, lat] = (await api(srv.base, `/api/v1/regions/${grid}`)).body.center;
      const created = await api(srv.base, '/api/v1/events', {
        method: 'POST', token: gridTok, body: { category: '1101', title: '跨年占道', description: '步行街', lon, lat },
      });
      assert.equal(created.status, 201, created.text);
      const code = created.body.code;
      const act = async (tok, a, body = {}) => {
        const res = await api(srv.base, `/api/v1/events/${code}/actions/${a}`, { method: 'POST', token: tok, body });
        assert.equal(res.status, 200, `${a}: ${res.text}`);
        return res.body;
      };
      await act(center, 'register');
      await act(center, 'dispatch');
      await act(dept, 'sign');
      await act(dept, 'request_extension', { hours: 21, reason: '跨年' });
      const before = await act(center, 'approve_extension');
      assert.equal(before.provisional, true);
      // Provisionally 2027-01-04 (Monday) is a working day. A notice (test data, not the real
      // one) that gives 01-04 and 01-05 off moves a deadline on those days two working days on.
      assert.ok(before.handle_due_at.startsWith('2027-01-0'), before.handle_due_at);

      const file = join(srv.dataDir, 'notice-2027.csv');
      writeFileSync(file, 'date,kind,name\n2027-01-01,holiday,元旦\n2027-01-04,holiday,测试放假\n' +
        '2027-01-05,holiday,测试放假\n2027-02-05,holiday,春节\n2027-02-20,workday,春节调休上班\n');
      const bad = run(['calendar', 'import', join(srv.dataDir, 'nope.csv'), '--data-dir', srv.dataDir], { env: { ...process.env, ...env } });
      assert.equal(bad.status, 2);
      const r = run(['calendar', 'import', file, '--data-dir', srv.dataDir], { env: { ...process.env, ...env } });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /2027 年节假日安排已导入/);
      assert.match(r.stdout, /[1-9]\d* 件在办事件/);

      // The running server picks the new file up (timer) and the banner goes away.
      let v;
      for (let i = 0; i < 50; i++) {
        v = await api(srv.base, '/api/v1/version');
        if (v.body.calendar.official_last_year === 2027) break;
        await new Promise((res) => setTimeout(res, 200));
      }
      assert.deepEqual(v.body.calendar, { next_year: 2027, provisional: false, official_last_year: 2027 });
      const after = await api(srv.base, `/api/v1/events/${code}`, { token: center });
      assert.equal(after.status, 200);
      assert.equal(after.body.provisional, false, 'an official year is no longer provisional');
      const shift = (Date.parse(after.body.handle_due_at) - Date.parse(before.handle_due_at)) / 86400000;
      assert.ok(shift >= 2, `deadline moved by the two new holidays: ${before.handle_due_at} → ${after.body.handle_due_at}`);
      const h = await api(srv.base, `/api/v1/events/${code}/history`, { token: dept });
      const row = h.body.items.find((x) => x.action === 'recalendar');
      assert.ok(row, 'the handlers see a history row');
      assert.ok(row.action_label && row.action_label !== 'recalendar');
      const audit = run(['audit', 'verify', '--data-dir', srv.dataDir]);
      assert.equal(audit.status, 0, audit.stdout + audit.stderr);
      // Importing the same file again changes nothing more.
      const again = run(['calendar', 'import', file, '--data-dir', srv.dataDir], { env: { ...process.env, ...env } });
      assert.equal(again.status, 0, again.stderr);
      assert.match(again.stdout, /\b0 件在办事件/);
    } finally {
      await srv.stop();
    }
  });
