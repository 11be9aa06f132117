// Shared parking (issue 20), the owner's side and the clock: a lot owner with the key the center
// issued publishes, edits and withdraws share plans without an account — an edit that would
// break a booking already made is refused naming the field, a withdrawal keeps the bookings —
// and another lot's owner or a wrong key gets nothing; the 3rd overstay of one plate within 30
// days opens an event 机动车乱停放 for the lot's grid (the server restarted with its clock six
// hours on, test_clock_offset, so the gate can report the cars leaving late).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, tmpDir } from './lib.mjs';

const LON = 106.5778, LAT = 29.5588; // 解放碑
const hour = 3600e3, minute = 60e3;
const iso = (ms) => new Date(ms).toISOString();
let srv;
const tok = {};

before(async () => {
  srv = await startServer([]);
  for (const u of ['admin', 'center_jfb', 'center_qxg']) {
    const password = u === 'admin' ? srv.log().match(/first administrator: admin, password: (\S+)/)[1] : 'zhizhi-demo';
    const r = await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username: u, password } });
    assert.equal(r.status, 201, r.text);
    tok[u] = r.body.token;
  }
});
after(async () => { await srv?.stop(); });

async function lotWithOwnerKey(code, capacity) {
  const l = await api(srv.base, '/api/v1/parking/lots', {
    method: 'POST', token: tok.center_jfb,
    body: { code, name: `测试大厦${code}`, kind: 'office', lon: LON, lat: LAT, capacity, entrance: '北门', owner: '测试大厦物业' },
  });
  assert.equal(l.status, 201, l.text);
  const k = await api(srv.base, `/api/v1/parking/lots/${code}/owner-keys`, { method: 'POST', token: tok.center_jfb, body: { label: '测试大厦物业' } });
  assert.equal(k.status, 201, k.text);
  assert.match(k.body.key, /^zpo_[A-Za-z0-9_-]{43}$/);
  return k.body.key;
}

const owner = (key, path, opts = {}) => api(srv.base, `/api/v1/parking/owner${path}`, { ...opts, headers: { 'X-Owner-Key': key, ...(opts.headers || {}) } });

