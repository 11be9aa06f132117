// Open311 GeoReport v2 at /open311/v2/ checked by independent clients: every JSON answer is
// validated with ajv against JSON Schemas written from the spec's fields (open311-schemas/), and
// every XML answer is parsed by Python's xml.etree (a different parser in a different language)
// and compared with the JSON answer. A citizen's report becomes a 码上举报 event awaiting
// verification, is read back in both formats, and follows the workflow to closed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { startServer, api } from './lib.mjs';

const dir = new URL('./open311-schemas/', import.meta.url);
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
addFormats(ajv);
for (const f of readdirSync(dir).filter((f) => f.endsWith('.json')))
  ajv.addSchema(JSON.parse(readFileSync(new URL(f, dir), 'utf8')));

function valid(schema, body) {
  const ok = ajv.validate(schema, body);
  assert.ok(ok, `${schema}: ${ajv.errorsText(ajv.errors)}\n${JSON.stringify(body).slice(0, 600)}`);
}

// Parse XML with Python's xml.etree (Spark-like mapping: list containers become arrays).
function xml(text) {
  const py = `
import sys, json, xml.etree.ElementTree as ET
raw = sys.stdin.buffer.read()
assert raw.startswith(b'<?xml'), 'no XML declaration'
LISTS = {'services', 'service_requests', 'errors', 'endpoints', 'formats', 'attributes', 'values'}
def conv(e):
    if e.tag in LISTS:
        return [conv(c) for c in e]
    if len(e) == 0:
        return e.text or ''
    return {c.tag: conv(c) for c in e}
root = ET.fromstring(raw)
print(json.dumps({'root': root.tag, 'body': conv(root)}))
`;
  const r = spawnSync('python3', ['-c', py], { input: text });
  assert.equal(r.status, 0, `XML rejected by xml.etree: ${r.stderr}\n${text.slice(0, 400)}`);
  return JSON.parse(r.stdout);
}

let srv;
const tok = {};
const ctx = {};

before(async () => {
  srv = await startServer(['--pwhash-cost', 'min']);
  for (const u of ['center_jfb', 'grid_jfb']) {
    const r = await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username: u, password: 'zhizhi-demo' } });
    tok[u] = r.body.token;
  }
  ctx.grid = (await api(srv.base, '/api/v1/sessions/current', { token: tok.grid_jfb })).body.user.grid;
  [ctx.lon, ctx.lat] = (await api(srv.base, `/api/v1/regions/${ctx.grid}`)).body.center;
});
after(async () => { await srv?.stop(); });

const o = (path, opts) => api(srv.base, `/open311/v2/${path}`, opts);
async function getXml(path) {
  const r = await fetch(`${srv.base}/open311/v2/${path}`);
  assert.match(r.headers.get('content-type'), /^text\/xml; charset=utf-8/);
  return { status: r.status, ...xml(Buffer.from(await r.arrayBuffer())) };
}
function form(fields) {
  return new URLSearchParams(fields).toString();
}
async function post(fields, ext = 'json') {
  const r = await fetch(`${srv.base}/open311/v2/requests.${ext}`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form(fields),
  });
  const text = await r.text();
  return { status: r.status, type: r.headers.get('content-type'), text, body: ext === 'json' ? JSON.parse(text) : null };
}

test('discovery in JSON and XML', async () => {
  const j = await o('discovery.json');
  assert.equal(j.status, 200);
  assert.match(j.headers.get('content-type'), /^application\/json/);
  valid('discovery.json', j.body);
  assert.match(j.body.endpoints[0].url, /\/open311\/v2$/);
  const x = await getXml('discovery.xml');
  assert.equal(x.root, 'discovery');
  assert.equal(x.body.endpoints[0].url, j.body.endpoints[0].url);
  assert.deepEqual(x.body.endpoints[0].formats, ['text/xml', 'application/json']);
});

