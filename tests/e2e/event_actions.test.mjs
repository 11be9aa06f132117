// The server says what each caller may do next (issue 10): every event read carries the
// caller's actions with their forms; along the closed loop, every action offered to any demo
// role, filled as its form declares (photos uploaded first), succeeds on a fresh event in that
// state, and every action not offered is refused with a Chinese message naming no internal
// state or action.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api } from './lib.mjs';

let srv;
const tok = {};
const ctx = {};
const USERS = ['center_jfb', 'center_yz', 'grid_jfb', 'dept_urban', 'dept_eco', 'post_jfb_cg',
  'auditor_yz', 'volunteer_jfb'];
const ACTIONS = ['accept', 'register', 'verify', 'void', 'approve_void', 'reject_void', 'dispatch',
  'sign', 'return', 'request_extension', 'approve_extension', 'reject_extension', 'feedback',
  'send_check', 'check_pass', 'check_fail', 'revisit', 'park', 'resume', 'self_handle', 'escalate',
  'assign_down', 'merge', 'supervise'];
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
  '1f15c4890000000d4944415478da63f8cfc0f01f0005000160e3f9a60000000049454e44ae426082', 'hex');

before(async () => {
  srv = await startServer(['--pwhash-cost', 'min']);
  for (const u of USERS) {
    const r = await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username: u, password: 'zhizhi-demo' } });
    assert.equal(r.status, 201, `login ${u}: ${r.text}`);
    tok[u] = r.body.token;
  }
  const me = await api(srv.base, '/api/v1/sessions/current', { token: tok.grid_jfb });
  const g = await api(srv.base, `/api/v1/regions/${me.body.user.grid}`);
  [ctx.lon, ctx.lat] = g.body.center;
  ctx.target = (await report()).code; // an open event to merge into
});
after(async () => { await srv?.stop(); });

