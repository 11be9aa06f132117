// The building economy (issue 16) against the real binary with the demo district: the district
// figures near the seed's (40 亿元级, 161 千万元级, tax and value added per m²), the ranking with
// each score's parts, jurisdiction (out of scope → 404), the authorization matrix, imports all or
// nothing with every bad row by line, import → ranking → CSV export, the audited evaluation
// change, and `zhizhi uscc check`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, api, run } from './lib.mjs';

let srv;
const tok = {};
const USERS = ['center_yz', 'center_jfb', 'grid_jfb', 'dept_urban', 'auditor_yz', 'post_jfb_cg'];

before(async () => {
  srv = await startServer(['--pwhash-cost', 'min']);
  for (const u of USERS) {
    const r = await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username: u, password: 'zhizhi-demo' } });
    assert.equal(r.status, 201, `login ${u}: ${r.text}`);
    tok[u] = r.body.token;
  }
  const m = srv.log().match(/first administrator: admin, password: (\S+)/);
  tok.admin = (await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username: 'admin', password: m[1] } })).body.token;
});
after(async () => { await srv?.stop(); });

const get = (path, user = 'center_yz') => api(srv.base, path, { token: tok[user] });
const csv = (kind, text, user = 'admin') => api(srv.base, `/api/v1/buildings/import?kind=${kind}`, {
  method: 'POST', token: tok[user], body: text, headers: { 'Content-Type': 'text/csv' } });

test('district figures for 2025 land near the seed: 40 亿元级, 161 千万元级, >1500 元/m², >13,400 元/m²', async () => {
  const r = await get('/api/v1/buildings/figures?year=2025');
  assert.equal(r.status, 200, r.text);
  const f = r.body;
  assert.equal(f.year, 2025);
  assert.equal(f.buildings, 300);
  assert.equal(f.at_least_10e8, 40);
  assert.equal(f.band_10e7, 161);
  assert.equal(f.tier_10e8 + f.near_10e9 + f.tier_10e9, 40);
  assert.equal(f.tier_10e7 + f.near_10e8, 161);
  const tiers = ['none', 'near_10e7', 'tier_10e7', 'near_10e8', 'tier_10e8', 'near_10e9', 'tier_10e9'];
  assert.equal(tiers.reduce((s, t) => s + f[t], 0), 300);
  assert.ok(f.tax_per_m2 > 1500 && f.tax_per_m2 < 1600, `tax_per_m2 ${f.tax_per_m2}`);
  assert.ok(f.gdp_per_m2 > 13400 && f.gdp_per_m2 < 13600, `gdp_per_m2 ${f.gdp_per_m2}`);
  assert.ok(Math.abs(f.tax_per_m2 - f.tax / f.gfa_m2) < 0.01);
  assert.ok(Math.abs(f.vacancy_rate - (f.leasable_m2 - f.leased_m2) / f.leasable_m2) < 1e-5);
  // the seed: 楼宇空置率降低、招商落地率提升
  assert.equal(f.trend.length, 3);
  assert.ok(f.trend[0].vacancy_rate > f.trend[1].vacancy_rate && f.trend[1].vacancy_rate > f.trend[2].vacancy_rate);
  assert.ok(f.trend[0].landing_rate < f.trend[2].landing_rate);
  assert.ok(f.landing_rate > 0 && f.landing_rate <= 1);
  assert.equal(f.synthetic, true);
  // zones add up to the district
  assert.equal(f.zones.reduce((s, z) => s + z.buildings, 0), 300);
  assert.equal(f.zones.reduce((s, z) => s + z.at_least_10e8, 0), 40);
  const jfb = await get('/api/v1/buildings/figures?year=2025&zone=jfb');
  assert.equal(jfb.status, 200);
  assert.equal(jfb.body.buildings, f.zones.find((z) => z.code === 'jfb').buildings);
  // without a year: the latest year with figures
  assert.equal((await get('/api/v1/buildings/figures')).body.year, 2025);
});

test('bad input names the field; who may read', async () => {
  for (const q of ['?year=25', '?year=abcd', '?year=3000']) {
    const r = await get(`/api/v1/buildings/figures${q}`);
    assert.equal(r.status, 400, q);
    assert.equal(r.body.field, 'year');
    assert.match(r.headers.get('content-type'), /problem\+json/);
  }
  const z = await get('/api/v1/buildings/ranking?zone=nowhere');
  assert.equal(z.status, 400);
  assert.equal(z.body.field, 'zone');
  assert.equal((await api(srv.base, '/api/v1/buildings/figures')).status, 401);
  assert.equal((await get('/api/v1/buildings/figures', 'grid_jfb')).status, 403);
  for (const u of ['auditor_yz', 'dept_urban', 'post_jfb_cg']) assert.equal((await get('/api/v1/buildings/figures', u)).status, 200, u);
  assert.equal((await get('/api/v1/buildings/evaluation', 'post_jfb_cg')).status, 200);
  const put = await api(srv.base, '/api/v1/buildings/evaluation', { method: 'PUT', token: tok.dept_urban, body: { near_ratio: 0.9 } });
  assert.equal(put.status, 403);
  assert.equal((await csv('buildings', 'code\n', 'post_jfb_cg')).status, 403);
});

