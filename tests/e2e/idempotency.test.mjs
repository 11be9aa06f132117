// Idempotency-Key (issue 10): a phone's outbox resending a public report or an event action
// after a dead signal creates one report / one transition, and the repeat gets the first answer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api } from './lib.mjs';

let srv;
const tok = {};
const ctx = {};

before(async () => {
  srv = await startServer(['--pwhash-cost', 'min']);
  for (const u of ['center_jfb', 'grid_jfb']) {
    const r = await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username: u, password: 'zhizhi-demo' } });
    tok[u] = r.body.token;
  }
  const me = await api(srv.base, '/api/v1/sessions/current', { token: tok.grid_jfb });
  ctx.grid = me.body.user.grid;
  const g = await api(srv.base, `/api/v1/regions/${ctx.grid}`);
  [ctx.lon, ctx.lat] = g.body.center;
});
after(async () => { await srv?.stop(); });

test('a public report sent twice with one key is filed once; the repeat repeats the answer', async () => {
  const body = { grid: ctx.grid, category: '1101', title: '小区门口垃圾堆积' };
  const headers = { 'Idempotency-Key': 'outbox-7f3a9c' };
  const a = await api(srv.base, '/api/v1/public/reports', { method: 'POST', body, headers });
  assert.equal(a.status, 201, a.text);
  const b = await api(srv.base, '/api/v1/public/reports', { method: 'POST', body, headers });
  assert.equal(b.status, 201);
  assert.deepEqual(b.body, a.body);
  assert.equal(b.headers.get('idempotent-replayed'), 'true');
  const list = await api(srv.base, '/api/v1/events?channel=citizen_qr&limit=50', { token: tok.center_jfb });
  assert.equal(list.body.items.filter(e => e.title === body.title).length, 1);
  // another key is another report
  const c = await api(srv.base, '/api/v1/public/reports', { method: 'POST', body, headers: { 'Idempotency-Key': 'outbox-other' } });
  assert.equal(c.status, 201);
  assert.notEqual(c.body.tracking, a.body.tracking);
  // a malformed key is refused naming the header
  const bad = await api(srv.base, '/api/v1/public/reports', { method: 'POST', body, headers: { 'Idempotency-Key': 'x'.repeat(201) } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.field, 'Idempotency-Key');
});

test('an action sent twice with one key is one transition; a failed first try can be retried', async () => {
  const e = (await api(srv.base, '/api/v1/events', { method: 'POST', token: tok.grid_jfb, body: { category: '1101', title: '巡查发现垃圾', lon: ctx.lon, lat: ctx.lat } })).body;
  const url = `/api/v1/events/${e.code}/actions/supervise`;
  const headers = { 'Idempotency-Key': 'sup-1' };
  // a failure (not yet registered: 督办 is not allowed) is not remembered
  let r = await api(srv.base, url, { method: 'POST', token: tok.center_jfb, body: { comment: '请尽快' }, headers });
  assert.equal(r.status, 409);
  r = await api(srv.base, `/api/v1/events/${e.code}/actions/register`, { method: 'POST', token: tok.center_jfb, body: {}, headers: { 'Idempotency-Key': 'reg-1' } });
  assert.equal(r.status, 200, r.text);
  const again = await api(srv.base, `/api/v1/events/${e.code}/actions/register`, { method: 'POST', token: tok.center_jfb, body: {}, headers: { 'Idempotency-Key': 'reg-1' } });
  assert.equal(again.status, 200); // not 409: the first answer again
  assert.equal(again.body.state, 'registered');
  // 督办 changes no state, so only the key keeps it from being recorded twice
  const s1 = await api(srv.base, url, { method: 'POST', token: tok.center_jfb, body: { comment: '请尽快' }, headers });
  const s2 = await api(srv.base, url, { method: 'POST', token: tok.center_jfb, body: { comment: '请尽快' }, headers });
  assert.equal(s1.status, 200, s1.text);
  assert.deepEqual(s2.body, s1.body);
  const h = await api(srv.base, `/api/v1/events/${e.code}/history`, { token: tok.center_jfb });
  assert.equal(h.body.items.filter(x => x.action === 'supervise').length, 1);
  assert.equal(h.body.items.filter(x => x.action === 'register').length, 1);
  // the same key from another person is their own
  const g = await api(srv.base, `/api/v1/events/${e.code}/actions/supervise`, { method: 'POST', token: tok.grid_jfb, body: {}, headers });
  assert.notEqual(g.status, 200);
});
