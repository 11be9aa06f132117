// Issue 15, the rectification ledger (整改台账) and supervision clues, against the real binary.
// The ledger is dated, so the server is run under libfaketime on five days of one year (the
// same data directory each time): a problem with three measures is entered on 5 May, its
// measures reported and approved, closed (销号) on 10 June, reopened (反弹) on 1 July and closed
// again on 15 July; the figures as of each of those days are then what a reader of the paper
// ledger would count. Supervision clues answer 404 to everyone outside supervision.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, api, tmpDir } from './lib.mjs';

const LIB = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
const ADMIN_PW = 'ledger-e2e-password';
const PW = 'ledger-user-pw-1';

function fakeEnv(utc) {
  return { LD_PRELOAD: LIB, FAKETIME: `@${utc}`, FAKETIME_DONT_FAKE_MONOTONIC: '1', TZ: 'UTC' };
}

async function login(base, username, password = PW) {
  const r = await api(base, '/api/v1/sessions', { method: 'POST', body: { username, password } });
  assert.equal(r.status, 201, `login ${username}: ${r.text}`);
  return r.body.token;
}

// Run fn(base, tokens) on a server whose clock reads `day` (10:00 in Shanghai).
async function onDay(dir, pwFile, day, fn) {
  const srv = await startServer(['--pwhash-cost', 'min', '--demo', 'false', '--admin-password-file', pwFile],
    { dataDir: dir, env: fakeEnv(`${day} 02:00:00`) });
  try {
    const v = await api(srv.base, '/api/v1/version');
    assert.ok(v.body.now.startsWith(day), `faked clock ${v.body.now}`);
    const tokens = { admin: await login(srv.base, 'admin', ADMIN_PW) };
    for (const u of ['lg_center', 'lg_owner', 'lg_super', 'lg_audit', 'lg_grid']) {
      const r = await api(srv.base, '/api/v1/sessions', { method: 'POST', body: { username: u, password: PW } });
      if (r.status === 201) tokens[u] = r.body.token;
    }
    await fn(srv.base, tokens);
  } finally {
    await srv.stop();
  }
}

function figures(base, token, q) {
  return api(base, `/api/v1/ledger/figures?${q}`, { token });
}

