#!/usr/bin/env node
'use strict';
// Runs Node's own net tests (test/parallel/test-net-*, test/sequential/test-net-*) against fastnet; with
// --stacks, Node's other tests that use net instead: what apps stack on net (test-http-*, test-https-*,
// test-http2-*, test-tls-*, test-cluster-*, test-child-process-*) and the rest (test-pipe-*, test-socket-*, ...).
//
//   node test/node-suite/run.js [options] [name-or-glob ...]
//   npm run test:node -- test-net-pingpong            one test, printing its own output
//   npm run test:node -- 'test-net-server-*'          a glob
//   npm run test:node -- --core                       the same set against core net (no swap)
//   npm run test:node -- --update                     rewrite expectations/net-vMAJOR.json (or stacks-vMAJOR.json) from this run
//
// Each test runs in its own process, with the test's `// Flags:` and the environment Node's
// tools/test.py gives it, on a private copy of Node's test tree. `net` is swapped for fastnet by
// lib/register.js (fastnet/register), passed through NODE_OPTIONS so the processes a test spawns get
// fastnet too.
// As root on Linux the run happens in private network and mount namespaces: loopback only, and an
// /etc/hosts that maps localhost to both 127.0.0.1 and ::1.
// Node's source: NODE_SRC=/path/to/node (a checkout or release tarball of the running major), else
// the cache of shared/tools/node-source.sh, else that script (root only).

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn, spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const MAJOR = process.versions.node.split('.')[0];
// The test sets: which files, and where their expectations and result tables are.
const SETS = {
  net: { files: /^test-net-.*\.m?js$/, expectations: 'net', results: 'results' },
  stacks: {
    files: /^test-(?!net-).*\.m?js$/,
    content: /require\(['"](node:)?net['"]\)|from ['"](node:)?net['"]/,   // only those that use net
    expectations: 'stacks',
    results: 'results-stacks',
  },
};
// Expectations are kept per major version: expectations/<set>-v<major>.json.
const expectationsFile = (set) => path.join(__dirname, 'expectations', `${set.expectations}-v${MAJOR}.json`);
let EXPECTATIONS;
// the swap users get (`node -r fastnet/register`): Module._load, process.getBuiltinModule and module hooks
const PRELOAD = path.join(__dirname, '..', '..', 'lib', 'register.js');
const NS_MARKER = 'FASTNET_NODE_SUITE_NS';

const REASON_RE = /^(uses Node internals|fails on core Node|missing fastnet feature)\b/i;
const CORE_FAIL_RE = /^fails on core Node\b/i;

function usage() {
  return `usage: node test/node-suite/run.js [options] [name-or-glob ...]

Runs Node's test-net-* tests against fastnet (the package at ${ROOT}).
With --stacks: Node's other tests that use net (http, https, http2, tls, cluster, child-process, pipe, ...).
Names match with or without directory and extension: test-net-pingpong, 'test-net-server-*',
'sequential/*'. Without names, the whole set runs and the table goes to test/node-suite/results.md.

  --stacks        Node's other tests that use net (expectations-stacks.json, results-stacks.md)
  --core          run against core net (no swap): what fails on Node itself
  --update        rewrite expectations/net-vMAJOR.json (or stacks-vMAJOR.json) from this run (new failures get "TODO: reason")
  -j N            tests run at once from test/parallel (default 2; test/sequential runs alone)
  --timeout S     per-test timeout in seconds (default 60)
  --budget S      stop starting tests after S seconds; the rest count as failed
                  (default: env FASTNET_NODE_SUITE_BUDGET, else none)
  -v, --verbose   print every test's output (default when names are given)
  -q, --quiet     print no test output, only results
  --list          list the selected tests and exit
  --keep          keep the temporary copy of Node's test tree
  --no-netns      do not enter private network/mount namespaces
  -h, --help      this text

Environment: NODE_SRC=/path/to/node/source (a Node ${MAJOR}.x checkout or release tarball).`;
}

function parseArgs(argv) {
  const opts = {
    set: 'net', core: false, update: false, jobs: 2, timeout: 60, verbose: null, list: false, keep: false,
    netns: true, budget: Number(process.env.FASTNET_NODE_SUITE_BUDGET) || 0, patterns: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) die(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '--stacks': opts.set = 'stacks'; break;
      case '--core': opts.core = true; break;
      case '--update': opts.update = true; break;
      case '-j': case '--jobs': opts.jobs = Math.max(1, parseInt(value(), 10) || 1); break;
      case '--timeout': opts.timeout = Number(value()); break;
      case '--budget': opts.budget = Number(value()); break;
      case '-v': case '--verbose': opts.verbose = true; break;
      case '-q': case '--quiet': opts.verbose = false; break;
      case '--list': opts.list = true; break;
      case '--keep': opts.keep = true; break;
      case '--no-netns': opts.netns = false; break;
      case '-h': case '--help': console.log(usage()); process.exit(0); break;
      default:
        if (arg.startsWith('-j') && /^\d+$/.test(arg.slice(2))) opts.jobs = Number(arg.slice(2));
        else if (arg.startsWith('-')) die(`unknown option ${arg}\n\n${usage()}`);
        else opts.patterns.push(arg);
    }
  }
  if (!(opts.timeout > 0)) die('--timeout must be a positive number of seconds');
  if (opts.update && opts.core) die('--update records fastnet results; it cannot be combined with --core');
  if (opts.verbose === null) opts.verbose = opts.patterns.length > 0;
  return opts;
}

function die(message, code = 2) {
  console.error(`node-suite: ${message}`);
  process.exit(code);
}

// ---- Node's source tree ----

function isSourceTree(dir) {
  return dir && fs.existsSync(path.join(dir, 'test', 'common', 'index.js')) &&
    fs.existsSync(path.join(dir, 'test', 'parallel'));
}

function sourceMajor(dir) {
  try {
    const header = fs.readFileSync(path.join(dir, 'src', 'node_version.h'), 'utf8');
    const m = /#define NODE_MAJOR_VERSION (\d+)/.exec(header);
    if (m) return m[1];
  } catch {}
  const m = /node-v?(\d+)\.\d+\.\d+/.exec(path.basename(dir));
  return m ? m[1] : null;
}

function findNodeSource() {
  const tried = [];
  if (process.env.NODE_SRC) {
    const dir = path.resolve(process.env.NODE_SRC);
    if (!isSourceTree(dir)) {
      die(`NODE_SRC=${process.env.NODE_SRC} has no test/common/index.js and test/parallel: ` +
        'point it at the top of a Node source checkout or an extracted release tarball');
    }
    return dir;
  }
  const cache = path.join(process.env.FASTNET_CACHE || path.join(os.homedir(), '.cache', 'fastnet'), 'node-src');
  try {
    const dirs = fs.readdirSync(cache).filter((d) => d.startsWith(`node-v${MAJOR}.`)).sort().reverse();
    for (const d of dirs) {
      const dir = path.join(cache, d);
      if (fs.existsSync(path.join(dir, '.complete')) && isSourceTree(dir)) return dir;
    }
  } catch {}
  tried.push(`no Node ${MAJOR}.x tree in ${cache}`);
  const script = path.resolve(ROOT, '..', 'shared', 'tools', 'node-source.sh');
  if (!fs.existsSync(script)) {
    tried.push(`no ${script}`);
  } else if (process.getuid && process.getuid() !== 0) {
    tried.push(`${script} needs root`);
  } else {
    // node-source.sh, then our fallback for a mirror that lacks one of the package's extra tarballs.
    for (const fetcher of [script, path.join(__dirname, 'fetch-orig-source.sh')]) {
      console.error(`node-suite: fetching Node ${MAJOR}'s source with ${fetcher}`);
      const r = spawnSync('bash', [fetcher, MAJOR], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
      const dir = (r.stdout || '').trim().split('\n').pop();
      if (r.status === 0 && isSourceTree(dir)) return dir;
      tried.push(`${fetcher} failed (exit ${r.status})`);
    }
  }
  die(`Node's source tree (its test/ directory) is needed and was not found:\n  - ${tried.join('\n  - ')}\n` +
    `Do one of:\n  - as root: bash ${script}   (fetches Node ${MAJOR}.x's source once, into root's ` +
    '~/.cache/fastnet/node-src, or $FASTNET_CACHE/node-src)\n' +
    `  - NODE_SRC=/path/to/node npm run test:node   (a Node ${MAJOR}.x checkout or extracted release tarball)`);
}

// ---- the test set ----

function listTests(src, set) {
  const tests = [];
  for (const dir of ['parallel', 'sequential']) {
    for (const file of fs.readdirSync(path.join(src, 'test', dir)).sort()) {
      if (set.files.test(file) &&
          (!set.content || set.content.test(fs.readFileSync(path.join(src, 'test', dir, file), 'utf8')))) {
        tests.push({ name: `${dir}/${file}`, dir, file, parallel: dir === 'parallel' });
      }
    }
  }
  return tests;
}

function globToRegExp(glob) {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}

function selectTests(tests, patterns) {
  if (patterns.length === 0) return tests;
  const selected = new Set();
  for (const pattern of patterns) {
    const re = globToRegExp(pattern);
    const hits = tests.filter((t) => {
      const base = t.file.replace(/\.m?js$/, '');
      return [t.name, t.file, base, `${t.dir}/${base}`].some((candidate) => re.test(candidate));
    });
    if (hits.length === 0) die(`no test matches ${pattern}`);
    hits.forEach((t) => selected.add(t));
  }
  return tests.filter((t) => selected.has(t));
}

// Like test.py: the first `// Flags:` line anywhere in the file.
function testFlags(file) {
  const m = /\/\/\s+Flags:(.*)/.exec(fs.readFileSync(file, 'utf8'));
  return m ? m[1].trim().split(/\s+/).filter(Boolean) : [];
}

// ---- expectations ----

function readExpectations() {
  if (!fs.existsSync(EXPECTATIONS)) return {};
  try {
    return JSON.parse(fs.readFileSync(EXPECTATIONS, 'utf8'));
  } catch (err) {
    die(`${EXPECTATIONS} is not valid JSON: ${err.message}`);
  }
}

// -> { expect: 'pass' | 'fail' | null, reason, problem }
function expectationFor(expectations, name, core) {
  if (!Object.hasOwn(expectations, name)) {
    return { expect: null, problem: `missing from ${path.basename(EXPECTATIONS)}` };
  }
  const entry = expectations[name];
  if (entry === 'pass') return { expect: 'pass' };
  if (entry && typeof entry === 'object' && typeof entry.fail === 'string') {
    const reason = entry.fail.trim();
    const problem = REASON_RE.test(reason) ? null :
      `${path.basename(EXPECTATIONS)} reason must start with "uses Node internals", "fails on core Node" or ` +
      `"missing fastnet feature": ${JSON.stringify(reason)}`;
    // Against core net, only "fails on core Node" failures are expected.
    if (core) return { expect: CORE_FAIL_RE.test(reason) ? 'fail' : 'pass', reason };
    return { expect: 'fail', reason, problem };
  }
  return { expect: null, problem: `${path.basename(EXPECTATIONS)} entry must be "pass" or {"fail": "reason"}: ${JSON.stringify(entry)}` };
}

function writeExpectations(expectations, tests, results) {
  const next = {};
  const byName = new Map(results.map((r) => [r.test.name, r]));
  let changed = 0;
  for (const t of tests) {
    const old = expectations[t.name];
    const r = byName.get(t.name);
    let entry = old;
    if (r && r.status !== 'not run') {
      if (r.ok) entry = 'pass';
      else entry = old && typeof old === 'object' && typeof old.fail === 'string' ? old : { fail: 'TODO: reason' };
    }
    if (entry === undefined) entry = { fail: 'TODO: reason (not run yet)' };
    if (JSON.stringify(entry) !== JSON.stringify(old)) changed++;
    next[t.name] = entry;
  }
  const dropped = Object.keys(expectations).filter((name) => !Object.hasOwn(next, name));
  const lines = Object.entries(next).map(([name, entry]) => `  ${JSON.stringify(name)}: ${JSON.stringify(entry)}`);
  fs.writeFileSync(EXPECTATIONS, `{\n${lines.join(',\n')}\n}\n`);
  console.log(`node-suite: updated ${path.relative(process.cwd(), EXPECTATIONS) || EXPECTATIONS}: ` +
    `${changed} entr${changed === 1 ? 'y' : 'ies'} changed, ${dropped.length} dropped` +
    (dropped.length ? ` (${dropped.join(', ')})` : ''));
}

// ---- namespaces ----

function commandExists(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

// Re-executes this runner inside private network and mount namespaces when that is possible.
// Returns only when the run should go on in this process.
function enterNamespaces(opts) {
  if (process.env[NS_MARKER] === '1') return setUpNamespaces();
  if (!opts.netns) return 'namespaces: off (--no-netns)';
  const why = process.platform !== 'linux' ? 'not Linux' :
    process.getuid() !== 0 ? 'not root' :
      !commandExists('unshare') ? 'no unshare (util-linux)' :
        !commandExists('ip') ? 'no ip (iproute2)' :
          spawnSync('unshare', ['-n', '-m', 'true'], { stdio: 'ignore' }).status !== 0 ? 'unshare -n -m failed' : null;
  if (why) {
    console.error(`node-suite: warning: running on the host network (${why}); tests may reach ` +
      'other interfaces, and /etc/hosts may lack "::1 localhost"');
    return `namespaces: none (${why})`;
  }
  // Ctrl-C reaches the inner runner too, which cleans up; this one just waits for it.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => {});
  const r = spawnSync('unshare', ['-n', '-m', '--', process.execPath, __filename, ...process.argv.slice(2)], {
    stdio: 'inherit', env: { ...process.env, [NS_MARKER]: '1' },
  });
  if (r.error) die(`unshare: ${r.error.message}`);
  process.exit(r.status === null ? 1 : r.status);
}

function setUpNamespaces() {
  const notes = [];
  const lo = spawnSync('ip', ['link', 'set', 'lo', 'up'], { encoding: 'utf8' });
  if (lo.status !== 0) console.error(`node-suite: warning: ip link set lo up failed: ${lo.stderr || lo.error}`);
  else notes.push('private network (loopback only)');
  const hosts = path.join(os.tmpdir(), `fastnet-node-suite-hosts-${process.pid}`);
  fs.writeFileSync(hosts, `127.0.0.1 localhost\n::1 localhost\n127.0.0.1 ${os.hostname()}\n`);
  const mount = spawnSync('mount', ['--bind', hosts, '/etc/hosts'], { encoding: 'utf8' });
  if (mount.status !== 0) console.error(`node-suite: warning: could not bind-mount /etc/hosts: ${mount.stderr || mount.error}`);
  else notes.push('private /etc/hosts');
  process.on('exit', () => {
    spawnSync('umount', ['/etc/hosts'], { stdio: 'ignore' });
    try { fs.unlinkSync(hosts); } catch {}
  });
  return `namespaces: ${notes.join(', ') || 'none'}`;
}

// ---- running ----

function copyTree(src, opts, tests) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fastnet-node-suite-'));
  const test = path.join(tmp, 'test');
  for (const dir of ['common', 'fixtures']) {
    fs.cpSync(path.join(src, 'test', dir), path.join(test, dir), { recursive: true });
  }
  for (const dir of ['parallel', 'sequential']) {
    fs.mkdirSync(path.join(test, dir), { recursive: true });
    for (const file of fs.readdirSync(path.join(src, 'test', dir))) {
      if (file.endsWith('.status') || tests.some((t) => t.dir === dir && t.file === file)) {
        fs.copyFileSync(path.join(src, 'test', dir, file), path.join(test, dir, file));
      }
    }
  }
  const cleanup = () => {
    if (opts.keep) return;
    try { fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 }); } catch {}
  };
  return { tmp, cleanup };
}

