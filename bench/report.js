'use strict';
// Turns measured samples into rows (median, min, max, ratios) and writes them as a Markdown table,
// JSON, and an SVG chart of the ratios (hand-made, no dependencies).
// `node bench/report.js RESULT.json [DIR]` writes the table and chart again from a saved result (into
// DIR, default the JSON's own folder, as latest.md and latest.svg).

const fs = require('fs');
const path = require('path');

function stats(values) {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], values };
}

// How many times better `x` is than `base`: x/base for rates, base/x for latency and memory.
function speedup(x, base, better) {
  if (!x || !base) return null;
  return better === 'higher' ? x.median / base.median : base.median / x.median;
}

// The spread of a ratio: min and max over the rounds of x's value in a round against core's in the
// same round (they run back to back, so each round is a pair); null with fewer than two pairs.
function spread(xs, bases, better) {
  const ratios = [];
  for (let i = 0; i < Math.min(xs.length, bases.length); i++) {
    const [x, base] = [xs[i], bases[i]];
    if (Number.isFinite(x) && Number.isFinite(base) && x > 0 && base > 0) ratios.push(better === 'higher' ? x / base : base / x);
  }
  return ratios.length < 2 ? null : { min: Math.min(...ratios), max: Math.max(...ratios) };
}

// One row per metric of a case. samples: { core: [metrics...], fastnet: [...], limit: [...] }, one
// entry per round, in round order.
function rows(scenario, c, samples, error) {
  return c.metrics.map((m) => {
    const values = (list) => list.map((s) => s[m.key]);
    const pick = (list) => stats(values(list).filter(Number.isFinite));
    const core = pick(samples.core);
    const fastnet = pick(samples.fastnet);
    const limit = c.limit ? pick(samples.limit) : null;
    return {
      scenario: scenario.name,
      case: c.id,
      metric: m.label,
      better: m.better,
      core,
      fastnet,
      limit,
      ratio: error ? null : speedup(fastnet, core, m.better),
      ratioRange: error ? null : spread(values(samples.fastnet), values(samples.core), m.better),
      limitRatio: error ? null : speedup(limit, core, m.better),
      limitRatioRange: error || !c.limit ? null : spread(values(samples.limit), values(samples.core), m.better),
      ...(error ? { error } : {}),
    };
  });
}

function num(x) {
  if (!Number.isFinite(x)) return '–';
  if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString('en-US');
  return x.toPrecision(3);
}

function cell(s) {
  if (!s) return '–';
  if (s.values.length < 2) return num(s.median);
  return `${num(s.median)} (${num(s.min)}–${num(s.max)})`;
}

const times = (r) => (r == null ? '–' : `${r.toFixed(2)}×`);
const timesRange = (r, range) => (r == null ? '–' : range ? `${times(r)} (${range.min.toFixed(2)}–${range.max.toFixed(2)})` : times(r));

function markdown(result) {
  const lines = [
    `fastnet vs core net — ${result.date}, Node ${result.node}, ${result.cpus}× ${result.cpu}, ` +
      `${result.mode} run, ${result.rounds} round(s) of core/fastnet alternately, median (min–max)`,
    ...(result.network ? ['', `Network: ${result.network}.`] : []),
    ...(result.congestion ? ['', `TCP congestion control: ${result.congestion}.`] : []),
    '',
    '| scenario | case | metric | core | fastnet | fastnet vs core | C limit (vs core) |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of result.rows) {
    const limit = r.limit ? `${cell(r.limit)}, ${timesRange(r.limitRatio, r.limitRatioRange)}` : '';
    const ratio = r.error ? `error: ${r.error.split('\n')[0]}` : timesRange(r.ratio, r.ratioRange);
    lines.push(`| ${r.scenario} | ${r.case} | ${r.metric} | ${cell(r.core)} | ${cell(r.fastnet)} | ${ratio} | ${limit} |`);
  }
  lines.push('', '"fastnet vs core" and "vs core" are how many times better: for rates the ratio of the medians, ' +
    'for latency and memory its inverse; in brackets the lowest and highest ratio of one round\'s pair ' +
    '(core and fastnet, or core and the C limit, measured one after the other). The C limit is plain libuv doing the same work in one process, ' +
    'at most 16 KiB queued per writer like Node\'s streams, small writes gathered into one writev (bench/limit.c).');
  for (const s of result.skipped) lines.push('', `Skipped ${s.case ?? s.scenario}: ${s.reason}`);
  if (result.note) lines.push('', `Note: ${result.note}`);
  return `${lines.join('\n')}\n`;
}

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