test('a lot owner publishes, edits and withdraws plans with the owner key; bookings already made stand', async () => {
  const key = await lotWithOwnerKey('T-OWN', 30);
  const other = await lotWithOwnerKey('T-OWN2', 10);
  // without a key, or with a wrong one: 401
  assert.equal((await api(srv.base, '/api/v1/parking/owner')).status, 401);
  const wrong = await owner('zpo_' + 'x'.repeat(43), '');
  assert.equal(wrong.status, 401);
  assert.equal(wrong.body.code, 'invalid_owner_key');

  const me = await owner(key, '');
  assert.equal(me.status, 200, me.text);
  assert.equal(me.body.code, 'T-OWN');
  assert.deepEqual(me.body.plans, []);

  // publish: a bad window names the field; then every day 08:00-20:00
  const bad = await owner(key, '/plans', { method: 'POST', body: { spaces: 4, windows: 'sometimes 08:00-20:00' } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.field, 'windows');
  const over = await owner(key, '/plans', { method: 'POST', body: { spaces: 31, windows: 'daily 08:00-20:00' } });
  assert.equal(over.status, 400);
  assert.equal(over.body.code, 'over_capacity');
  const p = await owner(key, '/plans', { method: 'POST', body: { spaces: 2, windows: 'daily 08:00-20:00', price_fen: 600 } });
  assert.equal(p.status, 201, p.text);
  assert.equal(p.body.lot, 'T-OWN');
  assert.equal(p.body.windows, 'daily 08:00-20:00');

  // a driver books tomorrow 10:00-12:00 (Beijing)
  const day = new Date(Date.now() + 8 * hour);
  const tomorrow = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() + 1) - 8 * hour;
  const w = { from: iso(tomorrow + 10 * hour), to: iso(tomorrow + 12 * hour) };
  const b = await api(srv.base, '/api/v1/parking/bookings', { method: 'POST', body: { lot: 'T-OWN', plate: '渝A1B234', ...w } });
  assert.equal(b.status, 201, b.text);
  const b2 = await api(srv.base, '/api/v1/parking/bookings', { method: 'POST', body: { lot: 'T-OWN', plate: '渝A1B235', ...w } });
  assert.equal(b2.status, 201, b2.text);

  // the owner sees the bookings of the coming week, plates masked
  const seen = await owner(key, '');
  assert.equal(seen.body.plans.length, 1);
  assert.equal(seen.body.plans[0].upcoming, 2);
  assert.equal(seen.body.bookings.length, 2);
  assert.ok(seen.body.bookings.every((x) => x.plate.includes('*') && x.plate !== '渝A1B234'));

  // edits that would break those bookings are refused, naming the field
  const pid = p.body.id;
  const outside = await owner(key, `/plans/${pid}`, { method: 'PATCH', body: { windows: 'daily 12:00-20:00' } });
  assert.equal(outside.status, 409, outside.text);
  assert.equal(outside.body.code, 'bookings_outside');
  assert.equal(outside.body.field, 'windows');
  const fewer = await owner(key, `/plans/${pid}`, { method: 'PATCH', body: { spaces: 1 } });
  assert.equal(fewer.status, 409);
  assert.equal(fewer.body.code, 'bookings_exceed');
  assert.equal(fewer.body.field, 'spaces');
  const tooMany = await owner(key, `/plans/${pid}`, { method: 'PATCH', body: { spaces: 31 } });
  assert.equal(tooMany.status, 400);
  assert.equal(tooMany.body.code, 'over_capacity');
  // an edit that keeps them: longer hours, one more space, a lower price
  const ok = await owner(key, `/plans/${pid}`, { method: 'PATCH', body: { windows: '每天 07:00-22:00', spaces: 3, price_fen: 400 } });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.windows, 'daily 07:00-22:00');
  assert.equal(ok.body.spaces, 3);
  assert.equal(ok.body.price_fen, 400);
  assert.equal(ok.body.bookings_kept, 2);
  // drivers see the new plan: a third car now fits in the same window, at 4 元
  const avail = await api(srv.base, `/api/v1/parking/availability?lon=${LON}&lat=${LAT}&from=${encodeURIComponent(w.from)}&to=${encodeURIComponent(w.to)}`);
  const lot = avail.body.items.find((i) => i.lot === 'T-OWN');
  assert.equal(lot.free, 1);
  assert.equal(lot.price_fen, 400);

  // another lot's owner cannot touch this plan (404, as if it did not exist)
  const foreign = await owner(other, `/plans/${pid}`, { method: 'PATCH', body: { spaces: 5 } });
  assert.equal(foreign.status, 404);
  assert.equal((await owner(other, `/plans/${pid}`, { method: 'DELETE' })).status, 404);
  // nor can another street's center; the lot's own center can
  const qxg = await api(srv.base, `/api/v1/parking/lots/T-OWN/plans/${pid}`, { method: 'PATCH', token: tok.center_qxg, body: { price_fen: 0 } });
  assert.equal(qxg.status, 404);
  const jfb = await api(srv.base, `/api/v1/parking/lots/T-OWN/plans/${pid}`, { method: 'PATCH', token: tok.center_jfb, body: { audience_label: '公众' } });
  assert.equal(jfb.status, 200, jfb.text);
  assert.equal(jfb.body.price_fen, 400);

  // withdraw: no new bookings, the two made are kept
  const wd = await owner(key, `/plans/${pid}`, { method: 'DELETE' });
  assert.equal(wd.status, 200, wd.text);
  assert.equal(wd.body.active, false);
  assert.equal(wd.body.bookings_kept, 2);
  assert.equal((await owner(key, `/plans/${pid}`, { method: 'DELETE' })).status, 404);
  const after = await api(srv.base, '/api/v1/parking/lots/T-OWN');
  assert.deepEqual(after.body.plans, []);
  const late = await api(srv.base, '/api/v1/parking/bookings', { method: 'POST', body: { lot: 'T-OWN', plate: '渝A1B236', ...w } });
  assert.equal(late.status, 409);
  assert.equal(late.body.code, 'not_offered');
  const kept = await api(srv.base, `/api/v1/parking/bookings/${b.body.id}`, { headers: { 'X-Booking-Token': b.body.token } });
  assert.equal(kept.body.status, 'booked');

  // the audit chain holds the owner key, the owner's plan, the edits and the withdrawal
  const audit = await api(srv.base, '/api/v1/audit?limit=200', { token: tok.admin });
  assert.equal(audit.status, 200, audit.text);
  const actions = audit.body.items.map((e) => e.action);
  for (const a of ['parking.owner_key_issue', 'parking.plan_create', 'parking.plan_update', 'parking.plan_withdraw'])
    assert.ok(actions.includes(a), `${a} audited`);
  assert.equal(audit.body.items.filter((e) => e.action === 'parking.plan_update' && e.object_id === String(pid)).length, 2);
});

