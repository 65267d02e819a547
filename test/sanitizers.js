#!/usr/bin/env node
'use strict';
// `npm run test:asan`: our own tests (node --test test/*.test.js) against the addon built with
// AddressSanitizer and UndefinedBehaviorSanitizer. Not part of `npm test` (slower).
//
//   npm run test:asan                          our own tests
//   npm run test:asan -- --node-suite [ARGS]   then Node's net tests too (test/node-suite/run.js ARGS)
//
// The sanitized addon is built from a copy of binding.gyp and src/ in build-sanitizers/ (ignored by
// git), never in build/Release. Tests load it through FASTNET_ADDON (lib/native.js). node itself is not
// sanitized, so gcc's ASan runtime is preloaded (LD_PRELOAD); gcc's libasan has no UBSan handlers, so
// the UBSan runtime is linked into the addon (see LDFLAGS). Every process the tests start (child
// processes, and the worker threads inside them) inherits all this, and each sanitizer writes its
// reports to files in one log folder: a test that swallows a child's stderr cannot hide one. The run
// fails on a test failure or on any report file. Last line: `N passed, N failed` (failed also counts
// each distinct sanitizer report). No ASAN_OPTIONS beyond those below are needed for node: checked
// with worker threads, child processes and a WebAssembly out-of-bounds trap (V8's SIGSEGV handler).

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { ROOT, ownTests, nodeSuite, interrupted } = require('./runner');

const BUILD = path.join(ROOT, 'build-sanitizers');
const ADDON = path.join(BUILD, 'build', 'Release', 'fastnet.node');
const SANITIZE = '-fsanitize=address,undefined';
const CFLAGS = `${SANITIZE} -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g -O1`;
// UBSan's runtime linked statically, its symbols hidden: with a shared libubsan, its call to
// __sanitizer_set_report_path binds to the preloaded libasan's, so UBSAN_OPTIONS' log_path is ignored
// and UBSan reports go to stderr (which tests swallow). A private copy writes to its own log file.
const LDFLAGS = `${SANITIZE} -static-libubsan -Wl,--exclude-libs,libubsan.a`;
// Whole-run limit for each part (seconds), so a hang cannot hang CI.
const BUDGET = Number(process.env.FASTNET_SANITIZERS_BUDGET) || 600;

function log(msg) {
  console.log(`test:asan: ${msg}`);
}

