// Open311 as FixMyStreet speaks it (issue 11, scope 6): each break the run of FixMyStreet's own
// client found, reproduced first — keyed clients' own quota (a), CRLF line breaks counted once
// (b), `<errors>` for unknown .xml paths (c), the `long` field name (d), media_url kept as the
// photo link (e), phone and email both kept (f), 作废 and 并案 told apart (g), and mySociety's
// servicerequestupdates extension, GET in a window and POST an update (h). XML answers are
// parsed by Python's xml.etree.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, api } from './lib.mjs';

const KEY = 'fms-s3cret';
let srv;
const tok = {};
let lon, lat;

function xml(text) {
  const py = `
import sys, json, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.buffer.read())
def conv(e):
    if len(e) == 0:
        return e.text or ''
    return [{'tag': c.tag, 'v': conv(c)} for c in e]
print(json.dumps({'root': root.tag, 'body': conv(root)}))
`;
  const r = spawnSync('python3', ['-c', py], { input: text });
  assert.equal(r.status, 0, `XML rejected: ${r.stderr}\n${text.slice(0, 300)}`);
  return JSON.parse(r.stdout);
}
// The children of a converted element as an object (last wins).
const obj = (list) => Object.fromEntries(list.map((c) => [c.tag, c.v]));

before(async () => {
  srv = await startServer(['--open311-api-key', KEY, '--public-report-limit', '2']);
  for (const u of ['center_jfb', 'grid_jfb']) {
    const r = await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username: u, password: 'zhizhi-demo' } });
    tok[u] = r.body.token;
  }
  const grid = (await api(srv.base, '/api/v1/sessions/current', { token: tok.grid_jfb })).body.user.grid;
  [lon, lat] = (await api(srv.base, `/api/v1/regions/${grid}`)).body.center;
});
after(async () => { await srv?.stop(); });

async function post(fields, ext = 'xml', path = 'requests') {
  const r = await fetch(`${srv.base}/open311/v2/${path}.${ext}`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: r.status, type: r.headers.get('content-type'), headers: r.headers, text: await r.text() };
}
const report = (extra = {}) => ({ api_key: KEY, service_code: '1101', lat: String(lat), long: String(lon), description: '井盖缺失', ...extra });
const idOf = (r) => obj(xml(r.text).body[0].v).service_request_id;

test('(a) ten keyed POST requests.xml in a row from one address all succeed, within the client’s own configurable quota', async () => {
  for (let i = 0; i < 10; i++) {
    const r = await post(report({ description: `FixMyStreet 第${i + 1}条` }));
    assert.equal(r.status, 200, `report ${i + 1}: ${r.text}`);
    assert.match(r.type, /^text\/xml/);
  }
  // the quota is the client's own and configurable
  const s = await startServer(['--open311-api-key', KEY, '--open311-client-limit', '1']);
  try {
    const send = () => fetch(`${s.base}/open311/v2/requests.xml`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(report({ lat: '29.5570', long: '106.5750' })).toString(),
    });
    const first = await send();
    assert.equal(first.status, 200);
    const second = await send();
    assert.equal(second.status, 429);
    assert.ok(Number(second.headers.get('retry-after')) > 0);
    assert.equal(xml(await second.text()).root, 'errors');
  } finally {
    await s.stop();
  }
});

test('(b) a 4,000-character description with CRLF line breaks is accepted and stored with LF', async () => {
  const line = '长'.repeat(999);
  const description = [line, line, line, line].join('\r\n'); // 3,996 + 3 breaks = 3,999 characters
  const r = await post(report({ description }), 'json');
  assert.equal(r.status, 200, r.text);
  const id = JSON.parse(r.text)[0].service_request_id;
  const j = (await api(srv.base, `/open311/v2/requests/${id}.json`)).body[0];
  assert.equal(j.description, description.replaceAll('\r\n', '\n'));
  const x = await fetch(`${srv.base}/open311/v2/requests/${id}.xml`);
  const xr = obj(xml(Buffer.from(await x.arrayBuffer())).body[0].v);
  assert.equal(xr.description, j.description, 'XML and JSON say the same');
  const over = await post(report({ description: description + '长长' }), 'json');
  assert.equal(over.status, 400);
});

test('(c) unknown Open311 paths answer .xml requests with <errors>', async () => {
  for (const path of ['nothing.xml', 'requests/a/b.xml', 'servicerequests.xml']) {
    const r = await fetch(`${srv.base}/open311/v2/${path}`);
    assert.equal(r.status, 404, path);
    assert.match(r.headers.get('content-type'), /^text\/xml/);
    const x = xml(Buffer.from(await r.arrayBuffer()));
    assert.equal(x.root, 'errors');
    assert.equal(obj(x.body[0].v).code, '404');
  }
  const j = await api(srv.base, '/open311/v2/nothing.json');
  assert.equal(j.status, 404);
  assert.equal(j.body[0].code, 404);
});