// Bars of fastnet vs core per row on a log scale, from the 1× line: right and green where fastnet is
// better, left and red where it is worse, with a whisker from the lowest to the highest ratio of one
// round's pair; a grey mark for the C limit, with its own whisker below. The numbers are in two columns
// right of the plot, so no label can cover a bar, a whisker or a mark.
function svg(result) {
  const list = result.rows.filter((r) => r.ratio != null);
  const charW = 6.6;   // about the width of a 12px sans-serif character
  const labelW = Math.max(200, Math.min(460, 16 + Math.max(0, ...list.map((r) => `${r.case} · ${r.metric}`.length)) * charW));
  const barW = 440;
  const colW = 64;     // each number column
  const rowH = 22;
  const top = 74;
  const bottom = top + list.length * rowH;
  const height = bottom + 62;
  const plotR = labelW + barW;
  const width = plotR + 16 + 2 * colW + 10;
  const all = list.flatMap((r) => [r.ratio, r.ratioRange?.min, r.ratioRange?.max,
    r.limitRatio, r.limitRatioRange?.min, r.limitRatioRange?.max].filter((v) => v > 0));
  const lo = Math.min(-1, Math.floor(Math.log2(Math.min(...all, 1))));
  const hi = Math.max(2, Math.ceil(Math.log2(Math.max(...all, 1))));
  const x = (v) => +(labelW + ((Math.log2(v) - lo) / (hi - lo)) * barW).toFixed(1);
  const col1 = plotR + 16 + colW;      // right edges of the number columns
  const col2 = col1 + colW;
  const sub = `${result.date.slice(0, 10)}, Node ${result.node}, ${result.cpus}× ${result.cpu}, ${result.mode} run, ` +
    `median of ${result.rounds}${result.netns === false ? ', no network namespace (127.0.0.1, default namespace)' : ''}`;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    '<text x="10" y="20" font-size="15" font-weight="bold">fastnet vs core net (× better, log scale)</text>',
    `<text x="10" y="38" fill="#555">${esc(sub)}</text>`,
    `<text x="${col1}" y="${top - 10}" text-anchor="end" font-weight="bold">fastnet</text>`,
    `<text x="${col2}" y="${top - 10}" text-anchor="end" font-weight="bold" fill="#555">C limit</text>`,
  ];
  for (let e = lo; e <= hi; e++) {
    const t = 2 ** e;
    out.push(`<line x1="${x(t)}" y1="${top - 4}" x2="${x(t)}" y2="${bottom}" stroke="#e4e4e4"/>`,
      `<text x="${x(t)}" y="${bottom + 15}" text-anchor="middle" fill="#555">${t}×</text>`);
  }
  const whisker = (range, y, color, cap) => {
    const [a, b] = [x(range.min), x(range.max)];
    return `<path d="M${a} ${y - cap}V${y + cap}M${a} ${y}H${b}M${b} ${y - cap}V${y + cap}" stroke="${color}" stroke-width="1.2" fill="none"/>`;
  };
  list.forEach((r, i) => {
    const y = top + i * rowH;
    const mid = y + rowH / 2;
    if (i > 0 && r.scenario !== list[i - 1].scenario)
      out.push(`<line x1="10" y1="${y}" x2="${col2}" y2="${y}" stroke="#ccc"/>`);
    const [a, b] = [x(1), x(r.ratio)].sort((p, q) => p - q);
    const color = r.ratio >= 1 ? '#2a9d4b' : '#d0453a';
    out.push(`<text x="${labelW - 8}" y="${mid + 4}" text-anchor="end">${esc(`${r.case} · ${r.metric}`)}</text>`,
      `<rect x="${a}" y="${y + 4}" width="${Math.max(1, +(b - a).toFixed(1))}" height="${rowH - 10}" fill="${color}"/>`);
    if (r.ratioRange) out.push(whisker(r.ratioRange, mid - 1, '#222', 4));
    out.push(`<text x="${col1}" y="${mid + 4}" text-anchor="end">${r.ratio.toFixed(2)}×</text>`);
    if (r.limitRatio != null) {
      const lx = x(r.limitRatio);
      if (r.limitRatioRange) out.push(whisker(r.limitRatioRange, y + rowH - 3, '#888', 2));
      out.push(`<line x1="${lx}" y1="${y + 1}" x2="${lx}" y2="${y + rowH - 1}" stroke="#555" stroke-width="3"><title>C limit ${r.limitRatio.toFixed(2)}×</title></line>`,
        `<text x="${col2}" y="${mid + 4}" text-anchor="end" fill="#555">${r.limitRatio.toFixed(2)}×</text>`);
    }
  });
  out.push(`<line x1="${x(1)}" y1="${top - 4}" x2="${x(1)}" y2="${bottom}" stroke="#000"/>`);
  // the legend, below the axis
  const ly = bottom + 38;
  let lx = 10;
  out.push(`<rect x="${lx}" y="${ly - 9}" width="18" height="10" fill="#2a9d4b"/>`, `<rect x="${lx + 18}" y="${ly - 9}" width="18" height="10" fill="#d0453a"/>`,
    `<text x="${lx + 42}" y="${ly}">fastnet vs core (median)</text>`);
  lx += 200;
  out.push(`<path d="M${lx} ${ly - 8}V${ly}M${lx} ${ly - 4}H${lx + 30}M${lx + 30} ${ly - 8}V${ly}" stroke="#222" stroke-width="1.2" fill="none"/>`,
    `<text x="${lx + 36}" y="${ly}">lowest–highest of the rounds</text>`);
  lx += 216;
  out.push(`<line x1="${lx + 4}" y1="${ly - 11}" x2="${lx + 4}" y2="${ly + 2}" stroke="#555" stroke-width="3"/>`,
    `<text x="${lx + 12}" y="${ly}">the C limit (plain libuv) vs core</text>`,
    '</svg>');
  return `${out.join('\n')}\n`;
}

