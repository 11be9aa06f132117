// The event closed loop end to end, with the demo accounts of several roles: a grid worker's
// report dispatched, handled, checked and closed; a citizen report verified then voided; an
// overdue event escalated to the district; a failed check counted as rework; duplicates,
// attachments, category import, lists and full-text search, the residents' tracking page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api } from './lib.mjs';

let srv;
const tok = {};
const ctx = {};

const USERS = ['center_jfb', 'center_yz', 'center_qxg', 'grid_jfb', 'dept_urban', 'dept_eco',
  'post_jfb_cg', 'auditor_yz', 'volunteer_jfb'];

before(async () => {
  srv = await startServer(['--pwhash-cost', 'min']);
  for (const u of USERS) {
    const r = await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username: u, password: 'zhizhi-demo' } });
    assert.equal(r.status, 201, `login ${u}: ${r.text}`);
    tok[u] = r.body.token;
  }
  const m = srv.log().match(/first administrator: admin, password: (\S+)/);
  const r = await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username: 'admin', password: m[1] } });
  tok.admin = r.body.token;
  const me = await api(srv.base, '/api/v1/sessions/current', { token: tok.grid_jfb });
  ctx.grid = me.body.user.grid;
  const g = await api(srv.base, `/api/v1/regions/${ctx.grid}`);
  [ctx.lon, ctx.lat] = g.body.center;
});
after(async () => { await srv?.stop(); });

async function act(user, code, action, body = {}) {
  return api(srv.base, `/api/v1/events/${code}/actions/${action}`, { method: 'POST', body, token: tok[user] });
}

async function report(user, extra = {}) {
  const r = await api(srv.base, '/api/v1/events', {
    method: 'POST', token: tok[user],
    body: { category: '1101', title: '人行道暴露垃圾', description: '解放碑步行街东侧垃圾堆放', lon: ctx.lon, lat: ctx.lat, ...extra },
  });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

test('a grid worker report is registered, dispatched, handled, checked, closed and revisited', async () => {
  const e = await report('grid_jfb');
  assert.equal(e.state, 'reported');
  assert.equal(e.channel, 'grid_patrol');
  assert.equal(e.grid, ctx.grid);
  assert.match(e.code, /^500103-\d{8}-\d{5}$/);

  // the grid worker may not dispatch; an unrelated department does not even see it
  assert.equal((await act('grid_jfb', e.code, 'register')).status, 403);
  assert.equal((await act('dept_eco', e.code, 'sign')).status, 404);
  // a street center of another street does not see it either
  assert.equal((await act('center_qxg', e.code, 'register')).status, 404);

  let r = await act('center_jfb', e.code, 'register');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'registered');
  r = await act('center_jfb', e.code, 'dispatch');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.department, 'urban');
  assert.ok(r.body.handle_due_at);

  // illegal: feedback before signing names state and action in Chinese, no internal names
  r = await act('dept_urban', e.code, 'feedback', { result: '已清运' });
  assert.equal(r.status, 409);
  assert.equal(r.body.code, 'illegal_transition');
  assert.match(r.body.detail, /派遣/);
  assert.match(r.body.detail, /处置反馈/);
  assert.doesNotMatch(r.body.detail, /dispatched|feedback/);

  assert.equal((await act('dept_urban', e.code, 'sign')).body.state, 'handling');
  assert.equal((await act('dept_urban', e.code, 'feedback', { result: '已清运' })).body.state, 'feedback');
  // the handler may not check their own work (the role lacks the permission)
  assert.equal((await act('dept_urban', e.code, 'check_pass')).status, 403);
  assert.equal((await act('center_jfb', e.code, 'send_check')).body.state, 'checking');
  r = await act('grid_jfb', e.code, 'check_pass', { comment: '现场已清理干净' });
  assert.equal(r.body.state, 'closed');
  assert.ok(r.body.closed_at);
  r = await act('center_jfb', e.code, 'revisit', { satisfaction: 'satisfied' });
  assert.equal(r.body.state, 'revisited');
  assert.equal(r.body.satisfaction, 'satisfied');

  const h = await api(srv.base, `/api/v1/events/${e.code}/history`, { token: tok.center_jfb });
  assert.deepEqual(h.body.items.map((i) => i.action),
    ['report', 'register', 'dispatch', 'sign', 'feedback', 'send_check', 'check_pass', 'revisit']);
  assert.equal(h.body.items[3].actor, 'dept_urban');
  assert.equal(h.body.items[6].actor, 'grid_jfb');

  // every transition entered the audit chain
  const a = await api(srv.base, `/api/v1/audit?object_type=event&object_id=${e.code}`, { token: tok.admin });
  assert.equal(a.status, 200, a.text);
  assert.equal(a.body.items.filter((x) => x.object_id === e.code).length, 8, a.text);
});

