// The district model over HTTP: the region tree and its GeoJSON, CSV and GeoJSON exports (BOM,
// synthetic flags), point location in WGS84 and GCJ-02, boards, departments and grid teams, and
// imports (CSV round trip through the API, refusals naming the feature, nothing changed).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, api, run, tmpDir } from './lib.mjs';

const ADMIN_PW = 'org-e2e-password';
let srv;
let admin;

// WGS84 -> GCJ-02, the published algorithm (a = 6378245.0, ee = 0.00669342162296594323).
function wgs84ToGcj02(lon, lat) {
  const a = 6378245.0, ee = 0.00669342162296594323, PI = Math.PI;
  const x = lon - 105.0, y = lat - 35.0;
  let dLat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  dLat += (20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0 / 3.0;
  dLat += (20.0 * Math.sin(y * PI) + 40.0 * Math.sin(y / 3.0 * PI)) * 2.0 / 3.0;
  dLat += (160.0 * Math.sin(y / 12.0 * PI) + 320 * Math.sin(y * PI / 30.0)) * 2.0 / 3.0;
  let dLon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  dLon += (20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0 / 3.0;
  dLon += (20.0 * Math.sin(x * PI) + 40.0 * Math.sin(x / 3.0 * PI)) * 2.0 / 3.0;
  dLon += (150.0 * Math.sin(x / 12.0 * PI) + 300.0 * Math.sin(x / 30.0 * PI)) * 2.0 / 3.0;
  const radLat = lat / 180.0 * PI;
  let magic = Math.sin(radLat);
  magic = 1 - ee * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  dLat = (dLat * 180.0) / ((a * (1 - ee)) / (magic * sqrtMagic) * PI);
  dLon = (dLon * 180.0) / (a / sqrtMagic * Math.cos(radLat) * PI);
  return [lon + dLon, lat + dLat];
}

function assertProblem(r, status, code, field) {
  assert.equal(r.status, status, r.text);
  assert.match(r.headers.get('content-type'), /^application\/problem\+json/);
  if (code) assert.equal(r.body.code, code, r.text);
  if (field !== undefined) assert.equal(r.body.field, field, r.text);
}

before(async () => {
  const pw = join(tmpDir('zhizhi-pw-'), 'admin.pw');
  writeFileSync(pw, ADMIN_PW + '\n');
  srv = await startServer(['--pwhash-cost', 'min', '--admin-password-file', pw]);
  const r = await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username: 'admin', password: ADMIN_PW } });
  assert.equal(r.status, 201, r.text);
  admin = r.body.token;
});
after(async () => { await srv?.stop(); });

test('the region tree: streets, communities, grids, paging and bad parameters', async () => {
  const streets = await api(srv.base, '/api/v1/regions?level=street');
  assert.equal(streets.status, 200);
  assert.equal(streets.body.items.length, 11);
  assert.equal(streets.body.next, null);
  assert.ok(streets.body.items.some((s) => s.code === '500103003' && s.name === '解放碑街道'));
  const comms = await api(srv.base, '/api/v1/regions?level=community&limit=5000');
  assert.equal(comms.body.items.length, 80);
  const page1 = await api(srv.base, '/api/v1/regions?level=grid&limit=500');
  assert.equal(page1.body.items.length, 500);
  assert.ok(page1.body.next);
  const page2 = await api(srv.base, `/api/v1/regions?level=grid&limit=500&cursor=${page1.body.next}`);
  const grids = [...page1.body.items, ...page2.body.items];
  assert.equal(page2.body.next, null);
  assert.ok(grids.length >= 300 && grids.length <= 800, String(grids.length));
  for (const g of grids) {
    assert.ok(g.synthetic, g.code);
    assert.ok(g.area_m2 >= 10000 && g.area_m2 <= 40000, `${g.code} ${g.area_m2}`);
    assert.match(g.code, /^500103\d{9}$/);
    assert.ok(g.code.startsWith(g.parent));
  }
  const kids = await api(srv.base, '/api/v1/regions?parent=500103001');
  assert.ok(kids.body.items.every((c) => c.level === 'community'));
  assertProblem(await api(srv.base, '/api/v1/regions?level=planet'), 400, 'invalid_level', 'level');
  assertProblem(await api(srv.base, '/api/v1/regions?limit=0'), 400, 'invalid_limit', 'limit');
  assertProblem(await api(srv.base, '/api/v1/regions?limit=5001'), 400, 'invalid_limit', 'limit');
});

test('one region with its geometry, and 404 for an unknown code', async () => {
  const d = await api(srv.base, '/api/v1/regions/500103');
  assert.equal(d.status, 200);
  assert.equal(d.body.name, '渝中区');
  assert.equal(d.body.level, 'district');
  assert.ok(['Polygon', 'MultiPolygon'].includes(d.body.geometry.type));
  assert.ok(d.body.area_m2 > 15e6 && d.body.area_m2 < 30e6, String(d.body.area_m2));
  assertProblem(await api(srv.base, '/api/v1/regions/500103999'), 404, 'region_not_found');
});

