'use strict';
// Runs one measurement process: optionally inside a fresh network namespace that has only loopback
// (so benchmarks that listen on all interfaces stay on this machine), with the open-file limit raised
// to the hard limit, in its own process group so a timeout can end it and everything it started.

const { spawn, spawnSync } = require('child_process');

let netnsOk;
// FASTNET_BENCH_NO_NETNS=1 (set by run.js --no-netns) acts as if there were no `unshare -n`, to try the
// path a machine without root takes.
const netnsForcedOff = () => /^(1|true|yes)$/i.test(process.env.FASTNET_BENCH_NO_NETNS || '');

// True when `unshare -n` works here (root, or user namespaces allowed) and is not turned off.
function netnsAvailable() {
  if (netnsForcedOff()) return false;
  if (netnsOk === undefined) {
    const r = spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up'], { stdio: 'ignore', timeout: 10000 });
    netnsOk = r.status === 0;
  }
  return netnsOk;
}

// Why there is no namespace: for the output.
function netnsMissingReason() {
  return netnsForcedOff() ? 'turned off (--no-netns / FASTNET_BENCH_NO_NETNS)' : '`unshare -n` is not available here (not root, no user namespaces)';
}

const running = new Set();

// Resolves { code, signal, stdout, stderr, timedOut }; never rejects for a non-zero exit.
function run(cmd, args, { timeoutMs = 60000, netns = false, env = process.env, cwd } = {}) {
  const script = (netns ? 'ip link set lo up || exit 97; ' : '') +
    'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"';
  const shArgs = ['-c', script, 'sh', cmd, ...args];
  const [file, argv] = netns ? ['unshare', ['-n', 'sh', ...shArgs]] : ['sh', shArgs];
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { env, cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => { timedOut = true; killGroup(child); }, timeoutMs);
    child.on('error', (err) => { clearTimeout(timer); running.delete(child); reject(err); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      killGroup(child); // whatever it started and left behind
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

function killGroup(child) {
  try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
}

// Ends the process groups this module started (on Ctrl-C).
function killAll() {
  for (const child of running) killGroup(child);
}

module.exports = { run, netnsAvailable, netnsMissingReason, killAll };
