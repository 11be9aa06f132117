// Reliability drills (issue 11 #5), each against the real binary on a loopback port, bounded in
// time and stopping by itself. Not part of `make test` (they take minutes); `make drills` runs
// them all and docs/reliability.md records their figures. Each drill prints its figures and ends
// with a line "DRILL <name> ok|FAILED: why" and exits non-zero when it failed.
//
//   node tests/drills/drills.mjs soak      [--seconds 60] [--conns 256]  (ZHIZHI_BIN: e.g. the ASan build)
//   node tests/drills/drills.mjs kill      [--seconds 60] [--every 2]
//   node tests/drills/drills.mjs backup    [--seconds 20]
//   node tests/drills/drills.mjs diskfull
import http from 'node:http';
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, run, startServer } from '../e2e/lib.mjs';

const argv = process.argv.slice(2);
const drill = argv[0];
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i > 0 ? Number(argv[i + 1]) : dflt;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// One keep-alive agent for all of a drill's requests: `conns` sockets at most.
function client(conns) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: conns, maxFreeSockets: conns });
  return (base, path, { method = 'GET', body, token } = {}) => new Promise((resolve) => {
    const u = new URL(path, base);
    const data = body === undefined ? null : Buffer.from(JSON.stringify(body));
    const headers = { accept: 'application/json' };
    if (data) { headers['content-type'] = 'application/json'; headers['content-length'] = data.length; }
    if (token) headers.authorization = `Bearer ${token}`;
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json = null;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, body: json, text, type: res.headers['content-type'] || '' });
      });
      res.on('error', (e) => resolve({ status: 0, text: String(e) }));
    });
    req.setTimeout(30000, () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ status: 0, text: String(e) }));
    if (data) req.write(data);
    req.end();
  });
}

async function login(call, base, username) {
  const r = await call(base, '/api/v1/sessions', { method: 'POST', body: { username, password: 'zhizhi-demo' } });
  if (r.status !== 201) throw new Error(`login ${username}: ${r.status} ${r.text}`);
  return r.body.token;
}

// The demo grid worker's grid and a point inside it.
async function staff(call, base) {
  const tok = {};
  for (const u of ['grid_jfb', 'center_jfb', 'dept_urban']) tok[u] = await login(call, base, u);
  const me = await call(base, '/api/v1/sessions/current', { token: tok.grid_jfb });
  const grid = me.body.user.grid;
  const region = await call(base, `/api/v1/regions/${grid}`);
  return { tok, grid, center: region.body.center };
}

const rssKiB = (pid) => {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+)/m);
  return m ? Number(m[1]) : 0;
};

function finish(name, failures, figures) {
  for (const [k, v] of Object.entries(figures)) console.log(`${name}.${k} ${v}`);
  if (failures.length) {
    console.log(`DRILL ${name} FAILED: ${failures.join('; ')}`);
    process.exitCode = 1;
  } else {
    console.log(`DRILL ${name} ok`);
  }
}

// ---- soak: `conns` connections for `seconds`, reads, creations and transitions mixed --------

