// HTTP hardening against the real binary on 127.0.0.1: oversize headers, bodies over the limit
// (announced by Content-Length and chunked), bytes that are not UTF-8 and percent-encoded
// garbage in path and query, HEAD, unknown methods, idle connections, many concurrent requests
// over keep-alive, security headers on every kind of response, SIGINT and SIGTERM (with a live
// event stream open), a GeoJSON import that used to crash GEOS, and too many CLI arguments.
// Time bounds are generous upper limits for "it happens at all", never measurements.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import http from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, api, run, tmpDir } from './lib.mjs';

const LIMIT = 4096;
const ADMIN_PW = 'hardening-e2e-password';
let srv;
let port;

function adminPwFile() {
  const f = join(tmpDir('zhizhi-pw-'), 'admin.pw');
  writeFileSync(f, ADMIN_PW + '\n');
  return f;
}

before(async () => {
  srv = await startServer(['--body-limit', String(LIMIT), '--idle-timeout', '1', '--demo', 'false',
    '--admin-password-file', adminPwFile()]);
  port = Number(new URL(srv.base).port);
});
after(async () => { await srv?.stop(); });

// Send raw bytes on a fresh connection; resolves when the server closes it or `untilMs` passes:
// {text, closed, status} where status is the number on the first status line (or null).
function raw(bytes, { untilMs = 15000, endAfter = false, keepSending } = {}) {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    const chunks = [];
    let done = false;
    let pump;
    const finish = (closed) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearInterval(pump);
      s.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const m = text.match(/^HTTP\/1\.[01] (\d{3})/);
      resolve({ text, closed, status: m ? Number(m[1]) : null });
    };
    const timer = setTimeout(() => finish(false), untilMs);
    s.on('data', (d) => chunks.push(d));
    s.on('close', () => finish(true));
    s.on('error', () => finish(true));
    s.on('connect', () => {
      if (bytes.length) s.write(bytes);
      if (endAfter) s.end();
      if (keepSending) pump = setInterval(() => { if (!s.destroyed) s.write(keepSending); }, 5);
    });
  });
}

function bodyOf(text) {
  const i = text.indexOf('\r\n\r\n');
  return i < 0 ? '' : text.slice(i + 4);
}

function headerOf(text, name) {
  const m = text.match(new RegExp(`^${name}: (.*)$`, 'mi'));
  return m ? m[1].trim() : null;
}

function assertProblem(r, status, code, field) {
  assert.equal(r.status, status, r.text);
  assert.match(r.headers.get('content-type'), /^application\/problem\+json/);
  assert.equal(r.body.status, status);
  assert.ok(r.body.type && r.body.title && r.body.detail, r.text);
  if (code) assert.equal(r.body.code, code, r.text);
  if (field !== undefined) assert.equal(r.body.field, field, r.text);
}

function assertSecurityHeaders(h, what) {
  const get = (n) => (typeof h.get === 'function' ? h.get(n) : h[n]);
  assert.equal(get('x-content-type-options'), 'nosniff', what);
  assert.equal(get('x-frame-options'), 'DENY', what);
  assert.ok(get('referrer-policy'), what);
  assert.match(get('content-security-policy') || '', /frame-ancestors 'none'/, what);
  assert.match(get('x-request-id') || '', /^[0-9a-f]{8,}$/, what);
}

async function alive() {
  const h = await api(srv.base, '/healthz');
  assert.equal(h.status, 200);
}

test('oversize request headers are answered or the connection closed, and the server lives on', async () => {
  const big = 'X-Big: ' + 'a'.repeat(200 * 1024) + '\r\n';
  const r = await raw(`GET /healthz HTTP/1.1\r\nHost: x\r\n${big}\r\n`);
  assert.ok(r.closed || r.status >= 400, `answered ${r.status}`);
  if (r.status !== null) assert.ok(r.status >= 400 && r.status < 500, r.text.slice(0, 200));
  // many moderate headers, past the per-connection memory too
  let many = '';
  for (let i = 0; i < 2000; i++) many += `X-H${i}: ${'b'.repeat(30)}\r\n`;
  const r2 = await raw(`GET /healthz HTTP/1.1\r\nHost: x\r\n${many}\r\n`);
  assert.ok(r2.closed || r2.status >= 400);
  await alive();
});

