'use strict';
// Scenario: the autoSelectFamily defaults come from the command line exactly as core's do (fastnet takes them
// from core's getters at load time): each flag below, in execArgv or NODE_OPTIONS, gives fastnet and core the
// same getDefaultAutoSelectFamily() and getDefaultAutoSelectFamilyAttemptTimeout().

const test = require('node:test');
const assert = require('node:assert');
const { execFile } = require('node:child_process');
const { FASTNET } = require('./helpers');

const FLAGS = [
  [],
  ['--no-network-family-autoselection'],
  ['--no-enable-network-family-autoselection'],
  ['--enable-network-family-autoselection'],
  ['--network-family-autoselection-attempt-timeout=0'],
  ['--network-family-autoselection-attempt-timeout=2.5e2'],
  ['--network-family-autoselection-attempt-timeout=7'],
  ['--network-family-autoselection-attempt-timeout', '1000'],
];

const PRINT = `
const core = require('net'), ours = require(${JSON.stringify(FASTNET)});
const get = (n) => [n.getDefaultAutoSelectFamily(), n.getDefaultAutoSelectFamilyAttemptTimeout()];
console.log(JSON.stringify({ core: get(core), fastnet: get(ours) }));
`;

function run(execArgv, env) {
  return new Promise((resolve) => {
    execFile(process.execPath, [...execArgv, '-e', PRINT], { timeout: 10000, env: { ...process.env, ...env } },
             (err, stdout, stderr) => resolve({ code: err ? err.code : 0, stdout, stderr }));
  });
}

for (const flags of FLAGS) {
  test(`defaults with ${flags.join(' ') || 'no flag'}: fastnet's equal core's`, { timeout: 15000 }, async () => {
    const viaArgv = await run(flags, {});
    assert.strictEqual(viaArgv.code, 0, viaArgv.stderr);
    const a = JSON.parse(viaArgv.stdout);
    assert.deepStrictEqual(a.fastnet, a.core);
    const viaEnv = await run([], { NODE_OPTIONS: [process.env.NODE_OPTIONS || '', ...flags].join(' ').trim() });
    assert.strictEqual(viaEnv.code, 0, viaEnv.stderr);
    const b = JSON.parse(viaEnv.stdout);
    assert.deepStrictEqual(b.fastnet, b.core);
  });
}