async function soak() {
  const seconds = opt('seconds', 60);
  const conns = opt('conns', 256);
  const srv = await startServer(['--pwhash-cost', 'min', '--max-connections', String(conns + 64)]);
  const call = client(conns);
  const failures = [];
  try {
    const { tok, center } = await staff(call, srv.base);
    const counts = { read: 0, create: 0, transition: 0 };
    const errors = new Map();
    const samples = [];
    const t0 = Date.now();
    const end = t0 + seconds * 1000;
    const sampler = setInterval(() => samples.push({ t: (Date.now() - t0) / 1000, kib: rssKiB(srv.proc.pid) }), 1000);
    const note = (what, r) => {
      const k = `${what} ${r.status} ${(r.body && r.body.code) || r.text.slice(0, 60)}`;
      errors.set(k, (errors.get(k) || 0) + 1);
    };
    const worker = async (w) => {
      const mine = []; // codes this worker created and has yet to move on
      for (let i = 0; Date.now() < end; i++) {
        const op = (w + i) % 10;
        let r;
        if (op < 6) {
          const paths = ['/api/v1/events?limit=20', '/api/v1/regions/500103', '/api/v1/events?status=open&limit=50',
            mine.length ? `/api/v1/events/${mine[mine.length - 1].code}` : '/api/v1/boards'];
          r = await call(srv.base, paths[i % paths.length], { token: tok.center_jfb });
          if (r.status === 200) counts.read++; else note('read', r);
        } else if (op < 8 || mine.length === 0) {
          // a few metres apart, so the duplicate check has work to do but every report is kept
          const d = ((w * 7919 + i) % 400) * 1e-6;
          r = await call(srv.base, '/api/v1/events', { method: 'POST', token: tok.grid_jfb,
            body: { category: '1101', title: `浸泡测试 ${w}-${i}`, description: '浸泡测试', lon: center[0] + d, lat: center[1] + d / 2 } });
          if (r.status === 201) { counts.create++; mine.push({ code: r.body.code, step: 0 }); } else note('create', r);
        } else {
          const e = mine[0];
          const action = ['register', 'dispatch'][e.step];
          r = await call(srv.base, `/api/v1/events/${e.code}/actions/${action}`, { method: 'POST', token: tok.center_jfb,
            body: action === 'dispatch' ? { department: 'urban' } : {} });
          if (r.status === 200) counts.transition++; else note(action, r);
          if (++e.step === 2) mine.shift();
        }
      }
    };
    await Promise.all(Array.from({ length: conns }, (_, w) => worker(w)));
    clearInterval(sampler);
    const total = counts.read + counts.create + counts.transition;
    const nerr = [...errors.values()].reduce((a, b) => a + b, 0);
    // RSS after the first sixth (caches warm) against the end of the run
    const warm = samples.find((s) => s.t >= seconds / 6) || samples[0];
    const last = samples[samples.length - 1];
    const peak = Math.max(...samples.map((s) => s.kib));
    const growth = (last.kib - warm.kib) / warm.kib;
    if (nerr) failures.push(`${nerr} errors: ${[...errors].slice(0, 5).map(([k, v]) => `${v}× ${k}`).join(', ')}`);
    if (growth > 0.10) failures.push(`RSS grew ${(growth * 100).toFixed(1)}% after warm-up`);
    const asan = /ERROR: AddressSanitizer|runtime error:|LeakSanitizer/.exec(srv.log());
    if (asan) failures.push(`sanitizer report in the server log: ${asan[0]}`);
    finish('soak', failures, {
      seconds, connections: conns, requests: total, requests_per_s: (total / seconds).toFixed(0),
      reads: counts.read, creations: counts.create, transitions: counts.transition, errors: nerr,
      rss_warm_mib: (warm.kib / 1024).toFixed(1), rss_end_mib: (last.kib / 1024).toFixed(1),
      rss_peak_mib: (peak / 1024).toFixed(1), rss_growth_pct: (growth * 100).toFixed(1),
    });
  } finally {
    await srv.stop();
    const asan = /ERROR: AddressSanitizer|runtime error:|LeakSanitizer/.exec(srv.log());
    if (asan && !process.exitCode) finish('soak-exit', [`sanitizer report at exit: ${asan[0]}`], {});
  }
}

// ---- kill: SIGKILL every `every` seconds during writes; acknowledged writes must survive ----

