'use strict';
// Smoke test of the benchmark harness (bench/): runs every scenario once, very briefly
// (`node bench/run.js --smoke NAME`), and checks that it measured a finite positive number for core
// and for fastnet (and for the C limit where there is one). No timing assertions.

const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const RUN = path.join(__dirname, '..', 'bench', 'run.js');
const SCENARIOS = ['node', 'pingpong', 'many', 'churn', 'http', 'memory'];

for (const name of SCENARIOS) {
  test(`bench scenario ${name} measures core and fastnet`, { timeout: 180000 }, (t) => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'fastnet-bench-'));
    try {
      const r = spawnSync(process.execPath, [RUN, '--smoke', '--out', out, name], { encoding: 'utf8', timeout: 170000 });
      assert.strictEqual(r.status, 0, `bench/run.js --smoke ${name} exited ${r.status ?? r.signal}\n${r.stdout}\n${r.stderr}`);
      const result = JSON.parse(fs.readFileSync(path.join(out, 'latest.json'), 'utf8'));
      const skipped = result.skipped.find((s) => s.scenario === name);
      if (skipped) {
        t.skip(skipped.reason);
        return;
      }
      assert.ok(result.rows.length > 0, 'no rows');
      for (const row of result.rows) {
        const what = `${row.case} ${row.metric}`;
        for (const impl of ['core', 'fastnet', ...(row.limit ? ['limit'] : [])]) {
          const v = row[impl]?.median;
          assert.ok(Number.isFinite(v) && v > 0, `${what}: ${impl} gave ${v}`);
        }
      }
      for (const file of ['latest.md', 'latest.svg']) assert.ok(fs.statSync(path.join(out, file)).size > 0, file);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
}
