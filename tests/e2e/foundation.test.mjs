// The foundation end to end: health and version, request ids and security headers, 404/405/413
// problem+json, the CLI's help and exit codes, settings refused at start-up, `zhizhi backup`
// read back with the sqlite3 CLI, and a graceful shutdown with requests in flight.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { writeFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, api, run, tmpDir } from './lib.mjs';

const ADMIN_PW = 'foundation-e2e-password';
const FAST = ['--pwhash-cost', 'min'];
let srv;

function adminPwFile() {
  const f = join(tmpDir('zhizhi-pw-'), 'admin.pw');
  writeFileSync(f, ADMIN_PW + '\n');
  return f;
}

async function adminToken(base) {
  const r = await api(base, '/api/v1/sessions', { method: 'POST', body: { username: 'admin', password: ADMIN_PW } });
  assert.equal(r.status, 201, r.text);
  return r.body.token;
}

function assertProblem(r, status, code, field) {
  assert.equal(r.status, status, r.text);
  assert.match(r.headers.get('content-type'), /^application\/problem\+json/);
  assert.equal(r.body.status, status);
  assert.ok(r.body.type && r.body.title && r.body.detail, r.text);
  if (code) assert.equal(r.body.code, code, r.text);
  if (field !== undefined) assert.equal(r.body.field, field, r.text);
}

before(async () => {
  srv = await startServer([...FAST, '--admin-password-file', adminPwFile(), '--body-limit', '4096']);
});
after(async () => { await srv?.stop(); });

test('healthz and version', async () => {
  const h = await api(srv.base, '/healthz');
  assert.equal(h.status, 200);
  assert.equal(h.body.status, 'ok');
  assert.ok(h.body.schema_version >= 1);
  const v = await api(srv.base, '/api/v1/version');
  assert.equal(v.status, 200);
  assert.equal(v.body.name, 'zhizhi');
  assert.match(v.body.version, /^\d+\.\d+\.\d+/);
  assert.equal(v.body.time_zone, 'Asia/Shanghai');
  assert.match(v.body.now, /\+08:00$/);
});

test('every response has an X-Request-Id and the security headers', async () => {
  const seen = new Set();
  for (const path of ['/healthz', '/api/v1/regions?limit=1', '/api/v1/no-such-thing', '/api/v1/locate?lon=x&lat=1']) {
    const r = await api(srv.base, path);
    const id = r.headers.get('x-request-id');
    assert.match(id, /^[0-9a-f]{8,}$/, path);
    assert.ok(!seen.has(id), 'request ids are unique');
    seen.add(id);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(r.headers.get('x-frame-options'), 'DENY');
    assert.ok(r.headers.get('content-security-policy'));
    assert.ok(r.headers.get('referrer-policy'));
  }
  // one access-log line per request names its id (written once the response is sent)
  const last = [...seen].pop();
  for (let i = 0; i < 100 && !srv.log().includes(last); i++) await new Promise((r) => setTimeout(r, 50));
  assert.match(srv.log(), new RegExp(`GET /api/v1/locate 400 \\d+ [0-9.]+ms ${last}`));
});

test('unknown path 404 and wrong method 405 with Allow, as problem+json', async () => {
  assertProblem(await api(srv.base, '/api/v1/nowhere'), 404, 'no_route');
  const r = await api(srv.base, '/api/v1/locate', { method: 'DELETE' });
  assertProblem(r, 405, 'method_not_allowed');
  assert.match(r.headers.get('allow'), /GET/);
});

test('a body over --body-limit is refused with 413', async () => {
  const big = 'x'.repeat(8192);
  const r = await api(srv.base, '/api/v1/regions/import', { method: 'POST', body: big, headers: { 'Content-Type': 'text/csv' } });
  assertProblem(r, 413, 'body_too_large', 'body');
});

test('malformed JSON is answered 400 naming line and column', async () => {
  const token = await adminToken(srv.base);
  const r = await api(srv.base, '/api/v1/regions/import', {
    method: 'POST', token, body: '{"type": "FeatureCollection",\n  "features": [,]}',
    headers: { 'Content-Type': 'application/geo+json' },
  });
  assertProblem(r, 400, 'malformed_json', 'body');
  assert.match(r.body.detail, /line 2, column \d+/);
});