test('a citizen QR report is verified by the grid worker, then voided with approval', async () => {
  const r0 = await api(srv.base, '/api/v1/public/reports', {
    method: 'POST',
    body: { grid: ctx.grid, category: '9102', title: '夜间施工噪声扰民', description: '晚上十一点还在施工', name: '张女士', phone: '13812345678' },
  });
  assert.equal(r0.status, 201, r0.text);
  const tracking = r0.body.tracking;
  assert.ok(tracking);
  // find it as the center
  const l = await api(srv.base, `/api/v1/events?channel=citizen_qr&q=${encodeURIComponent('夜间施工噪声')}`, { token: tok.center_jfb });
  assert.equal(l.status, 200);
  const e = l.body.items.find((x) => x.tracking === tracking);
  assert.ok(e, 'the center finds the citizen report by full-text search');
  // the center sees the phone in full (must call back); a grid worker sees it masked
  assert.equal(e.reporter.contact, '13812345678');
  const gw = await api(srv.base, `/api/v1/events/${e.code}`, { token: tok.grid_jfb });
  assert.equal(gw.body.reporter.contact, '138****5678');

  // a public report cannot be registered before verification
  let r = await act('center_jfb', e.code, 'register');
  assert.equal(r.status, 409);
  assert.equal(r.body.code, 'verification_required');
  assert.equal((await act('center_jfb', e.code, 'accept')).body.state, 'verifying');
  assert.equal((await act('grid_jfb', e.code, 'verify', { comment: '现场核实属实' })).body.state, 'registered');
  // voiding needs a reason, then an approval
  r = await act('center_jfb', e.code, 'void');
  assert.equal(r.status, 400);
  assert.equal(r.body.field, 'reason');
  assert.equal((await act('center_jfb', e.code, 'void', { reason: '施工已获夜间施工许可' })).body.state, 'void_pending');
  assert.equal((await act('center_jfb', e.code, 'approve_void')).body.state, 'voided');

  // the resident's page: public progress only
  const p = await api(srv.base, `/api/v1/public/reports/${tracking}`);
  assert.equal(p.status, 200);
  assert.equal(p.body.state, 'voided');
  assert.equal(p.body.open, false);
  assert.ok(p.body.steps.length >= 3);
  assert.doesNotMatch(p.text, /center_jfb|grid_jfb|13812345678|张女士|值班员|网格员/);
  assert.equal((await api(srv.base, '/api/v1/public/reports/NOSUCHNUMBER')).status, 404);
});

