// Monitoring end to end against the real binary: a day of air readings read back as hourly and
// daily AQI (equal to the `zhizhi aqi` calculator) and as a compliance report; a sewer level
// crossing its threshold opens exactly one sensor event in the station's grid, dispatched to
// its department, and clears with a note when the level falls; bad rows reported by line while
// good rows are kept; noise hours averaged by energy (GB 3096) with Lmax the maximum; JSON numbers
// kept as exact decimals; re-sending a batch changes nothing; the demo stations and rules.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, api, run, tmpDir } from './lib.mjs';

let srv;
const tok = {};

before(async () => {
  srv = await startServer(['--pwhash-cost', 'min']);
  for (const u of ['center_yz', 'dept_urban', 'dept_eco', 'grid_jfb']) {
    const r = await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username: u, password: 'zhizhi-demo' } });
    assert.equal(r.status, 201, `login ${u}: ${r.text}`);
    tok[u] = r.body.token;
  }
});
after(async () => { await srv?.stop(); });

const get = (path, user = 'center_yz') => api(srv.base, path, { token: tok[user] });
const post = (path, body, user = 'center_yz', headers = {}) =>
  api(srv.base, path, { method: 'POST', body, token: tok[user], headers });

async function station(body) {
  const r = await post('/api/v1/stations', body);
  assert.equal(r.status, 201, r.text);
  return r.body;
}

// A clock time n seconds before now, as RFC 3339 (readings may not lie in the future).
const ago = (n) => new Date(Date.now() - n * 1000).toISOString();

const DAY = '2026-06-15'; // a past day under the 2026 editions
const AIR = { SO2: '9', NO2: '42', PM10: '85', CO: '0.9', O3: null, PM2_5: '52' };
const o3 = (h) => String(40 + 10 * Math.max(0, 8 - Math.abs(h - 15))); // peaks at 120 at 15:00

function dayOfReadings(code) {
  const readings = [];
  for (let h = 1; h <= 24; h++) {
    const end = h === 24 ? '2026-06-16T00:00:00+08:00' : `${DAY}T${String(h).padStart(2, '0')}:00:00+08:00`;
    for (const [p, v] of Object.entries(AIR))
      readings.push({ station: code, parameter: p, time: end, value: v ?? o3(h - 1) });
  }
  return readings;
}