test('a problem with three measures is closed, reopened and closed again; the figures of each day are right',
  { skip: !existsSync(LIB) && 'faketime is not installed (scripts/deps.sh)' }, async () => {
    const dir = tmpDir('zhizhi-ledger-');
    const pwFile = join(dir, 'admin.pw');
    writeFileSync(pwFile, ADMIN_PW + '\n');
    let pid;
    const mids = [];
    await onDay(dir, pwFile, '2026-05-05', async (base, t) => {
      for (const u of [
        { username: 'lg_center', role: 'center', level: 'district', region: '500103' },
        { username: 'lg_owner', role: 'department', department: 'urban' },
        { username: 'lg_super', role: 'supervisor', region: '500103' },
        { username: 'lg_audit', role: 'auditor', region: '500103' },
        { username: 'lg_grid', role: 'center', level: 'street', region: '500103001' },
      ]) {
        const r = await api(base, '/api/v1/users', { method: 'POST', token: t.admin, body: { ...u, password: PW } });
        assert.equal(r.status, 201, r.text);
      }
      const center = await login(base, 'lg_center');
      // Bad input names the field; nothing is written.
      for (const [body, field] of [
        [{ source: '督查', category: '作风', department: 'urban', deadline: '2026-06-30' }, 'title'],
        [{ title: 'x', source: '听说', category: '作风', department: 'urban', deadline: '2026-06-30' }, 'source'],
        [{ title: 'x', source: '督查', category: '作风', department: 'nosuch', deadline: '2026-06-30' }, 'department'],
        [{ title: 'x', source: '督查', category: '作风', department: 'urban', deadline: '30/06/2026' }, 'deadline'],
      ]) {
        const r = await api(base, '/api/v1/ledger/problems', { method: 'POST', token: center, body });
        assert.equal(r.status, 400, r.text);
        assert.equal(r.body.field, field, r.text);
        assert.match(r.headers.get('content-type'), /application\/problem\+json/);
      }
      const p = await api(base, '/api/v1/ledger/problems', {
        method: 'POST', token: center,
        body: { title: '背街小巷占道经营反复出现', source: '群众反映', category: '市容环境', department: 'urban', deadline: '2026-06-30', leader: '分管副区长' },
      });
      assert.equal(p.status, 201, p.text);
      pid = p.body.id;
      for (const [title, deadline] of [['早晚高峰定点值守', '2026-05-20'], ['设置便民疏导点', '2026-05-31'], ['建立长效巡查机制', '2026-06-15']]) {
        const m = await api(base, `/api/v1/ledger/problems/${pid}/measures`, {
          method: 'POST', token: center, body: { title, owner: 'lg_owner', deadline },
        });
        assert.equal(m.status, 201, m.text);
        mids.push(m.body.id);
      }
      const bad = await api(base, `/api/v1/ledger/problems/${pid}/measures`, {
        method: 'POST', token: center, body: { title: 'x', owner: 'nobody_here', deadline: '2026-06-01' },
      });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.field, 'owner');
      // 销号 is refused while measures are open.
      const c = await api(base, `/api/v1/ledger/problems/${pid}/close`, { method: 'POST', token: center });
      assert.equal(c.status, 409, c.text);
      assert.equal(c.body.code, 'measure_open');
      // A street center of another street does not see the district department's problem.
      const other = await api(base, `/api/v1/ledger/problems/${pid}`, { token: await login(base, 'lg_grid') });
      assert.equal(other.status, 404);
    });

    await onDay(dir, pwFile, '2026-05-25', async (base, t) => {
      const owner = t.lg_owner, center = t.lg_center;
      const detail = await api(base, `/api/v1/ledger/problems/${pid}`, { token: owner });
      assert.equal(detail.status, 200, detail.text);
      assert.deepEqual(detail.body.measures.map((m) => m.actions.map((a) => a.name)), [['done'], ['done'], ['done']]);
      // The server describes the form: evidence required, photos and event codes optional.
      assert.deepEqual(detail.body.measures[0].actions[0].fields.map((f) => [f.name, f.type, f.required]),
        [['evidence', 'text', true], ['attachments', 'photos', false], ['events', 'string', false]]);
      const noEvidence = await api(base, `/api/v1/ledger/measures/${mids[0]}/done`, { method: 'POST', token: owner, body: { evidence: '' } });
      assert.equal(noEvidence.status, 400);
      assert.equal(noEvidence.body.field, 'evidence');
      for (const id of mids.slice(0, 2)) {
        const d = await api(base, `/api/v1/ledger/measures/${id}/done`, { method: 'POST', token: owner, body: { evidence: '值守记录及照片 12 张' } });
        assert.equal(d.status, 200, d.text);
      }
      const self = await api(base, `/api/v1/ledger/measures/${mids[0]}/approve`, { method: 'POST', token: owner });
      assert.equal(self.status, 403, 'a department may not approve at all');
      const ok = await api(base, `/api/v1/ledger/measures/${mids[0]}/approve`, { method: 'POST', token: center });
      assert.equal(ok.status, 200, ok.text);
      const c = await api(base, `/api/v1/ledger/problems/${pid}/close`, { method: 'POST', token: center });
      assert.equal(c.status, 409);
    });

    await onDay(dir, pwFile, '2026-06-10', async (base, t) => {
      const owner = t.lg_owner, center = t.lg_center;
      const d = await api(base, `/api/v1/ledger/measures/${mids[2]}/done`, { method: 'POST', token: owner, body: { evidence: '巡查制度文件' } });
      assert.equal(d.status, 200, d.text);
      let c = await api(base, `/api/v1/ledger/problems/${pid}/close`, { method: 'POST', token: center });
      assert.equal(c.status, 409);
      assert.equal(c.body.code, 'not_approved');
      for (const id of mids.slice(1)) {
        const a = await api(base, `/api/v1/ledger/measures/${id}/approve`, { method: 'POST', token: t.lg_super });
        assert.equal(a.status, 200, a.text);
      }
      const detail = await api(base, `/api/v1/ledger/problems/${pid}`, { token: center });
      assert.deepEqual(detail.body.actions.map((a) => a.name), ['add_measure', 'close', 'spawn_event']);
      assert.deepEqual(detail.body.actions[0].fields.map((f) => [f.name, f.type]), [['title', 'text'], ['owner', 'string'], ['deadline', 'date']]);
      c = await api(base, `/api/v1/ledger/problems/${pid}/close`, { method: 'POST', token: center });
      assert.equal(c.status, 200, c.text);
      c = await api(base, `/api/v1/ledger/problems/${pid}/close`, { method: 'POST', token: center });
      assert.equal(c.status, 409);
      assert.equal(c.body.code, 'already_closed');
    });

    await onDay(dir, pwFile, '2026-07-01', async (base, t) => {
      const noReason = await api(base, `/api/v1/ledger/problems/${pid}/reopen`, { method: 'POST', token: t.lg_super, body: {} });
      assert.equal(noReason.status, 400);
      assert.equal(noReason.body.field, 'reason');
      const r = await api(base, `/api/v1/ledger/problems/${pid}/reopen`, { method: 'POST', token: t.lg_super, body: { reason: '回访发现占道经营回潮' } });
      assert.equal(r.status, 200, r.text);
      const byOwner = await api(base, `/api/v1/ledger/problems/${pid}/reopen`, { method: 'POST', token: t.lg_owner, body: { reason: 'x' } });
      assert.equal(byOwner.status, 403);
    });

    await onDay(dir, pwFile, '2026-07-15', async (base, t) => {
      const c = await api(base, `/api/v1/ledger/problems/${pid}/close`, { method: 'POST', token: t.lg_center });
      assert.equal(c.status, 200, c.text);
      const tok = t.lg_center;
      const expect = {
        '2026-05-04': { problems: 0, measures: 0, closed: 0, closure_rate: null, overdue_measures: 0 },
        '2026-05-05': { problems: 1, measures: 3, closed: 0, closure_rate: 0, overdue_measures: 0 },
        '2026-05-21': { problems: 1, measures: 3, closed: 0, closure_rate: 0, overdue_measures: 1 },
        '2026-05-25': { problems: 1, measures: 3, closed: 0, closure_rate: 0, overdue_measures: 0 },
        '2026-06-10': { problems: 1, measures: 3, closed: 1, closure_rate: 1, overdue_measures: 0 },
        '2026-07-01': { problems: 1, measures: 3, closed: 0, closure_rate: 0, overdue_measures: 0 },
        '2026-07-15': { problems: 1, measures: 3, closed: 1, closure_rate: 1, overdue_measures: 0 },
      };
      for (const [day, want] of Object.entries(expect)) {
        const f = await figures(base, tok, `as_of=${day}`);
        assert.equal(f.status, 200, f.text);
        const got = Object.fromEntries(Object.keys(want).map((k) => [k, f.body[k]]));
        assert.deepEqual(got, want, day);
      }
      // Grouped: the department's row carries the same figures, by source too.
      const g = await figures(base, tok, 'as_of=2026-07-01&group_by=department');
      assert.deepEqual(g.body.items.map((r) => [r.key, r.label, r.problems, r.closed, r.reopened]), [['urban', '区城市管理局', 1, 0, 1]]);
      const s = await figures(base, tok, 'as_of=2026-06-10&group_by=source');
      assert.deepEqual(s.body.items.map((r) => [r.key, r.closed, r.closure_rate]), [['群众反映', 1, 1]]);
      // The ledger of 4 May beside today's, and what happened in between.
      const cmp = await figures(base, tok, 'as_of=2026-07-15&since=2026-05-04');
      assert.deepEqual(cmp.body.changes, { from: '2026-05-04', to: '2026-07-15', problems_added: 1, measures_added: 3, closed: 2, reopened: 1 });
      assert.equal(cmp.body.since.problems, 0);
      // The problem's list status as of a day.
      const list = await api(base, '/api/v1/ledger/problems?as_of=2026-07-01', { token: tok });
      assert.deepEqual(list.body.items.map((p) => [p.id, p.status, p.status_label]), [[pid, 'open', '整改中']]);
      // Bad queries name the field.
      for (const [q, field] of [['as_of=2026-13-01', 'as_of'], ['group_by=street', 'group_by']]) {
        const r = await figures(base, tok, q);
        assert.equal(r.status, 400);
        assert.equal(r.body.field, field);
      }
      // CSV with a BOM, the total row last.
      const csv = await fetch(`${base}/api/v1/ledger/figures.csv?as_of=2026-07-15&group_by=department`, { headers: { Authorization: `Bearer ${tok}` } });
      const bytes = new Uint8Array(await csv.arrayBuffer());
      assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
      const lines = new TextDecoder().decode(bytes.slice(3)).trim().split('\r\n');
      assert.equal(lines.at(-1), ',合计,1,1,0,0,100.0,1,0,3,3,0');
      // Every write is in the audit chain: create, 3 measures, 3 done, 3 approvals, close, reopen, close.
      const audit = await api(base, '/api/v1/audit?limit=200', { token: t.admin });
      const acts = audit.body.items.filter((a) => a.object_type.startsWith('ledger_')).map((a) => a.action).sort();
      assert.deepEqual(acts, [
        'ledger.measure.approve', 'ledger.measure.approve', 'ledger.measure.approve',
        'ledger.measure.create', 'ledger.measure.create', 'ledger.measure.create',
        'ledger.measure.done', 'ledger.measure.done', 'ledger.measure.done',
        'ledger.problem.close', 'ledger.problem.close', 'ledger.problem.create', 'ledger.problem.reopen',
      ]);
    });
  });