test('an overdue event is escalated to the district by the deadline sweep', async () => {
  const e = await report('grid_jfb', { category: '9101', title: '工地扬尘污染' });
  await act('center_jfb', e.code, 'register');
  const d = await act('center_jfb', e.code, 'dispatch');
  assert.equal(d.body.department, 'eco');
  const signed = await act('dept_eco', e.code, 'sign');
  assert.equal(signed.body.state, 'handling');
  assert.ok(signed.body.due_at);
  // only administrators run a sweep by hand; this one runs one second after the deadline
  assert.equal((await api(srv.base, '/api/v1/events/sweep', { method: 'POST', body: {}, token: tok.center_jfb })).status, 403);
  const at = new Date(Date.parse(signed.body.due_at) + 1000).toISOString();
  const s = await api(srv.base, '/api/v1/events/sweep', { method: 'POST', body: { at }, token: tok.admin });
  assert.equal(s.status, 200, s.text);
  assert.ok(s.body.changed >= 1);
  const g = await api(srv.base, `/api/v1/events/${e.code}`, { token: tok.center_yz });
  assert.equal(g.body.level, 'district');
  assert.equal(g.body.state, 'registered');
  assert.equal(g.body.escalations, 1);
  assert.equal(g.body.department, null);
  const h = await api(srv.base, `/api/v1/events/${e.code}/history`, { token: tok.center_yz });
  const acts = h.body.items.map((i) => i.action);
  assert.ok(acts.includes('overdue') && acts.includes('escalate'), acts.join(','));
  // the street center can no longer dispatch it; the district center can
  let r = await act('center_jfb', e.code, 'dispatch');
  assert.equal(r.status, 403);
  assert.equal(r.body.code, 'not_party');
  // 交办: the district hands it back down to the street, which dispatches it again
  r = await act('center_jfb', e.code, 'assign_down');
  assert.equal(r.status, 403);
  r = await act('center_yz', e.code, 'assign_down', { comment: '请街道牵头处置' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.level, 'street');
  r = await act('center_jfb', e.code, 'dispatch');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'dispatched');
  assert.equal(r.body.department, 'eco');
});

test('an extension is requested by the handler and approved by the center', async () => {
  const e = await report('grid_jfb', { title: '垃圾清运需协调车辆' });
  await act('center_jfb', e.code, 'register');
  await act('center_jfb', e.code, 'dispatch');
  const s = await act('dept_urban', e.code, 'sign');
  let r = await act('dept_urban', e.code, 'request_extension', { hours: 8 });
  assert.equal(r.status, 400);
  assert.equal(r.body.field, 'reason');
  r = await act('dept_urban', e.code, 'request_extension', { hours: 8, reason: '需协调清运车辆' });
  assert.equal(r.body.extension_pending, true);
  assert.equal((await act('dept_urban', e.code, 'request_extension', { hours: 8, reason: '再次' })).status, 409);
  assert.equal((await act('dept_urban', e.code, 'approve_extension')).status, 403);
  r = await act('center_jfb', e.code, 'approve_extension');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.extension_pending, false);
  assert.ok(Date.parse(r.body.handle_due_at) > Date.parse(s.body.handle_due_at));
});

test('a failed check sends the event back to handling and counts as rework', async () => {
  const e = await report('grid_jfb', { title: '绿化带垃圾未清' });
  await act('center_jfb', e.code, 'register');
  await act('center_jfb', e.code, 'dispatch');
  await act('dept_urban', e.code, 'sign');
  await act('dept_urban', e.code, 'feedback', { result: '已清理' });
  await act('center_jfb', e.code, 'send_check');
  let r = await act('grid_jfb', e.code, 'check_fail');
  assert.equal(r.status, 400);
  assert.equal(r.body.field, 'reason');
  r = await act('grid_jfb', e.code, 'check_fail', { reason: '仍有垃圾残留' });
  assert.equal(r.body.state, 'handling');
  assert.equal(r.body.rework_count, 1);
  await act('dept_urban', e.code, 'feedback', { result: '已彻底清理' });
  await act('center_jfb', e.code, 'send_check');
  r = await act('grid_jfb', e.code, 'check_pass');
  assert.equal(r.body.state, 'closed');
  assert.equal(r.body.rework_count, 1);
  // 不满意 reopens once
  r = await act('center_jfb', e.code, 'revisit', { satisfaction: 'unsatisfied' });
  assert.equal(r.body.state, 'handling');
  assert.equal(r.body.reopen_count, 1);
});

