// River-chief patrols (issue 21) against the real binary: the demo's Yangtze and Jialing segments
// with their chiefs and season; a volunteer's patrol along the bank with a finding opens a
// 河湖问题 event in the grid where it was found and counts toward the segment's compliance;
// jurisdiction (404 outside), bad input naming the field with nothing half-written, the audit
// row, and the `zhizhi patrol coverage` command.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, api, run, tmpDir } from './lib.mjs';

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
  tok.center_yz = await login('center_yz');
  tok.volunteer_jfb = await login('volunteer_jfb');
  const seg = await api(srv.base, '/api/v1/patrol/segments/CJ-YZ', { token: tok.center_yz });
  assert.equal(seg.status, 200, seg.text);
  ctx.report = seg.body;
  // a volunteer of a grid in the middle of the Yangtze bank
  ctx.grid = seg.body.grids[Math.floor(seg.body.grids.length / 2)];
  const u = await api(srv.base, '/api/v1/users', {
    method: 'POST', token: tok.admin,
    body: { username: 'vol_river', display_name: '护河志愿者', role: 'volunteer', grid: ctx.grid, password: 'river-volunteer-1' },
  });
  assert.equal(u.status, 201, u.text);
  tok.vol = await login('vol_river', 'river-volunteer-1');
});
after(async () => { await srv?.stop(); });

const iso = (ms) => new Date(ms).toISOString();

test('the demo: two synthetic segments along the outline, chiefs at three levels, a season of patrols', async () => {
  const r = await api(srv.base, '/api/v1/patrol/segments', { token: tok.center_yz });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.items.map((s) => s.code), ['CJ-YZ', 'JLJ-YZ']);
  for (const s of r.body.items) {
    assert.equal(s.synthetic, true);
    assert.ok(s.length_m > 5000 && s.length_m < 15000, `${s.name} ${s.length_m}`);
    assert.ok(s.compliance.windows >= 12, JSON.stringify(s.compliance));
  }
  const rep = ctx.report;
  assert.equal(rep.segment.name, '长江渝中段');
  assert.equal(rep.segment.geometry.type, 'LineString');
  const levels = new Set(rep.chiefs.map((c) => c.level));
  assert.deepEqual([...levels].sort(), ['community', 'district', 'street']);
  const district = rep.chiefs.find((c) => c.level === 'district');
  assert.equal(district.window, 'month');
  assert.equal(rep.chiefs.find((c) => c.level === 'street').window, 'xun');
  assert.ok(rep.patrols > 50, `${rep.patrols} patrols in the season`);
  assert.equal(rep.checklist.length, 4);
  assert.deepEqual(rep.checklist.map((c) => c.item), ['water', 'problems', 'patrols', 'recurrence']);
  assert.ok(rep.water.class >= 1, 'the water section WS-CJ has a class');
  const layer = await api(srv.base, '/api/v1/patrol/segments.geojson', { token: tok.center_yz });
  assert.equal(layer.body.type, 'FeatureCollection');
  assert.equal(layer.body.features.length, 2);
});