test('children as GeoJSON: every generated feature says synthetic', async () => {
  const r = await api(srv.base, '/api/v1/regions/500103.geojson');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^application\/geo\+json/);
  assert.equal(r.body.type, 'FeatureCollection');
  assert.equal(r.body.features.length, 11);
  for (const f of r.body.features) {
    assert.equal(f.type, 'Feature');
    assert.equal(f.properties.synthetic, true);
    assert.ok(f.geometry);
  }
  const all = await api(srv.base, '/api/v1/regions.geojson?level=grid');
  assert.ok(all.body.features.length >= 300);
  assert.ok(all.body.features.every((f) => f.properties.synthetic === true));
  assertProblem(await api(srv.base, '/api/v1/regions/500103999.geojson'), 404);
});

test('CSV export starts with the UTF-8 BOM and uses CRLF', async () => {
  const res = await fetch(srv.base + '/api/v1/regions.csv');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/csv/);
  assert.match(res.headers.get('content-disposition'), /regions\.csv/);
  const bytes = new Uint8Array(await res.arrayBuffer());
  assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
  const text = new TextDecoder().decode(bytes.slice(3));
  assert.match(text, /^level,code,name,parent_code,/);
  assert.match(text, /\r\n/);
  assert.match(text, /community,500103001003,华一坡社区居民委员会,500103001,/);
});

test('locate: WGS84 and its GCJ-02 twin give the same grid', async () => {
  const grids = await api(srv.base, '/api/v1/regions?level=grid&limit=40');
  for (const g of grids.body.items.filter((_, i) => i % 8 === 0)) {
    const [lon, lat] = g.center; // a point inside the grid, WGS84
    const w = await api(srv.base, `/api/v1/locate?lon=${lon}&lat=${lat}`);
    assert.equal(w.status, 200, w.text);
    assert.equal(w.body.grid.code, g.code);
    assert.equal(w.body.community.code, g.parent);
    assert.equal(w.body.street.code, g.code.slice(0, 9));
    assert.equal(w.body.district.code, '500103');
    assert.equal(w.body.district.name, '渝中区');
    const [glon, glat] = wgs84ToGcj02(lon, lat);
    const c = await api(srv.base, `/api/v1/locate?lon=${glon}&lat=${glat}&crs=gcj02`);
    assert.equal(c.status, 200, c.text);
    assert.equal(c.body.grid.code, g.code);
    assert.ok(Math.abs(c.body.wgs84[0] - lon) < 1e-6 && Math.abs(c.body.wgs84[1] - lat) < 1e-6);
  }
});

test('locate: outside the district 404, bad numbers and crs 400 naming the field', async () => {
  assertProblem(await api(srv.base, '/api/v1/locate?lon=106.40&lat=29.50'), 404, 'outside_district');
  assertProblem(await api(srv.base, '/api/v1/locate?lon=116.39&lat=39.91'), 404, 'outside_district');
  assertProblem(await api(srv.base, '/api/v1/locate?lon=abc&lat=29.56'), 400, 'invalid_number', 'lon');
  assertProblem(await api(srv.base, '/api/v1/locate?lon=106.55&lat=95'), 400, 'invalid_number', 'lat');
  assertProblem(await api(srv.base, '/api/v1/locate?lon=106.55'), 400, 'missing_field', 'lat');
  assertProblem(await api(srv.base, '/api/v1/locate?lon=106.55&lat=29.56&crs=bd09'), 400, 'invalid_crs', 'crs');
});

test('boards with posts, departments, and a grid team (masked phones)', async () => {
  const b = await api(srv.base, '/api/v1/boards?street=500103003');
  assert.equal(b.status, 200);
  assert.deepEqual(b.body.items.map((x) => x.name), ['党的建设', '经济发展', '民生服务', '平安法治']);
  assert.ok(b.body.items.every((x) => x.posts.length >= 3 && x.posts.every((p) => p.street === '500103003')));
  const d = await api(srv.base, '/api/v1/departments');
  const names = d.body.items.map((x) => x.name);
  for (const n of ['区生态环境局', '区住房城市建设委', '区城市管理局', '区交通运输局', '区商务委', '区人力社保局', '区发展改革委', '区规划自然资源局']) assert.ok(names.includes(n), n);
  const grid = (await api(srv.base, '/api/v1/regions?level=grid&limit=1')).body.items[0].code;
  const t = await api(srv.base, `/api/v1/grids/${grid}/team`, { token: admin });
  assert.equal(t.status, 200, t.text);
  const roles = t.body.items.map((p) => p.role);
  for (const r of ['网格长', '专职网格员', '兼职网格员', '网格指导员']) assert.ok(roles.includes(r), r);
  assert.equal(roles[0], '网格长');
  assert.ok(t.body.items.every((p) => p.synthetic));
  assertProblem(await api(srv.base, '/api/v1/grids/500103001/team', { token: admin }), 404);
});

