// Indicators (issue 4 item 7) against the real binary with the demo district: the figures, their
// grouping and totals, the CSV export for Excel/WPS, scope by jurisdiction, bad input, and that a
// period's figures come from the history (the same period gives the same figures; a worked event
// moves the counts of today by exactly what was done).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api } from './lib.mjs';

let srv;
const tok = {};
const ctx = {};
const USERS = ['center_jfb', 'center_yz', 'grid_jfb', 'dept_urban', 'volunteer_jfb', 'auditor_yz'];

before(async () => {
  srv = await startServer(['--pwhash-cost', 'min']);
  for (const u of USERS) {
    const r = await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username: u, password: 'zhizhi-demo' } });
    assert.equal(r.status, 201, `login ${u}: ${r.text}`);
    tok[u] = r.body.token;
  }
  const m = srv.log().match(/first administrator: admin, password: (\S+)/);
  tok.admin = (await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username: 'admin', password: m[1] } })).body.token;
  const me = await api(srv.base, '/api/v1/sessions/current', { token: tok.center_jfb });
  ctx.street = me.body.user.region;
  const g = await api(srv.base, '/api/v1/sessions/current', { token: tok.grid_jfb });
  ctx.grid = g.body.user.grid;
  ctx.center = (await api(srv.base, `/api/v1/regions/${ctx.grid}`)).body.center;
});
after(async () => { await srv?.stop(); });

const get = (q, user = 'admin') => api(srv.base, `/api/v1/indicators${q}`, { token: tok[user] });

const COUNTS = ['reported', 'accepted', 'registered', 'dispatched', 'handled', 'closed', 'due_to_close',
  'closed_on_time', 'overdue', 'rework'];
const RATES = ['closure_rate', 'ontime_rate', 'handle_rate', 'rework_rate', 'avg_handle_hours',
  'response_rate', 'resolve_rate', 'satisfaction_rate', 'composite'];

// The last 30 days up to the start of today (Shanghai): a closed period.
function period() {
  const now = Date.now();
  const day = 86400000, off = 8 * 3600000;
  const today = Math.floor((now + off) / day) * day - off;
  const iso = (t) => new Date(t + off).toISOString().slice(0, 19) + '+08:00';
  return { from: iso(today - 30 * day), to: iso(today), today: iso(today), tomorrow: iso(today + day) };
}

test('the district figures: every indicator, a grade, totals equal to the sum of the groups', async () => {
  const p = period();
  const r = await get(`?from=${encodeURIComponent(p.from)}&to=${encodeURIComponent(p.to)}&group_by=street`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.group_by, 'street');
  assert.ok(r.body.items.length >= 2, 'demo events in several streets');
  for (const k of [...COUNTS, ...RATES, 'grade', 'label', 'key']) assert.ok(k in r.body.total, k);
  assert.ok(r.body.total.reported > 0, 'the demo month has reports');
  for (const k of COUNTS) {
    const sum = r.body.items.reduce((s, it) => s + it[k], 0);
    assert.equal(sum, r.body.total[k], `total ${k}`);
  }
  for (const it of r.body.items) {
    assert.match(it.key, /^\d{9}$/);
    assert.match(it.label, /街道/);
    if (it.composite !== null) {
      assert.ok(it.composite >= 0 && it.composite <= 100);
      const g = it.composite >= 90 ? 'A' : it.composite >= 75 ? 'B' : it.composite >= 60 ? 'C' : it.composite >= 40 ? 'D' : 'E';
      assert.equal(it.grade, g);
    }
    if (it.due_to_close > 0) assert.equal(it.closure_rate, Math.round(10000 * it.closed / it.due_to_close) / 100);
  }
  // weights are configurable: only 结案率 → the composite is the closure rate
  const w = await get(`?from=${encodeURIComponent(p.from)}&to=${encodeURIComponent(p.to)}&weights=patrol:0,cases:0,ontime:0,closure:1`);
  assert.equal(w.status, 200, w.text);
  assert.equal(w.body.total.composite, w.body.total.closure_rate);
});

