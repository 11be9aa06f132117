// GET /api/v1/modules: the web shell's list of what each module adds (script, command-center
// layers and panels, phone pages), with the views the caller may not see left out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, api, tmpDir } from './lib.mjs';

const ADMIN_PW = 'modules-e2e-password';
let srv;

before(async () => {
  const f = join(tmpDir('zhizhi-pw-'), 'admin.pw');
  writeFileSync(f, ADMIN_PW + '\n');
  srv = await startServer(['--pwhash-cost', 'min', '--admin-password-file', f]);
});
after(async () => { await srv?.stop(); });

// The views of the first modules (later modules add theirs; each checks its own below).
const FIRST = ['org', 'auth', 'audit', 'calendar', 'event', 'monitor', 'open311', 'modules'];
function views(body, kind, names = FIRST) {
  return body.items.filter((m) => names.includes(m.name)).flatMap((m) => m[kind].map((v) => `${m.name}/${v.id}`));
}

test('anonymous callers get the modules and only the views without a permission', async () => {
  const r = await api(srv.base, '/api/v1/modules');
  assert.equal(r.status, 200, r.text);
  const names = r.body.items.map((m) => m.name);
  for (const n of ['org', 'auth', 'event', 'monitor']) assert.ok(names.includes(n), names.join());
  assert.deepEqual(views(r.body, 'layers'), ['org/grids']);
  assert.deepEqual(views(r.body, 'panels'), []);
  // parking (issue 20): its map of free shared spaces is public, its figures panel is not
  assert.deepEqual(views(r.body, 'layers', ['parking']), ['parking/parking']);
  assert.deepEqual(views(r.body, 'panels', ['parking']), []);
  // the building economy is for staff only, apart from its public page 找写字楼
  assert.deepEqual(views(r.body, 'layers', ['building']), []);
  assert.deepEqual(views(r.body, 'panels', ['building']), []);
  const building = r.body.items.find((m) => m.name === 'building');
  assert.ok(building.pages.some((p) => p.app === 'report' && p.path === '/report/buildings.html'));
  const event = r.body.items.find((m) => m.name === 'event');
  assert.ok(event.pages.some((p) => p.app === 'report' && p.path === '/report/'));
});

test('the administrator sees the event layer and the indicator and air panels', async () => {
  const s = await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username: 'admin', password: ADMIN_PW } });
  assert.equal(s.status, 201, s.text);
  const r = await api(srv.base, '/api/v1/modules', { token: s.body.token });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(views(r.body, 'layers'), ['org/grids', 'event/events', 'monitor/stations']);
  assert.deepEqual(views(r.body, 'panels'), ['event/indicators', 'monitor/aqi', 'monitor/alerts']);
  assert.deepEqual(views(r.body, 'panels', ['parking']), ['parking/parking_figures']);
  assert.deepEqual(views(r.body, 'layers', ['patrol']), ['patrol/patrol']);
  assert.deepEqual(views(r.body, 'panels', ['patrol']), ['patrol/patrol_compliance']);
  assert.deepEqual(views(r.body, 'layers', ['building']), ['building/buildings']);
  assert.deepEqual(views(r.body, 'panels', ['building']), ['building/building_economy', 'building/building_leads']);
  assert.deepEqual(views(r.body, 'layers', ['component']), ['component/sewer']);
  // ledger (issue 15): the 整改台账 panel for those who read the ledger
  assert.deepEqual(views(r.body, 'panels', ['ledger']), ['ledger/ledger']);
  for (const m of r.body.items) assert.ok(m.layers.every((v) => typeof v.title === 'string' && v.title));
});

test('every module script the list names is served, as a JavaScript module with mount()', async () => {
  const r = await api(srv.base, '/api/v1/modules');
  const scripts = r.body.items.filter((m) => m.script).map((m) => m.script);
  assert.ok(scripts.includes('/static/js/monitor.js'), scripts.join());
  for (const path of scripts) {
    const res = await fetch(srv.base + path);
    assert.equal(res.status, 200, path);
    assert.match(res.headers.get('content-type'), /javascript/, path);
    assert.match(await res.text(), /export (async )?function mount\(/, `${path} exports mount()`);
  }
});
