// GPX tracks (issue 21) against the real binary: a patrol walked with another app or a GPS
// logger is posted as the text of its GPX file — every trkseg one line, the points' times the
// patrol's start and end — and counts like any other; a bad file is refused naming the field
// and the line, a DOCTYPE is refused, nothing is written; `zhizhi patrol coverage` reads GPX too.
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
  tok.center = await login('center_yz');
  const seg = await api(srv.base, '/api/v1/patrol/segments/CJ-YZ', { token: tok.center });
  ctx.line = seg.body.segment.geometry.coordinates;
  ctx.grid = seg.body.grids[Math.floor(seg.body.grids.length / 2)];
  const u = await api(srv.base, '/api/v1/users', {
    method: 'POST', token: tok.admin,
    body: { username: 'vol_gpx', display_name: '护河志愿者', role: 'volunteer', grid: ctx.grid, password: 'river-volunteer-5' },
  });
  assert.equal(u.status, 201, u.text);
  tok.vol = await login('vol_gpx', 'river-volunteer-5');
});
after(async () => { await srv?.stop(); });

// A GPX 1.1 document with one trkseg per part of coords, the points a minute apart from t0.
export function gpxOf(parts, t0, { times = true } = {}) {
  let t = t0;
  const seg = (pts) => `  <trkseg>\n${pts.map(([lon, lat]) => {
    const time = times ? `<time>${new Date((t += 60e3)).toISOString()}</time>` : '';
    return `   <trkpt lat="${lat}" lon="${lon}"><ele>180</ele>${time}</trkpt>`;
  }).join('\n')}\n  </trkseg>`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="zhizhi test" xmlns="http://www.topografix.com/GPX/1/1">\n <trk><name>巡河</name>\n${parts.map(seg).join('\n')}\n </trk>\n</gpx>\n`;
}

test('a GPX file with two track segments records a counting patrol timed by its points', async () => {
  const before_ = (await api(srv.base, '/api/v1/patrol/segments/CJ-YZ', { token: tok.center })).body;
  const half = Math.floor(ctx.line.length / 2);
  const t0 = Date.now() - 5 * 3600e3;
  const gpx = gpxOf([ctx.line.slice(0, half + 1), ctx.line.slice(half)], t0);
  const r = await api(srv.base, '/api/v1/patrol/patrols', { method: 'POST', token: tok.vol, body: { segment: 'CJ-YZ', gpx } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.points, ctx.line.length + 1);
  assert.ok(r.body.coverage > 0.99, `coverage ${r.body.coverage}`);
  assert.equal(r.body.counts, true);
  assert.equal(Date.parse(r.body.started_at), Math.floor((t0 + 60e3) / 1000) * 1000);
  assert.equal(Date.parse(r.body.ended_at), Math.floor((t0 + 60e3 * (ctx.line.length + 1)) / 1000) * 1000);
  const after_ = (await api(srv.base, '/api/v1/patrol/segments/CJ-YZ', { token: tok.center })).body;
  assert.equal(after_.counting_patrols, before_.counting_patrols + 1);
  // times given in the request win over the file's
  const now = Date.now();
  const r2 = await api(srv.base, '/api/v1/patrol/patrols', {
    method: 'POST', token: tok.vol,
    body: { segment: 'CJ-YZ', gpx: gpxOf([ctx.line], t0, { times: false }), started_at: new Date(now - 3600e3).toISOString(), ended_at: new Date(now - 60e3).toISOString() },
  });
  assert.equal(r2.status, 201, r2.text);
});

test('a bad GPX file is refused naming the field and the line; nothing is written', async () => {
  const count = async () => (await api(srv.base, '/api/v1/patrol/segments/CJ-YZ', { token: tok.center })).body.patrols;
  const c0 = await count();
  const bad = async (gpx, field, re) => {
    const r = await api(srv.base, '/api/v1/patrol/patrols', { method: 'POST', token: tok.vol, body: { segment: 'CJ-YZ', gpx } });
    assert.equal(r.status, 400, r.text);
    assert.match(r.headers.get('content-type'), /problem\+json/);
    assert.equal(r.body.field, field, r.text);
    if (re) assert.match(r.body.detail, re, r.text);
    return r.body;
  };
  const good = gpxOf([ctx.line], Date.now() - 3 * 3600e3);
  // lines 6 and 9 of the document hold the second and fifth points: their lat made impossible;
  // the file is refused whole, naming both
  const lines = good.split('\n');
  lines[5] = lines[5].replace(/lat="[^"]+"/, 'lat="95.1"');
  lines[8] = lines[8].replace(/lat="[^"]+"/, 'lat="north"');
  const e = await bad(lines.join('\n'), 'gpx', /第 6、9 行/);
  assert.equal(e.code, 'invalid_point');
  await bad('this is not a gpx file', 'gpx');
  await bad(good.replace('</gpx>', ''), 'gpx', /XML/);
  await bad('<?xml version="1.0"?>\n<!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa">]>\n<gpx><trk><trkseg><trkpt lat="29.5" lon="106.5"/></trkseg></trk></gpx>', 'gpx');
  await bad('<gpx version="1.1"><trk><name>空</name></trk></gpx>', 'gpx');
  await bad(good.replace(/<time>[^<]*<\/time>/, '<time>yesterday</time>'), 'gpx', /时间/);
  // no times in the file and none in the request
  await bad(gpxOf([ctx.line], 0, { times: false }), 'started_at');
  const r = await api(srv.base, '/api/v1/patrol/patrols', { method: 'POST', token: tok.vol, body: { segment: 'CJ-YZ', gpx: 42 } });
  assert.equal(r.body.field, 'gpx');
  assert.equal(await count(), c0);
});

test('zhizhi patrol coverage reads a GPX track', () => {
  const dir = tmpDir();
  try {
    const seg = join(dir, 'seg.geojson');
    const trk = join(dir, 'trk.gpx');
    writeFileSync(seg, JSON.stringify({ type: 'LineString', coordinates: [[106.50, 29.55], [106.51, 29.55]] }));
    // the first half of the bank, 20 m inland, as a logger would write it
    writeFileSync(trk, '\ufeff' + gpxOf([[[106.50, 29.55018], [106.505, 29.55018]]], Date.now()));
    const r = run(['patrol', 'coverage', '--buffer', '50', seg, trk, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.ok(Math.abs(out.coverage - (484.6 + 45.8) / 969.2) < 0.002, r.stdout);
    writeFileSync(trk, '<gpx><trk><trkseg><trkpt lat="x" lon="106.5"/></trkseg></trk></gpx>');
    const p = run(['patrol', 'coverage', '--buffer', '50', seg, trk]);
    assert.equal(p.status, 2);
    assert.match(p.stderr, /第 1 行/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
