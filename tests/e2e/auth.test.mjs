// Accounts end to end: login, wrong password, slow-down and lockout (and their expiry), session
// expiry, logout, cookies and Origin, password change, the users API, the audit log and
// `zhizhi audit verify` before and after a row is edited with the sqlite3 CLI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, api, run, tmpDir } from './lib.mjs';

const DEMO = 'zhizhi-demo';
const ADMIN_PW = 'admin-e2e-password';
const FAST = ['--pwhash-cost', 'min'];
let srv;
let pwFile;

function adminPwFile() {
  const dir = tmpDir('zhizhi-pw-');
  const f = join(dir, 'admin.pw');
  writeFileSync(f, ADMIN_PW + '\n');
  return f;
}

async function login(base, username, password = DEMO, headers = {}) {
  return api(base, '/api/v1/sessions', { method: 'POST', body: { username, password }, headers });
}

async function tokenOf(base, username, password = DEMO) {
  const r = await login(base, username, password);
  assert.equal(r.status, 201, `login ${username}: ${r.text}`);
  return r.body.token;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

before(async () => {
  pwFile = adminPwFile();
  srv = await startServer([...FAST, '--admin-password-file', pwFile, '--login-lock-after', '3',
    '--login-slow-after', '100']);
});
after(async () => { await srv?.stop(); });

test('login gives a token, an HttpOnly SameSite=Strict cookie, and who I am', async () => {
  const r = await login(srv.base, 'center_jfb');
  assert.equal(r.status, 201);
  assert.match(r.body.token, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(r.body.user.role, 'center');
  assert.equal(r.body.user.level, 'street');
  assert.equal(r.body.user.region, '500103003');
  assert.ok(r.body.expires);
  const cookie = r.headers.get('set-cookie');
  assert.match(cookie, /^zhizhi_session=/);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  const me = await api(srv.base, '/api/v1/sessions/current', { token: r.body.token });
  assert.equal(me.status, 200);
  assert.equal(me.body.user.username, 'center_jfb');
  assert.equal(me.body.user.display_name, '解放碑街道指挥中心值班员');
  assert.ok(me.body.permissions.includes('org.team.read'));
  assert.ok(!me.body.permissions.includes('user.write'));
  const viaCookie = await api(srv.base, '/api/v1/sessions/current', {
    headers: { Cookie: `zhizhi_session=${r.body.token}` },
  });
  assert.equal(viaCookie.status, 200);
  // The log never holds the token or the password.
  assert.ok(!srv.log().includes(r.body.token));
  assert.ok(!srv.log().includes(DEMO));
});

test('the admin password comes from --admin-password-file', async () => {
  const r = await login(srv.base, 'admin', ADMIN_PW);
  assert.equal(r.status, 201);
  assert.equal(r.body.user.role, 'admin');
});

test('wrong password and unknown user answer alike with 401', async () => {
  const a = await login(srv.base, 'dept_eco', 'not-the-password');
  const b = await login(srv.base, 'no_such_user', 'not-the-password');
  for (const r of [a, b]) {
    assert.equal(r.status, 401);
    assert.equal(r.body.code, 'bad_credentials');
    assert.match(r.headers.get('content-type'), /application\/problem\+json/);
  }
  const missing = await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username: 'x' } });
  assert.equal(missing.status, 400);
  assert.equal(missing.body.field, 'password');
});

test('three failures lock the account; the right password is refused while locked', async () => {
  assert.equal((await login(srv.base, 'center_qxg', 'wrong-1')).status, 401);
  assert.equal((await login(srv.base, 'center_qxg', 'wrong-2')).status, 401);
  const third = await login(srv.base, 'center_qxg', 'wrong-3');
  assert.equal(third.status, 429);
  assert.equal(third.body.code, 'account_locked');
  assert.ok(Number(third.headers.get('retry-after')) > 0);
  const right = await login(srv.base, 'center_qxg');
  assert.equal(right.status, 429);
  assert.equal(right.body.code, 'account_locked');
  // Other accounts are unaffected.
  assert.equal((await login(srv.base, 'center_yz')).status, 201);
});

test('logout ends the session', async () => {
  const t = await tokenOf(srv.base, 'dept_urban');
  const out = await api(srv.base, '/api/v1/sessions/current', { method: 'DELETE', token: t });
  assert.equal(out.status, 204);
  const me = await api(srv.base, '/api/v1/sessions/current', { token: t });
  assert.equal(me.status, 401);
  assert.equal(me.body.code, 'session_expired');
  const anon = await api(srv.base, '/api/v1/sessions/current');
  assert.equal(anon.status, 401);
  assert.equal(anon.body.code, 'unauthorized');
});

