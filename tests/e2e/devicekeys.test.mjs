// Sensors authenticate as sensors (issue 11, hole #2): the probe's attack first — a street
// center and another department writing a station that is not theirs — then per-station device
// keys from `zhizhi station key` (Authorization: Bearer or X-Device-Key, only their station),
// rotation and revocation, and the audit row naming the key or the user of every ingest.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, run } from './lib.mjs';

let srv;
const tok = {};
const USERS = ['center_qxg', 'center_jfb', 'dept_urban', 'dept_eco', 'grid_jfb'];

before(async () => {
  srv = await startServer([]);
  for (const u of USERS) {
    const r = await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username: u, password: 'zhizhi-demo' } });
    assert.equal(r.status, 201, r.text);
    tok[u] = r.body.token;
  }
});
after(async () => { await srv?.stop(); });

let n = 0;
// One sewer level reading, a fresh minute each time (readings may not lie in the future).
const reading = (station = 'SW-MSL', value = '0.4') =>
  ({ readings: [{ station, parameter: 'level', time: new Date(Date.now() - 60000 * (++n + 5)).toISOString(), value }] });
const send = (body, opts) => api(srv.base, '/api/v1/readings', { method: 'POST', body, ...opts });
const key = (args) => {
  const r = run(['station', 'key', '--data-dir', srv.dataDir, ...args]);
  return { ...r, key: r.stdout.trim() };
};

test('the probe: a street center and another department cannot write the urban department\'s station', async () => {
  // SW-MSL is a sewer level gauge of 区城市管理局 in 解放碑; 七星岗's center is outside its scope.
  const qxg = await send(reading('SW-MSL', '3.9'), { token: tok.center_qxg });
  assert.equal(qxg.status, 403, qxg.text);
  assert.equal(qxg.body.code, 'station_out_of_scope');
  assert.equal(qxg.body.field, 'station');
  const eco = await send(reading(), { token: tok.dept_eco });
  assert.equal(eco.status, 403);
  const grid = await send(reading(), { token: tok.grid_jfb });
  assert.equal(grid.status, 403);
  // One foreign row spoils the batch: nothing of it is stored.
  const mixed = await send({ readings: [...reading('AQ-JFB').readings.map((r) => ({ ...r, parameter: 'PM10', value: '50' })),
    ...reading('SW-MSL').readings] }, { token: tok.dept_eco });
  assert.equal(mixed.status, 403);
  // The station's own department and the center of its street may.
  assert.equal((await send(reading(), { token: tok.dept_urban })).status, 200);
  assert.equal((await send(reading(), { token: tok.center_jfb })).status, 200);
  assert.equal((await send(reading())).status, 401);
});

test('a device key writes its own station only; rotate and revoke end old keys', async () => {
  const k1 = key(['SW-MSL']);
  assert.equal(k1.status, 0, k1.stderr);
  assert.match(k1.key, /^zzk_[A-Za-z0-9_-]{43}$/);
  const bearer = await send(reading(), { headers: { Authorization: `Bearer ${k1.key}` } });
  assert.equal(bearer.status, 200, bearer.text);
  assert.equal(bearer.body.accepted, 1);
  const header = await send(reading(), { headers: { 'X-Device-Key': k1.key } });
  assert.equal(header.status, 200);
  const other = await send(reading('SW-XLJ'), { headers: { 'X-Device-Key': k1.key } });
  assert.equal(other.status, 403);
  assert.equal(other.body.code, 'station_out_of_scope');
  const csv = await api(srv.base, '/api/v1/readings', {
    method: 'POST', raw: true, body: `station,parameter,time,value\nSW-XLJ,level,${new Date(Date.now() - 3600e3).toISOString()},0.5\n`,
    headers: { 'Content-Type': 'text/csv', 'X-Device-Key': k1.key },
  });
  assert.equal(csv.status, 403);
  const forged = await send(reading(), { headers: { 'X-Device-Key': 'zzk_' + 'A'.repeat(43) } });
  assert.equal(forged.status, 401);
  assert.equal(forged.body.code, 'invalid_device_key');
  // Only the hash is stored.
  const rows = run(['audit', 'verify', '--data-dir', srv.dataDir]);
  assert.equal(rows.status, 0, rows.stderr);

  const k2 = key(['rotate', 'SW-MSL']);
  assert.equal(k2.status, 0);
  assert.equal((await send(reading(), { headers: { 'X-Device-Key': k1.key } })).status, 401);
  assert.equal((await send(reading(), { headers: { 'X-Device-Key': k2.key } })).status, 200);
  const rv = key(['revoke', 'SW-MSL']);
  assert.equal(rv.status, 0);
  assert.equal((await send(reading(), { headers: { 'X-Device-Key': k2.key } })).status, 401);
  assert.equal(key(['NO-SUCH-STATION']).status, 1);
  assert.equal(key([]).status, 2);
});

test('every ingest is audited with the key or the user', async () => {
  const k = key(['SW-MSL']);
  assert.equal((await send(reading(), { headers: { 'X-Device-Key': k.key } })).status, 200);
  assert.equal((await send(reading(), { token: tok.dept_urban })).status, 200);
  const admin = await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username: 'auditor_yz', password: 'zhizhi-demo' } });
  const a = await api(srv.base, '/api/v1/audit?object_type=station&object_id=SW-MSL&limit=100', { token: admin.body.token });
  assert.equal(a.status, 200, a.text);
  const actors = a.body.items.filter((x) => x.action === 'monitor.ingest').map((x) => x.actor);
  assert.ok(actors.includes('dept_urban'), JSON.stringify(actors));
  assert.ok(actors.some((x) => /^device-key:\d+$/.test(x)), JSON.stringify(actors));
  // The refused attempt of 七星岗 stored nothing: no row names it.
  assert.ok(!actors.includes('center_qxg'));
});