test('Content-Length over the limit: 413 problem+json before any of the body is sent', async () => {
  // The body never comes: an answer can only be the server refusing from the headers alone.
  const r = await raw('POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
    'Content-Length: 100000000\r\n\r\n');
  assert.equal(r.status, 413, r.text);
  assert.match(headerOf(r.text, 'Content-Type'), /^application\/problem\+json/);
  const p = JSON.parse(bodyOf(r.text));
  assert.equal(p.code, 'body_too_large');
  assert.equal(p.field, 'body');
  assert.equal(p.status, 413);
  assertSecurityHeaders(Object.fromEntries(
    r.text.split('\r\n').slice(1).filter((l) => l.includes(':'))
      .map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()])), '413');
  // Also with Expect: 100-continue, the client is told 413 instead of "go on".
  const r2 = await raw('POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n' +
    'Content-Type: application/json\r\nContent-Length: 5000\r\n\r\n');
  assert.equal(r2.status, 413, r2.text);
  // An overflowing Content-Length is no way around the limit.
  const r3 = await raw('POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\n' +
    'Content-Length: 99999999999999999999999999\r\n\r\n');
  assert.ok(r3.status === 413 || r3.status === 400, r3.text);
  await alive();
});

test('a chunked body over the limit is refused with 413; an endless one gets the connection closed', async () => {
  const piece = 'a'.repeat(1500);
  let chunked = '';
  for (let i = 0; i < 4; i++) chunked += `${piece.length.toString(16)}\r\n${piece}\r\n`; // 6000 bytes
  chunked += '0\r\n\r\n';
  const r = await raw('POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
    `Transfer-Encoding: chunked\r\n\r\n${chunked}`);
  assert.equal(r.status, 413, r.text);
  const p = JSON.parse(bodyOf(r.text));
  assert.equal(p.code, 'body_too_large');
  // under the limit, chunked is read normally (a wrong password, not a refused body)
  const small = JSON.stringify({ username: 'admin', password: 'wrong' });
  const ok = await raw('POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
    `Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n${small.length.toString(16)}\r\n${small}\r\n0\r\n\r\n`);
  assert.equal(ok.status, 401, ok.text);
  // A body that never ends: the server stops reading it rather than draining forever.
  const endless = await raw('POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n',
    { keepSending: `400\r\n${'z'.repeat(0x400)}\r\n`, untilMs: 30000 });
  assert.ok(endless.closed, 'connection closed');
  await alive();
});

