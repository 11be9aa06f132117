// The building economy's public side (issue 16) against the real binary with the demo district:
// 找写字楼 without a login (vacant area = leasable − leased at the year's end, filters checked
// and named, no tax figure shown), the 入驻意向 an enterprise leaves (every field checked: the
// 统一社会信用代码 by its GB 32100 check character, the phone, the area; audited), and the
// follow-up by the staff of the building's jurisdiction only (new → contacted → signed; a step
// back refused; another street's inquiry 404; a grid worker 403).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api } from './lib.mjs';

let srv;
const tok = {};

before(async () => {
  srv = await startServer(['--pwhash-cost', 'min']);
  for (const u of ['center_yz', 'center_jfb', 'center_qxg', 'grid_jfb']) {
    const r = await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username: u, password: 'zhizhi-demo' } });
    assert.equal(r.status, 201, `login ${u}: ${r.text}`);
    tok[u] = r.body.token;
  }
  const m = srv.log().match(/first administrator: admin, password: (\S+)/);
  tok.admin = (await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username: 'admin', password: m[1] } })).body.token;
});
after(async () => { await srv?.stop(); });

const get = (path, user) => api(srv.base, path, { token: user && tok[user] });
const inquire = (body) => api(srv.base, '/api/v1/buildings/space/inquiries', { method: 'POST', body });

test('找写字楼: anyone sees the buildings with vacant space, filtered, with their tenants\' industries and no tax', async () => {
  const all = await get('/api/v1/buildings/space');
  assert.equal(all.status, 200, all.text);
  assert.equal(all.body.as_of, `${all.body.year}-12-31`);
  assert.ok(all.body.items.length > 50);
  assert.equal(all.body.synthetic, true);
  // the vacancy is the same the ranking computes (leasable − leased) for every building listed
  const ranking = new Map((await get('/api/v1/buildings/ranking', 'center_yz')).body.items.map((b) => [b.code, b]));
  for (const b of all.body.items) {
    const r = ranking.get(b.code);
    assert.ok(Math.abs(b.vacant_m2 - (r.leasable_m2 - r.leased_m2)) < 1, b.code);
    assert.ok(b.vacant_m2 > 0);
    assert.equal(b.tax, undefined);
    assert.equal(b.score, undefined);
    const shares = b.industries.reduce((s, i) => s + i.share, 0);
    assert.ok(shares <= 1.0001 && b.industries.length <= 3);
  }
  for (let i = 1; i < all.body.items.length; i++) assert.ok(all.body.items[i - 1].vacant_m2 >= all.body.items[i].vacant_m2);
  // filters: zone, grade, minimum area, industry (by its share among the tenants)
  const f = await get('/api/v1/buildings/space?zone=jfb&grade=%E7%94%B2%E7%BA%A7&min_m2=2000');
  assert.ok(f.body.items.length > 0);
  for (const b of f.body.items) {
    assert.equal(b.zone, 'jfb');
    assert.equal(b.building_grade, '甲级');
    assert.ok(b.vacant_m2 >= 2000);
  }
  const fin = await get('/api/v1/buildings/space?industry=J');
  assert.ok(fin.body.items.length > 0);
  for (let i = 1; i < fin.body.items.length; i++) assert.ok(fin.body.items[i - 1].industry_share >= fin.body.items[i].industry_share);
  assert.ok(fin.body.items.every((b) => b.industry_share > 0));
  // bad filters name their field
  for (const [q, field] of [['zone=nowhere', 'zone'], ['grade=A', 'grade'], ['min_m2=-5', 'min_m2'], ['min_m2=abc', 'min_m2'], ['industry=Z', 'industry']]) {
    const r = await get(`/api/v1/buildings/space?${q}`);
    assert.equal(r.status, 400, q);
    assert.equal(r.body.field, field, q);
  }
});