test('the same period gives the same figures, and today counts what was just done', async () => {
  const p = period();
  const q = `?from=${encodeURIComponent(p.from)}&to=${encodeURIComponent(p.to)}&group_by=channel`;
  const first = (await get(q)).body;
  const t = `?from=${encodeURIComponent(p.today)}&to=${encodeURIComponent(p.tomorrow)}`;
  const before_ = (await get(t)).body.total;

  // a grid worker's report, worked through to a failed check (返工)
  const [lon, lat] = ctx.center;
  const e = await api(srv.base, '/api/v1/events', { method: 'POST', token: tok.grid_jfb,
    body: { category: '1101', title: '指标测试暴露垃圾', lon, lat } });
  assert.equal(e.status, 201, e.text);
  const act = async (u, a, body = {}) => {
    const r = await api(srv.base, `/api/v1/events/${e.body.code}/actions/${a}`, { method: 'POST', token: tok[u], body });
    assert.equal(r.status, 200, `${a}: ${r.text}`);
  };
  await act('center_jfb', 'register');
  await act('center_jfb', 'dispatch');
  await act('dept_urban', 'sign');
  await act('dept_urban', 'feedback', { result: '已清运' });
  await act('center_jfb', 'send_check');
  await act('grid_jfb', 'check_fail', { reason: '仍有垃圾' });

  const after_ = (await get(t)).body.total;
  assert.equal(after_.reported - before_.reported, 1);
  assert.equal(after_.registered - before_.registered, 1);
  assert.equal(after_.dispatched - before_.dispatched, 1);
  assert.equal(after_.handled - before_.handled, 1);
  assert.equal(after_.rework - before_.rework, 1);

  assert.deepEqual((await get(q)).body, first, 'a closed period does not move');
});

test('a 12345 call handled and revisited moves the hotline 三率 of today', async () => {
  const p = period();
  const t = `?from=${encodeURIComponent(p.today)}&to=${encodeURIComponent(p.tomorrow)}`;
  const before_ = (await get(t)).body.total;
  const [lon, lat] = ctx.center;
  const e = await api(srv.base, '/api/v1/events', { method: 'POST', token: tok.center_jfb,
    body: { channel: 'hotline_12345', category: '1101', title: '市民来电反映垃圾未清运', lon, lat } });
  assert.equal(e.status, 201, e.text);
  const act = async (u, a, body = {}) => {
    const r = await api(srv.base, `/api/v1/events/${e.body.code}/actions/${a}`, { method: 'POST', token: tok[u], body });
    assert.equal(r.status, 200, `${a}: ${r.text}`);
  };
  await act('center_jfb', 'accept');
  await act('grid_jfb', 'verify');
  await act('center_jfb', 'dispatch');
  await act('dept_urban', 'sign');
  await act('dept_urban', 'feedback', { result: '已清运' });
  await act('center_jfb', 'send_check');
  await act('grid_jfb', 'check_pass');
  await act('center_jfb', 'revisit', { satisfaction: 'satisfied' });
  const after_ = (await get(t)).body.total;
  assert.equal(after_.hotline.dispatched - before_.hotline.dispatched, 1);
  assert.equal(after_.hotline.signed_on_time - before_.hotline.signed_on_time, 1);
  assert.equal(after_.hotline.satisfied - before_.hotline.satisfied, 1, 'the 回访 satisfaction is read back');
  assert.equal(after_.closed - before_.closed, 1);
  assert.equal(after_.closed_on_time - before_.closed_on_time, 1);
  assert.ok(after_.response_rate !== null && after_.satisfaction_rate !== null);
});

