#!/usr/bin/env node
'use strict';
// pretest and prebench: builds the addon from source (`npm run build`: node-gyp configure + incremental build)
// when build/Release/fastnet.node is missing or older than binding.gyp or a file in src/. `npm install` no
// longer builds it: fastnet has no install script, so that installing the package runs nothing.
// Builds of one checkout wait for each other on a lock file (flock, where there is one).

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const ADDON = path.join(ROOT, 'build', 'Release', 'fastnet.node');
const LOCK = path.join(os.tmpdir(), 'fastnet-build.lock');

function newestSource() {
  const files = ['binding.gyp', ...fs.readdirSync(path.join(ROOT, 'src')).map((f) => path.join('src', f))];
  return Math.max(...files.map((f) => fs.statSync(path.join(ROOT, f)).mtimeMs));
}

function upToDate() {
  try {
    return fs.statSync(ADDON).mtimeMs >= newestSource();
  } catch {
    return false;
  }
}

if (!upToDate()) {
  const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm'];
  const build = [...npm, 'run', 'build'];
  const hasFlock = spawnSync('sh', ['-c', 'command -v flock'], { stdio: 'ignore' }).status === 0;
  const [cmd, ...args] = hasFlock ? ['flock', LOCK, ...build] : build;
  console.log(`build/Release/fastnet.node is ${fs.existsSync(ADDON) ? 'older than its sources' : 'missing'}: npm run build`);
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status || 1);
}