test('the ranking explains every score by its parts; ranks within district, zone and peer group', async () => {
  const r = await get('/api/v1/buildings/ranking?year=2025');
  assert.equal(r.status, 200, r.text);
  const items = r.body.items;
  assert.equal(items.length, 300);
  items.forEach((x, i) => {
    assert.equal(x.rank, i + 1);
    if (i) assert.ok(items[i - 1].score >= x.score);
    const pts = x.parts.reduce((s, p) => s + p.points, 0);
    assert.ok(Math.abs(pts - x.score) < 0.05, `${x.code}: parts ${pts} vs ${x.score}`);
    assert.ok(Math.abs(x.parts.reduce((s, p) => s + p.weight, 0) - 1) < 1e-5);
    assert.deepEqual(x.parts.map((p) => p.indicator), ['tax_per_m2', 'gdp_per_m2', 'occupancy', 'tax_yoy']);
    assert.ok(x.hhi >= x.top_share * x.top_share - 1e-6 && x.hhi <= 1);
  });
  const zoneRanks = items.filter((x) => x.zone === 'hlq').map((x) => x.zone_rank);
  assert.deepEqual(zoneRanks, zoneRanks.map((_, i) => i + 1));
  const peer = items[0].peer;
  const p = await get(`/api/v1/buildings/ranking?year=2025&peer=${encodeURIComponent(peer)}`);
  assert.deepEqual(p.body.items.map((x) => x.peer_rank), p.body.items.map((_, i) => i + 1));
  // the seed's actions follow from tier and grade
  for (const x of items) {
    if (x.tier === 'tier_10e8' || x.tier === 'tier_10e9') assert.equal(x.advice, '提升成熟亿元楼');
    else if (x.tier === 'near_10e8') assert.equal(x.advice, '助推准亿元楼晋级');
  }
  assert.ok(items.some((x) => x.advice === '腾笼换鸟'));
  // the named towers are there by their public names
  const names = items.map((x) => x.name);
  for (const n of ['重庆环球金融中心', '英利国际金融中心', '联合国际', '重庆世界贸易中心', '重庆来福士', '陆海国际中心']) assert.ok(names.includes(n), n);
});

test('jurisdiction: a street center sees its street; another street\'s building is 404', async () => {
  const me = await get('/api/v1/sessions/current', 'center_jfb');
  const street = me.body.user.region;
  const all = (await get('/api/v1/buildings?year=2025')).body.items;
  const mine = (await get('/api/v1/buildings?year=2025', 'center_jfb')).body.items;
  assert.ok(mine.length > 0 && mine.length < all.length);
  assert.ok(mine.every((b) => b.street === street));
  assert.equal(mine.length, all.filter((b) => b.street === street).length);
  const f = (await get('/api/v1/buildings/figures?year=2025', 'center_jfb')).body;
  assert.equal(f.buildings, mine.length);
  const other = all.find((b) => b.street !== street);
  const r = await get(`/api/v1/buildings/${other.code}`, 'center_jfb');
  assert.equal(r.status, 404);
  assert.equal(r.body.code, 'unknown_building');
  assert.equal((await get(`/api/v1/buildings/NO-SUCH`)).status, 404);
  const d = await get(`/api/v1/buildings/${mine[0].code}`, 'center_jfb');
  assert.equal(d.status, 200);
  assert.equal(d.body.enterprises.filter((e) => e.operating).length, d.body.tenants);
  assert.equal(d.body.enterprises.filter((e) => e.registered && !e.operating).length, d.body.registered_not_operating);
  assert.equal(d.body.enterprises.filter((e) => e.operating && !e.registered).length, d.body.operating_not_registered);
  const rows = (await get('/api/v1/buildings/ranking.csv?year=2025', 'center_jfb')).text.trim().split('\r\n');
  assert.equal(rows.length, mine.length + 1);
});