test('a day of air readings gives the hourly and daily AQI of HJ 633-2026 and a compliance report', async () => {
  await station({ code: 'AQ-E2E', name: '测试空气站', kind: 'air', lon: 106.5770, lat: 29.5575 });
  const readings = dayOfReadings('AQ-E2E');
  const r = await post('/api/v1/readings', { readings }, 'dept_eco');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.body.accepted, r.body.duplicates, r.body.rejected.length], [144, 0, 0]);

  // daily: the same figure as the calculator given the day's means and O3 maxima
  const d = await get(`/api/v1/monitor/aqi/daily?date=${DAY}`);
  assert.equal(d.status, 200, d.text);
  const mine = d.body.stations.find((s) => s.station === 'AQ-E2E');
  // O3 8-h: the best 8 hours (hours 11..18 ending) average of the triangle above
  const o3s = Array.from({ length: 24 }, (_, i) => Number(o3(i)));
  let mda8 = 0;
  for (let end = 7; end < 24; end++) mda8 = Math.max(mda8, o3s.slice(end - 7, end + 1).reduce((a, b) => a + b) / 8);
  const calc = run(['aqi', '--edition', '2026', '--daily', 'SO2_24H=9', 'NO2_24H=42', 'PM10_24H=85',
    'CO_24H=0.9', `O3_8H=${Math.round(mda8)}`, 'PM2_5_24H=52']);
  assert.equal(calc.status, 0, calc.stderr);
  const want = JSON.parse(calc.stdout);
  assert.equal(mine.edition, 2026);
  assert.equal(mine.aqi, want.aqi);
  assert.equal(mine.category, want.category);
  assert.deepEqual(mine.primary, want.primary);
  assert.deepEqual(mine.primary, ['PM2.5']);
  assert.equal(mine.concentrations.PM2_5_24H, 52);
  assert.equal(mine.concentrations.O3_8H, Math.round(mda8));

  // hourly at 15:00: the 1-h values on HJ 633-2026 4.2.3
  const h = await get(`/api/v1/monitor/aqi/hourly?time=${DAY}T15:00:00%2B08:00`);
  assert.equal(h.status, 200, h.text);
  const hs = h.body.stations.find((s) => s.station === 'AQ-E2E');
  const hc = JSON.parse(run(['aqi', '--edition', '2026', '--hourly', 'SO2_1H=9', 'NO2_1H=42',
    'PM10_1H=85', 'CO_1H=0.9', `O3_1H=${o3(14)}`, 'PM2_5_1H=52']).stdout);
  assert.equal(hs.aqi, hc.aqi);
  assert.equal(hs.hour_end, `${DAY}T15:00:00+08:00`);
  // before 2026-03-01 the hourly figure is labelled with the 2012 edition
  const old = await get('/api/v1/monitor/aqi/hourly?time=2026-02-20T15:00:00%2B08:00');
  assert.equal(old.body.district.edition, 2012);

  // compliance of that one day for the station: one valid, good day; too short for an annual verdict
  const c = await get(`/api/v1/monitor/compliance?station=AQ-E2E&from=${DAY}&to=${DAY}`);
  assert.equal(c.status, 200, c.text);
  assert.equal(c.body.days, 1);
  assert.equal(c.body.valid_days, 1);
  assert.equal(c.body.good_days, want.aqi <= 100 ? 1 : 0);
  assert.equal(c.body.good_share_percent, want.aqi <= 100 ? 100 : 0);
  assert.equal(c.body.days_2026, 1);
  assert.equal(c.body.six_comply, false);
  const pm = c.body.parameters.find((p) => p.pollutant === 'PM2.5');
  assert.equal(pm.valid, false);
  assert.equal(pm.exceed_days, 0); // 52 is under the 24-h limit

  // hourly series and its CSV export (UTF-8 BOM)
  const s = await get(`/api/v1/monitor/series?station=AQ-E2E&parameter=PM2_5&from=${DAY}T00:00:00%2B08:00&to=2026-06-16T00:00:01%2B08:00`);
  assert.equal(s.status, 200, s.text);
  assert.equal(s.body.items.length, 24);
  assert.equal(s.body.items[0].mean, 52);
  const csv = await fetch(`${srv.base}/api/v1/monitor/series.csv?station=AQ-E2E&parameter=PM2_5&interval=day&from=${DAY}T00:00:00%2B08:00&to=2026-06-16T12:00:00%2B08:00`,
    { headers: { Authorization: `Bearer ${tok.center_yz}` } });
  const bytes = new Uint8Array(await csv.arrayBuffer());
  assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.match(new TextDecoder().decode(bytes), /AQ-E2E,PM2_5,2026-06-15,24,52\.000/);
});