test('zhizhi --help and every subcommand --help exit 0; an unknown command exits 2', () => {
  const top = run(['--help']);
  assert.equal(top.status, 0);
  const names = [...top.stdout.matchAll(/^  (\w+) /gm)].map((m) => m[1]);
  for (const want of ['serve', 'init', 'import', 'export', 'locate', 'backup', 'version']) assert.ok(names.includes(want), want);
  for (const name of names) {
    const r = run([name, '--help']);
    assert.equal(r.status, 0, `${name} --help: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`usage: zhizhi ${name}`));
  }
  const bad = run(['frobnicate']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /frobnicate/);
  const v = run(['version']);
  assert.equal(v.status, 0);
  assert.match(v.stdout, /^zhizhi \d+\.\d+\.\d+/);
});

test('an invalid setting stops start-up with one line naming it, exit 2', () => {
  const dir = tmpDir();
  const a = run(['serve', '--data-dir', dir, '--threads', '0']);
  assert.equal(a.status, 2);
  assert.equal(a.stderr.trim().split('\n').length, 1, a.stderr);
  assert.match(a.stderr, /threads/);
  const b = run(['serve', '--data-dir', dir], { env: { ...process.env, ZHIZHI_LISTEN: 'bad' } });
  assert.equal(b.status, 2);
  assert.equal(b.stderr.trim().split('\n').length, 1, b.stderr);
  assert.match(b.stderr, /ZHIZHI_LISTEN/);
  const ini = join(dir, 'zhizhi.ini');
  writeFileSync(ini, 'body_limit = 12\n');
  const c = run(['serve', '--data-dir', dir, '--config', ini]);
  assert.equal(c.status, 2);
  assert.match(c.stderr, /body_limit/);
  // print-config shows where each value came from: default < file < env < flag
  writeFileSync(ini, 'threads = 3\nidle_timeout = 40\n');
  const p = run(['serve', '--config', ini, '--idle-timeout', '50', '--print-config'], { env: { ...process.env, ZHIZHI_THREADS: '5' } });
  assert.equal(p.status, 0, p.stderr);
  assert.match(p.stdout, /threads = 5\s+# env/);
  assert.match(p.stdout, /idle_timeout = 50\s+# flag/);
  rmSync(dir, { recursive: true, force: true });
});

test('zhizhi backup writes a database the sqlite3 CLI can read', () => {
  const dir = tmpDir();
  const file = join(dir, 'copy.db');
  const r = run(['backup', file, '--data-dir', srv.dataDir]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(existsSync(file));
  const q = spawnSync('sqlite3', [file, "PRAGMA integrity_check; SELECT count(*) FROM regions WHERE level = 'grid';"], { encoding: 'utf8' });
  assert.equal(q.status, 0, q.stderr);
  const [ok, grids] = q.stdout.trim().split('\n');
  assert.equal(ok, 'ok');
  assert.ok(Number(grids) >= 300, grids);
  assert.equal(run(['backup', '--data-dir', srv.dataDir]).status, 2);
  rmSync(dir, { recursive: true, force: true });
});

// Send a request whose body waits for "100 Continue": once that arrives the server has the
// request in hand (its handler has been called), so a SIGTERM sent then finds it in flight.
// Returns {continued, send(), done} where done resolves to the raw response text.
function heldRequest(port, path, headers, body) {
  const sock = connect(port, '127.0.0.1');
  let data = '';
  let release;
  const continued = new Promise((r) => (release = r));
  const done = new Promise((resolve, reject) => {
    sock.on('error', reject);
    sock.on('end', () => resolve(data));
  });
  sock.on('data', (d) => {
    data += d;
    const m = data.match(/^HTTP\/1\.1 100 Continue\r\n\r\n/);
    if (m) { data = data.slice(m[0].length); release(); }
  });
  sock.write([`POST ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Connection: close', 'Expect: 100-continue',
    `Content-Length: ${Buffer.byteLength(body)}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n'));
  return { continued, done, send: () => sock.write(body) };
}

test('SIGTERM with requests in flight: all finish with 200, exit 0, "stopped cleanly"', async () => {
  const s = await startServer([...FAST, '--admin-password-file', adminPwFile()]);
  try {
    const port = Number(new URL(s.base).port);
    const token = await adminToken(s.base);
    const body = 'level,code,name,parent_code\r\nstreet,500103001,七星岗街道,500103\r\n';
    const held = [0, 1, 2].map(() => heldRequest(port, '/api/v1/regions/import',
      { Authorization: `Bearer ${token}`, 'Content-Type': 'text/csv' }, body));
    await Promise.all(held.map((h) => h.continued));
    // Large exports started too; they may or may not be in flight yet, but must not fail if so.
    const exports = [1, 2].map(() => fetch(s.base + '/api/v1/regions.geojson').then(async (r) => ({ status: r.status, len: (await r.arrayBuffer()).byteLength }), () => null));
    s.proc.kill('SIGTERM');
    for (const h of held) h.send();
    const answers = await Promise.all(held.map((h) => h.done));
    for (const a of answers) assert.match(a, /^HTTP\/1\.1 200 /, a.slice(0, 200));
    for (const e of await Promise.all(exports)) if (e) assert.equal(e.status, 200);
    const { code } = await s.exited;
    assert.equal(code, 0);
    assert.match(s.log(), /stopped cleanly/);
  } finally {
    await s.stop();
  }
});
