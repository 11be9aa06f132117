// Components and the sewer network end to end against the real binary (issue 23): the
// check-code command's exit codes and reasons; the demo network inside the district; the
// figures 管网排查率 and 病害整治率 by street, equal to the sums of their groups and to the
// segment list; jurisdiction (another street's segment is 404); an inspection finding a grade-4
// 破裂 opens one repair event dispatched to the owner department, audited; the repair closes the
// defect and moves the repair rate; the census import refused as a whole with every bad row by
// line (CSV) or feature (GeoJSON), then accepted; the CSV export with a BOM; the overflow trace.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, run } from './lib.mjs';

let srv;
const tok = {};

before(async () => {
  srv = await startServer(['--pwhash-cost', 'min']);
  for (const u of ['center_yz', 'center_jfb', 'center_qxg', 'dept_urban', 'volunteer_jfb', 'auditor_yz']) {
    const r = await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username: u, password: 'zhizhi-demo' } });
    assert.equal(r.status, 201, `login ${u}: ${r.text}`);
    tok[u] = r.body.token;
  }
});
after(async () => { await srv?.stop(); });

const get = (path, user = 'center_yz') => api(srv.base, path, { token: tok[user] });
const post = (path, body, user = 'center_yz', opts = {}) =>
  api(srv.base, path, { method: 'POST', body, token: tok[user], ...opts });

const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
const daysAgo = (n) => new Date(Date.now() + 8 * 3600e3 - n * 86400e3).toISOString().slice(0, 10);

test('check-code: exit 0 for a code of this district, 1 with the reason', () => {
  const ok = run(['component', 'check-code', '5001030102000001']);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /公用设施/);
  const j = run(['component', 'check-code', '5001030102000001', '--json']);
  assert.equal(j.status, 0);
  assert.equal(JSON.parse(j.stdout).valid, true);
  for (const [code, reason] of [['500103010200001', 'not_16_digits'], ['5001040102000001', 'other_district'],
    ['5001030702000001', 'bad_major'], ['5001030100000001', 'bad_minor'], ['5001030102000000', 'bad_serial']]) {
    const r = run(['component', 'check-code', code, '--json']);
    assert.equal(r.status, 1, code);
    const body = JSON.parse(r.stdout);
    assert.equal(body.valid, false);
    assert.equal(body.reason, reason, code);
    const plain = run(['component', 'check-code', code]);
    assert.equal(plain.status, 1);
    assert.match(plain.stderr, new RegExp(reason));
  }
  assert.equal(run(['component', 'check-code']).status, 2);
});

test('sessions and roles: 401 without one, 403 for a volunteer', async () => {
  assert.equal((await api(srv.base, '/api/v1/sewer/figures?from=2026-01-01&to=2026-06-30')).status, 401);
  assert.equal((await get('/api/v1/sewer/segments', 'volunteer_jfb')).status, 403);
  const w = await post('/api/v1/sewer/inspections', { segment: 'x' }, 'auditor_yz');
  assert.equal(w.status, 403);
});

test('the demo network: a few hundred synthetic segments inside the district', async () => {
  const r = await get('/api/v1/sewer/segments');
  assert.equal(r.status, 200);
  assert.ok(r.body.items.length >= 200 && r.body.items.length <= 600, String(r.body.items.length));
  assert.ok(r.body.items.every((s) => s.synthetic && s.street.startsWith('500103')));
  const grades = new Set(r.body.items.map((s) => s.open_structural_grade).filter(Boolean));
  assert.deepEqual([...grades].sort(), [1, 2, 3, 4]);
  const g = await get('/api/v1/sewer/segments.geojson');
  assert.equal(g.status, 200);
  assert.match(g.headers.get('content-type'), /geo\+json/);
  assert.equal(g.body.features.length, r.body.items.length);
  assert.equal(g.body.features[0].geometry.type, 'LineString');
  const c = await get('/api/v1/components?class=0102');
  assert.ok(c.body.items.length > 0);
  assert.ok(c.body.items.every((x) => x.code.length === 16 && x.code.startsWith('5001030102')));
});