test('cookie-authenticated writes need this server\'s Origin', async () => {
  const t = await tokenOf(srv.base, 'volunteer_jfb');
  const cookie = { Cookie: `zhizhi_session=${t}` };
  const none = await api(srv.base, '/api/v1/sessions/current', { method: 'DELETE', headers: cookie });
  assert.equal(none.status, 403);
  assert.equal(none.body.code, 'origin_mismatch');
  const evil = await api(srv.base, '/api/v1/sessions/current', {
    method: 'DELETE', headers: { ...cookie, Origin: 'http://evil.example' },
  });
  assert.equal(evil.status, 403);
  const ok = await api(srv.base, '/api/v1/sessions/current', {
    method: 'DELETE', headers: { ...cookie, Origin: srv.base },
  });
  assert.equal(ok.status, 204);
  assert.match(ok.headers.get('set-cookie'), /Max-Age=0/);
  // Bearer tokens need no Origin.
  const t2 = await tokenOf(srv.base, 'volunteer_jfb');
  assert.equal((await api(srv.base, '/api/v1/sessions/current', { method: 'DELETE', token: t2 })).status, 204);
});

test('password change: the old password stops working, other sessions end', async () => {
  const a = await tokenOf(srv.base, 'post_jfb_cg');
  const b = await tokenOf(srv.base, 'post_jfb_cg');
  const wrong = await api(srv.base, '/api/v1/users/me/password', {
    method: 'POST', token: a, body: { current_password: 'nope-nope', new_password: 'new-password-1' },
  });
  assert.equal(wrong.status, 403);
  assert.equal(wrong.body.field, 'current_password');
  const weak = await api(srv.base, '/api/v1/users/me/password', {
    method: 'POST', token: a, body: { current_password: DEMO, new_password: 'short' },
  });
  assert.equal(weak.status, 400);
  assert.equal(weak.body.field, 'new_password');
  const ok = await api(srv.base, '/api/v1/users/me/password', {
    method: 'POST', token: a, body: { current_password: DEMO, new_password: 'new-password-1' },
  });
  assert.equal(ok.status, 204);
  assert.equal((await api(srv.base, '/api/v1/sessions/current', { token: a })).status, 200);
  assert.equal((await api(srv.base, '/api/v1/sessions/current', { token: b })).status, 401);
  assert.equal((await login(srv.base, 'post_jfb_cg')).status, 401);
  assert.equal((await login(srv.base, 'post_jfb_cg', 'new-password-1')).status, 201);
});

test('users API: admin creates, validates against the district, updates and disables', async () => {
  const admin = await tokenOf(srv.base, 'admin', ADMIN_PW);
  const gw = (await api(srv.base, '/api/v1/users/grid_jfb', { token: admin })).body;
  assert.match(gw.grid, /^500103003\d{6}$/);
  const badGrid = await api(srv.base, '/api/v1/users', {
    method: 'POST', token: admin,
    body: { username: 'gw_new', role: 'grid_worker', grid: '500103003999999', team_role: '网格长', password: 'grid-password-1' },
  });
  assert.equal(badGrid.status, 400);
  assert.equal(badGrid.body.field, 'grid');
  const badDept = await api(srv.base, '/api/v1/users', {
    method: 'POST', token: admin,
    body: { username: 'dep_new', role: 'department', department: 'nope', password: 'dept-password-1' },
  });
  assert.equal(badDept.status, 400);
  assert.equal(badDept.body.code, 'unknown_department');
  const badRegion = await api(srv.base, '/api/v1/users', {
    method: 'POST', token: admin,
    body: { username: 'c_new', role: 'center', level: 'street', region: '500103', password: 'center-password' },
  });
  assert.equal(badRegion.status, 400);
  assert.equal(badRegion.body.field, 'region');
  const created = await api(srv.base, '/api/v1/users', {
    method: 'POST', token: admin,
    body: { username: 'gw_new', display_name: '新网格员', role: 'grid_worker', grid: gw.grid, team_role: '网格长', password: 'grid-password-1' },
  });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.body.grid, gw.grid);
  assert.equal(created.body.password, undefined);
  assert.equal(created.headers.get('location'), '/api/v1/users/gw_new');
  const dup = await api(srv.base, '/api/v1/users', {
    method: 'POST', token: admin,
    body: { username: 'gw_new', role: 'admin', password: 'grid-password-1' },
  });
  assert.equal(dup.status, 409);
  const t = await tokenOf(srv.base, 'gw_new', 'grid-password-1');
  const renamed = await api(srv.base, '/api/v1/users/gw_new', {
    method: 'PATCH', token: admin, body: { display_name: '网格长甲' },
  });
  assert.equal(renamed.status, 200);
  assert.equal(renamed.body.display_name, '网格长甲');
  assert.equal((await api(srv.base, '/api/v1/sessions/current', { token: t })).status, 200);
  const off = await api(srv.base, '/api/v1/users/gw_new', {
    method: 'PATCH', token: admin, body: { disabled: true },
  });
  assert.equal(off.status, 200);
  assert.equal(off.body.disabled, true);
  assert.equal((await api(srv.base, '/api/v1/sessions/current', { token: t })).status, 401);
  assert.equal((await login(srv.base, 'gw_new', 'grid-password-1')).status, 401);
  const list = await api(srv.base, '/api/v1/users?limit=3', { token: admin });
  assert.equal(list.status, 200);
  assert.equal(list.body.items.length, 3);
  assert.ok(list.body.next);
  const page2 = await api(srv.base, `/api/v1/users?limit=3&cursor=${list.body.next}`, { token: admin });
  assert.ok(page2.body.items[0].username > list.body.items[2].username);
  const missing = await api(srv.base, '/api/v1/users/nobody_here', { token: admin });
  assert.equal(missing.status, 404);
});