test('import → ranking → export; a file with bad rows is refused whole with every line named', async () => {
  const g = await get('/api/v1/sessions/current', 'grid_jfb');
  const grid = g.body.user.grid;
  const region = (await api(srv.base, `/api/v1/regions/${grid}`)).body;
  const [lon, lat] = region.center;
  // bad: a negative area on line 3, an unknown zone on line 4 → nothing written
  const bad = await csv('buildings', 'code,name,lon,lat,zone,gfa_m2,leasable_m2,grade\n'
    + `E2E-1,测试大厦,${lon},${lat},jfb,20000,16000,甲级\n`
    + `E2E-2,坏面积,${lon},${lat},jfb,-1,100,甲级\n`
    + `E2E-3,坏功能区,${lon},${lat},mars,100,90,甲级\n`);
  assert.equal(bad.status, 400, bad.text);
  assert.equal(bad.body.code, 'invalid_rows');
  assert.deepEqual(bad.body.errors.map((e) => [e.line, e.field]), [[3, 'gfa_m2'], [4, 'zone']]);
  assert.equal((await get('/api/v1/buildings/E2E-1')).status, 404);
  // good: located in its grid by its point
  const ok = await csv('buildings', `\ufeffcode,name,lon,lat,zone,gfa_m2,leasable_m2,grade\nE2E-1,测试大厦,${lon},${lat},jfb,20000,16000,甲级\n`);
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.inserted, 1);
  const b = await get('/api/v1/buildings/E2E-1');
  assert.equal(b.body.grid, grid);
  // enterprises: a wrong check character and a bad industry on lines 3 and 4
  const e1 = await csv('enterprises', 'uscc,name,industry,registered_building\n'
    + '914403001922038216,测试一公司,I65,E2E-1\n914403001922038217,坏代码,I65,E2E-1\n91440300708461136T,坏行业,C44,\n');
  assert.equal(e1.status, 400);
  assert.deepEqual(e1.body.errors.map((e) => [e.line, e.field, e.code]), [[3, 'uscc', 'bad_uscc'], [4, 'industry', 'bad_industry']]);
  assert.equal((await csv('enterprises', 'uscc,name,industry,registered_building,intro_year,intro_building\n'
    + '914403001922038216,测试一公司,I65,E2E-1,,\n91440300708461136T,测试二公司,J66,,2025,E2E-1\n')).status, 200);
  const l = await csv('leases', 'uscc,building,area_m2,start,end\n914403001922038216,E2E-1,6000,2020-01-01,\n'
    + '91440300708461136T,E2E-1,2000,2025-03-01,\n91440300708461136T,E2E-1,500,2025-13-01,\n');
  assert.equal(l.status, 400);
  assert.deepEqual(l.body.errors.map((e) => [e.line, e.field]), [[4, 'start']]);
  assert.equal((await csv('leases', 'uscc,building,area_m2,start,end\n914403001922038216,E2E-1,6000,2020-01-01,\n'
    + '91440300708461136T,E2E-1,2000,2025-03-01,\n')).status, 200);
  const fig = await csv('figures', 'uscc,year,tax,revenue,value_added\n914403001922038216,2025,24000000,90000000,200000000\n'
    + '91440300708461136T,2025,6000000,20000000,40000000\n914403001922038216,2024,20000000,0,0\n');
  assert.equal(fig.status, 200, fig.text);
  assert.equal(fig.body.inserted, 3);
  // the building's figures, computed from what was imported
  const x = (await get('/api/v1/buildings/E2E-1?year=2025')).body;
  assert.equal(x.tax, 30000000);
  assert.equal(x.tax_per_m2, 1500);
  assert.equal(x.gdp_per_m2, 12000);
  assert.equal(x.occupancy, 0.5);
  assert.equal(x.tax_yoy, 0.5);
  assert.equal(x.tier, 'tier_10e7');
  assert.equal(x.tenants, 2);
  assert.equal(x.operating_not_registered, 1);
  assert.equal(x.top_industry, 'I');
  assert.equal(x.top_share, 0.75);
  assert.equal(x.hhi, 0.625);
  // score: 0.35×50 + 0.25×48 + 0.25×0 + 0.15×100
  assert.equal(x.score, 44.5);
  const rank = (await get('/api/v1/buildings/ranking?year=2025')).body.items.find((i) => i.code === 'E2E-1');
  assert.equal(rank.score, 44.5);
  assert.equal((await get('/api/v1/buildings/figures?year=2025')).body.buildings, 301);
  // export: UTF-8 with BOM, the imported building's row
  const ex = await api(srv.base, '/api/v1/buildings/ranking.csv?year=2025', { token: tok.center_yz });
  assert.equal(ex.status, 200);
  assert.match(ex.headers.get('content-type'), /text\/csv/);
  const bytes = new Uint8Array(await (await fetch(srv.base + '/api/v1/buildings/ranking.csv?year=2025', { headers: { Authorization: `Bearer ${tok.center_yz}` } })).arrayBuffer());
  assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
  const row = ex.text.split('\r\n').find((line) => line.includes(',E2E-1,'));
  assert.ok(row, 'exported');
  assert.match(row, /,测试大厦,解放碑中央商务区,甲级·小型,千万元楼,3000\.00,1500\.00,12000\.00,50\.00,50\.00,50\.00,/);
  // every import is in the audit chain
  const au = await get('/api/v1/audit?object_type=building_import', 'admin');
  assert.equal(au.status, 200, au.text);
  assert.equal(au.body.items.length, 4); // buildings, enterprises, leases, figures: the refused ones wrote nothing
});

