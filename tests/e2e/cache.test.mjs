// Public geography and lists served from prepared bytes: strong ETag per data version, 304 with
// no body, gzip that decompresses to the same bytes, and a new ETag after every change.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, api, tmpDir } from './lib.mjs';

const ADMIN_PW = 'admin-e2e-password';
let srv, admin;

// A GET that keeps the bytes as sent (fetch would decompress them).
function raw(path, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = request(srv.base + path, { headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

before(async () => {
  const pw = join(tmpDir('zhizhi-pw-'), 'admin.pw');
  writeFileSync(pw, ADMIN_PW + '\n');
  srv = await startServer(['--admin-password-file', pw]);
  const r = await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username: 'admin', password: ADMIN_PW } });
  assert.equal(r.status, 201, r.text);
  admin = r.body.token;
});
after(async () => { await srv?.stop(); });

const PATHS = ['/api/v1/regions/500103', '/api/v1/regions.geojson', '/api/v1/regions/500103.geojson',
  '/api/v1/regions?level=street', '/api/v1/regions.csv', '/api/v1/boards', '/api/v1/departments'];

test('public geography: strong ETag, revalidation with 304 and an empty body, public no-cache', async () => {
  for (const p of PATHS) {
    const a = await raw(p);
    assert.equal(a.status, 200, p);
    const etag = a.headers.etag;
    assert.match(etag, /^"[^"]+"$/, `${p}: strong ETag`);
    assert.match(a.headers['cache-control'], /public/, p);
    assert.doesNotMatch(a.headers['cache-control'], /no-store/, p);
    const b = await raw(p);
    assert.equal(b.headers.etag, etag, `${p}: same data, same ETag`);
    assert.deepEqual(b.body, a.body, `${p}: same bytes`);
    const c = await raw(p, { 'If-None-Match': etag });
    assert.equal(c.status, 304, p);
    assert.equal(c.body.length, 0, `${p}: 304 has no body`);
    assert.equal(c.headers.etag, etag);
    const d = await raw(p, { 'If-None-Match': '"other"' });
    assert.equal(d.status, 200, p);
  }
});

test('gzip when accepted, decompressing to the same bytes; not when refused', async () => {
  const plain = await raw('/api/v1/regions.geojson');
  const gz = await raw('/api/v1/regions.geojson', { 'Accept-Encoding': 'gzip, deflate, br' });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.match(gz.headers.vary, /Accept-Encoding/);
  assert.ok(gz.body.length < plain.body.length / 2, `${gz.body.length} vs ${plain.body.length}`);
  assert.deepEqual(gunzipSync(gz.body), plain.body);
  assert.equal(gz.headers.etag, plain.headers.etag);
  const no = await raw('/api/v1/regions.geojson', { 'Accept-Encoding': 'gzip;q=0, identity' });
  assert.equal(no.headers['content-encoding'], undefined);
  assert.deepEqual(no.body, plain.body);
  JSON.parse(plain.body.toString('utf8'));
});

test('an edit or an import changes the ETag and the bytes; nothing else does', async () => {
  const before1 = await raw('/api/v1/regions/500103001');
  const geo1 = await raw('/api/v1/regions.geojson');
  const dep1 = await raw('/api/v1/departments');
  // A write elsewhere (a login) changes nothing.
  await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username: 'admin', password: ADMIN_PW } });
  assert.equal((await raw('/api/v1/regions/500103001')).headers.etag, before1.headers.etag);

  const ren = await api(srv.base, '/api/v1/regions/500103001', { method: 'PATCH', token: admin, body: { name: '七星岗街道（改）' } });
  assert.equal(ren.status, 200, ren.text);
  const after1 = await raw('/api/v1/regions/500103001', { 'If-None-Match': before1.headers.etag });
  assert.equal(after1.status, 200, 'the old ETag no longer matches');
  assert.notEqual(after1.headers.etag, before1.headers.etag);
  assert.equal(JSON.parse(after1.body).name, '七星岗街道（改）');
  const geo2 = await raw('/api/v1/regions.geojson');
  assert.notEqual(geo2.headers.etag, geo1.headers.etag);
  assert.ok(geo2.body.toString().includes('七星岗街道（改）'));

  // An import of the district's own GeoJSON (same regions) bumps the version too.
  const fc = JSON.parse(geo2.body.toString());
  fc.features = fc.features.filter((f) => f.id === '500103001');
  fc.features[0].properties.name = '七星岗街道';
  const imp = await api(srv.base, '/api/v1/regions/import', {
    method: 'POST', token: admin, raw: true, body: JSON.stringify(fc),
    headers: { 'Content-Type': 'application/geo+json' },
  });
  assert.equal(imp.status, 200, imp.text);
  const geo3 = await raw('/api/v1/regions.geojson');
  assert.notEqual(geo3.headers.etag, geo2.headers.etag);
  assert.equal(JSON.parse((await raw('/api/v1/regions/500103001')).body).name, '七星岗街道');
  const dep2 = await raw('/api/v1/departments', { 'If-None-Match': dep1.headers.etag });
  assert.notEqual(dep2.headers.etag, undefined);
});

test('errors are not kept: an unknown region stays 404 and is not cacheable', async () => {
  for (let i = 0; i < 2; i++) {
    const r = await raw('/api/v1/regions/500103999');
    assert.equal(r.status, 404);
    assert.equal(r.headers.etag, undefined);
    assert.match(r.headers['cache-control'], /no-store/);
  }
});

test('the browser apps go gzipped when accepted, each coding with its own ETag', async () => {
  for (const path of ['/static/vendor/echarts.min.js', '/static/js/center.js', '/center/', '/static/css/app.css']) {
    const plain = await raw(path);
    assert.equal(plain.status, 200, path);
    assert.equal(plain.headers['content-encoding'], undefined, `${path}: no gzip unasked`);
    assert.match(plain.headers.vary || '', /Accept-Encoding/i, path);
    const gz = await raw(path, { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(gz.headers['content-encoding'], 'gzip', path);
    assert.ok(gz.body.length < plain.body.length / 2, `${path}: ${gz.body.length} of ${plain.body.length} bytes`);
    assert.ok(gunzipSync(gz.body).equals(plain.body), `${path}: gzip decompresses to the same bytes`);
    assert.notEqual(gz.headers.etag, plain.headers.etag, `${path}: a coding is its own representation`);
    // revalidation answers 304 with no body, for each coding
    const again = await raw(path, { 'accept-encoding': 'gzip', 'if-none-match': gz.headers.etag });
    assert.equal(again.status, 304, path);
    assert.equal(again.body.length, 0);
    const againPlain = await raw(path, { 'if-none-match': plain.headers.etag });
    assert.equal(againPlain.status, 304, path);
    // a cached plain copy is not taken for the gzip one, nor the other way round
    assert.equal((await raw(path, { 'accept-encoding': 'gzip', 'if-none-match': plain.headers.etag })).status, 200);
    const refused = await raw(path, { 'accept-encoding': 'gzip;q=0' });
    assert.equal(refused.headers['content-encoding'], undefined, `${path}: gzip;q=0 refuses it`);
  }
  // the vendored library may be kept a day, the apps revalidate
  assert.match((await raw('/static/vendor/echarts.min.js')).headers['cache-control'], /max-age=86400/);
  assert.equal((await raw('/static/js/center.js')).headers['cache-control'], 'no-cache');
});