test('team phone numbers: in full for the center, masked for a grid worker', async () => {
  const admin = await tokenOf(srv.base, 'admin', ADMIN_PW);
  const grid = (await api(srv.base, '/api/v1/users/grid_jfb', { token: admin })).body.grid;
  const center = await api(srv.base, `/api/v1/grids/${grid}/team`, { token: await tokenOf(srv.base, 'center_jfb') });
  const worker = await api(srv.base, `/api/v1/grids/${grid}/team`, { token: await tokenOf(srv.base, 'grid_jfb') });
  assert.equal(center.status, 200);
  assert.equal(worker.status, 200);
  assert.ok(center.body.items.length > 0);
  for (const p of center.body.items) if (p.phone) assert.match(p.phone, /^\d{11}$/);
  for (const p of worker.body.items) if (p.phone) assert.match(p.phone, /^\d{3}\*{4}\d{4}$/);
});

test('the audit log records writes; auditors read it with filters and paging', async () => {
  const auditor = await tokenOf(srv.base, 'auditor_yz');
  const r = await api(srv.base, '/api/v1/audit?object_type=user&object_id=gw_new', { token: auditor });
  assert.equal(r.status, 200);
  const actions = r.body.items.map((i) => i.action);
  assert.ok(actions.includes('user.create'));
  assert.ok(actions.includes('user.update'));
  const upd = r.body.items.find((i) => i.action === 'user.update');
  assert.equal(upd.actor, 'admin');
  assert.equal(upd.actor_role, 'admin');
  assert.match(upd.before_digest, /^[0-9a-f]{64}$/);
  assert.match(upd.after_digest, /^[0-9a-f]{64}$/);
  assert.match(upd.request_id, /^[0-9a-f]+$/);
  const byActor = await api(srv.base, '/api/v1/audit?actor=center_jfb&limit=1', { token: auditor });
  assert.equal(byActor.body.items.length, 1);
  assert.equal(byActor.body.items[0].actor, 'center_jfb');
  const page = await api(srv.base, '/api/v1/audit?limit=2', { token: auditor });
  assert.equal(page.body.items.length, 2);
  const page2 = await api(srv.base, `/api/v1/audit?limit=2&cursor=${page.body.next}`, { token: auditor });
  assert.ok(page2.body.items[0].id < page.body.items[1].id);
  const future = await api(srv.base, '/api/v1/audit?from=2999-01-01', { token: auditor });
  assert.equal(future.body.items.length, 0);
  const badFrom = await api(srv.base, '/api/v1/audit?from=yesterday', { token: auditor });
  assert.equal(badFrom.status, 400);
  assert.equal(badFrom.body.field, 'from');
  const center = await api(srv.base, '/api/v1/audit', { token: await tokenOf(srv.base, 'center_yz') });
  assert.equal(center.status, 403);
});

test('security headers on every response; no CORS unless configured', async () => {
  const r = await api(srv.base, '/api/v1/regions?level=street', { headers: { Origin: 'http://evil.example' } });
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.ok(r.headers.get('referrer-policy'));
  assert.match(r.headers.get('content-security-policy'), /frame-ancestors 'none'/);
  assert.equal(r.headers.get('access-control-allow-origin'), null);
});