test('a volunteer patrol with a finding opens a 河湖问题 event in the right grid and counts toward compliance', async () => {
  const before_ = (await api(srv.base, '/api/v1/patrol/segments/CJ-YZ', { token: tok.vol })).body;
  assert.ok(before_.segment, 'the volunteer sees the segment through their grid');
  const running = before_.windows.at(-1);
  assert.equal(running.running, true);
  const g = await api(srv.base, `/api/v1/regions/${ctx.grid}`);
  const [lon, lat] = g.body.center;
  const loc = await api(srv.base, `/api/v1/locate?lon=${lon}&lat=${lat}`);
  assert.equal(loc.status, 200, loc.text);
  const now = Date.now();
  const body = {
    segment: 'CJ-YZ',
    started_at: iso(now - 3 * 3600e3),
    ended_at: iso(now - 3600e3),
    track: { type: 'Feature', properties: {}, geometry: before_.segment.geometry },
    findings: [{ lon, lat, at: iso(now - 2 * 3600e3), title: '岸边堆放建筑垃圾', description: '滨江步道下方' }],
  };
  const r = await api(srv.base, '/api/v1/patrol/patrols', { method: 'POST', token: tok.vol, body });
  assert.equal(r.status, 201, r.text);
  assert.ok(r.body.coverage > 0.99, `coverage ${r.body.coverage}`);
  assert.equal(r.body.counts, true);
  assert.equal(r.body.role, 'volunteer');
  assert.equal(r.body.findings.length, 1);
  const f = r.body.findings[0];
  assert.equal(f.grid, loc.body.grid.code);
  const ev = await api(srv.base, `/api/v1/events/${f.event_code}`, { token: tok.center_yz });
  assert.equal(ev.status, 200, ev.text);
  assert.equal(ev.body.category, '9104');
  assert.equal(ev.body.category_name, '河湖问题');
  assert.equal(ev.body.grid, loc.body.grid.code);
  assert.equal(ev.body.state, 'reported');
  assert.equal(ev.body.title, '岸边堆放建筑垃圾');

  const after_ = (await api(srv.base, '/api/v1/patrol/segments/CJ-YZ', { token: tok.vol })).body;
  assert.equal(after_.counting_patrols, before_.counting_patrols + 1);
  assert.equal(after_.findings, before_.findings + 1);
  assert.equal(after_.open_problems, before_.open_problems + 1);
  const w = after_.windows.at(-1);
  assert.equal(w.count, running.count + 1);
  assert.equal(w.met, true);
  assert.equal(after_.overall.current_met, true);
  const list = await api(srv.base, '/api/v1/patrol/segments/CJ-YZ/patrols?limit=5', { token: tok.vol });
  assert.ok(list.body.items.some((p) => p.id === r.body.id && p.patroller === '护河志愿者'));

  // the write is in the audit chain, by the volunteer
  const a = await api(srv.base, `/api/v1/audit?object_type=patrol&object_id=${r.body.id}`, { token: tok.admin });
  assert.equal(a.status, 200, a.text);
  assert.equal(a.body.items.length, 1);
  assert.equal(a.body.items[0].action, 'patrol.record');
});

test('a volunteer uploads the photo of a finding and the event carries it', async () => {
  // a 1×1 PNG
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');
  const up = await fetch(`${srv.base}/api/v1/patrol/photos`, { method: 'POST', headers: { Authorization: `Bearer ${tok.vol}`, 'Content-Type': 'image/png' }, body: png });
  assert.equal(up.status, 201, await up.clone().text());
  const { sha256 } = await up.json();
  assert.match(sha256, /^[0-9a-f]{64}$/);
  // the general upload stays closed to volunteers
  const general = await fetch(`${srv.base}/api/v1/attachments`, { method: 'POST', headers: { Authorization: `Bearer ${tok.vol}`, 'Content-Type': 'image/png' }, body: png });
  assert.equal(general.status, 403);
  const g = await api(srv.base, `/api/v1/regions/${ctx.grid}`);
  const [lon, lat] = g.body.center;
  const now = Date.now();
  const r = await api(srv.base, '/api/v1/patrol/patrols', {
    method: 'POST', token: tok.vol,
    body: {
      segment: 'CJ-YZ', started_at: iso(now - 1800e3), ended_at: iso(now - 600e3), track: ctx.report.segment.geometry,
      findings: [{ lon, lat, title: '水面漂浮物', attachments: [sha256] }],
    },
  });
  assert.equal(r.status, 201, r.text);
  const h = await api(srv.base, `/api/v1/events/${r.body.findings[0].event_code}/history`, { token: tok.center_yz });
  assert.equal(h.status, 200, h.text);
  assert.ok(JSON.stringify(h.body).includes(sha256), `the report step carries the photo: ${h.text}`);
  const a = await api(srv.base, `/api/v1/audit?object_type=attachment&object_id=${sha256}`, { token: tok.admin });
  assert.equal(a.body.items[0]?.action, 'patrol.photo');
});