test('(d) a point outside the district names the spec\'s field long', async () => {
  const r = await post(report({ lat: '39.9', long: '116.4' }), 'json');
  assert.equal(r.status, 400, r.text);
  assert.match(JSON.parse(r.text)[0].description, /^long/);
});

test('(e) media_url is kept and shown as the photo link; (f) phone and email both kept', async () => {
  const url = 'https://fms.example.org/photo/12345.full.jpeg';
  const r = await post(report({ media_url: url, phone: '13800138000', email: 'wang@example.cn' }));
  assert.equal(r.status, 200, r.text);
  const id = idOf(r);
  const j = (await api(srv.base, `/open311/v2/requests/${id}.json`)).body[0];
  assert.equal(j.media_url, url);
  const x = await fetch(`${srv.base}/open311/v2/requests/${id}.xml`);
  assert.equal(obj(xml(Buffer.from(await x.arrayBuffer())).body[0].v).media_url, url);
  const e = await api(srv.base, `/api/v1/events/${id}`, { token: tok.center_jfb });
  assert.match(e.body.reporter.contact, /13800138000/);
  assert.match(e.body.reporter.contact, /wang@example\.cn/);
  const bad = await post(report({ media_url: 'javascript:alert(1)' }), 'json');
  assert.equal(bad.status, 400);
  assert.match(JSON.parse(bad.text)[0].description, /^media_url/);
});

test('(g) 作废 and 并案 are told apart in status_notes; (h) servicerequestupdates GET and POST', async () => {
  const start = new Date(Date.now() - 1000).toISOString();
  const a = idOf(await post(report({ description: '并案目标' })));
  const b = idOf(await post(report({ description: '重复上报' })));
  const c = idOf(await post(report({ description: '无效上报' })));
  const act = async (u, id, action, body = {}) => {
    const res = await api(srv.base, `/api/v1/events/${id}/actions/${action}`, { method: 'POST', token: tok[u], body });
    assert.equal(res.status, 200, `${action}: ${res.text}`);
  };
  await act('center_jfb', b, 'merge', { into: a });
  await act('center_jfb', c, 'accept');
  await act('grid_jfb', c, 'void', { reason: '现场无此问题' });
  await act('center_jfb', c, 'approve_void');
  const rb = (await api(srv.base, `/open311/v2/requests/${b}.json`)).body[0];
  const rc = (await api(srv.base, `/open311/v2/requests/${c}.json`)).body[0];
  assert.equal(rb.status, 'closed');
  assert.match(rb.status_notes, /并案/);
  assert.equal(rc.status, 'closed');
  assert.match(rc.status_notes, /作废/);

  const end = new Date(Date.now() + 1000).toISOString();
  const q = `api_key=${KEY}&start_date=${encodeURIComponent(start)}&end_date=${encodeURIComponent(end)}`;
  const g = await fetch(`${srv.base}/open311/v2/servicerequestupdates.xml?${q}`);
  assert.equal(g.status, 200);
  assert.match(g.headers.get('content-type'), /^text\/xml/);
  const ux = xml(Buffer.from(await g.arrayBuffer()));
  const updates = ux.body.map((u) => obj(u.v));
  assert.ok(updates.length >= 3, JSON.stringify(updates));
  assert.ok(updates.some((u) => u.service_request_id === b && u.status === 'duplicate'));
  assert.ok(updates.some((u) => u.service_request_id === c && u.status === 'closed' && /作废/.test(u.description)));
  for (const u of updates) assert.ok(u.update_id && u.updated_datetime, JSON.stringify(u));
  const gj = await api(srv.base, `/open311/v2/servicerequestupdates.json?${q}`);
  assert.equal(gj.status, 200);
  assert.deepEqual(gj.body.map((u) => u.update_id), updates.map((u) => u.update_id), 'JSON and XML agree');
  assert.equal((await fetch(`${srv.base}/open311/v2/servicerequestupdates.xml?api_key=wrong`)).status, 403);

  // POST an update from the client: it lands in the report's history
  const up = await post({ api_key: KEY, service_request_id: a, description: '居民补充：积水更深了',
    updated_datetime: new Date().toISOString(), status: 'OPEN' }, 'xml', 'servicerequestupdates');
  assert.equal(up.status, 200, up.text);
  const ur = xml(up.text);
  assert.equal(ur.root, 'service_request_updates');
  assert.match(obj(ur.body[0].v).update_id, /^\d+$/);
  const h = await api(srv.base, `/api/v1/events/${a}/history`, { token: tok.center_jfb });
  assert.ok(JSON.stringify(h.body).includes('积水更深了'), h.text.slice(0, 300));
  const none = await post({ api_key: KEY, service_request_id: '500103-19990101-00001', description: 'x' }, 'xml', 'servicerequestupdates');
  assert.equal(none.status, 404);
  assert.equal(xml(none.text).root, 'errors');
});
