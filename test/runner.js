'use strict';
// What `npm test` (test/run-all.js) and `npm run test:asan` (test/sanitizers.js) share: running node in a
// process group of its own within a time budget, passing Ctrl-C on, and counting what our own tests
// (node --test, TAP) and Node's suite (its last line `N passed, N failed`) report.

const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');

const TEST_DIR = __dirname;
const ROOT = path.resolve(TEST_DIR, '..');
const children = new Set();
let interrupted = false;

function killGroup(child, signal = 'SIGKILL') {
  try { process.kill(-child.pid, signal); } catch {}
}

// Ctrl-C: pass the signal on (the node suite then stops its tests and removes its files), give it a
// moment, then go.
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    interrupted = true;
    for (const child of children) killGroup(child, sig);
    setTimeout(() => {
      for (const child of children) killGroup(child);
      process.exit(130);
    }, 5000).unref();
  });
}

// Runs node ARGS with stderr inherited, echoing stdout while keeping it for parsing. In its own process
// group, so that a budget overrun (`budget` seconds, named by the variable `budgetVar` that sets it) or
// Ctrl-C ends everything it started.
function run(args, { env = process.env, budget = 0, budgetVar = '' } = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
    children.add(child);
    let out = '';
    let overBudget = false;
    const timer = budget > 0 && setTimeout(() => {
      overBudget = true;
      console.log(`\nstill running after ${budget} s (${budgetVar}): killed`);
      killGroup(child);
    }, budget * 1000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      process.stdout.write(chunk);
    });
    const done = (result) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ overBudget, ...result });
    };
    child.on('error', (err) => done({ code: 1, signal: null, out: `${out}\n${err.message}` }));
    child.on('close', (code, signal) => done({ code, signal, out }));
  });
}

function count(out, label) {
  const matches = [...out.matchAll(new RegExp(`^# ${label} (\\d+)\\s*$`, 'gm'))];
  return matches.length ? Number(matches[matches.length - 1][1]) : null;
}

// Our own tests, test/*.test.js: { passed, failed }.
async function ownTests(options) {
  const files = fs.readdirSync(TEST_DIR).filter((f) => f.endsWith('.test.js')).sort();
  if (files.length === 0) {
    console.log('no test/*.test.js files: no own tests to run');
    return { passed: 0, failed: 0 };
  }
  console.log(`own tests: node --test ${files.length} file${files.length === 1 ? '' : 's'}`);
  const r = await run(['--test', '--test-reporter=tap', ...files.map((f) => path.join('test', f))], options);
  if (r.overBudget) {
    // The TAP summary never came: count what finished.
    const passed = (r.out.match(/^ok \d+ /gm) || []).length;
    const failed = (r.out.match(/^not ok \d+ /gm) || []).length;
    return { passed, failed: failed + 1 };
  }
  const passed = count(r.out, 'pass');
  let failed = (count(r.out, 'fail') || 0) + (count(r.out, 'cancelled') || 0);
  if (passed === null) {
    console.log('node --test printed no "# pass N" summary');
    failed = Math.max(failed, 1);
  } else if (r.code !== 0 && failed === 0) {
    console.log(`node --test exited with ${r.signal || `code ${r.code}`} but reported no failure`);
    failed = 1;
  }
  return { passed: passed || 0, failed };
}

// Node's net tests against fastnet (test/node-suite/run.js ARGS): { passed, failed }.
async function nodeSuite(args, options) {
  console.log(`Node's net tests against fastnet: node test/node-suite/run.js ${args.join(' ')}`.trimEnd());
  const r = await run([path.join('test', 'node-suite', 'run.js'), ...args], options);
  const lines = r.out.trimEnd().split('\n');
  const m = /^(\d+) passed, (\d+) failed$/.exec(lines[lines.length - 1] || '');
  if (!m) {
    console.log(`the node suite ended without its "N passed, N failed" line (${r.signal || `exit ${r.code}`})`);
    return { passed: 0, failed: 1 };
  }
  const result = { passed: Number(m[1]), failed: Number(m[2]) };
  if (r.code !== 0 && result.failed === 0) result.failed = 1;
  return result;
}

module.exports = { ROOT, ownTests, nodeSuite, interrupted: () => interrupted };
