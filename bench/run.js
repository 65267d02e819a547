#!/usr/bin/env node
'use strict';
// The A/B benchmark: fastnet against core net, alternately (core, fastnet, core, fastnet...), each
// measurement in a fresh process, medians over rounds, with the pure-C limit where there is one.
// Results go to bench/results/runs/ (not tracked): latest.{json,md,svg} and <date>.json; --save also
// copies them to the committed snapshot, bench/results/latest.{json,md,svg}. The table is also printed.

const os = require('os');
const path = require('path');
const { parseArgs } = require('util');
const { spawnSync } = require('child_process');
const fs = require('fs');
const { run, netnsAvailable, netnsMissingReason, killAll } = require('./spawn.js');
const { limitBinary, measureLimit } = require('./limit.js');
const report = require('./report.js');
const { ROOT, congestionShim } = require('./tools.js');

const RESULTS = path.join(__dirname, 'results');        // the committed snapshot (--save)
const RUNS = path.join(RESULTS, 'runs');                   // every run's results (ignored by git)

const USAGE = `usage: npm run bench -- [--quick | --smoke] [--rounds N] [--out DIR] [--save] [--no-limit] [--no-netns] [--cc NAME] [NAME...]
  --quick     a short subset (about a minute)
  --smoke     every scenario once, very briefly (for the smoke test)
  --rounds N  core/fastnet pairs per case (default 3, --quick 2, --smoke 1)
  --out DIR   where latest.{json,md,svg} go (default bench/results/runs, not tracked)
  --save      also copy them to the committed snapshot, bench/results/latest.{json,md,svg}
  --no-limit  do not build or run the C limit (bench/limit.c)
  --no-netns  no network namespace even where unshare -n works: everything on 127.0.0.1 in the
              default namespace, as on a machine without root (also FASTNET_BENCH_NO_NETNS=1)
  --cc NAME   TCP congestion control for every measurement, core's, fastnet's and the C limit's
              (default cubic, Linux's default; "system" keeps this machine's, which may pace loopback)
  NAME        run only these scenarios (node, pingpong, many, churn, http, memory)
              or the cases whose name contains NAME (e.g. net-pipe, 102400, onread, agent)`;

const SCENARIOS = ['node', 'pingpong', 'many', 'churn', 'http', 'memory'].map((n) => require(`./scenarios/${n}.js`));
const CHILD = path.join(__dirname, 'child.js');
const IMPLS = ['core', 'fastnet'];