function baseEnv(opts) {
  const env = { ...process.env };
  // As test.py: no inherited NODE_OPTIONS / NODE_PATH / NODE_REPL_EXTERNAL_MODULE.
  for (const key of ['NODE_OPTIONS', 'NODE_PATH', 'NODE_REPL_EXTERNAL_MODULE', NS_MARKER]) delete env[key];
  env.GITHUB_STEP_SUMMARY = '';
  if (!opts.core) env.NODE_OPTIONS = `--require "${PRELOAD.replace(/(["\\])/g, '\\$1')}"`;
  return env;
}

const running = new Set();

function killGroup(child, signal = 'SIGKILL') {
  try { process.kill(-child.pid, signal); } catch {}
}

function runTest(t, ctx, ids) {
  return new Promise((resolve) => {
    const file = path.join(ctx.tmp, 'test', t.dir, t.file);
    const flags = testFlags(file);
    const args = [...flags, file];
    const logBase = path.join(ctx.logDir, t.name.replace('/', '__'));
    const outFile = `${logBase}.stdout`;
    const errFile = `${logBase}.stderr`;
    const out = fs.openSync(outFile, 'w');
    const err = fs.openSync(errFile, 'w');
    const env = {
      ...ctx.env,
      TEST_SERIAL_ID: String(ids.serial),
      TEST_THREAD_ID: String(ids.thread),
      TEST_PARALLEL: t.parallel ? '1' : '0',
    };
    const start = process.hrtime.bigint();
    // Own process group, so a timeout (or leftovers after exit) can be killed as a whole.
    const child = spawn(process.execPath, args, {
      cwd: ctx.tmp, env, stdio: ['ignore', out, err], detached: true,
    });
    fs.closeSync(out);
    fs.closeSync(err);
    running.add(child);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, ctx.opts.timeout * 1000);
    const finish = (code, signal, spawnError) => {
      clearTimeout(timer);
      killGroup(child); // processes the test left behind
      running.delete(child);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const stdout = readText(outFile);
      const stderr = readText(errFile) + (spawnError ? `\n${spawnError.message}` : '');
      resolve(classify(t, { code, signal, timedOut, stdout, stderr, seconds, command: args, ctx }));
    };
    child.on('error', (e) => finish(null, null, e));
    child.on('exit', (code, signal) => finish(code, signal));
  });
}

