// Enterprise services (issue 17) against the real binary with the demo district: a service
// officer files an appeal that runs the whole event loop and is rated; the wage-arrears demo
// projects the rules catch open events at 人力社保 with the seed's resolved figures; a 免申即享
// run lists eligible enterprises with reasons and a dry run shows who gains; a certificate's
// public verification says valid, forged with a wrong QR signature, revoked after revocation;
// the seed's fraud case and the 2×–5× check; bad input names the field; CSV with BOM; scope.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, api, run } from './lib.mjs';

let srv;
const tok = {};
const USERS = ['center_yz', 'center_jfb', 'center_qxg', 'post_jfb_qy', 'post_jfb_cg', 'dept_hrss',
  'dept_urban', 'auditor_yz', 'grid_jfb'];

before(async () => {
  srv = await startServer(['--pwhash-cost', 'min']);
  for (const u of USERS) {
    const r = await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username: u, password: 'zhizhi-demo' } });
    assert.equal(r.status, 201, `login ${u}: ${r.text}`);
    tok[u] = r.body.token;
  }
});
after(async () => { await srv?.stop(); });

const get = (path, user = 'center_yz') => api(srv.base, path, { token: tok[user] });
const post = (path, body, user) => api(srv.base, path, { method: 'POST', body, token: tok[user] });
// the raw bytes: fetch's text() drops a leading BOM, so check the bytes themselves
const bytes = async (path, user) => {
  const res = await fetch(srv.base + path, { headers: { Authorization: `Bearer ${tok[user]}` } });
  return { status: res.status, type: res.headers.get('content-type'), buf: Buffer.from(await res.arrayBuffer()) };
};
const hasBom = (b) => b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
const act = (user, code, action, body = {}) => post(`/api/v1/events/${code}/actions/${action}`, body, user);

test('the service officer files an appeal; it is dispatched, handled, closed and rated, and counted', async () => {
  const ents = await get('/api/v1/enterprise/enterprises', 'post_jfb_qy');
  assert.equal(ents.status, 200, ents.text);
  assert.ok(ents.body.items.length > 50);
  assert.ok(ents.body.items.every((e) => e.street === '500103003'), 'the officer sees only their street');
  assert.ok(ents.body.items.every((e) => /^\d{3}\*{4}\d{4}$/.test(e.contact_phone)), 'phones masked');
  const ent = ents.body.items[0];

  const before = (await get('/api/v1/enterprise/figures', 'center_jfb')).body;
  let r = await post('/api/v1/enterprise/appeals',
    { uscc: ent.uscc, appeal_class: 'wage', title: '项目部拖欠两个月工资', description: '12 名员工' }, 'post_jfb_qy');
  assert.equal(r.status, 201, r.text);
  const code = r.body.event_code;
  const ev = await get(`/api/v1/events/${code}`, 'center_jfb');
  assert.equal(ev.body.channel, 'enterprise');
  assert.equal(ev.body.category, '9002');
  assert.equal(ev.body.street, '500103003');

  // another street's center never sees it, in the event loop or in the appeal list
  assert.equal((await get(`/api/v1/events/${code}`, 'center_qxg')).status, 404);
  const other = await get('/api/v1/enterprise/appeals', 'center_qxg');
  assert.ok(!other.body.items.some((a) => a.event_code === code));

  for (const [user, action, body] of [['center_jfb', 'accept'], ['center_jfb', 'verify'], ['center_jfb', 'dispatch'],
    ['dept_hrss', 'sign'], ['dept_hrss', 'feedback', { result: '已督促企业足额支付' }],
    ['center_jfb', 'send_check'], ['center_jfb', 'check_pass', { comment: '企业确认' }],
    ['center_jfb', 'revisit', { satisfaction: 'satisfied' }]]) {
    r = await act(user, code, action, body);
    assert.equal(r.status, 200, `${action}: ${r.text}`);
  }
  assert.equal(r.body.state, 'revisited');
  const mine = (await get('/api/v1/enterprise/appeals', 'center_jfb')).body.items.find((a) => a.event_code === code);
  assert.equal(mine.appeal_class, 'wage');
  assert.ok(mine.closed_at > 0);
  assert.equal(mine.satisfaction, 1);
  const after = (await get('/api/v1/enterprise/figures', 'center_jfb')).body;
  assert.equal(after.appeals.received, before.appeals.received + 1);
  assert.equal(after.appeals.closed, before.appeals.closed + 1);
  assert.equal(after.appeals.satisfied, before.appeals.satisfied + 1);
  const wage = after.by_class.find((c) => c.key === 'wage');
  assert.equal(wage.label, '欠薪');

  // the audit chain holds the appeal
  const audit = await get(`/api/v1/audit?object_type=enterprise_appeal&object_id=${code}`, 'auditor_yz');
  assert.equal(audit.status, 200, audit.text);
  assert.ok(JSON.stringify(audit.body).includes('enterprise.appeal_file'));
});

