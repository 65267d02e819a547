'use strict';
// What the packaging tests share: npm's CLI run with this node, an environment without what a parent
// `npm test` set, child processes with a deadline, and a copy of this checkout to pack or prebuild in
// (the repo's own build/ and prebuilds/ are never touched).

const assert = require('node:assert');
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');

// npm's own CLI, run with this node (never through a PATH lookup).
function npmCli() {
  const candidates = [process.env.npm_execpath];
  const which = spawnSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).stdout.trim();
  if (which) {
    const real = fs.realpathSync(which);
    candidates.push(real, path.join(path.dirname(real), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'));
  }
  return candidates.find((f) => f && /npm-cli\.js$/.test(f) && fs.existsSync(f));
}
const NPM = npmCli();

// The environment without what a parent `npm test` put there (npm_config_*, npm_lifecycle_*, ...), nor what
// `npm run test:asan` did (its sanitized build and the ASan runtime preloaded): these tests are about the
// packaged binaries, and npm or musl's loader cannot run with libasan preloaded.
const DROPPED = new Set(['NODE_OPTIONS', 'FASTNET_ADDON', 'LD_PRELOAD', 'ASAN_OPTIONS', 'UBSAN_OPTIONS', 'LSAN_OPTIONS']);
function cleanEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) && !DROPPED.has(k)) env[k] = v;
  return { ...env, ...extra };
}

function run(cmd, args, { cwd, env = cleanEnv(), timeout = 60000 } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.on('error', (err) => { stderr += err.message; });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, out: `${stdout}${stderr}` });
    });
  });
}

async function ok(cmd, args, options) {
  const r = await run(cmd, args, options);
  assert.strictEqual(r.code, 0, `${path.basename(cmd)} ${args.join(' ')} failed (${r.signal || r.code}):\n${r.out}`);
  return r;
}

const npm = (args, options) => ok(process.execPath, [NPM, ...args], options);

function onPath(command) {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command], { encoding: 'utf8' }).stdout.trim();
}

// A copy of the checkout as it is now, less what is built, installed or packed.
function stageCopy(dest) {
  const skip = new Set(['.git', 'node_modules', 'build', 'build-sanitizers', 'prebuilds']);
  fs.cpSync(ROOT, dest, {
    recursive: true,
    filter: (src) => {
      const rel = path.relative(ROOT, src);
      return !skip.has(rel.split(path.sep)[0]) && !rel.endsWith('.tgz');
    },
  });
  return dest;
}

function write(dir, files) {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

module.exports = { ROOT, NPM, cleanEnv, run, ok, npm, onPath, stageCopy, write };