test('supervision clues are invisible (404) to everyone outside supervision; the reporter stays inside',
  async () => {
    const dir = tmpDir('zhizhi-supervision-');
    const pwFile = join(dir, 'admin.pw');
    writeFileSync(pwFile, ADMIN_PW + '\n');
    const srv = await startServer(['--pwhash-cost', 'min', '--admin-password-file', pwFile]);
    try {
      const base = srv.base;
      const tok = {};
      tok.admin = await login(base, 'admin', ADMIN_PW);
      for (const u of ['center_yz', 'center_jfb', 'dept_urban', 'post_jfb_cg', 'grid_jfb', 'volunteer_jfb', 'auditor_yz', 'supervisor_yz'])
        tok[u] = await login(base, u, 'zhizhi-demo');
      // A resident's anonymous 码上举报, and one with a name.
      const pub = await api(base, '/api/v1/public/supervision-reports', { method: 'POST', body: { summary: '某单位工作人员收受购物卡', region: '500103003' } });
      assert.equal(pub.status, 201, pub.text);
      assert.match(pub.body.tracking_code, /^[2-9A-HJ-NP-Z]{10}$/);
      assert.deepEqual(Object.keys(pub.body), ['tracking_code']);
      const named = await api(base, '/api/v1/public/supervision-reports', {
        method: 'POST', body: { summary: '违规吃喝', anonymous: false, reporter_name: '王某某', reporter_phone: '13800138000' },
      });
      assert.equal(named.status, 201);
      const track = await api(base, `/api/v1/public/supervision-reports/${pub.body.tracking_code}`);
      assert.equal(track.status, 200);
      assert.equal(track.body.status, '已受理，正在初核');
      assert.equal((await api(base, '/api/v1/public/supervision-reports/AAAAAAAAAA')).status, 404);
      const bad = await api(base, '/api/v1/public/supervision-reports', { method: 'POST', body: { summary: '' } });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.field, 'summary');

      const list = await api(base, '/api/v1/supervision/clues', { token: tok.supervisor_yz });
      assert.equal(list.status, 200, list.text);
      const namedClue = list.body.items.find((c) => c.summary === '违规吃喝');
      assert.ok(namedClue && !('reporter' in namedClue), 'no reporter in lists');
      const id = namedClue.id;
      const detail = await api(base, `/api/v1/supervision/clues/${id}`, { token: tok.supervisor_yz });
      assert.deepEqual(detail.body.reporter, { name: '王某某', phone: '13800138000' });
      const asAuditor = await api(base, `/api/v1/supervision/clues/${id}`, { token: tok.auditor_yz });
      assert.equal(asAuditor.status, 200);
      assert.ok(!('reporter' in asAuditor.body), 'the read-only auditor does not get the reporter');

      // Everyone outside supervision: 404 on every path, reads and writes alike.
      const paths = [
        ['GET', '/api/v1/supervision/clues'], ['GET', '/api/v1/supervision/figures'],
        ['GET', `/api/v1/supervision/clues/${id}`], ['POST', '/api/v1/supervision/clues', { channel: '来信', summary: 'x' }],
        ['POST', `/api/v1/supervision/clues/${id}/decide`, { decision: '立案' }],
        ['POST', `/api/v1/supervision/clues/${id}/shares`, { mechanism: '区审计局' }],
        ['POST', `/api/v1/supervision/clues/${id}/problems`, { title: 'x' }],
      ];
      for (const who of ['admin', 'center_yz', 'center_jfb', 'dept_urban', 'post_jfb_cg', 'grid_jfb', 'volunteer_jfb']) {
        for (const [method, path, body] of paths) {
          const r = await api(base, path, { method, token: tok[who], body });
          assert.equal(r.status, 404, `${who} ${method} ${path}: ${r.status} ${r.text}`);
          assert.ok(!r.text.includes('王某某') && !r.text.includes('违规吃喝'));
        }
      }
      for (const [method, path, body] of paths) assert.equal((await api(base, path, { method, body })).status, 401);
      // The auditor reads but does not decide; the supervisor decides along the table.
      assert.equal((await api(base, `/api/v1/supervision/clues/${id}/decide`, { method: 'POST', token: tok.auditor_yz, body: { decision: '立案' } })).status, 403);
      const noMech = await api(base, `/api/v1/supervision/clues/${id}/decide`, { method: 'POST', token: tok.supervisor_yz, body: { decision: '移送' } });
      assert.equal(noMech.status, 400);
      assert.equal(noMech.body.field, 'mechanism');
      const early = await api(base, `/api/v1/supervision/clues/${id}/decide`, { method: 'POST', token: tok.supervisor_yz, body: { decision: '办结' } });
      assert.equal(early.status, 409);
      const finding = { title: '区城管局个别干部违规接受宴请', category: '作风', department: 'urban', deadline: '2026-12-31', leader: '分管副局长' };
      const unproven = await api(base, `/api/v1/supervision/clues/${id}/problems`, { method: 'POST', token: tok.supervisor_yz, body: finding });
      assert.equal(unproven.status, 409, 'a clue still in 初核 is not put on the ledger');
      assert.ok(!(await api(base, `/api/v1/supervision/clues/${id}`, { token: tok.supervisor_yz })).body.actions.some((a) => a.name === 'rectify'));
      const filed = await api(base, `/api/v1/supervision/clues/${id}/decide`, { method: 'POST', token: tok.supervisor_yz, body: { decision: '立案', reason: '初核属实' } });
      assert.equal(filed.status, 200, filed.text);
      // The case's finding goes on the rectification ledger: the form is the server's, with the
      // departments in scope as choices; the ledger's readers see a 督查 problem and no clue.
      const offered = (await api(base, `/api/v1/supervision/clues/${id}`, { token: tok.supervisor_yz })).body;
      const rectify = offered.actions.find((a) => a.name === 'rectify');
      assert.ok(rectify, JSON.stringify(offered.actions));
      assert.ok(rectify.fields.find((f) => f.name === 'department').choices.some((c) => c.value === 'urban'));
      assert.equal(rectify.fields.find((f) => f.name === 'source').default, '督查');
      assert.equal((await api(base, rectify.path, { method: 'POST', token: tok.auditor_yz, body: finding })).status, 403);
      const noDept = await api(base, rectify.path, { method: 'POST', token: tok.supervisor_yz, body: { ...finding, department: 'nowhere' } });
      assert.equal(noDept.status, 400);
      assert.equal(noDept.body.field, 'department');
      const put = await api(base, rectify.path, { method: 'POST', token: tok.supervisor_yz, body: finding });
      assert.equal(put.status, 201, put.text);
      const onLedger = await api(base, `/api/v1/ledger/problems/${put.body.id}`, { token: tok.center_yz });
      assert.equal(onLedger.status, 200, onLedger.text);
      assert.equal(onLedger.body.source ?? onLedger.body.problem?.source, '督查');
      assert.ok(!onLedger.text.includes('违规吃喝') && !onLedger.text.includes('王某某') && !onLedger.text.includes('clue'));
      assert.deepEqual((await api(base, `/api/v1/supervision/clues/${id}`, { token: tok.supervisor_yz })).body.problems, [put.body.id]);
      const share = await api(base, `/api/v1/supervision/clues/${id}/shares`, { method: 'POST', token: tok.supervisor_yz, body: { mechanism: '区审计局', note: '共享初核材料' } });
      assert.equal(share.status, 201, share.text);
      const done = await api(base, `/api/v1/supervision/clues/${id}/decide`, {
        method: 'POST', token: tok.supervisor_yz, body: { decision: '办结', persons: 2, notice: '关于违规吃喝问题的通报' },
      });
      assert.equal(done.status, 200, done.text);
      assert.equal(done.body.status, '办结');
      const after = await api(base, `/api/v1/public/supervision-reports/${pub.body.tracking_code}`);
      assert.equal(after.body.status, '已受理，正在初核');
      const f = await api(base, '/api/v1/supervision/figures', { token: tok.auditor_yz });
      assert.equal(f.status, 200);
      assert.ok(f.body.shares >= 1 && f.body.persons >= 2 && f.body.cases >= 1, f.text);
      // The audit chain has the clue rows, never the reporter.
      const audit = await api(base, '/api/v1/audit?object_type=supervision_clue&limit=500', { token: tok.admin });
      assert.ok(audit.body.items.length >= 5, audit.text);
      assert.ok(!audit.text.includes('王某某') && !audit.text.includes('13800138000'));
    } finally {
      await srv.stop({ keep: false });
    }
  });

