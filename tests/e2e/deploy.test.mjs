// Deployment (issue 11 scope 4): the nginx TLS front of docs/deployment.md run for real on
// loopback with a self-signed certificate in front of the real server, and the Debian package
// of `make deb` unpacked into a throw-away root where `zhizhi version` and `zhizhi init` run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, readdirSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { request } from 'node:https';
import { join } from 'node:path';
import { startServer, tmpDir, BIN } from './lib.mjs';

const ROOT = new URL('../..', import.meta.url).pathname;
const NGINX = '/usr/sbin/nginx';

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

function https(port, path, ca, { method = 'GET', body } = {}) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, ca, servername: 'localhost',
      headers: body ? { 'content-type': 'application/json', origin: `https://127.0.0.1:${port}` } : {} }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (data += d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: data}));
    });
    req.on('error', reject);
    if (body) req.write(JSON.stringify(body));
    req.end();
  });
}

test('docs/deployment.md shows the nginx config that this test runs', () => {
  const conf = readFileSync(join(ROOT, 'dist/nginx-zhizhi.conf'), 'utf8');
  const doc = readFileSync(join(ROOT, 'docs/deployment.md'), 'utf8');
  assert.ok(doc.includes(conf.trim()), 'docs/deployment.md must contain dist/nginx-zhizhi.conf verbatim');
});

