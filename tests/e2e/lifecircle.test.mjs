// The 15-minute living circle (issue 19) against the real binary: the synthetic Yuzhong demo
// (coverage per community and street, gaps, isochrones, site suggestions, CSV with BOM), the
// facility import (all or nothing, every bad row by line, audited), jurisdiction (404 outside,
// 403 for roles without the permission), and the command line on the real Monaco network
// (ODbL, © OpenStreetMap contributors): `zhizhi import osm` (.osm.pbf and .osm XML, with an
// elevation CSV) and `zhizhi route`, where climbing a stairway takes longer than descending it
// and changing level at a lift node is a ride.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, api, run, tmpDir } from './lib.mjs';

const MONACO = new URL('../../../shared/data/osm/monaco.osm.pbf', import.meta.url).pathname;
let srv;
const tok = {};

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
  tok.center_jfb = await login('center_jfb');
  tok.center_qxg = await login('center_qxg');
  tok.grid_jfb = await login('grid_jfb');
});
after(async () => { await srv?.stop(); });

test('the demo: a synthetic hilly network with stairs and lifts, facilities of every required level', async () => {
  const n = await api(srv.base, '/api/v1/lifecircle/network', { token: tok.center_yz });
  assert.equal(n.status, 200, n.text);
  assert.equal(n.body.loaded, true);
  assert.equal(n.body.synthetic, true);
  assert.ok(n.body.nodes > 1000 && n.body.steps > 50 && n.body.elevators === 3, n.text);
  const f = await api(srv.base, '/api/v1/lifecircle/facilities', { token: tok.center_yz });
  assert.ok(f.body.items.length > 40);
  assert.ok(f.body.items.every((x) => x.synthetic && /示例/.test(x.name)));
  const req = await api(srv.base, '/api/v1/lifecircle/requirements', { token: tok.center_yz });
  for (const r of req.body.requirements)
    assert.ok(f.body.items.some((x) => x.category === r.category && x.level === r.level), `${r.category} ${r.level}`);
});

test('coverage per street adds up to the total; the total is in the CSV with a BOM', async () => {
  const c = await api(srv.base, '/api/v1/lifecircle/coverage?group=street', { token: tok.center_yz });
  assert.equal(c.status, 200, c.text);
  assert.equal(c.body.areas.length, 11); // the 11 streets of Yuzhong
  const pop = c.body.areas.reduce((s, a) => s + a.population, 0);
  assert.equal(pop, c.body.total.population);
  for (let i = 0; i < c.body.total.cells.length; i++) {
    const sum = c.body.areas.reduce((s, a) => s + a.cells[i].covered, 0);
    assert.equal(sum, c.body.total.cells[i].covered);
    assert.ok(c.body.total.cells[i].share >= 0 && c.body.total.cells[i].share <= 1);
  }
  // the elderly walk slower: never more covered than the general profile
  const e = await api(srv.base, '/api/v1/lifecircle/coverage?group=street&profile=elderly', { token: tok.center_yz });
  for (let i = 0; i < c.body.total.cells.length; i++)
    assert.ok(e.body.total.cells[i].covered <= c.body.total.cells[i].covered);
  const csv = await fetch(srv.base + '/api/v1/lifecircle/coverage.csv?group=street', { headers: { Authorization: `Bearer ${tok.center_yz}` } });
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /text\/csv/);
  const bytes = new Uint8Array(await csv.arrayBuffer());
  assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
  const lines = new TextDecoder().decode(bytes).trim().split('\r\n');
  assert.match(lines[0], /养老服务5分钟/);
  assert.equal(lines.length, 1 + 11 + 1);
  assert.match(lines.at(-1), /合计/);
});

