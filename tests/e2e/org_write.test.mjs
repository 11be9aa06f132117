// Administrators' writes to the district model (departments, posts, grid teams, region names):
// what a caller sees change, validation naming the field, phone numbers masked for those who
// may not see them, every write in the audit chain, and auditors reading only their region.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, api, run, tmpDir } from './lib.mjs';

const ADMIN_PW = 'admin-e2e-password';
const PHONE = '13912345678';
let srv, dir, admin, grid, gridQxg;
const tokens = {};

async function tokenOf(username, password = 'zhizhi-demo') {
  const r = await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username, password } });
  assert.equal(r.status, 201, `login ${username}: ${r.text}`);
  return r.body.token;
}

before(async () => {
  dir = tmpDir();
  const pw = join(tmpDir('zhizhi-pw-'), 'admin.pw');
  writeFileSync(pw, ADMIN_PW + '\n');
  srv = await startServer(['--admin-password-file', pw], { dataDir: dir });
  admin = await tokenOf('admin', ADMIN_PW);
  for (const u of ['center_jfb', 'grid_jfb', 'auditor_yz']) tokens[u] = await tokenOf(u);
  grid = (await api(srv.base, '/api/v1/users/grid_jfb', { token: admin })).body.grid;
  const grids = await api(srv.base, '/api/v1/regions?level=grid&limit=5000');
  gridQxg = grids.body.items.map((g) => g.code).find((c) => c.startsWith('500103001'));
  assert.ok(grid && gridQxg);
});
after(async () => { await srv?.stop(); });

const post = (path, body, token = admin) => api(srv.base, path, { method: 'POST', body, token });
const patch = (path, body, token = admin) => api(srv.base, path, { method: 'PATCH', body, token });

function problem(r, status, field, code) {
  assert.equal(r.status, status, r.text);
  assert.match(r.headers.get('content-type'), /application\/problem\+json/);
  if (field !== undefined) assert.equal(r.body.field, field, r.text);
  if (code) assert.equal(r.body.code, code, r.text);
}

