'use strict';
// Finds the native addon and loads it, in this order:
//  1. FASTNET_ADDON: the absolute path of another build (npm run test:asan uses a sanitized one);
//  2. build/Release/fastnet.node: a build from source (this repo, or an install built with `npm run build`);
//  3. the prebuilt binary for this platform, CPU and C library, in prebuildify's layout:
//     prebuilds/<platform>-<arch>/node.napi.<libc>.node (node.napi.node off Linux), made by `npm run prebuilds`.
// When none loads, the error says what this system is, what the package ships and the one command to run.

const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const FROM_SOURCE = path.join(ROOT, 'build', 'Release', 'fastnet.node');
const BUILD_COMMAND = 'npm explore fastnet -- npm run build';

// 'glibc' or 'musl' on Linux (from the libraries this process has mapped: no child process, no report),
// '' elsewhere.
function libc() {
  if (process.platform !== 'linux') return '';
  try {
    const maps = fs.readFileSync('/proc/self/maps', 'latin1');
    if (/\/ld-musl-[^/\s]*\.so|\/libc\.musl-[^/\s]*\.so/.test(maps)) return 'musl';
    if (/\/libc\.so\.6\b|\/libc-2\.\d+\.so\b/.test(maps)) return 'glibc';
  } catch {}
  const report = typeof process.report?.getReport === 'function' ? process.report.getReport() : null;
  return report && report.header && report.header.glibcVersionRuntime ? 'glibc' : 'musl';
}

function prebuildName(c) {
  return c ? `node.napi.${c}.node` : 'node.napi.node';
}

// What prebuilds/ holds, as "linux-x64 (glibc, musl)": for the error message.
function shipped() {
  const dir = path.join(ROOT, 'prebuilds');
  let targets = [];
  try {
    targets = fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => {
      const libcs = fs.readdirSync(path.join(dir, d.name))
        .map((f) => /^node\.napi\.(?:(\w+)\.)?node$/.exec(f)).filter(Boolean).map((m) => m[1] || '');
      return libcs.length ? `${d.name}${libcs[0] ? ` (${libcs.join(', ')})` : ''}` : '';
    }).filter(Boolean);
  } catch {}
  return targets.length ? targets.join(', ') : 'none (this copy has no prebuilds/ folder)';
}

function load() {
  if (process.env.FASTNET_ADDON) return require(process.env.FASTNET_ADDON);
  // A build from source wins: it is what the developer (or the user, with `npm run build`) just made.
  // If it exists but cannot load, that error is the one to see, not a silent fallback to a prebuild.
  if (fs.existsSync(FROM_SOURCE)) return require(FROM_SOURCE);

  const c = libc();
  const target = `${process.platform}-${process.arch}`;
  const prebuild = path.join(ROOT, 'prebuilds', target, prebuildName(c));
  let failure = 'not found';
  if (fs.existsSync(prebuild)) {
    try {
      return require(prebuild);
    } catch (err) {
      failure = `does not load: ${err.message.split('\n')[0]}`;
    }
  }
  const system = `${target}${c ? ` (${c})` : ''}`;
  const err = new Error(
    `fastnet: no native addon for ${system}, Node ${process.version}.\n` +
    `  Prebuilt binaries in this package: ${shipped()}.\n` +
    `  ${path.relative(ROOT, prebuild)}: ${failure}; ${path.relative(ROOT, FROM_SOURCE)}: not found.\n` +
    '  Build it from the C source once (needs python3, make and a C compiler), from your app\'s folder:\n' +
    `    ${BUILD_COMMAND}`);
  err.code = 'ERR_FASTNET_NO_ADDON';
  throw err;
}

module.exports = { load, libc, ROOT, BUILD_COMMAND };
