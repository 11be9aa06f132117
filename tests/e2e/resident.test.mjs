// The residents' side of the loop (issue 10 #3, #5): the form the server describes (plain groups
// of classes, 其他问题, emergencies that are called in and never filed, photos, field names), the
// limit per device under a higher ceiling per address with a clear 429, and the reporter's
// rating of a closed report by the tracking code (回访 satisfaction, 不满意 reopens once).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api } from './lib.mjs';

let srv;
const tok = {};
let grid;
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
  '1f15c4890000000d4944415478da63f8cfc0f01f0005000160e3f9a60000000049454e44ae426082', 'hex');

before(async () => {
  srv = await startServer(['--pwhash-cost', 'min']);
  for (const u of ['center_jfb', 'grid_jfb', 'dept_urban']) {
    const r = await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username: u, password: 'zhizhi-demo' } });
    assert.equal(r.status, 201, r.text);
    tok[u] = r.body.token;
  }
  grid = (await api(srv.base, '/api/v1/sessions/current', { token: tok.grid_jfb })).body.user.grid;
});
after(async () => { await srv?.stop(); });

const post = (base, body, device) => api(base, '/api/v1/public/reports', {
  method: 'POST', body, headers: device ? { 'X-Device-Id': device } : {},
});

test('the report form: about ten plain groups, 其他, emergencies with their numbers, the fields', async () => {
  const f = await api(srv.base, '/api/v1/public/report-form');
  assert.equal(f.status, 200);
  assert.ok(f.body.groups.length >= 8 && f.body.groups.length <= 12, String(f.body.groups.length));
  const all = (await api(srv.base, '/api/v1/categories')).body.items.map((c) => c.code);
  for (const g of f.body.groups) {
    assert.ok(g.label && g.categories.length >= 1, g.key);
    for (const c of g.categories) assert.ok(all.includes(c.code), c.code);
    assert.doesNotMatch(g.label, /[a-z_]{3,}/);
  }
  assert.equal(f.body.other.code, '9990');
  assert.ok(all.includes('9990'));
  const phones = f.body.emergencies.map((e) => e.phone);
  for (const p of ['119', '110', '120']) assert.ok(phones.includes(p), p);
  assert.deepEqual(f.body.fields.map((x) => x.name), ['category', 'description', 'address', 'phone', 'photos']);
  assert.equal(f.body.photos.max, 2);
  // No group offers an emergency class.
  for (const g of f.body.groups) for (const c of g.categories) assert.ok(!['1403', '1405'].includes(c.code));
});

test('燃气泄漏 and 火情 are not filed: 400 naming category, the notice says whom to call', async () => {
  for (const [category, phone] of [['1403', '119'], ['1405', '119']]) {
    const r = await post(srv.base, { grid, category, title: '闻到燃气味' });
    assert.equal(r.status, 400);
    assert.match(r.headers.get('content-type'), /problem\+json/);
    assert.equal(r.body.code, 'emergency');
    assert.equal(r.body.field, 'category');
    assert.ok(r.body.detail.includes(phone), r.body.detail);
  }
  const o = await post(srv.base, { grid, category: '9990', title: '不知道算什么问题', description: '楼道里堆满了杂物' });
  assert.equal(o.status, 201, o.text);
  const s = await api(srv.base, `/api/v1/public/reports/${o.body.tracking}`);
  assert.equal(s.body.category, '其他问题');
  assert.equal(s.body.can_rate, false);
});

test('per device under an address ceiling: one NAT\'d estate is not silenced; the 429 says why and when', async () => {
  const s2 = await startServer(['--pwhash-cost', 'min', '--public-report-limit', '2', '--public-report-window', '600']);
  try {
    const g = (await api(s2.base, '/api/v1/regions?level=grid&limit=1')).body.items[0].code;
    const ok = { grid: g, category: '9102', title: '夜间噪声' };
    const A = 'aaaaaaaaaaaaaaaa0001', B = 'bbbbbbbbbbbbbbbb0002';
    assert.equal((await post(s2.base, ok, A)).status, 201);
    assert.equal((await post(s2.base, ok, A)).status, 201);
    const r = await post(s2.base, ok, A);
    assert.equal(r.status, 429);
    assert.match(r.headers.get('content-type'), /application\/problem\+json/);
    assert.equal(r.body.code, 'rate_limited');
    assert.equal(r.body.status, 429);
    assert.match(r.body.detail, /本设备每 10 分钟最多 2 次，请约 \d+ 分钟后再试/);
    const wait = Number(r.headers.get('retry-after'));
    assert.ok(wait >= 1 && wait <= 600, String(wait));
    // A neighbour's phone behind the same address still reports.
    assert.equal((await post(s2.base, ok, B)).status, 201);
    assert.equal((await post(s2.base, ok, B)).status, 201);
    // Without a device id the address has the plain limit (it has used more than 2 already).
    const n = await post(s2.base, ok);
    assert.equal(n.status, 429);
    assert.match(n.body.detail, /同一网络/);
    // The ceiling: 10 × 2 per address, whatever the devices.
    let created = 4;
    for (let d = 3; d < 20 && created < 20; d++) {
      for (let k = 0; k < 2 && created < 20; k++) {
        assert.equal((await post(s2.base, ok, `cccccccccccccccc${String(d).padStart(4, '0')}`)).status, 201);
        created++;
      }
    }
    const c = await post(s2.base, ok, 'dddddddddddddddd9999');
    assert.equal(c.status, 429);
    assert.match(c.body.detail, /同一网络每 10 分钟最多 20 次/);
  } finally {
    await s2.stop();
  }
});