test('a problem found again where its event was closed is a recurrence (反弹) naming the earlier event', async () => {
  const g = await api(srv.base, `/api/v1/regions/${ctx.grid}`);
  const [lon, lat] = g.body.center;
  const street = ctx.grid.slice(0, 9);
  const u = await api(srv.base, '/api/v1/users', {
    method: 'POST', token: tok.admin,
    body: { username: 'center_river', role: 'center', level: 'street', region: street, password: 'river-center-pw' },
  });
  assert.equal(u.status, 201, u.text);
  const center = await login('center_river', 'river-center-pw');
  const dept = await login('dept_eco');
  const patrol = async (title, minutesAgo) => {
    const now = Date.now() - minutesAgo * 60e3;
    const r = await api(srv.base, '/api/v1/patrol/patrols', {
      method: 'POST', token: tok.vol,
      body: { segment: 'CJ-YZ', started_at: iso(now - 1200e3), ended_at: iso(now), track: ctx.report.segment.geometry, findings: [{ lon, lat, title }] },
    });
    assert.equal(r.status, 201, r.text);
    return r.body.findings[0];
  };
  const first = await patrol('岸边堆放垃圾', 30);
  assert.equal(first.recurs_event, null);
  const act = async (token, action, body = {}) => {
    const r = await api(srv.base, `/api/v1/events/${first.event_code}/actions/${action}`, { method: 'POST', token, body });
    assert.equal(r.status, 200, `${action}: ${r.text}`);
    return r.body;
  };
  await act(center, 'register');
  await act(center, 'dispatch', { department: 'eco', reason: '河湖问题由区生态环境局处置' });
  await act(dept, 'sign');
  await act(dept, 'feedback', { result: '已清运' });
  await act(center, 'send_check');
  const closed = await act(center, 'check_pass', { comment: '现场已清理' });
  assert.equal(closed.state, 'closed');
  const again = await patrol('岸边又见垃圾', 0);
  assert.equal(again.recurs_event, first.event_code);
  const ev = await api(srv.base, `/api/v1/events/${again.event_code}`, { token: tok.center_yz });
  assert.match(ev.body.description, new RegExp(`反弹.*${first.event_code}`));
  const rep = (await api(srv.base, '/api/v1/patrol/segments/CJ-YZ', { token: tok.center_yz })).body;
  assert.ok(rep.recurrences >= 1);
  assert.equal(rep.checklist.find((c) => c.item === 'recurrence').ok, false);
});

test('out of scope is 404; bad input names the field and writes nothing', async () => {
  const seen = await api(srv.base, '/api/v1/patrol/segments', { token: tok.vol });
  const codes = seen.body.items.map((s) => s.code);
  assert.ok(codes.includes('CJ-YZ'));
  const now = Date.now();
  const geometry = ctx.report.segment.geometry;
  const good = { segment: 'CJ-YZ', started_at: iso(now - 7200e3), ended_at: iso(now - 3600e3), track: geometry };
  if (!codes.includes('JLJ-YZ')) {
    const r = await api(srv.base, '/api/v1/patrol/patrols', { method: 'POST', token: tok.vol, body: { ...good, segment: 'JLJ-YZ' } });
    assert.equal(r.status, 404, r.text);
    assert.equal((await api(srv.base, '/api/v1/patrol/segments/JLJ-YZ', { token: tok.vol })).status, 404);
  }
  // volunteer_jfb's grid is not on the bank
  assert.equal((await api(srv.base, '/api/v1/patrol/segments/CJ-YZ', { token: tok.volunteer_jfb })).status, 404);
  assert.equal((await api(srv.base, '/api/v1/patrol/segments/NOPE', { token: tok.center_yz })).status, 404);

  const count = async () => (await api(srv.base, '/api/v1/patrol/segments/CJ-YZ', { token: tok.center_yz })).body;
  const c0 = await count();
  const bad = async (body, field, status = 400) => {
    const r = await api(srv.base, '/api/v1/patrol/patrols', { method: 'POST', token: tok.vol, body });
    assert.equal(r.status, status, r.text);
    assert.match(r.headers.get('content-type'), /problem\+json/);
    assert.equal(r.body.field, field, r.text);
  };
  await bad({ ...good, track: undefined }, 'track');
  await bad({ ...good, track: { type: 'Point', coordinates: [106.5, 29.5] } }, 'track');
  await bad({ ...good, ended_at: iso(now - 9000e3) }, 'ended_at');
  await bad({ ...good, started_at: 'yesterday' }, 'started_at');
  await bad({ ...good, segment: undefined }, 'segment');
  const [lon, lat] = geometry.coordinates[Math.floor(geometry.coordinates.length / 2)];
  // a good first finding and a far second one: nothing is kept, not even the first event
  await bad({ ...good, findings: [{ lon, lat, title: '漂浮物' }, { lon: lon + 0.05, lat, title: '远处' }] }, 'findings[1].lon');
  await bad({ ...good, findings: [{ lat }] }, 'findings[0].lon');
  const c1 = await count();
  assert.equal(c1.patrols, c0.patrols);
  assert.equal(c1.findings, c0.findings);
});