function write(dir, result) {
  fs.mkdirSync(dir, { recursive: true });
  const md = markdown(result);
  fs.writeFileSync(path.join(dir, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, 'latest.md'), md);
  fs.writeFileSync(path.join(dir, 'latest.svg'), svg(result));
  return md;
}

// A result saved before rows had ratioRange: the spread from the values, which are in round order
// (unless a round gave no finite value).
function withRanges(result) {
  for (const r of result.rows) {
    if (r.ratioRange === undefined && r.ratio != null && r.core && r.fastnet)
      r.ratioRange = spread(r.fastnet.values, r.core.values, r.better);
    if (r.limitRatioRange === undefined && r.limitRatio != null && r.core && r.limit)
      r.limitRatioRange = spread(r.limit.values, r.core.values, r.better);
  }
  return result;
}

module.exports = { rows, write, markdown, svg };

if (require.main === module) {
  const [file, dir] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node bench/report.js RESULT.json [DIR]   (writes DIR/latest.md and DIR/latest.svg)');
    process.exit(2);
  }
  const result = withRanges(JSON.parse(fs.readFileSync(file, 'utf8')));
  const outDir = dir || path.dirname(file);
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'latest.md'), markdown(result));
  fs.writeFileSync(path.join(outDir, 'latest.svg'), svg(result));
}