async function report(extra = {}) {
  const r = await api(srv.base, '/api/v1/events', {
    method: 'POST', token: tok.grid_jfb,
    body: { category: '1101', title: '人行道暴露垃圾', lon: ctx.lon, lat: ctx.lat, ...extra },
  });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

let photoSerial = 0;
async function upload(user) {
  // Distinct bytes after IEND give each photo its own hash.
  const body = Buffer.concat([PNG, Buffer.from(String(photoSerial++))]);
  const r = await fetch(srv.base + '/api/v1/attachments', { method: 'POST', body, headers: { Authorization: `Bearer ${tok[user]}`, 'Content-Type': 'image/png' } });
  assert.equal(r.status, 201);
  return (await r.json()).sha256;
}

// What a client builds from the form alone: required fields and defaults.
async function fill(user, action) {
  const body = {};
  for (const f of action.fields) {
    assert.ok(['string', 'text', 'integer', 'choice', 'photos', 'datetime'].includes(f.type), f.type);
    assert.equal(typeof f.label, 'string');
    assert.doesNotMatch(f.label, /[a-z_]{4,}/);
    if (!f.required && f.default === null) continue;
    if (f.type === 'text' || f.type === 'string') body[f.name] = f.name === 'into' ? ctx.target : '现场已核实处理';
    else if (f.type === 'integer') { assert.ok(f.min >= 1 && f.max >= f.min); body[f.name] = f.min; }
    else if (f.type === 'choice') body[f.name] = f.default ?? f.choices[0].value;
    else if (f.type === 'photos') {
      body[f.name] = [];
      for (let i = 0; i < f.min; i++) body[f.name].push(await upload(user));
    }
  }
  return body;
}

async function offered(user, code) {
  const r = await api(srv.base, `/api/v1/events/${code}`, { token: tok[user] });
  if (r.status === 404) return null;
  assert.equal(r.status, 200, r.text);
  assert.ok(Array.isArray(r.body.actions), `${user}: actions`);
  return r.body.actions;
}

async function take(user, code, action) {
  return api(srv.base, `/api/v1/events/${code}/actions/${action.name}`, { method: 'POST', token: tok[user], body: await fill(user, action) });
}

// The happy path: who moves the event on from each state, by which action.
const PATH = [['center_jfb', 'register'], ['center_jfb', 'dispatch'], ['dept_urban', 'sign'],
  ['dept_urban', 'request_extension'], ['center_jfb', 'approve_extension'],
  ['dept_urban', 'feedback'], ['center_jfb', 'send_check'], ['grid_jfb', 'check_pass'],
  ['center_jfb', 'revisit']];

async function eventAtStep(n) {
  const e = await report();
  for (let i = 0; i < n; i++) {
    const [user, name] = PATH[i];
    const a = (await offered(user, e.code)).find(x => x.name === name);
    assert.ok(a, `${user} offered ${name} at step ${i}`);
    const r = await take(user, e.code, a);
    assert.equal(r.status, 200, `${name}: ${r.text}`);
  }
  return e.code;
}

test('along the loop every offered action succeeds and every other one is refused', async () => {
  let tried = 0, refused = 0;
  for (let step = 0; step <= PATH.length; step++) {
    const code = await eventAtStep(step);
    for (const user of USERS) {
      const acts = await offered(user, code);
      const names = (acts ?? []).map(a => a.name);
      for (const name of ACTIONS) {
        if (names.includes(name)) continue;
        const r = await api(srv.base, `/api/v1/events/${code}/actions/${name}`, {
          method: 'POST', token: tok[user],
          body: { reason: '理由', comment: '说明', result: '结果', hours: 8, satisfaction: 'satisfied', into: ctx.target },
        });
        assert.ok(r.status >= 400 && r.status < 500, `${user} ${name} at step ${step}: ${r.status}`);
        assert.doesNotMatch(r.body.detail, /[a-z_]{4,}/, `${user} ${name}: ${r.body.detail}`);
        refused++;
      }
      for (const a of acts ?? []) {
        const fresh = await eventAtStep(step);
        const r = await take(user, fresh, a);
        assert.equal(r.status, 200, `${user} ${a.name} at step ${step}: ${r.text}`);
        assert.ok(Array.isArray(r.body.actions));
        tried++;
      }
    }
  }
  assert.ok(tried > 20, `tried ${tried}`);
  assert.ok(refused > 500, `refused ${refused}`);
});

test('a public report must be verified before 立案; the refusal names no internal state', async () => {
  const r = await api(srv.base, '/api/v1/public/reports', { method: 'POST', body: { grid: (await api(srv.base, '/api/v1/sessions/current', { token: tok.grid_jfb })).body.user.grid, category: '1101', title: '楼下垃圾没人清' } });
  assert.equal(r.status, 201, r.text);
  const list = await api(srv.base, '/api/v1/events?channel=citizen_qr&limit=5', { token: tok.center_jfb });
  const e = list.body.items.find(x => x.tracking === r.body.tracking);
  assert.ok(e);
  const names = e.actions.map(a => a.name); // list items carry the actions too (names and labels)
  assert.ok(names.includes('accept'));
  assert.ok(!names.includes('register'));
  const x = await api(srv.base, `/api/v1/events/${e.code}/actions/register`, { method: 'POST', token: tok.center_jfb, body: {} });
  assert.equal(x.status, 409);
  assert.doesNotMatch(x.body.detail, /[a-z_]{4,}/);
});

test('dispatch defaults to the routing table department; re-dispatch after 退回 takes its reason', async () => {
  const code = await eventAtStep(2); // dispatched to urban
  let acts = await offered('dept_urban', code);
  const ret = acts.find(a => a.name === 'return');
  assert.equal(ret.fields.find(f => f.name === 'reason').required, true);
  assert.equal((await take('dept_urban', code, ret)).body.state, 'returned');
  acts = await offered('center_jfb', code);
  const d = acts.find(a => a.name === 'dispatch');
  const dept = d.fields.find(f => f.name === 'department');
  assert.equal(dept.type, 'choice');
  assert.equal(dept.default, 'urban');
  assert.ok(dept.choices.some(c => c.value === 'eco' && /生态环境/.test(c.label)));
  const reason = d.fields.find(f => f.name === 'reason');
  assert.equal(reason.required, true);
  assert.equal(reason.label, '改派理由');
  // another department with the reason as the form names it
  const r = await api(srv.base, `/api/v1/events/${code}/actions/dispatch`, { method: 'POST', token: tok.center_jfb, body: { department: 'eco', reason: '属环保职责' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.department, 'eco');
  assert.equal(r.body.department_name, '区生态环境局');
});

test('申请延期 declares its duration in hours within 1..2160', async () => {
  const code = await eventAtStep(3);
  const a = (await offered('dept_urban', code)).find(x => x.name === 'request_extension');
  const h = a.fields.find(f => f.name === 'hours');
  assert.deepEqual([h.type, h.required, h.min, h.max], ['integer', true, 1, 2160]);
  assert.match(h.label, /小时/);
  let r = await api(srv.base, `/api/v1/events/${code}/actions/request_extension`, { method: 'POST', token: tok.dept_urban, body: { hours: 2161, reason: '材料未到' } });
  assert.equal(r.status, 400);
  assert.equal(r.body.field, 'hours');
  r = await api(srv.base, `/api/v1/events/${code}/actions/request_extension`, { method: 'POST', token: tok.dept_urban, body: { hours: 1, reason: '材料未到' } });
  assert.equal(r.status, 200, r.text);
  assert.ok(!r.body.actions.some(x => x.name === 'request_extension'));
});

test('自处理 is offered only for classes that allow it, with photos required', async () => {
  const ok = await report({ category: '1101' });
  let a = (await offered('grid_jfb', ok.code)).find(x => x.name === 'self_handle');
  const ph = a.fields.find(f => f.name === 'attachments');
  assert.deepEqual([ph.type, ph.required, ph.min, ph.max], ['photos', true, 1, 3]);
  const cats = (await api(srv.base, '/api/v1/categories')).body.items;
  const no = cats.find(c => !c.self_handle && /井盖/.test(c.name));
  const e = await report({ category: no.code, title: '井盖缺失' });
  a = (await offered('grid_jfb', e.code)).find(x => x.name === 'self_handle');
  assert.equal(a, undefined);
});

test('an attachment links only for who uploaded it or can read it; unknown and foreign answer alike', async () => {
  const mine = await upload('grid_jfb');
  // another district's center never saw it: linking it by hash is refused like an unknown hash
  const other = await upload('dept_eco');
  const e = await report();
  const foreign = await api(srv.base, `/api/v1/events/${e.code}/actions/accept`, { method: 'POST', token: tok.center_jfb, body: { attachments: [other] } });
  const unknown = await api(srv.base, `/api/v1/events/${e.code}/actions/accept`, { method: 'POST', token: tok.center_jfb, body: { attachments: ['f'.repeat(64)] } });
  assert.equal(foreign.status, 400);
  assert.equal(foreign.body.code, 'unknown_attachment');
  assert.equal(foreign.body.field, 'attachments');
  assert.deepEqual([unknown.status, unknown.body.code, unknown.body.detail], [foreign.status, foreign.body.code, foreign.body.detail]);
  assert.ok(!foreign.body.detail.includes(other));
  // the uploader may attach it; then whoever reads the event may attach it again
  const r = await api(srv.base, '/api/v1/events', { method: 'POST', token: tok.grid_jfb, body: { category: '1101', title: '带照片', lon: ctx.lon, lat: ctx.lat, attachments: [mine] } });
  assert.equal(r.status, 201, r.text);
  const ok = await api(srv.base, `/api/v1/events/${r.body.code}/actions/accept`, { method: 'POST', token: tok.center_jfb, body: { attachments: [mine] } });
  assert.equal(ok.status, 200, ok.text);
  // identical bytes uploaded by two people: both may use the one file
  const png2 = Buffer.concat([PNG, Buffer.from('same')]);
  for (const u of ['dept_eco', 'grid_jfb']) {
    const up = await fetch(srv.base + '/api/v1/attachments', { method: 'POST', body: png2, headers: { Authorization: `Bearer ${tok[u]}`, 'Content-Type': 'image/png' } });
    assert.equal(up.status, 201);
  }
  const sha = (await (await fetch(srv.base + '/api/v1/attachments', { method: 'POST', body: png2, headers: { Authorization: `Bearer ${tok.grid_jfb}`, 'Content-Type': 'image/png' } })).json()).sha256;
  const both = await api(srv.base, '/api/v1/events', { method: 'POST', token: tok.grid_jfb, body: { category: '1101', title: '同一照片', lon: ctx.lon, lat: ctx.lat, attachments: [sha] } });
  assert.equal(both.status, 201, both.text);
});