test('compliance as CSV for the spreadsheet: BOM, one row per segment and per chief', async () => {
  const r = await fetch(`${srv.base}/api/v1/patrol/compliance.csv`, { headers: { Authorization: `Bearer ${tok.center_yz}` } });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /text\/csv/);
  const bytes = new Uint8Array(await r.arrayBuffer());
  assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
  const lines = new TextDecoder().decode(bytes.slice(3)).trim().split('\r\n');
  assert.match(lines[0], /^岸段编码,岸段,河流,层级,河长/);
  const segs = (await api(srv.base, '/api/v1/patrol/segments', { token: tok.center_yz })).body.items;
  let chiefs = 0;
  for (const s of segs) chiefs += (await api(srv.base, `/api/v1/patrol/segments/${s.code}`, { token: tok.center_yz })).body.chiefs.length;
  assert.equal(lines.length - 1, segs.length + chiefs);
  assert.equal(lines.filter((l) => l.includes(',全段（联动）,')).length, segs.length);
  // a volunteer's CSV holds only the segments of their jurisdiction
  const mine = await fetch(`${srv.base}/api/v1/patrol/compliance.csv`, { headers: { Authorization: `Bearer ${tok.volunteer_jfb}` } });
  assert.equal((await mine.text()).trim().split('\r\n').length, 1);
});

test('zhizhi patrol coverage: share of the segment within the buffer of the track', () => {
  const dir = tmpDir();
  try {
    const seg = join(dir, 'seg.geojson');
    const trk = join(dir, 'trk.geojson');
    writeFileSync(seg, JSON.stringify({ type: 'LineString', coordinates: [[106.50, 29.55], [106.51, 29.55]] }));
    // the first half of the bank, 20 m inland
    writeFileSync(trk, JSON.stringify({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [[106.50, 29.55018], [106.505, 29.55018]] } }));
    const r = run(['patrol', 'coverage', '--buffer', '50', seg, trk, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    // half the segment (484.6 m) plus the buffer's round cap sqrt(50² − 20²) = 45.8 m, of 969.2 m
    assert.ok(Math.abs(out.coverage - (484.6 + 45.8) / 969.2) < 0.002, r.stdout);
    const narrow = JSON.parse(run(['patrol', 'coverage', '--buffer', '10', seg, trk, '--json']).stdout);
    assert.equal(narrow.coverage, 0);
    assert.equal(run(['patrol', 'coverage', '--buffer', '-3', seg, trk]).status, 2);
    assert.equal(run(['patrol', 'coverage', '--buffer', '50', trk]).status, 2);
    writeFileSync(trk, '{"type":"Point","coordinates":[1,2]}');
    const p = run(['patrol', 'coverage', '--buffer', '50', seg, trk]);
    assert.equal(p.status, 2);
    assert.match(p.stderr, /track/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