test('the evaluation is configurable, checked and audited', async () => {
  const before = (await get('/api/v1/buildings/evaluation')).body;
  assert.equal(before.indicators.length, 4);
  assert.deepEqual(before.grades.map((g) => g.grade), ['A', 'B', 'C', 'D']);
  const bad = await api(srv.base, '/api/v1/buildings/evaluation', { method: 'PUT', token: tok.center_yz,
    body: { indicators: [{ code: 'tax_yoy', floor: 0.1, target: 0.1 }] } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.field, 'indicators.tax_yoy.target');
  const bad2 = await api(srv.base, '/api/v1/buildings/evaluation', { method: 'PUT', token: tok.center_yz, body: { near_ratio: 1.5 } });
  assert.equal(bad2.body.field, 'near_ratio');
  const r = await api(srv.base, '/api/v1/buildings/evaluation', { method: 'PUT', token: tok.center_yz,
    body: { indicators: [{ code: 'tax_per_m2', weight: 1 }, { code: 'gdp_per_m2', weight: 0 }, { code: 'occupancy', weight: 0 }, { code: 'tax_yoy', weight: 0 }] } });
  assert.equal(r.status, 200, r.text);
  const items = (await get('/api/v1/buildings/ranking?year=2025')).body.items;
  // only 单位面积税收 counts now: the score is its scale, 100 × value / 3000 kept to 100
  for (const x of items) assert.ok(Math.abs(x.score - Math.min(100, x.tax_per_m2 / 30)) < 0.011, `${x.code} ${x.score} ${x.tax_per_m2}`);
  const au = await get('/api/v1/audit?object_type=building_evaluation', 'admin');
  assert.equal(au.body.items.length, 1);
  await api(srv.base, '/api/v1/buildings/evaluation', { method: 'PUT', token: tok.admin, body: { indicators: before.indicators } });
});

test('the evaluation kept in memory follows a change made outside the server (sqlite3 on the file)', async () => {
  const first = (await get('/api/v1/buildings/ranking?year=2025')).body.items;
  const again = (await get('/api/v1/buildings/ranking?year=2025')).body.items;
  assert.deepEqual(again, first, 'the same answer from memory');
  const last = first[first.length - 1];
  // the last building's tenants all pay 10亿 more: it jumps to the top
  const sql = `UPDATE building_figures SET tax = tax + 1e9 WHERE year = 2025 AND enterprise_id IN
    (SELECT enterprise_id FROM building_leases l JOIN buildings b ON b.id = l.building_id WHERE b.code = '${last.code}');
    UPDATE buildings SET name = name || '（改）' WHERE code = '${last.code}';`;
  const r = spawnSync('sqlite3', ['-cmd', '.timeout 5000', `${srv.dataDir}/zhizhi.db`, sql], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const now = (await get('/api/v1/buildings/ranking?year=2025')).body.items;
  const moved = now.find((i) => i.code === last.code);
  assert.equal(moved.name, `${last.name}（改）`);
  assert.ok(moved.tax > last.tax + 9.9e8, `${moved.tax} vs ${last.tax}`);
  assert.ok(moved.rank < last.rank, `rank ${moved.rank} was ${last.rank}`);
  const f = (await get('/api/v1/buildings/figures?year=2025')).body;
  assert.ok(f.tier_10e9 >= 1);
});

test('zhizhi uscc check', () => {
  let r = run(['uscc', 'check', '91440300708461136T', '--json']);
  assert.equal(r.status, 0);
  assert.equal(JSON.parse(r.stdout).valid, true);
  r = run(['uscc', 'check', '91440300708461136X', '--json']);
  assert.equal(r.status, 1);
  const j = JSON.parse(r.stdout);
  assert.deepEqual([j.valid, j.reason, j.expected, j.found], [false, 'check', 'T', 'X']);
  r = run(['uscc', 'check', '9144030070846113', '--json']);
  assert.deepEqual([r.status, JSON.parse(r.stdout).reason, JSON.parse(r.stdout).length], [1, 'length', 16]);
  r = run(['uscc', 'check', '9144030070846I136T', '--json']);
  assert.deepEqual([r.status, JSON.parse(r.stdout).reason, JSON.parse(r.stdout).position], [1, 'charset', 14]);
  r = run(['uscc', 'check', '91440300708461136X']);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /expected T, found X/);
  assert.equal(run(['uscc', 'check']).status, 2);
});