async function kill() {
  const seconds = opt('seconds', 60);
  const every = opt('every', 2);
  const dir = mkdtempSync(join(tmpdir(), 'zhizhi-kill-'));
  const call = client(16);
  const acked = [];
  const failures = [];
  let kills = 0;
  let restarts = [];
  let srv = await startServer(['--pwhash-cost', 'min'], { dataDir: dir });
  try {
    let { tok, center } = await staff(call, srv.base);
    const end = Date.now() + seconds * 1000;
    while (Date.now() < end) {
      const until = Date.now() + every * 1000;
      const writer = async (w) => {
        for (let i = 0; Date.now() < until; i++) {
          const r = await call(srv.base, '/api/v1/events', { method: 'POST', token: tok.grid_jfb,
            body: { category: '1101', title: `断电测试 ${kills}-${w}-${i}`, description: '断电测试', lon: center[0], lat: center[1] } });
          if (r.status === 201) acked.push(r.body.code);
          else if (r.status !== 0) { failures.push(`write refused: ${r.status} ${r.text.slice(0, 80)}`); return; }
          else return; // the server is gone mid-request: not acknowledged
        }
      };
      const writers = Array.from({ length: 8 }, (_, w) => writer(w));
      await sleep(every * 1000);
      srv.proc.kill('SIGKILL');
      await srv.exited;
      kills++;
      await Promise.all(writers);
      const v = run(['audit', 'verify', '--data-dir', dir]);
      if (v.status !== 0) failures.push(`audit verify after kill ${kills}: ${v.stdout}${v.stderr}`);
      const t = Date.now();
      srv = await startServer(['--pwhash-cost', 'min'], { dataDir: dir });
      restarts.push(Date.now() - t);
      ({ tok } = await staff(call, srv.base));
    }
    let lost = 0;
    for (const code of acked) {
      const r = await call(srv.base, `/api/v1/events/${code}`, { token: tok.center_jfb });
      if (r.status !== 200) lost++;
    }
    if (lost) failures.push(`${lost} acknowledged events lost`);
    if (failures.length > 5) failures.splice(5);
    restarts.sort((a, b) => a - b);
    finish('kill', failures, {
      seconds, kills, acknowledged_writes: acked.length, lost,
      restart_median_ms: restarts[restarts.length >> 1], restart_max_ms: restarts[restarts.length - 1],
    });
  } finally {
    await srv.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- backup: an online backup under write load restores and verifies ------------------------

async function backup() {
  const seconds = opt('seconds', 20);
  const dir = mkdtempSync(join(tmpdir(), 'zhizhi-bak-'));
  const restored = mkdtempSync(join(tmpdir(), 'zhizhi-restored-'));
  const call = client(16);
  const failures = [];
  const srv = await startServer(['--pwhash-cost', 'min'], { dataDir: dir });
  try {
    const { tok, center } = await staff(call, srv.base);
    const acked = [];
    let stop = false;
    const writer = async (w) => {
      for (let i = 0; !stop; i++) {
        const r = await call(srv.base, '/api/v1/events', { method: 'POST', token: tok.grid_jfb,
          body: { category: '1101', title: `备份测试 ${w}-${i}`, description: '备份测试', lon: center[0], lat: center[1] } });
        if (r.status === 201) acked.push({ code: r.body.code, at: Date.now() });
        else failures.push(`write ${r.status} ${r.text.slice(0, 80)}`);
      }
    };
    const writers = Array.from({ length: 8 }, (_, w) => writer(w));
    await sleep(seconds * 500);
    const file = join(restored, 'zhizhi.db');
    const started = Date.now();
    const before = acked.filter((a) => a.at < started).map((a) => a.code);
    const b = spawnSync(BIN, ['backup', file, '--data-dir', dir], { encoding: 'utf8' });
    const took = Date.now() - started;
    await sleep(seconds * 500);
    stop = true;
    await Promise.all(writers);
    if (b.status !== 0) failures.push(`backup: ${b.stderr}`);
    const v = run(['audit', 'verify', '--data-dir', restored]);
    if (v.status !== 0) failures.push(`audit verify of the restored copy: ${v.stdout}${v.stderr}`);
    const n = Number(execFileSync('sqlite3', [file, 'SELECT count(*) FROM events'], { encoding: 'utf8' }).trim());
    const missing = Number(execFileSync('sqlite3', [file,
      `SELECT ${before.length} - count(*) FROM events WHERE code IN (${before.map((c) => `'${c}'`).join(',') || "''"})`], { encoding: 'utf8' }).trim());
    const integrity = execFileSync('sqlite3', [file, 'PRAGMA integrity_check'], { encoding: 'utf8' }).trim();
    if (missing) failures.push(`${missing} events acknowledged before the backup began are not in it`);
    if (integrity !== 'ok') failures.push(`integrity_check: ${integrity}`);
    // The restored copy serves: a server on it answers the events acknowledged before the backup.
    const again = await startServer(['--pwhash-cost', 'min'], { dataDir: restored });
    try {
      const t = await login(call, again.base, 'center_jfb');
      const r = await call(again.base, `/api/v1/events/${before[before.length - 1]}`, { token: t });
      if (r.status !== 200) failures.push(`restored server: ${r.status}`);
    } finally {
      await again.stop();
    }
    finish('backup', failures.slice(0, 5), {
      write_seconds: seconds, acknowledged_writes: acked.length, acknowledged_before_backup: before.length,
      events_in_backup: n, backup_ms: took, integrity,
    });
  } finally {
    await srv.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(restored, { recursive: true, force: true });
  }
}

// ---- diskfull: a full data directory answers 503 problem+json and recovers, nothing half-written

async function diskfull() {
  const mnt = mkdtempSync(join(tmpdir(), 'zhizhi-full-'));
  // Room for the demo database (about 32 MiB with every module's demo) and its WAL, so that the
  // space the drill frees is what lets writes resume.
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=160m', 'tmpfs', mnt]).status === 0;
  if (!mounted) { console.log('DRILL diskfull skipped: mounting a tmpfs needs root'); return; }
  const call = client(4);
  const failures = [];
  let srv;
  try {
    srv = await startServer(['--pwhash-cost', 'min'], { dataDir: mnt });
    const { tok, center } = await staff(call, srv.base);
    const post = (title) => call(srv.base, '/api/v1/events', { method: 'POST', token: tok.grid_jfb,
      body: { category: '1101', title, description: 'x'.repeat(1800), lon: center[0], lat: center[1] } });
    const ok1 = await post('满盘前');
    if (ok1.status !== 201) failures.push(`before: ${ok1.status}`);
    // Fill the disk to the last few blocks, then write until the database is refused.
    const filler = join(mnt, 'filler');
    const free = statfsSync(mnt);
    let left = Math.max(0, free.bavail * free.bsize - 64 * 1024);
    const chunk = Buffer.alloc(8 << 20);
    const fd = openSync(filler, 'w');
    try {
      while (left > 0) {
        const n = Math.min(left, chunk.length);
        try { writeSync(fd, chunk, 0, n); } catch { break; } // ENOSPC: full already
        left -= n;
      }
    } finally {
      closeSync(fd);
    }
    let full = null;
    const refusedTitles = [];
    const accepted = [];
    for (let i = 0; i < 400 && !full; i++) {
      const title = `满盘测试 ${i}`;
      const r = await post(title);
      if (r.status === 201) accepted.push(r.body.code);
      else { full = r; refusedTitles.push(title); }
    }
    if (!full) failures.push('the disk never filled');
    else {
      if (full.status !== 503) failures.push(`full disk answered ${full.status}: ${full.text.slice(0, 120)}`);
      if (!/problem\+json/.test(full.type)) failures.push(`full disk answered ${full.type}`);
      if (full.body?.code !== 'disk_full') failures.push(`code ${full.body?.code}`);
    }
    // A second refusal, and reads still work while the disk is full.
    const second = await post('满盘测试 再次');
    refusedTitles.push('满盘测试 再次');
    const read = await call(srv.base, '/api/v1/events?limit=5', { token: tok.center_jfb });
    if (read.status !== 200) failures.push(`read while full: ${read.status}`);
    rmSync(filler);
    let resumed = null;
    for (let i = 0; i < 20; i++) {
      resumed = await post('满盘后恢复');
      if (resumed.status === 201) break;
      await sleep(250);
    }
    if (resumed.status !== 201) failures.push(`after space returned: ${resumed.status} ${resumed.text.slice(0, 80)}`);
    for (const code of accepted) {
      const r = await call(srv.base, `/api/v1/events/${code}`, { token: tok.center_jfb });
      if (r.status !== 200) failures.push(`acknowledged ${code}: ${r.status}`);
    }
    await srv.stop({ keep: true });
    srv = null;
    const db = join(mnt, 'zhizhi.db');
    const half = Number(execFileSync('sqlite3', [db,
      `SELECT count(*) FROM events WHERE title IN (${refusedTitles.map((t) => `'${t}'`).join(',')})`], { encoding: 'utf8' }).trim());
    if (half) failures.push(`${half} refused reports were written anyway`);
    const orphans = Number(execFileSync('sqlite3', [db,
      'SELECT count(*) FROM event_history h WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id = h.event_id)'], { encoding: 'utf8' }).trim());
    if (orphans) failures.push(`${orphans} history rows without their event`);
    const v = run(['audit', 'verify', '--data-dir', mnt]);
    if (v.status !== 0) failures.push(`audit verify: ${v.stdout}${v.stderr}`);
    finish('diskfull', failures.slice(0, 6), {
      accepted_while_filling: accepted.length, full_status: full?.status, full_code: full?.body?.code,
      second_status: second.status, read_while_full: read.status, resumed_status: resumed.status,
    });
  } finally {
    if (srv) await srv.stop({ keep: true });
    spawnSync('umount', [mnt]);
    rmSync(mnt, { recursive: true, force: true });
  }
}

const drills = { soak, kill, backup, diskfull };
if (!drills[drill]) {
  console.error(`usage: drills.mjs ${Object.keys(drills).join('|')} [--seconds N] [--conns N] [--every N]`);
  process.exit(2);
}
await drills[drill]();
