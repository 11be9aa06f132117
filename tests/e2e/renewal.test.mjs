// Urban renewal (issue 18) against the real binary: a project goes 策划 → 运营 one phase at a
// time with a dated history; an elevator vote (民法典 278 items 6–8) passes and the same vote
// fails by one ballot; a vote whose units exceed the building's area, a cash-flow year out of
// range and a bad loan are refused naming the field; the balance is computed (NPV to the fen of
// the flows we put in, IRR null with its reason when the flows never change sign); the
// jurisdiction (another street's center gets 404, a role without the permission 403); every
// write in the audit log; CSV with a BOM; `zhizhi finance` and `zhizhi vote tally`; the demo.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, api, run, tmpDir } from './lib.mjs';

let srv;
const tok = {};
const USERS = ['admin', 'center_jfb', 'center_qxg', 'grid_jfb', 'auditor_yz', 'volunteer_jfb', 'dept_urban'];
// 解放碑: inside a grid of street 500103003
const LON = 106.5778, LAT = 29.5588;

before(async () => {
  srv = await startServer([]);
  for (const u of USERS) {
    const password = u === 'admin' ? srv.log().match(/first administrator: admin, password: (\S+)/)[1] : 'zhizhi-demo';
    const r = await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username: u, password } });
    assert.equal(r.status, 201, r.text);
    tok[u] = r.body.token;
  }
});
after(async () => { await srv?.stop(); });

const as = (u, path, opts = {}) => api(srv.base, path, { token: tok[u], ...opts });
// a CSV download: its bytes start with the UTF-8 BOM; the text after it
async function csvOf(u, path) {
  const r = await fetch(srv.base + path, { headers: { Authorization: `Bearer ${tok[u]}` } });
  assert.equal(r.status, 200);
  const bytes = new Uint8Array(await r.arrayBuffer());
  assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
  return new TextDecoder().decode(bytes);
}

