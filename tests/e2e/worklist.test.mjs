// 待我处理 and the exported list (issue 10 #6, #7): every list item says whose step it is and
// whether it is the caller's; mine=1 keeps the caller's own steps (the grid worker's 核实 and
// 核查, the department's 签收 and 处置, the center's 受理/立案/派遣…); sort and paging are the
// server's; GET /api/v1/events.csv gives the same list as UTF-8 CSV with a BOM and masked phones.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api } from './lib.mjs';

let srv;
const tok = {};
const ctx = {};

before(async () => {
  srv = await startServer(['--pwhash-cost', 'min']);
  for (const u of ['center_jfb', 'grid_jfb', 'dept_urban', 'post_jfb_cg', 'auditor_yz']) {
    const r = await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username: u, password: 'zhizhi-demo' } });
    assert.equal(r.status, 201, r.text);
    tok[u] = r.body.token;
  }
  const me = await api(srv.base, '/api/v1/sessions/current', { token: tok.grid_jfb });
  ctx.grid = me.body.user.grid;
  const g = await api(srv.base, `/api/v1/regions/${ctx.grid}`);
  [ctx.lon, ctx.lat] = g.body.center;
});
after(async () => { await srv?.stop(); });

async function report(extra = {}) {
  const r = await api(srv.base, '/api/v1/events', {
    method: 'POST', token: tok.center_jfb,
    body: { category: '1101', title: '人行道暴露垃圾', lon: ctx.lon, lat: ctx.lat, ...extra },
  });
  assert.equal(r.status, 201, r.text);
  return r.body.code;
}

async function act(user, code, name) {
  const e = await api(srv.base, `/api/v1/events/${code}`, { token: tok[user] });
  const a = e.body.actions.find(x => x.name === name);
  assert.ok(a, `${user} is offered ${name}`);
  const body = {};
  for (const f of a.fields) {
    if (!f.required) continue;
    body[f.name] = f.default ?? (f.type === 'integer' ? f.min : f.type === 'choice' ? f.choices[0].value : '现场已处理');
  }
  const r = await api(srv.base, `/api/v1/events/${code}/actions/${name}`, { method: 'POST', token: tok[user], body });
  assert.equal(r.status, 200, `${name}: ${r.text}`);
}

async function mine(user, extra = '') {
  const r = await api(srv.base, `/api/v1/events?mine=1&status=open&limit=5000${extra}`, { token: tok[user] });
  assert.equal(r.status, 200, r.text);
  return r.body.items;
}

test('each list item says whose step it is; mine=1 keeps exactly the caller\'s steps', async () => {
  const code = await report(); // reported: the center's turn (受理/立案)
  let e = (await api(srv.base, `/api/v1/events/${code}`, { token: tok.grid_jfb })).body;
  assert.equal(e.turn, 'center');
  assert.equal(e.turn_label, '指挥中心');
  assert.equal(e.my_turn, false);
  assert.equal((await api(srv.base, `/api/v1/events/${code}`, { token: tok.center_jfb })).body.my_turn, true);
  assert.ok((await mine('center_jfb')).some(x => x.code === code));
  assert.ok(!(await mine('grid_jfb')).some(x => x.code === code));

  await act('center_jfb', code, 'accept'); // verifying: the grid worker's 核实
  assert.ok((await mine('grid_jfb')).some(x => x.code === code && x.my_turn && x.turn === 'grid'));
  assert.ok(!(await mine('center_jfb')).some(x => x.code === code));

  await act('grid_jfb', code, 'verify');
  await act('center_jfb', code, 'dispatch'); // to the routing table's department (城管局)
  e = (await api(srv.base, `/api/v1/events/${code}`, { token: tok.dept_urban })).body;
  assert.equal(e.turn, 'assignee');
  assert.equal(e.my_turn, true);
  assert.ok((await mine('dept_urban')).some(x => x.code === code));
  assert.ok(!(await mine('grid_jfb')).some(x => x.code === code));
  // Every item of every caller's 待我处理 is the caller's step, and offers the caller something.
  for (const u of ['center_jfb', 'grid_jfb', 'dept_urban', 'post_jfb_cg']) {
    for (const x of await mine(u)) {
      assert.equal(x.my_turn, true, `${u} ${x.code} ${x.state}`);
      assert.ok(x.actions.length > 0, `${u} is offered something on ${x.code} (${x.state})`);
    }
  }
  // An auditor takes no step.
  assert.deepEqual(await mine('auditor_yz'), []);
});

