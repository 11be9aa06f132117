// Shared helpers for end-to-end tests: start the real binary on a free loopback port with a
// temporary data directory, talk to it with fetch, and always stop it.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BIN = process.env.ZHIZHI_BIN || new URL('../../build/zhizhi', import.meta.url).pathname;

// Start `zhizhi serve`; resolves to {base, dataDir, proc, stop(), log()}. Extra settings flags in
// args (e.g. ['--demo', 'false']). The server prints "listening on http://127.0.0.1:PORT".
export async function startServer(args = [], { env = {}, dataDir } = {}) {
  const dir = dataDir || mkdtempSync(join(tmpdir(), 'zhizhi-e2e-'));
  const proc = spawn(BIN, ['serve', '--data-dir', dir, '--listen', '127.0.0.1:0', ...args], {
    // Fast password hashing in tests (argon2id at its minimum cost); production keeps moderate.
    env: { ZHIZHI_PWHASH_COST: 'min', ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  proc.stdout.on('data', (d) => (log += d));
  proc.stderr.on('data', (d) => (log += d));
  const base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start:\n' + log)), 90000);
    const check = () => {
      const m = log.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    };
    proc.stdout.on('data', check);
    proc.stderr.on('data', check);
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}:\n${log}`)); });
  });
  let stopped = false;
  const exited = new Promise((resolve) => proc.on('exit', (code, sig) => resolve({ code, sig })));
  return {
    base,
    dataDir: dir,
    proc,
    log: () => log,
    exited,
    async stop({ keep = !!dataDir } = {}) {
      if (!stopped) {
        stopped = true;
        proc.kill('SIGTERM');
        const t = setTimeout(() => proc.kill('SIGKILL'), 15000);
        await exited;
        clearTimeout(t);
      }
      if (!keep) rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Run the binary synchronously: {status, stdout, stderr}.
export function run(args, opts = {}) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', ...opts });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// fetch JSON: {status, headers, body (parsed when JSON), text}
export async function api(base, path, { method = 'GET', body, headers = {}, token, raw } = {}) {
  const h = { ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  let payload = body;
  if (body !== undefined && !raw && typeof body !== 'string') {
    payload = JSON.stringify(body);
    h['Content-Type'] = h['Content-Type'] || 'application/json';
  }
  const res = await fetch(base + path, { method, headers: h, body: payload });
  const text = await res.text();
  let parsed;
  try { parsed = JSON.parse(text); } catch { parsed = undefined; }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

export function tmpDir(prefix = 'zhizhi-e2e-') {
  return mkdtempSync(join(tmpdir(), prefix));
}