test('returned twice, an event goes up to the district automatically', async () => {
  const e = await report('grid_jfb', { title: '垃圾桶满溢无人清理' });
  await act('center_jfb', e.code, 'register');
  await act('center_jfb', e.code, 'dispatch');
  let r = await act('dept_urban', e.code, 'return', { reason: '不属于本单位职责' });
  assert.equal(r.body.state, 'returned');
  assert.equal(r.body.level, 'street');
  r = await act('center_jfb', e.code, 'dispatch', { department: 'urban', reason: '经核实属城管职责' });
  assert.equal(r.status, 200, r.text);
  r = await act('dept_urban', e.code, 'return', { reason: '仍不属于本单位' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.level, 'district');
  assert.equal(r.body.return_count, 2);
});

test('likely duplicates are offered at intake, and a merged code redirects', async () => {
  const a = await report('grid_jfb', { category: '1105', title: '墙面乱张贴小广告' });
  const b = await report('grid_jfb', { category: '1105', title: '同一处墙面小广告' });
  assert.ok(b.duplicates.some((d) => d.code === a.code), JSON.stringify(b.duplicates));
  const r = await act('center_jfb', b.code, 'merge', { into: a.code });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'merged');
  const g = await api(srv.base, `/api/v1/events/${b.code}`, { token: tok.center_jfb });
  assert.equal(g.body.code, a.code);
  assert.equal(g.body.redirected_from, b.code);
  const h = await api(srv.base, `/api/v1/events/${a.code}/history`, { token: tok.center_jfb });
  assert.ok(h.body.items.some((i) => i.event === b.code), 'merge keeps both histories');
});

test('attachments: images only, content-addressed, visible only with the event', async () => {
  const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d4944415478da63f8cfc0f01f0005000160e3f9a60000000049454e44ae426082', 'hex');
  const up = await fetch(srv.base + '/api/v1/attachments', { method: 'POST', body: png, headers: { Authorization: `Bearer ${tok.grid_jfb}`, 'Content-Type': 'image/png' } });
  assert.equal(up.status, 201);
  const { sha256 } = await up.json();
  assert.match(sha256, /^[0-9a-f]{64}$/);
  const gif = await fetch(srv.base + '/api/v1/attachments', { method: 'POST', body: Buffer.from('GIF89a....'), headers: { Authorization: `Bearer ${tok.grid_jfb}` } });
  assert.equal(gif.status, 415);
  const e = await report('grid_jfb', { title: '垃圾箱破损有照片', category: '0302', attachments: [sha256] });
  // 自处理: a minor event closed on the spot with the photo
  const r = await act('grid_jfb', e.code, 'self_handle', { comment: '已现场处理', attachments: [sha256] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'closed');
  const ok = await fetch(`${srv.base}/api/v1/attachments/${sha256}`, { headers: { Authorization: `Bearer ${tok.center_jfb}` } });
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get('content-type'), 'image/png');
  const no = await fetch(`${srv.base}/api/v1/attachments/${sha256}`, { headers: { Authorization: `Bearer ${tok.dept_eco}` } });
  assert.equal(no.status, 404);
  const anon = await fetch(`${srv.base}/api/v1/attachments/${sha256}`);
  assert.equal(anon.status, 401);
});

test('categories: listed publicly, CSV import refused as a whole on a bad line', async () => {
  const l = await api(srv.base, '/api/v1/categories');
  assert.equal(l.status, 200);
  const names = l.body.items.map((c) => c.name);
  for (const n of ['矛盾纠纷', '欠薪', '物业服务', '生活污水溢流', '噪声扰民', '扬尘', '油烟', '河湖问题', '企业诉求', '消防隐患', '占道经营'])
    assert.ok(names.includes(n), n);
  const header = 'code,name,major,kind,board,department,unit,verify,dispatch,handle,check,self_handle,urgent\n';
  const bad = header + '9901,共享单车乱停,街面秩序,event,livelihood,urban,wh,2,1,4,2,1,0\n9902,坏行,街面秩序,event,nosuchboard,urban,wh,2,1,4,2,1,0\n';
  let r = await api(srv.base, '/api/v1/categories.csv', { method: 'POST', body: bad, raw: true, headers: { 'Content-Type': 'text/csv' }, token: tok.admin });
  assert.equal(r.status, 400);
  assert.equal(r.body.field, 'board');
  assert.ok(!(await api(srv.base, '/api/v1/categories')).body.items.some((c) => c.code === '9901'), 'nothing imported');
  r = await api(srv.base, '/api/v1/categories.csv', { method: 'POST', body: bad, raw: true, headers: { 'Content-Type': 'text/csv' }, token: tok.center_jfb });
  assert.equal(r.status, 403);
  const good = header + '9901,共享单车乱停,街面秩序,event,livelihood,urban,wh,2,1,4,2,1,0\n';
  r = await api(srv.base, '/api/v1/categories.csv', { method: 'POST', body: good, raw: true, headers: { 'Content-Type': 'text/csv' }, token: tok.admin });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.imported, 1);
});