async function upload(user) {
  const body = Buffer.concat([PNG, Buffer.from(String(Math.random()))]);
  const r = await fetch(srv.base + '/api/v1/attachments', { method: 'POST', body, headers: { Authorization: `Bearer ${tok[user]}`, 'Content-Type': 'image/png' } });
  return (await r.json()).sha256;
}

async function act(user, code, name) {
  const e = await api(srv.base, `/api/v1/events/${code}`, { token: tok[user] });
  const a = e.body.actions.find((x) => x.name === name);
  assert.ok(a, `${user} offered ${name} in ${e.body.state}: ${e.body.actions.map((x) => x.name)}`);
  const body = {};
  for (const f of a.fields) {
    if (!f.required) continue;
    if (f.type === 'photos') body[f.name] = [await upload(user)];
    else body[f.name] = f.default ?? (f.type === 'integer' ? f.min : f.type === 'choice' ? f.choices[0].value : '已处理');
  }
  const r = await api(srv.base, `/api/v1/events/${code}/actions/${name}`, { method: 'POST', token: tok[user], body });
  assert.equal(r.status, 200, `${name}: ${r.text}`);
}

test('the reporter rates a closed report by the tracking code; 不满意 reopens once', async () => {
  const p = await post(srv.base, { grid, category: '1101', title: '楼下垃圾没人清', description: '已经三天了' });
  assert.equal(p.status, 201, p.text);
  const t = p.body.tracking;
  const rate = (body) => api(srv.base, `/api/v1/public/reports/${encodeURIComponent(t)}/rating`, { method: 'POST', body });
  const early = await rate({ satisfaction: 'satisfied' });
  assert.equal(early.status, 409);
  assert.equal(early.body.code, 'not_closed');
  const code = (await api(srv.base, `/api/v1/events?q=${encodeURIComponent('楼下垃圾没人清')}`, { token: tok.center_jfb })).body.items[0].code;
  const close = async () => {
    for (const [u, a] of [['dept_urban', 'feedback'], ['center_jfb', 'send_check'], ['grid_jfb', 'check_pass']]) await act(u, code, a);
  };
  for (const [u, a] of [['center_jfb', 'accept'], ['grid_jfb', 'verify'], ['center_jfb', 'dispatch'], ['dept_urban', 'sign']]) await act(u, code, a);
  await close();
  let s = (await api(srv.base, `/api/v1/public/reports/${t}`)).body;
  assert.equal(s.can_rate, true);
  assert.deepEqual(s.rating.choices.map((c) => c.value), ['satisfied', 'basic', 'unsatisfied']);
  const bad = await rate({ satisfaction: 'great' });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.field, 'satisfaction');
  const missing = await rate({});
  assert.equal(missing.status, 400);
  assert.equal(missing.body.field, 'satisfaction');
  // 不满意 the first time: back to handling.
  const un = await rate({ satisfaction: 'unsatisfied', comment: '只扫了一半' });
  assert.equal(un.status, 200, un.text);
  const ev = (await api(srv.base, `/api/v1/events/${code}`, { token: tok.center_jfb })).body;
  assert.equal(ev.state, 'handling');
  assert.equal(ev.reopen_count, 1);
  await close();
  const ok = await rate({ satisfaction: 'satisfied' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.satisfaction, 'satisfied');
  assert.equal(ok.body.can_rate, false);
  const again = await rate({ satisfaction: 'basic' });
  assert.equal(again.status, 409);
  assert.equal(again.body.code, 'already_rated');
  const h = (await api(srv.base, `/api/v1/events/${code}/history`, { token: tok.center_jfb })).body.items;
  const visits = h.filter((x) => x.action === 'revisit');
  assert.equal(visits.length, 2);
  for (const v of visits) assert.equal(v.actor_role, 'citizen');
  assert.equal((await api(srv.base, '/api/v1/public/reports/NOSUCH/rating', { method: 'POST', body: { satisfaction: 'satisfied' } })).status, 404);
  // The audit chain holds both ratings.
  const a = await api(srv.base, `/api/v1/audit?object_id=${code}&limit=100`, { token: tok.center_jfb });
  if (a.status === 200) assert.ok(a.body.items.filter((x) => /revisit/.test(JSON.stringify(x))).length >= 2);
});