test('services and service definitions', async () => {
  const j = await o('services.json');
  assert.equal(j.status, 200);
  valid('services.json', j.body);
  const codes = j.body.map((s) => s.service_code);
  assert.ok(codes.includes('1101'), 'the 暴露垃圾 class is reportable');
  const x = await getXml('services.xml');
  assert.equal(x.root, 'services');
  assert.deepEqual(x.body.map((s) => s.service_code), codes);
  assert.equal(x.body[0].service_name, j.body[0].service_name);

  const d = await o('services/1101.json');
  assert.equal(d.status, 200);
  valid('service-definition.json', d.body);
  assert.equal(d.body.attributes[0].code, 'urgency');
  const dx = await getXml('services/1101.xml');
  assert.equal(dx.root, 'service_definition');
  assert.equal(dx.body.attributes[0].values[1].key, 'urgent');

  const nf = await o('services/nope.json');
  assert.equal(nf.status, 404);
  valid('errors.json', nf.body);
  assert.equal(nf.body[0].code, 404);
  const nfx = await getXml('services/nope.xml');
  assert.equal(nfx.status, 404);
  assert.equal(nfx.root, 'errors');
  assert.equal(nfx.body[0].code, '404');
});

test('a citizen report becomes a 码上举报 event awaiting verification, read back in JSON and XML', async () => {
  const description = '路口井盖缺失 <危险> & "请尽快处理"';
  const r = await post({ service_code: '1101', lat: String(ctx.lat), long: String(ctx.lon), description,
    first_name: '小明', last_name: '王', phone: '13800138000', 'attribute[urgency]': 'urgent',
    address_string: '解放碑步行街', jurisdiction_id: 'yuzhong' });
  assert.equal(r.status, 200, r.text);
  valid('post-response.json', r.body);
  const id = r.body[0].service_request_id;
  assert.match(id, /^500103-\d{8}-\d{5}$/);

  // the staff see it as a citizen_qr event waiting for 受理/核实
  const e = await api(srv.base, `/api/v1/events/${id}`, { token: tok.center_jfb });
  assert.equal(e.status, 200, e.text);
  assert.equal(e.body.channel, 'citizen_qr');
  assert.equal(e.body.state, 'reported');
  assert.equal(e.body.urgency, 'urgent');

  const j = await o(`requests/${id}.json`);
  assert.equal(j.status, 200);
  valid('requests.json', j.body);
  const req = j.body[0];
  assert.equal(req.status, 'open');
  assert.equal(req.service_code, '1101');
  assert.equal(req.description, description);
  assert.equal(req.address, '解放碑步行街');
  assert.match(req.status_notes, /上报/);
  assert.ok(req.expected_datetime, 'the deadline shows as expected_datetime');
  assert.ok(Math.abs(req.lat - ctx.lat) < 1e-5 && Math.abs(req.long - ctx.lon) < 1e-5);
  assert.ok(!JSON.stringify(j.body).includes('13800138000'), 'no reporter contact in public');

  const x = await getXml(`requests/${id}.xml`);
  assert.equal(x.root, 'service_requests');
  const xr = x.body[0];
  for (const k of ['service_request_id', 'status', 'status_notes', 'service_code', 'description',
    'requested_datetime', 'expected_datetime', 'agency_responsible'])
    assert.equal(xr[k], req[k], k);
  assert.equal(Number(xr.lat).toFixed(5), req.lat.toFixed(5));

  // the list: open, by service code, by id list; closed excludes it
  const open = await o('requests.json?status=open&service_code=1101');
  valid('requests.json', open.body);
  assert.ok(open.body.some((q) => q.service_request_id === id));
  assert.ok(open.body.every((q) => q.status === 'open' && q.service_code === '1101'));
  const closed = await o('requests.json?status=closed');
  valid('requests.json', closed.body);
  assert.ok(!closed.body.some((q) => q.service_request_id === id));
  const ids = await o(`requests.json?service_request_id=${id},500103-19990101-00001&status=closed`);
  assert.deepEqual(ids.body.map((q) => q.service_request_id), [id], 'an id list overrides the other filters');
  const lx = await getXml('requests.xml?status=open');
  assert.ok(lx.body.some((q) => q.service_request_id === id));

  // verified then voided by the staff: Open311 shows closed with the phase in status_notes
  const act = async (u, a, body = {}) => {
    const res = await api(srv.base, `/api/v1/events/${id}/actions/${a}`, { method: 'POST', token: tok[u], body });
    assert.equal(res.status, 200, `${a}: ${res.text}`);
  };
  await act('center_jfb', 'accept');
  assert.match((await o(`requests/${id}.json`)).body[0].status_notes, /核实/);
  await act('grid_jfb', 'void', { reason: '现场无此问题' });
  await act('center_jfb', 'approve_void');
  const v = await o(`requests/${id}.json`);
  valid('requests.json', v.body);
  assert.equal(v.body[0].status, 'closed');
  assert.match(v.body[0].status_notes, /作废/);
  assert.equal(v.body[0].expected_datetime, null);
});