test('figures by street: fractions with the lengths and counts they come from', async () => {
  const from = daysAgo(365), to = today();
  const r = await get(`/api/v1/sewer/figures?from=${from}&to=${to}&group_by=street`);
  assert.equal(r.status, 200, r.text);
  const f = r.body;
  assert.ok(f.inspection_rate > 0 && f.inspection_rate < 1);
  assert.ok(f.repair_rate > 0 && f.repair_rate < 1);
  assert.ok(Math.abs(f.inspection_rate - f.inspected_length_m / f.total_length_m) < 1e-9);
  assert.ok(Math.abs(f.repair_rate - f.defects_repaired / f.defects_found) < 1e-9);
  assert.ok(f.groups.length >= 5);
  const sum = (k) => f.groups.reduce((a, g) => a + g[k], 0);
  assert.ok(Math.abs(sum('total_length_m') - f.total_length_m) < 1e-6);
  assert.equal(sum('defects_found'), f.defects_found);
  assert.equal(sum('segments'), f.segments);
  assert.ok(f.groups.every((g) => g.name && g.name.endsWith('街道') || g.name));
  const segs = (await get('/api/v1/sewer/segments')).body.items;
  assert.equal(f.segments, segs.length);
  // A street centre sees its street only.
  const s = await get(`/api/v1/sewer/figures?from=${from}&to=${to}&group_by=street`, 'center_jfb');
  assert.deepEqual(s.body.groups.map((g) => g.group), ['500103003']);
  // Bad input names the field.
  for (const [q, field] of [['from=2026-02-30&to=2026-03-01', 'from'], ['from=2026-01-01', 'to'],
    ['from=2026-03-01&to=2026-01-01', 'to'], [`from=${from}&to=${to}&group_by=city`, 'group_by']]) {
    const b = await get(`/api/v1/sewer/figures?${q}`);
    assert.equal(b.status, 400, q);
    assert.match(b.headers.get('content-type'), /problem\+json/);
    assert.equal(b.body.field, field, q);
  }
  const res = await fetch(`${srv.base}/api/v1/sewer/figures.csv?from=${from}&to=${to}&group_by=street`,
    { headers: { Authorization: `Bearer ${tok.center_yz}` } });
  assert.equal(res.status, 200);
  const bytes = new Uint8Array(await res.arrayBuffer());
  assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
  const csv = { text: new TextDecoder().decode(bytes) };
  assert.ok(csv.text.startsWith('分组,名称'));
  assert.match(csv.text, /"合计"/);
  assert.equal(csv.text.trim().split('\r\n').length, 2 + f.groups.length);
});

