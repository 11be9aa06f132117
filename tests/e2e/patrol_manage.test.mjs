// Keeping the river segments and their chiefs (issue 21) against the real binary: the district
// center adds a segment (its grids found along the line), changes it, appoints a chief linked to
// an account — whose patrols then count as the chief's — changes and relieves the chief (离任:
// the row and its patrols stay, the chief no longer shows); a street center cannot place a
// segment outside its street; bad input names the field; every write is audited by its actor.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api } from './lib.mjs';

let srv;
const tok = {};
const ctx = {};

async function login(username, password = 'zhizhi-demo') {
  const r = await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username, password } });
  assert.equal(r.status, 201, `login ${username}: ${r.text}`);
  return r.body.token;
}

before(async () => {
  srv = await startServer(['--pwhash-cost', 'min']);
  const m = srv.log().match(/first administrator: admin, password: (\S+)/);
  tok.admin = await login('admin', m[1]);
  tok.center = await login('center_yz');
  tok.qxg = await login('center_qxg');
  const seg = await api(srv.base, '/api/v1/patrol/segments/CJ-YZ', { token: tok.center });
  ctx.line = seg.body.segment.geometry.coordinates;
});
after(async () => { await srv?.stop(); });

const iso = (ms) => new Date(ms).toISOString();
const call = (method, path, token, body) => api(srv.base, path, { method, token, body });

test('the district center adds and changes a segment, appoints, changes and relieves its chief', async () => {
  const line = ctx.line.slice(0, 6);
  const body = {
    code: 'CJ-TEST', river: 'CJ', river_name: '长江', name: '长江朝天门试验段',
    geometry: { type: 'LineString', coordinates: line }, station: 'WS-CJ', target_class: 2, works: ['朝天门护岸'],
  };
  const add = await call('POST', '/api/v1/patrol/segments', tok.center, body);
  assert.equal(add.status, 201, add.text);
  assert.equal(add.body.segment.code, 'CJ-TEST');
  assert.equal(add.body.segment.synthetic, false);
  assert.ok(add.body.grids.length >= 1, 'its grids are found along the line');
  assert.ok(add.body.segment.length_m > 100, `${add.body.segment.length_m}`);
  assert.equal(add.body.may_manage, true);
  assert.deepEqual(add.body.levels.map((l) => l.level), ['district', 'street', 'community']);
  ctx.grid = add.body.grids[0];
  const list = await call('GET', '/api/v1/patrol/segments', tok.center);
  assert.ok(list.body.items.some((s) => s.code === 'CJ-TEST'));
  assert.equal(list.body.may_manage, true);

  const dup = await call('POST', '/api/v1/patrol/segments', tok.center, body);
  assert.equal(dup.status, 409, dup.text);
  assert.equal(dup.body.field, 'code');

  const ch = await call('PATCH', '/api/v1/patrol/segments/CJ-TEST', tok.center,
    { name: '长江朝天门段', target_class: 3, works: ['朝天门护岸', '滨江步道'], geometry: { type: 'LineString', coordinates: ctx.line.slice(0, 9) } });
  assert.equal(ch.status, 200, ch.text);
  assert.equal(ch.body.segment.name, '长江朝天门段');
  assert.equal(ch.body.segment.target_class, 3);
  assert.deepEqual(ch.body.segment.works, ['朝天门护岸', '滨江步道']);
  assert.ok(ch.body.segment.length_m > add.body.segment.length_m, 'the longer line is measured again');
  assert.equal(ch.body.segment.station, 'WS-CJ', 'what was not sent stays');

  // a volunteer of a grid on the new segment, to be its community chief
  const u = await call('POST', '/api/v1/users', tok.admin,
    { username: 'vol_chief', display_name: '社区河长', role: 'volunteer', grid: ctx.grid, password: 'river-chief-pw-1' });
  assert.equal(u.status, 201, u.text);
  tok.vol = await login('vol_chief', 'river-chief-pw-1');
  const ap = await call('POST', '/api/v1/patrol/segments/CJ-TEST/chiefs', tok.center,
    { level: 'community', name: '王河长', title: '社区党委书记', region: ctx.grid.slice(0, 12), username: 'vol_chief' });
  assert.equal(ap.status, 201, ap.text);
  const chief = ap.body.chiefs.find((c) => c.name === '王河长');
  assert.ok(chief, ap.text);
  assert.equal(chief.window, 'week');
  assert.equal(chief.username, 'vol_chief');
  // the chief's account sees the segment and its patrol counts as the chief's
  const seen = await call('GET', '/api/v1/patrol/segments/CJ-TEST', tok.vol);
  assert.equal(seen.status, 200, seen.text);
  assert.equal(seen.body.may_manage, false);
  assert.equal(seen.body.chiefs.find((c) => c.id === chief.id).mine, true);
  assert.equal(seen.body.chiefs[0].username, undefined, 'account names only for those who keep the list');
  const now = Date.now();
  const p = await call('POST', '/api/v1/patrol/patrols', tok.vol,
    { segment: 'CJ-TEST', started_at: iso(now - 3600e3), ended_at: iso(now - 60e3), track: ch.body.segment.geometry });
  assert.equal(p.status, 201, p.text);
  assert.equal(p.body.role, 'chief');
  assert.equal(p.body.chief_level, 'community');
  const rep = (await call('GET', '/api/v1/patrol/segments/CJ-TEST', tok.center)).body;
  assert.equal(rep.chiefs.find((c) => c.id === chief.id).compliance.current_met, true);

  const up = await call('PATCH', `/api/v1/patrol/chiefs/${chief.id}`, tok.center, { title: '社区居委会主任', level: 'street' });
  assert.equal(up.status, 200, up.text);
  const c2 = up.body.chiefs.find((c) => c.id === chief.id);
  assert.equal(c2.title, '社区居委会主任');
  assert.equal(c2.window, 'xun', 'a street chief owes a patrol every 旬');
  assert.equal(c2.name, '王河长');

  const end = await call('DELETE', `/api/v1/patrol/chiefs/${chief.id}`, tok.center);
  assert.equal(end.status, 200, end.text);
  assert.equal(end.body.chiefs.some((c) => c.id === chief.id), false);
  assert.equal(end.body.patrols, rep.patrols, 'the chief\'s patrols stay');
  assert.equal((await call('DELETE', `/api/v1/patrol/chiefs/${chief.id}`, tok.center)).status, 404);
  assert.equal((await call('PATCH', `/api/v1/patrol/chiefs/${chief.id}`, tok.center, { title: 'x' })).status, 404);

  const audit = async (type, id) => (await call('GET', `/api/v1/audit?object_type=${type}&object_id=${encodeURIComponent(id)}&limit=20`, tok.admin)).body.items;
  const segA = await audit('patrol_segment', 'CJ-TEST');
  assert.deepEqual(segA.map((a) => a.action).sort(), ['patrol.segment', 'patrol.segment.update']);
  assert.deepEqual(segA.map((a) => a.actor_role), ['center', 'center'], JSON.stringify(segA));
  const chA = await audit('patrol_chief', String(chief.id));
  assert.deepEqual(chA.map((a) => a.action).sort(), ['patrol.chief', 'patrol.chief.end', 'patrol.chief.update']);
});

