// Shared parking (issue 20) against the real binary: 200 parallel booking attempts for the last
// 5 spaces give exactly 5 bookings; the availability search nearest first with ISO times; the
// booker cancels with the token and the space comes back; bad input names the field; the
// jurisdiction (another street's center gets 404); gate device keys check cars in and out;
// every write in the audit log; CSV with a BOM; the demo's lots, bookings and figures.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api } from './lib.mjs';

let srv;
const tok = {};
const USERS = ['admin', 'center_jfb', 'center_qxg', 'grid_jfb', 'auditor_yz'];
// 解放碑: the demo's public lot stands here, so the point is inside a grid of 500103003
const LON = 106.5778, LAT = 29.5588;

before(async () => {
  srv = await startServer([]);
  for (const u of USERS) {
    // the seed prints the first administrator's random password once
    const password = u === 'admin' ? srv.log().match(/first administrator: admin, password: (\S+)/)[1] : 'zhizhi-demo';
    const r = await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username: u, password } });
    assert.equal(r.status, 201, r.text);
    tok[u] = r.body.token;
  }
});
after(async () => { await srv?.stop(); });

const iso = (ms) => new Date(ms).toISOString();
const hour = 3600e3;
// a window starting at the next full hour + h hours
const slot = (h, len = 1) => {
  const t0 = Math.ceil(Date.now() / hour) * hour + h * hour;
  return { from: iso(t0), to: iso(t0 + len * hour) };
};

async function makeLot(code, capacity, spaces, windows = 'daily 00:00-24:00', who = 'center_jfb') {
  const l = await api(srv.base, '/api/v1/parking/lots', {
    method: 'POST', token: tok[who],
    body: { code, name: `测试停车场${code}`, kind: 'office', lon: LON, lat: LAT, capacity, entrance: '东门', owner: '测试单位' },
  });
  assert.equal(l.status, 201, l.text);
  const p = await api(srv.base, `/api/v1/parking/lots/${code}/plans`, {
    method: 'POST', token: tok[who], body: { spaces, windows, price_fen: 500 },
  });
  assert.equal(p.status, 201, p.text);
  return l.body;
}