test('lists are scoped, filtered and paged with a cursor', async () => {
  assert.equal((await api(srv.base, '/api/v1/events')).status, 401);
  const first = await api(srv.base, '/api/v1/events?limit=5', { token: tok.center_jfb });
  assert.equal(first.status, 200);
  assert.equal(first.body.items.length, 5);
  assert.ok(first.body.items.every((e) => e.street === '500103003'));
  const second = await api(srv.base, `/api/v1/events?limit=5&cursor=${first.body.next}`, { token: tok.center_jfb });
  const codes = new Set(first.body.items.map((e) => e.code));
  assert.ok(second.body.items.every((e) => !codes.has(e.code)));
  const dept = await api(srv.base, '/api/v1/events?limit=200', { token: tok.dept_eco });
  assert.ok(dept.body.items.every((e) => e.department === 'eco'));
  const bad = await api(srv.base, '/api/v1/events?status=nonsense', { token: tok.center_jfb });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.field, 'status');
  const open = await api(srv.base, '/api/v1/events?status=open&limit=50', { token: tok.center_yz });
  assert.ok(open.body.items.every((e) => !['closed', 'revisited', 'voided', 'merged'].includes(e.state)));
  const red = await api(srv.base, '/api/v1/events?overdue=1&limit=500', { token: tok.center_yz });
  assert.equal(red.status, 200);
  assert.ok(red.body.items.every((e) => e.alert === 'red'));
  const range = await api(srv.base, '/api/v1/events?from=2000-01-01&to=2000-01-02', { token: tok.center_yz });
  assert.deepEqual(range.body.items, []);
  assert.equal((await api(srv.base, '/api/v1/events?from=yesterday', { token: tok.center_yz })).body.field, 'from');
  // two Chinese characters still search (substring fallback under the trigram minimum)
  const q2 = await api(srv.base, `/api/v1/events?q=${encodeURIComponent('扬尘')}`, { token: tok.center_yz });
  assert.ok(q2.body.items.length >= 1);
  // unknown action: 404; bad body: 400
  assert.equal((await act('center_jfb', first.body.items[0].code, 'fly')).status, 404);
});

// Read SSE messages of type `event` from a streaming fetch until pred matches one.
async function nextEvent(reader, state, pred) {
  const dec = new TextDecoder();
  for (;;) {
    const parts = state.buf.split('\n\n');
    state.buf = parts.pop();
    for (const p of parts) {
      const type = /^event: (.*)$/m.exec(p)?.[1];
      const data = /^data: (.*)$/m.exec(p)?.[1];
      if (type === 'event' && data) {
        const msg = JSON.parse(data);
        if (!pred || pred(msg)) return msg;
      }
    }
    const { value, done } = await reader.read();
    if (done) throw new Error('stream ended');
    state.buf += dec.decode(value, { stream: true });
  }
}

async function openStream(user) {
  const ac = new AbortController();
  const res = await fetch(`${srv.base}/api/v1/stream`, { headers: { Authorization: `Bearer ${tok[user]}` }, signal: ac.signal });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /text\/event-stream/);
  const reader = res.body.getReader();
  const state = { buf: '' };
  // wait for the greeting so that later publications reach this client
  const dec = new TextDecoder();
  while (!state.buf.includes(': connected')) {
    const { value } = await reader.read();
    state.buf += dec.decode(value, { stream: true });
  }
  state.buf = '';
  return { reader, state, close: () => { ac.abort(); reader.cancel().catch(() => {}); } };
}