test('gaps: the largest first; a new day-care centre closes a gap and is audited', async () => {
  const g = await api(srv.base, '/api/v1/lifecircle/gaps', { token: tok.center_yz });
  assert.equal(g.status, 200, g.text);
  const items = g.body.items;
  assert.ok(items.length > 0);
  for (let i = 1; i < items.length; i++) assert.ok(items[i - 1].uncovered >= items[i].uncovered);
  // where to build next: picks with decreasing gains that add up
  const s = await api(srv.base, '/api/v1/lifecircle/suggest?category=elderly&level=5&k=3', { token: tok.center_yz });
  assert.equal(s.status, 200, s.text);
  assert.equal(s.body.picks.length, 3);
  for (let i = 1; i < 3; i++) assert.ok(s.body.picks[i - 1].gain >= s.body.picks[i].gain);
  const gained = s.body.picks.reduce((x, p) => x + p.gain, 0);
  assert.ok(Math.abs(s.body.covered_after - s.body.covered_before - gained) < 1e-6);
  // build the first pick: the elderly 5-minute coverage grows by at least its gain
  const before = await api(srv.base, '/api/v1/lifecircle/coverage', { token: tok.center_yz });
  const cell = (b) => b.total.cells.find((c) => c.category === 'elderly' && c.level === 5).covered;
  const p = s.body.picks[0];
  const csv = `name,category,level,lon,lat\n新建日间照料中心,养老服务,5,${p.lon},${p.lat}\n`;
  const imp = await api(srv.base, '/api/v1/lifecircle/facilities.csv', { method: 'POST', token: tok.center_yz, body: csv, raw: true, headers: { 'Content-Type': 'text/csv' } });
  assert.equal(imp.status, 201, imp.text);
  const after_ = await api(srv.base, '/api/v1/lifecircle/coverage', { token: tok.center_yz });
  assert.ok(cell(after_.body) - cell(before.body) >= p.gain - 1e-6, `${cell(before.body)} → ${cell(after_.body)} gain ${p.gain}`);
  const a = await api(srv.base, '/api/v1/audit?object_type=lifecircle_facility', { token: tok.admin });
  assert.equal(a.status, 200, a.text);
  assert.ok(a.body.items.some((x) => x.action === 'lifecircle.facility.import' && x.actor === 'center_yz'), a.text);
});

test('a facility list with bad rows is refused whole, every bad row by line', async () => {
  const before = await api(srv.base, '/api/v1/lifecircle/facilities', { token: tok.center_yz });
  const csv = 'name,category,level,lon,lat\n好站,elderly,5,106.57,29.56\n坏站,parking,5,106.57,29.56\n第三,culture,7,106.57,29.56\n第四,culture,5,abc,29.56\n';
  const r = await api(srv.base, '/api/v1/lifecircle/facilities.csv', { method: 'POST', token: tok.center_yz, body: csv, raw: true, headers: { 'Content-Type': 'text/csv' } });
  assert.equal(r.status, 400, r.text);
  assert.match(r.headers.get('content-type'), /problem\+json/);
  assert.deepEqual(r.body.errors.map((e) => [e.line, e.field]), [[3, 'category'], [4, 'level'], [5, 'lon']]);
  const after_ = await api(srv.base, '/api/v1/lifecircle/facilities', { token: tok.center_yz });
  assert.equal(after_.body.items.length, before.body.items.length);
  const h = await api(srv.base, '/api/v1/lifecircle/facilities.csv', { method: 'POST', token: tok.center_yz, body: 'name,lon\nx,1\n', raw: true, headers: { 'Content-Type': 'text/csv' } });
  assert.equal(h.status, 400);
  assert.equal(h.body.field, 'category');
});

test('isochrones: a point walks out, a facility is walked to; bad input names the field', async () => {
  const a = await api(srv.base, '/api/v1/lifecircle/isochrone?lon=106.575&lat=29.56&minutes=10', { token: tok.center_yz });
  assert.equal(a.status, 200, a.text);
  assert.equal(a.body.geometry.type, 'Polygon');
  const ring = a.body.geometry.coordinates[0];
  assert.deepEqual(ring[0], ring.at(-1));
  assert.ok(a.body.properties.nodes_reached > 5);
  const b = await api(srv.base, '/api/v1/lifecircle/isochrone?lon=106.575&lat=29.56&minutes=15', { token: tok.center_yz });
  assert.ok(b.body.properties.nodes_reached > a.body.properties.nodes_reached);
  const f = await api(srv.base, '/api/v1/lifecircle/facilities?category=elderly', { token: tok.center_yz });
  const fi = await api(srv.base, `/api/v1/lifecircle/isochrone?facility=${f.body.items[0].id}&minutes=15`, { token: tok.center_yz });
  assert.equal(fi.status, 200, fi.text);
  assert.equal(fi.body.properties.direction, 'to');
  for (const [q, field] of [['lon=abc&lat=29.56', 'lon'], ['lon=106.575&lat=29.56&minutes=0', 'minutes'], ['lon=106.575&lat=29.56&profile=bike', 'profile'], ['lon=10&lat=10', 'lon']]) {
    const r = await api(srv.base, `/api/v1/lifecircle/isochrone?${q}`, { token: tok.center_yz });
    assert.equal(r.status, 400, q + ' ' + r.text);
    assert.equal(r.body.field, field, q);
  }
  const s = await api(srv.base, '/api/v1/lifecircle/suggest?category=elderly&level=7', { token: tok.center_yz });
  assert.equal(s.status, 400);
  assert.equal(s.body.field, 'level');
});