test('the nginx TLS front serves the application over https on loopback',
  { skip: !existsSync(NGINX) && 'nginx is not installed (scripts/deps.sh)' }, async () => {
    const dir = tmpDir('zhizhi-nginx-');
    const srv = await startServer(['--pwhash-cost', 'min', '--trusted-proxies', '127.0.0.1']);
    let nginx;
    try {
      const cert = join(dir, 'cert.pem'), key = join(dir, 'key.pem');
      const o = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key,
        '-out', cert, '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { encoding: 'utf8' });
      assert.equal(o.status, 0, o.stderr);
      const [tls, plain] = [await freePort(), await freePort()];
      const appPort = new URL(srv.base).port;
      // The documented site, only ports and certificate paths changed for the test.
      const site = readFileSync(join(ROOT, 'dist/nginx-zhizhi.conf'), 'utf8')
        .replace('listen 443 ssl http2;', `listen 127.0.0.1:${tls} ssl http2;`)
        .replace('listen 80;', `listen 127.0.0.1:${plain};`)
        .replace('/etc/ssl/zhizhi/fullchain.pem', cert)
        .replace('/etc/ssl/zhizhi/privkey.pem', key)
        .replaceAll('127.0.0.1:8080', `127.0.0.1:${appPort}`);
      mkdirSync(join(dir, 'logs'));
      writeFileSync(join(dir, 'nginx.conf'), `daemon off;\nmaster_process off;\npid ${dir}/nginx.pid;\n` +
        `error_log ${dir}/logs/error.log;\nevents { worker_connections 64; }\nhttp {\n` +
        `access_log off;\nclient_body_temp_path ${dir}/body;\nproxy_temp_path ${dir}/proxy;\n` +
        `fastcgi_temp_path ${dir}/fcgi;\nuwsgi_temp_path ${dir}/uwsgi;\nscgi_temp_path ${dir}/scgi;\n` +
        `${site}\n}\n`);
      const t = spawnSync(NGINX, ['-t', '-p', dir, '-c', join(dir, 'nginx.conf')], { encoding: 'utf8' });
      assert.equal(t.status, 0, t.stderr);
      nginx = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'ignore' });
      const ca = readFileSync(cert);
      let v;
      for (let i = 0; i < 50; i++) {
        try { v = await https(tls, '/api/v1/version', ca); break; } catch { await new Promise((r) => setTimeout(r, 100)); }
      }
      assert.ok(v, 'nginx answered');
      assert.equal(v.status, 200, v.text);
      assert.equal(JSON.parse(v.text).name, 'zhizhi');
      assert.match(v.headers['strict-transport-security'] || '', /max-age=/);
      // Logging in through the front: the cookie is Secure (the proxy says https).
      const login = await https(tls, '/api/v1/sessions', ca, { method: 'POST', body: { username: 'center_jfb', password: 'zhizhi-demo' } });
      assert.equal(login.status, 201, login.text);
      assert.match(String(login.headers['set-cookie']), /;\s*Secure/i);
      // Plain http is sent to https.
      const r = await fetch(`http://127.0.0.1:${plain}/`, { redirect: 'manual' });
      assert.equal(r.status, 301);
      assert.match(r.headers.get('location'), /^https:/);
    } finally {
      if (nginx && nginx.exitCode === null) {
        const gone = new Promise((r) => nginx.on('exit', r));
        nginx.kill('SIGTERM');
        await gone;
      }
      await srv.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

test('make deb builds a package that unpacks into a throw-away root and runs there', () => {
  const out = tmpDir('zhizhi-deb-');
  try {
    const b = spawnSync('scripts/mkdeb.sh', [out], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ZHIZHI_BIN: BIN } });
    assert.equal(b.status, 0, b.stderr);
    const deb = readdirSync(out).find((f) => f.endsWith('.deb'));
    assert.ok(deb, 'a .deb was built');
    const info = spawnSync('dpkg-deb', ['-f', join(out, deb), 'Package', 'Depends'], { encoding: 'utf8' });
    assert.match(info.stdout, /Package: zhizhi/);
    assert.match(info.stdout, /libmicrohttpd12/);
    const root = join(out, 'root');
    const x = spawnSync('dpkg', ['-x', join(out, deb), root], { encoding: 'utf8' });
    assert.equal(x.status, 0, x.stderr);
    for (const f of ['usr/bin/zhizhi', 'lib/systemd/system/zhizhi.service', 'etc/zhizhi/zhizhi.conf',
      'usr/share/zhizhi/data/cn-holidays.csv', 'usr/lib/sysusers.d/zhizhi.conf']) {
      assert.ok(existsSync(join(root, f)), f);
    }
    const unit = readFileSync(join(root, 'lib/systemd/system/zhizhi.service'), 'utf8');
    for (const k of ['Type=notify', 'User=zhizhi', 'StateDirectory=zhizhi', 'ProtectSystem=strict', 'NoNewPrivileges=yes']) {
      assert.ok(unit.includes(k), k);
    }
    const bin = join(root, 'usr/bin/zhizhi');
    const v = spawnSync(bin, ['version'], { encoding: 'utf8' });
    assert.equal(v.status, 0, v.stderr);
    assert.match(v.stdout, /^zhizhi \d+\.\d+\.\d+/);
    // The packaged example config, its data directory moved into the throw-away root.
    const data = join(root, 'var/lib/zhizhi');
    mkdirSync(data, { recursive: true });
    const i = spawnSync(bin, ['init', '--config', join(root, 'etc/zhizhi/zhizhi.conf'), '--data-dir', data, '--pwhash-cost', 'min'], { encoding: 'utf8' });
    assert.equal(i.status, 0, i.stdout + i.stderr);
    assert.ok(readdirSync(data).some((f) => /\.(db|sqlite)/.test(f)), `database created in ${readdirSync(data)}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('serve tells systemd it is ready (sd_notify) and stops cleanly on SIGTERM', async () => {
  const dir = tmpDir('zhizhi-notify-');
  const sock = join(dir, 'notify.sock');
  // A stand-in for systemd's notification socket (Node has no Unix datagram sockets).
  const py = spawn('python3', ['-c', [
    'import socket, sys',
    's = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)',
    's.bind(sys.argv[1])',
    'print("bound", flush=True)',
    'while True:',
    '    print(s.recv(4096).decode().replace("\\n", "|"), flush=True)',
  ].join('\n'), sock], { stdio: ['ignore', 'pipe', 'inherit'] });
  let heard = '';
  py.stdout.on('data', (d) => (heard += d));
  const until = async (re) => {
    for (let i = 0; i < 100 && !re.test(heard); i++) await new Promise((r) => setTimeout(r, 100));
    return re.test(heard);
  };
  let srv;
  try {
    assert.ok(await until(/bound/), 'notify socket bound');
    srv = await startServer(['--pwhash-cost', 'min', '--demo', 'false'], { env: { NOTIFY_SOCKET: sock } });
    assert.ok(await until(/READY=1/), `READY=1 sent: ${heard}`);
    assert.match(heard, /MAINPID=\d+/);
    assert.equal((await fetch(`${srv.base}/healthz`)).status, 200);
    const exited = srv.exited;
    await srv.stop();
    const { code, sig } = await exited;
    assert.equal(code, 0, `exit ${code} ${sig}`);
    assert.match(srv.log(), /stopped cleanly/);
    assert.ok(await until(/STOPPING=1/), `STOPPING=1 sent: ${heard}`);
  } finally {
    py.kill('SIGTERM');
    await srv?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
