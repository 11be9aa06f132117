// Running patrols (issue 21) against the real binary: the phone starts a run under its own key,
// sends the track's points in batches while walking (a batch sent twice adds nothing, a hole is
// refused with where to resume), and finishes it into a patrol whose finding opens a 河湖问题
// event in the right grid and which counts toward the segment's compliance; a finish sent twice
// records one patrol; another account's run is not found; everything is audited.
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
  const seg = await api(srv.base, '/api/v1/patrol/segments/CJ-YZ', { token: tok.center });
  ctx.line = seg.body.segment.geometry.coordinates;
  ctx.grid = seg.body.grids[Math.floor(seg.body.grids.length / 2)];
  for (const [username, password] of [['vol_run', 'river-volunteer-3'], ['vol_run2', 'river-volunteer-4']]) {
    const u = await api(srv.base, '/api/v1/users', {
      method: 'POST', token: tok.admin,
      body: { username, display_name: '护河志愿者', role: 'volunteer', grid: ctx.grid, password },
    });
    assert.equal(u.status, 201, u.text);
    tok[username] = await login(username, password);
  }
});
after(async () => { await srv?.stop(); });

const iso = (ms) => new Date(ms).toISOString();
const post = (path, token, body) => api(srv.base, path, { method: 'POST', token, body });

test('a run sent in batches while walking becomes one patrol with its event; resends add nothing', async () => {
  const key = 'run-test-0001';
  const started = Date.now() - 2 * 3600e3;
  const before_ = (await api(srv.base, '/api/v1/patrol/segments/CJ-YZ', { token: tok.center })).body;
  const s1 = await post('/api/v1/patrol/runs', tok.vol_run, { key, segment: 'CJ-YZ', started_at: iso(started) });
  assert.equal(s1.status, 201, s1.text);
  assert.equal(s1.body.points, 0);
  const s2 = await post('/api/v1/patrol/runs', tok.vol_run, { key, segment: 'CJ-YZ', started_at: iso(started) });
  assert.equal(s2.status, 200, 'a start sent twice is the same run');
  const other = await post('/api/v1/patrol/runs', tok.vol_run, { key, segment: 'JLJ-YZ', started_at: iso(started) });
  assert.ok([404, 409].includes(other.status), other.text);

  const pts = ctx.line.map(([lon, lat], i) => [lon, lat, Math.round(started / 1000) + 60 * i]);
  const half = Math.floor(pts.length / 2);
  const b1 = await post(`/api/v1/patrol/runs/${key}/points`, tok.vol_run, { from: 0, points: pts.slice(0, half) });
  assert.equal(b1.status, 200, b1.text);
  assert.equal(b1.body.points, half);
  // the server has the first half while the patrol is still running
  const seen = await api(srv.base, `/api/v1/patrol/runs/${key}`, { token: tok.vol_run });
  assert.equal(seen.body.points, half);
  assert.equal(seen.body.finished, false);
  // the same batch again (the answer was lost): nothing added
  const again = await post(`/api/v1/patrol/runs/${key}/points`, tok.vol_run, { from: 0, points: pts.slice(0, half) });
  assert.equal(again.status, 200);
  assert.equal(again.body.points, half);
  // a batch after a lost one leaves a hole: refused, naming where to resume
  const hole = await post(`/api/v1/patrol/runs/${key}/points`, tok.vol_run, { from: half + 5, points: pts.slice(half + 5) });
  assert.equal(hole.status, 409, hole.text);
  assert.equal(hole.body.field, 'from');
  assert.equal(hole.headers.get('x-patrol-points'), String(half));
  const badpt = await post(`/api/v1/patrol/runs/${key}/points`, tok.vol_run, { from: half, points: [[106.5, 29.5], [999, 29.5]] });
  assert.equal(badpt.status, 400);
  assert.equal(badpt.body.field, 'points[1]');
  assert.equal((await api(srv.base, `/api/v1/patrol/runs/${key}`, { token: tok.vol_run })).body.points, half, 'nothing of a bad batch is kept');

  const g = await api(srv.base, `/api/v1/regions/${ctx.grid}`);
  const [lon, lat] = g.body.center;
  const finding = { lon, lat, at: iso(started + 1800e3), title: '岸边堆放垃圾', description: '批量上传测试' };
  // finishing before the last batch has arrived is refused and writes nothing
  const early = await post(`/api/v1/patrol/runs/${key}/finish`, tok.vol_run, { ended_at: iso(Date.now() - 60e3), points: pts.length, findings: [finding] });
  assert.equal(early.status, 409, early.text);
  assert.equal(early.body.field, 'points');
  const b2 = await post(`/api/v1/patrol/runs/${key}/points`, tok.vol_run, { from: half, points: pts.slice(half) });
  assert.equal(b2.body.points, pts.length);
  // another account does not see this run
  assert.equal((await api(srv.base, `/api/v1/patrol/runs/${key}`, { token: tok.vol_run2 })).status, 404);
  assert.equal((await post(`/api/v1/patrol/runs/${key}/finish`, tok.vol_run2, { ended_at: iso(Date.now()) })).status, 404);

  const fin = await post(`/api/v1/patrol/runs/${key}/finish`, tok.vol_run, { ended_at: iso(Date.now() - 60e3), points: pts.length, findings: [finding] });
  assert.equal(fin.status, 201, fin.text);
  assert.equal(fin.body.points, pts.length);
  assert.ok(fin.body.coverage > 0.99, `coverage ${fin.body.coverage}`);
  assert.equal(fin.body.counts, true);
  assert.equal(fin.body.findings.length, 1);
  const loc = await api(srv.base, `/api/v1/locate?lon=${lon}&lat=${lat}`);
  assert.equal(fin.body.findings[0].grid, loc.body.grid.code);
  const ev = await api(srv.base, `/api/v1/events/${fin.body.findings[0].event_code}`, { token: tok.center });
  assert.equal(ev.body.category_name, '河湖问题');
  assert.equal(ev.body.grid, loc.body.grid.code);

  // the finish sent twice: the same patrol, not a second one
  const fin2 = await post(`/api/v1/patrol/runs/${key}/finish`, tok.vol_run, { ended_at: iso(Date.now()), points: pts.length, findings: [finding] });
  assert.equal(fin2.status, 200, fin2.text);
  assert.equal(fin2.body.again, true);
  assert.equal(fin2.body.id, fin.body.id);
  assert.equal(fin2.body.findings[0].event_code, fin.body.findings[0].event_code);
  const late = await post(`/api/v1/patrol/runs/${key}/points`, tok.vol_run, { from: pts.length, points: [pts[0]] });
  assert.equal(late.status, 409);
  assert.equal(late.body.field, 'key');

  const after_ = (await api(srv.base, '/api/v1/patrol/segments/CJ-YZ', { token: tok.center })).body;
  assert.equal(after_.patrols, before_.patrols + 1);
  assert.equal(after_.counting_patrols, before_.counting_patrols + 1);
  assert.equal(after_.findings, before_.findings + 1);
  assert.equal(after_.overall.current_met, true);

  const run = (await api(srv.base, `/api/v1/audit?object_type=patrol_run&limit=50`, { token: tok.admin })).body.items;
  assert.deepEqual(run.map((a) => a.action).sort(), ['patrol.points', 'patrol.points', 'patrol.run']);
  const rec = (await api(srv.base, `/api/v1/audit?object_type=patrol&object_id=${fin.body.id}`, { token: tok.admin })).body.items;
  assert.equal(rec.length, 1);
  assert.equal(rec[0].action, 'patrol.record');
});