function options() {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        quick: { type: 'boolean' },
        smoke: { type: 'boolean' },
        rounds: { type: 'string' },
        out: { type: 'string' },
        save: { type: 'boolean' },
        'no-limit': { type: 'boolean' },
        'no-netns': { type: 'boolean' },
        cc: { type: 'string', default: 'cubic' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    console.error(`${err.message}\n${USAGE}`);
    process.exit(2);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const mode = values.smoke ? 'smoke' : values.quick ? 'quick' : 'full';
  const rounds = values.rounds ? Number(values.rounds) : { full: 3, quick: 2, smoke: 1 }[mode];
  if (!(rounds >= 1)) {
    console.error(`bad --rounds\n${USAGE}`);
    process.exit(2);
  }
  if (values.save && mode === 'smoke') {
    console.error(`--save keeps a snapshot for the README; a --smoke run is not one\n${USAGE}`);
    process.exit(2);
  }
  if (values['no-netns']) process.env.FASTNET_BENCH_NO_NETNS = '1';  // spawn.js reads it
  return {
    mode,
    rounds,
    out: path.resolve(values.out || RUNS),
    history: !values.out,
    save: !!values.save,
    limit: !values['no-limit'],
    cc: values.cc,
    names: positionals,
  };
}

// Sets up the TCP congestion control every process the bench starts runs under: `wanted`, or the
// machine's own for "system" (or when `wanted` cannot be had here, and then says why). Any other than
// the machine's is set per socket by the bench/cc.c preload, passed down through the environment.
// Returns the line the report shows.
function congestionControl(wanted) {
  const read = (name) => {
    try {
      return fs.readFileSync(`/proc/sys/net/ipv4/${name}`, 'utf8').trim();
    } catch {
      return '';
    }
  };
  const system = read('tcp_congestion_control') || 'unknown';
  const own = `${system}, this machine's default`;
  if (wanted === 'system' || wanted === system) return own;
  let why;
  if (!read('tcp_available_congestion_control').split(/\s+/).includes(wanted)) {
    why = `${wanted} is not available here`;
  } else {
    try {
      const env = { ...process.env, FASTNET_BENCH_CC: wanted,
        // after what is preloaded already: a sanitizer's runtime has to come first
        LD_PRELOAD: [process.env.LD_PRELOAD, congestionShim()].filter(Boolean).join(' ') };
      const probe = spawnSync(process.execPath, ['-e',
        "require('net').createServer().listen(0, '127.0.0.1', function () { this.close(); })"], { env, encoding: 'utf8' });
      if (probe.status === 0) {
        Object.assign(process.env, env);
        return `${wanted}, set on each socket by bench/cc.c (this machine's default is ${system})`;
      }
      why = (probe.stderr.trim().split('\n').pop() || `the probe exited ${probe.status ?? probe.signal}`);
    } catch (err) {
      why = err.message;
    }
  }
  process.stderr.write(`bench: TCP congestion control stays ${system}: ${why}\n`);
  return `${own} (${wanted} was asked for: ${why})`;
}

// Progress on stderr: one line, rewritten in place on a terminal.
const started = Date.now();
function progress(msg) {
  const secs = Math.round((Date.now() - started) / 1000);
  const line = `[${Math.floor(secs / 60)}m${String(secs % 60).padStart(2, '0')}s] ${msg}`;
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${line}`);
  else process.stderr.write(`${line}\n`);
}
function progressDone() {
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
}

// A scenario's own measure(), or its child() run in a fresh `node bench/child.js` process.
async function measure(scenario, impl, params, netns) {
  if (scenario.measure) return scenario.measure(impl, params);
  const timeoutMs = ((params.dur || 0) + (params.warm || 0) + 60) * 1000;
  const r = await run(process.execPath, [...(params.nodeArgs || []), '--expose-gc', CHILD, scenario.name, impl,
    JSON.stringify(params)],
    { netns, timeoutMs });
  const m = r.stdout.match(/^RESULT (.*)$/m);
  if (r.code !== 0 || !m)
    throw new Error(`${r.timedOut ? 'timed out' : `exited ${r.code ?? r.signal}`}\n${r.stdout}${r.stderr}`.trimEnd());
  return JSON.parse(m[1]);
}

// Which cases of which scenarios the names pick (all when there are none), and what each scenario
// needs from the machine (prepare(): a Node source tree, wrk...), or why it is skipped.
function plan(opts) {
  const picked = [];
  const skipped = [];
  const used = new Set();
  for (const scenario of SCENARIOS) {
    const whole = !opts.names.length || opts.names.includes(scenario.name);
    if (whole) used.add(scenario.name);
    const cases = scenario.cases(opts.mode).filter((c) => {
      const hits = opts.names.filter((n) => c.id.includes(n));
      for (const n of hits) used.add(n);
      return whole || hits.length > 0;
    });
    if (!cases.length) continue;
    let prep;
    try {
      prep = scenario.prepare?.() ?? {};
    } catch (err) {
      skipped.push({ scenario: scenario.name, reason: err.message });
      continue;
    }
    // what one case alone needs (wrk for the wrk http case): without it, only that case is skipped
    for (const c of cases) {
      let own;
      try {
        own = scenario.prepareCase?.(c) ?? {};
      } catch (err) {
        skipped.push({ scenario: scenario.name, case: c.id, reason: err.message });
        continue;
      }
      picked.push({ scenario, c, params: { ...c.params, ...prep, ...own } });
    }
  }
  const unknown = opts.names.filter((n) => !used.has(n));
  return { picked, skipped, unknown };
}

async function main() {
  const opts = options();
  process.on('SIGINT', () => { killAll(); process.exit(130); });

  const check = spawnSync(process.execPath, ['-p', `require(${JSON.stringify(ROOT)}) === require('net')`], { encoding: 'utf8' });
  if (check.status !== 0) {
    console.error(`bench: fastnet (${ROOT}) does not load; build it first (npm install)\n${check.stderr}`);
    process.exit(1);
  }
  const note = check.stdout.trim() === 'true' ? 'fastnet currently re-exports core net (placeholder), so ratios are ~1' : undefined;

  const netns = netnsAvailable();
  const network = netns
    ? 'each measurement in a network namespace of its own that has only loopback (unshare -n)'
    : `no network namespace: ${netnsMissingReason()}; everything ran on 127.0.0.1 in the default namespace ` +
      "(Node's benchmarks pinned to 127.0.0.1 by bench/loopback.js, on a free port)";
  if (!netns) process.stderr.write(`bench: ${network}\n`);
  const { picked, skipped, unknown } = plan(opts);
  if (unknown.length) {
    console.error(`bench: nothing is called ${unknown.join(', ')}\n${USAGE}`);
    process.exit(2);
  }
  for (const s of skipped) process.stderr.write(`bench: skipping ${s.case ?? s.scenario}: ${s.reason}\n`);
  const congestion = congestionControl(opts.cc);

  let limitBin = null;
  if (opts.limit && picked.some((p) => p.c.limit)) {
    try {
      limitBin = limitBinary();
    } catch (err) {
      skipped.push({ scenario: 'C limit', reason: err.message });
      process.stderr.write(`bench: no C limit: ${err.message}\n`);
    }
  }

  const result = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    cpus: os.cpus().length,
    mode: opts.mode,
    rounds: opts.rounds,
    netns,
    network,
    congestion,
    note,
    skipped,
    rows: [],
    errors: [],
    seconds: 0,
  };

  const perCase = (c) => opts.rounds * (IMPLS.length + (limitBin && c.limit ? 1 : 0));
  const total = picked.reduce((n, p) => n + perCase(p.c), 0);
  let done = 0;
  for (const { scenario, c, params } of picked) {
    const samples = { core: [], fastnet: [], limit: [] };
    let error;
    for (let round = 1; round <= opts.rounds && !error; round++) {
      const runs = [...IMPLS, ...(limitBin && c.limit ? ['limit'] : [])];
      for (const who of runs) {
        progress(`[${++done}/${total}] ${c.id} · ${who} · round ${round}/${opts.rounds}`);
        try {
          samples[who].push(who === 'limit' ? await measureLimit(limitBin, c.limit) : await measure(scenario, who, params, netns));
        } catch (err) {
          error = `${who}: ${err.message}`;
          result.errors.push({ case: c.id, error });
          progressDone();
          process.stderr.write(`bench: ${c.id} failed: ${error}\n`);
          break;
        }
      }
    }
    result.rows.push(...report.rows(scenario, c, samples, error));
  }
  progressDone();
  result.seconds = Math.round((Date.now() - started) / 100) / 10;

  const md = report.write(opts.out, result);
  process.stdout.write(md);
  const rel = (p) => path.relative(process.cwd(), p) || '.';
  const wrote = [`${rel(opts.out)}/latest.{json,md,svg}`];
  if (opts.history) {
    const stamp = result.date.replace(/[:.]/g, '-');
    fs.copyFileSync(path.join(opts.out, 'latest.json'), path.join(opts.out, `${stamp}.json`));
    wrote.push(`${rel(opts.out)}/${stamp}.json`);
  }
  if (opts.save && result.errors.length) {
    process.stderr.write('bench: not saved to the snapshot: a measurement failed\n');
  } else if (opts.save && opts.out !== RESULTS) {
    for (const ext of ['json', 'md', 'svg']) fs.copyFileSync(path.join(opts.out, `latest.${ext}`), path.join(RESULTS, `latest.${ext}`));
    wrote.push(`the snapshot ${rel(RESULTS)}/latest.{json,md,svg}`);
  }
  process.stderr.write(`bench: ${result.seconds}s; wrote ${wrote.join(', ')}\n`);
  process.exitCode = result.errors.length ? 1 : 0;
}

main().catch((err) => {
  killAll();
  console.error(err);
  process.exit(1);
});