test('a report in XML answers in XML', async () => {
  const r = await post({ service_code: '1101', lat: String(ctx.lat), long: String(ctx.lon), description: 'XML 上报' }, 'xml');
  assert.equal(r.status, 200, r.text);
  assert.match(r.type, /^text\/xml/);
  const x = xml(r.text);
  assert.equal(x.root, 'service_requests');
  assert.match(x.body[0].service_request_id, /^500103-/);
});

test('errors in the spec format with the right HTTP status', async () => {
  for (const [fields, hint] of [
    [{ lat: String(ctx.lat), long: String(ctx.lon) }, 'service_code'],
    [{ service_code: '1101' }, 'lat'],
    [{ service_code: '1101', address_string: '解放碑' }, 'lat'],
    [{ service_code: '1101', lat: '91', long: String(ctx.lon) }, 'lat'],
    [{ service_code: '1101', lat: String(ctx.lat), long: 'east' }, 'long'],
    [{ service_code: '9999', lat: String(ctx.lat), long: String(ctx.lon) }, 'service_code'],
    [{ service_code: '1101', lat: String(ctx.lat), long: String(ctx.lon), description: '长'.repeat(4001) }, 'description'],
    [{ service_code: '1101', lat: String(ctx.lat), long: String(ctx.lon), 'attribute[urgency]': 'panic' }, 'attribute[urgency]'],
  ]) {
    const r = await post(fields);
    assert.equal(r.status, 400, `${hint}: ${r.text}`);
    valid('errors.json', r.body);
    assert.equal(r.body[0].code, 400);
    assert.ok(r.body[0].description.startsWith(hint), r.body[0].description);
  }
  // a malformed form body
  const bad = await fetch(`${srv.base}/open311/v2/requests.json`, { method: 'POST', body: 'service_code=%zz' });
  assert.equal(bad.status, 400);
  valid('errors.json', await bad.json());
  // GET filters
  for (const q of ['status=pending', 'start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z',
    'start_date=2026-11-20T00:00:00%2B08:00&end_date=2026-11-10T00:00:00%2B08:00', 'start_date=soon']) {
    const r = await o(`requests.json?${q}`);
    assert.equal(r.status, 400, q);
    valid('errors.json', r.body);
  }
  const nf = await o('requests/500103-19990101-00001.json');
  assert.equal(nf.status, 404);
  valid('errors.json', nf.body);
  const nfx = await getXml('requests/500103-19990101-00001.xml');
  assert.equal(nfx.root, 'errors');
  assert.equal(nfx.status, 404);
});

test('api_key is required for POST when configured (403 in the spec format)', async () => {
  const s = await startServer(['--pwhash-cost', 'min', '--demo', 'false', '--open311-api-key', 's3cret']);
  try {
    const send = (fields, ext = 'json') => fetch(`${s.base}/open311/v2/requests.${ext}`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ service_code: '1101', lat: '29.55', long: '106.57', ...fields }),
    });
    for (const key of [undefined, 'wrong', '']) {
      const r = await send(key === undefined ? {} : { api_key: key });
      assert.equal(r.status, 403);
      const body = await r.json();
      valid('errors.json', body);
      assert.equal(body[0].code, 403);
    }
    const rx = await send({}, 'xml');
    assert.equal(rx.status, 403);
    assert.equal(xml(Buffer.from(await rx.arrayBuffer())).root, 'errors');
    const ok = await send({ api_key: 's3cret' });
    assert.notEqual(ok.status, 403, 'the right key passes the key check');
    // reading needs no key
    assert.equal((await fetch(`${s.base}/open311/v2/services.json`)).status, 200);
  } finally {
    await s.stop();
  }
});

test('Open311 reports share the residents\' rate limit: 429 in the spec format with Retry-After', async () => {
  const s = await startServer(['--pwhash-cost', 'min', '--public-report-limit', '2']);
  try {
    const send = (i) => fetch(`${s.base}/open311/v2/requests.json`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ service_code: '1101', lat: '29.5570', long: '106.5750', description: `第${i}次` }),
    });
    for (const i of [1, 2]) assert.equal((await send(i)).status, 200, `report ${i} is accepted`);
    const r = await send(3);
    assert.equal(r.status, 429);
    assert.ok(Number(r.headers.get('retry-after')) > 0, 'Retry-After says when to come back');
    const body = await r.json();
    valid('errors.json', body);
    assert.equal(body[0].code, 429);
  } finally {
    await s.stop();
  }
});