test('live updates reach only callers whose jurisdiction holds the event', async () => {
  assert.equal((await api(srv.base, '/api/v1/stream')).status, 401);
  const grids = await api(srv.base, '/api/v1/regions?level=grid&limit=5000');
  const other = grids.body.items.find((g) => g.code.startsWith('500103001'));
  const jfb = await openStream('center_jfb');
  const qxg = await openStream('center_qxg');
  const eco = await openStream('dept_eco');
  try {
    const mine = await report('grid_jfb', { title: '直播测试：解放碑' });
    const r = await api(srv.base, '/api/v1/events', {
      method: 'POST', token: tok.center_qxg,
      body: { category: '1101', title: '直播测试：七星岗', lon: other.center[0], lat: other.center[1] },
    });
    assert.equal(r.status, 201, r.text);
    const got = await nextEvent(jfb.reader, jfb.state, (m) => m.code === mine.code);
    assert.equal(got.state, 'reported');
    // 七星岗's first message is its own event: 解放碑's, published earlier, was filtered out
    const first = await nextEvent(qxg.reader, qxg.state, (m) => m.code === mine.code || m.code === r.body.code);
    assert.equal(first.code, r.body.code);
    // a department hears of an event once it is dispatched to it, and not of the others
    await act('center_jfb', mine.code, 'register');
    await act('center_jfb', mine.code, 'dispatch', { department: 'eco', reason: '测试改派' });
    const seen = await nextEvent(eco.reader, eco.state, (m) => m.code === mine.code || m.code === r.body.code);
    assert.equal(seen.code, mine.code);
    assert.equal(seen.state, 'dispatched');
  } finally {
    jfb.close();
    qxg.close();
    eco.close();
  }
});

test('the routing table sends a class to a board post, with a manual override on record', async () => {
  let r = await api(srv.base, '/api/v1/event-routes', {
    method: 'PUT', token: tok.center_jfb,
    body: { category: '1103', region: '500103003', post: '500103003-cg' },
  });
  assert.equal(r.status, 200, r.text);
  r = await api(srv.base, '/api/v1/event-routes', { method: 'PUT', token: tok.center_qxg, body: { category: '1103', region: '500103003', post: '500103003-cg' } });
  assert.equal(r.status, 404);
  r = await api(srv.base, '/api/v1/event-routes', { method: 'PUT', token: tok.center_jfb, body: { category: '1103', region: '500103003', post: '500103003-cg', department: 'urban' } });
  assert.equal(r.status, 400);
  r = await api(srv.base, '/api/v1/event-routes', { method: 'PUT', token: tok.center_jfb, body: { category: '1103', region: '500103003', post: '500103001-cg' } });
  assert.equal(r.status, 400);
  assert.equal(r.body.field, 'post');
  assert.equal((await api(srv.base, '/api/v1/event-routes', { method: 'PUT', token: tok.grid_jfb, body: {} })).status, 403);
  const list = await api(srv.base, '/api/v1/event-routes', { token: tok.center_jfb });
  assert.ok(list.body.items.some((x) => x.category === '1103' && x.post === '500103003-cg'));

  const e = await report('grid_jfb', { category: '1103', title: '路面油污不洁' });
  await act('center_jfb', e.code, 'register');
  r = await act('center_jfb', e.code, 'dispatch');
  assert.equal(r.body.post, '500103003-cg');
  assert.equal(r.body.department, null);
  assert.equal((await act('post_jfb_cg', e.code, 'sign')).body.state, 'handling');
  // a manual override needs a reason and is kept in the history
  const e2 = await report('grid_jfb', { category: '1103', title: '路面泥土不洁' });
  await act('center_jfb', e2.code, 'register');
  r = await act('center_jfb', e2.code, 'dispatch', { department: 'urban' });
  assert.equal(r.status, 400);
  assert.equal(r.body.field, 'reason');
  r = await act('center_jfb', e2.code, 'dispatch', { department: 'urban', reason: '需专业清洗设备' });
  assert.equal(r.body.department, 'urban');
  const h = await api(srv.base, `/api/v1/events/${e2.code}/history`, { token: tok.center_jfb });
  const d = h.body.items.find((i) => i.action === 'dispatch');
  assert.equal(d.department, 'urban');
  assert.match(d.comment, /需专业清洗设备/);
});

// Two tiny images told apart by a trailing byte (the server checks magic bytes only).
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
  '1f15c4890000000d4944415478da63f8cfc0f01f0005000160e3f9a60000000049454e44ae426082', 'hex');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]);