test('bytes that are not UTF-8 and percent-encoded garbage in path and query: 4xx problem+json', async () => {
  const cases = [
    ['/%ff%fe', 400, 'invalid_path', 'path'],
    ['/healthz%00.json', 400, 'invalid_path', 'path'], // a NUL no longer cuts the path short
    ['/api/v1/regions/%0d%0aX-Injected:%20yes', 400, 'invalid_path', 'path'],
    ['/api/v1/regions?level=%ff', 400, 'invalid_utf8', 'level'],
    ['/api/v1/regions?level=%e4%b8', 400, 'invalid_utf8', 'level'], // a cut 3-byte character
    ['/api/v1/regions?%c0%af=1', 400, 'invalid_utf8', 'query'], // overlong key
    ['/api/v1/regions?limit=%00', 400, 'invalid_utf8', 'limit'],
    ['/api/v1/regions/%zz%', 404, 'not_found'], // not an escape: taken literally, no such region
    ['/api/v1/locate?lon=%31%30%36%2e%35&lat=abc', 400, 'invalid_number', 'lat'],
  ];
  for (const [path, status, code, field] of cases) {
    const r = await api(srv.base, path);
    assert.ok(r.status >= 400 && r.status < 500, `${path}: ${r.status}`);
    assertProblem(r, status, undefined, field);
    if (code !== 'not_found') assert.equal(r.body.code, code, path);
    assertSecurityHeaders(r.headers, path);
    assert.equal(r.headers.get('x-injected'), null);
  }
  // Raw bytes (not percent-encoded) that are not UTF-8, and control characters.
  for (const p of [Buffer.from('/api/v1/regions/\xff\xfe', 'latin1'), Buffer.from('/api/v1/regions?level=\xc3', 'latin1')]) {
    const r = await raw(Buffer.concat([Buffer.from('GET '), p, Buffer.from(' HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')]));
    assert.ok(r.status >= 400 && r.status < 500, r.text.slice(0, 200));
    if (r.status !== 400 || headerOf(r.text, 'Content-Type')?.startsWith('application/problem+json')) {
      assert.match(headerOf(r.text, 'Content-Type'), /^application\/problem\+json/);
    }
  }
  // The access log cannot be forged through an encoded newline.
  await api(srv.base, '/nothing%0a2099-01-01T00:00:00+08:00 info FORGED');
  for (let i = 0; i < 100 && !srv.log().includes('FORGED'); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(srv.log().includes('FORGED'), 'the request was logged');
  assert.ok(!/^2099-01-01T00:00:00\+08:00 info FORGED/m.test(srv.log()), 'no forged log line');
  await alive();
});

test('HEAD is answered like GET without a body; unknown methods get 405 with Allow', async () => {
  const get = await api(srv.base, '/healthz');
  const head = await fetch(srv.base + '/healthz', { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(await head.text(), '');
  assert.equal(head.headers.get('content-type'), get.headers.get('content-type'));
  assertSecurityHeaders(head.headers, 'HEAD');
  const head404 = await fetch(srv.base + '/api/v1/nowhere', { method: 'HEAD' });
  assert.equal(head404.status, 404);
  assert.equal(await head404.text(), '');
  const r = await raw('BREW /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.equal(r.status, 405, r.text);
  assert.match(headerOf(r.text, 'Allow'), /GET/);
  assert.match(headerOf(r.text, 'Allow'), /HEAD/);
  assert.match(headerOf(r.text, 'Content-Type'), /^application\/problem\+json/);
  assert.equal(JSON.parse(bodyOf(r.text)).code, 'method_not_allowed');
  const del = await api(srv.base, '/api/v1/version', { method: 'DELETE' });
  assertProblem(del, 405, 'method_not_allowed');
  assert.match(del.headers.get('allow'), /GET, HEAD/);
});

test('an idle connection is closed after --idle-timeout (1 s here)', async () => {
  const idle = await raw('', { untilMs: 30000 });
  assert.ok(idle.closed, 'closed while idle');
  // half a request, then silence
  const half = await raw('GET /healthz HTTP/1.1\r\nHost: x\r\n', { untilMs: 30000 });
  assert.ok(half.closed, 'closed with a half-sent request');
  // after a complete request on a keep-alive connection
  const kept = await raw('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n', { untilMs: 30000 });
  assert.equal(kept.status, 200);
  assert.ok(kept.closed, 'closed after the answer once idle');
});

test('200 concurrent requests over keep-alive connections are all answered', async () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const ports = new Set();
  const get = (path) => new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
      ports.add(res.socket.localPort);
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, body, headers: res.headers }));
    }).on('error', reject);
  });
  const paths = ['/healthz', '/api/v1/version', '/api/v1/regions?limit=2', '/api/v1/nowhere'];
  const results = await Promise.all(Array.from({ length: 200 }, (_, i) => get(paths[i % paths.length])));
  agent.destroy();
  assert.equal(results.length, 200);
  const ids = new Set();
  results.forEach((r, i) => {
    assert.equal(r.status, i % 4 === 3 ? 404 : 200, r.body);
    JSON.parse(r.body);
    ids.add(r.headers['x-request-id']);
  });
  assert.equal(ids.size, 200, 'every request has its own id');
  assert.ok(ports.size <= 16, `connections were reused (${ports.size} used)`);
});

test('security headers on every response: JSON, errors, static pages', async () => {
  const html = await fetch(srv.base + '/');
  assert.equal(html.status, 200);
  assert.match(html.headers.get('content-type'), /^text\/html/);
  assertSecurityHeaders(html.headers, '/');
  assert.match(html.headers.get('content-security-policy'), /default-src 'self'/);
  await html.text();
  for (const [path, init] of [['/healthz'], ['/api/v1/nowhere'], ['/api/v1/version', { method: 'POST' }],
    ['/api/v1/regions?limit=0'], ['/api/v1/events'], ['/static/nothing.js']]) {
    const r = await fetch(srv.base + path, init);
    await r.text();
    assertSecurityHeaders(r.headers, path);
    assert.equal(r.headers.get('cache-control') !== null, true, path);
  }
});