test('appeal input: a USCC with a wrong check character, an unknown class, out of scope', async () => {
  const ent = (await get('/api/v1/enterprise/enterprises', 'post_jfb_qy')).body.items[0];
  const last = ent.uscc.at(-1);
  const wrong = ent.uscc.slice(0, 17) + (last === '0' ? '1' : '0');
  let r = await post('/api/v1/enterprise/appeals', { uscc: wrong, appeal_class: 'ip', title: 't' }, 'post_jfb_qy');
  assert.equal(r.status, 400);
  assert.match(r.headers.get('content-type'), /problem\+json/);
  assert.equal(r.body.field, 'uscc');
  r = await post('/api/v1/enterprise/appeals', { uscc: ent.uscc, appeal_class: 'lunch', title: 't' }, 'post_jfb_qy');
  assert.equal(r.status, 400);
  assert.equal(r.body.field, 'appeal_class');
  // a center of another street may file appeals, but not for this enterprise: 404
  r = await post('/api/v1/enterprise/appeals', { uscc: ent.uscc, appeal_class: 'ip', title: 't' }, 'center_qxg');
  assert.equal(r.status, 404);
  // roles without the permission
  assert.equal((await post('/api/v1/enterprise/appeals', { uscc: ent.uscc, appeal_class: 'ip', title: 't' }, 'dept_urban')).status, 403);
  assert.equal((await get('/api/v1/enterprise/enterprises', 'grid_jfb')).status, 403);
  assert.equal((await api(srv.base, '/api/v1/enterprise/enterprises')).status, 401);
});

test('wage-arrears warnings: the two demo projects open events at 人力社保; the seed figures add up', async () => {
  const w = await get('/api/v1/enterprise/wage/warnings', 'dept_hrss');
  assert.equal(w.status, 200, w.text);
  const open = w.body.items.filter((x) => !x.resolved_at);
  assert.equal(open.length, 2);
  assert.ok(open.some((x) => x.rules.includes('progress_unpaid') && x.rules.includes('payroll_overdue')));
  assert.ok(open.some((x) => x.rules.includes('complaint_cluster') && x.rules.includes('si_stopped')));
  for (const x of open) {
    const ev = await get(`/api/v1/events/${x.event_code}`, 'dept_hrss');
    assert.equal(ev.status, 200, ev.text);
    assert.equal(ev.body.category, '9002');
    assert.equal(ev.body.department, 'hrss');
  }
  const f = (await get('/api/v1/enterprise/figures', 'center_yz')).body.wage;
  assert.deepEqual([f.resolved, f.workers_helped, f.recovered_yuan], [11, 184, '3270000.00']);

  // a second scan opens nothing new (one open warning per project)
  let r = await post('/api/v1/enterprise/wage/scan', {}, 'dept_hrss');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.opened, 0);
  assert.equal((await post('/api/v1/enterprise/wage/scan', { date: '2026-13-01' }, 'dept_hrss')).body.field, 'date');

  // resolving records workers and wages, in integer fen; a negative amount is refused by name
  const id = open[0].id;
  r = await post(`/api/v1/enterprise/wage/warnings/${id}/resolve`, { workers: 46, recovered_fen: -1 }, 'dept_hrss');
  assert.equal(r.status, 400);
  assert.equal(r.body.field, 'recovered_fen');
  r = await post(`/api/v1/enterprise/wage/warnings/${id}/resolve`, { workers: 46, recovered_fen: 126000001 }, 'dept_hrss');
  assert.equal(r.status, 200, r.text);
  const g = (await get('/api/v1/enterprise/figures', 'center_yz')).body.wage;
  assert.deepEqual([g.resolved, g.workers_helped, g.recovered_yuan], [12, 230, '4530000.01']);
  assert.equal((await post(`/api/v1/enterprise/wage/warnings/${id}/resolve`, { workers: 1, recovered_fen: 1 }, 'dept_hrss')).status, 409);

  const c = await bytes('/api/v1/enterprise/wage/warnings.csv', 'dept_hrss');
  assert.equal(c.status, 200);
  assert.ok(hasBom(c.buf), 'UTF-8 BOM');
  assert.ok(c.buf.subarray(3).toString('utf8').startsWith('编号,项目,用人单位'), 'Chinese header');
  assert.equal((await get('/api/v1/enterprise/wage/warnings', 'post_jfb_cg')).status, 403);
});