test('CLI: locate and export match the API', async () => {
  const g = (await api(srv.base, '/api/v1/regions?level=grid&limit=1')).body.items[0];
  const r = run(['locate', String(g.center[0]), String(g.center[1]), '--data-dir', srv.dataDir]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`grid\\s+${g.code}`));
  const [glon, glat] = wgs84ToGcj02(g.center[0], g.center[1]);
  const c = run(['locate', String(glon), String(glat), '--crs', 'gcj02', '--data-dir', srv.dataDir]);
  assert.match(c.stdout, new RegExp(`grid\\s+${g.code}`));
  assert.equal(run(['locate', '106.40', '29.50', '--data-dir', srv.dataDir]).status, 1);
  assert.equal(run(['locate', 'x', '29.50', '--data-dir', srv.dataDir]).status, 2);
  const e = run(['export', 'regions', '--format', 'geojson', '--data-dir', srv.dataDir], { maxBuffer: 1 << 28 });
  assert.equal(e.status, 0);
  const fc = JSON.parse(e.stdout);
  assert.equal(fc.type, 'FeatureCollection');
  assert.equal(run(['export', 'regions', '--format', 'xml', '--data-dir', srv.dataDir]).status, 2);
});

test('import: the CSV export goes back in unchanged; refusals name the row and change nothing', async () => {
  const csv = await (await fetch(srv.base + '/api/v1/regions.csv')).text();
  const ok = await api(srv.base, '/api/v1/regions/import', { method: 'POST', token: admin, body: csv, headers: { 'Content-Type': 'text/csv' } });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.inserted, 0);
  assert.ok(ok.body.updated > 800);
  assert.equal(ok.body.grids_removed, 0);
  assert.equal(ok.body.communities_checked, 80);
  assert.equal(await (await fetch(srv.base + '/api/v1/regions.csv')).text(), csv);

  // A grid that overlaps its neighbour: the whole file is refused, naming the feature.
  const fc = (await api(srv.base, '/api/v1/regions/500103001003.geojson')).body;
  fc.features[1].geometry = fc.features[0].geometry;
  const bad = await api(srv.base, '/api/v1/regions/import', { method: 'POST', token: admin, body: JSON.stringify(fc), headers: { 'Content-Type': 'application/geo+json' } });
  assertProblem(bad, 400, 'tiling');
  assert.match(bad.body.field, /^features\[\d+\]\.geometry$/);
  assert.match(bad.body.detail, /500103001003001/);
  // A broken CSV line is named by its number.
  const broken = 'level,code,name,parent_code\r\nstreet,500103001,七星岗街道,500103\r\ncommunity,500103098001,x,500103098\r\n';
  const b2 = await api(srv.base, '/api/v1/regions/import', { method: 'POST', token: admin, body: broken, headers: { 'Content-Type': 'text/csv' } });
  assertProblem(b2, 400, 'unknown_parent', 'line 3');
  assert.equal(await (await fetch(srv.base + '/api/v1/regions.csv')).text(), csv);

  // Other media types 415; no session 401.
  assertProblem(await api(srv.base, '/api/v1/regions/import', { method: 'POST', token: admin, body: 'x', headers: { 'Content-Type': 'application/xml' } }), 415);
  assertProblem(await api(srv.base, '/api/v1/regions/import', { method: 'POST', body: csv, headers: { 'Content-Type': 'text/csv' } }), 401);
});

test('import: replacing a community\'s grids re-indexes point location', async () => {
  const comm = '500103001003';
  const fc = (await api(srv.base, `/api/v1/regions/${comm}.geojson`)).body;
  const n = fc.features.length;
  assert.ok(n >= 2);
  // Merge the community into one grid: its own outline under the first grid's code.
  const outline = (await api(srv.base, `/api/v1/regions/${comm}`)).body.geometry;
  const one = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { level: 'grid', code: fc.features[0].properties.code, name: '合并网格', parent_code: comm }, geometry: outline }] };
  const r = await api(srv.base, '/api/v1/regions/import', { method: 'POST', token: admin, body: JSON.stringify(one), headers: { 'Content-Type': 'application/geo+json' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.grids_removed, n - 1);
  const other = fc.features[n - 1];
  const [lon, lat] = other.properties.center;
  const loc = await api(srv.base, `/api/v1/locate?lon=${lon}&lat=${lat}`);
  assert.equal(loc.status, 200);
  assert.equal(loc.body.grid.code, fc.features[0].properties.code);
  assert.equal(loc.body.grid.name, '合并网格');
  // and the CLI refuses a GCJ-02 file whose grids then miss the community
  const dir = tmpDir();
  const f = join(dir, 'grids.geojson');
  writeFileSync(f, JSON.stringify({ ...one, crs: { type: 'name', properties: { name: 'GCJ-02' } } }));
  const cli = run(['import', 'regions', f, '--data-dir', srv.dataDir]);
  assert.equal(cli.status, 1);
  assert.match(cli.stderr, /features\[0\]\.geometry/);
  assert.equal(run(['import', 'regions', '--data-dir', srv.dataDir]).status, 2);
});