test('bad starts name the field; a run without points cannot finish', async () => {
  const bad = async (body, field, status = 400) => {
    const r = await post('/api/v1/patrol/runs', tok.vol_run, body);
    assert.equal(r.status, status, r.text);
    assert.equal(r.body.field, field, r.text);
  };
  const now = Date.now();
  await bad({ segment: 'CJ-YZ', started_at: iso(now) }, 'key');
  await bad({ key: 'short', segment: 'CJ-YZ', started_at: iso(now) }, 'key');
  await bad({ key: 'has space in it', segment: 'CJ-YZ', started_at: iso(now) }, 'key');
  await bad({ key: 'run-test-0002', started_at: iso(now) }, 'segment');
  await bad({ key: 'run-test-0002', segment: 'CJ-YZ', started_at: iso(now + 3600e3) }, 'started_at');
  await bad({ key: 'run-test-0002', segment: 'CJ-YZ', started_at: iso(now - 3 * 86400e3) }, 'started_at');
  await bad({ key: 'run-test-0002', segment: 'NOPE', started_at: iso(now) }, 'segment', 404);
  const s = await post('/api/v1/patrol/runs', tok.vol_run, { key: 'run-test-0003', segment: 'CJ-YZ', started_at: iso(now - 600e3) });
  assert.equal(s.status, 201, s.text);
  const f = await post('/api/v1/patrol/runs/run-test-0003/finish', tok.vol_run, { ended_at: iso(now) });
  assert.equal(f.status, 400, f.text);
  assert.equal(f.body.field, 'track');
  assert.equal((await api(srv.base, '/api/v1/patrol/runs/run-test-0003', { token: tok.vol_run })).body.finished, false);
  // a department may not record
  const d = await post('/api/v1/patrol/runs', await login('dept_urban'), { key: 'run-test-0004', segment: 'CJ-YZ', started_at: iso(now) });
  assert.equal(d.status, 403);
});