function readText(file) {
  try { return fs.readFileSync(file, 'utf8'); } catch { return ''; }
}

const SKIP_RE = /(?:\d+\.\.\d+|ok|not ok).*# SKIP\S*\s+(.*)/i;
const ERROR_LINE_RE = /^\s*(?:Uncaught\s+)?(?:[A-Za-z]*Error|Error)(?:\s\[[A-Z0-9_]+\])?:.*|^\s*(?:Mismatched|FATAL ERROR|#\s*Fatal error).*/;

function firstErrorLine(stderr, stdout) {
  // node:test (TAP) failures: the first failing subtest and its error.
  const tap = /^\s*not ok \d+ - (.*)\n(?:\s+.*\n)*?\s+error: (.*)/m.exec(stdout);
  if (tap) return `not ok - ${tap[1].trim()}: ${tap[2].trim()}`;
  for (const text of [stderr, stdout]) {
    const lines = text.split('\n');
    const i = lines.findIndex((l) => ERROR_LINE_RE.test(l));
    if (i < 0) continue;
    let line = lines[i].trim();
    // "Expected values to be strictly equal:" says little without the values on the next lines.
    if (line.endsWith(':')) {
      const more = [];
      for (const next of lines.slice(i + 1, i + 12)) {
        if (/^\s+at /.test(next) || more.length === 3) break;
        if (next.trim() && !/^\+ actual - expected/.test(next.trim())) more.push(next.trim());
      }
      if (more.length) line += ` ${more.join(' ')}`;
    }
    return line;
  }
  const line = stderr.split('\n').find((l) => l.trim());
  return line ? line.trim() : '';
}

function classify(t, run) {
  let status;
  let detail = '';
  if (run.timedOut) {
    status = 'timeout';
    detail = `timed out after ${run.ctx.opts.timeout} s`;
    const line = firstErrorLine(run.stderr, run.stdout);
    if (line) detail += `; ${line}`;
  } else if (run.signal) {
    status = 'crash';
    detail = `killed by ${run.signal}`;
    const line = firstErrorLine(run.stderr, run.stdout);
    if (line) detail += `; ${line}`;
  } else if (run.code !== 0) {
    status = 'fail';
    detail = firstErrorLine(run.stderr, run.stdout) || `exit code ${run.code}`;
  } else {
    const skip = SKIP_RE.exec(run.stdout);
    status = skip ? 'skip' : 'pass';
    if (skip) detail = `skipped: ${skip[1].trim()}`;
  }
  return { test: t, status, ok: status === 'pass' || status === 'skip', detail, ...run, ctx: undefined };
}

function judge(result, expectations, core) {
  const e = expectationFor(expectations, result.test.name, core);
  result.expect = e.expect;
  result.reason = e.reason;
  if (result.status === 'not run') {
    result.expected = false;
    result.note = result.detail;
  } else if (e.problem && !(e.expect === 'fail' && result.ok)) {
    result.expected = false;
    result.note = e.problem;
  } else if (e.expect === 'pass') {
    result.expected = result.ok;
    result.note = result.ok ? '' : 'expected to pass';
  } else {
    result.expected = !result.ok;
    result.note = result.ok ? `expected to fail (${e.reason}) but passed: update ${path.basename(EXPECTATIONS)}` : '';
  }
  return result;
}

// The first error line, after what was unexpected about it when that is more than "expected to pass".
function describe(r) {
  if (!r.note || r.note === 'expected to pass') return r.detail || '';
  return r.detail && r.detail !== r.note ? `${r.note}; ${r.detail}` : r.note;
}

function printOutput(r, limit) {
  const blocks = [];
  for (const [label, text] of [['stdout', r.stdout], ['stderr', r.stderr]]) {
    if (!text.trim()) continue;
    let lines = text.replace(/\s+$/, '').split('\n');
    if (limit && lines.length > limit) {
      lines = [`[... ${lines.length - limit} lines; all in ${r.logFile}.${label}]`, ...lines.slice(-limit)];
    }
    blocks.push(`--- ${label} ---\n${lines.join('\n')}`);
  }
  blocks.push(`Command: node ${r.command.map((a) => a.replace(r.tmpRoot + path.sep, '')).join(' ')}`);
  console.log(blocks.join('\n'));
}

function escapeCell(text) {
  return String(text || '').replace(/\|/g, '\\|').replace(/\s+/g, ' ').slice(0, 200);
}

function writeTable(file, results, summary, header) {
  const rows = results.map((r) => {
    const expected = r.expect === 'pass' ? 'pass' : r.expect === 'fail' ? `fail: ${r.reason}` : '-';
    const result = r.expected ? r.status : `**${r.status} (unexpected)**`;
    return `| ${r.test.name} | ${result} | ${escapeCell(expected)} | ${escapeCell(describe(r))} |`;
  });
  fs.writeFileSync(file, [
    `# Node's net tests against ${header.target}`,
    '',
    `Written by \`node test/node-suite/run.js${header.args}\`. ${header.versions}.`,
    '',
    summary.map((l) => `    ${l}`).join('\n'),
    '',
    '| test | result | expected | first error line |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n'));
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const src = findNodeSource();
  const srcMajor = sourceMajor(src);
  if (srcMajor && srcMajor !== MAJOR) {
    die(`${src} holds Node ${srcMajor}.x tests, but this is Node ${process.versions.node}: ` +
      `set NODE_SRC to a Node ${MAJOR}.x source tree`);
  }
  const set = SETS[opts.set];
  EXPECTATIONS = expectationsFile(set);
  const allTests = listTests(src, set);
  const tests = selectTests(allTests, opts.patterns);
  if (opts.list) {
    tests.forEach((t) => console.log(t.name));
    return 0;
  }
  if (!opts.core) {
    // One clear message instead of every test failing the same way.
    const probe = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(ROOT)})`], { encoding: 'utf8' });
    if (probe.status !== 0) {
      const why = (probe.stderr || '').split('\n').find((l) => /Error/.test(l)) || `exit ${probe.status}`;
      console.log(`node-suite: fastnet (${ROOT}) does not load: ${why.trim()}`);
      console.log('node-suite: build it with `npm install` (or `npx node-gyp rebuild`); full error:');
      console.log(probe.stderr.trimEnd());
      console.log(`node-suite: 0 of ${tests.length} Node tests pass with fastnet (not run: fastnet does not load)`);
      console.log(`0 passed, ${tests.length} failed`);
      return 1;
    }
  }
  const nsNote = enterNamespaces(opts);
  process.umask(0o022);

  const expectations = readExpectations();
  const { tmp, cleanup } = copyTree(src, opts, allTests);
  const logDir = path.join(os.tmpdir(), `fastnet-node-suite-logs${opts.core ? '-core' : ''}`);
  fs.rmSync(logDir, { recursive: true, force: true });
  fs.mkdirSync(logDir, { recursive: true });
  const ctx = { opts, tmp, logDir, env: baseEnv(opts) };
  const target = opts.core ? 'core net' : 'fastnet';
  const versions = `node ${process.version}, tests from ${path.basename(src)}`;
  console.log(`node-suite: ${tests.length} of ${allTests.length} Node tests against ${target}; ${versions}`);
  console.log(`node-suite: ${nsNote}; ${opts.jobs} at a time from parallel/, sequential/ alone; ` +
    `timeout ${opts.timeout} s; logs in ${logDir}`);

  let interrupted = false;
  const onSignal = (sig) => {
    interrupted = true;
    for (const child of running) killGroup(child);
    cleanup();
    console.error(`\nnode-suite: interrupted (${sig})`);
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const results = [];
  const started = Date.now();
  const deadline = opts.budget > 0 ? started + opts.budget * 1000 : Infinity;
  let serial = 0;
  let done = 0;
  const width = String(tests.length).length;
  const report = (r) => {
    done++;
    judge(r, expectations, opts.core);
    r.logFile = path.join(logDir, r.test.name.replace('/', '__'));
    r.tmpRoot = tmp;
    results.push(r);
    const mark = r.expected ? '' : '   <-- unexpected';
    const seconds = r.seconds !== undefined ? ` (${r.seconds.toFixed(1)} s)` : '';
    const detail = r.ok && r.expected && r.status !== 'skip' ? '' : `  ${describe(r)}`;
    console.log(`[${String(done).padStart(width)}/${tests.length}] ${r.status.padEnd(7)} ${r.test.name}${seconds}${detail}${mark}`);
    if (r.status !== 'not run' && (opts.verbose || (!r.expected && opts.verbose !== false))) {
      printOutput(r, opts.verbose ? 0 : 40);
    }
  };
  const notRun = (t) => report({ test: t, status: 'not run', ok: false, detail: `not run: suite time budget of ${opts.budget} s used up` });

  const queue = tests.filter((t) => t.parallel);
  const worker = async (thread) => {
    while (queue.length && !interrupted) {
      const t = queue.shift();
      if (Date.now() > deadline) { notRun(t); continue; }
      report(await runTest(t, ctx, { serial: ++serial, thread }));
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.jobs, queue.length) }, (_, i) => worker(i)));
  for (const t of tests.filter((x) => !x.parallel)) {
    if (Date.now() > deadline) { notRun(t); continue; }
    report(await runTest(t, ctx, { serial: ++serial, thread: 0 }));
  }
  cleanup();
  const seconds = (Date.now() - started) / 1000;

  // Completeness: every test of the set must be in expectations.json.
  const problems = [];
  if (opts.patterns.length === 0) {
    const known = new Set(allTests.map((t) => t.name));
    const stale = Object.keys(expectations).filter((name) => !known.has(name));
    if (stale.length) problems.push(`${path.basename(EXPECTATIONS)} lists tests this Node source lacks (ignored): ${stale.join(', ')}`);
  }

  results.sort((a, b) => tests.indexOf(a.test) - tests.indexOf(b.test));
  if (opts.update) {
    writeExpectations(expectations, allTests, results);
    const updated = readExpectations();
    for (const r of results) judge(r, updated, opts.core);
  }
  const passing = results.filter((r) => r.ok).length;
  const skipped = results.filter((r) => r.status === 'skip').length;
  const unexpected = results.filter((r) => !r.expected);
  const expectedCount = results.length - unexpected.length;
  const summary = [
    `node-suite: ${passing} of ${results.length} Node tests pass with ${target}` +
      (skipped ? ` (${skipped} of them skipped themselves)` : ''),
  ];
  const failing = results.filter((r) => !r.ok);
  if (failing.length) {
    summary.push(`failing: ${failing.map((r) => `${r.test.name} (${r.status}${r.expected ? ', expected' : ''})`).join(', ')}`);
  }
  if (unexpected.length) summary.push(`unexpected: ${unexpected.map((r) => r.test.name).join(', ')}`);

  const header = {
    target,
    versions,
    args: (opts.set === 'stacks' ? ' --stacks' : '') + (opts.core ? ' --core' : '') + (opts.patterns.length ? ` ${opts.patterns.join(' ')}` : ''),
  };
  const tableFile = opts.patterns.length === 0 ?
    path.join(__dirname, `${set.results}${opts.core ? '-core' : ''}.md`) :
    path.join(os.tmpdir(), `fastnet-node-suite-results${opts.core ? '-core' : ''}.md`);
  writeTable(tableFile, results, summary, header);

  const slowest = results.filter((r) => r.seconds !== undefined).sort((a, b) => b.seconds - a.seconds).slice(0, 5);
  console.log('');
  for (const p of problems) console.log(`node-suite: warning: ${p}`);
  if (slowest.length > 1) {
    console.log(`node-suite: slowest: ${slowest.map((r) => `${r.test.file} ${r.seconds.toFixed(1)} s`).join(', ')}`);
  }
  console.log(`node-suite: table in ${path.relative(process.cwd(), tableFile).startsWith('..') ? tableFile : path.relative(process.cwd(), tableFile)}; ran in ${seconds.toFixed(1)} s`);
  for (const line of summary) console.log(line);
  console.log(`${expectedCount} passed, ${unexpected.length} failed`);
  return unexpected.length ? 1 : 0;
}

main().then((code) => { process.exitCode = code; }, (err) => {
  console.error(err);
  process.exitCode = 2;
});
