'use strict';
// Turns measured samples into rows (median, min, max, ratios) and writes them as a Markdown table,
// JSON, and an SVG chart of the ratios (hand-made, no dependencies).

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

// One row per metric of a case. samples: { core: [metrics...], fastnet: [...], limit: [...] }
function rows(scenario, c, samples, error) {
  return c.metrics.map((m) => {
    const pick = (list) => stats(list.map((s) => s[m.key]).filter(Number.isFinite));
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
      limitRatio: error ? null : speedup(limit, core, m.better),
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

function markdown(result) {
  const lines = [
    `fastnet vs core net — ${result.date}, Node ${result.node}, ${result.cpus}× ${result.cpu}, ` +
      `${result.mode} run, ${result.rounds} round(s) of core/fastnet alternately, median (min–max)`,
    '',
    '| scenario | case | metric | core | fastnet | fastnet vs core | C limit (vs core) |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of result.rows) {
    const limit = r.limit ? `${cell(r.limit)} (${times(r.limitRatio)})` : '';
    const ratio = r.error ? `error: ${r.error.split('\n')[0]}` : times(r.ratio);
    lines.push(`| ${r.scenario} | ${r.case} | ${r.metric} | ${cell(r.core)} | ${cell(r.fastnet)} | ${ratio} | ${limit} |`);
  }
  lines.push('', '"fastnet vs core" and "vs core" are how many times better: for rates the ratio of the medians, ' +
    'for latency and memory its inverse. The C limit is plain libuv doing the same work in one process, ' +
    'at most 16 KiB queued per writer like Node\'s streams, small writes gathered into one writev (bench/limit.c).');
  for (const s of result.skipped) lines.push('', `Skipped ${s.scenario}: ${s.reason}`);
  if (result.note) lines.push('', `Note: ${result.note}`);
  return `${lines.join('\n')}\n`;
}

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

// Bars of fastnet vs core per row on a log scale, from the 1× line: right and green where fastnet is
// better, left and red where it is worse; a grey mark for the C limit.
function svg(result) {
  const list = result.rows.filter((r) => r.ratio != null);
  const labelW = 360;
  const barW = 440;
  const rowH = 20;
  const top = 56;
  const bottom = top + list.length * rowH;
  const height = bottom + 36;
  const width = labelW + barW + 70;
  const all = list.flatMap((r) => [r.ratio, r.limitRatio ?? 1]);
  const lo = Math.min(-1, Math.floor(Math.log2(Math.min(...all))));
  const hi = Math.max(2, Math.ceil(Math.log2(Math.max(...all))));
  const x = (v) => labelW + ((Math.log2(v) - lo) / (hi - lo)) * barW;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    '<text x="10" y="20" font-size="15" font-weight="bold">fastnet vs core net (× better, log scale)</text>',
    `<text x="10" y="38" fill="#555">${esc(`${result.date.slice(0, 10)}, Node ${result.node}, ${result.cpus}× ${result.cpu}, ${result.mode} run, median of ${result.rounds}`)}</text>`,
  ];
  for (let e = lo; e <= hi; e++) {
    const t = 2 ** e;
    out.push(`<line x1="${x(t)}" y1="${top - 4}" x2="${x(t)}" y2="${bottom}" stroke="#eee"/>`,
      `<text x="${x(t)}" y="${bottom + 14}" text-anchor="middle" fill="#555">${t}×</text>`);
  }
  list.forEach((r, i) => {
    const y = top + i * rowH;
    const [a, b] = [x(1), x(r.ratio)].sort((p, q) => p - q);
    const color = r.ratio >= 1 ? '#2a9d4b' : '#d0453a';
    out.push(`<text x="${labelW - 8}" y="${y + 14}" text-anchor="end">${esc(`${r.case} · ${r.metric}`)}</text>`,
      `<rect x="${a}" y="${y + 3}" width="${Math.max(1, b - a)}" height="${rowH - 6}" fill="${color}"/>`,
      `<text x="${b + 4}" y="${y + 14}">${r.ratio.toFixed(2)}×</text>`);
    if (r.limitRatio != null) {
      out.push(`<line x1="${x(r.limitRatio)}" y1="${y + 1}" x2="${x(r.limitRatio)}" y2="${y + rowH - 1}" stroke="#555" stroke-width="3"><title>C limit ${r.limitRatio.toFixed(2)}×</title></line>`);
    }
  });
  out.push(`<line x1="${x(1)}" y1="${top - 4}" x2="${x(1)}" y2="${bottom}" stroke="#000"/>`,
    `<text x="${width - 10}" y="${height - 6}" text-anchor="end" fill="#555">grey mark: the C limit (plain libuv) vs core</text>`,
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

module.exports = { rows, write, markdown, svg };
