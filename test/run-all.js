#!/usr/bin/env node
'use strict';
// `npm test`: our own tests (node --test test/*.test.js), then Node's net tests against fastnet
// (test/node-suite/run.js). Ends with one line `N passed, N failed` summing both; exits non-zero
// when either part failed. Arguments are passed on to the node suite.

const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');

const TEST_DIR = __dirname;
const ROOT = path.resolve(TEST_DIR, '..');

// Whole-run limit for our own tests (seconds): a hung test must not hang `npm test` / CI.
const OWN_BUDGET = Number(process.env.FASTNET_OWN_TESTS_BUDGET) || 900;
const children = new Set();

function killGroup(child) {
  try { process.kill(-child.pid, 'SIGKILL'); } catch {}
}

// Ctrl-C: pass the signal on (the node suite then stops its tests and removes its files), give it a
// moment, then go.
let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    interrupted = true;
    for (const child of children) {
      try { process.kill(-child.pid, sig); } catch {}
    }
    setTimeout(() => {
      for (const child of children) killGroup(child);
      process.exit(130);
    }, 5000).unref();
  });
}

// Runs node with stderr inherited, echoing stdout while keeping it for parsing. In its own process
// group, so that a budget overrun or Ctrl-C ends everything it started.
function run(args, budgetSeconds = 0) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
    children.add(child);
    let out = '';
    let overBudget = false;
    const timer = budgetSeconds > 0 && setTimeout(() => {
      overBudget = true;
      console.log(`\nrun-all: still running after ${budgetSeconds} s (FASTNET_OWN_TESTS_BUDGET): killed`);
      killGroup(child);
    }, budgetSeconds * 1000);
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

async function ownTests() {
  const files = fs.readdirSync(TEST_DIR).filter((f) => f.endsWith('.test.js')).sort();
  if (files.length === 0) {
    console.log('run-all: no test/*.test.js files: no own tests to run');
    return { passed: 0, failed: 0 };
  }
  console.log(`run-all: own tests: node --test ${files.length} file${files.length === 1 ? '' : 's'}`);
  const r = await run(['--test', '--test-reporter=tap', ...files.map((f) => path.join('test', f))], OWN_BUDGET);
  if (r.overBudget) {
    // The TAP summary never came: count what finished.
    const passed = (r.out.match(/^ok \d+ /gm) || []).length;
    const failed = (r.out.match(/^not ok \d+ /gm) || []).length;
    return { passed, failed: failed + 1 };
  }
  const passed = count(r.out, 'pass');
  let failed = (count(r.out, 'fail') || 0) + (count(r.out, 'cancelled') || 0);
  if (passed === null) {
    console.log('run-all: node --test printed no "# pass N" summary');
    failed = Math.max(failed, 1);
  } else if (r.code !== 0 && failed === 0) {
    console.log(`run-all: node --test exited with ${r.signal || `code ${r.code}`} but reported no failure`);
    failed = 1;
  }
  return { passed: passed || 0, failed };
}

async function nodeSuite(args) {
  console.log('run-all: Node\'s net tests against fastnet: node test/node-suite/run.js');
  const r = await run([path.join('test', 'node-suite', 'run.js'), ...args]);
  const lines = r.out.trimEnd().split('\n');
  const m = /^(\d+) passed, (\d+) failed$/.exec(lines[lines.length - 1] || '');
  if (!m) {
    console.log(`run-all: the node suite ended without its "N passed, N failed" line (${r.signal || `exit ${r.code}`})`);
    return { passed: 0, failed: 1 };
  }
  const result = { passed: Number(m[1]), failed: Number(m[2]) };
  if (r.code !== 0 && result.failed === 0) result.failed = 1;
  return result;
}

async function main() {
  const own = await ownTests();
  if (interrupted) process.exit(130);
  console.log(`run-all: own tests: ${own.passed} passed, ${own.failed} failed\n`);
  const suite = await nodeSuite(process.argv.slice(2));
  if (interrupted) process.exit(130);
  console.log('');
  console.log(`run-all: own tests ${own.passed} passed, ${own.failed} failed; ` +
    `Node's net tests ${suite.passed} passed, ${suite.failed} failed`);
  const passed = own.passed + suite.passed;
  const failed = own.failed + suite.failed;
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

main();
