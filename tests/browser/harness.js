// The browser tests' shared harness: a real `kodo serve` (the ASan build)
// on a free loopback port with a temporary data folder, stopped with
// SIGTERM so that a sanitizer report or an unclean exit can fail the run.
'use strict';

const { spawn } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const KODO_BIN = process.env.KODO_BIN || path.join(ROOT, 'build', 'test', 'kodo');
const DEADLINE_MS = 15000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// opts: prefix (temp folder name), password, env (extra variables).
async function startServer(opts = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), opts.prefix || 'kodo-browser-'));
  const port = await freePort();
  const token = 'kodo_' + crypto.randomBytes(32).toString('base64url');
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KODO_')));
  Object.assign(env, {
    KODO_ADMIN_TOKEN: token,
    KODO_ADMIN_PASSWORD: opts.password || 'pw-' + crypto.randomBytes(12).toString('hex'),
    ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=0',
    UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1',
  }, opts.env || {});
  const stderr = fs.openSync(path.join(dir, 'server.stderr'), 'w');
  const proc = spawn(KODO_BIN, ['serve', '--data', path.join(dir, 'data'),
    '--listen', `127.0.0.1:${port}`], { env, stdio: ['ignore', 'ignore', stderr] });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`kodo exited with ${proc.exitCode}`);
    try {
      const r = await fetch(url + '/healthz');
      if (r.ok) break;
    } catch (e) { /* not up yet */ }
    if (Date.now() > deadline) throw new Error('kodo did not become healthy');
    await sleep(50);
  }
  return { dir, url, token, proc };
}

async function stopServer(srv) {
  if (srv.proc.exitCode === null) {
    const exited = new Promise((r) => srv.proc.once('exit', (code) => r(code)));
    srv.proc.kill('SIGTERM');
    const code = await Promise.race([exited, sleep(DEADLINE_MS).then(() => 'timeout')]);
    if (code === 'timeout') srv.proc.kill('SIGKILL');
    srv.exitCode = code;
  }
  srv.stderr = fs.readFileSync(path.join(srv.dir, 'server.stderr'), 'utf8');
  fs.rmSync(srv.dir, { recursive: true, force: true });
}

async function api(srv, method, p, body) {
  const r = await fetch(srv.url + p, {
    method,
    headers: { Authorization: `Bearer ${srv.token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${p}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

module.exports = { ROOT, KODO_BIN, DEADLINE_MS, sleep, freePort, startServer, stopServer, api };