test('an inspection finding a grade-4 破裂 opens a repair event for the owner department; the repair closes the defect', async () => {
  const segs = (await get('/api/v1/sewer/segments?street=500103003')).body.items;
  const seg = segs.find((s) => s.department === 'urban' && !s.needs_repair) || segs[0];
  // Out of the caller's jurisdiction: 404, not 403.
  assert.equal((await get(`/api/v1/sewer/segments/${seg.code}`, 'center_qxg')).status, 404);
  const bad = await post('/api/v1/sewer/inspections', { segment: seg.code, method: 'cctv', inspected_on: today(),
    defects: [{ kind: 'structural', defect: '沉积', grade: 2 }] });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.field, 'defects[0].defect');
  const bad2 = await post('/api/v1/sewer/inspections', { segment: seg.code, method: 'cctv', inspected_on: today(),
    defects: [{ kind: 'structural', defect: '破裂', grade: 5 }] });
  assert.equal(bad2.body.field, 'defects[0].grade');
  const other = await post('/api/v1/sewer/inspections', { segment: seg.code, method: 'cctv', inspected_on: today() }, 'center_qxg');
  assert.equal(other.status, 404);

  const before = (await get(`/api/v1/sewer/figures?from=${today()}&to=${today()}`)).body;
  const r = await post('/api/v1/sewer/inspections', { segment: seg.code, method: 'cctv', inspected_on: today(),
    defects: [{ kind: 'structural', defect: '破裂', grade: 4, position_m: 3.5 }, { kind: 'functional', defect: '沉积', grade: 2, position_m: 7 }] });
  assert.equal(r.status, 201, r.text);
  assert.ok(r.body.event, 'a repair event was opened');
  const ev = await get(`/api/v1/events/${r.body.event}`);
  assert.equal(ev.status, 200, ev.text);
  assert.equal(ev.body.department, 'urban');
  assert.equal(ev.body.state, 'dispatched');
  assert.match(ev.body.title, /破裂/);
  // The department sees it in its queue.
  const mine = await get(`/api/v1/events/${r.body.event}`, 'dept_urban');
  assert.equal(mine.status, 200);

  const d = await get(`/api/v1/sewer/segments/${seg.code}`);
  assert.equal(d.body.needs_repair, true);
  assert.equal(d.body.open_structural_grade, 4);
  assert.ok(d.body.events.includes(r.body.event));
  assert.equal(d.body.repair_index, null); // CJJ 181 indices: not implemented
  const defect = d.body.inspections[0].defects.find((x) => x.defect === '破裂');
  assert.equal(defect.event, r.body.event);

  const audit = await get(`/api/v1/audit?object_type=sewer_inspection&object_id=${r.body.id}`, 'auditor_yz');
  assert.equal(audit.status, 200, audit.text);
  assert.equal(audit.body.items.length, 1);
  assert.equal(audit.body.items[0].action, 'sewer.inspect');

  const mid = (await get(`/api/v1/sewer/figures?from=${today()}&to=${today()}`)).body;
  assert.equal(mid.defects_found, (before.defects_found || 0) + 1);
  const rep = await post(`/api/v1/sewer/defects/${defect.id}/repair`, { repaired_on: today(), note: '开挖更换管节 2 米' }, 'dept_urban');
  assert.equal(rep.status, 200, rep.text);
  assert.equal(rep.body.repaired_on, today());
  const again = await post(`/api/v1/sewer/defects/${defect.id}/repair`, { repaired_on: today(), note: 'x' }, 'dept_urban');
  assert.equal(again.status, 409);
  const noNote = await post(`/api/v1/sewer/defects/${defect.id}/repair`, { repaired_on: today() });
  assert.equal(noNote.status, 400);
  const ra = await get(`/api/v1/audit?object_type=sewer_defect&object_id=${defect.id}`, 'auditor_yz');
  assert.deepEqual(ra.body.items.map((x) => x.action), ['sewer.repair']);
  const after = (await get(`/api/v1/sewer/figures?from=${today()}&to=${today()}`)).body;
  assert.equal(after.defects_repaired, mid.defects_repaired + 1);
  assert.equal((await get(`/api/v1/sewer/segments/${seg.code}`)).body.open_structural_grade, null);
});

test('overflow trace: the segments upstream of a manhole with open defects, nearest first', async () => {
  const segs = (await get('/api/v1/sewer/segments')).body.items;
  const open = segs.find((s) => s.open_defects > 0 && segs.some((t) => t.up_manhole === s.down_manhole));
  const down = segs.find((t) => t.up_manhole === open.down_manhole).down_manhole;
  const r = await get(`/api/v1/sewer/upstream?manhole=${down}`);
  assert.equal(r.status, 200, r.text);
  assert.ok(r.body.items.some((s) => s.code === open.code));
  assert.ok(r.body.items.every((s) => s.open_defects > 0 && s.last_inspected));
  assert.equal((await get('/api/v1/sewer/upstream?manhole=5001030102999999')).status, 404);
  assert.equal((await get('/api/v1/sewer/upstream')).body.field, 'manhole');
});

