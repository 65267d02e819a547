'use strict';
// What the bench needs from the machine: Node's source tree, Debian packages (wrk, libuv1-dev), and
// the C programs built from bench/limit.c and bench/cc.c. Each returns a path, or throws an Error whose message
// says why the scenario that needs it is skipped.

const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const BUILD = path.join(__dirname, 'build');

function log(msg) {
  process.stderr.write(`bench: ${msg}\n`);
}

// Node's source tree (benchmark/net/*): $NODE_SRC, else the shared node-source.sh (fetches it once).
function nodeSource() {
  let dir = process.env.NODE_SRC;
  if (!dir) {
    const script = [path.join(ROOT, '..', 'shared', 'tools', 'node-source.sh'), '/work/shared/tools/node-source.sh']
      .find((p) => fs.existsSync(p));
    if (!script) throw new Error('no Node source tree: set NODE_SRC (node-source.sh not found)');
    const r = spawnSync('bash', [script], { encoding: 'utf8', timeout: 600000, stdio: ['ignore', 'pipe', 'inherit'] });
    if (r.status !== 0) throw new Error(`no Node source tree: ${path.basename(script)} failed; set NODE_SRC`);
    dir = r.stdout.trim().split('\n').pop();
  }
  if (!fs.existsSync(path.join(dir, 'benchmark', 'common.js')))
    throw new Error(`no Node source tree: ${dir}/benchmark/common.js is missing`);
  return dir;
}

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

// apt-get install PKG (as root), with an `apt-get update` and a retry if the first try fails.
function aptInstall(pkg) {
  if (process.getuid?.() !== 0 || !which('apt-get')) return false;
  const opts = { stdio: ['ignore', 'ignore', 'pipe'], timeout: 300000, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } };
  log(`installing ${pkg} with apt-get`);
  if (spawnSync('apt-get', ['install', '-y', '-q', pkg], opts).status === 0) return true;
  spawnSync('apt-get', ['update', '-q'], opts);
  return spawnSync('apt-get', ['install', '-y', '-q', pkg], opts).status === 0;
}

function wrk() {
  const found = which('wrk') || (aptInstall('wrk') && which('wrk'));
  if (!found) throw new Error('wrk is not installed and could not be installed (apt-get install wrk)');
  return found;
}

// Builds bench/build/OUT from bench/SRC with the C compiler, on first use and again when SRC changes.
function buildC(src, out, args) {
  const file = path.join(__dirname, src);
  const bin = path.join(BUILD, out);
  if (fs.existsSync(bin) && fs.statSync(bin).mtimeMs >= fs.statSync(file).mtimeMs) return bin;
  const cc = which('cc') || which('gcc');
  if (!cc) throw new Error(`no C compiler (cc) for bench/${src}`);
  fs.mkdirSync(BUILD, { recursive: true });
  log(`building bench/build/${out}`);
  const r = spawnSync(cc, ['-O2', '-std=gnu11', '-Wall', '-Wextra', ...args.before, '-o', bin, file, ...args.after],
    { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building bench/${src} failed:\n${r.stderr}`);
  return bin;
}

// The C limit program, bench/limit.c (needs libuv's headers).
function limitBinary() {
  if (!fs.existsSync('/usr/include/uv.h') && !aptInstall('libuv1-dev'))
    throw new Error('libuv1-dev is not installed and could not be installed');
  return buildC('limit.c', 'limit', { before: [], after: ['-luv'] });
}

// The preload that sets each TCP socket's congestion control, bench/cc.c.
function congestionShim() {
  return buildC('cc.c', 'cc.so', { before: ['-shared', '-fPIC'], after: ['-ldl'] });
}

module.exports = { ROOT, log, nodeSource, wrk, limitBinary, congestionShim };