async function makeProject(code, who = 'center_jfb') {
  const r = await as(who, '/api/v1/renewal/projects', {
    method: 'POST',
    body: { code, name: `测试更新项目${code}`, type: 'old_estate', model: 'loan', lon: LON, lat: LAT, households: 120,
      parties: { investor: '测试投资方', financier: '测试银行', builder: '测试施工方', manager: '测试物业', operator: '测试运营方' } },
  });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

test('a project goes 策划 → 运营 one phase at a time, with a dated history and audit rows', async () => {
  const p = await makeProject('T-PH');
  assert.equal(p.phase, 'plan');
  assert.equal(p.phase_label, '策划');
  assert.match(p.grid, /^500103003/);
  // skipping a phase is refused, naming the field
  const skip = await as('center_jfb', '/api/v1/renewal/projects/T-PH/phase', { method: 'POST', body: { phase: 'design' } });
  assert.equal(skip.status, 409);
  assert.equal(skip.body.field, 'phase');
  let last;
  for (const ph of ['立项', 'design', 'build', 'operate']) {
    last = await as('center_jfb', '/api/v1/renewal/projects/T-PH/phase', { method: 'POST', body: { phase: ph } });
    assert.equal(last.status, 200, last.text);
  }
  assert.equal(last.body.phase_label, '运营');
  assert.deepEqual(last.body.phase_history.map((h) => h.label), ['策划', '立项', '设计', '实施', '运营']);
  assert.ok(last.body.phase_history.every((h) => /^\d{4}-\d\d-\d\dT.*\+08:00$/.test(h.at)), JSON.stringify(last.body.phase_history));
  assert.equal(last.body.next_phase, 'accept');
  const audit = await as('admin', '/api/v1/audit?object_type=renewal_project&object_id=T-PH');
  assert.equal(audit.status, 200, audit.text);
  const actions = audit.body.items.map((e) => e.action);
  assert.equal(actions.filter((a) => a === 'renewal.project_phase').length, 4);
  assert.ok(actions.includes('renewal.project_create'));
});

test('jurisdiction and permissions: another street 404, no permission 403, no session 401', async () => {
  await makeProject('T-SC');
  assert.equal((await as('center_qxg', '/api/v1/renewal/projects/T-SC')).status, 404);
  assert.ok(!(await as('center_qxg', '/api/v1/renewal/projects')).body.items.some((p) => p.code === 'T-SC'));
  assert.equal((await as('center_qxg', '/api/v1/renewal/projects/T-SC/phase', { method: 'POST', body: { phase: 'approve' } })).status, 404);
  assert.equal((await as('volunteer_jfb', '/api/v1/renewal/projects')).status, 403);
  assert.equal((await as('auditor_yz', '/api/v1/renewal/projects/T-SC')).status, 200);
  assert.equal((await as('auditor_yz', '/api/v1/renewal/projects', { method: 'POST', body: {} })).status, 403);
  assert.equal((await api(srv.base, '/api/v1/renewal/projects')).status, 401);
  // a point outside the caller's street
  const out = await as('center_qxg', '/api/v1/renewal/projects', {
    method: 'POST', body: { code: 'T-OUT', name: '越界', type: 'block', model: 'social', lon: LON, lat: LAT } });
  assert.equal(out.status, 404);
  const bad = await as('center_jfb', '/api/v1/renewal/projects', {
    method: 'POST', body: { code: 'T-BAD', name: '类型错', type: 'castle', model: 'social', lon: LON, lat: LAT } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.field, 'type');
});

// 12 units of 80 m², 12 owners: all take part; 9 yes of 12 is exactly 3/4 (passes), 8 fails
function roster() {
  return Array.from({ length: 12 }, (_, i) => ({ unit: `1-${i + 1}`, owner: `业主${i + 1}`, area: 80 }));
}

async function electorate(code, yes) {
  const v = await as('center_jfb', `/api/v1/renewal/projects/${code}/votes`, {
    method: 'POST', body: { title: '1栋加装电梯', matter: 'major', building_area: 960, units: roster() } });
  assert.equal(v.status, 201, v.text);
  let r;
  for (let i = 0; i < 12; i++)
    r = await as('center_jfb', `/api/v1/renewal/votes/${v.body.id}/ballots`, {
      method: 'POST', body: { unit: `1-${i + 1}`, vote: i < yes ? '同意' : '反对' } });
  assert.equal(r.status, 200, r.text);
  return r.body;
}

test('an elevator vote passes at exactly 3/4 and fails by one ballot', async () => {
  await makeProject('T-VOTE');
  const pass = await electorate('T-VOTE', 9);
  assert.equal(pass.tally.quorum, true);
  assert.equal(pass.tally.approving_owners_ratio, 0.75);
  assert.equal(pass.tally.passed, true);
  assert.equal(pass.tally.result_label, '通过');
  const fail = await electorate('T-VOTE', 8);
  assert.equal(fail.tally.passed, false);
  assert.equal(fail.tally.approving_owners, 8);
  // the ballots as CSV (BOM), which `zhizhi vote tally` re-tallies to the same result
  const csv = await csvOf('admin', `/api/v1/renewal/votes/${pass.id}/ballots.csv`);
  const f = join(tmpDir(), 'ballots.csv');
  writeFileSync(f, '\ufeff' + csv);
  const t = run(['vote', 'tally', '--matter', 'major', f, '--json']);
  assert.equal(t.status, 0, t.stderr);
  assert.equal(JSON.parse(t.stdout).passed, true);
  // owners' names are masked for the auditor, shown to the admin
  const seen = await as('auditor_yz', `/api/v1/renewal/votes/${pass.id}`);
  assert.equal(seen.body.ballots[0].owner, '业*');
  assert.equal((await as('admin', `/api/v1/renewal/votes/${pass.id}`)).body.ballots[0].owner, '业主1');
  // the grid worker of another grid: 404; an unknown unit names the field
  assert.equal((await as('grid_jfb', `/api/v1/renewal/votes/${pass.id}`)).status, 404);
  const unk = await as('center_jfb', `/api/v1/renewal/votes/${pass.id}/ballots`, { method: 'POST', body: { unit: '9-9', vote: '同意' } });
  assert.equal(unk.status, 400);
  assert.equal(unk.body.field, 'unit');
  const audit = await as('admin', `/api/v1/audit?object_type=renewal_ballot`);
  assert.ok(audit.body.items.filter((e) => e.action === 'renewal.ballot_cast').length >= 24);
});

test('a vote whose units exceed the building area is refused naming the field', async () => {
  await makeProject('T-AREA');
  const r = await as('center_jfb', '/api/v1/renewal/projects/T-AREA/votes', {
    method: 'POST', body: { title: '加装电梯', matter: 'major', building_area: 900, units: roster() } });
  assert.equal(r.status, 400);
  assert.equal(r.body.field, 'area');
  assert.equal(r.body.code, 'area_exceeds_building');
  const dup = await as('center_jfb', '/api/v1/renewal/projects/T-AREA/votes', {
    method: 'POST', body: { title: '加装电梯', matter: 'major', building_area: 2000, units: [...roster(), roster()[0]] } });
  assert.equal(dup.status, 400);
  assert.equal(dup.body.field, 'unit');
});

test('the financing balance: NPV to the fen, IRR, refusals naming the field, CSV', async () => {
  await makeProject('T-FIN');
  const flows = [{ year: 0, kind: 'capex', amount_fen: 1000000 }];
  [300000, 420000, 680000].forEach((a, i) => flows.push({ year: i + 1, kind: 'rent', amount_fen: a }));
  const put = (body) => as('center_jfb', '/api/v1/renewal/projects/T-FIN/finance', { method: 'PUT', body });
  const base = { horizon: 3, discount_rate: '0.10', ceiling_fen: 2000000, flows, loans: [] };
  const ok = await put(base);
  assert.equal(ok.status, 200, ok.text);
  const b = (await as('center_jfb', '/api/v1/renewal/projects/T-FIN/balance')).body;
  // -10000 + NPV(10%; 3000; 4200; 6800) = 1307.29 yuan
  assert.equal(b.npv_fen, 130729);
  assert.ok(Math.abs(b.irr - 0.1634056) < 1e-6, String(b.irr));
  assert.equal(b.balanced, true);
  assert.equal(b.affordable, true);
  assert.equal(b.payback_year, 3);
  assert.equal(b.years.length, 4);
  assert.equal(b.sensitivity.length, 4);
  // a year out of range, a bad loan: 400 naming the field, nothing written
  const late = await put({ ...base, flows: [...flows, { year: 4, kind: 'rent', amount_fen: 1 }] });
  assert.equal(late.status, 400);
  assert.equal(late.body.field, 'flows[4].year');
  const loan = await put({ ...base, loans: [{ principal_fen: 500000, rate: '0.045', term: 5, grace: 0 }] });
  assert.equal(loan.status, 400);
  assert.equal(loan.body.field, 'loans[0].term');
  const rate = await put({ ...base, discount_rate: 'ten' });
  assert.equal(rate.body.field, 'discount_rate');
  assert.equal((await as('center_jfb', '/api/v1/renewal/projects/T-FIN/balance')).body.npv_fen, 130729);
  // all flows positive: IRR says why instead of a number
  await put({ ...base, flows: [{ year: 1, kind: 'rent', amount_fen: 100 }] });
  const nosign = (await as('center_jfb', '/api/v1/renewal/projects/T-FIN/balance')).body;
  assert.equal(nosign.irr, null);
  assert.equal(nosign.irr_reason, 'no_sign_change');
  const csv = await csvOf('center_jfb', '/api/v1/renewal/projects/T-FIN/balance.csv');
  assert.match(csv, /年度,建设投入\(元\)/);
  assert.equal(csv.trim().split('\r\n').length, 5); // the header and years 0..3
});

test('the demo: projects on real place names, some balance and some not, a passing and a failing vote, housing checks', async () => {
  const l = (await as('admin', '/api/v1/renewal/projects')).body.items.filter((p) => p.synthetic);
  assert.ok(l.length >= 6, JSON.stringify(l.map((p) => p.code)));
  assert.ok(l.some((p) => p.name.includes('山城巷')) && l.some((p) => p.name.includes('鹅岭二厂')));
  const verdicts = [];
  for (const p of l) verdicts.push((await as('admin', `/api/v1/renewal/projects/${p.code}/balance`)).body.balanced);
  assert.ok(verdicts.includes(true) && verdicts.includes(false), JSON.stringify(verdicts));
  const votes = (await as('admin', '/api/v1/renewal/votes')).body.items.filter((v) => v.synthetic);
  assert.ok(votes.some((v) => v.tally.passed) && votes.some((v) => !v.tally.passed));
  const h = (await as('admin', '/api/v1/renewal/housing')).body;
  assert.ok(h.report.units > 0);
  assert.equal(h.report.small_majority, true);
  assert.ok(h.report.rent_ok < h.report.units); // the demo has units above the share
  assert.ok(h.items[0].nearest[0].metres > 0);
  const f = (await as('admin', '/api/v1/renewal/figures')).body;
  assert.ok(f.households > 0);
  assert.equal(f.by_phase.length, 6);
  const csv = await csvOf('admin', '/api/v1/renewal/projects.csv');
  assert.match(csv, /山城巷/);
  const layer = (await as('admin', '/api/v1/renewal/layer')).body;
  assert.equal(layer.type, 'FeatureCollection');
});

test('a D-grade appraisal opens an urgent 整幢危房 event in the building\'s grid; A opens none', async () => {
  const d = await as('center_jfb', '/api/v1/renewal/appraisals', { method: 'POST',
    body: { building: '测试街5号', grade: 'D', appraised_on: '2026-11-30', appraiser: '测试房屋安全鉴定所', lon: LON, lat: LAT } });
  assert.equal(d.status, 201, d.text);
  assert.match(d.body.grid, /^500103003/);
  assert.match(d.body.event, /^\S+$/);
  const ev = await as('admin', `/api/v1/events/${d.body.event}`);
  assert.equal(ev.status, 200, ev.text);
  const e = ev.body.event || ev.body;
  assert.equal(e.grid, d.body.grid);
  assert.equal(e.urgency, 'urgent');
  assert.match(e.title, /整幢危房/);
  assert.match(e.description, /撤离/);
  const a = await as('center_jfb', '/api/v1/renewal/appraisals', { method: 'POST',
    body: { building: '测试街7号', grade: 'A', appraised_on: '2026-11-30', appraiser: '测试房屋安全鉴定所', lon: LON, lat: LAT } });
  assert.equal(a.status, 201, a.text);
  assert.equal(a.body.event, null);
  const bad = await as('center_jfb', '/api/v1/renewal/appraisals', { method: 'POST',
    body: { building: '测试街9号', grade: 'E', appraised_on: '2026-11-30', appraiser: '鉴定所', lon: LON, lat: LAT } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.field, 'grade');
  const future = await as('center_jfb', '/api/v1/renewal/appraisals', { method: 'POST',
    body: { building: '测试街9号', grade: 'C', appraised_on: '2099-01-01', appraiser: '鉴定所', lon: LON, lat: LAT } });
  assert.equal(future.body.field, 'appraised_on');
  assert.equal((await as('center_qxg', '/api/v1/renewal/appraisals')).body.items.length, 0);
  const audit = await as('admin', `/api/v1/audit?object_type=renewal_appraisal&object_id=${d.body.id}`);
  assert.deepEqual(audit.body.items.map((x) => x.action).sort(), ['renewal.appraisal_event', 'renewal.appraisal_record']);
});

test('保障性租赁住房: the waiting list in the published order, allocation of vacant units', async () => {
  const before = (await as('admin', '/api/v1/renewal/housing/applicants')).body.items;
  const waiting = before.filter((a) => a.place);
  assert.ok(waiting.length > 0);
  // places 1..n with groups in order service → newcomer → youth, and applied_at rising in a group
  const rank = { service: 0, newcomer: 1, youth: 2 };
  waiting.forEach((a, i) => {
    assert.equal(a.place, i + 1);
    if (i) assert.ok(rank[waiting[i - 1].group] < rank[a.group] || (waiting[i - 1].group === a.group && waiting[i - 1].applied_at <= a.applied_at));
  });
  assert.ok(before.some((a) => a.owns_housing && a.place === null)); // owns a flat: not eligible
  const s = await as('dept_urban', '/api/v1/renewal/housing/applicants', { method: 'POST', body: { name: '测试环卫工', group: 'service' } });
  assert.equal(s.status, 201, s.text);
  const mid = (await as('admin', '/api/v1/renewal/housing/applicants')).body.items;
  assert.equal(mid.find((a) => a.id === s.body.id).place, mid.filter((a) => a.group === 'service' && a.place).length);
  const bad = await as('admin', '/api/v1/renewal/housing/applicants', { method: 'POST', body: { name: 'x', group: 'tourist' } });
  assert.equal(bad.body.field, 'group');
  assert.equal((await as('grid_jfb', '/api/v1/renewal/housing/applicants')).status, 403);
  const vacant = (await as('admin', '/api/v1/renewal/housing')).body.items.filter((u) => !u.occupied).length;
  const r = await as('admin', '/api/v1/renewal/housing/allocate', { method: 'POST', body: {} });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.allocated, Math.min(vacant, waiting.length + 1));
  const after = (await as('admin', '/api/v1/renewal/housing/applicants')).body.items;
  assert.ok(after.find((a) => a.id === s.body.id).unit); // the service worker is housed
  assert.ok(after.filter((a) => a.owns_housing).every((a) => !a.unit));
  assert.equal((await as('admin', '/api/v1/renewal/housing')).body.report.occupied,
    (await as('admin', '/api/v1/renewal/housing')).body.items.length - vacant + r.body.allocated);
  // names are personal data: the department sees them masked, the admin in full
  const dept = (await as('dept_urban', '/api/v1/renewal/housing/applicants')).body.items;
  assert.equal(dept.find((a) => a.id === s.body.id).name, '测*');
  assert.equal(after.find((a) => a.id === s.body.id).name, '测试环卫工');
});

test('zhizhi finance npv|irr|pmt match the spreadsheet functions', async () => {
  const npv = run(['finance', 'npv', '--rate', '10%', '-10000', '3000', '4200', '6800', '--json']);
  assert.equal(JSON.parse(npv.stdout).npv, 1307.29);
  const irr = run(['finance', 'irr', '-70000', '12000', '15000', '18000', '21000', '26000', '--json']);
  assert.ok(Math.abs(JSON.parse(irr.stdout).irr - 0.0866309480) < 1e-9);
  const none = run(['finance', 'irr', '100', '200']);
  assert.equal(none.status, 1);
  assert.match(none.stderr, /no_sign_change/);
  const pmt = run(['finance', 'pmt', '--rate', '0.05', '--periods', '10', '--principal', '100000', '--json']);
  assert.equal(JSON.parse(pmt.stdout).pmt, 12950.46);
});
