// The authorization matrix: every endpoint × every role (in scope and out of scope) → status.
// Later issues extend TABLE with their endpoints. Each row: {method, path, body?, expect}; path
// may be a function of ctx (grid codes found at start-up); expect maps a role to a status, with
// `others` as the default for roles not named. The demo users (password "zhizhi-demo") are
// the callers; `anonymous` sends no token.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api } from './lib.mjs';

// role key → demo username (null = anonymous)
export const CALLERS = {
  anonymous: null,
  admin: 'admin',
  center: 'center_jfb',               // street center of 解放碑 (500103003)
  center_district: 'center_yz',       // district center of 渝中区 (500103)
  center_other_street: 'center_qxg',  // street center of 七星岗 (500103001)
  grid_worker: 'grid_jfb',            // a grid of 解放碑 (ctx.grid)
  volunteer: 'volunteer_jfb',         // the same grid
  department: 'dept_urban',           // 区城市管理局
  board_post: 'post_jfb_cg',          // 解放碑 城市管理岗
  auditor: 'auditor_yz',              // 渝中区
};

export const TABLE = [
  // ---- public reads of the district model (the residents' QR page needs them) ----
  { method: 'GET', path: '/api/v1/regions?level=street', expect: { others: 200 } },
  { method: 'GET', path: '/api/v1/regions/500103003', expect: { others: 200 } },
  { method: 'GET', path: '/api/v1/boards', expect: { others: 200 } },
  { method: 'GET', path: '/api/v1/departments', expect: { others: 200 } },
  // ---- grid teams: login, then scope (404 outside, like a missing grid) ----
  {
    method: 'GET', path: (c) => `/api/v1/grids/${c.grid}/team`,
    expect: { anonymous: 401, others: 200, center_other_street: 404 },
  },
  {
    method: 'GET', path: (c) => `/api/v1/grids/${c.gridSameStreet}/team`,
    expect: { anonymous: 401, others: 200, center_other_street: 404, grid_worker: 404, volunteer: 404 },
  },
  {
    method: 'GET', path: (c) => `/api/v1/grids/${c.gridOtherStreet}/team`,
    expect: {
      anonymous: 401, others: 200, center: 404, grid_worker: 404, volunteer: 404, board_post: 404,
    },
  },
  // ---- sessions and one's own account ----
  { method: 'GET', path: '/api/v1/sessions/current', expect: { anonymous: 401, others: 200 } },
  { method: 'POST', path: '/api/v1/users/me/password', body: {}, expect: { anonymous: 401, others: 400 } },
  // ---- accounts: administrators only ----
  { method: 'GET', path: '/api/v1/users', expect: { anonymous: 401, admin: 200, others: 403 } },
  { method: 'GET', path: '/api/v1/users/center_yz', expect: { anonymous: 401, admin: 200, others: 403 } },
  {
    method: 'POST', path: '/api/v1/users', body: { username: 'x_matrix', role: 'wizard', password: 'long-enough-pw' },
    expect: { anonymous: 401, admin: 400, others: 403 },
  },
  {
    method: 'PATCH', path: '/api/v1/users/auditor_yz', body: { display_name: '渝中区纪检监督员' },
    expect: { anonymous: 401, admin: 200, others: 403 },
  },
  // ---- the audit log: auditors and administrators ----
  { method: 'GET', path: '/api/v1/audit', expect: { anonymous: 401, admin: 200, auditor: 200, others: 403 } },
  // ---- writes to the district model (org.write): administrators only; an admin's write that
  // the matrix repeats is either refused by validation (400) or changes nothing (200) ----
  {
    method: 'POST', path: '/api/v1/regions/import', body: { type: 'Nothing' },
    expect: { anonymous: 401, admin: 400, others: 403 },
  },
  {
    method: 'PATCH', path: '/api/v1/regions/500103003', body: { name: '解放碑街道' },
    expect: { anonymous: 401, admin: 200, others: 403 },
  },
  {
    method: 'POST', path: '/api/v1/departments', body: { code: 'Bad!', name: 'x', region: '500103' },
    expect: { anonymous: 401, admin: 400, others: 403 },
  },
  {
    method: 'PATCH', path: '/api/v1/departments/urban', body: { name: '区城市管理局' },
    expect: { anonymous: 401, admin: 200, others: 403 },
  },
  {
    method: 'POST', path: '/api/v1/boards/livelihood/posts', body: { street: '500103003', suffix: 'BAD', name: 'x' },
    expect: { anonymous: 401, admin: 400, others: 403 },
  },
  {
    method: 'PATCH', path: '/api/v1/boards/livelihood/posts/500103003-cg', body: { name: '城市管理岗' },
    expect: { anonymous: 401, admin: 200, others: 403 },
  },
  {
    method: 'POST', path: (c) => `/api/v1/grids/${c.grid}/team`, body: { name: 'x', team_role: '队长' },
    expect: { anonymous: 401, admin: 400, others: 403 },
  },
  {
    method: 'POST', path: (c) => `/api/v1/grids/${c.gridOtherStreet}/team`, body: { name: 'x', team_role: '队长' },
    expect: { anonymous: 401, admin: 400, others: 403 },
  },
  {
    method: 'PATCH', path: (c) => `/api/v1/grids/${c.grid}/team/999999999`, body: { name: 'x' },
    expect: { anonymous: 401, admin: 404, others: 403 },
  },
  {
    method: 'DELETE', path: (c) => `/api/v1/grids/${c.grid}/team/999999999`,
    expect: { anonymous: 401, admin: 404, others: 403 },
  },
  // ---- events (issue 4): reads for staff (volunteers: their grid); intake for centers, posts,
  // grid workers; per-action permissions and scope are exercised in event.test.mjs ----
  { method: 'GET', path: '/api/v1/events', expect: { anonymous: 401, others: 200 } },
  // issue 10: 待我处理 and the export with the list's filters
  { method: 'GET', path: '/api/v1/events?mine=1&sort=due_at', expect: { anonymous: 401, others: 200 } },
  { method: 'GET', path: '/api/v1/events.csv?status=open', expect: { anonymous: 401, others: 200 } },
  {
    method: 'POST', path: '/api/v1/events', body: {},
    expect: { anonymous: 401, volunteer: 403, department: 403, auditor: 403, others: 400 },
  },
  { method: 'GET', path: '/api/v1/events/500103-20000101-99999', expect: { anonymous: 401, others: 404 } },
  { method: 'GET', path: '/api/v1/events/500103-20000101-99999/history', expect: { anonymous: 401, others: 404 } },
  { method: 'POST', path: '/api/v1/events/500103-20000101-99999/actions/dispatch', body: {}, expect: { anonymous: 401, others: 404 } },
  { method: 'POST', path: '/api/v1/events/500103-20000101-99999/notes', body: { comment: '备注' }, expect: { anonymous: 401, auditor: 403, others: 404 } },
  { method: 'POST', path: '/api/v1/events/sweep', body: {}, expect: { anonymous: 401, admin: 200, others: 403 } },
  {
    method: 'POST', path: '/api/v1/attachments', body: 'not an image',
    expect: { anonymous: 401, volunteer: 403, auditor: 403, others: 415 },
  },
  { method: 'GET', path: `/api/v1/attachments/${'0'.repeat(64)}`, expect: { anonymous: 401, others: 404 } },
  { method: 'GET', path: '/api/v1/categories', expect: { others: 200 } },
  { method: 'POST', path: '/api/v1/categories.csv', body: 'x', expect: { anonymous: 401, admin: 400, others: 403 } },
  { method: 'POST', path: '/api/v1/public/reports', body: {}, expect: { others: 400 } },
  { method: 'GET', path: '/api/v1/public/reports/NOSUCHNUMBER', expect: { others: 404 } },
  // issue 10: the residents' form and the reporter's rating (the tracking code is the key)
  { method: 'GET', path: '/api/v1/public/report-form', expect: { others: 200 } },
  { method: 'POST', path: '/api/v1/public/reports/NOSUCHNUMBER/rating', body: { satisfaction: 'satisfied' }, expect: { others: 404 } },
  { method: 'POST', path: '/api/v1/public/photos', body: 'not an image', expect: { others: 415 } },
  { method: 'GET', path: '/api/v1/event-routes', expect: { anonymous: 401, others: 200 } },
  { method: 'PUT', path: '/api/v1/event-routes', body: {}, expect: { anonymous: 401, admin: 400, center: 400, center_district: 400, center_other_street: 400, others: 403 } },
  // ---- indicators (issue 4 item 7): indicator.read, then the caller's jurisdiction ----
  { method: 'GET', path: '/api/v1/indicators', expect: { anonymous: 401, volunteer: 403, others: 200 } },
  { method: 'GET', path: '/api/v1/indicators.csv', expect: { anonymous: 401, volunteer: 403, others: 200 } },
  {
    method: 'GET', path: '/api/v1/indicators?region=500103003',
    expect: { anonymous: 401, volunteer: 403, center_other_street: 403, grid_worker: 403, others: 200 },
  },
  // ---- Open311 GeoReport v2 (public; errors in the spec's format) ----
  { method: 'GET', path: '/open311/v2/discovery.json', expect: { others: 200 } },
  { method: 'GET', path: '/open311/v2/services.xml', expect: { others: 200 } },
  { method: 'GET', path: '/open311/v2/services/1101.json', expect: { others: 200 } },
  { method: 'GET', path: '/open311/v2/requests.json', expect: { others: 200 } },
  { method: 'GET', path: '/open311/v2/requests/NOSUCH.xml', expect: { others: 404 } },
  { method: 'POST', path: '/open311/v2/requests.json', body: 'service_code=', expect: { others: 400 } },
  // ---- shared parking (issue 20): lots and free spaces public, anyone books, staff read in
  // scope, the center manages lots, plans and gate keys (another street's center: 404) ----
  { method: 'GET', path: '/api/v1/parking/lots', expect: { others: 200 } },
  { method: 'GET', path: '/api/v1/parking/lots/P-JFB-01', expect: { others: 200 } },
  {
    method: 'GET',
    path: () => { const t = Math.ceil(Date.now() / 3600e3) * 3600e3 + 3600e3; return `/api/v1/parking/availability?lon=106.5778&lat=29.5588&from=${new Date(t).toISOString()}&to=${new Date(t + 3600e3).toISOString()}`; },
    expect: { others: 200 },
  },
  { method: 'POST', path: '/api/v1/parking/bookings', body: {}, expect: { others: 400 } },
  { method: 'GET', path: '/api/v1/parking/bookings', expect: { anonymous: 401, volunteer: 403, others: 200 } },
  { method: 'GET', path: '/api/v1/parking/bookings.csv', expect: { anonymous: 401, volunteer: 403, others: 200 } },
  { method: 'GET', path: '/api/v1/parking/bookings/999999999', expect: { others: 404 } },
  { method: 'DELETE', path: '/api/v1/parking/bookings/999999999', expect: { others: 404 } },
  { method: 'GET', path: '/api/v1/parking/alerts', expect: { anonymous: 401, volunteer: 403, others: 200 } },
  { method: 'GET', path: '/api/v1/parking/figures', expect: { anonymous: 401, volunteer: 403, others: 200 } },
  { method: 'POST', path: '/api/v1/parking/lots', body: {}, expect: { anonymous: 401, admin: 400, center: 400, center_district: 400, center_other_street: 400, others: 403 } },
  {
    method: 'POST', path: '/api/v1/parking/lots/P-JFB-01/plans', body: { spaces: 1, windows: 'daily 00:00-01:00' },
    expect: { anonymous: 401, admin: 201, center: 201, center_district: 201, center_other_street: 404, others: 403 },
  },
  { method: 'POST', path: '/api/v1/parking/lots/P-JFB-01/gate-keys', expect: { anonymous: 401, admin: 201, center: 201, center_district: 201, center_other_street: 404, others: 403 } },
  // editing and withdrawing plans (an unknown plan: 404 to those who may), owner keys, and the
  // owner's routes, which take the owner key only (a staff session is not one: 401)
  { method: 'PATCH', path: '/api/v1/parking/lots/P-JFB-01/plans/999999999', body: { price_fen: 100 }, expect: { anonymous: 401, admin: 404, center: 404, center_district: 404, center_other_street: 404, others: 403 } },
  { method: 'DELETE', path: '/api/v1/parking/lots/P-JFB-01/plans/999999999', expect: { anonymous: 401, admin: 404, center: 404, center_district: 404, center_other_street: 404, others: 403 } },
  { method: 'POST', path: '/api/v1/parking/lots/P-JFB-01/owner-keys', expect: { anonymous: 401, admin: 201, center: 201, center_district: 201, center_other_street: 404, others: 403 } },
  { method: 'GET', path: '/api/v1/parking/owner', expect: { others: 401 } },
  { method: 'POST', path: '/api/v1/parking/owner/plans', body: {}, expect: { others: 401 } },
  { method: 'PATCH', path: '/api/v1/parking/owner/plans/1', body: {}, expect: { others: 401 } },
  { method: 'DELETE', path: '/api/v1/parking/owner/plans/1', expect: { others: 401 } },
  { method: 'POST', path: '/api/v1/parking/gate-events', body: {}, expect: { anonymous: 401, admin: 400, center: 400, center_district: 400, center_other_street: 400, others: 403 } },
  // ---- patrol (issue 21): segments in one's jurisdiction (a grid of the segment in scope) ----
  { method: 'GET', path: '/api/v1/patrol/segments', expect: { anonymous: 401, others: 200 } },
  { method: 'GET', path: '/api/v1/patrol/segments.geojson', expect: { anonymous: 401, others: 200 } },
  { method: 'GET', path: '/api/v1/patrol/compliance.csv', expect: { anonymous: 401, others: 200 } },
  {
    method: 'GET', path: '/api/v1/patrol/segments/CJ-YZ',
    expect: { anonymous: 401, others: 200, center_other_street: 404, grid_worker: 404, volunteer: 404 },
  },
  {
    method: 'GET', path: '/api/v1/patrol/segments/JLJ-YZ/patrols',
    expect: { anonymous: 401, others: 200, center: 404, board_post: 404, grid_worker: 404, volunteer: 404 },
  },
  {
    method: 'POST', path: '/api/v1/patrol/patrols', body: {},
    expect: { anonymous: 401, department: 403, board_post: 403, auditor: 403, others: 400 },
  },
  // keeping segments and chiefs: the center (admin everywhere); bad input is checked first
  { method: 'POST', path: '/api/v1/patrol/segments', body: {}, expect: { anonymous: 401, admin: 400, center: 400, center_district: 400, center_other_street: 400, others: 403 } },
  { method: 'PATCH', path: '/api/v1/patrol/segments/CJ-YZ', body: { target_class: 9 }, expect: { anonymous: 401, admin: 400, center: 400, center_district: 400, center_other_street: 400, others: 403 } },
  { method: 'POST', path: '/api/v1/patrol/segments/CJ-YZ/chiefs', body: {}, expect: { anonymous: 401, admin: 400, center: 400, center_district: 400, center_other_street: 400, others: 403 } },
  { method: 'PATCH', path: '/api/v1/patrol/chiefs/999999999', body: {}, expect: { anonymous: 401, admin: 404, center: 404, center_district: 404, center_other_street: 404, others: 403 } },
  { method: 'DELETE', path: '/api/v1/patrol/chiefs/999999999', expect: { anonymous: 401, admin: 404, center: 404, center_district: 404, center_other_street: 404, others: 403 } },
  {
    method: 'POST', path: '/api/v1/patrol/runs', body: {},
    expect: { anonymous: 401, department: 403, board_post: 403, auditor: 403, others: 400 },
  },
  {
    method: 'GET', path: '/api/v1/patrol/runs/nobody-run-0001',
    expect: { anonymous: 401, department: 403, board_post: 403, auditor: 403, others: 404 },
  },
  {
    method: 'POST', path: '/api/v1/patrol/runs/nobody-run-0001/points', body: { from: 0, points: [] },
    expect: { anonymous: 401, department: 403, board_post: 403, auditor: 403, others: 404 },
  },
  {
    method: 'POST', path: '/api/v1/patrol/runs/nobody-run-0001/finish', body: { ended_at: 1 },
    expect: { anonymous: 401, department: 403, board_post: 403, auditor: 403, others: 404 },
  },
  {
    method: 'POST', path: '/api/v1/patrol/photos', body: 'not an image',
    expect: { anonymous: 401, department: 403, board_post: 403, auditor: 403, others: 415 },
  },
  // ---- lifecircle (issue 19): planners read coverage of the demand in their jurisdiction
  // (404 for a region outside it); grid teams have no permission; the center imports lists ----
  { method: 'GET', path: '/api/v1/lifecircle/coverage', expect: { anonymous: 401, grid_worker: 403, volunteer: 403, others: 200 } },
  { method: 'GET', path: '/api/v1/lifecircle/coverage?region=500103003', expect: { anonymous: 401, grid_worker: 403, volunteer: 403, center_other_street: 404, others: 200 } },
  { method: 'GET', path: '/api/v1/lifecircle/gaps', expect: { anonymous: 401, grid_worker: 403, volunteer: 403, others: 200 } },
  { method: 'GET', path: '/api/v1/lifecircle/suggest?category=elderly&level=5&k=1', expect: { anonymous: 401, grid_worker: 403, volunteer: 403, others: 200 } },
  { method: 'GET', path: '/api/v1/lifecircle/reach?category=elderly&minutes=10', expect: { anonymous: 401, grid_worker: 403, volunteer: 403, others: 200 } },
  { method: 'GET', path: '/api/v1/lifecircle/reach?category=elderly&region=500103003', expect: { anonymous: 401, grid_worker: 403, volunteer: 403, center_other_street: 404, others: 200 } },
  { method: 'GET', path: '/api/v1/lifecircle/facilities', expect: { anonymous: 401, grid_worker: 403, volunteer: 403, others: 200 } },
  { method: 'POST', path: '/api/v1/lifecircle/facilities.csv', body: {}, expect: { anonymous: 401, admin: 400, center: 400, center_district: 400, center_other_street: 400, others: 403 } },
  // ---- ledger module (issue 15): the 整改台账 for those who run and watch it; supervision
  // clues 404 to everyone outside supervision (auditors read; the supervisor role is tested in
  // ledger.test.mjs) ----
  { method: 'GET', path: '/api/v1/ledger/figures?group_by=department', expect: { anonymous: 401, grid_worker: 403, volunteer: 403, others: 200 } },
  { method: 'GET', path: '/api/v1/ledger/figures.csv', expect: { anonymous: 401, grid_worker: 403, volunteer: 403, others: 200 } },
  { method: 'GET', path: '/api/v1/ledger/problems', expect: { anonymous: 401, grid_worker: 403, volunteer: 403, others: 200 } },
  { method: 'GET', path: '/api/v1/ledger/problems/999999999', expect: { anonymous: 401, grid_worker: 403, volunteer: 403, others: 404 } },
  {
    method: 'POST', path: '/api/v1/ledger/problems', body: {},
    expect: { anonymous: 401, admin: 400, center: 400, center_district: 400, center_other_street: 400, board_post: 400, others: 403 },
  },
  {
    method: 'POST', path: '/api/v1/ledger/problems/999999999/close',
    expect: { anonymous: 401, admin: 404, center: 404, center_district: 404, center_other_street: 404, board_post: 404, others: 403 },
  },
  {
    method: 'POST', path: '/api/v1/ledger/problems/999999999/events', body: {},
    expect: { anonymous: 401, admin: 404, center: 404, center_district: 404, center_other_street: 404, board_post: 404, others: 403 },
  },
  {
    method: 'POST', path: '/api/v1/ledger/problems.csv', body: {},
    expect: { anonymous: 401, admin: 415, center: 415, center_district: 415, center_other_street: 415, board_post: 415, others: 403 },
  },
  { method: 'GET', path: `/api/v1/ledger/measures/999999999/files/${'a'.repeat(64)}`, expect: { anonymous: 401, grid_worker: 403, volunteer: 403, others: 404 } },
  { method: 'GET', path: '/api/v1/supervision/clues', expect: { anonymous: 401, auditor: 200, others: 404 } },
  { method: 'GET', path: '/api/v1/supervision/figures', expect: { anonymous: 401, auditor: 200, others: 404 } },
  { method: 'GET', path: '/api/v1/supervision/clues/999999999', expect: { anonymous: 401, others: 404 } },
  { method: 'POST', path: '/api/v1/supervision/clues', body: {}, expect: { anonymous: 401, others: 404 } },
  { method: 'POST', path: '/api/v1/supervision/clues/999999999/problems', body: {}, expect: { anonymous: 401, others: 404 } },
  { method: 'POST', path: '/api/v1/public/supervision-reports', body: {}, expect: { others: 400 } },
];