test('jurisdiction: a street center sees its street only; others 404; roles without the permission 403', async () => {
  const jfb = await api(srv.base, '/api/v1/lifecircle/coverage?group=street', { token: tok.center_jfb });
  assert.equal(jfb.status, 200, jfb.text);
  assert.deepEqual(jfb.body.areas.map((a) => a.region), ['500103003']);
  const own = await api(srv.base, '/api/v1/lifecircle/coverage?region=500103003', { token: tok.center_jfb });
  assert.equal(own.status, 200);
  const other = await api(srv.base, '/api/v1/lifecircle/coverage?region=500103003', { token: tok.center_qxg });
  assert.equal(other.status, 404, other.text);
  const gaps = await api(srv.base, '/api/v1/lifecircle/gaps', { token: tok.center_jfb });
  assert.ok(gaps.body.items.every((g) => g.region.startsWith('500103003')));
  const fac = await api(srv.base, '/api/v1/lifecircle/facilities', { token: tok.center_qxg });
  const outside = (await api(srv.base, '/api/v1/lifecircle/facilities', { token: tok.center_jfb })).body.items[0];
  assert.ok(!fac.body.items.some((x) => x.id === outside.id));
  const iso = await api(srv.base, `/api/v1/lifecircle/isochrone?facility=${outside.id}`, { token: tok.center_qxg });
  assert.equal(iso.status, 404);
  // a street center may not list facilities outside its street
  const csv = 'name,category,level,lon,lat\n越界,elderly,5,106.50,29.545\n';
  const imp = await api(srv.base, '/api/v1/lifecircle/facilities.csv', { method: 'POST', token: tok.center_jfb, body: csv, raw: true, headers: { 'Content-Type': 'text/csv' } });
  assert.equal(imp.status, 400, imp.text);
  assert.equal(imp.body.errors[0].code, 'out_of_scope');
  const gw = await api(srv.base, '/api/v1/lifecircle/coverage', { token: tok.grid_jfb });
  assert.equal(gw.status, 403);
  const anon = await api(srv.base, '/api/v1/lifecircle/coverage');
  assert.equal(anon.status, 401);
});