test('owner keys: issued only by the lot\'s own center, and the key reaches only its lot', async () => {
  const qxg = await api(srv.base, '/api/v1/parking/lots/T-OWN/owner-keys', { method: 'POST', token: tok.center_qxg });
  assert.equal(qxg.status, 404);
  assert.equal((await api(srv.base, '/api/v1/parking/lots/T-OWN/owner-keys', { method: 'POST' })).status, 401);
  const long = await api(srv.base, '/api/v1/parking/lots/T-OWN/owner-keys', { method: 'POST', token: tok.center_jfb, body: { label: '长'.repeat(60) } });
  assert.equal(long.status, 400);
  assert.equal(long.body.field, 'label');
});

test('the 3rd overstay of one plate within 30 days opens an event 机动车乱停放 for the lot\'s grid', async () => {
  const dir = tmpDir();
  let s = await startServer([], { dataDir: dir });
  let admin;
  const password = s.log().match(/first administrator: admin, password: (\S+)/)[1];
  const login = async () => {
    const r = await api(s.base, '/api/v1/sessions', { method: 'POST', body: { username: 'admin', password } });
    assert.equal(r.status, 201, r.text);
    admin = r.body.token;
  };
  try {
    await login();
    const l = await api(s.base, '/api/v1/parking/lots', {
      method: 'POST', token: admin,
      body: { code: 'T-OVER', name: '测试超时停车场', kind: 'public', lon: LON, lat: LAT, capacity: 10, entrance: '南门' },
    });
    assert.equal(l.status, 201, l.text);
    assert.equal((await api(s.base, '/api/v1/parking/lots/T-OVER/plans', { method: 'POST', token: admin, body: { spaces: 5, windows: 'daily 00:00-24:00' } })).status, 201);
    const k = await api(s.base, '/api/v1/parking/lots/T-OVER/gate-keys', { method: 'POST', token: admin });
    assert.equal(k.status, 201);
    // one plate, three half-hour bookings two hours apart, starting in 10 minutes
    const t0 = Math.ceil(Date.now() / minute) * minute + 10 * minute;
    const starts = [0, 2, 4].map((h) => t0 + h * hour);
    for (const st of starts) {
      const b = await api(s.base, '/api/v1/parking/bookings', { method: 'POST', body: { lot: 'T-OVER', plate: '渝A5C678', from: iso(st), to: iso(st + 30 * minute) } });
      assert.equal(b.status, 201, b.text);
    }
    // before time has moved on, the gate cannot report the car leaving an hour later
    const early = await api(s.base, '/api/v1/parking/gate-events', { method: 'POST', headers: { 'X-Device-Key': k.body.key }, body: { plate: '渝A5C678', direction: 'out', at: iso(starts[0] + hour) } });
    assert.equal(early.status, 400);
    assert.equal(early.body.field, 'at');
    await s.stop();

    // six hours later
    s = await startServer(['--test-clock-offset', String(6 * 3600)], { dataDir: dir });
    const gate = (direction, at) => api(s.base, '/api/v1/parking/gate-events', {
      method: 'POST', headers: { 'X-Device-Key': k.body.key }, body: { plate: '渝A·5C678', direction, at: iso(at) },
    });
    const results = [];
    for (const st of starts) {
      const gin = await gate('in', st + 2 * minute);
      assert.equal(gin.status, 201, gin.text);
      assert.equal(gin.body.status, 'checked_in');
      const gout = await gate('out', st + hour); // 30 minutes past the end
      assert.equal(gout.status, 201, gout.text);
      assert.equal(gout.body.status, 'completed');
      assert.equal(gout.body.overstay_minutes, 30);
      assert.equal(gout.body.alert, true);
      results.push(gout.body);
    }
    assert.equal(results[0].event, null);
    assert.equal(results[1].event, null);
    assert.ok(results[2].event, 'the third overstay opens an event');

    await login();
    const ev = await api(s.base, `/api/v1/events/${encodeURIComponent(results[2].event)}`, { token: admin });
    assert.equal(ev.status, 200, ev.text);
    assert.equal(ev.body.category, '1503');
    assert.equal(ev.body.grid, l.body.grid);
    assert.match(ev.body.title, /测试超时停车场/);
    const alerts = (await api(s.base, '/api/v1/parking/alerts?limit=500', { token: admin })).body.items.filter((a) => a.lot === 'T-OVER');
    assert.equal(alerts.length, 3);
    assert.ok(alerts.every((a) => a.plate === '渝A5C678' && a.minutes === 30));
    assert.equal(alerts.filter((a) => a.event === results[2].event).length, 1);
  } finally {
    await s.stop({ keep: false });
  }
});