test('a sewer level over its threshold opens exactly one event in the right grid and department, and clears', async () => {
  const st = await station({ code: 'SW-E2E', name: '测试污水液位计', kind: 'sewer', lon: 106.5740, lat: 29.5500, department: 'urban' });
  const loc = await api(srv.base, '/api/v1/locate?lon=106.5740&lat=29.5500');
  assert.equal(st.grid, loc.body.grid.code);

  const level = (n, v) => ({ station: 'SW-E2E', parameter: 'level', time: ago(n), value: v });
  // the default rule: >= 2 m twice in a row (orange), normal again below 1.5 m twice
  let r = await post('/api/v1/readings', { readings: [level(100, 1.2), level(90, 2.3)] }, 'dept_urban');
  assert.equal(r.body.alerts_opened, 0);
  r = await post('/api/v1/readings', { readings: [level(80, 2.4), level(70, 2.6), level(60, 2.8)] }, 'dept_urban');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.alerts_opened, 1);

  let alerts = (await get('/api/v1/monitor/alerts?station=SW-E2E')).body.items;
  assert.equal(alerts.length, 1);
  const a = alerts[0];
  assert.equal(a.state, 'open');
  assert.equal(a.level, 'orange');
  assert.equal(a.grid, st.grid);
  assert.ok(a.event, 'the alert opened an event');

  const e = await get(`/api/v1/events/${a.event}`);
  assert.equal(e.status, 200, e.text);
  assert.equal(e.body.channel, 'sensor');
  assert.equal(e.body.category, '9103'); // 生活污水溢流
  assert.equal(e.body.grid, st.grid);
  assert.equal(e.body.department, 'urban');
  assert.equal(e.body.state, 'dispatched');

  // still high, and a level in the hysteresis band (1.5 .. 2): no second alert, no second event
  r = await post('/api/v1/readings', { readings: [level(50, 3.0), level(40, 1.7)] }, 'dept_urban');
  assert.equal(r.body.alerts_opened, 0);
  assert.equal(r.body.alerts_cleared, 0);
  const events = await get('/api/v1/events?category=9103&channel=sensor&limit=1000');
  assert.equal(events.status, 200, events.text);
  assert.equal(events.body.items.filter((x) => x.link?.id === 'SW-E2E').length, 1);

  // normal twice: cleared, with a note on the event
  r = await post('/api/v1/readings', { readings: [level(30, 1.1), level(20, 1.0)] }, 'dept_urban');
  assert.equal(r.body.alerts_cleared, 1);
  alerts = (await get('/api/v1/monitor/alerts?station=SW-E2E')).body.items;
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0].state, 'cleared');
  assert.equal(alerts[0].clear_value, '1');
  const hist = await get(`/api/v1/events/${a.event}/history`);
  const items = hist.body.items ?? hist.body;
  assert.ok(items.some((x) => x.action === 'note' && /报警已解除/.test(x.comment)), JSON.stringify(items));
  assert.equal((await get('/api/v1/monitor/alerts?state=open&station=SW-E2E')).body.items.length, 0);

  // high again while its event is still open: a new alert, but the same event (issue 10)
  r = await post('/api/v1/readings', { readings: [level(15, 2.5), level(10, 2.7)] }, 'dept_urban');
  assert.equal(r.body.alerts_opened, 1);
  const again = (await get('/api/v1/monitor/alerts?state=open&station=SW-E2E')).body.items;
  assert.equal(again.length, 1);
  assert.equal(again[0].event, a.event);
  const all = await get('/api/v1/events?category=9103&channel=sensor&limit=1000');
  assert.equal(all.body.items.filter((x) => x.link?.id === 'SW-E2E').length, 1);
  const h2 = await get(`/api/v1/events/${a.event}/history`);
  assert.ok((h2.body.items ?? h2.body).some((x) => x.action === 'note' && /再次预警/.test(x.comment)));
});