async function postPhoto(base, body) {
  const r = await fetch(base + '/api/v1/public/photos', { method: 'POST', body, headers: { 'Content-Type': 'application/octet-stream' } });
  return { status: r.status, body: await r.json(), headers: r.headers };
}

test('residents attach up to two photos to a public report; staff see them, the public never', async () => {
  const a = await postPhoto(srv.base, PNG);
  assert.equal(a.status, 201, JSON.stringify(a.body));
  assert.match(a.body.photo, /^[0-9a-f]{32}$/);
  const b = await postPhoto(srv.base, JPEG);
  assert.equal(b.status, 201);
  const gif = await postPhoto(srv.base, Buffer.from('GIF89a......'));
  assert.equal(gif.status, 415);
  assert.equal(gif.body.code, 'unsupported_media');
  const big = await postPhoto(srv.base, Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]));
  assert.equal(big.status, 413);

  const body = { grid: ctx.grid, category: '1101', title: '楼下垃圾堆放多日', description: '附照片' };
  let r = await api(srv.base, '/api/v1/public/reports', { method: 'POST', body: { ...body, photos: [a.body.photo, b.body.photo, a.body.photo] } });
  assert.equal(r.status, 400);
  assert.equal(r.body.field, 'photos');
  r = await api(srv.base, '/api/v1/public/reports', { method: 'POST', body: { ...body, photos: [a.body.photo, b.body.photo] } });
  assert.equal(r.status, 201, r.text);
  // a token goes with one report only
  const again = await api(srv.base, '/api/v1/public/reports', { method: 'POST', body: { ...body, photos: [a.body.photo] } });
  assert.equal(again.status, 400);
  assert.equal(again.body.code, 'unknown_photo');
  assert.equal(again.body.field, 'photos');

  const l = await api(srv.base, `/api/v1/events?channel=citizen_qr&q=${encodeURIComponent('垃圾堆放多日')}`, { token: tok.center_jfb });
  const e = l.body.items.find((x) => x.tracking === r.body.tracking);
  assert.ok(e, l.text);
  const h = await api(srv.base, `/api/v1/events/${e.code}/history`, { token: tok.center_jfb });
  const shas = h.body.items[0].attachments;
  assert.equal(shas.length, 2);
  const got = await fetch(`${srv.base}/api/v1/attachments/${shas[0]}`, { headers: { Authorization: `Bearer ${tok.center_jfb}` } });
  assert.equal(got.status, 200);
  assert.deepEqual(Buffer.from(await got.arrayBuffer()), PNG);
  assert.equal((await fetch(`${srv.base}/api/v1/attachments/${shas[0]}`)).status, 401);
  const pub = await api(srv.base, `/api/v1/public/reports/${r.body.tracking}`);
  assert.doesNotMatch(pub.text, new RegExp(shas[0]));
});