test('sort by deadline and urgency, paged by the server without overlap', async () => {
  for (let i = 0; i < 3; i++) await report({ title: `排序检查${i}`, urgency: i === 1 ? 'critical' : 'normal' });
  const all = (await api(srv.base, '/api/v1/events?status=open&sort=due_at&limit=5000', { token: tok.center_jfb })).body.items;
  assert.ok(all.length > 4);
  const due = all.map(x => x.due_at ? Date.parse(x.due_at) : Infinity);
  for (let i = 1; i < due.length; i++) assert.ok(due[i - 1] <= due[i], `due order at ${i}`);
  const p1 = (await api(srv.base, '/api/v1/events?status=open&sort=due_at&limit=3', { token: tok.center_jfb })).body;
  assert.equal(p1.items.length, 3);
  assert.ok(p1.next);
  const p2 = (await api(srv.base, `/api/v1/events?status=open&sort=due_at&limit=3&cursor=${p1.next}`, { token: tok.center_jfb })).body;
  assert.deepEqual([...p1.items, ...p2.items].map(x => x.code), all.slice(0, 3 + p2.items.length).map(x => x.code));

  const urg = (await api(srv.base, '/api/v1/events?status=open&sort=urgency&limit=5000', { token: tok.center_jfb })).body.items;
  const rank = { critical: 0, urgent: 1, normal: 2 };
  for (let i = 1; i < urg.length; i++) assert.ok(rank[urg[i - 1].urgency] <= rank[urg[i].urgency]);
  const crit = (await api(srv.base, '/api/v1/events?urgency=critical&limit=5000', { token: tok.center_jfb })).body.items;
  assert.ok(crit.length > 0 && crit.every(x => x.urgency === 'critical'));

  const bad = await api(srv.base, '/api/v1/events?sort=title', { token: tok.center_jfb });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.field, 'sort');
  const badU = await api(srv.base, '/api/v1/events?urgency=asap', { token: tok.center_jfb });
  assert.equal(badU.status, 400);
  assert.equal(badU.body.field, 'urgency');
  const badC = await api(srv.base, '/api/v1/events?sort=due_at&cursor=x', { token: tok.center_jfb });
  assert.equal(badC.status, 400);
  assert.equal(badC.body.field, 'cursor');
});

test('events.csv: BOM, Chinese header, the same filters as the list, masked phones, formulas kept as text', async () => {
  const code = await report({ title: '=HYPERLINK("http://x")', reporter_contact: '13812345678', reporter_name: '张三' });
  const r = await fetch(`${srv.base}/api/v1/events.csv?status=open&category=1101`, { headers: { Authorization: `Bearer ${tok.center_jfb}` } });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/csv; charset=utf-8/);
  assert.match(r.headers.get('content-disposition'), /attachment; filename="events-\d{4}-\d{2}-\d{2}\.csv"/);
  const buf = Buffer.from(await r.arrayBuffer());
  assert.deepEqual([...buf.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const text = buf.subarray(3).toString('utf8');
  const lines = text.split('\r\n').filter(Boolean);
  assert.match(lines[0], /^编号,标题,类别,状态,当前环节,紧急程度/);
  const list = (await api(srv.base, '/api/v1/events?status=open&category=1101&limit=5000', { token: tok.center_jfb })).body.items;
  assert.equal(lines.length - 1, list.length);
  const row = lines.find(l => l.startsWith(code));
  assert.ok(row, 'the new event is exported');
  assert.ok(!text.includes('13812345678'), 'no full phone number');
  if (row.includes('张三')) assert.match(row, /138\*{4}5678/);
  assert.match(row, /"'=HYPERLINK\(""http:\/\/x""\)"/);
  assert.match(row, /,上报,指挥中心,一般,/);
  assert.match(row, /,\d{4}-\d{2}-\d{2} \d{2}:\d{2},/);
  // Outside the scope nothing leaks; a bad filter is a 400 naming it; anonymous is 401.
  const g = await (await fetch(`${srv.base}/api/v1/events.csv?status=open`, { headers: { Authorization: `Bearer ${tok.grid_jfb}` } })).text();
  const center = await (await fetch(`${srv.base}/api/v1/events.csv?status=open`, { headers: { Authorization: `Bearer ${tok.center_jfb}` } })).text();
  assert.ok(g.split('\r\n').length <= center.split('\r\n').length);
  for (const l of g.split('\r\n').slice(1).filter(Boolean)) assert.ok(l.includes(ctx.grid), 'grid worker: own grid only');
  const bad = await api(srv.base, '/api/v1/events.csv?status=nope', { token: tok.center_jfb });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.field, 'status');
  assert.equal((await api(srv.base, '/api/v1/events.csv')).status, 401);
});

test('history rows name the state reached in Chinese (the web shows the server\'s label)', async () => {
  const code = await report();
  await act('center_jfb', code, 'accept');
  const h = (await api(srv.base, `/api/v1/events/${code}/history`, { token: tok.center_jfb })).body.items;
  const row = h.find((x) => x.action === 'accept');
  assert.equal(typeof row.to_label, 'string');
  assert.ok(row.to_label.length > 0);
  assert.doesNotMatch(row.to_label, /[a-z]/);
});