function die(msg) {
  log(msg);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

function sh(cmd) {
  const r = spawnSync('sh', ['-c', cmd], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '';
}

// gcc's runtime library NAME (libasan.so...), or null when gcc does not have it.
function gccLib(name) {
  const p = sh(`gcc -print-file-name=${name}`);
  return path.isAbsolute(p) && fs.existsSync(p) ? fs.realpathSync(p) : null;
}

// What node-gyp needs, and the sanitizer runtimes. Installs nothing: says what to apt-get install.
function checkTools() {
  const missing = [];
  for (const [cmd, pkg] of [['gcc', 'gcc'], ['g++', 'g++'], ['make', 'make'], ['python3', 'python3']]) {
    if (!sh(`command -v ${cmd}`)) missing.push(pkg);
  }
  if (missing.length === 0 && (!gccLib('libasan.so') || !gccLib('libubsan.a'))) {
    const major = sh('gcc -dumpversion').split('.')[0];
    missing.push('libasan8', 'libubsan1', `libgcc-${major}-dev`);
  }
  if (missing.length) die(`missing tools: apt-get install ${missing.join(' ')}`);
}

// npm's bundled node-gyp and the nodedir of ~/.npmrc: from npm's environment under `npm run`, else
// from the npm on PATH.
function nodeGyp() {
  const env = { ...process.env };
  let gyp = env.npm_config_node_gyp;
  if (!gyp) {
    const npm = sh('command -v npm');
    const cli = npm && fs.realpathSync(npm);
    gyp = cli && path.join(path.dirname(cli), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    if (!gyp || !fs.existsSync(gyp)) die('cannot find npm\'s node-gyp: run this as `npm run test:asan`');
    const nodedir = sh('npm config get nodedir');
    if (!env.npm_config_nodedir && nodedir && nodedir !== 'undefined' && nodedir !== 'null') {
      env.npm_config_nodedir = nodedir;
    }
  }
  return { gyp, env };
}

// A fresh copy of binding.gyp and src/ in build-sanitizers/, built with the sanitizers (a few seconds).
function build() {
  const { gyp, env } = nodeGyp();
  fs.rmSync(BUILD, { recursive: true, force: true });
  fs.mkdirSync(BUILD, { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'binding.gyp'), path.join(BUILD, 'binding.gyp'));
  fs.cpSync(path.join(ROOT, 'src'), path.join(BUILD, 'src'), { recursive: true });
  // node-gyp's Makefile puts $(CFLAGS) after binding.gyp's flags (so -O1 wins over -O3), and links
  // with $(LDFLAGS).
  env.CFLAGS = `${env.CFLAGS || ''} ${CFLAGS}`.trim();
  env.LDFLAGS = `${env.LDFLAGS || ''} ${LDFLAGS}`.trim();
  log(`building the sanitized addon in ${path.relative(ROOT, BUILD)}/ (${CFLAGS})`);
  const r = spawnSync(process.execPath, [gyp, 'rebuild', '-j', String(os.availableParallelism?.() || 2)],
    { cwd: BUILD, env, encoding: 'utf8' });
  if (r.status !== 0 || !fs.existsSync(ADDON)) {
    process.stdout.write(`${r.stdout || ''}${r.stderr || ''}${r.error ? `${r.error.message}\n` : ''}`);
    die('node-gyp rebuild of the sanitized addon failed');
  }
}

// The environment of every test process.
function sanitizedEnv(logDir) {
  const preload = [gccLib('libasan.so'), process.env.LD_PRELOAD].filter(Boolean).join(':');
  return {
    ...process.env,
    FASTNET_ADDON: ADDON,
    LD_PRELOAD: preload,
    ASAN_OPTIONS: [
      // node and V8 keep memory until exit by design; LeakSanitizer would report it in every process.
      'detect_leaks=0',
      `log_path=${path.join(logDir, 'asan')}`,
      process.env.ASAN_OPTIONS,
    ].filter(Boolean).join(':'),
    UBSAN_OPTIONS: [
      'print_stacktrace=1',
      'halt_on_error=1',
      `log_path=${path.join(logDir, 'ubsan')}`,
      process.env.UBSAN_OPTIONS,
    ].filter(Boolean).join(':'),
  };
}

// What identifies a report: its error line and its first stack, without pids, addresses, threads, values.
function reportKey(text) {
  const lines = text.split('\n');
  const first = lines.findIndex((l) => /runtime error:|ERROR: \w+Sanitizer/.test(l));
  const key = first < 0 ? lines : [];
  for (let i = first; first >= 0 && i < lines.length; i++) {
    if (i > first && key.length > 1 && !/^\s+#\d+ /.test(lines[i])) break;
    // UBSan's values ('signed integer overflow: 64 + 2147483647 ...') differ from process to process.
    if (i === first) key.push(lines[i].replace(/(runtime error: [^:]*):.*/, '$1'));
    else if (/^\s+#\d+ /.test(lines[i])) key.push(lines[i]);
  }
  return key.join('\n').replace(/==\d+==/g, '').replace(/0x[0-9a-f]+/g, '').replace(/\bT\d+\b/g, 'T');
}

// The report files, grouped by their text without pids and addresses (one bug hit by many processes
// is printed once). Returns the number of distinct reports.
function printReports(logDir) {
  const files = fs.readdirSync(logDir).sort();
  const groups = new Map();
  for (const file of files) {
    const text = fs.readFileSync(path.join(logDir, file), 'utf8');
    const key = reportKey(text);
    if (!groups.has(key)) groups.set(key, { text, files: [] });
    groups.get(key).files.push(file);
  }
  for (const { text, files: same } of groups.values()) {
    const names = same.length > 4 ? `${same.slice(0, 3).join(', ')} and ${same.length - 3} more` : same.join(', ');
    console.log(`\n---- sanitizer report: ${names} ----`);
    // Paths are relative to build-sanitizers/build; src/ is the same file in the repo.
    const shown = text.replace(/(^|[\s(])\.\.\/src\//gm, '$1src/');
    process.stdout.write(shown.endsWith('\n') ? shown : `${shown}\n`);
  }
  if (files.length) {
    log(`${groups.size} distinct sanitizer report${groups.size === 1 ? '' : 's'} ` +
      `in ${files.length} file${files.length === 1 ? '' : 's'}, kept in ${logDir}`);
  }
  return groups.size;
}

async function main() {
  const argv = process.argv.slice(2);
  const withSuite = argv[0] === '--node-suite';
  if (argv.length && !withSuite) {
    console.log('usage: npm run test:asan [-- --node-suite [node-suite args...]]');
    process.exit(2);
  }
  const started = Date.now();
  checkTools();
  build();
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fastnet-sanitizers-'));
  const env = sanitizedEnv(logDir);
  log(`LD_PRELOAD=${env.LD_PRELOAD}`);
  log(`ASAN_OPTIONS=${env.ASAN_OPTIONS}`);
  log(`UBSAN_OPTIONS=${env.UBSAN_OPTIONS}`);

  const options = { env, budget: BUDGET, budgetVar: 'FASTNET_SANITIZERS_BUDGET' };
  const parts = [['own tests', await ownTests(options)]];
  if (interrupted()) process.exit(130);
  if (withSuite) {
    parts.push(['Node\'s net tests', await nodeSuite(argv.slice(1), options)]);
    if (interrupted()) process.exit(130);
  }
  const reports = printReports(logDir);
  if (!reports) fs.rmSync(logDir, { recursive: true, force: true });

  console.log('');
  const summary = parts.map(([name, r]) => `${name} ${r.passed} passed, ${r.failed} failed`);
  log(`${summary.join('; ')}; sanitizer reports ${reports}; ${Math.round((Date.now() - started) / 1000)} s`);
  const passed = parts.reduce((n, [, r]) => n + r.passed, 0);
  const failed = parts.reduce((n, [, r]) => n + r.failed, 0) + reports;
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

main();
