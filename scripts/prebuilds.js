#!/usr/bin/env node
'use strict';
// `npm run prebuilds [-- TARGET...]`: the prebuilt binaries that `npm install fastnet` ships, so that installing
// needs no compiler and runs no install script. Each target is built from a copy of binding.gyp and src/ in a
// temporary folder (the repo's build/ is never touched), with that target's compiler, stripped, and put where
// lib/load-addon.js looks: prebuilds/<platform>-<arch>/node.napi.<libc>.node (prebuildify's layout).
// prebuilds/manifest.json records, per binary, the hash of the sources it was built from and its sha256.
//
// `--check` (npm pack runs it as prepack): every binary in prebuilds/ was built from the current sources and is
// the file the manifest names, and this machine's own target is there; with `--all` (prepublishOnly) every
// target below is there too. `--list` prints the targets and whether their compiler is on PATH.
//
// Targets (cross-compiled on linux-x64; Debian packages in brackets):
//   linux-x64-glibc    cc (or $CC)                [gcc]
//   linux-x64-musl     musl-gcc                   [musl-tools]
//   linux-arm64-glibc  aarch64-linux-gnu-gcc      [gcc-aarch64-linux-gnu]
// node-gyp is npm's own (npm run puts it on PATH); N-API headers come from node-gyp's usual place (npm's
// `nodedir` setting, or its header cache), the same headers for every target.

const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const PREBUILDS = path.join(ROOT, 'prebuilds');
const MANIFEST = path.join(PREBUILDS, 'manifest.json');

const TARGETS = {
  'linux-x64-glibc': { platform: 'linux', arch: 'x64', libc: 'glibc', cc: process.env.CC || 'cc', strip: 'strip', apt: 'gcc' },
  'linux-x64-musl': { platform: 'linux', arch: 'x64', libc: 'musl', cc: 'musl-gcc', strip: 'strip', apt: 'musl-tools' },
  'linux-arm64-glibc': {
    platform: 'linux', arch: 'arm64', libc: 'glibc', cc: 'aarch64-linux-gnu-gcc', strip: 'aarch64-linux-gnu-strip',
    apt: 'gcc-aarch64-linux-gnu',
  },
};
const ELF_MACHINE = { x64: 62, arm64: 183 };

function fail(message) {
  console.error(`prebuild: ${message}`);
  process.exit(1);
}