test('the command line on the real Monaco network: import (pbf and XML, elevation CSV) and route', { skip: !existsSync(MONACO) && 'no Monaco extract' }, () => {
  const dir = tmpDir('zhizhi-lc-');
  try {
    const init = run(['init', '--data-dir', dir, '--demo', 'false']);
    assert.equal(init.status, 0, init.stderr);
    // a hill rising to the north-west: the 259 stairways get their direction from it
    const rows = ['lon,lat,ele_m'];
    for (let i = 0; i <= 12; i++)
      for (let j = 0; j <= 12; j++) {
        const lon = 7.405 + i * 0.0035, lat = 43.722 + j * 0.0025;
        rows.push(`${lon.toFixed(5)},${lat.toFixed(5)},${(20 + 6000 * (lat - 43.722) - 2000 * (lon - 7.405)).toFixed(1)}`);
      }
    const ele = join(dir, 'ele.csv');
    writeFileSync(ele, rows.join('\n') + '\n');
    const imp = run(['import', 'osm', MONACO, '--elevation', ele, '--data-dir', dir]);
    assert.equal(imp.status, 0, imp.stderr);
    const out = JSON.parse(imp.stdout);
    assert.ok(out.nodes > 10000 && out.steps > 200, imp.stdout);
    assert.ok(out.elevators >= 1, imp.stdout); // lift nodes where ways of two levels meet
    // down the hill and back up the same way
    const down = run(['route', '--data-dir', dir, '7.4200', '43.7440', '7.4230', '43.7330', '--json']);
    const up = run(['route', '--data-dir', dir, '7.4230', '43.7330', '7.4200', '43.7440', '--json']);
    assert.equal(down.status, 0, down.stderr);
    const d = JSON.parse(down.stdout), u = JSON.parse(up.stdout);
    assert.ok(u.minutes > d.minutes, `up ${u.minutes} down ${d.minutes}`);
    assert.ok(u.climb_m > d.climb_m);
    assert.ok(d.metres > 1000 && d.minutes > 10, down.stdout);
    const old = run(['route', '--profile', 'elderly', '--data-dir', dir, '7.4230', '43.7330', '7.4200', '43.7440', '--json']);
    assert.ok(JSON.parse(old.stdout).minutes > u.minutes);
    // an XML extract replaces the network; a stairway tagged incline=up is slower up than down
    const xml = join(dir, 'stairs.osm');
    writeFileSync(xml, `<?xml version='1.0'?><osm version='0.6'>
<node id='1' lat='43.7300' lon='7.4200'/><node id='2' lat='43.7303' lon='7.4200'/><node id='3' lat='43.7306' lon='7.4200'/>
<way id='10'><nd ref='1'/><nd ref='2'/><tag k='highway' v='footway'/></way>
<way id='11'><nd ref='2'/><nd ref='3'/><tag k='highway' v='steps'/><tag k='incline' v='up'/><tag k='step_count' v='120'/></way>
</osm>`);
    const x = run(['import', 'osm', xml, '--data-dir', dir]);
    assert.equal(x.status, 0, x.stderr);
    assert.equal(JSON.parse(x.stdout).steps, 1);
    const xu = JSON.parse(run(['route', '--data-dir', dir, '7.4200', '43.7300', '7.4200', '43.7306', '--json']).stdout);
    const xd = JSON.parse(run(['route', '--data-dir', dir, '7.4200', '43.7306', '7.4200', '43.7300', '--json']).stdout);
    assert.ok(xu.minutes > xd.minutes, `${xu.minutes} ${xd.minutes}`);
    assert.ok(Math.abs(xu.climb_m - 18) < 0.01, JSON.stringify(xu)); // 120 steps × 0.15 m
    // a lift drawn as a node where the street and an upper walkway meet: changing level there
    // is a ride (45 s, waiting included), not a free step; along the upper walkway it is none
    const lift = join(dir, 'lift.osm');
    writeFileSync(lift, `<?xml version='1.0'?><osm version='0.6'>
<node id='1' lat='43.7300' lon='7.4200'/><node id='2' lat='43.7300' lon='7.4201'><tag k='highway' v='elevator'/></node>
<node id='3' lat='43.7301' lon='7.4201'/><node id='4' lat='43.7299' lon='7.4201'/>
<way id='10'><nd ref='1'/><nd ref='2'/><tag k='highway' v='footway'/></way>
<way id='11'><nd ref='3'/><nd ref='2'/><nd ref='4'/><tag k='highway' v='footway'/><tag k='level' v='2'/></way>
</osm>`);
    const l = run(['import', 'osm', lift, '--data-dir', dir]);
    assert.equal(l.status, 0, l.stderr);
    assert.equal(JSON.parse(l.stdout).elevators, 1, l.stdout);
    const ride = JSON.parse(run(['route', '--data-dir', dir, '7.4200', '43.7300', '7.4201', '43.7301', '--json']).stdout);
    const along = JSON.parse(run(['route', '--data-dir', dir, '7.4201', '43.7299', '7.4201', '43.7301', '--json']).stdout);
    assert.ok(Math.abs(ride.minutes - (ride.metres / 60 + 0.75)) < 0.01, JSON.stringify(ride)); // walked at 1 m/s + 45 s
    assert.ok(along.minutes < 0.5, JSON.stringify(along)); // 22 m on one level
    // bad input: a missing file and a wrong suffix fail with a message, the old network stays
    const bad = run(['import', 'osm', join(dir, 'none.osm'), '--data-dir', dir]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /file/);
    writeFileSync(join(dir, 'broken.osm'), "<osm><node id='1' lat='1' lon='2'>");
    const broken = run(['import', 'osm', join(dir, 'broken.osm'), '--data-dir', dir]);
    assert.equal(broken.status, 1);
    assert.match(broken.stderr, /malformed/);
    const usage = run(['route', '--data-dir', dir, '7.42', '43.73']);
    assert.equal(usage.status, 2);
    const still = run(['route', '--data-dir', dir, '7.4200', '43.7300', '7.4200', '43.7306', '--json']);
    assert.equal(still.status, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