let srv;
const tokens = {};
const ctx = {};

before(async () => {
  srv = await startServer(['--pwhash-cost', 'min']);
  for (const [role, user] of Object.entries(CALLERS)) {
    if (!user) continue;
    // Without --admin-password-file the seed prints admin's random password once; use it.
    const password = user === 'admin' ? adminPassword(srv.log()) : 'zhizhi-demo';
    const r = await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username: user, password } });
    assert.equal(r.status, 201, `login ${user}: ${r.text}`);
    tokens[role] = r.body.token;
  }
  const me = await api(srv.base, '/api/v1/sessions/current', { token: tokens.grid_worker });
  ctx.grid = me.body.user.grid;
  const grids = await api(srv.base, '/api/v1/regions?level=grid&limit=5000');
  const codes = grids.body.items.map((g) => g.code);
  ctx.gridSameStreet = codes.find((c) => c.startsWith('500103003') && c !== ctx.grid);
  ctx.gridOtherStreet = codes.find((c) => c.startsWith('500103001'));
  assert.ok(ctx.grid && ctx.gridSameStreet && ctx.gridOtherStreet, JSON.stringify(ctx));
});
after(async () => { await srv?.stop(); });

function adminPassword(log) {
  const m = log.match(/first administrator: admin, password: (\S+)/);
  assert.ok(m, 'the seed prints the first admin password once');
  return m[1];
}

for (const row of TABLE) {
  const label = `${row.method} ${typeof row.path === 'function' ? row.path({ grid: '{grid}', gridSameStreet: '{grid in street}', gridOtherStreet: '{grid of other street}' }) : row.path}`;
  test(label, async () => {
    const path = typeof row.path === 'function' ? row.path(ctx) : row.path;
    const failures = [];
    for (const role of Object.keys(CALLERS)) {
      const want = row.expect[role] ?? row.expect.others;
      assert.ok(want, `${label}: no expectation for ${role}`);
      const r = await api(srv.base, path, { method: row.method, body: row.body, token: tokens[role] });
      if (r.status !== want) failures.push(`${role}: got ${r.status}, want ${want} ${r.body?.code ?? ''}`);
    }
    assert.deepEqual(failures, []);
  });
}
