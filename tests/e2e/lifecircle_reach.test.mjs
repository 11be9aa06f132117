// Count within T (issue 19): how many residents — and which buildings — reach how many
// facilities of a service type within T minutes, on the synthetic Yuzhong demo. The figures are
// checked against the coverage (another algorithm: one multi-source search per requirement)
// and, for two residential buildings imported as demand, against the route API facility by
// facility; the per-building CSV (UTF-8 with BOM) and bad input naming the field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api } from './lib.mjs';

let srv;
let token;
const get = (path) => api(srv.base, path, { token });

before(async () => {
  srv = await startServer(['--pwhash-cost', 'min']);
  const r = await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username: 'center_yz', password: 'zhizhi-demo' } });
  token = r.body.token;
});
after(async () => { await srv?.stop(); });

const sum = (xs, f) => xs.reduce((s, x) => s + f(x), 0);

test('residents within T of a facility agree with the coverage; bins, areas and T add up', async () => {
  const cov = (await get('/api/v1/lifecircle/coverage?group=street')).body;
  const r5 = await get('/api/v1/lifecircle/reach?category=elderly&level=5&minutes=5&group=street');
  assert.equal(r5.status, 200, r5.text);
  const t = r5.body.total;
  const cell = cov.total.cells.find((c) => c.category === 'elderly' && c.level === 5);
  assert.equal(t.reached, cell.covered); // one facility within 5 minutes = covered at that level
  assert.equal(t.population, cov.total.population);
  assert.equal(t.points, cov.demand_points);
  assert.equal(sum(t.by_count, (b) => b.population), t.population);
  assert.equal(t.by_count[0].population, t.population - t.reached);
  assert.equal(t.by_count.at(-1).or_more, true);
  assert.equal(r5.body.areas.length, cov.areas.length);
  for (const k of ['population', 'reached', 'points', 'points_reached'])
    assert.equal(sum(r5.body.areas, (a) => a[k]), t[k], k);
  for (const a of r5.body.areas) {
    const c = cov.areas.find((x) => x.region === a.region);
    assert.equal(a.reached, c.cells.find((x) => x.category === 'elderly' && x.level === 5).covered, a.name);
  }
  // more minutes reach more; any level counts more facilities than one level
  const r15 = (await get('/api/v1/lifecircle/reach?category=elderly&level=5&minutes=15')).body;
  assert.ok(r15.total.reached >= t.reached && r15.total.mean_facilities > t.mean_facilities);
  const any = (await get('/api/v1/lifecircle/reach?category=养老服务&minutes=15')).body;
  assert.equal(any.category, 'elderly');
  assert.equal(any.level, 0);
  assert.ok(any.facilities > r15.facilities);
  assert.ok(any.total.reached >= r15.total.reached && any.total.mean_facilities > r15.total.mean_facilities);
  const f = (await get('/api/v1/lifecircle/facilities?category=elderly')).body.items;
  assert.equal(any.facilities, f.length);
  assert.equal(r15.facilities, f.filter((x) => x.level === 5).length);
});

test('two residential buildings: the count of each matches the route API, in the per-building CSV', async () => {
  const fac = (await get('/api/v1/lifecircle/facilities?category=elderly')).body.items.filter((x) => x.level === 5);
  const a = fac[0];
  // one building beside a day-care centre, one 600 m north of it
  const csv = `name,population,lon,lat\n示例甲楼,320,${a.lon},${a.lat}\n示例乙楼,180,${a.lon},${(a.lat + 0.0054).toFixed(6)}\n`;
  const imp = await api(srv.base, '/api/v1/lifecircle/demand.csv', { method: 'POST', token, body: csv, raw: true, headers: { 'Content-Type': 'text/csv' } });
  assert.equal(imp.status, 201, imp.text);
  const minutes = 10;
  const res = await fetch(`${srv.base}/api/v1/lifecircle/reach.csv?category=elderly&level=5&minutes=${minutes}`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /text\/csv/);
  const bytes = new Uint8Array(await res.arrayBuffer());
  assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
  const lines = new TextDecoder().decode(bytes.slice(3)).trim().split('\r\n');
  assert.match(lines[0], /10分钟内可达养老服务\(5分钟级\)设施数/);
  const json = (await get(`/api/v1/lifecircle/reach?category=elderly&level=5&minutes=${minutes}`)).body;
  assert.equal(lines.length - 1, json.total.points);
  for (const [name, lon, lat] of [['示例甲楼', a.lon, a.lat], ['示例乙楼', a.lon, a.lat + 0.0054]]) {
    const row = lines.find((l) => l.startsWith(name + ','));
    assert.ok(row, name);
    let expect = 0;
    for (const x of fac) {
      const r = await get(`/api/v1/lifecircle/route?from_lon=${lon}&from_lat=${lat}&to_lon=${x.lon}&to_lat=${x.lat}`);
      if (r.status === 200 && r.body.minutes <= minutes) expect++;
    }
    assert.equal(Number(row.split(',').at(-1)), expect, `${name}: ${row}`);
    if (name === '示例甲楼') assert.ok(expect >= 1);
  }
  // the buildings are in the figures: the CSV's residents add up to the total
  assert.equal(sum(lines.slice(1), (l) => Number(l.split(',').at(-2))), json.total.population);
});

test('bad input names the field; a region outside the caller is 404', async () => {
  for (const [q, field] of [['minutes=10', 'category'], ['category=parking', 'category'], ['category=elderly&level=7', 'level'],
    ['category=elderly&level=5.5', 'level'], ['category=elderly&minutes=0', 'minutes'], ['category=elderly&minutes=61', 'minutes'],
    ['category=elderly&minutes=abc', 'minutes'], ['category=elderly&group=city', 'group'], ['category=elderly&profile=bike', 'profile']]) {
    const r = await get(`/api/v1/lifecircle/reach?${q}`);
    assert.equal(r.status, 400, `${q}: ${r.text}`);
    assert.match(r.headers.get('content-type'), /problem\+json/);
    assert.equal(r.body.field, field, q);
  }
  const jfb = (await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username: 'center_jfb', password: 'zhizhi-demo' } })).body.token;
  const own = await api(srv.base, '/api/v1/lifecircle/reach?category=health&group=street', { token: jfb });
  assert.equal(own.status, 200, own.text);
  assert.deepEqual(own.body.areas.map((a) => a.region), ['500103003']);
  const other = await api(srv.base, '/api/v1/lifecircle/reach?category=health&region=500103001', { token: jfb });
  assert.equal(other.status, 404);
  assert.equal(other.body.field, 'region');
});