test('audit verify: intact, then broken at the row edited with the sqlite3 CLI', async () => {
  const dir = tmpDir();
  const s = await startServer(FAST, { dataDir: dir });
  const t = await tokenOf(s.base, 'center_yz');
  await api(s.base, '/api/v1/sessions/current', { method: 'DELETE', token: t });
  await s.stop({ keep: true });
  const ok = run(['audit', 'verify', '--data-dir', dir]);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /intact/);
  const db = join(dir, 'zhizhi.db');
  const edit = spawnSync('sqlite3', [db,
    "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor_name = 'someone_else' WHERE id = 3;"], { encoding: 'utf8' });
  assert.equal(edit.status, 0, edit.stderr);
  const bad = run(['audit', 'verify', '--data-dir', dir]);
  assert.notEqual(bad.status, 0);
  assert.match(bad.stdout, /row 3\b/);
});

test('slow-down: after slow_after failures the next try must wait (429 Retry-After)', async () => {
  const s = await startServer([...FAST, '--login-slow-after', '2', '--login-lock-after', '50']);
  try {
    assert.equal((await login(s.base, 'dept_eco', 'bad-pass-1')).status, 401);
    const second = await login(s.base, 'dept_eco', 'bad-pass-2');
    assert.equal(second.status, 429);
    assert.equal(second.body.code, 'slow_down');
    assert.equal(second.headers.get('retry-after'), '5');
    const right = await login(s.base, 'dept_eco');
    assert.equal(right.status, 429);
  } finally { await s.stop(); }
});

test('a lock and a session both run out', async () => {
  // Failures are remembered for lock_seconds: the two failures must fall within it, so it is
  // generous (a busy server may take a while between them); the waits only ever wait longer.
  const s = await startServer([...FAST, '--login-lock-after', '2', '--login-lock-seconds', '5',
    '--session-idle', '1']);
  try {
    await login(s.base, 'dept_eco', 'bad-pass-1');
    assert.equal((await login(s.base, 'dept_eco', 'bad-pass-2')).status, 429);
    await sleep(5100);
    const r = await login(s.base, 'dept_eco');
    assert.equal(r.status, 201);
    await sleep(2100);
    const me = await api(s.base, '/api/v1/sessions/current', { token: r.body.token });
    assert.equal(me.status, 401);
    assert.equal(me.body.code, 'session_expired');
  } finally { await s.stop(); }
});

test('CLI: init with an admin password file, user add/passwd/disable/list', async () => {
  const dir = tmpDir();
  const init = run(['init', '--data-dir', dir, '--demo', 'false', ...FAST, '--admin-password-file', adminPwFile()]);
  assert.equal(init.status, 0, init.stderr);
  assert.ok(!init.stdout.includes('shown once'));
  const add = run(['user', 'add', 'yz2', '--role', 'center', '--level', 'district', '--region', '500103',
    '--display-name', '值班长', '--data-dir', dir, ...FAST]);
  assert.equal(add.status, 0, add.stderr);
  assert.match(add.stdout, /password \(shown once\): \S+/);
  const bad = run(['user', 'add', 'yz3', '--role', 'center', '--level', 'street', '--region', '500103', '--data-dir', dir, ...FAST]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /region/);
  const pw = adminPwFile();
  assert.equal(run(['user', 'passwd', 'yz2', '--password-file', pw, '--data-dir', dir, ...FAST]).status, 0);
  assert.equal(run(['user', 'disable', 'yz2', '--data-dir', dir]).status, 0);
  const list = run(['user', 'list', '--data-dir', dir]);
  assert.equal(list.status, 0);
  assert.match(list.stdout, /yz2\s+center\s+500103\s+disabled/);
  assert.match(list.stdout, /admin\s+admin/);
  assert.equal(run(['user', 'frobnicate', '--data-dir', dir]).status, 2);
  const v = run(['audit', 'verify', '--data-dir', dir]);
  assert.equal(v.status, 0);
  // Without a file the first admin's random password is printed once.
  const dir2 = tmpDir();
  const init2 = run(['init', '--data-dir', dir2, '--demo', 'false', ...FAST]);
  const m = init2.stdout.match(/password: (\S+) \(shown once/);
  assert.ok(m, init2.stdout);
  const s = await startServer(FAST, { dataDir: dir2 });
  try {
    assert.equal((await login(s.base, 'admin', m[1])).status, 201);
  } finally { await s.stop(); }
});
