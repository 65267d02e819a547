'use strict';
// The benchmark harness (bench/) beyond its scenarios, which test/bench-smoke.test.js runs: the path a
// machine without `unshare -n` takes (forced with --no-netns), that a run leaves tracked files alone,
// and the chart's whiskers and label placement. No timing assertions.

const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const BENCH = path.join(__dirname, '..', 'bench');
const RUN = path.join(BENCH, 'run.js');
const report = require(path.join(BENCH, 'report.js'));

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'fastnet-bench-'));

test('without a network namespace, Node\'s benchmarks run on 127.0.0.1 and the output says so', { timeout: 180000 }, (t) => {
  const out = tmp();
  try {
    const r = spawnSync(process.execPath, [RUN, '--smoke', '--no-netns', '--no-limit', '--out', out, 'net-c2s', 'onread'],
      { encoding: 'utf8', timeout: 170000 });
    assert.strictEqual(r.status, 0, `exited ${r.status ?? r.signal}\n${r.stdout}\n${r.stderr}`);
    const result = JSON.parse(fs.readFileSync(path.join(out, 'latest.json'), 'utf8'));
    const skipped = result.skipped.find((s) => s.scenario === 'node');
    if (skipped) {
      t.skip(skipped.reason);
      return;
    }
    assert.strictEqual(result.netns, false);
    assert.match(result.network, /no network namespace.*127\.0\.0\.1/);
    assert.match(r.stdout, /Network: no network namespace/);
    assert.match(r.stderr, /no network namespace/);
    const cases = result.rows.map((row) => row.case);
    assert.ok(cases.some((c) => /^net-c2s /.test(c)), cases.join(', '));
    assert.ok(cases.some((c) => /^net-s2c .* onread$/.test(c)), cases.join(', '));
    assert.ok(cases.some((c) => /^net-pipe .* onread$/.test(c)), cases.join(', '));
    for (const row of result.rows) {
      for (const impl of ['core', 'fastnet']) {
        const v = row[impl]?.median;
        assert.ok(Number.isFinite(v) && v > 0, `${row.case}: ${impl} gave ${v}`);
      }
    }
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test('--save refuses a smoke run', () => {
  const r = spawnSync(process.execPath, [RUN, '--smoke', '--save', 'pingpong'], { encoding: 'utf8', timeout: 30000 });
  assert.strictEqual(r.status, 2, r.stderr);
  assert.match(r.stderr, /--save/);
});

test('a run writes to the ignored runs folder by default, not to the committed snapshot', () => {
  const src = fs.readFileSync(RUN, 'utf8');
  assert.match(src, /const RUNS = path\.join\(RESULTS, 'runs'\)/);
  const ignore = fs.readFileSync(path.join(__dirname, '..', '.gitignore'), 'utf8').split('\n');
  assert.ok(ignore.includes('bench/results/runs/'), '.gitignore lacks bench/results/runs/');
});

test('the chart has min–max whiskers and keeps the numbers clear of the limit marks', () => {
  const stats = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    return { median: sorted[1], min: sorted[0], max: sorted[2], values };
  };
  const scenario = { name: 's' };
  const c = { id: 'case', limit: {}, metrics: [{ key: 'rate', label: 'x/s', better: 'higher' }] };
  // the C limit's ratio (about 1.4×) sits where a label after the bar's end used to go
  const rows = report.rows(scenario, c, {
    core: [{ rate: 100 }, { rate: 110 }, { rate: 90 }],
    fastnet: [{ rate: 120 }, { rate: 125 }, { rate: 118 }],
    limit: [{ rate: 140 }, { rate: 150 }, { rate: 135 }],
  });
  assert.deepStrictEqual(rows[0].core, stats([100, 110, 90]));
  assert.ok(Math.abs(rows[0].ratioRange.min - 125 / 110) < 1e-9 && Math.abs(rows[0].ratioRange.max - 118 / 90) < 1e-9);
  assert.ok(rows[0].limitRatioRange.min < rows[0].limitRatio && rows[0].limitRatio < rows[0].limitRatioRange.max);

  const svg = report.svg({ date: new Date().toISOString(), node: 'v0', cpus: 2, cpu: 'cpu', mode: 'full', rounds: 3, netns: true, rows });
  const paths = [...svg.matchAll(/<path d="M([\d.]+) [\d.]+V[\d.]+M[\d.]+ [\d.]+H([\d.]+)/g)];
  assert.ok(paths.length >= 2, 'no whiskers');
  const marks = [...svg.matchAll(/<line x1="([\d.]+)"[^>]*stroke="#555" stroke-width="3"><title>C limit/g)].map((m) => +m[1]);
  assert.strictEqual(marks.length, 1);
  // every text right of the row labels starts (text-anchor end: ends) right of everything plotted
  const plotted = Math.max(...marks, ...paths.flatMap((m) => [+m[1], +m[2]]));
  const numbers = [...svg.matchAll(/<text x="([\d.]+)" y="[\d.]+" text-anchor="end"[^>]*>([\d.]+×)</g)];
  assert.ok(numbers.length >= 2, 'no ratio labels');
  for (const [, xEnd, label] of numbers) assert.ok(+xEnd - label.length * 7.5 > plotted, `${label} at ${xEnd} overlaps the plot (${plotted})`);
});

test('bench/cc.c gives the sockets core net makes the congestion control asked for', { timeout: 60000 }, (t) => {
  const read = (name) => fs.readFileSync(`/proc/sys/net/ipv4/${name}`, 'utf8').trim();
  const system = read('tcp_congestion_control');
  // as root any available one can be set on a socket, otherwise only the allowed ones
  const usable = read(process.getuid() === 0 ? 'tcp_available_congestion_control' : 'tcp_allowed_congestion_control');
  const other = usable.split(/\s+/).find((n) => n && n !== system);
  if (!other) return t.skip(`only ${system} is available here`);
  if (spawnSync('ss', ['-V']).status !== 0) return t.skip('no ss (iproute2) to read a socket\'s congestion control');
  const { congestionShim } = require(path.join(BENCH, 'tools.js'));
  const env = { ...process.env, FASTNET_BENCH_CC: other, LD_PRELOAD: congestionShim() };
  // a client and its accepted socket, kept open until stdin closes; prints the server's port
  const script = `const net = require('net');
    const server = net.createServer((s) => process.stdin.on('end', () => { s.destroy(); server.close(); }));
    server.listen(0, '127.0.0.1', () => {
      const c = net.connect(server.address().port, '127.0.0.1', () => console.log(server.address().port));
      process.stdin.on('end', () => c.destroy()).resume();
    });`;
  const { spawn } = require('child_process');
  const child = spawn(process.execPath, ['-e', script], { env, stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8').once('data', (port) => {
      try {
        const ss = spawnSync('ss', ['-tinH', 'state', 'established', `( sport = :${port.trim()} or dport = :${port.trim()} )`],
          { encoding: 'utf8' });
        const names = ss.stdout.split('\n').filter((l) => /^\s/.test(l)).map((l) => l.trim().split(/\s+/)[0]);
        assert.deepStrictEqual(names, [other, other], ss.stdout);
        resolve();
      } catch (err) {
        reject(err);
      } finally {
        child.stdin.end();
      }
    });
    child.on('exit', (code) => code && reject(new Error(`the child exited ${code}`)));
  });
});