test('bad rows are reported by line with a reason and the good rows are kept', async () => {
  await station({ code: 'SW-BAD', name: '校验测试液位计', kind: 'sewer', lon: 106.5650, lat: 29.5600 });
  const csv = [
    'station,parameter,time,value,flag',
    `SW-BAD,level,${ago(300)},1.25`,
    `SW-NONE,level,${ago(300)},1.25`,
    `SW-BAD,PM2_5,${ago(300)},35`,
    `SW-BAD,level,${ago(290)},abc`,
    `SW-BAD,level,${ago(280)},1e999`,
    `SW-BAD,level,${ago(270)},-3`,
    `SW-BAD,level,2099-01-01T00:00:00Z,1`,
    `SW-BAD,level,yesterday,1`,
    `SW-BAD,level,${ago(260)},1.30,N`,
    'SW-BAD,level',
  ].join('\n');
  const r = await post('/api/v1/readings', csv, 'dept_urban', { 'Content-Type': 'text/csv' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.accepted, 2);
  const byLine = Object.fromEntries(r.body.rejected.map((x) => [x.line, [x.field, x.code]]));
  assert.deepEqual(byLine, {
    3: ['station', 'unknown_station'],
    4: ['parameter', 'unknown_parameter'],
    5: ['value', 'invalid_number'],
    6: ['value', 'invalid_number'],
    7: ['value', 'out_of_range'],
    8: ['time', 'future_time'],
    9: ['time', 'invalid_time'],
    11: ['line', 'field_count'],
  });
  assert.ok(r.body.rejected.every((x) => x.reason.length > 0));
  const s = await get(`/api/v1/monitor/series?station=SW-BAD&parameter=level&from=${ago(3600)}&to=${ago(-7200)}`);
  assert.equal(s.body.items.reduce((n, p) => n + p.n, 0), 2);

  // JSON items are numbered from 1; a malformed body is refused as a whole
  const j = await post('/api/v1/readings', { readings: [{ station: 'SW-BAD', parameter: 'level', time: ago(250), value: '1.1' }, { station: 'SW-BAD' }] }, 'dept_urban');
  assert.equal(j.status, 200);
  assert.equal(j.body.accepted, 1);
  assert.deepEqual(j.body.rejected.map((x) => [x.line, x.field]), [[2, 'parameter']]);
  const bad = await post('/api/v1/readings', '{"readings": [', 'dept_urban', { 'Content-Type': 'application/json' });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.code, 'malformed_json');
  // escapes, exponents and extra members are read like any JSON; invalid JSON numbers are refused
  const raw = (t, v) => `{"readings":[{"station":"SW-\\u0042AD","parameter":"level","time":"${t}","value":${v},"unit":"m"}]}`;
  const esc = await post('/api/v1/readings', raw(ago(240), '1.2e0'), 'dept_urban', { 'Content-Type': 'application/json' });
  assert.equal(esc.status, 200, esc.text);
  assert.equal(esc.body.accepted, 1);
  const lead = await post('/api/v1/readings', `{"readings":[{"station":"SW-BAD","parameter":"level","time":"${ago(230)}","value":01}]}`, 'dept_urban', { 'Content-Type': 'application/json' });
  assert.equal(lead.status, 400);
  assert.equal(lead.body.code, 'malformed_json');
});

test('noise: several readings in an hour are averaged by energy, Lmax is the maximum', async () => {
  await station({ code: 'NS-E2E', name: '测试噪声站', kind: 'noise', lon: 106.5770, lat: 29.5575, zone: '2' });
  const at = (hm) => `${DAY}T${hm}:00+08:00`;
  const readings = [
    { station: 'NS-E2E', parameter: 'LAeq', time: at('14:10'), value: 60 },
    { station: 'NS-E2E', parameter: 'LAeq', time: at('14:40'), value: 70 },
    { station: 'NS-E2E', parameter: 'LAeq', time: at('23:30'), value: 48 },
    { station: 'NS-E2E', parameter: 'Lmax', time: at('23:10'), value: 62 },
    { station: 'NS-E2E', parameter: 'Lmax', time: at('23:50'), value: 71.5 },
  ];
  const r = await post('/api/v1/readings', { readings }, 'dept_eco');
  assert.deepEqual([r.status, r.body.accepted], [200, 5], r.text);
  const n = (await get(`/api/v1/monitor/noise?date=${DAY}`)).body.items.find((x) => x.station === 'NS-E2E');
  // 10·lg((10^6 + 10^7) / 2) = 67.4 dB(A), not the arithmetic 65; zone 2 allows 60 by day
  assert.deepEqual([n.day_hours, n.ld, n.day_ok, n.day_excess], [1, 67.4, false, 7.4]);
  assert.deepEqual([n.night_hours, n.ln, n.night_ok], [1, 48, true]);
  // the night maximum is the highest Lmax reading, over 50 + 15
  assert.deepEqual([n.night_lmax, n.night_lmax_ok], [71.5, false]);
  const s = (await get(`/api/v1/monitor/series?station=NS-E2E&parameter=LAeq&from=${encodeURIComponent(at('00:00'))}&to=${encodeURIComponent('2026-06-16T01:00:00+08:00')}`)).body;
  assert.equal(s.average, 'energy');
  assert.deepEqual(s.items.map((x) => [x.n, x.mean]), [[2, 67.404], [1, 48]]);
});