// A 1×1 PNG: an evidence photo.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

test('a problem spawns an event for the grid; a measure is done with photos and events as evidence, read by supervision through the ledger',
  async () => {
    const srv = await startServer(['--pwhash-cost', 'min']);
    try {
      const base = srv.base;
      const tok = {};
      for (const u of ['center_yz', 'dept_urban', 'supervisor_yz', 'center_jfb'])
        tok[u] = await login(base, u, 'zhizhi-demo');
      const p = await api(base, '/api/v1/ledger/problems', {
        method: 'POST', token: tok.center_yz,
        body: { title: '七星岗片区井盖破损反复出现', source: '督查', category: '城市管理', department: 'urban', deadline: '2099-12-31' },
      });
      assert.equal(p.status, 201, p.text);
      const pid = p.body.id;
      const m = await api(base, `/api/v1/ledger/problems/${pid}/measures`, {
        method: 'POST', token: tok.center_yz, body: { title: '逐一更换破损井盖', owner: 'dept_urban', deadline: '2099-12-31' },
      });
      assert.equal(m.status, 201, m.text);

      // The spawn form offers the event classes the server knows.
      const detail = await api(base, `/api/v1/ledger/problems/${pid}`, { token: tok.center_yz });
      const spawn = detail.body.actions.find((a) => a.name === 'spawn_event');
      assert.ok(spawn, JSON.stringify(detail.body.actions));
      const cat = spawn.fields.find((f) => f.name === 'category');
      assert.ok(cat.choices.some((c) => c.value === '0102'), 'categories offered as choices');
      const grid = (await api(base, '/api/v1/regions?level=grid&limit=1', { token: tok.center_yz })).body.items[0].code;
      for (const [body, field] of [[{ category: '0102' }, 'grid'], [{ category: 'nosuch', grid }, 'category']]) {
        const r = await api(base, `/api/v1/ledger/problems/${pid}/events`, { method: 'POST', token: tok.center_yz, body });
        assert.equal(r.status, 400, r.text);
        assert.equal(r.body.field, field, r.text);
      }
      const ev = await api(base, `/api/v1/ledger/problems/${pid}/events`, {
        method: 'POST', token: tok.center_yz, body: { category: '0102', grid, description: '台账问题转派网格核查' },
      });
      assert.equal(ev.status, 201, ev.text);
      const code = ev.body.event;
      const e = await api(base, `/api/v1/events/${code}`, { token: tok.center_yz });
      assert.equal(e.status, 200, e.text);
      assert.deepEqual(e.body.link, { type: 'ledger', id: String(pid) });
      assert.equal(e.body.channel, 'supervision');
      assert.equal(e.body.title, '七星岗片区井盖破损反复出现');
      const again = await api(base, `/api/v1/ledger/problems/${pid}`, { token: tok.center_yz });
      assert.deepEqual(again.body.events, [code]);
      // A department cannot spawn events (no ledger.write): not offered, and refused.
      const asDept = await api(base, `/api/v1/ledger/problems/${pid}`, { token: tok.dept_urban });
      assert.ok(!asDept.body.actions.some((a) => a.name === 'spawn_event'));
      assert.equal((await api(base, `/api/v1/ledger/problems/${pid}/events`, { method: 'POST', token: tok.dept_urban, body: { category: '0102', grid } })).status, 403);

      // The owner reports the measure done with a photo and the event as evidence.
      const up = await fetch(`${base}/api/v1/attachments`, { method: 'POST', headers: { Authorization: `Bearer ${tok.dept_urban}`, 'Content-Type': 'image/png' }, body: PNG });
      assert.equal(up.status, 201);
      const sha = (await up.json()).sha256;
      const badSha = 'a'.repeat(64);
      for (const [body, field] of [
        [{ evidence: '更换记录', attachments: [badSha] }, 'attachments'],
        [{ evidence: '更换记录', events: '500103-20000101-99999' }, 'events'],
        [{ evidence: '更换记录', attachments: 'x' }, 'attachments'],
      ]) {
        const r = await api(base, `/api/v1/ledger/measures/${m.body.id}/done`, { method: 'POST', token: tok.dept_urban, body });
        assert.equal(r.status, 400, r.text);
        assert.equal(r.body.field, field);
      }
      const stillOpen = await api(base, `/api/v1/ledger/problems/${pid}`, { token: tok.dept_urban });
      assert.equal(stillOpen.body.measures[0].done_on, '', 'a refused report writes nothing');
      const done = await api(base, `/api/v1/ledger/measures/${m.body.id}/done`, {
        method: 'POST', token: tok.dept_urban, body: { evidence: '更换记录及照片', attachments: [sha] },
      });
      assert.equal(done.status, 200, done.text);
      // Supervision reads the photo through the ledger (it reads no events)…
      const sup = await api(base, `/api/v1/ledger/problems/${pid}`, { token: tok.supervisor_yz });
      const file = sup.body.measures[0].files[0];
      assert.equal(file.sha256, sha);
      const got = await fetch(base + file.url, { headers: { Authorization: `Bearer ${tok.supervisor_yz}` } });
      assert.equal(got.status, 200);
      assert.deepEqual(Buffer.from(await got.arrayBuffer()), PNG);
      assert.notEqual((await fetch(`${base}/api/v1/attachments/${sha}`, { headers: { Authorization: `Bearer ${tok.supervisor_yz}` } })).status, 200);
      // …but nothing that is not the measure's, nor outside the reader's scope.
      assert.equal((await fetch(`${base}/api/v1/ledger/measures/${m.body.id}/files/${badSha}`, { headers: { Authorization: `Bearer ${tok.supervisor_yz}` } })).status, 404);
      assert.equal((await fetch(base + file.url, { headers: { Authorization: `Bearer ${tok.center_jfb}` } })).status, 404);

      // Approved by supervision, closed; a closed problem spawns nothing more.
      assert.equal((await api(base, `/api/v1/ledger/measures/${m.body.id}/approve`, { method: 'POST', token: tok.supervisor_yz })).status, 200);
      assert.equal((await api(base, `/api/v1/ledger/problems/${pid}/close`, { method: 'POST', token: tok.center_yz })).status, 200);
      const late = await api(base, `/api/v1/ledger/problems/${pid}/events`, { method: 'POST', token: tok.center_yz, body: { category: '0102', grid } });
      assert.equal(late.status, 409);
      assert.equal(late.body.code, 'problem_closed');
    } finally {
      await srv.stop();
    }
  });