test('census import: refused as a whole with every bad row by line, then accepted', async () => {
  // A point inside the district: the centre of a demo manhole's grid.
  const m = (await get('/api/v1/components?street=500103003')).body.items[0];
  const lon = m.lon, lat = m.lat;
  const before = (await get('/api/v1/components')).body.items.length;
  const bad = [
    'code,name,state,lon,lat,department',
    `5001030109000001,路灯,完好,${lon},${lat},urban`,
    `5001040109000002,路灯,完好,${lon},${lat},urban`, // line 3: other district
    `5001030109000003,路灯,坏了,${lon},${lat},urban`, // line 4: state
    `5001030109000004,路灯,完好,121.5,31.2,urban`, // line 5: outside the district
    `5001030109000001,路灯,完好,${lon},${lat},urban`, // line 6: duplicate of line 2
    `5001030109000005,路灯,完好,${lon},${lat},nosuch`, // line 7: department
    `5001039909000006,路灯,完好,${lon},${lat},urban`, // line 8: major 99
  ].join('\n');
  const r = await post('/api/v1/components/import', bad, 'center_yz', { raw: true, headers: { 'Content-Type': 'text/csv' } });
  assert.equal(r.status, 400, r.text);
  assert.equal(r.body.code, 'import_refused');
  assert.deepEqual(r.body.errors.map((e) => [e.line, e.field, e.code]), [
    [3, 'code', 'other_district'], [4, 'state', 'bad_state'], [5, 'lon', 'outside_district'],
    [6, 'code', 'duplicate'], [7, 'department', 'unknown_department'], [8, 'code', 'bad_major']]);
  assert.equal((await get('/api/v1/components')).body.items.length, before, 'nothing written');

  const good = ['code,name,state,lon,lat,department', `5001030109000001,解放碑路灯1,完好,${lon},${lat},urban`,
    `5001030109000002,,破损,${lon},${lat},`].join('\r\n');
  const ok = await post('/api/v1/components/import', '\uFEFF' + good, 'center_yz', { raw: true, headers: { 'Content-Type': 'text/csv' } });
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(ok.body, { inserted: 2, updated: 0 });
  const c = await get('/api/v1/components/5001030109000002');
  assert.equal(c.body.name, '路灯'); // the class name when none is given
  assert.equal(c.body.street, '500103003');
  assert.equal((await get('/api/v1/components/5001030109000002', 'center_qxg')).status, 404);

  const geo = { type: 'FeatureCollection', features: [
    { type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties: { code: '5001030109000001', state: '丢失' } },
    { type: 'Feature', geometry: { type: 'LineString', coordinates: [[lon, lat], [lon, lat]] }, properties: { code: '5001030109000007' } },
  ] };
  const g1 = await post('/api/v1/components/import', JSON.stringify(geo), 'center_yz', { raw: true, headers: { 'Content-Type': 'application/geo+json' } });
  assert.equal(g1.status, 400);
  assert.deepEqual(g1.body.errors.map((e) => [e.feature, e.field]), [[2, 'geometry']]);
  geo.features.pop();
  const g2 = await post('/api/v1/components/import', JSON.stringify(geo), 'center_yz', { raw: true, headers: { 'Content-Type': 'application/geo+json' } });
  assert.deepEqual(g2.body, { inserted: 0, updated: 1 });
  assert.equal((await get('/api/v1/components/5001030109000001')).body.state, '丢失');

  const st = await post('/api/v1/components/5001030109000001/state', { state: '完好' }, 'dept_urban');
  assert.equal(st.status, 200, st.text);
  assert.equal(st.body.state, '完好');
  const bs = await post('/api/v1/components/5001030109000001/state', { state: '不知道' });
  assert.equal(bs.status, 400);
  assert.equal(bs.body.field, 'state');
});
