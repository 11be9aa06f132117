// The security probe's low holes (issue 11), each attack first: unlimited current_password
// guesses, unaudited failed logins of unknown names and address lockouts, login CSRF from a
// foreign page, the session cookie's Secure flag and trusted reverse proxies (X-Forwarded-For
// and X-Forwarded-Proto believed only from trusted_proxies).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, api, tmpDir } from './lib.mjs';

const DEMO = 'zhizhi-demo';
const ADMIN_PW = 'probe-e2e-password';
let srv;   // trusts 127.0.0.1 as a proxy
let plain; // trusts nobody, cookie_secure on

function adminPwFile() {
  const f = join(tmpDir('zhizhi-pw-'), 'admin.pw');
  writeFileSync(f, ADMIN_PW + '\n');
  return f;
}

before(async () => {
  srv = await startServer(['--admin-password-file', adminPwFile(), '--trusted-proxies', '127.0.0.1, ::1',
    '--login-slow-after', '1000', '--login-lock-after', '10']);
  plain = await startServer(['--demo', 'false', '--admin-password-file', adminPwFile(),
    '--cookie-secure', 'true']);
});
after(async () => { await srv?.stop(); await plain?.stop(); });

const login = (base, username, password, headers = {}) =>
  api(base, '/api/v1/sessions', { method: 'POST', body: { username, password }, headers });

async function tokenOf(base, username, password = DEMO, headers = {}) {
  const r = await login(base, username, password, headers);
  assert.equal(r.status, 201, r.text);
  return r.body.token;
}

async function auditRows(query) {
  const t = await tokenOf(srv.base, 'admin', ADMIN_PW, { 'X-Forwarded-For': '192.0.2.250' });
  const r = await api(srv.base, `/api/v1/audit?limit=500&${query}`, { token: t });
  assert.equal(r.status, 200, r.text);
  return r.body.items;
}

test('15 wrong current passwords in a row end in 429 with Retry-After, each one audited', async () => {
  const t = await tokenOf(srv.base, 'grid_jfb', DEMO, { 'X-Forwarded-For': '192.0.2.10' });
  const statuses = [];
  let last;
  for (let i = 0; i < 15; i++) {
    last = await api(srv.base, '/api/v1/users/me/password', {
      method: 'POST', token: t,
      body: { current_password: `guess-${i}-password`, new_password: 'brand-new-password' },
    });
    statuses.push(last.status);
  }
  assert.equal(statuses[0], 403);
  assert.equal(statuses[14], 429, statuses.join(','));
  assert.ok(Number(last.headers.get('retry-after')) >= 1);
  assert.equal(last.body.code, 'account_locked');
  // Even the right password waits: guessing cannot go on by luck.
  const right = await api(srv.base, '/api/v1/users/me/password', {
    method: 'POST', token: t, body: { current_password: DEMO, new_password: 'brand-new-password' },
  });
  assert.equal(right.status, 429);
  const rows = (await auditRows('object_type=user&object_id=grid_jfb'))
    .filter((r) => r.action === 'user.password_failed');
  assert.ok(rows.length >= 5, JSON.stringify(rows));
  assert.equal(rows[0].actor, 'grid_jfb');
});

test('failed logins of unknown names and a locked address are on the audit record', async () => {
  // A password spray from one address: many names, none of them real.
  let r;
  for (let i = 0; i < 80; i++) {
    r = await login(srv.base, `spray-${i}`, 'whatever-password', { 'X-Forwarded-For': '198.51.100.7' });
    if (r.status === 429) break;
  }
  assert.equal(r.status, 429, r.text);
  const failed = await auditRows('object_type=user&object_id=spray-0');
  assert.ok(failed.some((x) => x.action === 'session.login_failed'), JSON.stringify(failed));
  const locked = await auditRows('object_type=address&object_id=198.51.100.7');
  assert.ok(locked.some((x) => x.action === 'session.address_locked'), JSON.stringify(locked));
  // The address is the client the proxy named: another client behind the same proxy logs in.
  assert.equal((await login(srv.base, 'volunteer_jfb', DEMO, { 'X-Forwarded-For': '198.51.100.8' })).status, 201);
});

test('login CSRF: a cross-site text/plain POST /api/v1/sessions is refused', async () => {
  const r = await api(srv.base, '/api/v1/sessions', {
    method: 'POST', raw: true,
    headers: { 'Content-Type': 'text/plain', Origin: 'http://evil.example' },
    body: JSON.stringify({ username: 'grid_jfb', password: DEMO }),
  });
  assert.equal(r.status, 403, r.text);
  assert.equal(r.body.code, 'origin_mismatch');
  assert.equal(r.headers.get('set-cookie'), null);
  const nul = await login(srv.base, 'volunteer_jfb', DEMO, { Origin: 'null' });
  assert.equal(nul.status, 403);
  // The app's own page (same Origin) and clients without Origin still log in.
  assert.equal((await login(srv.base, 'volunteer_jfb', DEMO, { Origin: srv.base })).status, 201);
});

test('Secure cookie: from the setting, and when a trusted proxy says https', async () => {
  const a = await login(plain.base, 'admin', ADMIN_PW);
  assert.equal(a.status, 201);
  assert.match(a.headers.get('set-cookie'), /; Secure/);
  const http = await login(srv.base, 'volunteer_jfb', DEMO);
  assert.doesNotMatch(http.headers.get('set-cookie'), /Secure/);
  const tls = await login(srv.base, 'volunteer_jfb', DEMO, { 'X-Forwarded-Proto': 'https' });
  assert.match(tls.headers.get('set-cookie'), /; Secure/);
  // From a peer that is not a trusted proxy the header is not believed.
  const spoof = await login(plain.base, 'admin', ADMIN_PW, { 'X-Forwarded-Proto': 'https' });
  assert.equal(spoof.status, 201);
});

test('X-Forwarded-For from an untrusted peer is ignored by the login throttle', async () => {
  // plain trusts no proxy: changing X-Forwarded-For does not escape the address lock.
  let r;
  for (let i = 0; i < 60; i++) {
    r = await login(plain.base, `nobody-${i}`, 'whatever-password', { 'X-Forwarded-For': `203.0.113.${i}` });
    if (r.status === 429) break;
  }
  assert.equal(r.status, 429);
  const after = await login(plain.base, 'admin', ADMIN_PW, { 'X-Forwarded-For': '203.0.113.200' });
  assert.equal(after.status, 429);
});

test('a bad trusted_proxies entry stops the server from starting, naming the setting', async () => {
  await assert.rejects(startServer(['--demo', 'false', '--trusted-proxies', '10.0.0.0/99']),
    /trusted_proxies/);
});