test('fraud cases: the seed case is 2×; a fine outside 2×–5× names fine_fen', async () => {
  const l = await get('/api/v1/enterprise/fraud-cases', 'dept_hrss');
  const seed = l.body.items.find((c) => c.code === 'PB-2025-001');
  assert.deepEqual([seed.recovered_fen, seed.fine_fen, seed.fine_check], [5480000, 10960000, 0]);
  const bad = { code: 'PB-T-1', kind: '重复领取', obtained_fen: 100000, recovered_fen: 100000, fine_fen: 199999, decided_on: '2026-11-01' };
  let r = await post('/api/v1/enterprise/fraud-cases', bad, 'dept_hrss');
  assert.equal(r.status, 400);
  assert.equal(r.body.field, 'fine_fen');
  r = await post('/api/v1/enterprise/fraud-cases', { ...bad, fine_fen: 500000 }, 'dept_hrss');
  assert.equal(r.status, 201, r.text);
  r = await post('/api/v1/enterprise/fraud-cases', { ...bad, code: 'PB-T-2', obtained_fen: -5 }, 'dept_hrss');
  assert.equal(r.body.field, 'obtained_fen');
});

test('免申即享: a policy run lists the eligible enterprises with each rule\'s reason; a dry run shows who gains', async () => {
  const pol = (await get('/api/v1/enterprise/policies', 'dept_hrss')).body.items;
  assert.equal(pol.length, 2);
  let r = await post('/api/v1/enterprise/policies/run', { code: 'MSJX-2026-01' }, 'center_yz');
  assert.equal(r.status, 200, r.text);
  assert.ok(r.body.eligible > 0 && r.body.eligible < r.body.evaluated);
  for (const it of r.body.items.slice(0, 50)) {
    assert.equal(it.rules.length, 3);
    assert.ok(it.rules.every((x) => x.passed && x.reason.endsWith('符合')));
    assert.match(it.rules[0].reason, /^行业 [IML]\d* 属于 [IML]/);
  }
  // the same selection by hand from the registry
  const ents = (await get('/api/v1/enterprise/enterprises', 'center_yz')).body.items;
  const expect = ents.filter((e) => /^[IML]/.test(e.industry) && e.employees >= 10 && e.violations === 0);
  assert.equal(r.body.eligible, expect.length);
  assert.equal(r.body.benefit_total_fen, expect.reduce((s, e) => s + Math.min(50000 * e.employees, 5000000), 0));

  const doc = pol.find((p) => p.code === 'MSJX-2026-01').policy;
  const looser = structuredClone(doc);
  looser.rules[1].value = 5;
  r = await post('/api/v1/enterprise/policies/run', { policy: doc, compare: looser }, 'center_yz');
  assert.equal(r.status, 200, r.text);
  const gained = ents.filter((e) => /^[IML]/.test(e.industry) && e.employees >= 5 && e.employees < 10 && e.violations === 0);
  assert.equal(r.body.gained.length, gained.length);
  assert.equal(r.body.lost.length, 0);

  // notices: recorded once
  r = await post('/api/v1/enterprise/policies/run', { code: 'MSJX-2026-01', notify: true }, 'dept_hrss');
  assert.equal(r.body.notices_added, r.body.eligible);
  r = await post('/api/v1/enterprise/policies/run', { code: 'MSJX-2026-01', notify: true }, 'dept_hrss');
  assert.equal(r.body.notices_added, 0);

  // bad rules name the field
  const bad = structuredClone(doc);
  bad.rules[2].field = 'turnover';
  r = await post('/api/v1/enterprise/policies/run', { policy: bad }, 'center_yz');
  assert.equal(r.status, 400);
  assert.equal(r.body.field, 'rules[2].field');
  const neg = structuredClone(doc);
  neg.benefit.per_employee_fen = -1;
  assert.equal((await post('/api/v1/enterprise/policies/run', { policy: neg }, 'center_yz')).body.field, 'per_employee_fen');
});