test('an import with an empty GeoJSON position is refused, and the server lives on', async () => {
  const login = await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username: 'admin', password: ADMIN_PW } });
  assert.equal(login.status, 201, login.text);
  const fc = {
    type: 'FeatureCollection',
    features: [{ type: 'Feature',
      properties: { level: 'grid', code: '500103001003001', name: '网格', parent_code: '500103001003' },
      geometry: { type: 'Polygon', coordinates: [[[106.5, 29.5], [106.6, 29.5], [], [106.5, 29.5]]] } }],
  };
  const r = await api(srv.base, '/api/v1/regions/import', { method: 'POST', token: login.body.token,
    body: JSON.stringify(fc), headers: { 'Content-Type': 'application/geo+json' } });
  assertProblem(r, 400, 'invalid_geometry');
  assert.match(r.body.field, /^features\[0\]\.geometry/);
  await alive();
});

for (const sig of ['SIGINT', 'SIGTERM']) {
  test(`${sig} stops the server cleanly, also with a live event stream open`, async () => {
    const s = await startServer(['--demo', 'false', '--admin-password-file', adminPwFile()]);
    try {
      const login = await api(s.base, '/api/v1/sessions', { method: 'POST', body: { username: 'admin', password: ADMIN_PW } });
      assert.equal(login.status, 201, login.text);
      // Open the stream and wait for its greeting, so it is in flight when the signal comes.
      const ctl = new AbortController();
      const stream = await fetch(s.base + '/api/v1/stream', { headers: { Authorization: `Bearer ${login.body.token}` }, signal: ctl.signal });
      assert.equal(stream.status, 200);
      const reader = stream.body.getReader();
      const first = await reader.read();
      assert.match(Buffer.from(first.value).toString(), /connected/);
      s.proc.kill(sig);
      const { code, sig: killed } = await s.exited;
      assert.equal(killed, null, s.log());
      assert.equal(code, 0, s.log());
      assert.match(s.log(), /stopped cleanly/);
      // the stream ended rather than being cut: reading it to the end does not throw
      for (;;) { const { done } = await reader.read(); if (done) break; }
    } finally {
      await s.stop();
    }
  });
}

test('more command-line arguments than there is room for: a usage error, not a crash', () => {
  // `serve --print-config` read its arguments into a 64-slot array before any count check and
  // died with "double free or corruption" on 300 of them.
  const args = Array.from({ length: 300 }, (_, i) => String(i));
  for (const cmd of [['serve', '--print-config'], ['locate'], ['export', 'regions']]) {
    const r = run([...cmd, ...args, '--data-dir', tmpDir()]);
    assert.equal(r.status, 2, `${cmd.join(' ')}: ${r.stderr}`);
  }
});

// Issue 11, #8: a request line of binary garbage used to get no answer at all (the connection
// hung until the client gave up, or closed silently); now HTTP/1.1 400 and the connection closes.
test('a garbage request line gets HTTP/1.1 400 and the connection closes', async () => {
  const tlsHello = Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03, ...Array(64).keys()]);
  for (const bytes of [Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe, 0x20, 0x41, 0x0d, 0x0a, 0x0d, 0x0a]),
    tlsHello, Buffer.from('\xde\xad\xbe\xef\r\n\r\n', 'latin1'), Buffer.from('GET\r\n\r\n'),
    Buffer.from('GET / HTTQ/1.1\r\n\r\n')]) {
    const r = await raw(bytes, { untilMs: 10000 });
    assert.equal(r.status, 400, JSON.stringify(r.text.slice(0, 80)));
    assert.match(r.text, /^HTTP\/1\.1 400/);
    assert.ok(r.closed, 'the server closes the connection');
  }
  // a well-formed request on the same server is still served, also after blank lines
  const ok = await raw(Buffer.from('\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
  assert.equal(ok.status, 200);
});