test('200 concurrent booking attempts for the last 5 spaces yield exactly 5 bookings', async () => {
  await makeLot('T-RACE', 20, 5);
  const w = slot(2);
  const attempts = Array.from({ length: 200 }, (_, i) =>
    api(srv.base, '/api/v1/parking/bookings', {
      method: 'POST', body: { lot: 'T-RACE', plate: `渝K${String(10000 + i)}`, ...w },
    }));
  const res = await Promise.all(attempts);
  const ok = res.filter((r) => r.status === 201);
  const full = res.filter((r) => r.status === 409);
  assert.equal(ok.length, 5, res.filter((r) => r.status !== 201 && r.status !== 409).map((r) => r.text).join('\n'));
  assert.equal(full.length, 195);
  for (const r of full) {
    assert.match(r.headers.get('content-type'), /application\/problem\+json/);
    assert.equal(r.body.code, 'full');
  }
  // the lot shows no free space in that window, but does an hour later
  const a = await api(srv.base, `/api/v1/parking/availability?lon=${LON}&lat=${LAT}&from=${encodeURIComponent(w.from)}&to=${encodeURIComponent(w.to)}`);
  assert.equal(a.status, 200, a.text);
  assert.ok(!a.body.items.some((i) => i.lot === 'T-RACE'));
  const later = slot(3);
  const b = await api(srv.base, `/api/v1/parking/availability?lon=${LON}&lat=${LAT}&from=${encodeURIComponent(later.from)}&to=${encodeURIComponent(later.to)}`);
  const mine = b.body.items.find((i) => i.lot === 'T-RACE');
  assert.equal(mine.free, 5);
  // nearest first by the walk over the demo's walking network (straight line without one), times
  // with the +08:00 offset
  const routed = b.body.items.filter((i) => i.walk_basis === 'network');
  assert.ok(routed.length > 0, 'the demo loads the living-circle walking network');
  const minutes = routed.map((i) => i.walk_minutes);
  assert.deepEqual(minutes, [...minutes].sort((x, y) => x - y));
  assert.ok(b.body.items.every((i) => typeof i.walk_minutes === 'number' && i.distance_m >= 0 && i.free > 0));
  assert.match(b.body.from, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
});

test('the booker cancels with the token; the space comes back; others cannot cancel', async () => {
  await makeLot('T-ONE', 5, 1);
  const w = slot(4);
  const r = await api(srv.base, '/api/v1/parking/bookings', { method: 'POST', body: { lot: 'T-ONE', plate: '渝A·88888', ...w } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.plate, '渝A88888');
  assert.equal(r.body.status, 'booked');
  assert.match(r.body.from, /\+08:00$/);
  const second = await api(srv.base, '/api/v1/parking/bookings', { method: 'POST', body: { lot: 'T-ONE', plate: '渝A77777', ...w } });
  assert.equal(second.status, 409);
  // without the token: as if it did not exist; another street's center: the same
  const anon = await api(srv.base, `/api/v1/parking/bookings/${r.body.id}`, { method: 'DELETE' });
  assert.equal(anon.status, 404);
  const qxg = await api(srv.base, `/api/v1/parking/bookings/${r.body.id}`, { method: 'DELETE', token: tok.center_qxg });
  assert.equal(qxg.status, 404);
  const seen = await api(srv.base, `/api/v1/parking/bookings/${r.body.id}`, { headers: { 'X-Booking-Token': r.body.token } });
  assert.equal(seen.status, 200);
  assert.equal(seen.body.plate, '渝A88888');
  const del = await api(srv.base, `/api/v1/parking/bookings/${r.body.id}`, { method: 'DELETE', headers: { 'X-Booking-Token': r.body.token } });
  assert.equal(del.status, 200, del.text);
  assert.equal(del.body.status, 'cancelled');
  const again = await api(srv.base, `/api/v1/parking/bookings/${r.body.id}`, { method: 'DELETE', headers: { 'X-Booking-Token': r.body.token } });
  assert.equal(again.status, 409);
  assert.equal(again.body.code, 'not_cancellable');
  const third = await api(srv.base, '/api/v1/parking/bookings', { method: 'POST', body: { lot: 'T-ONE', plate: '渝A77777', ...w } });
  assert.equal(third.status, 201, third.text);
});

test('bad input is a 4xx problem naming the field', async () => {
  const w = slot(5);
  const cases = [
    [{ lot: 'T-ONE', plate: 'ABC', ...w }, 400, 'plate'],
    [{ lot: 'T-ONE', plate: '渝A12345', to: w.to }, 400, 'from'],
    [{ lot: 'T-ONE', plate: '渝A12345', from: w.from, to: w.from }, 400, 'to'],
    [{ lot: 'T-ONE', plate: '渝A12345', from: 'yesterday', to: w.to }, 400, 'from'],
    [{ plate: '渝A12345', ...w }, 400, 'lot'],
    [{ lot: 'NOPE', plate: '渝A12345', ...w }, 404, 'lot'],
    [{ lot: 'T-ONE', plate: '渝A12345', ...slot(24 * 8) }, 400, 'from'],
  ];
  for (const [body, status, field] of cases) {
    const r = await api(srv.base, '/api/v1/parking/bookings', { method: 'POST', body });
    assert.equal(r.status, status, JSON.stringify(body) + ' ' + r.text);
    assert.equal(r.body.field, field, r.text);
  }
  // outside the plan's windows
  await makeLot('T-DAY', 10, 2, 'daily 09:00-10:00');
  const night = slot(0);
  const t = new Date(night.from);
  const local = (t.getUTCHours() + 8) % 24;
  if (local !== 9) {
    const r = await api(srv.base, '/api/v1/parking/bookings', { method: 'POST', body: { lot: 'T-DAY', plate: '渝A12345', ...night } });
    assert.equal(r.status, 409);
    assert.equal(r.body.code, 'not_offered');
  }
  const a = await api(srv.base, `/api/v1/parking/availability?lon=${LON}&lat=${LAT}&from=x&to=y`);
  assert.equal(a.status, 400);
  assert.equal(a.body.field, 'from');
  const p = await api(srv.base, '/api/v1/parking/lots/T-ONE/plans', { method: 'POST', token: tok.center_jfb, body: { spaces: 2, windows: 'sometimes' } });
  assert.equal(p.status, 400);
  assert.equal(p.body.field, 'windows');
  const over = await api(srv.base, '/api/v1/parking/lots/T-ONE/plans', { method: 'POST', token: tok.center_jfb, body: { spaces: 5, windows: 'daily 00:00-24:00' } });
  assert.equal(over.status, 400);
  assert.equal(over.body.code, 'over_capacity');
});

test('jurisdiction: another street\'s center gets 404 for a lot, its plans and bookings', async () => {
  const plan = await api(srv.base, '/api/v1/parking/lots/T-RACE/plans', { method: 'POST', token: tok.center_qxg, body: { spaces: 1, windows: 'daily 00:00-24:00' } });
  assert.equal(plan.status, 404);
  const lot = await api(srv.base, '/api/v1/parking/lots', {
    method: 'POST', token: tok.center_qxg,
    body: { code: 'T-QXG', name: '越界', kind: 'public', lon: LON, lat: LAT, capacity: 5 },
  });
  assert.equal(lot.status, 404);
  const list = await api(srv.base, '/api/v1/parking/bookings?lot=T-RACE', { token: tok.center_qxg });
  assert.equal(list.status, 200);
  assert.equal(list.body.items.length, 0);
  const mine = await api(srv.base, '/api/v1/parking/bookings?lot=T-RACE', { token: tok.center_jfb });
  assert.equal(mine.body.items.length, 5);
  // the grid worker sees plates masked; the center in full
  const gw = await api(srv.base, '/api/v1/parking/bookings?lot=T-RACE', { token: tok.grid_jfb });
  assert.equal(gw.status, 200);
  if (gw.body.items.length) assert.match(gw.body.items[0].plate, /\*/);
  assert.doesNotMatch(mine.body.items[0].plate, /\*/);
  const one = await api(srv.base, `/api/v1/parking/bookings/${mine.body.items[0].id}`, { token: tok.center_qxg });
  assert.equal(one.status, 404);
  const gk = await api(srv.base, '/api/v1/parking/lots/T-RACE/gate-keys', { method: 'POST', token: tok.center_qxg });
  assert.equal(gk.status, 404);
  const anonList = await api(srv.base, '/api/v1/parking/bookings');
  assert.equal(anonList.status, 401);
  const anonLot = await api(srv.base, '/api/v1/parking/lots', { method: 'POST', body: {} });
  assert.equal(anonLot.status, 401);
});

test('the gate posts plate events with its own device key: check-in and check-out', async () => {
  await makeLot('T-GATE', 10, 3);
  const now = Date.now();
  const from = iso(now - 10 * 60e3), to = iso(now + 50 * 60e3);
  const b = await api(srv.base, '/api/v1/parking/bookings', { method: 'POST', body: { lot: 'T-GATE', plate: '渝B12345', from, to } });
  assert.equal(b.status, 201, b.text);
  const k = await api(srv.base, '/api/v1/parking/lots/T-GATE/gate-keys', { method: 'POST', token: tok.admin });
  assert.equal(k.status, 201, k.text);
  assert.match(k.body.key, /^zpk_/);
  const bad = await api(srv.base, '/api/v1/parking/gate-events', { method: 'POST', headers: { 'X-Device-Key': 'zpk_nope' }, body: { plate: '渝B12345', direction: 'in' } });
  assert.equal(bad.status, 401);
  const none = await api(srv.base, '/api/v1/parking/gate-events', { method: 'POST', body: { plate: '渝B12345', direction: 'in' } });
  assert.equal(none.status, 401);
  const gin = await api(srv.base, '/api/v1/parking/gate-events', { method: 'POST', headers: { 'X-Device-Key': k.body.key }, body: { plate: '渝B12345', direction: 'in' } });
  assert.equal(gin.status, 201, gin.text);
  assert.equal(gin.body.matched, true);
  assert.equal(gin.body.status, 'checked_in');
  const seen = await api(srv.base, `/api/v1/parking/bookings/${b.body.id}`, { headers: { 'X-Booking-Token': b.body.token } });
  assert.equal(seen.body.status, 'checked_in');
  // a checked-in booking cannot be cancelled
  const del = await api(srv.base, `/api/v1/parking/bookings/${b.body.id}`, { method: 'DELETE', headers: { 'X-Booking-Token': b.body.token } });
  assert.equal(del.status, 409);
  const gout = await api(srv.base, '/api/v1/parking/gate-events', { method: 'POST', headers: { Authorization: `Bearer ${k.body.key}` }, body: { plate: '渝B12345', direction: 'out' } });
  assert.equal(gout.status, 201, gout.text);
  assert.equal(gout.body.status, 'completed');
  assert.equal(gout.body.overstay_minutes, 0);
  const stranger = await api(srv.base, '/api/v1/parking/gate-events', { method: 'POST', headers: { 'X-Device-Key': k.body.key }, body: { plate: '渝C99999', direction: 'in' } });
  assert.equal(stranger.status, 201);
  assert.equal(stranger.body.matched, false);
  const dir = await api(srv.base, '/api/v1/parking/gate-events', { method: 'POST', headers: { 'X-Device-Key': k.body.key }, body: { plate: '渝C99999', direction: 'up' } });
  assert.equal(dir.status, 400);
  assert.equal(dir.body.field, 'direction');
  // a grid worker may not post gate events by hand
  const gw = await api(srv.base, '/api/v1/parking/gate-events', { method: 'POST', token: tok.grid_jfb, body: { lot: 'T-GATE', plate: '渝C99999', direction: 'in' } });
  assert.equal(gw.status, 403);
});

test('every write is in the audit log', async () => {
  const r = await api(srv.base, '/api/v1/audit?object_type=parking_booking&limit=1000', { token: tok.admin });
  assert.equal(r.status, 200, r.text);
  const actions = new Set(r.body.items.map((i) => i.action));
  for (const a of ['parking.book', 'parking.cancel', 'parking.check_in', 'parking.check_out']) assert.ok(actions.has(a), a);
  assert.ok(r.body.items.filter((i) => i.action === 'parking.book').length >= 5 + 2 + 1);
  for (const t of ['parking_lot', 'parking_plan', 'parking_gate_event']) {
    const x = await api(srv.base, `/api/v1/audit?object_type=${t}`, { token: tok.admin });
    assert.ok(x.body.items.length > 0, t);
  }
});

test('the demo: lots around 解放碑, 大坪, 两路口 and the hospitals, a month of bookings, figures and CSV', async () => {
  const lots = await api(srv.base, '/api/v1/parking/lots');
  assert.equal(lots.status, 200);
  const demo = lots.body.items.filter((l) => l.synthetic);
  assert.ok(demo.length >= 10, `${demo.length} demo lots`);
  for (const p of ['P-JFB-', 'P-DP-', 'P-LLK-', 'P-HOS-']) assert.ok(demo.some((l) => l.code.startsWith(p)), p);
  const f = await api(srv.base, '/api/v1/parking/figures', { token: tok.center_jfb });
  assert.equal(f.status, 200, f.text);
  assert.equal(f.body.occupancy_by_hour.length, 24);
  assert.ok(f.body.share_rate > 0 && f.body.share_rate < 1, String(f.body.share_rate));
  assert.ok(f.body.lots.every((l) => l.grid.startsWith('500103003')), 'only 解放碑 lots for its center');
  const all = await api(srv.base, '/api/v1/parking/figures', { token: tok.admin });
  assert.ok(all.body.lots.length > f.body.lots.length);
  assert.ok(all.body.unmet_demand.length > 0);
  assert.ok(all.body.turnover > 0);
  const csv = await fetch(srv.base + '/api/v1/parking/bookings.csv?lot=P-JFB-01', { headers: { Authorization: `Bearer ${tok.admin}` } });
  assert.equal(csv.status, 200);
  const bytes = new Uint8Array(await csv.arrayBuffer());
  assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
  const text = new TextDecoder().decode(bytes);
  assert.match(text.split('\r\n')[0], /车牌/);
  assert.ok(text.split('\r\n').length > 20);
  const fc = await fetch(srv.base + '/api/v1/parking/figures.csv', { headers: { Authorization: `Bearer ${tok.auditor_yz}` } });
  assert.equal(fc.status, 200);
  assert.match(await fc.text(), /共享利用率/);
  const anon = await api(srv.base, '/api/v1/parking/figures');
  assert.equal(anon.status, 401);
  const alerts = await api(srv.base, '/api/v1/parking/alerts', { token: tok.admin });
  assert.equal(alerts.status, 200);
  assert.ok(alerts.body.items.length > 0);
});