test('zhizhi policy run lists the eligible enterprises with the rule results', async () => {
  const pol = (await get('/api/v1/enterprise/policies', 'dept_hrss')).body.items.find((p) => p.code === 'MSJX-2026-02');
  const file = join(srv.dataDir, 'policy.json');
  writeFileSync(file, JSON.stringify(pol.policy));
  const api1 = (await post('/api/v1/enterprise/policies/run', { code: 'MSJX-2026-02' }, 'center_yz')).body;
  const r = run(['policy', 'run', file, '--json', '--data-dir', srv.dataDir], { maxBuffer: 256 << 20 });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.eligible, api1.eligible);
  assert.ok(out.items[0].rules.every((x) => x.passed));
  writeFileSync(file, JSON.stringify({ ...pol.policy, rules: [{ field: 'x', op: 'eq', value: 1 }] }));
  const bad = run(['policy', 'run', file, '--data-dir', srv.dataDir]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /rules\[0\]\.field/);
});

test('certificates: issued with a QR code; public verification says valid, forged, then revoked', async () => {
  const types = await api(srv.base, '/api/v1/enterprise/certificates/types');
  assert.equal(types.status, 200);
  assert.deepEqual([types.body.total, types.body.issued, types.body.abolished, types.body.reduction_rate], [22, 6, 16, '72.7']);
  let r = await post('/api/v1/enterprise/certificates', { type_code: 'ZM08', community: '500103003013', holder_name: '王五' }, 'post_jfb_qy');
  assert.equal(r.status, 400);
  assert.equal(r.body.code, 'abolished');
  assert.match(r.body.detail, /数据共享/);
  r = await post('/api/v1/enterprise/certificates', { type_code: 'ZM01', community: '500103001003', holder_name: '王五' }, 'post_jfb_qy');
  assert.equal(r.status, 404, 'a community of another street is out of scope');
  r = await post('/api/v1/enterprise/certificates', { type_code: 'ZM01', community: '500103003013', holder_name: '王小五', purpose: '入学' }, 'post_jfb_qy');
  assert.equal(r.status, 201, r.text);
  const { serial, signature } = r.body;
  assert.equal(r.body.holder, '王**');

  const page = await get(`/api/v1/enterprise/certificates/${serial}/print`, 'post_jfb_qy');
  assert.equal(page.status, 200, page.text);
  assert.match(page.text, /<svg[^>]+viewBox/);
  assert.ok(page.text.includes(`/verify/${serial}?s=${signature}`));
  assert.ok(!page.text.includes('王小五'), 'only the masked name is printed');

  let v = await api(srv.base, `/api/v1/certificates/verify/${serial}?s=${signature}`);
  assert.deepEqual([v.status, v.body.valid, v.body.status, v.body.holder], [200, true, 'valid', '王**']);
  const forged = signature.slice(0, 127) + (signature.at(-1) === '0' ? '1' : '0');
  v = await api(srv.base, `/api/v1/certificates/verify/${serial}?s=${forged}`);
  assert.deepEqual([v.body.valid, v.body.status], [false, 'forged']);
  v = await api(srv.base, '/api/v1/certificates/verify/ZM2099010199999');
  assert.deepEqual([v.body.valid, v.body.status], [false, 'unknown']);

  assert.equal((await post(`/api/v1/enterprise/certificates/${serial}/revoke`, {}, 'post_jfb_qy')).body.field, 'reason');
  r = await post(`/api/v1/enterprise/certificates/${serial}/revoke`, { reason: '申请人信息有误' }, 'post_jfb_qy');
  assert.equal(r.status, 200, r.text);
  v = await api(srv.base, `/api/v1/certificates/verify/${serial}?s=${signature}`);
  assert.deepEqual([v.body.valid, v.body.status, v.body.revoke_reason], [false, 'revoked', '申请人信息有误']);
  const html = await api(srv.base, `/verify/${serial}`);
  assert.equal(html.status, 200);
  assert.match(html.text, /已撤销/);
  const f = (await get('/api/v1/enterprise/figures', 'center_yz')).body.certificates;
  assert.equal(f.reduction_rate, '72.7');
  assert.ok(f.issued >= 21 && f.revoked >= 1);
});