test('team: admin adds a member; the center sees the phone, the grid worker sees it masked', async () => {
  const r = await post(`/api/v1/grids/${grid}/team`, { name: '测试网格员', phone: PHONE, team_role: '兼职网格员' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.phone, PHONE); // administrators see it in full
  assert.equal(r.body.role, '兼职网格员');
  assert.match(r.headers.get('location'), new RegExp(`/api/v1/grids/${grid}/team/${r.body.id}$`));
  const byCenter = await api(srv.base, `/api/v1/grids/${grid}/team`, { token: tokens.center_jfb });
  assert.equal(byCenter.body.items.find((p) => p.id === r.body.id).phone, PHONE);
  const byWorker = await api(srv.base, `/api/v1/grids/${grid}/team`, { token: tokens.grid_jfb });
  const masked = byWorker.body.items.find((p) => p.id === r.body.id);
  assert.equal(masked.phone, '139****5678');
  assert.ok(!byWorker.text.includes(PHONE));

  const upd = await patch(`/api/v1/grids/${grid}/team/${r.body.id}`, { team_role: '网格长', phone: '023-63801234' });
  assert.equal(upd.status, 200, upd.text);
  assert.equal(upd.body.role, '网格长');
  assert.equal(upd.body.name, '测试网格员');
  assert.equal(upd.body.phone, '023-63801234');

  const del = await api(srv.base, `/api/v1/grids/${grid}/team/${r.body.id}`, { method: 'DELETE', token: admin });
  assert.equal(del.status, 204);
  const after = await api(srv.base, `/api/v1/grids/${grid}/team`, { token: tokens.center_jfb });
  assert.ok(!after.body.items.some((p) => p.id === r.body.id));
  const again = await api(srv.base, `/api/v1/grids/${grid}/team/${r.body.id}`, { method: 'DELETE', token: admin });
  problem(again, 404, undefined, 'person_not_found');
});

test('team: validation names the field and never echoes the phone', async () => {
  const bad = await post(`/api/v1/grids/${grid}/team`, { name: '张三', phone: '1391234567x', team_role: '志愿者' });
  problem(bad, 400, 'phone', 'invalid_phone');
  assert.ok(!bad.text.includes('1391234567'));
  problem(await post(`/api/v1/grids/${grid}/team`, { name: '张三', phone: '12345678901', team_role: '志愿者' }), 400, 'phone', 'invalid_phone');
  problem(await post(`/api/v1/grids/${grid}/team`, { name: '张三', team_role: '队长' }), 400, 'team_role', 'invalid_team_role');
  problem(await post(`/api/v1/grids/${grid}/team`, { phone: PHONE, team_role: '志愿者' }), 400, 'name', 'missing_field');
  problem(await post(`/api/v1/grids/${grid}/team`, { name: '　 ', team_role: '志愿者' }), 400, 'name', 'blank');
  problem(await post(`/api/v1/grids/${grid}/team`, { name: 7, team_role: '志愿者' }), 400, 'name');
  problem(await post(`/api/v1/grids/${grid}/team`, '{"name":', admin), 400, undefined, 'malformed_json');
  problem(await post('/api/v1/grids/500103003999999/team', { name: '张三', team_role: '志愿者' }), 404);
  problem(await post('/api/v1/grids/500103003/team', { name: '张三', team_role: '志愿者' }), 404); // a street, not a grid
  // A member of one grid is not reachable through another grid's path.
  const r = await post(`/api/v1/grids/${grid}/team`, { name: '李四', team_role: '志愿者' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.phone, '');
  problem(await patch(`/api/v1/grids/${gridQxg}/team/${r.body.id}`, { name: '王五' }), 404, undefined, 'person_not_found');
  const q = await post(`/api/v1/grids/${gridQxg}/team`, { name: '赵六', phone: '13511112222', team_role: '热心群众' });
  assert.equal(q.status, 201, q.text);
  problem(await patch(`/api/v1/grids/${grid}/team/abc`, { name: '王五' }), 404);
});

test('departments: create, list, rename, and the users API accepts the new one', async () => {
  const r = await post('/api/v1/departments', { code: 'culture', name: '区文化旅游委', region: '500103' });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.body, { code: 'culture', name: '区文化旅游委', region: '500103' });
  const list = await api(srv.base, '/api/v1/departments');
  assert.ok(list.body.items.some((d) => d.code === 'culture' && d.name === '区文化旅游委'));
  problem(await post('/api/v1/departments', { code: 'culture', name: '重复', region: '500103' }), 409, undefined, 'department_exists');
  problem(await post('/api/v1/departments', { code: 'Culture!', name: 'x', region: '500103' }), 400, 'code', 'invalid_code');
  problem(await post('/api/v1/departments', { code: 'sports', name: '区体育局', region: '999999' }), 400, 'region', 'unknown_region');
  problem(await post('/api/v1/departments', { code: 'sports', name: '区体育局', region: gridQxg }), 400, 'region', 'unknown_region');
  problem(await post('/api/v1/departments', { code: 'sports', region: '500103' }), 400, 'name', 'missing_field');
  const ren = await patch('/api/v1/departments/culture', { name: '区文化和旅游发展委员会' });
  assert.equal(ren.status, 200, ren.text);
  assert.equal(ren.body.name, '区文化和旅游发展委员会');
  assert.equal(ren.body.region, '500103');
  problem(await patch('/api/v1/departments/nosuch', { name: 'x' }), 404, undefined, 'department_not_found');
  const u = await post('/api/v1/users', { username: 'dept_culture', password: 'long-enough-pw', role: 'department', department: 'culture' });
  assert.equal(u.status, 201, u.text);
});

test('posts: a new post of a street board, renamed; unknown board and street refused', async () => {
  const r = await post('/api/v1/boards/livelihood/posts', { street: '500103003', suffix: 'yl', name: '养老服务岗' });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.body, { code: '500103003-yl', name: '养老服务岗', board: 'livelihood', street: '500103003' });
  const boards = await api(srv.base, '/api/v1/boards?street=500103003');
  const liv = boards.body.items.find((b) => b.code === 'livelihood');
  assert.ok(liv.posts.some((p) => p.code === '500103003-yl'));
  problem(await post('/api/v1/boards/livelihood/posts', { street: '500103003', suffix: 'yl', name: 'x' }), 409, undefined, 'post_exists');
  problem(await post('/api/v1/boards/nosuch/posts', { street: '500103003', suffix: 'zz', name: 'x' }), 404, undefined, 'board_not_found');
  problem(await post('/api/v1/boards/livelihood/posts', { street: '500103', suffix: 'zz', name: 'x' }), 400, 'street', 'unknown_street');
  problem(await post('/api/v1/boards/livelihood/posts', { street: '500103003', suffix: 'A-1', name: 'x' }), 400, 'suffix', 'invalid_code');
  const ren = await patch('/api/v1/boards/livelihood/posts/500103003-yl', { name: '养老助残岗' });
  assert.equal(ren.status, 200, ren.text);
  assert.equal(ren.body.name, '养老助残岗');
  problem(await patch('/api/v1/boards/safety/posts/500103003-yl', { name: 'x' }), 404, undefined, 'post_not_found');
});