test('the board\'s spreadsheet is imported all or nothing: every bad row by its line, then the good file', async () => {
  const srv = await startServer(['--pwhash-cost', 'min']);
  try {
    const base = srv.base;
    const center = await login(base, 'center_yz', 'zhizhi-demo');
    const post = (text, type = 'text/csv') => fetch(`${base}/api/v1/ledger/problems.csv`, {
      method: 'POST', headers: { Authorization: `Bearer ${center}`, 'Content-Type': type }, body: text,
    });
    const count = async () => (await api(base, '/api/v1/ledger/problems', { token: center })).body.items.length;
    const before = await count();
    const head = '\ufeff问题,来源,类别,责任单位,责任领导,整改时限,列入日期,措施,措施责任人,措施时限\r\n';
    const good = [
      '导入：老旧小区消防通道被占,督查,安全生产,区城市管理局,分管副区长,2026-12-31,2026-06-01,清理占用物,dept_urban,2026-06-30',
      '导入：老旧小区消防通道被占,督查,安全生产,区城市管理局,分管副区长,2026-12-31,2026-06-01,落实物业巡查,dept_urban,2026-07-31',
      '"导入：学校周边拥堵, 上下学时段",群众反映,交通秩序,urban,,2026-10-31,2026-07-01,,,',
    ];
    const bad = [
      good[0],
      '导入：错误单位,督查,安全生产,不存在的局,,2026-12-31,2026-06-01,,,',
      '导入：错误日期,督查,安全生产,urban,,2026/12/31,2026-06-01,,,',
      '导入：错误责任人,督查,安全生产,urban,,2026-12-31,2026-06-01,措施一,nobody_here,2026-07-01',
      '导入：老旧小区消防通道被占,巡察,安全生产,区城市管理局,分管副区长,2026-12-31,2026-06-01,,,',
      '导入：来源不对,听说,安全生产,urban,,2026-12-31,2026-06-01,,,',
    ];
    const r = await post(head + bad.join('\r\n') + '\r\n');
    assert.equal(r.status, 400);
    assert.match(r.headers.get('content-type'), /application\/problem\+json/);
    const p = await r.json();
    assert.equal(p.code, 'invalid_rows');
    assert.deepEqual(p.errors.map((e) => [e.line, e.field, e.code]), [
      [3, '责任单位', 'unknown_department'], [4, '整改时限', 'invalid_date'], [5, '措施责任人', 'unknown_user'],
      [6, '问题', 'inconsistent'], [7, '来源', 'invalid_source'],
    ]);
    assert.equal(await count(), before, 'nothing written');
    assert.equal((await post(head + good.join('\r\n'), 'application/json')).status, 415);
    assert.equal((await post('问题,来源\r\nx,督查\r\n')).status, 400);
    const ok = await post(head + good.join('\r\n') + '\r\n');
    assert.equal(ok.status, 201, await ok.clone().text());
    assert.deepEqual(await ok.json(), { problems: 2, measures: 2 });
    const list = (await api(base, '/api/v1/ledger/problems?as_of=2026-07-01', { token: center })).body.items
      .filter((x) => x.title.startsWith('导入：'));
    assert.deepEqual(list.map((x) => [x.title, x.department, x.created_on, x.source]), [
      ['导入：老旧小区消防通道被占', 'urban', '2026-06-01', '督查'],
      ['导入：学校周边拥堵, 上下学时段', 'urban', '2026-07-01', '群众反映'],
    ]);
    const one = (await api(base, `/api/v1/ledger/problems/${list[0].id}`, { token: center })).body;
    assert.deepEqual(one.measures.map((m) => [m.title, m.owner, m.deadline, m.created_on]), [
      ['清理占用物', 'dept_urban', '2026-06-30', '2026-06-01'], ['落实物业巡查', 'dept_urban', '2026-07-31', '2026-06-01'],
    ]);
    // One audit row for the import.
    const auditor = await login(base, 'auditor_yz', 'zhizhi-demo');
    const audit = await api(base, '/api/v1/audit?limit=50', { token: auditor });
    assert.equal(audit.body.items.filter((a) => a.action === 'ledger.import').length, 1);
  } finally {
    await srv.stop();
  }
});
