#!/usr/bin/env node
'use strict';
// `npm test`: our own tests (node --test test/*.test.js), then Node's net tests against fastnet
// (test/node-suite/run.js). Ends with one line `N passed, N failed` summing both; exits non-zero
// when either part failed. Arguments are passed on to the node suite.

const { ownTests, nodeSuite, interrupted } = require('./runner');

// Whole-run limit for our own tests (seconds): a hung test must not hang `npm test` / CI.
const OWN_BUDGET = Number(process.env.FASTNET_OWN_TESTS_BUDGET) || 900;

async function main() {
  const own = await ownTests({ budget: OWN_BUDGET, budgetVar: 'FASTNET_OWN_TESTS_BUDGET' });
  if (interrupted()) process.exit(130);
  console.log(`run-all: own tests: ${own.passed} passed, ${own.failed} failed\n`);
  const suite = await nodeSuite(process.argv.slice(2));
  if (interrupted()) process.exit(130);
  console.log('');
  console.log(`run-all: own tests ${own.passed} passed, ${own.failed} failed; ` +
    `Node's net tests ${suite.passed} passed, ${suite.failed} failed`);
  const passed = own.passed + suite.passed;
  const failed = own.failed + suite.failed;
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

main();