test('入驻意向: every field checked and named; the accepted one audited and seen by its street, not another', async () => {
  const space = (await get('/api/v1/buildings/space?zone=jfb')).body.items;
  const jfb = space.find((b) => b.street === '500103003');
  assert.ok(jfb, 'a building in 解放碑街道 with space');
  const good = {
    building: jfb.code, enterprise_name: '重庆示例数智科技有限公司', uscc: '91440300708461136T', industry: 'I65',
    area_m2: 600, contact: '李女士', phone: '13912345678', note: '20 层以上',
  };
  const bad = [
    [{ uscc: '91440300708461136X' }, 'uscc', 'bad_uscc'], // wrong check character
    [{ uscc: '9144030070846113' }, 'uscc', 'bad_uscc'],
    [{ uscc: '9144030070846113OT' }, 'uscc', 'bad_uscc'],
    [{ phone: '0231234567' }, 'phone', 'bad_phone'],
    [{ area_m2: 0 }, 'area_m2', 'bad_area'],
    [{ area_m2: null }, 'area_m2', undefined],
    [{ enterprise_name: '' }, 'enterprise_name', undefined],
    [{ contact: '' }, 'contact', undefined],
    [{ industry: 'C44' }, 'industry', 'unknown_industry'],
    [{ building: 'NOPE' }, 'building', 'unknown_building'],
  ];
  for (const [change, field, code] of bad) {
    const r = await inquire({ ...good, ...change });
    assert.equal(r.status, 400, JSON.stringify(change));
    assert.equal(r.body.field, field, JSON.stringify(change));
    if (code) assert.equal(r.body.code, code);
  }
  const wrong = await inquire({ ...good, uscc: '91440300708461136X' });
  assert.match(wrong.body.detail, /T/); // the expected check character
  assert.equal((await get('/api/v1/buildings/inquiries', 'center_yz')).body.items.length, 0, 'nothing half-written');
  const ok = await inquire(good);
  assert.equal(ok.status, 201, ok.text);
  const noUscc = await inquire({ ...good, uscc: null, industry: null, note: null, enterprise_name: '筹建中的示例公司' });
  assert.equal(noUscc.status, 201, noUscc.text);

  const mine = (await get('/api/v1/buildings/inquiries', 'center_jfb')).body.items;
  const q = mine.find((x) => x.id === ok.body.id);
  assert.ok(q);
  assert.equal(q.building, jfb.code);
  assert.equal(q.status, 'new');
  assert.equal(q.status_name, '待联系');
  assert.deepEqual(q.next.map((n) => n.status), ['contacted', 'signed', 'lost']);
  assert.equal(q.uscc, good.uscc);
  assert.equal(mine[0].id, noUscc.body.id, 'newest first');
  // another street does not see it and cannot touch it; a grid worker may not follow leads up
  assert.equal((await get('/api/v1/buildings/inquiries', 'center_qxg')).body.items.length, 0);
  const other = await api(srv.base, `/api/v1/buildings/inquiries/${q.id}/status`, { method: 'POST', token: tok.center_qxg, body: { status: 'contacted' } });
  assert.equal(other.status, 404);
  assert.equal((await get('/api/v1/buildings/inquiries', 'grid_jfb')).status, 403);
  assert.equal((await get('/api/v1/buildings/inquiries')).status, 401);
  assert.equal((await get('/api/v1/buildings/inquiries?status=done', 'center_jfb')).body.field, 'status');

  // new → contacted → signed; back to new refused; signed is final
  const step = (status, user = 'center_jfb') => api(srv.base, `/api/v1/buildings/inquiries/${q.id}/status`, { method: 'POST', token: tok[user], body: { status } });
  const c = await step('contacted');
  assert.equal(c.status, 200, c.text);
  assert.deepEqual(c.body.next.map((n) => n.status), ['signed', 'lost']);
  const back = await step('new');
  assert.equal(back.status, 409);
  assert.equal(back.body.field, 'status');
  assert.equal((await step('nonsense')).body.field, 'status');
  assert.equal((await step('signed', 'center_yz')).status, 200);
  assert.equal((await step('lost')).status, 409);
  const done = (await get('/api/v1/buildings/inquiries?status=signed', 'center_yz')).body.items;
  assert.deepEqual(done.map((x) => x.id), [q.id]);
  assert.deepEqual(done[0].next, []);
  // the audit chain has the inquiry and both steps
  const au = (await get('/api/v1/audit?object_type=building_inquiry', 'admin')).body.items;
  const actions = au.filter((a) => a.object_id === String(q.id)).map((a) => a.action).sort();
  assert.deepEqual(actions, ['building.inquiry', 'building.inquiry_status', 'building.inquiry_status']);
});