test('appeals CSV opens in Excel: BOM, Chinese header, one row per appeal in scope', async () => {
  const c = await bytes('/api/v1/enterprise/appeals.csv', 'center_jfb');
  assert.equal(c.status, 200);
  assert.match(c.type, /text\/csv/);
  assert.ok(hasBom(c.buf));
  const text = c.buf.subarray(3).toString('utf8');
  assert.ok(text.startsWith('事件编号,企业,街道'));
  const n = (await get('/api/v1/enterprise/appeals', 'center_jfb')).body.items.length;
  assert.ok(n > 0);
  assert.equal(text.trim().split('\r\n').length, n + 1);
});

test('a resident requests a certificate online; the community issues it from the request', async () => {
  const before = (await get('/api/v1/enterprise/figures', 'center_yz')).body.certificates;
  // no login; an abolished type says what replaces it
  let r = await api(srv.base, '/api/v1/enterprise/certificates/requests', { method: 'POST',
    body: { type_code: 'ZM11', community: '500103003013', holder_name: '孙丽', phone: '13912345678' } });
  assert.equal(r.status, 400);
  assert.equal(r.body.code, 'abolished');
  assert.match(r.body.detail, /不动产登记/);
  r = await api(srv.base, '/api/v1/enterprise/certificates/requests', { method: 'POST',
    body: { type_code: 'ZM01', community: '500103003013', holder_name: '孙丽', phone: '1391234567' } });
  assert.equal(r.body.field, 'phone');
  r = await api(srv.base, '/api/v1/enterprise/certificates/requests', { method: 'POST',
    body: { type_code: 'ZM01', community: '500103003013', holder_name: '孙丽', phone: '13912345678', purpose: '办理居住证' } });
  assert.equal(r.status, 201, r.text);
  const id = r.body.id;

  const desk = await get('/api/v1/enterprise/certificates/requests', 'post_jfb_qy');
  const mine = desk.body.items.find((q) => q.id === id);
  assert.equal(mine.serial, '');
  assert.equal(mine.phone, '139****5678', 'the street post sees the phone masked');
  assert.ok(!(await get('/api/v1/enterprise/certificates/requests', 'center_qxg')).body.items.some((q) => q.id === id));
  assert.equal((await post(`/api/v1/enterprise/certificates/requests/${id}/issue`, {}, 'center_qxg')).status, 404);

  r = await post(`/api/v1/enterprise/certificates/requests/${id}/issue`, {}, 'post_jfb_qy');
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.holder, '孙*');
  assert.ok(r.body.issued_at >= r.body.requested_at);
  assert.equal((await post(`/api/v1/enterprise/certificates/requests/${id}/issue`, {}, 'post_jfb_qy')).status, 409);
  const v = await api(srv.base, `/api/v1/certificates/verify/${r.body.serial}`);
  assert.equal(v.body.status, 'valid');
  const after = (await get('/api/v1/enterprise/figures', 'center_yz')).body.certificates;
  assert.equal(after.requests, before.requests + 1);
  assert.equal(after.issued, before.issued + 1);
});