function hostTarget() {
  const { libc } = require('../lib/load-addon');
  return `${process.platform}-${process.arch}${libc() ? `-${libc()}` : ''}`;
}

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v "$1"`, 'sh', command], { encoding: 'utf8' }).status === 0;
}

// What the binaries are built from: binding.gyp and every file under src/, by path and content.
function sourceHash() {
  const hash = crypto.createHash('sha256');
  const files = ['binding.gyp', ...fs.readdirSync(path.join(ROOT, 'src')).sort().map((f) => path.join('src', f))];
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(fs.readFileSync(path.join(ROOT, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

function sha256(file) {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function readManifest() {
  try {
    return JSON.parse(fs.readFileSync(MANIFEST, 'utf8'));
  } catch {
    return { targets: {} };
  }
}

function relFile(t) {
  return path.posix.join(`${t.platform}-${t.arch}`, `node.napi.${t.libc}.node`);
}

// node-gyp: npm's (npm_config_node_gyp, set by npm run), else one on PATH.
function nodeGyp() {
  const js = process.env.npm_config_node_gyp;
  if (js && fs.existsSync(js)) return [process.execPath, js];
  if (onPath('node-gyp')) return ['node-gyp'];
  fail('node-gyp not found: run this as `npm run prebuilds` (npm puts its own node-gyp on PATH)');
}

// The highest GLIBC_x.y symbol version the binary asks for: the oldest glibc it loads on.
function glibcNeeded(buf) {
  let best = null;
  for (const m of buf.toString('latin1').matchAll(/GLIBC_(\d+)\.(\d+)(?:\.(\d+))?\0/g)) {
    const v = [Number(m[1]), Number(m[2]), Number(m[3] || 0)];
    if (!best || v[0] > best[0] || (v[0] === best[0] && (v[1] > best[1] || (v[1] === best[1] && v[2] > best[2])))) best = v;
  }
  return best ? best.slice(0, best[2] ? 3 : 2).join('.') : null;
}

// Checks that what came out is what the target asked for: an ELF shared object for its CPU, linked against
// its C library (glibc's is libc.so.6, musl's libc.so).
function verify(name, t, file) {
  const buf = fs.readFileSync(file);
  if (buf.readUInt32BE(0) !== 0x7f454c46) fail(`${name}: ${file} is not an ELF file`);
  const machine = buf.readUInt16LE(18);
  if (machine !== ELF_MACHINE[t.arch]) fail(`${name}: ${file} is for ELF machine ${machine}, not ${t.arch}`);
  const glibc = buf.includes('libc.so.6\0');
  const musl = !glibc && buf.includes('libc.so\0');
  if (t.libc === 'glibc' && !glibc) fail(`${name}: ${file} is not linked against glibc (no libc.so.6)`);
  if (t.libc === 'musl' && !musl) fail(`${name}: ${file} is not linked against musl (no libc.so)`);
  return t.libc === 'glibc' ? glibcNeeded(buf) : null;
}

function build(name) {
  const t = TARGETS[name];
  if (!onPath(t.cc)) fail(`${name} needs ${t.cc} on PATH (Debian: apt-get install ${t.apt})`);
  if (!onPath(t.strip)) fail(`${name} needs ${t.strip} on PATH (Debian: apt-get install ${t.apt})`);
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), `fastnet-prebuild-${name}-`));
  try {
    fs.copyFileSync(path.join(ROOT, 'binding.gyp'), path.join(stage, 'binding.gyp'));
    fs.cpSync(path.join(ROOT, 'src'), path.join(stage, 'src'), { recursive: true });
    const hash = sourceHash();
    const [cmd, ...pre] = nodeGyp();
    // C only: the compiler links too (no libstdc++ dependency).
    const env = { ...process.env, CC: t.cc, CXX: t.cc, LINK: t.cc };
    console.log(`prebuild: ${name}: node-gyp with ${t.cc}`);
    for (const step of [['configure', `--arch=${t.arch}`], ['build', `--jobs=${Math.min(2, os.cpus().length)}`]]) {
      const r = spawnSync(cmd, [...pre, ...step, '--release', '--silent'], { cwd: stage, env, encoding: 'utf8' });
      if (r.status !== 0) {
        process.stderr.write(`${r.stdout || ''}${r.stderr || ''}${r.error ? `${r.error.message}\n` : ''}`);
        fail(`${name}: node-gyp ${step[0]} failed`);
      }
    }
    const built = path.join(stage, 'build', 'Release', 'fastnet.node');
    const stripped = spawnSync(t.strip, ['--strip-unneeded', built], { encoding: 'utf8' });
    if (stripped.status !== 0) fail(`${name}: ${t.strip} failed: ${stripped.stderr}`);
    const glibc = verify(name, t, built);

    // In place atomically: a test or app loading prebuilds/ meanwhile sees the old file or the new one.
    const dest = path.join(PREBUILDS, relFile(t));
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    const tmp = `${dest}.${process.pid}.tmp`;
    fs.copyFileSync(built, tmp);
    fs.renameSync(tmp, dest);

    const compiler = spawnSync(t.cc, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
    const manifest = readManifest();
    manifest.targets[name] = {
      file: relFile(t), sha256: sha256(dest), source: hash, compiler, ...(glibc ? { glibc } : {}),
    };
    manifest.targets = Object.fromEntries(Object.entries(manifest.targets).sort());
    fs.writeFileSync(`${MANIFEST}.${process.pid}.tmp`, `${JSON.stringify(manifest, null, 2)}\n`);
    fs.renameSync(`${MANIFEST}.${process.pid}.tmp`, MANIFEST);
    console.log(`prebuild: ${name}: prebuilds/${relFile(t)} (${fs.statSync(dest).size} bytes` +
      `${glibc ? `, glibc >= ${glibc}` : ''})`);
    return dest;
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

// A musl binary must load under musl's dynamic linker. No musl Node can be had here, so a musl program stands in
// for it: it defines what Node would (every napi_* and uv_* function the binary imports, as stubs, exported with
// -rdynamic) and dlopens the binary with RTLD_NOW, so every other symbol must resolve in musl's libc; then it
// looks up the module's entry point. The binary's init is not run (the stubs are not N-API).
function muslLoadCheck(name, t, file) {
  const nm = spawnSync('nm', ['-D', '--undefined-only', file], { encoding: 'utf8' });
  if (nm.status !== 0) fail(`${name}: nm -D failed: ${nm.stderr}`);
  const stubs = [...new Set(nm.stdout.split('\n').map((l) => l.trim().split(/\s+/).pop().replace(/@.*/, ''))
    .filter((sym) => /^(napi_|node_api_|uv_)/.test(sym)))];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fastnet-musl-load-'));
  try {
    const c = [
      '#include <dlfcn.h>',
      '#include <stdio.h>',
      ...stubs.map((sym) => `void *${sym}(void) { return 0; }`),
      'int main(int argc, char **argv) {',
      '  void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);',
      '  if (!lib) { fprintf(stderr, "%s\\n", dlerror()); return 1; }',
      '  if (!dlsym(lib, "napi_register_module_v1")) { fprintf(stderr, "no napi_register_module_v1\\n"); return 1; }',
      '  return 0;',
      '}',
      '',
    ].join('\n');
    fs.writeFileSync(path.join(dir, 'load.c'), c);
    const exe = path.join(dir, 'load');
    const cc = spawnSync(t.cc, ['-rdynamic', '-o', exe, path.join(dir, 'load.c')], { encoding: 'utf8' });
    if (cc.status !== 0) fail(`${name}: building the musl load check failed: ${cc.stderr}`);
    const r = spawnSync(exe, [file], { encoding: 'utf8' });
    if (r.status !== 0) fail(`${name}: ${file} does not load under musl: ${r.stderr}`);
    console.log(`prebuild: ${name}: loads under musl's dynamic linker (${stubs.length} N-API/libuv symbols stubbed)`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// The host's own binary must load in this Node.
