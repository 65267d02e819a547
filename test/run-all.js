#!/usr/bin/env node
'use strict';
// `npm test`: our own tests (node --test test/*.test.js), then Node's net tests against fastnet
// (test/node-suite/run.js), then Node's other tests that use net: http, https, http2, tls, cluster, child-process, pipe... (run.js --stacks).
// Ends with one line `N passed, N failed` summing all three; exits non-zero when any part failed.
// Arguments are passed on to the node suite (and then the stacks set is not run); `--own-only` runs our own
// tests alone (for Node versions whose test tree cannot be had here: 22 and 26).

const { ownTests, nodeSuite, interrupted } = require('./runner');

// Whole-run limit for our own tests (seconds): a hung test must not hang `npm test` / CI.
const OWN_BUDGET = Number(process.env.FASTNET_OWN_TESTS_BUDGET) || 900;

async function main() {
  const own = await ownTests({ budget: OWN_BUDGET, budgetVar: 'FASTNET_OWN_TESTS_BUDGET' });
  if (interrupted()) process.exit(130);
  console.log(`run-all: own tests: ${own.passed} passed, ${own.failed} failed\n`);
  const args = process.argv.slice(2);
  if (args.includes('--own-only')) {
    console.log(`${own.passed} passed, ${own.failed} failed`);
    process.exitCode = own.failed ? 1 : 0;
    return;
  }
  const suite = await nodeSuite(args);
  if (interrupted()) process.exit(130);
  const stacks = args.length ? { passed: 0, failed: 0 } : await nodeSuite(['--stacks']);
  if (interrupted()) process.exit(130);
  console.log('');
  console.log(`run-all: own tests ${own.passed} passed, ${own.failed} failed; ` +
    `Node's net tests ${suite.passed} passed, ${suite.failed} failed; ` +
    `Node's other tests that use net ${stacks.passed} passed, ${stacks.failed} failed`);
  const passed = own.passed + suite.passed + stacks.passed;
  const failed = own.failed + suite.failed + stacks.failed;
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

main();