test('regions: rename only; code, parent and geometry change through import', async () => {
  const r = await patch('/api/v1/regions/500103001', { name: '七星岗街道（测试）' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.name, '七星岗街道（测试）');
  assert.equal(r.body.level, 'street');
  const got = await api(srv.base, '/api/v1/regions/500103001');
  assert.equal(got.body.name, '七星岗街道（测试）');
  assert.ok(got.body.area_m2 > 0, 'the geometry stays');
  problem(await patch('/api/v1/regions/500103001', { name: 'x', geometry: { type: 'Point', coordinates: [0, 0] } }), 400, 'geometry', 'use_import');
  problem(await patch('/api/v1/regions/500103001', { name: '' }), 400, 'name', 'blank');
  problem(await patch('/api/v1/regions/500103001', { name: 'x'.repeat(200) }), 400, 'name', 'too_long');
  problem(await patch('/api/v1/regions/500103999', { name: 'x' }), 404);
  const back = await patch('/api/v1/regions/500103001', { name: '七星岗街道' });
  assert.equal(back.status, 200);
});

test('every write is in the audit chain, with its region; the phone is not', async () => {
  const rows = await api(srv.base, '/api/v1/audit?object_type=person&limit=50', { token: admin });
  const actions = rows.body.items.map((i) => i.action);
  for (const a of ['person.create', 'person.update', 'person.delete']) assert.ok(actions.includes(a), a);
  for (const i of rows.body.items) {
    assert.equal(i.actor, 'admin');
    assert.ok([grid, gridQxg].includes(i.region), JSON.stringify(i));
  }
  assert.ok(!rows.text.includes(PHONE));
  const dep = await api(srv.base, '/api/v1/audit?object_type=department&object_id=culture', { token: admin });
  assert.deepEqual(dep.body.items.map((i) => i.action), ['department.update', 'department.create']);
  assert.equal(dep.body.items[0].region, '500103');
  const reg = await api(srv.base, '/api/v1/audit?object_type=region&object_id=500103001', { token: admin });
  assert.equal(reg.body.items.length, 2);
  assert.notEqual(reg.body.items[0].before_digest, reg.body.items[0].after_digest);
  // Refused writes leave no row.
  const posts = await api(srv.base, '/api/v1/audit?object_type=post', { token: admin });
  assert.deepEqual(posts.body.items.map((i) => i.action), ['post.update', 'post.create']);
});

test('auditors read only the rows of their region', async () => {
  const mk = await post('/api/v1/users', { username: 'auditor_qxg', password: 'long-enough-pw', role: 'auditor', region: '500103001' });
  assert.equal(mk.status, 201, mk.text);
  const street = await tokenOf('auditor_qxg', 'long-enough-pw');
  const all = async (token) => {
    const items = [];
    let next = '';
    do {
      const r = await api(srv.base, `/api/v1/audit?limit=7${next ? `&cursor=${next}` : ''}`, { token });
      assert.equal(r.status, 200, r.text);
      items.push(...r.body.items);
      next = r.body.next;
    } while (next);
    return items;
  };
  const mine = await all(street);
  assert.ok(mine.length > 0);
  for (const i of mine) assert.ok(i.region?.startsWith('500103001'), JSON.stringify(i));
  assert.ok(mine.some((i) => i.action === 'region.rename'));
  assert.ok(mine.some((i) => i.action === 'person.create' && i.region === gridQxg));
  assert.ok(mine.some((i) => i.object_id === 'auditor_qxg' && i.action === 'session.create'));
  const ids = mine.map((i) => i.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a)); // newest first, no repeats across pages
  assert.equal(new Set(ids).size, ids.length);
  // The district auditor sees the 解放碑 rows too, and the platform-wide ones (admin's login).
  const seen = async (query) => (await api(srv.base, `/api/v1/audit?${query}`, { token: tokens.auditor_yz })).body.items;
  assert.ok((await seen('object_type=person&limit=100')).some((i) => i.region === grid && i.action === 'person.create'));
  assert.ok((await seen('object_type=session&object_id=admin&limit=5')).some((i) => i.action === 'session.create' && i.region === null));
  // …which the street auditor does not see.
  const byStreet = await api(srv.base, '/api/v1/audit?object_type=session&object_id=admin', { token: street });
  assert.deepEqual(byStreet.body.items, []);
  assert.ok(!mine.some((i) => i.region === grid || i.region === null));
  // A filter by object finds nothing outside the region: as if the rows did not exist.
  const other = await api(srv.base, `/api/v1/audit?object_type=person&limit=100`, { token: street });
  assert.ok(other.body.items.every((i) => i.region === gridQxg));
});

test('the log holds no token, password or phone number; the chain still verifies', async () => {
  await srv.stop({ keep: true });
  const log = srv.log();
  assert.ok(log.includes('PATCH /api/v1/regions/500103001 200'), 'requests are logged');
  assert.ok(!log.includes('limit=7'), 'query strings are not logged');
  for (const secret of [PHONE, '13511112222', '63801234', ADMIN_PW, 'long-enough-pw', admin, ...Object.values(tokens)])
    assert.ok(!log.includes(secret), `the log contains ${secret.slice(0, 4)}…`);
  const v = run(['audit', 'verify', '--data-dir', dir]);
  srv = null;
  assert.equal(v.status, 0, v.stdout + v.stderr);
  rmSync(dir, { recursive: true, force: true });
});