function loadCheck(file) {
  const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(file)})`], { encoding: 'utf8' });
  if (r.status !== 0) fail(`${file} does not load in this Node: ${r.stderr}`);
}

function check(all) {
  const hash = sourceHash();
  const manifest = readManifest();
  const problems = [];
  const present = [];
  for (const [name, t] of Object.entries(TARGETS)) {
    const file = path.join(PREBUILDS, relFile(t));
    const entry = manifest.targets[name];
    if (!fs.existsSync(file)) {
      if (all || name === hostTarget()) problems.push(`${name}: prebuilds/${relFile(t)} is missing`);
      continue;
    }
    if (!entry) problems.push(`${name}: prebuilds/${relFile(t)} is not in prebuilds/manifest.json`);
    else if (entry.sha256 !== sha256(file)) problems.push(`${name}: prebuilds/${relFile(t)} is not the file built`);
    else if (entry.source !== hash) problems.push(`${name}: built from older sources than binding.gyp and src/ now`);
    else present.push(name);
  }
  for (const dir of fs.existsSync(PREBUILDS) ? fs.readdirSync(PREBUILDS) : []) {
    if (dir === 'manifest.json') continue;
    for (const f of fs.readdirSync(path.join(PREBUILDS, dir))) {
      const known = Object.values(TARGETS).some((t) => relFile(t) === `${dir}/${f}`);
      if (!known) problems.push(`prebuilds/${dir}/${f} is not a target of this script`);
    }
  }
  if (problems.length) {
    fail(`the prebuilt binaries are not the current sources:\n  ${problems.join('\n  ')}\n` +
      'run `npm run prebuilds` (all targets) or `npm run prebuilds -- TARGET` first');
  }
  const missing = Object.keys(TARGETS).filter((n) => !present.includes(n));
  console.log(`prebuild: up to date: ${present.join(', ')}` +
    (missing.length ? `; not in this package: ${missing.join(', ')} (built from source there)` : ''));
}

function main() {
  const args = process.argv.slice(2);
  if (args.includes('--check')) return check(args.includes('--all'));
  if (args.includes('--list')) {
    for (const [name, t] of Object.entries(TARGETS)) {
      console.log(`${name.padEnd(18)} ${t.cc.padEnd(22)} ${onPath(t.cc) ? 'on PATH' : `missing (apt-get install ${t.apt})`}`);
    }
    return;
  }
  const unknown = args.filter((a) => !TARGETS[a]);
  if (unknown.length) fail(`unknown target ${unknown.join(', ')}; targets: ${Object.keys(TARGETS).join(', ')}`);
  const names = args.length ? args : Object.keys(TARGETS);
  const host = hostTarget();
  for (const name of names) {
    const file = build(name);
    if (name === host) loadCheck(file);
    else if (TARGETS[name].libc === 'musl') muslLoadCheck(name, TARGETS[name], file);
  }
}

main();