test('JSON numbers keep their decimal value; strings are taken verbatim', async () => {
  await station({ code: 'SW-NUM', name: '数值测试液位计', kind: 'sewer', lon: 106.5650, lat: 29.5600 });
  const raw = (v, n) => `{"station":"SW-NUM","parameter":"level","time":"${ago(600 - n * 10)}","value":${v}}`;
  const body = `{"readings":[${['0.1', '"1.234567"', '1.2345678', '1e-7', '2.5e0', '0.3', 'true'].map(raw).join(',')}]}`;
  const r = await post('/api/v1/readings', body, 'dept_urban', { 'Content-Type': 'application/json' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.accepted, 4);
  assert.deepEqual(r.body.rejected.map((x) => [x.line, x.code]), [[3, 'invalid_number'], [4, 'invalid_number'], [7, 'invalid_number']]);
  const csv = await api(srv.base, `/api/v1/monitor/series.csv?station=SW-NUM&parameter=level&from=${ago(3600)}&to=${ago(-7200)}`, { token: tok.center_yz });
  const rows = csv.text.trim().split('\r\n').slice(1).map((l) => l.split(','));
  assert.equal(rows.reduce((k, x) => k + Number(x[3]), 0), 4);
  assert.deepEqual([Math.min(...rows.map((x) => x[5])), Math.max(...rows.map((x) => x[6]))].map(String), ['0.1', '2.5']);
  assert.ok(rows.every((x) => x[7] === '算术平均'));
});

test('re-sending a batch changes nothing', async () => {
  await station({ code: 'DU-E2E', name: '测试扬尘监测', kind: 'dust', lon: 106.5080, lat: 29.5450 });
  const readings = [0, 1, 2, 3, 4, 5].map((i) => ({ station: 'DU-E2E', parameter: 'PM10', time: ago(600 - i * 60), value: 80 + i }));
  const first = await post('/api/v1/readings', { readings });
  assert.deepEqual([first.body.accepted, first.body.duplicates], [6, 0]);
  const q = `/api/v1/monitor/series?station=DU-E2E&parameter=PM10&from=${ago(7200)}&to=${ago(-7200)}`;
  const before = (await get(q)).body.items;
  const again = await post('/api/v1/readings', { readings });
  assert.deepEqual([again.body.accepted, again.body.duplicates], [0, 6]);
  assert.deepEqual((await get(q)).body.items, before);
  assert.equal(before.reduce((n, p) => n + p.n, 0), 6);
});

test('the demo has air, noise and water stations, the two rivers at target Ⅱ and the rules', async () => {
  const s = (await get('/api/v1/stations')).body.items;
  const kinds = new Set(s.map((x) => x.kind));
  for (const k of ['air', 'noise', 'water', 'sewer']) assert.ok(kinds.has(k), k);
  const rivers = s.filter((x) => x.kind === 'water').map((x) => [x.name, x.target_class_name]);
  assert.deepEqual(rivers.sort(), [['嘉陵江渝中段', 'Ⅱ'], ['长江渝中段', 'Ⅱ']]);
  assert.ok(s.every((x) => x.grid.startsWith('500103')));
  const w = (await get('/api/v1/monitor/water')).body.items;
  assert.equal(w.length, 2);
  assert.ok(w.every((x) => x.class >= 1 && typeof x.meets_target === 'boolean'));
  const n = (await get('/api/v1/monitor/noise')).body.items;
  const demo = n.filter((x) => x.station !== 'NS-E2E'); // the station of the noise test has no data yesterday
  assert.ok(demo.length >= 3 && demo.every((x) => x.ld !== null && x.ln !== null));
  const cur = (await get('/api/v1/monitor/aqi/current')).body;
  assert.equal(cur.has_data, true);
  assert.ok(cur.district.aqi > 0);
  const year = (await get('/api/v1/monitor/compliance')).body;
  assert.ok(year.valid_days > 300, JSON.stringify(year));
  // the last month compares with the same dates a year before (同比)
  const to = new Date(Date.now() + 8 * 3600e3 - 86400e3).toISOString().slice(0, 10);
  const from = new Date(Date.now() + 8 * 3600e3 - 30 * 86400e3).toISOString().slice(0, 10);
  const month = (await get(`/api/v1/monitor/compliance?from=${from}&to=${to}`)).body;
  assert.ok(month.pm25_yoy, JSON.stringify(month));
  assert.ok(month.pm25_yoy.improvement_percent + month.pm25_yoy.change_percent === 0);

  const rules = (await get('/api/v1/alert-rules')).body.items;
  assert.ok(rules.some((x) => x.station_kind === 'sewer' && x.type === 'stale'));
});

test('alert rules are editable by the center only; figures need a session', async () => {
  const r = await post('/api/v1/alert-rules', { name: '测试扬尘红色', station_kind: 'dust', parameter: 'PM10', type: 'threshold', level: '红', threshold: 500, clear_at: 300, consecutive: 2, category: '9101' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.level, 'red');
  const p = await api(srv.base, `/api/v1/alert-rules/${r.body.id}`, { method: 'PATCH', token: tok.center_yz, body: { enabled: false, consecutive: 3 } });
  assert.equal(p.status, 200, p.text);
  assert.deepEqual([p.body.enabled, p.body.consecutive, p.body.threshold], [false, 3, 500]);
  const bad = await post('/api/v1/alert-rules', { name: 'x', station_kind: 'dust', parameter: 'PM10', type: 'threshold', level: 'red', threshold: 100, clear_at: 200, category: '9101' });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.field, 'clear_at');
  const cat = await post('/api/v1/alert-rules', { name: 'x', station_kind: 'dust', parameter: 'PM10', type: 'threshold', level: 'red', threshold: 100, category: '9999' });
  assert.equal(cat.status, 400);
  assert.equal(cat.body.code, 'unknown_category');
  assert.equal((await post('/api/v1/alert-rules', { name: 'x' }, 'dept_urban')).status, 403);
  assert.equal((await post('/api/v1/readings', { readings: [] }, 'grid_jfb')).status, 403);
  assert.equal((await api(srv.base, '/api/v1/monitor/aqi/hourly')).status, 401);
  const outside = await post('/api/v1/stations', { code: 'X-1', name: '域外', kind: 'air', lon: 116.4, lat: 39.9 });
  assert.equal(outside.status, 400);
  assert.equal(outside.body.code, 'outside_district');
});

test('zhizhi import readings keeps the good rows of a CSV file and names the bad lines', async () => {
  await station({ code: 'SW-CLI', name: '命令行导入液位计', kind: 'sewer', lon: 106.5600, lat: 29.5560 });
  const dir = tmpDir('zhizhi-mon-');
  const file = join(dir, 'readings.csv');
  writeFileSync(file, `station,parameter,time,value\nSW-CLI,level,${ago(200)},0.95\nSW-CLI,level,${ago(100)},NaN\nSW-CLI,level,${ago(50)},0.97\n`);
  const r = run(['import', 'readings', file, '--data-dir', srv.dataDir]);
  assert.equal(r.status, 1, r.stderr); // some rows were refused
  const out = JSON.parse(r.stdout);
  assert.equal(out.accepted, 2);
  assert.deepEqual(out.rejected.map((x) => [x.line, x.code]), [[3, 'invalid_number']]);
  assert.match(r.stderr, /line 3/);
  assert.doesNotMatch(r.stderr, /\r/); // no progress bar when stderr is not a terminal
  const again = run(['import', 'readings', file, '--data-dir', srv.dataDir]);
  assert.equal(JSON.parse(again.stdout).duplicates, 2);
  const s = await get(`/api/v1/monitor/series?station=SW-CLI&parameter=level&from=${ago(3600)}&to=${ago(-7200)}`);
  assert.equal(s.body.items.reduce((n, p) => n + p.n, 0), 2);
  assert.equal(run(['import', 'readings', '--data-dir', srv.dataDir]).status, 2);
  rmSync(dir, { recursive: true, force: true });
});