test('volunteers read the events of their own grid, add remarks and take no action', async () => {
  const e = await report('grid_jfb', { title: '志愿者可见：井盖松动', category: '0101' });
  const cit = await api(srv.base, '/api/v1/events', { token: tok.volunteer_jfb });
  assert.equal(cit.status, 200);
  assert.ok(cit.body.items.length >= 1);
  assert.ok(cit.body.items.every((x) => x.grid === ctx.grid), 'only their grid');
  const g = await api(srv.base, `/api/v1/events/${e.code}`, { token: tok.volunteer_jfb });
  assert.equal(g.status, 200);
  assert.equal((await api(srv.base, `/api/v1/events/${e.code}/history`, { token: tok.volunteer_jfb })).status, 200);
  // the phone of the citizen reporter of their grid (the QR test above) is masked for them
  const q = await api(srv.base, `/api/v1/events?q=${encodeURIComponent('夜间施工噪声')}`, { token: tok.volunteer_jfb });
  assert.equal(q.body.items.length, 1, q.text);
  assert.equal(q.body.items[0].reporter.contact, '138****5678');
  assert.doesNotMatch(q.text, /13812345678/);
  // no workflow action, no intake, no upload
  for (const action of ['accept', 'register', 'verify', 'void', 'check_pass', 'self_handle'])
    assert.equal((await act('volunteer_jfb', e.code, action, { reason: 'x', comment: 'x' })).status, 403, action);
  assert.equal((await api(srv.base, '/api/v1/events', { method: 'POST', token: tok.volunteer_jfb, body: { category: '1101', title: 'x', lon: ctx.lon, lat: ctx.lat } })).status, 403);
  // a remark on the record (反馈备注) is the one thing they add
  const n = await api(srv.base, `/api/v1/events/${e.code}/notes`, { method: 'POST', token: tok.volunteer_jfb, body: { comment: '井盖仍在松动，已设置提醒' } });
  assert.equal(n.status, 201, n.text);
  const hist = await api(srv.base, `/api/v1/events/${e.code}/history`, { token: tok.center_jfb });
  const note = hist.body.items.find((i) => i.action === 'note');
  assert.equal(note.actor, 'volunteer_jfb');
  assert.equal(note.comment, '井盖仍在松动，已设置提醒');
  assert.equal((await api(srv.base, `/api/v1/events/${e.code}`, { token: tok.center_jfb })).body.state, 'reported');
  const empty = await api(srv.base, `/api/v1/events/${e.code}/notes`, { method: 'POST', token: tok.volunteer_jfb, body: { comment: '' } });
  assert.equal(empty.status, 400);
  assert.equal(empty.body.field, 'comment');
  // an event of another street stays invisible
  const grids = await api(srv.base, '/api/v1/regions?level=grid&limit=5000');
  const other = grids.body.items.find((x) => x.code.startsWith('500103001'));
  const o = await api(srv.base, '/api/v1/events', { method: 'POST', token: tok.center_qxg, body: { category: '1101', title: '七星岗事件', lon: other.center[0], lat: other.center[1] } });
  assert.equal(o.status, 201, o.text);
  assert.equal((await api(srv.base, `/api/v1/events/${o.body.code}`, { token: tok.volunteer_jfb })).status, 404);
  assert.equal((await api(srv.base, `/api/v1/events/${o.body.code}/notes`, { method: 'POST', token: tok.volunteer_jfb, body: { comment: 'x' } })).status, 404);
});

test('public reports are limited per client address: 429 with Retry-After, staff unaffected', async () => {
  const s2 = await startServer(['--pwhash-cost', 'min', '--public-report-limit', '2', '--public-report-window', '600']);
  try {
    const grids = await api(s2.base, '/api/v1/regions?level=grid&limit=1');
    const grid = grids.body.items[0].code;
    const post = (body) => api(s2.base, '/api/v1/public/reports', { method: 'POST', body });
    const ok = { grid, category: '9102', title: '夜间噪声' };
    // refused reports do not count
    assert.equal((await post({ grid, category: '9102' })).status, 400);
    assert.equal((await post(ok)).status, 201);
    assert.equal((await post(ok)).status, 201);
    const r = await post(ok);
    assert.equal(r.status, 429);
    assert.match(r.headers.get('content-type'), /application\/problem\+json/);
    assert.equal(r.body.code, 'rate_limited');
    const wait = Number(r.headers.get('retry-after'));
    assert.ok(Number.isInteger(wait) && wait >= 1 && wait <= 600, r.headers.get('retry-after'));
    // photos have their own allowance (two per report allowed)
    assert.equal((await postPhoto(s2.base, PNG)).status, 201);
    // staff intake is not rate-limited
    const login = await api(s2.base, '/api/v1/sessions', { method: 'POST', body: { username: 'center_jfb', password: 'zhizhi-demo' } });
    const me = await api(s2.base, '/api/v1/sessions/current', { token: login.body.token });
    assert.equal(me.status, 200);
    const g = await api(s2.base, '/api/v1/regions?level=grid&limit=5000');
    const mine = g.body.items.find((x) => x.code.startsWith('500103003'));
    for (let i = 0; i < 3; i++) {
      const c = await api(s2.base, '/api/v1/events', { method: 'POST', token: login.body.token, body: { category: '1101', title: `值班录入${i}`, lon: mine.center[0], lat: mine.center[1] } });
      assert.equal(c.status, 201, c.text);
    }
  } finally {
    await s2.stop();
  }
});