test('scope: a street center sees its street, not another; roles without the permission are refused', async () => {
  const p = period();
  const range = `from=${encodeURIComponent(p.from)}&to=${encodeURIComponent(p.to)}`;
  const own = await get(`?${range}`, 'center_jfb');
  assert.equal(own.status, 200, own.text);
  assert.equal(own.body.region, ctx.street, 'defaults to the caller\'s jurisdiction');
  const all = await get(`?${range}&group_by=street`);
  const mine = all.body.items.find((it) => it.key === ctx.street);
  assert.equal(own.body.total.reported, mine.reported);

  const other = all.body.items.find((it) => it.key !== ctx.street).key;
  const r = await get(`?${range}&region=${other}`, 'center_jfb');
  assert.equal(r.status, 403);
  assert.equal(r.body.code, 'out_of_scope');
  assert.equal(r.body.field, 'region');
  assert.equal((await get(`?${range}&region=${ctx.grid}`, 'center_jfb')).status, 200, 'a grid of its street');

  assert.equal((await get(`?${range}`, 'grid_jfb')).body.region, ctx.grid);
  assert.equal((await get(`?${range}`, 'auditor_yz')).status, 200);
  assert.equal((await get(`?${range}`, 'volunteer_jfb')).status, 403);
  assert.equal((await api(srv.base, `/api/v1/indicators?${range}`)).status, 401);
  assert.equal((await api(srv.base, `/api/v1/indicators.csv?${range}`)).status, 401);
});

test('bad input is a 400 naming the field', async () => {
  for (const [q, field] of [['?group_by=city', 'group_by'], ['?from=2026-11-20&to=2026-11-10', 'to'],
    ['?from=yesterday', 'from'], ['?to=2026-13-01', 'to'], ['?weights=bogus:1', 'weights'],
    ['?weights=closure:-1', 'weights'], ['?from=2020-01-01&to=2026-01-01', 'to'],
    ['?group_by=day&from=2025-01-01&to=2026-06-01', 'to']]) {
    const r = await get(q);
    assert.equal(r.status, 400, q);
    assert.equal(r.body.field, field, q);
    assert.ok(r.body.code, q);
  }
});

test('day grouping: one row per day whose reports add up to the period', async () => {
  const p = period();
  const range = `from=${encodeURIComponent(p.from)}&to=${encodeURIComponent(p.to)}`;
  const days = (await get(`?${range}&group_by=day`)).body;
  assert.equal(days.items.length, 30);
  assert.match(days.items[0].key, /^\d{4}-\d{2}-\d{2}$/);
  const whole = (await get(`?${range}`)).body.total;
  assert.equal(days.items.reduce((s, it) => s + it.reported, 0), whole.reported);
  for (const g of ['community', 'grid', 'board', 'department', 'channel', 'category']) {
    const r = await get(`?${range}&group_by=${g}`);
    assert.equal(r.status, 200, g);
    assert.equal(r.body.items.reduce((s, it) => s + it.reported, 0), whole.reported, g);
  }
});

test('CSV export for Excel/WPS: UTF-8 with BOM, Chinese header, one line per group and a total', async () => {
  const p = period();
  const range = `from=${encodeURIComponent(p.from)}&to=${encodeURIComponent(p.to)}`;
  const json = (await get(`?${range}&group_by=board`)).body;
  const r = await fetch(`${srv.base}/api/v1/indicators.csv?${range}&group_by=board`, { headers: { authorization: `Bearer ${tok.admin}` } });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/csv; charset=utf-8/);
  assert.match(r.headers.get('content-disposition'), /attachment; filename="indicators-.*\.csv"/);
  const bytes = new Uint8Array(await r.arrayBuffer());
  assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
  const lines = new TextDecoder().decode(bytes.slice(3)).trimEnd().split('\r\n');
  assert.match(lines[0], /^编码,名称,上报数,受理数,立案数,派遣数,处置数,结案数,应结案数,/);
  assert.match(lines[0], /结案率\(%\),按期结案率\(%\),处置率\(%\),返工率\(%\),平均处置时长\(工作小时\),响应率\(%\),解决率\(%\),满意率\(%\),综合指标值,等级$/);
  assert.equal(lines.length, json.items.length + 2);
  assert.match(lines.at(-1), new RegExp(`^,合计,${json.total.reported},`));
  const first = lines[1].split(',');
  assert.equal(first[0], json.items[0].key);
  assert.equal(Number(first[2]), json.items[0].reported);
});