test('scope and permission: a street center only where its street is; others may not keep the list', async () => {
  const grids = (await call('GET', '/api/v1/patrol/segments/CJ-TEST', tok.center)).body.grids;
  assert.ok(grids.every((g) => !g.startsWith('500103001')), 'precondition: the test segment is outside 七星岗');
  const r = await call('POST', '/api/v1/patrol/segments', tok.qxg,
    { code: 'CJ-QXG', river: 'CJ', river_name: '长江', name: '越界段', geometry: { type: 'LineString', coordinates: ctx.line.slice(0, 6) } });
  assert.equal(r.status, 403, r.text);
  assert.equal(r.body.field, 'geometry');
  assert.equal((await call('GET', '/api/v1/patrol/segments/CJ-QXG', tok.center)).status, 404, 'nothing was written');
  assert.equal((await call('PATCH', '/api/v1/patrol/segments/CJ-TEST', tok.qxg, { name: 'x' })).status, 404);
  assert.equal((await call('POST', '/api/v1/patrol/segments/CJ-TEST/chiefs', tok.qxg, { level: 'street', name: 'x' })).status, 404);
  const vol = await login('volunteer_jfb');
  assert.equal((await call('PATCH', '/api/v1/patrol/segments/CJ-YZ', vol, { name: 'x' })).status, 403);
  assert.equal((await call('GET', '/api/v1/patrol/segments', vol)).body.may_manage, false);
});

test('bad input names the field and writes nothing', async () => {
  const good = { code: 'CJ-BAD', river: 'CJ', river_name: '长江', name: '坏段', geometry: { type: 'LineString', coordinates: ctx.line.slice(0, 4) } };
  const bad = async (method, path, body, field, status = 400) => {
    const r = await call(method, path, tok.center, body);
    assert.equal(r.status, status, r.text);
    assert.match(r.headers.get('content-type'), /problem\+json/);
    assert.equal(r.body.field, field, r.text);
  };
  await bad('POST', '/api/v1/patrol/segments', { ...good, code: 'has space' }, 'code');
  await bad('POST', '/api/v1/patrol/segments', { ...good, name: '' }, 'name');
  await bad('POST', '/api/v1/patrol/segments', { ...good, geometry: undefined }, 'geometry');
  await bad('POST', '/api/v1/patrol/segments', { ...good, geometry: { type: 'LineString', coordinates: [ctx.line[0]] } }, 'geometry');
  await bad('POST', '/api/v1/patrol/segments', { ...good, buffer_m: 1000 }, 'buffer_m');
  await bad('POST', '/api/v1/patrol/segments', { ...good, buffer_m: 0 }, 'buffer_m');
  await bad('POST', '/api/v1/patrol/segments', { ...good, target_class: 7 }, 'target_class');
  await bad('POST', '/api/v1/patrol/segments', { ...good, works: '护岸' }, 'works');
  assert.equal((await call('GET', '/api/v1/patrol/segments/CJ-BAD', tok.center)).status, 404);
  await bad('PATCH', '/api/v1/patrol/segments/CJ-YZ', { target_class: 0.5 }, 'target_class');
  const chiefs0 = (await call('GET', '/api/v1/patrol/segments/CJ-YZ', tok.center)).body.chiefs.length;
  await bad('POST', '/api/v1/patrol/segments/CJ-YZ/chiefs', { level: 'city', name: '张' }, 'level');
  await bad('POST', '/api/v1/patrol/segments/CJ-YZ/chiefs', { level: 'street' }, 'name');
  await bad('POST', '/api/v1/patrol/segments/CJ-YZ/chiefs', { level: 'street', name: '张', username: 'nobody_here' }, 'username');
  await bad('POST', '/api/v1/patrol/segments/CJ-YZ/chiefs', { level: 'street', name: '张', region: '999999' }, 'region');
  assert.equal((await call('GET', '/api/v1/patrol/segments/CJ-YZ', tok.center)).body.chiefs.length, chiefs0);
  await bad('PATCH', '/api/v1/patrol/chiefs/abc', { title: 'x' }, 'id', 404);
});
